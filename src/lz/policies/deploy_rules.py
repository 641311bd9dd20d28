"""The clouds' documented deployment rules, as data: names, APIs, service agents, prerequisites.

The `deploy-` policies (`lz.policies.deploy`) judge a graph with these tables, and
`lz.review.prerequisites` renders the same tables into docs/prerequisites.md, so the page and the checks
cannot drift apart. Every rule carries the document it was read from (read 2026-12).

What it deliberately does not hold: quotas (lz.review.quotas), prices, or anything that needs a live
account to answer (whether a name is taken outside the graph).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- names ---------------------------------------------------------------------------------------

AZURE_NAMES = "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules"
ADF_NAMES = "https://learn.microsoft.com/azure/data-factory/naming-rules"
GCP_RFC1035 = "https://cloud.google.com/compute/docs/naming-resources"


@dataclass(frozen=True)
class NameRule:
    rule: str  # short id, part of every finding: `deploy-names` names it
    types: tuple[str, ...]
    prop: str  # the input that holds the physical name
    pattern: str  # full-match regex
    min_len: int
    max_len: int
    text: str  # the rule as the documentation states it
    source: str
    global_scope: bool = False  # unique across the cloud, not only its parent

    def problems(self, value: str) -> list[str]:
        out = []
        if not self.min_len <= len(value) <= self.max_len:
            out.append(f"{len(value)} characters, allowed {self.min_len}-{self.max_len}")
        if not re.fullmatch(self.pattern, value):
            out.append("characters or their placement not allowed")
        return out


NAME_RULES: tuple[NameRule, ...] = (
    # Azure Data Factory (ADF_NAMES): the factory name is global, letters, digits and single
    # hyphens; linked services, datasets, pipelines and triggers may not contain '-' (nor . + ? / < > *
    # % & : \), and must start with a letter, digit or underscore.
    NameRule(
        "adf-factory",
        ("azure-native:datafactory:Factory",),
        "factoryName",
        r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*",
        3,
        63,
        "letters, digits and single hyphens, starting and ending with a letter or digit (global)",
        ADF_NAMES,
        True,
    ),
    NameRule(
        "adf-linked-service",
        ("azure-native:datafactory:LinkedService",),
        "linkedServiceName",
        r"[A-Za-z0-9_][A-Za-z0-9_ ]*",
        1,
        260,
        "letters, digits and underscores (no dash), starting with a letter, digit or underscore",
        ADF_NAMES,
    ),
    NameRule(
        "adf-dataset",
        ("azure-native:datafactory:Dataset",),
        "datasetName",
        r"[A-Za-z0-9_][A-Za-z0-9_ ]*",
        1,
        260,
        "letters, digits and underscores (no dash), starting with a letter, digit or underscore",
        ADF_NAMES,
    ),
    NameRule(
        "adf-pipeline",
        ("azure-native:datafactory:Pipeline",),
        "pipelineName",
        r"[A-Za-z0-9_][^.+?/<>*%&:\\]*",
        1,
        260,
        "starts with a letter, digit or underscore; none of . + ? / < > * % & : \\",
        ADF_NAMES,
    ),
    NameRule(
        "adf-trigger",
        ("azure-native:datafactory:Trigger",),
        "triggerName",
        r"[A-Za-z0-9_][^.+?/<>*%&:\\]*",
        1,
        260,
        "starts with a letter, digit or underscore; none of . + ? / < > * % & : \\",
        ADF_NAMES,
    ),
    # Azure resource name rules (AZURE_NAMES), Microsoft.Storage / KeyVault / ContainerService / ...
    NameRule(
        "azure-storage-account",
        ("azure-native:storage:StorageAccount",),
        "accountName",
        r"[a-z0-9]+",
        3,
        24,
        "lowercase letters and digits only (global)",
        AZURE_NAMES,
        True,
    ),
    NameRule(
        "azure-key-vault",
        ("azure-native:keyvault:Vault",),
        "vaultName",
        r"[A-Za-z](?!.*--)[A-Za-z0-9-]*[A-Za-z0-9]",
        3,
        24,
        "letters, digits and hyphens; starts with a letter, ends with a letter or digit, no '--' (global)",
        AZURE_NAMES,
        True,
    ),
    NameRule(
        "azure-resource-group",
        ("azure-native:resources:ResourceGroup",),
        "resourceGroupName",
        r"[-\w._()]*[-\w_()]",
        1,
        90,
        "letters, digits, underscores, parentheses, hyphens and periods; not ending in a period",
        AZURE_NAMES,
    ),
    NameRule(
        "aks-cluster",
        ("azure-native:containerservice:ManagedCluster",),
        "resourceName",
        r"[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?",
        1,
        63,
        "letters, digits, underscores and hyphens; starts and ends with a letter or digit",
        AZURE_NAMES,
    ),
    # AKS node pools: https://learn.microsoft.com/azure/aks/create-node-pools (Linux: 1-12 lowercase
    # letters and digits, starting with a letter).
    NameRule(
        "aks-agent-pool",
        ("azure-native:containerservice:AgentPool",),
        "agentPoolName",
        r"[a-z][a-z0-9]*",
        1,
        12,
        "lowercase letters and digits, starting with a letter (Linux pools)",
        "https://learn.microsoft.com/azure/aks/create-node-pools",
    ),
    NameRule(
        "azure-log-analytics",
        ("azure-native:operationalinsights:Workspace",),
        "workspaceName",
        r"[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]",
        4,
        63,
        "letters, digits and hyphens; starts and ends with a letter or digit",
        AZURE_NAMES,
    ),
    NameRule(
        "azure-container-app",
        ("azure-native:app:ContainerApp",),
        "containerAppName",
        r"[a-z](?!.*--)[a-z0-9-]*[a-z0-9]",
        2,
        32,
        "lowercase letters, digits and hyphens; starts with a letter, ends with a letter or digit, no '--'",
        AZURE_NAMES,
    ),
    NameRule(
        # The account name is also its custom subdomain here (lz.components.paths.openai), which is
        # global: 2-64 letters, digits and '-', not starting or ending with '-' ("Custom subdomain
        # names for Azure AI services", learn.microsoft.com/azure/ai-services/
        # cognitive-services-custom-subdomains, read 2026-12-05).
        "azure-cognitive-account",
        ("azure-native:cognitiveservices:Account",),
        "accountName",
        r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?",
        2,
        64,
        "letters, digits and hyphens; starts and ends with a letter or digit (the custom subdomain is global)",
        AZURE_NAMES,
        True,
    ),
    NameRule(
        "azure-managed-identity",
        ("azure-native:managedidentity:UserAssignedIdentity",),
        "resourceName",
        r"[A-Za-z0-9][A-Za-z0-9_-]*",
        3,
        128,
        "letters, digits, hyphens and underscores; starts with a letter or digit",
        AZURE_NAMES,
    ),
    NameRule(
        "azure-vnet",
        ("azure-native:network:VirtualNetwork",),
        "virtualNetworkName",
        r"[A-Za-z0-9]([\w.-]*[\w])?",
        2,
        64,
        "letters, digits, underscores, periods and hyphens; starts with a letter or digit, ends with a "
        "letter, digit or underscore",
        AZURE_NAMES,
    ),
    # GCP
    NameRule(
        "gcp-service-account",
        ("gcp:serviceaccount/account:Account",),
        "accountId",
        r"[a-z]([-a-z0-9]*[a-z0-9])",
        6,
        30,
        "6-30 lowercase letters, digits and hyphens; starts with a letter, ends with a letter or digit",
        "https://cloud.google.com/iam/docs/service-accounts-create#creating",
    ),
    NameRule(
        "gcp-custom-role",
        ("gcp:projects/iAMCustomRole:IAMCustomRole",),
        "roleId",
        r"[a-zA-Z0-9_.]+",
        3,
        64,
        "letters, digits, underscores and periods",
        "https://cloud.google.com/iam/docs/reference/rest/v1/projects.roles/create",
    ),
    NameRule(
        "gke-cluster",
        ("gcp:container/cluster:Cluster",),
        "name",
        r"[a-z]([-a-z0-9]*[a-z0-9])?",
        1,
        40,
        "lowercase letters, digits and hyphens; starts with a letter, ends with a letter or digit",
        "https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters",
    ),
    NameRule(
        "gke-node-pool",
        ("gcp:container/nodePool:NodePool",),
        "name",
        r"[a-z]([-a-z0-9]*[a-z0-9])?",
        1,
        40,
        "lowercase letters, digits and hyphens; starts with a letter, ends with a letter or digit",
        "https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters.nodePools",
    ),
    NameRule(
        "gcp-compute",
        (
            "gcp:compute/network:Network",
            "gcp:compute/subnetwork:Subnetwork",
            "gcp:compute/router:Router",
            "gcp:compute/firewall:Firewall",
            "gcp:compute/haVpnGateway:HaVpnGateway",
            "gcp:compute/vPNTunnel:VPNTunnel",
            "gcp:compute/externalVpnGateway:ExternalVpnGateway",
            "gcp:compute/globalAddress:GlobalAddress",
            "gcp:compute/route:Route",
        ),
        "name",
        r"[a-z]([-a-z0-9]*[a-z0-9])?",
        1,
        63,
        "RFC 1035: lowercase letters, digits and hyphens; starts with a letter, ends with a letter or digit",
        GCP_RFC1035,
    ),
    NameRule(
        "gcs-bucket",
        ("gcp:storage/bucket:Bucket",),
        "name",
        r"[a-z0-9][a-z0-9_.-]*[a-z0-9]",
        3,
        63,
        "lowercase letters, digits, '-', '_' and '.'; starts and ends with a letter or digit (global)",
        "https://cloud.google.com/storage/docs/buckets#naming",
        True,
    ),
    NameRule(
        "gcp-kms",
        ("gcp:kms/keyRing:KeyRing", "gcp:kms/cryptoKey:CryptoKey"),
        "name",
        r"[a-zA-Z0-9_-]+",
        1,
        63,
        "letters, digits, underscores and hyphens",
        "https://cloud.google.com/kms/docs/create-key-ring",
    ),
    NameRule(
        "cloud-run",
        ("gcp:cloudrunv2/service:Service",),
        "name",
        r"[a-z]([-a-z0-9]*[a-z0-9])?",
        1,
        49,
        "lowercase letters, digits and hyphens; starts with a letter, not ending with a hyphen; under 50",
        "https://cloud.google.com/run/docs/reference/rest/v2/projects.locations.services/create",
    ),
    # AWS
    NameRule(
        "s3-bucket",
        ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"),
        "bucket",
        r"[a-z0-9][a-z0-9.-]*[a-z0-9]",
        3,
        63,
        "lowercase letters, digits, '.' and '-'; starts and ends with a letter or digit (global)",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
        True,
    ),
    NameRule(
        "iam-role",
        ("aws:iam/role:Role",),
        "name",
        r"[\w+=,.@-]+",
        1,
        64,
        "letters, digits and + = , . @ _ -",
        "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
    ),
    NameRule(
        "eks-cluster",
        ("aws:eks/cluster:Cluster",),
        "name",
        r"[0-9A-Za-z][A-Za-z0-9_-]*",
        1,
        100,
        "letters, digits, hyphens and underscores; starts with a letter or digit",
        "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html",
    ),
    NameRule(
        "eks-node-group",
        ("aws:eks/nodeGroup:NodeGroup",),
        "nodeGroupName",
        r"[0-9A-Za-z][A-Za-z0-9_-]*",
        1,
        63,
        "letters, digits, hyphens and underscores; starts with a letter or digit",
        "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html",
    ),
    NameRule(
        "kms-alias",
        ("aws:kms/alias:Alias",),
        "name",
        r"alias/(?!aws/)[a-zA-Z0-9/_-]+",
        7,
        256,
        "'alias/' then letters, digits, '/', '_' and '-'; never 'alias/aws/'",
        "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html",
    ),
    NameRule(
        "cloudtrail",
        ("aws:cloudtrail/trail:Trail",),
        "name",
        r"[A-Za-z0-9](?!.*[._-]{2})[A-Za-z0-9._-]*[A-Za-z0-9]",
        3,
        128,
        "letters, digits, '.', '_' and '-'; starts and ends with a letter or digit; no adjacent separators",
        "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html",
    ),
    # Registries (registries.mirror), read 2026-12: ACR registries and cache rules (REST API "Cache Rules -
    # Create", learn.microsoft.com/rest/api/container-registry/cache-rules/create), ECR pull-through cache
    # prefixes (AWS::ECR::PullThroughCacheRule EcrRepositoryPrefix), Artifact Registry repository ids
    # (cloud.google.com/artifact-registry/docs/repositories/create-repos), Secrets Manager secret names
    # (API_CreateSecret Name).
    NameRule(
        "acr-registry",
        ("azure-native:containerregistry:Registry",),
        "registryName",
        r"[a-zA-Z0-9]+",
        5,
        50,
        "letters and digits only (global)",
        "https://learn.microsoft.com/rest/api/container-registry/registries/create",
        True,
    ),
    NameRule(
        "acr-cache-rule",
        ("azure-native:containerregistry:CacheRule",),
        "cacheRuleName",
        r"[a-zA-Z0-9-]+",
        5,
        50,
        "letters, digits and hyphens",
        "https://learn.microsoft.com/rest/api/container-registry/cache-rules/create",
    ),
    NameRule(
        "ecr-pull-through-cache-prefix",
        ("aws:ecr/pullThroughCacheRule:PullThroughCacheRule",),
        "ecrRepositoryPrefix",
        r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*",
        2,
        30,
        "lower-case letters and digits, single '.', '_', '-' or '/' between them",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecr-pullthroughcacherule.html",
    ),
    NameRule(
        "artifact-registry-repository",
        ("gcp:artifactregistry/repository:Repository",),
        "repositoryId",
        r"[a-z]([a-z0-9-]*[a-z0-9])?",
        1,
        63,
        "lower-case letters, digits and hyphens, starting with a letter, ending with a letter or digit",
        "https://cloud.google.com/artifact-registry/docs/repositories/create-repos",
    ),
    NameRule(
        "secrets-manager-secret",
        ("aws:secretsmanager/secret:Secret",),
        "name",
        r"[A-Za-z0-9/_+=.@-]+",
        1,
        512,
        "letters, digits and / _ + = . @ -",
        "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html",
    ),
)

# --- APIs a GCP resource needs enabled -----------------------------------------------------------
# https://cloud.google.com/service-usage/docs/enable-disable : a call to a disabled API fails with
# SERVICE_DISABLED; Pulumi creates resources in parallel, so enabling must come first in the graph.
# Keyed by the type token's module, or by the whole token where a module spans several APIs.
GCP_API_OF_TYPE: dict[str, str] = {
    "container": "container.googleapis.com",
    "compute": "compute.googleapis.com",
    "serviceaccount": "iam.googleapis.com",
    "gcp:projects/iAMCustomRole:IAMCustomRole": "iam.googleapis.com",
    "kms": "cloudkms.googleapis.com",
    "dns": "dns.googleapis.com",
    "logging": "logging.googleapis.com",
    "cloudrunv2": "run.googleapis.com",
    "cloudrun": "run.googleapis.com",
    "secretmanager": "secretmanager.googleapis.com",
    "gcp:storage/transferJob:TransferJob": "storagetransfer.googleapis.com",
    "storage": "storage.googleapis.com",
    "databasemigrationservice": "datamigration.googleapis.com",
    "servicenetworking": "servicenetworking.googleapis.com",
    "sql": "sqladmin.googleapis.com",
    "monitoring": "monitoring.googleapis.com",
    "artifactregistry": "artifactregistry.googleapis.com",
    "pubsub": "pubsub.googleapis.com",
    "bigquery": "bigquery.googleapis.com",
}
SERVICE_USAGE_SOURCE = "https://cloud.google.com/service-usage/docs/enable-disable"


def gcp_api_for(resource_type: str) -> str | None:
    if resource_type in GCP_API_OF_TYPE:
        return GCP_API_OF_TYPE[resource_type]
    parts = resource_type.split(":")
    if len(parts) != 3 or parts[0] != "gcp":
        return None
    return GCP_API_OF_TYPE.get(parts[1].split("/", 1)[0])


# --- Google service agents -----------------------------------------------------------------------
# https://cloud.google.com/iam/docs/service-agents : an agent exists once its API is enabled
# ("api"), once `services.generateServiceIdentity` ran (`gcp.projects.ServiceIdentity`, "identity"),
# or once its service's own look-up was called ("lookup", e.g. storagetransfer
# googleServiceAccounts.get, storage projects.serviceAccount.get). A grant to an agent that does not
# exist yet fails with "Service account ... does not exist".


@dataclass(frozen=True)
class ServiceAgent:
    domain: str  # the part after '@'
    api: str
    created_by: str  # "api" | "identity" | "lookup"


SERVICE_AGENTS: tuple[ServiceAgent, ...] = (
    ServiceAgent("compute-system.iam.gserviceaccount.com", "compute.googleapis.com", "api"),
    ServiceAgent("container-engine-robot.iam.gserviceaccount.com", "container.googleapis.com", "api"),
    ServiceAgent("serverless-robot-prod.iam.gserviceaccount.com", "run.googleapis.com", "api"),
    ServiceAgent("gcp-sa-cloud-sql.iam.gserviceaccount.com", "sqladmin.googleapis.com", "identity"),
    ServiceAgent("gcp-sa-secretmanager.iam.gserviceaccount.com", "secretmanager.googleapis.com", "identity"),
    ServiceAgent("gcp-sa-datamigration.iam.gserviceaccount.com", "datamigration.googleapis.com", "identity"),
    ServiceAgent("gcp-sa-artifactregistry.iam.gserviceaccount.com", "artifactregistry.googleapis.com", "identity"),
    ServiceAgent("gcp-sa-pubsub.iam.gserviceaccount.com", "pubsub.googleapis.com", "identity"),
    ServiceAgent("storage-transfer-service.iam.gserviceaccount.com", "storagetransfer.googleapis.com", "lookup"),
    ServiceAgent("gs-project-accounts.iam.gserviceaccount.com", "storage.googleapis.com", "lookup"),
    ServiceAgent("gcp-sa-logging.iam.gserviceaccount.com", "logging.googleapis.com", "lookup"),
)
SERVICE_AGENTS_SOURCE = "https://cloud.google.com/iam/docs/service-agents"


def agent_for(member: str) -> ServiceAgent | None:
    email = member.split(":", 1)[-1]
    domain = email.rsplit("@", 1)[-1]
    return next((a for a in SERVICE_AGENTS if a.domain == domain), None)


# --- Azure feature registrations -----------------------------------------------------------------
# https://learn.microsoft.com/azure/aks/enable-host-encryption : "EncryptionAtHost" must be
# registered on Microsoft.Compute in the subscription before a node pool with host encryption.


@dataclass(frozen=True)
class FeatureRule:
    namespace: str
    feature: str
    needed_for: str
    source: str


ENCRYPTION_AT_HOST = FeatureRule(
    "Microsoft.Compute",
    "EncryptionAtHost",
    "AKS node pools with enableEncryptionAtHost",
    "https://learn.microsoft.com/azure/aks/enable-host-encryption",
)
FEATURE_TYPE = "azure-native:features:SubscriptionFeatureRegistration"

# --- AWS service-linked roles --------------------------------------------------------------------
# https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html : a service-linked
# role exists once its service created it or once iam:CreateServiceLinkedRole ran; a KMS grant or key
# policy naming it before then is refused ("invalid principal").
SLR_TYPE = "aws:iam/serviceLinkedRole:ServiceLinkedRole"
SLR_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/aws-service-role/([a-z0-9.-]+)/([\w+=,.@-]+)")
SLR_SOURCE = "https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html"

# --- singletons the clouds create themselves -----------------------------------------------------


@dataclass(frozen=True)
class Singleton:
    what: str
    types: tuple[str, ...]
    why: str
    source: str


CLOUD_MADE: tuple[Singleton, ...] = (
    Singleton(
        "Azure Network Watcher",
        ("azure-native:network:NetworkWatcher",),
        "Azure enables one Network Watcher per region (NetworkWatcher_<region> in NetworkWatcherRG) when "
        "the first virtual network is created; creating another fails, and destroying the stack would "
        "delete the subscription's. Reference it by name (networkWatcherName, resourceGroupName)",
        "https://learn.microsoft.com/azure/network-watcher/network-watcher-create",
    ),
)
NETWORK_WATCHER_GROUP = "NetworkWatcherRG"

# One per scope inside a graph (the second is refused). Scope: the listed inputs plus the provider.
ONE_PER_SCOPE: dict[str, tuple[str, ...]] = {
    SLR_TYPE: ("awsServiceName", "customSuffix"),
    FEATURE_TYPE: ("providerNamespace", "featureName"),
    "aws:guardduty/detector:Detector": (),
    "aws:securityhub/account:Account": (),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ("vpcId",),
}
