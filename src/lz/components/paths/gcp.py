"""GCP network paths: private DNS for the container registries, and the egress path `egress.mode` asks for.

`GcpPrivateRegistries` (`lz:paths:GcpPrivateRegistries`): private zones `pkg.dev.` and `gcr.io.`
beside the foundation's `googleapis.com.` zone. Each answers its apex with the
`private.googleapis.com` VIPs and every name under it with a CNAME to the apex, so GKE nodes and VMs
pull from Artifact Registry and Container Registry over Private Google Access ("Configure Private
Google Access: DNS configuration", cloud.google.com/vpc/docs/configure-private-google-access,
read 2026-12).

`GcpEgress` (`lz:paths:GcpEgress`):
* `nat` and `firewall`: a `0.0.0.0/0` route to the default internet gateway (the foundation deleted
  the default one; Cloud NAT needs it) and Cloud NAT on every region's Cloud Router, logging all
  translations to Cloud Logging.
* `firewall`: a global network firewall policy associated with the VPC: egress to the landing
  zone's private ranges and Google's API VIPs allowed, egress to the allow-listed FQDNs allowed on
  80/443, everything else denied, every rule logged. The VPC's classic rules hold no egress rules,
  so the policy decides egress.

What it does not do: Secure Web Proxy (URL-level rules, wildcards), TLS inspection, IPv6.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_gcp as gcp

from lz.core import cidr, paths_plan

from ..base import CloudContext
from ..network.gcp import GOOGLE_APIS_PRIVATE, GOOGLE_APIS_RESTRICTED

REGISTRY_DOMAINS: tuple[str, ...] = ("pkg.dev", "gcr.io")
ALLOW_INTERNAL_PRIORITY = 1000
ALLOW_FQDN_PRIORITY = 1100
DENY_ALL_PRIORITY = 2147483000  # below every explicit rule, above nothing the policy needs


class GcpPrivateRegistries(pulumi.ComponentResource):
    """`lz:paths:GcpPrivateRegistries`: pkg.dev and gcr.io answered with Private Google Access VIPs."""

    def __init__(
        self, name: str, ctx: CloudContext, network_id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("lz:paths:GcpPrivateRegistries", name, None, opts)
        project = ctx.cloud_spec.project
        self.zones: dict[str, gcp.dns.ManagedZone] = {}
        for domain in REGISTRY_DOMAINS:
            key = domain.replace(".", "-")
            zone = gcp.dns.ManagedZone(
                f"{name}-{key}",
                name=ctx.physical(key),
                project=project,
                dns_name=f"{domain}.",
                description=f"Private zone: {domain} and *.{domain} resolve to private.googleapis.com",
                visibility="private",
                private_visibility_config=gcp.dns.ManagedZonePrivateVisibilityConfigArgs(
                    networks=[gcp.dns.ManagedZonePrivateVisibilityConfigNetworkArgs(network_url=network_id)]
                ),
                labels=ctx.tags,
                opts=ctx.opts(self),
            )
            self.zones[domain] = zone
            gcp.dns.RecordSet(
                f"{name}-{key}-a",
                project=project,
                managed_zone=zone.name,
                name=f"{domain}.",
                type="A",
                ttl=300,
                rrdatas=list(GOOGLE_APIS_PRIVATE[1]),
                opts=ctx.opts(self),
            )
            gcp.dns.RecordSet(
                f"{name}-{key}-wildcard",
                project=project,
                managed_zone=zone.name,
                name=f"*.{domain}.",
                type="CNAME",
                ttl=300,
                rrdatas=[f"{domain}."],
                opts=ctx.opts(self),
            )
        self.register_outputs({"domains": list(REGISTRY_DOMAINS)})


class GcpPrivateServices(pulumi.ComponentResource):
    """`lz:paths:GcpPrivateServices`: one private services access range and peering for the VPC.

    Shared by every wave of the foundation (Cloud SQL targets of Database Migration Service): a VPC
    has one peering with Google's service producer network, so per-wave connections conflict.
    """

    def __init__(
        self, name: str, ctx: CloudContext, network_id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("lz:paths:GcpPrivateServices", name, None, opts)
        project = ctx.cloud_spec.project
        block = ctx.cloud_spec.region_blocks()[ctx.home_region]
        self.range_cidr = paths_plan.gcp_private_services_range(block)
        api = gcp.projects.Service(
            f"{name}-api",
            project=project,
            service="servicenetworking.googleapis.com",
            disable_on_destroy=False,
            disable_dependent_services=False,
            opts=ctx.opts(self),
        )
        self.range = gcp.compute.GlobalAddress(
            f"{name}-range",
            name=ctx.physical("psa"),
            project=project,
            purpose="VPC_PEERING",
            address_type="INTERNAL",
            address=str(self.range_cidr.network_address),
            prefix_length=self.range_cidr.prefixlen,
            network=network_id,
            description="Private services access of the landing zone (Cloud SQL for every wave)",
            labels=ctx.tags,
            opts=ctx.opts(self),
        )
        self.connection = gcp.servicenetworking.Connection(
            f"{name}-connection",
            network=network_id,
            service="servicenetworking.googleapis.com",
            reserved_peering_ranges=[self.range.name],
            opts=ctx.opts(self, depends_on=[api]),
        )
        self.register_outputs({"range": str(self.range_cidr)})


class GcpEgress(pulumi.ComponentResource):
    """`lz:paths:GcpEgress`: the default internet route, Cloud NAT per region, and the FQDN firewall policy."""

    def __init__(
        self, name: str, ctx: CloudContext, foundation: dict[str, Any], opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("lz:paths:GcpEgress", name, None, opts)
        egress = ctx.spec.egress
        if egress.mode == "none":
            raise ValueError("GcpEgress is built only for egress mode nat or firewall")
        project = ctx.cloud_spec.project
        network_id = foundation["network_id"]
        self.route = gcp.compute.Route(
            f"{name}-default-internet",
            name=ctx.physical("default-internet"),
            project=project,
            network=network_id,
            description=f"Internet egress through Cloud NAT (egress mode {egress.mode})",
            dest_range="0.0.0.0/0",
            next_hop_gateway="default-internet-gateway",
            priority=1000,
            opts=ctx.opts(self),
        )
        self.nats = {
            region: gcp.compute.RouterNat(
                f"{name}-nat-{region}",
                name=ctx.physical(ctx.region_code(region), "nat"),
                project=project,
                region=region,
                router=outputs["router_name"],
                nat_ip_allocate_option="AUTO_ONLY",
                source_subnetwork_ip_ranges_to_nat="ALL_SUBNETWORKS_ALL_IP_RANGES",
                enable_endpoint_independent_mapping=False,
                log_config=gcp.compute.RouterNatLogConfigArgs(enable=True, filter="ALL"),
                opts=ctx.opts(self, region=region),
            )
            for region, outputs in foundation["regions"].items()
        }
        self.policy: gcp.compute.NetworkFirewallPolicy | None = None
        if egress.mode == "firewall":
            self._firewall_policy(name, ctx, project, network_id)
        self.register_outputs({"mode": egress.mode, "nat_regions": sorted(self.nats)})

    def _firewall_policy(self, name: str, ctx: CloudContext, project: str, network_id: pulumi.Input[str]) -> None:
        allow = ctx.spec.egress_allow
        policy = self.policy = gcp.compute.NetworkFirewallPolicy(
            f"{name}-policy",
            name=ctx.physical("egress"),
            project=project,
            description="Egress of the landing zone: private ranges, Google APIs and allow-listed names only",
            opts=ctx.opts(self),
        )
        internal = sorted({str(net) for net in cidr.RFC1918} | {GOOGLE_APIS_PRIVATE[0], GOOGLE_APIS_RESTRICTED[0]})

        def rule(
            key: str,
            priority: int,
            action: str,
            match: gcp.compute.NetworkFirewallPolicyRuleMatchArgs,
            description: str,
        ) -> gcp.compute.NetworkFirewallPolicyRule:
            return gcp.compute.NetworkFirewallPolicyRule(
                f"{name}-rule-{key}",
                project=project,
                firewall_policy=policy.name,
                rule_name=key,
                priority=priority,
                direction="EGRESS",
                action=action,
                enable_logging=True,
                description=description,
                match=match,
                opts=ctx.opts(self),
            )

        rule(
            "allow-private",
            ALLOW_INTERNAL_PRIORITY,
            "allow",
            gcp.compute.NetworkFirewallPolicyRuleMatchArgs(
                dest_ip_ranges=internal,
                layer4_configs=[gcp.compute.NetworkFirewallPolicyRuleMatchLayer4ConfigArgs(ip_protocol="all")],
            ),
            "Private ranges (the landing zone and the other clouds over VPN) and Google API VIPs",
        )
        if allow:
            rule(
                "allow-fqdns",
                ALLOW_FQDN_PRIORITY,
                "allow",
                gcp.compute.NetworkFirewallPolicyRuleMatchArgs(
                    dest_fqdns=allow,
                    layer4_configs=[
                        gcp.compute.NetworkFirewallPolicyRuleMatchLayer4ConfigArgs(
                            ip_protocol="tcp", ports=["80", "443"]
                        )
                    ],
                ),
                "Allow-listed host names (egress.allow) on HTTP and HTTPS",
            )
        rule(
            "deny-internet",
            DENY_ALL_PRIORITY,
            "deny",
            gcp.compute.NetworkFirewallPolicyRuleMatchArgs(
                dest_ip_ranges=["0.0.0.0/0"],
                layer4_configs=[gcp.compute.NetworkFirewallPolicyRuleMatchLayer4ConfigArgs(ip_protocol="all")],
            ),
            "Every other egress is denied and logged",
        )
        gcp.compute.NetworkFirewallPolicyAssociation(
            f"{name}-policy-vpc",
            name=ctx.physical("egress-vpc"),
            project=project,
            firewall_policy=policy.name,
            attachment_target=network_id,
            opts=ctx.opts(self),
        )
