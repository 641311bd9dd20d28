"""The Azure foundation: per region a Key Vault and a hub network, and the subscription's audit log.

Order matters and is explicit: each region's vault first (its key encrypts the region's flow-log
store), then each region's network, then the Activity Log archive in the home region. Network Watcher
and its `NetworkWatcherRG` are Azure's own (made with the first VNet of a region) and only
referenced by the networks' flow logs. The returned dict is the stack output `foundation.azure` that waves read.

What it does not do: identity, interconnect, GPU pools or telemetry; those wire themselves.
"""

from __future__ import annotations

import pulumi

from lz.contracts.foundation import AzureAuditOutputs, AzureFoundationOutputs, AzureRegionOutputs

from ..audit.azure import AzureActivityLog
from ..base import CloudContext
from ..keys.azure import AzureRegionVault
from ..network.azure import AzureRegionNetwork


def build(ctx: CloudContext, opts: pulumi.ResourceOptions) -> AzureFoundationOutputs:
    parent = opts.parent
    if not isinstance(parent, pulumi.Resource):
        raise TypeError("the Azure foundation must hang under the landing zone component (opts.parent)")
    spec = ctx.cloud_spec

    vaults = {region: AzureRegionVault(f"azure-keys-{region}", ctx, region, opts=opts) for region in ctx.regions}

    networks = {
        region: AzureRegionNetwork(f"azure-network-{region}", ctx, region, vault=vaults[region], opts=opts)
        for region in ctx.regions
    }

    audit = AzureActivityLog("azure-audit", ctx, vaults[ctx.home_region], opts=opts)

    return AzureFoundationOutputs(
        subscription_id=spec.subscription_id,
        regions={
            region: AzureRegionOutputs(
                resource_group=networks[region].resource_group.name,
                vnet_id=networks[region].vnet.id,
                vnet_cidr=str(networks[region].plan.vnet),
                subnet_ids={key: subnet.id for key, subnet in networks[region].subnets.items()},
                key_vault_id=vaults[region].vault.id,
                key_vault_uri=vaults[region].vault_uri,
                key_id=vaults[region].key.id,
                key_name=vaults[region].key_name,
                # Versionless: consumers that follow rotation (storage, disks) want this form.
                key_uri=vaults[region].key.key_uri,
                identity_id=vaults[region].identity.id,
                log_storage_account_id=networks[region].flow_log_storage.id,
            )
            for region in ctx.regions
        },
        audit=AzureAuditOutputs(storage_account_id=audit.storage_account.id),
    )
