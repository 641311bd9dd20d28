"""checkov over the translated graph: one run per stack, findings in this project's shape.

checkov is pinned (`CHECKOV_VERSION`) and lives in its own environment (`make setup` puts it at
`.tools/checkov/bin/checkov`; `LZ_CHECKOV` names another binary), because its `packaging<24` pin
cannot share a venv with pulumi. It is run as a program, once per stack over both translated files
(`tfplan.json` from `lz.review.bridge.terraform`, `arm.json` from `lz.review.bridge.arm`), with all its built-in
checks and offline: `--skip-download`, no platform key, no external checks, no update check.

Nothing around the run can switch checks off: checkov reads `.checkov.yaml` from its working
directory and from `$HOME`, and `CKV_SKIP_CHECK`, `CKV_CHECK`, `CKV_FRAMEWORK`, ... from the
environment. So it runs in a fresh empty directory that is also its `$HOME`, with an explicit
`--config-file` lz writes there, and an environment built from an allow-list (`_KEEP_ENV`), never
from the caller's (a `.checkov.yaml` planted in the output folder is not read).

Its JSON report becomes `lz.review.evaluate.Finding`s with `source="checkov"`, the check id as `policy`,
and the Pulumi URN of the resource (looked up in the bridges' address/name maps; a result whose
resource the maps do not know is dropped rather than mis-attributed). Enforcement and severity come
from one file, `lz/data/checkov.yaml` (see `CheckovSettings`).

What it does not do: translate the graph (the bridges do), decide the exit code, or apply waivers.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from lz.core.errors import ToolMissingError
from lz.review.evaluate import SEVERITIES, Finding

CHECKOV_VERSION = "3.3.30"
ENV_VAR = "LZ_CHECKOV"
FRAMEWORKS = ("terraform_plan", "arm")
DEFAULT_TIMEOUT = 900
POLICY_INDEX = {
    "terraform_plan": "https://www.checkov.io/5.Policy%20Index/terraform.html",
    "arm": "https://www.checkov.io/5.Policy%20Index/arm.html",
}

# Keep checkov offline and quiet whatever the caller's environment says.
_OFFLINE_ENV = {
    "BC_SKIP_MAPPING": "TRUE",
    "CKV_SKIP_PACKAGE_UPDATE_CHECK": "TRUE",
    "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "FALSE",
    "LOG_LEVEL": "ERROR",
    "PYTHONWARNINGS": "ignore",
}
_DROP_ENV = ("BC_API_KEY", "PRISMA_API_URL", "BC_API_URL", "CKV_EXTERNAL_CHECKS_DIR")
# The only variables of the caller's environment checkov sees (locale, temp folder, the path to run).
_KEEP_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ", "SYSTEMROOT")
# The configuration checkov runs with, written beside it (the command line repeats and overrides it).
_CONFIG = "compact: true\nskip-download: true\nsoft-fail: true\noutput: json\n"


class CheckovError(RuntimeError):
    """checkov ran but did not produce a report (a crash, a timeout, output that is not its JSON)."""


# --- settings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckovSettings:
    """Which checkov checks are mandatory, and their severities: the content of `lz/data/checkov.yaml`."""

    mandatory: frozenset[str]
    overrides: Mapping[str, str]
    severities: Mapping[str, str]
    default_severity: Mapping[str, str]
    family_of: Mapping[str, str]
    judged_by_pack: Mapping[str, str] = field(default_factory=dict)  # check id -> the pack policy that decides

    @classmethod
    def load(cls, path: Path | None = None) -> CheckovSettings:
        if path is None:
            text = resources.files("lz").joinpath("data/checkov.yaml").read_text(encoding="utf-8")
        else:
            text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text) or {}
        families: dict[str, list[str]] = data.get("families") or {}
        wanted = set(data.get("mandatory_families") or [])
        family_of = {check: family for family, checks in families.items() for check in (checks or [])}
        mandatory = frozenset(check for check, family in family_of.items() if family in wanted)
        overrides = {str(k): str(v) for k, v in (data.get("enforcement") or {}).items()}
        severities = {str(k): str(v) for k, v in (data.get("severity") or {}).items()}
        defaults = (data.get("defaults") or {}).get("severity") or {}
        for value in [*severities.values(), *defaults.values()]:
            if value not in SEVERITIES:
                raise ValueError(f"checkov settings: {value!r} is not a severity ({', '.join(SEVERITIES)})")
        for value in overrides.values():
            if value not in ("mandatory", "advisory"):
                raise ValueError(f"checkov settings: {value!r} is not mandatory or advisory")
        judged = {str(k): str(v) for k, v in (data.get("judged_by_pack") or {}).items()}
        return cls(
            mandatory=mandatory,
            overrides=overrides,
            severities=severities,
            default_severity={
                "mandatory": str(defaults.get("mandatory", "medium")),
                "advisory": str(defaults.get("advisory", "low")),
            },
            family_of=family_of,
            judged_by_pack=judged,
        )

    def enforcement(self, check_id: str) -> str:
        if check_id in self.judged_by_pack:
            return "advisory"  # one verdict per fact: the pack's policy decides this property
        if check_id in self.overrides:
            return self.overrides[check_id]
        return "mandatory" if check_id in self.mandatory else "advisory"

    def severity(self, check_id: str, enforcement: str, reported: str | None = None) -> str:
        if reported and reported.lower() in SEVERITIES:
            return reported.lower()
        return self.severities.get(check_id) or self.default_severity[enforcement]


# --- finding and running checkov -----------------------------------------------------------------


def _checkout() -> Path | None:
    """The source checkout this package runs from (src/lz/review/checkov.py), when it is one."""
    here = Path(__file__).resolve()
    return here.parents[3] if len(here.parents) > 3 and here.parents[1].name == "lz" else None


def find_checkov(root: Path | None = None) -> Path:
    """The checkov program: `$LZ_CHECKOV`, else `.tools/checkov/bin/checkov` of the project or of this checkout."""
    override = os.environ.get(ENV_VAR)
    if override:
        path = Path(override)
        if path.is_file() and os.access(path, os.X_OK):
            return path
        raise ToolMissingError(
            f"{ENV_VAR}={override} is not an executable checkov; unset it to use the one "
            "`make setup` installs, or point it at checkov " + CHECKOV_VERSION
        )
    candidates = [
        base / ".tools" / "checkov" / "bin" / "checkov" for base in (root, Path.cwd(), _checkout()) if base is not None
    ]
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return path
    found = shutil.which("checkov")
    if found:
        return Path(found)
    raise ToolMissingError(
        f"checkov {CHECKOV_VERSION} is not installed: run `make setup` (it installs checkov into "
        f".tools/checkov, its own environment), or set {ENV_VAR} to a checkov binary"
    )


@dataclass(frozen=True)
class CheckResult:
    check_id: str
    check_name: str
    passed: bool
    framework: str
    resource: str  # as checkov names it: a Terraform address, or `<ARM type>.<ARM name>`
    severity: str | None = None
    guideline: str | None = None
    file: str = ""


@dataclass
class CheckovRun:
    results: list[CheckResult] = field(default_factory=list)
    resource_count: dict[str, int] = field(default_factory=dict)
    parsing_errors: list[str] = field(default_factory=list)
    version: str = ""
    seconds: float = 0.0

    def evaluated(self, framework: str) -> set[str]:
        """Resources checkov ran at least one check on (passed or failed)."""
        return {r.resource for r in self.results if r.framework == framework}

    def outcome(self, check_id: str, resource: str) -> bool | None:
        """True if the check passed on the resource, False if it failed, None if it did not run there."""
        seen = [r.passed for r in self.results if r.check_id == check_id and r.resource == resource]
        if not seen:
            return None
        return all(seen)


def scan(
    files: Iterable[Path],
    workdir: Path,
    *,
    frameworks: Iterable[str] = FRAMEWORKS,
    include_passed: bool = False,
    checkov: Path | None = None,
    timeout: int = DEFAULT_TIMEOUT,
) -> CheckovRun:
    """Run checkov once over `files` and parse its JSON report (failed checks only unless `include_passed`)."""
    binary = checkov or find_checkov()
    paths = [Path(f).resolve() for f in files]
    frameworks = list(frameworks)
    cmd = [str(binary)]
    for path in paths:
        cmd += ["-f", str(path)]
    cmd += ["--framework", *frameworks, "-o", "json", "--skip-download", "--soft-fail", "--compact"]
    if not include_passed:
        cmd.append("--quiet")
    import tempfile  # noqa: PLC0415

    start = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="lz-checkov-") as empty:
            config = Path(empty) / "checkov.yaml"
            config.write_text(_CONFIG, encoding="utf-8")
            env = {k: v for k, v in os.environ.items() if k in _KEEP_ENV} | _OFFLINE_ENV | {"HOME": empty}
            proc = subprocess.run(
                [*cmd, "--config-file", str(config)],
                cwd=empty,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
    except FileNotFoundError:
        raise ToolMissingError(f"checkov not found at {binary}: run `make setup`") from None
    except subprocess.TimeoutExpired:
        raise CheckovError(f"checkov did not finish within {timeout} s") from None
    seconds = time.perf_counter() - start
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise CheckovError(f"checkov exited {proc.returncode} without a JSON report: " + " | ".join(tail)) from None
    run = parse_report(report)
    run.seconds = seconds
    return run


def parse_report(report: Any) -> CheckovRun:
    """checkov's `-o json`: one object per framework (a list when several ran)."""
    run = CheckovRun()
    for part in report if isinstance(report, list) else [report]:
        if not isinstance(part, dict):
            continue
        framework = str(part.get("check_type") or "")
        summary = part.get("summary") or {}
        run.version = str(summary.get("checkov_version") or run.version)
        if framework:
            run.resource_count[framework] = int(summary.get("resource_count") or 0)
        results = part.get("results") or {}
        run.parsing_errors += [str(p) for p in results.get("parsing_errors") or []]
        for key, passed in (("passed_checks", True), ("failed_checks", False)):
            for item in results.get(key) or []:
                run.results.append(
                    CheckResult(
                        check_id=str(item.get("check_id")),
                        check_name=str(item.get("check_name") or ""),
                        passed=passed,
                        framework=framework,
                        resource=str(item.get("resource_address") or item.get("resource") or ""),
                        severity=item.get("severity"),
                        guideline=item.get("guideline"),
                        file=str(item.get("file_abs_path") or item.get("file_path") or ""),
                    )
                )
    run.results.sort(key=lambda r: (r.framework, r.check_id, r.resource, r.passed))
    return run


def _pulumi_type(urn: str) -> str:
    parts = urn.split("::")
    return parts[2].split("$")[-1] if len(parts) >= 4 else ""


def findings_from(run: CheckovRun, urns: Mapping[str, str], settings: CheckovSettings | None = None) -> list[Finding]:
    """Failed checks as findings on the Pulumi resources they concern, one per check and resource."""
    settings = settings or CheckovSettings.load()
    out: dict[tuple[str, str], Finding] = {}
    for r in run.results:
        if r.passed:
            continue
        urn = urns.get(r.resource)
        if urn is None:
            continue
        enforcement = settings.enforcement(r.check_id)
        link = r.guideline or POLICY_INDEX.get(r.framework, "")
        out.setdefault(
            (r.check_id, urn),
            Finding(
                policy=r.check_id,
                source="checkov",
                enforcement=enforcement,
                severity=settings.severity(r.check_id, enforcement, r.severity),
                urn=urn,
                type=_pulumi_type(urn),
                message=f"{r.check_id} failed: {r.check_name}"
                + (
                    f" (advisory: the pack's `{settings.judged_by_pack[r.check_id]}` decides this property)"
                    if r.check_id in settings.judged_by_pack
                    else ""
                ),
                remediation=(
                    f"Change the resource so that this holds: {r.check_name.rstrip('.')}"
                    + (f" (see {link})" if link else "")
                    + "; or waive the check for it in waivers.yaml with a reason, an owner and an expiry."
                ),
            ),
        )
    return sorted(out.values(), key=Finding.sort_key)


def run_checkov(
    tfplan: Path,
    arm: Path,
    workdir: Path,
    urns: Mapping[str, str],
    *,
    settings: CheckovSettings | None = None,
    checkov: Path | None = None,
) -> list[Finding]:
    """checkov once over both translated files of a stack; its failed checks as findings.

    `urns` maps what checkov reports (Terraform addresses and `<ARM type>.<ARM name>`) to Pulumi URNs:
    the union of the maps `to_tfplan` and `to_arm` return.
    """
    files = [p for p in (tfplan, arm) if p.is_file()]
    if not files:
        return []
    run = scan(files, workdir, checkov=checkov)
    return findings_from(run, urns, settings)


def same_fact_markdown(findings: list[Finding], settings: CheckovSettings | None = None) -> str:
    """report.md: checkov findings on a property the pack decides, grouped with the pack's verdict
    on the same resource (a finding of the pack policy, or "passes")."""
    settings = settings or CheckovSettings.load()
    pairs: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.source == "checkov" and f.policy in settings.judged_by_pack:
            pairs.setdefault((f.urn, settings.judged_by_pack[f.policy]), []).append(f)
    if not pairs:
        return ""
    lines = [
        "## Same fact, two sources",
        "",
        "checkov and the pack judge these properties; the pack's policy is the verdict (its semantics are "
        "documented), checkov's finding is advisory.",
        "",
        "| resource | pack policy | pack verdict | checkov |",
        "| --- | --- | --- | --- |",
    ]
    for (urn, policy), theirs in sorted(pairs.items()):
        ours = [f for f in findings if f.source == "lz" and f.policy == policy and f.urn == urn]
        verdict = "; ".join(f.message for f in ours) if ours else "passes"
        name = urn.rsplit("::", 1)[-1]
        lines.append(
            f"| `{name}` | `{policy}` | {verdict.replace('|', '/')} | {', '.join(sorted(f.policy for f in theirs))} |"
        )
    return "\n".join(lines) + "\n"
