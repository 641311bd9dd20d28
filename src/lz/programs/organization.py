"""The Pulumi program of an organization stack, and how a foundation reads the organization it names.

For a stack with `landing-zone:organization` (under `pulumi up` and `lz plan` alike) it validates the
spec, builds `lz.components.organization.Organization` and exports:

- `kind`: "organization";
- `spec`: small and plain (organization, residency, and per foundation stack where it lands), read
  synchronously by the foundations, as waves read a foundation's `spec`;
- `organization`: the ids of OUs, folders, management groups, accounts, projects, subscriptions and
  guardrails, as Outputs.

A foundation with `organization_stack` reads that stack through `pulumi.StackReference`, checks that
its account, project and subscription are the ones vended for it (`check_foundation`), and exports
where it landed. Offline, `lz plan` answers the reference with the outputs of the organization it
synthesized first.
"""

from __future__ import annotations

from typing import Any

import pulumi

from lz.core.errors import InputError
from lz.spec.organization import Organization, check_foundation, load_organization


def exported_spec(org: Organization) -> dict[str, Any]:
    stacks = sorted({s for c in org.clouds.enabled() for t in org.clouds.get(c).targets() for s in t.foundations})
    return {
        "organization": org.organization,
        "residency": org.residency,
        "clouds": org.clouds.enabled(),
        "placements": {stack: org.placement(stack) for stack in stacks},
    }


def run_organization(raw: Any, *, file: str, namespace: str, lines: dict[tuple[Any, ...], int] | None = None) -> None:
    org = load_organization(raw, file=file, namespace=namespace, lines=lines)
    from lz.components.organization import Organization as OrganizationComponent  # noqa: PLC0415

    built = OrganizationComponent(org.organization, org)
    pulumi.export("kind", "organization")
    pulumi.export("spec", exported_spec(org))
    pulumi.export("organization", built.outputs)


def organization_reference(stack: str) -> pulumi.StackReference:
    org = pulumi.get_organization() or "organization"
    return pulumi.StackReference(f"organization-{stack}", stack_name=f"{org}/{pulumi.get_project()}/{stack}")


def read_organization(spec: Any, *, file: str, namespace: str) -> dict[str, Any]:
    """The placement of this foundation, read from the organization stack it names, and checked."""
    from pulumi.runtime.sync_await import _sync_await  # noqa: PLC0415 - the SDK's synchronous-invoke path

    from lz.spec import LANDING_ZONE_KEY  # noqa: PLC0415

    stack = spec.organization_stack
    key = f"config.{namespace}:{LANDING_ZONE_KEY}.organization_stack"
    ref = organization_reference(stack)
    kind = _sync_await(ref.get_output_details("kind")).value
    exported = _sync_await(ref.get_output_details("spec")).value
    if kind != "organization" or not isinstance(exported, dict):
        raise InputError(
            f"stack {stack!r} is not an organization stack of this project; plan or deploy it first", file=file, key=key
        )
    me = pulumi.get_stack()
    placement = (exported.get("placements") or {}).get(me)
    if exported.get("residency") != spec.residency:
        raise InputError(
            f"residency {spec.residency!r} differs from organization {stack!r}'s {exported.get('residency')!r}",
            file=file,
            key=f"config.{namespace}:{LANDING_ZONE_KEY}.residency",
        )
    for cloud in spec.clouds.enabled():
        where = (placement or {}).get(cloud)
        ids = {"aws": "account_id", "gcp": "project", "azure": "subscription_id"}
        actual = str(getattr(spec.clouds.get(cloud), ids[cloud])).lower()
        if where is None or str(where.get("id") or "").lower() != actual:
            raise InputError(
                f"organization {stack!r} vends no {cloud} target {actual!r} for stack {me!r}",
                file=file,
                key=f"config.{namespace}:{LANDING_ZONE_KEY}.clouds.{cloud}",
            )
    mine = {cloud: (placement or {})[cloud] for cloud in spec.clouds.enabled()}
    pulumi.export("organization", {"stack": stack, "placement": mine, "outputs": ref.get_output("organization")})
    return mine


__all__ = ["check_foundation", "exported_spec", "read_organization", "run_organization"]
