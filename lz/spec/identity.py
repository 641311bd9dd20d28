"""The `identity` key: one role catalog, mapped onto each cloud's SSO and IAM."""

from __future__ import annotations

from pydantic import Field

from typing import TYPE_CHECKING

from .base import StrictModel

if TYPE_CHECKING:
    from .foundation import LandingZone


class RoleGroups(StrictModel):
    """The identity-provider group each cloud binds the role to (groups only, never users)."""

    aws: str | None = None
    gcp: str | None = None
    azure: str | None = None


class Role(StrictModel):
    name: str = Field(pattern=r"^[a-z][a-z0-9-]{1,40}$")
    description: str = ""
    grants: list[str] = Field(default_factory=list)
    groups: RoleGroups = RoleGroups()
    break_glass: bool = False
    session_duration: str = "PT4H"


class Identity(StrictModel):
    roles: list[Role] = Field(default_factory=list)


def check(lz: LandingZone) -> None:
    """Cross-field rules of `identity` against the rest of the landing zone."""
    return None
