"""`lz:audit:AzureActivityLog`: the subscription's Activity Log, archived in a hardened store.

One per Azure cloud, in the home region: an audit resource group, a storage account encrypted with
the home region's Key Vault key, blob versioning and soft delete so a deleted or overwritten log can
be recovered, and a subscription diagnostic setting that sends every Activity Log category there.

`log_storage_account()` builds the store, and the network module reuses it for VNet flow logs so
every Azure log archive is hardened alike: HTTPS only, TLS 1.2, network rules that deny all but
the trusted Azure services that write the logs (public network access stays enabled for them), no
shared keys (Entra ID only), no anonymous blobs, customer-managed key with infrastructure
encryption, and zone-redundant storage where the region has zones. Replication never leaves the
region: geo-redundant SKUs would copy logs to the paired region, which residency may forbid.

What it does not do: resource logs of individual resources (ARM sends those only to a store in the
resource's own region), a Log Analytics workspace or Sentinel (telemetry's job), legal-hold or
time-based immutability (a retention decision for the owner of the data, not a default).
"""

from __future__ import annotations

import pulumi
import pulumi_azure_native as azure_native

from lz.core import naming

from ..base import CloudContext
from ..keys.azure import AzureRegionVault
from ..storage.azure import secure_storage_account

ACTIVITY_LOG_CATEGORIES = (
    "Administrative",
    "Security",
    "ServiceHealth",
    "Alert",
    "Recommendation",
    "Policy",
    "Autoscale",
    "ResourceHealth",
)
BLOB_DELETE_RETENTION_DAYS = 30


def log_storage_account(
    name: str,
    ctx: CloudContext,
    parent: pulumi.Resource,
    *,
    region: str,
    purpose: str,
    resource_group_name: pulumi.Input[str],
    vault: AzureRegionVault,
    versioning: bool = True,
    depends_on: list[pulumi.Resource] | None = None,
) -> tuple[azure_native.storage.StorageAccount, azure_native.storage.BlobServiceProperties]:
    """A hardened, CMK-encrypted StorageV2 account for logs, and its blob recovery settings.

    `name` is the logical prefix; the physical name is `st<org><env><region><purpose>` plus a hash
    of the subscription, region and purpose (storage names are global, 24 lower-case alphanumerics,
    and truncation must never make two of ours collide).
    """
    code = ctx.region_code(region)
    subscription = ctx.cloud_spec.subscription_id
    account_name = naming.compact(
        "st", ctx.org, ctx.env, code, purpose, max_len=24, owner=f"{subscription}/{region}/{purpose}"
    )
    # Audit stores are written only by the services that write them: the identity stage scopes the
    # catalog's storage data roles so they exclude these accounts.
    ctx.shared.setdefault("azure-audit-accounts", []).append(account_name)
    return secure_storage_account(
        f"{name}-storage",
        f"{name}-blob-service",
        parent=parent,
        provider=ctx.provider(region),
        protect=ctx.protect,
        account_name=account_name,
        resource_group_name=resource_group_name,
        region=region,
        identity=vault.storage_identity(),
        encryption=vault.storage_encryption(),
        tags=ctx.tags,
        # The writers (Azure Monitor diagnostic settings, Network Watcher flow logs) are trusted Azure
        # services that reach the public endpoint from Azure's own networks and never use our private
        # endpoints; "Disabled" would close that path too. The default-deny rule set with the
        # AzureServices bypass still refuses every other caller (checked by
        # `network-workload-reachability`, lz.policies.reachability_links).
        public_network_access="Enabled",
        # Nothing is ever copied into a log archive; copies out stay inside our tenant.
        allowed_copy_scope="AAD",
        versioning=versioning,
        soft_delete_days=BLOB_DELETE_RETENTION_DAYS,
        depends_on=vault.storage_dependencies() + list(depends_on or []),
    )


class AzureActivityLog(pulumi.ComponentResource):
    """`lz:audit:AzureActivityLog`: every Activity Log category of the subscription, kept in the home region."""

    def __init__(
        self, name: str, ctx: CloudContext, vault: AzureRegionVault, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("lz:audit:AzureActivityLog", name, None, opts)
        region = vault.region
        code = ctx.region_code(region)

        self.resource_group = azure_native.resources.ResourceGroup(
            f"{name}-rg",
            resource_group_name=naming.slug("rg", ctx.org, ctx.env, code, "audit", max_len=90),
            location=region,
            tags=ctx.tags,
            opts=ctx.opts(self, region=region),
        )

        self.storage_account, self.blob_service = log_storage_account(
            name, ctx, self, region=region, purpose="audit", resource_group_name=self.resource_group.name, vault=vault
        )

        self.diagnostic_setting = azure_native.monitor.SubscriptionDiagnosticSetting(
            f"{name}-activity-log",
            name=naming.slug("ds", ctx.org, ctx.env, "activity-log", max_len=64),
            storage_account_id=self.storage_account.id,
            logs=[
                azure_native.monitor.SubscriptionLogSettingsArgs(category=category, enabled=True)
                for category in ACTIVITY_LOG_CATEGORIES
            ],
            # Versioning and soft delete must be on before the first log lands.
            opts=ctx.opts(self, region=region, depends_on=[self.blob_service]),
        )

        self.register_outputs({"storage_account_id": self.storage_account.id})
