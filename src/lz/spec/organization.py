"""The `organization` key of an organization stack: hierarchy, vending and guardrails on each cloud.

An organization stack is planned (and deployed) before the foundations that land in it. Per cloud
it names the hierarchy (AWS OUs, GCP folders, Azure management groups), the accounts, projects and
subscriptions it vends into that hierarchy, and which foundation stack lands in which of them. The
residency, tags and budget have the same shape and meaning as a foundation's, so the guardrails the
clouds enforce (`lz.spec.guardrails`) come from the same values as the policy pack's settings.

What it deliberately does not do: build resources (components/organization), decide the guardrail
documents (lz.spec.guardrails), or read a foundation (`check_foundation` takes one that was loaded).
"""

from __future__ import annotations

import datetime
import re
import typing
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from lz.core import labels, regions
from lz.core.errors import InputError
from lz.spec.base import SpecError, StrictModel, key_path
from lz.spec.budget import EMAIL, Budget

if typing.TYPE_CHECKING:
    from lz.spec.foundation import LandingZone

ORGANIZATION_KEY = "organization"
Environment = Literal["dev", "test", "staging", "prod"]
# A vended target's job: the anchors keep logs and security tooling in accounts of their own.
Role = Literal["workload", "log-archive", "security"]
UNIT_NAME = r"^[a-z][a-z0-9-]{0,28}[a-z0-9]$"
TARGET_NAME = r"^[a-z][a-z0-9-]{0,28}[a-z0-9]$"
STACK_NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
ROOT = "root"

# Nesting limits below the root, as each cloud documents them (read 2026-12):
# AWS: "OU maximum nesting in a root: five levels of OUs deep under a root"
#   (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html);
# GCP: "folders can be nested up to 10 levels" (https://cloud.google.com/resource-manager/docs/cloud-platform-resource-hierarchy);
# Azure: "six levels of depth ... doesn't include the root level"
#   (https://learn.microsoft.com/azure/governance/management-groups/overview).
MAX_DEPTH = {"aws": 5, "gcp": 10, "azure": 6}
UNIT_WORD = {"aws": "OU", "gcp": "folder", "azure": "management group"}
TARGET_WORD = {"aws": "account", "gcp": "project", "azure": "subscription"}


class Unit(StrictModel):
    """One node of the hierarchy: an AWS OU, a GCP folder or an Azure management group."""

    name: str = Field(pattern=UNIT_NAME)
    """Unit name, `[a-z][a-z0-9-]{0,28}[a-z0-9]`, unique per cloud and not `root`; GCP folders take 3 to 30
    characters."""
    parent: str = ROOT
    """The parent unit, listed before this one, or `root`. Nesting below the root: at most 5 levels on AWS, 10 on
    GCP, 6 on Azure."""


class Target(StrictModel):
    """What every vended account, project or subscription has: its place in the hierarchy and its job."""

    name: str = Field(pattern=TARGET_NAME)
    """Name, `[a-z][a-z0-9-]{0,28}[a-z0-9]`, unique per cloud."""
    unit: str = ROOT
    """The unit it is placed in, or `root`."""
    role: Role = "workload"
    """`workload` (foundations land here), `log-archive` (central audit logs) or `security` (detective controls);
    exactly one of each anchor per cloud."""
    foundations: list[str] = Field(default_factory=list, max_length=20)
    """Foundation stacks that land here (workload targets only, each stack in one target per cloud)."""
    budget: Budget | None = None  # overrides the organization's budget for this target
    """A budget for this target alone; default the organization's."""

    @field_validator("foundations")
    @classmethod
    def _stacks(cls, value: list[str]) -> list[str]:
        for i, stack in enumerate(value):
            if not re.match(STACK_NAME, stack):
                raise SpecError((i,), f"{stack!r} is not a stack name")
            if stack in value[:i]:
                raise SpecError((i,), f"foundation {stack!r} is listed twice")
        return value


class AwsAccount(Target):
    """An AWS account the organization vends."""

    # AWS requires a unique e-mail address per account: it is the account's root user.
    email: str
    """The account root user's e-mail address, unique per account, at most 64 characters."""
    # Known once AWS has created the account (or for an account adopted with `pulumi import`);
    # a foundation that lands here must name the same id.
    account_id: str | None = Field(default=None, pattern=r"^\d{12}$")
    """The 12-digit id, known once AWS has created the account (or for an adopted one); a foundation that lands here
    must name the same id. Never the management account's."""

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not EMAIL.match(value) or len(value) > 64:
            raise ValueError(
                f"{value!r} is not an e-mail address of at most 64 characters "
                "(AWS Organizations CreateAccount: Email, 6 to 64 characters)"
            )
        return value


class GcpProject(Target):
    """A GCP project the organization vends."""

    project_id: str = Field(pattern=r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
    """The project id (6 to 30 lower-case letters, digits and '-'), unique; a foundation that lands here must name
    it as `clouds.gcp.project`."""


class AzureSubscription(Target):
    """An Azure subscription the organization vends or adopts."""

    # An existing subscription is adopted by id; a new one is created from the billing scope.
    subscription_id: str | None = Field(default=None, pattern=UUID_PATTERN)
    """An existing subscription to adopt (a UUID); without it a new one is created from `billing_scope`."""
    workload: Literal["Production", "DevTest"] = "Production"
    """Workload type of a new subscription: `Production` or `DevTest` (dev/test pricing)."""


class CloudOrgBase(StrictModel):
    """What every cloud of an organization has: a home region and a hierarchy of units."""

    home_region: str
    """Region of the organization's own resources (trails, log stores, budgets); inside `residency`."""
    units: list[Unit] = Field(default_factory=list, max_length=200)
    """The hierarchy below the root (AWS OUs, GCP folders, Azure management groups), parents first, at most 200."""

    def targets(self) -> list[Any]:
        raise NotImplementedError

    def by_role(self, role: str) -> Any:
        return next(t for t in self.targets() if t.role == role)

    def depth(self, unit: str) -> int:
        parents = {u.name: u.parent for u in self.units}
        depth = 0
        while unit != ROOT:
            unit = parents[unit]
            depth += 1
        return depth


class AwsOrg(CloudOrgBase):
    """The AWS organization: OUs, vended accounts and SCP guardrails."""

    management_account_id: str = Field(pattern=r"^\d{12}$")
    """The 12-digit id of the organization's management account (never vended; SCPs do not apply to it)."""
    # `aws organizations list-roots`: known before anything is created, so attachments are plain data.
    root_id: str = Field(pattern=r"^r-[0-9a-z]{4,32}$")
    """The organization root's id (`r-...`, from `aws organizations list-roots`)."""
    accounts: list[AwsAccount] = Field(min_length=2, max_length=100)
    """The accounts, 2 to 100, including exactly one `log-archive` and one `security` account."""

    def targets(self) -> list[Any]:
        return list(self.accounts)


class GcpOrg(CloudOrgBase):
    """The GCP organization: folders, vended projects and organization-policy guardrails."""

    organization_id: str = Field(pattern=r"^[1-9][0-9]{5,24}$")
    """The numeric GCP organization id."""
    billing_account: str = Field(pattern=r"^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$")
    """The billing account new projects are linked to (`XXXXXX-XXXXXX-XXXXXX`)."""
    projects: list[GcpProject] = Field(min_length=2, max_length=100)
    """The projects, 2 to 100, including exactly one `log-archive` and one `security` project."""

    def targets(self) -> list[Any]:
        return list(self.projects)


class AzureOrg(CloudOrgBase):
    """The Azure tenant: management groups, vended subscriptions and Azure Policy guardrails."""

    tenant_id: str = Field(pattern=UUID_PATTERN)
    """The Entra ID tenant id (a UUID)."""
    # Where new subscriptions are billed (an EA enrollment account or MCA invoice section); needed
    # only when a subscription is created rather than adopted by id.
    billing_scope: str | None = Field(default=None, pattern=r"^/providers/Microsoft\.Billing/billingAccounts/[^\s]+$")
    """Where new subscriptions are billed (an EA enrollment account or MCA invoice section,
    `/providers/Microsoft.Billing/billingAccounts/...`); needed only to create subscriptions."""
    subscriptions: list[AzureSubscription] = Field(min_length=2, max_length=100)
    """The subscriptions, 2 to 100, including exactly one `log-archive` and one `security` subscription."""
    # The anchors deny public IPs on NICs wherever nothing is meant to be reached from the internet.
    public_ips_on_nics: bool = False
    """Allow public IPs on network interfaces; false: the guardrails deny them."""

    def targets(self) -> list[Any]:
        return list(self.subscriptions)


class OrgClouds(StrictModel):
    """The clouds an organization governs: at least one of aws, gcp and azure."""

    aws: AwsOrg | None = None
    """The AWS organization; omit to leave AWS out."""
    gcp: GcpOrg | None = None
    """The GCP organization; omit to leave GCP out."""
    azure: AzureOrg | None = None
    """The Azure tenant; omit to leave Azure out."""

    @model_validator(mode="after")
    def _at_least_one(self) -> OrgClouds:
        if not self.enabled():
            raise ValueError("enable at least one of aws, gcp, azure")
        return self

    def enabled(self) -> list[str]:
        return [name for name in ("aws", "gcp", "azure") if getattr(self, name) is not None]

    def get(self, name: str) -> Any:
        cloud = getattr(self, name)
        if cloud is None:
            raise KeyError(name)
        return cloud


class Organization(StrictModel):
    """An organization stack: hierarchy, vending and guardrails per cloud, planned before its foundations."""

    organization: str
    """Short organization name, as a foundation's (`[a-z][a-z0-9-]{1,11}`); prefixes physical names."""
    environment: Environment = "prod"
    """As a foundation's; `test` leaves log buckets unlocked and stores deletable."""
    residency: str
    """The jurisdiction the guardrails allow regions of; each cloud's home region must lie in it."""
    tags: dict[str, str]
    """Tags on every resource, with the same rules as a foundation's."""
    clouds: OrgClouds
    """Per cloud, the hierarchy, the vended targets and their ids."""
    budget: Budget | None = None
    """The default monthly budget of every vended target, created as each cloud's own budget with alerts."""
    # Azure consumption budgets need a start month (the first of a month); fixed here, so the plan
    # is the same every day.
    budget_start: datetime.date | None = None
    """First day of a month (ISO date) the Azure budgets start; required with Azure and a budget. Fixed here so the
    plan is the same every day."""
    log_retention_days: int = Field(default=365, ge=30, le=3650)
    """Days the central audit logs are kept, 30 to 3650 (Azure workspaces cap interactive retention at 730)."""

    @field_validator("organization")
    @classmethod
    def _organization(cls, value: str) -> str:
        from lz.spec.foundation import LandingZone  # noqa: PLC0415 - one rule for both stack kinds

        checked: str = LandingZone._organization(value)
        return checked

    @field_validator("residency")
    @classmethod
    def _residency(cls, value: str) -> str:
        from lz.spec.foundation import LandingZone  # noqa: PLC0415

        checked: str = LandingZone._residency(value)
        return checked

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        from lz.spec.foundation import LandingZone  # noqa: PLC0415

        checked: dict[str, str] = LandingZone._tags(value)
        return checked

    @field_validator("budget_start")
    @classmethod
    def _start(cls, value: datetime.date | None) -> datetime.date | None:
        if value is not None and value.day != 1:
            raise ValueError(f"{value} is not the first day of a month (Azure budgets start on one)")
        return value

    @model_validator(mode="after")
    def _jurisdiction_has_regions(self) -> Organization:
        for name in self.clouds.enabled():
            cloud = self.clouds.get(name)
            path = ("clouds", name, "home_region")
            allowed = residency_regions(name, self.residency, cloud.home_region)
            if not allowed:
                raise SpecError(
                    ("clouds", name),
                    f"jurisdiction {self.residency!r} has no {name.upper()} "
                    "region in the catalog: the guardrail would allow no region at all",
                )
            if not regions.is_region(name, cloud.home_region):
                hint = regions.suggest(name, cloud.home_region)
                raise SpecError(
                    path,
                    f"{cloud.home_region!r} is not a {name.upper()} region"
                    + (f"; did you mean {' or '.join(hint)}?" if hint else ""),
                )
            if regions.jurisdiction_of(name, cloud.home_region) != self.residency:
                raise SpecError(
                    path,
                    f"{cloud.home_region!r} lies outside residency {self.residency!r}; allowed: {', '.join(allowed)}",
                )
        return self

    @model_validator(mode="after")
    def _hierarchy(self) -> Organization:
        for name in self.clouds.enabled():
            cloud = self.clouds.get(name)
            word = UNIT_WORD[name]
            seen: set[str] = set()
            for i, unit in enumerate(cloud.units):
                path = ("clouds", name, "units", i)
                if unit.name == ROOT or unit.name in seen:
                    raise SpecError(
                        path + ("name",),
                        f"{word} {unit.name!r} is " + ("the root's name" if unit.name == ROOT else "listed twice"),
                    )
                if unit.parent != ROOT and unit.parent not in seen:
                    known = ", ".join([ROOT, *sorted(seen)])
                    raise SpecError(
                        path + ("parent",),
                        f"unknown parent {word} {unit.parent!r}; a parent "
                        f"must be listed before its children (known here: {known})",
                    )
                # "Folder names can be 3 to 30 characters" (GCP folders.create, read 2026-12).
                if name == "gcp" and len(unit.name) < 3:
                    raise SpecError(path + ("name",), f"GCP folder names are 3 to 30 characters, {unit.name!r} is not")
                seen.add(unit.name)
                if cloud.depth(unit.name) > MAX_DEPTH[name]:
                    raise SpecError(path + ("parent",), f"{word}s nest at most {MAX_DEPTH[name]} levels below the root")
        return self

    @model_validator(mode="after")
    def _targets(self) -> Organization:
        landed: dict[tuple[str, str], str] = {}
        for name in self.clouds.enabled():
            cloud = self.clouds.get(name)
            key = {"aws": "accounts", "gcp": "projects", "azure": "subscriptions"}[name]
            units = {u.name for u in cloud.units} | {ROOT}
            unique: dict[str, dict[str, str]] = {
                "name": {},
                "email": {},
                "account_id": {},
                "project_id": {},
                "subscription_id": {},
            }
            for i, target in enumerate(cloud.targets()):
                path = ("clouds", name, key, i)
                if target.unit not in units:
                    raise SpecError(
                        path + ("unit",),
                        f"unknown {UNIT_WORD[name]} {target.unit!r}; known: {', '.join(sorted(units))}",
                    )
                for field, seen in unique.items():
                    value = getattr(target, field, None)
                    if value is None:
                        continue
                    folded = value.lower()
                    if folded in seen:
                        raise SpecError(
                            path + (field,), f"{value!r} is also used by {TARGET_WORD[name]} {seen[folded]!r}"
                        )
                    seen[folded] = target.name
                for j, stack in enumerate(target.foundations):
                    if (name, stack) in landed:
                        raise SpecError(
                            path + ("foundations", j),
                            f"foundation {stack!r} already lands in {TARGET_WORD[name]} {landed[(name, stack)]!r}",
                        )
                    landed[(name, stack)] = target.name
                    if target.role != "workload":
                        raise SpecError(
                            path + ("foundations", j),
                            f"foundations land in workload {TARGET_WORD[name]}s, not in the {target.role} one",
                        )
            for role in ("log-archive", "security"):
                count = sum(1 for t in cloud.targets() if t.role == role)
                if count != 1:
                    raise SpecError(
                        ("clouds", name, key),
                        f"exactly one {TARGET_WORD[name]} has role {role!r} "
                        f"(found {count}): the central logs and the detective controls live there",
                    )
            if name == "aws":
                for i, account in enumerate(cloud.accounts):
                    if account.account_id == cloud.management_account_id:
                        raise SpecError(
                            ("clouds", "aws", "accounts", i, "account_id"),
                            "the management account is not vended; SCPs never apply to it",
                        )
            if name == "azure" and cloud.billing_scope is None:
                for i, sub in enumerate(cloud.subscriptions):
                    if sub.subscription_id is None:
                        raise SpecError(
                            ("clouds", "azure", "subscriptions", i, "subscription_id"),
                            "a new subscription needs clouds.azure.billing_scope; or give the id "
                            "of an existing subscription to adopt",
                        )
        return self

    @model_validator(mode="after")
    def _budgets(self) -> Organization:
        # Limits of the clouds' budget APIs (read 2026-12): a GCP budget notifies at most 5 Cloud
        # Monitoring channels (https://cloud.google.com/billing/docs/how-to/budgets-notification-recipients);
        # an Azure budget holds at most 5 notifications
        # (https://learn.microsoft.com/rest/api/consumption/budgets/create-or-update); an AWS budget
        # notification has at most 10 e-mail subscribers
        # (https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-controls.html).
        limits = {"gcp": ("recipients", 5), "azure": ("alert_thresholds", 5), "aws": ("recipients", 10)}
        for name in self.clouds.enabled():
            key = {"aws": "accounts", "gcp": "projects", "azure": "subscriptions"}[name]
            field, limit = limits[name]
            for i, target in enumerate(self.clouds.get(name).targets()):
                budget = self.budget_for(target)
                if budget is not None and len(getattr(budget, field)) > limit:
                    path = ("clouds", name, key, i, "budget", field) if target.budget else ("budget", field)
                    raise SpecError(
                        path,
                        f"{name.upper()} budgets take at most {limit} {field.replace('_', ' ')} "
                        f"({TARGET_WORD[name]} {target.name!r} would get {len(getattr(budget, field))})",
                    )
        if (
            self.clouds.azure is not None
            and self.budget_start is None
            and any(self.budget_for(t) for t in self.clouds.azure.subscriptions)
        ):
            raise SpecError(
                ("budget_start",),
                "Azure budgets need a start month: set budget_start to the first day of a month, e.g. 2027-01-01",
            )
        return self

    # Convenience for the program and the guardrails ----------------------------------------
    @property
    def disposable(self) -> bool:
        return self.environment == "test"

    def all_tags(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return labels.standard_tags(self.tags, self.environment, extra)

    def budget_for(self, target: Target) -> Budget | None:
        return target.budget or self.budget

    def placement(self, stack: str) -> dict[str, dict[str, Any]]:
        """Where foundation `stack` lands: cloud -> {target, unit, and the target's id if known}."""
        out: dict[str, dict[str, Any]] = {}
        for name in self.clouds.enabled():
            for target in self.clouds.get(name).targets():
                if stack in target.foundations:
                    out[name] = {"target": target.name, "unit": target.unit, "id": target_id(name, target)}
        return out


def target_id(cloud: str, target: Any) -> str | None:
    return {
        "aws": lambda: target.account_id,
        "gcp": lambda: target.project_id,
        "azure": lambda: target.subscription_id,
    }[cloud]()


def residency_regions(cloud: str, jurisdiction: str, home_region: str | None = None) -> list[str]:
    """The regions the guardrails allow: the catalog's regions of `jurisdiction` on `cloud`.

    An AWS organization lives in one partition (aws, aws-cn, aws-us-gov): its SCP lists the regions
    of the home region's partition only.
    """
    found = regions.regions_in(cloud, jurisdiction)
    if cloud == "aws" and home_region and regions.is_region("aws", home_region):
        partition = (regions.region_info("aws", home_region) or {}).get("partition", "aws")
        found = [r for r in found if (regions.region_info("aws", r) or {}).get("partition", "aws") == partition]
    return found


def _prefix(namespace: str) -> tuple[str, ...]:
    return (f"{namespace}:{ORGANIZATION_KEY}",)


def load_organization(
    raw: Any, *, file: str, namespace: str, lines: dict[tuple[Any, ...], int] | None = None
) -> Organization:
    """Validate the `organization` object of a stack file (already parsed) into the spec."""
    from lz.spec import raise_input_error  # noqa: PLC0415 - lz.spec imports this module's siblings

    if not isinstance(raw, dict):
        raise InputError("expected a mapping", file=file, key=key_path(("config",) + _prefix(namespace)))
    try:
        org = Organization.model_validate(raw)
    except ValidationError as exc:
        raise_input_error(exc, Organization, file=file, prefix=_prefix(namespace), lines=lines or {})
    if org.clouds.aws is not None:
        from lz.spec.guardrails import aws_problems  # noqa: PLC0415 - the guardrails read this module's spec

        problems = aws_problems(org)
        if problems:
            raise InputError(
                "AWS would refuse the guardrails: " + "; ".join(problems),
                file=file,
                key=key_path(("config",) + _prefix(namespace) + ("clouds", "aws")),
            )
    return org


FOUNDATION_IDS = {"aws": "account_id", "gcp": "project", "azure": "subscription_id"}


def check_foundation(org: Organization, foundation: LandingZone, stack: str, *, file: str, namespace: str) -> None:
    """A foundation that names this organization lands where the organization says, in its residency."""
    from lz.spec import LANDING_ZONE_KEY  # noqa: PLC0415

    base = ("config", f"{namespace}:{LANDING_ZONE_KEY}")
    if foundation.residency != org.residency:
        raise InputError(
            f"residency {foundation.residency!r} differs from the organization's "
            f"{org.residency!r}: the clouds would refuse its regions",
            file=file,
            key=key_path(base + ("residency",)),
        )
    placement = org.placement(stack)
    for cloud in foundation.clouds.enabled():
        key = key_path(base + ("clouds", cloud, FOUNDATION_IDS[cloud]))
        where = placement.get(cloud)
        if where is None:
            raise InputError(
                f"the organization vends no {TARGET_WORD[cloud]} for foundation {stack!r} on "
                f"{cloud} (add {stack!r} to a {TARGET_WORD[cloud]}'s `foundations`)",
                file=file,
                key=key,
            )
        actual = getattr(foundation.clouds.get(cloud), FOUNDATION_IDS[cloud])
        if where["id"] is not None and where["id"].lower() != str(actual).lower():
            raise InputError(
                f"{actual!r} is not the {TARGET_WORD[cloud]} the organization vends for this "
                f"foundation ({where['target']}: {where['id']})",
                file=file,
                key=key,
            )
        if where["id"] is None:
            raise InputError(
                f"the organization's {TARGET_WORD[cloud]} {where['target']!r} has no id yet; "
                "set it in the organization stack once the cloud has assigned it",
                file=file,
                key=key,
            )
