"""`gpu_pools` and `telemetry` rules: each refusal names its key and suggests the nearest valid choice."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from lz.cli import main
from lz.core import accelerators
from lz.core.errors import InputError
from lz.spec import load_landing_zone
from tests.helpers import example_spec, foundation_config, make_project

PREFIX = "config.landing-zone:landingZone."
H100 = {
    "name": "h100",
    "cloud": "gcp",
    "region": "europe-west4",
    "accelerator": "h100",
    "gpus_per_node": 8,
    "min_nodes": 0,
    "max_nodes": 4,
    "spot": True,
}


def with_pools(*pools: dict[str, Any], telemetry: dict[str, Any] | None = None) -> dict[str, Any]:
    spec = example_spec()
    spec["gpu_pools"] = list(pools)
    if telemetry is not None:
        spec["telemetry"] = telemetry
    return spec


def accept(spec: dict[str, Any]) -> Any:
    return load_landing_zone(spec, file="stacks/Pulumi.t.yaml", namespace="landing-zone")


def refuse(spec: dict[str, Any]) -> InputError:
    with pytest.raises(InputError) as info:
        accept(spec)
    return info.value


def test_the_issue_example_is_accepted_and_resolves_to_a3() -> None:
    spec = accept(with_pools(H100))
    pool = spec.gpu_pools[0]
    assert accelerators.resolve(pool).machine_type == "a3-highgpu-8g"
    assert pool.spot and pool.min_nodes == 0 and pool.max_nodes == 4


def test_accelerator_the_cloud_lacks_names_the_key_and_the_clouds_that_have_it() -> None:
    err = refuse(with_pools({**H100, "accelerator": "l40s", "gpus_per_node": 1}))
    assert err.key == PREFIX + "gpu_pools[0].accelerator"
    assert "l40s is not offered on gcp (only on aws)" in err.detail
    assert "h100" in err.detail and "l4" in err.detail  # what gcp does offer


def test_unknown_accelerator_suggests_a_close_name() -> None:
    err = refuse(with_pools({**H100, "accelerator": "h10"}))
    assert err.key == PREFIX + "gpu_pools[0].accelerator"
    assert "did you mean h100" in err.detail


def test_region_outside_the_clouds_regions_names_the_key() -> None:
    err = refuse(with_pools({**H100, "region": "europe-west3"}))
    assert err.key == PREFIX + "gpu_pools[0].region"
    assert "not one of clouds.gcp.regions (europe-west4, europe-west1)" in err.detail


def test_gpus_per_node_mismatch_suggests_the_machine_shape() -> None:
    err = refuse(with_pools({**H100, "cloud": "azure", "region": "westeurope", "gpus_per_node": 4}))
    assert err.key == PREFIX + "gpu_pools[0].gpus_per_node"
    assert err.detail == (
        "h100 on azure comes with 8 GPUs per node (Standard_ND96isr_H100_v5); did you mean gpus_per_node: 8?"
    )


def test_gpus_per_node_suggests_the_nearest_of_several_shapes() -> None:
    err = refuse(
        with_pools(
            {
                **H100,
                "cloud": "azure",
                "region": "westeurope",
                "name": "a100",
                "accelerator": "a100-80gb",
                "gpus_per_node": 3,
            }
        )
    )
    assert err.key == PREFIX + "gpu_pools[0].gpus_per_node"
    assert "1, 2, 4 or 8 GPUs per node" in err.detail and "did you mean gpus_per_node: 4?" in err.detail


def test_machine_type_must_carry_the_accelerator() -> None:
    err = refuse(
        with_pools(
            {
                **H100,
                "cloud": "aws",
                "region": "eu-west-1",
                "accelerator": "a10g",
                "gpus_per_node": 1,
                "machine_type": "g4dn.xlarge",
            }
        )
    )
    assert err.key == PREFIX + "gpu_pools[0].machine_type"
    assert "it carries t4, not a10g" in err.detail and "g5.xlarge (1 GPU)" in err.detail


def test_machine_type_fixes_the_gpu_count() -> None:
    err = refuse(
        with_pools(
            {
                **H100,
                "cloud": "aws",
                "region": "eu-west-1",
                "accelerator": "a10g",
                "gpus_per_node": 1,
                "machine_type": "g5.12xlarge",
            }
        )
    )
    assert err.key == PREFIX + "gpu_pools[0].gpus_per_node"
    assert "g5.12xlarge carries 4 GPUs; did you mean gpus_per_node: 4?" in err.detail


def test_max_nodes_below_min_nodes() -> None:
    err = refuse(with_pools({**H100, "min_nodes": 5, "max_nodes": 4}))
    assert err.key == PREFIX + "gpu_pools[0].max_nodes"
    assert "did you mean max_nodes: 5?" in err.detail


def test_pool_on_a_disabled_cloud() -> None:
    spec = with_pools(H100)
    del spec["clouds"]["gcp"]
    err = refuse(spec)
    assert err.key == PREFIX + "gpu_pools[0].cloud"


def test_region_the_catalog_knows_the_shape_is_not_offered_in(monkeypatch: pytest.MonkeyPatch) -> None:
    cat = accelerators.catalog()
    shape = cat.shape("h100", "gcp", "a3-highgpu-8g")
    assert shape is not None
    narrowed = accelerators.Shape(**{**shape.__dict__, "regions": ("us-central1",)})
    h100 = cat.accelerators["h100"]
    patched = accelerators.Catalog(
        as_of=cat.as_of,
        currency=cat.currency,
        approximate=True,
        reference_regions=cat.reference_regions,
        sources=cat.sources,
        accelerators={
            **cat.accelerators,
            "h100": accelerators.Accelerator(
                name="h100", display=h100.display, memory_gb=h100.memory_gb, shapes={**h100.shapes, "gcp": (narrowed,)}
            ),
        },
    )
    monkeypatch.setattr(accelerators, "catalog", lambda: patched)
    err = refuse(with_pools(H100))
    assert err.key == PREFIX + "gpu_pools[0].region"
    assert "a3-highgpu-8g (h100) is not offered in europe-west4" in err.detail and "us-central1" in err.detail


def test_zones_must_belong_to_the_region() -> None:
    err = refuse(with_pools({**H100, "zones": ["europe-west4-b", "europe-west1-b"]}))
    assert err.key == PREFIX + "gpu_pools[0].zones[1]"
    assert accept(with_pools({**H100, "zones": ["europe-west4-b", "europe-west4-c"]})).gpu_pools[0].zones


def test_aks_pool_names_follow_aks_rules() -> None:
    err = refuse(with_pools({**H100, "cloud": "azure", "region": "westeurope", "name": "gpu-h100"}))
    assert err.key == PREFIX + "gpu_pools[0].name"
    assert "did you mean 'gpuh100'?" in err.detail


def test_driver_version_is_a_gke_setting() -> None:
    err = refuse(
        with_pools(
            {**H100, "cloud": "aws", "region": "eu-west-1", "accelerator": "h100", "gpu_driver_version": "LATEST"}
        )
    )
    assert err.key == PREFIX + "gpu_pools[0].gpu_driver_version"


def test_duplicate_pool_names_per_cloud() -> None:
    err = refuse(with_pools(H100, {**H100, "region": "europe-west1"}))
    assert err.key == PREFIX + "gpu_pools[1].name"


def test_price_override_needs_a_value() -> None:
    err = refuse(with_pools({**H100, "price_per_gpu_hour": {}}))
    assert err.key == PREFIX + "gpu_pools[0].price_per_gpu_hour"


# --- telemetry -----------------------------------------------------------------------------

TELEMETRY = {"enabled": True, "endpoint": "https://otlp.acme.example:4317", "headers": {"authorization": "otlpAuth"}}


@pytest.mark.parametrize(
    ("telemetry", "key", "fragment"),
    [
        ({"enabled": True}, "telemetry.endpoint", "has no endpoint"),
        ({**TELEMETRY, "endpoint": "http://otlp.acme.example:4317"}, "telemetry.endpoint", "only over TLS"),
        ({**TELEMETRY, "endpoint": "https://user:pw@otlp.acme.example"}, "telemetry.endpoint", "credentials"),
        ({**TELEMETRY, "endpoint": "https://otlp.acme.example/?token=x"}, "telemetry.endpoint", "query string"),
        (
            {**TELEMETRY, "endpoint": "https://otlp.acme.example:4317/v1"},
            "telemetry.endpoint",
            "gRPC endpoint has no path",
        ),
        (
            {**TELEMETRY, "headers": {"authorization": "Bearer abc123"}},
            "telemetry.headers.authorization",
            "never hold the header value",
        ),
        ({**TELEMETRY, "headers": {"x api key": "otlpKey"}}, "telemetry.headers.x api key", "not an HTTP header name"),
        ({**TELEMETRY, "protocol": "thrift"}, "telemetry.protocol", "is not allowed"),
        ({**TELEMETRY, "sampling_ratio": 1.5}, "telemetry.sampling_ratio", ""),
        ({**TELEMETRY, "image": "otel/opentelemetry-collector-contrib:latest"}, "telemetry.image", "never :latest"),
    ],
)
def test_telemetry_refusals(telemetry: dict[str, Any], key: str, fragment: str) -> None:
    err = refuse(with_pools(telemetry=telemetry))
    assert err.key == PREFIX + key
    assert fragment in err.detail


def test_native_backends_only_for_enabled_clouds() -> None:
    spec = with_pools(telemetry={**TELEMETRY, "native": ["aws", "azure"]})
    del spec["clouds"]["azure"]
    err = refuse(spec)
    assert err.key == PREFIX + "telemetry.native[1]"


def test_http_protocol_accepts_a_base_path() -> None:
    spec = accept(with_pools(telemetry={**TELEMETRY, "protocol": "http", "endpoint": "https://otlp.acme.example/otlp"}))
    assert spec.telemetry.env_var("x-api-key") == "OTLP_HEADER_X_API_KEY"


# --- through the CLI: exit 2 naming the key --------------------------------------------------


def _plan(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    old = os.getcwd()
    os.chdir(project)
    try:
        code = main(["plan", "--stack", "t", "--out", str(project / "out")])
    finally:
        os.chdir(old)
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("pool", "key", "fragment"),
    [
        ({**H100, "accelerator": "l40s", "gpus_per_node": 1}, "gpu_pools[0].accelerator", "not offered on gcp"),
        ({**H100, "region": "us-central1"}, "gpu_pools[0].region", "not one of clouds.gcp.regions"),
    ],
)
def test_cli_refuses_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], pool: dict[str, Any], key: str, fragment: str
) -> None:
    project = make_project(tmp_path / "p", {"t": foundation_config(with_pools(pool))})
    code, err = _plan(project, capsys)
    assert code == 2
    assert PREFIX + key in err and fragment in err
    assert "Traceback" not in err
    line = int(err.split("stacks/Pulumi.t.yaml:")[1].split(":")[0])
    text = (project / "stacks" / "Pulumi.t.yaml").read_text().splitlines()
    assert key.split(".")[-1] + ":" in text[line - 1]


def test_cli_refuses_a_header_key_that_is_not_a_secret(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = example_spec()
    spec["clouds"] = {"aws": spec["clouds"]["aws"]}
    spec["interconnect"] = {"topology": "none"}
    spec["telemetry"] = TELEMETRY
    config = {**foundation_config(spec), "landing-zone:otlpAuth": "Bearer in plain text"}
    project = make_project(tmp_path / "p", {"t": config})
    code, err = _plan(project, capsys)
    assert code == 2
    assert "landing-zone:otlpAuth" in err and "plain text" in err and "Bearer" not in err


def test_cli_refuses_a_missing_header_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = example_spec()
    spec["clouds"] = {"aws": spec["clouds"]["aws"]}
    spec["interconnect"] = {"topology": "none"}
    spec["telemetry"] = TELEMETRY
    config = foundation_config(spec)
    del config["landing-zone:otlpAuth"]  # the helper supplies it; this test is about its absence
    project = make_project(tmp_path / "p", {"t": config})
    code, err = _plan(project, capsys)
    assert code == 2
    assert "config key 'landing-zone:otlpAuth' (named by telemetry.headers.authorization) is not set" in err
    assert yaml.safe_load((project / "stacks" / "Pulumi.t.yaml").read_text())  # the file itself was fine


def test_a_cluster_nobody_could_use_is_refused() -> None:
    from lz.core.errors import InputError
    from lz.spec import load_landing_zone
    from tests.helpers import example_spec

    spec = example_spec()
    for role in spec["identity"]["roles"]:
        role["groups"].pop("azure", None)  # no role reaches Azure any more
    with pytest.raises(InputError) as exc:
        load_landing_zone(spec, file="f", namespace="landing-zone")
    assert "gpu_pools" in str(exc.value) and "nobody could use the AKS cluster" in str(exc.value)
    # a GCP-only pool needs no such role: GKE is reached through the project roles
    spec["gpu_pools"] = [p for p in spec["gpu_pools"] if p["cloud"] == "gcp"]
    load_landing_zone(spec, file="f", namespace="landing-zone")
