"""Waivers: reading waivers.yaml, waiving, expiring, staleness, and the errors of a malformed file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lz.core.errors import InputError
from lz.review.evaluate import Finding
from lz.review.waivers import apply_waivers, load_waivers, waivers_markdown

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "urn:pulumi:foundation-dev::landing-zone::lz:audit:AwsAudit$aws:s3/bucket:Bucket::acme-dev-audit"
KEY = "urn:pulumi:foundation-dev::landing-zone::lz:keys:AwsRegionKeys$aws:kms/key:Key::acme-dev-euw1-key"

WAIVERS = """\
- policy: CKV_AWS_144
  resource: "urn:pulumi:*::landing-zone::*aws:s3/bucket:Bucket::*audit*"
  reason: The organisation's log-archive account replicates the audit trail.
  owner: platform-team
  expires: 2026-06-30
- policy: encryption-*
  resource: "*::acme-dev-euw1-key"
  reason: Rotation is being moved to the central key service.
  owner: security-team
  expires: 2026-01-31
- policy: CKV_GCP_16
  resource: "*"
  reason: No public zones any more.
  owner: network-team
  expires: "2027-01-01"
"""


def _findings() -> list[Finding]:
    return [
        Finding("CKV_AWS_144", "checkov", "advisory", "low", BUCKET, "aws:s3/bucket:Bucket", "no replication"),
        Finding("encryption-kms-rotation", "lz", "mandatory", "high", KEY, "aws:kms/key:Key", "rotation off"),
        Finding("CKV_AWS_7", "checkov", "mandatory", "medium", KEY, "aws:kms/key:Key", "rotation off"),
    ]


@pytest.fixture
def waivers_file(tmp_path: Path) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(WAIVERS, encoding="utf-8")
    return path


def test_load(waivers_file: Path) -> None:
    waivers = load_waivers(waivers_file)
    assert [w.policy for w in waivers] == ["CKV_AWS_144", "encryption-*", "CKV_GCP_16"]
    assert waivers[0].expires == dt.date(2026, 6, 30) and waivers[2].expires == dt.date(2027, 1, 1)
    assert waivers[1].line == 6 and waivers[1].owner == "security-team"


def test_missing_file_is_no_waivers(tmp_path: Path) -> None:
    assert load_waivers(tmp_path / "waivers.yaml") == []


def test_the_project_waivers_are_valid_and_accountable() -> None:
    waivers = load_waivers(ROOT / "waivers.yaml")
    assert waivers, "the project documents its accepted findings"
    for w in waivers:
        assert w.owner and len(w.reason) > 20 and w.expires > dt.date(2026, 1, 1)


def test_active_waivers_waive_and_say_by_whom(waivers_file: Path) -> None:
    findings = _findings()
    report = apply_waivers(findings, load_waivers(waivers_file), today=dt.date(2026, 1, 31))
    replication, encryption, checkov_rotation = findings
    assert replication.waived and replication.waiver == {
        "owner": "platform-team", "reason": "The organisation's log-archive account replicates the audit trail.",
        "expires": "2026-06-30"}
    assert encryption.waived and encryption.waiver["owner"] == "security-team"  # the last day still holds
    assert not checkov_rotation.waived and checkov_rotation.waiver is None
    assert report.waived == 2
    assert [s.state for s in report.statuses] == ["active", "active", "stale"]
    assert report.stale[0].waiver.policy == "CKV_GCP_16"


def test_an_expired_waiver_stops_waiving_and_is_reported(waivers_file: Path) -> None:
    findings = _findings()
    report = apply_waivers(findings, load_waivers(waivers_file), today=dt.date(2026, 2, 1))
    encryption = findings[1]
    assert not encryption.waived
    assert encryption.waiver is not None and encryption.waiver["expired"] is True
    assert [s.waiver.policy for s in report.expired] == ["encryption-*"] and report.expired[0].matched == 1
    assert report.waived == 1
    text = waivers_markdown(report)
    assert "Expired waivers" in text and "encryption-*" in text and "2026-01-31" in text
    assert "Stale waivers" in text and "CKV_GCP_16" in text
    assert report.as_dict()["expired"] == 1


@pytest.mark.parametrize(("text", "key", "message"), [
    ("policy: x\n", None, "expected a list"),
    ("- just a string\n", "[0]", "expected a mapping"),
    ("- {policy: CKV_AWS_7, resource: '*', reason: r, owner: o}\n", "[0].expires", "missing"),
    ("- {policy: CKV_AWS_7, resource: '*', reason: r, owner: o, expires: 31.12.2026}\n", "[0].expires",
     "not a date"),
    ("- {policy: CKV_AWS_7, resource: '*', reason: r, owner: o, expires: 2026-02-30}\n", "[0].expires",
     "not a date"),
    ("- {policy: CKV_AWS_7, resource: '*', reason: '', owner: o, expires: 2026-01-01}\n", "[0].reason",
     "non-empty"),
    ("- {policy: CKV_AWS_7, resource: '*', reason: r, owner: o, expires: 2026-01-01, until: x}\n", "[0].until",
     "unknown key"),
    ("- {policy: CKV_AWS_7, resource: '*', reason: r, owner: o, expires: 2026-01-01}\n"
     "- {policy: CKV_AWS_8, reason: r, owner: o, expires: 2026-01-01}\n", "[1].resource", "missing"),
])
def test_malformed_files_name_file_and_key(tmp_path: Path, text: str, key: str | None, message: str) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_waivers(path, display="waivers.yaml")
    assert info.value.file == "waivers.yaml" and info.value.key == key and message in info.value.detail


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text("- policy: a\n  resource: [\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_waivers(path, display="waivers.yaml")
    assert info.value.line is not None and "malformed YAML" in str(info.value)
