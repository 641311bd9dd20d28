"""Every test file is placed in a tier on purpose (tests/conftest.py)."""

from __future__ import annotations

from tests.conftest import TESTS, TIERS, tier_of


def test_every_test_file_has_a_tier() -> None:
    untiered = sorted(p.relative_to(TESTS).as_posix() for p in TESTS.rglob("test_*.py") if tier_of(p) is None)
    assert not untiered, f"add these to TIERS in tests/conftest.py: {untiered}"


def test_tiers_are_known_and_fuzz_is_its_own() -> None:
    assert set(TIERS.values()) == {"unit", "synth", "e2e", "fuzz"}
    assert tier_of(TESTS / "fuzz" / "test_spec_fuzz.py") == "fuzz"
    assert tier_of(TESTS / "policies" / "test_example_stack.py") == "synth"
    assert tier_of(TESTS / "policies" / "test_tags.py") == "unit"
