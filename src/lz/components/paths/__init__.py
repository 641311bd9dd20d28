"""The network-paths stage of a foundation (wired by `lz.components.landing_zone`).

What lets a private landing zone work once it is up: per cloud the private service access its
workloads need whatever the egress mode (AWS interface endpoints, GCP private zones for the
registries, Azure Private Link for vaults and log stores), and the egress path `egress.mode` asks
for (`nat`: NAT; `firewall`: the cloud's firewall with the FQDN allow list). The Azure subnets'
attachments to that path are made by the Azure network itself (`paths.azure.egress_attachments`).

Each cloud's regions join its home region (`lz.components.paths.regions`); GCP gets one private
services access range for every wave. Where two clouds or more are interconnected,
`lz.components.paths.dns` makes each cloud's private zone resolvable from the others. The Azure
Monitor Private Link Scope comes after the telemetry stage (`lz.components.paths.monitor`).

`build` returns `foundation.paths`: per cloud and region the egress mode, the allowed names and the
private endpoints (which `lz.review.paths_report` prints), and per cloud its private domain and inbound
resolver addresses, and with `registries.mirror` the registry host per cloud and region
(`lz.components.registry`). What it does not do: judge whether the paths suffice
(policies/network_reachability does, on any graph).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import pulumi

from lz.core import ai_services, paths_plan

from ..base import CloudContext

if TYPE_CHECKING:
    from lz.contracts.foundation import Foundations


def build(
    contexts: dict[str, CloudContext], foundations: dict[str, dict[str, Any]], opts: pulumi.ResourceOptions
) -> dict[str, Any]:
    spec = next(iter(contexts.values())).spec
    egress = spec.egress
    prefix = f"{spec.organization}-{spec.environment}-paths"
    out: dict[str, Any] = {"egress": {"mode": egress.mode, "allow": spec.egress_allow}, "clouds": {}}
    if "aws" in contexts:
        from . import aws  # noqa: PLC0415 - the provider SDKs load only when needed

        ctx = contexts["aws"]
        regions: dict[str, Any] = {}
        for region, network in foundations["aws"]["regions"].items():
            aws.AwsRegionEndpoints(f"{prefix}-aws-endpoints-{region}", ctx, region, network, opts)
            if egress.mode != "none":
                extra = [str(n) for n in paths_plan.gcp_extra_advertised(list(contexts), spec.interconnect.topology)]
                audit = foundations["aws"].get("audit") or {}
                aws.AwsRegionEgress(
                    f"{prefix}-aws-egress-{region}", ctx, region, network, opts, returns=extra, audit=audit
                )
            regions[region] = {
                "egress": egress.mode,
                "private_endpoints": [
                    *(f"com.amazonaws.{region}.{s}" for s in ("s3", "dynamodb")),
                    *(f"com.amazonaws.{region}.{s}" for s in aws.interface_services(spec)),
                ],
            }
        out["clouds"]["aws"] = regions
    if "gcp" in contexts:
        from . import gcp  # noqa: PLC0415

        ctx = contexts["gcp"]
        foundation = foundations["gcp"]
        gcp.GcpPrivateRegistries(f"{prefix}-gcp-registries", ctx, foundation["network_id"], opts)
        psa = gcp.GcpPrivateServices(f"{prefix}-gcp-private-services", ctx, foundation["network_id"], opts)
        out["gcp_private_services"] = {
            "range_name": psa.range.name,
            "range": str(psa.range_cidr),
            "connection": psa.connection.id,
        }
        if egress.mode != "none":
            gcp.GcpEgress(f"{prefix}-gcp-egress", ctx, foundation, opts)
        zones = ["googleapis.com", *gcp.REGISTRY_DOMAINS]
        out["clouds"]["gcp"] = {
            region: {
                "egress": egress.mode,
                "private_endpoints": [f"private zone {z} -> private.googleapis.com" for z in zones]
                + (
                    [f"Vertex AI {ai_services.vertex_host(region)} (zone googleapis.com)"]
                    if "vertex-ai" in spec.ai_services
                    else []
                ),
            }
            for region in foundation["regions"]
        }
    if "azure" in contexts:
        from . import azure  # noqa: PLC0415

        ctx = contexts["azure"]
        foundation = foundations["azure"]
        link = azure.AzurePrivateLink(f"{prefix}-azure-privatelink", ctx, foundation, opts)
        openai = None
        if "azure-openai" in spec.ai_services:
            from .openai import AzureOpenAi  # noqa: PLC0415

            openai = AzureOpenAi(f"{prefix}-azure-openai", ctx, foundation, opts)
        regions = {}
        for region, network in foundation["regions"].items():
            if egress.mode == "firewall":
                azure.AzureRegionFirewall(f"{prefix}-azure-firewall-{region}", ctx, region, network, opts)
            regions[region] = {
                "egress": egress.mode,
                "private_endpoints": sorted(
                    f"{key.split('/')[1]} ({azure.PRIVATE_ZONES['vault' if key.endswith('vault') else 'blob']})"
                    for key in link.endpoints
                    if key.startswith(f"{region}/")
                )
                + ([f"openai ({ai_services.AZURE_OPENAI_ZONE})"] if openai is not None else []),
            }
        out["clouds"]["azure"] = regions
    # Images through registries the zone controls (`registries.mirror`): made before the gpu and
    # telemetry stages, which rewrite their image names to the region's cache.
    from .. import registry  # noqa: PLC0415

    # The foundation outputs built by the stages before, in their typed form (lz.contracts).
    mirrored = registry.build(contexts, cast("Foundations", foundations), opts)
    if mirrored:
        out["registries"] = mirrored
        for cloud, hosts in mirrored.items():
            for region, host in hosts.items():
                out["clouds"][cloud][region]["private_endpoints"].append(f"container registry {host}")
    # Regions join their home region; the interconnect stage (run before this one) says where the
    # Azure VPN gateways are, which peered regions use for transit.
    from .regions import ConnectedRegions  # noqa: PLC0415

    stages = getattr(opts.parent, "outputs", None) or {}
    joined = ConnectedRegions(f"{prefix}-regions", contexts, foundations, stages.get("interconnect"), opts)
    out["joined_regions"] = joined.joined
    if paths_plan.dns_enabled(list(contexts), spec.interconnect.topology):
        from . import dns  # noqa: PLC0415

        out["dns"] = dns.build(contexts, foundations, prefix, opts)
    return out
