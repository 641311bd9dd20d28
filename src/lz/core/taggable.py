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
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

# Tag-carrying input names in order of preference, snake_case (SDK) -> camelCase (wire).
_TAG_FIELDS = {"tags": "tags", "labels": "labels", "resource_labels": "resourceLabels", "user_labels": "userLabels"}
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
    return {
        name: p.annotation
        for name, p in params.items()
        if name not in skip and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }


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


def _input_types(annotation: Any, module: Any, depth: int = 0, through_lists: bool = False) -> list[type]:
    """The SDK input classes (`...Args`) an annotation refers to, resolved in the class's module
    (and, with `through_lists`, the element classes of lists)."""
    if depth > 6:
        return []
    origin = typing.get_origin(annotation)
    if through_lists and origin in (collections.abc.Sequence, list, typing.Sequence):
        out_: list[type] = []
        for arg in typing.get_args(annotation):
            out_.extend(_input_types(arg, module, depth + 1, through_lists))
        return out_
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
            out.extend(_input_types(arg, module, depth + 1, through_lists))
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


@dataclass(frozen=True)
class TagField:
    """Where a type keeps its tags: the input path, its shape, and whether provider defaults apply."""

    path: str
    shape: str  # "map" ({key: value}) or "list" ([{key, value, ...}], e.g. an autoscaling group's tags)
    provider_defaults: bool  # the provider's default tags/labels are merged into this field


def _provider_defaults_apply(token: str, cls: type) -> bool:
    """AWS `defaultTags` reach exactly the types that report `tagsAll`, GCP `defaultLabels` those that
    report `effectiveLabels` (both providers merge the defaults into that output); azure-native has no
    provider-wide tags. An autoscaling group (no `tagsAll`) or Cloud SQL's `settings.userLabels` (no
    `effectiveLabels`) do not get them.
    Sources: registry.terraform.io/providers/hashicorp/aws/latest/docs#default_tags-configuration-block,
    registry.terraform.io/providers/hashicorp/google/latest/docs/guides/provider_reference#default_labels
    (read 2026-12)."""
    if token.startswith("aws:"):
        return hasattr(cls, "tags_all")
    if token.startswith("gcp:"):
        return hasattr(cls, "effective_labels")
    return False


def _is_key_value_list(annotation: Any, module: Any) -> bool:
    """A list of `{key, value}` objects (`Sequence[GroupTagArgs]`)."""
    for args_cls in _input_types(annotation, module, through_lists=True):
        nested = _init_parameters(args_cls)
        if "key" in nested and "value" in nested:
            return True
    return False


def _output_class(args_cls: type) -> type | None:
    """The output type of an input class (`ServiceMetadataArgs` -> `outputs.ServiceMetadata`)."""
    package = args_cls.__module__.rsplit(".", 1)[0]
    try:
        outputs = importlib.import_module(f"{package}.outputs")
    except Exception:
        return None
    found = getattr(outputs, args_cls.__name__.removesuffix("Args"), None)
    return found if isinstance(found, type) else None


@cache
def tag_field(token: str) -> TagField | None:
    """Where a type's tags/labels go, derived from its SDK class; None when it takes none (or is unknown)."""
    cls = sdk_class(token)
    if cls is None:
        return None
    params = _init_parameters(cls)
    module = sys.modules.get(cls.__module__)
    defaults = _provider_defaults_apply(token, cls)
    for snake, camel in _TAG_FIELDS.items():
        # On GCP a mapping called `tags` holds Resource Manager tag bindings (tagKeys/... ->
        # tagValues/...), not labels; GCP's labels are `labels`, `resourceLabels` or `userLabels`.
        if snake == "tags" and token.startswith("gcp:"):
            continue
        # A GCP type with both keeps its configuration in `labels` (a monitoring notification
        # channel's `email_address`) and its cloud labels in `userLabels`.
        if snake == "labels" and token.startswith("gcp:") and _is_mapping(params.get("user_labels")):
            continue
        if snake in params and _is_mapping(params[snake]):
            return TagField(camel, "map", defaults)
    if not token.startswith("gcp:") and "tags" in params and _is_key_value_list(params["tags"], module):
        return TagField("tags", "list", defaults)
    for name, annotation in params.items():
        for args_cls in _input_types(annotation, module):
            nested = _init_parameters(args_cls)
            for snake, camel in _NESTED_TAG_FIELDS.items():
                if snake in nested and _is_mapping(nested[snake]):
                    return TagField(f"{_camel(name)}.{camel}", "map", False)
            # Knative-style resources (Cloud Run v1) keep the resource's labels in `metadata.labels`.
            if name == "metadata" and "labels" in nested and _is_mapping(nested["labels"]):
                out = _output_class(args_cls)
                return TagField("metadata.labels", "map", out is not None and hasattr(out, "effective_labels"))
    return None


def tag_input(token: str) -> str | None:
    """Where a type's tags/labels go: `tags`, `labels`, `resourceLabels`, `userLabels`, a dotted
    path for nested labels, or None when the type takes none (or is unknown)."""
    found = tag_field(token)
    return found.path if found else None


# Inputs that name the customer-managed key a resource encrypts its data with (camelCase).
_KEY_INPUT = re.compile(
    r"^(kmsKey(Id|Arn|Name|SelfLink|Reference)?|kmsMasterKeyId|encryptionKey(Name|Arn|Id)?|"
    r"cmekKeyName|keyVaultKeyUri|keyVaultKeyId|keyUri|keyUrl|diskEncryptionSetI[dD])$"
)
_KEY_CONTAINER = re.compile(r"(?i)(encrypt|cmek|kms)")


@cache
def key_inputs(token: str) -> tuple[str, ...]:
    """Where a type takes the customer-managed key for its data, derived from its SDK class: top-level
    inputs such as `kmsKeyId`, `kmsKeyName`, `encryptionKeyArn`, and the same one level down in an
    input object about encryption (`encryptionConfig.kmsKeyName`, `encryption.keyVaultKeyUri`).
    () for a type that takes none (or is unknown)."""
    cls = sdk_class(token)
    if cls is None:
        return ()
    params = _init_parameters(cls)
    found = [_camel(n) for n in params if _KEY_INPUT.match(_camel(n))]
    module = sys.modules.get(cls.__module__)
    for name, annotation in params.items():
        if not _KEY_CONTAINER.search(name):
            continue
        for args_cls in _input_types(annotation, module):
            found += [f"{_camel(name)}.{_camel(n)}" for n in _init_parameters(args_cls) if _KEY_INPUT.match(_camel(n))]
    return tuple(dict.fromkeys(found))
