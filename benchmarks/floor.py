"""The floor: what the Pulumi SDK alone costs for the resources a plan records.

`python -m benchmarks.floor MODE GRAPH [GRAPH ...]` replays `graph.json` files written by `lz plan`
under the SDK's mock runtime and prints one JSON object: seconds, resources, and `import_seconds`, the
part of the seconds spent importing the SDK modules of the types (`sdk` mode).

For every graph, in its own `run_in_stack` (as `lz plan` of a wave synthesizes its foundation and
then the wave, each in a run of its own), it constructs every custom resource of the graph, in the
graph's order, in one flat loop:

* `sdk` mode: through the provider SDK's own class for the type (`lz.core.taggable.sdk_class`, and
  `pulumi_<pkg>.Provider` for providers) with the recorded inputs as keyword arguments (top-level
  names translated back to the SDK's snake_case through the class's `...Args` metadata; nested
  values passed as recorded), and `ResourceOptions(provider=...)` naming the replayed provider;
* `raw` mode: as plain `pulumi.CustomResource(type, name, inputs)` (`pulumi.ProviderResource` for
  providers), which is the SDK's registration cost without the typed classes' output properties.

The timed region starts after `import pulumi` and includes importing the SDK modules of the types
it constructs (`lz plan` imports them inside its own timed synthesis too) and waiting for every
registration to finish. The monitor is the SDK's own `MockMonitor` and the mocks return the inputs
as outputs. What the floor deliberately leaves out is everything `lz` adds: the spec, component
resources (and so parents), outputs passed between resources (every input here is a plain value),
invokes, stack outputs, deterministic mock outputs, recording and building the graph.

`--verify` records what the floor registered and exits non-zero if any custom resource's inputs
differ from the graph's: the check that the floor really builds the same resources.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import sys
import time
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.stack import run_in_stack
from pulumi.runtime.sync_await import _sync_await

PROVIDER_PREFIX = "pulumi:providers:"


class _ProviderLookup:
    """What `DeterministicMocks` asks its monitor: a provider's settings, here from the plain
    `MockMonitor`'s own table of registrations (no recording of our own)."""

    def __init__(self, monitor: pulumi_mocks.MockMonitor) -> None:
        self.monitor = monitor

    def provider_inputs(self, ref: str) -> dict[str, Any]:
        reg = self.monitor.resources.get(ref.rsplit("::", 1)[0] if ref else "")
        return dict(reg.state) if reg is not None else {}


class RecordingMockMonitor(pulumi_mocks.MockMonitor):
    """Only for --verify: keeps the wire inputs of each registration, decoded as lz does."""

    def __init__(self, mocks: pulumi_mocks.Mocks) -> None:
        super().__init__(mocks)
        self.recorded: dict[tuple[str, str], Any] = {}

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        from lz.offline.synth import _struct  # noqa: PLC0415 - only when verifying

        if request.custom:
            self.recorded[(request.type, request.name)] = _struct(request.object)
        return super().RegisterResource(request)


def _python_names(cls: type) -> dict[str, str]:
    """camelCase input name -> the SDK class's keyword argument.

    From the class's init parameters, named on the wire as its `...Args` metadata says; a parameter
    that would clash with `resource_name` carries a trailing underscore (`resource_name_`).
    """
    from pulumi import _types  # noqa: PLC0415

    from lz.core.taggable import _camel, _init_parameters  # noqa: PLC0415

    module = sys.modules[cls.__module__]
    args_cls = getattr(module, f"{cls.__name__}Args", None)
    wire: dict[str, str] = {}
    if isinstance(args_cls, type) and _types.is_input_type(args_cls):
        wire = dict(_types.input_type_py_to_pulumi_names(args_cls))
    out: dict[str, str] = {}
    for param in _init_parameters(cls):
        bare = param.rstrip("_")
        out[wire.get(param) or wire.get(bare) or _camel(bare)] = param
    return out


def _provider_value(value: Any) -> Any:
    """Providers send every non-string setting as JSON text; hand the SDK the value itself again."""
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            return value
        return value if isinstance(decoded, str) else decoded
    return value


def _provider_class(token: str) -> type:
    package = "pulumi_" + token[len(PROVIDER_PREFIX) :].replace("-", "_")
    cls: type = importlib.import_module(package).Provider
    return cls


class Replayer:
    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.names: dict[type, dict[str, str]] = {}
        self.classes: dict[str, type | None] = {}
        self.import_seconds = 0.0  # of the timed region: finding (importing) the SDK classes

    def sdk(self, token: str) -> type | None:
        """The SDK class of a type token (a provider's too), importing its module the first time."""
        if token not in self.classes:
            from lz.core.taggable import sdk_class  # noqa: PLC0415 - token -> class, importing only its submodule

            t0 = time.perf_counter()
            self.classes[token] = _provider_class(token) if token.startswith(PROVIDER_PREFIX) else sdk_class(token)
            self.import_seconds += time.perf_counter() - t0
        return self.classes[token]

    def kwargs(self, cls: type, inputs: dict[str, Any]) -> dict[str, Any]:
        names = self.names.get(cls)
        if names is None:
            names = self.names[cls] = _python_names(cls)
        return {names.get(k, k): v for k, v in inputs.items()}

    def replay(self, resources: list[dict[str, Any]]) -> int:
        providers: dict[str, pulumi.ProviderResource] = {}
        count = 0
        for r in resources:
            token, urn = r["type"], r["urn"]
            if not r.get("custom") or token.startswith("pulumi:pulumi:"):
                continue
            name = urn.rsplit("::", 1)[-1]
            inputs = r.get("inputs") or {}
            if token.startswith(PROVIDER_PREFIX):
                if self.mode == "raw":
                    providers[urn] = pulumi.ProviderResource(token[len(PROVIDER_PREFIX) :], name, inputs)
                else:
                    cls = self.sdk(token)
                    assert cls is not None
                    settings = {k: _provider_value(v) for k, v in inputs.items()}
                    providers[urn] = cls(name, **self.kwargs(cls, settings))  # type: ignore[call-arg]
                count += 1
                continue
            provider_urn = str(r.get("provider", "")).rsplit("::", 1)[0]
            opts = pulumi.ResourceOptions(provider=providers.get(provider_urn))
            if self.mode == "raw":
                pulumi.CustomResource(token, name, inputs, opts)
            else:
                sdk = self.sdk(token)
                if sdk is None:
                    raise SystemExit(f"floor: no SDK class for {token}")
                sdk(name, opts=opts, **self.kwargs(sdk, inputs))
            count += 1
        return count


def _stack_and_project(resources: list[dict[str, Any]]) -> tuple[str, str]:
    urn = resources[0]["urn"] if resources else "urn:pulumi:floor::landing-zone::x::x"
    stack, project = urn[len("urn:pulumi:") :].split("::")[:2]
    return stack, project


def _run(resources: list[dict[str, Any]], replayer: Replayer, verify: bool) -> tuple[int, pulumi_mocks.MockMonitor]:
    from lz.offline.mocks import DeterministicMocks  # noqa: PLC0415 - the same stand-ins lz plan answers with
    from lz.offline.synth import frozen_survivors  # noqa: PLC0415

    stack, project = _stack_and_project(resources)
    mocks = DeterministicMocks(project=project, stack=stack, stack_references={})
    monitor = RecordingMockMonitor(mocks) if verify else pulumi_mocks.MockMonitor(mocks)
    mocks.attach(_ProviderLookup(monitor))  # type: ignore[arg-type]
    pulumi_settings.SETTINGS.rpc_manager.clear()
    pulumi_settings.SETTINGS.outputs.clear()
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False, monitor=monitor)
    pulumi_settings.set_root_resource(None)  # type: ignore[arg-type]
    counted: list[int] = []
    with frozen_survivors():  # the garbage-collector policy lz.offline.synth runs programs under
        _sync_await(run_in_stack(lambda: counted.append(replayer.replay(resources))))
    # As lz.offline.synth does between runs: join the SDK's worker threads and start the next run on a fresh loop.
    loop = asyncio.get_event_loop()
    loop.run_until_complete(loop.shutdown_default_executor())
    loop.close()
    asyncio.set_event_loop(asyncio.new_event_loop())
    return counted[0], monitor


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.floor")
    parser.add_argument("mode", choices=("sdk", "raw"))
    parser.add_argument("graphs", nargs="+", type=Path)
    parser.add_argument("--verify", action="store_true")
    args = parser.parse_args(argv)
    graphs = [json.loads(p.read_text(encoding="utf-8"))["deployment"]["resources"] for p in args.graphs]

    replayer = Replayer(args.mode)
    t0 = time.perf_counter()
    total = 0
    monitors = []
    for resources in graphs:
        count, monitor = _run(resources, replayer, args.verify)
        total += count
        monitors.append(monitor)
    seconds = time.perf_counter() - t0
    result: dict[str, Any] = {
        "mode": args.mode,
        "seconds": seconds,
        "resources": total,
        "import_seconds": replayer.import_seconds,
    }
    if args.verify:
        mismatches = []
        for resources, monitor in zip(graphs, monitors, strict=True):
            assert isinstance(monitor, RecordingMockMonitor)
            for r in resources:
                if not r.get("custom") or r["type"].startswith("pulumi:pulumi:"):
                    continue
                key = (r["type"], r["urn"].rsplit("::", 1)[-1])
                if monitor.recorded.get(key) != (r.get("inputs") or {}):
                    mismatches.append(r["urn"])
        result["mismatches"] = mismatches
    print(json.dumps(result))
    return 1 if result.get("mismatches") else 0


if __name__ == "__main__":
    raise SystemExit(main())
