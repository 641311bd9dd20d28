"""The `budget` key of a foundation (and organization) stack: what a landing zone may cost a month.

Read by the cost estimate (`cost-budget` finding when the estimate at maximum scale exceeds it) and
by the organization layer, which turns it into each cloud's own budget with alerts. One key, two
readers: neither decides the other's shape.
"""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from lz.spec.base import SpecError, StrictModel

# A pragmatic address check (local part, one '@', a dotted domain): the clouds' budget APIs accept
# addresses of this shape, and a typo such as a missing '@' or domain is caught before deployment.
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


class Budget(StrictModel):
    """A monthly budget in USD with alert thresholds and recipients."""

    monthly_usd: float = Field(gt=0, le=100_000_000)
    """The budget in USD per month (above 0, at most 100,000,000); the cost estimate at maximum scale is compared
    with it, and the organization layer creates each cloud's budget from it."""
    # Fractions of monthly_usd at which the clouds alert (1.0 is the budget itself).
    alert_thresholds: list[float] = Field(default_factory=lambda: [0.8, 1.0], min_length=1, max_length=10)
    """Fractions of `monthly_usd` at which the clouds alert, ascending, each in (0, 5]: 0.8 is 80 %, 1.0 the budget
    itself; 1 to 10 values (a cloud may take fewer)."""
    recipients: list[str] = Field(default_factory=list, max_length=20)
    """E-mail addresses the budget alerts go to, at most 20 (a cloud may take fewer)."""

    @field_validator("alert_thresholds")
    @classmethod
    def _thresholds(cls, value: list[float]) -> list[float]:
        for i, threshold in enumerate(value):
            if not 0 < threshold <= 5:
                raise SpecError((i,), f"{threshold} is not a fraction of the budget in (0, 5] (0.8 is 80 %)")
            if i and threshold <= value[i - 1]:
                raise SpecError((i,), "alert thresholds must be listed in ascending order, each once")
        return value

    @field_validator("recipients")
    @classmethod
    def _recipients(cls, value: list[str]) -> list[str]:
        for i, address in enumerate(value):
            if not EMAIL.match(address):
                raise SpecError((i,), f"{address!r} is not an e-mail address (name@example.com)")
        return value
