"""The `gpu_pools` key: GPU node pools on EKS, GKE and AKS."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import SpecError, StrictModel


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
