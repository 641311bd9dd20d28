"""`network-workload-reachability`: each failure mode of issue 12, put back into the example graph, is found.

The example foundation (egress `firewall`, interface endpoints, registry zones, cross-cloud DNS)
has a path for every workload; each test removes or changes the resources of one path and expects a
finding naming the workload, the destination and what is missing. The pure analysis is exercised on
the graph's nodes, and the policy itself through `lz.review.evaluate` as `lz plan` runs it.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from lz.core.graph import resources_from_graph
from lz.policies import reachability
from lz.policies.network_reachability import network_workload_reachability
from lz.review.evaluate import PolicySettings, evaluate
from tests.helpers import Planned

Graph = dict[str, Any]


def _resources(graph: Graph) -> list[dict[str, Any]]:
    return graph["deployment"]["resources"]


def _name(r: dict[str, Any]) -> str:
    return str(r["urn"].rsplit("::", 1)[-1])


def without(graph: Graph, keep: Callable[[dict[str, Any]], bool]) -> Graph:
    out = copy.deepcopy(graph)
    out["deployment"]["resources"] = [r for r in _resources(out) if keep(r)]
    return out


def edited(graph: Graph, match: Callable[[dict[str, Any]], bool], edit: Callable[[dict[str, Any]], None]) -> Graph:
    out = copy.deepcopy(graph)
    hits = [r for r in _resources(out) if match(r)]
    assert hits, "the edit matched nothing in the example graph"
    for r in hits:
        edit(r["inputs"])
    return out


def findings(graph: Graph) -> list[reachability.Finding]:
    return reachability.analyse(reachability.nodes_from_graph(graph))


def about(found: list[reachability.Finding], workload: str, destination: str) -> list[reachability.Finding]:
    return [f for f in found if workload in f.workload and f.destination == destination]


@pytest.fixture
def graph(foundation_dev: Planned) -> Graph:
    return foundation_dev.graph


def test_the_example_has_a_path_for_every_workload(graph: Graph) -> None:
    assert findings(graph) == []
    evaluation = evaluate(resources_from_graph(graph), [network_workload_reachability], PolicySettings())
    assert evaluation.findings == [] and evaluation.undecided == []


def test_the_example_workloads_are_judged(graph: Graph) -> None:
    """Not a vacuous pass: the analysis finds the workloads it is meant to judge in the example."""
    g = reachability.Graph(reachability.nodes_from_graph(graph))
    assert g.of(reachability.EKS_NODE_GROUP) and g.of(reachability.ECS_SERVICE)
    assert g.of(reachability.GKE_CLUSTER) and g.of(reachability.CLOUD_RUN)


def test_eks_nodes_without_ecr_endpoints_and_a_firewall_that_does_not_allow_ecr(graph: Graph) -> None:
    g = without(
        graph,
        lambda r: not (r["type"] == reachability.AWS_ENDPOINT and r["inputs"].get("vpcEndpointType") == "Interface"),
    )
    found = findings(g)
    [ecr] = about(found, "EKS node group", "api.ecr.eu-west-1.amazonaws.com")[:1]
    assert "no interface endpoint com.amazonaws.eu-west-1.ecr.api" in ecr.missing
    assert "does not allow api.ecr.eu-west-1.amazonaws.com" in ecr.missing
    assert about(found, "EKS node group", "sts.eu-west-1.amazonaws.com")
    # S3 keeps its gateway endpoint on the route tables: no finding for it.
    assert not about(found, "EKS node group", "s3.eu-west-1.amazonaws.com")


def test_eks_nodes_with_no_route_out_at_all(graph: Graph) -> None:
    g = without(graph, lambda r: "-paths-" not in r["urn"])  # the foundation as it was before issue 12
    found = findings(g)
    [ec2] = about(found, "EKS node group", "ec2.eu-west-1.amazonaws.com")[:1]
    assert "has no 0.0.0.0/0 route" in ec2.missing


def from_docker_hub(graph: Graph) -> Graph:
    """The example with the collector pulled from Docker Hub, as without `registries.mirror`."""

    def unmirror(inputs: dict[str, Any]) -> None:
        containers = json.loads(inputs["containerDefinitions"])
        for c in containers:
            c["image"] = "otel/opentelemetry-collector-contrib:0.120.0"
        inputs["containerDefinitions"] = json.dumps(containers)

    return edited(graph, lambda r: r["type"] == reachability.ECS_TASK, unmirror)


def test_fargate_collector_cannot_pull_from_docker_hub_without_egress(graph: Graph) -> None:
    g = without(
        from_docker_hub(graph),
        lambda r: (
            not (r["type"] == reachability.AWS_ROUTE and "-private-" in _name(r) and "-paths-aws-egress-" in r["urn"])
        ),
    )
    found = findings(g)
    for host in ("registry-1.docker.io", "otlp.observability.acme.example"):
        hits = about(found, "ECS service", host)
        assert hits and "no 0.0.0.0/0 route" in hits[0].missing, host
    # Logs and SSM still go through their interface endpoints.
    assert not [f for f in found if f.destination.startswith(("logs.", "ssm."))]


def test_firewall_without_docker_hub_in_its_allow_list(graph: Graph) -> None:
    def drop_docker(inputs: dict[str, Any]) -> None:
        source = inputs["ruleGroup"]["rulesSource"]["rulesSourceList"]
        source["targets"] = [t for t in source["targets"] if "docker" not in t]

    g = edited(from_docker_hub(graph), lambda r: r["type"] == reachability.AWS_RULE_GROUP, drop_docker)
    hits = about(findings(g), "ECS service", "registry-1.docker.io")
    assert len(hits) == 2  # one collector per AWS region
    assert "does not allow registry-1.docker.io" in hits[0].missing


def test_cloud_run_all_traffic_into_a_vpc_without_nat(graph: Graph) -> None:
    g = without(graph, lambda r: r["type"] != reachability.GCP_NAT)
    hits = about(findings(g), "Cloud Run service", "otlp.observability.acme.example")
    assert len(hits) == 2 and "no Cloud NAT" in hits[0].missing


def test_cloud_run_into_a_vpc_without_a_default_route(graph: Graph) -> None:
    g = without(
        graph, lambda r: not (r["type"] == reachability.GCP_ROUTE and r["inputs"].get("destRange") == "0.0.0.0/0")
    )
    hits = about(findings(g), "Cloud Run service", "otlp.observability.acme.example")
    assert hits and "no route to the default internet gateway" in hits[0].missing


def test_gcp_firewall_policy_without_the_otlp_name(graph: Graph) -> None:
    def drop(inputs: dict[str, Any]) -> None:
        inputs["match"]["destFqdns"] = [f for f in inputs["match"]["destFqdns"] if not f.startswith("otlp.")]

    g = edited(
        graph,
        lambda r: r["type"] == reachability.GCP_POLICY_RULE and r["inputs"].get("ruleName") == "allow-fqdns",
        drop,
    )
    hits = about(findings(g), "Cloud Run service", "otlp.observability.acme.example")
    assert hits and "deny-internet denies it" in hits[0].missing


def test_gke_without_registry_zones_and_without_egress(graph: Graph) -> None:
    g = without(
        graph,
        lambda r: (
            not (
                (r["type"] == reachability.GCP_ZONE and r["inputs"].get("dnsName") in ("pkg.dev.", "gcr.io."))
                or (r["type"] == reachability.GCP_ROUTE and r["inputs"].get("destRange") == "0.0.0.0/0")
            )
        ),
    )
    found = findings(g)
    [pkg] = about(found, "GKE cluster", "europe-west4-docker.pkg.dev")
    assert "no private zone" in pkg.missing
    assert about(found, "GKE cluster", "gcr.io")
    # With the zones back, Private Google Access over the VIP routes is enough.
    g = without(
        graph, lambda r: not (r["type"] == reachability.GCP_ROUTE and r["inputs"].get("destRange") == "0.0.0.0/0")
    )
    assert not about(findings(g), "GKE cluster", "gcr.io")


def test_names_do_not_cross_clouds_without_forwarders(graph: Graph) -> None:
    g = without(
        graph,
        lambda r: (
            not (
                r["type"] == reachability.GCP_ZONE
                and r["inputs"].get("forwardingConfig")
                and r["inputs"]["dnsName"].startswith("aws.")
            )
        ),
    )
    [hit] = findings(g)
    assert hit.workload == "GCP workloads" and hit.destination == "names in aws.dev.acme.internal (AWS)"
    assert "no DNS forwarding rule or zone" in hit.missing


def test_forwarding_to_an_address_that_is_no_inbound_resolver(graph: Graph) -> None:
    def retarget(inputs: dict[str, Any]) -> None:
        for target in inputs["targetDnsServers"]:
            target["ipAddress"] = "10.32.0.99"

    g = edited(
        graph,
        lambda r: r["type"] == reachability.AZ_FORWARDING_RULE and r["inputs"]["domainName"].startswith("gcp."),
        retarget,
    )
    [hit] = findings(g)
    assert hit.workload == "AZURE workloads" and "10.32.0.99" in hit.missing


def test_the_policy_reports_mandatory_findings(graph: Graph) -> None:
    g = without(graph, lambda r: r["type"] != reachability.GCP_NAT)
    evaluation = evaluate(resources_from_graph(g), [network_workload_reachability], PolicySettings())
    assert evaluation.findings
    assert {f.enforcement for f in evaluation.findings} == {"mandatory"}
    assert all(f.policy == "network-workload-reachability" for f in evaluation.findings)
    assert any(
        "Cloud Run service" in f.message and "otlp.observability.acme.example" in f.message for f in evaluation.findings
    )


@pytest.mark.parametrize(
    ("host", "entries", "expected"),
    [
        ("a.example.com", [".example.com"], True),
        ("example.com", [".example.com"], True),
        ("example.com", ["*.example.com"], False),
        ("evil-example.com", [".example.com"], False),
        ("pypi.org", ["pypi.org"], True),
        ("x.pypi.org", ["pypi.org"], False),
    ],
)
def test_domain_list_semantics(host: str, entries: list[str], expected: bool) -> None:
    assert reachability.host_allowed(host, entries) is expected


@pytest.mark.parametrize(
    ("image", "hosts"),
    [
        ("otel/opentelemetry-collector-contrib:0.120.0", ["registry-1.docker.io"]),
        ("nginx:1.27", ["registry-1.docker.io"]),
        ("ghcr.io/org/app:1", ["ghcr.io"]),
        ("111111111111.dkr.ecr.eu-west-1.amazonaws.com/app:1", []),
    ],
)
def test_image_destinations(image: str, hosts: list[str]) -> None:
    found = reachability.image_destinations(image, "eu-west-1")
    assert [h for kind, h in found if kind == "host"][: len(hosts)] == hosts
    if not hosts:
        assert ("aws", "ecr.dkr") in found


def test_an_azure_container_registry_image_is_its_own_kind() -> None:
    # judged by reachability_registries (private endpoint, else the internet path), not as a plain host
    assert reachability.image_destinations("acracmedevweu.azurecr.io/docker-hub/otel/x:1", None) == [
        ("acr", "acracmedevweu.azurecr.io")
    ]


def test_aks_behind_a_firewall_that_does_not_allow_its_dependencies(graph: Graph) -> None:
    [aks] = [r for r in _resources(graph) if r["type"] == reachability.AKS]
    assert aks["inputs"]["networkProfile"]["outboundType"] == "userDefinedRouting"
    g = without(graph, lambda r: r["type"] != reachability.AZ_RULES)
    [hit] = [f for f in findings(g) if f.workload.startswith("AKS cluster")]  # Container Apps: their own tests
    assert hit.workload.startswith("AKS cluster") and "AzureKubernetesService" in hit.missing


def test_aks_with_user_defined_routing_and_no_default_route(graph: Graph) -> None:
    def no_routes(inputs: dict[str, Any]) -> None:
        inputs["routes"] = []

    g = edited(graph, lambda r: r["type"] == reachability.AZ_RT, no_routes)
    [hit] = findings(g)
    assert "has no 0.0.0.0/0 route" in hit.missing


def test_aks_routed_to_an_address_that_is_no_firewall(graph: Graph) -> None:
    def elsewhere(inputs: dict[str, Any]) -> None:
        inputs["routes"][0]["nextHopIpAddress"] = "10.48.0.4"

    g = edited(graph, lambda r: r["type"] == reachability.AZ_RT, elsewhere)
    [hit] = [f for f in findings(g) if f.workload.startswith("AKS cluster")]
    assert "lies in no Azure Firewall's subnet" in hit.missing


def test_a_value_unknown_at_preview_is_undecided_never_a_violation(graph: Graph) -> None:
    # Without NAT the Cloud Run services have no path; with one route's target unknown the policy
    # cannot tell, so it reports nothing and records the check as undecided.
    g = without(graph, lambda r: r["type"] != reachability.GCP_NAT)
    [route] = [r for r in _resources(g) if r["type"] == reachability.AWS_ROUTE][:1]
    route["inputs"]["natGatewayId"] = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # pulumi's unknown sentinel
    evaluation = evaluate(resources_from_graph(g), [network_workload_reachability], PolicySettings())
    assert evaluation.findings == []
    assert [u.policy for u in evaluation.undecided] == ["network-workload-reachability"]


def _otlp_at(graph: Graph, host: str) -> Graph:
    """The example with every collector exporting to `host` instead of the internet endpoint."""
    text = json.dumps(graph).replace("otlp.observability.acme.example", host)
    return json.loads(text)  # type: ignore[no-any-return]


@pytest.mark.parametrize("host", ["otlp.aws.dev.acme.internal", "otlp.gcp.dev.acme.internal"])
def test_a_name_in_the_zones_own_private_domains_needs_no_internet_path(graph: Graph, host: str) -> None:
    # No NAT and no default routes: the internet is out of reach, the zone's own names are not.
    g = without(
        _otlp_at(from_docker_hub(graph), host),
        lambda r: r["type"] not in (reachability.GCP_NAT, reachability.AWS_ROUTE),
    )
    found = findings(g)
    assert not [f for f in found if f.destination == host]
    assert about(found, "ECS service", "registry-1.docker.io")  # the internet still is out of reach


def test_a_private_looking_name_no_zone_of_the_graph_holds_is_judged_as_internet(graph: Graph) -> None:
    host = "otlp.elsewhere.internal"
    g = without(_otlp_at(graph, host), lambda r: r["type"] not in (reachability.GCP_NAT, reachability.AWS_ROUTE))
    found = findings(g)
    assert about(found, "ECS service", host) and about(found, "Cloud Run service", host)


# --- the transit gateway hop (centralized egress: workload VPC -> transit gateway -> egress VPC) ---


def _egress(r: dict[str, Any]) -> bool:
    return "-paths-aws-egress-" in r["urn"]


# The central OTLP endpoint: an internet name every AWS collector needs through the egress path
# (its image comes through the region's ECR cache, reached privately).
OTLP_HOST = "otlp.observability.acme.example"


def _tgw_default(r: dict[str, Any]) -> bool:
    return r["type"] == reachability.AWS_TGW_ROUTE and r["inputs"].get("destinationCidrBlock") == "0.0.0.0/0"


def test_the_workloads_default_route_leads_through_the_transit_gateway(graph: Graph) -> None:
    """Not vacuous: the example's private route tables send 0.0.0.0/0 to the transit gateway, and the
    route table the workload attachment is associated with sends it to the egress VPC."""
    g = reachability.Graph(reachability.nodes_from_graph(graph))
    aws = reachability.Aws(g)
    [eks] = g.of(reachability.EKS_NODE_GROUP)[:1]
    subnet = g.linked(eks, "subnetIds", reachability.AWS_SUBNET)[0]
    route = aws.default_route(aws.rt_of_subnet[subnet.urn])
    assert route is not None and g.linked(route, "transitGatewayId", reachability.AWS_TGW)
    # The NAT and internet gateways live in the egress VPCs only, none in a workload VPC.
    gateways = g.of(reachability.AWS_NAT) + g.of(reachability.AWS_IGW)
    assert gateways and all(_egress({"urn": n.urn}) for n in gateways)
    assert all(subnet.deps["vpcId"] != igw.deps["vpcId"] for igw in g.of(reachability.AWS_IGW))


def test_a_transit_gateway_route_table_without_a_default_route(graph: Graph) -> None:
    g = without(graph, lambda r: not _tgw_default(r))
    hits = about(findings(g), "ECS service", OTLP_HOST)
    assert len(hits) == 2  # one collector per AWS region
    assert "has no 0.0.0.0/0 route (no egress VPC behind the transit gateway)" in hits[0].missing
    assert "transit gateway" in hits[0].missing and "spokes-rt" in hits[0].missing


def test_a_transit_gateway_default_route_to_a_vpc_without_nat(graph: Graph) -> None:
    g = without(graph, lambda r: r["type"] != reachability.AWS_NAT)
    hits = about(findings(g), "ECS service", OTLP_HOST)
    assert hits
    assert "sends 0.0.0.0/0 to attachment" in hits[0].missing
    assert "route to no NAT gateway" in hits[0].missing


def test_a_transit_gateway_default_route_to_a_firewall_that_does_not_allow_the_name(graph: Graph) -> None:
    # Pulled from Docker Hub (no mirror) through a firewall whose allow list lacks Docker Hub's names.
    g = from_docker_hub(graph)
    [hit] = about(findings(g), "ECS service", "registry-1.docker.io")[:1]
    assert "sends 0.0.0.0/0 to attachment" in hit.missing and "does not allow registry-1.docker.io" in hit.missing
    # A name the firewall allows still passes the same hop.
    assert not about(findings(g), "ECS service", "otlp.observability.acme.example")


def test_a_transit_gateway_default_route_to_a_vpc_the_graph_does_not_hold_is_not_judged(graph: Graph) -> None:
    g = without(graph, lambda r: not (r["type"] == reachability.AWS_SUBNET and _egress(r)))
    assert not [f for f in findings(g) if f.workload.startswith(("ECS service", "EKS node group"))]


def _default_association(graph: Graph, *, move_route: bool) -> Graph:
    """The workload attachments left in their transit gateway's default route table (no explicit
    association), with the default route moved there too when `move_route`."""
    out = without(graph, lambda r: r["type"] != reachability.AWS_TGW_RT_ASSOC)
    for r in _resources(out):
        if r["type"] == reachability.AWS_TGW_ATTACHMENT and not _egress(r):
            r["inputs"]["transitGatewayDefaultRouteTableAssociation"] = True
        if move_route and _tgw_default(r):
            [table] = r["propertyDependencies"]["transitGatewayRouteTableId"]
            [tgw] = next(x for x in _resources(out) if x["urn"] == table)["propertyDependencies"]["transitGatewayId"]
            r["propertyDependencies"]["transitGatewayRouteTableId"] = [tgw]
    return out


def test_the_default_route_table_is_followed_when_nothing_is_associated_explicitly(graph: Graph) -> None:
    assert not [f for f in findings(_default_association(graph, move_route=True)) if "ECS" in f.workload]
    hits = about(findings(_default_association(graph, move_route=False)), "ECS service", OTLP_HOST)
    assert hits and "'s default route table has no 0.0.0.0/0 route" in hits[0].missing


def test_the_policy_follows_the_transit_gateway_hop_as_lz_plan_runs_it(graph: Graph) -> None:
    g = without(graph, lambda r: not _tgw_default(r))
    evaluation = evaluate(resources_from_graph(g), [network_workload_reachability], PolicySettings())
    hits = [f for f in evaluation.findings if "no egress VPC behind the transit gateway" in f.message]
    assert hits and all(f.enforcement == "mandatory" for f in hits)


def test_a_blackholed_or_unassociated_workload_attachment_has_no_way_out(graph: Graph) -> None:
    def blackhole(inputs: dict[str, Any]) -> None:
        inputs["blackhole"] = True

    hits = about(findings(edited(graph, _tgw_default, blackhole)), "ECS service", OTLP_HOST)
    assert hits and "drops 0.0.0.0/0 (blackhole route)" in hits[0].missing
    # The workload attachments leave the default route table; without their explicit association
    # the transit gateway routes nothing from them.
    g = without(graph, lambda r: r["type"] != reachability.AWS_TGW_RT_ASSOC)
    hits = about(findings(g), "ECS service", OTLP_HOST)
    assert hits and "is associated with no route table" in hits[0].missing
