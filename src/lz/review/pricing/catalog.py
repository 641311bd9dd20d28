"""The price catalog (lz/data/prices.yaml): list prices per cloud, SKU and region, with their date
and public source, the usage assumptions the rules fall back on, link capacities and exit-fee waivers.

`price(cloud, sku, region)` answers with the figure and how it was obtained: the region's own
published figure, the cloud's single published price, or the reference region's figure times the
region's documented multiplier. Pure: no Pulumi, no network.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


class CatalogError(ValueError):
    pass


@dataclass(frozen=True)
class Quote:
    usd: float
    basis: str  # "region" | "all regions" | "multiplier x1.20 of us-east-1" | "no regional figure ..."
    source: str  # URL

    @property
    def estimated(self) -> bool:
        return self.basis.startswith(("multiplier", "no regional"))


@dataclass(frozen=True)
class Sku:
    cloud: str
    name: str
    unit: str
    source: str
    usd: Mapping[str, float]
    as_of: str
    tiers: tuple[tuple[float | None, float], ...] = ()


@dataclass(frozen=True)
class Catalog:
    as_of: str
    currency: str
    hours_per_month: int
    reference_regions: Mapping[str, str]
    sources: Mapping[str, str]
    multipliers: Mapping[str, Mapping[str, float]]
    usage: Mapping[str, float]
    skus: Mapping[str, Mapping[str, Sku]]
    bandwidth: Mapping[str, Any]
    exit_fee_waivers: Mapping[str, Mapping[str, str]]

    def sku(self, cloud: str, name: str) -> Sku:
        try:
            return self.skus[cloud][name]
        except KeyError:
            raise KeyError(f"price catalog has no SKU {cloud}/{name}") from None

    def has(self, cloud: str, name: str) -> bool:
        return name in self.skus.get(cloud, {})

    def price(self, cloud: str, name: str, region: str) -> Quote:
        sku = self.sku(cloud, name)
        source = self.sources[sku.source]
        if region in sku.usd:
            return Quote(sku.usd[region], "region", source)
        if "all" in sku.usd:
            return Quote(sku.usd["all"], "all regions", source)
        ref = self.reference_regions[cloud]
        base = sku.usd.get(ref)
        if base is None:  # no reference figure: the first region listed stands in for it
            ref, base = next(iter(sku.usd.items()))
        factor = self.multipliers.get(cloud, {}).get(region)
        if factor is None:
            return Quote(base, f"no regional figure for {region}: {ref} price", source)
        ref_factor = self.multipliers.get(cloud, {}).get(ref, 1.0)
        return Quote(round(base * factor / ref_factor, 6), f"multiplier x{factor / ref_factor:.2f} of {ref}", source)

    def multiplier(self, cloud: str, region: str) -> tuple[float, str]:
        """The region's factor against the reference region, and how it was obtained."""
        factor = self.multipliers.get(cloud, {}).get(region)
        if factor is None:
            return 1.0, f"no regional figure for {region}"
        if region == self.reference_regions[cloud]:
            return 1.0, "reference region"
        return factor, f"regional multiplier x{factor:.2f}"

    def tiered(self, cloud: str, name: str, gb: float) -> float:
        """The cost of `gb` at a SKU's volume tiers (cumulative), or at its flat price."""
        sku = self.sku(cloud, name)
        if not sku.tiers:
            return gb * next(iter(sku.usd.values()))
        total, lower = 0.0, 0.0
        for upper, usd in sku.tiers:
            top = gb if upper is None else min(gb, upper)
            if top > lower:
                total += (top - lower) * usd
            if upper is None or gb <= upper:
                break
            lower = upper
        return total


def _require(cond: bool, where: str, message: str) -> None:
    if not cond:
        raise CatalogError(f"prices.yaml {where}: {message}")


def parse(data: Any) -> Catalog:
    _require(isinstance(data, dict), "(top)", "expected a mapping")
    for key in ("as_of", "currency", "hours_per_month", "reference_regions", "sources", "skus", "usage"):
        _require(key in data, key, "missing")
    sources = {str(k): str(v) for k, v in data["sources"].items()}
    skus: dict[str, dict[str, Sku]] = {}
    for cloud, table in data["skus"].items():
        skus[cloud] = {}
        for name, raw in table.items():
            where = f"skus.{cloud}.{name}"
            _require(
                isinstance(raw, dict) and {"unit", "source", "usd"} <= set(raw), where, "needs unit, source and usd"
            )
            _require(raw["source"] in sources, where, f"source {raw['source']!r} is not in `sources`")
            usd = raw["usd"]
            _require(isinstance(usd, dict) and bool(usd), where, "usd maps regions (or `all`) to prices")
            for region, value in usd.items():
                _require(
                    isinstance(value, int | float) and not isinstance(value, bool) and value >= 0,
                    f"{where}.usd.{region}",
                    "a price is a number >= 0",
                )
            tiers = tuple((None if t[0] is None else float(t[0]), float(t[1])) for t in raw.get("tiers", []))
            sku_date = str(raw.get("as_of", data["as_of"]))
            _require(bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", sku_date)), f"{where}.as_of", "a date YYYY-MM-DD")
            skus[cloud][name] = Sku(
                cloud,
                name,
                str(raw["unit"]),
                str(raw["source"]),
                {str(k): float(v) for k, v in usd.items()},
                sku_date,
                tiers,
            )
    multipliers = {
        c: {str(r): float(f) for r, f in t.items()}
        for c, t in (data.get("regional_multipliers") or {}).items()
        if c != "source"
    }
    return Catalog(
        as_of=str(data["as_of"]),
        currency=str(data["currency"]),
        hours_per_month=int(data["hours_per_month"]),
        reference_regions=dict(data["reference_regions"]),
        sources=sources,
        multipliers=multipliers,
        usage={str(k): float(v) for k, v in data["usage"].items()},
        skus=skus,
        bandwidth=dict(data.get("bandwidth") or {}),
        exit_fee_waivers=dict(data.get("exit_fee_waivers") or {}),
    )


@cache
def catalog() -> Catalog:
    text = resources.files("lz").joinpath("data/prices.yaml").read_text(encoding="utf-8")
    return parse(yaml.safe_load(text))
