"""The `interconnect` key: how the enabled clouds are linked privately."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from .base import SpecError, StrictModel

if TYPE_CHECKING:
    from .foundation import LandingZone

Topology = Literal["full-mesh", "hub", "none"]
Transport = Literal["ha-vpn", "dedicated"]
CloudName = Literal["aws", "gcp", "azure"]


class Interconnect(StrictModel):
    topology: Topology = "none"
    transport: Transport = "ha-vpn"
    hub: CloudName | None = None


def check(lz: LandingZone) -> None:
    """Cross-field rules of `interconnect`, raised with their key path from the landing zone's root."""
    ic = lz.interconnect
    enabled = lz.clouds.enabled()
    if ic.topology != "none" and len(enabled) < 2:
        raise SpecError(("interconnect", "topology"),
                        f"{ic.topology!r} links clouds, but only {enabled[0]} is enabled; "
                        "enable a second cloud or set topology: none")
    if ic.topology == "hub":
        if ic.hub is None:
            raise SpecError(("interconnect", "hub"), "topology 'hub' needs hub: aws | gcp | azure")
        if ic.hub not in enabled:
            raise SpecError(("interconnect", "hub"), f"hub {ic.hub!r} is not an enabled cloud ({', '.join(enabled)})")
    elif ic.hub is not None:
        raise SpecError(("interconnect", "hub"), "hub applies only to topology 'hub'")
