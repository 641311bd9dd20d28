"""One plan context: `lz plan` of a wave parses the wave and its foundation's spec once each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import lz.programs.wave  # noqa: F401 - bound to the real `load_wave` before the test wraps it
import lz.spec.wave
from lz.cli import plan, plan_org
from lz.cli.project import find_project
from tests.helpers import ROOT


def test_a_wave_plan_parses_each_spec_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counting(name: str, real: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return real(*args, **kwargs)

        return wrapper

    # The planner's own parses; the programs under synthesis read their config themselves, as under
    # `pulumi up`, and are not counted.
    monkeypatch.setattr(plan, "load_landing_zone", counting("landing zone", plan.load_landing_zone))
    monkeypatch.setattr(plan_org, "load_landing_zone", counting("landing zone", plan_org.load_landing_zone))
    monkeypatch.setattr(lz.spec.wave, "load_wave", counting("wave", lz.spec.wave.load_wave))
    result = plan.plan_stack(find_project(ROOT), "wave-1-dev", tmp_path / "out", checkov=False)
    assert result.exit_code == 0
    assert sorted(calls) == ["landing zone", "wave"]
    assert (tmp_path / "out" / "runbook.md").is_file()


def test_a_stack_file_without_a_spec_has_no_context_and_default_settings() -> None:
    class Bare:
        def namespaced(self, _key: str) -> None:
            return None

    bare: Any = Bare()
    assert plan.context_of(bare) is None
    assert plan.policy_settings_for(plan.context_of(bare)).overrides == {}
