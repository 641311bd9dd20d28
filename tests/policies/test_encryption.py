"""The table-driven `encryption-` resource policies: a violating and a compliant resource per type."""

from __future__ import annotations

from typing import Any

import pytest

from lz.policies import encryption

from ._graph import (
    AWS_KEY,
    AZURE_KEY_URI,
    DES_ID,
    GCP_KEY,
    UNKNOWN,
    aws_provider,
    by_policy,
    policy_named,
    resource,
    run,
)

# (type, violating inputs, fragment the message must contain, compliant inputs)
Case = tuple[str, dict[str, Any], str, dict[str, Any]]

AT_REST: list[Case] = [
    ("aws:ebs/volume:Volume", {"encrypted": True}, "kmsKeyId", {"encrypted": True, "kmsKeyId": AWS_KEY}),
    (
        "aws:ec2/instance:Instance",
        {"ami": "ami-1"},
        "rootBlockDevice",
        {"ami": "ami-1", "rootBlockDevice": {"encrypted": True, "kmsKeyId": AWS_KEY}},
    ),
    (
        "aws:rds/instance:Instance",
        {"storageEncrypted": False, "kmsKeyId": AWS_KEY},
        "storageEncrypted",
        {"storageEncrypted": True, "kmsKeyId": AWS_KEY},
    ),
    (
        "aws:rds/cluster:Cluster",
        {"storageEncrypted": True},
        "kmsKeyId",
        {"storageEncrypted": True, "kmsKeyId": AWS_KEY},
    ),
    ("aws:docdb/cluster:Cluster", {}, "storageEncrypted", {"storageEncrypted": True, "kmsKeyId": AWS_KEY}),
    (
        "aws:neptune/cluster:Cluster",
        {"storageEncrypted": True, "kmsKeyArn": "alias/aws/rds"},
        "AWS managed",
        {"storageEncrypted": True, "kmsKeyArn": AWS_KEY},
    ),
    (
        "aws:dynamodb/table:Table",
        {"serverSideEncryption": {"enabled": True}},
        "serverSideEncryption.kmsKeyArn",
        {"serverSideEncryption": {"enabled": True, "kmsKeyArn": AWS_KEY}},
    ),
    ("aws:efs/fileSystem:FileSystem", {"encrypted": False}, "encrypted", {"encrypted": True, "kmsKeyId": AWS_KEY}),
    ("aws:sqs/queue:Queue", {"kmsMasterKeyId": "alias/aws/sqs"}, "AWS managed", {"kmsMasterKeyId": AWS_KEY}),
    ("aws:sns/topic:Topic", {}, "kmsMasterKeyId", {"kmsMasterKeyId": AWS_KEY}),
    ("aws:cloudwatch/logGroup:LogGroup", {"retentionInDays": 365}, "kmsKeyId", {"kmsKeyId": AWS_KEY}),
    (
        "aws:eks/cluster:Cluster",
        {"encryptionConfig": {"resources": ["secrets"], "provider": {}}},
        "encryptionConfig.provider.keyArn",
        {"encryptionConfig": {"resources": ["secrets"], "provider": {"keyArn": AWS_KEY}}},
    ),
    ("aws:cloudtrail/trail:Trail", {"isMultiRegionTrail": True}, "kmsKeyId", {"kmsKeyId": AWS_KEY}),
    ("aws:secretsmanager/secret:Secret", {}, "kmsKeyId", {"kmsKeyId": AWS_KEY}),
    (
        "aws:ecr/repository:Repository",
        {"encryptionConfigurations": [{"encryptionType": "AES256"}]},
        "encryptionConfigurations[0].encryptionType",
        {"encryptionConfigurations": [{"encryptionType": "KMS", "kmsKey": AWS_KEY}]},
    ),
    (
        "aws:elasticache/replicationGroup:ReplicationGroup",
        {"atRestEncryptionEnabled": True},
        "kmsKeyId",
        {"atRestEncryptionEnabled": True, "kmsKeyId": AWS_KEY},
    ),
    (
        "aws:kinesis/stream:Stream",
        {"encryptionType": "KMS", "kmsKeyId": "alias/aws/kinesis"},
        "AWS managed",
        {"encryptionType": "KMS", "kmsKeyId": AWS_KEY},
    ),
    ("aws:backup/vault:Vault", {}, "kmsKeyArn", {"kmsKeyArn": AWS_KEY}),
    (
        "gcp:storage/bucket:Bucket",
        {"location": "EU"},
        "encryption.defaultKmsKeyName",
        {"location": "EU", "encryption": {"defaultKmsKeyName": GCP_KEY}},
    ),
    (
        "gcp:sql/databaseInstance:DatabaseInstance",
        {"region": "europe-west4"},
        "encryptionKeyName",
        {"encryptionKeyName": GCP_KEY},
    ),
    (
        "gcp:bigquery/dataset:Dataset",
        {"location": "EU"},
        "defaultEncryptionConfiguration.kmsKeyName",
        {"defaultEncryptionConfiguration": {"kmsKeyName": GCP_KEY}},
    ),
    (
        "gcp:container/cluster:Cluster",
        {"databaseEncryption": {"state": "DECRYPTED"}},
        "databaseEncryption.state",
        {"databaseEncryption": {"state": "ENCRYPTED", "keyName": GCP_KEY}},
    ),
    (
        "gcp:container/nodePool:NodePool",
        {"nodeConfig": {"machineType": "a2-highgpu-1g"}},
        "nodeConfig.bootDiskKmsKey",
        {"nodeConfig": {"bootDiskKmsKey": GCP_KEY}},
    ),
    (
        "gcp:compute/disk:Disk",
        {"size": 100},
        "diskEncryptionKey.kmsKeySelfLink",
        {"diskEncryptionKey": {"kmsKeySelfLink": GCP_KEY}},
    ),
    (
        "gcp:compute/regionDisk:RegionDisk",
        {},
        "diskEncryptionKey.kmsKeySelfLink",
        {"diskEncryptionKey": {"kmsKeySelfLink": GCP_KEY}},
    ),
    (
        "gcp:compute/instance:Instance",
        {"bootDisk": {"initializeParams": {"size": 50}}},
        "bootDisk.kmsKeySelfLink",
        {"bootDisk": {"kmsKeySelfLink": GCP_KEY}},
    ),
    (
        "gcp:logging/projectBucketConfig:ProjectBucketConfig",
        {"location": "europe-west4"},
        "cmekSettings.kmsKeyName",
        {"cmekSettings": {"kmsKeyName": GCP_KEY}},
    ),
    ("gcp:pubsub/topic:Topic", {}, "kmsKeyName", {"kmsKeyName": GCP_KEY}),
    ("gcp:artifactregistry/repository:Repository", {"format": "DOCKER"}, "kmsKeyName", {"kmsKeyName": GCP_KEY}),
    (
        "gcp:secretmanager/secret:Secret",
        {"replication": {"auto": {}}},
        "replication.auto.customerManagedEncryption.kmsKeyName",
        {
            "replication": {
                "userManaged": {
                    "replicas": [{"location": "europe-west4", "customerManagedEncryption": {"kmsKeyName": GCP_KEY}}]
                }
            }
        },
    ),
    (
        "azure-native:storage:StorageAccount",
        {"encryption": {"keySource": "Microsoft.Storage"}},
        "encryption.keySource",
        {
            "encryption": {
                "keySource": "Microsoft.Keyvault",
                "keyVaultProperties": {"keyName": "data", "keyVaultUri": "https://acme-kv.vault.azure.net/"},
            }
        },
    ),
    (
        "azure-native:compute:Disk",
        {"diskSizeGB": 128},
        "encryption.type",
        {"encryption": {"type": "EncryptionAtRestWithCustomerKey", "diskEncryptionSetId": DES_ID}},
    ),
    (
        "azure-native:containerservice:ManagedCluster",
        {"dnsPrefix": "aks"},
        "diskEncryptionSetID",
        {"diskEncryptionSetID": DES_ID},
    ),
    (
        "azure-native:sql:EncryptionProtector",
        {"serverKeyType": "ServiceManaged"},
        "serverKeyType",
        {"serverKeyType": "AzureKeyVault", "serverKeyName": "acme-kv_data_1"},
    ),
    ("azure-native:sql:TransparentDataEncryption", {"state": "Disabled"}, "state", {"state": "Enabled"}),
    ("azure-native:cosmosdb:DatabaseAccount", {}, "keyVaultKeyUri", {"keyVaultKeyUri": AZURE_KEY_URI}),
    (
        "azure-native:dbforpostgresql:Server",
        {"dataEncryption": {"type": "SystemAssigned"}},
        "dataEncryption.type",
        {"dataEncryption": {"type": "AzureKeyVault", "primaryKeyURI": AZURE_KEY_URI}},
    ),
    (
        "azure-native:dbformysql:Server",
        {"dataEncryption": {"type": "AzureKeyVault"}},
        "dataEncryption.primaryKeyURI",
        {"dataEncryption": {"type": "AzureKeyVault", "primaryKeyURI": AZURE_KEY_URI}},
    ),
]

ROTATION: list[Case] = [
    ("aws:kms/key:Key", {"enableKeyRotation": False}, "enableKeyRotation", {"enableKeyRotation": True}),
    ("gcp:kms/cryptoKey:CryptoKey", {"rotationPeriod": "31536000s"}, "rotationPeriod", {"rotationPeriod": "7776000s"}),
    (
        "azure-native:keyvault:Key",
        {"properties": {"kty": "RSA", "rotationPolicy": {"lifetimeActions": [{"action": {"type": "notify"}}]}}},
        "properties.rotationPolicy.lifetimeActions",
        {
            "properties": {
                "kty": "RSA",
                "rotationPolicy": {
                    "lifetimeActions": [{"action": {"type": "rotate"}, "trigger": {"timeAfterCreate": "P90D"}}]
                },
            }
        },
    ),
]

KEY_STORES: list[Case] = [
    (
        "azure-native:keyvault:Vault",
        {"properties": {"enableSoftDelete": True}},
        "properties.enablePurgeProtection",
        {"properties": {"enablePurgeProtection": True}},
    ),
    (
        "azure-native:keyvault:ManagedHsm",
        {"properties": {"enablePurgeProtection": True, "enableSoftDelete": False}},
        "properties.enableSoftDelete",
        {"properties": {"enablePurgeProtection": True, "enableSoftDelete": True}},
    ),
]

IN_TRANSIT: list[Case] = [
    (
        "azure-native:storage:StorageAccount",
        {"enableHttpsTrafficOnly": False, "minimumTlsVersion": "TLS1_2"},
        "enableHttpsTrafficOnly",
        {"enableHttpsTrafficOnly": True, "minimumTlsVersion": "TLS1_2"},
    ),
    ("azure-native:sql:Server", {"minimalTlsVersion": "1.0"}, "minimalTlsVersion", {"minimalTlsVersion": "1.2"}),
    (
        "azure-native:redis:Redis",
        {"enableNonSslPort": True, "minimumTlsVersion": "1.2"},
        "enableNonSslPort",
        {"enableNonSslPort": False, "minimumTlsVersion": "1.2"},
    ),
    ("azure-native:cosmosdb:DatabaseAccount", {"minimalTlsVersion": "Tls"}, "minimalTlsVersion", {}),
    (
        "gcp:sql/databaseInstance:DatabaseInstance",
        {"settings": {"ipConfiguration": {"sslMode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED"}}},
        "settings.ipConfiguration.sslMode",
        {"settings": {"ipConfiguration": {"sslMode": "ENCRYPTED_ONLY"}}},
    ),
    (
        "aws:elasticache/replicationGroup:ReplicationGroup",
        {"transitEncryptionEnabled": False},
        "transitEncryptionEnabled",
        {"transitEncryptionEnabled": True},
    ),
]

VPN: list[Case] = [
    (
        "aws:ec2/vpnConnection:VpnConnection",
        {"tunnel1IkeVersions": ["ikev2"]},
        "tunnel2IkeVersions",
        {"tunnel1IkeVersions": ["ikev2"], "tunnel2IkeVersions": ["ikev2"]},
    ),
    ("gcp:compute/vPNTunnel:VPNTunnel", {"ikeVersion": 1}, "ikeVersion", {"ikeVersion": 2}),
    (
        "azure-native:network:VirtualNetworkGatewayConnection",
        {"connectionProtocol": "IKEv1"},
        "connectionProtocol",
        {"connectionType": "IPsec"},
    ),
]

TABLES = [
    ("encryption-at-rest-cmk", encryption.AT_REST, AT_REST),
    ("encryption-key-rotation", encryption.ROTATION, ROTATION),
    ("encryption-key-vault-recoverable", encryption.KEY_STORES, KEY_STORES),
    ("encryption-in-transit-tls", encryption.IN_TRANSIT, IN_TRANSIT),
    ("encryption-vpn-ikev2", encryption.VPN, VPN),
]
ALL_CASES = [(name, *case) for name, _, cases in TABLES for case in cases]


@pytest.mark.parametrize(("policy", "table", "cases"), TABLES, ids=[t[0] for t in TABLES])
def test_every_covered_type_has_a_case(policy: str, table: dict[str, Any], cases: list[Case]) -> None:
    assert sorted(table) == sorted(c[0] for c in cases)


@pytest.mark.parametrize(
    ("policy", "type_", "bad", "fragment", "good"), ALL_CASES, ids=[f"{c[0]}:{c[1]}" for c in ALL_CASES]
)
def test_violating_and_compliant(
    policy: str, type_: str, bad: dict[str, Any], fragment: str, good: dict[str, Any]
) -> None:
    p = aws_provider()
    violating = resource(type_, "bad", bad, provider=p)
    compliant = resource(type_, "good", good, provider=p)
    ev = run([p, violating, compliant], [policy_named(policy)])
    messages = by_policy(ev, policy, violating.urn)
    assert messages, f"{policy} did not flag {type_} {bad}"
    assert any(fragment in m for m in messages), messages
    assert by_policy(ev, policy, compliant.urn) == []
    assert all(f.enforcement == "mandatory" for f in ev.findings)


@pytest.mark.parametrize(
    ("policy", "type_", "bad", "fragment", "good"), ALL_CASES, ids=[f"{c[0]}:{c[1]}" for c in ALL_CASES]
)
def test_unknown_values_are_never_violations(
    policy: str, type_: str, bad: dict[str, Any], fragment: str, good: dict[str, Any]
) -> None:
    """Every top-level input of the compliant resource unknown, one at a time: no finding, no crash."""
    for key in good:
        inputs = {**good, key: UNKNOWN}
        ev = run([resource(type_, "later", inputs)], [policy_named(policy)])
        assert ev.findings == [], (key, ev.findings)


def test_unknown_is_recorded_as_undecided() -> None:
    ev = run(
        [resource("aws:sqs/queue:Queue", "q", {"kmsMasterKeyId": UNKNOWN})], [policy_named("encryption-at-rest-cmk")]
    )
    assert ev.findings == []
    assert [u.policy for u in ev.undecided] == ["encryption-at-rest-cmk"]


def test_known_problem_is_reported_next_to_an_unknown() -> None:
    volume = resource("aws:ebs/volume:Volume", "v", {"encrypted": False, "kmsKeyId": UNKNOWN})
    messages = by_policy(run([volume], [policy_named("encryption-at-rest-cmk")]), "encryption-at-rest-cmk")
    assert len(messages) == 1 and "`encrypted` must be true" in messages[0]


@pytest.mark.parametrize(
    "inputs",
    [
        {"customerMasterKeySpec": "RSA_2048", "keyUsage": "SIGN_VERIFY"},
        {"customerMasterKeySpec": "HMAC_256", "keyUsage": "GENERATE_VERIFY_MAC"},
        {"customKeyStoreId": "cks-1234567890abcdef0"},
    ],
)
def test_aws_keys_that_cannot_rotate_are_not_judged(inputs: dict[str, Any]) -> None:
    ev = run([resource("aws:kms/key:Key", "k", inputs)], [policy_named("encryption-key-rotation")])
    assert ev.findings == []


@pytest.mark.parametrize(
    ("inputs", "flagged"),
    [
        ({"purpose": "ASYMMETRIC_SIGN"}, False),
        ({"purpose": "ENCRYPT_DECRYPT"}, True),  # no rotationPeriod
        ({}, True),
        ({"rotationPeriod": "7776001s"}, True),
        ({"rotationPeriod": "90d"}, True),
        ({"importOnly": True}, False),
    ],
)
def test_gcp_key_rotation(inputs: dict[str, Any], flagged: bool) -> None:
    ev = run([resource("gcp:kms/cryptoKey:CryptoKey", "k", inputs)], [policy_named("encryption-key-rotation")])
    assert bool(by_policy(ev, "encryption-key-rotation")) is flagged


def test_rds_read_replica_inherits_encryption() -> None:
    replica = resource("aws:rds/instance:Instance", "replica", {"replicateSourceDb": "primary-db"})
    assert run([replica], [policy_named("encryption-at-rest-cmk")]).findings == []


def test_storage_account_without_minimum_tls_is_tls_1_0() -> None:
    account = resource("azure-native:storage:StorageAccount", "sa", {"enableHttpsTrafficOnly": True})
    messages = by_policy(run([account], [policy_named("encryption-in-transit-tls")]), "encryption-in-transit-tls")
    assert any("minimumTlsVersion" in m and "TLS1_0" in m for m in messages)


def test_aws_vpn_without_ike_versions_allows_ikev1() -> None:
    vpn = resource("aws:ec2/vpnConnection:VpnConnection", "vpn", {})
    messages = by_policy(run([vpn], [policy_named("encryption-vpn-ikev2")]), "encryption-vpn-ikev2")
    assert len(messages) == 2 and all("IKEv1" in m for m in messages)


def test_types_outside_the_tables_are_not_judged() -> None:
    vpc = resource("aws:ec2/vpc:Vpc", "vpc", {"cidrBlock": "10.0.0.0/16"})
    component = resource("lz:keys:AwsRegionKeys", "keys", {})
    policies = list(encryption.POLICIES)
    assert run([vpc, component], policies).findings == []


def test_aws_key_as_alias_of_a_customer_key_is_accepted() -> None:
    queue = resource("aws:sqs/queue:Queue", "q", {"kmsMasterKeyId": "alias/acme-dev-data"})
    assert run([queue], [policy_named("encryption-at-rest-cmk")]).findings == []


def test_legacy_eks_list_of_encryption_configs() -> None:
    good = resource(
        "aws:eks/cluster:Cluster",
        "c",
        {"encryptionConfig": [{"resources": ["secrets"], "provider": {"keyArn": AWS_KEY}}]},
    )
    bad = resource("aws:eks/cluster:Cluster", "d", {"encryptionConfig": [{"resources": ["secrets"], "provider": {}}]})
    ev = run([good, bad], [policy_named("encryption-at-rest-cmk")])
    assert by_policy(ev, "encryption-at-rest-cmk", good.urn) == []
    assert any("encryptionConfig[0].provider.keyArn" in m for m in by_policy(ev, "encryption-at-rest-cmk", bad.urn))
