"""The graph diff against the base branch: added, removed, changed, replaced, protected."""

from __future__ import annotations

from lz.core.graph import Resource
from lz.review.diff import diff_graphs, diff_markdown

P = "urn:pulumi:dev::landing-zone::"


def r(path: str, inputs: dict, *, protect: bool = False, provider: str = "", custom: bool = True) -> Resource:
    type_ = path.split("::")[0].split("$")[-1]
    return Resource(urn=P + path, type=type_, custom=custom, inputs=inputs, protect=protect, provider=provider)


BASE = [
    r("pulumi:pulumi:Stack::landing-zone-dev", {}, custom=False),
    r("lz:audit:AwsAudit$aws:s3/bucket:Bucket::audit", {"bucket": "acme-dev-audit", "tags": {"a": "1"}}, protect=True),
    r("aws:kms/key:Key::key", {"enableKeyRotation": False, "description": "k"}, protect=True),
    r("aws:ec2/vpc:Vpc::vpc", {"cidrBlock": "10.16.0.0/16"}, provider=P + "pulumi:providers:aws::euw1::id"),
    r("aws:ec2/subnet:Subnet::old", {"cidrBlock": "10.16.1.0/24"}),
    r("lz:net:Net$aws:ec2/securityGroup:SecurityGroup::web", {"name": "web"}),
    r("azure-native:storage:StorageAccount::sa", {"accountName": "stacmedev", "location": "westeurope"}),
]
HEAD = [
    r("pulumi:pulumi:Stack::landing-zone-dev", {}, custom=False),
    r(
        "lz:audit:AwsAudit$aws:s3/bucket:Bucket::audit",
        {"bucket": "acme-dev-audit-v2", "tags": {"a": "1"}},
        protect=True,
    ),
    r("aws:kms/key:Key::key", {"enableKeyRotation": True, "description": "k"}, protect=True),
    r("aws:ec2/vpc:Vpc::vpc", {"cidrBlock": "10.16.0.0/16"}, provider=P + "pulumi:providers:aws::euc1::id"),
    r("aws:ec2/subnet:Subnet::new", {"cidrBlock": "10.16.2.0/24"}),
    r("lz:net:Net$aws:vpc/securityGroup:SecurityGroup::web", {"name": "web"}),
    r("azure-native:storage:StorageAccount::sa", {"accountName": "stacmedev2", "location": "westeurope"}),
]


def test_diff_classifies_changes() -> None:
    diff = diff_graphs(BASE, HEAD)
    assert [x.urn for x in diff.added] == [P + "aws:ec2/subnet:Subnet::new"]
    assert [x.urn for x in diff.removed] == [P + "aws:ec2/subnet:Subnet::old"]
    changed = {c.urn.rsplit("::", 1)[-1]: c for c in diff.changed}
    assert set(changed) == {"audit", "key", "vpc", "web", "sa"}
    assert changed["key"].keys == ("enableKeyRotation",) and not changed["key"].replaced
    assert changed["audit"].replace_keys == ("bucket",) and changed["audit"].protected
    assert changed["vpc"].replace_keys == ("provider",)  # another region's provider: a new VPC
    assert changed["web"].replace_keys == ("type",)
    assert changed["web"].base_urn == P + "lz:net:Net$aws:ec2/securityGroup:SecurityGroup::web"
    assert changed["sa"].replace_keys == ("accountName",)  # azure-native path names force replacement
    assert [c.urn for c in diff.protected_replacements] == [P + "lz:audit:AwsAudit$aws:s3/bucket:Bucket::audit"]
    assert diff.unchanged == 0  # the stack itself is not counted


def test_no_changes() -> None:
    diff = diff_graphs(BASE, BASE)
    assert diff.empty() and diff.unchanged == len(BASE) - 1
    assert "No resource changes." in diff_markdown(diff)


def test_markdown_calls_out_protected_replacements() -> None:
    text = diff_markdown(diff_graphs(BASE, HEAD))
    assert "**1 to add, 1 to change in place, 4 to replace, 1 to delete**" in text
    warning = text.split("### ⚠️ Protected resources", 1)[1].split("<details>", 1)[0]
    assert "audit" in warning and "`bucket`" in warning and "key" not in warning.split("stops on them.")[1]
    assert "<summary>Replaced (4)</summary>" in text and "<summary>Changed in place (1)</summary>" in text
    assert text == diff_markdown(diff_graphs(BASE, HEAD))


def test_removing_a_protected_resource_is_called_out() -> None:
    head = [x for x in BASE if not x.urn.endswith("::key")]
    text = diff_markdown(diff_graphs(BASE, head))
    assert "Protected resources that would be replaced or deleted" in text and "`aws:kms/key:Key` key: deleted" in text
