"""Whether the GPU clusters reach their cloud's managed AI service privately (part of the reachability analysis).

Called by `lz.policies.reachability.analyse` on the same graph. A cloud "holds" an AI service when
the graph has one: an interface endpoint for Bedrock (`com.amazonaws.<region>.bedrock-runtime`), the
Vertex AI API (`aiplatform.googleapis.com` enabled on a project), an Azure OpenAI account (a
Cognitive Services account of kind `OpenAI`). Then every GPU cluster of that cloud must reach it
without the internet:

* EKS node groups: an interface endpoint `com.amazonaws.<region>.bedrock-runtime` with private
  DNS in each node subnet's VPC. Without private DNS, `bedrock-runtime.<region>.amazonaws.com`
  resolves to public addresses and calls leave through NAT, if at all ("Use interface VPC endpoints
  (AWS PrivateLink)", docs.aws.amazon.com/bedrock/latest/userguide/vpc-interface-endpoints.html,
  read 2026-12-05).
* GKE clusters: `<region>-aiplatform.googleapis.com` through Private Google Access: the subnet has
  it on, and either the VPC keeps a default route to the internet gateway (Google API traffic then
  stays on Google's network) or a private zone on the VPC answers the name (an exact record or a
  wildcard) and the VPC routes the private.googleapis.com VIPs ("Configure Private Google Access",
  cloud.google.com/vpc/docs/configure-private-google-access, read 2026-12-05).
* AKS clusters: each OpenAI account has a private endpoint (group `account`) registered, through a
  private DNS zone group, in a `privatelink.openai.azure.com` zone linked to the VNet of the
  cluster's node subnets ("Azure Private Endpoint private DNS zone values", learn.microsoft.com/
  azure/private-link/private-endpoint-dns, read 2026-12-05). With public network access disabled
  there is no other way in; with it enabled, calls would cross the internet.

Not modelled: routes between peered VNets or VPCs (a cluster in one region reaching an endpoint in
another), network security groups, model deployments, or whether the callers hold a role.
"""

from __future__ import annotations

from . import reachability as r

AZ_ACCOUNT = "azure-native:cognitiveservices:Account"
AZ_ENDPOINT = "azure-native:network:PrivateEndpoint"
AZ_ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup"
AZ_ZONE_LINK = "azure-native:privatedns:VirtualNetworkLink"
GCP_SERVICE = "gcp:projects/service:Service"
GCP_RECORD = "gcp:dns/recordSet:RecordSet"
OPENAI_ZONE = "privatelink.openai.azure.com"
VERTEX_API = "aiplatform.googleapis.com"


def _bedrock(g: r.Graph) -> list[r.Finding]:
    endpoints = [e for e in g.of(r.AWS_ENDPOINT) if str(e.props.get("serviceName") or "").endswith(".bedrock-runtime")]
    if not endpoints:
        return []
    found: list[r.Finding] = []
    for ng in g.of(r.EKS_NODE_GROUP):
        region = ng.region or ""
        service = f"com.amazonaws.{region}.bedrock-runtime"
        failing: list[tuple[r.Node, str]] = []
        for subnet in g.linked(ng, "subnetIds", r.AWS_SUBNET):
            vpc = (subnet.deps.get("vpcId") or [""])[0]
            here = [
                e
                for e in endpoints
                if e.props.get("serviceName") == service
                and (e.deps.get("vpcId") or [""])[0] == vpc
                and (e.props.get("vpcEndpointType") or "Gateway") == "Interface"
            ]
            if not here:
                failing.append((subnet, f"no interface endpoint {service} in the subnet's VPC"))
            elif not any(e.props.get("privateDnsEnabled") is True for e in here):
                failing.append(
                    (
                        subnet,
                        f"interface endpoint {r._name(here[0].urn)} has private DNS off, so "
                        f"bedrock-runtime.{region}.amazonaws.com resolves to public addresses",
                    )
                )
        found += r._per_subnet(
            ng.urn,
            f"EKS node group {r._name(ng.urn)}",
            f"Amazon Bedrock (bedrock-runtime.{region}.amazonaws.com)",
            [(s, p) for s, p in failing],
        )
    return found


def zone_answers(g: r.Graph, zone: r.Node, host: str) -> bool:
    """Whether a Cloud DNS zone of the graph holds a record for `host` (exact, or a `*.` wildcard)."""
    for record in g.of(GCP_RECORD):
        if zone.urn not in record.deps.get("managedZone", []):
            continue
        name = str(record.props.get("name") or "").rstrip(".").lower()
        if name == host or (name.startswith("*.") and host.endswith(name[1:])):
            return True
    return False


def _vertex(g: r.Graph, gcp: r.Gcp) -> list[r.Finding]:
    if not any(s.props.get("service") == VERTEX_API for s in g.of(GCP_SERVICE)):
        return []
    found: list[r.Finding] = []
    for cluster in g.of(r.GKE_CLUSTER):
        networks = g.linked(cluster, "network", r.GCP_NETWORK)
        subnets = g.linked(cluster, "subnetwork", r.GCP_SUBNET)
        if not networks:
            continue
        network = networks[0].urn
        location = str(cluster.props.get("location") or "")
        region = location if location.count("-") == 1 else location.rsplit("-", 1)[0]
        host = f"{region}-aiplatform.googleapis.com"
        problem = None
        if not (subnets and subnets[0].props.get("privateIpGoogleAccess") is True):
            problem = "Private Google Access is off on the cluster's subnet"
        elif not gcp.default_route(network):
            zones = [
                z
                for z in g.of(r.GCP_ZONE)
                if z.props.get("visibility") == "private"
                and not z.props.get("forwardingConfig")
                and network in z.deps.get("privateVisibilityConfig", [])
                and host.endswith("." + str(z.props.get("dnsName") or "").rstrip(".").lower())
            ]
            if not any(zone_answers(g, z, host) for z in zones):
                problem = (
                    f"no private zone on VPC {r._name(network)} answers {host} (a googleapis.com zone with "
                    "a *.googleapis.com record), and the VPC has no default route to the internet gateway"
                )
            elif not gcp.vip_route(network):
                problem = f"VPC {r._name(network)} has no route to the private.googleapis.com VIPs"
        if problem:
            found.append(r.Finding(cluster.urn, f"GKE cluster {r._name(cluster.urn)}", f"Vertex AI ({host})", problem))
    return found


def _vnet_of(g: r.Graph, subnet: r.Node) -> str | None:
    vnets = subnet.deps.get("virtualNetworkName") or []
    return vnets[0] if vnets else None


def _openai(g: r.Graph) -> list[r.Finding]:
    accounts = [a for a in g.of(AZ_ACCOUNT) if str(a.props.get("kind") or "").lower() == "openai"]
    if not accounts:
        return []
    zones = {
        z.urn for z in g.of(r.AZ_ZONE) if str(z.props.get("privateZoneName") or "").rstrip(".").lower() == OPENAI_ZONE
    }
    linked: dict[str, set[str]] = {}  # zone -> VNets it is linked to
    for link in g.of(AZ_ZONE_LINK):
        for zone in link.deps.get("privateZoneName", []):
            if zone in zones:
                linked.setdefault(zone, set()).update(link.deps.get("virtualNetwork", []))
    registered: dict[str, set[str]] = {}  # endpoint -> OpenAI zones it is registered in
    for group in g.of(AZ_ZONE_GROUP):
        for endpoint in group.deps.get("privateEndpointName", []):
            registered.setdefault(endpoint, set()).update(set(group.deps.get("privateDnsZoneConfigs", [])) & zones)
    endpoints: dict[str, list[r.Node]] = {}  # account -> its private endpoints
    for e in g.of(AZ_ENDPOINT):
        for target in e.deps.get("privateLinkServiceConnections", []):
            endpoints.setdefault(target, []).append(e)
    found: list[r.Finding] = []
    for cluster in g.of(r.AKS):
        vnets = {v for s in g.linked(cluster, "agentPoolProfiles", r.AZ_SUBNET) if (v := _vnet_of(g, s))}
        for account in accounts:
            public = _public(account)
            own = endpoints.get(account.urn, [])
            problem = None
            if not own:
                problem = "the account has no private endpoint" + (
                    "; its public network access is disabled, so nothing reaches it" if not public else ""
                )
            else:
                zones_of = set().union(*(registered.get(e.urn, set()) for e in own))
                if not zones_of:
                    problem = (
                        f"private endpoint {r._name(own[0].urn)} is registered in no {OPENAI_ZONE} zone, so "
                        f"<subdomain>.openai.azure.com resolves to the public address"
                    )
                elif vnets and not any(vnets <= linked.get(z, set()) for z in zones_of):
                    problem = (
                        f"the {OPENAI_ZONE} zone holding the endpoint is not linked to the cluster's VNet, so "
                        "the name resolves to the public address there"
                    )
            if problem:
                found.append(
                    r.Finding(
                        cluster.urn,
                        f"AKS cluster {r._name(cluster.urn)}",
                        f"Azure OpenAI account {r._name(account.urn)}",
                        problem,
                    )
                )
    return found


def _public(account: r.Node) -> bool:
    props = account.props.get("properties") or {}
    return str(props.get("publicNetworkAccess") or "Enabled") != "Disabled"


def analyse(g: r.Graph) -> list[r.Finding]:
    """The missing private paths from GPU clusters to their cloud's AI service."""
    return _bedrock(g) + _vertex(g, r.Gcp(g)) + _openai(g)
