"""Images through the zone's registries: the reachability analysis accepts their private paths and fails without.

Per cloud, on the example graph (which mirrors the collector image and has egress `firewall` with no
container registry in its allow list): the compliant case is the example itself; each violating case
removes the registry's private path (AWS: the ECR interface endpoints; GCP: the `pkg.dev` private
zone; Azure: the ACR private endpoint or its DNS registration) and, where the firewall would
otherwise be a way out, the egress routes. The ACR rule is also judged on hand-made nodes, so it
holds for graphs this project did not produce.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from lz.policies import reachability
from lz.policies import reachability_registries as acr
from tests.helpers import Planned

Graph = dict[str, Any]


def _name(r: dict[str, Any]) -> str:
    return str(r["urn"].rsplit("::", 1)[-1])


def without(graph: Graph, drop: Callable[[dict[str, Any]], bool]) -> Graph:
    out = copy.deepcopy(graph)
    before = len(out["deployment"]["resources"])
    out["deployment"]["resources"] = [r for r in out["deployment"]["resources"] if not drop(r)]
    assert len(out["deployment"]["resources"]) < before, "the edit removed nothing"
    return out


def findings(graph: Graph) -> list[reachability.Finding]:
    return reachability.analyse(reachability.nodes_from_graph(graph))


@pytest.fixture
def graph(foundation_dev: Planned) -> Graph:
    return foundation_dev.graph


def test_every_cloud_pulls_from_its_registry_privately(graph: Graph) -> None:
    """Compliant, per cloud: the mirrored images are judged and every path exists."""
    g = reachability.Graph(reachability.nodes_from_graph(graph))
    images = [
        c["image"]
        for t in g.of(reachability.ECS_TASK)
        for c in reachability._containers(t)  # noqa: SLF001 - the analysis's own reading of a task
    ]
    assert images and all(".dkr.ecr." in i for i in images)
    apps = g.of(acr.CONTAINER_APP)
    assert apps and all(acr.acr_of(i) for a in apps for i in acr._images(a))  # noqa: SLF001
    assert findings(graph) == []


def test_aws_ecr_image_without_interface_endpoints_or_egress(graph: Graph) -> None:
    g = without(
        graph,
        lambda r: (
            (
                r["type"] == reachability.AWS_ENDPOINT
                and str(r["inputs"].get("serviceName", "")).endswith((".ecr.api", ".ecr.dkr"))
            )
            or (r["type"] == reachability.AWS_ROUTE and "-paths-aws-egress-" in r["urn"] and "-private-" in _name(r))
        ),
    )
    found = [f for f in findings(g) if f.workload.startswith("ECS service")]
    dests = {f.destination for f in found}
    assert {"api.ecr.eu-west-1.amazonaws.com", "dkr.ecr.eu-west-1.amazonaws.com"} <= dests
    assert "no interface endpoint com.amazonaws.eu-west-1.ecr.dkr" in next(
        f.missing for f in found if f.destination == "dkr.ecr.eu-west-1.amazonaws.com"
    )


def test_aws_layers_need_the_s3_gateway_endpoint(graph: Graph) -> None:
    g = without(
        graph,
        lambda r: (
            (r["type"] == reachability.AWS_ENDPOINT and str(r["inputs"].get("serviceName", "")).endswith(".s3"))
            or (r["type"] == reachability.AWS_ROUTE and "-paths-aws-egress-" in r["urn"] and "-private-" in _name(r))
        ),
    )
    assert [f for f in findings(g) if f.workload.startswith("ECS service") and f.destination.startswith("s3.")]


def _default_route(r: dict[str, Any]) -> bool:
    return r["type"] == reachability.GCP_ROUTE and r["inputs"].get("destRange") == "0.0.0.0/0"


def test_gcp_registry_without_its_private_zone_or_egress(graph: Graph) -> None:
    g = without(
        graph,
        lambda r: (
            (r["type"] == reachability.GCP_ZONE and r["inputs"].get("dnsName") == "pkg.dev.") or _default_route(r)
        ),
    )
    [hit] = [f for f in findings(g) if f.destination == "europe-west4-docker.pkg.dev"]
    assert "GKE cluster" in hit.workload and "no private zone" in hit.missing
    # Compliant with the zone: Private Google Access to the private VIPs is the registry's whole path.
    assert not [f for f in findings(without(graph, _default_route)) if f.destination.endswith("pkg.dev")]


def test_azure_registry_without_its_private_endpoint(graph: Graph) -> None:
    g = without(graph, lambda r: r["type"] == acr.PRIVATE_ENDPOINT and "lz:registry:" in r["urn"])
    found = [f for f in findings(g) if f.destination.endswith(".azurecr.io")]
    assert len(found) == 2  # one gateway per Azure region
    assert "no private endpoint to registry" in found[0].missing
    assert "disables public network access" in found[0].missing


def test_azure_registry_endpoint_not_registered_in_the_zone(graph: Graph) -> None:
    g = without(graph, lambda r: r["type"] == acr.ZONE_GROUP and "lz:registry:" in r["urn"])
    found = [f for f in findings(g) if f.destination.endswith(".azurecr.io")]
    assert len(found) == 2 and "privatelink.azurecr.io" in found[0].missing


def test_azure_registry_zone_not_linked_to_the_app_vnet(graph: Graph) -> None:
    g = without(graph, lambda r: r["type"] == acr.ZONE_LINK and "lz:registry:" in r["urn"])
    assert len([f for f in findings(g) if f.destination.endswith(".azurecr.io")]) == 2


# --- the ACR rule on hand-made nodes: any graph of these types -----------------------------------


def _node(urn: str, type_: str, props: dict[str, Any], **deps: list[str]) -> reachability.Node:
    return reachability.Node(urn, type_, props, deps)


def _app_graph(*extra: reachability.Node, public: str = "Disabled", nat: bool = False) -> list[reachability.Node]:
    subnet_props: dict[str, Any] = {"addressPrefix": "10.0.1.0/24"}
    if nat:
        subnet_props["natGateway"] = {"id": "/subscriptions/x/natGateways/ng"}
    return [
        _node("vnet", acr.VNET, {}),
        _node("subnet", reachability.AZ_SUBNET, subnet_props, virtualNetworkName=["vnet"]),
        _node(
            "env",
            acr.MANAGED_ENVIRONMENT,
            # a workload-profiles environment: the only kind a NAT gateway on its subnet serves
            {"workloadProfiles": [{"name": "Consumption", "workloadProfileType": "Consumption"}]},
            vnetConfiguration=["subnet"],
        ),
        _node(
            "app",
            acr.CONTAINER_APP,
            {"template": {"containers": [{"image": "myacr01.azurecr.io/team/app:1.0"}]}},
            managedEnvironmentId=["env"],
        ),
        _node("acr", acr.ACR, {"registryName": "myacr01", "publicNetworkAccess": public}),
        *extra,
    ]


def _private_path(linked: bool = True) -> list[reachability.Node]:
    nodes = [
        _node(
            "pe",
            acr.PRIVATE_ENDPOINT,
            {"privateLinkServiceConnections": [{"groupIds": ["registry"]}]},
            privateLinkServiceConnections=["acr"],
        ),
        _node("zone", reachability.AZ_ZONE, {"privateZoneName": "privatelink.azurecr.io"}),
        _node("group", acr.ZONE_GROUP, {}, privateEndpointName=["pe"], privateDnsZoneConfigs=["zone"]),
    ]
    if linked:
        nodes.append(_node("link", acr.ZONE_LINK, {}, privateZoneName=["zone"], virtualNetwork=["vnet"]))
    return nodes


def test_acr_rule_on_any_graph() -> None:
    assert reachability.analyse(_app_graph(*_private_path())) == []
    [hit] = reachability.analyse(_app_graph(*_private_path(linked=False)))
    assert hit.destination == "myacr01.azurecr.io" and "linked to the app's VNet" in hit.missing
    [hit] = reachability.analyse(_app_graph())
    assert "no private endpoint to registry myacr01" in hit.missing


def test_acr_rule_accepts_an_internet_path_to_a_public_registry() -> None:
    assert reachability.analyse(_app_graph(public="Enabled", nat=True)) == []
    [hit] = reachability.analyse(_app_graph(public="Enabled"))
    assert "no NAT gateway and no 0.0.0.0/0 route" in hit.missing


def test_acr_endpoint_named_by_id_when_the_registry_is_not_in_the_graph() -> None:
    endpoint = _node(
        "pe",
        acr.PRIVATE_ENDPOINT,
        {
            "privateLinkServiceConnections": [
                {
                    "groupIds": ["registry"],
                    "privateLinkServiceId": "/subscriptions/x/resourceGroups/rg/providers/"
                    "Microsoft.ContainerRegistry/registries/myacr01",
                }
            ]
        },
    )
    nodes = [n for n in _app_graph(*_private_path()) if n.urn not in ("acr", "pe")] + [endpoint]
    assert reachability.analyse(nodes) == []


@pytest.mark.parametrize(
    ("image", "registry"),
    [
        ("myacr01.azurecr.io/team/app:1.0", "myacr01"),
        ("otel/opentelemetry-collector-contrib:0.120.0", None),
        ("europe-west4-docker.pkg.dev/p/r/i:1", None),
    ],
)
def test_acr_of(image: str, registry: str | None) -> None:
    assert acr.acr_of(image) == registry
