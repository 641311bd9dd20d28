"""`lz:migration:AzureTargetContainer`: the storage account and blob container a dataset lands in.

One StorageV2 account per dataset (so its tags say the dataset's classification and origin), in
the dataset's target region and the wave's resource group there: HTTPS only, TLS 1.2 at least, no
anonymous blob access, no shared keys (Entra ID only, so every writer is a managed identity), no
cross-tenant replication, network default deny with trusted Azure services let through (Data
Factory writes with its managed identity). Encrypted with the foundation's Key Vault key of the
region through the region's CMK identity, with infrastructure encryption underneath. Blob
versioning, change feed and soft delete of blobs and containers are on.

Zone-redundant storage where the region has availability zones, locally redundant elsewhere:
either way the data never leaves the region (no GRS pairing across borders).

Protected from `pulumi destroy` unless the wave is a disposable test environment.

What it does not do: private endpoints (a consumer's choice), lifecycle tiering, or copying.
"""

from __future__ import annotations

import pulumi
import pulumi_azure_native as azure_native

from lz.spec.wave import Dataset, marker_tags

from ...storage.azure import cmk_encryption, cmk_identity, secure_storage_account
from .. import names
from ..context import MigrationContext

BLOB_SOFT_DELETE_DAYS = 14
CHANGE_FEED_DAYS = 90


def account_name(ctx: MigrationContext, dataset: Dataset) -> str:
    """3-24 lower-case letters and digits, globally unique: a hash of what the account is for."""
    return names.storage_account(ctx.org, ctx.env, ctx.wave.name, dataset.name, dataset.target.region)


class AzureTargetContainer(pulumi.ComponentResource):
    """`lz:migration:AzureTargetContainer`: storage account (CMK), blob service settings, container."""

    account: azure_native.storage.StorageAccount
    blob_service: azure_native.storage.BlobServiceProperties
    container: azure_native.storage.BlobContainer

    def __init__(
        self,
        name: str,
        ctx: MigrationContext,
        dataset: Dataset,
        *,
        resource_group: azure_native.resources.ResourceGroup,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:migration:AzureTargetContainer", name, None, opts)
        region = dataset.target.region
        self.region = region
        self.account_name = account_name(ctx, dataset)
        self.container_name = dataset.name
        self.resource_group = resource_group
        identity_id = ctx.azure.region(region).identity_id
        markers = marker_tags("target", dataset.classification, source=dataset.source, target=dataset.target)

        self.account, self.blob_service = secure_storage_account(
            f"{name}-account",
            f"{name}-blob-service",
            parent=self,
            provider=ctx.provider(region),
            protect=ctx.protect,
            account_name=self.account_name,
            resource_group_name=resource_group.name,
            region=region,
            identity=cmk_identity(identity_id),
            encryption=cmk_encryption(
                key_name=ctx.azure.region(region).key_name,
                key_vault_uri=ctx.azure.region(region).key_vault_uri,
                identity_id=identity_id,
            ),
            tags=ctx.tags_with(markers, dataset=dataset.name),
            # Where this differs from the log archives (lz.components.audit.azure), on purpose:
            # Data Factory's copy runs on the Azure integration runtime (no managed virtual network
            # here, see transfers/azure.py) and writes to this account's public endpoint with its
            # managed identity, let through only by the trusted-services bypass of the default-deny
            # network rules. Azure applies that bypass to an account whose public network access is
            # enabled; "Disabled" would refuse the factory unless it wrote through a private endpoint.
            public_network_access="Enabled",
            # A wave may copy from a Blob Storage account in another tenant (a SAS URL source), so
            # copies are not limited to our Entra tenant ("AAD") as the log archives' are.
            allowed_copy_scope=None,
            versioning=True,
            soft_delete_days=BLOB_SOFT_DELETE_DAYS,
            change_feed_days=CHANGE_FEED_DAYS,
        )
        self.container = azure_native.storage.BlobContainer(
            f"{name}-container",
            account_name=self.account.name,
            resource_group_name=resource_group.name,
            container_name=self.container_name,
            public_access=azure_native.storage.PublicAccess.NONE,
            opts=ctx.opts(self, region=region, data=True, depends_on=[self.blob_service]),
        )
        self.blob_endpoint: pulumi.Output[str] = self.account.name.apply(
            lambda n: f"https://{n}.blob.core.windows.net/"
        )
        self.register_outputs({"account": self.account.name, "container": self.container_name, "region": region})
