"""The parity matrix: every mandatory policy has a runtime twin per cloud or the reason it has none."""

from __future__ import annotations

import copy

import pytest
import yaml

from lz.review import parity
from lz.spec import guardrails
from lz.spec.organization import Organization
from tests.helpers import ROOT

ORG = yaml.safe_load((ROOT / "stacks" / "Pulumi.organization.yaml").read_text())["config"]["landing-zone:organization"]
EXAMPLE = Organization.model_validate(copy.deepcopy(ORG))


def test_every_mandatory_policy_has_a_twin_or_a_reason_on_every_cloud() -> None:
    assert len(parity.mandatory_policy_names()) >= 25
    assert parity.gaps(guardrails.twin_ids(EXAMPLE), EXAMPLE.clouds.enabled()) == []


def test_a_new_mandatory_policy_without_an_entry_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    names = parity.mandatory_policy_names()
    monkeypatch.setattr(parity, "mandatory_policy_names", lambda: [*names, "encryption-new-thing"])
    assert parity.gaps(guardrails.twin_ids(EXAMPLE), EXAMPLE.clouds.enabled()) == [
        "encryption-new-thing: no entry in the parity matrix"
    ]


def test_an_empty_cell_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    matrix = copy.deepcopy(parity.MATRIX)
    matrix["tags-required"]["gcp"] = parity.Cell()
    monkeypatch.setattr(parity, "MATRIX", matrix)
    assert parity.gaps(guardrails.twin_ids(EXAMPLE), EXAMPLE.clouds.enabled()) == [
        "tags-required: gcp has neither a twin nor a reason"
    ]


def test_a_twin_the_organization_does_not_generate_is_a_gap() -> None:
    raw = copy.deepcopy(ORG)
    raw["clouds"]["azure"]["public_ips_on_nics"] = True
    org = Organization.model_validate(raw)
    problems = parity.gaps(guardrails.twin_ids(org), org.clouds.enabled())
    assert problems and all("azure twin azure:no-public-ip-nic is not generated" in p for p in problems)
    assert "(not generated)" in parity.parity_markdown(org)


def test_matrix_names_only_policies_of_the_pack() -> None:
    assert set(parity.MATRIX) <= set(parity.mandatory_policy_names())


def test_markdown_lists_every_mandatory_policy_for_the_enabled_clouds() -> None:
    text = parity.parity_markdown(EXAMPLE)
    assert "| policy | aws | gcp | azure |" in text
    for name in parity.mandatory_policy_names():
        assert f"| `{name}` |" in text
    assert "Gaps:" not in text


def test_data_is_serialisable() -> None:
    import json

    data = parity.as_data()
    assert json.loads(json.dumps(data)) == data
    assert data["residency-allowed-jurisdiction"]["aws"]["twins"] == ["aws:scp:residency:DenyOutsideJurisdiction"]
