"""The "Network paths" section of report.md: per cloud and region, the egress mode, the allowed names
and the private endpoints, read from the resource graph alone (so `lz check` shows it for any graph).

Egress per place: `firewall` where a firewall (AWS Network Firewall, a GCP network firewall policy
with an egress deny, Azure Firewall) is present, else `nat` where a NAT (NAT gateway, Cloud NAT,
Azure NAT gateway) is, else `none`. Allowed names come from the firewalls' domain lists. What it does
not do: judge whether a path works (that is `network-workload-reachability`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from lz.core.graph import Resource


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").replace("`", "'")


def _region(r: Resource, providers: dict[str, Resource]) -> str:
    inputs = r.inputs
    for key in ("region", "location"):
        value = inputs.get(key)
        if isinstance(value, str) and value and value.lower() != "global":
            return value
    provider = providers.get(r.provider_urn)
    if provider is not None:
        value = provider.inputs.get("region") or provider.inputs.get("location")
        if isinstance(value, str) and value:
            return value
    return "global"


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else ([] if value is None else [value])


def paths_markdown(resources: list[Resource]) -> str:
    providers = {r.urn: r for r in resources if r.type.startswith("pulumi:providers:")}
    by_urn = {r.urn: r for r in resources}
    modes: dict[tuple[str, str], set[str]] = defaultdict(set)
    allowed: dict[tuple[str, str], set[str]] = defaultdict(set)
    endpoints: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in resources:
        t, i = r.type, r.inputs
        place = _region(r, providers)
        if t == "aws:networkfirewall/firewall:Firewall":
            modes[("aws", place)].add("firewall")
        elif t == "aws:ec2/natGateway:NatGateway" and i.get("connectivityType") != "private":
            modes[("aws", place)].add("nat")
        elif t == "aws:networkfirewall/ruleGroup:RuleGroup":
            source = ((i.get("ruleGroup") or {}).get("rulesSource") or {}).get("rulesSourceList") or {}
            if source.get("generatedRulesType") == "ALLOWLIST":
                allowed[("aws", place)].update(str(x) for x in _list(source.get("targets")))
        elif t == "aws:ec2/vpcEndpoint:VpcEndpoint":
            service = str(i.get("serviceName") or "")
            endpoints[("aws", place)].add(
                service.rsplit(".", 1)[-1] if service.count(".") == 3 else service.split(f"{place}.", 1)[-1]
            )
        elif t == "aws:ecr/pullThroughCacheRule:PullThroughCacheRule":
            endpoints[("aws", place)].add(
                f"ECR cache {i.get('ecrRepositoryPrefix')}/ <- {i.get('upstreamRegistryUrl')}"
            )
        elif t == "gcp:artifactregistry/repository:Repository" and i.get("mode") == "REMOTE_REPOSITORY":
            endpoints[("gcp", place)].add(f"Artifact Registry remote {i.get('repositoryId')}")
        elif t == "gcp:compute/routerNat:RouterNat":
            modes[("gcp", place)].add("nat")
        elif t == "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule" and i.get("direction") == "EGRESS":
            match = i.get("match") or {}
            if i.get("action") == "deny" and "0.0.0.0/0" in _list(match.get("destIpRanges")):
                modes[("gcp", "global")].add("firewall")
            if i.get("action") == "allow":
                allowed[("gcp", "global")].update(str(x) for x in _list(match.get("destFqdns")))
        elif (
            t == "gcp:dns/managedZone:ManagedZone"
            and i.get("visibility") == "private"
            and not i.get("forwardingConfig")
        ):
            endpoints[("gcp", "global")].add(f"zone {str(i.get('dnsName') or '').rstrip('.')}")
        elif t == "azure-native:network:AzureFirewall":
            modes[("azure", place)].add("firewall")
        elif t == "azure-native:network:NatGateway":
            modes[("azure", place)].add("nat")
        elif t == "azure-native:network:FirewallPolicyRuleCollectionGroup":
            # A rule collection group has no location of its own: its firewall policy's is the place.
            for urn in r.property_dependencies.get("firewallPolicyName", []):
                if urn in by_urn:
                    place = _region(by_urn[urn], providers)
            for collection in _list(i.get("ruleCollections")):
                for rule in _list((collection or {}).get("rules")):
                    allowed[("azure", place)].update(str(x) for x in _list((rule or {}).get("targetFqdns")))
                    allowed[("azure", place)].update(f"tag {x}" for x in _list((rule or {}).get("fqdnTags")))
        elif t == "azure-native:network:PrivateEndpoint":
            for connection in _list(i.get("privateLinkServiceConnections")):
                target = str((connection or {}).get("privateLinkServiceId") or "").rsplit("/", 1)[-1]
                groups = ",".join(str(g) for g in _list((connection or {}).get("groupIds")))
                endpoints[("azure", place)].add(f"{groups}: {target}")
    # GCP: the VPC, its firewall policy and zones are global; NAT is regional. Show them per region.
    gcp_regions = {p for c, p in modes if c == "gcp" and p != "global"}
    if gcp_regions:
        for key in (("gcp", "global"),):
            for place in gcp_regions:
                modes[("gcp", place)] |= modes.get(key, set())
                allowed[("gcp", place)] |= allowed.get(key, set())
                endpoints[("gcp", place)] |= endpoints.get(key, set())
            for table in (modes, allowed, endpoints):
                table.pop(key, None)  # type: ignore[attr-defined]
    places = sorted(set(modes) | set(allowed) | set(endpoints))
    if not places:
        return ""
    lines = [
        "## Network paths",
        "",
        "Egress per cloud and region (`none`: private only; `nat`: unfiltered; `firewall`: allow-listed names "
        "only), the names the firewalls allow, and the private endpoints and zones workloads reach privately.",
        "",
        "| cloud | region | egress | allowed names | private endpoints |",
        "| --- | --- | --- | --- | --- |",
    ]
    for cloud, place in places:
        found = modes.get((cloud, place), set())
        mode = "firewall" if "firewall" in found else "nat" if "nat" in found else "none"
        names = ", ".join(f"`{_escape(n)}`" for n in sorted(allowed.get((cloud, place), set()))) or "-"
        private = ", ".join(_escape(e) for e in sorted(endpoints.get((cloud, place), set()))) or "-"
        lines.append(f"| {cloud} | {_escape(place)} | {mode} | {names} | {private} |")
    return "\n".join(lines) + "\n"
