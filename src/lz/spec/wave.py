"""The `wave` key of a wave stack: datasets, databases and a cutover, validated like the foundation.

A wave names what moves (object-storage datasets and databases), from where, to which of the
foundation's regions, on what schedule, and how traffic is switched over. This module validates
the shape (`load_wave`) and, separately, the rules that need the foundation the wave builds on
(`check_against_foundation`): the target cloud is enabled and the target region is one of its
regions, and the data's classification allows the places it goes to. Residency follows the data:

- `public` data may go anywhere the foundation reaches;
- `internal`, `confidential` and `restricted` data may only land in the foundation's residency;
- `restricted` data must also come from inside it (it may never have been outside).

Secrets are never written into a wave: a credential or password is named by the config key that
holds it as a Pulumi secret (`pulumi config set --secret KEY`), and a value that looks like a
credential instead of a key is refused.

What it deliberately does not do: build resources (components/migration), read a foundation's
outputs (lz.programs.wave), or decide policy (policies/residency_transfers.py checks the graph).
"""

from __future__ import annotations

import datetime
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from lz.core import labels, regions
from lz.core.errors import InputError
from lz.spec.base import SpecError, StrictModel, key_path

if typing.TYPE_CHECKING:
    from lz.spec.foundation import LandingZone

Classification = Literal["public", "internal", "confidential", "restricted"]
CloudName = Literal["aws", "gcp", "azure"]
Environment = Literal["dev", "test", "staging", "prod"]
CLASSIFICATIONS: tuple[str, ...] = ("public", "internal", "confidential", "restricted")

WAVE_KEY = "wave"
NAME_PATTERN = r"^[a-z][a-z0-9-]{0,18}[a-z0-9]$"  # short: it is part of length-limited physical names
STACK_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"
# A config key, optionally namespaced (`landing-zone:wave1-s3-keys` or `wave1-s3-keys`).
CONFIG_KEY_RE = re.compile(r"^(?:[a-z0-9][a-z0-9_-]*:)?[A-Za-z][A-Za-z0-9_.-]{0,127}$")
DNS_NAME_RE = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
S3_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
GCS_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$")
AZURE_CONTAINER_RE = re.compile(r"^[a-z0-9]{3,24}/[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$")
AWS_ROLE_ARN_RE = re.compile(r"^arn:aws(?:-cn|-us-gov)?:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
DATASYNC_AGENT_ARN_RE = re.compile(r"^arn:aws(?:-cn|-us-gov)?:datasync:[a-z0-9-]+:\d{12}:agent/agent-[0-9a-z]{17}$")
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

# Shapes that give away a credential pasted where a config key belongs.
_CREDENTIAL_SHAPES = (
    re.compile(r"^(AKIA|ASIA)[A-Z0-9]{12,}$"),  # AWS access key id
    re.compile(r"^GOOG[A-Z0-9]{10,}$"),  # GCS HMAC access id
    re.compile(r"(^|[?&])(sig|sv|se|sp)="),  # Azure SAS token
    re.compile(r"-----BEGIN"),
    re.compile(r"^[A-Za-z0-9+/]{30,}={0,2}$"),  # long base64 material
)

# Schedules: the keywords, and the cron shapes every managed transfer service can run.
SCHEDULE_KEYWORDS = {"hourly": "0 * * * *", "daily": "0 2 * * *", "weekly": "0 2 * * 0"}
DEFAULT_START_DATE = datetime.date(2025, 1, 1)
DEFAULT_STEPS = {"canary": [5, 25, 50, 100], "blue-green": [0, 100]}
DEFAULT_PORTS = {"postgres": 5432, "mysql": 3306}


@dataclass(frozen=True)
class Schedule:
    """A schedule every managed transfer service can run: every `every_hours` hours at `minute`, or
    once a day (`every_hours` 24) at `hour:minute`, or once a week on `weekday` (0 = Sunday)."""

    cron: str
    every_hours: int
    minute: int
    hour: int = 0
    weekday: int | None = None

    @property
    def interval_seconds(self) -> int:
        return self.every_hours * 3600

    def describe(self) -> str:
        days = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
        if self.weekday is not None:
            return f"weekly on {days[self.weekday]} at {self.hour:02d}:{self.minute:02d} UTC"
        if self.every_hours == 24:
            return f"daily at {self.hour:02d}:{self.minute:02d} UTC"
        if self.every_hours == 1:
            return f"hourly at minute {self.minute}"
        return f"every {self.every_hours} hours at minute {self.minute} (from 00:{self.minute:02d} UTC)"


def _field(text: str, low: int, high: int) -> int | None:
    return int(text) if text.isdigit() and low <= int(text) <= high else None


def parse_schedule(value: str) -> Schedule:
    """`hourly`, `daily`, `weekly` or a 5-field cron of a shape with a fixed repeat interval.

    Storage Transfer Service repeats at a fixed interval from a start time, so only crons that mean
    one (`M * * * *`, `M */N * * *`, `M H * * *`, `M H * * D`) can run on all three clouds alike.
    """
    cron = SCHEDULE_KEYWORDS.get(value, value)
    fields = cron.split()
    shapes = "`M * * * *`, `M */N * * *` (N from 1 to 23), `M H * * *` or `M H * * D`"
    if len(fields) != 5:
        raise ValueError(f"{value!r} is neither hourly, daily, weekly nor a 5-field cron expression")
    minute_text, hour_text, dom, month, dow = fields
    minute = _field(minute_text, 0, 59)
    if minute is None or dom != "*" or month != "*":
        raise ValueError(f"cron {value!r} has no fixed repeat interval; use {shapes} (times in UTC)")
    if hour_text == "*" and dow == "*":
        return Schedule(cron, 1, minute)
    step = re.fullmatch(r"\*/(\d{1,2})", hour_text)
    if step and dow == "*":
        every = int(step.group(1))
        if 1 <= every <= 23:
            return Schedule(cron, every, minute)
        raise ValueError(f"cron {value!r}: the hour step must be 1 to 23")
    hour = _field(hour_text, 0, 23)
    if hour is not None and dow == "*":
        return Schedule(cron, 24, minute, hour)
    weekday = _field(dow, 0, 7)
    if hour is not None and weekday is not None:
        return Schedule(cron, 24 * 7, minute, hour, weekday % 7)
    raise ValueError(f"cron {value!r} has no fixed repeat interval; use {shapes} (times in UTC)")


def _config_key(value: str, what: str) -> str:
    for shape in _CREDENTIAL_SHAPES:
        if shape.search(value):
            raise ValueError(
                f"this looks like a {what} itself, not the config key that holds it: store it "
                "with `pulumi config set --secret <key> ...` and name <key> here"
            )
    if not CONFIG_KEY_RE.match(value):
        # The value is not repeated: a secret pasted where its key name belongs must not reach logs.
        raise ValueError(
            "not a config key (letters, digits, '_', '.', '-', optionally namespaced like "
            "`landing-zone:wave1-s3-keys`) naming a Pulumi secret"
        )
    return value


# --- places ------------------------------------------------------------------------------------


class Place(StrictModel):
    """A cloud and one of its regions."""

    cloud: CloudName
    """`aws`, `gcp` or `azure`."""
    region: str
    """A region of that cloud, as the region catalog names it."""

    @model_validator(mode="after")
    def _region_exists(self) -> Place:
        if not regions.is_region(self.cloud, self.region):
            hint = regions.suggest(self.cloud, self.region)
            did_you_mean = f"; did you mean {' or '.join(hint)}?" if hint else ""
            raise SpecError(("region",), f"{self.region!r} is not a {self.cloud.upper()} region{did_you_mean}")
        return self

    @property
    def jurisdiction(self) -> str | None:
        return regions.jurisdiction_of(self.cloud, self.region)

    @property
    def marker(self) -> str:
        """`aws_eu-west-1`: a place as a tag or label value valid on every cloud."""
        return f"{self.cloud}_{self.region}"


# --- datasets ----------------------------------------------------------------------------------


class Credentials(StrictModel):
    """How the transfer service reads the source: a federated identity, or a Pulumi secret."""

    kind: Literal["workload-identity", "secret"] = "workload-identity"
    """`workload-identity` (federation, nothing stored) or `secret` (a credential held in a Pulumi secret config
    key). Which one a pair needs depends on the transfer service (Storage Transfer Service, DataSync, Azure Data
    Factory); errors say which."""
    secret: str | None = None  # config key holding the credential as a Pulumi secret
    """With `kind: secret`: the config key that holds the credential (access key pair, HMAC key, SAS token) as a
    Pulumi secret; never the credential itself."""
    role_arn: str | None = None  # S3 source: the IAM role the target's transfer service assumes
    """With workload identity on an S3 source read from GCP: the IAM role the target's transfer service assumes
    through web identity federation."""
    client_id: str | None = None  # Azure source: the federated app registration (client) id
    """With workload identity on an Azure source: the federated app registration's client id (a GUID); needs
    `tenant_id`."""
    tenant_id: str | None = None  # Azure source: its Entra ID tenant
    """With workload identity on an Azure source: the Entra ID tenant (a GUID) of `client_id`."""

    @field_validator("secret")
    @classmethod
    def _secret_key(cls, value: str | None) -> str | None:
        return None if value is None else _config_key(value, "credential")

    @field_validator("role_arn")
    @classmethod
    def _role(cls, value: str | None) -> str | None:
        if value is not None and not AWS_ROLE_ARN_RE.match(value):
            raise ValueError(f"{value!r} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)")
        return value

    @field_validator("client_id", "tenant_id")
    @classmethod
    def _uuid(cls, value: str | None) -> str | None:
        if value is not None and not UUID_RE.match(value):
            raise ValueError(f"{value!r} is not a GUID")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Credentials:
        federated = [k for k in ("role_arn", "client_id", "tenant_id") if getattr(self, k) is not None]
        if self.kind == "secret":
            if self.secret is None:
                raise SpecError(
                    ("secret",),
                    "kind `secret` needs `secret`: the config key that holds the credential as a Pulumi secret",
                )
            if federated:
                raise SpecError((federated[0],), "only for kind `workload-identity`")
        elif self.secret is not None:
            raise SpecError(("secret",), "only for kind `secret` (workload identity needs no stored credential)")
        if (self.client_id is None) != (self.tenant_id is None):
            missing = "tenant_id" if self.tenant_id is None else "client_id"
            raise SpecError((missing,), "an Azure federated identity needs both client_id and tenant_id")
        return self


class DatasetSource(Place):
    """Where a dataset is read from: a bucket (or Azure container) in a cloud and region."""

    bucket: str  # S3 or GCS bucket name; Azure "<storage account>/<container>"
    """The S3 or GCS bucket name; on Azure `<storage account>/<container>`."""
    prefix: str | None = Field(default=None, min_length=1, max_length=1024)
    """Copy only objects under this folder path (`exports/2024/`: no leading '/', ending in '/'); default the whole
    bucket."""
    credentials: Credentials = Credentials()
    """How the transfer service reads the source; default workload identity."""

    @model_validator(mode="after")
    def _bucket_shape(self) -> DatasetSource:
        pattern, what = {
            "aws": (S3_BUCKET_RE, "an S3 bucket name"),
            "gcp": (GCS_BUCKET_RE, "a GCS bucket name"),
            "azure": (AZURE_CONTAINER_RE, '"<storage account>/<container>"'),
        }[self.cloud]
        if not pattern.match(self.bucket):
            raise SpecError(("bucket",), f"{self.bucket!r} is not {what}")
        if self.prefix is not None and (self.prefix.startswith("/") or not self.prefix.endswith("/")):
            raise SpecError(
                ("prefix",), "a prefix is a folder path like `exports/2024/`: no leading '/', ending in '/'"
            )
        return self

    @property
    def account(self) -> str:
        return self.bucket.split("/", 1)[0]

    @property
    def container(self) -> str:
        return self.bucket.split("/", 1)[-1]


class DatasetTarget(Place):
    """Where a dataset lands: a region of one of the foundation's clouds (the wave creates the bucket)."""


class Dataset(StrictModel):
    """An object-storage copy from a source bucket into a new bucket of the foundation, on a schedule."""

    name: str = Field(pattern=NAME_PATTERN)
    """Dataset name, `[a-z][a-z0-9-]{0,18}[a-z0-9]`, unique in the wave; part of physical names."""
    classification: Classification
    """The data's classification (public, internal, confidential, restricted): anything but public may only land in
    the foundation's residency; restricted data must also come from inside it."""
    source: DatasetSource
    """The bucket the data is read from."""
    target: DatasetTarget
    """The cloud and region it lands in: an enabled cloud of the foundation and one of its regions."""
    schedule: str = "daily"
    """When the transfer runs: `hourly`, `daily` (at 02:00), `weekly` (Sundays at 02:00) or a 5-field cron with a
    fixed repeat interval every transfer service can run."""
    # What the bulk copy moves and how fast the source changes afterwards (cost and transfer-time estimates).
    size_gb: float | None = Field(default=None, gt=0, le=100_000_000)
    """Size of the bulk copy in GB; feeds the egress cost and transfer-time estimates (none: not estimated)."""
    change_pct_per_month: float | None = Field(default=None, ge=0, le=100)
    """Percent of the data (0 to 100) that changes per month after the bulk copy; feeds the ongoing egress estimate."""
    delete_propagation: bool = False
    """Delete objects at the target when they are deleted at the source. Not supported into Azure (Data Factory
    never deletes at the target)."""
    verify: bool = True
    """Verify copied data (checksums and consistency) where the transfer service offers it."""
    # AWS DataSync reaches Google Cloud Storage and Azure Blob Storage through agents you deploy.
    agent_arns: list[str] = Field(default_factory=list, max_length=4)
    """AWS DataSync agent ARNs (at most 4), required when DataSync reads Cloud Storage or Azure Blob Storage: deploy
    and activate the agents in the target region first."""

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str) -> str:
        parse_schedule(value)
        return value

    @field_validator("agent_arns")
    @classmethod
    def _agents(cls, value: list[str]) -> list[str]:
        for i, arn in enumerate(value):
            if not DATASYNC_AGENT_ARN_RE.match(arn):
                raise SpecError((i,), f"{arn!r} is not a DataSync agent ARN")
        return value

    @property
    def parsed_schedule(self) -> Schedule:
        return parse_schedule(self.schedule)


# --- databases ---------------------------------------------------------------------------------


class DatabaseSource(Place):
    """The database a migration reads: where it runs and how to reach it."""

    host: str = Field(min_length=1, max_length=253)
    """Host name or address of the source database server."""
    port: int | None = Field(default=None, ge=1, le=65535)
    """TCP port, 1 to 65535; default 5432 for postgres, 3306 for mysql."""
    database: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_$-]{0,62}$")
    """Name of the database to migrate."""
    username: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_.@-]{0,62}$")
    """The user the migration service connects as (needs replication rights for CDC)."""
    password_secret: str
    """The config key that holds that user's password as a Pulumi secret; never the password."""
    # A config key holding the PEM CA bundle that signed the source's server certificate (TLS verified).
    ca_certificate: str | None = None
    """The config key holding the PEM CA bundle that signed the source's server certificate, so TLS is verified;
    required into GCP (Database Migration Service). Never the PEM itself."""

    @field_validator("password_secret")
    @classmethod
    def _secret_key(cls, value: str) -> str:
        return _config_key(value, "password")

    @field_validator("ca_certificate")
    @classmethod
    def _ca_key(cls, value: str | None) -> str | None:
        if value is not None and "BEGIN CERTIFICATE" in value:
            raise ValueError(
                'name the config key that holds the CA bundle (`pulumi config set KEY -- "$(cat '
                'ca.pem)"`), not the PEM itself'
            )
        return None if value is None else _config_key(value, "certificate")


class DatabaseTarget(Place):
    """The managed database a migration creates: its cloud, region, size and storage."""

    tier: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.-]{1,64}$")  # instance class / tier / SKU
    """Instance class, tier or SKU of the target (e.g. `db.r6g.large`, `db-custom-2-8192`); default the landing
    zone's choice per cloud."""
    storage_gb: int = Field(default=100, ge=20, le=65536)
    """Allocated storage of the target in GB, 20 to 65536."""


class Database(StrictModel):
    """A database migrated into a new managed database of the foundation by the cloud's migration service."""

    name: str = Field(pattern=NAME_PATTERN)
    """Database entry name, `[a-z][a-z0-9-]{0,18}[a-z0-9]`, unique in the wave; part of physical names."""
    engine: Literal["postgres", "mysql"]
    """`postgres` or `mysql`; source and target run the same engine."""
    version: str = Field(pattern=r"^\d+(\.\d+)?$")
    """Engine major (or major.minor) version of the target, such as `16` or `8.0`."""
    classification: Classification | None = None  # default: the foundation's data-classification tag
    """The data's classification; default the foundation's `data-classification` tag. Decides where the target may
    be, as for datasets."""
    source: DatabaseSource
    """The database read from."""
    target: DatabaseTarget
    """Where the new managed database is created."""
    mode: Literal["full-load-and-cdc", "full-load", "cdc"] = "full-load-and-cdc"
    """`full-load-and-cdc` (copy, then replicate changes until cutover), `full-load` (one-time copy) or `cdc`
    (changes only). GCP needs a full load first; Azure only runs `full-load-and-cdc`."""
    size_gb: float | None = Field(default=None, gt=0, le=1_000_000)  # the full load
    """Size of the full load in GB; feeds the egress cost and transfer-time estimates."""
    change_pct_per_month: float | None = Field(default=None, ge=0, le=100)  # what CDC carries afterwards
    """Percent of the data (0 to 100) changed per month that CDC carries after the full load."""

    @property
    def port(self) -> int:
        return self.source.port or DEFAULT_PORTS[self.engine]


# --- cutover -----------------------------------------------------------------------------------


class Rollback(StrictModel):
    """When a cutover step rolls back: the alarms on the target's error rate and latency."""

    max_error_rate: float = Field(gt=0, lt=1)  # a fraction of requests: 0.01 is 1 %
    """Highest acceptable share of failed requests, as a fraction (0.01 is 1 %)."""
    max_p99_latency_ms: int = Field(ge=1, le=600_000)
    """Highest acceptable p99 latency in milliseconds, 1 to 600000."""
    evaluation_minutes: int = Field(default=10, ge=1, le=1440)
    """Minutes over which the alarms evaluate the thresholds, 1 to 1440."""


class Dns(StrictModel):
    """The DNS zone that holds the cut-over hostname's weighted records."""

    cloud: CloudName
    """The cloud whose DNS serves the zone; must be enabled in the foundation."""
    # AWS: a Route 53 hosted zone id; GCP: a Cloud DNS managed zone name in the foundation's project;
    # Azure: "<resource group>/<zone name>" of an Azure DNS zone.
    zone: str = Field(min_length=1, max_length=253)
    """AWS: a Route 53 hosted zone id (`Z...`); GCP: a Cloud DNS managed zone name in the foundation's project;
    Azure: `<resource group>/<zone name>` of an Azure DNS zone."""
    region: str | None = None  # default the foundation's first region of the cloud
    """Where the health checks (and, without `cutover.target`, the alarms) live: one of the foundation's regions of
    that cloud; default its first."""

    @model_validator(mode="after")
    def _zone_shape(self) -> Dns:
        shapes = {
            "aws": (r"^Z[A-Z0-9]{1,31}$", "a Route 53 hosted zone id (Z...)"),
            "gcp": (r"^[a-z][a-z0-9-]{0,62}$", "a Cloud DNS managed zone name"),
            "azure": (r"^[A-Za-z0-9._()-]{1,90}/[a-z0-9.-]{1,253}$", '"<resource group>/<zone name>"'),
        }
        pattern, what = shapes[self.cloud]
        if not re.match(pattern, self.zone):
            raise SpecError(("zone",), f"{self.zone!r} is not {what}")
        if self.region is not None and not regions.is_region(self.cloud, self.region):
            raise SpecError(("region",), f"{self.region!r} is not a {self.cloud.upper()} region")
        return self

    @property
    def azure_zone(self) -> tuple[str, str]:
        group, zone = self.zone.split("/", 1)
        return group, zone


class Cutover(StrictModel):
    """A DNS-weighted traffic shift from the source endpoint to the target, step by step, with rollback alarms."""

    strategy: Literal["canary", "blue-green"] = "canary"
    """`canary` (gradual steps, default 5, 25, 50, 100 %) or `blue-green` (0 then 100 %)."""
    hostname: str
    """The fully qualified lower-case name clients use: a weighted CNAME to the two endpoints; inside the zone on
    Azure."""
    dns: Dns
    """The zone the weighted records are created in."""
    target: Place | None = None
    """Where the target service runs; its cloud's monitoring holds the rollback alarms; default: the DNS cloud and
    its region."""
    source_endpoint: str
    """DNS name of the current (source) service."""
    target_endpoint: str
    """DNS name of the migrated (target) service; must differ from the source and the hostname."""
    steps: list[int] | None = Field(default=None, min_length=1, max_length=20)
    """The target's share of traffic in % at each step, increasing and ending at 100 (blue-green: 0 or 100 only);
    default per strategy."""
    current_step: int = Field(default=0, ge=0)
    """Index into `steps` of the weight in force now; raise it by one per deployment to advance."""
    # "Roll back everything": every step sends some traffic to the target (a canary's first step is
    # 5 %), so a full rollback is its own switch: true sends 0 % to the target, whatever the step.
    rolled_back: bool = False
    """Send 0 % to the target whatever the step: the switch for a full rollback."""
    health_path: str = Field(default="/healthz", pattern=r"^/[A-Za-z0-9._~/-]{0,254}$")
    """HTTP path the health checks probe on both endpoints."""
    rollback: Rollback
    """The alarm thresholds that call for a rollback."""
    date: datetime.date | None = None  # the planned cutover day: the bulk copies must be done by then
    """The planned cutover day (ISO date); not before the first transfer day, and the bulk copies must be done by
    then."""

    @field_validator("date", mode="before")
    @classmethod
    def _date_text(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{value!r} is not a date like 2025-09-01") from None
        return value

    @field_validator("hostname", "source_endpoint", "target_endpoint")
    @classmethod
    def _dns_name(cls, value: str) -> str:
        if not DNS_NAME_RE.match(value):
            raise ValueError(f"{value!r} is not a fully qualified lower-case DNS name (no trailing dot)")
        return value

    @model_validator(mode="after")
    def _steps(self) -> Cutover:
        steps = self.weights
        if self.strategy == "blue-green":
            for i, step in enumerate(steps):
                if step not in (0, 100):
                    raise SpecError(("steps", i), "a blue-green cutover sends 0 or 100 % to the target")
        for i, step in enumerate(steps):
            if not 0 <= step <= 100:
                raise SpecError(("steps", i), "a step is the target's share of traffic in % (0 to 100)")
            if i and step <= steps[i - 1]:
                raise SpecError(("steps", i), f"steps must increase ({steps[i - 1]} then {step})")
        if steps[-1] != 100:
            raise SpecError(("steps", len(steps) - 1), "the last step sends all traffic (100) to the target")
        if self.current_step >= len(steps):
            raise SpecError(("current_step",), f"{self.current_step} is not an index of steps (0 to {len(steps) - 1})")
        if self.source_endpoint == self.target_endpoint:
            raise SpecError(("target_endpoint",), "the target endpoint must differ from the source endpoint")
        if self.hostname in (self.source_endpoint, self.target_endpoint):
            raise SpecError(
                ("hostname",), "the cut-over hostname must differ from both endpoints (it is a weighted CNAME to them)"
            )
        if self.dns.cloud == "azure" and not self.hostname.endswith("." + self.dns.azure_zone[1]):
            raise SpecError(
                ("hostname",), f"{self.hostname!r} is not inside the Azure DNS zone {self.dns.azure_zone[1]!r}"
            )
        return self

    @property
    def weights(self) -> list[int]:
        return list(self.steps) if self.steps is not None else list(DEFAULT_STEPS[self.strategy])

    def dns_region(self, foundation: FoundationView) -> str:
        """Where the DNS cloud's regional parts live (health checks, Traffic Manager's resource group)."""
        return self.dns.region or foundation.clouds[self.dns.cloud][0]

    def alarm_place(self, foundation: FoundationView) -> tuple[str, str]:
        """(cloud, region) of the rollback alarms: where the target runs, by default the DNS cloud's region."""
        if self.target is not None:
            return self.target.cloud, self.target.region
        return self.dns.cloud, self.dns_region(foundation)

    @property
    def target_weight(self) -> int:
        return 0 if self.rolled_back else self.weights[self.current_step]

    @property
    def source_weight(self) -> int:
        return 100 - self.target_weight


# --- the wave ----------------------------------------------------------------------------------


class TransferOptions(StrictModel):
    """Assumptions of the wave's egress and transfer-time estimate (lz/pricing/transfer.py)."""

    # The clouds waive internet egress for customers leaving them, on request and on conditions: count on it?
    exit_fee_waiver: bool = False
    """Assume the source cloud waives internet egress fees for a customer leaving it (on request and on conditions)."""
    bandwidth_gbps: float | None = Field(default=None, gt=0, le=1000)  # the path's capacity, if you know better
    """The path's capacity in Gbit/s, if you know better than the estimate's default."""
    efficiency: float = Field(default=0.7, gt=0, le=1)  # share of the capacity a long copy sustains
    """Share of the capacity a long copy sustains, above 0 to 1."""


class Wave(StrictModel):
    """A wave stack: datasets, databases and a cutover moved into the landing zone of one foundation stack."""

    name: str = Field(pattern=NAME_PATTERN)
    """Wave name, `[a-z][a-z0-9-]{0,18}[a-z0-9]`; tagged as `wave` and part of physical names."""
    foundation: str = Field(pattern=STACK_PATTERN)
    """The foundation stack (a stack of this project) the wave lands in; read through a StackReference, and its
    clouds, regions and residency decide what the wave may do."""
    environment: Environment | None = None  # default: the foundation's (a rehearsal sets `test`)
    """Default: the foundation's. `test` makes the wave a disposable rehearsal."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Extra tags on every resource of the wave; the wave sets `wave`, the standard and the migration tags itself."""
    start_date: datetime.date | None = None  # first scheduled transfer day; default a past date
    """First scheduled transfer day (ISO date); default a fixed past date, so plans are the same every day."""
    datasets: list[Dataset] = Field(default_factory=list, max_length=100)
    """Object-storage copies, at most 100, unique by name."""
    databases: list[Database] = Field(default_factory=list, max_length=50)
    """Database migrations, at most 50, unique by name."""
    cutover: Cutover | None = None
    """The traffic shift to the migrated service."""
    transfer: TransferOptions = TransferOptions()
    """Assumptions of the egress and transfer-time estimate."""

    @field_validator("start_date", mode="before")
    @classmethod
    def _date_text(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{value!r} is not a date like 2025-07-01") from None
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        reserved = (
            *labels.STANDARD_TAGS,
            "wave",
            "data-classification",
            "migration-role",
            "migration-source",
            "migration-target",
            "migration-deletes",
        )
        for key, text in value.items():
            if key in reserved:
                raise SpecError((key,), f"{key!r} is set by the wave itself; remove it from tags")
            if not isinstance(text, str) or not text.strip():
                raise SpecError((key,), "tag values must be non-empty strings")
            for problem in (
                labels.gcp_key_problem(key),
                labels.gcp_value_problem(text),
                labels.aws_tag_problem(key, text),
                labels.azure_tag_problem(key, text),
            ):
                if problem:
                    raise SpecError((key,), problem)
        return value

    @model_validator(mode="after")
    def _unique_names(self) -> Wave:
        sections = (("datasets", [d.name for d in self.datasets]), ("databases", [d.name for d in self.databases]))
        for section, entry_names in sections:
            seen: set[str] = set()
            for i, name in enumerate(entry_names):
                if name in seen:
                    raise SpecError((section, i, "name"), f"{name!r} is used twice in {section}")
                seen.add(name)
        if not (self.datasets or self.databases or self.cutover):
            raise ValueError("a wave moves something: add datasets, databases or a cutover")
        if self.cutover is not None and self.cutover.date is not None and self.cutover.date < self.first_day:
            raise SpecError(
                ("cutover", "date"),
                f"the cutover ({self.cutover.date}) comes before the first transfer day ({self.first_day}, start_date)",
            )
        return self

    @property
    def first_day(self) -> datetime.date:
        return self.start_date or DEFAULT_START_DATE


# --- the foundation as a wave sees it ----------------------------------------------------------


@dataclass(frozen=True)
class FoundationView:
    """The parts of a foundation a wave is checked against: the stack output `spec`, or a LandingZone."""

    organization: str
    environment: str
    residency: str
    tags: dict[str, str]
    clouds: dict[str, list[str]]
    # The clouds whose collector gateways write the cloud's own monitoring (telemetry.native); None
    # when the foundation's outputs predate it (then nothing is checked).
    monitored: tuple[str, ...] | None = None

    @classmethod
    def of(cls, foundation: LandingZone | FoundationView | Mapping[str, Any]) -> FoundationView:
        if isinstance(foundation, FoundationView):
            return foundation
        if isinstance(foundation, Mapping):
            clouds = foundation.get("clouds") or {}
            return cls(
                organization=str(foundation["organization"]),
                environment=str(foundation["environment"]),
                residency=str(foundation["residency"]),
                tags={str(k): str(v) for k, v in (foundation.get("tags") or {}).items()},
                clouds={str(c): [str(r) for r in rs] for c, rs in clouds.items()},
                monitored=tuple(str(c) for c in foundation["monitored"]) if "monitored" in foundation else None,
            )
        spec = foundation
        return cls(
            organization=spec.organization,
            environment=spec.environment,
            residency=spec.residency,
            tags=spec.all_tags(),
            clouds={name: list(spec.clouds.get(name).regions) for name in spec.clouds.enabled()},
            monitored=monitored_clouds(spec),
        )

    @property
    def classification(self) -> str:
        return self.tags.get("data-classification", "confidential")


def monitored_clouds(spec: LandingZone) -> tuple[str, ...]:
    """The clouds whose gateways write the cloud's own monitoring, where rollback alarms can read."""
    t = spec.telemetry
    return tuple(c for c in spec.clouds.enabled() if t.enabled and c in t.native)


def allowed_jurisdictions(classification: str, residency: str) -> list[str] | None:
    """Where data of `classification` may land: None means anywhere (public data)."""
    return None if classification == "public" else [residency]


def source_must_reside(classification: str) -> bool:
    return classification == "restricted"


# --- loading and checking ----------------------------------------------------------------------


def _prefix(namespace: str) -> tuple[str, ...]:
    return (f"{namespace}:{WAVE_KEY}",)


def load_wave(raw: Any, *, file: str, namespace: str, lines: dict[tuple[Any, ...], int] | None = None) -> Wave:
    """Validate the `wave` object of a stack file (already parsed) into the spec."""
    from lz.spec import raise_input_error  # noqa: PLC0415 - lz.spec imports this module's siblings

    prefix = _prefix(namespace)
    if not isinstance(raw, dict):
        raise InputError("expected a mapping", file=file, key=key_path(("config",) + prefix))
    try:
        return Wave.model_validate(raw)
    except ValidationError as exc:
        raise_input_error(exc, Wave, file=file, prefix=prefix, lines=lines or {})


def _refuse(
    path: tuple[Any, ...], message: str, *, file: str, namespace: str, lines: dict[tuple[Any, ...], int] | None
) -> typing.NoReturn:
    full = _prefix(namespace) + path
    line = None
    for n in range(len(full), 0, -1):
        if lines and full[:n] in lines:
            line = lines[full[:n]]
            break
    raise InputError(message, file=file, key=key_path(("config",) + full), line=line)


def _describe(cloud: str, region: str) -> str:
    country = regions.country_of(cloud, region) or "an unknown country"
    return f"{region!r} lies in {country} (jurisdiction {regions.jurisdiction_of(cloud, region) or 'none'})"


def placement_problems(wave: Wave, foundation: FoundationView) -> list[tuple[tuple[Any, ...], str]]:
    """(key path, message) for every dataset, database or cutover the foundation cannot host, in order."""
    problems: list[tuple[tuple[Any, ...], str]] = []
    entries: list[tuple[str, int, Dataset | Database]] = [("datasets", i, d) for i, d in enumerate(wave.datasets)]
    entries += [("databases", i, d) for i, d in enumerate(wave.databases)]
    for section, i, entry in entries:
        classification = entry.classification or foundation.classification
        what = "dataset" if section == "datasets" else "database"
        allowed = allowed_jurisdictions(classification, foundation.residency)
        target, source = entry.target, entry.source
        if allowed is not None and target.jurisdiction not in allowed:
            problems.append(
                (
                    (section, i, "target", "region"),
                    f"{classification} {what} {entry.name!r} may only be sent to regions in "
                    f"{foundation.residency!r} (the landing zone's residency); "
                    f"{_describe(target.cloud, target.region)}",
                )
            )
            continue
        if source_must_reside(classification) and source.jurisdiction != foundation.residency:
            problems.append(
                (
                    (section, i, "source", "region"),
                    f"restricted {what} {entry.name!r} must come from inside {foundation.residency!r} as "
                    f"well; {_describe(source.cloud, source.region)}",
                )
            )
            continue
        if target.cloud not in foundation.clouds:
            problems.append(
                (
                    (section, i, "target", "cloud"),
                    f"{target.cloud} is not enabled in foundation stack {wave.foundation!r} (enabled: "
                    f"{', '.join(foundation.clouds) or 'none'})",
                )
            )
            continue
        if target.region not in foundation.clouds[target.cloud]:
            problems.append(
                (
                    (section, i, "target", "region"),
                    f"{target.region!r} is not one of the foundation's {target.cloud} regions "
                    f"({', '.join(foundation.clouds[target.cloud])})",
                )
            )
    if wave.cutover is not None:
        dns = wave.cutover.dns
        if dns.cloud not in foundation.clouds:
            problems.append(
                (
                    ("cutover", "dns", "cloud"),
                    f"{dns.cloud} is not enabled in foundation stack "
                    f"{wave.foundation!r} (enabled: {', '.join(foundation.clouds) or 'none'})",
                )
            )
        elif dns.region is not None and dns.region not in foundation.clouds[dns.cloud]:
            problems.append(
                (
                    ("cutover", "dns", "region"),
                    f"{dns.region!r} is not one of the foundation's "
                    f"{dns.cloud} regions ({', '.join(foundation.clouds[dns.cloud])})",
                )
            )
        where = wave.cutover.target
        if where is not None and where.cloud not in foundation.clouds:
            problems.append(
                (
                    ("cutover", "target", "cloud"),
                    f"{where.cloud} is not enabled in foundation stack {wave.foundation!r} (enabled: "
                    f"{', '.join(foundation.clouds) or 'none'}); the rollback alarms live where the target runs",
                )
            )
        elif where is not None and where.region not in foundation.clouds[where.cloud]:
            problems.append(
                (
                    ("cutover", "target", "region"),
                    f"{where.region!r} is not one of the foundation's {where.cloud} regions "
                    f"({', '.join(foundation.clouds[where.cloud])})",
                )
            )
        elif foundation.monitored is not None and dns.cloud in foundation.clouds:
            cloud, _ = wave.cutover.alarm_place(foundation)
            if cloud not in foundation.monitored:
                key = ("cutover", "target", "cloud") if where is not None else ("cutover", "dns", "cloud")
                problems.append(
                    (
                        key,
                        f"the rollback alarms would live in {cloud}, but the collectors of foundation stack "
                        f"{wave.foundation!r} do not write {cloud}'s monitoring (its telemetry.native is "
                        f"{', '.join(foundation.monitored) or 'empty'}): the alarms would read nothing and stay "
                        f"in alarm. Add {cloud} to the foundation's telemetry.native, or set cutover.target to "
                        "where the target service runs",
                    )
                )
    return problems


def path_problems(wave: Wave) -> list[tuple[tuple[Any, ...], str]]:
    """What each source -> target pair needs from its credentials and options (services differ)."""
    problems: list[tuple[tuple[Any, ...], str]] = []
    for i, d in enumerate(wave.datasets):
        src, tgt, creds = d.source, d.target, d.source.credentials
        base: tuple[Any, ...] = ("datasets", i)
        federated = creds.kind == "workload-identity"
        if tgt.cloud == "gcp":
            if src.cloud == "aws" and federated and creds.role_arn is None:
                problems.append(
                    (
                        base + ("source", "credentials", "role_arn"),
                        "Storage Transfer Service reads S3 by assuming an IAM role through web identity "
                        "federation: name the role (or use kind `secret`)",
                    )
                )
            elif src.cloud == "azure" and federated and creds.client_id is None:
                problems.append(
                    (
                        base + ("source", "credentials", "client_id"),
                        "Storage Transfer Service reads Azure Blob Storage through a federated app "
                        "registration: set client_id and tenant_id (or use kind `secret`)",
                    )
                )
            elif src.cloud == "gcp" and not federated:
                problems.append(
                    (
                        base + ("source", "credentials", "kind"),
                        "a Cloud Storage source is read by the transfer service agent itself: use "
                        "`workload-identity` and grant it read access on the source bucket",
                    )
                )
        elif tgt.cloud == "aws":
            if src.cloud in ("gcp", "azure") and not d.agent_arns:
                problems.append(
                    (
                        base + ("agent_arns",),
                        f"DataSync reaches {'Cloud Storage' if src.cloud == 'gcp' else 'Azure Blob Storage'} "
                        f"through an agent: deploy and activate one in {tgt.region} and list its ARN",
                    )
                )
            elif src.cloud in ("gcp", "azure") and federated:
                problems.append(
                    (
                        base + ("source", "credentials", "kind"),
                        "DataSync authenticates to other clouds with an HMAC key (Cloud Storage) or a SAS "
                        "token (Azure): use kind `secret`",
                    )
                )
            elif src.cloud == "aws" and not federated:
                problems.append(
                    (
                        base + ("source", "credentials", "kind"),
                        "DataSync reads S3 through a bucket access role the wave creates: use "
                        "`workload-identity` and allow the role on the source bucket",
                    )
                )
        elif tgt.cloud == "azure":
            if src.cloud in ("aws", "gcp") and federated:
                problems.append(
                    (
                        base + ("source", "credentials", "kind"),
                        f"Azure Data Factory reads {'S3' if src.cloud == 'aws' else 'Cloud Storage'} with "
                        "an access key pair: use kind `secret`",
                    )
                )
            if d.delete_propagation:
                problems.append(
                    (
                        base + ("delete_propagation",),
                        "transfers into Azure (Azure Data Factory copy) never delete at the target; "
                        "propagating deletes into Azure is not supported",
                    )
                )
    for i, db in enumerate(wave.databases):
        base = ("databases", i)
        if db.target.cloud == "gcp" and db.source.ca_certificate is None:
            problems.append(
                (
                    base + ("source", "ca_certificate"),
                    "Database Migration Service connects to the "
                    "source over TLS it verifies: name the config key that holds the CA bundle of the "
                    "source's server certificate",
                )
            )
        if db.target.cloud == "gcp" and db.mode == "cdc":
            problems.append(
                (
                    base + ("mode",),
                    "Database Migration Service always starts with a full dump: use "
                    "`full-load-and-cdc` (or `full-load` for a one-time copy)",
                )
            )
        if db.target.cloud == "azure" and db.mode != "full-load-and-cdc":
            problems.append(
                (
                    base + ("mode",),
                    "Azure Database Migration Service runs online migrations (a full "
                    "load followed by change data capture): use `full-load-and-cdc`",
                )
            )
    return problems


def check_against_foundation(
    wave: Wave,
    foundation: LandingZone | FoundationView | Mapping[str, Any],
    *,
    file: str,
    namespace: str,
    lines: dict[tuple[Any, ...], int] | None = None,
) -> None:
    """Refuse (InputError naming the wave key) what the foundation cannot host or the data may not do."""
    view = FoundationView.of(foundation)
    for path, message in placement_problems(wave, view) + path_problems(wave):
        _refuse(path, message, file=file, namespace=namespace, lines=lines)


def effective_environment(wave: Wave, foundation: LandingZone | FoundationView | Mapping[str, Any]) -> str:
    return wave.environment or FoundationView.of(foundation).environment


# --- markers: how a migration resource says what it moves (set by components, read by policies) --

MARKER_PREFIX = "lz-migration:"
TAG_ROLE = "migration-role"  # target (a store data lands in), transfer (objects), replication (databases)
TAG_SOURCE = "migration-source"  # <cloud>_<region> the data comes from
TAG_TARGET = "migration-target"  # <cloud>_<region> the data goes to
TAG_DELETES = "migration-deletes"  # keep | propagate: whether deletes at the source reach the target
TAG_CLASSIFICATION = "data-classification"
MARKER_KEYS = (TAG_CLASSIFICATION, TAG_ROLE, TAG_SOURCE, TAG_TARGET, TAG_DELETES)


def marker_tags(
    role: str,
    classification: str,
    *,
    source: Place | None = None,
    target: Place | None = None,
    deletes: bool | None = None,
) -> dict[str, str]:
    """Tags (or labels) a migration resource carries; every value is valid on all three clouds."""
    out = {TAG_ROLE: role, TAG_CLASSIFICATION: classification}
    if source is not None:
        out[TAG_SOURCE] = source.marker
    if target is not None:
        out[TAG_TARGET] = target.marker
    if deletes is not None:
        out[TAG_DELETES] = "propagate" if deletes else "keep"
    return out


def marker_text(tags: Mapping[str, str]) -> str:
    """The same markers as one line, for types that take a description but no tags."""
    return MARKER_PREFIX + " " + " ".join(f"{k}={tags[k]}" for k in MARKER_KEYS if k in tags)


def parse_marker_text(text: str) -> dict[str, str]:
    """`key=value` pairs after `lz-migration:` in a description; {} without the prefix."""
    if not isinstance(text, str) or MARKER_PREFIX not in text:
        return {}
    tail = text.split(MARKER_PREFIX, 1)[1]
    pairs = (word.split("=", 1) for word in tail.split() if "=" in word)
    return {k: v for k, v in pairs if k in MARKER_KEYS}


def parse_place(value: str) -> tuple[str, str] | None:
    """`aws_eu-west-1` -> ("aws", "eu-west-1"); None when it is not a marker of a place."""
    if not isinstance(value, str) or "_" not in value:
        return None
    cloud, region = value.split("_", 1)
    return (cloud, region) if cloud in ("aws", "gcp", "azure") and region else None
