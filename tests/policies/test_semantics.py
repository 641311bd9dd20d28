"""Exact semantics of the documents the pack reads: a bucket policy applies to the bucket it is attached
to, a TLS deny counts only when it is unconditional but for aws:SecureTransport, launch templates and
instances encrypt the root volume, an Azure SQL server's TDE protector is a Key Vault key."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ._graph import AWS_KEY, AZURE_KEY_URI, aws_provider, azure_provider, by_policy, policy_named, resource, run

TLS = "encryption-s3-tls-only"
BUCKET = "aws:s3/bucket:Bucket"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"


def statement(bucket: str, **change: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    base.update(change)
    return {k: v for k, v in base.items() if v is not None}


def tls_run(stmt: dict[str, Any], *, link: bool = True, ref: str = "acme-dev-data") -> list[str]:
    p = aws_provider()
    b = resource(BUCKET, "data", {"bucket": "acme-dev-data"}, provider=p)
    pol = resource(
        POLICY,
        "data-policy",
        {"bucket": ref, "policy": json.dumps({"Statement": [stmt]})},
        provider=p,
        property_dependencies={"bucket": [b.urn]} if link else None,
    )
    return by_policy(run([p, b, pol], [policy_named(TLS)]), TLS, b.urn)


def test_the_exact_tls_deny_is_compliant() -> None:
    assert tls_run(statement("acme-dev-data")) == []
    assert tls_run(statement("acme-dev-data", Principal={"AWS": "*"}, Action=["s3:*"])) == []


@pytest.mark.parametrize(
    "change",
    [
        {"Condition": {"Bool": {"aws:SecureTransport": "false"}, "StringNotEquals": {"aws:SourceVpce": "vpce-1"}}},
        {"Condition": {"Bool": {"aws:SecureTransport": "false", "aws:ViaAWSService": "false"}}},
        {"Resource": ["arn:aws:s3:::acme-dev-data", "arn:aws:s3:::acme-dev-data/logs/*"]},
        {"Resource": ["arn:aws:s3:::other-bucket", "arn:aws:s3:::other-bucket/*"]},
        {"Principal": {"AWS": "arn:aws:iam::111111111111:root"}},
        {"Principal": {"AWS": "*", "Service": "s3.amazonaws.com"}},
        {"Action": "s3:GetObject"},
        {"NotPrincipal": {"AWS": "arn:aws:iam::111111111111:role/admin"}},
        {"Condition": None},
    ],
)
def test_a_narrowed_deny_does_not_count(change: dict[str, Any]) -> None:
    assert tls_run(statement("acme-dev-data", **change))


def test_a_policy_is_credited_by_reference_not_by_logical_name() -> None:
    # `bucket: "data"` is the bucket's logical (Pulumi) name, not its physical name: it names another bucket
    assert tls_run(statement("data"), link=False, ref="data")
    # the same document attached by reference, naming the physical bucket, is credited
    assert tls_run(statement("acme-dev-data"), link=True, ref="acme-dev-data") == []
    # a literal equal to the physical name is the same bucket to S3
    assert tls_run(statement("acme-dev-data"), link=False, ref="acme-dev-data") == []


# --- root volumes -----------------------------------------------------------------------------

LT = "aws:ec2/launchTemplate:LaunchTemplate"
NODE_DISKS = "encryption-cluster-node-disks-cmk"
AT_REST = "encryption-at-rest-cmk"


def ebs(device: str) -> dict[str, Any]:
    return {"deviceName": device, "ebs": {"encrypted": "true", "kmsKeyId": AWS_KEY, "volumeSize": 100}}


@pytest.mark.parametrize(
    ("mappings", "flagged"),
    [
        ([ebs("/dev/xvdb")], True),  # only a data volume: the root keeps the AMI's encryption
        ([ebs("/dev/xvda")], False),
        ([ebs("/dev/sda1"), ebs("/dev/sdf")], False),
    ],
)
def test_launch_template_must_map_the_root_device(mappings: list[dict[str, Any]], flagged: bool) -> None:
    p = aws_provider()
    ev = run([p, resource(LT, "lt", {"blockDeviceMappings": mappings}, provider=p)])
    assert bool(by_policy(ev, NODE_DISKS)) is flagged, by_policy(ev, NODE_DISKS)


@pytest.mark.parametrize(
    ("inputs", "flagged"),
    [
        ({"ami": "ami-1", "instanceType": "t3.micro"}, True),
        ({"ami": "ami-1", "rootBlockDevice": {"encrypted": True}}, True),  # no customer-managed key
        (
            {
                "ami": "ami-1",
                "rootBlockDevice": {"encrypted": True, "kmsKeyId": AWS_KEY},
                "ebsBlockDevices": [{"deviceName": "/dev/sdf", "encrypted": False}],
            },
            True,
        ),
        ({"ami": "ami-1", "rootBlockDevice": {"encrypted": True, "kmsKeyId": AWS_KEY}}, False),
        ({"launchTemplate": {"id": "lt-1"}}, False),  # judged on its launch template
    ],
)
def test_instance_root_and_data_volumes(inputs: dict[str, Any], flagged: bool) -> None:
    p = aws_provider()
    ev = run([p, resource("aws:ec2/instance:Instance", "vm", inputs, provider=p)])
    assert bool(by_policy(ev, AT_REST)) is flagged, by_policy(ev, AT_REST)


# --- Azure SQL TDE ----------------------------------------------------------------------------

TDE = "encryption-azure-sql-tde-cmk"
SQL = "azure-native:sql:Server"
PROTECTOR = "azure-native:sql:EncryptionProtector"


def sql_run(*, key_id: str | None = None, protector: str | None = None, link: bool = True) -> list[str]:
    p = azure_provider()
    server = resource(
        SQL,
        "db",
        {
            "serverName": "acme-dev-sql",
            "resourceGroupName": "rg",
            "location": "westeurope",
            **({"keyId": key_id} if key_id else {}),
        },
        provider=p,
    )
    rs = [p, server]
    if protector:
        rs.append(
            resource(
                PROTECTOR,
                "tde",
                {
                    "serverName": "acme-dev-sql" if not link else "x",
                    "resourceGroupName": "rg",
                    "serverKeyType": protector,
                    "encryptionProtectorName": "current",
                },
                provider=p,
                property_dependencies={"serverName": [server.urn]} if link else None,
            )
        )
    return by_policy(run(rs, [policy_named(TDE)]), TDE, server.urn)


def test_sql_server_without_a_protector_uses_a_service_managed_key() -> None:
    messages = sql_run()
    assert len(messages) == 1 and "service-managed" in messages[0]


def test_sql_server_with_a_service_managed_protector_is_flagged() -> None:
    assert any("serverKeyType" in m for m in sql_run(protector="ServiceManaged"))


@pytest.mark.parametrize("link", [True, False])
def test_sql_server_with_a_key_vault_protector_is_compliant(link: bool) -> None:
    assert sql_run(protector="AzureKeyVault", link=link) == []


def test_sql_server_with_a_key_id_is_compliant() -> None:
    assert sql_run(key_id=f"{AZURE_KEY_URI}/0123456789abcdef") == []


# --- key inputs the SDK declares, beyond the table --------------------------------------------


@pytest.mark.parametrize(
    ("type_", "bad", "good"),
    [
        ("aws:redshift/cluster:Cluster", {"encrypted": True}, {"encrypted": True, "kmsKeyId": AWS_KEY}),
        ("aws:sagemaker/notebookInstance:NotebookInstance", {"kmsKeyId": "alias/aws/sagemaker"}, {"kmsKeyId": AWS_KEY}),
        (
            "gcp:spanner/database:Database",
            {"instance": "i"},
            {"instance": "i", "encryptionConfig": {"kmsKeyName": "projects/p/locations/eur3/keyRings/r/cryptoKeys/k"}},
        ),
        (
            "gcp:filestore/instance:Instance",
            {"location": "europe-west4-a"},
            {"location": "europe-west4-a", "kmsKeyName": "projects/p/locations/europe-west4/keyRings/r/cryptoKeys/k"},
        ),
    ],
)
def test_key_inputs_the_sdk_declares_are_judged(type_: str, bad: dict[str, Any], good: dict[str, Any]) -> None:
    from ._graph import gcp_provider

    p = aws_provider() if type_.startswith("aws:") else gcp_provider()
    assert by_policy(run([p, resource(type_, "r", bad, provider=p)]), AT_REST)
    assert not by_policy(run([p, resource(type_, "r", good, provider=p)]), AT_REST)


def test_an_object_is_covered_by_its_bucket() -> None:
    p = aws_provider()
    assert not by_policy(
        run([p, resource("aws:s3/bucketObjectv2:BucketObjectv2", "o", {"bucket": "b"}, provider=p)]), AT_REST
    )
