"""`lz:network:AwsRegionNetwork`: the private network of one AWS region and its transit hub.

One VPC over the region's first two or three availability zones, addressed by
`lz.core.cidr.aws_region_plan` from the region's block of the AWS supernet: per AZ a private subnet
(workloads), a data subnet (databases, replication) and a small transit subnet (the transit gateway
attachment), all three on that AZ's route table. No subnet is public and none maps public IPs;
nothing here routes to the internet. S3 and DynamoDB are reached through gateway endpoints on every
route table.

The default security group is taken over with no rules, so anything launched without an explicit
group can talk to nothing. VPC flow logs (all traffic) go to a CloudWatch log group encrypted with
the region's KMS key and kept for a year; the delivery role may write to that log group only.

A transit gateway per region, with a private ASN fixed by the region's position in the spec
(`lz.core.interconnect_plan.default_asn`: 64512 + index, so appending a region never renumbers one), is
attached to the transit subnets: it is the hub the interconnect attaches VPNs and peerings to.
Shared attachments are never accepted automatically. The VPC's attachment propagates its block to
the default route table; with `egress.mode` nat or firewall it is not associated with it, since
the paths stage associates it with the route table that leads to the region's egress VPC
(`lz.components.paths.aws`).

What it does not do: create internet or NAT gateways, routes beyond the VPC's own (the interconnect
adds routes to the transit gateway on `route_tables`), interface endpoints, or security groups for
workloads.
"""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from lz.core import cidr, interconnect_plan
from lz.core import regions as catalog

from ..base import CloudContext
from ..keys.aws import partition_of

TGW_ASN_BASE = interconnect_plan.ASN_BASES["aws"]
MAX_ZONES = 3
MIN_ZONES = 2
FLOW_LOG_RETENTION_DAYS = 365
GATEWAY_ENDPOINT_SERVICES = ("s3", "dynamodb")


def tgw_asn(region_index: int) -> int:
    """The transit gateway's Amazon-side ASN for the region at `region_index` of the spec.

    The interconnect plan owns every cloud's ASNs (it keeps them apart); the foundation only reads it.
    """
    return interconnect_plan.default_asn("aws", region_index)


def network_zones(region: str) -> list[str]:
    """The AZs the network spans: the catalog's first three (at least two)."""
    zones = catalog.zones("aws", region)[:MAX_ZONES]
    if len(zones) < MIN_ZONES:
        raise ValueError(
            f"AWS region {region!r} has {len(zones)} catalogued availability zone(s); "
            f"the landing zone needs at least {MIN_ZONES}"
        )
    return zones


class AwsRegionNetwork(pulumi.ComponentResource):
    """VPC, subnets per AZ and tier, route tables, flow logs, gateway endpoints and transit gateway."""

    vpc: aws.ec2.Vpc
    private_subnets: list[aws.ec2.Subnet]
    data_subnets: list[aws.ec2.Subnet]
    transit_subnets: list[aws.ec2.Subnet]
    route_tables: list[aws.ec2.RouteTable]
    default_security_group: aws.ec2.DefaultSecurityGroup
    flow_log_group: aws.cloudwatch.LogGroup
    flow_log_role: aws.iam.Role
    flow_log_policy: aws.iam.RolePolicy
    flow_log: aws.ec2.FlowLog
    endpoints: dict[str, aws.ec2.VpcEndpoint]
    transit_gateway: aws.ec2transitgateway.TransitGateway
    transit_attachment: aws.ec2transitgateway.VpcAttachment

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        region: str,
        *,
        kms_key_arn: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:network:AwsRegionNetwork", name, None, opts)
        if region not in ctx.regions:
            raise ValueError(f"region {region!r} is not one of clouds.aws.regions ({', '.join(ctx.regions)})")
        self.region = region
        self.zones = network_zones(region)
        self.plan = cidr.aws_region_plan(ctx.cloud_spec.region_blocks()[region], len(self.zones))
        self.asn = tgw_asn(ctx.regions.index(region))
        self._ctx = ctx
        self._code = ctx.region_code(region)
        self._base = name
        code = self._code

        self.vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=str(self.plan.vpc),
            enable_dns_support=True,
            enable_dns_hostnames=True,
            instance_tenancy="default",
            tags=self._tags("vpc", code),
            opts=self._child_opts(),
        )
        # Take over the default group with no ingress and no egress: an instance launched without
        # a group of its own must not inherit "allow all from the same group".
        self.default_security_group = aws.ec2.DefaultSecurityGroup(
            f"{name}-default-sg",
            vpc_id=self.vpc.id,
            ingress=[],
            egress=[],
            revoke_rules_on_delete=True,
            tags=self._tags("default-sg", code),
            opts=self._child_opts(),
        )

        self.route_tables = []
        self.private_subnets, self.data_subnets, self.transit_subnets = [], [], []
        tiers = (
            ("private", self.plan.private, self.private_subnets),
            ("data", self.plan.data, self.data_subnets),
            ("transit", self.plan.transit, self.transit_subnets),
        )
        for i, zone in enumerate(self.zones):
            # The AZ letter is the stable key: it never changes when other zones or regions do.
            az = zone[len(region) :]
            table = aws.ec2.RouteTable(
                f"{name}-rt-{az}",
                vpc_id=self.vpc.id,
                tags=self._tags("rt", code, az),
                opts=self._child_opts(),
            )
            self.route_tables.append(table)
            for tier, blocks, subnets in tiers:
                subnet = aws.ec2.Subnet(
                    f"{name}-{tier}-{az}",
                    vpc_id=self.vpc.id,
                    availability_zone=zone,
                    cidr_block=str(blocks[i]),
                    map_public_ip_on_launch=False,
                    assign_ipv6_address_on_creation=False,
                    tags=ctx.tags_with(Name=ctx.physical(tier, code, az), tier=tier),
                    opts=self._child_opts(),
                )
                subnets.append(subnet)
                aws.ec2.RouteTableAssociation(
                    f"{name}-{tier}-{az}-rt",
                    subnet_id=subnet.id,
                    route_table_id=table.id,
                    opts=self._child_opts(),
                )

        self.endpoints = {
            service: aws.ec2.VpcEndpoint(
                f"{name}-{service}-endpoint",
                vpc_id=self.vpc.id,
                service_name=f"com.amazonaws.{region}.{service}",
                vpc_endpoint_type="Gateway",
                route_table_ids=[t.id for t in self.route_tables],
                tags=self._tags(service, "endpoint", code),
                opts=self._child_opts(),
            )
            for service in GATEWAY_ENDPOINT_SERVICES
        }

        self._flow_logs(kms_key_arn)

        self.transit_gateway = aws.ec2transitgateway.TransitGateway(
            f"{name}-tgw",
            description=f"{ctx.org} {ctx.env} landing zone transit hub in {region}",
            amazon_side_asn=self.asn,
            auto_accept_shared_attachments="disable",
            default_route_table_association="enable",
            default_route_table_propagation="enable",
            dns_support="enable",
            vpn_ecmp_support="enable",
            multicast_support="disable",
            tags=self._tags("tgw", code),
            opts=self._child_opts(),
        )
        self.transit_attachment = aws.ec2transitgateway.VpcAttachment(
            f"{name}-tgw-attachment",
            transit_gateway_id=self.transit_gateway.id,
            vpc_id=self.vpc.id,
            subnet_ids=[s.id for s in self.transit_subnets],
            dns_support="enable",
            ipv6_support="disable",
            appliance_mode_support="disable",
            # With egress on, the egress component associates it with the route table that leads
            # to the egress VPC (`lz.components.paths.aws`); it still propagates its block here.
            transit_gateway_default_route_table_association=ctx.spec.egress.mode == "none",
            transit_gateway_default_route_table_propagation=True,
            tags=self._tags("tgw-attachment", code),
            opts=self._child_opts(),
        )

        self.register_outputs(
            {
                "vpc_id": self.vpc.id,
                "vpc_cidr": str(self.plan.vpc),
                "private_subnet_ids": [s.id for s in self.private_subnets],
                "data_subnet_ids": [s.id for s in self.data_subnets],
                "transit_subnet_ids": [s.id for s in self.transit_subnets],
                "route_table_ids": [t.id for t in self.route_tables],
                "transit_gateway_id": self.transit_gateway.id,
                "transit_gateway_asn": self.asn,
            }
        )

    def _child_opts(self, *, data: bool = False, **kwargs: Any) -> pulumi.ResourceOptions:
        return self._ctx.opts(self, region=self.region, data=data, **kwargs)

    def _tags(self, *parts: str) -> dict[str, str]:
        """The landing zone's tags plus a `Name`, which the AWS console shows."""
        return self._ctx.tags_with(Name=self._ctx.physical(*parts))

    def _flow_logs(self, kms_key_arn: pulumi.Input[str]) -> None:
        self.flow_log_group, self.flow_log_role, self.flow_log_policy, self.flow_log = vpc_flow_logs(
            self._base,
            self._ctx,
            self,
            region=self.region,
            code=self._code,
            vpc_id=self.vpc.id,
            kms_key_arn=kms_key_arn,
            group_part="vpc-flow-logs",
            role_part="vpc-flow-logs",
            description=f"Delivers VPC flow logs of {self.region} to their log group",
            policy_name="deliver-to-flow-log-group",
        )


def vpc_flow_logs(
    name: str,
    ctx: CloudContext,
    parent: pulumi.Resource,
    *,
    region: str,
    code: str,
    vpc_id: pulumi.Input[str],
    kms_key_arn: pulumi.Input[str],
    group_part: str,
    role_part: str,
    description: str,
    policy_name: str,
) -> tuple[aws.cloudwatch.LogGroup, aws.iam.Role, aws.iam.RolePolicy, aws.ec2.FlowLog]:
    """Flow logs (all traffic) of a VPC: a log group encrypted with the region's key and kept a year,
    written by a role only the flow logs service of this account and region may assume, and only
    into that group. `group_part` and `role_part` name the group and the role (`ctx.physical`)."""
    account_id = ctx.cloud_spec.account_id
    opts = ctx.opts(parent, region=region)
    group = aws.cloudwatch.LogGroup(
        f"{name}-flow-logs",
        name=ctx.physical(group_part, code, max_len=512),
        retention_in_days=FLOW_LOG_RETENTION_DAYS,
        kms_key_id=kms_key_arn,
        log_group_class="STANDARD",
        tags=ctx.tags_with(Name=ctx.physical(group_part, code)),
        opts=ctx.opts(parent, region=region, data=True),
    )
    # The service may assume the role only for flow logs of this account and region.
    assume = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": account_id},
                    "ArnLike": {
                        "aws:SourceArn": f"arn:{partition_of(region)}:ec2:{region}:{account_id}:vpc-flow-log/*"
                    },
                },
            }
        ],
    }
    role = aws.iam.Role(
        f"{name}-flow-logs-role",
        name=ctx.physical(role_part, code, max_len=64),
        description=description,
        assume_role_policy=json.dumps(assume),
        max_session_duration=3600,
        force_detach_policies=True,
        tags=ctx.tags_with(Name=ctx.physical(role_part, code)),
        opts=opts,
    )
    # Streams are created and written in this one log group; nothing else, not even listing
    # other groups, is needed for delivery.
    policy = aws.iam.RolePolicy(
        f"{name}-flow-logs-policy",
        name=policy_name,
        role=role.name,
        policy=pulumi.Output.json_dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "WriteFlowLogGroup",
                        "Effect": "Allow",
                        "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                        "Resource": [group.arn, group.arn.apply(lambda a: f"{a}:*")],
                    }
                ],
            }
        ),
        opts=opts,
    )
    flow_log = aws.ec2.FlowLog(
        f"{name}-flow-log",
        vpc_id=vpc_id,
        traffic_type="ALL",
        log_destination_type="cloud-watch-logs",
        log_destination=group.arn,
        iam_role_arn=role.arn,
        max_aggregation_interval=60,
        tags=ctx.tags_with(Name=ctx.physical(group_part.removesuffix("s"), code)),  # the log, of the group's logs
        opts=ctx.opts(parent, region=region, depends_on=[policy]),
    )
    return group, role, policy, flow_log
