"""What every migration component receives: the wave, the foundation it builds on, one cloud's providers.

`MigrationContext` plays the part `lz.components.base.CloudContext` plays for the foundation, for a
stack that does not own the landing zone: the foundation's spec arrives as the plain stack output
`spec` (organisation, environment, residency, tags, clouds and regions), and everything the
foundation created (keys, subnets, networks, identities) as `pulumi.Output`s of the stack output
`foundation.<cloud>`, read through typed views (`ctx.aws.region(r).kms_key_arn`, `ctx.gcp.project`)
whose keys are the foundation's contract (`lz.contracts.foundation`). Names, tags and protection are
decided here so every component says them the same way:

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

from lz.contracts.foundation import CLOUD_KEYS, REGION_KEYS
from lz.core import labels, naming
from lz.spec.wave import FoundationView, Wave

from ..base import select_provider


def lookup(data: Any, path: tuple[str, ...], *, stack: str) -> Any:
    """`data[path[0]][path[1]]...`, or a KeyError that names the missing foundation output."""
    current = data
    for i, part in enumerate(path):
        if not isinstance(current, Mapping) or part not in current:
            where = ".".join(path[: i + 1])
            raise KeyError(
                f"foundation stack {stack!r} exports no `{where}`: plan or update the foundation "
                "with this version of landing-zone first"
            )
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

    @property
    def aws(self) -> AwsValues:
        """`foundation.aws`, typed: `ctx.aws.account_id`, `ctx.aws.region(r).kms_key_arn`."""
        return AwsValues(self._of("aws"))

    @property
    def gcp(self) -> GcpValues:
        return GcpValues(self._of("gcp"))

    @property
    def azure(self) -> AzureValues:
        return AzureValues(self._of("azure"))

    def _of(self, cloud: str) -> MigrationContext:
        if cloud != self.cloud:
            raise ValueError(f"this context builds in {self.cloud}; it cannot read the {cloud} foundation's outputs")
        return self

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
        # A wave has no home region: a regional cloud (AWS) must always name the region.
        return select_provider(self.providers, self.cloud, region)

    def opts(
        self,
        parent: pulumi.Resource,
        *,
        region: str | None = None,
        data: bool = False,
        depends_on: list[pulumi.Resource] | None = None,
        **kwargs: Any,
    ) -> pulumi.ResourceOptions:
        """Parented, with this cloud's provider for `region`; data-bearing children are protected
        unless the wave runs as a disposable `test` environment."""
        return pulumi.ResourceOptions(
            parent=parent,
            provider=self.provider(region),
            protect=self.protect if data else None,
            depends_on=depends_on,
            **kwargs,
        )


# -- typed views of `foundation.<cloud>` --------------------------------------------------------------
# Each property names one key of the foundation's contract (lz.contracts.foundation); `_get` refuses a
# key the contract lacks, so a reader and the foundation cannot drift apart unnoticed. The values stay
# `pulumi.Output`s of the wave's StackReference; `lookup` names a key an older foundation lacks.
class _View:
    def __init__(self, ctx: MigrationContext, keys: frozenset[str], *path: str) -> None:
        self._ctx, self._keys, self._path = ctx, keys, path

    def _get(self, key: str) -> pulumi.Output[Any]:
        if key not in self._keys:
            raise KeyError(f"`{key}` is not in the {self._ctx.cloud} foundation's contract (lz.contracts.foundation)")
        return self._ctx.value(*self._path, key)


class AwsRegionValues(_View):
    @property
    def vpc_id(self) -> pulumi.Output[str]:
        return self._get("vpc_id")

    @property
    def vpc_cidr(self) -> pulumi.Output[str]:
        return self._get("vpc_cidr")

    @property
    def data_subnet_ids(self) -> pulumi.Output[list[str]]:
        return self._get("data_subnet_ids")

    @property
    def kms_key_arn(self) -> pulumi.Output[str]:
        return self._get("kms_key_arn")


class AwsValues(_View):
    def __init__(self, ctx: MigrationContext) -> None:
        super().__init__(ctx, CLOUD_KEYS["aws"])

    @property
    def account_id(self) -> pulumi.Output[str]:
        return self._get("account_id")

    def region(self, region: str) -> AwsRegionValues:
        return AwsRegionValues(self._ctx, REGION_KEYS["aws"], "regions", region)


class GcpRegionValues(_View):
    @property
    def kms_key_id(self) -> pulumi.Output[str]:
        return self._get("kms_key_id")


class GcpValues(_View):
    def __init__(self, ctx: MigrationContext) -> None:
        super().__init__(ctx, CLOUD_KEYS["gcp"])

    @property
    def project(self) -> pulumi.Output[str]:
        return self._get("project")

    @property
    def network_id(self) -> pulumi.Output[str]:
        return self._get("network_id")

    def region(self, region: str) -> GcpRegionValues:
        return GcpRegionValues(self._ctx, REGION_KEYS["gcp"], "regions", region)


class AzureRegionValues(_View):
    @property
    def identity_id(self) -> pulumi.Output[str]:
        return self._get("identity_id")

    @property
    def key_name(self) -> pulumi.Output[str]:
        return self._get("key_name")

    @property
    def key_vault_uri(self) -> pulumi.Output[str]:
        return self._get("key_vault_uri")

    @property
    def key_uri(self) -> pulumi.Output[str]:
        return self._get("key_uri")

    @property
    def data_subnet_id(self) -> pulumi.Output[str]:
        """The region's `data` subnet (`subnet_ids.data`)."""
        return self._get("subnet_ids").apply(lambda ids: ids["data"])


class AzureValues(_View):
    def __init__(self, ctx: MigrationContext) -> None:
        super().__init__(ctx, CLOUD_KEYS["azure"])

    @property
    def subscription_id(self) -> pulumi.Output[str]:
        return self._get("subscription_id")

    def region(self, region: str) -> AzureRegionValues:
        return AzureRegionValues(self._ctx, REGION_KEYS["azure"], "regions", region)
