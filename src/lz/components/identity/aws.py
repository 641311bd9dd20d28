"""`lz:identity:AwsIdentityCenterRoles`: the role catalog as IAM Identity Center permission sets.

Per role of the spec one permission set in the organization's Identity Center instance (its ARN
from `identity.aws`), named `<org>-<env>-<role>` (32 characters at most), with the role's session
duration, the AWS managed policies of its grants attached, and one inline policy built from its
grants' statements (placeholders filled with this account's partition, id and name prefix). Where
the role names an AWS group, the permission set is assigned to that group (principal type GROUP,
never a user) on the landing zone's account, after its policies are in place so the first
provisioning is already complete. A break-glass role's permission set carries the break-glass
marker in its description and a `break-glass: true` tag.

What it does not do: create the Identity Center instance, its groups or users (the identity provider
syncs those by SCIM), or assign anything on other accounts.
"""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from lz.core import naming
from lz.spec.identity import BREAK_GLASS_MARKER, Role, identity_center_region

from ..base import CloudContext
from ..keys.aws import partition_of

PERMISSION_SET_NAME_MAX = 32


def policy_document(role: Role, *, partition: str, account_id: str, prefix: str) -> dict[str, Any] | None:
    """The role's inline IAM policy: every statement of its grants, placeholders filled; None if none."""
    statements: list[dict[str, Any]] = []
    for grant_name, grant in zip(role.grants, role.grant_definitions(), strict=True):
        for statement in grant.aws.statements:
            fill = {"partition": partition, "account_id": account_id, "prefix": prefix}
            body: dict[str, Any] = {
                "Sid": statement.sid,
                "Effect": "Allow",
                "Action": sorted(set(statement.actions)),
                "Resource": [r.format(**fill) for r in statement.resources],
            }
            if statement.conditions:
                body["Condition"] = {
                    op: dict(sorted(keys.items())) for op, keys in sorted(statement.conditions.items())
                }
            if any(s["Sid"] == statement.sid for s in statements):
                raise ValueError(f"grant {grant_name!r} repeats statement id {statement.sid!r} in role {role.name!r}")
            statements.append(body)
    if not statements:
        return None
    return {"Version": "2012-10-17", "Statement": statements}


def managed_policy_arns(role: Role, partition: str) -> list[str]:
    arns = {
        arn.replace("arn:aws:", f"arn:{partition}:", 1)
        for g in role.grant_definitions()
        for arn in g.aws.managed_policies
    }
    return sorted(arns)


def permission_set_name(ctx: CloudContext, role: Role) -> str:
    return naming.slug(ctx.org, ctx.env, role.name, max_len=PERMISSION_SET_NAME_MAX)


def describe(role: Role) -> str:
    text = role.description or f"Landing-zone role {role.name}"
    return f"{BREAK_GLASS_MARKER} {text}" if role.break_glass else text


class AwsIdentityCenterRoles(pulumi.ComponentResource):
    """Permission sets, their policies and group assignments, one set per role of the catalog."""

    permission_sets: dict[str, aws.ssoadmin.PermissionSet]
    managed_attachments: dict[str, list[aws.ssoadmin.ManagedPolicyAttachment]]
    inline_policies: dict[str, aws.ssoadmin.PermissionSetInlinePolicy]
    assignments: dict[str, aws.ssoadmin.AccountAssignment]

    def __init__(self, name: str, ctx: CloudContext, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("lz:identity:AwsIdentityCenterRoles", name, None, opts)
        spec = ctx.spec
        if spec.identity.aws is None:
            raise ValueError("identity.aws is required for AWS roles (the spec enforces it)")
        instance_arn = spec.identity.aws.instance_arn
        region = identity_center_region(spec)
        partition = partition_of(region)
        account_id = ctx.cloud_spec.account_id
        prefix = naming.slug(ctx.org, ctx.env)
        self.permission_sets, self.managed_attachments, self.inline_policies, self.assignments = {}, {}, {}, {}
        self.outputs: dict[str, Any] = {}
        for role in spec.identity.roles:
            key = f"{name}-{role.name}"
            permission_set = aws.ssoadmin.PermissionSet(
                key,
                instance_arn=instance_arn,
                name=permission_set_name(ctx, role),
                description=describe(role),
                session_duration=role.session_duration,
                tags=ctx.tags_with(**{"lz-role": role.name, "break-glass": str(role.break_glass).lower()}),
                opts=ctx.opts(self, region=region),
            )
            self.permission_sets[role.name] = permission_set
            policies: list[pulumi.Resource] = []
            self.managed_attachments[role.name] = []
            for arn in managed_policy_arns(role, partition):
                attachment = aws.ssoadmin.ManagedPolicyAttachment(
                    f"{key}-{arn.rsplit('/', 1)[-1]}",
                    instance_arn=instance_arn,
                    permission_set_arn=permission_set.arn,
                    managed_policy_arn=arn,
                    opts=ctx.opts(self, region=region),
                )
                self.managed_attachments[role.name].append(attachment)
                policies.append(attachment)
            document = policy_document(role, partition=partition, account_id=account_id, prefix=prefix)
            if document is not None:
                inline = aws.ssoadmin.PermissionSetInlinePolicy(
                    f"{key}-inline",
                    instance_arn=instance_arn,
                    permission_set_arn=permission_set.arn,
                    inline_policy=json.dumps(document),
                    opts=ctx.opts(self, region=region),
                )
                self.inline_policies[role.name] = inline
                policies.append(inline)
            if role.groups.aws is not None:
                self.assignments[role.name] = aws.ssoadmin.AccountAssignment(
                    f"{key}-assignment",
                    instance_arn=instance_arn,
                    permission_set_arn=permission_set.arn,
                    principal_id=role.groups.aws,
                    principal_type="GROUP",
                    target_id=account_id,
                    target_type="AWS_ACCOUNT",
                    opts=ctx.opts(self, region=region, depends_on=policies),
                )
            self.outputs[role.name] = {
                "permission_set_arn": permission_set.arn,
                "permission_set_name": permission_set_name(ctx, role),
                "managed_policies": managed_policy_arns(role, partition),
                "group": role.groups.aws,
                "break_glass": role.break_glass,
            }
        ctx.shared["aws-sso-assignments"] = self.assignments  # the EKS access entries wait for them
        self.register_outputs({"roles": sorted(self.outputs)})
