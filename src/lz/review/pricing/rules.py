"""What each resource of a graph costs a month: one rule per billable type, a reason per free one.

A rule reads the resource's inputs (machine type, node counts, SKU, retention, ...) and returns the
usage of catalog SKUs at the resource's minimum (always-on: autoscaled pools at their minimum) and at
its maximum scale; `estimate()` prices them for the resource's region. What the graph cannot tell
(traffic, log volume, stored data) comes from the catalog's `usage` block and is named in the
resource's assumptions. Every type the project can create is in `RULES` or `FREE` (a test holds this
against the source), so an unpriced billable type fails the tests, not the user.

What it does not do: free tiers and grants, commitments and savings plans, taxes, support plans,
per-request charges beyond those named, or prices of resources the project does not create (an
existing Direct Connect port, the source side of a migration).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from lz.core import accelerators
from lz.core.graph import Resource
from lz.review.pricing.catalog import Catalog, catalog
from lz.review.report import cloud_of


@dataclass
class Line:
    sku: str
    qty_min: float  # units a month at the minimum
    qty_max: float  # units a month at maximum scale
    note: str = ""
    usd: float | None = None  # a price from elsewhere (the accelerator catalog), per unit
    price_note: str = ""


@dataclass
class Usage:
    lines: list[Line] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    unpriced: str = ""  # why a billable resource could not be priced (unknown machine type, ...)

    def add(
        self,
        sku: str,
        qty_min: float,
        qty_max: float | None = None,
        note: str = "",
        *,
        usd: float | None = None,
        price_note: str = "",
    ) -> None:
        self.lines.append(Line(sku, qty_min, qty_min if qty_max is None else qty_max, note, usd, price_note))


@dataclass
class Estimate:
    urn: str
    type: str
    cloud: str
    region: str
    monthly_min: float
    monthly_max: float
    assumptions: list[str]
    lines: list[dict[str, Any]]
    unpriced: str = ""

    def as_dict(self) -> dict[str, Any]:
        out = {
            "urn": self.urn,
            "type": self.type,
            "cloud": self.cloud,
            "region": self.region,
            "monthly_min": self.monthly_min,
            "monthly_max": self.monthly_max,
            "assumptions": self.assumptions,
            "lines": self.lines,
        }
        if self.unpriced:
            out["unpriced"] = self.unpriced
        return out


class Context:
    """Graph look-ups the rules need: regions from providers and resource groups, related resources."""

    def __init__(
        self,
        resources: list[Resource],
        cat: Catalog,
        *,
        data_gb: dict[str, float] | None = None,
        change_gb: dict[str, float] | None = None,
    ) -> None:
        self.resources = resources
        self.cat = cat
        self.by_urn = {r.urn: r for r in resources}
        self.rg_location = {
            str(r.inputs.get("resourceGroupName")): str(r.inputs.get("location"))
            for r in resources
            if r.type == "azure-native:resources:ResourceGroup" and r.inputs.get("location")
        }
        # dataset or database name -> GB held / changed a month (a wave's spec), matched in resource names
        self.data_gb = data_gb or {}
        self.change_gb = change_gb or {}

    def usage(self, key: str) -> float:
        return self.cat.usage[key]

    def provider_input(self, r: Resource, key: str) -> Any:
        provider = self.by_urn.get(r.provider_urn)
        return provider.inputs.get(key) if provider is not None else None

    def siblings(self, r: Resource, type_: str) -> list[Resource]:
        return [o for o in self.resources if o.type == type_ and o.parent == r.parent]

    def data_for(self, r: Resource, table: dict[str, float]) -> tuple[str, float] | None:
        name = r.name
        for key in sorted(table, key=len, reverse=True):
            if key in name:
                return key, table[key]
        return None


_LOCATION_IN_PATH = re.compile(r"/(?:locations|regions)/([a-z0-9-]+)/")
_ZONE = re.compile(r"^([a-z]+-[a-z]+\d+)-[a-z]$")


def region_of(r: Resource, ctx: Context) -> str:
    cloud = cloud_of(r.type)
    inputs = r.inputs
    if cloud == "aws":
        value = ctx.provider_input(r, "region") or inputs.get("region")
        return str(value) if isinstance(value, str) else "unknown"
    if cloud == "gcp":
        for key in ("region", "location"):
            value = inputs.get(key)
            if isinstance(value, str) and value:
                zone = _ZONE.match(value.lower())
                return zone.group(1) if zone else value.lower()
        for value in inputs.values():
            if isinstance(value, str):
                m = _LOCATION_IN_PATH.search(value)
                if m:
                    return m.group(1)
        value = ctx.provider_input(r, "region")
        return str(value) if isinstance(value, str) else "global"
    if cloud == "azure":
        value = inputs.get("location")
        if isinstance(value, str) and value:
            return value.lower().replace(" ", "")
        group = inputs.get("resourceGroupName")
        if isinstance(group, str) and group in ctx.rg_location:
            return ctx.rg_location[group].lower()
        return "global"
    return "global"


def _num(value: Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _hours(ctx: Context) -> float:
    return float(ctx.cat.hours_per_month)


# --- compute helpers -------------------------------------------------------------------------------


def _machine(
    u: Usage,
    ctx: Context,
    cloud: str,
    prefix: str,
    machine: str,
    region: str,
    spot: bool,
    n_min: float,
    n_max: float,
    what: str,
) -> None:
    """Node-hours of a machine type: a GPU shape from the accelerator catalog (times the region's
    multiplier), else the price catalog's `<prefix><machine>` SKU (on-demand)."""
    hours = _hours(ctx)
    shape = accelerators.catalog().find_machine(cloud, machine)
    if shape is not None:
        per_gpu = shape.price.for_capacity(spot)
        capacity = "spot" if spot else "on-demand"
        if per_gpu is None and spot:
            per_gpu, capacity = shape.price.on_demand, "on-demand (no spot price in the catalog)"
        if per_gpu is None:
            u.unpriced = f"no price for {machine} in the accelerator catalog"
            return
        factor, how = ctx.cat.multiplier(cloud, region)
        usd = round(per_gpu * shape.gpus * factor, 4)
        u.add(
            f"{machine} ({capacity})",
            n_min * hours,
            n_max * hours,
            f"{what} node-hours",
            usd=usd,
            price_note=f"accelerator catalog {accelerators.catalog().as_of}: ${per_gpu}/GPU-hour x "
            f"{shape.gpus} GPUs, {how}",
        )
        return
    sku = prefix + machine
    if not ctx.cat.has(cloud, sku):
        u.unpriced = f"machine type {machine} is not in the price catalog (add {cloud}/{sku})"
        return
    if spot:
        u.assumptions.append(f"{machine}: spot capacity priced at on-demand (no spot figure in the catalog)")
    u.add(sku, n_min * hours, n_max * hours, f"{what} node-hours")


def _disk(u: Usage, sku: str, gb: float, n_min: float, n_max: float) -> None:
    if gb > 0:
        u.add(sku, gb * n_min, gb * n_max, f"{gb:.0f} GB per node")


def _versions_after_a_year(rotation: Any) -> int:
    seconds = _num(str(rotation).rstrip("s"), 0) if rotation else 0
    if seconds <= 0:
        return 1
    return 1 + int(365 * 86400 // seconds)


# --- AWS -------------------------------------------------------------------------------------------


def aws_vpn_connection(r: Resource, ctx: Context, u: Usage) -> None:
    h = _hours(ctx)
    u.add("vpn-connection-hour", h)
    gb = ctx.usage("vpn_gb_month")
    u.add("egress-internet-gb", gb, note="VPN traffic out, at the data transfer out rate")
    u.assumptions.append(f"{gb:.0f} GB/month out through the connection")
    if r.inputs.get("transitGatewayId"):
        u.add("tgw-attachment-hour", h, note="the VPN attachment to the transit gateway")
        u.add("tgw-data-gb", gb)


def aws_tgw_attachment(r: Resource, ctx: Context, u: Usage) -> None:
    gb = ctx.usage("tgw_gb_month")
    u.add("tgw-attachment-hour", _hours(ctx))
    u.add("tgw-data-gb", gb)
    u.assumptions.append(f"{gb:.0f} GB/month processed by the attachment")


def aws_vpc_endpoint(r: Resource, ctx: Context, u: Usage) -> None:
    kind = r.inputs.get("vpcEndpointType", "Gateway")
    if kind == "Gateway":
        u.assumptions.append("gateway endpoint (S3, DynamoDB): no hourly or data charge")
        return
    zones = max(1, len(r.inputs.get("subnetIds") or []))
    u.add("interface-endpoint-hour", zones * _hours(ctx), note=f"{zones} AZ(s)")


def aws_nat_gateway(r: Resource, ctx: Context, u: Usage) -> None:
    gb = ctx.usage("nat_gb_month")
    u.add("nat-gateway-hour", _hours(ctx))
    u.add("nat-gateway-gb", gb)
    u.assumptions.append(f"{gb:.0f} GB/month through the NAT gateway")


def aws_network_firewall(r: Resource, ctx: Context, u: Usage) -> None:
    endpoints = max(1, len(r.inputs.get("subnetMappings") or []))
    gb = ctx.usage("firewall_gb_month")
    u.add("network-firewall-hour", endpoints * _hours(ctx), note=f"{endpoints} endpoint(s)")
    u.add("network-firewall-gb", gb)
    u.assumptions.append(f"{gb:.0f} GB/month inspected")


def aws_eks_cluster(r: Resource, ctx: Context, u: Usage) -> None:
    u.add("eks-cluster-hour", _hours(ctx))
    u.assumptions.append("standard support (extended support costs $0.60/cluster-hour)")


def aws_node_group(r: Resource, ctx: Context, u: Usage) -> None:
    scaling = r.inputs.get("scalingConfig") or {}
    n_min, n_max = _num(scaling.get("minSize")), _num(scaling.get("maxSize"))
    types = r.inputs.get("instanceTypes") or ["t3.medium"]
    spot = r.inputs.get("capacityType") == "SPOT"
    region = region_of(r, ctx)
    _machine(u, ctx, "aws", "ec2-", str(types[0]), region, spot, n_min, n_max, "EKS")
    gb = _num(r.inputs.get("diskSize"), 0)
    templates = (
        [
            lt
            for lt in ctx.siblings(r, "aws:ec2/launchTemplate:LaunchTemplate")
            if lt.inputs.get("name") == r.inputs.get("nodeGroupName")
        ]
        if r.inputs.get("launchTemplate")
        else []
    )
    for lt in templates:
        for mapping in lt.inputs.get("blockDeviceMappings") or []:
            gb += _num((mapping.get("ebs") or {}).get("volumeSize"))
    _disk(u, "ebs-gp3-gb-month", gb or 20, n_min, n_max)
    u.assumptions.append(f"{n_min:.0f} to {n_max:.0f} nodes of {types[0]}{' (spot)' if spot else ''}")


def aws_ecs_service(r: Resource, ctx: Context, u: Usage) -> None:
    count = _num(r.inputs.get("desiredCount"), 1)
    tasks = ctx.siblings(r, "aws:ecs/taskDefinition:TaskDefinition")
    cpu = _num(tasks[0].inputs.get("cpu"), 256) / 1024 if tasks else 0.25
    mem = _num(tasks[0].inputs.get("memory"), 512) / 1024 if tasks else 0.5
    h = _hours(ctx) * count * ctx.usage("containers_busy_fraction")
    u.add("fargate-vcpu-hour", cpu * h, note=f"{count:.0f} task(s) x {cpu:g} vCPU")
    u.add("fargate-gb-hour", mem * h, note=f"{count:.0f} task(s) x {mem:g} GB")
    u.assumptions.append(f"{count:.0f} Fargate task(s) running all month")


def aws_kms_key(r: Resource, ctx: Context, u: Usage) -> None:
    req = ctx.usage("key_requests_month")
    u.add("kms-key-month", 1)
    u.add("kms-requests-10k", req / 10000)
    u.assumptions.append(f"{req:,.0f} requests/month (automatic rotation adds no key charge after the second)")


def _retention_months(days: Any, default_days: float = 365) -> float:
    d = _num(days, 0) or default_days
    return min(d, 3650) / 30.4


def aws_log_group(r: Resource, ctx: Context, u: Usage) -> None:
    flow = "flow" in str(r.inputs.get("name", r.name))
    gb = ctx.usage("flow_log_gb_month" if flow else "log_group_gb_month")
    months = _retention_months(r.inputs.get("retentionInDays"))
    u.add("logs-ingest-gb", gb)
    u.add("logs-store-gb-month", gb * months, note=f"steady state: {months:.0f} months kept")
    u.assumptions.append(
        f"{gb:.0f} GB/month ingested{' (VPC flow logs)' if flow else ''}, kept "
        f"{_num(r.inputs.get('retentionInDays'), 0) or 'forever (priced at 365)'} days"
    )


def aws_metric_alarm(r: Resource, ctx: Context, u: Usage) -> None:
    u.add("alarm-month", 1)


def aws_s3_bucket(r: Resource, ctx: Context, u: Usage) -> None:
    _stored(r, ctx, u, "s3-standard-gb-month")


def _stored(r: Resource, ctx: Context, u: Usage, sku: str) -> None:
    match = ctx.data_for(r, ctx.data_gb)
    if match:
        u.add(sku, match[1], note=f"dataset {match[0]}")
        u.assumptions.append(f"holds {match[1]:,.0f} GB (size_gb of {match[0]})")
    else:
        gb = ctx.usage("audit_storage_gb")
        u.add(sku, gb)
        u.assumptions.append(f"{gb:.0f} GB stored at steady state")


def aws_cloudtrail(r: Resource, ctx: Context, u: Usage) -> None:
    u.assumptions.append("the first copy of management events is free; data events not enabled here")


def aws_rds_instance(r: Resource, ctx: Context, u: Usage) -> None:
    cls = str(r.inputs.get("instanceClass", "db.m6g.large"))
    copies = 2 if r.inputs.get("multiAz") else 1
    gb = _num(r.inputs.get("allocatedStorage"), 20)
    gb_max = _num(r.inputs.get("maxAllocatedStorage"), gb) or gb
    sku = f"rds-{cls}"
    if not ctx.cat.has("aws", sku):
        u.unpriced = f"instance class {cls} is not in the price catalog (add aws/{sku})"
        return
    u.add(sku, copies * _hours(ctx), note="Multi-AZ" if copies == 2 else "single-AZ")
    u.add("rds-gp3-gb-month", copies * gb, copies * gb_max, "storage (max: autoscaled limit)")
    u.assumptions.append(f"{cls}, {gb:.0f} GB gp3, {'Multi-AZ' if copies == 2 else 'single-AZ'}")


def aws_dms_instance(r: Resource, ctx: Context, u: Usage) -> None:
    cls = str(r.inputs.get("replicationInstanceClass", "dms.c5.large"))
    copies = 2 if r.inputs.get("multiAz") else 1
    sku = f"dms-{cls}"
    if not ctx.cat.has("aws", sku):
        u.unpriced = f"replication instance class {cls} is not in the price catalog (add aws/{sku})"
        return
    u.add(sku, copies * _hours(ctx))
    u.add("dms-storage-gb-month", copies * _num(r.inputs.get("allocatedStorage"), 50))
    u.assumptions.append("runs all month until the wave is decommissioned")


def aws_datasync_task(r: Resource, ctx: Context, u: Usage) -> None:
    match = ctx.data_for(r, ctx.change_gb)
    gb = match[1] if match else 0.0
    u.add("datasync-gb", gb, note="delta copied a month")
    u.assumptions.append(f"{gb:,.0f} GB/month of changes copied" + ("" if match else " (no change rate given)"))


def aws_health_check(r: Resource, ctx: Context, u: Usage) -> None:
    u.add("route53-health-check-month", 1, note="endpoint outside AWS")


def aws_private_namespace(r: Resource, ctx: Context, u: Usage) -> None:
    q = ctx.usage("dns_queries_month")
    u.add("route53-zone-month", 1, note="the namespace's private hosted zone")
    u.add("route53-queries-million", q / 1e6)


def aws_discovery_service(r: Resource, ctx: Context, u: Usage) -> None:
    services = [s for s in ctx.resources if s.type == "aws:ecs/service:Service" and s.parent == r.parent]
    n = sum(_num(s.inputs.get("desiredCount"), 1) for s in services) or 1
    u.add("cloudmap-instance-month", n, note="registered tasks")


def aws_dx_vif(r: Resource, ctx: Context, u: Usage) -> None:
    gb = ctx.usage("vpn_gb_month")
    u.add("dx-egress-gb", gb)
    u.assumptions.append(f"{gb:.0f} GB/month out; the port hours of the existing connection are not counted")


def aws_ssm_parameter(r: Resource, ctx: Context, u: Usage) -> None:
    if r.inputs.get("tier") in ("Advanced", "Intelligent-Tiering"):
        u.unpriced = "advanced parameters are not in the price catalog"
    else:
        u.assumptions.append("standard parameter: no charge")


def aws_secret(r: Resource, ctx: Context, u: Usage) -> None:
    u.add("secret-month", 1 + len(r.inputs.get("replicas") or []), note="the secret and each replica")
    u.assumptions.append("API calls (0.05 USD per 10,000) not estimated")


def aws_pull_through_cache(r: Resource, ctx: Context, u: Usage) -> None:
    gb = ctx.usage("registry_cache_gb")
    u.add("ecr-storage-gb-month", gb, note="the repositories the rule creates")
    u.assumptions.append(f"{gb:.0f} GB of cached images; pulls inside the region are free")


# --- GCP -------------------------------------------------------------------------------------------


def gcp_vpn_tunnel(r: Resource, ctx: Context, u: Usage) -> None:
    gb = ctx.usage("vpn_gb_month") / 2
    u.add("vpn-tunnel-hour", _hours(ctx))
    u.add("egress-internet-gb", gb, note="Cloud VPN egress is charged at internet egress rates")
    u.assumptions.append(f"{gb:.0f} GB/month out (half a connection's traffic per tunnel of an HA pair)")


def gcp_router_nat(r: Resource, ctx: Context, u: Usage) -> None:
    gb = ctx.usage("nat_gb_month")
    u.add("nat-gateway-hour", _hours(ctx), note="the per-gateway cap (32 or more VMs)")
    u.add("nat-gb", gb)
    u.assumptions.append(f"{gb:.0f} GB/month through Cloud NAT")


def gcp_interconnect_attachment(r: Resource, ctx: Context, u: Usage) -> None:
    gb = ctx.usage("vpn_gb_month")
    u.add("interconnect-vlan-1g-hour", _hours(ctx))
    u.add("interconnect-egress-gb", gb)
    u.assumptions.append(f"1 Gbps VLAN attachment, {gb:.0f} GB/month out; the partner's fee is not included")


def gcp_gke_cluster(r: Resource, ctx: Context, u: Usage) -> None:
    u.add("gke-cluster-hour", _hours(ctx))
    if not r.inputs.get("removeDefaultNodePool") and not r.inputs.get("enableAutopilot"):
        node = r.inputs.get("nodeConfig") or {}
        n = _num(r.inputs.get("initialNodeCount"), 1) * 3
        _machine(
            u,
            ctx,
            "gcp",
            "gce-",
            str(node.get("machineType", "e2-medium")),
            region_of(r, ctx),
            bool(node.get("spot")),
            n,
            n,
            "default pool",
        )
    u.assumptions.append("Standard edition cluster fee ($74.40/month free credit per billing account not deducted)")


def gcp_node_pool(r: Resource, ctx: Context, u: Usage) -> None:
    auto = r.inputs.get("autoscaling") or {}
    zones = len(r.inputs.get("nodeLocations") or []) or 3
    if "totalMinNodeCount" in auto or "totalMaxNodeCount" in auto:
        n_min, n_max = _num(auto.get("totalMinNodeCount")), _num(auto.get("totalMaxNodeCount"))
    elif auto:
        n_min, n_max = _num(auto.get("minNodeCount")) * zones, _num(auto.get("maxNodeCount")) * zones
    else:
        n_min = n_max = _num(r.inputs.get("nodeCount", r.inputs.get("initialNodeCount")), 1) * zones
    node = r.inputs.get("nodeConfig") or {}
    machine = str(node.get("machineType", "e2-medium"))
    spot = bool(node.get("spot") or node.get("preemptible"))
    _machine(u, ctx, "gcp", "gce-", machine, region_of(r, ctx), spot, n_min, n_max, "GKE")
    _disk(u, "pd-balanced-gb-month", _num(node.get("diskSizeGb"), 100), n_min, n_max)
    u.assumptions.append(f"{n_min:.0f} to {n_max:.0f} nodes of {machine}{' (spot)' if spot else ''}")


def _cpu(value: Any) -> float:
    text = str(value or "1")
    return _num(text[:-1]) / 1000 if text.endswith("m") else _num(text, 1)


def _gib(value: Any) -> float:
    text = str(value or "512Mi")
    for suffix, factor in (("Gi", 1.0), ("Mi", 1 / 1024), ("G", 1e9 / 2**30), ("M", 1e6 / 2**30)):
        if text.endswith(suffix):
            return _num(text[: -len(suffix)]) * factor
    return _num(text) / 2**30


def gcp_cloud_run(r: Resource, ctx: Context, u: Usage) -> None:
    template = r.inputs.get("template") or {}
    scaling = template.get("scaling") or {}
    n_min, n_max = _num(scaling.get("minInstanceCount")), _num(scaling.get("maxInstanceCount"), 100)
    limits = ((template.get("containers") or [{}])[0].get("resources") or {}).get("limits") or {}
    cpu, mem = _cpu(limits.get("cpu")), _gib(limits.get("memory"))
    seconds = _hours(ctx) * 3600 * ctx.usage("containers_busy_fraction")
    u.add("run-vcpu-second", cpu * n_min * seconds, cpu * n_max * seconds, f"{cpu:g} vCPU per instance")
    u.add("run-gib-second", mem * n_min * seconds, mem * n_max * seconds, f"{mem:g} GiB per instance")
    u.assumptions.append(f"instance-based billing, {n_min:.0f} warm instance(s) (max {n_max:.0f}) all month")


def gcp_kms_key(r: Resource, ctx: Context, u: Usage) -> None:
    template = r.inputs.get("versionTemplate") or {}
    hsm = template.get("protectionLevel") == "HSM"
    versions = _versions_after_a_year(r.inputs.get("rotationPeriod"))
    u.add(
        "kms-hsm-key-version-month" if hsm else "kms-key-version-month",
        1,
        versions,
        "max: versions alive after a year of rotation",
    )
    u.add("kms-requests-10k", ctx.usage("key_requests_month") / 10000)
    u.assumptions.append(f"rotated versions stay billable until destroyed: {versions} after a year")


def gcp_log_bucket(r: Resource, ctx: Context, u: Usage) -> None:
    gb = ctx.usage("audit_log_gb_month")
    days = _num(r.inputs.get("retentionDays"), 30)
    u.add("logging-ingest-gib", gb)
    u.add("logging-retain-gib-month", gb * max(0.0, days - 30) / 30.4, note="steady state beyond 30 days")
    u.assumptions.append(
        f"{gb:.0f} GiB/month routed to the bucket, kept {days:.0f} days (50 GiB/project free allotment not deducted)"
    )


def gcp_alert_policy(r: Resource, ctx: Context, u: Usage) -> None:
    u.add("monitoring-condition-month", max(1, len(r.inputs.get("conditions") or [])))


def gcp_bucket(r: Resource, ctx: Context, u: Usage) -> None:
    _stored(r, ctx, u, "storage-standard-gb-month")


def gcp_transfer_job(r: Resource, ctx: Context, u: Usage) -> None:
    match = ctx.data_for(r, ctx.change_gb)
    u.add("sts-agentless-gb", match[1] if match else 0.0)
    u.assumptions.append(
        "agentless cloud-to-cloud transfer: no Storage Transfer Service fee (source egress "
        "is the wave's transfer estimate)"
    )


_SQL_TIER = re.compile(r"^db-custom-(\d+)-(\d+)$")


def gcp_connection_profile(r: Resource, ctx: Context, u: Usage) -> None:
    sql = r.inputs.get("cloudsql")
    if not sql:
        u.assumptions.append("a source connection profile: no charge")
        return
    settings = sql.get("settings") or {}
    tier = str(settings.get("tier", ""))
    m = _SQL_TIER.match(tier)
    if not m:
        u.unpriced = f"Cloud SQL tier {tier!r} is not a db-custom-N-M tier the catalog prices"
        return
    vcpu, gb = int(m.group(1)), int(m.group(2)) / 1024
    copies = 2 if settings.get("availabilityType") == "REGIONAL" else 1
    h = _hours(ctx) * copies
    disk = _num(settings.get("dataDiskSizeGb"), 10)
    u.add("sql-vcpu-hour", vcpu * h, note=f"{vcpu} vCPU")
    u.add("sql-gb-hour", gb * h, note=f"{gb:g} GB RAM")
    u.add("sql-ssd-gb-month", disk * copies)
    u.assumptions.append(
        f"the Cloud SQL instance this profile creates: {tier}, {disk:.0f} GB SSD, "
        f"{'regional (HA)' if copies == 2 else 'zonal'}"
    )


def gcp_migration_job(r: Resource, ctx: Context, u: Usage) -> None:
    u.add("dms-homogeneous", 1)
    u.assumptions.append("homogeneous migration to Cloud SQL: no Database Migration Service fee")


def gcp_managed_zone(r: Resource, ctx: Context, u: Usage) -> None:
    q = ctx.usage("dns_queries_month")
    u.add("dns-zone-month", 1)
    u.add("dns-queries-million", q / 1e6)


def gcp_secret(r: Resource, ctx: Context, u: Usage) -> None:
    replicas = (r.inputs.get("replication") or {}).get("userManaged", {}).get("replicas") or [None]
    u.add("secret-version-month", len(replicas), note="one active version per replica location")


def gcp_artifact_repository(r: Resource, ctx: Context, u: Usage) -> None:
    gb = ctx.usage("registry_cache_gb")
    u.add("artifact-registry-gb-month", gb)
    u.assumptions.append(f"{gb:.0f} GB of cached images (0.5 GB/month free not deducted); pulls in the region are free")


# --- Azure -----------------------------------------------------------------------------------------


def azure_vpn_gateway(r: Resource, ctx: Context, u: Usage) -> None:
    sku = str((r.inputs.get("sku") or {}).get("name", "VpnGw1"))
    name = f"vpn-gateway-{sku}-hour"
    if not ctx.cat.has("azure", name):
        u.unpriced = f"gateway SKU {sku} is not in the price catalog (add azure/{name})"
        return
    u.add(name, _hours(ctx), note="active-active is included in the gateway price")
    gw = str(r.inputs.get("virtualNetworkGatewayName", r.name))
    tunnels = sum(
        1
        for c in ctx.resources
        if c.type == "azure-native:network:VirtualNetworkGatewayConnection"
        and gw in str((c.inputs.get("virtualNetworkGateway1") or {}).get("id", ""))
    )
    if tunnels > 10:
        u.add("vpn-s2s-tunnel-hour", (tunnels - 10) * _hours(ctx), note="tunnels beyond the 10 included")
    u.assumptions.append(f"{sku}, {tunnels} site-to-site connection(s)")


def azure_vpn_connection(r: Resource, ctx: Context, u: Usage) -> None:
    gb = ctx.usage("vpn_gb_month")
    u.add("egress-internet-gb", gb, note="site-to-site VPN egress is charged at data transfer out rates")
    u.assumptions.append(f"{gb:.0f} GB/month out through the connection")


def azure_express_route(r: Resource, ctx: Context, u: Usage) -> None:
    gb = ctx.usage("vpn_gb_month")
    u.add("expressroute-1g-metered-month", 1)
    u.add("expressroute-egress-gb", gb)
    u.assumptions.append(
        f"Standard metered 1 Gbps circuit, {gb:.0f} GB/month out; the provider's port fee is not included"
    )


def azure_public_ip(r: Resource, ctx: Context, u: Usage) -> None:
    u.add("public-ip-standard-hour", _hours(ctx))


def azure_firewall(r: Resource, ctx: Context, u: Usage) -> None:
    tier = str((r.inputs.get("sku") or {}).get("tier", "Standard")).lower()
    gb = ctx.usage("firewall_gb_month")
    u.add(f"firewall-{tier}-hour" if tier in ("basic", "premium") else "firewall-standard-hour", _hours(ctx))
    u.add("firewall-gb", gb)
    u.assumptions.append(f"{tier} tier, {gb:.0f} GB/month processed")


def azure_nat_gateway(r: Resource, ctx: Context, u: Usage) -> None:
    gb = ctx.usage("nat_gb_month")
    u.add("nat-gateway-hour", _hours(ctx))
    u.add("nat-gb", gb)
    u.assumptions.append(f"{gb:.0f} GB/month through the NAT gateway")


def _aks_pool(u: Usage, ctx: Context, pool: dict[str, Any], region: str, what: str) -> None:
    if pool.get("enableAutoScaling"):
        n_min, n_max = _num(pool.get("minCount")), _num(pool.get("maxCount"))
    else:
        n_min = n_max = _num(pool.get("count"), 1)
    vm = str(pool.get("vmSize", "Standard_D2ds_v5"))
    spot = pool.get("scaleSetPriority") == "Spot"
    _machine(u, ctx, "azure", "vm-", vm, region, spot, n_min, n_max, what)
    _disk(u, "managed-disk-premium-gb-month", _num(pool.get("osDiskSizeGB"), 128), n_min, n_max)
    u.assumptions.append(f"{what}: {n_min:.0f} to {n_max:.0f} nodes of {vm}{' (spot)' if spot else ''}")


def azure_aks(r: Resource, ctx: Context, u: Usage) -> None:
    tier = str((r.inputs.get("sku") or {}).get("tier", "Free"))
    u.add(
        "aks-standard-hour" if tier in ("Standard", "Premium") else "aks-free-hour",
        _hours(ctx),
        note=f"{tier} tier control plane",
    )
    for pool in r.inputs.get("agentPoolProfiles") or []:
        _aks_pool(u, ctx, pool, region_of(r, ctx), f"AKS pool {pool.get('name', '?')}")


def azure_agent_pool(r: Resource, ctx: Context, u: Usage) -> None:
    _aks_pool(u, ctx, r.inputs, region_of(r, ctx), "AKS")


def azure_container_app(r: Resource, ctx: Context, u: Usage) -> None:
    template = r.inputs.get("template") or {}
    scale = template.get("scale") or {}
    n_min, n_max = _num(scale.get("minReplicas")), _num(scale.get("maxReplicas"), 10)
    res = (template.get("containers") or [{}])[0].get("resources") or {}
    cpu, mem = _num(res.get("cpu"), 0.5), _gib(res.get("memory", "1Gi"))
    seconds = _hours(ctx) * 3600 * ctx.usage("containers_busy_fraction")
    u.add("aca-vcpu-second", cpu * n_min * seconds, cpu * n_max * seconds, f"{cpu:g} vCPU per replica")
    u.add("aca-gib-second", mem * n_min * seconds, mem * n_max * seconds, f"{mem:g} GiB per replica")
    u.assumptions.append(
        f"consumption plan, {n_min:.0f} replica(s) active all month (max {n_max:.0f}); the "
        "monthly free grant is not deducted"
    )


def azure_key_vault(r: Resource, ctx: Context, u: Usage) -> None:
    ops = ctx.usage("key_requests_month")
    u.add("keyvault-ops-10k", ops / 10000)
    u.assumptions.append(f"{ops:,.0f} operations/month")


def azure_vault_key(r: Resource, ctx: Context, u: Usage) -> None:
    props = r.inputs.get("properties") or {}
    if "HSM" not in str(props.get("kty", "")):
        u.assumptions.append("software-protected key: operations only (priced on the vault)")
        return
    rotate = (props.get("rotationPolicy") or {}).get("lifetimeActions") or []
    days = 0.0
    for action in rotate:
        after = str((action.get("trigger") or {}).get("timeAfterCreate", ""))
        m = re.fullmatch(r"P(\d+)D", after)
        if (action.get("action") or {}).get("type") == "rotate" and m:
            days = float(m.group(1))
    versions = 1 + int(365 // days) if days else 1
    u.add("keyvault-hsm-key-month", 1, versions, "max: versions after a year of rotation")
    u.assumptions.append(f"HSM-protected key; each version bills as a key: {versions} after a year")


def azure_workspace(r: Resource, ctx: Context, u: Usage) -> None:
    gb = ctx.usage("workspace_gb_month")
    days = _num(r.inputs.get("retentionInDays"), 31)
    u.add("log-analytics-gb", gb)
    u.add("log-analytics-retain-gb-month", gb * max(0.0, days - 31) / 30.4, note="steady state beyond 31 days")
    u.assumptions.append(f"{gb:.0f} GB/month ingested, kept {days:.0f} days (5 GB/month free not deducted)")


def azure_storage_account(r: Resource, ctx: Context, u: Usage) -> None:
    sku = str((r.inputs.get("sku") or {}).get("name", "Standard_LRS"))
    _stored(r, ctx, u, "storage-zrs-hot-gb-month" if "ZRS" in sku else "storage-lrs-hot-gb-month")


def azure_flow_log(r: Resource, ctx: Context, u: Usage) -> None:
    gb = ctx.usage("flow_log_gb_month")
    u.add("flow-log-gb", gb)
    u.assumptions.append(f"{gb:.0f} GB/month of flow logs (stored in its storage account)")


def azure_query_rule(r: Resource, ctx: Context, u: Usage) -> None:
    u.add("log-alert-rule-month", 1)


def azure_flexible_server(r: Resource, ctx: Context, u: Usage) -> None:
    engine = "postgres" if "dbforpostgresql" in r.type else "mysql"
    sku = str((r.inputs.get("sku") or {}).get("name", ""))
    name = f"{engine}-{sku}"
    if not ctx.cat.has("azure", name):
        u.unpriced = f"server SKU {sku} is not in the price catalog (add azure/{name})"
        return
    ha = str((r.inputs.get("highAvailability") or {}).get("mode", "Disabled")) not in ("Disabled", "")
    copies = 2 if ha else 1
    gb = _num((r.inputs.get("storage") or {}).get("storageSizeGB"), 32)
    u.add(name, copies * _hours(ctx), note="zone-redundant HA doubles compute" if ha else "")
    u.add("db-storage-gb-month", copies * gb)
    u.assumptions.append(f"{sku}, {gb:.0f} GB storage{', HA' if ha else ''}")


def azure_dms(r: Resource, ctx: Context, u: Usage) -> None:
    u.add("dms-premium-4vcore-hour", _hours(ctx))
    u.assumptions.append("Premium 4 vCore is free for its first 6 months; priced at $0 for the wave")


def azure_adf_pipeline(r: Resource, ctx: Context, u: Usage) -> None:
    runs = ctx.usage("transfer_runs_month")
    u.add("adf-runs-1k", runs / 1000)
    u.add("adf-diu-hour", runs * 4 / 6, note="4 DIUs for 10 minutes per run")
    u.assumptions.append(f"{runs:.0f} runs/month, each a copy of 4 DIUs for about 10 minutes")


def azure_traffic_manager(r: Resource, ctx: Context, u: Usage) -> None:
    u.add("traffic-manager-month", 1)


def azure_private_endpoint(r: Resource, ctx: Context, u: Usage) -> None:
    u.add("private-endpoint-hour", _hours(ctx))


def azure_container_registry(r: Resource, ctx: Context, u: Usage) -> None:
    sku = str((r.inputs.get("sku") or {}).get("name", "Basic")).lower()
    name = f"acr-{sku}-day"
    if not ctx.cat.has("azure", name):
        u.unpriced = f"registry SKU {sku} is not in the price catalog (add azure/{name})"
        return
    u.add(name, _hours(ctx) / 24, note="a daily charge, storage up to the SKU's allowance included")
    u.assumptions.append("cached images stay within the included storage")


Rule = Callable[[Resource, Context, Usage], None]


def _fixed(sku: str, qty: Callable[[Resource, Context], float], note: str = "") -> Rule:
    """A resource billed per unit of time at a catalog SKU (`qty`: units a month)."""

    def rule(r: Resource, ctx: Context, u: Usage) -> None:
        u.add(sku, qty(r, ctx), note=note)

    return rule


def _hourly(r: Resource, ctx: Context) -> float:
    return _hours(ctx)


def _monthly(r: Resource, ctx: Context) -> float:
    return 1.0


def aws_resolver_endpoint(r: Resource, ctx: Context, u: Usage) -> None:
    ips = max(2, len(r.inputs.get("ipAddresses") or []))  # Route 53 Resolver needs at least two
    u.add("route53-resolver-ip-hour", ips * _hours(ctx), note=f"{ips} IP address(es)")


def gcp_address(r: Resource, ctx: Context, u: Usage) -> None:
    if str(r.inputs.get("addressType", "EXTERNAL")).upper() == "INTERNAL":
        u.assumptions.append("internal address: no charge")
        return
    u.unpriced = "an external static address, billed per hour (cloud.google.com/vpc/network-pricing)"


def gcp_firewall_rule(r: Resource, ctx: Context, u: Usage) -> None:
    match = r.inputs.get("match") or {}
    if not (match.get("destFqdns") or match.get("srcFqdns")):
        u.assumptions.append("a rule without FQDN objects: no charge of its own")
        return
    u.unpriced = (
        "a rule with FQDN objects is Cloud NGFW Standard, billed per GB it inspects (cloud.google.com/firewall/pricing)"
    )


def _per_use(reason: str) -> Rule:
    """A billable service charged per use with no usage the graph states: listed as not priced, with why."""

    def rule(r: Resource, ctx: Context, u: Usage) -> None:
        u.unpriced = reason

    return rule


def azure_defender_plan(r: Resource, ctx: Context, u: Usage) -> None:
    # Defender for Cloud: the Free tier costs nothing; Standard plans bill per protected resource
    # (server-hours, storage transactions, ...), which the graph does not state.
    if str(r.inputs.get("pricingTier", "")).lower() == "free":
        u.assumptions.append("Free tier: no charge")
        return
    u.unpriced = (
        "Defender plan at Standard: billed per protected resource and hour "
        "(azure.microsoft.com/pricing/details/defender-for-cloud), not estimated"
    )


RULES: dict[str, Rule] = {
    # The network paths (egress, private DNS across clouds, connected regions).
    "aws:ec2/eip:Eip": _fixed("public-ipv4-hour", _hourly, "in-use public IPv4 address"),
    "aws:ec2transitgateway/peeringAttachment:PeeringAttachment": _fixed(
        "tgw-attachment-hour", _hourly, "peering attachment"
    ),
    "aws:route53/resolverEndpoint:ResolverEndpoint": aws_resolver_endpoint,
    "aws:route53/zone:Zone": _fixed("route53-zone-month", _monthly),
    "gcp:compute/address:Address": gcp_address,
    "azure-native:dnsresolver:InboundEndpoint": _fixed("dns-resolver-endpoint-hour", _hourly),
    "azure-native:dnsresolver:OutboundEndpoint": _fixed("dns-resolver-endpoint-hour", _hourly),
    "azure-native:dnsresolver:DnsForwardingRuleset": _fixed("dns-forwarding-ruleset-month", _monthly),
    "azure-native:privatedns:PrivateZone": _fixed("dns-zone-month", _monthly),
    "azure-native:network:VirtualNetworkPeering": _per_use(
        "billed per GB across the peering, both directions (azure.microsoft.com/pricing/details/virtual-network)"
    ),
    "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule": gcp_firewall_rule,
    # The organization layer's detective services bill per use (events, checks, items recorded).
    "aws:guardduty/detector:Detector": _per_use(
        "billed per CloudTrail event, VPC flow and DNS log GB analysed (aws.amazon.com/guardduty/pricing)"
    ),
    "aws:securityhub/account:Account": _per_use(
        "billed per security check and finding ingested (aws.amazon.com/security-hub/pricing)"
    ),
    "aws:cfg/recorder:Recorder": _per_use(
        "billed per configuration item recorded and rule evaluation (aws.amazon.com/config/pricing)"
    ),
    "azure-native:security:Pricing": azure_defender_plan,
    # An Azure OpenAI account has no standing charge: Standard deployments bill per 1,000 tokens in
    # and out, per model (azure.microsoft.com/pricing/details/cognitive-services/openai-service,
    # read 2026-12-05); the graph deploys no model. Bedrock's interface endpoints are VPC endpoints,
    # priced above per AZ-hour; its inference is billed per token like this.
    "azure-native:cognitiveservices:Account": _per_use(
        "no standing charge: model deployments bill per 1,000 tokens "
        "(azure.microsoft.com/pricing/details/cognitive-services/openai-service, 2026-12-05)"
    ),
    "gcp:pubsub/topic:Topic": _per_use(
        "billed per TiB of messages, the first 10 GiB a month free (cloud.google.com/pubsub/pricing)"
    ),
    "gcp:securitycenter/managementOrganizationSecurityHealthAnalyticsCustomModule:"
    "ManagementOrganizationSecurityHealthAnalyticsCustomModule": _per_use(
        "needs Security Command Center Premium, billed as an organization subscription "
        "(cloud.google.com/security-command-center/pricing)"
    ),
    "aws:ec2/vpnConnection:VpnConnection": aws_vpn_connection,
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": aws_tgw_attachment,
    "aws:ec2/vpcEndpoint:VpcEndpoint": aws_vpc_endpoint,
    "aws:ec2/natGateway:NatGateway": aws_nat_gateway,
    "aws:networkfirewall/firewall:Firewall": aws_network_firewall,
    "aws:eks/cluster:Cluster": aws_eks_cluster,
    "aws:eks/nodeGroup:NodeGroup": aws_node_group,
    "aws:ecs/service:Service": aws_ecs_service,
    "aws:kms/key:Key": aws_kms_key,
    "aws:cloudwatch/logGroup:LogGroup": aws_log_group,
    "aws:cloudwatch/metricAlarm:MetricAlarm": aws_metric_alarm,
    "aws:s3/bucket:Bucket": aws_s3_bucket,
    "aws:s3/bucketV2:BucketV2": aws_s3_bucket,
    "aws:cloudtrail/trail:Trail": aws_cloudtrail,
    "aws:rds/instance:Instance": aws_rds_instance,
    "aws:dms/replicationInstance:ReplicationInstance": aws_dms_instance,
    "aws:datasync/task:Task": aws_datasync_task,
    "aws:route53/healthCheck:HealthCheck": aws_health_check,
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": aws_private_namespace,
    "aws:servicediscovery/service:Service": aws_discovery_service,
    "aws:directconnect/transitVirtualInterface:TransitVirtualInterface": aws_dx_vif,
    "aws:ssm/parameter:Parameter": aws_ssm_parameter,
    "gcp:compute/vPNTunnel:VPNTunnel": gcp_vpn_tunnel,
    "gcp:compute/routerNat:RouterNat": gcp_router_nat,
    "gcp:compute/interconnectAttachment:InterconnectAttachment": gcp_interconnect_attachment,
    "gcp:container/cluster:Cluster": gcp_gke_cluster,
    "gcp:container/nodePool:NodePool": gcp_node_pool,
    "gcp:cloudrunv2/service:Service": gcp_cloud_run,
    "gcp:kms/cryptoKey:CryptoKey": gcp_kms_key,
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": gcp_log_bucket,
    "gcp:monitoring/alertPolicy:AlertPolicy": gcp_alert_policy,
    "gcp:storage/bucket:Bucket": gcp_bucket,
    "gcp:storage/transferJob:TransferJob": gcp_transfer_job,
    "gcp:databasemigrationservice/connectionProfile:ConnectionProfile": gcp_connection_profile,
    "gcp:databasemigrationservice/migrationJob:MigrationJob": gcp_migration_job,
    "gcp:dns/managedZone:ManagedZone": gcp_managed_zone,
    "gcp:secretmanager/secret:Secret": gcp_secret,
    "azure-native:network:VirtualNetworkGateway": azure_vpn_gateway,
    "azure-native:network:VirtualNetworkGatewayConnection": azure_vpn_connection,
    "azure-native:network:ExpressRouteCircuit": azure_express_route,
    "azure-native:network:PublicIPAddress": azure_public_ip,
    "azure-native:network:AzureFirewall": azure_firewall,
    "azure-native:network:NatGateway": azure_nat_gateway,
    "azure-native:containerservice:ManagedCluster": azure_aks,
    "azure-native:containerservice:AgentPool": azure_agent_pool,
    "azure-native:app:ContainerApp": azure_container_app,
    "azure-native:keyvault:Vault": azure_key_vault,
    "azure-native:keyvault:Key": azure_vault_key,
    "azure-native:operationalinsights:Workspace": azure_workspace,
    "azure-native:storage:StorageAccount": azure_storage_account,
    "azure-native:network:FlowLog": azure_flow_log,
    "azure-native:monitor:ScheduledQueryRule": azure_query_rule,
    "azure-native:dbforpostgresql:Server": azure_flexible_server,
    "azure-native:dbformysql:Server": azure_flexible_server,
    "azure-native:datamigration:Service": azure_dms,
    "azure-native:datafactory:Pipeline": azure_adf_pipeline,
    "azure-native:trafficmanager:Profile": azure_traffic_manager,
    "azure-native:network:PrivateEndpoint": azure_private_endpoint,
    "aws:secretsmanager/secret:Secret": aws_secret,
    "aws:ecr/pullThroughCacheRule:PullThroughCacheRule": aws_pull_through_cache,
    "gcp:artifactregistry/repository:Repository": gcp_artifact_repository,
    "azure-native:containerregistry:Registry": azure_container_registry,
}

_IAM = "identity and access configuration has no charge"
_NET = "network configuration has no charge of its own"
_PART = "configuration of a priced parent (its cost is on that resource)"

# Types with no charge of their own, and why. A type in neither table fails tests/test_prices.py.
FREE: dict[str, str] = {
    **dict.fromkeys(
        (
            "aws:iam/role:Role",
            "aws:iam/rolePolicy:RolePolicy",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            "aws:ssoadmin/accountAssignment:AccountAssignment",
            "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
            "aws:ssoadmin/permissionSet:PermissionSet",
            "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
            "aws:kms/grant:Grant",
            "aws:kms/alias:Alias",
            "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
            "azure-native:authorization:RoleAssignment",
            "azure-native:authorization:RoleDefinition",
            "azure-native:managedidentity:UserAssignedIdentity",
            "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
            "gcp:projects/iAMAuditConfig:IAMAuditConfig",
            "gcp:projects/iAMCustomRole:IAMCustomRole",
            "gcp:projects/iAMMember:IAMMember",
            "gcp:projects/serviceIdentity:ServiceIdentity",
            "gcp:serviceaccount/account:Account",
            "gcp:secretmanager/secretIamMember:SecretIamMember",
            "gcp:storage/bucketIAMMember:BucketIAMMember",
            "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
            "gcp:serviceaccount/iAMMember:IAMMember",
            "gcp:projects/service:Service",
            "aws:eks/accessEntry:AccessEntry",
            "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
        ),
        _IAM,
    ),
    **dict.fromkeys(
        (
            "aws:ec2/vpc:Vpc",
            "aws:ec2/subnet:Subnet",
            "aws:ec2/routeTable:RouteTable",
            "aws:ec2/route:Route",
            "aws:ec2/routeTableAssociation:RouteTableAssociation",
            "aws:ec2/securityGroup:SecurityGroup",
            "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
            "aws:ec2/customerGateway:CustomerGateway",
            "aws:directconnect/gateway:Gateway",
            "aws:directconnect/gatewayAssociation:GatewayAssociation",
            "aws:route53/record:Record",
            "gcp:compute/network:Network",
            "gcp:compute/subnetwork:Subnetwork",
            "gcp:compute/route:Route",
            "gcp:compute/router:Router",
            "gcp:compute/routerInterface:RouterInterface",
            "gcp:compute/routerPeer:RouterPeer",
            "gcp:compute/externalVpnGateway:ExternalVpnGateway",
            "gcp:compute/firewall:Firewall",
            "gcp:compute/globalAddress:GlobalAddress",
            "gcp:servicenetworking/connection:Connection",
            "gcp:dns/recordSet:RecordSet",
            "azure-native:network:VirtualNetwork",
            "azure-native:network:Subnet",
            "azure-native:network:NetworkSecurityGroup",
            "azure-native:network:LocalNetworkGateway",
            "azure-native:network:NetworkWatcher",
            "azure-native:dns:RecordSet",
            "azure-native:resources:ResourceGroup",
        ),
        _NET,
    ),
    **dict.fromkeys(
        (
            "aws:ec2/launchTemplate:LaunchTemplate",
            "aws:ecs/taskDefinition:TaskDefinition",
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
            "aws:s3/bucketPolicy:BucketPolicy",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "aws:s3/bucketVersioning:BucketVersioning",
            "aws:dms/certificate:Certificate",
            "aws:dms/endpoint:Endpoint",
            "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup",
            "aws:dms/replicationTask:ReplicationTask",
            "aws:rds/parameterGroup:ParameterGroup",
            "aws:rds/subnetGroup:SubnetGroup",
            "aws:datasync/locationAzureBlob:LocationAzureBlob",
            "aws:datasync/locationObjectStorage:LocationObjectStorage",
            "aws:datasync/s3Location:S3Location",
            "gcp:kms/keyRing:KeyRing",
            "gcp:secretmanager/secretVersion:SecretVersion",
            "gcp:logging/projectSink:ProjectSink",
            "azure-native:storage:BlobContainer",
            "azure-native:storage:BlobServiceProperties",
            "azure-native:compute:DiskEncryptionSet",
            "azure-native:datafactory:Dataset",
            "azure-native:datafactory:LinkedService",
            "azure-native:datafactory:Trigger",
            "azure-native:datamigration:Project",
            "azure-native:datamigration:Task",
        ),
        _PART,
    ),
    "aws:ec2transitgateway/transitGateway:TransitGateway": "billed per attachment (VPC and VPN attachments)",
    "aws:ec2/flowLog:FlowLog": "billed as ingestion into its destination log group",
    "aws:ecs/cluster:Cluster": "an ECS cluster has no charge; its Fargate tasks are priced on the service",
    "aws:xray/encryptionConfig:EncryptionConfig": "settings; traces are billed per use, not estimated",
    "gcp:compute/haVpnGateway:HaVpnGateway": "billed per tunnel (gcp:compute/vPNTunnel)",
    "azure-native:app:ManagedEnvironment": "a consumption-only environment has no charge; its apps are priced",
    "azure-native:applicationinsights:Component": "workspace-based: billed as ingestion into its workspace",
    "azure-native:monitor:SubscriptionDiagnosticSetting": "activity log export is free; its destination is priced",
    "azure-native:datafactory:Factory": "billed per pipeline run and data movement (the pipeline)",
    "random:index/randomPassword:RandomPassword": "generated locally by Pulumi",
    # The organization layer: management-plane objects without a charge of their own (checked
    # 2026-12 against aws.amazon.com/organizations/pricing, aws.amazon.com/aws-cost-management/aws-budgets/pricing
    # (budgets without actions), cloud.google.com/resource-manager/pricing, Azure Policy and management
    # groups (no charge for Azure resources), Cloud Billing budgets (no charge)).
    **dict.fromkeys(
        (
            "aws:organizations/organization:Organization",
            "aws:organizations/organizationalUnit:OrganizationalUnit",
            "aws:organizations/account:Account",
            "aws:organizations/policy:Policy",
            "aws:organizations/policyAttachment:PolicyAttachment",
            "aws:organizations/delegatedAdministrator:DelegatedAdministrator",
            "aws:budgets/budget:Budget",
            "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount",
            "aws:guardduty/organizationConfiguration:OrganizationConfiguration",
            "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount",
            "aws:securityhub/organizationConfiguration:OrganizationConfiguration",
            "aws:cfg/configurationAggregator:ConfigurationAggregator",
            "aws:cfg/deliveryChannel:DeliveryChannel",
            "aws:cfg/recorderStatus:RecorderStatus",
            "aws:iam/serviceLinkedRole:ServiceLinkedRole",
            "gcp:organizations/folder:Folder",
            "gcp:organizations/project:Project",
            "gcp:orgpolicy/policy:Policy",
            "gcp:billing/budget:Budget",
            "gcp:monitoring/notificationChannel:NotificationChannel",
            "gcp:pubsub/topicIAMMember:TopicIAMMember",
            "azure-native:management:ManagementGroup",
            "azure-native:authorization:PolicyAssignment",
            "azure-native:consumption:Budget",
            "azure-native:subscription:Alias",
        ),
        "management plane: no charge of its own",
    ),
    "aws:securityhub/standardsSubscription:StandardsSubscription": "billed through the account's security checks",
    "gcp:securitycenter/notificationConfig:NotificationConfig": "billed as messages on its Pub/Sub topic",
    "gcp:logging/organizationSink:OrganizationSink": "routing is free; storage is billed in the destination bucket",
    "azure-native:monitor:ManagementGroupDiagnosticSetting": "export is free; its destination is priced",
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": "a setting of its bucket, priced there",
    "azure-native:features:SubscriptionFeatureRegistration": "registering a subscription feature has no charge",
    **dict.fromkeys(
        (
            "aws:ec2/internetGateway:InternetGateway",
            "aws:ec2transitgateway/route:Route",
            "aws:ec2transitgateway/routeTable:RouteTable",
            "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
            "aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter",
            "aws:route53/resolverRuleAssociation:ResolverRuleAssociation",
            "azure-native:dnsresolver:PrivateResolverVirtualNetworkLink",
            "azure-native:dnsresolver:ForwardingRule",
            "azure-native:network:PrivateDnsZoneGroup",
            "azure-native:network:RouteTable",
            "azure-native:privatedns:VirtualNetworkLink",
            "azure-native:monitor:PrivateLinkScopedResource",
            "gcp:compute/networkFirewallPolicyAssociation:NetworkFirewallPolicyAssociation",
        ),
        _NET,
    ),
    **dict.fromkeys(
        (
            "aws:networkfirewall/firewallPolicy:FirewallPolicy",
            "aws:networkfirewall/ruleGroup:RuleGroup",
            "aws:networkfirewall/loggingConfiguration:LoggingConfiguration",
            "azure-native:network:FirewallPolicyRuleCollectionGroup",
        ),
        _PART,
    ),
    "aws:route53/resolverRule:ResolverRule": "billed per query forwarded through its endpoints (priced there)",
    "azure-native:dnsresolver:DnsResolver": "billed through its inbound and outbound endpoints",
    "azure-native:monitor:DiagnosticSetting": "export is free; its destination is priced",
    "azure-native:monitor:PrivateLinkScope": "a Private Link scope has no charge; its private endpoint is priced",
    "azure-native:network:FirewallPolicy": "a policy used by one firewall has no charge of its own",
    "gcp:compute/networkFirewallPolicy:NetworkFirewallPolicy": "billed through its rules",
    "gcp:dns/policy:Policy": "billed per query it answers, not estimated",
    # Registries (registries.mirror): settings of a priced registry, or grants.
    **dict.fromkeys(
        (
            "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate",
            "aws:secretsmanager/secretVersion:SecretVersion",
            "azure-native:containerregistry:CacheRule",
        ),
        _PART,
    ),
    "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration": "basic scanning has no charge",
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": _IAM,
}


def _is_priced_type(type_: str) -> bool:
    return not type_.startswith("pulumi:")


def estimate(
    resources: Iterable[Resource],
    *,
    cat: Catalog | None = None,
    data_gb: dict[str, float] | None = None,
    change_gb: dict[str, float] | None = None,
) -> tuple[list[Estimate], list[str]]:
    """A cost estimate per billable resource (free ones left out), and the types with no rule at all."""
    cat = cat or catalog()
    every = list(resources)
    items = [r for r in every if r.custom and _is_priced_type(r.type)]
    ctx = Context(every, cat, data_gb=data_gb, change_gb=change_gb)
    out: list[Estimate] = []
    unknown: set[str] = set()
    for r in items:
        rule = RULES.get(r.type)
        if rule is None:
            if r.type not in FREE:
                unknown.add(r.type)
            continue
        cloud = cloud_of(r.type)
        region = region_of(r, ctx)
        usage = Usage()
        rule(r, ctx, usage)
        lines, total_min, total_max = [], 0.0, 0.0
        assumptions = list(usage.assumptions)
        for line in usage.lines:
            if line.usd is not None:
                usd, note = line.usd, line.price_note
            else:
                quote = cat.price(cloud, line.sku, region)
                usd, note = quote.usd, quote.basis
                if quote.estimated:
                    assumptions.append(f"{line.sku}: {quote.basis}")
            if line.sku == "egress-internet-gb" and line.usd is None:
                cost_min = cat.tiered(cloud, line.sku, line.qty_min)
                cost_max = cat.tiered(cloud, line.sku, line.qty_max)
            else:
                cost_min, cost_max = usd * line.qty_min, usd * line.qty_max
            total_min += cost_min
            total_max += cost_max
            lines.append(
                {
                    "sku": line.sku,
                    "usd_per_unit": usd,
                    "qty_min": round(line.qty_min, 4),
                    "qty_max": round(line.qty_max, 4),
                    "monthly_min": round(cost_min, 2),
                    "monthly_max": round(cost_max, 2),
                    "price": note,
                    **({"note": line.note} if line.note else {}),
                }
            )
        out.append(
            Estimate(
                urn=r.urn,
                type=r.type,
                cloud=cloud,
                region=region,
                monthly_min=round(total_min, 2),
                monthly_max=round(total_max, 2),
                assumptions=assumptions,
                lines=lines,
                unpriced=usage.unpriced,
            )
        )
    out.sort(key=lambda e: e.urn)
    return out, sorted(unknown)
