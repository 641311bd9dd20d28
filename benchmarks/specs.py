"""Benchmark projects at scale factors 1x, 4x and 16x, grown from the example stacks.

Scale 1x is the example foundation (`stacks/Pulumi.foundation-dev.yaml`) and the example wave
(`stacks/Pulumi.wave-1-dev.yaml`), as committed. Larger scales keep everything the examples have and
add, in this order so that each addition only appends to a list:

* regions, up to every EU region of the catalog (the supernets hold 16 per cloud);
* GPU pools, spread round-robin over the regions of each cloud, on shapes the catalog offers there;
* roles of the identity catalog (grants from `lz/data/grants.yaml` that are not admin grants);
* datasets and databases of the wave, copies of the example's with their targets spread over the
  foundation's regions.

The counts per scale are chosen so that the number of resources grows roughly with the factor; the
benchmark reports the real counts, so nothing relies on the factor being exact. It does not plan
anything itself (that is `benchmarks.run`) and never touches the project's own `stacks/`.
"""

from __future__ import annotations

import copy
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
NS = "landing-zone"
FOUNDATION_STACK = "foundation-dev"
WAVE_STACK = "wave-1-dev"

# Every region of the catalog in jurisdiction `eu`, in an order that keeps the examples' first two.
EU_REGIONS: dict[str, list[str]] = {
    "aws": ["eu-west-1", "eu-central-1", "eu-west-3", "eu-north-1", "eu-south-1", "eu-south-2"],
    "gcp": [
        "europe-west4",
        "europe-west1",
        "europe-west3",
        "europe-north1",
        "europe-west9",
        "europe-west8",
        "europe-southwest1",
        "europe-central2",
        "europe-west10",
        "europe-west12",
        "europe-north2",
    ],
    "azure": [
        "westeurope",
        "northeurope",
        "francecentral",
        "germanywestcentral",
        "swedencentral",
        "italynorth",
        "polandcentral",
        "spaincentral",
        "austriaeast",
        "belgiumcentral",
        "denmarkeast",
        "francesouth",
        "germanynorth",
        "swedensouth",
    ],
}

# Pool shapes that every EU region accepts (the catalog restricts none of them by region).
POOL_SHAPES: dict[str, list[tuple[str, int]]] = {
    "aws": [("a10g", 1), ("l4", 1), ("t4", 1), ("l40s", 1)],
    "gcp": [("l4", 1), ("t4", 1), ("a100-40gb", 1), ("a100-80gb", 1)],
    "azure": [("t4", 1), ("a100-80gb", 1), ("a10", 1), ("h100-nvl", 1)],
}

ROLE_GRANTS: list[list[str]] = [
    ["network-admin", "monitoring-read"],
    ["security-audit"],
    ["read-only"],
    ["ml-develop", "data-read"],
    ["notebooks"],
    ["data-read"],
    ["data-write", "data-read"],
    ["monitoring-read"],
]


@dataclass(frozen=True)
class Scale:
    """How much a scale adds to the examples."""

    name: str
    regions: dict[str, int]  # regions per cloud (the examples have 2)
    linked: int  # regions per cloud on the interconnect (0: as the example, its home region)
    pools_per_region: int  # extra GPU pools per region of each cloud, on top of the example's three
    roles: int  # roles of the identity catalog
    datasets: int  # datasets of the wave (the example has 2)
    databases: int  # databases of the wave (the example has 1)


SCALES: dict[str, Scale] = {
    "1x": Scale("1x", {"aws": 2, "gcp": 2, "azure": 2}, 0, 0, 0, 2, 1),
    "4x": Scale("4x", {"aws": 4, "gcp": 5, "azure": 5}, 2, 1, 60, 30, 15),
    "16x": Scale("16x", {"aws": 6, "gcp": 11, "azure": 14}, 4, 8, 400, 100, 50),
}


def example_config(stack: str) -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "stacks" / f"Pulumi.{stack}.yaml").read_text(encoding="utf-8"))
    config: dict[str, Any] = data["config"]
    return copy.deepcopy(config)


def foundation_config(scale: Scale) -> dict[str, Any]:
    config = example_config(FOUNDATION_STACK)
    spec = config[f"{NS}:landingZone"]
    for cloud, count in scale.regions.items():
        cloud_spec = spec["clouds"].get(cloud)
        if cloud_spec is None:
            continue
        regions = list(cloud_spec["regions"])
        for region in EU_REGIONS[cloud]:
            if len(regions) >= count:
                break
            if region not in regions:
                regions.append(region)
        cloud_spec["regions"] = regions
    if scale.linked and spec.get("interconnect", {}).get("topology", "none") != "none":
        spec["interconnect"]["regions"] = {
            cloud: spec["clouds"][cloud]["regions"][: scale.linked]
            for cloud in ("aws", "gcp", "azure")
            if cloud in spec["clouds"]
        }
    pools = spec.setdefault("gpu_pools", [])
    for cloud in ("aws", "gcp", "azure"):
        if cloud not in spec["clouds"]:
            continue
        shapes = POOL_SHAPES[cloud]
        n = 0
        for region in spec["clouds"][cloud]["regions"]:
            for _ in range(scale.pools_per_region):
                accelerator, gpus = shapes[n % len(shapes)]
                pools.append(
                    {
                        "name": f"b{cloud[:2]}{n}",
                        "cloud": cloud,
                        "region": region,
                        "accelerator": accelerator,
                        "gpus_per_node": gpus,
                        "min_nodes": 0,
                        "max_nodes": 2,
                        "spot": n % 2 == 0,
                    }
                )
                n += 1
    if scale.roles:
        identity = spec.setdefault("identity", {})
        if "aws" in spec["clouds"] and "aws" not in identity:
            identity["aws"] = {
                "instance_arn": "arn:aws:sso:::instance/ssoins-0123456789abcdef",
                "identity_store_id": "d-0123456789",
            }
        roles = identity.setdefault("roles", [])
        for i in range(scale.roles):
            roles.append(
                {
                    "name": f"bench-role-{i}",
                    "description": f"benchmark role {i}",
                    "grants": ROLE_GRANTS[i % len(ROLE_GRANTS)],
                    "groups": {
                        "aws": f"0123456789-0a1b2c3d-1111-2222-3333-{i:012d}",
                        "gcp": f"group:bench-role-{i}@example.com",
                        "azure": f"6f1c1f2e-9a55-4d5e-8f0c-{i:012d}",
                    },
                }
            )
    return config


def wave_config(scale: Scale, foundation: dict[str, Any]) -> dict[str, Any]:
    config = example_config(WAVE_STACK)
    wave = config[f"{NS}:wave"]
    clouds = foundation[f"{NS}:landingZone"]["clouds"]
    for key, count in (("datasets", scale.datasets), ("databases", scale.databases)):
        examples = list(wave.get(key) or [])
        entries = list(examples)
        i = 0
        while examples and len(entries) < count:
            entry = copy.deepcopy(examples[i % len(examples)])
            entry["name"] = f"b{key[:2]}-{len(entries)}"
            target = entry["target"]
            regions = clouds[target["cloud"]]["regions"]
            target["region"] = regions[len(entries) % len(regions)]
            entries.append(entry)
            i += 1
        wave[key] = entries
    return config


def write_project(root: Path, scale: Scale) -> dict[str, Path]:
    """A throw-away project at `root` with this project's program and the scale's two stacks."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(ROOT / name, root / name)
    for name in ("components", "policies"):
        link = root / name
        if not link.exists():
            os.symlink(ROOT / name, link)
    stacks = root / "stacks"
    stacks.mkdir(exist_ok=True)
    foundation = foundation_config(scale)
    files = {
        FOUNDATION_STACK: stacks / f"Pulumi.{FOUNDATION_STACK}.yaml",
        WAVE_STACK: stacks / f"Pulumi.{WAVE_STACK}.yaml",
    }
    files[FOUNDATION_STACK].write_text(yaml.safe_dump({"config": foundation}, sort_keys=False), encoding="utf-8")
    files[WAVE_STACK].write_text(
        yaml.safe_dump({"config": wave_config(scale, foundation)}, sort_keys=False), encoding="utf-8"
    )
    return files
