"""One VPN end per cloud, built once and composed by the pair components (`aws_gcp`, `aws_azure`, `gcp_azure`).

Each builder makes one cloud's half of a link and knows nothing about the other cloud's resources:
the far side comes in as a `VpnPeer` (which cloud, its region code, its ASN and its outside
addresses), the way Fabric's `net-vpn-ha` module takes its peer gateway as data. The pair files
only wire the ends: who needs whose addresses first, and which tunnel lands on which interface.

* `aws_vpn_end`: two customer gateways (one per peer address) and two site-to-site VPN connections
  on the region's transit gateway, two tunnels each (tunnel k is connection k // 2, its tunnel
  k % 2 + 1); `aws_outside_address` names a tunnel's AWS endpoint.
* `gcp_ha_gateway` + `gcp_vpn_end`: the HA VPN gateway (made first: the peer needs its interface
  addresses), then the external gateway for the peer, and per tunnel the tunnel, a Cloud Router
  interface and a BGP peer advertising the landing-zone blocks.
* `azure_vpn_end`: per tunnel a local network gateway (the peer's outside address and BGP address)
  and an IPsec connection on the region's shared active-active gateway.

Logical and physical names are those the pair components always had, so graphs do not change.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_azure_native as azure_native
import pulumi_gcp as gcp

from lz.core import naming
from lz.core.interconnect_plan import Link, Tunnel

from ..base import CloudContext
from .aws_region import AwsRegionInterconnect
from .azure_gateway import AzureVpnGateway
from .common import (
    AZURE_DPD_TIMEOUT_SECONDS,
    AZURE_IPSEC_POLICY,
    BGP_ROUTE_PRIORITY,
    GCP_IKE_VERSION,
    aws_tunnel_options,
)

AWS_CONNECTIONS = 2
GCP_REDUNDANCY = {2: "TWO_IPS_REDUNDANCY", 4: "FOUR_IPS_REDUNDANCY"}


@dataclass(frozen=True)
class VpnPeer:
    """The far end of a link as one cloud's end sees it.

    `addresses` are the peer's outside addresses: per peer interface for AWS customer gateways and
    GCP external gateways, per tunnel for Azure local network gateways. `labels` and `device_names`
    name the AWS customer gateways (one per address); `description` is the GCP external gateway's.
    """

    cloud: str
    region_code: str
    asn: int
    addresses: Sequence[pulumi.Input[str]]
    labels: Sequence[str] = ()
    device_names: Sequence[str] = ()
    description: str = ""


@dataclass(frozen=True)
class GcpTunnelEnd:
    """Where one tunnel sits on the GCP side: its HA VPN interface, the peer's interface, a description."""

    ha_interface: int
    peer_interface: int
    description: str


# --- AWS ------------------------------------------------------------------------------------------


def aws_vpn_end(
    name: str,
    ctx: CloudContext,
    parent: pulumi.Resource,
    link: Link,
    *,
    region: AwsRegionInterconnect,
    peer: VpnPeer,
    keys: Sequence[pulumi.Input[str]],
) -> tuple[list[aws.ec2.CustomerGateway], list[aws.ec2.VpnConnection]]:
    a_region = link.region("aws")

    def opts() -> pulumi.ResourceOptions:
        return ctx.opts(parent, region=a_region)

    customer_gateways = [
        aws.ec2.CustomerGateway(
            f"{name}-aws-cgw-{i}",
            bgp_asn=str(peer.asn),
            ip_address=peer.addresses[i],
            type="ipsec.1",
            device_name=peer.device_names[i],
            tags=ctx.tags_with(Name=ctx.physical("cgw", peer.cloud, peer.region_code, peer.labels[i])),
            opts=opts(),
        )
        for i in range(AWS_CONNECTIONS)
    ]
    connections = []
    for i in range(AWS_CONNECTIONS):
        first, second = link.tunnels[2 * i], link.tunnels[2 * i + 1]
        connections.append(
            aws.ec2.VpnConnection(
                f"{name}-aws-vpn-{i}",
                customer_gateway_id=customer_gateways[i].id,
                transit_gateway_id=region.transit_gateway_id,
                type="ipsec.1",
                static_routes_only=False,
                tunnel_inside_ip_version="ipv4",
                **aws_tunnel_options(
                    1,
                    inside_cidr=str(first.inside),
                    preshared_key=keys[first.index],
                    log_group_arn=region.log_group.arn,
                ),
                **aws_tunnel_options(
                    2,
                    inside_cidr=str(second.inside),
                    preshared_key=keys[second.index],
                    log_group_arn=region.log_group.arn,
                ),
                tags=ctx.tags_with(Name=ctx.physical("vpn", peer.cloud, peer.region_code, str(i))),
                opts=opts(),
            )
        )
    return customer_gateways, connections


def aws_outside_address(connections: Sequence[aws.ec2.VpnConnection], k: int) -> pulumi.Output[str]:
    """AWS's endpoint of tunnel k: connection k // 2, its tunnel 1 or 2."""
    connection = connections[k // 2]
    return connection.tunnel1_address if k % 2 == 0 else connection.tunnel2_address


# --- GCP ------------------------------------------------------------------------------------------


def gcp_ha_gateway(
    name: str,
    ctx: CloudContext,
    parent: pulumi.Resource,
    link: Link,
    *,
    network_id: pulumi.Input[str],
    peer_cloud: str,
    peer_code: str,
    description: str,
) -> gcp.compute.HaVpnGateway:
    g_region = link.region("gcp")
    return gcp.compute.HaVpnGateway(
        f"{name}-gcp-gateway",
        name=ctx.physical("vpn", ctx.region_code(g_region), peer_cloud, peer_code),
        project=ctx.cloud_spec.project,
        region=g_region,
        network=network_id,
        stack_type="IPV4_ONLY",
        description=description,
        labels=ctx.tags,
        opts=ctx.opts(parent, region=g_region),
    )


def gcp_interface_ip(ha_gateway: gcp.compute.HaVpnGateway, i: int) -> pulumi.Output[str]:
    return ha_gateway.vpn_interfaces.apply(lambda ifs: str(ifs[i].ip_address or ""))


def gcp_vpn_end(
    name: str,
    ctx: CloudContext,
    parent: pulumi.Resource,
    link: Link,
    *,
    ha_gateway: gcp.compute.HaVpnGateway,
    router: pulumi.Input[str],
    peer: VpnPeer,
    ends: Callable[[Tunnel], GcpTunnelEnd],
    keys: Sequence[pulumi.Input[str]],
    advertised: Sequence[ipaddress.IPv4Network],
) -> tuple[
    gcp.compute.ExternalVpnGateway,
    list[gcp.compute.VPNTunnel],
    list[gcp.compute.RouterInterface],
    list[gcp.compute.RouterPeer],
]:
    g_region = link.region("gcp")
    g_code = ctx.region_code(g_region)
    project = ctx.cloud_spec.project

    def opts() -> pulumi.ResourceOptions:
        return ctx.opts(parent, region=g_region)

    peer_gateway = gcp.compute.ExternalVpnGateway(
        f"{name}-gcp-peer-gateway",
        name=ctx.physical("peer", peer.cloud, peer.region_code, g_code),
        project=project,
        redundancy_type=GCP_REDUNDANCY[len(peer.addresses)],
        description=peer.description,
        interfaces=[
            gcp.compute.ExternalVpnGatewayInterfaceArgs(id=i, ip_address=address)
            for i, address in enumerate(peer.addresses)
        ],
        labels=ctx.tags,
        opts=opts(),
    )
    ranges = [
        gcp.compute.RouterPeerAdvertisedIpRangeArgs(range=str(net), description="landing-zone block")
        for net in advertised
    ]
    tunnels: list[gcp.compute.VPNTunnel] = []
    interfaces: list[gcp.compute.RouterInterface] = []
    bgp_peers: list[gcp.compute.RouterPeer] = []
    for tunnel in link.tunnels:
        k, end = tunnel.index, ends(tunnel)
        own, far = link.address("gcp", tunnel), link.peer_address("gcp", tunnel)
        vpn_tunnel = gcp.compute.VPNTunnel(
            f"{name}-gcp-tunnel-{k}",
            name=ctx.physical(g_code, peer.cloud, peer.region_code, f"t{k}"),
            project=project,
            region=g_region,
            vpn_gateway=ha_gateway.id,
            vpn_gateway_interface=end.ha_interface,
            peer_external_gateway=peer_gateway.id,
            peer_external_gateway_interface=end.peer_interface,
            shared_secret=keys[k],
            router=router,
            ike_version=GCP_IKE_VERSION,
            description=end.description,
            labels=ctx.tags,
            opts=opts(),
        )
        interface = gcp.compute.RouterInterface(
            f"{name}-gcp-interface-{k}",
            name=ctx.physical(g_code, peer.cloud, peer.region_code, f"if{k}"),
            project=project,
            region=g_region,
            router=router,
            ip_range=f"{own}/{tunnel.inside.prefixlen}",
            vpn_tunnel=vpn_tunnel.name,
            opts=opts(),
        )
        bgp_peers.append(
            gcp.compute.RouterPeer(
                f"{name}-gcp-bgp-{k}",
                name=ctx.physical(g_code, peer.cloud, peer.region_code, f"bgp{k}"),
                project=project,
                region=g_region,
                router=router,
                interface=interface.name,
                ip_address=str(own),
                peer_ip_address=str(far),
                peer_asn=peer.asn,
                advertise_mode="CUSTOM",
                advertised_ip_ranges=ranges,
                advertised_route_priority=BGP_ROUTE_PRIORITY,
                opts=opts(),
            )
        )
        tunnels.append(vpn_tunnel)
        interfaces.append(interface)
    return peer_gateway, tunnels, interfaces, bgp_peers


# --- Azure ----------------------------------------------------------------------------------------


def azure_vpn_end(
    name: str,
    ctx: CloudContext,
    parent: pulumi.Resource,
    link: Link,
    *,
    gateway: AzureVpnGateway,
    peer: VpnPeer,
    keys: Sequence[pulumi.Input[str]],
) -> tuple[list[azure_native.network.LocalNetworkGateway], list[azure_native.network.VirtualNetworkGatewayConnection]]:
    """Per tunnel k a local network gateway at `peer.addresses[k]` (BGP: the peer's address inside the
    tunnel) and a connection to it on `gateway`."""
    z_region = link.region("azure")
    z_code = ctx.region_code(z_region)
    local_gateways: list[azure_native.network.LocalNetworkGateway] = []
    connections: list[azure_native.network.VirtualNetworkGatewayConnection] = []
    for tunnel in link.tunnels:
        k = tunnel.index
        lng = azure_native.network.LocalNetworkGateway(
            f"{name}-azure-lgw-{k}",
            local_network_gateway_name=naming.slug(
                "lgw", ctx.org, ctx.env, z_code, peer.cloud, peer.region_code, str(k), max_len=80
            ),
            resource_group_name=gateway.resource_group,
            location=z_region,
            gateway_ip_address=peer.addresses[k],
            bgp_settings=azure_native.network.BgpSettingsArgs(
                asn=peer.asn, bgp_peering_address=str(link.address(peer.cloud, tunnel))
            ),
            tags=ctx.tags,
            opts=ctx.opts(parent, region=z_region),
        )
        local_gateways.append(lng)
        connections.append(
            azure_native.network.VirtualNetworkGatewayConnection(
                f"{name}-azure-connection-{k}",
                virtual_network_gateway_connection_name=naming.slug(
                    "con", ctx.org, ctx.env, z_code, peer.cloud, peer.region_code, str(k), max_len=80
                ),
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
                tags=ctx.tags,
                opts=ctx.opts(parent, region=z_region),
            )
        )
    return local_gateways, connections


__all__ = [
    "GcpTunnelEnd",
    "VpnPeer",
    "aws_outside_address",
    "aws_vpn_end",
    "azure_vpn_end",
    "gcp_ha_gateway",
    "gcp_interface_ip",
    "gcp_vpn_end",
]
