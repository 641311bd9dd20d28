"""The rendered OpenTelemetry Collector configs and the agent manifest, checked structurally.

For every cloud, role (gateway, agent), protocol and native-backend choice: pipelines name only
defined components, every defined component is used, `memory_limiter` comes first and `batch` last,
exporters use TLS, and no credential appears in the text (headers are `${env:...}` references).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import jinja2
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from lz.core import otel
from lz.policies.encryption_clusters import exporter_problems
from lz.spec import load_landing_zone
from tests.helpers import example_spec

SECRET_LOOKING = re.compile(r"(?i)(bearer|basic)\s|password|apikey=|instrumentationkey=")
ENV_REF = re.compile(r"^\$\{env:[A-Z_][A-Z0-9_]*\}$")
REGIONS = {"aws": "eu-west-1", "gcp": "europe-west4", "azure": "westeurope"}
NATIVE_SETTINGS = {
    "aws": {"region": "eu-west-1", "namespace": "LandingZone/acme-dev", "log_group_name": "/lz/acme-dev/otel-metrics"},
    "gcp": {"project": "acme-ai-dev", "log_name": "acme-dev-otel"},
    "azure": {},
}


def spec_with(**telemetry: Any) -> Any:
    raw = example_spec()
    raw["telemetry"] = {
        "enabled": True,
        "endpoint": "https://otlp.acme.example:4317",
        "headers": {"authorization": "otlpAuthorization", "x-tenant": "otlpTenant"},
        "sampling_ratio": 0.25,
        **telemetry,
    }
    return load_landing_zone(raw, file="t", namespace="landing-zone")


def configs() -> Iterator[tuple[str, str, str, bool, str]]:
    """(id, cloud, role, native, protocol) of every combination worth rendering."""
    for cloud in ("aws", "gcp", "azure"):
        for protocol in ("grpc", "http"):
            for native in (False, True):
                kind = "native" if native else "central"
                yield f"{cloud}-gateway-{protocol}-{kind}", cloud, "gateway", native, protocol
            yield f"{cloud}-agent-{protocol}", cloud, "agent", False, protocol


CASES = list(configs())


def render(cloud: str, role: str, native: bool, protocol: str, **telemetry: Any) -> str:
    endpoint = "https://otlp.acme.example:4317" if protocol == "grpc" else "https://otlp.acme.example/otlp"
    spec = spec_with(protocol=protocol, endpoint=endpoint, native=[cloud] if native else [], **telemetry)
    if role == "agent":
        return otel.collector_config(spec, cloud, REGIONS[cloud], role="agent", cluster=f"acme-dev-{cloud}-gpu")
    settings = NATIVE_SETTINGS[cloud] if native else None
    return otel.collector_config(spec, cloud, REGIONS[cloud], native_settings=settings)


def strings(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, Mapping):
        for k, v in node.items():
            yield from strings(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from strings(v, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node


def check_structure(config: Mapping[str, Any]) -> None:
    """The invariants every rendered config must hold (used for gateways and the agent's ConfigMap)."""
    service = config["service"]
    pipelines = service["pipelines"]
    # an AWS gateway that writes CloudWatch adds the pipeline the cutover's rollback alarms read
    rollback = {otel.ROLLBACK_PIPELINE} if "awsemf/rollback" in config.get("exporters", {}) else set()
    assert set(pipelines) == {"traces", "metrics", "logs"} | rollback
    used: dict[str, set[str]] = {"receivers": set(), "processors": set(), "exporters": set()}
    for name, pipeline in pipelines.items():
        for section in used:
            assert pipeline[section], f"{name} has no {section}"
            for component in pipeline[section]:
                assert component in config[section], f"{name} names undefined {section[:-1]} {component!r}"
            used[section].update(pipeline[section])
        assert pipeline["processors"][0] == "memory_limiter", name
        assert pipeline["processors"][-1] == "batch", name
        assert pipeline["processors"].count("memory_limiter") == 1 and pipeline["processors"].count("batch") == 1
    for section, names in used.items():
        assert set(config[section]) == names, f"defined but unused {section}: {set(config[section]) - names}"
    assert set(config.get("extensions", {})) == set(service.get("extensions", []))
    assert "probabilistic_sampler" in pipelines["traces"]["processors"]
    assert exporter_problems(config) == []


@pytest.mark.parametrize(("cloud", "role", "native", "protocol"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_pipelines_are_well_formed(cloud: str, role: str, native: bool, protocol: str) -> None:
    check_structure(yaml.safe_load(render(cloud, role, native, protocol)))


@pytest.mark.parametrize(("cloud", "role", "native", "protocol"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_no_plaintext_credentials(cloud: str, role: str, native: bool, protocol: str) -> None:
    text = render(cloud, role, native, protocol)
    config = yaml.safe_load(text)
    assert not SECRET_LOOKING.search(text)
    central = next(v for k, v in config["exporters"].items() if k.endswith("/central"))
    assert set(central["headers"]) == {"authorization", "x-tenant"}
    for value in central["headers"].values():
        assert ENV_REF.match(value), value
    for path, value in strings(config["exporters"]):
        if re.search(r"(?i)(key|token|secret|password|connection_string|header)", path):
            assert ENV_REF.match(value), f"{path} holds a literal value"


@pytest.mark.parametrize("cloud", ["aws", "gcp", "azure"])
def test_central_exporter_uses_tls(cloud: str) -> None:
    grpc = yaml.safe_load(render(cloud, "gateway", False, "grpc"))["exporters"]["otlp/central"]
    assert grpc["endpoint"] == "otlp.acme.example:4317" and grpc["tls"]["insecure"] is False
    assert grpc["tls"]["min_version"] == "1.2"
    http = yaml.safe_load(render(cloud, "gateway", False, "http"))["exporters"]["otlphttp/central"]
    assert http["endpoint"] == "https://otlp.acme.example/otlp" and http["tls"]["insecure"] is False


@pytest.mark.parametrize(
    ("cloud", "exporters"),
    [
        (
            "aws",
            {
                "traces": ["otlp/central", "awsxray"],
                "metrics": ["otlp/central", "awsemf"],
                "logs": ["otlp/central"],
                "metrics/rollback": ["awsemf/rollback"],
            },
        ),
        (
            "gcp",
            {
                "traces": ["otlp/central", "googlecloud"],
                "metrics": ["otlp/central", "googlemanagedprometheus"],
                "logs": ["otlp/central", "googlecloud"],
            },
        ),
        ("azure", {s: ["otlp/central", "azuremonitor"] for s in ("traces", "metrics", "logs")}),
    ],
)
def test_native_backend_where_asked(cloud: str, exporters: dict[str, list[str]]) -> None:
    config = yaml.safe_load(render(cloud, "gateway", True, "grpc"))
    assert {s: p["exporters"] for s, p in config["service"]["pipelines"].items()} == exporters
    plain = yaml.safe_load(render(cloud, "gateway", False, "grpc"))
    assert set(plain["exporters"]) == {"otlp/central"}
    agent = yaml.safe_load(render(cloud, "agent", False, "grpc"))
    assert set(agent["exporters"]) == {"otlp/central"}  # agents never write the native backend


def test_resource_attributes_name_cloud_region_organization_environment() -> None:
    config = yaml.safe_load(render("gcp", "agent", False, "grpc"))
    attributes = {a["key"]: a["value"] for a in config["processors"]["resource"]["attributes"]}
    assert attributes["cloud.provider"] == "gcp" and attributes["cloud.region"] == "europe-west4"
    assert attributes["landing_zone.organization"] == "acme"
    assert attributes["deployment.environment.name"] == "dev"
    assert attributes["k8s.cluster.name"] == "acme-dev-gcp-gpu"
    assert config["processors"]["probabilistic_sampler"]["sampling_percentage"] == 25


@given(st.floats(min_value=0.0, max_value=1.0, allow_nan=False))
def test_sampling_percentage_follows_the_ratio(ratio: float) -> None:
    config = yaml.safe_load(
        otel.collector_config(
            _SPEC.model_copy(update={"telemetry": _SPEC.telemetry.model_copy(update={"sampling_ratio": ratio})}),
            "aws",
            "eu-west-1",
        )
    )
    assert config["processors"]["probabilistic_sampler"]["sampling_percentage"] == pytest.approx(ratio * 100, abs=1e-4)


_SPEC = spec_with()


def test_rendering_is_deterministic_and_strict() -> None:
    assert render("azure", "gateway", True, "http") == render("azure", "gateway", True, "http")
    with pytest.raises(jinja2.UndefinedError):
        otel._environment().get_template("otel-collector.yaml.j2").render(role="gateway")


def test_headers_are_optional() -> None:
    config = yaml.safe_load(render("aws", "gateway", False, "grpc", headers={}))
    assert "headers" not in config["exporters"]["otlp/central"]
    check_structure(config)


# --- the agent DaemonSet ---------------------------------------------------------------------


@pytest.mark.parametrize("cloud", ["aws", "gcp", "azure"])
def test_agent_manifest(cloud: str) -> None:
    docs = list(yaml.safe_load_all(otel.agent_manifest(_SPEC, cloud, REGIONS[cloud], f"acme-dev-{cloud}-gpu")))
    kinds = [d["kind"] for d in docs]
    assert kinds == ["Namespace", "ServiceAccount", "ConfigMap", "Service", "DaemonSet"]
    config_map, service, daemonset = docs[2], docs[3], docs[4]
    check_structure(yaml.safe_load(config_map["data"]["collector.yaml"]))
    assert service["spec"]["internalTrafficPolicy"] == "Local"
    pod = daemonset["spec"]["template"]["spec"]
    assert {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"} in pod["tolerations"]
    assert pod["automountServiceAccountToken"] is False
    (container,) = pod["containers"]
    assert container["image"] == _SPEC.telemetry.image
    assert all("hostPort" not in p for p in container["ports"])
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
    secret_env = {
        e["name"]: e["valueFrom"]["secretKeyRef"] for e in container["env"] if "secretKeyRef" in e.get("valueFrom", {})
    }
    assert set(secret_env) == {"OTLP_HEADER_AUTHORIZATION", "OTLP_HEADER_X_TENANT"}
    assert all(ref["name"] == otel.AGENT_HEADERS_SECRET for ref in secret_env.values())
    assert all("value" not in e for e in container["env"])  # every variable comes from a secret or the node
    assert docs[0]["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


def test_gcp_agent_exports_to_its_gateway_with_a_google_id_token() -> None:
    url = "https://acme-dev-euw4-otel-gateway-123456789012.europe-west4.run.app"
    text = otel.agent_manifest(
        _SPEC,
        "gcp",
        "europe-west4",
        "acme-dev-euw4-gpu",
        upstream=otel.Upstream(url=url, audience=url),
        gcp_service_account="acme-dev-otel-sender@acme-ai-dev.iam.gserviceaccount.com",
    )
    docs = list(yaml.safe_load_all(text))
    account, config_map, daemonset = docs[1], docs[2], docs[4]
    assert account["metadata"]["annotations"] == {
        "iam.gke.io/gcp-service-account": "acme-dev-otel-sender@acme-ai-dev.iam.gserviceaccount.com"
    }
    config = yaml.safe_load(config_map["data"]["collector.yaml"])
    check_structure(config)
    assert config["extensions"]["googleclientauth"] == {"token_type": "id_token", "audience": url}
    exporter = config["exporters"]["otlp/gateway"]
    assert exporter["endpoint"] == "acme-dev-euw4-otel-gateway-123456789012.europe-west4.run.app:443"
    assert exporter["auth"] == {"authenticator": "googleclientauth"} and "headers" not in exporter
    assert list(config["exporters"]) == ["otlp/gateway"]  # the gateway, not the central endpoint, is next
    # The gateway adds the central endpoint's headers: the agent holds no header secret at all.
    (container,) = daemonset["spec"]["template"]["spec"]["containers"]
    assert all("secretKeyRef" not in e.get("valueFrom", {}) for e in container["env"])
    with pytest.raises(ValueError, match="only an agent"):
        otel.collector_config(_SPEC, "gcp", "europe-west4", upstream=otel.Upstream(url=url))
