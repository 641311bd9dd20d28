"""The `lz` command line. Exit codes: 0 no mandatory violation, 1 mandatory violation, 2 bad input,
3 an internal error (one line on the terminal, the traceback saved to a file)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from lz.core.errors import InputError, ToolMissingError


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit 2, like every other bad input."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"lz: error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    from lz import __version__

    parser = _Parser(prog="lz", description="Plan and check multicloud landing zones offline.")
    parser.add_argument("--version", action="version", version=f"lz {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    plan = sub.add_parser("plan", help="synthesize a stack offline, evaluate the policies, write the reports")
    target = plan.add_mutually_exclusive_group(required=True)
    target.add_argument("--stack", metavar="NAME", help="plan stacks/Pulumi.NAME.yaml")
    target.add_argument("--all", action="store_true", help="plan every stack in stacks/, foundations first")
    plan.add_argument("--out", metavar="DIR", type=Path, help="output folder (default out/NAME/)")
    plan.add_argument(
        "--base",
        metavar="GRAPH",
        type=Path,
        help="graph.json of the base branch, for the diff (with --all: a folder of <stack>/graph.json)",
    )
    plan.add_argument(
        "--allow-destroy",
        metavar="URN",
        nargs="+",
        action="extend",
        default=[],
        help="accept the deletion or replacement of these protected resources (needs --base)",
    )
    plan.add_argument("--no-checkov", action="store_true", help="skip checkov (the project's policies still run)")
    plan.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="json: print the findings document on stdout (the summary goes to stderr)",
    )

    check = sub.add_parser("check", help="evaluate the policy pack over an existing resource graph")
    check.add_argument(
        "file", metavar="FILE", type=Path, help="graph.json, `pulumi stack export` or `pulumi preview --json` output"
    )
    check.add_argument("--stack", metavar="NAME", help="take policy settings from this stack's spec")
    check.add_argument("--residency", metavar="J", help="allowed jurisdiction(s), comma-separated (e.g. eu)")
    check.add_argument("--require-tags", metavar="K1,K2", help="tags every taggable resource must carry")
    check.add_argument(
        "--policy-config", metavar="FILE", type=Path, help="a `pulumi preview --policy-pack-config` JSON file"
    )
    check.add_argument("--out", metavar="DIR", type=Path, help="output folder (default out/check/)")
    check.add_argument("--no-checkov", action="store_true", help="skip checkov (the project's policies still run)")
    check.add_argument(
        "--base",
        metavar="GRAPH",
        type=Path,
        help="the base branch's graph of the same stack: protected deletions fail (plan- family)",
    )
    check.add_argument(
        "--allow-destroy",
        metavar="URN",
        nargs="+",
        action="extend",
        default=[],
        help="accept the deletion or replacement of these protected resources (needs --base)",
    )
    check.add_argument(
        "--waivers",
        metavar="FILE",
        type=Path,
        help="waivers for this graph (without it, this project's waivers.yaml applies only "
        "with --stack, to the project's own stacks)",
    )
    check.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="json: print the findings document on stdout (the summary goes to stderr)",
    )
    check.add_argument(
        "--state",
        metavar="FILE",
        type=Path,
        help="a `pulumi stack export` that fills in the unchanged resources of a preview",
    )

    sub.add_parser("schema", help="print the JSON Schema of the stack config")

    wave = sub.add_parser("wave", help="migration waves")
    wave_sub = wave.add_subparsers(dest="wave_command", required=True, parser_class=_Parser)
    new = wave_sub.add_parser("new", help="render stacks/Pulumi.NAME.yaml from a template, validated")
    new.add_argument("name", metavar="NAME", help="the new wave stack's name, e.g. wave-2-dev")
    new.add_argument("--foundation", metavar="STACK", required=True, help="the foundation stack it builds on")
    new.add_argument(
        "--from",
        dest="template",
        metavar="TEMPLATE",
        default="wave",
        help="a template of stacks/templates/ (default: wave)",
    )

    env = sub.add_parser("env", help="disposable test environments of a wave (needs the Pulumi CLI)")
    env_sub = env.add_subparsers(dest="env_command", required=True, parser_class=_Parser)
    up = env_sub.add_parser("up", help="create WAVE-test-<id> with environment: test and an expiry")
    up.add_argument("wave", metavar="WAVE", help="the wave stack to rehearse")
    up.add_argument("--ttl", default="8h", help="time to live, e.g. 8h, 2d (default 8h)")
    down = env_sub.add_parser("down", help="destroy a test environment")
    down.add_argument("name", metavar="NAME")
    gc = env_sub.add_parser("gc", help="destroy every expired test environment")
    for p in (up, down, gc):
        p.add_argument("--backend", metavar="URL", help="Pulumi backend (default: a local file backend in .lz/state)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except InputError as exc:
        print(f"lz: error: {exc}", file=sys.stderr)
        return 2
    except ToolMissingError as exc:
        print(f"lz: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("lz: interrupted", file=sys.stderr)
        return 130
    except RecursionError:
        print("lz: error: input nested too deeply to read", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - every other error is ours: exit 3, never a traceback on screen
        from lz.review.checkov import CheckovError

        if isinstance(exc, CheckovError):
            print(f"lz: error: checkov failed: {exc}", file=sys.stderr)
            return 2
        from lz.cli.crash import report_crash

        print(report_crash(exc), file=sys.stderr)
        return 3


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "schema":
        from lz.spec import schema_text

        sys.stdout.write(schema_text())
        return 0

    from lz.cli.project import find_project, no_project

    if args.command == "check" and not args.stack:
        # `lz check` judges any program's graph: outside a Pulumi project it runs with the pack that
        # ships in this package, no stacks and no waivers but those given with --waivers.
        try:
            project = find_project()
        except InputError:
            project = no_project()
    else:
        project = find_project()
    if args.command == "plan":
        return _plan(project, args)
    if args.command == "check":
        return _check(project, args)
    if args.command == "wave":
        from lz.cli.wave_new import wave_new

        path = wave_new(project, args.name, args.foundation, args.template)
        print(f"wrote {project.rel(path)}; plan it with `lz plan --stack {args.name}`")
        return 0
    if args.command == "env":
        return _env(project, args)
    raise AssertionError(args.command)


def _env(project, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from lz.cli import envs

    if args.env_command == "up":
        name = envs.env_up(project, args.wave, args.ttl, args.backend)
        print(f"created test environment {name}; destroy it with `lz env down {name}`")
    elif args.env_command == "down":
        envs.env_down(project, args.name, args.backend)
        print(f"destroyed {args.name}")
    else:
        removed = envs.env_gc(project, args.backend)
        print(f"destroyed {len(removed)} expired test environment(s)" + (": " + ", ".join(removed) if removed else ""))
    return 0


def _plan(project, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from lz.cli.plan import plan_stack

    if args.all:
        from lz.cli.plan_all import plan_all

        if args.allow_destroy:
            raise InputError("name the stack whose deletions you accept (--stack NAME)", key="--allow-destroy")
        return plan_all(project, out=args.out, checkov=not args.no_checkov, base=args.base, fmt=args.format)
    from lz.cli.terminal import progress

    progress(
        f"{args.stack}: planning (synthesis under the mock runtime, policies"
        + (", checkov" if not args.no_checkov else "")
        + ")"
    )
    result = plan_stack(
        project,
        args.stack,
        out=args.out,
        base=args.base,
        checkov=not args.no_checkov,
        allow_destroy=tuple(args.allow_destroy),
    )
    _print_result(project, result, fmt=args.format)
    return result.exit_code


def _print_result(project, result, fmt: str = "text") -> None:  # type: ignore[no-untyped-def]
    from lz.cli.terminal import emit_json, result_lines

    try:
        where = result.out.resolve().relative_to(Path.cwd())
    except ValueError:
        where = result.out
    timing = ", ".join(f"{k} {v:.1f}s" for k, v in result.seconds.items())
    lines = result_lines(
        result.stack,
        result.exit_code,
        f"{result.resources} resources",
        result.mandatory,
        result.waived,
        result.failing,
        f"{timing}; wrote {where}/",
        result.plan_line,
    )
    print("\n".join(lines), file=sys.stderr if fmt == "json" else sys.stdout)
    if fmt == "json":
        emit_json(result.findings)


def _check(project, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    import json

    from lz.cli.plan import check_graph, context_of, policy_settings_for
    from lz.cli.project import load_stack
    from lz.core import regions
    from lz.review.evaluate import PolicySettings

    settings = PolicySettings()
    stack = context = None
    if args.stack:
        stack = load_stack(project, args.stack)
        context = context_of(stack)  # parsed once, for the settings and the report
        settings = policy_settings_for(context)
    if args.policy_config:
        from lz.core.safe_io import read_regular

        display = str(args.policy_config)
        raw = read_regular(args.policy_config, display, 4 * 1024 * 1024, what="JSON policy pack config")
        try:
            data = json.loads(raw.decode("utf-8"))
        except RecursionError:
            raise InputError("JSON nested too deeply", file=display) from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"malformed JSON: {exc}", file=display) from None
        loaded = PolicySettings.from_pack_config(data, file=display)
        settings.enforcement.update(loaded.enforcement)
        settings.config.update(loaded.config)
    if args.residency is not None:
        wanted = [j.strip() for j in args.residency.split(",") if j.strip()]
        known = regions.jurisdictions()
        bad = [j for j in wanted if j not in known]
        if not wanted or bad:
            raise InputError(
                f"unknown jurisdiction {', '.join(bad) or repr(args.residency)}; known: {', '.join(known)}",
                key="--residency",
            )
        settings.overrides["allowedJurisdictions"] = wanted
    if args.require_tags is not None:
        tags = [t.strip() for t in args.require_tags.split(",") if t.strip()]
        if not tags:
            raise InputError("expected a comma-separated list of tag keys", key="--require-tags")
        settings.overrides["requiredTags"] = tags
    out = args.out or (project.root / "out" / "check")
    from lz.cli.terminal import emit_json, progress, result_lines

    progress(f"{args.file}: checking")
    if args.allow_destroy and args.base is None:
        raise InputError("accepts deletions found against a base graph; give --base too", key="--allow-destroy")
    code, result, _resources = check_graph(
        project,
        args.file,
        settings,
        out,
        stack=stack,
        context=context,
        checkov=not args.no_checkov,
        waivers_file=args.waivers,
        base=args.base,
        allow_destroy=tuple(args.allow_destroy),
        state=args.state,
    )
    lines = result_lines(
        str(args.file),
        code,
        f"{result.evaluation.resources_checked} resources, {len(result.evaluation.findings)} finding(s)",
        result.mandatory,
        result.waived,
        result.failing,
        f"wrote {out}/",
        result.plan_line,
    )
    undecided = result.evaluation.undecided
    if undecided:
        lines.append(
            f"  {len(undecided)} cannot tell yet (a value depends on a resource the preview does not show; "
            "give --state with a `pulumi stack export`):"
        )
        for u in undecided[:20]:
            where = u.urn.rsplit("::", 1)[-1] if u.urn else "(stack)"
            lines.append(f"  cannot tell yet: {u.policy} on {where}: {u.detail}")
        if len(undecided) > 20:
            lines.append(f"  ... and {len(undecided) - 20} more (findings.json `undecided`)")
    print("\n".join(lines), file=sys.stderr if args.format == "json" else sys.stdout)
    if args.format == "json":
        emit_json(result.findings)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
