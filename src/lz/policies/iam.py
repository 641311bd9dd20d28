"""The `iam-` family: least privilege for people, on all three clouds.

* `iam-no-wildcard-admin`: administrator rights only for break-glass roles. Administrator means: on
  AWS the `AdministratorAccess` managed policy or an identity-policy statement allowing every action
  (`Action: "*"`, or `NotAction`) on every resource; on Azure an Owner assignment or a custom role
  whose actions include `*`; on GCP a custom role able to rewrite project, folder or organization IAM
  (`*.setIamPolicy`), and bindings of the predefined roles that can (`projectIamAdmin`,
  `securityAdmin`, `folderAdmin`, `organizationAdmin`), which never qualify (bind a break-glass custom
  role instead). A role is break-glass when its role entity's description carries the marker
  `[break-glass]` (`lz.spec.identity.BREAK_GLASS_MARKER`, written by the identity components for
  roles the spec marks `break_glass`): the AWS permission set (found through the attachment's or
  inline policy's `permissionSetArn`) or IAM role (through `role`), the Azure role assignment or
  definition, the GCP custom role.
* `iam-no-basic-roles`: GCP's basic roles (`roles/owner`, `roles/editor`, `roles/viewer`) in no
  IAM member, binding or policy resource of any level.
* `iam-no-user-principals`: grants go to groups (or workload identities), never to individual users:
  GCP `user:` members, Azure assignments with principal type User, AWS IAM Identity Center account
  assignments to a USER, and IAM policies attached to IAM users.
* `iam-no-wildcard-data-writes`: no identity policy (AWS inline and customer managed policies,
  permission-set inline policies) allows writing or deleting data, or using or destroying KMS keys
  (decrypting is reading everything a key protects), on every resource (`Resource: "*"` or an ARN
  with no account and a wildcard resource); no Azure custom role allows data writes assignable to a
  whole subscription, management group or the root. GCP permissions carry no resource (scope is
  where a role is bound), so GCP is not judged here.

What it deliberately does not do: judge resource policies (bucket or key policies, where `*` means
the resource itself), AWS or Azure managed/built-in roles other than the administrator ones, trust
policies, or anything outside the stack (existing grants, the identity provider's groups).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from lz.spec.identity import BREAK_GLASS_MARKER

from ._support import Outcome, Props, get, is_set, items, maybe_json, plain, show

AWS_ADMIN_POLICY = re.compile(r"^arn:aws[a-z-]*:iam::aws:policy/AdministratorAccess$")
AZURE_OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
GCP_BASIC_ROLES = ("roles/owner", "roles/editor", "roles/viewer")
GCP_IAM_ADMIN_ROLES = (
    "roles/resourcemanager.projectIamAdmin",
    "roles/iam.securityAdmin",
    "roles/resourcemanager.folderAdmin",
    "roles/resourcemanager.organizationAdmin",
)
GCP_SET_IAM = re.compile(r"^resourcemanager\.(projects|folders|organizations)\.setIamPolicy$")

# Identity policy documents: type -> paths of the documents in its inputs.
AWS_POLICY_DOCUMENTS: dict[str, tuple[str, ...]] = {
    "aws:iam/policy:Policy": ("policy",),
    "aws:iam/rolePolicy:RolePolicy": ("policy",),
    "aws:iam/userPolicy:UserPolicy": ("policy",),
    "aws:iam/groupPolicy:GroupPolicy": ("policy",),
    "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy": ("inlinePolicy",),
}
AWS_ROLE = "aws:iam/role:Role"
AWS_PERMISSION_SET = "aws:ssoadmin/permissionSet:PermissionSet"
SSO_ATTACHMENTS = (
    "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
    "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
)
ROLE_ATTACHMENTS = ("aws:iam/rolePolicy:RolePolicy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment")

# Actions that write or destroy data, or use or destroy the keys that protect it. Globs are matched
# against a statement's action; the concrete names let a wildcard in a statement (`s3:*`, `*`) match.
DATA_WRITE_GLOBS = (
    "s3:put*",
    "s3:delete*",
    "s3:replicate*",
    "s3:restoreobject",
    "s3:abortmultipartupload",
    "s3:bypassgovernanceretention",
    "dynamodb:putitem",
    "dynamodb:updateitem",
    "dynamodb:deleteitem",
    "dynamodb:batchwriteitem",
    "dynamodb:partiqlinsert",
    "dynamodb:partiqlupdate",
    "dynamodb:partiqldelete",
    "dynamodb:deletetable",
    "dynamodb:updatetable",
    "dynamodb:importtable",
    "dynamodb:restoretable*",
    "rds-data:executestatement",
    "rds-data:batchexecutestatement",
    "redshift-data:executestatement",
    "redshift-data:batchexecutestatement",
    "elasticfilesystem:clientwrite",
    "elasticfilesystem:clientrootaccess",
    "glacier:uploadarchive",
    "glacier:deletearchive",
    "glacier:deletevault",
    "es:eshttpput",
    "es:eshttppost",
    "es:eshttpdelete",
    "es:eshttppatch",
    "secretsmanager:putsecretvalue",
    "secretsmanager:updatesecret",
    "secretsmanager:deletesecret",
    "kms:decrypt",
    "kms:reencrypt*",
    "kms:generatedatakey*",
    "kms:schedulekeydeletion",
    "kms:disablekey",
    "kms:putkeypolicy",
)
DATA_WRITE_EXAMPLES = (
    "s3:putobject",
    "s3:deleteobject",
    "s3:deletebucket",
    "s3:putbucketpolicy",
    "s3:replicateobject",
    "dynamodb:putitem",
    "dynamodb:deleteitem",
    "dynamodb:batchwriteitem",
    "rds-data:executestatement",
    "redshift-data:executestatement",
    "elasticfilesystem:clientwrite",
    "glacier:deletearchive",
    "es:eshttpput",
    "secretsmanager:putsecretvalue",
    "kms:decrypt",
    "kms:reencryptfrom",
    "kms:generatedatakey",
    "kms:schedulekeydeletion",
)
AZURE_DATA_WRITE = re.compile(r"(^\*$|/\*$|/write$|/delete$|/action$)", re.IGNORECASE)


def _attempt(outcome: Outcome, fn: Callable[[], Any], default: Any) -> Any:
    """fn(), or `default` when it reads a value unknown until deploy (remembered on `outcome`)."""
    try:
        return fn()
    except UnknownValueError as exc:
        outcome.unknown = outcome.unknown or exc
        return default


# --- reading documents -------------------------------------------------------------------------


def _as_list(value: Any) -> list[Any]:
    return [value] if isinstance(value, str) else items(value)


def statements(document: Any) -> list[Mapping[str, Any]]:
    doc = maybe_json(document)
    if not isinstance(doc, Mapping):
        return []
    return [s for s in _as_list(doc.get("Statement")) if isinstance(s, Mapping)]


def _allows(statement: Mapping[str, Any]) -> bool:
    return str(statement.get("Effect", "")).lower() == "allow"


def _every_resource(resource: str) -> bool:
    """`*`, or an ARN naming no account and only wildcards for the resource (`arn:aws:s3:::*`)."""
    if resource.strip() == "*":
        return True
    parts = resource.split(":", 5)
    return (
        len(parts) == 6 and parts[0] == "arn" and parts[4] in ("", "*") and parts[5].replace("/", "").strip("*") == ""
    )


def admin_statement(statement: Mapping[str, Any]) -> bool:
    """Allows every action (or everything but a list) on every resource."""
    if not _allows(statement) or not any(_every_resource(str(r)) for r in _as_list(statement.get("Resource"))):
        return False
    if "NotAction" in statement:
        return True
    return any(str(a).strip() in ("*", "*:*") for a in _as_list(statement.get("Action")))


def data_write_actions(statement: Mapping[str, Any]) -> list[str]:
    """The statement's actions that write data or use keys, when it allows them on every resource."""
    if not _allows(statement) or not any(_every_resource(str(r)) for r in _as_list(statement.get("Resource"))):
        return []
    found = []
    for action in _as_list(statement.get("Action")):
        text = str(action).strip().lower()
        if any(fnmatch.fnmatchcase(text, g) for g in DATA_WRITE_GLOBS) or any(
            fnmatch.fnmatchcase(example, text) for example in DATA_WRITE_EXAMPLES
        ):
            found.append(str(action))
    return found


def documents(resource_type: str, props: Props) -> list[tuple[str, Any]]:
    """(input path, document) of every identity policy document the resource carries."""
    if resource_type in AWS_POLICY_DOCUMENTS:
        return [(p, get(props, p)) for p in AWS_POLICY_DOCUMENTS[resource_type] if is_set(get(props, p))]
    if resource_type == AWS_ROLE:
        return [
            (f"inlinePolicies[{i}].policy", get(entry, "policy"))
            for i, entry in enumerate(items(get(props, "inlinePolicies")))
            if is_set(get(entry, "policy"))
        ]
    return []


def _marked(props: Props, path: str = "description") -> bool:
    value = get(props, path)
    return isinstance(value, str) and BREAK_GLASS_MARKER in value


# --- iam-no-wildcard-admin ------------------------------------------------------------------------


def _owners(
    args: StackValidationArgs, resource: PolicyResource, ref: str, owner_type: str, name_input: str
) -> list[PolicyResource]:
    """The owning resource(s) of `resource` (a permission set, an IAM role), through the property
    dependency of its `ref` input, else by that input's value equal to the owner's `name_input`."""
    linked = [d for d in (resource.property_dependencies or {}).get(ref, []) if d.resource_type == owner_type]
    if linked:
        return linked
    value = get(resource.props, ref)
    if not is_set(value):
        return []
    return [r for r in args.resources if r.resource_type == owner_type and get(r.props, name_input) == value]


def _aws_admin_problems(resource: PolicyResource) -> list[str]:
    problems = []
    t, props = resource.resource_type, resource.props
    if t == "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment" or t in (
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:iam/policyAttachment:PolicyAttachment",
        "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
        "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    ):
        path = "managedPolicyArn" if t.startswith("aws:ssoadmin") else "policyArn"
        arn = get(props, path)
        if isinstance(arn, str) and AWS_ADMIN_POLICY.match(arn):
            problems.append(f"`{path}` attaches AdministratorAccess")
    if t == AWS_ROLE:
        for i, arn in enumerate(items(get(props, "managedPolicyArns"))):
            if isinstance(arn, str) and AWS_ADMIN_POLICY.match(arn):
                problems.append(f"`managedPolicyArns[{i}]` attaches AdministratorAccess")
    for path, document in documents(t, props):
        for j, statement in enumerate(statements(plain(document))):
            if admin_statement(statement):
                problems.append(f"`{path}` statement {j} allows every action on every resource")
    return problems


def _aws_break_glass(args: StackValidationArgs, resource: PolicyResource) -> bool:
    t = resource.resource_type
    if t in SSO_ATTACHMENTS:
        owners = _owners(args, resource, "permissionSetArn", AWS_PERMISSION_SET, "arn")
    elif t in ROLE_ATTACHMENTS:
        owners = _owners(args, resource, "role", AWS_ROLE, "name")
    elif t in (AWS_ROLE, "aws:iam/policy:Policy"):
        owners = [resource]
    else:
        return False
    return bool(owners) and all(_marked(o.props) for o in owners)


def _azure_admin_problems(resource: PolicyResource) -> list[str]:
    t, props = resource.resource_type, resource.props
    if t == "azure-native:authorization:RoleAssignment":
        definition = get(props, "roleDefinitionId")
        if isinstance(definition, str) and definition.rstrip("/").lower().endswith(AZURE_OWNER):
            return ["`roleDefinitionId` is the built-in Owner role"]
    if t == "azure-native:authorization:RoleDefinition":
        for i, permission in enumerate(items(get(props, "permissions"))):
            if "*" in [str(a).strip() for a in items(get(permission, "actions"))]:
                return [f'`permissions[{i}].actions` contains "*" (every action)']
    return []


def _gcp_admin_problems(resource: PolicyResource) -> tuple[list[str], bool]:
    """(problems, may a break-glass marker excuse them)."""
    t, props = resource.resource_type, resource.props
    if t == "gcp:projects/iAMCustomRole:IAMCustomRole" or t == "gcp:organizations/iAMCustomRole:IAMCustomRole":
        rewrites = [str(p) for p in items(get(props, "permissions")) if GCP_SET_IAM.match(str(p))]
        if rewrites:
            return [f"`permissions` includes {', '.join(rewrites)}, which rewrites IAM (administrator)"], True
    if t.startswith("gcp:") and (t.endswith(("IAMMember", "IAMBinding"))):
        role = get(props, "role")
        if role in GCP_IAM_ADMIN_ROLES:
            return [
                f"`role` {role} can grant any role, including itself: bind a custom role that carries the "
                f"break-glass marker ({BREAK_GLASS_MARKER}) to the break-glass group instead"
            ], False
    return [], False


def _validate_admin(args: StackValidationArgs, report: ReportViolation) -> None:
    unknown: UnknownValueError | None = None
    for resource in args.resources:
        outcome = Outcome()
        t = resource.resource_type
        if t.startswith("aws:"):
            found = _attempt(outcome, partial(_aws_admin_problems, resource), [])
            if found and not _attempt(outcome, partial(_aws_break_glass, args, resource), False):
                outcome.problems += [
                    f"{p} outside a break-glass role: give it only to a permission set or role "
                    f"whose description carries {BREAK_GLASS_MARKER} (spec: break_glass: true)"
                    for p in found
                ]
        elif t.startswith("azure-native:"):
            found = _attempt(outcome, partial(_azure_admin_problems, resource), [])
            if found and not _attempt(outcome, partial(_marked, resource.props), False):
                outcome.problems += [
                    f"{p} outside a break-glass role: its `description` must carry "
                    f"{BREAK_GLASS_MARKER} (spec: break_glass: true)"
                    for p in found
                ]
        elif t.startswith("gcp:"):
            found, excusable = _attempt(outcome, partial(_gcp_admin_problems, resource), ([], False))
            if found and not (excusable and _attempt(outcome, partial(_marked, resource.props), False)):
                outcome.problems += [f"{p}; not a break-glass role" if excusable else p for p in found]
        unknown = outcome.settle(report, resource.urn) or unknown
    if unknown is not None:
        raise unknown


# --- iam-no-basic-roles -------------------------------------------------------------------------------


def _gcp_iam_kind(resource_type: str) -> str | None:
    if not resource_type.startswith("gcp:"):
        return None
    kind = resource_type.rsplit(":", 1)[-1]
    for suffix in ("IAMMember", "IAMBinding", "IAMPolicy"):
        if kind.endswith(suffix):
            return suffix
    return None


def _gcp_policy_bindings(props: Props) -> list[tuple[str, Mapping[str, Any]]]:
    doc = maybe_json(plain(get(props, "policyData")))
    if not isinstance(doc, Mapping):
        return []
    return [
        (f"policyData.bindings[{i}]", b) for i, b in enumerate(items(doc.get("bindings"))) if isinstance(b, Mapping)
    ]


def _basic_roles(args: ResourceValidationArgs, report: ReportViolation) -> None:
    kind = _gcp_iam_kind(args.resource_type)
    if kind is None:
        return

    def check(props: Props) -> list[str]:
        if kind == "IAMPolicy":
            return [
                f"`{path}.role` is the basic role {b.get('role')}"
                for path, b in _gcp_policy_bindings(props)
                if b.get("role") in GCP_BASIC_ROLES
            ]
        role = get(props, "role")
        return [f"`role` is the basic role {role}"] if role in GCP_BASIC_ROLES else []

    outcome = Outcome()
    outcome.run(check, args.props)
    outcome.problems = [
        f"{p}: basic roles grant thousands of permissions across every service; bind predefined or custom roles instead"
        for p in outcome.problems
    ]
    outcome.finish(report)


# --- iam-no-user-principals -----------------------------------------------------------------------------


def _user_principals(resource_type: str, props: Props) -> list[str]:
    kind = _gcp_iam_kind(resource_type)
    if kind == "IAMMember":
        member = get(props, "member")
        return [f"`member` {member!r} is a user"] if str(member).startswith("user:") else []
    if kind == "IAMBinding":
        return [
            f"`members[{i}]` {m!r} is a user"
            for i, m in enumerate(items(get(props, "members")))
            if str(m).startswith("user:")
        ]
    if kind == "IAMPolicy":
        return [
            f"`{path}.members[{j}]` {m!r} is a user"
            for path, b in _gcp_policy_bindings(props)
            for j, m in enumerate(_as_list(b.get("members")))
            if str(m).startswith("user:")
        ]
    if resource_type == "azure-native:authorization:RoleAssignment":
        kind_ = get(props, "principalType")
        return ["`principalType` is User"] if str(kind_).lower() == "user" else []
    if resource_type == "aws:ssoadmin/accountAssignment:AccountAssignment":
        kind_ = get(props, "principalType")
        return ["`principalType` is USER"] if str(kind_).upper() == "USER" else []
    if resource_type in ("aws:iam/userPolicy:UserPolicy", "aws:iam/userPolicyAttachment:UserPolicyAttachment"):
        return [f"`user` {get(props, 'user')!r} is an IAM user"]
    if resource_type == "aws:iam/policyAttachment:PolicyAttachment":
        users = items(get(props, "users"))
        return [f"`users` {show(users)} are IAM users"] if users else []
    return []


def _no_users(args: ResourceValidationArgs, report: ReportViolation) -> None:
    outcome = Outcome()
    outcome.run(lambda p: _user_principals(args.resource_type, p), args.props)
    outcome.problems = [
        f"{p}: grant access to a group of the identity provider instead of an individual" for p in outcome.problems
    ]
    outcome.finish(report)


# --- iam-no-wildcard-data-writes ------------------------------------------------------------------------


def _subscription_wide(scope: str) -> bool:
    text = scope.strip().rstrip("/").lower()
    return (
        text == ""
        or re.fullmatch(r"/subscriptions/[^/]+", text) is not None
        or text.startswith("/providers/microsoft.management/managementgroups/")
    )


def _data_writes(resource_type: str, props: Props) -> list[str]:
    problems = []
    for path, document in documents(resource_type, props):
        for j, statement in enumerate(statements(plain(document))):
            actions = data_write_actions(statement)
            if actions:
                problems.append(
                    f"`{path}` statement {j} allows {', '.join(actions)} on every resource: name the "
                    "buckets, tables or keys it may write"
                )
    if resource_type == "azure-native:authorization:RoleDefinition":
        scopes = [str(s) for s in items(get(props, "assignableScopes"))]
        wide = [s for s in scopes if _subscription_wide(s)]
        for i, permission in enumerate(items(get(props, "permissions"))):
            writes = [str(a) for a in items(get(permission, "dataActions")) if AZURE_DATA_WRITE.search(str(a))]
            if writes and wide:
                problems.append(
                    f"`permissions[{i}].dataActions` allows {', '.join(writes)} and the role is assignable "
                    f"to {', '.join(wide)}: limit `assignableScopes` to the resource groups or "
                    "resources holding the data"
                )
    return problems


def _no_data_writes(args: ResourceValidationArgs, report: ReportViolation) -> None:
    outcome = Outcome()
    outcome.run(lambda p: _data_writes(args.resource_type, p), args.props)
    outcome.finish(report)


def _types(*groups: Any) -> str:
    return ", ".join(sorted({t for g in groups for t in g}))


iam_no_wildcard_admin = StackValidationPolicy(
    name="iam-no-wildcard-admin",
    description="Administrator rights (AWS AdministratorAccess or Allow * on *, Azure Owner or a custom role with "
    "actions *, GCP IAM-rewriting roles) only in roles marked break-glass.",
    validate=_validate_admin,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.CRITICAL,
    remediation_steps="Give administrator rights to one break-glass role: in the spec set `break_glass: true` on "
    "the role holding the `administrator` grant; the identity components then write "
    f"{BREAK_GLASS_MARKER} into the description of its AWS permission set, GCP custom role and "
    "Azure role assignments. Other roles get scoped grants (network-admin, data-write, ...). "
    "Hand-written resources: mark the AWS permission set or IAM role, the Azure assignment or "
    "definition, the GCP custom role the same way, and never bind roles/resourcemanager."
    "projectIamAdmin or roles/iam.securityAdmin to people.",
)

iam_no_basic_roles = ResourceValidationPolicy(
    name="iam-no-basic-roles",
    description="No GCP IAM member, binding or policy grants a basic role (roles/owner, roles/editor, roles/viewer).",
    validate=_basic_roles,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Replace the basic role with the predefined roles the principal needs (e.g. roles/compute."
    "viewer, roles/storage.objectViewer) or a custom role; the landing zone's grants in "
    "lz/data/grants.yaml never use basic roles.",
)

iam_no_user_principals = ResourceValidationPolicy(
    name="iam-no-user-principals",
    description="Access is granted to groups, never to individual users: no GCP user: members, Azure User "
    "assignments, AWS Identity Center USER assignments or policies on IAM users.",
    validate=_no_users,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Bind the role to a group of the identity provider: GCP `group:<email>`, Azure the Entra ID "
    "group's object id with `principalType: Group`, AWS the Identity Store group id with "
    "`principalType: GROUP`; put people in the group. Replace IAM users with Identity Center "
    "access or roles.",
)

iam_no_wildcard_data_writes = ResourceValidationPolicy(
    name="iam-no-wildcard-data-writes",
    description="No identity policy allows writing or deleting data, or using or destroying KMS keys, on every "
    "resource; no Azure custom role with data writes is assignable to a whole subscription.",
    validate=_no_data_writes,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Scope the statement's `Resource` to the buckets, tables, file systems or keys it needs "
    "(e.g. arn:aws:s3:::<prefix>-*/*, arn:aws:kms:<region>:<account>:key/<id>), or move the "
    "access to a resource policy. Azure: list resource groups or resources in "
    "`assignableScopes`. Judged types: "
    + _types(AWS_POLICY_DOCUMENTS, [AWS_ROLE])
    + ", azure-native:authorization:RoleDefinition.",
)

POLICIES = [iam_no_wildcard_admin, iam_no_basic_roles, iam_no_user_principals, iam_no_wildcard_data_writes]
