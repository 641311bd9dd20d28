"""`lz:organization:GcpDetection`: Security Command Center findings to Pub/Sub, and a custom module.

In the security project: a CMEK-encrypted Pub/Sub topic whose messages stay in the home region,
an organization-level SCC notification config streaming every active finding to it (SCC's service
account may publish there), and a Security Health Analytics custom module that reports Cloud
Storage buckets without a default CMEK key: the runtime twin of the pack's `encryption-at-rest-cmk`
for buckets created outside the pipeline.

Sources (read 2026-12): https://cloud.google.com/security-command-center/docs/how-to-notifications,
https://cloud.google.com/security-command-center/docs/custom-modules-sha-create.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_gcp as gcp

from .context import OrgContext
from .logs_gcp import enable_apis, region_key

ACTIVE_FINDINGS = 'state = "ACTIVE"'


class GcpDetection(pulumi.ComponentResource):
    def __init__(self, name: str, ctx: OrgContext, *, project: Any, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("lz:organization:GcpDetection", name, None, opts)
        spec = ctx.cloud_spec
        project_id = spec.by_role("security").project_id
        apis = enable_apis(
            name,
            ctx,
            project_id=project_id,
            project=project,
            parent=self,
            apis=("cloudkms.googleapis.com", "pubsub.googleapis.com"),
        )
        # Pub/Sub's agent is created on first use only; a CMEK topic needs it to exist before the grant.
        identity = gcp.projects.ServiceIdentity(
            f"{name}-pubsub-agent",
            project=project_id,
            service="pubsub.googleapis.com",
            opts=ctx.opts(self, depends_on=[apis["pubsub.googleapis.com"]]),
        )
        key, grant = region_key(
            f"{name}-findings",
            ctx,
            project=project_id,
            purpose="findings",
            agent=identity.member,
            parent=self,
            depends_on=[project, identity, *apis.values()],
        )
        self.topic = gcp.pubsub.Topic(
            f"{name}-topic",
            name=ctx.physical("scc-findings"),
            project=project_id,
            kms_key_name=key.id,
            message_storage_policy={"allowed_persistence_regions": [spec.home_region]},
            labels=ctx.tags,
            opts=ctx.opts(self, data=True, depends_on=[grant]),
        )
        self.notification = gcp.securitycenter.NotificationConfig(
            f"{name}-notification",
            config_id=ctx.physical("active-findings"),
            organization=spec.organization_id,
            description="Every active finding of the organization",
            pubsub_topic=self.topic.id,
            streaming_config={"filter": ACTIVE_FINDINGS},
            opts=ctx.opts(self),
        )
        gcp.pubsub.TopicIAMMember(
            f"{name}-topic-publisher",
            project=project_id,
            topic=self.topic.name,
            role="roles/pubsub.publisher",
            member=self.notification.service_account.apply(lambda sa: f"serviceAccount:{sa}"),
            opts=ctx.opts(self),
        )
        self.module = gcp.securitycenter.ManagementOrganizationSecurityHealthAnalyticsCustomModule(
            f"{name}-bucket-cmek",
            organization=spec.organization_id,
            location="global",
            display_name="lz_bucket_without_cmek",
            enablement_state="ENABLED",
            custom_config={
                "predicate": {"expression": "!has(resource.encryption) || resource.encryption.defaultKmsKeyName == ''"},
                "resource_selector": {"resource_types": ["storage.googleapis.com/Bucket"]},
                "severity": "HIGH",
                "description": "A Cloud Storage bucket has no default customer-managed encryption key.",
                "recommendation": "Set the bucket's default KMS key (the landing zone's platform key of its region).",
            },
            opts=ctx.opts(self),
        )
        self.outputs = {"topic": self.topic.id, "notification": self.notification.name}
        self.register_outputs(self.outputs)
