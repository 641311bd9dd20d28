"""The gpu stage of a foundation (wired by `lz.components.landing_zone`): private GPU clusters and their pools.

For every enabled cloud that has `gpu_pools`, `build` imports `lz.components.gpu.<cloud>` and creates one
private managed cluster per region that hosts pools (EKS, GKE, AKS), with one node pool per spec
pool on the machine type the accelerator catalog chose. It returns, per cloud and region, what
operators and waves need: the cluster's name and private endpoint, each pool's machine type and
bounds, and, when telemetry is enabled, the OpenTelemetry agent DaemonSet manifest to apply to it.

The manifest is a stack output, not a resource: this project has no Kubernetes provider (the clusters'
API servers are private, so a plan-time provider could not reach them anyway). Install it with
`kubectl apply` or a GitOps tool from inside the network.

Shared here: the taint and labels every GPU node carries, and which networks may reach a cluster's
private API endpoint. What it does not do: workloads, GPU operators, device plugins beyond what each
cloud installs, or cluster access grants (identity's job).
"""

from __future__ import annotations

import importlib
from typing import Any

import pulumi

from lz.contracts.foundation import Foundations, of_cloud
from lz.spec.gpu import GpuPool

from ..base import CloudContext

GPU_TAINT_KEY = "nvidia.com/gpu"
GPU_TAINT_VALUE = "present"
LABEL_PREFIX = "landing-zone"


def gpu_labels(pool: GpuPool) -> dict[str, str]:
    """Kubernetes labels that name a GPU pool's accelerator, so workloads select it by what it is."""
    return {
        f"{LABEL_PREFIX}/accelerator": pool.accelerator,
        f"{LABEL_PREFIX}/gpu-pool": pool.name,
        f"{LABEL_PREFIX}/capacity": "spot" if pool.spot else "on-demand",
    }


def admin_cidrs(ctx: CloudContext) -> list[str]:
    """Networks that may reach a cluster's private API endpoint: the cloud's own supernet, and the
    other clouds' supernets when the interconnect links them."""
    cidrs = [str(ctx.cloud_spec.cidr)]
    if ctx.spec.interconnect.topology != "none":
        for cloud in ctx.spec.clouds.enabled():
            if cloud != ctx.cloud:
                cidrs.append(str(ctx.spec.clouds.get(cloud).cidr))
    return cidrs


def pools_by_region(ctx: CloudContext) -> dict[str, list[GpuPool]]:
    """The cloud's pools grouped by region, regions in the spec's order (stable names and outputs)."""
    pools = [p for p in ctx.spec.gpu_pools if p.cloud == ctx.cloud]
    return {
        region: [p for p in pools if p.region == region]
        for region in ctx.regions
        if any(p.region == region for p in pools)
    }


def build(contexts: dict[str, CloudContext], foundations: Foundations, opts: pulumi.ResourceOptions) -> dict[str, Any]:
    """One cluster per cloud and region that hosts pools; `{}` for clouds without pools."""
    outputs: dict[str, Any] = {}
    for cloud, ctx in contexts.items():
        regions = pools_by_region(ctx)
        if not regions:
            continue
        module = importlib.import_module(f"lz.components.gpu.{cloud}")
        outputs[cloud] = module.build(ctx, of_cloud(foundations, cloud), regions, opts)
    return outputs
