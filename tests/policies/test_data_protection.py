"""`data-protection-`: migration targets versioned and protected, deletes never propagated by default."""

from __future__ import annotations

from typing import Any

import pytest

from lz.core.graph import Resource
from lz.policies import data_protection
from lz.policies.data_protection import (
    data_protection_migration_target_protected,
    data_protection_migration_target_versioning,
    data_protection_no_delete_propagation,
)
from lz.review.evaluate import Evaluation, PolicySettings, evaluate

from ._graph import REQUIRED, UNKNOWN, aws_provider, azure_provider, by_policy, gcp_provider, resource

VERSIONING = "data-protection-migration-target-versioning"
PROTECTED = "data-protection-migration-target-protected"
DELETES = "data-protection-no-delete-propagation"
TARGET = {**REQUIRED, "migration-role": "target", "wave": "wave-1"}


def run(resources: list[Resource], policy: Any) -> Evaluation:
    return evaluate(resources, [policy], PolicySettings())


def protected(r: Resource, value: bool = True) -> Resource:
    r.protect = value
    return r


def s3_target(
    *, versioned: bool | None, protect: bool = True, env: str = "dev", force: bool = False, role: str = "target"
) -> list[Resource]:
    provider = aws_provider()
    tags = {**TARGET, "environment": env, "migration-role": role}
    bucket = protected(
        resource(
            "aws:s3/bucket:Bucket", "b", {"bucket": "acme-b", "tags": tags, "forceDestroy": force}, provider=provider
        ),
        protect,
    )
    out = [provider, bucket]
    if versioned is not None:
        out.append(
            resource(
                "aws:s3/bucketVersioning:BucketVersioning",
                "b-versioning",
                {"bucket": "acme-b", "versioningConfiguration": {"status": "Enabled" if versioned else "Suspended"}},
                provider=provider,
                property_dependencies={"bucket": [bucket.urn]},
            )
        )
    return out


def gcs_target(*, versioned: bool, protect: bool = True, env: str = "dev", force: bool = False) -> list[Resource]:
    provider = gcp_provider()
    bucket = resource(
        "gcp:storage/bucket:Bucket",
        "b",
        {
            "name": "acme-b",
            "location": "europe-west4",
            "versioning": {"enabled": versioned},
            "forceDestroy": force,
            "labels": {**TARGET, "environment": env},
        },
        provider=provider,
    )
    return [provider, protected(bucket, protect)]


def azure_target(*, versioned: bool | None, protect: bool = True, env: str = "dev") -> list[Resource]:
    provider = azure_provider()
    account = protected(
        resource(
            "azure-native:storage:StorageAccount",
            "a",
            {"accountName": "stacme", "location": "westeurope", "tags": {**TARGET, "environment": env}},
            provider=provider,
        ),
        protect,
    )
    out = [provider, account]
    if versioned is not None:
        out.append(
            resource(
                "azure-native:storage:BlobServiceProperties",
                "a-blob",
                {"accountName": "stacme", "isVersioningEnabled": versioned},
                provider=provider,
                property_dependencies={"accountName": [account.urn]},
            )
        )
    return out


TARGETS = {"aws": s3_target, "gcp": gcs_target, "azure": azure_target}


# --- versioning --------------------------------------------------------------------------------


@pytest.mark.parametrize("cloud", sorted(TARGETS))
def test_versioned_targets_comply(cloud: str) -> None:
    ev = run(TARGETS[cloud](versioned=True), data_protection_migration_target_versioning)
    assert by_policy(ev, VERSIONING) == [] and ev.undecided == []


@pytest.mark.parametrize("cloud", sorted(TARGETS))
def test_unversioned_targets_violate(cloud: str) -> None:
    ev = run(TARGETS[cloud](versioned=False), data_protection_migration_target_versioning)
    messages = by_policy(ev, VERSIONING)
    assert len(messages) == 1 and "not versioned" in messages[0]
    assert ev.findings[0].urn.endswith("::b") or ev.findings[0].urn.endswith("::a")


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_a_target_without_a_versioning_companion_violates(cloud: str) -> None:
    ev = run(TARGETS[cloud](versioned=None), data_protection_migration_target_versioning)
    assert len(by_policy(ev, VERSIONING)) == 1


def test_versioning_companion_found_by_bucket_name_without_a_dependency() -> None:
    provider = aws_provider()
    bucket = resource("aws:s3/bucket:Bucket", "b", {"bucket": "acme-b", "tags": TARGET}, provider=provider)
    versioning = resource(
        "aws:s3/bucketVersioning:BucketVersioning",
        "v",
        {"bucket": "acme-b", "versioningConfiguration": {"status": "Enabled"}},
        provider=provider,
    )
    assert by_policy(run([provider, bucket, versioning], data_protection_migration_target_versioning), VERSIONING) == []


def test_buckets_that_are_not_migration_targets_are_not_judged() -> None:
    ev = run(s3_target(versioned=False, role="other"), data_protection_migration_target_versioning)
    assert by_policy(ev, VERSIONING) == []


# --- protection --------------------------------------------------------------------------------


@pytest.mark.parametrize("cloud", sorted(TARGETS))
def test_protected_targets_comply(cloud: str) -> None:
    ev = run(TARGETS[cloud](versioned=True), data_protection_migration_target_protected)
    assert by_policy(ev, PROTECTED) == []


@pytest.mark.parametrize("cloud", sorted(TARGETS))
def test_unprotected_targets_outside_test_violate(cloud: str) -> None:
    ev = run(TARGETS[cloud](versioned=True, protect=False, env="prod"), data_protection_migration_target_protected)
    messages = by_policy(ev, PROTECTED)
    assert len(messages) == 1 and "'prod'" in messages[0] and "`protect`" in messages[0]


@pytest.mark.parametrize("cloud", sorted(TARGETS))
def test_test_environments_are_disposable(cloud: str) -> None:
    ev = run(TARGETS[cloud](versioned=True, protect=False, env="test"), data_protection_migration_target_protected)
    assert by_policy(ev, PROTECTED) == []


@pytest.mark.parametrize("cloud", ["aws", "gcp"])
def test_force_destroy_outside_test_violates(cloud: str) -> None:
    ev = run(TARGETS[cloud](versioned=True, force=True), data_protection_migration_target_protected)
    assert any("forceDestroy" in m for m in by_policy(ev, PROTECTED))


# --- delete propagation ------------------------------------------------------------------------


def sts(options: dict[str, Any], description: str = "copy") -> list[Resource]:
    provider = gcp_provider()
    return [
        provider,
        resource(
            "gcp:storage/transferJob:TransferJob",
            "job",
            {"description": description, "transferSpec": {"transferOptions": options}},
            provider=provider,
        ),
    ]


def datasync(preserve: str | None, tags: dict[str, str] | None = None) -> list[Resource]:
    provider = aws_provider()
    options = {"preserveDeletedFiles": preserve} if preserve else {}
    return [
        provider,
        resource("aws:datasync/task:Task", "task", {"options": options, "tags": tags or {}}, provider=provider),
    ]


def mover(copy_mode: str) -> list[Resource]:
    provider = azure_provider()
    return [
        provider,
        resource("azure-native:storagemover:JobDefinition", "job", {"copyMode": copy_mode}, provider=provider),
    ]


def adf(delete_after: bool) -> list[Resource]:
    provider = azure_provider()
    settings = {"type": "AmazonS3ReadSettings", "deleteFilesAfterCompletion": delete_after}
    return [
        provider,
        resource(
            "azure-native:datafactory:Pipeline",
            "p",
            {"activities": [{"name": "copy", "type": "Copy", "source": {"storeSettings": settings}}]},
            provider=provider,
        ),
    ]


@pytest.mark.parametrize(
    "resources",
    [
        sts({"overwriteWhen": "DIFFERENT", "deleteObjectsUniqueInSink": False}),
        datasync("PRESERVE"),
        datasync(None),
        mover("Additive"),
        adf(False),
    ],
    ids=["gcp-sts", "aws-datasync", "aws-datasync-default", "azure-storage-mover", "azure-data-factory"],
)
def test_transfers_that_keep_deletes_comply(resources: list[Resource]) -> None:
    assert by_policy(run(resources, data_protection_no_delete_propagation), DELETES) == []


@pytest.mark.parametrize(
    ("resources", "fragment"),
    [
        (sts({"deleteObjectsUniqueInSink": True}), "deleteObjectsUniqueInSink"),
        (datasync("REMOVE"), "preserveDeletedFiles"),
        (mover("Mirror"), "copyMode"),
    ],
    ids=["gcp-sts", "aws-datasync", "azure-storage-mover"],
)
def test_unmarked_delete_propagation_violates(resources: list[Resource], fragment: str) -> None:
    messages = by_policy(run(resources, data_protection_no_delete_propagation), DELETES)
    assert len(messages) == 1 and fragment in messages[0] and "migration-deletes: propagate" in messages[0]


def test_marked_delete_propagation_complies() -> None:
    marked = "lz-migration: data-classification=internal migration-deletes=propagate"
    assert (
        by_policy(run(sts({"deleteObjectsUniqueInSink": True}, marked), data_protection_no_delete_propagation), DELETES)
        == []
    )
    assert (
        by_policy(
            run(datasync("REMOVE", {"migration-deletes": "propagate"}), data_protection_no_delete_propagation), DELETES
        )
        == []
    )


@pytest.mark.parametrize(
    ("resources", "fragment"),
    [
        (
            sts({"deleteObjectsFromSourceAfterTransfer": True}, "lz-migration: migration-deletes=propagate"),
            "deleteObjectsFromSourceAfterTransfer",
        ),
        (adf(True), "deleteFilesAfterCompletion"),
    ],
    ids=["gcp-sts", "azure-data-factory"],
)
def test_deleting_the_source_after_copying_always_violates(resources: list[Resource], fragment: str) -> None:
    messages = by_policy(run(resources, data_protection_no_delete_propagation), DELETES)
    assert len(messages) == 1 and fragment in messages[0] and "roll back" in messages[0]


def test_unknown_options_are_undecided() -> None:
    provider = aws_provider()
    task = resource("aws:datasync/task:Task", "task", {"options": UNKNOWN}, provider=provider)
    ev = run([provider, task], data_protection_no_delete_propagation)
    assert by_policy(ev, DELETES) == [] and [u.policy for u in ev.undecided] == [DELETES]


def test_family_and_enforcement() -> None:
    assert [p.name for p in data_protection.POLICIES] == [VERSIONING, PROTECTED, DELETES]
    assert all(p.enforcement_level.value == "mandatory" for p in data_protection.POLICIES)
