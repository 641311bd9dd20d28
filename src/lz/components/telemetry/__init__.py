"""The telemetry stage of a foundation (wired by `lz.components.landing_zone`): OpenTelemetry gateways.

When `telemetry.enabled`, every enabled cloud gets one collector gateway per region on its managed
container service (`lz.components.telemetry.<cloud>`: ECS Fargate, Cloud Run, Azure Container Apps),
configured by `lz.core.otel.collector_config` to receive OTLP from the region's workloads and export to
the central endpoint over TLS (and to the cloud's native backend where `telemetry.native` asks).
The GPU clusters' node agents are rendered by the gpu stage (`otel_agent_manifest` outputs).

Exporter headers are credentials. The spec names, per header, a Pulumi *secret* config key
(`pulumi config set --secret <key> <value>`); this module reads them once and hands the secret
values to each cloud's module, which stores them in the cloud's secret store (Secrets Manager,
Secret Manager, Container Apps secrets) for the collector's environment. A key that is missing, or
set in plain text, stops the program with a message naming it (exit 2 under `lz plan`).

What it does not do: create the central backend, or send anything anywhere at plan time.
"""

from __future__ import annotations

import importlib
from typing import Any

import pulumi
from pulumi.runtime.config import is_config_secret

from lz.contracts.foundation import Foundations, of_cloud
from lz.core.errors import InputError

from ..base import CloudContext


def header_secrets(spec: Any) -> dict[str, pulumi.Output[str]]:
    """Header name -> its value from the secret config key the spec names (sorted by header)."""
    config = pulumi.Config()
    values: dict[str, pulumi.Output[str]] = {}
    for header in sorted(spec.telemetry.headers):
        key = spec.telemetry.headers[header]
        full = config.full_key(key)
        value = config.get_secret(key)
        if value is None:
            raise InputError(
                f"config key {full!r} (named by telemetry.headers.{header}) is not set: run "
                f"`pulumi config set --secret {key} '<{header} header value>'`",
                key=f"config.{full}",
            )
        if not is_config_secret(full):
            raise InputError(
                f"config key {full!r} holds the {header} header in plain text: set it again with "
                f"`pulumi config set --secret {key} ...` so it is encrypted in the stack file",
                key=f"config.{full}",
            )
        values[header] = value
    return values


def build(contexts: dict[str, CloudContext], foundations: Foundations, opts: pulumi.ResourceOptions) -> dict[str, Any]:
    """A gateway per enabled cloud and region; `{}` when telemetry is disabled."""
    if not contexts:
        return {}
    spec = next(iter(contexts.values())).spec
    if not spec.telemetry.enabled:
        return {}
    secrets = header_secrets(spec)
    outputs: dict[str, Any] = {}
    for cloud, ctx in contexts.items():
        module = importlib.import_module(f"lz.components.telemetry.{cloud}")
        outputs[cloud] = module.build(ctx, of_cloud(foundations, cloud), secrets, opts)
    return outputs
