"""Azure network paths of one region: the egress attachments of the hub's subnets, the firewall, private endpoints.

`egress_attachments` is called by the region's network before it creates the workload and data
subnets, because Azure attaches a route table or a NAT gateway through the subnet itself:
* `nat`: a Standard NAT gateway with one static public address, attached to workload, data and apps.
* `firewall`: `AzureFirewallSubnet` (the name and the /26 Azure requires) and a route table
  sending `0.0.0.0/0` to the firewall's private address, attached to workload and data. The
  address is the first usable one of that subnet (Azure keeps the first four), where Azure places
  a firewall's first private address; `lz.core.paths_plan` fixes it so the route exists before the
  firewall does. The apps subnet (Container Apps) attaches to the same table.

`AzureRegionFirewall` (`lz:paths:AzureRegionFirewall`) is the Standard Azure Firewall in that
subnet with a firewall policy: an application rule collection allows the spec's host names on
HTTP/HTTPS from the region's VNet, the `AzureKubernetesService` FQDN tag for AKS's own
dependencies ("Control egress traffic using Azure Firewall in AKS", learn.microsoft.com, read
2026-12), and from the apps subnet the Container Apps dependencies (`CONTAINER_APPS_FQDNS`) plus a
network rule to the `AzureMonitor` service tag on 443. Everything else is denied by the firewall's
default. All its logs go to the region's log store (diagnostic settings must write to an account of
the same region).

`AzurePrivateLink` (`lz:paths:AzurePrivateLink`): the `privatelink.blob.core.windows.net` and
`privatelink.vaultcore.azure.net` zones linked to every hub VNet, and a private endpoint in each
region's data subnet for its Key Vault and its log storage account, plus the audit store's, each
registered in its zone.

What it does not do: forced tunnelling, TLS inspection (Premium), a Private Link Scope for Azure
Monitor.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_azure_native as azure_native

from lz.core import cidr, naming, paths_plan

from ..base import CloudContext
from .private_link import linked_zone, private_endpoint

FIREWALL_SUBNET = "AzureFirewallSubnet"  # fixed by Azure
AKS_FQDN_TAG = "AzureKubernetesService"
# What a Container Apps environment behind Azure Firewall must reach ("Azure Container Apps
# environment integration with Azure Firewall", learn.microsoft.com/azure/container-apps/
# use-azure-firewall, application rules, read 2026-12-05): Microsoft Container Registry (all
# scenarios), the packages of its underlying AKS nodes (all scenarios), and Entra ID for managed
# identities. The collector's own image and OTLP endpoint are the spec's (egress.allow).
CONTAINER_APPS_FQDNS: tuple[str, ...] = (
    "*.data.mcr.microsoft.com",
    "*.identity.azure.net",
    "*.login.microsoft.com",
    "*.login.microsoftonline.com",
    "acs-mirror.azureedge.net",
    "login.microsoftonline.com",
    "mcr.microsoft.com",
    "packages.aks.azure.com",
)
# Network rule of the same page for an environment that exports to Azure Monitor.
AZURE_MONITOR_TAG = "AzureMonitor"
PRIVATE_ZONES: dict[str, str] = {
    "blob": "privatelink.blob.core.windows.net",
    "vault": "privatelink.vaultcore.azure.net",
}


def egress_attachments(
    name: str,
    ctx: CloudContext,
    region: str,
    parent: pulumi.Resource,
    resource_group_name: pulumi.Input[str],
    vnet_name: pulumi.Input[str],
) -> tuple[dict[str, Any], list[pulumi.Resource]]:
    """What the workload and data subnets attach to, and the resources subnets must wait for."""
    mode = ctx.spec.egress.mode
    code = ctx.region_code(region)
    plan = paths_plan.azure_paths_plan(ctx.cloud_spec.region_blocks()[region])
    if mode == "nat":
        address = azure_native.network.PublicIPAddress(
            f"{name}-nat-ip",
            public_ip_address_name=naming.slug("pip", ctx.org, ctx.env, code, "nat", max_len=80),
            resource_group_name=resource_group_name,
            location=region,
            sku=azure_native.network.PublicIPAddressSkuArgs(name="Standard", tier="Regional"),
            public_ip_allocation_method="Static",
            public_ip_address_version="IPv4",
            tags=ctx.tags,
            opts=ctx.opts(parent, region=region),
        )
        gateway = azure_native.network.NatGateway(
            f"{name}-nat",
            nat_gateway_name=naming.slug("ng", ctx.org, ctx.env, code, max_len=80),
            resource_group_name=resource_group_name,
            location=region,
            sku=azure_native.network.NatGatewaySkuArgs(name="Standard"),
            public_ip_addresses=[azure_native.network.SubResourceArgs(id=address.id)],
            idle_timeout_in_minutes=4,
            tags=ctx.tags,
            opts=ctx.opts(parent, region=region),
        )
        return {"nat_gateway": azure_native.network.SubResourceArgs(id=gateway.id)}, [gateway]
    if mode == "firewall":
        firewall_subnet = azure_native.network.Subnet(
            f"{name}-snet-firewall",
            subnet_name=FIREWALL_SUBNET,
            virtual_network_name=vnet_name,
            resource_group_name=resource_group_name,
            address_prefix=str(plan.firewall),
            opts=ctx.opts(parent, region=region),
        )
        table = azure_native.network.RouteTable(
            f"{name}-rt-egress",
            route_table_name=naming.slug("rt", ctx.org, ctx.env, code, "egress", max_len=80),
            resource_group_name=resource_group_name,
            location=region,
            # BGP routes from the VPN gateway (the other clouds) still apply: they are more specific.
            disable_bgp_route_propagation=False,
            routes=[
                azure_native.network.RouteArgs(
                    name="default-via-firewall",
                    address_prefix="0.0.0.0/0",
                    next_hop_type="VirtualAppliance",
                    next_hop_ip_address=str(plan.firewall_private_ip),
                )
            ],
            tags=ctx.tags,
            opts=ctx.opts(parent, region=region),
        )
        return {"route_table": azure_native.network.RouteTableArgs(id=table.id)}, [firewall_subnet, table]
    return {}, []


DNS_RESOLVER_DELEGATION = "Microsoft.Network/dnsResolvers"


def dns_subnets(
    name: str,
    ctx: CloudContext,
    region: str,
    parent: pulumi.Resource,
    resource_group_name: pulumi.Input[str],
    vnet_name: pulumi.Input[str],
    previous: list[pulumi.Resource],
) -> dict[str, azure_native.network.Subnet]:
    """The DNS Private Resolver's inbound and outbound subnets (home region, cross-cloud DNS only).

    Both are delegated to `Microsoft.Network/dnsResolvers` and hold nothing else, as the resolver
    requires ("Azure DNS Private Resolver: subnet restrictions", learn.microsoft.com, read 2026-12).
    """
    spec = ctx.spec
    if region != ctx.home_region or not paths_plan.dns_enabled(spec.clouds.enabled(), spec.interconnect.topology):
        return {}
    plan = paths_plan.azure_paths_plan(ctx.cloud_spec.region_blocks()[region])
    out: dict[str, azure_native.network.Subnet] = {}
    for key, prefix in (("dns-inbound", plan.dns_inbound), ("dns-outbound", plan.dns_outbound)):
        out[key] = azure_native.network.Subnet(
            f"{name}-snet-{key}",
            subnet_name=f"snet-{key}",
            virtual_network_name=vnet_name,
            resource_group_name=resource_group_name,
            address_prefix=str(prefix),
            delegations=[
                azure_native.network.DelegationArgs(name="dns-resolvers", service_name=DNS_RESOLVER_DELEGATION)
            ],
            opts=ctx.opts(parent, region=region, depends_on=previous),
        )
        previous = [out[key]]
    return out


class AzureRegionFirewall(pulumi.ComponentResource):
    """`lz:paths:AzureRegionFirewall`: Azure Firewall Standard with an FQDN allow list, logs to the region's store."""

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        region: str,
        network: dict[str, Any],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:paths:AzureRegionFirewall", name, None, opts)
        code = ctx.region_code(region)
        allow = ctx.spec.egress_allow
        rg = network["resource_group"]
        child = ctx.opts(self, region=region)
        vnet_cidr = network["vnet_cidr"]
        apps_cidr = str(cidr.azure_region_plan(ctx.cloud_spec.region_blocks()[region]).apps)
        self.public_ip = azure_native.network.PublicIPAddress(
            f"{name}-ip",
            public_ip_address_name=naming.slug("pip", ctx.org, ctx.env, code, "afw", max_len=80),
            resource_group_name=rg,
            location=region,
            sku=azure_native.network.PublicIPAddressSkuArgs(name="Standard", tier="Regional"),
            public_ip_allocation_method="Static",
            public_ip_address_version="IPv4",
            tags=ctx.tags,
            opts=child,
        )
        self.policy = azure_native.network.FirewallPolicy(
            f"{name}-policy",
            firewall_policy_name=naming.slug("afwp", ctx.org, ctx.env, code, max_len=80),
            resource_group_name=rg,
            location=region,
            sku=azure_native.network.FirewallPolicySkuArgs(tier="Standard"),
            threat_intel_mode="Deny",
            tags=ctx.tags,
            opts=child,
        )
        https = [
            azure_native.network.FirewallPolicyRuleApplicationProtocolArgs(protocol_type="Https", port=443),
            azure_native.network.FirewallPolicyRuleApplicationProtocolArgs(protocol_type="Http", port=80),
        ]
        rules = [
            azure_native.network.ApplicationRuleArgs(
                rule_type="ApplicationRule",
                name="aks-dependencies",
                source_addresses=[vnet_cidr],
                fqdn_tags=[AKS_FQDN_TAG],
                protocols=https[:1],
                description="AKS's own dependencies (Microsoft-maintained FQDN tag)",
            )
        ]
        rules.append(
            azure_native.network.ApplicationRuleArgs(
                rule_type="ApplicationRule",
                name="container-apps-dependencies",
                source_addresses=[apps_cidr],
                target_fqdns=list(CONTAINER_APPS_FQDNS),
                protocols=https[:1],
                description="Container Apps platform dependencies (MCR, AKS packages, Entra ID)",
            )
        )
        if allow:
            rules.append(
                azure_native.network.ApplicationRuleArgs(
                    rule_type="ApplicationRule",
                    name="egress-allow",
                    source_addresses=[vnet_cidr],
                    target_fqdns=allow,
                    protocols=https,
                    description="Allow-listed host names (egress.allow)",
                )
            )
        self.rules = azure_native.network.FirewallPolicyRuleCollectionGroup(
            f"{name}-rules",
            firewall_policy_name=self.policy.name,
            resource_group_name=rg,
            rule_collection_group_name="egress",
            priority=200,
            rule_collections=[
                azure_native.network.FirewallPolicyFilterRuleCollectionArgs(
                    rule_collection_type="FirewallPolicyFilterRuleCollection",
                    name="allow-egress",
                    priority=200,
                    action=azure_native.network.FirewallPolicyFilterRuleCollectionActionArgs(type="Allow"),
                    rules=rules,
                ),
                azure_native.network.FirewallPolicyFilterRuleCollectionArgs(
                    rule_collection_type="FirewallPolicyFilterRuleCollection",
                    name="allow-azure-monitor",
                    priority=100,
                    action=azure_native.network.FirewallPolicyFilterRuleCollectionActionArgs(type="Allow"),
                    rules=[
                        azure_native.network.NetworkRuleArgs(
                            rule_type="NetworkRule",
                            name="container-apps-azure-monitor",
                            ip_protocols=["TCP"],
                            source_addresses=[apps_cidr],
                            destination_addresses=[AZURE_MONITOR_TAG],
                            destination_ports=["443"],
                            description="Container Apps logs and the collector's azuremonitor exporter",
                        )
                    ],
                ),
            ],
            opts=child,
        )
        self.firewall = azure_native.network.AzureFirewall(
            f"{name}-firewall",
            azure_firewall_name=naming.slug("afw", ctx.org, ctx.env, code, max_len=80),
            resource_group_name=rg,
            location=region,
            sku=azure_native.network.AzureFirewallSkuArgs(name="AZFW_VNet", tier="Standard"),
            firewall_policy=azure_native.network.SubResourceArgs(id=self.policy.id),
            ip_configurations=[
                azure_native.network.AzureFirewallIPConfigurationArgs(
                    name="ipconfig",
                    subnet=azure_native.network.SubResourceArgs(id=network["subnet_ids"]["firewall"]),
                    public_ip_address=azure_native.network.SubResourceArgs(id=self.public_ip.id),
                )
            ],
            tags=ctx.tags,
            opts=ctx.opts(self, region=region, depends_on=[self.rules]),
        )
        self.diagnostics = azure_native.monitor.DiagnosticSetting(
            f"{name}-diagnostics",
            name=naming.slug("diag", ctx.org, ctx.env, code, "afw", max_len=80),
            resource_uri=self.firewall.id,
            storage_account_id=network["log_storage_account_id"],
            logs=[azure_native.monitor.DiagnosticsLogSettingsArgs(category_group="allLogs", enabled=True)],
            opts=child,
        )
        self.register_outputs({"firewall_id": self.firewall.id})


class AzurePrivateLink(pulumi.ComponentResource):
    """`lz:paths:AzurePrivateLink`: privatelink zones on every VNet, endpoints for vaults and log stores."""

    def __init__(
        self, name: str, ctx: CloudContext, foundation: dict[str, Any], opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("lz:paths:AzurePrivateLink", name, None, opts)
        regions: dict[str, Any] = foundation["regions"]
        home = ctx.home_region
        home_rg = regions[home]["resource_group"]
        self.zones: dict[str, azure_native.privatedns.PrivateZone] = {}
        for key, zone_name in PRIVATE_ZONES.items():
            self.zones[key], _ = linked_zone(
                f"{name}-zone-{key}",
                ctx,
                self,
                zone_name=zone_name,
                link_key=key,
                regions=regions,
                resource_group=home_rg,
            )
        self.endpoints: dict[str, azure_native.network.PrivateEndpoint] = {}
        for region, net in regions.items():
            targets = [("vault", "vault", net["key_vault_id"]), ("logs", "blob", net["log_storage_account_id"])]
            if region == home:
                targets.append(("audit", "blob", foundation["audit"]["storage_account_id"]))
            for key, group, target in targets:
                self._endpoint(name, ctx, region, net, key, group, target)
        self.register_outputs({"zones": sorted(PRIVATE_ZONES.values())})

    def _endpoint(
        self,
        name: str,
        ctx: CloudContext,
        region: str,
        net: dict[str, Any],
        key: str,
        group: str,
        target: pulumi.Input[str],
    ) -> None:
        zone = "vault" if group == "vault" else "blob"
        self.endpoints[f"{region}/{key}"], _ = private_endpoint(
            f"{name}-{region}-{key}",
            ctx,
            self,
            region=region,
            endpoint_name=naming.slug("pe", ctx.org, ctx.env, ctx.region_code(region), key, max_len=80),
            net=net,
            target=target,
            group=group,
            zones=[(PRIVATE_ZONES[zone], self.zones[zone])],
        )
