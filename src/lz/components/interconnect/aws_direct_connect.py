"""`lz:interconnect:AwsDirectConnect`: the AWS side of the dedicated transport.

A Direct Connect gateway (or the existing one the spec names) with its own private ASN, associated
with the transit gateway of every linked AWS region, allowing exactly that region's block to be
advertised; and one transit virtual interface per Direct Connect connection of the spec, on its
VLAN, peering with the exchange router's ASN and authenticated with a generated BGP MD5 key (a
secret). The connections themselves are the provider's (dedicated or hosted connections accepted in
the account) and are only referred to by id.

What it does not do: order or accept connections, or configure the exchange side (the provider's
cloud router that joins AWS to the other clouds' attachments).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from lz.contracts.foundation import AwsFoundationOutputs
from lz.core.interconnect_plan import DX_GATEWAY_ASN
from lz.spec.interconnect import DedicatedAws

from ..base import CloudContext

MAX_16_BIT_INT_ASN = 2147483647  # `bgp_asn` is a signed 32-bit integer; larger ASNs go in `bgp_asn_long`


class AwsDirectConnect(pulumi.ComponentResource):
    """Direct Connect gateway, transit gateway associations and transit virtual interfaces."""

    gateway: aws.directconnect.Gateway | None
    associations: dict[str, aws.directconnect.GatewayAssociation]
    interfaces: list[aws.directconnect.TransitVirtualInterface]

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        *,
        settings: DedicatedAws,
        foundation: AwsFoundationOutputs,
        regions: list[str],
        random_provider: pulumi.ProviderResource,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:interconnect:AwsDirectConnect", name, None, opts)
        home = ctx.home_region
        blocks = ctx.cloud_spec.region_blocks()
        if settings.gateway_id is None:
            self.gateway = aws.directconnect.Gateway(
                f"{name}-dx-gateway",
                name=ctx.physical("dxgw"),
                amazon_side_asn=str(DX_GATEWAY_ASN),
                tags=ctx.tags_with(Name=ctx.physical("dxgw")),
                opts=ctx.opts(self, region=home),
            )
            gateway_id: pulumi.Input[str] = self.gateway.id
        else:
            self.gateway = None
            gateway_id = settings.gateway_id
        self.associations = {
            region: aws.directconnect.GatewayAssociation(
                f"{name}-tgw-association-{region}",
                dx_gateway_id=gateway_id,
                associated_gateway_id=foundation["regions"][region]["transit_gateway_id"],
                allowed_prefixes=[str(blocks[region])],
                opts=ctx.opts(self, region=region),
            )
            for region in regions
        }
        self.interfaces = []
        for i, (connection_id, vlan) in enumerate(zip(settings.connection_ids, settings.vlans, strict=True)):
            auth = random.RandomPassword(
                f"{name}-bgp-key-{connection_id}",
                length=32,
                special=False,
                opts=pulumi.ResourceOptions(parent=self, provider=random_provider),
            )
            # Secret explicitly, not only through the provider's own marking of `result`.
            bgp_key: pulumi.Output[str] = pulumi.Output.secret(auth.result)
            asn: dict[str, Any] = (
                {"bgp_asn": settings.peer_asn}
                if settings.peer_asn <= MAX_16_BIT_INT_ASN
                else {"bgp_asn_long": str(settings.peer_asn)}
            )
            self.interfaces.append(
                aws.directconnect.TransitVirtualInterface(
                    f"{name}-transit-vif-{connection_id}",
                    name=ctx.physical("transit-vif", str(i)),
                    connection_id=connection_id,
                    dx_gateway_id=gateway_id,
                    vlan=vlan,
                    address_family="ipv4",
                    bgp_auth_key=bgp_key,
                    mtu=settings.mtu,
                    sitelink_enabled=False,
                    tags=ctx.tags_with(Name=ctx.physical("transit-vif", str(i))),
                    opts=ctx.opts(self, region=home),
                    **asn,
                )
            )
        self.outputs: dict[str, Any] = {
            "dx_gateway_id": gateway_id,
            "dx_gateway_asn": DX_GATEWAY_ASN,
            "associated_regions": list(regions),
            "transit_virtual_interface_ids": [vif.id for vif in self.interfaces],
        }
        self.register_outputs(self.outputs)
