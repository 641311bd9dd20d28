"""`lz plan` and `lz check`: synthesize, evaluate, write the four files, decide the exit code."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lz import __version__
from lz.cli.project import Project, StackFile, load_stack
from lz.core import labels
from lz.core.errors import InputError
from lz.core.graph import STACK_TYPE, Resource, build_graph, dumps, load_graph, resources_from_graph
from lz.review.evaluate import Evaluation, PolicySettings, evaluate
from lz.review.report import findings_json, report_md
from lz.spec import LANDING_ZONE_KEY, ORGANIZATION_KEY, WAVE_KEY, load_landing_zone


@dataclass
class PlanResult:
    stack: str
    out: Path
    resources: int
    mandatory: int
    exit_code: int
    seconds: dict[str, float] = field(default_factory=dict)
    plan_line: str | None = None  # `Plan: +A ~C -D ±R (P protected)` when planned against a base
    waived: int = 0
    failing: list[tuple[str, str]] = field(default_factory=list)  # (policy, urn) of unwaived mandatory findings
    findings: dict[str, Any] | None = None  # the findings.json document, for --format json


def stack_kind(stack: StackFile) -> str:
    has_lz = stack.namespaced(LANDING_ZONE_KEY) is not None
    has_wave = stack.namespaced(WAVE_KEY) is not None
    ns = stack.project.name
    if stack.namespaced(ORGANIZATION_KEY) is not None:
        if has_lz or has_wave:
            raise InputError(
                f"an organization stack ({ns}:{ORGANIZATION_KEY}) is neither a foundation nor a wave",
                file=stack.display,
                key=f"config.{ns}:{ORGANIZATION_KEY}",
            )
        return "organization"
    if has_lz and has_wave:
        raise InputError(
            f"a stack is a foundation ({ns}:{LANDING_ZONE_KEY}) or a wave ({ns}:{WAVE_KEY}), not both",
            file=stack.display,
            key=f"config.{ns}:{WAVE_KEY}",
        )
    if has_lz:
        return "foundation"
    if has_wave:
        return "wave"
    raise InputError(
        f"expected `{ns}:{LANDING_ZONE_KEY}` (a foundation) or `{ns}:{WAVE_KEY}` (a wave) under config",
        file=stack.display,
        key="config",
    )


@dataclass(frozen=True)
class PlanContext:
    """What one plan reads from its stack files, parsed and checked once and handed on.

    For the offline planner only: the Pulumi program (`__main__.py` -> `lz.programs`) still reads its
    own config, as it must under a real `pulumi up`.
    """

    stack: StackFile
    kind: str  # "foundation" | "wave" | "organization"
    foundation: Any = None  # the LandingZone a foundation is, or a wave builds on
    foundation_stack: StackFile | None = None
    wave: Any = None  # a wave's Wave, checked against its foundation
    organization: Any = None  # an organization stack's Organization, or the one a foundation names


def plan_context(stack: StackFile) -> PlanContext:
    """Parse and check the stack's spec (and a wave's foundation) once: exit 2 before anything runs."""
    kind = stack_kind(stack)
    if kind == "organization":
        from lz.cli.plan_org import organization_spec_of  # noqa: PLC0415

        return PlanContext(stack=stack, kind=kind, organization=organization_spec_of(stack))
    if kind == "wave":
        wave, foundation_stack, foundation = _load_wave(stack)
        return PlanContext(stack=stack, kind=kind, foundation=foundation, foundation_stack=foundation_stack, wave=wave)
    spec = load_landing_zone(
        stack.namespaced(LANDING_ZONE_KEY), file=stack.display, namespace=stack.project.name, lines=stack.lines
    )
    organization = None
    if spec.organization_stack is not None:
        from lz.cli.plan_org import check_named_organization  # noqa: PLC0415

        organization = check_named_organization(stack, spec)
    return PlanContext(stack=stack, kind=kind, foundation=spec, foundation_stack=stack, organization=organization)


def context_of(stack: StackFile) -> PlanContext | None:
    """`plan_context`, or None for a stack file with no spec at all (`lz check` accepts one)."""
    if all(stack.namespaced(key) is None for key in (LANDING_ZONE_KEY, WAVE_KEY, ORGANIZATION_KEY)):
        return None
    return plan_context(stack)


def policy_settings_for(stack: StackFile | PlanContext | None) -> PolicySettings:
    """Policy settings from the stack's spec: its residency and the tags every resource must carry.

    A wave takes its residency from the foundation it builds on.
    """
    context = context_of(stack) if isinstance(stack, StackFile) else stack
    settings = PolicySettings()
    if context is None:
        return settings
    if context.kind == "organization":
        settings.overrides["allowedJurisdictions"] = [context.organization.residency]
        settings.overrides["requiredTags"] = [*labels.REQUIRED_TAGS, *labels.STANDARD_TAGS]
        return settings
    foundation = context.foundation
    if foundation is not None:
        settings.overrides["allowedJurisdictions"] = [foundation.residency]
        settings.overrides["requiredTags"] = [*labels.REQUIRED_TAGS, *labels.STANDARD_TAGS]
    return settings


def _load_wave(stack: StackFile) -> tuple[Any, StackFile, Any]:
    """The wave's spec, checked against the foundation stack it names."""
    from lz.spec.wave import check_against_foundation, load_wave  # noqa: PLC0415

    ns = stack.project.name
    wave = load_wave(stack.namespaced(WAVE_KEY), file=stack.display, namespace=ns, lines=stack.lines)
    key = f"config.{ns}:{WAVE_KEY}.foundation"
    if wave.foundation not in stack.project.stacks():
        raise InputError(
            f"no foundation stack {wave.foundation!r} in this project (stacks: {', '.join(stack.project.stacks())})",
            file=stack.display,
            key=key,
            line=stack.line_of((f"{ns}:{WAVE_KEY}", "foundation")),
        )
    foundation_stack = load_stack(stack.project, wave.foundation)
    if foundation_stack.namespaced(LANDING_ZONE_KEY) is None:
        raise InputError(
            f"stack {wave.foundation!r} is not a foundation (it has no {ns}:{LANDING_ZONE_KEY})",
            file=stack.display,
            key=key,
        )
    foundation = load_landing_zone(
        foundation_stack.namespaced(LANDING_ZONE_KEY),
        file=foundation_stack.display,
        namespace=ns,
        lines=foundation_stack.lines,
    )
    check_against_foundation(wave, foundation, file=stack.display, namespace=ns, lines=stack.lines)
    return wave, foundation_stack, foundation


def plan_stack(
    project: Project,
    name: str,
    out: Path | None = None,
    base: Path | None = None,
    *,
    checkov: bool = True,
    allow_destroy: tuple[str, ...] = (),
) -> PlanResult:
    from lz.core.safe_io import OutputFolder  # noqa: PLC0415

    if not name or "/" in name or name.startswith("."):
        raise InputError(f"invalid stack name {name!r}", key="--stack")
    if allow_destroy and base is None:
        raise InputError("accepts deletions found against a base graph; give --base too", key="--allow-destroy")
    out_dir = out or (project.root / "out" / name)
    with OutputFolder(out_dir):  # the previous run's reports go first: a refused plan leaves none behind
        return _plan_stack(project, name, out_dir, base, checkov=checkov, allow_destroy=allow_destroy)


PLANNED_ENV = "LZ_PLANNED_OUT"


def planned_outputs(stack_name: str) -> dict[str, Any] | None:
    """The stack outputs of `stack_name` as planned earlier in this `lz plan --all` run, or None.

    `lz plan --all` starts a wave only after its foundation is planned, and sets `LZ_PLANNED_OUT` to the
    output folder: the foundation's graph.json there holds its stack outputs, so the wave answers its
    StackReference from them instead of synthesizing the foundation a second time. A refused or failed
    foundation leaves no graph.json (its old reports are removed first), and the wave synthesizes it.
    """
    root = os.environ.get(PLANNED_ENV)
    if not root:
        return None
    path = Path(root) / stack_name / "graph.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for resource in data.get("deployment", {}).get("resources", []):
        if resource.get("type") == STACK_TYPE:
            outputs = resource.get("outputs")
            return outputs if isinstance(outputs, dict) else None
    return None


def _plan_stack(
    project: Project, name: str, out_dir: Path, base: Path | None, *, checkov: bool, allow_destroy: tuple[str, ...]
) -> PlanResult:
    from lz.offline.synth import synthesize  # noqa: PLC0415 - keeps `lz check` and `lz schema` light

    timings: dict[str, float] = {}
    stack = load_stack(project, name)
    base_resources = None
    if base is not None:  # read and checked before the long work
        from lz.review.gate import check_base  # noqa: PLC0415

        base_resources = load_graph(base)[0]
        check_base(base_resources, (name, project.name), str(base))
    context = plan_context(stack)  # validates the spec (and a wave's foundation) before anything runs
    kind = context.kind
    settings = policy_settings_for(context)
    program = project.root / "__main__.py"
    references: dict[str, dict[str, Any]] = {}
    extra_files: dict[str, str] = {}

    t0 = time.perf_counter()
    from lz.cli.plan_org import organization_references  # noqa: PLC0415

    if kind in ("foundation", "wave"):
        references.update(
            organization_references(
                stack,
                program,
                synthesize,
                _program_error,
                foundation_stack=context.foundation_stack,
                spec=context.foundation,
                organization=context.organization,
            )
        )
    if kind == "organization":
        from lz.cli.plan_org import parity_file  # noqa: PLC0415

        extra_files["parity.json"] = parity_file(stack, context.organization)
    if kind == "wave":
        # A wave reads its foundation through a StackReference: synthesize the foundation first and
        # answer the reference from its outputs, as the Pulumi service would from its last update.
        foundation_stack = context.foundation_stack
        assert foundation_stack is not None  # a wave's context always has its foundation
        planned = planned_outputs(foundation_stack.stack)
        if planned is not None:
            references[foundation_stack.stack] = planned
        else:
            f_config, f_secrets = foundation_stack.engine_config()
            try:
                f_synth = synthesize(
                    program,
                    project=project.name,
                    stack=foundation_stack.stack,
                    config=f_config,
                    secret_keys=f_secrets,
                    stack_references=dict(references),
                )
            except Exception as exc:
                raise _program_error(exc, foundation_stack) from None
            references[foundation_stack.stack] = f_synth.outputs
        from lz.core.rehearsal import rehearse  # noqa: PLC0415
        from lz.review.pricing.transfer import transfer_markdown, wave_transfers  # noqa: PLC0415
        from lz.review.runbook import render_runbook  # noqa: PLC0415
        from lz.spec.wave import effective_environment  # noqa: PLC0415

        foundation_spec = context.foundation
        wave = rehearse(context.wave, effective_environment(context.wave, foundation_spec))
        extra_files["runbook.md"] = (
            render_runbook(wave, foundation_spec, name, namespace=project.name).rstrip()
            + "\n\n"
            + transfer_markdown(wave_transfers(wave, foundation_spec))
        )
    config, secret_keys = stack.engine_config()
    try:
        synthesis = synthesize(
            program,
            project=project.name,
            stack=name,
            config=config,
            secret_keys=secret_keys,
            stack_references=references,
        )
    except Exception as exc:  # the program raised: a RunError carries our own spec messages
        raise _program_error(exc, stack) from None
    graph = build_graph(synthesis, __version__)
    timings["synthesis"] = time.perf_counter() - t0
    # graph.json first, and only here: under `lz plan --all` the stacks that read this one start from
    # it while the policies, checkov and reports of this one still run.
    _write(out_dir / "graph.json", dumps(graph))

    resources = resources_from_graph(graph)
    result = review(
        project,
        resources,
        settings,
        out_dir,
        graph=graph,
        title=f"Plan of stack `{name}`",
        stack=stack,
        base=base_resources,
        checkov=checkov,
        timings=timings,
        extra_files=extra_files,
        allow_destroy=allow_destroy,
        context=context,
    )
    return PlanResult(
        stack=name,
        out=out_dir,
        resources=result.resources,
        mandatory=result.mandatory,
        exit_code=1 if result.mandatory else 0,
        seconds=timings,
        plan_line=result.plan_line,
        waived=result.waived,
        failing=result.failing,
        findings=result.findings,
    )


@dataclass
class Review:
    evaluation: Evaluation
    resources: int
    mandatory: int
    plan_line: str | None = None
    waived: int = 0
    failing: list[tuple[str, str]] = field(default_factory=list)
    findings: dict[str, Any] | None = None


def review(
    project: Project,
    resources: list[Resource],
    settings: PolicySettings,
    out_dir: Path,
    *,
    graph: dict[str, Any] | None,
    title: str,
    stack: StackFile | None = None,
    base: list[Resource] | None = None,
    checkov: bool = True,
    timings: dict[str, float] | None = None,
    extra_files: dict[str, str] | None = None,
    allow_destroy: tuple[str, ...] = (),
    waivers_file: Path | None = None,
    completion: Any = None,
    context: PlanContext | None = None,
) -> Review:
    """Everything after synthesis, shared by `lz plan` and `lz check`: the policy pack, checkov over the
    bridged files, waivers, and the files a reviewer reads. `graph` is a plan's own graph (`lz plan`
    has written it already); with it come the cost estimate and the budget gate."""
    from lz.review.bridge.arm import to_arm  # noqa: PLC0415
    from lz.review.bridge.terraform import to_tfplan  # noqa: PLC0415
    from lz.review.waivers import apply_waivers, waivers_markdown  # noqa: PLC0415

    timings = timings if timings is not None else {}
    waivers = _waivers_for(project, stack, waivers_file, resources)  # a malformed file stops us early
    diff = None
    if base is not None:
        from lz.review.diff import diff_graphs  # noqa: PLC0415

        diff = diff_graphs(base, resources)

    t1 = time.perf_counter()
    evaluation = run_policies(resources, settings, completion)
    plan_line = None
    if diff is not None:
        from lz.review.diff import plan_line as _plan_line  # noqa: PLC0415
        from lz.review.gate import destroy_findings, unknown_allowed  # noqa: PLC0415

        destroyed = destroy_findings(diff, allow_destroy)
        evaluation.findings.extend(destroyed)
        evaluation.findings.sort(key=lambda f: f.sort_key())
        plan_line = _plan_line(diff, len(destroyed))
        for urn in unknown_allowed(diff, allow_destroy):
            print(
                f"lz: warning: --allow-destroy {urn}: no protected resource of this plan is deleted or replaced "
                "under that URN",
                file=sys.stderr,
            )
    elif allow_destroy:
        raise InputError("accepts deletions found against a base graph; give --base too", key="--allow-destroy")
    timings["policies"] = time.perf_counter() - t1

    out_dir.mkdir(parents=True, exist_ok=True)
    t2 = time.perf_counter()
    # checkov, like the pack, judges each resource under its canonical type token
    from lz.core.types import canonical_resources  # noqa: PLC0415

    bridged = canonical_resources(resources)
    tfplan, tf_urns = to_tfplan(bridged)
    arm, arm_urns = to_arm(bridged)
    _write(out_dir / "tfplan.json", json.dumps(tfplan, indent=2) + "\n")
    _write(out_dir / "arm.json", json.dumps(arm, indent=2) + "\n")
    timings["bridge"] = time.perf_counter() - t2
    if checkov:
        from lz.review.checkov import run_checkov  # noqa: PLC0415

        t3 = time.perf_counter()
        evaluation.findings.extend(
            run_checkov(out_dir / "tfplan.json", out_dir / "arm.json", out_dir, {**tf_urns, **arm_urns})
        )
        evaluation.findings.sort(key=lambda f: f.sort_key())
        timings["checkov"] = time.perf_counter() - t3

    if context is None and stack is not None:
        context = context_of(stack)
    cost = _plan_cost(resources, context, base) if graph is not None else None
    if cost is not None and cost.findings:
        evaluation.findings.extend(cost.findings)
        evaluation.findings.sort(key=lambda f: f.sort_key())

    waiver_report = apply_waivers(evaluation.findings, waivers, today(), checkov_ran=checkov)
    sections: list[str] = []
    top_sections: list[str] = []
    if cost is not None:
        # The cost change leads the report, as `infracost diff` leads a pull-request comment.
        top_sections = [s for s in cost.sections if s.startswith("## Cost change")]
        sections.extend(s for s in cost.sections if not s.startswith("## Cost change"))
    if checkov:
        from lz.review.checkov import same_fact_markdown  # noqa: PLC0415

        same_fact = same_fact_markdown(evaluation.findings)
        if same_fact:
            sections.append(same_fact)
    if diff is not None:
        from lz.review.diff import diff_markdown  # noqa: PLC0415

        sections.append(diff_markdown(diff))
    waiver_text = waivers_markdown(waiver_report)
    if waiver_text.strip():
        sections.append(waiver_text)
    sections.extend(_report_sections(resources, context))
    from lz.review.coverage import not_covered, not_covered_markdown  # noqa: PLC0415

    coverage_text = not_covered_markdown(resources)
    if coverage_text.strip():
        sections.append(coverage_text)

    findings_text = findings_json(
        evaluation,
        resources,
        {
            "checkov": checkov,
            "waivers": waiver_report.as_dict(),
            "not_covered": not_covered(resources),
            **({"plan": diff.counts()} if diff else {}),
        },
    )
    _write(out_dir / "findings.json", findings_text)
    if cost is not None:
        _write(out_dir / "cost.json", json.dumps(cost.document, indent=2) + "\n")
    _write(out_dir / "report.md", report_md(title, evaluation, resources, sections=sections, top_sections=top_sections))
    _write(out_dir / "report.sarif", json.dumps(_sarif(evaluation, resources, stack, title), indent=2) + "\n")
    _write(out_dir / "policy-config.json", json.dumps(pack_config(settings), indent=2, sort_keys=True) + "\n")
    for file_name, text in (extra_files or {}).items():
        _write(out_dir / file_name, text)
    s = evaluation_summary(evaluation)
    failing = [(f.policy, f.urn) for f in evaluation.findings if f.enforcement == "mandatory" and not f.waived]
    return Review(
        evaluation=evaluation,
        resources=s["resources_checked"],
        mandatory=s["mandatory"],
        plan_line=plan_line,
        waived=sum(1 for f in evaluation.findings if f.waived),
        failing=failing,
        findings=json.loads(findings_text),
    )


def _waivers_for(
    project: Project, stack: StackFile | None, waivers_file: Path | None, resources: list[Resource]
) -> list[Any]:
    """The waivers of a review: `--waivers FILE` when given; else the project's waivers.yaml, but only for
    the project's own stacks (a graph checked without --stack is another program's). Either way only the
    waivers that name the stack hold (the stack of `--stack`, else the one the graph's URNs name)."""
    from lz.review.gate import stack_of  # noqa: PLC0415
    from lz.review.waivers import FILE_NAME, for_stack, load_waivers  # noqa: PLC0415

    bounds = waiver_bounds()
    if waivers_file is not None:
        waivers = load_waivers(waivers_file, display=str(waivers_file), bounds=bounds)
    elif stack is None:
        return []
    else:
        waivers = load_waivers(project.root / FILE_NAME, display=FILE_NAME, bounds=bounds)
    name = stack.stack if stack is not None else (stack_of(resources) or (None,))[0]
    return for_stack(waivers, name)


def waiver_bounds() -> Any:
    """Waiver bounds of this run: today, the horizon (`LZ_WAIVER_HORIZON_DAYS`), break-glass
    (`LZ_WAIVER_BREAK_GLASS=1`)."""
    from lz.review.waivers import HORIZON_DAYS, Bounds  # noqa: PLC0415

    raw = os.environ.get("LZ_WAIVER_HORIZON_DAYS", "").strip()
    horizon = HORIZON_DAYS
    if raw:
        if not raw.isdigit() or not 1 <= int(raw) <= 3650:
            raise InputError(f"{raw!r} is not a number of days between 1 and 3650", key="LZ_WAIVER_HORIZON_DAYS")
        horizon = int(raw)
    glass = os.environ.get("LZ_WAIVER_BREAK_GLASS", "").strip()
    if glass not in ("", "0", "1"):
        raise InputError(
            f"{glass!r}: set 1 to allow blanket waivers for this run, or leave it unset", key="LZ_WAIVER_BREAK_GLASS"
        )
    return Bounds(today=today(), horizon_days=horizon, break_glass=glass == "1")


def _plan_cost(resources: list[Resource], context: PlanContext | None, base: list[Resource] | None) -> Any:
    """cost.json, the cost sections and the budget findings of a plan (lz/pricing/plan_cost.py)."""
    from lz.review.pricing.plan_cost import plan_cost  # noqa: PLC0415

    foundation = wave = None
    if context is not None:
        # The unrehearsed wave, as before: plan_cost prices what the stack file says.
        foundation, wave = context.foundation, context.wave
    return plan_cost(resources, foundation=foundation, wave=wave, base=base)


def today() -> dt.date:
    """The day waivers are judged on: `LZ_TODAY` (YYYY-MM-DD) when set, for repeatable reports."""
    fixed = os.environ.get("LZ_TODAY")
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError:
            raise InputError(f"{fixed!r} is not a YYYY-MM-DD date", key="LZ_TODAY") from None
    return dt.date.today()


def _report_sections(resources: list[Resource], context: PlanContext | None) -> list[str]:
    from lz.review.mermaid import topology  # noqa: PLC0415

    sections = []
    if context is not None and context.kind == "organization":
        from lz.review.parity import parity_markdown  # noqa: PLC0415

        sections.append(parity_markdown(context.organization))
    if context is not None and context.kind == "foundation":
        from lz.review.cost import gpu_cost_markdown  # noqa: PLC0415

        spec = context.foundation
        cost = gpu_cost_markdown(spec)
        if cost.strip():
            sections.append(cost)
        from lz.review.quotas import quota_markdown  # noqa: PLC0415

        quota = quota_markdown(spec)
        if quota.strip():
            sections.append(quota)
    from lz.review.paths_report import paths_markdown  # noqa: PLC0415

    paths = paths_markdown(resources)
    if paths:
        sections.append(paths)
    diagram = topology(resources)
    if diagram.strip():
        sections.append("## Topology\n\n```mermaid\n" + diagram.rstrip() + "\n```")
    return sections


def _sarif(evaluation: Evaluation, resources: list[Resource], stack: StackFile | None, title: str) -> dict[str, Any]:
    from lz.policies.pack import POLICIES  # noqa: PLC0415
    from lz.review.sarif import meta_from_policies, stack_locator, to_sarif  # noqa: PLC0415

    if stack is not None:
        root = next(
            (
                f"{stack.project.name}:{k}"
                for k in (LANDING_ZONE_KEY, WAVE_KEY, ORGANIZATION_KEY)
                if stack.namespaced(k) is not None
            ),
            f"{stack.project.name}:{LANDING_ZONE_KEY}",
        )
        locate = stack_locator(stack.display, stack.config, stack.lines, root, resources)
        fallback: tuple[str, int] | None = (stack.display, 1)
        category = f"landing-zone/{stack.stack}"
    else:

        def locate(urn: str) -> tuple[str, int] | None:
            return None

        fallback = None
        category = "landing-zone/check"
    return to_sarif(
        evaluation.findings,
        meta_from_policies(POLICIES),
        locate,
        fallback=fallback,
        category=category,
        tool_version=__version__,
    )


def _program_error(exc: Exception, stack: StackFile) -> InputError:
    import pulumi  # noqa: PLC0415

    if isinstance(exc, pulumi.RunError):
        return InputError(
            str(exc).split(": ", 1)[-1] if str(exc).startswith(stack.display) else str(exc), file=stack.display
        )
    raise exc


def run_policies(resources: list[Resource], settings: PolicySettings, completion: Any = None) -> Evaluation:
    from lz.policies.pack import POLICIES  # noqa: PLC0415

    if completion is None:
        return evaluate(resources, POLICIES, settings)
    return evaluate(resources, POLICIES, settings, absent=completion.absent, partial=completion.partial)


def evaluation_summary(evaluation: Evaluation) -> dict[str, int]:
    active = [f for f in evaluation.findings if not f.waived]
    return {
        "mandatory": sum(1 for f in active if f.enforcement == "mandatory"),
        "resources_checked": evaluation.resources_checked,
    }


def pack_config(settings: PolicySettings) -> dict[str, Any]:
    """A `--policy-pack-config` file that gives `pulumi preview` the same settings as this plan."""
    from lz.policies.pack import POLICIES  # noqa: PLC0415

    out: dict[str, Any] = {}
    for policy in POLICIES:
        entry: dict[str, Any] = {"enforcementLevel": settings.level_for(policy)}
        entry.update(settings.config_for(policy))
        out[policy.name] = entry
    return out


def _write(path: Path, text: str) -> None:
    from lz.core.safe_io import write_atomic  # noqa: PLC0415

    write_atomic(path, text)


def check_graph(
    project: Project,
    file: Path,
    settings: PolicySettings,
    out_dir: Path,
    *,
    stack: StackFile | None = None,
    checkov: bool = True,
    waivers_file: Path | None = None,
    base: Path | None = None,
    allow_destroy: tuple[str, ...] = (),
    state: Path | None = None,
    context: PlanContext | None = None,
) -> tuple[int, Review, list[Resource]]:
    from lz.core.mdsafe import code  # noqa: PLC0415
    from lz.core.safe_io import OutputFolder  # noqa: PLC0415
    from lz.review.gate import check_base, stack_of  # noqa: PLC0415
    from lz.review.partial import complete_preview  # noqa: PLC0415

    with OutputFolder(out_dir):
        removed: list[str] = []
        resources, shape = load_graph(file, removed)
        completion = None
        state_resources = None
        if state is not None:
            state_resources, state_shape = load_graph(state)
            if state_shape != "stack-export":
                raise InputError("expected the output of `pulumi stack export` (a `deployment` key)", file=str(state))
            if shape != "preview":
                raise InputError(
                    f"--state completes a `pulumi preview --json` document; this file is a {shape}", file=str(file)
                )
        if shape == "preview":
            completion = complete_preview(
                resources, sames_shown=any(r.step == "same" for r in resources), removed=removed, state=state_resources
            )
            resources = completion.resources
            if state is not None:
                shape = f"preview + {completion.filled} unchanged resource(s) from {code(state.name)}"
            elif completion.partial:
                shape = "preview without unchanged resources"
        base_resources = None
        if base is not None:
            base_resources = load_graph(base)[0]
            ours = stack_of(resources)
            if ours is not None:
                check_base(base_resources, ours, str(base))

        title = (
            f"Policy check of {code(file.name)} ({shape})"
            if stack is None
            else f"Policy check of stack `{stack.stack}` ({shape})"
        )
        result = review(
            project,
            resources,
            settings,
            out_dir,
            graph=None,
            title=title,
            stack=stack,
            checkov=checkov,
            waivers_file=waivers_file,
            base=base_resources,
            allow_destroy=allow_destroy,
            completion=completion,
            context=context,
        )
    return (1 if result.mandatory else 0), result, resources
