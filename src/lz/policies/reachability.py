"""Whether each workload of a resource graph can reach what it needs: the pure analysis.

Input: plain nodes (type, URN, properties, property dependencies by input name, region), as read
from this project's graph.json, a `pulumi stack export` or a preview. The analysis never relies on
names this project gives: it joins resources through their property dependencies and judges them
by type and properties, so it judges any graph of these types.

Workloads and what each must reach:
* EKS node groups (`subnetIds`): ECR (api, dkr), S3 (image layers), STS, EC2 ("Amazon EKS private
  cluster requirements", docs.aws.amazon.com/eks/latest/userguide/private-clusters.html, 2026-12).
* ECS services in awsvpc mode (`networkConfiguration`): their task definition's images (ECR: api,
  dkr, S3; any other registry: its host names on the internet), CloudWatch Logs for the awslogs
  driver, SSM / Secrets Manager for secrets, and every https URL in the containers' environment.
* GKE clusters (`subnetwork`): Artifact Registry and Container Registry (`<region>-docker.pkg.dev`,
  `gcr.io`) and the Google APIs.
* Cloud Run services whose egress is `ALL_TRAFFIC` into a VPC: every https URL in their environment.
* AKS clusters: with outbound type `userDefinedRouting`, their node subnets' route table must send
  0.0.0.0/0 to an Azure Firewall (its address inside the firewall's subnet) whose rules allow AKS's
  dependencies (the `AzureKubernetesService` FQDN tag, or `mcr.microsoft.com`); with
  `userAssignedNATGateway` the subnets need a NAT gateway ("Customize cluster egress with outbound
  types", learn.microsoft.com/azure/aks/egress-outboundtype, read 2026-12).

A path to an AWS service: an interface endpoint with private DNS in the subnet's VPC (a gateway
endpoint on the subnet's route table for S3 and DynamoDB), or the internet path below. A path to a
Google API or registry: Private Google Access on the subnet and either a private zone covering the
name on the network plus a route to the private VIPs, or a default route to the internet gateway.
A path to an internet host: AWS, the subnet's route table sends 0.0.0.0/0 to a NAT gateway whose
subnet routes 0.0.0.0/0 to an internet gateway, or to a Network Firewall endpoint whose subnets
route on to such a NAT gateway and whose policy lets the host through; GCP, a default route to the
internet gateway, Cloud NAT on a router of the network in the region, and no network firewall
policy rule denying the host first. `0.0.0.0/0` to an AWS transit gateway is followed: the subnet's
VPC attachment, the transit gateway route table it is associated with (explicitly, or the default
route table when both the attachment and the gateway leave default association on), that table's
`0.0.0.0/0` route and the VPC attachment it names, whose attachment subnets are then judged as
above (firewall endpoint, NAT gateway, internet gateway, allow list). A default route toward an
attachment whose VPC the graph does not hold (or a VPN or peering) is a path the graph cannot judge:
no finding.

Cross-cloud names: when two clouds of the graph each hold a private zone of their own, each must
forward the other's domain (Route 53 Resolver FORWARD rule, Cloud DNS forwarding zone, Azure DNS
forwarding rule) to an inbound resolver address of the other cloud.

A name under one of the graph's own private zones (`otlp.aws.dev.acme.internal`) is reached
privately: the rule on cross-cloud names judges whether every cloud resolves it, and the address
behind it (a record the graph may not hold) is taken as routed over the interconnect.

Beyond paths: whether what the workloads rely on is usable (Cloud Run invokers, Azure Monitor query
paths, the storage accounts trusted Azure services write logs to, regions joined per cloud, the
Database Migration Service's route to its source and one private services connection per VPC) is
judged by `lz.policies.reachability_links`, whose doc lists those rules and their sources.

Values unknown at preview make the verdict "cannot tell" for that workload, never a finding.

What the analysis does not model: security groups, NACLs, NSGs and VPC firewall rules other than
egress FQDN policies (a path is routes, endpoints, NAT and DNS, not every packet filter); transit
gateway routes other than the default route, propagated routes, and Azure route tables beyond a
subnet's default route; BGP route advertisement and
selection; IAM on the destination (except Cloud Run's invoker); quotas and capacity; names resolved
by resolvers outside the graph; and what `lz.policies.reachability_links` lists for its own rules.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from lz.core.registries import DOCKER_HUB_PULL_HOSTS

T = TypeVar("T")

AWS_SUBNET = "aws:ec2/subnet:Subnet"
AWS_RT = "aws:ec2/routeTable:RouteTable"
AWS_RT_ASSOC = "aws:ec2/routeTableAssociation:RouteTableAssociation"
AWS_ROUTE = "aws:ec2/route:Route"
AWS_NAT = "aws:ec2/natGateway:NatGateway"
AWS_IGW = "aws:ec2/internetGateway:InternetGateway"
AWS_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
AWS_FIREWALL = "aws:networkfirewall/firewall:Firewall"
AWS_FIREWALL_POLICY = "aws:networkfirewall/firewallPolicy:FirewallPolicy"
AWS_RULE_GROUP = "aws:networkfirewall/ruleGroup:RuleGroup"
AWS_TGW = "aws:ec2transitgateway/transitGateway:TransitGateway"
AWS_TGW_ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment"
AWS_TGW_RT_ASSOC = "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation"
AWS_TGW_ROUTE = "aws:ec2transitgateway/route:Route"
EKS_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
ECS_SERVICE = "aws:ecs/service:Service"
ECS_TASK = "aws:ecs/taskDefinition:TaskDefinition"
R53_ZONE = "aws:route53/zone:Zone"
R53_RULE = "aws:route53/resolverRule:ResolverRule"
R53_ENDPOINT = "aws:route53/resolverEndpoint:ResolverEndpoint"

GCP_NETWORK = "gcp:compute/network:Network"
GCP_SUBNET = "gcp:compute/subnetwork:Subnetwork"
GCP_ROUTE = "gcp:compute/route:Route"
GCP_ROUTER = "gcp:compute/router:Router"
GCP_NAT = "gcp:compute/routerNat:RouterNat"
GCP_POLICY_RULE = "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule"
GCP_POLICY_ASSOC = "gcp:compute/networkFirewallPolicyAssociation:NetworkFirewallPolicyAssociation"
GCP_ZONE = "gcp:dns/managedZone:ManagedZone"
GCP_ADDRESS = "gcp:compute/address:Address"
GKE_CLUSTER = "gcp:container/cluster:Cluster"
CLOUD_RUN = "gcp:cloudrunv2/service:Service"

AKS = "azure-native:containerservice:ManagedCluster"
AZ_SUBNET = "azure-native:network:Subnet"
AZ_RT = "azure-native:network:RouteTable"
AZ_FIREWALL = "azure-native:network:AzureFirewall"
AZ_RULES = "azure-native:network:FirewallPolicyRuleCollectionGroup"
AZ_ZONE = "azure-native:privatedns:PrivateZone"
AZ_FORWARDING_RULE = "azure-native:dnsresolver:ForwardingRule"
AZ_INBOUND = "azure-native:dnsresolver:InboundEndpoint"

GOOGLE_VIPS = (ipaddress.ip_network("199.36.153.8/30"), ipaddress.ip_network("199.36.153.4/30"))
DOCKER_HUB = DOCKER_HUB_PULL_HOSTS
_URL = re.compile(r"https?://([A-Za-z0-9.-]+)")
# OpenTelemetry collector configuration names an exporter's target as `endpoint: host:port`.
_ENDPOINT = re.compile(r"endpoint\"?\s*[:=]\s*\"?(?:https?://)?([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+):\d+")
_ECR = re.compile(r"^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?/")


@dataclass(frozen=True)
class Node:
    urn: str
    type: str
    props: Mapping[str, Any]
    deps: Mapping[str, list[str]] = field(default_factory=dict)
    region: str | None = None


@dataclass(frozen=True)
class Finding:
    urn: str
    workload: str
    destination: str
    missing: str

    @property
    def message(self) -> str:
        return f"{self.workload} cannot reach {self.destination}: {self.missing}"


def _name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def _get(obj: Any, path: str) -> Any:
    for step in path.split("."):
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(step)
    return obj


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def host_allowed(host: str, entries: Iterable[str]) -> bool:
    """Domain-list semantics shared by the firewalls: exact names, `.d` or `*.d` for d and below."""
    host = host.lower().rstrip(".")
    for entry in entries:
        entry = entry.lower().rstrip(".")
        if entry.startswith("*."):
            if host.endswith(entry[1:]):
                return True
        elif entry.startswith("."):
            if host == entry[1:] or host.endswith(entry):
                return True
        elif host == entry:
            return True
    return False


def image_destinations(image: str, region: str | None) -> list[tuple[str, str]]:
    """(kind, name) pairs an image pull needs: ("aws", "ecr.api"), ("host", "registry-1.docker.io"), or
    ("acr", "<name>.azurecr.io"), whose private or public path `reachability_registries` judges."""
    match = _ECR.match(image)
    if match:
        return [("aws", "ecr.api"), ("aws", "ecr.dkr"), ("aws", "s3")]
    first = image.split("/", 1)[0]
    if first.endswith(".azurecr.io"):
        return [("acr", first)]
    if "/" not in image or ("." not in first and ":" not in first and first != "localhost"):
        return [("host", h) for h in DOCKER_HUB]  # Docker Hub is the default registry
    if first in ("docker.io", "index.docker.io"):
        return [("host", h) for h in DOCKER_HUB]
    return [("host", first)]


def aws_host(service: str, region: str) -> str:
    if service == "ecr.api":
        return f"api.ecr.{region}.amazonaws.com"
    if service == "ecr.dkr":
        return f"dkr.ecr.{region}.amazonaws.com"
    if service == "s3":
        return f"s3.{region}.amazonaws.com"
    return f"{service}.{region}.amazonaws.com"


class Graph:
    def __init__(self, nodes: Iterable[Node]) -> None:
        self.nodes = list(nodes)
        self.by_urn = {n.urn: n for n in self.nodes}
        self.by_type: dict[str, list[Node]] = {}
        for n in self.nodes:
            self.by_type.setdefault(n.type, []).append(n)
        self._memo: dict[str, object] = {}

    def of(self, type_: str) -> list[Node]:
        return self.by_type.get(type_, [])

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """What `compute` derives from the graph, derived once (the graph does not change)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return cast(T, self._memo[key])

    def linked(self, node: Node, prop: str, type_: str | None = None) -> list[Node]:
        out = []
        for urn in node.deps.get(prop, []):
            target = self.by_urn.get(urn)
            if target is not None and (type_ is None or target.type == type_):
                out.append(target)
        return out


# --- AWS -------------------------------------------------------------------------------------------


class Aws:
    def __init__(self, g: Graph) -> None:
        self.g = g
        self.rt_of_subnet: dict[str, str] = {}
        for a in g.of(AWS_RT_ASSOC):
            subnets, tables = g.linked(a, "subnetId"), g.linked(a, "routeTableId")
            if subnets and tables:
                self.rt_of_subnet[subnets[0].urn] = tables[0].urn
        self.routes: dict[str, list[Node]] = {}
        for r in g.of(AWS_ROUTE):
            for t in g.linked(r, "routeTableId"):
                self.routes.setdefault(t.urn, []).append(r)
        # Transit gateway route tables by the attachments associated with them, and their routes. A
        # transit gateway's default route table is no resource: routes into it depend on the
        # transit gateway itself (its `associationDefaultRouteTableId`), so it is keyed by the
        # transit gateway's URN.
        self.tgw_table_of: dict[str, str] = {}
        for assoc in g.of(AWS_TGW_RT_ASSOC):
            attached = assoc.deps.get("transitGatewayAttachmentId", [])
            table_urns = assoc.deps.get("transitGatewayRouteTableId", [])
            if attached and table_urns:
                self.tgw_table_of[attached[0]] = table_urns[0]
        self.tgw_routes: dict[str, list[Node]] = {}
        for tgw_route in g.of(AWS_TGW_ROUTE):
            for table_urn in tgw_route.deps.get("transitGatewayRouteTableId", []):
                self.tgw_routes.setdefault(table_urn, []).append(tgw_route)

    def vpc_of(self, subnet: Node) -> str | None:
        vpcs = subnet.deps.get("vpcId", [])
        return vpcs[0] if vpcs else None

    def default_route(self, table: str) -> Node | None:
        for r in self.routes.get(table, []):
            if r.props.get("destinationCidrBlock") == "0.0.0.0/0":
                return r
        return None

    def _to_igw(self, subnet: Node) -> bool:
        table = self.rt_of_subnet.get(subnet.urn)
        route = self.default_route(table) if table else None
        return route is not None and bool(self.g.linked(route, "gatewayId", AWS_IGW))

    def _nat_ok(self, nat: Node) -> bool:
        if nat.props.get("connectivityType") == "private":
            return False
        return any(self._to_igw(s) for s in self.g.linked(nat, "subnetId", AWS_SUBNET))

    def internet(self, subnet: Node, host: str, seen: frozenset[str] = frozenset()) -> str | None:
        """None when `host` is reachable on the internet from `subnet`, else what is missing."""
        table = self.rt_of_subnet.get(subnet.urn)
        if table is None:
            return f"subnet {_name(subnet.urn)} has no route table association, so no route to the internet"
        route = self.default_route(table)
        if route is None:
            return f"route table {_name(table)} has no 0.0.0.0/0 route (no NAT gateway or firewall on the way out)"
        if route.props.get("transitGatewayId"):
            return self._through_tgw(subnet, route, host, seen)
        nats = self.g.linked(route, "natGatewayId", AWS_NAT)
        if nats:
            return (
                None
                if self._nat_ok(nats[0])
                else f"NAT gateway {_name(nats[0].urn)} has no public subnet routing 0.0.0.0/0 to an internet gateway"
            )
        if self.g.linked(route, "gatewayId", AWS_IGW):
            return (
                None
                if subnet.props.get("mapPublicIpOnLaunch") is True
                else f"route table {_name(table)} sends 0.0.0.0/0 to an internet gateway, "
                "but the subnet gives no public IPs"
            )
        firewalls = self.g.linked(route, "vpcEndpointId", AWS_FIREWALL)
        if firewalls:
            return self._through_firewall(firewalls[0], host)
        return f"route table {_name(table)} sends 0.0.0.0/0 to a target that leads to no NAT gateway"

    def _tgw_table(self, attachment: Node, tgw: Node) -> str | None:
        """The transit gateway route table `attachment` is associated with: an explicit association,
        else the transit gateway's default route table when both sides leave default association on
        (`transitGatewayDefaultRouteTableAssociation` and the gateway's `defaultRouteTableAssociation`,
        docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html, read 2026-12)."""
        explicit = self.tgw_table_of.get(attachment.urn)
        if explicit is not None:
            return explicit
        if attachment.props.get("transitGatewayDefaultRouteTableAssociation") is False:
            return None
        if tgw.props.get("defaultRouteTableAssociation") == "disable":
            return None
        return tgw.urn

    def _through_tgw(self, subnet: Node, route: Node, host: str, seen: frozenset[str]) -> str | None:
        """Follow `0.0.0.0/0` into a transit gateway: the subnet's VPC attachment, the route table it
        is associated with, that table's default route and the VPC attached there, judged from its
        attachment subnets. What the graph does not hold (the gateway, an attachment, the far VPC)
        leaves the path unjudged (None), never a finding."""
        tgws = self.g.linked(route, "transitGatewayId", AWS_TGW)
        vpc = self.vpc_of(subnet)
        if not tgws or vpc is None or route.urn in seen:
            return None
        tgw = tgws[0]
        mine = [
            a
            for a in self.g.of(AWS_TGW_ATTACHMENT)
            if vpc in a.deps.get("vpcId", []) and tgw.urn in a.deps.get("transitGatewayId", [])
        ]
        if not mine:
            return None  # the VPC's attachment is judged by the rule on joined regions
        table = self._tgw_table(mine[0], tgw)
        if table is None:
            return f"transit gateway attachment {_name(mine[0].urn)} is associated with no route table"
        defaults = [r for r in self.tgw_routes.get(table, []) if r.props.get("destinationCidrBlock") == "0.0.0.0/0"]
        where = f"transit gateway {_name(tgw.urn)}'s " + (
            "default route table" if table == tgw.urn else f"route table {_name(table)}"
        )
        if not defaults:
            return f"{where} has no 0.0.0.0/0 route (no egress VPC behind the transit gateway)"
        default = defaults[0]
        if default.props.get("blackhole") is True:
            return f"{where} drops 0.0.0.0/0 (blackhole route)"
        targets = self.g.linked(default, "transitGatewayAttachmentId", AWS_TGW_ATTACHMENT)
        onward = [s for t in targets for s in self.g.linked(t, "subnetIds", AWS_SUBNET)]
        if not onward:
            return None  # a VPN, a peering or a VPC the graph does not hold: a path it cannot judge
        problems = []
        for s in onward:
            problem = self.internet(s, host, seen | {route.urn})
            if problem is None:
                return None
            problems.append(problem)
        return f"{where} sends 0.0.0.0/0 to attachment {_name(targets[0].urn)}, but {problems[0]}"

    def _through_firewall(self, firewall: Node, host: str) -> str | None:
        subnets = self.g.linked(firewall, "subnetMappings", AWS_SUBNET)
        onward = [
            s
            for s in subnets
            if (t := self.rt_of_subnet.get(s.urn))
            and (r := self.default_route(t))
            and any(self._nat_ok(n) for n in self.g.linked(r, "natGatewayId", AWS_NAT))
        ]
        if not onward:
            return f"network firewall {_name(firewall.urn)}'s subnets route to no NAT gateway with internet access"
        if not self.firewall_allows(firewall, host):
            return f"network firewall {_name(firewall.urn)} does not allow {host} (add it to its domain allow list)"
        return None

    def firewall_allows(self, firewall: Node, host: str) -> bool:
        policies = self.g.linked(firewall, "firewallPolicyArn", AWS_FIREWALL_POLICY)
        if not policies:
            return True
        policy = policies[0]
        groups = self.g.linked(policy, "firewallPolicy", AWS_RULE_GROUP)
        allow: list[str] = []
        deny: list[str] = []
        for group in groups:
            source = _get(group.props, "ruleGroup.rulesSource.rulesSourceList") or {}
            targets = [str(t) for t in _list(source.get("targets"))]
            (allow if source.get("generatedRulesType") == "ALLOWLIST" else deny).extend(targets)
        if host_allowed(host, deny):
            return False
        if allow:
            return host_allowed(host, allow)
        defaults = [str(a) for a in _list(_get(policy.props, "firewallPolicy.statefulDefaultActions"))]
        return not any(a.startswith("aws:drop") for a in defaults)

    def service(self, subnet: Node, service: str, region: str) -> str | None:
        vpc = self.vpc_of(subnet)
        name = f"com.amazonaws.{region}.{service}"
        table = self.rt_of_subnet.get(subnet.urn)
        for e in self.g.of(AWS_ENDPOINT):
            if e.props.get("serviceName") != name or (e.deps.get("vpcId") or [""])[0] != vpc:
                continue
            kind = e.props.get("vpcEndpointType") or "Gateway"
            if kind == "Gateway" and table in e.deps.get("routeTableIds", []):
                return None
            if kind == "Interface" and e.props.get("privateDnsEnabled") is True:
                return None
        problem = self.internet(subnet, aws_host(service, region))
        if problem is None:
            return None
        return f"no interface endpoint {name} with private DNS in the VPC, and {problem}"


# --- GCP -------------------------------------------------------------------------------------------


class Gcp:
    def __init__(self, g: Graph) -> None:
        self.g = g

    def _routes(self, network: str) -> list[Node]:
        return [r for r in self.g.of(GCP_ROUTE) if network in r.deps.get("network", [])]

    def default_route(self, network: str) -> bool:
        net = self.g.by_urn.get(network)
        if net is not None and net.props.get("deleteDefaultRoutesOnCreate") is not True:
            return True  # GCP creates a default route to the internet gateway
        return any(
            r.props.get("destRange") == "0.0.0.0/0"
            and r.props.get("nextHopGateway")
            in ("default-internet-gateway", "global/gateways/default-internet-gateway")
            for r in self._routes(network)
        )

    def vip_route(self, network: str) -> bool:
        for r in self._routes(network):
            try:
                dest = ipaddress.ip_network(str(r.props.get("destRange")))
            except ValueError:
                continue
            if any(vip.subnet_of(dest) for vip in GOOGLE_VIPS) and r.props.get("nextHopGateway"):  # type: ignore[arg-type]
                return True
        return False

    def nat(self, network: str, region: str | None) -> bool:
        for n in self.g.of(GCP_NAT):
            for router in self.g.linked(n, "router", GCP_ROUTER):
                if network in router.deps.get("network", []) and (region is None or n.props.get("region") == region):
                    return True
        return False

    def policy_verdict(self, network: str, host: str) -> str | None:
        policies = {
            a.deps.get("firewallPolicy", [""])[0]
            for a in self.g.of(GCP_POLICY_ASSOC)
            if network in a.deps.get("attachmentTarget", [])
        }
        rules = sorted(
            (
                r
                for r in self.g.of(GCP_POLICY_RULE)
                if set(r.deps.get("firewallPolicy", [])) & policies
                and r.props.get("direction") == "EGRESS"
                and not r.props.get("disabled")
            ),
            key=lambda r: int(r.props.get("priority") or 0),
        )
        for r in rules:
            match = r.props.get("match") or {}
            fqdns = [str(f) for f in _list(match.get("destFqdns"))]
            ranges = [str(x) for x in _list(match.get("destIpRanges"))]
            if host_allowed(host, fqdns) or "0.0.0.0/0" in ranges:
                if r.props.get("action") in ("allow", "goto_next"):
                    return None
                return f"network firewall policy rule {r.props.get('ruleName') or _name(r.urn)} denies it"
        return None

    def internet(self, network: str, region: str | None, host: str) -> str | None:
        if not self.default_route(network):
            return f"VPC {_name(network)} has no route to the default internet gateway"
        if not self.nat(network, region):
            return f"no Cloud NAT on a router of VPC {_name(network)} in {region}"
        return self.policy_verdict(network, host)

    def private_zone_covers(self, network: str, host: str) -> bool:
        for z in self.g.of(GCP_ZONE):
            if z.props.get("visibility") != "private" or z.props.get("forwardingConfig"):
                continue
            if network not in z.deps.get("privateVisibilityConfig", []):
                continue
            domain = str(z.props.get("dnsName") or "").rstrip(".")
            if domain and (host == domain or host.endswith("." + domain)):
                return True
        return False

    def google(self, subnet: Node | None, network: str, region: str | None, host: str) -> str | None:
        pga = subnet is not None and subnet.props.get("privateIpGoogleAccess") is True
        if pga and self.default_route(network):
            return None
        if pga and self.private_zone_covers(network, host) and self.vip_route(network):
            return None
        problem = self.internet(network, region, host)
        if problem is None:
            return None
        if not pga:
            return f"Private Google Access is off on the subnet, and {problem}"
        return (
            f"no private zone on VPC {_name(network)} answers {host} with the private.googleapis.com VIPs, "
            f"and {problem}"
        )


def _env_hosts(values: Iterable[Any]) -> list[str]:
    hosts = []
    for value in values:
        for host in [*_URL.findall(str(value)), *_ENDPOINT.findall(str(value))]:
            host = host.lower().rstrip(".")
            try:
                ipaddress.ip_address(host)
                continue  # an address, not a name (0.0.0.0 listeners, fixed peers)
            except ValueError:
                pass
            if host not in hosts and host != "localhost" and "." in host:
                hosts.append(host)
    return hosts


def _containers(task: Node) -> list[Mapping[str, Any]]:
    raw = task.props.get("containerDefinitions")
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return []
    return [c for c in _list(raw) if isinstance(c, Mapping)]


def _per_subnet(urn: str, workload: str, destination: str, problems: list[tuple[Node, str | None]]) -> list[Finding]:
    """One finding per workload and destination, naming the subnets without a path."""
    failing = [(s, p) for s, p in problems if p]
    if not failing:
        return []
    subnets = ", ".join(_name(s.urn) for s, _ in failing)
    return [Finding(urn, f"{workload} (subnets {subnets})", destination, str(failing[0][1]))]


def _aws_workloads(g: Graph, aws: Aws) -> list[Finding]:
    found: list[Finding] = []
    for ng in g.of(EKS_NODE_GROUP):
        region = ng.region or ""
        for service in ("ecr.api", "ecr.dkr", "s3", "sts", "ec2"):
            problems = [(s, aws.service(s, service, region)) for s in g.linked(ng, "subnetIds", AWS_SUBNET)]
            found += _per_subnet(ng.urn, f"EKS node group {_name(ng.urn)}", aws_host(service, region), problems)
    for svc in g.of(ECS_SERVICE):
        region = svc.region or ""
        subnets = g.linked(svc, "networkConfiguration", AWS_SUBNET)
        needs: list[tuple[str, str]] = []
        for task in g.linked(svc, "taskDefinition", ECS_TASK):
            for c in _containers(task):
                needs += image_destinations(str(c.get("image") or ""), region)
                if _get(c, "logConfiguration.logDriver") == "awslogs":
                    needs.append(("aws", "logs"))
                for secret in _list(c.get("secrets")):
                    source = str(_get(secret, "valueFrom") or "")
                    needs.append(("aws", "secretsmanager" if ":secretsmanager:" in source else "ssm"))
                env = [_get(e, "value") for e in _list(c.get("environment"))]
                needs += [("host", h) for h in _env_hosts(env)]
        needs = list(dict.fromkeys(needs))
        for kind, name in needs:
            if kind == "aws":
                problems = [(s, aws.service(s, name, region)) for s in subnets]
                dest = aws_host(name, region)
            elif name.endswith(".amazonaws.com"):
                continue  # an AWS API named in configuration: the service endpoints above decide
            elif _in_private_domain(g, name):
                continue  # the zone's own name: the cross-cloud DNS rule decides (see the module doc)
            else:
                problems, dest = [(s, aws.internet(s, name)) for s in subnets], name
            found += _per_subnet(svc.urn, f"ECS service {_name(svc.urn)}", dest, problems)
    return found


def _gcp_workloads(g: Graph, gcp: Gcp) -> list[Finding]:
    found: list[Finding] = []
    for cluster in g.of(GKE_CLUSTER):
        networks = g.linked(cluster, "network", GCP_NETWORK)
        subnets = g.linked(cluster, "subnetwork", GCP_SUBNET)
        if not networks:
            continue
        region = str(cluster.props.get("location") or "")
        region = region if region.count("-") == 1 else region.rsplit("-", 1)[0]
        for host in (f"{region}-docker.pkg.dev", "gcr.io", "storage.googleapis.com"):
            problem = gcp.google(subnets[0] if subnets else None, networks[0].urn, region, host)
            if problem:
                found.append(Finding(cluster.urn, f"GKE cluster {_name(cluster.urn)}", host, problem))
    for run in g.of(CLOUD_RUN):
        vpc = _get(run.props, "template.vpcAccess") or {}
        if vpc.get("egress") != "ALL_TRAFFIC":
            continue
        networks = g.linked(run, "template", GCP_NETWORK)
        if not networks:
            continue
        env = [_get(e, "value") for c in _list(_get(run.props, "template.containers")) for e in _list(c.get("envs"))]
        region = str(run.props.get("location") or "")
        for host in _env_hosts(env):
            if _in_private_domain(g, host):
                continue
            if host.endswith(".googleapis.com"):
                problem = gcp.google(None, networks[0].urn, region, host)
            else:
                problem = gcp.internet(networks[0].urn, region, host)
            if problem:
                found.append(
                    Finding(run.urn, f"Cloud Run service {_name(run.urn)} (all egress through the VPC)", host, problem)
                )
    return found


# --- Azure ---------------------------------------------------------------------------------------


def _azure_firewall_at(g: Graph, address: str) -> Node | None:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    for fw in g.of(AZ_FIREWALL):
        for subnet in g.linked(fw, "ipConfigurations", AZ_SUBNET):
            try:
                if ip in ipaddress.ip_network(str(subnet.props.get("addressPrefix"))):
                    return fw
            except ValueError:
                continue
    return None


def _azure_firewall_allows(g: Graph, firewall: Node, host: str, tag: str) -> bool:
    policies = set(firewall.deps.get("firewallPolicy", []))
    for group in g.of(AZ_RULES):
        if not policies & set(group.deps.get("firewallPolicyName", [])):
            continue
        for collection in _list(group.props.get("ruleCollections")):
            if _get(collection, "action.type") not in (None, "Allow"):
                continue
            for rule in _list(_get(collection, "rules")):
                if tag in _list(_get(rule, "fqdnTags")) or host_allowed(host, _list(_get(rule, "targetFqdns"))):
                    return True
    return False


def _azure_workloads(g: Graph) -> list[Finding]:
    found: list[Finding] = []
    for cluster in g.of(AKS):
        outbound = _get(cluster.props, "networkProfile.outboundType") or "loadBalancer"
        subnets = g.linked(cluster, "agentPoolProfiles", AZ_SUBNET)
        workload = f"AKS cluster {_name(cluster.urn)}"
        for subnet in subnets:
            problem = None
            if outbound == "userAssignedNATGateway" and not subnet.props.get("natGateway"):
                problem = f"outbound type {outbound} but subnet {_name(subnet.urn)} has no NAT gateway"
            elif outbound == "userDefinedRouting":
                tables = g.linked(subnet, "routeTable", AZ_RT)
                routes = [
                    r for t in tables for r in _list(t.props.get("routes")) if _get(r, "addressPrefix") == "0.0.0.0/0"
                ]
                if not routes:
                    problem = f"outbound type {outbound} but subnet {_name(subnet.urn)} has no 0.0.0.0/0 route"
                elif _get(routes[0], "nextHopType") == "VirtualAppliance":
                    fw = _azure_firewall_at(g, str(_get(routes[0], "nextHopIpAddress")))
                    if fw is None:
                        problem = (
                            f"0.0.0.0/0 goes to {_get(routes[0], 'nextHopIpAddress')}, which lies in no "
                            "Azure Firewall's subnet of this graph"
                        )
                    elif not _azure_firewall_allows(g, fw, "mcr.microsoft.com", "AzureKubernetesService"):
                        problem = (
                            f"Azure Firewall {_name(fw.urn)} allows neither the AzureKubernetesService FQDN "
                            "tag nor mcr.microsoft.com"
                        )
            if problem:
                found.append(
                    Finding(
                        cluster.urn,
                        workload,
                        "AKS dependencies (mcr.microsoft.com, management.azure.com, ...)",
                        problem,
                    )
                )
                break
    return found


# --- cross-cloud names -----------------------------------------------------------------------------


def _private_domains(g: Graph) -> dict[str, list[tuple[str, str]]]:
    """Per cloud, (domain, urn) of the private zones that are its own (not API or Private Link zones)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for z in g.of(R53_ZONE):
        if _list(z.props.get("vpcs")):
            out.setdefault("aws", []).append((str(z.props.get("name") or "").rstrip(".").lower(), z.urn))
    for z in g.of(GCP_ZONE):
        domain = str(z.props.get("dnsName") or "").rstrip(".").lower()
        if (
            z.props.get("visibility") == "private"
            and not z.props.get("forwardingConfig")
            and not z.props.get("peeringConfig")
            and domain not in ("googleapis.com", "pkg.dev", "gcr.io")
        ):
            out.setdefault("gcp", []).append((domain, z.urn))
    for z in g.of(AZ_ZONE):
        domain = str(z.props.get("privateZoneName") or "").rstrip(".").lower()
        if domain and not domain.startswith("privatelink."):
            out.setdefault("azure", []).append((domain, z.urn))
    return out


def _in_private_domain(g: Graph, host: str) -> bool:
    """Whether `host` lies under a private zone of the graph's own (not an API or Private Link zone)."""
    domains = g.memo("private-domains", lambda: [d for zones in _private_domains(g).values() for d, _ in zones])
    return any(host == d or host.endswith("." + d) for d in domains)


def _forwarders(g: Graph) -> dict[str, dict[str, list[str]]]:
    """Per cloud, forwarded domain -> target addresses."""
    out: dict[str, dict[str, list[str]]] = {"aws": {}, "gcp": {}, "azure": {}}
    for r in g.of(R53_RULE):
        if r.props.get("ruleType") == "FORWARD":
            out["aws"][str(r.props.get("domainName") or "").rstrip(".").lower()] = [
                str(t.get("ip")) for t in _list(r.props.get("targetIps")) if isinstance(t, Mapping)
            ]
    for z in g.of(GCP_ZONE):
        config = z.props.get("forwardingConfig")
        if config:
            out["gcp"][str(z.props.get("dnsName") or "").rstrip(".").lower()] = [
                str(t.get("ipv4Address")) for t in _list(config.get("targetNameServers")) if isinstance(t, Mapping)
            ]
    for r in g.of(AZ_FORWARDING_RULE):
        out["azure"][str(r.props.get("domainName") or "").rstrip(".").lower()] = [
            str(t.get("ipAddress")) for t in _list(r.props.get("targetDnsServers")) if isinstance(t, Mapping)
        ]
    return out


def _inbound(g: Graph) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {"aws": set(), "gcp": set(), "azure": set()}
    for e in g.of(R53_ENDPOINT):
        if e.props.get("direction") == "INBOUND":
            out["aws"] |= {str(a.get("ip")) for a in _list(e.props.get("ipAddresses")) if isinstance(a, Mapping)}
    if any(p.props.get("enableInboundForwarding") is True for p in g.of("gcp:dns/policy:Policy")):
        out["gcp"] |= {
            str(a.props.get("address")) for a in g.of(GCP_ADDRESS) if a.props.get("purpose") == "DNS_RESOLVER"
        }
    for e in g.of(AZ_INBOUND):
        out["azure"] |= {
            str(c.get("privateIpAddress")) for c in _list(e.props.get("ipConfigurations")) if isinstance(c, Mapping)
        }
    return out


def _names(g: Graph) -> list[Finding]:
    domains, forwarders, inbound = _private_domains(g), _forwarders(g), _inbound(g)
    found: list[Finding] = []
    for owner, zones in sorted(domains.items()):
        for asker in sorted(domains):
            if asker == owner:
                continue
            for domain, urn in zones:
                targets = forwarders[asker].get(domain)
                if targets is None:
                    found.append(
                        Finding(
                            urn,
                            f"{asker.upper()} workloads",
                            f"names in {domain} ({owner.upper()})",
                            f"{asker.upper()} has no DNS forwarding rule or zone for {domain}",
                        )
                    )
                elif not set(targets) & inbound[owner]:
                    found.append(
                        Finding(
                            urn,
                            f"{asker.upper()} workloads",
                            f"names in {domain} ({owner.upper()})",
                            f"{asker.upper()} forwards {domain} to {', '.join(targets) or 'nothing'}, "
                            f"which is no inbound resolver address of {owner.upper()}",
                        )
                    )
    return found


def analyse(nodes: Iterable[Node]) -> list[Finding]:
    """Every missing path of the graph, in a stable order."""
    from .reachability_links import analyse_links  # noqa: PLC0415 (it builds on this module)

    g = Graph(nodes)
    found = _aws_workloads(g, Aws(g)) + _gcp_workloads(g, Gcp(g)) + _azure_workloads(g) + _names(g)
    found += analyse_links(g)
    from . import reachability_registries  # noqa: PLC0415 - it builds on this module's graph

    found += reachability_registries.analyse(g)
    from . import reachability_ai, reachability_apps  # noqa: PLC0415 - they build on this module

    found += reachability_ai.analyse(g) + reachability_apps.analyse(g)
    return sorted(dict.fromkeys(found), key=lambda f: (f.urn, f.destination, f.workload))


def nodes_from_graph(graph: Mapping[str, Any]) -> list[Node]:
    """Nodes from a `pulumi stack export`-shaped graph (this project's graph.json): inputs as properties,
    an AWS resource's region from its own input or its provider's."""
    resources = list(_get(graph, "deployment.resources") or [])
    providers = {r["urn"]: r for r in resources if str(r.get("type", "")).startswith("pulumi:providers:")}
    nodes = []
    for r in resources:
        if not r.get("custom", True) or str(r.get("type", "")).startswith("pulumi:"):
            continue
        props = dict(r.get("inputs") or r.get("outputs") or {})
        region = None
        if str(r["type"]).startswith("aws:"):
            provider = providers.get(str(r.get("provider") or "").rsplit("::", 1)[0])
            region = props.get("region") or (provider or {}).get("inputs", {}).get("region")
        deps = {k: list(v) for k, v in (r.get("propertyDependencies") or {}).items()}
        nodes.append(Node(r["urn"], r["type"], props, deps, region))
    return nodes
