"""The `network-` family: strong site-to-site VPN crypto, and no ingress from the whole internet.

* `network-vpn-strong-crypto`: every site-to-site tunnel negotiates IKEv2 with strong proposals only:
  AES-256 (CBC or GCM), SHA-2 integrity (256 bits or more), Diffie-Hellman groups 14-21 (MODP 2048
  and larger, and the elliptic-curve groups; never 1, 2, 5 or the weak-subgroup 22-24).
  - AWS `VpnConnection`: per tunnel `tunnelNIkeVersions` exactly ["ikev2"] and every phase 1 and
    phase 2 list set and strong. Unset lists are a violation: AWS then offers its defaults, which
    include AES-128, SHA-1 and group 2.
  - GCP `VPNTunnel`: `ikeVersion` 2 (the default); Cloud VPN answers what the peer proposes, so its
    proposals are judged on the peer's side, and on the tunnel only when `cipherSuite` pins them.
  - Azure `VirtualNetworkGatewayConnection` of type IPsec or Vnet2Vnet: IKEv2 and a custom
    `ipsecPolicies` entry that is strong in every field. Without one Azure offers its default
    proposals, which include SHA-1 and DH group 2.
* `network-no-public-ingress`: nothing in the landing zone is reachable from 0.0.0.0/0 (or ::/0):
  AWS security groups and their rules, network ACL ingress (a rule for exactly an ephemeral return
  range, 1024-, 32768- or 49152-65535, is allowed: ACLs are stateless), GCP ingress allow rules that
  apply to every instance of the VPC (no target tags or service accounts; a rule without any source
  admits 0.0.0.0/0), Azure NSG inbound allow rules from `*`, `Internet`, `Any` or 0.0.0.0/0. A
  resource meant to face the internet (a public load balancer's group) says so with the tag
  `exposure: public` (AWS, Azure) and is not judged.

What it deliberately does not do: judge VPN endpoints' reachability, client VPNs, Virtual WAN, or
egress (the foundation has no route to the internet).
"""

from __future__ import annotations

import re
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ResourceValidationPolicy,
    Severity,
)

from ._support import Check, Props, get, is_set, is_true, items, show, table_policy

# --- strong proposals ------------------------------------------------------------------------------

AWS_ENCRYPTION = {"AES256", "AES256-GCM-16"}
AWS_INTEGRITY = {"SHA2-256", "SHA2-384", "SHA2-512"}
STRONG_DH_GROUPS = set(range(14, 22))
AZURE_STRONG = {
    "ikeEncryption": {"AES256", "GCMAES256"},
    "ikeIntegrity": {"SHA256", "SHA384", "GCMAES256"},
    "dhGroup": {"DHGroup14", "DHGroup2048", "ECP256", "ECP384"},
    "ipsecEncryption": {"AES256", "GCMAES256"},
    "ipsecIntegrity": {"SHA256", "GCMAES256"},
    "pfsGroup": {"PFS2048", "PFS14", "ECP256", "ECP384"},
}
_GCP_WEAK = re.compile(
    r"(^|[^0-9])(1024|1536)([^0-9]|$)|SHA1|SHA-1|MD5|3DES|AES-?(CBC-)?128|GROUP-?(1|2|5|22|23|24)$", re.IGNORECASE
)


def _strings(value: Any) -> list[str]:
    return [str(v) for v in items(value)]


def _aws_tunnel(props: Props, n: int) -> list[str]:
    p = f"tunnel{n}"
    problems = []
    versions = _strings(get(props, f"{p}IkeVersions"))
    if versions != ["ikev2"]:
        problems.append(f'`{p}IkeVersions` must be ["ikev2"] (it is {show(versions or None)})')
    for phase in ("Phase1", "Phase2"):
        for field, allowed in (("EncryptionAlgorithms", AWS_ENCRYPTION), ("IntegrityAlgorithms", AWS_INTEGRITY)):
            path = f"{p}{phase}{field}"
            values = _strings(get(props, path))
            if not values:
                problems.append(
                    f"`{path}` is not set, so AWS offers its defaults (AES128, SHA1 included): set it "
                    f"to {sorted(allowed)[0]!r} or another of {', '.join(sorted(allowed))}"
                )
            elif weak := [v for v in values if v not in allowed]:
                problems.append(f"`{path}` offers {', '.join(weak)}: keep only {', '.join(sorted(allowed))}")
        path = f"{p}{phase}DhGroupNumbers"
        groups = [int(g) for g in items(get(props, path)) if str(g).isdigit()]
        if not groups:
            problems.append(
                f"`{path}` is not set, so AWS offers its defaults (group 2 included): set it to [14] "
                "or other groups of 14-21"
            )
        elif weak_groups := [g for g in groups if g not in STRONG_DH_GROUPS]:
            problems.append(f"`{path}` offers group(s) {', '.join(map(str, weak_groups))}: keep only groups 14-21")
    return problems


def _aws_vpn(props: Props) -> list[str]:
    return _aws_tunnel(props, 1) + _aws_tunnel(props, 2)


def _gcp_vpn(props: Props) -> list[str]:
    problems = []
    version = get(props, "ikeVersion")
    if version is not None and str(version) != "2":
        problems.append(f"`ikeVersion` must be 2 (it is {version!r})")
    suite = get(props, "cipherSuite")
    if is_set(suite):
        for phase, fields in (
            ("phase1", ("encryptions", "integrities", "prves", "dhs")),
            ("phase2", ("encryptions", "integrities", "pfs")),
        ):
            for field in fields:
                weak = [v for v in _strings(get(suite, f"{phase}.{field}")) if _GCP_WEAK.search(v)]
                if weak:
                    problems.append(
                        f"`cipherSuite.{phase}.{field}` offers {', '.join(weak)}: keep AES-256, SHA-2 "
                        "and DH groups 14-21 only"
                    )
    return problems


def _azure_vpn(props: Props) -> list[str]:
    kind = get(props, "connectionType")
    if str(kind) not in ("IPsec", "Vnet2Vnet"):
        return []  # ExpressRoute and VPN client connections carry no IKE negotiation
    problems = []
    protocol = get(props, "connectionProtocol")
    if protocol is not None and str(protocol) != "IKEv2":
        problems.append(f'`connectionProtocol` must be "IKEv2" (it is {protocol!r})')
    policies = items(get(props, "ipsecPolicies"))
    if not policies:
        problems.append(
            "`ipsecPolicies` is not set, so Azure offers its default proposals (SHA1 and DH group 2 "
            "included): set one policy, e.g. AES256/SHA256/DHGroup14 and AES256/SHA256/PFS2048"
        )
    for i, policy in enumerate(policies):
        for field, allowed in AZURE_STRONG.items():
            value = get(policy, field)
            if str(value) not in allowed:
                problems.append(
                    f"`ipsecPolicies[{i}].{field}` is {show(value)}: use one of {', '.join(sorted(allowed))}"
                )
    return problems


VPN: dict[str, Check] = {
    "aws:ec2/vpnConnection:VpnConnection": _aws_vpn,
    "gcp:compute/vPNTunnel:VPNTunnel": _gcp_vpn,
    "azure-native:network:VirtualNetworkGatewayConnection": _azure_vpn,
}

# --- public ingress ---------------------------------------------------------------------------------

OPEN_V4, OPEN_V6 = "0.0.0.0/0", "::/0"
AZURE_OPEN = {"*", "internet", "any", OPEN_V4, OPEN_V6}
# Return traffic through a stateless ACL: the documented ephemeral ranges, which all end at 65535.
EPHEMERAL_STARTS = (1024, 32768, 49152)
EXPOSURE_TAG = "exposure"


def _public_by_design(props: Props) -> bool:
    return str(get(props, f"tags.{EXPOSURE_TAG}") or "").lower() == "public"


def _open_cidrs(rule: Any, v4: str, v6: str) -> list[str]:
    return [c for c in _strings(get(rule, v4)) + _strings(get(rule, v6)) if c in (OPEN_V4, OPEN_V6)]


def _ephemeral_only(rule: Any) -> bool:
    """An ACL rule for return traffic: exactly an ephemeral port range (1024-, 32768- or 49152-65535)."""
    low, high = get(rule, "fromPort"), get(rule, "toPort")
    try:
        return int(low) in EPHEMERAL_STARTS and int(high) == 65535
    except (TypeError, ValueError):
        return False


def _aws_sg(props: Props) -> list[str]:
    return [
        f"`ingress[{i}]` admits {', '.join(open_)} (ports {get(rule, 'fromPort')}-{get(rule, 'toPort')})"
        for i, rule in enumerate(items(get(props, "ingress")))
        if (open_ := _open_cidrs(rule, "cidrBlocks", "ipv6CidrBlocks"))
    ]


def _aws_sg_rule(props: Props) -> list[str]:
    if str(get(props, "type")) != "ingress":
        return []
    open_ = _open_cidrs(props, "cidrBlocks", "ipv6CidrBlocks")
    return [f"the ingress rule admits {', '.join(open_)}"] if open_ else []


def _aws_sg_ingress_rule(props: Props) -> list[str]:
    open_ = [c for c in (get(props, "cidrIpv4"), get(props, "cidrIpv6")) if c in (OPEN_V4, OPEN_V6)]
    return [f"`cidrIpv4`/`cidrIpv6` admits {', '.join(map(str, open_))}"] if open_ else []


def _aws_nacl(props: Props) -> list[str]:
    out = []
    for i, rule in enumerate(items(get(props, "ingress"))):
        if str(get(rule, "action")).lower() != "allow" or _ephemeral_only(rule):
            continue
        open_ = [c for c in (get(rule, "cidrBlock"), get(rule, "ipv6CidrBlock")) if c in (OPEN_V4, OPEN_V6)]
        if open_:
            out.append(
                f"`ingress[{i}]` allows {', '.join(map(str, open_))} on ports "
                f"{get(rule, 'fromPort')}-{get(rule, 'toPort')}"
            )
    return out


def _aws_nacl_rule(props: Props) -> list[str]:
    if is_true(get(props, "egress")) or str(get(props, "ruleAction")).lower() != "allow" or _ephemeral_only(props):
        return []
    open_ = [c for c in (get(props, "cidrBlock"), get(props, "ipv6CidrBlock")) if c in (OPEN_V4, OPEN_V6)]
    return [f"the ingress rule allows {', '.join(map(str, open_))}"] if open_ else []


def _gcp_firewall(props: Props) -> list[str]:
    if str(get(props, "direction") or "INGRESS").upper() != "INGRESS" or is_true(get(props, "disabled")):
        return []
    if not items(get(props, "allows")):
        return []  # deny rules
    if is_set(get(props, "targetTags")) or is_set(get(props, "targetServiceAccounts")):
        return []
    sources = _strings(get(props, "sourceRanges"))
    if not sources and not is_set(get(props, "sourceTags")) and not is_set(get(props, "sourceServiceAccounts")):
        return ["the allow rule has no source, so GCP admits 0.0.0.0/0, to every instance of the VPC"]
    open_ = [s for s in sources if s in (OPEN_V4, OPEN_V6)]
    return [f"`sourceRanges` admits {', '.join(open_)} to every instance of the VPC"] if open_ else []


def _azure_rule(rule: Any, where: str) -> list[str]:
    if str(get(rule, "direction")).lower() != "inbound" or str(get(rule, "access")).lower() != "allow":
        return []
    sources = [
        str(s) for s in [get(rule, "sourceAddressPrefix"), *items(get(rule, "sourceAddressPrefixes"))] if s is not None
    ]
    open_ = [s for s in sources if s.strip().lower() in AZURE_OPEN]
    return [f"{where} allows inbound from {', '.join(open_)}"] if open_ else []


def _azure_nsg(props: Props) -> list[str]:
    return [
        p
        for i, rule in enumerate(items(get(props, "securityRules")))
        for p in _azure_rule(rule, f"`securityRules[{i}]` ({get(rule, 'name')})")
    ]


def _azure_security_rule(props: Props) -> list[str]:
    return _azure_rule(props, "the rule")


INGRESS: dict[str, Check] = {
    "aws:ec2/securityGroup:SecurityGroup": _aws_sg,
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": _aws_sg,
    "aws:ec2/securityGroupRule:SecurityGroupRule": _aws_sg_rule,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": _aws_sg_ingress_rule,
    "aws:ec2/networkAcl:NetworkAcl": _aws_nacl,
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": _aws_nacl,
    "aws:ec2/networkAclRule:NetworkAclRule": _aws_nacl_rule,
    "gcp:compute/firewall:Firewall": _gcp_firewall,
    "azure-native:network:NetworkSecurityGroup": _azure_nsg,
    "azure-native:network:SecurityRule": _azure_security_rule,
}


network_vpn_strong_crypto = ResourceValidationPolicy(
    name="network-vpn-strong-crypto",
    description="Site-to-site VPN tunnels negotiate IKEv2 with AES-256, SHA-2 and Diffie-Hellman groups 14-21 only.",
    validate=table_policy(VPN),
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps='AWS VpnConnection, per tunnel: `tunnelNIkeVersions: ["ikev2"]`, '
    '`tunnelNPhase1EncryptionAlgorithms`/`Phase2...: ["AES256"]`, `...IntegrityAlgorithms: '
    '["SHA2-256"]`, `...DhGroupNumbers: [14]`. GCP VPNTunnel: `ikeVersion: 2`. Azure '
    "VirtualNetworkGatewayConnection: `connectionProtocol: IKEv2` and `ipsecPolicies: "
    "[{ikeEncryption: AES256, ikeIntegrity: SHA256, dhGroup: DHGroup14, ipsecEncryption: AES256, "
    "ipsecIntegrity: SHA256, pfsGroup: PFS2048, saLifeTimeSeconds: 3600, "
    "saDataSizeKilobytes: 102400000}]`. "
    "Types: " + ", ".join(sorted(VPN)),
)

network_no_public_ingress = ResourceValidationPolicy(
    name="network-no-public-ingress",
    description="No security group, network ACL, firewall rule or NSG rule admits traffic from 0.0.0.0/0 or ::/0 "
    "into the landing zone's private networks.",
    validate=table_policy(INGRESS, exempt=_public_by_design),
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Admit only the ranges that need access: the cloud's own supernet, the other clouds' "
    "supernets over the interconnect, a load balancer's or IAP's documented ranges. GCP: also "
    "scope a rule with `targetTags` or `targetServiceAccounts`. A resource that must face the "
    "internet carries the tag `exposure: public` (AWS, Azure) and is reviewed on its own. "
    "Types: " + ", ".join(sorted(INGRESS)),
)

POLICIES = [network_vpn_strong_crypto, network_no_public_ingress]
