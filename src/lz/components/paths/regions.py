"""Connected regions: every regional network of a cloud joins its home region, and through it the other clouds.

GCP needs nothing: its VPC routes globally. For AWS and Azure, each region after the first is a
separate network, so (`lz:paths:ConnectedRegions`):

* AWS: a transit gateway peering from the home region's transit gateway to each other region's,
  accepted in that region. Peering attachments carry no propagated routes, so static ones are added
  (docs.aws.amazon.com/vpc/latest/tgw/tgw-peering.html, read 2026-12): the home transit gateway
  sends the region's block to the peering; the region's sends the RFC 1918 blocks holding the home
  block and the other clouds' supernets there (aggregates: less specific than the routes a region
  linked by the interconnect gets itself, so linking it later changes nothing here). The region's
  VPC route tables send the same aggregates to its transit gateway, and the home VPC's send the
  region's block to the home transit gateway.
* Azure: VNet peering both ways between each region's hub and the home hub. Where the interconnect
  put a VPN gateway in the home hub, the home side allows gateway transit and the region uses the
  remote gateway, so the region's prefixes are advertised to, and reach, the other clouds; the
  region's side is ordered after that gateway.

What it does not do: peer non-home
regions with each other (all traffic between them passes the home region), or inter-region
bandwidth limits and costs.
"""

from __future__ import annotations

import ipaddress
from typing import Any

import pulumi

from lz.core import cidr

from ..base import CloudContext


def _linked(ctx: CloudContext, cloud: str) -> list[str]:
    """The cloud's regions the interconnect links itself (default: the home region)."""
    ic = ctx.spec.interconnect
    if ic.topology == "none":
        return []
    chosen = getattr(ic.regions, cloud, None)
    return list(chosen) if chosen else [ctx.home_region]


def _vnet_name(vnet_id: Any) -> pulumi.Input[str]:
    """The VNet's name, the last segment of its resource id."""
    if isinstance(vnet_id, pulumi.Output):
        return vnet_id.apply(lambda v: str(v).rsplit("/", 1)[-1])
    return str(vnet_id).rsplit("/", 1)[-1]


class ConnectedRegions(pulumi.ComponentResource):
    """`lz:paths:ConnectedRegions`: AWS transit gateway peerings and Azure hub VNet peerings to the home region."""

    def __init__(
        self,
        name: str,
        contexts: dict[str, CloudContext],
        foundations: dict[str, dict[str, Any]],
        interconnect: dict[str, Any] | None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:paths:ConnectedRegions", name, None, opts)
        self.joined: dict[str, list[str]] = {}
        supernets = {cloud: str(ctx.cloud_spec.cidr) for cloud, ctx in contexts.items()}
        if "aws" in contexts and len(contexts["aws"].regions) > 1:
            self._aws(name, contexts["aws"], foundations["aws"], [s for c, s in supernets.items() if c != "aws"])
        if "azure" in contexts and len(contexts["azure"].regions) > 1:
            self._azure(name, contexts["azure"], foundations["azure"], (interconnect or {}).get("azure_gateways") or {})
        self.register_outputs({"joined": self.joined})

    def _aws(self, name: str, ctx: CloudContext, foundation: dict[str, Any], remote: list[str]) -> None:
        import pulumi_aws as aws  # noqa: PLC0415

        home = ctx.home_region
        regions = foundation["regions"]
        blocks = ctx.cloud_spec.region_blocks()
        # Toward home, the RFC 1918 blocks that hold the home block and the other clouds: one route
        # each, less specific than every VPC's own range and than the routes the interconnect
        # propagates or adds where it links a region itself, so linking one later renames nothing.
        wanted = [blocks[home], *(ipaddress.ip_network(s) for s in remote)]
        toward_home = [str(b) for b in cidr.RFC1918 if any(n.subnet_of(b) for n in wanted)]  # type: ignore[arg-type]
        for region in ctx.regions[1:]:
            peering = aws.ec2transitgateway.PeeringAttachment(
                f"{name}-aws-tgw-{region}",
                transit_gateway_id=regions[home]["transit_gateway_id"],
                peer_transit_gateway_id=regions[region]["transit_gateway_id"],
                peer_region=region,
                peer_account_id=ctx.cloud_spec.account_id,
                tags=ctx.tags_with(Name=ctx.physical("tgw-peering", ctx.region_code(home), ctx.region_code(region))),
                opts=ctx.opts(self, region=home),
            )
            accepter = aws.ec2transitgateway.PeeringAttachmentAccepter(
                f"{name}-aws-tgw-{region}-accept",
                transit_gateway_attachment_id=peering.id,
                tags=ctx.tags_with(Name=ctx.physical("tgw-peering", ctx.region_code(region), ctx.region_code(home))),
                opts=ctx.opts(self, region=region),
            )
            routes: list[tuple[str, str, str]] = [(home, region, str(blocks[region]))]
            routes += [(region, home, cidr) for cidr in toward_home]
            for where, other, dest in routes:
                key = f"{name}-aws-{where}-to-{other}-{dest.replace('/', '-')}"
                aws.ec2transitgateway.Route(
                    f"{key}-tgw",
                    destination_cidr_block=dest,
                    transit_gateway_attachment_id=peering.id,
                    transit_gateway_route_table_id=regions[where]["transit_gateway_route_table_id"],
                    opts=ctx.opts(self, region=where, depends_on=[accepter]),
                )
                for i, table in enumerate(regions[where]["route_table_ids"]):
                    aws.ec2.Route(
                        f"{key}-rt-{i}",
                        route_table_id=table,
                        destination_cidr_block=dest,
                        transit_gateway_id=regions[where]["transit_gateway_id"],
                        opts=ctx.opts(self, region=where, depends_on=[accepter]),
                    )
            self.joined.setdefault("aws", []).append(region)

    def _azure(self, name: str, ctx: CloudContext, foundation: dict[str, Any], gateways: dict[str, Any]) -> None:
        import pulumi_azure_native as azure_native  # noqa: PLC0415

        from lz.core import naming  # noqa: PLC0415

        home = ctx.home_region
        regions = foundation["regions"]
        gateway = gateways.get(home)
        gateway_id = gateway.get("id") if gateway is not None else None
        transit = gateway_id is not None
        home_vnet = regions[home]["vnet_id"]
        # The region's side waits for the home gateway: ARM refuses `useRemoteGateways` before it exists.
        remote_home = pulumi.Output.all(gateway_id, home_vnet).apply(lambda a: a[1]) if transit else home_vnet
        linked = _linked(ctx, "azure")
        for region in ctx.regions[1:]:
            net = regions[region]
            # A region the interconnect links has a gateway of its own, and a VNet with a gateway
            # cannot use a remote one.
            use_remote = transit and region not in linked
            code, home_code = ctx.region_code(region), ctx.region_code(home)
            azure_native.network.VirtualNetworkPeering(
                f"{name}-azure-{home}-to-{region}",
                virtual_network_peering_name=naming.slug("peer", home_code, "to", code, max_len=80),
                virtual_network_name=_vnet_name(home_vnet),
                resource_group_name=regions[home]["resource_group"],
                remote_virtual_network=azure_native.network.SubResourceArgs(id=net["vnet_id"]),
                allow_virtual_network_access=True,
                allow_forwarded_traffic=True,
                allow_gateway_transit=transit,
                use_remote_gateways=False,
                opts=ctx.opts(self, region=home),
            )
            azure_native.network.VirtualNetworkPeering(
                f"{name}-azure-{region}-to-{home}",
                virtual_network_peering_name=naming.slug("peer", code, "to", home_code, max_len=80),
                virtual_network_name=_vnet_name(net["vnet_id"]),
                resource_group_name=net["resource_group"],
                remote_virtual_network=azure_native.network.SubResourceArgs(id=remote_home),
                allow_virtual_network_access=True,
                allow_forwarded_traffic=True,
                allow_gateway_transit=False,
                use_remote_gateways=use_remote,
                opts=ctx.opts(self, region=region),
            )
            self.joined.setdefault("azure", []).append(region)
