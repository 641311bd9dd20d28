"""`lz env`: naming, expiry and garbage-collection selection without the Pulumi CLI, and exit 2 without it."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml

from lz.cli import envs
from lz.cli.project import find_project
from lz.core.errors import InputError, ToolMissingError
from tests.helpers import ROOT, make_project

UTC = datetime.UTC
NOW = datetime.datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", datetime.timedelta(minutes=30)),
        ("8h", datetime.timedelta(hours=8)),
        ("2d", datetime.timedelta(days=2)),
        ("1d12h", datetime.timedelta(days=1, hours=12)),
        ("1h30m", datetime.timedelta(hours=1, minutes=30)),
    ],
)
def test_ttl(text: str, expected: datetime.timedelta) -> None:
    assert envs.parse_ttl(text) == expected


@pytest.mark.parametrize("text", ["", "8", "h", "0h", "-1h", "31d", "8 hours", "1w"])
def test_bad_ttl_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError) as info:
        envs.parse_ttl(text)
    assert info.value.key == "--ttl"


def test_names_carry_the_wave_and_a_short_id() -> None:
    assert envs.env_name("wave-1-dev", "a1b2c3") == "wave-1-dev-test-a1b2c3"
    assert envs.is_env_name("wave-1-dev-test-a1b2c3")
    assert not envs.is_env_name("wave-1-dev") and not envs.is_env_name("foundation-dev-test-XYZ123")
    with pytest.raises(ValueError):
        envs.env_name("wave-1-dev", "not-hex")
    ids = {envs.new_short_id() for _ in range(20)}
    assert all(len(i) == 6 and envs.is_env_name(f"w-test-{i}") for i in ids)


def test_expiry_is_now_plus_ttl_in_utc() -> None:
    expires = envs.expiry(NOW, envs.parse_ttl("8h"))
    assert envs.format_time(expires) == "2026-03-01T20:00:00Z"
    assert envs.parse_time("2026-03-01T20:00:00Z") == expires
    assert envs.parse_time("yesterday") is None and envs.parse_time(None) is None


def test_the_test_stack_is_the_wave_rehearsing_as_test_with_its_expiry() -> None:
    wave_doc = yaml.safe_load((ROOT / "stacks" / "Pulumi.wave-1-dev.yaml").read_text())
    wave_doc["encryptionsalt"] = "v1:salt"
    doc = envs.env_stack_document(
        wave_doc,
        namespace="landing-zone",
        wave_stack="wave-1-dev",
        expires=envs.expiry(NOW, datetime.timedelta(hours=8)),
    )
    assert doc["encryptionsalt"] == "v1:salt"  # secure values keep decrypting with the same passphrase
    assert doc["config"]["landing-zone:wave"]["environment"] == "test"
    assert doc["config"]["landing-zone:testEnvironment"] == {"wave": "wave-1-dev", "expires": "2026-03-01T20:00:00Z"}
    assert doc["config"]["landing-zone:wave-1-s3-keys"] == wave_doc["config"]["landing-zone:wave-1-s3-keys"]
    assert "environment" not in wave_doc["config"]["landing-zone:wave"]  # the wave's own file is untouched
    with pytest.raises(InputError, match="not a wave"):
        envs.env_stack_document({"config": {}}, namespace="landing-zone", wave_stack="foundation-dev", expires=NOW)


def test_gc_selects_expired_environments_only() -> None:
    def env(name: str, hours: float | None) -> envs.TestEnvironment:
        moment = None if hours is None else NOW + datetime.timedelta(hours=hours)
        return envs.TestEnvironment(name=name, wave="wave-1-dev", expires=moment)

    candidates = [
        env("wave-1-dev-test-000003", -1),
        env("wave-1-dev-test-000001", 2),
        env("wave-1-dev-test-000002", -5),
        env("wave-1-dev-test-000004", 0),
        env("wave-1-dev-test-000005", None),
    ]
    chosen = envs.select_expired(candidates, NOW)
    assert [e.name for e in chosen] == ["wave-1-dev-test-000002", "wave-1-dev-test-000003", "wave-1-dev-test-000004"]


def test_environment_records_are_read_from_the_stack_file() -> None:
    doc = {"config": {"landing-zone:testEnvironment": {"wave": "wave-1-dev", "expires": "2026-03-01T10:00:00Z"}}}
    env = envs.environment_of("wave-1-dev-test-abcdef", doc, "landing-zone")
    assert env is not None and env.expired(NOW) and env.wave == "wave-1-dev"
    assert envs.environment_of("wave-1-dev", doc, "landing-zone") is None
    unknown = envs.environment_of("wave-1-dev-test-abcdef", {}, "landing-zone")
    assert unknown is not None and unknown.expires is None and not unknown.expired(NOW)


def test_default_backend_is_a_file_backend_inside_the_project(tmp_path: Path) -> None:
    project = find_project(make_project(tmp_path / "p", {}))
    assert envs.default_backend(project) == f"file://{project.root / '.lz' / 'state'}"


@pytest.fixture
def no_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(envs.shutil, "which", lambda _name: None)


def test_every_command_says_the_cli_is_missing(no_cli: None, tmp_path: Path) -> None:
    project = find_project(make_project(tmp_path / "p", {}))
    for call in (
        lambda: envs.env_up(project, "wave-1-dev", "8h", short_id="abcdef", now=NOW),
        lambda: envs.env_down(project, "wave-1-dev-test-abcdef"),
        lambda: envs.env_gc(project, now=NOW),
    ):
        with pytest.raises(ToolMissingError) as info:
            call()
        assert "Pulumi CLI is not installed" in str(info.value) and "install" in str(info.value)
    assert not list((project.root / "stacks").glob("*test*"))  # nothing written without the CLI


def test_down_refuses_stacks_that_are_not_test_environments(tmp_path: Path) -> None:
    project = find_project(make_project(tmp_path / "p", {}))
    with pytest.raises(InputError, match="never destroys other stacks"):
        envs.env_down(project, "wave-1-dev")


def test_cli_exits_2_with_the_message_when_pulumi_is_missing(
    no_cli: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from lz.cli.app import build_parser, main

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    if "env" not in getattr(sub, "choices", {}):
        pytest.skip("`lz env` is not wired into the CLI yet")
    root = make_project(tmp_path / "p", {})
    monkeypatch.chdir(root)
    for argv in (["env", "up", "wave-1-dev"], ["env", "down", "wave-1-dev-test-abcdef"], ["env", "gc"]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert "Pulumi CLI is not installed" in err and "Traceback" not in err
