"""`network-workload-reachability`, the rules of `lz.policies.reachability_links`, on the example graphs.

The example foundation has an invoker on each Cloud Run gateway, its private-query Azure Monitor stores
in a Private Link Scope with a private endpoint, log archives open to their trusted writers, regions
joined per cloud, and one private services connection; the wave example's DMS job names its source by
host name. Each test puts one failure mode of issue 12 back (removes or changes resources, as
tests/policies/test_network_reachability.py does) and expects a finding naming what is missing, or
shows the compliant variant passes. Values unknown at preview give no finding, only "undecided".
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from lz.core.graph import resources_from_graph
from lz.policies import reachability
from lz.policies import reachability_links as links
from lz.policies.network_reachability import network_workload_reachability
from lz.review.evaluate import PolicySettings, evaluate
from tests.helpers import Planned, plan
from tests.policies.test_network_reachability import edited, findings, without

Graph = dict[str, Any]
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # pulumi's unknown sentinel


def _resources(graph: Graph) -> list[dict[str, Any]]:
    return graph["deployment"]["resources"]


def _of(graph: Graph, type_: str) -> list[dict[str, Any]]:
    return [r for r in _resources(graph) if r["type"] == type_]


def added(graph: Graph, *resources: dict[str, Any]) -> Graph:
    out = copy.deepcopy(graph)
    _resources(out).extend(copy.deepcopy(list(resources)))
    return out


def about(graph: Graph, text: str) -> list[reachability.Finding]:
    return [f for f in findings(graph) if text in f.message]


def undecided_only(graph: Graph) -> None:
    evaluation = evaluate(resources_from_graph(graph), [network_workload_reachability], PolicySettings())
    assert evaluation.findings == []
    assert [u.policy for u in evaluation.undecided] == ["network-workload-reachability"]


@pytest.fixture
def graph(foundation_dev: Planned) -> Graph:
    return foundation_dev.graph


@pytest.fixture(scope="module")
def wave(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    planned = plan("wave-1-dev", out=tmp_path_factory.mktemp("wave-1-dev"))
    assert planned.exit_code == 0
    return planned.graph


def test_the_examples_are_judged_and_pass(graph: Graph, wave: Graph) -> None:
    """Not a vacuous pass: every rule finds its subjects in the examples, and none of them fires."""
    for type_ in (
        links.CLOUD_RUN,
        links.LAW,
        links.APPI,
        links.AZ_STORAGE,
        links.TGW,
        links.AZ_VNET,
        links.PSA_CONNECTION,
    ):
        assert _of(graph, type_), type_
    assert _of(wave, links.DMS_JOB) and _of(wave, links.DMS_PROFILE)
    assert findings(graph) == [] and findings(wave) == []
    assert findings(_both(graph, wave)) == []
    for g in (graph, wave):
        evaluation = evaluate(resources_from_graph(g), [network_workload_reachability], PolicySettings())
        assert evaluation.findings == [] and evaluation.undecided == []


# --- GCP: Cloud Run invokers -----------------------------------------------------------------------

RUN_INVOKER = "gcp:cloudrunv2/serviceIamMember:ServiceIamMember"


def test_cloud_run_with_the_iam_check_and_nobody_holding_invoker(graph: Graph) -> None:
    g = without(graph, lambda r: r["type"] != RUN_INVOKER)
    hits = about(g, "nobody holds roles/run.invoker")
    assert sorted(h.destination for h in hits) == [
        "Cloud Run service acme-dev-euw1-otel-gateway (europe-west1)",
        "Cloud Run service acme-dev-euw4-otel-gateway (europe-west4)",
    ]


def test_cloud_run_invoker_granted_on_another_service_does_not_count(graph: Graph) -> None:
    def elsewhere(inputs: dict[str, Any]) -> None:
        inputs["name"] = "some-other-service"

    g = edited(graph, lambda r: r["type"] == RUN_INVOKER, elsewhere)
    for r in _of(g, RUN_INVOKER):
        r["propertyDependencies"]["name"] = []
    assert len(about(g, "nobody holds roles/run.invoker")) == 2
    # A non-invoker role on the right service does not count either.
    g = edited(graph, lambda r: r["type"] == RUN_INVOKER, lambda i: i.update(role="roles/run.viewer"))
    assert len(about(g, "nobody holds roles/run.invoker")) == 2


def test_cloud_run_invoker_granted_on_the_project_or_the_check_off(graph: Graph) -> None:
    g = without(graph, lambda r: r["type"] != RUN_INVOKER)
    grant = {
        "urn": "urn:pulumi:foundation-dev::landing-zone::gcp:projects/iAMMember:IAMMember::callers",
        "type": "gcp:projects/iAMMember:IAMMember",
        "custom": True,
        "inputs": {"project": "acme-ai-dev", "role": "roles/run.invoker", "member": "group:callers@acme.example"},
        "propertyDependencies": {},
    }
    assert about(added(g, grant), "run.invoker") == []
    off = edited(g, lambda r: r["type"] == links.CLOUD_RUN, lambda i: i.update(invokerIamDisabled=True))
    assert about(off, "run.invoker") == []


def test_cloud_run_invoker_unknown_at_preview_is_undecided(graph: Graph) -> None:
    g = without(graph, lambda r: r["type"] != RUN_INVOKER)
    [service] = _of(g, links.CLOUD_RUN)[:1]
    service["inputs"]["invokerIamDisabled"] = UNKNOWN
    undecided_only(g)


# --- Azure: query paths --------------------------------------------------------------------------


def test_private_query_stores_without_a_private_link_scope(graph: Graph) -> None:
    g = without(graph, lambda r: r["type"] != links.AMPLS_SCOPED)
    hits = about(g, "no Azure Monitor Private Link Scope holds it")
    assert sorted(h.destination.split(" ")[0] for h in hits) == ["Application", "Application", "Log", "Log"]
    assert all("public query access is Disabled" in h.missing for h in hits)


def test_private_link_scope_without_a_private_endpoint(graph: Graph) -> None:
    scopes = {r["urn"] for r in _of(graph, links.AMPLS)}
    g = without(
        graph,
        lambda r: (
            not (
                r["type"] == links.AZ_ENDPOINT
                and scopes & set(r["propertyDependencies"].get("privateLinkServiceConnections", []))
            )
        ),
    )
    assert len(about(g, "has no private endpoint in a subnet")) == 4


def test_public_query_access_needs_no_scope(graph: Graph) -> None:
    g = without(graph, lambda r: r["type"] != links.AMPLS_SCOPED)
    g = edited(
        g, lambda r: r["type"] in (links.LAW, links.APPI), lambda i: i.update(publicNetworkAccessForQuery="Enabled")
    )
    assert about(g, "Private Link Scope") == []


def test_query_access_unknown_at_preview_is_undecided(graph: Graph) -> None:
    g = without(graph, lambda r: r["type"] != links.AMPLS_SCOPED)
    undecided_only(
        edited(
            g, lambda r: r["type"] in (links.LAW, links.APPI), lambda i: i.update(publicNetworkAccessForQuery=UNKNOWN)
        )
    )


# --- Azure: storage written by trusted services --------------------------------------------------


def test_log_archives_with_public_access_disabled_refuse_their_trusted_writers(graph: Graph) -> None:
    g = edited(graph, lambda r: r["type"] == links.AZ_STORAGE, lambda i: i.update(publicNetworkAccess="Disabled"))
    hits = about(g, "public network access is Disabled")
    assert len(hits) == 3  # the activity log archive and each region's flow-log archive
    assert {h.workload.split(" (")[0] for h in hits} == {"SubscriptionDiagnosticSetting", "DiagnosticSetting, FlowLog"}
    # Their private endpoints exist, and do not help: the writers never use them.
    assert _of(g, links.AZ_ENDPOINT)


def test_log_archives_that_deny_by_default_without_the_azure_services_bypass(graph: Graph) -> None:
    g = edited(
        graph,
        lambda r: r["type"] == links.AZ_STORAGE,
        lambda i: i.update(networkRuleSet={"defaultAction": "Deny", "bypass": "Logging, Metrics"}),
    )
    assert len(about(g, "do not let AzureServices bypass")) == 3
    # Default allow (or the bypass back) lets the writers in.
    g = edited(
        graph, lambda r: r["type"] == links.AZ_STORAGE, lambda i: i.update(networkRuleSet={"defaultAction": "Allow"})
    )
    assert about(g, "AzureServices") == []


def test_an_account_nobody_writes_logs_to_may_close_public_access(graph: Graph) -> None:
    g = without(graph, lambda r: r["type"] not in links.AZ_TRUSTED_WRITERS)
    g = edited(g, lambda r: r["type"] == links.AZ_STORAGE, lambda i: i.update(publicNetworkAccess="Disabled"))
    assert about(g, "storage account") == []


def test_storage_access_unknown_at_preview_is_undecided(graph: Graph) -> None:
    undecided_only(
        edited(graph, lambda r: r["type"] == links.AZ_STORAGE, lambda i: i.update(publicNetworkAccess=UNKNOWN))
    )


# --- regions joined --------------------------------------------------------------------------------


def test_aws_regions_without_transit_gateway_peering_are_islands(graph: Graph) -> None:
    g = without(graph, lambda r: r["type"] not in (links.TGW_PEERING, links.TGW_ACCEPTER))
    # Two gateways, no peering: the one outside the main set is named, with the region it cannot reach.
    [hit] = about(g, "no accepted transit gateway peering attachment")
    assert "eu-west-1" in hit.workload + hit.destination and "eu-central-1" in hit.workload + hit.destination


def test_aws_peering_never_accepted(graph: Graph) -> None:
    g = without(graph, lambda r: r["type"] != links.TGW_ACCEPTER)
    assert len(about(g, "is never accepted")) == 1
    assert len(about(g, "no accepted transit gateway peering attachment")) == 1


def test_aws_vpc_not_attached_to_its_regions_transit_gateway(graph: Graph) -> None:
    regions = {n.urn: n.region for n in reachability.nodes_from_graph(graph)}
    g = without(
        graph,
        lambda r: (
            not (
                r["type"] == links.TGW_VPC_ATTACHMENT
                and regions[r["urn"]] == "eu-central-1"
                and "-egress-" not in r["urn"]  # the workload VPC's attachment; the egress VPC keeps its own
            )
        ),
    )
    [hit] = about(g, "no transit gateway VPC attachment")
    assert "(eu-central-1)" in hit.workload and hit.destination.startswith("transit gateway ")


def test_aws_peering_unknown_at_preview_is_undecided(graph: Graph) -> None:
    g = edited(graph, lambda r: r["type"] == links.TGW_ACCEPTER, lambda i: i.update(transitGatewayAttachmentId=UNKNOWN))
    undecided_only(without(g, lambda r: r["type"] != links.TGW_PEERING))


def test_azure_vnets_peered_one_way_or_not_at_all(graph: Graph) -> None:
    [one_way] = _of(graph, links.AZ_PEERING)[:1]
    g = without(graph, lambda r: r["urn"] != one_way["urn"])
    [hit] = about(g, "exists in one direction only")
    assert hit.workload.startswith("VNet ")
    g = without(graph, lambda r: r["type"] != links.AZ_PEERING)
    [hit] = about(g, "no virtual network peering (in both directions)")
    assert {"vnet-acme-dev-weu-hub", "vnet-acme-dev-neu-hub"} == {
        w for w in ("vnet-acme-dev-weu-hub", "vnet-acme-dev-neu-hub") if w in hit.workload + hit.destination
    }


def test_azure_peering_unknown_at_preview_is_undecided(graph: Graph) -> None:
    [one_way] = _of(graph, links.AZ_PEERING)[:1]
    g = without(graph, lambda r: r["urn"] != one_way["urn"])
    undecided_only(edited(g, lambda r: r["type"] == links.AZ_PEERING, lambda i: i.update(remoteVirtualNetwork=UNKNOWN)))


# --- GCP: Database Migration Service ---------------------------------------------------------------


def _both(foundation: Graph, wave: Graph) -> Graph:
    """The wave's resources beside its foundation's: the DMS job names the foundation's VPC by id."""
    out = copy.deepcopy(foundation)
    _resources(out).extend(copy.deepcopy(_resources(wave)))
    return out


def _source_host(wave: Graph, host: str) -> Graph:
    def at(inputs: dict[str, Any]) -> None:
        inputs["postgresql"]["host"] = host

    return edited(wave, lambda r: r["type"] == links.DMS_PROFILE and "postgresql" in r["inputs"], at)


def test_dms_source_address_with_no_route_from_the_peered_vpc(graph: Graph, wave: Graph) -> None:
    g = _both(graph, _source_host(wave, "192.168.40.10"))
    [hit] = about(g, "has no subnet, static route, network peering or VPN (BGP) path")
    assert hit.destination.startswith("source database 192.168.40.10")
    assert hit.workload == "migration job acme-dev-wave-1-feature-store"


def test_dms_source_address_reached_over_the_vpn_or_a_static_route(graph: Graph, wave: Graph) -> None:
    # An address in the AWS VPC of the graph: the HA VPN's BGP sessions bring its routes.
    assert about(_both(graph, _source_host(wave, "10.16.20.5")), "source database") == []
    # Without the VPN, a static route covering the address is the path.
    g = _both(
        without(graph, lambda r: r["type"] != "gcp:compute/routerPeer:RouterPeer"), _source_host(wave, "10.16.20.5")
    )
    assert len(about(g, "source database")) == 1
    [network] = _of(graph, reachability.GCP_NETWORK)
    route = {
        "urn": "urn:pulumi:foundation-dev::landing-zone::gcp:compute/route:Route::to-source",
        "type": reachability.GCP_ROUTE,
        "custom": True,
        "inputs": {"destRange": "10.16.0.0/16", "network": "acme-dev-vpc", "nextHopVpnTunnel": "tunnel-0"},
        "propertyDependencies": {"network": [network["urn"]]},
    }
    assert about(added(g, route), "source database") == []


def test_dms_source_named_by_host_name_or_vpc_outside_the_graph_cannot_be_told(graph: Graph, wave: Graph) -> None:
    assert about(_both(graph, wave), "source database") == []  # the example's RDS host name
    assert about(_source_host(wave, "192.168.40.10"), "source database") == []  # the wave alone: no VPC


def test_dms_source_unknown_at_preview_is_undecided(graph: Graph, wave: Graph) -> None:
    undecided_only(_both(graph, _source_host(wave, UNKNOWN)))


def test_a_second_private_services_connection_on_the_same_network(graph: Graph, wave: Graph) -> None:
    [first] = _of(graph, links.PSA_CONNECTION)
    second = copy.deepcopy(first)
    second["urn"] = "urn:pulumi:wave-1-dev::landing-zone::gcp:servicenetworking/connection:Connection::wave-psa"
    second["propertyDependencies"] = {"network": []}  # a wave names the foundation's VPC by id only
    [hit] = about(_both(graph, added(wave, second)), "one private services connection per service")
    assert hit.urn == second["urn"] and "acme-dev-vpc" in hit.destination
    # A connection to another service producer on the same VPC is no conflict.
    second["inputs"]["service"] = "netapp.servicenetworking.goog"
    assert about(_both(graph, added(wave, second)), "private services connection") == []


def test_psa_connection_unknown_at_preview_is_undecided(graph: Graph) -> None:
    [first] = _of(graph, links.PSA_CONNECTION)
    second = copy.deepcopy(first)
    second["urn"] += "-second"
    second["inputs"]["network"] = UNKNOWN
    undecided_only(added(graph, second))


def test_dms_through_a_private_connection_and_a_peered_network(graph: Graph, wave: Graph) -> None:
    """The source profile's private connection peers into the VPC; a network peering brings the source."""
    pc_id = "projects/acme-ai-dev/locations/europe-west4/privateConnections/acme-dev-dms"
    private_connection = {
        "urn": f"urn:pulumi:wave-1-dev::landing-zone::{links.DMS_PRIVATE_CONNECTION}::pc",
        "type": links.DMS_PRIVATE_CONNECTION,
        "custom": True,
        "inputs": {
            "privateConnectionId": "acme-dev-dms",
            "location": "europe-west4",
            "vpcPeeringConfig": {
                "vpcName": "projects/acme-ai-dev/global/networks/acme-dev-vpc",
                "subnet": "10.32.250.0/29",
            },
        },
        "propertyDependencies": {},
    }

    def private(inputs: dict[str, Any]) -> None:
        inputs["postgresql"]["privateConnectivity"] = {"privateConnection": pc_id}

    w = edited(
        _source_host(wave, "192.168.40.10"),
        lambda r: r["type"] == links.DMS_PROFILE and "postgresql" in r["inputs"],
        private,
    )
    w = edited(w, lambda r: r["type"] == links.DMS_JOB, lambda i: i.pop("vpcPeeringConnectivity"))
    w = added(w, private_connection)
    [hit] = about(_both(graph, w), "has no subnet, static route, network peering or VPN (BGP) path")
    assert "acme-dev-vpc" in hit.missing
    [network] = _of(graph, reachability.GCP_NETWORK)
    legacy = "urn:pulumi:foundation-dev::landing-zone::gcp:compute/network:Network::legacy"
    peered = [
        {
            "urn": legacy,
            "type": reachability.GCP_NETWORK,
            "custom": True,
            "inputs": {"name": "legacy"},
            "propertyDependencies": {},
        },
        {
            "urn": "urn:pulumi:foundation-dev::landing-zone::gcp:compute/subnetwork:Subnetwork::legacy-db",
            "type": reachability.GCP_SUBNET,
            "custom": True,
            "inputs": {"ipCidrRange": "192.168.40.0/24", "network": "legacy"},
            "propertyDependencies": {"network": [legacy]},
        },
        {
            "urn": "urn:pulumi:foundation-dev::landing-zone::gcp:compute/networkPeering:NetworkPeering::to-legacy",
            "type": links.GCP_PEERING,
            "custom": True,
            "inputs": {"network": "acme-dev-vpc", "peerNetwork": "legacy"},
            "propertyDependencies": {"network": [network["urn"]], "peerNetwork": [legacy]},
        },
    ]
    assert about(_both(added(graph, *peered), w), "source database") == []


def test_a_project_iam_policy_that_grants_invoker(graph: Graph) -> None:
    g = without(graph, lambda r: r["type"] != RUN_INVOKER)
    policy = {
        "urn": "urn:pulumi:foundation-dev::landing-zone::gcp:projects/iAMPolicy:IAMPolicy::project",
        "type": "gcp:projects/iAMPolicy:IAMPolicy",
        "custom": True,
        "inputs": {
            "project": "acme-ai-dev",
            "policyData": '{"bindings":[{"role":"roles/run.invoker","members":["group:callers@acme.example"]}]}',
        },
        "propertyDependencies": {},
    }
    assert about(added(g, policy), "run.invoker") == []
    policy["inputs"]["policyData"] = '{"bindings":[{"role":"roles/viewer","members":["group:callers@acme.example"]}]}'
    assert len(about(added(g, policy), "run.invoker")) == 2
