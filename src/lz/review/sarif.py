"""Findings as SARIF 2.1.0, the format GitHub code scanning takes (`report.sarif`).

One run, tool `landing-zone`, one rule per policy (a pack policy or a checkov check) with its
description, help text that says what to do, and the severity GitHub sorts alerts by
(`properties.security-severity`, a CVSS-like number, and `problem.severity`). Each finding is a
result on the stack file and line that produced the resource when `locate(urn)` knows them
(else on `fallback`, e.g. the stack file's first line), with the URN as a logical location and a
fingerprint that depends only on rule and URN, so an alert survives unrelated edits. Waived
findings are results with an accepted external suppression carrying the waiver's reason.

What it does not do: upload anything, or decide what is mandatory (the findings say).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from lz.core.graph import Resource
from lz.review.evaluate import SEVERITIES, Finding
from lz.review.mermaid import region_of

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION = "2.1.0"
TOOL = "landing-zone"
INFORMATION_URI = "https://github.com/pulumi/pulumi-policy"
SRCROOT = "%SRCROOT%"

# GitHub maps security-severity to its levels: >= 9.0 critical, >= 7.0 high, >= 4.0 medium, else low.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}

Locate = Callable[[str], "tuple[str, int] | None"]


def _level(finding: Finding) -> str:
    if finding.enforcement == "mandatory":
        return "error"
    return "warning" if finding.severity in ("critical", "high") else "note"


def _rule_name(policy: str) -> str:
    """`encryption-kms-rotation` -> `EncryptionKmsRotation`, `CKV_AWS_7` -> `CkvAws7`: SARIF wants a name too."""
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", policy) if part)


def _worst(severities: Iterable[str]) -> str:
    ranked = [s for s in severities if s in SEVERITIES]
    return min(ranked, key=SEVERITIES.index) if ranked else "medium"


def meta_from_policies(policies: Iterable[Any]) -> dict[str, dict[str, str]]:
    """Rule metadata from pulumi-policy objects (name, description, remediation_steps, severity)."""
    out: dict[str, dict[str, str]] = {}
    for p in policies:
        severity = getattr(p, "severity", None)
        out[p.name] = {
            "description": str(getattr(p, "description", "") or ""),
            "remediation": str(getattr(p, "remediation_steps", "") or ""),
            "severity": str(getattr(severity, "value", severity) or ""),
        }
    return out


def _rule(policy: str, findings: list[Finding], meta: Mapping[str, str]) -> dict[str, Any]:
    first = findings[0]
    description = meta.get("description") or first.message.split(": ", 1)[-1]
    remediation = meta.get("remediation") or first.remediation
    given = meta.get("severity") or ""
    severity = given if given in SEVERITIES else _worst(f.severity for f in findings)
    mandatory = any(f.enforcement == "mandatory" for f in findings)
    source = first.source
    family = policy.split("-", 1)[0] if source == "lz" else "checkov"
    help_text = f"{description}\n\nWhat to do: {remediation}" if remediation else description
    help_md = f"**{policy}** ({source}, {'mandatory' if mandatory else 'advisory'}): {description}"
    if remediation:
        help_md += f"\n\n**What to do:** {remediation}"
    help_md += (
        "\n\nTo accept a finding instead, add a waiver to `waivers.yaml` with the policy, the resource URN "
        "(or a glob), a reason, an owner and an expiry date."
    )
    rule: dict[str, Any] = {
        "id": policy,
        "name": _rule_name(policy),
        "shortDescription": {"text": description.split("\n", 1)[0][:1024]},
        "fullDescription": {"text": description},
        "help": {"text": help_text, "markdown": help_md},
        "defaultConfiguration": {
            "level": "error" if mandatory else ("warning" if severity in ("critical", "high") else "note")
        },
        "properties": {
            "tags": sorted({"security", "infrastructure", source, family}),
            "precision": "high",
            "security-severity": SECURITY_SEVERITY[severity],
            "problem.severity": "error"
            if mandatory
            else ("warning" if severity in ("critical", "high") else "recommendation"),
        },
    }
    if meta.get("help_uri"):
        rule["helpUri"] = meta["help_uri"]
    return rule


def _short(urn: str) -> str:
    parts = urn.split("::")
    return f"{parts[2].split('$')[-1]} {parts[3]}" if len(parts) >= 4 else urn


def fingerprint(policy: str, urn: str) -> str:
    return hashlib.sha256(f"{policy}\n{urn}".encode()).hexdigest()[:32]


def to_sarif(
    findings: Iterable[Finding],
    policies_meta: Mapping[str, Mapping[str, str]],
    locate: Locate,
    *,
    fallback: tuple[str, int] | None = None,
    category: str = "",
    tool_version: str = "",
) -> dict[str, Any]:
    """A SARIF 2.1.0 log of the findings (waived ones suppressed), one rule per policy."""
    items = sorted(findings, key=lambda f: (f.policy, f.urn, f.message))
    by_policy: dict[str, list[Finding]] = {}
    for f in items:
        by_policy.setdefault(f.policy, []).append(f)
    policies = sorted(by_policy)
    rules = [_rule(p, by_policy[p], policies_meta.get(p, {})) for p in policies]
    index = {p: i for i, p in enumerate(policies)}
    results = []
    for f in items:
        result: dict[str, Any] = {
            "ruleId": f.policy,
            "ruleIndex": index[f.policy],
            "level": _level(f),
            "message": {"text": f"{f.message} ({_short(f.urn)})" if f.urn else f.message},
            "locations": [_location(f.urn, locate, fallback)],
            "partialFingerprints": {"landingZoneFinding/v1": fingerprint(f.policy, f.urn)},
            "properties": {
                "urn": f.urn,
                "resourceType": f.type,
                "source": f.source,
                "enforcement": f.enforcement,
                "severity": f.severity,
                "waived": f.waived,
            },
        }
        if f.waived and f.waiver:
            result["suppressions"] = [
                {
                    "kind": "external",
                    "status": "accepted",
                    "justification": f"{f.waiver.get('reason', '')} (owner {f.waiver.get('owner', '')}, "
                    f"until {f.waiver.get('expires', '')})",
                }
            ]
        results.append(result)
    driver: dict[str, Any] = {"name": TOOL, "informationUri": INFORMATION_URI, "rules": rules}
    if tool_version:
        driver["semanticVersion"] = tool_version
        driver["version"] = tool_version
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "results": results,
        "columnKind": "utf16CodeUnits",
        "originalUriBaseIds": {SRCROOT: {"description": {"text": "The project root"}}},
    }
    if category:
        run["automationDetails"] = {"id": f"{category.rstrip('/')}/"}
    return {"$schema": SCHEMA, "version": VERSION, "runs": [run]}


def _location(urn: str, locate: Locate, fallback: tuple[str, int] | None) -> dict[str, Any]:
    where = locate(urn) if urn else None
    where = where or fallback
    location: dict[str, Any] = {}
    if where is not None:
        path, line = where
        location["physicalLocation"] = {
            "artifactLocation": {"uri": path.replace("\\", "/"), "uriBaseId": SRCROOT},
            "region": {"startLine": max(1, int(line))},
        }
    if urn:
        location["logicalLocations"] = [{"fullyQualifiedName": urn, "kind": "resource"}]
    return location


_CLOUD_KEYS = {"aws": "aws", "gcp": "gcp", "azure-native": "azure"}


def stack_locator(
    display: str,
    config: Mapping[str, Any],
    lines: Mapping[tuple[str | int, ...], int],
    root: str,
    resources: list[Resource],
) -> Locate:
    """`locate(urn)` for a stack file: the spec entry that produced the resource, as closely as the graph tells.

    A GPU pool's resources point at their `gpu_pools` entry, a regional resource at its region in
    `clouds.<cloud>.regions`, anything else of a cloud at `clouds.<cloud>`, the rest at `root`
    (e.g. `landing-zone:landingZone`). `lines` maps key paths under `config` to lines, as
    `lz.cli.project.StackFile.lines` does.
    """
    raw_spec = config.get(root)
    spec: Mapping[str, Any] = raw_spec if isinstance(raw_spec, Mapping) else {}
    by_urn = {r.urn: r for r in resources}
    providers = {r.urn: r.inputs for r in resources if r.type.startswith("pulumi:providers:")}
    pools = [
        (str(p.get("name")), i)
        for i, p in enumerate(spec.get("gpu_pools") or [])
        if isinstance(p, Mapping) and p.get("name")
    ]
    clouds = spec.get("clouds") if isinstance(spec.get("clouds"), Mapping) else {}

    def locate(urn: str) -> tuple[str, int] | None:
        r = by_urn.get(urn)
        name = urn.rsplit("::", 1)[-1]
        for pool, i in pools:
            if pool in name and (root, "gpu_pools", i) in lines:
                return display, lines[(root, "gpu_pools", i)]
        cloud = _CLOUD_KEYS.get(r.package if r else "", "")
        entry = clouds.get(cloud) if isinstance(clouds, Mapping) else None
        if r is not None and isinstance(entry, Mapping):
            regions = [str(x) for x in entry.get("regions") or []]
            region = region_of(r, providers)
            if region in regions and (root, "clouds", cloud, "regions", regions.index(region)) in lines:
                return display, lines[(root, "clouds", cloud, "regions", regions.index(region))]
            if (root, "clouds", cloud) in lines:
                return display, lines[(root, "clouds", cloud)]
        return (display, lines[(root,)]) if (root,) in lines else None

    return locate
