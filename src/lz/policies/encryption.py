"""The `encryption-` family: customer-managed keys at rest, key rotation, encryption in transit.

Each resource policy is a table from type token to a check over the resource's inputs (camelCase
wire names); a check returns problems that name the property to change. S3 is different: since
pulumi-aws v4 a bucket's encryption and policy live in their own resources, so two stack policies
join each bucket to its `BucketServerSideEncryptionConfiguration` and `BucketPolicy` through the
companion's `bucket` input (its property dependency, else its value).

What it deliberately does not do: judge key policies or IAM (that is `iam-`), public access or
deletion protection (`data-protection-`, `network-`), or settings that live outside the resource
(RDS `rds.force_ssl` parameter groups, org policies). A type missing from a table is not judged at
all; the tables list what the landing zone emits and the data stores commonly added next to it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from lz.core.taggable import key_inputs

from ._support import (
    Check,
    Outcome,
    Props,
    all_of,
    attach,
    get,
    is_set,
    is_true,
    items,
    maybe_json,
    plain,
    require_not_false,
    require_one_of,
    require_set,
    require_true,
    show,
    table_policy,
    unless,
)

# --- key references ----------------------------------------------------------------------------

_AWS_MANAGED_ALIAS = re.compile(r"(^|:)alias/aws/")


def aws_cmk(path: str) -> Check:
    """A KMS key the customer manages: set, and not an AWS managed key (`alias/aws/<service>`)."""

    def check(props: Props) -> list[str]:
        value = get(props, path)
        if not is_set(value):
            return [f"`{path}` is not set: set it to the ARN of a customer-managed KMS key (aws.kms.Key)"]
        if isinstance(value, str) and _AWS_MANAGED_ALIAS.search(value):
            return [f"`{path}` is the AWS managed key {value!r}: use a customer-managed KMS key instead"]
        return []

    return check


def gcp_cmek(path: str) -> Check:
    return require_set(path, "a Cloud KMS crypto key (projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>)")


def any_set(paths: tuple[str, ...], what: str) -> Check:
    """One of several spellings of the same input is set (SDKs differ in the case of `ID`/`URI`)."""

    def check(props: Props) -> list[str]:
        if any(is_set(get(props, p)) for p in paths):
            return []
        return [f"`{paths[0]}` is not set: set it to {what}"]

    return check


def _eks_secrets(props: Props) -> list[str]:
    config = get(props, "encryptionConfig")
    # pulumi-aws v5 took a list of encryption configs; v6+ takes one object.
    paths = (
        [f"encryptionConfig[{i}]" for i in range(len(config))]
        if isinstance(config, Sequence) and not isinstance(config, str)
        else ["encryptionConfig"]
    )
    for path in paths:
        if "secrets" in [str(r) for r in items(get(props, f"{path}.resources"))]:
            return aws_cmk(f"{path}.provider.keyArn")(props)
    return [
        "`encryptionConfig` does not encrypt Kubernetes secrets: set `encryptionConfig.resources` to "
        '["secrets"] and `encryptionConfig.provider.keyArn` to a customer-managed KMS key'
    ]


def _ecr(props: Props) -> list[str]:
    return all_of(
        require_one_of("encryptionConfigurations[0].encryptionType", ["KMS", "KMS_DSSE"], default="AES256"),
        aws_cmk("encryptionConfigurations[0].kmsKey"),
    )(props)


def _gcp_secret(props: Props) -> list[str]:
    auto = get(props, "replication.auto")
    if auto is not None:
        return gcp_cmek("replication.auto.customerManagedEncryption.kmsKeyName")(props)
    replicas = items(get(props, "replication.userManaged.replicas"))
    missing = [str(get(r, "location")) for r in replicas if not is_set(get(r, "customerManagedEncryption.kmsKeyName"))]
    if missing or not replicas:
        return [
            "`replication.userManaged.replicas[].customerManagedEncryption.kmsKeyName` is not set for "
            f"{', '.join(missing) or 'any replica'}: give every replica a Cloud KMS key in its location"
        ]
    return []


def _gcp_instance_boot(props: Props) -> list[str]:
    if is_set(get(props, "bootDisk.source")):
        return []  # an existing disk attached as boot disk carries its own encryption (checked on the Disk)
    return gcp_cmek("bootDisk.kmsKeySelfLink")(props)


def _ec2_instance(props: Props) -> list[str]:
    """The root volume and every EBS volume of an instance under a customer-managed key; an instance
    from a launch template without its own `rootBlockDevice` is judged on the template."""
    problems: list[str] = []
    root = get(props, "rootBlockDevice")
    if root is None and not is_set(get(props, "launchTemplate")):
        problems.append(
            "`rootBlockDevice` is not set: the root volume keeps the AMI's encryption; set "
            "`rootBlockDevice: {encrypted: true, kmsKeyId: <customer-managed key>}`"
        )
    elif root is not None:
        problems.extend(all_of(require_true("rootBlockDevice.encrypted"), aws_cmk("rootBlockDevice.kmsKeyId"))(props))
    for i in range(len(items(get(props, "ebsBlockDevices")))):
        problems.extend(
            all_of(require_true(f"ebsBlockDevices[{i}].encrypted"), aws_cmk(f"ebsBlockDevices[{i}].kmsKeyId"))(props)
        )
    return problems


_AZURE_CMK_DISK_TYPES = ["EncryptionAtRestWithCustomerKey", "EncryptionAtRestWithPlatformAndCustomerKeys"]
_KEY_VAULT_URI = "the key's Key Vault URI (https://<vault>.vault.azure.net/keys/<key>)"

AT_REST: dict[str, Check] = {
    # AWS: KMS customer-managed keys.
    "aws:ebs/volume:Volume": all_of(require_true("encrypted"), aws_cmk("kmsKeyId")),
    "aws:ec2/instance:Instance": _ec2_instance,
    # A read replica inherits its source's encryption; Aurora instances inherit the cluster's.
    "aws:rds/instance:Instance": unless(
        lambda p: is_set(get(p, "replicateSourceDb")), all_of(require_true("storageEncrypted"), aws_cmk("kmsKeyId"))
    ),
    "aws:rds/cluster:Cluster": all_of(require_true("storageEncrypted"), aws_cmk("kmsKeyId")),
    "aws:docdb/cluster:Cluster": all_of(require_true("storageEncrypted"), aws_cmk("kmsKeyId")),
    "aws:neptune/cluster:Cluster": all_of(require_true("storageEncrypted"), aws_cmk("kmsKeyArn")),
    "aws:dynamodb/table:Table": all_of(
        require_true("serverSideEncryption.enabled"), aws_cmk("serverSideEncryption.kmsKeyArn")
    ),
    "aws:efs/fileSystem:FileSystem": all_of(require_true("encrypted"), aws_cmk("kmsKeyId")),
    "aws:sqs/queue:Queue": aws_cmk("kmsMasterKeyId"),
    "aws:sns/topic:Topic": aws_cmk("kmsMasterKeyId"),
    "aws:cloudwatch/logGroup:LogGroup": aws_cmk("kmsKeyId"),
    "aws:eks/cluster:Cluster": _eks_secrets,
    "aws:cloudtrail/trail:Trail": aws_cmk("kmsKeyId"),
    "aws:secretsmanager/secret:Secret": aws_cmk("kmsKeyId"),
    "aws:ecr/repository:Repository": _ecr,
    "aws:elasticache/replicationGroup:ReplicationGroup": all_of(
        require_true("atRestEncryptionEnabled"), aws_cmk("kmsKeyId")
    ),
    "aws:kinesis/stream:Stream": all_of(require_one_of("encryptionType", ["KMS"], default="NONE"), aws_cmk("kmsKeyId")),
    "aws:backup/vault:Vault": aws_cmk("kmsKeyArn"),
    # GCP: Cloud KMS CMEK.
    "gcp:storage/bucket:Bucket": gcp_cmek("encryption.defaultKmsKeyName"),
    "gcp:sql/databaseInstance:DatabaseInstance": gcp_cmek("encryptionKeyName"),
    "gcp:bigquery/dataset:Dataset": gcp_cmek("defaultEncryptionConfiguration.kmsKeyName"),
    "gcp:container/cluster:Cluster": all_of(
        require_one_of("databaseEncryption.state", ["ENCRYPTED"], fold_case=False),
        gcp_cmek("databaseEncryption.keyName"),
    ),
    "gcp:container/nodePool:NodePool": gcp_cmek("nodeConfig.bootDiskKmsKey"),
    "gcp:compute/disk:Disk": gcp_cmek("diskEncryptionKey.kmsKeySelfLink"),
    "gcp:compute/regionDisk:RegionDisk": gcp_cmek("diskEncryptionKey.kmsKeySelfLink"),
    "gcp:compute/instance:Instance": _gcp_instance_boot,
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": gcp_cmek("cmekSettings.kmsKeyName"),
    "gcp:pubsub/topic:Topic": gcp_cmek("kmsKeyName"),
    "gcp:artifactregistry/repository:Repository": gcp_cmek("kmsKeyName"),
    "gcp:secretmanager/secret:Secret": _gcp_secret,
    # Azure: Key Vault keys (directly, or through a disk encryption set).
    "azure-native:storage:StorageAccount": all_of(
        require_one_of("encryption.keySource", ["Microsoft.Keyvault"], default="Microsoft.Storage"),
        require_set("encryption.keyVaultProperties.keyName", "the name of a Key Vault key"),
        require_set("encryption.keyVaultProperties.keyVaultUri", "the Key Vault's URI"),
    ),
    "azure-native:compute:Disk": all_of(
        require_one_of("encryption.type", _AZURE_CMK_DISK_TYPES, default="EncryptionAtRestWithPlatformKey"),
        require_set("encryption.diskEncryptionSetId", "the id of a disk encryption set backed by a Key Vault key"),
    ),
    "azure-native:containerservice:ManagedCluster": any_set(
        ("diskEncryptionSetID", "diskEncryptionSetId"), "the id of a disk encryption set backed by a Key Vault key"
    ),
    "azure-native:sql:EncryptionProtector": require_one_of("serverKeyType", ["AzureKeyVault"]),
    "azure-native:sql:TransparentDataEncryption": require_one_of("state", ["Enabled"]),
    "azure-native:cosmosdb:DatabaseAccount": require_set("keyVaultKeyUri", _KEY_VAULT_URI),
    "azure-native:dbforpostgresql:Server": all_of(
        require_one_of("dataEncryption.type", ["AzureKeyVault"]),
        any_set(("dataEncryption.primaryKeyURI", "dataEncryption.primaryKeyUri"), _KEY_VAULT_URI),
    ),
    "azure-native:dbformysql:Server": all_of(
        require_one_of("dataEncryption.type", ["AzureKeyVault"]),
        any_set(("dataEncryption.primaryKeyURI", "dataEncryption.primaryKeyUri"), _KEY_VAULT_URI),
    ),
}


# Types whose key input does not encrypt data of their own: an object is covered by its bucket's
# default encryption (docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html,
# cloud.google.com/storage/docs/encryption/using-customer-managed-keys#set-default-key, read
# 2026-12-05); an event source mapping's key encrypts only its filter criteria.
_KEY_NOT_AT_REST = frozenset(
    {
        "aws:s3/bucketObject:BucketObject",
        "aws:s3/bucketObjectv2:BucketObjectv2",
        "aws:s3/objectCopy:ObjectCopy",
        "gcp:storage/bucketObject:BucketObject",
        "aws:lambda/eventSourceMapping:EventSourceMapping",
    }
)


def derived_at_rest(resource_type: str) -> Check | None:
    """For a type the table above does not name: its key inputs as the SDK class declares them
    (`lz.core.taggable.key_inputs`); one of them must hold a customer-managed key."""
    if resource_type in AT_REST or resource_type in _KEY_NOT_AT_REST:
        return None
    paths = key_inputs(resource_type)
    if not paths:
        return None
    aws = resource_type.startswith("aws:")

    def check(props: Props) -> list[str]:
        chosen = [p for p in paths if is_set(get(props, p))]
        if not chosen:
            return [
                f"`{paths[0]}` is not set, so the data rests under the provider's key: set it to "
                + ("the ARN of a customer-managed KMS key" if aws else "a customer-managed key")
            ]
        return [m for p in chosen for m in (aws_cmk(p)(props) if aws else [])]

    return check


# --- key rotation ----------------------------------------------------------------------------

_MAX_GCP_ROTATION_SECONDS = 90 * 24 * 3600  # 7776000s


def _aws_key_rotation(props: Props) -> list[str]:
    # Only symmetric encryption keys in the default key store can rotate automatically; for the
    # others (asymmetric, HMAC, custom key stores) AWS offers no rotation to turn on.
    spec = get(props, "customerMasterKeySpec") or get(props, "keySpec") or "SYMMETRIC_DEFAULT"
    usage = get(props, "keyUsage") or "ENCRYPT_DECRYPT"
    if spec != "SYMMETRIC_DEFAULT" or usage != "ENCRYPT_DECRYPT" or is_set(get(props, "customKeyStoreId")):
        return []
    return require_true("enableKeyRotation")(props)


def _duration_seconds(value: Any) -> float | None:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)s\s*", str(value))
    return float(match.group(1)) if match else None


def _gcp_key_rotation(props: Props) -> list[str]:
    if (get(props, "purpose") or "ENCRYPT_DECRYPT") != "ENCRYPT_DECRYPT":
        return []  # asymmetric and MAC keys cannot rotate automatically
    if is_true(get(props, "importOnly")):
        return []  # imported key material is rotated by importing a new version
    period = get(props, "rotationPeriod")
    if not is_set(period):
        return ['`rotationPeriod` is not set: set it to at most "7776000s" (90 days)']
    seconds = _duration_seconds(period)
    if seconds is None:
        return [f'`rotationPeriod` {period!r} is not a duration in seconds like "7776000s"']
    if seconds > _MAX_GCP_ROTATION_SECONDS:
        return [f'`rotationPeriod` {period!r} is longer than 90 days: set it to at most "7776000s"']
    return []


def _azure_key_rotation(props: Props) -> list[str]:
    actions = items(get(props, "properties.rotationPolicy.lifetimeActions"))
    if any(str(get(a, "action.type") or "").lower() == "rotate" for a in actions):
        return []
    return [
        '`properties.rotationPolicy.lifetimeActions` has no action of type "rotate": add one with a '
        'trigger such as `timeAfterCreate: "P90D"`'
    ]


ROTATION: dict[str, Check] = {
    "aws:kms/key:Key": _aws_key_rotation,
    "gcp:kms/cryptoKey:CryptoKey": _gcp_key_rotation,
    "azure-native:keyvault:Key": _azure_key_rotation,
}

KEY_STORES: dict[str, Check] = {
    "azure-native:keyvault:Vault": all_of(
        require_true("properties.enablePurgeProtection"), require_not_false("properties.enableSoftDelete")
    ),
    "azure-native:keyvault:ManagedHsm": all_of(
        require_true("properties.enablePurgeProtection"), require_not_false("properties.enableSoftDelete")
    ),
}


# --- in transit ------------------------------------------------------------------------------


def _cloud_sql_ssl(props: Props) -> list[str]:
    if is_true(get(props, "settings.ipConfiguration.requireSsl")):
        return []  # the pre-v7 spelling of ENCRYPTED_ONLY
    return require_one_of(
        "settings.ipConfiguration.sslMode", ["ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"], fold_case=False
    )(props)


def _redis_no_plaintext(props: Props) -> list[str]:
    return ["`enableNonSslPort` must be false"] if is_true(get(props, "enableNonSslPort")) else []


IN_TRANSIT: dict[str, Check] = {
    "azure-native:storage:StorageAccount": all_of(
        require_not_false("enableHttpsTrafficOnly"),
        # The API documents TLS 1.0 as the interpretation of an absent value.
        require_one_of("minimumTlsVersion", ["TLS1_2", "TLS1_3"], default="TLS1_0"),
    ),
    "azure-native:sql:Server": require_one_of("minimalTlsVersion", ["1.2", "1.3"]),
    "azure-native:redis:Redis": all_of(_redis_no_plaintext, require_one_of("minimumTlsVersion", ["1.2", "1.3"])),
    "azure-native:cosmosdb:DatabaseAccount": require_one_of("minimalTlsVersion", ["Tls12", "Tls13"], default="Tls12"),
    "gcp:sql/databaseInstance:DatabaseInstance": _cloud_sql_ssl,
    "aws:elasticache/replicationGroup:ReplicationGroup": all_of(
        require_true("transitEncryptionEnabled"),
        require_one_of("transitEncryptionMode", ["required"], default="required"),
    ),
}


def _aws_vpn_ikev2(props: Props) -> list[str]:
    problems = []
    for tunnel in ("tunnel1IkeVersions", "tunnel2IkeVersions"):
        versions = [str(v).lower() for v in items(get(props, tunnel))]
        if versions != ["ikev2"]:
            problems.append(f'`{tunnel}` must be ["ikev2"] (it is {show(versions or None)}, which allows IKEv1)')
    return problems


def _gcp_vpn_ikev2(props: Props) -> list[str]:
    version = get(props, "ikeVersion")
    if version is None or str(version) == "2":
        return []
    return [f"`ikeVersion` must be 2 (it is {version!r})"]


def _azure_vpn_ikev2(props: Props) -> list[str]:
    if str(get(props, "connectionType") or "").lower() == "expressroute":
        return []  # no IPsec tunnel to negotiate
    return require_one_of("connectionProtocol", ["IKEv2"], default="IKEv2")(props)


VPN: dict[str, Check] = {
    "aws:ec2/vpnConnection:VpnConnection": _aws_vpn_ikev2,
    "gcp:compute/vPNTunnel:VPNTunnel": _gcp_vpn_ikev2,
    "azure-native:network:VirtualNetworkGatewayConnection": _azure_vpn_ikev2,
}


# --- table-driven resource policies ----------------------------------------------------------


def _types(table: dict[str, Check]) -> str:
    return ", ".join(sorted(table))


encryption_at_rest_cmk = ResourceValidationPolicy(
    name="encryption-at-rest-cmk",
    description="Data at rest is encrypted with a customer-managed key: an AWS KMS CMK, a GCP Cloud KMS "
    "CMEK or an Azure Key Vault key (directly or through a disk encryption set).",
    validate=table_policy(AT_REST, fallback=derived_at_rest),
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Create (or reuse) the region's customer-managed key and reference it from the property "
    "named in the finding: AWS `kmsKeyId`/`kmsMasterKeyId`/`kmsKeyArn` with the encryption "
    "flag on (never an `alias/aws/...` key); GCP the CMEK field (`encryption.defaultKmsKeyName`,"
    " `encryptionKeyName`, `kmsKeyName`, ...) in the resource's location; Azure "
    "`encryption.keySource: Microsoft.Keyvault` with `keyVaultProperties`, or a disk "
    "encryption set id. Grant the service identity encrypt/decrypt on the key. Types: "
    + _types(AT_REST)
    + "; and every other type whose SDK class takes a key input "
    "(`kmsKeyId`, `kmsKeyName`, `encryptionKeyArn`, `encryptionConfig.kmsKeyName`, ...).",
)

encryption_key_rotation = ResourceValidationPolicy(
    name="encryption-key-rotation",
    description="Customer-managed keys rotate automatically: AWS KMS symmetric keys with rotation on, GCP "
    "crypto keys every 90 days or less, Azure Key Vault keys with a rotate lifetime action.",
    validate=table_policy(ROTATION),
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="AWS: set `enableKeyRotation: true` on aws.kms.Key (optionally `rotationPeriodInDays`). "
    'GCP: set `rotationPeriod: "7776000s"` (or shorter) on gcp.kms.CryptoKey. Azure: give '
    'the key `properties.rotationPolicy.lifetimeActions` an action `{type: "rotate"}` with a '
    'trigger such as `timeAfterCreate: "P90D"`. Asymmetric, HMAC/MAC and imported keys are '
    "not judged. Types: " + _types(ROTATION),
)

encryption_key_vault_recoverable = ResourceValidationPolicy(
    name="encryption-key-vault-recoverable",
    description="Azure Key Vaults and Managed HSMs keep soft delete on and purge protection enabled, so a "
    "deleted key (and the data it encrypts) can be recovered.",
    validate=table_policy(KEY_STORES),
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Set `properties.enablePurgeProtection: true` and leave `properties.enableSoftDelete` "
    "unset or true (purge protection cannot be turned off again once on). Types: " + _types(KEY_STORES),
)

encryption_in_transit_tls = ResourceValidationPolicy(
    name="encryption-in-transit-tls",
    description="Data services accept only encrypted connections with TLS 1.2 or newer.",
    validate=table_policy(IN_TRANSIT),
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps='Azure storage: `enableHttpsTrafficOnly: true`, `minimumTlsVersion: "TLS1_2"`. Azure SQL: '
    '`minimalTlsVersion: "1.2"`. Azure Redis: `minimumTlsVersion: "1.2"`, no non-SSL port. '
    'Cosmos DB: `minimalTlsVersion: "Tls12"`. Cloud SQL: `settings.ipConfiguration.sslMode: '
    "ENCRYPTED_ONLY` (or TRUSTED_CLIENT_CERTIFICATE_REQUIRED). ElastiCache: "
    "`transitEncryptionEnabled: true` in `required` mode. Types: " + _types(IN_TRANSIT),
)

encryption_vpn_ikev2 = ResourceValidationPolicy(
    name="encryption-vpn-ikev2",
    description="Site-to-site VPN tunnels negotiate IKEv2 only.",
    validate=table_policy(VPN),
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps='AWS VpnConnection: `tunnel1IkeVersions` and `tunnel2IkeVersions` = ["ikev2"]. GCP '
    "VPNTunnel: `ikeVersion: 2` (the default). Azure VirtualNetworkGatewayConnection: "
    '`connectionProtocol: "IKEv2"` (the default). Types: ' + _types(VPN),
)


# --- S3: a bucket and its companion resources ------------------------------------------------

S3_BUCKETS = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
S3_SSE = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
)
S3_POLICIES = ("aws:s3/bucketPolicy:BucketPolicy",)
_KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")


def _sse_problems(props: Props, rules_path: str) -> list[str]:
    """Problems with the SSE rules at `rules_path`; [] when one rule applies aws:kms (or DSSE) with a
    customer-managed key."""
    found: list[str] = []
    rules = items(get(props, rules_path))
    single = not isinstance(get(props, rules_path), Sequence)  # the v7 inline `rule` is one object
    for i in range(len(rules)):
        base = f"{rules_path}{'' if single else f'[{i}]'}.applyServerSideEncryptionByDefault"
        problems = all_of(
            require_one_of(f"{base}.sseAlgorithm", list(_KMS_ALGORITHMS), fold_case=False),
            aws_cmk(f"{base}.kmsMasterKeyId"),
        )(props)
        if not problems:
            return []
        found.extend(problems)
    return found or [f'`{rules_path}` has no rule: add one applying "aws:kms" with a customer-managed key']


# Inline encryption on the bucket itself (deprecated, still honoured): v7 Bucket, v6 BucketV2.
_INLINE_SSE = ("serverSideEncryptionConfiguration.rule", "serverSideEncryptionConfigurations[0].rules")


def _validate_s3_cmk(args: StackValidationArgs, report: ReportViolation) -> None:
    buckets, attached = attach(args, S3_BUCKETS, S3_SSE, ref="bucket", subject_name="bucket")
    unknown: UnknownValueError | None = None
    for bucket in buckets:
        outcome = Outcome()
        results: list[tuple[str, list[str] | None]] = [
            (f" (on its encryption configuration {c.name})", outcome.attempt(_sse_problems, c.props, "rules"))
            for c in attached.by_subject[bucket.urn]
        ]
        for path in _INLINE_SSE:
            if outcome.attempt(get, bucket.props, path) is not None:
                results.append(("", outcome.attempt(_sse_problems, bucket.props, path)))
        if any(r == [] for _, r in results):
            continue  # one compliant configuration is enough
        if outcome.unknown is None:  # an unknown configuration may be the compliant one
            if not results and attached.dangling_unknown:
                outcome.unknown = attached.undecided("server-side encryption configuration for this bucket")
            elif not results:
                outcome.problems.append(
                    "no aws.s3.BucketServerSideEncryptionConfiguration targets this bucket: add one with "
                    "`bucket` = this bucket's id and `rules[0].applyServerSideEncryptionByDefault` = "
                    '{sseAlgorithm: "aws:kms", kmsMasterKeyId: <customer-managed key ARN>}'
                )
            for where, r in results:
                outcome.problems.extend(p + where for p in (r or []))
        unknown = outcome.settle(report, bucket.urn) or unknown
    if unknown is not None:
        raise unknown


def _statements(policy: Any) -> list[Any]:
    doc = maybe_json(policy)
    if not isinstance(doc, Mapping):
        return []
    return [s for s in items(doc.get("Statement")) if isinstance(s, Mapping)]


def _lower_list(value: Any) -> list[str]:
    return [str(v).lower() for v in items(value)]


_BUCKET_ARN = re.compile(r"^arn:aws[a-z-]*:s3:::([^/*]+)$")


def _only_everyone(principal: Any) -> bool:
    """`"*"` or `{"AWS": "*"}`: every principal, with nothing else named beside it."""
    if isinstance(principal, Mapping):
        if set(principal) != {"AWS"}:
            return False
        principal = principal["AWS"]
    return _lower_list(principal) == ["*"]


def _covers_bucket_and_objects(resources: list[str], bucket_name: str | None) -> bool:
    """The statement's resources include the bucket and all its objects: `*`, or `<arn>` and `<arn>/*`
    of this bucket (of one bucket, when the bucket's name is not an input). A prefix (`<arn>/logs/*`)
    or the bucket alone does not."""
    if "*" in resources:
        return True
    for r in resources:
        match = _BUCKET_ARN.match(r)
        if match and f"{r}/*" in resources and (bucket_name is None or match.group(1) == bucket_name):
            return True
    return False


def _only_secure_transport_false(conditions: Any) -> bool:
    """Exactly one condition: `Bool` (or `BoolIfExists`) `aws:SecureTransport` false. Any other key or
    operator beside it (`aws:SourceVpce`, `StringNotEquals`, ...) narrows the deny and disqualifies it."""
    if not isinstance(conditions, Mapping) or len(conditions) != 1:
        return False
    operator, clause = next(iter(conditions.items()))
    if str(operator).lower() not in ("bool", "boolifexists") or not isinstance(clause, Mapping) or len(clause) != 1:
        return False
    key, value = next(iter(clause.items()))
    return str(key).lower() == "aws:securetransport" and _lower_list(value) == ["false"]


def _denies_plain_http(statement: Mapping[str, Any], bucket_name: str | None = None) -> bool:
    """A deny of every principal, every S3 action, on the bucket and all its objects, whose only
    condition is `aws:SecureTransport` false (docs.aws.amazon.com/AmazonS3/latest/userguide/
    security-best-practices.html, "Enforce encryption of data in transit", read 2026-12-05)."""
    if str(statement.get("Effect", "")).lower() != "deny":
        return False
    if any(k in statement for k in ("NotPrincipal", "NotAction", "NotResource")):
        return False
    if not _only_everyone(statement.get("Principal")):
        return False
    if not ({"s3:*", "*"} & set(_lower_list(statement.get("Action")))):
        return False
    if not _covers_bucket_and_objects([str(r) for r in items(statement.get("Resource"))], bucket_name):
        return False
    return _only_secure_transport_false(statement.get("Condition"))


def _policy_document(resource: PolicyResource) -> Any:
    return plain(get(resource.props, "policy"))


def _tls_policy_ok(policy_doc: Any, bucket_name: str | None = None) -> bool:
    return any(_denies_plain_http(s, bucket_name) for s in _statements(policy_doc))


def _validate_s3_tls(args: StackValidationArgs, report: ReportViolation) -> None:
    buckets, attached = attach(args, S3_BUCKETS, S3_POLICIES, ref="bucket", subject_name="bucket")
    unknown: UnknownValueError | None = None
    for bucket in buckets:
        outcome = Outcome()
        docs = [outcome.attempt(_policy_document, c) for c in attached.by_subject[bucket.urn]]
        inline = outcome.attempt(_policy_document, bucket)
        if inline is not None:
            docs.append(inline)
        name = outcome.attempt(get, bucket.props, "bucket")
        name = str(name) if is_set(name) else None
        if any(d is not None and _tls_policy_ok(d, name) for d in docs):
            continue
        if outcome.unknown is None and not docs and attached.dangling_unknown:
            outcome.unknown = attached.undecided("bucket policy for this bucket")
        elif outcome.unknown is None:
            what = "its bucket policy has" if docs else "no aws.s3.BucketPolicy targets this bucket, so it has"
            outcome.problems.append(
                f"{what} no statement denying requests without TLS: add a `policy` statement "
                '{Effect: Deny, Principal: "*", Action: "s3:*", Resource: [<bucket arn>, <bucket arn>/*], '
                'Condition: {Bool: {"aws:SecureTransport": "false"}}}'
            )
        unknown = outcome.settle(report, bucket.urn) or unknown
    if unknown is not None:
        raise unknown


encryption_s3_bucket_cmk = StackValidationPolicy(
    name="encryption-s3-bucket-cmk",
    description="Every S3 bucket has a server-side encryption configuration applying aws:kms (or aws:kms:dsse) "
    "with a customer-managed KMS key.",
    validate=_validate_s3_cmk,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Add an aws.s3.BucketServerSideEncryptionConfiguration with `bucket` = the bucket's id and "
    '`rules: [{applyServerSideEncryptionByDefault: {sseAlgorithm: "aws:kms", kmsMasterKeyId: '
    "<aws.kms.Key arn>}, bucketKeyEnabled: true}]`. The AWS managed `alias/aws/s3` key does "
    "not count. Types: " + ", ".join(S3_BUCKETS + S3_SSE),
)

encryption_s3_tls_only = StackValidationPolicy(
    name="encryption-s3-tls-only",
    description="Every S3 bucket's policy denies any request made without TLS (aws:SecureTransport false).",
    validate=_validate_s3_tls,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Add an aws.s3.BucketPolicy with `bucket` = the bucket's id and a statement "
    '{Effect: Deny, Principal: "*", Action: "s3:*", Resource: [<arn>, <arn>/*], Condition: '
    '{Bool: {"aws:SecureTransport": "false"}}}. Types: ' + ", ".join(S3_BUCKETS + S3_POLICIES),
)

POLICIES = [
    encryption_at_rest_cmk,
    encryption_s3_bucket_cmk,
    encryption_s3_tls_only,
    encryption_in_transit_tls,
    encryption_vpn_ikev2,
    encryption_key_rotation,
    encryption_key_vault_recoverable,
]
