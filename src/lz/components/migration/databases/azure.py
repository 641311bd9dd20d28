"""`lz:migration:AzureDatabaseMigration`: Azure Database Migration Service into a CMK flexible server.

In the target region, in the wave's resource group:

- the target: an Azure Database for PostgreSQL (or MySQL) flexible server of the source's major
  version, its data encrypted with the foundation's Key Vault key of the region through the
  region's CMK identity, public network access off (reached through a private endpoint in the
  foundation's `data` subnet), backups kept in the region (no geo-redundant copy across borders),
  zone-redundant high availability in `prod`; the admin password generated and kept as a secret;
- `AzureMigrationService` (one per region and wave): the Database Migration Service instance,
  Premium (online migrations need it), injected into the foundation's `data` subnet;
- a migration project (source and target platforms) whose tags carry the migration markers the
  `residency-` policies read, and an online task (full load, then continuous sync) from the source
  (password from a Pulumi secret, encrypted connection, certificate not blindly trusted) into the
  flexible server.

What it does not do: the private DNS zone `privatelink.postgres.database.azure.com` (or the MySQL
one) that resolves the private endpoint inside the hub VNet (a foundation concern, see the
runbook), or the cutover of the online task (the runbook completes it).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_azure_native as azure_native

from lz.core import regions
from lz.spec.wave import Database

from .. import names
from ..context import MigrationContext
from ..secrets import require_secret
from .common import ADMIN_USER, admin_password, replication_markers

dm = azure_native.datamigration
DEFAULT_SKU = {"postgres": "Standard_D2ds_v5", "mysql": "Standard_D2ds_v4"}
DMS_SKU = "Premium_4vCores"


class AzureMigrationService(pulumi.ComponentResource):
    """`lz:migration:AzureMigrationService`: the wave's Database Migration Service in one region."""

    service: dm.Service

    def __init__(
        self,
        name: str,
        ctx: MigrationContext,
        region: str,
        *,
        resource_group: azure_native.resources.ResourceGroup,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:migration:AzureMigrationService", name, None, opts)
        self.region = region
        self.resource_group = resource_group
        self.service = dm.Service(
            f"{name}-service",
            service_name=names.azure_dms_service(ctx.org, ctx.env, ctx.wave.name, region),
            group_name=resource_group.name,
            location=region,
            kind="Cloud",
            sku=dm.ServiceSkuArgs(name=DMS_SKU, tier="Premium", size="4 vCores"),
            virtual_subnet_id=ctx.azure.region(region).data_subnet_id,
            tags=ctx.tags,
            opts=ctx.opts(self, region=region),
        )
        self.register_outputs({"service": self.service.name})


class AzureDatabaseMigration(pulumi.ComponentResource):
    """`lz:migration:AzureDatabaseMigration`: flexible server, private endpoint, DMS project and task."""

    server: pulumi.CustomResource
    private_endpoint: azure_native.network.PrivateEndpoint
    project: dm.Project
    task: dm.Task

    def __init__(
        self,
        name: str,
        ctx: MigrationContext,
        database: Database,
        *,
        classification: str,
        service: AzureMigrationService,
        random_provider: pulumi.ProviderResource,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:migration:AzureDatabaseMigration", name, None, opts)
        region = database.target.region
        rg = service.resource_group.name
        postgres = database.engine == "postgres"
        identity_id = ctx.azure.region(region).identity_id
        key_uri = ctx.azure.region(region).key_uri
        data_subnet = ctx.azure.region(region).data_subnet_id
        tags = ctx.tags_with({"data-classification": classification, "database": database.name})
        markers = replication_markers(database, classification)
        server_name = names.flexible_server(ctx.org, ctx.env, ctx.wave.name, database.name, region)
        self.server_fqdn = f"{server_name}.{'postgres' if postgres else 'mysql'}.database.azure.com"
        password = admin_password(name, self, random_provider)
        zoned = bool(regions.zones("azure", region))
        ha_mode = "ZoneRedundant" if ctx.env == "prod" and zoned else "Disabled"
        major = database.version.split(".")[0]

        def child(data: bool = False, **kwargs: Any) -> pulumi.ResourceOptions:
            return ctx.opts(self, region=region, data=data, **kwargs)

        if postgres:
            pg = azure_native.dbforpostgresql
            self.server = pg.Server(
                f"{name}-server",
                server_name=server_name,
                resource_group_name=rg,
                location=region,
                version=major,
                create_mode="Create",
                administrator_login=ADMIN_USER,
                administrator_login_password=password,
                sku=pg.SkuArgs(name=database.target.tier or DEFAULT_SKU["postgres"], tier="GeneralPurpose"),
                storage=pg.StorageArgs(storage_size_gb=database.target.storage_gb, auto_grow="Enabled"),
                backup=pg.BackupArgs(
                    backup_retention_days=35 if ctx.env == "prod" else 7, geo_redundant_backup="Disabled"
                ),
                high_availability=pg.HighAvailabilityArgs(mode=ha_mode),
                network=pg.NetworkArgs(public_network_access="Disabled"),
                identity=pg.UserAssignedIdentityArgs(
                    type="UserAssigned",
                    user_assigned_identities=identity_id.apply(lambda i: {i: pg.UserIdentityArgs()}),
                ),
                data_encryption=pg.DataEncryptionArgs(
                    type=pg.DataEncryptionType.AZURE_KEY_VAULT,
                    primary_key_uri=key_uri,
                    primary_user_assigned_identity_id=identity_id,
                ),
                auth_config=pg.AuthConfigArgs(active_directory_auth="Enabled", password_auth="Enabled"),
                tags=tags,
                opts=child(data=True),
            )
        else:
            my = azure_native.dbformysql
            self.server = my.Server(
                f"{name}-server",
                server_name=server_name,
                resource_group_name=rg,
                location=region,
                version=database.version,
                create_mode="Default",
                administrator_login=ADMIN_USER,
                administrator_login_password=password,
                sku=my.MySQLServerSkuArgs(name=database.target.tier or DEFAULT_SKU["mysql"], tier="GeneralPurpose"),
                storage=my.StorageArgs(storage_size_gb=database.target.storage_gb, auto_grow="Enabled"),
                backup=my.BackupArgs(
                    backup_retention_days=35 if ctx.env == "prod" else 7, geo_redundant_backup="Disabled"
                ),
                high_availability=my.HighAvailabilityArgs(mode=ha_mode),
                network=my.NetworkArgs(public_network_access="Disabled"),
                # This API version takes the identities as a list of ids (ARM's map is built from it).
                identity=my.MySQLServerIdentityArgs(type="UserAssigned", user_assigned_identities=[identity_id]),
                data_encryption=my.DataEncryptionArgs(
                    type=my.DataEncryptionType.AZURE_KEY_VAULT,
                    primary_key_uri=key_uri,
                    primary_user_assigned_identity_id=identity_id,
                ),
                tags=tags,
                opts=child(data=True),
            )
        group = "postgresqlServer" if postgres else "mysqlServer"
        self.private_endpoint = azure_native.network.PrivateEndpoint(
            f"{name}-endpoint",
            private_endpoint_name=f"pe-{server_name}",
            resource_group_name=rg,
            location=region,
            subnet=azure_native.network.SubnetArgs(id=data_subnet),
            private_link_service_connections=[
                azure_native.network.PrivateLinkServiceConnectionArgs(
                    name=f"{server_name}-{group}", private_link_service_id=self.server.id, group_ids=[group]
                )
            ],
            tags=tags,
            opts=child(),
        )
        platform = ("PostgreSql", "AzureDbForPostgreSql") if postgres else ("MySQL", "AzureDbForMySql")
        self.project = dm.Project(
            f"{name}-project",
            project_name=names.azure_dms_project(ctx.org, ctx.env, ctx.wave.name, database.name),
            service_name=service.service.name,
            group_name=rg,
            location=region,
            source_platform=platform[0],
            target_platform=platform[1],
            tags=ctx.tags_with({**markers, "database": database.name}),
            opts=child(),
        )
        source_password = require_secret(database.source.password_secret)
        db_name = database.source.database
        if postgres:
            properties: Any = dm.MigratePostgreSqlAzureDbForPostgreSqlSyncTaskPropertiesArgs(
                task_type="Migrate.PostgreSql.AzureDbForPostgreSql.SyncV2",
                input=dm.MigratePostgreSqlAzureDbForPostgreSqlSyncTaskInputArgs(
                    selected_databases=[
                        dm.MigratePostgreSqlAzureDbForPostgreSqlSyncDatabaseInputArgs(
                            name=db_name, target_database_name=db_name
                        )
                    ],
                    source_connection_info=dm.PostgreSqlConnectionInfoArgs(
                        type="PostgreSqlConnectionInfo",
                        server_name=database.source.host,
                        port=database.port,
                        database_name=database.source.database,
                        user_name=database.source.username,
                        password=source_password,
                        encrypt_connection=True,
                        trust_server_certificate=False,
                    ),
                    target_connection_info=dm.PostgreSqlConnectionInfoArgs(
                        type="PostgreSqlConnectionInfo",
                        server_name=self.server_fqdn,
                        port=database.port,
                        database_name=database.source.database,
                        user_name=ADMIN_USER,
                        password=password,
                        encrypt_connection=True,
                        trust_server_certificate=False,
                    ),
                ),
            )
        else:
            properties = dm.MigrateMySqlAzureDbForMySqlSyncTaskPropertiesArgs(
                task_type="Migrate.MySql.AzureDbForMySql.Sync",
                input=dm.MigrateMySqlAzureDbForMySqlSyncTaskInputArgs(
                    selected_databases=[
                        dm.MigrateMySqlAzureDbForMySqlSyncDatabaseInputArgs(name=db_name, target_database_name=db_name)
                    ],
                    source_connection_info=dm.MySqlConnectionInfoArgs(
                        type="MySqlConnectionInfo",
                        server_name=database.source.host,
                        port=database.port,
                        user_name=database.source.username,
                        password=source_password,
                        encrypt_connection=True,
                    ),
                    target_connection_info=dm.MySqlConnectionInfoArgs(
                        type="MySqlConnectionInfo",
                        server_name=self.server_fqdn,
                        port=database.port,
                        user_name=ADMIN_USER,
                        password=password,
                        encrypt_connection=True,
                    ),
                ),
            )
        self.task = dm.Task(
            f"{name}-task",
            task_name=names.azure_dms_task(ctx.org, ctx.env, ctx.wave.name, database.name),
            project_name=self.project.name,
            service_name=service.service.name,
            group_name=rg,
            properties=properties,
            opts=child(depends_on=[self.private_endpoint]),
        )
        self.register_outputs({"server": self.server_fqdn, "task": self.task.name})
