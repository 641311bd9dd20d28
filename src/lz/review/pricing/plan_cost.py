"""What `lz plan` adds for cost: cost.json, the report sections (cost change first, then cost) and
the budget findings. Kept out of lz/plan.py, which only calls `plan_cost()`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lz.core.graph import Resource
from lz.review.evaluate import Finding
from lz.review.pricing.budget import budget_findings
from lz.review.pricing.costdoc import cost_document, cost_markdown
from lz.review.pricing.delta import cost_delta, delta_markdown
from lz.review.pricing.rules import estimate


@dataclass
class PlanCost:
    document: dict[str, Any]
    sections: list[str] = field(default_factory=list)  # report.md, in order: change, cost, transfers
    findings: list[Finding] = field(default_factory=list)


def plan_cost(
    resources: list[Resource], *, foundation: Any = None, wave: Any = None, base: list[Resource] | None = None
) -> PlanCost:
    """`foundation`: the LandingZone spec of a foundation stack (its budget gates); `wave`: a wave's spec."""
    data_gb: dict[str, float] = {}
    change_gb: dict[str, float] = {}
    transfers = None
    if wave is not None:
        from lz.review.pricing.transfer import wave_sizes  # noqa: PLC0415

        data_gb, change_gb = wave_sizes(wave)
    estimates, unknown = estimate(resources, data_gb=data_gb, change_gb=change_gb)
    extra: dict[str, Any] = {}
    sections: list[str] = []
    if base is not None:
        base_estimates, _ = estimate(base, data_gb=data_gb, change_gb=change_gb)
        delta = cost_delta(base_estimates, estimates)
        extra["diff"] = delta
        sections.append(delta_markdown(delta))
    if wave is not None and foundation is not None:
        from lz.review.pricing.transfer import transfer_markdown, wave_transfers  # noqa: PLC0415

        transfers = wave_transfers(wave, foundation)
        extra["transfers"] = transfers
    if wave is None and foundation is not None and getattr(foundation, "gpu_pools", None):
        from lz.review.cost import gpu_cost_rows  # noqa: PLC0415

        keys = (
            "pool",
            "cloud",
            "region",
            "machine_type",
            "capacity",
            "gpus_at_max",
            "price_per_gpu_hour",
            "cost_per_training_hour",
            "monthly_at_min",
            "monthly_at_max",
        )
        extra["gpu_pools"] = [{k: row[k] for k in keys} for row in gpu_cost_rows(foundation)]
    doc = cost_document(estimates, unknown, extra=extra)
    findings: list[Finding] = []
    # The budget is the foundation's: a wave's estimate is reported, not gated against it.
    budget = getattr(foundation, "budget", None) if wave is None else None
    if budget is not None:
        stack_urn = next((r.urn for r in resources if r.type == "pulumi:pulumi:Stack"), "")
        findings = budget_findings(doc["total"], budget, stack_urn)
        doc["budget"] = {
            "monthly_usd": budget.monthly_usd,
            "alert_thresholds": list(budget.alert_thresholds),
            "share_at_max": round(doc["total"]["monthly_max"] / budget.monthly_usd, 4),
            "exceeded_at_max": doc["total"]["monthly_max"] > budget.monthly_usd,
        }
    sections.append(cost_markdown(doc))
    if transfers is not None:
        sections.append(transfer_markdown(transfers))
    return PlanCost(document=doc, sections=sections, findings=findings)
