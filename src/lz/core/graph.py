"""The resource graph in the shape of `pulumi stack export`, and reading it back.

`build_graph` turns a synthesis into `{"version": 3, "deployment": {"manifest", "resources"}}`.
Resources are ordered as the engine orders a checkpoint (providers and parents before children,
dependencies before dependents), with ties broken by URN so the bytes never depend on the order in
which the SDK's threads happened to register them. Secret values are `"[secret]"` by then.

`load_graph` reads three shapes into one list of `Resource`: this project's `graph.json`, the
output of `pulumi stack export`, and the output of `pulumi preview --json`.
"""

from __future__ import annotations

import heapq
import json
import math
from dataclasses import dataclass, field
from importlib.metadata import version as _dist_version
from pathlib import Path
from typing import Any, Protocol

from lz.core.errors import InputError

# 64 MiB: this project's graphs take about 2.5 kB per resource (25,000 resources), a `pulumi stack
# export` with outputs about twice that. The limit is checked before anything is read, so a huge
# file costs neither time nor memory; parsed, JSON takes about ten times its size in memory.
MAX_GRAPH_BYTES = 64 * 1024 * 1024
# Real graphs nest a dozen levels (a policy document inside an input); everything that reads them
# afterwards (policies, bridges, reports) recurses, so deeper input is refused up front.
MAX_GRAPH_DEPTH = 100
# Resources per graph: reports and memory stay proportional (the 16x benchmark stack has 6,771).
MAX_GRAPH_RESOURCES = 20_000
MANIFEST_TIME = "1970-01-01T00:00:00Z"  # fixed: the same config must give the same bytes
SECRET_MARK = "[secret]"
STACK_TYPE = "pulumi:pulumi:Stack"


class Recorded(Protocol):
    """What `build_graph` reads of a synthesis (`lz.offline.synth.Synthesis`): core never imports it."""

    @property
    def registrations(self) -> list[Any]: ...

    @property
    def outputs(self) -> dict[str, Any]: ...


@dataclass
class Resource:
    urn: str
    type: str
    custom: bool
    inputs: dict[str, Any]
    parent: str = ""
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    provider: str = ""
    protect: bool = False
    retain_on_delete: bool = False
    id: str = ""
    outputs: dict[str, Any] = field(default_factory=dict)
    step: str = ""  # the step's `op` when read from `pulumi preview --json`
    absent: bool = False  # a placeholder for a resource referenced but absent (`lz.review.partial`)
    index: int = -1  # the step's position in a preview (for messages)

    @property
    def name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]

    @property
    def provider_urn(self) -> str:
        return self.provider.rsplit("::", 1)[0] if self.provider else ""

    @property
    def package(self) -> str:
        return self.type.split(":", 1)[0]


def build_graph(synth: Recorded, lz_version: str) -> dict[str, Any]:
    regs = {r.urn: r for r in synth.registrations}
    order = _topological(regs)
    resources = []
    for urn in order:
        r = regs[urn]
        entry: dict[str, Any] = {
            "urn": r.urn,
            "custom": r.custom,
            "type": r.type,
        }
        if r.custom:
            entry["id"] = r.id
        entry["inputs"] = _sorted(r.inputs)
        if r.type == STACK_TYPE:
            entry["outputs"] = _sorted(synth.outputs)
        elif getattr(r, "outputs", None) is not None:
            entry["outputs"] = _sorted(r.outputs)
        if getattr(r, "external", False):
            entry["external"] = True
        if r.parent:
            entry["parent"] = r.parent
        entry["protect"] = r.protect
        entry["retainOnDelete"] = r.retain_on_delete
        entry["dependencies"] = r.dependencies
        entry["propertyDependencies"] = dict(sorted(r.property_dependencies.items()))
        if r.provider:
            entry["provider"] = r.provider
        bad = _first_non_finite(entry.get("inputs"))
        if bad is None and "outputs" in entry:
            bad = _first_non_finite(entry["outputs"])
        if bad is not None:
            raise InputError(
                f"resource {r.urn} has {bad[1]} at `{bad[0]}`: JSON has no NaN or Infinity, so "
                "graph.json and tfplan.json would not be JSON; give it a finite number"
            )
        resources.append(entry)
    return {
        "version": 3,
        "deployment": {
            "manifest": {
                "time": MANIFEST_TIME,
                "magic": "",
                "version": f"lz {lz_version} offline synthesis (pulumi sdk {_dist_version('pulumi')}, mock runtime)",
            },
            "resources": resources,
        },
    }


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


def _topological(regs: dict[str, Any]) -> list[str]:
    edges: dict[str, set[str]] = {urn: set() for urn in regs}
    for urn, r in regs.items():
        before = set(r.dependencies)
        if r.parent:
            before.add(r.parent)
        if r.provider:
            before.add(r.provider.rsplit("::", 1)[0])
        for deps in r.property_dependencies.values():
            before.update(deps)
        edges[urn] = {b for b in before if b in regs and b != urn}
    waiting = {urn: len(b) for urn, b in edges.items()}
    dependents: dict[str, list[str]] = {urn: [] for urn in regs}
    for urn, before in edges.items():
        for b in before:
            dependents[b].append(urn)
    ready = [urn for urn, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        urn = heapq.heappop(ready)
        order.append(urn)
        for d in dependents[urn]:
            waiting[d] -= 1
            if waiting[d] == 0:
                heapq.heappush(ready, d)
    if len(order) != len(regs):  # a cycle cannot come from the SDK; keep everything regardless
        order.extend(sorted(set(regs) - set(order)))
    return order


def dumps(graph: dict[str, Any]) -> str:
    return json.dumps(graph, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


# --- reading ----------------------------------------------------------------------------------


def load_graph(path: Path, removed: list[str] | None = None) -> tuple[list[Resource], str]:
    """Read a graph file; returns its resources and which shape it had (`removed`: see parse_graph)."""
    from lz.core.safe_io import read_regular  # noqa: PLC0415

    display = str(path)
    raw = read_regular(path, display, MAX_GRAPH_BYTES, what="JSON resource graph")
    if not raw.strip():
        raise InputError("file is empty; expected a JSON resource graph", file=display)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start}); expected JSON", file=display) from None
    try:
        data = json.loads(text, parse_constant=_NonFinite)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc.msg}", file=display, line=exc.lineno) from None
    except RecursionError:
        raise InputError(f"JSON nested more than {MAX_GRAPH_DEPTH} levels deep", file=display) from None
    if _deeper_than(data, MAX_GRAPH_DEPTH):
        raise InputError(f"JSON nested more than {MAX_GRAPH_DEPTH} levels deep", file=display)
    bad = _lone_surrogate(data)
    if bad is not None:
        raise InputError(f"text that is not valid Unicode (a lone surrogate escape) in {bad[:80]!r}", file=display)
    found = _first_non_finite(data)
    if found is not None:
        where, value = found
        raise InputError(
            f"{value} is not a JSON number (NaN and Infinity are refused: JSON has no such "
            "values, and the files written from the graph would not be JSON)",
            file=display,
            key=where,
        )
    return parse_graph(data, display, removed)


class _NonFinite(str):
    """A NaN/Infinity/-Infinity token, kept (as its spelling) until its key path is reported."""


def _first_non_finite(data: Any) -> tuple[str, str] | None:
    """The key path and spelling of the first NaN or Infinity in document order (no recursion)."""
    pending: list[tuple[Any, str]] = [(data, "")]
    while pending:
        value, path = pending.pop()
        if isinstance(value, _NonFinite) or (isinstance(value, float) and not math.isfinite(value)):
            return path or "(document)", str(value)
        if isinstance(value, dict):
            pending.extend((v, f"{path}.{k}" if path else str(k)) for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            pending.extend((v, f"{path}[{i}]") for i, v in reversed(list(enumerate(value))))
    return None


def _lone_surrogate(data: Any) -> str | None:
    """The first string (key or value) holding an unpaired surrogate such as `\\ud800`, which no UTF-8
    report can carry; None when every string is valid Unicode."""
    pending: list[Any] = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return value.encode("utf-8", "backslashreplace").decode("ascii", "replace")
    return None


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether objects and arrays nest more than `limit` levels (without recursing itself)."""
    pending: list[tuple[Any, int]] = [(data, 1)] if isinstance(data, (dict, list)) else []
    while pending:
        value, depth = pending.pop()
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        pending.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def parse_graph(data: Any, display: str, removed: list[str] | None = None) -> tuple[list[Resource], str]:
    """The resources of a graph document and its shape; `removed` collects the URNs a preview deletes."""
    if not isinstance(data, dict):
        raise InputError(
            "expected a JSON object: a graph.json, `pulumi stack export` or `pulumi preview --json` document",
            file=display,
        )
    if "deployment" in data:
        deployment = data["deployment"]
        if not isinstance(deployment, dict):
            raise InputError("expected an object", file=display, key="deployment")
        items = deployment.get("resources") or []
        if not isinstance(items, list):
            raise InputError("expected a list", file=display, key="deployment.resources")
        _check_count(len(items), display, "deployment.resources")
        resources = [_from_state(item, display, f"deployment.resources[{i}]") for i, item in enumerate(items)]
        _refuse_duplicates(resources, display, "deployment.resources")
        return resources, "stack-export"
    if "steps" in data:
        steps = data["steps"]
        if not isinstance(steps, list):
            raise InputError("expected a list", file=display, key="steps")
        _check_count(len(steps), display, "steps")
        out = []
        for i, step in enumerate(steps):
            if not isinstance(step, dict):
                raise InputError("expected an object", file=display, key=f"steps[{i}]")
            if step.get("op") in ("delete", "discard", "remove-pending-replace"):
                if removed is not None and isinstance(step.get("urn"), str):
                    removed.append(step["urn"])
                continue
            state = step.get("newState")
            if state is None:
                continue
            resource = _from_state(state, display, f"steps[{i}].newState")
            resource.step = str(step.get("op") or "")
            resource.index = i
            out.append(resource)
        _refuse_duplicates(out, display, "steps", lambda r: f"steps[{r.index}].newState.urn")
        return out, "preview"
    raise InputError(
        "not a resource graph: expected a `deployment` (graph.json, `pulumi stack export`) "
        "or `steps` (`pulumi preview --json`) key",
        file=display,
    )


def _check_count(n: int, display: str, key: str) -> None:
    if n > MAX_GRAPH_RESOURCES:
        raise InputError(
            f"{n} resources; a graph is limited to {MAX_GRAPH_RESOURCES} resources (split the stack)",
            file=display,
            key=key,
        )


def _refuse_duplicates(resources: list[Resource], display: str, where: str, key_of: Any = None) -> None:
    """Two resources with one URN are not a graph the engine can produce: refuse the first repeat."""
    seen: dict[str, int] = {}
    for i, r in enumerate(resources):
        if r.urn in seen:
            key = key_of(r) if key_of else f"{where}[{i}].urn"
            first = key_of(resources[seen[r.urn]]) if key_of else f"{where}[{seen[r.urn]}].urn"
            raise InputError(f"duplicate urn {r.urn!r} (first at {first})", file=display, key=key)
        seen[r.urn] = i


def _from_state(item: Any, display: str, key: str) -> Resource:
    if not isinstance(item, dict):
        raise InputError("expected an object", file=display, key=key)
    urn, type_ = item.get("urn"), item.get("type")
    if not isinstance(urn, str) or not urn.startswith("urn:pulumi:") or urn.count("::") < 3:
        raise InputError(f"missing or malformed urn {urn!r}", file=display, key=f"{key}.urn")
    if not isinstance(type_, str) or not type_:
        raise InputError("missing type", file=display, key=f"{key}.type")
    inputs = item.get("inputs")
    outputs = item.get("outputs")
    if inputs is not None and not isinstance(inputs, dict):
        raise InputError("expected an object", file=display, key=f"{key}.inputs")
    if outputs is not None and not isinstance(outputs, dict):
        raise InputError("expected an object", file=display, key=f"{key}.outputs")
    deps = item.get("dependencies") or []
    pdeps = item.get("propertyDependencies") or {}
    if not isinstance(deps, list) or not isinstance(pdeps, dict):
        raise InputError("malformed dependencies", file=display, key=f"{key}.dependencies")
    return Resource(
        urn=urn,
        type=type_,
        custom=bool(item.get("custom", True)),
        inputs=_redact(inputs if inputs is not None else (outputs or {})),
        parent=str(item.get("parent") or ""),
        dependencies=[str(d) for d in deps],
        property_dependencies={str(k): [str(x) for x in v] for k, v in pdeps.items() if isinstance(v, list)},
        provider=str(item.get("provider") or ""),
        protect=bool(item.get("protect", False)),
        retain_on_delete=bool(item.get("retainOnDelete", False)),
        id=str(item.get("id") or ""),
        outputs=_redact(outputs or {}),
    )


def _redact(value: Any) -> Any:
    """Stack exports carry secrets as ciphertext objects; reports only ever see the marker."""
    if isinstance(value, dict):
        if value.get("4dabf18193072939515e22adb298388d") == "1b47061264138c4ac30d75fd1eb44270":
            return SECRET_MARK
        return {k: _redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v) for v in value]
    return value


def resources_from_graph(graph: dict[str, Any]) -> list[Resource]:
    return parse_graph(graph, "graph.json")[0]
