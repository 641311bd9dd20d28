"""`lz plan --all`: a wave reads its just-planned foundation's outputs instead of synthesizing it again."""

from __future__ import annotations

from pathlib import Path

import pytest

from lz.cli.plan import PLANNED_ENV, planned_outputs
from tests.helpers import plan


def test_a_wave_planned_from_its_foundations_graph_is_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = plan("wave-1-dev", out=tmp_path / "alone" / "wave-1-dev")
    assert alone.exit_code == 0
    foundation = plan("foundation-dev", out=tmp_path / "all" / "foundation-dev")
    assert foundation.exit_code == 0
    monkeypatch.setenv(PLANNED_ENV, str(tmp_path / "all"))
    assert planned_outputs("foundation-dev") is not None
    reused = plan("wave-1-dev", out=tmp_path / "all" / "wave-1-dev")
    assert reused.exit_code == 0
    assert (tmp_path / "all" / "wave-1-dev" / "graph.json").read_bytes() == (
        tmp_path / "alone" / "wave-1-dev" / "graph.json"
    ).read_bytes()


def test_no_planned_graph_means_synthesis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PLANNED_ENV, raising=False)
    assert planned_outputs("foundation-dev") is None
    monkeypatch.setenv(PLANNED_ENV, str(tmp_path))  # a refused foundation leaves no graph.json
    assert planned_outputs("foundation-dev") is None
    (tmp_path / "foundation-dev").mkdir()
    (tmp_path / "foundation-dev" / "graph.json").write_text("{not json")
    assert planned_outputs("foundation-dev") is None
