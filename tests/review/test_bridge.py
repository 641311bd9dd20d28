"""The translations themselves (no checkov here): type names, property shapes, references, ARM nesting."""

from __future__ import annotations

import json
import re

import pytest

from lz.core.graph import Resource
from lz.review.bridge import _sdk_registry, sdk_class, snake
from lz.review.bridge.arm import ARM_TYPES, api_version, to_arm, to_arm_resource
from lz.review.bridge.arm import unmapped as arm_unmapped
from lz.review.bridge.terraform import TYPE_OVERRIDES, singular, terraform_type, to_tfplan
from lz.review.bridge.terraform import unmapped as tf_unmapped
from tests.review.cases import all_cases, all_resources, bucket, kms_key, ref, res


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("aws:s3/bucket:Bucket", "aws_s3_bucket"),
        ("aws:s3/bucketV2:BucketV2", "aws_s3_bucket"),
        (
            "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
            "aws_s3_bucket_server_side_encryption_configuration",
        ),
        ("aws:ec2/vpc:Vpc", "aws_vpc"),
        ("aws:ec2/subnet:Subnet", "aws_subnet"),
        ("aws:ec2/flowLog:FlowLog", "aws_flow_log"),
        ("aws:ec2/managedPrefixList:ManagedPrefixList", "aws_ec2_managed_prefix_list"),
        ("aws:ec2transitgateway/transitGateway:TransitGateway", "aws_ec2_transit_gateway"),
        ("aws:ec2transitgateway/vpcAttachment:VpcAttachment", "aws_ec2_transit_gateway_vpc_attachment"),
        ("aws:cloudwatch/logGroup:LogGroup", "aws_cloudwatch_log_group"),
        ("aws:cloudtrail/trail:Trail", "aws_cloudtrail"),
        ("aws:kms/key:Key", "aws_kms_key"),
        ("aws:rds/instance:Instance", "aws_db_instance"),
        ("aws:rds/cluster:Cluster", "aws_rds_cluster"),
        ("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "aws_iam_openid_connect_provider"),
        ("aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase", "aws_bedrockagent_knowledge_base"),
        ("gcp:compute/network:Network", "google_compute_network"),
        ("gcp:kms/cryptoKey:CryptoKey", "google_kms_crypto_key"),
        ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "google_kms_crypto_key_iam_member"),
        ("gcp:projects/iAMAuditConfig:IAMAuditConfig", "google_project_iam_audit_config"),
        ("gcp:projects/service:Service", "google_project_service"),
        ("gcp:serviceaccount/account:Account", "google_service_account"),
        ("gcp:secretmanager/secret:Secret", "google_secret_manager_secret"),
        ("gcp:artifactregistry/repository:Repository", "google_artifact_registry_repository"),
        ("gcp:storage/bucket:Bucket", "google_storage_bucket"),
        ("gcp:container/nodePool:NodePool", "google_container_node_pool"),
    ],
)
def test_terraform_type(token: str, expected: str) -> None:
    assert terraform_type(token) == expected


def test_no_terraform_type_for_other_packages() -> None:
    for token in (
        "azure-native:storage:StorageAccount",
        "pulumi:providers:aws",
        "lz:network:AwsRegionNetwork",
        "random:index/randomId:RandomId",
    ):
        assert terraform_type(token) is None


def test_every_override_names_a_type_the_sdk_has() -> None:
    known = set(_sdk_registry("pulumi_aws")) | set(_sdk_registry("pulumi_gcp"))
    assert sorted(set(TYPE_OVERRIDES) - known) == []


@pytest.mark.parametrize(
    ("plural", "tf"),
    [
        ("rules", "rule"),
        ("allows", "allow"),
        ("denies", "deny"),
        ("inline_policies", "inline_policy"),
        ("accesses", "access"),
        ("global_secondary_indexes", "global_secondary_index"),
        ("ingress", "ingress"),
        ("settings", "setting"),
        ("cors", "cors"),
        ("database_flags", "database_flags"),
    ],
)
def test_singular(plural: str, tf: str) -> None:
    assert singular(plural) == tf


def _planned(plan: dict, address: str) -> dict:
    return next(r for r in plan["planned_values"]["root_module"]["resources"] if r["address"] == address)


def _config(plan: dict, address: str) -> dict:
    return next(r for r in plan["configuration"]["root_module"]["resources"] if r["address"] == address)


def test_blocks_become_lists_maps_stay_maps_and_plurals_are_undone() -> None:
    key = kms_key("unit-key")
    b = bucket("unit-bucket")
    sse = res(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "unit-sse",
        {
            "bucket": ref(b),
            "rules": [
                {
                    "applyServerSideEncryptionByDefault": {
                        "sseAlgorithm": "aws:kms",
                        "kmsMasterKeyId": ref(key, "arn"),
                    },
                    "bucketKeyEnabled": True,
                }
            ],
        },
        rid=b.id,
    )
    plan, urns = to_tfplan([key, b, sse])
    sse_addr = urns_by_urn(urns)[sse.urn]
    values = _planned(plan, sse_addr)["values"]
    assert values["rule"][0]["apply_server_side_encryption_by_default"][0]["sse_algorithm"] == "aws:kms"
    assert values["rule"][0]["bucket_key_enabled"] is True
    bucket_values = _planned(plan, urns_by_urn(urns)[b.urn])["values"]
    assert bucket_values["tags"]["cost-center"] == "4711"  # a map, not a one-element list
    # References: left out of the planned values (unknown until apply), present in the configuration.
    assert "bucket" not in values
    assert "kms_master_key_id" not in values["rule"][0]["apply_server_side_encryption_by_default"][0]
    expressions = _config(plan, sse_addr)["expressions"]
    key_addr = urns_by_urn(urns)[key.urn]
    assert expressions["bucket"]["references"] == [f"{urns_by_urn(urns)[b.urn]}.id", urns_by_urn(urns)[b.urn]]
    nested = expressions["rule"][0]["apply_server_side_encryption_by_default"][0]["kms_master_key_id"]
    assert nested["references"] == [f"{key_addr}.arn", key_addr]
    change = next(c for c in plan["resource_changes"] if c["address"] == sse_addr)
    assert change["change"]["actions"] == ["create"] and change["change"]["after"] == values
    assert change["change"]["after_unknown"] == {"bucket": True, "rule": True}


def urns_by_urn(urns: dict[str, str]) -> dict[str, str]:
    return {u: a for a, u in urns.items()}


def test_reference_found_without_property_dependencies_by_exact_id() -> None:
    """A `pulumi stack export` may lack property dependencies; an exact id still makes a reference."""
    vpc = Resource(
        urn="urn:pulumi:s::p::aws:ec2/vpc:Vpc::v",
        type="aws:ec2/vpc:Vpc",
        custom=True,
        inputs={"cidrBlock": "10.0.0.0/16"},
        id="vpc-0123456789abcdef0",
    )
    subnet = Resource(
        urn="urn:pulumi:s::p::aws:ec2/subnet:Subnet::s",
        type="aws:ec2/subnet:Subnet",
        custom=True,
        inputs={"vpcId": "vpc-0123456789abcdef0", "cidrBlock": "10.0.1.0/24"},
        id="subnet-1",
    )
    plan, _ = to_tfplan([vpc, subnet])
    assert _config(plan, "aws_subnet.s")["expressions"]["vpc_id"]["references"] == ["aws_vpc.v.id", "aws_vpc.v"]
    assert "vpc_id" not in _planned(plan, "aws_subnet.s")["values"]


def test_region_and_project_come_from_the_provider() -> None:
    provider = Resource(
        urn="urn:pulumi:s::p::pulumi:providers:aws::euw1",
        type="pulumi:providers:aws",
        custom=True,
        inputs={"region": "eu-west-1"},
        id="prov",
    )
    key = Resource(
        urn="urn:pulumi:s::p::aws:kms/key:Key::k",
        type="aws:kms/key:Key",
        custom=True,
        inputs={"enableKeyRotation": True},
        provider=f"{provider.urn}::prov",
        id="kid",
    )
    plan, urns = to_tfplan([provider, key])
    assert _planned(plan, "aws_kms_key.k")["values"]["region"] == "eu-west-1"
    assert (
        plan["configuration"]["provider_config"]["aws.euw1"]["expressions"]["region"]["constant_value"] == "eu-west-1"
    )
    assert _config(plan, "aws_kms_key.k")["provider_config_key"] == "aws.euw1"
    assert urns["aws.euw1"] == provider.urn


def test_addresses_are_unique_and_the_plan_is_deterministic() -> None:
    a = Resource(
        urn="urn:pulumi:s::p::lz:x:A$aws:kms/key:Key::key", type="aws:kms/key:Key", custom=True, inputs={}, id="1"
    )
    b = Resource(
        urn="urn:pulumi:s::p::lz:x:B$aws:kms/key:Key::key", type="aws:kms/key:Key", custom=True, inputs={}, id="2"
    )
    plan1, urns1 = to_tfplan([a, b])
    plan2, urns2 = to_tfplan([b, a])
    assert json.dumps(plan1) == json.dumps(plan2) and urns1 == urns2
    addresses = [r["address"] for r in plan1["planned_values"]["root_module"]["resources"]]
    assert len(set(addresses)) == 2
    assert all(re.fullmatch(r"aws_kms_key\.[A-Za-z_][A-Za-z0-9_]*", x) for x in addresses)


def test_policy_documents_become_json_strings() -> None:
    role = Resource(
        urn="urn:pulumi:s::p::aws:iam/role:Role::r",
        type="aws:iam/role:Role",
        custom=True,
        inputs={"assumeRolePolicy": {"Version": "2012-10-17", "Statement": []}},
        id="r",
    )
    plan, _ = to_tfplan([role])
    assert json.loads(_planned(plan, "aws_iam_role.r")["values"]["assume_role_policy"])["Version"] == "2012-10-17"


def test_unknown_and_unmapped_types() -> None:
    odd = Resource(
        urn="urn:pulumi:s::p::aws:nothing/here:Here::x",
        type="aws:nothing/here:Here",
        custom=True,
        inputs={"someBlock": {"aValue": 1}, "labels": {"A-b": "c"}},
        id="x",
    )
    plan, _urns = to_tfplan([odd])
    values = _planned(plan, "aws_nothing_here.x")["values"]  # no SDK class: the values decide the shapes
    assert values == {"labels": {"A-b": "c"}, "some_block": [{"a_value": 1}]}
    assert tf_unmapped([odd]) == []
    native = Resource(
        urn="urn:pulumi:s::p::azure-native:foo:Bar::x", type="azure-native:foo:Bar", custom=True, inputs={}, id=""
    )
    assert arm_unmapped([native]) == ["azure-native:foo:Bar"]
    assert to_arm([native])[0]["resources"] == []


def test_the_proof_graph_bridges_every_case_resource() -> None:
    resources = all_resources(all_cases())
    _plan, tf_urns = to_tfplan(resources)
    _arm, arm_urns = to_arm(resources)
    urns = set(tf_urns.values()) | set(arm_urns.values())
    assert {r.urn for r in resources} == urns


# --- ARM -----------------------------------------------------------------------------------------


def test_every_arm_type_exists_in_the_sdk_with_its_name_inputs() -> None:
    for token, spec in sorted(ARM_TYPES.items()):
        cls = sdk_class(token)
        assert cls is not None, token
        params = {
            p.rstrip("_")
            for p in re.findall(
                r"^\s+(\w+): ", cls.text.split("def _internal_init(", 1)[1].split("__props__", 1)[0], re.M
            )
        }
        for key in (spec.name_key, *(p for p in spec.parents if not p.startswith("="))):
            assert snake(key) in params, f"{token}: no input {key}"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}(-preview)?", api_version(token) or ""), token


def test_arm_resource_shape() -> None:
    sa = Resource(
        urn="urn:pulumi:s::p::azure-native:storage:StorageAccount::sa",
        type="azure-native:storage:StorageAccount",
        custom=True,
        id="/x",
        inputs={
            "accountName": "stacme",
            "resourceGroupName": "rg",
            "location": "westeurope",
            "kind": "StorageV2",
            "sku": {"name": "Standard_ZRS"},
            "tags": {"owner": "me"},
            "enableHttpsTrafficOnly": True,
            "minimumTlsVersion": "TLS1_2",
            "networkRuleSet": {"defaultAction": "Deny"},
            "identity": {"type": "UserAssigned", "userAssignedIdentities": ["/subscriptions/s/id1"]},
            "encryption": {
                "keySource": "Microsoft.Keyvault",
                "keyVaultProperties": {"keyName": "k", "keyVaultUri": "https://v"},
                "encryptionIdentity": {"encryptionUserAssignedIdentity": "/subscriptions/s/id1"},
            },
        },
    )
    arm = to_arm_resource(sa)
    assert arm is not None
    assert arm["type"] == "Microsoft.Storage/storageAccounts" and arm["name"] == "stacme"
    assert arm["apiVersion"] == api_version("azure-native:storage:StorageAccount")
    assert (arm["location"], arm["kind"], arm["sku"], arm["tags"]) == (
        "westeurope",
        "StorageV2",
        {"name": "Standard_ZRS"},
        {"owner": "me"},
    )
    assert arm["identity"]["userAssignedIdentities"] == {"/subscriptions/s/id1": {}}
    props = arm["properties"]
    assert props["supportsHttpsTrafficOnly"] is True and props["networkAcls"] == {"defaultAction": "Deny"}
    assert props["encryption"]["keyvaultproperties"] == {"keyname": "k", "keyvaulturi": "https://v"}
    assert props["encryption"]["identity"] == {"userAssignedIdentity": "/subscriptions/s/id1"}
    assert "accountName" not in props and "resourceGroupName" not in props and "location" not in props


def test_arm_children_and_subresources() -> None:
    key = Resource(
        urn="urn:pulumi:s::p::azure-native:keyvault:Key::k",
        type="azure-native:keyvault:Key",
        custom=True,
        id="",
        inputs={"keyName": "cmk", "vaultName": "kv1", "resourceGroupName": "rg", "properties": {"kty": "RSA-HSM"}},
    )
    assert to_arm_resource(key) == {
        "type": "Microsoft.KeyVault/vaults/keys",
        "apiVersion": api_version("azure-native:keyvault:Key"),
        "name": "kv1/cmk",
        "properties": {"kty": "RSA-HSM"},
    }
    container = Resource(
        urn="urn:pulumi:s::p::azure-native:storage:BlobContainer::c",
        type="azure-native:storage:BlobContainer",
        custom=True,
        id="",
        inputs={"containerName": "data", "accountName": "sa1", "resourceGroupName": "rg"},
    )
    assert to_arm_resource(container)["name"] == "sa1/default/data"  # type: ignore[index]
    nsg = Resource(
        urn="urn:pulumi:s::p::azure-native:network:NetworkSecurityGroup::n",
        type="azure-native:network:NetworkSecurityGroup",
        custom=True,
        id="",
        inputs={
            "networkSecurityGroupName": "nsg",
            "resourceGroupName": "rg",
            "securityRules": [{"name": "ssh", "protocol": "Tcp", "access": "Allow", "direction": "Inbound"}],
        },
    )
    rule = to_arm_resource(nsg)["properties"]["securityRules"][0]  # type: ignore[index]
    assert rule == {"name": "ssh", "properties": {"protocol": "Tcp", "access": "Allow", "direction": "Inbound"}}
    vnet = Resource(
        urn="urn:pulumi:s::p::azure-native:network:VirtualNetwork::v",
        type="azure-native:network:VirtualNetwork",
        custom=True,
        id="",
        inputs={
            "virtualNetworkName": "v",
            "resourceGroupName": "rg",
            "subnets": [
                {
                    "name": "a",
                    "addressPrefix": "10.0.0.0/24",
                    "delegations": [{"name": "d", "serviceName": "Microsoft.Web/serverFarms"}],
                }
            ],
        },
    )
    subnet = to_arm_resource(vnet)["properties"]["subnets"][0]  # type: ignore[index]
    assert subnet["properties"]["delegations"] == [
        {"name": "d", "properties": {"serviceName": "Microsoft.Web/serverFarms"}}
    ]


def test_arm_type_from_a_real_resource_id_when_not_in_the_table() -> None:
    r = Resource(
        urn="urn:pulumi:s::p::azure-native:network:ApplicationSecurityGroup::asg",
        type="azure-native:network:ApplicationSecurityGroup",
        custom=True,
        id="/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/asg1",
        inputs={"applicationSecurityGroupName": "asg1", "resourceGroupName": "rg", "location": "westeurope"},
    )
    arm = to_arm_resource(r)
    assert arm is not None and arm["type"] == "Microsoft.Network/applicationSecurityGroups"
    assert arm["name"] == "asg1" and arm["properties"] == {}


def test_arm_template_and_names() -> None:
    resources = [r for r in all_resources(all_cases()) if r.package == "azure-native"]
    template, names = to_arm(resources)
    assert template["$schema"].endswith("deploymentTemplate.json#") and template["contentVersion"] == "1.0.0.0"
    assert len(template["resources"]) == len(resources) == len(names)
    assert set(names) == {f"{r['type']}.{r['name']}" for r in template["resources"]}
    assert json.dumps(to_arm(list(reversed(resources)))[0]) == json.dumps(template)


def test_same_named_dependencies_are_told_apart() -> None:
    """A role and a log group may share a name; the input's own dependency (or the ARN's service) decides."""
    role = Resource(
        urn="urn:pulumi:s::p::aws:iam/role:Role::role",
        type="aws:iam/role:Role",
        custom=True,
        inputs={"name": "flow-logs"},
        id="flow-logs",
    )
    group = Resource(
        urn="urn:pulumi:s::p::aws:cloudwatch/logGroup:LogGroup::group",
        type="aws:cloudwatch/logGroup:LogGroup",
        custom=True,
        inputs={"name": "flow-logs"},
        id="flow-logs",
    )
    inputs = {"iamRoleArn": "arn:aws:iam::1:role/flow-logs", "logDestination": "arn:aws:logs:r:1:log-group:flow-logs"}
    with_keys = Resource(
        urn="urn:pulumi:s::p::aws:ec2/flowLog:FlowLog::a",
        type="aws:ec2/flowLog:FlowLog",
        custom=True,
        inputs=inputs,
        id="fl-a",
        property_dependencies={"iamRoleArn": [role.urn], "logDestination": [group.urn]},
    )
    by_service = Resource(
        urn="urn:pulumi:s::p::aws:ec2/flowLog:FlowLog::b",
        type="aws:ec2/flowLog:FlowLog",
        custom=True,
        inputs=inputs,
        id="fl-b",
        property_dependencies={"x": [group.urn, role.urn]},
    )
    plan, _ = to_tfplan([role, group, with_keys, by_service])
    for address in ("aws_flow_log.a", "aws_flow_log.b"):
        expressions = _config(plan, address)["expressions"]
        assert expressions["iam_role_arn"]["references"][1] == "aws_iam_role.role", address
        assert expressions["log_destination"]["references"][1] == "aws_cloudwatch_log_group.group", address
