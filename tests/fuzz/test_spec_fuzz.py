"""Generated specs through the spec layer: every one is accepted, or refused naming a key path.

This is the layer that decides exit code 2 (`lz.spec.load_landing_zone`, `lz.spec.wave.load_wave`
and `check_against_foundation`), so it takes the bulk of the examples; `test_plan_fuzz` runs a few
of them through the whole `lz plan`.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import event, given, note
from hypothesis import strategies as st

from lz.core.errors import InputError
from lz.spec import load_landing_zone
from lz.spec.base import key_path
from lz.spec.wave import check_against_foundation, load_wave
from tests.fuzz.budget import spec_settings, time_bound
from tests.fuzz.strategies import Mutation, foundations, near_misses, waves
from tests.helpers import example_spec

pytestmark = pytest.mark.fuzz

FILE = "stacks/Pulumi.fuzz.yaml"
NS = "landing-zone"
LZ_ROOT = f"config.{NS}:landingZone"
WAVE_ROOT = f"config.{NS}:wave"
SPEC_SECONDS = 10  # generous: the spec layer answers in milliseconds; only a hang exceeds this

EXAMPLE = load_landing_zone(example_spec(), file="stacks/Pulumi.foundation-dev.yaml", namespace=NS)
EXAMPLE_CLOUDS = {name: list(EXAMPLE.clouds.get(name).regions) for name in EXAMPLE.clouds.enabled()}


def _refusal(exc: InputError, root: str) -> str:
    """The key path an InputError names, checked to be a real one under `root`."""
    assert exc.file == FILE, exc
    assert exc.key is not None and (
        exc.key == root or exc.key.startswith(root + ".") or exc.key.startswith(root + "[")
    ), exc
    assert exc.detail.strip(), exc
    assert "Traceback" not in str(exc)
    return exc.key


def _validate_foundation(raw: Any) -> str | None:
    """None when the spec is accepted, else the key path of the refusal."""
    with time_bound(SPEC_SECONDS):
        try:
            load_landing_zone(raw, file=FILE, namespace=NS)
        except InputError as exc:
            return _refusal(exc, LZ_ROOT)
    return None


def _validate_wave(raw: Any) -> str | None:
    with time_bound(SPEC_SECONDS):
        try:
            wave = load_wave(raw, file=FILE, namespace=NS)
            check_against_foundation(wave, EXAMPLE, file=FILE, namespace=NS)
        except InputError as exc:
            return _refusal(exc, WAVE_ROOT)
    return None


def _held_to(mutation: Mutation, refused_at: str | None, root: str) -> None:
    note(f"mutation {mutation}, refused at {refused_at}")
    event(f"{mutation.kind}: {'refused' if refused_at else 'accepted'}")
    if mutation.must_refuse:
        assert refused_at is not None, f"{mutation.kind} at {key_path(mutation.path)} was accepted"
    if mutation.must_refuse and mutation.kind in ("unknown-key", "bad-cidr", "unknown-region"):
        # With only this one thing wrong, the message points at it.
        assert refused_at == f"{root}.{key_path(mutation.path)}", (refused_at, mutation)


@spec_settings()
@given(foundations())
def test_generated_foundations_are_accepted_or_refused_by_key(raw: dict[str, Any]) -> None:
    refused_at = _validate_foundation(raw)
    event(f"refused at {refused_at}" if refused_at else "accepted")


FOUNDATION_MISSES = (
    "wrong-type",
    "unknown-key",
    "missing-key",
    "bad-cidr",
    "unknown-region",
    "overlap",
    "out-of-range",
    "junk",
)
WAVE_MISSES = ("wrong-type", "unknown-key", "missing-key", "out-of-range", "junk")


@pytest.mark.parametrize("kind", FOUNDATION_MISSES)
@spec_settings(share=4)
@given(data=st.data())
def test_foundation_near_misses_are_refused_by_key(kind: str, data: st.DataObject) -> None:
    raw, mutation = data.draw(near_misses(foundations(), kinds=(kind,)))
    _held_to(mutation, _validate_foundation(raw), LZ_ROOT)


@spec_settings()
@given(waves(EXAMPLE_CLOUDS))
def test_generated_waves_are_accepted_or_refused_by_key(raw: dict[str, Any]) -> None:
    refused_at = _validate_wave(raw)
    event(f"refused at {refused_at}" if refused_at else "accepted")


@pytest.mark.parametrize("kind", WAVE_MISSES)
@spec_settings(share=4)
@given(data=st.data())
def test_wave_near_misses_are_refused_by_key(kind: str, data: st.DataObject) -> None:
    raw, mutation = data.draw(near_misses(waves(EXAMPLE_CLOUDS), kinds=(kind,)))
    _held_to(mutation, _validate_wave(raw), WAVE_ROOT)


@spec_settings()
@given(
    st.one_of(
        st.none(),
        st.integers(),
        st.text(max_size=20),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3),
    )
)
def test_anything_at_the_top_is_refused_by_key(raw: Any) -> None:
    assert _validate_foundation(raw) is not None
    assert _validate_wave(raw) is not None
