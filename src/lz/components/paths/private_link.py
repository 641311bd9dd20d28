"""Azure Private Link, the two shapes every private service of the zone takes.

`linked_zone`: a `privatelink.*` private DNS zone in the home resource group, linked (without
auto-registration) to every hub VNet, so each region resolves the service's name to its private
endpoint. `private_endpoint`: an endpoint in a region's data subnet for one sub-resource (`group`)
of a service, with the DNS zone group that registers its address in the zones it names.

Used by the storage and vault endpoints, the Azure Monitor Private Link Scope, the registry caches
and the Azure OpenAI accounts, so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi_azure_native as azure_native

from lz.core import naming

from ..base import CloudContext


def linked_zone(
    logical: str,
    ctx: CloudContext,
    parent: pulumi.Resource,
    *,
    zone_name: str,
    link_key: str,
    regions: Mapping[str, Mapping[str, Any]],
    resource_group: pulumi.Input[str],
) -> tuple[azure_native.privatedns.PrivateZone, list[azure_native.privatedns.VirtualNetworkLink]]:
    """The zone `zone_name` (logical name `logical`) and its link to the VNet of every region."""
    zone = azure_native.privatedns.PrivateZone(
        logical,
        private_zone_name=zone_name,
        resource_group_name=resource_group,
        location="Global",
        tags=ctx.tags,
        opts=ctx.opts(parent),
    )
    links = [
        azure_native.privatedns.VirtualNetworkLink(
            f"{logical}-{region}",
            virtual_network_link_name=naming.slug(
                "vnl", ctx.org, ctx.env, ctx.region_code(region), link_key, max_len=80
            ),
            private_zone_name=zone.name,
            resource_group_name=resource_group,
            location="Global",
            virtual_network=azure_native.privatedns.SubResourceArgs(id=net["vnet_id"]),
            registration_enabled=False,
            tags=ctx.tags,
            opts=ctx.opts(parent),
        )
        for region, net in regions.items()
    ]
    return zone, links


def private_endpoint(
    logical: str,
    ctx: CloudContext,
    parent: pulumi.Resource,
    *,
    region: str,
    endpoint_name: str,
    net: Mapping[str, Any],
    target: pulumi.Input[str],
    group: str,
    zones: Sequence[tuple[str, azure_native.privatedns.PrivateZone]],
    resource_group: pulumi.Input[str] | None = None,
    dns_depends_on: Sequence[pulumi.Resource] = (),
) -> tuple[azure_native.network.PrivateEndpoint, azure_native.network.PrivateDnsZoneGroup]:
    """An endpoint for `group` of `target` in the data subnet of `net` (the region's network outputs),
    in `resource_group` (default the region's), and its DNS zone group over `zones` ((name, zone))."""
    rg = resource_group if resource_group is not None else net["resource_group"]
    endpoint = azure_native.network.PrivateEndpoint(
        logical,
        private_endpoint_name=endpoint_name,
        resource_group_name=rg,
        location=region,
        subnet=azure_native.network.SubnetArgs(id=net["subnet_ids"]["data"]),
        private_link_service_connections=[
            azure_native.network.PrivateLinkServiceConnectionArgs(
                name=endpoint_name, private_link_service_id=target, group_ids=[group]
            )
        ],
        tags=ctx.tags,
        opts=ctx.opts(parent, region=region),
    )
    dns = azure_native.network.PrivateDnsZoneGroup(
        f"{logical}-dns",
        private_dns_zone_group_name="default",
        private_endpoint_name=endpoint.name,
        resource_group_name=rg,
        private_dns_zone_configs=[
            azure_native.network.PrivateDnsZoneConfigArgs(name=zone_name.replace(".", "-"), private_dns_zone_id=zone.id)
            for zone_name, zone in zones
        ],
        opts=ctx.opts(parent, region=region, depends_on=list(dns_depends_on)),
    )
    return endpoint, dns
