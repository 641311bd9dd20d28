"""Cutover on GCP: a Cloud DNS weighted round robin record, and Cloud Monitoring rollback alerts.

`CloudDnsWeightedCutover` (`lz:migration:CloudDnsWeightedCutover`): one CNAME record set for the
cut-over host name in the managed zone, with a weighted round robin routing policy (`wrr`) of two
items: the source endpoint with the source's weight and the target endpoint with the current
step's. A short TTL (60 s) makes a step (and a rollback) take effect quickly.

`CloudMonitoringRollbackAlerts` (`lz:migration:CloudMonitoringRollbackAlerts`): two alert policies
in the foundation's project, built when the target runs on GCP (`cutover.target`), PromQL over the
Managed Service for Prometheus metrics named in `cutover.metrics`: the target's 5xx ratio above
`max_error_rate`, and its p99 request duration above `max_p99_latency_ms`, each sustained for
`evaluation_minutes`, or no request at all in that window (`absent_over_time`: a silent target holds
the cutover back, as missing data does on the other clouds).

What it does not do: notification channels (attach your paging to the policies), or health checks
of external endpoints (Cloud DNS health checks only cover Google load balancers).
"""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from lz.spec.wave import Cutover

from .. import names
from ..context import MigrationContext
from ..gcp_project import GcpWaveProject
from . import metrics

TTL = 60


class CloudDnsWeightedCutover(pulumi.ComponentResource):
    """`lz:migration:CloudDnsWeightedCutover`: a CNAME with a weighted round robin policy."""

    record: gcp.dns.RecordSet

    def __init__(
        self,
        name: str,
        ctx: MigrationContext,
        cutover: Cutover,
        *,
        project: GcpWaveProject,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:migration:CloudDnsWeightedCutover", name, None, opts)
        self.record = gcp.dns.RecordSet(
            f"{name}-record",
            project=ctx.gcp.project,
            managed_zone=cutover.dns.zone,
            name=f"{cutover.hostname}.",
            type="CNAME",
            ttl=TTL,
            routing_policy=gcp.dns.RecordSetRoutingPolicyArgs(
                wrrs=[
                    gcp.dns.RecordSetRoutingPolicyWrrArgs(
                        weight=float(cutover.source_weight), rrdatas=[f"{cutover.source_endpoint}."]
                    ),
                    gcp.dns.RecordSetRoutingPolicyWrrArgs(
                        weight=float(cutover.target_weight), rrdatas=[f"{cutover.target_endpoint}."]
                    ),
                ]
            ),
            opts=ctx.opts(self, depends_on=project.requires("dns")),
        )
        self.register_outputs(
            {
                "hostname": cutover.hostname,
                "weights": {"source": cutover.source_weight, "target": cutover.target_weight},
            }
        )


class CloudMonitoringRollbackAlerts(pulumi.ComponentResource):
    """`lz:migration:CloudMonitoringRollbackAlerts`: error-rate and p99-latency alert policies."""

    error_rate: gcp.monitoring.AlertPolicy
    latency: gcp.monitoring.AlertPolicy

    def __init__(
        self,
        name: str,
        ctx: MigrationContext,
        cutover: Cutover,
        *,
        project: GcpWaveProject,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:migration:CloudMonitoringRollbackAlerts", name, None, opts)
        rollback = cutover.rollback
        minutes = rollback.evaluation_minutes
        host = cutover.target_endpoint
        duration = f"{minutes * 60}s"

        def policy(key: str, title: str, query: str, doc: str) -> gcp.monitoring.AlertPolicy:
            return gcp.monitoring.AlertPolicy(
                f"{name}-{key}",
                project=ctx.gcp.project,
                # the alarm's name on every cloud first, so the runbook's names find it here too
                display_name=f"{names.alarm(ctx.org, ctx.env, ctx.wave.name, key)}: roll back ({title})",
                combiner="OR",
                severity="CRITICAL",
                enabled=True,
                conditions=[
                    gcp.monitoring.AlertPolicyConditionArgs(
                        display_name=title,
                        condition_prometheus_query_language=gcp.monitoring.AlertPolicyConditionConditionPrometheusQueryLanguageArgs(
                            query=query, duration=duration, evaluation_interval="60s"
                        ),
                    )
                ],
                documentation=gcp.monitoring.AlertPolicyDocumentationArgs(content=doc, mime_type="text/markdown"),
                user_labels=ctx.tags_with(signal=key),
                opts=ctx.opts(self, depends_on=project.requires("monitoring")),
            )

        self.error_rate = policy(
            "error-rate",
            f"error rate of {host} above {rollback.max_error_rate:.2%}",
            f"{metrics.promql_error_rate(host, minutes)} > {rollback.max_error_rate} "
            f"or {metrics.promql_silent(host, minutes)}",
            f"Wave `{ctx.wave.name}`: set the previous cutover step and `pulumi up` (see runbook.md).",
        )
        self.latency = policy(
            "p99-latency",
            f"p99 latency of {host} above {rollback.max_p99_latency_ms} ms",
            f"{metrics.promql_p99_seconds(host, minutes)} > {rollback.max_p99_latency_ms / 1000} "
            f"or {metrics.promql_silent(host, minutes)}",
            f"Wave `{ctx.wave.name}`: set the previous cutover step and `pulumi up` (see runbook.md).",
        )
        self.register_outputs({"error_rate": self.error_rate.name, "latency": self.latency.name})
