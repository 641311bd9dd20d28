"""The `interconnect` key: how the enabled clouds are linked privately."""

from __future__ import annotations

from typing import Literal

from .base import StrictModel

Topology = Literal["full-mesh", "hub", "none"]
Transport = Literal["ha-vpn", "dedicated"]
CloudName = Literal["aws", "gcp", "azure"]


class Interconnect(StrictModel):
    topology: Topology = "none"
    transport: Transport = "ha-vpn"
    hub: CloudName | None = None
