"""`lz:interconnect:AzureExpressRoute`: the Azure side of the dedicated transport in one region.

An ExpressRoute circuit from the spec's connectivity provider, peering location and bandwidth
(metered data, Standard or Premium), and an ExpressRoute gateway in the region's GatewaySubnet
(ErGw1AZ where the region has zones) with a Standard, zone-redundant public IP for its management
plane. Once the provider has provisioned the circuit (`circuit_provisioned: true` in the spec) the
gateway is connected to it; before that a connection would fail. The circuit's service key, which
the provider needs, is a secret output.

What it does not do: private peering (a Layer 3 provider configures it), Global Reach, or a VPN
gateway (the transports are exclusive).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_azure_native as azure_native

from lz.contracts.foundation import AzureFoundationOutputs
from lz.core import naming
from lz.core import regions as catalog
from lz.spec.interconnect import DedicatedAzure

from ..base import CloudContext


class AzureExpressRoute(pulumi.ComponentResource):
    """ExpressRoute circuit, gateway and (once provisioned) their connection in one Azure region."""

    circuit: azure_native.network.ExpressRouteCircuit
    public_ip: azure_native.network.PublicIPAddress
    gateway: azure_native.network.VirtualNetworkGateway
    connection: azure_native.network.VirtualNetworkGatewayConnection | None

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        region: str,
        *,
        settings: DedicatedAzure,
        foundation: AzureFoundationOutputs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:interconnect:AzureExpressRoute", name, None, opts)
        code = ctx.region_code(region)
        net = foundation["regions"][region]
        rg = net["resource_group"]
        zones = catalog.zones("azure", region)
        sku = "ErGw1AZ" if zones else "Standard"

        self.circuit = azure_native.network.ExpressRouteCircuit(
            f"{name}-circuit",
            circuit_name=naming.slug("erc", ctx.org, ctx.env, code, max_len=80),
            resource_group_name=rg,
            location=region,
            sku=azure_native.network.ExpressRouteCircuitSkuArgs(
                name=f"{settings.sku_tier}_MeteredData", tier=settings.sku_tier, family="MeteredData"
            ),
            service_provider_properties=azure_native.network.ExpressRouteCircuitServiceProviderPropertiesArgs(
                service_provider_name=settings.service_provider,
                peering_location=settings.peering_location,
                bandwidth_in_mbps=settings.bandwidth_mbps,
            ),
            allow_classic_operations=False,
            tags=ctx.tags,
            opts=ctx.opts(self, region=region),
        )
        self.public_ip = azure_native.network.PublicIPAddress(
            f"{name}-pip",
            public_ip_address_name=naming.slug("pip", ctx.org, ctx.env, code, "ergw", max_len=80),
            resource_group_name=rg,
            location=region,
            sku=azure_native.network.PublicIPAddressSkuArgs(name="Standard", tier="Regional"),
            public_ip_allocation_method="Static",
            public_ip_address_version="IPv4",
            zones=list(zones) or None,
            tags=ctx.tags,
            opts=ctx.opts(self, region=region),
        )
        self.gateway = azure_native.network.VirtualNetworkGateway(
            f"{name}-gateway",
            virtual_network_gateway_name=naming.slug("ergw", ctx.org, ctx.env, code, "hub", max_len=80),
            resource_group_name=rg,
            location=region,
            gateway_type="ExpressRoute",
            sku=azure_native.network.VirtualNetworkGatewaySkuArgs(name=sku, tier=sku),
            ip_configurations=[
                azure_native.network.VirtualNetworkGatewayIPConfigurationArgs(
                    name="ipconfig-0",
                    private_ip_allocation_method="Dynamic",
                    public_ip_address=azure_native.network.SubResourceArgs(id=self.public_ip.id),
                    subnet=azure_native.network.SubResourceArgs(id=net["subnet_ids"]["gateway"]),
                )
            ],
            tags=ctx.tags,
            opts=ctx.opts(self, region=region),
        )
        self.connection = None
        if settings.circuit_provisioned:
            self.connection = azure_native.network.VirtualNetworkGatewayConnection(
                f"{name}-connection",
                virtual_network_gateway_connection_name=naming.slug("con", ctx.org, ctx.env, code, "er", max_len=80),
                resource_group_name=rg,
                location=region,
                connection_type="ExpressRoute",
                virtual_network_gateway1=azure_native.network.VirtualNetworkGatewayArgs(id=self.gateway.id),
                peer=azure_native.network.SubResourceArgs(id=self.circuit.id),
                routing_weight=0,
                tags=ctx.tags,
                opts=ctx.opts(self, region=region),
            )
        self.outputs: dict[str, Any] = {
            "region": region,
            "circuit_id": self.circuit.id,
            "service_key": pulumi.Output.secret(self.circuit.service_key),
            "connected": settings.circuit_provisioned,
        }
        self.register_outputs(self.outputs)
