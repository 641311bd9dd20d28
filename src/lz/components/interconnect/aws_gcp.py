"""`lz:interconnect:AwsGcpVpn`: HA VPN between one AWS region's transit gateway and one GCP region.

Google's documented topology for AWS peers, built from both ends:

* GCP: an HA VPN gateway (two interfaces) in the GCP region, and an external VPN gateway with
  FOUR_IPS_REDUNDANCY whose four interfaces are the outside addresses of AWS's four tunnels.
  Tunnels 0 and 1 leave from HA VPN interface 0, tunnels 2 and 3 from interface 1, each to its own
  external interface, so losing any one tunnel, interface or AWS endpoint keeps three of four up.
  Each tunnel has a BGP interface and peer on the region's Cloud Router (the foundation's router,
  reused: one router can hold sessions to every peer cloud), advertising the GCP region blocks.
* AWS: two customer gateways (one per HA VPN interface address, with the Cloud Router's ASN) and
  two site-to-site VPN connections on the region's transit gateway, two tunnels each.

Every tunnel takes its inside /30 from `lz.core.interconnect_plan` (AWS the first address, GCP the
second), IKEv2 only with the proposals of `lz.components.interconnect.common`, and its own generated
pre-shared key, which both ends receive as a secret.

What it does not do: routes and firewall rules (the per-region and per-network components), and
any GCP region other than the link's (the VPC's global routing spreads what the router learns).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_gcp as gcp

from lz.contracts.foundation import GcpFoundationOutputs
from lz.core.interconnect_plan import Link

from ..base import CloudContext
from .aws_region import AwsRegionInterconnect
from .common import BGP_ROUTE_PRIORITY, GCP_IKE_VERSION, aws_tunnel_options, preshared_key

TUNNELS = 4
CONNECTIONS = 2


class AwsGcpVpn(pulumi.ComponentResource):
    """Four IKEv2 tunnels with BGP between an AWS transit gateway and a GCP Cloud Router."""

    ha_gateway: gcp.compute.HaVpnGateway
    customer_gateways: list[aws.ec2.CustomerGateway]
    connections: list[aws.ec2.VpnConnection]
    peer_gateway: gcp.compute.ExternalVpnGateway
    tunnels: list[gcp.compute.VPNTunnel]
    router_interfaces: list[gcp.compute.RouterInterface]
    bgp_peers: list[gcp.compute.RouterPeer]

    def __init__(self, name: str, aws_ctx: CloudContext, gcp_ctx: CloudContext, link: Link, *,
                 aws_region: AwsRegionInterconnect, gcp_foundation: GcpFoundationOutputs,
                 advertised: Sequence[ipaddress.IPv4Network], random_provider: pulumi.ProviderResource,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("lz:interconnect:AwsGcpVpn", name, None, opts)
        if link.pair != ("aws", "gcp") or len(link.tunnels) != TUNNELS:
            raise ValueError(f"AwsGcpVpn needs an aws-gcp link of {TUNNELS} tunnels, not {link.name}")
        a_region, g_region = link.region("aws"), link.region("gcp")
        a_code, g_code = aws_ctx.region_code(a_region), gcp_ctx.region_code(g_region)
        project = gcp_ctx.cloud_spec.project
        gcp_net = gcp_foundation["regions"][g_region]
        router: pulumi.Input[str] = gcp_net["router_name"]
        gcp_asn: int = gcp_net["router_asn"]
        aws_asn = aws_region.asn

        def gcp_opts(**kw: Any) -> pulumi.ResourceOptions:
            return gcp_ctx.opts(self, region=g_region, **kw)

        def aws_opts(**kw: Any) -> pulumi.ResourceOptions:
            return aws_ctx.opts(self, region=a_region, **kw)

        keys = [preshared_key(f"{name}-psk-{t.index}", self, random_provider) for t in link.tunnels]

        self.ha_gateway = gcp.compute.HaVpnGateway(
            f"{name}-gcp-gateway",
            name=gcp_ctx.physical("vpn", g_code, "aws", a_code),
            project=project,
            region=g_region,
            network=gcp_foundation["network_id"],
            stack_type="IPV4_ONLY",
            description=f"HA VPN to AWS {a_region} (transit gateway, ASN {aws_asn})",
            labels=gcp_ctx.tags,
            opts=gcp_opts())

        def interface_ip(i: int) -> pulumi.Output[str]:
            return self.ha_gateway.vpn_interfaces.apply(lambda ifs: str(ifs[i].ip_address or ""))

        self.customer_gateways = [
            aws.ec2.CustomerGateway(
                f"{name}-aws-cgw-{i}",
                bgp_asn=str(gcp_asn),
                ip_address=interface_ip(i),
                type="ipsec.1",
                device_name=f"gcp-{g_region}-ha-vpn-if{i}",
                tags=aws_ctx.tags_with(Name=aws_ctx.physical("cgw", "gcp", g_code, f"if{i}")),
                opts=aws_opts())
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
                tags=aws_ctx.tags_with(Name=aws_ctx.physical("vpn", "gcp", g_code, str(i))),
                opts=aws_opts()))

        # External interface k is AWS tunnel k: connection k // 2, its tunnel 1 or 2.
        outside = [self.connections[k // 2].tunnel1_address if k % 2 == 0 else self.connections[k // 2].tunnel2_address
                   for k in range(TUNNELS)]
        self.peer_gateway = gcp.compute.ExternalVpnGateway(
            f"{name}-gcp-peer-gateway",
            name=gcp_ctx.physical("peer", "aws", a_code, g_code),
            project=project,
            redundancy_type="FOUR_IPS_REDUNDANCY",
            description=f"The four tunnel endpoints of AWS {a_region}'s VPN connections to {g_region}",
            interfaces=[gcp.compute.ExternalVpnGatewayInterfaceArgs(id=k, ip_address=outside[k])
                        for k in range(TUNNELS)],
            labels=gcp_ctx.tags,
            opts=gcp_opts())

        self.tunnels, self.router_interfaces, self.bgp_peers = [], [], []
        ranges = [gcp.compute.RouterPeerAdvertisedIpRangeArgs(range=str(net), description="landing-zone block")
                  for net in advertised]
        for tunnel in link.tunnels:
            k = tunnel.index
            own, peer = link.address("gcp", tunnel), link.peer_address("gcp", tunnel)
            vpn_tunnel = gcp.compute.VPNTunnel(
                f"{name}-gcp-tunnel-{k}",
                name=gcp_ctx.physical(g_code, "aws", a_code, f"t{k}"),
                project=project,
                region=g_region,
                vpn_gateway=self.ha_gateway.id,
                vpn_gateway_interface=k // 2,
                peer_external_gateway=self.peer_gateway.id,
                peer_external_gateway_interface=k,
                shared_secret=keys[k],
                router=router,
                ike_version=GCP_IKE_VERSION,
                description=f"To AWS {a_region}, VPN connection {k // 2} tunnel {k % 2 + 1} ({tunnel.inside})",
                labels=gcp_ctx.tags,
                opts=gcp_opts())
            interface = gcp.compute.RouterInterface(
                f"{name}-gcp-interface-{k}",
                name=gcp_ctx.physical(g_code, "aws", a_code, f"if{k}"),
                project=project,
                region=g_region,
                router=router,
                ip_range=f"{own}/{tunnel.inside.prefixlen}",
                vpn_tunnel=vpn_tunnel.name,
                opts=gcp_opts())
            bgp_peer = gcp.compute.RouterPeer(
                f"{name}-gcp-bgp-{k}",
                name=gcp_ctx.physical(g_code, "aws", a_code, f"bgp{k}"),
                project=project,
                region=g_region,
                router=router,
                interface=interface.name,
                ip_address=str(own),
                peer_ip_address=str(peer),
                peer_asn=aws_asn,
                advertise_mode="CUSTOM",
                advertised_ip_ranges=ranges,
                advertised_route_priority=BGP_ROUTE_PRIORITY,
                opts=gcp_opts())
            self.tunnels.append(vpn_tunnel)
            self.router_interfaces.append(interface)
            self.bgp_peers.append(bgp_peer)

        self.outputs: dict[str, Any] = {
            "pair": link.name,
            "regions": {"aws": a_region, "gcp": g_region},
            "asns": {"aws": aws_asn, "gcp": gcp_asn},
            "tunnels": [{"inside_cidr": str(t.inside), "aws_address": str(link.address("aws", t)),
                         "gcp_address": str(link.address("gcp", t))} for t in link.tunnels],
            "aws_vpn_connection_ids": [c.id for c in self.connections],
            "gcp_ha_vpn_gateway": self.ha_gateway.name,
            "advertised_by_gcp": [str(n) for n in advertised],
        }
        self.register_outputs(self.outputs)
