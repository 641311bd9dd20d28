"""The metrics the rollback alarms watch, per cloud: one contract, stated once.

Each cloud's alarms read the telemetry the target service's OpenTelemetry instrumentation emits
(the HTTP server semantic conventions: `http.server.request.duration` with
`http.response.status_code` and `server.address`), exported by the collector to the monitoring of
the cloud that holds the cutover's DNS:

- AWS (CloudWatch, `awsemf` exporter): namespace `LandingZone/Migration`, metrics `RequestCount`
  and `ErrorCount` (HTTP 5xx) summed per minute and `Latency` in milliseconds, dimensions `Wave`
  and `Endpoint` (the target endpoint's host name);
- GCP (Cloud Monitoring, Managed Service for Prometheus through the `googlemanagedprometheus`
  exporter, which the landing zone's GCP gateways use for metrics): `http_server_request_duration_seconds_count`
  and `_bucket`, label `server_address` (the OpenTelemetry-to-Prometheus translation of the
  semantic convention; tests/test_rollback_metrics.py derives them from it);
- Azure (Azure Monitor, the Azure Monitor OpenTelemetry exporter into the wave's Application
  Insights): the `AppRequests` table, `ResultCode` and `DurationMs`, filtered on the request URL's
  host.
"""

from __future__ import annotations

# The OpenTelemetry HTTP server semantic convention the target's instrumentation emits
# (https://opentelemetry.io/docs/specs/semconv/http/http-metrics/#metric-httpserverrequestduration).
SEMCONV_METRIC = "http.server.request.duration"
SEMCONV_UNIT = "s"
SEMCONV_HOST = "server.address"
SEMCONV_STATUS = "http.response.status_code"

AWS_NAMESPACE = "LandingZone/Migration"
AWS_REQUESTS = "RequestCount"
AWS_ERRORS = "ErrorCount"
AWS_LATENCY = "Latency"
PROM_COUNT = "http_server_request_duration_seconds_count"
PROM_BUCKET = "http_server_request_duration_seconds_bucket"


def promql_error_rate(host: str, minutes: int) -> str:
    window = f"{minutes}m"
    selector = f'server_address="{host}"'
    return (
        f'sum(rate({PROM_COUNT}{{{selector},http_response_status_code=~"5.."}}[{window}])) '
        f"/ sum(rate({PROM_COUNT}{{{selector}}}[{window}]))"
    )


def promql_p99_seconds(host: str, minutes: int) -> str:
    return f'histogram_quantile(0.99, sum by (le) (rate({PROM_BUCKET}{{server_address="{host}"}}[{minutes}m])))'


def kql_error_rate(host: str) -> str:
    return (
        "AppRequests\n"
        f'| where tostring(parse_url(Url).Host) == "{host}"\n'
        "| summarize Total = count(), Failed = countif(toint(ResultCode) >= 500)\n"
        "| extend ErrorRate = iff(Total == 0, 0.0, todouble(Failed) / todouble(Total))"
    )


def kql_p99_ms(host: str) -> str:
    return (
        f'AppRequests\n| where tostring(parse_url(Url).Host) == "{host}"\n| summarize P99 = percentile(DurationMs, 99)'
    )
