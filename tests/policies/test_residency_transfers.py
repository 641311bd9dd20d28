"""`residency-transfer-jurisdiction`: transfers and replication move data only where its classification allows."""

from __future__ import annotations

from typing import Any

import pytest

from lz.policies import residency_transfers
from lz.policies.residency_transfers import residency_transfer_jurisdiction as POLICY

from ._graph import UNKNOWN, aws_provider, azure_provider, by_policy, gcp_provider, resource, run

NAME = "residency-transfer-jurisdiction"


def marks(classification: str | None, source: str | None, target: str | None) -> dict[str, str]:
    out = {}
    if classification:
        out["data-classification"] = classification
    if source:
        out["migration-source"] = source
    if target:
        out["migration-target"] = target
    return out


def text(**m: str | None) -> str:
    return "wave w: copy. lz-migration: " + " ".join(f"{k}={v}" for k, v in m.items() if v)


def transfer(cloud: str, classification: str | None, source: str | None, target: str | None) -> list[Any]:
    """One transfer or replication resource of `cloud`, marked the way components/migration marks it."""
    tags = marks(classification, source, target)
    if cloud == "gcp":
        provider = gcp_provider()
        return [
            provider,
            resource(
                "gcp:storage/transferJob:TransferJob",
                "job",
                {
                    "description": text(
                        **{
                            "data-classification": classification,
                            "migration-source": source,
                            "migration-target": target,
                        }
                    ),
                    "transferSpec": {"awsS3DataSource": {"bucketName": "legacy"}, "gcsDataSink": {"bucketName": "t"}},
                },
                provider=provider,
            ),
        ]
    if cloud == "aws":
        provider = aws_provider("eu-west-1")
        return [provider, resource("aws:datasync/task:Task", "task", {"tags": tags}, provider=provider)]
    provider = azure_provider()
    return [
        provider,
        resource(
            "azure-native:datafactory:Pipeline",
            "pipeline",
            {
                "description": text(
                    **{"data-classification": classification, "migration-source": source, "migration-target": target}
                ),
                "activities": [{"name": "copy", "type": "Copy"}],
            },
            provider=provider,
        ),
    ]


def replication(cloud: str, classification: str | None, source: str | None, target: str | None) -> list[Any]:
    tags = marks(classification, source, target)
    if cloud == "gcp":
        provider = gcp_provider()
        return [
            provider,
            resource(
                "gcp:databasemigrationservice/migrationJob:MigrationJob",
                "job",
                {"location": "europe-west4", "labels": tags, "type": "CONTINUOUS"},
                provider=provider,
            ),
        ]
    if cloud == "aws":
        provider = aws_provider("eu-west-1")
        return [
            provider,
            resource(
                "aws:dms/replicationTask:ReplicationTask",
                "task",
                {"migrationType": "full-load-and-cdc", "tags": tags},
                provider=provider,
            ),
        ]
    provider = azure_provider()
    return [
        provider,
        resource(
            "azure-native:datamigration:Project",
            "project",
            {"location": "westeurope", "tags": tags, "sourcePlatform": "PostgreSql"},
            provider=provider,
        ),
    ]


TARGETS = {"aws": "aws_eu-west-1", "gcp": "gcp_europe-west4", "azure": "azure_westeurope"}
US_TARGETS = {"aws": "aws_us-east-1", "gcp": "gcp_us-central1", "azure": "azure_eastus"}
BUILDERS = {"transfer": transfer, "replication": replication}


@pytest.mark.parametrize("kind", sorted(BUILDERS))
@pytest.mark.parametrize("cloud", ["aws", "gcp", "azure"])
def test_confidential_data_into_the_residency_is_compliant(kind: str, cloud: str) -> None:
    ev = run(BUILDERS[kind](cloud, "confidential", "aws_us-east-1", TARGETS[cloud]), [POLICY])
    assert by_policy(ev, NAME) == [] and ev.undecided == []


@pytest.mark.parametrize("kind", sorted(BUILDERS))
@pytest.mark.parametrize("cloud", ["aws", "gcp", "azure"])
def test_confidential_data_sent_out_of_the_residency_is_a_violation(kind: str, cloud: str) -> None:
    ev = run(BUILDERS[kind](cloud, "confidential", "aws_eu-west-1", US_TARGETS[cloud]), [POLICY])
    messages = by_policy(ev, NAME)
    assert len(messages) == 1
    assert "confidential data may only be sent to eu" in messages[0] and "jurisdiction us" in messages[0]
    assert ev.findings[0].enforcement == "mandatory"


@pytest.mark.parametrize("cloud", ["aws", "gcp", "azure"])
def test_restricted_data_must_come_from_inside_too(cloud: str) -> None:
    ev = run(transfer(cloud, "restricted", "azure_eastus", TARGETS[cloud]), [POLICY])
    assert any("taken from eu" in m and "eastus" in m for m in by_policy(ev, NAME))
    ev = run(transfer(cloud, "restricted", "azure_westeurope", TARGETS[cloud]), [POLICY])
    assert by_policy(ev, NAME) == []


@pytest.mark.parametrize("cloud", ["aws", "gcp", "azure"])
def test_public_data_may_go_anywhere(cloud: str) -> None:
    ev = run(transfer(cloud, "public", "azure_eastus", US_TARGETS[cloud]), [POLICY])
    assert by_policy(ev, NAME) == []


def test_jurisdiction_is_the_country_not_the_name() -> None:
    ev = run(transfer("aws", "internal", "aws_eu-west-1", "aws_eu-central-2"), [POLICY])  # Zurich
    assert any("jurisdiction ch" in m for m in by_policy(ev, NAME))


@pytest.mark.parametrize("cloud", ["aws", "gcp", "azure"])
def test_a_transfer_without_a_classification_is_a_violation(cloud: str) -> None:
    ev = run(transfer(cloud, None, "aws_eu-west-1", TARGETS[cloud]), [POLICY])
    assert any("no data classification" in m for m in by_policy(ev, NAME))


def test_without_a_target_marker_the_transfer_location_stands_in() -> None:
    provider = aws_provider("us-east-1")
    task = resource(
        "aws:datasync/task:Task", "task", {"tags": marks("internal", "aws_eu-west-1", None)}, provider=provider
    )
    assert any("us-east-1" in m for m in by_policy(run([provider, task], [POLICY]), NAME))
    provider = aws_provider("eu-west-1")
    task = resource(
        "aws:datasync/task:Task", "task", {"tags": marks("internal", "aws_eu-west-1", None)}, provider=provider
    )
    assert by_policy(run([provider, task], [POLICY]), NAME) == []


def test_restricted_without_a_source_marker_cannot_be_judged_and_is_a_violation() -> None:
    ev = run(replication("gcp", "restricted", None, "gcp_europe-west4"), [POLICY])
    assert any("does not say where its source is" in m for m in by_policy(ev, NAME))


def test_pipelines_that_copy_nothing_are_not_transfers() -> None:
    provider = azure_provider()
    pipeline = resource(
        "azure-native:datafactory:Pipeline", "p", {"activities": [{"name": "w", "type": "Wait"}]}, provider=provider
    )
    assert by_policy(run([provider, pipeline], [POLICY]), NAME) == []


def test_unknown_values_are_undecided_not_violations() -> None:
    provider = aws_provider("eu-west-1")
    task = resource("aws:datasync/task:Task", "task", {"tags": UNKNOWN}, provider=provider)
    ev = run([provider, task], [POLICY])
    assert by_policy(ev, NAME) == [] and [u.policy for u in ev.undecided] == [NAME]


def test_not_applicable_without_allowed_jurisdictions() -> None:
    ev = run(transfer("aws", "confidential", "aws_eu-west-1", "aws_us-east-1"), [POLICY], allowedJurisdictions=None)
    assert by_policy(ev, NAME) == []


def test_classifications_that_must_reside_are_configurable() -> None:
    resources = transfer("gcp", "internal", "aws_eu-west-1", "gcp_us-central1")
    assert by_policy(run(resources, [POLICY]), NAME)
    assert by_policy(run(resources, [POLICY], targetResidesFor=["restricted"]), NAME) == []
    resources = transfer("gcp", "confidential", "aws_us-east-1", "gcp_europe-west4")
    assert by_policy(run(resources, [POLICY], sourceResidesFor=["confidential"]), NAME)


def test_policy_is_a_mandatory_residency_policy() -> None:
    assert POLICY.name.startswith("residency-") and POLICY in residency_transfers.POLICIES
    assert POLICY.enforcement_level.value == "mandatory"
