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


def test_every_key_of_every_spec_model_is_described() -> None:
    # The description column of docs/config.md and the editors' hover text (the JSON Schema) come
    # from these: a key without one shows up blank in both.
    from lz.spec.identity import Grant

    # The stack files' models, and the grant catalog's (lz/data/grants.yaml), which no stack file reaches.
    models = gendocs.spec_models() + [m for m in gendocs._models(Grant) if m not in gendocs.spec_models()]
    assert {m.__name__ for m in models} >= {"LandingZone", "Wave", "Organization", "Budget", "GpuPool"}
    missing = [
        f"{m.__module__}.{m.__name__}.{name}"
        for m in models
        for name, field in m.model_fields.items()
        if not (field.description or "").strip()
    ]
    assert not missing, "keys without a description (add a string literal under the field): " + ", ".join(missing)
    undocumented = [f"{m.__module__}.{m.__name__}" for m in models if not (m.__dict__.get("__doc__") or "").strip()]
    assert not undocumented, "spec models without a class docstring: " + ", ".join(undocumented)


def test_the_organization_is_on_the_config_page() -> None:
    from lz.spec.organization import Organization

    config = gendocs.config_page()
    assert "### Organization" in config
    assert all(f"`{key}`" in config for key in Organization.model_fields)
