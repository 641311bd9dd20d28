"""The `residency-` rules for data in motion: transfer jobs and replication stay where the data may be.

`residency-allowed-jurisdiction` judges where a resource is; a transfer job or a replication task
sits in one place and moves data between two others. This policy judges those two places against
the data's classification (residency follows the data, not only the stack):

- the target (where the copy lands) must be inside the allowed jurisdictions for `internal`,
  `confidential` and `restricted` data (`targetResidesFor`);
- the source (where the data comes from) must be inside them for `restricted` data
  (`sourceResidesFor`): restricted data may never have been outside;
- `public` data may move anywhere.

How the policy sees the places and the classification: the components of `components/migration`
mark every transfer and replication resource with the vocabulary of `lz.spec.wave`:
`data-classification`, `migration-source` and `migration-target` (`<cloud>_<region>`, e.g.
`aws_eu-west-1`), as tags or labels where the type takes them (DataSync tasks, DMS replication
tasks, Database Migration Service jobs, Azure migration projects), else as one line in the
description (`lz-migration: data-classification=... migration-source=... migration-target=...`;
Storage Transfer Service jobs, Data Factory pipelines, Storage Mover job definitions). Where a
resource carries no target marker, its own location stands in for the target (a DataSync or DMS
task runs where it writes; a Database Migration Service job where its destination is). A transfer
that declares no classification, or whose places cannot be established, is a violation: nobody can
tell whether it may run. Values unknown until deploy are "cannot tell yet", never a violation.

What it deliberately does not do: look inside source buckets or databases, or follow replication
configured elsewhere (S3 replication rules, geo-redundant storage); see `residency.py`.
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

from lz.core import regions
from lz.spec.wave import (
    CLASSIFICATIONS,
    TAG_CLASSIFICATION,
    TAG_SOURCE,
    TAG_TARGET,
    parse_marker_text,
    parse_place,
)

from ._support import Outcome, cloud_of, config_list, get, items, plain
from .residency import allowed_jurisdictions, placements

SOURCE_KEY = "sourceResidesFor"
TARGET_KEY = "targetResidesFor"
DEFAULT_SOURCE = ["restricted"]
DEFAULT_TARGET = ["internal", "confidential", "restricted"]

# Transfer and replication types, and where each keeps its markers (a tag input, else a description).
TRANSFER_TYPES: dict[str, tuple[str | None, str | None]] = {
    "gcp:storage/transferJob:TransferJob": (None, "description"),
    "aws:datasync/task:Task": ("tags", None),
    "azure-native:datafactory:Pipeline": (None, "description"),
    "azure-native:storagemover:JobDefinition": (None, "description"),
    "aws:dms/replicationTask:ReplicationTask": ("tags", None),
    "gcp:databasemigrationservice/migrationJob:MigrationJob": ("labels", "displayName"),
    "azure-native:datamigration:Project": ("tags", None),
}


def markers(resource_type: str, props: Any) -> dict[str, str]:
    """The migration markers a transfer carries: its tags or labels, then its description's line."""
    tag_key, text_key = TRANSFER_TYPES[resource_type]
    found: dict[str, str] = {}
    if text_key is not None:
        found.update(parse_marker_text(get(props, text_key)))
    if tag_key is not None:
        tags = plain(get(props, tag_key))
        if isinstance(tags, Mapping):
            found.update(
                {
                    str(k).lower(): str(v)
                    for k, v in tags.items()
                    if str(k).lower() in (TAG_CLASSIFICATION, TAG_SOURCE, TAG_TARGET)
                }
            )
    return found


def _copies_objects(resource_type: str, props: Any) -> bool:
    """A Data Factory pipeline is a transfer only if it copies (or the wave marked it)."""
    if resource_type != "azure-native:datafactory:Pipeline":
        return True
    if parse_marker_text(get(props, "description")):
        return True
    return any(str(get(a, "type")) == "Copy" for a in items(get(props, "activities")))


def _where(cloud: str, region: str) -> str:
    info = regions.region_info(cloud, region) or {}
    country = info.get("country") or "an unknown country"
    return f"{cloud} {region} ({country}, jurisdiction {regions.jurisdiction_of(cloud, region) or 'none'})"


def judge_transfer(
    resource_type: str,
    props: Any,
    provider: Any,
    allowed: list[str],
    *,
    source_for: list[str],
    target_for: list[str],
    outcome: Outcome,
) -> list[str]:
    found = markers(resource_type, props)
    classification = found.get(TAG_CLASSIFICATION, "").lower()
    if classification not in CLASSIFICATIONS:
        what = f"an unknown data classification {classification!r}" if classification else "no data classification"
        return [
            f"the transfer declares {what}, so where it may move data cannot be decided: tag it "
            f"`{TAG_CLASSIFICATION}` ({', '.join(CLASSIFICATIONS)}) with `{TAG_SOURCE}` and `{TAG_TARGET}`"
        ]
    problems: list[str] = []
    allowed_text = ", ".join(allowed)
    for role, key, required_for in (("target", TAG_TARGET, target_for), ("source", TAG_SOURCE, source_for)):
        if classification not in required_for:
            continue
        place = parse_place(found.get(key, ""))
        if place is None and role == "target":
            own = placements(resource_type, props, provider, outcome)
            place = (cloud_of(resource_type) or "", own[0].location) if own else None
        if place is None:
            problems.append(
                f"{classification} data must stay in {allowed_text}, but the transfer does not say "
                f"where its {role} is: mark it `{key}: <cloud>_<region>`"
            )
            continue
        cloud, region = place
        jurisdiction = regions.jurisdiction_of(cloud, region)
        if jurisdiction not in allowed:
            problems.append(
                f"{classification} data may only be {'sent to' if role == 'target' else 'taken from'} "
                f"{allowed_text}, but its {role} is {_where(cloud, region)}"
            )
    return problems


def _validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in TRANSFER_TYPES:
        return
    allowed = allowed_jurisdictions(args)
    source_for = [c.lower() for c in (config_list(args, SOURCE_KEY, DEFAULT_SOURCE) or [])]
    target_for = [c.lower() for c in (config_list(args, TARGET_KEY, DEFAULT_TARGET) or [])]
    outcome = Outcome()
    if not outcome.attempt(lambda: _copies_objects(args.resource_type, args.props), default=True):
        return
    problems = outcome.attempt(
        lambda: judge_transfer(
            args.resource_type,
            args.props,
            args.provider,
            allowed,
            source_for=source_for,
            target_for=target_for,
            outcome=outcome,
        ),
        default=[],
    )
    outcome.problems.extend(problems or [])
    outcome.finish(report)


_SCHEMA = PolicyConfigSchema(
    properties={
        "allowedJurisdictions": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Jurisdiction keys of the region catalog (eu, uk, ch, us, ...) data may reside in. "
            "Without it the policy is not applicable.",
        },
        SOURCE_KEY: {
            "type": "array",
            "items": {"type": "string", "enum": list(CLASSIFICATIONS)},
            "default": DEFAULT_SOURCE,
            "description": "Classifications whose source must lie in the allowed jurisdictions.",
        },
        TARGET_KEY: {
            "type": "array",
            "items": {"type": "string", "enum": list(CLASSIFICATIONS)},
            "default": DEFAULT_TARGET,
            "description": "Classifications whose target must lie in the allowed jurisdictions.",
        },
    }
)

residency_transfer_jurisdiction = ResourceValidationPolicy(
    name="residency-transfer-jurisdiction",
    description="Transfer jobs and database replication move data only between places its classification "
    "allows: the target inside the allowed jurisdictions unless the data is public, the source "
    "too for restricted data.",
    validate=_validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    config_schema=_SCHEMA,
    remediation_steps="Send the data to a region of the allowed jurisdictions (the wave's `target.region`), or "
    "take restricted data only from a source inside them. Mark every transfer or replication "
    "with `data-classification`, `migration-source` and `migration-target` (`<cloud>_<region>`) "
    "as tags or labels, or as a description line `lz-migration: data-classification=... "
    "migration-source=... migration-target=...` for types without tags (the landing zone's "
    "migration components do this). Types: " + ", ".join(sorted(TRANSFER_TYPES)),
)

POLICIES = [residency_transfer_jurisdiction]
