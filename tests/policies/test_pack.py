"""The pack as a whole: names, metadata, config schemas, and `policies/__main__.py`."""

from __future__ import annotations

import re
import runpy
from pathlib import Path
from typing import Any

import pulumi_policy
import pytest
from pulumi_policy import EnforcementLevel, Severity

from lz.policies.pack import PACK_NAME, POLICIES

from ._graph import AWS_KEY, GCP_KEY, REQUIRED, aws_provider, azure_provider, gcp_provider, resource, run

MANDATORY_FAMILIES = ("encryption-", "tags-", "residency-", "deploy-")
KNOWN_FAMILIES = (*MANDATORY_FAMILIES, "iam-", "network-", "data-protection-")


def test_names_are_unique_kebab_case_and_prefixed_by_family() -> None:
    names = [p.name for p in POLICIES]
    assert len(names) == len(set(names))
    for name in names:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", name), name
        assert name.startswith(KNOWN_FAMILIES), name
    for family in MANDATORY_FAMILIES:
        assert any(n.startswith(family) for n in names), family


@pytest.mark.parametrize("policy", POLICIES, ids=[p.name for p in POLICIES])
def test_every_policy_documents_itself(policy: Any) -> None:
    assert policy.description and len(policy.description) > 20
    assert isinstance(policy.severity, Severity)
    assert policy.remediation_steps and len(policy.remediation_steps) > 40
    if policy.name.startswith(MANDATORY_FAMILIES):
        assert policy.enforcement_level == EnforcementLevel.MANDATORY


def test_config_schemas() -> None:
    by_name = {p.name: p for p in POLICIES}
    for name, policy in by_name.items():
        props = policy.config_schema.properties if policy.config_schema else {}
        if name.startswith("residency-"):
            assert props["allowedJurisdictions"]["type"] == "array"
            assert "default" not in props["allowedJurisdictions"]
        if name == "tags-required":
            assert props["requiredTags"]["default"] == list(REQUIRED)


def test_main_builds_the_pack_from_policies(monkeypatch: pytest.MonkeyPatch) -> None:
    built: dict[str, Any] = {}

    class FakePack:
        def __init__(self, **kwargs: Any) -> None:
            built.update(kwargs)

    monkeypatch.setattr(pulumi_policy, "PolicyPack", FakePack)
    main = Path(__file__).resolve().parents[2] / "policies" / "__main__.py"
    runpy.run_path(str(main), run_name="__main__")
    assert built["name"] == PACK_NAME
    assert built["policies"] == POLICIES
    assert built["enforcement_level"] == EnforcementLevel.MANDATORY


def test_a_compliant_multicloud_stack_has_no_findings() -> None:
    """Every policy at once over resources built the way the landing zone builds them."""
    aws, gcp, azure = aws_provider("eu-west-1"), gcp_provider("europe-west4"), azure_provider("westeurope")
    bucket = resource("aws:s3/bucket:Bucket", "audit", {"bucket": "acme-dev-audit", "tags": REQUIRED}, provider=aws)
    policy_doc = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*",'
        '"Resource":["arn:aws:s3:::acme-dev-audit","arn:aws:s3:::acme-dev-audit/*"],'
        '"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}'
    )
    rg = resource(
        "azure-native:resources:ResourceGroup",
        "rg",
        {"resourceGroupName": "acme-dev-weu", "location": "westeurope", "tags": REQUIRED},
        provider=azure,
    )
    resources = [
        aws,
        gcp,
        azure,
        bucket,
        rg,
        resource("aws:kms/key:Key", "key", {"enableKeyRotation": True, "tags": REQUIRED}, provider=aws),
        resource(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "sse",
            {
                "bucket": "acme-dev-audit",
                "rules": [
                    {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": AWS_KEY}}
                ],
            },
            provider=aws,
            property_dependencies={"bucket": [bucket.urn]},
        ),
        resource(
            "aws:s3/bucketPolicy:BucketPolicy",
            "tls",
            {"bucket": "acme-dev-audit", "policy": policy_doc},
            provider=aws,
            property_dependencies={"bucket": [bucket.urn]},
        ),
        resource("aws:iam/role:Role", "role", {"assumeRolePolicy": "{}", "tags": REQUIRED}, provider=aws),
        resource("gcp:kms/keyRing:KeyRing", "ring", {"location": "europe-west4", "name": "acme"}, provider=gcp),
        resource(
            "gcp:kms/cryptoKey:CryptoKey",
            "ck",
            {
                "keyRing": "projects/acme/locations/europe-west4/keyRings/acme",
                "rotationPeriod": "7776000s",
                "labels": REQUIRED,
            },
            provider=gcp,
        ),
        resource(
            "gcp:storage/bucket:Bucket",
            "logs",
            {"location": "EU", "labels": REQUIRED, "encryption": {"defaultKmsKeyName": GCP_KEY}},
            provider=gcp,
        ),
        resource(
            "azure-native:keyvault:Vault",
            "kv",
            {
                "location": "westeurope",
                "tags": REQUIRED,
                "properties": {"enablePurgeProtection": True, "enableSoftDelete": True},
            },
            provider=azure,
        ),
        resource(
            "azure-native:storage:StorageAccount",
            "sa",
            {
                "resourceGroupName": "acme-dev-weu",
                "tags": REQUIRED,
                "enableHttpsTrafficOnly": True,
                "minimumTlsVersion": "TLS1_2",
                "encryption": {
                    "keySource": "Microsoft.Keyvault",
                    "keyVaultProperties": {"keyName": "data", "keyVaultUri": "https://acme-kv.vault.azure.net/"},
                },
            },
            provider=azure,
            property_dependencies={"resourceGroupName": [rg.urn]},
        ),
    ]
    # the project's APIs are enabled by another program here (deploy-api-enabled-first's config)
    ev = run(resources, apisEnabledOutside=["cloudkms.googleapis.com", "storage.googleapis.com"])
    assert ev.findings == [], [(f.policy, f.urn, f.message) for f in ev.findings]
    assert ev.undecided == []
