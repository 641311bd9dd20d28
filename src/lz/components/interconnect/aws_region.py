"""`lz:interconnect:AwsRegionInterconnect`: what a linked AWS region needs besides its VPNs.

The VPN connections of every link in the region attach to the region's transit gateway, whose default
route table learns the other clouds' prefixes over BGP (the foundation enables propagation). What
the VPC still lacks is a way there: a route per remote cloud's supernet, on every route table of the
region's VPC, to the transit gateway. And the tunnels need somewhere to log: one CloudWatch log group
per region for IKE and BGP events of all its tunnels, encrypted with the region's KMS key and kept a
year, like the flow logs.

What it does not do: security groups (workloads own theirs) or transit gateway peering between AWS
regions (regions not listed in `interconnect.regions` stay off the interconnect).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from lz.contracts.foundation import AwsFoundationOutputs

from ..base import CloudContext

LOG_RETENTION_DAYS = 365


class AwsRegionInterconnect(pulumi.ComponentResource):
    """VPN log group and VPC routes to the other clouds for one linked AWS region."""

    log_group: aws.cloudwatch.LogGroup
    routes: dict[str, aws.ec2.Route]

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        region: str,
        *,
        foundation: AwsFoundationOutputs,
        destinations: Sequence[ipaddress.IPv4Network],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:interconnect:AwsRegionInterconnect", name, None, opts)
        self.region = region
        code = ctx.region_code(region)
        net = foundation["regions"][region]
        self.transit_gateway_id: pulumi.Input[str] = net["transit_gateway_id"]
        self.asn: int = net["transit_gateway_asn"]

        self.log_group = aws.cloudwatch.LogGroup(
            f"{name}-vpn-logs",
            name=ctx.physical("vpn-logs", code, max_len=512),
            retention_in_days=LOG_RETENTION_DAYS,
            kms_key_id=net["kms_key_arn"],
            log_group_class="STANDARD",
            tags=ctx.tags_with(Name=ctx.physical("vpn-logs", code)),
            opts=ctx.opts(self, region=region, data=True),
        )

        # A route to the transit gateway is refused until the VPC is attached to it: wait for the
        # attachment through the value itself, so the dependency survives in the graph.
        via = pulumi.Output.all(net["transit_gateway_id"], net["transit_gateway_attachment_id"]).apply(
            lambda ids: str(ids[0])
        )
        self.routes = {}
        for t, table_id in enumerate(net["route_table_ids"]):
            az = net["availability_zones"][t][len(region) :]
            for destination in destinations:
                key = f"{az}-{str(destination).replace('/', '-').replace('.', '-')}"
                self.routes[key] = aws.ec2.Route(
                    f"{name}-route-{key}",
                    route_table_id=table_id,
                    destination_cidr_block=str(destination),
                    transit_gateway_id=via,
                    opts=ctx.opts(self, region=region),
                )
        self.register_outputs({"log_group": self.log_group.name, "routes": sorted(str(d) for d in destinations)})
