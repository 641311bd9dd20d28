"""`lz:registry:AzureRegistries`: the landing zone's images through an Azure Container Registry per region.

Per Azure region, in the region's hub resource group:

* a Premium container registry (private endpoints need Premium): public network access disabled,
  no trusted-service bypass, admin user off, anonymous pull off, export disabled (images leave
  only through pulls by identities granted AcrPull), a dedicated data endpoint;
* one cache rule per image repository the zone runs (`docker.io/otel/...` ->
  `docker-hub/otel/...`); images are pulled as `<registry>.azurecr.io/<cache path>/<repository>:<tag>`.
  ACR pulls the upstream itself, anonymously ("Artifact cache in Azure Container Registry",
  learn.microsoft.com/azure/container-registry/artifact-cache-overview, read 2026-12);
* a private endpoint (group `registry`: the login server and the regional data endpoint) in the
  data subnet, registered in `privatelink.azurecr.io`, a zone linked to every hub VNet (made
  once, in the home region's group, like `lz.components.paths.azure.AzurePrivateLink`'s zones).

`acr_pull` grants a puller (the gateway's identity, an AKS kubelet identity) "AcrPull" on the
region's registry.

Encryption at rest stays with Microsoft-managed keys: a customer-managed key must be chosen when the
registry is created, and the landing zone's vaults admit no public network traffic, which ACR reaches
only through the trusted-service path with its *system-assigned* identity, an identity that exists
only after the registry does ("Encrypt registry using a customer-managed key: advanced scenarios",
learn.microsoft.com/azure/container-registry/tutorial-customer-managed-key, read 2026-12). The
cache holds public images only.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_azure_native as azure_native

from lz.contracts.foundation import AzureFoundationOutputs
from lz.core import naming, registries
from lz.core import regions as catalog
from lz.spec.registries import mirrored_images

from ..base import CloudContext
from ..keys.azure import role_assignment_name, role_definition_id
from ..paths.private_link import linked_zone, private_endpoint
from . import Mirror, mirror

ZONE = "privatelink.azurecr.io"
GROUP = "registry"
ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d"  # built-in role "AcrPull"


def images(ctx: CloudContext) -> list[str]:
    return sorted({i for i in mirrored_images(ctx.spec) if registries.upstream_of(i)})


class AzureRegistries(pulumi.ComponentResource):
    """`lz:registry:AzureRegistries`: a private Premium registry with cache rules per region, one private zone."""

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        *,
        foundation: AzureFoundationOutputs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:registry:AzureRegistries", name, None, opts)
        regions = foundation["regions"]
        home_rg = regions[ctx.home_region]["resource_group"]
        self.zone, links = linked_zone(
            f"{name}-zone",
            ctx,
            self,
            zone_name=ZONE,
            link_key="acr",
            regions=regions,
            resource_group=home_rg,
        )
        self.registries: dict[str, azure_native.containerregistry.Registry] = {}
        self.names: dict[str, str] = {}
        self.ready: dict[str, list[pulumi.Resource]] = {}
        for region, net in regions.items():
            code = ctx.region_code(region)
            rg = net["resource_group"]
            registry_name = registries.azure_registry_name(ctx.org, ctx.env, code)
            child = ctx.opts(self, region=region)
            registry = azure_native.containerregistry.Registry(
                f"{name}-{region}",
                registry_name=registry_name,
                resource_group_name=rg,
                location=region,
                sku=azure_native.containerregistry.SkuArgs(name="Premium"),
                admin_user_enabled=False,
                anonymous_pull_enabled=False,
                public_network_access="Disabled",
                network_rule_bypass_options="None",
                data_endpoint_enabled=True,
                # Zone-redundant where the region has availability zones (no extra charge on Premium).
                zone_redundancy="Enabled" if (catalog.region_info("azure", region) or {}).get("zones") else "Disabled",
                policies=azure_native.containerregistry.PoliciesArgs(
                    export_policy=azure_native.containerregistry.ExportPolicyArgs(status="disabled"),
                ),
                tags=ctx.tags,
                opts=ctx.opts(self, region=region, data=True),
            )
            rules: list[pulumi.Resource] = []
            for image in images(ctx):
                rule_name, source, target = registries.azure_cache_rule(image)
                rules.append(
                    azure_native.containerregistry.CacheRule(
                        f"{name}-{region}-{rule_name}",
                        cache_rule_name=rule_name,
                        registry_name=registry.name,
                        resource_group_name=rg,
                        source_repository=source,
                        target_repository=target,
                        opts=child,
                    )
                )
            _, dns = private_endpoint(
                f"{name}-{region}-endpoint",
                ctx,
                self,
                region=region,
                endpoint_name=naming.slug("pe", ctx.org, ctx.env, code, "acr", max_len=80),
                net=net,
                target=registry.id,
                group=GROUP,
                zones=[(ZONE, self.zone)],
                dns_depends_on=links,
            )
            self.registries[region] = registry
            self.names[region] = registry_name
            self.ready[region] = [*rules, dns]
        self.register_outputs({"registries": dict(self.names)})


def acr_pull(
    ctx: CloudContext,
    parent: pulumi.Resource,
    name: str,
    region: str,
    principal_id: pulumi.Input[str],
    principal_key: str,
) -> list[pulumi.Resource]:
    """AcrPull on the region's registry for `principal_id` (`principal_key` names it stably: the assignment's GUID)."""
    m = mirror(ctx, region)
    if m is None:
        return []
    subscription = ctx.cloud_spec.subscription_id
    return [
        azure_native.authorization.RoleAssignment(
            f"{name}-acr-pull",
            role_assignment_name=role_assignment_name(subscription, region, principal_key, "acr", ACR_PULL),
            scope=m.extra["registry_id"],
            role_definition_id=role_definition_id(subscription, ACR_PULL),
            principal_id=principal_id,
            principal_type="ServicePrincipal",
            description=f"Pulls the landing zone's images from the cache registry of {region}",
            opts=ctx.opts(parent, region=region),
        )
    ]


def build(ctx: CloudContext, foundation: AzureFoundationOutputs, opts: pulumi.ResourceOptions) -> dict[str, Mirror]:
    if not images(ctx):
        return {}
    acr = AzureRegistries(f"{ctx.org}-{ctx.env}-azure-registry", ctx, foundation=foundation, opts=opts)
    out: dict[str, Mirror] = {}
    for region in ctx.regions:
        registry_name = acr.names[region]

        def rewrite(image: str, registry_name: str = registry_name) -> str:
            return registries.azure_image(image, registry_name) if registries.upstream_of(image) else image

        extra: dict[str, Any] = {"registry_id": acr.registries[region].id, "registry_name": registry_name}
        out[region] = Mirror(
            host=registries.azure_host(registry_name), rewrite=rewrite, resources=acr.ready[region], extra=extra
        )
    return out
