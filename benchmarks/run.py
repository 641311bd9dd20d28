"""`make bench`: lz against the Pulumi SDK's own floor at 1x, 4x and 16x, with the targets judged.

For every scale (`benchmarks.specs`) it writes a throw-away project with a foundation and a wave
stack and measures, each in a process of its own (`benchmarks.measure`, `benchmarks.floor`), the
stacks one after another within a repetition and the scales interleaved across repetitions, so a
change in machine load moves all of them alike:

* `lz plan` of the foundation and of the wave (which synthesizes its foundation first, as `lz plan`
  of a wave always does), without checkov: synthesis, policy evaluation and bridge seconds;
* the floor of the same two plans (`benchmarks.floor sdk`: the recorded resources through the
  provider SDK classes in a flat loop), and the raw floor (`benchmarks.floor raw`);
* `lz check` of each exported graph (without checkov), and checkov over each plan's bridged files;
* the peak RSS of every one of those processes (`os.wait4`).

Each number is the median of `--repeat` repetitions (3 unless told). A scale's seconds are the sum
of its two stacks'; its peak memory the larger of the two. Then `lz plan --all` over two independent
foundation stacks is timed against planning them one after another. The results go to
`benchmarks/results.json` and `benchmarks/results.md`, and the table and the targets are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .specs import FOUNDATION_STACK, SCALES, WAVE_STACK, foundation_config, write_project

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
TIMEOUT_SECONDS = 3600

# The targets of issue 7 (ratios, so that they hold on any machine).
MAX_SYNTHESIS_OVER_FLOOR = 1.25
MAX_GROWTH_OVER_RESOURCES = 1.15
MAX_POLICIES_SHARE = 0.10
MAX_PLAN_MEMORY_OVER_FLOOR = 1.3
MIN_PARALLEL_SPEEDUP = 1.7


@dataclass
class Run:
    """One finished measurement process."""

    data: dict[str, Any]
    wall: float
    cpu: float
    rss_mb: float


def run_process(argv: list[str], cwd: Path, timeout: float = TIMEOUT_SECONDS) -> Run:
    """Run a measurement and take its peak RSS and CPU time from the kernel's accounting of it."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if proc.returncode not in (0, 1):
        raise SystemExit(f"benchmark step failed ({proc.returncode}): {' '.join(argv)}\n{stdout}\n{stderr}")
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    data = json.loads(lines[-1]) if lines else {}
    return Run(data=data, wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mb=usage.ru_maxrss / 1024)


@dataclass
class ScaleRuns:
    name: str
    root: Path
    samples: dict[str, list[Run]] = field(default_factory=dict)

    def add(self, key: str, run: Run) -> None:
        self.samples.setdefault(key, []).append(run)

    def out(self, stack: str) -> Path:
        return self.root / "out" / stack


def _module(name: str, *args: str) -> list[str]:
    return [PYTHON, "-m", name, *args]


def measure_scale(runs: ScaleRuns, *, checkov: bool, verify: bool) -> None:
    root = runs.root
    f_out, w_out = runs.out(FOUNDATION_STACK), runs.out(WAVE_STACK)
    for stack, out in ((FOUNDATION_STACK, f_out), (WAVE_STACK, w_out)):
        runs.add(
            f"plan:{stack}", run_process(_module("benchmarks.measure", "plan", str(root), stack, str(out)), HERE.parent)
        )
    # The floor of each plan: the same recorded resources, the wave's plan again with its foundation first.
    graphs = {FOUNDATION_STACK: [f_out / "graph.json"], WAVE_STACK: [f_out / "graph.json", w_out / "graph.json"]}
    for mode in ("sdk", "raw"):
        for stack, files in graphs.items():
            runs.add(
                f"floor-{mode}:{stack}", run_process(_module("benchmarks.floor", mode, *map(str, files)), HERE.parent)
            )
    if verify:
        for stack, files in graphs.items():
            result = run_process(_module("benchmarks.floor", "sdk", "--verify", *map(str, files)), HERE.parent)
            runs.add(f"verify:{stack}", result)
    for stack, out in ((FOUNDATION_STACK, f_out), (WAVE_STACK, w_out)):
        check_out = root / "out" / f"check-{stack}"
        runs.add(
            f"check:{stack}",
            run_process(
                _module("benchmarks.measure", "check", str(root), str(out / "graph.json"), stack, str(check_out)),
                HERE.parent,
            ),
        )
    if checkov:
        for stack, out in ((FOUNDATION_STACK, f_out), (WAVE_STACK, w_out)):
            runs.add(
                f"checkov:{stack}",
                run_process(
                    _module("benchmarks.measure", "checkov", str(out), str(root / "out" / f"checkov-{stack}")),
                    HERE.parent,
                ),
            )


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def summarize(runs: ScaleRuns) -> dict[str, Any]:
    s = runs.samples
    stacks = (FOUNDATION_STACK, WAVE_STACK)
    reps = len(s[f"plan:{FOUNDATION_STACK}"])

    def per_rep(key: str, pick: Any) -> list[float]:
        """The sum over both stacks of one repetition, for every repetition."""
        return [sum(pick(s[f"{key}:{stack}"][i]) for stack in stacks) for i in range(reps)]

    def peak(key: str) -> float:
        return _median([max(s[f"{key}:{stack}"][i].rss_mb for stack in stacks) for i in range(reps)])

    plan0 = {stack: s[f"plan:{stack}"][0].data for stack in stacks}
    summary: dict[str, Any] = {
        "resources": sum(plan0[stack]["resources"] for stack in stacks),
        "resources_per_stack": {stack: plan0[stack]["resources"] for stack in stacks},
        "components_per_stack": {stack: plan0[stack]["components"] for stack in stacks},
        "repetitions": reps,
        "synthesis": _median(per_rep("plan", lambda r: r.data["seconds"]["synthesis"])),
        "policies": _median(per_rep("plan", lambda r: r.data["seconds"]["policies"])),
        "bridge": _median(per_rep("plan", lambda r: r.data["seconds"]["bridge"])),
        "floor": _median(per_rep("floor-sdk", lambda r: r.data["seconds"])),
        "floor_imports": _median(per_rep("floor-sdk", lambda r: r.data.get("import_seconds", 0.0))),
        "raw_floor": _median(per_rep("floor-raw", lambda r: r.data["seconds"])),
        "check": _median(per_rep("check", lambda r: r.data["seconds"])),
        "floor_resources": sum(s[f"floor-sdk:{stack}"][0].data["resources"] for stack in stacks),
        "synthesis_cpu_process": _median(per_rep("plan", lambda r: r.cpu)),
        "floor_cpu_process": _median(per_rep("floor-sdk", lambda r: r.cpu)),
        "peak_rss_mb": {
            "plan": peak("plan"),
            "floor": peak("floor-sdk"),
            "raw_floor": peak("floor-raw"),
            "check": peak("check"),
        },
    }
    ratios = [
        a.data["seconds"]["synthesis"] / b.data["seconds"]
        for stack in stacks
        for a, b in zip(s[f"plan:{stack}"], s[f"floor-sdk:{stack}"], strict=True)
    ]
    summary["synthesis_over_floor"] = summary["synthesis"] / summary["floor"]
    summary["synthesis_over_floor_per_stack_run"] = ratios
    if f"checkov:{FOUNDATION_STACK}" in s:
        summary["checkov"] = _median(per_rep("checkov", lambda r: r.data["seconds"]))
        summary["peak_rss_mb"]["checkov"] = peak("checkov")
    if f"verify:{FOUNDATION_STACK}" in s:
        summary["floor_mismatches"] = sum(len(s[f"verify:{stack}"][0].data.get("mismatches", [])) for stack in stacks)
    summary["samples"] = {
        key: [{"wall": r.wall, "cpu": r.cpu, "rss_mb": r.rss_mb, "data": r.data} for r in rs] for key, rs in s.items()
    }
    return summary


# --- lz plan --all against one after another ------------------------------------------------------


def measure_parallel(root: Path, repeat: int) -> dict[str, Any]:
    """`lz plan --all` over two independent foundation stacks, against planning them one by one."""
    write_project(root, SCALES["1x"])
    stacks_dir = root / "stacks"
    for path in stacks_dir.glob("Pulumi.*.yaml"):
        path.unlink()
    names = ["foundation-a", "foundation-b"]
    for name in names:
        config = foundation_config(SCALES["1x"])
        (stacks_dir / f"Pulumi.{name}.yaml").write_text(
            yaml.safe_dump({"config": config}, sort_keys=False), encoding="utf-8"
        )
    lz = [PYTHON, "-m", "lz"]
    sequential: list[float] = []
    parallel: list[float] = []
    for _ in range(repeat):
        seq = 0.0
        for name in names:
            t0 = time.perf_counter()
            subprocess.run(
                [*lz, "plan", "--stack", name, "--no-checkov", "--out", str(root / "seq" / name)],
                cwd=root,
                check=True,
                capture_output=True,
            )
            seq += time.perf_counter() - t0
        sequential.append(seq)
        t0 = time.perf_counter()
        subprocess.run(
            [*lz, "plan", "--all", "--no-checkov", "--out", str(root / "all")],
            cwd=root,
            check=True,
            capture_output=True,
        )
        parallel.append(time.perf_counter() - t0)
    seq_m, par_m = _median(sequential), _median(parallel)
    return {
        "stacks": names,
        "sequential": seq_m,
        "parallel": par_m,
        "speedup": seq_m / par_m,
        "samples": {"sequential": sequential, "parallel": parallel},
        "cpus": os.cpu_count(),
    }


# --- targets and the table --------------------------------------------------------------------------


def judge(scales: dict[str, dict[str, Any]], parallel: dict[str, Any] | None) -> list[dict[str, Any]]:
    targets: list[dict[str, Any]] = []

    def add(name: str, value: float, limit: float, ok: bool, detail: str) -> None:
        targets.append({"target": name, "value": round(value, 3), "limit": limit, "met": ok, "detail": detail})

    for name, s in scales.items():
        add(
            f"synthesis / floor at {name}",
            s["synthesis_over_floor"],
            MAX_SYNTHESIS_OVER_FLOOR,
            s["synthesis_over_floor"] <= MAX_SYNTHESIS_OVER_FLOOR,
            f"{s['synthesis']:.1f} s / {s['floor']:.1f} s",
        )
        share = s["policies"] / s["synthesis"]
        add(
            f"policy evaluation / synthesis at {name}",
            share,
            MAX_POLICIES_SHARE,
            share <= MAX_POLICIES_SHARE,
            f"{s['policies']:.2f} s / {s['synthesis']:.1f} s",
        )
        mem = s["peak_rss_mb"]["plan"] / s["peak_rss_mb"]["floor"]
        add(
            f"peak memory of lz plan / floor at {name}",
            mem,
            MAX_PLAN_MEMORY_OVER_FLOOR,
            mem <= MAX_PLAN_MEMORY_OVER_FLOOR,
            f"{s['peak_rss_mb']['plan']:.0f} MB / {s['peak_rss_mb']['floor']:.0f} MB",
        )
    names = list(scales)
    if len(names) >= 2:
        small, large = scales[names[0]], scales[names[-1]]
        growth = large["resources"] / small["resources"]
        for key, label in (("synthesis", "synthesis"), ("policies", "policy evaluation"), ("check", "lz check")):
            ratio = large[key] / small[key]
            add(
                f"{label} {names[-1]} / {names[0]} over resources {names[-1]} / {names[0]}",
                ratio / growth,
                MAX_GROWTH_OVER_RESOURCES,
                ratio / growth <= MAX_GROWTH_OVER_RESOURCES,
                f"time x{ratio:.2f} for resources x{growth:.2f}",
            )
    if parallel is not None:
        add(
            "lz plan --all speed-up over one after another",
            parallel["speedup"],
            MIN_PARALLEL_SPEEDUP,
            parallel["speedup"] >= MIN_PARALLEL_SPEEDUP,
            f"{parallel['sequential']:.1f} s one by one, {parallel['parallel']:.1f} s with --all "
            f"on {parallel['cpus']} CPUs",
        )
    return targets


def table(scales: dict[str, dict[str, Any]]) -> str:
    head = [
        "scale",
        "resources",
        "synthesis s",
        "floor s",
        "of which imports s",
        "synthesis / floor",
        "raw floor s",
        "policies s",
        "bridge s",
        "checkov s",
        "lz check s",
        "peak MB: plan",
        "floor",
        "raw floor",
        "check",
        "checkov",
    ]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, s in scales.items():
        rss = s["peak_rss_mb"]
        cells = [
            name,
            str(s["resources"]),
            f"{s['synthesis']:.1f}",
            f"{s['floor']:.1f}",
            f"{s['floor_imports']:.1f}",
            f"{s['synthesis_over_floor']:.2f}",
            f"{s['raw_floor']:.1f}",
            f"{s['policies']:.2f}",
            f"{s['bridge']:.2f}",
            f"{s['checkov']:.1f}" if "checkov" in s else "-",
            f"{s['check']:.2f}",
            f"{rss['plan']:.0f}",
            f"{rss['floor']:.0f}",
            f"{rss['raw_floor']:.0f}",
            f"{rss['check']:.0f}",
            f"{rss['checkov']:.0f}" if "checkov" in rss else "-",
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"


def targets_md(targets: list[dict[str, Any]]) -> str:
    rows = ["| target | value | limit | met | measured |", "|---|---|---|---|---|"]
    for t in targets:
        rows.append(
            f"| {t['target']} | {t['value']:.3f} | {t['limit']} | {'yes' if t['met'] else 'NO'} | {t['detail']} |"
        )
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default=",".join(SCALES), help="comma-separated (default: 1x,4x,16x)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of every measurement (default 3)")
    parser.add_argument("--no-checkov", action="store_true", help="leave checkov out")
    parser.add_argument("--no-parallel", action="store_true", help="leave out the lz plan --all measurement")
    parser.add_argument("--no-verify", action="store_true", help="skip checking that the floor builds the same inputs")
    parser.add_argument("--work", type=Path, help="where the generated projects go (default: a temporary folder)")
    parser.add_argument("--out", type=Path, default=HERE, help="where results.json and results.md go")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.scales.split(",") if n.strip()]
    unknown = [n for n in names if n not in SCALES]
    if unknown or args.repeat < 1:
        parser.error(f"unknown scale(s) {', '.join(unknown)}" if unknown else "--repeat must be at least 1")

    work_ctx = tempfile.TemporaryDirectory(prefix="lz-bench-") if args.work is None else None
    work = Path(work_ctx.name) if work_ctx else args.work
    started = time.time()
    load_before = os.getloadavg()
    try:
        runs = {}
        for name in names:
            write_project(work / name, SCALES[name])
            runs[name] = ScaleRuns(name, work / name)
        for rep in range(args.repeat):
            for name in names:
                print(
                    f"[bench] {name}: repetition {rep + 1} of {args.repeat} (load {os.getloadavg()[0]:.2f})",
                    file=sys.stderr,
                    flush=True,
                )
                measure_scale(runs[name], checkov=not args.no_checkov, verify=rep == 0 and not args.no_verify)
        scales = {name: summarize(runs[name]) for name in names}
        parallel = None
        if not args.no_parallel:
            print("[bench] lz plan --all against one after another", file=sys.stderr, flush=True)
            parallel = measure_parallel(work / "parallel", args.repeat)
    finally:
        if work_ctx is not None:
            work_ctx.cleanup()
    targets = judge(scales, parallel)
    results = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
            "seconds": time.time() - started,
        },
        "scales": scales,
        "plan_all": parallel,
        "targets": targets,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    text = "## Scale\n\n" + table(scales)
    if parallel is not None:
        text += (
            f"\n`lz plan --all` over {len(parallel['stacks'])} independent foundation stacks: "
            f"{parallel['parallel']:.1f} s, against {parallel['sequential']:.1f} s one after another "
            f"(x{parallel['speedup']:.2f} on {parallel['cpus']} CPUs).\n"
        )
    text += "\n## Targets\n\n" + targets_md(targets)
    (args.out / "results.md").write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0 if all(t["met"] for t in targets) else 1


if __name__ == "__main__":
    raise SystemExit(main())
