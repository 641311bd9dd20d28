"""The stack spec: pydantic models, loading from a stack file, and error messages users can act on."""

from __future__ import annotations

import json
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from lz.core.errors import InputError
from lz.spec.base import SpecError, key_path
from lz.spec.foundation import LandingZone

__all__ = [
    "LandingZone",
    "SpecError",
    "format_validation_error",
    "json_schema",
    "load_landing_zone",
    "raise_input_error",
]

LANDING_ZONE_KEY = "landingZone"
WAVE_KEY = "wave"
ORGANIZATION_KEY = "organization"


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str] | None:
    """The keys a mapping accepts at `loc`, for 'unknown key' messages."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                return None
            current = field.annotation
        else:
            current = _dict_value(current)
            if current is None:
                return None
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return None


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if origin in (list, tuple, typing.Union) or str(origin) == "<class 'types.UnionType'>":
            if len(args) >= 1 and origin is not dict:
                annotation = args[0]
                continue
        return annotation


def _dict_value(annotation: Any) -> Any:
    if typing.get_origin(annotation) is dict:
        return typing.get_args(annotation)[1]
    return None


# Keys whose values are (names of) secrets: their input is never repeated in a message.
_SECRET_KEY_WORDS = ("secret", "password", "token", "credential", "headers", "private", "ca_certificate")
# YAML 1.1 plain scalars that are not text (PyYAML's resolver): the usual reason a string field got a bool.
_YAML_BOOLEANS = "yes, no, on, off, true, false, y, n"


def _secret_path(loc: tuple[Any, ...]) -> bool:
    return any(isinstance(p, str) and any(w in p.lower() for w in _SECRET_KEY_WORDS) for p in loc)


def _quote_hint(value: Any) -> str:
    """Why YAML handed a number, a boolean or nothing to a text field, and the fix."""
    if isinstance(value, bool):
        return (
            f"YAML read this as the boolean {str(value).lower()} ({_YAML_BOOLEANS} are booleans when unquoted); "
            'quote it, e.g. "no"'
        )
    if isinstance(value, (int, float)):
        return f'YAML read this as the number {value!r}; quote it: "{value}"'
    if value is None:
        return "YAML read this as empty (null); write a value, quoted if it starts with a special character"
    return ""


def _did_you_mean(word: Any, choices: list[str]) -> str:
    import difflib  # noqa: PLC0415

    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, choices, n=2, cutoff=0.6)
    return f"; did you mean {' or '.join(close)}?" if close else ""


def format_validation_error(exc: ValidationError, model: type[BaseModel]) -> list[tuple[tuple[Any, ...], str]]:
    """(key path, message) for every error, most specific path first within each error."""
    out: list[tuple[tuple[Any, ...], str]] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err.get("loc", ()))
        ctx = err.get("ctx") or {}
        original = ctx.get("error")
        message = err.get("msg", "invalid")
        if isinstance(original, SpecError):
            loc = loc + original.path
            message = original.message
        elif message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        kind = err.get("type")
        shown = "the value" if _secret_path(loc) else repr(err.get("input"))
        if kind == "extra_forbidden":
            allowed = _fields_at(model, loc[:-1])
            message = (
                "unknown key"
                + (_did_you_mean(loc[-1], allowed) if allowed and loc else "")
                + (f"; allowed here: {', '.join(allowed)}" if allowed else "")
            )
        elif kind == "missing":
            message = "required key is missing"
        elif kind == "string_pattern_mismatch":
            message = f"{shown} does not match the pattern {ctx.get('pattern')}"
        elif kind in ("literal_error", "enum"):
            expected = [x.strip().strip("'\"") for x in str(ctx.get("expected", "")).replace(" or ", ", ").split(",")]
            message = f"{shown} is not allowed; expected {ctx.get('expected')}" + (
                "" if _secret_path(loc) else _did_you_mean(err.get("input"), expected)
            )
        elif kind == "string_type" and _quote_hint(err.get("input")):
            message = (
                "expected text (a quoted value)"
                if _secret_path(loc)
                else f"expected text: {_quote_hint(err.get('input'))}"
            )
        out.append((loc, message))
    return out


def raise_input_error(
    exc: ValidationError,
    model: type[BaseModel],
    *,
    file: str,
    prefix: tuple[Any, ...],
    lines: dict[tuple[Any, ...], int],
) -> typing.NoReturn:
    errors = format_validation_error(exc, model)
    loc, message = errors[0]
    full = prefix + loc
    line = None
    for n in range(len(full), 0, -1):
        if full[:n] in lines:
            line = lines[full[:n]]
            break
    more = ""
    if len(errors) > 1:
        rest = [f"  {key_path(('config',) + prefix + loc_)}: {m}" for loc_, m in errors[1:6]]
        more = f"\n{len(errors) - 1} more problem(s):\n" + "\n".join(rest)
    raise InputError(message + more, file=file, key=key_path(("config",) + full), line=line)


def load_landing_zone(
    raw: Any, *, file: str, namespace: str, lines: dict[tuple[Any, ...], int] | None = None
) -> LandingZone:
    """Validate the `landingZone` object of a stack file (already parsed) into the spec."""
    prefix = (f"{namespace}:{LANDING_ZONE_KEY}",)
    if not isinstance(raw, dict):
        raise InputError("expected a mapping", file=file, key=key_path(("config",) + prefix))
    try:
        return LandingZone.model_validate(raw)
    except ValidationError as exc:
        raise_input_error(exc, LandingZone, file=file, prefix=prefix, lines=lines or {})


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a stack file's config, for editors (`yaml-language-server`) and CI."""
    from lz.spec.wave import Wave  # noqa: PLC0415 - wave imports this package

    lz_schema = LandingZone.model_json_schema(mode="validation")
    defs = lz_schema.pop("$defs", {})
    defs["LandingZone"] = lz_schema
    wave_schema = Wave.model_json_schema(mode="validation")
    for name, definition in wave_schema.pop("$defs", {}).items():
        if name in defs and defs[name] != definition:
            raise AssertionError(f"schema definition {name} differs between the foundation and the wave")
        defs[name] = definition
    defs["Wave"] = wave_schema
    from lz.spec.organization import Organization  # noqa: PLC0415

    org_schema = Organization.model_json_schema(mode="validation")
    for name, definition in org_schema.pop("$defs", {}).items():
        if name in defs and defs[name] != definition:
            raise AssertionError(f"schema definition {name} differs between the foundation and the organization")
        defs[name] = definition
    defs["Organization"] = org_schema
    from lz.spec.schema_extras import enrich  # noqa: PLC0415

    enrich(defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://landing-zone.local/schema/stack.schema.json",
        "title": "landing-zone stack file",
        "description": "A Pulumi stack file of the landing-zone project (stacks/Pulumi.<stack>.yaml).",
        "type": "object",
        "properties": {
            "config": {
                "type": "object",
                "properties": {
                    f"landing-zone:{LANDING_ZONE_KEY}": {"$ref": "#/$defs/LandingZone"},
                    f"landing-zone:{WAVE_KEY}": {"$ref": "#/$defs/Wave"},
                    f"landing-zone:{ORGANIZATION_KEY}": {"$ref": "#/$defs/Organization"},
                },
                "additionalProperties": True,
            },
            "secretsprovider": {"type": "string"},
            "encryptedkey": {"type": "string"},
            "encryptionsalt": {"type": "string"},
        },
        "required": ["config"],
        "additionalProperties": False,
        "$defs": defs,
    }


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
