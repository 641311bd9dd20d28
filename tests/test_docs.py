"""The generated reference pages of docs/ match the code (regenerate with `make docs`)."""

from __future__ import annotations

import pytest

from tools import gendocs


@pytest.mark.parametrize("name", sorted(gendocs.PAGES))
def test_generated_page_is_current(name: str) -> None:
    page = gendocs.DOCS / name
    assert page.exists(), f"docs/{name} is missing: run `make docs`"
    assert page.read_text(encoding="utf-8") == gendocs.PAGES[name](), f"docs/{name} is stale: run `make docs`"


def test_every_policy_and_every_key_is_on_its_page() -> None:
    from lz.policies.pack import POLICIES
    from lz.spec.foundation import LandingZone

    policies = gendocs.policies_page()
    assert all(f"`{p.name}`" in policies for p in POLICIES)
    config = gendocs.config_page()
    assert all(f"`{key}`" in config for key in LandingZone.model_fields)
