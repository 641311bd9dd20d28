"""`lz wave new`: render from a template, validate before writing, never overwrite, plan cleanly."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from lz.cli.project import find_project
from lz.cli.wave_new import MODELINE, render_wave, wave_name_for, wave_new
from lz.core.errors import InputError
from lz.spec.wave import load_wave
from tests.helpers import ROOT, Planned, example_spec, foundation_config, make_project

NS = "landing-zone"


@pytest.fixture
def project_root(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "p", {"foundation-dev": foundation_config(example_spec())})
    shutil.copytree(ROOT / "stacks" / "templates", root / "stacks" / "templates")
    return root


def read(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text())  # type: ignore[no-any-return]


def test_writes_a_valid_wave_stack_from_the_default_template(project_root: Path) -> None:
    project = find_project(project_root)
    path = wave_new(project, "wave-2-dev", "foundation-dev")
    assert path == project_root / "stacks" / "Pulumi.wave-2-dev.yaml"
    text = path.read_text()
    assert text.splitlines()[0] == MODELINE
    wave = load_wave(read(path)["config"][f"{NS}:wave"], file=str(path), namespace=NS)
    assert wave.name == "wave-2" and wave.foundation == "foundation-dev"
    assert wave.datasets[0].classification == "confidential"
    assert (wave.datasets[0].target.cloud, wave.datasets[0].target.region) == ("aws", "eu-west-1")


def test_refuses_to_overwrite(project_root: Path) -> None:
    project = find_project(project_root)
    path = wave_new(project, "wave-2-dev", "foundation-dev")
    before = path.read_text()
    with pytest.raises(InputError, match="refusing to overwrite"):
        wave_new(project, "wave-2-dev", "foundation-dev")
    assert path.read_text() == before


def test_a_template_that_renders_an_invalid_wave_writes_nothing(project_root: Path) -> None:
    bad = (
        (project_root / "stacks" / "templates" / "wave.yaml.j2")
        .read_text()
        .replace("region: {{ region }}\n        schedule", "region: us-east-1\n        schedule")
    )
    (project_root / "stacks" / "templates" / "us.yaml.j2").write_text(bad)
    project = find_project(project_root)
    with pytest.raises(InputError) as info:
        wave_new(project, "wave-3-dev", "foundation-dev", template="us")
    assert info.value.key == "config.landing-zone:wave.datasets[0].target.region"
    assert "rendered from stacks/templates/us.yaml.j2" in str(info.value.file)
    assert not (project_root / "stacks" / "Pulumi.wave-3-dev.yaml").exists()


def test_the_modeline_is_required(project_root: Path) -> None:
    text = (project_root / "stacks" / "templates" / "wave.yaml.j2").read_text().split("\n", 1)[1]
    (project_root / "stacks" / "templates" / "plain.yaml.j2").write_text(text)
    with pytest.raises(InputError, match="schema modeline"):
        wave_new(find_project(project_root), "wave-3-dev", "foundation-dev", template="plain")


def test_unknown_template_lists_the_templates(project_root: Path) -> None:
    with pytest.raises(InputError) as info:
        wave_new(find_project(project_root), "wave-3-dev", "foundation-dev", template="nope")
    assert info.value.key == "--from" and "wave" in info.value.detail


def test_undefined_template_variables_are_errors(project_root: Path) -> None:
    (project_root / "stacks" / "templates" / "typo.yaml.j2").write_text(MODELINE + "\nconfig: {{ nothing }}\n")
    with pytest.raises(InputError, match="template error"):
        wave_new(find_project(project_root), "wave-3-dev", "foundation-dev", template="typo")


def test_foundation_must_be_a_foundation_stack(project_root: Path) -> None:
    project = find_project(project_root)
    wave_new(project, "wave-2-dev", "foundation-dev")
    with pytest.raises(InputError, match="not a foundation"):
        wave_new(project, "wave-3-dev", "wave-2-dev")
    with pytest.raises(InputError, match="no such stack file"):
        wave_new(project, "wave-3-dev", "foundation-prod")


def test_wave_names_drop_the_environment_suffix() -> None:
    assert wave_name_for("wave-2-dev", "dev") == "wave-2"
    assert wave_name_for("wave-2", "dev") == "wave-2"
    assert wave_name_for("dev", "dev") == "dev"


def test_a_name_too_long_for_a_wave_is_refused(project_root: Path) -> None:
    with pytest.raises(InputError, match="wave name"):
        render_wave(find_project(project_root), "a-very-long-wave-name-indeed-dev", "foundation-dev")


def test_generated_wave_plans_cleanly(project_root: Path, foundation_dev: Planned) -> None:
    from tests.components.test_migration import stack_outputs, synth_wave

    wave_new(find_project(project_root), "wave-2-dev", "foundation-dev")
    result = synth_wave(project_root, "wave-2-dev", stack_outputs(foundation_dev))
    assert result.planned.exit_code == 0, result.planned.mandatory()
    assert result.planned.by_type("aws:datasync/task:Task")
    assert result.outputs["kind"] == "wave"


def test_cli_subcommand_when_wired(
    project_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from lz.cli.app import build_parser, main

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    if "wave" not in getattr(sub, "choices", {}):
        pytest.skip("`lz wave new` is not wired into the CLI yet")
    monkeypatch.chdir(project_root)
    assert main(["wave", "new", "wave-2-dev", "--foundation", "foundation-dev"]) == 0
    assert (project_root / "stacks" / "Pulumi.wave-2-dev.yaml").exists()
    capsys.readouterr()
    assert main(["wave", "new", "wave-2-dev", "--foundation", "foundation-dev"]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err
