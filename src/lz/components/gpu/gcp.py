"""`lz:gpu:GcpGpuCluster` and `lz:gpu:GcpGpuPool`: a private regional GKE cluster per region and its GPU pools.

Per GCP region that hosts `gpu_pools`, one regional GKE Standard cluster on the region's workload
subnet, pods and services on the subnet's `pods`/`services` secondary ranges:

* private nodes and a private endpoint only, the control plane on a /28 carved from the region
  block's spare sixteenth (see `master_range`), reachable from the landing zone's supernets
  (master authorized networks, enforced on the private endpoint too, global access for other regions);
* application-layer secrets encryption with the region's CMEK (the GKE service agent is granted the
  key), Workload Identity, shielded nodes, Dataplane V2 with intranode visibility, no client
  certificates, the kubelet's read-only port off, the
  REGULAR release channel, deletion protection outside disposable stacks;
* a least-privilege node service account (`roles/container.defaultNodeServiceAccount` and Artifact
  Registry read) instead of the Compute Engine default account, and a small untainted system pool
  for kube-dns and the other add-ons that do not tolerate the GPU taint (the default pool is removed).

Per pool, a node pool on the catalog's machine type with its guest accelerators and a GPU driver
version pinned explicitly (`DEFAULT` or `LATEST`, never left unspecified), spot where asked,
autoscaling over the total node count min..max starting at min (scale to zero), the taint
`nvidia.com/gpu=present:NoSchedule` and labels naming the accelerator, boot disks encrypted with the
region's key, private nodes only, in the pool's zones when it names them.

With telemetry on, the node agent (`otel_agent_manifest`) exports to the region's Cloud Run gateway
(its deterministic URL, from the project number) with a Google ID token for that URL, acting as the
project's OpenTelemetry sender account through Workload Identity (`lz.components.telemetry.gcp`).

What it does not do: Cloud NAT (private nodes reach Google APIs through Private Google Access), GPU
sharing or time-slicing, reservations, or cluster RBAC.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_gcp as gcp

from lz.contracts.foundation import GcpFoundationOutputs
from lz.core import accelerators, cidr, otel
from lz.core import regions as catalog
from lz.spec.gpu import GpuPool

from ..base import CloudContext
from ..keys.gcp import ENCRYPTER_DECRYPTER
from ..registry import gcp as registry_gcp
from ..registry import image_for
from ..telemetry.gcp import gateway_service_name, gateway_url, sender_email
from . import GPU_TAINT_KEY, GPU_TAINT_VALUE, admin_cidrs, gpu_labels

RELEASE_CHANNEL = "REGULAR"
NODE_ROLES = ("roles/container.defaultNodeServiceAccount", "roles/artifactregistry.reader")
OAUTH_SCOPES = ["https://www.googleapis.com/auth/cloud-platform"]  # access is decided by IAM, not scopes
SYSTEM_MACHINE_TYPE = "e2-standard-4"
SYSTEM_NODES = (1, 3)  # total over the region's zones
SYSTEM_DISK_GB = 50
IMAGE_TYPE = "COS_CONTAINERD"
DEFAULT_DISK_TYPE = "pd-balanced"


def master_range(block: ipaddress.IPv4Network) -> ipaddress.IPv4Network:
    """The control plane's /28: the first of the region block's last sixteenth, which
    `lz.core.cidr.gcp_region_plan` leaves unused (pods, primary, services and proxy-only sit before it)."""
    last_quarter = cidr.nth_subnet(block, 2, 3)
    spare = cidr.nth_subnet(last_quarter, 2, 3)
    return cidr.nth_subnet(spare, 28 - spare.prefixlen, 0)


def _node_config(
    ctx: CloudContext,
    *,
    machine_type: str,
    service_account: pulumi.Input[str],
    kms_key: pulumi.Input[str],
    disk_size_gb: int,
    disk_type: str,
    labels: dict[str, str],
    taints: Sequence[gcp.container.NodePoolNodeConfigTaintArgs] = (),
    accelerators_: Sequence[gcp.container.NodePoolNodeConfigGuestAcceleratorArgs] = (),
    spot: bool = False,
) -> gcp.container.NodePoolNodeConfigArgs:
    return gcp.container.NodePoolNodeConfigArgs(
        machine_type=machine_type,
        image_type=IMAGE_TYPE,
        service_account=service_account,
        oauth_scopes=OAUTH_SCOPES,
        boot_disk_kms_key=kms_key,
        disk_size_gb=disk_size_gb,
        disk_type=disk_type,
        spot=spot,
        guest_accelerators=list(accelerators_) or None,
        shielded_instance_config=gcp.container.NodePoolNodeConfigShieldedInstanceConfigArgs(
            enable_secure_boot=True, enable_integrity_monitoring=True
        ),
        workload_metadata_config=gcp.container.NodePoolNodeConfigWorkloadMetadataConfigArgs(mode="GKE_METADATA"),
        metadata={"disable-legacy-endpoints": "true"},
        labels=labels,
        resource_labels=ctx.tags,
        taints=list(taints) or None,
    )


class GcpGpuPool(pulumi.ComponentResource):
    """`lz:gpu:GcpGpuPool`: one GKE node pool (a GPU pool or the cluster's system pool)."""

    node_pool: gcp.container.NodePool

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        *,
        region: str,
        cluster: gcp.container.Cluster,
        pool_name: str,
        node_config: gcp.container.NodePoolNodeConfigArgs,
        min_nodes: int,
        max_nodes: int,
        zones: list[str] | None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:gpu:GcpGpuPool", name, None, opts)
        self.node_pool = gcp.container.NodePool(
            f"{name}-pool",
            name=pool_name,
            project=ctx.cloud_spec.project,
            location=region,
            cluster=cluster.name,
            node_locations=zones,
            # Per zone; a pool whose minimum is zero starts empty and waits for work.
            initial_node_count=-(-min_nodes // len(zones or catalog.zones("gcp", region) or [region])),
            autoscaling=gcp.container.NodePoolAutoscalingArgs(
                total_min_node_count=min_nodes, total_max_node_count=max_nodes, location_policy="ANY"
            ),
            management=gcp.container.NodePoolManagementArgs(auto_repair=True, auto_upgrade=True),
            # GPU capacity is scarce: upgrade by replacing one node at a time rather than surging.
            upgrade_settings=gcp.container.NodePoolUpgradeSettingsArgs(
                strategy="SURGE", max_surge=0, max_unavailable=1
            ),
            network_config=gcp.container.NodePoolNetworkConfigArgs(enable_private_nodes=True),
            node_config=node_config,
            opts=ctx.opts(self, region=region, ignore_changes=["initialNodeCount"]),
        )
        self.register_outputs({"node_pool": self.node_pool.name})


class GcpGpuCluster(pulumi.ComponentResource):
    """`lz:gpu:GcpGpuCluster`: a private regional GKE cluster, its node service account and node pools."""

    cluster: gcp.container.Cluster
    pools: dict[str, GcpGpuPool]

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        region: str,
        pools: list[GpuPool],
        *,
        foundation: GcpFoundationOutputs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:gpu:GcpGpuCluster", name, None, opts)
        project = ctx.cloud_spec.project
        code = ctx.region_code(region)
        net = foundation["regions"][region]
        kms_key = net["kms_key_id"]
        self.cluster_name = ctx.physical(code, "gpu", max_len=40)
        self.master_cidr = str(master_range(ctx.cloud_spec.region_blocks()[region]))

        self.node_account = gcp.serviceaccount.Account(
            f"{name}-nodes-sa",
            account_id=ctx.physical(code, "gke-nodes", max_len=30),
            project=project,
            display_name=f"GKE nodes of {self.cluster_name}",
            description="Node identity: write logs and metrics, pull images; workloads use Workload Identity",
            opts=ctx.opts(self, region=region),
        )
        node_member = self.node_account.email.apply(lambda email: f"serviceAccount:{email}")
        self.node_roles: list[pulumi.Resource] = [
            gcp.projects.IAMMember(
                f"{name}-nodes-{role.split('/')[-1].replace('.', '-')}",
                project=project,
                role=role,
                member=node_member,
                opts=ctx.opts(self, region=region),
            )
            for role in NODE_ROLES
        ]

        # With `registries.mirror`, nodes pull the agent image from the region's remote repository.
        self.agent_image, _ = image_for(ctx, region, ctx.spec.telemetry.image)
        if ctx.spec.telemetry.enabled:
            self.node_roles += registry_gcp.reader_grants(
                ctx, self, name, region, {"nodes": node_member}, after=[self.node_account]
            )

        # GKE encrypts Kubernetes secrets with the key through its own service agent; the agent exists
        # once the Kubernetes Engine API is on (the foundation enables it).
        project_info = gcp.organizations.get_project_output(
            project_id=project, opts=pulumi.InvokeOutputOptions(parent=self, provider=ctx.provider())
        )
        self.secrets_key_grant = gcp.kms.CryptoKeyIAMMember(
            f"{name}-gke-agent-key",
            crypto_key_id=kms_key,
            role=ENCRYPTER_DECRYPTER,
            member=project_info.number.apply(
                lambda n: f"serviceAccount:service-{n}@container-engine-robot.iam.gserviceaccount.com"
            ),
            opts=ctx.opts(self, region=region),
        )

        self.cluster = gcp.container.Cluster(
            f"{name}-gke",
            name=self.cluster_name,
            project=project,
            location=region,
            description=f"Private GPU cluster of {ctx.org}-{ctx.env} in {region}",
            network=foundation["network_id"],
            subnetwork=net["subnet_id"],
            networking_mode="VPC_NATIVE",
            ip_allocation_policy=gcp.container.ClusterIpAllocationPolicyArgs(
                cluster_secondary_range_name=net["pods_range"], services_secondary_range_name=net["services_range"]
            ),
            private_cluster_config=gcp.container.ClusterPrivateClusterConfigArgs(
                enable_private_nodes=True,
                enable_private_endpoint=True,
                master_ipv4_cidr_block=self.master_cidr,
                master_global_access_config=gcp.container.ClusterPrivateClusterConfigMasterGlobalAccessConfigArgs(
                    enabled=True
                ),
            ),
            master_authorized_networks_config=gcp.container.ClusterMasterAuthorizedNetworksConfigArgs(
                cidr_blocks=[
                    gcp.container.ClusterMasterAuthorizedNetworksConfigCidrBlockArgs(
                        cidr_block=c, display_name=f"landing zone {c}"
                    )
                    for c in admin_cidrs(ctx)
                ],
                gcp_public_cidrs_access_enabled=False,
                private_endpoint_enforcement_enabled=True,
            ),
            workload_identity_config=gcp.container.ClusterWorkloadIdentityConfigArgs(
                workload_pool=f"{project}.svc.id.goog"
            ),
            database_encryption=gcp.container.ClusterDatabaseEncryptionArgs(state="ENCRYPTED", key_name=kms_key),
            enable_shielded_nodes=True,
            enable_intranode_visibility=True,
            master_auth=gcp.container.ClusterMasterAuthArgs(
                client_certificate_config=gcp.container.ClusterMasterAuthClientCertificateConfigArgs(
                    issue_client_certificate=False
                )
            ),
            datapath_provider="ADVANCED_DATAPATH",
            release_channel=gcp.container.ClusterReleaseChannelArgs(channel=RELEASE_CHANNEL),
            logging_config=gcp.container.ClusterLoggingConfigArgs(enable_components=["SYSTEM_COMPONENTS", "WORKLOADS"]),
            monitoring_config=gcp.container.ClusterMonitoringConfigArgs(
                enable_components=["SYSTEM_COMPONENTS", "DCGM"],
                managed_prometheus=gcp.container.ClusterMonitoringConfigManagedPrometheusArgs(enabled=True),
            ),
            node_pool_defaults=gcp.container.ClusterNodePoolDefaultsArgs(
                node_config_defaults=gcp.container.ClusterNodePoolDefaultsNodeConfigDefaultsArgs(
                    insecure_kubelet_readonly_port_enabled="FALSE"
                )
            ),
            # GKE needs a first node pool to create a cluster; it is removed at once in favour of the
            # pools below, but while it lives it runs as the node account with encrypted disks too.
            remove_default_node_pool=True,
            initial_node_count=1,
            node_config=gcp.container.ClusterNodeConfigArgs(
                machine_type=SYSTEM_MACHINE_TYPE,
                service_account=self.node_account.email,
                oauth_scopes=OAUTH_SCOPES,
                boot_disk_kms_key=kms_key,
                disk_size_gb=SYSTEM_DISK_GB,
                image_type=IMAGE_TYPE,
                shielded_instance_config=gcp.container.ClusterNodeConfigShieldedInstanceConfigArgs(
                    enable_secure_boot=True, enable_integrity_monitoring=True
                ),
                workload_metadata_config=gcp.container.ClusterNodeConfigWorkloadMetadataConfigArgs(mode="GKE_METADATA"),
                resource_labels=ctx.tags,
            ),
            resource_labels=ctx.tags,
            deletion_protection=ctx.protect,
            opts=ctx.opts(
                self,
                region=region,
                data=True,
                depends_on=[self.secrets_key_grant, *self.node_roles],
                ignore_changes=["nodeConfig", "initialNodeCount"],
            ),
        )

        self.system_pool = GcpGpuPool(
            f"{name}-system",
            ctx,
            region=region,
            cluster=self.cluster,
            pool_name="system",
            min_nodes=SYSTEM_NODES[0],
            max_nodes=SYSTEM_NODES[1],
            zones=None,
            node_config=_node_config(
                ctx,
                machine_type=SYSTEM_MACHINE_TYPE,
                service_account=self.node_account.email,
                kms_key=kms_key,
                disk_size_gb=SYSTEM_DISK_GB,
                disk_type=DEFAULT_DISK_TYPE,
                labels={"landing-zone/pool": "system"},
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.pools = {}
        self.shapes: dict[str, accelerators.Shape] = {}
        for pool in pools:
            shape = accelerators.resolve(pool)
            self.shapes[pool.name] = shape
            guest = gcp.container.NodePoolNodeConfigGuestAcceleratorArgs(
                type=str(shape.accelerator_type),
                count=shape.gpus,
                gpu_driver_installation_config=(
                    gcp.container.NodePoolNodeConfigGuestAcceleratorGpuDriverInstallationConfigArgs(
                        gpu_driver_version=pool.gpu_driver_version
                    )
                ),
            )
            self.pools[pool.name] = GcpGpuPool(
                f"{name}-{pool.name}",
                ctx,
                region=region,
                cluster=self.cluster,
                pool_name=pool.name,
                min_nodes=pool.min_nodes,
                max_nodes=pool.max_nodes,
                zones=pool.zones,
                node_config=_node_config(
                    ctx,
                    machine_type=shape.machine_type,
                    service_account=self.node_account.email,
                    kms_key=kms_key,
                    disk_size_gb=pool.disk_size_gb,
                    disk_type=shape.boot_disk_type or DEFAULT_DISK_TYPE,
                    labels=gpu_labels(pool),
                    spot=pool.spot,
                    accelerators_=[guest],
                    taints=[
                        gcp.container.NodePoolNodeConfigTaintArgs(
                            key=GPU_TAINT_KEY, value=GPU_TAINT_VALUE, effect="NO_SCHEDULE"
                        )
                    ],
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )

        self.outputs: dict[str, Any] = {
            "cluster_name": self.cluster_name,
            "cluster_id": self.cluster.id,
            "endpoint": self.cluster.endpoint,
            "master_cidr": self.master_cidr,
            "private_endpoint": True,
            "pools": {
                p.name: {
                    "machine_type": self.shapes[p.name].machine_type,
                    "gpus_per_node": self.shapes[p.name].gpus,
                    "accelerator_type": self.shapes[p.name].accelerator_type,
                    "spot": p.spot,
                    "gpu_driver_version": p.gpu_driver_version,
                    "min_nodes": p.min_nodes,
                    "max_nodes": p.max_nodes,
                    "zones": list(p.zones or []),
                }
                for p in pools
            },
        }
        # The agents export to the region's gateway (telemetry stage), as the project's sender account.
        ctx.shared.setdefault("gcp-gpu-clusters", []).append(self.cluster)
        if ctx.spec.telemetry.enabled:
            service = gateway_service_name(ctx, region)
            spec, cluster_name, agent_image = ctx.spec, self.cluster_name, self.agent_image

            def manifest(number: Any) -> str:
                url = gateway_url(service, str(number), region)
                return otel.agent_manifest(
                    spec,
                    "gcp",
                    region,
                    cluster_name,
                    upstream=otel.Upstream(url=url, audience=url),
                    gcp_service_account=sender_email(ctx),
                    image=agent_image,
                )

            self.outputs["otel_agent_manifest"] = project_info.number.apply(manifest)
        self.register_outputs({"cluster_name": self.cluster_name, "cluster_id": self.cluster.id})


def build(
    ctx: CloudContext, foundation: GcpFoundationOutputs, regions: dict[str, list[GpuPool]], opts: pulumi.ResourceOptions
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for region, pools in regions.items():
        cluster = GcpGpuCluster(
            f"{ctx.org}-{ctx.env}-gcp-gpu-{region}", ctx, region, pools, foundation=foundation, opts=opts
        )
        out[region] = cluster.outputs
    return out
