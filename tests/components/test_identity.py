"""Inventory of the role catalog on every cloud, and every IAM policy document the project emits under parliament.

Planned from the example foundation with the six-role catalog of `tests.components.test_interconnect`.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import types
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from lz.core.graph import resources_from_graph
from lz.policies import iam, network_vpn
from lz.review.evaluate import PolicySettings, evaluate
from lz.spec.identity import BREAK_GLASS_MARKER, grants
from tests.components.test_interconnect import ROLES, mesh_spec, planned
from tests.helpers import Planned

ACCOUNT = "111111111111"
SUBSCRIPTION = "/subscriptions/00000000-0000-0000-0000-000000000000"
OWNER = f"{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"


@pytest.fixture(scope="module")
def mesh(request: pytest.FixtureRequest) -> Planned:
    return planned(request, "mesh", mesh_spec())


def by_name(p: Planned, type_: str) -> dict[str, dict[str, Any]]:
    return {r["urn"].rsplit("::", 1)[-1]: r for r in p.by_type(type_)}


def role_grants(name: str) -> list[Any]:
    role = next(r for r in ROLES if r["name"] == name)
    return [grants()[g] for g in role["grants"]]


# --- AWS ---------------------------------------------------------------------------------------------------


def test_one_permission_set_per_role(mesh: Planned) -> None:
    sets = by_name(mesh, "aws:ssoadmin/permissionSet:PermissionSet")
    assert sorted(sets) == sorted(f"acme-dev-identity-aws-{r['name']}" for r in ROLES)
    for role in ROLES:
        ps = sets[f"acme-dev-identity-aws-{role['name']}"]["inputs"]
        assert ps["name"] == f"acme-dev-{role['name']}" and len(ps["name"]) <= 32
        assert ps["sessionDuration"] == role["session_duration"]
        assert ps["instanceArn"] == "arn:aws:sso:::instance/ssoins-6804a1b2c3d4e5f6"
        assert (BREAK_GLASS_MARKER in ps["description"]) is bool(role.get("break_glass"))
        assert ps["tags"]["break-glass"] == str(bool(role.get("break_glass"))).lower()


def test_managed_and_inline_policies_follow_the_grants(mesh: Planned) -> None:
    sets = {r["urn"]: r["urn"].rsplit("-", 1)[0] for r in mesh.by_type("aws:ssoadmin/permissionSet:PermissionSet")}
    attached: dict[str, set[str]] = {}
    for a in mesh.by_type("aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment"):
        (owner,) = a["propertyDependencies"]["permissionSetArn"]
        attached.setdefault(owner.rsplit("::", 1)[-1].removeprefix("acme-dev-identity-aws-"), set()).add(
            a["inputs"]["managedPolicyArn"]
        )
    assert sets  # joined through the permission set's property dependency
    for role in ROLES:
        expected = {arn for g in role_grants(role["name"]) for arn in g.aws.managed_policies}
        assert attached.get(role["name"], set()) == expected, role["name"]
    admins = [r for r, arns in attached.items() if "arn:aws:iam::aws:policy/AdministratorAccess" in arns]
    assert admins == ["platform-admin"]
    inline = by_name(mesh, "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy")
    assert sorted(inline) == ["acme-dev-identity-aws-data-scientist-inline", "acme-dev-identity-aws-ml-engineer-inline"]
    document = json.loads(inline["acme-dev-identity-aws-ml-engineer-inline"]["inputs"]["inlinePolicy"])
    resources = {r for s in document["Statement"] for r in s["Resource"]}
    assert "arn:aws:s3:::acme-dev-*/*" in resources and f"arn:aws:iam::{ACCOUNT}:role/acme-dev-sagemaker-*" in resources


def test_assignments_go_to_groups_on_the_account(mesh: Planned) -> None:
    assignments = mesh.by_type("aws:ssoadmin/accountAssignment:AccountAssignment")
    assert len(assignments) == len(ROLES)
    assert {a["inputs"]["principalId"] for a in assignments} == {r["groups"]["aws"] for r in ROLES}
    for a in assignments:
        assert a["inputs"]["principalType"] == "GROUP"
        assert a["inputs"]["targetId"] == ACCOUNT and a["inputs"]["targetType"] == "AWS_ACCOUNT"
        assert "eu-west-1" in a["provider"]
        # Provisioned once its policies are in place.
        role = a["urn"].rsplit("::", 1)[-1].removeprefix("acme-dev-identity-aws-").removesuffix("-assignment")
        deps = {d.rsplit("::", 1)[-1] for d in a["dependencies"]}
        assert sum(1 for d in deps if d.startswith(f"acme-dev-identity-aws-{role}-")) >= 1


# --- GCP ---------------------------------------------------------------------------------------------------


def test_gcp_bindings_are_group_members_of_predefined_or_custom_roles(mesh: Planned) -> None:
    members = [
        r["inputs"]
        for r in mesh.by_type("gcp:projects/iAMMember:IAMMember")
        if "lz:identity:GcpProjectRoles" in r["urn"]
    ]
    assert all(m["member"].startswith("group:") and m["project"] == "acme-ai-dev" for m in members)
    assert not {m["role"] for m in members} & {"roles/owner", "roles/editor", "roles/viewer"}
    for role in ROLES:
        group = role["groups"]["gcp"]
        bound = {m["role"] for m in members if m["member"] == group}
        expected = {r for g in role_grants(role["name"]) for r in g.gcp.roles}
        if any(g.gcp.permissions for g in role_grants(role["name"])):
            expected.add(f"projects/acme-ai-dev/roles/acme_dev_{role['name'].replace('-', '_')}")
        assert bound == expected, role["name"]
    custom = by_name(mesh, "gcp:projects/iAMCustomRole:IAMCustomRole")
    admin = custom["acme-dev-identity-gcp-platform-admin-custom"]["inputs"]
    assert "resourcemanager.projects.setIamPolicy" in admin["permissions"]
    assert admin["description"].startswith(BREAK_GLASS_MARKER)
    assert all(BREAK_GLASS_MARKER not in c["inputs"]["description"] for n, c in custom.items() if "platform" not in n)


# --- Azure -------------------------------------------------------------------------------------------------


def test_azure_assignments_are_groups_at_subscription_scope(mesh: Planned) -> None:
    assignments = [
        r["inputs"]
        for r in mesh.by_type("azure-native:authorization:RoleAssignment")
        if "lz:identity:AzureSubscriptionRoles" in r["urn"]
    ]
    assert all(a["principalType"] == "Group" and a["scope"] == SUBSCRIPTION for a in assignments)
    assert len({a["roleAssignmentName"] for a in assignments}) == len(assignments)
    owners = [a for a in assignments if a["roleDefinitionId"] == OWNER]
    assert [a["principalId"] for a in owners] == [ROLES[0]["groups"]["azure"]]
    assert all(a["description"].startswith(BREAK_GLASS_MARKER) for a in owners)
    per_group = Counter(a["principalId"] for a in assignments)
    for role in ROLES:
        builtin = {r.id for g in role_grants(role["name"]) for r in g.azure.roles}
        custom = any(g.azure.actions or g.azure.data_actions for g in role_grants(role["name"]))
        assert per_group[role["groups"]["azure"]] == len(builtin) + custom, role["name"]
    (definition,) = [r["inputs"] for r in mesh.by_type("azure-native:authorization:RoleDefinition")]
    assert definition["roleName"] == "acme-dev-data-scientist" and definition["assignableScopes"] == [SUBSCRIPTION]
    assert definition["roleType"] == "CustomRole"


def test_identity_outputs_name_each_role_per_cloud(mesh: Planned) -> None:
    stack = next(r for r in mesh.resources if r["type"] == "pulumi:pulumi:Stack")
    identity = stack["outputs"]["foundation"]["identity"]
    assert sorted(identity["roles"]) == sorted(r["name"] for r in ROLES)
    assert sorted(identity["roles"]["platform-admin"]) == ["aws", "azure", "gcp"]
    assert identity["roles"]["platform-admin"]["aws"]["break_glass"] is True
    assert identity["aws_identity_center"]["identity_store_id"] == "d-9367a1b2c3"


def test_the_iam_and_network_policies_pass_the_mesh(mesh: Planned) -> None:
    ev = evaluate(resources_from_graph(mesh.graph), iam.POLICIES + network_vpn.POLICIES, PolicySettings())
    assert ev.findings == []
    assert ev.undecided == []


# --- parliament ----------------------------------------------------------------------------------------------


def _parliament() -> Any:
    """parliament 1.6 reads its data files through `pkg_resources`, which setuptools 81+ no longer ships;
    the only call it makes is `resource_filename`, so a stand-in with that one function is enough."""
    try:
        import pkg_resources  # noqa: F401
    except ModuleNotFoundError:
        shim = types.ModuleType("pkg_resources")
        shim.resource_filename = lambda package, name: str(  # type: ignore[attr-defined]
            Path(importlib.util.find_spec(package).origin).parent / name
        )  # type: ignore[union-attr, arg-type]
        sys.modules["pkg_resources"] = shim
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # parliament's own regex escapes
        import parliament

    return parliament


# Identity policy documents: what parliament analyses. Trust policies (`assumeRolePolicy`) and resource
# policies (key and bucket policies) name principals, not permissions of an identity; they are out of scope.
IDENTITY_DOCUMENTS = {
    "aws:iam/policy:Policy": "policy",
    "aws:iam/rolePolicy:RolePolicy": "policy",
    "aws:iam/userPolicy:UserPolicy": "policy",
    "aws:iam/groupPolicy:GroupPolicy": "policy",
    "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy": "inlinePolicy",
}


def identity_documents(p: Planned) -> list[tuple[str, str]]:
    docs = []
    for r in p.resources:
        path = IDENTITY_DOCUMENTS.get(r["type"])
        values = [r["inputs"].get(path)] if path else []
        if r["type"] == "aws:iam/role:Role":
            values = [inline.get("policy") for inline in r["inputs"].get("inlinePolicies", [])]
        for value in values:
            if value:
                docs.append((r["urn"].rsplit("::", 1)[-1], value if isinstance(value, str) else json.dumps(value)))
    return docs


# Where parliament's bundled action table is older than AWS's: ecr:BatchImportUpstreamImage takes the
# repository resource type (it "can be granted ... by using the resource-based repository permissions
# policy", "IAM permissions required to sync an upstream registry with an Amazon ECR private registry",
# docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-iam.html, read 2026-12-05), so a
# grant scoped to the cache's repositories is right where parliament asks for "*".
PARLIAMENT_STALE = {("RESOURCE_MISMATCH", "ecr:BatchImportUpstreamImage")}
# And where parliament reads the Service Authorization Reference more strictly than AWS does: an
# action with several resource types (Bedrock's InvokeModel: foundation-model, provisioned-model,
# inference-profile, ...) is authorized on any one of them, while parliament wants a resource of
# every type in one statement. The grant names foundation models only, on purpose (see grants.yaml).
PARLIAMENT_STALE |= {
    ("RESOURCE_MISMATCH", action)
    for action in ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:GetFoundationModel")
}


def _stale(finding: Any) -> bool:
    details = finding.detail if isinstance(finding.detail, list) else []
    actions = {d.get("action") for d in details if isinstance(d, dict)}
    return bool(actions) and all((finding.issue, a) in PARLIAMENT_STALE for a in actions)


def test_every_iam_policy_document_passes_parliament(mesh: Planned) -> None:
    parliament = _parliament()
    documents = identity_documents(mesh)
    names = {name for name, _ in documents}
    assert {"acme-dev-identity-aws-ml-engineer-inline", "acme-dev-identity-aws-data-scientist-inline"} <= names
    problems = []
    for name, text in documents:
        assert "[secret]" not in text, name
        policy = parliament.analyze_policy_string(text)
        for finding in map(parliament.enhance_finding, policy.findings):
            if _stale(finding):
                continue
            if finding.severity in ("MEDIUM", "HIGH", "CRITICAL") or finding.issue in (
                "UNKNOWN_ACTION",
                "UNKNOWN_PREFIX",
            ):
                problems.append(f"{name}: {finding.issue} ({finding.severity}) {finding.detail}")
    assert problems == []


def test_every_grant_statement_passes_parliament() -> None:
    """Grants not used by the example catalog are checked too, through the same document builder."""
    from lz.components.identity.aws import policy_document
    from lz.spec.identity import Role

    parliament = _parliament()
    for name in grants():
        role = Role(name="probe", grants=[name], break_glass=True, session_duration="PT1H")
        document = policy_document(role, partition="aws", account_id=ACCOUNT, prefix="acme-dev")
        if document is None:
            continue
        policy = parliament.analyze_policy_string(json.dumps(document))
        findings = [
            f
            for f in map(parliament.enhance_finding, policy.findings)
            if (f.severity != "LOW" or f.issue.startswith("UNKNOWN")) and not _stale(f)
        ]
        assert findings == [], (name, [(f.issue, f.detail) for f in findings])


def test_ml_develop_invokes_bedrock_foundation_models_only() -> None:
    from lz.components.identity.aws import policy_document
    from lz.spec.identity import Role

    role = Role(name="probe", grants=["ml-develop"], session_duration="PT1H")
    document = policy_document(role, partition="aws", account_id=ACCOUNT, prefix="acme-dev")
    assert document is not None
    [invoke] = [s for s in document["Statement"] if "bedrock:InvokeModel" in s["Action"]]
    assert invoke["Resource"] == ["arn:aws:bedrock:*::foundation-model/*"]  # no inference profiles, no "*"
    unscoped = [s for s in document["Statement"] if s["Resource"] in ("*", ["*"])]
    assert not [a for s in unscoped for a in s["Action"] if a.startswith("bedrock:Invoke")]
