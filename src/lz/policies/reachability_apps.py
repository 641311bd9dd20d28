"""Whether Azure Container Apps environments reach what their apps need (part of the reachability analysis).

Called by `lz.policies.reachability.analyse`. A Container Apps managed environment injected into a
subnet (`vnetConfiguration.infrastructureSubnetId`) is judged like an AKS cluster, from that subnet:

* what it must reach: Microsoft Container Registry (`mcr.microsoft.com`, every environment's
  platform images), each of its apps' image registries (Docker Hub's hosts for an image without a
  registry), and every https URL or collector `endpoint: host:port` in the apps' environment
  variables (the OTLP endpoint of the collector configuration);
* a path: a NAT gateway on the subnet; or a route table sending 0.0.0.0/0 to a virtual appliance
  address inside an Azure Firewall's subnet whose rules allow each host (application rules by FQDN);
  or, with neither, the platform's default outbound access, unless the subnet turns it off
  (`defaultOutboundAccess: false`), which leaves no way out. UDR and NAT gateway are supported only
  in a workload-profiles environment ("Azure Container Apps environment integration with Azure
  Firewall", learn.microsoft.com/azure/container-apps/use-azure-firewall, read 2026-12-05), and UDR
  only in an internal one; an environment that is neither on such a subnet is a finding too.

Not modelled: network rules by service tag (AzureMonitor, MicrosoftContainerRegistry) standing in
for application rules, NSGs on the subnet, private endpoints of registries (an ACR behind Private
Link), and DNS.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import reachability as r

ENVIRONMENT = "azure-native:app:ManagedEnvironment"
CONTAINER_APP = "azure-native:app:ContainerApp"
PLATFORM_HOSTS = ("mcr.microsoft.com",)


def _hosts(g: r.Graph, environment: r.Node) -> list[str]:
    hosts: list[str] = list(PLATFORM_HOSTS)
    for app in g.of(CONTAINER_APP):
        if environment.urn not in app.deps.get("managedEnvironmentId", []):
            continue
        containers = [c for c in r._list(r._get(app.props, "template.containers")) if isinstance(c, Mapping)]
        for c in containers:
            hosts += [h for kind, h in r.image_destinations(str(c.get("image") or ""), None) if kind == "host"]
            hosts += r._env_hosts(r._get(e, "value") for e in r._list(c.get("env")))
    return list(dict.fromkeys(hosts))


def _path(g: r.Graph, subnet: r.Node, host: str) -> str | None:
    """None when `host` is reachable from the subnet, else what is missing."""
    if subnet.props.get("natGateway"):
        return None
    tables = g.linked(subnet, "routeTable", r.AZ_RT)
    routes: list[Any] = [
        rt for t in tables for rt in r._list(t.props.get("routes")) if r._get(rt, "addressPrefix") == "0.0.0.0/0"
    ]
    if not routes:
        if subnet.props.get("defaultOutboundAccess") is False:
            return (
                f"subnet {r._name(subnet.urn)} has no NAT gateway, no 0.0.0.0/0 route and no default outbound "
                "access (egress mode none): nothing leaves it"
            )
        return None
    route = routes[0]
    hop = r._get(route, "nextHopType")
    if hop == "Internet":
        return None
    if hop != "VirtualAppliance":
        return f"subnet {r._name(subnet.urn)} sends 0.0.0.0/0 to {hop}, which drops it"
    address = str(r._get(route, "nextHopIpAddress"))
    firewall = r._azure_firewall_at(g, address)
    if firewall is None:
        return f"0.0.0.0/0 goes to {address}, which lies in no Azure Firewall's subnet of this graph"
    if not r._azure_firewall_allows(g, firewall, host, "\0"):  # Container Apps has no FQDN tag
        return f"Azure Firewall {r._name(firewall.urn)} has no application rule allowing {host}"
    return None


def analyse(g: r.Graph) -> list[r.Finding]:
    found: list[r.Finding] = []
    for environment in g.of(ENVIRONMENT):
        subnets = g.linked(environment, "vnetConfiguration", r.AZ_SUBNET)
        if not subnets:
            continue  # not injected into a VNet of this graph: Azure manages its network
        subnet = subnets[0]
        workload = f"Container Apps environment {r._name(environment.urn)}"
        udr = bool(g.linked(subnet, "routeTable", r.AZ_RT))
        routed = bool(subnet.props.get("natGateway")) or udr
        problem = None
        if routed and not r._list(environment.props.get("workloadProfiles")):
            problem = (
                f"subnet {r._name(subnet.urn)} has a NAT gateway or route table, which only a "
                "workload-profiles environment uses"
            )
        elif udr and r._get(environment.props, "vnetConfiguration.internal") is not True:
            # "User defined routes only work with an internal Azure Container Apps environment"
            # (learn.microsoft.com/azure/container-apps/user-defined-routes, read 2026-12-05).
            problem = f"subnet {r._name(subnet.urn)} has a route table, which only an internal environment uses"
        if problem:
            found.append(r.Finding(environment.urn, workload, "its egress path", problem))
            continue
        for host in _hosts(g, environment):
            problem = _path(g, subnet, host)
            if problem:
                found.append(r.Finding(environment.urn, workload, host, problem))
    return found
