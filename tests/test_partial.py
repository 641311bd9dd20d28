"""Previews without their unchanged steps: judged with `--state`, else "cannot tell yet" (never a pass,
never a violation), on every cloud."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lz.cli import main
from tests.helpers import ROOT

S = "urn:pulumi:prod::shop::"
KEY = "arn:aws:kms:eu-west-1:111111111111:key/0d3c2f6e-1111-2222-3333-444455556666"
TAGS = {
    "owner": "a",
    "cost-center": "1",
    "data-classification": "internal",
    "environment": "prod",
    "managed-by": "pulumi",
}
AWS = f"{S}pulumi:providers:aws::aws"
GCP = f"{S}pulumi:providers:gcp::gcp"
AZ = f"{S}pulumi:providers:azure-native::az"
RG = f"{S}azure-native:resources:ResourceGroup::rg"


def state(
    type_: str, name: str, inputs: dict[str, Any], provider: str = "", deps: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "urn": f"{S}{type_}::{name}",
        "type": type_,
        "custom": True,
        "id": f"{name}-id",
        "inputs": inputs,
    }
    if provider:
        out["provider"] = f"{provider}::{provider.rsplit('::', 1)[-1]}-id"
    if deps:
        out["propertyDependencies"] = deps
        out["dependencies"] = sorted({d for v in deps.values() for d in v})
    return out


def provider(pkg: str, name: str, **inputs: Any) -> dict[str, Any]:
    return {
        "urn": f"{S}pulumi:providers:{pkg}::{name}",
        "type": f"pulumi:providers:{pkg}",
        "custom": True,
        "id": f"{name}-id",
        "inputs": inputs,
    }


def preview(*steps: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    return {"config": {}, "steps": [{"op": op, "urn": s["urn"], "newState": s} for op, s in steps]}


def export(*resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": 3,
        "deployment": {
            "manifest": {},
            "resources": [
                {"urn": f"{S}pulumi:pulumi:Stack::shop-prod", "type": "pulumi:pulumi:Stack", "custom": False},
                *resources,
            ],
        },
    }


def check(
    tmp_path: Path,
    doc: dict[str, Any],
    state_doc: dict[str, Any] | None = None,
) -> tuple[int, dict[str, Any]]:
    path = tmp_path / "preview.json"
    path.write_text(json.dumps(doc))
    flags = []
    if state_doc is not None:
        (tmp_path / "state.json").write_text(json.dumps(state_doc))
        flags = ["--state", str(tmp_path / "state.json")]
    out = tmp_path / "out"
    code = main(["check", str(path), "--residency", "eu", "--no-checkov", "--out", str(out), *flags])
    return code, json.loads((out / "findings.json").read_text())


def policies_on(doc: dict[str, Any], name: str, key: str = "findings") -> set[str]:
    return {f["policy"] for f in doc[key] if f["urn"].endswith(f"::{name}")}


@pytest.fixture(autouse=True)
def _in_project(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


# --- AWS: a new queue on an unchanged provider ------------------------------------------------

QUEUE = state("aws:sqs/queue:Queue", "jobs", {"kmsMasterKeyId": KEY, "tags": TAGS}, AWS)


def test_unchanged_provider_absent_is_undecided_not_passed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = check(tmp_path, preview(("create", QUEUE)))
    assert code == 0
    assert "residency-allowed-jurisdiction" in policies_on(doc, "jobs", "undecided")
    assert not policies_on(doc, "jobs")
    assert "cannot tell yet: residency-allowed-jurisdiction on jobs" in capsys.readouterr().out


@pytest.mark.parametrize(("region", "code"), [("us-east-1", 1), ("eu-west-1", 0)])
def test_state_fills_in_the_provider(tmp_path: Path, region: str, code: int) -> None:
    got, doc = check(tmp_path, preview(("create", QUEUE)), export(provider("aws", "aws", region=region), QUEUE))
    assert got == code
    assert ("residency-allowed-jurisdiction" in policies_on(doc, "jobs")) is (code == 1)
    assert not policies_on(doc, "jobs", "undecided")


# --- AWS: a tag-only update to an encrypted bucket --------------------------------------------

BUCKET = state("aws:s3/bucket:Bucket", "data", {"bucket": "acme-data", "tags": TAGS}, AWS)
DENY = {
    "Statement": [
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::acme-data", "arn:aws:s3:::acme-data/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ]
}


def sse(algorithm: str) -> dict[str, Any]:
    return state(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "data-sse",
        {
            "bucket": "acme-data",
            "rules": [
                {
                    "applyServerSideEncryptionByDefault": {
                        "sseAlgorithm": algorithm,
                        **({"kmsMasterKeyId": KEY} if algorithm != "AES256" else {}),
                    }
                }
            ],
        },
        AWS,
        {"bucket": [BUCKET["urn"]]},
    )


POLICY_RES = state(
    "aws:s3/bucketPolicy:BucketPolicy",
    "data-policy",
    {"bucket": "acme-data", "policy": json.dumps(DENY)},
    AWS,
    {"bucket": [BUCKET["urn"]]},
)


def test_tag_only_update_without_state_is_undecided(tmp_path: Path) -> None:
    code, doc = check(tmp_path, preview(("update", BUCKET)))
    assert code == 0
    assert not {"encryption-s3-bucket-cmk", "encryption-s3-tls-only"} & policies_on(doc, "data")
    assert {"encryption-s3-bucket-cmk", "encryption-s3-tls-only"} <= {u["policy"] for u in doc["undecided"]}


@pytest.mark.parametrize(("algorithm", "code"), [("aws:kms", 0), ("AES256", 1)])
def test_tag_only_update_with_state_is_judged(tmp_path: Path, algorithm: str, code: int) -> None:
    got, doc = check(
        tmp_path,
        preview(("update", BUCKET)),
        export(provider("aws", "aws", region="eu-west-1"), BUCKET, sse(algorithm), POLICY_RES),
    )
    assert got == code
    assert ("encryption-s3-bucket-cmk" in policies_on(doc, "data")) is (code == 1)
    assert not [u for u in doc["undecided"] if u["policy"].startswith("encryption-s3")]


# --- Azure: a new account in an unchanged resource group --------------------------------------

ACCOUNT = state(
    "azure-native:storage:StorageAccount",
    "sa",
    {"resourceGroupName": "rg", "tags": TAGS},
    AZ,
    {"resourceGroupName": [RG]},
)


def test_unchanged_resource_group_absent_is_undecided(tmp_path: Path) -> None:
    _code, doc = check(tmp_path, preview(("create", ACCOUNT)))
    assert "residency-azure-inherited-location" in {u["policy"] for u in doc["undecided"]}
    assert "residency-azure-inherited-location" not in policies_on(doc, "sa")


@pytest.mark.parametrize(("location", "flagged"), [("eastus", True), ("westeurope", False)])
def test_state_fills_in_the_resource_group(tmp_path: Path, location: str, flagged: bool) -> None:
    rg = state(
        "azure-native:resources:ResourceGroup",
        "rg",
        {"resourceGroupName": "rg", "location": location, "tags": TAGS},
        AZ,
    )
    _, doc = check(tmp_path, preview(("create", ACCOUNT)), export(provider("azure-native", "az"), rg, ACCOUNT))
    assert ("residency-azure-inherited-location" in policies_on(doc, "sa")) is flagged


# --- GCP: a subnetwork on an unchanged provider -----------------------------------------------

SUBNET = state("gcp:compute/subnetwork:Subnetwork", "s", {"ipCidrRange": "10.0.0.0/24", "network": "n"}, GCP)


def test_gcp_unchanged_provider_absent_is_undecided(tmp_path: Path) -> None:
    code, doc = check(tmp_path, preview(("create", SUBNET)))
    assert code == 0 and "residency-allowed-jurisdiction" in policies_on(doc, "s", "undecided")


@pytest.mark.parametrize(("region", "code"), [("us-east1", 1), ("europe-west4", 0)])
def test_gcp_state_fills_in_the_provider(tmp_path: Path, region: str, code: int) -> None:
    got, _ = check(tmp_path, preview(("create", SUBNET)), export(provider("gcp", "gcp", region=region), SUBNET))
    assert got == code


# --- inputs -----------------------------------------------------------------------------------


def test_a_preview_showing_sames_is_complete(tmp_path: Path) -> None:
    code, doc = check(tmp_path, preview(("same", provider("aws", "aws", region="us-east-1")), ("create", QUEUE)))
    assert code == 1 and "residency-allowed-jurisdiction" in policies_on(doc, "jobs")


def test_deleted_resources_are_not_filled_back_in(tmp_path: Path) -> None:
    old = state("aws:sqs/queue:Queue", "old", {}, AWS)
    doc = preview(("create", QUEUE))
    doc["steps"].append({"op": "delete", "urn": old["urn"], "oldState": old})
    code, found = check(tmp_path, doc, export(provider("aws", "aws", region="eu-west-1"), QUEUE, old))
    assert code == 0 and not policies_on(found, "old")


def test_state_must_be_a_stack_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "p.json").write_text(json.dumps(preview(("create", QUEUE))))
    (tmp_path / "s.json").write_text(json.dumps(preview(("create", QUEUE))))
    code = main(
        [
            "check",
            str(tmp_path / "p.json"),
            "--state",
            str(tmp_path / "s.json"),
            "--no-checkov",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 2 and "s.json" in capsys.readouterr().err


def test_tags_complete_on_the_resource_need_no_absent_provider(tmp_path: Path) -> None:
    _, doc = check(tmp_path, preview(("create", QUEUE)))
    assert "tags-required" not in policies_on(doc, "jobs", "undecided") | policies_on(doc, "jobs")
    bare = state("aws:sqs/queue:Queue", "bare", {"kmsMasterKeyId": KEY}, AWS)
    _, doc = check(tmp_path, preview(("create", bare)))  # the absent provider's default tags may hold them
    assert "tags-required" in policies_on(doc, "bare", "undecided") and "tags-required" not in policies_on(doc, "bare")


def test_undecided_names_each_resource_of_a_stack_policy(tmp_path: Path) -> None:
    _, doc = check(tmp_path, preview(("update", BUCKET)))
    cmk = [u for u in doc["undecided"] if u["policy"] == "encryption-s3-bucket-cmk"]
    assert [u["urn"] for u in cmk] == [BUCKET["urn"]] and "absent" in cmk[0]["detail"]
