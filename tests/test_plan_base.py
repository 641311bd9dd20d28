"""`lz plan --base GRAPH`: the pull-request diff against the base branch's graph, end to end."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lz.cli.app import main
from tests.helpers import Planned, example_spec, foundation_config, make_project


def test_base_diff_calls_out_a_protected_replacement(
    foundation_dev: Planned, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = example_spec()
    spec["clouds"]["aws"]["account_id"] = "222222222222"  # renames the audit bucket: a replacement
    spec["tags"]["owner"] = "ml-platform"  # a tag change: in place
    project = make_project(tmp_path / "p", {"foundation-dev": foundation_config(spec)})
    out = tmp_path / "out"
    cwd = os.getcwd()
    os.chdir(project)
    try:
        code = main(
            [
                "plan",
                "--stack",
                "foundation-dev",
                "--out",
                str(out),
                "--no-checkov",
                "--base",
                str(foundation_dev.out / "graph.json"),
            ]
        )
    finally:
        os.chdir(cwd)
    assert code == 1, capsys.readouterr().err  # a protected resource replaced: the plan- family fails it
    report = (out / "report.md").read_text()
    assert "## Changes against the base" in report
    assert "Protected resources that would be replaced or deleted" in report
    danger = report.split("Protected resources that would be replaced or deleted")[1].split("<details>")[0]
    assert "`aws:s3/bucket:Bucket` acme-dev-aws-audit-bucket: replaced because of `bucket`" in danger
    assert "`bucket`: `acme-dev-audit-111111111111-euw1` -> `acme-dev-audit-222222222222-euw1`" in danger
    assert "to change in place" in report and "0 to add" in report


def test_base_that_is_not_a_graph_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "base.json"
    bad.write_text("{}")
    project = make_project(tmp_path / "p", {"foundation-dev": foundation_config(example_spec())})
    cwd = os.getcwd()
    os.chdir(project)
    try:
        code = main(["plan", "--stack", "foundation-dev", "--no-checkov", "--base", str(bad)])
    finally:
        os.chdir(cwd)
    assert code == 2
    assert "not a resource graph" in capsys.readouterr().err
