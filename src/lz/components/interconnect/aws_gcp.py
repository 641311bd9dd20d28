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
from .common import preshared_key
from .vpn_ends import (
    GcpTunnelEnd,
    VpnPeer,
    aws_outside_address,
    aws_vpn_end,
    gcp_ha_gateway,
    gcp_interface_ip,
    gcp_vpn_end,
)

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

    def __init__(
        self,
        name: str,
        aws_ctx: CloudContext,
        gcp_ctx: CloudContext,
        link: Link,
        *,
        aws_region: AwsRegionInterconnect,
        gcp_foundation: GcpFoundationOutputs,
        advertised: Sequence[ipaddress.IPv4Network],
        random_provider: pulumi.ProviderResource,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:interconnect:AwsGcpVpn", name, None, opts)
        if link.pair != ("aws", "gcp") or len(link.tunnels) != TUNNELS:
            raise ValueError(f"AwsGcpVpn needs an aws-gcp link of {TUNNELS} tunnels, not {link.name}")
        a_region, g_region = link.region("aws"), link.region("gcp")
        a_code, g_code = aws_ctx.region_code(a_region), gcp_ctx.region_code(g_region)
        gcp_net = gcp_foundation["regions"][g_region]
        router: pulumi.Input[str] = gcp_net["router_name"]
        gcp_asn: int = gcp_net["router_asn"]
        aws_asn = aws_region.asn

        keys = [preshared_key(f"{name}-psk-{t.index}", self, random_provider) for t in link.tunnels]

        self.ha_gateway = gcp_ha_gateway(
            name,
            gcp_ctx,
            self,
            link,
            network_id=gcp_foundation["network_id"],
            peer_cloud="aws",
            peer_code=a_code,
            description=f"HA VPN to AWS {a_region} (transit gateway, ASN {aws_asn})",
        )
        self.customer_gateways, self.connections = aws_vpn_end(
            name,
            aws_ctx,
            self,
            link,
            region=aws_region,
            keys=keys,
            peer=VpnPeer(
                cloud="gcp",
                region_code=g_code,
                asn=gcp_asn,
                addresses=[gcp_interface_ip(self.ha_gateway, i) for i in range(CONNECTIONS)],
                labels=[f"if{i}" for i in range(CONNECTIONS)],
                device_names=[f"gcp-{g_region}-ha-vpn-if{i}" for i in range(CONNECTIONS)],
            ),
        )
        # External interface k is AWS tunnel k; tunnels 0 and 1 leave from HA VPN interface 0, 2 and 3 from 1.
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
                cloud="aws",
                region_code=a_code,
                asn=aws_asn,
                addresses=[aws_outside_address(self.connections, k) for k in range(TUNNELS)],
                description=f"The four tunnel endpoints of AWS {a_region}'s VPN connections to {g_region}",
            ),
            ends=lambda t: GcpTunnelEnd(
                ha_interface=t.index // 2,
                peer_interface=t.index,
                description=f"To AWS {a_region}, VPN connection {t.index // 2} tunnel {t.index % 2 + 1} ({t.inside})",
            ),
        )

        self.outputs: dict[str, Any] = {
            "pair": link.name,
            "regions": {"aws": a_region, "gcp": g_region},
            "asns": {"aws": aws_asn, "gcp": gcp_asn},
            "tunnels": [
                {
                    "inside_cidr": str(t.inside),
                    "aws_address": str(link.address("aws", t)),
                    "gcp_address": str(link.address("gcp", t)),
                }
                for t in link.tunnels
            ],
            "aws_vpn_connection_ids": [c.id for c in self.connections],
            "gcp_ha_vpn_gateway": self.ha_gateway.name,
            "advertised_by_gcp": [str(n) for n in advertised],
        }
        self.register_outputs(self.outputs)
