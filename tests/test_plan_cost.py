"""`lz plan` and cost: cost.json beside graph.json, the report's cost section, the budget gate and the
cost change against a base graph, end to end through the CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from lz.cli import main
from lz.review.pricing.budget import budget_findings
from tests.helpers import Planned, foundation_config, make_project, plan, single_cloud_spec

# What the example foundation runs all the time (the list): each must cost something, in its region.
ALWAYS_ON = {
    "azure-native:network:VirtualNetworkGateway": 1,
    "aws:ec2/vpnConnection:VpnConnection": 4,
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": 2,
    "aws:eks/cluster:Cluster": 1,
    "gcp:container/cluster:Cluster": 1,
    "aws:eks/nodeGroup:NodeGroup": 1,  # the system node group (the GPU group scales to zero)
    "aws:ecs/service:Service": 2,  # two Fargate tasks per region
    "gcp:cloudrunv2/service:Service": 2,  # two warm instances
    "azure-native:app:ContainerApp": 2,  # two replicas
    "gcp:compute/vPNTunnel:VPNTunnel": 6,
}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Planned, dict[str, Any]]:
    planned = plan("foundation-dev", out=tmp_path_factory.mktemp("foundation-dev"))
    return planned, json.loads((planned.out / "cost.json").read_text())


def test_cost_json_has_the_contract_shape(example: tuple[Planned, dict[str, Any]]) -> None:
    planned, cost = example
    assert planned.exit_code == 0
    assert cost["currency"] == "USD" and cost["prices_as_of"] == "2025-06-15"
    for r in cost["resources"]:
        assert {"urn", "type", "region", "monthly_min", "monthly_max", "assumptions"} <= set(r)
        assert 0 <= r["monthly_min"] <= r["monthly_max"]
    total = cost["total"]
    assert total["monthly_min"] == pytest.approx(sum(r["monthly_min"] for r in cost["resources"]), abs=0.05)
    assert set(cost["totals"]["by_cloud"]) == {"aws", "gcp", "azure"}
    # Azure Private DNS zones are global resources: they are priced under `global`.
    assert set(cost["totals"]["by_region"]) == {
        "aws/eu-west-1",
        "aws/eu-central-1",
        "gcp/europe-west4",
        "gcp/europe-west1",
        "azure/westeurope",
        "azure/northeurope",
        "azure/global",
    }
    assert cost["unknown_types"] == []
    # What is billed per use with no usage in the graph is listed, each with its reason, never silently $0.
    assert {u["type"] for u in cost["unpriced"]} <= {
        "azure-native:network:VirtualNetworkPeering",
        "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule",
    }
    assert all(u["reason"] for u in cost["unpriced"])
    urns = {r["urn"] for r in planned.resources}
    assert all(r["urn"] in urns for r in cost["resources"])


def test_every_always_on_item_costs_something_in_its_region(example: tuple[Planned, dict[str, Any]]) -> None:
    _, cost = example
    regions = {
        "aws": {"eu-west-1", "eu-central-1"},
        "gcp": {"europe-west4", "europe-west1"},
        "azure": {"westeurope", "northeurope"},
    }
    for type_, count in ALWAYS_ON.items():
        paying = [r for r in cost["resources"] if r["type"] == type_ and r["monthly_min"] > 0]
        assert len(paying) >= count, f"{type_}: {len(paying)} always-on item(s), expected {count}"
        for r in paying:
            assert (
                r["region"]
                in regions[r["urn"].split("::")[2].split("$")[-1].split(":")[0].replace("azure-native", "azure")]
            ), r
    assert cost["total"]["monthly_min"] > 1000
    assert cost["total"]["monthly_max"] > cost["total"]["monthly_min"]  # the GPU pools at max


def test_gpu_pools_have_a_price_per_gpu_hour_and_per_training_hour(example: tuple[Planned, dict[str, Any]]) -> None:
    planned, cost = example
    pools = {p["pool"]: p for p in cost["gpu_pools"]}
    assert set(pools) == {"h100", "a10g", "a100"}
    h100 = pools["h100"]
    assert h100["gpus_at_max"] == 32
    assert h100["cost_per_training_hour"] == pytest.approx(h100["price_per_gpu_hour"] * 32, abs=0.01)
    assert f"${h100['cost_per_training_hour']:,.0f} (32 GPUs)" in planned.report
    # The node pool's own estimate agrees with the GPU section at maximum scale (plus its disks).
    node_pool = next(r for r in cost["resources"] if r["urn"].endswith("::acme-dev-gcp-gpu-europe-west4-h100-pool"))
    gpu_line = next(line for line in node_pool["lines"] if line["sku"].startswith("a3-highgpu-8g"))
    assert gpu_line["monthly_max"] == pytest.approx(h100["monthly_at_max"], rel=0.001)


def test_eu_regions_are_priced_at_their_own_figures(example: tuple[Planned, dict[str, Any]]) -> None:
    _, cost = example
    eks = next(r for r in cost["resources"] if r["type"] == "aws:eks/nodeGroup:NodeGroup" and r["monthly_min"] > 0)
    line = next(line for line in eks["lines"] if line["sku"] == "ec2-m6i.large")
    assert line["usd_per_unit"] == 0.107 and line["price"] == "region"  # eu-west-1, not us-east-1's 0.096


def test_report_has_a_cost_section_without_folklore(example: tuple[Planned, dict[str, Any]]) -> None:
    planned, cost = example
    report = planned.report
    section = report.split("## Cost\n", 1)[1].split("\n## ", 1)[0]
    assert f"Always on (autoscaled pools at their minimum): ${cost['total']['monthly_min']:,.2f}" in section
    assert (
        f"At maximum scale (every pool and replica set at its maximum): ${cost['total']['monthly_max']:,.2f}" in section
    )
    assert "Top 10 items" in section and "Assumed where the graph cannot tell" in section
    assert "Budget: $120,000.00 a month" in section and "is within it" in section
    assert "usually cost more" not in report and "**$0**" not in report
    assert not [f for f in planned.findings["findings"] if f["policy"] == "cost-budget"]  # the example fits


# --- the budget gate ------------------------------------------------------------------------------------


def _budget(monthly: float, thresholds: list[float] | None = None) -> Any:
    return SimpleNamespace(monthly_usd=monthly, alert_thresholds=thresholds or [0.8, 1.0])


def test_budget_exceeded_at_max_scale_is_mandatory() -> None:
    (f,) = budget_findings({"monthly_min": 500.0, "monthly_max": 1200.0}, _budget(1000), "urn:stack")
    assert (f.policy, f.enforcement, f.severity, f.urn) == ("cost-budget", "mandatory", "high", "urn:stack")
    assert "$1,200.00/month exceeds the budget of $1,000.00/month by $200.00" in f.message


def test_budget_above_the_first_threshold_is_advisory() -> None:
    (f,) = budget_findings({"monthly_min": 500.0, "monthly_max": 900.0}, _budget(1000), "urn:stack")
    assert f.enforcement == "advisory" and "above 80% of the budget" in f.message
    assert budget_findings({"monthly_min": 500.0, "monthly_max": 700.0}, _budget(1000), "urn:stack") == []
    assert budget_findings({"monthly_min": 1.0, "monthly_max": 1.0}, None, "urn:stack") == []


def _plan_project(tmp: Path, spec: dict[str, Any], *extra: str, waivers: str = "") -> tuple[int, Path]:
    project = make_project(tmp / "p", {"foundation-dev": foundation_config(spec)})
    if waivers:
        (project / "waivers.yaml").write_text(waivers)
    out = tmp / "out"
    cwd = os.getcwd()
    os.chdir(project)
    try:
        code = main(["plan", "--stack", "foundation-dev", "--out", str(out), "--no-checkov", *extra])
    finally:
        os.chdir(cwd)
    return code, out


def test_a_budget_below_the_estimate_fails_the_plan(tmp_path: Path) -> None:
    spec = single_cloud_spec("gcp")
    spec["budget"] = {"monthly_usd": 100, "alert_thresholds": [0.5, 1.0]}
    code, out = _plan_project(tmp_path, spec)
    assert code == 1
    findings = json.loads((out / "findings.json").read_text())
    (f,) = [f for f in findings["findings"] if f["policy"] == "cost-budget"]
    assert f["enforcement"] == "mandatory" and not f["waived"] and f["type"] == "pulumi:pulumi:Stack"
    assert findings["summary"]["mandatory"] >= 1
    cost = json.loads((out / "cost.json").read_text())
    assert cost["budget"]["exceeded_at_max"] is True
    assert "cost-budget" in (out / "report.md").read_text()


# --- the cost change against a base ---------------------------------------------------------------------


def test_base_diff_shows_the_monthly_delta_at_the_top(tmp_path: Path) -> None:
    spec = single_cloud_spec("gcp")
    spec["budget"] = {"monthly_usd": 1_000_000}
    code, out = _plan_project(tmp_path / "a", spec)
    assert code == 0
    # The base: the same graph without the Cloud Run collectors (as if this change added them).
    graph = json.loads((out / "graph.json").read_text())
    removed = [r["urn"] for r in graph["deployment"]["resources"] if r["type"] == "gcp:cloudrunv2/service:Service"]
    assert len(removed) == 2
    graph["deployment"]["resources"] = [r for r in graph["deployment"]["resources"] if r["urn"] not in removed]
    base = tmp_path / "base.json"
    base.write_text(json.dumps(graph))
    code, out2 = _plan_project(tmp_path / "b", spec, "--base", str(base))
    assert code == 0
    cost = json.loads((out2 / "cost.json").read_text())
    added = {r["urn"]: r for r in cost["resources"] if r["urn"] in removed}
    expected = sum(r["monthly_min"] for r in added.values())
    assert expected > 100
    assert cost["diff"]["monthly_min_delta"] == pytest.approx(expected, abs=0.02)
    assert {r["urn"] for r in cost["diff"]["resources"]} == set(removed)
    assert all(r["change"] == "added" for r in cost["diff"]["resources"])
    report = (out2 / "report.md").read_text()
    assert report.index("## Cost change against the base") < report.index("## Resources")
    assert f"(**+${expected:,.2f}**)" in report


def test_a_waiver_accepts_a_known_overrun(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LZ_TODAY", "2026-12-01")
    spec = single_cloud_spec("gcp")
    spec["budget"] = {"monthly_usd": 100}
    waiver = (
        "- policy: cost-budget\n  stacks: [foundation-dev]\n"
        '  resource: "urn:pulumi:foundation-dev::landing-zone::pulumi:pulumi:Stack::'
        'landing-zone-foundation-dev"\n'
        "  reason: approved overrun for the pilot\n  owner: finops\n  expires: 2027-01-31\n"
    )
    code, out = _plan_project(tmp_path, spec, waivers=waiver)
    assert code == 0
    (f,) = [f for f in json.loads((out / "findings.json").read_text())["findings"] if f["policy"] == "cost-budget"]
    assert f["waived"] is True and f["enforcement"] == "mandatory"
