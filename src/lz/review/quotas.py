"""Quota and capacity a foundation's GPU pools need at `max_nodes`, per cloud, region and quota.

Fresh accounts, projects and subscriptions start with small or zero GPU quotas (spot H100/A100 and
G-family quotas are usually 0), and a node pool that cannot reach its maximum fails to scale, not to
deploy. `needs(spec)` sums, per quota, what every pool needs at its maximum; `quota_markdown(spec)`
renders that for `report.md` with the command that shows the current limit and the one that asks for
more.

Quotas as documented (read 2026-12):
- AWS EC2 counts running vCPUs per instance-family group and purchase option
  (https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html);
- GCP Compute Engine counts GPUs per model and region, preemptible/spot separately, plus CPUs
  (https://cloud.google.com/compute/resource-usage#gpu_quota);
- Azure counts vCPUs per VM family and region, spot against "Total Regional Spot vCPUs"
  (https://learn.microsoft.com/azure/virtual-machines/spot-vms#quota,
  https://learn.microsoft.com/azure/quotas/per-vm-quota-requests).

What it does not do: read the current limits (that needs the account), or count the CPU-only
system pools.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Any

from lz.core import accelerators

AS_OF = "2026-12"

# AWS: (on-demand quota, spot quota) by instance family letter. Service Quotas codes of EC2.
AWS_FAMILY_QUOTAS = {
    "p": (("L-417A185B", "Running On-Demand P instances"), ("L-7212CCBC", "All P Spot Instance Requests")),
    "g": (
        ("L-DB2E81BA", "Running On-Demand G and VT instances"),
        ("L-3819A6DF", "All G and VT Spot Instance Requests"),
    ),
}
_AWS_SIZE = re.compile(r"^[a-z0-9-]+\.(\d*)xlarge$")
_AWS_METAL_VCPUS = {"g4dn.metal": 96}

# GCP: the quota metric of a guest accelerator (preemptible/spot: PREEMPTIBLE_ prefix).
GCP_GPU_METRICS = {
    "nvidia-h200-141gb": "NVIDIA_H200_GPUS",
    "nvidia-h100-80gb": "NVIDIA_H100_GPUS",
    "nvidia-h100-mega-80gb": "NVIDIA_H100_MEGA_GPUS",
    "nvidia-a100-80gb": "NVIDIA_A100_80GB_GPUS",
    "nvidia-tesla-a100": "NVIDIA_A100_GPUS",
    "nvidia-l4": "NVIDIA_L4_GPUS",
    "nvidia-tesla-t4": "NVIDIA_T4_GPUS",
}
# vCPUs of the GCP machine types of the catalog (https://cloud.google.com/compute/docs/gpus)
_GCP_VCPUS = {
    "a3-ultragpu-8g": 224,
    "a3-highgpu-8g": 208,
    "a3-megagpu-8g": 208,
    "a2-ultragpu-1g": 12,
    "a2-ultragpu-2g": 24,
    "a2-ultragpu-4g": 48,
    "a2-ultragpu-8g": 96,
    "a2-highgpu-1g": 12,
    "a2-highgpu-2g": 24,
    "a2-highgpu-4g": 48,
    "a2-highgpu-8g": 96,
    "a2-megagpu-16g": 96,
}
_GCP_STANDARD = re.compile(r"^[a-z0-9]+-standard-(\d+)$")

# Azure: the vCPU quota family of a VM size (as `az vm list-usage` names it).
AZURE_FAMILIES = {
    "Standard_ND96isr_H200_v5": "standardNDSH200v5Family",
    "Standard_ND96isr_H100_v5": "standardNDSH100v5Family",
    "Standard_NC40ads_H100_v5": "standardNCadsH100v5Family",
    "Standard_NC80adis_H100_v5": "standardNCadsH100v5Family",
    "Standard_NC24ads_A100_v4": "standardNCADSA100v4Family",
    "Standard_NC48ads_A100_v4": "standardNCADSA100v4Family",
    "Standard_NC96ads_A100_v4": "standardNCADSA100v4Family",
    "Standard_ND96amsr_A100_v4": "standardNDAMSv4_A100Family",
    "Standard_ND96asr_v4": "standardNDASv4_A100Family",
    "Standard_NV36ads_A10_v5": "standardNVADSA10v5Family",
    "Standard_NV72ads_A10_v5": "standardNVADSA10v5Family",
    "Standard_NC4as_T4_v3": "standardNCASv3_T4Family",
    "Standard_NC64as_T4_v3": "standardNCASv3_T4Family",
}
AZURE_SPOT_QUOTA = "lowPriorityCores"
_AZURE_VCPUS = re.compile(r"^Standard_[A-Z]+(\d+)")


@dataclass(frozen=True)
class Need:
    cloud: str
    region: str
    quota: str  # code or metric name
    title: str
    unit: str  # "vCPUs" | "GPUs"
    count: int
    pools: tuple[str, ...]
    check: str  # shell command showing the current limit
    request: str  # shell command (or console address) asking for more


def vcpus(cloud: str, machine_type: str) -> int | None:
    if cloud == "aws":
        if machine_type in _AWS_METAL_VCPUS:
            return _AWS_METAL_VCPUS[machine_type]
        m = _AWS_SIZE.match(machine_type)
        return 4 * int(m.group(1) or 1) if m else None
    if cloud == "gcp":
        m = _GCP_STANDARD.match(machine_type)
        return int(m.group(1)) if m else _GCP_VCPUS.get(machine_type)
    m = _AZURE_VCPUS.match(machine_type)
    return int(m.group(1)) if m else None


def _q(value: str) -> str:
    return shlex.quote(value)


def _aws(pool: Any, shape: accelerators.Shape, ctx: dict[str, Any]) -> list[Need]:
    family = shape.machine_type[:1]
    quotas = AWS_FAMILY_QUOTAS.get(family)
    per_node = vcpus("aws", shape.machine_type)
    if quotas is None or per_node is None:
        return []
    code, title = quotas[1] if pool.spot else quotas[0]
    region = pool.region
    return [
        Need(
            "aws",
            region,
            code,
            title,
            "vCPUs",
            per_node * pool.max_nodes,
            (pool.name,),
            f"aws service-quotas get-service-quota --service-code ec2 --quota-code {code} --region {_q(region)}",
            f"aws service-quotas request-service-quota-increase --service-code ec2 --quota-code {code} "
            f"--desired-value {{total}} --region {_q(region)}",
        )
    ]


def _gcp(pool: Any, shape: accelerators.Shape, ctx: dict[str, Any]) -> list[Need]:
    project = str(ctx.get("project") or "PROJECT")
    region = pool.region
    out = []
    metric = GCP_GPU_METRICS.get(shape.accelerator_type or "")
    check = f"gcloud compute regions describe {_q(region)} --project {_q(project)} --format='json(quotas)'"
    request = f"https://console.cloud.google.com/iam-admin/quotas?project={project}"
    if metric:
        metric = f"PREEMPTIBLE_{metric}" if pool.spot else metric
        out.append(
            Need(
                "gcp",
                region,
                metric,
                f"{'spot ' if pool.spot else ''}{shape.accelerator} GPUs",
                "GPUs",
                shape.gpus * pool.max_nodes,
                (pool.name,),
                check,
                request,
            )
        )
    per_node = vcpus("gcp", shape.machine_type)
    if per_node:
        name = "PREEMPTIBLE_CPUS" if pool.spot else "CPUS"
        out.append(
            Need(
                "gcp",
                region,
                name,
                f"{'spot ' if pool.spot else ''}vCPUs",
                "vCPUs",
                per_node * pool.max_nodes,
                (pool.name,),
                check,
                request,
            )
        )
    return out


def _azure(pool: Any, shape: accelerators.Shape, ctx: dict[str, Any]) -> list[Need]:
    subscription = str(ctx.get("subscription_id") or "SUBSCRIPTION")
    region = pool.region
    per_node = vcpus("azure", shape.machine_type)
    family = AZURE_FAMILIES.get(shape.machine_type)
    if per_node is None or family is None:
        return []
    quota = AZURE_SPOT_QUOTA if pool.spot else family
    title = "Total Regional Spot vCPUs" if pool.spot else f"{family} vCPUs"
    scope = f"/subscriptions/{subscription}/providers/Microsoft.Compute/locations/{region}"
    return [
        Need(
            "azure",
            region,
            quota,
            title,
            "vCPUs",
            per_node * pool.max_nodes,
            (pool.name,),
            f"az vm list-usage --location {_q(region)} --subscription {_q(subscription)} "
            f"--query \"[?name.value=='{quota}']\" -o table",
            f"az quota update --resource-name {quota} --scope {_q(scope)} "
            f"--limit-object value={{total}} --resource-type {'lowPriority' if pool.spot else 'dedicated'}",
        )
    ]


_BY_CLOUD = {"aws": _aws, "gcp": _gcp, "azure": _azure}


def needs(spec: Any) -> list[Need]:
    """Per (cloud, region, quota): what all GPU pools need at max_nodes, pools named."""
    cat = accelerators.catalog()
    merged: dict[tuple[str, str, str], Need] = {}
    for pool in getattr(spec, "gpu_pools", None) or []:
        shape = accelerators.resolve(pool, cat)
        cloud_spec = spec.clouds.get(pool.cloud)
        ctx = {
            "project": getattr(cloud_spec, "project", None),
            "subscription_id": getattr(cloud_spec, "subscription_id", None),
        }
        for need in _BY_CLOUD[pool.cloud](pool, shape, ctx):
            key = (need.cloud, need.region, need.quota)
            if key in merged:
                old = merged[key]
                merged[key] = Need(
                    old.cloud,
                    old.region,
                    old.quota,
                    old.title,
                    old.unit,
                    old.count + need.count,
                    old.pools + need.pools,
                    old.check,
                    old.request,
                )
            else:
                merged[key] = need
    return [merged[k] for k in sorted(merged)]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def quota_markdown(spec: Any) -> str:
    rows = needs(spec)
    if not rows:
        return ""
    lines = [
        "## GPU quotas at max_nodes",
        "",
        "New accounts, projects and subscriptions usually have 0 for spot H100/A100 and G-family quotas; "
        "a pool that cannot reach its maximum stops scaling. What every pool needs at `max_nodes` "
        f"(quota names as documented, {AS_OF}; sources in `lz/quotas.py`):",
        "",
        "| cloud | region | quota | needs | pools | check | request |",
        "| --- | --- | --- | ---: | --- | --- | --- |",
    ]
    for n in rows:
        request = n.request.replace("{total}", str(n.count))
        lines.append(
            f"| {n.cloud} | {n.region} | `{n.quota}` ({_cell(n.title)}) | {n.count} {n.unit} | "
            f"{', '.join(n.pools)} | `{_cell(n.check)}` | `{_cell(request)}` |"
        )
    return "\n".join(lines) + "\n"
