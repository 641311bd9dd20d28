"""Which resource types of a graph the policy pack cannot judge, and what it covers of the SDKs.

A resource is covered when its type token, after normalisation (`lz.core.types.canonical_type`), is a
resource class of pulumi-aws, pulumi-gcp or pulumi-azure-native: then taggability, key fields and
location fields are read from that class. Anything else (a token of another SDK version, another
package such as `random` or `kubernetes`) is "not covered": counted and listed in report.md and in
findings.json `summary.not_covered`, never silently skipped.

`family_coverage()` counts, per policy family, the canonical types of the three SDKs that at least
one policy of the family judges (the number the README quotes); it imports every SDK class that
takes tags or a location, so it is for the README and tests, not for every plan.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from lz.core.graph import Resource
from lz.core.types import canonical_type, is_known

_CLOUD_PACKAGES = ("aws", "gcp", "azure-native")


def not_covered(resources: list[Resource]) -> list[dict[str, Any]]:
    """[{type, count, reason}] for custom resources whose type the pack cannot judge, by type."""
    counts: Counter[str] = Counter()
    for r in resources:
        if not r.custom or r.type.startswith("pulumi:"):
            continue
        if not is_known(r.type):
            counts[r.type] += 1
    out = []
    for type_, n in sorted(counts.items()):
        package = type_.split(":", 1)[0]
        reason = (
            "not a resource of the installed provider SDK (another SDK version?)"
            if package in _CLOUD_PACKAGES
            else f"package `{package}` is not judged by the pack"
        )
        out.append({"type": type_, "count": n, "reason": reason})
    return out


def renamed(resources: list[Resource]) -> dict[str, str]:
    """{token in the graph: canonical token} for every resource written under another token."""
    return {r.type: canonical_type(r.type) for r in resources if r.custom and canonical_type(r.type) != r.type}


def not_covered_markdown(resources: list[Resource]) -> str:
    missing = not_covered(resources)
    aliased = renamed(resources)
    lines: list[str] = []
    if missing:
        total = sum(m["count"] for m in missing)
        lines += [
            "## Not covered",
            "",
            f"{total} resource(s) of {len(missing)} type(s) are not covered: the policy pack cannot "
            "judge their tags, keys or locations. Review them by hand.",
            "",
            "| type | resources | why |",
            "| --- | ---: | --- |",
        ]
        lines += [f"| `{m['type']}` | {m['count']} | {m['reason']} |" for m in missing]
        lines.append("")
    if aliased:
        lines += [
            "<details><summary>Types judged under their canonical token</summary>",
            "",
            "| token in the graph | judged as |",
            "| --- | --- |",
        ]
        lines += [f"| `{a}` | `{c}` |" for a, c in sorted(aliased.items())]
        lines += ["", "</details>", ""]
    return "\n".join(lines)
