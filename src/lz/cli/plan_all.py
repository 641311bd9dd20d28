"""`lz plan --all`: every stack of the project, foundations before the waves that read them.

Stacks of one phase are independent, so they are planned in parallel, one process each (the Pulumi
SDK keeps process-wide state, and a process per stack also uses every core). The exit code is the
worst of the stacks': 2 if any input was unusable, else 1 if any mandatory violation, else 0.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lz.cli.project import Project, load_stack
from lz.core.errors import InputError

# The stack config keys of the contract (`lz.spec` defines them too): spelled out here so that the
# parent process, which only sorts stacks into phases, starts its children without first importing
# pydantic and the whole spec (a few hundred milliseconds that every child pays again anyway).
LANDING_ZONE_KEY = "landingZone"
WAVE_KEY = "wave"


def phases(project: Project) -> list[list[str]]:
    foundations: list[str] = []
    waves: list[str] = []
    for name in project.stacks():
        stack = load_stack(project, name)
        if stack.namespaced(WAVE_KEY) is not None and stack.namespaced(LANDING_ZONE_KEY) is None:
            waves.append(name)
        else:
            foundations.append(name)  # a malformed stack is planned (and refused) with the foundations
    return [p for p in (foundations, waves) if p]


def plan_all(project: Project, out: Path | None = None, jobs: int | None = None, checkov: bool = True) -> int:
    out_root = out or (project.root / "out")
    stacks = phases(project)
    if not stacks:
        raise InputError("no stack files (Pulumi.<stack>.yaml)", file=project.rel(project.stack_config_dir))
    workers = max(1, jobs or os.cpu_count() or 1)
    worst = 0
    for phase in stacks:
        with ThreadPoolExecutor(max_workers=min(workers, len(phase))) as pool:
            results = list(pool.map(lambda s: _plan_one(project, s, out_root / s, checkov), phase))
        for name, code, text in results:
            sys.stdout.write(text)
            if code not in (0, 1, 2):
                sys.stdout.write(f"{name}: crashed with exit code {code}\n")
                code = 2
            worst = max(worst, code) if worst != 2 else 2
            if code == 2:
                worst = 2
    return worst


def _plan_one(project: Project, name: str, out: Path, checkov: bool) -> tuple[str, int, str]:
    flags = [] if checkov else ["--no-checkov"]
    proc = subprocess.run([sys.executable, "-m", "lz", "plan", "--stack", name, "--out", str(out), *flags],
                          cwd=project.root, capture_output=True, text=True, check=False)
    return name, proc.returncode, proc.stdout + proc.stderr
