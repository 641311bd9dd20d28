"""What a change does to the resource graph: resources added, removed, changed and replaced.

`diff_graphs(base, head)` compares two graphs (the base branch's `graph.json` and the head's) by
URN, as the Pulumi engine does: a URN only in head is added, only in base is removed, in both with
different inputs is changed. A change is a replacement, offline, when an input its provider cannot
update changed (`lz.review.replacement`: a table per type from the providers' schemas, else the inputs that
name or place a resource), when its provider changed, or when the type under the same parent and
logical name changed (the URN changes with it: Pulumi deletes one and creates the other). A
replaced resource gets a new ID, so its dependents follow: a resource whose input takes the
replaced one's ID through a property dependency is changed too, and replaced when that input
forces it. A protected resource (`protect`) that would be replaced or deleted is called out:
`lz.review.gate` turns it into a mandatory `plan-` finding.

What it does not do: ask a provider online, or diff outputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lz.core.graph import SECRET_MARK, Resource
from lz.review.replacement import FALLBACK_KEYS, replace_keys

REPLACE_KEYS = FALLBACK_KEYS  # the identity inputs of a type the table of lz.review.replacement does not list
_SKIP_TYPES = ("pulumi:pulumi:Stack",)
MAX_LISTED = 100


@dataclass(frozen=True)
class Change:
    urn: str
    type: str
    keys: tuple[str, ...]  # top-level inputs that differ
    replace_keys: tuple[str, ...] = ()  # those of them (or "type", "provider") that force a replacement
    protected: bool = False
    base_urn: str = ""  # for a type change: the URN that goes away
    values: tuple[tuple[str, Any, Any], ...] = ()  # (key, old, new) of the inputs that differ
    follows: tuple[str, ...] = ()  # replaced resources whose new ID this one takes

    @property
    def replaced(self) -> bool:
        return bool(self.replace_keys)


@dataclass
class GraphDiff:
    added: list[Resource] = field(default_factory=list)
    removed: list[Resource] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0

    @property
    def replaced(self) -> list[Change]:
        return [c for c in self.changed if c.replaced]

    @property
    def protected_replacements(self) -> list[Change]:
        return [c for c in self.replaced if c.protected]

    @property
    def protected_removals(self) -> list[Resource]:
        return [r for r in self.removed if r.protect]

    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def counts(self) -> dict[str, int]:
        return {
            "add": len(self.added),
            "change": sum(1 for c in self.changed if not c.replaced),
            "delete": len(self.removed),
            "replace": len(self.replaced),
            "protected": len(self.protected_removals) + len(self.protected_replacements),
            "unchanged": self.unchanged,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts(),
            "added": [r.urn for r in self.added],
            "removed": [r.urn for r in self.removed],
            "changed": [
                {
                    "urn": c.urn,
                    "keys": list(c.keys),
                    "replace": c.replaced,
                    "replace_keys": list(c.replace_keys),
                    "protected": c.protected,
                    **({"base_urn": c.base_urn} if c.base_urn else {}),
                }
                for c in self.changed
            ],
            "unchanged": self.unchanged,
        }


def _relevant(resources: list[Resource]) -> dict[str, Resource]:
    return {r.urn: r for r in resources if r.type not in _SKIP_TYPES}


def _parent_and_name(urn: str) -> tuple[str, str]:
    """`urn:pulumi:s::p::a$b$aws:s3/bucket:Bucket::n` -> (`urn:pulumi:s::p::a$b`, `n`): same place, type aside."""
    parts = urn.split("::")
    if len(parts) < 4:
        return urn, ""
    chain = parts[2].rsplit("$", 1)[0] if "$" in parts[2] else ""
    return "::".join([*parts[:2], chain]), parts[3]


def diff_graphs(base: list[Resource], head: list[Resource]) -> GraphDiff:
    before, after = _relevant(base), _relevant(head)
    diff = GraphDiff()
    added = {u: r for u, r in after.items() if u not in before}
    removed = {u: r for u, r in before.items() if u not in after}
    changes: dict[str, Change] = {}
    # Same parent and logical name, another type: one replacement, not an unrelated add and remove.
    removed_at = {_parent_and_name(u): r for u, r in removed.items()}
    for urn in sorted(added):
        old = removed_at.get(_parent_and_name(urn))
        if old is None or not after[urn].custom or not old.custom:
            continue
        new = after[urn]
        del removed[old.urn]
        del added[urn]
        changes[urn] = Change(
            urn=urn,
            type=new.type,
            keys=("type",),
            replace_keys=("type",),
            protected=old.protect or new.protect,
            base_urn=old.urn,
            values=(("type", old.type, new.type),),
        )
    diff.added = [added[u] for u in sorted(added)]
    diff.removed = [removed[u] for u in sorted(removed)]
    for urn in sorted(set(before) & set(after)):
        old, new = before[urn], after[urn]
        keys = sorted(k for k in set(old.inputs) | set(new.inputs) if old.inputs.get(k) != new.inputs.get(k))
        provider_moved = old.custom and bool(old.provider_urn) and old.provider_urn != new.provider_urn
        if not keys and not provider_moved:
            continue
        replace = replace_keys(new.type, keys) if new.custom else []
        values = [(k, old.inputs.get(k), new.inputs.get(k)) for k in keys]
        if provider_moved:
            replace.append("provider")
            keys.append("provider")
            values.append(("provider", old.provider_urn, new.provider_urn))
        changes[urn] = Change(
            urn=urn,
            type=new.type,
            keys=tuple(keys),
            replace_keys=tuple(replace),
            protected=old.protect or new.protect,
            values=tuple(values),
        )
    _follow_replacements(changes, before, after)
    diff.changed = sorted(changes.values(), key=lambda c: c.urn)
    diff.unchanged = sum(1 for u in set(before) & set(after) if u not in changes)
    return diff


def _follow_replacements(changes: dict[str, Change], before: dict[str, Resource], after: dict[str, Resource]) -> None:
    """A replaced resource gets a new ID: whatever takes that ID as an input changes with it, and is
    replaced too when that input forces a replacement of its type. Repeats until nothing new follows."""
    users: dict[str, list[tuple[str, str]]] = {}
    for urn, r in after.items():
        for key, deps in r.property_dependencies.items():
            for dep in deps:
                users.setdefault(dep, []).append((urn, key))
    pending = sorted(u for u, c in changes.items() if c.replaced)
    seen = set(pending)
    while pending:
        source = pending.pop(0)
        for urn, key in sorted(users.get(source, [])):
            r = after[urn]
            if urn not in before:
                continue  # added anyway
            old = changes.get(urn)
            forced = r.custom and bool(replace_keys(r.type, [key]))
            keys = tuple(sorted({*(old.keys if old else ()), key}))
            replace = tuple(sorted({*(old.replace_keys if old else ()), *([key] if forced else [])}))
            follows = tuple(sorted({*(old.follows if old else ()), source}))
            if old is not None and old.keys == keys and old.replace_keys == replace and old.follows == follows:
                continue
            values = old.values if old else ((key, "(id of the replaced resource)", "(new id)"),)
            changes[urn] = Change(
                urn=urn,
                type=r.type,
                keys=keys,
                replace_keys=replace,
                protected=r.protect or before[urn].protect,
                base_urn=old.base_urn if old else "",
                values=values,
                follows=follows,
            )
            if replace and urn not in seen:
                seen.add(urn)
                pending.append(urn)


_SECRET_WORDS = (
    "password",
    "secret",
    "token",
    "presharedkey",
    "sharedkey",
    "privatekey",
    "credential",
    "connectionstring",
    "apikey",
    "value",
)
MAX_VALUE_CHARS = 80


def _secret_key(key: str) -> bool:
    k = key.lower().replace("_", "")
    return any(w in k for w in _SECRET_WORDS)


def _value_text(key: str, value: Any) -> str:
    """One input value for report.md: compact, cut short, secrets masked, safe inside a code span."""
    import json  # noqa: PLC0415

    if value is None:
        return "(none)"
    if value == SECRET_MARK or _secret_key(key):
        return SECRET_MARK
    text = value if isinstance(value, str) else json.dumps(_masked(value), sort_keys=True, ensure_ascii=True)
    text = text.replace("\n", " ").replace("\r", " ").replace("`", "'").replace("|", "\\|")
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _masked(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: (SECRET_MARK if _secret_key(str(k)) else _masked(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def _values(c: Change, limit: int = 4) -> list[str]:
    rows = [f"  - `{k}`: `{_value_text(k, old)}` -> `{_value_text(k, new)}`" for k, old, new in c.values[:limit]]
    if len(c.values) > limit:
        rows.append(f"  - ... and {len(c.values) - limit} more input(s)")
    return rows


def plan_line(diff: GraphDiff, protected: int) -> str:
    """The terminal's one-line summary: `Plan: +A ~C -D ±R (P protected)`."""
    in_place = sum(1 for c in diff.changed if not c.replaced)
    return f"Plan: +{len(diff.added)} ~{in_place} -{len(diff.removed)} ±{len(diff.replaced)} ({protected} protected)"


def _short(urn: str) -> str:
    from lz.core.mdsafe import code, text  # noqa: PLC0415

    parts = urn.split("::")
    return f"{code(parts[2].split('$')[-1])} {text(parts[3])}" if len(parts) >= 4 else text(urn)


def diff_markdown(diff: GraphDiff, *, title: str = "Changes against the base") -> str:
    """The resource-diff section of report.md."""
    lines = [f"## {title}", ""]
    if diff.empty():
        return "\n".join([*lines, "No resource changes.", ""])
    in_place = [c for c in diff.changed if not c.replaced]
    lines.append(
        f"**{len(diff.added)} to add, {len(in_place)} to change in place, {len(diff.replaced)} to replace, "
        f"{len(diff.removed)} to delete**; {diff.unchanged} unchanged."
    )
    lines.append("")
    danger = diff.protected_replacements
    if danger or diff.protected_removals:
        lines += [
            "### ⚠️ Protected resources that would be replaced or deleted",
            "",
            "These hold data and are `protect`ed: `pulumi up` stops on them. Keep their names and places, "
            "or migrate the data and lift the protection deliberately.",
            "",
        ]
        for c in danger:
            lines.append(
                f"- {_short(c.urn)}: replaced because of {', '.join(f'`{k}`' for k in c.replace_keys)}"
                + (f" (follows {', '.join(_short(u) for u in c.follows)})" if c.follows else "")
            )
            lines.extend(_values(c))
        lines += [f"- {_short(r.urn)}: deleted" for r in diff.protected_removals]
        lines.append("")

    def section(heading: str, rows: list[str] | list[list[str]]) -> None:
        if not rows:
            return
        lines.extend([f"<details><summary>{heading} ({len(rows)})</summary>", ""])
        for row in rows[:MAX_LISTED]:
            lines.extend(row if isinstance(row, list) else [row])
        if len(rows) > MAX_LISTED:
            lines.append(f"- ... and {len(rows) - MAX_LISTED} more")
        lines.extend(["", "</details>", ""])

    section(
        "Replaced",
        [
            [
                f"- {_short(c.urn)}: {', '.join(f'`{k}`' for k in c.replace_keys)}"
                + (f" (was {_short(c.base_urn)})" if c.base_urn else "")
                + (f" (follows {', '.join(_short(u) for u in c.follows)})" if c.follows else "")
                + (" — **protected**" if c.protected else ""),
                *_values(c),
            ]
            for c in diff.replaced
        ],
    )
    section(
        "Changed in place",
        [[f"- {_short(c.urn)}: {', '.join(f'`{k}`' for k in c.keys)}", *_values(c)] for c in in_place],
    )
    section("Added", [f"- {_short(r.urn)}" for r in diff.added])
    section("Deleted", [f"- {_short(r.urn)}" + (" — **protected**" if r.protect else "") for r in diff.removed])
    return "\n".join(lines).rstrip() + "\n"
