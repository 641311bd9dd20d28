"""`lz:interconnect:AwsAzureVpn`: VPN with BGP between one AWS region's transit gateway and one Azure region.

Microsoft's documented AWS topology, built from both ends onto the region's shared active-active
gateway (`lz:interconnect:AzureVpnGateway`):

* AWS: two customer gateways, one per Azure gateway instance's public IP (with the Azure gateway's
  ASN), and two site-to-site VPN connections on the transit gateway, two tunnels each. The tunnels'
  inside /30s lie in Azure's APIPA range (169.254.21.0/24 for this pair): AWS takes the first
  address, Azure the second.
* Azure: one local network gateway per AWS tunnel (its outside address, the AWS side's BGP address
  and the transit gateway's ASN) and one IPsec connection to it with BGP, IKEv2, the landing zone's
  single IPsec policy, the tunnel's pre-shared key, and the custom APIPA addresses each gateway
  instance uses for it: the tunnel's own on the instance it lands on, and an address of the other
  instance for the standby path Azure always builds in active-active mode.

What it does not do: the Azure gateway itself (shared per region), routes on the AWS side (the
per-region component) or on Azure (BGP-learned routes reach the hub VNet's subnets by themselves).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_azure_native as azure_native

from lz.core import naming
from lz.core.interconnect_plan import Link, azure_instance

from ..base import CloudContext
from .aws_region import AwsRegionInterconnect
from .azure_gateway import AzureVpnGateway
from .common import AZURE_DPD_TIMEOUT_SECONDS, AZURE_IPSEC_POLICY, aws_tunnel_options, preshared_key

TUNNELS = 4
CONNECTIONS = 2


class AwsAzureVpn(pulumi.ComponentResource):
    """Four IKEv2 tunnels with BGP between an AWS transit gateway and an Azure VPN gateway."""

    customer_gateways: list[aws.ec2.CustomerGateway]
    connections: list[aws.ec2.VpnConnection]
    local_gateways: list[azure_native.network.LocalNetworkGateway]
    azure_connections: list[azure_native.network.VirtualNetworkGatewayConnection]

    def __init__(self, name: str, aws_ctx: CloudContext, azure_ctx: CloudContext, link: Link, *,
                 aws_region: AwsRegionInterconnect, gateway: AzureVpnGateway,
                 random_provider: pulumi.ProviderResource, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("lz:interconnect:AwsAzureVpn", name, None, opts)
        if link.pair != ("aws", "azure") or len(link.tunnels) != TUNNELS:
            raise ValueError(f"AwsAzureVpn needs an aws-azure link of {TUNNELS} tunnels, not {link.name}")
        a_region, z_region = link.region("aws"), link.region("azure")
        a_code, z_code = aws_ctx.region_code(a_region), azure_ctx.region_code(z_region)
        aws_asn = aws_region.asn

        keys = [preshared_key(f"{name}-psk-{t.index}", self, random_provider) for t in link.tunnels]

        self.customer_gateways = [
            aws.ec2.CustomerGateway(
                f"{name}-aws-cgw-{i}",
                bgp_asn=str(gateway.asn),
                ip_address=gateway.public_ip(i),
                type="ipsec.1",
                device_name=f"azure-{z_region}-vpn-gateway-instance{i}",
                tags=aws_ctx.tags_with(Name=aws_ctx.physical("cgw", "azure", z_code, str(i))),
                opts=aws_ctx.opts(self, region=a_region))
            for i in range(CONNECTIONS)
        ]
        self.connections = []
        for i in range(CONNECTIONS):
            first, second = link.tunnels[2 * i], link.tunnels[2 * i + 1]
            self.connections.append(aws.ec2.VpnConnection(
                f"{name}-aws-vpn-{i}",
                customer_gateway_id=self.customer_gateways[i].id,
                transit_gateway_id=aws_region.transit_gateway_id,
                type="ipsec.1",
                static_routes_only=False,
                tunnel_inside_ip_version="ipv4",
                **aws_tunnel_options(1, inside_cidr=str(first.inside), preshared_key=keys[first.index],
                                     log_group_arn=aws_region.log_group.arn),
                **aws_tunnel_options(2, inside_cidr=str(second.inside), preshared_key=keys[second.index],
                                     log_group_arn=aws_region.log_group.arn),
                tags=aws_ctx.tags_with(Name=aws_ctx.physical("vpn", "azure", z_code, str(i))),
                opts=aws_ctx.opts(self, region=a_region)))

        self.local_gateways, self.azure_connections = [], []
        for tunnel in link.tunnels:
            k = tunnel.index
            connection = self.connections[k // 2]
            outside = connection.tunnel1_address if k % 2 == 0 else connection.tunnel2_address
            lng = azure_native.network.LocalNetworkGateway(
                f"{name}-azure-lgw-{k}",
                local_network_gateway_name=naming.slug("lgw", azure_ctx.org, azure_ctx.env, z_code, "aws", a_code,
                                                       str(k), max_len=80),
                resource_group_name=gateway.resource_group,
                location=z_region,
                gateway_ip_address=outside,
                bgp_settings=azure_native.network.BgpSettingsArgs(
                    asn=aws_asn, bgp_peering_address=str(link.address("aws", tunnel))),
                tags=azure_ctx.tags,
                opts=azure_ctx.opts(self, region=z_region))
            self.local_gateways.append(lng)
            self.azure_connections.append(azure_native.network.VirtualNetworkGatewayConnection(
                f"{name}-azure-connection-{k}",
                virtual_network_gateway_connection_name=naming.slug("con", azure_ctx.org, azure_ctx.env, z_code,
                                                                    "aws", a_code, str(k), max_len=80),
                resource_group_name=gateway.resource_group,
                location=z_region,
                connection_type="IPsec",
                connection_protocol="IKEv2",
                connection_mode="Default",
                virtual_network_gateway1=azure_native.network.VirtualNetworkGatewayArgs(id=gateway.gateway.id),
                local_network_gateway2=azure_native.network.LocalNetworkGatewayArgs(id=lng.id),
                shared_key=keys[k],
                enable_bgp=True,
                use_policy_based_traffic_selectors=False,
                dpd_timeout_seconds=AZURE_DPD_TIMEOUT_SECONDS,
                ipsec_policies=[azure_native.network.IpsecPolicyArgs(**AZURE_IPSEC_POLICY)],
                gateway_custom_bgp_ip_addresses=gateway.custom_bgp_addresses(link, tunnel),
                tags=azure_ctx.tags,
                opts=azure_ctx.opts(self, region=z_region)))

        self.outputs: dict[str, Any] = {
            "pair": link.name,
            "regions": {"aws": a_region, "azure": z_region},
            "asns": {"aws": aws_asn, "azure": gateway.asn},
            "tunnels": [{"inside_cidr": str(t.inside), "aws_address": str(link.address("aws", t)),
                         "azure_address": str(link.address("azure", t)),
                         "azure_instance": azure_instance(link, t)} for t in link.tunnels],
            "aws_vpn_connection_ids": [c.id for c in self.connections],
            "azure_connection_ids": [c.id for c in self.azure_connections],
        }
        self.register_outputs(self.outputs)

