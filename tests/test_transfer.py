"""A wave's bulk egress per source cloud, delta traffic and transfer time on its path, with the
exit-fee waiver switch and the warning when the copy cannot finish before the cutover."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from lz.core.errors import InputError
from lz.review.pricing.catalog import catalog
from lz.review.pricing.transfer import path_of, transfer_markdown, wave_sizes, wave_transfers
from lz.spec import load_landing_zone
from lz.spec.wave import load_wave
from tests.helpers import example_spec, plan

ROOT = Path(__file__).resolve().parents[1]


def wave_raw() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "stacks" / "Pulumi.wave-1-dev.yaml").read_text())
    return copy.deepcopy(data["config"]["landing-zone:wave"])


def load(raw: dict[str, Any]) -> Any:
    return load_wave(raw, file="w.yaml", namespace="landing-zone")


def foundation(**interconnect: Any) -> Any:
    raw = example_spec()
    if interconnect:
        raw["interconnect"] = interconnect
    return load_landing_zone(raw, file="f.yaml", namespace="landing-zone")


def test_example_wave_egress_per_source_cloud_and_time_on_the_vpn() -> None:
    t = wave_transfers(load(wave_raw()), foundation())
    cat = catalog()
    aws = t["by_source_cloud"]["aws"]
    assert aws["bulk_gb"] == 22500 and aws["delta_gb_per_month"] == 1000 + 200 + 100
    # The tiers apply to the cloud's whole volume: 10 TB at $0.09, the rest at $0.085.
    assert aws["bulk_egress_usd"] == pytest.approx(10240 * 0.09 + (22500 - 10240) * 0.085, abs=0.01)
    assert t["one_time_egress_usd"] == aws["bulk_egress_usd"]
    assert aws["delta_egress_usd_per_month"] == pytest.approx(1300 * 0.09)
    db = next(r for r in t["items"] if r["name"] == "feature-store")
    assert db["path_gbps"] == 4 * 1.25 and "HA VPN aws-gcp: 4 tunnels x 1.25 Gbps" in db["path"]
    assert db["transfer_hours"] == pytest.approx(500 * 8 / (5 * 0.7) / 3600, abs=0.01)
    data = next(r for r in t["items"] if r["name"] == "training-data")
    assert data["path_gbps"] == cat.bandwidth["internet"]["gbps"] and "public endpoints" in data["path"]
    assert all(r["finishes_before_cutover"] for r in t["items"]) and t["warnings"] == []


def test_exit_fee_waiver_zeroes_the_bulk_copy_but_not_the_deltas() -> None:
    raw = wave_raw()
    raw["transfer"]["exit_fee_waiver"] = True
    t = wave_transfers(load(raw), foundation())
    assert t["one_time_egress_usd"] == 0 and t["by_source_cloud"]["aws"]["bulk_egress_usd"] == 0
    assert t["delta_egress_usd_per_month"] > 0
    item = t["items"][0]
    assert item["bulk_egress_usd"] == 0 and item["bulk_egress_usd_without_waiver"] > 0
    text = transfer_markdown(t)
    assert "counted on (`transfer.exit_fee_waiver: true`)" in text and "aws.amazon.com" in text


def test_a_copy_that_cannot_finish_before_the_cutover_warns() -> None:
    raw = wave_raw()
    raw["datasets"][0]["size_gb"] = 2_000_000  # 2 PB at 7 Gbps: about 26 days
    raw["cutover"]["date"] = "2025-07-08"
    t = wave_transfers(load(raw), foundation())
    (warning,) = t["warnings"]
    assert "only 7 day(s) lie between the start (2025-07-01) and the cutover (2025-07-08)" in warning
    assert "> **Warning:**" in transfer_markdown(t) and "(late)" in transfer_markdown(t)


def test_bandwidth_override_and_missing_sizes() -> None:
    raw = wave_raw()
    raw["transfer"]["bandwidth_gbps"] = 1
    del raw["datasets"][1]["size_gb"]
    t = wave_transfers(load(raw), foundation())
    first = t["items"][0]
    assert first["path_gbps"] == 1 and first["transfer_hours"] == pytest.approx(20000 * 8 / 0.7 / 3600, abs=0.01)
    assert "no size_gb" in t["items"][1]["note"]
    assert wave_sizes(load(raw)) == (
        {"training-data": 20000, "feature-store": 500},
        {"training-data": 1000, "feature-store": 100},
    )


def test_paths_through_a_hub_and_over_dedicated_links() -> None:
    cat = catalog()
    hub = foundation(topology="hub", hub="aws", transport="ha-vpn")
    gbps, how = path_of("database", "gcp", "azure", hub, cat)
    assert "through hub aws" in how and gbps == 1.25  # the AWS-Azure leg, capped by the Azure gateway (VpnGw2AZ)
    gbps, how = path_of("database", "aws", "gcp", foundation(topology="none"), cat)
    assert "no interconnect link" in how


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (("datasets", 0, "size_gb"), -5, "greater than 0"),
        (("datasets", 0, "change_pct_per_month"), 150, "less than or equal to 100"),
        (("cutover", "date"), "next week", "is not a date"),
        (("transfer", "efficiency"), 0, "greater than 0"),
        (("cutover", "date"), "2025-06-30", "comes before the first transfer day"),
    ],
)
def test_bad_transfer_settings_are_refused_with_their_key(key: tuple[Any, ...], value: Any, message: str) -> None:
    raw = wave_raw()
    node: Any = raw
    for part in key[:-1]:
        node = node[part]
    node[key[-1]] = value
    with pytest.raises(InputError, match=message) as info:
        load(raw)
    assert str(key[-1]) in str(info.value)


def test_wave_plan_writes_transfers_to_cost_json_report_and_runbook(tmp_path: Path) -> None:
    planned = plan("wave-1-dev", out=tmp_path / "w")
    assert planned.exit_code == 0
    cost = json.loads((planned.out / "cost.json").read_text())
    assert cost["transfers"]["one_time_egress_usd"] > 1000 and cost["total"]["monthly_min"] > 0
    target = next(r for r in cost["resources"] if r["urn"].endswith("::wave-1-training-data-target-bucket"))
    assert (
        target["monthly_min"] == pytest.approx(20000 * 0.020) and "size_gb of training-data" in target["assumptions"][0]
    )
    runbook = (planned.out / "runbook.md").read_text()
    for text in (planned.report, runbook):
        assert "## Moving the data" in text and "HA VPN aws-gcp" in text
    assert "cost-budget" not in json.dumps(planned.findings)  # the budget gates the foundation, not a wave
