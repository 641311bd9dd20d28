"""The rollback alarms are built where the target's telemetry lands, and read what the gateways there write.

Waves on the example foundation, synthesized against the outputs of the session's `foundation_dev`
plan, whose gateway configurations (`OTELCOL_CONFIG` in the ECS task definitions, Cloud Run services
and Container Apps) are read back from its graph:

- the example `wave-1-dev` (DNS on Route 53, `cutover.target` on GCP): Cloud Monitoring alert policies,
  no CloudWatch alarm, Route 53 records and health checks still in AWS;
- `wave-aws` (DNS on Route 53, no target: the DNS cloud's region): CloudWatch alarms in eu-west-1 that
  read the namespace, metric and dimension sets the eu-west-1 gateway's `awsemf/rollback` writes;
- `wave-az` (DNS on Route 53, target on Azure westeurope): log search alerts in westeurope on the
  workspace the westeurope gateway's `azuremonitor` exporter writes.

Before `cutover.target`, the alarms were built in the DNS cloud whatever the target: the first and
last waves would have had CloudWatch alarms on metrics nothing wrote.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from lz.components.migration.cutover import metrics
from lz.core import otel
from tests.components.test_migration import Synthesized, provider_of, stack_outputs, synth_wave, wave_config
from tests.helpers import EXAMPLE, ROOT, Planned, foundation_config, make_project

NS = "landing-zone"
CLOUDWATCH_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
ALERT_POLICY = "gcp:monitoring/alertPolicy:AlertPolicy"
LOG_ALERT = "azure-native:monitor:ScheduledQueryRule"
GATEWAY_TYPES = {
    "aws:ecs/taskDefinition:TaskDefinition",
    "gcp:cloudrunv2/service:Service",
    "azure-native:app:ContainerApp",
}
GATEWAY_URN = re.compile(r"::acme-dev-(aws|gcp|azure)-otel-([a-z0-9-]+?)-(task|service|app)$")


def example_wave_stack() -> dict[str, Any]:
    return dict(yaml.safe_load((ROOT / "stacks" / "Pulumi.wave-1-dev.yaml").read_text())["config"])


def wave_with(name: str, target: dict[str, str] | None) -> dict[str, Any]:
    wave = copy.deepcopy(example_wave_stack()[f"{NS}:wave"])
    wave["name"] = name
    del wave["datasets"], wave["databases"]
    if target is None:
        del wave["cutover"]["target"]
    else:
        wave["cutover"]["target"] = target
    return wave


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = yaml.safe_load(EXAMPLE.read_text())["config"][f"{NS}:landingZone"]
    return make_project(
        tmp_path_factory.mktemp("rollback"),
        {
            "foundation-dev": foundation_config(spec),
            "wave-1-dev": example_wave_stack(),
            "wave-aws": wave_config(wave_with("wave-aws", None)),
            "wave-az": wave_config(wave_with("wave-az", {"cloud": "azure", "region": "westeurope"})),
        },
    )


@pytest.fixture(scope="module")
def foundation_outputs(foundation_dev: Planned) -> dict[str, Any]:
    return stack_outputs(foundation_dev)


@pytest.fixture(scope="module")
def waves(project: Path, foundation_outputs: dict[str, Any]) -> dict[str, Synthesized]:
    return {name: synth_wave(project, name, foundation_outputs) for name in ("wave-1-dev", "wave-aws", "wave-az")}


def collector_configs(node: Any) -> Iterator[dict[str, Any]]:
    """Every `OTELCOL_CONFIG` value under `node` (JSON-encoded container definitions included), parsed."""
    if isinstance(node, str) and node.startswith("["):
        try:
            node = json.loads(node)
        except ValueError:
            return
    if isinstance(node, dict):
        if node.get("name") == otel.CONFIG_ENV and isinstance(node.get("value"), str):
            yield yaml.safe_load(node["value"])
        for value in node.values():
            yield from collector_configs(value)
    elif isinstance(node, list):
        for value in node:
            yield from collector_configs(value)


@pytest.fixture(scope="module")
def gateways(foundation_dev: Planned) -> dict[tuple[str, str], dict[str, Any]]:
    """(cloud, region) -> the gateway's collector configuration, as the foundation's graph holds it."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for resource in foundation_dev.resources:
        match = GATEWAY_URN.search(resource["urn"])
        if match and resource["type"] in GATEWAY_TYPES:
            [config] = collector_configs(resource["inputs"])
            out[(match.group(1), match.group(2))] = config
    assert {c for c, _ in out} == {"aws", "gcp", "azure"}
    return out


def cloudwatch_reads(planned: Planned) -> list[tuple[str, str, frozenset[str]]]:
    """(namespace, metric, dimension names) of every metric a CloudWatch alarm of the graph reads."""
    reads = []
    for alarm in planned.by_type(CLOUDWATCH_ALARM):
        inputs = alarm["inputs"]
        queries = [q["metric"] for q in inputs.get("metricQueries", []) if q.get("metric")]
        if inputs.get("metricName"):
            queries.append(inputs)
        for q in queries:
            reads.append((q["namespace"], q["metricName"], frozenset(q.get("dimensions") or {})))
    return reads


def awsemf_writes(config: dict[str, Any]) -> list[tuple[str, re.Pattern[str], frozenset[str]]]:
    """(namespace, metric name selector, dimension set) an AWS gateway's awsemf exporters declare."""
    out = []
    for name, exporter in config["exporters"].items():
        if not name.startswith("awsemf"):
            continue
        for declaration in exporter.get("metric_declarations", []):
            for selector in declaration["metric_name_selectors"]:
                for dimensions in declaration["dimensions"]:
                    out.append((exporter["namespace"], re.compile(selector), frozenset(dimensions)))
    return out


def test_example_wave_alarms_are_cloud_monitoring_policies(
    waves: dict[str, Synthesized], gateways: dict[tuple[str, str], dict[str, Any]]
) -> None:
    planned = waves["wave-1-dev"].planned
    assert planned.exit_code == 0
    # the old behaviour built CloudWatch alarms here (DNS on Route 53): they read what no gateway writes
    assert cloudwatch_reads(planned) == [] and planned.by_type(CLOUDWATCH_ALARM) == []
    assert len(planned.by_type("aws:route53/record:Record")) == 2  # the records stay with the DNS
    assert len(planned.by_type("aws:route53/healthCheck:HealthCheck")) == 2
    policies = planned.by_type(ALERT_POLICY)
    assert len(policies) == 2 and {p["inputs"]["project"] for p in policies} == {"acme-ai-dev"}
    # the GCP gateway where the target runs writes metrics to Managed Service for Prometheus
    gateway = gateways[("gcp", "europe-west4")]
    assert "googlemanagedprometheus" in gateway["service"]["pipelines"]["metrics"]["exporters"]
    for policy in policies:
        query = policy["inputs"]["conditions"][0]["conditionPrometheusQueryLanguage"]["query"]
        assert re.search(rf"\b({metrics.PROM_COUNT}|{metrics.PROM_BUCKET})\{{server_address=", query)


def test_aws_alarms_read_what_the_gateway_of_their_region_writes(
    waves: dict[str, Synthesized], gateways: dict[tuple[str, str], dict[str, Any]]
) -> None:
    planned = waves["wave-aws"].planned
    assert planned.exit_code == 0
    alarms = planned.by_type(CLOUDWATCH_ALARM)
    assert len(alarms) == 2 and planned.by_type(ALERT_POLICY) == []
    writes = awsemf_writes(gateways[("aws", "eu-west-1")])
    assert writes, "the eu-west-1 gateway declares no rollback metrics"
    reads = cloudwatch_reads(planned)
    assert len(reads) == 3  # requests, errors, p99
    for namespace, metric, dimensions in reads:
        assert any(ns == namespace and sel.fullmatch(metric) and dims == dimensions for ns, sel, dims in writes), (
            namespace,
            metric,
            dimensions,
        )
    for alarm in alarms:
        assert alarm["inputs"]["treatMissingData"] == "breaching"  # a silent target alarms
        assert provider_of(planned, alarm)["region"] == "eu-west-1"
    by_name = {a["inputs"]["name"]: a["inputs"] for a in alarms}
    latency = by_name["acme-dev-wave-aws-rollback-p99-latency"]
    assert latency["extendedStatistic"] == "p99" and latency["threshold"] == 0.8  # seconds, as written
    assert latency["evaluateLowSampleCountPercentiles"] == "evaluate"
    rate = by_name["acme-dev-wave-aws-rollback-error-rate"]
    stats = {q["id"]: q["metric"]["stat"] for q in rate["metricQueries"] if q.get("metric")}
    assert stats == {"errors": "SampleCount", "requests": "SampleCount"}
    assert {q.get("expression") for q in rate["metricQueries"]} >= {metrics.AWS_ERROR_RATE}


def test_azure_alerts_read_the_workspace_the_gateway_writes(
    waves: dict[str, Synthesized], foundation_outputs: dict[str, Any], gateways: dict[tuple[str, str], dict[str, Any]]
) -> None:
    planned = waves["wave-az"].planned
    assert planned.exit_code == 0
    assert planned.by_type(CLOUDWATCH_ALARM) == []  # the DNS cloud (AWS) holds no alarm
    assert len(planned.by_type("aws:route53/record:Record")) == 2
    rules = [r["inputs"] for r in planned.by_type(LOG_ALERT)]
    assert len(rules) == 2 and {r["location"] for r in rules} == {"westeurope"}
    gateway = gateways[("azure", "westeurope")]
    assert "azuremonitor" in gateway["service"]["pipelines"]["traces"]["exporters"]
    workspace = foundation_outputs["foundation"]["telemetry"]["azure"]["westeurope"]["workspace_id"]
    assert workspace and all(r["scopes"] == [workspace] for r in rules)
    for rule in rules:
        query = rule["criteria"]["allOf"][0]["query"]
        assert query.startswith(metrics.AZURE_TABLE) and "api.europe-west4.acme-ai.example.com" in query
    out = waves["wave-az"].outputs["cutover"]
    assert out["monitoring"] == {"cloud": "azure", "region": "westeurope"} and out["dns"]["cloud"] == "aws"


def test_no_alarm_reads_a_namespace_nothing_writes(
    waves: dict[str, Synthesized], gateways: dict[tuple[str, str], dict[str, Any]]
) -> None:
    written = {ns for (cloud, _), config in gateways.items() if cloud == "aws" for ns, _, _ in awsemf_writes(config)}
    for name, wave in waves.items():
        read = {namespace for namespace, _, _ in cloudwatch_reads(wave.planned)}
        assert read <= written, (name, read - written)
