"""What lz prints: the verdict line, the failing policies by name, progress, the JSON document.

The verdict line stays one line per stack; on FAIL it is followed by the failing mandatory policy
ids with the resources they name (the top `TOP_POLICIES` policies, `TOP_RESOURCES` names each,
then how many more), so a reviewer reading CI logs knows what failed without opening report.md.
The number of waived findings is always stated: a PASS with 40 waived findings is not a clean PASS.

Progress goes to stderr (never into `--format json` output on stdout), only when stderr is a
terminal (CI logs and captured output stay one message per outcome); `LZ_PROGRESS=1` forces it,
`LZ_PROGRESS=0` silences it (`lz plan --all` silences its child processes and reports per stack).
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter, defaultdict
from typing import Any

TOP_POLICIES = 5
TOP_RESOURCES = 3


def _name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1] if "::" in urn else (urn or "(stack)")


def failing_lines(failing: list[tuple[str, str]]) -> list[str]:
    """`  policy-id (N): name, name, name and K more`, most frequent policies first."""
    by_policy: dict[str, list[str]] = defaultdict(list)
    for policy, urn in failing:
        by_policy[policy].append(_name(urn))
    counts = Counter({p: len(v) for p, v in by_policy.items()})
    ordered = sorted(counts, key=lambda p: (-counts[p], p))
    lines = []
    for policy in ordered[:TOP_POLICIES]:
        names = sorted(set(by_policy[policy]))
        more = len(names) - TOP_RESOURCES
        lines.append(
            f"  {policy} ({counts[policy]}): {', '.join(names[:TOP_RESOURCES])}"
            + (f" and {more} more" if more > 0 else "")
        )
    rest = ordered[TOP_POLICIES:]
    if rest:
        lines.append(
            f"  ... and {len(rest)} more failing polic{'y' if len(rest) == 1 else 'ies'} "
            f"({sum(counts[p] for p in rest)} finding(s)); see report.md"
        )
    return lines


def result_lines(
    subject: str,
    code: int,
    size: str,
    mandatory: int,
    waived: int,
    failing: list[tuple[str, str]],
    tail: str,
    plan_line: str | None = None,
) -> list[str]:
    verdict = "FAIL" if code else "ok"
    lines = [f"{subject}: {verdict}: {size}, {mandatory} mandatory violation(s), {waived} waived; {tail}"]
    if plan_line:
        lines.append(f"  {plan_line}")
    if code:
        lines.extend(failing_lines(failing))
    return lines


def progress(message: str) -> None:
    wanted = os.environ.get("LZ_PROGRESS", "")
    if wanted == "0" or (wanted != "1" and not sys.stderr.isatty()):
        return
    print(f"lz: {message} ...", file=sys.stderr, flush=True)


def emit_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, indent=2) + "\n")
