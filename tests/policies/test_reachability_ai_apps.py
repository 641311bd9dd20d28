"""The reachability analysis for AI services (`reachability_ai`) and Container Apps (`reachability_apps`).

Each case starts from a planned graph that has every path (the example; the `ai_variant` with all
three AI services), removes or changes the resources of one path, and expects a finding naming the
workload, the destination and what is missing; the unchanged graph is the compliant case.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from lz.core.graph import resources_from_graph
from lz.policies import reachability, reachability_ai, reachability_apps
from lz.policies.network_reachability import network_workload_reachability
from lz.review.evaluate import PolicySettings, evaluate
from tests.helpers import Planned

Graph = dict[str, Any]
Resource = dict[str, Any]


def _name(r: Resource) -> str:
    return str(r["urn"].rsplit("::", 1)[-1])


def without(graph: Graph, drop: Callable[[Resource], bool]) -> Graph:
    out = copy.deepcopy(graph)
    out["deployment"]["resources"] = [r for r in out["deployment"]["resources"] if not drop(r)]
    return out


def edited(graph: Graph, match: Callable[[Resource], bool], edit: Callable[[Resource], None]) -> Graph:
    out = copy.deepcopy(graph)
    hits = [r for r in out["deployment"]["resources"] if match(r)]
    assert hits, "the edit matched nothing in the graph"
    for r in hits:
        edit(r)
    return out


def findings(graph: Graph) -> list[reachability.Finding]:
    return reachability.analyse(reachability.nodes_from_graph(graph))


def about(found: list[reachability.Finding], workload: str, destination: str) -> list[reachability.Finding]:
    return [f for f in found if workload in f.workload and destination in f.destination]


@pytest.fixture
def ai(ai_variant: Planned) -> Graph:
    return ai_variant.graph


@pytest.fixture
def example(foundation_dev: Planned) -> Graph:
    return foundation_dev.graph


def test_both_graphs_have_every_path_and_the_rules_see_their_subjects(ai: Graph, example: Graph) -> None:
    assert findings(ai) == [] and findings(example) == []
    g = reachability.Graph(reachability.nodes_from_graph(ai))
    assert g.of(reachability.EKS_NODE_GROUP) and g.of(reachability.GKE_CLUSTER) and g.of(reachability.AKS)
    assert g.of(reachability_ai.AZ_ACCOUNT) and g.of(reachability_apps.ENVIRONMENT)


# --- AWS: Bedrock ----------------------------------------------------------------------------------


def _bedrock_runtime(region: str) -> Callable[[Resource], bool]:
    return lambda r: (
        r["type"] == reachability.AWS_ENDPOINT
        and r["inputs"].get("serviceName") == (f"com.amazonaws.{region}.bedrock-runtime")
    )


def test_bedrock_endpoint_without_private_dns(ai: Graph) -> None:
    g = edited(ai, _bedrock_runtime("eu-west-1"), lambda r: r["inputs"].update(privateDnsEnabled=False))
    hits = about(findings(g), "EKS node group", "Amazon Bedrock")
    assert len(hits) == 2  # the cluster's system and GPU node groups, both in eu-west-1
    hit = hits[0]
    assert hit.destination == "Amazon Bedrock (bedrock-runtime.eu-west-1.amazonaws.com)"
    assert "private DNS off" in hit.missing and "subnets" in hit.workload


def test_bedrock_endpoint_missing_in_the_node_groups_region(ai: Graph) -> None:
    g = without(ai, _bedrock_runtime("eu-west-1"))  # eu-central-1 keeps its endpoint: Bedrock is held
    hits = about(findings(g), "EKS node group", "Amazon Bedrock")
    assert len(hits) == 2
    hit = hits[0]
    assert "no interface endpoint com.amazonaws.eu-west-1.bedrock-runtime" in hit.missing


def test_no_bedrock_no_bedrock_rule(ai: Graph) -> None:
    g = without(ai, lambda r: "bedrock" in str(r["inputs"].get("serviceName", "")))
    assert about(findings(g), "EKS node group", "Amazon Bedrock") == []


# --- GCP: Vertex AI --------------------------------------------------------------------------------


def _default_route(r: Resource) -> bool:
    return r["type"] == reachability.GCP_ROUTE and r["inputs"].get("destRange") == "0.0.0.0/0"


def test_vertex_through_the_googleapis_zone_when_there_is_no_internet_route(ai: Graph) -> None:
    g = without(ai, _default_route)
    assert about(findings(g), "GKE cluster", "Vertex AI") == []  # the zone's *.googleapis.com answers it


def test_vertex_without_the_zone_record_and_without_an_internet_route(ai: Graph) -> None:
    g = without(
        ai,
        lambda r: (
            _default_route(r)
            or (r["type"] == reachability_ai.GCP_RECORD and r["inputs"].get("name") == "*.googleapis.com.")
        ),
    )
    [hit] = about(findings(g), "GKE cluster", "Vertex AI")
    assert hit.destination == "Vertex AI (europe-west4-aiplatform.googleapis.com)"
    assert "no private zone" in hit.missing


def test_vertex_without_private_google_access(ai: Graph) -> None:
    g = edited(
        ai,
        lambda r: r["type"] == reachability.GCP_SUBNET and "europe-west4" in _name(r),
        lambda r: r["inputs"].update(privateIpGoogleAccess=False),
    )
    [hit] = about(findings(g), "GKE cluster", "Vertex AI")
    assert "Private Google Access is off" in hit.missing


def test_no_vertex_api_no_vertex_rule(ai: Graph) -> None:
    g = without(
        ai,
        lambda r: (
            r["type"] == reachability_ai.GCP_SERVICE and r["inputs"].get("service") == "aiplatform.googleapis.com"
        ),
    )
    g = edited(
        g,
        lambda r: r["type"] == reachability.GCP_SUBNET and "europe-west4" in _name(r),
        lambda r: r["inputs"].update(privateIpGoogleAccess=False),
    )
    assert about(findings(g), "GKE cluster", "Vertex AI") == []


# --- Azure: OpenAI ---------------------------------------------------------------------------------


def _openai(kind: str) -> Callable[[Resource], bool]:
    return lambda r: r["type"] == kind and "-azure-openai-" in r["urn"]


def test_openai_without_private_endpoints(ai: Graph) -> None:
    g = without(ai, lambda r: _openai(reachability_ai.AZ_ENDPOINT)(r) or _openai(reachability_ai.AZ_ZONE_GROUP)(r))
    hits = about(findings(g), "AKS cluster", "Azure OpenAI account")
    assert len(hits) == 2  # one per account
    assert all("no private endpoint; its public network access is disabled" in h.missing for h in hits)


def test_openai_endpoint_not_registered_in_the_zone(ai: Graph) -> None:
    g = without(ai, _openai(reachability_ai.AZ_ZONE_GROUP))
    hits = about(findings(g), "AKS cluster", "Azure OpenAI account")
    assert len(hits) == 2 and "registered in no privatelink.openai.azure.com zone" in hits[0].missing


def test_openai_zone_not_linked_to_the_clusters_vnet(ai: Graph) -> None:
    g = without(ai, lambda r: _openai(reachability_ai.AZ_ZONE_LINK)(r) and r["urn"].endswith("-zone-westeurope"))
    hits = about(findings(g), "AKS cluster", "Azure OpenAI account")
    assert len(hits) == 2 and "not linked to the cluster's VNet" in hits[0].missing


def test_an_account_with_public_access_and_no_endpoint_is_still_not_private(ai: Graph) -> None:
    g = without(ai, _openai(reachability_ai.AZ_ENDPOINT))
    g = edited(
        g,
        lambda r: r["type"] == reachability_ai.AZ_ACCOUNT,
        lambda r: r["inputs"]["properties"].update(publicNetworkAccess="Enabled"),
    )
    hits = about(findings(g), "AKS cluster", "Azure OpenAI account")
    assert len(hits) == 2 and hits[0].missing == "the account has no private endpoint"


# --- Azure: Container Apps -------------------------------------------------------------------------

ENV = "Container Apps environment"
OTLP = "otlp.observability.acme.example"


def _apps_subnet(r: Resource) -> bool:
    return r["type"] == reachability.AZ_SUBNET and _name(r).endswith("-snet-apps")


def _rules(edit: Callable[[list[dict[str, Any]]], None]) -> Callable[[Resource], None]:
    def apply(r: Resource) -> None:
        for collection in r["inputs"]["ruleCollections"]:
            edit(collection["rules"])

    return apply


def test_firewall_without_the_container_apps_rule(example: Graph) -> None:
    g = edited(
        example,
        lambda r: r["type"] == reachability.AZ_RULES,
        _rules(
            lambda rules: rules.__setitem__(
                slice(None), [x for x in rules if x["name"] != "container-apps-dependencies"]
            )
        ),
    )
    hits = about(findings(g), ENV, "mcr.microsoft.com")
    assert len(hits) == 2  # one environment per Azure region
    assert "has no application rule allowing mcr.microsoft.com" in hits[0].missing


def test_firewall_without_the_collector_image_or_the_otlp_host(example: Graph) -> None:
    def drop(rules: list[dict[str, Any]]) -> None:
        for rule in rules:
            if rule.get("targetFqdns"):
                rule["targetFqdns"] = [h for h in rule["targetFqdns"] if "docker" not in h and h != OTLP]

    g = edited(example, lambda r: r["type"] == reachability.AZ_RULES, _rules(drop))
    found = findings(g)
    # the collector image comes through the region's ACR cache (registries.mirror), never Docker Hub
    assert about(found, ENV, "registry-1.docker.io") == []
    assert len(about(found, ENV, OTLP)) == 2
    assert about(found, ENV, "mcr.microsoft.com") == []


def test_apps_subnet_routed_to_an_address_that_is_no_firewall(example: Graph) -> None:
    def elsewhere(r: Resource) -> None:
        for route in r["inputs"]["routes"]:
            route["nextHopIpAddress"] = "10.99.0.4"

    g = edited(example, lambda r: r["type"] == reachability.AZ_RT, elsewhere)
    hits = about(findings(g), ENV, "mcr.microsoft.com")
    assert hits and "lies in no Azure Firewall's subnet" in hits[0].missing


def _unrouted(r: Resource) -> None:
    r["inputs"].pop("routeTable", None)
    r.get("propertyDependencies", {}).pop("routeTable", None)


def test_apps_subnet_behind_a_nat_gateway(example: Graph) -> None:
    def nat(r: Resource) -> None:
        _unrouted(r)
        r["inputs"]["natGateway"] = {
            "id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/natGateways/ng"
        }

    g = edited(example, _apps_subnet, nat)
    assert [f for f in findings(g) if ENV in f.workload] == []


def test_apps_subnet_with_no_way_out_egress_none(example: Graph) -> None:
    def closed(r: Resource) -> None:
        _unrouted(r)
        r["inputs"]["defaultOutboundAccess"] = False

    found = findings(edited(example, _apps_subnet, closed))
    for host in ("mcr.microsoft.com", OTLP):
        hits = about(found, ENV, host)
        assert len(hits) == 2 and "nothing leaves it" in hits[0].missing, host


def test_apps_subnet_with_default_outbound_access_has_a_path(example: Graph) -> None:
    g = edited(example, _apps_subnet, _unrouted)
    assert [f for f in findings(g) if ENV in f.workload] == []


def test_a_route_table_needs_a_workload_profiles_environment(example: Graph) -> None:
    g = edited(
        example,
        lambda r: r["type"] == reachability_apps.ENVIRONMENT,
        lambda r: r["inputs"].pop("workloadProfiles"),
    )
    hits = about(findings(g), ENV, "its egress path")
    assert len(hits) == 2 and "workload-profiles environment" in hits[0].missing


def test_a_route_table_needs_an_internal_environment(example: Graph) -> None:
    g = edited(
        example,
        lambda r: r["type"] == reachability_apps.ENVIRONMENT,
        lambda r: r["inputs"]["vnetConfiguration"].update(internal=False),
    )
    hits = about(findings(g), ENV, "its egress path")
    assert len(hits) == 2 and "only an internal environment" in hits[0].missing


def test_the_policy_reports_them_as_mandatory(ai: Graph) -> None:
    g = without(ai, _openai(reachability_ai.AZ_ZONE_GROUP))
    evaluation = evaluate(resources_from_graph(g), [network_workload_reachability], PolicySettings())
    assert evaluation.findings and {f.enforcement for f in evaluation.findings} == {"mandatory"}
    assert any("Azure OpenAI account" in f.message for f in evaluation.findings)
