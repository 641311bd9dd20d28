"""Address planning: carving each cloud's supernet into region blocks and subnets.

Pure functions over `ipaddress` values, with no Pulumi or spec imports, so they can be
property-tested on their own. The rules, chosen so that a plan never moves under a user's feet:

* A region's block is the i-th slice of its cloud's supernet, i being the region's position in the
  spec's region list. Appending a region never re-addresses an existing one.
* Region blocks are `max(supernet prefix + 4, 16)` long: sixteen regions per cloud at least, and
  never larger than a /16, the largest CIDR an AWS VPC accepts.
* Inside a region block every subnet sits at a fixed relative offset, so the same region always
  gets the same subnets whatever the other regions or clouds do.

What it does not do: pick supernets for the user, or check them against the clouds' reserved
ranges beyond RFC 1918 (that is the spec's job).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

IPv4Network = ipaddress.IPv4Network

RFC1918 = (
    ipaddress.IPv4Network("10.0.0.0/8"),
    ipaddress.IPv4Network("172.16.0.0/12"),
    ipaddress.IPv4Network("192.168.0.0/16"),
)
REGIONS_PER_SUPERNET_BITS = 4  # 16 region blocks per cloud at least
MAX_BLOCK_PREFIX = 16  # largest AWS VPC
SMALLEST_SUPERNET_PREFIX = 16  # a /16 supernet gives /20 regions, the smallest we carve


def is_rfc1918(net: IPv4Network) -> bool:
    return any(net.subnet_of(block) for block in RFC1918)


def region_prefix(supernet: IPv4Network) -> int:
    return max(supernet.prefixlen + REGIONS_PER_SUPERNET_BITS, MAX_BLOCK_PREFIX)


def region_capacity(supernet: IPv4Network) -> int:
    """How many region blocks the supernet holds (0 when it is too small to carve)."""
    if supernet.prefixlen > SMALLEST_SUPERNET_PREFIX:
        return 0
    return 2 ** (region_prefix(supernet) - supernet.prefixlen)


def region_block(supernet: IPv4Network, index: int) -> IPv4Network:
    capacity = region_capacity(supernet)
    if not 0 <= index < capacity:
        raise ValueError(f"region index {index} outside the {capacity} blocks of {supernet}")
    prefix = region_prefix(supernet)
    size = 2 ** (32 - prefix)
    return ipaddress.IPv4Network((int(supernet.network_address) + index * size, prefix))


def region_blocks(supernet: IPv4Network, regions: Sequence[str]) -> dict[str, IPv4Network]:
    return {region: region_block(supernet, i) for i, region in enumerate(regions)}


def nth_subnet(block: IPv4Network, extra_bits: int, index: int) -> IPv4Network:
    """The index-th subnet of `block` that is `extra_bits` longer, without listing them all."""
    prefix = block.prefixlen + extra_bits
    if prefix > 32 or not 0 <= index < 2**extra_bits:
        raise ValueError(f"no subnet {index} of /{prefix} in {block}")
    size = 2 ** (32 - prefix)
    return ipaddress.IPv4Network((int(block.network_address) + index * size, prefix))


@dataclass(frozen=True)
class AwsRegionPlan:
    vpc: IPv4Network
    private: tuple[IPv4Network, ...]  # one per AZ, for workloads and node groups
    data: tuple[IPv4Network, ...]  # one per AZ, for databases and replication instances
    transit: tuple[IPv4Network, ...]  # one /28 per AZ for the transit gateway attachment


def aws_region_plan(block: IPv4Network, zones: int) -> AwsRegionPlan:
    """Quarters 0-2 hold private subnets (one per AZ); quarter 3 holds data and transit subnets."""
    if not 1 <= zones <= 3:
        raise ValueError("an AWS region plan spans one to three availability zones")
    private = tuple(nth_subnet(block, 2, i) for i in range(zones))
    last_quarter = nth_subnet(block, 2, 3)
    data = tuple(nth_subnet(last_quarter, 2, i) for i in range(zones))
    reserved = nth_subnet(last_quarter, 2, 3)  # the last sixteenth: small infrastructure subnets
    transit = tuple(nth_subnet(reserved, 28 - reserved.prefixlen, i) for i in range(zones))
    return AwsRegionPlan(vpc=block, private=private, data=data, transit=transit)


@dataclass(frozen=True)
class GcpRegionPlan:
    primary: IPv4Network  # nodes, VMs, serverless connectors
    pods: IPv4Network  # GKE pod secondary range
    services: IPv4Network  # GKE service secondary range
    proxy_only: IPv4Network  # regional managed proxy (internal load balancers)


def gcp_region_plan(block: IPv4Network) -> GcpRegionPlan:
    """Half the block for pods, a quarter for the primary range, the rest split small."""
    pods = nth_subnet(block, 1, 0)
    primary = nth_subnet(block, 2, 2)
    last_quarter = nth_subnet(block, 2, 3)
    services = nth_subnet(last_quarter, 1, 0)
    proxy_only = nth_subnet(last_quarter, 2, 2)
    return GcpRegionPlan(primary=primary, pods=pods, services=services, proxy_only=proxy_only)


@dataclass(frozen=True)
class AzureRegionPlan:
    vnet: IPv4Network
    workload: IPv4Network  # AKS nodes and VMs
    data: IPv4Network  # private endpoints of data services
    gateway: IPv4Network  # GatewaySubnet for VPN / ExpressRoute gateways (/27 at least)
    apps: IPv4Network  # delegated to Container Apps environments


def azure_region_plan(block: IPv4Network) -> AzureRegionPlan:
    workload = nth_subnet(block, 1, 0)
    third_quarter = nth_subnet(block, 2, 2)
    last_quarter = nth_subnet(block, 2, 3)
    data = nth_subnet(third_quarter, 1, 0)
    apps = nth_subnet(third_quarter, 1, 1)
    gateway_home = nth_subnet(last_quarter, 2, 3)
    gateway = nth_subnet(gateway_home, max(0, 27 - gateway_home.prefixlen), 0)
    return AzureRegionPlan(vnet=block, workload=workload, data=data, gateway=gateway, apps=apps)


def overlaps(a: IPv4Network, b: IPv4Network) -> bool:
    return a.overlaps(b)
