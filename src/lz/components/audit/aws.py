"""`lz:audit:AwsAuditTrail`: the account's CloudTrail trail and the bucket that keeps its logs.

One per AWS landing zone, in the home region (the spec's first AWS region): a multi-region trail
with global service events and log file validation, encrypted with the home region's KMS key,
writing to an S3 bucket that is private in every way S3 allows (public access block, bucket owner
enforced, TLS-only policy), encrypted by default with the same key, versioned, and ages old
versions out to colder storage. The bucket policy lets CloudTrail write only on behalf of this
trail (`aws:SourceArn`), which the key's policy requires as well (see `lz.components.keys.aws`), and
denies object writes to every other principal and deletions to everyone (outside test stacks).
With `egress.mode: firewall` the log delivery service may also write the Network Firewall logs of
the account's regions under `network-firewall/` (`log_delivery_statements`); the home key admits it.

Names are fixed by the spec: the bucket is `<org>-<env>-audit-<account>-<region-code>` (S3 names
are global, the account id keeps them unique) and the trail `<org>-<env>-audit-trail`, so the trail's
ARN is known before it exists and the home key's policy can name it.

What it does not do: organization trails, data events, CloudWatch Logs delivery of the trail,
object lock, or access logging of the audit bucket (each needs a decision about another account or
store that the spec does not carry yet). The bucket is force-destroyable only in test stacks.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from ..base import CloudContext
from ..keys.aws import partition_of
from ..storage.aws import policy_document, secure_bucket

NONCURRENT_TO_INFREQUENT_DAYS = 30
NONCURRENT_TO_GLACIER_DAYS = 90
NONCURRENT_EXPIRY_DAYS = 365
ABORT_MULTIPART_DAYS = 7


def keeps_firewall_logs(ctx: CloudContext) -> bool:
    """Whether the audit bucket keeps the Network Firewall logs of the account's regions: with
    `egress.mode: firewall` (`lz.components.paths.aws`)."""
    return ctx.spec.egress.mode == "firewall"


def bucket_name(ctx: CloudContext) -> str:
    return ctx.physical("audit", ctx.cloud_spec.account_id, ctx.region_code(ctx.home_region))


def trail_name(ctx: CloudContext) -> str:
    return ctx.physical("audit-trail", max_len=128)


def trail_arn(ctx: CloudContext) -> str:
    region = ctx.home_region
    return f"arn:{partition_of(region)}:cloudtrail:{region}:{ctx.cloud_spec.account_id}:trail/{trail_name(ctx)}"


# What only CloudTrail may do to the audit objects, and what nobody may do (S3 lifecycle expiry is not a
# request and is not affected). A Deny in the bucket policy outweighs any identity policy's Allow, so
# a workload role whose grant matches `<org>-<env>-*` still cannot write or delete here
# (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html). The
# negated condition is true for every principal that is not a service (the key is then absent).
OBJECT_WRITES = ["s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectTagging", "s3:RestoreObject"]
OBJECT_DELETES = ["s3:DeleteObject", "s3:DeleteObjectVersion"]


# Where the log delivery service writes the Network Firewall logs (the service
# appends `AWSLogs/<account>/network-firewall/<log type>/<region>/<firewall>/...`).
FIREWALL_LOG_PREFIX = "network-firewall"
LOG_DELIVERY = "delivery.logs.amazonaws.com"


def log_delivery_statements(*, bucket_arn: str, account_id: str, partition: str) -> list[dict[str, Any]]:
    """The log delivery service may check the bucket and write this account's firewall logs under
    `FIREWALL_LOG_PREFIX`, and nothing else: the conditions name the account and its delivery
    sources in any region (a wildcard, so adding a region changes no policy) ("Logs sent to Amazon
    S3", docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html; Network
    Firewall "Sending logs to Amazon S3", docs.aws.amazon.com/network-firewall/latest/developerguide/
    logging-s3.html; read 2026-12)."""
    account = {"aws:SourceAccount": account_id}
    arns = {"aws:SourceArn": f"arn:{partition}:logs:*:{account_id}:*"}
    sources: dict[str, Any] = {"StringEquals": account, "ArnLike": arns}
    return [
        {
            "Sid": "AllowLogDeliveryAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": LOG_DELIVERY},
            "Action": ["s3:GetBucketAcl", "s3:ListBucket"],
            "Resource": bucket_arn,
            "Condition": sources,
        },
        {
            "Sid": "AllowLogDeliveryWrite",
            "Effect": "Allow",
            "Principal": {"Service": LOG_DELIVERY},
            "Action": "s3:PutObject",
            "Resource": f"{bucket_arn}/{FIREWALL_LOG_PREFIX}/AWSLogs/{account_id}/*",
            "Condition": {
                "StringEquals": {**account, "s3:x-amz-acl": "bucket-owner-full-control"},
                "ArnLike": arns,
            },
        },
    ]


def policy_statements(
    *,
    bucket_arn: str,
    account_id: str,
    trail: str,
    protect: bool = True,
    firewall_logs: bool = False,
    partition: str = "aws",
) -> list[dict[str, Any]]:
    """What follows the shared TLS-only deny: CloudTrail may check the ACL and write this account's
    logs for `trail`; with `firewall_logs`, the log delivery service may write the Network Firewall
    logs (`log_delivery_statements`); nobody else may write objects, and (outside test
    stacks, which must be destroyable) nobody may delete them."""
    source = {"aws:SourceArn": trail}
    writers: str | list[str] = (
        ["cloudtrail.amazonaws.com", LOG_DELIVERY] if firewall_logs else "cloudtrail.amazonaws.com"
    )
    delivery = (
        log_delivery_statements(bucket_arn=bucket_arn, account_id=account_id, partition=partition)
        if firewall_logs
        else []
    )
    deny_deletes = (
        [
            {
                "Sid": "DenyAuditDeletion",
                "Effect": "Deny",
                "Principal": "*",
                "Action": OBJECT_DELETES,
                "Resource": f"{bucket_arn}/*",
            }
        ]
        if protect
        else []
    )
    return [
        {
            "Sid": "AllowCloudTrailAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:GetBucketAcl",
            "Resource": bucket_arn,
            "Condition": {"StringEquals": source},
        },
        {
            "Sid": "AllowCloudTrailWrite",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": f"{bucket_arn}/AWSLogs/{account_id}/*",
            "Condition": {"StringEquals": {**source, "s3:x-amz-acl": "bucket-owner-full-control"}},
        },
        *delivery,
        {
            "Sid": "DenyWritesExceptCloudTrail",
            "Effect": "Deny",
            "Principal": "*",
            "Action": OBJECT_WRITES,
            "Resource": f"{bucket_arn}/*",
            "Condition": {"StringNotEquals": {"aws:PrincipalServiceName": writers}},
        },
        *deny_deletes,
    ]


def bucket_policy(*, bucket_arn: str, account_id: str, trail: str, protect: bool = True) -> dict[str, Any]:
    """The audit bucket's whole policy: TLS only for everyone, then `policy_statements()`."""
    return policy_document(
        bucket_arn, policy_statements(bucket_arn=bucket_arn, account_id=account_id, trail=trail, protect=protect)
    )


class AwsAuditTrail(pulumi.ComponentResource):
    """The audit bucket (with its encryption, versioning, access and lifecycle settings) and the trail."""

    bucket: aws.s3.Bucket
    encryption: aws.s3.BucketServerSideEncryptionConfiguration
    versioning: aws.s3.BucketVersioning
    public_access_block: aws.s3.BucketPublicAccessBlock
    ownership: aws.s3.BucketOwnershipControls
    policy: aws.s3.BucketPolicy
    lifecycle: aws.s3.BucketLifecycleConfiguration
    trail: aws.cloudtrail.Trail

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        *,
        kms_key_arn: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:audit:AwsAuditTrail", name, None, opts)
        region = ctx.home_region
        account_id = ctx.cloud_spec.account_id
        self.region = region
        self.bucket_name = bucket_name(ctx)
        self.trail_arn = trail_arn(ctx)
        arn = f"arn:{partition_of(region)}:s3:::{self.bucket_name}"

        def child(data: bool = False, **kwargs: Any) -> pulumi.ResourceOptions:
            return ctx.opts(self, region=region, data=data, **kwargs)

        parts = secure_bucket(
            name,
            parent=self,
            provider=ctx.provider(region),
            bucket_name=self.bucket_name,
            bucket_arn=arn,
            account_id=account_id,
            kms_key_arn=kms_key_arn,
            tags=ctx.tags_with(Name=self.bucket_name),
            # Only a disposable test stack may delete the bucket with its logs in it.
            force_destroy=ctx.spec.disposable,
            protect=ctx.protect,
            object_lock=ctx.spec.audit.object_lock != "none",
            policy_statements=policy_statements(
                bucket_arn=arn,
                account_id=account_id,
                trail=self.trail_arn,
                protect=ctx.protect,
                firewall_logs=keeps_firewall_logs(ctx),
                partition=partition_of(region),
            ),
            lifecycle_rules=[
                {
                    "id": "age-noncurrent-versions",
                    "status": "Enabled",
                    # The whole bucket: abandoned multipart uploads are billed wherever they sit.
                    "filter": {"prefix": ""},
                    "noncurrent_version_transitions": [
                        {"noncurrent_days": NONCURRENT_TO_INFREQUENT_DAYS, "storage_class": "STANDARD_IA"},
                        {"noncurrent_days": NONCURRENT_TO_GLACIER_DAYS, "storage_class": "GLACIER"},
                    ],
                    "noncurrent_version_expiration": {"noncurrent_days": NONCURRENT_EXPIRY_DAYS},
                    "abort_incomplete_multipart_upload": {"days_after_initiation": ABORT_MULTIPART_DAYS},
                }
            ],
        )
        assert parts.lifecycle is not None
        self.bucket, self.public_access_block, self.ownership = parts.bucket, parts.public_access_block, parts.ownership
        self.encryption, self.versioning, self.lifecycle = parts.encryption, parts.versioning, parts.lifecycle
        self.policy = parts.policy
        self.object_lock: aws.s3.BucketObjectLockConfiguration | None = None
        lock = ctx.spec.audit
        if lock.object_lock != "none":
            # Every log version stays for `retention_days`: in compliance mode nobody can shorten
            # that, in governance mode only a principal allowed s3:BypassGovernanceRetention
            # (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html).
            self.object_lock = aws.s3.BucketObjectLockConfiguration(
                f"{name}-object-lock",
                bucket=self.bucket.id,
                object_lock_enabled="Enabled",
                rule={"default_retention": {"mode": lock.object_lock.upper(), "days": lock.retention_days}},
                opts=child(depends_on=[self.versioning]),
            )
        writer_ready: list[pulumi.Resource] = [self.policy, self.encryption]
        if self.object_lock is not None:
            writer_ready.append(self.object_lock)
        self.trail = aws.cloudtrail.Trail(
            f"{name}-trail",
            name=trail_name(ctx),
            s3_bucket_name=self.bucket.id,
            is_multi_region_trail=True,
            include_global_service_events=True,
            is_organization_trail=False,
            enable_log_file_validation=True,
            enable_logging=True,
            kms_key_id=kms_key_arn,
            tags=ctx.tags_with(Name=trail_name(ctx)),
            # CloudTrail checks at creation that it may write to the bucket and use the key.
            opts=child(data=True, depends_on=writer_ready),
        )
        self.register_outputs({"bucket": self.bucket.id, "trail_arn": self.trail.arn})
