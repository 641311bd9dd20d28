"""What `lz plan` and `lz check` write: findings.json and report.md (the pull-request summary)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

from lz.core.graph import Resource
from lz.review.evaluate import SEVERITIES, Evaluation, Finding

_CLOUD_OF_PACKAGE = {"aws": "aws", "gcp": "gcp", "azure-native": "azure", "azure": "azure", "random": "random"}


def cloud_of(type_: str) -> str:
    pkg = type_.split(":", 1)[0]
    if type_.startswith("pulumi:providers:"):
        return _CLOUD_OF_PACKAGE.get(type_.rsplit(":", 1)[-1], type_.rsplit(":", 1)[-1])
    return _CLOUD_OF_PACKAGE.get(pkg, pkg)


def summary(evaluation: Evaluation, resources: list[Resource]) -> dict[str, Any]:
    active = [f for f in evaluation.findings if not f.waived]
    by_sev = Counter(f.severity for f in active)
    return {
        "resources": sum(1 for r in resources if r.custom and not r.type.startswith("pulumi:")),
        "components": sum(1 for r in resources if not r.custom and r.type != "pulumi:pulumi:Stack"),
        "policies": evaluation.policies_run,
        "findings": len(evaluation.findings),
        "mandatory": sum(1 for f in active if f.enforcement == "mandatory"),
        "advisory": sum(1 for f in active if f.enforcement == "advisory"),
        "waived": sum(1 for f in evaluation.findings if f.waived),
        "undecided": len(evaluation.undecided),
        "by_severity": {s: by_sev.get(s, 0) for s in SEVERITIES},
        "passed": not any(f.enforcement == "mandatory" for f in active),
    }


def findings_json(
    evaluation: Evaluation, resources: list[Resource], extra_summary: dict[str, Any] | None = None
) -> str:
    doc = {
        "findings": [f.as_dict() for f in evaluation.findings],
        "summary": {**summary(evaluation, resources), **(extra_summary or {})},
        "undecided": [{"policy": u.policy, "urn": u.urn, "detail": u.detail} for u in evaluation.undecided],
    }
    return json.dumps(doc, indent=2) + "\n"


def _short(urn: str) -> str:
    """`urn:pulumi:stack::proj::a$b$aws:s3/bucket:Bucket::name` -> `aws:s3/bucket:Bucket::name`."""
    from lz.core.mdsafe import code, text  # noqa: PLC0415

    parts = urn.split("::")
    if len(parts) >= 4:
        return f"{text(parts[2].split('$')[-1])} {code(parts[3])}"
    return text(urn) if urn else "(stack)"


def _escape(message: str) -> str:
    from lz.core.mdsafe import text  # noqa: PLC0415

    return text(message)


def report_md(
    title: str,
    evaluation: Evaluation,
    resources: list[Resource],
    *,
    sections: list[str] | None = None,
    top_sections: list[str] | None = None,
) -> str:
    s = summary(evaluation, resources)
    verdict = "PASS" if s["passed"] else "FAIL"
    icon = "✅" if s["passed"] else "❌"
    lines = [f"# {icon} {title}: {verdict}", ""]
    lines.append(
        f"{s['resources']} resources in {s['components']} components; {s['policies']} policies ran: "
        f"**{s['mandatory']} mandatory**, {s['advisory']} advisory, {s['waived']} waived finding(s)"
        + (f"; {s['undecided']} check(s) could not tell yet (values known only at deploy)." if s["undecided"] else ".")
    )
    lines.append("")
    for section in top_sections or []:
        lines += [section.rstrip(), ""]

    # Resources per cloud and type
    counts: Counter[tuple[str, str]] = Counter()
    for r in resources:
        if r.custom and not r.type.startswith("pulumi:"):
            counts[(cloud_of(r.type), r.type)] += 1
    per_cloud: Counter[str] = Counter()
    for (cloud, _), n in counts.items():
        per_cloud[cloud] += n
    lines += ["## Resources", "", "| cloud | resources |", "| --- | ---: |"]
    for cloud in sorted(per_cloud):
        lines.append(f"| {cloud} | {per_cloud[cloud]} |")
    lines += ["", "<details><summary>Per type</summary>", "", "| cloud | type | count |", "| --- | --- | ---: |"]
    for (cloud, type_), n in sorted(counts.items()):
        lines.append(f"| {cloud} | `{type_}` | {n} |")
    lines += ["", "</details>", ""]

    # Findings grouped by severity, then by policy with what to do once per policy
    lines += ["## Findings", ""]
    active = [f for f in evaluation.findings if not f.waived]
    if not active:
        lines += ["No findings. Every policy passed.", ""]
    for severity in SEVERITIES:
        group = [f for f in active if f.severity == severity]
        if not group:
            continue
        lines += [f"### {severity.capitalize()} ({len(group)})", ""]
        by_policy: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
        for f in group:
            by_policy[(f.policy, f.enforcement, f.source)].append(f)
        for (policy, enforcement, source), items in sorted(by_policy.items()):
            lines.append(f"**`{policy}`** ({enforcement}, {source}): {len(items)} resource(s)")
            lines.append("")
            for f in items[:50]:
                lines.append(f"- {_short(f.urn)}: {_escape(f.message)}")
            if len(items) > 50:
                lines.append(f"- ... and {len(items) - 50} more (see findings.json)")
            remediation = items[0].remediation
            if remediation:
                lines += ["", f"  *What to do:* {_escape(remediation)}"]
            lines.append("")
    if evaluation.undecided:
        lines += [
            "## Cannot tell yet",
            "",
            "These checks depend on values the cloud assigns at deploy time, or on resources a preview "
            "omits because they are unchanged (`lz check --state` fills those in); they are neither "
            "passed nor failed here and run again under `pulumi preview --policy-pack policies`.",
            "",
        ]
        for u in evaluation.undecided[:50]:
            lines.append(f"- `{u.policy}` on {_short(u.urn)}: {u.detail}")
        lines.append("")
    for section in sections or []:
        lines += [section.rstrip(), ""]
    return "\n".join(lines).rstrip() + "\n"
