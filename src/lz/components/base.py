"""What every component receives: the spec, the cloud it builds in, its tags, and its providers.

Components never read config or build providers themselves; they get a `CloudContext` and create
children with `ctx.opts(...)` so that every child is parented, carries the right provider, and
data-bearing children are protected from deletion outside disposable (`environment: test`) stacks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi

from lz.core import labels, naming
from lz.spec import LandingZone


@dataclass(frozen=True)
class CloudContext:
    spec: LandingZone
    cloud: str  # "aws" | "gcp" | "azure"
    providers: dict[str, pulumi.ProviderResource]  # region -> provider ("" for a cloud-wide one)
    extra_tags: dict[str, str] = field(default_factory=dict)
    # GCP: the project's API enablements (`gcp.projects.Service`), filled by the foundation once it
    # created them; every later child waits for them (see `opts`).
    apis: dict[str, pulumi.Resource] = field(default_factory=dict, compare=False, repr=False)
    # What one stage hands a later one in the same cloud (e.g. identity's AWS account assignments,
    # which the GPU clusters' access entries wait for).
    shared: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    # -- identity of the cloud ----------------------------------------------------------------
    @property
    def cloud_spec(self) -> Any:
        return self.spec.clouds.get(self.cloud)

    @property
    def regions(self) -> list[str]:
        return list(self.cloud_spec.regions)

    @property
    def home_region(self) -> str:
        """Where cloud-wide things (the audit store, the transit hub's peers) live: the first region."""
        return self.regions[0]

    @property
    def org(self) -> str:
        return self.spec.organization

    @property
    def env(self) -> str:
        return self.spec.environment

    @property
    def protect(self) -> bool:
        return not self.spec.disposable

    # -- tags ---------------------------------------------------------------------------------
    @property
    def tags(self) -> dict[str, str]:
        """The spec's tags plus environment and managed-by, normalised for this cloud."""
        return labels.for_cloud(self.cloud, self.spec.all_tags(self.extra_tags))

    def tags_with(self, **more: str) -> dict[str, str]:
        merged = {**self.spec.all_tags(self.extra_tags), **more}
        return labels.for_cloud(self.cloud, merged)

    # -- names --------------------------------------------------------------------------------
    def region_code(self, region: str) -> str:
        return naming.region_code(self.cloud, region)

    def physical(self, *parts: str, max_len: int = 63) -> str:
        """`<org>-<env>-<parts...>`, lower-case, within max_len."""
        return naming.slug(self.org, self.env, *parts, max_len=max_len)

    # -- options ------------------------------------------------------------------------------
    def provider(self, region: str | None = None) -> pulumi.ProviderResource:
        return select_provider(self.providers, self.cloud, region, default_region=self.home_region)

    def opts(
        self,
        parent: pulumi.Resource | None,
        *,
        region: str | None = None,
        data: bool = False,
        depends_on: list[pulumi.Resource] | None = None,
        **kwargs: Any,
    ) -> pulumi.ResourceOptions:
        """Options for a child: parented, with this cloud's provider for `region`.

        `data=True` marks a data-bearing resource (key, vault, bucket, log store, database): it is
        protected from deletion unless the stack is a disposable test environment.
        """
        # A call to a disabled Google API fails, and Pulumi creates unrelated resources in parallel:
        # every GCP resource made after the foundation enabled the project's APIs depends on them
        # (checked by the `deploy-api-enabled-first` policy).
        if self.apis:
            depends_on = [*(depends_on or []), *(self.apis[api] for api in sorted(self.apis))]
        return pulumi.ResourceOptions(
            parent=parent,
            provider=self.provider(region),
            protect=self.protect if data else None,
            depends_on=depends_on,
            **kwargs,
        )


def select_provider(
    providers: Mapping[str, pulumi.ProviderResource],
    cloud: str,
    region: str | None,
    *,
    default_region: str | None = None,
) -> pulumi.ProviderResource:
    """The provider for `region`, shared by the foundation's and the waves' contexts.

    A regional provider (AWS: one per region) when there is one; else the cloud-wide provider (key
    "", GCP's project and Azure's subscription, which serve every region). Without a region, the
    cloud-wide provider or `default_region`'s. A region with neither is refused: falling back to
    another region's provider would silently build in the wrong region.
    """
    if region is not None and region in providers:
        return providers[region]
    if "" in providers:
        return providers[""]
    if region is None and default_region is not None and default_region in providers:
        return providers[default_region]
    have = ", ".join(sorted(providers)) or "none"
    wanted = f"region {region!r}" if region is not None else "no region (and no cloud-wide provider)"
    raise KeyError(f"no {cloud} provider for {wanted} (have {have})")


def component_opts(parent: pulumi.Resource | None, opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions:
    return pulumi.ResourceOptions.merge(pulumi.ResourceOptions(parent=parent), opts)
