"""Shared fixtures of the policy-review tests: the two real checkov runs the suite makes.

checkov takes seconds to start, so the suite runs it twice in all: once over every known-bad and
known-good case of `cases.py` together with the GitHub workflows (and a deliberately bad workflow,
so a scanner that checks nothing cannot pass), and once over the example stack.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from lz.core.graph import Resource, resources_from_graph
from lz.review.bridge.arm import to_arm
from lz.review.bridge.terraform import to_tfplan
from lz.review.checkov import CheckovRun, find_checkov, scan
from tests.review.cases import Case, all_cases, all_resources

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))

# Every permission writable and a pull-request title pasted into a shell: checkov must object.
BAD_WORKFLOW = """\
name: bad
on: pull_request
permissions: write-all
jobs:
  echo:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ github.event.pull_request.title }}"
"""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "checkov: runs the real checkov (each start costs seconds)")


@dataclass
class Scanned:
    run: CheckovRun
    names: dict[str, str]  # Pulumi URN -> the resource name checkov reports
    urns: dict[str, str]  # checkov resource name -> Pulumi URN
    tfplan: dict[str, Any]
    arm: dict[str, Any]
    resources: list[Resource]
    workdir: Path


def _bridge_and_scan(
    resources: list[Resource], workdir: Path, extra: list[Path], frameworks: tuple[str, ...]
) -> Scanned:
    plan, tf_urns = to_tfplan(resources)
    arm, arm_urns = to_arm(resources)
    tf_path, arm_path = workdir / "tfplan.json", workdir / "arm.json"
    tf_path.write_text(json.dumps(plan, indent=2), encoding="utf-8")
    arm_path.write_text(json.dumps(arm, indent=2), encoding="utf-8")
    run = scan([tf_path, arm_path, *extra], workdir, frameworks=frameworks, include_passed=True)
    urns = {**tf_urns, **arm_urns}
    return Scanned(
        run=run,
        names={u: k for k, u in urns.items()},
        urns=urns,
        tfplan=plan,
        arm=arm,
        resources=resources,
        workdir=workdir,
    )


@pytest.fixture(scope="session")
def cases() -> list[Case]:
    return all_cases()


@pytest.fixture(scope="session")
def bad_workflow(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bad-workflow") / ".github" / "workflows" / "bad.yml"
    path.parent.mkdir(parents=True)
    path.write_text(BAD_WORKFLOW, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def review_scan(cases: list[Case], bad_workflow: Path, tmp_path_factory: pytest.TempPathFactory) -> Scanned:
    """checkov once over all proof cases (Terraform plan + ARM) and the workflows."""
    return _bridge_and_scan(
        all_resources(cases),
        tmp_path_factory.mktemp("review-scan"),
        [*WORKFLOWS, bad_workflow],
        ("terraform_plan", "arm", "github_actions"),
    )


@pytest.fixture(scope="session")
def stack_scan(foundation_dev: Any, tmp_path_factory: pytest.TempPathFactory) -> Scanned:
    """checkov once over the example stack's translated graph."""
    return _bridge_and_scan(
        resources_from_graph(foundation_dev.graph), tmp_path_factory.mktemp("stack-scan"), [], ("terraform_plan", "arm")
    )


def checkov_package() -> Path:
    binary = find_checkov()
    found = sorted(binary.resolve().parent.parent.glob("lib/python3*/site-packages/checkov"))
    assert found, f"cannot find the checkov package next to {binary}"
    return found[0]


_SUPPORTED = re.compile(r"supported_resources\s*=\s*[\(\[]([^\)\]]*)[\)\]]")
_TF_TYPE = re.compile(r"\b(?:aws|google)_[a-z0-9_]+\b")


def checkov_resource_types() -> tuple[set[str], set[str]]:
    """(Terraform types checkov knows, types that have a resource check of their own).

    Read from checkov's own source: the second set is every `supported_resources` of its resource
    checks (Terraform and ARM); the first adds checkov's catalog of provider resource types
    (`common/checks_infra/resources_types.py`) and every type named in its checks, graph checks included.
    """
    package = checkov_package()
    direct: set[str] = set()
    for base in ("terraform/checks/resource", "arm/checks/resource"):
        for path in (package / base).rglob("*.py"):
            for match in _SUPPORTED.finditer(path.read_text(encoding="utf-8")):
                direct.update(re.findall(r"['\"]([^'\"]+)['\"]", match.group(1)))
    known = set(direct) | terraform_catalog()
    for base in ("terraform/checks", "arm/checks"):
        for path in (package / base).rglob("*"):
            if path.suffix in (".py", ".yaml", ".yml", ".json"):
                known.update(_TF_TYPE.findall(path.read_text(encoding="utf-8")))
    return known, direct


def terraform_catalog() -> set[str]:
    """checkov's list of the AWS and Google Terraform resource types (what its graph checks range over)."""
    text = (checkov_package() / "common" / "checks_infra" / "resources_types.py").read_text(encoding="utf-8")
    return set(_TF_TYPE.findall(text))
