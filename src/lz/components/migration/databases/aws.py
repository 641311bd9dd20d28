"""`lz:migration:AwsDmsReplication`: AWS Database Migration Service into an encrypted RDS instance.

In the target region of the foundation, on its data subnets:

- the target: an RDS instance of the source's engine and version, private, encrypted with the
  region's KMS key (storage and Performance Insights), TLS enforced by its parameter group
  (`rds.force_ssl` / `require_secure_transport`), deletion protection and a final snapshot outside
  test environments, logs exported to CloudWatch; its admin password is generated and kept in the
  state as a secret;
- a replication subnet group and a private replication instance (no public address) with the
  region's KMS key, in a security group that may reach only the source's port and the target;
- source and target endpoints with TLS (the source's certificate verified, `verify-full`, when the
  wave names its CA bundle; encrypted only, `require`, otherwise), the source password from a
  Pulumi secret, the connection attributes encrypted with the region's key;
- a replication task of the dataset's mode (`full-load-and-cdc` by default) over every schema and
  table, with validation on (row-by-row comparison of source and target) and task logs in
  CloudWatch. It is created stopped: the runbook starts it once the source has logical replication
  (PostgreSQL) or row-based binlogs (MySQL) on.

The account-wide `dms-vpc-role` that DMS needs to manage its network interfaces must exist (AWS
creates it with the first DMS resource made in the console; otherwise create it once per account).

What it does not do: schema conversion (heterogeneous migrations), or the source's settings.
"""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from lz.spec.wave import Database

from ..context import MigrationContext
from ..secrets import require_secret
from .common import ADMIN_USER, admin_password, host_cidr, replication_markers

DEFAULT_INSTANCE = "db.m6g.large"
REPLICATION_INSTANCE = "dms.c5.large"
MIGRATION_TYPES = {"full-load-and-cdc": "full-load-and-cdc", "full-load": "full-load", "cdc": "cdc"}


def parameter_family(engine: str, version: str) -> str:
    major = version.split(".")[0]
    return f"postgres{major}" if engine == "postgres" else f"mysql{version if '.' in version else version + '.0'}"


def table_mappings() -> str:
    return json.dumps(
        {
            "rules": [
                {
                    "rule-type": "selection",
                    "rule-id": "1",
                    "rule-name": "every-table",
                    "object-locator": {"schema-name": "%", "table-name": "%"},
                    "rule-action": "include",
                }
            ]
        },
        sort_keys=True,
    )


def task_settings() -> str:
    return json.dumps(
        {
            "Logging": {"EnableLogging": True},
            "ValidationSettings": {
                "EnableValidation": True,
                "ValidationMode": "ROW_LEVEL",
                "ThreadCount": 5,
                "FailureMaxCount": 10000,
            },
            "FullLoadSettings": {"TargetTablePrepMode": "DO_NOTHING"},
        },
        sort_keys=True,
    )


class AwsDmsReplication(pulumi.ComponentResource):
    """`lz:migration:AwsDmsReplication`: target RDS instance, DMS instance, endpoints and task."""

    target: aws.rds.Instance
    replication_instance: aws.dms.ReplicationInstance
    source_endpoint: aws.dms.Endpoint
    target_endpoint: aws.dms.Endpoint
    task: aws.dms.ReplicationTask

    def __init__(
        self,
        name: str,
        ctx: MigrationContext,
        database: Database,
        *,
        classification: str,
        random_provider: pulumi.ProviderResource,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:migration:AwsDmsReplication", name, None, opts)
        region = database.target.region
        key_arn = ctx.aws.region(region).kms_key_arn
        subnets = ctx.aws.region(region).data_subnet_ids
        vpc_id = ctx.aws.region(region).vpc_id
        port = database.port
        markers = replication_markers(database, classification)
        tags = ctx.tags_with({"data-classification": classification, "database": database.name})
        ident = ctx.physical(database.name, max_len=63)

        def child(data: bool = False, **kwargs: Any) -> pulumi.ResourceOptions:
            return ctx.opts(self, region=region, data=data, **kwargs)

        self.replication_sg = aws.ec2.SecurityGroup(
            f"{name}-dms-sg",
            name=ctx.physical(database.name, "dms"),
            description=f"DMS of wave {ctx.wave.name}: {database.name} source and target only",
            vpc_id=vpc_id,
            ingress=[],
            egress=[
                aws.ec2.SecurityGroupEgressArgs(
                    protocol="tcp",
                    from_port=port,
                    to_port=port,
                    cidr_blocks=[host_cidr(database.source.host) or "0.0.0.0/0"],
                    description=f"source {database.source.host}:{port}",
                ),
                aws.ec2.SecurityGroupEgressArgs(
                    protocol="tcp",
                    from_port=port,
                    to_port=port,
                    cidr_blocks=[ctx.aws.region(region).vpc_cidr],
                    description="target in this VPC",
                ),
            ],
            revoke_rules_on_delete=True,
            tags=tags,
            opts=child(),
        )
        self.target_sg = aws.ec2.SecurityGroup(
            f"{name}-db-sg",
            name=ctx.physical(database.name, "db"),
            description=f"Target database {database.name}: only DMS of wave {ctx.wave.name}",
            vpc_id=vpc_id,
            ingress=[
                aws.ec2.SecurityGroupIngressArgs(
                    protocol="tcp",
                    from_port=port,
                    to_port=port,
                    security_groups=[self.replication_sg.id],
                    description="DMS replication instance",
                )
            ],
            egress=[],
            revoke_rules_on_delete=True,
            tags=tags,
            opts=child(),
        )
        self.db_subnets = aws.rds.SubnetGroup(
            f"{name}-db-subnets",
            name=ident,
            description=f"data subnets of {region}",
            subnet_ids=subnets,
            tags=tags,
            opts=child(),
        )
        self.parameters = aws.rds.ParameterGroup(
            f"{name}-parameters",
            name=ident,
            family=parameter_family(database.engine, database.version),
            description=f"{database.name}: TLS only, logical replication",
            parameters=[aws.rds.ParameterGroupParameterArgs(name="rds.force_ssl", value="1")]
            if database.engine == "postgres"
            else [aws.rds.ParameterGroupParameterArgs(name="require_secure_transport", value="ON")],
            tags=tags,
            opts=child(),
        )
        password = admin_password(name, self, random_provider)
        self.target = aws.rds.Instance(
            f"{name}-target",
            identifier=ident,
            engine=database.engine,
            engine_version=database.version,
            instance_class=database.target.tier or DEFAULT_INSTANCE,
            allocated_storage=database.target.storage_gb,
            max_allocated_storage=database.target.storage_gb * 4,
            storage_type="gp3",
            storage_encrypted=True,
            kms_key_id=key_arn,
            db_name=database.source.database if database.engine == "postgres" else None,
            username=ADMIN_USER,
            password=password,
            db_subnet_group_name=self.db_subnets.name,
            vpc_security_group_ids=[self.target_sg.id],
            parameter_group_name=self.parameters.name,
            publicly_accessible=False,
            multi_az=ctx.env == "prod",
            iam_database_authentication_enabled=True,
            backup_retention_period=35 if ctx.env == "prod" else 7,
            copy_tags_to_snapshot=True,
            deletion_protection=ctx.protect,
            skip_final_snapshot=ctx.disposable,
            final_snapshot_identifier=None if ctx.disposable else f"{ident}-final",
            performance_insights_enabled=True,
            performance_insights_kms_key_id=key_arn,
            enabled_cloudwatch_logs_exports=["postgresql"] if database.engine == "postgres" else ["error"],
            auto_minor_version_upgrade=True,
            tags=tags,
            opts=child(data=True),
        )
        self.subnet_group = aws.dms.ReplicationSubnetGroup(
            f"{name}-dms-subnets",
            replication_subnet_group_id=ident,
            replication_subnet_group_description=f"data subnets of {region} for wave {ctx.wave.name}",
            subnet_ids=subnets,
            tags=tags,
            opts=child(),
        )
        self.replication_instance = aws.dms.ReplicationInstance(
            f"{name}-dms",
            replication_instance_id=ident,
            replication_instance_class=REPLICATION_INSTANCE,
            allocated_storage=100,
            kms_key_arn=key_arn,
            publicly_accessible=False,
            multi_az=ctx.env == "prod",
            replication_subnet_group_id=self.subnet_group.replication_subnet_group_id,
            vpc_security_group_ids=[self.replication_sg.id],
            auto_minor_version_upgrade=True,
            apply_immediately=True,
            tags=tags,
            opts=child(),
        )
        self.certificate = None
        if database.source.ca_certificate:
            self.certificate = aws.dms.Certificate(
                f"{name}-source-ca",
                certificate_id=f"{ident}-source-ca",
                certificate_pem=require_secret(database.source.ca_certificate),
                tags=tags,
                opts=child(),
            )
        self.source_endpoint = aws.dms.Endpoint(
            f"{name}-source",
            endpoint_id=f"{ident}-source",
            endpoint_type="source",
            engine_name=database.engine,
            server_name=database.source.host,
            port=port,
            database_name=database.source.database,
            username=database.source.username,
            password=require_secret(database.source.password_secret),
            # With the source's CA the server certificate and host name are verified, not only encrypted.
            ssl_mode="verify-full" if self.certificate is not None else "require",
            certificate_arn=self.certificate.certificate_arn if self.certificate is not None else None,
            kms_key_arn=key_arn,
            tags=ctx.tags_with(markers, database=database.name),
            opts=child(),
        )
        self.target_endpoint = aws.dms.Endpoint(
            f"{name}-target-endpoint",
            endpoint_id=f"{ident}-target",
            endpoint_type="target",
            engine_name=database.engine,
            server_name=self.target.address,
            port=port,
            database_name=database.source.database,
            username=ADMIN_USER,
            password=password,
            ssl_mode="require",
            kms_key_arn=key_arn,
            tags=tags,
            opts=child(),
        )
        self.task = aws.dms.ReplicationTask(
            f"{name}-task",
            replication_task_id=ident,
            migration_type=MIGRATION_TYPES[database.mode],
            replication_instance_arn=self.replication_instance.replication_instance_arn,
            source_endpoint_arn=self.source_endpoint.endpoint_arn,
            target_endpoint_arn=self.target_endpoint.endpoint_arn,
            table_mappings=table_mappings(),
            replication_task_settings=task_settings(),
            start_replication_task=False,
            tags=ctx.tags_with(markers, database=database.name),
            opts=child(),
        )
        self.register_outputs({"task_arn": self.task.replication_task_arn, "target": self.target.address})
