"""`lz:telemetry:AwsOtelGateway`: an OpenTelemetry Collector gateway per AWS region on ECS Fargate.

Per region of the spec: an ECS cluster and a Fargate service running the collector in the region's
private subnets without public IPs, reachable inside the landing zone at
`gateway.<region code>.<org>-<env>.otel.internal` (a Cloud Map private DNS namespace on the VPC) on
OTLP gRPC 4317 and HTTP 4318, behind a security group that admits only the landing zone's supernets.

The collector's configuration (`lz.core.otel.collector_config`) travels in the task definition as the
environment variable `OTELCOL_CONFIG` (`--config=env:OTELCOL_CONFIG`): it holds no credential, and
keeping it in the task definition lets the policy pack read where the collector exports. Exporter
headers come from one SSM SecureString parameter per header, encrypted with the region's KMS key,
that ECS injects as `OTLP_HEADER_*` variables. (Parameters rather than Secrets Manager secrets: the
value is a token the central backend issues, which no rotation Lambda here could renew.)

Two roles, each limited to what it does: the task *execution* role may write the gateway's log group
(encrypted with the region key, kept a year) and read exactly those parameters (and decrypt them
through SSM only); the task role exists only when `telemetry.native` includes aws and
may then put X-Ray segments and write the EMF metrics log group the gateway exports to (created here
beforehand, encrypted). X-Ray's own encryption is set to the region key in that case.

Container Insights is on, writing to its performance log group, which is created here first so it
too is encrypted with the region key and kept a year.

With `registries.mirror`, the image is the region's ECR pull-through cache copy
(`lz.components.registry.aws`) and the execution role may make its first pull. What it does not do:
interface endpoints (`lz.components.paths.aws`: ecr, logs, ssm, xray), a load balancer, or autoscaling
beyond `telemetry.gateway_replicas` tasks.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pulumi
import pulumi_aws as aws

from lz.contracts.foundation import AwsFoundationOutputs, AwsRegionOutputs
from lz.core import otel

from ..base import CloudContext
from ..keys.aws import partition_of
from ..registry import aws as registry_aws
from ..registry import image_for

LOG_RETENTION_DAYS = 365
TASK_CPU = "512"
TASK_MEMORY = "1024"
CONTAINER = "otel-collector"
PLATFORM_VERSION = "LATEST"
XRAY_ACTIONS = [
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "xray:GetSamplingStatisticSummaries",
]


def _policy(statements: list[dict[str, Any]]) -> pulumi.Output[str]:
    return pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": statements})


class AwsOtelGateway(pulumi.ComponentResource):
    """`lz:telemetry:AwsOtelGateway`: the collector gateway of one AWS region."""

    cluster: aws.ecs.Cluster
    task_definition: aws.ecs.TaskDefinition
    service: aws.ecs.Service

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        region: str,
        *,
        network: AwsRegionOutputs,
        header_values: dict[str, pulumi.Output[str]],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:telemetry:AwsOtelGateway", name, None, opts)
        spec = ctx.spec
        code = ctx.region_code(region)
        partition = partition_of(region)
        account = ctx.cloud_spec.account_id
        key_arn = network["kms_key_arn"]
        native = otel.wants_native(spec, "aws")
        base = ctx.physical(code, "otel-gateway")

        def child(**kwargs: Any) -> pulumi.ResourceOptions:
            return ctx.opts(self, region=region, **kwargs)

        self.log_group = aws.cloudwatch.LogGroup(
            f"{name}-logs",
            name=f"/lz/{ctx.org}-{ctx.env}/otel-gateway/{code}",
            retention_in_days=LOG_RETENTION_DAYS,
            kms_key_id=key_arn,
            tags=ctx.tags_with(Name=base),
            opts=child(data=True),
        )
        self.metrics_log_group: aws.cloudwatch.LogGroup | None = None
        if native:
            # awsemf would create this group itself, unencrypted and kept forever.
            self.metrics_log_group = aws.cloudwatch.LogGroup(
                f"{name}-emf",
                name=f"/lz/{ctx.org}-{ctx.env}/otel-metrics/{code}",
                retention_in_days=LOG_RETENTION_DAYS,
                kms_key_id=key_arn,
                tags=ctx.tags_with(Name=ctx.physical(code, "otel-metrics")),
                opts=child(data=True),
            )
            self.xray_encryption = aws.xray.EncryptionConfig(
                f"{name}-xray-encryption", type="KMS", key_id=key_arn, opts=child()
            )

        self.secrets: dict[str, aws.ssm.Parameter] = {}
        for header, value in header_values.items():
            slug = header.lower()
            self.secrets[header] = aws.ssm.Parameter(
                f"{name}-header-{slug}",
                name=f"/lz/{ctx.org}-{ctx.env}/otel/{code}/{slug}",
                description=f"OTLP exporter header {header} of the OpenTelemetry gateway in {region}",
                type="SecureString",
                tier="Standard",
                key_id=key_arn,
                value=value,
                tags=ctx.tags_with(Name=ctx.physical("otel", code, slug)),
                opts=child(data=True),
            )

        assume = json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                        "Condition": {
                            "StringEquals": {"aws:SourceAccount": account},
                            "ArnLike": {"aws:SourceArn": f"arn:{partition}:ecs:{region}:{account}:*"},
                        },
                    }
                ],
            }
        )
        self.execution_role = aws.iam.Role(
            f"{name}-execution-role",
            name=ctx.physical(code, "otel-exec", max_len=64),
            description=f"ECS starts the OpenTelemetry gateway of {region}: logs and header secrets only",
            assume_role_policy=assume,
            max_session_duration=3600,
            force_detach_policies=True,
            tags=ctx.tags_with(Name=ctx.physical(code, "otel-exec")),
            opts=child(),
        )
        execution_statements: list[dict[str, Any]] = [
            {
                "Sid": "WriteGatewayLogs",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": [self.log_group.arn.apply(lambda a: f"{a}:*")],
            }
        ]
        if self.secrets:
            execution_statements += [
                {
                    "Sid": "ReadHeaderParameters",
                    "Effect": "Allow",
                    "Action": ["ssm:GetParameters"],
                    "Resource": [s.arn for s in self.secrets.values()],
                },
                {
                    "Sid": "DecryptHeaderParameters",
                    "Effect": "Allow",
                    "Action": ["kms:Decrypt"],
                    "Resource": [key_arn],
                    "Condition": {"StringEquals": {"kms:ViaService": f"ssm.{region}.amazonaws.com"}},
                },
            ]
        # With `registries.mirror`, the image comes from the region's ECR pull-through cache.
        image, image_deps = image_for(ctx, region, spec.telemetry.image)
        if image != spec.telemetry.image:
            execution_statements += registry_aws.pull_statements(ctx, region)
        self.execution_policy = aws.iam.RolePolicy(
            f"{name}-execution-policy",
            name="otel-gateway-execution",
            role=self.execution_role.name,
            policy=_policy(execution_statements),
            opts=child(),
        )

        self.task_role: aws.iam.Role | None = None
        task_deps: list[pulumi.Resource] = [self.execution_policy]
        if native and self.metrics_log_group is not None:
            self.task_role = aws.iam.Role(
                f"{name}-task-role",
                name=ctx.physical(code, "otel-task", max_len=64),
                description=f"The OpenTelemetry gateway of {region} writes X-Ray traces and EMF metrics",
                assume_role_policy=assume,
                max_session_duration=3600,
                force_detach_policies=True,
                tags=ctx.tags_with(Name=ctx.physical(code, "otel-task")),
                opts=child(),
            )
            task_policy = aws.iam.RolePolicy(
                f"{name}-task-policy",
                name="otel-gateway-native",
                role=self.task_role.name,
                policy=_policy(
                    [
                        # X-Ray has no resource-level permissions for these actions.
                        {"Sid": "PutTraces", "Effect": "Allow", "Action": XRAY_ACTIONS, "Resource": "*"},
                        {
                            "Sid": "EncryptTraces",
                            "Effect": "Allow",
                            "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
                            "Resource": [key_arn],
                            "Condition": {"StringEquals": {"kms:ViaService": f"xray.{region}.amazonaws.com"}},
                        },
                        {
                            "Sid": "WriteEmfMetrics",
                            "Effect": "Allow",
                            "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                            "Resource": [self.metrics_log_group.arn.apply(lambda a: f"{a}:*")],
                        },
                    ]
                ),
                opts=child(),
            )
            task_deps.append(task_policy)

        config = otel.collector_config(
            spec,
            "aws",
            region,
            native_settings={
                "region": region,
                "namespace": f"LandingZone/{ctx.org}-{ctx.env}",
                "log_group_name": f"/lz/{ctx.org}-{ctx.env}/otel-metrics/{code}",
            }
            if native
            else None,
        )
        self.config = config
        self.config_sha256 = hashlib.sha256(config.encode()).hexdigest()

        self.security_group = aws.ec2.SecurityGroup(
            f"{name}-sg",
            name=base,
            description=f"OTLP to the OpenTelemetry gateway of {region}; HTTPS out to exporters",
            vpc_id=network["vpc_id"],
            ingress=[
                aws.ec2.SecurityGroupIngressArgs(
                    protocol="tcp",
                    from_port=port,
                    to_port=port,
                    cidr_blocks=[str(ctx.cloud_spec.cidr)],
                    description=f"OTLP {proto} from the landing zone",
                )
                for port, proto in ((otel.GRPC_PORT, "gRPC"), (otel.HTTP_PORT, "HTTP"))
            ],
            egress=[
                aws.ec2.SecurityGroupEgressArgs(
                    protocol="tcp",
                    from_port=443,
                    to_port=443,
                    cidr_blocks=["0.0.0.0/0"],
                    description="TLS to the central endpoint and AWS APIs",
                )
            ],
            revoke_rules_on_delete=True,
            tags=ctx.tags_with(Name=base),
            opts=child(),
        )
        namespace_name = f"{code}.{ctx.org}-{ctx.env}.otel.internal"
        self.namespace = aws.servicediscovery.PrivateDnsNamespace(
            f"{name}-namespace",
            name=namespace_name,
            vpc=network["vpc_id"],
            description=f"OpenTelemetry gateway of {ctx.org}-{ctx.env} in {region}",
            tags=ctx.tags_with(Name=namespace_name),
            opts=child(),
        )
        self.discovery = aws.servicediscovery.Service(
            f"{name}-discovery",
            name="gateway",
            namespace_id=self.namespace.id,
            dns_config=aws.servicediscovery.ServiceDnsConfigArgs(
                namespace_id=self.namespace.id,
                routing_policy="MULTIVALUE",
                dns_records=[aws.servicediscovery.ServiceDnsConfigDnsRecordArgs(ttl=10, type="A")],
            ),
            # ECS reports task health to Cloud Map itself (custom health checks).
            health_check_custom_config=aws.servicediscovery.ServiceHealthCheckCustomConfigArgs(),
            tags=ctx.tags_with(Name=f"gateway.{namespace_name}"),
            opts=child(),
        )

        # Container Insights writes here; created first, it is encrypted and expires like the others.
        self.insights_log_group = aws.cloudwatch.LogGroup(
            f"{name}-insights",
            name=f"/aws/ecs/containerinsights/{base}/performance",
            retention_in_days=LOG_RETENTION_DAYS,
            kms_key_id=key_arn,
            tags=ctx.tags_with(Name=ctx.physical(code, "otel-insights")),
            opts=child(data=True),
        )
        self.cluster = aws.ecs.Cluster(
            f"{name}-cluster",
            name=base,
            settings=[aws.ecs.ClusterSettingArgs(name="containerInsights", value="enabled")],
            tags=ctx.tags_with(Name=base),
            opts=child(depends_on=[self.insights_log_group]),
        )
        container = {
            "name": CONTAINER,
            "image": image,
            "essential": True,
            "command": otel.gateway_args(),
            "user": "10001",
            "readonlyRootFilesystem": True,
            "portMappings": [
                {"containerPort": p, "protocol": "tcp"} for p in (otel.GRPC_PORT, otel.HTTP_PORT, otel.HEALTH_PORT)
            ],
            "environment": [{"name": otel.CONFIG_ENV, "value": config}],
            "secrets": [{"name": spec.telemetry.env_var(h), "valueFrom": s.arn} for h, s in self.secrets.items()],
            "logConfiguration": {
                "logDriver": "awslogs",
                "options": {
                    "awslogs-group": self.log_group.name,
                    "awslogs-region": region,
                    "awslogs-stream-prefix": "otel",
                },
            },
        }
        self.task_definition = aws.ecs.TaskDefinition(
            f"{name}-task",
            family=base,
            cpu=TASK_CPU,
            memory=TASK_MEMORY,
            network_mode="awsvpc",
            requires_compatibilities=["FARGATE"],
            runtime_platform=aws.ecs.TaskDefinitionRuntimePlatformArgs(
                operating_system_family="LINUX", cpu_architecture="X86_64"
            ),
            execution_role_arn=self.execution_role.arn,
            task_role_arn=self.task_role.arn if self.task_role else None,
            container_definitions=pulumi.Output.json_dumps([container]),
            tags=ctx.tags_with(Name=base),
            opts=child(depends_on=[*task_deps, *image_deps]),
        )
        self.service = aws.ecs.Service(
            f"{name}-service",
            name=base,
            cluster=self.cluster.arn,
            task_definition=self.task_definition.arn,
            desired_count=spec.telemetry.gateway_replicas,
            launch_type="FARGATE",
            platform_version=PLATFORM_VERSION,
            network_configuration=aws.ecs.ServiceNetworkConfigurationArgs(
                subnets=network["private_subnet_ids"], security_groups=[self.security_group.id], assign_public_ip=False
            ),
            service_registries=aws.ecs.ServiceServiceRegistriesArgs(registry_arn=self.discovery.arn),
            deployment_circuit_breaker=aws.ecs.ServiceDeploymentCircuitBreakerArgs(enable=True, rollback=True),
            enable_execute_command=False,
            propagate_tags="SERVICE",
            wait_for_steady_state=False,
            tags=ctx.tags_with(Name=base),
            opts=child(),
        )
        self.endpoint = f"gateway.{namespace_name}:{otel.GRPC_PORT}"
        self.register_outputs({"endpoint": self.endpoint, "service": self.service.name})


def build(
    ctx: CloudContext,
    foundation: AwsFoundationOutputs,
    header_values: dict[str, pulumi.Output[str]],
    opts: pulumi.ResourceOptions,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for region in ctx.regions:
        gateway = AwsOtelGateway(
            f"{ctx.org}-{ctx.env}-aws-otel-{region}",
            ctx,
            region,
            network=foundation["regions"][region],
            header_values=header_values,
            opts=opts,
        )
        out[region] = {
            "endpoint": gateway.endpoint,
            "service": gateway.service.name,
            "cluster": gateway.cluster.name,
            "config_sha256": gateway.config_sha256,
            "native": otel.wants_native(ctx.spec, "aws"),
        }
    return out
