"""The `budget` key: the monthly ceiling the cost gate and the clouds' budgets read."""

from __future__ import annotations

import pytest

from lz.core.errors import InputError
from lz.spec import load_landing_zone
from tests.helpers import example_spec


def load(budget: object) -> object:
    spec = example_spec()
    spec["budget"] = budget
    return load_landing_zone(spec, file="stacks/Pulumi.t.yaml", namespace="landing-zone").budget


def test_budget_is_optional_and_read() -> None:
    spec = example_spec()
    spec.pop("budget", None)
    assert load_landing_zone(spec, file="x", namespace="landing-zone").budget is None
    budget = load({"monthly_usd": 25000, "alert_thresholds": [0.5, 0.8, 1.0], "recipients": ["finops@acme.example"]})
    assert budget.monthly_usd == 25000  # type: ignore[attr-defined]
    assert budget.alert_thresholds == [0.5, 0.8, 1.0]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("budget", "key", "words"),
    [
        ({"monthly_usd": 0}, "budget.monthly_usd", "greater than 0"),
        ({"monthly_usd": 10, "alert_thresholds": [1.0, 0.8]}, "budget.alert_thresholds[1]", "ascending"),
        ({"monthly_usd": 10, "alert_thresholds": [0]}, "budget.alert_thresholds[0]", "fraction"),
        ({"monthly_usd": 10, "recipients": ["finops"]}, "budget.recipients[0]", "e-mail"),
        ({"monthly_usd": 10, "currency": "EUR"}, "budget.currency", "unknown key"),
    ],
)
def test_budget_rules_name_the_key(budget: dict[str, object], key: str, words: str) -> None:
    with pytest.raises(InputError) as info:
        load(budget)
    assert info.value.key == f"config.landing-zone:landingZone.{key}"
    assert words in info.value.detail
