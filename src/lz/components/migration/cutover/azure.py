"""Cutover on Azure: a weighted Traffic Manager profile behind a CNAME, and Azure Monitor rollback alerts.

`TrafficManagerCutover` (`lz:migration:TrafficManagerCutover`): a Traffic Manager profile with the
`Weighted` routing method, HTTPS probing of `health_path`, and two external endpoints (source and
target) with the current step's weights. Traffic Manager weights run from 1 to 1000, so an endpoint
whose share is 0 is disabled rather than weighted 0. The cut-over host name is a CNAME to the
profile in the wave's Azure DNS zone. Traffic Manager is a global service (`location: global`).

`AzureMonitorRollbackAlerts` (`lz:migration:AzureMonitorRollbackAlerts`): in the region where the
target runs (`cutover.target`), two Azure Monitor log search alert rules on its requests (the
`AppRequests` rows the `azuremonitor` exporter makes of server spans), scoped to the foundation's
telemetry workspace of that region when its gateway writes Azure Monitor, else to a Log Analytics
workspace and workspace-based Application Insights resource of the wave that the target's exporter
sends to directly: the 5xx ratio above `max_error_rate` and the p99 duration
above `max_p99_latency_ms` over `evaluation_minutes`. Log search rules, not metric alerts, because
Application Insights' standard metrics have no percentiles. A window without a request breaches
(error rate 1, p99 a day): a silent target holds the cutover back, as missing data does on the other
clouds.

What it does not do: action groups (attach your paging), or roll back by itself.
"""

from __future__ import annotations

import pulumi
import pulumi_azure_native as azure_native

from lz.core import naming
from lz.spec.wave import Cutover

from .. import names
from ..context import MigrationContext
from . import metrics

TTL = 60
# Azure Monitor log search rules accept these windows (minutes).
_WINDOWS = (5, 10, 15, 30, 45, 60, 120, 180, 240, 300, 360, 1440)


def alert_window(minutes: int) -> str:
    """The smallest allowed window that covers `minutes`, as an ISO 8601 duration."""
    chosen = next((w for w in _WINDOWS if w >= minutes), _WINDOWS[-1])
    return f"PT{chosen}M" if chosen < 60 else f"PT{chosen // 60}H"


def relative_name(zone: str, hostname: str) -> str:
    return hostname[: -len(zone) - 1]


class TrafficManagerCutover(pulumi.ComponentResource):
    """`lz:migration:TrafficManagerCutover`: a weighted Traffic Manager profile and the CNAME to it."""

    profile: azure_native.trafficmanager.Profile
    record: azure_native.dns.RecordSet

    def __init__(
        self,
        name: str,
        ctx: MigrationContext,
        cutover: Cutover,
        *,
        resource_group: azure_native.resources.ResourceGroup,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:migration:TrafficManagerCutover", name, None, opts)
        tm = azure_native.trafficmanager
        self.dns_label = naming.slug(
            ctx.org,
            ctx.env,
            ctx.wave.name,
            naming.short_hash(ctx.org, ctx.env, ctx.wave.name, cutover.hostname, length=6),
            max_len=63,
        )
        weights = {"source": cutover.source_weight, "target": cutover.target_weight}
        endpoints = {"source": cutover.source_endpoint, "target": cutover.target_endpoint}
        self.profile = tm.Profile(
            f"{name}-profile",
            profile_name=self.dns_label,
            resource_group_name=resource_group.name,
            location="global",
            profile_status="Enabled",
            traffic_routing_method="Weighted",
            dns_config=tm.DnsConfigArgs(relative_name=self.dns_label, ttl=TTL),
            monitor_config=tm.MonitorConfigArgs(
                protocol="HTTPS",
                port=443,
                path=cutover.health_path,
                interval_in_seconds=30,
                timeout_in_seconds=10,
                tolerated_number_of_failures=3,
                expected_status_code_ranges=[tm.MonitorConfigExpectedStatusCodeRangesItemArgs(min=200, max=299)],
            ),
            endpoints=[
                tm.EndpointArgs(
                    name=side,
                    type="Microsoft.Network/trafficManagerProfiles/externalEndpoints",
                    target=endpoints[side],
                    weight=max(1, weights[side] * 10),
                    endpoint_status="Enabled" if weights[side] > 0 else "Disabled",
                )
                for side in ("source", "target")
            ],
            tags=ctx.tags,
            opts=ctx.opts(self),
        )
        group, zone = cutover.dns.azure_zone
        self.record = azure_native.dns.RecordSet(
            f"{name}-record",
            resource_group_name=group,
            zone_name=zone,
            relative_record_set_name=relative_name(zone, cutover.hostname),
            record_type="CNAME",
            ttl=TTL,
            cname_record=azure_native.dns.CnameRecordArgs(cname=f"{self.dns_label}.trafficmanager.net"),
            metadata={"wave": ctx.wave.name, "managed-by": "pulumi"},
            opts=ctx.opts(self, depends_on=[self.profile]),
        )
        self.register_outputs({"hostname": cutover.hostname, "weights": weights})


def gateway_workspace(foundation: object, region: str) -> str | None:
    """The Log Analytics workspace the foundation's Azure gateway of `region` writes, if it writes one."""
    if not isinstance(foundation, dict):
        return None
    telemetry = foundation.get("telemetry") or {}
    gateway = (telemetry.get("azure") or {}).get(region) or {}
    workspace = gateway.get("workspace_id")
    return str(workspace) if workspace else None


class AzureMonitorRollbackAlerts(pulumi.ComponentResource):
    """`lz:migration:AzureMonitorRollbackAlerts`: workspace, Application Insights and two log alerts."""

    workspace: azure_native.operationalinsights.Workspace
    insights: azure_native.applicationinsights.Component
    error_rate: azure_native.monitor.ScheduledQueryRule
    latency: azure_native.monitor.ScheduledQueryRule

    def __init__(
        self,
        name: str,
        ctx: MigrationContext,
        cutover: Cutover,
        *,
        region: str,
        resource_group: azure_native.resources.ResourceGroup,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:migration:AzureMonitorRollbackAlerts", name, None, opts)
        rollback = cutover.rollback
        host = cutover.target_endpoint
        window = alert_window(rollback.evaluation_minutes)
        self.workspace = azure_native.operationalinsights.Workspace(
            f"{name}-workspace",
            workspace_name=ctx.physical("telemetry", ctx.region_code(region), max_len=63),
            resource_group_name=resource_group.name,
            location=region,
            sku=azure_native.operationalinsights.WorkspaceSkuArgs(name="PerGB2018"),
            retention_in_days=90,
            tags=ctx.tags,
            opts=ctx.opts(self, region=region, data=True),
        )
        self.insights = azure_native.applicationinsights.Component(
            f"{name}-insights",
            resource_name_=ctx.physical("requests", ctx.region_code(region), max_len=63),
            resource_group_name=resource_group.name,
            location=region,
            kind="web",
            application_type="web",
            ingestion_mode="LogAnalytics",
            workspace_resource_id=self.workspace.id,
            retention_in_days=90,
            tags=ctx.tags,
            opts=ctx.opts(self, region=region),
        )

        # The gateway's azuremonitor exporter writes the target's server spans to the foundation's
        # telemetry workspace of this region (`telemetry.native` includes azure): the alerts read there.
        # Without one, they read the wave's own workspace, and the target's exporter sends to it directly.
        self.scope = pulumi.Output.all(ctx.outputs, self.workspace.id).apply(
            lambda values: gateway_workspace(values[0], region) or values[1]
        )

        def rule(
            key: str,
            title: str,
            query: str,
            column: str,
            threshold: float,
        ) -> azure_native.monitor.ScheduledQueryRule:
            return azure_native.monitor.ScheduledQueryRule(
                f"{name}-{key}",
                rule_name=names.alarm(ctx.org, ctx.env, ctx.wave.name, key),
                resource_group_name=resource_group.name,
                location=region,
                kind="LogAlert",
                description=f"Roll back wave {ctx.wave.name}: {title}",
                display_name=f"{ctx.wave.name}: roll back ({title})",
                severity=1,
                enabled=True,
                scopes=[self.scope],
                evaluation_frequency="PT5M",
                window_size=window,
                criteria=azure_native.monitor.ScheduledQueryRuleCriteriaArgs(
                    all_of=[
                        azure_native.monitor.ConditionArgs(
                            query=query,
                            time_aggregation="Maximum",
                            metric_measure_column=column,
                            operator="GreaterThan",
                            threshold=threshold,
                            failing_periods=azure_native.monitor.ConditionFailingPeriodsArgs(
                                number_of_evaluation_periods=1, min_failing_periods_to_alert=1
                            ),
                        ),
                    ]
                ),
                auto_mitigate=True,
                tags=ctx.tags,
                opts=ctx.opts(self, region=region),
            )

        self.error_rate = rule(
            "error-rate",
            f"error rate of {host} above {rollback.max_error_rate:.2%}",
            metrics.kql_error_rate(host),
            "ErrorRate",
            rollback.max_error_rate,
        )
        self.latency = rule(
            "p99-latency",
            f"p99 latency of {host} above {rollback.max_p99_latency_ms} ms",
            metrics.kql_p99_ms(host),
            "P99",
            float(rollback.max_p99_latency_ms),
        )
        self.register_outputs({"error_rate": self.error_rate.id, "latency": self.latency.id})
