"""`lz.core.taggable`: taggability and inputs read from the provider SDKs themselves."""

from __future__ import annotations

import sys

import pytest

from lz.core import taggable


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("aws:s3/bucket:Bucket", "tags"),
        ("aws:kms/key:Key", "tags"),
        ("gcp:storage/bucket:Bucket", "labels"),
        ("gcp:container/cluster:Cluster", "resourceLabels"),
        ("gcp:monitoring/slo:Slo", "userLabels"),
        ("gcp:sql/databaseInstance:DatabaseInstance", "settings.userLabels"),
        ("gcp:container/nodePool:NodePool", "nodeConfig.resourceLabels"),
        ("azure-native:storage:StorageAccount", "tags"),
        ("aws:s3/bucketPolicy:BucketPolicy", None),
        ("aws:autoscaling/group:Group", "tags"),  # a list of {key, value, propagateAtLaunch} (TagField.shape)
        ("gcp:cloudrun/service:Service", "metadata.labels"),  # Cloud Run v1 keeps labels in its metadata
        ("gcp:kms/keyRing:KeyRing", None),
        ("gcp:compute/network:Network", None),
        ("example:index/thing:Thing", None),
        ("aws:s3/noSuchThing:NoSuchThing", None),
        ("not a token", None),
        ("pulumi:providers:aws", None),
    ],
)
def test_tag_input(token: str, expected: str | None) -> None:
    assert taggable.tag_input(token) == expected


def test_input_names_come_from_the_class() -> None:
    assert {"bucket", "policy", "region"} <= taggable.input_names("aws:s3/bucketPolicy:BucketPolicy")
    assert "region" not in taggable.input_names("aws:iam/role:Role")
    assert taggable.takes_input("aws:iam/role:Role", "region") is False
    assert taggable.takes_input("example:index/thing:Thing", "region") is None
    assert taggable.input_names("example:index/thing:Thing") == frozenset()


def test_only_the_needed_submodule_is_imported() -> None:
    taggable.tag_input("gcp:kms/keyRing:KeyRing")
    assert "pulumi_gcp.kms" in sys.modules
    assert taggable.sdk_class("gcp:kms/keyRing:KeyRing").__module__.startswith("pulumi_gcp.kms")


def test_lookups_are_cached() -> None:
    before = taggable.tag_field.cache_info().hits
    taggable.tag_input("aws:s3/bucket:Bucket")
    taggable.tag_input("aws:s3/bucket:Bucket")
    assert taggable.tag_field.cache_info().hits >= before + 1


def test_registration_table_is_read_from_the_sdk() -> None:
    index = taggable._package_index("pulumi_azure_native")
    assert index["azure-native:storage:StorageAccount"] == ("pulumi_azure_native.storage", "StorageAccount")
    assert taggable._package_index("pulumi_no_such_sdk") == {}
