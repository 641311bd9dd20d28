"""The `audit` key of a foundation: how the audit log store resists deletion."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from lz.spec.base import StrictModel


class Audit(StrictModel):
    """Settings of the foundation's audit log store (today: the AWS CloudTrail bucket)."""

    object_lock: Literal["none", "governance", "compliance"] = "none"
    """S3 Object Lock on the CloudTrail bucket, set when the bucket is created (S3 cannot add it to
    an existing bucket without AWS support): `governance` keeps every log version for
    `retention_days` unless a principal with `s3:BypassGovernanceRetention` removes it;
    `compliance` lets nobody, the account root included, shorten or remove it. Refused in a `test`
    environment, whose logs must be deletable with the stack."""
    retention_days: int = Field(default=365, ge=1, le=36500)
    """Days each log object version stays locked (with `object_lock`); CloudTrail digest files
    included. The bucket's lifecycle still ages versions out once the lock has passed."""
