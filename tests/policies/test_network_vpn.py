"""The `network-` family: strong VPN crypto and no internet ingress, compliant and violating cases per cloud."""

from __future__ import annotations

from typing import Any

import pytest

from lz.core.graph import Resource
from lz.policies import network_vpn
from lz.review.evaluate import Evaluation, PolicySettings, evaluate

from ._graph import aws_provider, azure_provider, gcp_provider, resource

STRONG_TUNNEL = {
    "IkeVersions": ["ikev2"],
    "Phase1EncryptionAlgorithms": ["AES256"],
    "Phase1IntegrityAlgorithms": ["SHA2-256"],
    "Phase1DhGroupNumbers": [14],
    "Phase2EncryptionAlgorithms": ["AES256-GCM-16"],
    "Phase2IntegrityAlgorithms": ["SHA2-384"],
    "Phase2DhGroupNumbers": [20],
}
STRONG_IPSEC = {
    "ikeEncryption": "AES256",
    "ikeIntegrity": "SHA256",
    "dhGroup": "DHGroup14",
    "ipsecEncryption": "AES256",
    "ipsecIntegrity": "SHA256",
    "pfsGroup": "PFS2048",
    "saLifeTimeSeconds": 3600,
}


def run(resources: list[Resource], policy: Any) -> Evaluation:
    return evaluate(resources, [policy], PolicySettings())


def messages(resources: list[Resource], policy: Any, name: str) -> list[str]:
    return [f.message for f in run(resources, policy).findings if f.urn.rsplit("::", 1)[-1] == name]


def aws_vpn(**tunnel1: Any) -> dict[str, Any]:
    inputs = {f"tunnel{n}{k}": v for n in (1, 2) for k, v in STRONG_TUNNEL.items()}
    inputs.update({f"tunnel1{k}": v for k, v in tunnel1.items()})
    return {k: v for k, v in inputs.items() if v is not None}


# --- network-vpn-strong-crypto --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({}, None),
        ({"IkeVersions": ["ikev1", "ikev2"]}, '`tunnel1IkeVersions` must be ["ikev2"]'),
        ({"Phase1EncryptionAlgorithms": None}, "`tunnel1Phase1EncryptionAlgorithms` is not set"),
        ({"Phase1EncryptionAlgorithms": ["AES128", "AES256"]}, "offers AES128"),
        ({"Phase2IntegrityAlgorithms": ["SHA1"]}, "`tunnel1Phase2IntegrityAlgorithms` offers SHA1"),
        ({"Phase1DhGroupNumbers": [2, 14]}, "offers group(s) 2"),
        ({"Phase2DhGroupNumbers": [24]}, "offers group(s) 24"),
        ({"Phase2DhGroupNumbers": None}, "`tunnel1Phase2DhGroupNumbers` is not set"),
    ],
)
def test_aws_vpn_connections(change: dict[str, Any], fragment: str | None) -> None:
    p = aws_provider()
    vpn = resource("aws:ec2/vpnConnection:VpnConnection", "vpn", aws_vpn(**change), provider=p)
    found = messages([p, vpn], network_vpn.network_vpn_strong_crypto, "vpn")
    if fragment is None:
        assert found == []
    else:
        assert any(fragment in m for m in found), found


@pytest.mark.parametrize(
    ("inputs", "fragment"),
    [
        ({"ikeVersion": 2}, None),
        ({}, None),  # Cloud VPN's default is IKEv2
        ({"ikeVersion": 1}, "`ikeVersion` must be 2"),
        (
            {
                "ikeVersion": 2,
                "cipherSuite": {
                    "phase1": {
                        "encryptions": ["AES-CBC-256"],
                        "integrities": ["HMAC-SHA2-256-128"],
                        "dhs": ["Group-14"],
                    }
                },
            },
            None,
        ),
        ({"ikeVersion": 2, "cipherSuite": {"phase1": {"encryptions": ["AES-CBC-128"]}}}, "offers AES-CBC-128"),
        ({"ikeVersion": 2, "cipherSuite": {"phase2": {"integrities": ["HMAC-SHA1-96"]}}}, "offers HMAC-SHA1-96"),
        ({"ikeVersion": 2, "cipherSuite": {"phase1": {"dhs": ["Group-2"]}}}, "offers Group-2"),
    ],
)
def test_gcp_vpn_tunnels(inputs: dict[str, Any], fragment: str | None) -> None:
    p = gcp_provider()
    tunnel = resource("gcp:compute/vPNTunnel:VPNTunnel", "tunnel", {"region": "europe-west4", **inputs}, provider=p)
    found = messages([p, tunnel], network_vpn.network_vpn_strong_crypto, "tunnel")
    if fragment is None:
        assert found == []
    else:
        assert any(fragment in m for m in found), found


@pytest.mark.parametrize(
    ("inputs", "fragment"),
    [
        ({"connectionType": "IPsec", "connectionProtocol": "IKEv2", "ipsecPolicies": [STRONG_IPSEC]}, None),
        (
            {"connectionType": "IPsec", "ipsecPolicies": [{**STRONG_IPSEC, "dhGroup": "ECP384", "pfsGroup": "ECP384"}]},
            None,
        ),
        ({"connectionType": "IPsec", "connectionProtocol": "IKEv2"}, "`ipsecPolicies` is not set"),
        (
            {"connectionType": "IPsec", "connectionProtocol": "IKEv1", "ipsecPolicies": [STRONG_IPSEC]},
            '`connectionProtocol` must be "IKEv2"',
        ),
        (
            {"connectionType": "IPsec", "ipsecPolicies": [{**STRONG_IPSEC, "ikeIntegrity": "SHA1"}]},
            "`ipsecPolicies[0].ikeIntegrity` is 'SHA1'",
        ),
        (
            {"connectionType": "Vnet2Vnet", "ipsecPolicies": [{**STRONG_IPSEC, "pfsGroup": "PFS24"}]},
            "`ipsecPolicies[0].pfsGroup` is 'PFS24'",
        ),
        ({"connectionType": "ExpressRoute"}, None),
    ],
)
def test_azure_connections(inputs: dict[str, Any], fragment: str | None) -> None:
    p = azure_provider()
    connection = resource(
        "azure-native:network:VirtualNetworkGatewayConnection",
        "connection",
        {"location": "westeurope", **inputs},
        provider=p,
    )
    found = messages([p, connection], network_vpn.network_vpn_strong_crypto, "connection")
    if fragment is None:
        assert found == []
    else:
        assert any(fragment in m for m in found), found


# --- network-no-public-ingress ----------------------------------------------------------------------------


def sg_rule(cidrs: list[str], v6: list[str] | None = None, from_port: int = 443, to_port: int = 443) -> dict[str, Any]:
    return {
        "protocol": "tcp",
        "fromPort": from_port,
        "toPort": to_port,
        "cidrBlocks": cidrs,
        "ipv6CidrBlocks": v6 or [],
    }


@pytest.mark.parametrize(
    ("type_", "inputs", "violates"),
    [
        ("aws:ec2/securityGroup:SecurityGroup", {"ingress": [sg_rule(["10.16.0.0/12"])]}, False),
        ("aws:ec2/securityGroup:SecurityGroup", {"ingress": [sg_rule(["10.16.0.0/12"]), sg_rule(["0.0.0.0/0"])]}, True),
        ("aws:ec2/securityGroup:SecurityGroup", {"ingress": [sg_rule([], ["::/0"])]}, True),
        (
            "aws:ec2/securityGroup:SecurityGroup",
            {"ingress": [sg_rule(["0.0.0.0/0"])], "tags": {"exposure": "public"}},
            False,
        ),
        ("aws:ec2/securityGroup:SecurityGroup", {"egress": [sg_rule(["0.0.0.0/0"])]}, False),
        ("aws:ec2/securityGroupRule:SecurityGroupRule", {"type": "ingress", "cidrBlocks": ["0.0.0.0/0"]}, True),
        ("aws:ec2/securityGroupRule:SecurityGroupRule", {"type": "egress", "cidrBlocks": ["0.0.0.0/0"]}, False),
        (
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            {"cidrIpv4": "0.0.0.0/0", "ipProtocol": "tcp"},
            True,
        ),
        (
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            {"cidrIpv4": "10.0.0.0/8", "ipProtocol": "tcp"},
            False,
        ),
        (
            "aws:ec2/networkAcl:NetworkAcl",
            {
                "ingress": [
                    {
                        "action": "allow",
                        "cidrBlock": "0.0.0.0/0",
                        "fromPort": 22,
                        "toPort": 22,
                        "protocol": "tcp",
                        "ruleNo": 100,
                    }
                ]
            },
            True,
        ),
        (
            "aws:ec2/networkAcl:NetworkAcl",
            {
                "ingress": [
                    {
                        "action": "allow",
                        "cidrBlock": "0.0.0.0/0",
                        "fromPort": 1024,
                        "toPort": 65535,
                        "protocol": "tcp",
                        "ruleNo": 100,
                    }
                ]
            },
            False,
        ),
        (
            "aws:ec2/networkAcl:NetworkAcl",
            {
                "ingress": [
                    {
                        "action": "deny",
                        "cidrBlock": "0.0.0.0/0",
                        "fromPort": 0,
                        "toPort": 0,
                        "protocol": "-1",
                        "ruleNo": 100,
                    }
                ]
            },
            False,
        ),
        (
            "aws:ec2/networkAclRule:NetworkAclRule",
            {"egress": False, "ruleAction": "allow", "cidrBlock": "0.0.0.0/0", "fromPort": 3389, "toPort": 3389},
            True,
        ),
        (
            "aws:ec2/networkAclRule:NetworkAclRule",
            {"egress": True, "ruleAction": "allow", "cidrBlock": "0.0.0.0/0", "fromPort": 443, "toPort": 443},
            False,
        ),
        (
            "aws:ec2/networkAclRule:NetworkAclRule",
            {"egress": False, "ruleAction": "allow", "cidrBlock": "0.0.0.0/0", "fromPort": 32768, "toPort": 65535},
            False,
        ),
        (
            "aws:ec2/networkAclRule:NetworkAclRule",
            {"egress": False, "ruleAction": "allow", "cidrBlock": "0.0.0.0/0", "fromPort": 1024, "toPort": 5432},
            True,
        ),
    ],
)
def test_aws_ingress(type_: str, inputs: dict[str, Any], violates: bool) -> None:
    p = aws_provider()
    found = messages([p, resource(type_, "guard", inputs, provider=p)], network_vpn.network_no_public_ingress, "guard")
    assert bool(found) is violates, found


@pytest.mark.parametrize(
    ("inputs", "violates"),
    [
        ({"sourceRanges": ["0.0.0.0/0"], "allows": [{"protocol": "tcp", "ports": ["22"]}]}, True),
        ({"sourceRanges": ["0.0.0.0/0"], "denies": [{"protocol": "all"}], "priority": 65534}, False),
        ({"sourceRanges": ["10.16.0.0/12"], "allows": [{"protocol": "all"}]}, False),
        ({"sourceRanges": ["0.0.0.0/0"], "allows": [{"protocol": "tcp"}], "targetTags": ["public-lb"]}, False),
        ({"allows": [{"protocol": "tcp"}]}, True),  # no source at all: GCP admits 0.0.0.0/0
        ({"sourceTags": ["web"], "allows": [{"protocol": "tcp"}]}, False),
        ({"direction": "EGRESS", "destinationRanges": ["0.0.0.0/0"], "allows": [{"protocol": "all"}]}, False),
        ({"sourceRanges": ["::/0"], "allows": [{"protocol": "tcp"}], "disabled": True}, False),
    ],
)
def test_gcp_firewall_rules(inputs: dict[str, Any], violates: bool) -> None:
    p = gcp_provider()
    rule = resource("gcp:compute/firewall:Firewall", "rule", {"network": "vpc", **inputs}, provider=p)
    found = messages([p, rule], network_vpn.network_no_public_ingress, "rule")
    assert bool(found) is violates, found


def nsg_rule(source: str, access: str = "Allow", direction: str = "Inbound", **extra: Any) -> dict[str, Any]:
    return {
        "name": "r",
        "priority": 100,
        "direction": direction,
        "access": access,
        "protocol": "*",
        "sourceAddressPrefix": source,
        "sourcePortRange": "*",
        "destinationAddressPrefix": "*",
        "destinationPortRange": "*",
        **extra,
    }


@pytest.mark.parametrize(
    ("type_", "inputs", "violates"),
    [
        (
            "azure-native:network:NetworkSecurityGroup",
            {"securityRules": [nsg_rule("VirtualNetwork"), nsg_rule("Internet", access="Deny")]},
            False,
        ),
        ("azure-native:network:NetworkSecurityGroup", {"securityRules": [nsg_rule("Internet")]}, True),
        ("azure-native:network:NetworkSecurityGroup", {"securityRules": [nsg_rule("*")]}, True),
        ("azure-native:network:NetworkSecurityGroup", {"securityRules": [nsg_rule("*", direction="Outbound")]}, False),
        (
            "azure-native:network:NetworkSecurityGroup",
            {"securityRules": [nsg_rule("Internet")], "tags": {"exposure": "public"}},
            False,
        ),
        ("azure-native:network:SecurityRule", nsg_rule("0.0.0.0/0"), True),
        (
            "azure-native:network:SecurityRule",
            {
                **nsg_rule("10.48.0.0/12"),
                "sourceAddressPrefix": None,
                "sourceAddressPrefixes": ["10.16.0.0/12", "0.0.0.0/0"],
            },
            True,
        ),
        ("azure-native:network:SecurityRule", nsg_rule("10.16.0.0/12"), False),
    ],
)
def test_azure_nsg_rules(type_: str, inputs: dict[str, Any], violates: bool) -> None:
    p = azure_provider()
    nsg = resource(type_, "nsg", {"location": "westeurope", **inputs}, provider=p)
    found = messages([p, nsg], network_vpn.network_no_public_ingress, "nsg")
    assert bool(found) is violates, found


def test_policies_carry_severity_and_remediation() -> None:
    for policy in network_vpn.POLICIES:
        assert policy.name.startswith("network-")
        assert policy.severity is not None and policy.remediation_steps and policy.description
        assert policy.enforcement_level is not None and policy.enforcement_level.value == "mandatory"
