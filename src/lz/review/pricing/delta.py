"""The monthly cost change of a pull request, like `infracost diff`: per resource and in total.

Both graphs are priced with today's catalog, so the delta shows what the change costs, not price
moves. Resources match by URN (as the Pulumi engine matches them).
"""

from __future__ import annotations

from typing import Any

from lz.review.pricing.costdoc import money
from lz.review.pricing.rules import Estimate

MAX_LISTED = 25


def cost_delta(base: list[Estimate], head: list[Estimate]) -> dict[str, Any]:
    old = {e.urn: e for e in base}
    new = {e.urn: e for e in head}
    rows: list[dict[str, Any]] = []
    for urn in sorted(set(old) | set(new)):
        a, b = old.get(urn), new.get(urn)
        d_min = (b.monthly_min if b else 0.0) - (a.monthly_min if a else 0.0)
        d_max = (b.monthly_max if b else 0.0) - (a.monthly_max if a else 0.0)
        if abs(d_min) < 0.005 and abs(d_max) < 0.005:
            continue
        either = b or a
        rows.append(
            {
                "urn": urn,
                "type": either.type if either else "",
                "change": "added" if a is None else "removed" if b is None else "changed",
                "monthly_min_delta": round(d_min, 2),
                "monthly_max_delta": round(d_max, 2),
                "monthly_min": round(b.monthly_min, 2) if b else 0.0,
                "monthly_max": round(b.monthly_max, 2) if b else 0.0,
            }
        )
    rows.sort(key=lambda r: (-abs(r["monthly_max_delta"]), r["urn"]))
    base_min, base_max = sum(e.monthly_min for e in base), sum(e.monthly_max for e in base)
    head_min, head_max = sum(e.monthly_min for e in head), sum(e.monthly_max for e in head)
    return {
        "base": {"monthly_min": round(base_min, 2), "monthly_max": round(base_max, 2)},
        "head": {"monthly_min": round(head_min, 2), "monthly_max": round(head_max, 2)},
        "monthly_min_delta": round(head_min - base_min, 2),
        "monthly_max_delta": round(head_max - base_max, 2),
        "resources": rows,
    }


def _signed(value: float) -> str:
    return ("+" if value > 0 else "-" if value < 0 else "") + money(abs(value))


def _short(urn: str) -> str:
    return urn.split("::")[-1]


def delta_markdown(delta: dict[str, Any]) -> str:
    lines = [
        "## Cost change against the base",
        "",
        f"Monthly cost always on: {money(delta['base']['monthly_min'])} -> {money(delta['head']['monthly_min'])} "
        f"(**{_signed(delta['monthly_min_delta'])}**); at maximum scale: {money(delta['base']['monthly_max'])} "
        f"-> {money(delta['head']['monthly_max'])} (**{_signed(delta['monthly_max_delta'])}**).",
        "",
    ]
    rows = delta["resources"]
    if not rows:
        return "\n".join(lines + ["No resource changes its cost.", ""])
    lines += ["| resource | type | change | always on | at max scale |", "| --- | --- | --- | ---: | ---: |"]
    for r in rows[:MAX_LISTED]:
        lines.append(
            f"| `{_short(r['urn'])}` | `{r['type']}` | {r['change']} | {_signed(r['monthly_min_delta'])} "
            f"| {_signed(r['monthly_max_delta'])} |"
        )
    if len(rows) > MAX_LISTED:
        lines.append(f"| ... and {len(rows) - MAX_LISTED} more (see cost.json `diff`) | | | | |")
    return "\n".join(lines) + "\n"
