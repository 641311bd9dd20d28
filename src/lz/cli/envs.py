"""`lz env up|down|gc`: disposable test environments of a wave, through the Pulumi Automation API.

`env_up(project, wave_stack, ttl)` rehearses a wave in a stack of its own, `<wave stack>-test-<id>`.
Its stack file lives in `.lz/envs/` (git-ignored), never in `stacks/`, so `lz plan --all`, CI and
reviews never pick up a rehearsal: `.lz/envs/Pulumi.yaml` is a copy of the project file whose `main`
points back at the project's program. The stack file is the wave's (same config, same secrets
provider settings, so `secure:` values decrypt with the same passphrase or key) with
`wave.environment: test` (nothing is protected, stores may be destroyed with their objects; the
cutover uses a rehearsal hostname and PostgreSQL databases load once, see lz.core.rehearsal) and
`<ns>:testEnvironment: {wave, expires}`; the stack is created in the backend, tagged `lz:expires`
where the backend keeps stack tags, and deployed with `pulumi up`. `env_down(project, name)`
destroys such a stack, removes it from the backend and deletes its stack file; it refuses any stack
whose name is not a test environment's. `env_gc(project, now)` destroys every test environment whose
expiry has passed.

The backend is a local file backend under the project (`file://<project>/.lz/state`) unless
`backend` names another (`s3://...`, `gs://...`, `azblob://...`, `https://api.pulumi.com`). The wave
reads its foundation through a StackReference, which resolves only inside the same backend: before
anything is created, `env up` checks that the foundation stack is there and otherwise says how to
put it there or which `--backend` to name. Local
file backends encrypt secrets with a passphrase: set `PULUMI_CONFIG_PASSPHRASE` (or
`PULUMI_CONFIG_PASSPHRASE_FILE`) as for any Pulumi command.

Everything here needs the Pulumi CLI (the Automation API drives it); without it the functions raise
`ToolMissingError` with what to install, and `lz` exits 2. The naming, expiry and garbage-collection
selection are pure functions with the id and the clock injectable, so they are tested without it.

What it does not do: plan offline (`lz plan` does), or clean up resources a failed destroy left
behind (the error says which stack to look at).
"""

from __future__ import annotations

import datetime
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from lz.cli.project import Project, load_stack, load_yaml
from lz.core.errors import InputError, ToolMissingError

ENV_KEY = "testEnvironment"
TAG_EXPIRES = "lz:expires"
TAG_WAVE = "lz:wave"
DEFAULT_TTL = "8h"
MAX_TTL = datetime.timedelta(days=30)
TEST_SUFFIX_RE = re.compile(r"^(?P<wave>.+)-test-(?P<id>[0-9a-f]{6})$")
_TTL_RE = re.compile(r"^(?:(?P<d>\d+)d)?(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?$")
INSTALL_HINT = (
    "the Pulumi CLI is not installed (no `pulumi` on PATH); `lz env` drives it through the Automation "
    "API to create, deploy and destroy test stacks. Install it (https://www.pulumi.com/docs/install/, "
    "e.g. `curl -fsSL https://get.pulumi.com | sh`) and retry; `lz plan` needs no CLI"
)


@dataclass(frozen=True)
class TestEnvironment:
    name: str
    wave: str
    expires: datetime.datetime | None  # None: unknown (no expiry recorded)

    def expired(self, now: datetime.datetime) -> bool:
        return self.expires is not None and self.expires <= now


# --- pure helpers (no CLI) ---------------------------------------------------------------------


def parse_ttl(text: str) -> datetime.timedelta:
    """`30m`, `8h`, `2d`, `1d12h`: a positive duration of at most 30 days."""
    match = _TTL_RE.match(text.strip()) if isinstance(text, str) else None
    if not match or not any(match.groupdict().values()):
        raise InputError(f"{text!r} is not a duration like 30m, 8h, 2d or 1d12h", key="--ttl")
    parts = {k: int(v or 0) for k, v in match.groupdict().items()}
    ttl = datetime.timedelta(days=parts["d"], hours=parts["h"], minutes=parts["m"])
    if ttl <= datetime.timedelta(0) or ttl > MAX_TTL:
        raise InputError(f"{text!r}: a test environment lives between 1 minute and 30 days", key="--ttl")
    return ttl


def new_short_id() -> str:
    return secrets.token_hex(3)


def env_name(wave_stack: str, short_id: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{6}", short_id):
        raise ValueError(f"short id {short_id!r} must be 6 lower-case hex digits")
    return f"{wave_stack}-test-{short_id}"


def is_env_name(name: str) -> bool:
    return bool(TEST_SUFFIX_RE.match(name))


def expiry(now: datetime.datetime, ttl: datetime.timedelta) -> datetime.datetime:
    return (now + ttl).astimezone(datetime.UTC).replace(microsecond=0)


def format_time(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: Any) -> datetime.datetime | None:
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def select_expired(envs: Iterable[TestEnvironment], now: datetime.datetime) -> list[TestEnvironment]:
    """The test environments `gc` destroys: expired ones, oldest first. One without a recorded expiry is
    kept (it may be someone's rehearsal whose file was edited): `env down` removes it explicitly."""
    return sorted((e for e in envs if e.expired(now)), key=lambda e: (e.expires, e.name))


def default_backend(project: Project) -> str:
    return f"file://{project.root / '.lz' / 'state'}"


def env_dir(project: Project) -> Path:
    """Where test environments' stack files live: outside `stacks/`, under the git-ignored `.lz/`."""
    return project.root / ".lz" / "envs"


def env_stack_file(project: Project, name: str) -> Path:
    return env_dir(project) / f"Pulumi.{name}.yaml"


def env_project_document(project: Project) -> dict[str, Any]:
    """`.lz/envs/Pulumi.yaml`: the project's, with the program and virtualenv found from there."""
    path = project.root / "Pulumi.yaml"
    document = load_yaml(path, display="Pulumi.yaml")
    document = dict(document) if isinstance(document, dict) else {"name": project.name}
    here = env_dir(project)
    document["main"] = os.path.relpath(project.root / str(document.get("main") or "."), here)
    document.pop("stackConfigDir", None)  # the stack files sit beside this file
    runtime = document.get("runtime")
    if isinstance(runtime, dict) and isinstance(runtime.get("options"), dict):
        options = dict(runtime["options"])
        if isinstance(options.get("virtualenv"), str) and not os.path.isabs(options["virtualenv"]):
            options["virtualenv"] = os.path.relpath(project.root / options["virtualenv"], here)
        document["runtime"] = {**runtime, "options": options}
    return document


def check_foundation_in_backend(foundation: str, stacks_in_backend: Iterable[str], backend: str) -> None:
    """The wave reads its foundation by StackReference: it must be a stack of the same backend."""
    names = {s.rsplit("/", 1)[-1] for s in stacks_in_backend}
    if foundation in names:
        return
    raise InputError(
        f"the foundation stack {foundation!r} is not in the backend {backend}; the rehearsal reads it "
        "through a StackReference, which resolves only within one backend. Deploy the foundation "
        f"there (`PULUMI_BACKEND_URL={backend} pulumi up --stack {foundation}`), or pass "
        "`--backend URL` naming the backend that holds it",
        key="--backend",
    )


def env_stack_document(
    wave_document: dict[str, Any], *, namespace: str, wave_stack: str, expires: datetime.datetime
) -> dict[str, Any]:
    """The test stack's file: the wave's, rehearsing as `environment: test`, with its expiry recorded."""
    document = dict(wave_document.items())
    config = dict(document.get("config") or {})
    key = f"{namespace}:wave"
    if not isinstance(config.get(key), dict):
        raise InputError(f"stack {wave_stack!r} is not a wave (it has no {key})", key="WAVE")
    wave = dict(config[key])
    wave["environment"] = "test"
    config[key] = wave
    config[f"{namespace}:{ENV_KEY}"] = {"wave": wave_stack, "expires": format_time(expires)}
    document["config"] = config
    return document


def environment_of(name: str, document: Any, namespace: str) -> TestEnvironment | None:
    """What a test stack's file records about it; None when `name` is not a test environment's."""
    match = TEST_SUFFIX_RE.match(name)
    if not match:
        return None
    config = document.get("config") if isinstance(document, dict) else None
    record = config.get(f"{namespace}:{ENV_KEY}") if isinstance(config, dict) else None
    record = record if isinstance(record, dict) else {}
    return TestEnvironment(
        name=name, wave=str(record.get("wave") or match.group("wave")), expires=parse_time(record.get("expires"))
    )


# --- the Automation API ------------------------------------------------------------------------


def require_cli() -> str:
    path = shutil.which("pulumi")
    if path is None:
        raise ToolMissingError(INSTALL_HINT)
    return path


def _workspace(project: Project, backend: str | None) -> Any:
    from pulumi import automation as auto  # noqa: PLC0415 - only `lz env` needs it

    url = backend or default_backend(project)
    if url.startswith("file://"):
        Path(url[len("file://") :]).mkdir(parents=True, exist_ok=True)
    here = env_dir(project)
    here.mkdir(parents=True, exist_ok=True)
    from lz.core.safe_io import write_atomic  # noqa: PLC0415

    write_atomic(here / "Pulumi.yaml", yaml.safe_dump(env_project_document(project), sort_keys=False))
    env = {"PULUMI_BACKEND_URL": url}
    return auto.LocalWorkspace(work_dir=str(here), env_vars=env)


def _stack_document(project: Project, stack: str) -> dict[str, Any]:
    path = project.stack_file(stack)
    data = load_yaml(path, display=project.rel(path))
    if not isinstance(data, dict):
        raise InputError("expected a mapping", file=project.rel(path))
    return data


def env_up(
    project: Project,
    wave_stack: str,
    ttl: str = DEFAULT_TTL,
    backend: str | None = None,
    *,
    short_id: str | None = None,
    now: datetime.datetime | None = None,
    on_output: Callable[[str], None] | None = None,
) -> str:
    """Create and deploy `<wave_stack>-test-<id>`; returns its name."""
    duration = parse_ttl(ttl)
    require_cli()
    from pulumi import automation as auto  # noqa: PLC0415

    from lz.cli.plan import stack_kind  # noqa: PLC0415 - validation shared with `lz plan`

    source = load_stack(project, wave_stack)
    if stack_kind(source) != "wave":
        raise InputError(
            f"stack {wave_stack!r} is a foundation; test environments rehearse waves", file=source.display, key="WAVE"
        )
    from lz.spec.wave import WAVE_KEY  # noqa: PLC0415

    foundation = str((source.namespaced(WAVE_KEY) or {}).get("foundation"))
    name = env_name(wave_stack, short_id or new_short_id())
    moment = now or datetime.datetime.now(datetime.UTC)
    expires = expiry(moment, duration)
    workspace = _workspace(project, backend)
    check_foundation_in_backend(
        foundation, (s.name for s in workspace.list_stacks()), backend or default_backend(project)
    )
    target = env_stack_file(project, name)
    document = env_stack_document(
        _stack_document(project, wave_stack), namespace=project.name, wave_stack=wave_stack, expires=expires
    )
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise InputError("a test environment of this name exists", file=project.rel(target)) from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"# Test environment of {wave_stack}, expires {format_time(expires)} (lz env down {name}).\n")
        yaml.safe_dump(document, handle, sort_keys=False)
    try:
        stack = auto.Stack.create(name, workspace)
        _tag(stack, TAG_EXPIRES, format_time(expires))
        _tag(stack, TAG_WAVE, wave_stack)
        stack.up(on_output=on_output or print)
    except auto.errors.CommandError as exc:
        raise InputError(
            f"pulumi failed for test environment {name!r} (destroy it with `lz env down {name}`): {_last_line(exc)}",
            file=project.rel(target),
        ) from None
    return name


def _tag(stack: Any, key: str, value: str) -> None:
    from pulumi import automation as auto  # noqa: PLC0415

    try:
        stack.set_tag(key, value)
    except auto.errors.CommandError:
        pass  # file backends may keep no stack tags; the stack file records the expiry anyway


def _last_line(exc: Exception) -> str:
    lines = [line for line in str(exc).splitlines() if line.strip()]
    return lines[-1] if lines else str(exc)


def env_down(
    project: Project, name: str, backend: str | None = None, *, on_output: Callable[[str], None] | None = None
) -> None:
    """Destroy the test environment `name`, remove it from the backend and delete its stack file."""
    if not is_env_name(name):
        raise InputError(
            f"{name!r} is not a test environment (<wave stack>-test-<6 hex digits>); `lz env down` "
            "never destroys other stacks",
            key="NAME",
        )
    require_cli()
    from pulumi import automation as auto  # noqa: PLC0415

    workspace = _workspace(project, backend)
    try:
        stack = auto.Stack.select(name, workspace)
        stack.destroy(on_output=on_output or print)
        workspace.remove_stack(name)
    except auto.errors.StackNotFoundError:
        pass  # never created or already removed: only the file is left
    except auto.errors.CommandError as exc:
        raise InputError(f"pulumi could not destroy test environment {name!r}: {_last_line(exc)}", key="NAME") from None
    path = env_stack_file(project, name)
    if path.exists():
        path.unlink()


def list_environments(project: Project, backend: str | None = None) -> list[TestEnvironment]:
    """Test environments known to the backend or present as stack files."""
    names = {p.name[len("Pulumi.") : -len(".yaml")] for p in env_dir(project).glob("Pulumi.*.yaml")}
    names = {n for n in names if is_env_name(n)}
    require_cli()
    workspace = _workspace(project, backend)
    names |= {s.name.rsplit("/", 1)[-1] for s in workspace.list_stacks() if is_env_name(s.name.rsplit("/", 1)[-1])}
    out = []
    for name in sorted(names):
        path = env_stack_file(project, name)
        document = load_yaml(path, display=project.rel(path)) if path.exists() else {}
        env = environment_of(name, document, project.name)
        if env is not None:
            out.append(env)
    return out


def env_gc(
    project: Project,
    backend: str | None = None,
    now: datetime.datetime | None = None,
    *,
    on_output: Callable[[str], None] | None = None,
) -> list[str]:
    """Destroy every expired test environment; returns their names."""
    require_cli()
    moment = now or datetime.datetime.now(datetime.UTC)
    expired = select_expired(list_environments(project, backend), moment)
    for env in expired:
        env_down(project, env.name, backend, on_output=on_output)
    return [e.name for e in expired]
