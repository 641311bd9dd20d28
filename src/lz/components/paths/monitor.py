"""Azure Monitor Private Link Scope: the telemetry stage's Log Analytics workspaces and Application
Insights components answer queries from the landing zone's networks.

The telemetry stage closes public query access on them (`publicNetworkAccessForQuery: Disabled`), so
without a Private Link Scope nobody can query what the collectors send. Built after that stage
(`lz:paths:AzureMonitorPrivateLink`): one scope in the home region's network group with query access
`PrivateOnly` and ingestion `Open` (the collectors keep sending over TLS as before), each workspace and
component scoped into it, a private endpoint (`azuremonitor`) in the home region's data subnet, and
the zones Azure Monitor's private link uses, linked to every hub VNet ("Configure your private link",
learn.microsoft.com/azure/azure-monitor/logs/private-link-configure, read 2026-12). Operators query
from a network joined to a hub (the VPN or a peered network).

What it does not do: private ingestion (the collectors' exporter keeps the public ingestion endpoint),
or scopes per region (one scope serves the subscription's networks, as Azure recommends).
"""

from __future__ import annotations

from typing import Any

import pulumi

from lz.core import naming

from ..base import CloudContext

MONITOR_ZONES = (
    "privatelink.monitor.azure.com",
    "privatelink.oms.opinsights.azure.com",
    "privatelink.ods.opinsights.azure.com",
    "privatelink.agentsvc.azure-automation.net",
)


class AzureMonitorPrivateLink(pulumi.ComponentResource):
    """`lz:paths:AzureMonitorPrivateLink`: a Private Link Scope over the telemetry workspaces and components."""

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        foundation: dict[str, Any],
        scoped: dict[str, pulumi.Input[str]],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:paths:AzureMonitorPrivateLink", name, None, opts)
        import pulumi_azure_native as azure_native  # noqa: PLC0415

        from .private_link import linked_zone, private_endpoint  # noqa: PLC0415 - the Azure SDK loads only when needed

        home = ctx.home_region
        net = foundation["regions"][home]
        rg = net["resource_group"]
        scope_name = naming.slug("ampls", ctx.org, ctx.env, max_len=255)
        self.scope = azure_native.monitor.PrivateLinkScope(
            f"{name}-scope",
            scope_name=scope_name,
            resource_group_name=rg,
            location="global",
            access_mode_settings=azure_native.monitor.AccessModeSettingsArgs(
                query_access_mode="PrivateOnly", ingestion_access_mode="Open", exclusions=[]
            ),
            tags=ctx.tags,
            opts=ctx.opts(self),
        )
        for key, resource_id in sorted(scoped.items()):
            azure_native.monitor.PrivateLinkScopedResource(
                f"{name}-{key}",
                name=key,
                scope_name=self.scope.name,
                resource_group_name=rg,
                linked_resource_id=resource_id,
                opts=ctx.opts(self),
            )
        zones = []
        for zone_name in MONITOR_ZONES:
            key = zone_name.split(".")[1]
            zone, _ = linked_zone(
                f"{name}-zone-{key}",
                ctx,
                self,
                zone_name=zone_name,
                link_key=key,
                regions=foundation["regions"],
                resource_group=rg,
            )
            zones.append((zone_name, zone))
        self.endpoint, _ = private_endpoint(
            f"{name}-endpoint",
            ctx,
            self,
            region=home,
            endpoint_name=naming.slug("pe", ctx.org, ctx.env, ctx.region_code(home), "ampls", max_len=80),
            net=net,
            target=self.scope.id,
            group="azuremonitor",
            zones=zones,
            resource_group=rg,
        )
        self.register_outputs({"scope": scope_name})


def build(
    contexts: dict[str, CloudContext], foundations: dict[str, dict[str, Any]], opts: pulumi.ResourceOptions
) -> dict[str, Any]:
    """After the telemetry stage: a scope over the Azure workspaces and components it made, if any."""
    if "azure" not in contexts:
        return {}
    stages = getattr(opts.parent, "outputs", None) or {}
    telemetry = (stages.get("telemetry") or {}).get("azure") or {}
    scoped: dict[str, pulumi.Input[str]] = {}
    for region, values in sorted(telemetry.items()):
        for key in ("workspace_id", "insights_id"):
            if values.get(key) is not None:
                scoped[f"{key.split('_')[0]}-{contexts['azure'].region_code(region)}"] = values[key]
    if not scoped:
        return {}
    ctx = contexts["azure"]
    link = AzureMonitorPrivateLink(f"{ctx.org}-{ctx.env}-paths-azure-monitor", ctx, foundations["azure"], scoped, opts)
    return {"azure": {"scope": link.scope.name, "scoped": sorted(scoped)}}
