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

from lz.core import regions
from lz.spec.wave import Dataset, marker_tags

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

    def __init__(self, name: str, ctx: MigrationContext, dataset: Dataset, *,
                 resource_group: azure_native.resources.ResourceGroup,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("lz:migration:AzureTargetContainer", name, None, opts)
        region = dataset.target.region
        self.region = region
        self.account_name = account_name(ctx, dataset)
        self.container_name = dataset.name
        self.resource_group = resource_group
        identity_id = ctx.azure.region(region).identity_id
        markers = marker_tags("target", dataset.classification, source=dataset.source, target=dataset.target)
        redundancy = "Standard_ZRS" if regions.zones("azure", region) else "Standard_LRS"

        self.account = azure_native.storage.StorageAccount(
            f"{name}-account",
            account_name=self.account_name,
            resource_group_name=resource_group.name,
            location=region,
            kind="StorageV2",
            sku=azure_native.storage.SkuArgs(name=redundancy),
            access_tier=azure_native.storage.AccessTier.HOT,
            enable_https_traffic_only=True,
            minimum_tls_version="TLS1_2",
            allow_blob_public_access=False,
            allow_shared_key_access=False,
            default_to_o_auth_authentication=True,
            allow_cross_tenant_replication=False,
            public_network_access="Enabled",
            network_rule_set=azure_native.storage.NetworkRuleSetArgs(
                default_action=azure_native.storage.DefaultAction.DENY, bypass="AzureServices"),
            identity=azure_native.storage.IdentityArgs(type="UserAssigned", user_assigned_identities=[identity_id]),
            encryption=azure_native.storage.EncryptionArgs(
                key_source="Microsoft.Keyvault",
                key_vault_properties=azure_native.storage.KeyVaultPropertiesArgs(
                    key_name=ctx.azure.region(region).key_name,
                    key_vault_uri=ctx.azure.region(region).key_vault_uri),
                encryption_identity=azure_native.storage.EncryptionIdentityArgs(
                    encryption_user_assigned_identity=identity_id),
                require_infrastructure_encryption=True,
                services=azure_native.storage.EncryptionServicesArgs(
                    blob=azure_native.storage.EncryptionServiceArgs(enabled=True, key_type="Account"),
                    file=azure_native.storage.EncryptionServiceArgs(enabled=True, key_type="Account"),
                    queue=azure_native.storage.EncryptionServiceArgs(enabled=True, key_type="Account"),
                    table=azure_native.storage.EncryptionServiceArgs(enabled=True, key_type="Account")),
            ),
            tags=ctx.tags_with(markers, dataset=dataset.name),
            opts=ctx.opts(self, region=region, data=True),
        )
        self.blob_service = azure_native.storage.BlobServiceProperties(
            f"{name}-blob-service",
            account_name=self.account.name,
            resource_group_name=resource_group.name,
            blob_services_name="default",
            is_versioning_enabled=True,
            change_feed=azure_native.storage.ChangeFeedArgs(enabled=True, retention_in_days=CHANGE_FEED_DAYS),
            delete_retention_policy=azure_native.storage.DeleteRetentionPolicyArgs(
                enabled=True, days=BLOB_SOFT_DELETE_DAYS),
            container_delete_retention_policy=azure_native.storage.DeleteRetentionPolicyArgs(
                enabled=True, days=BLOB_SOFT_DELETE_DAYS),
            opts=ctx.opts(self, region=region),
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
            lambda n: f"https://{n}.blob.core.windows.net/")
        self.register_outputs({"account": self.account.name, "container": self.container_name, "region": region})
