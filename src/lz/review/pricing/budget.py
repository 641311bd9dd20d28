"""The budget gate: `cost-budget` findings from the estimate and the foundation's `budget` key.

At maximum scale above `budget.monthly_usd`: a mandatory finding (exit 1 unless waived), because
the landing zone as configured may cost more than was approved. Above the first alert threshold
(e.g. 0.8 of the budget) but within it: an advisory finding, the same early warning the clouds'
own budget alerts would give. Findings go through the normal path (waivers, findings.json, exit
code); a waiver for the stack's URN accepts a known overrun.
"""

from __future__ import annotations

from typing import Any

from lz.review.evaluate import Finding

POLICY = "cost-budget"
STACK_TYPE = "pulumi:pulumi:Stack"
REMEDIATION = (
    "Lower the maximum scale (max_nodes of GPU pools, max replicas), choose cheaper machine types or "
    "regions, or raise `budget.monthly_usd` after approval; a waiver for the stack URN accepts it."
)


def budget_findings(total: dict[str, float], budget: Any, stack_urn: str) -> list[Finding]:
    if budget is None:
        return []
    limit = float(budget.monthly_usd)
    at_max, at_min = float(total["monthly_max"]), float(total["monthly_min"])
    thresholds = sorted(float(t) for t in budget.alert_thresholds)
    if at_max > limit:
        return [
            Finding(
                policy=POLICY,
                source="lz",
                enforcement="mandatory",
                severity="high",
                urn=stack_urn,
                type=STACK_TYPE,
                remediation=REMEDIATION,
                message=f"estimated cost at maximum scale ${at_max:,.2f}/month exceeds the budget of "
                f"${limit:,.2f}/month by ${at_max - limit:,.2f} (always-on ${at_min:,.2f}/month)",
            )
        ]
    crossed = [t for t in thresholds if t < 1 and at_max > t * limit]
    if crossed:
        t = crossed[-1]
        return [
            Finding(
                policy=POLICY,
                source="lz",
                enforcement="advisory",
                severity="medium",
                urn=stack_urn,
                type=STACK_TYPE,
                remediation=REMEDIATION,
                message=f"estimated cost at maximum scale ${at_max:,.2f}/month is above {t:.0%} of the "
                f"budget of ${limit:,.2f}/month (the clouds would alert at this threshold)",
            )
        ]
    return []
