"""`lz:migration:GcpDatabaseMigration`: Database Migration Service into a CMEK-encrypted Cloud SQL instance.

Two connection profiles in the target region: the source (its host, port and user; the password
from a Pulumi secret; TLS verified against the source's CA bundle, `source.ca_certificate`) and the
destination, a Cloud SQL instance that Database
Migration Service creates on the job's start with the source's engine and major version,
encrypted with the foundation's key of the region (the Cloud SQL service agent holds the grant, see
`GcpWaveProject`), reachable only on a private address in the foundation's VPC (private services
access) with TLS required, and a generated root password kept as a secret.

The migration job is `CONTINUOUS` (a full dump, then change data capture until promotion) for
`full-load-and-cdc`, `ONE_TIME` for `full-load`, and reaches the source over VPC peering with the
foundation's network (the source must be routable from there, e.g. over the interconnect). Its
labels carry the migration markers the `residency-` policies read.

What it does not do: start or promote the job (the runbook does), or configure the source
(`wal_level=logical`, the `pglogical` extension, a replication user: see the runbook).
"""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from lz.core import regions
from lz.spec.wave import Database

from ..context import MigrationContext
from ..gcp_project import GcpWaveProject
from ..secrets import require_secret
from .common import admin_password, replication_markers

DEFAULT_TIER = "db-custom-2-7680"
dms = gcp.databasemigrationservice


def database_version(engine: str, version: str) -> str:
    """`postgres` `15` -> `POSTGRES_15`, `mysql` `8.0` -> `MYSQL_8_0`."""
    if engine == "postgres":
        return f"POSTGRES_{version.split('.')[0]}"
    major, _, minor = version.partition(".")
    return f"MYSQL_{major}_{minor or '0'}"


class GcpDatabaseMigration(pulumi.ComponentResource):
    """`lz:migration:GcpDatabaseMigration`: source and destination connection profiles and the job."""

    source_profile: dms.ConnectionProfile
    destination_profile: dms.ConnectionProfile
    job: dms.MigrationJob

    def __init__(
        self,
        name: str,
        ctx: MigrationContext,
        database: Database,
        *,
        classification: str,
        project: GcpWaveProject,
        random_provider: pulumi.ProviderResource,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:migration:GcpDatabaseMigration", name, None, opts)
        region = database.target.region
        project_id = ctx.gcp.project
        network = ctx.gcp.network_id
        labels = ctx.tags_with({"data-classification": classification, "database": database.name})
        markers = replication_markers(database, classification)
        waits = [*project.requires("datamigration", "sqladmin"), *project.grants_for(region)]
        if project.private_connection is not None:
            waits.append(project.private_connection)

        def profile_name(profile_id: str) -> pulumi.Output[str]:
            return project_id.apply(lambda p: f"projects/{p}/locations/{region}/connectionProfiles/{profile_id}")

        source_id = ctx.physical(database.name, "source")
        destination_id = ctx.physical(database.name, "destination")
        # The certificate the source presents is verified against its CA (the SSL type follows: SERVER_ONLY).
        ca = require_secret(database.source.ca_certificate) if database.source.ca_certificate else None
        password = require_secret(database.source.password_secret)
        postgresql = mysql = None
        if database.engine == "postgres":
            postgresql = dms.ConnectionProfilePostgresqlArgs(
                host=database.source.host,
                port=database.port,
                username=database.source.username,
                password=password,
                ssl=dms.ConnectionProfilePostgresqlSslArgs(ca_certificate=ca) if ca else None,
            )
        else:
            mysql = dms.ConnectionProfileMysqlArgs(
                host=database.source.host,
                port=database.port,
                username=database.source.username,
                password=password,
                ssl=dms.ConnectionProfileMysqlSslArgs(ca_certificate=ca) if ca else None,
            )
        self.source_profile = dms.ConnectionProfile(
            f"{name}-source",
            connection_profile_id=source_id,
            display_name=f"{database.name} source ({database.source.cloud} {database.source.region})",
            project=project_id,
            location=region,
            labels=labels,
            postgresql=postgresql,
            mysql=mysql,
            opts=ctx.opts(self, region=region, depends_on=waits),
        )
        root = admin_password(name, self, random_provider)
        zones = regions.zones("gcp", region)
        self.destination_profile = dms.ConnectionProfile(
            f"{name}-destination",
            connection_profile_id=destination_id,
            display_name=f"{database.name} on Cloud SQL ({region})",
            project=project_id,
            location=region,
            cloudsql=dms.ConnectionProfileCloudsqlArgs(
                settings=dms.ConnectionProfileCloudsqlSettingsArgs(
                    source_id=profile_name(source_id),
                    database_version=database_version(database.engine, database.version),
                    tier=database.target.tier or DEFAULT_TIER,
                    edition="ENTERPRISE",
                    cmek_key_name=ctx.gcp.region(region).kms_key_id,
                    ip_config=dms.ConnectionProfileCloudsqlSettingsIpConfigArgs(
                        enable_ipv4=False, private_network=network, require_ssl=True
                    ),
                    data_disk_type="PD_SSD",
                    data_disk_size_gb=str(database.target.storage_gb),
                    auto_storage_increase=True,
                    root_password=root,
                    zone=zones[0] if zones else None,
                    activation_policy="ALWAYS",
                    user_labels=labels,
                )
            ),
            labels=labels,
            opts=ctx.opts(self, region=region, data=True, depends_on=[self.source_profile, *waits]),
        )
        self.job = dms.MigrationJob(
            f"{name}-job",
            migration_job_id=ctx.physical(database.name),
            display_name=f"{database.name}: {database.mode} into Cloud SQL",
            project=project_id,
            location=region,
            type="CONTINUOUS" if database.mode == "full-load-and-cdc" else "ONE_TIME",
            source=profile_name(source_id),
            destination=profile_name(destination_id),
            vpc_peering_connectivity=dms.MigrationJobVpcPeeringConnectivityArgs(vpc=network),
            labels=ctx.tags_with({**markers, "database": database.name}),
            opts=ctx.opts(self, region=region, depends_on=[self.source_profile, self.destination_profile]),
        )
        self.job_name = project_id.apply(
            lambda p: f"projects/{p}/locations/{region}/migrationJobs/{ctx.physical(database.name)}"
        )
        self.destination_name = profile_name(destination_id)
        self.register_outputs({"job": self.job_name, "destination": self.destination_name})
