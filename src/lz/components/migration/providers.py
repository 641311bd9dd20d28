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

from lz.spec.wave import FoundationView, Wave

from .context import lookup


def cutover_region(wave: Wave, foundation: FoundationView) -> str | None:
    """Where the DNS cloud's regional parts of the cutover live (health checks, Traffic Manager's group)."""
    if wave.cutover is None:
        return None
    return wave.cutover.dns_region(foundation)


def alarm_place(wave: Wave, foundation: FoundationView) -> tuple[str, str] | None:
    """(cloud, region) of the rollback alarms: where the target runs (`cutover.target`)."""
    if wave.cutover is None:
        return None
    return wave.cutover.alarm_place(foundation)


def used_regions(wave: Wave, foundation: FoundationView) -> dict[str, list[str]]:
    """cloud -> the regions the wave builds in, in the order they first appear in the spec."""
    out: dict[str, list[str]] = {}
    places: list[tuple[str, str]] = [(d.target.cloud, d.target.region) for d in wave.datasets]
    places += [(d.target.cloud, d.target.region) for d in wave.databases]
    region = cutover_region(wave, foundation)
    if wave.cutover is not None and region is not None:
        places.append((wave.cutover.dns.cloud, region))
    alarms = alarm_place(wave, foundation)
    if alarms is not None:
        places.append(alarms)
    for cloud, place_region in places:
        regions = out.setdefault(cloud, [])
        if place_region not in regions:
            regions.append(place_region)
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
