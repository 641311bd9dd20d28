"""End to end through `lz plan`: the runbook's "Roll back everything" gives the target weight 0, and a
rehearsal (`environment: test`) plans no record of the production hostname and no change data capture."""

from __future__ import annotations

import json
import os
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from lz.cli import main
from lz.core.rehearsal import rehearsal_hostname
from tests.helpers import ROOT, make_project

NS = "landing-zone"
PRODUCTION = "api.acme-ai.example.com"


def _project(tmp_path: Path, edit_wave: Any = None) -> Path:
    configs = {
        s: yaml.safe_load((ROOT / "stacks" / f"Pulumi.{s}.yaml").read_text())["config"]
        for s in ("foundation-dev", "wave-1-dev")
    }
    if edit_wave is not None:
        edit_wave(configs["wave-1-dev"][f"{NS}:wave"])
    return make_project(tmp_path, configs)


def _plan(project: Path, out: Path) -> dict[str, Any]:
    cwd = os.getcwd()
    os.chdir(project)
    try:
        code = main(["plan", "--stack", "wave-1-dev", "--no-checkov", "--out", str(out)])
    finally:
        os.chdir(cwd)
    assert code == 0
    return json.loads((out / "graph.json").read_text())


def _records(graph: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        r["inputs"]["setIdentifier"]: r["inputs"]
        for r in graph["deployment"]["resources"]
        if r["type"] == "aws:route53/record:Record"
    }


def _apply_config_set(project: Path, command: str) -> None:
    """Do what `pulumi config set --path KEY VALUE --stack S` does to the stack file (YAML value)."""
    words = shlex.split(command.split("&&")[0])
    assert words[:4] == ["pulumi", "config", "set", "--path"], command
    key, value, stack = words[4], words[5], words[words.index("--stack") + 1]
    path = project / "stacks" / f"Pulumi.{stack}.yaml"
    document = yaml.safe_load(path.read_text())
    top, *rest = key.split(".")
    node = document["config"][top]
    for part in rest[:-1]:
        node = node[part]
    node[rest[-1]] = yaml.safe_load(value)
    path.write_text(yaml.safe_dump(document, sort_keys=False))


def test_roll_back_everything_sends_nothing_to_the_target(tmp_path: Path) -> None:
    def at_step_2(wave: dict[str, Any]) -> None:
        wave["cutover"]["current_step"] = 2

    project = _project(tmp_path / "p", at_step_2)
    before = _records(_plan(project, tmp_path / "o1"))
    assert before["target"]["weightedRoutingPolicies"][0]["weight"] == 50
    runbook = (tmp_path / "o1" / "runbook.md").read_text()
    block = runbook.split("### Roll back everything", 1)[1]
    command = re.search(r"```sh\n(.+?)\n```", block, re.S).group(1)
    _apply_config_set(project, command)
    after = _records(_plan(project, tmp_path / "o2"))
    assert after["target"]["weightedRoutingPolicies"][0]["weight"] == 0
    assert after["source"]["weightedRoutingPolicies"][0]["weight"] == 100


def test_a_rehearsal_plans_no_record_of_the_production_hostname(tmp_path: Path) -> None:
    def rehearsal(wave: dict[str, Any]) -> None:
        wave["environment"] = "test"

    graph = _plan(_project(tmp_path / "p", rehearsal), tmp_path / "o")
    text = json.dumps(graph)
    records = _records(graph)
    assert records and {r["name"] for r in records.values()} == {rehearsal_hostname(PRODUCTION)}
    assert f'"{PRODUCTION}"' not in text  # no record, health check or alarm names the production hostname
    jobs = [
        r["inputs"]
        for r in graph["deployment"]["resources"]
        if r["type"] == "gcp:databasemigrationservice/migrationJob:MigrationJob"
    ]
    assert jobs and all(j["type"] == "ONE_TIME" for j in jobs)  # PostgreSQL: no CDC, no slot on the source
    transfers = [
        r["inputs"] for r in graph["deployment"]["resources"] if r["type"] == "gcp:storage/transferJob:TransferJob"
    ]
    assert transfers and all(
        not t["transferSpec"]["transferOptions"].get("deleteObjectsFromSourceAfterTransfer") for t in transfers
    )
    assert rehearsal_hostname(PRODUCTION) in (tmp_path / "o" / "runbook.md").read_text()


@pytest.mark.parametrize(
    ("hostname", "expected"),
    [
        ("api.acme.example", "api-rehearsal.acme.example"),
        ("a" * 63 + ".x.example", "a" * 53 + "-rehearsal.x.example"),
    ],
)
def test_rehearsal_hostname_is_a_sibling_name_in_the_zone(hostname: str, expected: str) -> None:
    assert rehearsal_hostname(hostname) == expected and len(expected.split(".")[0]) <= 63
