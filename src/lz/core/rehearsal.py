"""A wave in `environment: test` is a rehearsal: it never touches the production name or writes to a source.

`rehearse(wave, environment)` returns the wave as a rehearsal deploys it when the effective
environment is `test`, and the wave unchanged otherwise:

- the cutover manages `rehearsal_hostname(hostname)` instead of the production hostname: the first
  label gets `-rehearsal` (`api.acme.example` -> `api-rehearsal.acme.example`), a name in the same
  DNS zone (a CNAME is never at a zone apex, so the parent of the hostname is inside the zone) that
  no production client resolves. Its weighted records are created and changed as in production,
  so the steps and rollback are rehearsed end to end, on another name.
- PostgreSQL databases are copied once (`full-load`), never with change data capture: CDC from
  PostgreSQL creates a logical replication slot (and, for Database Migration Service, the pglogical
  extension's objects) on the source, which writes to the production database and holds its WAL
  until the slot is dropped (AWS DMS "Using a PostgreSQL database as a source"; Database Migration
  Service "Configure your source PostgreSQL database"). MySQL CDC reads the binary log as a
  replica would and writes nothing to the source, so a MySQL rehearsal keeps its mode.
- dataset transfers already only read their sources (`delete_objects_from_source_after_transfer`
  is never set); the components keep that for every environment.

What it does not do: make the source credentials read-only (that is the source owner's IAM; the
runbook's prerequisites name the read-only permissions the transfer needs).
"""

from __future__ import annotations

from typing import Any

SUFFIX = "-rehearsal"


def rehearsal_hostname(hostname: str) -> str:
    first, _, rest = hostname.partition(".")
    label = first[: 63 - len(SUFFIX)].rstrip("-") + SUFFIX
    return f"{label}.{rest}" if rest else label


def rehearse(wave: Any, environment: str) -> Any:
    """The wave as deployed in `environment` (a copy when that is `test`)."""
    if environment != "test":
        return wave
    update: dict[str, Any] = {}
    if wave.cutover is not None:
        update["cutover"] = wave.cutover.model_copy(update={"hostname": rehearsal_hostname(wave.cutover.hostname)})
    if wave.databases:
        update["databases"] = [
            db.model_copy(update={"mode": "full-load"}) if db.engine == "postgres" and db.mode != "full-load" else db
            for db in wave.databases
        ]
    return wave.model_copy(update=update) if update else wave
