"""Previews without their unchanged resources: fill them in from a stack export, or say so.

`pulumi preview --json` lists `same` steps only with `--show-sames`, so the providers, resource
groups and companion resources a change relies on are often absent from it. A policy that read
nothing there would pass a queue on an unchanged `us-east-1` provider, or fail an encrypted bucket
whose (unchanged) encryption configuration is not in the preview.

`lz check --state FILE` (the output of `pulumi stack export`) fills in every resource of the stack
that the preview neither changes nor deletes. Without it, every resource the preview refers to but
does not hold becomes a placeholder whose every value is unknown ("cannot tell yet"), and stack
policies are told the graph is partial (`graphComplete: false`), so the absence of a companion is
never a violation either. A placeholder is only reachable through references (provider, parent,
dependencies); it is never judged, counted, bridged to checkov or reported itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi_policy.proxy import UnknownValueError

from lz.core.graph import Resource


class AbsentProps(Mapping[str, Any]):
    """The inputs of a resource absent from the graph: every key is there, and unknown."""

    def __init__(self, urn: str) -> None:
        self.urn = urn

    def __getitem__(self, key: str) -> Any:
        name = self.urn.rsplit("::", 1)[-1]
        exc = UnknownValueError("04da6b54-80e4-46f7-96ec-b56ff0331ba9", [str(key)])
        exc.message = (
            f"`{key}` of {name} is not in this preview (unchanged resources are omitted without "
            "--show-sames): pass the stack's state with `lz check --state FILE`"
        )
        raise exc

    def __contains__(self, key: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


@dataclass
class Completion:
    resources: list[Resource]
    absent: list[Resource] = field(default_factory=list)  # placeholders, reachable only by reference
    partial: bool = False  # some resources of the stack may be missing
    filled: int = 0  # resources taken from the state file


def _type_of(urn: str) -> str:
    parts = urn.split("::")
    return parts[2].split("$")[-1] if len(parts) >= 4 else ""


def referenced(resources: list[Resource]) -> list[str]:
    """Every URN the resources refer to (providers, parents, dependencies), in first-seen order."""
    out: dict[str, None] = {}
    for r in resources:
        linked = (u for v in r.property_dependencies.values() for u in v)
        for urn in [r.provider_urn, r.parent, *r.dependencies, *linked]:
            if urn:
                out.setdefault(urn, None)
    return list(out)


def placeholder(urn: str) -> Resource:
    type_ = _type_of(urn)
    return Resource(urn=urn, type=type_, custom=not type_.startswith("pulumi:pulumi:"), inputs={}, id="", absent=True)


def complete_preview(
    preview: list[Resource], *, sames_shown: bool, removed: list[str], state: list[Resource] | None = None
) -> Completion:
    """The preview's resources, with the state's unchanged ones when given, and placeholders for
    whatever is still referenced but absent."""
    resources = list(preview)
    filled = 0
    if state is not None:
        present = {r.urn for r in preview} | set(removed)
        extra = [r for r in state if r.urn not in present]
        resources += extra
        filled = len(extra)
    have = {r.urn for r in resources}
    absent = [placeholder(u) for u in referenced(resources) if u not in have]
    partial = state is None and not sames_shown and (bool(absent) or any(r.step not in ("", "create") for r in preview))
    return Completion(resources=resources, absent=absent, partial=partial, filled=filled)
