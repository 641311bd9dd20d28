"""`lz:telemetry:GcpOtelGateway`: an OpenTelemetry Collector gateway per GCP region on Cloud Run.

`GcpTelemetryServices` (`lz:telemetry:GcpTelemetryServices`) does what the project needs once: it
enables the Cloud Run and Secret Manager APIs (left enabled on destroy, like the foundation's) and
makes sure Secret Manager's service agent exists. Per region, `GcpOtelGateway` then creates:

* a Cloud Run v2 service reachable only from inside the VPC (ingress internal, IAM invoker check on),
  its revisions encrypted with the region's CMEK, egress through the region's workload subnet
  (Direct VPC egress, all traffic), the collector on gRPC (h2c) 4317 with CPU always allocated so
  batches leave between requests, `telemetry.gateway_replicas` instances minimum;
* its own service account, which may read exactly the header secrets and, when `telemetry.native`
  includes gcp, write traces, metrics and logs (the three predefined writer roles, nothing else);
* one Secret Manager secret per exporter header, replicated only in the region and encrypted with the
  region's CMEK; Cloud Run injects it as `OTLP_HEADER_*`;
* the CMEK grants the Cloud Run and Secret Manager service agents need on the region's key;
* `roles/run.invoker` on the service for the project's OpenTelemetry sender service account (one per
  project, made by `GcpTelemetryServices`): the only caller the IAM check lets in. The GPU clusters'
  node agents act as it through Workload Identity (their Kubernetes service account
  `otel-agent/otel-agent` holds `roles/iam.workloadIdentityUser` on it) and export to the region's
  gateway with a Google ID token whose audience is the service URL (`lz.core.otel.Upstream`); other
  workloads that send to a gateway bind their own Kubernetes service accounts to it the same way.
  The nodes' own service account is not the caller: with Workload Identity (GKE_METADATA) pods never
  see the node's identity.

With `registries.mirror`, the image is the region's Artifact Registry remote repository copy, made by
`lz.components.registry.gcp` and readable by the Cloud Run service agent and the gateway's account.

The collector's configuration (`lz.core.otel.collector_config`) is the environment variable
`OTELCOL_CONFIG` of the container: it holds no credential and the policy pack can read it there.

What it does not do: a private DNS zone for `run.app` (clients in the VPC reach internal services
through Private Google Access once one resolves there), grant `roles/run.invoker` to anyone but the
sender account, or mirror
the collector image (the default lives on Docker Hub; point `telemetry.image` at an Artifact Registry
copy in the region, which a CMEK-encrypted service with no internet egress can always pull).
"""

from __future__ import annotations

import hashlib
from typing import Any

import pulumi
import pulumi_gcp as gcp

from lz.contracts.foundation import GcpFoundationOutputs
from lz.core import otel

from ..base import CloudContext
from ..keys.gcp import ENCRYPTER_DECRYPTER
from ..registry import gcp as registry_gcp
from ..registry import image_for

APIS = ("run.googleapis.com", "secretmanager.googleapis.com")
NATIVE_ROLES = ("roles/cloudtrace.agent", "roles/monitoring.metricWriter", "roles/logging.logWriter")
SECRET_ACCESSOR = "roles/secretmanager.secretAccessor"
INVOKER = "roles/run.invoker"
WORKLOAD_IDENTITY_USER = "roles/iam.workloadIdentityUser"
MAX_INSTANCES = 10
CPU = "1"
MEMORY = "1Gi"


def gateway_service_name(ctx: CloudContext, region: str) -> str:
    """The Cloud Run service name of a region's gateway (the GPU clusters' agents derive its URL)."""
    return ctx.physical(ctx.region_code(region), "otel-gateway", max_len=49)


def gateway_url(service_name: str, project_number: str, region: str) -> str:
    """The deterministic URL Cloud Run gives a service: https://SERVICE-PROJECT_NUMBER.REGION.run.app
    ("Cloud Run URLs", cloud.google.com/run/docs/triggering/https-request, read 2026-12-05)."""
    return f"https://{service_name}-{project_number}.{region}.run.app"


def sender_email(ctx: CloudContext) -> str:
    """The project's OpenTelemetry sender service account (it may invoke every gateway)."""
    return f"{ctx.physical('otel-sender', max_len=30)}@{ctx.cloud_spec.project}.iam.gserviceaccount.com"


class GcpTelemetryServices(pulumi.ComponentResource):
    """`lz:telemetry:GcpTelemetryServices`: the APIs and service agents the gateways rely on."""

    def __init__(self, name: str, ctx: CloudContext, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("lz:telemetry:GcpTelemetryServices", name, None, opts)
        project = ctx.cloud_spec.project
        self.apis = {
            api: gcp.projects.Service(
                f"{name}-api-{api.split('.')[0]}",
                project=project,
                service=api,
                disable_on_destroy=False,
                disable_dependent_services=False,
                opts=ctx.opts(self),
            )
            for api in APIS
        }
        # Secret Manager's agent is created on first use only; CMEK needs it to exist before the grant.
        self.secret_manager_identity = gcp.projects.ServiceIdentity(
            f"{name}-secretmanager-agent",
            project=project,
            service="secretmanager.googleapis.com",
            opts=ctx.opts(self, depends_on=[self.apis["secretmanager.googleapis.com"]]),
        )
        info = gcp.organizations.get_project_output(
            project_id=project, opts=pulumi.InvokeOutputOptions(parent=self, provider=ctx.provider())
        )
        # The documented forms of the two agents' addresses (see the foundation for Compute Engine's).
        self.run_agent = info.number.apply(
            lambda n: f"serviceAccount:service-{n}@serverless-robot-prod.iam.gserviceaccount.com"
        )
        self.secret_manager_agent = info.number.apply(
            lambda n: f"serviceAccount:service-{n}@gcp-sa-secretmanager.iam.gserviceaccount.com"
        )
        self.sender = gcp.serviceaccount.Account(
            f"{name}-sender",
            account_id=ctx.physical("otel-sender", max_len=30),
            project=project,
            display_name="OpenTelemetry senders",
            description="Sends OTLP to the collector gateways (run.invoker on each); GPU cluster agents act as it",
            opts=ctx.opts(self),
        )
        self.sender_member = self.sender.email.apply(lambda email: f"serviceAccount:{email}")
        # The agents' Kubernetes service account acts as the sender. The workload pool exists once a
        # cluster with Workload Identity does, so the grant waits for the GPU clusters.
        clusters = list(ctx.shared.get("gcp-gpu-clusters", []))
        self.agent_binding = (
            gcp.serviceaccount.IAMMember(
                f"{name}-sender-agents",
                service_account_id=self.sender.name,
                role=WORKLOAD_IDENTITY_USER,
                member=f"serviceAccount:{project}.svc.id.goog[{otel.AGENT_NAMESPACE}/{otel.AGENT_NAME}]",
                opts=ctx.opts(self, depends_on=clusters),
            )
            if clusters
            else None
        )
        self.register_outputs({"apis": sorted(APIS), "sender": self.sender.email})


class GcpOtelGateway(pulumi.ComponentResource):
    """`lz:telemetry:GcpOtelGateway`: the collector gateway of one GCP region."""

    service: gcp.cloudrunv2.Service

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        region: str,
        *,
        foundation: GcpFoundationOutputs,
        services: GcpTelemetryServices,
        header_values: dict[str, pulumi.Output[str]],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:telemetry:GcpOtelGateway", name, None, opts)
        spec = ctx.spec
        project = ctx.cloud_spec.project
        code = ctx.region_code(region)
        net = foundation["regions"][region]
        kms_key = net["kms_key_id"]
        native = otel.wants_native(spec, "gcp")

        def child(**kwargs: Any) -> pulumi.ResourceOptions:
            return ctx.opts(self, region=region, **kwargs)

        self.key_grants = {
            agent: gcp.kms.CryptoKeyIAMMember(
                f"{name}-{agent}-key",
                crypto_key_id=kms_key,
                role=ENCRYPTER_DECRYPTER,
                member=member,
                opts=child(depends_on=deps),
            )
            for agent, member, deps in (
                ("run-agent", services.run_agent, [services.apis["run.googleapis.com"]]),
                ("secretmanager-agent", services.secret_manager_agent, [services.secret_manager_identity]),
            )
        }

        self.account = gcp.serviceaccount.Account(
            f"{name}-sa",
            account_id=ctx.physical(code, "otel-gw", max_len=30),
            project=project,
            display_name=f"OpenTelemetry gateway {region}",
            description="Runs the collector gateway: reads its header secrets"
            + ("; writes traces, metrics and logs" if native else ""),
            opts=child(),
        )
        member = self.account.email.apply(lambda email: f"serviceAccount:{email}")
        grants: list[pulumi.Resource] = [
            gcp.projects.IAMMember(
                f"{name}-{role.split('/')[-1].replace('.', '-')}",
                project=project,
                role=role,
                member=member,
                opts=child(),
            )
            for role in (NATIVE_ROLES if native else ())
        ]

        self.secrets: dict[str, gcp.secretmanager.Secret] = {}
        versions: list[pulumi.Resource] = []
        for header, value in header_values.items():
            slug = header.lower()
            secret = gcp.secretmanager.Secret(
                f"{name}-header-{slug}",
                secret_id=ctx.physical("otel", code, slug, max_len=255),
                project=project,
                replication=gcp.secretmanager.SecretReplicationArgs(
                    user_managed=gcp.secretmanager.SecretReplicationUserManagedArgs(
                        replicas=[
                            gcp.secretmanager.SecretReplicationUserManagedReplicaArgs(
                                location=region,
                                customer_managed_encryption=(
                                    gcp.secretmanager.SecretReplicationUserManagedReplicaCustomerManagedEncryptionArgs(
                                        kms_key_name=kms_key
                                    )
                                ),
                            )
                        ]
                    )
                ),
                labels=ctx.tags_with(purpose="otel-header"),
                opts=child(data=True, depends_on=[self.key_grants["secretmanager-agent"]]),
            )
            versions.append(
                gcp.secretmanager.SecretVersion(
                    f"{name}-header-{slug}-value", secret=secret.id, secret_data=value, opts=child()
                )
            )
            grants.append(
                gcp.secretmanager.SecretIamMember(
                    f"{name}-header-{slug}-accessor",
                    project=project,
                    secret_id=secret.id,
                    role=SECRET_ACCESSOR,
                    member=member,
                    opts=child(),
                )
            )
            self.secrets[header] = secret

        config = otel.collector_config(
            spec,
            "gcp",
            region,
            native_settings={"project": project, "log_name": f"{ctx.org}-{ctx.env}-otel"} if native else None,
        )
        self.config = config
        self.config_sha256 = hashlib.sha256(config.encode()).hexdigest()

        # With `registries.mirror`, the image comes from the region's Artifact Registry remote repository.
        image, image_deps = image_for(ctx, region, spec.telemetry.image)
        image_deps += registry_gcp.reader_grants(
            ctx,
            self,
            name,
            region,
            {"run-agent": services.run_agent, "gateway": member},
            after=[services.apis["run.googleapis.com"], self.account],
        )
        envs = [gcp.cloudrunv2.ServiceTemplateContainerEnvArgs(name=otel.CONFIG_ENV, value=config)]
        envs += [
            gcp.cloudrunv2.ServiceTemplateContainerEnvArgs(
                name=spec.telemetry.env_var(header),
                value_source=gcp.cloudrunv2.ServiceTemplateContainerEnvValueSourceArgs(
                    secret_key_ref=gcp.cloudrunv2.ServiceTemplateContainerEnvValueSourceSecretKeyRefArgs(
                        secret=secret.secret_id, version="latest"
                    )
                ),
            )
            for header, secret in self.secrets.items()
        ]
        self.service = gcp.cloudrunv2.Service(
            f"{name}-service",
            name=gateway_service_name(ctx, region),
            project=project,
            location=region,
            description=f"OpenTelemetry Collector gateway of {ctx.org}-{ctx.env} in {region}",
            ingress="INGRESS_TRAFFIC_INTERNAL_ONLY",
            invoker_iam_disabled=False,
            launch_stage="GA",
            deletion_protection=ctx.protect,
            labels=ctx.tags,
            template=gcp.cloudrunv2.ServiceTemplateArgs(
                service_account=self.account.email,
                encryption_key=kms_key,
                execution_environment="EXECUTION_ENVIRONMENT_GEN2",
                scaling=gcp.cloudrunv2.ServiceTemplateScalingArgs(
                    min_instance_count=spec.telemetry.gateway_replicas, max_instance_count=MAX_INSTANCES
                ),
                vpc_access=gcp.cloudrunv2.ServiceTemplateVpcAccessArgs(
                    egress="ALL_TRAFFIC",
                    network_interfaces=[
                        gcp.cloudrunv2.ServiceTemplateVpcAccessNetworkInterfaceArgs(
                            network=foundation["network_id"], subnetwork=net["subnet_id"]
                        )
                    ],
                ),
                labels=ctx.tags,
                containers=[
                    gcp.cloudrunv2.ServiceTemplateContainerArgs(
                        name="otel-collector",
                        image=image,
                        args=otel.gateway_args(),
                        envs=envs,
                        # "h2c": end-to-end HTTP/2, which OTLP over gRPC needs.
                        ports=gcp.cloudrunv2.ServiceTemplateContainerPortsArgs(
                            name="h2c", container_port=otel.GRPC_PORT
                        ),
                        resources=gcp.cloudrunv2.ServiceTemplateContainerResourcesArgs(
                            limits={"cpu": CPU, "memory": MEMORY}, cpu_idle=False
                        ),
                        startup_probe=gcp.cloudrunv2.ServiceTemplateContainerStartupProbeArgs(
                            tcp_socket=gcp.cloudrunv2.ServiceTemplateContainerStartupProbeTcpSocketArgs(
                                port=otel.GRPC_PORT
                            )
                        ),
                    )
                ],
            ),
            opts=child(depends_on=[*self.key_grants.values(), *grants, *versions, *image_deps]),
        )
        # The invoker check is on: the sender account is who may call (the agents act as it).
        self.invoker = gcp.cloudrunv2.ServiceIamMember(
            f"{name}-invoker",
            project=project,
            location=region,
            name=self.service.name,
            role=INVOKER,
            member=services.sender_member,
            opts=child(),
        )
        self.register_outputs({"service": self.service.name, "uri": self.service.uri})


def build(
    ctx: CloudContext,
    foundation: GcpFoundationOutputs,
    header_values: dict[str, pulumi.Output[str]],
    opts: pulumi.ResourceOptions,
) -> dict[str, Any]:
    services = GcpTelemetryServices(f"{ctx.org}-{ctx.env}-gcp-otel-services", ctx, opts)
    out: dict[str, Any] = {}
    for region in ctx.regions:
        gateway = GcpOtelGateway(
            f"{ctx.org}-{ctx.env}-gcp-otel-{region}",
            ctx,
            region,
            foundation=foundation,
            services=services,
            header_values=header_values,
            opts=opts,
        )
        out[region] = {
            "service": gateway.service.name,
            "uri": gateway.service.uri,
            "service_account": gateway.account.email,
            "invoker": services.sender.email,
            "config_sha256": gateway.config_sha256,
            "native": otel.wants_native(ctx.spec, "gcp"),
        }
    return out
