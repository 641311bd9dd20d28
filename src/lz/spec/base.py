"""The shared base of every spec model, and errors that carry their own key path."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """Unknown keys are errors; values are not coerced across types (a number is not a string)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=False,
        populate_by_name=False,
        str_strip_whitespace=False,
        validate_default=True,
        # The string literal under a field is its description: docs/config.md and the
        # JSON Schema (editors' hover text) are generated from it.
        use_attribute_docstrings=True,
    )


class SpecError(ValueError):
    """A rule broken at `path`, relative to the model whose validator raised it.

    Pydantic keeps the original exception in the error's context, and `lz.spec.format_errors`
    appends this path to the location pydantic reports, so a cross-field rule checked on a parent
    model still names the exact key (``clouds.aws.regions[1]``) in its message.
    """

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def key_path(parts: tuple[Any, ...]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
