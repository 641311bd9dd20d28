"""Proof that checkov reads what the bridges write: named checks fail on bad resources and pass on good ones.

A bridge checkov silently skips (a wrong type name, a block written as a map, a reference it cannot
follow) would let every check pass; these tests catch exactly that. They run the real checkov.
"""

from __future__ import annotations

import datetime as dt

import pytest

from lz.core.graph import resources_from_graph
from lz.review.bridge import _sdk_registry
from lz.review.bridge.arm import ARM_TYPES
from lz.review.bridge.terraform import terraform_type
from lz.review.checkov import CheckovSettings, findings_from
from lz.review.waivers import apply_waivers, load_waivers
from tests.helpers import ROOT
from tests.review.cases import Case, all_cases
from tests.review.conftest import Scanned, checkov_resource_types, terraform_catalog

pytestmark = pytest.mark.checkov

# Real Terraform types (google-beta or newer than checkov 3.3.30) missing from checkov's type catalog.
NOT_IN_CHECKOVS_CATALOG = frozenset({"google_project_service_identity"})

# Data stores the bridges must cover beyond what the example stack emits today.
DATA_STORES = (
    "aws:s3/bucket:Bucket",
    "aws:ebs/volume:Volume",
    "aws:rds/instance:Instance",
    "aws:rds/cluster:Cluster",
    "aws:dynamodb/table:Table",
    "aws:efs/fileSystem:FileSystem",
    "aws:sqs/queue:Queue",
    "aws:sns/topic:Topic",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:eks/cluster:Cluster",
    "aws:kms/key:Key",
    "aws:cloudtrail/trail:Trail",
    "aws:secretsmanager/secret:Secret",
    "gcp:storage/bucket:Bucket",
    "gcp:sql/databaseInstance:DatabaseInstance",
    "gcp:bigquery/dataset:Dataset",
    "gcp:container/cluster:Cluster",
    "gcp:container/nodePool:NodePool",
    "gcp:compute/disk:Disk",
    "gcp:kms/cryptoKey:CryptoKey",
    "gcp:pubsub/topic:Topic",
    "azure-native:storage:StorageAccount",
    "azure-native:storage:BlobContainer",
    "azure-native:keyvault:Vault",
    "azure-native:keyvault:Key",
    "azure-native:compute:Disk",
    "azure-native:containerservice:ManagedCluster",
    "azure-native:sql:Server",
    "azure-native:cosmosdb:DatabaseAccount",
    "azure-native:dbformysql:Server",
)


def _case_id(case: Case) -> str:
    return f"{case.check}-{case.proves[0].rsplit(':', 1)[-1]}"


@pytest.mark.parametrize("case", all_cases(), ids=_case_id)
def test_check_fails_on_bad_and_passes_on_good(case: Case, review_scan: Scanned) -> None:
    bad, good = review_scan.names[case.bad[0].urn], review_scan.names[case.good[0].urn]
    assert review_scan.run.outcome(case.check, bad) is False, (
        f"{case.check} did not fail on {bad}: checkov does not read what the bridge wrote for {case.proves}"
    )
    assert review_scan.run.outcome(case.check, good) is True, (
        f"{case.check} did not pass on {good} (translated from {case.proves})"
    )


def _checkov_type(token: str) -> str | None:
    if token.startswith("azure-native:"):
        return ARM_TYPES[token].type if token in ARM_TYPES else None
    return terraform_type(token)


def test_every_type_checkov_judges_has_a_proof(cases: list[Case], foundation_dev: object) -> None:
    """A type the example stack emits (or a common data store) that checkov has checks for must be proven here."""
    known, direct = checkov_resource_types()
    graph = resources_from_graph(foundation_dev.graph)  # type: ignore[attr-defined]
    tokens = {r.type for r in graph if r.custom and r.package in ("aws", "gcp", "azure-native")} | set(DATA_STORES)
    proven = {t for case in cases for t in case.proves}
    unmapped = sorted(t for t in tokens if _checkov_type(t) is None)
    assert not unmapped, f"no checkov type for {unmapped}"
    missing = sorted(t for t in tokens if _checkov_type(t) in direct and t not in proven)
    assert not missing, f"checkov has checks for these types but no case proves the bridge feeds them: {missing}"
    unknown = sorted(
        f"{t} -> {_checkov_type(t)}"
        for t in tokens
        if not t.startswith("azure-native:") and _checkov_type(t) not in known | NOT_IN_CHECKOVS_CATALOG
    )
    assert not unknown, f"Terraform types no checkov check has heard of (a wrong name?): {unknown}"


@pytest.mark.parametrize(
    ("package", "prefix", "share"), [("pulumi_aws", "aws_", 0.95), ("pulumi_gcp", "google_", 0.85)]
)
def test_type_names_cover_checkovs_catalog(package: str, prefix: str, share: float) -> None:
    """Every SDK token mapped, then compared with checkov's own type list: the names are checkov's names.

    What is left are checkov entries without a Pulumi twin (removed or pseudo types, e.g. `aws_root`).
    """
    catalog = {t for t in terraform_catalog() if t.startswith(prefix)}
    produced = {terraform_type(token) for token in _sdk_registry(package)}
    covered = catalog & produced
    assert len(covered) >= share * len(catalog), sorted(catalog - produced)[:40]


def test_checkov_reads_the_example_stack(stack_scan: Scanned) -> None:
    run = stack_scan.run
    planned = stack_scan.tfplan["planned_values"]["root_module"]["resources"]
    graph_tf = [r for r in stack_scan.resources if r.custom and r.package in ("aws", "gcp")]
    # Every aws/gcp resource is in the plan, and checkov parsed every planned resource.
    assert len(planned) == len(graph_tf) > 0
    assert run.resource_count["terraform_plan"] == len(planned)
    known, direct = checkov_resource_types()
    unknown = sorted({r["type"] for r in planned} - known - NOT_IN_CHECKOVS_CATALOG)
    assert not unknown, f"types checkov does not know: {unknown}"
    # Of the resources whose type has checks of its own, checkov judged at least nine in ten (some
    # checks rightly answer "not applicable", e.g. flow logs on a proxy-only subnet).
    judged = [r["address"] for r in planned if r["type"] in direct]
    evaluated = run.evaluated("terraform_plan")
    read = [a for a in judged if a in evaluated]
    assert len(read) >= 0.9 * len(judged), (
        f"checkov judged only {len(read)} of {len(judged)}: {sorted(set(judged) - evaluated)}"
    )
    # Every azure-native resource of a mapped type is in the template, parsed, and judged when checkov can.
    arm_resources = stack_scan.arm["resources"]
    mapped = [r for r in stack_scan.resources if r.custom and r.type in ARM_TYPES]
    assert len(arm_resources) == len(mapped) > 0
    assert run.resource_count["arm"] == len(arm_resources)
    arm_judged = {f"{r['type']}.{r['name']}" for r in arm_resources if r["type"] in direct}
    assert arm_judged <= run.evaluated("arm"), sorted(arm_judged - run.evaluated("arm"))
    assert not run.parsing_errors


def test_example_stack_passes_checkovs_mandatory_checks(stack_scan: Scanned) -> None:
    findings = findings_from(stack_scan.run, stack_scan.urns, CheckovSettings.load())
    urns = {r.urn for r in stack_scan.resources}
    assert all(f.urn in urns and f.source == "checkov" and f.type for f in findings)
    # what the project accepts on purpose is waived, with a reason, in waivers.yaml
    apply_waivers(findings, load_waivers(ROOT / "waivers.yaml"), dt.date(2026, 11, 23))
    mandatory = [f"{f.policy} {f.urn}" for f in findings if f.enforcement == "mandatory" and not f.waived]
    assert not mandatory, mandatory
    # The stack is judged, not skipped: some checks pass on it for every cloud.
    passed = {r.framework for r in stack_scan.run.results if r.passed}
    assert passed == {"terraform_plan", "arm"}


def test_findings_from_the_proofs_name_pulumi_urns(review_scan: Scanned) -> None:
    findings = findings_from(review_scan.run, review_scan.urns, CheckovSettings.load())
    by_policy = {(f.policy, f.urn) for f in findings}
    case = next(c for c in all_cases() if c.check == "CKV_AWS_7")
    assert ("CKV_AWS_7", case.bad[0].urn) in by_policy
    assert ("CKV_AWS_7", case.good[0].urn) not in by_policy
    rotation = next(f for f in findings if f.policy == "CKV_AWS_7")
    assert rotation.enforcement == "mandatory" and rotation.type == "aws:kms/key:Key"
    assert all(f.urn.startswith("urn:pulumi:") for f in findings)
