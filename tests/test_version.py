"""The version is written once, in pyproject.toml, and everything reports that one."""

from __future__ import annotations

import tomllib
from pathlib import Path

import lz

ROOT = Path(__file__).resolve().parents[1]


def test_version_comes_from_pyproject() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert lz.__version__ == declared


def test_the_policy_pack_file_writes_no_version_of_its_own() -> None:
    assert "version:" not in (ROOT / "policies" / "PulumiPolicy.yaml").read_text(encoding="utf-8")
