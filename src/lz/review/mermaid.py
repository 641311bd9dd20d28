"""A Mermaid flowchart of a landing zone's topology, for the pull-request report (GitHub renders it).

Clouds contain regions, regions contain the things a reviewer wants to see: networks (AWS VPC,
GCP network, Azure VNet), gateways (transit gateways, VPN gateways, the peer gateways that stand for
another cloud) and Kubernetes clusters (with their node-pool count). Lines are the links between
them, found in the graph's dependencies: a VPN connection or tunnel joins the gateways it
references, an attachment or peering joins networks and gateways, a gateway or cluster hangs off
the network it depends on (through subnets and routers, a few hops at most), and a resource that
takes another cloud's gateway address draws the cross-cloud link.

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
PEERS = {"aws:ec2/customerGateway:CustomerGateway", "gcp:compute/externalVpnGateway:ExternalVpnGateway",
         "azure-native:network:LocalNetworkGateway"}
CLUSTERS = {
    "aws:eks/cluster:Cluster": "EKS",
    "gcp:container/cluster:Cluster": "GKE",
    "azure-native:containerservice:ManagedCluster": "AKS",
}
NODE_POOLS = {"aws:eks/nodeGroup:NodeGroup", "gcp:container/nodePool:NodePool",
              "azure-native:containerservice:AgentPool"}
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
    return (text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
            .replace("\n", " ").replace("|", "/"))


def _physical(r: Resource) -> str:
    for key in ("name", "bucket", "virtualNetworkName", "virtualNetworkGatewayName", "localNetworkGatewayName",
                "resourceName", "description"):
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


def topology(resources: list[Resource]) -> str:
    """The landing zone as a Mermaid `flowchart`: clouds, regions, networks, links and clusters."""
    by_urn = {r.urn: r for r in resources}
    providers = {r.urn: r.inputs for r in resources if r.type.startswith("pulumi:providers:")}
    pools: Counter[str] = Counter()
    for r in resources:
        if r.type in NODE_POOLS:
            for dep in _deps(r):
                if dep in by_urn and by_urn[dep].type in CLUSTERS:
                    pools[dep] += 1
    nodes: dict[str, _Node] = {}
    for r in resources:
        if not r.custom:
            continue
        if r.type in NETWORKS:
            kind, title = "network", NETWORKS[r.type]
        elif r.type in GATEWAYS:
            kind, title = ("peer" if r.type in PEERS else "gateway"), GATEWAYS[r.type]
        elif r.type in CLUSTERS:
            kind, title = "cluster", CLUSTERS[r.type]
        else:
            continue
        nodes[r.urn] = _Node(r.urn, r.package, region_of(r, providers), kind, _label(r, title, pools[r.urn]))

    def reach(start: Resource) -> list[str]:
        """Topology nodes `start` depends on, through at most MAX_HOPS other resources."""
        found: set[str] = set()
        frontier, seen = [start.urn], {start.urn}
        for _ in range(MAX_HOPS):
            following = []
            for urn in frontier:
                r = by_urn.get(urn)
                if r is None:
                    continue
                for dep in _deps(r):
                    if dep in seen:
                        continue
                    seen.add(dep)
                    if dep in nodes:
                        found.add(dep)
                    else:
                        following.append(dep)
            frontier = following
        return sorted(found)

    edges: Counter[tuple[str, str, str]] = Counter()
    for r in sorted(resources, key=lambda x: x.urn):
        if r.urn in nodes:
            for target in reach(r):
                if nodes[r.urn].kind == "peer" and nodes[target].kind == "peer":
                    continue  # two stand-ins for each other's cloud: the gateways they stand for are linked
                label = "peer" if nodes[target].cloud != nodes[r.urn].cloud else ""
                a, b = sorted((r.urn, target))
                edges[(a, b, label)] += 1
        elif r.type in LINKS:
            ends = reach(r)
            gateways = [e for e in ends if nodes[e].kind != "network"]
            if len(gateways) >= 2:
                ends = gateways  # a tunnel joins gateways; the networks behind them are drawn already
            for i, a in enumerate(ends):
                for b in ends[i + 1:]:
                    edges[(a, b, LINKS[r.type])] += 1
    ordered = sorted(nodes.values(), key=lambda n: (n.cloud, n.region, _KIND_ORDER[n.kind], n.urn))
    if not ordered:
        return "flowchart LR\n  empty[\"no networks, gateways or clusters in this graph\"]\n"
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
    lines += _edge_lines(edges, ids, nodes)
    return "\n".join(lines) + "\n"


def _shape(n: _Node) -> str:
    if n.kind == "network":
        return f'["{n.label}"]'
    if n.kind == "gateway":
        return f'{{{{"{n.label}"}}}}'
    if n.kind == "peer":
        return f'[/"{n.label}"/]'
    return f'(["{n.label}"])'


def _edge_lines(edges: Counter[tuple[str, str, str]], ids: dict[str, str], nodes: dict[str, _Node]) -> list[str]:
    lines = []
    def order(edge: tuple[str, str, str]) -> tuple[int, int, str]:
        x, y = sorted((int(ids[edge[0]][1:]), int(ids[edge[1]][1:])))
        return x, y, edge[2]

    for (a, b, label), count in sorted(edges.items(), key=lambda e: order(e[0])):
        if ids[a] == ids[b]:
            continue
        if int(ids[a][1:]) > int(ids[b][1:]):
            a, b = b, a
        text = label + (f" ×{count}" if count > 1 and label else "")
        cross = nodes[a].cloud != nodes[b].cloud if a in nodes and b in nodes else False
        arrow = "<-->" if cross or label in ("VPN", "peering", "TGW peering", "peer") else "---"
        lines.append(f"  {ids[a]} {arrow}|{_esc(text)}| {ids[b]}" if text else f"  {ids[a]} {arrow} {ids[b]}")
    return lines


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
