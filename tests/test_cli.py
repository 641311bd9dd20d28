"""Exit codes and messages of the CLI: bad input is exit 2 with one message naming file and key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from lz.cli.app import main
from tests.helpers import ROOT, example_spec, foundation_config, make_project


def run_cli(args: list[str], cwd: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        try:
            code = main(args)
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    finally:
        os.chdir(old)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj", {})


def write_stack(project: Path, name: str, text: str | bytes) -> None:
    path = project / "stacks" / f"Pulumi.{name}.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("", "empty"),
        (b"\x00\x01\x02binary", "binary"),
        ("config: [unclosed", "malformed YAML"),
        ("- a\n- b\n", "mapping at the top level"),
        ("encryptionsalt: x\n", "`config` mapping"),
        ("config:\n  landingZone: {}\n", "namespaced"),
        ("config:\n  other:thing: 1\n", "landing-zone:landingZone"),
        ("config:\n  landing-zone:landingZone: 5\n", "expected a mapping"),
        ("config:\n" + "  " + "a: {" * 200 + "}" * 200 + "\n", ""),
    ],
)
def test_malformed_stack_files_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], content: Any, fragment: str
) -> None:
    write_stack(project, "bad", content)
    code, _, err = run_cli(["plan", "--stack", "bad"], project, capsys)
    assert code == 2
    assert err.startswith("lz: error: stacks/Pulumi.bad.yaml")
    assert fragment in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) <= 8


def test_spec_error_names_key_and_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = example_spec()
    spec["clouds"]["aws"]["regions"] = ["eu-west-1", "us-east-1"]
    write_stack(project, "t", yaml.safe_dump({"config": foundation_config(spec)}, sort_keys=False))
    code, _, err = run_cli(["plan", "--stack", "t"], project, capsys)
    assert code == 2
    assert "stacks/Pulumi.t.yaml:" in err
    assert "config.landing-zone:landingZone.clouds.aws.regions[1]" in err
    assert "us-east-1" in err and "outside residency 'eu'" in err
    line = int(err.split("stacks/Pulumi.t.yaml:")[1].split(":")[0])
    text = (project / "stacks" / "Pulumi.t.yaml").read_text().splitlines()
    assert "us-east-1" in text[line - 1]


def test_huge_stack_file_is_refused_quickly(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_stack(project, "huge", "config:\n  x:y: '" + "a" * (5 * 1024 * 1024) + "'\n")
    code, _, err = run_cli(["plan", "--stack", "huge"], project, capsys)
    assert code == 2 and "limited to" in err


def test_missing_stack(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["plan", "--stack", "nope"], project, capsys)
    assert code == 2 and "no such stack file" in err


def test_usage_errors_exit_2(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["plan", "--stack", "x", "--bogus"], project, capsys)
    assert code == 2 and "unrecognized arguments: --bogus" in err
    code, _, err = run_cli(["frobnicate"], project, capsys)
    assert code == 2 and "invalid choice" in err


def test_outside_a_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["plan", "--stack", "x"], tmp_path, capsys)
    assert code == 2 and "no Pulumi.yaml" in err


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty"),
        (b'{"version": 3, "deployment": {"resources": [', "malformed JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"[1, 2]", "expected a JSON object"),
        (b'{"hello": 1}', "not a resource graph"),
        (b'{"deployment": {"resources": [{"urn": "nope", "type": "x"}]}}', "deployment.resources[0].urn"),
        (
            b'{"deployment": {"resources": [{"urn": "urn:pulumi:s::p::t::n", "type": "t", "inputs": 3}]}}',
            "deployment.resources[0].inputs",
        ),
        (b"[" * 100000 + b"]" * 100000, ""),
    ],
)
def test_malformed_graph_files_exit_2(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, fragment: str
) -> None:
    graph = tmp_path / "g.json"
    graph.write_bytes(content)
    code, _, err = run_cli(["check", str(graph)], project, capsys)
    assert code == 2, err
    assert err.startswith(f"lz: error: {graph}")
    assert fragment in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("flags", "fragment"),
    [
        (["--residency", "atlantis"], "--residency: unknown jurisdiction"),
        (["--residency", ""], "--residency"),
        (["--require-tags", ","], "--require-tags"),
        (["--stack", "nope"], "no such stack file"),
    ],
)
def test_bad_check_flags_exit_2(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str], fragment: str
) -> None:
    graph = tmp_path / "g.json"
    graph.write_text(json.dumps({"version": 3, "deployment": {"resources": []}}))
    code, _, err = run_cli(["check", str(graph), *flags], project, capsys)
    assert code == 2 and fragment in err


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{not json", "malformed JSON"),
        ('{"tags-required": "sometimes"}', "not an enforcement level"),
        ('["all"]', "expected a JSON object"),
        ('{"all": {"enforcementLevel": "advisory", "x": 1}}', "`all` takes only"),
    ],
)
def test_bad_policy_config_exit_2(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, fragment: str
) -> None:
    graph = tmp_path / "g.json"
    graph.write_text(json.dumps({"version": 3, "deployment": {"resources": []}}))
    cfg = tmp_path / "cfg.json"
    cfg.write_text(content)
    code, _, err = run_cli(["check", str(graph), "--policy-config", str(cfg)], project, capsys)
    assert code == 2 and fragment in err and str(cfg) in err


def test_schema_matches_committed_copy(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["schema"], ROOT, capsys)
    assert code == 0
    committed = (ROOT / "schema" / "stack.schema.json").read_text()
    assert out == committed, "schema/stack.schema.json is stale: run `make schema`"
    schema = json.loads(out)
    assert schema["$defs"]["LandingZone"]["additionalProperties"] is False


def test_example_stacks_carry_the_schema_modeline() -> None:
    for path in (ROOT / "stacks").glob("Pulumi.*.yaml"):
        first = path.read_text().splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/stack.schema.json", path


def test_console_script_and_module_entry_points(tmp_path: Path) -> None:
    """The real process: no traceback on bad input, `python -m lz` works."""
    proc = subprocess.run(
        [sys.executable, "-m", "lz", "plan", "--stack", "does-not-exist"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "no such stack file" in proc.stderr
    lz = Path(sys.executable).parent / "lz"
    proc = subprocess.run([str(lz), "schema"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and json.loads(proc.stdout)["title"]
