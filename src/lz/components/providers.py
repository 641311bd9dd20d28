"""Explicit providers, one per AWS region and one per GCP project and Azure subscription.

Every resource names its provider (the stack also disables default providers), so an AWS
resource's region is always its provider's region and nothing lands in an account, project or
subscription by accident.
"""

from __future__ import annotations

import pulumi

from lz.spec import LandingZone


def build_providers(spec: LandingZone, parent: pulumi.Resource) -> dict[str, dict[str, pulumi.ProviderResource]]:
    out: dict[str, dict[str, pulumi.ProviderResource]] = {}
    opts = pulumi.ResourceOptions(parent=parent)
    if spec.clouds.aws is not None:
        import pulumi_aws as aws

        aws_spec = spec.clouds.aws
        out["aws"] = {
            region: aws.Provider(f"aws-{region}", region=region, allowed_account_ids=[aws_spec.account_id], opts=opts)
            for region in aws_spec.regions
        }
    if spec.clouds.gcp is not None:
        import pulumi_gcp as gcp

        gcp_spec = spec.clouds.gcp
        out["gcp"] = {"": gcp.Provider("gcp", project=gcp_spec.project, region=gcp_spec.regions[0], opts=opts)}
    if spec.clouds.azure is not None:
        import pulumi_azure_native as azure_native

        az = spec.clouds.azure
        out["azure"] = {
            "": azure_native.Provider(
                "azure", subscription_id=az.subscription_id, tenant_id=az.tenant_id, location=az.regions[0], opts=opts
            )
        }
    return out
