"""The Pulumi program of a wave stack: what `lz.programs.entry.main` runs for a stack with `landing-zone:wave`.

Under `pulumi up` and under `lz plan` alike it:

1. validates the `wave` config (`lz.spec.wave.load_wave`);
2. reads the foundation stack it names through `pulumi.StackReference("<org>/<project>/<stack>")`:
   the small, plain `spec` output (organisation, environment, residency, tags, clouds and regions)
   is read synchronously, because it decides names, tags and protection, and the wave is checked
   against it (`check_against_foundation`: target clouds and regions, residency of the data's
   classification); the `foundation` output (keys, subnets, networks, identities) stays an
   `Output` and only fills in values. The resources that exist depend on the wave spec alone;
3. builds `lz.components.migration.wave.MigrationWave` with explicit providers in the foundation's
   account, project and subscription;
4. exports what operators and the runbook need: target stores, transfer jobs, replication tasks,
   endpoints, DNS records and alarms.

The synchronous read uses the SDK's own mechanism for synchronous invokes (`_sync_await`); offline,
`lz plan` answers the stack reference with the outputs of the foundation it synthesized first.
Errors in the spec become `InputError`s naming the wave key; `lz.programs.entry` turns them into a
`pulumi.RunError`, which the Pulumi CLI prints without a traceback.
"""

from __future__ import annotations

from typing import Any

import pulumi

from lz.core.errors import InputError
from lz.spec.wave import WAVE_KEY, FoundationView, Wave, check_against_foundation, load_wave


def foundation_reference(wave: Wave) -> pulumi.StackReference:
    # Local file backends have no organisation: the Pulumi CLI calls it "organization" there.
    org = pulumi.get_organization() or "organization"
    return pulumi.StackReference(
        f"foundation-{wave.foundation}", stack_name=f"{org}/{pulumi.get_project()}/{wave.foundation}"
    )


def read_foundation_spec(ref: pulumi.StackReference, wave: Wave, *, file: str, namespace: str) -> FoundationView:
    from pulumi.runtime.sync_await import _sync_await  # noqa: PLC0415 - the SDK's synchronous-invoke path

    key = f"config.{namespace}:{WAVE_KEY}.foundation"
    kind = _sync_await(ref.get_output_details("kind")).value
    spec = _sync_await(ref.get_output_details("spec")).value
    if kind not in (None, "foundation") or not isinstance(spec, dict):
        raise InputError(
            f"stack {wave.foundation!r} is not a foundation stack of this project (it exports no "
            "`spec`); plan or deploy the foundation first",
            file=file,
            key=key,
        )
    try:
        return FoundationView.of(spec)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(
            f"stack {wave.foundation!r} exports a `spec` this version cannot read ({exc})", file=file, key=key
        ) from None


def run_wave(raw: Any, *, file: str, namespace: str, lines: dict[tuple[Any, ...], int] | None = None) -> None:
    wave = load_wave(raw, file=file, namespace=namespace, lines=lines)
    ref = foundation_reference(wave)
    foundation = read_foundation_spec(ref, wave, file=file, namespace=namespace)
    check_against_foundation(wave, foundation, file=file, namespace=namespace, lines=lines)
    from lz.core.rehearsal import rehearse  # noqa: PLC0415

    wave = rehearse(wave, wave.environment or foundation.environment)  # `test`: no production name, no CDC

    from lz.components.migration.wave import MigrationWave  # noqa: PLC0415 - the project's components

    built = MigrationWave(wave.name, wave, foundation, ref.get_output("foundation"))
    pulumi.export("kind", "wave")
    pulumi.export(
        "wave",
        {
            "name": wave.name,
            "foundation": wave.foundation,
            "environment": wave.environment or foundation.environment,
            "start_date": wave.first_day.isoformat(),
        },
    )
    pulumi.export("datasets", built.outputs["datasets"])
    pulumi.export("databases", built.outputs["databases"])
    if "cutover" in built.outputs:
        pulumi.export("cutover", built.outputs["cutover"])
