"""Inventory of the OpenTelemetry gateways: ECS Fargate, Cloud Run and Container Apps, one per cloud and region.

Reads the plan of tests/components/test_gpu.py (`workloads_plan`: the example plus GPU pools and telemetry
with native backends for aws and azure, not gcp). Checks what each gateway creates, that it is private and
least-privileged, that its rendered collector config is where the policy pack reads it and is well formed,
and that header values only ever appear as secrets.

If the inventory changes on purpose, print the new one with `.venv/bin/python -m tests.components.test_telemetry`.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from lz.core import otel
from tests.components.test_gpu import in_scope, inventory, one, stack_outputs, workloads_plan
from tests.test_otel import check_structure

REGENERATE = ".venv/bin/python -m tests.components.test_telemetry"
SCOPE = "lz:telemetry:"
SECRET = "[secret]"

INVENTORY: dict[str, int] = {
    "aws:cloudwatch/logGroup:LogGroup": 6,
    "aws:ec2/securityGroup:SecurityGroup": 2,
    "aws:ecs/cluster:Cluster": 2,
    "aws:ecs/service:Service": 2,
    "aws:ecs/taskDefinition:TaskDefinition": 2,
    "aws:iam/role:Role": 4,
    "aws:iam/rolePolicy:RolePolicy": 4,
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": 2,
    "aws:servicediscovery/service:Service": 2,
    "aws:ssm/parameter:Parameter": 2,
    "aws:xray/encryptionConfig:EncryptionConfig": 2,
    "azure-native:app:ContainerApp": 2,
    "azure-native:app:ManagedEnvironment": 2,
    "azure-native:applicationinsights:Component": 2,
    "azure-native:authorization:RoleAssignment": 4,
    "azure-native:managedidentity:UserAssignedIdentity": 2,
    "azure-native:operationalinsights:Workspace": 2,
    "azure-native:resources:ResourceGroup": 2,
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": 4,
    "gcp:cloudrunv2/service:Service": 2,
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": 2,
    "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": 4,
    "gcp:projects/service:Service": 2,
    "gcp:projects/serviceIdentity:ServiceIdentity": 1,
    "gcp:secretmanager/secret:Secret": 2,
    "gcp:secretmanager/secretIamMember:SecretIamMember": 2,
    "gcp:secretmanager/secretVersion:SecretVersion": 2,
    "gcp:serviceaccount/account:Account": 3,
    "gcp:serviceaccount/iAMMember:IAMMember": 1,
}
COMPONENTS: dict[str, int] = {
    "lz:telemetry:AwsOtelGateway": 2,
    "lz:telemetry:AzureOtelGateway": 2,
    "lz:telemetry:GcpOtelGateway": 2,
    "lz:telemetry:GcpTelemetryServices": 1,
}


def env_config(envs: list[dict[str, Any]]) -> dict[str, Any]:
    (value,) = [e["value"] for e in envs if e["name"] == otel.CONFIG_ENV]
    config: dict[str, Any] = yaml.safe_load(value)
    return config


def test_plan_passes_the_policy_gate() -> None:
    planned = workloads_plan()
    ours = [f for f in planned.mandatory() if f"${SCOPE}" in f["urn"]]
    assert ours == [], json.dumps(ours, indent=1)
    assert planned.exit_code == 0, json.dumps(planned.mandatory(), indent=1)


def test_inventory() -> None:
    resources, components = inventory(workloads_plan(), SCOPE)
    assert resources == INVENTORY, f"inventory changed; regenerate with {REGENERATE}"
    assert components == COMPONENTS


def test_ecs_gateway() -> None:
    planned = workloads_plan()
    service = one(planned, "aws:ecs/service:Service", "eu-west-1")["inputs"]
    network = service["networkConfiguration"]
    assert network["assignPublicIp"] is False and service["launchType"] == "FARGATE"
    private = {r["id"] for r in planned.by_type("aws:ec2/subnet:Subnet") if "eu-west-1-private" in r["urn"]}
    assert set(network["subnets"]) == private and service["desiredCount"] == 2
    task = one(planned, "aws:ecs/taskDefinition:TaskDefinition", "eu-west-1")["inputs"]
    (container,) = json.loads(task["containerDefinitions"])
    config = env_config(container["environment"])
    check_structure(config)
    assert config["service"]["pipelines"]["traces"]["exporters"] == ["otlp/central", "awsxray"]
    assert container["command"] == ["--config=env:OTELCOL_CONFIG"]
    parameter = one(planned, "aws:ssm/parameter:Parameter", "eu-west-1")["inputs"]
    (secret,) = container["secrets"]
    assert secret["name"] == "OTLP_HEADER_AUTHORIZATION"
    assert secret["valueFrom"] == f"arn:aws:ssm:eu-west-1:111111111111:parameter{parameter['name']}"
    key = one(planned, "aws:kms/key:Key", "eu-west-1")
    assert parameter["type"] == "SecureString" and parameter["keyId"].endswith(key["id"])
    assert parameter["value"] == SECRET
    log_group = container["logConfiguration"]["options"]["awslogs-group"]
    assert one(planned, "aws:cloudwatch/logGroup:LogGroup", "eu-west-1-logs")["inputs"]["name"] == log_group


def test_ecs_roles_are_least_privilege() -> None:
    planned = workloads_plan()
    execution = json.loads(one(planned, "aws:iam/rolePolicy:RolePolicy", "eu-west-1-execution")["inputs"]["policy"])
    actions = sorted(a for s in execution["Statement"] for a in s["Action"])
    # The example mirrors the image (registries.mirror): pulls, and the first pull's import, from the cache.
    ecr = [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:BatchImportUpstreamImage",
        "ecr:CreateRepository",
        "ecr:GetAuthorizationToken",
        "ecr:GetDownloadUrlForLayer",
    ]
    assert actions == sorted([*ecr, "kms:Decrypt", "logs:CreateLogStream", "logs:PutLogEvents", "ssm:GetParameters"])
    # Only the registry token is account-wide: GetAuthorizationToken has no resource-level permissions.
    assert [s["Action"] for s in execution["Statement"] if s["Resource"] == "*"] == [["ecr:GetAuthorizationToken"]]
    task = json.loads(one(planned, "aws:iam/rolePolicy:RolePolicy", "eu-west-1-task-policy")["inputs"]["policy"])
    wildcard = [s for s in task["Statement"] if s["Resource"] == "*"]
    assert [s["Sid"] for s in wildcard] == ["PutTraces"]  # X-Ray has no resource-level permissions
    assert all(a.startswith("xray:") for s in wildcard for a in s["Action"])


def test_cloud_run_gateway() -> None:
    planned = workloads_plan()
    service = one(planned, "gcp:cloudrunv2/service:Service", "europe-west4")["inputs"]
    key_id = one(planned, "gcp:kms/cryptoKey:CryptoKey", "europe-west4")["id"]
    subnet = one(planned, "gcp:compute/subnetwork:Subnetwork", "europe-west4-subnet")["id"]
    assert service["ingress"] == "INGRESS_TRAFFIC_INTERNAL_ONLY" and service["invokerIamDisabled"] is False
    template = service["template"]
    assert template["encryptionKey"] == key_id
    assert template["vpcAccess"]["egress"] == "ALL_TRAFFIC"
    assert template["vpcAccess"]["networkInterfaces"][0]["subnetwork"] == subnet
    assert template["serviceAccount"].startswith("acme-dev-euw4-otel-gw@")
    (container,) = template["containers"]
    config = env_config(container["envs"])
    check_structure(config)
    assert config["service"]["pipelines"]["logs"]["exporters"] == ["otlp/central"]  # gcp is not native here
    header = next(e for e in container["envs"] if e["name"] == "OTLP_HEADER_AUTHORIZATION")
    assert "value" not in header and header["valueSource"]["secretKeyRef"]["secret"]
    secret = one(planned, "gcp:secretmanager/secret:Secret", "europe-west4")["inputs"]
    (replica,) = secret["replication"]["userManaged"]["replicas"]
    assert replica == {"location": "europe-west4", "customerManagedEncryption": {"kmsKeyName": key_id}}
    # Without native backends the gateway's account holds no project role at all.
    assert not [r for r in in_scope(planned, SCOPE) if r["type"] == "gcp:projects/iAMMember:IAMMember"]
    agents = sorted(
        r["inputs"]["member"].split("@")[1]
        for r in in_scope(planned, "GcpOtelGateway")
        if r["type"] == "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember"
    )
    assert (
        agents
        == ["gcp-sa-secretmanager.iam.gserviceaccount.com"] * 2 + ["serverless-robot-prod.iam.gserviceaccount.com"] * 2
    )


def test_cloud_run_gateways_are_invoked_by_the_sender_account_the_gpu_agents_act_as() -> None:
    planned = workloads_plan()
    index = planned.urn_index()
    (sender,) = [
        r for r in in_scope(planned, "GcpTelemetryServices") if r["type"] == "gcp:serviceaccount/account:Account"
    ]
    email = f"{sender['inputs']['accountId']}@acme-ai-dev.iam.gserviceaccount.com"
    invokers = [r for r in in_scope(planned, SCOPE) if r["type"] == "gcp:cloudrunv2/serviceIamMember:ServiceIamMember"]
    assert len(invokers) == 2  # one per gateway
    for grant in invokers:
        (service,) = grant["propertyDependencies"]["name"]
        gateway = index[service]["inputs"]
        assert grant["inputs"]["role"] == "roles/run.invoker"
        assert grant["inputs"]["member"] == f"serviceAccount:{email}"
        assert (grant["inputs"]["name"], grant["inputs"]["location"]) == (gateway["name"], gateway["location"])
    # The agents' Kubernetes service account acts as the sender, once a GPU cluster's workload pool exists.
    (binding,) = [r for r in in_scope(planned, SCOPE) if r["type"] == "gcp:serviceaccount/iAMMember:IAMMember"]
    assert binding["inputs"]["role"] == "roles/iam.workloadIdentityUser"
    assert binding["inputs"]["member"] == "serviceAccount:acme-ai-dev.svc.id.goog[otel-agent/otel-agent]"
    assert any(index[d]["type"] == "gcp:container/cluster:Cluster" for d in binding["dependencies"])
    # The agent of the GPU cluster exports to its region's gateway with an ID token for its URL.
    manifest = stack_outputs(planned)["foundation"]["gpu"]["gcp"]["europe-west4"]["otel_agent_manifest"]
    docs = list(yaml.safe_load_all(manifest))
    assert docs[1]["metadata"]["annotations"]["iam.gke.io/gcp-service-account"] == email
    config = yaml.safe_load(docs[2]["data"]["collector.yaml"])
    audience = config["extensions"]["googleclientauth"]["audience"]
    gateway = one(planned, "gcp:cloudrunv2/service:Service", "europe-west4")["inputs"]["name"]
    assert audience.startswith(f"https://{gateway}-") and audience.endswith(".europe-west4.run.app")
    assert config["exporters"]["otlp/gateway"]["endpoint"] == audience.removeprefix("https://") + ":443"


def test_container_apps_gateway() -> None:
    planned = workloads_plan()
    environment = one(planned, "azure-native:app:ManagedEnvironment", "westeurope")["inputs"]
    apps_subnet = one(planned, "azure-native:network:Subnet", "westeurope-snet-apps")["id"]
    assert environment["vnetConfiguration"] == {"infrastructureSubnetId": apps_subnet, "internal": True}
    assert environment["publicNetworkAccess"] == "Disabled"
    key = one(planned, "azure-native:keyvault:Key", "westeurope")["inputs"]
    assert (
        environment["diskEncryptionConfiguration"]["keyVaultConfiguration"]["keyUrl"]
        == f"https://{key['vaultName']}.vault.azure.net/keys/{key['keyName']}"
    )
    identity = one(planned, "azure-native:managedidentity:UserAssignedIdentity", "otel-westeurope-identity")
    assert environment["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [identity["id"]]}
    app = one(planned, "azure-native:app:ContainerApp", "westeurope")["inputs"]
    assert app["configuration"]["ingress"]["external"] is False
    assert app["configuration"]["ingress"]["allowInsecure"] is False
    assert all(s["value"] == SECRET for s in app["configuration"]["secrets"])
    (container,) = app["template"]["containers"]
    config = env_config(container["env"])
    check_structure(config)
    assert config["exporters"]["azuremonitor"]["connection_string"] == "${env:APPLICATIONINSIGHTS_CONNECTION_STRING}"
    refs = {e["name"]: e.get("secretRef") for e in container["env"] if e["name"] != otel.CONFIG_ENV}
    assert refs == {
        "OTLP_HEADER_AUTHORIZATION": "otlp-header-authorization",
        "APPLICATIONINSIGHTS_CONNECTION_STRING": "appinsights-connection-string",
    }
    roles = [
        r["inputs"]["roleDefinitionId"].rsplit("/", 1)[-1]
        for r in in_scope(planned, SCOPE)
        if r["type"] == "azure-native:authorization:RoleAssignment"
    ]
    # The key, for the environment's disks, and AcrPull on the region's cache registry (registries.mirror).
    assert sorted(roles) == ["7f951dda-4ed3-4680-a7ca-43fe172d538d"] * 2 + ["e147488a-f6f5-4113-8e2d-b22465e65bf6"] * 2


def test_header_values_never_appear_in_plain_text() -> None:
    planned = workloads_plan()
    text = json.dumps(in_scope(planned, SCOPE))
    assert "b2ZmbGluZQ" not in text  # the stack file's ciphertext never reaches the graph
    assert text.count(SECRET) >= 6  # one secret value per header and region on every cloud


def test_gateway_outputs() -> None:
    telemetry = stack_outputs(workloads_plan())["foundation"]["telemetry"]
    assert sorted(telemetry) == ["aws", "azure", "gcp"]
    assert telemetry["aws"]["eu-west-1"]["endpoint"] == "gateway.euw1.acme-dev.otel.internal:4317"
    assert telemetry["aws"]["eu-west-1"]["native"] is True and telemetry["gcp"]["europe-west4"]["native"] is False
    hashes = {region["config_sha256"] for cloud in telemetry.values() for region in cloud.values()}
    assert len(hashes) == 6  # one distinct config per cloud and region


if __name__ == "__main__":
    found, comps = inventory(workloads_plan(), SCOPE)
    print(json.dumps({"INVENTORY": found, "COMPONENTS": comps}, indent=4))
