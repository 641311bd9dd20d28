"""The pack over the example stack (`foundation-dev`): clean as built, and it bites when weakened.

A clean plan alone proves little (a policy that never fires is clean too), so each case below
weakens one setting of the synthesized graph and expects exactly the policy that guards it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from lz.cli.plan import policy_settings_for
from lz.cli.project import find_project, load_stack
from lz.core.graph import Resource, resources_from_graph
from lz.policies.pack import POLICIES
from lz.review.evaluate import PolicySettings, evaluate
from tests.helpers import ROOT, Planned

FAMILIES = ("encryption-", "tags-", "residency-")


@pytest.fixture(scope="module")
def graph(foundation_dev: Planned) -> list[Resource]:
    return resources_from_graph(foundation_dev.graph)


@pytest.fixture(scope="module")
def settings() -> PolicySettings:
    return policy_settings_for(load_stack(find_project(ROOT), "foundation-dev"))


def test_example_stack_has_no_findings_of_these_families(foundation_dev: Planned) -> None:
    ours = [f for f in foundation_dev.findings["findings"] if f["policy"].startswith(FAMILIES)]
    assert ours == []
    assert foundation_dev.findings["summary"]["undecided"] == 0


def first(resources: list[Resource], type_: str) -> Resource:
    return next(r for r in resources if r.type == type_)


def _drop_sse(rs: list[Resource]) -> list[Resource]:
    return [r for r in rs if "bucketServerSideEncryptionConfiguration" not in r.type]


def _no_rotation(rs: list[Resource]) -> list[Resource]:
    first(rs, "aws:kms/key:Key").inputs["enableKeyRotation"] = False
    return rs


def _slow_gcp_rotation(rs: list[Resource]) -> list[Resource]:
    first(rs, "gcp:kms/cryptoKey:CryptoKey").inputs["rotationPeriod"] = "31536000s"
    return rs


def _old_tls(rs: list[Resource]) -> list[Resource]:
    first(rs, "azure-native:storage:StorageAccount").inputs["minimumTlsVersion"] = "TLS1_0"
    return rs


def _no_owner(rs: list[Resource]) -> list[Resource]:
    del first(rs, "aws:cloudwatch/logGroup:LogGroup").inputs["tags"]["owner"]
    return rs


def _upper_label(rs: list[Resource]) -> list[Resource]:
    first(rs, "gcp:kms/cryptoKey:CryptoKey").inputs["labels"]["owner"] = "Platform Team"
    return rs


def _zurich(rs: list[Resource]) -> list[Resource]:
    first(rs, "pulumi:providers:aws").inputs["region"] = "eu-central-2"
    return rs


def _global_keyring(rs: list[Resource]) -> list[Resource]:
    first(rs, "gcp:kms/keyRing:KeyRing").inputs["location"] = "global"
    return rs


def _log_group_without_key(rs: list[Resource]) -> list[Resource]:
    del first(rs, "aws:cloudwatch/logGroup:LogGroup").inputs["kmsKeyId"]
    return rs


@pytest.mark.parametrize(
    ("weaken", "policy"),
    [
        (_drop_sse, "encryption-s3-bucket-cmk"),
        (_log_group_without_key, "encryption-at-rest-cmk"),
        (_no_rotation, "encryption-key-rotation"),
        (_slow_gcp_rotation, "encryption-key-rotation"),
        (_old_tls, "encryption-in-transit-tls"),
        (_no_owner, "tags-required"),
        (_upper_label, "tags-valid-for-cloud"),
        (_zurich, "residency-allowed-jurisdiction"),
        (_global_keyring, "residency-allowed-jurisdiction"),
    ],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_weakened_stack_is_caught(
    graph: list[Resource], settings: PolicySettings, weaken: Callable[[list[Resource]], list[Resource]], policy: str
) -> None:
    ev = evaluate(weaken(copy.deepcopy(graph)), POLICIES, settings)
    assert {f.policy for f in ev.findings if f.policy.startswith(FAMILIES)} == {policy}
