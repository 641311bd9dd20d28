"""One measurement, in the process it is run in: `python -m benchmarks.measure KIND ...`.

`benchmarks.run` starts this module once per measurement, so that every number comes from a fresh
interpreter (the SDK keeps process-wide state, and module imports are a real part of the cost), and
reads the JSON object it prints on its last line. Peak memory is taken by the parent from the
process's resource usage.

* `plan PROJECT STACK OUT`: `lz plan --stack STACK --out OUT --no-checkov` through the code the CLI
  runs (`lz.cli.plan.plan_stack`); reports lz's own timings (synthesis, policies, bridge).
* `check PROJECT GRAPH STACK OUT`: `lz check GRAPH --stack STACK --out OUT --no-checkov`
  (`lz.cli.plan.check_graph`): reading the graph, the policy pack, the bridges and the reports.
* `checkov PLAN_OUT WORKDIR`: checkov over the `tfplan.json` and `arm.json` that a plan wrote, as
  `lz plan` runs it (`lz.review.checkov.run_checkov`); the URN maps are rebuilt before the clock starts.

It measures; it does not judge (that is `benchmarks.run`).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any


def _project(root: Path) -> Any:
    from lz.cli.project import find_project  # noqa: PLC0415

    return find_project(root)


def plan(root: Path, stack: str, out: Path) -> dict[str, Any]:
    project = _project(root)
    from lz.cli.plan import plan_stack  # noqa: PLC0415

    t0 = time.perf_counter()
    result = plan_stack(project, stack, out=out, checkov=False)
    total = time.perf_counter() - t0
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))["deployment"]["resources"]
    return {
        "seconds": dict(result.seconds),
        "total": total,
        "resources": result.resources,
        "exit_code": result.exit_code,
        "graph_resources": len(graph),
        "components": sum(1 for r in graph if not r["custom"] and r["type"] != "pulumi:pulumi:Stack"),
    }


def check(root: Path, graph: Path, stack: str, out: Path) -> dict[str, Any]:
    project = _project(root)
    from lz.cli.plan import check_graph, policy_settings_for  # noqa: PLC0415
    from lz.cli.project import load_stack  # noqa: PLC0415

    t0 = time.perf_counter()
    stack_file = load_stack(project, stack)
    code, evaluation, _resources = check_graph(
        project, graph, policy_settings_for(stack_file), out, stack=stack_file, checkov=False
    )
    return {"seconds": time.perf_counter() - t0, "exit_code": code, "resources": evaluation.resources}


def checkov(plan_out: Path, workdir: Path) -> dict[str, Any]:
    from lz.core.graph import load_graph  # noqa: PLC0415
    from lz.review.bridge.arm import to_arm  # noqa: PLC0415
    from lz.review.bridge.terraform import to_tfplan  # noqa: PLC0415
    from lz.review.checkov import run_checkov  # noqa: PLC0415

    resources, _ = load_graph(plan_out / "graph.json")
    urns = {**to_tfplan(resources)[1], **to_arm(resources)[1]}
    workdir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    findings = run_checkov(plan_out / "tfplan.json", plan_out / "arm.json", workdir, urns)
    return {"seconds": time.perf_counter() - t0, "findings": len(findings)}


def main(argv: list[str]) -> int:
    kind, *args = argv
    if kind == "plan":
        result = plan(Path(args[0]), args[1], Path(args[2]))
    elif kind == "check":
        result = check(Path(args[0]), Path(args[1]), args[2], Path(args[3]))
    elif kind == "checkov":
        result = checkov(Path(args[0]), Path(args[1]))
    else:
        raise SystemExit(f"unknown measurement {kind!r}")
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
