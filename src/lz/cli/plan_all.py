"""`lz plan --all`: every stack of the project, each after the stacks it reads (an organization before the
foundations that name it, a foundation before its waves).

A stack starts as soon as the stacks it reads are planned, one process each (the Pulumi SDK keeps
process-wide state, and a process per stack also uses every core): an organization that no foundation
names is planned beside the foundations, not before them. Results print in dependency order. The exit code is the
worst of the stacks': 3 if any crashed, else 2 if any input was unusable, else 1 if any mandatory
violation, else 0. `--base DIR` gives each stack `DIR/<stack>/graph.json` as its base (a stack
without one there is new: planned without a diff, and said so). After the stacks, one summary line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

from lz.cli.project import Project, StackFile, load_stack
from lz.core.errors import InputError

# The stack config keys of the contract (`lz.spec` defines them too): spelled out here so that the
# parent process, which only sorts stacks into phases, starts its children without first importing
# pydantic and the whole spec (a few hundred milliseconds that every child pays again anyway).
LANDING_ZONE_KEY = "landingZone"
WAVE_KEY = "wave"
ORGANIZATION_KEY = "organization"


def load_stacks(project: Project) -> dict[str, StackFile]:
    """Every stack file of the project, read once for both `phases` and `dependencies`."""
    return {name: load_stack(project, name) for name in project.stacks()}


def dependencies(project: Project, stacks: dict[str, StackFile] | None = None) -> dict[str, list[str]]:
    """stack -> the stacks of this project it reads (a wave's `foundation`, a foundation's
    `organization_stack`), in the order `phases` sorts them."""
    stacks = stacks if stacks is not None else load_stacks(project)
    names = set(stacks)
    out: dict[str, list[str]] = {}
    for name, stack in stacks.items():
        reads: list[str] = []
        for key, field in ((WAVE_KEY, "foundation"), (LANDING_ZONE_KEY, "organization_stack")):
            section = stack.namespaced(key)
            value = section.get(field) if isinstance(section, dict) else None
            if isinstance(value, str) and value in names and value != name:
                reads.append(value)
        out[name] = reads
    return out


def phases(project: Project, stacks: dict[str, StackFile] | None = None) -> list[list[str]]:
    """Organizations, then foundations, then waves: each phase reads the outputs of the one before."""
    stacks = stacks if stacks is not None else load_stacks(project)
    organizations: list[str] = []
    foundations: list[str] = []
    waves: list[str] = []
    for name, stack in stacks.items():
        if (
            stack.namespaced(ORGANIZATION_KEY) is not None
            and stack.namespaced(LANDING_ZONE_KEY) is None
            and stack.namespaced(WAVE_KEY) is None
        ):
            organizations.append(name)
        elif stack.namespaced(WAVE_KEY) is not None and stack.namespaced(LANDING_ZONE_KEY) is None:
            waves.append(name)
        else:
            foundations.append(name)  # a malformed stack is planned (and refused) with the foundations
    return [p for p in (organizations, foundations, waves) if p]


def plan_all(
    project: Project,
    out: Path | None = None,
    jobs: int | None = None,
    checkov: bool = True,
    base: Path | None = None,
    fmt: str = "text",
) -> int:
    import json  # noqa: PLC0415

    from lz.cli.terminal import progress  # noqa: PLC0415

    out_root = out or (project.root / "out")
    files = load_stacks(project)
    stacks = phases(project, files)
    if not stacks:
        raise InputError("no stack files (Pulumi.<stack>.yaml)", file=project.rel(project.stack_config_dir))
    if base is not None and not base.is_dir():
        raise InputError(
            "with --all, --base names a folder holding <stack>/graph.json of the base branch",
            file=str(base),
            key="--base",
        )
    workers = max(1, jobs or os.cpu_count() or 1)
    worst = 0
    verdicts: dict[str, str] = {}
    documents: dict[str, object] = {}
    say = sys.stderr if fmt == "json" else sys.stdout
    order = [name for phase in stacks for name in phase]
    needs = dependencies(project, files)
    results: dict[str, tuple[str, int, str]] = {}
    # A stack may start once every stack it reads has written its graph.json in this run (its
    # reports may still be in the making) or has finished; at most `workers` run at once.
    ready: set[str] = set()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        running: dict[Future[tuple[str, int, str]], str] = {}
        waiting = list(order)
        while waiting or running:
            for name in [n for n in waiting if all(d in ready for d in needs.get(n, []))]:
                if len(running) >= workers:
                    break
                waiting.remove(name)
                progress(f"planning {name} ({len(results) + len(running) + 1} of {len(order)} stacks)")
                _forget_graph(out_root / name)
                running[pool.submit(_plan_one, project, name, out_root / name, checkov, base)] = name
            if not running:  # a cycle of stack references: plan the rest anyway (each refuses itself)
                name = waiting.pop(0)
                running[pool.submit(_plan_one, project, name, out_root / name, checkov, base)] = name
            done, _ = wait(running, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in done:
                name = running.pop(future)
                results[name] = future.result()
                ready.add(name)
            ready.update(n for n in running.values() if (out_root / n / "graph.json").is_file())
    for stack_name in order:
        name, code, text = results[stack_name]
        say.write(text)
        if code not in (0, 1, 2, 3):
            say.write(f"{name}: crashed with exit code {code}\n")
            code = 3
        worst = _worse(worst, code)
        verdicts[name] = {0: "ok", 1: "FAIL", 2: "refused", 3: "crashed"}[code]
        if fmt == "json" and code in (0, 1):
            try:
                documents[name] = json.loads((out_root / name / "findings.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                documents[name] = None
    counts = {v: sum(1 for x in verdicts.values() if x == v) for v in ("ok", "FAIL", "refused", "crashed")}
    say.write(
        f"Summary: {len(verdicts)} stack(s): "
        + ", ".join(f"{n} {v}" for v, n in counts.items() if n)
        + "".join(
            f"; {v}: {', '.join(k for k, x in verdicts.items() if x == v)}"
            for v in ("FAIL", "refused", "crashed")
            if counts[v]
        )
        + "\n"
    )
    if fmt == "json":
        sys.stdout.write(json.dumps({"stacks": documents}, indent=2) + "\n")
    return worst


def _forget_graph(folder: Path) -> None:
    """Remove a previous run's graph.json before the stack starts, so only this run's can signal readiness."""
    graph = folder / "graph.json"
    if graph.is_file() and not graph.is_symlink():
        graph.unlink()


def _worse(a: int, b: int) -> int:
    """3 (crash) over 2 (refused input) over 1 (verdict) over 0."""
    return max(a, b)


def _plan_one(project: Project, name: str, out: Path, checkov: bool, base: Path | None) -> tuple[str, int, str]:
    flags = [] if checkov else ["--no-checkov"]
    note = ""
    if base is not None:
        graph = base / name / "graph.json"
        if graph.is_file():
            flags += ["--base", str(graph)]
        else:
            note = f"{name}: no base graph at {graph}: a new stack, planned without a diff\n"
    # The stacks it reads were planned into the same folder earlier in this run: a wave reads its
    # foundation's outputs from there instead of synthesizing the foundation again (lz.cli.plan).
    env = {**os.environ, "LZ_PROGRESS": "0", "LZ_PLANNED_OUT": str(out.parent)}
    proc = subprocess.run(
        [sys.executable, "-m", "lz", "plan", "--stack", name, "--out", str(out), *flags],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    return name, proc.returncode, note + proc.stdout + proc.stderr
