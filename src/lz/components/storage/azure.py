"""`secure_storage_account()`: the hardened, CMK-encrypted StorageV2 account every store of ours is built on.

One builder for the Azure audit and flow-log archives and a wave's migration targets, so their
settings cannot drift apart: HTTPS only, TLS 1.2, no anonymous blobs, no shared keys (Entra ID
only, OAuth by default in the portal), no cross-tenant replication, network default deny with
trusted Azure services let through, a customer-managed key through a user-assigned identity with
infrastructure encryption underneath, and zone-redundant storage where the region has zones
(locally redundant elsewhere: geo-redundant SKUs would copy the data to the paired region, which
residency may forbid). Then the blob service: versioning, soft delete of blobs and containers, and
optionally the change feed.

What differs between stores is a parameter, never a copy: names, the key, public network access,
the copy scope, versioning, retention days, the change feed, tags and protection.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pulumi
import pulumi_azure_native as azure_native

from lz.core import regions


def cmk_identity(identity_id: pulumi.Input[str]) -> azure_native.storage.IdentityArgs:
    """The `identity` of an account encrypted through the user-assigned CMK identity `identity_id`."""
    return azure_native.storage.IdentityArgs(type="UserAssigned", user_assigned_identities=[identity_id])


def cmk_encryption(
    *, key_name: pulumi.Input[str], key_vault_uri: pulumi.Input[str], identity_id: pulumi.Input[str]
) -> azure_native.storage.EncryptionArgs:
    """The `encryption` of an account that rests on a Key Vault key.

    No key version: the account follows the key's rotation by itself. Infrastructure encryption
    adds a second, platform-managed layer underneath, and can only be chosen at creation.
    """
    account_key = azure_native.storage.EncryptionServiceArgs(enabled=True, key_type="Account")
    return azure_native.storage.EncryptionArgs(
        key_source="Microsoft.Keyvault",
        key_vault_properties=azure_native.storage.KeyVaultPropertiesArgs(
            key_name=key_name, key_vault_uri=key_vault_uri
        ),
        encryption_identity=azure_native.storage.EncryptionIdentityArgs(encryption_user_assigned_identity=identity_id),
        require_infrastructure_encryption=True,
        # Queues and tables default to service-scoped keys, which a CMK does not cover.
        services=azure_native.storage.EncryptionServicesArgs(
            blob=account_key, file=account_key, queue=account_key, table=account_key
        ),
    )


def redundancy(region: str) -> str:
    """Zone-redundant where the region has zones, locally redundant elsewhere; never across regions."""
    return "Standard_ZRS" if regions.zones("azure", region) else "Standard_LRS"


def secure_storage_account(
    account_logical_name: str,
    blob_service_logical_name: str,
    *,
    parent: pulumi.Resource,
    provider: pulumi.ProviderResource,
    protect: bool,
    account_name: pulumi.Input[str],
    resource_group_name: pulumi.Input[str],
    region: str,
    identity: azure_native.storage.IdentityArgs,
    encryption: azure_native.storage.EncryptionArgs,
    tags: Mapping[str, str],
    public_network_access: str,
    allowed_copy_scope: str | None,
    versioning: bool = True,
    soft_delete_days: int,
    change_feed_days: int | None = None,
    depends_on: Sequence[pulumi.Resource] = (),
) -> tuple[azure_native.storage.StorageAccount, azure_native.storage.BlobServiceProperties]:
    """The account (protected when `protect`) and its blob service settings, children of `parent`.

    `public_network_access` and `allowed_copy_scope` have no default because the stores need
    different values and each caller must say which and why: `"Disabled"` keeps a store reachable
    only through private endpoints and Azure's own trusted paths; `"Enabled"` (still default deny,
    with trusted Azure services let through) is what a writer reaching the public endpoint needs.
    `allowed_copy_scope="AAD"` refuses server-side copies from accounts outside our Entra tenant;
    None leaves copies unrestricted for a store whose data may come from another tenant.
    `depends_on` is what the account waits for (typically the key and the identity's grant on it).
    """
    account = azure_native.storage.StorageAccount(
        account_logical_name,
        account_name=account_name,
        resource_group_name=resource_group_name,
        location=region,
        kind="StorageV2",
        sku=azure_native.storage.SkuArgs(name=redundancy(region)),
        access_tier=azure_native.storage.AccessTier.HOT,
        enable_https_traffic_only=True,
        minimum_tls_version="TLS1_2",
        allow_blob_public_access=False,
        allow_shared_key_access=False,
        default_to_o_auth_authentication=True,
        allow_cross_tenant_replication=False,
        allowed_copy_scope=allowed_copy_scope,
        public_network_access=public_network_access,
        # Azure Monitor, Network Watcher and Data Factory write as trusted services; everything else is refused.
        network_rule_set=azure_native.storage.NetworkRuleSetArgs(
            default_action=azure_native.storage.DefaultAction.DENY, bypass="AzureServices"
        ),
        identity=identity,
        encryption=encryption,
        tags=dict(tags),
        opts=pulumi.ResourceOptions(
            parent=parent, provider=provider, protect=protect, depends_on=list(depends_on) or None
        ),
    )
    blob_service = azure_native.storage.BlobServiceProperties(
        blob_service_logical_name,
        account_name=account.name,
        resource_group_name=resource_group_name,
        blob_services_name="default",
        is_versioning_enabled=versioning,
        change_feed=(
            azure_native.storage.ChangeFeedArgs(enabled=True, retention_in_days=change_feed_days)
            if change_feed_days is not None
            else None
        ),
        delete_retention_policy=azure_native.storage.DeleteRetentionPolicyArgs(enabled=True, days=soft_delete_days),
        container_delete_retention_policy=azure_native.storage.DeleteRetentionPolicyArgs(
            enabled=True, days=soft_delete_days
        ),
        opts=pulumi.ResourceOptions(parent=parent, provider=provider),
    )
    return account, blob_service
