"""OpenTelemetry Collector configurations and the GPU-cluster agent manifest, rendered from the spec.

`collector_config(spec, cloud, region, ...)` renders `templates/otel-collector.yaml.j2` for a gateway
(one per cloud and region, on the cloud's managed container service) or an agent (one per GPU
cluster node); `agent_manifest(...)` wraps the agent's config in the Kubernetes objects that run it
(`templates/otel-agent.yaml.j2`). Both use jinja2 with `StrictUndefined`, so a missing value is an
error, never an empty string, and the same spec renders the same bytes.

Every pipeline is receivers `otlp` -> `memory_limiter` first ... `batch` last -> the central OTLP
exporter over TLS (plus the cloud's native backend where `telemetry.native` asks for it). Headers are
`${env:OTLP_HEADER_<NAME>}` references only: the runtime fills them from the cloud's secret store, so
the rendered text holds no credential and may be stored in plain sight (a task definition, a
ConfigMap, the plan's graph).

What it does not do: deploy anything (components/telemetry and components/gpu do), validate the spec
(lz/spec/telemetry.py), or talk to the network.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal
from urllib.parse import urlsplit

import jinja2

GRPC_PORT = 4317
HTTP_PORT = 4318
HEALTH_PORT = 13133
CONFIG_ENV = "OTELCOL_CONFIG"  # gateways read their config from this variable: --config=env:OTELCOL_CONFIG
AZURE_CONNECTION_STRING_ENV = "APPLICATIONINSIGHTS_CONNECTION_STRING"
AGENT_NAMESPACE = "otel-agent"
AGENT_NAME = "otel-agent"
AGENT_HEADERS_SECRET = "otlp-exporter-headers"
CLOUD_PROVIDERS = {"aws": "aws", "gcp": "gcp", "azure": "azure"}  # semantic-convention `cloud.provider` values
SIGNALS = ("traces", "metrics", "logs")

# -- the rollback contract: what the cutover's alarms read (lz.components.migration.cutover.metrics) ----------
# The target's instrumentation emits the HTTP server semantic convention
# (https://opentelemetry.io/docs/specs/semconv/http/http-metrics/#metric-httpserverrequestduration, read
# 2026-12-05): a histogram in seconds with `http.response.status_code`, and `server.address` (Opt-In there:
# the target's instrumentation must record it, or no alarm can tell the target's requests apart).
HTTP_DURATION = "http.server.request.duration"
HTTP_DURATION_UNIT = "s"
HTTP_HOST = "server.address"
HTTP_STATUS = "http.response.status_code"
# Set by the AWS gateway's `transform/rollback` on 5xx data points: CloudWatch filters on dimension
# values only, so the error count needs a dimension that names the status class.
STATUS_CLASS = "landing_zone.status_class"
SERVER_ERROR = "5xx"
# The CloudWatch namespace the AWS gateways' `awsemf/rollback` exporter writes and the alarms read.
ROLLBACK_NAMESPACE = "LandingZone/Rollback"
# The dimension sets `awsemf/rollback` declares (metric_declarations): all requests to a host, and its 5xx.
ROLLBACK_DIMENSIONS: tuple[tuple[str, ...], ...] = ((HTTP_HOST,), (HTTP_HOST, STATUS_CLASS))
ROLLBACK_PIPELINE = "metrics/rollback"

Role = Literal["gateway", "agent"]
# The `googleclientauth` extension of opentelemetry-collector-contrib (extension/googleclientauthextension):
# with `token_type: id_token` it fetches a Google ID token for `audience` from Application Default
# Credentials (on GKE: the metadata server, as the Workload Identity service account) and sends it as
# the `authorization` header; options as documented upstream and in Grafana Alloy's wrapper
# `otelcol.auth.google` (audience, token_type access_token|id_token, ...), read 2026-12-05.
GOOGLE_AUTH = "googleclientauth"


@dataclass(frozen=True)
class Upstream:
    """An agent's next hop when it is not the central endpoint: the region's gateway, over TLS.

    `audience` (GCP): the Cloud Run service URL; the agent authenticates with a Google ID token for it,
    since the gateway checks that the caller holds `roles/run.invoker`.
    """

    url: str
    audience: str | None = None

    @property
    def endpoint(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.hostname}:{parts.port or 443}"


@dataclass(frozen=True)
class Header:
    name: str  # the HTTP header
    env: str  # the environment variable the collector reads it from
    config_key: str  # the Pulumi secret config key that holds its value


def _q(value: object) -> str:
    """A YAML scalar for any value: JSON strings are valid YAML double-quoted scalars."""
    return json.dumps(str(value))


def _load(name: str) -> str:
    return resources.files("lz").joinpath(f"templates/{name}").read_text(encoding="utf-8")


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_load),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # YAML, not HTML: values are quoted by `q` instead
        keep_trailing_newline=True,
    )
    env.filters["q"] = _q
    return env


def headers(spec: Any) -> list[Header]:
    """The exporter headers, sorted by name, with their environment variables."""
    t = spec.telemetry
    return [Header(name=h, env=t.env_var(h), config_key=t.headers[h]) for h in sorted(t.headers)]


def central_exporter(spec: Any) -> tuple[str, str]:
    """(exporter id, endpoint) of the central OTLP endpoint for the spec's protocol.

    gRPC takes `host:port` (443 when the URL names none) with TLS configured explicitly; OTLP/HTTP
    takes the https URL, to which the exporter appends `/v1/<signal>`.
    """
    t = spec.telemetry
    if t.endpoint is None:
        raise ValueError("telemetry.endpoint is not set")
    if t.protocol == "http":
        return "otlphttp/central", t.endpoint.rstrip("/")
    parts = urlsplit(t.endpoint)
    return "otlp/central", f"{parts.hostname}:{parts.port or 443}"


def native_exporters(cloud: str) -> dict[str, list[str]]:
    """The cloud's own backend per signal (AWS has no native logs exporter here: see the module doc)."""
    if cloud == "aws":
        return {"traces": ["awsxray"], "metrics": ["awsemf"], "logs": []}
    if cloud == "gcp":
        # Metrics through Managed Service for Prometheus: the rollback alert policies query them in
        # PromQL by their Prometheus names (lz.components.migration.cutover.metrics).
        return {"traces": ["googlecloud"], "metrics": ["googlemanagedprometheus"], "logs": ["googlecloud"]}
    if cloud == "azure":
        return {signal: ["azuremonitor"] for signal in SIGNALS}
    raise ValueError(f"unknown cloud {cloud!r}")


def wants_native(spec: Any, cloud: str, role: Role = "gateway") -> bool:
    """Native backends are written by the gateways only: they hold the cloud identity that may write."""
    return role == "gateway" and cloud in spec.telemetry.native


def collector_config(
    spec: Any,
    cloud: str,
    region: str,
    *,
    role: Role = "gateway",
    native_settings: Mapping[str, str] | None = None,
    cluster: str | None = None,
    upstream: Upstream | None = None,
) -> str:
    """The collector's YAML configuration for one cloud and region.

    `native_settings` (required when the gateway writes the cloud's native backend): AWS `region`,
    `namespace`, `log_group_name`; GCP `project`, `log_name`; Azure nothing (the connection string
    comes from `APPLICATIONINSIGHTS_CONNECTION_STRING`). `cluster` names the GPU cluster of an agent.
    `upstream` (agents only): export to the region's gateway instead of the central endpoint; the
    gateway adds the central endpoint's headers, so the agent then carries none.
    """
    if cloud not in CLOUD_PROVIDERS:
        raise ValueError(f"unknown cloud {cloud!r}")
    if role == "agent" and not cluster:
        raise ValueError("an agent's config names its cluster")
    if upstream is not None and role != "agent":
        raise ValueError("only an agent exports to an upstream gateway")
    t = spec.telemetry
    central, endpoint = central_exporter(spec)
    if upstream is not None:
        central, endpoint = "otlp/gateway", upstream.endpoint
    native = cloud if wants_native(spec, cloud, role) else None
    settings = dict(native_settings or {})
    if native == "azure":
        settings.setdefault("connection_string_env", AZURE_CONNECTION_STRING_ENV)
    extra = native_exporters(cloud) if native else {s: [] for s in SIGNALS}
    signals = []
    for signal in SIGNALS:
        processors = ["memory_limiter", "resource"]
        if signal == "traces":
            processors.append("probabilistic_sampler")
        processors.append("batch")
        signals.append(
            {"name": signal, "receivers": ["otlp"], "processors": processors, "exporters": [central, *extra[signal]]}
        )
    rollback = rollback_settings() if native == "aws" else None
    if rollback is not None:
        signals.append(
            {
                "name": ROLLBACK_PIPELINE,
                "receivers": ["otlp"],
                "processors": ["memory_limiter", "filter/rollback", "transform/rollback", "batch"],
                "exporters": ["awsemf/rollback"],
            }
        )
    attributes = [
        # Workloads that know their own cloud and region keep them; the rest get the collector's.
        {"key": "cloud.provider", "value": CLOUD_PROVIDERS[cloud], "action": "insert"},
        {"key": "cloud.region", "value": region, "action": "insert"},
        {"key": "deployment.environment.name", "value": spec.environment, "action": "upsert"},
        {"key": "landing_zone.organization", "value": spec.organization, "action": "upsert"},
        {"key": "landing_zone.collector", "value": role, "action": "upsert"},
    ]
    if role == "agent":
        attributes += [
            {"key": "k8s.cluster.name", "value": cluster, "action": "upsert"},
            {"key": "k8s.node.name", "value": "${env:K8S_NODE_NAME}", "action": "upsert"},
        ]
    return (
        _environment()
        .get_template("otel-collector.yaml.j2")
        .render(
            role=role,
            cloud=cloud,
            region=region,
            organization=spec.organization,
            environment=spec.environment,
            health_port=HEALTH_PORT,
            grpc_port=GRPC_PORT,
            http_port=HTTP_PORT,
            resource_attributes=attributes,
            sampling_percentage=_percentage(t.sampling_ratio),
            central={"name": central, "endpoint": endpoint},
            headers=[] if upstream is not None else [{"name": h.name, "env": h.env} for h in headers(spec)],
            google_auth=(
                {"name": GOOGLE_AUTH, "audience": upstream.audience}
                if upstream is not None and upstream.audience
                else None
            ),
            native=native,
            native_settings=settings,
            signals=signals,
            rollback=rollback,
        )
    )


def rollback_settings() -> dict[str, Any]:
    """What the AWS gateway's `metrics/rollback` pipeline does, so CloudWatch holds what the alarms read.

    awsemf writes an explicit-bucket histogram as a statistic set (Count, Sum, Min, Max: no buckets, so
    no percentile) and an exponential histogram as Values/Counts (a distribution CloudWatch computes
    percentiles from); it turns neither from cumulative into delta, and `cumulativetodelta` skips
    exponential histograms (opentelemetry-collector-contrib exporter/awsemfexporter/datapoint.go and
    processor/cumulativetodeltaprocessor/README.md, read 2026-12-05). So the pipeline keeps only the
    request duration as a delta exponential histogram (what the target's SDK sends with
    OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=delta and
    OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION=base2_exponential_bucket_histogram); anything
    else would give wrong counts, so it is dropped and the alarms, missing their data, fire.

    OTTL (filter and transform processors, pkg/ottl contexts `metric` and `datapoint`): a metric is
    dropped when any condition holds; 5xx data points get `STATUS_CLASS`.
    """
    status = f'attributes["{HTTP_STATUS}"]'
    return {
        "namespace": ROLLBACK_NAMESPACE,
        "log_stream_name": "otel-rollback",
        "drop_conditions": [
            f'name != "{HTTP_DURATION}"',
            "type != METRIC_DATA_TYPE_EXPONENTIAL_HISTOGRAM",
            "aggregation_temporality != AGGREGATION_TEMPORALITY_DELTA",
        ],
        "datapoint_statements": [
            f'set(attributes["{STATUS_CLASS}"], "{SERVER_ERROR}") where {status} >= 500 and {status} < 600'
        ],
        "dimensions": [list(d) for d in ROLLBACK_DIMENSIONS],
        "metric_name_selectors": ["^" + re.escape(HTTP_DURATION) + "$"],
    }


def _percentage(ratio: float) -> str:
    """The sampler's percentage, printed without float noise (0.1 -> "10", 0.125 -> "12.5")."""
    text = f"{ratio * 100:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def agent_tolerations(cloud: str) -> list[dict[str, str]]:
    """The taints the agent must tolerate to run on GPU (and spot) nodes."""
    tolerations = [{"key": "nvidia.com/gpu", "effect": "NoSchedule"}]
    if cloud == "azure":
        tolerations.append({"key": "kubernetes.azure.com/scalesetpriority", "effect": "NoSchedule"})
    if cloud == "gcp":
        tolerations.append({"key": "cloud.google.com/gke-spot", "effect": "NoSchedule"})
    return tolerations


def agent_manifest(
    spec: Any,
    cloud: str,
    region: str,
    cluster: str,
    *,
    upstream: Upstream | None = None,
    gcp_service_account: str | None = None,
    image: str | None = None,
) -> str:
    """The agent DaemonSet (with its Namespace, ServiceAccount and ConfigMap) for one GPU cluster.

    `upstream`: the gateway the agent exports to (see `collector_config`); `gcp_service_account`: the
    Google service account the agent's Kubernetes service account acts as (Workload Identity); `image`
    overrides `telemetry.image` (the region's registry cache, `registries.mirror`)."""
    config = collector_config(spec, cloud, region, role="agent", cluster=cluster, upstream=upstream).rstrip("\n")
    return (
        _environment()
        .get_template("otel-agent.yaml.j2")
        .render(
            cloud=cloud,
            region=region,
            cluster=cluster,
            namespace=AGENT_NAMESPACE,
            name=AGENT_NAME,
            secret_name=AGENT_HEADERS_SECRET,
            image=image or spec.telemetry.image,
            config=config,
            headers=[] if upstream is not None else [{"env": h.env, "config_key": h.config_key} for h in headers(spec)],
            gcp_service_account=gcp_service_account,
            tolerations=agent_tolerations(cloud),
            grpc_port=GRPC_PORT,
            http_port=HTTP_PORT,
            health_port=HEALTH_PORT,
        )
    )


def gateway_args() -> list[str]:
    """The collector's command-line arguments on a gateway: its config comes from an environment variable."""
    return [f"--config=env:{CONFIG_ENV}"]
