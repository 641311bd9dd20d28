"""The `data-protection-` family: migrated data cannot be lost by an overwrite, a destroy or a sync.

Three rules for migration waves:

- `data-protection-migration-target-versioning`: a store data is migrated into keeps every version
  of every object (S3 bucket versioning `Enabled` through its `BucketVersioning`, Cloud Storage
  `versioning.enabled`, Blob Storage `isVersioningEnabled` on the account's blob service), so a
  re-sync or a bad delta never destroys the migrated copy;
- `data-protection-migration-target-protected`: outside disposable test environments such a store
  is protected from `pulumi destroy` (`protect`) and may not be force-destroyed with its objects
  (`forceDestroy`);
- `data-protection-no-delete-propagation`: transfers do not delete at the target what disappeared
  at the source (Storage Transfer Service `deleteObjectsUniqueInSink`, DataSync
  `preserveDeletedFiles: REMOVE`, Storage Mover `copyMode: Mirror`) unless the transfer is marked
  `migration-deletes: propagate` (what a wave sets for `delete_propagation: true`), and never
  delete at the source after copying (`deleteObjectsFromSourceAfterTransfer`, Data Factory
  `deleteFilesAfterCompletion`): the source is the rollback.

Which stores are migration targets: those tagged or labelled `migration-role: target` (the
`components/migration` buckets and storage accounts). The environment is the `environment` tag; a
`test` environment is disposable and exempt from the protection rule (not from versioning).

What it deliberately does not do: judge stores outside migration waves, retention or immutability
policies, or backups.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from lz.spec.wave import TAG_DELETES, TAG_ROLE, parse_marker_text

from ._support import Outcome, attach, get, is_true, items, plain

S3_BUCKETS = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
S3_VERSIONING = ("aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2")
GCS_BUCKET = "gcp:storage/bucket:Bucket"
AZURE_ACCOUNT = "azure-native:storage:StorageAccount"
AZURE_BLOB_SERVICE = "azure-native:storage:BlobServiceProperties"
TARGET_TYPES = (*S3_BUCKETS, GCS_BUCKET, AZURE_ACCOUNT)
_TAG_INPUT = {GCS_BUCKET: "labels"}


def _tags(resource_type: str, props: Any) -> dict[str, str]:
    value = plain(get(props, _TAG_INPUT.get(resource_type, "tags")))
    return {str(k).lower(): str(v) for k, v in value.items()} if isinstance(value, Mapping) else {}


def is_migration_target(resource_type: str, props: Any) -> bool:
    return resource_type in TARGET_TYPES and _tags(resource_type, props).get(TAG_ROLE) == "target"


# --- versioning ------------------------------------------------------------------------------


def _s3_versioned(companions: list[Any], bucket: Any) -> bool:
    for c in companions:
        if str(get(c.props, "versioningConfiguration.status")) == "Enabled":
            return True
    return is_true(get(bucket.props, "versioning.enabled"))  # the deprecated inline form


def _validate_versioning(args: StackValidationArgs, report: ReportViolation) -> None:
    unknown: UnknownValueError | None = None
    _, s3_versions = attach(args, S3_BUCKETS, S3_VERSIONING, ref="bucket", subject_name="bucket")
    _, services = attach(args, (AZURE_ACCOUNT,), (AZURE_BLOB_SERVICE,), ref="accountName", subject_name="accountName")
    for resource in args.resources:
        if resource.resource_type not in TARGET_TYPES:
            continue
        outcome = Outcome()
        if not outcome.attempt(lambda r=resource: is_migration_target(r.resource_type, r.props), default=False):
            unknown = outcome.settle(report, resource.urn) or unknown
            continue
        if resource.resource_type in S3_BUCKETS:
            ok = outcome.attempt(lambda r=resource: _s3_versioned(s3_versions.by_subject.get(r.urn, []), r))
            if ok is False and s3_versions.dangling_unknown:
                outcome.unknown = s3_versions.undecided("versioning configuration for this bucket")
            elif ok is False:
                outcome.problems.append(
                    "the migration target is not versioned: add an aws.s3.BucketVersioning "
                    "with `versioningConfiguration.status: Enabled` for this bucket"
                )
        elif resource.resource_type == GCS_BUCKET:
            ok = outcome.attempt(lambda r=resource: is_true(get(r.props, "versioning.enabled")))
            if ok is False:
                outcome.problems.append("the migration target is not versioned: set `versioning.enabled: true`")
        else:
            companions = services.by_subject.get(resource.urn, [])
            ok = outcome.attempt(lambda cs=companions: any(is_true(get(c.props, "isVersioningEnabled")) for c in cs))
            if ok is False and services.dangling_unknown:
                outcome.unknown = services.undecided("blob service properties for this account")
            elif ok is False:
                outcome.problems.append(
                    "the migration target's blobs are not versioned: add a "
                    "BlobServiceProperties for this account with `isVersioningEnabled: true`"
                )
        unknown = outcome.settle(report, resource.urn) or unknown
    if unknown is not None:
        raise unknown


# --- protection ------------------------------------------------------------------------------


def _validate_protected(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in TARGET_TYPES:
        return
    outcome = Outcome()
    tags = outcome.attempt(lambda: _tags(args.resource_type, args.props), default={}) or {}
    if tags.get(TAG_ROLE) != "target" or tags.get("environment") == "test":
        outcome.finish(report)
        return
    if not args.opts.protect:
        outcome.problems.append(
            f"the migration target of environment {tags.get('environment') or '(none)'!r} is "
            "not protected: set the `protect` resource option (only `test` environments are "
            "disposable)"
        )
    if outcome.attempt(lambda: is_true(get(args.props, "forceDestroy"))):
        outcome.problems.append(
            "`forceDestroy` is true: a destroy would delete the migrated objects with the "
            "bucket; set it to false outside test environments"
        )
    outcome.finish(report)


# --- delete propagation ----------------------------------------------------------------------


def _marked_to_propagate(args: ResourceValidationArgs) -> bool:
    tags = plain(get(args.props, "tags"))
    if isinstance(tags, Mapping) and str(tags.get(TAG_DELETES, "")).lower() == "propagate":
        return True
    return parse_marker_text(get(args.props, "description")).get(TAG_DELETES) == "propagate"


def _deletes(resource_type: str, props: Any) -> tuple[list[str], list[str]]:
    """(deletes at the target of what the source lost, deletes at the source) the transfer does."""
    at_target: list[str] = []
    at_source: list[str] = []
    if resource_type == "gcp:storage/transferJob:TransferJob":
        if is_true(get(props, "transferSpec.transferOptions.deleteObjectsUniqueInSink")):
            at_target.append("`transferSpec.transferOptions.deleteObjectsUniqueInSink` is true")
        if is_true(get(props, "transferSpec.transferOptions.deleteObjectsFromSourceAfterTransfer")):
            at_source.append("`transferSpec.transferOptions.deleteObjectsFromSourceAfterTransfer` is true")
    elif resource_type == "aws:datasync/task:Task":
        if str(get(props, "options.preserveDeletedFiles") or "PRESERVE").upper() == "REMOVE":
            at_target.append('`options.preserveDeletedFiles` is "REMOVE"')
    elif resource_type == "azure-native:storagemover:JobDefinition":
        if str(get(props, "copyMode") or "Additive").lower() == "mirror":
            at_target.append('`copyMode` is "Mirror"')
    elif resource_type == "azure-native:datafactory:Pipeline":
        for i, activity in enumerate(items(get(props, "activities"))):
            if is_true(get(activity, "source.storeSettings.deleteFilesAfterCompletion")):
                at_source.append(f"`activities[{i}].source.storeSettings.deleteFilesAfterCompletion` is true")
    return at_target, at_source


DELETE_TYPES = (
    "gcp:storage/transferJob:TransferJob",
    "aws:datasync/task:Task",
    "azure-native:storagemover:JobDefinition",
    "azure-native:datafactory:Pipeline",
)


def _validate_deletes(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in DELETE_TYPES:
        return
    outcome = Outcome()
    found = outcome.attempt(lambda: _deletes(args.resource_type, args.props), default=([], []))
    at_target, at_source = found or ([], [])
    if at_target and not outcome.attempt(lambda: _marked_to_propagate(args), default=True):
        outcome.problems.extend(
            f"{what}: objects deleted at the source would be deleted from the migrated copy; keep them (the "
            f"default), or mark the transfer `{TAG_DELETES}: propagate` (a wave's `delete_propagation: true`)"
            for what in at_target
        )
    outcome.problems.extend(
        f"{what}: the source is deleted after copying, leaving nothing to roll back to; turn it off"
        for what in at_source
    )
    outcome.finish(report)


data_protection_migration_target_versioning = StackValidationPolicy(
    name="data-protection-migration-target-versioning",
    description="Stores that migrated data lands in (tagged migration-role: target) keep every object version.",
    validate=_validate_versioning,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="S3: add aws.s3.BucketVersioning with `versioningConfiguration: {status: Enabled}` for the "
    "bucket. Cloud Storage: `versioning: {enabled: true}`. Blob Storage: a "
    "BlobServiceProperties (`blobServicesName: default`) with `isVersioningEnabled: true` for "
    "the account. Types: " + ", ".join(TARGET_TYPES),
)

data_protection_migration_target_protected = ResourceValidationPolicy(
    name="data-protection-migration-target-protected",
    description="Outside test environments, migration targets are protected from `pulumi destroy` and are "
    "never force-destroyed with their objects.",
    validate=_validate_protected,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Create the store with the `protect` resource option (components/migration does this unless "
    "the wave's environment is `test`) and `forceDestroy: false`. Rehearse in a disposable "
    "`lz env up` stack instead of unprotecting a real one. Types: " + ", ".join(TARGET_TYPES),
)

data_protection_no_delete_propagation = ResourceValidationPolicy(
    name="data-protection-no-delete-propagation",
    description="Transfers keep objects at the target that were deleted at the source unless explicitly marked "
    "to propagate deletes, and never delete the source after copying.",
    validate=_validate_deletes,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    remediation_steps="Storage Transfer Service: `transferOptions.deleteObjectsUniqueInSink: false` and "
    "`deleteObjectsFromSourceAfterTransfer: false`. DataSync: `options.preserveDeletedFiles: "
    "PRESERVE`. Storage Mover: `copyMode: Additive`. Data Factory: no "
    "`deleteFilesAfterCompletion`. To mirror deletes on purpose set the wave's "
    "`delete_propagation: true`, which marks the transfer `migration-deletes: propagate`. "
    "Types: " + ", ".join(DELETE_TYPES),
)

POLICIES = [
    data_protection_migration_target_versioning,
    data_protection_migration_target_protected,
    data_protection_no_delete_propagation,
]
