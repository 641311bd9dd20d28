"""Waivers: accepted findings, each with a reason, an owner and an expiry date.

`waivers.yaml` at the project root (beside `Pulumi.yaml`) is a YAML list; each entry names a policy
(a policy name of the pack or a checkov check id; shell-style wildcards allowed), the resources it
covers (a Pulumi URN or a glob over URNs), why, who owns the decision, and until when (a
`YYYY-MM-DD` date, the last day the waiver holds):

    - policy: CKV_AWS_144
      resource: "urn:pulumi:*::landing-zone::*aws:s3/bucket:Bucket::*audit*"
      reason: Audit logs stay in their region by design; cross-region replication would break residency.
      owner: platform-team
      expires: 2026-06-30

`apply_waivers` marks each finding an active waiver matches as waived (it stays in the reports,
with the waiver's owner, reason and expiry attached). An expired waiver waives nothing: its
findings count again and the report lists the waiver as expired. A waiver that matches no finding
is stale: listed, so it can be removed. A missing file means no waivers; a malformed one is an
`InputError` naming the file, the entry and the key (exit 2).

What it does not do: decide enforcement or exit codes; read dates from the clock (the caller
passes `today`).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lz.core.errors import InputError
from lz.review.evaluate import Finding

FILE_NAME = "waivers.yaml"
KEYS = ("policy", "resource", "reason", "owner", "expires")
MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Waiver:
    policy: str
    resource: str
    reason: str
    owner: str
    expires: dt.date
    index: int = 0
    line: int | None = None

    def matches(self, finding: Finding) -> bool:
        return fnmatch.fnmatchcase(finding.policy, self.policy) and fnmatch.fnmatchcase(finding.urn, self.resource)

    def active_on(self, today: dt.date) -> bool:
        return today <= self.expires

    def as_dict(self) -> dict[str, Any]:
        return {"policy": self.policy, "resource": self.resource, "reason": self.reason, "owner": self.owner,
                "expires": self.expires.isoformat()}


@dataclass(frozen=True)
class WaiverStatus:
    waiver: Waiver
    state: str  # "active" | "expired" | "stale"
    matched: int  # findings it matches (waived for an active waiver, merely matched for an expired one)

    def as_dict(self) -> dict[str, Any]:
        return {**self.waiver.as_dict(), "state": self.state, "matched": self.matched}


@dataclass
class WaiverReport:
    statuses: list[WaiverStatus] = field(default_factory=list)
    waived: int = 0

    def _in(self, state: str) -> list[WaiverStatus]:
        return [s for s in self.statuses if s.state == state]

    @property
    def active(self) -> list[WaiverStatus]:
        return self._in("active")

    @property
    def expired(self) -> list[WaiverStatus]:
        return self._in("expired")

    @property
    def stale(self) -> list[WaiverStatus]:
        return self._in("stale")

    def as_dict(self) -> dict[str, Any]:
        return {"waived_findings": self.waived, "active": len(self.active), "expired": len(self.expired),
                "stale": len(self.stale), "waivers": [s.as_dict() for s in self.statuses]}


# --- reading ---------------------------------------------------------------------------------

def load_waivers(path: Path, *, display: str | None = None) -> list[Waiver]:
    """Read a waivers file; a missing file is no waivers."""
    shown = display or str(path)
    if not path.exists():
        return []
    if not path.is_file():
        raise InputError("expected a YAML file of waivers", file=shown)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=shown) from None
    if len(raw) > MAX_BYTES:
        raise InputError(f"file is {len(raw)} bytes; waivers files are limited to {MAX_BYTES} bytes", file=shown)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=shown) from None
    return parse_waivers(text, shown)


class _Loader(yaml.SafeLoader):
    """Safe loading with dates left as text, so a bad date is reported with its key, not as a crash."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_waivers(text: str, display: str) -> list[Waiver]:
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"malformed YAML: {problem}", file=display,
                         line=mark.line + 1 if mark is not None else None) from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise InputError("expected a list of waivers (each with policy, resource, reason, owner, expires)",
                         file=display, line=_line(node))
    items = node.value if isinstance(node, yaml.SequenceNode) else []
    return [_waiver(entry, i, display, _line(items[i]) if i < len(items) else None) for i, entry in enumerate(data)]


def _line(node: Any) -> int | None:
    mark = getattr(node, "start_mark", None)
    return mark.line + 1 if mark is not None else None


def _waiver(entry: Any, index: int, display: str, line: int | None) -> Waiver:
    where = f"[{index}]"
    if not isinstance(entry, dict):
        raise InputError(f"expected a mapping with {', '.join(KEYS)}", file=display, key=where, line=line)
    unknown = sorted(str(k) for k in entry if k not in KEYS)
    if unknown:
        raise InputError(f"unknown key(s) {', '.join(unknown)}; a waiver has {', '.join(KEYS)}", file=display,
                         key=f"{where}.{unknown[0]}", line=line)
    values: dict[str, str] = {}
    for key in ("policy", "resource", "reason", "owner"):
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            what = "missing" if value is None else "must be a non-empty string"
            raise InputError(f"{key} {what}", file=display, key=f"{where}.{key}", line=line)
        values[key] = value.strip()
    return Waiver(policy=values["policy"], resource=values["resource"], reason=values["reason"],
                  owner=values["owner"], expires=_date(entry.get("expires"), display, f"{where}.expires", line),
                  index=index, line=line)


def _date(value: Any, display: str, key: str, line: int | None) -> dt.date:
    if isinstance(value, dt.datetime):
        raise InputError("expected a date (YYYY-MM-DD), not a date and time", file=display, key=key, line=line)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    what = "missing" if value is None else f"{value!r} is not a date (YYYY-MM-DD)"
    raise InputError(what, file=display, key=key, line=line)


# --- applying --------------------------------------------------------------------------------

def apply_waivers(findings: Iterable[Finding], waivers: list[Waiver], today: dt.date) -> WaiverReport:
    """Mark findings waived by an active waiver (the first in file order that matches); report every waiver."""
    matched = [0] * len(waivers)
    waived = 0
    for finding in findings:
        active = next((i for i, w in enumerate(waivers) if w.active_on(today) and w.matches(finding)), None)
        if active is not None:
            w = waivers[active]
            matched[active] += 1
            finding.waived = True
            finding.waiver = {"owner": w.owner, "reason": w.reason, "expires": w.expires.isoformat()}
            waived += 1
            continue
        for i, w in enumerate(waivers):
            if not w.active_on(today) and w.matches(finding):
                matched[i] += 1
                if finding.waiver is None:  # say which waiver lapsed; the finding counts again
                    finding.waiver = {"owner": w.owner, "reason": w.reason, "expires": w.expires.isoformat(),
                                      "expired": True}
    statuses = []
    for i, w in enumerate(waivers):
        if not w.active_on(today):
            state = "expired"
        elif matched[i] == 0:
            state = "stale"
        else:
            state = "active"
        statuses.append(WaiverStatus(w, state, matched[i]))
    return WaiverReport(statuses=statuses, waived=waived)


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def waivers_markdown(report: WaiverReport) -> str:
    """The waivers section of report.md: what is waived, by whom, until when; expired and stale waivers."""
    if not report.statuses:
        return ""
    lines = ["## Waivers", "",
             f"{report.waived} finding(s) waived by {len(report.active)} active waiver(s); "
             f"{len(report.expired)} expired, {len(report.stale)} stale.", ""]
    if report.expired:
        lines += ["**Expired waivers** no longer waive anything; their findings count again. Renew them with a new "
                  "date and a reason, or fix the resources:", ""]
        lines += [f"- `{s.waiver.policy}` on `{s.waiver.resource}` (owner {_escape(s.waiver.owner)}) expired "
                  f"{s.waiver.expires.isoformat()}; matches {s.matched} finding(s)" for s in report.expired]
        lines.append("")
    if report.stale:
        lines += ["**Stale waivers** match no finding; remove them from waivers.yaml:", ""]
        lines += [f"- `{s.waiver.policy}` on `{s.waiver.resource}` (owner {_escape(s.waiver.owner)}, "
                  f"until {s.waiver.expires.isoformat()})" for s in report.stale]
        lines.append("")
    if report.active:
        lines += ["| policy | resources | owner | until | findings | reason |",
                  "| --- | --- | --- | --- | ---: | --- |"]
        lines += [f"| `{s.waiver.policy}` | `{_escape(s.waiver.resource)}` | {_escape(s.waiver.owner)} | "
                  f"{s.waiver.expires.isoformat()} | {s.matched} | {_escape(s.waiver.reason)} |" for s in report.active]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
