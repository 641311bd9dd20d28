"""`lz:migration:GcpTargetBucket`: the Cloud Storage bucket a dataset lands in, in one foundation region.

Regional (the dataset's target region, never a multi-region), encrypted by default with the
foundation's CMEK of that region (the Cloud Storage service agent already holds its grant from the
foundation), versioned, uniform bucket-level access only, public access prevention enforced, and
soft delete on for `SOFT_DELETE_DAYS`. Noncurrent versions go after `NONCURRENT_DAYS`.

Protected from `pulumi destroy` (and `force_destroy` off) unless the wave is a disposable test
environment. Labels carry the wave, the data's classification and the migration markers.

What it does not do: grant anyone access (the transfer component grants its service agent), or
copy anything.
"""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from lz.spec.wave import Dataset, marker_tags

from .. import names
from ..context import MigrationContext

SOFT_DELETE_DAYS = 7
NONCURRENT_DAYS = 90


def bucket_name(ctx: MigrationContext, dataset: Dataset) -> str:
    return names.bucket(ctx.org, ctx.env, ctx.wave.name, dataset.name, dataset.target.region)


class GcpTargetBucket(pulumi.ComponentResource):
    """`lz:migration:GcpTargetBucket`: a CMEK-encrypted, versioned, private regional bucket."""

    bucket: gcp.storage.Bucket

    def __init__(
        self,
        name: str,
        ctx: MigrationContext,
        dataset: Dataset,
        *,
        requires: list[pulumi.Resource] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:migration:GcpTargetBucket", name, None, opts)
        region = dataset.target.region
        self.region = region
        self.bucket_name = bucket_name(ctx, dataset)
        self.kms_key_id: pulumi.Output[str] = ctx.gcp.region(region).kms_key_id
        markers = marker_tags("target", dataset.classification, source=dataset.source, target=dataset.target)
        self.bucket = gcp.storage.Bucket(
            f"{name}-bucket",
            name=self.bucket_name,
            project=ctx.gcp.project,
            location=region,
            storage_class="STANDARD",
            uniform_bucket_level_access=True,
            public_access_prevention="enforced",
            versioning=gcp.storage.BucketVersioningArgs(enabled=True),
            encryption=gcp.storage.BucketEncryptionArgs(default_kms_key_name=self.kms_key_id),
            soft_delete_policy=gcp.storage.BucketSoftDeletePolicyArgs(
                retention_duration_seconds=SOFT_DELETE_DAYS * 86400
            ),
            lifecycle_rules=[
                gcp.storage.BucketLifecycleRuleArgs(
                    action=gcp.storage.BucketLifecycleRuleActionArgs(type="Delete"),
                    condition=gcp.storage.BucketLifecycleRuleConditionArgs(
                        days_since_noncurrent_time=NONCURRENT_DAYS, with_state="ARCHIVED"
                    ),
                )
            ],
            force_destroy=ctx.disposable,
            labels=ctx.tags_with(markers, dataset=dataset.name),
            opts=ctx.opts(self, region=region, data=True, depends_on=requires),
        )
        self.register_outputs({"bucket": self.bucket.name, "region": region})
