"""Addresses for the network paths: egress subnets, firewall subnets and DNS resolver addresses.

Pure functions over `ipaddress` values, in the style of `lz.core.cidr`: every range sits at a fixed
offset inside space `lz.core.cidr` leaves free in a region block, so it never overlaps what the
foundation carved and never moves when regions are appended.

AWS (`lz.core.cidr.aws_region_plan` leaves the last sixteenth of the block almost empty: only the
transit /28s 0-2 at its start): its /28s 4-6 are the Network Firewall subnets, 8-10 the DNS
resolver subnets and 12-14 the public (NAT gateway) subnets, one per AZ each. A /28 slot layout
fits the smallest region block (/20, whose last sixteenth is a /24) as well as a /16.
GCP: the inbound DNS forwarder address is a fixed host of the primary range. Azure
(`lz.core.cidr.azure_region_plan` uses only the gateway /27 of the last quarter): the quarter's first
/26 is `AzureFirewallSubnet`, the next two /28s the DNS Private Resolver's inbound and outbound
subnets.

AWS egress VPCs (`aws_egress_plan`): one per region, holding the NAT gateways and the Network
Firewall of the centralized egress model. Its addresses must overlap nothing the transit gateways
route, so they come from outside every cloud's supernet (which the spec keeps inside RFC 1918): the
RFC 6598 shared address space, `100.64.0.0/16`, whose i-th /24 is the egress VPC of the spec's i-th
AWS region (AWS accepts such ranges for VPCs: the CreateVpc API reference's own example is
`100.68.0.0/18`, docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpc.html, read 2026-12).
The range is never propagated to a transit gateway route table, so no other network learns it. Its
/28s 0-2 are the transit gateway attachment subnets, 4-6 the firewall subnets, 8-10 the public
(NAT gateway) subnets, one per AZ each. (`AwsPathsPlan.public` and `.firewall` are the slots the
earlier per-VPC egress used inside the workload VPC; they stay reserved so nothing else moves.)

What it does not do: create anything, or know which of these a spec needs.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from lz.core import cidr

IPv4Network = ipaddress.IPv4Network
IPv4Address = ipaddress.IPv4Address

# AWS reserves the first four addresses and the last of every subnet, Azure the first four and
# the last (docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html; learn.microsoft.com
# "Azure Virtual Network FAQ: Are there any restrictions on using IP addresses within these
# subnets?", read 2026-12); GCP the first two and the last two of a primary range
# (cloud.google.com/vpc/docs/subnets#unusable-ip-addresses-in-every-subnet).
FIRST_USABLE = {"aws": 4, "azure": 4, "gcp": 2}


def _reserved_sixteenth(block: IPv4Network) -> IPv4Network:
    return cidr.nth_subnet(cidr.nth_subnet(block, 2, 3), 2, 3)


@dataclass(frozen=True)
class AwsPathsPlan:
    public: tuple[IPv4Network, ...]  # NAT gateways, one /28 per AZ
    firewall: tuple[IPv4Network, ...]  # Network Firewall endpoints, one /28 per AZ
    dns: tuple[IPv4Network, ...]  # Route 53 Resolver endpoints, one /28 per AZ
    resolver_inbound: tuple[IPv4Address, ...]  # the inbound endpoint's fixed address per AZ
    resolver_outbound: tuple[IPv4Address, ...]


def aws_paths_plan(block: IPv4Network, zones: int) -> AwsPathsPlan:
    if not 1 <= zones <= 3:
        raise ValueError("an AWS region plan spans one to three availability zones")
    reserved = _reserved_sixteenth(block)

    def slot(index: int) -> IPv4Network:
        return cidr.nth_subnet(reserved, 28 - reserved.prefixlen, index)

    firewall = tuple(slot(4 + i) for i in range(zones))
    dns = tuple(slot(8 + i) for i in range(zones))
    public = tuple(slot(12 + i) for i in range(zones))
    inbound = tuple(net.network_address + FIRST_USABLE["aws"] for net in dns)
    outbound = tuple(net.network_address + FIRST_USABLE["aws"] + 1 for net in dns)
    return AwsPathsPlan(public=public, firewall=firewall, dns=dns, resolver_inbound=inbound, resolver_outbound=outbound)


EGRESS_SPACE = ipaddress.IPv4Network("100.64.0.0/16")
EGRESS_VPC_PREFIX = 24


@dataclass(frozen=True)
class AwsEgressPlan:
    vpc: IPv4Network  # the egress VPC of one region: a /24 of EGRESS_SPACE
    attachment: tuple[IPv4Network, ...]  # transit gateway attachment subnets, one /28 per AZ
    firewall: tuple[IPv4Network, ...]  # Network Firewall endpoints, one /28 per AZ
    public: tuple[IPv4Network, ...]  # NAT gateways, one /28 per AZ


def aws_egress_plan(region_index: int, zones: int) -> AwsEgressPlan:
    """The egress VPC of the spec's `region_index`-th AWS region: fixed by that position alone."""
    if not 1 <= zones <= 3:
        raise ValueError("an AWS region plan spans one to three availability zones")
    vpc = cidr.nth_subnet(EGRESS_SPACE, EGRESS_VPC_PREFIX - EGRESS_SPACE.prefixlen, region_index)

    def slot(index: int) -> IPv4Network:
        return cidr.nth_subnet(vpc, 28 - vpc.prefixlen, index)

    return AwsEgressPlan(
        vpc=vpc,
        attachment=tuple(slot(i) for i in range(zones)),
        firewall=tuple(slot(4 + i) for i in range(zones)),
        public=tuple(slot(8 + i) for i in range(zones)),
    )


def gcp_private_services_range(block: IPv4Network) -> IPv4Network:
    """The foundation's private services access range (Cloud SQL and other producers): the last
    sixteenth of the home region's block, which `lz.core.cidr.gcp_region_plan` leaves unused. Fixed, so
    Google never picks a range that overlaps the other clouds' supernets across the VPN."""
    return cidr.nth_subnet(cidr.nth_subnet(block, 2, 3), 2, 3)


def gcp_inbound_dns_address(primary: IPv4Network) -> IPv4Address:
    """A fixed address of the primary range, reserved for the inbound DNS server policy."""
    return primary.network_address + FIRST_USABLE["gcp"] + 3


@dataclass(frozen=True)
class AzurePathsPlan:
    firewall: IPv4Network  # AzureFirewallSubnet: /26 exactly, as Azure requires
    firewall_private_ip: IPv4Address  # the firewall's first private address in that subnet
    dns_inbound: IPv4Network  # DNS Private Resolver inbound endpoint subnet (/28 at least)
    dns_outbound: IPv4Network
    resolver_inbound: IPv4Address


def azure_paths_plan(block: IPv4Network) -> AzurePathsPlan:
    last_quarter = cidr.nth_subnet(block, 2, 3)
    firewall = cidr.nth_subnet(last_quarter, 26 - last_quarter.prefixlen, 0)
    dns_inbound = cidr.nth_subnet(last_quarter, 28 - last_quarter.prefixlen, 4)
    dns_outbound = cidr.nth_subnet(last_quarter, 28 - last_quarter.prefixlen, 5)
    return AzurePathsPlan(
        firewall=firewall,
        firewall_private_ip=firewall.network_address + FIRST_USABLE["azure"],
        dns_inbound=dns_inbound,
        dns_outbound=dns_outbound,
        resolver_inbound=dns_inbound.network_address + FIRST_USABLE["azure"],
    )


# --- cross-cloud private DNS ---------------------------------------------------------------------

# `.internal` is reserved for private use and will never be delegated in the public DNS (ICANN
# board resolution 2024.07.29.06, read 2026-12), so these names cannot collide with real ones.
PRIVATE_TLD = "internal"


def private_domain(cloud: str, organization: str, environment: str) -> str:
    """The private zone a cloud answers for and the other clouds forward to: `aws.dev.acme.internal`."""
    return f"{cloud}.{environment}.{organization}.{PRIVATE_TLD}"


def dns_enabled(clouds: list[str], topology: str) -> bool:
    """Names cross clouds only where packets do: two clouds or more, joined by the interconnect."""
    return len(clouds) >= 2 and topology != "none"


# Cloud DNS sends forwarded queries (and answers inbound ones) from this range; the other clouds
# must route it back over the interconnect, so GCP's Cloud Routers advertise it where DNS crosses
# clouds ("Forwarding zones: network requirements", cloud.google.com/dns/docs/zones/forwarding-zones,
# read 2026-12).
CLOUD_DNS_FORWARDERS = ipaddress.IPv4Network("35.199.192.0/19")


def gcp_extra_advertised(clouds: list[str], topology: str) -> list[IPv4Network]:
    """What GCP's BGP sessions advertise beyond its region blocks."""
    return [CLOUD_DNS_FORWARDERS] if "gcp" in clouds and dns_enabled(clouds, topology) else []
