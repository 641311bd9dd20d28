"""Physical names of a wave's resources, as pure functions of the wave and its foundation.

The components name what they create with these, and the runbook (`lz.review.runbook`) prints the same
names in its commands, so an operator copies a command and it names the real job, bucket or task.
Everything is `<org>-<env>-<wave>-<parts>` within each cloud's limits; globally unique names
(buckets, storage accounts, factories) add a short hash of what they are for, never anything random.
This module imports no provider SDK.
"""

from __future__ import annotations

from lz.core import naming


def physical(org: str, env: str, wave: str, *parts: str, max_len: int = 63) -> str:
    return naming.slug(org, env, wave, *parts, max_len=max_len)


def bucket(org: str, env: str, wave: str, dataset: str, region: str) -> str:
    """An S3 or Cloud Storage bucket (3-63 characters, globally unique)."""
    digest = naming.short_hash(org, env, wave, dataset, region, length=6)
    return physical(org, env, wave, dataset, digest, max_len=63)


def storage_account(org: str, env: str, wave: str, dataset: str, region: str) -> str:
    """3-24 lower-case letters and digits, globally unique."""
    owner = "/".join((org, env, wave, dataset, region))
    return naming.compact("st", org, wave, dataset, max_len=24, owner=owner)


def transfer_job(org: str, env: str, wave: str, dataset: str) -> str:
    return f"transferJobs/{physical(org, env, wave, dataset)}"


def azure_resource_group(org: str, env: str, wave: str, region: str) -> str:
    return naming.slug("rg", org, env, naming.region_code("azure", region), wave, max_len=90)


def data_factory(org: str, env: str, wave: str, region: str) -> str:
    return naming.slug(
        "adf",
        org,
        env,
        wave,
        naming.region_code("azure", region),
        naming.short_hash(org, env, wave, region, length=4),
        max_len=63,
    )


def adf_pipeline(wave: str, dataset: str) -> str:
    return f"{wave}-{dataset}"


def adf_object(wave: str, dataset: str, role: str) -> str:
    """A Data Factory linked service or dataset: letters, digits and underscores only, no dash
    (https://learn.microsoft.com/azure/data-factory/naming-rules), so the kebab-case parts are joined
    and spelled with underscores."""
    return "_".join((wave, dataset, role)).replace("-", "_")


def adf_trigger(wave: str, dataset: str) -> str:
    return f"{wave}-{dataset}-deltas"


def azure_dms_service(org: str, env: str, wave: str, region: str) -> str:
    return physical(org, env, wave, "dms", naming.region_code("azure", region), max_len=62)


def azure_dms_project(org: str, env: str, wave: str, database: str) -> str:
    return physical(org, env, wave, database, max_len=62)


def azure_dms_task(org: str, env: str, wave: str, database: str) -> str:
    return physical(org, env, wave, database, "online", max_len=62)


def flexible_server(org: str, env: str, wave: str, database: str, region: str) -> str:
    return naming.slug(
        org, env, wave, database, naming.short_hash(org, env, wave, database, region, length=4), max_len=63
    )


def alarm(org: str, env: str, wave: str, signal: str) -> str:
    """`signal`: `error-rate` or `p99-latency`."""
    return physical(org, env, wave, "rollback", signal, max_len=63)
