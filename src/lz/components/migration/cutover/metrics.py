"""The metrics the rollback alarms watch, per cloud: one contract, stated once.

The alarms live in the monitoring of the cloud where the target service runs (`cutover.target`,
default the DNS cloud), and read what that cloud's landing-zone gateway, or exporter, writes from
the target's OpenTelemetry instrumentation (the HTTP server semantic convention,
`http.server.request.duration` with `http.response.status_code` and `server.address`; the names
live in `lz.core.otel`, which renders the collectors' configuration from the same constants).

`WHERE` says, per cloud, where the alarms read them (the runbook quotes it); the GCP names are the
OpenTelemetry-to-Prometheus translation of the convention, which tests/test_rollback_metrics.py
derives.

Every alarm treats missing data as breaching: a target that stops reporting holds the cutover back.
"""

from __future__ import annotations

from lz.core import otel

# Where each cloud's alarms read the target's request metrics, said once for the docs and the runbook.
WHERE = {
    "aws": (
        "AWS (CloudWatch, the gateway's `awsemf/rollback` exporter): namespace `LandingZone/Rollback`, "
        "metric `http.server.request.duration` in seconds, dimensions `server.address` (all requests) and "
        "`server.address` + `landing_zone.status_class` = `5xx` (server errors); the error rate is the ratio of "
        "the two sample counts, the latency alarm reads `p99`. CloudWatch computes percentiles only from a "
        "distribution, which awsemf writes for an exponential histogram and not for an explicit-bucket one (a "
        "statistic set), so the target's SDK exports delta exponential histograms "
        "(`OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=delta`, "
        "`OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION=base2_exponential_bucket_histogram`); the "
        "gateway drops any other shape, and the alarms then fire for want of data."
    ),
    "gcp": (
        "GCP (Cloud Monitoring, Managed Service for Prometheus through the `googlemanagedprometheus` exporter, "
        "which the landing zone's GCP gateways use for metrics): `http_server_request_duration_seconds_count` and "
        "`_bucket`, label `server_address` (the OpenTelemetry-to-Prometheus translation of the semantic "
        "convention)."
    ),
    "azure": (
        "Azure (Azure Monitor, the gateway's `azuremonitor` exporter writes every server span as a request): the "
        "`AppRequests` table, `Url` (`url.scheme`://`server.address`[:`server.port`]`url.path`, or `url.full`), "
        "`ResultCode` (`http.response.status_code`) and `DurationMs` (the span's duration), filtered on the URL's "
        "host."
    ),
}

SEMCONV_METRIC = otel.HTTP_DURATION
SEMCONV_UNIT = otel.HTTP_DURATION_UNIT
SEMCONV_HOST = otel.HTTP_HOST
SEMCONV_STATUS = otel.HTTP_STATUS

# AWS: what `awsemf/rollback` writes (lz.core.otel.rollback_settings renders it from the same names).
AWS_NAMESPACE = otel.ROLLBACK_NAMESPACE
AWS_METRIC = otel.HTTP_DURATION
AWS_HOST_DIMENSION = otel.HTTP_HOST
AWS_CLASS_DIMENSION = otel.STATUS_CLASS
AWS_SERVER_ERROR = otel.SERVER_ERROR
# CloudWatch metric math (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html,
# read 2026-12-05): minutes without a 5xx have no `errors` data point, FILL makes them 0; minutes
# without any request have no `requests` data point, so the expression has none and the alarm,
# treating missing data as breaching, fires.
AWS_ERROR_RATE = "IF(requests > 0, FILL(errors, 0) / requests, 0)"

PROM_COUNT = "http_server_request_duration_seconds_count"
PROM_BUCKET = "http_server_request_duration_seconds_bucket"

# Azure: the workspace table and columns of a request, as the azuremonitor exporter fills them
# (opentelemetry-collector-contrib exporter/azuremonitorexporter/README.md "Attribute mapping" and
# trace_to_envelope.go fillRequestDataHTTP, read 2026-12-05: SERVER spans become Request telemetry,
# Url from url.scheme + server.address + url.path or url.full, ResponseCode from
# http.response.status_code; workspace-based Application Insights stores them in AppRequests as Url,
# ResultCode and DurationMs, https://learn.microsoft.com/azure/azure-monitor/reference/tables/apprequests).
AZURE_TABLE = "AppRequests"
AZURE_URL = "Url"
AZURE_RESULT_CODE = "ResultCode"
AZURE_DURATION_MS = "DurationMs"
# A window without a request reads as breaching on Azure too: error rate 1, p99 a day (the spec's
# highest threshold is 600000 ms).
AZURE_SILENT_P99_MS = 86_400_000


def aws_dimensions(host: str, *, errors: bool = False) -> dict[str, str]:
    """The dimension set an AWS alarm reads: all requests to `host`, or its server errors."""
    dimensions = {AWS_HOST_DIMENSION: host}
    if errors:
        dimensions[AWS_CLASS_DIMENSION] = AWS_SERVER_ERROR
    return dimensions


def promql_error_rate(host: str, minutes: int) -> str:
    window = f"{minutes}m"
    selector = f'server_address="{host}"'
    return (
        f'sum(rate({PROM_COUNT}{{{selector},http_response_status_code=~"5.."}}[{window}])) '
        f"/ sum(rate({PROM_COUNT}{{{selector}}}[{window}]))"
    )


def promql_p99_seconds(host: str, minutes: int) -> str:
    return f'histogram_quantile(0.99, sum by (le) (rate({PROM_BUCKET}{{server_address="{host}"}}[{minutes}m])))'


def promql_silent(host: str, minutes: int) -> str:
    """1 when the target wrote no request in the window: a silent target holds the cutover back."""
    return f'absent_over_time({PROM_COUNT}{{server_address="{host}"}}[{minutes}m])'


def kql_error_rate(host: str) -> str:
    return (
        f"{AZURE_TABLE}\n"
        f'| where tostring(parse_url({AZURE_URL}).Host) == "{host}"\n'
        f"| summarize Total = count(), Failed = countif(toint({AZURE_RESULT_CODE}) >= 500)\n"
        "| extend ErrorRate = iff(Total == 0, 1.0, todouble(Failed) / todouble(Total))"
    )


def kql_p99_ms(host: str) -> str:
    return (
        f'{AZURE_TABLE}\n| where tostring(parse_url({AZURE_URL}).Host) == "{host}"\n'
        f"| summarize P99 = percentile({AZURE_DURATION_MS}, 99), Total = count()\n"
        f"| extend P99 = iff(Total == 0, todouble({AZURE_SILENT_P99_MS}), todouble(P99))"
    )
