"""The `telemetry` key: OpenTelemetry collectors and where they export.

One central OTLP endpoint (TLS only) receives traces, metrics and logs from a gateway collector per
cloud and region and from an agent on every GPU cluster; `native` adds the cloud's own backend
(CloudWatch/X-Ray, Cloud Trace/Monitoring/Logging, Azure Monitor) beside it. Credentials never
appear in the spec: `headers` maps an HTTP header to the name of a Pulumi *secret* config key that
holds its value (`pulumi config set --secret otlpAuthorization "Bearer ..."`), and the collectors
read it from an environment variable fed by each cloud's secret store.

What it does not decide: the collector's pipelines (lz/otel.py and its template) or where the
collectors run (components/telemetry).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from lz.spec.base import SpecError, StrictModel

if TYPE_CHECKING:
    from lz.spec.foundation import LandingZone

DEFAULT_IMAGE = "otel/opentelemetry-collector-contrib:0.120.0"
HEADER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")
CONFIG_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
IMAGE = re.compile(r"^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9._-]{1,128}|@sha256:[0-9a-f]{64})$")
# Values that are clearly a credential rather than the name of a config key holding one.
_CREDENTIAL_HINTS = re.compile(r"(?i)^(bearer|basic|apikey|api-key|token)\b|\s|=|:")


class Telemetry(StrictModel):
    """OpenTelemetry collectors per cloud and region, exporting to one central OTLP endpoint over TLS."""

    enabled: bool = False
    """Deploy the collectors (a gateway per cloud and region on ECS Fargate, Cloud Run or Container Apps, and an
    agent manifest per GPU cluster); needs `endpoint`."""
    endpoint: str | None = None
    """The central OTLP endpoint, an https:// URL (TLS only) without credentials, query or fragment; no path with
    `protocol: grpc`."""
    protocol: Literal["grpc", "http"] = "grpc"
    """OTLP transport: `grpc` (usually port 4317) or `http` (OTLP/HTTP, may carry a base path)."""
    sampling_ratio: float = Field(default=1.0, ge=0.0, le=1.0)
    """Share of traces kept, 0.0 to 1.0 (1.0 keeps every trace)."""
    # HTTP header -> name of a Pulumi secret config key (in this project's namespace) holding its value.
    headers: dict[str, str] = Field(default_factory=dict)
    """HTTP header -> the name of a Pulumi secret config key in this project's namespace that holds its value
    (`Authorization: otlpAuthorization`); never the value itself. Header names ignore case."""
    native: list[Literal["aws", "gcp", "azure"]] = Field(default_factory=list)
    """Enabled clouds whose own backend (CloudWatch/X-Ray, Cloud Trace/Monitoring/Logging, Azure Monitor) also
    receives the data, each once."""
    image: str = DEFAULT_IMAGE
    """The collector container image, pinned to a tag or digest (never `:latest`)."""
    gateway_replicas: int = Field(default=2, ge=1, le=10)
    """Minimum gateway instances per cloud and region, 1 to 10 (ECS tasks, Cloud Run instances, Container Apps
    replicas)."""

    @field_validator("endpoint")
    @classmethod
    def _endpoint(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith("https://"):
            raise ValueError(f"{value!r}: telemetry leaves the landing zone only over TLS; use an https:// endpoint")
        parts = urlsplit(value)
        if "@" in parts.netloc:
            raise ValueError(
                "the endpoint must not carry credentials (user:password@); put them in a header "
                "whose value comes from a secret config key (telemetry.headers)"
            )
        if parts.query or parts.fragment:
            raise ValueError(
                "the endpoint must not carry a query string or fragment (tokens belong in "
                "telemetry.headers, read from a secret config key)"
            )
        if not parts.hostname or re.search(r"\s", value):
            raise ValueError(f"{value!r} is not an https URL with a host name")
        try:
            port = parts.port
        except ValueError:
            raise ValueError(f"{value!r} has an invalid port") from None
        if port is not None and not 1 <= port <= 65535:
            raise ValueError(f"{value!r} has an invalid port")
        return value

    @field_validator("headers")
    @classmethod
    def _headers(cls, value: dict[str, str]) -> dict[str, str]:
        for header, key in value.items():
            if not HEADER_NAME.match(header):
                raise SpecError((header,), f"{header!r} is not an HTTP header name (letters, digits and '-')")
            if not isinstance(key, str) or not CONFIG_KEY.match(key) or _CREDENTIAL_HINTS.search(key):
                raise SpecError(
                    (header,),
                    "must name a Pulumi secret config key (e.g. otlpAuthorization), never hold the "
                    "header value itself; store the value with `pulumi config set --secret "
                    "otlpAuthorization '<value>'` and write `" + header + ": otlpAuthorization`",
                )
        lowered = [h.lower() for h in value]
        for header in value:
            if lowered.count(header.lower()) > 1:
                raise SpecError((header,), f"header {header!r} is listed twice (header names ignore case)")
        return value

    @field_validator("native")
    @classmethod
    def _native_unique(cls, value: list[str]) -> list[str]:
        for i, cloud in enumerate(value):
            if cloud in value[:i]:
                raise SpecError((i,), f"{cloud!r} is listed twice")
        return value

    @field_validator("image")
    @classmethod
    def _image(cls, value: str) -> str:
        if not IMAGE.match(value) or value.endswith(":latest"):
            raise ValueError(
                f"{value!r}: pin the collector image to a tag or digest "
                "(e.g. otel/opentelemetry-collector-contrib:0.120.0), never :latest"
            )
        return value

    def env_var(self, header: str) -> str:
        """The environment variable a collector reads `header`'s value from."""
        return "OTLP_HEADER_" + re.sub(r"[^A-Z0-9]", "_", header.upper())


def check(lz: LandingZone) -> None:
    """An enabled telemetry section has an endpoint, and native backends only for enabled clouds."""
    t = lz.telemetry
    if t.enabled and t.endpoint is None:
        raise SpecError(
            ("telemetry", "endpoint"),
            "telemetry is enabled but has no endpoint: set the central OTLP endpoint "
            "(https://otlp.example.com:4317) or enabled: false",
        )
    if t.endpoint and t.protocol == "grpc":
        path = urlsplit(t.endpoint).path
        if path not in ("", "/"):
            raise SpecError(
                ("telemetry", "endpoint"),
                f"a gRPC endpoint has no path ({path!r}); drop it, or use protocol: http for an "
                "OTLP/HTTP endpoint with a base path",
            )
    enabled = lz.clouds.enabled()
    for i, cloud in enumerate(t.native):
        if cloud not in enabled:
            raise SpecError(
                ("telemetry", "native", i),
                f"{cloud!r} is not an enabled cloud ({', '.join(enabled)}); native backends are per enabled cloud",
            )
