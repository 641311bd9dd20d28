"""The CI workflows are linted (actionlint) and scanned (checkov's github_actions framework)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.review.conftest import WORKFLOWS, Scanned

ACTIONLINT_HINT = "actionlint is not installed: it comes with the dev dependencies (`make setup`)"


def _actionlint() -> str:
    beside = Path(sys.executable).with_name("actionlint")
    found = str(beside) if beside.is_file() else shutil.which("actionlint")
    assert found, ACTIONLINT_HINT
    return found


def _lint(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_actionlint(), "-no-color", *map(str, paths)], capture_output=True, text=True, timeout=120, check=False
    )


def test_the_workflows_exist() -> None:
    assert {p.name for p in WORKFLOWS} >= {"policy-review.yml", "preview.yml"}


def test_actionlint_accepts_the_workflows() -> None:
    result = _lint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: pull_request\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n        with:\n          fetch-dept: 1\n"
        "      - run: echo ${{ steps.nope.outputs.x }}\n",
        encoding="utf-8",
    )
    result = _lint(broken)
    assert result.returncode != 0 and "fetch-dept" in result.stdout


def _steps(workflow: dict) -> list[dict]:
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_and_permissions_minimal(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert workflow["permissions"] == {}, "no permission at the workflow level; jobs ask for what they use"
    for step in _steps(workflow):
        uses = step.get("uses")
        if uses and not uses.startswith("./"):
            ref = uses.rsplit("@", 1)[-1]
            assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), f"{uses} is not pinned to a commit"
    for job in workflow["jobs"].values():
        granted = job.get("permissions", {})
        assert "write-all" not in str(granted)
        assert set(granted) <= {"contents", "security-events", "pull-requests", "id-token"}


def test_policy_review_plans_base_and_head_and_reports() -> None:
    text = (WORKFLOWS[0].parent / "policy-review.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers
    steps = _steps(workflow)
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert "github/codeql-action/upload-sarif" in uses and "actions/github-script" in uses
    assert "lz plan --all" in text and "--base" in text
    checkouts = [s for s in steps if s.get("uses", "").startswith("actions/checkout")]
    assert any(s["with"].get("ref") == "${{ github.event.pull_request.base.sha }}" for s in checkouts)


def test_the_base_branch_owns_the_gate() -> None:
    """The pull request's code runs only in a job with no write token; the gate (policies, checkov
    settings, waivers) is the base branch's, in a job that never runs the head's code."""
    workflow = yaml.safe_load((WORKFLOWS[0].parent / "policy-review.yml").read_text(encoding="utf-8"))
    synth, review = workflow["jobs"]["synthesize"], workflow["jobs"]["review"]
    assert synth["permissions"] == {"contents": "read"}
    assert review["needs"] == "synthesize"
    checkouts = [s for s in review["steps"] if s.get("uses", "").startswith("actions/checkout")]
    base = [s for s in checkouts if s["with"].get("ref") == "${{ github.event.pull_request.base.sha }}"]
    head = [s for s in checkouts if s not in base]
    assert len(base) == 1 and base[0]["with"]["path"] == "base"
    assert all(s["with"]["sparse-checkout"] == "stacks" for s in head)  # the head's stack list, as data
    runs = [s for s in review["steps"] if "run" in s]
    assert all(s.get("working-directory", ".") in (".", "base") for s in runs)
    for step in runs:  # the head's files are only ever listed and tested for existence
        uses = step["run"].split("head-src")[1:]
        assert all(u.startswith("/stacks") for u in uses), step["name"]
    gate = next(s for s in runs if s.get("id") == "check")["run"]
    assert "--waivers waivers.yaml" in gate and "--base" in gate and 'lz "${args[@]}"' in gate
    assert "secrets." not in str(workflow)


def test_preview_gives_its_token_to_one_step() -> None:
    workflow = yaml.safe_load((WORKFLOWS[0].parent / "preview.yml").read_text(encoding="utf-8"))
    (job,) = workflow["jobs"].values()
    assert "PULUMI_ACCESS_TOKEN" not in job.get("env", {})
    holders = [s for s in job["steps"] if "PULUMI_ACCESS_TOKEN" in str(s)]
    assert len(holders) == 1 and holders[0]["uses"].startswith("pulumi/actions@")


def test_preview_runs_the_policy_pack_with_oidc() -> None:
    workflow = yaml.safe_load((WORKFLOWS[0].parent / "preview.yml").read_text(encoding="utf-8"))
    (job,) = workflow["jobs"].values()
    assert job["permissions"]["id-token"] == "write"
    pulumi = next(s for s in job["steps"] if s.get("uses", "").startswith("pulumi/actions@"))
    assert pulumi["with"]["command"] == "preview" and pulumi["with"]["policyPacks"] == "policies"
    text = str(workflow)
    assert "aws-access-key-id" not in text and "credentials_json" not in text and "client-secret" not in text


@pytest.mark.checkov
def test_checkov_finds_nothing_wrong_with_the_workflows(review_scan: Scanned, bad_workflow: Path) -> None:
    results = [r for r in review_scan.run.results if r.framework == "github_actions"]
    ours = {str(p.resolve()) for p in WORKFLOWS}
    mine = [r for r in results if r.file in ours]
    assert {r.file for r in mine} == ours, "checkov did not scan every workflow"
    failed = [f"{r.check_id} {r.resource} {r.file}" for r in mine if not r.passed]
    assert not failed, failed
    # The scanner is awake: the deliberately bad workflow fails.
    assert any(not r.passed and r.file == str(bad_workflow.resolve()) for r in results)
