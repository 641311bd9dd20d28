"""Cross-cloud private DNS over the interconnect: each cloud's private zone resolvable from the other two.

Each enabled cloud answers for its own private domain (`lz.core.paths_plan.private_domain`, e.g.
`aws.dev.acme.internal`) and forwards the other clouds' domains to their inbound resolvers, at
addresses fixed by `lz.core.paths_plan` so every side knows the others' before anything exists:

* AWS (home region): a Route 53 private hosted zone on every VPC; Resolver inbound and outbound
  endpoints in dedicated /28s per AZ (on the AZ's private route table, so the transit gateway routes
  them); FORWARD rules for the other domains, associated with the home VPC. A security group admits
  DNS from the other clouds' supernets and from Cloud DNS's forwarders (35.199.192.0/19, the
  documented source of Cloud DNS forwarding and inbound traffic).
* GCP: a private zone on the VPC; an inbound server policy whose entry point in the home region is a
  reserved `DNS_RESOLVER` address; forwarding zones (private routing) for the other domains.
* Azure (home region): a private zone linked to every hub VNet; a DNS Private Resolver with a static
  inbound address and an outbound endpoint in their delegated subnets; a forwarding ruleset with
  the other domains, linked to every hub VNet.

Cloud DNS forwards (and answers) from 35.199.192.0/19: the interconnect's GCP BGP sessions advertise
it (`lz.core.paths_plan.gcp_extra_advertised`) and the AWS home VPC routes it to the transit gateway, so
the other clouds' resolvers can answer. What it does not do: resolver endpoints in secondary
regions, DNSSEC, or records in the zones (workloads add them).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_azure_native as azure_native
import pulumi_gcp as gcp

from lz.core import cidr, naming, paths_plan

from ..base import CloudContext

CLOUD_DNS_FORWARDERS = str(paths_plan.CLOUD_DNS_FORWARDERS)
DNS_PORT = 53


def inbound_addresses(
    contexts: dict[str, CloudContext], foundations: dict[str, dict[str, Any]]
) -> dict[str, list[str]]:
    """Per cloud, the fixed addresses of its inbound resolver in its home region."""
    out: dict[str, list[str]] = {}
    for cloud, ctx in contexts.items():
        block = ctx.cloud_spec.region_blocks()[ctx.home_region]
        if cloud == "aws":
            zones = len(foundations["aws"]["regions"][ctx.home_region]["availability_zones"])
            out[cloud] = [str(a) for a in paths_plan.aws_paths_plan(block, zones).resolver_inbound]
        elif cloud == "gcp":
            out[cloud] = [str(paths_plan.gcp_inbound_dns_address(cidr.gcp_region_plan(block).primary))]
        else:
            out[cloud] = [str(paths_plan.azure_paths_plan(block).resolver_inbound)]
    return out


def domains(contexts: dict[str, CloudContext]) -> dict[str, str]:
    spec = next(iter(contexts.values())).spec
    return {cloud: paths_plan.private_domain(cloud, spec.organization, spec.environment) for cloud in contexts}


class AwsDns(pulumi.ComponentResource):
    """`lz:paths:AwsDns`: the private hosted zone, Resolver endpoints and forwarding rules."""

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        foundation: dict[str, Any],
        domain: str,
        forward: dict[str, list[str]],
        remote_supernets: list[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:paths:AwsDns", name, None, opts)
        home = ctx.home_region
        code = ctx.region_code(home)
        net = foundation["regions"][home]
        zones: list[str] = list(net["availability_zones"])
        plan = paths_plan.aws_paths_plan(ctx.cloud_spec.region_blocks()[home], len(zones))
        child = ctx.opts(self, region=home)
        self.zone = aws.route53.Zone(
            f"{name}-zone",
            name=domain,
            comment=f"Private zone of the landing zone's AWS side ({ctx.org} {ctx.env})",
            vpcs=[
                aws.route53.ZoneVpcArgs(vpc_id=r["vpc_id"], vpc_region=region)
                for region, r in foundation["regions"].items()
            ],
            tags=ctx.tags_with(Name=domain),
            opts=child,
        )
        subnets = []
        for i, zone in enumerate(zones):
            az = zone[len(home) :]
            subnet = aws.ec2.Subnet(
                f"{name}-dns-{az}",
                vpc_id=net["vpc_id"],
                availability_zone=zone,
                cidr_block=str(plan.dns[i]),
                map_public_ip_on_launch=False,
                tags=ctx.tags_with(Name=ctx.physical("dns", code, az), tier="dns"),
                opts=child,
            )
            aws.ec2.RouteTableAssociation(
                f"{name}-dns-{az}-rt", subnet_id=subnet.id, route_table_id=net["route_table_ids"][i], opts=child
            )
            subnets.append(subnet)
        sources = sorted({*remote_supernets, CLOUD_DNS_FORWARDERS, net["vpc_cidr"]})
        rules = [(p, f"DNS over {p.upper()}") for p in ("tcp", "udp")]
        self.security_group = aws.ec2.SecurityGroup(
            f"{name}-sg",
            name=ctx.physical("dns-resolver", code, max_len=255),
            vpc_id=net["vpc_id"],
            description="Route 53 Resolver endpoints: DNS from and to the landing zone's clouds only",
            ingress=[
                aws.ec2.SecurityGroupIngressArgs(
                    protocol=p, from_port=DNS_PORT, to_port=DNS_PORT, cidr_blocks=sources, description=d
                )
                for p, d in rules
            ],
            egress=[
                aws.ec2.SecurityGroupEgressArgs(
                    protocol=p,
                    from_port=DNS_PORT,
                    to_port=DNS_PORT,
                    cidr_blocks=sorted(remote_supernets),
                    description=d,
                )
                for p, d in rules
            ],
            revoke_rules_on_delete=True,
            tags=ctx.tags_with(Name=ctx.physical("dns-resolver", code)),
            opts=child,
        )

        def endpoint(direction: str, addresses: tuple[Any, ...]) -> aws.route53.ResolverEndpoint:
            return aws.route53.ResolverEndpoint(
                f"{name}-{direction.lower()}",
                name=ctx.physical("dns", direction.lower(), code),
                direction=direction,
                security_group_ids=[self.security_group.id],
                protocols=["Do53"],
                ip_addresses=[
                    aws.route53.ResolverEndpointIpAddressArgs(subnet_id=s.id, ip=str(a))
                    for s, a in zip(subnets, addresses, strict=True)
                ],
                tags=ctx.tags_with(Name=ctx.physical("dns", direction.lower(), code)),
                opts=child,
            )

        # Answers to Cloud DNS's forwarders go back over the interconnect (GCP advertises the range).
        if "gcp" in forward:
            for i, table in enumerate(net["route_table_ids"]):
                aws.ec2.Route(
                    f"{name}-cloud-dns-{i}",
                    route_table_id=table,
                    destination_cidr_block=CLOUD_DNS_FORWARDERS,
                    transit_gateway_id=net["transit_gateway_id"],
                    opts=child,
                )
        self.inbound = endpoint("INBOUND", plan.resolver_inbound)
        self.outbound = endpoint("OUTBOUND", plan.resolver_outbound)
        for cloud, targets in sorted(forward.items()):
            target_domain = paths_plan.private_domain(cloud, ctx.org, ctx.env)
            rule = aws.route53.ResolverRule(
                f"{name}-forward-{cloud}",
                name=ctx.physical("forward", cloud),
                domain_name=target_domain,
                rule_type="FORWARD",
                resolver_endpoint_id=self.outbound.id,
                target_ips=[aws.route53.ResolverRuleTargetIpArgs(ip=ip, port=DNS_PORT) for ip in targets],
                tags=ctx.tags_with(Name=ctx.physical("forward", cloud)),
                opts=child,
            )
            aws.route53.ResolverRuleAssociation(
                f"{name}-forward-{cloud}-home",
                resolver_rule_id=rule.id,
                vpc_id=net["vpc_id"],
                name=ctx.physical("forward", cloud, code),
                opts=child,
            )
        self.register_outputs({"domain": domain})


class GcpDns(pulumi.ComponentResource):
    """`lz:paths:GcpDns`: the private zone, the inbound server policy and forwarding zones."""

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        foundation: dict[str, Any],
        domain: str,
        forward: dict[str, list[str]],
        inbound: str,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:paths:GcpDns", name, None, opts)
        project = ctx.cloud_spec.project
        network = foundation["network_id"]
        home = ctx.home_region
        visibility = gcp.dns.ManagedZonePrivateVisibilityConfigArgs(
            networks=[gcp.dns.ManagedZonePrivateVisibilityConfigNetworkArgs(network_url=network)]
        )
        self.zone = gcp.dns.ManagedZone(
            f"{name}-zone",
            name=ctx.physical("private"),
            project=project,
            dns_name=f"{domain}.",
            description="Private zone of the landing zone's GCP side",
            visibility="private",
            private_visibility_config=visibility,
            labels=ctx.tags,
            opts=ctx.opts(self),
        )
        # Reserved first, so the inbound entry point of the home region takes this fixed address.
        self.inbound_address = gcp.compute.Address(
            f"{name}-inbound-address",
            name=ctx.physical(ctx.region_code(home), "dns-inbound"),
            project=project,
            region=home,
            subnetwork=foundation["regions"][home]["subnet_id"],
            address_type="INTERNAL",
            address=inbound,
            purpose="DNS_RESOLVER",
            description="Inbound DNS forwarder entry point",
            labels=ctx.tags,
            opts=ctx.opts(self, region=home),
        )
        self.policy = gcp.dns.Policy(
            f"{name}-inbound",
            name=ctx.physical("dns-inbound"),
            project=project,
            enable_inbound_forwarding=True,
            enable_logging=True,
            description="Lets the other clouds resolve this VPC's private zones",
            networks=[gcp.dns.PolicyNetworkArgs(network_url=network)],
            opts=ctx.opts(self, depends_on=[self.inbound_address]),
        )
        for cloud, targets in sorted(forward.items()):
            target_domain = paths_plan.private_domain(cloud, ctx.org, ctx.env)
            gcp.dns.ManagedZone(
                f"{name}-forward-{cloud}",
                name=ctx.physical("forward", cloud),
                project=project,
                dns_name=f"{target_domain}.",
                description=f"Forwards {target_domain} to its resolvers over the VPN",
                visibility="private",
                private_visibility_config=visibility,
                forwarding_config=gcp.dns.ManagedZoneForwardingConfigArgs(
                    target_name_servers=[
                        gcp.dns.ManagedZoneForwardingConfigTargetNameServerArgs(
                            ipv4_address=ip, forwarding_path="private"
                        )
                        for ip in targets
                    ]
                ),
                labels=ctx.tags,
                opts=ctx.opts(self),
            )
        self.register_outputs({"domain": domain})


class AzureDns(pulumi.ComponentResource):
    """`lz:paths:AzureDns`: the private zone, a DNS Private Resolver and its forwarding ruleset."""

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        foundation: dict[str, Any],
        domain: str,
        forward: dict[str, list[str]],
        inbound: str,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:paths:AzureDns", name, None, opts)
        home = ctx.home_region
        code = ctx.region_code(home)
        net = foundation["regions"][home]
        rg = net["resource_group"]
        vnets = {region: r["vnet_id"] for region, r in foundation["regions"].items()}
        self.zone = azure_native.privatedns.PrivateZone(
            f"{name}-zone",
            private_zone_name=domain,
            resource_group_name=rg,
            location="Global",
            tags=ctx.tags,
            opts=ctx.opts(self),
        )
        for region, vnet in vnets.items():
            azure_native.privatedns.VirtualNetworkLink(
                f"{name}-zone-{region}",
                private_zone_name=self.zone.name,
                resource_group_name=rg,
                location="Global",
                virtual_network_link_name=naming.slug(
                    "vnl", ctx.org, ctx.env, ctx.region_code(region), "private", max_len=80
                ),
                virtual_network=azure_native.privatedns.SubResourceArgs(id=vnet),
                registration_enabled=False,
                tags=ctx.tags,
                opts=ctx.opts(self),
            )
        child = ctx.opts(self, region=home)
        self.resolver = azure_native.dnsresolver.DnsResolver(
            f"{name}-resolver",
            dns_resolver_name=naming.slug("dnspr", ctx.org, ctx.env, code, max_len=80),
            resource_group_name=rg,
            location=home,
            virtual_network=azure_native.dnsresolver.SubResourceArgs(id=vnets[home]),
            tags=ctx.tags,
            opts=child,
        )
        self.inbound = azure_native.dnsresolver.InboundEndpoint(
            f"{name}-inbound",
            inbound_endpoint_name="inbound",
            dns_resolver_name=self.resolver.name,
            resource_group_name=rg,
            location=home,
            ip_configurations=[
                azure_native.dnsresolver.IpConfigurationArgs(
                    subnet=azure_native.dnsresolver.SubResourceArgs(id=net["subnet_ids"]["dns-inbound"]),
                    private_ip_allocation_method="Static",
                    private_ip_address=inbound,
                )
            ],
            tags=ctx.tags,
            opts=child,
        )
        self.outbound = azure_native.dnsresolver.OutboundEndpoint(
            f"{name}-outbound",
            outbound_endpoint_name="outbound",
            dns_resolver_name=self.resolver.name,
            resource_group_name=rg,
            location=home,
            subnet=azure_native.dnsresolver.SubResourceArgs(id=net["subnet_ids"]["dns-outbound"]),
            tags=ctx.tags,
            opts=child,
        )
        self.ruleset = azure_native.dnsresolver.DnsForwardingRuleset(
            f"{name}-ruleset",
            dns_forwarding_ruleset_name=naming.slug("dnsfrs", ctx.org, ctx.env, code, max_len=80),
            resource_group_name=rg,
            location=home,
            dns_resolver_outbound_endpoints=[azure_native.dnsresolver.SubResourceArgs(id=self.outbound.id)],
            tags=ctx.tags,
            opts=child,
        )
        for cloud, targets in sorted(forward.items()):
            target_domain = paths_plan.private_domain(cloud, ctx.org, ctx.env)
            azure_native.dnsresolver.ForwardingRule(
                f"{name}-forward-{cloud}",
                forwarding_rule_name=f"forward-{cloud}",
                dns_forwarding_ruleset_name=self.ruleset.name,
                resource_group_name=rg,
                domain_name=f"{target_domain}.",
                forwarding_rule_state="Enabled",
                target_dns_servers=[
                    azure_native.dnsresolver.TargetDnsServerArgs(ip_address=ip, port=DNS_PORT) for ip in targets
                ],
                opts=child,
            )
        for region, vnet in vnets.items():
            azure_native.dnsresolver.PrivateResolverVirtualNetworkLink(
                f"{name}-ruleset-{region}",
                dns_forwarding_ruleset_name=self.ruleset.name,
                resource_group_name=rg,
                virtual_network_link_name=naming.slug("frsl", ctx.org, ctx.env, ctx.region_code(region), max_len=80),
                virtual_network=azure_native.dnsresolver.SubResourceArgs(id=vnet),
                opts=child,
            )
        self.register_outputs({"domain": domain})


def build(
    contexts: dict[str, CloudContext], foundations: dict[str, dict[str, Any]], prefix: str, opts: pulumi.ResourceOptions
) -> dict[str, Any]:
    """Every enabled cloud's zone, inbound resolver and forwarders; `{}` when DNS does not cross clouds."""
    spec = next(iter(contexts.values())).spec
    if not paths_plan.dns_enabled(list(contexts), spec.interconnect.topology):
        return {}
    names = domains(contexts)
    inbound = inbound_addresses(contexts, foundations)
    supernets = {cloud: str(ctx.cloud_spec.cidr) for cloud, ctx in contexts.items()}

    def others(cloud: str) -> dict[str, list[str]]:
        return {other: inbound[other] for other in contexts if other != cloud}

    if "aws" in contexts:
        AwsDns(
            f"{prefix}-aws-dns",
            contexts["aws"],
            foundations["aws"],
            names["aws"],
            others("aws"),
            [s for c, s in supernets.items() if c != "aws"],
            opts,
        )
    if "gcp" in contexts:
        GcpDns(
            f"{prefix}-gcp-dns",
            contexts["gcp"],
            foundations["gcp"],
            names["gcp"],
            others("gcp"),
            inbound["gcp"][0],
            opts,
        )
    if "azure" in contexts:
        AzureDns(
            f"{prefix}-azure-dns",
            contexts["azure"],
            foundations["azure"],
            names["azure"],
            others("azure"),
            inbound["azure"][0],
            opts,
        )
    return {cloud: {"domain": names[cloud], "inbound": inbound[cloud]} for cloud in contexts}
