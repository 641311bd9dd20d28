"""The organization layer: hierarchy, vending, guardrails and budgets on each enabled cloud."""

from __future__ import annotations

import importlib
from typing import Any

import pulumi

from lz.spec.organization import Organization as OrganizationSpec

from ..base import component_opts
from .context import OrgContext


class Organization(pulumi.ComponentResource):
    """`lz:organization:Organization`: everything an organization stack creates hangs under this."""

    outputs: dict[str, Any]

    def __init__(self, name: str, spec: OrganizationSpec, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("lz:organization:Organization", name, None, opts)
        self.spec = spec
        self.contexts: dict[str, OrgContext] = {}
        self.outputs = {}
        for cloud in spec.clouds.enabled():
            module = importlib.import_module(f"lz.components.organization.{cloud}")
            ctx = OrgContext(spec=spec, cloud=cloud, provider=module.provider(spec, self))
            self.contexts[cloud] = ctx
            self.outputs[cloud] = module.build(ctx, component_opts(self, None))
        self.register_outputs({"clouds": sorted(self.outputs)})
