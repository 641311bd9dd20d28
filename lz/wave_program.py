"""Wave stacks (migration waves) are not built yet: refuse them with a clear message."""

from __future__ import annotations

from typing import Any

from .errors import InputError


def run_wave(raw: Any, *, file: str, namespace: str) -> None:
    raise InputError("wave stacks are not supported by this version of landing-zone yet",
                     file=file, key=f"config.{namespace}:wave")
