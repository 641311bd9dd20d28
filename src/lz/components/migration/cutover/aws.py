"""Cutover on AWS: Route 53 weighted records with health checks, and CloudWatch rollback alarms.

`Route53WeightedCutover` (`lz:migration:Route53WeightedCutover`): two weighted CNAME records for
the cut-over host name in the hosted zone, set identifiers `source` and `target`, each with an
HTTPS health check of its endpoint (`health_path`, latency measured) so Route 53 stops answering
with an endpoint that fails. Weights are the current step's: `steps[current_step]` to the target,
the rest to the source. A short TTL (60 s) makes a step (and a rollback) take effect quickly.

`CloudWatchRollbackAlarms` (`lz:migration:CloudWatchRollbackAlarms`): in the region where the target
runs (`cutover.target`), an alarm on the target's error rate and one on its p99 latency, each over
`evaluation_minutes` one-minute periods, reading what the AWS gateway's `awsemf/rollback` exporter
writes (`cutover.metrics`): the request duration's sample count per host, and per host with the 5xx
class, as metric math; and its `p99`, which CloudWatch computes from the exponential histogram's
distribution (Values/Counts). A percentile of few samples is still evaluated: a canary step is small
by design, and ignoring it would leave the first steps unwatched. Missing data alarms
(`treatMissingData: breaching`): a target that stops reporting, or a collector that never emitted
the metric, must hold the cutover back rather than let it pass unseen.

What it does not do: alarm actions (subscribe your paging to the alarms' ARNs), or roll back by
itself (rolling back is a config change, see the runbook).
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from lz.spec.wave import Cutover

from .. import names
from ..context import MigrationContext
from . import metrics

TTL = 60


class Route53WeightedCutover(pulumi.ComponentResource):
    """`lz:migration:Route53WeightedCutover`: health checks and weighted records for source and target."""

    health_checks: dict[str, aws.route53.HealthCheck]
    records: dict[str, aws.route53.Record]

    def __init__(
        self,
        name: str,
        ctx: MigrationContext,
        cutover: Cutover,
        *,
        region: str,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:migration:Route53WeightedCutover", name, None, opts)
        weights = {"source": cutover.source_weight, "target": cutover.target_weight}
        endpoints = {"source": cutover.source_endpoint, "target": cutover.target_endpoint}
        self.health_checks, self.records = {}, {}
        for side in ("source", "target"):
            self.health_checks[side] = aws.route53.HealthCheck(
                f"{name}-{side}-health",
                type="HTTPS",
                fqdn=endpoints[side],
                port=443,
                resource_path=cutover.health_path,
                enable_sni=True,
                request_interval=30,
                failure_threshold=3,
                measure_latency=True,
                reference_name=f"{ctx.wave.name}-{side}"[:64],
                tags=ctx.tags_with(Name=f"{ctx.wave.name} {side} {endpoints[side]}", side=side),
                opts=ctx.opts(self, region=region),
            )
            self.records[side] = aws.route53.Record(
                f"{name}-{side}",
                zone_id=cutover.dns.zone,
                name=cutover.hostname,
                type="CNAME",
                ttl=TTL,
                records=[endpoints[side]],
                set_identifier=side,
                weighted_routing_policies=[aws.route53.RecordWeightedRoutingPolicyArgs(weight=weights[side])],
                health_check_id=self.health_checks[side].id,
                # The source record may already exist: the runbook's first step turns the host name's
                # simple record into it (Route 53 refuses weighted records beside a simple one), and
                # the stack adopts it (an UPSERT). The target record is always new.
                allow_overwrite=side == "source",
                opts=ctx.opts(self, region=region),
            )
        self.register_outputs({"hostname": cutover.hostname, "weights": weights})


class CloudWatchRollbackAlarms(pulumi.ComponentResource):
    """`lz:migration:CloudWatchRollbackAlarms`: error-rate and p99-latency alarms on the target."""

    error_rate: aws.cloudwatch.MetricAlarm
    latency: aws.cloudwatch.MetricAlarm

    def __init__(
        self,
        name: str,
        ctx: MigrationContext,
        cutover: Cutover,
        *,
        region: str,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:migration:CloudWatchRollbackAlarms", name, None, opts)
        rollback = cutover.rollback
        minutes = rollback.evaluation_minutes
        host = cutover.target_endpoint

        def count(query_id: str, *, errors: bool) -> aws.cloudwatch.MetricAlarmMetricQueryArgs:
            return aws.cloudwatch.MetricAlarmMetricQueryArgs(
                id=query_id,
                return_data=False,
                metric=aws.cloudwatch.MetricAlarmMetricQueryMetricArgs(
                    namespace=metrics.AWS_NAMESPACE,
                    metric_name=metrics.AWS_METRIC,
                    dimensions=metrics.aws_dimensions(host, errors=errors),
                    period=60,
                    stat="SampleCount",
                ),
            )

        self.error_rate = aws.cloudwatch.MetricAlarm(
            f"{name}-error-rate",
            name=names.alarm(ctx.org, ctx.env, ctx.wave.name, "error-rate"),
            alarm_description=(
                f"Roll back wave {ctx.wave.name}: the error rate of {cutover.target_endpoint} "
                f"is above {rollback.max_error_rate:.2%} for {minutes} minutes"
            ),
            comparison_operator="GreaterThanThreshold",
            threshold=rollback.max_error_rate,
            evaluation_periods=minutes,
            datapoints_to_alarm=minutes,
            treat_missing_data="breaching",
            metric_queries=[
                count("errors", errors=True),
                count("requests", errors=False),
                aws.cloudwatch.MetricAlarmMetricQueryArgs(
                    id="rate", expression=metrics.AWS_ERROR_RATE, label="error rate", return_data=True
                ),
            ],
            tags=ctx.tags_with(signal="error-rate"),
            opts=ctx.opts(self, region=region),
        )
        self.latency = aws.cloudwatch.MetricAlarm(
            f"{name}-p99-latency",
            name=names.alarm(ctx.org, ctx.env, ctx.wave.name, "p99-latency"),
            alarm_description=(
                f"Roll back wave {ctx.wave.name}: the p99 latency of {cutover.target_endpoint} "
                f"is above {rollback.max_p99_latency_ms} ms for {minutes} minutes"
            ),
            namespace=metrics.AWS_NAMESPACE,
            metric_name=metrics.AWS_METRIC,
            dimensions=metrics.aws_dimensions(host),
            extended_statistic="p99",
            evaluate_low_sample_count_percentiles="evaluate",
            period=60,
            comparison_operator="GreaterThanThreshold",
            # the metric is in seconds (the semantic convention's unit, which awsemf keeps)
            threshold=rollback.max_p99_latency_ms / 1000,
            evaluation_periods=minutes,
            datapoints_to_alarm=minutes,
            treat_missing_data="breaching",
            tags=ctx.tags_with(signal="p99-latency"),
            opts=ctx.opts(self, region=region),
        )
        self.register_outputs({"error_rate": self.error_rate.arn, "latency": self.latency.arn})
