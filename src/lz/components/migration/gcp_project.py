"""`lz:migration:GcpWaveProject`: what a wave needs switched on in the foundation's GCP project.

The Google APIs of the managed services the wave uses (Storage Transfer Service, Database
Migration Service, Cloud SQL Admin, Service Networking, Secret Manager, Cloud Monitoring, Cloud
DNS), left enabled on destroy because other stacks of the project may use them; the project number
(one look-up) and from it the Google service agents of the documented form
(`project-<n>@storage-transfer-service...`, `service-<n>@gcp-sa-<service>...`); and, per target
region, the grants that let the agents that encrypt for the wave use the foundation's region key:
Cloud SQL (databases created by Database Migration Service) and Secret Manager (transfer
credentials). Cloud Storage's agent already holds its grant from the foundation.

Databases reach Cloud SQL over private services access: the foundation's one reserved range in its
VPC, peered with Google's service producer network (`foundation.paths.gcp_private_services`), shared
by every wave; a wave that migrates databases reads it and fails with a clear message on a foundation
planned before it existed.

What it does not do: grant the agents anything on sources (the runbook names those grants), or
create the project.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi_gcp as gcp

from .context import MigrationContext, lookup

ENCRYPTER_DECRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"


# Agents that exist only once `services.generateServiceIdentity` ran for their API
# (https://cloud.google.com/iam/docs/service-agents; Cloud SQL CMEK:
# https://cloud.google.com/sql/docs/postgres/configure-cmek#create-service-agent).
IDENTITY_AGENTS = {"cloud-sql": "sqladmin.googleapis.com", "secretmanager": "secretmanager.googleapis.com"}


def services_for(*, transfers: bool, databases: bool, secrets: bool, monitoring: bool, dns: bool) -> list[str]:
    wanted = {"cloudresourcemanager.googleapis.com"}
    if databases or secrets:
        # the wave grants the foundation's region keys to its agents: the grant is a Cloud KMS call
        wanted.add("cloudkms.googleapis.com")
    if transfers:
        wanted |= {"storagetransfer.googleapis.com", "storage.googleapis.com"}
    if secrets:
        wanted.add("secretmanager.googleapis.com")
    if databases:
        wanted |= {
            "datamigration.googleapis.com",
            "sqladmin.googleapis.com",
            "servicenetworking.googleapis.com",
            "compute.googleapis.com",
        }
    if monitoring:
        wanted.add("monitoring.googleapis.com")
    if dns:
        wanted.add("dns.googleapis.com")
    return sorted(wanted)


class GcpWaveProject(pulumi.ComponentResource):
    """`lz:migration:GcpWaveProject`: APIs, service agents, key grants and private services access."""

    services: dict[str, gcp.projects.Service]
    key_grants: dict[tuple[str, str], gcp.kms.CryptoKeyIAMMember]
    private_range: gcp.compute.GlobalAddress | None
    private_connection: gcp.servicenetworking.Connection | None

    def __init__(
        self,
        name: str,
        ctx: MigrationContext,
        *,
        apis: Sequence[str],
        key_users: Mapping[str, Sequence[str]],
        private_services: bool,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`key_users`: region -> agents (`cloud-sql`, `secretmanager`) that encrypt with its key."""
        super().__init__("lz:migration:GcpWaveProject", name, None, opts)
        self.ctx = ctx
        self.project = ctx.gcp.project
        self.services = {
            api: gcp.projects.Service(
                f"{name}-api-{api.split('.')[0]}",
                project=self.project,
                service=api,
                disable_on_destroy=False,
                disable_dependent_services=False,
                opts=ctx.opts(self),
            )
            for api in apis
        }
        info = gcp.organizations.get_project_output(
            project_id=self.project,
            opts=pulumi.InvokeOutputOptions(
                parent=self, provider=ctx.provider(), depends_on=self.requires("cloudresourcemanager")
            ),
        )
        self.number: pulumi.Output[str] = info.number
        # The Storage Transfer agent is created by its service's own look-up
        # (googleServiceAccounts.get, https://cloud.google.com/storage-transfer/docs/iam-cloud), so
        # its address comes from that look-up, made once the API is on.
        self.transfer_agent: pulumi.Output[str] | None = None
        if "storagetransfer.googleapis.com" in self.services:
            self.transfer_agent = gcp.storage.get_transfer_project_service_account_output(
                project=self.project,
                opts=pulumi.InvokeOutputOptions(
                    parent=self, provider=ctx.provider(), depends_on=self.requires("storagetransfer")
                ),
            ).email

        wanted = sorted({a for users in key_users.values() for a in users})
        self.identities: dict[str, gcp.projects.ServiceIdentity] = {
            agent: gcp.projects.ServiceIdentity(
                f"{name}-{agent}-agent",
                project=self.project,
                service=IDENTITY_AGENTS[agent],
                opts=ctx.opts(self, depends_on=self.requires(IDENTITY_AGENTS[agent].split(".")[0])),
            )
            for agent in wanted
            if agent in IDENTITY_AGENTS
        }
        self.key_grants = {}
        for region in sorted(key_users):
            for agent in sorted(set(key_users[region])):
                identity = self.identities.get(agent)
                self.key_grants[(region, agent)] = gcp.kms.CryptoKeyIAMMember(
                    f"{name}-key-{region}-{agent}",
                    crypto_key_id=ctx.gcp.region(region).kms_key_id,
                    role=ENCRYPTER_DECRYPTER,
                    member=(identity.member if identity is not None else self.agent_member(agent)),
                    opts=ctx.opts(
                        self,
                        region=region,
                        depends_on=[*self.requires("cloudkms"), *([identity] if identity is not None else [])],
                    ),
                )

        self.private_range = None
        self.private_connection = None
        # The foundation's shared range (one peering per VPC: a range per wave would conflict).
        self.private_services_range: pulumi.Output[Any] | None = None
        if private_services:
            stack = ctx.wave.foundation
            self.private_services_range = ctx.outputs.apply(
                lambda data: lookup(data, ("paths", "gcp_private_services", "range_name"), stack=stack)
            )
        self.register_outputs(
            {
                "project": self.project,
                "apis": sorted(self.services),
                "private_services_range": self.private_services_range,
            }
        )

    def requires(self, *names: str) -> list[pulumi.Resource]:
        return [self.services[f"{n}.googleapis.com"] for n in names if f"{n}.googleapis.com" in self.services]

    def agent_email(self, agent: str) -> pulumi.Output[str]:
        """A Google service agent of the project, by its documented address."""
        if agent == "storage-transfer":
            if self.transfer_agent is not None:
                return self.transfer_agent
            return self.number.apply(lambda n: f"project-{n}@storage-transfer-service.iam.gserviceaccount.com")
        return self.number.apply(lambda n: f"service-{n}@gcp-sa-{agent}.iam.gserviceaccount.com")

    def agent_member(self, agent: str) -> pulumi.Output[str]:
        return self.agent_email(agent).apply(lambda email: f"serviceAccount:{email}")

    def grants_for(self, region: str) -> list[pulumi.Resource]:
        return [grant for (r, _), grant in sorted(self.key_grants.items()) if r == region]
