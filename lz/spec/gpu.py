"""The `gpu_pools` key: GPU node pools on EKS, GKE and AKS."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from .base import SpecError, StrictModel

if TYPE_CHECKING:
    from .foundation import LandingZone


class GpuPool(StrictModel):
    name: str = Field(pattern=r"^[a-z][a-z0-9-]{0,30}$")
    cloud: Literal["aws", "gcp", "azure"]
    region: str
    accelerator: str
    gpus_per_node: int = Field(ge=1, le=16)
    min_nodes: int = Field(default=0, ge=0, le=1000)
    max_nodes: int = Field(ge=1, le=1000)
    spot: bool = False

    @model_validator(mode="after")
    def _bounds(self) -> GpuPool:
        if self.max_nodes < self.min_nodes:
            raise SpecError(("max_nodes",), f"max_nodes ({self.max_nodes}) must be at least "
                            f"min_nodes ({self.min_nodes})")
        return self


def check(lz: LandingZone) -> None:
    """Each pool lives in an enabled cloud, in one of that cloud's regions, under a unique name."""
    seen: set[tuple[str, str]] = set()
    enabled = lz.clouds.enabled()
    for i, pool in enumerate(lz.gpu_pools):
        if pool.cloud not in enabled:
            raise SpecError(("gpu_pools", i, "cloud"), f"{pool.cloud!r} is not an enabled cloud ({', '.join(enabled)})")
        cloud = lz.clouds.get(pool.cloud)
        if pool.region not in cloud.regions:
            raise SpecError(("gpu_pools", i, "region"),
                            f"{pool.region!r} is not one of clouds.{pool.cloud}.regions ({', '.join(cloud.regions)})")
        if (pool.cloud, pool.name) in seen:
            raise SpecError(("gpu_pools", i, "name"), f"pool name {pool.name!r} is used twice on {pool.cloud}")
        seen.add((pool.cloud, pool.name))
