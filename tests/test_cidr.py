"""Property tests of the address plan: blocks never overlap, sit inside their parent, and never move."""

from __future__ import annotations

import ipaddress
from itertools import combinations

from hypothesis import given
from hypothesis import strategies as st

from lz.core import cidr

RFC1918_SUPERNETS = st.one_of(
    st.builds(
        lambda p, i: cidr.nth_subnet(ipaddress.IPv4Network("10.0.0.0/8"), p - 8, i % 2 ** (p - 8)),
        st.integers(8, 16),
        st.integers(0, 2**8),
    ),
    st.builds(
        lambda p, i: cidr.nth_subnet(ipaddress.IPv4Network("172.16.0.0/12"), p - 12, i % 2 ** (p - 12)),
        st.integers(12, 16),
        st.integers(0, 2**4),
    ),
    st.just(ipaddress.IPv4Network("192.168.0.0/16")),
)


@given(RFC1918_SUPERNETS, st.integers(1, 16))
def test_region_blocks_are_disjoint_inside_the_supernet(supernet: ipaddress.IPv4Network, n: int) -> None:
    assert cidr.is_rfc1918(supernet)
    blocks = [cidr.region_block(supernet, i) for i in range(min(n, cidr.region_capacity(supernet)))]
    for block in blocks:
        assert block.subnet_of(supernet)
        assert block.prefixlen >= cidr.MAX_BLOCK_PREFIX  # never larger than an AWS VPC allows
    for a, b in combinations(blocks, 2):
        assert not a.overlaps(b)


@given(
    RFC1918_SUPERNETS,
    st.lists(st.text("abcdefgh", min_size=1, max_size=6), min_size=1, max_size=15, unique=True),
    st.text("xyz", min_size=1, max_size=4),
)
def test_appending_a_region_never_readdresses_existing_ones(
    supernet: ipaddress.IPv4Network, regions: list[str], extra: str
) -> None:
    before = cidr.region_blocks(supernet, regions)
    after = cidr.region_blocks(supernet, [*regions, extra])
    assert all(after[r] == before[r] for r in regions)


@given(RFC1918_SUPERNETS, st.integers(0, 15), st.integers(1, 3))
def test_aws_region_plan(supernet: ipaddress.IPv4Network, index: int, zones: int) -> None:
    block = cidr.region_block(supernet, index % cidr.region_capacity(supernet))
    plan = cidr.aws_region_plan(block, zones)
    subnets = [*plan.private, *plan.data, *plan.transit]
    assert len(plan.private) == len(plan.data) == len(plan.transit) == zones
    for s in subnets:
        assert s.subnet_of(block)
    for a, b in combinations(subnets, 2):
        assert not a.overlaps(b)
    assert all(t.prefixlen == 28 for t in plan.transit)


@given(RFC1918_SUPERNETS, st.integers(0, 15))
def test_gcp_and_azure_region_plans(supernet: ipaddress.IPv4Network, index: int) -> None:
    block = cidr.region_block(supernet, index % cidr.region_capacity(supernet))
    g = cidr.gcp_region_plan(block)
    a = cidr.azure_region_plan(block)
    for plan in ([g.primary, g.pods, g.services, g.proxy_only], [a.workload, a.data, a.gateway, a.apps]):
        for s in plan:
            assert s.subnet_of(block)
        for x, y in combinations(plan, 2):
            assert not x.overlaps(y)
    assert a.gateway.prefixlen <= 27  # Azure wants a /27 or larger GatewaySubnet
    assert a.apps.prefixlen <= 23  # a Container Apps environment needs a /23


def test_capacity_limits() -> None:
    assert cidr.region_capacity(ipaddress.IPv4Network("10.0.0.0/17")) == 0
    assert cidr.region_capacity(ipaddress.IPv4Network("10.0.0.0/16")) == 16
    assert cidr.region_capacity(ipaddress.IPv4Network("10.0.0.0/8")) == 256
    assert cidr.region_block(ipaddress.IPv4Network("10.16.0.0/12"), 1) == ipaddress.IPv4Network("10.17.0.0/16")
