"""S3 Object Lock on the CloudTrail bucket when the spec asks for it (`audit.object_lock`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lz.core.errors import InputError
from lz.spec import load_landing_zone
from tests.helpers import foundation_config, make_project, plan, single_cloud_spec

LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
BUCKET = "aws:s3/bucket:Bucket"
TRAIL = "aws:cloudtrail/trail:Trail"


def _planned(tmp_path: Path, audit: dict[str, Any] | None) -> list[dict[str, Any]]:
    spec = single_cloud_spec("aws")
    if audit is not None:
        spec["audit"] = audit
    project = make_project(tmp_path, {"foundation-dev": foundation_config(spec)})
    planned = plan("foundation-dev", project=project)
    assert planned.exit_code == 0, planned.report
    return list(planned.graph["deployment"]["resources"])


def _audit_bucket(resources: list[dict[str, Any]]) -> dict[str, Any]:
    (bucket,) = [r for r in resources if r["type"] == BUCKET and r["urn"].endswith("-audit-bucket")]
    return bucket


@pytest.mark.parametrize(("mode", "days"), [("governance", 30), ("compliance", 2555)])
def test_the_trail_bucket_is_locked_before_the_trail_writes(tmp_path: Path, mode: str, days: int) -> None:
    resources = _planned(tmp_path, {"object_lock": mode, "retention_days": days})
    assert _audit_bucket(resources)["inputs"]["objectLockEnabled"] is True
    (lock,) = [r for r in resources if r["type"] == LOCK]
    assert lock["inputs"]["objectLockEnabled"] == "Enabled"
    assert lock["inputs"]["rule"]["defaultRetention"] == {"mode": mode.upper(), "days": days}
    (trail,) = [r for r in resources if r["type"] == TRAIL]
    assert lock["urn"] in trail["dependencies"]


def test_no_lock_unless_asked(tmp_path: Path) -> None:
    resources = _planned(tmp_path, None)
    assert not [r for r in resources if r["type"] == LOCK]
    assert _audit_bucket(resources)["inputs"].get("objectLockEnabled") in (None, False)


def test_a_test_environment_cannot_lock_its_logs() -> None:
    spec = single_cloud_spec("aws")
    spec["environment"] = "test"
    spec["audit"] = {"object_lock": "compliance"}
    with pytest.raises(InputError) as info:
        load_landing_zone(spec, file="stacks/Pulumi.t.yaml", namespace="landing-zone")
    assert info.value.key == "config.landing-zone:landingZone.audit.object_lock"
    assert "disposable" in info.value.detail
