"""The `plan-` family: protected deletions and replacements fail; replacement per type; dependents follow."""

from __future__ import annotations

import pytest

from lz.core.errors import InputError
from lz.core.graph import Resource
from lz.review.diff import diff_graphs, diff_markdown, plan_line
from lz.review.gate import DELETE, REPLACE, check_base, destroy_findings, unknown_allowed
from lz.review.replacement import replace_keys

P = "urn:pulumi:dev::landing-zone::"


def r(path: str, inputs: dict, *, protect: bool = False, pdeps: dict | None = None) -> Resource:
    type_ = path.split("::")[0].split("$")[-1]
    return Resource(
        urn=P + path, type=type_, custom=True, inputs=inputs, protect=protect, property_dependencies=pdeps or {}
    )


KEY = r("aws:kms/key:Key::key", {"description": "k", "keyUsage": "ENCRYPT_DECRYPT"}, protect=True)
BUCKET = r("aws:s3/bucket:Bucket::audit", {"bucket": "acme-audit"}, protect=True)
LOGS = r(
    "aws:cloudwatch/logGroup:LogGroup::logs",
    {"name": "/acme/logs", "kmsKeyId": "arn:key"},
    protect=True,
    pdeps={"kmsKeyId": [KEY.urn]},
)
TASK = r("aws:ecs/taskDefinition:TaskDefinition::otel", {"family": "otel", "cpu": "256", "tags": {"a": "1"}})


def test_replacement_is_read_from_the_type_table() -> None:
    assert replace_keys("aws:ecs/taskDefinition:TaskDefinition", ["cpu", "tags"]) == ["cpu"]  # immutable type
    assert replace_keys("aws:kms/key:Key", ["description"]) == []  # updated in place
    assert replace_keys("aws:kms/key:Key", ["keyUsage", "description"]) == ["keyUsage"]
    assert replace_keys("aws:ec2/securityGroup:SecurityGroup", ["description"]) == ["description"]
    assert replace_keys("gcp:kms/keyRing:KeyRing", ["name"]) == ["name"]
    assert replace_keys("azure-native:keyvault:Vault", ["properties", "vaultName"]) == ["vaultName"]
    assert replace_keys("random:index/randomPassword:RandomPassword", ["length"]) == ["length"]
    assert replace_keys("aws:unlisted/thing:Thing", ["name", "description"]) == ["name"]  # the fallback


def test_a_task_definition_change_is_a_replacement() -> None:
    head = [r("aws:ecs/taskDefinition:TaskDefinition::otel", {**TASK.inputs, "cpu": "512"})]
    (change,) = diff_graphs([TASK], head).changed
    assert change.replaced and change.replace_keys == ("cpu",)


def test_dependents_of_a_replaced_resource_follow() -> None:
    key2 = r("aws:kms/key:Key::key", {**KEY.inputs, "keyUsage": "SIGN_VERIFY"}, protect=True)
    diff = diff_graphs([KEY, LOGS], [key2, LOGS])
    by = {c.urn.rsplit("::", 1)[-1]: c for c in diff.changed}
    assert by["key"].replace_keys == ("keyUsage",)
    # the log group takes the key's new ARN: kmsKeyId is updated in place, and the change is listed
    assert by["logs"].keys == ("kmsKeyId",) and not by["logs"].replaced and by["logs"].follows == (KEY.urn,)


def test_a_dependent_whose_forcing_input_takes_the_new_id_is_replaced_too() -> None:
    vpc = r("aws:ec2/vpc:Vpc::vpc", {"cidrBlock": "10.0.0.0/16"})
    subnet = r(
        "aws:ec2/subnet:Subnet::a",
        {"vpcId": "vpc-1", "cidrBlock": "10.0.1.0/24"},
        protect=True,
        pdeps={"vpcId": [vpc.urn]},
    )
    vpc2 = r("aws:ec2/vpc:Vpc::vpc", {"cidrBlock": "10.1.0.0/16"})
    diff = diff_graphs([vpc, subnet], [vpc2, subnet])
    assert [c.urn for c in diff.protected_replacements] == [subnet.urn]
    (finding,) = destroy_findings(diff)
    assert finding.policy == REPLACE and "vpcId" in finding.message and "vpc" in finding.message


def test_protected_deletions_and_replacements_are_mandatory_findings() -> None:
    head = [r("aws:s3/bucket:Bucket::audit", {"bucket": "acmx-audit"}, protect=True)]
    diff = diff_graphs([KEY, BUCKET, TASK], head)
    findings = destroy_findings(diff)
    assert {(f.policy, f.urn) for f in findings} == {(DELETE, KEY.urn), (REPLACE, BUCKET.urn)}
    assert all(f.enforcement == "mandatory" and f.severity == "critical" and not f.waived for f in findings)
    assert plan_line(diff, len(findings)) == "Plan: +0 ~0 -2 ±1 (2 protected)"


def test_allow_destroy_accepts_only_the_named_urns() -> None:
    diff = diff_graphs([KEY, BUCKET], [])
    findings = {f.urn: f for f in destroy_findings(diff, [KEY.urn])}
    assert findings[KEY.urn].waived and findings[KEY.urn].waiver["owner"] == "--allow-destroy"
    assert not findings[BUCKET.urn].waived
    assert unknown_allowed(diff, [KEY.urn, P + "aws:s3/bucket:Bucket::nope"]) == [P + "aws:s3/bucket:Bucket::nope"]


def test_report_shows_old_and_new_values_with_secrets_masked() -> None:
    old = r("aws:ssm/parameter:Parameter::p", {"name": "/a", "value": "hunter2", "description": "x`y"}, protect=True)
    new = r("aws:ssm/parameter:Parameter::p", {"name": "/b", "value": "hunter3", "description": "z"}, protect=True)
    text = diff_markdown(diff_graphs([old], [new]))
    assert "`name`: `/a` -> `/b`" in text
    assert "hunter" not in text and "`value`: `[secret]` -> `[secret]`" in text
    assert "`description`: `x'y` -> `z`" in text  # a backtick cannot break out of the code span


def test_a_base_graph_of_another_stack_is_refused() -> None:
    other = [
        Resource(
            urn="urn:pulumi:prod::landing-zone::aws:kms/key:Key::key", type="aws:kms/key:Key", custom=True, inputs={}
        )
    ]
    with pytest.raises(InputError, match="base graph is of stack 'prod'"):
        check_base(other, ("dev", "landing-zone"), "base.json")
    check_base([KEY], ("dev", "landing-zone"), "base.json")  # the same stack is fine
