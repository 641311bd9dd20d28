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

from lz.core.interconnect_plan import Link, azure_instance

from ..base import CloudContext
from .aws_region import AwsRegionInterconnect
from .azure_gateway import AzureVpnGateway
from .common import preshared_key
from .vpn_ends import VpnPeer, aws_outside_address, aws_vpn_end, azure_vpn_end

TUNNELS = 4
CONNECTIONS = 2


class AwsAzureVpn(pulumi.ComponentResource):
    """Four IKEv2 tunnels with BGP between an AWS transit gateway and an Azure VPN gateway."""

    customer_gateways: list[aws.ec2.CustomerGateway]
    connections: list[aws.ec2.VpnConnection]
    local_gateways: list[azure_native.network.LocalNetworkGateway]
    azure_connections: list[azure_native.network.VirtualNetworkGatewayConnection]

    def __init__(
        self,
        name: str,
        aws_ctx: CloudContext,
        azure_ctx: CloudContext,
        link: Link,
        *,
        aws_region: AwsRegionInterconnect,
        gateway: AzureVpnGateway,
        random_provider: pulumi.ProviderResource,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:interconnect:AwsAzureVpn", name, None, opts)
        if link.pair != ("aws", "azure") or len(link.tunnels) != TUNNELS:
            raise ValueError(f"AwsAzureVpn needs an aws-azure link of {TUNNELS} tunnels, not {link.name}")
        a_region, z_region = link.region("aws"), link.region("azure")
        a_code, z_code = aws_ctx.region_code(a_region), azure_ctx.region_code(z_region)
        aws_asn = aws_region.asn

        keys = [preshared_key(f"{name}-psk-{t.index}", self, random_provider) for t in link.tunnels]

        self.customer_gateways, self.connections = aws_vpn_end(
            name,
            aws_ctx,
            self,
            link,
            region=aws_region,
            keys=keys,
            peer=VpnPeer(
                cloud="azure",
                region_code=z_code,
                asn=gateway.asn,
                addresses=[gateway.public_ip(i) for i in range(CONNECTIONS)],
                labels=[str(i) for i in range(CONNECTIONS)],
                device_names=[f"azure-{z_region}-vpn-gateway-instance{i}" for i in range(CONNECTIONS)],
            ),
        )
        self.local_gateways, self.azure_connections = azure_vpn_end(
            name,
            azure_ctx,
            self,
            link,
            gateway=gateway,
            keys=keys,
            peer=VpnPeer(
                cloud="aws",
                region_code=a_code,
                asn=aws_asn,
                addresses=[aws_outside_address(self.connections, t.index) for t in link.tunnels],
            ),
        )

        self.outputs: dict[str, Any] = {
            "pair": link.name,
            "regions": {"aws": a_region, "azure": z_region},
            "asns": {"aws": aws_asn, "azure": gateway.asn},
            "tunnels": [
                {
                    "inside_cidr": str(t.inside),
                    "aws_address": str(link.address("aws", t)),
                    "azure_address": str(link.address("azure", t)),
                    "azure_instance": azure_instance(link, t),
                }
                for t in link.tunnels
            ],
            "aws_vpn_connection_ids": [c.id for c in self.connections],
            "azure_connection_ids": [c.id for c in self.azure_connections],
        }
        self.register_outputs(self.outputs)
