"""`encryption-cluster-node-disks-cmk` and `encryption-collector-exporter-tls`, compliant and violating per cloud."""

from __future__ import annotations

import json
from typing import Any

import pytest

from lz.core.graph import Resource
from lz.policies.encryption_clusters import encryption_cluster_node_disks_cmk, encryption_collector_exporter_tls
from lz.review.evaluate import Evaluation, PolicySettings, evaluate

from ._graph import AWS_KEY, AZURE_KEY_URI, GCP_KEY, UNKNOWN, resource


def run(resources: list[Resource], policy: Any) -> Evaluation:
    return evaluate(resources, [policy], PolicySettings())


def messages(ev: Evaluation, target: Resource) -> list[str]:
    return [f.message for f in ev.findings if f.urn == target.urn]


ROOT = {"deviceName": "/dev/xvda", "ebs": {"encrypted": "true", "kmsKeyId": AWS_KEY, "volumeSize": 100}}

DISK_CASES: list[tuple[str, dict[str, Any], str, dict[str, Any]]] = [
    (
        "aws:ec2/launchTemplate:LaunchTemplate",
        {"name": "lt"},
        "`blockDeviceMappings` is empty",
        {"blockDeviceMappings": [ROOT]},
    ),
    (
        "aws:ec2/launchTemplate:LaunchTemplate",
        {"blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"encrypted": "true"}}]},
        "`blockDeviceMappings[0].ebs.kmsKeyId` is not set",
        {"blockDeviceMappings": [ROOT]},
    ),
    (
        "aws:ec2/launchTemplate:LaunchTemplate",
        {"blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"encrypted": "false", "kmsKeyId": AWS_KEY}}]},
        '`blockDeviceMappings[0].ebs.encrypted` must be "true"',
        {"blockDeviceMappings": [ROOT]},
    ),
    (
        "aws:ec2/launchTemplate:LaunchTemplate",
        {
            "blockDeviceMappings": [
                {"deviceName": "/dev/xvda", "ebs": {"encrypted": "true", "kmsKeyId": "alias/aws/ebs"}}
            ]
        },
        "AWS managed key",
        {"blockDeviceMappings": [ROOT, {"deviceName": "/dev/sdb", "virtualName": "ephemeral0"}]},
    ),
    (
        "aws:eks/nodeGroup:NodeGroup",
        {"diskSize": 100},
        "`launchTemplate` is not set",
        {"launchTemplate": {"id": "lt-0123", "version": "1"}},
    ),
    (
        "gcp:container/cluster:Cluster",
        {"nodeConfig": {"machineType": "e2-standard-4"}},
        "`nodeConfig.bootDiskKmsKey` is not set",
        {"nodeConfig": {"bootDiskKmsKey": GCP_KEY}},
    ),
    (
        "azure-native:containerservice:AgentPool",
        {"vmSize": "Standard_NC24ads_A100_v4"},
        '`osDiskType` must be "Managed" (it is not set (AKS then picks ephemeral',
        {"osDiskType": "Managed"},
    ),
    (
        "azure-native:containerservice:AgentPool",
        {"osDiskType": "Ephemeral"},
        "bypass the disk encryption set",
        {"osDiskType": "Ephemeral", "enableEncryptionAtHost": True},
    ),
    (
        "azure-native:containerservice:ManagedCluster",
        {"agentPoolProfiles": [{"name": "system", "osDiskType": "Ephemeral"}]},
        '`agentPoolProfiles[0].osDiskType` must be "Managed"',
        {"agentPoolProfiles": [{"name": "system", "osDiskType": "Managed"}]},
    ),
    (
        "azure-native:compute:DiskEncryptionSet",
        {"encryptionType": "EncryptionAtRestWithPlatformKey"},
        "`encryptionType` must be one of",
        {"encryptionType": "EncryptionAtRestWithCustomerKey", "activeKey": {"keyUrl": AZURE_KEY_URI}},
    ),
    (
        "azure-native:compute:DiskEncryptionSet",
        {"encryptionType": "EncryptionAtRestWithCustomerKey"},
        "`activeKey.keyUrl` is not set",
        {"activeKey": {"keyUrl": AZURE_KEY_URI}},
    ),
]


@pytest.mark.parametrize(
    ("type_", "bad", "fragment", "good"), DISK_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(DISK_CASES)]
)
def test_node_disks(type_: str, bad: dict[str, Any], fragment: str, good: dict[str, Any]) -> None:
    violating, compliant = resource(type_, "bad", bad), resource(type_, "good", good)
    ev = run([violating, compliant], encryption_cluster_node_disks_cmk)
    assert any(fragment in m for m in messages(ev, violating)), messages(ev, violating)
    assert messages(ev, compliant) == []
    assert {f.enforcement for f in ev.findings} == {"mandatory"}


def test_unknown_key_is_undecided() -> None:
    lt = resource(
        "aws:ec2/launchTemplate:LaunchTemplate",
        "lt",
        {"blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"encrypted": "true", "kmsKeyId": UNKNOWN}}]},
    )
    ev = run([lt], encryption_cluster_node_disks_cmk)
    assert ev.findings == [] and len(ev.undecided) == 1


# --- collectors --------------------------------------------------------------------------------


def collector(exporter: dict[str, Any], name: str = "otlp/central") -> str:
    return json.dumps(
        {  # JSON is YAML: a config as lz.core.otel renders it, with one exporter to vary
            "receivers": {"otlp": {"protocols": {"grpc": {}}}},
            "processors": {"memory_limiter": {}, "batch": {}},
            "exporters": {name: exporter},
            "service": {
                "pipelines": {
                    "traces": {"receivers": ["otlp"], "processors": ["memory_limiter", "batch"], "exporters": [name]}
                }
            },
        }
    )


TLS_OK = collector({"endpoint": "otlp.acme.example:4317", "tls": {"insecure": False, "min_version": "1.2"}})
PLAINTEXT = collector({"endpoint": "otlp.acme.example:4317", "tls": {"insecure": True}})
HTTP = collector({"endpoint": "http://otlp.acme.example:4318"}, name="otlphttp/central")
SKIP_VERIFY = collector(
    {"endpoint": "https://otlp.acme.example", "tls": {"insecure_skip_verify": True}}, name="otlphttp/central"
)
OLD_TLS = collector({"endpoint": "otlp.acme.example:4317", "tls": {"min_version": "1.0"}})


def ecs(config: str) -> dict[str, Any]:
    return {
        "containerDefinitions": json.dumps(
            [
                {
                    "name": "otel-collector",
                    "environment": [
                        {"name": "OTELCOL_CONFIG", "value": config},
                        {"name": "OTHER", "value": "exporters: nothing"},
                    ],
                }
            ]
        )
    }


def cloud_run(config: str) -> dict[str, Any]:
    return {
        "template": {
            "containers": [
                {
                    "envs": [
                        {"name": "OTELCOL_CONFIG", "value": config},
                        {"name": "OTLP_HEADER_AUTHORIZATION", "valueSource": {"secretKeyRef": {"secret": "s"}}},
                    ]
                }
            ]
        }
    }


def container_app(config: str) -> dict[str, Any]:
    return {
        "template": {
            "containers": [
                {
                    "env": [
                        {"name": "OTELCOL_CONFIG", "value": config},
                        {"name": "OTLP_HEADER_AUTHORIZATION", "secretRef": "h"},
                    ]
                }
            ]
        }
    }


HOSTS = [
    ("aws:ecs/taskDefinition:TaskDefinition", ecs),
    ("gcp:cloudrunv2/service:Service", cloud_run),
    ("azure-native:app:ContainerApp", container_app),
]


@pytest.mark.parametrize(("type_", "shape"), HOSTS, ids=[h[0] for h in HOSTS])
@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        (PLAINTEXT, "sets `tls.insecure: true`"),
        (HTTP, "without TLS: use https://"),
        (SKIP_VERIFY, "sets `tls.insecure_skip_verify: true`"),
        (OLD_TLS, "allows TLS 1.0"),
    ],
    ids=["insecure", "http", "skip-verify", "tls1.0"],
)
def test_collector_exporters_over_tls(type_: str, shape: Any, config: str, fragment: str) -> None:
    violating, compliant = resource(type_, "bad", shape(config)), resource(type_, "good", shape(TLS_OK))
    ev = run([violating, compliant], encryption_collector_exporter_tls)
    found = messages(ev, violating)
    assert len(found) == 1 and fragment in found[0] and "OTELCOL_CONFIG" in found[0], found
    assert messages(ev, compliant) == []


def test_a_rendered_gateway_config_passes() -> None:
    from lz.core import otel
    from lz.spec import load_landing_zone
    from tests.helpers import example_spec

    raw = example_spec()
    raw["telemetry"] = {
        "enabled": True,
        "endpoint": "https://otlp.acme.example",
        "protocol": "http",
        "headers": {"authorization": "otlpAuthorization"},
    }
    spec = load_landing_zone(raw, file="t", namespace="landing-zone")
    task = resource("aws:ecs/taskDefinition:TaskDefinition", "t", ecs(otel.collector_config(spec, "aws", "eu-west-1")))
    assert run([task], encryption_collector_exporter_tls).findings == []


def test_non_collector_environment_is_ignored() -> None:
    task = resource("aws:ecs/taskDefinition:TaskDefinition", "t", ecs("just: a value\nexporters: [1]"))
    assert run([task], encryption_collector_exporter_tls).findings == []


def test_unknown_container_definitions_are_undecided() -> None:
    task = resource("aws:ecs/taskDefinition:TaskDefinition", "t", {"containerDefinitions": UNKNOWN})
    ev = run([task], encryption_collector_exporter_tls)
    assert ev.findings == [] and len(ev.undecided) == 1
