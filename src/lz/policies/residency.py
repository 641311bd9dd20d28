"""The `residency-` family: resources pinned to a place lie in the allowed jurisdictions.

A resource's places come from its own inputs where it has them, else from where the cloud puts it:
- AWS: its own `region` input (pulumi-aws v7 has one per regional resource), else its provider's
  `region`. Types whose SDK class takes no `region` (IAM, Route 53, CloudFront, Organizations, ...)
  are global services and not pinned. Replicas and peers in other regions count as places too.
- GCP: `location`, `region` or `zone`; else a location inside a parent id
  (`projects/p/locations/<loc>/keyRings/...`); else the API's documented default (a BigQuery
  dataset without `location` goes to `US`); else, for types that take a region or zone, the
  provider's. Types with none of these (networks, firewalls, IAM) are global and not pinned.
- Azure: `location` (display names normalised), a resource group without one takes its
  provider's; any other resource without one inherits its resource group's location, which the
  stack policy resolves through the ResourceGroup in the stack.

Jurisdiction is the hosting country's (`lz.core.regions`), never the region's name; a multi- or
dual-region is inside only when every place it covers is. `global` is in no jurisdiction: on a type
that holds data that is a violation, on others (DNS zones, Front Door, networks) it means "not pinned".
Without `allowedJurisdictions` configured the policies are not applicable.

What it deliberately does not do: follow replication that is configured elsewhere (S3 replication
rules, Azure geo-redundant storage pairs, backup copy actions), or read org policies.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from lz.core import regions
from lz.core.taggable import input_names, takes_input

from ._support import (
    Outcome,
    cannot_tell,
    cloud_of,
    config_list,
    get,
    graph_complete,
    is_set,
    items,
    module_of,
    provider_setting,
)

CONFIG_KEY = "allowedJurisdictions"


@dataclass(frozen=True)
class Placement:
    source: str  # what put the resource there, phrased for a message: "`region`", "its provider's region"
    location: str


# --- what is data-bearing (only matters for `global`) ----------------------------------------

_DATA_MODULES = {
    "gcp": {
        "storage",
        "bigquery",
        "sql",
        "kms",
        "logging",
        "secretmanager",
        "artifactregistry",
        "pubsub",
        "spanner",
        "bigtable",
        "firestore",
        "redis",
        "memorystore",
        "alloydb",
        "filestore",
        "dataproc",
        "vertex",
        "container",
        "compute",
        "healthcare",
        "datastream",
        "dataflow",
        "notebooks",
        "workbench",
    },
    "azure": {
        "storage",
        "keyvault",
        "sql",
        "cosmosdb",
        "documentdb",
        "dbforpostgresql",
        "dbformysql",
        "cache",
        "redis",
        "redisenterprise",
        "compute",
        "containerservice",
        "containerregistry",
        "operationalinsights",
        "machinelearningservices",
        "cognitiveservices",
        "search",
        "eventhub",
        "servicebus",
        "datafactory",
        "synapse",
        "databricks",
        "recoveryservices",
        "dataprotection",
        "kusto",
        "streamanalytics",
        "appconfiguration",
        "applicationinsights",
    },
}
# Not listed on purpose: Azure `monitor` (alerts and action groups must be "Global" and hold no data),
# GCP `networkconnectivity`, `certificatemanager`, `iam` (global by design).


def holds_data(resource_type: str) -> bool:
    cloud = cloud_of(resource_type)
    if cloud == "aws":
        return True
    return module_of(resource_type) in _DATA_MODULES.get(cloud or "", set())


# --- judging places --------------------------------------------------------------------------


def _describe(cloud: str, place: str) -> str:
    info = regions.region_info(cloud, place) or {}
    where = ", ".join(x for x in (info.get("city"), info.get("country")) if x)
    return f"{place} ({where} -> {info.get('jurisdiction') or 'no jurisdiction'})" if where else place


def _suggest(cloud: str, allowed: list[str]) -> str:
    options = [r for j in allowed for r in regions.regions_in(cloud, j)][:3]
    return f", e.g. {', '.join(options)}" if options else ""


def judge(cloud: str, resource_type: str, placements: list[Placement], allowed: list[str]) -> list[str]:
    """Problems for the placements that are not inside the allowed jurisdictions."""
    problems: list[str] = []
    allowed_text = ", ".join(allowed)
    for p in placements:
        loc = str(p.location).strip()
        if loc.lower() == "global":
            if holds_data(resource_type):
                problems.append(
                    f"{p.source} is 'global', which lies in no jurisdiction: pin this resource to "
                    f"a region in {allowed_text}{_suggest(cloud, allowed)}"
                )
            continue
        places = regions.places_of(cloud, loc)
        if not places:
            problems.append(
                f"{p.source} {loc!r} is not a {cloud} location in the region catalog, so its "
                f"jurisdiction cannot be established: use a region in {allowed_text}"
                f"{_suggest(cloud, allowed)}"
            )
            continue
        outside = [pl for pl in places if regions.jurisdiction_of(cloud, pl) not in allowed]
        if outside:
            span = "" if places == [loc] or len(places) == 1 else f" covers {len(places)} regions and"
            problems.append(
                f"{p.source} {loc!r}{span} lies outside {allowed_text}: "
                f"{'; '.join(_describe(cloud, pl) for pl in outside)}. Use a location in "
                f"{allowed_text}{_suggest(cloud, allowed)}"
            )
    return problems


def allowed_jurisdictions(args: Any) -> list[str]:
    allowed = [j.strip().lower() for j in (config_list(args, CONFIG_KEY) or [])]
    if not allowed:
        args.not_applicable(f"no `{CONFIG_KEY}` configured")
    return allowed


# --- where a resource is ---------------------------------------------------------------------


def _each(props: Any, list_path: str, field: str, label: str) -> list[Placement]:
    out = []
    for i, entry in enumerate(items(get(props, list_path))):
        value = get(entry, field) if field else entry
        if is_set(value):
            out.append(Placement(f"`{label.format(i=i)}`", str(value)))
    return out


def _nested_each(props: Any, list_path: str, inner: str, field: str, label: str) -> list[Placement]:
    out = []
    for i, entry in enumerate(items(get(props, list_path))):
        for j, sub in enumerate(items(get(entry, inner))):
            value = get(sub, field)
            if is_set(value):
                out.append(Placement(f"`{label.format(i=i, j=j)}`", str(value)))
    return out


# Places other than the resource's own: replicas, peers, extra zones.
_EXTRA_PLACES: dict[str, Callable[[Any], list[Placement]]] = {
    "aws:dynamodb/table:Table": lambda p: _each(p, "replicas", "regionName", "replicas[{i}].regionName"),
    "aws:secretsmanager/secret:Secret": lambda p: _each(p, "replicas", "region", "replicas[{i}].region"),
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection": lambda p: _each(p, "peerRegion", "", "peerRegion"),
    "aws:ec2transitgateway/peeringAttachment:PeeringAttachment": lambda p: _each(p, "peerRegion", "", "peerRegion"),
    "aws:ecr/replicationConfiguration:ReplicationConfiguration": lambda p: _nested_each(
        p,
        "replicationConfiguration.rules",
        "destinations",
        "region",
        "replicationConfiguration.rules[{i}].destinations[{j}].region",
    ),
    "gcp:storage/bucket:Bucket": lambda p: _each(
        p, "customPlacementConfig.dataLocations", "", "customPlacementConfig.dataLocations[{i}]"
    ),
    "gcp:container/cluster:Cluster": lambda p: _each(p, "nodeLocations", "", "nodeLocations[{i}]"),
    "gcp:container/nodePool:NodePool": lambda p: _each(p, "nodeLocations", "", "nodeLocations[{i}]"),
    "gcp:compute/regionDisk:RegionDisk": lambda p: _each(p, "replicaZones", "", "replicaZones[{i}]"),
    "gcp:pubsub/topic:Topic": lambda p: (
        _each(
            p,
            "messageStoragePolicy.allowedPersistenceRegions",
            "",
            "messageStoragePolicy.allowedPersistenceRegions[{i}]",
        )
        or [Placement("the message storage (no `messageStoragePolicy`, so any region)", "global")]
    ),
    "gcp:secretmanager/secret:Secret": lambda p: (
        [Placement("`replication.auto` (Google chooses the regions)", "global")]
        if get(p, "replication.auto") is not None
        else _each(p, "replication.userManaged.replicas", "location", "replication.userManaged.replicas[{i}].location")
    ),
    "azure-native:cosmosdb:DatabaseAccount": lambda p: _each(
        p, "locations", "locationName", "locations[{i}].locationName"
    ),
    # Legacy (2017) DynamoDB global tables: every replica region holds the data.
    "aws:dynamodb/globalTable:GlobalTable": lambda p: _each(p, "replicas", "regionName", "replicas[{i}].regionName"),
    "gcp:bigtable/instance:Instance": lambda p: _each(p, "clusters", "zone", "clusters[{i}].zone"),
    "gcp:spanner/instanceConfig:InstanceConfig": lambda p: (
        _spanner_config(p, "baseConfig") + _each(p, "replicas", "location", "replicas[{i}].location")
    ),
    "gcp:compute/snapshot:Snapshot": lambda p: _storage_locations(p, default_from_zone=True),
    "gcp:compute/image:Image": lambda p: _storage_locations(p, default_from_zone=False),
    "gcp:compute/resourcePolicy:ResourcePolicy": lambda p: _each(
        p,
        "snapshotSchedulePolicy.snapshotProperties.storageLocations",
        "",
        "snapshotSchedulePolicy.snapshotProperties.storageLocations[{i}]",
    ),
    # Automated backups of Cloud SQL go to `location` when set (else the multi-region nearest the instance).
    "gcp:sql/databaseInstance:DatabaseInstance": lambda p: _each(
        p, "settings.backupConfiguration.location", "", "settings.backupConfiguration.location"
    ),
}


_SPANNER_CONFIG = re.compile(r"^(?:projects/[^/]+/instanceConfigs/)?(?:regional-)?(.+)$")


def _spanner_config(props: Any, key: str) -> list[Placement]:
    """A Spanner instance configuration as a place: `regional-europe-west1` is the region,
    `nam3`/`eur3`/`nam-eur-asia1` a multi-region of the catalog (all its read-write, read-only and
    witness regions). A custom configuration (`custom-...`) is judged on its own InstanceConfig
    resource (base configuration and replicas), not here."""
    value = get(props, key)
    if not is_set(value):
        return []
    match = _SPANNER_CONFIG.match(str(value).strip())
    name = match.group(1) if match else str(value)
    if name.startswith("custom-"):
        return []
    return [Placement(f"`{key}` (instance configuration)", name)]


# Snapshots without `storageLocations` go to the multi-region nearest their source disk
# (cloud.google.com/compute/docs/disks/snapshots#selecting_a_storage_location, read 2026-12-05).
_NEAREST_MULTI_REGION = (("europe-", "EU"), ("us-", "US"), ("northamerica-", "US"), ("asia-", "ASIA"))


def _storage_locations(props: Any, *, default_from_zone: bool) -> list[Placement]:
    found = _each(props, "storageLocations", "", "storageLocations[{i}]")
    if found or not default_from_zone:
        return found
    zone = get(props, "zone")
    if not is_set(zone):
        return []
    for prefix, multi in _NEAREST_MULTI_REGION:
        if str(zone).startswith(prefix):
            return [
                Placement(
                    f"the snapshot's storage (no `storageLocations`, so the multi-region nearest `zone` {zone!r})",
                    multi,
                )
            ]
    return []


# Used only when the SDK does not know a type (a graph from another SDK version).
_AWS_GLOBAL_MODULES = {
    "iam",
    "organizations",
    "route53",
    "route53domains",
    "route53recoverycontrolconfig",
    "route53recoveryreadiness",
    "cloudfront",
    "globalaccelerator",
    "shield",
    "budgets",
    "costexplorer",
    "cur",
    "account",
    "waf",
    "networkmanager",
}
# Documented API defaults for a missing location.
_GCP_DEFAULT_LOCATION = {"gcp:bigquery/dataset:Dataset": "US"}
_GCP_PARENT_IDS = ("keyRing", "cryptoKey", "parent")
_GCP_LOCATION_IN_ID = re.compile(r"/(?:locations|regions|zones)/([^/]+)")
AZURE_RESOURCE_GROUP = "azure-native:resources:ResourceGroup"


def _provider_name(provider: Any) -> str:
    name = getattr(provider, "name", "") or ""
    return f"its provider {name}'s" if name else "its provider's"


def _aws_places(resource_type: str, props: Any, provider: Any) -> list[Placement] | None:
    regional = takes_input(resource_type, "region")
    if regional is False or (regional is None and module_of(resource_type) in _AWS_GLOBAL_MODULES):
        return None
    own = get(props, "region")
    if is_set(own):
        return [Placement("`region`", str(own))]
    region = provider_setting(provider, "region")
    return [Placement(f"{_provider_name(provider)} `region`", str(region))] if is_set(region) else []


_GCP_OWN_PLACE_KEYS = ("location", "region", "zone", "locationId")
# Types whose own place is named by another input: Spanner's instance configuration.
_GCP_PLACE_OF: dict[str, Callable[[Any], list[Placement]]] = {
    "gcp:spanner/instance:Instance": lambda p: _spanner_config(p, "config"),
    "gcp:spanner/instanceConfig:InstanceConfig": lambda p: [],  # its base config and replicas (extra places)
    "gcp:bigtable/instance:Instance": lambda p: [],  # its clusters' zones (extra places)
}


def _gcp_places(resource_type: str, props: Any, provider: Any) -> list[Placement]:
    special = _GCP_PLACE_OF.get(resource_type)
    if special is not None:
        return special(props)
    found = [Placement(f"`{key}`", str(get(props, key))) for key in _GCP_OWN_PLACE_KEYS if is_set(get(props, key))]
    if found:
        return found
    for key in _GCP_PARENT_IDS:
        value = get(props, key)
        match = _GCP_LOCATION_IN_ID.search(value) if isinstance(value, str) else None
        if match:
            return [Placement(f"the location in `{key}`", match.group(1))]
    default = _GCP_DEFAULT_LOCATION.get(resource_type)
    if default:
        return [Placement("`location` (not set, so the API's default applies)", default)]
    names = input_names(resource_type)
    for key in ("region", "zone"):
        if key in names:
            value = provider_setting(provider, key)
            if is_set(value):
                return [Placement(f"{_provider_name(provider)} `{key}`", str(value))]
    return []


def _azure_places(resource_type: str, props: Any, provider: Any) -> list[Placement] | None:
    location = get(props, "location")
    if is_set(location):
        return [Placement("`location`", str(location))]
    if resource_type == AZURE_RESOURCE_GROUP:
        value = provider_setting(provider, "location")
        return [Placement(f"{_provider_name(provider)} `location`", str(value))] if is_set(value) else []
    return None  # inherits its resource group's location: see the stack policy


def placements(resource_type: str, props: Any, provider: Any, outcome: Outcome) -> list[Placement]:
    """Everywhere the resource is; [] when it is not pinned or it cannot be told.
    Unknown values are recorded on `outcome`; what is known is still returned."""
    cloud = cloud_of(resource_type)
    if cloud is None:
        return []
    resolve = {"aws": _aws_places, "gcp": _gcp_places, "azure": _azure_places}[cloud]
    own = outcome.attempt(resolve, resource_type, props, provider)
    if own is None:
        return []  # global service, unknown value, or (Azure) inherited
    extra = _EXTRA_PLACES.get(resource_type)
    if extra is not None:
        own = own + (outcome.attempt(extra, props) or [])
    return own


# --- policies --------------------------------------------------------------------------------


def _validate_location(args: ResourceValidationArgs, report: ReportViolation) -> None:
    cloud = cloud_of(args.resource_type)
    if cloud is None:
        return
    allowed = allowed_jurisdictions(args)
    outcome = Outcome()
    places = placements(args.resource_type, args.props, args.provider, outcome)
    outcome.problems.extend(judge(cloud, args.resource_type, places, allowed))
    outcome.finish(report)


def _peek(resource: PolicyResource, key: str) -> Any:
    try:
        return get(resource.props, key)
    except UnknownValueError:
        return None


def _resource_group_of(resource: PolicyResource, groups: list[PolicyResource]) -> PolicyResource | None:
    linked = [
        d
        for d in (resource.property_dependencies or {}).get("resourceGroupName", [])
        if d.resource_type == AZURE_RESOURCE_GROUP
    ]
    if linked:
        return linked[0]
    wanted = _peek(resource, "resourceGroupName")
    if not is_set(wanted):
        return None
    for group in groups:
        # by the group's physical name only: its logical (Pulumi) name may be another group's name
        if wanted == _peek(group, "resourceGroupName"):
            return group
    return None


def _validate_inherited(args: StackValidationArgs, report: ReportViolation) -> None:
    allowed = allowed_jurisdictions(args)
    groups = [r for r in args.resources if r.resource_type == AZURE_RESOURCE_GROUP]
    complete = graph_complete(args)
    unknown: UnknownValueError | None = None
    for r in args.resources:
        if (
            cloud_of(r.resource_type) != "azure"
            or r.resource_type == AZURE_RESOURCE_GROUP
            or not takes_input(r.resource_type, "location")
            or not isinstance(r.props, Mapping)
        ):
            continue
        outcome = Outcome()
        own = outcome.attempt(get, r.props, "location")
        group = _resource_group_of(r, groups) if outcome.unknown is None and not is_set(own) else None
        if group is None and outcome.unknown is None and not is_set(own) and not complete:
            outcome.unknown = cannot_tell(
                f"{r.name} sets no `location` and its resource group is not in "
                "this graph (unchanged resources may be omitted)"
            )
        if group is not None:
            located = placements(group.resource_type, group.props, group.provider, outcome)
            inherited = [
                Placement(f"its resource group {group.name}'s location (it sets no `location` of its own)", p.location)
                for p in located
            ]
            outcome.problems.extend(judge("azure", r.resource_type, inherited, allowed))
        unknown = outcome.settle(report, r.urn) or unknown
    if unknown is not None:
        raise unknown


_SCHEMA = PolicyConfigSchema(
    properties={
        CONFIG_KEY: {
            "type": "array",
            "items": {"type": "string"},
            "description": "Jurisdiction keys of the region catalog (eu, uk, ch, us, ...) whose locations are "
            "allowed. Without it the residency policies are not applicable.",
        },
    }
)

residency_allowed_jurisdiction = ResourceValidationPolicy(
    name="residency-allowed-jurisdiction",
    description="Every resource pinned to a place (region, zone, multi-region, replica or peer) lies in the "
    "allowed jurisdictions; jurisdiction is the hosting country's, never the region's name.",
    validate=_validate_location,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    config_schema=_SCHEMA,
    remediation_steps="Move the resource to a region of the allowed jurisdictions: AWS through the provider's "
    "`region` (or the resource's own `region`), GCP through `location`/`region`/`zone` (a "
    "multi-region such as `EU` only when all its regions are inside; never `global` for data), "
    "Azure through `location`. Replicas and peers (`replicas[].regionName`, `peerRegion`, "
    "`dataLocations`, `locations[]`) must be inside as well. Note that eu-central-2 (Zurich) "
    "and eu-west-2 (London) are not in `eu`.",
)

residency_azure_inherited_location = StackValidationPolicy(
    name="residency-azure-inherited-location",
    description="An Azure resource without its own `location` lands in its resource group's location; that "
    "location lies in the allowed jurisdictions.",
    validate=_validate_inherited,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    config_schema=_SCHEMA,
    remediation_steps="Set the resource's `location` explicitly to a region of the allowed jurisdictions, or "
    "move its resource group (`location` on azure-native.resources.ResourceGroup, else the "
    "provider's `location`) there.",
)

POLICIES = [residency_allowed_jurisdiction, residency_azure_inherited_location]
