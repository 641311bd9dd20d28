"""Who may use the GPU clusters: the role catalog's `kubernetes` grants mapped onto EKS and AKS.

EKS runs with `authenticationMode: API` and without the creator's bootstrap admin, and AKS with local
accounts off and Azure RBAC on; without these grants nobody could use either cluster.

* EKS: per role with an AWS group and cluster access, an access entry for the IAM role that IAM
  Identity Center provisions for the role's permission set (`AWSReservedSSO_<set>_<suffix>`, found
  with a look-up once the account assignment exists), and an access policy association with
  AmazonEKS{View,Edit,ClusterAdmin}Policy at cluster scope
  (https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html).
* AKS: per role with an Entra group and cluster access, the AKS RBAC role at cluster scope, plus
  "Azure Kubernetes Service Cluster User Role" so the group can fetch its kubeconfig
  (https://learn.microsoft.com/azure/aks/manage-azure-rbac).

What it does not do: namespaces or per-namespace scopes (the catalog has none), GKE (project-level
`roles/container.*` bindings of the GCP grants already reach it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pulumi

from lz.spec.identity import Role

from ..base import CloudContext

if TYPE_CHECKING:  # each cloud's SDK is imported only where that cloud is built
    import pulumi_aws as aws
    import pulumi_azure_native as azure_native

EKS_POLICIES = {
    "view": "AmazonEKSViewPolicy",
    "edit": "AmazonEKSEditPolicy",
    "admin": "AmazonEKSClusterAdminPolicy",
}
# Built-in role definition ids (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/containers)
AKS_ROLES = {
    "view": "7f6c6a51-bcf8-42ba-9220-52d62157d7db",  # Azure Kubernetes Service RBAC Reader
    "edit": "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb",  # Azure Kubernetes Service RBAC Writer
    "admin": "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",  # Azure Kubernetes Service RBAC Cluster Admin
}
AKS_CLUSTER_USER = "4abbcc35-e782-43d8-92c5-2d3f1bd2253f"  # Azure Kubernetes Service Cluster User Role
SSO_ROLE_PATH = "/aws-reserved/sso.amazonaws.com/"


def cluster_roles(ctx: CloudContext, cloud: str) -> list[tuple[Role, str]]:
    """(role, access) for each role of the catalog with a group on `cloud` and cluster access."""
    out = []
    for role in ctx.spec.identity.roles:
        access = role.kubernetes_access
        if access and getattr(role.groups, cloud) is not None:
            out.append((role, access))
    return out


def eks_access(
    name: str, ctx: CloudContext, parent: pulumi.Resource, *, region: str, cluster: aws.eks.Cluster, partition: str
) -> list[pulumi.Resource]:
    import pulumi_aws as aws  # noqa: PLC0415

    from ..identity.aws import permission_set_name  # noqa: PLC0415

    created: list[pulumi.Resource] = []
    assignments = ctx.shared.get("aws-sso-assignments", {})
    for role, access in cluster_roles(ctx, "aws"):
        set_name = permission_set_name(ctx, role)
        waits = [assignments[role.name]] if isinstance(assignments, dict) and role.name in assignments else []
        # The role exists only once Identity Center provisioned the assignment into the account.
        found = aws.iam.get_roles_output(
            name_regex=f"^AWSReservedSSO_{set_name}_[0-9a-f]+$",
            path_prefix=SSO_ROLE_PATH,
            opts=pulumi.InvokeOutputOptions(parent=parent, provider=ctx.provider(region), depends_on=waits),
        )
        entry = aws.eks.AccessEntry(
            f"{name}-access-{role.name}",
            cluster_name=cluster.name,
            principal_arn=found.arns.apply(lambda arns: sorted(arns)[0]),
            type="STANDARD",
            tags=ctx.tags_with(**{"lz-role": role.name}),
            opts=ctx.opts(parent, region=region),
        )
        association = aws.eks.AccessPolicyAssociation(
            f"{name}-access-{role.name}-{access}",
            cluster_name=cluster.name,
            principal_arn=entry.principal_arn,
            policy_arn=f"arn:{partition}:eks::aws:cluster-access-policy/{EKS_POLICIES[access]}",
            access_scope=aws.eks.AccessPolicyAssociationAccessScopeArgs(type="cluster"),
            opts=ctx.opts(parent, region=region),
        )
        created += [entry, association]
    return created


def aks_access(
    name: str,
    ctx: CloudContext,
    parent: pulumi.Resource,
    *,
    region: str,
    cluster: azure_native.containerservice.ManagedCluster,
) -> list[pulumi.Resource]:
    import pulumi_azure_native as azure_native  # noqa: PLC0415

    from ..keys.azure import role_assignment_name, role_definition_id  # noqa: PLC0415

    subscription = ctx.cloud_spec.subscription_id
    created: list[pulumi.Resource] = []
    for role, access in cluster_roles(ctx, "azure"):
        group = str(role.groups.azure)
        for suffix, definition in ((access, AKS_ROLES[access]), ("user", AKS_CLUSTER_USER)):
            created.append(
                azure_native.authorization.RoleAssignment(
                    f"{name}-access-{role.name}-{suffix}",
                    role_assignment_name=role_assignment_name(name, role.name, suffix),
                    scope=cluster.id,
                    role_definition_id=role_definition_id(subscription, definition),
                    principal_id=group,
                    principal_type="Group",
                    description=f"Role {role.name}: {access} on the GPU cluster of {region}",
                    opts=ctx.opts(parent, region=region),
                )
            )
    return created
