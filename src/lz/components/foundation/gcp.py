"""The GCP foundation of a landing zone, wired from the spec: APIs, keys, network and audit trail.

`build(ctx, opts)` creates one `lz:foundation:GcpFoundation` under the landing zone and returns the
outputs wave stacks read (`foundation.gcp`). Inside it, in dependency order:

1. the project's APIs (`gcp.projects.Service`, left enabled on destroy: other workloads of the
   project may use them, and disabling an API can destroy their resources);
2. the Google service agents that encrypt with the landing zone's keys, found through the provider
   (Cloud Storage's via `gcp.storage.get_project_service_account`, Cloud Logging's CMEK account via
   `gcp.logging.get_project_cmek_settings`) or, for Compute Engine whose agent has no look-up, from
   the project number by its documented form `service-<number>@compute-system.iam.gserviceaccount.com`.
   Each look-up waits for its API, so a first `pulumi up` on a fresh project works;
3. per region a key ring and platform key (`lz:keys:GcpRegionKeys`), granted to those agents;
4. the VPC and its regional subnets and routers (`lz:network:GcpNetwork`);
5. the audit sink in the home region (`lz:audit:GcpAuditSink`), encrypted with the home key.

What it does not do: create the project (it must exist, with billing), organisation policies,
VPN tunnels (the interconnect), GKE (GPU pools and waves).
"""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from lz.contracts.foundation import GcpFoundationOutputs, GcpRegionOutputs
from lz.core import ai_services
from lz.spec import LandingZone

from ..audit.gcp import GcpAuditSink
from ..base import CloudContext
from ..keys.gcp import GcpRegionKeys
from ..network.gcp import GcpNetwork

# The APIs the foundation and the workloads planned on it need. Sorted: the order is part of no
# name, but a stable order keeps the graph byte-for-byte reproducible.
SERVICES: tuple[str, ...] = (
    "cloudkms.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "compute.googleapis.com",
    "container.googleapis.com",
    "dns.googleapis.com",
    "iam.googleapis.com",
    "iap.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "storage.googleapis.com",
)


def services(spec: LandingZone) -> tuple[str, ...]:
    """The APIs to enable: the foundation's, plus Vertex AI's when `ai_services` has `vertex-ai`.

    Its workloads reach `<region>-aiplatform.googleapis.com` through Private Google Access and the
    foundation's `googleapis.com` private zone; the API must be on before anything calls it, and every
    later child of the cloud waits for it (`ctx.apis`).
    """
    extra = (ai_services.VERTEX_AI_API,) if "vertex-ai" in spec.ai_services else ()
    return tuple(sorted((*SERVICES, *extra)))


class GcpFoundation(pulumi.ComponentResource):
    """`lz:foundation:GcpFoundation`: everything the landing zone builds in its GCP project."""

    services: dict[str, gcp.projects.Service]
    keys: dict[str, GcpRegionKeys]
    network: GcpNetwork
    audit: GcpAuditSink

    def __init__(self, name: str, ctx: CloudContext, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("lz:foundation:GcpFoundation", name, None, opts)
        self.ctx = ctx
        project = ctx.cloud_spec.project

        self.services = {
            api: gcp.projects.Service(
                f"{name}-api-{api.split('.')[0]}",
                project=project,
                service=api,
                disable_on_destroy=False,
                disable_dependent_services=False,
                opts=ctx.opts(self),
            )
            for api in services(ctx.spec)
        }
        # From here on every child of this cloud (here and in the later stages) waits for the APIs.
        ctx.apis.update(self.services)

        def api(*names: str) -> list[pulumi.Resource]:
            return [self.services[f"{n}.googleapis.com"] for n in names]

        def lookup(*names: str) -> pulumi.InvokeOutputOptions:
            return pulumi.InvokeOutputOptions(parent=self, provider=ctx.provider(), depends_on=api(*names))

        storage_agent = gcp.storage.get_project_service_account_output(project=project, opts=lookup("storage"))
        logging_cmek = gcp.logging.get_project_cmek_settings_output(project=project, opts=lookup("logging"))
        # Waiting for the Compute API too: its service agent exists only once the API is on, and the
        # grant below must not name an account that does not exist yet.
        project_info = gcp.organizations.get_project_output(
            project_id=project, opts=lookup("cloudresourcemanager", "compute")
        )
        encrypters: dict[str, pulumi.Input[str]] = {
            "compute": project_info.number.apply(
                lambda number: f"serviceAccount:service-{number}@compute-system.iam.gserviceaccount.com"
            ),
            "logging": logging_cmek.service_account_id.apply(lambda email: f"serviceAccount:{email}"),
            "storage": storage_agent.member,
        }

        self.keys = {
            region: GcpRegionKeys(
                f"{name}-keys-{region}",
                ctx,
                region=region,
                encrypters=encrypters,
                requires=api("cloudkms"),
                opts=pulumi.ResourceOptions(parent=self),
            )
            for region in ctx.regions
        }
        self.network = GcpNetwork(
            f"{name}-vpc", ctx, requires=api("compute", "dns"), opts=pulumi.ResourceOptions(parent=self)
        )
        home = self.keys[ctx.home_region]
        self.audit = GcpAuditSink(
            f"{name}-audit",
            ctx,
            region=ctx.home_region,
            kms_key_id=home.platform.id,
            key_grants=[grant for (_, agent), grant in sorted(home.grants.items()) if agent == "logging"],
            requires=api("logging", "cloudresourcemanager"),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"network_id": self.network.network.id, "regions": list(ctx.regions)})

    def outputs(self) -> GcpFoundationOutputs:
        """`foundation.gcp`: what wave stacks read, per region where regional."""
        regions: dict[str, GcpRegionOutputs] = {}
        for region in self.ctx.regions:
            keys = self.keys[region]
            regions[region] = GcpRegionOutputs(
                **self.network.regions[region].outputs(),
                key_ring_id=keys.key_ring.id,
                kms_key_id=keys.platform.id,
            )
        return GcpFoundationOutputs(
            project=self.ctx.cloud_spec.project,
            home_region=self.ctx.home_region,
            network_id=self.network.network.id,
            network_name=self.network.network.name,
            network_self_link=self.network.network.self_link,
            regions=regions,
            audit=self.audit.outputs(),
        )


def build(ctx: CloudContext, opts: pulumi.ResourceOptions) -> GcpFoundationOutputs:
    foundation = GcpFoundation(f"{ctx.org}-{ctx.env}-gcp", ctx, opts)
    return foundation.outputs()
