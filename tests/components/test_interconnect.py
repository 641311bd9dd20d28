"""Inventories of the interconnect: the full mesh of the example clouds, a hub, none, and the dedicated transport.

The mesh is the example foundation with `interconnect: {topology: full-mesh, transport: ha-vpn}` and a
role catalog of six roles (`SECTIONS`, also what the example stack is meant to carry); when the example
stack already has exactly these sections, its session plan is reused.
"""

from __future__ import annotations

import copy
import ipaddress
import json
from collections import Counter
from typing import Any

import pytest

from lz.offline.mocks import DeterministicMocks
from tests.helpers import Planned, example_spec, foundation_config, make_project, plan

INSTANCE = {"instance_arn": "arn:aws:sso:::instance/ssoins-6804a1b2c3d4e5f6", "identity_store_id": "d-9367a1b2c3"}


def _groups(n: int, name: str) -> dict[str, str]:
    return {
        "aws": f"9067a1b2c3-1b2c3d4e-000{n}-4000-8000-00000000000{n}",
        "gcp": f"group:lz-{name}s@acme.example",
        "azure": f"3f0c1a52-7d1e-4b5a-9c01-00000000000{n}",
    }


ROLES: list[dict[str, Any]] = [
    {
        "name": "platform-admin",
        "description": "Break-glass administrators of the landing zone",
        "grants": ["administrator"],
        "break_glass": True,
        "session_duration": "PT1H",
        "groups": _groups(1, "platform-admin"),
    },
    {
        "name": "network-admin",
        "description": "Runs networks, VPN and interconnect",
        "grants": ["network-admin", "monitoring-read"],
        "session_duration": "PT4H",
        "groups": _groups(2, "network-admin"),
    },
    {
        "name": "security-auditor",
        "description": "Reviews security configuration and audit trails",
        "grants": ["security-audit", "read-only"],
        "session_duration": "PT8H",
        "groups": _groups(3, "security-auditor"),
    },
    {
        "name": "ml-engineer",
        "description": "Trains and deploys models on the landing zone",
        "grants": ["ml-develop", "data-write", "monitoring-read"],
        "session_duration": "PT8H",
        "groups": _groups(4, "ml-engineer"),
    },
    {
        "name": "data-scientist",
        "description": "Explores data in notebooks",
        "grants": ["notebooks", "data-read"],
        "session_duration": "PT8H",
        "groups": _groups(5, "data-scientist"),
    },
    {
        "name": "read-only",
        "description": "Views resources and configuration, no data",
        "grants": ["read-only", "monitoring-read"],
        "session_duration": "PT8H",
        "groups": _groups(6, "reader"),
    },
]
SECTIONS: dict[str, Any] = {
    "interconnect": {"topology": "full-mesh", "transport": "ha-vpn"},
    "identity": {"aws": INSTANCE, "roles": ROLES},
}


def mesh_spec() -> dict[str, Any]:
    spec = example_spec()
    spec.update(copy.deepcopy(SECTIONS))
    return spec


def core_spec() -> dict[str, Any]:
    """The example's clouds and tags only: none of its other sections (GPU pools, telemetry, ...)."""
    example = example_spec()
    return {key: example[key] for key in ("organization", "environment", "residency", "tags", "clouds")}


def one_region_each(spec: dict[str, Any]) -> dict[str, Any]:
    for cloud in spec["clouds"].values():
        cloud["regions"] = cloud["regions"][:1]
    return spec


_PLANS: dict[str, Planned] = {}


def planned(request: pytest.FixtureRequest, name: str, spec: dict[str, Any]) -> Planned:
    """`spec` planned once per session (the example stack's own plan when the spec is the example's)."""
    if spec == example_spec():
        return request.getfixturevalue("foundation_dev")  # type: ignore[no-any-return]
    key = json.dumps(spec, sort_keys=True)
    if key not in _PLANS:
        tmp = request.getfixturevalue("tmp_path_factory").mktemp(name)
        project = make_project(tmp / "project", {name: foundation_config(spec)})
        _PLANS[key] = plan(name, project, out=tmp / "out")
    return _PLANS[key]


@pytest.fixture(scope="module")
def mesh(request: pytest.FixtureRequest) -> Planned:
    return planned(request, "mesh", mesh_spec())


def under(planned_: Planned, kind: str) -> dict[str, Counter[str]]:
    """Per component of `kind` (by name), the count of custom resources directly under it, by type."""
    out: dict[str, Counter[str]] = {}
    for r in planned_.resources:
        parent = r.get("parent", "")
        if r["custom"] and parent.split("::")[-2].endswith(f"lz:interconnect:{kind}"):
            out.setdefault(parent.rsplit("::", 1)[-1], Counter())[r["type"]] += 1
    return out


def inputs_of(planned_: Planned, type_: str, *, within: str = "") -> list[dict[str, Any]]:
    return [r["inputs"] for r in planned_.by_type(type_) if within in r.get("parent", "")]


AWS_GCP = Counter(
    {
        "gcp:compute/haVpnGateway:HaVpnGateway": 1,
        "gcp:compute/externalVpnGateway:ExternalVpnGateway": 1,
        "gcp:compute/vPNTunnel:VPNTunnel": 4,
        "gcp:compute/routerInterface:RouterInterface": 4,
        "gcp:compute/routerPeer:RouterPeer": 4,
        "aws:ec2/customerGateway:CustomerGateway": 2,
        "aws:ec2/vpnConnection:VpnConnection": 2,
        "random:index/randomPassword:RandomPassword": 4,
    }
)
AWS_AZURE = Counter(
    {
        "aws:ec2/customerGateway:CustomerGateway": 2,
        "aws:ec2/vpnConnection:VpnConnection": 2,
        "azure-native:network:LocalNetworkGateway": 4,
        "azure-native:network:VirtualNetworkGatewayConnection": 4,
        "random:index/randomPassword:RandomPassword": 4,
    }
)
GCP_AZURE = Counter(
    {
        "gcp:compute/haVpnGateway:HaVpnGateway": 1,
        "gcp:compute/externalVpnGateway:ExternalVpnGateway": 1,
        "gcp:compute/vPNTunnel:VPNTunnel": 2,
        "gcp:compute/routerInterface:RouterInterface": 2,
        "gcp:compute/routerPeer:RouterPeer": 2,
        "azure-native:network:LocalNetworkGateway": 2,
        "azure-native:network:VirtualNetworkGatewayConnection": 2,
        "random:index/randomPassword:RandomPassword": 2,
    }
)


# --- the full mesh -----------------------------------------------------------------------------------------


def test_mesh_plans_clean(mesh: Planned) -> None:
    assert mesh.exit_code == 0, mesh.report
    assert mesh.mandatory() == []


def test_mesh_inventory_per_pair(mesh: Planned) -> None:
    assert under(mesh, "AwsGcpVpn") == {"acme-dev-interconnect-aws-eu-west-1-gcp-europe-west4": AWS_GCP}
    assert under(mesh, "AwsAzureVpn") == {"acme-dev-interconnect-aws-eu-west-1-azure-westeurope": AWS_AZURE}
    assert under(mesh, "GcpAzureVpn") == {"acme-dev-interconnect-gcp-europe-west4-azure-westeurope": GCP_AZURE}
    # One VPN gateway per linked Azure region, shared by both pairs that end there.
    assert under(mesh, "AzureVpnGateway") == {
        "acme-dev-interconnect-azure-westeurope": Counter(
            {"azure-native:network:VirtualNetworkGateway": 1, "azure-native:network:PublicIPAddress": 2}
        )
    }
    assert len(mesh.by_type("azure-native:network:VirtualNetworkGateway")) == 1
    totals = mesh.type_counts()
    assert totals["gcp:compute/vPNTunnel:VPNTunnel"] == 6
    assert totals["gcp:compute/routerPeer:RouterPeer"] == 6
    assert totals["aws:ec2/vpnConnection:VpnConnection"] == 4  # 8 AWS tunnels
    assert totals["azure-native:network:VirtualNetworkGatewayConnection"] == 6


def test_azure_gateway_is_active_active_with_bgp_and_apipa(mesh: Planned) -> None:
    (gw,) = inputs_of(mesh, "azure-native:network:VirtualNetworkGateway")
    assert gw["activeActive"] is True and gw["enableBgp"] is True and gw["vpnType"] == "RouteBased"
    assert gw["sku"] == {"name": "VpnGw2AZ", "tier": "VpnGw2AZ"}
    assert gw["bgpSettings"]["asn"] == 65100
    apipa = [set(p["customBgpIpAddresses"]) for p in gw["bgpSettings"]["bgpPeeringAddresses"]]
    assert len(apipa) == 2 and not apipa[0] & apipa[1]
    low, high = ipaddress.IPv4Address("169.254.21.0"), ipaddress.IPv4Address("169.254.22.255")
    assert all(low <= ipaddress.IPv4Address(a) <= high for addresses in apipa for a in addresses)
    for pip in inputs_of(mesh, "azure-native:network:PublicIPAddress", within="AzureVpnGateway"):
        assert pip["sku"]["name"] == "Standard" and pip["publicIPAllocationMethod"] == "Static"
        assert pip["zones"] == ["1", "2", "3"]
    # Each connection picks, per instance, an APIPA address the gateway has on that instance.
    for connection in inputs_of(mesh, "azure-native:network:VirtualNetworkGatewayConnection"):
        chosen = [c["customBgpIpAddress"] for c in connection["gatewayCustomBgpIpAddresses"]]
        assert chosen[0] in apipa[0] and chosen[1] in apipa[1]


def test_aws_gcp_ends_agree(mesh: Planned) -> None:
    tgw = mesh.named("aws:ec2transitgateway/transitGateway:TransitGateway", "acme-dev-aws-net-eu-west-1-tgw")
    aws_asn = tgw["inputs"]["amazonSideAsn"]
    inside = sorted(
        c
        for v in inputs_of(mesh, "aws:ec2/vpnConnection:VpnConnection", within="AwsGcpVpn")
        for c in (v["tunnel1InsideCidr"], v["tunnel2InsideCidr"])
    )
    assert inside == ["169.254.100.0/30", "169.254.100.12/30", "169.254.100.4/30", "169.254.100.8/30"]
    interfaces = sorted(
        i["ipRange"] for i in inputs_of(mesh, "gcp:compute/routerInterface:RouterInterface", within="AwsGcpVpn")
    )
    assert sorted(str(ipaddress.IPv4Interface(i).network) for i in interfaces) == inside
    for peer in inputs_of(mesh, "gcp:compute/routerPeer:RouterPeer", within="AwsGcpVpn"):
        assert int(peer["peerAsn"]) == int(aws_asn) == 64512
        own, theirs = ipaddress.IPv4Address(peer["ipAddress"]), ipaddress.IPv4Address(peer["peerIpAddress"])
        assert int(own) == int(theirs) + 1  # AWS takes the first host, GCP the second
        assert peer["advertiseMode"] == "CUSTOM"
        # The region blocks, and Cloud DNS's forwarders for the cross-cloud DNS answers (lz.components.paths.dns).
        assert [r["range"] for r in peer["advertisedIpRanges"]] == ["10.32.0.0/16", "10.33.0.0/16", "35.199.192.0/19"]
        assert peer["router"] == "acme-dev-euw4-router"  # the foundation's router, reused
    for cgw in inputs_of(mesh, "aws:ec2/customerGateway:CustomerGateway", within="AwsGcpVpn"):
        assert cgw["bgpAsn"] == "64600" and cgw["type"] == "ipsec.1"
    (external,) = inputs_of(mesh, "gcp:compute/externalVpnGateway:ExternalVpnGateway", within="AwsGcpVpn")
    assert external["redundancyType"] == "FOUR_IPS_REDUNDANCY" and len(external["interfaces"]) == 4
    tunnels = inputs_of(mesh, "gcp:compute/vPNTunnel:VPNTunnel", within="AwsGcpVpn")
    assert sorted((t["vpnGatewayInterface"], t["peerExternalGatewayInterface"]) for t in tunnels) == [
        (0, 0),
        (0, 1),
        (1, 2),
        (1, 3),
    ]


def test_azure_ends_agree(mesh: Planned) -> None:
    lngs = inputs_of(mesh, "azure-native:network:LocalNetworkGateway", within="AwsAzureVpn")
    assert sorted(lng["bgpSettings"]["bgpPeeringAddress"] for lng in lngs) == [
        "169.254.21.1",
        "169.254.21.13",
        "169.254.21.5",
        "169.254.21.9",
    ]
    assert {lng["bgpSettings"]["asn"] for lng in lngs} == {64512}
    for cgw in inputs_of(mesh, "aws:ec2/customerGateway:CustomerGateway", within="AwsAzureVpn"):
        assert cgw["bgpAsn"] == "65100"
    (external,) = inputs_of(mesh, "gcp:compute/externalVpnGateway:ExternalVpnGateway", within="GcpAzureVpn")
    assert external["redundancyType"] == "TWO_IPS_REDUNDANCY" and len(external["interfaces"]) == 2
    for peer in inputs_of(mesh, "gcp:compute/routerPeer:RouterPeer", within="GcpAzureVpn"):
        assert peer["peerAsn"] == 65100
        assert ipaddress.IPv4Address(peer["peerIpAddress"]) in ipaddress.IPv4Network("169.254.22.0/24")
    lngs = inputs_of(mesh, "azure-native:network:LocalNetworkGateway", within="GcpAzureVpn")
    assert sorted(lng["bgpSettings"]["bgpPeeringAddress"] for lng in lngs) == ["169.254.22.1", "169.254.22.5"]


def test_every_tunnel_is_ikev2_with_strong_proposals(mesh: Planned) -> None:
    for vpn in inputs_of(mesh, "aws:ec2/vpnConnection:VpnConnection"):
        for n in (1, 2):
            assert vpn[f"tunnel{n}IkeVersions"] == ["ikev2"]
            assert vpn[f"tunnel{n}Phase1EncryptionAlgorithms"] == ["AES256"]
            assert vpn[f"tunnel{n}Phase2IntegrityAlgorithms"] == ["SHA2-256"]
            assert vpn[f"tunnel{n}Phase1DhGroupNumbers"] == [14] and vpn[f"tunnel{n}Phase2DhGroupNumbers"] == [14]
            assert vpn[f"tunnel{n}LogOptions"]["cloudwatchLogOptions"]["logEnabled"] is True
        assert vpn["staticRoutesOnly"] is False and vpn["transitGatewayId"].startswith("tgw-")
    assert {t["ikeVersion"] for t in inputs_of(mesh, "gcp:compute/vPNTunnel:VPNTunnel")} == {2}
    for connection in inputs_of(mesh, "azure-native:network:VirtualNetworkGatewayConnection"):
        assert connection["connectionProtocol"] == "IKEv2" and connection["enableBgp"] is True
        assert connection["ipsecPolicies"] == [
            {
                "dhGroup": "DHGroup14",
                "ikeEncryption": "AES256",
                "ikeIntegrity": "SHA256",
                "ipsecEncryption": "AES256",
                "ipsecIntegrity": "SHA256",
                "pfsGroup": "PFS2048",
                "saDataSizeKilobytes": 102400000,
                "saLifeTimeSeconds": 3600,
            }
        ]


def test_pre_shared_keys_are_secrets_everywhere(mesh: Planned) -> None:
    for vpn in inputs_of(mesh, "aws:ec2/vpnConnection:VpnConnection"):
        assert vpn["tunnel1PresharedKey"] == vpn["tunnel2PresharedKey"] == "[secret]"
    assert {t["sharedSecret"] for t in inputs_of(mesh, "gcp:compute/vPNTunnel:VPNTunnel")} == {"[secret]"}
    assert {c["sharedKey"] for c in inputs_of(mesh, "azure-native:network:VirtualNetworkGatewayConnection")} == {
        "[secret]"
    }
    passwords = mesh.by_type("random:index/randomPassword:RandomPassword")
    assert len(passwords) == 10
    for p in passwords:
        assert p["inputs"]["length"] >= 32 and p["inputs"]["special"] is False
        assert p["provider"].startswith(p["urn"].split("::")[0] + "::landing-zone::")
    # The values the offline random provider stands in with appear in no file lz plan wrote.
    mocks = DeterministicMocks("landing-zone", "mesh", {})
    files = "".join((mesh.out / f).read_text() for f in ("graph.json", "findings.json", "report.md"))
    for p in passwords:
        token, name = p["type"], p["urn"].rsplit("::", 1)[-1]
        value = mocks._random(token, name, p["inputs"])[1]["result"]
        assert value not in files
    interconnect = next(r for r in mesh.resources if r["type"] == "pulumi:pulumi:Stack")["outputs"]["foundation"][
        "interconnect"
    ]
    assert "key" not in json.dumps(interconnect).lower()


def test_routes_and_firewall_for_the_other_clouds(mesh: Planned) -> None:
    routes = inputs_of(mesh, "aws:ec2/route:Route", within="AwsRegionInterconnect")
    assert Counter(r["destinationCidrBlock"] for r in routes) == Counter({"10.32.0.0/12": 3, "10.48.0.0/12": 3})
    assert all(r["transitGatewayId"].startswith("tgw-") for r in routes)
    (rule,) = inputs_of(mesh, "gcp:compute/firewall:Firewall", within="GcpNetworkInterconnect")
    assert rule["sourceRanges"] == ["10.16.0.0/12", "10.48.0.0/12"] and rule["direction"] == "INGRESS"
    (logs,) = inputs_of(mesh, "aws:cloudwatch/logGroup:LogGroup", within="AwsRegionInterconnect")
    assert logs["kmsKeyId"].startswith("arn:aws:kms:eu-west-1:") and logs["retentionInDays"] == 365


def test_outputs_describe_the_links(mesh: Planned) -> None:
    stack = next(r for r in mesh.resources if r["type"] == "pulumi:pulumi:Stack")
    ic = stack["outputs"]["foundation"]["interconnect"]
    assert [link["pair"] for link in ic["links"]] == ["aws-gcp", "aws-azure", "gcp-azure"]
    assert ic["asns"]["azure"] == {"northeurope": 65101, "westeurope": 65100}
    assert ic["links"][2]["tunnels"][0] == {
        "azure_address": "169.254.22.2",
        "azure_instance": 0,
        "gcp_address": "169.254.22.1",
        "inside_cidr": "169.254.22.0/30",
    }


# --- hub, none, dedicated -------------------------------------------------------------------------------


def test_hub_links_every_cloud_to_the_hub_only(request: pytest.FixtureRequest) -> None:
    spec = one_region_each(core_spec())
    spec["interconnect"] = {"topology": "hub", "hub": "azure", "transport": "ha-vpn"}
    hub = planned(request, "hub", spec)
    assert hub.exit_code == 0, hub.report
    assert under(hub, "AwsGcpVpn") == {}
    assert list(under(hub, "AwsAzureVpn").values()) == [AWS_AZURE]
    assert list(under(hub, "GcpAzureVpn").values()) == [GCP_AZURE]
    assert len(hub.by_type("azure-native:network:VirtualNetworkGateway")) == 1
    # Spokes still reach each other, through the hub.
    routes = inputs_of(hub, "aws:ec2/route:Route", within="AwsRegionInterconnect")
    assert {r["destinationCidrBlock"] for r in routes} == {"10.32.0.0/12", "10.48.0.0/12"}
    assert not any(r["type"].startswith("lz:identity:") for r in hub.resources)


def test_none_builds_nothing(request: pytest.FixtureRequest) -> None:
    spec = core_spec()
    spec["interconnect"] = {"topology": "none"}
    nothing = planned(request, "none", spec)
    assert nothing.exit_code == 0, nothing.report
    assert not [r for r in nothing.resources if "lz:interconnect:" in r["urn"] or r["type"].startswith("random:")]
    stack = next(r for r in nothing.resources if r["type"] == "pulumi:pulumi:Stack")
    assert stack["outputs"]["foundation"]["interconnect"]["links"] == []


def test_dedicated_transport_builds_the_provider_attachments(request: pytest.FixtureRequest) -> None:
    spec = one_region_each(core_spec())
    spec["interconnect"] = {
        "topology": "full-mesh",
        "transport": "dedicated",
        "dedicated": {
            "aws": {"connection_ids": ["dxcon-ab12cd34", "dxcon-ef56gh78"], "vlans": [101, 102], "peer_asn": 65200},
            "gcp": {"mtu": 1500},
            "azure": {
                "service_provider": "Equinix",
                "peering_location": "Amsterdam",
                "bandwidth_mbps": 1000,
                "circuit_provisioned": True,
            },
        },
    }
    dedicated = planned(request, "dedicated", spec)
    assert dedicated.exit_code == 0, dedicated.report
    counts = dedicated.type_counts()
    assert counts["aws:directconnect/gateway:Gateway"] == 1
    assert counts["aws:directconnect/gatewayAssociation:GatewayAssociation"] == 1
    assert counts["aws:directconnect/transitVirtualInterface:TransitVirtualInterface"] == 2
    assert counts["gcp:compute/interconnectAttachment:InterconnectAttachment"] == 2
    assert counts["azure-native:network:ExpressRouteCircuit"] == 1
    assert counts["aws:ec2/vpnConnection:VpnConnection"] == 0 and counts["gcp:compute/vPNTunnel:VPNTunnel"] == 0
    vifs = inputs_of(dedicated, "aws:directconnect/transitVirtualInterface:TransitVirtualInterface")
    assert sorted((v["connectionId"], v["vlan"]) for v in vifs) == [("dxcon-ab12cd34", 101), ("dxcon-ef56gh78", 102)]
    assert {v["bgpAuthKey"] for v in vifs} == {"[secret]"}
    attachments = inputs_of(dedicated, "gcp:compute/interconnectAttachment:InterconnectAttachment")
    assert sorted(a["edgeAvailabilityDomain"] for a in attachments) == [
        "AVAILABILITY_DOMAIN_1",
        "AVAILABILITY_DOMAIN_2",
    ]
    (router,) = inputs_of(dedicated, "gcp:compute/router:Router", within="GcpPartnerInterconnect")
    assert router["bgp"]["asn"] == 16550
    (circuit,) = inputs_of(dedicated, "azure-native:network:ExpressRouteCircuit")
    assert circuit["serviceProviderProperties"] == {
        "bandwidthInMbps": 1000,
        "peeringLocation": "Amsterdam",
        "serviceProviderName": "Equinix",
    }
    stack = next(r for r in dedicated.resources if r["type"] == "pulumi:pulumi:Stack")
    outputs = stack["outputs"]["foundation"]["interconnect"]["dedicated"]
    assert outputs["gcp"][0]["pairing_keys"] == ["[secret]", "[secret]"]
    assert outputs["azure"][0]["service_key"] == "[secret]"
