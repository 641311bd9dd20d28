"""Every Pulumi resource type the project's code can construct, read from its source (not from a plan).

The price catalog must classify each of these as billable (with a rule) or free, so a new resource
type that nobody priced fails a test instead of silently costing $0. The scan walks the AST of
the package (`src/lz`), follows module aliases (`pg = azure_native.dbforpostgresql`), resolves each
call like `aws.ec2.Vpc(...)` against the installed provider SDK and reads the type token the class
registers. What it does not see: types built by name at run time (none today).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

ROOTS = {"aws": "pulumi_aws", "gcp": "pulumi_gcp", "azure_native": "pulumi_azure_native", "random": "pulumi_random"}
_TOKEN = re.compile(r"__init__\(\s*'([a-z-]+:[^']+)'")


def _chain(node: ast.AST, aliases: dict[str, list[str]]) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.reverse()
    if node.id in ROOTS:
        return [node.id, *parts]
    if node.id in aliases:
        return [*aliases[node.id], *parts]
    return None


def calls_in(source: str) -> set[str]:
    """Dotted provider paths called in `source` (`aws.ec2.Vpc`, `azure_native.dbforpostgresql.Server`)."""
    tree = ast.parse(source)
    aliases: dict[str, list[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            chain = _chain(node.value, aliases)
            if chain and len(chain) >= 2:
                aliases[node.targets[0].id] = chain
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            chain = _chain(node.func, aliases)
            if chain and len(chain) >= 2:
                found.add(".".join(chain))
    return found


def type_token(dotted: str) -> str | None:
    """The Pulumi type token of a provider class path, or None when it is not a custom resource."""
    import pulumi  # noqa: PLC0415

    parts = dotted.split(".")
    obj: object = importlib.import_module(ROOTS[parts[0]])
    for part in parts[1:]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    if not (inspect.isclass(obj) and issubclass(obj, pulumi.CustomResource)):
        return None
    init = getattr(obj, "_internal_init", None) or obj.__init__
    match = _TOKEN.search(inspect.getsource(init))
    return match.group(1) if match else None


def emitted_types(root: Path) -> dict[str, list[str]]:
    """type token -> the files under `root` (the project: its package in src/lz) that construct it."""
    out: dict[str, set[str]] = {}
    files = sorted((root / "src" / "lz").rglob("*.py"))
    for path in files:
        for dotted in calls_in(path.read_text(encoding="utf-8")):
            token = type_token(dotted)
            if token is not None:
                out.setdefault(token, set()).add(str(path.relative_to(root)))
    return {t: sorted(f) for t, f in sorted(out.items())}
