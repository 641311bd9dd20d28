"""The `ai_services` key: each service once, on an enabled cloud, only where the service exists."""

from __future__ import annotations

from typing import Any

import pytest

from lz.core import ai_services
from lz.core.errors import InputError
from lz.spec import load_landing_zone
from tests.helpers import example_spec

KEY = "config.landing-zone:landingZone.ai_services"


def load(services: object, **clouds: dict[str, Any]) -> Any:
    spec = example_spec()
    spec["ai_services"] = services
    for cloud, change in clouds.items():
        spec["clouds"][cloud].update(change)
    return load_landing_zone(spec, file="stacks/Pulumi.t.yaml", namespace="landing-zone")


def refused(services: object, **clouds: dict[str, Any]) -> InputError:
    with pytest.raises(InputError) as info:
        load(services, **clouds)
    return info.value


def test_default_is_none_and_the_example_enables_bedrock_and_vertex() -> None:
    spec = example_spec()
    assert spec["ai_services"] == ["bedrock", "vertex-ai"]
    spec.pop("ai_services")
    assert load_landing_zone(spec, file="x", namespace="landing-zone").ai_services == []


def test_all_three_where_every_region_has_them() -> None:
    lz = load(["bedrock", "vertex-ai", "azure-openai"], azure={"regions": ["westeurope", "swedencentral"]})
    assert lz.ai_services == ["bedrock", "vertex-ai", "azure-openai"]


def test_azure_openai_refused_in_a_region_without_it() -> None:
    error = refused(["bedrock", "azure-openai"])  # the example's Azure regions: westeurope, northeurope
    assert error.key == f"{KEY}[1]"
    assert "northeurope" in error.detail and "swedencentral" in error.detail and "westeurope" in error.detail


def test_bedrock_refused_in_a_region_it_was_not_confirmed_in() -> None:
    spec = example_spec()
    spec["residency"] = "mx"
    spec["clouds"] = {"aws": {**spec["clouds"]["aws"], "regions": ["mx-central-1"]}}
    spec["gpu_pools"], spec["interconnect"], spec["ai_services"] = [], {"topology": "none"}, ["bedrock"]
    spec["telemetry"]["native"] = ["aws"]
    with pytest.raises(InputError) as info:
        load_landing_zone(spec, file="x", namespace="landing-zone")
    assert info.value.key == f"{KEY}[0]"
    assert "Amazon Bedrock has no endpoint in 'mx-central-1'" in info.value.detail
    assert "that have it: none" in info.value.detail
    spec["ai_services"] = []
    assert load_landing_zone(spec, file="x", namespace="landing-zone").ai_services == []


@pytest.mark.parametrize(
    ("services", "index", "words"),
    [
        (["bedrock", "bedrock"], 1, "listed twice"),
        (["sagemaker"], 0, "bedrock"),
    ],
)
def test_bad_lists(services: list[str], index: int, words: str) -> None:
    error = refused(services)
    assert error.key == f"{KEY}[{index}]"
    assert words in error.detail


def test_a_service_of_a_cloud_that_is_not_enabled() -> None:
    spec = example_spec()
    spec["clouds"].pop("gcp")
    spec["gpu_pools"] = [p for p in spec["gpu_pools"] if p["cloud"] != "gcp"]
    spec["telemetry"]["native"] = ["aws", "azure"]
    spec["ai_services"] = ["vertex-ai"]
    with pytest.raises(InputError) as info:
        load_landing_zone(spec, file="x", namespace="landing-zone")
    assert info.value.key == f"{KEY}[0]"
    assert "GCP" in info.value.detail and "clouds.gcp" in info.value.detail


def test_region_lists() -> None:
    assert ai_services.available("bedrock", "eu-west-1") and ai_services.available("bedrock", "eu-central-1")
    assert not ai_services.available("bedrock", "me-central-1")
    assert ai_services.available("azure-openai", "westeurope")
    assert not ai_services.available("azure-openai", "northeurope")
    assert ai_services.vertex_host("europe-west4") == "europe-west4-aiplatform.googleapis.com"
    assert ai_services.supported("azure-openai", ["northeurope", "swedencentral"]) == ["swedencentral"]
