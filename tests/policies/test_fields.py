"""Tags and locations from every field the SDKs define: tag lists, `metadata.labels`, where provider
defaults reach, and the location-like fields (instance configs, locationId, cluster zones, storage
locations, replicas, backup locations, provider defaults). A violating and a compliant resource each."""

from __future__ import annotations

import json
from typing import Any

import pytest

from lz.core.taggable import tag_field

from ._graph import REQUIRED, aws_provider, by_policy, gcp_provider, resource, run

RES = "residency-allowed-jurisdiction"
TAGS = "tags-required"
VALID = "tags-valid-for-cloud"
ASG = "aws:autoscaling/group:Group"
RUN_V1 = "gcp:cloudrun/service:Service"


def asg_tags(propagate: bool = True, **extra: str) -> list[dict[str, Any]]:
    return [{"key": k, "value": v, "propagateAtLaunch": propagate} for k, v in {**REQUIRED, **extra}.items()]


# --- where tags live --------------------------------------------------------------------------


def test_the_sdk_says_where_each_type_keeps_its_tags() -> None:
    assert tag_field(ASG).shape == "list" and not tag_field(ASG).provider_defaults
    assert tag_field(RUN_V1).path == "metadata.labels" and tag_field(RUN_V1).provider_defaults
    assert tag_field("aws:sqs/queue:Queue").provider_defaults  # it reports tagsAll
    assert not tag_field("gcp:sql/databaseInstance:DatabaseInstance").provider_defaults  # no effectiveLabels
    assert not tag_field("azure-native:storage:StorageAccount").provider_defaults


def test_autoscaling_group_tags_as_a_list_are_read() -> None:
    p = aws_provider()
    bad = run(
        [p, resource(ASG, "web", {"tags": [{"key": "owner", "value": "x", "propagateAtLaunch": True}]}, provider=p)]
    )
    assert any("cost-center" in m for m in by_policy(bad, TAGS))
    good = run([p, resource(ASG, "web", {"tags": asg_tags()}, provider=p)])
    assert not by_policy(good, TAGS) and not by_policy(good, VALID)


def test_autoscaling_group_tags_must_reach_the_instances() -> None:
    p = aws_provider()
    ev = run([p, resource(ASG, "web", {"tags": asg_tags(propagate=False)}, provider=p)])
    assert any("propagateAtLaunch" in m for m in by_policy(ev, TAGS))


def test_aws_default_tags_do_not_reach_an_autoscaling_group_but_reach_a_queue() -> None:
    p = aws_provider(defaultTags={"tags": REQUIRED})
    ev = run([p, resource(ASG, "web", {}, provider=p), resource("aws:sqs/queue:Queue", "q", {}, provider=p)])
    asg = [f.message for f in ev.findings if f.policy == TAGS and f.urn.endswith("::web")]
    assert asg and "do not apply to this type" in asg[0]
    assert not [f for f in ev.findings if f.policy == TAGS and f.urn.endswith("::q")]


def test_cloud_run_v1_labels_live_in_metadata() -> None:
    p = gcp_provider()
    bad = run(
        [
            p,
            resource(
                RUN_V1, "api", {"location": "europe-west4", "metadata": {"labels": {"owner": "Team A"}}}, provider=p
            ),
        ]
    )
    assert by_policy(bad, TAGS) and any("'Team A'" in m for m in by_policy(bad, VALID))
    good = run(
        [p, resource(RUN_V1, "api", {"location": "europe-west4", "metadata": {"labels": dict(REQUIRED)}}, provider=p)]
    )
    assert not by_policy(good, TAGS) and not by_policy(good, VALID)


def test_gcp_default_labels_reach_a_bucket_but_not_cloud_sql_user_labels() -> None:
    p = gcp_provider(defaultLabels=json.dumps(REQUIRED))
    ev = run(
        [
            p,
            resource("gcp:storage/bucket:Bucket", "b", {"location": "EU"}, provider=p),
            resource("gcp:sql/databaseInstance:DatabaseInstance", "db", {"region": "europe-west4"}, provider=p),
        ]
    )
    assert [f.urn.rsplit("::", 1)[-1] for f in ev.findings if f.policy == TAGS] == ["db"]


# --- where locations live ---------------------------------------------------------------------

SPANNER = "gcp:spanner/instance:Instance"
SPANNER_CONFIG = "gcp:spanner/instanceConfig:InstanceConfig"


@pytest.mark.parametrize(
    ("type_", "inputs", "flagged"),
    [
        (SPANNER, {"config": "nam3"}, True),
        (SPANNER, {"config": "eur3"}, False),
        (SPANNER, {"config": "eur6"}, True),  # its witness is in Zurich
        (SPANNER, {"config": "regional-europe-west1"}, False),
        (SPANNER, {"config": "regional-us-east1"}, True),
        (SPANNER, {"config": "projects/acme/instanceConfigs/eur3"}, False),
        (SPANNER, {"config": "projects/acme/instanceConfigs/nam-eur-asia1"}, True),
        (SPANNER_CONFIG, {"baseConfig": "eur3", "replicas": [{"location": "us-east1", "type": "READ_ONLY"}]}, True),
        (
            SPANNER_CONFIG,
            {"baseConfig": "eur3", "replicas": [{"location": "europe-west1", "type": "READ_ONLY"}]},
            False,
        ),
        ("gcp:firestore/database:Database", {"locationId": "nam5", "type": "FIRESTORE_NATIVE"}, True),
        ("gcp:firestore/database:Database", {"locationId": "eur3", "type": "FIRESTORE_NATIVE"}, False),
        (
            "gcp:bigtable/instance:Instance",
            {"clusters": [{"clusterId": "a", "zone": "europe-west1-b"}, {"clusterId": "b", "zone": "us-central1-b"}]},
            True,
        ),
        ("gcp:bigtable/instance:Instance", {"clusters": [{"clusterId": "a", "zone": "europe-west1-b"}]}, False),
        ("gcp:compute/snapshot:Snapshot", {"zone": "europe-west4-a", "storageLocations": ["us"]}, True),
        ("gcp:compute/snapshot:Snapshot", {"zone": "europe-west4-a", "storageLocations": ["eu"]}, False),
        ("gcp:compute/snapshot:Snapshot", {"zone": "europe-west4-a"}, False),  # nearest multi-region: EU
        ("gcp:compute/image:Image", {"storageLocations": ["us-central1"]}, True),
        ("gcp:compute/image:Image", {"storageLocations": ["europe-west1"]}, False),
        (
            "gcp:compute/resourcePolicy:ResourcePolicy",
            {"region": "europe-west4", "snapshotSchedulePolicy": {"snapshotProperties": {"storageLocations": ["us"]}}},
            True,
        ),
        (
            "gcp:compute/resourcePolicy:ResourcePolicy",
            {
                "region": "europe-west4",
                "snapshotSchedulePolicy": {"snapshotProperties": {"storageLocations": ["europe-west4"]}},
            },
            False,
        ),
        (
            "gcp:sql/databaseInstance:DatabaseInstance",
            {"region": "europe-west4", "settings": {"backupConfiguration": {"enabled": True, "location": "us"}}},
            True,
        ),
        (
            "gcp:sql/databaseInstance:DatabaseInstance",
            {"region": "europe-west4", "settings": {"backupConfiguration": {"enabled": True, "location": "eu"}}},
            False,
        ),
    ],
)
def test_gcp_location_fields(type_: str, inputs: dict[str, Any], flagged: bool) -> None:
    p = gcp_provider()
    ev = run([p, resource(type_, "r", inputs, provider=p)])
    assert bool(by_policy(ev, RES)) is flagged, by_policy(ev, RES)


def test_gcp_provider_default_region_when_omitted() -> None:
    p = gcp_provider("us-east1")
    ev = run([p, resource("gcp:compute/subnetwork:Subnetwork", "s", {"ipCidrRange": "10.0.0.0/24"}, provider=p)])
    assert by_policy(ev, RES)
    q = gcp_provider("europe-west4")
    assert not by_policy(run([q, resource("gcp:compute/subnetwork:Subnetwork", "s", {}, provider=q)]), RES)


@pytest.mark.parametrize(
    ("replicas", "flagged"), [(["eu-west-1", "us-east-1"], True), (["eu-west-1", "eu-central-1"], False)]
)
def test_aws_legacy_global_table_replicas(replicas: list[str], flagged: bool) -> None:
    p = aws_provider()
    ev = run(
        [
            p,
            resource(
                "aws:dynamodb/globalTable:GlobalTable",
                "t",
                {"replicas": [{"regionName": r} for r in replicas]},
                provider=p,
            ),
        ]
    )
    assert bool(by_policy(ev, RES)) is flagged


def test_aws_provider_default_region_when_omitted() -> None:
    p = aws_provider("us-east-1")
    assert by_policy(run([p, resource("aws:sqs/queue:Queue", "q", {}, provider=p)]), RES)
    q = aws_provider("eu-west-1")
    assert not by_policy(run([q, resource("aws:sqs/queue:Queue", "q", {}, provider=q)]), RES)


def test_a_launch_template_tags_what_it_launches() -> None:
    p = aws_provider()
    lt = "aws:ec2/launchTemplate:LaunchTemplate"
    bad = run(
        [
            p,
            resource(
                lt,
                "lt",
                {"tags": dict(REQUIRED), "tagSpecifications": [{"resourceType": "instance", "tags": dict(REQUIRED)}]},
                provider=p,
            ),
        ]
    )
    assert any("volumes it launches" in m for m in by_policy(bad, TAGS))
    good = run(
        [
            p,
            resource(
                lt,
                "lt",
                {
                    "tags": dict(REQUIRED),
                    "tagSpecifications": [
                        {"resourceType": k, "tags": dict(REQUIRED)} for k in ("instance", "volume", "network-interface")
                    ],
                },
                provider=p,
            ),
        ]
    )
    assert not by_policy(good, TAGS)
