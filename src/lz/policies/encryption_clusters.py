"""`encryption-` policies for Kubernetes nodes and OpenTelemetry collectors.

`encryption-cluster-node-disks-cmk`: every node disk rests under a customer-managed key.
- EC2 launch templates: a mapping of the root device (`/dev/xvda` or `/dev/sda1`), and every EBS
  mapping `encrypted` with a customer-managed `kmsKeyId` (a root volume left unmapped falls back to
  the AMI's and the account's default encryption, which is not this landing zone's key; a template
  mapping only a data volume does not encrypt the root).
- EKS managed node groups use a launch template (without one EKS builds the disks itself, with the
  account's default EBS key at best).
- GKE clusters: `nodeConfig.bootDiskKmsKey` (the first, default node pool; separate node pools are
  judged by `encryption-at-rest-cmk`).
- AKS: agent pools (inline `agentPoolProfiles` or AgentPool resources) use managed OS disks, which
  the cluster's disk encryption set covers, unless encryption at host is on; AKS picks ephemeral OS
  disks by default where the VM size allows, and those bypass the disk encryption set. Disk encryption
  sets themselves use a Key Vault key (`activeKey.keyUrl`) with a customer-key encryption type. (The
  cluster's `diskEncryptionSetID` is judged by `encryption-at-rest-cmk`.)

`encryption-collector-exporter-tls`: OpenTelemetry collectors export only over TLS. The policy finds
a collector configuration in a container's environment (ECS task definitions' `containerDefinitions`,
Cloud Run v2 services' `template.containers[].envs`, Container Apps' `template.containers[].env`): any
value that is YAML with `exporters` and `service` sections, as `lz.core.otel` renders it into
`OTELCOL_CONFIG`. Every exporter endpoint must not use `http://` (OTLP/HTTP ones must say `https://`),
and no exporter may set `tls.insecure`, `tls.insecure_skip_verify` or a TLS minimum below 1.2.

Unknown values are "cannot tell yet". What it deliberately does not do: judge secrets encryption of
the control planes (EKS and GKE are in `encryption-at-rest-cmk`; AKS KMS is not judged), collector
configs mounted from files or ConfigMaps it cannot see, or receivers (they sit behind the platform's
TLS termination or inside the network).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml
from pulumi_policy import EnforcementLevel, ResourceValidationPolicy, Severity

from ._support import Check, Props, get, is_set, is_true, items, maybe_json, show, table_policy
from .encryption import aws_cmk

LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
EKS_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
GKE_CLUSTER = "gcp:container/cluster:Cluster"
AKS_CLUSTER = "azure-native:containerservice:ManagedCluster"
AKS_AGENT_POOL = "azure-native:containerservice:AgentPool"
DISK_ENCRYPTION_SET = "azure-native:compute:DiskEncryptionSet"
ECS_TASK = "aws:ecs/taskDefinition:TaskDefinition"
CLOUD_RUN = "gcp:cloudrunv2/service:Service"
CONTAINER_APP = "azure-native:app:ContainerApp"

_DES_CMK_TYPES = (
    "EncryptionAtRestWithCustomerKey",
    "EncryptionAtRestWithPlatformAndCustomerKeys",
    "ConfidentialVmEncryptedWithCustomerKey",
)


# --- node disks --------------------------------------------------------------------------------

# The root device names EC2 AMIs use (docs.aws.amazon.com/ebs/latest/userguide/device_naming.html,
# read 2026-12-05): /dev/xvda (Amazon Linux, EKS AL2/AL2023 and Bottlerocket AMIs), /dev/sda1 (Ubuntu,
# RHEL, Windows). A template that maps neither leaves the root volume as the AMI's snapshot has it.
ROOT_DEVICE_NAMES = ("/dev/xvda", "/dev/sda1")


def _launch_template(props: Props) -> list[str]:
    mappings = items(get(props, "blockDeviceMappings"))
    if not mappings:
        return [
            "`blockDeviceMappings` is empty: the root volume falls back to the AMI's encryption; map the root "
            'device with `ebs: {encrypted: "true", kmsKeyId: <customer-managed key>}`'
        ]
    problems: list[str] = []
    devices = [str(get(m, "deviceName") or "") for m in mappings]
    if not any(d in ROOT_DEVICE_NAMES and get(m, "ebs") is not None for d, m in zip(devices, mappings, strict=True)):
        problems.append(
            f"`blockDeviceMappings` maps only {', '.join(d or '(no device name)' for d in devices)}: "
            "the root volume keeps the AMI's encryption; add a mapping for the AMI's root device "
            f'({" or ".join(ROOT_DEVICE_NAMES)}) with `ebs: {{encrypted: "true", kmsKeyId: '
            "<customer-managed key>}`"
        )
    for i, mapping in enumerate(mappings):
        if get(mapping, "ebs") is None:
            continue  # instance-store or suppressed device: nothing of EBS to encrypt
        base = f"blockDeviceMappings[{i}].ebs"
        if not is_true(get(props, f"{base}.encrypted")):
            problems.append(f'`{base}.encrypted` must be "true" (it is {show(get(props, f"{base}.encrypted"))})')
        problems.extend(aws_cmk(f"{base}.kmsKeyId")(props))
    return problems


def _node_group(props: Props) -> list[str]:
    template = get(props, "launchTemplate")
    if isinstance(template, Mapping) and (is_set(get(template, "id")) or is_set(get(template, "name"))):
        return []
    return [
        "`launchTemplate` is not set: EKS then creates the node volumes with the account's default EBS "
        "encryption; give the node group a launch template whose block device mappings use a "
        "customer-managed KMS key"
    ]


def _gke_cluster(props: Props) -> list[str]:
    if is_true(get(props, "enableAutopilot")):
        return []  # Autopilot has no node configuration of its own to judge here
    if is_set(get(props, "nodeConfig.bootDiskKmsKey")):
        return []
    return [
        "`nodeConfig.bootDiskKmsKey` is not set: the cluster's first node pool boots from disks under "
        "Google-managed keys; set it to the region's Cloud KMS key"
    ]


def _aks_pool_disk(pool: Any, where: str) -> list[str]:
    if is_true(get(pool, "enableEncryptionAtHost")):
        return []  # temp and OS disks are encrypted on the host with the cluster's disk encryption set
    disk_type = get(pool, "osDiskType")
    if isinstance(disk_type, str) and disk_type.lower() == "managed":
        return []
    shown = show(disk_type) + (" (AKS then picks ephemeral where the VM size allows)" if disk_type is None else "")
    return [
        f'`{where}osDiskType` must be "Managed" (it is {shown}): ephemeral OS disks bypass the disk '
        "encryption set; or turn on `enableEncryptionAtHost`"
    ]


def _aks_cluster(props: Props) -> list[str]:
    problems: list[str] = []
    for i, pool in enumerate(items(get(props, "agentPoolProfiles"))):
        problems.extend(_aks_pool_disk(pool, f"agentPoolProfiles[{i}]."))
    return problems


def _disk_encryption_set(props: Props) -> list[str]:
    problems: list[str] = []
    kind = get(props, "encryptionType")
    if kind is not None and kind not in _DES_CMK_TYPES:
        problems.append(f"`encryptionType` must be one of {', '.join(_DES_CMK_TYPES)} (it is {kind!r})")
    if not is_set(get(props, "activeKey.keyUrl")):
        problems.append(
            "`activeKey.keyUrl` is not set: point it at a Key Vault key (https://<vault>.vault.azure.net/keys/<key>)"
        )
    return problems


NODE_DISKS: dict[str, Check] = {
    LAUNCH_TEMPLATE: _launch_template,
    EKS_NODE_GROUP: _node_group,
    GKE_CLUSTER: _gke_cluster,
    AKS_CLUSTER: _aks_cluster,
    AKS_AGENT_POOL: lambda props: _aks_pool_disk(props, ""),
    DISK_ENCRYPTION_SET: _disk_encryption_set,
}


# --- collector exporters -----------------------------------------------------------------------


def _env_values(resource_type: str, props: Props) -> list[tuple[str, Any]]:
    """(where, value) of every container environment value of the resource."""
    out: list[tuple[str, Any]] = []
    if resource_type == ECS_TASK:
        definitions = maybe_json(get(props, "containerDefinitions"))
        for i, container in enumerate(items(definitions)):
            for j, env in enumerate(items(get(container, "environment"))):
                out.append((f"containerDefinitions[{i}].environment[{j}] ({get(env, 'name')})", get(env, "value")))
    elif resource_type in (CLOUD_RUN, CONTAINER_APP):
        key = "envs" if resource_type == CLOUD_RUN else "env"
        for i, container in enumerate(items(get(props, "template.containers"))):
            for j, env in enumerate(items(get(container, key))):
                out.append((f"template.containers[{i}].{key}[{j}] ({get(env, 'name')})", get(env, "value")))
    return out


def _collector_config(value: Any) -> Mapping[str, Any] | None:
    if not isinstance(value, str) or "exporters" not in value:
        return None
    try:
        doc = yaml.safe_load(value)
    except yaml.YAMLError:
        return None
    if isinstance(doc, Mapping) and isinstance(doc.get("exporters"), Mapping) and "service" in doc:
        return doc
    return None


_ENDPOINT_KEYS = ("endpoint", "traces_endpoint", "metrics_endpoint", "logs_endpoint")


def exporter_problems(config: Mapping[str, Any]) -> list[str]:
    """What keeps a collector configuration's exporters off TLS (shared with the tests)."""
    problems: list[str] = []
    for exporter_id, settings in sorted(config["exporters"].items(), key=lambda kv: str(kv[0])):
        if not isinstance(settings, Mapping):
            continue
        kind = str(exporter_id).split("/", 1)[0]
        for key in _ENDPOINT_KEYS:
            endpoint = settings.get(key)
            if not isinstance(endpoint, str) or endpoint.startswith("${"):
                continue  # unset, or filled in at run time: cannot tell here
            if endpoint.lower().startswith("http://"):
                problems.append(f"exporter {exporter_id!r} sends to {endpoint!r} without TLS: use https://")
            elif kind == "otlphttp" and not endpoint.lower().startswith("https://"):
                problems.append(f"exporter {exporter_id!r} endpoint {endpoint!r} names no scheme: use https://")
        tls = settings.get("tls")
        if isinstance(tls, Mapping):
            for flag in ("insecure", "insecure_skip_verify"):
                if is_true(tls.get(flag)):
                    problems.append(f"exporter {exporter_id!r} sets `tls.{flag}: true`")
            minimum = tls.get("min_version")
            if minimum is not None and str(minimum) in ("1.0", "1.1"):
                problems.append(f'exporter {exporter_id!r} allows TLS {minimum}: set `tls.min_version: "1.2"`')
    return problems


def _collector_tls(resource_type: str) -> Check:
    def check(props: Props) -> list[str]:
        problems: list[str] = []
        for where, value in _env_values(resource_type, props):
            config = _collector_config(value)
            if config is not None:
                problems.extend(f"{p} (collector config in `{where}`)" for p in exporter_problems(config))
        return problems

    return check


COLLECTORS: dict[str, Check] = {t: _collector_tls(t) for t in (ECS_TASK, CLOUD_RUN, CONTAINER_APP)}


encryption_cluster_node_disks_cmk = ResourceValidationPolicy(
    name="encryption-cluster-node-disks-cmk",
    description="Kubernetes node disks rest under a customer-managed key: EKS launch templates with CMK-encrypted "
    "EBS, GKE boot disks with CMEK, AKS managed OS disks through a Key Vault-backed disk encryption set.",
    validate=table_policy(NODE_DISKS),
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="EKS: give every node group a launch template mapping the root device with `ebs: {encrypted: "
    '"true", kmsKeyId: <region CMK>}` (and grant the Auto Scaling service-linked role on the key). '
    "GKE: `nodeConfig.bootDiskKmsKey` on the cluster and every node pool. AKS: `osDiskType: "
    "Managed` on every agent pool (or encryption at host), a `diskEncryptionSetID` on the cluster, "
    "and a disk encryption set whose `activeKey.keyUrl` is a Key Vault key. Types: " + ", ".join(sorted(NODE_DISKS)),
)

encryption_collector_exporter_tls = ResourceValidationPolicy(
    name="encryption-collector-exporter-tls",
    description="OpenTelemetry collectors (configured through a container environment variable) export only over "
    "TLS 1.2 or newer, with certificate verification on.",
    validate=table_policy(COLLECTORS),
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="In the collector configuration, give every exporter an https:// endpoint (or host:port for "
    "OTLP gRPC, which uses TLS unless told otherwise), remove `tls.insecure` and "
    '`tls.insecure_skip_verify`, and set `tls.min_version: "1.2"` or leave it unset. '
    "`lz.core.otel.collector_config` renders such a configuration from `telemetry`. Types: "
    + ", ".join(sorted(COLLECTORS)),
)

POLICIES: list[Any] = [encryption_cluster_node_disks_cmk, encryption_collector_exporter_tls]
