"""One monthly cost budget per vended account, project and subscription, from the spec's `budget`.

The same `budget` key the cost gate reads (`lz.spec.budget.Budget`): `monthly_usd` is the limit,
each of `alert_thresholds` (fractions of it) becomes an alert on actual spend, and `recipients` get
the e-mails. A vended target's own `budget` replaces the organization's.

- AWS: `budgets.Budget` in the management account, filtered to the linked account.
- GCP: `billing.Budget` on the billing account, filtered to the project; e-mails go through Cloud
  Monitoring e-mail channels in the security project (budgets mail only billing admins otherwise).
- Azure: `consumption.Budget` at the subscription's scope, from `budget_start`.
"""

from __future__ import annotations

from typing import Any

import pulumi

from lz.spec.budget import Budget

from .context import OrgContext


def _amount(budget: Budget) -> str:
    return f"{budget.monthly_usd:.2f}"


def aws_budget(
    name: str,
    ctx: OrgContext,
    budget: Budget,
    target: str,
    *,
    management_account_id: str,
    account_id: pulumi.Input[str],
    parent: pulumi.Resource,
) -> Any:
    import pulumi_aws as aws  # noqa: PLC0415

    notifications: Any = (
        [
            {
                "comparison_operator": "GREATER_THAN",
                "threshold": round(threshold * 100, 2),
                "threshold_type": "PERCENTAGE",
                "notification_type": "ACTUAL",
                "subscriber_email_addresses": list(budget.recipients),
            }
            for threshold in budget.alert_thresholds
        ]
        if budget.recipients
        else []
    )
    physical = ctx.physical("budget", target, max_len=100)
    return aws.budgets.Budget(
        name,
        name=physical,
        account_id=management_account_id,
        budget_type="COST",
        limit_amount=_amount(budget),
        limit_unit="USD",
        time_unit="MONTHLY",
        cost_filters=[{"name": "LinkedAccount", "values": [account_id]}],
        notifications=notifications,
        tags=ctx.tags_with(Name=physical),
        opts=ctx.opts(parent),
    )


def gcp_channels(
    name: str,
    ctx: OrgContext,
    recipients: list[str],
    *,
    project: pulumi.Input[str],
    parent: pulumi.Resource,
    depends_on: list[pulumi.Resource] | None = None,
) -> dict[str, Any]:
    import pulumi_gcp as gcp  # noqa: PLC0415

    channels = {}
    for i, address in enumerate(sorted(set(recipients))):
        channels[address] = gcp.monitoring.NotificationChannel(
            f"{name}-{i}",
            project=project,
            type="email",
            display_name=f"{ctx.org} budget {address}",
            labels={"email_address": address},
            user_labels=ctx.tags,
            opts=ctx.opts(parent, depends_on=depends_on),
        )
    return channels


def gcp_budget(
    name: str,
    ctx: OrgContext,
    budget: Budget,
    target: str,
    *,
    billing_account: str,
    project_number: pulumi.Input[str],
    channels: dict[str, Any],
    parent: pulumi.Resource,
) -> Any:
    import pulumi_gcp as gcp  # noqa: PLC0415

    units, cents = divmod(round(budget.monthly_usd * 100), 100)
    return gcp.billing.Budget(
        name,
        billing_account=billing_account,
        display_name=ctx.physical("budget", target, max_len=60),
        budget_filter={
            "projects": [pulumi.Output.concat("projects/", project_number)],
            "credit_types_treatment": "INCLUDE_ALL_CREDITS",
        },
        amount={"specified_amount": {"currency_code": "USD", "units": str(units), "nanos": cents * 10_000_000}},
        threshold_rules=[{"threshold_percent": t, "spend_basis": "CURRENT_SPEND"} for t in budget.alert_thresholds],
        all_updates_rule={
            "monitoring_notification_channels": [channels[r].name for r in budget.recipients],
            "disable_default_iam_recipients": False,
        },
        opts=ctx.opts(parent),
    )


def azure_budget(
    name: str,
    ctx: OrgContext,
    budget: Budget,
    target: str,
    *,
    subscription_id: pulumi.Input[str],
    parent: pulumi.Resource,
) -> Any:
    import pulumi_azure_native as azure_native  # noqa: PLC0415

    start = ctx.spec.budget_start
    assert start is not None  # the spec refuses Azure budgets without a start month
    notifications: Any = (
        {
            f"actual-{round(t * 100)}": {
                "enabled": True,
                "operator": "GreaterThan",
                "threshold": round(t * 100, 2),
                "threshold_type": "Actual",
                "contact_emails": list(budget.recipients),
            }
            for t in budget.alert_thresholds
        }
        if budget.recipients
        else None
    )
    return azure_native.consumption.Budget(
        name,
        budget_name=ctx.physical("budget", target, max_len=63),
        scope=pulumi.Output.concat("/subscriptions/", subscription_id),
        amount=budget.monthly_usd,
        category="Cost",
        time_grain="Monthly",
        time_period={"start_date": f"{start.isoformat()}T00:00:00Z"},
        notifications=notifications,
        opts=ctx.opts(parent),
    )
