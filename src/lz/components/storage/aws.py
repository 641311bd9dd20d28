"""`secure_bucket()`: the private, SSE-KMS, versioned S3 bucket every store of ours is built on.

One builder for every bucket that holds data we must keep (the account's audit trail, a wave's
migration target), so their security settings cannot drift apart: the bucket, then a public access
block with all four switches on, `BucketOwnerEnforced` ownership (no ACLs), default SSE-KMS with a
bucket key under the caller's key (one data key per bucket instead of per object: far fewer KMS
calls for many small writes), versioning, an optional lifecycle, and a policy that starts with
the TLS-only deny and then carries the caller's own statements.

What differs between stores is a parameter, never a copy: the key, versioning and object lock,
force-destroy and protection, tags, lifecycle rules and the extra policy statements. Logical names
are `<name>-bucket`, `<name>-public-access-block`, `<name>-ownership`, `<name>-encryption`,
`<name>-versioning`, `<name>-lifecycle` and `<name>-policy`, children of `parent`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

Statement = Mapping[str, Any]


def deny_insecure_transport(bucket_arn: str) -> dict[str, Any]:
    """The first statement of every bucket policy of ours: no request without TLS, from anyone."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn, f"{bucket_arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def policy_document(bucket_arn: str, statements: Sequence[Statement] = ()) -> dict[str, Any]:
    """The TLS-only deny followed by `statements`."""
    return {"Version": "2012-10-17", "Statement": [deny_insecure_transport(bucket_arn), *statements]}


@dataclass(frozen=True)
class SecureBucket:
    """The parts `secure_bucket()` made; `lifecycle` is None when no rules were given."""

    bucket: aws.s3.Bucket
    public_access_block: aws.s3.BucketPublicAccessBlock
    ownership: aws.s3.BucketOwnershipControls
    encryption: aws.s3.BucketServerSideEncryptionConfiguration
    versioning: aws.s3.BucketVersioning
    lifecycle: aws.s3.BucketLifecycleConfiguration | None
    policy: aws.s3.BucketPolicy

    @property
    def ready(self) -> list[pulumi.Resource]:
        """What a writer must wait for: encryption, versioning, the policy and the access block."""
        return [self.encryption, self.versioning, self.policy, self.public_access_block]


def secure_bucket(
    name: str,
    *,
    parent: pulumi.Resource,
    provider: pulumi.ProviderResource,
    bucket_name: str,
    bucket_arn: str,
    account_id: pulumi.Input[str],
    kms_key_arn: pulumi.Input[str],
    tags: Mapping[str, str],
    force_destroy: bool,
    protect: bool,
    policy_statements: Sequence[Statement] | pulumi.Output[Sequence[Statement]] = (),
    lifecycle_rules: Sequence[aws.s3.BucketLifecycleConfigurationRuleArgsDict] = (),
    versioning: bool = True,
    object_lock: bool = False,
    sort_policy_keys: bool = False,
) -> SecureBucket:
    """Build the bucket and its settings under `parent` with `provider`.

    `protect` guards the bucket itself (the data) from `pulumi destroy`; `force_destroy` lets a
    destroy empty it first, so only a disposable test stack should set it. `policy_statements`
    follow the TLS-only deny; they may be an Output when they name a key that is only known later.
    `sort_policy_keys` serializes the policy with sorted keys (the migration buckets' policies were
    written that way, and a reordered JSON string would show as a change in every preview).
    """
    if object_lock and not versioning:
        raise ValueError(f"{name}: S3 object lock needs versioning")

    def child(data: bool = False, depends_on: list[pulumi.Resource] | None = None) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(
            parent=parent, provider=provider, protect=protect if data else None, depends_on=depends_on
        )

    bucket = aws.s3.Bucket(
        f"{name}-bucket",
        bucket=bucket_name,
        force_destroy=force_destroy,
        object_lock_enabled=object_lock,
        tags=dict(tags),
        opts=child(data=True),
    )
    public_access_block = aws.s3.BucketPublicAccessBlock(
        f"{name}-public-access-block",
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        opts=child(),
    )
    ownership = aws.s3.BucketOwnershipControls(
        f"{name}-ownership",
        bucket=bucket.id,
        rule={"object_ownership": "BucketOwnerEnforced"},
        opts=child(),
    )
    encryption = aws.s3.BucketServerSideEncryptionConfiguration(
        f"{name}-encryption",
        bucket=bucket.id,
        expected_bucket_owner=account_id,
        rules=[
            {
                "apply_server_side_encryption_by_default": {
                    "sse_algorithm": "aws:kms",
                    "kms_master_key_id": kms_key_arn,
                },
                "bucket_key_enabled": True,
            }
        ],
        opts=child(),
    )
    versioning_config = aws.s3.BucketVersioning(
        f"{name}-versioning",
        bucket=bucket.id,
        expected_bucket_owner=account_id,
        # A bucket with object lock cannot have versioning suspended; without versioning, the
        # resource still states the choice instead of leaving it to the account's default.
        versioning_configuration={"status": "Enabled" if versioning else "Suspended"},
        opts=child(),
    )
    lifecycle = (
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=bucket.id,
            expected_bucket_owner=account_id,
            rules=list(lifecycle_rules),
            # Lifecycle rules on noncurrent versions mean nothing until versioning is on.
            opts=child(depends_on=[versioning_config]),
        )
        if lifecycle_rules
        else None
    )

    def render(statements: Sequence[Statement]) -> str:
        return json.dumps(policy_document(bucket_arn, statements), sort_keys=sort_policy_keys)

    policy = aws.s3.BucketPolicy(
        f"{name}-policy",
        bucket=bucket.id,
        policy=policy_statements.apply(render)
        if isinstance(policy_statements, pulumi.Output)
        else render(policy_statements),
        # S3 refuses a policy while the public access block is being changed under it.
        opts=child(depends_on=[public_access_block, ownership]),
    )
    return SecureBucket(
        bucket=bucket,
        public_access_block=public_access_block,
        ownership=ownership,
        encryption=encryption,
        versioning=versioning_config,
        lifecycle=lifecycle,
        policy=policy,
    )
