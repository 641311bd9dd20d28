"""A wave's one-time bulk copy and its monthly delta: egress cost per source cloud and transfer time.

For each dataset and database with `size_gb`: the bulk copy's internet egress from the source cloud
(the clouds' volume tiers, or nothing when the wave counts on the source cloud's exit-fee waiver),
the delta a month (`change_pct_per_month` of the size, always charged: the waivers cover leaving,
not an ongoing sync), and how long the bulk copy takes on its path:

- databases reach their source over the foundation's interconnect (the migration services connect
  privately): HA VPN gives tunnels x the per-tunnel limit (AWS 1.25 Gbps, GCP 3 Gbps, the lower end
  wins; ECMP across tunnels assumed), capped by an Azure gateway's aggregate; a dedicated link its
  stated capacity; through a hub the slower leg;
- datasets move with managed transfer services over the clouds' public endpoints, at the catalog's
  per-job assumption;
- `transfer.bandwidth_gbps` overrides the path, `transfer.efficiency` is the share a long copy sustains.

A warning when the bulk copy cannot finish between `start_date` and `cutover.date`. What it does not
do: model parallel jobs, throttling, small-object overheads or the source's read limits.
"""

from __future__ import annotations

import datetime
from typing import Any

from lz.core import interconnect_plan
from lz.review.pricing.catalog import Catalog, catalog
from lz.review.pricing.costdoc import money

PER_TUNNEL = {"aws": "aws-vpn-tunnel", "gcp": "gcp-vpn-tunnel"}


def wave_sizes(wave: Any) -> tuple[dict[str, float], dict[str, float]]:
    """(name -> GB held, name -> GB changed a month) of the wave's datasets and databases."""
    held: dict[str, float] = {}
    changed: dict[str, float] = {}
    for item in [*wave.datasets, *wave.databases]:
        if item.size_gb:
            held[item.name] = float(item.size_gb)
            if item.change_pct_per_month is not None:
                changed[item.name] = float(item.size_gb) * float(item.change_pct_per_month) / 100
    return held, changed


def _azure_gbps(cat: Catalog) -> float:
    table = cat.bandwidth["azure-vpn-gateway"]["gbps"]
    return float(table[cat.bandwidth.get("azure-gateway-sku", "VpnGw2AZ")])


def _vpn_leg(a: str, b: str, cat: Catalog) -> tuple[float, str]:
    pair = (a, b) if (a, b) in interconnect_plan.TUNNELS_PER_PAIR else (b, a)
    tunnels = interconnect_plan.TUNNELS_PER_PAIR[pair]
    limits = [float(cat.bandwidth[PER_TUNNEL[c]]["gbps"]) for c in pair if c in PER_TUNNEL]
    per_tunnel = min(limits) if limits else _azure_gbps(cat)
    gbps = tunnels * per_tunnel
    how = f"HA VPN {pair[0]}-{pair[1]}: {tunnels} tunnels x {per_tunnel:g} Gbps (ECMP; one flow stays in one tunnel)"
    if "azure" in pair and gbps > _azure_gbps(cat):
        gbps = _azure_gbps(cat)
        how += f", capped at the Azure gateway's {gbps:g} Gbps aggregate"
    return gbps, how


def _dedicated_leg(a: str, b: str, foundation: Any, cat: Catalog) -> tuple[float, str]:
    dedicated = getattr(foundation.interconnect, "dedicated", None)
    azure = getattr(dedicated, "azure", None) if dedicated is not None else None
    if "azure" in (a, b) and azure is not None and getattr(azure, "bandwidth_mbps", None):
        return azure.bandwidth_mbps / 1000, f"ExpressRoute circuit of {azure.bandwidth_mbps} Mbps"
    default = cat.bandwidth["dedicated-default"]
    return float(default["gbps"]), f"dedicated link {a}-{b}, {default['source']}"


def path_of(kind: str, source: str, target: str, foundation: Any, cat: Catalog) -> tuple[float, str]:
    """(Gbps, how it was derived) of the path a dataset or database copy takes."""
    internet = cat.bandwidth["internet"]
    if kind == "dataset" or source == target or foundation is None:
        reason = "transfer service, public endpoints" if kind == "dataset" else "within one cloud"
        return float(internet["gbps"]), f"{reason}: {internet['source']}"
    ic = foundation.interconnect
    enabled = list(foundation.clouds.enabled())
    pairs = interconnect_plan.linked_pairs(enabled, ic.topology, ic.hub) if source in enabled else []

    def leg(a: str, b: str) -> tuple[float, str]:
        if ic.transport == "dedicated":
            return _dedicated_leg(a, b, foundation, cat)
        return _vpn_leg(a, b, cat)

    if (source, target) in pairs or (target, source) in pairs:
        return leg(source, target)
    if ic.topology == "hub" and ic.hub and source != ic.hub and target != ic.hub:
        (g1, h1), (g2, h2) = leg(source, ic.hub), leg(ic.hub, target)
        return (g1, f"through hub {ic.hub}: {h1}") if g1 <= g2 else (g2, f"through hub {ic.hub}: {h2}")
    return float(internet["gbps"]), f"no interconnect link {source}-{target}: {internet['source']}"


def _hours(size_gb: float, gbps: float, efficiency: float) -> float:
    return size_gb * 8 / (gbps * efficiency) / 3600


def wave_transfers(wave: Any, foundation: Any, *, cat: Catalog | None = None) -> dict[str, Any]:
    cat = cat or catalog()
    options = wave.transfer
    items: list[dict[str, Any]] = []
    deadline = wave.cutover.date if wave.cutover is not None else None
    available_days = (deadline - wave.first_day).days if deadline is not None else None
    entries = [("dataset", d) for d in wave.datasets] + [("database", d) for d in wave.databases]
    for kind, item in entries:
        src, tgt = item.source, item.target
        row: dict[str, Any] = {
            "name": item.name,
            "kind": kind,
            "source": f"{src.cloud}/{src.region}",
            "target": f"{tgt.cloud}/{tgt.region}",
            "size_gb": item.size_gb,
            "change_pct_per_month": item.change_pct_per_month,
        }
        if not item.size_gb:
            row["note"] = "no size_gb: egress and transfer time not estimated"
            items.append(row)
            continue
        size = float(item.size_gb)
        if options.bandwidth_gbps:
            gbps, how = float(options.bandwidth_gbps), "transfer.bandwidth_gbps (given)"
        else:
            gbps, how = path_of(kind, src.cloud, tgt.cloud, foundation, cat)
        hours = _hours(size, gbps, options.efficiency)
        full = cat.tiered(src.cloud, "egress-internet-gb", size)
        waived = options.exit_fee_waiver and src.cloud != tgt.cloud
        delta_gb = size * float(item.change_pct_per_month or 0) / 100
        row.update(
            {
                "path": how,
                "path_gbps": round(gbps, 3),
                "efficiency": options.efficiency,
                "transfer_hours": round(hours, 2),
                "bulk_egress_usd": 0.0 if waived else round(full, 2),
                "bulk_egress_usd_without_waiver": round(full, 2),
                "exit_fee_waiver": waived,
                "delta_gb_per_month": round(delta_gb, 2),
                "delta_egress_usd_per_month": round(cat.tiered(src.cloud, "egress-internet-gb", delta_gb), 2),
            }
        )
        if src.cloud == tgt.cloud:
            row["note"] = "same cloud: inter-region rates are lower than the internet egress priced here"
        if available_days is not None:
            row["finishes_before_cutover"] = hours <= available_days * 24
            if not row["finishes_before_cutover"]:
                row["warning"] = (
                    f"the bulk copy takes about {hours / 24:.1f} days at {gbps:g} Gbps x "
                    f"{options.efficiency:g}, but only {available_days} day(s) lie between the "
                    f"start ({wave.first_day}) and the cutover ({deadline})"
                )
        items.append(row)
    by_source: dict[str, dict[str, float]] = {}
    for row in items:
        if "bulk_egress_usd" not in row:
            continue
        cloud = row["source"].split("/")[0]
        agg = by_source.setdefault(
            cloud,
            {"bulk_gb": 0.0, "bulk_egress_usd": 0.0, "delta_gb_per_month": 0.0, "delta_egress_usd_per_month": 0.0},
        )
        agg["bulk_gb"] += float(row["size_gb"])
        agg["delta_gb_per_month"] += row["delta_gb_per_month"]
    # Tiers apply to a cloud's whole monthly volume, so the per-cloud figures are priced on the sums.
    for cloud, agg in by_source.items():
        waived = options.exit_fee_waiver and any(
            r.get("exit_fee_waiver") for r in items if r["source"].startswith(cloud + "/")
        )
        agg["bulk_egress_usd"] = 0.0 if waived else round(cat.tiered(cloud, "egress-internet-gb", agg["bulk_gb"]), 2)
        agg["delta_egress_usd_per_month"] = round(cat.tiered(cloud, "egress-internet-gb", agg["delta_gb_per_month"]), 2)
        agg["bulk_gb"] = round(agg["bulk_gb"], 2)
        agg["delta_gb_per_month"] = round(agg["delta_gb_per_month"], 2)
    waivers = {
        c: dict(cat.exit_fee_waivers[c]) | {"url": cat.sources[cat.exit_fee_waivers[c]["source"]]}
        for c in by_source
        if c in cat.exit_fee_waivers
    }
    return {
        "exit_fee_waiver": options.exit_fee_waiver,
        "cutover_date": deadline.isoformat() if isinstance(deadline, datetime.date) else None,
        "start_date": wave.first_day.isoformat(),
        "items": items,
        "by_source_cloud": by_source,
        "one_time_egress_usd": round(sum(a["bulk_egress_usd"] for a in by_source.values()), 2),
        "delta_egress_usd_per_month": round(sum(a["delta_egress_usd_per_month"] for a in by_source.values()), 2),
        "waivers": waivers,
        "warnings": [r["warning"] for r in items if "warning" in r],
    }


def _duration(hours: float) -> str:
    return f"{hours:,.1f} h" if hours < 48 else f"{hours / 24:,.1f} days"


def transfer_markdown(t: dict[str, Any]) -> str:
    lines = ["## Moving the data", ""]
    if t["warnings"]:
        lines += [f"> **Warning:** {w}" for w in t["warnings"]] + [""]
    waiver = (
        "counted on (`transfer.exit_fee_waiver: true`): the bulk copy's internet egress is priced at $0; "
        "apply to the source cloud and meet its conditions"
        if t["exit_fee_waiver"]
        else "not counted on (`transfer.exit_fee_waiver: false`); the clouds waive egress for customers "
        "leaving them, on request"
    )
    lines += [f"Exit-fee waiver {waiver}. Deltas are charged either way.", ""]
    lines += [
        "| what | from -> to | size | path | transfer time | bulk egress | delta a month |",
        "| --- | --- | ---: | --- | ---: | ---: | ---: |",
    ]
    for r in t["items"]:
        if "bulk_egress_usd" not in r:
            lines.append(f"| {r['kind']} `{r['name']}` | {r['source']} -> {r['target']} | ? | {r['note']} | | | |")
            continue
        late = " (late)" if r.get("finishes_before_cutover") is False else ""
        lines.append(
            f"| {r['kind']} `{r['name']}` | {r['source']} -> {r['target']} | {r['size_gb']:,.0f} GB "
            f"| {r['path']} | {_duration(r['transfer_hours'])}{late} | {money(r['bulk_egress_usd'])} "
            f"| {r['delta_gb_per_month']:,.0f} GB, {money(r['delta_egress_usd_per_month'])} |"
        )
    if t["by_source_cloud"]:
        lines += [
            "",
            "| source cloud | bulk copy | one-time egress | delta a month | delta egress a month |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for cloud, a in sorted(t["by_source_cloud"].items()):
            lines.append(
                f"| {cloud} | {a['bulk_gb']:,.0f} GB | {money(a['bulk_egress_usd'])} "
                f"| {a['delta_gb_per_month']:,.0f} GB | {money(a['delta_egress_usd_per_month'])} |"
            )
        lines += [
            "",
            f"One-time egress {money(t['one_time_egress_usd'])}; delta egress "
            f"{money(t['delta_egress_usd_per_month'])} a month.",
        ]
    if t["cutover_date"]:
        lines.append(f"Bulk copies start {t['start_date']} and must be done by the cutover on {t['cutover_date']}.")
    for cloud, w in sorted(t["waivers"].items()):
        lines.append(f"- {cloud}: {w['note']} ({w['url']})")
    return "\n".join(lines) + "\n"
