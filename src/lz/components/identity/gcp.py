"""`lz:identity:GcpProjectRoles`: the role catalog as IAM bindings on the landing zone's project.

Per role of the spec: the predefined roles of its grants, and, when its grants carry custom
permissions, one custom role `<org>_<env>_<role>` holding exactly those (its description carries the
break-glass marker for a break-glass role). Where the role names a GCP group, each of those roles is
bound to the group at project level with an additive `IAMMember` (never an authoritative binding or
policy, which would remove grants the landing zone does not manage). Members are always `group:`;
basic roles (owner, editor, viewer) are never bound.

What it does not do: bindings on folders or the organization, IAM conditions, or session length
(Google's session controls are an organization setting).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_gcp as gcp

from lz.spec.identity import BREAK_GLASS_MARKER, Role

from ..base import CloudContext

CUSTOM_ROLE_DESCRIPTION_MAX = 256


def custom_role_id(ctx: CloudContext, role: Role) -> str:
    return f"{ctx.org}_{ctx.env}_{role.name}".replace("-", "_")


def predefined_roles(role: Role) -> list[str]:
    return sorted({r for g in role.grant_definitions() for r in g.gcp.roles})


def custom_permissions(role: Role) -> list[str]:
    return sorted({p for g in role.grant_definitions() for p in g.gcp.permissions})


def _describe(role: Role) -> str:
    text = role.description or f"Landing-zone role {role.name}"
    text = f"{BREAK_GLASS_MARKER} {text}" if role.break_glass else text
    return text[:CUSTOM_ROLE_DESCRIPTION_MAX]


class GcpProjectRoles(pulumi.ComponentResource):
    """Custom roles and group bindings of the role catalog in one GCP project."""

    custom_roles: dict[str, gcp.projects.IAMCustomRole]
    members: dict[str, list[gcp.projects.IAMMember]]

    def __init__(self, name: str, ctx: CloudContext, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("lz:identity:GcpProjectRoles", name, None, opts)
        project = ctx.cloud_spec.project
        self.custom_roles, self.members = {}, {}
        self.outputs: dict[str, Any] = {}
        for role in ctx.spec.identity.roles:
            key = f"{name}-{role.name}"
            bound: list[tuple[str, str, list[pulumi.Resource]]] = [
                (r, r.removeprefix("roles/").replace(".", "-").lower(), []) for r in predefined_roles(role)
            ]
            custom_name = None
            permissions = custom_permissions(role)
            if permissions:
                role_id = custom_role_id(ctx, role)
                custom = gcp.projects.IAMCustomRole(
                    f"{key}-custom",
                    project=project,
                    role_id=role_id,
                    title=f"{ctx.org} {ctx.env} {role.name}",
                    description=_describe(role),
                    permissions=permissions,
                    stage="GA",
                    opts=ctx.opts(self),
                )
                self.custom_roles[role.name] = custom
                # The name GCP gives a project custom role; spelled out so it is known before creation.
                custom_name = f"projects/{project}/roles/{role_id}"
                bound.append((custom_name, "custom", [custom]))
            self.members[role.name] = []
            group = role.groups.gcp
            if group is not None:
                for role_name, suffix, after in bound:
                    self.members[role.name].append(
                        gcp.projects.IAMMember(
                            f"{key}-{suffix}",
                            project=project,
                            role=role_name,
                            member=group,
                            opts=ctx.opts(self, depends_on=after),
                        )
                    )
            self.outputs[role.name] = {
                "roles": [r for r, _, _ in bound],
                "custom_role": custom_name,
                "group": group,
                "break_glass": role.break_glass,
            }
        self.register_outputs({"roles": sorted(self.outputs)})
