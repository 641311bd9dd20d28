"""Stability of every allocator, seen on whole graphs: growing a landing zone never moves what exists.

The allocators (region blocks and subnets in `lz.core.cidr`, ASNs and tunnel inside ranges in
`lz.core.interconnect_plan`, logical and physical names in `lz.core.naming` and the components) have their
own property tests (tests/test_cidr.py, tests/test_interconnect_plan.py, tests/test_naming.py), and
each cloud's foundation test checks that a third region leaves that cloud's foundation alone. This
file checks the same promise on the whole example graph (interconnect, identity, GPU and telemetry
included), for each way a user grows it:

* one more region appended to every cloud,
* one more GPU pool,
* one more region of each cloud linked by the interconnect;

and, on every graph it plans, that no two addresses overlap, no two ASNs or tunnel ranges repeat,
and no two resources of a type share a physical name in the same place.
"""

from __future__ import annotations

import ipaddress
import itertools
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Planned, example_spec, foundation_config, make_project, plan

# Inputs that address or name a resource itself. Lists of ranges a resource merely allows or
# advertises (security group rules, BGP advertisements, admin CIDRs) may rightly grow with a new
# region and are not here.
ADDRESS_KEYS = {
    "cidrBlock",
    "ipCidrRange",
    "secondaryIpRanges",
    "masterIpv4CidrBlock",
    "podCidr",
    "serviceCidr",
    "addressPrefix",
    "addressPrefixes",
    "addressSpace",
    "ipRange",
    "ipAddress",
    "peerIpAddress",
    "tunnel1InsideCidr",
    "tunnel2InsideCidr",
    "customBgpIpAddress",
    "customBgpIpAddresses",
    "bgpPeeringAddress",
    "bgpPeeringAddresses",
    "gatewayCustomBgpIpAddresses",
}
ASN_KEYS = {"asn", "bgpAsn", "amazonSideAsn", "peerAsn"}
NAME_KEY = re.compile(r"^(name|bucket|[a-zA-Z]+Name)$")
# Ranges a resource occupies (not ones it points at), for the overlap check.
OWN_RANGES = {
    "aws:ec2/vpc:Vpc": ("cidrBlock",),
    "gcp:compute/subnetwork:Subnetwork": ("ipCidrRange", "secondaryIpRanges"),
    "azure-native:network:VirtualNetwork": ("addressSpace",),
}
SUBNET_RANGES = {
    "aws:ec2/subnet:Subnet": ("cidrBlock",),
    "azure-native:network:Subnet": ("addressPrefix", "addressPrefixes"),
}
# Inputs that place a named resource inside another (a node pool in its cluster, a subnet in its
# network): two resources may share a name only in different places.
SCOPE_KEYS = {
    "cluster",
    "vpcId",
    "keyRing",
    "network",
    "location",
    "region",
    "project",
    "parent",
    "scope",
    "router",
    "transitGatewayId",
    "instanceArn",
    "permissionSetArn",
    "cryptoKeyId",
    "secret",
    "service",
    # an EKS access entry is one per cluster and principal, its policy association per policy too
    "principalArn",
    "policyArn",
}
NEW_REGIONS = {"aws": "eu-west-3", "gcp": "europe-west3", "azure": "francecentral"}


def key_inputs(value: Any) -> dict[str, set[str]]:
    """Every addressing, ASN or naming input, wherever it is nested: path (list positions left out) ->
    the values found there. A resource that serves several links (an Azure VPN gateway's BGP
    addresses) gains values as links are added; what it had must stay."""
    found: dict[str, set[str]] = defaultdict(set)

    def leaves(item: Any, path: str) -> None:
        if isinstance(item, dict):
            for key in sorted(item):
                leaves(item[key], f"{path}.{key}")
        elif isinstance(item, list):
            for element in item:
                leaves(element, f"{path}[]")
        else:
            found[path].add(json.dumps(item))

    def walk(item: Any, path: str) -> None:
        if isinstance(item, dict):
            for key in sorted(item):
                sub = f"{path}.{key}" if path else key
                if key in ADDRESS_KEYS or key in ASN_KEYS or NAME_KEY.match(key):
                    leaves(item[key], sub)
                else:
                    walk(item[key], sub)
        elif isinstance(item, list):
            for element in item:
                walk(element, f"{path}[]")

    walk(value, "")
    return dict(found)


def networks(value: Any) -> Iterator[ipaddress.IPv4Network]:
    """Every IPv4 network in a value (a CIDR string, or lists and objects holding some)."""
    if isinstance(value, str):
        try:
            yield ipaddress.IPv4Network(value, strict=True)
        except ValueError:
            return
    elif isinstance(value, dict):
        for item in value.values():
            yield from networks(item)
    elif isinstance(value, list):
        for item in value:
            yield from networks(item)


def custom(planned: Planned) -> list[dict[str, Any]]:
    return [r for r in planned.resources if r["custom"] and not r["type"].startswith("pulumi:")]


def _plan(tmp_path: Path, name: str, spec: dict[str, Any]) -> Planned:
    config = {**foundation_config(spec), "landing-zone:otlpAuthorization": {"secure": "v1:stability"}}
    project = make_project(tmp_path / name, {name: config})
    planned = plan(name, project=project, out=tmp_path / f"out-{name}")
    assert planned.exit_code == 0, planned.report[:2000]
    return planned


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    return _plan(tmp_path_factory.mktemp("stability"), "base", example_spec())


@pytest.fixture(scope="module")
def more_regions(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    spec = example_spec()
    for cloud, region in NEW_REGIONS.items():
        spec["clouds"][cloud]["regions"].append(region)
    return _plan(tmp_path_factory.mktemp("stability"), "base", spec)


@pytest.fixture(scope="module")
def more_pools(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    spec = example_spec()
    spec["gpu_pools"].append(
        {
            "name": "l4",
            "cloud": "gcp",
            "region": "europe-west1",
            "accelerator": "l4",
            "gpus_per_node": 1,
            "min_nodes": 0,
            "max_nodes": 2,
            "spot": True,
        }
    )
    spec["gpu_pools"].append(
        {
            "name": "t4",
            "cloud": "aws",
            "region": "eu-west-1",
            "accelerator": "t4",
            "gpus_per_node": 1,
            "min_nodes": 0,
            "max_nodes": 2,
        }
    )
    return _plan(tmp_path_factory.mktemp("stability"), "base", spec)


@pytest.fixture(scope="module")
def more_links(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    spec = example_spec()
    assert spec["interconnect"]["topology"] == "full-mesh"
    spec["interconnect"]["regions"] = {
        cloud: list(spec["clouds"][cloud]["regions"][:2]) for cloud in ("aws", "gcp", "azure")
    }
    return _plan(tmp_path_factory.mktemp("stability"), "base", spec)


GROWN = ["more_regions", "more_pools", "more_links"]


@pytest.mark.parametrize("grown", GROWN)
def test_growing_never_renames_or_readdresses(base: Planned, grown: str, request: pytest.FixtureRequest) -> None:
    after_plan: Planned = request.getfixturevalue(grown)
    before = {r["urn"]: r for r in base.resources}
    after = {r["urn"]: r for r in after_plan.resources}
    missing = sorted(set(before) - set(after))
    assert not missing, f"{len(missing)} resource(s) renamed or dropped, e.g. {missing[:3]}"
    moved: list[str] = []
    for urn, resource in before.items():
        old, new = key_inputs(resource["inputs"]), key_inputs(after[urn]["inputs"])
        moved.extend(
            f"{urn}: {key} {sorted(old[key])} -> {sorted(new.get(key, ()))}"
            for key in old
            if not old[key] <= new.get(key, set())
        )
        if (resource.get("provider"), resource.get("parent")) != (after[urn].get("provider"), after[urn].get("parent")):
            moved.append(f"{urn}: provider or parent changed")
    assert not moved, "\n".join(moved[:10])
    assert len(after) > len(before), "growing the spec added nothing"


def _all(request: pytest.FixtureRequest) -> list[Planned]:
    return [request.getfixturevalue(name) for name in ("base", *GROWN)]


def test_no_two_networks_overlap(request: pytest.FixtureRequest) -> None:
    for planned in _all(request):
        blocks: list[tuple[ipaddress.IPv4Network, str]] = []
        subnets: dict[str, list[tuple[ipaddress.IPv4Network, str]]] = defaultdict(list)
        for r in custom(planned):
            for key in OWN_RANGES.get(r["type"], ()):
                blocks.extend((net, r["urn"]) for net in networks(r["inputs"].get(key)))
            for key in SUBNET_RANGES.get(r["type"], ()):
                scope = json.dumps([r["inputs"].get("vpcId"), r["inputs"].get("virtualNetworkName")])
                subnets[scope].extend((net, r["urn"]) for net in networks(r["inputs"].get(key)))
        assert len(blocks) > 10
        for (a, ua), (b, ub) in itertools.combinations(blocks, 2):
            assert not a.overlaps(b), f"{a} ({ua}) overlaps {b} ({ub})"
        for members in subnets.values():
            for (a, ua), (b, ub) in itertools.combinations(members, 2):
                assert not a.overlaps(b), f"{a} ({ua}) overlaps {b} ({ub})"


def test_asns_and_tunnel_ranges_never_repeat(request: pytest.FixtureRequest) -> None:
    for planned in _all(request):
        own_asns: dict[int, str] = {}
        # The /30 of every tunnel, seen from AWS (both tunnels of each VPN connection) and from GCP (each
        # Cloud Router interface): the AWS-GCP links show up on both sides, the others on one.
        sides: dict[str, list[tuple[ipaddress.IPv4Network, str]]] = {"aws": [], "gcp": []}
        for r in custom(planned):
            inputs = r["inputs"]
            # A BGP speaker's own ASN: a transit gateway's, a Cloud Router's, an Azure VPN gateway's.
            own = {
                "aws:ec2transitgateway/transitGateway:TransitGateway": inputs.get("amazonSideAsn"),
                "gcp:compute/router:Router": (inputs.get("bgp") or {}).get("asn"),
                "azure-native:network:VirtualNetworkGateway": (inputs.get("bgpSettings") or {}).get("asn"),
            }.get(r["type"])
            if own is not None:
                assert own not in own_asns, f"ASN {own} of {r['urn']} is already {own_asns[own]}'s"
                own_asns[own] = r["urn"]
            for key in ("tunnel1InsideCidr", "tunnel2InsideCidr"):
                sides["aws"].extend((net, r["urn"]) for net in networks(inputs.get(key)))
            if r["type"] == "gcp:compute/routerInterface:RouterInterface" and inputs.get("ipRange"):
                sides["gcp"].append((ipaddress.IPv4Interface(inputs["ipRange"]).network, r["urn"]))
        assert len(own_asns) >= 5 and sides["aws"] and sides["gcp"]
        for tunnels in sides.values():
            for (a, ua), (b, ub) in itertools.combinations(tunnels, 2):
                assert not a.overlaps(b), f"tunnel range {a} of {ua} overlaps {b} of {ub}"


def test_no_two_resources_share_a_physical_name_in_one_place(request: pytest.FixtureRequest) -> None:
    for planned in _all(request):
        seen: dict[tuple[str, str, str], str] = {}
        for r in custom(planned):
            names = json.dumps(
                sorted(
                    (k, sorted(v))
                    for k, v in key_inputs(r["inputs"]).items()
                    if NAME_KEY.match(k.split(".")[-1]) and "[]" not in k
                )
            )
            if names == "[]":
                continue
            scope = json.dumps({k: r["inputs"][k] for k in sorted(SCOPE_KEYS & set(r["inputs"]))})
            identity = (r["type"], r.get("provider", "").rsplit("::", 1)[0], scope + names)
            assert identity not in seen, f"{r['urn']} and {seen[identity]} share {names}"
            seen[identity] = r["urn"]
