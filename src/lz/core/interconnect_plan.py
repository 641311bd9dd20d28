"""The address and routing plan of the cross-cloud interconnect: BGP ASNs, links, tunnel inside ranges.

Pure functions over plain values (cloud names, ordered region lists, `ipaddress` networks), with no
Pulumi or spec imports, so they can be property-tested on their own. The spec validates with them
and the components build from them; neither picks a number of its own.

The rules, chosen so that a plan never moves under a user's feet:

* ASNs are 16-bit private ASNs (RFC 6996, 64512-65534), one per cloud and region, at a fixed base
  per cloud plus the region's position in the spec: AWS transit gateways 64512+i, GCP Cloud Routers
  64600+i (both fixed by the foundation networks), Azure VPN gateways 65100+i unless the spec
  overrides them. The clouds' ranges never meet, so both ends of every BGP session differ. Azure
  reserves 65515-65520; only an Azure gateway may use 65515, Azure's own default.
* Links are cloud pairs in a fixed order (aws-gcp, aws-azure, gcp-azure), and within a pair every
  linked region of one cloud with every linked region of the other. A link's slot is computed from
  the positions of its two regions in the spec's `interconnect.regions` lists, never from a count
  of other links, so adding a pair or appending a region never moves an existing allocation.
* Each pair owns its own /24 of link-local space and each link four /30s in it: AWS-GCP
  169.254.100.0/24 (clear of every range AWS reserves), AWS-Azure 169.254.21.0/24 and GCP-Azure
  169.254.22.0/24 (Azure requires the APIPA BGP addresses of its VPN gateways to lie in
  169.254.21.0-169.254.22.255). In every /30 the pair's first cloud takes the first host and the
  second cloud the second (AWS numbers its side first, and Azure is always second).
* Routes: each side advertises the region blocks it can reach over the link (all of GCP's, since
  its VPC routes globally; the linked region's block for AWS and Azure, whose regions are not
  peered), and a hub also advertises the supernets of the clouds behind it.

What it does not do: choose which regions are linked (the spec does, defaulting to each cloud's
home region), or know anything about resources, credentials or pre-shared keys.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

IPv4Network = ipaddress.IPv4Network
IPv4Address = ipaddress.IPv4Address
_T = TypeVar("_T")

CLOUDS: tuple[str, ...] = ("aws", "gcp", "azure")
PAIRS: tuple[tuple[str, str], ...] = (("aws", "gcp"), ("aws", "azure"), ("gcp", "azure"))
TOPOLOGIES = ("full-mesh", "hub", "none")

MAX_REGIONS = 16  # per cloud, as the spec allows
MAX_LINKED_REGIONS = 4  # per cloud: 4 x 4 links of 4 tunnels fill a pair's /24
TUNNEL_SLOTS_PER_LINK = 4

# --- ASNs ------------------------------------------------------------------------------------

PRIVATE_ASN_MIN = 64512
PRIVATE_ASN_MAX = 65534  # 65535 is reserved (RFC 7300)
AZURE_RESERVED_ASNS = range(65515, 65521)
AZURE_DEFAULT_ASN = 65515
ASN_BASES: dict[str, int] = {"aws": 64512, "gcp": 64600, "azure": 65100}
# Dedicated transport: the Direct Connect gateway needs an ASN of its own (not a transit gateway's);
# Google requires 16550 on Cloud Routers that carry Partner Interconnect VLAN attachments.
DX_GATEWAY_ASN = 64900
GCP_PARTNER_ROUTER_ASN = 16550

# --- link-local space ------------------------------------------------------------------------

LINK_LOCAL = IPv4Network("169.254.0.0/16")
AWS_RESERVED_INSIDE: tuple[IPv4Network, ...] = tuple(
    IPv4Network(n)
    for n in (
        "169.254.0.0/30",
        "169.254.1.0/30",
        "169.254.2.0/30",
        "169.254.3.0/30",
        "169.254.4.0/30",
        "169.254.5.0/30",
        "169.254.169.252/30",
    )
)
AZURE_APIPA_FIRST = IPv4Address("169.254.21.0")
AZURE_APIPA_LAST = IPv4Address("169.254.22.255")
TUNNEL_POOLS: dict[tuple[str, str], IPv4Network] = {
    ("aws", "gcp"): IPv4Network("169.254.100.0/24"),
    ("aws", "azure"): IPv4Network("169.254.21.0/24"),
    ("gcp", "azure"): IPv4Network("169.254.22.0/24"),
}
# Tunnels actually built per link: AWS offers two tunnels per VPN connection and the pair builds
# two connections; GCP HA VPN to an active-active Azure gateway is one tunnel per interface.
TUNNELS_PER_PAIR: dict[tuple[str, str], int] = {("aws", "gcp"): 4, ("aws", "azure"): 4, ("gcp", "azure"): 2}


class PlanError(ValueError):
    """A plan that cannot be built, with the cloud and region (or setting) it is about."""

    def __init__(self, cloud: str, key: str, message: str) -> None:
        super().__init__(message)
        self.cloud = cloud
        self.key = key
        self.message = message


def default_asn(cloud: str, index: int) -> int:
    """The ASN of the region at `index` of `cloud`'s region list, without overrides."""
    if cloud not in ASN_BASES:
        raise ValueError(f"unknown cloud {cloud!r}")
    if not 0 <= index < MAX_REGIONS:
        raise ValueError(f"region index {index} outside 0..{MAX_REGIONS - 1}")
    return ASN_BASES[cloud] + index


def asn_problem(cloud: str, asn: int) -> str | None:
    """Why `asn` cannot be `cloud`'s, or None."""
    if not PRIVATE_ASN_MIN <= asn <= PRIVATE_ASN_MAX:
        return f"{asn} is not a 16-bit private ASN ({PRIVATE_ASN_MIN}-{PRIVATE_ASN_MAX})"
    if asn in AZURE_RESERVED_ASNS and not (cloud == "azure" and asn == AZURE_DEFAULT_ASN):
        return (
            f"{asn} is reserved by Azure ({AZURE_RESERVED_ASNS.start}-{AZURE_RESERVED_ASNS.stop - 1}); "
            f"only an Azure VPN gateway may keep Azure's default {AZURE_DEFAULT_ASN}"
        )
    return None


def asn_plan(
    regions: Mapping[str, Sequence[str]], overrides: Mapping[str, Mapping[str, int]] | None = None
) -> dict[str, dict[str, int]]:
    """cloud -> region -> ASN for every enabled cloud's regions; distinct across all of them.

    Raises `PlanError(cloud, region, message)` for an override that is not a usable private ASN,
    that names a region the cloud does not have, or that repeats another region's ASN.
    """
    overrides = overrides or {}
    plan: dict[str, dict[str, int]] = {}
    for cloud in CLOUDS:
        if cloud not in regions:
            continue
        own = overrides.get(cloud, {})
        for region in own:
            if region not in regions[cloud]:
                raise PlanError(
                    cloud, region, f"{region!r} is not one of clouds.{cloud}.regions ({', '.join(regions[cloud])})"
                )
        plan[cloud] = {}
        for i, region in enumerate(regions[cloud]):
            asn = own[region] if region in own else default_asn(cloud, i)
            problem = asn_problem(cloud, asn)
            if problem:
                raise PlanError(cloud, region, problem)
            plan[cloud][region] = asn
    owners: dict[int, tuple[str, str]] = {}
    # Defaults first, so a clash is reported on the override that caused it.
    ordered = sorted(
        ((c, r) for c in plan for r in plan[c]),
        key=lambda cr: (cr[1] in overrides.get(cr[0], {}), CLOUDS.index(cr[0]), list(regions[cr[0]]).index(cr[1])),
    )
    for cloud, region in ordered:
        asn = plan[cloud][region]
        if asn in owners:
            other_cloud, other_region = owners[asn]
            raise PlanError(
                cloud,
                region,
                f"ASN {asn} is already {other_cloud.upper()} {other_region}'s; "
                "every region of every cloud needs its own ASN",
            )
        owners[asn] = (cloud, region)
    return plan


# --- links -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tunnel:
    index: int
    inside: IPv4Network  # a /30 of link-local space

    @property
    def first(self) -> IPv4Address:
        return self.inside.network_address + 1

    @property
    def second(self) -> IPv4Address:
        return self.inside.network_address + 2


@dataclass(frozen=True)
class Link:
    """Two clouds linked from one region each, over `tunnels`."""

    a: str
    b: str
    a_region: str
    b_region: str
    slot: int
    tunnels: tuple[Tunnel, ...]

    @property
    def pair(self) -> tuple[str, str]:
        return (self.a, self.b)

    @property
    def name(self) -> str:
        """`aws-gcp`: the pair, as resource names and outputs spell it."""
        return f"{self.a}-{self.b}"

    def region(self, cloud: str) -> str:
        return self._pick(cloud, self.a_region, self.b_region)

    def peer(self, cloud: str) -> str:
        return self._pick(cloud, self.b, self.a)

    def address(self, cloud: str, tunnel: Tunnel) -> IPv4Address:
        """`cloud`'s own BGP address inside `tunnel`."""
        return self._pick(cloud, tunnel.first, tunnel.second)

    def peer_address(self, cloud: str, tunnel: Tunnel) -> IPv4Address:
        return self._pick(cloud, tunnel.second, tunnel.first)

    def _pick(self, cloud: str, if_a: _T, if_b: _T) -> _T:
        if cloud == self.a:
            return if_a
        if cloud == self.b:
            return if_b
        raise ValueError(f"{cloud!r} is not part of link {self.name}")


def linked_pairs(enabled: Sequence[str], topology: str, hub: str | None = None) -> list[tuple[str, str]]:
    """The cloud pairs a topology links, in the fixed pair order."""
    if topology not in TOPOLOGIES:
        raise ValueError(f"unknown topology {topology!r}")
    if topology == "none":
        return []
    present = [p for p in PAIRS if p[0] in enabled and p[1] in enabled]
    if topology == "hub":
        if hub not in enabled:
            raise ValueError(f"hub {hub!r} is not an enabled cloud")
        return [p for p in present if hub in p]
    return present


def tunnel_inside(pair: tuple[str, str], slot: int, index: int) -> IPv4Network:
    """The /30 of tunnel `index` of the link in `slot` of `pair`."""
    pool = TUNNEL_POOLS[pair]
    per_pool = pool.num_addresses // 4
    position = slot * TUNNEL_SLOTS_PER_LINK + index
    if not 0 <= index < TUNNEL_SLOTS_PER_LINK or not 0 <= position < per_pool:
        raise ValueError(f"no tunnel {index} in slot {slot} of {pair[0]}-{pair[1]} ({pool})")
    return IPv4Network((int(pool.network_address) + position * 4, 30))


def link_slot(a_position: int, b_position: int) -> int:
    for position in (a_position, b_position):
        if not 0 <= position < MAX_LINKED_REGIONS:
            raise ValueError(f"linked region position {position} outside 0..{MAX_LINKED_REGIONS - 1}")
    return a_position * MAX_LINKED_REGIONS + b_position


def plan_links(
    enabled: Sequence[str], linked_regions: Mapping[str, Sequence[str]], topology: str, hub: str | None = None
) -> list[Link]:
    """Every link of the topology: per linked pair, each linked region of one cloud with each of the
    other's. `linked_regions[cloud]` is that cloud's ordered list (the spec defaults it to the home
    region); positions in it fix the slots."""
    links: list[Link] = []
    for a, b in linked_pairs(enabled, topology, hub):
        count = TUNNELS_PER_PAIR[(a, b)]
        for i, a_region in enumerate(linked_regions[a]):
            for j, b_region in enumerate(linked_regions[b]):
                slot = link_slot(i, j)
                tunnels = tuple(Tunnel(k, tunnel_inside((a, b), slot, k)) for k in range(count))
                links.append(Link(a, b, a_region, b_region, slot, tunnels))
    return links


# --- Azure gateways --------------------------------------------------------------------------


def azure_instance(link: Link, tunnel: Tunnel) -> int:
    """Which instance (0 or 1) of the active-active Azure gateway terminates `tunnel`.

    AWS-Azure: AWS connection 0 (tunnels 0, 1) goes to instance 0's public IP, connection 1
    (tunnels 2, 3) to instance 1's. GCP-Azure: HA VPN interface k to instance k.
    """
    if link.b != "azure":
        raise ValueError(f"link {link.name} does not end at Azure")
    return tunnel.index // 2 if link.a == "aws" else tunnel.index


def azure_apipa(links: Sequence[Link], region: str) -> tuple[list[str], list[str]]:
    """The custom APIPA BGP addresses of the Azure gateway in `region`, per instance, sorted."""
    per_instance: tuple[set[IPv4Address], set[IPv4Address]] = (set(), set())
    for link in links:
        if link.b != "azure" or link.b_region != region:
            continue
        for tunnel in link.tunnels:
            per_instance[azure_instance(link, tunnel)].add(link.address("azure", tunnel))
    return ([str(a) for a in sorted(per_instance[0])], [str(a) for a in sorted(per_instance[1])])


def is_azure_apipa(address: IPv4Address) -> bool:
    return AZURE_APIPA_FIRST <= address <= AZURE_APIPA_LAST


# --- routes ----------------------------------------------------------------------------------


def advertised_routes(
    cloud: str,
    region: str,
    blocks: Mapping[str, IPv4Network],
    *,
    topology: str = "full-mesh",
    hub: str | None = None,
    peer: str | None = None,
    supernets: Mapping[str, IPv4Network] | None = None,
) -> list[IPv4Network]:
    """What `cloud` advertises over a link from `region`: the region blocks reachable there, and,
    for a hub, the supernets of the other spokes behind it (never the peer's own)."""
    if cloud == "gcp":
        routes = list(blocks.values())  # one global VPC: every region is reachable from every router
    else:
        routes = [blocks[region]]
    if topology == "hub" and cloud == hub:
        routes += [net for name, net in (supernets or {}).items() if name not in (cloud, peer)]
    return sorted(set(routes), key=lambda n: (int(n.network_address), n.prefixlen))


def remote_supernets(
    cloud: str, enabled: Sequence[str], supernets: Mapping[str, IPv4Network], topology: str, hub: str | None = None
) -> list[IPv4Network]:
    """The other clouds' supernets `cloud` reaches over the interconnect (through the hub if any)."""
    if topology == "none" or cloud not in enabled:
        return []
    if topology == "hub" and hub not in enabled:
        return []
    return [supernets[c] for c in CLOUDS if c in enabled and c != cloud and c in supernets]
