"""The interconnect stage of a foundation (wired by `lz.components.landing_zone`).

`build` returns the stage's outputs (`foundation.interconnect`): the topology, every cloud's ASNs and
per link its regions and tunnel addresses. With `topology: none` nothing is built. Pre-shared keys
and other secrets never appear in them; pairing and service keys of the dedicated transport do, as
Pulumi secrets.
"""

from __future__ import annotations

from typing import Any

import pulumi

from lz.contracts.foundation import Foundations

from ..base import CloudContext


def build(contexts: dict[str, CloudContext], foundations: Foundations, opts: pulumi.ResourceOptions) -> dict[str, Any]:
    spec = next(iter(contexts.values())).spec
    ic = spec.interconnect
    if ic.topology == "none":
        return {"topology": "none", "transport": ic.transport, "links": []}
    from .interconnect import Interconnect  # noqa: PLC0415 - the provider SDKs load only when needed

    return Interconnect(f"{spec.organization}-{spec.environment}-interconnect", contexts, foundations, opts).outputs
