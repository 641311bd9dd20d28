"""What a change does to the resource graph: resources added, removed, changed and replaced.

`diff_graphs(base, head)` compares two graphs (the base branch's `graph.json` and the head's) by
URN, as the Pulumi engine does: a URN only in head is added, only in base is removed, in both with
different inputs is changed. A change is a replacement, offline, when an input that names or places
the resource changed (`REPLACE_KEYS`: its physical name, bucket, location, region, project, resource
group, zone, CIDR, ...; for azure-native every `...Name` path input), when its provider changed,
or when the type under the same parent and logical name changed (the URN changes with it: Pulumi
deletes one and creates the other). A protected resource (`protect`) that would be replaced is
called out: `pulumi up` would stop on it.

What it does not do: ask a provider which inputs force replacement (nothing is online here; the
list is the common physical-identity inputs), or diff outputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lz.core.graph import Resource

REPLACE_KEYS = frozenset({
    "name", "bucket", "location", "region", "project", "resourceGroupName", "zone", "availabilityZone",
    "cidrBlock", "ipv6CidrBlock", "vpcId", "keyRing", "network", "cluster", "clusterName", "engine",
    "identifier", "clusterIdentifier", "datasetId", "bucketId", "accountId", "keyName", "vaultName",
    "subnetId", "transitGatewayId", "dbName", "databaseName",
})
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

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": [r.urn for r in self.added], "removed": [r.urn for r in self.removed],
            "changed": [{"urn": c.urn, "keys": list(c.keys), "replace": c.replaced,
                         "replace_keys": list(c.replace_keys), "protected": c.protected,
                         **({"base_urn": c.base_urn} if c.base_urn else {})} for c in self.changed],
            "unchanged": self.unchanged,
        }


def _relevant(resources: list[Resource]) -> dict[str, Resource]:
    return {r.urn: r for r in resources if r.type not in _SKIP_TYPES}


def _identity_keys(r: Resource, keys: list[str]) -> list[str]:
    out = [k for k in keys if k in REPLACE_KEYS]
    if r.package == "azure-native":
        out += [k for k in keys if k.endswith("Name") and k not in out]
    return sorted(out)


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
    # Same parent and logical name, another type: one replacement, not an unrelated add and remove.
    removed_at = {_parent_and_name(u): r for u, r in removed.items()}
    for urn in sorted(added):
        old = removed_at.get(_parent_and_name(urn))
        if old is None or not after[urn].custom or not old.custom:
            continue
        new = after[urn]
        del removed[old.urn]
        del added[urn]
        diff.changed.append(Change(urn=urn, type=new.type, keys=("type",), replace_keys=("type",),
                                   protected=old.protect or new.protect, base_urn=old.urn))
    diff.added = [added[u] for u in sorted(added)]
    diff.removed = [removed[u] for u in sorted(removed)]
    for urn in sorted(set(before) & set(after)):
        old, new = before[urn], after[urn]
        keys = sorted(k for k in set(old.inputs) | set(new.inputs) if old.inputs.get(k) != new.inputs.get(k))
        provider_moved = old.custom and bool(old.provider_urn) and old.provider_urn != new.provider_urn
        if not keys and not provider_moved:
            diff.unchanged += 1
            continue
        replace = _identity_keys(new, keys) + (["provider"] if provider_moved else [])
        diff.changed.append(Change(urn=urn, type=new.type, keys=tuple(keys + (["provider"] if provider_moved else [])),
                                   replace_keys=tuple(replace), protected=old.protect or new.protect))
    diff.changed.sort(key=lambda c: c.urn)
    return diff


def _short(urn: str) -> str:
    parts = urn.split("::")
    return f"`{parts[2].split('$')[-1]}` {parts[3]}" if len(parts) >= 4 else urn


def diff_markdown(diff: GraphDiff, *, title: str = "Changes against the base") -> str:
    """The resource-diff section of report.md."""
    lines = [f"## {title}", ""]
    if diff.empty():
        return "\n".join([*lines, "No resource changes.", ""])
    in_place = [c for c in diff.changed if not c.replaced]
    lines.append(f"**{len(diff.added)} to add, {len(in_place)} to change in place, {len(diff.replaced)} to replace, "
                 f"{len(diff.removed)} to delete**; {diff.unchanged} unchanged.")
    lines.append("")
    danger = diff.protected_replacements
    if danger or diff.protected_removals:
        lines += ["### ⚠️ Protected resources that would be replaced or deleted", "",
                  "These hold data and are `protect`ed: `pulumi up` stops on them. Keep their names and places, "
                  "or migrate the data and lift the protection deliberately.", ""]
        lines += [f"- {_short(c.urn)}: replaced because of {', '.join(f'`{k}`' for k in c.replace_keys)}"
                  for c in danger]
        lines += [f"- {_short(r.urn)}: deleted" for r in diff.protected_removals]
        lines.append("")

    def section(heading: str, rows: list[str]) -> None:
        if not rows:
            return
        lines.extend([f"<details><summary>{heading} ({len(rows)})</summary>", ""])
        lines.extend(rows[:MAX_LISTED])
        if len(rows) > MAX_LISTED:
            lines.append(f"- ... and {len(rows) - MAX_LISTED} more")
        lines.extend(["", "</details>", ""])

    section("Replaced", [f"- {_short(c.urn)}: {', '.join(f'`{k}`' for k in c.replace_keys)}"
                         + (f" (was {_short(c.base_urn)})" if c.base_urn else "")
                         + (" — **protected**" if c.protected else "") for c in diff.replaced])
    section("Changed in place", [f"- {_short(c.urn)}: {', '.join(f'`{k}`' for k in c.keys)}" for c in in_place])
    section("Added", [f"- {_short(r.urn)}" for r in diff.added])
    section("Deleted", [f"- {_short(r.urn)}" + (" — **protected**" if r.protect else "") for r in diff.removed])
    return "\n".join(lines).rstrip() + "\n"
