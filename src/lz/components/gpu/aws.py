"""`lz:gpu:AwsGpuCluster` and `lz:gpu:AwsGpuPool`: a private EKS cluster per region and its GPU node groups.

Per AWS region that hosts `gpu_pools`, one EKS cluster in the region's private subnets:

* the API endpoint is private only (`endpointPublicAccess: false`), reachable on 443 from the
  landing zone's supernets through an extra security group; authentication mode API with no
  implicit admin for whoever created the cluster (access entries come from identity);
* Kubernetes secrets are envelope-encrypted with the region's KMS key; all five control-plane log
  types go to a log group created beforehand so it is encrypted with that key and kept a year;
* two IAM roles, with AWS managed policies only: the cluster role (AmazonEKSClusterPolicy) and the
  node role (worker node, CNI and ECR pull-only policies);
* a small system node group (untainted, on-demand) for CoreDNS and other cluster add-ons, which do
  not tolerate the GPU taint.

Per pool, a managed node group on the catalog's machine type with the NVIDIA AL2023 AMI, SPOT or
ON_DEMAND capacity, scaling min..max (desired starts at min and then belongs to the autoscaler), the
taint `nvidia.com/gpu=present:NoSchedule` and labels naming the accelerator, in the pool's zones'
private subnets (no public IPs: those subnets never map one). Its launch template requires IMDSv2
with a hop limit of 1 (pods cannot borrow the node's credentials) and encrypts the root volume with
the region's key; Auto Scaling launches those volumes through its service-linked role, which gets a
KMS grant for exactly that.

What it does not do: VPC interface endpoints (nodes in subnets without a NAT need ec2, ecr.api,
ecr.dkr and sts endpoints from the network), IRSA/pod identity, the cluster autoscaler or Karpenter,
or access entries.
"""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from lz.contracts.foundation import AwsFoundationOutputs, AwsRegionOutputs
from lz.core import accelerators, otel
from lz.spec.gpu import GpuPool

from ..base import CloudContext
from ..keys.aws import partition_of
from ..registry import aws as registry_aws
from ..registry import image_for
from . import GPU_TAINT_KEY, GPU_TAINT_VALUE, admin_cidrs, gpu_labels
from .access import eks_access

CONTROL_PLANE_LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
LOG_RETENTION_DAYS = 365
GPU_AMI_TYPE = "AL2023_x86_64_NVIDIA"
SYSTEM_AMI_TYPE = "AL2023_x86_64_STANDARD"
SYSTEM_INSTANCE_TYPE = "m6i.large"
SYSTEM_NODES = (2, 4)  # min (and desired), max
SYSTEM_DISK_GB = 50
ROOT_DEVICE = "/dev/xvda"  # AL2023 EKS AMIs boot from xvda
IMDS_HOP_LIMIT = 1
CLUSTER_POLICIES = ("AmazonEKSClusterPolicy",)
NODE_POLICIES = ("AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryPullOnly")
# What EC2 Auto Scaling needs on a CMK to launch instances whose volumes it encrypts.
EBS_GRANT_OPERATIONS = [
    "Encrypt",
    "Decrypt",
    "ReEncryptFrom",
    "ReEncryptTo",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
    "DescribeKey",
    "CreateGrant",
]


def _assume(service: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
        }
    )


class AwsGpuPool(pulumi.ComponentResource):
    """`lz:gpu:AwsGpuPool`: a launch template and a managed node group for one pool (or the system pool)."""

    launch_template: aws.ec2.LaunchTemplate
    node_group: aws.eks.NodeGroup

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        *,
        region: str,
        cluster: aws.eks.Cluster,
        node_role: aws.iam.Role,
        subnet_ids: list[pulumi.Input[str]],
        kms_key_arn: pulumi.Input[str],
        physical: str,
        instance_type: str,
        ami_type: str,
        capacity_type: str,
        min_nodes: int,
        max_nodes: int,
        desired_nodes: int,
        disk_size_gb: int,
        labels: dict[str, str],
        taints: list[aws.eks.NodeGroupTaintArgs],
        depends_on: list[pulumi.Resource],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:gpu:AwsGpuPool", name, None, opts)
        tags = ctx.tags_with(Name=physical)
        self.launch_template = aws.ec2.LaunchTemplate(
            f"{name}-lt",
            name=physical,
            description=f"EKS node group {physical}: IMDSv2 only, root volume encrypted with the region's key",
            update_default_version=True,
            block_device_mappings=[
                aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
                    device_name=ROOT_DEVICE,
                    ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
                        volume_size=disk_size_gb,
                        volume_type="gp3",
                        encrypted="true",
                        kms_key_id=kms_key_arn,
                        delete_on_termination="true",
                    ),
                )
            ],
            metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(
                http_endpoint="enabled",
                http_tokens="required",
                http_put_response_hop_limit=IMDS_HOP_LIMIT,
                instance_metadata_tags="disabled",
            ),
            monitoring=aws.ec2.LaunchTemplateMonitoringArgs(enabled=True),
            # Instances and volumes carry the landing zone's tags too (EKS does not copy node group tags).
            tag_specifications=[
                aws.ec2.LaunchTemplateTagSpecificationArgs(resource_type=kind, tags=tags)
                for kind in ("instance", "volume", "network-interface")
            ],
            tags=tags,
            opts=ctx.opts(self, region=region),
        )
        self.node_group = aws.eks.NodeGroup(
            f"{name}-nodes",
            cluster_name=cluster.name,
            node_group_name=physical,
            node_role_arn=node_role.arn,
            subnet_ids=subnet_ids,
            ami_type=ami_type,
            capacity_type=capacity_type,
            instance_types=[instance_type],
            scaling_config=aws.eks.NodeGroupScalingConfigArgs(
                desired_size=desired_nodes, min_size=min_nodes, max_size=max_nodes
            ),
            update_config=aws.eks.NodeGroupUpdateConfigArgs(max_unavailable=1),
            node_repair_config=aws.eks.NodeGroupNodeRepairConfigArgs(enabled=True),
            launch_template=aws.eks.NodeGroupLaunchTemplateArgs(
                id=self.launch_template.id,
                version=self.launch_template.latest_version.apply(lambda v: None if v is None else str(v)),
            ),
            labels=labels,
            taints=taints,
            tags=tags,
            # The autoscaler owns the current size once the group exists; Pulumi owns the bounds.
            opts=ctx.opts(self, region=region, depends_on=depends_on, ignore_changes=["scalingConfig.desiredSize"]),
        )
        self.register_outputs(
            {"node_group_name": self.node_group.node_group_name, "launch_template_id": self.launch_template.id}
        )


class AwsGpuCluster(pulumi.ComponentResource):
    """`lz:gpu:AwsGpuCluster`: a private EKS cluster in one region, its system node group and GPU pools."""

    cluster: aws.eks.Cluster
    pools: dict[str, AwsGpuPool]

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        region: str,
        pools: list[GpuPool],
        *,
        network: AwsRegionOutputs,
        autoscaling_role: pulumi.Resource | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:gpu:AwsGpuCluster", name, None, opts)
        code = ctx.region_code(region)
        partition = partition_of(region)
        account = ctx.cloud_spec.account_id
        key_arn = network["kms_key_arn"]
        self.cluster_name = ctx.physical(code, "gpu", max_len=100)

        def role(purpose: str, service: str, policies: tuple[str, ...]) -> tuple[aws.iam.Role, list[pulumi.Resource]]:
            r = aws.iam.Role(
                f"{name}-{purpose}-role",
                name=ctx.physical("eks", code, purpose, max_len=64),
                description=f"EKS {purpose} role of {self.cluster_name}",
                assume_role_policy=_assume(service),
                max_session_duration=3600,
                force_detach_policies=True,
                tags=ctx.tags_with(Name=ctx.physical("eks", code, purpose)),
                opts=ctx.opts(self, region=region),
            )
            attachments: list[pulumi.Resource] = [
                aws.iam.RolePolicyAttachment(
                    f"{name}-{purpose}-{policy}",
                    role=r.name,
                    policy_arn=f"arn:{partition}:iam::aws:policy/{policy}",
                    opts=ctx.opts(self, region=region),
                )
                for policy in policies
            ]
            return r, attachments

        self.cluster_role, cluster_attachments = role("cluster", "eks.amazonaws.com", CLUSTER_POLICIES)
        self.node_role, node_attachments = role("node", "ec2.amazonaws.com", NODE_POLICIES)
        # With `registries.mirror`, nodes pull the agent image through the region's pull-through cache,
        # whose first pull also imports the image and creates its repository.
        self.agent_image, _ = image_for(ctx, region, ctx.spec.telemetry.image)
        cache_statements = registry_aws.pull_statements(ctx, region, token=False)
        if ctx.spec.telemetry.enabled and self.agent_image != ctx.spec.telemetry.image and cache_statements:
            node_attachments.append(
                aws.iam.RolePolicy(
                    f"{name}-node-pull-through-cache",
                    name="ecr-pull-through-cache",
                    role=self.node_role.name,
                    policy=pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": cache_statements}),
                    opts=ctx.opts(self, region=region),
                )
            )

        # EKS writes to exactly this name; creating it first is the only way to choose its key and retention.
        self.log_group = aws.cloudwatch.LogGroup(
            f"{name}-control-plane-logs",
            name=f"/aws/eks/{self.cluster_name}/cluster",
            retention_in_days=LOG_RETENTION_DAYS,
            kms_key_id=key_arn,
            tags=ctx.tags_with(Name=ctx.physical("eks", code, "logs")),
            opts=ctx.opts(self, region=region, data=True),
        )
        self.api_security_group = aws.ec2.SecurityGroup(
            f"{name}-api-sg",
            name=ctx.physical("eks", code, "api", max_len=255),
            description=f"HTTPS to the private API endpoint of {self.cluster_name} from the landing zone",
            vpc_id=network["vpc_id"],
            ingress=[
                aws.ec2.SecurityGroupIngressArgs(
                    protocol="tcp", from_port=443, to_port=443, cidr_blocks=[c], description=f"Kubernetes API from {c}"
                )
                for c in admin_cidrs(ctx)
            ],
            egress=[],
            revoke_rules_on_delete=True,
            tags=ctx.tags_with(Name=ctx.physical("eks", code, "api")),
            opts=ctx.opts(self, region=region),
        )
        self.cluster = aws.eks.Cluster(
            f"{name}-eks",
            name=self.cluster_name,
            role_arn=self.cluster_role.arn,
            vpc_config=aws.eks.ClusterVpcConfigArgs(
                subnet_ids=network["private_subnet_ids"],
                endpoint_private_access=True,
                endpoint_public_access=False,
                security_group_ids=[self.api_security_group.id],
            ),
            encryption_config=aws.eks.ClusterEncryptionConfigArgs(
                resources=["secrets"], provider=aws.eks.ClusterEncryptionConfigProviderArgs(key_arn=key_arn)
            ),
            enabled_cluster_log_types=CONTROL_PLANE_LOGS,
            access_config=aws.eks.ClusterAccessConfigArgs(
                authentication_mode="API", bootstrap_cluster_creator_admin_permissions=False
            ),
            # Standard support only: extended support bills six times the control-plane rate.
            upgrade_policy=aws.eks.ClusterUpgradePolicyArgs(support_type="STANDARD"),
            deletion_protection=ctx.protect,
            tags=ctx.tags_with(Name=self.cluster_name),
            opts=ctx.opts(self, region=region, data=True, depends_on=[self.log_group, *cluster_attachments]),
        )
        # The grant lets EC2 Auto Scaling's service-linked role launch volumes encrypted with this key.
        # KMS refuses a grant to a role that does not exist yet, and in a fresh account it exists only
        # once created: the stack creates it (`autoscaling_role`) and the grant waits for it.
        slr = (
            f"arn:{partition}:iam::{account}:role/aws-service-role/autoscaling.amazonaws.com/"
            "AWSServiceRoleForAutoScaling"
        )
        self.ebs_grant = aws.kms.Grant(
            f"{name}-ebs-grant",
            name=ctx.physical("eks", code, "ebs"),
            key_id=key_arn,
            grantee_principal=slr,
            operations=EBS_GRANT_OPERATIONS,
            retire_on_delete=True,
            opts=ctx.opts(self, region=region, depends_on=[autoscaling_role] if autoscaling_role else None),
        )

        zones: list[str] = list(network["availability_zones"])
        subnets: list[pulumi.Input[str]] = list(network["private_subnet_ids"])
        node_deps: list[pulumi.Resource] = [*node_attachments, self.ebs_grant]
        common = {
            "region": region,
            "cluster": self.cluster,
            "node_role": self.node_role,
            "kms_key_arn": key_arn,
            "depends_on": node_deps,
        }
        self.system_pool = AwsGpuPool(
            f"{name}-system",
            ctx,
            physical=ctx.physical(code, "gpu", "system", max_len=63),
            subnet_ids=subnets,
            instance_type=SYSTEM_INSTANCE_TYPE,
            ami_type=SYSTEM_AMI_TYPE,
            capacity_type="ON_DEMAND",
            min_nodes=SYSTEM_NODES[0],
            max_nodes=SYSTEM_NODES[1],
            desired_nodes=SYSTEM_NODES[0],
            disk_size_gb=SYSTEM_DISK_GB,
            labels={"landing-zone/pool": "system"},
            taints=[],
            opts=pulumi.ResourceOptions(parent=self),
            **common,
        )
        self.pools = {}
        self.shapes: dict[str, accelerators.Shape] = {}
        for pool in pools:
            shape = accelerators.resolve(pool)
            self.shapes[pool.name] = shape
            pool_subnets = (
                [s for z, s in zip(zones, subnets, strict=True) if z in pool.zones] if pool.zones else subnets
            )
            self.pools[pool.name] = AwsGpuPool(
                f"{name}-{pool.name}",
                ctx,
                physical=ctx.physical(code, "gpu", pool.name, max_len=63),
                subnet_ids=pool_subnets,
                instance_type=shape.machine_type,
                ami_type=GPU_AMI_TYPE,
                capacity_type="SPOT" if pool.spot else "ON_DEMAND",
                min_nodes=pool.min_nodes,
                max_nodes=pool.max_nodes,
                desired_nodes=pool.min_nodes,
                disk_size_gb=pool.disk_size_gb,
                labels=gpu_labels(pool),
                taints=[aws.eks.NodeGroupTaintArgs(key=GPU_TAINT_KEY, value=GPU_TAINT_VALUE, effect="NO_SCHEDULE")],
                opts=pulumi.ResourceOptions(parent=self),
                **common,
            )

        # Access entries for the role catalog: without them nobody could use the cluster (the creator
        # gets no bootstrap admin).
        self.access = eks_access(name, ctx, self, region=region, cluster=self.cluster, partition=partition)

        self.outputs: dict[str, Any] = {
            "cluster_name": self.cluster_name,
            "cluster_arn": self.cluster.arn,
            "endpoint": self.cluster.endpoint,
            "endpoint_public_access": False,
            "pools": {
                p.name: {
                    "machine_type": self.shapes[p.name].machine_type,
                    "gpus_per_node": self.shapes[p.name].gpus,
                    "capacity": "SPOT" if p.spot else "ON_DEMAND",
                    "min_nodes": p.min_nodes,
                    "max_nodes": p.max_nodes,
                    "node_group_name": self.pools[p.name].node_group.node_group_name,
                }
                for p in pools
            },
        }
        if ctx.spec.telemetry.enabled:
            self.outputs["otel_agent_manifest"] = otel.agent_manifest(
                ctx.spec, "aws", region, self.cluster_name, image=self.agent_image
            )
        self.register_outputs({"cluster_name": self.cluster_name, "cluster_arn": self.cluster.arn})


def autoscaling_service_linked_role(ctx: CloudContext, opts: pulumi.ResourceOptions) -> pulumi.Resource:
    """`AWSServiceRoleForAutoScaling`, which the KMS grants for encrypted node volumes name
    (https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html). One per
    account (IAM is global), so made once; kept on destroy, since every Auto Scaling group of the
    account uses it. An account that already has it imports it (docs/prerequisites.md)."""
    return aws.iam.ServiceLinkedRole(
        f"{ctx.org}-{ctx.env}-aws-autoscaling-service-role",
        aws_service_name="autoscaling.amazonaws.com",
        description="EC2 Auto Scaling (EKS node groups) launches volumes encrypted with the landing zone's keys",
        tags=ctx.tags,
        opts=ctx.opts(opts.parent, region=ctx.home_region, retain_on_delete=True),
    )


def build(
    ctx: CloudContext, foundation: AwsFoundationOutputs, regions: dict[str, list[GpuPool]], opts: pulumi.ResourceOptions
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    role = autoscaling_service_linked_role(ctx, opts) if regions else None
    for region, pools in regions.items():
        cluster = AwsGpuCluster(
            f"{ctx.org}-{ctx.env}-aws-gpu-{region}",
            ctx,
            region,
            pools,
            network=foundation["regions"][region],
            autoscaling_role=role,
            opts=opts,
        )
        out[region] = cluster.outputs
    return out
