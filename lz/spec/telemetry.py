"""The `telemetry` key: OpenTelemetry collectors and where they export."""

from __future__ import annotations

from pydantic import Field

from typing import TYPE_CHECKING

from .base import StrictModel

if TYPE_CHECKING:
    from .foundation import LandingZone


class Telemetry(StrictModel):
    enabled: bool = False
    endpoint: str | None = Field(default=None, pattern=r"^https://[^\s/]+(:\d+)?(/\S*)?$")
    sampling_ratio: float = Field(default=1.0, ge=0.0, le=1.0)


def check(lz: LandingZone) -> None:
    """Cross-field rules of `telemetry` against the rest of the landing zone."""
    return None
