"""`lz:migration:AwsTargetBucket`: the S3 bucket a dataset lands in, in one of the foundation's regions.

The bucket is encrypted by default with the foundation's KMS key of its region (SSE-KMS with a
bucket key, so DataSync's many small writes do not each call KMS), versioned (an overwrite or a
delete never loses the migrated copy), owned by the bucket owner only (no ACLs), closed to public
access, and its policy refuses any request without TLS and any upload encrypted with another key.
Noncurrent versions expire after `NONCURRENT_DAYS`, so re-syncs do not grow the bill forever.

The bucket is protected from `pulumi destroy` and keeps its objects unless the wave runs as a
disposable test environment. Tags carry the wave, the data's classification and where the data
comes from (`migration-source`), which the `residency-` and `data-protection-` policies read.

What it does not do: replicate the bucket, grant readers, or copy anything (transfers/aws.py).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from lz.spec.wave import Dataset, marker_tags

from ...keys.aws import partition_of
from ...storage.aws import secure_bucket
from .. import names
from ..context import MigrationContext

NONCURRENT_DAYS = 90
ABORT_MULTIPART_DAYS = 7


def bucket_name(ctx: MigrationContext, dataset: Dataset) -> str:
    """Globally unique and stable: a hash of what the bucket is for, never of anything random."""
    return names.bucket(ctx.org, ctx.env, ctx.wave.name, dataset.name, dataset.target.region)


def policy_statements(*, bucket_arn: str, kms_key_arn: str) -> list[dict[str, Any]]:
    """What follows the shared TLS-only deny."""
    return [
        {
            # Uploads that name another key (or SSE-S3) would land outside the landing zone's key.
            "Sid": "DenyOtherEncryptionKeys",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": f"{bucket_arn}/*",
            "Condition": {"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption-aws-kms-key-id": kms_key_arn}},
        },
    ]


class AwsTargetBucket(pulumi.ComponentResource):
    """`lz:migration:AwsTargetBucket`: S3 bucket, encryption, versioning, access block, ownership, policy."""

    bucket: aws.s3.Bucket
    public_access_block: aws.s3.BucketPublicAccessBlock
    ownership: aws.s3.BucketOwnershipControls
    encryption: aws.s3.BucketServerSideEncryptionConfiguration
    versioning: aws.s3.BucketVersioning
    lifecycle: aws.s3.BucketLifecycleConfiguration
    policy: aws.s3.BucketPolicy

    def __init__(
        self, name: str, ctx: MigrationContext, dataset: Dataset, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("lz:migration:AwsTargetBucket", name, None, opts)
        region = dataset.target.region
        self.region = region
        self.bucket_name = bucket_name(ctx, dataset)
        self.arn = f"arn:{partition_of(region)}:s3:::{self.bucket_name}"
        self.kms_key_arn: pulumi.Output[str] = ctx.aws.region(region).kms_key_arn
        account_id = ctx.aws.account_id
        markers = marker_tags("target", dataset.classification, source=dataset.source, target=dataset.target)

        parts = secure_bucket(
            name,
            parent=self,
            provider=ctx.provider(region),
            bucket_name=self.bucket_name,
            bucket_arn=self.arn,
            account_id=account_id,
            kms_key_arn=self.kms_key_arn,
            tags=ctx.tags_with(markers, Name=self.bucket_name, dataset=dataset.name),
            force_destroy=ctx.disposable,
            protect=ctx.protect,
            policy_statements=self.kms_key_arn.apply(
                lambda key: policy_statements(bucket_arn=self.arn, kms_key_arn=key)
            ),
            lifecycle_rules=[
                {
                    "id": "expire-noncurrent-versions",
                    "status": "Enabled",
                    "filter": {},
                    "noncurrent_version_expiration": {"noncurrent_days": NONCURRENT_DAYS},
                    "abort_incomplete_multipart_upload": {"days_after_initiation": ABORT_MULTIPART_DAYS},
                }
            ],
            sort_policy_keys=True,
        )
        assert parts.lifecycle is not None
        self.bucket, self.public_access_block, self.ownership = parts.bucket, parts.public_access_block, parts.ownership
        self.encryption, self.versioning, self.lifecycle = parts.encryption, parts.versioning, parts.lifecycle
        self.policy = parts.policy
        self._parts = parts
        self.register_outputs({"bucket": self.bucket.id, "arn": self.arn, "region": region})

    @property
    def ready(self) -> list[pulumi.Resource]:
        """What a writer must wait for: encryption, versioning and the policy are in place."""
        return self._parts.ready
