"""`network-cluster-*`: private API endpoints and nodes without public IPs, compliant and violating per cloud."""

from __future__ import annotations

from typing import Any

import pytest

from lz.core.graph import Resource
from lz.policies.network_clusters import network_cluster_nodes_no_public_ip, network_cluster_private_endpoint
from lz.review.evaluate import Evaluation, PolicySettings, evaluate

from ._graph import UNKNOWN, resource, urn

ENDPOINT = network_cluster_private_endpoint.name
NODES = network_cluster_nodes_no_public_ip.name


def run(resources: list[Resource], policy: Any) -> Evaluation:
    return evaluate(resources, [policy], PolicySettings())


def messages(ev: Evaluation, target: Resource | None = None) -> list[str]:
    return [f.message for f in ev.findings if target is None or f.urn == target.urn]


# (type, violating inputs, fragment, compliant inputs)
ENDPOINT_CASES: list[tuple[str, dict[str, Any], str, dict[str, Any]]] = [
    (
        "aws:eks/cluster:Cluster",
        {"vpcConfig": {"subnetIds": ["subnet-1"]}},
        "`vpcConfig.endpointPublicAccess` must be false (it is not set, which the EKS API takes as true)",
        {"vpcConfig": {"endpointPrivateAccess": True, "endpointPublicAccess": False}},
    ),
    (
        "aws:eks/cluster:Cluster",
        {"vpcConfig": {"endpointPrivateAccess": False, "endpointPublicAccess": False}},
        "`vpcConfig.endpointPrivateAccess` must be true",
        {"vpcConfig": {"endpointPrivateAccess": True, "endpointPublicAccess": False}},
    ),
    (
        "gcp:container/cluster:Cluster",
        {"privateClusterConfig": {"enablePrivateNodes": True}},
        "`privateClusterConfig.enablePrivateEndpoint` must be true",
        {"privateClusterConfig": {"enablePrivateNodes": True, "enablePrivateEndpoint": True}},
    ),
    (
        "gcp:container/cluster:Cluster",
        {
            "controlPlaneEndpointsConfig": {
                "ipEndpointsConfig": {"enabled": False},
                "dnsEndpointConfig": {"allowExternalTraffic": True},
            }
        },
        "DNS endpoint that does not allow external traffic",
        {
            "controlPlaneEndpointsConfig": {
                "ipEndpointsConfig": {"enabled": False},
                "dnsEndpointConfig": {"allowExternalTraffic": False},
            }
        },
    ),
    (
        "azure-native:containerservice:ManagedCluster",
        {"apiServerAccessProfile": {"enablePrivateCluster": False}},
        "`apiServerAccessProfile.enablePrivateCluster` must be true",
        {"apiServerAccessProfile": {"enablePrivateCluster": True}},
    ),
]


@pytest.mark.parametrize(
    ("type_", "bad", "fragment", "good"), ENDPOINT_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(ENDPOINT_CASES)]
)
def test_private_endpoint(type_: str, bad: dict[str, Any], fragment: str, good: dict[str, Any]) -> None:
    violating, compliant = resource(type_, "bad", bad), resource(type_, "good", good)
    ev = run([violating, compliant], network_cluster_private_endpoint)
    assert any(fragment in m for m in messages(ev, violating)), messages(ev)
    assert messages(ev, compliant) == []
    assert all(f.enforcement == "mandatory" for f in ev.findings)


def test_private_endpoint_unknown_is_undecided() -> None:
    cluster = resource(
        "aws:eks/cluster:Cluster", "c", {"vpcConfig": {"endpointPublicAccess": UNKNOWN, "endpointPrivateAccess": True}}
    )
    ev = run([cluster], network_cluster_private_endpoint)
    assert ev.findings == [] and [u.urn for u in ev.undecided] == [cluster.urn]


NODE_CASES: list[tuple[str, dict[str, Any], str, dict[str, Any]]] = [
    (
        "aws:ec2/launchTemplate:LaunchTemplate",
        {"networkInterfaces": [{"associatePublicIpAddress": "true"}]},
        "`networkInterfaces[0].associatePublicIpAddress` must not be true",
        {"networkInterfaces": [{"associatePublicIpAddress": "false"}]},
    ),
    (
        "aws:eks/nodeGroup:NodeGroup",
        {"remoteAccess": {"ec2SshKey": "ops"}},
        "opens SSH to 0.0.0.0/0",
        {"remoteAccess": {"ec2SshKey": "ops", "sourceSecurityGroupIds": ["sg-1"]}},
    ),
    (
        "gcp:container/cluster:Cluster",
        {"privateClusterConfig": {"enablePrivateEndpoint": True}},
        "`privateClusterConfig.enablePrivateNodes` must be true",
        {"privateClusterConfig": {"enablePrivateNodes": True}},
    ),
    (
        "gcp:container/nodePool:NodePool",
        {"networkConfig": {"enablePrivateNodes": False}},
        "`networkConfig.enablePrivateNodes` is false",
        {"networkConfig": {"enablePrivateNodes": True}},
    ),
    (
        "azure-native:containerservice:AgentPool",
        {"enableNodePublicIP": True},
        "`enableNodePublicIP` must not be true",
        {"enableNodePublicIP": False},
    ),
    (
        "azure-native:containerservice:ManagedCluster",
        {
            "agentPoolProfiles": [
                {"name": "system", "enableNodePublicIP": False},
                {"name": "gpu", "enableNodePublicIP": True},
            ]
        },
        "`agentPoolProfiles[1].enableNodePublicIP` must not be true (pool 'gpu')",
        {"agentPoolProfiles": [{"name": "system", "enableNodePublicIP": False}]},
    ),
]


@pytest.mark.parametrize(("type_", "bad", "fragment", "good"), NODE_CASES, ids=[c[0] for c in NODE_CASES])
def test_nodes_without_public_ips(type_: str, bad: dict[str, Any], fragment: str, good: dict[str, Any]) -> None:
    violating, compliant = resource(type_, "bad", bad), resource(type_, "good", good)
    ev = run([violating, compliant], network_cluster_nodes_no_public_ip)
    assert any(fragment in m for m in messages(ev, violating)), messages(ev)
    assert messages(ev, compliant) == []


def test_node_group_in_a_public_subnet() -> None:
    public = resource("aws:ec2/subnet:Subnet", "public-a", {"mapPublicIpOnLaunch": True})
    private = resource("aws:ec2/subnet:Subnet", "private-a", {"mapPublicIpOnLaunch": False})
    bad = resource(
        "aws:eks/nodeGroup:NodeGroup",
        "bad",
        {"subnetIds": ["subnet-1", "subnet-2"]},
        property_dependencies={"subnetIds": [private.urn, public.urn]},
    )
    good = resource(
        "aws:eks/nodeGroup:NodeGroup",
        "good",
        {"subnetIds": ["subnet-1"]},
        property_dependencies={"subnetIds": [private.urn]},
    )
    ev = run([public, private, bad, good], network_cluster_nodes_no_public_ip)
    assert messages(ev, bad) == [
        "`subnetIds` includes subnet 'public-a', which maps a public IP to every instance "
        "launched in it (`mapPublicIpOnLaunch: true`): use private subnets"
    ]
    assert messages(ev, good) == []


def test_unknown_subnet_setting_leaves_the_node_group_undecided() -> None:
    subnet = resource("aws:ec2/subnet:Subnet", "maybe", {"mapPublicIpOnLaunch": UNKNOWN})
    group = resource(
        "aws:eks/nodeGroup:NodeGroup",
        "g",
        {"subnetIds": ["subnet-1"]},
        property_dependencies={"subnetIds": [subnet.urn]},
    )
    ev = run([subnet, group], network_cluster_nodes_no_public_ip)
    assert ev.findings == [] and len(ev.undecided) == 1


def test_other_types_are_not_judged() -> None:
    bucket = Resource(urn=urn("aws:s3/bucket:Bucket", "b"), type="aws:s3/bucket:Bucket", custom=True, inputs={})
    assert run([bucket], network_cluster_nodes_no_public_ip).findings == []
    assert run([bucket], network_cluster_private_endpoint).findings == []
