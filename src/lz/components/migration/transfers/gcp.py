"""`lz:migration:GcpStorageTransfer`: a Storage Transfer Service job into a wave's Cloud Storage bucket.

Sources: Amazon S3 (the job assumes an IAM role through web identity federation, `role_arn`, or
reads an access key pair from Secret Manager), Azure Blob Storage (a federated app registration,
or a SAS token from Secret Manager) and Cloud Storage (the service agent itself).

A credential secret is copied from the Pulumi secret config into a Secret Manager secret that
lives only in the target region, encrypted with the foundation's key there, readable by the
project's Storage Transfer Service agent alone. Its content is the JSON Storage Transfer Service
expects: `{"access_key_id": ..., "secret_access_key": ...}` for S3, `{"sas_token": ...}` for Azure.

The job repeats on the dataset's schedule from the wave's start date: its first run copies
everything (the bulk copy), later runs copy only what is new or different (`overwrite_when:
DIFFERENT`, compared by checksum and metadata); every copied object is verified against its
checksum by the service. Objects deleted at the source stay in the target unless the dataset sets
`delete_propagation`. Copy, delete and find actions are logged to Cloud Logging.

A transfer job takes no labels, so its description carries the migration markers
(`lz-migration: data-classification=... migration-source=... migration-target=...`) that the
`residency-` and `data-protection-` policies read.

What it does not do: grant the agent read access at the source (outside the landing zone: the
runbook names the grant), or event-driven transfers.
"""

from __future__ import annotations

import datetime

import pulumi
import pulumi_gcp as gcp

from lz.spec.wave import Dataset, Schedule, marker_tags, marker_text

from .. import names
from ..buckets.gcp import GcpTargetBucket
from ..context import MigrationContext
from ..gcp_project import GcpWaveProject
from ..secrets import require_secret

SINK_ROLES = ("roles/storage.legacyBucketWriter", "roles/storage.objectViewer")


def first_run(start: datetime.date, schedule: Schedule) -> datetime.date:
    """The first day the job runs: the start date, moved to the schedule's weekday for weekly jobs."""
    if schedule.weekday is None:
        return start
    # date.weekday(): Monday 0; cron: Sunday 0.
    offset = (schedule.weekday - (start.weekday() + 1) % 7) % 7
    return start + datetime.timedelta(days=offset)


def job_schedule(start: datetime.date, schedule: Schedule) -> gcp.storage.TransferJobScheduleArgs:
    day = first_run(start, schedule)
    return gcp.storage.TransferJobScheduleArgs(
        schedule_start_date=gcp.storage.TransferJobScheduleScheduleStartDateArgs(
            year=day.year, month=day.month, day=day.day
        ),
        start_time_of_day=gcp.storage.TransferJobScheduleStartTimeOfDayArgs(
            hours=schedule.hour, minutes=schedule.minute, seconds=0, nanos=0
        ),
        repeat_interval=f"{schedule.interval_seconds}s",
    )


class GcpStorageTransfer(pulumi.ComponentResource):
    """`lz:migration:GcpStorageTransfer`: the source credential (if any), the agent's grants and the job."""

    job: gcp.storage.TransferJob
    secret: gcp.secretmanager.Secret | None
    secret_version: gcp.secretmanager.SecretVersion | None
    sink_grants: list[gcp.storage.BucketIAMMember]

    def __init__(
        self,
        name: str,
        ctx: MigrationContext,
        dataset: Dataset,
        *,
        bucket: GcpTargetBucket,
        project: GcpWaveProject,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:migration:GcpStorageTransfer", name, None, opts)
        region = dataset.target.region
        source, creds = dataset.source, dataset.source.credentials
        project_id = ctx.gcp.project
        agent = project.agent_member("storage-transfer")
        markers = marker_tags(
            "transfer", dataset.classification, source=source, target=dataset.target, deletes=dataset.delete_propagation
        )
        waits: list[pulumi.Resource] = [*project.requires("storagetransfer")]

        self.sink_grants = [
            gcp.storage.BucketIAMMember(
                f"{name}-sink-{role.rsplit('.', 1)[-1].lower()}",
                bucket=bucket.bucket.name,
                role=role,
                member=agent,
                opts=ctx.opts(self, region=region),
            )
            for role in SINK_ROLES
        ]
        waits += self.sink_grants

        self.secret = None
        self.secret_version = None
        secret_name: pulumi.Output[str] | None = None
        if creds.kind == "secret" and creds.secret is not None:
            secret_id = ctx.physical(dataset.name, "source-credentials", max_len=255)
            self.secret = gcp.secretmanager.Secret(
                f"{name}-credentials",
                secret_id=secret_id,
                project=project_id,
                replication=gcp.secretmanager.SecretReplicationArgs(
                    user_managed=gcp.secretmanager.SecretReplicationUserManagedArgs(
                        replicas=[
                            gcp.secretmanager.SecretReplicationUserManagedReplicaArgs(
                                location=region,
                                customer_managed_encryption=gcp.secretmanager.SecretReplicationUserManagedReplicaCustomerManagedEncryptionArgs(
                                    kms_key_name=ctx.gcp.region(region).kms_key_id
                                ),
                            ),
                        ]
                    ),
                ),
                deletion_protection=ctx.protect,
                labels=ctx.tags_with({"data-classification": "restricted", "dataset": dataset.name}),
                opts=ctx.opts(
                    self,
                    region=region,
                    data=True,
                    depends_on=[*project.requires("secretmanager"), *project.grants_for(region)],
                ),
            )
            self.secret_version = gcp.secretmanager.SecretVersion(
                f"{name}-credentials-version",
                secret=self.secret.id,
                secret_data=require_secret(creds.secret),
                opts=ctx.opts(self, region=region),
            )
            accessor = gcp.secretmanager.SecretIamMember(
                f"{name}-credentials-accessor",
                project=project_id,
                secret_id=self.secret.secret_id,
                role="roles/secretmanager.secretAccessor",
                member=agent,
                opts=ctx.opts(self, region=region),
            )
            waits += [self.secret_version, accessor]
            secret_name = pulumi.Output.all(project_id, self.secret.secret_id).apply(
                lambda parts: f"projects/{parts[0]}/secrets/{parts[1]}"
            )

        spec_args: dict[str, object] = {
            "gcs_data_sink": gcp.storage.TransferJobTransferSpecGcsDataSinkArgs(
                bucket_name=bucket.bucket.name, path=source.prefix
            ),
            "transfer_options": gcp.storage.TransferJobTransferSpecTransferOptionsArgs(
                overwrite_when="DIFFERENT",
                delete_objects_unique_in_sink=dataset.delete_propagation,
                delete_objects_from_source_after_transfer=False,
            ),
        }
        if source.cloud == "aws":
            spec_args["aws_s3_data_source"] = gcp.storage.TransferJobTransferSpecAwsS3DataSourceArgs(
                bucket_name=source.bucket, path=source.prefix, role_arn=creds.role_arn, credentials_secret=secret_name
            )
        elif source.cloud == "azure":
            federated = None
            if creds.client_id is not None:
                federated = gcp.storage.TransferJobTransferSpecAzureBlobStorageDataSourceFederatedIdentityConfigArgs(
                    client_id=creds.client_id, tenant_id=str(creds.tenant_id)
                )
            azure_source = gcp.storage.TransferJobTransferSpecAzureBlobStorageDataSourceArgs
            spec_args["azure_blob_storage_data_source"] = azure_source(
                storage_account=source.account,
                container=source.container,
                path=source.prefix,
                federated_identity_config=federated,
                credentials_secret=secret_name,
            )
        else:
            spec_args["gcs_data_source"] = gcp.storage.TransferJobTransferSpecGcsDataSourceArgs(
                bucket_name=source.bucket, path=source.prefix
            )

        where = f"{source.cloud}:{source.region}/{source.bucket}"
        self.job = gcp.storage.TransferJob(
            f"{name}-job",
            name=names.transfer_job(ctx.org, ctx.env, ctx.wave.name, dataset.name),
            project=project_id,
            description=f"wave {ctx.wave.name}: {dataset.name} from {where}. {marker_text(markers)}",
            status="ENABLED",
            schedule=job_schedule(ctx.wave.first_day, dataset.parsed_schedule),
            transfer_spec=gcp.storage.TransferJobTransferSpecArgs(**spec_args),  # type: ignore[arg-type]
            logging_config=gcp.storage.TransferJobLoggingConfigArgs(
                log_actions=["FIND", "COPY", "DELETE"], log_action_states=["SUCCEEDED", "FAILED"]
            ),
            opts=ctx.opts(self, region=region, depends_on=waits),
        )
        self.register_outputs({"job": self.job.name, "bucket": bucket.bucket.name})
