"""Generated stack files through the whole `lz plan`: exit 0 or 1, or exit 2 naming a key path.

A plan takes seconds, so these draw few examples (3 in `make test`, a few hundred with
`HYPOTHESIS_PROFILE=fuzz`); the spec layer, which decides exit 2, is fuzzed at volume in
`test_spec_fuzz`. The plans run in this process through `lz.cli.main`, as the CLI runs them, in a
throw-away project, each under a time bound.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, note
from hypothesis import strategies as st

from lz.cli.app import main
from tests.fuzz.budget import plan_settings, time_bound
from tests.fuzz.strategies import foundations, near_misses, waves
from tests.fuzz.test_spec_fuzz import EXAMPLE_CLOUDS
from tests.helpers import example_spec, foundation_config, make_project

pytestmark = pytest.mark.fuzz

PLAN_SECONDS = 600  # a small generated spec plans in seconds; only a hang takes ten minutes
SECRETS = {
    f"landing-zone:{key}": {"secure": "v1:fuzz"}
    for key in ("otlpAuthorization", "dockerHubCredential", "wave-keys", "wave-db-password", "wave-db-ca")
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One throw-away project for every example (its stack files rewritten each time): the program's
    modules are imported from the first project a process plans, so that one has to stay."""
    return make_project(tmp_path_factory.mktemp("fuzz") / "project", {})


def _plan(project: Path, stacks: dict[str, dict[str, Any]], stack: str) -> tuple[int, str]:
    shutil.rmtree(project / "stacks")
    shutil.rmtree(project / "out", ignore_errors=True)
    make_project(project, stacks)
    err = io.StringIO()
    cwd = os.getcwd()
    os.chdir(project)
    try:
        with time_bound(PLAN_SECONDS), contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["plan", "--stack", stack, "--out", str(project / "out"), "--no-checkov"])
    finally:
        os.chdir(cwd)
    return code, err.getvalue()


# What the project builds must be deployable and connected by its own judgement (issues 11 and 12):
# whatever else a generated spec gets wrong, the plan it synthesizes has no finding of these families.
OWN_FAMILIES = ("deploy-", "network-")


def _judge(project: Path, code: int, err: str, stack: str, root: str) -> None:
    note(f"exit {code}: {err}")
    event(f"exit {code}")
    assert code in (0, 1, 2), err
    assert "Traceback" not in err
    if code == 2:
        assert err.startswith(f"lz: error: stacks/Pulumi.{stack}.yaml"), err
        assert f"config.landing-zone:{root}" in err, f"exit 2 without a key path: {err}"
        return
    findings = json.loads((project / "out" / "findings.json").read_text())["findings"]
    own = [f"{f['policy']}: {f['message']}" for f in findings if f["policy"].startswith(OWN_FAMILIES)]
    assert not own, "the project's own plan is not deployable or not connected:\n" + "\n".join(own)


@plan_settings()
@given(st.one_of(foundations(max_regions=2), near_misses(foundations(max_regions=2)).map(lambda case: case[0])))
def test_generated_foundations_plan_or_are_refused_by_key(project: Path, raw: Any) -> None:
    config = {**foundation_config(raw), **SECRETS}
    code, err = _plan(project, {"fuzz": config}, "fuzz")
    _judge(project, code, err, "fuzz", "landingZone")


@plan_settings(divisor=100, least=2)
@given(st.one_of(waves(EXAMPLE_CLOUDS), near_misses(waves(EXAMPLE_CLOUDS)).map(lambda case: case[0])))
def test_generated_waves_plan_or_are_refused_by_key(project: Path, raw: Any) -> None:
    foundation = {**foundation_config(example_spec()), **SECRETS}
    wave = {"pulumi:disable-default-providers": ["*"], "landing-zone:wave": raw, **SECRETS}
    code, err = _plan(project, {"foundation-dev": foundation, "wave-fuzz": wave}, "wave-fuzz")
    _judge(project, code, err, "wave-fuzz", "wave")
