"""Inventory of the GPU clusters and pools built from the example spec plus one GPU pool per cloud.

The example foundation (`stacks/Pulumi.foundation-dev.yaml`) with `WORKLOAD_POOLS` and `WORKLOAD_TELEMETRY`
added is planned once (`workloads_plan`, shared with tests/components/test_telemetry.py) in a throw-away
project; these tests read its graph: which resources the gpu stage creates and how many, and the values
that make the clusters private and their disks encrypted with the region's key, that pools get the
catalog's machine type, the GPU taint and labels, spot and scale-to-zero as asked, and that every cluster's
stack output carries the OpenTelemetry agent DaemonSet.

If the inventory changes on purpose, print the new one with `.venv/bin/python -m tests.components.test_gpu`.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from lz.core.graph import resources_from_graph
from lz.policies import encryption_clusters, network_clusters
from lz.review.evaluate import PolicySettings, evaluate
from tests.helpers import Planned, example_spec, foundation_config, make_project, plan

REGENERATE = ".venv/bin/python -m tests.components.test_gpu"
SCOPE = "lz:gpu:"

WORKLOAD_POOLS: list[dict[str, Any]] = [
    {
        "name": "a10g",
        "cloud": "aws",
        "region": "eu-west-1",
        "accelerator": "a10g",
        "gpus_per_node": 1,
        "min_nodes": 0,
        "max_nodes": 4,
        "spot": True,
        "zones": ["eu-west-1a", "eu-west-1b"],
    },
    {
        "name": "h100",
        "cloud": "gcp",
        "region": "europe-west4",
        "accelerator": "h100",
        "gpus_per_node": 8,
        "min_nodes": 0,
        "max_nodes": 4,
        "spot": True,
        "zones": ["europe-west4-b", "europe-west4-c"],
        "gpu_driver_version": "LATEST",
    },
    {
        "name": "a100",
        "cloud": "azure",
        "region": "westeurope",
        "accelerator": "a100-80gb",
        "gpus_per_node": 1,
        "min_nodes": 1,
        "max_nodes": 2,
    },
    {
        "name": "t4",
        "cloud": "azure",
        "region": "westeurope",
        "accelerator": "t4",
        "gpus_per_node": 1,
        "min_nodes": 0,
        "max_nodes": 3,
        "spot": True,
    },
]
WORKLOAD_TELEMETRY: dict[str, Any] = {
    "enabled": True,
    "endpoint": "https://otlp.acme.example:4317",
    "protocol": "grpc",
    "sampling_ratio": 0.2,
    "headers": {"authorization": "otlpAuthorization"},
    "native": ["aws", "azure"],
}

INVENTORY: dict[str, int] = {
    "aws:cloudwatch/logGroup:LogGroup": 1,
    "aws:ec2/launchTemplate:LaunchTemplate": 2,
    "aws:ec2/securityGroup:SecurityGroup": 1,
    "aws:eks/accessEntry:AccessEntry": 4,
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": 4,
    "aws:eks/cluster:Cluster": 1,
    "aws:eks/nodeGroup:NodeGroup": 2,
    "aws:iam/role:Role": 2,
    "aws:iam/rolePolicy:RolePolicy": 1,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 4,
    "aws:kms/grant:Grant": 1,
    "azure-native:authorization:RoleAssignment": 11,
    "azure-native:compute:DiskEncryptionSet": 1,
    "azure-native:containerservice:AgentPool": 2,
    "azure-native:containerservice:ManagedCluster": 1,
    "azure-native:managedidentity:UserAssignedIdentity": 1,
    "azure-native:resources:ResourceGroup": 1,
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": 1,
    "gcp:container/cluster:Cluster": 1,
    "gcp:container/nodePool:NodePool": 2,
    "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": 1,
    "gcp:projects/iAMMember:IAMMember": 2,
    "gcp:serviceaccount/account:Account": 1,
}
COMPONENTS: dict[str, int] = {
    "lz:gpu:AwsGpuCluster": 1,
    "lz:gpu:AwsGpuPool": 2,
    "lz:gpu:GcpGpuCluster": 1,
    "lz:gpu:GcpGpuPool": 2,
    "lz:gpu:AzureGpuCluster": 1,
    "lz:gpu:AzureGpuPool": 2,
}


@cache
def workloads_plan() -> Planned:
    """The example plus GPU pools and telemetry, planned once per test session."""
    spec = example_spec()
    spec["gpu_pools"] = WORKLOAD_POOLS
    spec["telemetry"] = WORKLOAD_TELEMETRY
    # The egress firewall lets the collectors reach their endpoint only when it is allow-listed
    # (network-workload-reachability fails the plan otherwise).
    spec["egress"] = {**spec["egress"], "allow": [*spec["egress"]["allow"], "otlp.acme.example"]}
    # Secure values cannot be decrypted offline: the plan sees `[secret]`, marked secret, as under `pulumi up`.
    config = {**foundation_config(spec), "landing-zone:otlpAuthorization": {"secure": "v1:b2ZmbGluZQ=="}}
    root = Path(tempfile.mkdtemp(prefix="lz-workloads-"))
    project = make_project(root / "project", {"workloads": config})
    return plan("workloads", project=project, out=root / "out")


def in_scope(planned: Planned, scope: str) -> list[dict[str, Any]]:
    return [r for r in planned.resources if scope in r["urn"].split("::")[2]]


def inventory(planned: Planned, scope: str) -> tuple[dict[str, int], dict[str, int]]:
    scoped = in_scope(planned, scope)
    resources = Counter(r["type"] for r in scoped if r["custom"])
    components = Counter(r["type"] for r in scoped if not r["custom"])
    return dict(sorted(resources.items())), dict(sorted(components.items()))


def one(planned: Planned, type_: str, name_part: str) -> dict[str, Any]:
    matches = [r for r in planned.by_type(type_) if name_part in r["urn"].rsplit("::", 1)[-1]]
    assert len(matches) == 1, [r["urn"] for r in matches]
    return matches[0]


def stack_outputs(planned: Planned) -> dict[str, Any]:
    stack = next(r for r in planned.resources if r["type"] == "pulumi:pulumi:Stack")
    outputs: dict[str, Any] = stack.get("outputs", {})
    return outputs


def test_gpu_resources_pass_the_policy_gate() -> None:
    planned = workloads_plan()
    ours = [f for f in planned.mandatory() if f"${SCOPE}" in f["urn"]]
    assert ours == [], json.dumps(ours, indent=1)
    assert planned.findings["summary"]["policies"] > 0


def test_cluster_policies_pass_on_the_plan() -> None:
    """The cluster and collector policies, whether or not the pack lists them yet, find nothing to fix."""
    resources = resources_from_graph(workloads_plan().graph)
    evaluation = evaluate(resources, [*network_clusters.POLICIES, *encryption_clusters.POLICIES], PolicySettings())
    assert evaluation.policies_run == 4
    assert [(f.policy, f.urn, f.message) for f in evaluation.findings] == []
    assert evaluation.undecided == []


def test_inventory() -> None:
    resources, components = inventory(workloads_plan(), SCOPE)
    assert resources == INVENTORY, f"inventory changed; regenerate with {REGENERATE}"
    assert components == COMPONENTS


def test_eks_cluster_is_private_and_encrypted() -> None:
    planned = workloads_plan()
    cluster = one(planned, "aws:eks/cluster:Cluster", "eu-west-1")["inputs"]
    key = one(planned, "aws:kms/key:Key", "eu-west-1")
    key_arn = f"arn:aws:kms:eu-west-1:111111111111:key/{key['id']}"
    assert cluster["vpcConfig"]["endpointPublicAccess"] is False
    assert cluster["vpcConfig"]["endpointPrivateAccess"] is True
    assert cluster["encryptionConfig"] == {"provider": {"keyArn": key_arn}, "resources": ["secrets"]}
    assert set(cluster["enabledClusterLogTypes"]) == {"api", "audit", "authenticator", "controllerManager", "scheduler"}
    assert cluster["accessConfig"] == {"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": False}
    logs = one(planned, "aws:cloudwatch/logGroup:LogGroup", "control-plane-logs")["inputs"]
    assert logs["name"] == f"/aws/eks/{cluster['name']}/cluster" and logs["kmsKeyId"] == key_arn
    # Managed policies only on the cluster and node roles, and the pull-through cache's first pull
    # (registries.mirror), scoped to the cache's repositories.
    scoped = in_scope(planned, SCOPE)
    [inline] = [r for r in scoped if r["type"] == "aws:iam/rolePolicy:RolePolicy"]
    [statement] = json.loads(inline["inputs"]["policy"])["Statement"]
    assert statement["Action"] == ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"]
    assert all(arn.endswith(":repository/docker-hub/*") for arn in statement["Resource"])
    assert all(
        r["inputs"]["policyArn"].startswith("arn:aws:iam::aws:policy/")
        for r in scoped
        if r["type"] == "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
    )


def test_eks_gpu_node_group() -> None:
    planned = workloads_plan()
    group = one(planned, "aws:eks/nodeGroup:NodeGroup", "a10g")["inputs"]
    assert group["amiType"] == "AL2023_x86_64_NVIDIA" and group["capacityType"] == "SPOT"
    assert group["instanceTypes"] == ["g5.xlarge"]
    assert group["scalingConfig"] == {"desiredSize": 0, "minSize": 0, "maxSize": 4}
    assert group["taints"] == [{"key": "nvidia.com/gpu", "value": "present", "effect": "NO_SCHEDULE"}]
    assert group["labels"]["landing-zone/accelerator"] == "a10g"
    subnets = {r["id"]: r["inputs"]["availabilityZone"] for r in planned.by_type("aws:ec2/subnet:Subnet")}
    assert sorted(subnets[s] for s in group["subnetIds"]) == ["eu-west-1a", "eu-west-1b"]
    assert all(
        planned.named("aws:ec2/subnet:Subnet", r["urn"].rsplit("::", 1)[-1])["inputs"]["mapPublicIpOnLaunch"] is False
        for r in planned.by_type("aws:ec2/subnet:Subnet")
        if r["id"] in group["subnetIds"]
    )
    template = one(planned, "aws:ec2/launchTemplate:LaunchTemplate", "a10g")
    assert group["launchTemplate"]["id"] == template["id"]
    lt = template["inputs"]
    assert lt["metadataOptions"]["httpTokens"] == "required"
    assert lt["metadataOptions"]["httpPutResponseHopLimit"] in (1, 2)
    (root,) = lt["blockDeviceMappings"]
    key = one(planned, "aws:kms/key:Key", "eu-west-1")
    assert root["ebs"]["encrypted"] == "true" and root["ebs"]["kmsKeyId"].endswith(key["id"])
    assert "networkInterfaces" not in lt


def test_gke_cluster_is_private_with_cmek_secrets() -> None:
    planned = workloads_plan()
    cluster = one(planned, "gcp:container/cluster:Cluster", "europe-west4")["inputs"]
    key_id = one(planned, "gcp:kms/cryptoKey:CryptoKey", "europe-west4")["id"]
    private = cluster["privateClusterConfig"]
    assert private["enablePrivateNodes"] is True and private["enablePrivateEndpoint"] is True
    blocks = cluster["masterAuthorizedNetworksConfig"]["cidrBlocks"]
    # the GCP supernet, plus the other clouds' supernets the mesh routes in (private ranges only)
    assert blocks[0] == {"cidrBlock": "10.32.0.0/12", "displayName": "landing zone 10.32.0.0/12"}
    assert {b["cidrBlock"] for b in blocks} <= {"10.32.0.0/12", "10.16.0.0/12", "10.48.0.0/12"}
    assert cluster["databaseEncryption"] == {"state": "ENCRYPTED", "keyName": key_id}
    assert cluster["workloadIdentityConfig"] == {"workloadPool": "acme-ai-dev.svc.id.goog"}
    assert cluster["enableShieldedNodes"] is True and cluster["releaseChannel"] == {"channel": "REGULAR"}
    assert cluster["ipAllocationPolicy"] == {
        "clusterSecondaryRangeName": "pods",
        "servicesSecondaryRangeName": "services",
    }
    subnet = one(planned, "gcp:compute/subnetwork:Subnetwork", "europe-west4-subnet")
    assert cluster["subnetwork"] == subnet["id"]
    grant = one(planned, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "gke-agent-key")["inputs"]
    assert grant["cryptoKeyId"] == key_id and "@container-engine-robot.iam.gserviceaccount.com" in grant["member"]


def test_gke_gpu_node_pool() -> None:
    planned = workloads_plan()
    pool = one(planned, "gcp:container/nodePool:NodePool", "h100")["inputs"]
    config = pool["nodeConfig"]
    assert config["machineType"] == "a3-highgpu-8g" and config["spot"] is True
    assert config["guestAccelerators"] == [
        {"type": "nvidia-h100-80gb", "count": 8, "gpuDriverInstallationConfig": {"gpuDriverVersion": "LATEST"}}
    ]
    assert pool["autoscaling"]["totalMinNodeCount"] == 0 and pool["autoscaling"]["totalMaxNodeCount"] == 4
    assert pool["initialNodeCount"] == 0
    assert pool["nodeLocations"] == ["europe-west4-b", "europe-west4-c"]
    assert config["bootDiskKmsKey"] == one(planned, "gcp:kms/cryptoKey:CryptoKey", "europe-west4")["id"]
    assert config["taints"] == [{"key": "nvidia.com/gpu", "value": "present", "effect": "NO_SCHEDULE"}]
    assert config["labels"]["landing-zone/accelerator"] == "h100"
    assert config["serviceAccount"].startswith("acme-dev-euw4-gke-nodes@")
    assert pool["networkConfig"] == {"enablePrivateNodes": True}
    roles = sorted(
        r["inputs"]["role"] for r in in_scope(planned, SCOPE) if r["type"] == "gcp:projects/iAMMember:IAMMember"
    )
    assert roles == ["roles/artifactregistry.reader", "roles/container.defaultNodeServiceAccount"]


def test_aks_cluster_is_private_with_entra_id_and_disk_encryption_set() -> None:
    planned = workloads_plan()
    cluster = one(planned, "azure-native:containerservice:ManagedCluster", "westeurope")["inputs"]
    des = one(planned, "azure-native:compute:DiskEncryptionSet", "westeurope")
    key = one(planned, "azure-native:keyvault:Key", "westeurope")
    assert cluster["apiServerAccessProfile"]["enablePrivateCluster"] is True
    assert cluster["aadProfile"] == {"managed": True, "enableAzureRBAC": True}
    assert cluster["disableLocalAccounts"] is True
    assert cluster["diskEncryptionSetID"] == des["id"]
    assert (
        des["inputs"]["activeKey"]["keyUrl"] == f"https://{key['inputs']['vaultName']}.vault.azure.net/keys/"
        f"{key['inputs']['keyName']}"
    )
    assert des["inputs"]["rotationToLatestKeyVersionEnabled"] is True
    grant = one(planned, "azure-native:authorization:RoleAssignment", "des-crypto-user")["inputs"]
    assert grant["roleDefinitionId"].endswith("e147488a-f6f5-4113-8e2d-b22465e65bf6")  # Crypto Service Encryption User
    assert grant["scope"] == des["inputs"]["activeKey"]["sourceVault"]["id"]
    assert all(p["enableNodePublicIP"] is False and p["osDiskType"] == "Managed" for p in cluster["agentPoolProfiles"])


def test_aks_gpu_agent_pools() -> None:
    planned = workloads_plan()
    spot = one(planned, "azure-native:containerservice:AgentPool", "t4")["inputs"]
    regular = one(planned, "azure-native:containerservice:AgentPool", "a100")["inputs"]
    workload = one(planned, "azure-native:network:Subnet", "westeurope-snet-workload")["id"]
    assert spot["vmSize"] == "Standard_NC4as_T4_v3" and regular["vmSize"] == "Standard_NC24ads_A100_v4"
    assert spot["scaleSetPriority"] == "Spot" and spot["scaleSetEvictionPolicy"] == "Delete"
    assert regular["scaleSetPriority"] == "Regular" and "scaleSetEvictionPolicy" not in regular
    assert (spot["minCount"], spot["maxCount"], spot["count"]) == (0, 3, 0)
    assert (regular["minCount"], regular["maxCount"]) == (1, 2)
    for pool in (spot, regular):
        assert pool["enableAutoScaling"] is True and pool["enableNodePublicIP"] is False
        assert pool["osDiskType"] == "Managed" and pool["vnetSubnetID"] == workload
        assert "nvidia.com/gpu=present:NoSchedule" in pool["nodeTaints"]
    assert spot["nodeLabels"]["landing-zone/accelerator"] == "t4"


def test_every_cluster_outputs_its_agent_manifest() -> None:
    gpu = stack_outputs(workloads_plan())["foundation"]["gpu"]
    assert {cloud: sorted(regions) for cloud, regions in gpu.items()} == {
        "aws": ["eu-west-1"],
        "azure": ["westeurope"],
        "gcp": ["europe-west4"],
    }
    for cloud, regions in gpu.items():
        for region, cluster in regions.items():
            docs = list(yaml.safe_load_all(cluster["otel_agent_manifest"]))
            daemonset = docs[-1]
            assert daemonset["kind"] == "DaemonSet", (cloud, region)
            config = yaml.safe_load(docs[2]["data"]["collector.yaml"])
            attributes = {a["key"]: a["value"] for a in config["processors"]["resource"]["attributes"]}
            assert attributes["k8s.cluster.name"] == cluster["cluster_name"]
            assert attributes["cloud.region"] == region
    assert gpu["gcp"]["europe-west4"]["pools"]["h100"]["machine_type"] == "a3-highgpu-8g"


def test_resources_use_the_regions_provider_and_tags() -> None:
    planned = workloads_plan()
    for r in in_scope(planned, SCOPE):
        if not r["custom"]:
            continue
        assert r["provider"], r["urn"]
        if r["type"].startswith("aws:") and "tags" in r["inputs"]:
            assert r["inputs"]["tags"]["owner"] == "platform-team"


if __name__ == "__main__":
    found, comps = inventory(workloads_plan(), SCOPE)
    print(json.dumps({"INVENTORY": found, "COMPONENTS": comps}, indent=4))
