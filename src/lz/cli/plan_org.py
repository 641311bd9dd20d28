"""What `lz plan` does for organization stacks and for the foundations (and their waves) that name one.

A foundation with `organization_stack` is checked against that organization's spec before anything
runs (`check_named_organization`: the stack exists, is an organization, and vends this foundation's
account, project and subscription), and its program's StackReference is answered with the outputs of
the organization synthesized first (`organization_references`), as a wave's reference is answered
with its foundation's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from lz.cli.project import StackFile, load_stack
from lz.core.errors import InputError
from lz.spec import LANDING_ZONE_KEY, ORGANIZATION_KEY, WAVE_KEY, load_landing_zone
from lz.spec.organization import Organization, check_foundation, load_organization


def parity_file(stack: StackFile, org: Organization | None = None) -> str:
    """`parity.json`: the parity matrix, the controls this organization generates, and any gap."""
    import json  # noqa: PLC0415

    from lz.review.parity import as_data, gaps  # noqa: PLC0415
    from lz.spec.guardrails import twin_ids  # noqa: PLC0415

    org = org if org is not None else organization_spec_of(stack)
    generated = twin_ids(org)
    return (
        json.dumps(
            {"matrix": as_data(), "generated": sorted(generated), "gaps": gaps(generated, org.clouds.enabled())},
            indent=2,
            sort_keys=True,
        )
        + "\n"
    )


def organization_spec_of(stack: StackFile) -> Organization:
    return load_organization(
        stack.namespaced(ORGANIZATION_KEY), file=stack.display, namespace=stack.project.name, lines=stack.lines
    )


def _organization_stack(stack: StackFile, name: str) -> StackFile:
    ns = stack.project.name
    key = f"config.{ns}:{LANDING_ZONE_KEY}.organization_stack"
    line = stack.line_of((f"{ns}:{LANDING_ZONE_KEY}", "organization_stack"))
    if name not in stack.project.stacks():
        raise InputError(
            f"no organization stack {name!r} in this project (stacks: {', '.join(stack.project.stacks())})",
            file=stack.display,
            key=key,
            line=line,
        )
    org_stack = load_stack(stack.project, name)
    if org_stack.namespaced(ORGANIZATION_KEY) is None:
        raise InputError(
            f"stack {name!r} is not an organization (it has no {ns}:{ORGANIZATION_KEY})",
            file=stack.display,
            key=key,
            line=line,
        )
    return org_stack


def check_named_organization(stack: StackFile, spec: Any) -> Organization:
    org_stack = _organization_stack(stack, spec.organization_stack)
    org = organization_spec_of(org_stack)
    check_foundation(org, spec, stack.stack, file=stack.display, namespace=stack.project.name)
    return org


def _foundation_stack_of(stack: StackFile) -> StackFile | None:
    if stack.namespaced(LANDING_ZONE_KEY) is not None:
        return stack
    raw = stack.namespaced(WAVE_KEY)
    if isinstance(raw, dict) and isinstance(raw.get("foundation"), str) and raw["foundation"] in stack.project.stacks():
        foundation = load_stack(stack.project, raw["foundation"])
        return foundation if foundation.namespaced(LANDING_ZONE_KEY) is not None else None
    return None


def organization_references(
    stack: StackFile,
    program: Path,
    synthesize: Callable[..., Any],
    program_error: Callable[[Exception, StackFile], Exception],
    *,
    foundation_stack: StackFile | None = None,
    spec: Any = None,
    organization: Organization | None = None,
) -> dict[str, dict[str, Any]]:
    """The synthesized outputs of the organization a foundation (or a wave's foundation) names, or {}.

    A plan hands on its foundation's stack file and parsed spec (and, once checked, the organization
    it names) so they are not parsed again.
    """
    foundation = foundation_stack or _foundation_stack_of(stack)
    if foundation is None:
        return {}
    raw = foundation.namespaced(LANDING_ZONE_KEY)
    name = raw.get("organization_stack") if isinstance(raw, dict) else None
    if not isinstance(name, str):
        return {}
    if spec is None:
        spec = load_landing_zone(raw, file=foundation.display, namespace=stack.project.name, lines=foundation.lines)
    if organization is None:
        check_named_organization(foundation, spec)
    org_stack = load_stack(stack.project, name)
    config, secrets = org_stack.engine_config()
    try:
        synthesis = synthesize(
            program, project=stack.project.name, stack=org_stack.stack, config=config, secret_keys=secrets
        )
    except Exception as exc:
        raise program_error(exc, org_stack) from None
    return {org_stack.stack: synthesis.outputs}
