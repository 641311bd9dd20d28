"""`lz:migration:AzureDataFactoryTransfer`: Azure Data Factory copies a dataset into a wave's container.

Why Data Factory and not Storage Mover: Storage Mover (azure-native `storagemover`, API 2024-07-01
in this SDK) copies from NFS and SMB shares through an agent VM and between Azure file shares and
blob containers; it has no S3 or Cloud Storage endpoint here. Data Factory's copy activity is
Azure's managed, agentless service for exactly this move (its Amazon S3, Cloud Storage and Blob
Storage connectors), so it plays Storage Mover's part, with the same semantics: additive copies
(nothing is ever deleted at the target, like Storage Mover's `Additive` copy mode), so a dataset
that asks for delete propagation into Azure is refused by the spec.

Per wave and region one factory (`AzureDataFactory`): its data encrypted with the foundation's
Key Vault key through the region's CMK identity, public network access off, a system-assigned
identity that writes to the targets (`Storage Blob Data Contributor` on each target account only).
Per dataset: the source linked service (S3 or Cloud Storage with an access key pair from a Pulumi
secret, JSON `{"access_key_id": ..., "secret_access_key": ...}`; Blob Storage with the factory's
identity or a SAS URL secret), the target linked service (the factory's identity, no keys), binary
datasets on both sides, a pipeline with one copy activity that verifies what it copied
(`validateDataConsistency`: sizes and checksums) and copies only objects modified since its `since`
parameter, and a schedule trigger that runs it with `since` = two intervals before the scheduled
time (deltas, with overlap for late runs). The bulk copy is a run with the parameter's default (the
epoch): the runbook starts it, then starts the trigger (triggers are created stopped).

The pipeline's description carries the migration markers the policies read (pipelines take no tags).

What it does not do: managed virtual network integration runtimes, or copy-activity session logs.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_azure_native as azure_native

from lz.spec.wave import Dataset, Schedule, marker_tags, marker_text

from ...keys.azure import role_assignment_name
from .. import names
from ..buckets.azure import AzureTargetContainer
from ..context import MigrationContext
from ..secrets import require_secret, secret_field

df = azure_native.datafactory

STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
EPOCH = "1970-01-01T00:00:00Z"
_WEEK_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def recurrence(schedule: Schedule, start_date: str) -> df.ScheduleTriggerRecurrenceArgs:
    """The dataset's schedule as a Data Factory schedule trigger recurrence (UTC)."""
    start = f"{start_date}T00:00:00Z"
    if schedule.weekday is not None:
        return df.ScheduleTriggerRecurrenceArgs(
            frequency="Week",
            interval=1,
            start_time=start,
            time_zone="UTC",
            schedule=df.RecurrenceScheduleArgs(
                week_days=[df.DaysOfWeek(_WEEK_DAYS[schedule.weekday])],
                hours=[schedule.hour],
                minutes=[schedule.minute],
            ),
        )
    if schedule.every_hours == 24:
        return df.ScheduleTriggerRecurrenceArgs(
            frequency="Day",
            interval=1,
            start_time=start,
            time_zone="UTC",
            schedule=df.RecurrenceScheduleArgs(hours=[schedule.hour], minutes=[schedule.minute]),
        )
    return df.ScheduleTriggerRecurrenceArgs(
        frequency="Hour",
        interval=schedule.every_hours,
        start_time=start,
        time_zone="UTC",
        schedule=df.RecurrenceScheduleArgs(minutes=[schedule.minute]),
    )


def since_expression(schedule: Schedule) -> str:
    """Objects modified in the last two intervals: a delta that overlaps the previous run."""
    return f"@{{addHours(trigger().scheduledTime, -{2 * schedule.every_hours})}}"


def _principal(identity: Any) -> str:
    principal = getattr(identity, "principal_id", None)
    if not principal:
        raise ValueError("the Data Factory reports no system-assigned identity")
    return str(principal)


def _expression(text: str) -> dict[str, str]:
    return {"value": text, "type": "Expression"}


class AzureDataFactory(pulumi.ComponentResource):
    """`lz:migration:AzureDataFactory`: the wave's Data Factory in one region (CMK, no public access)."""

    factory: df.Factory

    def __init__(
        self,
        name: str,
        ctx: MigrationContext,
        region: str,
        *,
        resource_group: azure_native.resources.ResourceGroup,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:migration:AzureDataFactory", name, None, opts)
        self.region = region
        self.resource_group = resource_group
        identity_id = ctx.azure.region(region).identity_id
        self.factory_name = names.data_factory(ctx.org, ctx.env, ctx.wave.name, region)
        self.factory = df.Factory(
            f"{name}-factory",
            factory_name=self.factory_name,
            resource_group_name=resource_group.name,
            location=region,
            identity=df.FactoryIdentityArgs(
                type="SystemAssigned,UserAssigned", user_assigned_identities=identity_id.apply(lambda i: {i: {}})
            ),
            encryption=df.EncryptionConfigurationArgs(
                key_name=ctx.azure.region(region).key_name,
                vault_base_url=ctx.azure.region(region).key_vault_uri,
                identity=df.CMKIdentityDefinitionArgs(user_assigned_identity=identity_id),
            ),
            public_network_access="Disabled",
            tags=ctx.tags,
            opts=ctx.opts(self, region=region),
        )
        self.principal_id: pulumi.Output[str] = self.factory.identity.apply(_principal)
        self.register_outputs({"factory": self.factory.name})


class AzureDataFactoryTransfer(pulumi.ComponentResource):
    """`lz:migration:AzureDataFactoryTransfer`: linked services, datasets, copy pipeline and its trigger."""

    writer: azure_native.authorization.RoleAssignment
    source_service: df.LinkedService
    target_service: df.LinkedService
    source_dataset: df.Dataset
    target_dataset: df.Dataset
    pipeline: df.Pipeline
    trigger: df.Trigger

    def __init__(
        self,
        name: str,
        ctx: MigrationContext,
        dataset: Dataset,
        *,
        container: AzureTargetContainer,
        factory: AzureDataFactory,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:migration:AzureDataFactoryTransfer", name, None, opts)
        region = dataset.target.region
        source, creds = dataset.source, dataset.source.credentials
        schedule = dataset.parsed_schedule
        markers = marker_tags("transfer", dataset.classification, source=source, target=dataset.target, deletes=False)
        rg = factory.resource_group.name
        common: dict[str, Any] = {"factory_name": factory.factory.name, "resource_group_name": rg}

        def child(**kwargs: Any) -> pulumi.ResourceOptions:
            return ctx.opts(self, region=region, **kwargs)

        subscription = ctx.azure.subscription_id
        self.writer = azure_native.authorization.RoleAssignment(
            f"{name}-writer",
            role_assignment_name=role_assignment_name(
                ctx.org, ctx.env, ctx.wave.name, dataset.name, factory.factory_name, STORAGE_BLOB_DATA_CONTRIBUTOR
            ),
            scope=container.account.id,
            role_definition_id=subscription.apply(
                lambda s: (
                    f"/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/"
                    f"{STORAGE_BLOB_DATA_CONTRIBUTOR}"
                )
            ),
            principal_id=factory.principal_id,
            principal_type="ServicePrincipal",
            description=f"Data Factory of wave {ctx.wave.name} writes {dataset.name}",
            opts=child(),
        )

        if source.cloud == "aws":
            key = str(creds.secret)
            properties: Any = df.AmazonS3LinkedServiceArgs(
                type="AmazonS3",
                authentication_type="AccessKey",
                access_key_id=secret_field(key, "access_key_id"),
                secret_access_key=df.SecureStringArgs(
                    type="SecureString", value=secret_field(key, "secret_access_key")
                ),
                description=f"S3 bucket {source.bucket} ({source.region})",
            )
            location: Any = df.AmazonS3LocationArgs(
                type="AmazonS3Location", bucket_name=source.bucket, folder_path=source.prefix
            )
            read: Any = df.AmazonS3ReadSettingsArgs
            read_type = "AmazonS3ReadSettings"
        elif source.cloud == "gcp":
            key = str(creds.secret)
            properties = df.GoogleCloudStorageLinkedServiceArgs(
                type="GoogleCloudStorage",
                service_url="https://storage.googleapis.com",
                access_key_id=secret_field(key, "access_key_id"),
                secret_access_key=df.SecureStringArgs(
                    type="SecureString", value=secret_field(key, "secret_access_key")
                ),
                description=f"Cloud Storage bucket {source.bucket} ({source.region})",
            )
            location = df.GoogleCloudStorageLocationArgs(
                type="GoogleCloudStorageLocation", bucket_name=source.bucket, folder_path=source.prefix
            )
            read = df.GoogleCloudStorageReadSettingsArgs
            read_type = "GoogleCloudStorageReadSettings"
        else:
            endpoint = f"https://{source.account}.blob.core.windows.net/"
            if creds.kind == "secret":
                properties = df.AzureBlobStorageLinkedServiceArgs(
                    type="AzureBlobStorage",
                    authentication_type="SasUri",
                    sas_uri=df.SecureStringArgs(type="SecureString", value=require_secret(str(creds.secret))),
                    description=f"Blob Storage {source.bucket} ({source.region})",
                )
            else:
                properties = df.AzureBlobStorageLinkedServiceArgs(
                    type="AzureBlobStorage",
                    authentication_type="Msi",
                    service_endpoint=endpoint,
                    description=f"Blob Storage {source.bucket} ({source.region}), read with the factory's identity",
                )
            location = df.AzureBlobStorageLocationArgs(
                type="AzureBlobStorageLocation", container=source.container, folder_path=source.prefix
            )
            read = df.AzureBlobStorageReadSettingsArgs
            read_type = "AzureBlobStorageReadSettings"

        self.source_service = df.LinkedService(
            f"{name}-source-service",
            linked_service_name=names.adf_object(ctx.wave.name, dataset.name, "source"),
            properties=properties,
            opts=child(),
            **common,
        )
        self.target_service = df.LinkedService(
            f"{name}-target-service",
            linked_service_name=names.adf_object(ctx.wave.name, dataset.name, "target"),
            properties=df.AzureBlobStorageLinkedServiceArgs(
                type="AzureBlobStorage",
                authentication_type="Msi",
                service_endpoint=container.blob_endpoint,
                description=f"target container {container.container_name}, written with the factory's identity",
            ),
            opts=child(depends_on=[self.writer]),
            **common,
        )

        def ref(service: df.LinkedService) -> df.LinkedServiceReferenceArgs:
            return df.LinkedServiceReferenceArgs(reference_name=service.name, type="LinkedServiceReference")

        self.source_dataset = df.Dataset(
            f"{name}-source-data",
            dataset_name=names.adf_object(ctx.wave.name, dataset.name, "source"),
            properties=df.BinaryDatasetArgs(
                type="Binary", linked_service_name=ref(self.source_service), location=location
            ),
            opts=child(),
            **common,
        )
        self.target_dataset = df.Dataset(
            f"{name}-target-data",
            dataset_name=names.adf_object(ctx.wave.name, dataset.name, "target"),
            properties=df.BinaryDatasetArgs(
                type="Binary",
                linked_service_name=ref(self.target_service),
                location=df.AzureBlobStorageLocationArgs(
                    type="AzureBlobStorageLocation", container=container.container_name, folder_path=source.prefix
                ),
            ),
            opts=child(),
            **common,
        )

        copy = df.CopyActivityArgs(
            name="copy",
            type="Copy",
            description="Copy objects modified since `since`; verify sizes and checksums of what was copied.",
            inputs=[df.DatasetReferenceArgs(reference_name=self.source_dataset.name, type="DatasetReference")],
            outputs=[df.DatasetReferenceArgs(reference_name=self.target_dataset.name, type="DatasetReference")],
            source=df.BinarySourceArgs(
                type="BinarySource",
                store_settings=read(
                    type=read_type, recursive=True, modified_datetime_start=_expression("@pipeline().parameters.since")
                ),
            ),
            sink=df.BinarySinkArgs(
                type="BinarySink",
                store_settings=df.AzureBlobStorageWriteSettingsArgs(
                    type="AzureBlobStorageWriteSettings", copy_behavior="PreserveHierarchy"
                ),
            ),
            validate_data_consistency=dataset.verify,
            policy=df.ActivityPolicyArgs(
                retry=3, retry_interval_in_seconds=300, secure_input=True, secure_output=True, timeout="7.00:00:00"
            ),
        )
        self.pipeline = df.Pipeline(
            f"{name}-pipeline",
            pipeline_name=names.adf_pipeline(ctx.wave.name, dataset.name),
            description=f"wave {ctx.wave.name}: {dataset.name} from {source.cloud}:{source.region}/{source.bucket}. "
            f"{marker_text(markers)}",
            parameters={"since": df.ParameterSpecificationArgs(type="String", default_value=EPOCH)},
            activities=[copy],
            concurrency=1,
            annotations=[f"wave={ctx.wave.name}", f"dataset={dataset.name}"],
            opts=child(),
            **common,
        )
        self.trigger = df.Trigger(
            f"{name}-trigger",
            trigger_name=names.adf_trigger(ctx.wave.name, dataset.name),
            properties=df.ScheduleTriggerArgs(
                type="ScheduleTrigger",
                description=f"Deltas of {dataset.name}, {schedule.describe()}",
                recurrence=recurrence(schedule, ctx.wave.first_day.isoformat()),
                pipelines=[
                    df.TriggerPipelineReferenceArgs(
                        pipeline_reference=df.PipelineReferenceArgs(
                            reference_name=self.pipeline.name, type="PipelineReference"
                        ),
                        parameters={"since": since_expression(schedule)},
                    )
                ],
            ),
            opts=child(),
            **common,
        )
        self.register_outputs({"pipeline": self.pipeline.name, "trigger": self.trigger.name})
