"""`runbook.md` for a wave: what will happen, step by step, with the commands and the checks.

`render_runbook(wave, foundation_spec, stack)` turns the wave spec into an ordered runbook: the
prerequisites at the sources, the bulk copy, the scheduled deltas, verification (checksums and
object counts, row counts), each canary (or blue/green) step with its rollback thresholds, the
final switch, and decommissioning. Every step has the exact command that performs it (advancing a
cutover step is `pulumi config set --path '<ns>:wave.cutover.current_step' N --stack S && pulumi up
--stack S`; rolling back is the same with the previous step) and the checks to run before moving on.
Names in the commands are the physical names the components create (`lz.components.migration.names`),
so they can be copied as they are.

The data is computed here; `lz/templates/runbook.md.j2` only lays it out. Deterministic: the same
wave gives the same text (no dates, no clock).

What it does not do: run anything, or know the state of a deployed wave (it documents what to
run and what to look at; `pulumi stack output` shows the deployed values).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2

from lz.core.mdsafe import code
from lz.spec.wave import Cutover, Database, Dataset, FoundationView, Wave, allowed_jurisdictions

TEMPLATE = "runbook.md.j2"
# Every value from the spec that lands in a shell command is quoted: a prefix like
# `datasets/$(curl ...|sh)/` stays one argument, never a command (`$(pulumi stack output ...)`
# substitutions are the runbook's own and are double-quoted whole).
q = shlex.quote


def _url(scheme: str, bucket: str, prefix: str | None, glob: str = "") -> str:
    """`s3://bucket/prefix` (or gs://), one shell word."""
    return q(f"{scheme}://{bucket}/{prefix or ''}{glob}")


def _output(kind: str, stack: str, name: str, field: str) -> str:
    """`"$(pulumi stack output KIND ... | jq -r '."NAME".FIELD')"`: a value of the deployed wave, one shell word."""
    query = f'."{name}".{field}'
    return f'"$(pulumi stack output {kind} --stack {q(stack)} --json | jq -r {q(query)})"'


@dataclass
class Item:
    """One dataset or database as the runbook tells it."""

    name: str
    kind: str  # "dataset" | "database"
    title: str
    service: str
    classification: str
    prerequisites: list[str] = field(default_factory=list)
    bulk: list[str] = field(default_factory=list)  # commands
    bulk_note: str = ""
    delta: str = ""
    delta_commands: list[str] = field(default_factory=list)
    verify_note: str = ""
    verify: list[str] = field(default_factory=list)
    final: list[str] = field(default_factory=list)
    decommission_note: str = ""
    decommission: list[str] = field(default_factory=list)  # commands


@dataclass
class Step:
    index: int
    target: int
    source: int
    current: bool
    command: str
    rollback: str | None
    checks: list[str]


def _view(foundation: Any) -> FoundationView:
    return FoundationView.of(foundation)


class _Names:
    def __init__(self, wave: Wave, foundation: FoundationView) -> None:
        from lz.components.migration import names  # noqa: PLC0415 - the project's naming, shared with the components

        self.n = names
        self.org = foundation.organization
        self.env = wave.environment or foundation.environment
        self.wave = wave.name

    def physical(self, *parts: str) -> str:
        return str(self.n.physical(self.org, self.env, self.wave, *parts))

    def __getattr__(self, item: str) -> Any:
        function = getattr(self.n, item)
        return lambda *args: function(self.org, self.env, self.wave, *args)


def _dataset(d: Dataset, names: _Names, foundation_outputs: str, stack: str) -> Item:
    src, tgt = d.source, d.target
    where = f"{src.cloud} {src.region} {code(src.bucket)}" + (f" (prefix {code(src.prefix)})" if src.prefix else "")
    item = Item(
        name=d.name,
        kind="dataset",
        title=f"{where} -> {tgt.cloud} {tgt.region}",
        service="",
        classification=d.classification,
    )
    schedule = d.parsed_schedule.describe()
    secret = src.credentials.secret
    if secret:
        item.prerequisites.append(
            f"Store the source credential as a Pulumi secret: `pulumi config set --secret "
            f"{q(secret)} '<value>' --stack {q(stack)}` (never in the wave itself)."
        )
    if tgt.cloud == "gcp":
        bucket = names.bucket(d.name, tgt.region)
        job = names.transfer_job(d.name)
        item.service = "Storage Transfer Service"
        if src.cloud == "aws" and src.credentials.role_arn:
            item.prerequisites.append(
                f"The IAM role `{src.credentials.role_arn}` trusts `accounts.google.com` for the project's Storage "
                "Transfer Service agent (`gcloud transfer authorize --add-missing` prints it; condition "
                "`accounts.google.com:sub` = its subject id) and may `s3:ListBucket` and `s3:GetObject` on "
                f"`{src.bucket}`."
            )
        elif src.cloud == "aws":
            item.prerequisites.append(
                f'The secret holds `{{"access_key_id": ..., "secret_access_key": ...}}` '
                f"of a key that may `s3:ListBucket` and `s3:GetObject` on `{src.bucket}`."
            )
        elif src.cloud == "azure" and src.credentials.client_id:
            item.prerequisites.append(
                f"The app registration `{src.credentials.client_id}` has a federated credential for the Storage "
                f"Transfer Service agent and `Storage Blob Data Reader` on `{src.bucket}`."
            )
        elif src.cloud == "azure":
            item.prerequisites.append(
                f'The secret holds `{{"sas_token": "..."}}` with read and list rights on `{src.bucket}`.'
            )
        else:
            item.prerequisites.append(
                f"The project's Storage Transfer Service agent may read `gs://{src.bucket}` "
                "(`roles/storage.objectViewer` and `roles/storage.legacyBucketReader`)."
            )
        item.bulk_note = "The job's first run copies everything; start it now instead of waiting for the schedule."
        item.bulk = [f"gcloud transfer jobs run {q(job)} --project {foundation_outputs}"]
        item.delta = (
            f"The job runs {schedule} from the wave's start date and copies only new or changed objects "
            f"(`overwrite_when: DIFFERENT`); deletes at the source {_deletes(d)}."
        )
        item.delta_commands = [f"gcloud transfer operations list --job-names={q(job)} --project {foundation_outputs}"]
        item.verify_note = (
            "Storage Transfer Service checks every copied object against its source checksum "
            "(CRC32C or MD5); failures are listed in the operation and in Cloud Logging."
        )
        item.verify = [
            _count_source(d),
            f"gcloud storage ls --recursive {_url('gs', bucket, src.prefix, '**')} | wc -l",
        ]
        item.final = [f"gcloud transfer jobs update {q(job)} --status=disabled --project {foundation_outputs}"]
        item.decommission_note = "Delete the job (or remove the dataset from the wave and `pulumi up`)."
        item.decommission = [f"gcloud transfer jobs delete {q(job)} --project {foundation_outputs}"]
    elif tgt.cloud == "aws":
        bucket = names.bucket(d.name, tgt.region)
        task = _output("datasets", stack, d.name, "job")
        item.service = "AWS DataSync"
        if src.cloud == "aws":
            item.prerequisites.append(
                f"The source bucket `{src.bucket}` allows the role `{names.physical(d.name, 'datasync')}` "
                "(`s3:ListBucket`, `s3:GetObject*`) in its bucket policy."
            )
        else:
            item.prerequisites.append(
                f"The DataSync agent(s) {', '.join(f'`{a}`' for a in d.agent_arns)} are "
                f"activated in {tgt.region} and reach the source."
            )
        item.bulk_note = "The task's first execution copies everything."
        item.bulk = [f"aws datasync start-task-execution --region {q(tgt.region)} --task-arn {task}"]
        item.delta = (
            f"The task runs {schedule} and transfers only what changed (`transfer_mode: CHANGED`); "
            f"deletes at the source {_deletes(d)}."
        )
        item.delta_commands = [f"aws datasync list-task-executions --region {q(tgt.region)} --task-arn {task}"]
        item.verify_note = (
            "DataSync verifies the checksums of what it transferred (`verify_mode: "
            f"{'ONLY_FILES_TRANSFERRED' if d.verify else 'NONE'}`); see the execution's "
            "`VerifyStatus` and the task's CloudWatch log group."
        )
        item.verify = [
            _count_source(d),
            f"aws s3 ls {_url('s3', bucket, src.prefix)} --recursive --summarize | tail -2",
        ]
        item.final = [
            f"aws datasync update-task --region {q(tgt.region)} --task-arn {task} "
            '--schedule \'{"ScheduleExpression":"","Status":"DISABLED"}\''
        ]
        item.decommission_note = "Delete the task (or remove the dataset from the wave and `pulumi up`)."
        item.decommission = [f"aws datasync delete-task --region {q(tgt.region)} --task-arn {task}"]
    else:
        group = names.azure_resource_group(tgt.region)
        factory = names.data_factory(tgt.region)
        pipeline = names.n.adf_pipeline(names.wave, d.name)
        trigger = names.n.adf_trigger(names.wave, d.name)
        account = names.storage_account(d.name, tgt.region)
        item.service = "Azure Data Factory"
        if src.cloud in ("aws", "gcp"):
            item.prerequisites.append(
                'The secret holds `{"access_key_id": ..., "secret_access_key": ...}` of '
                f"a key that may list and read `{src.bucket}`."
            )
        elif src.credentials.kind == "secret":
            item.prerequisites.append(f"The secret holds a SAS URL with read and list rights on `{src.bucket}`.")
        else:
            item.prerequisites.append(
                f"The factory `{factory}`'s managed identity has `Storage Blob Data Reader` on `{src.bucket}`."
            )
        item.bulk_note = (
            "The bulk copy is one pipeline run with `since` at its default (the epoch): everything is copied."
        )
        item.bulk = [
            f"az datafactory pipeline create-run --resource-group {q(group)} --factory-name {q(factory)} "
            f"--name {q(pipeline)}"
        ]
        item.delta = (
            f"Triggers are created stopped: start `{trigger}` after the bulk copy. It runs {schedule} "
            "and copies what changed in the last two intervals; nothing is ever deleted in the "
            "target (additive copies)."
        )
        item.delta_commands = [
            f"az datafactory trigger start --resource-group {q(group)} --factory-name {q(factory)} --name {q(trigger)}"
        ]
        item.verify_note = (
            "Each copy validates sizes and checksums of what it copied (`validateDataConsistency: "
            f"{str(d.verify).lower()}`); see the activity run's output."
        )
        item.verify = [
            _count_source(d),
            f"az storage blob list --auth-mode login --account-name {q(account)} --container-name "
            f"{q(d.name)} --prefix {q(src.prefix or '')} --num-results '*' --query 'length(@)'",
        ]
        item.final = [
            f"az datafactory trigger stop --resource-group {q(group)} --factory-name {q(factory)} --name {q(trigger)}"
        ]
        item.decommission_note = (
            "Remove the dataset from the wave and `pulumi up`: the pipeline and trigger go, "
            "the target account stays (it is protected)."
        )
    return item


def _deletes(d: Dataset) -> str:
    return (
        "are propagated to the target (`delete_propagation: true`)"
        if d.delete_propagation
        else "stay in the target (`delete_propagation: false`)"
    )


def _count_source(d: Dataset) -> str:
    src = d.source
    if src.cloud == "aws":
        return f"aws s3 ls {_url('s3', src.bucket, src.prefix)} --recursive --summarize | tail -2  # source"
    if src.cloud == "gcp":
        return f"gcloud storage ls --recursive {_url('gs', src.bucket, src.prefix, '**')} | wc -l  # source"
    return (
        f"az storage blob list --auth-mode login --account-name {q(src.account)} --container-name "
        f"{q(src.container)} --prefix {q(src.prefix or '')} --num-results '*' --query 'length(@)'  # source"
    )


def _database(db: Database, names: _Names, project: str, stack: str, classification: str) -> Item:
    tgt = db.target
    item = Item(
        name=db.name,
        kind="database",
        classification=classification,
        service="",
        title=f"{db.engine} {db.version} `{db.source.database}` on {db.source.cloud} {db.source.region} -> "
        f"{tgt.cloud} {tgt.region} ({db.mode})",
    )
    item.prerequisites.append(
        f"Store the source password: `pulumi config set --secret {q(db.source.password_secret)} "
        f"'<password>' --stack {q(stack)}`."
    )
    if db.engine == "postgres":
        item.prerequisites.append(
            "On the source: `wal_level = logical` (RDS: `rds.logical_replication = 1`), "
            f"the user `{db.source.username}` has REPLICATION (RDS: `rds_replication`) and "
            "SELECT on every table, every table has a primary key."
        )
    else:
        item.prerequisites.append(
            "On the source: `binlog_format = ROW`, `binlog_row_image = FULL`, binary log "
            f"retention of at least 24 hours, the user `{db.source.username}` has REPLICATION "
            "SLAVE and REPLICATION CLIENT."
        )
    task = _output("databases", stack, db.name, "task")
    count = (
        "SELECT schemaname, relname, n_live_tup FROM pg_stat_user_tables ORDER BY 1, 2;"
        if db.engine == "postgres"
        else "SELECT table_schema, table_name, table_rows FROM information_schema.tables "
        "WHERE table_schema NOT IN ('mysql','sys','information_schema','performance_schema');"
    )
    if tgt.cloud == "aws":
        item.service = "AWS DMS"
        item.bulk_note = "The replication task is created stopped; starting it runs the full load, then CDC."
        item.bulk = [
            f"aws dms start-replication-task --region {tgt.region} --replication-task-arn {task} "
            "--start-replication-task-type start-replication"
        ]
        item.delta = "Change data capture keeps the target in sync until the final switch."
        item.delta_commands = [
            f"aws dms describe-replication-tasks --region {tgt.region} --filters "
            f"Name=replication-task-arn,Values={task}"
        ]
        item.verify_note = (
            "DMS validates every row of every table (`ValidationSettings.EnableValidation`): "
            "every table must reach `Validated`."
        )
        item.verify = [
            f"aws dms describe-table-statistics --region {tgt.region} --replication-task-arn {task} "
            "--query 'TableStatistics[].[TableName,FullLoadRows,ValidationState]'"
        ]
        item.final = [f"aws dms stop-replication-task --region {tgt.region} --replication-task-arn {task}"]
        item.decommission_note = (
            "Remove the database from the wave and `pulumi up`: the task, endpoints and "
            "replication instance go; the RDS instance is protected."
        )
    elif tgt.cloud == "gcp":
        job = names.physical(db.name)
        item.service = "Database Migration Service"
        item.bulk_note = "Starting the job dumps the source, restores it into Cloud SQL, then replicates changes."
        item.bulk = [
            f"gcloud database-migration migration-jobs verify {job} --region {tgt.region} --project {project}",
            f"gcloud database-migration migration-jobs start {job} --region {tgt.region} --project {project}",
        ]
        item.delta = (
            "The job stays in CDC (`CONTINUOUS`) until it is promoted."
            if db.mode == "full-load-and-cdc"
            else "A one-time job: no changes are replicated after the dump."
        )
        item.delta_commands = [
            f"gcloud database-migration migration-jobs describe {job} --region {tgt.region} --project {project}"
        ]
        item.verify_note = (
            "Compare row counts per table on both sides: they must match once the replication "
            "delay of the job is near zero."
        )
        item.verify = [f"{count}  -- on the source and on the Cloud SQL instance"]
        item.final = [
            f"gcloud database-migration migration-jobs promote {job} --region {tgt.region} --project {project}"
        ]
        item.decommission_note = (
            "Remove the database from the wave and `pulumi up`: the migration job and the "
            "source connection profile go; the promoted Cloud SQL instance stays."
        )
    else:
        group = names.azure_resource_group(tgt.region)
        service = names.azure_dms_service(tgt.region)
        dms_project = names.azure_dms_project(db.name)
        dms_task = names.azure_dms_task(db.name)
        item.service = "Azure Database Migration Service"
        item.prerequisites.append(
            "The private DNS zone of the flexible server (`privatelink.postgres.database."
            "azure.com` or `privatelink.mysql.database.azure.com`) resolves inside the hub "
            "VNet."
        )
        item.bulk_note = "The online task starts when it is created: full load, then continuous sync."
        item.bulk = [
            f"az dms project task show --resource-group {group} --service-name {service} "
            f"--project-name {dms_project} --name {dms_task} --expand output"
        ]
        item.delta = "The online task keeps syncing changes until cutover."
        item.delta_commands = list(item.bulk)
        item.verify_note = (
            "Compare row counts per table on both sides (the task output lists the rows it "
            "loaded and applied per table): they must match once the sync has caught up."
        )
        item.verify = [f"{count}  -- on the source and on the flexible server"]
        item.final = [
            f"az dms project task cutover --resource-group {q(group)} --service-name {q(service)} "
            f"--project-name {q(dms_project)} --name {q(dms_task)} --object-name {q(db.source.database)}"
        ]
        item.decommission_note = (
            "Remove the database from the wave and `pulumi up`: the task, project and "
            "migration service go; the flexible server is protected."
        )
    return item


def _steps(cutover: Cutover, stack: str, namespace: str, status: str) -> list[Step]:
    weights = cutover.weights
    out = []
    r = cutover.rollback
    for i, target in enumerate(weights):
        checks = [
            f"error rate of `{cutover.target_endpoint}` at most {r.max_error_rate:.2%} over "
            f"{r.evaluation_minutes} minutes (the `error-rate` alarm is not firing)",
            f"its p99 latency at most {r.max_p99_latency_ms} ms over {r.evaluation_minutes} minutes "
            "(the `p99-latency` alarm is not firing)",
            f"`dig +short {cutover.hostname} CNAME` answers both endpoints in about "
            f"{100 - target}:{target} (after the 60 s TTL)",
        ]
        if target == 100:
            checks[2] = f"`dig +short {cutover.hostname} CNAME` answers only `{cutover.target_endpoint}`"
        elif target == 0:
            checks[2] = f"`dig +short {cutover.hostname} CNAME` answers only `{cutover.source_endpoint}`"
        checks.append(f"no alarm firing: `{status}`")
        out.append(
            Step(
                index=i,
                target=target,
                source=100 - target,
                current=i == cutover.current_step,
                command=step_command(i, stack, namespace),
                rollback=step_command(i - 1, stack, namespace) if i > 0 else None,
                checks=checks,
            )
        )
    return out


def route53_adoption(cutover: Cutover) -> list[str]:
    """Route 53 refuses weighted records for a name that has a simple record of the same type
    (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-weighted.html): the
    commands that show such a record and turn it, in one atomic change batch, into the weighted
    `source` record the stack manages (which it then adopts: it is created with allowOverwrite).
    Host names and endpoints are DNS names (validated by the spec), so they are safe in quotes."""
    if cutover.dns.cloud != "aws":
        return []
    zone, host = cutover.dns.zone, cutover.hostname.rstrip(".")
    batch = (
        '{"Changes": [{"Action": "DELETE", "ResourceRecordSet": <the simple record listed above>}, '
        '{"Action": "CREATE", "ResourceRecordSet": {"Name": "' + host + '", "Type": "CNAME", '
        '"SetIdentifier": "source", "Weight": 100, "TTL": 60, "ResourceRecords": [{"Value": "'
        + cutover.source_endpoint
        + '"}]}}]}'
    )
    return [
        f"aws route53 list-resource-record-sets --hosted-zone-id {zone} "
        f"--query \"ResourceRecordSets[?Name == '{host}.' && SetIdentifier == null]\"",
        f"aws route53 change-resource-record-sets --hosted-zone-id {zone} --change-batch '{batch}'",
    ]


# Where to look for the rollback alarms, per cloud that holds them.
ALARM_CONSOLES = {
    "aws": "CloudWatch alarms",
    "gcp": "Cloud Monitoring alert policies (Monitoring > Alerting)",
    "azure": "Azure Monitor log search alert rules",
}


def common_prefix(names: list[str]) -> str:
    """The rollback alarms' shared name prefix (`acme-dev-wave-1-rollback-`), a safe display-name filter."""
    prefix = names[0] if names else ""
    for name in names[1:]:
        while not name.startswith(prefix):
            prefix = prefix[:-1]
    return prefix


def alarm_status_command(cloud: str, alarms: dict[str, str], region: str, project: str, resource_group: str) -> str:
    """The command that shows whether a rollback alarm is firing, in the cloud where the target runs."""
    if cloud == "aws":
        return (
            f"aws cloudwatch describe-alarms --region {region} --alarm-names {' '.join(alarms.values())} "
            "--query 'MetricAlarms[].[AlarmName,StateValue]' --output text"
        )
    if cloud == "gcp":
        prefix = common_prefix(list(alarms.values()))
        return (
            f"gcloud monitoring policies list --project {project} "
            f"--filter='displayName~\"{prefix}\"' --format='table(displayName,enabled)' && "
            f"gcloud alpha monitoring incidents list --project {project} 2>/dev/null || true"
        )
    names = ", ".join(f"'{a}'" for a in alarms.values())
    return (
        'az graph query -q "alertsmanagementresources | where properties.essentials.monitorCondition == '
        f"'Fired' | where tostring(properties.essentials.alertRule) has_any ({names}) | project name, "
        f'properties.essentials.severity"  # resource group {resource_group}'
    )


def step_command(step: int, stack: str, namespace: str = "landing-zone") -> str:
    """The command that sets the cutover to `step` (advance or roll back) and applies it."""
    return (
        f"pulumi config set --path {q(namespace + ':wave.cutover.current_step')} {step} --stack {q(stack)} "
        f"&& pulumi up --stack {q(stack)}"
    )


def rollback_all_command(stack: str, namespace: str = "landing-zone") -> str:
    """The command that sends all traffic back to the source (0 % to the target) and applies it."""
    return (
        f"pulumi config set --path {shlex.quote(namespace + ':wave.cutover.rolled_back')} true "
        f"--stack {shlex.quote(stack)} && pulumi up --stack {shlex.quote(stack)}"
    )


def resume_command(stack: str, namespace: str = "landing-zone") -> str:
    """After a full rollback: the steps apply again from `current_step`."""
    return (
        f"pulumi config set --path {shlex.quote(namespace + ':wave.cutover.rolled_back')} false "
        f"--stack {shlex.quote(stack)}"
    )


def _metrics_source(cloud: str) -> str:
    from lz.components.migration.cutover import metrics  # noqa: PLC0415 - the metric contract, stated once

    return metrics.WHERE[cloud]


def render_runbook(wave: Wave, foundation_spec: Any, stack: str, *, namespace: str = "landing-zone") -> str:
    """The runbook of `wave` (stack `stack`) on the foundation `foundation_spec` (a LandingZone, or the
    foundation's `spec` output)."""
    foundation = _view(foundation_spec)
    names = _Names(wave, foundation)
    environment = wave.environment or foundation.environment
    project = _gcp_project(foundation_spec)
    items = [_dataset(d, names, project, stack) for d in wave.datasets]
    items += [
        _database(db, names, project, stack, db.classification or foundation.classification) for db in wave.databases
    ]
    cutover = wave.cutover
    steps: list[Step] = []
    alarms: dict[str, str] = {}
    region = None
    alarm_cloud = None
    if cutover is not None:
        # The alarms live where the target runs (its telemetry lands there), the records in the DNS cloud.
        if cutover.target is not None:
            alarm_cloud, region = cutover.target.cloud, cutover.target.region
        else:
            alarm_cloud = cutover.dns.cloud
            region = cutover.dns.region or foundation.clouds.get(cutover.dns.cloud, [""])[0]
        alarms = {signal: names.alarm(signal) for signal in ("error-rate", "p99-latency")}
        status = alarm_status_command(
            alarm_cloud, alarms, region, project, names.azure_resource_group(region) if alarm_cloud == "azure" else ""
        )
        steps = _steps(cutover, stack, namespace, status)
    residency = {
        c: ("anywhere" if allowed_jurisdictions(c, foundation.residency) is None else foundation.residency)
        for c in ("public", "internal", "confidential", "restricted")
    }
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("lz", "templates"),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    text = env.get_template(TEMPLATE).render(
        wave=wave,
        stack=stack,
        namespace=namespace,
        foundation=foundation,
        environment=environment,
        datasets=[i for i in items if i.kind == "dataset"],
        databases=[i for i in items if i.kind == "database"],
        items=items,
        cutover=cutover,
        steps=steps,
        alarms=alarms,
        alarm_region=region,
        alarm_cloud=alarm_cloud,
        alarm_console=ALARM_CONSOLES.get(alarm_cloud or "", ""),
        metrics=_metrics_source(alarm_cloud) if alarm_cloud is not None else "",
        residency=residency,
        dns_adoption=route53_adoption(cutover) if cutover is not None else [],
        rollback_all=rollback_all_command(stack, namespace),
        resume=resume_command(stack, namespace),
        disposable=environment == "test",
    )
    # The template's conditional blocks leave runs of blank lines; Markdown needs one.
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"


def _gcp_project(foundation_spec: Any) -> str:
    """The foundation's GCP project id (a LandingZone knows it; the `spec` output does not)."""
    clouds = getattr(foundation_spec, "clouds", None)
    gcp = getattr(clouds, "gcp", None) if clouds is not None and not isinstance(clouds, Mapping) else None
    if gcp is not None:
        return str(gcp.project)
    return "$(pulumi stack output foundation --stack <foundation> --json | jq -r .gcp.project)"
