"""Session fixtures, and the test tiers.

Every test file belongs to one tier, named in `TIERS` (the first matching path prefix wins):
- `unit`: pure functions, the spec, single policies over hand-made resources, report pieces. No
  synthesis, no subprocess; the whole tier runs in well under a minute (`make test-unit`).
- `synth`: the program synthesized under the mock runtime: component inventories, stability.
- `e2e`: the `lz` command as a user runs it, bad files, checkov, the workflows.
- `fuzz`: generated specs; only `make fuzz` (and `make test-fuzz`) runs them.
`make test` runs unit, synth and e2e, in parallel (pytest-xdist). A test file missing from `TIERS`
fails `test_every_test_file_has_a_tier`, so a new file is placed deliberately.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import Planned, plan

TESTS = Path(__file__).resolve().parent

TIERS: dict[str, str] = {
    "fuzz/": "fuzz",
    # unit: no synthesis
    "unit/": "unit",
    "policies/test_example_stack.py": "synth",
    "policies/test_reachability_ai_apps.py": "synth",
    "policies/test_checkov_pack.py": "e2e",
    "policies/test_network_reachability_links.py": "synth",
    "policies/test_types.py": "e2e",
    "policies/": "unit",
    "review/test_diff.py": "unit",
    "review/test_mermaid.py": "unit",
    "review/test_sarif.py": "unit",
    "review/test_waivers.py": "unit",
    "test_cidr.py": "unit",
    "test_cost.py": "unit",
    "test_interconnect_plan.py": "unit",
    "test_naming.py": "unit",
    "test_otel.py": "unit",
    "test_regions.py": "unit",
    "test_runbook.py": "unit",
    "test_spec.py": "unit",
    "test_spec_budget.py": "unit",
    "test_wave_spec.py": "unit",
    "test_tiers.py": "unit",
    "test_prices.py": "unit",
    "test_transfer.py": "unit",
    "test_docs.py": "unit",
    "test_version.py": "unit",
    "test_spec_egress.py": "unit",
    "test_registries.py": "unit",
    "test_spec_ai.py": "unit",
    "test_contracts.py": "unit",
    "test_quotas.py": "unit",
    "test_prerequisites.py": "unit",
    "test_rollback_metrics.py": "unit",
    "test_parity.py": "unit",
    "review/test_plan_gate.py": "unit",
    # synth: the program under the mock runtime
    "components/": "synth",
    "policies/test_deploy.py": "e2e",
    "policies/test_network_reachability.py": "synth",
    "policies/test_reachability_registries.py": "synth",
    "test_stability.py": "synth",
    "test_graph.py": "synth",
    "test_envs.py": "synth",
    "test_spec_gpu.py": "synth",
    "test_spec_interconnect_identity.py": "synth",
    "review/test_bridge.py": "synth",
    # e2e: processes, checkov, workflows, benchmarks' harness
    "review/": "e2e",
    "test_bad_files.py": "e2e",
    "test_benchmarks.py": "e2e",
    "test_check.py": "e2e",
    "test_cli.py": "e2e",
    "test_plan_base.py": "e2e",
    "test_plan_cost.py": "e2e",
    "test_plan_all.py": "e2e",
    "test_paths_plan.py": "synth",
    "test_paths_report.py": "synth",
    "test_organization.py": "e2e",
    "test_guardrails.py": "synth",
    "test_plan_context.py": "synth",
    "test_graph_fidelity.py": "e2e",
    "test_partial.py": "e2e",
    "test_plan_destroy.py": "e2e",
    "test_exit_codes.py": "e2e",
    "test_rollback_rehearsal.py": "e2e",
    "test_terminal.py": "e2e",
    "test_spec_messages.py": "e2e",
    "test_wave_new.py": "e2e",
}


def tier_of(path: Path) -> str | None:
    rel = path.resolve().relative_to(TESTS).as_posix()
    for prefix, tier in TIERS.items():
        if rel == prefix or (prefix.endswith("/") and rel.startswith(prefix)):
            return tier
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        tier = tier_of(Path(str(item.path)))
        item.add_marker(getattr(pytest.mark, tier or "untiered"))


@pytest.fixture(scope="session")
def ai_variant(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    """The example with all three AI services: Azure in westeurope and swedencentral (both offer OpenAI)."""
    from tests.helpers import example_spec, foundation_config, make_project

    spec = example_spec()
    spec["clouds"]["azure"]["regions"] = ["westeurope", "swedencentral"]
    spec["ai_services"] = ["bedrock", "vertex-ai", "azure-openai"]
    tmp = tmp_path_factory.mktemp("ai-variant")
    project = make_project(tmp / "project", {"foundation-dev": foundation_config(spec)})
    return plan("foundation-dev", project=project, out=tmp / "out")


@pytest.fixture(scope="session")
def foundation_dev(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    """The example foundation stack, planned once per test session, checkov included."""
    out: Path = tmp_path_factory.mktemp("foundation-dev")
    return plan("foundation-dev", out=out, checkov=True)
