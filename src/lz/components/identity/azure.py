"""`lz:identity:AzureSubscriptionRoles`: the role catalog as Azure RBAC on the landing zone's subscription.

Per role of the spec: the built-in roles of its grants, and, when its grants carry custom actions
or data actions, one custom role definition `<org>-<env>-<role>` with exactly those, assignable at
the subscription only. Where the role names an Entra ID group, each of those roles is assigned to
the group's object id at subscription scope with principal type Group (never User). Definition and
assignment names are UUIDs derived from the subscription, role and group, so they are stable and
re-creating one never collides with another. A break-glass role's definition and assignments carry
the break-glass marker in their descriptions.

What it does not do: Entra ID directory roles, Privileged Identity Management eligibility, or
assignments below the subscription.
"""

from __future__ import annotations

import uuid
from typing import Any

import pulumi
import pulumi_azure_native as azure_native

from lz.spec.identity import BREAK_GLASS_MARKER, Role

from ..base import CloudContext

_NAMESPACE = uuid.UUID("2b0f3c5e-7a41-4d52-9d3b-61a8e4c0f7d2")


def stable_guid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def builtin_roles(role: Role) -> list[tuple[str, str]]:
    """(name, role definition id) of the built-in roles the role's grants name, sorted by name."""
    return sorted({(r.name, r.id.lower()) for g in role.grant_definitions() for r in g.azure.roles})


def custom_actions(role: Role) -> tuple[list[str], list[str]]:
    grants = role.grant_definitions()
    return (
        sorted({a for g in grants for a in g.azure.actions}),
        sorted({a for g in grants for a in g.azure.data_actions}),
    )


# Built-in roles whose data actions reach every blob of their scope
# (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage).
BLOB_DATA_ROLES = {
    "ba92f5b4-2d11-453d-a403-e96b0029c9fe",  # Storage Blob Data Contributor
    "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",  # Storage Blob Data Owner
    "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",  # Storage Blob Data Reader
}
_BLOBS = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs"
BLOB_ACTIONS = (
    f"{_BLOBS}/read",
    f"{_BLOBS}/write",
    f"{_BLOBS}/add/action",
    f"{_BLOBS}/delete",
    f"{_BLOBS}/move/action",
    f"{_BLOBS}/deleteBlobVersion/action",
    f"{_BLOBS}/permanentDelete/action",
)


def exclude_accounts_condition(accounts: list[str]) -> str | None:
    """An Azure ABAC condition (version 2.0) that keeps a subscription-wide blob data role off the named
    storage accounts (https://learn.microsoft.com/azure/role-based-access-control/conditions-format,
    attribute `Microsoft.Storage/storageAccounts:name`)."""
    if not accounts:
        return None
    actions = " AND ".join(f"!(ActionMatches{{'{a}'}})" for a in BLOB_ACTIONS)
    names = " AND ".join(
        f"@Resource[Microsoft.Storage/storageAccounts:name] StringNotEquals '{n}'" for n in sorted(set(accounts))
    )
    return f"(({actions}) OR ({names}))"


def _describe(role: Role, what: str) -> str:
    text = f"{what}: {role.description or role.name}"
    return f"{BREAK_GLASS_MARKER} {text}" if role.break_glass else text


class AzureSubscriptionRoles(pulumi.ComponentResource):
    """Custom role definitions and group assignments of the role catalog in one subscription."""

    definitions: dict[str, azure_native.authorization.RoleDefinition]
    assignments: dict[str, list[azure_native.authorization.RoleAssignment]]

    def __init__(self, name: str, ctx: CloudContext, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("lz:identity:AzureSubscriptionRoles", name, None, opts)
        subscription = ctx.cloud_spec.subscription_id
        scope = f"/subscriptions/{subscription}"
        self.definitions, self.assignments = {}, {}
        self.outputs: dict[str, Any] = {}
        for role in ctx.spec.identity.roles:
            key = f"{name}-{role.name}"
            targets: list[tuple[str, str, str, list[pulumi.Resource]]] = [
                (display, f"{scope}/providers/Microsoft.Authorization/roleDefinitions/{rid}", rid, [])
                for display, rid in builtin_roles(role)
            ]
            actions, data_actions = custom_actions(role)
            custom_id = None
            if actions or data_actions:
                guid = stable_guid(subscription, "role-definition", ctx.org, ctx.env, role.name)
                definition = azure_native.authorization.RoleDefinition(
                    f"{key}-definition",
                    role_definition_id=guid,
                    role_name=f"{ctx.org}-{ctx.env}-{role.name}",
                    description=_describe(role, "Landing-zone custom role"),
                    role_type="CustomRole",
                    scope=scope,
                    assignable_scopes=[scope],
                    permissions=[
                        azure_native.authorization.PermissionArgs(
                            actions=actions, not_actions=[], data_actions=data_actions, not_data_actions=[]
                        )
                    ],
                    opts=ctx.opts(self),
                )
                self.definitions[role.name] = definition
                custom_id = f"{scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}"
                targets.append((f"{ctx.org}-{ctx.env}-{role.name}", custom_id, guid, [definition]))
            self.assignments[role.name] = []
            group = role.groups.azure
            audit_condition = exclude_accounts_condition(ctx.shared.get("azure-audit-accounts", []))
            blob_custom = any(a.startswith("Microsoft.Storage/storageAccounts/blobServices") for a in data_actions)
            if group is not None:
                for display, definition_id, rid, after in targets:
                    suffix = "custom" if after else display.lower().replace(" ", "-")
                    reaches_blobs = rid in BLOB_DATA_ROLES or (bool(after) and blob_custom)
                    condition = audit_condition if reaches_blobs else None
                    self.assignments[role.name].append(
                        azure_native.authorization.RoleAssignment(
                            f"{key}-{suffix}",
                            role_assignment_name=stable_guid(subscription, role.name, group.lower(), rid),
                            scope=scope,
                            role_definition_id=definition_id,
                            principal_id=group,
                            principal_type="Group",
                            description=_describe(role, f"{display} for the landing-zone role {role.name}"),
                            condition=condition,
                            condition_version="2.0" if condition else None,
                            opts=ctx.opts(self, depends_on=after),
                        )
                    )
            self.outputs[role.name] = {
                "roles": [display for display, _, _, _ in targets],
                "custom_role_definition_id": custom_id,
                "group": group,
                "break_glass": role.break_glass,
            }
        self.register_outputs({"roles": sorted(self.outputs)})
