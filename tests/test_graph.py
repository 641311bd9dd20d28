"""The graph `lz plan` writes: the shape of `pulumi stack export`, complete, and byte-identical per config."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import Planned, plan

REQUIRED_KEYS = {"urn", "type", "custom", "inputs", "dependencies", "propertyDependencies", "protect", "retainOnDelete"}


def test_stack_export_shape(foundation_dev: Planned) -> None:
    graph = foundation_dev.graph
    assert graph["version"] == 3
    assert set(graph["deployment"]) >= {"manifest", "resources"}
    resources = foundation_dev.resources
    assert resources[0]["type"] == "pulumi:pulumi:Stack"
    index = foundation_dev.urn_index()
    seen: set[str] = set()
    for r in resources:
        assert set(r) >= REQUIRED_KEYS, r["urn"]
        # the engine's order: whatever a resource refers to comes before it
        if "parent" in r:
            assert r["parent"] in seen, f"{r['urn']} listed before its parent"
        if r["custom"] and not r["type"].startswith("pulumi:"):
            provider_urn, _, provider_id = r["provider"].rpartition("::")
            assert provider_urn in seen and index[provider_urn]["id"] == provider_id, r["urn"]
            assert "parent" in r, f"{r['urn']} has no parent"
        for dep in r["dependencies"]:
            assert dep in seen, f"{r['urn']} listed before its dependency {dep}"
        seen.add(r["urn"])


def test_every_resource_hangs_under_a_component(foundation_dev: Planned) -> None:
    index = foundation_dev.urn_index()
    for r in foundation_dev.resources:
        if r["custom"]:
            parent = index[r["parent"]]
            assert not parent["custom"] and parent["type"].startswith(("lz:", "pulumi:pulumi:Stack")), r["urn"]
            if not r["type"].startswith("pulumi:providers:"):
                assert parent["type"].startswith("lz:"), r["urn"]


def test_same_config_same_bytes(foundation_dev: Planned, tmp_path: Path) -> None:
    again = plan("foundation-dev", out=tmp_path / "again", checkov=True)
    assert again.exit_code == foundation_dev.exit_code
    for name in ("graph.json", "findings.json", "report.md", "cost.json", "tfplan.json", "arm.json", "report.sarif"):
        assert (again.out / name).read_bytes() == (foundation_dev.out / name).read_bytes(), name


def test_example_passes_its_own_policies(foundation_dev: Planned) -> None:
    assert foundation_dev.exit_code == 0, foundation_dev.mandatory()[:5]
    assert foundation_dev.findings["summary"]["passed"] is True
    assert foundation_dev.findings["summary"]["resources"] > 0


def test_no_secret_in_plain_text(foundation_dev: Planned) -> None:
    text = (foundation_dev.out / "graph.json").read_text()
    # the offline stand-in for generated secrets starts with "offline"; it must never be written
    assert '"offline' not in text
