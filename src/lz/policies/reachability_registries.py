"""Whether workloads can pull images from an Azure Container Registry: part of the reachability analysis.

`lz.policies.reachability.analyse` calls `analyse` here with its graph. The rule, generic over any
graph of these types: a Container App whose image is on `<name>.azurecr.io` pulls it from inside its
environment's VNet, so it needs either

* a private endpoint to that registry (`privateLinkServiceConnections` naming the registry, group
  `registry`) registered in a `privatelink.azurecr.io` zone (a DNS zone group) that is linked to the
  app's VNet: the login server and the data endpoint then resolve to the endpoint's addresses
  ("Connect privately to an Azure container registry using Azure Private Link",
  learn.microsoft.com/azure/container-registry/container-registry-private-link, read 2026-12); or
* an internet path from the environment's subnet (a NAT gateway, or a 0.0.0.0/0 route to an Azure
  Firewall that allows the registry's names), and a registry that admits public network traffic
  (`publicNetworkAccess` not `Disabled`).

The environment's subnet comes from `vnetConfiguration.infrastructureSubnetId`; an environment
without one runs on Azure's own network and is not judged. AWS (ECR through `ecr.api`/`ecr.dkr`
endpoints and the S3 gateway) and GCP (`pkg.dev` private zones) registries are judged by the main
analysis. What it does not model: VNet peering between the app's VNet and an endpoint's (the
endpoint and the zone link are taken as enough), or Azure's default outbound access.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from . import reachability as r

CONTAINER_APP = "azure-native:app:ContainerApp"
MANAGED_ENVIRONMENT = "azure-native:app:ManagedEnvironment"
ACR = "azure-native:containerregistry:Registry"
PRIVATE_ENDPOINT = "azure-native:network:PrivateEndpoint"
ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup"
ZONE_LINK = "azure-native:privatedns:VirtualNetworkLink"
VNET = "azure-native:network:VirtualNetwork"
ACR_ZONE = "privatelink.azurecr.io"
_ACR_IMAGE = re.compile(r"^([a-z0-9]{5,50})\.azurecr\.io/")


def acr_of(image: str) -> str | None:
    """The registry name of an image on Azure Container Registry, or None."""
    match = _ACR_IMAGE.match(image.lower())
    return match.group(1) if match else None


def _images(app: r.Node) -> list[str]:
    containers = r._list(r._get(app.props, "template.containers")) + r._list(
        r._get(app.props, "template.initContainers")
    )
    return [str(c.get("image")) for c in containers if isinstance(c, Mapping) and c.get("image")]


def _endpoint_targets(g: r.Graph, endpoint: r.Node) -> set[str]:
    """Registry names an endpoint connects to (group `registry`), from the graph or from the target's id."""
    names: set[str] = set()
    for target in g.linked(endpoint, "privateLinkServiceConnections", ACR):
        names.add(str(target.props.get("registryName") or "").lower())
    for conn in r._list(endpoint.props.get("privateLinkServiceConnections")):
        if not isinstance(conn, Mapping) or "registry" not in [str(x) for x in r._list(conn.get("groupIds"))]:
            continue
        match = re.search(r"/registries/([A-Za-z0-9]+)$", str(conn.get("privateLinkServiceId") or ""))
        if match:
            names.add(match.group(1).lower())
    return names


def _zone_linked(g: r.Graph, zone: r.Node, vnet: str) -> bool:
    return any(
        zone.urn in link.deps.get("privateZoneName", []) and vnet in link.deps.get("virtualNetwork", [])
        for link in g.of(ZONE_LINK)
    )


def private_path(g: r.Graph, registry: str, vnet: str | None) -> str | None:
    """None when `registry` has a private endpoint registered in a privatelink.azurecr.io zone linked to `vnet`."""
    endpoints = [e for e in g.of(PRIVATE_ENDPOINT) if registry in _endpoint_targets(g, e)]
    if not endpoints:
        return f"no private endpoint to registry {registry}"
    for endpoint in endpoints:
        for group in g.of(ZONE_GROUP):
            if endpoint.urn not in group.deps.get("privateEndpointName", []):
                continue
            zones = [
                z
                for z in g.linked(group, "privateDnsZoneConfigs", r.AZ_ZONE)
                if str(z.props.get("privateZoneName") or "").lower() == ACR_ZONE
            ]
            if vnet is None or any(_zone_linked(g, z, vnet) for z in zones):
                return None
    return (
        f"the private endpoint to registry {registry} is registered in no {ACR_ZONE} zone linked to the app's VNet, "
        f"so {registry}.azurecr.io resolves to its public address"
    )


def internet_path(g: r.Graph, subnet: r.Node, registry: str) -> str | None:
    """None when the subnet reaches the registry over the internet, else what is missing."""
    for acr in g.of(ACR):
        if (
            str(acr.props.get("registryName") or "").lower() == registry
            and acr.props.get("publicNetworkAccess") == "Disabled"
        ):
            return f"registry {registry} disables public network access"
    if subnet.props.get("natGateway"):
        return None
    routes = [
        route
        for table in g.linked(subnet, "routeTable", r.AZ_RT)
        for route in r._list(table.props.get("routes"))
        if r._get(route, "addressPrefix") == "0.0.0.0/0"
    ]
    if not routes:
        return f"subnet {r._name(subnet.urn)} has no NAT gateway and no 0.0.0.0/0 route"
    if r._get(routes[0], "nextHopType") == "VirtualAppliance":
        fw = r._azure_firewall_at(g, str(r._get(routes[0], "nextHopIpAddress")))
        if fw is None:
            return (
                f"0.0.0.0/0 goes to {r._get(routes[0], 'nextHopIpAddress')}, which lies in no Azure Firewall's subnet"
            )
        host = f"{registry}.azurecr.io"
        if not r._azure_firewall_allows(g, fw, host, "AzureContainerRegistry"):
            return f"Azure Firewall {r._name(fw.urn)} does not allow {host}"
    return None


def analyse(g: r.Graph) -> list[r.Finding]:
    found: list[r.Finding] = []
    for app in g.of(CONTAINER_APP):
        registries = sorted({name for name in map(acr_of, _images(app)) if name})
        if not registries:
            continue
        subnets = [
            s
            for env in g.linked(app, "managedEnvironmentId", MANAGED_ENVIRONMENT)
            for s in g.linked(env, "vnetConfiguration", r.AZ_SUBNET)
        ]
        if not subnets:
            continue  # an environment on Azure's own network pulls from anywhere
        subnet = subnets[0]
        vnets = subnet.deps.get("virtualNetworkName", [])
        vnet = vnets[0] if vnets else None
        for registry in registries:
            private = private_path(g, registry, vnet)
            if private is None:
                continue
            public = internet_path(g, subnet, registry)
            if public is None:
                continue
            found.append(
                r.Finding(
                    app.urn,
                    f"Container App {r._name(app.urn)}",
                    f"{registry}.azurecr.io",
                    f"{private}, and {public}",
                )
            )
    return found
