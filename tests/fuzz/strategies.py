"""Hypothesis strategies for stack specs: valid foundations and waves, and near-misses of both.

Valid specs are drawn from what the schema and the catalogs allow (regions of the residency, RFC 1918
supernets that do not overlap, GPU shapes the accelerator catalog offers, grants of the identity
catalog), so most of them plan. A near-miss is a valid spec with exactly one thing wrong, drawn from
the ways users get specs wrong: a value of the wrong type, an unknown or a missing key, a bad CIDR,
an unknown region, overlapping supernets, a number out of range, or unicode junk where a name goes.
Each near-miss says what it broke and where (`Mutation`), so tests can hold the error to it.
"""

from __future__ import annotations

import copy
import ipaddress
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from lz.core import accelerators, ai_services, regions
from lz.spec.foundation import partition_of
from lz.spec.identity import grants

Spec = dict[str, Any]
Path = tuple[str | int, ...]

CLOUDS = ("aws", "gcp", "azure")
# Free-form mappings: any key is allowed there, so an extra key is not an error.
FREE_FORM: tuple[Path, ...] = (("tags",), ("telemetry", "headers"), ("interconnect", "asns", "azure"))
SUPERNETS = (
    "10.16.0.0/12",
    "10.32.0.0/12",
    "10.48.0.0/12",
    "10.64.0.0/12",
    "10.0.0.0/16",
    "10.200.0.0/13",
    "172.16.0.0/12",
    "192.168.0.0/16",
)
RESIDENCIES = ("eu", "eu", "eu", "us", "ca", "jp", "au", "uk")
ORGANIZATION = st.from_regex(r"[a-z][a-z0-9-]{1,11}", fullmatch=True)
LABEL = st.from_regex(r"[a-z][a-z0-9_-]{0,20}", fullmatch=True)
JUNK = st.one_of(
    st.text(min_size=0, max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "\t",
            "\x00",
            "💥",
            "ÄÖÜ",
            "a" * 300,
            "../../etc/passwd",
            "${jndi:x}",
            "null",
            "~",
            "- a",
            "{x: 1}",
            "'",
            '"',
            "\u202e",
            "eu-west-1 ",
            "EU-WEST-1",
        ]
    ),
)


@dataclass(frozen=True)
class Mutation:
    kind: str  # wrong-type, unknown-key, missing-key, bad-cidr, unknown-region, overlap, out-of-range, junk
    path: Path  # where the spec was changed, from the spec's root
    must_refuse: bool  # whether every valid spec with this change is invalid


# --- valid foundations ------------------------------------------------------------------------


def _clouds_in(residency: str) -> list[str]:
    return [c for c in CLOUDS if regions.regions_in(c, residency)]


@st.composite
def foundations(draw: st.DrawFn, *, max_regions: int = 4) -> Spec:
    """A valid `landingZone` spec (some, by design, still refused by cross-field rules)."""
    residency = draw(st.sampled_from(RESIDENCIES))
    available = _clouds_in(residency)
    enabled = draw(st.lists(st.sampled_from(available), min_size=1, max_size=len(available), unique=True))
    enabled = [c for c in CLOUDS if c in enabled]
    supernets = draw(st.permutations(SUPERNETS))
    chosen: list[ipaddress.IPv4Network] = []
    clouds: Spec = {}
    for cloud in enabled:
        net = next(n for n in map(ipaddress.IPv4Network, supernets) if not any(n.overlaps(c) for c in chosen))
        chosen.append(net)
        names = regions.regions_in(cloud, residency)
        if cloud == "aws":
            # One AWS account lives in one partition (commercial, GovCloud, China, ...): draw from one.
            partition = partition_of(draw(st.sampled_from(names)))
            names = [n for n in names if partition_of(n) == partition]
        picked = draw(st.lists(st.sampled_from(names), min_size=1, max_size=min(max_regions, len(names)), unique=True))
        body: Spec = {"regions": picked, "cidr": str(net)}
        if cloud == "aws":
            body["account_id"] = draw(st.from_regex(r"[0-9]{12}", fullmatch=True))
        elif cloud == "gcp":
            body["project"] = draw(st.from_regex(r"[a-z][a-z0-9-]{4,20}[a-z0-9]", fullmatch=True))
        else:
            body["subscription_id"] = str(draw(st.uuids()))
        clouds[cloud] = body
    spec: Spec = {
        "organization": draw(ORGANIZATION),
        "environment": draw(st.sampled_from(["dev", "test", "staging", "prod"])),
        "residency": residency,
        "tags": {
            "owner": draw(LABEL),
            "cost-center": draw(st.from_regex(r"[0-9]{2,6}", fullmatch=True)),
            "data-classification": draw(st.sampled_from(["public", "internal", "confidential", "restricted"])),
        },
        "clouds": clouds,
    }
    if draw(st.booleans()):
        spec["tags"][draw(LABEL.filter(lambda k: k not in ("environment", "managed-by")))] = draw(LABEL)
    if len(enabled) >= 2 and draw(st.booleans()):
        topology = draw(st.sampled_from(["full-mesh", "hub", "none"]))
        spec["interconnect"] = {"topology": topology, "transport": "ha-vpn"}
        if topology == "hub":
            spec["interconnect"]["hub"] = draw(st.sampled_from(enabled))
    pools = draw(st.lists(_pool(clouds), max_size=3, unique_by=lambda p: (p["cloud"], p["name"])))
    if pools:
        spec["gpu_pools"] = pools
    roles = draw(st.lists(_role(enabled), max_size=3, unique_by=lambda r: r["name"]))
    if any(p["cloud"] != "gcp" for p in pools) and draw(st.booleans()):
        # mostly a role that can use the clusters (else the spec refuses the pools: lz.spec.gpu)
        roles = [r for r in roles if r["name"] != "gpu-users"] + [
            {
                "name": "gpu-users",
                "grants": ["ml-develop"],
                "groups": {
                    c: g
                    for c, g in (
                        ("aws", "0123456789-0a1b2c3d-1111-2222-3333-444455556666"),
                        ("gcp", "group:gpu-users@example.com"),
                        ("azure", "6f1c1f2e-9a55-4d5e-8f0c-4c2b7d1e0a11"),
                    )
                    if c in enabled
                },
            }
        ]
    if roles:
        spec["identity"] = {"roles": roles}
        if "aws" in enabled:
            spec["identity"]["aws"] = {
                "instance_arn": "arn:aws:sso:::instance/ssoins-0123456789abcdef",
                "identity_store_id": "d-0123456789",
            }
    if draw(st.booleans()):
        spec["telemetry"] = {
            "enabled": True,
            "endpoint": "https://otlp.example.com:4317",
            "sampling_ratio": draw(st.floats(0, 1)),
            "native": draw(st.lists(st.sampled_from(enabled), unique=True)),
        }
    # AI services only where every region of their cloud offers them (else the spec refuses them).
    offered = [
        s
        for s, c in ai_services.CLOUD_OF.items()
        if c in clouds and all(ai_services.available(s, r) for r in clouds[c]["regions"])
    ]
    if offered and draw(st.booleans()):
        spec["ai_services"] = draw(st.lists(st.sampled_from(offered), min_size=1, unique=True))
    mode = draw(st.sampled_from(["none", "nat", "firewall"]))
    if mode == "none" and "telemetry" in spec:
        # No way out: the central collector runs inside the zone, under one of its private domains,
        # which exist where names cross clouds; without them, no collector can export.
        # Nor can the Azure gateways (Container Apps) reach Microsoft Container Registry.
        if (
            "azure" not in enabled
            and len(enabled) >= 2
            and spec.get("interconnect", {}).get("topology", "none") != "none"
        ):
            cloud = draw(st.sampled_from(enabled))
            domain = f"{cloud}.{spec['environment']}.{spec['organization']}.internal"
            spec["telemetry"]["endpoint"] = f"https://otlp.{domain}"
        else:
            del spec["telemetry"]
    if "telemetry" in spec and (mode == "none" or draw(st.booleans())):
        # With no way out, the collector image must come from the zone's own caches.
        spec["registries"] = {"mirror": True}
        if "aws" in enabled:  # ECR caches Docker Hub only with a credential (a secret config key)
            spec["registries"]["credentials"] = {"docker.io": "dockerHubCredential"}
    if mode != "none":
        spec["egress"] = {"mode": mode}
        if mode == "firewall":
            names = ["pypi.org", "huggingface.co", "registry-1.docker.io", "otlp.example.com"]
            spec["egress"]["allow"] = draw(st.lists(st.sampled_from(names), unique=True))
    return spec


@st.composite
def _pool(draw: st.DrawFn, clouds: Spec) -> Spec:
    cloud = draw(st.sampled_from(sorted(clouds)))
    region = draw(st.sampled_from(clouds[cloud]["regions"]))
    cat = accelerators.catalog()
    offered = [
        (name, shape)
        for name in cat.names()
        for shape in cat.shapes(name, cloud)
        if shape.offered_in(region) is not False
    ]
    if not offered:
        return {
            "name": "nopool",
            "cloud": cloud,
            "region": region,
            "accelerator": "h100",
            "gpus_per_node": 8,
            "max_nodes": 1,
        }
    name, shape = draw(st.sampled_from(offered))
    low = draw(st.integers(0, 3))
    pool: Spec = {
        "name": draw(st.from_regex(r"[a-z][a-z0-9]{0,10}", fullmatch=True)),
        "cloud": cloud,
        "region": region,
        "accelerator": name,
        "gpus_per_node": shape.gpus,
        "min_nodes": low,
        "max_nodes": low + draw(st.integers(1, 4)),
        "spot": draw(st.booleans()),
    }
    if draw(st.booleans()):
        pool["machine_type"] = shape.machine_type
    return pool


@st.composite
def _role(draw: st.DrawFn, enabled: list[str]) -> Spec:
    plain = [name for name, grant in grants().items() if not grant.admin]
    role: Spec = {
        "name": draw(st.from_regex(r"[a-z][a-z0-9-]{1,20}", fullmatch=True)),
        "grants": draw(st.lists(st.sampled_from(plain), min_size=1, max_size=2, unique=True)),
    }
    groups: Spec = {}
    for cloud in enabled:
        if draw(st.booleans()):
            groups[cloud] = {
                "aws": "0123456789-0a1b2c3d-1111-2222-3333-444455556666",
                "gcp": "group:team@example.com",
                "azure": "6f1c1f2e-9a55-4d5e-8f0c-4c2b7d1e0a11",
            }[cloud]
    if groups:
        role["groups"] = groups
    return role


# --- valid waves -------------------------------------------------------------------------------


@st.composite
def waves(draw: st.DrawFn, foundation_clouds: dict[str, list[str]], foundation: str = "foundation-dev") -> Spec:
    """A `wave` spec whose targets lie in the foundation's clouds and regions."""
    targets = [(cloud, region) for cloud, rs in foundation_clouds.items() for region in rs]
    datasets = draw(st.lists(_dataset(targets), max_size=3, unique_by=lambda d: d["name"]))
    databases = draw(st.lists(_database(targets), max_size=2, unique_by=lambda d: d["name"]))
    wave: Spec = {
        "name": draw(st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True)),
        "foundation": foundation,
    }
    if datasets:
        wave["datasets"] = datasets
    if databases:
        wave["databases"] = databases
    if (not datasets and not databases) or draw(st.booleans()):
        wave["cutover"] = draw(_cutover(foundation_clouds))
    return wave


_SOURCES = {
    "aws": ("eu-west-1", "acme-legacy-data"),
    "gcp": ("europe-west1", "acme-legacy-data"),
    "azure": ("westeurope", "acmelegacy/data"),
}


@st.composite
def _dataset(draw: st.DrawFn, targets: list[tuple[str, str]]) -> Spec:
    cloud, region = draw(st.sampled_from(targets))
    source_cloud = draw(st.sampled_from(CLOUDS))
    source_region, bucket = _SOURCES[source_cloud]
    credentials: Spec
    # What each transfer service needs (lz.spec.wave.path_problems), so most drawn datasets are valid.
    if (cloud == "azure" and source_cloud != "azure") or (cloud == "aws" and source_cloud != "aws"):
        credentials = {"kind": "secret", "secret": "wave-keys"}
    elif cloud == "gcp" and source_cloud == "aws":
        credentials = {"kind": "workload-identity", "role_arn": "arn:aws:iam::222222222222:role/reader"}
    elif cloud == "gcp" and source_cloud == "azure":
        credentials = {
            "kind": "workload-identity",
            "client_id": "6f1c1f2e-9a55-4d5e-8f0c-4c2b7d1e0a11",
            "tenant_id": "6f1c1f2e-9a55-4d5e-8f0c-4c2b7d1e0a12",
        }
    else:
        credentials = {"kind": "workload-identity"}
    entry: Spec = {
        "name": draw(st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True)),
        "classification": draw(st.sampled_from(["public", "internal", "confidential", "restricted"])),
        "source": {"cloud": source_cloud, "region": source_region, "bucket": bucket, "credentials": credentials},
        "target": {"cloud": cloud, "region": region},
        "schedule": draw(st.sampled_from(["hourly", "daily", "weekly", "0 */6 * * *", "15 3 * * *", "0 2 * * 0"])),
    }
    if cloud == "aws" and source_cloud in ("gcp", "azure"):
        entry["agent_arns"] = ["arn:aws:datasync:eu-west-1:111111111111:agent/agent-0123456789abcdef0"]
    return entry


@st.composite
def _database(draw: st.DrawFn, targets: list[tuple[str, str]]) -> Spec:
    cloud, region = draw(st.sampled_from(targets))
    return {
        "name": draw(st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True)),
        "engine": draw(st.sampled_from(["postgres", "mysql"])),
        "version": draw(st.sampled_from(["15", "8.0", "16"])),
        "source": {
            "cloud": "aws",
            "region": "eu-west-1",
            "host": "db.example.internal",
            "database": "app",
            "username": "migrator",
            "password_secret": "wave-db-password",
            "ca_certificate": "wave-db-ca",
        },
        "target": {"cloud": cloud, "region": region},
        "mode": "full-load-and-cdc",
    }


@st.composite
def _cutover(draw: st.DrawFn, foundation_clouds: dict[str, list[str]]) -> Spec:
    cloud = draw(st.sampled_from(sorted(foundation_clouds)))
    zone = {"aws": "Z04517273GXSK3KPIQ8ZE", "gcp": "acme-zone", "azure": "dns-rg/acme-ai.example.com"}[cloud]
    strategy = draw(st.sampled_from(["canary", "blue-green"]))
    steps = [5, 25, 50, 100] if strategy == "canary" else [0, 100]
    return {
        "strategy": strategy,
        "hostname": "api.acme-ai.example.com",
        "dns": {"cloud": cloud, "zone": zone},
        "source_endpoint": "legacy.acme-ai.example.com",
        "target_endpoint": "new.acme-ai.example.com",
        "steps": steps,
        "current_step": draw(st.integers(0, len(steps) - 1)),
        "rollback": {"max_error_rate": draw(st.floats(0.001, 0.5)), "max_p99_latency_ms": draw(st.integers(1, 5000))},
    }


# --- near-misses -------------------------------------------------------------------------------


def _paths(value: Any, here: Path = ()) -> list[Path]:
    out: list[Path] = []
    if isinstance(value, dict):
        for k, v in value.items():
            out.append((*here, k))
            out.extend(_paths(v, (*here, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.append((*here, i))
            out.extend(_paths(v, (*here, i)))
    return out


def _get(value: Any, path: Path) -> Any:
    for step in path:
        value = value[step]
    return value


def _other_type(value: Any) -> st.SearchStrategy[Any]:
    choices: list[st.SearchStrategy[Any]] = []
    if not isinstance(value, str):
        choices.append(st.just("surprise"))
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        choices.append(st.integers(-10, 10**6))
    if not isinstance(value, list):
        choices.append(st.just([1, "two"]))
    if not isinstance(value, dict):
        choices.append(st.just({"nested": "object"}))
    if value is not None:
        choices.append(st.none())
    if not isinstance(value, bool):
        choices.append(st.booleans())
    return st.one_of(choices)


@st.composite
def near_misses(
    draw: st.DrawFn, valid: st.SearchStrategy[Spec], *, kinds: tuple[str, ...] | None = None
) -> tuple[Spec, Mutation]:
    """A valid spec from `valid` with one thing changed, and what was changed."""
    spec = copy.deepcopy(draw(valid))
    options = list(
        kinds
        or ("wrong-type", "unknown-key", "missing-key", "bad-cidr", "unknown-region", "overlap", "out-of-range", "junk")
    )
    kind = draw(st.sampled_from(options))
    paths = _paths(spec)
    if kind == "bad-cidr" and "clouds" in spec:
        cloud = draw(st.sampled_from(sorted(spec["clouds"])))
        bad = draw(
            st.sampled_from(
                [
                    "10.0.0.0/33",
                    "300.1.0.0/16",
                    "10.16.0.1/12",
                    "fe80::/10",
                    "8.8.0.0/16",
                    "10.16.0.0/24",
                    "10.16.0.0",
                    "ten.0.0.0/8",
                    "",
                    "10.16.0.0/-1",
                ]
            )
        )
        spec["clouds"][cloud]["cidr"] = bad
        return spec, Mutation(kind, ("clouds", cloud, "cidr"), True)
    if kind == "unknown-region" and "clouds" in spec:
        cloud = draw(st.sampled_from(sorted(spec["clouds"])))
        names = spec["clouds"][cloud]["regions"]
        i = draw(st.integers(0, len(names) - 1))
        names[i] = draw(
            st.sampled_from(
                [
                    "mars-north-1",
                    "eu-west-99",
                    "europe-west",
                    "westeurope2",
                    "global",
                    "us-east-1",
                    "eastus",
                    "us-central1",
                    "EU-WEST-1",
                    "",
                ]
            )
        )
        # Another real region is wrong only when it lies outside the residency or repeats one listed.
        must = not regions.is_region(cloud, names[i]) or regions.jurisdiction_of(cloud, names[i]) != spec["residency"]
        return spec, Mutation(kind, ("clouds", cloud, "regions", i), must)
    if kind == "overlap" and len(spec.get("clouds", {})) >= 2:
        first, second = draw(st.permutations(sorted(spec["clouds"])))[:2]
        base = ipaddress.IPv4Network(spec["clouds"][first]["cidr"])
        spec["clouds"][second]["cidr"] = str(draw(st.sampled_from([base, *list(base.subnets(1))])))
        return spec, Mutation(kind, ("clouds",), True)
    if kind == "out-of-range":
        numeric = [p for p in paths if isinstance(_get(spec, p), (int, float)) and not isinstance(_get(spec, p), bool)]
        if numeric:
            path = draw(st.sampled_from(numeric))
            parent = _get(spec, path[:-1])
            parent[path[-1]] = draw(st.sampled_from([-1, -(10**9), 10**9, 1e308, float("inf"), float("nan"), 17, 1001]))
            # Not every number has bounds (and some values are still inside them): only a shape check here.
            return spec, Mutation(kind, path, False)
    if kind == "unknown-key":
        dicts = [p for p in [(), *paths] if isinstance(_get(spec, p), dict) and p not in FREE_FORM]
        path = draw(st.sampled_from(dicts))
        key = draw(st.sampled_from(["regoin", "cidrs", "extra", "Organization", "gpu_pool", "x-y", "💥"]))
        target = _get(spec, path)
        if key not in target:
            target[key] = draw(st.one_of(st.none(), st.integers(), st.text(max_size=5)))
            return spec, Mutation(kind, (*path, key), True)
    if kind == "missing-key" and paths:
        keyed = [p for p in paths if isinstance(p[-1], str)]
        if keyed:
            path = draw(st.sampled_from(keyed))
            del _get(spec, path[:-1])[path[-1]]
            return spec, Mutation(kind, path, False)
    if kind == "junk" and paths:
        strings = [p for p in paths if isinstance(_get(spec, p), str)]
        if strings:
            path = draw(st.sampled_from(strings))
            _get(spec, path[:-1])[path[-1]] = draw(JUNK)
            return spec, Mutation(kind, path, False)
    # wrong-type, and the fallback when the drawn kind does not apply to this spec
    if not paths:
        return draw(st.sampled_from([[], "text", 5, None])), Mutation("wrong-type", (), True)
    path = draw(st.sampled_from(paths))
    old = _get(spec, path)
    _get(spec, path[:-1])[path[-1]] = draw(_other_type(old))
    return spec, Mutation("wrong-type", path, False)
