"""Inventory of `ai_services`: Bedrock endpoints, the Vertex AI API and its private name, private Azure OpenAI.

Planned once per session with all three services (Azure in westeurope and swedencentral, which
both offer Azure OpenAI); the example itself enables Bedrock and Vertex AI.
"""

from __future__ import annotations

import re
from typing import Any

from lz.components.paths.openai import OPENAI_USER
from lz.core import ai_services
from lz.policies import reachability, reachability_ai
from tests.helpers import Planned, example_spec

AWS_REGIONS = example_spec()["clouds"]["aws"]["regions"]
AZURE_REGIONS = ["westeurope", "swedencentral"]
SUBDOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])$")


def name(r: dict[str, Any]) -> str:
    return str(r["urn"].rsplit("::", 1)[-1])


def test_the_variant_plans_clean(ai_variant: Planned) -> None:
    assert ai_variant.exit_code == 0, ai_variant.mandatory()
    assert [f for f in ai_variant.findings["findings"] if f["policy"].startswith(("network-", "deploy-"))] == []


def test_bedrock_endpoints_with_private_dns_in_every_region(foundation_dev: Planned) -> None:
    endpoints = foundation_dev.by_type("aws:ec2/vpcEndpoint:VpcEndpoint")
    for region in AWS_REGIONS:
        vpc = foundation_dev.named("aws:ec2/vpc:Vpc", f"acme-dev-aws-net-{region}-vpc")["id"]
        for service in ai_services.BEDROCK_ENDPOINT_SERVICES:
            [e] = [x for x in endpoints if x["inputs"]["serviceName"] == f"com.amazonaws.{region}.{service}"]
            assert e["inputs"]["vpcEndpointType"] == "Interface"
            assert e["inputs"]["privateDnsEnabled"] is True
            assert e["inputs"]["vpcId"] == vpc
            assert len(e["inputs"]["subnetIds"]) == 3 and len(e["inputs"]["securityGroupIds"]) == 1


def test_no_bedrock_endpoints_without_the_service(ai_variant: Planned, foundation_dev: Planned) -> None:
    # Both enable Bedrock; a spec without it has only the workloads' endpoints (see test_paths).
    names = {e["inputs"]["serviceName"] for e in ai_variant.by_type("aws:ec2/vpcEndpoint:VpcEndpoint")}
    assert {f"com.amazonaws.eu-west-1.{s}" for s in ai_services.BEDROCK_ENDPOINT_SERVICES} <= names


def test_vertex_api_enabled_first_and_its_regional_name_answered_privately(foundation_dev: Planned) -> None:
    [api] = [
        s
        for s in foundation_dev.by_type("gcp:projects/service:Service")
        if s["inputs"]["service"] == ai_services.VERTEX_AI_API
    ]
    clusters = foundation_dev.by_type("gcp:container/cluster:Cluster")
    assert clusters and all(api["urn"] in c["dependencies"] for c in clusters)
    g = reachability.Graph(reachability.nodes_from_graph(foundation_dev.graph))
    [zone] = [z for z in g.of(reachability.GCP_ZONE) if z.props.get("dnsName") == "googleapis.com."]
    for region in example_spec()["clouds"]["gcp"]["regions"]:
        assert reachability_ai.zone_answers(g, zone, ai_services.vertex_host(region))
    assert not reachability_ai.zone_answers(g, zone, "aiplatform.example.com")


def test_azure_openai_accounts_are_private_and_encrypted(ai_variant: Planned) -> None:
    accounts = ai_variant.by_type("azure-native:cognitiveservices:Account")
    assert sorted(a["inputs"]["location"] for a in accounts) == sorted(AZURE_REGIONS)
    identities = {i["id"]: i for i in ai_variant.by_type("azure-native:managedidentity:UserAssignedIdentity")}
    for account in accounts:
        inputs, props = account["inputs"], account["inputs"]["properties"]
        assert inputs["kind"] == "OpenAI" and inputs["sku"] == {"name": "S0"}
        assert props["publicNetworkAccess"] == "Disabled" and props["disableLocalAuth"] is True
        assert props["networkAcls"]["defaultAction"] == "Deny"
        assert props["customSubDomainName"] == inputs["accountName"]
        assert SUBDOMAIN.match(inputs["accountName"]) and inputs["accountName"].startswith("acme-dev-")
        encryption = props["encryption"]
        assert encryption["keySource"] == "Microsoft.KeyVault"
        assert set(encryption["keyVaultProperties"]) >= {"identityClientId", "keyName", "keyVaultUri"}
        assert "keyVersion" not in encryption["keyVaultProperties"]  # follows the key's rotation
        [identity] = inputs["identity"]["userAssignedIdentities"]
        assert identity in identities
        assert account["protect"] is True


def test_azure_openai_private_endpoints_and_zone(ai_variant: Planned) -> None:
    accounts = {a["id"]: a for a in ai_variant.by_type("azure-native:cognitiveservices:Account")}
    endpoints = [
        e
        for e in ai_variant.by_type("azure-native:network:PrivateEndpoint")
        if e["inputs"]["privateLinkServiceConnections"][0]["privateLinkServiceId"] in accounts
    ]
    assert len(endpoints) == len(AZURE_REGIONS)
    for e in endpoints:
        assert e["inputs"]["privateLinkServiceConnections"][0]["groupIds"] == ["account"]
        assert e["inputs"]["subnet"]["id"].endswith("/subnets/snet-data")
    [zone] = [
        z
        for z in ai_variant.by_type("azure-native:privatedns:PrivateZone")
        if z["inputs"]["privateZoneName"] == ai_services.AZURE_OPENAI_ZONE
    ]
    links = [
        k
        for k in ai_variant.by_type("azure-native:privatedns:VirtualNetworkLink")
        if k["inputs"]["privateZoneName"] == zone["inputs"]["privateZoneName"] and "openai" in name(k)
    ]
    vnets = {v["id"] for v in ai_variant.by_type("azure-native:network:VirtualNetwork")}
    assert {k["inputs"]["virtualNetwork"]["id"] for k in links} == vnets
    groups = [g for g in ai_variant.by_type("azure-native:network:PrivateDnsZoneGroup") if "openai" in name(g)]
    assert len(groups) == len(AZURE_REGIONS)


def test_the_catalog_roles_that_develop_models_may_call_them(ai_variant: Planned) -> None:
    spec = example_spec()
    developers = {r["groups"]["azure"] for r in spec["identity"]["roles"] if "ml-develop" in r["grants"]}
    assert developers
    accounts = {a["id"] for a in ai_variant.by_type("azure-native:cognitiveservices:Account")}
    users = [
        a for a in ai_variant.by_type("azure-native:authorization:RoleAssignment") if a["inputs"]["scope"] in accounts
    ]
    assert {a["inputs"]["principalId"] for a in users} == developers
    for a in users:
        assert a["inputs"]["roleDefinitionId"].endswith(OPENAI_USER)
        assert a["inputs"]["principalType"] == "Group"
    assert len(users) == len(developers) * len(AZURE_REGIONS)
