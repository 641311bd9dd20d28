"""The `egress` key: mode and FQDN allow list, each rule naming its key path."""

from __future__ import annotations

from typing import Any

import pytest

from lz.core.errors import InputError
from lz.spec import load_landing_zone
from lz.spec.egress import Egress, fqdn_problem
from tests.helpers import example_spec, only_enabled_ai_services


def load(egress: object, *, clouds: list[str] | None = None) -> Any:
    spec = example_spec()
    spec["egress"] = egress
    if clouds is not None:
        spec["clouds"] = {c: v for c, v in spec["clouds"].items() if c in clouds}
        spec["gpu_pools"] = [p for p in spec.get("gpu_pools", []) if p["cloud"] in clouds]
        spec["ai_services"] = only_enabled_ai_services(spec.get("ai_services", []), set(clouds))
        spec["telemetry"]["native"] = [c for c in spec["telemetry"].get("native", []) if c in clouds]
        spec["interconnect"] = {"topology": "none"}
        for role in spec.get("identity", {}).get("roles", []):
            role["groups"] = {c: g for c, g in role["groups"].items() if c in clouds}
        if "aws" not in clouds:
            spec.get("identity", {}).pop("aws", None)
    return load_landing_zone(spec, file="stacks/Pulumi.t.yaml", namespace="landing-zone").egress


def test_default_is_private_only() -> None:
    spec = example_spec()
    spec.pop("egress", None)
    spec["telemetry"]["enabled"] = False
    assert load_landing_zone(spec, file="x", namespace="landing-zone").egress == Egress(mode="none", allow=[])


def test_firewall_with_names_is_read() -> None:
    egress = load({"mode": "firewall", "allow": ["huggingface.co", "pypi.org", "files.pythonhosted.org"]})
    assert egress.mode == "firewall"
    assert egress.allows("pypi.org") and egress.allows("PyPI.org.")
    assert not egress.allows("evil.pypi.org")
    assert not egress.allows("example.com")


def test_wildcard_matches_names_under_the_domain_only_without_gcp() -> None:
    egress = load({"mode": "firewall", "allow": ["*.huggingface.co"]}, clouds=["aws", "azure"])
    assert egress.allows("cdn-lfs.huggingface.co")
    assert not egress.allows("huggingface.co.evil.example")
    assert not egress.allows("nothuggingface.co")


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("https://pypi.org", "bare host name"),
        ("pypi.org:443", "bare host name"),
        ("PyPI.org", "lower case"),
        ("localhost", "fully qualified"),
        ("*.co", "top-level domain"),
        ("a*.example.com", "only wildcard"),
        ("*.*.example.com", "only wildcard"),
        ("-bad.example.com", "label"),
        ("10.0.0.1", "IP address"),
        ("pypi.org.", "trailing dot"),
        ("a" * 64 + ".example.com", "label"),
        ("", "empty"),
    ],
)
def test_bad_names(name: str, words: str) -> None:
    problem = fqdn_problem(name)
    assert problem is not None and words in problem
    with pytest.raises(InputError) as info:
        load({"mode": "firewall", "allow": ["pypi.org", name]})
    assert info.value.key == "config.landing-zone:landingZone.egress.allow[1]"


@pytest.mark.parametrize(
    ("egress", "key", "words"),
    [
        ({"mode": "nat", "allow": ["pypi.org"]}, "egress.allow", "only in mode 'firewall'"),
        ({"mode": "open"}, "egress.mode", "'none', 'nat' or 'firewall'"),
        ({"mode": "firewall", "allow": ["pypi.org", "pypi.org"]}, "egress.allow[1]", "twice"),
        ({"mode": "firewall", "allow": ["*.huggingface.co"]}, "egress.allow[0]", "no wildcards"),
        ({"mode": "firewall", "deny": []}, "egress.deny", "unknown key"),
        ({"mode": "firewall", "allow": [42]}, "egress.allow[0]", "as text"),
    ],
)
def test_rules_name_the_key(egress: dict[str, object], key: str, words: str) -> None:
    with pytest.raises(InputError) as info:
        load(egress)
    assert info.value.key == f"config.landing-zone:landingZone.{key}"
    assert words in info.value.detail


def _telemetry_spec(mode: str, endpoint: str) -> dict[str, Any]:
    spec = example_spec()
    spec["egress"] = {"mode": mode}
    spec["telemetry"]["endpoint"] = endpoint
    if mode == "none":  # Azure's gateways cannot run without egress (see test_no_egress_with_azure...)
        _drop_azure(spec)
    return spec


def _drop_azure(spec: dict[str, Any]) -> None:
    spec["clouds"].pop("azure")
    spec["gpu_pools"] = [p for p in spec.get("gpu_pools", []) if p["cloud"] != "azure"]
    spec["telemetry"]["native"] = [c for c in spec["telemetry"].get("native", []) if c != "azure"]
    spec["ai_services"] = [a for a in spec.get("ai_services", []) if a != "azure-openai"]
    for role in spec.get("identity", {}).get("roles", []):
        role["groups"].pop("azure", None)


def test_no_egress_with_azure_and_telemetry_is_refused() -> None:
    spec = example_spec()
    spec["egress"] = {"mode": "none"}
    spec["telemetry"]["endpoint"] = "https://otlp.aws.dev.acme.internal:4317"
    with pytest.raises(InputError) as err:
        load_landing_zone(spec, file="stacks/Pulumi.t.yaml", namespace="landing-zone")
    assert "landingZone.egress.mode" in str(err.value) and "mcr.microsoft.com" in str(err.value)
    spec["telemetry"]["enabled"] = False
    assert load_landing_zone(spec, file="x", namespace="landing-zone").egress.mode == "none"


def test_no_egress_refuses_an_internet_otlp_endpoint() -> None:
    spec = _telemetry_spec("none", "https://otlp.observability.acme.example:4317")
    with pytest.raises(InputError) as err:
        load_landing_zone(spec, file="stacks/Pulumi.t.yaml", namespace="landing-zone")
    text = str(err.value)
    assert "config.landing-zone:landingZone.telemetry.endpoint" in text
    assert "egress mode 'none'" in text and "gcp.dev.acme.internal" in text


def test_no_egress_and_no_cross_cloud_dns_has_no_private_domain_to_offer() -> None:
    # the private domains exist only where the interconnect joins clouds (lz.core.paths_plan.dns_enabled)
    spec = _telemetry_spec("none", "https://otlp.gcp.dev.acme.internal:4317")
    spec["interconnect"] = {"topology": "none"}
    with pytest.raises(InputError) as err:
        load_landing_zone(spec, file="stacks/Pulumi.t.yaml", namespace="landing-zone")
    assert "landingZone.telemetry.endpoint" in str(err.value) and "two clouds or more" in str(err.value)


@pytest.mark.parametrize(
    ("mode", "endpoint"),
    [
        ("none", "https://otlp.gcp.dev.acme.internal:4317"),  # the zone's own name, under any enabled cloud
        ("none", "https://collector.eu.aws.dev.acme.internal"),
        ("nat", "https://otlp.observability.acme.example:4317"),
        ("firewall", "https://otlp.observability.acme.example:4317"),
    ],
)
def test_an_endpoint_the_collectors_can_reach_is_accepted(mode: str, endpoint: str) -> None:
    spec = _telemetry_spec(mode, endpoint)
    spec["egress"].update({"allow": ["pypi.org"]} if mode == "firewall" else {})
    assert load_landing_zone(spec, file="x", namespace="landing-zone").telemetry.endpoint == endpoint


def test_no_egress_without_telemetry_needs_no_endpoint_rule() -> None:
    spec = _telemetry_spec("none", "https://otlp.observability.acme.example:4317")
    spec["telemetry"]["enabled"] = False
    assert load_landing_zone(spec, file="x", namespace="landing-zone").egress.mode == "none"


def test_the_firewalls_allow_the_zones_own_otlp_endpoint_unlisted() -> None:
    spec = _telemetry_spec("firewall", "https://otlp.observability.acme.example:4317")
    spec["egress"]["allow"] = ["pypi.org"]
    lz = load_landing_zone(spec, file="x", namespace="landing-zone")
    assert lz.egress.allow == ["pypi.org"]
    assert lz.egress_allow == ["otlp.observability.acme.example", "pypi.org"]
    # listed already: once; the zone's own private name: never (it is not on the internet)
    spec["egress"]["allow"] = ["otlp.observability.acme.example"]
    assert load_landing_zone(spec, file="x", namespace="landing-zone").egress_allow == [
        "otlp.observability.acme.example"
    ]
    spec = _telemetry_spec("firewall", "https://otlp.aws.dev.acme.internal")
    assert load_landing_zone(spec, file="x", namespace="landing-zone").egress_allow == []
    # other modes filter nothing, so there is nothing to allow
    spec = _telemetry_spec("nat", "https://otlp.observability.acme.example:4317")
    assert load_landing_zone(spec, file="x", namespace="landing-zone").egress_allow == []


def test_without_a_mirror_the_firewalls_allow_the_collector_images_registry() -> None:
    spec = _telemetry_spec("firewall", "https://otlp.observability.acme.example:4317")
    spec["egress"]["allow"] = ["pypi.org"]
    spec.pop("registries", None)
    lz = load_landing_zone(spec, file="x", namespace="landing-zone")
    assert lz.egress_allow == [
        "auth.docker.io",
        "otlp.observability.acme.example",
        "production.cloudflare.docker.com",
        "pypi.org",
        "registry-1.docker.io",
    ]
    spec["telemetry"]["image"] = "ghcr.io/open-telemetry/opentelemetry-collector-contrib:0.120.0"
    assert "ghcr.io" in load_landing_zone(spec, file="x", namespace="landing-zone").egress_allow


def test_no_egress_and_no_mirror_refuses_an_image_pulled_from_the_internet() -> None:
    spec = _telemetry_spec("none", "https://otlp.aws.dev.acme.internal:4317")
    spec.pop("registries", None)
    with pytest.raises(InputError) as err:
        load_landing_zone(spec, file="stacks/Pulumi.t.yaml", namespace="landing-zone")
    assert "landingZone.telemetry.image" in str(err.value) and "registries.mirror" in str(err.value)
    # mirrored, the image comes from a cache in each cloud and region, reached privately
    spec = _telemetry_spec("none", "https://otlp.aws.dev.acme.internal:4317")
    assert load_landing_zone(spec, file="x", namespace="landing-zone").registries.mirror


def test_no_egress_on_gcp_alone_lets_cloud_run_pull_the_image_itself() -> None:
    # Cloud Run pulls through Google's service, not the VPC; with no GPU pool nothing else pulls
    spec = _telemetry_spec("none", "https://otlp.observability.acme.example:4317")
    spec.pop("registries", None)
    spec["clouds"] = {"gcp": spec["clouds"]["gcp"]}
    spec["gpu_pools"], spec["interconnect"] = [], {"topology": "none"}
    spec["telemetry"]["native"] = ["gcp"]
    spec.pop("identity", None)
    with pytest.raises(InputError) as err:  # the endpoint is still on the internet
        load_landing_zone(spec, file="x", namespace="landing-zone")
    assert "telemetry.endpoint" in str(err.value) and "telemetry.image" not in str(err.value)
