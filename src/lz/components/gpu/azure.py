"""`lz:gpu:AzureGpuCluster` and `lz:gpu:AzureGpuPool`: a private AKS cluster per region and its GPU agent pools.

Per Azure region that hosts `gpu_pools`, in a resource group of its own:

* a disk encryption set on the region's Key Vault key (versionless, following the key's rotation),
  whose system-assigned identity holds "Key Vault Crypto Service Encryption User" on that vault:
  every node's OS disk is encrypted through it, and agent pools use managed (never ephemeral) OS
  disks so no node disk escapes it;
* a user-assigned control-plane identity with "Network Contributor" on the hub's `workload` subnet
  only (AKS joins its nodes and load balancers to that subnet);
* encryption at host on every node (temp disks and OS/data disk caches encrypted with the same key;
  the subscription needs the `Microsoft.Compute/EncryptionAtHost` feature registered once);
* the AKS cluster: private API server (private DNS zone managed by AKS, no public FQDN, run-command
  off, public network access disabled), Entra ID integration with Azure RBAC and local accounts
  disabled, Workload Identity and the OIDC issuer, the Key Vault secrets provider with rotation,
  Azure CNI overlay with Cilium, automatic upgrades on the stable channel, and a system pool tainted
  `CriticalAddonsOnly` for add-ons.

Per pool, a user agent pool on the catalog's VM size in the `workload` subnet: Spot priority with
eviction policy Delete where asked, autoscaling min..max from zero, the taint
`nvidia.com/gpu=present:NoSchedule` (plus AKS's own spot taint) and labels naming the accelerator,
no node public IPs, the NVIDIA driver installed by AKS.

Egress follows `egress.mode` (`outbound_type`): `firewall` uses the workload subnet's route to the hub
firewall (`userDefinedRouting`), `nat` the subnet's NAT gateway (`userAssignedNATGateway`), and `none`
keeps AKS's standard load balancer (one outbound public IP, no inbound), which AKS needs to bootstrap.
What it does not do: KMS encryption of etcd with the
vault key (AKS requires API Server VNet Integration, i.e. a delegated subnet the foundation does not
carve, for a private vault), role assignments for people, or GPU operators.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_azure_native as azure_native

from lz.contracts.foundation import AzureFoundationOutputs, AzureRegionOutputs
from lz.core import accelerators, naming, otel
from lz.spec.gpu import GpuPool

from ..base import CloudContext
from ..keys.azure import CRYPTO_SERVICE_ENCRYPTION_USER, role_assignment_name, role_definition_id
from ..registry import azure as registry_azure
from ..registry import image_for
from . import GPU_TAINT_KEY, GPU_TAINT_VALUE, gpu_labels
from .access import aks_access

NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"
OUTBOUND_TYPE = "loadBalancer"
# egress.mode -> AKS outbound type ("Customize cluster egress with outbound types in AKS",
# learn.microsoft.com/azure/aks/egress-outboundtype, read 2026-12).
OUTBOUND_TYPES = {"none": OUTBOUND_TYPE, "nat": "userAssignedNATGateway", "firewall": "userDefinedRouting"}


def outbound_type(mode: str) -> str:
    return OUTBOUND_TYPES[mode]


SYSTEM_VM_SIZE = "Standard_D4ds_v5"
SYSTEM_NODES = (1, 3)
SYSTEM_DISK_GB = 64
MAX_PODS = 110
SPOT_TAINT = "kubernetes.azure.com/scalesetpriority=spot:NoSchedule"  # AKS adds it to every spot pool
GPU_TAINT = f"{GPU_TAINT_KEY}={GPU_TAINT_VALUE}:NoSchedule"


class AzureGpuPool(pulumi.ComponentResource):
    """`lz:gpu:AzureGpuPool`: one AKS user agent pool for a GPU pool."""

    agent_pool: azure_native.containerservice.AgentPool

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        *,
        region: str,
        pool: GpuPool,
        shape: accelerators.Shape,
        cluster: azure_native.containerservice.ManagedCluster,
        resource_group: pulumi.Input[str],
        subnet_id: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:gpu:AzureGpuPool", name, None, opts)
        spot = pool.spot
        self.agent_pool = azure_native.containerservice.AgentPool(
            f"{name}-pool",
            agent_pool_name=pool.name,
            resource_name_=cluster.name,
            resource_group_name=resource_group,
            mode="User",
            os_type="Linux",
            os_sku="Ubuntu",
            vm_size=shape.machine_type,
            vnet_subnet_id=subnet_id,
            availability_zones=pool.zones,
            enable_auto_scaling=True,
            count=pool.min_nodes,
            min_count=pool.min_nodes,
            max_count=pool.max_nodes,
            scale_set_priority="Spot" if spot else "Regular",
            scale_set_eviction_policy="Delete" if spot else None,
            spot_max_price=-1 if spot else None,  # pay up to the on-demand price rather than be evicted on price
            # Managed OS disks go through the cluster's disk encryption set; ephemeral ones would not.
            os_disk_type="Managed",
            os_disk_size_gb=pool.disk_size_gb,
            enable_encryption_at_host=True,
            max_pods=MAX_PODS,
            enable_node_public_ip=False,
            gpu_profile=azure_native.containerservice.GPUProfileArgs(driver="Install"),
            node_taints=[GPU_TAINT, *([SPOT_TAINT] if spot else [])],
            node_labels=gpu_labels(pool),
            tags=ctx.tags,
            opts=ctx.opts(self, region=region, ignore_changes=["count"]),
        )
        self.register_outputs({"agent_pool": self.agent_pool.name})


class AzureGpuCluster(pulumi.ComponentResource):
    """`lz:gpu:AzureGpuCluster`: a private AKS cluster with a disk encryption set, and its GPU pools."""

    cluster: azure_native.containerservice.ManagedCluster
    pools: dict[str, AzureGpuPool]

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        region: str,
        pools: list[GpuPool],
        *,
        network: AzureRegionOutputs,
        prerequisites: list[pulumi.Resource] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:gpu:AzureGpuCluster", name, None, opts)
        code = ctx.region_code(region)
        subscription = ctx.cloud_spec.subscription_id
        subnet_id = network["subnet_ids"]["workload"]
        self.cluster_name = naming.slug("aks", ctx.org, ctx.env, code, "gpu", max_len=63)

        self.resource_group = azure_native.resources.ResourceGroup(
            f"{name}-rg",
            resource_group_name=naming.slug("rg", ctx.org, ctx.env, code, "gpu", max_len=90),
            location=region,
            tags=ctx.tags,
            opts=ctx.opts(self, region=region),
        )
        rg = self.resource_group.name

        des_name = naming.slug("des", ctx.org, ctx.env, code, "gpu", max_len=80)
        self.disk_encryption_set = azure_native.compute.DiskEncryptionSet(
            f"{name}-des",
            disk_encryption_set_name=des_name,
            resource_group_name=rg,
            location=region,
            encryption_type="EncryptionAtRestWithCustomerKey",
            active_key=azure_native.compute.KeyForDiskEncryptionSetArgs(
                key_url=network["key_uri"],
                source_vault=azure_native.compute.SourceVaultArgs(id=network["key_vault_id"]),
            ),
            rotation_to_latest_key_version_enabled=True,
            identity=azure_native.compute.EncryptionSetIdentityArgs(type="SystemAssigned"),
            tags=ctx.tags,
            opts=ctx.opts(self, region=region, data=True),
        )
        des_principal = self.disk_encryption_set.identity.apply(lambda i: i.principal_id if i else None)
        self.des_key_access = azure_native.authorization.RoleAssignment(
            f"{name}-des-crypto-user",
            role_assignment_name=role_assignment_name(subscription, region, des_name, CRYPTO_SERVICE_ENCRYPTION_USER),
            scope=network["key_vault_id"],
            role_definition_id=role_definition_id(subscription, CRYPTO_SERVICE_ENCRYPTION_USER),
            principal_id=des_principal,
            principal_type="ServicePrincipal",
            description=f"Disk encryption set {des_name} wraps node disk keys with the vault key",
            opts=ctx.opts(self, region=region),
        )

        identity_name = naming.slug("id", ctx.org, ctx.env, code, "aks-gpu", max_len=128)
        self.identity = azure_native.managedidentity.UserAssignedIdentity(
            f"{name}-identity",
            resource_name_=identity_name,
            resource_group_name=rg,
            location=region,
            tags=ctx.tags,
            opts=ctx.opts(self, region=region),
        )
        self.subnet_access = azure_native.authorization.RoleAssignment(
            f"{name}-subnet-network-contributor",
            role_assignment_name=role_assignment_name(
                subscription, region, identity_name, "workload", NETWORK_CONTRIBUTOR
            ),
            scope=subnet_id,
            role_definition_id=role_definition_id(subscription, NETWORK_CONTRIBUTOR),
            principal_id=self.identity.principal_id,
            principal_type="ServicePrincipal",
            description=f"AKS {self.cluster_name} joins nodes and internal load balancers to the workload subnet",
            opts=ctx.opts(self, region=region),
        )

        system_pool = azure_native.containerservice.ManagedClusterAgentPoolProfileArgs(
            name="system",
            mode="System",
            os_type="Linux",
            os_sku="AzureLinux",
            vm_size=SYSTEM_VM_SIZE,
            vnet_subnet_id=subnet_id,
            enable_auto_scaling=True,
            count=SYSTEM_NODES[0],
            min_count=SYSTEM_NODES[0],
            max_count=SYSTEM_NODES[1],
            os_disk_type="Managed",
            os_disk_size_gb=SYSTEM_DISK_GB,
            enable_encryption_at_host=True,
            max_pods=MAX_PODS,
            enable_node_public_ip=False,
            node_taints=["CriticalAddonsOnly=true:NoSchedule"],
            node_labels={"landing-zone/pool": "system"},
            tags=ctx.tags,
        )
        tenant = ctx.cloud_spec.tenant_id
        secrets_provider = azure_native.containerservice.ManagedClusterAddonProfileArgs(
            enabled=True, config={"enableSecretRotation": "true", "rotationPollInterval": "2m"}
        )
        self.cluster = azure_native.containerservice.ManagedCluster(
            f"{name}-aks",
            resource_name_=self.cluster_name,
            resource_group_name=rg,
            location=region,
            dns_prefix=naming.slug(ctx.org, ctx.env, code, "gpu", max_len=54),
            node_resource_group=naming.slug("rg", ctx.org, ctx.env, code, "gpu-nodes", max_len=80),
            sku=azure_native.containerservice.ManagedClusterSKUArgs(
                name="Base", tier="Standard" if ctx.env == "prod" else "Free"
            ),
            identity=azure_native.containerservice.ManagedClusterIdentityArgs(
                type=azure_native.containerservice.ResourceIdentityType.USER_ASSIGNED,
                user_assigned_identities=[self.identity.id],
            ),
            enable_rbac=True,
            disable_local_accounts=True,
            aad_profile=azure_native.containerservice.ManagedClusterAADProfileArgs(
                managed=True, enable_azure_rbac=True, tenant_id=tenant
            ),
            api_server_access_profile=azure_native.containerservice.ManagedClusterAPIServerAccessProfileArgs(
                enable_private_cluster=True,
                enable_private_cluster_public_fqdn=False,
                private_dns_zone="system",
                disable_run_command=True,
            ),
            public_network_access="Disabled",
            disk_encryption_set_id=self.disk_encryption_set.id,
            network_profile=azure_native.containerservice.ContainerServiceNetworkProfileArgs(
                network_plugin="azure",
                network_plugin_mode="overlay",
                network_dataplane="cilium",
                network_policy="cilium",
                load_balancer_sku="standard",
                outbound_type=outbound_type(ctx.spec.egress.mode),
            ),
            agent_pool_profiles=[system_pool],
            auto_upgrade_profile=azure_native.containerservice.ManagedClusterAutoUpgradeProfileArgs(
                upgrade_channel="stable", node_os_upgrade_channel="NodeImage"
            ),
            addon_profiles={"azureKeyvaultSecretsProvider": secrets_provider},
            oidc_issuer_profile=azure_native.containerservice.ManagedClusterOIDCIssuerProfileArgs(enabled=True),
            security_profile=azure_native.containerservice.ManagedClusterSecurityProfileArgs(
                workload_identity=azure_native.containerservice.ManagedClusterSecurityProfileWorkloadIdentityArgs(
                    enabled=True
                ),
                image_cleaner=azure_native.containerservice.ManagedClusterSecurityProfileImageCleanerArgs(
                    enabled=True, interval_hours=48
                ),
            ),
            storage_profile=azure_native.containerservice.ManagedClusterStorageProfileArgs(
                disk_csi_driver=azure_native.containerservice.ManagedClusterStorageProfileDiskCSIDriverArgs(
                    enabled=True
                )
            ),
            tags=ctx.tags,
            # The GPU pools are AgentPool resources of their own; without this every update of the
            # cluster would try to reconcile them away through `agentPoolProfiles`.
            opts=ctx.opts(
                self,
                region=region,
                data=True,
                depends_on=[self.des_key_access, self.subnet_access, *(prerequisites or [])],
                ignore_changes=["agentPoolProfiles"],
            ),
        )

        self.pools = {}
        self.shapes: dict[str, accelerators.Shape] = {}
        for pool in pools:
            shape = accelerators.resolve(pool)
            self.shapes[pool.name] = shape
            self.pools[pool.name] = AzureGpuPool(
                f"{name}-{pool.name}",
                ctx,
                region=region,
                pool=pool,
                shape=shape,
                cluster=self.cluster,
                resource_group=rg,
                subnet_id=subnet_id,
                opts=pulumi.ResourceOptions(parent=self),
            )

        # With `registries.mirror`, the kubelet identity (made by AKS) pulls the agent image from the
        # region's registry.
        self.agent_image, _ = image_for(ctx, region, ctx.spec.telemetry.image)
        if ctx.spec.telemetry.enabled:
            registry_azure.acr_pull(
                ctx,
                self,
                f"{name}-kubelet",
                region,
                self.cluster.identity_profile.apply(_kubelet_object_id),
                f"{self.cluster_name}-kubelet",
            )

        # AKS RBAC roles for the role catalog: local accounts are off, so these are the only way in.
        self.access = aks_access(name, ctx, self, region=region, cluster=self.cluster)

        self.outputs: dict[str, Any] = {
            "cluster_name": self.cluster_name,
            "cluster_id": self.cluster.id,
            "resource_group": rg,
            "private_fqdn": self.cluster.private_fqdn,
            "disk_encryption_set_id": self.disk_encryption_set.id,
            "pools": {
                p.name: {
                    "machine_type": self.shapes[p.name].machine_type,
                    "gpus_per_node": self.shapes[p.name].gpus,
                    "priority": "Spot" if p.spot else "Regular",
                    "min_nodes": p.min_nodes,
                    "max_nodes": p.max_nodes,
                    "zones": list(p.zones or []),
                }
                for p in pools
            },
        }
        if ctx.spec.telemetry.enabled:
            self.outputs["otel_agent_manifest"] = otel.agent_manifest(
                ctx.spec, "azure", region, self.cluster_name, image=self.agent_image
            )
        self.register_outputs({"cluster_name": self.cluster_name, "cluster_id": self.cluster.id})


def _kubelet_object_id(profile: Any) -> str:
    """The kubelet identity's object id from the cluster's `identityProfile` (SDK objects or plain dicts).

    AKS makes that identity for every cluster with a managed control-plane identity, as this one has."""
    kubelet = (profile or {}).get("kubeletidentity")
    # The SDK's output types are dicts with property getters; check the getter first.
    if kubelet is not None and hasattr(type(kubelet), "object_id"):
        value = getattr(kubelet, "object_id", None)
    else:
        value = kubelet.get("objectId") if isinstance(kubelet, dict) else None
    if not value:
        raise ValueError("the AKS cluster reports no kubelet identity (identityProfile.kubeletidentity)")
    return str(value)


def encryption_at_host_feature(ctx: CloudContext, opts: pulumi.ResourceOptions) -> pulumi.Resource:
    """The subscription's `Microsoft.Compute/EncryptionAtHost` registration, which node pools with host
    encryption need (https://learn.microsoft.com/azure/aks/enable-host-encryption). One per
    subscription, so made once for every cluster; kept on destroy, since other workloads of the
    subscription may rely on it."""
    return azure_native.features.SubscriptionFeatureRegistration(
        f"{ctx.org}-{ctx.env}-azure-feature-encryption-at-host",
        provider_namespace="Microsoft.Compute",
        feature_name="EncryptionAtHost",
        properties=azure_native.features.SubscriptionFeatureRegistrationPropertiesArgs(),
        opts=ctx.opts(opts.parent, region=ctx.home_region, retain_on_delete=True),
    )


def build(
    ctx: CloudContext,
    foundation: AzureFoundationOutputs,
    regions: dict[str, list[GpuPool]],
    opts: pulumi.ResourceOptions,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    feature = encryption_at_host_feature(ctx, opts) if regions else None
    for region, pools in regions.items():
        cluster = AzureGpuCluster(
            f"{ctx.org}-{ctx.env}-azure-gpu-{region}",
            ctx,
            region,
            pools,
            network=foundation["regions"][region],
            prerequisites=[feature] if feature is not None else [],
            opts=opts,
        )
        out[region] = cluster.outputs
    return out
