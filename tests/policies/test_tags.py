"""`tags-required` and `tags-valid-for-cloud` over AWS tags, GCP labels and Azure tags."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ._graph import (
    REQUIRED,
    UNKNOWN,
    aws_provider,
    azure_provider,
    by_policy,
    gcp_provider,
    policy_named,
    resource,
    run,
)

REQ = "tags-required"
VALID = "tags-valid-for-cloud"

# (type, the input that holds its tags, provider)
TAGGABLE = [
    ("aws:s3/bucket:Bucket", "tags", aws_provider),
    ("aws:ec2/vpc:Vpc", "tags", aws_provider),
    ("gcp:storage/bucket:Bucket", "labels", gcp_provider),
    ("gcp:container/cluster:Cluster", "resourceLabels", gcp_provider),
    ("gcp:sql/databaseInstance:DatabaseInstance", "settings.userLabels", gcp_provider),
    ("azure-native:storage:StorageAccount", "tags", azure_provider),
    ("azure-native:resources:ResourceGroup", "tags", azure_provider),
]


def nest(path: str, value: Any) -> dict[str, Any]:
    out: dict[str, Any] = value
    for key in reversed(path.split(".")):
        out = {key: out}
    return out


def tagged(type_: str, name: str, path: str, tags: Any, provider: Any) -> Any:
    return resource(type_, name, nest(path, tags), provider=provider)


@pytest.mark.parametrize(("type_", "path", "make_provider"), TAGGABLE, ids=[t[0] for t in TAGGABLE])
def test_required_tags(type_: str, path: str, make_provider: Any) -> None:
    p = make_provider()
    missing = tagged(type_, "missing", path, {"owner": "platform-team"}, p)
    untagged = resource(type_, "untagged", {}, provider=p)
    complete = tagged(type_, "complete", path, dict(REQUIRED), p)
    ev = run([p, missing, untagged, complete], [policy_named(REQ)])
    messages = by_policy(ev, REQ, missing.urn)
    assert len(messages) == 1
    assert (
        f"`{path}` is missing required key(s) cost-center, data-classification, environment, managed-by" in messages[0]
    )
    assert by_policy(ev, REQ, untagged.urn)
    assert by_policy(ev, REQ, complete.urn) == []


def test_empty_values_do_not_count() -> None:
    b = resource("aws:s3/bucket:Bucket", "b", {"tags": {**REQUIRED, "owner": " "}})
    messages = by_policy(run([b], [policy_named(REQ)]), REQ)
    assert messages == ["`tags` has empty value(s) for owner: give each a non-empty value"]


def test_non_taggable_and_unknown_types_are_skipped() -> None:
    policy = resource("aws:s3/bucketPolicy:BucketPolicy", "p", {"bucket": "b", "policy": "{}"})
    foreign = resource("kubernetes:core/v1:Namespace", "ns", {})
    component = resource("lz:network:AwsRegionNetwork", "net", {})
    assert run([policy, foreign, component], [policy_named(REQ), policy_named(VALID)]).findings == []


def test_aws_provider_default_tags_count() -> None:
    defaults = json.dumps({"tags": {k: v for k, v in REQUIRED.items() if k != "owner"}})
    p = aws_provider(defaultTags=defaults)
    ok = resource("aws:s3/bucket:Bucket", "ok", {"tags": {"owner": "platform-team"}}, provider=p)
    not_ok = resource("aws:s3/bucket:Bucket", "not-ok", {}, provider=p)
    ev = run([p, ok, not_ok], [policy_named(REQ)])
    assert by_policy(ev, REQ, ok.urn) == []
    assert by_policy(ev, REQ, not_ok.urn) == ["`tags` is missing required key(s) owner: add them with non-empty values"]


def test_gcp_provider_default_labels_count() -> None:
    p = gcp_provider(defaultLabels=json.dumps(REQUIRED))
    bucket = resource("gcp:storage/bucket:Bucket", "b", {"location": "EU"}, provider=p)
    assert run([p, bucket], [policy_named(REQ)]).findings == []


def test_required_tags_come_from_config() -> None:
    b = resource("aws:s3/bucket:Bucket", "b", {"tags": dict(REQUIRED)})
    messages = by_policy(run([b], [policy_named(REQ)], requiredTags=["team"]), REQ)
    assert messages == ["`tags` is missing required key(s) team: add them with non-empty values"]


def test_azure_tag_names_match_case_insensitively() -> None:
    account = resource(
        "azure-native:storage:StorageAccount", "sa", {"tags": {k.title(): v for k, v in REQUIRED.items()}}
    )
    assert run([account], [policy_named(REQ)]).findings == []


def test_unknown_tag_value_counts_as_present() -> None:
    b = resource("aws:s3/bucket:Bucket", "b", {"tags": {**REQUIRED, "owner": UNKNOWN}})
    ev = run([b], [policy_named(REQ), policy_named(VALID)])
    assert ev.findings == []


def test_unknown_tag_map_is_undecided() -> None:
    b = resource("gcp:storage/bucket:Bucket", "b", {"labels": UNKNOWN})
    ev = run([b], [policy_named(REQ), policy_named(VALID)])
    assert ev.findings == []
    assert sorted(u.policy for u in ev.undecided) == [REQ, VALID]


# --- validity per cloud ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "path", "bad", "fragment"),
    [
        ("gcp:storage/bucket:Bucket", "labels", {"owner": "Platform Team"}, "e.g. 'platform_team'"),
        ("gcp:storage/bucket:Bucket", "labels", {"Owner": "platform-team"}, "label key 'Owner'"),
        ("gcp:storage/bucket:Bucket", "labels", {"owner": "x" * 64}, "at most 63"),
        ("gcp:container/cluster:Cluster", "resourceLabels", {"cost_center": "CC-4711"}, "'cc-4711'"),
        ("aws:s3/bucket:Bucket", "tags", {"aws:createdBy": "me"}, "may not start with 'aws:'"),
        ("aws:s3/bucket:Bucket", "tags", {"owner": "x" * 257}, "too long"),
        ("aws:ec2/vpc:Vpc", "tags", {"k" * 129: "v"}, "128"),
        ("azure-native:storage:StorageAccount", "tags", {"cost/center": "4711"}, "may not contain"),
        ("azure-native:storage:StorageAccount", "tags", {"owner": "x" * 257}, "too long"),
    ],
)
def test_invalid_tags_are_flagged(type_: str, path: str, bad: dict[str, str], fragment: str) -> None:
    violating = resource(type_, "bad", nest(path, {**REQUIRED, **bad}))
    compliant = resource(type_, "good", nest(path, dict(REQUIRED)))
    ev = run([violating, compliant], [policy_named(VALID)])
    messages = by_policy(ev, VALID, violating.urn)
    assert messages and any(fragment in m for m in messages), messages
    assert all(f"(in `{path}`)" in m for m in messages)
    assert by_policy(ev, VALID, compliant.urn) == []


def test_gcp_allows_empty_label_values_and_digits() -> None:
    bucket = resource("gcp:storage/bucket:Bucket", "b", {"labels": {**REQUIRED, "cost-center": "4711", "team": ""}})
    assert run([bucket], [policy_named(VALID)]).findings == []


def test_invalid_provider_default_label_is_attributed_to_the_provider() -> None:
    p = gcp_provider(defaultLabels=json.dumps({"Team": "ai"}))
    bucket = resource("gcp:storage/bucket:Bucket", "b", {"labels": dict(REQUIRED)}, provider=p)
    messages = by_policy(run([p, bucket], [policy_named(VALID)]), VALID)
    assert len(messages) == 1 and "'Team'" in messages[0] and "provider's default tags" in messages[0]
