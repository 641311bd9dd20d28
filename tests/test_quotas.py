"""GPU quota needs at max_nodes: quota names and counts per cloud, merged per region, and the report table."""

from __future__ import annotations

from typing import Any

from lz.review import quotas
from lz.spec import LandingZone
from tests.helpers import example_spec


def spec_with(pools: list[dict[str, Any]]) -> LandingZone:
    data = example_spec()
    data["gpu_pools"] = pools
    return LandingZone.model_validate(data)


def pool(
    name: str, cloud: str, region: str, accelerator: str, gpus: int, max_nodes: int, spot: bool, **extra: Any
) -> dict[str, Any]:
    return {
        "name": name,
        "cloud": cloud,
        "region": region,
        "accelerator": accelerator,
        "gpus_per_node": gpus,
        "min_nodes": 0,
        "max_nodes": max_nodes,
        "spot": spot,
        **extra,
    }


def by_quota(spec: LandingZone) -> dict[tuple[str, str, str], quotas.Need]:
    return {(n.cloud, n.region, n.quota): n for n in quotas.needs(spec)}


def test_example_pools() -> None:
    found = by_quota(LandingZone.model_validate(example_spec()))
    # GCP h100: 8 GPUs x 4 nodes, spot -> the preemptible H100 metric, and a3-highgpu-8g's 208 vCPUs each
    assert found[("gcp", "europe-west4", "PREEMPTIBLE_NVIDIA_H100_GPUS")].count == 32
    assert found[("gcp", "europe-west4", "PREEMPTIBLE_CPUS")].count == 4 * 208
    # AWS a10g: g5.xlarge (4 vCPUs) x 4, spot -> All G and VT Spot Instance Requests
    aws = found[("aws", "eu-west-1", "L-3819A6DF")]
    assert aws.count == 16 and aws.unit == "vCPUs" and aws.pools == ("a10g",)
    # Azure spot counts against the regional spot vCPU quota, not the family's
    assert ("azure", "westeurope", "lowPriorityCores") in found


def test_on_demand_and_merging() -> None:
    spec = spec_with(
        [
            pool("p5a", "aws", "eu-west-1", "h100", 8, 2, False),
            pool("p5b", "aws", "eu-west-1", "h100", 8, 1, False),
            pool("t4", "gcp", "europe-west4", "t4", 1, 3, False),
            pool("nd", "azure", "westeurope", "h100", 8, 2, False),
        ]
    )
    found = by_quota(spec)
    p = found[("aws", "eu-west-1", "L-417A185B")]  # Running On-Demand P instances
    assert p.count == 3 * 192 and p.pools == ("p5a", "p5b")
    assert found[("gcp", "europe-west4", "NVIDIA_T4_GPUS")].count == 3
    nd = found[("azure", "westeurope", "standardNDSH100v5Family")]
    assert nd.count == 2 * 96
    assert "--resource-type dedicated" in nd.request and "value={total}" in nd.request


def test_markdown_names_quota_count_and_commands() -> None:
    text = quotas.quota_markdown(spec_with([pool("p5", "aws", "eu-west-1", "h100", 8, 2, True)]))
    assert "## GPU quotas at max_nodes" in text
    assert "`L-7212CCBC`" in text and "384 vCPUs" in text
    assert "--quota-code L-7212CCBC --desired-value 384 --region eu-west-1" in text
    assert quotas.quota_markdown(spec_with([])) == ""


def test_vcpus_per_machine_type() -> None:
    assert quotas.vcpus("aws", "p5.48xlarge") == 192
    assert quotas.vcpus("aws", "g5.xlarge") == 4
    assert quotas.vcpus("aws", "g4dn.metal") == 96
    assert quotas.vcpus("gcp", "g2-standard-24") == 24
    assert quotas.vcpus("gcp", "a3-highgpu-8g") == 208
    assert quotas.vcpus("azure", "Standard_NC24ads_A100_v4") == 24
