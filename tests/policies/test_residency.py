"""`residency-allowed-jurisdiction` and `residency-azure-inherited-location`."""

from __future__ import annotations

from typing import Any

import pytest

from ._graph import UNKNOWN, aws_provider, azure_provider, by_policy, gcp_provider, policy_named, resource, run

LOC = "residency-allowed-jurisdiction"
INHERIT = "residency-azure-inherited-location"
RG = "azure-native:resources:ResourceGroup"


def check(resources: list[Any], **overrides: Any) -> Any:
    return run(resources, [policy_named(LOC), policy_named(INHERIT)], **overrides)


# --- AWS: the provider's region (or the resource's own) ----------------------------------------


@pytest.mark.parametrize(("region", "jurisdiction"), [("eu-central-2", "ch"), ("eu-west-2", "uk"), ("us-east-1", "us")])
def test_aws_region_outside_eu_is_refused_by_country(region: str, jurisdiction: str) -> None:
    p = aws_provider(region)
    key = resource("aws:kms/key:Key", "key", {"enableKeyRotation": True}, provider=p)
    messages = by_policy(check([p, key]), LOC, key.urn)
    assert len(messages) == 1
    assert f"its provider aws-{region}'s `region` '{region}' lies outside eu" in messages[0]
    assert f"-> {jurisdiction})" in messages[0]


@pytest.mark.parametrize("region", ["eu-west-1", "eu-central-1", "eu-north-1"])
def test_aws_region_in_eu_is_accepted(region: str) -> None:
    p = aws_provider(region)
    vpc = resource("aws:ec2/vpc:Vpc", "vpc", {"cidrBlock": "10.16.0.0/16"}, provider=p)
    assert check([p, vpc]).findings == []


def test_aws_own_region_input_wins_over_the_provider() -> None:
    p = aws_provider("eu-west-1")
    moved = resource("aws:s3/bucket:Bucket", "moved", {"region": "us-west-2"}, provider=p)
    pinned = resource("aws:s3/bucket:Bucket", "pinned", {"region": "eu-central-1"}, provider=aws_provider("us-east-1"))
    ev = check([p, moved, pinned])
    assert any("`region` 'us-west-2'" in m for m in by_policy(ev, LOC, moved.urn))
    assert by_policy(ev, LOC, pinned.urn) == []


def test_aws_global_services_are_not_pinned() -> None:
    p = aws_provider("us-east-1")
    role = resource("aws:iam/role:Role", "role", {"assumeRolePolicy": "{}"}, provider=p)
    zone = resource("aws:route53/zone:Zone", "zone", {"name": "acme.example"}, provider=p)
    legacy = resource("aws:cloudfront/legacyThing:LegacyThing", "legacy", {}, provider=p)  # unknown to the SDK
    assert check([p, role, zone, legacy]).findings == []


def test_aws_replicas_and_peers_count() -> None:
    p = aws_provider("eu-west-1")
    table = resource(
        "aws:dynamodb/table:Table",
        "t",
        {"replicas": [{"regionName": "eu-central-1"}, {"regionName": "us-east-1"}]},
        provider=p,
    )
    peering = resource(
        "aws:ec2transitgateway/peeringAttachment:PeeringAttachment", "peer", {"peerRegion": "eu-central-1"}, provider=p
    )
    ev = check([p, table, peering])
    assert [m.split(" lies")[0] for m in by_policy(ev, LOC, table.urn)] == ["`replicas[1].regionName` 'us-east-1'"]
    assert by_policy(ev, LOC, peering.urn) == []


def test_aws_without_a_known_region_is_not_judged() -> None:
    no_provider = resource("aws:sqs/queue:Queue", "q", {})
    assert check([no_provider]).findings == []


# --- GCP: location / region / zone, parent ids, defaults, the provider ---------------------------


@pytest.mark.parametrize(
    ("type_", "inputs", "flagged"),
    [
        ("gcp:storage/bucket:Bucket", {"location": "EU"}, False),
        ("gcp:storage/bucket:Bucket", {"location": "eu"}, False),
        ("gcp:storage/bucket:Bucket", {"location": "EUR4"}, False),
        ("gcp:storage/bucket:Bucket", {"location": "EUR5"}, True),  # europe-west2 is London
        ("gcp:storage/bucket:Bucket", {"location": "US"}, True),
        ("gcp:storage/bucket:Bucket", {"location": "europe-west6"}, True),  # Zurich
        ("gcp:kms/keyRing:KeyRing", {"location": "nam-eur-asia1"}, True),
        ("gcp:kms/keyRing:KeyRing", {"location": "europe"}, False),
        ("gcp:kms/keyRing:KeyRing", {"location": "global"}, True),
        ("gcp:logging/projectBucketConfig:ProjectBucketConfig", {"location": "global", "bucketId": "_Default"}, True),
        ("gcp:logging/projectBucketConfig:ProjectBucketConfig", {"location": "europe-west4"}, False),
        ("gcp:container/cluster:Cluster", {"location": "europe-west4-a"}, False),
        ("gcp:container/cluster:Cluster", {"location": "europe-west4", "nodeLocations": ["us-central1-a"]}, True),
        ("gcp:compute/instance:Instance", {"zone": "europe-west1-b"}, False),
        ("gcp:sql/databaseInstance:DatabaseInstance", {"region": "asia-east1"}, True),
        ("gcp:kms/cryptoKey:CryptoKey", {"keyRing": "projects/p/locations/global/keyRings/r"}, True),
        ("gcp:kms/cryptoKey:CryptoKey", {"keyRing": "projects/p/locations/europe-west4/keyRings/r"}, False),
        ("gcp:bigquery/dataset:Dataset", {"datasetId": "raw"}, True),  # the API default is US
        ("gcp:bigquery/dataset:Dataset", {"location": "EU"}, False),
        (
            "gcp:storage/bucket:Bucket",
            {"location": "EU", "customPlacementConfig": {"dataLocations": ["EUROPE-WEST1", "EUROPE-WEST2"]}},
            True,
        ),
        ("gcp:secretmanager/secret:Secret", {"replication": {"auto": {}}}, True),
        (
            "gcp:secretmanager/secret:Secret",
            {
                "replication": {
                    "userManaged": {"replicas": [{"location": "europe-west4"}, {"location": "europe-west1"}]}
                }
            },
            False,
        ),
        ("gcp:pubsub/topic:Topic", {}, True),
        ("gcp:pubsub/topic:Topic", {"messageStoragePolicy": {"allowedPersistenceRegions": ["europe-west4"]}}, False),
        ("gcp:networkconnectivity/hub:Hub", {"name": "hub"}, False),  # global, and holds no data
        ("gcp:storage/bucket:Bucket", {"location": "europe-west99"}, True),  # not in the catalog: fail closed
    ],
)
def test_gcp_locations(type_: str, inputs: dict[str, Any], flagged: bool) -> None:
    p = gcp_provider("europe-west4")
    r = resource(type_, "r", inputs, provider=p)
    assert bool(by_policy(check([p, r]), LOC, r.urn)) is flagged


def test_gcp_provider_region_applies_to_types_that_take_a_region() -> None:
    p = gcp_provider("us-central1")
    subnet = resource("gcp:compute/subnetwork:Subnetwork", "subnet", {"ipCidrRange": "10.32.0.0/20"}, provider=p)
    network = resource("gcp:compute/network:Network", "net", {"autoCreateSubnetworks": False}, provider=p)
    firewall = resource("gcp:compute/firewall:Firewall", "fw", {"network": "net"}, provider=p)
    ev = check([p, subnet, network, firewall])
    assert [f.urn for f in ev.findings] == [subnet.urn]
    assert "its provider gcp's `region` 'us-central1'" in ev.findings[0].message


def test_gcp_multi_region_message_names_the_places_outside() -> None:
    bucket = resource("gcp:storage/bucket:Bucket", "b", {"location": "EUR5"})
    (message,) = by_policy(check([bucket]), LOC)
    assert "`location` 'EUR5' covers 2 regions and lies outside eu: europe-west2 (London, GB -> uk)" in message


# --- Azure: location, resource groups, inheritance ----------------------------------------------


@pytest.mark.parametrize(
    ("type_", "location", "flagged"),
    [
        ("azure-native:storage:StorageAccount", "West Europe", False),
        ("azure-native:storage:StorageAccount", "northeurope", False),
        ("azure-native:storage:StorageAccount", "switzerlandnorth", True),
        ("azure-native:storage:StorageAccount", "uksouth", True),
        ("azure-native:keyvault:Vault", "global", True),
        ("azure-native:privatedns:PrivateZone", "global", False),  # global by design, holds no data
        ("azure-native:monitor:ActionGroup", "Global", False),  # Azure requires "Global" here
        ("azure-native:applicationinsights:Component", "global", True),
        ("azure-native:network:VirtualNetwork", "eastus", True),
    ],
)
def test_azure_locations(type_: str, location: str, flagged: bool) -> None:
    r = resource(type_, "r", {"location": location})
    assert bool(by_policy(check([r]), LOC, r.urn)) is flagged


def test_azure_cosmos_replica_locations_count() -> None:
    account = resource(
        "azure-native:cosmosdb:DatabaseAccount",
        "db",
        {"location": "westeurope", "locations": [{"locationName": "westeurope"}, {"locationName": "eastus"}]},
    )
    messages = by_policy(check([account]), LOC)
    assert len(messages) == 1 and "`locations[1].locationName` 'eastus'" in messages[0]


def test_azure_resource_group_without_location_uses_the_provider() -> None:
    p = azure_provider("eastus")
    rg = resource(RG, "rg", {"resourceGroupName": "acme-dev-rg"}, provider=p)
    messages = by_policy(check([p, rg]), LOC, rg.urn)
    assert messages and "its provider azure's `location` 'eastus'" in messages[0]


@pytest.mark.parametrize("link", ["dependency", "name"])
def test_azure_resource_inherits_its_resource_group_location(link: str) -> None:
    p = azure_provider("westeurope")
    us = resource(RG, "us", {"resourceGroupName": "acme-us", "location": "eastus"}, provider=p)
    eu = resource(RG, "eu", {"resourceGroupName": "acme-eu", "location": "westeurope"}, provider=p)

    def account(name: str, group: Any) -> Any:
        deps = {"resourceGroupName": [group.urn]} if link == "dependency" else {}
        return resource(
            "azure-native:storage:StorageAccount",
            name,
            {"resourceGroupName": group.inputs["resourceGroupName"]},
            provider=p,
            property_dependencies=deps,
        )

    in_us, in_eu = account("in-us", us), account("in-eu", eu)
    ev = check([p, us, eu, in_us, in_eu])
    messages = by_policy(ev, INHERIT, in_us.urn)
    assert len(messages) == 1
    assert "its resource group us's location (it sets no `location` of its own) 'eastus' lies outside eu" in messages[0]
    assert by_policy(ev, INHERIT, in_eu.urn) == []
    assert by_policy(ev, LOC, in_us.urn) == []  # judged once, by the stack policy
    assert [f.urn for f in ev.findings if f.policy == LOC] == [us.urn]


def test_azure_resource_group_outside_the_stack_is_not_judged() -> None:
    account = resource("azure-native:storage:StorageAccount", "sa", {"resourceGroupName": "pre-existing"})
    assert check([account]).findings == []


def test_azure_types_without_location_are_not_judged() -> None:
    rg = resource(RG, "rg", {"resourceGroupName": "rg", "location": "eastus"})
    subnet = resource("azure-native:network:Subnet", "s", {"resourceGroupName": "rg"})
    assert [f.urn for f in check([rg, subnet]).findings] == [rg.urn]


# --- config and unknowns -----------------------------------------------------------------------


def test_without_allowed_jurisdictions_residency_is_not_applicable() -> None:
    p = aws_provider("us-east-1")
    rg = resource(RG, "rg", {"resourceGroupName": "rg", "location": "eastus"})
    account = resource("azure-native:storage:StorageAccount", "sa", {"resourceGroupName": "rg"})
    resources = [p, resource("aws:sqs/queue:Queue", "q", {}, provider=p), rg, account]
    assert check(resources, allowedJurisdictions=None).findings == []
    assert check(resources, allowedJurisdictions=[]).findings == []
    assert len(check(resources).findings) == 3


def test_several_allowed_jurisdictions() -> None:
    p = aws_provider("eu-central-2")
    queue = resource("aws:sqs/queue:Queue", "q", {}, provider=p)
    assert check([p, queue], allowedJurisdictions=["eu", "ch"]).findings == []
    assert check([p, queue], allowedJurisdictions=["EU"]).findings


@pytest.mark.parametrize(
    ("type_", "inputs"),
    [
        ("gcp:storage/bucket:Bucket", {"location": UNKNOWN}),
        ("gcp:kms/cryptoKey:CryptoKey", {"keyRing": UNKNOWN}),
        ("azure-native:storage:StorageAccount", {"location": UNKNOWN}),
        ("azure-native:storage:StorageAccount", {"resourceGroupName": UNKNOWN}),
        ("aws:s3/bucket:Bucket", {"region": UNKNOWN}),
        ("aws:dynamodb/table:Table", {"replicas": UNKNOWN}),
    ],
)
def test_unknown_locations_are_never_violations(type_: str, inputs: dict[str, Any]) -> None:
    rg = resource(RG, "rg", {"resourceGroupName": "rg", "location": "westeurope"})
    ev = check([rg, resource(type_, "r", inputs, provider=aws_provider("eu-west-1"))])
    assert ev.findings == []


def test_unknown_provider_region_is_undecided() -> None:
    p = aws_provider(UNKNOWN)
    queue = resource("aws:sqs/queue:Queue", "q", {}, provider=p)
    ev = check([p, queue])
    assert ev.findings == []
    assert [u.policy for u in ev.undecided] == [LOC]


def test_known_violation_is_reported_next_to_an_unknown_replica() -> None:
    p = aws_provider("us-east-1")
    table = resource("aws:dynamodb/table:Table", "t", {"replicas": [{"regionName": UNKNOWN}]}, provider=p)
    messages = by_policy(check([p, table]), LOC)
    assert len(messages) == 1 and "'us-east-1'" in messages[0]
