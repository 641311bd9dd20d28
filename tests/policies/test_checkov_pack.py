"""One verdict per fact: checkov checks that judge a property the pack decides are advisory, and
report.md groups their findings with the pack's verdict for the same resource."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lz.policies.pack import POLICIES
from lz.review.checkov import CheckovSettings, same_fact_markdown
from lz.review.evaluate import Finding

ROOT = Path(__file__).resolve().parents[2]
JUDGED_BY_PACK = {
    "CKV_AWS_19": "encryption-s3-bucket-cmk",
    "CKV_AWS_145": "encryption-s3-bucket-cmk",
    "CKV_AWS_136": "encryption-at-rest-cmk",
    "CKV_AZURE_44": "encryption-in-transit-tls",
}


def test_the_list_of_checks_the_pack_decides() -> None:
    settings = CheckovSettings.load()
    assert dict(settings.judged_by_pack) == JUDGED_BY_PACK
    names = {p.name for p in POLICIES}
    assert set(JUDGED_BY_PACK.values()) <= names
    for check in JUDGED_BY_PACK:
        assert check in settings.mandatory  # their family makes them mandatory ...
        assert settings.enforcement(check) == "advisory"  # ... but the pack's policy decides
    assert settings.enforcement("CKV_AWS_3") == "mandatory"  # the rest of the family is untouched


def _finding(policy: str, source: str, urn: str, message: str = "m") -> Finding:
    return Finding(
        policy=policy,
        source=source,
        enforcement="advisory" if source == "checkov" else "mandatory",
        severity="high",
        urn=urn,
        type="t",
        message=message,
    )


def test_report_groups_both_sources_for_one_resource() -> None:
    ok, bad = "urn:pulumi:d::p::aws:s3/bucket:Bucket::ok", "urn:pulumi:d::p::aws:s3/bucket:Bucket::bad"
    text = same_fact_markdown(
        [
            _finding("CKV_AWS_145", "checkov", ok),
            _finding("CKV_AWS_145", "checkov", bad),
            _finding("encryption-s3-bucket-cmk", "lz", bad, "uses AES256"),
        ]
    )
    assert "| `ok` | `encryption-s3-bucket-cmk` | passes | CKV_AWS_145 |" in text
    assert "| `bad` | `encryption-s3-bucket-cmk` | uses AES256 | CKV_AWS_145 |" in text
    assert same_fact_markdown([_finding("CKV_AWS_3", "checkov", ok)]) == ""


# --- with checkov itself ----------------------------------------------------------------------

S = "urn:pulumi:dev::p::"
KEY = "arn:aws:kms:eu-west-1:111111111111:key/0d3c2f6e-1111-2222-3333-444455556666"
TAGS = {
    "owner": "a",
    "cost-center": "1",
    "data-classification": "internal",
    "environment": "dev",
    "managed-by": "pulumi",
}


def _r(
    type_: str, name: str, inputs: dict[str, Any], provider: str, deps: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "urn": f"{S}{type_}::{name}",
        "type": type_,
        "custom": True,
        "id": f"{name}-id",
        "inputs": inputs,
        "provider": f"{provider}::{provider.rsplit('::', 1)[-1]}-id",
    }
    if deps:
        out["propertyDependencies"] = deps
        out["dependencies"] = sorted({d for v in deps.values() for d in v})
    return out


def graph(algorithm: str, tls: str) -> dict[str, Any]:
    aws, az = f"{S}pulumi:providers:aws::aws", f"{S}pulumi:providers:azure-native::az"
    bucket = _r("aws:s3/bucket:Bucket", "data", {"bucket": "acme-dev-data", "tags": TAGS}, aws)
    deny = {
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": ["arn:aws:s3:::acme-dev-data", "arn:aws:s3:::acme-dev-data/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ]
    }
    return {
        "version": 3,
        "deployment": {
            "manifest": {},
            "resources": [
                {"urn": f"{S}pulumi:pulumi:Stack::p-dev", "type": "pulumi:pulumi:Stack", "custom": False},
                {
                    "urn": aws,
                    "type": "pulumi:providers:aws",
                    "custom": True,
                    "id": "aws-id",
                    "inputs": {"region": "eu-west-1"},
                },
                {
                    "urn": az,
                    "type": "pulumi:providers:azure-native",
                    "custom": True,
                    "id": "az-id",
                    "inputs": {"location": "westeurope"},
                },
                bucket,
                _r(
                    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                    "data-sse",
                    {
                        "bucket": "acme-dev-data",
                        "rules": [
                            {
                                "applyServerSideEncryptionByDefault": {
                                    "sseAlgorithm": algorithm,
                                    **({"kmsMasterKeyId": KEY} if algorithm != "AES256" else {}),
                                },
                                "bucketKeyEnabled": True,
                            }
                        ],
                    },
                    aws,
                    {"bucket": [bucket["urn"]]},
                ),
                _r(
                    "aws:s3/bucketPolicy:BucketPolicy",
                    "data-policy",
                    {"bucket": "acme-dev-data", "policy": json.dumps(deny)},
                    aws,
                    {"bucket": [bucket["urn"]]},
                ),
                _r(
                    "aws:ecr/repository:Repository",
                    "repo",
                    {
                        "name": "repo",
                        "tags": TAGS,
                        "imageTagMutability": "IMMUTABLE",
                        "imageScanningConfiguration": {"scanOnPush": True},
                        "encryptionConfigurations": [
                            {
                                "encryptionType": "KMS_DSSE" if algorithm != "AES256" else "AES256",
                                **({"kmsKey": KEY} if algorithm != "AES256" else {}),
                            }
                        ],
                    },
                    aws,
                ),
                _r(
                    "azure-native:storage:StorageAccount",
                    "sa",
                    {
                        "accountName": "acmedevsa",
                        "resourceGroupName": "rg",
                        "location": "westeurope",
                        "tags": TAGS,
                        "enableHttpsTrafficOnly": True,
                        "minimumTlsVersion": tls,
                        "kind": "StorageV2",
                        "sku": {"name": "Standard_ZRS"},
                        "allowBlobPublicAccess": False,
                        "encryption": {
                            "keySource": "Microsoft.Keyvault",
                            "keyVaultProperties": {"keyName": "data", "keyVaultUri": "https://acme-kv.vault.azure.net"},
                        },
                    },
                    az,
                ),
            ],
        },
    }


def _check(tmp_path: Path, doc: dict[str, Any]) -> tuple[int, dict[str, Any], str]:
    from lz.cli import main

    path = tmp_path / "g.json"
    path.write_text(json.dumps(doc))
    out = tmp_path / "out"
    code = main(["check", str(path), "--residency", "eu", "--out", str(out)])
    return code, json.loads((out / "findings.json").read_text()), (out / "report.md").read_text()


@pytest.mark.checkov
def test_dsse_with_a_customer_key_and_tls_1_3_pass_the_gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, doc, report = _check(tmp_path, graph("aws:kms:dsse", "TLS1_3"))
    theirs = {f["policy"]: f for f in doc["findings"] if f["source"] == "checkov"}
    assert theirs["CKV_AWS_145"]["enforcement"] == "advisory" and theirs["CKV_AZURE_44"]["enforcement"] == "advisory"
    assert theirs["CKV_AWS_136"]["enforcement"] == "advisory"  # ECR with KMS_DSSE and a customer key
    assert code == 0, [f for f in doc["findings"] if f["enforcement"] == "mandatory"]
    assert "| `data` | `encryption-s3-bucket-cmk` | passes | CKV_AWS_145 |" in report


@pytest.mark.checkov
def test_aes256_and_tls_1_0_fail_the_gate_through_the_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, doc, _ = _check(tmp_path, graph("AES256", "TLS1_0"))
    ours = {
        (f["policy"], f["urn"].rsplit("::", 1)[-1])
        for f in doc["findings"]
        if f["source"] == "lz" and f["enforcement"] == "mandatory"
    }
    assert code == 1
    assert {
        ("encryption-s3-bucket-cmk", "data"),
        ("encryption-in-transit-tls", "sa"),
        ("encryption-at-rest-cmk", "repo"),
    } <= ours
