"""A Mermaid flowchart of a landing zone's topology, for the pull-request report (GitHub renders it).

Drawn at the level a reviewer reads: clouds contain regions, regions contain networks (AWS VPC,
GCP network, Azure VNet) labelled with their address space and the Kubernetes clusters they hold.
Lines are the links between networks, with their tunnel counts, found in the graph's dependencies:
a VPN connection or tunnel joins the gateways it references, and each gateway is folded into its
network (a hub gateway is the network's through its own dependencies or an attachment; a peer
gateway — customer, external or local network gateway — stands for the other cloud's gateway).
Both clouds declare the same tunnels, so a link's count is the larger side's. A network with no
link is marked an island (dashed).

Deterministic (sorted by cloud, region, kind and URN; ids are positions, not hashes of memory) and
bounded: past `MAX_NODES` nodes each region collapses into one node that counts what it holds.

What it does not do: draw subnets, routes or security rules (the report's tables list them), or
lay out anything itself (Mermaid does).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from lz.core.graph import Resource

MAX_NODES = 60
MAX_HOPS = 3

NETWORKS = {
    "aws:ec2/vpc:Vpc": "VPC",
    "gcp:compute/network:Network": "VPC network",
    "azure-native:network:VirtualNetwork": "VNet",
}
GATEWAYS = {
    "aws:ec2transitgateway/transitGateway:TransitGateway": "Transit gateway",
    "aws:ec2/vpnGateway:VpnGateway": "VPN gateway",
    "aws:ec2/customerGateway:CustomerGateway": "Customer gateway",
    "aws:directconnect/gateway:Gateway": "Direct Connect gateway",
    "gcp:compute/haVpnGateway:HaVpnGateway": "HA VPN gateway",
    "gcp:compute/externalVpnGateway:ExternalVpnGateway": "External VPN gateway",
    "gcp:compute/vPNGateway:VPNGateway": "VPN gateway",
    "azure-native:network:VirtualNetworkGateway": "VPN gateway",
    "azure-native:network:LocalNetworkGateway": "Local network gateway",
    "azure-native:network:ExpressRouteCircuit": "ExpressRoute circuit",
}
PEERS = {
    "aws:ec2/customerGateway:CustomerGateway",
    "gcp:compute/externalVpnGateway:ExternalVpnGateway",
    "azure-native:network:LocalNetworkGateway",
}
CLUSTERS = {
    "aws:eks/cluster:Cluster": "EKS",
    "gcp:container/cluster:Cluster": "GKE",
    "azure-native:containerservice:ManagedCluster": "AKS",
}
NODE_POOLS = {
    "aws:eks/nodeGroup:NodeGroup",
    "gcp:container/nodePool:NodePool",
    "azure-native:containerservice:AgentPool",
}
LINKS = {
    "aws:ec2/vpnConnection:VpnConnection": "VPN",
    "gcp:compute/vPNTunnel:VPNTunnel": "VPN",
    "azure-native:network:VirtualNetworkGatewayConnection": "VPN",
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": "attachment",
    "aws:ec2transitgateway/peeringAttachment:PeeringAttachment": "TGW peering",
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection": "peering",
    "aws:ec2/vpnGatewayAttachment:VpnGatewayAttachment": "attachment",
    "gcp:compute/networkPeering:NetworkPeering": "peering",
    "azure-native:network:VirtualNetworkPeering": "peering",
    "aws:directconnect/gatewayAssociation:GatewayAssociation": "Direct Connect",
    "aws:directconnect/transitVirtualInterface:TransitVirtualInterface": "Direct Connect",
    "gcp:compute/interconnectAttachment:InterconnectAttachment": "Interconnect",
}
CLOUD_NAMES = {"aws": "AWS", "gcp": "Google Cloud", "azure-native": "Azure"}
_KIND_ORDER = {"network": 0, "gateway": 1, "peer": 2, "cluster": 3}
_SAFE_ID = re.compile(r"[^A-Za-z0-9_]")


@dataclass(frozen=True)
class _Node:
    urn: str
    cloud: str
    region: str
    kind: str
    label: str


def _esc(text: str) -> str:
    """Mermaid label text: quotes and angle brackets as entities, no line breaks."""
    return (
        text.replace("&", "#amp;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("\n", " ")
        .replace("|", "/")
    )


def _physical(r: Resource) -> str:
    for key in (
        "name",
        "bucket",
        "virtualNetworkName",
        "virtualNetworkGatewayName",
        "localNetworkGatewayName",
        "resourceName",
        "description",
    ):
        value = r.inputs.get(key)
        if isinstance(value, str) and value:
            return value if key != "description" else r.name
    tags = r.inputs.get("tags")
    if isinstance(tags, dict) and isinstance(tags.get("Name"), str):
        return str(tags["Name"])
    return r.name


def region_of(r: Resource, providers: dict[str, dict[str, Any]]) -> str:
    """Where a resource lives: its own region/location/zone, else (AWS) its provider's region, else `global`."""
    inputs = r.inputs
    if r.package == "azure-native":
        return str(inputs.get("location") or "unplaced")
    for key in ("region", "location"):
        if isinstance(inputs.get(key), str) and inputs[key]:
            return str(inputs[key])
    zone = inputs.get("zone") or inputs.get("availabilityZone")
    if isinstance(zone, str) and zone:
        return zone[:-2] if r.package == "gcp" else zone[:-1]
    settings = providers.get(r.provider_urn, {})
    if r.package == "aws" and isinstance(settings.get("region"), str):
        return str(settings["region"])
    return "global"


def _label(r: Resource, title: str, pools: int) -> str:
    parts = [f"{title} {_physical(r)}"]
    cidr = r.inputs.get("cidrBlock")
    space = r.inputs.get("addressSpace")
    if isinstance(cidr, str):
        parts.append(cidr)
    elif isinstance(space, dict) and isinstance(space.get("addressPrefixes"), list):
        parts.append(", ".join(str(p) for p in space["addressPrefixes"]))
    if r.type in CLUSTERS and pools:
        parts.append(f"{pools} node pool(s)")
    return "<br/>".join(_esc(p) for p in parts)


def _deps(r: Resource) -> list[str]:
    out = list(r.dependencies)
    for urns in r.property_dependencies.values():
        out.extend(urns)
    return sorted(set(out))


# Tunnels per link resource: an AWS Site-to-Site VPN connection has two tunnels ("Tunnel options for
# your Site-to-Site VPN connection", AWS docs); a GCP VPN tunnel and an Azure connection are one each.
TUNNELS = {"aws:ec2/vpnConnection:VpnConnection": 2}


def topology(resources: list[Resource]) -> str:
    """The landing zone as a reviewer reads it: clouds, regions, networks (with the clusters they hold)
    and the links between networks with their tunnel counts. Gateways are folded into the links they
    serve: a link joins the networks behind its gateways (a peer gateway stands for the other cloud's
    gateway, and so for that cloud's network). A network with no link, where there are several, is
    marked as an island."""
    by_urn = {r.urn: r for r in resources}
    providers = {r.urn: r.inputs for r in resources if r.type.startswith("pulumi:providers:")}
    networks = {r.urn for r in resources if r.custom and r.type in NETWORKS}
    gateways = {r.urn for r in resources if r.custom and r.type in GATEWAYS and r.type not in PEERS}
    peers = {r.urn for r in resources if r.custom and r.type in PEERS}

    def reach(start: str, targets: set[str], hops: int = MAX_HOPS) -> list[str]:
        """Resources of `targets` that `start` depends on, through at most `hops` others."""
        found: set[str] = set()
        frontier, seen = [start], {start}
        for _ in range(hops):
            following: list[str] = []
            for urn in frontier:
                r = by_urn.get(urn)
                for dep in _deps(r) if r is not None else []:
                    if dep in seen:
                        continue
                    seen.add(dep)
                    (found.add if dep in targets else following.append)(dep)
            frontier = following
        return sorted(found)

    attached: dict[str, str] = {}  # gateway -> network, through an attachment that references both
    for r in sorted(resources, key=lambda x: x.urn):
        if r.type in LINKS:
            ends = reach(r.urn, networks | gateways)
            nets = [e for e in ends if e in networks]
            for gateway in (e for e in ends if e in gateways):
                if nets:
                    attached.setdefault(gateway, nets[0])

    def anchor(urn: str) -> str | None:
        """The network a network, gateway or peer gateway stands for."""
        if urn in networks:
            return urn
        if urn in gateways:
            own = reach(urn, networks)
            return own[0] if own else attached.get(urn)
        if urn in peers:
            cloud = by_urn[urn].package
            remote = [g for g in reach(urn, gateways, MAX_HOPS + 1) if by_urn[g].package != cloud]
            return anchor(remote[0]) if remote else None
        return None

    clusters: dict[str, list[str]] = {}
    pools: Counter[str] = Counter()
    for r in resources:
        if r.type in NODE_POOLS:
            for dep in _deps(r):
                if dep in by_urn and by_urn[dep].type in CLUSTERS:
                    pools[dep] += 1
    for r in sorted(resources, key=lambda x: x.urn):
        if r.custom and r.type in CLUSTERS:
            home = reach(r.urn, networks)
            if home:
                k = pools[r.urn]
                clusters.setdefault(home[0], []).append(
                    f"{CLUSTERS[r.type]} {_physical(r)}" + (f" ({k} node pool{'s' if k != 1 else ''})" if k else "")
                )

    # links between networks: tunnels counted per side (each cloud declares the same tunnels), max taken
    tunnels: dict[tuple[str, str, str], Counter[str]] = {}
    for r in sorted(resources, key=lambda x: x.urn):
        if r.type not in LINKS:
            continue
        kind = LINKS[r.type]
        ends = sorted({a for a in (anchor(e) for e in reach(r.urn, networks | gateways | peers)) if a})
        if kind != "VPN" and len(ends) < 2:
            continue
        for i, x in enumerate(ends):
            for y in ends[i + 1 :]:
                tunnels.setdefault((x, y, kind), Counter())[r.package] += TUNNELS.get(r.type, 1)
    edges: Counter[tuple[str, str, str]] = Counter({key: max(per_side.values()) for key, per_side in tunnels.items()})

    nodes: dict[str, _Node] = {}
    for urn in networks:
        r = by_urn[urn]
        label = _label(r, NETWORKS[r.type], 0)
        for line in clusters.get(urn, []):
            label += "<br/>" + _esc(line)
        nodes[urn] = _Node(urn, r.package, region_of(r, providers), "network", label)
    linked = {u for a, b, _ in edges for u in (a, b)}
    islands = {u for u in nodes if u not in linked} if len(nodes) > 1 else set()
    for urn in islands:
        n = nodes[urn]
        nodes[urn] = _Node(n.urn, n.cloud, n.region, n.kind, n.label + "<br/>island: no link")
    ordered = sorted(nodes.values(), key=lambda n: (n.cloud, n.region, n.urn))
    if not ordered:
        return 'flowchart LR\n  empty["no networks in this graph"]\n'
    if len(ordered) > MAX_NODES:
        return _collapsed(ordered, edges)
    ids = {n.urn: f"n{i + 1}" for i, n in enumerate(ordered)}
    lines = ["flowchart LR"]
    for cloud in sorted({n.cloud for n in ordered}):
        cid = _SAFE_ID.sub("_", cloud)
        lines.append(f'  subgraph {cid}["{_esc(CLOUD_NAMES.get(cloud, cloud))}"]')
        lines.append("    direction TB")
        for region in sorted({n.region for n in ordered if n.cloud == cloud}):
            lines.append(f'    subgraph {cid}_{_SAFE_ID.sub("_", region)}["{_esc(region)}"]')
            for n in ordered:
                if n.cloud == cloud and n.region == region:
                    lines.append(f"      {ids[n.urn]}{_shape(n)}")
            lines.append("    end")
        lines.append("  end")
    for (a, b, kind), count in sorted(edges.items(), key=lambda e: (ids[e[0][0]], ids[e[0][1]], e[0][2])):
        x, y = sorted((ids[a], ids[b]), key=lambda i: int(i[1:]))
        text = (
            f"{kind} ×{count} tunnel{'s' if count != 1 else ''}"
            if kind == "VPN"
            else (f"{kind} ×{count}" if count > 1 else kind)
        )
        lines.append(f"  {x} <-->|{_esc(text)}| {y}")
    if islands:
        lines.append("  classDef island stroke-dasharray: 5 5")
        lines.append(f"  class {','.join(sorted((ids[u] for u in islands), key=lambda i: int(i[1:])))} island")
    return "\n".join(lines) + "\n"


def _shape(n: _Node) -> str:
    if n.kind == "network":
        return f'["{n.label}"]'
    if n.kind == "gateway":
        return f'{{{{"{n.label}"}}}}'
    if n.kind == "peer":
        return f'[/"{n.label}"/]'
    return f'(["{n.label}"])'


def _collapsed(ordered: list[_Node], edges: Counter[tuple[str, str, str]]) -> str:
    """One node per cloud region, counting what it holds; links between regions aggregated."""
    regions = sorted({(n.cloud, n.region) for n in ordered})
    rid = {key: f"r{i + 1}" for i, key in enumerate(regions)}
    node_region = {n.urn: (n.cloud, n.region) for n in ordered}
    lines = ["flowchart LR"]
    for cloud in sorted({c for c, _ in regions}):
        cid = _SAFE_ID.sub("_", cloud)
        lines.append(f'  subgraph {cid}["{_esc(CLOUD_NAMES.get(cloud, cloud))}"]')
        for key in regions:
            if key[0] != cloud:
                continue
            counts = Counter(n.kind for n in ordered if (n.cloud, n.region) == key)
            kinds = sorted(counts, key=lambda k: _KIND_ORDER[k])
            what = ", ".join(f"{counts[k]} {k}{'s' if counts[k] > 1 else ''}" for k in kinds)
            lines.append(f'    {rid[key]}["{_esc(key[1])}<br/>{_esc(what)}"]')
        lines.append("  end")
    merged: Counter[tuple[str, str, str]] = Counter()
    for (a, b, label), count in edges.items():
        ra, rb = rid[node_region[a]], rid[node_region[b]]
        if ra != rb:
            x, y = sorted((ra, rb))
            merged[(x, y, label or "link")] += count
    for (a, b, label), count in sorted(merged.items()):
        lines.append(f"  {a} <-->|{_esc(label)} ×{count}| {b}" if count > 1 else f"  {a} <-->|{_esc(label)}| {b}")
    return "\n".join(lines) + "\n"
