"""The `tags-` family: every taggable resource carries the required tags, valid for its cloud.

Whether a type is taggable, and under which input (`tags`, `labels`, `resourceLabels`, ...), comes
from the provider SDK itself (`lz.core.taggable`), never from a list kept here: maps, lists of
`{key, value, propagateAtLaunch}` (an autoscaling group, whose required tags must also propagate to
the instances it launches) and nested fields (Cloud Run v1 `metadata.labels`). Tags a provider adds
(AWS `defaultTags`, GCP `defaultLabels`) count as the resource's own only on the types the provider
merges them into (those reporting `tagsAll` / `effectiveLabels`).

Rules per cloud: GCP label keys start with a lower-case letter and, like values, hold only
lower-case letters, digits, `_` and `-`, at most 63 characters; AWS keys are at most 128
characters, values 256, and keys may not start with `aws:`; Azure tag names may not contain
`< > % & \\ ? /` (names up to 512 characters, values 256) and are matched case-insensitively.

What it deliberately does not do: judge what a value means (that `owner` names a real team), or
tag anything (no remediation that rewrites inputs).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)
from pulumi_policy.proxy import UnknownValueError

from lz.core import labels
from lz.core.taggable import TagField, tag_field

from ._support import Outcome, cloud_of, config_list, get, is_false, items, provider_setting

DEFAULT_REQUIRED_TAGS = ["owner", "cost-center", "data-classification", "environment", "managed-by"]

_PROVIDER_DEFAULTS = {"aws": ("defaultTags", "tags"), "gcp": ("defaultLabels", None)}


def _provider_defaults(args: ResourceValidationArgs, cloud: str) -> dict[str, Any]:
    entry = _PROVIDER_DEFAULTS.get(cloud)
    if entry is None:
        return {}
    setting, inner = entry
    value = provider_setting(args.provider, setting)
    if inner and isinstance(value, Mapping):
        value = value.get(inner)
    # pulumi-aws once took `defaultTags` as a list of one object.
    if isinstance(value, list) and value and isinstance(value[0], Mapping):
        value = value[0].get(inner) if inner else value[0]
    return {str(k): v for k, v in value.items()} if isinstance(value, Mapping) else {}


class _Tags:
    """A resource's effective tags: its own, over its provider's defaults; values may be unknown."""

    def __init__(self, path: str, own: dict[str, Any], defaults: dict[str, Any], unknown_keys: set[str]):
        self.path = path
        self.own = own
        self.defaults = defaults
        self.unknown_keys = unknown_keys
        self.unused_defaults: dict[str, Any] = {}  # the provider's defaults, where they do not reach this type
        self.not_propagated: set[str] = set()  # list-shaped tags with propagateAtLaunch false
        self.defaults_unknown: UnknownValueError | None = None  # the applicable provider defaults are unknown

    @property
    def merged(self) -> dict[str, Any]:
        return {**self.defaults, **self.own}

    def origin(self, key: str) -> str:
        return f"`{self.path}`" if key in self.own or key in self.unknown_keys else "the provider's default tags"


def _read_tags(args: ResourceValidationArgs, cloud: str, field: TagField, outcome: Outcome) -> _Tags | None:
    """The tags, or None when the whole map is unknown (recorded on the outcome). A list of
    `{key, value, propagateAtLaunch}` (an autoscaling group) is read as a map; provider defaults
    count only for the types they reach (`lz.core.taggable.TagField.provider_defaults`)."""
    path = field.path
    try:
        value = get(args.props, path)
    except UnknownValueError as exc:
        outcome.unknown = outcome.unknown or exc
        return None
    own: dict[str, Any] = {}
    unknown_keys: set[str] = set()
    not_propagated: set[str] = set()
    if field.shape == "list":
        for entry in items(value):
            try:
                key = entry.get("key") if isinstance(entry, Mapping) else None
            except UnknownValueError as exc:
                outcome.unknown = outcome.unknown or exc
                continue
            if key is None:
                continue
            try:
                own[str(key)] = entry.get("value")
                if is_false(entry.get("propagateAtLaunch")):
                    not_propagated.add(str(key))
            except UnknownValueError as exc:
                unknown_keys.add(str(key))
                outcome.unknown = outcome.unknown or exc
    elif isinstance(value, Mapping):
        for key in value:
            try:
                own[str(key)] = value[key]
            except UnknownValueError as exc:  # a value computed at deploy time is there, just not known yet
                unknown_keys.add(str(key))
                outcome.unknown = outcome.unknown or exc
    defaults_unknown: UnknownValueError | None = None
    try:
        available = _provider_defaults(args, cloud) or {}
    except UnknownValueError as exc:  # the provider's defaults are unknown (or the provider is absent)
        available, defaults_unknown = {}, exc
    tags = _Tags(path, own, available if field.provider_defaults else {}, unknown_keys)
    tags.unused_defaults = {} if field.provider_defaults else available
    tags.not_propagated = not_propagated
    # Unknown defaults matter only where they would apply, and only for a key the resource lacks.
    tags.defaults_unknown = defaults_unknown if field.provider_defaults else None
    return tags


def _taggable(args: ResourceValidationArgs) -> tuple[str, TagField] | None:
    cloud = cloud_of(args.resource_type)
    found = tag_field(args.resource_type) if cloud else None
    return (cloud, found) if cloud and found else None


def _validate_required(args: ResourceValidationArgs, report: ReportViolation) -> None:
    found = _taggable(args)
    if found is None:
        return
    cloud, field = found
    path = field.path
    required = config_list(args, "requiredTags", DEFAULT_REQUIRED_TAGS) or []
    outcome = Outcome()
    tags = _read_tags(args, cloud, field, outcome)
    if tags is not None:
        have = tags.merged
        keys = {k.lower(): k for k in [*have, *tags.unknown_keys]} if cloud == "azure" else None
        missing, empty = [], []
        for want in required:
            key = keys.get(want.lower(), want) if keys is not None else want
            if key in tags.unknown_keys:
                continue
            if key not in have and tags.defaults_unknown is not None:
                outcome.unknown = outcome.unknown or tags.defaults_unknown  # the provider may supply it
            elif key not in have:
                missing.append(want)
            elif have[key] is None or not str(have[key]).strip():
                empty.append(want)
        if missing:
            unreached = [m for m in missing if m in tags.unused_defaults]
            note = (
                f" (the provider's default tags hold {', '.join(unreached)} but do not apply to this type)"
                if unreached
                else ""
            )
            outcome.problems.append(
                f"`{path}` is missing required key(s) {', '.join(missing)}: add them with non-empty values{note}"
            )
        stuck = [w for w in required if w in tags.not_propagated]
        if stuck:
            outcome.problems.append(
                f"`{path}` does not propagate {', '.join(stuck)} to the instances it launches: "
                "set `propagateAtLaunch: true` on them"
            )
        if empty:
            outcome.problems.append(f"`{path}` has empty value(s) for {', '.join(empty)}: give each a non-empty value")
    if args.resource_type == LAUNCH_TEMPLATE:
        outcome.run(lambda props: _launched_untagged(props, required), args.props)
    outcome.finish(report)


LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
# A launch template's own `tags` stay on the template: what it launches is tagged only through
# `tagSpecifications` (docs.aws.amazon.com/AWSEC2/latest/UserGuide/create-launch-template.html,
# "Resource tags", read 2026-12-05).
_LAUNCHED = ("instance", "volume")


def _launched_untagged(props: Any, required: list[str]) -> list[str]:
    problems = []
    specs = {str(get(spec, "resourceType")): spec for spec in items(get(props, "tagSpecifications"))}
    for kind in _LAUNCHED:
        tags = get(specs.get(kind), "tags") if kind in specs else None
        values = {str(k): tags[k] for k in tags} if isinstance(tags, Mapping) else {}
        missing = [w for w in required if not str(values.get(w) or "").strip()]
        if missing:
            problems.append(
                f"`tagSpecifications` gives the {kind}s it launches no {', '.join(missing)}: add "
                f'{{resourceType: "{kind}", tags: <the required tags>}} (its own `tags` stay on '
                "the template)"
            )
    return problems


def _key_problem(cloud: str, key: str) -> str | None:
    if cloud == "gcp":
        if labels.GCP_KEY_RE.fullmatch(key):
            return None
        return (
            f"label key {key!r} must start with a lower-case letter and hold only lower-case letters, "
            "digits, '_' and '-' (at most 63 characters)"
        )
    problem = labels.aws_tag_problem(key, "") if cloud == "aws" else labels.azure_tag_problem(key, "")
    return f"tag key {key!r}: {problem}" if problem else None


def _value_problem(cloud: str, key: str, value: str) -> str | None:
    if cloud == "gcp":
        if labels.GCP_VALUE_RE.fullmatch(value):
            return None
        return (
            f"label {key!r} has value {value!r}: GCP label values hold only lower-case letters, digits, "
            f"'_' and '-' (at most 63 characters), e.g. {labels.gcp_label(value)!r}"
        )
    problem = labels.aws_tag_problem("k", value) if cloud == "aws" else labels.azure_tag_problem("k", value)
    return f"tag {key!r} has a value that is too long: {problem}" if problem else None


def _validate_values(args: ResourceValidationArgs, report: ReportViolation) -> None:
    found = _taggable(args)
    if found is None:
        return
    cloud, field = found
    outcome = Outcome()
    tags = _read_tags(args, cloud, field, outcome)
    if tags is not None:
        merged = tags.merged
        for key in sorted({*merged, *tags.unknown_keys}):  # a key is known even when its value is not
            problems = [_key_problem(cloud, key)]
            if key in merged:
                problems.append(_value_problem(cloud, key, "" if merged[key] is None else str(merged[key])))
            outcome.problems.extend(f"{p} (in {tags.origin(key)})" for p in problems if p)
        if tags.defaults_unknown is not None:
            outcome.unknown = outcome.unknown or tags.defaults_unknown  # the defaults' own keys and values
    outcome.finish(report)


_TAGS_SCHEMA = PolicyConfigSchema(
    properties={
        "requiredTags": {
            "type": "array",
            "items": {"type": "string"},
            "default": DEFAULT_REQUIRED_TAGS,
            "description": "Tag (label) keys every taggable resource must carry with a non-empty value.",
        },
    }
)

tags_required = ResourceValidationPolicy(
    name="tags-required",
    description="Every taggable resource carries the required tags (AWS/Azure tags, GCP labels) with non-empty values.",
    validate=_validate_required,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    config_schema=_TAGS_SCHEMA,
    remediation_steps="Pass the landing zone's tags to the resource's tag input named in the finding (`tags`, "
    "`labels`, `resourceLabels`, `userLabels`, or a nested one such as Cloud SQL "
    "`settings.userLabels`): owner, cost-center, data-classification, environment and "
    "managed-by, each with a non-empty value. In components, use `ctx.tags`. Provider-wide "
    "defaults (AWS `defaultTags`, GCP `defaultLabels`) count.",
)

tags_valid_for_cloud = ResourceValidationPolicy(
    name="tags-valid-for-cloud",
    description="Tag keys and values are valid for their cloud (GCP: lower-case letters, digits, '_' and '-', "
    "at most 63 characters; AWS: no 'aws:' prefix, 128/256 characters; Azure: no <>%&\\?/ in "
    "names).",
    validate=_validate_values,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.LOW,
    remediation_steps="Rewrite the key or value named in the finding: for GCP lower-case it and replace every "
    "other character with '_' (the finding suggests a value), keep it to 63 characters; for "
    "AWS drop the 'aws:' prefix and shorten to 128 (key) / 256 (value) characters; for Azure "
    "remove < > % & \\ ? / from the name. Normalising through `lz.core.labels.for_cloud` does this.",
)

POLICIES = [tags_required, tags_valid_for_cloud]
