"""What the JSON Schema adds beyond the pydantic models, so an editor flags the common mistakes.

The models check regions, accelerators, grants and tags in validators (with catalogs and
messages), which pydantic cannot export; `enrich(defs)` writes the same vocabularies into the
schema as `enum`s and patterns: each cloud's region names, the accelerator catalog, the grant
catalog, ISO 8601 session durations, the required tags with the classification vocabulary, the
GCP label shape of tag keys, and the wave's schedules. The stack file's modeline
(`# yaml-language-server: $schema=...`) makes yaml-language-server use it.

What it does not do: replace the validators (cross-field rules such as residency stay in `lz plan`).
"""

from __future__ import annotations

import typing
from typing import Any

from lz.core import accelerators, labels, regions
from lz.spec.foundation import DataClassification

DURATION_PATTERN = r"^PT(?:(?:[1-9]|1[0-2])H)?(?:[0-5]?[0-9]M)?$"
SCHEDULE_PATTERN = r"^(hourly|daily|weekly|[0-9*/,-]+ [0-9*/,-]+ [0-9*/,-]+ [0-9*/,-]+ [0-9*/,-]+)$"
TAG_KEY_PATTERN = r"^[a-z][a-z0-9_-]{0,62}$"


def _prop(defs: dict[str, Any], model: str, field: str) -> dict[str, Any] | None:
    return defs.get(model, {}).get("properties", {}).get(field)


def enrich(defs: dict[str, Any]) -> dict[str, Any]:
    for model, cloud in (("AwsCloud", "aws"), ("GcpCloud", "gcp"), ("AzureCloud", "azure")):
        prop = _prop(defs, model, "regions")
        if prop is not None:
            prop["items"] = {"type": "string", "enum": regions.regions(cloud)}
            prop["uniqueItems"] = True
    prop = _prop(defs, "GpuPool", "accelerator")
    if prop is not None:
        prop["enum"] = accelerators.catalog().names()
    from lz.spec.identity import grants  # noqa: PLC0415

    prop = _prop(defs, "Role", "grants")
    if prop is not None:
        prop["items"] = {"type": "string", "enum": sorted(grants())}
        prop["uniqueItems"] = True
    prop = _prop(defs, "Role", "session_duration")
    if prop is not None:
        prop["pattern"] = DURATION_PATTERN
    lz = defs.get("LandingZone", {})
    tags = lz.get("properties", {}).get("tags")
    if tags is not None:
        tags["required"] = list(labels.REQUIRED_TAGS)
        tags["propertyNames"] = {"pattern": TAG_KEY_PATTERN, "not": {"enum": list(labels.STANDARD_TAGS)}}
        tags["additionalProperties"] = {"type": "string", "minLength": 1, "maxLength": 63}
        tags["properties"] = {"data-classification": {"enum": list(typing.get_args(DataClassification))}}
    prop = _prop(defs, "Dataset", "schedule")
    if prop is not None:
        prop["pattern"] = SCHEDULE_PATTERN
    residency = lz.get("properties", {}).get("residency")
    if residency is not None:
        residency["enum"] = regions.jurisdictions()
    return defs
