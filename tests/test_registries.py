"""`registries`: image names, cache paths per cloud, and the spec's rules (no synthesis)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from lz.core import registries
from lz.spec import LandingZone
from tests.helpers import example_spec


@pytest.mark.parametrize(
    ("image", "registry", "repository", "reference"),
    [
        (
            "otel/opentelemetry-collector-contrib:0.120.0",
            "docker.io",
            "otel/opentelemetry-collector-contrib",
            ":0.120.0",
        ),
        ("nginx:1.27", "docker.io", "library/nginx", ":1.27"),
        ("docker.io/library/nginx@sha256:" + "a" * 64, "docker.io", "library/nginx", "@sha256:" + "a" * 64),
        ("index.docker.io/otel/x:1", "docker.io", "otel/x", ":1"),
        (
            "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0",
            "public.ecr.aws",
            "aws-observability/aws-otel-collector",
            ":v0.40.0",
        ),
        ("localhost:5000/a/b:1", "localhost:5000", "a/b", ":1"),
    ],
)
def test_parse(image: str, registry: str, repository: str, reference: str) -> None:
    ref = registries.parse(image)
    assert (ref.registry, ref.repository, ref.reference) == (registry, repository, reference)


def test_rewritten_names_per_cloud() -> None:
    image = "otel/opentelemetry-collector-contrib:0.120.0"
    assert (
        registries.aws_image(image, "111111111111", "eu-west-1")
        == "111111111111.dkr.ecr.eu-west-1.amazonaws.com/docker-hub/otel/opentelemetry-collector-contrib:0.120.0"
    )
    assert (
        registries.gcp_image(image, "acme-ai-dev", "europe-west4", "acme", "dev")
        == "europe-west4-docker.pkg.dev/acme-ai-dev/acme-dev-docker-hub/otel/opentelemetry-collector-contrib:0.120.0"
    )
    assert (
        registries.azure_image(image, "acracmedevweu")
        == "acracmedevweu.azurecr.io/docker-hub/otel/opentelemetry-collector-contrib:0.120.0"
    )
    name, source, target = registries.azure_cache_rule(image)
    assert source == "docker.io/otel/opentelemetry-collector-contrib"
    assert target == "docker-hub/otel/opentelemetry-collector-contrib"
    assert 5 <= len(name) <= 50 and name.replace("-", "").isalnum()
    with pytest.raises(ValueError, match="not an upstream"):
        registries.aws_image("europe-west4-docker.pkg.dev/p/r/i:1", "111111111111", "eu-west-1")


def test_azure_registry_names_are_valid_and_stable() -> None:
    name = registries.azure_registry_name("acme", "dev", "weu")
    assert name == "acracmedevweu" and name.isalnum()
    long = registries.azure_registry_name("averyveryverylongorg", "staging", "westeurope-long-code-x" * 3)
    assert 5 <= len(long) <= 50 and long.isalnum()
    assert long == registries.azure_registry_name("averyveryverylongorg", "staging", "westeurope-long-code-x" * 3)


def _spec(**registries_: Any) -> dict[str, Any]:
    spec = example_spec()
    spec["registries"] = registries_
    return spec


def test_the_example_mirrors_with_a_credential_for_ecr() -> None:
    lz = LandingZone.model_validate(example_spec())
    assert lz.registries.mirror and lz.registries.credentials == {"docker.io": "dockerHubCredential"}


def test_ecr_needs_a_credential_for_docker_hub() -> None:
    with pytest.raises(ValidationError, match=r"ECR caches docker\.io .* only with credentials"):
        LandingZone.model_validate(_spec(mirror=True))


def test_without_aws_no_credential_is_needed() -> None:
    spec = _spec(mirror=True)
    spec["clouds"].pop("aws")
    spec["gpu_pools"] = [p for p in spec["gpu_pools"] if p["cloud"] != "aws"]
    spec["telemetry"]["native"] = [c for c in spec["telemetry"]["native"] if c != "aws"]
    spec["ai_services"] = [a for a in spec.get("ai_services", []) if a != "bedrock"]
    assert LandingZone.model_validate(spec).registries.mirror


@pytest.mark.parametrize(
    ("registries_", "message"),
    [
        ({"mirror": True, "credentials": {"docker.io": "Bearer abc"}}, "never hold the credential"),
        ({"mirror": True, "credentials": {"example.com": "key"}}, "no upstream the landing zone mirrors"),
        ({"mirror": False, "credentials": {"docker.io": "dockerHubCredential"}}, "only with mirror: true"),
    ],
)
def test_refused(registries_: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        LandingZone.model_validate(_spec(**registries_))


def test_an_image_from_a_registry_that_cannot_be_cached_is_refused() -> None:
    spec = _spec(mirror=True, credentials={"docker.io": "dockerHubCredential"})
    spec["telemetry"]["image"] = "registry.example.com/otel/collector:1.0"
    with pytest.raises(ValidationError, match="cannot cache"):
        LandingZone.model_validate(spec)
