"""Exit codes stay honest: crash paths exit 2 (bad input) or 3 (our bug), never 1 and never a traceback.

Each case runs `python -m lz` as its own process (tests/test_bad_files.py's runner), so a hang or a
traceback on the terminal shows. Exit 1 is only ever the verdict "mandatory violation".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lz.core.safe_io import OutputFolder, write_atomic
from tests.helpers import foundation_config, make_project, single_cloud_spec
from tests.test_bad_files import SECONDS, run_lz

GRAPH = {
    "version": 3,
    "deployment": {
        "resources": [
            {
                "urn": "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::b",
                "type": "aws:s3/bucket:Bucket",
                "custom": True,
                "inputs": {"bucket": "b"},
            }
        ]
    },
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(
        tmp_path_factory.mktemp("exit") / "p", {"foundation-dev": foundation_config(single_cloud_spec("aws"))}
    )


def _no_traceback(err: str) -> None:
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err


def test_out_naming_an_existing_file_is_exit_2(project: Path, tmp_path: Path) -> None:
    graph, out = tmp_path / "g.json", tmp_path / "taken"
    graph.write_text(json.dumps(GRAPH))
    out.write_text("mine")
    code, err, _, _ = run_lz(["check", str(graph), "--no-checkov", "--out", str(out)], project)
    assert code == 2 and "is not a folder" in err and out.read_text() == "mine"
    _no_traceback(err)


def test_a_lone_surrogate_in_a_urn_is_exit_2(project: Path, tmp_path: Path) -> None:
    graph = tmp_path / "g.json"
    graph.write_text(json.dumps(GRAPH).replace('::b"', '::b\\ud800"'))
    code, err, _, _ = run_lz(["check", str(graph), "--no-checkov", "--out", str(tmp_path / "o")], project)
    assert code == 2 and "lone surrogate" in err
    _no_traceback(err)


def test_a_deeply_nested_waivers_file_is_exit_2(project: Path, tmp_path: Path) -> None:
    graph, waivers = tmp_path / "g.json", tmp_path / "w.yaml"
    graph.write_text(json.dumps(GRAPH))
    waivers.write_text("- " * 5000 + "x\n")
    code, err, _, _ = run_lz(
        ["check", str(graph), "--no-checkov", "--waivers", str(waivers), "--out", str(tmp_path / "o")], project
    )
    assert code == 2 and "nested too deeply" in err
    _no_traceback(err)


def test_a_fifo_is_refused_without_hanging(project: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    code, err, seconds, _ = run_lz(["check", str(fifo), "--no-checkov", "--out", str(tmp_path / "o")], project)
    assert code == 2 and "not a regular file" in err and seconds < SECONDS
    _no_traceback(err)


def test_an_internal_error_is_exit_3_with_a_saved_traceback(project: Path, tmp_path: Path) -> None:
    graph = tmp_path / "g.json"
    graph.write_text(json.dumps(GRAPH))
    boom = (
        "import sys, runpy, lz.cli.plan\n"
        "def boom(*a, **k): raise RuntimeError('secret-value-123')\n"
        "lz.cli.plan.run_policies = boom\n"
        "sys.argv = ['lz', *sys.argv[1:]]\n"
        "runpy.run_module('lz', run_name='__main__')\n"
    )
    env = {**os.environ, "LZ_CRASH_DIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-c", boom, "check", str(graph), "--no-checkov", "--out", str(tmp_path / "o")],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=SECONDS,
        check=False,
    )
    assert proc.returncode == 3, proc.stderr
    _no_traceback(proc.stderr)
    assert "internal error (RuntimeError)" in proc.stderr and "secret-value-123" not in proc.stderr
    saved = Path(proc.stderr.split("traceback saved to ")[1].split(" ")[0])
    assert saved.parent == tmp_path and "secret-value-123" in saved.read_text()


def test_a_refused_plan_removes_the_stale_reports_first(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.md").write_text("# ✅ PASS\n")
    (out / "findings.json").write_text("{}")
    (project / "stacks" / "Pulumi.broken.yaml").write_text("config: [unclosed\n")
    code, err, _, _ = run_lz(["plan", "--stack", "broken", "--out", str(out)], project)
    assert code == 2, err
    assert not (out / "report.md").exists() and not (out / "findings.json").exists()


def test_a_planted_symlink_is_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.md").symlink_to(victim)
    (out / "report.md.tmp").symlink_to(victim)
    with OutputFolder(out):
        assert not (out / "report.md").exists()  # the previous report (a link) is removed, the target kept
        write_atomic(out / "report.md", "new")
    assert victim.read_text() == "precious" and (out / "report.md").read_text() == "new"
    assert not (out / "report.md").is_symlink()


def test_one_output_folder_is_written_by_one_run_at_a_time(tmp_path: Path) -> None:
    import fcntl

    out = tmp_path / "out"
    with OutputFolder(out):
        fd = os.open(out / ".lz.lock", os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)


def test_a_fifo_as_policy_config_is_refused_without_hanging(project: Path, tmp_path: Path) -> None:
    graph, fifo = tmp_path / "g.json", tmp_path / "config.json"
    graph.write_text(json.dumps(GRAPH))
    os.mkfifo(fifo)
    code, err, seconds, _ = run_lz(
        ["check", str(graph), "--no-checkov", "--policy-config", str(fifo), "--out", str(tmp_path / "o")], project
    )
    assert code == 2 and "not a regular file" in err and seconds < SECONDS
    _no_traceback(err)
