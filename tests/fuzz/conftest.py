"""Hypothesis profiles of the fuzz tests.

`lz-quick` (the default, what `make test` runs): a few hundred generated specs over all the fuzz
tests, a handful of them planned in full. `fuzz` (`HYPOTHESIS_PROFILE=fuzz`, what `make fuzz`
runs): tens of thousands. The profile named by `HYPOTHESIS_PROFILE` is also loaded for the session,
so `make fuzz` runs every `fuzz`-marked test at full strength; without the variable the session's
default profile is left alone, and the fuzz tests take their budget from `tests.fuzz.budget`.

Deadlines are off: a single example may take seconds (a full plan), and a slow machine must not
turn into a failure. The time bound each example must keep is enforced by the tests themselves
(`tests.fuzz.budget.time_bound`), generously, so only a hang fails.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_SLOW_IS_FINE = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.filter_too_much,
    HealthCheck.large_base_example,
]

settings.register_profile(
    "lz-quick", max_examples=100, deadline=None, suppress_health_check=_SLOW_IS_FINE, print_blob=True
)
settings.register_profile(
    "fuzz", max_examples=10_000, deadline=None, suppress_health_check=_SLOW_IS_FINE, print_blob=True
)

if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])
