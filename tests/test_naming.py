"""Names are deterministic, unique where they must be, and within the clouds' limits."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lz.core import naming, regions


@pytest.mark.parametrize("cloud", regions.CLOUDS)
def test_region_codes_are_unique_per_cloud(cloud: str) -> None:
    codes = [naming.region_code(cloud, r) for r in regions.regions(cloud)]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[a-z0-9]{2,8}", c) for c in codes)


def test_region_codes_examples() -> None:
    assert naming.region_code("aws", "eu-west-1") == "euw1"
    assert naming.region_code("gcp", "europe-west4") == "euw4"
    assert naming.region_code("azure", "westeurope") == "weu"


@given(st.lists(st.text(min_size=0, max_size=40), min_size=1, max_size=6), st.integers(8, 63))
def test_slug_is_bounded_and_stable(parts: list[str], max_len: int) -> None:
    a = naming.slug(*parts, max_len=max_len)
    assert a == naming.slug(*parts, max_len=max_len)
    assert len(a) <= max_len
    assert re.fullmatch(r"[a-z0-9-]*", a)


@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=5), st.text(max_size=40))
def test_compact_names_fit_azure_storage_rules(parts: list[str], owner: str) -> None:
    name = naming.compact(*parts, owner=owner)
    assert 4 <= len(name) <= 24
    assert re.fullmatch(r"[a-z0-9]+", name)
