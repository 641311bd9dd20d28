"""`lz:network:AzureRegionNetwork`: one Azure region's hub VNet, its subnets, NSGs and flow logs.

Per Azure region of the spec: a network resource group and a hub VNet addressed by
`lz.core.cidr.azure_region_plan`, with four subnets: `workload` (AKS nodes, VMs), `data` (private
endpoints, with network policies on so NSGs apply to them), `apps` (delegated to Container Apps
environments) and `GatewaySubnet` (the name Azure requires for VPN and ExpressRoute gateways, which
refuse an NSG there). Each other subnet has its own NSG that refuses inbound traffic from the
Internet and admits the VNet.

Traffic is recorded with VNet flow logs (NSG flow logs are being retired), format JSON v2, kept 90
days, in a hardened storage account encrypted with the region's Key Vault key. The flow log lives
under the region's Network Watcher `NetworkWatcher_<region>` in `NetworkWatcherRG`, which Azure
creates itself, one per region, when the subscription's first VNet there is created
(https://learn.microsoft.com/azure/network-watcher/network-watcher-create). The stack only
references it by name and creates the flow log after the VNet: creating the watcher would fail where
one exists, and destroying the stack would delete the subscription's. The account refuses shared
keys, so Network Watcher writes with a user-assigned identity holding "Storage Blob Data
Contributor" on that account only.

Egress (`egress.mode`): the NAT gateway or the firewall subnet and route table the workload, data
and apps subnets attach to come from `lz.components.paths.azure.egress_attachments`; the firewall
itself is built by the paths stage. With `none`, the apps subnet has no default outbound access.

What it does not do: gateways, peerings and routes (interconnect's job), private endpoints or DNS
zones (the paths stage's), traffic analytics.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_azure_native as azure_native

from lz.core import cidr, naming

from ..audit.azure import log_storage_account
from ..base import CloudContext
from ..keys.azure import AzureRegionVault, role_assignment_name, role_definition_id

GATEWAY_SUBNET = "GatewaySubnet"  # fixed by Azure
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
FLOW_LOG_RETENTION_DAYS = 90
FLOW_LOG_FORMAT_VERSION = 2
# Azure's own names for the watcher it creates per region and the group that holds them.
NETWORK_WATCHER_GROUP = "NetworkWatcherRG"


def network_watcher_name(region: str) -> str:
    return f"NetworkWatcher_{region}"


@dataclass(frozen=True)
class _SubnetSpec:
    key: str  # stable: part of the logical name and of the outputs
    prefix: str
    nsg: bool
    private_endpoint_policies: str | None = None
    delegation: str | None = None
    # No implicit Internet egress (Azure is retiring default outbound access): what runs there gets
    # out only through what its owner attaches (NAT gateway, firewall route, load balancer rule).
    # Left alone on `apps` and `gateway`, whose platform services manage their own egress.
    private: bool = False
    # Attached to the egress path (NAT gateway or firewall route) without being private: `apps`,
    # whose Container Apps environment supports UDR and NAT gateway in a workload-profiles
    # environment ("Azure Container Apps environment integration with Azure Firewall",
    # learn.microsoft.com/azure/container-apps/use-azure-firewall, read 2026-12-05). With
    # `egress: none` it loses default outbound access too, so nothing leaves the landing zone.
    egress: bool = False


class AzureRegionNetwork(pulumi.ComponentResource):
    """`lz:network:AzureRegionNetwork`: the hub network of one Azure region."""

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        region: str,
        *,
        vault: AzureRegionVault,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:network:AzureRegionNetwork", name, None, opts)
        self.region = region
        code = ctx.region_code(region)
        subscription = ctx.cloud_spec.subscription_id
        plan = cidr.azure_region_plan(ctx.cloud_spec.region_blocks()[region])
        self.plan = plan

        self.resource_group = azure_native.resources.ResourceGroup(
            f"{name}-rg",
            resource_group_name=naming.slug("rg", ctx.org, ctx.env, code, "network", max_len=90),
            location=region,
            tags=ctx.tags,
            opts=ctx.opts(self, region=region),
        )
        rg_name = self.resource_group.name

        self.vnet = azure_native.network.VirtualNetwork(
            f"{name}-vnet",
            virtual_network_name=naming.slug("vnet", ctx.org, ctx.env, code, "hub", max_len=64),
            resource_group_name=rg_name,
            location=region,
            address_space=azure_native.network.AddressSpaceArgs(address_prefixes=[str(plan.vnet)]),
            # No `subnets` here: they are separate resources, and leaving the property out tells
            # ARM (and the provider) to keep them on every VNet update.
            tags=ctx.tags,
            opts=ctx.opts(self, region=region),
        )

        specs = (
            _SubnetSpec("workload", str(plan.workload), nsg=True, private=True),
            _SubnetSpec("data", str(plan.data), nsg=True, private_endpoint_policies="Enabled", private=True),
            _SubnetSpec("apps", str(plan.apps), nsg=True, delegation="Microsoft.App/environments", egress=True),
            _SubnetSpec("gateway", str(plan.gateway), nsg=False),
        )
        self.nsgs: dict[str, azure_native.network.NetworkSecurityGroup] = {}
        self.subnets: dict[str, azure_native.network.Subnet] = {}
        # The egress path (egress.mode): a NAT gateway or the firewall's subnet and route table,
        # attached to the private subnets. The firewall subnet opens the chain of subnet writes.
        from ..paths.azure import egress_attachments  # noqa: PLC0415 - paths imports this package

        attach, previous = egress_attachments(name, ctx, region, self, rg_name, self.vnet.name)
        no_egress = ctx.spec.egress.mode == "none"
        for resource in previous:
            if isinstance(resource, azure_native.network.Subnet):
                self.subnets["firewall"] = resource
        for spec in specs:
            nsg = self._nsg(name, ctx, region, code, spec.key, rg_name) if spec.nsg else None
            if nsg is not None:
                self.nsgs[spec.key] = nsg
            subnet_name = GATEWAY_SUBNET if spec.key == "gateway" else f"snet-{spec.key}"
            self.subnets[spec.key] = azure_native.network.Subnet(
                f"{name}-snet-{spec.key}",
                subnet_name=subnet_name,
                virtual_network_name=self.vnet.name,
                resource_group_name=rg_name,
                address_prefix=spec.prefix,
                network_security_group=azure_native.network.NetworkSecurityGroupArgs(id=nsg.id) if nsg else None,
                private_endpoint_network_policies=spec.private_endpoint_policies,
                delegations=[
                    azure_native.network.DelegationArgs(
                        name=spec.delegation.replace("/", "-").lower(), service_name=spec.delegation
                    )
                ]
                if spec.delegation
                else None,
                default_outbound_access=False if spec.private or (spec.egress and no_egress) else None,
                **(attach if spec.private or spec.egress else {}),
                # ARM serialises writes to one VNet's subnets; in parallel they fail with
                # AnotherOperationInProgress, so each waits for the one before it.
                opts=ctx.opts(self, region=region, depends_on=previous),
            )
            previous = [self.subnets[spec.key]]
        from ..paths.azure import dns_subnets  # noqa: PLC0415

        self.subnets.update(dns_subnets(name, ctx, region, self, rg_name, self.vnet.name, previous))

        self._flow_logs(name, ctx, region, code, subscription, vault)

        self.register_outputs(
            {
                "resource_group": rg_name,
                "vnet_id": self.vnet.id,
                "vnet_cidr": str(plan.vnet),
                "subnet_ids": {key: subnet.id for key, subnet in self.subnets.items()},
                "flow_log_id": self.flow_log.id,
            }
        )

    def _nsg(
        self, name: str, ctx: CloudContext, region: str, code: str, key: str, rg_name: pulumi.Input[str]
    ) -> azure_native.network.NetworkSecurityGroup:
        # Rules inline: NSG and rules are one unit, and mixing inline with separate SecurityRule
        # resources makes each update undo the other.
        return azure_native.network.NetworkSecurityGroup(
            f"{name}-nsg-{key}",
            network_security_group_name=naming.slug("nsg", ctx.org, ctx.env, code, key, max_len=80),
            resource_group_name=rg_name,
            location=region,
            security_rules=[
                azure_native.network.SecurityRuleArgs(
                    name="allow-vnet-inbound",
                    priority=4000,
                    direction="Inbound",
                    access="Allow",
                    protocol="*",
                    source_address_prefix="VirtualNetwork",
                    source_port_range="*",
                    destination_address_prefix="VirtualNetwork",
                    destination_port_range="*",
                    description="Traffic from inside the VNet and its peers",
                ),
                azure_native.network.SecurityRuleArgs(
                    name="deny-internet-inbound",
                    priority=4096,
                    direction="Inbound",
                    access="Deny",
                    protocol="*",
                    source_address_prefix="Internet",
                    source_port_range="*",
                    destination_address_prefix="*",
                    destination_port_range="*",
                    description="Nothing reaches this subnet from the Internet directly",
                ),
            ],
            tags=ctx.tags,
            opts=ctx.opts(self, region=region),
        )

    def _flow_logs(
        self, name: str, ctx: CloudContext, region: str, code: str, subscription: str, vault: AzureRegionVault
    ) -> None:
        self.flow_log_storage, self.flow_log_blob_service = log_storage_account(
            f"{name}-flow-logs",
            ctx,
            self,
            region=region,
            purpose="flowlogs",
            resource_group_name=self.resource_group.name,
            vault=vault,
            # Flow logs rewrite their hourly block blobs every minute: with versioning each rewrite
            # would keep a full copy. Soft delete still protects against deletion.
            versioning=False,
        )

        identity_name = naming.slug("id", ctx.org, ctx.env, code, "flow-logs", max_len=128)
        self.flow_log_identity = azure_native.managedidentity.UserAssignedIdentity(
            f"{name}-flow-logs-identity",
            resource_name_=identity_name,
            resource_group_name=self.resource_group.name,
            location=region,
            tags=ctx.tags,
            opts=ctx.opts(self, region=region),
        )
        self.flow_log_writer = azure_native.authorization.RoleAssignment(
            f"{name}-flow-logs-writer",
            role_assignment_name=role_assignment_name(
                subscription, region, "flowlogs", identity_name, STORAGE_BLOB_DATA_CONTRIBUTOR
            ),
            scope=self.flow_log_storage.id,
            role_definition_id=role_definition_id(subscription, STORAGE_BLOB_DATA_CONTRIBUTOR),
            principal_id=self.flow_log_identity.principal_id,
            principal_type="ServicePrincipal",
            description=f"Network Watcher writes the flow logs of {region}",
            opts=ctx.opts(self, region=region),
        )

        self.flow_log = azure_native.network.FlowLog(
            f"{name}-flow-log",
            flow_log_name=naming.slug("fl", ctx.org, ctx.env, code, "hub", max_len=80),
            # Azure's own watcher of the region, there once the VNet is (target_resource_id orders it).
            network_watcher_name=network_watcher_name(region),
            # A flow log lives beside its watcher, not beside the VNet it records.
            resource_group_name=NETWORK_WATCHER_GROUP,
            location=region,
            target_resource_id=self.vnet.id,
            storage_id=self.flow_log_storage.id,
            enabled=True,
            format=azure_native.network.FlowLogFormatParametersArgs(type="JSON", version=FLOW_LOG_FORMAT_VERSION),
            retention_policy=azure_native.network.RetentionPolicyParametersArgs(
                enabled=True, days=FLOW_LOG_RETENTION_DAYS
            ),
            identity=azure_native.network.ManagedServiceIdentityArgs(
                type=azure_native.network.ResourceIdentityType.USER_ASSIGNED,
                user_assigned_identities=[self.flow_log_identity.id],
            ),
            tags=ctx.tags,
            opts=ctx.opts(
                self,
                region=region,
                depends_on=[self.flow_log_writer, self.flow_log_blob_service, *self.subnets.values()],
            ),
        )
