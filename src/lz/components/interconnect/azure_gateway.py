"""`lz:interconnect:AzureVpnGateway`: the one VPN gateway of an Azure region, shared by its links.

A region's hub VNet has one `GatewaySubnet` and it holds one VPN gateway, so every link that ends in
this region (to AWS, to GCP) terminates here. The gateway is route-based, active-active (two
instances, each with its own Standard, static, zone-redundant public IP) and speaks BGP with the
region's ASN from `lz.core.interconnect_plan`. Its BGP addresses are custom APIPA addresses (Azure's
169.254.21.0-169.254.22.255), one per tunnel that lands on each instance, taken from the plan; adding
a link adds addresses, it never moves one. SKU VpnGw2AZ (zone-redundant, 1.25 Gbps aggregate) in
regions with availability zones, VpnGw2 elsewhere, generation 2.

What it does not do: local network gateways and connections (each pair's component creates those on
this gateway), point-to-site VPN, ExpressRoute (the dedicated transport's).
"""

from __future__ import annotations

import pulumi
import pulumi_azure_native as azure_native

from lz.contracts.foundation import AzureFoundationOutputs
from lz.core import naming
from lz.core import regions as catalog
from lz.core.interconnect_plan import Link, Tunnel, azure_instance

from ..base import CloudContext
from .common import azure_ip_configuration_id

SKU_ZONAL = "VpnGw2AZ"
SKU_REGIONAL = "VpnGw2"
GENERATION = "Generation2"
INSTANCES = 2


class AzureVpnGateway(pulumi.ComponentResource):
    """Active-active, BGP-enabled VPN gateway in one Azure region's GatewaySubnet."""

    public_ips: list[azure_native.network.PublicIPAddress]
    gateway: azure_native.network.VirtualNetworkGateway

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        region: str,
        *,
        foundation: AzureFoundationOutputs,
        asn: int,
        apipa: tuple[list[str], list[str]],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:interconnect:AzureVpnGateway", name, None, opts)
        self.region = region
        self.asn = asn
        code = ctx.region_code(region)
        net = foundation["regions"][region]
        self.resource_group: pulumi.Input[str] = net["resource_group"]
        self.subscription_id: str = foundation["subscription_id"]
        zones = catalog.zones("azure", region)
        sku = SKU_ZONAL if zones else SKU_REGIONAL
        self.gateway_name = naming.slug("vgw", ctx.org, ctx.env, code, "hub", max_len=80)
        self.ip_configuration_names = [f"ipconfig-{i}" for i in range(INSTANCES)]

        self.public_ips = [
            azure_native.network.PublicIPAddress(
                f"{name}-pip-{i}",
                public_ip_address_name=naming.slug("pip", ctx.org, ctx.env, code, "vgw", str(i), max_len=80),
                resource_group_name=self.resource_group,
                location=region,
                sku=azure_native.network.PublicIPAddressSkuArgs(name="Standard", tier="Regional"),
                public_ip_allocation_method="Static",
                public_ip_address_version="IPv4",
                zones=list(zones) or None,
                idle_timeout_in_minutes=4,
                tags=ctx.tags,
                opts=ctx.opts(self, region=region),
            )
            for i in range(INSTANCES)
        ]
        self.ip_configuration_ids = [
            azure_ip_configuration_id(self.subscription_id, self.resource_group, self.gateway_name, cfg)
            for cfg in self.ip_configuration_names
        ]
        self.gateway = azure_native.network.VirtualNetworkGateway(
            f"{name}-vgw",
            virtual_network_gateway_name=self.gateway_name,
            resource_group_name=self.resource_group,
            location=region,
            gateway_type="Vpn",
            vpn_type="RouteBased",
            vpn_gateway_generation=GENERATION,
            sku=azure_native.network.VirtualNetworkGatewaySkuArgs(name=sku, tier=sku),
            active_active=True,
            enable_bgp=True,
            enable_private_ip_address=False,
            bgp_settings=azure_native.network.BgpSettingsArgs(
                asn=asn,
                peer_weight=0,
                bgp_peering_addresses=[
                    azure_native.network.IPConfigurationBgpPeeringAddressArgs(
                        ipconfiguration_id=self.ip_configuration_ids[i], custom_bgp_ip_addresses=list(apipa[i])
                    )
                    for i in range(INSTANCES)
                ],
            ),
            ip_configurations=[
                azure_native.network.VirtualNetworkGatewayIPConfigurationArgs(
                    name=self.ip_configuration_names[i],
                    private_ip_allocation_method="Dynamic",
                    public_ip_address=azure_native.network.SubResourceArgs(id=self.public_ips[i].id),
                    subnet=azure_native.network.SubResourceArgs(id=net["subnet_ids"]["gateway"]),
                )
                for i in range(INSTANCES)
            ],
            tags=ctx.tags,
            opts=ctx.opts(self, region=region),
        )
        self.register_outputs(
            {
                "gateway_id": self.gateway.id,
                "asn": asn,
                "public_ips": [ip.ip_address for ip in self.public_ips],
            }
        )

    def custom_bgp_addresses(
        self, link: Link, tunnel: Tunnel
    ) -> list[azure_native.network.GatewayCustomBgpIpAddressIpConfigurationArgs]:
        """Per instance, the APIPA address a connection for `tunnel` uses: the tunnel's own on the
        instance it lands on; on the other instance (which Azure also connects in active-active mode,
        as a standby path) the address of the tunnel at the same position there."""
        own = azure_instance(link, tunnel)
        mine = [t for t in link.tunnels if azure_instance(link, t) == own]
        theirs = [t for t in link.tunnels if azure_instance(link, t) != own]
        standby = theirs[min(mine.index(tunnel), len(theirs) - 1)] if theirs else tunnel
        by_instance = {own: link.address("azure", tunnel), 1 - own: link.address("azure", standby)}
        return [
            azure_native.network.GatewayCustomBgpIpAddressIpConfigurationArgs(
                ip_configuration_id=self.ip_configuration_ids[i], custom_bgp_ip_address=str(by_instance[i])
            )
            for i in range(INSTANCES)
        ]

    def public_ip(self, instance: int) -> pulumi.Output[str]:
        """The public IP of gateway instance 0 or 1 (a peer's tunnel endpoint)."""
        return self.public_ips[instance].ip_address.apply(lambda ip: ip or "")
