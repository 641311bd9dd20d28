"""The benchmark harness (`make bench`) measures what it says it measures.

* every scale's stacks are valid specs, and each scale only appends to the one below it;
* the floor really constructs the resources lz plan recorded, with the same inputs (`--verify`);
* the targets are judged from the numbers: a missed one is reported as missed.

The measurement itself takes tens of minutes and is not part of `make test`; its last results are
benchmarks/results.md.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks import run as bench
from benchmarks.specs import FOUNDATION_STACK, NS, SCALES, WAVE_STACK, foundation_config, wave_config
from lz.spec import load_landing_zone
from lz.spec.wave import load_wave
from tests.helpers import ROOT, Planned


@pytest.mark.parametrize("scale", sorted(SCALES))
def test_every_scale_is_a_valid_spec(scale: str) -> None:
    foundation = foundation_config(SCALES[scale])
    spec = load_landing_zone(foundation[f"{NS}:landingZone"], file=f"{scale}/{FOUNDATION_STACK}", namespace=NS)
    wave = load_wave(wave_config(SCALES[scale], foundation)[f"{NS}:wave"], file=f"{scale}/{WAVE_STACK}", namespace=NS)
    assert spec.clouds and wave.datasets


def test_larger_scales_only_append() -> None:
    """Every region, pool, role and dataset of a scale is still there, in place, one scale up."""
    names = list(SCALES)
    for small, large in itertools.pairwise(names):
        a = foundation_config(SCALES[small])[f"{NS}:landingZone"]
        b = foundation_config(SCALES[large])[f"{NS}:landingZone"]
        for cloud, spec in a["clouds"].items():
            assert b["clouds"][cloud]["regions"][: len(spec["regions"])] == spec["regions"]
        assert len(b["gpu_pools"]) > len(a["gpu_pools"])
        example_pools = foundation_config(SCALES["1x"])[f"{NS}:landingZone"]["gpu_pools"]
        assert b["gpu_pools"][: len(example_pools)] == example_pools


def test_the_floor_builds_the_same_resources(foundation_dev: Planned) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.floor", "sdk", "--verify", str(foundation_dev.out / "graph.json")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(proc.stdout.splitlines()[-1])
    custom = [r for r in foundation_dev.resources if r["custom"] and not r["type"].startswith("pulumi:pulumi:")]
    assert result["resources"] == len(custom) > 300
    assert result["mismatches"] == []
    assert 0 < result["import_seconds"] < result["seconds"]


def _scale(
    resources: int, synthesis: float, floor: float, policies: float, check: float, plan_mb: float, floor_mb: float
) -> dict[str, Any]:
    return {
        "resources": resources,
        "synthesis": synthesis,
        "floor": floor,
        "policies": policies,
        "check": check,
        "synthesis_over_floor": synthesis / floor,
        "peak_rss_mb": {"plan": plan_mb, "floor": floor_mb},
    }


def test_targets_are_judged_from_the_numbers() -> None:
    good = {"1x": _scale(400, 10, 9, 0.3, 5, 400, 380), "16x": _scale(6400, 100, 90, 4, 60, 900, 800)}
    parallel = {"speedup": 1.8, "sequential": 36.0, "parallel": 20.0, "cpus": 2}
    assert all(t["met"] for t in bench.judge(good, parallel))

    bad = {"1x": _scale(400, 10, 7, 1.5, 5, 600, 380), "16x": _scale(6400, 200, 90, 4, 60, 900, 800)}
    missed = {t["target"] for t in bench.judge(bad, {**parallel, "speedup": 1.2}) if not t["met"]}
    assert missed == {
        "synthesis / floor at 1x",  # 1.43
        "policy evaluation / synthesis at 1x",  # 15%
        "peak memory of lz plan / floor at 1x",  # 1.58
        "synthesis / floor at 16x",  # 2.2
        "synthesis 16x / 1x over resources 16x / 1x",  # x20 for x16
        "lz plan --all speed-up over one after another",
    }
    text = bench.targets_md(bench.judge(bad, None))
    assert "| NO |" in text and "| yes |" in text


def test_results_file_matches_its_table() -> None:
    """The published results hold every target they claim to, and the table was made from them."""
    results_path = ROOT / "benchmarks" / "results.json"
    if not results_path.exists():
        pytest.skip("no published results yet")
    results = json.loads(results_path.read_text())
    assert max(s["resources"] for s in results["scales"].values()) > 5000
    judged = bench.judge(results["scales"], results["plan_all"])
    assert [t["met"] for t in judged] == [t["met"] for t in results["targets"]]
    table = (ROOT / "benchmarks" / "results.md").read_text()
    assert bench.table(results["scales"]) in table


def test_readme_shows_the_published_table() -> None:
    results_md = ROOT / "benchmarks" / "results.md"
    if not results_md.exists():
        pytest.skip("no published results yet")
    scale_section = results_md.read_text().split("## Targets")[0]
    scale_table = "\n".join(line for line in scale_section.splitlines() if line.startswith("|"))
    assert scale_table.count("\n") >= 4
    assert scale_table in (ROOT / "README.md").read_text()


def test_bench_refuses_unknown_scales(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        bench.main(["--scales", "1x,99x", "--out", str(Path("/nonexistent"))])
    assert exc.value.code == 2
    assert "99x" in capsys.readouterr().err


def test_make_plan_figures_are_judged_from_what_the_run_printed() -> None:
    from benchmarks import make_plan

    out = "a: ok: 1 resources; synthesis 1.5s, policies 0.1s\nb: ok: 2 resources; synthesis 6.0s, bridge 0.5s\n"
    assert make_plan.synthesis_seconds(out) == 7.5
    fast = make_plan.judge(29.0, [(12.0, 9.5), (11.8, 9.3), (12.4, 9.4)])
    assert fast["warm_s"] == 12.0 and fast["warm_ratio"] == round(12.0 / 9.4, 2)
    assert fast["cold_ok"] and fast["warm_ok"]
    slow = make_plan.judge(75.0, [(20.0, 9.0)])
    assert not slow["cold_ok"] and not slow["warm_ok"]
