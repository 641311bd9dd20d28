"""Explicit providers of a wave stack, in the foundation's account, project and subscription.

A wave builds only where its targets are: one AWS provider per region it uses (pinned to the
foundation's account with `allowed_account_ids`), one GCP provider for the foundation's project, one
Azure provider for its subscription. The account, project and subscription come from the
foundation's stack outputs, so a wave cannot land anywhere the foundation is not. Default providers
are disabled in every stack file, so a resource without one of these fails instead of landing in
whatever the ambient credentials point at.
"""

from __future__ import annotations

import pulumi

from lz.spec.wave import FoundationView, Place, Wave

from .context import lookup


def cutover_region(wave: Wave, foundation: FoundationView) -> str | None:
    """Where the cutover's alarms (and Azure's Traffic Manager resource group) live."""
    if wave.cutover is None:
        return None
    dns = wave.cutover.dns
    return dns.region or foundation.clouds[dns.cloud][0]


def used_regions(wave: Wave, foundation: FoundationView) -> dict[str, list[str]]:
    """cloud -> the regions the wave builds in, in the order they first appear in the spec."""
    out: dict[str, list[str]] = {}
    targets: list[Place] = [d.target for d in wave.datasets] + [d.target for d in wave.databases]
    for target in targets:
        regions = out.setdefault(target.cloud, [])
        if target.region not in regions:
            regions.append(target.region)
    region = cutover_region(wave, foundation)
    if wave.cutover is not None and region is not None:
        regions = out.setdefault(wave.cutover.dns.cloud, [])
        if region not in regions:
            regions.append(region)
    return {cloud: out[cloud] for cloud in ("aws", "gcp", "azure") if cloud in out}


def build_providers(
    wave: Wave,
    foundation: FoundationView,
    outputs: pulumi.Output,
    parent: pulumi.Resource,
) -> dict[str, dict[str, pulumi.ProviderResource]]:
    stack = wave.foundation
    opts = pulumi.ResourceOptions(parent=parent)

    def value(*path: str) -> pulumi.Output[str]:
        return outputs.apply(lambda data: str(lookup(data, path, stack=stack)))

    out: dict[str, dict[str, pulumi.ProviderResource]] = {}
    for cloud, regions in used_regions(wave, foundation).items():
        if cloud == "aws":
            import pulumi_aws as aws

            account = value("aws", "account_id")
            out["aws"] = {
                region: aws.Provider(f"aws-{region}", region=region, allowed_account_ids=[account], opts=opts)
                for region in regions
            }
        elif cloud == "gcp":
            import pulumi_gcp as gcp

            out["gcp"] = {"": gcp.Provider("gcp", project=value("gcp", "project"), region=regions[0], opts=opts)}
        else:
            import pulumi_azure_native as azure_native

            out["azure"] = {
                "": azure_native.Provider(
                    "azure", subscription_id=value("azure", "subscription_id"), location=regions[0], opts=opts
                )
            }
    return out
