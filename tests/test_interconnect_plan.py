"""Properties of the interconnect plan: ASNs, links, tunnel inside ranges, Azure APIPA and routes."""

from __future__ import annotations

import ipaddress
import itertools

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lz.core import interconnect_plan as plan

CLOUDS = plan.CLOUDS
LINK_LOCAL = ipaddress.IPv4Network("169.254.0.0/16")


def region_names(cloud: str, n: int) -> list[str]:
    return [f"{cloud}-region-{i}" for i in range(n)]


region_counts = st.fixed_dictionaries({c: st.integers(min_value=1, max_value=plan.MAX_REGIONS) for c in CLOUDS})
cloud_sets = st.sets(st.sampled_from(CLOUDS), min_size=2, max_size=3).map(lambda s: [c for c in CLOUDS if c in s])


@st.composite
def topologies(draw: st.DrawFn) -> tuple[list[str], dict[str, list[str]], str, str | None]:
    """Enabled clouds, their linked regions (1-4 each, from a larger region list), topology and hub."""
    enabled = draw(cloud_sets)
    linked = {}
    for cloud in enabled:
        pool = region_names(cloud, plan.MAX_REGIONS)
        linked[cloud] = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=plan.MAX_LINKED_REGIONS, unique=True))
    topology = draw(st.sampled_from(["full-mesh", "hub"]))
    hub = draw(st.sampled_from(enabled)) if topology == "hub" else None
    return enabled, linked, topology, hub


# --- ASNs ------------------------------------------------------------------------------------------


@given(region_counts, cloud_sets)
def test_default_asns_are_distinct_private_and_never_azure_reserved(counts: dict[str, int], enabled: list[str]) -> None:
    regions = {c: region_names(c, counts[c]) for c in enabled}
    asns = plan.asn_plan(regions)
    values = [asn for c in asns for asn in asns[c].values()]
    assert len(values) == len(set(values)) == sum(counts[c] for c in enabled)
    for asn in values:
        assert plan.PRIVATE_ASN_MIN <= asn <= plan.PRIVATE_ASN_MAX
        assert asn not in plan.AZURE_RESERVED_ASNS
    # Both ends of every possible pair differ.
    for a, b in itertools.combinations(enabled, 2):
        assert not set(asns[a].values()) & set(asns[b].values())


@given(region_counts)
def test_appending_a_region_never_renumbers(counts: dict[str, int]) -> None:
    regions = {c: region_names(c, counts[c]) for c in CLOUDS}
    before = plan.asn_plan(regions)
    grown = {c: region_names(c, min(counts[c] + 1, plan.MAX_REGIONS)) for c in CLOUDS}
    after = plan.asn_plan(grown)
    for cloud in CLOUDS:
        assert {r: after[cloud][r] for r in before[cloud]} == before[cloud]


def test_default_asns_match_the_foundation_networks() -> None:
    """The transit gateways and Cloud Routers are numbered by the network components; the plan agrees."""
    from lz.components.network.aws import tgw_asn
    from lz.components.network.gcp import router_asn

    for i in range(plan.MAX_REGIONS):
        assert plan.default_asn("aws", i) == tgw_asn(i)
        assert plan.default_asn("gcp", i) == router_asn(i)


@given(
    st.integers(min_value=1, max_value=4),
    st.dictionaries(st.integers(min_value=0, max_value=3), st.integers(min_value=60000, max_value=66000)),
)
def test_azure_overrides_are_checked(n_regions: int, raw: dict[int, int]) -> None:
    regions = {"aws": region_names("aws", 2), "gcp": region_names("gcp", 2), "azure": region_names("azure", n_regions)}
    overrides = {regions["azure"][i]: asn for i, asn in raw.items() if i < n_regions}
    try:
        asns = plan.asn_plan(regions, {"azure": overrides})
    except plan.PlanError as exc:
        assert exc.cloud == "azure" and exc.key in overrides
        asn = overrides[exc.key]
        others = [v for c in ("aws", "gcp") for v in plan.asn_plan({c: regions[c]})[c].values()]
        assert (
            not plan.PRIVATE_ASN_MIN <= asn <= plan.PRIVATE_ASN_MAX
            or (asn in plan.AZURE_RESERVED_ASNS and asn != plan.AZURE_DEFAULT_ASN)
            or asn in others
            or list(overrides.values()).count(asn) > 1
            or asn in [plan.default_asn("azure", i) for i in range(n_regions) if regions["azure"][i] not in overrides]
        )
        return
    values = [v for c in asns for v in asns[c].values()]
    assert len(values) == len(set(values))
    for region, asn in overrides.items():
        assert asns["azure"][region] == asn


def test_azure_default_asn_is_allowed_only_for_azure() -> None:
    regions = {"aws": ["a"], "gcp": ["g"], "azure": ["z"]}
    assert plan.asn_plan(regions, {"azure": {"z": 65515}})["azure"]["z"] == 65515
    with pytest.raises(plan.PlanError, match="reserved by Azure"):
        plan.asn_plan(regions, {"azure": {"z": 65517}})
    assert plan.asn_problem("gcp", 65515) is not None
    assert plan.asn_problem("aws", 64512) is None
    with pytest.raises(plan.PlanError, match="already GCP g's"):
        plan.asn_plan(regions, {"azure": {"z": 64600}})
    with pytest.raises(plan.PlanError, match="not one of clouds.azure.regions"):
        plan.asn_plan(regions, {"azure": {"nowhere": 65010}})


# --- links and tunnels ---------------------------------------------------------------------------------


def _all_tunnels(links: list[plan.Link]) -> list[tuple[plan.Link, plan.Tunnel]]:
    return [(link, t) for link in links for t in link.tunnels]


@settings(max_examples=200)
@given(topologies())
def test_tunnel_ranges_are_unique_link_local_and_clear_of_reserved_ranges(case: tuple) -> None:
    enabled, linked, topology, hub = case
    links = plan.plan_links(enabled, linked, topology, hub)
    tunnels = _all_tunnels(links)
    nets = [t.inside for _, t in tunnels]
    assert len(nets) == len(set(nets))
    for a, b in itertools.combinations(nets, 2):
        assert not a.overlaps(b)
    for link, tunnel in tunnels:
        assert tunnel.inside.prefixlen == 30 and tunnel.inside.subnet_of(LINK_LOCAL)
        assert not any(tunnel.inside.overlaps(r) for r in plan.AWS_RESERVED_INSIDE)
        own, peer = link.address(link.a, tunnel), link.address(link.b, tunnel)
        assert own != peer and {own, peer} <= set(tunnel.inside.hosts())
        assert link.peer_address(link.a, tunnel) == peer
        if "azure" in link.pair:
            # Azure requires both BGP addresses of its APIPA tunnels in 169.254.21.0-169.254.22.255.
            assert plan.is_azure_apipa(own) and plan.is_azure_apipa(peer)
            assert link.b == "azure"
        assert len(link.tunnels) == plan.TUNNELS_PER_PAIR[link.pair]


@settings(max_examples=200)
@given(topologies(), st.data())
def test_adding_regions_or_pairs_never_moves_an_allocation(case: tuple, data: st.DataObject) -> None:
    """A smaller spec (fewer clouds, fewer linked regions, each list a prefix) plans a subset of the links of
    the larger one, with the same tunnels."""
    enabled, linked, topology, hub = case
    full = {(lk.pair, lk.a_region, lk.b_region): lk.tunnels for lk in plan.plan_links(enabled, linked, topology, hub)}
    keep = [c for c in enabled if c == hub or data.draw(st.booleans(), label=f"keep {c}")]
    assume(len(keep) >= 2)
    smaller = {c: linked[c][: data.draw(st.integers(1, len(linked[c])), label=f"regions of {c}")] for c in keep}
    for link in plan.plan_links(keep, smaller, topology, hub):
        assert full[(link.pair, link.a_region, link.b_region)] == link.tunnels


def test_topologies_link_the_right_pairs() -> None:
    three = ["aws", "gcp", "azure"]
    linked = {"aws": ["eu-west-1"], "gcp": ["europe-west4"], "azure": ["westeurope"]}
    assert [lk.name for lk in plan.plan_links(three, linked, "full-mesh")] == ["aws-gcp", "aws-azure", "gcp-azure"]
    assert [lk.name for lk in plan.plan_links(three, linked, "hub", "azure")] == ["aws-azure", "gcp-azure"]
    assert [lk.name for lk in plan.plan_links(three, linked, "hub", "aws")] == ["aws-gcp", "aws-azure"]
    assert plan.plan_links(three, linked, "none") == []
    assert [lk.name for lk in plan.plan_links(["gcp", "azure"], linked, "full-mesh")] == ["gcp-azure"]
    with pytest.raises(ValueError, match="hub"):
        plan.linked_pairs(three, "hub", None)


def test_the_first_links_use_the_documented_ranges() -> None:
    linked = {"aws": ["eu-west-1"], "gcp": ["europe-west4"], "azure": ["westeurope"]}
    links = {lk.name: lk for lk in plan.plan_links(["aws", "gcp", "azure"], linked, "full-mesh")}
    assert [str(t.inside) for t in links["aws-gcp"].tunnels] == [
        "169.254.100.0/30",
        "169.254.100.4/30",
        "169.254.100.8/30",
        "169.254.100.12/30",
    ]
    assert next(str(t.inside) for t in links["aws-azure"].tunnels) == "169.254.21.0/30"
    assert [str(t.inside) for t in links["gcp-azure"].tunnels] == ["169.254.22.0/30", "169.254.22.4/30"]
    # AWS numbers its side first; Azure is always second.
    t0 = links["aws-azure"].tunnels[0]
    assert str(links["aws-azure"].address("aws", t0)) == "169.254.21.1"
    assert str(links["aws-azure"].address("azure", t0)) == "169.254.21.2"


def test_a_pool_holds_every_slot_and_no_more() -> None:
    last = plan.link_slot(plan.MAX_LINKED_REGIONS - 1, plan.MAX_LINKED_REGIONS - 1)
    for pair in plan.PAIRS:
        top = plan.tunnel_inside(pair, last, plan.TUNNEL_SLOTS_PER_LINK - 1)
        assert top.broadcast_address == plan.TUNNEL_POOLS[pair].broadcast_address
    with pytest.raises(ValueError):
        plan.link_slot(plan.MAX_LINKED_REGIONS, 0)
    with pytest.raises(ValueError):
        plan.tunnel_inside(("aws", "gcp"), 0, plan.TUNNEL_SLOTS_PER_LINK)


# --- Azure gateways ------------------------------------------------------------------------------------


@settings(max_examples=100)
@given(topologies())
def test_azure_apipa_addresses_are_per_instance_and_complete(case: tuple) -> None:
    enabled, linked, topology, hub = case
    assume("azure" in enabled)
    links = plan.plan_links(enabled, linked, topology, hub)
    for region in linked["azure"]:
        first, second = plan.azure_apipa(links, region)
        assert first == sorted(first, key=ipaddress.IPv4Address)
        assert not set(first) & set(second)
        expected: tuple[set[str], set[str]] = (set(), set())
        for link in links:
            if link.b == "azure" and link.b_region == region:
                for tunnel in link.tunnels:
                    expected[plan.azure_instance(link, tunnel)].add(str(link.address("azure", tunnel)))
        assert (set(first), set(second)) == expected
        # Active-active: every link that lands here uses both instances.
        if any(lk.b_region == region and lk.b == "azure" for lk in links):
            assert first and second


# --- routes --------------------------------------------------------------------------------------------

NET = ipaddress.IPv4Network
BLOCKS = {
    "aws": {"eu-west-1": NET("10.16.0.0/16"), "eu-central-1": NET("10.17.0.0/16")},
    "gcp": {"europe-west4": NET("10.32.0.0/16"), "europe-west1": NET("10.33.0.0/16")},
    "azure": {"westeurope": NET("10.48.0.0/16")},
}
SUPERNETS = {
    "aws": ipaddress.IPv4Network("10.16.0.0/12"),
    "gcp": ipaddress.IPv4Network("10.32.0.0/12"),
    "azure": ipaddress.IPv4Network("10.48.0.0/12"),
}


def test_each_side_advertises_its_reachable_region_blocks() -> None:
    assert plan.advertised_routes("gcp", "europe-west4", BLOCKS["gcp"]) == sorted(BLOCKS["gcp"].values())
    assert plan.advertised_routes("aws", "eu-central-1", BLOCKS["aws"]) == [BLOCKS["aws"]["eu-central-1"]]
    assert plan.advertised_routes("azure", "westeurope", BLOCKS["azure"]) == [BLOCKS["azure"]["westeurope"]]


@given(st.sampled_from(CLOUDS), st.sampled_from(CLOUDS))
def test_a_hub_advertises_the_other_spokes_never_the_peer_or_itself(hub: str, peer: str) -> None:
    assume(hub != peer)
    region = next(iter(BLOCKS[hub]))
    routes = plan.advertised_routes(hub, region, BLOCKS[hub], topology="hub", hub=hub, peer=peer, supernets=SUPERNETS)
    spoke = next(c for c in CLOUDS if c not in (hub, peer))
    assert SUPERNETS[spoke] in routes
    assert SUPERNETS[peer] not in routes and SUPERNETS[hub] not in routes
    # A spoke advertises only its own blocks.
    spoke_routes = plan.advertised_routes(
        peer, next(iter(BLOCKS[peer])), BLOCKS[peer], topology="hub", hub=hub, peer=hub, supernets=SUPERNETS
    )
    assert all(r.subnet_of(SUPERNETS[peer]) for r in spoke_routes)


def test_remote_supernets_are_the_other_clouds() -> None:
    enabled = ["aws", "gcp", "azure"]
    assert plan.remote_supernets("aws", enabled, SUPERNETS, "full-mesh") == [SUPERNETS["gcp"], SUPERNETS["azure"]]
    assert plan.remote_supernets("gcp", enabled, SUPERNETS, "hub", "aws") == [SUPERNETS["aws"], SUPERNETS["azure"]]
    assert plan.remote_supernets("gcp", enabled, SUPERNETS, "none") == []
