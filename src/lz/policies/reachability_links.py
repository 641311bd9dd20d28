"""Whether what the workloads rely on is usable at all: invokers, query paths, log writers, joined regions.

Part of the reachability analysis (`lz.policies.reachability.analyse` runs these rules too), over the
same plain nodes and with the same rules of conduct: resources are joined through their property
dependencies (or, where a graph holds only a string, through the cloud's own resource-id forms), and
judged by type and properties, never by the names this project gives.

Rules (each a missing path, reported as a `Finding`):
* Cloud Run services with the invoker IAM check on (`invokerIamDisabled` not true) need someone who
  holds `roles/run.invoker`: a `cloudrunv2` ServiceIamMember / ServiceIamBinding / ServiceIamPolicy
  on the service, or a project-level grant of the role ("Cloud Run: Access control with IAM" and
  "Authenticating service-to-service", cloud.google.com/run/docs/securing/managing-access and
  /authenticating/service-to-service, read 2026-12-05). Without one, every request gets 403.
* Log Analytics workspaces and Application Insights components with
  `publicNetworkAccessForQuery: Disabled` can be queried only through an Azure Monitor Private Link
  Scope that holds them (a scoped resource) and has a private endpoint in a subnet ("Use Azure
  Private Link to connect networks to Azure Monitor", learn.microsoft.com/azure/azure-monitor/logs/
  private-link-security, read 2026-12-05).
* Storage accounts written by Network Watcher flow logs or by Azure Monitor diagnostic settings
  (resource, subscription and management-group ones): these writers come from Azure's own networks
  through the account's public endpoint as trusted services; they never use the account's private
  endpoints. The account must keep public network access enabled and, when its default action is
  Deny, let `AzureServices` bypass ("Configure Azure Storage firewalls and virtual networks: Trusted
  Microsoft services", learn.microsoft.com/azure/storage/common/storage-network-security; Azure
  Monitor "Diagnostic settings: destinations" (a storage account behind a firewall needs "Allow
  trusted Microsoft services"); MicrosoftDocs/azure-docs#64844; the flow-log case in
  DFE-Digital/terraform-azurerm-container-apps-hosting#388: flow logs cannot use private endpoints
  and public access Disabled blocks the trusted services too; all read 2026-12-05). A private
  endpoint therefore does not rescue such an account; `SecuredByPerimeter` is not judged.
* Regions joined: AWS transit gateways of different regions must all be joined by transit gateway
  peering attachments that are accepted (a `PeeringAttachmentAccepter` of the attachment; "Transit
  gateway peering attachments", docs.aws.amazon.com/vpc/latest/tgw/tgw-peering.html, read
  2026-12-05), and each VPC of a region with a transit gateway must be attached to it. Azure VNets
  must be peered in both directions ("Virtual network peering": a peering is usable only once both
  sides exist, learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview, read
  2026-12-05) so that all of a graph's VNets form one connected set. A GCP VPC network is global
  (its subnets in every region share one routing table), so GCP regions of one VPC are never islands.
* GCP Database Migration Service: a migration job with VPC peering connectivity (or whose source
  profile uses a private connection, which peers into `vpcPeeringConfig.vpcName`) reaches its source
  only when that VPC has a route to the source's address as the source connection profile states it
  (a subnet, a static route, a peered network's subnet covering it, or dynamic routes over a Cloud
  Router with BGP peers when the address lies in another cloud's network of the graph) ("Configure
  connectivity using VPC peering" and "private connectivity", cloud.google.com/database-migration/
  docs/postgres/configure-connectivity-vpc-peering, read 2026-12-05);
  and a VPC holds one private services connection per service
  (`servicenetworking.googleapis.com`): a second `servicenetworking` Connection on the same network
  conflicts with the first ("Configure private services access", cloud.google.com/vpc/docs/
  configure-private-services-access: one connection per network and service producer, read
  2026-12-05).

What these rules do not model: custom IAM roles or basic roles carrying `run.routes.invoke`, IAM
conditions, and whether the invoker's client really sends an ID token for the right audience;
DNS resolution of `run.app` and the Cloud Run internal-ingress rules; who may query a workspace
(Azure RBAC) and the AMPLS access modes; storage resource-instance rules and network security
perimeters; transit gateway route tables (static routes, propagation) and VNet-to-VNet gateway
connections as a way to join VNets; a source database named by host name (its address is unknown
until DNS answers), the routes a BGP peer really advertises, and whether the VPC exports custom
routes to the DMS peering.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from .reachability import (
    AWS_SUBNET,
    GCP_NETWORK,
    GCP_ROUTE,
    GCP_ROUTER,
    GCP_SUBNET,
    Finding,
    Graph,
    Node,
    _get,
    _list,
    _name,
)

CLOUD_RUN = "gcp:cloudrunv2/service:Service"
RUN_IAM = (
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding",
    "gcp:cloudrunv2/serviceIamPolicy:ServiceIamPolicy",
)
PROJECT_IAM = (
    "gcp:projects/iAMMember:IAMMember",
    "gcp:projects/iAMBinding:IAMBinding",
    "gcp:projects/iAMPolicy:IAMPolicy",
)
INVOKER_ROLES = ("roles/run.invoker", "roles/run.servicesInvoker")

LAW = "azure-native:operationalinsights:Workspace"
APPI = "azure-native:applicationinsights:Component"
AMPLS = "azure-native:monitor:PrivateLinkScope"
AMPLS_SCOPED = "azure-native:monitor:PrivateLinkScopedResource"
AZ_ENDPOINT = "azure-native:network:PrivateEndpoint"
AZ_STORAGE = "azure-native:storage:StorageAccount"
# Writer type -> the property that names the storage account it writes to.
AZ_TRUSTED_WRITERS = {
    "azure-native:network:FlowLog": "storageId",
    "azure-native:monitor:DiagnosticSetting": "storageAccountId",
    "azure-native:monitor:SubscriptionDiagnosticSetting": "storageAccountId",
    "azure-native:monitor:ManagementGroupDiagnosticSetting": "storageAccountId",
}

TGW = "aws:ec2transitgateway/transitGateway:TransitGateway"
TGW_PEERING = "aws:ec2transitgateway/peeringAttachment:PeeringAttachment"
TGW_ACCEPTER = "aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter"
TGW_VPC_ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment"
AWS_VPC = "aws:ec2/vpc:Vpc"
AZ_VNET = "azure-native:network:VirtualNetwork"
AZ_PEERING = "azure-native:network:VirtualNetworkPeering"

DMS_JOB = "gcp:databasemigrationservice/migrationJob:MigrationJob"
DMS_PROFILE = "gcp:databasemigrationservice/connectionProfile:ConnectionProfile"
DMS_PRIVATE_CONNECTION = "gcp:databasemigrationservice/privateConnection:PrivateConnection"
PSA_CONNECTION = "gcp:servicenetworking/connection:Connection"
GCP_PEERING = "gcp:compute/networkPeering:NetworkPeering"
GCP_ROUTER_PEER = "gcp:compute/routerPeer:RouterPeer"
DMS_ENGINES = ("postgresql", "mysql", "oracle", "sqlserver", "alloydb")


def _tail(value: Any) -> str:
    """The last segment of a resource id or self link, lower-cased ("" for anything else)."""
    return str(value or "").rstrip("/").rsplit("/", 1)[-1].lower()


def _refers(g: Graph, node: Node, prop: str, target: Node, *names: Any) -> bool:
    """`node.prop` names `target`: a property dependency, or an id whose last segment is one of its names."""
    if target.urn in node.deps.get(prop, []):
        return True
    wanted = {str(n).lower() for n in names if n}
    value = node.props.get(prop)
    values = _list(value) if not isinstance(value, dict) else [value.get("id")]
    return bool(wanted) and any(_tail(v) in wanted for v in values if v is not None)


# --- GCP: Cloud Run invokers -----------------------------------------------------------------------


def _has_invoker_binding(node: Node) -> bool:
    if node.type.lower().endswith("iampolicy"):
        data = node.props.get("policyData")
        return any(r in str(data) for r in INVOKER_ROLES)
    if node.props.get("role") not in INVOKER_ROLES:
        return False
    return bool(node.props.get("member") or _list(node.props.get("members")))


def _run_invokers(g: Graph) -> list[Finding]:
    found: list[Finding] = []
    for run in g.of(CLOUD_RUN):
        if run.props.get("invokerIamDisabled") is True:
            continue
        name = run.props.get("name")
        location, project = run.props.get("location"), run.props.get("project")
        held = False
        for type_ in RUN_IAM:
            for grant in g.of(type_):
                same = run.urn in grant.deps.get("name", []) or (
                    _tail(grant.props.get("name")) == str(name or "").lower()
                    and grant.props.get("location") in (None, location)
                    and grant.props.get("project") in (None, project)
                )
                held = held or (same and _has_invoker_binding(grant))
        for type_ in PROJECT_IAM:
            for grant in g.of(type_):
                if grant.props.get("project") in (None, project) and _has_invoker_binding(grant):
                    held = True
        if not held:
            found.append(
                Finding(
                    run.urn,
                    "callers of Cloud Run service " + _name(run.urn),
                    f"Cloud Run service {name or _name(run.urn)} ({location})",
                    "the service checks the invoker's IAM permission, but nobody holds roles/run.invoker on it "
                    "(no Cloud Run service IAM member, binding or policy, and no project-level grant)",
                )
            )
    return found


# --- Azure: query paths and trusted writers --------------------------------------------------------


def _endpoint_into(g: Graph, target: Node, *names: Any) -> list[Node]:
    """Private endpoints (with a subnet) whose private link service connection is `target`."""
    out = []
    for pe in g.of(AZ_ENDPOINT):
        if not (pe.props.get("subnet") or pe.deps.get("subnet")):
            continue
        linked = target.urn in pe.deps.get("privateLinkServiceConnections", []) or any(
            _tail(_get(c, "privateLinkServiceId")) in {str(n).lower() for n in names if n}
            for c in _list(pe.props.get("privateLinkServiceConnections"))
        )
        if linked:
            out.append(pe)
    return out


def _monitor_queries(g: Graph) -> list[Finding]:
    found: list[Finding] = []
    for type_, label, name_prop in (
        (LAW, "Log Analytics workspace", "workspaceName"),
        (APPI, "Application Insights", "resourceName"),
    ):
        for store in g.of(type_):
            if store.props.get("publicNetworkAccessForQuery") != "Disabled":
                continue
            store_name = store.props.get(name_prop)
            scopes = [
                s
                for sr in g.of(AMPLS_SCOPED)
                if _refers(g, sr, "linkedResourceId", store, store_name)
                for s in g.of(AMPLS)
                if _refers(g, sr, "scopeName", s, s.props.get("scopeName"))
            ]
            if not scopes:
                missing = "no Azure Monitor Private Link Scope holds it (no scoped resource)"
            elif not any(_endpoint_into(g, s, s.props.get("scopeName")) for s in scopes):
                missing = f"Private Link Scope {_name(scopes[0].urn)} holds it but has no private endpoint in a subnet"
            else:
                continue
            found.append(
                Finding(
                    store.urn,
                    "queries (portal, alerts, workbooks)",
                    f"{label} {store_name or _name(store.urn)}",
                    f"public query access is Disabled and {missing}",
                )
            )
    return found


def _trusted_writers(g: Graph) -> list[Finding]:
    found: list[Finding] = []
    for account in g.of(AZ_STORAGE):
        account_name = account.props.get("accountName")
        writers = [
            w
            for type_, prop in AZ_TRUSTED_WRITERS.items()
            for w in g.of(type_)
            if _refers(g, w, prop, account, account_name)
        ]
        if not writers:
            continue
        rules = account.props.get("networkRuleSet") or {}
        bypass = {b.strip().lower() for b in ",".join(str(b) for b in _list(rules.get("bypass"))).split(",")}
        if account.props.get("publicNetworkAccess") == "Disabled":
            missing = (
                "its public network access is Disabled, which closes the trusted-services path these writers use "
                "(they never write through the account's private endpoints)"
            )
        elif rules.get("defaultAction") == "Deny" and "azureservices" not in bypass:
            missing = "its network rules deny by default and do not let AzureServices bypass them"
        else:
            continue
        kinds = sorted({w.type.rsplit(":", 1)[-1] for w in writers})
        found.append(
            Finding(
                account.urn,
                ", ".join(kinds) + " (" + ", ".join(_name(w.urn) for w in writers) + ")",
                f"storage account {account_name or _name(account.urn)}",
                missing,
            )
        )
    return found


# --- joined regions --------------------------------------------------------------------------------


def _components(nodes: list[Node], edges: Iterable[tuple[str, str]]) -> list[set[str]]:
    parent = {n.urn: n.urn for n in nodes}

    def root(u: str) -> str:
        while parent[u] != u:
            parent[u] = parent[parent[u]]
            u = parent[u]
        return u

    for a, b in edges:
        if a in parent and b in parent:
            parent[root(a)] = root(b)
    groups: dict[str, set[str]] = {}
    for n in nodes:
        groups.setdefault(root(n.urn), set()).add(n.urn)
    # The main set: the largest, then the one holding the earliest node of the graph.
    order = {n.urn: i for i, n in enumerate(nodes)}
    return sorted(groups.values(), key=lambda s: (-len(s), min(order[u] for u in s)))


def _aws_regions(g: Graph) -> list[Finding]:
    found: list[Finding] = []
    gateways = g.of(TGW)
    accepted = {urn for a in g.of(TGW_ACCEPTER) for urn in a.deps.get("transitGatewayAttachmentId", [])}
    edges = []
    for p in g.of(TGW_PEERING):
        ends = p.deps.get("transitGatewayId", [])[:1] + p.deps.get("peerTransitGatewayId", [])[:1]
        if len(ends) == 2 and p.urn in accepted:
            edges.append((ends[0], ends[1]))
        elif len(ends) == 2:
            found.append(
                Finding(
                    p.urn,
                    f"transit gateway {_name(ends[0])}",
                    f"transit gateway {_name(ends[1])} ({p.props.get('peerRegion')})",
                    f"peering attachment {_name(p.urn)} is never accepted (no peering attachment accepter)",
                )
            )
    if len({t.region for t in gateways}) > 1:
        groups = _components(gateways, edges)
        main = groups[0]
        regions = sorted({str(g.by_urn[u].region) for u in main})
        for group in groups[1:]:
            for urn in sorted(group):
                tgw = g.by_urn[urn]
                found.append(
                    Finding(
                        urn,
                        f"transit gateway {_name(urn)} ({tgw.region})",
                        "the transit gateways of " + ", ".join(regions),
                        "no accepted transit gateway peering attachment joins it to them",
                    )
                )
    by_region: dict[str | None, list[Node]] = {}
    for t in gateways:
        by_region.setdefault(t.region, []).append(t)
    attached = {
        (vpc, tgw)
        for a in g.of(TGW_VPC_ATTACHMENT)
        for vpc in a.deps.get("vpcId", [])
        for tgw in a.deps.get("transitGatewayId", [])
    }
    for vpc in g.of(AWS_VPC):
        hubs = by_region.get(vpc.region, [])
        if gateways and not hubs:
            found.append(
                Finding(
                    vpc.urn,
                    f"VPC {_name(vpc.urn)} ({vpc.region})",
                    "the transit gateways of the graph",
                    f"no transit gateway in {vpc.region} to attach it to",
                )
            )
        elif hubs and not any((vpc.urn, h.urn) in attached for h in hubs):
            found.append(
                Finding(
                    vpc.urn,
                    f"VPC {_name(vpc.urn)} ({vpc.region})",
                    f"transit gateway {_name(hubs[0].urn)}",
                    "no transit gateway VPC attachment joins the VPC to its region's transit gateway",
                )
            )
    return found


def _azure_regions(g: Graph) -> list[Finding]:
    vnets = g.of(AZ_VNET)
    if len(vnets) < 2:
        return []
    directed: set[tuple[str, str]] = set()
    for p in g.of(AZ_PEERING):
        for a in vnets:
            if not _refers(g, p, "virtualNetworkName", a, a.props.get("virtualNetworkName")):
                continue
            for b in vnets:
                if b is not a and (
                    b.urn in p.deps.get("remoteVirtualNetwork", [])
                    or _tail(_get(p.props, "remoteVirtualNetwork.id")) == str(b.props.get("virtualNetworkName")).lower()
                ):
                    directed.add((a.urn, b.urn))
    edges = [(a, b) for a, b in directed if (b, a) in directed]
    groups = _components(vnets, edges)
    found: list[Finding] = []
    main = groups[0]
    for group in groups[1:]:
        for urn in sorted(group):
            vnet = g.by_urn[urn]
            one_way = [b for a, b in directed if a == urn and b in main] + [
                a for a, b in directed if b == urn and a in main
            ]
            missing = (
                f"its peering with {_name(one_way[0])} exists in one direction only (both sides are needed)"
                if one_way
                else "no virtual network peering (in both directions) joins it to them"
            )
            found.append(
                Finding(
                    urn,
                    f"VNet {vnet.props.get('virtualNetworkName') or _name(urn)} ({vnet.props.get('location')})",
                    "the VNets " + ", ".join(sorted(str(g.by_urn[u].props.get("virtualNetworkName")) for u in main)),
                    missing,
                )
            )
    return found


# --- GCP: Database Migration Service --------------------------------------------------------------


def _network_named(g: Graph, node: Node, prop: str, value: Any) -> Node | None:
    linked = g.linked(node, prop, GCP_NETWORK)
    if linked:
        return linked[0]
    text = str(value or "")
    for net in g.of(GCP_NETWORK):
        name, project = net.props.get("name"), net.props.get("project")
        if (
            name
            and (text == name or text.endswith(f"/networks/{name}"))
            and (not project or "/projects/" + str(project) + "/" in "/" + text or "projects/" not in text)
        ):
            return net
    return None


def _covers(cidr: Any, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    try:
        return ip in ipaddress.ip_network(str(cidr), strict=False)
    except ValueError:
        return False


def _subnets_cover(g: Graph, network: Node, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(
        _covers(s.props.get("ipCidrRange"), ip) for s in g.of(GCP_SUBNET) if network.urn in s.deps.get("network", [])
    )


def _route_to(g: Graph, network: Node, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if _subnets_cover(g, network, ip):
        return True
    for r in g.of(GCP_ROUTE):
        if network.urn in r.deps.get("network", []) and _covers(r.props.get("destRange"), ip):
            if not (r.props.get("destRange") == "0.0.0.0/0" and r.props.get("nextHopGateway")):
                return True
    for p in g.of(GCP_PEERING):
        # A peered network's subnet routes are always exchanged (its custom routes only on request).
        if network.urn in p.deps.get("network", []):
            if any(_subnets_cover(g, peer, ip) for peer in g.linked(p, "peerNetwork", GCP_NETWORK)):
                return True
    routers = [r for r in g.of(GCP_ROUTER) if network.urn in r.deps.get("network", [])]
    bgp = any(set(p.deps.get("router", [])) & {r.urn for r in routers} for p in g.of(GCP_ROUTER_PEER))
    if bgp:
        # Dynamic routes: the far ends of the VPN advertise their own networks.
        far = [v.props.get("cidrBlock") for v in g.of(AWS_VPC)] + [s.props.get("cidrBlock") for s in g.of(AWS_SUBNET)]
        far += [p for v in g.of(AZ_VNET) for p in _list(_get(v.props, "addressSpace.addressPrefixes"))]
        if any(_covers(c, ip) for c in far if c):
            return True
    return False


def _source_profile(g: Graph, job: Node) -> Node | None:
    source_id = _tail(job.props.get("source"))
    for p in g.of(DMS_PROFILE):
        if p.urn in job.deps.get("source", []) or str(p.props.get("connectionProfileId") or "").lower() == source_id:
            return p
    return None


def _peered_network(g: Graph, job: Node, profile: Node | None) -> Node | None:
    """The VPC a job reaches its source from: the job's VPC peering, or the source profile's private
    connection (which peers into `vpcPeeringConfig.vpcName`)."""
    vpc = _get(job.props, "vpcPeeringConnectivity.vpc")
    if vpc:
        return _network_named(g, job, "vpcPeeringConnectivity", vpc)
    if profile is None:
        return None
    for engine in DMS_ENGINES:
        ref = _get(profile.props, f"{engine}.privateConnectivity.privateConnection")
        if not ref:
            continue
        for pc in g.of(DMS_PRIVATE_CONNECTION):
            if pc.urn in profile.deps.get(engine, []) or str(
                pc.props.get("privateConnectionId") or ""
            ).lower() == _tail(ref):
                return _network_named(g, pc, "vpcPeeringConfig", _get(pc.props, "vpcPeeringConfig.vpcName"))
    return None


def _dms(g: Graph) -> list[Finding]:
    found: list[Finding] = []
    for job in g.of(DMS_JOB):
        profile = _source_profile(g, job)
        network = _peered_network(g, job, profile)
        if network is None or profile is None:
            continue  # no peering, or the VPC or the source lies outside this graph: cannot tell
        host = next((_get(profile.props, f"{e}.host") for e in DMS_ENGINES if _get(profile.props, f"{e}.host")), None)
        try:
            ip = ipaddress.ip_address(str(host))
        except ValueError:
            continue  # a host name: its address is unknown until DNS answers
        if not _route_to(g, network, ip):
            found.append(
                Finding(
                    job.urn,
                    f"migration job {job.props.get('migrationJobId') or _name(job.urn)}",
                    f"source database {host} (connection profile {_name(profile.urn)})",
                    f"the peered VPC {network.props.get('name') or _name(network.urn)} has no subnet, "
                    "static route, network peering or VPN (BGP) path covering the address",
                )
            )
    seen: dict[tuple[str, str], Node] = {}
    for conn in g.of(PSA_CONNECTION):
        net = _network_named(g, conn, "network", conn.props.get("network"))
        key = (net.urn if net else str(conn.props.get("network") or ""), str(conn.props.get("service") or ""))
        if key in seen:
            found.append(
                Finding(
                    conn.urn,
                    f"private services connection {_name(conn.urn)}",
                    f"{key[1]} on network {_tail(conn.props.get('network')) or _name(key[0])}",
                    f"{_name(seen[key].urn)} already connects that network to that service: a VPC holds one "
                    "private services connection per service (share its allocated ranges instead)",
                )
            )
        else:
            seen[key] = conn
    return found


def analyse_links(g: Graph) -> list[Finding]:
    return _run_invokers(g) + _monitor_queries(g) + _trusted_writers(g) + _aws_regions(g) + _azure_regions(g) + _dms(g)
