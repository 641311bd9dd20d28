"""Messages a person can act on: quote-it hints, did-you-mean, duplicate keys, YAML errors with line and
column, secrets never echoed, one AWS partition per account, and a JSON Schema an editor can check with."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from lz.cli.project import find_project, load_stack, parse_yaml
from lz.core.errors import InputError
from lz.spec import load_landing_zone, schema_text
from lz.spec.foundation import partition_of
from lz.spec.wave import load_wave
from tests.helpers import ROOT, example_spec, make_project

NS = "landing-zone"


def _refused(edit: Any) -> InputError:
    spec = example_spec()
    edit(spec)
    with pytest.raises(InputError) as info:
        load_landing_zone(spec, file="f.yaml", namespace=NS)
    return info.value


def test_values_yaml_turns_into_booleans_or_numbers_say_quote_it() -> None:
    err = _refused(lambda s: s.__setitem__("residency", False))  # `residency: no`
    assert err.key.endswith("residency") and "quote it" in err.detail and "boolean false" in err.detail
    err = _refused(lambda s: s["tags"].__setitem__("cost-center", 9001))
    assert err.key.endswith("tags.cost-center") and 'quote it: "9001"' in err.detail


@pytest.mark.parametrize(
    ("edit", "suggestion"),
    [
        (lambda s: s.__setitem__("residency", "euu"), "did you mean eu?"),
        (lambda s: s.__setitem__("environment", "prd"), "did you mean prod?"),
        (lambda s: s.__setitem__("gpu_pool", []), "did you mean gpu_pools?"),
        (lambda s: s["clouds"]["aws"].__setitem__("regions", ["eu-west-l"]), "eu-west-1?"),
        (lambda s: s["gpu_pools"][0].__setitem__("accelerator", "h10"), "did you mean h100"),
    ],
)
def test_did_you_mean(edit: Any, suggestion: str) -> None:
    assert suggestion in _refused(edit).detail


def test_stack_names_get_did_you_mean(tmp_path: Path) -> None:
    project = find_project(make_project(tmp_path / "p", {"foundation-dev": {"x:y": 1}}))
    with pytest.raises(InputError, match="did you mean foundation-dev"):
        load_stack(project, "foundation-dvv")


def test_one_aws_partition_per_account() -> None:
    def mixed(s: dict[str, Any]) -> None:
        s["residency"] = "us"
        s["clouds"] = {"aws": {**s["clouds"]["aws"], "regions": ["us-east-1", "us-gov-west-1"]}}
        s["gpu_pools"], s["interconnect"] = [], {"topology": "none"}
        s["telemetry"] = {**s.get("telemetry", {}), "native": []}

    err = _refused(mixed)
    assert err.key.endswith("clouds.aws.regions[1]") and "partition aws-us-gov" in err.detail
    assert [partition_of(r) for r in ("eu-west-1", "us-gov-east-1", "cn-north-1", "eusc-de-east-1")] == [
        "aws",
        "aws-us-gov",
        "aws-cn",
        "aws-eusc",
    ]


def test_duplicate_keys_are_refused_with_both_lines() -> None:
    with pytest.raises(InputError) as info:
        parse_yaml("config:\n  a: 1\n  b: 2\n  a: 3\n", "s.yaml")
    assert info.value.line == 4 and "duplicate key 'a' (first at line 2)" in info.value.detail


@pytest.mark.parametrize(
    ("text", "line", "plain"),
    [
        ("config:\n\t- x\n", 2, "YAML indents with spaces only"),
        ("policy: *\n", 1, "quote it"),
        ("config:\n  owner: platform: team\n", 2, "quote a value that holds ': '"),
    ],
)
def test_yaml_errors_give_line_column_and_a_plain_message(text: str, line: int, plain: str) -> None:
    with pytest.raises(InputError) as info:
        parse_yaml(text, "s.yaml")
    assert info.value.line == line and "at column" in info.value.detail and plain in info.value.detail


def test_a_secret_pasted_where_its_key_name_belongs_is_not_echoed() -> None:
    raw = yaml.safe_load((ROOT / "stacks" / "Pulumi.wave-1-dev.yaml").read_text())["config"][f"{NS}:wave"]
    secret = "correct horse battery staple 42"
    raw["databases"][0]["source"]["password_secret"] = secret
    with pytest.raises(InputError) as info:
        load_wave(raw, file="w.yaml", namespace=NS)
    assert "password_secret" in str(info.value) and secret not in str(info.value)


# --- the JSON Schema, as an editor uses it ------------------------------------------------------


def _validate(instance: dict[str, Any]) -> list[str]:
    """Errors of the committed schema over `instance`, with the jsonschema library of the checkov tool env."""
    python = ROOT / ".tools" / "checkov" / "bin" / "python"
    if not python.is_file():
        pytest.skip("the checkov tool environment (with jsonschema) is not installed: run `make setup`")
    script = (
        "import json, sys, jsonschema\n"
        "schema, doc = json.loads(sys.argv[1]), json.loads(sys.stdin.read())\n"
        "v = jsonschema.Draft202012Validator(schema)\n"
        "print(json.dumps(sorted('/'.join(map(str, e.absolute_path)) for e in v.iter_errors(doc))))\n"
    )
    proc = subprocess.run(
        [str(python), "-c", script, schema_text()],
        input=json.dumps(instance),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(proc.stdout)


def _stack(edit: Any = None) -> dict[str, Any]:
    doc = yaml.safe_load((ROOT / "stacks" / "Pulumi.foundation-dev.yaml").read_text())
    if edit is not None:
        edit(doc["config"][f"{NS}:landingZone"])
    return doc


def test_the_example_stacks_satisfy_the_schema() -> None:
    assert _validate(_stack()) == []
    assert _validate(yaml.safe_load((ROOT / "stacks" / "Pulumi.wave-1-dev.yaml").read_text())) == []


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda s: s["clouds"]["aws"]["regions"].append("eu-wst-1"), "clouds/aws"),  # anyOf [AwsCloud, null]
        (lambda s: s["gpu_pools"][0].__setitem__("accelerator", "h1000"), "gpu_pools/0/accelerator"),
        (lambda s: s["identity"]["roles"][0]["grants"].append("god-mode"), "identity/roles/0/grants"),
        (
            lambda s: s["identity"]["roles"][0].__setitem__("session_duration", "4 hours"),
            "identity/roles/0/session_duration",
        ),
        (lambda s: s["tags"].pop("owner"), "tags"),
        (lambda s: s["tags"].__setitem__("data-classification", "secret"), "tags/data-classification"),
        (lambda s: s.__setitem__("residency", "europe"), "residency"),
    ],
)
def test_the_schema_flags_common_mistakes(edit: Any, where: str) -> None:
    errors = _validate(_stack(edit))
    assert any(e.startswith(f"config/{NS}:landingZone/{where}") for e in errors), errors
