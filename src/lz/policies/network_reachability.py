"""`network-workload-reachability` (stack policy): every workload has a path to what it must reach.

The analysis itself is `lz.policies.reachability` (pure, over plain nodes); this module turns the
policy's view of the stack into those nodes and each missing path into a mandatory finding naming
the workload, the destination and what is missing. A resource whose properties are unknown at
preview makes the whole judgement wait ("cannot tell yet"): the policy reports nothing and raises the
unknown, which `lz` records as undecided; it runs again under `pulumi preview` and `pulumi up`.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from . import reachability, reachability_links
from ._support import plain, provider_setting

# Only these types are read; everything else is skipped without touching its properties.
RELEVANT_PREFIXES = (
    "aws:ec2/",
    "aws:networkfirewall/",
    "aws:eks/nodeGroup",
    "aws:ecs/",
    "aws:route53/",
    "gcp:compute/",
    "gcp:dns/",
    "gcp:container/cluster",
    "gcp:cloudrunv2/service",  # services and their IAM members, bindings and policies
    "gcp:projects/iAM",
    "gcp:databasemigrationservice/",
    "gcp:servicenetworking/",
    "aws:ec2transitgateway/",
    "azure-native:privatedns:",
    "azure-native:operationalinsights:Workspace",
    "azure-native:applicationinsights:Component",
    "azure-native:monitor:PrivateLinkScope",  # scopes and scoped resources
    "azure-native:monitor:DiagnosticSetting",
    "azure-native:monitor:SubscriptionDiagnosticSetting",
    "azure-native:monitor:ManagementGroupDiagnosticSetting",
    "azure-native:storage:StorageAccount",
    "azure-native:app:ContainerApp",
    "azure-native:app:ManagedEnvironment",
    "azure-native:containerregistry:Registry",
    "azure-native:cognitiveservices:Account",
    "gcp:projects/service:Service",
    "azure-native:dnsresolver:",
    "azure-native:containerservice:ManagedCluster",
    "azure-native:network:",
)


def nodes_of(args: StackValidationArgs) -> tuple[list[reachability.Node], UnknownValueError | None]:
    nodes: list[reachability.Node] = []
    unknown: UnknownValueError | None = None
    for r in args.resources:
        if not r.resource_type.startswith(RELEVANT_PREFIXES):
            continue
        try:
            if r.resource_type.startswith("gcp:projects/iAM") and r.resource_type != "gcp:projects/iAMPolicy:IAMPolicy":
                # Only Cloud Run invoker grants matter here: skip the others before reading their
                # members, which are often unknown at preview.
                if r.props.get("role") not in reachability_links.INVOKER_ROLES:
                    continue
            props: Any = plain(r.props)
            region = None
            if r.resource_type.startswith("aws:"):
                region = props.get("region") or provider_setting(r.provider, "region")
        except UnknownValueError as exc:
            unknown = unknown or exc
            continue
        deps = {k: [d.urn for d in v] for k, v in (r.property_dependencies or {}).items()}
        nodes.append(reachability.Node(r.urn, r.resource_type, props, deps, str(region) if region else None))
    return nodes, unknown


def _validate(args: StackValidationArgs, report: ReportViolation) -> None:
    nodes, unknown = nodes_of(args)
    if unknown is not None:
        # A route, endpoint or firewall rule not known until deploy may be the missing path: the
        # whole judgement waits ("cannot tell yet"), so no finding rests on a value not yet known.
        raise unknown
    for finding in reachability.analyse(nodes):
        report(finding.message, finding.urn)


network_workload_reachability = StackValidationPolicy(
    name="network-workload-reachability",
    description="Every workload (EKS node groups, ECS services, GKE clusters, Cloud Run services with VPC egress, "
    "AKS clusters, DMS migration jobs, Container Apps environments and their pulls from Azure Container "
    "Registry, the GPU clusters' managed AI services) "
    "has a network path to what it must reach (container registries, cloud APIs, the OTLP endpoint, the source "
    "database), each cloud resolves the others' private zones, every region joins its cloud's network, IAM-checked "
    "Cloud Run services have an invoker, private-query Azure Monitor stores a Private Link Scope, and log "
    "stores the trusted-services path their Azure writers need.",
    validate=_validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Give the workload's subnets a path: interface endpoints with private DNS for the cloud's APIs "
    "(AWS), Private Google Access with private zones for pkg.dev and gcr.io (GCP), or an egress "
    "path (`egress.mode: nat | firewall` in the landing-zone spec) with the destination in "
    "`egress.allow`; for container images, `registries.mirror: true` pulls them from a cache in the workload's "
    "own cloud and region (ECR, Artifact Registry, Azure Container Registry with a private endpoint). "
    "For names across clouds, forward each cloud's private domain to the other "
    "clouds' inbound resolvers (cross-cloud DNS is built when the interconnect joins two clouds). "
    "Grant roles/run.invoker on an IAM-checked Cloud Run service to its callers; put a private-query Log "
    "Analytics workspace or Application Insights in an Azure Monitor Private Link Scope with a private endpoint; "
    "keep public network access enabled, with the AzureServices bypass, on storage accounts that flow logs and "
    "diagnostic settings write to; peer every region's transit gateway (accepted) and VNet (both directions) with "
    "the others; give a DMS job's VPC a route to the source address; create one private services connection per "
    "VPC and share its ranges.",
)

POLICIES: list[Any] = [network_workload_reachability]
