"""The `deploy-` family: violating and compliant graphs per cloud, and `lz check` naming the rule."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from lz.cli import main
from lz.core.graph import Resource
from lz.policies import deploy
from lz.review.evaluate import PolicySettings, evaluate

from ._graph import STACK, aws_provider, azure_provider, gcp_provider, resource


def after(r: Resource, *deps: Resource) -> Resource:
    """`r` with `depends_on` the given resources."""
    return replace(r, dependencies=sorted({*r.dependencies, *(d.urn for d in deps)}))


def findings(resources: list[Resource], policy: Any, **config: Any) -> list[tuple[str, str]]:
    settings = PolicySettings(config={policy.name: config} if config else {})
    ev = evaluate(resources, [policy], settings)
    return [(f.urn.rsplit("::", 1)[-1], f.message) for f in ev.findings]


def names(resources: list[Resource], policy: Any, **config: Any) -> list[str]:
    return [n for n, _ in findings(resources, policy, **config)]


# --- deploy-names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "inputs", "bad", "rule"),
    [
        ("azure-native:datafactory:LinkedService", {"linkedServiceName": "wave-1-source"}, True, "adf-linked-service"),
        ("azure-native:datafactory:LinkedService", {"linkedServiceName": "wave_1_source"}, False, ""),
        ("azure-native:datafactory:Dataset", {"datasetName": "wave-1-target"}, True, "adf-dataset"),
        ("azure-native:datafactory:Dataset", {"datasetName": "wave_1_target"}, False, ""),
        ("azure-native:datafactory:Factory", {"factoryName": "adf--acme"}, True, "adf-factory"),
        ("azure-native:storage:StorageAccount", {"accountName": "st-acme-dev"}, True, "azure-storage-account"),
        (
            "azure-native:storage:StorageAccount",
            {"accountName": "stacmedevlogs" + "x" * 12},
            True,
            "azure-storage-account",
        ),
        ("azure-native:storage:StorageAccount", {"accountName": "stacmedevlogs"}, False, ""),
        ("azure-native:keyvault:Vault", {"vaultName": "kv-acme--dev"}, True, "azure-key-vault"),
        ("azure-native:keyvault:Vault", {"vaultName": "kv-acme-dev-weu"}, False, ""),
        ("azure-native:containerservice:AgentPool", {"agentPoolName": "a100-pool"}, True, "aks-agent-pool"),
        ("azure-native:containerservice:AgentPool", {"agentPoolName": "a100"}, False, ""),
        (
            "azure-native:cognitiveservices:Account",
            {"accountName": "acme-dev-weu-openai-"},
            True,
            "azure-cognitive-account",
        ),
        ("azure-native:cognitiveservices:Account", {"accountName": "acme-dev-weu-openai"}, False, ""),
        (
            "gcp:serviceaccount/account:Account",
            {"accountId": "acme-dev-europe-west4-gpu-nodes"},
            True,
            "gcp-service-account",
        ),
        ("gcp:serviceaccount/account:Account", {"accountId": "Nodes"}, True, "gcp-service-account"),
        ("gcp:serviceaccount/account:Account", {"accountId": "acme-dev-euw4-nodes"}, False, ""),
        ("gcp:projects/iAMCustomRole:IAMCustomRole", {"roleId": "acme-dev-reader"}, True, "gcp-custom-role"),
        ("gcp:projects/iAMCustomRole:IAMCustomRole", {"roleId": "acme_dev_reader"}, False, ""),
        (
            "gcp:container/cluster:Cluster",
            {"name": "acme-dev-europe-west4-gpu-cluster-for-training"},
            True,
            "gke-cluster",
        ),
        ("gcp:container/cluster:Cluster", {"name": "acme-dev-euw4-gpu"}, False, ""),
        ("aws:s3/bucket:Bucket", {"bucket": "Acme_Dev_Trail"}, True, "s3-bucket"),
        ("aws:s3/bucket:Bucket", {"bucket": "acme-dev-trail"}, False, ""),
        ("aws:iam/role:Role", {"name": "r" * 65}, True, "iam-role"),
        ("aws:iam/role:Role", {"name": "acme-dev-eks-nodes"}, False, ""),
        ("aws:kms/alias:Alias", {"name": "alias/aws/acme"}, True, "kms-alias"),
        ("aws:kms/alias:Alias", {"name": "alias/acme-dev-euw1"}, False, ""),
        ("azure-native:containerregistry:Registry", {"registryName": "acr-acme-dev"}, True, "acr-registry"),
        ("azure-native:containerregistry:Registry", {"registryName": "acracmedevweu"}, False, ""),
        ("azure-native:containerregistry:CacheRule", {"cacheRuleName": "c"}, True, "acr-cache-rule"),
        ("azure-native:containerregistry:CacheRule", {"cacheRuleName": "cache-docker-hub-otel"}, False, ""),
        (
            "aws:ecr/pullThroughCacheRule:PullThroughCacheRule",
            {"ecrRepositoryPrefix": "Docker_Hub"},
            True,
            "ecr-pull-through-cache-prefix",
        ),
        ("aws:ecr/pullThroughCacheRule:PullThroughCacheRule", {"ecrRepositoryPrefix": "docker-hub"}, False, ""),
        (
            "gcp:artifactregistry/repository:Repository",
            {"repositoryId": "1-docker-hub"},
            True,
            "artifact-registry-repository",
        ),
        ("gcp:artifactregistry/repository:Repository", {"repositoryId": "acme-dev-docker-hub"}, False, ""),
        ("aws:secretsmanager/secret:Secret", {"name": "ecr pull through"}, True, "secrets-manager-secret"),
        ("aws:secretsmanager/secret:Secret", {"name": "ecr-pullthroughcache/acme-dev-docker-hub"}, False, ""),
    ],
)
def test_names(type_: str, inputs: dict[str, Any], bad: bool, rule: str) -> None:
    found = findings([resource(type_, "r", inputs)], deploy.deploy_names)
    if bad:
        assert len(found) == 1 and f"the {rule} naming rule" in found[0][1] and "Source: https://" in found[0][1]
    else:
        assert found == []


def test_names_unknown_is_undecided_not_a_violation() -> None:
    from ._graph import UNKNOWN

    ev = evaluate(
        [resource("azure-native:datafactory:Dataset", "d", {"datasetName": UNKNOWN})],
        [deploy.deploy_names],
        PolicySettings(),
    )
    assert ev.findings == [] and [u.policy for u in ev.undecided] == ["deploy-names"]


# --- deploy-api-enabled-first ----------------------------------------------------------------------


def gke(*deps: Resource) -> Resource:
    return after(resource("gcp:container/cluster:Cluster", "gke", {"name": "gke"}, provider=gcp_provider()), *deps)


API_CONTAINER = resource(
    "gcp:projects/service:Service", "api-container", {"project": "acme", "service": "container.googleapis.com"}
)
API_IAM = resource("gcp:projects/service:Service", "api-iam", {"project": "acme", "service": "iam.googleapis.com"})


def test_gke_without_its_api_dependency() -> None:
    found = findings([gcp_provider(), API_CONTAINER, gke()], deploy.deploy_api_enabled_first)
    assert [n for n, _ in found] == ["gke"]
    assert "container.googleapis.com" in found[0][1] and "api-container" in found[0][1]


def test_gke_with_its_api_directly_or_transitively() -> None:
    sa = after(
        resource("gcp:serviceaccount/account:Account", "nodes", {"accountId": "acme-nodes"}), API_IAM, API_CONTAINER
    )
    assert (
        findings([gcp_provider(), API_CONTAINER, API_IAM, gke(API_CONTAINER), sa], deploy.deploy_api_enabled_first)
        == []
    )
    # through the service account, which waits for the API
    assert findings([gcp_provider(), API_CONTAINER, API_IAM, gke(sa), sa], deploy.deploy_api_enabled_first) == []


def test_api_missing_from_the_graph_unless_declared_outside() -> None:
    role = resource("gcp:projects/iAMCustomRole:IAMCustomRole", "role", {"roleId": "reader"})
    compute = resource("gcp:projects/service:Service", "api-compute", {"service": "compute.googleapis.com"})
    found = findings([compute, role], deploy.deploy_api_enabled_first)
    assert names([compute, role], deploy.deploy_api_enabled_first) == ["role"]
    assert "nothing in the graph enables" in found[0][1]
    assert findings([compute, role], deploy.deploy_api_enabled_first, apisEnabledOutside=["iam.googleapis.com"]) == []


def test_a_graph_that_enables_no_api_leaves_them_to_whoever_manages_them() -> None:
    # Another program's graph (a platform team enables the project's APIs): nothing here races them.
    role = resource("gcp:projects/iAMCustomRole:IAMCustomRole", "role", {"roleId": "reader"})
    assert findings([role], deploy.deploy_api_enabled_first) == []


def test_a_graph_that_creates_its_project_owns_its_apis() -> None:
    project = resource("gcp:organizations/project:Project", "proj", {"projectId": "acme-logs"})
    role = resource("gcp:projects/iAMCustomRole:IAMCustomRole", "role", {"roleId": "reader"})
    assert names([project, role], deploy.deploy_api_enabled_first) == ["role"]


def test_other_clouds_need_no_api() -> None:
    assert (
        findings([resource("aws:eks/cluster:Cluster", "eks", {"name": "eks"})], deploy.deploy_api_enabled_first) == []
    )


# --- deploy-service-agent-first --------------------------------------------------------------------

SQL_API = resource("gcp:projects/service:Service", "api-sqladmin", {"service": "sqladmin.googleapis.com"})
SQL_AGENT = after(
    resource("gcp:projects/serviceIdentity:ServiceIdentity", "sql-agent", {"service": "sqladmin.googleapis.com"}),
    SQL_API,
)
SQL_MEMBER = "serviceAccount:service-123@gcp-sa-cloud-sql.iam.gserviceaccount.com"


def key_grant(member: str, *deps: Resource) -> Resource:
    return after(
        resource(
            "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
            "grant",
            {"cryptoKeyId": "k", "role": "roles/cloudkms.cryptoKeyEncrypterDecrypter", "member": member},
        ),
        *deps,
    )


def test_cloud_sql_agent_needs_its_service_identity() -> None:
    # the API alone does not create the Cloud SQL agent
    found = findings([SQL_API, key_grant(SQL_MEMBER, SQL_API)], deploy.deploy_service_agent_first)
    assert [n for n, _ in found] == ["grant"] and "ServiceIdentity" in found[0][1]
    assert findings([SQL_API, SQL_AGENT, key_grant(SQL_MEMBER, SQL_AGENT)], deploy.deploy_service_agent_first) == []


def test_gke_agent_grant_waits_for_the_container_api() -> None:
    member = "serviceAccount:service-123@container-engine-robot.iam.gserviceaccount.com"
    assert names([API_CONTAINER, key_grant(member)], deploy.deploy_service_agent_first) == ["grant"]
    assert findings([API_CONTAINER, key_grant(member, API_CONTAINER)], deploy.deploy_service_agent_first) == []


def test_storage_transfer_agent_waits_for_its_api() -> None:
    api = resource("gcp:projects/service:Service", "api-sts", {"service": "storagetransfer.googleapis.com"})
    member = "serviceAccount:project-123@storage-transfer-service.iam.gserviceaccount.com"
    grant = resource(
        "gcp:storage/bucketIAMMember:BucketIAMMember",
        "sink",
        {"bucket": "b", "member": member, "role": "roles/storage.objectViewer"},
    )
    assert names([api, grant], deploy.deploy_service_agent_first) == ["sink"]
    assert findings([api, after(grant, api)], deploy.deploy_service_agent_first) == []


def test_ordinary_members_are_not_agents() -> None:
    grant = key_grant("serviceAccount:nodes@acme.iam.gserviceaccount.com")
    assert findings([grant], deploy.deploy_service_agent_first) == []


# --- deploy-prerequisite-first ---------------------------------------------------------------------

FEATURE = resource(
    "azure-native:features:SubscriptionFeatureRegistration",
    "eah",
    {"providerNamespace": "Microsoft.Compute", "featureName": "EncryptionAtHost"},
)


def test_aks_encryption_at_host_needs_the_feature_registration() -> None:
    p = azure_provider()
    aks = resource(
        "azure-native:containerservice:ManagedCluster",
        "aks",
        {"agentPoolProfiles": [{"name": "system", "enableEncryptionAtHost": True}]},
        provider=p,
    )
    pool = resource("azure-native:containerservice:AgentPool", "pool", {"enableEncryptionAtHost": True}, provider=p)
    assert sorted(names([p, FEATURE, aks, pool], deploy.deploy_prerequisite_first)) == ["aks", "pool"]
    assert findings([p, FEATURE, after(aks, FEATURE), after(pool, FEATURE)], deploy.deploy_prerequisite_first) == []
    plain = resource("azure-native:containerservice:AgentPool", "plain", {"enableEncryptionAtHost": False})
    assert findings([plain], deploy.deploy_prerequisite_first) == []


ASG_ROLE_ARN = "arn:aws:iam::111111111111:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"


def test_kms_grant_to_a_service_linked_role_needs_the_role() -> None:
    p = aws_provider()
    grant = resource("aws:kms/grant:Grant", "ebs", {"granteePrincipal": ASG_ROLE_ARN, "keyId": "k"}, provider=p)
    slr = resource(
        "aws:iam/serviceLinkedRole:ServiceLinkedRole",
        "asg-slr",
        {"awsServiceName": "autoscaling.amazonaws.com"},
        provider=p,
    )
    found = findings([p, grant], deploy.deploy_prerequisite_first)
    assert [n for n, _ in found] == ["ebs"] and "AWSServiceRoleForAutoScaling" in found[0][1]
    assert findings([p, slr, after(grant, slr)], deploy.deploy_prerequisite_first) == []
    ordinary = resource(
        "aws:kms/grant:Grant",
        "ordinary",
        {"granteePrincipal": "arn:aws:iam::111111111111:role/nodes", "keyId": "k"},
        provider=p,
    )
    assert findings([p, ordinary], deploy.deploy_prerequisite_first) == []


# --- deploy-no-cloud-singletons --------------------------------------------------------------------


def test_network_watcher_is_referenced_not_created() -> None:
    p = azure_provider()
    rg = resource(
        "azure-native:resources:ResourceGroup", "nw-rg", {"resourceGroupName": "NetworkWatcherRG"}, provider=p
    )
    nw = resource(
        "azure-native:network:NetworkWatcher",
        "nw",
        {"networkWatcherName": "NetworkWatcher_westeurope", "resourceGroupName": "NetworkWatcherRG"},
        provider=p,
    )
    found = findings([p, rg, nw], deploy.deploy_no_cloud_singletons)
    assert sorted(n for n, _ in found) == ["nw", "nw-rg"]
    assert all("network-watcher-create" in m for _, m in found)
    flow_log = resource(
        "azure-native:network:FlowLog",
        "fl",
        {"networkWatcherName": "NetworkWatcher_westeurope", "resourceGroupName": "NetworkWatcherRG"},
        provider=p,
    )
    own_rg = resource("azure-native:resources:ResourceGroup", "rg", {"resourceGroupName": "rg-acme"}, provider=p)
    assert findings([p, flow_log, own_rg], deploy.deploy_no_cloud_singletons) == []


def test_one_per_scope_resources_appear_once() -> None:
    p = aws_provider()
    one = resource(
        "aws:iam/serviceLinkedRole:ServiceLinkedRole",
        "slr-1",
        {"awsServiceName": "autoscaling.amazonaws.com"},
        provider=p,
    )
    two = resource(
        "aws:iam/serviceLinkedRole:ServiceLinkedRole",
        "slr-2",
        {"awsServiceName": "autoscaling.amazonaws.com"},
        provider=p,
    )
    other = resource(
        "aws:iam/serviceLinkedRole:ServiceLinkedRole", "slr-3", {"awsServiceName": "eks.amazonaws.com"}, provider=p
    )
    assert names([p, one, two, other], deploy.deploy_no_cloud_singletons) == ["slr-2"]
    assert findings([p, one, other], deploy.deploy_no_cloud_singletons) == []
    g = gcp_provider()
    assert (
        findings(
            [g, resource("gcp:compute/network:Network", "vpc", {"name": "vpc"}, provider=g)],
            deploy.deploy_no_cloud_singletons,
        )
        == []
    )


# --- deploy-unique-global-names --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "prop", "a", "b"),
    [
        ("aws:s3/bucket:Bucket", "bucket", "acme-dev-logs", "acme-dev-logs"),
        ("gcp:storage/bucket:Bucket", "name", "acme-dev-logs", "acme-dev-logs"),
        ("azure-native:storage:StorageAccount", "accountName", "stacmelogs", "stacmelogs"),
        ("azure-native:keyvault:Vault", "vaultName", "kv-acme", "KV-ACME"),
        ("azure-native:containerregistry:Registry", "registryName", "acracme", "ACRACME"),
    ],
)
def test_global_names_collide(type_: str, prop: str, a: str, b: str) -> None:
    first = resource(type_, "first", {prop: a})
    second = resource(type_, "second", {prop: b})
    assert names([first, second], deploy.deploy_unique_global_names) == ["second"]
    third = resource(type_, "third", {prop: a + "2"})
    assert findings([first, third], deploy.deploy_unique_global_names) == []


# --- lz check --------------------------------------------------------------------------------------


def _export(resources: list[Resource]) -> dict[str, Any]:
    stack = {"urn": f"{STACK}pulumi:pulumi:Stack::lz-test-dev", "type": "pulumi:pulumi:Stack", "custom": False}
    out = [stack]
    for r in resources:
        out.append(
            {
                "urn": r.urn,
                "type": r.type,
                "custom": True,
                "inputs": r.inputs,
                "dependencies": r.dependencies,
                "provider": r.provider,
                "id": r.id,
            }
            if r.type.startswith("pulumi:providers:")
            else {
                "urn": r.urn,
                "type": r.type,
                "custom": True,
                "inputs": r.inputs,
                "dependencies": r.dependencies,
                "provider": r.provider,
            }
        )
    return {"version": 3, "deployment": {"manifest": {}, "resources": out}}


def test_lz_check_reports_each_as_a_mandatory_deploy_finding(tmp_path: Path) -> None:
    g, a = gcp_provider(), azure_provider()
    graph = [
        g,
        a,
        API_CONTAINER,
        gke(),
        resource(
            "azure-native:datafactory:LinkedService",
            "ls",
            {"linkedServiceName": "wave-1-src", "factoryName": "adf", "resourceGroupName": "rg"},
            provider=a,
        ),
        resource(
            "azure-native:network:NetworkWatcher",
            "nw",
            {"networkWatcherName": "NetworkWatcher_westeurope", "resourceGroupName": "NetworkWatcherRG"},
            provider=a,
        ),
    ]
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(_export(graph)))
    code = main(["check", str(path), "--out", str(tmp_path / "out"), "--no-checkov"])
    doc = json.loads((tmp_path / "out" / "findings.json").read_text())
    deploy_found = {
        (f["policy"], f["urn"].rsplit("::", 1)[-1]): f for f in doc["findings"] if f["policy"].startswith("deploy-")
    }
    assert code == 1
    assert set(deploy_found) == {
        ("deploy-api-enabled-first", "gke"),
        ("deploy-names", "ls"),
        ("deploy-no-cloud-singletons", "nw"),
    }
    assert all(f["enforcement"] == "mandatory" for f in deploy_found.values())
    assert "adf-linked-service naming rule" in deploy_found[("deploy-names", "ls")]["message"]
    assert "container.googleapis.com" in deploy_found[("deploy-api-enabled-first", "gke")]["message"]
    assert "Network Watcher" in deploy_found[("deploy-no-cloud-singletons", "nw")]["message"]


# --- deploy-cluster-access -------------------------------------------------------------------------


def test_eks_without_any_access_policy_association() -> None:
    p = aws_provider()
    eks = resource(
        "aws:eks/cluster:Cluster",
        "eks",
        {
            "name": "gpu",
            "accessConfig": {"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": False},
        },
        provider=p,
    )
    assoc = resource(
        "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
        "admin",
        {
            "clusterName": "gpu",
            "principalArn": "arn:aws:iam::111111111111:role/admins",
            "policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
            "accessScope": {"type": "cluster"},
        },
        provider=p,
    )
    found = findings([p, eks], deploy.deploy_cluster_access)
    assert [n for n, _ in found] == ["eks"] and "nobody can use the cluster" in found[0][1]
    assert findings([p, eks, assoc], deploy.deploy_cluster_access) == []
    bootstrap = resource(
        "aws:eks/cluster:Cluster",
        "boot",
        {"name": "b", "accessConfig": {"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": True}},
        provider=p,
    )
    assert findings([p, bootstrap], deploy.deploy_cluster_access) == []


def test_aks_without_any_aks_rbac_assignment() -> None:
    p = azure_provider()
    aks = resource(
        "azure-native:containerservice:ManagedCluster",
        "aks",
        {"resourceName": "gpu", "disableLocalAccounts": True, "aadProfile": {"managed": True, "enableAzureRBAC": True}},
        provider=p,
    )
    reader = "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/7f6c6a51-bcf8-42ba-9220-52d62157d7db"
    other = "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"

    def assignment(role: str) -> Resource:
        return resource(
            "azure-native:authorization:RoleAssignment",
            "ra",
            {
                "scope": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/gpu",
                "roleDefinitionId": role,
                "principalId": "g",
                "principalType": "Group",
            },
            provider=p,
            property_dependencies={"scope": [aks.urn]},
        )

    assert names([p, aks], deploy.deploy_cluster_access) == ["aks"]
    assert names([p, aks, assignment(other)], deploy.deploy_cluster_access) == ["aks"]
    assert findings([p, aks, assignment(reader)], deploy.deploy_cluster_access) == []
