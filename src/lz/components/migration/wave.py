"""`lz:migration:Wave`: everything a wave stack creates hangs under this component.

From the wave spec alone it decides which resources exist; the foundation's outputs (read through
a stack reference by `lz.programs.wave`) fill in keys, subnets, networks and identities. In order:

1. explicit providers in the foundation's account, project and subscription, only for the clouds
   and regions the wave uses (`providers`), and a `random` provider for generated passwords;
2. per cloud what the wave shares: GCP APIs, service agents and key grants (`GcpWaveProject`), an
   Azure resource group per region, a DataSync log group per AWS region, a Data Factory and a
   Database Migration Service per Azure region;
3. per dataset a target store and the transfer into it, with the target cloud's managed service
   (GCP Storage Transfer Service, AWS DataSync, Azure Data Factory);
4. per database the target cloud's migration service and target database (AWS DMS into RDS, GCP
   Database Migration Service into Cloud SQL, Azure Database Migration Service into a flexible server);
5. the cutover's weighted DNS in the cloud that holds its DNS zone, and its rollback alarms in the
   monitoring of the cloud and region where the target runs (`cutover.target`, default the DNS's),
   which is where the target's telemetry lands.

Logical names derive from the wave's name and the dataset's or database's name, so adding an entry
to the spec never renames an existing resource. `outputs` is what the stack exports.
"""

from __future__ import annotations

from typing import Any

import pulumi

from lz.spec.wave import Database, Dataset, FoundationView, Wave

from . import names
from .context import MigrationContext
from .providers import alarm_place, build_providers, cutover_region, used_regions

SERVICE_NAMES = {"gcp": "storage-transfer-service", "aws": "datasync", "azure": "data-factory"}
DB_SERVICE_NAMES = {"gcp": "database-migration-service", "aws": "dms", "azure": "database-migration-service"}


class MigrationWave(pulumi.ComponentResource):
    """`lz:migration:Wave`: target stores, transfers, replication, cutover and alarms of one wave."""

    outputs: dict[str, Any]

    def __init__(
        self,
        name: str,
        wave: Wave,
        foundation: FoundationView,
        foundation_outputs: pulumi.Output[Any],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:migration:Wave", name, None, opts)
        self.wave = wave
        self.foundation = foundation
        self.providers = build_providers(wave, foundation, foundation_outputs, self)
        self.contexts = {
            cloud: MigrationContext(
                wave=wave, foundation=foundation, cloud=cloud, outputs=foundation_outputs, providers=providers
            )
            for cloud, providers in self.providers.items()
        }
        self.regions = used_regions(wave, foundation)
        self.random_provider: pulumi.ProviderResource | None = None
        if wave.databases:
            import pulumi_random as random

            self.random_provider = random.Provider("random", opts=pulumi.ResourceOptions(parent=self))
        self.outputs = {"datasets": {}, "databases": {}}
        self._shared_gcp()
        self._shared_azure()
        self._shared_aws()
        for dataset in wave.datasets:
            self.outputs["datasets"][dataset.name] = self._dataset(dataset)
        for database in wave.databases:
            self.outputs["databases"][database.name] = self._database(database)
        if wave.cutover is not None:
            self.outputs["cutover"] = self._cutover()
        self.register_outputs(
            {"datasets": sorted(self.outputs["datasets"]), "databases": sorted(self.outputs["databases"])}
        )

    # -- shared per cloud ----------------------------------------------------------------------
    def _shared_gcp(self) -> None:
        self.gcp_project = None
        ctx = self.contexts.get("gcp")
        if ctx is None:
            return
        from .gcp_project import GcpWaveProject, services_for

        wave = self.wave
        datasets = [d for d in wave.datasets if d.target.cloud == "gcp"]
        databases = [d for d in wave.databases if d.target.cloud == "gcp"]
        secret_regions = {d.target.region for d in datasets if d.source.credentials.kind == "secret"}
        key_users: dict[str, list[str]] = {}
        for region in sorted(secret_regions):
            key_users.setdefault(region, []).append("secretmanager")
        for db in databases:
            key_users.setdefault(db.target.region, []).append("cloud-sql")
        dns = wave.cutover is not None and wave.cutover.dns.cloud == "gcp"
        alarms = alarm_place(wave, self.foundation)
        monitoring = alarms is not None and alarms[0] == "gcp"
        apis = services_for(
            transfers=bool(datasets),
            databases=bool(databases),
            secrets=bool(secret_regions),
            monitoring=monitoring,
            dns=dns,
        )
        self.gcp_project = GcpWaveProject(
            f"{wave.name}-gcp",
            ctx,
            apis=apis,
            key_users=key_users,
            private_services=bool(databases),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _shared_azure(self) -> None:
        self.azure_groups: dict[str, Any] = {}
        self.azure_factories: dict[str, Any] = {}
        self.azure_dms: dict[str, Any] = {}
        ctx = self.contexts.get("azure")
        if ctx is None:
            return
        import pulumi_azure_native as azure_native

        from .databases.azure import AzureMigrationService
        from .transfers.azure import AzureDataFactory

        for region in self.regions["azure"]:
            self.azure_groups[region] = azure_native.resources.ResourceGroup(
                f"{self.wave.name}-rg-{region}",
                resource_group_name=names.azure_resource_group(ctx.org, ctx.env, self.wave.name, region),
                location=region,
                tags=ctx.tags,
                opts=ctx.opts(self, region=region),
            )
        child = pulumi.ResourceOptions(parent=self)
        for region in dict.fromkeys(d.target.region for d in self.wave.datasets if d.target.cloud == "azure"):
            self.azure_factories[region] = AzureDataFactory(
                f"{self.wave.name}-adf-{region}", ctx, region, resource_group=self.azure_groups[region], opts=child
            )
        for region in dict.fromkeys(d.target.region for d in self.wave.databases if d.target.cloud == "azure"):
            self.azure_dms[region] = AzureMigrationService(
                f"{self.wave.name}-dms-{region}", ctx, region, resource_group=self.azure_groups[region], opts=child
            )

    def _shared_aws(self) -> None:
        self.aws_logs: dict[str, Any] = {}
        ctx = self.contexts.get("aws")
        if ctx is None:
            return
        from .transfers.aws import AwsDataSyncLogs

        for region in dict.fromkeys(d.target.region for d in self.wave.datasets if d.target.cloud == "aws"):
            self.aws_logs[region] = AwsDataSyncLogs(
                f"{self.wave.name}-datasync-logs-{region}", ctx, region, opts=pulumi.ResourceOptions(parent=self)
            )

    # -- datasets ------------------------------------------------------------------------------
    def _dataset(self, dataset: Dataset) -> dict[str, Any]:
        cloud, region = dataset.target.cloud, dataset.target.region
        ctx = self.contexts[cloud]
        base = f"{self.wave.name}-{dataset.name}"
        child = pulumi.ResourceOptions(parent=self)
        out: dict[str, Any] = {
            "classification": dataset.classification,
            "service": SERVICE_NAMES[cloud],
            "source": f"{dataset.source.cloud}:{dataset.source.region}/{dataset.source.bucket}",
            "target": {"cloud": cloud, "region": region},
            "schedule": dataset.schedule,
        }
        if cloud == "gcp":
            from .buckets.gcp import GcpTargetBucket
            from .transfers.gcp import GcpStorageTransfer

            assert self.gcp_project is not None
            bucket = GcpTargetBucket(
                f"{base}-target", ctx, dataset, requires=self.gcp_project.requires("storage"), opts=child
            )
            transfer = GcpStorageTransfer(
                f"{base}-transfer", ctx, dataset, bucket=bucket, project=self.gcp_project, opts=child
            )
            out["target"]["bucket"] = bucket.bucket_name
            out["job"] = transfer.job.name
        elif cloud == "aws":
            from .buckets.aws import AwsTargetBucket
            from .transfers.aws import AwsDataSyncTransfer

            s3 = AwsTargetBucket(f"{base}-target", ctx, dataset, opts=child)
            task = AwsDataSyncTransfer(
                f"{base}-transfer", ctx, dataset, bucket=s3, logs=self.aws_logs[region], opts=child
            )
            out["target"]["bucket"] = s3.bucket_name
            out["job"] = task.task.arn
        else:
            from .buckets.azure import AzureTargetContainer
            from .transfers.azure import AzureDataFactoryTransfer

            container = AzureTargetContainer(
                f"{base}-target", ctx, dataset, resource_group=self.azure_groups[region], opts=child
            )
            copy = AzureDataFactoryTransfer(
                f"{base}-transfer", ctx, dataset, container=container, factory=self.azure_factories[region], opts=child
            )
            out["target"]["account"] = container.account_name
            out["target"]["container"] = container.container_name
            out["job"] = {
                "factory": self.azure_factories[region].factory_name,
                "pipeline": copy.pipeline.name,
                "trigger": copy.trigger.name,
            }
        return out

    # -- databases -----------------------------------------------------------------------------
    def _database(self, database: Database) -> dict[str, Any]:
        cloud, region = database.target.cloud, database.target.region
        ctx = self.contexts[cloud]
        classification = database.classification or self.foundation.classification
        base = f"{self.wave.name}-{database.name}"
        child = pulumi.ResourceOptions(parent=self)
        assert self.random_provider is not None
        out: dict[str, Any] = {
            "engine": database.engine,
            "version": database.version,
            "mode": database.mode,
            "classification": classification,
            "service": DB_SERVICE_NAMES[cloud],
            "target": {"cloud": cloud, "region": region},
        }
        if cloud == "aws":
            from .databases.aws import AwsDmsReplication

            dms = AwsDmsReplication(
                base, ctx, database, classification=classification, random_provider=self.random_provider, opts=child
            )
            out["task"] = dms.task.replication_task_arn
            out["target"]["endpoint"] = dms.target.address
        elif cloud == "gcp":
            from .databases.gcp import GcpDatabaseMigration

            assert self.gcp_project is not None
            job = GcpDatabaseMigration(
                base,
                ctx,
                database,
                classification=classification,
                project=self.gcp_project,
                random_provider=self.random_provider,
                opts=child,
            )
            out["job"] = job.job_name
            out["target"]["connection_profile"] = job.destination_name
        else:
            from .databases.azure import AzureDatabaseMigration

            migration = AzureDatabaseMigration(
                base,
                ctx,
                database,
                classification=classification,
                service=self.azure_dms[region],
                random_provider=self.random_provider,
                opts=child,
            )
            out["task"] = migration.task.name
            out["target"]["endpoint"] = migration.server_fqdn
        return out

    # -- cutover -------------------------------------------------------------------------------
    def _cutover(self) -> dict[str, Any]:
        cutover = self.wave.cutover
        assert cutover is not None
        cloud = cutover.dns.cloud
        region = cutover_region(self.wave, self.foundation)
        place = alarm_place(self.wave, self.foundation)
        assert region is not None and place is not None
        alarm_cloud, alarm_region = place
        ctx = self.contexts[cloud]
        base = f"{self.wave.name}-cutover"
        child = pulumi.ResourceOptions(parent=self)
        out: dict[str, Any] = {
            "strategy": cutover.strategy,
            "hostname": cutover.hostname,
            "dns": {"cloud": cloud, "zone": cutover.dns.zone, "region": region},
            "monitoring": {"cloud": alarm_cloud, "region": alarm_region},
            "step": cutover.current_step,
            "steps": cutover.weights,
            "weights": {"source": cutover.source_weight, "target": cutover.target_weight},
            "endpoints": {"source": cutover.source_endpoint, "target": cutover.target_endpoint},
        }
        if cloud == "aws":
            from .cutover.aws import Route53WeightedCutover

            dns = Route53WeightedCutover(base, ctx, cutover, region=region, opts=child)
            weights = {"source": cutover.source_weight, "target": cutover.target_weight}
            out["records"] = {
                side: {"name": cutover.hostname, "set_identifier": side, "weight": weights[side], "id": record.id}
                for side, record in dns.records.items()
            }
            out["health_checks"] = {side: check.id for side, check in dns.health_checks.items()}
        elif cloud == "gcp":
            from .cutover.gcp import CloudDnsWeightedCutover

            assert self.gcp_project is not None
            record = CloudDnsWeightedCutover(base, ctx, cutover, project=self.gcp_project, opts=child)
            out["records"] = {
                "weighted": {"name": f"{cutover.hostname}.", "zone": cutover.dns.zone, "id": record.record.id}
            }
        else:
            from .cutover.azure import TrafficManagerCutover

            profile = TrafficManagerCutover(base, ctx, cutover, resource_group=self.azure_groups[region], opts=child)
            out["records"] = {"cname": cutover.hostname, "traffic_manager": f"{profile.dns_label}.trafficmanager.net"}
        out.update(self._alarms(f"{base}-alarms", alarm_cloud, alarm_region))
        return out

    def _alarms(self, name: str, cloud: str, region: str) -> dict[str, Any]:
        """The rollback alarms in the monitoring of the cloud and region where the target runs."""
        cutover = self.wave.cutover
        assert cutover is not None
        ctx = self.contexts[cloud]
        child = pulumi.ResourceOptions(parent=self)
        if cloud == "aws":
            from .cutover.aws import CloudWatchRollbackAlarms

            alarms = CloudWatchRollbackAlarms(name, ctx, cutover, region=region, opts=child)
            return {"alarms": {"error_rate": alarms.error_rate.arn, "p99_latency": alarms.latency.arn}}
        if cloud == "gcp":
            from .cutover.gcp import CloudMonitoringRollbackAlerts

            assert self.gcp_project is not None
            policies = CloudMonitoringRollbackAlerts(name, ctx, cutover, project=self.gcp_project, opts=child)
            return {"alarms": {"error_rate": policies.error_rate.name, "p99_latency": policies.latency.name}}
        from .cutover.azure import AzureMonitorRollbackAlerts

        alerts = AzureMonitorRollbackAlerts(
            name, ctx, cutover, region=region, resource_group=self.azure_groups[region], opts=child
        )
        return {
            "alarms": {"error_rate": alerts.error_rate.id, "p99_latency": alerts.latency.id},
            "telemetry": {"application_insights": alerts.insights.name},
        }
