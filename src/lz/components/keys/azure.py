"""`lz:keys:AzureRegionVault`: one region's Key Vault, its customer-managed key, and who may use it.

Per Azure region of the spec: a security resource group, a Key Vault (RBAC-authorised, purge
protection and 90-day soft delete on, no public network access: only trusted Azure services and,
later, private endpoints reach it), an RSA-HSM key that rotates itself, and a user-assigned
managed identity that the region's storage accounts present to Key Vault to wrap and unwrap their
account keys. The identity holds "Key Vault Crypto Service Encryption User" on this vault only.

`storage_identity()` and `storage_encryption()` hand consumers the identity and encryption blocks
of a storage account that rests on this key, so every store says the same thing the same way.

What it does not do: grant humans or pipelines data-plane roles on the vault (that is identity's
job), create private endpoints (the networks' consumers do), or ship the vault's own audit logs
(Azure resource logs must go to a store in the same region; see the audit module).
"""

from __future__ import annotations

import uuid

import pulumi
import pulumi_azure_native as azure_native

from lz.core import naming

from ..base import CloudContext
from ..storage.azure import cmk_encryption, cmk_identity

# Built-in role: wrap/unwrap/get on keys, exactly what a storage account's CMK identity needs.
CRYPTO_SERVICE_ENCRYPTION_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6"
KEY_SIZE = 3072
KEY_ROTATE_AFTER = "P90D"
KEY_EXPIRES_AFTER = "P1Y"
KEY_NOTIFY_BEFORE_EXPIRY = "P30D"
SOFT_DELETE_DAYS = 90
# Role assignment names are GUIDs that ARM requires us to choose; derive them from what they bind
# so a plan is reproducible and a re-run never creates a duplicate assignment.
_ROLE_ASSIGNMENT_NS = uuid.UUID("2f8a4b0e-51a3-4c9e-9d0b-6a1e3c7f5b42")


def role_assignment_name(*parts: str) -> str:
    return str(uuid.uuid5(_ROLE_ASSIGNMENT_NS, "/".join(parts)))


def role_definition_id(subscription_id: str, role_id: str) -> str:
    return f"/subscriptions/{subscription_id}/providers/Microsoft.Authorization/roleDefinitions/{role_id}"


class AzureRegionVault(pulumi.ComponentResource):
    """`lz:keys:AzureRegionVault`: the customer-managed key of one Azure region."""

    def __init__(self, name: str, ctx: CloudContext, region: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("lz:keys:AzureRegionVault", name, None, opts)
        self.region = region
        code = ctx.region_code(region)
        subscription = ctx.cloud_spec.subscription_id

        self.resource_group = azure_native.resources.ResourceGroup(
            f"{name}-rg",
            resource_group_name=naming.slug("rg", ctx.org, ctx.env, code, "security", max_len=90),
            location=region,
            tags=ctx.tags,
            opts=ctx.opts(self, region=region),
        )

        self.identity_name = naming.slug("id", ctx.org, ctx.env, code, "storage-cmk", max_len=128)
        self.identity = azure_native.managedidentity.UserAssignedIdentity(
            f"{name}-identity",
            resource_name_=self.identity_name,
            resource_group_name=self.resource_group.name,
            location=region,
            tags=ctx.tags,
            opts=ctx.opts(self, region=region),
        )

        # The vault trusts the subscription's tenant: the spec's, or the one the identity above
        # reports. That is the subscription's home tenant even when the deploying principal signs
        # in elsewhere (delegated access), where the provider's client config names its own tenant.
        tenant_id: pulumi.Input[str] = ctx.cloud_spec.tenant_id or self.identity.tenant_id

        # Vault names are global DNS labels (3-24 characters); the subscription's hash keeps two
        # tenants' `acme-dev` vaults apart without anything random.
        self.vault_name = naming.slug(
            "kv", ctx.org, ctx.env, code, naming.short_hash(subscription, region, length=4), max_len=24
        )
        self.vault = azure_native.keyvault.Vault(
            f"{name}-vault",
            vault_name=self.vault_name,
            resource_group_name=self.resource_group.name,
            location=region,
            properties=azure_native.keyvault.VaultPropertiesArgs(
                tenant_id=tenant_id,
                sku=azure_native.keyvault.SkuArgs(family="A", name=azure_native.keyvault.SkuName.PREMIUM),
                enable_rbac_authorization=True,
                enable_soft_delete=True,
                soft_delete_retention_in_days=SOFT_DELETE_DAYS,
                enable_purge_protection=True,
                enabled_for_deployment=False,
                enabled_for_disk_encryption=False,
                enabled_for_template_deployment=False,
                public_network_access="Disabled",
                network_acls=azure_native.keyvault.NetworkRuleSetArgs(
                    default_action="Deny",
                    # Storage reaches its CMK as a trusted service; nothing else gets through.
                    bypass="AzureServices",
                ),
            ),
            tags=ctx.tags,
            opts=ctx.opts(self, region=region, data=True),
        )
        # The public-cloud DNS suffix: a storage account's CMK reference needs the URI at plan time.
        self.vault_uri: pulumi.Output[str] = self.vault.name.apply(lambda n: f"https://{n}.vault.azure.net/")

        self.key_name = naming.slug(ctx.org, ctx.env, code, "cmk", max_len=127)
        self.key = azure_native.keyvault.Key(
            f"{name}-key",
            key_name=self.key_name,
            vault_name=self.vault.name,
            resource_group_name=self.resource_group.name,
            properties=azure_native.keyvault.KeyPropertiesArgs(
                kty="RSA-HSM",
                key_size=KEY_SIZE,
                key_ops=["wrapKey", "unwrapKey", "encrypt", "decrypt"],
                attributes=azure_native.keyvault.KeyAttributesArgs(enabled=True),
                rotation_policy=azure_native.keyvault.RotationPolicyArgs(
                    attributes=azure_native.keyvault.KeyRotationPolicyAttributesArgs(expiry_time=KEY_EXPIRES_AFTER),
                    lifetime_actions=[
                        azure_native.keyvault.LifetimeActionArgs(
                            action=azure_native.keyvault.ActionArgs(
                                type=azure_native.keyvault.KeyRotationPolicyActionType.ROTATE
                            ),
                            trigger=azure_native.keyvault.TriggerArgs(time_after_create=KEY_ROTATE_AFTER),
                        ),
                        azure_native.keyvault.LifetimeActionArgs(
                            action=azure_native.keyvault.ActionArgs(
                                type=azure_native.keyvault.KeyRotationPolicyActionType.NOTIFY
                            ),
                            trigger=azure_native.keyvault.TriggerArgs(time_before_expiry=KEY_NOTIFY_BEFORE_EXPIRY),
                        ),
                    ],
                ),
            ),
            tags=ctx.tags,
            opts=ctx.opts(self, region=region, data=True),
        )

        self.crypto_user = azure_native.authorization.RoleAssignment(
            f"{name}-crypto-user",
            role_assignment_name=role_assignment_name(
                subscription, self.vault_name, self.identity_name, CRYPTO_SERVICE_ENCRYPTION_USER
            ),
            scope=self.vault.id,
            role_definition_id=role_definition_id(subscription, CRYPTO_SERVICE_ENCRYPTION_USER),
            principal_id=self.identity.principal_id,
            # Without it ARM may look the new principal up before Entra ID has replicated it.
            principal_type="ServicePrincipal",
            description=f"Storage accounts in {region} unwrap their keys with {self.key_name}",
            opts=ctx.opts(self, region=region),
        )

        self.register_outputs(
            {
                "key_vault_id": self.vault.id,
                "key_vault_uri": self.vault_uri,
                "key_id": self.key.id,
                "key_uri": self.key.key_uri,
                "identity_id": self.identity.id,
            }
        )

    def storage_identity(self) -> azure_native.storage.IdentityArgs:
        """The `identity` of a storage account encrypted with this key: the region's CMK identity."""
        return cmk_identity(self.identity.id)

    def storage_encryption(self) -> azure_native.storage.EncryptionArgs:
        """The `encryption` of a storage account that rests on this key (see `cmk_encryption`)."""
        return cmk_encryption(key_name=self.key.name, key_vault_uri=self.vault_uri, identity_id=self.identity.id)

    def storage_dependencies(self) -> list[pulumi.Resource]:
        """What a CMK storage account must wait for: the key, and the identity's right to use it."""
        return [self.key, self.crypto_user]
