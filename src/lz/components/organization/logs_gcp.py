"""`lz:organization:GcpLogArchive`: an organization sink, children included, into a CMEK log bucket.

In the logging project (role `log-archive`): a key ring and a rotating key in the home region, the
Cloud Logging service agent's grant on it, and a log bucket in the home region encrypted with it,
retaining `log_retention_days` and locked outside `environment: test` (a locked bucket's retention can
never be shortened). On the organization node: a sink with `include_children` that routes every
Cloud Audit Logs entry of every folder and project to that bucket, and the sink's writer identity
may write to buckets of the logging project only.

Sources (read 2026-12): https://cloud.google.com/logging/docs/central-log-storage (aggregated sinks),
https://cloud.google.com/logging/docs/routing/managed-encryption-storage (CMEK for log buckets: the
project's Logging service agent needs encrypter/decrypter on the key).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_gcp as gcp

from .context import OrgContext

AUDIT_FILTER = 'logName:"cloudaudit.googleapis.com"'
ROTATION_PERIOD = "7776000s"  # 90 days
ENCRYPTER_DECRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"


def enable_apis(
    name: str,
    ctx: OrgContext,
    *,
    project_id: str,
    project: pulumi.Resource,
    apis: tuple[str, ...],
    parent: pulumi.Resource,
) -> dict[str, Any]:
    """The APIs a vended project needs, enabled before anything uses them. A project created through
    the Resource Manager API starts with next to nothing enabled, and a call to a disabled API fails
    with SERVICE_DISABLED (https://cloud.google.com/service-usage/docs/enable-disable)."""
    return {
        api: gcp.projects.Service(
            f"{name}-api-{api.split('.')[0]}",
            project=project_id,
            service=api,
            disable_on_destroy=False,
            disable_dependent_services=False,
            opts=ctx.opts(parent, depends_on=[project]),
        )
        for api in apis
    }


def region_key(
    name: str,
    ctx: OrgContext,
    *,
    project: str,
    purpose: str,
    agent: pulumi.Input[str],
    parent: pulumi.Resource,
    depends_on: list[pulumi.Resource],
) -> tuple[Any, Any]:
    """A key ring and a rotating key in the home region of `project`, and `agent`'s use of it (the
    grant waits for `depends_on` too: the agent exists only once its API is on)."""
    region = ctx.cloud_spec.home_region
    ring = gcp.kms.KeyRing(
        f"{name}-ring",
        name=ctx.physical(purpose, "keyring"),
        project=project,
        location=region,
        opts=ctx.opts(parent, data=True, depends_on=depends_on),
    )
    key = gcp.kms.CryptoKey(
        f"{name}-key",
        name=ctx.physical(purpose),
        key_ring=ring.id,
        purpose="ENCRYPT_DECRYPT",
        rotation_period=ROTATION_PERIOD,
        destroy_scheduled_duration="2592000s",
        labels=ctx.tags_with(purpose=purpose),
        opts=ctx.opts(parent, data=True),
    )
    grant = gcp.kms.CryptoKeyIAMMember(
        f"{name}-key-agent",
        crypto_key_id=key.id,
        role=ENCRYPTER_DECRYPTER,
        member=agent,
        opts=ctx.opts(parent, depends_on=depends_on),
    )
    return key, grant


class GcpLogArchive(pulumi.ComponentResource):
    def __init__(self, name: str, ctx: OrgContext, *, project: Any, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("lz:organization:GcpLogArchive", name, None, opts)
        spec = ctx.cloud_spec
        project_id = spec.by_role("log-archive").project_id
        region = spec.home_region
        apis = enable_apis(
            name,
            ctx,
            project_id=project_id,
            project=project,
            parent=self,
            apis=("cloudkms.googleapis.com", "logging.googleapis.com"),
        )
        # The project's Cloud Logging agent (the address `gcloud logging settings describe` reports),
        # which exists once the Logging API is on.
        agent = project.number.apply(lambda n: f"serviceAccount:service-{n}@gcp-sa-logging.iam.gserviceaccount.com")
        self.key, grant = region_key(
            f"{name}-logs",
            ctx,
            project=project_id,
            purpose="org-logs",
            agent=agent,
            parent=self,
            depends_on=[project, *apis.values()],
        )
        self.bucket = gcp.logging.ProjectBucketConfig(
            f"{name}-bucket",
            project=project_id,
            location=region,
            bucket_id=ctx.physical("org-audit"),
            description=f"Audit logs of every project of {ctx.org}, {ctx.spec.log_retention_days} days, CMEK",
            retention_days=ctx.spec.log_retention_days,
            locked=not ctx.spec.disposable,
            cmek_settings={"kms_key_name": self.key.id},
            opts=ctx.opts(self, data=True, depends_on=[grant]),
        )
        self.sink = gcp.logging.OrganizationSink(
            f"{name}-sink",
            name=ctx.physical("org-audit"),
            org_id=spec.organization_id,
            include_children=True,
            description="Every Cloud Audit Logs entry of the organization, to the central log bucket",
            destination=self.bucket.id.apply(lambda bucket_id: f"logging.googleapis.com/{bucket_id}"),
            filter=AUDIT_FILTER,
            opts=ctx.opts(self),
        )
        gcp.projects.IAMMember(
            f"{name}-sink-writer",
            project=project_id,
            role="roles/logging.bucketWriter",
            member=self.sink.writer_identity,
            opts=ctx.opts(self, depends_on=[apis["logging.googleapis.com"]]),
        )
        self.outputs = {"bucket": self.bucket.id, "sink": self.sink.id, "key": self.key.id}
        self.register_outputs(self.outputs)
