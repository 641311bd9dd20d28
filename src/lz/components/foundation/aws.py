"""The AWS foundation: per region a KMS key and a network, and one audit trail for the account.

`build` hangs everything under one `lz:foundation:AwsFoundation` component. Per region it creates
the key first (the network's flow-log group is encrypted with it), then the network; the audit
trail follows in the home region with the home key. Every child's logical name is the foundation's
name plus a purpose and the region, so appending a region to the spec adds resources and never
renames or changes an existing one.

It returns the values the waves and the interconnect read, per region (`vpc_id`, subnets, the
transit gateway, the key), plus the audit bucket and trail and the account id. What it does not do:
interconnect the regions or the clouds, or grant anyone use of the keys.
"""

from __future__ import annotations

import pulumi

from lz.contracts.foundation import AwsAccountTrail, AwsFoundationOutputs, AwsOrganizationTrail, AwsRegionOutputs

from ..audit.aws import AwsAuditTrail, keeps_firewall_logs, trail_arn
from ..base import CloudContext
from ..keys.aws import AwsRegionKey
from ..network.aws import AwsRegionNetwork


class AwsFoundation(pulumi.ComponentResource):
    """`lz:foundation:AwsFoundation`: the keys, networks and audit trail of one AWS account."""

    keys: dict[str, AwsRegionKey]
    networks: dict[str, AwsRegionNetwork]
    audit: AwsAuditTrail | None

    def __init__(self, name: str, ctx: CloudContext, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("lz:foundation:AwsFoundation", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.keys, self.networks = {}, {}
        # Without an account trail (`account_trail: false`), the organization's trail records the account.
        home_trail = trail_arn(ctx) if ctx.spec.account_trail else None
        for region in ctx.regions:
            # Only the home key is the trail's; the others never see CloudTrail.
            trails = [home_trail] if region == ctx.home_region and home_trail else []
            # The home key encrypts the audit bucket, which keeps the firewalls' logs (firewall mode).
            logs = region == ctx.home_region and home_trail is not None and keeps_firewall_logs(ctx)
            key = AwsRegionKey(f"{name}-key-{region}", ctx, region, trail_arns=trails, firewall_logs=logs, opts=child)
            self.keys[region] = key
            self.networks[region] = AwsRegionNetwork(
                f"{name}-net-{region}", ctx, region, kms_key_arn=key.key.arn, opts=child
            )
        self.audit = (
            AwsAuditTrail(f"{name}-audit", ctx, kms_key_arn=self.keys[ctx.home_region].key.arn, opts=child)
            if ctx.spec.account_trail
            else None
        )
        self.outputs = AwsFoundationOutputs(
            account_id=ctx.cloud_spec.account_id,
            home_region=ctx.home_region,
            regions={region: self._region_outputs(region) for region in ctx.regions},
            audit=(
                AwsAccountTrail(bucket=self.audit.bucket.id, trail_arn=self.audit.trail.arn)
                if self.audit
                else AwsOrganizationTrail(organization_trail=True)
            ),
        )
        self.register_outputs(dict(self.outputs))

    def _region_outputs(self, region: str) -> AwsRegionOutputs:
        net, key = self.networks[region], self.keys[region]
        return AwsRegionOutputs(
            vpc_id=net.vpc.id,
            vpc_cidr=str(net.plan.vpc),
            availability_zones=list(net.zones),
            private_subnet_ids=[s.id for s in net.private_subnets],
            data_subnet_ids=[s.id for s in net.data_subnets],
            transit_subnet_ids=[s.id for s in net.transit_subnets],
            route_table_ids=[t.id for t in net.route_tables],
            transit_gateway_id=net.transit_gateway.id,
            transit_gateway_asn=net.asn,
            transit_gateway_attachment_id=net.transit_attachment.id,
            transit_gateway_route_table_id=net.transit_gateway.association_default_route_table_id,
            kms_key_arn=key.key.arn,
            kms_key_id=key.key.key_id,
            kms_alias=key.alias_name,
        )


def build(ctx: CloudContext, opts: pulumi.ResourceOptions) -> AwsFoundationOutputs:
    foundation = AwsFoundation(f"{ctx.org}-{ctx.env}-aws", ctx, opts)
    return foundation.outputs
