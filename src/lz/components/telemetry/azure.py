"""`lz:telemetry:AzureOtelGateway`: an OpenTelemetry Collector gateway per Azure region on Container Apps.

Per Azure region of the spec, in a telemetry resource group:

* a user-assigned identity for the gateway. It holds one role, "Key Vault Crypto Service Encryption
  User" on the region's vault, so the Container Apps environment can encrypt its disks with the
  region's key; the collector itself needs no Azure role (its secrets are Container Apps secrets);
* a Container Apps managed environment (workload profiles, Consumption) injected into the hub's
  `apps` subnet, internal only (no public IP, public network access disabled), peer traffic
  encrypted, its disks encrypted with the region's Key Vault key through that identity;
* the container app running the collector: ingress internal to the VNet on gRPC (HTTP/2, TLS at the
  environment's edge, plain HTTP refused), `telemetry.gateway_replicas` replicas minimum, exporter
  headers as Container Apps secrets injected as `OTLP_HEADER_*`, the rendered configuration in the
  environment variable `OTELCOL_CONFIG` (no credential in it; the policy pack reads it there);
* when `telemetry.native` includes azure: a Log Analytics workspace and a workspace-based
  Application Insights component the `azuremonitor` exporter writes to (its connection string is a
  Container Apps secret too). Local authentication stays on there because the exporter authenticates
  with the connection string; the workspace rests under Microsoft-managed keys (a customer key needs a
  dedicated Log Analytics cluster).

With `registries.mirror`, the image is the region's container registry copy
(`lz.components.registry.azure`), pulled with the gateway's identity (AcrPull).
What it does not do: private DNS for the environment's internal domain (consumers resolve it through
the zone Azure documents for internal environments), or Key Vault references for secrets (the vault
admits no public network traffic, and Container Apps is not a trusted service for it).
"""

from __future__ import annotations

import hashlib
from typing import Any

import pulumi
import pulumi_azure_native as azure_native

from lz.contracts.foundation import AzureFoundationOutputs, AzureRegionOutputs
from lz.core import naming, otel

from ..base import CloudContext
from ..keys.azure import CRYPTO_SERVICE_ENCRYPTION_USER, role_assignment_name, role_definition_id
from ..registry import azure as registry_azure
from ..registry import image_for, mirror

WORKLOAD_PROFILE = "Consumption"
MAX_REPLICAS = 10
CPU = 1.0
MEMORY = "2Gi"
LOG_RETENTION_DAYS = 90


def _secret_name(header: str) -> str:
    """Container Apps secret names: lower-case letters, digits and '-'."""
    return naming.slug("otlp-header", header, max_len=63)


class AzureOtelGateway(pulumi.ComponentResource):
    """`lz:telemetry:AzureOtelGateway`: the collector gateway of one Azure region."""

    environment: azure_native.app.ManagedEnvironment
    app: azure_native.app.ContainerApp

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        region: str,
        *,
        network: AzureRegionOutputs,
        header_values: dict[str, pulumi.Output[str]],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:telemetry:AzureOtelGateway", name, None, opts)
        spec = ctx.spec
        code = ctx.region_code(region)
        subscription = ctx.cloud_spec.subscription_id
        native = otel.wants_native(spec, "azure")

        def child(**kwargs: Any) -> pulumi.ResourceOptions:
            return ctx.opts(self, region=region, **kwargs)

        self.resource_group = azure_native.resources.ResourceGroup(
            f"{name}-rg",
            resource_group_name=naming.slug("rg", ctx.org, ctx.env, code, "telemetry", max_len=90),
            location=region,
            tags=ctx.tags,
            opts=child(),
        )
        rg = self.resource_group.name

        identity_name = naming.slug("id", ctx.org, ctx.env, code, "otel-gateway", max_len=128)
        self.identity = azure_native.managedidentity.UserAssignedIdentity(
            f"{name}-identity",
            resource_name_=identity_name,
            resource_group_name=rg,
            location=region,
            tags=ctx.tags,
            opts=child(),
        )
        self.key_access = azure_native.authorization.RoleAssignment(
            f"{name}-crypto-user",
            role_assignment_name=role_assignment_name(
                subscription, region, identity_name, CRYPTO_SERVICE_ENCRYPTION_USER
            ),
            scope=network["key_vault_id"],
            role_definition_id=role_definition_id(subscription, CRYPTO_SERVICE_ENCRYPTION_USER),
            principal_id=self.identity.principal_id,
            principal_type="ServicePrincipal",
            description=f"The OpenTelemetry gateway environment of {region} encrypts its disks with the vault key",
            opts=child(),
        )

        secrets = [azure_native.app.SecretArgs(name=_secret_name(h), value=v) for h, v in header_values.items()]
        env_vars = [
            azure_native.app.EnvironmentVarArgs(name=spec.telemetry.env_var(h), secret_ref=_secret_name(h))
            for h in header_values
        ]

        self.workspace: azure_native.operationalinsights.Workspace | None = None
        self.insights: azure_native.applicationinsights.Component | None = None
        if native:
            self.workspace = azure_native.operationalinsights.Workspace(
                f"{name}-workspace",
                workspace_name=naming.slug("log", ctx.org, ctx.env, code, "otel", max_len=63),
                resource_group_name=rg,
                location=region,
                sku=azure_native.operationalinsights.WorkspaceSkuArgs(name="PerGB2018"),
                retention_in_days=LOG_RETENTION_DAYS,
                public_network_access_for_query="Disabled",
                tags=ctx.tags,
                opts=child(data=True),
            )
            self.insights = azure_native.applicationinsights.Component(
                f"{name}-insights",
                resource_name_=naming.slug("appi", ctx.org, ctx.env, code, "otel", max_len=255),
                resource_group_name=rg,
                location=region,
                kind="other",
                application_type="other",
                ingestion_mode="LogAnalytics",
                workspace_resource_id=self.workspace.id,
                public_network_access_for_query="Disabled",
                tags=ctx.tags,
                opts=child(data=True),
            )
            secrets.append(
                azure_native.app.SecretArgs(
                    name="appinsights-connection-string", value=pulumi.Output.secret(self.insights.connection_string)
                )
            )
            env_vars.append(
                azure_native.app.EnvironmentVarArgs(
                    name=otel.AZURE_CONNECTION_STRING_ENV, secret_ref="appinsights-connection-string"
                )
            )

        self.environment = azure_native.app.ManagedEnvironment(
            f"{name}-environment",
            environment_name=naming.slug("cae", ctx.org, ctx.env, code, "otel", max_len=60),
            resource_group_name=rg,
            location=region,
            vnet_configuration=azure_native.app.VnetConfigurationArgs(
                infrastructure_subnet_id=network["subnet_ids"]["apps"], internal=True
            ),
            workload_profiles=[
                azure_native.app.WorkloadProfileArgs(name=WORKLOAD_PROFILE, workload_profile_type=WORKLOAD_PROFILE)
            ],
            public_network_access="Disabled",
            peer_traffic_configuration=azure_native.app.ManagedEnvironmentPeerTrafficConfigurationArgs(
                encryption=azure_native.app.ManagedEnvironmentEncryptionArgs(enabled=True)
            ),
            identity=azure_native.app.ManagedServiceIdentityArgs(
                type="UserAssigned", user_assigned_identities=[self.identity.id]
            ),
            disk_encryption_configuration=azure_native.app.DiskEncryptionConfigurationArgs(
                key_vault_configuration=azure_native.app.DiskEncryptionConfigurationKeyVaultConfigurationArgs(
                    key_url=network["key_uri"],
                    auth=azure_native.app.DiskEncryptionConfigurationAuthArgs(identity=self.identity.id),
                )
            ),
            tags=ctx.tags,
            opts=child(depends_on=[self.key_access]),
        )

        # With `registries.mirror`, the image comes from the region's registry, pulled with the gateway's identity.
        image, image_deps = image_for(ctx, region, spec.telemetry.image)
        image_deps += registry_azure.acr_pull(ctx, self, name, region, self.identity.principal_id, identity_name)
        cache = mirror(ctx, region)
        pull_from = (
            [azure_native.app.RegistryCredentialsArgs(server=cache.host, identity=self.identity.id)]
            if cache is not None and image != spec.telemetry.image
            else None
        )
        config = otel.collector_config(spec, "azure", region, native_settings={} if native else None)
        self.config = config
        self.config_sha256 = hashlib.sha256(config.encode()).hexdigest()
        self.app = azure_native.app.ContainerApp(
            f"{name}-app",
            container_app_name=naming.slug(ctx.org, ctx.env, code, "otel-gw", max_len=32),
            resource_group_name=rg,
            location=region,
            managed_environment_id=self.environment.id,
            workload_profile_name=WORKLOAD_PROFILE,
            identity=azure_native.app.ManagedServiceIdentityArgs(
                type="UserAssigned", user_assigned_identities=[self.identity.id]
            ),
            configuration=azure_native.app.ConfigurationArgs(
                active_revisions_mode="Single",
                ingress=azure_native.app.IngressArgs(
                    external=False, target_port=otel.GRPC_PORT, transport="http2", allow_insecure=False
                ),
                secrets=secrets or None,
                registries=pull_from,
            ),
            template=azure_native.app.TemplateArgs(
                containers=[
                    azure_native.app.ContainerArgs(
                        name="otel-collector",
                        image=image,
                        args=otel.gateway_args(),
                        env=[azure_native.app.EnvironmentVarArgs(name=otel.CONFIG_ENV, value=config), *env_vars],
                        resources=azure_native.app.ContainerResourcesArgs(cpu=CPU, memory=MEMORY),
                        probes=[
                            azure_native.app.ContainerAppProbeArgs(
                                type="Startup",
                                tcp_socket=azure_native.app.ContainerAppProbeTcpSocketArgs(port=otel.GRPC_PORT),
                            )
                        ],
                    )
                ],
                scale=azure_native.app.ScaleArgs(
                    min_replicas=spec.telemetry.gateway_replicas, max_replicas=MAX_REPLICAS
                ),
            ),
            tags=ctx.tags,
            opts=child(depends_on=image_deps),
        )
        self.register_outputs({"environment": self.environment.id, "app": self.app.name})


def build(
    ctx: CloudContext,
    foundation: AzureFoundationOutputs,
    header_values: dict[str, pulumi.Output[str]],
    opts: pulumi.ResourceOptions,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for region in ctx.regions:
        gateway = AzureOtelGateway(
            f"{ctx.org}-{ctx.env}-azure-otel-{region}",
            ctx,
            region,
            network=foundation["regions"][region],
            header_values=header_values,
            opts=opts,
        )
        out[region] = {
            "app": gateway.app.name,
            "fqdn": gateway.app.latest_revision_fqdn,
            "environment_id": gateway.environment.id,
            "config_sha256": gateway.config_sha256,
            "native": otel.wants_native(ctx.spec, "azure"),
            # Scoped into the Azure Monitor Private Link Scope (lz.components.paths.monitor).
            "workspace_id": gateway.workspace.id if gateway.workspace is not None else None,
            "insights_id": gateway.insights.id if gateway.insights is not None else None,
        }
    return out
