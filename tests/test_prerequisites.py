"""docs/prerequisites.md is generated from the deploy- policies' own tables and is not stale."""

from __future__ import annotations

from lz.policies import deploy_rules
from lz.review import prerequisites
from tests.helpers import ROOT


def test_the_page_is_current() -> None:
    page = (ROOT / "docs" / "prerequisites.md").read_text()
    assert page == prerequisites.render(), "stale: run `make docs`"


def test_the_page_carries_every_rule_the_checks_use() -> None:
    page = prerequisites.render()
    for rule in deploy_rules.NAME_RULES:
        assert f"| {rule.rule} |" in page and rule.source in page
    for agent in deploy_rules.SERVICE_AGENTS:
        assert agent.domain in page
    for api in deploy_rules.GCP_API_OF_TYPE.values():
        assert f"`{api}`" in page
    assert "EncryptionAtHost" in page and "AWSServiceRoleForAutoScaling" in page and "NetworkWatcherRG" in page
    assert "Identity Center" in page and "delegated" in page
