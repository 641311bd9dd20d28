"""S3 buckets joined to their encryption configuration and bucket policy (stack policies)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from lz.core.graph import Resource

from ._graph import AWS_KEY, UNKNOWN, aws_provider, by_policy, policy_named, resource, run

BUCKET = "aws:s3/bucket:Bucket"
BUCKET_V2 = "aws:s3/bucketV2:BucketV2"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
SSE_V2 = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"

CMK = "encryption-s3-bucket-cmk"
TLS = "encryption-s3-tls-only"


def kms_rules(algorithm: str = "aws:kms", key: str | None = AWS_KEY) -> list[dict[str, Any]]:
    default: dict[str, Any] = {"sseAlgorithm": algorithm}
    if key is not None:
        default["kmsMasterKeyId"] = key
    return [{"applyServerSideEncryptionByDefault": default, "bucketKeyEnabled": True}]


def tls_policy(
    bucket: str, *, effect: str = "Deny", value: Any = "false", operator: str = "Bool", as_list: bool = True
) -> str:
    statement = {
        "Sid": "DenyInsecureTransport",
        "Effect": effect,
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        "Condition": {operator: {"aws:SecureTransport": value}},
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement] if as_list else statement})


def bucket(name: str, type_: str = BUCKET, **inputs: Any) -> Resource:
    return resource(type_, name, {"bucket": f"acme-dev-{name}", **inputs}, provider=aws_provider())


def companion(
    type_: str, name: str, target: Resource | None, inputs: dict[str, Any], *, link: bool = True, ref: Any = None
) -> Resource:
    """A resource whose `bucket` input points at `target` (by property dependency and/or value)."""
    value = ref if ref is not None else (target.inputs["bucket"] if target else "elsewhere")
    deps = {"bucket": [target.urn]} if (link and target is not None) else {}
    return resource(type_, name, {"bucket": value, **inputs}, provider=aws_provider(), property_dependencies=deps)


def evaluate(*resources: Resource, policy: str) -> Any:
    return run([aws_provider(), *resources], [policy_named(policy)])


# --- encryption -------------------------------------------------------------------------------


@pytest.mark.parametrize(("bucket_type", "sse_type"), [(BUCKET, SSE), (BUCKET_V2, SSE_V2)])
def test_bucket_with_kms_configuration_is_compliant(bucket_type: str, sse_type: str) -> None:
    b = bucket("data", bucket_type)
    ev = evaluate(b, companion(sse_type, "data-sse", b, {"rules": kms_rules()}), policy=CMK)
    assert by_policy(ev, CMK) == []


@pytest.mark.parametrize(("bucket_type", "sse_type"), [(BUCKET, SSE), (BUCKET_V2, SSE_V2)])
def test_bucket_without_configuration_is_flagged(bucket_type: str, sse_type: str) -> None:
    b = bucket("data", bucket_type)
    other = bucket("other", bucket_type)
    ev = evaluate(b, other, companion(sse_type, "other-sse", other, {"rules": kms_rules()}), policy=CMK)
    messages = by_policy(ev, CMK, b.urn)
    assert len(messages) == 1 and "no aws.s3.BucketServerSideEncryptionConfiguration" in messages[0]
    assert by_policy(ev, CMK, other.urn) == []


def test_join_by_bucket_name_without_property_dependencies() -> None:
    b = bucket("data")
    ev = evaluate(b, companion(SSE, "data-sse", b, {"rules": kms_rules()}, link=False), policy=CMK)
    assert by_policy(ev, CMK) == []


@pytest.mark.parametrize(
    ("rules", "fragment"),
    [
        (kms_rules("AES256", None), "sseAlgorithm"),
        (kms_rules("aws:kms", None), "kmsMasterKeyId"),
        (kms_rules("aws:kms", "alias/aws/s3"), "AWS managed"),
        ([], "has no rule"),
    ],
)
def test_weak_configuration_is_flagged(rules: list[dict[str, Any]], fragment: str) -> None:
    b = bucket("data")
    ev = evaluate(b, companion(SSE, "data-sse", b, {"rules": rules}), policy=CMK)
    messages = by_policy(ev, CMK, b.urn)
    assert messages and any(fragment in m for m in messages), messages


def test_dsse_is_accepted() -> None:
    b = bucket("data")
    ev = evaluate(b, companion(SSE, "data-sse", b, {"rules": kms_rules("aws:kms:dsse")}), policy=CMK)
    assert by_policy(ev, CMK) == []


def test_inline_configuration_on_the_bucket_counts() -> None:
    v7 = bucket("v7", serverSideEncryptionConfiguration={"rule": kms_rules()[0]})
    v6 = bucket("v6", BUCKET_V2, serverSideEncryptionConfigurations=[{"rules": kms_rules()}])
    weak = bucket("weak", serverSideEncryptionConfiguration={"rule": kms_rules("AES256", None)[0]})
    ev = evaluate(v7, v6, weak, policy=CMK)
    assert by_policy(ev, CMK, v7.urn) == [] and by_policy(ev, CMK, v6.urn) == []
    assert any(
        "serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.sseAlgorithm" in m
        for m in by_policy(ev, CMK, weak.urn)
    )


def test_unknown_key_or_reference_is_not_a_violation() -> None:
    known = bucket("known")
    pending = bucket("pending")
    ev = evaluate(
        known,
        companion(SSE, "known-sse", known, {"rules": kms_rules(key=UNKNOWN)}),
        pending,
        companion(SSE, "pending-sse", None, {"rules": kms_rules()}, link=False, ref=UNKNOWN),
        policy=CMK,
    )
    assert ev.findings == []


def test_one_bad_bucket_is_still_reported_next_to_an_unknown_one() -> None:
    bad = bucket("bad")
    pending = bucket("pending")
    ev = evaluate(
        bad,
        companion(SSE, "bad-sse", bad, {"rules": kms_rules("AES256", None)}),
        pending,
        companion(SSE, "pending-sse", pending, {"rules": UNKNOWN}),
        policy=CMK,
    )
    assert {f.urn for f in ev.findings} == {bad.urn}


# --- TLS-only bucket policy -------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        {},
        {"operator": "BoolIfExists"},
        {"value": False},
        {"value": ["false"]},
        {"as_list": False},
    ],
)
def test_deny_insecure_transport_is_compliant(variant: dict[str, Any]) -> None:
    b = bucket("data")
    ev = evaluate(
        b, companion(POLICY, "data-policy", b, {"policy": tls_policy("acme-dev-data", **variant)}), policy=TLS
    )
    assert by_policy(ev, TLS) == []


def test_bucket_without_policy_is_flagged() -> None:
    b = bucket("data")
    messages = by_policy(evaluate(b, policy=TLS), TLS, b.urn)
    assert len(messages) == 1 and "no aws.s3.BucketPolicy" in messages[0] and "aws:SecureTransport" in messages[0]


@pytest.mark.parametrize("variant", [{"effect": "Allow"}, {"value": "true"}, {"operator": "StringEquals"}])
def test_policy_without_a_tls_deny_is_flagged(variant: dict[str, Any]) -> None:
    b = bucket("data")
    ev = evaluate(
        b, companion(POLICY, "data-policy", b, {"policy": tls_policy("acme-dev-data", **variant)}), policy=TLS
    )
    messages = by_policy(ev, TLS, b.urn)
    assert len(messages) == 1 and "its bucket policy has no statement denying requests without TLS" in messages[0]


def test_deny_on_the_bucket_only_does_not_cover_objects() -> None:
    b = bucket("data")
    doc = json.loads(tls_policy("acme-dev-data"))
    doc["Statement"][0]["Resource"] = "arn:aws:s3:::acme-dev-data"
    ev = evaluate(b, companion(POLICY, "data-policy", b, {"policy": json.dumps(doc)}), policy=TLS)
    assert by_policy(ev, TLS, b.urn)


def test_unknown_policy_document_is_not_a_violation() -> None:
    b = bucket("data")
    ev = evaluate(b, companion(POLICY, "data-policy", b, {"policy": UNKNOWN}), policy=TLS)
    assert ev.findings == []
    assert [u.policy for u in ev.undecided] == [TLS]
