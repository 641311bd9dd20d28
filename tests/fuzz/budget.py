"""How many examples each fuzz test runs, and the time bound every example must keep."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from types import FrameType

from hypothesis import Phase, settings

import tests.fuzz.conftest  # noqa: F401 - registers the profiles before they are looked up

PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or "lz-quick"
ACTIVE = settings.get_profile(PROFILE)


def spec_settings(share: int = 1) -> settings:
    """Spec-layer tests: milliseconds per example; the profile's budget, or a `share` of it for each
    case of a parametrized test."""
    return settings(ACTIVE, max_examples=max(10, ACTIVE.max_examples // share))


def plan_settings(divisor: int = 50, least: int = 3) -> settings:
    """Full plans take seconds each: a small share of the profile's budget (3 in `lz-quick`), and no
    explain phase (it re-runs the failing plan dozens of times)."""
    return settings(
        ACTIVE,
        max_examples=max(least, ACTIVE.max_examples // divisor),
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    )


class Hang(Exception):
    """An example ran past its time bound."""


@contextlib.contextmanager
def time_bound(seconds: float) -> Iterator[None]:
    """Fail the example (raise `Hang`) if the block runs longer than `seconds` (main thread, POSIX)."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
