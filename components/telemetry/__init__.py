"""The telemetry stage of a foundation (wired by `components.landing_zone`)."""

from __future__ import annotations

from typing import Any

import pulumi

from ..base import CloudContext


def build(contexts: dict[str, CloudContext], foundations: dict[str, dict[str, Any]],
          opts: pulumi.ResourceOptions) -> dict[str, Any]:
    """Nothing is built until this stage is implemented; the spec refuses settings it cannot honour."""
    return {}
