"""The topology diagram: what it shows, that it is valid Mermaid, deterministic and bounded."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lz.core.graph import Resource
from lz.review.mermaid import MAX_NODES, topology

P = "urn:pulumi:dev::landing-zone::"


def r(type_: str, name: str, inputs: dict, deps: list[Resource] = (), provider: str = "") -> Resource:  # type: ignore[assignment]
    return Resource(
        urn=f"{P}{type_}::{name}",
        type=type_,
        custom=True,
        inputs=inputs,
        dependencies=[d.urn for d in deps],
        provider=provider,
    )


def landing_zone() -> list[Resource]:
    aws_provider = Resource(
        urn=P + "pulumi:providers:aws::euw1", type="pulumi:providers:aws", custom=True, inputs={"region": "eu-west-1"}
    )
    prov = aws_provider.urn + "::id"
    vpc = r("aws:ec2/vpc:Vpc", "vpc", {"cidrBlock": "10.16.0.0/16", "tags": {"Name": "acme-vpc"}}, provider=prov)
    subnet = r("aws:ec2/subnet:Subnet", "subnet", {"cidrBlock": "10.16.1.0/24"}, [vpc], prov)
    tgw = r("aws:ec2transitgateway/transitGateway:TransitGateway", "tgw", {"description": "hub"}, provider=prov)
    attach = r("aws:ec2transitgateway/vpcAttachment:VpcAttachment", "attach", {}, [tgw, vpc, subnet], prov)
    eks = r("aws:eks/cluster:Cluster", "eks", {"name": "acme-gpu"}, [subnet], prov)
    pool = r("aws:eks/nodeGroup:NodeGroup", "gpu", {}, [eks], prov)
    net = r("gcp:compute/network:Network", "net", {"name": "acme-vpc"})
    router = r("gcp:compute/router:Router", "router", {"region": "europe-west4"}, [net])
    havpn = r("gcp:compute/haVpnGateway:HaVpnGateway", "havpn", {"name": "acme-havpn", "region": "europe-west4"}, [net])
    cgw = r("aws:ec2/customerGateway:CustomerGateway", "cgw-gcp", {"ipAddress": "35.0.0.1"}, [havpn], prov)
    vpn = r("aws:ec2/vpnConnection:VpnConnection", "vpn-gcp", {}, [tgw, cgw], prov)
    vpn2 = r("aws:ec2/vpnConnection:VpnConnection", "vpn-gcp-2", {}, [tgw, cgw], prov)
    ext = r("gcp:compute/externalVpnGateway:ExternalVpnGateway", "ext-aws", {"name": "aws-peer"}, [vpn])
    tunnel = r("gcp:compute/vPNTunnel:VPNTunnel", "tunnel", {"region": "europe-west4"}, [havpn, ext, router])
    vnet = r(
        "azure-native:network:VirtualNetwork",
        "vnet",
        {
            "virtualNetworkName": "vnet-hub",
            "location": "westeurope",
            "addressSpace": {"addressPrefixes": ["10.48.0.0/16"]},
        },
    )
    aks = r(
        "azure-native:containerservice:ManagedCluster",
        "aks",
        {"resourceName": 'aks "gpu"', "location": "westeurope"},
        [vnet],
    )
    return [
        aws_provider,
        vpc,
        subnet,
        tgw,
        attach,
        eks,
        pool,
        net,
        router,
        havpn,
        cgw,
        vpn,
        vpn2,
        ext,
        tunnel,
        vnet,
        aks,
    ]


MERMAID_CHECK = Path(__file__).resolve().parents[2] / "tools" / "mermaid-check"


def mermaid_parse(text: str) -> dict:
    """Mermaid's own parser (mermaid 11 under Node.js) on `text`: {"ok": true, "type": ...} or an error."""
    node = shutil.which("node")
    if node is None or not (MERMAID_CHECK / "node_modules" / "mermaid").is_dir():
        pytest.fail(
            "Mermaid's parser is not installed: `make setup` installs it where Node.js and npm exist "
            "(npm ci --prefix tools/mermaid-check)"
        )
    proc = subprocess.run(
        [node, str(MERMAID_CHECK / "parse.mjs")], input=text, capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


NODE = re.compile(r'^\s+(n\d+)\["([^"]*)"\]$')
EDGE = re.compile(r"^\s+(n\d+) <-->\|([^|]+)\| (n\d+)$")


def read(text: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Node labels by id and edges (a, b, label) of the diagram."""
    nodes = {m.group(1): m.group(2) for line in text.split("\n") if (m := NODE.match(line))}
    edges = [(m.group(1), m.group(3), m.group(2)) for line in text.split("\n") if (m := EDGE.match(line))]
    return nodes, edges


def test_topology_is_what_a_reviewer_reads() -> None:
    text = topology(landing_zone())
    assert mermaid_parse(text) == {"ok": True, "type": "flowchart-v2"}
    nodes, edges = read(text)
    labels = sorted(nodes.values())
    # networks only: gateways are folded into the links, clusters into their networks
    assert len(nodes) == 3 and not any("gateway" in label for label in labels)
    assert 'subgraph aws["AWS"]' in text and 'subgraph aws_eu_west_1["eu-west-1"]' in text
    assert 'subgraph gcp_global["global"]' in text and 'subgraph azure_native_westeurope["westeurope"]' in text
    by_name = {label.split("<br/>")[0]: i for i, label in nodes.items()}
    assert nodes[by_name["VPC acme-vpc"]] == "VPC acme-vpc<br/>10.16.0.0/16<br/>EKS acme-gpu (1 node pool)"
    # two AWS VPN connections (2 tunnels each) and one GCP tunnel describe the same link: 4 tunnels
    assert edges == [(by_name["VPC acme-vpc"], by_name["VPC network acme-vpc"], "VPN ×4 tunnels")]
    vnet = by_name["VNet vnet-hub"]
    assert nodes[vnet].endswith("AKS aks #quot;gpu#quot;<br/>island: no link")
    assert f"  class {vnet} island" in text and "classDef island" in text
    assert topology(list(reversed(landing_zone()))) == text


@pytest.fixture(scope="module")
def foundation_graph(tmp_path_factory: pytest.TempPathFactory) -> list[Resource]:
    from lz.core.graph import resources_from_graph
    from tests.helpers import plan

    return resources_from_graph(plan("foundation-dev", out=tmp_path_factory.mktemp("topology")).graph)


def test_the_example_foundation_diagram_is_valid_mermaid(foundation_graph: list[Resource]) -> None:
    text = topology(foundation_graph)
    assert mermaid_parse(text)["ok"], text
    nodes, edges = read(text)
    # Per AWS region a workload VPC and the shared egress VPC behind the same transit gateway, two
    # Azure hub VNets, GCP's global VPC: the regions of a cloud are joined (TGW peering, VNet
    # peering both ways), the clouds by VPN, each egress VPC to its region's workload VPC.
    assert len(nodes) == 7
    labels = [label for _, _, label in edges]
    assert {"VPN ×4 tunnels", "TGW peering", "peering ×2"} <= set(labels) and labels.count("attachment") == 2
    assert len(text.splitlines()) < 40  # a picture, not an inventory


def test_a_broken_diagram_is_refused_by_the_parser() -> None:
    assert not mermaid_parse('flowchart LR\n  n1["open <-->|VPN| n2\n')["ok"]


def test_empty_graph() -> None:
    text = topology([])
    assert text.startswith("flowchart LR\n  empty[") and mermaid_parse(text)["ok"]


def test_huge_topologies_collapse_per_region() -> None:
    many = [
        r("aws:ec2/vpc:Vpc", f"vpc{i}", {"cidrBlock": f"10.{i}.0.0/16", "region": f"eu-west-{i % 3 + 1}"})
        for i in range(MAX_NODES + 5)
    ]
    text = topology(many)
    lines = text.strip().split("\n")
    assert len(lines) < 20 and "networks" in text
    assert 'r1["eu-west-1<br/>22 networks"]' in text
