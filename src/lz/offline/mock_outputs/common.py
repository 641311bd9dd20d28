"""Helpers shared by the per-cloud stand-ins."""

from __future__ import annotations

import uuid
from typing import Any

_NS = uuid.UUID("6f1c1f2e-9a55-4d5e-8f0c-4c2b7d1e0a11")
MOCK_ACCOUNT = "000000000000"


def stable_uuid(*parts: str) -> str:
    return str(uuid.uuid5(_NS, "/".join(parts)))


def split_token(token: str) -> tuple[str, str, str]:
    """`aws:s3/bucket:Bucket` -> ("aws", "s3", "Bucket")."""
    pkg, mod, kind = (token.split(":") + ["", ""])[:3]
    return pkg, mod.split("/")[0], kind


def first(value: Any) -> str | None:
    """The first item of a list-valued provider setting (the SDK may pass it JSON-encoded)."""
    if isinstance(value, list) and value:
        return str(value[0])
    if isinstance(value, str) and value.startswith("["):
        inner = value.strip("[]").replace('"', "").split(",")
        return inner[0].strip() if inner and inner[0].strip() else None
    return None


def kind_prefix(kind: str) -> str:
    caps = "".join(c for c in kind if c.isupper()).lower()
    return caps or kind[:3].lower()
