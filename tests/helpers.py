"""Test helpers: plan a stack in-process, through the same code path as `lz plan`, and query it."""

from __future__ import annotations

import copy
import json
import os
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "stacks" / "Pulumi.foundation-dev.yaml"


@dataclass
class Planned:
    out: Path
    exit_code: int
    graph: dict[str, Any]
    findings: dict[str, Any]
    report: str

    @property
    def resources(self) -> list[dict[str, Any]]:
        return self.graph["deployment"]["resources"]

    def by_type(self, type_: str) -> list[dict[str, Any]]:
        return [r for r in self.resources if r["type"] == type_]

    def named(self, type_: str, name: str) -> dict[str, Any]:
        matches = [r for r in self.by_type(type_) if r["urn"].rsplit("::", 1)[-1] == name]
        assert len(matches) == 1, f"expected one {type_} named {name}, found {len(matches)}: " + ", ".join(
            r["urn"].rsplit("::", 1)[-1] for r in self.by_type(type_)
        )
        return matches[0]

    def urn_index(self) -> dict[str, dict[str, Any]]:
        return {r["urn"]: r for r in self.resources}

    def type_counts(self, package: str | None = None) -> Counter[str]:
        return Counter(
            r["type"] for r in self.resources if r["custom"] and (package is None or r["type"].split(":")[0] == package)
        )

    def mandatory(self) -> list[dict[str, Any]]:
        return [f for f in self.findings["findings"] if f["enforcement"] == "mandatory" and not f["waived"]]


def example_spec() -> dict[str, Any]:
    data = yaml.safe_load(EXAMPLE.read_text())
    return copy.deepcopy(data["config"]["landing-zone:landingZone"])


def single_cloud_spec(cloud: str) -> dict[str, Any]:
    """The example reduced to one cloud: its pools and telemetry kept, no interconnect (it needs two)."""
    spec = example_spec()
    spec["clouds"] = {cloud: spec["clouds"][cloud]}
    spec["gpu_pools"] = [p for p in spec.get("gpu_pools", []) if p["cloud"] == cloud]
    spec["ai_services"] = only_enabled_ai_services(spec.get("ai_services", []), {cloud})
    spec["interconnect"] = {"topology": "none"}
    if "native" in spec.get("telemetry", {}):
        spec["telemetry"]["native"] = [c for c in spec["telemetry"]["native"] if c == cloud]
    return spec


def only_enabled_ai_services(services: list[Any], enabled: set[str]) -> list[Any]:
    """The example's `ai_services` that belong to a cloud still enabled (each names one cloud)."""
    from lz.core.ai_services import CLOUD_OF

    return [s for s in services if not isinstance(s, str) or CLOUD_OF.get(s, "") in enabled or s not in CLOUD_OF]


def make_project(tmp: Path, stacks: dict[str, dict[str, Any]]) -> Path:
    """A throw-away project: this project's program, components and policies, with other stacks."""
    tmp.mkdir(parents=True, exist_ok=True)
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(ROOT / name, tmp / name)
    for name in ("components", "policies"):
        if not (tmp / name).exists():
            os.symlink(ROOT / name, tmp / name)
    (tmp / "stacks").mkdir(exist_ok=True)
    for stack, config in stacks.items():
        (tmp / "stacks" / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump({"config": config}, sort_keys=False))
    return tmp


def foundation_config(spec: dict[str, Any]) -> dict[str, Any]:
    """Stack config for a foundation spec, as the example stack file holds it.

    Derived specs often drop a cloud: GPU pools, AI services and native telemetry backends of clouds
    the spec no longer enables are dropped with it, and every secret config key the telemetry headers name is
    given a `secure:` placeholder (offline plans read it as "[secret]"), and so is every key
    `registries.credentials` names. A malformed spec (fuzzing
    makes them) is passed on as it is, for lz to refuse.
    """
    spec = copy.deepcopy(spec)
    if not isinstance(spec, dict):
        return {"pulumi:disable-default-providers": ["*"], "landing-zone:landingZone": spec}
    clouds = spec.get("clouds")
    enabled = set(clouds) if isinstance(clouds, dict) else set()
    pools = spec.get("gpu_pools")
    if isinstance(pools, list):
        spec["gpu_pools"] = [
            p for p in pools if not isinstance(p, dict) or not isinstance(p.get("cloud"), str) or p["cloud"] in enabled
        ]
    if isinstance(spec.get("ai_services"), list):
        spec["ai_services"] = only_enabled_ai_services(spec["ai_services"], enabled)
    telemetry = spec.get("telemetry") if isinstance(spec.get("telemetry"), dict) else {}
    if isinstance(telemetry.get("native"), list):
        telemetry["native"] = [c for c in telemetry["native"] if not isinstance(c, str) or c in enabled]
    config: dict[str, Any] = {"pulumi:disable-default-providers": ["*"], "landing-zone:landingZone": spec}
    headers = telemetry.get("headers")
    registries = spec.get("registries") if isinstance(spec.get("registries"), dict) else {}
    credentials = registries.get("credentials")
    for key in [
        *(headers.values() if isinstance(headers, dict) else ()),
        *(credentials.values() if isinstance(credentials, dict) else ()),
    ]:
        if isinstance(key, str):
            config[key if ":" in key else f"landing-zone:{key}"] = {"secure": "v1:placeholder"}
    return config


def plan(stack: str, project: Path = ROOT, out: Path | None = None, *, checkov: bool = False) -> Planned:
    """Run `lz plan --stack` in this process, as the CLI does, and read back what it wrote.

    checkov is off unless asked: it takes ~15 s to start, and its integration has its own tests."""
    from lz.cli.app import main

    out = out or (project / "out" / stack)
    cwd = os.getcwd()
    os.chdir(project)
    try:
        code = main(["plan", "--stack", stack, "--out", str(out), *([] if checkov else ["--no-checkov"])])
    finally:
        os.chdir(cwd)
    graph = json.loads((out / "graph.json").read_text()) if (out / "graph.json").exists() else {}
    findings = json.loads((out / "findings.json").read_text()) if (out / "findings.json").exists() else {}
    report = (out / "report.md").read_text() if (out / "report.md").exists() else ""
    return Planned(out=out, exit_code=code, graph=graph, findings=findings, report=report)
