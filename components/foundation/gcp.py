"""Placeholder: the gcp foundation is wired here."""

from __future__ import annotations

from typing import Any

import pulumi

from ..base import CloudContext


def build(ctx: CloudContext, opts: pulumi.ResourceOptions) -> dict[str, Any]:
    return {}
