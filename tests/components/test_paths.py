"""Inventory of the network-paths stage: private service access always, egress as `egress.mode` asks.

The example (`firewall`) is planned once per session; a `nat` and a `none` variant once per module.
Asserted: what each mode creates per cloud and region, that every private route table (AWS), the
VPC (GCP) and the private subnets (Azure) get their default route to the right hop, that the
firewalls carry exactly the spec's names and log, and that the private endpoints and zones exist.
"""

from __future__ import annotations

import ipaddress
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from lz.components.paths.aws import INTERFACE_SERVICES, firewall_targets
from lz.components.paths.azure import CONTAINER_APPS_FQDNS
from lz.core.ai_services import BEDROCK_ENDPOINT_SERVICES
from tests.helpers import Planned, example_spec, foundation_config, make_project, plan

SPEC = example_spec()
ALLOW = SPEC["egress"]["allow"]
AWS_REGIONS = SPEC["clouds"]["aws"]["regions"]
GCP_REGIONS = SPEC["clouds"]["gcp"]["regions"]
AZURE_REGIONS = SPEC["clouds"]["azure"]["regions"]
ZONES = 3  # every example AWS region spans three AZs


def _variant(tmp: Path, mode: str) -> Planned:
    spec = example_spec()
    spec["egress"] = {"mode": mode}
    if mode == "none":  # no way out: the Azure gateways (Container Apps) could not start
        spec["telemetry"]["enabled"] = False
    project = make_project(tmp / "project", {"foundation-dev": foundation_config(spec)})
    return plan("foundation-dev", project=project, out=tmp / "out")


@pytest.fixture(scope="module")
def nat(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    return _variant(tmp_path_factory.mktemp("paths-nat"), "nat")


@pytest.fixture(scope="module")
def private_only(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    return _variant(tmp_path_factory.mktemp("paths-none"), "none")


def in_stage(p: Planned, type_: str, fragment: str = "") -> list[dict[str, Any]]:
    return [r for r in p.by_type(type_) if "-paths-" in r["urn"] and fragment in r["urn"].rsplit("::", 1)[-1]]


def name(r: dict[str, Any]) -> str:
    return str(r["urn"].rsplit("::", 1)[-1])


# --- AWS ---------------------------------------------------------------------------------------


def test_aws_interface_endpoints_in_every_region_whatever_the_mode(
    foundation_dev: Planned, private_only: Planned
) -> None:
    for planned in (foundation_dev, private_only):
        endpoints = in_stage(planned, "aws:ec2/vpcEndpoint:VpcEndpoint")
        # The example enables Bedrock (ai_services), whose endpoints join the workloads' own.
        wanted = (*INTERFACE_SERVICES, *BEDROCK_ENDPOINT_SERVICES)
        assert len(endpoints) == len(wanted) * len(AWS_REGIONS)
        for region in AWS_REGIONS:
            services = {e["inputs"]["serviceName"] for e in endpoints if f"-{region}-" in name(e)}
            assert services == {f"com.amazonaws.{region}.{s}" for s in wanted}
        for e in endpoints:
            assert e["inputs"]["vpcEndpointType"] == "Interface"
            assert e["inputs"]["privateDnsEnabled"] is True
            assert len(e["inputs"]["subnetIds"]) == ZONES
        for sg in in_stage(planned, "aws:ec2/securityGroup:SecurityGroup", "endpoints"):
            [rule] = sg["inputs"]["ingress"]
            assert (rule["fromPort"], rule["toPort"], rule["protocol"]) == (443, 443, "tcp")
            assert all(ipaddress.ip_network(c).is_private for c in rule["cidrBlocks"])


def test_aws_firewall_mode(foundation_dev: Planned) -> None:
    counts = Counter(r["type"] for r in foundation_dev.resources if "-paths-aws-egress-" in r["urn"] and r["custom"])
    n = len(AWS_REGIONS)
    assert counts["aws:networkfirewall/firewall:Firewall"] == n
    assert counts["aws:ec2/natGateway:NatGateway"] == n * ZONES
    assert counts["aws:ec2/internetGateway:InternetGateway"] == n
    assert counts["aws:networkfirewall/loggingConfiguration:LoggingConfiguration"] == n
    [group] = in_stage(foundation_dev, "aws:networkfirewall/ruleGroup:RuleGroup", AWS_REGIONS[0])
    source = group["inputs"]["ruleGroup"]["rulesSource"]["rulesSourceList"]
    assert source["generatedRulesType"] == "ALLOWLIST"
    assert source["targets"] == sorted(ALLOW)
    [policy] = in_stage(foundation_dev, "aws:networkfirewall/firewallPolicy:FirewallPolicy", AWS_REGIONS[0])
    assert policy["inputs"]["firewallPolicy"]["statefulDefaultActions"] == [
        "aws:drop_established",
        "aws:alert_established",
    ]
    [logging] = in_stage(
        foundation_dev, "aws:networkfirewall/loggingConfiguration:LoggingConfiguration", AWS_REGIONS[0]
    )
    configs = logging["inputs"]["loggingConfiguration"]["logDestinationConfigs"]
    assert {c["logType"] for c in configs} == {"ALERT", "FLOW"}
    # Both go to the account's audit bucket, under the prefix its policy admits the delivery service to.
    [audit] = [b for b in foundation_dev.by_type("aws:s3/bucket:Bucket") if "-aws-audit" in name(b)]
    for c in configs:
        assert c["logDestinationType"] == "S3"
        assert c["logDestination"] == {"bucketName": audit["inputs"]["bucket"], "prefix": "network-firewall"}
    [firewall] = in_stage(foundation_dev, "aws:networkfirewall/firewall:Firewall", AWS_REGIONS[0])
    assert len(firewall["inputs"]["subnetMappings"]) == ZONES
    region = AWS_REGIONS[0]
    [vpc] = in_stage(foundation_dev, "aws:ec2/vpc:Vpc", f"egress-{region}-")
    # The only log group of the egress stage is the egress VPC's flow logs (all traffic, encrypted).
    [group] = in_stage(foundation_dev, "aws:cloudwatch/logGroup:LogGroup", f"egress-{region}-")
    assert group["inputs"]["kmsKeyId"] and group["inputs"]["retentionInDays"] == 365
    [flow] = in_stage(foundation_dev, "aws:ec2/flowLog:FlowLog", f"egress-{region}-")
    assert flow["inputs"]["vpcId"] == vpc["id"] and flow["inputs"]["trafficType"] == "ALL"
    assert firewall["inputs"]["vpcId"] == vpc["id"]  # the firewall lives in the egress VPC
    [attachment] = in_stage(foundation_dev, "aws:ec2transitgateway/vpcAttachment:VpcAttachment", f"egress-{region}-")
    assert attachment["inputs"]["applianceModeSupport"] == "enable"
    # Out: attachment subnets -> the AZ's firewall endpoint -> NAT gateway -> internet gateway.
    nats = {g["id"] for g in in_stage(foundation_dev, "aws:ec2/natGateway:NatGateway", f"egress-{region}-")}
    for az in ("a", "b", "c"):
        [out] = in_stage(foundation_dev, "aws:ec2/route:Route", f"egress-{region}-attach-{az}-default")
        endpoint = out["inputs"]["vpcEndpointId"]
        assert endpoint.startswith("vpce-")
        [onward] = in_stage(foundation_dev, "aws:ec2/route:Route", f"egress-{region}-firewall-{az}-default")
        assert onward["inputs"]["natGatewayId"] in nats
        # Back: the NAT gateway's subnet returns every private range through the same endpoint.
        back = in_stage(foundation_dev, "aws:ec2/route:Route", f"egress-{region}-public-{az}-back-")
        assert {b["inputs"]["destinationCidrBlock"] for b in back} >= {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"}
        assert {b["inputs"]["vpcEndpointId"] for b in back} == {endpoint}
    _workloads_default_to_the_transit_gateway(foundation_dev, region)


def _workloads_default_to_the_transit_gateway(planned: Planned, region: str) -> None:
    """The workload VPC's private route tables send 0.0.0.0/0 to the transit gateway, whose route table
    for the workload attachment sends it to the egress VPC's attachment; the workload VPC has no
    internet or NAT gateway."""
    private_routes = in_stage(planned, "aws:ec2/route:Route", f"{region}-private-")
    tables = {t["id"] for t in planned.by_type("aws:ec2/routeTable:RouteTable") if f"net-{region}-rt-" in name(t)}
    assert {r["inputs"]["routeTableId"] for r in private_routes} == tables and len(tables) == ZONES
    [tgw] = [t for t in planned.by_type("aws:ec2transitgateway/transitGateway:TransitGateway") if region in name(t)]
    assert {(r["inputs"]["destinationCidrBlock"], r["inputs"]["transitGatewayId"]) for r in private_routes} == {
        ("0.0.0.0/0", tgw["id"])
    }
    attachments = planned.by_type("aws:ec2transitgateway/vpcAttachment:VpcAttachment")
    [workload] = [a for a in attachments if f"net-{region}-tgw-attachment" in name(a)]
    [egress] = [a for a in attachments if f"egress-{region}-" in name(a)]
    assert workload["inputs"]["transitGatewayDefaultRouteTableAssociation"] is False
    assert egress["inputs"]["transitGatewayDefaultRouteTableAssociation"] is True
    assert egress["inputs"]["transitGatewayDefaultRouteTablePropagation"] is False
    [association] = in_stage(planned, "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation", region)
    assert association["inputs"]["transitGatewayAttachmentId"] == workload["id"]
    [default] = in_stage(planned, "aws:ec2transitgateway/route:Route", f"egress-{region}-spokes-default")
    assert default["inputs"]["destinationCidrBlock"] == "0.0.0.0/0"
    assert default["inputs"]["transitGatewayAttachmentId"] == egress["id"]
    assert default["inputs"]["transitGatewayRouteTableId"] == association["inputs"]["transitGatewayRouteTableId"]
    [workload_vpc] = [v for v in planned.by_type("aws:ec2/vpc:Vpc") if f"net-{region}-vpc" in name(v)]
    for gateway in planned.by_type("aws:ec2/internetGateway:InternetGateway"):
        assert gateway["inputs"]["vpcId"] != workload_vpc["id"]
    egress_vpc = ipaddress.ip_network(
        next(v for v in in_stage(planned, "aws:ec2/vpc:Vpc", f"egress-{region}-"))["inputs"]["cidrBlock"]
    )
    for other in planned.by_type("aws:ec2/vpc:Vpc"):
        if other["inputs"]["cidrBlock"] != str(egress_vpc):
            assert not egress_vpc.overlaps(ipaddress.ip_network(other["inputs"]["cidrBlock"]))


def test_aws_nat_mode_routes_to_nat_gateways(nat: Planned) -> None:
    assert in_stage(nat, "aws:networkfirewall/firewall:Firewall") == []
    for region in AWS_REGIONS:
        gateways = {g["id"] for g in in_stage(nat, "aws:ec2/natGateway:NatGateway", f"egress-{region}-")}
        assert len(gateways) == ZONES
        out = [r for r in in_stage(nat, "aws:ec2/route:Route", f"egress-{region}-attach-") if "-default" in name(r)]
        assert {r["inputs"]["natGatewayId"] for r in out} == gateways
        [attachment] = in_stage(nat, "aws:ec2transitgateway/vpcAttachment:VpcAttachment", f"egress-{region}-")
        assert attachment["inputs"]["applianceModeSupport"] == "disable"
        _workloads_default_to_the_transit_gateway(nat, region)
    # The project's own analysis finds the path: transit gateway -> egress VPC -> NAT -> internet.
    from lz.policies import reachability  # noqa: PLC0415

    nodes = reachability.nodes_from_graph(nat.graph)
    assert not [f for f in reachability.analyse(nodes) if f.workload.startswith(("ECS service", "EKS node group"))]
    without_nat = [n for n in nodes if n.type != reachability.AWS_NAT]
    hits = [f for f in reachability.analyse(without_nat) if f.workload.startswith("ECS service")]
    assert hits and "sends 0.0.0.0/0 to attachment" in hits[0].missing


def test_aws_egress_vpcs_come_from_the_planner() -> None:
    from lz.core import paths_plan  # noqa: PLC0415

    first, second = paths_plan.aws_egress_plan(0, 3), paths_plan.aws_egress_plan(1, 2)
    assert (str(first.vpc), str(second.vpc)) == ("100.64.0.0/24", "100.64.1.0/24")
    assert [str(n) for n in first.attachment + first.firewall + first.public] == [
        "100.64.0.0/28", "100.64.0.16/28", "100.64.0.32/28",
        "100.64.0.64/28", "100.64.0.80/28", "100.64.0.96/28",
        "100.64.0.128/28", "100.64.0.144/28", "100.64.0.160/28",
    ]  # fmt: skip
    assert len(second.public) == 2 and all(n.subnet_of(second.vpc) for n in second.public)
    with pytest.raises(ValueError):
        paths_plan.aws_egress_plan(0, 4)


def test_aws_none_has_no_internet_path(private_only: Planned) -> None:
    for type_ in (
        "aws:ec2/internetGateway:InternetGateway",
        "aws:ec2/natGateway:NatGateway",
        "aws:networkfirewall/firewall:Firewall",
        "aws:ec2/eip:Eip",
    ):
        assert private_only.by_type(type_) == [], type_


def test_firewall_targets_use_the_leading_dot_form() -> None:
    assert firewall_targets(["*.huggingface.co", "pypi.org"]) == [".huggingface.co", "pypi.org"]


# --- GCP ---------------------------------------------------------------------------------------


def test_gcp_registries_resolve_privately(private_only: Planned) -> None:
    zones = {z["inputs"]["dnsName"] for z in in_stage(private_only, "gcp:dns/managedZone:ManagedZone", "registries")}
    assert zones == {"pkg.dev.", "gcr.io."}
    records = {
        (r["inputs"]["name"], r["inputs"]["type"]): r["inputs"]["rrdatas"]
        for r in in_stage(private_only, "gcp:dns/recordSet:RecordSet", "registries")
    }
    assert records[("pkg.dev.", "A")] == ["199.36.153.8", "199.36.153.9", "199.36.153.10", "199.36.153.11"]
    assert records[("*.gcr.io.", "CNAME")] == ["gcr.io."]
    assert in_stage(private_only, "gcp:compute/routerNat:RouterNat") == []


def test_gcp_firewall_mode(foundation_dev: Planned) -> None:
    nats = in_stage(foundation_dev, "gcp:compute/routerNat:RouterNat")
    assert sorted(n["inputs"]["region"] for n in nats) == sorted(GCP_REGIONS)
    assert all(n["inputs"]["logConfig"] == {"enable": True, "filter": "ALL"} for n in nats)
    [route] = in_stage(foundation_dev, "gcp:compute/route:Route")
    assert (route["inputs"]["destRange"], route["inputs"]["nextHopGateway"]) == (
        "0.0.0.0/0",
        "default-internet-gateway",
    )
    rules = {
        r["inputs"]["ruleName"]: r["inputs"]
        for r in in_stage(foundation_dev, "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule")
    }
    assert set(rules) == {"allow-private", "allow-fqdns", "deny-internet"}
    assert rules["allow-fqdns"]["match"]["destFqdns"] == sorted(ALLOW)
    assert rules["deny-internet"]["action"] == "deny"
    assert rules["deny-internet"]["priority"] > rules["allow-fqdns"]["priority"] > rules["allow-private"]["priority"]
    assert all(r["enableLogging"] is True and r["direction"] == "EGRESS" for r in rules.values())
    [association] = in_stage(
        foundation_dev, "gcp:compute/networkFirewallPolicyAssociation:NetworkFirewallPolicyAssociation"
    )
    [network] = foundation_dev.by_type("gcp:compute/network:Network")
    assert association["inputs"]["attachmentTarget"] == network["id"]


def test_gcp_nat_mode_has_no_policy(nat: Planned) -> None:
    assert len(in_stage(nat, "gcp:compute/routerNat:RouterNat")) == len(GCP_REGIONS)
    assert in_stage(nat, "gcp:compute/networkFirewallPolicy:NetworkFirewallPolicy") == []


# --- Azure -------------------------------------------------------------------------------------


def test_azure_firewall_per_region(foundation_dev: Planned) -> None:
    firewalls = in_stage(foundation_dev, "azure-native:network:AzureFirewall")
    assert sorted(f["inputs"]["location"] for f in firewalls) == sorted(AZURE_REGIONS)
    for region in AZURE_REGIONS:
        [fw] = in_stage(foundation_dev, "azure-native:network:AzureFirewall", region)
        subnet = foundation_dev.named("azure-native:network:Subnet", f"azure-network-{region}-snet-firewall")
        assert fw["inputs"]["ipConfigurations"][0]["subnet"]["id"] == subnet["id"]
        [group] = in_stage(foundation_dev, "azure-native:network:FirewallPolicyRuleCollectionGroup", region)
        rules = {r["name"]: r for c in group["inputs"]["ruleCollections"] for r in c["rules"]}
        assert rules["egress-allow"]["targetFqdns"] == sorted(ALLOW)
        assert rules["aks-dependencies"]["fqdnTags"] == ["AzureKubernetesService"]
        [diag] = in_stage(foundation_dev, "azure-native:monitor:DiagnosticSetting", region)
        assert diag["inputs"]["resourceUri"] == fw["id"]
        store = foundation_dev.named("azure-native:storage:StorageAccount", f"azure-network-{region}-flow-logs-storage")
        assert diag["inputs"]["storageAccountId"] == store["id"]


def test_azure_nat_mode(nat: Planned) -> None:
    assert in_stage(nat, "azure-native:network:AzureFirewall") == []
    for region in AZURE_REGIONS:
        gateway = nat.named("azure-native:network:NatGateway", f"azure-network-{region}-nat")
        for key in ("workload", "data"):
            subnet = nat.named("azure-native:network:Subnet", f"azure-network-{region}-snet-{key}")
            assert subnet["inputs"]["natGateway"] == {"id": gateway["id"]}


def test_azure_private_link(private_only: Planned) -> None:
    zones = {
        z["inputs"]["privateZoneName"]: z
        for z in in_stage(private_only, "azure-native:privatedns:PrivateZone", "privatelink")
    }
    assert set(zones) == {"privatelink.blob.core.windows.net", "privatelink.vaultcore.azure.net"}
    links = in_stage(private_only, "azure-native:privatedns:VirtualNetworkLink", "privatelink")
    vnets = {v["id"] for v in private_only.by_type("azure-native:network:VirtualNetwork")}
    for zone in zones:
        linked = {k["inputs"]["virtualNetwork"]["id"] for k in links if k["inputs"]["privateZoneName"] == zone}
        assert linked == vnets, zone
    endpoints = in_stage(private_only, "azure-native:network:PrivateEndpoint")
    targets = {e["inputs"]["privateLinkServiceConnections"][0]["privateLinkServiceId"] for e in endpoints}
    vaults = {v["id"] for v in private_only.by_type("azure-native:keyvault:Vault")}
    stores = {s["id"] for s in private_only.by_type("azure-native:storage:StorageAccount")}
    assert vaults <= targets and stores <= targets
    assert len(in_stage(private_only, "azure-native:network:PrivateDnsZoneGroup")) == len(endpoints)


def test_paths_outputs(foundation_dev: Planned) -> None:
    out = foundation_dev.resources[0]["outputs"]["foundation"]["paths"]
    assert out["egress"] == {"mode": "firewall", "allow": sorted(ALLOW)}  # the OTLP host is listed already
    assert set(out["clouds"]) == {"aws", "gcp", "azure"}
    assert set(out["clouds"]["azure"]) == set(AZURE_REGIONS)


# --- cross-cloud private DNS -------------------------------------------------------------------


def test_each_cloud_forwards_the_others_to_their_fixed_inbound_addresses(foundation_dev: Planned) -> None:
    out = foundation_dev.resources[0]["outputs"]["foundation"]["paths"]["dns"]
    assert {c: v["domain"] for c, v in out.items()} == {
        "aws": "aws.dev.acme.internal",
        "gcp": "gcp.dev.acme.internal",
        "azure": "azure.dev.acme.internal",
    }
    inbound = {c: v["inbound"] for c, v in out.items()}
    # AWS: inbound endpoint at those addresses, forwarding rules to the other two.
    [endpoint] = [
        e
        for e in in_stage(foundation_dev, "aws:route53/resolverEndpoint:ResolverEndpoint")
        if e["inputs"]["direction"] == "INBOUND"
    ]
    assert sorted(a["ip"] for a in endpoint["inputs"]["ipAddresses"]) == sorted(inbound["aws"])
    rules = {
        r["inputs"]["domainName"]: [t["ip"] for t in r["inputs"]["targetIps"]]
        for r in in_stage(foundation_dev, "aws:route53/resolverRule:ResolverRule")
    }
    assert rules == {"gcp.dev.acme.internal": inbound["gcp"], "azure.dev.acme.internal": inbound["azure"]}
    # GCP: the reserved inbound address, the inbound policy, forwarding zones.
    [address] = in_stage(foundation_dev, "gcp:compute/address:Address", "inbound")
    assert (address["inputs"]["address"], address["inputs"]["purpose"]) == (inbound["gcp"][0], "DNS_RESOLVER")
    [policy] = in_stage(foundation_dev, "gcp:dns/policy:Policy")
    assert policy["inputs"]["enableInboundForwarding"] is True
    forwards = {
        z["inputs"]["dnsName"]: [t["ipv4Address"] for t in z["inputs"]["forwardingConfig"]["targetNameServers"]]
        for z in in_stage(foundation_dev, "gcp:dns/managedZone:ManagedZone", "forward")
    }
    assert forwards == {"aws.dev.acme.internal.": inbound["aws"], "azure.dev.acme.internal.": inbound["azure"]}
    # Azure: static inbound address in its delegated subnet; ruleset linked to every VNet.
    [azure_in] = in_stage(foundation_dev, "azure-native:dnsresolver:InboundEndpoint")
    config = azure_in["inputs"]["ipConfigurations"][0]
    assert (config["privateIpAddress"], config["privateIpAllocationMethod"]) == (inbound["azure"][0], "Static")
    subnet = foundation_dev.named("azure-native:network:Subnet", f"azure-network-{AZURE_REGIONS[0]}-snet-dns-inbound")
    assert ipaddress.ip_address(inbound["azure"][0]) in ipaddress.ip_network(subnet["inputs"]["addressPrefix"])
    assert subnet["inputs"]["delegations"][0]["serviceName"] == "Microsoft.Network/dnsResolvers"
    targets = {
        r["inputs"]["domainName"]: [t["ipAddress"] for t in r["inputs"]["targetDnsServers"]]
        for r in in_stage(foundation_dev, "azure-native:dnsresolver:ForwardingRule")
    }
    assert targets == {"aws.dev.acme.internal.": inbound["aws"], "gcp.dev.acme.internal.": inbound["gcp"]}
    links = in_stage(foundation_dev, "azure-native:dnsresolver:PrivateResolverVirtualNetworkLink")
    assert len(links) == len(AZURE_REGIONS)


def test_aws_inbound_addresses_lie_in_their_subnets(foundation_dev: Planned) -> None:
    subnets = {
        name(s).rsplit("-", 1)[-1]: ipaddress.ip_network(s["inputs"]["cidrBlock"])
        for s in in_stage(foundation_dev, "aws:ec2/subnet:Subnet", "-aws-dns-")
    }
    assert len(subnets) == ZONES
    [endpoint] = [
        e
        for e in in_stage(foundation_dev, "aws:route53/resolverEndpoint:ResolverEndpoint")
        if e["inputs"]["direction"] == "INBOUND"
    ]
    ips = [ipaddress.ip_address(a["ip"]) for a in endpoint["inputs"]["ipAddresses"]]
    assert all(any(ip in net for net in subnets.values()) for ip in ips)


# --- connected regions -------------------------------------------------------------------------


def test_aws_regions_join_through_transit_gateway_peering(foundation_dev: Planned) -> None:
    home, other = AWS_REGIONS
    [peering] = in_stage(foundation_dev, "aws:ec2transitgateway/peeringAttachment:PeeringAttachment")
    tgws = {
        name(t).split("-net-")[1].rsplit("-tgw", 1)[0]: t["id"]
        for t in foundation_dev.by_type("aws:ec2transitgateway/transitGateway:TransitGateway")
    }
    assert peering["inputs"]["transitGatewayId"] == tgws[home]
    assert peering["inputs"]["peerTransitGatewayId"] == tgws[other]
    assert peering["inputs"]["peerRegion"] == other
    [accepter] = in_stage(foundation_dev, "aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter")
    assert accepter["inputs"]["transitGatewayAttachmentId"] == peering["id"]
    tgw_routes = {
        (name(r).split("-aws-")[1].split("-to-")[0], r["inputs"]["destinationCidrBlock"])
        for r in in_stage(foundation_dev, "aws:ec2transitgateway/route:Route", "-regions-")
    }
    # Toward home, the RFC 1918 aggregate holding the home block and the other clouds' supernets.
    assert tgw_routes == {(home, "10.17.0.0/16"), (other, "10.0.0.0/8")}
    # The secondary region's VPC reaches the home block and the other clouds through its transit gateway.
    vpc_routes = list(in_stage(foundation_dev, "aws:ec2/route:Route", f"regions-aws-{other}-to-"))
    assert {r["inputs"]["destinationCidrBlock"] for r in vpc_routes} == {"10.0.0.0/8"}
    assert {r["inputs"]["transitGatewayId"] for r in vpc_routes} == {tgws[other]}
    assert len(vpc_routes) == ZONES


def test_azure_regions_peer_with_the_home_hub_and_use_its_gateway(foundation_dev: Planned) -> None:
    home, other = AZURE_REGIONS
    peerings = {
        name(p).split("-azure-")[1]: p["inputs"]
        for p in in_stage(foundation_dev, "azure-native:network:VirtualNetworkPeering")
    }
    vnets = {
        name(v).split("azure-network-")[1].rsplit("-vnet", 1)[0]: v["id"]
        for v in foundation_dev.by_type("azure-native:network:VirtualNetwork")
    }
    out_ = peerings[f"{home}-to-{other}"]
    back = peerings[f"{other}-to-{home}"]
    assert out_["remoteVirtualNetwork"]["id"] == vnets[other] and back["remoteVirtualNetwork"]["id"] == vnets[home]
    assert out_["allowGatewayTransit"] is True and back["useRemoteGateways"] is True
    assert all(p["allowForwardedTraffic"] and p["allowVirtualNetworkAccess"] for p in (out_, back))
    # Ordered after the home VPN gateway, which ARM requires for useRemoteGateways.
    [gateway] = foundation_dev.by_type("azure-native:network:VirtualNetworkGateway")
    [peer] = in_stage(foundation_dev, "azure-native:network:VirtualNetworkPeering", f"{other}-to-{home}")
    assert gateway["urn"] in peer["dependencies"]


def test_cloud_dns_forwarders_are_routed_back(foundation_dev: Planned) -> None:
    """Cloud DNS queries come from 35.199.192.0/19: GCP advertises it, AWS routes it to the transit gateway."""
    peers = foundation_dev.by_type("gcp:compute/routerPeer:RouterPeer")
    assert peers and all("35.199.192.0/19" in [r["range"] for r in p["inputs"]["advertisedIpRanges"]] for p in peers)
    routes = in_stage(foundation_dev, "aws:ec2/route:Route", "-aws-dns-cloud-dns-")
    assert len(routes) == ZONES
    assert {r["inputs"]["destinationCidrBlock"] for r in routes} == {"35.199.192.0/19"}
    [sg] = in_stage(foundation_dev, "aws:ec2/securityGroup:SecurityGroup", "-aws-dns-")
    assert all("35.199.192.0/19" in rule["cidrBlocks"] for rule in sg["inputs"]["ingress"])


def test_one_private_services_range_for_every_wave(foundation_dev: Planned) -> None:
    [address] = in_stage(foundation_dev, "gcp:compute/globalAddress:GlobalAddress")
    assert (address["inputs"]["purpose"], address["inputs"]["address"], address["inputs"]["prefixLength"]) == (
        "VPC_PEERING",
        "10.32.240.0",
        20,
    )
    [connection] = in_stage(foundation_dev, "gcp:servicenetworking/connection:Connection")
    assert connection["inputs"]["reservedPeeringRanges"] == [address["inputs"]["name"]]
    out = foundation_dev.resources[0]["outputs"]["foundation"]["paths"]["gcp_private_services"]
    assert out["range"] == "10.32.240.0/20" and out["range_name"] == address["inputs"]["name"]


def test_azure_monitor_answers_queries_through_a_private_link_scope(foundation_dev: Planned) -> None:
    [scope] = in_stage(foundation_dev, "azure-native:monitor:PrivateLinkScope")
    assert scope["inputs"]["accessModeSettings"]["queryAccessMode"] == "PrivateOnly"
    scoped = {
        r["inputs"]["linkedResourceId"]
        for r in in_stage(foundation_dev, "azure-native:monitor:PrivateLinkScopedResource")
    }
    stores = ("azure-native:operationalinsights:Workspace", "azure-native:applicationinsights:Component")
    closed = {
        r["id"]
        for t in stores
        for r in foundation_dev.by_type(t)
        if r["inputs"].get("publicNetworkAccessForQuery") == "Disabled"
    }
    assert closed and scoped == closed  # every store closed to public queries is reachable privately
    [endpoint] = in_stage(foundation_dev, "azure-native:network:PrivateEndpoint", "monitor")
    connection = endpoint["inputs"]["privateLinkServiceConnections"][0]
    assert connection["privateLinkServiceId"] == scope["id"] and connection["groupIds"] == ["azuremonitor"]
    zones = {
        z["inputs"]["privateZoneName"]
        for z in in_stage(foundation_dev, "azure-native:privatedns:PrivateZone", "monitor")
    }
    assert "privatelink.monitor.azure.com" in zones and len(zones) == 4


def test_container_apps_subnet_follows_the_egress_mode(
    foundation_dev: Planned, nat: Planned, private_only: Planned
) -> None:
    for region in AZURE_REGIONS:
        subnet = f"azure-network-{region}-snet-apps"
        apps = foundation_dev.named("azure-native:network:Subnet", subnet)["inputs"]
        workload = foundation_dev.named("azure-native:network:Subnet", f"azure-network-{region}-snet-workload")
        assert apps["routeTable"] == workload["inputs"]["routeTable"]  # 0.0.0.0/0 to the firewall
        gateway = nat.named("azure-native:network:NatGateway", f"azure-network-{region}-nat")
        assert nat.named("azure-native:network:Subnet", subnet)["inputs"]["natGateway"] == {"id": gateway["id"]}
        closed = private_only.named("azure-native:network:Subnet", subnet)["inputs"]
        assert closed["defaultOutboundAccess"] is False
        assert "routeTable" not in closed and "natGateway" not in closed


def test_azure_firewall_allows_what_container_apps_needs(foundation_dev: Planned) -> None:
    for group in in_stage(foundation_dev, "azure-native:network:FirewallPolicyRuleCollectionGroup"):
        collections = {c["name"]: c for c in group["inputs"]["ruleCollections"]}
        [rule] = [r for r in collections["allow-egress"]["rules"] if r["name"] == "container-apps-dependencies"]
        assert (
            set(rule["targetFqdns"]) == set(CONTAINER_APPS_FQDNS) >= {"mcr.microsoft.com", "*.data.mcr.microsoft.com"}
        )
        [apps_cidr] = rule["sourceAddresses"]
        region = next(r for r in AZURE_REGIONS if f"-{r}-" in name(group))
        subnet = foundation_dev.named("azure-native:network:Subnet", f"azure-network-{region}-snet-apps")
        assert apps_cidr == subnet["inputs"]["addressPrefix"]
        [monitor] = collections["allow-azure-monitor"]["rules"]
        assert monitor["destinationAddresses"] == ["AzureMonitor"] and monitor["sourceAddresses"] == [apps_cidr]
        assert monitor["destinationPorts"] == ["443"]


def test_aws_firewall_logs_stay_in_a_log_group_without_an_account_trail(tmp_path: Path) -> None:
    """Inside an organization whose trail records the account there is no audit bucket of the
    account: the firewalls log to a KMS-encrypted log group of their region instead."""
    from tests.helpers import single_cloud_spec  # noqa: PLC0415
    from tests.test_organization import org_config  # noqa: PLC0415

    spec = single_cloud_spec("aws")
    spec["egress"] = {"mode": "firewall", "allow": list(ALLOW)}
    spec["account_trail"] = False
    spec["organization_stack"] = "organization"
    project = make_project(tmp_path, {"organization": org_config(), "foundation-dev": foundation_config(spec)})
    planned = plan("foundation-dev", project=project)
    assert planned.exit_code == 0, planned.mandatory()
    for logging in in_stage(planned, "aws:networkfirewall/loggingConfiguration:LoggingConfiguration"):
        region = name(logging).split("-aws-egress-")[1].rsplit("-firewall-logging", 1)[0]
        [group] = [
            g for g in in_stage(planned, "aws:cloudwatch/logGroup:LogGroup", "firewall-logs") if region in name(g)
        ]
        assert group["inputs"]["kmsKeyId"] and group["inputs"]["retentionInDays"] == 365
        for c in logging["inputs"]["loggingConfiguration"]["logDestinationConfigs"]:
            assert (c["logDestinationType"], c["logDestination"]) == (
                "CloudWatchLogs",
                {"logGroup": group["inputs"]["name"]},
            )
    assert in_stage(planned, "aws:networkfirewall/loggingConfiguration:LoggingConfiguration")
    # No delivery-service grant where no bucket keeps the logs.
    assert "delivery.logs" not in json.dumps(planned.by_type("aws:kms/key:Key"))
