"""The path planner's ranges never overlap the foundation's, each other, or move when regions grow."""

from __future__ import annotations

import ipaddress
import itertools

from hypothesis import given
from hypothesis import strategies as st

from lz.core import cidr, paths_plan

SUPERNETS = st.sampled_from(["10.16.0.0/12", "10.0.0.0/8", "172.16.0.0/16", "192.168.0.0/16", "10.64.0.0/14"])


def _no_overlaps(nets: list[ipaddress.IPv4Network]) -> None:
    for a, b in itertools.combinations(nets, 2):
        assert not a.overlaps(b), (a, b)


@given(SUPERNETS, st.integers(min_value=0, max_value=15), st.integers(min_value=1, max_value=3))
def test_aws_ranges_fit_beside_the_foundation(supernet: str, index: int, zones: int) -> None:
    net = ipaddress.IPv4Network(supernet)
    if index >= cidr.region_capacity(net):
        return
    block = cidr.region_block(net, index)
    found = cidr.aws_region_plan(block, zones)
    extra = paths_plan.aws_paths_plan(block, zones)
    nets = [*found.private, *found.data, *found.transit, *extra.public, *extra.firewall, *extra.dns]
    _no_overlaps(nets)
    assert all(n.subnet_of(block) for n in nets)
    for subnet, inbound, outbound in zip(extra.dns, extra.resolver_inbound, extra.resolver_outbound, strict=True):
        assert inbound in subnet and outbound in subnet and inbound != outbound
        assert int(inbound) - int(subnet.network_address) >= 4  # AWS keeps the first four
        assert inbound != subnet.broadcast_address


@given(SUPERNETS, st.integers(min_value=0, max_value=15))
def test_azure_ranges_fit_beside_the_foundation(supernet: str, index: int) -> None:
    net = ipaddress.IPv4Network(supernet)
    if index >= cidr.region_capacity(net):
        return
    block = cidr.region_block(net, index)
    found = cidr.azure_region_plan(block)
    extra = paths_plan.azure_paths_plan(block)
    _no_overlaps(
        [found.workload, found.data, found.apps, found.gateway, extra.firewall, extra.dns_inbound, extra.dns_outbound]
    )
    assert extra.firewall.prefixlen == 26  # Azure requires AzureFirewallSubnet to be a /26
    assert extra.firewall_private_ip in extra.firewall
    assert extra.resolver_inbound in extra.dns_inbound
    assert extra.dns_inbound.prefixlen <= 28


def test_gcp_inbound_address_is_usable() -> None:
    primary = cidr.gcp_region_plan(ipaddress.IPv4Network("10.32.0.0/16")).primary
    address = paths_plan.gcp_inbound_dns_address(primary)
    assert address in primary and int(address) - int(primary.network_address) >= 2


def test_example_addresses_are_fixed() -> None:
    plan = paths_plan.aws_paths_plan(ipaddress.IPv4Network("10.16.0.0/16"), 3)
    assert [str(n) for n in plan.firewall] == ["10.16.240.64/28", "10.16.240.80/28", "10.16.240.96/28"]
    assert [str(n) for n in plan.public] == ["10.16.240.192/28", "10.16.240.208/28", "10.16.240.224/28"]
    assert str(plan.resolver_inbound[0]) == "10.16.240.132"
    azure = paths_plan.azure_paths_plan(ipaddress.IPv4Network("10.48.0.0/16"))
    assert (str(azure.firewall), str(azure.firewall_private_ip)) == ("10.48.192.0/26", "10.48.192.4")


@given(SUPERNETS, st.integers(min_value=0, max_value=15))
def test_gcp_private_services_range_is_free(supernet: str, index: int) -> None:
    net = ipaddress.IPv4Network(supernet)
    if index >= cidr.region_capacity(net):
        return
    block = cidr.region_block(net, index)
    found = cidr.gcp_region_plan(block)
    psa = paths_plan.gcp_private_services_range(block)
    inbound = paths_plan.gcp_inbound_dns_address(found.primary)
    _no_overlaps([found.primary, found.pods, found.services, found.proxy_only, psa])
    assert psa.subnet_of(block) and psa.prefixlen <= 24 and inbound not in psa


def test_aws_egress_vpcs_are_distinct_and_outside_every_private_supernet() -> None:
    vpcs = [paths_plan.aws_egress_plan(i, 3).vpc for i in range(256)]  # a /8 supernet holds 256 regions
    assert len(set(vpcs)) == 256
    for vpc in vpcs:
        assert not any(vpc.overlaps(block) for block in cidr.RFC1918)
    # Appending a region never moves an existing egress VPC: the plan depends on the index alone.
    assert paths_plan.aws_egress_plan(3, 2).vpc == vpcs[3]
    plan = paths_plan.aws_egress_plan(7, 3)
    _no_overlaps([*plan.attachment, *plan.firewall, *plan.public])
    assert all(n.subnet_of(plan.vpc) for n in (*plan.attachment, *plan.firewall, *plan.public))
