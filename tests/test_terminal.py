"""What the terminal says: failing policies by name, waived counts, --version, --format json, the
summary after --all; and report.md built from hostile resource names stays plain text."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from lz import __version__
from lz.cli import main
from lz.cli.terminal import TOP_POLICIES, TOP_RESOURCES, failing_lines, result_lines
from tests.helpers import make_project

P = "urn:pulumi:dev::shop::"


def _lz(cwd: Path, *args: str) -> int:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return main(list(args))
    finally:
        os.chdir(old)


def test_fail_names_the_policies_and_resources_top_n_then_counts() -> None:
    failing = [("encryption-at-rest-cmk", f"{P}aws:s3/bucket:Bucket::b{i}") for i in range(7)]
    failing += [(f"tags-required-{i}", f"{P}aws:sqs/queue:Queue::q") for i in range(TOP_POLICIES + 1)]
    lines = failing_lines(failing)
    assert lines[0] == f"  encryption-at-rest-cmk (7): {', '.join(f'b{i}' for i in range(TOP_RESOURCES))} and 4 more"
    assert len(lines) == TOP_POLICIES + 1 and lines[-1].startswith("  ... and 2 more failing policies")
    head = result_lines("dev", 1, "3 resources", 13, 2, failing, "wrote out/")
    assert head[0] == "dev: FAIL: 3 resources, 13 mandatory violation(s), 2 waived; wrote out/"
    assert result_lines("dev", 0, "3 resources", 0, 5, [], "t")[0].endswith("0 mandatory violation(s), 5 waived; t")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and capsys.readouterr().out.strip() == f"lz {__version__}"


GRAPH = {
    "deployment": {
        "resources": [
            {
                "urn": P + "aws:s3/bucket:Bucket::![x](https:--e.vil-p.png) <!-- @acme-platform",
                "type": "aws:s3/bucket:Bucket",
                "custom": True,
                "inputs": {"bucket": "b"},
            }
        ]
    }
}


def test_format_json_prints_the_findings_document_on_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path / "p", {})
    graph = tmp_path / "g.json"
    graph.write_text(json.dumps(GRAPH))
    code = _lz(project, "check", str(graph), "--no-checkov", "--format", "json", "--out", str(tmp_path / "o"))
    out, err = capsys.readouterr()
    doc = json.loads(out)  # stdout is the document alone
    assert code == 1 and doc["summary"]["mandatory"] >= 1 and {"findings", "summary", "undecided"} <= set(doc)
    assert doc == json.loads((tmp_path / "o" / "findings.json").read_text())
    assert "FAIL" in err and "encryption-" in err  # the human summary went to stderr


def test_report_from_hostile_names_is_plain_text(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", {})
    graph = tmp_path / "g.json"
    graph.write_text(json.dumps(GRAPH))
    _lz(project, "check", str(graph), "--no-checkov", "--out", str(tmp_path / "o"))
    report = (tmp_path / "o" / "report.md").read_text()
    rendered = re.sub(r"```.*?```", "", report, flags=re.S)  # fenced blocks are not Markdown
    rendered = re.sub(r"`[^`]*`", "", rendered)  # nor are code spans: GitHub shows their text as it is
    assert "![x](" not in rendered and "<!--" not in rendered and "@acme" not in rendered
    assert "`![x](https:--e.vil-p.png) <!-- @\u200dacme-platform`" in report  # the name, shown as code


def test_plan_all_ends_with_a_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from lz.cli import plan_all
    from lz.cli.project import find_project

    root = make_project(
        tmp_path / "p",
        {"a": {"landing-zone:landingZone": {}}, "b": {"landing-zone:landingZone": {}}, "w": {"landing-zone:wave": {}}},
    )
    codes = {"a": 0, "b": 1, "w": 3}
    monkeypatch.setattr(
        plan_all, "_plan_one", lambda project, name, out, checkov, base: (name, codes[name], f"{name}: ...\n")
    )
    assert plan_all.plan_all(find_project(root)) == 3
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == "Summary: 3 stack(s): 1 ok, 1 FAIL, 1 crashed; FAIL: b; crashed: w"


def test_plan_all_with_a_base_folder_gives_each_stack_its_own_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    from lz.cli import plan_all
    from lz.cli.project import find_project

    project = find_project(make_project(tmp_path / "p", {"a": {}, "new": {}}))
    base = tmp_path / "base"
    (base / "a").mkdir(parents=True)
    (base / "a" / "graph.json").write_text("{}")
    seen: list[list[str]] = []

    def fake_run(argv: list[str], **_: object) -> subprocess.CompletedProcess[str]:
        seen.append(argv)
        return subprocess.CompletedProcess(argv, 0, "", "")

    monkeypatch.setattr(plan_all.subprocess, "run", fake_run)
    _, _, note_a = plan_all._plan_one(project, "a", tmp_path / "out" / "a", False, base)
    _, _, note_new = plan_all._plan_one(project, "new", tmp_path / "out" / "new", False, base)
    assert seen[0][seen[0].index("--base") + 1] == str(base / "a" / "graph.json")
    assert "--base" not in seen[1] and "a new stack, planned without a diff" in note_new and not note_a
