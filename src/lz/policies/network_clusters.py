"""`network-` policies for managed Kubernetes: private API endpoints, and nodes without public IPs.

`network-cluster-private-endpoint` (resource policy): the control plane is reachable only from
private networks.
- EKS (`aws:eks/cluster:Cluster`): `vpcConfig.endpointPublicAccess` false (the API's default is true)
  and `vpcConfig.endpointPrivateAccess` true (else nodes reach the API over the public endpoint).
- GKE (`gcp:container/cluster:Cluster`): `privateClusterConfig.enablePrivateEndpoint` true, or the
  IP endpoints disabled with a DNS endpoint that admits no external traffic.
- AKS (`azure-native:containerservice:ManagedCluster`): `apiServerAccessProfile.enablePrivateCluster` true.

`network-cluster-nodes-no-public-ip` (stack policy, so a node group can be judged by its subnets):
- EC2 launch templates request no public IP on any network interface;
- EKS managed node groups: no SSH `remoteAccess` open to the world (a key without source security
  groups), and none of their subnets (joined through the `subnetIds` property dependency) maps
  public IPs on launch;
- GKE: clusters use private nodes (`privateClusterConfig.enablePrivateNodes`), and no node pool
  turns them off (`networkConfig.enablePrivateNodes: false`);
- AKS: no agent pool, inline or separate, sets `enableNodePublicIP`.

Values unknown at preview are "cannot tell yet", never violations. What it deliberately does not do:
judge egress paths (NAT, load balancers), security group rules, or node images.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from ._support import Check, Outcome, Props, get, is_false, is_set, is_true, items, show

EKS_CLUSTER = "aws:eks/cluster:Cluster"
EKS_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
SUBNET = "aws:ec2/subnet:Subnet"
GKE_CLUSTER = "gcp:container/cluster:Cluster"
GKE_NODE_POOL = "gcp:container/nodePool:NodePool"
AKS_CLUSTER = "azure-native:containerservice:ManagedCluster"
AKS_AGENT_POOL = "azure-native:containerservice:AgentPool"


# --- private endpoints -------------------------------------------------------------------------


def _eks_endpoint(props: Props) -> list[str]:
    problems = []
    public = get(props, "vpcConfig.endpointPublicAccess")
    if not is_false(public):
        problems.append(
            f"`vpcConfig.endpointPublicAccess` must be false (it is {show(public)}"
            + (", which the EKS API takes as true)" if public is None else ")")
        )
    private = get(props, "vpcConfig.endpointPrivateAccess")
    if not is_true(private):
        problems.append(
            f"`vpcConfig.endpointPrivateAccess` must be true (it is {show(private)}): without it "
            "nodes and operators reach the API only over a public endpoint"
        )
    return problems


def _gke_endpoint(props: Props) -> list[str]:
    if is_true(get(props, "privateClusterConfig.enablePrivateEndpoint")):
        return []
    ip_enabled = get(props, "controlPlaneEndpointsConfig.ipEndpointsConfig.enabled")
    dns_external = get(props, "controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic")
    if is_false(ip_enabled) and not is_true(dns_external):
        return []  # DNS-based endpoint only, closed to traffic from outside Google Cloud networks
    return [
        "`privateClusterConfig.enablePrivateEndpoint` must be true (it is "
        f"{show(get(props, 'privateClusterConfig.enablePrivateEndpoint'))}), or the IP endpoints disabled "
        "(`controlPlaneEndpointsConfig.ipEndpointsConfig.enabled: false`) with a DNS endpoint that does not "
        "allow external traffic"
    ]


def _aks_endpoint(props: Props) -> list[str]:
    value = get(props, "apiServerAccessProfile.enablePrivateCluster")
    return (
        [] if is_true(value) else [f"`apiServerAccessProfile.enablePrivateCluster` must be true (it is {show(value)})"]
    )


ENDPOINTS: dict[str, Check] = {EKS_CLUSTER: _eks_endpoint, GKE_CLUSTER: _gke_endpoint, AKS_CLUSTER: _aks_endpoint}


def _validate_endpoint(args: ResourceValidationArgs, report: ReportViolation) -> None:
    check = ENDPOINTS.get(args.resource_type)
    if check is None:
        return
    outcome = Outcome()
    outcome.run(check, args.props)
    outcome.finish(report)


network_cluster_private_endpoint = ResourceValidationPolicy(
    name="network-cluster-private-endpoint",
    description="Managed Kubernetes control planes (EKS, GKE, AKS) expose only a private API endpoint.",
    validate=_validate_endpoint,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="EKS: `vpcConfig: {endpointPrivateAccess: true, endpointPublicAccess: false}`. GKE: "
    "`privateClusterConfig: {enablePrivateNodes: true, enablePrivateEndpoint: true}` with master "
    "authorized networks. AKS: `apiServerAccessProfile.enablePrivateCluster: true`. Reach the API "
    "from inside the network (a bastion, a VPN, a CI runner in the VPC). Types: " + ", ".join(sorted(ENDPOINTS)),
)


# --- nodes without public IPs ------------------------------------------------------------------


def _launch_template(props: Props) -> list[str]:
    problems = []
    for i, nic in enumerate(items(get(props, "networkInterfaces"))):
        if is_true(get(nic, "associatePublicIpAddress")):
            problems.append(
                f"`networkInterfaces[{i}].associatePublicIpAddress` must not be true: nodes launched "
                "from this template get a public IP"
            )
    return problems


def _node_group(props: Props) -> list[str]:
    access = get(props, "remoteAccess")
    if (
        isinstance(access, Mapping)
        and is_set(get(access, "ec2SshKey"))
        and not is_set(get(access, "sourceSecurityGroupIds"))
    ):
        return [
            "`remoteAccess` opens SSH to 0.0.0.0/0 (a key without `sourceSecurityGroupIds`): remove it, or "
            "name the security groups allowed to connect (prefer SSM Session Manager)"
        ]
    return []


def _gke_cluster(props: Props) -> list[str]:
    value = get(props, "privateClusterConfig.enablePrivateNodes")
    return (
        []
        if is_true(value)
        else [
            f"`privateClusterConfig.enablePrivateNodes` must be true (it is {show(value)}): without it every node "
            "gets an external IP"
        ]
    )


def _gke_node_pool(props: Props) -> list[str]:
    value = get(props, "networkConfig.enablePrivateNodes")
    return (
        []
        if not is_false(value)
        else [
            "`networkConfig.enablePrivateNodes` is false: this pool's nodes get external IPs although the cluster's "
            "are private; remove the override or set it to true"
        ]
    )


def _aks_profiles(props: Props, path: str) -> list[str]:
    return [
        f"`{path}[{i}].enableNodePublicIP` must not be true (pool {get(p, 'name')!r})"
        for i, p in enumerate(items(get(props, path)))
        if is_true(get(p, "enableNodePublicIP"))
    ]


def _aks_agent_pool(props: Props) -> list[str]:
    return (
        ["`enableNodePublicIP` must not be true: every node of this pool gets a public IP"]
        if is_true(get(props, "enableNodePublicIP"))
        else []
    )


NODES: dict[str, Check] = {
    LAUNCH_TEMPLATE: _launch_template,
    EKS_NODE_GROUP: _node_group,
    GKE_CLUSTER: _gke_cluster,
    GKE_NODE_POOL: _gke_node_pool,
    AKS_CLUSTER: lambda props: _aks_profiles(props, "agentPoolProfiles"),
    AKS_AGENT_POOL: _aks_agent_pool,
}


def _public_subnets(args: StackValidationArgs) -> tuple[dict[str, str], UnknownValueError | None]:
    """URN -> name of subnets that map public IPs on launch, and the first subnet setting that is unknown."""
    public: dict[str, str] = {}
    unknown: UnknownValueError | None = None
    for r in args.resources:
        if r.resource_type != SUBNET:
            continue
        try:
            if is_true(get(r.props, "mapPublicIpOnLaunch")):
                public[r.urn] = r.name
        except UnknownValueError as exc:
            unknown = unknown or exc
    return public, unknown


def _validate_nodes(args: StackValidationArgs, report: ReportViolation) -> None:
    public_subnets, subnets_unknown = _public_subnets(args)
    unknown: UnknownValueError | None = None
    for r in args.resources:
        check = NODES.get(r.resource_type)
        if check is None:
            continue
        outcome = Outcome()
        outcome.run(check, r.props)
        if r.resource_type == EKS_NODE_GROUP:
            linked = [d.urn for d in (r.property_dependencies or {}).get("subnetIds", [])]
            for urn in linked:
                if urn in public_subnets:
                    outcome.problems.append(
                        f"`subnetIds` includes subnet {public_subnets[urn]!r}, which maps a public IP to every "
                        "instance launched in it (`mapPublicIpOnLaunch: true`): use private subnets"
                    )
            if subnets_unknown is not None and linked and outcome.unknown is None:
                outcome.unknown = subnets_unknown  # an unreadable subnet may be the public one
        unknown = outcome.settle(report, r.urn) or unknown
    if unknown is not None:
        raise unknown


network_cluster_nodes_no_public_ip = StackValidationPolicy(
    name="network-cluster-nodes-no-public-ip",
    description="Kubernetes nodes (EKS node groups and their launch templates and subnets, GKE clusters and node "
    "pools, AKS agent pools) get no public IP addresses.",
    validate=_validate_nodes,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="EKS: launch templates without `associatePublicIpAddress: true`, node groups in subnets with "
    "`mapPublicIpOnLaunch: false` and no world-open `remoteAccess`. GKE: "
    "`privateClusterConfig.enablePrivateNodes: true` and no node pool with "
    "`networkConfig.enablePrivateNodes: false`. AKS: `enableNodePublicIP: false` on every agent "
    "pool. Give nodes egress through NAT or a firewall instead. Types: " + ", ".join(sorted({*NODES, SUBNET})),
)

POLICIES: list[Any] = [network_cluster_private_endpoint, network_cluster_nodes_no_public_ip]
