"""The `identity` key: one role catalog, mapped onto each cloud's SSO and IAM.

```yaml
identity:
  aws:                                   # IAM Identity Center of the AWS organization
    instance_arn: arn:aws:sso:::instance/ssoins-0123456789abcdef
    identity_store_id: d-0123456789
    region: eu-west-1                    # optional: one of clouds.aws.regions (default: the home region)
  roles:
    - name: network-admin
      description: Runs the landing zone's networks
      grants: [network-admin, monitoring-read]      # names from lz/data/grants.yaml
      groups:                            # the identity provider's groups, never users
        aws: 0123456789-0a1b2c3d-1111-2222-3333-444455556666      # Identity Store group id
        gcp: group:network-admins@example.com
        azure: 6f1c1f2e-9a55-4d5e-8f0c-4c2b7d1e0a11                # Entra ID group object id
      session_duration: PT4H             # ISO 8601, 1 to 12 hours (AWS permission sets)
      break_glass: false                 # only a break-glass role may hold an admin grant
```

Grants are a closed vocabulary (`lz/data/grants.yaml`, loaded and validated here once) that maps
each abstract grant onto AWS managed policies and inline statements, GCP predefined roles and
custom-role permissions, Azure built-in roles and custom-role actions. A role without a group for a
cloud is still defined there, bound to nobody; a group (and `identity.aws`) of a cloud that is not
enabled is kept but unused, so one catalog can serve stacks that enable different clouds. Every rule
names its key path.

What it does not do: create groups or users in an identity provider, or look anything up in one.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import Field, ValidationError, ValidationInfo, field_validator

from lz.spec.base import SpecError, StrictModel

if TYPE_CHECKING:
    from lz.spec.foundation import LandingZone

MIN_SESSION_SECONDS = 3600  # AWS permission sets: PT1H to PT12H
MAX_SESSION_SECONDS = 12 * 3600
MAX_BREAK_GLASS_SESSION_SECONDS = 3600  # a break-glass session is short: one hour at most
MAX_AWS_MANAGED_POLICIES = 10  # managed policies per permission set (the IAM Identity Center default quota)

UUID_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
AWS_GROUP_RE = re.compile(rf"^([0-9a-f]{{10}}-)?{UUID_PATTERN}$")
GCP_GROUP_RE = re.compile(r"^group:[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
AZURE_GROUP_RE = re.compile(rf"^{UUID_PATTERN}$")
DURATION_RE = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?$")
GCP_BASIC_ROLES = ("roles/owner", "roles/editor", "roles/viewer")
# Written into the description of every role entity a break-glass role creates (AWS permission set,
# GCP custom role, Azure role definition and assignment): the `iam-` policies read it there.
BREAK_GLASS_MARKER = "[break-glass]"

_GROUP_FORMS = {
    "aws": "an IAM Identity Center (Identity Store) group id such as 0123456789-0a1b2c3d-1111-2222-3333-444455556666",
    "gcp": "a Google group as group:<email>",
    "azure": "an Entra ID group object id (a UUID)",
}


# --- the grant catalog ---------------------------------------------------------------------------


class AwsStatement(StrictModel):
    """One statement of the inline policy a grant adds to the AWS permission set."""

    sid: str = Field(pattern=r"^[A-Za-z0-9]{1,64}$")
    """Statement id, 1 to 64 letters and digits, unique within a role's grants."""
    actions: list[str] = Field(min_length=1)
    """IAM actions the statement allows (`s3:GetObject`, `ec2:Describe*`); at least one."""
    resources: list[str] = Field(default_factory=lambda: ["*"], min_length=1)
    """Resource ARNs the actions apply to; default every resource (`*`)."""
    conditions: dict[str, dict[str, str | list[str]]] = Field(default_factory=dict)
    """IAM condition block: operator -> condition key -> value or values; default none."""


class AwsGrant(StrictModel):
    """What a grant gives on AWS: managed policies and inline statements on the role's permission set."""

    managed_policies: list[str] = Field(default_factory=list)
    """ARNs of AWS managed policies (`arn:aws:iam::aws:policy/...`) attached to the permission set."""
    statements: list[AwsStatement] = Field(default_factory=list)
    """Inline policy statements added to the permission set."""

    @field_validator("managed_policies")
    @classmethod
    def _arns(cls, value: list[str]) -> list[str]:
        for arn in value:
            if not re.match(r"^arn:aws:iam::aws:policy/[\w+=,.@/-]+$", arn):
                raise ValueError(f"{arn!r} is not the ARN of an AWS managed policy")
        return value


class GcpGrant(StrictModel):
    """What a grant gives on GCP: predefined roles and the permissions of a custom role."""

    roles: list[str] = Field(default_factory=list)
    """Predefined roles (`roles/<service>.<role>`) bound to the role's group; basic roles (owner, editor, viewer)
    are refused."""
    permissions: list[str] = Field(default_factory=list)
    """Permissions collected into the role's GCP custom role."""

    @field_validator("roles")
    @classmethod
    def _predefined(cls, value: list[str]) -> list[str]:
        for role in value:
            if role in GCP_BASIC_ROLES:
                raise ValueError(f"{role} is a basic role; map the grant onto predefined roles instead")
            if not re.match(r"^roles/[a-zA-Z0-9_.]+$", role):
                raise ValueError(f"{role!r} is not a predefined role (roles/<service>.<role>)")
        return value


class AzureBuiltinRole(StrictModel):
    """An Azure built-in role, by name and by its fixed definition id."""

    name: str
    """The built-in role's display name (`Reader`, `Network Contributor`)."""
    id: str = Field(pattern=rf"^{UUID_PATTERN}$")
    """The built-in role definition's id (a UUID, the same in every tenant)."""


class AzureGrant(StrictModel):
    """What a grant gives on Azure: built-in roles and the actions of a custom role."""

    roles: list[AzureBuiltinRole] = Field(default_factory=list)
    """Built-in roles assigned to the role's group."""
    actions: list[str] = Field(default_factory=list)
    """Control-plane actions collected into the role's Azure custom role definition."""
    data_actions: list[str] = Field(default_factory=list)
    """Data-plane actions collected into the role's Azure custom role definition."""


KUBERNETES_ACCESS = ("view", "edit", "admin")  # weakest first


class Grant(StrictModel):
    """An abstract grant of `lz/data/grants.yaml`, mapped onto each cloud's policies and roles."""

    description: str
    """What the grant allows, in a sentence."""
    admin: bool = False
    """Gives administrator rights: only a break-glass role may hold it."""
    # What the grant gives on the landing zone's Kubernetes clusters: EKS access policies
    # (AmazonEKSViewPolicy, AmazonEKSEditPolicy, AmazonEKSClusterAdminPolicy) and AKS RBAC roles
    # (Reader, Writer, Cluster Admin). None: no cluster access.
    kubernetes: Literal["view", "edit", "admin"] | None = None
    """Access the grant gives on the landing zone's clusters (`view`, `edit`, `admin`: EKS access policies and AKS
    RBAC roles); none: no cluster access."""
    aws: AwsGrant = AwsGrant()
    """The grant on AWS."""
    gcp: GcpGrant = GcpGrant()
    """The grant on GCP."""
    azure: AzureGrant = AzureGrant()
    """The grant on Azure."""


class GrantCatalogError(ValueError):
    """`lz/data/grants.yaml` itself is broken: a packaging or editing mistake, never a user's."""


def parse_grants(data: Any) -> dict[str, Grant]:
    if not isinstance(data, dict) or not data:
        raise GrantCatalogError("grants.yaml: expected a mapping of grant names to definitions")
    out: dict[str, Grant] = {}
    for name, body in data.items():
        if not isinstance(name, str) or not re.match(r"^[a-z][a-z0-9-]{1,40}$", name):
            raise GrantCatalogError(f"grants.yaml: {name!r} is not a grant name ([a-z][a-z0-9-]*)")
        try:
            grant = Grant.model_validate(body)
        except ValidationError as exc:
            raise GrantCatalogError(f"grants.yaml: {name}: {exc}") from None
        for cloud in ("aws", "gcp", "azure"):
            side = getattr(grant, cloud)
            if not any(getattr(side, f) for f in type(side).model_fields):
                raise GrantCatalogError(f"grants.yaml: {name}: maps onto nothing on {cloud}")
        out[name] = grant
    return out


@cache
def grants() -> dict[str, Grant]:
    """The grant catalog, read once from `lz/data/grants.yaml`."""
    text = resources.files("lz").joinpath("data/grants.yaml").read_text(encoding="utf-8")
    return parse_grants(yaml.safe_load(text))


# --- the spec ------------------------------------------------------------------------------------


def _principal_problem(cloud: str, value: str) -> str | None:
    kind, _, rest = value.partition(":")
    if rest and kind.lower() == "user":
        return (
            f"{value!r} is a user principal; roles are bound to groups only, never to individual users: "
            f"give {_GROUP_FORMS[cloud]}"
        )
    if cloud == "gcp":
        if GCP_GROUP_RE.match(value):
            return None
        if not rest and "@" in value:
            return f"{value!r} has no member type: write the group as group:{value}"
        if rest and kind in (
            "serviceAccount",
            "domain",
            "allUsers",
            "allAuthenticatedUsers",
            "principal",
            "principalSet",
            "deleted",
        ):
            return (
                f"{value!r} is a {kind} member; roles of the catalog are bound to groups only ({_GROUP_FORMS[cloud]})"
            )
        return f"{value!r} is not {_GROUP_FORMS[cloud]}"
    pattern = AWS_GROUP_RE if cloud == "aws" else AZURE_GROUP_RE
    if pattern.match(value):
        return None
    return f"{value!r} is not {_GROUP_FORMS[cloud]}"


class RoleGroups(StrictModel):
    """The identity-provider group each cloud binds the role to (groups only, never users)."""

    aws: str | None = None
    """IAM Identity Center (Identity Store) group id the role's permission set is assigned to; none: the role is
    defined on AWS but bound to nobody."""
    gcp: str | None = None
    """Google group the role's IAM bindings go to, as `group:name@example.com`; users are refused."""
    azure: str | None = None
    """Entra ID group object id (a UUID) the role's Azure role assignments go to."""

    @field_validator("aws", "gcp", "azure")
    @classmethod
    def _group(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            problem = _principal_problem(str(info.field_name), value)
            if problem:
                raise ValueError(problem)
        return value


def session_seconds(duration: str) -> int | None:
    """Seconds of an ISO 8601 duration of hours and minutes (`PT4H`, `PT1H30M`); None if not one."""
    match = DURATION_RE.match(duration)
    if not match or not any(match.groups()):
        return None
    hours, minutes = (int(g) if g else 0 for g in match.groups())
    return hours * 3600 + minutes * 60


class Role(StrictModel):
    """A role of the catalog: grants from lz/data/grants.yaml, bound to one identity-provider group per cloud."""

    name: str = Field(pattern=r"^[a-z][a-z0-9-]{1,40}$")
    """Role name, `[a-z][a-z0-9-]{1,40}`, unique; names the AWS permission set, GCP custom role and Azure role
    definition built for it."""
    description: str = Field(default="", max_length=200)
    """Free text (at most 200 characters) shown on the permission set and role definitions."""
    grants: list[str] = Field(min_length=1, max_length=16)
    """1 to 16 grant names, each once, from the closed catalog `lz/data/grants.yaml` (administrator, network-admin,
    security-audit, read-only, monitoring-read, ml-develop, notebooks, data-read, data-write). `administrator`
    needs `break_glass: true`; together at most 10 AWS managed policies."""
    groups: RoleGroups = RoleGroups()
    """The identity-provider group each cloud binds the role to (groups only, never users)."""
    break_glass: bool = False
    """Marks an emergency role: the only kind that may hold an administrator grant, with sessions of at most PT1H.
    Keep its groups small and monitored."""
    session_duration: str = "PT4H"
    """AWS permission-set session length as an ISO 8601 duration of hours and minutes, PT1H to PT12H (`PT4H`,
    `PT1H30M`); at most PT1H on a break-glass role."""

    @field_validator("session_duration")
    @classmethod
    def _duration(cls, value: str) -> str:
        seconds = session_seconds(value)
        if seconds is None:
            raise ValueError(f"{value!r} is not an ISO 8601 duration of hours and minutes such as PT4H or PT1H30M")
        if not MIN_SESSION_SECONDS <= seconds <= MAX_SESSION_SECONDS:
            raise ValueError(f"{value} is outside PT1H to PT12H, the session durations AWS permission sets allow")
        return value

    def grant_definitions(self) -> list[Grant]:
        catalog = grants()
        return [catalog[g] for g in self.grants]

    @property
    def is_admin(self) -> bool:
        return any(g.admin for g in self.grant_definitions())

    @property
    def kubernetes_access(self) -> str | None:
        """The strongest cluster access of the role's grants, None without any."""
        levels = [g.kubernetes for g in self.grant_definitions() if g.kubernetes]
        return max(levels, key=KUBERNETES_ACCESS.index) if levels else None


class AwsIdentityCenter(StrictModel):
    """The AWS organization's IAM Identity Center instance, where permission sets live."""

    instance_arn: str = Field(pattern=r"^arn:aws(-[a-z]+)*:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}$")
    """ARN of the organization's IAM Identity Center instance (`arn:aws:sso:::instance/ssoins-...`), where the
    permission sets are created."""
    identity_store_id: str = Field(pattern=r"^d-[0-9a-f]{10}$")
    """Id of the instance's identity store (`d-` and 10 hex digits), where the groups live."""
    region: str | None = None
    """Region the permission sets are managed from: one of `clouds.aws.regions`; default the AWS home region."""


class Identity(StrictModel):
    """The role catalog and, on AWS, the IAM Identity Center instance it is managed in."""

    aws: AwsIdentityCenter | None = None
    """The IAM Identity Center instance; required when AWS is enabled and roles are defined."""
    roles: list[Role] = Field(default_factory=list)
    """The roles, each unique by name; with GPU pools on AWS or Azure, at least one role needs a grant with cluster
    access and a group there, or nobody could use the cluster."""


def identity_center_region(lz: LandingZone) -> str:
    """Where the permission sets are managed: `identity.aws.region`, else the AWS home region."""
    aws = lz.clouds.get("aws")
    chosen = lz.identity.aws.region if lz.identity.aws is not None else None
    return chosen or aws.regions[0]


def check(lz: LandingZone) -> None:
    """Cross-field rules of `identity` against the rest of the landing zone."""
    ident = lz.identity
    enabled = lz.clouds.enabled()
    catalog = grants()
    # Settings for a cloud that is not enabled are kept but unused: one catalog can serve stacks that
    # enable different clouds, and a group of a disabled cloud binds nothing.
    if ident.aws is not None and "aws" in enabled:
        region = ident.aws.region
        if region is not None and region not in lz.clouds.get("aws").regions:
            raise SpecError(
                ("identity", "aws", "region"),
                f"{region!r} is not one of clouds.aws.regions ({', '.join(lz.clouds.get('aws').regions)}); "
                "the landing zone manages IAM Identity Center only through its own regions",
            )
    elif ident.roles and "aws" in enabled:
        raise SpecError(
            ("identity", "aws"),
            "the role catalog needs IAM Identity Center on AWS: give "
            "instance_arn and identity_store_id of the organization's instance",
        )
    seen: dict[str, int] = {}
    for i, role in enumerate(ident.roles):
        path = ("identity", "roles", i)
        if role.name in seen:
            raise SpecError(
                path + ("name",), f"role {role.name!r} is already defined at identity.roles[{seen[role.name]}]"
            )
        seen[role.name] = i
        granted: set[str] = set()
        for j, name in enumerate(role.grants):
            if name not in catalog:
                close = difflib.get_close_matches(name, list(catalog), n=2)
                hint = f"; did you mean {' or '.join(close)}?" if close else ""
                raise SpecError(path + ("grants", j), f"unknown grant {name!r}{hint} (known: {', '.join(catalog)})")
            if name in granted:
                raise SpecError(path + ("grants", j), f"grant {name!r} is listed twice")
            granted.add(name)
            if catalog[name].admin and not role.break_glass:
                raise SpecError(
                    path + ("grants", j),
                    f"grant {name!r} gives administrator rights; only a break-glass role may hold it: "
                    "set break_glass: true on this role (and keep its group small and monitored)",
                )
        if role.break_glass:
            seconds = session_seconds(role.session_duration) or 0
            if seconds > MAX_BREAK_GLASS_SESSION_SECONDS:
                raise SpecError(
                    path + ("session_duration",),
                    f"{role.session_duration} is too long for a break-glass "
                    "role; break-glass sessions last PT1H at most",
                )
        managed = {arn for g in role.grant_definitions() for arn in g.aws.managed_policies}
        if len(managed) > MAX_AWS_MANAGED_POLICIES:
            raise SpecError(
                path + ("grants",),
                f"these grants attach {len(managed)} AWS managed policies; a "
                f"permission set takes at most {MAX_AWS_MANAGED_POLICIES}",
            )
