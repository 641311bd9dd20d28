"""AWS network paths of one region: interface endpoints always, and the egress path `egress.mode` asks for.

`AwsRegionEndpoints` (`lz:paths:AwsRegionEndpoints`): one interface endpoint per service the landing
zone's workloads call (ECR api and dkr for images, STS, EC2, EKS, Logs, SSM, KMS, ...), in every
private subnet of the region, with private DNS on, so the services' public names resolve to the
endpoints inside the VPC; a security group admits HTTPS from the VPC only. With `egress: none` this
is the only way out of the VPC (with the foundation's S3 and DynamoDB gateway endpoints).

`AwsRegionEgress` (`lz:paths:AwsRegionEgress`), centralized egress: per region one egress VPC
(addresses from `lz.core.paths_plan.aws_egress_plan`) attached to the region's transit gateway,
holding the internet gateway, a NAT gateway per AZ in a public /28 and, with `firewall`, AWS Network
Firewall between them (the centralized deployment model: AWS Security Services Best Practices,
"Network Firewall: Deployment architecture", aws.github.io/aws-security-services-best-practices/
guides/network-firewall/deployment-architecture/docs/; "Avoiding asymmetric routing with AWS
Network Firewall", docs.aws.amazon.com/network-firewall/latest/developerguide/asymmetric-routing.html,
centralized model: appliance mode, both directions through the firewall; read 2026-12-05).
The path out: workload route tables `0.0.0.0/0` -> transit gateway -> a transit gateway route
table (the workload VPC's attachment is associated with it, and its only route is `0.0.0.0/0` to
the egress attachment) -> the egress VPC's attachment subnets -> firewall endpoint of the AZ
(firewall mode) -> NAT gateway -> internet gateway. Back: the public subnets send the
private ranges to the firewall endpoint (firewall mode) and the firewall subnets on to the transit
gateway, whose default route table holds the workload block. Appliance mode is on for the egress
attachment in firewall mode. The workload VPC holds no internet or NAT gateway.

Traffic from a workload to other clouds and regions also takes the transit gateway's new default
route: the egress VPC's attachment subnets hand every RFC 1918 range (and the interconnect's extra
ranges) straight back to the transit gateway, uninspected, where the default route table routes it
as before. That costs a second transit gateway data-processing charge on east-west traffic, and
keeps the default route (a static route, which the transit gateway would advertise over BGP) out of
the route table the VPN attachments use, so no other cloud learns a default route to AWS.

The policy uses strict rule order with `aws:drop_established` as default action: the TCP handshake
passes, the domain list (TLS SNI and HTTP Host) allows the spec's names, and every other
established flow is dropped and alerted. Alert and flow logs go to the account's audit bucket
(home region, KMS-encrypted, deletion denied) under `network-firewall/`, whose policy and key admit
the log delivery service for this account only (`lz.components.audit.aws`); a foundation
without an account trail keeps them in a KMS-encrypted log group of the region, kept a year.

The egress VPC keeps flow logs (all traffic) like the foundation's VPCs. What it does not do: TLS
inspection, east-west inspection, or IPv6.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from lz.core import ai_services, cidr, paths_plan
from lz.spec import LandingZone
from lz.spec.egress import Egress

from ..audit.aws import FIREWALL_LOG_PREFIX
from ..base import CloudContext
from ..network.aws import vpc_flow_logs

# What the landing zone's workloads call (EKS nodes: "Deploy private clusters with limited internet
# access", docs.aws.amazon.com/eks/latest/userguide/private-clusters.html; Fargate tasks: ECR, Logs
# and SSM for secrets, docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html; the
# OTel gateway's X-Ray and CloudWatch exporters; read 2026-12). S3 and DynamoDB are gateway
# endpoints of the foundation.
INTERFACE_SERVICES: tuple[str, ...] = (
    "ec2",
    "ecr.api",
    "ecr.dkr",
    "eks",
    "eks-auth",
    "elasticloadbalancing",
    "kms",
    "logs",
    "monitoring",
    "secretsmanager",
    "ssm",
    "sts",
    "xray",
)
LOG_RETENTION_DAYS = 365
RULE_GROUP_CAPACITY = 1000  # room for the spec's 200 names on two target types; a change replaces it
STRICT_ORDER = "STRICT_ORDER"


def interface_services(spec: LandingZone) -> tuple[str, ...]:
    """The interface endpoints of every region: the workloads' own, plus Bedrock's when the spec enables it."""
    extra = ai_services.BEDROCK_ENDPOINT_SERVICES if "bedrock" in spec.ai_services else ()
    return (*INTERFACE_SERVICES, *extra)


def firewall_targets(names: list[str]) -> list[str]:
    """Allowed names in Network Firewall's domain list form: `*.d` becomes `.d` (d and names under it)."""
    return sorted({name[1:] if name.startswith("*.") else name for name in names})


def endpoint_for_zone(statuses: Any, zone: str) -> str:
    """The firewall endpoint id in `zone`, from the firewall's `firewall_statuses`."""
    for status in statuses or []:
        for state in _get(status, "sync_states") or []:
            if _get(state, "availability_zone") == zone:
                for attachment in _get(state, "attachments") or []:
                    endpoint = _get(attachment, "endpoint_id")
                    if endpoint:
                        return str(endpoint)
    raise ValueError(f"the network firewall reports no endpoint in {zone}")


def _endpoint_in(zone: str) -> Any:
    def pick(statuses: Any) -> str:
        return endpoint_for_zone(statuses, zone)

    return pick


def _get(obj: Any, key: str) -> Any:
    # The SDK's output types are dicts with property getters; plain dicts (tests) have camelCase keys.
    if hasattr(type(obj), key):
        return getattr(obj, key)
    if isinstance(obj, dict):
        camel = key.split("_")[0] + "".join(p.title() for p in key.split("_")[1:])
        return obj.get(key, obj.get(camel))
    return getattr(obj, key, None)


class AwsRegionEndpoints(pulumi.ComponentResource):
    """`lz:paths:AwsRegionEndpoints`: interface endpoints with private DNS in one region's VPC."""

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        region: str,
        network: dict[str, Any],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:paths:AwsRegionEndpoints", name, None, opts)
        code = ctx.region_code(region)
        child = ctx.opts(self, region=region)
        services = interface_services(ctx.spec)
        self.security_group = aws.ec2.SecurityGroup(
            f"{name}-sg",
            name=ctx.physical("endpoints", code, max_len=255),
            description=f"Interface endpoints of {region}: HTTPS from the VPC only",
            vpc_id=network["vpc_id"],
            ingress=[
                aws.ec2.SecurityGroupIngressArgs(
                    description="HTTPS from workloads of the VPC",
                    protocol="tcp",
                    from_port=443,
                    to_port=443,
                    cidr_blocks=[network["vpc_cidr"]],
                )
            ],
            egress=[],
            revoke_rules_on_delete=True,
            tags=ctx.tags_with(Name=ctx.physical("endpoints", code)),
            opts=child,
        )
        self.endpoints = {
            service: aws.ec2.VpcEndpoint(
                f"{name}-{service.replace('.', '-')}",
                vpc_id=network["vpc_id"],
                service_name=f"com.amazonaws.{region}.{service}",
                vpc_endpoint_type="Interface",
                private_dns_enabled=True,
                subnet_ids=network["private_subnet_ids"],
                security_group_ids=[self.security_group.id],
                ip_address_type="ipv4",
                tags=ctx.tags_with(Name=ctx.physical(service.replace(".", "-"), "endpoint", code)),
                opts=child,
            )
            for service in services
        }
        self.register_outputs({"services": list(services)})


class AwsRegionEgress(pulumi.ComponentResource):
    """`lz:paths:AwsRegionEgress`: the region's shared egress VPC on its transit gateway (NAT, and
    Network Firewall when the spec asks for one)."""

    firewall: aws.networkfirewall.Firewall | None
    log_group: aws.cloudwatch.LogGroup | None

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        region: str,
        network: dict[str, Any],
        opts: pulumi.ResourceOptions | None = None,
        *,
        returns: Sequence[str] = (),
        audit: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__("lz:paths:AwsRegionEgress", name, None, opts)
        egress = ctx.spec.egress
        if egress.mode == "none":
            raise ValueError("AwsRegionEgress is built only for egress mode nat or firewall")
        code = ctx.region_code(region)
        zones: list[str] = list(network["availability_zones"])
        plan = paths_plan.aws_egress_plan(ctx.regions.index(region), len(zones))
        self.plan = plan
        firewall_mode = egress.mode == "firewall"
        tgw = network["transit_gateway_id"]
        # What the egress VPC hands back to the transit gateway: every private range (the landing
        # zone's networks in every cloud) and the extra ranges the interconnect carries.
        back = sorted({*(str(b) for b in cidr.RFC1918), *returns})

        def opts_(**kwargs: Any) -> pulumi.ResourceOptions:
            return ctx.opts(self, region=region, **kwargs)

        def tags(*parts: str, **extra: str) -> dict[str, str]:
            return ctx.tags_with(Name=ctx.physical(*parts), **extra)

        self.vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=str(plan.vpc),
            enable_dns_support=True,
            enable_dns_hostnames=True,
            instance_tenancy="default",
            tags=tags("egress-vpc", code),
            opts=opts_(),
        )
        vpc_id = self.vpc.id
        aws.ec2.DefaultSecurityGroup(
            f"{name}-default-sg",
            vpc_id=vpc_id,
            ingress=[],
            egress=[],
            revoke_rules_on_delete=True,
            tags=tags("egress-default-sg", code),
            opts=opts_(),
        )
        self.internet_gateway = aws.ec2.InternetGateway(
            f"{name}-igw", vpc_id=vpc_id, tags=tags("igw", code), opts=opts_()
        )
        # Flow logs (all traffic), as the foundation keeps them for its VPCs.
        vpc_flow_logs(
            name,
            ctx,
            self,
            region=region,
            code=code,
            vpc_id=self.vpc.id,
            kms_key_arn=network["kms_key_arn"],
            group_part="egress-vpc-flow-logs",
            role_part="egress-flow-logs",
            description=f"Delivers the flow logs of the egress VPC of {region} to their log group",
            policy_name="deliver-to-egress-flow-log-group",
        )

        def subnet(tier: str, i: int, block: Any) -> aws.ec2.Subnet:
            az = zones[i][len(region) :]
            return aws.ec2.Subnet(
                f"{name}-{tier}-{az}",
                vpc_id=vpc_id,
                availability_zone=zones[i],
                cidr_block=str(block),
                # Nothing launched here gets a public address; only the NAT gateways hold one.
                map_public_ip_on_launch=False,
                tags=ctx.tags_with(Name=ctx.physical(f"egress-{tier}", code, az), tier=f"egress-{tier}"),
                opts=opts_(),
            )

        def table(tier: str, i: int, sub: aws.ec2.Subnet) -> aws.ec2.RouteTable:
            az = zones[i][len(region) :]
            rt = aws.ec2.RouteTable(
                f"{name}-{tier}-rt-{az}", vpc_id=vpc_id, tags=tags(f"egress-{tier}-rt", code, az), opts=opts_()
            )
            aws.ec2.RouteTableAssociation(
                f"{name}-{tier}-{az}-rt", subnet_id=sub.id, route_table_id=rt.id, opts=opts_()
            )
            return rt

        attachment_subnets = [subnet("attach", i, plan.attachment[i]) for i in range(len(zones))]
        public_subnets = [subnet("public", i, plan.public[i]) for i in range(len(zones))]
        firewall_subnets = [subnet("firewall", i, plan.firewall[i]) for i in range(len(zones))] if firewall_mode else []

        # The egress VPC joins the region's transit gateway. Appliance mode keeps both directions of
        # a flow in one AZ, so on one firewall endpoint ("Transit gateway attachment configuration for
        # AWS Network Firewall", docs.aws.amazon.com/network-firewall/latest/developerguide/
        # vpc-config-tgw-multi-az.html, read 2026-12). It is associated with the default route table,
        # which holds the workload VPC's propagated block, the VPNs' routes and the peerings', so
        # return traffic finds its way; it propagates nothing, so its range is learned nowhere.
        self.attachment = aws.ec2transitgateway.VpcAttachment(
            f"{name}-tgw-attachment",
            transit_gateway_id=tgw,
            vpc_id=vpc_id,
            subnet_ids=[s.id for s in attachment_subnets],
            dns_support="enable",
            ipv6_support="disable",
            appliance_mode_support="enable" if firewall_mode else "disable",
            transit_gateway_default_route_table_association=True,
            transit_gateway_default_route_table_propagation=False,
            tags=tags("egress-tgw-attachment", code),
            opts=opts_(),
        )
        # The workload VPC's attachment leaves the default route table for one whose only route is
        # 0.0.0.0/0 to the egress VPC. The default route table (associated with the VPN attachments)
        # never holds a default route, so the transit gateway never advertises one over BGP to the
        # other clouds. Traffic to other clouds and regions takes the same default route and the
        # egress VPC hands it back (`back`), where the default route table sends it on.
        self.spokes_route_table = aws.ec2transitgateway.RouteTable(
            f"{name}-spokes-rt", transit_gateway_id=tgw, tags=tags("tgw-spokes-rt", code), opts=opts_()
        )
        association = aws.ec2transitgateway.RouteTableAssociation(
            f"{name}-spokes-association",
            transit_gateway_attachment_id=network["transit_gateway_attachment_id"],
            transit_gateway_route_table_id=self.spokes_route_table.id,
            opts=opts_(),
        )
        aws.ec2transitgateway.Route(
            f"{name}-spokes-default",
            destination_cidr_block="0.0.0.0/0",
            transit_gateway_attachment_id=self.attachment.id,
            transit_gateway_route_table_id=self.spokes_route_table.id,
            opts=opts_(),
        )

        self.firewall = None
        if firewall_mode:
            self.firewall = self._firewall(
                name, ctx, region, code, network, vpc_id, firewall_subnets, egress, audit or {}
            )

        self.nat_gateways: list[aws.ec2.NatGateway] = []
        for i, zone in enumerate(zones):
            az = zone[len(region) :]
            public_rt = table("public", i, public_subnets[i])
            aws.ec2.Route(
                f"{name}-public-{az}-default",
                route_table_id=public_rt.id,
                destination_cidr_block="0.0.0.0/0",
                gateway_id=self.internet_gateway.id,
                opts=opts_(),
            )
            eip = aws.ec2.Eip(
                f"{name}-nat-eip-{az}",
                domain="vpc",
                tags=tags("nat", code, az),
                opts=opts_(depends_on=[self.internet_gateway]),
            )
            nat = aws.ec2.NatGateway(
                f"{name}-nat-{az}",
                allocation_id=eip.id,
                subnet_id=public_subnets[i].id,
                connectivity_type="public",
                tags=tags("nat", code, az),
                opts=opts_(depends_on=[self.internet_gateway]),
            )
            self.nat_gateways.append(nat)
            attach_rt = table("attach", i, attachment_subnets[i])
            endpoint = self.firewall.firewall_statuses.apply(_endpoint_in(zone)) if self.firewall else None
            firewall_rt = table("firewall", i, firewall_subnets[i]) if self.firewall else attach_rt

            def route(key: str, rt: aws.ec2.RouteTable, dest: str, **target: Any) -> None:
                aws.ec2.Route(
                    f"{name}-{key}", route_table_id=rt.id, destination_cidr_block=dest, opts=opts_(), **target
                )

            # Out: transit gateway -> (firewall endpoint ->) NAT gateway -> internet gateway.
            if endpoint is None:
                route(f"attach-{az}-default", attach_rt, "0.0.0.0/0", nat_gateway_id=nat.id)
            else:
                route(f"attach-{az}-default", attach_rt, "0.0.0.0/0", vpc_endpoint_id=endpoint)
                route(f"firewall-{az}-default", firewall_rt, "0.0.0.0/0", nat_gateway_id=nat.id)
            # Back: the private ranges go to the transit gateway, from the NAT gateway's subnet
            # through the firewall endpoint first, so both directions are inspected (Network Firewall
            # does not support asymmetric routing: docs.aws.amazon.com/network-firewall/latest/
            # developerguide/asymmetric-routing.html, read 2026-12-05).
            for dest in back:
                key = dest.replace("/", "-").replace(".", "-")
                route(f"attach-{az}-back-{key}", attach_rt, dest, transit_gateway_id=tgw)
                if endpoint is None:
                    route(f"public-{az}-back-{key}", public_rt, dest, transit_gateway_id=tgw)
                else:
                    route(f"public-{az}-back-{key}", public_rt, dest, vpc_endpoint_id=endpoint)
                    route(f"firewall-{az}-back-{key}", firewall_rt, dest, transit_gateway_id=tgw)

        # The workload VPC sends what it routes nowhere else to the transit gateway, once its
        # attachment is associated with the route table that leads to the egress VPC.
        for i, zone in enumerate(zones):
            az = zone[len(region) :]
            aws.ec2.Route(
                f"{name}-private-{az}-default",
                route_table_id=network["route_table_ids"][i],
                destination_cidr_block="0.0.0.0/0",
                transit_gateway_id=tgw,
                opts=opts_(depends_on=[association, self.attachment]),
            )
        self.register_outputs(
            {
                "mode": egress.mode,
                "egress_vpc_cidr": str(plan.vpc),
                "nat_gateway_ids": [n.id for n in self.nat_gateways],
            }
        )

    def _firewall(
        self,
        name: str,
        ctx: CloudContext,
        region: str,
        code: str,
        network: dict[str, Any],
        vpc_id: pulumi.Input[str],
        subnets: list[aws.ec2.Subnet],
        egress: Egress,
        audit: Mapping[str, Any],
    ) -> aws.networkfirewall.Firewall:
        key = network["kms_key_arn"]
        encryption = {"type": "CUSTOMER_KMS", "key_id": key}
        child = ctx.opts(self, region=region)
        references = []
        targets = firewall_targets(ctx.spec.egress_allow)
        # No names: no rule group, and the default action drops every established flow.
        if targets:
            rule_group = aws.networkfirewall.RuleGroup(
                f"{name}-allow-domains",
                name=ctx.physical("egress-allow", code, max_len=128),
                description="Host names the landing zone's workloads may reach on the internet (egress.allow)",
                type="STATEFUL",
                capacity=RULE_GROUP_CAPACITY,
                rule_group=aws.networkfirewall.RuleGroupRuleGroupArgs(
                    rules_source=aws.networkfirewall.RuleGroupRuleGroupRulesSourceArgs(
                        rules_source_list=aws.networkfirewall.RuleGroupRuleGroupRulesSourceRulesSourceListArgs(
                            generated_rules_type="ALLOWLIST", target_types=["HTTP_HOST", "TLS_SNI"], targets=targets
                        )
                    ),
                    stateful_rule_options=aws.networkfirewall.RuleGroupRuleGroupStatefulRuleOptionsArgs(
                        rule_order=STRICT_ORDER
                    ),
                ),
                encryption_configuration=aws.networkfirewall.RuleGroupEncryptionConfigurationArgs(**encryption),
                tags=ctx.tags_with(Name=ctx.physical("egress-allow", code)),
                opts=child,
            )
            references.append(
                aws.networkfirewall.FirewallPolicyFirewallPolicyStatefulRuleGroupReferenceArgs(
                    resource_arn=rule_group.arn, priority=100
                )
            )
        policy = aws.networkfirewall.FirewallPolicy(
            f"{name}-policy",
            name=ctx.physical("egress", code, max_len=128),
            description="Egress of the landing zone: allow-listed names only",
            firewall_policy=aws.networkfirewall.FirewallPolicyFirewallPolicyArgs(
                stateless_default_actions=["aws:forward_to_sfe"],
                stateless_fragment_default_actions=["aws:forward_to_sfe"],
                stateful_engine_options=aws.networkfirewall.FirewallPolicyFirewallPolicyStatefulEngineOptionsArgs(
                    rule_order=STRICT_ORDER
                ),
                stateful_default_actions=["aws:drop_established", "aws:alert_established"],
                stateful_rule_group_references=references,
            ),
            encryption_configuration=aws.networkfirewall.FirewallPolicyEncryptionConfigurationArgs(**encryption),
            tags=ctx.tags_with(Name=ctx.physical("egress", code)),
            opts=child,
        )
        firewall = aws.networkfirewall.Firewall(
            f"{name}-firewall",
            name=ctx.physical("egress", code, max_len=128),
            description=f"Egress firewall of {region}",
            vpc_id=vpc_id,
            firewall_policy_arn=policy.arn,
            subnet_mappings=[aws.networkfirewall.FirewallSubnetMappingArgs(subnet_id=s.id) for s in subnets],
            delete_protection=ctx.protect,
            subnet_change_protection=ctx.protect,
            firewall_policy_change_protection=False,
            encryption_configuration=aws.networkfirewall.FirewallEncryptionConfigurationArgs(**encryption),
            tags=ctx.tags_with(Name=ctx.physical("egress", code)),
            opts=child,
        )
        self.log_group = None
        if audit.get("bucket") is not None:
            # The account's audit bucket (home region), whose policy and key admit the log delivery
            # service for this prefix (`lz.components.audit.aws.log_delivery_statements`). The trail's
            # ARN resolves only once the bucket policy exists (the trail waits for it), so waiting on
            # it orders the delivery after the policy that allows it.
            bucket = pulumi.Output.all(audit["bucket"], audit.get("trail_arn")).apply(lambda a: str(a[0]))
            destination: dict[str, Any] = {"bucketName": bucket, "prefix": FIREWALL_LOG_PREFIX}
            kind = "S3"
        else:
            # No account trail (the organization's records the account): a log group of the region.
            self.log_group = aws.cloudwatch.LogGroup(
                f"{name}-firewall-logs",
                name=ctx.physical("network-firewall", code, max_len=512),
                retention_in_days=LOG_RETENTION_DAYS,
                kms_key_id=key,
                log_group_class="STANDARD",
                tags=ctx.tags_with(Name=ctx.physical("network-firewall", code)),
                opts=ctx.opts(self, region=region, data=True),
            )
            destination, kind = {"logGroup": self.log_group.name}, "CloudWatchLogs"
        aws.networkfirewall.LoggingConfiguration(
            f"{name}-firewall-logging",
            firewall_arn=firewall.arn,
            logging_configuration=aws.networkfirewall.LoggingConfigurationLoggingConfigurationArgs(
                log_destination_configs=[
                    aws.networkfirewall.LoggingConfigurationLoggingConfigurationLogDestinationConfigArgs(
                        log_destination=destination,
                        log_destination_type=kind,
                        log_type=log_type,
                    )
                    for log_type in ("ALERT", "FLOW")
                ]
            ),
            opts=child,
        )
        return firewall
