"""Waivers: accepted findings, each with a reason, an owner and an expiry date.

`waivers.yaml` at the project root (beside `Pulumi.yaml`) is a YAML list; each entry names one
concrete policy (a policy name of the pack or a checkov check id), the stacks it holds in, the
resources it covers (a Pulumi URN, or a glob over URNs that names a concrete resource type), why,
who owns the decision, and until when (a `YYYY-MM-DD` date, the last day the waiver holds):

    - policy: CKV_AWS_144
      stacks: [foundation-dev]
      resource: "urn:pulumi:*::landing-zone::*aws:s3/bucket:Bucket::*audit*"
      reason: Audit logs stay in their region by design; cross-region replication would break residency.
      owner: platform-team
      expires: 2026-06-30

Bounds, so a waiver cannot switch the gate off: a policy pattern (`*`, `residency-*`) or a
resource glob that does not name a type (`*`, `urn:pulumi:*`) is refused (exit 2) unless the
break-glass setting `LZ_WAIVER_BREAK_GLASS=1` is set in the environment of the run (CI takes it
from the base branch's workflow, never from the pull request); such waivers are then marked
break-glass in the report. An expiry further ahead than the horizon (`LZ_WAIVER_HORIZON_DAYS`,
365 by default) is refused. A waiver applies, and is judged stale, only in the stacks it names.

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
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lz.core.errors import InputError
from lz.core.yaml_errors import malformed_yaml
from lz.review.evaluate import Finding

FILE_NAME = "waivers.yaml"
KEYS = ("policy", "stacks", "resource", "reason", "owner", "expires")
HORIZON_DAYS = 365
_GLOB = "*?["
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
    stacks: tuple[str, ...] = ()
    break_glass: bool = False  # accepted only under LZ_WAIVER_BREAK_GLASS

    def applies_to(self, stack: str | None) -> bool:
        return stack is not None and stack in self.stacks

    def matches(self, finding: Finding) -> bool:
        return fnmatch.fnmatchcase(finding.policy, self.policy) and fnmatch.fnmatchcase(finding.urn, self.resource)

    def active_on(self, today: dt.date) -> bool:
        return today <= self.expires

    def as_dict(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "stacks": list(self.stacks),
            "resource": self.resource,
            "reason": self.reason,
            "owner": self.owner,
            "expires": self.expires.isoformat(),
            **({"break_glass": True} if self.break_glass else {}),
        }


@dataclass(frozen=True)
class WaiverStatus:
    waiver: Waiver
    state: str  # "active" | "expired" | "stale" | "unjudged"
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

    @property
    def unjudged(self) -> list[WaiverStatus]:
        return self._in("unjudged")

    def as_dict(self) -> dict[str, Any]:
        return {
            "waived_findings": self.waived,
            "active": len(self.active),
            "expired": len(self.expired),
            "stale": len(self.stale),
            "unjudged": len(self.unjudged),
            "waivers": [s.as_dict() for s in self.statuses],
        }


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bounds:
    """What a waivers file may say: the expiry horizon from `today`, and whether break-glass is on."""

    today: dt.date | None = None  # None: the horizon is not checked
    horizon_days: int = HORIZON_DAYS
    break_glass: bool = False


def load_waivers(path: Path, *, display: str | None = None, bounds: Bounds | None = None) -> list[Waiver]:
    """Read a waivers file; a missing file is no waivers."""
    shown = display or str(path)
    if not path.exists():
        return []
    from lz.core.safe_io import read_regular  # noqa: PLC0415

    raw = read_regular(path, shown, MAX_BYTES, what="YAML file of waivers")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=shown) from None
    return parse_waivers(text, shown, bounds)


def for_stack(waivers: list[Waiver], stack: str | None) -> list[Waiver]:
    """The waivers that hold in `stack` (the others are neither applied nor judged stale there)."""
    return [w for w in waivers if w.applies_to(stack)]


class _Loader(yaml.SafeLoader):
    """Safe loading with dates left as text, so a bad date is reported with its key, not as a crash."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_waivers(text: str, display: str, bounds: Bounds | None = None) -> list[Waiver]:
    bounds = bounds or Bounds()
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except RecursionError:  # PyYAML recurses once per level of nesting
        raise InputError("YAML nested too deeply; a waivers file is a flat list", file=display) from None
    except yaml.YAMLError as exc:
        raise malformed_yaml(exc, display) from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise InputError(
            "expected a list of waivers (each with policy, resource, reason, owner, expires)",
            file=display,
            line=_line(node),
        )
    items = node.value if isinstance(node, yaml.SequenceNode) else []
    return [
        _waiver(entry, i, display, _line(items[i]) if i < len(items) else None, bounds) for i, entry in enumerate(data)
    ]


def _line(node: Any) -> int | None:
    mark = getattr(node, "start_mark", None)
    return mark.line + 1 if mark is not None else None


def _waiver(entry: Any, index: int, display: str, line: int | None, bounds: Bounds) -> Waiver:
    where = f"[{index}]"
    if not isinstance(entry, dict):
        raise InputError(f"expected a mapping with {', '.join(KEYS)}", file=display, key=where, line=line)
    unknown = sorted(str(k) for k in entry if k not in KEYS)
    if unknown:
        raise InputError(
            f"unknown key(s) {', '.join(unknown)}; a waiver has {', '.join(KEYS)}",
            file=display,
            key=f"{where}.{unknown[0]}",
            line=line,
        )
    values: dict[str, str] = {}
    for key in ("policy", "resource", "reason", "owner"):
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            what = "missing" if value is None else "must be a non-empty string (one policy id, one URN or glob)"
            raise InputError(f"{key} {what}", file=display, key=f"{where}.{key}", line=line)
        values[key] = value.strip()
    stacks = _stacks(entry.get("stacks"), display, f"{where}.stacks", line)
    expires = _date(entry.get("expires"), display, f"{where}.expires", line)
    broad = _too_broad(values["policy"], values["resource"])
    if broad and not bounds.break_glass:
        key, why = broad
        raise InputError(
            f"{why}; name concrete policy ids and resources of one type (or, in an emergency, set "
            "the break-glass setting LZ_WAIVER_BREAK_GLASS=1 for the run)",
            file=display,
            key=f"{where}.{key}",
            line=line,
        )
    urn_stack = (
        values["resource"][len("urn:pulumi:") :].split("::", 1)[0]
        if values["resource"].startswith("urn:pulumi:")
        else ""
    )
    if urn_stack and not any(c in urn_stack for c in _GLOB) and urn_stack not in stacks:
        raise InputError(
            f"the URN names stack {urn_stack!r}, which is not among stacks ({', '.join(stacks)})",
            file=display,
            key=f"{where}.resource",
            line=line,
        )
    if bounds.today is not None and (expires - bounds.today).days > bounds.horizon_days:
        raise InputError(
            f"{expires.isoformat()} is more than {bounds.horizon_days} days ahead; waivers are reviewed "
            f"at least that often (LZ_WAIVER_HORIZON_DAYS sets the horizon)",
            file=display,
            key=f"{where}.expires",
            line=line,
        )
    return Waiver(
        policy=values["policy"],
        resource=values["resource"],
        reason=values["reason"],
        owner=values["owner"],
        expires=expires,
        index=index,
        line=line,
        stacks=stacks,
        break_glass=bool(broad),
    )


def _stacks(value: Any, display: str, key: str, line: int | None) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if value is None:
        raise InputError(
            "missing; name the stack(s) the waiver holds in, e.g. stacks: [foundation-dev]",
            file=display,
            key=key,
            line=line,
        )
    if not isinstance(items, list) or not items or not all(isinstance(x, str) and x.strip() for x in items):
        raise InputError("expected a list of stack names", file=display, key=key, line=line)
    names = tuple(x.strip() for x in items)
    bad = [n for n in names if any(c in n for c in _GLOB) or "/" in n]
    if bad:
        raise InputError(f"{bad[0]!r}: name each stack, no patterns", file=display, key=key, line=line)
    return names


def _too_broad(policy: str, resource: str) -> tuple[str, str] | None:
    """Why a waiver would blanket a policy family or every resource; None when it is concrete."""
    if any(c in policy for c in _GLOB):
        return "policy", f"{policy!r} is a pattern: a waiver names one concrete policy id"
    parts = resource.split("::")
    if not resource.startswith("urn:pulumi:") or len(parts) < 4:
        return "resource", (
            f"{resource!r} is not a URN (urn:pulumi:STACK::PROJECT::TYPE::NAME) or a glob over URNs of one type"
        )
    type_part = parts[2].rsplit("$", 1)[-1].lstrip("*")
    if not type_part or ":" not in type_part or any(c in type_part for c in _GLOB):
        return "resource", f"{resource!r} matches resources of any type: name the resource type in the URN"
    return None


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


def is_checkov_check(policy: str) -> bool:
    """A checkov check id (`CKV_AWS_144`, `CKV2_AZURE_1`) rather than a policy of the pack."""
    return re.match(r"^CKV2?_[A-Z0-9_]+$", policy) is not None


def apply_waivers(
    findings: Iterable[Finding], waivers: list[Waiver], today: dt.date, *, checkov_ran: bool = True
) -> WaiverReport:
    """Mark findings waived by an active waiver (the first in file order that matches); report every waiver.

    A waiver of a checkov check matches nothing when checkov did not run (`--no-checkov`): it is
    `unjudged` then, not stale, so nobody removes a waiver that still holds.
    """
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
                    finding.waiver = {
                        "owner": w.owner,
                        "reason": w.reason,
                        "expires": w.expires.isoformat(),
                        "expired": True,
                    }
    statuses = []
    for i, w in enumerate(waivers):
        if not w.active_on(today):
            state = "expired"
        elif matched[i] == 0 and not checkov_ran and is_checkov_check(w.policy):
            state = "unjudged"
        elif matched[i] == 0:
            state = "stale"
        else:
            state = "active"
        statuses.append(WaiverStatus(w, state, matched[i]))
    return WaiverReport(statuses=statuses, waived=waived)


def _escape(text: str) -> str:
    from lz.core.mdsafe import escape  # noqa: PLC0415

    return escape(text)


def _code(text: str) -> str:
    from lz.core.mdsafe import code  # noqa: PLC0415

    return code(text)


def waivers_markdown(report: WaiverReport) -> str:
    """The waivers section of report.md: what is waived, by whom, until when; expired and stale waivers."""
    if not report.statuses:
        return ""
    lines = [
        "## Waivers",
        "",
        f"{report.waived} finding(s) waived by {len(report.active)} active waiver(s); "
        f"{len(report.expired)} expired, {len(report.stale)} stale"
        + (f", {len(report.unjudged)} not judged (checkov did not run)." if report.unjudged else "."),
        "",
    ]
    if report.expired:
        lines += [
            "**Expired waivers** no longer waive anything; their findings count again. Renew them with a new "
            "date and a reason, or fix the resources:",
            "",
        ]
        lines += [
            f"- {_code(s.waiver.policy)} on {_code(s.waiver.resource)} (owner {_escape(s.waiver.owner)}) expired "
            f"{s.waiver.expires.isoformat()}; matches {s.matched} finding(s)"
            for s in report.expired
        ]
        lines.append("")
    if report.stale:
        lines += ["**Stale waivers** match no finding; remove them from waivers.yaml:", ""]
        lines += [
            f"- {_code(s.waiver.policy)} on {_code(s.waiver.resource)} (owner {_escape(s.waiver.owner)}, "
            f"until {s.waiver.expires.isoformat()})"
            for s in report.stale
        ]
        lines.append("")
    if report.active:
        lines += [
            "| policy | resources | owner | until | findings | reason |",
            "| --- | --- | --- | --- | ---: | --- |",
        ]
        lines += [
            f"| {_code(s.waiver.policy)}{' (break-glass)' if s.waiver.break_glass else ''} | "
            f"{_code(s.waiver.resource).replace('|', chr(92) + '|')} | {_escape(s.waiver.owner)} | "
            f"{s.waiver.expires.isoformat()} | {s.matched} | {_escape(s.waiver.reason)} |"
            for s in report.active
        ]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
