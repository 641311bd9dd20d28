"""graph.json as a real `pulumi stack export`: StackReferences recorded like the engine records a read
resource; duplicate URNs, NaN and Infinity refused with exit 2 naming the first offender."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lz.cli import main
from lz.core.errors import InputError
from lz.core.graph import load_graph
from tests.helpers import ROOT

S = "urn:pulumi:dev::p::"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "g.json"
    path.write_text(text)
    return path


def _resource(name: str, **inputs: object) -> dict:
    return {"urn": f"{S}aws:sqs/queue:Queue::{name}", "type": "aws:sqs/queue:Queue", "custom": True, "inputs": inputs}


@pytest.mark.parametrize(
    ("token", "path"),
    [
        ("NaN", "deployment.resources[1].inputs.delaySeconds"),
        ("Infinity", "deployment.resources[1].inputs.delaySeconds"),
        ("-Infinity", "deployment.resources[1].inputs.delaySeconds"),
    ],
)
def test_nan_and_infinity_are_refused_naming_the_key_path(tmp_path: Path, token: str, path: str) -> None:
    doc = json.dumps(
        {
            "version": 3,
            "deployment": {"resources": [_resource("a", delaySeconds=1), _resource("b", delaySeconds=12345)]},
        }
    )
    text = doc.replace("12345", token)
    with pytest.raises(InputError) as err:
        load_graph(_write(tmp_path, text))
    assert path in str(err.value) and token in str(err.value)


def test_nan_exits_2_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    text = json.dumps({"version": 3, "deployment": {"resources": [_resource("a", delaySeconds=7)]}})
    path = _write(tmp_path, text.replace(": 7", ": NaN"))
    assert main(["check", str(path), "--no-checkov", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "deployment.resources[0].inputs.delaySeconds" in err and "Traceback" not in err
    assert not (tmp_path / "out" / "tfplan.json").exists()


def test_the_string_nan_is_just_a_string(tmp_path: Path) -> None:
    text = json.dumps({"version": 3, "deployment": {"resources": [_resource("a", queueName="NaN")]}})
    assert load_graph(_write(tmp_path, text))[0][0].inputs["queueName"] == "NaN"


def test_duplicate_urns_are_refused_at_the_first_repeat(tmp_path: Path) -> None:
    text = json.dumps({"version": 3, "deployment": {"resources": [_resource("a"), _resource("b"), _resource("a")]}})
    with pytest.raises(InputError) as err:
        load_graph(_write(tmp_path, text))
    assert "deployment.resources[2].urn" in str(err.value) and "first at deployment.resources[0].urn" in str(err.value)


def test_duplicate_urns_in_a_preview_are_refused(tmp_path: Path) -> None:
    steps = [{"op": "create", "urn": r["urn"], "newState": r} for r in (_resource("a"), _resource("a"))]
    with pytest.raises(InputError) as err:
        load_graph(_write(tmp_path, json.dumps({"steps": steps})))
    assert "steps[1].newState.urn" in str(err.value)


def test_a_wave_graph_records_its_stack_reference_as_a_real_export_does(tmp_path: Path) -> None:
    from tests.helpers import plan

    planned = plan("wave-1-dev", out=tmp_path / "wave")
    graph = json.loads((tmp_path / "wave" / "graph.json").read_text())
    resources = {r["urn"]: r for r in graph["deployment"]["resources"]}
    refs = [r for r in resources.values() if r["type"] == "pulumi:pulumi:StackReference"]
    assert len(refs) == 1
    ref = refs[0]
    assert ref["external"] is True and ref["custom"] is True
    assert ref["id"] == ref["inputs"]["name"] == ref["outputs"]["name"]
    assert ref["id"].endswith("/foundation-dev")
    assert "foundation" in ref["outputs"]["outputs"] and isinstance(ref["outputs"]["secretOutputNames"], list)
    provider_urn, provider_id = ref["provider"].rsplit("::", 1)
    assert resources[provider_urn]["type"] == "pulumi:providers:pulumi" and resources[provider_urn]["id"] == provider_id
    assert resources[ref["parent"]]["type"] == "pulumi:pulumi:Stack"
    # every reference in the graph now resolves to a resource of the graph
    for r in resources.values():
        for dep in r.get("dependencies", []):
            assert dep in resources, (r["urn"], dep)
    assert planned is not None
