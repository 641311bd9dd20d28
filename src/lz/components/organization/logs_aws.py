"""`lz:organization:AwsLogArchive`: the organization trail and the log-archive bucket it writes to.

In the log-archive account (reached through the role AWS Organizations creates in every vended
account): a KMS key that CloudTrail may use for this organization's trail only, and an S3 bucket
that is private in every way S3 allows, TLS-only, encrypted with that key by default, versioned, and
under S3 Object Lock (COMPLIANCE mode for `log_retention_days` outside `environment: test`, so
nobody, root included, can delete or overwrite a log before then). Its policy lets CloudTrail write
only on behalf of the organization trail (`aws:SourceArn`), under `AWSLogs/<management account>/`
and `AWSLogs/<organization id>/`. Reading is through IAM of the log-archive account (the key and
bucket trust that account only), which is where auditors' roles are granted.

In the management account: the multi-region organization trail with log file validation.

Sources (read 2026-12): https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
(organization trail bucket policy), https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
(key policy), https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html (versioning is required).
"""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from .context import OrgContext

ACCESS_ROLE = "OrganizationAccountAccessRole"


def trail_name(ctx: OrgContext) -> str:
    return ctx.physical("org-trail", max_len=128)


def trail_arn(ctx: OrgContext) -> str:
    spec = ctx.cloud_spec
    return f"arn:aws:cloudtrail:{spec.home_region}:{spec.management_account_id}:trail/{trail_name(ctx)}"


def key_policy(
    *, archive_account: str, management_account: str, trail: str, config_accounts: list[str] | None = None
) -> dict[str, Any]:
    config = (
        [
            {
                "Sid": "AllowConfigDelivery",
                "Effect": "Allow",
                "Principal": {"Service": "config.amazonaws.com"},
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:SourceAccount": sorted(config_accounts)}},
            }
        ]
        if config_accounts
        else []
    )
    return {
        "Version": "2012-10-17",
        "Statement": config
        + [
            {
                "Sid": "EnableIamPolicies",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{archive_account}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Sid": "AllowOrganizationTrailToEncrypt",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "kms:GenerateDataKey*",
                "Resource": "*",
                "Condition": {
                    "StringEquals": {"aws:SourceArn": trail},
                    "StringLike": {
                        "kms:EncryptionContext:aws:cloudtrail:arn": f"arn:aws:cloudtrail:*:{management_account}:trail/*"
                    },
                },
            },
            {
                "Sid": "AllowOrganizationTrailToDescribe",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "kms:DescribeKey",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:SourceArn": trail}},
            },
        ],
    }


def bucket_policy(
    *,
    bucket_arn: str,
    management_account: str,
    organization_id: str,
    trail: str,
    config_accounts: list[str] | None = None,
) -> dict[str, Any]:
    write = {"StringEquals": {"aws:SourceArn": trail, "s3:x-amz-acl": "bucket-owner-full-control"}}
    # AWS Config delivery (https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html).
    config: list[dict[str, Any]] = []
    if config_accounts:
        source = {"aws:SourceAccount": sorted(config_accounts)}
        config = [
            {
                "Sid": "AllowConfigBucketCheck",
                "Effect": "Allow",
                "Principal": {"Service": "config.amazonaws.com"},
                "Action": ["s3:GetBucketAcl", "s3:ListBucket"],
                "Resource": bucket_arn,
                "Condition": {"StringEquals": source},
            },
            {
                "Sid": "AllowConfigWrite",
                "Effect": "Allow",
                "Principal": {"Service": "config.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": [f"{bucket_arn}/config/AWSLogs/{a}/Config/*" for a in sorted(config_accounts)],
                "Condition": {"StringEquals": {**source, "s3:x-amz-acl": "bucket-owner-full-control"}},
            },
        ]
    return {
        "Version": "2012-10-17",
        "Statement": config
        + [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [bucket_arn, f"{bucket_arn}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
            {
                "Sid": "AllowCloudTrailAclCheck",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:GetBucketAcl",
                "Resource": bucket_arn,
                "Condition": {"StringEquals": {"aws:SourceArn": trail}},
            },
            {
                "Sid": "AllowCloudTrailWrite",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": f"{bucket_arn}/AWSLogs/{management_account}/*",
                "Condition": write,
            },
            {
                "Sid": "AllowOrganizationTrailWrite",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": f"{bucket_arn}/AWSLogs/{organization_id}/*",
                "Condition": write,
            },
        ],
    }


def archive_provider(
    ctx: OrgContext, account_id: pulumi.Input[str], name: str, parent: pulumi.Resource
) -> aws.Provider:
    """A provider in a vended account, through the role AWS Organizations created there."""
    role = pulumi.Output.concat("arn:aws:iam::", account_id, f":role/{ACCESS_ROLE}")
    return aws.Provider(
        name,
        region=ctx.cloud_spec.home_region,
        assume_roles=[{"role_arn": role}],
        allowed_account_ids=[account_id],
        opts=pulumi.ResourceOptions(parent=parent),
    )


class AwsLogArchive(pulumi.ComponentResource):
    def __init__(
        self,
        name: str,
        ctx: OrgContext,
        *,
        archive_account: pulumi.Input[str],
        organization_id: pulumi.Input[str],
        config_accounts: list[pulumi.Input[str]],
        depends_on: list[pulumi.Resource],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:organization:AwsLogArchive", name, None, opts)
        spec = ctx.cloud_spec
        self.provider = archive_provider(ctx, archive_account, f"{name}-provider", self)
        trail = trail_arn(ctx)
        # S3 names are global: the management account's id keeps this one unique, and known up front.
        self.bucket_name = ctx.physical("org-logs", spec.management_account_id, spec.home_region)
        account = pulumi.Output.from_input(archive_account)
        bucket_arn = f"arn:aws:s3:::{self.bucket_name}"

        def child(data: bool = False, **kwargs: Any) -> pulumi.ResourceOptions:
            return ctx.opts(self, data=data, provider=self.provider, **kwargs)

        self.key = aws.kms.Key(
            f"{name}-key",
            description=f"{ctx.org} organization trail logs",
            enable_key_rotation=True,
            rotation_period_in_days=365,
            deletion_window_in_days=30,
            policy=pulumi.Output.all(account, *config_accounts).apply(
                lambda a: json.dumps(
                    key_policy(
                        archive_account=a[0],
                        management_account=spec.management_account_id,
                        trail=trail,
                        config_accounts=list(a[1:]),
                    )
                )
            ),
            tags=ctx.tags_with(Name=f"{ctx.org}-org-logs"),
            opts=child(data=True),
        )
        self.bucket = aws.s3.Bucket(
            f"{name}-bucket",
            bucket=self.bucket_name,
            object_lock_enabled=True,
            force_destroy=ctx.spec.disposable,
            tags=ctx.tags_with(Name=self.bucket_name),
            opts=child(data=True),
        )
        self.public_access_block = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access-block",
            bucket=self.bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child(),
        )
        self.ownership = aws.s3.BucketOwnershipControls(
            f"{name}-ownership", bucket=self.bucket.id, rule={"object_ownership": "BucketOwnerEnforced"}, opts=child()
        )
        self.encryption = aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=self.bucket.id,
            expected_bucket_owner=account,
            rules=[
                {
                    "apply_server_side_encryption_by_default": {
                        "sse_algorithm": "aws:kms",
                        "kms_master_key_id": self.key.arn,
                    },
                    "bucket_key_enabled": True,
                }
            ],
            opts=child(),
        )
        self.versioning = aws.s3.BucketVersioning(
            f"{name}-versioning",
            bucket=self.bucket.id,
            expected_bucket_owner=account,
            versioning_configuration={"status": "Enabled"},
            opts=child(),
        )
        self.object_lock = aws.s3.BucketObjectLockConfiguration(
            f"{name}-object-lock",
            bucket=self.bucket.id,
            expected_bucket_owner=account,
            object_lock_enabled="Enabled",
            rule={
                "default_retention": {
                    "mode": "GOVERNANCE" if ctx.spec.disposable else "COMPLIANCE",
                    "days": ctx.spec.log_retention_days,
                }
            },
            opts=child(depends_on=[self.versioning]),
        )
        policy = pulumi.Output.all(organization_id, *config_accounts).apply(
            lambda v: json.dumps(
                bucket_policy(
                    bucket_arn=bucket_arn,
                    management_account=spec.management_account_id,
                    organization_id=v[0],
                    trail=trail,
                    config_accounts=list(v[1:]),
                )
            )
        )
        self.policy = aws.s3.BucketPolicy(
            f"{name}-policy",
            bucket=self.bucket.id,
            policy=policy,
            opts=child(depends_on=[self.public_access_block, self.ownership]),
        )
        self.trail = aws.cloudtrail.Trail(
            f"{name}-trail",
            name=trail_name(ctx),
            s3_bucket_name=self.bucket.id,
            is_organization_trail=True,
            is_multi_region_trail=True,
            include_global_service_events=True,
            enable_log_file_validation=True,
            enable_logging=True,
            kms_key_id=self.key.arn,
            tags=ctx.tags_with(Name=trail_name(ctx)),
            opts=ctx.opts(self, data=True, depends_on=[self.policy, self.encryption, *depends_on]),
        )
        self.outputs = {
            "bucket": self.bucket.id,
            "key_arn": self.key.arn,
            "trail_arn": self.trail.arn,
            "account_id": account,
        }
        self.register_outputs(self.outputs)
