"""The `landingZone` key of a foundation stack: one spec for a landing zone on up to three clouds.

Every rule that spans fields lives here as a validator whose error names the key path. The spec
decides; components only read it. It does not decide resource shapes (that is `components/`) or
policy (that is `policies/`).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from lz.core import cidr, labels, regions
from lz.core.ai_services import AiService
from lz.spec.audit import Audit
from lz.spec.base import SpecError, StrictModel
from lz.spec.budget import Budget
from lz.spec.egress import Egress
from lz.spec.gpu import GpuPool
from lz.spec.identity import Identity
from lz.spec.interconnect import Interconnect
from lz.spec.registries import Registries
from lz.spec.telemetry import Telemetry

Environment = Literal["dev", "test", "staging", "prod"]
DataClassification = Literal["public", "internal", "confidential", "restricted"]
CloudName = Literal["aws", "gcp", "azure"]

ORGANIZATION_RE = re.compile(r"^[a-z][a-z0-9-]{1,11}$")
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class CloudBase(StrictModel):
    """What every cloud of a foundation has: the regions it uses and the private supernet they are carved from."""

    regions: list[str] = Field(min_length=1, max_length=16)
    """The cloud's regions, 1 to 16, each once, all inside `residency`; the first is the home region (interconnect,
    identity and shared services default to it). Append new regions at the end: the i-th region gets the i-th
    address block, so reordering re-addresses every region after the change."""
    cidr: ipaddress.IPv4Network
    """The cloud's IPv4 supernet in CIDR form (`10.16.0.0/12`), host bits zero, inside RFC 1918; cut into one block
    of /max(prefix + 4, 16) per region, so at most /20 (a /16 holds 16 regions of /20). Must not overlap another
    cloud's supernet."""

    @field_validator("regions")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        seen: set[str] = set()
        for i, region in enumerate(value):
            if region in seen:
                raise SpecError((i,), f"region {region!r} is listed twice")
            seen.add(region)
        return value

    @field_validator("cidr", mode="before")
    @classmethod
    def _cidr_text(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return ipaddress.IPv4Network(value, strict=True)
            except ValueError as exc:
                raise ValueError(
                    f"{value!r} is not an IPv4 network in CIDR form with its host bits zero ({exc})"
                ) from None
        if isinstance(value, ipaddress.IPv4Network):
            return value
        # Never a number or a boolean: the network library would read 1 (or true) as 0.0.0.1/32.
        raise ValueError(f"expected a CIDR block as text, such as '10.16.0.0/12', not {type(value).__name__}")

    @field_validator("cidr")
    @classmethod
    def _cidr_private(cls, value: ipaddress.IPv4Network) -> ipaddress.IPv4Network:
        if not cidr.is_rfc1918(value):
            raise ValueError(
                f"{value} is not inside an RFC 1918 private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)"
            )
        if cidr.region_capacity(value) == 0:
            raise ValueError(
                f"{value} is too small to carve: a cloud's supernet needs a prefix of "
                f"/{cidr.SMALLEST_SUPERNET_PREFIX} or shorter (a /20 per region)"
            )
        return value

    def region_blocks(self) -> dict[str, ipaddress.IPv4Network]:
        return cidr.region_blocks(self.cidr, self.regions)


class AwsCloud(CloudBase):
    """The AWS account a foundation builds in."""

    account_id: str = Field(pattern=r"^\d{12}$")
    """The 12-digit AWS account id the foundation deploys into. All regions must be in one partition (commercial,
    GovCloud, China or European Sovereign Cloud); in an organization it must match the account_id of the account
    this foundation lands in."""


class GcpCloud(CloudBase):
    """The GCP project a foundation builds in."""

    project: str = Field(pattern=r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
    """The GCP project id (6 to 30 lower-case letters, digits and '-', starting with a letter); in an organization
    it must match the project_id of the project this foundation lands in."""


class AzureCloud(CloudBase):
    """The Azure subscription a foundation builds in."""

    subscription_id: str = Field(pattern=UUID_PATTERN)
    """The Azure subscription id (a UUID) the foundation deploys into; in an organization it must match the
    subscription_id of the subscription this foundation lands in."""
    tenant_id: str | None = Field(default=None, pattern=UUID_PATTERN)
    """The Entra ID tenant (a UUID) of the subscription; optional, used where a resource needs the tenant explicitly
    (Key Vaults, AKS Entra ID integration)."""


class Clouds(StrictModel):
    """The clouds a foundation builds on: at least one of aws, gcp and azure."""

    aws: AwsCloud | None = None
    """Build on AWS in this account; omit to leave AWS out."""
    gcp: GcpCloud | None = None
    """Build on GCP in this project; omit to leave GCP out."""
    azure: AzureCloud | None = None
    """Build on Azure in this subscription; omit to leave Azure out."""

    @model_validator(mode="after")
    def _at_least_one(self) -> Clouds:
        if not self.enabled():
            raise ValueError("enable at least one of aws, gcp, azure")
        return self

    def enabled(self) -> list[str]:
        return [name for name in ("aws", "gcp", "azure") if getattr(self, name) is not None]

    def get(self, name: str) -> AwsCloud | GcpCloud | AzureCloud:
        cloud = getattr(self, name)
        if cloud is None:
            raise KeyError(name)
        return cloud


class LandingZone(StrictModel):
    """A foundation stack: one landing zone (networks, keys, logs, identity, GPU pools) on up to three clouds."""

    organization: str
    """Short organization name, 2 to 12 characters `[a-z][a-z0-9-]{1,11}`; prefixes every physical resource name, so
    changing it replaces every named resource."""
    environment: Environment
    """`dev`, `test`, `staging` or `prod`; tagged on every resource. `test` stacks are disposable: nothing is
    protected from deletion and stores may be destroyed with their data."""
    residency: str
    """The jurisdiction every region must lie in: a key of the region catalog (`eu`, `uk`, `ch`, `us`, `ca`, ...),
    judged by the region's country, never its name. Also sets the policies' allowed jurisdictions."""
    tags: dict[str, str]
    """Tags (GCP labels) put on every resource. `owner`, `cost-center` and `data-classification` (public, internal,
    confidential, restricted) are required; values non-empty and valid on all three clouds (GCP label rules).
    `environment` and `managed-by` are added by the landing zone and may not be set."""
    clouds: Clouds
    """The clouds to build on, each with its account, project or subscription, its regions and its address supernet."""
    interconnect: Interconnect = Interconnect()
    """How the enabled clouds are linked privately (HA VPN or dedicated circuits); default: not linked."""
    identity: Identity = Identity()
    """The role catalog (grants bound to identity-provider groups) mapped onto IAM Identity Center, GCP IAM and
    Azure RBAC; default: no roles."""
    gpu_pools: list[GpuPool] = Field(default_factory=list)
    """GPU node pools; each cloud and region with pools gets a private managed cluster (EKS, GKE, AKS)."""
    telemetry: Telemetry = Telemetry()
    """OpenTelemetry collectors and where they export; default: off."""
    budget: Budget | None = None
    """The monthly budget in USD: the cost estimate reports a `cost-budget` finding above it; none means no budget
    check."""
    # The organization stack this foundation lands in (lz.spec.organization): planned first, read
    # through a StackReference, and its placement checked against this foundation's ids.
    organization_stack: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
    """The organization stack (a stack of this project) this foundation lands in: planned first, read through a
    StackReference, and its account, project and subscription ids checked against the organization's placement."""
    # The AWS account's own CloudTrail trail; optional once the organization's trail records the account.
    account_trail: bool = True
    """Create the AWS account's own CloudTrail trail. May be false only with `organization_stack`, when the
    organization trail already records the account."""
    egress: Egress = Egress()
    """Internet egress of the workloads: `none` (everything private), `nat`, or `firewall` with an
    allow list of host names (see Egress)."""
    audit: Audit = Audit()
    """How the audit log store resists deletion (S3 Object Lock on the CloudTrail bucket)."""
    registries: Registries = Registries()
    """Workload images through a cache registry per cloud and region (ECR pull-through cache, Artifact Registry
    remote repository, Azure Container Registry cache rules), so no workload pulls from the internet."""
    ai_services: list[AiService] = Field(default_factory=list)
    """Managed AI services the workloads reach privately: `bedrock` (interface endpoints with private DNS),
    `vertex-ai` (the API enabled, reached through Private Google Access), `azure-openai` (an account per
    region with a private endpoint). Each once, on an enabled cloud, and offered in every region of that
    cloud (see lz.core.ai_services for the dated region lists); default none."""

    @model_validator(mode="after")
    def _audit_lock(self) -> LandingZone:
        if self.audit.object_lock != "none" and self.environment == "test":
            raise SpecError(
                ("audit", "object_lock"),
                "a test environment is disposable and its logs must go with it; locked log versions could "
                "not be deleted: use object_lock: none here, governance or compliance in dev, staging or prod",
            )
        return self

    @field_validator("organization")
    @classmethod
    def _organization(cls, value: str) -> str:
        if not ORGANIZATION_RE.match(value):
            raise ValueError(
                f"{value!r} must match [a-z][a-z0-9-]{{1,11}}: 2 to 12 lower-case letters, "
                "digits or '-', starting with a letter (it prefixes every physical name)"
            )
        return value

    @field_validator("residency")
    @classmethod
    def _residency(cls, value: str) -> str:
        known = regions.jurisdictions()
        if value not in known:
            import difflib  # noqa: PLC0415

            close = difflib.get_close_matches(value, known, n=2, cutoff=0.5) if isinstance(value, str) else []
            raise ValueError(
                f"unknown jurisdiction {value!r}"
                + (f"; did you mean {' or '.join(close)}?" if close else "")
                + f" The region catalog knows {', '.join(known)}"
            )
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        for key in labels.REQUIRED_TAGS:
            if key not in value:
                raise SpecError(
                    (key,), f"required tag {key!r} is missing (required: {', '.join(labels.REQUIRED_TAGS)})"
                )
        for key, text in value.items():
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
        for key in labels.STANDARD_TAGS:
            if key in value:
                raise SpecError((key,), f"{key!r} is set by the landing zone itself; remove it from tags")
        classification = value["data-classification"]
        allowed = DataClassification.__args__  # type: ignore[attr-defined]
        if classification not in allowed:
            raise SpecError(("data-classification",), f"{classification!r} is not one of {', '.join(allowed)}")
        return value

    @model_validator(mode="after")
    def _one_aws_partition(self) -> LandingZone:
        """An AWS account lives in one partition: commercial (`aws`), GovCloud (`aws-us-gov`), China
        (`aws-cn`) or the European Sovereign Cloud (`aws-eusc`); its regions cannot mix them (AWS docs,
        "Amazon Resource Names: partition"; GovCloud and China need their own accounts, read 2026-12)."""
        aws = self.clouds.get("aws") if "aws" in self.clouds.enabled() else None
        if aws is None:
            return self
        first = partition_of(aws.regions[0])
        for i, region in enumerate(aws.regions):
            if partition_of(region) != first:
                raise SpecError(
                    ("clouds", "aws", "regions", i),
                    f"{region!r} is in the AWS partition {partition_of(region)}, but "
                    f"{aws.regions[0]!r} is in {first}: one account lives in one partition; plan the "
                    "other partition as its own foundation stack with its own account",
                )
        return self

    @model_validator(mode="after")
    def _regions_exist_and_reside(self) -> LandingZone:
        for name in self.clouds.enabled():
            cloud = self.clouds.get(name)
            for i, region in enumerate(cloud.regions):
                path = ("clouds", name, "regions", i)
                if not regions.is_region(name, region):
                    hint = regions.suggest(name, region)
                    did_you_mean = f"; did you mean {' or '.join(hint)}?" if hint else ""
                    raise SpecError(path, f"{region!r} is not a {name.upper()} region{did_you_mean}")
                where = regions.jurisdiction_of(name, region)
                if where != self.residency:
                    country = regions.country_of(name, region) or "an unknown country"
                    raise SpecError(
                        path,
                        f"{region!r} lies in {country} (jurisdiction {where}), outside "
                        f"residency {self.residency!r}; allowed {name.upper()} regions: "
                        f"{', '.join(regions.regions_in(name, self.residency)) or 'none'}",
                    )
        return self

    @model_validator(mode="after")
    def _supernets(self) -> LandingZone:
        enabled = self.clouds.enabled()
        for i, first in enumerate(enabled):
            for second in enabled[i + 1 :]:
                a, b = self.clouds.get(first).cidr, self.clouds.get(second).cidr
                if a.overlaps(b):
                    raise SpecError(
                        ("clouds", second, "cidr"),
                        f"{b} overlaps clouds.{first}.cidr {a}; each cloud needs its own supernet",
                    )
        for name in enabled:
            cloud = self.clouds.get(name)
            capacity = cidr.region_capacity(cloud.cidr)
            if len(cloud.regions) > capacity:
                raise SpecError(
                    ("clouds", name, "cidr"),
                    f"{cloud.cidr} holds {capacity} region blocks of "
                    f"/{cidr.region_prefix(cloud.cidr)} but {len(cloud.regions)} regions are listed",
                )
        return self

    @model_validator(mode="after")
    def _account_trail(self) -> LandingZone:
        if not self.account_trail and self.organization_stack is None:
            raise SpecError(
                ("account_trail",),
                "only a foundation in an organization (organization_stack) may drop "
                "its account trail: the organization trail then records the account",
            )
        return self

    @model_validator(mode="after")
    def _sections(self) -> LandingZone:
        """Rules that tie a section (interconnect, identity, GPU pools, telemetry) to the clouds."""
        from lz.spec import ai, egress, gpu, identity, interconnect, registries, telemetry  # noqa: PLC0415 - they import this module's types

        for section in (interconnect, identity, gpu, telemetry, egress, registries, ai):
            section.check(self)
        return self

    # Convenience for components -------------------------------------------------------------
    @property
    def disposable(self) -> bool:
        """Test environments are torn down freely; everything else protects its data."""
        return self.environment == "test"

    def all_tags(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return labels.standard_tags(self.tags, self.environment, extra)

    @property
    def egress_allow(self) -> list[str]:
        """The names the egress firewalls let through: `egress.allow` plus the zone's own needs."""
        from lz.spec.egress import allowed  # noqa: PLC0415 - egress imports this module's types

        return allowed(self)


def partition_of(region: str) -> str:
    """The AWS partition of a region name: aws-us-gov, aws-cn, aws-eusc, aws-iso*, else aws."""
    for prefix, partition in (
        ("us-gov-", "aws-us-gov"),
        ("cn-", "aws-cn"),
        ("eusc-", "aws-eusc"),
        ("us-isob-", "aws-iso-b"),
        ("us-iso-", "aws-iso"),
        ("eu-isoe-", "aws-iso-e"),
        ("us-isof-", "aws-iso-f"),
    ):
        if region.startswith(prefix):
            return partition
    return "aws"
