"""`lz:keys:AwsRegionKey`: the customer-managed KMS key of one AWS region, and its alias.

Every AWS resource of the landing zone that holds data at rest in a region (flow-log groups, the
audit bucket and trail in the home region, whatever the waves add) is encrypted with this key. The
key is symmetric, rotates yearly, waits 30 days before deletion, and is protected from `pulumi
destroy` outside disposable test stacks.

Its key policy grants exactly three things: the account may delegate use of the key through IAM
(so no principal is named here besides the account root), CloudWatch Logs of this region may use it
for log groups of this account and region only, and, when the caller passes the ARN of a trail,
CloudTrail may generate data keys for that trail only.

What it does not do: grant any IAM principal use of the key (identity is another component's job),
create multi-region or asymmetric keys, or look the account up at run time (the spec names it, so
the policy is known at preview).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from lz.core import regions

from ..base import CloudContext

DELETION_WINDOW_DAYS = 30
ROTATION_PERIOD_DAYS = 365


def partition_of(region: str) -> str:
    """`aws`, `aws-cn` or `aws-us-gov`: ARNs and service principals differ per partition."""
    info = regions.region_info("aws", region) or {}
    return str(info.get("partition", "aws"))


def service_dns_suffix(region: str) -> str:
    return "amazonaws.com.cn" if partition_of(region) == "aws-cn" else "amazonaws.com"


def key_policy(
    *, account_id: str, region: str, trail_arns: Sequence[str] = (), firewall_logs: bool = False
) -> dict[str, Any]:
    """The key policy document (a pure function of its arguments, so tests can read it)."""
    partition = partition_of(region)
    statements: list[dict[str, Any]] = [
        {
            # Without this statement IAM policies could not grant use of the key, and only the key
            # policy would ever authorise anyone: the account root stands for "the account's IAM".
            "Sid": "EnableIamPolicies",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:{partition}:iam::{account_id}:root"},
            "Action": "kms:*",
            "Resource": "*",
        },
        {
            "Sid": "AllowCloudWatchLogsOfThisAccountAndRegion",
            "Effect": "Allow",
            "Principal": {"Service": f"logs.{region}.{service_dns_suffix(region)}"},
            "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            "Resource": "*",
            "Condition": {
                "ArnLike": {
                    "kms:EncryptionContext:aws:logs:arn": f"arn:{partition}:logs:{region}:{account_id}:log-group:*",
                },
            },
        },
    ]
    if trail_arns:
        # CloudTrail names the trail in both the request (aws:SourceArn) and the encryption context;
        # requiring both keeps other accounts' trails from using this key through a confused deputy.
        source = {"aws:SourceArn": list(trail_arns)}
        statements.append(
            {
                "Sid": "AllowCloudTrailToEncryptLogs",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "kms:GenerateDataKey*",
                "Resource": "*",
                "Condition": {
                    "StringEquals": source,
                    "StringLike": {
                        "kms:EncryptionContext:aws:cloudtrail:arn": (
                            f"arn:{partition}:cloudtrail:*:{account_id}:trail/*"
                        ),
                    },
                },
            }
        )
        statements.append(
            {
                "Sid": "AllowCloudTrailToDescribeKey",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "kms:DescribeKey",
                "Resource": "*",
                "Condition": {"StringEquals": source},
            }
        )
    if firewall_logs:
        # The audit bucket is encrypted with this key: the log delivery service writing the Network
        # Firewall logs there must use it, for this account's delivery sources only (any region, so
        # adding a region changes no policy)
        # ("Logs sent to Amazon S3: Amazon S3 bucket server-side encryption",
        # docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html, read 2026-12).
        statements.append(
            {
                "Sid": "AllowLogDeliveryToEncryptFirewallLogs",
                "Effect": "Allow",
                "Principal": {"Service": "delivery.logs.amazonaws.com"},
                "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": account_id},
                    "ArnLike": {"aws:SourceArn": f"arn:{partition}:logs:*:{account_id}:*"},
                },
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


class AwsRegionKey(pulumi.ComponentResource):
    """A symmetric CMK with rotation for one region, and `alias/<org>-<env>-<region-code>`."""

    key: aws.kms.Key
    alias: aws.kms.Alias

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        region: str,
        *,
        trail_arns: Sequence[str] = (),
        firewall_logs: bool = False,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:keys:AwsRegionKey", name, None, opts)
        if region not in ctx.regions:
            raise ValueError(f"region {region!r} is not one of clouds.aws.regions ({', '.join(ctx.regions)})")
        account_id = ctx.cloud_spec.account_id
        code = ctx.region_code(region)
        self.region = region
        self.alias_name = "alias/" + ctx.physical(code, max_len=250)
        policy = key_policy(account_id=account_id, region=region, trail_arns=trail_arns, firewall_logs=firewall_logs)

        self.key = aws.kms.Key(
            f"{name}-cmk",
            description=f"{ctx.org} {ctx.env} landing zone: data at rest in {region}",
            key_usage="ENCRYPT_DECRYPT",
            customer_master_key_spec="SYMMETRIC_DEFAULT",
            multi_region=False,
            is_enabled=True,
            enable_key_rotation=True,
            rotation_period_in_days=ROTATION_PERIOD_DAYS,
            deletion_window_in_days=DELETION_WINDOW_DAYS,
            bypass_policy_lockout_safety_check=False,
            policy=json.dumps(policy),
            tags=ctx.tags_with(Name=ctx.physical("cmk", code)),
            opts=ctx.opts(self, region=region, data=True),
        )
        self.alias = aws.kms.Alias(
            f"{name}-alias",
            name=self.alias_name,
            target_key_id=self.key.key_id,
            opts=ctx.opts(self, region=region),
        )
        self.register_outputs({"key_arn": self.key.arn, "key_id": self.key.key_id, "alias": self.alias.name})
