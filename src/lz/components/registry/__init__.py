"""The registry part of the network-paths stage: the landing zone's images through registries it controls.

When `registries.mirror` is on, `build` (called by `lz.components.paths.build`) creates per enabled
cloud and region a cache of the upstream registries the zone's images come from
(`lz.components.registry.<cloud>`: ECR pull-through cache rules, Artifact Registry remote
repositories, an Azure Container Registry with cache rules and a private endpoint). Each cloud
module leaves a `Mirror` per region in `ctx.shared["registry"]`; the stages that run images (the
telemetry gateways, the GPU clusters' agents) call `mirror(ctx, region)` to rewrite an image name and
to wait for the cache, so the first pull finds its rule.

Image names are derived from the spec alone (`lz.core.registries`), so a rewritten name is known at
plan time and the same config gives the same graph. What it does not do: mirror images of
workloads the landing zone does not run (waves, users' clusters): those use the registry host the
stage output `foundation.paths.registries` names.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pulumi

from lz.contracts.foundation import Foundations, of_cloud

from ..base import CloudContext

SHARED_KEY = "registry"


@dataclass
class Mirror:
    """What a region's cache gives the workloads of that region."""

    host: str  # the registry host images are pulled from
    rewrite: Callable[[str], str]  # an upstream image name -> the cached one
    resources: list[pulumi.Resource] = field(default_factory=list)  # what a first pull waits for
    extra: dict[str, Any] = field(default_factory=dict)  # per cloud: ECR prefixes, ACR id, ...


def mirror(ctx: CloudContext, region: str) -> Mirror | None:
    """The region's cache, or None when images are pulled from their upstream as written."""
    regions: dict[str, Mirror] = ctx.shared.get(SHARED_KEY, {})
    return regions.get(region)


def image_for(ctx: CloudContext, region: str, image: str) -> tuple[str, list[pulumi.Resource]]:
    """(image name to run, resources its first pull waits for) in `region`."""
    m = mirror(ctx, region)
    if m is None:
        return image, []
    return m.rewrite(image), list(m.resources)


def build(contexts: dict[str, CloudContext], foundations: Foundations, opts: pulumi.ResourceOptions) -> dict[str, Any]:
    """Per cloud and region the registry host the zone's images come from; `{}` without `registries.mirror`."""
    if not contexts:
        return {}
    spec = next(iter(contexts.values())).spec
    if not spec.registries.mirror:
        return {}
    out: dict[str, Any] = {}
    for cloud, ctx in contexts.items():
        module = importlib.import_module(f"lz.components.registry.{cloud}")
        mirrors: dict[str, Mirror] = module.build(ctx, of_cloud(foundations, cloud), opts)
        ctx.shared[SHARED_KEY] = mirrors
        out[cloud] = {region: m.host for region, m in mirrors.items()}
    return out
