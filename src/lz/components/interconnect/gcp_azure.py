"""`lz:interconnect:GcpAzureVpn`: HA VPN between one GCP region and one Azure region's active-active gateway.

Google's "one peer device with two public IP addresses" topology, which carries the HA VPN 99.99%
SLA, onto the Azure region's shared gateway (`lz:interconnect:AzureVpnGateway`):

* GCP: an HA VPN gateway, an external VPN gateway with TWO_IPS_REDUNDANCY (the Azure gateway
  instances' public IPs), and two tunnels, interface k to instance k, each with a BGP interface and
  peer on the region's Cloud Router advertising the GCP region blocks.
* Azure: one local network gateway per HA VPN interface (its address, the Cloud Router's BGP address
  on that tunnel and the router's ASN) and one IPsec connection to it: BGP, IKEv2, the landing zone's
  IPsec policy, the tunnel's pre-shared key, and custom APIPA addresses per instance.

Inside /30s come from 169.254.22.0/24 (`lz.core.interconnect_plan`): GCP takes the first address, Azure
the second, both inside Azure's APIPA range as Azure requires.

What it does not do: the Azure gateway (shared per region), the GCP firewall rule for the other
clouds (`lz:interconnect:GcpNetworkInterconnect`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_azure_native as azure_native
import pulumi_gcp as gcp

from lz.contracts.foundation import GcpFoundationOutputs
from lz.core.interconnect_plan import Link, azure_instance

from ..base import CloudContext
from .azure_gateway import AzureVpnGateway
from .common import preshared_key
from .vpn_ends import GcpTunnelEnd, VpnPeer, azure_vpn_end, gcp_ha_gateway, gcp_interface_ip, gcp_vpn_end

TUNNELS = 2


class GcpAzureVpn(pulumi.ComponentResource):
    """Two IKEv2 tunnels with BGP between a GCP Cloud Router and an Azure VPN gateway."""

    ha_gateway: gcp.compute.HaVpnGateway
    peer_gateway: gcp.compute.ExternalVpnGateway
    tunnels: list[gcp.compute.VPNTunnel]
    router_interfaces: list[gcp.compute.RouterInterface]
    bgp_peers: list[gcp.compute.RouterPeer]
    local_gateways: list[azure_native.network.LocalNetworkGateway]
    azure_connections: list[azure_native.network.VirtualNetworkGatewayConnection]

    def __init__(
        self,
        name: str,
        gcp_ctx: CloudContext,
        azure_ctx: CloudContext,
        link: Link,
        *,
        gcp_foundation: GcpFoundationOutputs,
        gateway: AzureVpnGateway,
        advertised: Sequence[ipaddress.IPv4Network],
        random_provider: pulumi.ProviderResource,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:interconnect:GcpAzureVpn", name, None, opts)
        if link.pair != ("gcp", "azure") or len(link.tunnels) != TUNNELS:
            raise ValueError(f"GcpAzureVpn needs a gcp-azure link of {TUNNELS} tunnels, not {link.name}")
        g_region, z_region = link.region("gcp"), link.region("azure")
        g_code, z_code = gcp_ctx.region_code(g_region), azure_ctx.region_code(z_region)
        gcp_net = gcp_foundation["regions"][g_region]
        router: pulumi.Input[str] = gcp_net["router_name"]
        gcp_asn: int = gcp_net["router_asn"]

        keys = [preshared_key(f"{name}-psk-{t.index}", self, random_provider) for t in link.tunnels]

        self.ha_gateway = gcp_ha_gateway(
            name,
            gcp_ctx,
            self,
            link,
            network_id=gcp_foundation["network_id"],
            peer_cloud="azure",
            peer_code=z_code,
            description=f"HA VPN to Azure {z_region} (active-active VPN gateway, ASN {gateway.asn})",
        )
        # HA VPN interface k to Azure gateway instance k (Google's two-address peer topology).
        self.peer_gateway, self.tunnels, self.router_interfaces, self.bgp_peers = gcp_vpn_end(
            name,
            gcp_ctx,
            self,
            link,
            ha_gateway=self.ha_gateway,
            router=router,
            keys=keys,
            advertised=advertised,
            peer=VpnPeer(
                cloud="azure",
                region_code=z_code,
                asn=gateway.asn,
                addresses=[gateway.public_ip(i) for i in range(TUNNELS)],
                description=f"The two instances of Azure {z_region}'s active-active VPN gateway",
            ),
            ends=lambda t: GcpTunnelEnd(
                ha_interface=t.index,
                peer_interface=azure_instance(link, t),
                description=f"To Azure {z_region}, gateway instance {azure_instance(link, t)} ({t.inside})",
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
                cloud="gcp",
                region_code=g_code,
                asn=gcp_asn,
                addresses=[gcp_interface_ip(self.ha_gateway, t.index) for t in link.tunnels],
            ),
        )

        self.outputs: dict[str, Any] = {
            "pair": link.name,
            "regions": {"gcp": g_region, "azure": z_region},
            "asns": {"gcp": gcp_asn, "azure": gateway.asn},
            "tunnels": [
                {
                    "inside_cidr": str(t.inside),
                    "gcp_address": str(link.address("gcp", t)),
                    "azure_address": str(link.address("azure", t)),
                    "azure_instance": azure_instance(link, t),
                }
                for t in link.tunnels
            ],
            "gcp_ha_vpn_gateway": self.ha_gateway.name,
            "azure_connection_ids": [c.id for c in self.azure_connections],
            "advertised_by_gcp": [str(n) for n in advertised],
        }
        self.register_outputs(self.outputs)
