"""cost.json and the `## Cost` section of report.md, from the per-resource estimates.

`cost_document()` builds the file the contract names (currency, prices_as_of, resources with urn,
type, region, monthly_min, monthly_max and assumptions; totals overall, per cloud and per region);
`cost_markdown()` renders the always-on total, the total at maximum scale, the top items and what is
assumed. What it does not do: decide anything (the budget gate is lz/pricing/budget.py).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from lz.review.pricing.catalog import Catalog, catalog
from lz.review.pricing.rules import Estimate

TOP_ITEMS = 10


def _r(value: float) -> float:
    return round(value + 0.0, 2)


def prices_as_of(estimates: list[Estimate], cat: Catalog) -> str:
    """The oldest date of any catalog figure the estimate used (the catalog's date when none)."""
    dates = {cat.as_of}
    for e in estimates:
        for line in e.lines:
            if cat.has(e.cloud, line["sku"]):
                dates.add(cat.sku(e.cloud, line["sku"]).as_of)
    return min(dates)


def cost_document(
    estimates: list[Estimate],
    unknown_types: list[str],
    *,
    cat: Catalog | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    cat = cat or catalog()
    by_cloud: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    by_region: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for e in estimates:
        for key, table in ((e.cloud, by_cloud), (f"{e.cloud}/{e.region}", by_region)):
            table[key][0] += e.monthly_min
            table[key][1] += e.monthly_max
    total_min = sum(e.monthly_min for e in estimates)
    total_max = sum(e.monthly_max for e in estimates)
    doc: dict[str, Any] = {
        "currency": cat.currency,
        "prices_as_of": prices_as_of(estimates, cat),
        "hours_per_month": cat.hours_per_month,
        "resources": [e.as_dict() for e in estimates],
        "total": {"monthly_min": _r(total_min), "monthly_max": _r(total_max)},
        "totals": {
            "by_cloud": {k: {"monthly_min": _r(v[0]), "monthly_max": _r(v[1])} for k, v in sorted(by_cloud.items())},
            "by_region": {k: {"monthly_min": _r(v[0]), "monthly_max": _r(v[1])} for k, v in sorted(by_region.items())},
        },
        "unpriced": [{"urn": e.urn, "type": e.type, "reason": e.unpriced} for e in estimates if e.unpriced],
        "unknown_types": unknown_types,
        "usage_assumptions": dict(cat.usage),
        "notes": [
            "public list prices in USD; free tiers, credits, commitments, discounts and taxes not deducted",
            "monthly_min: always-on cost (autoscaled pools at their minimum); monthly_max: every pool and "
            "replica set at its maximum all month",
            "regions without a published figure in the catalog are priced with a documented regional "
            "multiplier and say so in their assumptions",
        ],
    }
    if extra:
        doc.update(extra)
    return doc


def money(value: float) -> str:
    return f"${value:,.2f}"


def _short(urn: str) -> str:
    parts = urn.split("::")
    return parts[-1] if len(parts) >= 4 else urn


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def cost_markdown(doc: dict[str, Any], *, top: int = TOP_ITEMS) -> str:
    total = doc["total"]
    lines = [
        "## Cost",
        "",
        f"Estimated at public list prices of {doc['prices_as_of']} ({doc['currency']}, {doc['hours_per_month']} "
        "hours a month; free tiers, credits and discounts not deducted). Details per resource in `cost.json`.",
        "",
        f"- Always on (autoscaled pools at their minimum): {money(total['monthly_min'])} a month",
        f"- At maximum scale (every pool and replica set at its maximum): {money(total['monthly_max'])} a month",
    ]
    budget = doc.get("budget")
    if budget:
        state = "exceeds it" if budget["exceeded_at_max"] else "is within it"
        lines += [
            f"- Budget: {money(budget['monthly_usd'])} a month; the estimate at maximum scale is "
            f"{budget['share_at_max']:.0%} of it and {state} (gate: `cost-budget`)"
        ]
    lines += [""]
    lines += [
        "| cloud / region | always on | at max scale |",
        "| --- | ---: | ---: |",
    ]
    for key, row in doc["totals"]["by_region"].items():
        lines.append(f"| {key} | {money(row['monthly_min'])} | {money(row['monthly_max'])} |")
    resources = [r for r in doc["resources"] if r["monthly_max"] > 0]
    if resources:
        ranked = sorted(resources, key=lambda r: (-r["monthly_max"], -r["monthly_min"], r["urn"]))[:top]
        lines += [
            "",
            f"Top {len(ranked)} items by cost at maximum scale:",
            "",
            "| resource | type | region | always on | at max scale | assumed |",
            "| --- | --- | --- | ---: | ---: | --- |",
        ]
        for r in ranked:
            assumed = "; ".join(r["assumptions"][:3]) or "-"
            lines.append(
                f"| `{_escape(_short(r['urn']))}` | `{r['type']}` | {r['region']} | "
                f"{money(r['monthly_min'])} | {money(r['monthly_max'])} | {_escape(assumed)} |"
            )
    usage = doc["usage_assumptions"]
    lines += [
        "",
        "Assumed where the graph cannot tell (change them in `lz/data/prices.yaml`, `usage`): "
        + ", ".join(f"{k.replace('_', ' ')} {v:g}" for k, v in usage.items())
        + ".",
    ]
    if doc["unpriced"]:
        lines += ["", f"**Not priced** ({len(doc['unpriced'])}): the estimate is low by their cost."]
        lines += [f"- `{_escape(_short(u['urn']))}`: {_escape(u['reason'])}" for u in doc["unpriced"][:20]]
    if doc["unknown_types"]:
        lines += [
            "",
            "**Types the catalog does not know** (priced at nothing): "
            + ", ".join(f"`{t}`" for t in doc["unknown_types"]),
        ]
    return "\n".join(lines) + "\n"
