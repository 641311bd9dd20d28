"""The accelerator catalog: GPU machine shapes per cloud, where they are offered, and their list prices.

Reads `lz/data/accelerators.yaml` once (cached) into frozen dataclasses and answers the questions the
spec, the GPU components and the cost report ask: which shapes carry accelerator X on cloud Y, which
one a pool gets for its GPU count (or its explicit `machine_type`), whether the catalog knows it to
be offered in a region, what a GPU-hour costs, and "did you mean" suggestions for all of those.

Pure: no Pulumi, no spec import (a pool is anything with the `PoolLike` attributes), no network. The
prices are approximate public list prices in USD with the date they were read (`Catalog.as_of`); a
pool's `price_per_gpu_hour` overrides them (see `pool_price`). What it does not do: fetch current
prices, model zones, reservations or committed-use discounts, or decide whether a spot price exists
where the file says null.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Protocol

import yaml

CLOUDS = ("aws", "gcp", "azure")
HOURS_PER_MONTH = 730  # the clouds' own monthly convention (8760 h / 12)


@dataclass(frozen=True)
class Price:
    """USD per GPU-hour; None where the catalog has no price (e.g. no published spot price)."""

    on_demand: float | None
    spot: float | None

    def for_capacity(self, spot: bool) -> float | None:
        return self.spot if spot else self.on_demand


@dataclass(frozen=True)
class Shape:
    """One machine type carrying `gpus` GPUs of one accelerator on one cloud."""

    accelerator: str
    cloud: str
    machine_type: str
    gpus: int
    gpu_memory_gb: int  # per GPU
    price: Price
    regions: tuple[str, ...] | None  # every region offering it on `as_of`; None = not known
    accelerator_type: str | None = None  # GCP guest accelerator name (nvidia-h100-80gb, ...)
    boot_disk_type: str | None = None  # GCP families that refuse persistent disks

    @property
    def total_gpu_memory_gb(self) -> int:
        return self.gpus * self.gpu_memory_gb

    def offered_in(self, region: str) -> bool | None:
        """True/False when the catalog lists the shape's regions, None when it does not know."""
        return None if self.regions is None else region in self.regions


@dataclass(frozen=True)
class Accelerator:
    name: str
    display: str
    memory_gb: int
    shapes: Mapping[str, tuple[Shape, ...]]  # cloud -> shapes, fewest GPUs first


@dataclass(frozen=True)
class Catalog:
    as_of: str
    currency: str
    approximate: bool
    reference_regions: Mapping[str, str]
    sources: Mapping[str, tuple[str, ...]]
    accelerators: Mapping[str, Accelerator]

    def names(self) -> list[str]:
        return sorted(self.accelerators)

    def get(self, name: str) -> Accelerator | None:
        return self.accelerators.get(name)

    def shapes(self, accelerator: str, cloud: str) -> tuple[Shape, ...]:
        acc = self.accelerators.get(accelerator)
        return acc.shapes.get(cloud, ()) if acc else ()

    def clouds_of(self, accelerator: str) -> list[str]:
        acc = self.accelerators.get(accelerator)
        return [c for c in CLOUDS if acc and acc.shapes.get(c)]

    def on_cloud(self, cloud: str) -> list[str]:
        """The accelerators the catalog offers on `cloud`, sorted."""
        return sorted(name for name, acc in self.accelerators.items() if acc.shapes.get(cloud))

    def shape(self, accelerator: str, cloud: str, machine_type: str) -> Shape | None:
        return next((s for s in self.shapes(accelerator, cloud) if s.machine_type == machine_type), None)

    def shape_for(self, accelerator: str, cloud: str, gpus: int) -> Shape | None:
        """The first (smallest) shape with exactly `gpus` GPUs."""
        return next((s for s in self.shapes(accelerator, cloud) if s.gpus == gpus), None)

    def nearest(self, accelerator: str, cloud: str, gpus: int) -> Shape | None:
        """The shape whose GPU count is closest to `gpus`; ties go to the larger one (the work fits)."""
        shapes = self.shapes(accelerator, cloud)
        if not shapes:
            return None
        return min(shapes, key=lambda s: (abs(s.gpus - gpus), -s.gpus))

    def suggest(self, name: str) -> list[str]:
        return difflib.get_close_matches(name.lower(), self.names(), n=3, cutoff=0.5)

    def find_machine(self, cloud: str, machine_type: str) -> Shape | None:
        """The catalog shape of `machine_type` on `cloud`, whatever its accelerator."""
        for acc in self.accelerators.values():
            for shape in acc.shapes.get(cloud, ()):
                if shape.machine_type == machine_type:
                    return shape
        return None


class PoolLike(Protocol):
    """What the catalog reads of a pool (a `lz.spec.gpu.GpuPool`), read-only."""

    @property
    def cloud(self) -> str: ...

    @property
    def accelerator(self) -> str: ...

    @property
    def gpus_per_node(self) -> int: ...

    @property
    def spot(self) -> bool: ...

    @property
    def machine_type(self) -> str | None: ...

    @property
    def price_per_gpu_hour(self) -> Any: ...


# --- loading ---------------------------------------------------------------------------------


class CatalogError(ValueError):
    """The catalog file itself is malformed (a bug in the repository, not in a user's spec)."""


def _require(cond: bool, where: str, message: str) -> None:
    if not cond:
        raise CatalogError(f"accelerators.yaml: {where}: {message}")


def _price(raw: Any, where: str) -> float | None:
    if raw is None:
        return None
    _require(
        isinstance(raw, int | float) and not isinstance(raw, bool) and raw > 0,
        where,
        f"expected a positive number or null, got {raw!r}",
    )
    return float(raw)


def _shape(name: str, memory_gb: int, cloud: str, raw: Any, where: str) -> Shape:
    _require(isinstance(raw, Mapping), where, "expected a mapping")
    allowed = {"machine_type", "gpus", "price_per_gpu_hour", "regions", "accelerator_type", "boot_disk_type"}
    unknown = sorted(set(raw) - allowed)
    _require(not unknown, where, f"unknown key(s) {', '.join(unknown)}")
    machine_type = raw.get("machine_type")
    _require(isinstance(machine_type, str) and machine_type != "", where, "machine_type must be a string")
    gpus = raw.get("gpus")
    _require(isinstance(gpus, int) and not isinstance(gpus, bool) and gpus >= 1, where, "gpus must be >= 1")
    prices = raw.get("price_per_gpu_hour")
    _require(
        isinstance(prices, Mapping) and set(prices) == {"on_demand", "spot"},
        where,
        "price_per_gpu_hour needs on_demand and spot (null when unknown)",
    )
    regions = raw.get("regions")
    if regions is not None:
        _require(
            isinstance(regions, list) and all(isinstance(r, str) for r in regions) and regions != [],
            where,
            "regions must be a non-empty list of region names",
        )
    if cloud == "gcp":
        _require(isinstance(raw.get("accelerator_type"), str), where, "GCP shapes need accelerator_type")
    return Shape(
        accelerator=name,
        cloud=cloud,
        machine_type=machine_type,
        gpus=gpus,
        gpu_memory_gb=memory_gb,
        price=Price(
            on_demand=_price(prices["on_demand"], f"{where}.price_per_gpu_hour.on_demand"),
            spot=_price(prices["spot"], f"{where}.price_per_gpu_hour.spot"),
        ),
        regions=tuple(sorted(regions)) if regions is not None else None,
        accelerator_type=raw.get("accelerator_type"),
        boot_disk_type=raw.get("boot_disk_type"),
    )


def parse(data: Any) -> Catalog:
    """Validate the parsed YAML document and build the catalog."""
    _require(isinstance(data, Mapping), "(root)", "expected a mapping")
    for key in ("as_of", "currency", "accelerators", "reference_regions", "sources"):
        _require(key in data, "(root)", f"missing {key}")
    accelerators: dict[str, Accelerator] = {}
    machines: dict[tuple[str, str], str] = {}
    for name, raw in data["accelerators"].items():
        where = f"accelerators.{name}"
        _require(isinstance(raw, Mapping) and isinstance(raw.get("memory_gb"), int), where, "needs memory_gb")
        clouds = raw.get("clouds") or {}
        unknown = sorted(set(clouds) - set(CLOUDS))
        _require(not unknown, f"{where}.clouds", f"unknown cloud(s) {', '.join(unknown)}")
        shapes: dict[str, tuple[Shape, ...]] = {}
        for cloud in CLOUDS:
            entries = clouds.get(cloud) or []
            parsed = tuple(
                _shape(name, raw["memory_gb"], cloud, e, f"{where}.clouds.{cloud}[{i}]") for i, e in enumerate(entries)
            )
            for shape in parsed:
                # One machine type carries one accelerator: a shape listed twice would make
                # `find_machine` (and the cost report) ambiguous.
                owner = machines.setdefault((cloud, shape.machine_type), name)
                _require(owner == name, where, f"{shape.machine_type} is already listed under {owner}")
            if parsed:
                shapes[cloud] = tuple(sorted(parsed, key=lambda s: (s.gpus, s.machine_type)))
        accelerators[name] = Accelerator(
            name=name, display=str(raw.get("display", name)), memory_gb=raw["memory_gb"], shapes=shapes
        )
    sources = {cloud: tuple(str(u) for u in urls) for cloud, urls in dict(data["sources"]).items()}
    return Catalog(
        as_of=str(data["as_of"]),
        currency=str(data["currency"]),
        approximate=bool(data.get("approximate", True)),
        reference_regions=dict(data["reference_regions"]),
        sources=sources,
        accelerators=accelerators,
    )


@cache
def catalog() -> Catalog:
    """The catalog shipped with the package (read once per process)."""
    text = resources.files("lz").joinpath("data/accelerators.yaml").read_text(encoding="utf-8")
    return parse(yaml.safe_load(text))


# --- pools -----------------------------------------------------------------------------------


def resolve(pool: PoolLike, cat: Catalog | None = None) -> Shape:
    """The shape a (validated) pool runs on: its `machine_type`, else the smallest with its GPU count."""
    cat = cat or catalog()
    shape = (
        cat.shape(pool.accelerator, pool.cloud, pool.machine_type)
        if pool.machine_type
        else cat.shape_for(pool.accelerator, pool.cloud, pool.gpus_per_node)
    )
    if shape is None:
        raise LookupError(f"no {pool.accelerator} shape with {pool.gpus_per_node} GPU(s) on {pool.cloud}")
    return shape


def pool_price(pool: PoolLike, shape: Shape) -> tuple[float | None, str]:
    """USD per GPU-hour for the pool's capacity type, and where it came from ("override" | "catalog")."""
    override = pool.price_per_gpu_hour
    if override is not None:
        value = override.spot if pool.spot else override.on_demand
        if value is not None:
            return float(value), "override"
    return shape.price.for_capacity(pool.spot), "catalog"


def shape_list(shapes: Sequence[Shape]) -> str:
    """`g5.xlarge (1 GPU), g5.12xlarge (4 GPUs)` for messages."""
    return ", ".join(f"{s.machine_type} ({s.gpus} GPU{'s' if s.gpus != 1 else ''})" for s in shapes)
