"""`lz:paths:AzureOpenAi`: an Azure OpenAI account per region, reachable only through a private endpoint.

Built when `ai_services` holds `azure-openai` (the spec refuses a region without the service). Per
Azure region, in the region's network resource group:

* a user-assigned identity holding "Key Vault Crypto Service Encryption User" on the region's vault;
* a Cognitive Services account of kind `OpenAI` (SKU S0): public network access disabled and the
  network rules denying by default, local (API key) authentication disabled so callers use Entra ID,
  a custom subdomain `<org>-<env>-<region code>-openai` (required for private endpoints and Entra ID
  tokens; 2 to 64 letters, digits and '-', not starting or ending with '-', globally unique:
  "Custom subdomain names for Azure AI services", learn.microsoft.com/azure/ai-services/
  cognitive-services-custom-subdomains, read 2026-12-05), and its data encrypted with the region's
  Key Vault key through that identity (customer-managed keys for Azure OpenAI:
  learn.microsoft.com/azure/ai-services/openai/encrypt-data-at-rest, read 2026-12-05). The key is
  versionless, so the account follows the vault key's rotation;
* a private endpoint in the region's data subnet (group `account`) registered in
  `privatelink.openai.azure.com`, which is linked to every hub VNet;
* "Cognitive Services OpenAI User" on the account for the Entra ID group of every catalog role that
  holds `ml-develop` (the grant that trains and calls models), so the people of the catalog can use
  it without keys.

The account costs nothing standing: models are billed per token once deployed (see the pricing
rules). What it does not do: model deployments (a model and its capacity are a workload's choice),
content filters, or grants for AKS workloads (their workload identities are the workloads' own).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_azure_native as azure_native

from lz.core import ai_services, naming

from ..base import CloudContext
from ..identity.azure import stable_guid
from ..keys.azure import CRYPTO_SERVICE_ENCRYPTION_USER, role_assignment_name, role_definition_id
from .private_link import linked_zone, private_endpoint

KIND = "OpenAI"
SKU = "S0"
# Built-in role: call the models and read deployments, no management (learn.microsoft.com/azure/
# role-based-access-control/built-in-roles/ai-machine-learning, read 2026-12-05).
OPENAI_USER = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"
# The catalog grants whose holders call the models.
USER_GRANTS = ("ml-develop",)


def subdomain(ctx: CloudContext, region: str) -> str:
    """The account's name and custom subdomain: deterministic, 64 characters at most."""
    return naming.slug(ctx.org, ctx.env, ctx.region_code(region), "openai", max_len=64)


class AzureOpenAi(pulumi.ComponentResource):
    """`lz:paths:AzureOpenAi`: private Azure OpenAI accounts, their zone, and who may call them."""

    def __init__(
        self, name: str, ctx: CloudContext, foundation: dict[str, Any], opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("lz:paths:AzureOpenAi", name, None, opts)
        regions: dict[str, Any] = foundation["regions"]
        home_rg = regions[ctx.home_region]["resource_group"]
        subscription = ctx.cloud_spec.subscription_id
        self.zone, _ = linked_zone(
            f"{name}-zone",
            ctx,
            self,
            zone_name=ai_services.AZURE_OPENAI_ZONE,
            link_key="openai",
            regions=regions,
            resource_group=home_rg,
        )
        users = [
            (role.name, role.groups.azure)
            for role in ctx.spec.identity.roles
            if role.groups.azure and set(role.grants) & set(USER_GRANTS)
        ]
        self.accounts: dict[str, azure_native.cognitiveservices.Account] = {}
        self.endpoints: dict[str, azure_native.network.PrivateEndpoint] = {}
        for region, net in regions.items():
            self._region(name, ctx, subscription, region, net, users)
        self.register_outputs({"zone": ai_services.AZURE_OPENAI_ZONE, "regions": sorted(self.accounts)})

    def _region(
        self,
        name: str,
        ctx: CloudContext,
        subscription: str,
        region: str,
        net: dict[str, Any],
        users: list[tuple[str, str]],
    ) -> None:
        code = ctx.region_code(region)
        rg = net["resource_group"]
        key = f"{name}-{region}"
        account_name = subdomain(ctx, region)
        identity_name = naming.slug("id", ctx.org, ctx.env, code, "openai", max_len=128)
        identity = azure_native.managedidentity.UserAssignedIdentity(
            f"{key}-identity",
            resource_name_=identity_name,
            resource_group_name=rg,
            location=region,
            tags=ctx.tags,
            opts=ctx.opts(self, region=region),
        )
        key_access = azure_native.authorization.RoleAssignment(
            f"{key}-crypto-user",
            role_assignment_name=role_assignment_name(
                subscription, region, identity_name, CRYPTO_SERVICE_ENCRYPTION_USER
            ),
            scope=net["key_vault_id"],
            role_definition_id=role_definition_id(subscription, CRYPTO_SERVICE_ENCRYPTION_USER),
            principal_id=identity.principal_id,
            principal_type="ServicePrincipal",
            description=f"The Azure OpenAI account of {region} encrypts its data with the vault key",
            opts=ctx.opts(self, region=region),
        )
        account = azure_native.cognitiveservices.Account(
            f"{key}-account",
            account_name=account_name,
            resource_group_name=rg,
            location=region,
            kind=KIND,
            sku=azure_native.cognitiveservices.SkuArgs(name=SKU),
            identity=azure_native.cognitiveservices.IdentityArgs(
                type=azure_native.cognitiveservices.ResourceIdentityType.USER_ASSIGNED,
                user_assigned_identities=[identity.id],
            ),
            properties=azure_native.cognitiveservices.AccountPropertiesArgs(
                custom_sub_domain_name=account_name,
                public_network_access="Disabled",
                disable_local_auth=True,
                network_acls=azure_native.cognitiveservices.NetworkRuleSetArgs(default_action="Deny"),
                encryption=azure_native.cognitiveservices.EncryptionArgs(
                    key_source="Microsoft.KeyVault",
                    key_vault_properties=azure_native.cognitiveservices.KeyVaultPropertiesArgs(
                        identity_client_id=identity.client_id,
                        key_name=net["key_name"],
                        key_vault_uri=net["key_vault_uri"],
                    ),
                ),
            ),
            tags=ctx.tags,
            opts=ctx.opts(self, region=region, data=True, depends_on=[key_access]),
        )
        self.accounts[region] = account
        self.endpoints[region], _ = private_endpoint(
            f"{key}-endpoint",
            ctx,
            self,
            region=region,
            endpoint_name=naming.slug("pe", ctx.org, ctx.env, code, "openai", max_len=80),
            net=net,
            target=account.id,
            group=ai_services.AZURE_OPENAI_GROUP,
            zones=[(ai_services.AZURE_OPENAI_ZONE, self.zone)],
        )
        for role, group in users:
            azure_native.authorization.RoleAssignment(
                f"{key}-user-{role}",
                role_assignment_name=stable_guid(subscription, "openai", region, role, group.lower()),
                scope=account.id,
                role_definition_id=role_definition_id(subscription, OPENAI_USER),
                principal_id=group,
                principal_type="Group",
                description=f"Cognitive Services OpenAI User for the landing-zone role {role} ({region})",
                opts=ctx.opts(self, region=region),
            )
