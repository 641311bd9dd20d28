"""Near-misses of the example organization through its spec layer: accepted, or refused naming a key path."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from lz.core.errors import InputError
from lz.spec.organization import load_organization
from tests.fuzz.budget import spec_settings, time_bound
from tests.fuzz.strategies import near_misses
from tests.fuzz.test_spec_fuzz import FILE, NS, SPEC_SECONDS, _held_to, _refusal
from tests.helpers import ROOT

pytestmark = pytest.mark.fuzz

ORG_ROOT = f"config.{NS}:organization"
EXAMPLE = yaml.safe_load((ROOT / "stacks" / "Pulumi.organization.yaml").read_text())["config"][f"{NS}:organization"]


def _validate(raw: Any) -> str | None:
    with time_bound(SPEC_SECONDS):
        try:
            load_organization(raw, file=FILE, namespace=NS)
        except InputError as exc:
            return _refusal(exc, ORG_ROOT)
    return None


def test_the_example_is_accepted() -> None:
    assert _validate(copy.deepcopy(EXAMPLE)) is None


@pytest.mark.parametrize("kind", ["wrong-type", "unknown-key", "missing-key", "out-of-range", "junk"])
@spec_settings(share=4)
@given(data=st.data())
def test_organization_near_misses_are_refused_by_key(kind: str, data: st.DataObject) -> None:
    raw, mutation = data.draw(near_misses(st.just(copy.deepcopy(EXAMPLE)), kinds=(kind,)))
    _held_to(mutation, _validate(raw), ORG_ROOT)
