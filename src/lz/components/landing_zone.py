"""The foundation landing zone: providers, then each enabled cloud's foundation, wired from one spec."""

from __future__ import annotations

import importlib
from typing import Any, cast

import pulumi

from lz.contracts.foundation import Foundations
from lz.spec import LandingZone as LandingZoneSpec

from .base import CloudContext, component_opts
from .providers import build_providers


class LandingZone(pulumi.ComponentResource):
    """`lz:foundation:LandingZone`: everything a foundation stack creates hangs under this."""

    outputs: dict[str, Any]

    def __init__(self, name: str, spec: LandingZoneSpec, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("lz:foundation:LandingZone", name, None, opts)
        self.spec = spec
        self.providers = build_providers(spec, self)
        self.contexts: dict[str, CloudContext] = {}
        self.outputs = {}
        for cloud in spec.clouds.enabled():
            ctx = CloudContext(spec=spec, cloud=cloud, providers=self.providers[cloud])
            self.contexts[cloud] = ctx
            # Each cloud's wiring lives in its own module, imported only when that cloud is enabled
            # (the provider SDKs are large).
            module = importlib.import_module(f"lz.components.foundation.{cloud}")
            self.outputs[cloud] = module.build(ctx, component_opts(self, None))
        # Each cloud's `build` returns that cloud's contract (lz.contracts.foundation).
        foundations = cast(Foundations, {cloud: self.outputs[cloud] for cloud in self.contexts})
        # Stages that build on every cloud's foundation: each reads the spec section it owns and
        # returns what waves and operators need from it.
        from . import gpu, identity, interconnect, paths, telemetry  # noqa: PLC0415
        from .paths import monitor as private_monitoring  # noqa: PLC0415

        for stage_name, stage in (
            ("identity", identity),
            ("interconnect", interconnect),
            ("paths", paths),
            ("gpu", gpu),
            ("telemetry", telemetry),
            ("private_monitoring", private_monitoring),
        ):
            self.outputs[stage_name] = stage.build(self.contexts, foundations, component_opts(self, None))
        self.register_outputs({"clouds": sorted(self.outputs)})
