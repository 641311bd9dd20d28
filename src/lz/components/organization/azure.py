"""`lz:organization:AzureOrganization`: management groups, the subscriptions it vends, policy assignments.

An intermediate root management group `<org>` under the tenant root group (as Azure Landing Zones
do, so the tenant root stays untouched), the spec's management groups beneath it in order, one
`subscription.Alias` per subscription (adopting an existing one by id, or creating it on the
billing scope) placed in its management group, the policy assignments of `lz.spec.guardrails` on the
intermediate root, and a consumption budget per subscription.

What it does not do: move a subscription out of a management group this stack does not manage, or
cancel subscriptions (deleting an alias leaves the subscription; cancelling is a person's decision).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_azure_native as azure_native

from lz.spec import guardrails
from lz.spec.organization import ROOT

from .budgets import azure_budget
from .context import OrgContext
from .logs_azure import AzureDetection, AzureLogArchive

MG_PREFIX = "/providers/Microsoft.Management/managementGroups/"
DEFINITION_PREFIX = "/providers/Microsoft.Authorization/policyDefinitions/"


def group_id(ctx: OrgContext, unit: str) -> str:
    """Management group ids are tenant-wide: prefixed with the organization (90 characters at most)."""
    return ctx.org if unit == ROOT else ctx.physical(unit, max_len=90)


class AzureOrganization(pulumi.ComponentResource):
    root: azure_native.management.ManagementGroup
    groups: dict[str, azure_native.management.ManagementGroup]
    subscriptions: dict[str, azure_native.subscription.Alias]
    assignments: dict[str, azure_native.authorization.PolicyAssignment]

    def __init__(self, name: str, ctx: OrgContext, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("lz:organization:AzureOrganization", name, None, opts)
        spec = ctx.cloud_spec
        # The tenant root group's id is the tenant id.
        self.root = azure_native.management.ManagementGroup(
            f"{name}-mg-root",
            group_id=group_id(ctx, ROOT),
            display_name=f"{ctx.org} landing zone",
            details={"parent": {"id": MG_PREFIX + spec.tenant_id}},
            opts=ctx.opts(self, data=True),
        )
        self.groups = {ROOT: self.root}
        for unit in spec.units:
            self.groups[unit.name] = azure_native.management.ManagementGroup(
                f"{name}-mg-{unit.name}",
                group_id=group_id(ctx, unit.name),
                display_name=unit.name,
                details={"parent": {"id": self.groups[unit.parent].id}},
                opts=ctx.opts(self, data=True),
            )
        self.subscriptions = {}
        self.subscription_ids: dict[str, pulumi.Output[str]] = {}
        for sub in spec.subscriptions:
            properties: Any = {
                "display_name": ctx.physical(sub.name, max_len=64),
                "workload": sub.workload,
                "additional_properties": {
                    "management_group_id": self.groups[sub.unit].id,
                    "subscription_tenant_id": spec.tenant_id,
                    "tags": ctx.tags,
                },
            }
            if sub.subscription_id:
                properties["subscription_id"] = sub.subscription_id
            else:
                properties["billing_scope"] = spec.billing_scope
            alias = azure_native.subscription.Alias(
                f"{name}-subscription-{sub.name}",
                alias_name=ctx.physical(sub.name, max_len=64),
                properties=properties,
                opts=ctx.opts(self, data=True),
            )
            self.subscriptions[sub.name] = alias
            self.subscription_ids[sub.name] = (
                pulumi.Output.from_input(sub.subscription_id)
                if sub.subscription_id
                else alias.properties.apply(lambda p: p.subscription_id)
            )
        child = pulumi.ResourceOptions(parent=self)
        archive = spec.by_role("log-archive")
        self.logs = AzureLogArchive(
            f"{name}-logs", ctx, subscription_id=self.subscription_ids[archive.name], root_group=self.root, opts=child
        )
        self.detection = AzureDetection(f"{name}-defender", ctx, subscriptions=dict(self.subscription_ids), opts=child)
        self.assignments = {}
        for assignment in guardrails.azure_assignments(ctx.spec):
            self.assignments[assignment.name] = azure_native.authorization.PolicyAssignment(
                f"{name}-assign-{assignment.name}",
                policy_assignment_name=assignment.name,
                scope=self.root.id,
                display_name=assignment.display_name,
                policy_definition_id=DEFINITION_PREFIX + guardrails.AZURE_DEFINITIONS[assignment.definition],
                parameters=assignment.parameters or None,
                enforcement_mode="Default",
                non_compliance_messages=[
                    {
                        "message": f"{assignment.display_name}: landing-zone guardrail of "
                        f"{ctx.org} (residency {ctx.spec.residency})"
                    }
                ],
                opts=ctx.opts(self),
            )
        self.budgets = {}
        for sub in spec.subscriptions:
            budget = ctx.spec.budget_for(sub)
            if budget is not None:
                self.budgets[sub.name] = azure_budget(
                    f"{name}-budget-{sub.name}",
                    ctx,
                    budget,
                    sub.name,
                    subscription_id=self.subscription_ids[sub.name],
                    parent=self,
                )
        self.outputs: dict[str, Any] = {
            "tenant_id": spec.tenant_id,
            "home_region": spec.home_region,
            "management_groups": {u: g.id for u, g in self.groups.items()},
            "subscriptions": dict(self.subscription_ids),
            "guardrails": sorted(self.assignments),
            "allowed_locations": guardrails.azure_allowed_locations(ctx.spec),
            "log_archive": self.logs.outputs,
        }
        self.register_outputs(self.outputs)


def provider(spec: Any, parent: pulumi.Resource) -> azure_native.Provider:
    az = spec.clouds.azure
    security = az.by_role("security")
    return azure_native.Provider(
        "azure-organization",
        tenant_id=az.tenant_id,
        subscription_id=security.subscription_id,
        location=az.home_region,
        opts=pulumi.ResourceOptions(parent=parent),
    )


def build(ctx: OrgContext, opts: pulumi.ResourceOptions) -> dict[str, Any]:
    return AzureOrganization(f"{ctx.org}-azure", ctx, opts).outputs
