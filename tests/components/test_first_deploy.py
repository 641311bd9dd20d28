"""What a first `pulumi up` into a fresh account, project and subscription needs, as built.

Each test here failed on the graphs before issue 11: APIs raced, agents that did not exist, a
dashed Data Factory name, created Network Watchers, no EncryptionAtHost registration, no Auto
Scaling service-linked role, rollback alarms that stayed quiet without data.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Planned, plan


def by_name(p: Planned, type_: str, name: str) -> dict[str, Any]:
    found = [r for r in p.resources if r["type"] == type_ and r["urn"].rsplit("::", 1)[-1] == name]
    assert len(found) == 1, (type_, name, len(found))
    return found[0]


def of_type(p: Planned, type_: str) -> list[dict[str, Any]]:
    return [r for r in p.resources if r["type"] == type_]


def closure(p: Planned, urn: str) -> set[str]:
    direct = {r["urn"]: set(r.get("dependencies") or []) for r in p.resources}
    seen: set[str] = set()
    stack = list(direct.get(urn, ()))
    while stack:
        u = stack.pop()
        if u not in seen:
            seen.add(u)
            stack.extend(direct.get(u, ()))
    return seen


@pytest.fixture(scope="module")
def wave_1(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    return plan("wave-1-dev", out=tmp_path_factory.mktemp("wave-1-dev"))


def deploy_findings(p: Planned) -> list[tuple[str, str]]:
    return [(f["policy"], f["urn"]) for f in p.findings["findings"] if f["policy"].startswith("deploy-")]


def test_the_example_stacks_have_no_deploy_finding(foundation_dev: Planned, wave_1: Planned) -> None:
    assert deploy_findings(foundation_dev) == []
    assert deploy_findings(wave_1) == []
    assert foundation_dev.exit_code == 0 and wave_1.exit_code == 0


def test_gcp_resources_wait_for_their_apis(foundation_dev: Planned) -> None:
    api = {r["inputs"]["service"]: r["urn"] for r in of_type(foundation_dev, "gcp:projects/service:Service")}
    for r in of_type(foundation_dev, "gcp:container/cluster:Cluster") + of_type(
        foundation_dev, "gcp:container/nodePool:NodePool"
    ):
        assert api["container.googleapis.com"] in closure(foundation_dev, r["urn"]), r["urn"]
    for r in of_type(foundation_dev, "gcp:serviceaccount/account:Account") + of_type(
        foundation_dev, "gcp:projects/iAMCustomRole:IAMCustomRole"
    ):
        assert api["iam.googleapis.com"] in closure(foundation_dev, r["urn"]), r["urn"]
    for r in of_type(foundation_dev, "gcp:compute/externalVpnGateway:ExternalVpnGateway"):
        assert api["compute.googleapis.com"] in closure(foundation_dev, r["urn"]), r["urn"]
    grant = by_name(
        foundation_dev, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "acme-dev-gcp-gpu-europe-west4-gke-agent-key"
    )
    assert api["container.googleapis.com"] in closure(foundation_dev, grant["urn"])


def test_prerequisites_are_part_of_the_stack(foundation_dev: Planned) -> None:
    roles = {
        r["inputs"]["awsServiceName"]: r for r in of_type(foundation_dev, "aws:iam/serviceLinkedRole:ServiceLinkedRole")
    }
    # Auto Scaling's for the node volumes' grant; ECR pull-through cache's for its credential's (registries.mirror).
    assert sorted(roles) == ["autoscaling.amazonaws.com", "pullthroughcache.ecr.amazonaws.com"]
    assert all(slr["retainOnDelete"] is True for slr in roles.values())
    for grant in of_type(foundation_dev, "aws:kms/grant:Grant"):
        for service, slr in roles.items():
            if f"/{service}/" in grant["inputs"]["granteePrincipal"]:
                assert slr["urn"] in grant["dependencies"]
    [feature] = of_type(foundation_dev, "azure-native:features:SubscriptionFeatureRegistration")
    assert (feature["inputs"]["providerNamespace"], feature["inputs"]["featureName"]) == (
        "Microsoft.Compute",
        "EncryptionAtHost",
    )
    for aks in of_type(foundation_dev, "azure-native:containerservice:ManagedCluster"):
        assert feature["urn"] in aks["dependencies"]
    for pool in of_type(foundation_dev, "azure-native:containerservice:AgentPool"):
        assert feature["urn"] in closure(foundation_dev, pool["urn"])


def test_no_network_watcher_is_created(foundation_dev: Planned) -> None:
    assert of_type(foundation_dev, "azure-native:network:NetworkWatcher") == []
    assert not [
        r
        for r in of_type(foundation_dev, "azure-native:resources:ResourceGroup")
        if r["inputs"]["resourceGroupName"] == "NetworkWatcherRG"
    ]


def test_wave_agents_exist_before_their_grants(wave_1: Planned) -> None:
    [sql_agent] = of_type(wave_1, "gcp:projects/serviceIdentity:ServiceIdentity")
    assert sql_agent["inputs"]["service"] == "sqladmin.googleapis.com"
    grant = by_name(wave_1, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "wave-1-gcp-key-europe-west4-cloud-sql")
    assert sql_agent["urn"] in grant["dependencies"]
    assert grant["inputs"]["member"].endswith("@gcp-sa-cloud-sql.iam.gserviceaccount.com")
    sts_api = next(
        r["urn"]
        for r in of_type(wave_1, "gcp:projects/service:Service")
        if r["inputs"]["service"] == "storagetransfer.googleapis.com"
    )
    for sink in of_type(wave_1, "gcp:storage/bucketIAMMember:BucketIAMMember"):
        assert sts_api in sink["dependencies"]


def test_data_factory_names_have_no_dash(wave_1: Planned) -> None:
    names = [r["inputs"]["linkedServiceName"] for r in of_type(wave_1, "azure-native:datafactory:LinkedService")]
    names += [r["inputs"]["datasetName"] for r in of_type(wave_1, "azure-native:datafactory:Dataset")]
    assert names and all("-" not in n for n in names), names
    assert "wave_1_model_artifacts_source" in names


def test_rollback_alarms_fire_without_data(wave_1: Planned) -> None:
    # The example's target runs on GCP, so its alarms are Cloud Monitoring PromQL policies: a target
    # that stops reporting (or a collector that never wrote) satisfies `absent_over_time` and fires.
    policies = of_type(wave_1, "gcp:monitoring/alertPolicy:AlertPolicy")
    queries = [c["conditionPrometheusQueryLanguage"]["query"] for p in policies for c in p["inputs"]["conditions"]]
    assert len(queries) == 2 and all(" or absent_over_time(" in q for q in queries), queries


def test_the_role_catalog_can_use_the_clusters(foundation_dev: Planned) -> None:
    # EKS: authenticationMode API, no bootstrap admin: access entries are the only way in.
    entries = {
        r["urn"].rsplit("-access-", 1)[-1]: r for r in of_type(foundation_dev, "aws:eks/accessEntry:AccessEntry")
    }
    assert set(entries) == {"platform-admin", "security-auditor", "ml-engineer", "read-only"}
    assert all("/AWSReservedSSO_acme-dev-" in e["inputs"]["principalArn"] for e in entries.values())
    policies = {
        r["urn"].rsplit("-access-", 1)[-1]: r["inputs"]["policyArn"].rsplit("/", 1)[-1]
        for r in of_type(foundation_dev, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
    }
    assert policies == {
        "platform-admin-admin": "AmazonEKSClusterAdminPolicy",
        "security-auditor-view": "AmazonEKSViewPolicy",
        "ml-engineer-edit": "AmazonEKSEditPolicy",
        "read-only-view": "AmazonEKSViewPolicy",
    }
    # AKS: local accounts off, Azure RBAC on: the AKS RBAC roles at cluster scope, and Cluster User.
    [aks] = of_type(foundation_dev, "azure-native:containerservice:ManagedCluster")
    assigned = {
        r["urn"].rsplit("-access-", 1)[-1]: r["inputs"]
        for r in of_type(foundation_dev, "azure-native:authorization:RoleAssignment")
        if "-access-" in r["urn"]
    }
    assert assigned["ml-engineer-edit"]["roleDefinitionId"].endswith("a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb")
    assert assigned["platform-admin-admin"]["roleDefinitionId"].endswith("b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b")
    assert assigned["read-only-view"]["roleDefinitionId"].endswith("7f6c6a51-bcf8-42ba-9220-52d62157d7db")
    assert assigned["ml-engineer-user"]["roleDefinitionId"].endswith("4abbcc35-e782-43d8-92c5-2d3f1bd2253f")
    assert all(a["scope"] == aks["id"] and a["principalType"] == "Group" for a in assigned.values())
    # a role without a kubernetes grant gets nothing
    assert not any(k.startswith(("data-scientist", "network-admin")) for k in assigned)


def test_report_lists_the_gpu_quotas(foundation_dev: Planned) -> None:
    assert "## GPU quotas at max_nodes" in foundation_dev.report
    assert "`PREEMPTIBLE_NVIDIA_H100_GPUS`" in foundation_dev.report and "32 GPUs" in foundation_dev.report


def test_azure_data_roles_exclude_the_audit_accounts(foundation_dev: Planned) -> None:
    audit = sorted(r["inputs"]["accountName"] for r in of_type(foundation_dev, "azure-native:storage:StorageAccount"))
    assert len(audit) == 3  # the Activity Log archive and each region's flow logs
    blob = [
        r["inputs"]
        for r in of_type(foundation_dev, "azure-native:authorization:RoleAssignment")
        if r["inputs"]["roleDefinitionId"].endswith("ba92f5b4-2d11-453d-a403-e96b0029c9fe")
        and r["inputs"]["scope"] == "/subscriptions/00000000-0000-0000-0000-000000000000"
    ]
    assert blob, "the example's data-write role holds Storage Blob Data Contributor at subscription scope"
    for a in blob:
        assert a["conditionVersion"] == "2.0"
        for name in audit:
            assert f"@Resource[Microsoft.Storage/storageAccounts:name] StringNotEquals '{name}'" in a["condition"]
        assert "blobs/write'}" in a["condition"] and "blobs/delete'}" in a["condition"]
    others = [
        r["inputs"]
        for r in of_type(foundation_dev, "azure-native:authorization:RoleAssignment")
        if r["inputs"]["roleDefinitionId"].endswith("acdd72a7-3385-48ef-bd42-f606fba81ae7")
    ]  # Reader
    assert others and all("condition" not in a for a in others)


def test_the_cutover_adopts_the_source_record(wave_1: Planned) -> None:
    records = {r["inputs"]["setIdentifier"]: r["inputs"] for r in of_type(wave_1, "aws:route53/record:Record")}
    assert records["source"]["allowOverwrite"] is True  # the record the runbook converted is adopted
    assert records["target"]["allowOverwrite"] is False  # the target record is always new
