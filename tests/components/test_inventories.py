"""Every example stack creates exactly what its inventory (tests/inventories/<stack>.yaml) names."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.helpers import plan
from tests.inventory import INVENTORIES, example_stacks, inventory

REGENERATE = "if the change is deliberate, run `make inventories` and review the diff"


@pytest.mark.parametrize("stack", example_stacks())
def test_stack_matches_its_inventory(stack: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    path = INVENTORIES / f"{stack}.yaml"
    assert path.exists(), f"no inventory for {stack}: run `make inventories`"
    expected = yaml.safe_load(path.read_text(encoding="utf-8"))
    # The example foundation is planned once per session already (checkov included); reuse it.
    if stack == "foundation-dev":
        planned = request.getfixturevalue("foundation_dev")
    else:
        planned = plan(stack, out=tmp_path / stack)
    assert planned.exit_code == 0, planned.report
    actual = inventory(planned.graph)
    for key in ("resources", "protected", "components", "types"):
        assert actual[key] == expected[key], f"{stack}: {key} differs from tests/inventories/{stack}.yaml; {REGENERATE}"


def test_inventory_counts_come_from_the_graph() -> None:
    graph = {
        "deployment": {
            "resources": [
                {"type": "pulumi:pulumi:Stack", "custom": False},
                {"type": "lz:keys:AwsRegionKey", "custom": False},
                {"type": "aws:kms/key:Key", "custom": True, "protect": True},
                {"type": "aws:kms/alias:Alias", "custom": True},
                {"type": "pulumi:providers:aws", "custom": True},
            ]
        }
    }
    assert inventory(graph) == {
        "resources": 2,
        "protected": 1,
        "components": {"lz:keys:AwsRegionKey": 1},
        "types": {"aws:kms/alias:Alias": 1, "aws:kms/key:Key": 1},
    }
