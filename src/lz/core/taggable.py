"""What the provider SDKs say about a resource type: its class, its inputs, and where its tags go.

A type token (`aws:s3/bucket:Bucket`) is mapped to its Python SDK class through the
`resource_modules` table each SDK's `__init__.py` hands to `_utilities.register(...)`. That table is
read as file text (importing a whole SDK package eagerly would take seconds), and only the one
submodule that defines the class is imported, on first use. Results are cached per token.

`tag_input(token)` answers "is this type taggable, and under which input?" from the class's own
init parameters: a mapping-typed `tags`, `labels`, `resource_labels` or `user_labels`, returned as
the camelCase input name. Where a type keeps its GCP labels one level down in an input object
(Cloud SQL's `settings.userLabels`, a GKE node pool's `nodeConfig.resourceLabels`) the dotted path
is returned; only the unambiguous GCP names are followed there, because a nested `labels` is as
likely to be Kubernetes node labels as cloud labels.

What it deliberately does not do: keep any hand-written list of taggable types, guess for packages
it cannot find (an unknown token is simply "not taggable as far as we can tell"), or construct
resources. It never raises for a bad token.
"""

from __future__ import annotations

import collections.abc
import importlib
import importlib.util
import inspect
import json
import re
import sys
import typing
import warnings
from functools import cache
from pathlib import Path
from typing import Any

# Tag-carrying input names in order of preference, snake_case (SDK) -> camelCase (wire).
_TAG_FIELDS = {"tags": "tags", "labels": "labels", "resource_labels": "resourceLabels",
               "user_labels": "userLabels"}
# Followed into nested input objects: names that only ever mean cloud labels.
_NESTED_TAG_FIELDS = {"resource_labels": "resourceLabels", "user_labels": "userLabels"}

_REGISTER_RE = re.compile(r'resource_modules\s*=\s*"""(.*?)"""', re.DOTALL)
_SNAKE_PART = re.compile(r"_([a-z0-9])")


def _camel(name: str) -> str:
    return _SNAKE_PART.sub(lambda m: m.group(1).upper(), name)


def sdk_package(token: str) -> str | None:
    """The Python package of a type token's provider (`azure-native:...` -> `pulumi_azure_native`)."""
    if not isinstance(token, str) or token.count(":") != 2:
        return None
    pkg = token.split(":", 1)[0]
    if not pkg or pkg == "pulumi" or not re.fullmatch(r"[a-z][a-z0-9-]*", pkg):
        return None
    return "pulumi_" + pkg.replace("-", "_")


@cache
def _package_index(package: str) -> dict[str, tuple[str, str]]:
    """token -> (module fqn, class name), from the SDK's registration table; {} if not installed."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return {}
    if spec is None or not spec.origin:
        return {}
    try:
        text = Path(spec.origin).read_text(encoding="utf-8")
    except OSError:
        return {}
    match = _REGISTER_RE.search(text)
    if match is None:
        return {}
    try:
        modules = json.loads(match.group(1))
    except json.JSONDecodeError:
        return {}
    index: dict[str, tuple[str, str]] = {}
    for mod in modules:
        fqn = mod.get("fqn")
        for token, cls in (mod.get("classes") or {}).items():
            if isinstance(fqn, str) and isinstance(cls, str):
                index[token] = (fqn, cls)
    return index


@cache
def sdk_class(token: str) -> type | None:
    """The SDK resource class for a type token, importing only its submodule; None if unknown."""
    package = sdk_package(token)
    if package is None:
        return None
    entry = _package_index(package).get(token)
    if entry is None:
        return None
    fqn, name = entry
    try:
        with warnings.catch_warnings():  # SDKs warn about their deprecated classes on (lazy) import
            warnings.simplefilter("ignore", DeprecationWarning)
            cls = getattr(importlib.import_module(fqn), name, None)
    except Exception:  # a broken or partial SDK install is "unknown", never a policy crash
        return None
    return cls if isinstance(cls, type) else None


def _init_parameters(cls: type) -> dict[str, Any]:
    """snake_case init parameter -> annotation, from `_internal_init` (typed in every SDK) or `__init__`."""
    init = getattr(cls, "_internal_init", None) or cls.__dict__.get("__init__")
    if init is None:
        return {}
    try:
        params = inspect.signature(init).parameters
    except (TypeError, ValueError):
        return {}
    skip = {"__self__", "self", "resource_name", "opts", "__props__"}
    return {name: p.annotation for name, p in params.items()
            if name not in skip and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}


def _is_mapping(annotation: Any, depth: int = 0) -> bool:
    """True when a (pulumi.Input-wrapped, Optional) annotation is a Mapping of something."""
    if depth > 6 or annotation is inspect.Parameter.empty:
        return False
    origin = typing.get_origin(annotation)
    if origin in (collections.abc.Mapping, dict, typing.Mapping):
        return True
    if origin is typing.Union:
        return any(_is_mapping(a, depth + 1) for a in typing.get_args(annotation))
    return False


def _input_types(annotation: Any, module: Any, depth: int = 0) -> list[type]:
    """The SDK input classes (`...Args`) an annotation refers to, resolved in the class's module."""
    if depth > 6:
        return []
    if isinstance(annotation, typing.ForwardRef):
        name = annotation.__forward_arg__
        if name.endswith("Args") and "." not in name:
            found = getattr(module, name, None)
            return [found] if isinstance(found, type) else []
        return []
    if isinstance(annotation, type) and annotation.__name__.endswith("Args"):
        return [annotation]
    if typing.get_origin(annotation) is typing.Union:
        out: list[type] = []
        for arg in typing.get_args(annotation):
            out.extend(_input_types(arg, module, depth + 1))
        return out
    return []


@cache
def input_names(token: str) -> frozenset[str]:
    """The camelCase input names a type's SDK class takes; empty for an unknown type."""
    cls = sdk_class(token)
    if cls is None:
        return frozenset()
    return frozenset(_camel(n) for n in _init_parameters(cls))


def takes_input(token: str, name: str) -> bool | None:
    """Whether the type takes the camelCase input `name`; None when the SDK does not know the type."""
    if sdk_class(token) is None:
        return None
    return name in input_names(token)


@cache
def tag_input(token: str) -> str | None:
    """Where a type's tags/labels go: `tags`, `labels`, `resourceLabels`, `userLabels`, a dotted
    path for nested labels, or None when the type takes none (or is unknown)."""
    cls = sdk_class(token)
    if cls is None:
        return None
    params = _init_parameters(cls)
    for snake, camel in _TAG_FIELDS.items():
        # On GCP a mapping called `tags` holds Resource Manager tag bindings (tagKeys/... ->
        # tagValues/...), not labels; GCP's labels are `labels`, `resourceLabels` or `userLabels`.
        if snake == "tags" and token.startswith("gcp:"):
            continue
        if snake in params and _is_mapping(params[snake]):
            return camel
    module = sys.modules.get(cls.__module__)
    for name, annotation in params.items():
        for args_cls in _input_types(annotation, module):
            nested = _init_parameters(args_cls)
            for snake, camel in _NESTED_TAG_FIELDS.items():
                if snake in nested and _is_mapping(nested[snake]):
                    return f"{_camel(name)}.{camel}"
    return None
