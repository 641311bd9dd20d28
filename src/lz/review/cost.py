"""GPU pool cost estimates for the plan report: per pool, the monthly cost at its minimum and maximum size.

`gpu_cost_rows(spec)` gives one dict per pool (machine type, GPUs per node, USD per GPU-hour for the
pool's capacity type and where that price came from, the monthly cost at `min_nodes` and at
`max_nodes` over 730 hours, and what spot capacity saves against on-demand); `gpu_cost_markdown(spec)`
renders them as the `## GPU pools` section of `report.md`.

The numbers are the accelerator catalog's approximate list prices times the pool region's multiplier
from the price catalog (or the pool's `price_per_gpu_hour` override, taken as is) and say so, with the
catalog's date; each row also gives the cost of one training hour (the whole pool at its maximum).
What it does not do: count anything but the GPU machines (the whole graph is priced by lz/pricing),
apply discounts, or guess a price the catalog does not have (it shows "n/a").
"""

from __future__ import annotations

from typing import Any

from lz.core import accelerators
from lz.core.accelerators import HOURS_PER_MONTH


def _monthly(price: float | None, gpus: int, nodes: int) -> float | None:
    return None if price is None else round(price * gpus * nodes * HOURS_PER_MONTH, 2)


def _regional(value: float | None, factor: float) -> float | None:
    return None if value is None else round(value * factor, 4)


def gpu_cost_rows(spec: Any) -> list[dict[str, Any]]:
    """One row per pool of `spec.gpu_pools`, in spec order.

    Catalog prices are the reference region's; they are carried to the pool's region with the price
    catalog's regional multiplier (lz/data/prices.yaml). A pool's own `price_per_gpu_hour` is taken as is.
    """
    from lz.review.pricing.catalog import catalog as price_catalog  # noqa: PLC0415

    cat = accelerators.catalog()
    rows: list[dict[str, Any]] = []
    for pool in spec.gpu_pools:
        shape = accelerators.resolve(pool, cat)
        reference, source = accelerators.pool_price(pool, shape)
        factor, how = (1.0, "override") if source == "override" else price_catalog().multiplier(pool.cloud, pool.region)
        price = _regional(reference, factor)
        on_demand = _regional(_capacity_price(pool, shape, spot=False), factor)
        spot = _regional(_capacity_price(pool, shape, spot=True), factor)
        per_training_hour = None if price is None else round(price * shape.gpus * pool.max_nodes, 2)
        saving_pct = (
            round(100 * (on_demand - spot) / on_demand, 1)
            if on_demand is not None and spot is not None and on_demand > 0
            else None
        )
        saving_monthly = (
            _monthly(on_demand - spot, shape.gpus, pool.max_nodes)
            if on_demand is not None and spot is not None
            else None
        )
        rows.append(
            {
                "pool": pool.name,
                "cloud": pool.cloud,
                "region": pool.region,
                "accelerator": pool.accelerator,
                "machine_type": shape.machine_type,
                "gpus_per_node": shape.gpus,
                "gpu_memory_gb": shape.total_gpu_memory_gb,
                "capacity": "spot" if pool.spot else "on-demand",
                "price_per_gpu_hour": price,
                "reference_price_per_gpu_hour": reference,
                "region_factor": factor,
                "region_basis": how,
                "price_source": source,
                # One hour of training on the whole pool at its maximum size (every GPU busy).
                "cost_per_training_hour": per_training_hour,
                "gpus_at_max": shape.gpus * pool.max_nodes,
                "min_nodes": pool.min_nodes,
                "max_nodes": pool.max_nodes,
                "monthly_at_min": _monthly(price, shape.gpus, pool.min_nodes),
                "monthly_at_max": _monthly(price, shape.gpus, pool.max_nodes),
                "on_demand_per_gpu_hour": on_demand,
                "spot_per_gpu_hour": spot,
                "spot_saving_pct": saving_pct,
                "spot_saving_monthly_at_max": saving_monthly,
                "catalog_date": cat.as_of,
                "currency": cat.currency,
            }
        )
    return rows


def _capacity_price(pool: Any, shape: accelerators.Shape, *, spot: bool) -> float | None:
    """The price for one capacity type, the pool's override first (for the saving column)."""
    override = pool.price_per_gpu_hour
    value = getattr(override, "spot" if spot else "on_demand", None) if override is not None else None
    return float(value) if value is not None else shape.price.for_capacity(spot)


def _money(value: float | None) -> str:
    return "n/a" if value is None else f"${value:,.0f}"


def _rate(value: float | None, source: str) -> str:
    if value is None:
        return "n/a"
    return f"${value:,.2f}" + (" (override)" if source == "override" else "")


def _saving(row: dict[str, Any]) -> str:
    pct = row["spot_saving_pct"]
    if pct is None:
        return "n/a (no spot price)"
    if row["capacity"] == "spot":
        return f"{pct:.0f}% ({_money(row['spot_saving_monthly_at_max'])}/month at max)"
    return f"spot would save {pct:.0f}%"


def gpu_cost_markdown(spec: Any) -> str:
    """The `## GPU pools` section of report.md (empty string when the spec has no pools)."""
    rows = gpu_cost_rows(spec)
    if not rows:
        return ""
    cat = accelerators.catalog()
    refs = " / ".join(
        f"{cloud} {cat.reference_regions[cloud]}" for cloud in accelerators.CLOUDS if cloud in cat.reference_regions
    )
    lines = [
        "## GPU pools",
        "",
        f"GPU machine cost, {HOURS_PER_MONTH} hours per month, from the accelerator catalog of {cat.as_of} "
        f"(approximate {cat.currency} list prices read in {refs}, carried to each pool's region with the price "
        "catalog's regional multiplier; spot prices move daily). A training hour is one hour of the whole pool at "
        "its maximum size. Control planes and disks are in the cost section; discounts are not included.",
        "",
        "| pool | cloud / region | machine type | GPUs per node | capacity | $/GPU-hour | nodes | per training hour "
        "| monthly at min | monthly at max | spot saving |",
        "| --- | --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['pool']} | {r['cloud']} / {r['region']} | {r['machine_type']} ({r['accelerator']}) "
            f"| {r['gpus_per_node']} | {r['capacity']} | {_rate(r['price_per_gpu_hour'], r['price_source'])} "
            f"| {r['min_nodes']}-{r['max_nodes']} | {_money(r['cost_per_training_hour'])} ({r['gpus_at_max']} GPUs) "
            f"| {_money(r['monthly_at_min'])} | {_money(r['monthly_at_max'])} | {_saving(r)} |"
        )
    known_min = [r["monthly_at_min"] for r in rows if r["monthly_at_min"] is not None]
    known_max = [r["monthly_at_max"] for r in rows if r["monthly_at_max"] is not None]
    partial = " (pools without a price left out)" if len(known_max) < len(rows) else ""
    lines.append(
        f"| total of the GPU machines{partial} | | | | | | | | {_money(sum(known_min))} | {_money(sum(known_max))} | |"
    )
    if not any(known_min):
        lines += [
            "",
            "The GPU pools scale to zero, so they cost nothing while idle; what the landing zone costs "
            "always (gateways, control planes, system nodes, collectors) is in the cost section.",
        ]
    lines += [
        "",
        f"Catalog date: {cat.as_of}. Override a price per pool with `price_per_gpu_hour: "
        "{on_demand: ..., spot: ...}`.",
        "",
    ]
    return "\n".join(lines)
