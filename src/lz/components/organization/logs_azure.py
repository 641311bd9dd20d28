"""`lz:organization:AzureLogArchive`: management-group activity into a central Log Analytics workspace.

In the log-archive subscription: a resource group and a Log Analytics workspace in the home region
(interactive retention `log_retention_days`, capped at the 730 days a workspace allows; queries only
from private networks). On the organization's intermediate root management group: a diagnostic
setting that sends the management-group-level Administrative and Policy activity (management
groups, policy and role assignments made there) to that workspace.

Every subscription's own activity log follows through Azure Policy: the built-in "Configure Azure
Activity logs to stream to specified Log Analytics workspace" (DeployIfNotExists) is assigned on the
intermediate root with a managed identity holding the two roles the definition names.

What it does not do: resource logs (each foundation's diagnostic settings), or customer-managed keys
for the workspace (they need a dedicated cluster with a daily commitment tier).
Sources (read 2026-12): https://learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings
(management group categories), https://learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure.
"""

from __future__ import annotations

import uuid
from typing import Any

import pulumi
import pulumi_azure_native as azure_native

from .context import OrgContext

WORKSPACE_MAX_RETENTION = 730
MANAGEMENT_GROUP_CATEGORIES = ("Administrative", "Policy")
# "Configure Azure Activity logs to stream to specified Log Analytics workspace" (DeployIfNotExists),
# as Azure Landing Zones assign it: every subscription under the intermediate root gets the setting,
# existing ones through a remediation task. Its identity needs the roles the definition names.
ACTIVITY_LOG_DEFINITION = "/providers/Microsoft.Authorization/policyDefinitions/2465583e-4e78-4c15-b6be-a36cbc7c8b0f"
ACTIVITY_LOG_ROLES = {
    "log-analytics-contributor": "92aaf0da-9dab-42b6-94a3-d43ce8d16293",
    "monitoring-contributor": "749f88d5-cbae-40b8-bcfc-e573ddc772fa",
}


class AzureLogArchive(pulumi.ComponentResource):
    def __init__(
        self,
        name: str,
        ctx: OrgContext,
        *,
        subscription_id: pulumi.Input[str],
        root_group: Any,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:organization:AzureLogArchive", name, None, opts)
        spec = ctx.cloud_spec
        region = spec.home_region
        self.provider = azure_native.Provider(
            f"{name}-provider",
            tenant_id=spec.tenant_id,
            subscription_id=subscription_id,
            location=region,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.group = azure_native.resources.ResourceGroup(
            f"{name}-rg",
            resource_group_name=ctx.physical("org-logs", max_len=90),
            location=region,
            tags=ctx.tags,
            opts=ctx.opts(self, data=True, provider=self.provider),
        )
        self.workspace = azure_native.operationalinsights.Workspace(
            f"{name}-workspace",
            workspace_name=ctx.physical("org-activity", max_len=63),
            resource_group_name=self.group.name,
            location=region,
            sku={"name": "PerGB2018"},
            retention_in_days=min(ctx.spec.log_retention_days, WORKSPACE_MAX_RETENTION),
            # Queries stay open to the network and are authorised by Entra ID (Azure RBAC): the
            # organization stack holds no network for an Azure Monitor Private Link Scope's private
            # endpoint, and "Disabled" without one would leave the workspace unqueryable.
            public_network_access_for_query="Enabled",
            tags=ctx.tags,
            opts=ctx.opts(self, data=True, provider=self.provider),
        )
        self.setting = azure_native.monitor.ManagementGroupDiagnosticSetting(
            f"{name}-mg-activity",
            name="lz-organization-activity",
            management_group_id=root_group.name,
            workspace_id=self.workspace.id,
            logs=[{"category": c, "enabled": True} for c in MANAGEMENT_GROUP_CATEGORIES],
            opts=ctx.opts(self),
        )
        identity: Any = {"type": "SystemAssigned"}
        parameters: Any = {"effect": {"value": "DeployIfNotExists"}, "logAnalytics": {"value": self.workspace.id}}
        self.activity = azure_native.authorization.PolicyAssignment(
            f"{name}-activity-log",
            policy_assignment_name="lz-activity-log",
            scope=root_group.id,
            display_name="Activity logs of every subscription to the central workspace",
            policy_definition_id=ACTIVITY_LOG_DEFINITION,
            location=region,
            identity=identity,
            parameters=parameters,
            enforcement_mode="Default",
            opts=ctx.opts(self),
        )
        for role, definition in ACTIVITY_LOG_ROLES.items():
            azure_native.authorization.RoleAssignment(
                f"{name}-activity-log-{role}",
                scope=root_group.id,
                # Role assignment names are GUIDs: derived from the scope and role, the same every run.
                role_assignment_name=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{ctx.org}/activity-log/{role}")),
                role_definition_id=f"/providers/Microsoft.Authorization/roleDefinitions/{definition}",
                principal_id=self.activity.identity.apply(lambda i: i.principal_id if i else ""),
                principal_type="ServicePrincipal",
                opts=ctx.opts(self),
            )
        self.outputs = {"workspace": self.workspace.id}
        self.register_outputs(self.outputs)


# Defender for Cloud plans turned on (Standard tier) in every vended subscription.
# https://learn.microsoft.com/rest/api/defenderforcloud/pricings (read 2026-12)
DEFENDER_PLANS = ("Arm", "CloudPosture", "Containers", "KeyVaults", "StorageAccounts", "VirtualMachines")


class AzureDetection(pulumi.ComponentResource):
    def __init__(
        self,
        name: str,
        ctx: OrgContext,
        *,
        subscriptions: dict[str, pulumi.Input[str]],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:organization:AzureDetection", name, None, opts)
        self.plans = {}
        for sub, subscription_id in subscriptions.items():
            for plan in DEFENDER_PLANS:
                self.plans[(sub, plan)] = azure_native.security.Pricing(
                    f"{name}-{sub}-{plan.lower()}",
                    pricing_name=plan,
                    pricing_tier="Standard",
                    scope_id=pulumi.Output.concat("subscriptions/", subscription_id),
                    opts=ctx.opts(self),
                )
        self.register_outputs({"plans": sorted(f"{s}/{p}" for s, p in self.plans)})
