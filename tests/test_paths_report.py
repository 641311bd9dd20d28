"""report.md's "Network paths" section: egress mode, allowed names and private endpoints per cloud and region."""

from __future__ import annotations

from lz.core.graph import Resource
from lz.review.paths_report import paths_markdown
from tests.helpers import Planned

STACK = "urn:pulumi:dev::p::"


def res(type_: str, name: str, inputs: dict[str, object], provider: str = "", **deps: list[str]) -> Resource:
    return Resource(
        urn=f"{STACK}{type_}::{name}",
        type=type_,
        custom=True,
        inputs=dict(inputs),
        provider=provider,
        property_dependencies=dict(deps),
    )


AWS_PROVIDER = Resource(
    urn=f"{STACK}pulumi:providers:aws::aws-euw1",
    type="pulumi:providers:aws",
    custom=True,
    inputs={"region": "eu-west-1"},
    id="p1",
)
ON_AWS = f"{AWS_PROVIDER.urn}::p1"


def test_nothing_to_say_without_network_paths() -> None:
    assert paths_markdown([res("aws:s3/bucket:Bucket", "b", {})]) == ""


def test_modes_names_and_endpoints() -> None:
    resources = [
        AWS_PROVIDER,
        res("aws:ec2/natGateway:NatGateway", "nat", {}, ON_AWS),
        res("aws:ec2/vpcEndpoint:VpcEndpoint", "ecr", {"serviceName": "com.amazonaws.eu-west-1.ecr.api"}, ON_AWS),
        res("azure-native:network:NatGateway", "ng", {"location": "westeurope"}),
        res("azure-native:network:FirewallPolicy", "pol", {"location": "northeurope"}),
        res("azure-native:network:AzureFirewall", "fw", {"location": "northeurope"}),
        res(
            "azure-native:network:FirewallPolicyRuleCollectionGroup",
            "rules",
            {"ruleCollections": [{"rules": [{"targetFqdns": ["pypi.org", "a|b.example"]}]}]},
            firewallPolicyName=[f"{STACK}azure-native:network:FirewallPolicy::pol"],
        ),
    ]
    text = paths_markdown(resources)
    assert "| aws | eu-west-1 | nat | - | ecr.api |" in text
    assert "| azure | westeurope | nat | - | - |" in text
    # The rule group takes its policy's place; a '|' in a name cannot break the table.
    assert "| azure | northeurope | firewall | `a\\|b.example`, `pypi.org` | - |" in text


def test_the_example_report_shows_the_paths(foundation_dev: Planned) -> None:
    report = foundation_dev.report
    assert "## Network paths" in report
    for row in (
        "| aws | eu-west-1 | firewall |",
        "| gcp | europe-west4 | firewall |",
        "| azure | westeurope | firewall |",
    ):
        assert row in report
    assert "ecr.dkr" in report and "zone pkg.dev" in report and "vault: kv-acme-dev-weu" in report
