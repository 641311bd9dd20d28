"""Deterministic stand-ins for what the clouds would compute.

Under `pulumi up` the providers return ids, ARNs and endpoints. Offline there is no provider, so
`DeterministicMocks` derives them from the resource's own inputs, its provider's settings and its
name, the same way every time: the same config gives the same graph, byte for byte. Each value is
shaped like the real one (an ARN, an Azure resource id, a GCP self link) so the program and the
policies handle it as they would a real one; none of them claims that anything was deployed.
The per-cloud rules live in `lz.offline.mock_outputs.<cloud>`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs, Mocks

from lz.offline.mock_outputs import aws, azure, gcp
from lz.offline.mock_outputs.common import stable_uuid

if TYPE_CHECKING:
    from lz.offline.synth import RecordingMonitor

_BY_PACKAGE = {"aws": aws, "gcp": gcp, "azure-native": azure}
# Feature-specific stand-ins (interconnect, workloads) answer first for the types they know.
_SPECIFIC = ("interconnect", "workloads", "migration", "organization", "paths")


def _specific_modules() -> list[Any]:
    found = []
    for name in _SPECIFIC:
        try:
            found.append(importlib.import_module(f"{__package__}.mock_outputs.{name}"))
        except ModuleNotFoundError:
            continue
    return found


class DeterministicMocks(Mocks):
    def __init__(self, project: str, stack: str, stack_references: dict[str, dict[str, Any]]) -> None:
        self.project = project
        self.stack = stack
        self.stack_references = stack_references
        self.monitor: RecordingMonitor | None = None
        self._specific = _specific_modules()

    def attach(self, monitor: RecordingMonitor) -> None:
        self.monitor = monitor

    def _provider(self, ref: str) -> dict[str, Any]:
        return self.monitor.provider_inputs(ref) if self.monitor else {}

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict]:
        token = args.typ
        inputs = dict(args.inputs)
        if token == "pulumi:pulumi:StackReference":
            ref = inputs.get("name", args.name)
            # "org/project/stack" or just "stack": offline every reference is to this project.
            outputs = self.stack_references.get(ref, self.stack_references.get(str(ref).rsplit("/", 1)[-1]))
            if outputs is None:
                raise KeyError(f"stack reference {ref!r} has no synthesized outputs")
            return ref, {"name": ref, "outputs": outputs, "secretOutputNames": []}
        if token.startswith("pulumi:providers:"):
            return stable_uuid(self.project, self.stack, token, args.name), inputs
        provider = self._provider(args.provider or "") if not token.startswith("random:") else {}
        for specific in self._specific:
            answer = specific.outputs(token, args.name, inputs, provider)
            if answer is not None:
                return answer
        module = _BY_PACKAGE.get(token.split(":")[0])
        if module is not None:
            return module.outputs(token, args.name, inputs, provider)
        if token.startswith("random:"):
            return self._random(token, args.name, inputs)
        return f"{args.name}-id", inputs

    def _random(self, token: str, name: str, inputs: dict) -> tuple[str, dict]:
        # A stand-in, never a usable secret: offline plans must not mint real credentials.
        length = int(inputs.get("length", 32))
        value = ("offline" + stable_uuid(token, name).replace("-", ""))[:length].ljust(length, "x")
        return f"{name}-id", {**inputs, "result": value}

    def call(self, args: MockCallArgs) -> tuple[dict, list[tuple[str, str]] | None]:
        module = _BY_PACKAGE.get(args.token.split(":")[0])
        result = module.call(args.token, dict(args.args), self._provider(args.provider)) if module else None
        if result is None:
            raise NotImplementedError(f"offline synthesis has no stand-in for the invoke {args.token}")
        return result, []
