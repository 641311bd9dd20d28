"""`lz:migration:AwsDataSyncTransfer`: an AWS DataSync task into a wave's S3 bucket.

Sources: Amazon S3 (read through a bucket access role the wave creates; the source bucket's owner
allows that role), Google Cloud Storage (an object-storage location at storage.googleapis.com with
an HMAC key pair) and Azure Blob Storage (a SAS token). Cloud Storage and Blob Storage are reached
through DataSync agents the architect deploys and activates in the target region (`agent_arns`).
HMAC keys and SAS tokens are Pulumi secrets: `{"access_key_id": ..., "secret_access_key": ...}`
for Cloud Storage, the bare token for Azure.

The task runs on the dataset's schedule; its first run copies everything, later runs only what
changed (`transfer_mode: CHANGED`), verifies what it transferred by checksum (`verify_mode:
ONLY_FILES_TRANSFERRED`, or `NONE` when the dataset turns verification off), and keeps objects
deleted at the source (`preserve_deleted_files: PRESERVE`) unless the dataset asks for deletes.
Transfers are logged to a CloudWatch log group of the wave, encrypted with the region's key
(`AwsDataSyncLogs`, one per region, with the resource policy that lets DataSync write to it).

What it does not do: deploy or activate agents (they need a VM and a network path to the source),
or task reports.
"""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from lz.spec.wave import Dataset, Schedule, marker_tags

from ...keys.aws import partition_of
from ..buckets.aws import AwsTargetBucket
from ..context import MigrationContext
from ..secrets import require_secret, secret_field

LOG_RETENTION_DAYS = 365
_CRON_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")


def schedule_expression(schedule: Schedule) -> str:
    """The schedule as an AWS cron expression (minute hour day-of-month month day-of-week year)."""
    if schedule.weekday is not None:
        return f"cron({schedule.minute} {schedule.hour} ? * {_CRON_DAYS[schedule.weekday]} *)"
    if schedule.every_hours == 24:
        return f"cron({schedule.minute} {schedule.hour} * * ? *)"
    if schedule.every_hours == 1:
        return f"cron({schedule.minute} * * * ? *)"
    return f"cron({schedule.minute} 0/{schedule.every_hours} * * ? *)"


def bucket_access_policy(*, target_arn: str, kms_key_arn: str, source_arn: str | None) -> dict[str, Any]:
    statements: list[dict[str, Any]] = [
        {
            "Sid": "WriteTargetBucket",
            "Effect": "Allow",
            "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
            "Resource": target_arn,
        },
        {
            "Sid": "WriteTargetObjects",
            "Effect": "Allow",
            "Action": [
                "s3:AbortMultipartUpload",
                "s3:DeleteObject",
                "s3:GetObject",
                "s3:GetObjectTagging",
                "s3:GetObjectVersion",
                "s3:GetObjectVersionTagging",
                "s3:ListMultipartUploadParts",
                "s3:PutObject",
                "s3:PutObjectTagging",
            ],
            "Resource": f"{target_arn}/*",
        },
        {
            "Sid": "UseTargetKey",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
            "Resource": kms_key_arn,
        },
    ]
    if source_arn is not None:
        statements += [
            {
                "Sid": "ReadSourceBucket",
                "Effect": "Allow",
                "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
                "Resource": source_arn,
            },
            {
                "Sid": "ReadSourceObjects",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:GetObjectTagging", "s3:GetObjectVersion", "s3:GetObjectVersionTagging"],
                "Resource": f"{source_arn}/*",
            },
        ]
    return {"Version": "2012-10-17", "Statement": statements}


def trust_policy(*, account_id: str, region: str) -> dict[str, Any]:
    partition = partition_of(region)
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "datasync.amazonaws.com"},
                "Action": "sts:AssumeRole",
                # Only DataSync acting for this account and region (no confused deputy).
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": account_id},
                    "ArnLike": {"aws:SourceArn": f"arn:{partition}:datasync:{region}:{account_id}:*"},
                },
            }
        ],
    }


class AwsDataSyncLogs(pulumi.ComponentResource):
    """`lz:migration:AwsDataSyncLogs`: the wave's DataSync log group in one region, and DataSync's right
    to write to it (a CloudWatch Logs resource policy: an account has at most ten per region)."""

    log_group: aws.cloudwatch.LogGroup
    resource_policy: aws.cloudwatch.LogResourcePolicy

    def __init__(
        self, name: str, ctx: MigrationContext, region: str, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("lz:migration:AwsDataSyncLogs", name, None, opts)
        self.log_group = aws.cloudwatch.LogGroup(
            f"{name}-group",
            name=f"/aws/datasync/{ctx.physical()}",
            retention_in_days=LOG_RETENTION_DAYS,
            kms_key_id=ctx.aws.region(region).kms_key_arn,
            tags=ctx.tags,
            opts=ctx.opts(self, region=region, data=True),
        )
        partition = partition_of(region)
        document = pulumi.Output.all(ctx.aws.account_id, self.log_group.arn).apply(
            lambda a: json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "DataSyncLogsToCloudWatchLogs",
                            "Effect": "Allow",
                            "Principal": {"Service": "datasync.amazonaws.com"},
                            "Action": ["logs:PutLogEvents", "logs:CreateLogStream"],
                            "Resource": f"{a[1]}:*",
                            "Condition": {
                                "StringEquals": {"aws:SourceAccount": a[0]},
                                "ArnLike": {"aws:SourceArn": f"arn:{partition}:datasync:{region}:{a[0]}:task/*"},
                            },
                        }
                    ],
                },
                sort_keys=True,
            )
        )
        self.resource_policy = aws.cloudwatch.LogResourcePolicy(
            f"{name}-policy",
            policy_name=ctx.physical("datasync-logs"),
            policy_document=document,
            opts=ctx.opts(self, region=region),
        )
        self.register_outputs({"log_group": self.log_group.name})


class AwsDataSyncTransfer(pulumi.ComponentResource):
    """`lz:migration:AwsDataSyncTransfer`: bucket access role, source and target locations, the task."""

    role: aws.iam.Role
    role_policy: aws.iam.RolePolicy
    source_location: pulumi.CustomResource
    target_location: aws.datasync.S3Location
    task: aws.datasync.Task

    def __init__(
        self,
        name: str,
        ctx: MigrationContext,
        dataset: Dataset,
        *,
        bucket: AwsTargetBucket,
        logs: AwsDataSyncLogs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:migration:AwsDataSyncTransfer", name, None, opts)
        region = dataset.target.region
        source, creds = dataset.source, dataset.source.credentials
        partition = partition_of(region)
        source_arn = f"arn:{partition}:s3:::{source.bucket}" if source.cloud == "aws" else None
        markers = marker_tags(
            "transfer", dataset.classification, source=source, target=dataset.target, deletes=dataset.delete_propagation
        )
        tags = ctx.tags_with(markers, dataset=dataset.name)

        def child(**kwargs: Any) -> pulumi.ResourceOptions:
            return ctx.opts(self, region=region, **kwargs)

        self.role = aws.iam.Role(
            f"{name}-role",
            name=ctx.physical(dataset.name, "datasync", max_len=64),
            description=f"DataSync of wave {ctx.wave.name} writes {dataset.name} into {bucket.bucket_name}",
            assume_role_policy=ctx.aws.account_id.apply(
                lambda account: json.dumps(trust_policy(account_id=account, region=region), sort_keys=True)
            ),
            max_session_duration=3600,
            tags=tags,
            opts=child(),
        )
        self.role_policy = aws.iam.RolePolicy(
            f"{name}-role-policy",
            role=self.role.id,
            name="bucket-access",
            policy=bucket.kms_key_arn.apply(
                lambda key: json.dumps(
                    bucket_access_policy(target_arn=bucket.arn, kms_key_arn=key, source_arn=source_arn), sort_keys=True
                )
            ),
            opts=child(),
        )
        subdirectory = "/" + (source.prefix or "")
        if source.cloud == "aws":
            self.source_location = aws.datasync.S3Location(
                f"{name}-source",
                s3_bucket_arn=str(source_arn),
                subdirectory=subdirectory,
                s3_config=aws.datasync.S3LocationS3ConfigArgs(bucket_access_role_arn=self.role.arn),
                tags=tags,
                opts=child(depends_on=[self.role_policy]),
            )
        elif source.cloud == "gcp":
            key = str(creds.secret)
            self.source_location = aws.datasync.LocationObjectStorage(
                f"{name}-source",
                server_hostname="storage.googleapis.com",
                server_protocol="HTTPS",
                server_port=443,
                bucket_name=source.bucket,
                subdirectory=subdirectory,
                access_key=secret_field(key, "access_key_id"),
                secret_key=secret_field(key, "secret_access_key"),
                agent_arns=list(dataset.agent_arns),
                tags=tags,
                opts=child(),
            )
        else:
            self.source_location = aws.datasync.LocationAzureBlob(
                f"{name}-source",
                container_url=f"https://{source.account}.blob.core.windows.net/{source.container}",
                authentication_type="SAS",
                sas_configuration=aws.datasync.LocationAzureBlobSasConfigurationArgs(
                    token=require_secret(str(creds.secret))
                ),
                subdirectory=subdirectory,
                agent_arns=list(dataset.agent_arns),
                tags=tags,
                opts=child(),
            )
        self.target_location = aws.datasync.S3Location(
            f"{name}-target",
            s3_bucket_arn=bucket.arn,
            subdirectory=subdirectory,
            s3_config=aws.datasync.S3LocationS3ConfigArgs(bucket_access_role_arn=self.role.arn),
            tags=tags,
            opts=child(depends_on=[self.role_policy, *bucket.ready]),
        )
        self.task = aws.datasync.Task(
            f"{name}-task",
            name=ctx.physical(dataset.name),
            source_location_arn=self.source_location.arn,  # type: ignore[attr-defined]
            destination_location_arn=self.target_location.arn,
            cloudwatch_log_group_arn=logs.log_group.arn,
            options=aws.datasync.TaskOptionsArgs(
                verify_mode="ONLY_FILES_TRANSFERRED" if dataset.verify else "NONE",
                transfer_mode="CHANGED",
                overwrite_mode="ALWAYS",
                preserve_deleted_files="REMOVE" if dataset.delete_propagation else "PRESERVE",
                log_level="TRANSFER",
                task_queueing="ENABLED",
                posix_permissions="NONE",
                uid="NONE",
                gid="NONE",
                object_tags="PRESERVE" if source.cloud == "aws" else "NONE",
            ),
            schedule=aws.datasync.TaskScheduleArgs(
                schedule_expression=schedule_expression(dataset.parsed_schedule), status="ENABLED"
            ),
            tags=tags,
            opts=child(depends_on=[logs.resource_policy]),
        )
        self.register_outputs({"task_arn": self.task.arn, "bucket": bucket.bucket_name})
