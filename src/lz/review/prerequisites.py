"""docs/prerequisites.md: what a fresh account, project and subscription needs before the first
`pulumi up`, rendered from the tables the `deploy-` policies judge with (lz.policies.deploy_rules), so
the page and the checks cannot disagree. Regenerate with `.venv/bin/python -m lz.review.prerequisites >
docs/prerequisites.md`; tests/test_prerequisites.py fails when the page is stale.

What it does not do: check an account (nothing here calls a cloud).
"""

from __future__ import annotations

from dataclasses import dataclass

from lz.policies import deploy_rules as rules


@dataclass(frozen=True)
class Outside:
    """A prerequisite the stack cannot create itself: who must do it, and how."""

    cloud: str
    what: str
    how: str
    source: str


OUTSIDE: tuple[Outside, ...] = (
    Outside(
        "aws",
        "IAM Identity Center enabled in the organization's management account (or a delegated "
        "administrator account), its instance ARN and identity store id in `identity.aws`",
        "Enable it in the management account; register the account that runs the stack as delegated "
        "administrator (`aws organizations register-delegated-administrator --service-principal "
        "sso.amazonaws.com`)",
        "https://docs.aws.amazon.com/singlesignon/latest/userguide/delegated-admin.html",
    ),
    Outside(
        "aws",
        "The deploying principal may create IAM roles, service-linked roles, KMS keys, EKS, VPCs, "
        "Transit Gateways and CloudTrail in the account (AdministratorAccess, or an equivalent scoped policy)",
        "An administrator of the account grants it; the stack never widens its own rights",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html",
    ),
    Outside(
        "aws",
        "Accounts that already have `AWSServiceRoleForAutoScaling` (any earlier Auto Scaling group)",
        "Import it once instead of creating it: `pulumi import aws:iam/serviceLinkedRole:ServiceLinkedRole "
        "<org>-<env>-aws-autoscaling-service-role arn:aws:iam::<account>:role/aws-service-role/"
        "autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`",
        "https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html",
    ),
    Outside(
        "aws",
        "With `registries.mirror`: accounts that already have `AWSServiceRoleForECRPullThroughCache` (an earlier "
        "pull-through cache rule), and a Docker Hub access token in the secret config key "
        "`registries.credentials` names",
        "Import the role once: `pulumi import aws:iam/serviceLinkedRole:ServiceLinkedRole "
        "<org>-<env>-aws-ecr-pull-through-cache-role arn:aws:iam::<account>:role/aws-service-role/"
        "pullthroughcache.ecr.amazonaws.com/AWSServiceRoleForECRPullThroughCache`; set the token with "
        '`pulumi config set --secret dockerHubCredential \'{"username": ..., "accessToken": ...}\'`',
        "https://docs.aws.amazon.com/AmazonECR/latest/userguide/slr-pullthroughcache.html",
    ),
    Outside(
        "gcp",
        "The project exists, is linked to a billing account, and has `serviceusage.googleapis.com` "
        "enabled (the stack enables every other API through it)",
        "`gcloud projects create`, `gcloud billing projects link`, `gcloud services enable "
        "serviceusage.googleapis.com`",
        "https://cloud.google.com/service-usage/docs/enable-disable",
    ),
    Outside(
        "gcp",
        "The deploying principal holds roles/owner, or roles/serviceusage.serviceUsageAdmin, "
        "roles/resourcemanager.projectIamAdmin, roles/iam.roleAdmin, roles/cloudkms.admin, "
        "roles/container.admin and roles/compute.networkAdmin on the project",
        "Granted by an organization or folder administrator",
        "https://cloud.google.com/iam/docs/understanding-roles",
    ),
    Outside(
        "gcp",
        "The Google groups named in `identity.roles[].groups.gcp` exist",
        "Created in Cloud Identity / Google Workspace",
        "https://cloud.google.com/identity/docs/groups",
    ),
    Outside(
        "azure",
        "The deploying principal is Owner (or Contributor plus Role Based Access Control "
        "Administrator) on the subscription, and may register features (Microsoft.Features/featureProviders/"
        "subscriptionFeatureRegistrations/write)",
        "Granted by a subscription or management-group owner",
        "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles",
    ),
    Outside(
        "azure",
        "Resource providers Microsoft.Network, Microsoft.Compute, Microsoft.ContainerService, "
        "Microsoft.KeyVault, Microsoft.Storage, Microsoft.App, Microsoft.OperationalInsights, Microsoft.Insights, "
        "Microsoft.ManagedIdentity, Microsoft.DataFactory (and Microsoft.CognitiveServices with `ai_services: "
        "[azure-openai]`, Microsoft.ContainerRegistry with `registries.mirror`) are "
        "registered; after the EncryptionAtHost feature registers, Microsoft.Compute is registered again so "
        "the feature propagates",
        "`az provider register --namespace <provider>`",
        "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-providers-and-types",
    ),
    Outside(
        "azure",
        "Network Watcher automatic enablement is not opted out (no "
        "`Microsoft.Network/DisableNetworkWatcherAutocreation` feature): the flow logs use the watcher "
        "Azure creates with the first VNet of a region",
        "`az feature show --namespace Microsoft.Network --name DisableNetworkWatcherAutocreation`",
        rules.CLOUD_MADE[0].source,
    ),
    Outside(
        "azure",
        "The Entra ID groups named in `identity.roles[].groups.azure` exist",
        "Created in Entra ID",
        "https://learn.microsoft.com/entra/fundamentals/how-to-manage-groups",
    ),
    Outside(
        "all",
        "GPU quotas for every pool at `max_nodes`",
        'See the "GPU quotas at max_nodes" table in each foundation\'s report.md (lz.review.quotas)',
        "lz/quotas.py",
    ),
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    lines = [
        "# Prerequisites of a first `pulumi up`",
        "",
        "<!-- generated by `.venv/bin/python -m lz.review.prerequisites`; do not edit by hand -->",
        "",
        "What a fresh AWS account, GCP project and Azure subscription need before the first `pulumi up`. The "
        "first table is what the stack cannot do itself; the others are the rules the `deploy-` policies "
        "check on every graph (`lz plan`, `lz check`), read from the same tables (`policies/deploy_rules.py`).",
        "",
        "## Before the stack runs (outside it)",
        "",
        "| cloud | what | how | source |",
        "| --- | --- | --- | --- |",
    ]
    for o in OUTSIDE:
        lines.append(f"| {o.cloud} | {_cell(o.what)} | {_cell(o.how)} | {o.source} |")
    lines += [
        "",
        "## Made by the stack, in order (`deploy-api-enabled-first`, `deploy-service-agent-first`, "
        "`deploy-prerequisite-first`)",
        "",
        "Google APIs a resource needs, by type (enabled by `gcp.projects.Service`, which the resource depends "
        f"on; source: {rules.SERVICE_USAGE_SOURCE}):",
        "",
        "| resource type (module or token) | API |",
        "| --- | --- |",
    ]
    for key, api in sorted(rules.GCP_API_OF_TYPE.items()):
        lines.append(f"| `{key}` | `{api}` |")
    lines += [
        "",
        f"Google service agents and what creates them (source: {rules.SERVICE_AGENTS_SOURCE}):",
        "",
        "| agent domain | API | created by |",
        "| --- | --- | --- |",
    ]
    created = {
        "api": "enabling the API",
        "identity": "`gcp.projects.ServiceIdentity`",
        "lookup": "the service's own look-up, after the API",
    }
    for a in rules.SERVICE_AGENTS:
        lines.append(f"| `{a.domain}` | `{a.api}` | {created[a.created_by]} |")
    fah = rules.ENCRYPTION_AT_HOST
    lines += [
        "",
        "Feature registrations and service-linked roles:",
        "",
        "| cloud | prerequisite | needed for | source |",
        "| --- | --- | --- | --- |",
        f"| azure | feature `{fah.namespace}/{fah.feature}` (`{rules.FEATURE_TYPE}`) | {fah.needed_for} | "
        f"{fah.source} |",
        f"| aws | `AWSServiceRoleForAutoScaling` (`{rules.SLR_TYPE}`) | KMS grants for encrypted EKS node "
        f"volumes | {rules.SLR_SOURCE} |",
        f"| aws | `AWSServiceRoleForECRPullThroughCache` (`{rules.SLR_TYPE}`) | the KMS grant that lets ECR read the "
        "pull-through cache's upstream credential (`registries.mirror`) | "
        "https://docs.aws.amazon.com/AmazonECR/latest/userguide/slr-pullthroughcache.html |",
        "",
        "## Never created by the stack (`deploy-no-cloud-singletons`)",
        "",
    ]
    for s in rules.CLOUD_MADE:
        lines.append(f"- {s.what} ({', '.join(f'`{t}`' for t in s.types)}): {_cell(s.why)}. Source: {s.source}")
    lines += [
        "",
        "## Names (`deploy-names`, `deploy-unique-global-names`)",
        "",
        "| rule | types | input | length | characters | global | source |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rules.NAME_RULES:
        types = ", ".join(f"`{t}`" for t in r.types)
        lines.append(
            f"| {r.rule} | {types} | `{r.prop}` | {r.min_len}-{r.max_len} | {_cell(r.text)} | "
            f"{'yes' if r.global_scope else 'no'} | {r.source} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
