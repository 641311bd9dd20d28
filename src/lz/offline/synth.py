"""Offline synthesis: run the project's Pulumi program under the SDK's mock runtime and record it.

This is the code path `pulumi up` runs, minus the engine: the same `__main__.py`, executed through
the SDK's own `run_in_stack` (as the Python language host does), with the stack's config handed
over exactly as the engine would hand it (`project:key` -> string, objects as JSON). What the
engine would do with the registrations is replaced by `RecordingMonitor`, a `MockMonitor` that
keeps what `set_mocks` alone drops: parents, dependencies, property dependencies, providers,
`protect` and `retainOnDelete`, and which input values are secret.

It does not talk to any cloud, and it never pretends to: mocked ids and computed attributes are
deterministic stand-ins (see `lz.offline.mocks`), and the graph says so in its manifest.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import runpy
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from google.protobuf import struct_pb2  # type: ignore[import-untyped]
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.config import set_all_config
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.stack import run_in_stack
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from lz.core.graph import SECRET_MARK, STACK_TYPE  # noqa: F401 - re-exported for the mocks
from lz.offline.mocks import DeterministicMocks

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17"
ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


@dataclass
class Registration:
    urn: str
    type: str
    name: str
    custom: bool
    parent: str
    inputs: dict[str, Any]
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    provider: str
    protect: bool
    retain_on_delete: bool
    id: str = ""
    secret_paths: list[str] = field(default_factory=list)
    external: bool = False  # read, not managed (a StackReference), as `pulumi stack export` marks it
    outputs: dict[str, Any] | None = None


def _value(v: struct_pb2.Value) -> Any:
    kind = v.WhichOneof("kind")
    if kind == "string_value":
        return v.string_value
    if kind == "number_value":
        n = v.number_value
        return int(n) if n.is_integer() and abs(n) < 2**53 else n
    if kind == "bool_value":
        return v.bool_value
    if kind == "struct_value":
        return _struct(v.struct_value)
    if kind == "list_value":
        return [_value(x) for x in v.list_value.values]
    return None


def _struct(s: struct_pb2.Struct) -> Any:
    fields = s.fields
    if SIG_KEY in fields:
        sig = fields[SIG_KEY].string_value
        if sig == SECRET_SIG:
            return SECRET_MARK
        if sig == RESOURCE_SIG:
            ref_id = fields["id"].string_value if "id" in fields else ""
            return ref_id or fields["urn"].string_value
        if sig == OUTPUT_SIG:
            if "secret" in fields and fields["secret"].bool_value:
                return SECRET_MARK
            return _value(fields["value"]) if "value" in fields else UNKNOWN
        if sig in (ASSET_SIG, ARCHIVE_SIG):
            return {k: _value(fields[k]) for k in sorted(fields) if k in ("path", "uri", "hash")}
    return {k: _value(fields[k]) for k in fields}


class _NotPlain(Exception):
    pass


def _plain(value: Any) -> Any:
    """`value` as `rpc.serialize_property` gives it when it holds only JSON-like values."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if type(value) is dict:
        return {k: _plain(value[k]) for k in value}
    if type(value) in (list, tuple):
        return [_plain(v) for v in value]
    raise _NotPlain


def _plain_struct(state: Any) -> struct_pb2.Struct | None:
    """The `Struct` that `rpc.serialize_properties(state, {})` builds, for plain values; else None.

    As there, a top-level property whose value is None is left out; nested Nones stay (as nulls).
    """
    if type(state) is not dict:
        return None
    try:
        plain = {k: _plain(v) for k, v in state.items() if v is not None}
    except _NotPlain:
        return None
    struct = struct_pb2.Struct()
    for k, v in plain.items():
        struct[k] = v
    return struct


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """A MockMonitor that records every registration the way `pulumi stack export` shows it."""

    def __init__(self, mocks: DeterministicMocks) -> None:
        super().__init__(mocks)
        self.registrations: dict[str, Registration] = {}
        self.stack_outputs: dict[str, Any] = {}
        self._lock = threading.Lock()
        mocks.attach(self)

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """As the engine does: a child of the root stack carries no parent type in its URN."""
        if parent and parent.split("::")[2] != STACK_TYPE:
            type_ = parent.split("::")[2] + "$" + type_
        return "urn:pulumi:" + "::".join([pulumi.get_stack(), pulumi.get_project(), type_, name])

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        """What `MockMonitor.RegisterResource` does, and the record of it.

        The mocks' answer is turned into the response's `Struct` directly when it holds only plain
        values (what the SDK's own serializer would produce from them, without an event loop per
        registration); anything else (resource references, assets, Outputs) takes the SDK's path.
        """
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.type == STACK_TYPE:
            response = resource_pb2.RegisterResourceResponse(urn=urn)
        else:
            _ensure_event_loop()  # deserializing resource references needs one on this thread
            inputs = rpc.deserialize_properties(request.object)
            resource_args = pulumi_mocks.MockResourceArgs(
                typ=request.type,
                name=request.name,
                inputs=inputs,
                provider=request.provider,
                resource_id=request.importId,
                custom=request.custom or False,
                transforms=pulumi_mocks._resolve_callbacks(request.transforms),
            )
            id_, state = self.mocks.new_resource(resource_args)
            obj_proto = _plain_struct(state)
            if obj_proto is None:
                obj_proto = _sync_await(rpc.serialize_properties(state, {}))
            # Kept as the mocks gave it (None included), as `MockMonitor` keeps it for its invokes.
            self.resources[urn] = pulumi_mocks.MockMonitor.ResourceRegistration(urn, id_, state)  # type: ignore[arg-type]
            response = resource_pb2.RegisterResourceResponse(urn=urn, id=id_ or "", object=obj_proto)
        reg = Registration(
            urn=urn,
            type=request.type,
            name=request.name,
            custom=bool(request.custom),
            parent=request.parent,
            inputs=_struct(request.object) if request.custom else {},
            dependencies=sorted(set(request.dependencies)),
            property_dependencies={k: sorted(set(v.urns)) for k, v in request.propertyDependencies.items()},
            provider=request.provider,
            protect=bool(request.protect) if request.HasField("protect") else False,
            retain_on_delete=bool(request.retainOnDelete) if request.HasField("retainOnDelete") else False,
            id=response.id,
        )
        with self._lock:
            self.registrations[urn] = reg
        return response

    def ReadResource(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        """What `MockMonitor.ReadResource` does, and the record of it as a real export holds a read
        resource (a `pulumi:pulumi:StackReference`): `external`, its outputs, and the engine's default
        provider of its package (`pulumi:providers:pulumi::default`)."""
        response = super().ReadResource(request)
        state = dict(self.resources[response.urn].state or {})
        provider = request.provider or self._default_provider(request.type)
        outputs = _struct(response.properties)
        if request.type == "pulumi:pulumi:StackReference" and isinstance(outputs.get("outputs"), dict):
            # a real export keeps secret outputs encrypted and names them
            named = sorted(k for k, v in outputs["outputs"].items() if v == SECRET_MARK)
            outputs["secretOutputNames"] = sorted(set(outputs.get("secretOutputNames") or []) | set(named))
        reg = Registration(
            urn=response.urn,
            type=request.type,
            name=request.name,
            custom=True,
            parent=request.parent,
            inputs={k: v for k, v in _struct(request.properties).items() if k in ("name",)}
            or {"name": state.get("name", request.id)},
            dependencies=sorted(set(request.dependencies)),
            property_dependencies={},
            provider=provider,
            protect=False,
            retain_on_delete=False,
            id=request.id,
            external=True,
            outputs=outputs,
        )
        with self._lock:
            self.registrations[response.urn] = reg
        return response

    def _default_provider(self, type_: str) -> str:
        """The engine's default provider of a package (`<urn>::<id>`), registered on first use."""
        package = type_.split(":", 1)[0]
        urn = "urn:pulumi:" + "::".join(
            [pulumi.get_stack(), pulumi.get_project(), f"pulumi:providers:{package}", "default"]
        )
        with self._lock:
            reg = self.registrations.get(urn)
            if reg is None:
                from lz.offline.mock_outputs.common import stable_uuid  # noqa: PLC0415

                reg = self.registrations[urn] = Registration(
                    urn=urn,
                    type=f"pulumi:providers:{package}",
                    name="default",
                    custom=True,
                    parent="",
                    inputs={},
                    dependencies=[],
                    property_dependencies={},
                    provider="",
                    protect=False,
                    retain_on_delete=False,
                    id=stable_uuid(pulumi.get_project(), pulumi.get_stack(), urn),
                )
        return f"{urn}::{reg.id}"

    def close(self) -> None:
        """Join the SDK's worker threads (each holds an event loop) and close the program's loop.

        Left to the interpreter's teardown, those loops print noise on exit; left open, a second
        synthesis in the same process would find a loop whose executor is gone.
        """
        loop = asyncio.get_event_loop_policy().get_event_loop()
        if not loop.is_closed() and not loop.is_running():
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()
        asyncio.set_event_loop(asyncio.new_event_loop())

    def RegisterResourceOutputs(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        if request.urn.split("::")[2] == STACK_TYPE:
            with self._lock:
                self.stack_outputs = _struct(request.outputs)
        return super().RegisterResourceOutputs(request)

    def provider_inputs(self, ref: str) -> dict[str, Any]:
        urn = ref.rsplit("::", 1)[0] if ref else ""
        reg = self.registrations.get(urn)
        return reg.inputs if reg else {}


@dataclass
class Synthesis:
    project: str
    stack: str
    registrations: list[Registration]
    outputs: dict[str, Any]


def synthesize(
    program: Path,
    *,
    project: str,
    stack: str,
    config: dict[str, str],
    secret_keys: list[str],
    stack_references: dict[str, dict[str, Any]] | None = None,
    before_run: Callable[[], None] | None = None,
) -> Synthesis:
    """Run `program` (the project's `__main__.py`) under mocks and return what it registered."""
    mocks = DeterministicMocks(project=project, stack=stack, stack_references=stack_references or {})
    monitor = RecordingMonitor(mocks)
    _reset_runtime()
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False, monitor=monitor)
    # set_mocks creates a root stack for unit tests; the program gets its own, as under `pulumi up`.
    pulumi_settings.set_root_resource(None)  # type: ignore[arg-type]
    monitor.registrations.clear()
    set_all_config(config, secret_keys)
    if before_run:
        before_run()

    # The program is a thin shim over the installed package (`lz.programs`), so nothing is added to
    # sys.path: what runs here is what `pulumi up` imports from the project's environment.
    try:

        def run_program() -> None:
            runpy.run_path(str(program), run_name="__main__")

        with frozen_survivors():
            _sync_await(run_in_stack(run_program))
    finally:
        monitor.close()
    return Synthesis(
        project=project, stack=stack, registrations=list(monitor.registrations.values()), outputs=monitor.stack_outputs
    )


def _freeze_survivors(phase: str, info: dict[str, Any]) -> None:
    if phase == "stop" and info.get("generation") == 2:
        gc.freeze()


@contextlib.contextmanager
def frozen_survivors() -> Iterator[None]:
    """Keep what a synthesis allocates for good out of the garbage collector's repeated traversals.

    A synthesis allocates mostly long-lived objects (SDK modules as they are imported, resources and
    their Outputs), and CPython's full collections traverse every one of them again each time: at a
    few thousand resources that was more than half of synthesis time. Inside the block, the
    survivors of each full collection are frozen, so the next one only looks at what is new since.
    On the way out the garbage is collected once and what is still alive stays frozen, so the
    policies and reports that follow do not traverse it either. What an earlier block left frozen is
    released on the way in, so a process that synthesizes again and again (the tests) keeps at most
    one synthesis out of the collector's reach. Reference-counted garbage is freed as usual throughout.
    """
    gc.unfreeze()
    gc.callbacks.append(_freeze_survivors)
    try:
        yield
    finally:
        gc.callbacks.remove(_freeze_survivors)
        gc.unfreeze()
        gc.collect()
        gc.freeze()


def _reset_runtime() -> None:
    """Clear what a previous run left in the SDK's process-wide state."""
    pulumi_settings.SETTINGS.rpc_manager.clear()
    pulumi_settings.SETTINGS.outputs.clear()
    pulumi_settings.set_root_resource(None)  # type: ignore[arg-type]
    try:
        asyncio.get_event_loop()
    except RuntimeError:
        asyncio.set_event_loop(asyncio.new_event_loop())
