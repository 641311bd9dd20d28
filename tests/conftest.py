from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import Planned, plan


@pytest.fixture(scope="session")
def foundation_dev(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    """The example foundation stack, planned once per test session, checkov included."""
    out: Path = tmp_path_factory.mktemp("foundation-dev")
    return plan("foundation-dev", out=out, checkov=True)
