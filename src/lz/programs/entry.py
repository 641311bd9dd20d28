"""The Pulumi program itself: what `__main__.py` runs, under `pulumi up` and under `lz plan` alike.

It reads the stack's config through `pulumi.Config` (never from files), validates it with the same
spec `lz plan` uses, builds the components and exports the outputs other stacks read. A spec
error becomes a `pulumi.RunError`, which the Pulumi CLI prints without a traceback.
"""

from __future__ import annotations

from typing import Any

import pulumi

from lz.core.errors import InputError
from lz.spec import LANDING_ZONE_KEY, ORGANIZATION_KEY, WAVE_KEY, load_landing_zone
from lz.spec.wave import monitored_clouds


def main() -> None:
    config = pulumi.Config()
    project = pulumi.get_project()
    stack = pulumi.get_stack()
    source = f"stack {stack} (Pulumi.{stack}.yaml)"
    raw_lz = config.get_object(LANDING_ZONE_KEY)
    raw_wave = config.get_object(WAVE_KEY)
    raw_org = config.get_object(ORGANIZATION_KEY)
    try:
        if raw_org is not None:
            if raw_lz is not None or raw_wave is not None:
                raise InputError(
                    f"an organization stack ({ORGANIZATION_KEY}) is neither a foundation nor a wave", file=source
                )
            from lz.programs.organization import run_organization  # noqa: PLC0415

            run_organization(raw_org, file=source, namespace=project)
            return
        if raw_lz is not None and raw_wave is not None:
            raise InputError(
                f"a stack is either a foundation ({LANDING_ZONE_KEY}) or a wave ({WAVE_KEY}), not both", file=source
            )
        if raw_lz is not None:
            spec = load_landing_zone(raw_lz, file=source, namespace=project)
            if spec.organization_stack is not None:
                from lz.programs.organization import read_organization  # noqa: PLC0415

                read_organization(spec, file=source, namespace=project)
            _foundation(spec)
            return
        if raw_wave is not None:
            from lz.programs.wave import run_wave  # noqa: PLC0415 - waves load their own components

            run_wave(raw_wave, file=source, namespace=project)
            return
        raise InputError(
            f"config has none of {project}:{LANDING_ZONE_KEY}, {project}:{WAVE_KEY}, {project}:{ORGANIZATION_KEY}",
            file=source,
        )
    except InputError as exc:
        raise pulumi.RunError(str(exc)) from None


def _foundation(spec: Any) -> None:
    from lz.components.landing_zone import LandingZone  # noqa: PLC0415 - the project's components

    lz = LandingZone(f"{spec.organization}-{spec.environment}", spec)
    pulumi.export("kind", "foundation")
    pulumi.export(
        "spec",
        {
            "organization": spec.organization,
            "environment": spec.environment,
            "residency": spec.residency,
            "tags": spec.all_tags(),
            "clouds": {name: list(spec.clouds.get(name).regions) for name in spec.clouds.enabled()},
            "monitored": list(monitored_clouds(spec)),
        },
    )
    pulumi.export("foundation", lz.outputs)
