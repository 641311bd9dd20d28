"""What a foundation stack exports per cloud (`foundation.<cloud>`), and what later stages read.

The foundation's per-cloud wiring (`lz.components.foundation.<cloud>`) builds these dicts; the
interconnect, GPU and telemetry stages of the same stack read them in-process, and wave stacks read
them through the `foundation` stack output (`lz.components.migration.context`). Declaring them once
lets mypy check every key a reader names against what the foundation writes.

They are TypedDicts, not classes, because they *are* the exported JSON: building one yields the
plain dict Pulumi serialises, key for key and in this order, so a stack's outputs keep their shape.
A value is a `pulumi.Output` inside the foundation's program and a plain value once a wave resolves
it; this layer does not load Pulumi, so such values are typed `Out` (an alias of `Any`).
"""

from __future__ import annotations

from typing import Any, TypedDict

Out = Any  # pulumi.Output[T] while the foundation runs; T (str, int, list, dict) once exported


# -- AWS -----------------------------------------------------------------------------------------
class AwsRegionOutputs(TypedDict):
    vpc_id: Out
    vpc_cidr: str
    availability_zones: list[str]
    private_subnet_ids: list[Out]
    data_subnet_ids: list[Out]
    transit_subnet_ids: list[Out]
    route_table_ids: list[Out]
    transit_gateway_id: Out
    transit_gateway_asn: int
    transit_gateway_attachment_id: Out
    transit_gateway_route_table_id: Out  # the default route table (routes toward peered regions)
    kms_key_arn: Out
    kms_key_id: Out
    kms_alias: str


class AwsAccountTrail(TypedDict):
    bucket: Out
    trail_arn: Out


class AwsOrganizationTrail(TypedDict):
    organization_trail: bool  # the organization's trail records the account (`account_trail: false`)


class AwsFoundationOutputs(TypedDict):
    account_id: str
    home_region: str
    regions: dict[str, AwsRegionOutputs]
    audit: AwsAccountTrail | AwsOrganizationTrail


# -- GCP -----------------------------------------------------------------------------------------
class GcpRegionNetworkOutputs(TypedDict):
    """The region's network (`lz.components.network.gcp`)."""

    subnet_id: Out
    subnet_self_link: Out
    subnet_cidr: str
    pods_range: str
    pods_cidr: str
    services_range: str
    services_cidr: str
    proxy_only_cidr: str
    router_name: Out
    router_asn: int


class GcpRegionOutputs(GcpRegionNetworkOutputs):
    """The region's network, then its keys."""

    key_ring_id: Out
    kms_key_id: Out


class GcpAuditOutputs(TypedDict):
    log_bucket: Out
    sink: Out
    writer_identity: Out
    location: Out


class GcpFoundationOutputs(TypedDict):
    project: str
    home_region: str
    network_id: Out
    network_name: Out
    network_self_link: Out
    regions: dict[str, GcpRegionOutputs]
    audit: GcpAuditOutputs


# -- Azure ---------------------------------------------------------------------------------------
class AzureRegionOutputs(TypedDict):
    resource_group: Out
    vnet_id: Out
    vnet_cidr: str
    subnet_ids: dict[str, Out]  # subnet purpose (`workload`, `data`, `GatewaySubnet`, ...) -> id
    key_vault_id: Out
    key_vault_uri: Out
    key_id: Out
    key_name: str
    key_uri: Out  # versionless: consumers that follow rotation (storage, disks) want this form
    identity_id: Out
    log_storage_account_id: Out  # the region's flow-log storage account (firewall logs land there too)


class AzureAuditOutputs(TypedDict):
    storage_account_id: Out


class AzureFoundationOutputs(TypedDict):
    subscription_id: str
    regions: dict[str, AzureRegionOutputs]
    audit: AzureAuditOutputs


# -- every cloud ---------------------------------------------------------------------------------
class Foundations(TypedDict, total=False):
    """The enabled clouds' foundations, as the later stages of a foundation stack receive them."""

    aws: AwsFoundationOutputs
    gcp: GcpFoundationOutputs
    azure: AzureFoundationOutputs


RegionOutputs = AwsRegionOutputs | GcpRegionOutputs | AzureRegionOutputs
FoundationOutputs = AwsFoundationOutputs | GcpFoundationOutputs | AzureFoundationOutputs

# The keys of each cloud's per-region and cloud-wide values, for readers that must check a key at
# run time (a wave's `MigrationContext` reads an older foundation's outputs, which may lack one).
REGION_KEYS: dict[str, frozenset[str]] = {
    "aws": frozenset(AwsRegionOutputs.__annotations__),
    "gcp": frozenset(GcpRegionOutputs.__annotations__),
    "azure": frozenset(AzureRegionOutputs.__annotations__),
}
CLOUD_KEYS: dict[str, frozenset[str]] = {
    "aws": frozenset(AwsFoundationOutputs.__annotations__),
    "gcp": frozenset(GcpFoundationOutputs.__annotations__),
    "azure": frozenset(AzureFoundationOutputs.__annotations__),
}


def of_cloud(foundations: Foundations, cloud: str) -> FoundationOutputs:
    """`foundations[cloud]` for a cloud named at run time (a stage looping over the enabled clouds)."""
    by_cloud: dict[str, FoundationOutputs] = dict(foundations)  # type: ignore[arg-type]
    if cloud not in by_cloud:
        raise KeyError(f"no {cloud} foundation in this stack (have {', '.join(sorted(by_cloud)) or 'none'})")
    return by_cloud[cloud]
