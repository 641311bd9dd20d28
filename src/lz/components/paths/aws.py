"""AWS network paths of one region: interface endpoints always, and the egress path `egress.mode` asks for.

`AwsRegionEndpoints` (`lz:paths:AwsRegionEndpoints`): one interface endpoint per service the landing
zone's workloads call (ECR api and dkr for images, STS, EC2, EKS, Logs, SSM, KMS, ...), in every
private subnet of the region, with private DNS on, so the services' public names resolve to the
endpoints inside the VPC; a security group admits HTTPS from the VPC only. With `egress: none` this
is the only way out of the VPC (with the foundation's S3 and DynamoDB gateway endpoints).

`AwsRegionEgress` (`lz:paths:AwsRegionEgress`), per-VPC (distributed) egress:
* `nat`: an internet gateway, a public /28 per AZ holding only a NAT gateway, and `0.0.0.0/0` from
  the AZ's private route table to its NAT gateway.
* `firewall`: the same, with AWS Network Firewall in between. Private route tables send
  `0.0.0.0/0` to the AZ's firewall endpoint, the firewall subnets to the NAT gateway, and the public
  route tables send return traffic for the AZ's private and data subnets back through the firewall
  endpoint, so both directions are inspected ("Deployment models for AWS Network Firewall",
  distributed model with NAT gateway, docs.aws.amazon.com/network-firewall, read 2026-12). The
  policy uses strict rule order with `aws:drop_established` as default action: the TCP handshake
  passes, the domain list (TLS SNI and HTTP Host) allows the spec's names, and every other
  established flow is dropped and alerted. Alert and flow logs go to a KMS-encrypted log group kept
  a year, beside the VPC flow logs.

Addresses come from `lz.core.paths_plan`. What it does not do: a shared egress VPC on the transit
gateway, TLS inspection, or IPv6.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from lz.core import ai_services, cidr, paths_plan
from lz.spec import LandingZone
from lz.spec.egress import Egress

from ..base import CloudContext

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
    """`lz:paths:AwsRegionEgress`: NAT gateways, and Network Firewall when the spec asks for one."""

    firewall: aws.networkfirewall.Firewall | None

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        region: str,
        network: dict[str, Any],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:paths:AwsRegionEgress", name, None, opts)
        egress = ctx.spec.egress
        if egress.mode == "none":
            raise ValueError("AwsRegionEgress is built only for egress mode nat or firewall")
        code = ctx.region_code(region)
        zones: list[str] = list(network["availability_zones"])
        block = ctx.cloud_spec.region_blocks()[region]
        plan = paths_plan.aws_paths_plan(block, len(zones))
        self.plan = plan
        found = cidr.aws_region_plan(block, len(zones))
        vpc_id = network["vpc_id"]

        def opts_(**kwargs: Any) -> pulumi.ResourceOptions:
            return ctx.opts(self, region=region, **kwargs)

        def tags(*parts: str) -> dict[str, str]:
            return ctx.tags_with(Name=ctx.physical(*parts))

        self.internet_gateway = aws.ec2.InternetGateway(
            f"{name}-igw", vpc_id=vpc_id, tags=tags("igw", code), opts=opts_()
        )

        firewall_mode = egress.mode == "firewall"
        self.firewall = None
        firewall_subnets: list[aws.ec2.Subnet] = []
        if firewall_mode:
            for i, zone in enumerate(zones):
                az = zone[len(region) :]
                firewall_subnets.append(
                    aws.ec2.Subnet(
                        f"{name}-firewall-{az}",
                        vpc_id=vpc_id,
                        availability_zone=zone,
                        cidr_block=str(plan.firewall[i]),
                        map_public_ip_on_launch=False,
                        tags=ctx.tags_with(Name=ctx.physical("firewall", code, az), tier="firewall"),
                        opts=opts_(),
                    )
                )
            self.firewall = self._firewall(name, ctx, region, code, network, firewall_subnets, egress)

        self.nat_gateways: list[aws.ec2.NatGateway] = []
        for i, zone in enumerate(zones):
            az = zone[len(region) :]
            public = aws.ec2.Subnet(
                f"{name}-public-{az}",
                vpc_id=vpc_id,
                availability_zone=zone,
                cidr_block=str(plan.public[i]),
                # Only the NAT gateway lives here; nothing launched in it gets a public address.
                map_public_ip_on_launch=False,
                tags=ctx.tags_with(Name=ctx.physical("public", code, az), tier="public"),
                opts=opts_(),
            )
            public_rt = aws.ec2.RouteTable(
                f"{name}-public-rt-{az}", vpc_id=vpc_id, tags=tags("public-rt", code, az), opts=opts_()
            )
            aws.ec2.RouteTableAssociation(
                f"{name}-public-{az}-rt", subnet_id=public.id, route_table_id=public_rt.id, opts=opts_()
            )
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
                subnet_id=public.id,
                connectivity_type="public",
                tags=tags("nat", code, az),
                opts=opts_(depends_on=[self.internet_gateway]),
            )
            self.nat_gateways.append(nat)
            private_rt = network["route_table_ids"][i]
            if self.firewall is None:
                aws.ec2.Route(
                    f"{name}-private-{az}-default",
                    route_table_id=private_rt,
                    destination_cidr_block="0.0.0.0/0",
                    nat_gateway_id=nat.id,
                    opts=opts_(),
                )
                continue
            endpoint = self.firewall.firewall_statuses.apply(_endpoint_in(zone))
            aws.ec2.Route(
                f"{name}-private-{az}-default",
                route_table_id=private_rt,
                destination_cidr_block="0.0.0.0/0",
                vpc_endpoint_id=endpoint,
                opts=opts_(),
            )
            firewall_rt = aws.ec2.RouteTable(
                f"{name}-firewall-rt-{az}", vpc_id=vpc_id, tags=tags("firewall-rt", code, az), opts=opts_()
            )
            aws.ec2.RouteTableAssociation(
                f"{name}-firewall-{az}-rt",
                subnet_id=firewall_subnets[i].id,
                route_table_id=firewall_rt.id,
                opts=opts_(),
            )
            aws.ec2.Route(
                f"{name}-firewall-{az}-default",
                route_table_id=firewall_rt.id,
                destination_cidr_block="0.0.0.0/0",
                nat_gateway_id=nat.id,
                opts=opts_(),
            )
            # Return traffic from the NAT gateway to this AZ's workloads goes back through the firewall.
            for tier, ranges in (("private", found.private), ("data", found.data)):
                aws.ec2.Route(
                    f"{name}-public-{az}-return-{tier}",
                    route_table_id=public_rt.id,
                    destination_cidr_block=str(ranges[i]),
                    vpc_endpoint_id=endpoint,
                    opts=opts_(),
                )
        self.register_outputs({"mode": egress.mode, "nat_gateway_ids": [n.id for n in self.nat_gateways]})

    def _firewall(
        self,
        name: str,
        ctx: CloudContext,
        region: str,
        code: str,
        network: dict[str, Any],
        subnets: list[aws.ec2.Subnet],
        egress: Egress,
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
            vpc_id=network["vpc_id"],
            firewall_policy_arn=policy.arn,
            subnet_mappings=[aws.networkfirewall.FirewallSubnetMappingArgs(subnet_id=s.id) for s in subnets],
            delete_protection=ctx.protect,
            subnet_change_protection=ctx.protect,
            firewall_policy_change_protection=False,
            encryption_configuration=aws.networkfirewall.FirewallEncryptionConfigurationArgs(**encryption),
            tags=ctx.tags_with(Name=ctx.physical("egress", code)),
            opts=child,
        )
        self.log_group = aws.cloudwatch.LogGroup(
            f"{name}-firewall-logs",
            name=ctx.physical("network-firewall", code, max_len=512),
            retention_in_days=LOG_RETENTION_DAYS,
            kms_key_id=key,
            log_group_class="STANDARD",
            tags=ctx.tags_with(Name=ctx.physical("network-firewall", code)),
            opts=ctx.opts(self, region=region, data=True),
        )
        aws.networkfirewall.LoggingConfiguration(
            f"{name}-firewall-logging",
            firewall_arn=firewall.arn,
            logging_configuration=aws.networkfirewall.LoggingConfigurationLoggingConfigurationArgs(
                log_destination_configs=[
                    aws.networkfirewall.LoggingConfigurationLoggingConfigurationLogDestinationConfigArgs(
                        log_destination={"logGroup": self.log_group.name},
                        log_destination_type="CloudWatchLogs",
                        log_type=log_type,
                    )
                    for log_type in ("ALERT", "FLOW")
                ]
            ),
            opts=child,
        )
        return firewall
