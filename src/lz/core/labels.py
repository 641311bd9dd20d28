"""Tags and labels, normalised per cloud.

The spec's tags, plus `environment` and `managed-by`, go on every taggable resource. AWS and Azure
take them as they are; GCP labels are lower-case, limited to letters, digits, `_` and `-`, at most
63 characters, and keys start with a letter. The spec refuses values that would not survive that
(see `lz.spec`), so normalising for GCP here only lower-cases and never silently changes meaning.
"""

from __future__ import annotations

import re

MANAGED_BY = "pulumi"
REQUIRED_TAGS = ("owner", "cost-center", "data-classification")
STANDARD_TAGS = ("environment", "managed-by")

GCP_KEY_RE = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
GCP_VALUE_RE = re.compile(r"^[a-z0-9_-]{0,63}$")
AZURE_FORBIDDEN_KEY_CHARS = set("<>%&\\?/")


def gcp_label(text: str) -> str:
    """Sanitise free text into a GCP label value (lower-case, `_` for anything else, 63 chars)."""
    return re.sub(r"[^a-z0-9_-]", "_", text.lower())[:63]


def gcp_key_problem(key: str) -> str | None:
    if not GCP_KEY_RE.match(key.lower()):
        return (
            "must start with a letter and hold only letters, digits, '_' and '-', "
            "at most 63 characters (GCP label rules)"
        )
    return None


def gcp_value_problem(value: str) -> str | None:
    if not GCP_VALUE_RE.match(value.lower()):
        suggestion = gcp_label(value)
        return (
            f"{value!r} is not a valid GCP label value once lower-cased (letters, digits, '_' "
            f"and '-', at most 63 characters); use e.g. {suggestion!r}"
        )
    return None


def aws_tag_problem(key: str, value: str) -> str | None:
    if key.lower().startswith("aws:"):
        return "tag keys may not start with 'aws:' (reserved by AWS)"
    if len(key) > 128 or len(value) > 256:
        return "AWS tag keys are limited to 128 characters and values to 256"
    return None


def azure_tag_problem(key: str, value: str) -> str | None:
    if AZURE_FORBIDDEN_KEY_CHARS & set(key):
        return "Azure tag names may not contain < > % & \\ ? /"
    if len(key) > 512 or len(value) > 256:
        return "Azure tag names are limited to 512 characters and values to 256"
    return None


def standard_tags(tags: dict[str, str], environment: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    merged = dict(tags)
    merged["environment"] = environment
    merged["managed-by"] = MANAGED_BY
    if extra:
        merged.update(extra)
    return dict(sorted(merged.items()))


def for_cloud(cloud: str, tags: dict[str, str]) -> dict[str, str]:
    if cloud == "gcp":
        return {k.lower(): gcp_label(v) for k, v in sorted(tags.items())}
    return dict(sorted(tags.items()))
