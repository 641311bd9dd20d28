"""The `deploy-` family: would the clouds accept this graph on a first `pulumi up` into a fresh
account, project and subscription? Rules and their sources are the tables of `lz.policies.deploy_rules`.

* `deploy-names`: every physical name fits its service's documented characters and length.
* `deploy-api-enabled-first`: a GCP resource depends, directly or through other resources, on the
  `gcp.projects.Service` that enables the API it calls (Pulumi creates unrelated resources in
  parallel, and a disabled API refuses the call).
* `deploy-service-agent-first`: a grant to a Google service agent depends on what creates that agent:
  its API, its `gcp.projects.ServiceIdentity`, or (for agents made by a look-up) the API the
  look-up waits for.
* `deploy-prerequisite-first`: AKS host encryption depends on the `Microsoft.Compute/EncryptionAtHost`
  feature registration; a KMS grant to an AWS service-linked role depends on that role.
* `deploy-no-cloud-singletons`: nothing the cloud creates itself, one per scope, is created by the
  stack (Azure Network Watcher and its `NetworkWatcherRG`); no one-per-scope resource twice.
* `deploy-unique-global-names`: no two resources in the graph claim the same globally unique name
  (buckets, storage accounts, key vaults, data factories).
* `deploy-cluster-access` (the cloud accepts such a graph, but nobody could use what it built):
  an EKS cluster with API authentication and no creator bootstrap admin has an access policy
  association; an AKS cluster with local accounts off and Azure RBAC on has an AKS RBAC role
  assignment at its scope.

What it deliberately does not do: ask a cloud whether a global name is taken elsewhere, or judge
quotas (lz.review.quotas reports those). APIs enabled by another program are declared with the policy
config `apisEnabledOutside`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from . import deploy_rules as rules
from ._support import Outcome, attach, config_list, get, items

_RULES_BY_TYPE: dict[str, list[rules.NameRule]] = {}
for _rule in rules.NAME_RULES:
    for _t in _rule.types:
        _RULES_BY_TYPE.setdefault(_t, []).append(_rule)

SERVICE_TYPE = "gcp:projects/service:Service"
IDENTITY_TYPE = "gcp:projects/serviceIdentity:ServiceIdentity"


# --- names ---------------------------------------------------------------------------------------


def _validate_names(args: ResourceValidationArgs, report: ReportViolation) -> None:
    outcome = Outcome()
    for rule in _RULES_BY_TYPE.get(args.resource_type, []):
        value = outcome.attempt(get, args.props, rule.prop)
        if not isinstance(value, str):
            continue
        problems = rule.problems(value)
        if problems:
            outcome.problems.append(
                f"`{rule.prop}` {value!r} breaks the {rule.rule} naming rule ({'; '.join(problems)}): "
                f"{rule.text}. Source: {rule.source}"
            )
    outcome.finish(report)


# --- the dependency graph ------------------------------------------------------------------------


class _Deps:
    """Transitive dependencies of each resource (dependencies and property dependencies)."""

    def __init__(self, resources: list[PolicyResource]) -> None:
        self.direct: dict[str, set[str]] = {}
        for r in resources:
            deps = {d.urn for d in (r.dependencies or [])}
            for values in (r.property_dependencies or {}).values():
                deps |= {d.urn for d in values}
            self.direct[r.urn] = deps
        self.memo: dict[str, frozenset[str]] = {}

    def closure(self, urn: str) -> frozenset[str]:
        if urn in self.memo:
            return self.memo[urn]
        seen: set[str] = set()
        stack = list(self.direct.get(urn, ()))
        while stack:
            u = stack.pop()
            if u in seen:
                continue
            seen.add(u)
            if u in self.memo:
                seen |= self.memo[u]
                continue
            stack.extend(self.direct.get(u, ()))
        self.memo[urn] = frozenset(seen)
        return self.memo[urn]


def _str(resource: PolicyResource, path: str) -> str | None:
    try:
        value = get(resource.props, path)
    except UnknownValueError:
        return None
    return value if isinstance(value, str) else None


def _enablers(args: StackValidationArgs, resource_type: str, key: str) -> dict[str, list[str]]:
    """value of `key` (an API name) -> URNs of the resources of `resource_type` that carry it."""
    out: dict[str, list[str]] = {}
    for r in args.resources:
        if r.resource_type == resource_type:
            value = _str(r, key)
            if value:
                out.setdefault(value, []).append(r.urn)
    return out


def _outside(args: StackValidationArgs) -> set[str]:
    return set(config_list(args, "apisEnabledOutside", []) or [])


PROJECT_TYPE = "gcp:organizations/project:Project"


def _validate_apis(args: StackValidationArgs, report: ReportViolation) -> None:
    services = _enablers(args, SERVICE_TYPE, "service")
    # A graph that creates projects owns their APIs: a new project starts with next to none enabled.
    vends_projects = any(r.resource_type == PROJECT_TYPE for r in args.resources)
    outside = _outside(args)
    deps = _Deps(args.resources)
    for r in args.resources:
        if r.resource_type in (SERVICE_TYPE, IDENTITY_TYPE):
            continue
        api = rules.gcp_api_for(r.resource_type)
        if api is None or api in outside:
            continue
        enabling = services.get(api, [])
        if not enabling and not services and not vends_projects:
            # The graph enables no API at all and creates no project: its APIs are managed elsewhere
            # (a platform team's project factory, another program), and nothing here races them.
            continue
        if not enabling:
            report(
                f"needs {api}, which nothing in the graph enables: add a gcp.projects.Service for it and "
                f"depend on it (or list the API in `apisEnabledOutside`). Source: {rules.SERVICE_USAGE_SOURCE}",
                r.urn,
            )
        elif not deps.closure(r.urn) & set(enabling):
            report(
                f"needs {api} but does not depend on the gcp.projects.Service that enables it "
                f"({enabling[0].rsplit('::', 1)[-1]}); a first `pulumi up` would race the enablement and fail "
                f"with SERVICE_DISABLED. Add it to depends_on. Source: {rules.SERVICE_USAGE_SOURCE}",
                r.urn,
            )


def _members(r: PolicyResource) -> list[str]:
    out: list[str] = []
    for key in ("member", "members", "granteePrincipal"):
        try:
            value = get(r.props, key)
        except UnknownValueError:
            continue
        out.extend(str(v) for v in items(value) if isinstance(v, str))
    return out


def _validate_agents(args: StackValidationArgs, report: ReportViolation) -> None:
    services = _enablers(args, SERVICE_TYPE, "service")
    identities = _enablers(args, IDENTITY_TYPE, "service")
    outside = _outside(args)
    deps = _Deps(args.resources)
    for r in args.resources:
        if not r.resource_type.startswith("gcp:"):
            continue
        for member in _members(r):
            agent = rules.agent_for(member)
            if agent is None:
                continue
            closure = deps.closure(r.urn)
            if agent.created_by == "identity":
                if not closure & set(identities.get(agent.api, [])):
                    report(
                        f"grants to the {agent.api} service agent ({member}), which exists only once "
                        f"services.generateServiceIdentity ran: create a gcp.projects.ServiceIdentity for "
                        f"{agent.api} and depend on it. Source: {rules.SERVICE_AGENTS_SOURCE}",
                        r.urn,
                    )
            elif agent.api not in outside and not closure & set(
                services.get(agent.api, []) + identities.get(agent.api, [])
            ):
                how = "enabling" if agent.created_by == "api" else "a look-up that waits for"
                report(
                    f"grants to the {agent.api} service agent ({member}), which is created by {how} "
                    f"{agent.api}; this grant does not depend on that gcp.projects.Service. "
                    f"Source: {rules.SERVICE_AGENTS_SOURCE}",
                    r.urn,
                )


def _validate_prerequisites(args: StackValidationArgs, report: ReportViolation) -> None:
    deps = _Deps(args.resources)
    features: dict[tuple[str, str], list[str]] = {}
    roles: dict[str, list[str]] = {}
    for r in args.resources:
        if r.resource_type == rules.FEATURE_TYPE:
            key = ((_str(r, "providerNamespace") or "").lower(), (_str(r, "featureName") or "").lower())
            features.setdefault(key, []).append(r.urn)
        elif r.resource_type == rules.SLR_TYPE:
            service = _str(r, "awsServiceName")
            if service:
                roles.setdefault(service, []).append(r.urn)
    fah = rules.ENCRYPTION_AT_HOST
    needed = features.get((fah.namespace.lower(), fah.feature.lower()), [])
    for r in args.resources:
        if r.resource_type == "azure-native:containerservice:ManagedCluster":
            pools = items(_attempt_get(r, "agentPoolProfiles"))
            host = any(isinstance(p, Mapping) and _is_true(p, "enableEncryptionAtHost") for p in pools)
        elif r.resource_type == "azure-native:containerservice:AgentPool":
            host = _is_true(r.props, "enableEncryptionAtHost")
        else:
            host = False
        if host and not deps.closure(r.urn) & set(needed):
            report(
                f"uses encryption at host, which needs the {fah.namespace}/{fah.feature} feature registered "
                f"in the subscription; depend on an {rules.FEATURE_TYPE} for it. Source: {fah.source}",
                r.urn,
            )
        if r.resource_type.startswith("aws:"):
            for member in _members(r) + _principals(r):
                match = rules.SLR_ARN.search(member)
                if match and not deps.closure(r.urn) & set(roles.get(match.group(1), [])):
                    report(
                        f"names the service-linked role {match.group(2)} ({match.group(1)}), which does not "
                        f"exist in a fresh account until created: add an aws.iam.ServiceLinkedRole for "
                        f"{match.group(1)} and depend on it. Source: {rules.SLR_SOURCE}",
                        r.urn,
                    )


def _attempt_get(r: PolicyResource, path: str) -> Any:
    try:
        return get(r.props, path)
    except UnknownValueError:
        return None


def _is_true(props: Any, path: str) -> bool:
    try:
        value = get(props, path)
    except UnknownValueError:
        return False
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _principals(r: PolicyResource) -> list[str]:
    """ARNs in a key policy (aws:kms/key `policy`, aws:kms/keyPolicy `policy`)."""
    if r.resource_type not in ("aws:kms/key:Key", "aws:kms/keyPolicy:KeyPolicy"):
        return []
    text = _str(r, "policy") or ""
    return [m.group(0) for m in rules.SLR_ARN.finditer(text)]


# --- singletons and global names -----------------------------------------------------------------


def _provider_key(r: PolicyResource) -> str:
    provider = getattr(r, "provider", None)
    return getattr(provider, "urn", "") or ""


def _validate_singletons(args: StackValidationArgs, report: ReportViolation) -> None:
    made = {t: s for s in rules.CLOUD_MADE for t in s.types}
    seen: dict[tuple[Any, ...], str] = {}
    for r in args.resources:
        if r.resource_type in made:
            s = made[r.resource_type]
            report(f"creates an {s.what}: {s.why}. Source: {s.source}", r.urn)
        if (
            r.resource_type == "azure-native:resources:ResourceGroup"
            and (_str(r, "resourceGroupName") or "").lower() == rules.NETWORK_WATCHER_GROUP.lower()
        ):
            report(
                f"creates the resource group {rules.NETWORK_WATCHER_GROUP}, which Azure creates for Network "
                f"Watcher; destroying the stack would delete every region's watcher. "
                f"Source: {rules.CLOUD_MADE[0].source}",
                r.urn,
            )
        if r.resource_type in rules.ONE_PER_SCOPE:
            key = (
                r.resource_type,
                _provider_key(r),
                *[str(_attempt_get(r, k) or "").lower() for k in rules.ONE_PER_SCOPE[r.resource_type]],
            )
            if key in seen:
                report(
                    f"a second {r.resource_type} in the same scope as {seen[key].rsplit('::', 1)[-1]}; the cloud "
                    "allows one",
                    r.urn,
                )
            else:
                seen[key] = r.urn


def _validate_global_names(args: StackValidationArgs, report: ReportViolation) -> None:
    claimed: dict[tuple[str, str], str] = {}
    for r in args.resources:
        for rule in _RULES_BY_TYPE.get(r.resource_type, []):
            if not rule.global_scope:
                continue
            value = _str(r, rule.prop)
            if not value:
                continue
            key = (rule.rule, value.lower())
            if key in claimed:
                report(
                    f"`{rule.prop}` {value!r} is also claimed by {claimed[key].rsplit('::', 1)[-1]}; {rule.rule} "
                    f"names are unique across the cloud, so the second create fails. Source: {rule.source}",
                    r.urn,
                )
            else:
                claimed[key] = r.urn


EKS_CLUSTER = "aws:eks/cluster:Cluster"
EKS_ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"
AKS_CLUSTER = "azure-native:containerservice:ManagedCluster"
ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment"
# AKS RBAC Reader, Writer, Admin, Cluster Admin (https://learn.microsoft.com/azure/aks/manage-azure-rbac)
AKS_RBAC_ROLES = (
    "7f6c6a51-bcf8-42ba-9220-52d62157d7db",
    "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb",
    "3498e952-d568-435e-9b2c-8d77e338d7f7",
    "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
)


def _validate_cluster_access(args: StackValidationArgs, report: ReportViolation) -> None:
    eks, associations = attach(args, (EKS_CLUSTER,), (EKS_ASSOCIATION,), ref="clusterName", subject_name="name")
    for cluster in eks:
        mode = _str(cluster, "accessConfig.authenticationMode")
        bootstrap = _attempt_get(cluster, "accessConfig.bootstrapClusterCreatorAdminPermissions")
        if (
            mode == "API"
            and bootstrap is False
            and not associations.by_subject[cluster.urn]
            and not associations.dangling_unknown
        ):
            report(
                "authenticates through access entries only and gives its creator no admin, but no access policy "
                "association names it: nobody can use the cluster. Add aws.eks.AccessEntry and "
                "AccessPolicyAssociation for the roles that run it. Source: "
                "https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html",
                cluster.urn,
            )
    aks, assignments = attach(args, (AKS_CLUSTER,), (ROLE_ASSIGNMENT,), ref="scope", subject_name="resourceName")
    for cluster in aks:
        local_off = _is_true(cluster.props, "disableLocalAccounts")
        azure_rbac = _is_true(cluster.props, "aadProfile.enableAzureRBAC")
        roles = [_str(a, "roleDefinitionId") or "" for a in assignments.by_subject[cluster.urn]]
        if (
            local_off
            and azure_rbac
            and not any(r.endswith(AKS_RBAC_ROLES) for r in roles)
            and not assignments.dangling_unknown
        ):
            report(
                "has local accounts off and Azure RBAC on, but no AKS RBAC role is assigned at its scope: nobody "
                "can use the cluster. Assign Azure Kubernetes Service RBAC Reader/Writer/Cluster Admin to the "
                "role catalog's groups. Source: https://learn.microsoft.com/azure/aks/manage-azure-rbac",
                cluster.urn,
            )


def _types(names: Iterable[str]) -> str:
    return ", ".join(sorted(set(names)))


_APIS_SCHEMA = PolicyConfigSchema(
    properties={
        "apisEnabledOutside": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": "GCP APIs (e.g. container.googleapis.com) enabled by another program before this one runs.",
        },
    }
)

deploy_names = ResourceValidationPolicy(
    name="deploy-names",
    description="Physical names follow their service's documented characters and length.",
    validate=_validate_names,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Build the name per the rule quoted in the finding (lz.core.naming has builders per service). "
    "Types: " + _types(t for r in rules.NAME_RULES for t in r.types),
)

deploy_api_enabled_first = StackValidationPolicy(
    name="deploy-api-enabled-first",
    description="GCP resources depend on the gcp.projects.Service enabling the API they call.",
    validate=_validate_apis,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    config_schema=_APIS_SCHEMA,
    remediation_steps="Pass the API's gcp.projects.Service in `depends_on` (directly or through a resource that "
    "depends on it).",
)

deploy_service_agent_first = StackValidationPolicy(
    name="deploy-service-agent-first",
    description="Grants to Google service agents depend on what creates the agent.",
    validate=_validate_agents,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    config_schema=_APIS_SCHEMA,
    remediation_steps="Create gcp.projects.ServiceIdentity for agents made by generateServiceIdentity, take the "
    "agent's email from its output (or from the service's look-up), and depend on it.",
)

deploy_prerequisite_first = StackValidationPolicy(
    name="deploy-prerequisite-first",
    description="Feature registrations and service-linked roles exist before what needs them.",
    validate=_validate_prerequisites,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Add azure-native features.SubscriptionFeatureRegistration (Microsoft.Compute/"
    "EncryptionAtHost) or aws.iam.ServiceLinkedRole and depend on it.",
)

deploy_no_cloud_singletons = StackValidationPolicy(
    name="deploy-no-cloud-singletons",
    description="Nothing the cloud creates itself (one per scope) is created or owned by the stack.",
    validate=_validate_singletons,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Reference the cloud's own resource by name (Network Watcher: networkWatcherName "
    "NetworkWatcher_<region>, resourceGroupName NetworkWatcherRG) instead of creating it.",
)

deploy_unique_global_names = StackValidationPolicy(
    name="deploy-unique-global-names",
    description="No two resources of the graph claim the same globally unique name.",
    validate=_validate_global_names,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Give each resource its own name (lz.core.naming adds a stable hash of its logical name).",
)

deploy_cluster_access = StackValidationPolicy(
    name="deploy-cluster-access",
    description="Managed Kubernetes clusters without local or bootstrap admins grant someone access.",
    validate=_validate_cluster_access,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="EKS: aws.eks.AccessEntry plus aws.eks.AccessPolicyAssociation (AmazonEKSViewPolicy, "
    "AmazonEKSEditPolicy, AmazonEKSClusterAdminPolicy). AKS: azure-native RoleAssignment of an AKS "
    "RBAC role with the cluster's id as scope.",
)

POLICIES = [
    deploy_names,
    deploy_api_enabled_first,
    deploy_service_agent_first,
    deploy_prerequisite_first,
    deploy_no_cloud_singletons,
    deploy_unique_global_names,
    deploy_cluster_access,
]
