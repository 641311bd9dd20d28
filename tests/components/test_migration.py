"""Migration waves planned offline: inventories and the values that make transfers, replication and cutover safe.

Three waves on the example foundation:

- `wave-1-dev`, the example stack, planned through `lz plan` exactly as a user does (the foundation is
  synthesized first and answers the wave's stack reference): exit 0, graph, findings and `runbook.md`;
- `ALL_PATHS`, a rehearsal (`environment: test`) with every source -> target pair the components support
  (S3, Cloud Storage and Blob Storage into each cloud; DMS, Database Migration Service and Azure Database
  Migration Service; a Cloud DNS canary);
- `BLUE_GREEN`, a blue/green cutover on Azure Traffic Manager.

The last two are synthesized in-process against the foundation's outputs from the session's
`foundation_dev` plan (`synth_wave`), which `tests/test_wave_new.py` uses too.

If the example inventory changes on purpose, print the new one with
`.venv/bin/python -m tests.components.test_migration`.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from lz import __version__
from lz.cli.plan import policy_settings_for
from lz.cli.project import find_project, load_stack
from lz.contracts.foundation import CLOUD_KEYS, REGION_KEYS
from lz.core.graph import build_graph, dumps, resources_from_graph
from lz.offline.synth import synthesize
from lz.policies import data_protection, residency_transfers
from lz.policies.pack import POLICIES
from lz.review.evaluate import PolicySettings, evaluate
from lz.review.report import findings_json
from tests.helpers import EXAMPLE, Planned, foundation_config, make_project, plan

REGENERATE = ".venv/bin/python -m tests.components.test_migration"
NS = "landing-zone"
MIGRATION_POLICIES = [*residency_transfers.POLICIES, *data_protection.POLICIES]

WAVE_1_INVENTORY: dict[str, int] = {
    "aws:route53/healthCheck:HealthCheck": 2,
    "aws:route53/record:Record": 2,
    "azure-native:authorization:RoleAssignment": 1,
    "azure-native:datafactory:Dataset": 2,
    "azure-native:datafactory:Factory": 1,
    "azure-native:datafactory:LinkedService": 2,
    "azure-native:datafactory:Pipeline": 1,
    "azure-native:datafactory:Trigger": 1,
    "azure-native:resources:ResourceGroup": 1,
    "azure-native:storage:BlobContainer": 1,
    "azure-native:storage:BlobServiceProperties": 1,
    "azure-native:storage:StorageAccount": 1,
    "gcp:databasemigrationservice/connectionProfile:ConnectionProfile": 2,
    "gcp:databasemigrationservice/migrationJob:MigrationJob": 1,
    "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": 1,
    "gcp:monitoring/alertPolicy:AlertPolicy": 2,
    "gcp:projects/service:Service": 9,
    "gcp:projects/serviceIdentity:ServiceIdentity": 1,
    "gcp:storage/bucket:Bucket": 1,
    "gcp:storage/bucketIAMMember:BucketIAMMember": 2,
    "gcp:storage/transferJob:TransferJob": 1,
    "pulumi:pulumi:StackReference": 1,  # the foundation, read as a real export records it
    "random:index/randomPassword:RandomPassword": 1,
}

ALL_PATHS: dict[str, Any] = {
    "name": "wave-all",
    "foundation": "foundation-dev",
    "environment": "test",
    "datasets": [
        {
            "name": "s3-to-s3",
            "classification": "restricted",
            "schedule": "weekly",
            "delete_propagation": True,
            "source": {"cloud": "aws", "region": "eu-central-1", "bucket": "legacy-s3", "prefix": "data/"},
            "target": {"cloud": "aws", "region": "eu-west-1"},
        },
        {
            "name": "gcs-to-s3",
            "classification": "internal",
            "schedule": "15 3 * * *",
            "source": {
                "cloud": "gcp",
                "region": "europe-west1",
                "bucket": "legacy-gcs",
                "credentials": {"kind": "secret", "secret": "gcs-hmac"},
            },
            "target": {"cloud": "aws", "region": "eu-central-1"},
            "agent_arns": ["arn:aws:datasync:eu-central-1:111111111111:agent/agent-0123456789abcdef0"],
        },
        {
            "name": "blob-to-s3",
            "classification": "public",
            "verify": False,
            "source": {
                "cloud": "azure",
                "region": "eastus",
                "bucket": "legacyacct/exports",
                "credentials": {"kind": "secret", "secret": "azure-sas"},
            },
            "target": {"cloud": "aws", "region": "eu-west-1"},
            "agent_arns": ["arn:aws:datasync:eu-west-1:111111111111:agent/agent-0123456789abcdef1"],
        },
        {
            "name": "blob-to-gcs",
            "classification": "confidential",
            "schedule": "hourly",
            "source": {
                "cloud": "azure",
                "region": "westeurope",
                "bucket": "legacyacct/models",
                "credentials": {
                    "kind": "workload-identity",
                    "client_id": "11111111-2222-3333-4444-555555555555",
                    "tenant_id": "66666666-7777-8888-9999-000000000000",
                },
            },
            "target": {"cloud": "gcp", "region": "europe-west1"},
        },
        {
            "name": "sas-to-gcs",
            "classification": "confidential",
            "source": {
                "cloud": "azure",
                "region": "westeurope",
                "bucket": "legacyacct/other",
                "credentials": {"kind": "secret", "secret": "azure-sas"},
            },
            "target": {"cloud": "gcp", "region": "europe-west4"},
        },
        {
            "name": "gcs-to-gcs",
            "classification": "internal",
            "source": {"cloud": "gcp", "region": "europe-west1", "bucket": "legacy-gcs-2"},
            "target": {"cloud": "gcp", "region": "europe-west4"},
        },
        {
            "name": "gcs-to-blob",
            "classification": "internal",
            "schedule": "30 1 * * 3",
            "source": {
                "cloud": "gcp",
                "region": "europe-west1",
                "bucket": "legacy-gcs-3",
                "credentials": {"kind": "secret", "secret": "gcs-hmac"},
            },
            "target": {"cloud": "azure", "region": "northeurope"},
        },
        {
            "name": "blob-to-blob",
            "classification": "internal",
            "source": {"cloud": "azure", "region": "westeurope", "bucket": "legacyacct/logs"},
            "target": {"cloud": "azure", "region": "northeurope"},
        },
    ],
    "databases": [
        {
            "name": "orders",
            "engine": "mysql",
            "version": "8.0",
            "mode": "cdc",
            "source": {
                "cloud": "aws",
                "region": "eu-west-1",
                "host": "10.200.1.5",
                "database": "orders",
                "username": "repl",
                "password_secret": "db-password",
                "ca_certificate": "db-ca",
            },
            "target": {"cloud": "aws", "region": "eu-west-1"},
        },
        {
            "name": "users",
            "engine": "postgres",
            "version": "16",
            "classification": "restricted",
            "source": {
                "cloud": "azure",
                "region": "westeurope",
                "host": "users.pg.example.net",
                "database": "users",
                "username": "repl",
                "password_secret": "db-password",
            },
            "target": {"cloud": "azure", "region": "westeurope", "tier": "Standard_D4ds_v5"},
        },
        {
            "name": "catalog",
            "engine": "mysql",
            "version": "8.0",
            "source": {
                "cloud": "aws",
                "region": "eu-west-1",
                "host": "catalog.example.net",
                "database": "catalog",
                "username": "repl",
                "password_secret": "db-password",
            },
            "target": {"cloud": "azure", "region": "northeurope"},
        },
        {
            "name": "carts",
            "engine": "mysql",
            "version": "8.0",
            "mode": "full-load",
            "source": {
                "cloud": "aws",
                "region": "eu-west-1",
                "host": "carts.example.net",
                "database": "carts",
                "username": "repl",
                "password_secret": "db-password",
                "ca_certificate": "db-ca",
            },
            "target": {"cloud": "gcp", "region": "europe-west1"},
        },
    ],
    "cutover": {
        "strategy": "canary",
        "hostname": "shop.acme.example.com",
        "dns": {"cloud": "gcp", "zone": "acme-public", "region": "europe-west1"},
        "source_endpoint": "shop-legacy.acme.example.com",
        "target_endpoint": "shop-gcp.acme.example.com",
        "current_step": 2,
        "rollback": {"max_error_rate": 0.02, "max_p99_latency_ms": 1200, "evaluation_minutes": 15},
    },
}

BLUE_GREEN: dict[str, Any] = {
    "name": "wave-bg",
    "foundation": "foundation-dev",
    "cutover": {
        "strategy": "blue-green",
        "hostname": "app.acme.example.com",
        "dns": {"cloud": "azure", "zone": "rg-dns/acme.example.com"},
        "source_endpoint": "app-blue.acme.example.com",
        "target_endpoint": "app-green.acme.example.com",
        "current_step": 1,
        "rollback": {"max_error_rate": 0.05, "max_p99_latency_ms": 300, "evaluation_minutes": 3},
    },
}

SECRETS = {
    f"{NS}:{key}": {"secure": "v1:offline:placeholder"} for key in ("gcs-hmac", "azure-sas", "db-password", "db-ca")
}


# --- planning ----------------------------------------------------------------------------------


@dataclass
class Synthesized:
    planned: Planned
    outputs: dict[str, Any]
    text: str


def stack_outputs(planned: Planned) -> dict[str, Any]:
    stack = next(r for r in planned.resources if r["type"] == "pulumi:pulumi:Stack")
    return dict(stack.get("outputs") or {})


def wave_config(wave: dict[str, Any], secrets: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"pulumi:disable-default-providers": ["*"], **(secrets or {}), f"{NS}:wave": wave}


def synth_wave(root: Path, stack: str, foundation_outputs: dict[str, Any]) -> Synthesized:
    """Synthesize a wave stack of the project at `root` against given foundation outputs, as `lz plan` does
    after synthesizing the foundation, and evaluate the pack plus the migration policies."""
    project = find_project(root)
    stack_file = load_stack(project, stack)
    config, secret_keys = stack_file.engine_config()
    synthesis = synthesize(
        root / "__main__.py",
        project=project.name,
        stack=stack,
        config=config,
        secret_keys=secret_keys,
        stack_references={"foundation-dev": foundation_outputs},
    )
    graph = build_graph(synthesis, __version__)
    resources = resources_from_graph(graph)
    settings: PolicySettings = policy_settings_for(stack_file)
    names = {p.name for p in POLICIES}
    evaluation = evaluate(resources, [*POLICIES, *(p for p in MIGRATION_POLICIES if p.name not in names)], settings)
    findings = json.loads(findings_json(evaluation, resources))
    mandatory = any(f["enforcement"] == "mandatory" and not f["waived"] for f in findings["findings"])
    planned = Planned(out=root, exit_code=1 if mandatory else 0, graph=graph, findings=findings, report="")
    return Synthesized(planned=planned, outputs=synthesis.outputs, text=dumps(graph))


@pytest.fixture(scope="module")
def wave_1(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    return plan("wave-1-dev", out=tmp_path_factory.mktemp("wave-1-dev"))


@pytest.fixture(scope="module")
def foundation_outputs(foundation_dev: Planned) -> dict[str, Any]:
    return stack_outputs(foundation_dev)


def test_the_foundation_exports_its_contract_key_for_key(foundation_outputs: dict[str, Any]) -> None:
    """Each cloud's `foundation.<cloud>` has exactly the contract's keys (lz.contracts.foundation), per region too."""
    exported = foundation_outputs["foundation"]
    for cloud in ("aws", "gcp", "azure"):
        assert set(exported[cloud]) == CLOUD_KEYS[cloud], cloud
        for region, values in exported[cloud]["regions"].items():
            assert set(values) == REGION_KEYS[cloud], (cloud, region)


@pytest.fixture(scope="module")
def waves_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = yaml.safe_load(EXAMPLE.read_text())["config"][f"{NS}:landingZone"]
    return make_project(
        tmp_path_factory.mktemp("waves"),
        {
            "foundation-dev": foundation_config(spec),
            "wave-all": wave_config(ALL_PATHS, SECRETS),
            "wave-bg": wave_config(BLUE_GREEN),
        },
    )


@pytest.fixture(scope="module")
def all_paths(waves_project: Path, foundation_outputs: dict[str, Any]) -> Synthesized:
    return synth_wave(waves_project, "wave-all", foundation_outputs)


@pytest.fixture(scope="module")
def blue_green(waves_project: Path, foundation_outputs: dict[str, Any]) -> Synthesized:
    return synth_wave(waves_project, "wave-bg", foundation_outputs)


def inputs(planned: Planned, type_: str, name: str) -> dict[str, Any]:
    return planned.named(type_, name)["inputs"]  # type: ignore[no-any-return]


def providers_by_urn(planned: Planned) -> dict[str, dict[str, Any]]:
    return {r["urn"]: r["inputs"] for r in planned.resources if r["type"].startswith("pulumi:providers:")}


def provider_of(planned: Planned, resource: dict[str, Any]) -> dict[str, Any]:
    return providers_by_urn(planned)[resource["provider"].rsplit("::", 1)[0]]


def mandatory(planned: Planned) -> list[tuple[str, str, str]]:
    return [(f["policy"], f["type"], f["message"]) for f in planned.mandatory()]


# --- the example wave, through `lz plan` -------------------------------------------------------


def test_example_wave_plans_clean_and_writes_its_runbook(wave_1: Planned) -> None:
    assert wave_1.exit_code == 0, mandatory(wave_1)
    assert wave_1.mandatory() == []
    runbook = (wave_1.out / "runbook.md").read_text()
    assert runbook.startswith("# Runbook: wave `wave-1` (stack `wave-1-dev`)")
    assert "pulumi config set --path landing-zone:wave.cutover.current_step 1 --stack wave-1-dev" in runbook


def test_example_wave_inventory(wave_1: Planned) -> None:
    assert dict(wave_1.type_counts()) == {**WAVE_1_INVENTORY, **_providers(wave_1)}, (
        f"inventory changed: regenerate with {REGENERATE}"
    )


def _providers(planned: Planned) -> dict[str, int]:
    return dict(Counter(r["type"] for r in planned.resources if r["type"].startswith("pulumi:providers:")))


def test_example_providers_are_the_foundations(wave_1: Planned) -> None:
    by_type = {r["type"]: r["inputs"] for r in wave_1.resources if r["type"].startswith("pulumi:providers:")}
    assert by_type["pulumi:providers:aws"]["region"] == "eu-west-1"
    assert json.loads(by_type["pulumi:providers:aws"]["allowedAccountIds"]) == ["111111111111"]
    assert by_type["pulumi:providers:gcp"]["project"] == "acme-ai-dev"
    assert by_type["pulumi:providers:azure-native"]["subscriptionId"] == "00000000-0000-0000-0000-000000000000"


def test_gcs_target_is_cmek_versioned_private_and_protected(wave_1: Planned) -> None:
    bucket = wave_1.named("gcp:storage/bucket:Bucket", "wave-1-training-data-target-bucket")
    i = bucket["inputs"]
    assert bucket["protect"] is True
    assert i["location"] == "europe-west4"
    assert i["encryption"]["defaultKmsKeyName"] == (
        "projects/acme-ai-dev/locations/europe-west4/keyRings/acme-dev-euw4-keyring/cryptoKeys/acme-dev-euw4-platform"
    )
    assert i["versioning"] == {"enabled": True} and i["uniformBucketLevelAccess"] is True
    assert i["publicAccessPrevention"] == "enforced" and i["softDeletePolicy"]["retentionDurationSeconds"] == 604800
    assert i["forceDestroy"] is False
    assert i["labels"]["wave"] == "wave-1" and i["labels"]["data-classification"] == "confidential"
    assert i["labels"]["migration-role"] == "target" and i["labels"]["migration-source"] == "aws_eu-west-1"


def test_storage_transfer_job_copies_deltas_verifies_and_keeps_deletes(wave_1: Planned) -> None:
    i = inputs(wave_1, "gcp:storage/transferJob:TransferJob", "wave-1-training-data-transfer-job")
    spec = i["transferSpec"]
    assert spec["awsS3DataSource"] == {
        "bucketName": "acme-legacy-training-data",
        "path": "datasets/",
        "roleArn": "arn:aws:iam::222222222222:role/acme-storage-transfer-reader",
    }
    assert spec["gcsDataSink"]["bucketName"].startswith("acme-dev-wave-1-training-data-")
    assert spec["transferOptions"] == {
        "overwriteWhen": "DIFFERENT",
        "deleteObjectsUniqueInSink": False,
        "deleteObjectsFromSourceAfterTransfer": False,
    }
    assert i["schedule"]["repeatInterval"] == "86400s"
    assert i["schedule"]["scheduleStartDate"] == {"year": 2025, "month": 7, "day": 1}
    assert i["schedule"]["startTimeOfDay"]["hours"] == 2
    assert set(i["loggingConfig"]["logActions"]) == {"FIND", "COPY", "DELETE"}
    assert "migration-target=gcp_europe-west4" in i["description"]
    assert "data-classification=confidential" in i["description"]


def test_azure_target_is_cmk_https_only_keyless_and_versioned(wave_1: Planned) -> None:
    account = wave_1.by_type("azure-native:storage:StorageAccount")[0]
    i = account["inputs"]
    assert account["protect"] is True and i["location"] == "westeurope"
    assert i["enableHttpsTrafficOnly"] is True and i["minimumTlsVersion"] == "TLS1_2"
    assert i["allowBlobPublicAccess"] is False and i["allowSharedKeyAccess"] is False
    assert i["encryption"]["keySource"] == "Microsoft.Keyvault"
    assert i["encryption"]["keyVaultProperties"]["keyName"] == "acme-dev-weu-cmk"
    assert i["encryption"]["keyVaultProperties"]["keyVaultUri"].startswith("https://kv-acme-dev-weu-")
    assert i["identity"]["type"] == "UserAssigned"
    service = wave_1.by_type("azure-native:storage:BlobServiceProperties")[0]["inputs"]
    assert service["isVersioningEnabled"] is True and service["deleteRetentionPolicy"]["enabled"] is True


def test_data_factory_copy_is_additive_verified_and_keyed_by_secrets(wave_1: Planned) -> None:
    factory = wave_1.by_type("azure-native:datafactory:Factory")[0]["inputs"]
    assert factory["publicNetworkAccess"] == "Disabled" and factory["encryption"]["keyName"] == "acme-dev-weu-cmk"
    source = next(
        r["inputs"]
        for r in wave_1.by_type("azure-native:datafactory:LinkedService")
        if r["inputs"]["properties"]["type"] == "AmazonS3"
    )
    assert source["properties"]["secretAccessKey"]["value"] == "[secret]"
    assert source["properties"]["accessKeyId"] == "[secret]"
    pipeline = wave_1.by_type("azure-native:datafactory:Pipeline")[0]["inputs"]
    copy = pipeline["activities"][0]
    assert copy["type"] == "Copy" and copy["validateDataConsistency"] is True
    assert "deleteFilesAfterCompletion" not in copy["source"]["storeSettings"]
    assert copy["source"]["storeSettings"]["modifiedDatetimeStart"]["value"] == "@pipeline().parameters.since"
    assert pipeline["parameters"]["since"]["defaultValue"] == "1970-01-01T00:00:00Z"
    trigger = wave_1.by_type("azure-native:datafactory:Trigger")[0]["inputs"]["properties"]
    assert trigger["recurrence"]["frequency"] == "Hour" and trigger["recurrence"]["interval"] == 6
    assert trigger["pipelines"][0]["parameters"]["since"] == "@{addHours(trigger().scheduledTime, -12)}"
    writer = wave_1.by_type("azure-native:authorization:RoleAssignment")[0]["inputs"]
    assert writer["roleDefinitionId"].endswith("ba92f5b4-2d11-453d-a403-e96b0029c9fe")


def test_postgres_cdc_into_cloud_sql(wave_1: Planned) -> None:
    job = inputs(wave_1, "gcp:databasemigrationservice/migrationJob:MigrationJob", "wave-1-feature-store-job")
    assert job["type"] == "CONTINUOUS" and job["location"] == "europe-west4"
    assert job["vpcPeeringConnectivity"]["vpc"] == "projects/acme-ai-dev/global/networks/acme-dev-vpc"
    assert job["labels"]["migration-role"] == "replication"
    source = inputs(
        wave_1, "gcp:databasemigrationservice/connectionProfile:ConnectionProfile", "wave-1-feature-store-source"
    )
    assert source["postgresql"]["password"] == "[secret]"
    assert source["postgresql"]["ssl"]["caCertificate"] == "[secret]"
    destination = inputs(
        wave_1, "gcp:databasemigrationservice/connectionProfile:ConnectionProfile", "wave-1-feature-store-destination"
    )
    settings = destination["cloudsql"]["settings"]
    assert settings["databaseVersion"] == "POSTGRES_15" and settings["tier"] == "db-custom-4-16384"
    assert settings["cmekKeyName"].endswith("/cryptoKeys/acme-dev-euw4-platform")
    assert settings["ipConfig"]["enableIpv4"] is False and settings["ipConfig"]["requireSsl"] is True
    assert settings["rootPassword"] == "[secret]"
    grant = wave_1.by_type("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember")[0]["inputs"]
    assert "@gcp-sa-cloud-sql.iam.gserviceaccount.com" in grant["member"]


def test_route53_weighted_records_carry_the_current_step(wave_1: Planned) -> None:
    records = {r["inputs"]["setIdentifier"]: r["inputs"] for r in wave_1.by_type("aws:route53/record:Record")}
    assert records["source"]["weightedRoutingPolicies"] == [{"weight": 95}]
    assert records["target"]["weightedRoutingPolicies"] == [{"weight": 5}]
    assert records["target"]["records"] == ["api.europe-west4.acme-ai.example.com"]
    assert all(r["type"] == "CNAME" and r["ttl"] == 60 and r["healthCheckId"] for r in records.values())
    checks = {r["inputs"]["fqdn"]: r["inputs"] for r in wave_1.by_type("aws:route53/healthCheck:HealthCheck")}
    assert checks["api.europe-west4.acme-ai.example.com"]["resourcePath"] == "/healthz"


def test_rollback_alarms_live_where_the_target_runs(wave_1: Planned) -> None:
    # DNS on Route 53, the API on GCP (cutover.target): the alert policies are in Cloud Monitoring, where the
    # target's telemetry lands; nothing reads CloudWatch, which nothing of the target's would feed.
    assert wave_1.by_type("aws:cloudwatch/metricAlarm:MetricAlarm") == []
    policies = {p["inputs"]["displayName"]: p for p in wave_1.by_type("gcp:monitoring/alertPolicy:AlertPolicy")}
    assert len(policies) == 2
    for policy in policies.values():
        condition = policy["inputs"]["conditions"][0]["conditionPrometheusQueryLanguage"]
        assert 'server_address="api.europe-west4.acme-ai.example.com"' in condition["query"]
        assert condition["duration"] == "600s"
        assert any(d.endswith("wave-1-gcp-api-monitoring") for d in policy["dependencies"])
    rate = next(p for name, p in policies.items() if "error rate" in name)["inputs"]
    assert "> 0.01 or absent_over_time(" in rate["conditions"][0]["conditionPrometheusQueryLanguage"]["query"]


def test_example_stack_outputs(wave_1: Planned) -> None:
    out = stack_outputs(wave_1)
    assert out["kind"] == "wave" and out["wave"]["foundation"] == "foundation-dev"
    assert set(out["datasets"]) == {"training-data", "model-artifacts"}
    assert out["datasets"]["training-data"]["job"] == "transferJobs/acme-dev-wave-1-training-data"
    assert out["databases"]["feature-store"]["job"] == (
        "projects/acme-ai-dev/locations/europe-west4/migrationJobs/acme-dev-wave-1-feature-store"
    )
    assert out["cutover"]["weights"] == {"source": 95, "target": 5}
    assert out["cutover"]["dns"]["cloud"] == "aws" and set(out["cutover"]["health_checks"]) == {"source", "target"}
    assert out["cutover"]["monitoring"] == {"cloud": "gcp", "region": "europe-west4"}
    assert set(out["cutover"]["alarms"]) == {"error_rate", "p99_latency"}


# --- every source -> target pair (a rehearsal) -------------------------------------------------


def test_all_paths_plan_without_violations_of_the_migration_policies(all_paths: Synthesized) -> None:
    found = mandatory(all_paths.planned)
    # Known elsewhere: the tags policy reads a GCP secret's `tags` (Resource Manager tags), not its labels.
    found = [f for f in found if not (f[0] == "tags-required" and f[1] == "gcp:secretmanager/secret:Secret")]
    assert found == []


def test_rehearsal_protects_nothing_and_may_force_destroy(all_paths: Synthesized) -> None:
    planned = all_paths.planned
    stores = [
        *planned.by_type("aws:s3/bucket:Bucket"),
        *planned.by_type("gcp:storage/bucket:Bucket"),
        *planned.by_type("azure-native:storage:StorageAccount"),
    ]
    assert len(stores) == 3 + 3 + 2
    assert all(s["protect"] is False for s in stores)
    assert all(s["inputs"]["forceDestroy"] is True for s in stores if "forceDestroy" in s["inputs"])
    rds = planned.by_type("aws:rds/instance:Instance")[0]["inputs"]
    assert rds["deletionProtection"] is False and rds["skipFinalSnapshot"] is True


def test_s3_target_bucket_companions(all_paths: Synthesized) -> None:
    planned = all_paths.planned
    bucket = planned.named("aws:s3/bucket:Bucket", "wave-all-s3-to-s3-target-bucket")["inputs"]["bucket"]
    sse = next(
        r["inputs"]
        for r in planned.by_type(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
        )
        if r["inputs"]["bucket"] == bucket
    )
    rule = sse["rules"][0]["applyServerSideEncryptionByDefault"]
    assert rule["sseAlgorithm"] == "aws:kms" and ":eu-west-1:111111111111:key/" in rule["kmsMasterKeyId"]
    policy = json.loads(
        next(
            r["inputs"]["policy"]
            for r in planned.by_type("aws:s3/bucketPolicy:BucketPolicy")
            if r["inputs"]["bucket"] == bucket
        )
    )
    assert policy["Statement"][0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_datasync_tasks(all_paths: Synthesized) -> None:
    planned = all_paths.planned
    tasks = {r["inputs"]["name"]: r["inputs"] for r in planned.by_type("aws:datasync/task:Task")}
    s3 = tasks["acme-test-wave-all-s3-to-s3"]
    assert s3["options"]["preserveDeletedFiles"] == "REMOVE" and s3["tags"]["migration-deletes"] == "propagate"
    assert s3["options"]["transferMode"] == "CHANGED" and s3["options"]["verifyMode"] == "ONLY_FILES_TRANSFERRED"
    assert s3["schedule"]["scheduleExpression"] == "cron(0 2 ? * SUN *)"
    gcs = tasks["acme-test-wave-all-gcs-to-s3"]
    assert gcs["options"]["preserveDeletedFiles"] == "PRESERVE"
    assert gcs["schedule"]["scheduleExpression"] == "cron(15 3 * * ? *)"
    assert tasks["acme-test-wave-all-blob-to-s3"]["options"]["verifyMode"] == "NONE"
    storage = planned.by_type("aws:datasync/locationObjectStorage:LocationObjectStorage")[0]["inputs"]
    assert storage["serverHostname"] == "storage.googleapis.com" and storage["secretKey"] == "[secret]"
    blob = planned.by_type("aws:datasync/locationAzureBlob:LocationAzureBlob")[0]["inputs"]
    assert blob["containerUrl"] == "https://legacyacct.blob.core.windows.net/exports"
    assert blob["sasConfiguration"]["token"] == "[secret]"
    logs = planned.by_type("aws:cloudwatch/logGroup:LogGroup")
    assert len(logs) == 2 and all(":key/" in g["inputs"]["kmsKeyId"] for g in logs)


def test_storage_transfer_sources(all_paths: Synthesized) -> None:
    planned = all_paths.planned
    jobs = {
        r["inputs"]["name"]: r["inputs"]["transferSpec"] for r in planned.by_type("gcp:storage/transferJob:TransferJob")
    }
    federated = jobs["transferJobs/acme-test-wave-all-blob-to-gcs"]["azureBlobStorageDataSource"]
    assert federated["federatedIdentityConfig"]["clientId"] == "11111111-2222-3333-4444-555555555555"
    sas = jobs["transferJobs/acme-test-wave-all-sas-to-gcs"]["azureBlobStorageDataSource"]
    assert sas["credentialsSecret"] == "projects/acme-ai-dev/secrets/acme-test-wave-all-sas-to-gcs-source-credentials"
    assert jobs["transferJobs/acme-test-wave-all-gcs-to-gcs"]["gcsDataSource"]["bucketName"] == "legacy-gcs-2"
    secret = planned.by_type("gcp:secretmanager/secret:Secret")[0]["inputs"]
    replicas = secret["replication"]["userManaged"]["replicas"]
    assert [r["location"] for r in replicas] == ["europe-west4"]
    assert replicas[0]["customerManagedEncryption"]["kmsKeyName"].endswith("/cryptoKeys/acme-dev-euw4-platform")
    assert planned.by_type("gcp:secretmanager/secretVersion:SecretVersion")[0]["inputs"]["secretData"] == "[secret]"


def test_dms_replication(all_paths: Synthesized) -> None:
    planned = all_paths.planned
    instance = planned.by_type("aws:dms/replicationInstance:ReplicationInstance")[0]["inputs"]
    assert instance["publiclyAccessible"] is False and ":eu-west-1:" in instance["kmsKeyArn"]
    task = planned.by_type("aws:dms/replicationTask:ReplicationTask")[0]["inputs"]
    assert task["migrationType"] == "cdc" and task["startReplicationTask"] is False
    assert json.loads(task["replicationTaskSettings"])["ValidationSettings"]["EnableValidation"] is True
    assert task["replicationInstanceArn"].startswith("arn:aws:dms:eu-west-1:111111111111:rep:")
    endpoints = {r["inputs"]["endpointType"]: r["inputs"] for r in planned.by_type("aws:dms/endpoint:Endpoint")}
    assert endpoints["source"]["sslMode"] == "verify-full" and endpoints["source"]["password"] == "[secret]"
    assert endpoints["target"]["sslMode"] == "require" and endpoints["target"]["password"] == "[secret]"
    rds = planned.by_type("aws:rds/instance:Instance")[0]["inputs"]
    assert rds["storageEncrypted"] is True and rds["publiclyAccessible"] is False and rds["engine"] == "mysql"
    group = planned.by_type("aws:dms/replicationSubnetGroup:ReplicationSubnetGroup")[0]["inputs"]
    assert len(group["subnetIds"]) == 3


def test_azure_database_migration(all_paths: Synthesized) -> None:
    planned = all_paths.planned
    services = [r["inputs"] for r in planned.by_type("azure-native:datamigration:Service")]
    assert {s["location"] for s in services} == {"westeurope", "northeurope"}
    assert all(
        s["sku"]["name"] == "Premium_4vCores" and s["virtualSubnetId"].endswith("/subnets/snet-data") for s in services
    )
    tasks = {r["inputs"]["properties"]["taskType"] for r in planned.by_type("azure-native:datamigration:Task")}
    assert tasks == {"Migrate.PostgreSql.AzureDbForPostgreSql.SyncV2", "Migrate.MySql.AzureDbForMySql.Sync"}
    pg = planned.by_type("azure-native:dbforpostgresql:Server")[0]["inputs"]
    assert pg["dataEncryption"]["type"] == "AzureKeyVault" and pg["network"]["publicNetworkAccess"] == "Disabled"
    assert pg["administratorLoginPassword"] == "[secret]" and pg["backup"]["geoRedundantBackup"] == "Disabled"
    projects = [r["inputs"]["tags"] for r in planned.by_type("azure-native:datamigration:Project")]
    assert {t["data-classification"] for t in projects} == {"restricted", "confidential"}


def test_cloud_dns_weighted_round_robin_and_alert_policies(all_paths: Synthesized) -> None:
    planned = all_paths.planned
    record = planned.by_type("gcp:dns/recordSet:RecordSet")[0]["inputs"]
    wrrs = record["routingPolicy"]["wrrs"]
    assert [(w["weight"], w["rrdatas"]) for w in wrrs] == [
        (50, ["shop-legacy.acme.example.com."]),
        (50, ["shop-gcp.acme.example.com."]),
    ]
    # a rehearsal (environment: test) manages a sibling name in the zone, never the production hostname
    assert record["name"] == "shop-rehearsal.acme.example.com." and record["managedZone"] == "acme-public"
    queries = {
        p["inputs"]["displayName"]: p["inputs"]["conditions"][0]["conditionPrometheusQueryLanguage"]
        for p in planned.by_type("gcp:monitoring/alertPolicy:AlertPolicy")
    }
    rate = next(q for name, q in queries.items() if "error rate" in name)
    assert " > 0.02 or absent_over_time(" in rate["query"] and rate["duration"] == "900s"
    latency = next(q for name, q in queries.items() if "p99" in name)
    assert "histogram_quantile(0.99" in latency["query"] and " > 1.2 or absent_over_time(" in latency["query"]


# --- blue/green on Azure -----------------------------------------------------------------------


def test_traffic_manager_blue_green(blue_green: Synthesized) -> None:
    planned = blue_green.planned
    assert planned.exit_code == 0, mandatory(planned)
    profile = planned.by_type("azure-native:trafficmanager:Profile")[0]["inputs"]
    assert profile["trafficRoutingMethod"] == "Weighted" and profile["location"] == "global"
    endpoints = {e["name"]: e for e in profile["endpoints"]}
    assert endpoints["source"]["endpointStatus"] == "Disabled" and endpoints["source"]["weight"] == 1
    assert endpoints["target"]["endpointStatus"] == "Enabled" and endpoints["target"]["weight"] == 1000
    assert profile["monitorConfig"]["protocol"] == "HTTPS" and profile["monitorConfig"]["path"] == "/healthz"
    record = planned.by_type("azure-native:dns:RecordSet")[0]["inputs"]
    assert record["relativeRecordSetName"] == "app" and record["zoneName"] == "acme.example.com"
    assert record["cnameRecord"]["cname"] == f"{profile['dnsConfig']['relativeName']}.trafficmanager.net"
    rules = [r["inputs"] for r in planned.by_type("azure-native:monitor:ScheduledQueryRule")]
    assert {r["windowSize"] for r in rules} == {"PT5M"} and {r["location"] for r in rules} == {"westeurope"}
    thresholds = sorted(r["criteria"]["allOf"][0]["threshold"] for r in rules)
    assert thresholds == [0.05, 300]


def test_synthesis_is_deterministic(
    waves_project: Path, foundation_outputs: dict[str, Any], blue_green: Synthesized
) -> None:
    again = synth_wave(waves_project, "wave-bg", foundation_outputs)
    assert again.text == blue_green.text


if __name__ == "__main__":  # print the example's inventory, to paste above when it changes on purpose
    planned = plan("wave-1-dev")
    counts = {k: v for k, v in sorted(planned.type_counts().items()) if not k.startswith("pulumi:providers:")}
    print("WAVE_1_INVENTORY: dict[str, int] = {")
    for type_, n in counts.items():
        print(f'    "{type_}": {n},')
    print("}")
