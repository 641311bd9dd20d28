"""The `gpu_pools` key: GPU node pools on EKS, GKE and AKS, checked against the accelerator catalog.

A pool names what the architect wants ("8 x H100, spot, 0 to 4 nodes, in europe-west4"); the
catalog (`lz.core.accelerators`) turns it into a machine type. Field rules live on `GpuPool`; the rules
that need the rest of the landing zone (the cloud is enabled, the region is one of its regions) or
the catalog run in `check`, so every message names the exact key (`gpu_pools[2].gpus_per_node`) and
suggests the nearest valid choice.

What it does not decide: cluster shape, drivers or node images (components/gpu), prices (lz.review.cost).
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, Literal

from pydantic import Field, field_validator, model_validator

from lz.core import accelerators
from lz.core import regions as region_catalog
from lz.spec.base import SpecError, StrictModel

if TYPE_CHECKING:
    from lz.spec.foundation import LandingZone

# AKS agent pool names: 1-12 lower-case letters and digits, starting with a letter (Linux pools).
AKS_POOL_NAME = re.compile(r"^[a-z][a-z0-9]{0,11}$")
AKS_RESERVED_POOL_NAMES = ("system",)  # the cluster's own system pool
AWS_NETWORK_ZONES = 3  # components/network/aws.py spans the catalog's first three AZs of a region


class GpuPrice(StrictModel):
    """A negotiated price per GPU-hour (USD) that replaces the catalog's list price in the cost report."""

    on_demand: float | None = Field(default=None, gt=0, le=1000)
    """USD per GPU-hour on demand (0 to 1000); default the catalog's list price."""
    spot: float | None = Field(default=None, gt=0, le=1000)
    """USD per GPU-hour on spot (0 to 1000); default the catalog's spot price."""

    @model_validator(mode="after")
    def _one(self) -> GpuPrice:
        if self.on_demand is None and self.spot is None:
            raise ValueError("set on_demand, spot or both (USD per GPU-hour)")
        return self


class GpuPool(StrictModel):
    """A GPU node pool on the private managed cluster of its cloud and region, sized from the accelerator catalog."""

    name: str = Field(pattern=r"^[a-z][a-z0-9-]{0,30}$")
    """Pool name, `[a-z][a-z0-9-]{0,30}`, unique per cloud; on Azure an AKS agent pool name (1 to 12 lower-case
    letters and digits, not `system`)."""
    cloud: Literal["aws", "gcp", "azure"]
    """The cloud the pool runs on; must be enabled."""
    region: str
    """The region of the pool's cluster: one of that cloud's `regions`, where the accelerator is offered (as far as
    the dated catalog knows)."""
    accelerator: str
    """The GPU, in lower case, as named in `lz/data/accelerators.yaml` (`h100`, `l4`, ...); it must be offered on
    that cloud. Errors suggest the nearest valid choice."""
    gpus_per_node: int = Field(ge=1, le=16)
    """GPUs per node, 1 to 16; must be a count the accelerator comes in on that cloud (and match `machine_type` when
    it is given)."""
    min_nodes: int = Field(default=0, ge=0, le=1000)
    """Fewest nodes the autoscaler keeps, 0 to 1000; 0 lets the pool scale to zero when idle."""
    max_nodes: int = Field(ge=1, le=1000)
    """Most nodes the autoscaler adds, 1 to 1000, at least `min_nodes`; the cost report prices the pool at both
    bounds."""
    spot: bool = False
    """Run on spot (preemptible) capacity: cheaper, can be reclaimed at any time."""
    # A catalog machine type of this accelerator; without it the smallest shape with gpus_per_node GPUs.
    machine_type: str | None = None
    """A catalog machine type carrying this accelerator; default the smallest shape with `gpus_per_node` GPUs."""
    # Zones of the region the pool may use (GKE node locations, EKS subnets, AKS availability zones);
    # without them the pool spans the cluster's zones.
    zones: list[str] | None = Field(default=None, min_length=1, max_length=3)
    """Zones of the region the pool may use (1 to 3, each once; on AWS one of the first three AZs the network
    spans); default the cluster's zones."""
    disk_size_gb: int = Field(default=200, ge=50, le=4096)
    """Node boot disk size in GB, 50 to 4096; encrypted with the region's customer-managed key."""
    price_per_gpu_hour: GpuPrice | None = None
    """A negotiated price that replaces the catalog's list price in the cost report."""
    # GKE installs the NVIDIA driver itself; pinned explicitly, never left to GKE's choice of the day.
    gpu_driver_version: Literal["DEFAULT", "LATEST"] = "DEFAULT"
    """GKE only: which NVIDIA driver GKE installs (`DEFAULT` or `LATEST`), pinned explicitly. On EKS and AKS the
    driver comes with the node image."""

    @field_validator("accelerator")
    @classmethod
    def _lower(cls, value: str) -> str:
        if value != value.lower():
            raise ValueError(f"write accelerators in lower case: {value.lower()!r}")
        return value

    @field_validator("zones")
    @classmethod
    def _unique_zones(cls, value: list[str] | None) -> list[str] | None:
        if value is not None:
            for i, zone in enumerate(value):
                if zone in value[:i]:
                    raise SpecError((i,), f"zone {zone!r} is listed twice")
        return value

    @model_validator(mode="after")
    def _bounds(self) -> GpuPool:
        if self.max_nodes < self.min_nodes:
            raise SpecError(
                ("max_nodes",),
                f"max_nodes ({self.max_nodes}) must be at least "
                f"min_nodes ({self.min_nodes}); did you mean max_nodes: {self.min_nodes}?",
            )
        return self


def _plural(n: int) -> str:
    return f"{n} GPU{'s' if n != 1 else ''}"


def _counts(shapes: tuple[accelerators.Shape, ...]) -> str:
    counts = sorted({s.gpus for s in shapes})
    text = [str(c) for c in counts]
    return text[0] if len(text) == 1 else ", ".join(text[:-1]) + " or " + text[-1]


def _check_catalog(i: int, pool: GpuPool) -> None:
    cat = accelerators.catalog()
    base = ("gpu_pools", i)
    acc = cat.get(pool.accelerator)
    if acc is None:
        hint = cat.suggest(pool.accelerator)
        raise SpecError(
            base + ("accelerator",),
            f"unknown accelerator {pool.accelerator!r}"
            + (f"; did you mean {' or '.join(hint)}?" if hint else "")
            + f" The catalog knows: {', '.join(cat.names())}",
        )
    shapes = cat.shapes(pool.accelerator, pool.cloud)
    if not shapes:
        elsewhere = cat.clouds_of(pool.accelerator)
        raise SpecError(
            base + ("accelerator",),
            f"{pool.accelerator} is not offered on {pool.cloud}"
            + (f" (only on {', '.join(elsewhere)})" if elsewhere else "")
            + f"; on {pool.cloud} choose one of: {', '.join(cat.on_cloud(pool.cloud))}",
        )
    if pool.machine_type is not None:
        shape = cat.shape(pool.accelerator, pool.cloud, pool.machine_type)
        if shape is None:
            other = cat.find_machine(pool.cloud, pool.machine_type)
            why = (
                f"it carries {other.accelerator}, not {pool.accelerator}"
                if other
                else f"the catalog has no such {pool.cloud} machine type"
            )
            close = difflib.get_close_matches(pool.machine_type, [s.machine_type for s in shapes], n=1, cutoff=0.4)
            raise SpecError(
                base + ("machine_type",),
                f"{pool.machine_type!r} does not fit accelerator {pool.accelerator} ({why}); "
                + (f"did you mean {close[0]!r}? " if close else "")
                + f"{pool.accelerator} on {pool.cloud}: {accelerators.shape_list(shapes)}",
            )
        if shape.gpus != pool.gpus_per_node:
            raise SpecError(
                base + ("gpus_per_node",),
                f"{shape.machine_type} carries {_plural(shape.gpus)}; did you mean gpus_per_node: {shape.gpus}?",
            )
    else:
        shape = cat.shape_for(pool.accelerator, pool.cloud, pool.gpus_per_node)
        if shape is None:
            near = cat.nearest(pool.accelerator, pool.cloud, pool.gpus_per_node)
            assert near is not None  # shapes is not empty
            where = f"({near.machine_type})" if len(shapes) == 1 else f"({accelerators.shape_list(shapes)})"
            raise SpecError(
                base + ("gpus_per_node",),
                f"{pool.accelerator} on {pool.cloud} comes with {_counts(shapes)} GPUs per node "
                f"{where}; did you mean gpus_per_node: {near.gpus}?",
            )
    if shape.offered_in(pool.region) is False:
        assert shape.regions is not None
        raise SpecError(
            base + ("region",),
            f"{shape.machine_type} ({pool.accelerator}) is not offered in {pool.region} according to "
            f"the accelerator catalog (as of {cat.as_of}); it is offered in "
            f"{', '.join(shape.regions)}. If that has changed, add the region to "
            "lz/data/accelerators.yaml",
        )


def _check_zones(i: int, pool: GpuPool) -> None:
    if pool.zones is None:
        return
    known = region_catalog.zones(pool.cloud, pool.region)
    if pool.cloud == "aws":
        known = known[:AWS_NETWORK_ZONES]
    for j, zone in enumerate(pool.zones):
        if zone not in known:
            raise SpecError(
                ("gpu_pools", i, "zones", j),
                f"{zone!r} is not a zone of {pool.region} the landing zone uses; choose from "
                f"{', '.join(known) or 'none (the catalog lists no zones for this region)'}",
            )


def check(lz: LandingZone) -> None:
    """Each pool lives in an enabled cloud, in one of its regions, on a catalog shape, under a unique name."""
    seen: set[tuple[str, str]] = set()
    enabled = lz.clouds.enabled()
    for i, pool in enumerate(lz.gpu_pools):
        if pool.cloud not in enabled:
            raise SpecError(("gpu_pools", i, "cloud"), f"{pool.cloud!r} is not an enabled cloud ({', '.join(enabled)})")
        cloud = lz.clouds.get(pool.cloud)
        if pool.region not in cloud.regions:
            close = difflib.get_close_matches(pool.region, list(cloud.regions), n=1, cutoff=0.6)
            raise SpecError(
                ("gpu_pools", i, "region"),
                f"{pool.region!r} is not one of clouds.{pool.cloud}.regions ({', '.join(cloud.regions)})"
                + (f"; did you mean {close[0]!r}?" if close else ""),
            )
        if (pool.cloud, pool.name) in seen:
            raise SpecError(("gpu_pools", i, "name"), f"pool name {pool.name!r} is used twice on {pool.cloud}")
        seen.add((pool.cloud, pool.name))
        if pool.cloud == "azure":
            if not AKS_POOL_NAME.match(pool.name) or pool.name in AKS_RESERVED_POOL_NAMES:
                suggestion = re.sub(r"[^a-z0-9]", "", pool.name)[:12]
                raise SpecError(
                    ("gpu_pools", i, "name"),
                    f"{pool.name!r} cannot name an AKS agent pool: 1-12 lower-case letters and digits, "
                    "starting with a letter, and not 'system'"
                    + (f"; did you mean {suggestion!r}?" if suggestion and suggestion != "system" else ""),
                )
        if pool.cloud != "gcp" and "gpu_driver_version" in pool.model_fields_set:
            raise SpecError(
                ("gpu_pools", i, "gpu_driver_version"),
                f"applies to gcp pools only: on {pool.cloud} the NVIDIA driver comes with the node image "
                f"({'the EKS AL2023 NVIDIA AMI' if pool.cloud == 'aws' else 'the AKS GPU node image'})",
            )
        _check_zones(i, pool)
        _check_catalog(i, pool)
    _check_cluster_users(lz)


# EKS runs without the creator's bootstrap admin and AKS without local accounts (lz.components.gpu.access):
# a cluster is usable only through a role of the catalog with a `kubernetes` grant and a group there.
# GKE is reached through the GCP grants' project roles.
_ACCESS_GRANTS = "administrator, ml-develop, read-only or security-audit"


def _check_cluster_users(lz: LandingZone) -> None:
    done: set[str] = set()
    for i, pool in enumerate(lz.gpu_pools):
        if pool.cloud == "gcp" or pool.cloud in done:
            continue
        done.add(pool.cloud)
        if not any(
            role.kubernetes_access and getattr(role.groups, pool.cloud) is not None for role in lz.identity.roles
        ):
            kind = "EKS" if pool.cloud == "aws" else "AKS"
            raise SpecError(
                ("gpu_pools", i, "cloud"),
                f"nobody could use the {kind} cluster of this pool: give a role of identity.roles a grant "
                f"with cluster access ({_ACCESS_GRANTS}) and a groups.{pool.cloud} group",
            )
