"""Type normalisation: every token of a resource (API-versioned, renamed, aliased) is judged as one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lz.core.types import canonical_type, is_known, known_tokens
from lz.policies import pack
from lz.review.coverage import not_covered, not_covered_markdown

from ._graph import AWS_KEY, AZURE_KEY_URI, REQUIRED, aws_provider, azure_provider, by_policy, resource, run

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("token", "canonical"),
    [
        ("azure-native:storage/v20230101:StorageAccount", "azure-native:storage:StorageAccount"),
        ("azure-native:storage/v20150501preview:StorageAccount", "azure-native:storage:StorageAccount"),
        ("azure-native:documentdb:DatabaseAccount", "azure-native:cosmosdb:DatabaseAccount"),
        ("azure-native:documentdb/v20230415:DatabaseAccount", "azure-native:cosmosdb:DatabaseAccount"),
        ("azure-native:cosmosdb/v20240515:DatabaseAccount", "azure-native:cosmosdb:DatabaseAccount"),
        ("aws:s3/bucketV2:BucketV2", "aws:s3/bucket:Bucket"),
        ("aws:elasticloadbalancingv2/loadBalancer:LoadBalancer", "aws:lb/loadBalancer:LoadBalancer"),
        ("gcp:serviceAccount/account:Account", "gcp:serviceaccount/account:Account"),
        ("gcp:bigquery/appProfile:AppProfile", "gcp:bigtable/appProfile:AppProfile"),
        ("aws:s3/bucket:Bucket", "aws:s3/bucket:Bucket"),
    ],
)
def test_every_token_of_a_type_has_one_canonical_token(token: str, canonical: str) -> None:
    assert canonical_type(token) == canonical
    assert is_known(token)


@pytest.mark.parametrize(
    "token",
    [
        "random:index/randomPet:RandomPet",
        "aws:nosuch/thing:Thing",
        "azure-native:storage/v20230101:NoSuchThing",
        "pulumi:pulumi:Stack",
        "",
    ],
)
def test_unknown_tokens_come_back_unchanged_and_unknown(token: str) -> None:
    assert canonical_type(token) == token
    assert not is_known(token)


def test_the_table_knows_every_class_of_the_three_sdks() -> None:
    for package, at_least in (("aws", 1500), ("gcp", 1000), ("azure-native", 2000)):
        assert len(known_tokens(package)) > at_least


def test_the_table_is_generated_from_the_installed_sdks_and_up_to_date() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tools.gen_type_aliases", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_policy_of_the_pack_sees_canonical_types() -> None:
    assert all(getattr(p, "_lz_canonical", False) for p in pack.POLICIES)


# --- the same resource under another token escapes nothing ------------------------------------


def _azure_account(type_: str, name: str, compliant: bool) -> list:
    inputs = (
        {
            "location": "westeurope",
            "tags": REQUIRED,
            "enableHttpsTrafficOnly": True,
            "minimumTlsVersion": "TLS1_2",
            "encryption": {
                "keySource": "Microsoft.Keyvault",
                "keyVaultProperties": {"keyName": "data", "keyVaultUri": AZURE_KEY_URI},
            },
        }
        if compliant
        else {"location": "eastus", "minimumTlsVersion": "TLS1_0"}
    )
    return [resource(type_, name, inputs, provider=azure_provider())]


@pytest.mark.parametrize(
    "token", ["azure-native:storage/v20230101:StorageAccount", "azure-native:storage:StorageAccount"]
)
def test_a_versioned_azure_storage_account_is_judged_like_the_unversioned_one(token: str) -> None:
    bad = run([azure_provider(), *_azure_account(token, "bad", False)])
    policies = {f.policy for f in bad.findings}
    assert {
        "encryption-at-rest-cmk",
        "encryption-in-transit-tls",
        "tags-required",
        "residency-allowed-jurisdiction",
    } <= policies
    assert all(f.type == token for f in bad.findings)  # findings name the token the program wrote
    good = run([azure_provider(), *_azure_account(token, "good", True)])
    assert not [f for f in good.findings if f.policy.startswith(("encryption-", "tags-", "residency-"))]


@pytest.mark.parametrize(
    "token", ["azure-native:documentdb:DatabaseAccount", "azure-native:documentdb/v20230415:DatabaseAccount"]
)
def test_a_documentdb_account_is_judged_as_cosmos_db(token: str) -> None:
    bad = run(
        [
            azure_provider(),
            resource(
                token,
                "docs",
                {"location": "eastus", "minimalTlsVersion": "Tls", "locations": [{"locationName": "eastus"}]},
                provider=azure_provider(),
            ),
        ]
    )
    assert by_policy(bad, "encryption-at-rest-cmk") and by_policy(bad, "encryption-in-transit-tls")
    assert by_policy(bad, "residency-allowed-jurisdiction") and by_policy(bad, "tags-required")
    good = run(
        [
            azure_provider(),
            resource(
                token,
                "docs",
                {
                    "location": "westeurope",
                    "keyVaultKeyUri": AZURE_KEY_URI,
                    "minimalTlsVersion": "Tls12",
                    "tags": REQUIRED,
                    "locations": [{"locationName": "northeurope"}],
                },
                provider=azure_provider(),
            ),
        ]
    )
    assert not [f for f in good.findings if f.policy.startswith(("encryption-", "tags-", "residency-"))]


def test_an_aliased_aws_type_is_judged_like_its_canonical_type() -> None:
    lb = "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer"
    bad = run([aws_provider("us-east-1"), resource(lb, "web", {}, provider=aws_provider("us-east-1"))])
    assert by_policy(bad, "tags-required") and by_policy(bad, "residency-allowed-jurisdiction")
    good = run([aws_provider(), resource(lb, "web", {"tags": REQUIRED}, provider=aws_provider())])
    assert not by_policy(good, "tags-required") and not by_policy(good, "residency-allowed-jurisdiction")
    assert AWS_KEY  # keys are not involved: load balancers hold no data at rest


# --- what the pack does not cover is listed, never skipped --------------------------------------


def test_unknown_types_are_counted_and_listed_as_not_covered() -> None:
    rs = [
        resource("random:index/randomPet:RandomPet", "a"),
        resource("random:index/randomPet:RandomPet", "b"),
        resource("aws:nosuch/thing:Thing", "c"),
        resource("aws:s3/bucketV2:BucketV2", "d"),
    ]
    listed = not_covered(rs)
    assert [(m["type"], m["count"]) for m in listed] == [
        ("aws:nosuch/thing:Thing", 1),
        ("random:index/randomPet:RandomPet", 2),
    ]
    text = not_covered_markdown(rs)
    assert "## Not covered" in text and "3 resource(s) of 2 type(s) are not covered" in text
    assert "`aws:s3/bucketV2:BucketV2` | `aws:s3/bucket:Bucket`" in text
    assert not_covered_markdown([resource("aws:s3/bucket:Bucket", "e")]) == ""


def test_lz_check_writes_not_covered_to_the_report_and_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lz.cli import main

    monkeypatch.chdir(ROOT)
    graph = {
        "version": 3,
        "deployment": {
            "manifest": {},
            "resources": [
                {
                    "urn": "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev",
                    "type": "pulumi:pulumi:Stack",
                    "custom": False,
                },
                {
                    "urn": "urn:pulumi:dev::p::random:index/randomPet:RandomPet::pet",
                    "type": "random:index/randomPet:RandomPet",
                    "custom": True,
                    "inputs": {},
                },
            ],
        },
    }
    path = tmp_path / "g.json"
    path.write_text(json.dumps(graph))
    out = tmp_path / "out"
    assert main(["check", str(path), "--out", str(out), "--no-checkov"]) == 0
    assert "random:index/randomPet:RandomPet" in (out / "report.md").read_text()
    doc = json.loads((out / "findings.json").read_text())
    assert doc["summary"]["not_covered"] == [
        {"type": "random:index/randomPet:RandomPet", "count": 1, "reason": "package `random` is not judged by the pack"}
    ]


def test_checkov_bridges_receive_canonical_types() -> None:
    from lz.core.types import canonical_resources
    from lz.review.bridge.arm import to_arm

    same = resource("azure-native:storage:StorageAccount", "a", {"location": "westeurope"})
    versioned = resource("azure-native:storage/v20230101:StorageAccount", "b", {"location": "westeurope"})
    out = canonical_resources([same, versioned])
    assert out[0] is same and out[1].type == "azure-native:storage:StorageAccount" and out[1].urn == versioned.urn
    arm, urns = to_arm(out)
    assert versioned.urn in urns.values()  # checkov sees the versioned account as a storage account
    assert any(r["type"] == "Microsoft.Storage/storageAccounts" for r in arm["resources"])
