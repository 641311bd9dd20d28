"""The rollback alert policies read what the collectors emit: names proven end to end (GCP path).

The target's instrumentation emits the HTTP server semantic convention; the landing zone's GCP
gateway exports metrics with `googlemanagedprometheus`, which names them by the OpenTelemetry to
Prometheus translation (https://opentelemetry.io/docs/specs/otel/compatibility/prometheus_and_openmetrics/:
characters outside [a-zA-Z0-9_:] become `_`, the unit is appended as a suffix (`s` -> `seconds`), a
histogram becomes `_bucket`, `_count` and `_sum` series, attributes become labels with the same
character rule). The alert policies' PromQL must name exactly those series and labels.
"""

from __future__ import annotations

import re

import yaml

from lz.components.migration.cutover import metrics
from lz.core import otel
from tests.test_otel import render

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


def test_a_renamed_metric_would_not_match() -> None:
    # the check above can fail: a metric the collectors do not emit gives other names
    assert prometheus_name("http.server.duration", "ms") + "_count" != metrics.PROM_COUNT
