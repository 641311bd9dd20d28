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
from functools import partial
from typing import Any

import pulumi
import pulumi_azure_native as azure_native
import pulumi_gcp as gcp

from lz.contracts.foundation import GcpFoundationOutputs
from lz.core import naming
from lz.core.interconnect_plan import Link, azure_instance

from ..base import CloudContext
from .azure_gateway import AzureVpnGateway
from .common import AZURE_DPD_TIMEOUT_SECONDS, AZURE_IPSEC_POLICY, BGP_ROUTE_PRIORITY, GCP_IKE_VERSION, preshared_key

TUNNELS = 2


def _interface_ip(index: int, interfaces: Sequence[Any]) -> str:
    return str(interfaces[index].ip_address or "")


class GcpAzureVpn(pulumi.ComponentResource):
    """Two IKEv2 tunnels with BGP between a GCP Cloud Router and an Azure VPN gateway."""

    ha_gateway: gcp.compute.HaVpnGateway
    peer_gateway: gcp.compute.ExternalVpnGateway
    tunnels: list[gcp.compute.VPNTunnel]
    router_interfaces: list[gcp.compute.RouterInterface]
    bgp_peers: list[gcp.compute.RouterPeer]
    local_gateways: list[azure_native.network.LocalNetworkGateway]
    azure_connections: list[azure_native.network.VirtualNetworkGatewayConnection]

    def __init__(self, name: str, gcp_ctx: CloudContext, azure_ctx: CloudContext, link: Link, *,
                 gcp_foundation: GcpFoundationOutputs, gateway: AzureVpnGateway,
                 advertised: Sequence[ipaddress.IPv4Network], random_provider: pulumi.ProviderResource,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("lz:interconnect:GcpAzureVpn", name, None, opts)
        if link.pair != ("gcp", "azure") or len(link.tunnels) != TUNNELS:
            raise ValueError(f"GcpAzureVpn needs a gcp-azure link of {TUNNELS} tunnels, not {link.name}")
        g_region, z_region = link.region("gcp"), link.region("azure")
        g_code, z_code = gcp_ctx.region_code(g_region), azure_ctx.region_code(z_region)
        project = gcp_ctx.cloud_spec.project
        gcp_net = gcp_foundation["regions"][g_region]
        router: pulumi.Input[str] = gcp_net["router_name"]
        gcp_asn: int = gcp_net["router_asn"]

        def gcp_opts() -> pulumi.ResourceOptions:
            return gcp_ctx.opts(self, region=g_region)

        keys = [preshared_key(f"{name}-psk-{t.index}", self, random_provider) for t in link.tunnels]

        self.ha_gateway = gcp.compute.HaVpnGateway(
            f"{name}-gcp-gateway",
            name=gcp_ctx.physical("vpn", g_code, "azure", z_code),
            project=project,
            region=g_region,
            network=gcp_foundation["network_id"],
            stack_type="IPV4_ONLY",
            description=f"HA VPN to Azure {z_region} (active-active VPN gateway, ASN {gateway.asn})",
            labels=gcp_ctx.tags,
            opts=gcp_opts())
        self.peer_gateway = gcp.compute.ExternalVpnGateway(
            f"{name}-gcp-peer-gateway",
            name=gcp_ctx.physical("peer", "azure", z_code, g_code),
            project=project,
            redundancy_type="TWO_IPS_REDUNDANCY",
            description=f"The two instances of Azure {z_region}'s active-active VPN gateway",
            interfaces=[gcp.compute.ExternalVpnGatewayInterfaceArgs(id=i, ip_address=gateway.public_ip(i))
                        for i in range(TUNNELS)],
            labels=gcp_ctx.tags,
            opts=gcp_opts())

        self.tunnels, self.router_interfaces, self.bgp_peers = [], [], []
        self.local_gateways, self.azure_connections = [], []
        ranges = [gcp.compute.RouterPeerAdvertisedIpRangeArgs(range=str(net), description="landing-zone block")
                  for net in advertised]
        for tunnel in link.tunnels:
            k = tunnel.index
            instance = azure_instance(link, tunnel)
            own, peer = link.address("gcp", tunnel), link.peer_address("gcp", tunnel)
            vpn_tunnel = gcp.compute.VPNTunnel(
                f"{name}-gcp-tunnel-{k}",
                name=gcp_ctx.physical(g_code, "azure", z_code, f"t{k}"),
                project=project,
                region=g_region,
                vpn_gateway=self.ha_gateway.id,
                vpn_gateway_interface=k,
                peer_external_gateway=self.peer_gateway.id,
                peer_external_gateway_interface=instance,
                shared_secret=keys[k],
                router=router,
                ike_version=GCP_IKE_VERSION,
                description=f"To Azure {z_region}, gateway instance {instance} ({tunnel.inside})",
                labels=gcp_ctx.tags,
                opts=gcp_opts())
            interface = gcp.compute.RouterInterface(
                f"{name}-gcp-interface-{k}",
                name=gcp_ctx.physical(g_code, "azure", z_code, f"if{k}"),
                project=project,
                region=g_region,
                router=router,
                ip_range=f"{own}/{tunnel.inside.prefixlen}",
                vpn_tunnel=vpn_tunnel.name,
                opts=gcp_opts())
            self.bgp_peers.append(gcp.compute.RouterPeer(
                f"{name}-gcp-bgp-{k}",
                name=gcp_ctx.physical(g_code, "azure", z_code, f"bgp{k}"),
                project=project,
                region=g_region,
                router=router,
                interface=interface.name,
                ip_address=str(own),
                peer_ip_address=str(peer),
                peer_asn=gateway.asn,
                advertise_mode="CUSTOM",
                advertised_ip_ranges=ranges,
                advertised_route_priority=BGP_ROUTE_PRIORITY,
                opts=gcp_opts()))
            self.tunnels.append(vpn_tunnel)
            self.router_interfaces.append(interface)

            interface_ip = self.ha_gateway.vpn_interfaces.apply(partial(_interface_ip, k))
            lng = azure_native.network.LocalNetworkGateway(
                f"{name}-azure-lgw-{k}",
                local_network_gateway_name=naming.slug("lgw", azure_ctx.org, azure_ctx.env, z_code, "gcp", g_code,
                                                       str(k), max_len=80),
                resource_group_name=gateway.resource_group,
                location=z_region,
                gateway_ip_address=interface_ip,
                bgp_settings=azure_native.network.BgpSettingsArgs(asn=gcp_asn, bgp_peering_address=str(own)),
                tags=azure_ctx.tags,
                opts=azure_ctx.opts(self, region=z_region))
            self.local_gateways.append(lng)
            self.azure_connections.append(azure_native.network.VirtualNetworkGatewayConnection(
                f"{name}-azure-connection-{k}",
                virtual_network_gateway_connection_name=naming.slug("con", azure_ctx.org, azure_ctx.env, z_code,
                                                                    "gcp", g_code, str(k), max_len=80),
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
            "regions": {"gcp": g_region, "azure": z_region},
            "asns": {"gcp": gcp_asn, "azure": gateway.asn},
            "tunnels": [{"inside_cidr": str(t.inside), "gcp_address": str(link.address("gcp", t)),
                         "azure_address": str(link.address("azure", t)),
                         "azure_instance": azure_instance(link, t)} for t in link.tunnels],
            "gcp_ha_vpn_gateway": self.ha_gateway.name,
            "azure_connection_ids": [c.id for c in self.azure_connections],
            "advertised_by_gcp": [str(n) for n in advertised],
        }
        self.register_outputs(self.outputs)
