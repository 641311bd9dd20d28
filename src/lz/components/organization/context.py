"""What every organization component receives: the organization spec, the cloud, its tags and provider.

The organization's counterpart of `lz.components.base.CloudContext` (which is built on a foundation
spec): children are parented and carry the cloud's explicit provider, and what holds data or
cannot be recreated (accounts, projects, subscriptions, log stores) is protected from deletion
outside `environment: test`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi

from lz.core import labels, naming
from lz.spec.organization import Organization


@dataclass(frozen=True)
class OrgContext:
    spec: Organization
    cloud: str
    provider: pulumi.ProviderResource

    @property
    def cloud_spec(self) -> Any:
        return self.spec.clouds.get(self.cloud)

    @property
    def org(self) -> str:
        return self.spec.organization

    @property
    def protect(self) -> bool:
        return not self.spec.disposable

    @property
    def tags(self) -> dict[str, str]:
        return labels.for_cloud(self.cloud, self.spec.all_tags())

    def tags_with(self, **more: str) -> dict[str, str]:
        return labels.for_cloud(self.cloud, {**self.spec.all_tags(), **more})

    def physical(self, *parts: str, max_len: int = 63) -> str:
        """`<org>-<parts...>`: an organization is not per environment."""
        return naming.slug(self.org, *parts, max_len=max_len)

    def opts(
        self,
        parent: pulumi.Resource,
        *,
        data: bool = False,
        provider: pulumi.ProviderResource | None = None,
        **kwargs: Any,
    ) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(
            parent=parent, provider=provider or self.provider, protect=self.protect if data else None, **kwargs
        )
