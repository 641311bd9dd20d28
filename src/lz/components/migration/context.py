"""What every migration component receives: the wave, the foundation it builds on, one cloud's providers.

`MigrationContext` plays the part `lz.components.base.CloudContext` plays for the foundation, for a
stack that does not own the landing zone: the foundation's spec arrives as the plain stack output
`spec` (organisation, environment, residency, tags, clouds and regions), and everything the
foundation created (keys, subnets, networks, identities) as `pulumi.Output`s of the stack output
`foundation.<cloud>`, read with `value(...)`. Names, tags and protection are decided here so every
component says them the same way:

- tags: the foundation's tags, the wave's environment (a rehearsal overrides it with `test`),
  `wave: <name>`, the wave's extra tags; data-bearing resources add their data's classification
  and the migration markers (`lz.spec.wave.marker_tags`);
- physical names: `<org>-<env>-<wave>-<parts>`, within each cloud's limits, never random;
- `protect` on data-bearing resources unless the environment is `test`.

What it does not do: create providers (`lz.components.migration.providers`) or resources.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi

from lz.core import labels, naming
from lz.spec.wave import FoundationView, Wave


def lookup(data: Any, path: tuple[str, ...], *, stack: str) -> Any:
    """`data[path[0]][path[1]]...`, or a KeyError that names the missing foundation output."""
    current = data
    for i, part in enumerate(path):
        if not isinstance(current, Mapping) or part not in current:
            where = ".".join(path[: i + 1])
            raise KeyError(f"foundation stack {stack!r} exports no `{where}`: plan or update the foundation "
                           "with this version of landing-zone first")
        current = current[part]
    return current


@dataclass(frozen=True)
class MigrationContext:
    wave: Wave
    foundation: FoundationView
    cloud: str  # "aws" | "gcp" | "azure"
    outputs: pulumi.Output[Any]  # the foundation's stack output `foundation` (every cloud)
    providers: dict[str, pulumi.ProviderResource] = field(default_factory=dict)  # region ("" = cloud-wide)

    # -- the foundation's values ---------------------------------------------------------------
    def value(self, *path: str) -> pulumi.Output[Any]:
        """A value of `foundation.<cloud>`, e.g. `value("regions", "eu-west-1", "kms_key_arn")`."""
        stack = self.wave.foundation
        full = (self.cloud, *path)
        return self.outputs.apply(lambda data: lookup(data, full, stack=stack))

    def region_value(self, region: str, key: str) -> pulumi.Output[Any]:
        return self.value("regions", region, key)

    # -- identity of the stack -----------------------------------------------------------------
    @property
    def org(self) -> str:
        return self.foundation.organization

    @property
    def env(self) -> str:
        return self.wave.environment or self.foundation.environment

    @property
    def disposable(self) -> bool:
        return self.env == "test"

    @property
    def protect(self) -> bool:
        return not self.disposable

    def region_code(self, region: str) -> str:
        return naming.region_code(self.cloud, region)

    def physical(self, *parts: str, max_len: int = 63) -> str:
        return naming.slug(self.org, self.env, self.wave.name, *parts, max_len=max_len)

    # -- tags ----------------------------------------------------------------------------------
    def base_tags(self) -> dict[str, str]:
        tags = dict(self.foundation.tags)
        tags["environment"] = self.env
        tags["managed-by"] = labels.MANAGED_BY
        tags["wave"] = self.wave.name
        tags.update(self.wave.tags)
        return tags

    @property
    def tags(self) -> dict[str, str]:
        return labels.for_cloud(self.cloud, self.base_tags())

    def tags_with(self, extra: Mapping[str, str] | None = None, **more: str) -> dict[str, str]:
        merged = {**self.base_tags(), **(extra or {}), **more}
        return labels.for_cloud(self.cloud, merged)

    # -- options -------------------------------------------------------------------------------
    def provider(self, region: str | None = None) -> pulumi.ProviderResource:
        if region is not None and region in self.providers:
            return self.providers[region]
        if "" in self.providers:
            return self.providers[""]
        if region is None:
            return self.providers[sorted(self.providers)[0]]
        # A regional cloud (AWS) must never fall back to another region's provider silently.
        raise KeyError(f"no {self.cloud} provider for region {region!r} (have {', '.join(sorted(self.providers))})")

    def opts(self, parent: pulumi.Resource, *, region: str | None = None, data: bool = False,
             depends_on: list[pulumi.Resource] | None = None, **kwargs: Any) -> pulumi.ResourceOptions:
        """Parented, with this cloud's provider for `region`; data-bearing children are protected
        unless the wave runs as a disposable `test` environment."""
        return pulumi.ResourceOptions(parent=parent, provider=self.provider(region),
                                      protect=self.protect if data else None, depends_on=depends_on, **kwargs)
