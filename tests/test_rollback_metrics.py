"""The rollback alarms read what the collectors emit: names proven per cloud from the rendered configs.

The target's instrumentation emits the HTTP server semantic convention.

- GCP: the gateway exports metrics with `googlemanagedprometheus`, which names them by the OpenTelemetry
  to Prometheus translation (https://opentelemetry.io/docs/specs/otel/compatibility/prometheus_and_openmetrics/:
  characters outside [a-zA-Z0-9_:] become `_`, the unit is appended as a suffix (`s` -> `seconds`), a
  histogram becomes `_bucket`, `_count` and `_sum` series, attributes become labels with the same
  character rule). The alert policies' PromQL must name exactly those series and labels.
- AWS: the gateway's `metrics/rollback` pipeline keeps the request duration (a delta exponential
  histogram), marks 5xx data points, and `awsemf/rollback` writes it under a namespace with declared
  dimension sets; the CloudWatch alarms must read that namespace, that metric and one of those sets.
- Azure: the gateway's traces go to `azuremonitor`, which makes every server span an Application
  Insights request; the KQL must read the table and columns that mapping fills.

tests/components/test_rollback_alarms.py checks the same on the synthesized graphs.
"""

from __future__ import annotations

import re

import yaml

from lz.components.migration.cutover import metrics
from lz.core import otel
from tests.test_otel import render

# The azuremonitor exporter's request mapping (exporter/azuremonitorexporter/README.md "Attribute
# mapping" and trace_to_envelope.go fillRequestDataHTTP, read 2026-12-05) and the workspace columns
# Application Insights stores a request in (https://learn.microsoft.com/azure/azure-monitor/reference/tables/apprequests):
# SERVER span -> Request: Url (url.scheme://server.address[:server.port]url.path, or url.full) -> AppRequests.Url,
# ResponseCode (http.response.status_code) -> ResultCode, the span's duration -> DurationMs.
AZURE_REQUEST_SPAN_KIND = "SERVER"
AZURE_REQUEST_TABLE = "AppRequests"
AZURE_REQUEST_COLUMNS = {"url": "Url", "status": "ResultCode", "duration": "DurationMs"}

UNIT_SUFFIX = {"s": "seconds", "ms": "milliseconds", "By": "bytes"}


def prometheus_name(name: str, unit: str) -> str:
    base = re.sub(r"[^a-zA-Z0-9_:]", "_", name)
    suffix = UNIT_SUFFIX.get(unit, "")
    return f"{base}_{suffix}" if suffix and not base.endswith(suffix) else base


def prometheus_label(attribute: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_]", "_", attribute)


def test_gcp_gateway_exports_metrics_to_managed_prometheus() -> None:
    config = yaml.safe_load(render("gcp", "gateway", True, "grpc"))
    assert "googlemanagedprometheus" in config["service"]["pipelines"]["metrics"]["exporters"]
    assert config["exporters"]["googlemanagedprometheus"]["project"]
    assert otel.native_exporters("gcp")["metrics"] == ["googlemanagedprometheus"]


def test_alert_queries_name_the_series_the_exporter_writes() -> None:
    base = prometheus_name(metrics.SEMCONV_METRIC, metrics.SEMCONV_UNIT)
    assert f"{base}_count" == metrics.PROM_COUNT
    assert f"{base}_bucket" == metrics.PROM_BUCKET
    host, status = prometheus_label(metrics.SEMCONV_HOST), prometheus_label(metrics.SEMCONV_STATUS)
    error_rate = metrics.promql_error_rate("api.example.com", 10)
    assert f'{base}_count{{{host}="api.example.com",{status}=~"5.."}}' in error_rate
    assert f'{base}_count{{{host}="api.example.com"}}' in error_rate
    p99 = metrics.promql_p99_seconds("api.example.com", 10)
    assert f'{base}_bucket{{{host}="api.example.com"}}' in p99 and "sum by (le)" in p99
    # a target that writes nothing in the window fires the policies too
    assert (
        metrics.promql_silent("api.example.com", 10)
        == f'absent_over_time({base}_count{{{host}="api.example.com"}}[10m])'
    )


def test_a_renamed_metric_would_not_match() -> None:
    # the check above can fail: a metric the collectors do not emit gives other names
    assert prometheus_name("http.server.duration", "ms") + "_count" != metrics.PROM_COUNT


# --- AWS: awsemf/rollback -> CloudWatch alarms ------------------------------------------------------


def aws_gateway() -> dict[str, object]:
    return dict(yaml.safe_load(render("aws", "gateway", True, "grpc")))


def written_by_awsemf(config: dict[str, object]) -> dict[str, object]:
    """What the AWS gateway's rollback pipeline writes, read back from its rendered configuration."""
    pipelines = config["service"]["pipelines"]  # type: ignore[index]
    pipeline = pipelines[otel.ROLLBACK_PIPELINE]
    [exporter] = pipeline["exporters"]
    emf = config["exporters"][exporter]  # type: ignore[index]
    [declaration] = emf["metric_declarations"]
    processors = config["processors"]  # type: ignore[index]
    drop = next(p for p in pipeline["processors"] if p.startswith("filter/"))
    conditions = processors[drop]["metrics"]["metric"]
    kept = next(re.fullmatch(r'name != "([^"]+)"', c) for c in conditions if c.startswith("name != "))
    assert kept is not None
    transform = next(p for p in pipeline["processors"] if p.startswith("transform/"))
    [block] = processors[transform]["metric_statements"]
    assert block["context"] == "datapoint"
    [statement] = block["statements"]
    marked = re.fullmatch(r'set\(attributes\["([^"]+)"\], "([^"]+)"\) where (.+)', statement)
    assert marked is not None
    return {
        "namespace": emf["namespace"],
        "metric": kept.group(1),
        "selectors": [re.compile(x) for x in declaration["metric_name_selectors"]],
        "dimension_sets": [frozenset(d) for d in declaration["dimensions"]],
        "class": (marked.group(1), marked.group(2), marked.group(3)),
        "conditions": conditions,
        "rollup": emf["dimension_rollup_option"],
        "resource_labels": emf.get("resource_to_telemetry_conversion", {}).get("enabled", False),
    }


def test_aws_gateway_writes_the_namespace_metric_and_dimensions_the_alarms_read() -> None:
    written = written_by_awsemf(aws_gateway())
    assert written["namespace"] == metrics.AWS_NAMESPACE
    assert written["metric"] == metrics.AWS_METRIC == metrics.SEMCONV_METRIC
    assert any(s.fullmatch(metrics.AWS_METRIC) for s in written["selectors"])  # type: ignore[attr-defined]
    host = "api.example.com"
    requests, errors = metrics.aws_dimensions(host), metrics.aws_dimensions(host, errors=True)
    assert frozenset(requests) in written["dimension_sets"]  # type: ignore[operator]
    assert frozenset(errors) in written["dimension_sets"]  # type: ignore[operator]
    assert requests == {metrics.SEMCONV_HOST: host}
    key, value, condition = written["class"]  # type: ignore[misc]
    assert errors[key] == value  # the error alarm filters on the value the transform sets on 5xx points
    assert f'attributes["{metrics.SEMCONV_STATUS}"] >= 500' in condition and "< 600" in condition
    # dimensions are exactly the declared sets: no rollups, no resource attributes in them
    assert written["rollup"] == "NoDimensionRollup" and written["resource_labels"] is False


def test_aws_gateway_keeps_only_a_distribution_cloudwatch_can_take_a_percentile_of() -> None:
    conditions = written_by_awsemf(aws_gateway())["conditions"]
    # awsemf writes an explicit-bucket histogram as a statistic set (no percentile) and never turns
    # cumulative into delta: only delta exponential histograms survive the filter
    assert "type != METRIC_DATA_TYPE_EXPONENTIAL_HISTOGRAM" in conditions  # type: ignore[operator]
    assert "aggregation_temporality != AGGREGATION_TEMPORALITY_DELTA" in conditions  # type: ignore[operator]


def test_the_old_alarm_names_are_written_by_no_exporter() -> None:
    config = aws_gateway()
    namespaces = {e["namespace"] for k, e in config["exporters"].items() if k.startswith("awsemf")}  # type: ignore[attr-defined]
    assert metrics.AWS_NAMESPACE in namespaces
    assert "LandingZone/Migration" not in namespaces  # what the alarms read before: nothing wrote it
    plain = yaml.safe_load(render("aws", "gateway", False, "grpc"))
    assert otel.ROLLBACK_PIPELINE not in plain["service"]["pipelines"]  # no native backend, no CloudWatch


# --- Azure: azuremonitor -> AppRequests ------------------------------------------------------------


def test_azure_gateway_sends_server_spans_to_azure_monitor() -> None:
    config = yaml.safe_load(render("azure", "gateway", True, "grpc"))
    assert "azuremonitor" in config["service"]["pipelines"]["traces"]["exporters"]
    assert otel.native_exporters("azure")["traces"] == ["azuremonitor"]


def test_azure_queries_read_the_columns_the_exporter_fills() -> None:
    assert metrics.AZURE_TABLE == AZURE_REQUEST_TABLE
    assert tuple(AZURE_REQUEST_COLUMNS[k] for k in ("url", "status", "duration")) == (
        metrics.AZURE_URL,
        metrics.AZURE_RESULT_CODE,
        metrics.AZURE_DURATION_MS,
    )
    host = "api.example.com"
    rate, p99 = metrics.kql_error_rate(host), metrics.kql_p99_ms(host)
    for query in (rate, p99):
        assert query.startswith(AZURE_REQUEST_TABLE + "\n")
        assert f'parse_url({AZURE_REQUEST_COLUMNS["url"]}).Host) == "{host}"' in query
    assert f"toint({AZURE_REQUEST_COLUMNS['status']}) >= 500" in rate
    assert f"percentile({AZURE_REQUEST_COLUMNS['duration']}, 99)" in p99
    # a silent target breaches, as treatMissingData: breaching does on AWS
    assert "iff(Total == 0, 1.0," in rate and f"iff(Total == 0, todouble({metrics.AZURE_SILENT_P99_MS})" in p99
    assert metrics.AZURE_SILENT_P99_MS > 600_000  # above the spec's highest p99 threshold
