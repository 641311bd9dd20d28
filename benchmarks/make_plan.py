"""The two figures of `make plan` itself: cold (a fresh clone, no .venv and no .tools, the package
cache already filled) and warm (everything installed), against the synthesis time of its stacks.

`python -m benchmarks.make_plan [--repeat N]` (part of `make bench`) clones this repository's
committed HEAD into a temporary folder, runs `make plan` there once cold and N times warm, and
writes `benchmarks/make_plan.json`. Targets (issue 16): cold within 60 s on 2 cores; warm within
1.3x the sum of the stacks' synthesis seconds that the same run prints.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
COLD_LIMIT_S = 60.0
WARM_RATIO_LIMIT = 1.3
_SYNTHESIS = re.compile(r"synthesis ([0-9.]+)s")


def synthesis_seconds(output: str) -> float:
    """The sum of the synthesis seconds `lz plan --all` printed, one per stack."""
    return sum(float(m) for m in _SYNTHESIS.findall(output))


def timed_make_plan(checkout: Path) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.run(["make", "plan"], cwd=checkout, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(
            f"make plan exited {proc.returncode} in {checkout}:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
        )
    return seconds, synthesis_seconds(proc.stdout)


def judge(cold_s: float, warm: list[tuple[float, float]]) -> dict[str, Any]:
    wall = statistics.median(w for w, _ in warm)
    synth = statistics.median(s for _, s in warm)
    ratio = wall / synth if synth else float("inf")
    return {
        "cold_s": round(cold_s, 1),
        "warm_s": round(wall, 1),
        "warm_synthesis_s": round(synth, 1),
        "warm_ratio": round(ratio, 2),
        "cold_ok": cold_s <= COLD_LIMIT_S,
        "warm_ok": ratio <= WARM_RATIO_LIMIT,
        "limits": {"cold_s": COLD_LIMIT_S, "warm_ratio": WARM_RATIO_LIMIT},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.make_plan", description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="warm runs (default 3)")
    parser.add_argument("--out", type=Path, default=HERE / "make_plan.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lz-make-plan-") as tmp:
        checkout = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(checkout)], check=True)
        cold_s, _ = timed_make_plan(checkout)
        warm = [timed_make_plan(checkout) for _ in range(max(1, args.repeat))]
    result = {"measured": time.strftime("%Y-%m-%d"), **judge(cold_s, warm)}
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"make plan: cold {result['cold_s']} s (limit {COLD_LIMIT_S:.0f}); warm {result['warm_s']} s for "
        f"{result['warm_synthesis_s']} s of synthesis = {result['warm_ratio']}x (limit {WARM_RATIO_LIMIT})"
    )
    return 0 if result["cold_ok"] and result["warm_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
