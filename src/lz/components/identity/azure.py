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
    return (sorted({a for g in grants for a in g.azure.actions}),
            sorted({a for g in grants for a in g.azure.data_actions}))


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
                for display, rid in builtin_roles(role)]
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
                    permissions=[azure_native.authorization.PermissionArgs(
                        actions=actions, not_actions=[], data_actions=data_actions, not_data_actions=[])],
                    opts=ctx.opts(self))
                self.definitions[role.name] = definition
                custom_id = f"{scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}"
                targets.append((f"{ctx.org}-{ctx.env}-{role.name}", custom_id, guid, [definition]))
            self.assignments[role.name] = []
            group = role.groups.azure
            if group is not None:
                for display, definition_id, rid, after in targets:
                    suffix = "custom" if after else display.lower().replace(" ", "-")
                    self.assignments[role.name].append(azure_native.authorization.RoleAssignment(
                        f"{key}-{suffix}",
                        role_assignment_name=stable_guid(subscription, role.name, group.lower(), rid),
                        scope=scope,
                        role_definition_id=definition_id,
                        principal_id=group,
                        principal_type="Group",
                        description=_describe(role, f"{display} for the landing-zone role {role.name}"),
                        opts=ctx.opts(self, depends_on=after)))
            self.outputs[role.name] = {
                "roles": [display for display, _, _, _ in targets],
                "custom_role_definition_id": custom_id,
                "group": group,
                "break_glass": role.break_glass,
            }
        self.register_outputs({"roles": sorted(self.outputs)})
