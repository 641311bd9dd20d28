"""The GCP audit trail: every audit log of the project, kept a year in a CMEK-encrypted regional log bucket.

`GcpAuditSink` (`lz:audit:GcpAuditSink`) creates

* a Cloud Logging bucket in the home region (never `global`), encrypted with the home region's
  platform key, retaining 365 days, locked in `prod` (a locked bucket's retention can never be
  shortened and the bucket cannot be deleted, so disposable and pre-production stacks stay unlocked);
* a project sink with its own writer identity that routes every Cloud Audit Logs entry (admin
  activity, data access, system event, policy denied, access transparency: all of
  `logName:"cloudaudit.googleapis.com"`) to that bucket, and with an egress path (`egress.mode` nat
  or firewall) the egress firewall policy's rule logs and Cloud NAT's flow logs too;
* Data Access audit logs (ADMIN_READ, DATA_READ, DATA_WRITE) for all services, which GCP leaves off
  by default for everything but BigQuery.

CMEK on a log bucket works only when Cloud Logging's CMEK service account (reported by the project's
logging settings, `gcp.logging.get_project_cmek_settings`) already holds encrypter/decrypter on the
key; the caller passes that grant as `key_grants`, so the bucket is created after it. The sink writes
to a bucket of its own project, which needs no IAM grant for the writer identity.

What it does not do: organisation- or folder-level sinks (a project landing zone cannot create
them), exports to BigQuery or Cloud Storage, log views, or changes to the `_Required`/`_Default`
buckets.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_gcp as gcp

from lz.contracts.foundation import GcpAuditOutputs

from ..base import CloudContext

RETENTION_DAYS = 365
AUDIT_FILTER = 'logName:"cloudaudit.googleapis.com"'
# With an egress path, what the egress firewall policy's rules and Cloud NAT log is kept with the
# audit trail too ("Firewall policy rules logging", cloud.google.com/firewall/docs/firewall-policy-rules-logging:
# log name `compute.googleapis.com%2Ffirewall`; "Cloud NAT logging", cloud.google.com/nat/docs/monitoring:
# `compute.googleapis.com%2Fnat_flows`; read 2026-12-05).
EGRESS_LOGS = ("compute.googleapis.com%2Ffirewall", "compute.googleapis.com%2Fnat_flows")


def audit_filter(egress_mode: str) -> str:
    """The sink's filter: every audit log, and the egress firewall's and NAT's logs when there is egress."""
    if egress_mode == "none":
        return AUDIT_FILTER
    return " OR ".join([AUDIT_FILTER, *(f'logName:"{name}"' for name in EGRESS_LOGS)])


DATA_ACCESS_LOG_TYPES = ("ADMIN_READ", "DATA_READ", "DATA_WRITE")


class GcpAuditSink(pulumi.ComponentResource):
    """`lz:audit:GcpAuditSink`: audit logs of the project routed to a CMEK log bucket, data access logs on."""

    bucket: gcp.logging.ProjectBucketConfig
    sink: gcp.logging.ProjectSink
    data_access: gcp.projects.IAMAuditConfig

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        *,
        region: str,
        kms_key_id: pulumi.Input[str],
        key_grants: Sequence[pulumi.Resource] = (),
        requires: Sequence[pulumi.Resource] = (),
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`kms_key_id`: a crypto key in `region`; `key_grants`: Cloud Logging's grant on that key, which the
        bucket must wait for; `requires`: the APIs (Logging, Resource Manager) being enabled."""
        super().__init__("lz:audit:GcpAuditSink", name, None, opts)
        if region not in ctx.regions:
            raise ValueError(f"audit region {region!r} is not one of clouds.gcp.regions ({', '.join(ctx.regions)})")
        project = ctx.cloud_spec.project
        self.region = region

        self.bucket = gcp.logging.ProjectBucketConfig(
            f"{name}-bucket",
            project=project,
            location=region,
            bucket_id=ctx.physical("audit"),
            description=f"Audit logs of {project}, {RETENTION_DAYS} days, CMEK",
            retention_days=RETENTION_DAYS,
            locked=ctx.env == "prod",
            cmek_settings=gcp.logging.ProjectBucketConfigCmekSettingsArgs(kms_key_name=kms_key_id),
            opts=ctx.opts(self, region=region, data=True, depends_on=[*requires, *key_grants]),
        )
        self.sink = gcp.logging.ProjectSink(
            f"{name}-sink",
            name=ctx.physical("audit"),
            project=project,
            description="Routes every Cloud Audit Logs entry of the project (and the egress firewall's and NAT's "
            "logs) to the landing zone's audit bucket",
            destination=self.bucket.id.apply(lambda bucket_id: f"logging.googleapis.com/{bucket_id}"),
            filter=audit_filter(ctx.spec.egress.mode),
            unique_writer_identity=True,
            opts=ctx.opts(self, region=region),
        )
        self.data_access = gcp.projects.IAMAuditConfig(
            f"{name}-data-access",
            project=project,
            service="allServices",
            audit_log_configs=[
                gcp.projects.IAMAuditConfigAuditLogConfigArgs(log_type=log_type) for log_type in DATA_ACCESS_LOG_TYPES
            ],
            opts=ctx.opts(self, depends_on=list(requires)),
        )
        self.register_outputs({"log_bucket": self.bucket.id, "sink": self.sink.id})

    def outputs(self) -> GcpAuditOutputs:
        return GcpAuditOutputs(
            log_bucket=self.bucket.id,
            sink=self.sink.id,
            writer_identity=self.sink.writer_identity,
            location=pulumi.Output.from_input(self.region),
        )
