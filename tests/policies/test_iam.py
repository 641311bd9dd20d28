"""The `iam-` family: compliant and violating cases per cloud, evaluated as `lz plan` does."""

from __future__ import annotations

import json
from typing import Any

import pytest

from lz.core.graph import Resource
from lz.policies import iam
from lz.review.evaluate import Evaluation, PolicySettings, evaluate
from lz.spec.identity import BREAK_GLASS_MARKER

from ._graph import UNKNOWN, aws_provider, azure_provider, gcp_provider, resource

ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"
INSTANCE = "arn:aws:sso:::instance/ssoins-6804a1b2c3d4e5f6"
SUB = "/subscriptions/00000000-0000-0000-0000-000000000000"
OWNER = f"{SUB}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
READER = f"{SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"
GROUP_ID = "3f0c1a52-7d1e-4b5a-9c01-000000000001"


def run(resources: list[Resource], policy: Any) -> Evaluation:
    return evaluate(resources, [policy], PolicySettings())


def flagged(ev: Evaluation) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in ev.findings:
        out.setdefault(f.urn.rsplit("::", 1)[-1], []).append(f.message)
    return out


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: Any, resource_: Any = "*") -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource_}


# --- iam-no-wildcard-admin ---------------------------------------------------------------------------------


def permission_set(name: str, break_glass: bool) -> Resource:
    description = f"{BREAK_GLASS_MARKER} Break-glass admins" if break_glass else "Operators"
    return resource(
        "aws:ssoadmin/permissionSet:PermissionSet",
        name,
        {"instanceArn": INSTANCE, "name": name, "description": description},
        provider=aws_provider(),
    )


def attached(name: str, owner: Resource, arn: str) -> Resource:
    return resource(
        "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
        name,
        {"instanceArn": INSTANCE, "managedPolicyArn": arn, "permissionSetArn": UNKNOWN},
        provider=aws_provider(),
        property_dependencies={"permissionSetArn": [owner.urn]},
    )


def inline(name: str, owner: Resource, document: str) -> Resource:
    return resource(
        "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
        name,
        {"instanceArn": INSTANCE, "inlinePolicy": document, "permissionSetArn": UNKNOWN},
        provider=aws_provider(),
        property_dependencies={"permissionSetArn": [owner.urn]},
    )


def test_aws_administrator_only_on_break_glass_permission_sets() -> None:
    glass, ops = permission_set("glass", True), permission_set("ops", False)
    resources = [
        aws_provider(),
        glass,
        ops,
        attached("glass-admin", glass, ADMIN_ARN),
        attached("ops-admin", ops, ADMIN_ARN),
        attached("ops-view", ops, "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"),
        inline("ops-star", ops, doc(allow("*"))),
        inline("ops-notaction", ops, doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})),
        inline("glass-star", glass, doc(allow("*"))),
        inline("ops-scoped", ops, doc(allow("s3:GetObject", "arn:aws:s3:::acme-dev-data/*"))),
        inline("ops-deny", ops, doc({"Effect": "Deny", "Action": "*", "Resource": "*"})),
    ]
    found = flagged(run(resources, iam.iam_no_wildcard_admin))
    assert sorted(found) == ["ops-admin", "ops-notaction", "ops-star"]
    assert "`managedPolicyArn` attaches AdministratorAccess outside a break-glass role" in found["ops-admin"][0]
    assert "statement 0 allows every action on every resource" in found["ops-star"][0]


def test_aws_iam_roles_and_policies() -> None:
    p = aws_provider()
    marked = resource(
        "aws:iam/role:Role",
        "glass-role",
        {"name": "glass", "description": f"{BREAK_GLASS_MARKER} x", "managedPolicyArns": [ADMIN_ARN]},
        provider=p,
    )
    plain_role = resource(
        "aws:iam/role:Role", "app-role", {"name": "app", "managedPolicyArns": [ADMIN_ARN]}, provider=p
    )
    by_name = resource(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "app-admin",
        {"role": "app", "policyArn": ADMIN_ARN},
        provider=p,
    )
    glass_by_name = resource(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "glass-admin",
        {"role": "glass", "policyArn": ADMIN_ARN},
        provider=p,
    )
    star = resource("aws:iam/policy:Policy", "star", {"policy": doc(allow(["*:*"], ["*"]))}, provider=p)
    found = flagged(run([p, marked, plain_role, by_name, glass_by_name, star], iam.iam_no_wildcard_admin))
    assert sorted(found) == ["app-admin", "app-role", "star"]


def test_azure_owner_and_wildcard_roles_only_when_marked() -> None:
    p = azure_provider()

    def assignment(name: str, definition: str, description: str) -> Resource:
        return resource(
            "azure-native:authorization:RoleAssignment",
            name,
            {
                "scope": SUB,
                "roleDefinitionId": definition,
                "principalId": GROUP_ID,
                "principalType": "Group",
                "description": description,
            },
            provider=p,
        )

    def definition(name: str, actions: list[str], description: str) -> Resource:
        return resource(
            "azure-native:authorization:RoleDefinition",
            name,
            {
                "scope": SUB,
                "roleName": name,
                "description": description,
                "assignableScopes": [SUB],
                "permissions": [{"actions": actions, "dataActions": []}],
            },
            provider=p,
        )

    resources = [
        p,
        assignment("owner", OWNER, "platform"),
        assignment("owner-glass", OWNER, f"{BREAK_GLASS_MARKER} x"),
        assignment("reader", READER, "readers"),
        definition("star", ["*"], "custom"),
        definition("star-glass", ["*"], f"{BREAK_GLASS_MARKER} y"),
        definition("scoped", ["Microsoft.Network/*/read"], "network readers"),
    ]
    found = flagged(run(resources, iam.iam_no_wildcard_admin))
    assert sorted(found) == ["owner", "star"]
    assert "built-in Owner role" in found["owner"][0]


def test_gcp_iam_rewriting_roles() -> None:
    p = gcp_provider()
    glass = resource(
        "gcp:projects/iAMCustomRole:IAMCustomRole",
        "glass",
        {
            "roleId": "acme_glass",
            "description": f"{BREAK_GLASS_MARKER} admins",
            "permissions": ["resourcemanager.projects.setIamPolicy"],
        },
        provider=p,
    )
    sneaky = resource(
        "gcp:projects/iAMCustomRole:IAMCustomRole",
        "sneaky",
        {
            "roleId": "acme_sneaky",
            "description": "helpers",
            "permissions": ["resourcemanager.projects.setIamPolicy", "compute.instances.list"],
        },
        provider=p,
    )
    reader = resource(
        "gcp:projects/iAMCustomRole:IAMCustomRole",
        "reader",
        {"roleId": "acme_reader", "description": "readers", "permissions": ["resourcemanager.projects.get"]},
        provider=p,
    )
    iam_admin = resource(
        "gcp:projects/iAMMember:IAMMember",
        "iam-admin",
        {"project": "acme", "role": "roles/resourcemanager.projectIamAdmin", "member": "group:a@acme.example"},
        provider=p,
    )
    viewer = resource(
        "gcp:projects/iAMMember:IAMMember",
        "compute-viewer",
        {"project": "acme", "role": "roles/compute.viewer", "member": "group:a@acme.example"},
        provider=p,
    )
    found = flagged(run([p, glass, sneaky, reader, iam_admin, viewer], iam.iam_no_wildcard_admin))
    assert sorted(found) == ["iam-admin", "sneaky"]
    assert "bind a custom role that carries the break-glass marker" in found["iam-admin"][0]


def test_unknown_documents_are_undecided_not_violations() -> None:
    ops = permission_set("ops", False)
    ev = run([aws_provider(), ops, inline("later", ops, UNKNOWN)], iam.iam_no_wildcard_admin)
    assert ev.findings == []
    # A stack policy reports "cannot tell yet" for the stack as a whole.
    assert [u.policy for u in ev.undecided] == ["iam-no-wildcard-admin"]


# --- iam-no-basic-roles ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "inputs", "violates"),
    [
        ("gcp:projects/iAMMember:IAMMember", {"role": "roles/editor", "member": "group:g@acme.example"}, True),
        ("gcp:projects/iAMMember:IAMMember", {"role": "roles/compute.viewer", "member": "group:g@acme.example"}, False),
        ("gcp:organizations/iAMBinding:IAMBinding", {"role": "roles/owner", "members": ["group:g@acme.example"]}, True),
        ("gcp:folder/iAMMember:IAMMember", {"role": "roles/viewer", "member": "group:g@acme.example"}, True),
        (
            "gcp:projects/iAMPolicy:IAMPolicy",
            {"policyData": json.dumps({"bindings": [{"role": "roles/viewer", "members": ["group:g@acme.example"]}]})},
            True,
        ),
        (
            "gcp:projects/iAMPolicy:IAMPolicy",
            {"policyData": json.dumps({"bindings": [{"role": "roles/browser", "members": ["group:g@acme.example"]}]})},
            False,
        ),
        (
            "gcp:storage/bucketIAMMember:BucketIAMMember",
            {"role": "roles/storage.objectViewer", "member": "group:g@acme.example"},
            False,
        ),
        ("azure-native:authorization:RoleAssignment", {"roleDefinitionId": "roles/owner"}, False),
    ],
)
def test_gcp_basic_roles(type_: str, inputs: dict[str, Any], violates: bool) -> None:
    r = resource(type_, "binding", inputs, provider=gcp_provider())
    found = flagged(run([gcp_provider(), r], iam.iam_no_basic_roles))
    assert bool(found) is violates
    if violates:
        assert "basic role" in found["binding"][0]


# --- iam-no-user-principals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "inputs", "violates"),
    [
        ("gcp:projects/iAMMember:IAMMember", {"role": "roles/browser", "member": "user:alice@acme.example"}, True),
        ("gcp:projects/iAMMember:IAMMember", {"role": "roles/browser", "member": "group:team@acme.example"}, False),
        (
            "gcp:projects/iAMBinding:IAMBinding",
            {"role": "roles/browser", "members": ["group:team@acme.example", "user:bob@acme.example"]},
            True,
        ),
        (
            "gcp:projects/iAMPolicy:IAMPolicy",
            {
                "policyData": json.dumps(
                    {"bindings": [{"role": "roles/browser", "members": ["user:carol@acme.example"]}]}
                )
            },
            True,
        ),
        ("azure-native:authorization:RoleAssignment", {"principalId": GROUP_ID, "principalType": "User"}, True),
        ("azure-native:authorization:RoleAssignment", {"principalId": GROUP_ID, "principalType": "Group"}, False),
        (
            "azure-native:authorization:RoleAssignment",
            {"principalId": GROUP_ID, "principalType": "ServicePrincipal"},
            False,
        ),
        ("aws:ssoadmin/accountAssignment:AccountAssignment", {"principalId": "u-1", "principalType": "USER"}, True),
        ("aws:ssoadmin/accountAssignment:AccountAssignment", {"principalId": "g-1", "principalType": "GROUP"}, False),
        (
            "aws:iam/userPolicyAttachment:UserPolicyAttachment",
            {"user": "alice", "policyArn": "arn:aws:iam::aws:x"},
            True,
        ),
        ("aws:iam/policyAttachment:PolicyAttachment", {"users": ["alice"], "policyArn": "arn:aws:iam::aws:x"}, True),
        ("aws:iam/policyAttachment:PolicyAttachment", {"groups": ["ops"], "policyArn": "arn:aws:iam::aws:x"}, False),
    ],
)
def test_user_principals(type_: str, inputs: dict[str, Any], violates: bool) -> None:
    r = resource(type_, "grant", inputs)
    found = flagged(run([r], iam.iam_no_user_principals))
    assert bool(found) is violates
    if violates:
        assert "group of the identity provider" in found["grant"][0]


# --- iam-no-wildcard-data-writes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "violates"),
    [
        (allow("s3:PutObject"), True),
        (allow("s3:*", "arn:aws:s3:::*"), True),
        (allow(["s3:Delete*"], ["*"]), True),
        (allow("dynamodb:BatchWriteItem"), True),
        (allow("kms:Decrypt"), True),
        (allow("*"), True),
        (allow("s3:PutObject", "arn:aws:s3:::acme-dev-data/*"), False),
        (allow("kms:Decrypt", "arn:aws:kms:eu-west-1:111111111111:key/abc"), False),
        (allow(["s3:GetObject", "s3:ListBucket"]), False),
        (allow(["ec2:Describe*", "sagemaker:ListModels"]), False),
        ({"Effect": "Deny", "Action": "s3:*", "Resource": "*"}, False),
    ],
)
@pytest.mark.parametrize(
    "type_", ["aws:iam/policy:Policy", "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy"]
)
def test_aws_data_writes_on_every_resource(type_: str, statement: dict[str, Any], violates: bool) -> None:
    key = "inlinePolicy" if "ssoadmin" in type_ else "policy"
    r = resource(type_, "policy", {key: doc(statement)}, provider=aws_provider())
    found = flagged(run([aws_provider(), r], iam.iam_no_wildcard_data_writes))
    assert bool(found) is violates, found
    if violates:
        assert "on every resource: name the buckets, tables or keys" in found["policy"][0]


def test_aws_role_inline_policies_are_read() -> None:
    role = resource(
        "aws:iam/role:Role",
        "role",
        {
            "inlinePolicies": [
                {"name": "ok", "policy": doc(allow("s3:GetObject"))},
                {"name": "bad", "policy": doc(allow("s3:PutObject"))},
            ]
        },
    )
    found = flagged(run([role], iam.iam_no_wildcard_data_writes))
    assert found["role"] == [
        "`inlinePolicies[1].policy` statement 0 allows s3:PutObject on every resource: name the "
        "buckets, tables or keys it may write"
    ]


@pytest.mark.parametrize(
    ("data_actions", "scopes", "violates"),
    [
        (["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write"], [SUB], True),
        (["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"], ["/"], True),
        (
            ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete"],
            [f"{SUB}/resourceGroups/data"],
            False,
        ),
        (["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"], [SUB], False),
    ],
)
def test_azure_custom_roles_with_data_writes(data_actions: list[str], scopes: list[str], violates: bool) -> None:
    r = resource(
        "azure-native:authorization:RoleDefinition",
        "writers",
        {
            "roleName": "writers",
            "assignableScopes": scopes,
            "permissions": [{"actions": [], "dataActions": data_actions}],
        },
        provider=azure_provider(),
    )
    found = flagged(run([azure_provider(), r], iam.iam_no_wildcard_data_writes))
    assert bool(found) is violates


def test_gcp_custom_roles_are_not_judged_for_data_writes() -> None:
    r = resource(
        "gcp:projects/iAMCustomRole:IAMCustomRole",
        "writers",
        {"roleId": "writers", "permissions": ["storage.objects.create", "storage.objects.delete"]},
        provider=gcp_provider(),
    )
    assert run([gcp_provider(), r], iam.iam_no_wildcard_data_writes).findings == []


def test_policies_carry_severity_and_remediation() -> None:
    for policy in iam.POLICIES:
        assert policy.name.startswith("iam-")
        assert policy.severity is not None and policy.remediation_steps and policy.description
        assert policy.enforcement_level is not None and policy.enforcement_level.value == "mandatory"
