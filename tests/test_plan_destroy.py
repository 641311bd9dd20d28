"""End to end: renaming the organization against the base graph fails, naming the protected resources."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lz.cli import main
from tests.helpers import foundation_config, make_project, single_cloud_spec


def _lz(project: Path, *args: str) -> int:
    cwd = os.getcwd()
    os.chdir(project)
    try:
        return main(list(args))
    finally:
        os.chdir(cwd)


def test_renaming_the_organization_fails_until_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = single_cloud_spec("aws")
    base_project = make_project(tmp_path / "base", {"foundation-dev": foundation_config(spec)})
    assert _lz(base_project, "plan", "--stack", "foundation-dev", "--no-checkov", "--out", str(tmp_path / "b")) == 0
    base = tmp_path / "b" / "graph.json"
    protected = {r["urn"] for r in json.loads(base.read_text())["deployment"]["resources"] if r.get("protect")}
    assert protected
    capsys.readouterr()

    spec["organization"] = "acmx"
    head = make_project(tmp_path / "head", {"foundation-dev": foundation_config(spec)})
    out = tmp_path / "h"
    code = _lz(head, "plan", "--stack", "foundation-dev", "--no-checkov", "--out", str(out), "--base", str(base))
    stdout = capsys.readouterr().out
    assert code == 1, stdout
    assert "(0 protected)" not in stdout and f"({len(protected)} protected)" in stdout
    assert "Plan: +" in stdout and "plan-protected-delete" in stdout and "acme-dev-aws-audit-bucket" in stdout
    findings = json.loads((out / "findings.json").read_text())
    failing = {f["urn"] for f in findings["findings"] if f["policy"] == "plan-protected-delete" and not f["waived"]}
    assert failing == protected
    assert findings["summary"]["plan"]["protected"] == len(protected)
    assert "# ❌" in (out / "report.md").read_text()

    code = _lz(
        head,
        "plan",
        "--stack",
        "foundation-dev",
        "--no-checkov",
        "--out",
        str(out),
        "--base",
        str(base),
        "--allow-destroy",
        *sorted(protected),
    )
    assert code == 0, capsys.readouterr().out
    accepted = [
        f for f in json.loads((out / "findings.json").read_text())["findings"] if f["policy"] == "plan-protected-delete"
    ]
    assert len(accepted) == len(protected) and all(f["waived"] for f in accepted)


def test_base_of_another_stack_is_refused_before_planning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path / "p", {"foundation-dev": foundation_config(single_cloud_spec("aws"))})
    base = tmp_path / "base.json"
    base.write_text(
        json.dumps(
            {
                "deployment": {
                    "resources": [
                        {
                            "urn": "urn:pulumi:prod::landing-zone::aws:kms/key:Key::k",
                            "type": "aws:kms/key:Key",
                            "custom": True,
                        }
                    ]
                }
            }
        )
    )
    assert _lz(project, "plan", "--stack", "foundation-dev", "--no-checkov", "--base", str(base)) == 2
    assert "base graph is of stack 'prod'" in capsys.readouterr().err


def test_allow_destroy_needs_a_base(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path / "p", {"foundation-dev": foundation_config(single_cloud_spec("aws"))})
    assert _lz(project, "plan", "--stack", "foundation-dev", "--allow-destroy", "urn:pulumi:x::y::t::n") == 2
    assert "--allow-destroy" in capsys.readouterr().err


def test_all_with_a_base_that_is_not_a_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path / "p", {"foundation-dev": foundation_config(single_cloud_spec("aws"))})
    (tmp_path / "graph.json").write_text("{}")
    assert _lz(project, "plan", "--all", "--base", str(tmp_path / "graph.json")) == 2
    assert "<stack>/graph.json" in capsys.readouterr().err


def test_check_with_a_base_fails_a_protected_deletion(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`lz check --base`, as CI runs the base branch's gate over the head's graph."""
    project = make_project(tmp_path / "p", {})
    key = {
        "urn": "urn:pulumi:dev::shop::aws:kms/key:Key::k",
        "type": "aws:kms/key:Key",
        "custom": True,
        "protect": True,
        "inputs": {"description": "k"},
    }
    other = {
        "urn": "urn:pulumi:dev::shop::random:index/randomId:RandomId::r",
        "type": "random:index/randomId:RandomId",
        "custom": True,
        "inputs": {},
    }
    base, head = tmp_path / "base.json", tmp_path / "head.json"
    base.write_text(json.dumps({"deployment": {"resources": [key, other]}}))
    head.write_text(json.dumps({"deployment": {"resources": [other]}}))
    out = str(tmp_path / "o")
    assert _lz(project, "check", str(head), "--no-checkov", "--base", str(base), "--out", out) == 1
    text = capsys.readouterr().out
    assert "Plan: +0 ~0 -1 ±0 (1 protected)" in text and "plan-protected-delete (1): k" in text
    assert (
        _lz(
            project,
            "check",
            str(head),
            "--no-checkov",
            "--base",
            str(base),
            "--out",
            out,
            "--allow-destroy",
            key["urn"],
        )
        == 0
    )
    assert "1 waived" in capsys.readouterr().out


def test_check_applies_this_projects_waivers_only_to_its_own_stacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another program's export gets no waiver of this project unless given with --waivers."""
    project = make_project(tmp_path / "p", {})
    waiver = (
        '- policy: tags-required\n  stacks: [dev]\n  resource: "urn:pulumi:dev::shop::aws:sqs/queue:Queue::*"\n'
        "  reason: a queue without tags for the test\n  owner: team\n  expires: 2026-12-31\n"
    )
    (project / "waivers.yaml").write_text(waiver)
    graph = tmp_path / "g.json"
    graph.write_text(
        json.dumps(
            {
                "deployment": {
                    "resources": [
                        {
                            "urn": "urn:pulumi:dev::shop::aws:sqs/queue:Queue::q",
                            "type": "aws:sqs/queue:Queue",
                            "custom": True,
                            "inputs": {"kmsMasterKeyId": "arn:aws:kms:eu-west-1:111111111111:key/x"},
                        }
                    ]
                }
            }
        )
    )
    out = str(tmp_path / "o")
    _lz(project, "check", str(graph), "--no-checkov", "--out", out, "--require-tags", "owner")
    first = json.loads((tmp_path / "o" / "findings.json").read_text())
    assert [f["waived"] for f in first["findings"] if f["policy"] == "tags-required"] == [False]
    assert ", 0 waived;" in capsys.readouterr().out
    monkeypatch.setenv("LZ_TODAY", "2026-12-05")
    _lz(
        project,
        "check",
        str(graph),
        "--no-checkov",
        "--out",
        out,
        "--require-tags",
        "owner",
        "--waivers",
        str(project / "waivers.yaml"),
    )
    second = json.loads((tmp_path / "o" / "findings.json").read_text())
    assert [f["waived"] for f in second["findings"] if f["policy"] == "tags-required"] == [True]
    assert ", 1 waived;" in capsys.readouterr().out
