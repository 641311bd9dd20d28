"""The GCP network of a landing zone: one custom-mode, globally routed VPC and a slice of it per region.

`GcpNetwork` (`lz:network:GcpNetwork`) owns what is global in GCP: the VPC itself, its firewall rules,
the routes to Google's private API endpoints and the private DNS zone that sends `*.googleapis.com`
there. For each region of the spec it holds a `GcpRegionNetwork` (`lz:network:GcpRegionNetwork`): the
workload subnetwork (Private Google Access, GKE secondary ranges, VPC flow logs), the proxy-only subnet
for regional internal load balancers, and the Cloud Router that will carry the HA VPN BGP sessions.

Private by default: the VPC is created without its default internet route and without Cloud NAT, so
nothing reaches the internet; Google APIs stay reachable through `private.googleapis.com` (and
`restricted.googleapis.com` for VPC Service Controls), which is why those two /30s get explicit
routes. Ingress is denied from anywhere except the cloud's own supernet and IAP's TCP forwarding
range (SSH only, and only to instances tagged `iap-ssh`); every rule logs.

What it does not do: VPN gateways and tunnels (the interconnect builds them on these routers), rules
for other clouds' supernets (also the interconnect's, once tunnels exist), Cloud NAT, Shared VPC.
Addresses come from `lz.core.cidr.gcp_region_plan`; nothing here picks a range.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_gcp as gcp

from lz.contracts.foundation import GcpRegionNetworkOutputs
from lz.core import cidr

from ..base import CloudContext

# Private ASNs for the Cloud Routers: one per region, by the region's position in the spec, so
# appending a region never renumbers an existing router's BGP sessions.
ASN_BASE = 64600
MAX_REGIONS = 16

IAP_TCP_FORWARDING_RANGE = "35.235.240.0/20"
IAP_SSH_TAG = "iap-ssh"

# The VIPs of private.googleapis.com and restricted.googleapis.com (documented, fixed ranges).
GOOGLE_APIS_PRIVATE = ("199.36.153.8/30", ("199.36.153.8", "199.36.153.9", "199.36.153.10", "199.36.153.11"))
GOOGLE_APIS_RESTRICTED = ("199.36.153.4/30", ("199.36.153.4", "199.36.153.5", "199.36.153.6", "199.36.153.7"))

PODS_RANGE = "pods"
SERVICES_RANGE = "services"

FLOW_LOG_SAMPLING = 0.5
FLOW_LOG_INTERVAL = "INTERVAL_5_SEC"
ALL_METADATA = "INCLUDE_ALL_METADATA"

# Lowest usable priority is 65535 (the implied rules'); one above so the explicit deny is what logs.
DENY_ALL_PRIORITY = 65534
ALLOW_PRIORITY = 1000


def router_asn(index: int) -> int:
    """The Cloud Router ASN of the index-th region: 64600, 64601, ... (16-bit private range)."""
    if not 0 <= index < MAX_REGIONS:
        raise ValueError(f"region index {index} outside 0..{MAX_REGIONS - 1}")
    return ASN_BASE + index


class GcpRegionNetwork(pulumi.ComponentResource):
    """`lz:network:GcpRegionNetwork`: one region's subnets and Cloud Router inside the landing-zone VPC."""

    subnet: gcp.compute.Subnetwork
    proxy_subnet: gcp.compute.Subnetwork
    router: gcp.compute.Router

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        *,
        region: str,
        index: int,
        block: ipaddress.IPv4Network,
        network: gcp.compute.Network,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:network:GcpRegionNetwork", name, None, opts)
        project = ctx.cloud_spec.project
        code = ctx.region_code(region)
        self.region = region
        self.plan = cidr.gcp_region_plan(block)
        self.asn = router_asn(index)

        self.subnet = gcp.compute.Subnetwork(
            f"{name}-subnet",
            name=ctx.physical(code, "subnet"),
            project=project,
            region=region,
            network=network.id,
            description=f"Workload subnet of {region}: nodes and VMs, GKE pods and services as secondary ranges",
            ip_cidr_range=str(self.plan.primary),
            stack_type="IPV4_ONLY",
            purpose="PRIVATE",
            private_ip_google_access=True,
            secondary_ip_ranges=[
                gcp.compute.SubnetworkSecondaryIpRangeArgs(range_name=PODS_RANGE, ip_cidr_range=str(self.plan.pods)),
                gcp.compute.SubnetworkSecondaryIpRangeArgs(
                    range_name=SERVICES_RANGE, ip_cidr_range=str(self.plan.services)
                ),
            ],
            log_config=gcp.compute.SubnetworkLogConfigArgs(
                aggregation_interval=FLOW_LOG_INTERVAL,
                flow_sampling=FLOW_LOG_SAMPLING,
                metadata=ALL_METADATA,
            ),
            opts=ctx.opts(self, region=region),
        )
        # Proxy-only subnets carry Envoy proxies, not VMs: GCP refuses flow logs and Private Google
        # Access on them, so neither is set.
        self.proxy_subnet = gcp.compute.Subnetwork(
            f"{name}-proxy",
            name=ctx.physical(code, "proxy"),
            project=project,
            region=region,
            network=network.id,
            description=f"Proxy-only subnet of {region} for regional internal Application Load Balancers",
            ip_cidr_range=str(self.plan.proxy_only),
            purpose="REGIONAL_MANAGED_PROXY",
            role="ACTIVE",
            opts=ctx.opts(self, region=region),
        )
        self.router = gcp.compute.Router(
            f"{name}-router",
            name=ctx.physical(code, "router"),
            project=project,
            region=region,
            network=network.id,
            description=f"Cloud Router of {region}: BGP for the landing zone's HA VPN tunnels",
            bgp=gcp.compute.RouterBgpArgs(asn=self.asn, advertise_mode="DEFAULT", keepalive_interval=20),
            opts=ctx.opts(self, region=region),
        )
        self.register_outputs(
            {
                "subnet_id": self.subnet.id,
                "proxy_subnet_id": self.proxy_subnet.id,
                "router_name": self.router.name,
                "router_asn": self.asn,
            }
        )

    def outputs(self) -> GcpRegionNetworkOutputs:
        """What wave stacks read about this region's network."""
        return GcpRegionNetworkOutputs(
            subnet_id=self.subnet.id,
            subnet_self_link=self.subnet.self_link,
            subnet_cidr=str(self.plan.primary),
            pods_range=PODS_RANGE,
            pods_cidr=str(self.plan.pods),
            services_range=SERVICES_RANGE,
            services_cidr=str(self.plan.services),
            proxy_only_cidr=str(self.plan.proxy_only),
            router_name=self.router.name,
            router_asn=self.asn,
        )


class GcpNetwork(pulumi.ComponentResource):
    """`lz:network:GcpNetwork`: the landing zone's VPC, its firewall, private Google API access and regions."""

    network: gcp.compute.Network
    firewall: dict[str, gcp.compute.Firewall]
    routes: dict[str, gcp.compute.Route]
    regions: dict[str, GcpRegionNetwork]

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        *,
        requires: Sequence[pulumi.Resource] = (),
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`requires`: resources the VPC must wait for (the Compute and DNS APIs being enabled)."""
        super().__init__("lz:network:GcpNetwork", name, None, opts)
        project = ctx.cloud_spec.project
        supernet = str(ctx.cloud_spec.cidr)
        blocks = ctx.cloud_spec.region_blocks()
        if len(blocks) > MAX_REGIONS:
            raise ValueError(f"clouds.gcp.regions lists {len(blocks)} regions; the router ASN plan holds {MAX_REGIONS}")

        self.network = gcp.compute.Network(
            f"{name}-network",
            name=ctx.physical("vpc"),
            project=project,
            description="Landing-zone VPC: custom subnets per region, no default internet route",
            auto_create_subnetworks=False,
            routing_mode="GLOBAL",
            delete_default_routes_on_create=True,
            opts=ctx.opts(self, depends_on=list(requires)),
        )

        def rule(key: str, **args: Any) -> gcp.compute.Firewall:
            return gcp.compute.Firewall(
                f"{name}-fw-{key}",
                name=ctx.physical("fw", key),
                project=project,
                network=self.network.id,
                log_config=gcp.compute.FirewallLogConfigArgs(metadata=ALL_METADATA),
                opts=ctx.opts(self),
                **args,
            )

        self.firewall = {
            "deny-all-ingress": rule(
                "deny-all-ingress",
                description="Deny and log every ingress not allowed by a higher-priority rule",
                direction="INGRESS",
                priority=DENY_ALL_PRIORITY,
                source_ranges=["0.0.0.0/0"],
                denies=[gcp.compute.FirewallDenyArgs(protocol="all")],
            ),
            "allow-internal": rule(
                "allow-internal",
                description=f"Allow traffic between workloads of the landing zone's GCP supernet {supernet}",
                direction="INGRESS",
                priority=ALLOW_PRIORITY,
                source_ranges=[supernet],
                allows=[gcp.compute.FirewallAllowArgs(protocol="all")],
            ),
            "allow-iap-ssh": rule(
                "allow-iap-ssh",
                description=f"Allow SSH through IAP TCP forwarding to instances tagged {IAP_SSH_TAG}",
                direction="INGRESS",
                priority=ALLOW_PRIORITY,
                source_ranges=[IAP_TCP_FORWARDING_RANGE],
                target_tags=[IAP_SSH_TAG],
                allows=[gcp.compute.FirewallAllowArgs(protocol="tcp", ports=["22"])],
            ),
        }

        # With the default route gone, Private Google Access needs a route to Google's API VIPs.
        self.routes = {
            key: gcp.compute.Route(
                f"{name}-route-{key}",
                name=ctx.physical("googleapis", key),
                project=project,
                network=self.network.id,
                description=f"Private Google Access to {key}.googleapis.com without an internet route",
                dest_range=vip_range,
                next_hop_gateway="default-internet-gateway",
                priority=ALLOW_PRIORITY,
                opts=ctx.opts(self),
            )
            for key, (vip_range, _) in (("private", GOOGLE_APIS_PRIVATE), ("restricted", GOOGLE_APIS_RESTRICTED))
        }

        # Resolve every Google API name to the private VIPs, which the routes above make reachable.
        self.dns_zone = gcp.dns.ManagedZone(
            f"{name}-googleapis",
            name=ctx.physical("googleapis"),
            project=project,
            dns_name="googleapis.com.",
            description="Private zone: *.googleapis.com resolves to private.googleapis.com inside the VPC",
            visibility="private",
            private_visibility_config=gcp.dns.ManagedZonePrivateVisibilityConfigArgs(
                networks=[gcp.dns.ManagedZonePrivateVisibilityConfigNetworkArgs(network_url=self.network.id)],
            ),
            labels=ctx.tags,
            opts=ctx.opts(self, depends_on=list(requires)),
        )
        self.dns_records = {
            "private-a": gcp.dns.RecordSet(
                f"{name}-googleapis-private-a",
                project=project,
                managed_zone=self.dns_zone.name,
                name="private.googleapis.com.",
                type="A",
                ttl=300,
                rrdatas=list(GOOGLE_APIS_PRIVATE[1]),
                opts=ctx.opts(self),
            ),
            "restricted-a": gcp.dns.RecordSet(
                f"{name}-googleapis-restricted-a",
                project=project,
                managed_zone=self.dns_zone.name,
                name="restricted.googleapis.com.",
                type="A",
                ttl=300,
                rrdatas=list(GOOGLE_APIS_RESTRICTED[1]),
                opts=ctx.opts(self),
            ),
            "wildcard-cname": gcp.dns.RecordSet(
                f"{name}-googleapis-wildcard-cname",
                project=project,
                managed_zone=self.dns_zone.name,
                name="*.googleapis.com.",
                type="CNAME",
                ttl=300,
                rrdatas=["private.googleapis.com."],
                opts=ctx.opts(self),
            ),
        }

        self.regions = {
            region: GcpRegionNetwork(
                f"{name}-{region}",
                ctx,
                region=region,
                index=index,
                block=block,
                network=self.network,
                opts=pulumi.ResourceOptions(parent=self),
            )
            for index, (region, block) in enumerate((r, blocks[r]) for r in ctx.regions)
        }
        self.register_outputs(
            {
                "network_id": self.network.id,
                "network_self_link": self.network.self_link,
                "regions": sorted(self.regions),
            }
        )
