"""The topology diagram: what it shows, that it is valid Mermaid, deterministic and bounded."""

from __future__ import annotations

import re

from lz.core.graph import Resource
from lz.review.mermaid import MAX_NODES, topology

P = "urn:pulumi:dev::landing-zone::"


def r(type_: str, name: str, inputs: dict, deps: list[Resource] = (), provider: str = "") -> Resource:  # type: ignore[assignment]
    return Resource(urn=f"{P}{type_}::{name}", type=type_, custom=True, inputs=inputs,
                    dependencies=[d.urn for d in deps], provider=provider)


def landing_zone() -> list[Resource]:
    aws_provider = Resource(urn=P + "pulumi:providers:aws::euw1", type="pulumi:providers:aws", custom=True,
                            inputs={"region": "eu-west-1"})
    prov = aws_provider.urn + "::id"
    vpc = r("aws:ec2/vpc:Vpc", "vpc", {"cidrBlock": "10.16.0.0/16", "tags": {"Name": "acme-vpc"}}, provider=prov)
    subnet = r("aws:ec2/subnet:Subnet", "subnet", {"cidrBlock": "10.16.1.0/24"}, [vpc], prov)
    tgw = r("aws:ec2transitgateway/transitGateway:TransitGateway", "tgw", {"description": "hub"}, provider=prov)
    attach = r("aws:ec2transitgateway/vpcAttachment:VpcAttachment", "attach", {}, [tgw, vpc, subnet], prov)
    eks = r("aws:eks/cluster:Cluster", "eks", {"name": "acme-gpu"}, [subnet], prov)
    pool = r("aws:eks/nodeGroup:NodeGroup", "gpu", {}, [eks], prov)
    net = r("gcp:compute/network:Network", "net", {"name": "acme-vpc"})
    router = r("gcp:compute/router:Router", "router", {"region": "europe-west4"}, [net])
    havpn = r("gcp:compute/haVpnGateway:HaVpnGateway", "havpn", {"name": "acme-havpn", "region": "europe-west4"},
              [net])
    cgw = r("aws:ec2/customerGateway:CustomerGateway", "cgw-gcp", {"ipAddress": "35.0.0.1"}, [havpn], prov)
    vpn = r("aws:ec2/vpnConnection:VpnConnection", "vpn-gcp", {}, [tgw, cgw], prov)
    vpn2 = r("aws:ec2/vpnConnection:VpnConnection", "vpn-gcp-2", {}, [tgw, cgw], prov)
    ext = r("gcp:compute/externalVpnGateway:ExternalVpnGateway", "ext-aws", {"name": "aws-peer"}, [vpn])
    tunnel = r("gcp:compute/vPNTunnel:VPNTunnel", "tunnel", {"region": "europe-west4"}, [havpn, ext, router])
    vnet = r("azure-native:network:VirtualNetwork", "vnet", {"virtualNetworkName": "vnet-hub", "location": "westeurope",
                                                             "addressSpace": {"addressPrefixes": ["10.48.0.0/16"]}})
    aks = r("azure-native:containerservice:ManagedCluster", "aks", {"resourceName": 'aks "gpu"',
                                                                     "location": "westeurope"}, [vnet])
    return [aws_provider, vpc, subnet, tgw, attach, eks, pool, net, router, havpn, cgw, vpn, vpn2, ext, tunnel, vnet,
            aks]


NODE = re.compile(r'^\s+(n\d+)(\["[^"]*"\]|\{\{"[^"]*"\}\}|\[/"[^"]*"/\]|\(\["[^"]*"\]\))$')
EDGE = re.compile(r"^\s+(\w+) (---|<-->)(?:\|([^|]+)\|)? (\w+)$")
SUBGRAPH = re.compile(r'^\s*subgraph (\w+)\["[^"]*"\]$')


def parse(text: str) -> tuple[set[str], list[tuple[str, str, str]]]:
    """A strict reading of the subset of Mermaid flowchart syntax the diagram uses."""
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == "flowchart LR"
    depth, nodes, edges, subgraphs = 0, set(), [], set()
    for line in lines[1:]:
        if m := SUBGRAPH.match(line):
            assert m.group(1) not in subgraphs
            subgraphs.add(m.group(1))
            depth += 1
        elif line.strip() == "end":
            depth -= 1
            assert depth >= 0
        elif line.strip() == "direction TB":
            continue
        elif m := NODE.match(line):
            assert m.group(1) not in nodes
            nodes.add(m.group(1))
        elif m := EDGE.match(line):
            edges.append((m.group(1), m.group(4), m.group(3) or ""))
        else:
            raise AssertionError(f"not valid here: {line!r}")
    assert depth == 0
    assert all(a in nodes and b in nodes for a, b, _ in edges)
    return nodes, edges


def test_topology_shows_clouds_regions_networks_links_and_clusters() -> None:
    text = topology(landing_zone())
    nodes, edges = parse(text)
    assert 'subgraph aws["AWS"]' in text and 'subgraph aws_eu_west_1["eu-west-1"]' in text
    assert 'subgraph gcp_global["global"]' in text and 'subgraph gcp_europe_west4["europe-west4"]' in text
    assert 'subgraph azure_native_westeurope["westeurope"]' in text
    assert '["VPC acme-vpc<br/>10.16.0.0/16"]' in text and '["VNet vnet-hub<br/>10.48.0.0/16"]' in text
    assert '(["EKS acme-gpu<br/>1 node pool(s)"])' in text and "AKS aks #quot;gpu#quot;" in text
    labels = {label for _, _, label in edges}
    assert "attachment" in labels and "VPN ×2" in labels and "peer" in labels
    ids = {name: re.search(rf"(n\d+)\S*\"[^\"]*{name}", text).group(1)  # type: ignore[union-attr]
           for name in ("Transit gateway", "Customer gateway", "HA VPN gateway", "External VPN gateway")}
    assert (ids["Transit gateway"], ids["Customer gateway"], "VPN ×2") in edges
    assert any({a, b} == {ids["HA VPN gateway"], ids["External VPN gateway"]} and label == "VPN"
               for a, b, label in edges)
    assert len(nodes) == 9
    assert topology(list(reversed(landing_zone()))) == text


def test_empty_graph() -> None:
    assert topology([]).startswith("flowchart LR\n  empty[")


def test_huge_topologies_collapse_per_region() -> None:
    many = [r("aws:ec2/vpc:Vpc", f"vpc{i}", {"cidrBlock": f"10.{i}.0.0/16", "region": f"eu-west-{i % 3 + 1}"})
            for i in range(MAX_NODES + 5)]
    text = topology(many)
    lines = text.strip().split("\n")
    assert len(lines) < 20 and "networks" in text
    assert 'r1["eu-west-1<br/>22 networks"]' in text
