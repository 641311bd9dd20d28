"""`lz wave new NAME --foundation STACK [--from TEMPLATE]`: a new wave stack file from a template.

Renders `stacks/templates/<TEMPLATE>.yaml.j2` (jinja2, strict: an unknown variable is an error) with
what the foundation stack says (organisation, environment, residency, clouds and regions, its data
classification), parses the result as the stack file it will be, and validates it exactly as
`lz plan` would (the wave spec, then the wave against the foundation) BEFORE anything is written.
It never overwrites: an existing `stacks/Pulumi.NAME.yaml` is an input error (exit 2).

The wave's own `name` is the stack name without the foundation's environment suffix
(`wave-2-dev` on a `dev` foundation is wave `wave-2`), so stack and wave names read alike.

Template variables: `stack`, `wave`, `namespace`, `foundation_stack`, `foundation` (organization,
environment, residency, tags, clouds), `regions` (cloud -> first region), `cloud` and `region` (the
foundation's first cloud and its first region), `classification`, `dataset`, `azure_account`,
`dns_zone_hint`.

What it does not do: deploy anything, or create the Pulumi stack (`pulumi stack init NAME` does).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import jinja2

from lz.cli.project import Project, load_stack, parse_yaml
from lz.core import naming
from lz.core.errors import InputError
from lz.spec import LANDING_ZONE_KEY, load_landing_zone
from lz.spec.wave import NAME_PATTERN, WAVE_KEY, FoundationView, check_against_foundation, load_wave

MODELINE = "# yaml-language-server: $schema=../schema/stack.schema.json"
STACK_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_DNS_ZONE_HINTS = {"aws": "Z0123456789ABCDEFGHIJ", "gcp": "public-zone", "azure": "rg-dns/example.com"}


def templates_dir(project: Project) -> Path:
    return project.stack_config_dir / "templates"


def wave_name_for(stack: str, environment: str) -> str:
    suffix = f"-{environment}"
    return stack[: -len(suffix)] if stack.endswith(suffix) and len(stack) > len(suffix) else stack


def _template(project: Project, template: str) -> tuple[jinja2.Template, str]:
    directory = templates_dir(project)
    display = project.rel(directory / f"{template}.yaml.j2")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", template):
        raise InputError(f"invalid template name {template!r}", key="--from")
    available = sorted(p.name[: -len(".yaml.j2")] for p in directory.glob("*.yaml.j2")) if directory.is_dir() else []
    if template not in available:
        raise InputError(
            f"no such template (templates in {project.rel(directory)}: {', '.join(available) or 'none'})",
            file=display,
            key="--from",
        )
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(directory)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    try:
        return env.get_template(f"{template}.yaml.j2"), display
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"template syntax error: {exc.message}", file=display, line=exc.lineno) from None


def _context(project: Project, stack: str, foundation_stack: str, foundation: FoundationView) -> dict[str, Any]:
    wave = wave_name_for(stack, foundation.environment)
    if not re.fullmatch(NAME_PATTERN, wave):
        raise InputError(
            f"the wave name {wave!r} (from the stack name) must be 2 to 20 lower-case letters, digits "
            "or '-', starting with a letter",
            key="NAME",
        )
    clouds = list(foundation.clouds)
    cloud = clouds[0]
    region = foundation.clouds[cloud][0]
    return {
        "stack": stack,
        "wave": wave,
        "namespace": project.name,
        "foundation_stack": foundation_stack,
        "foundation": foundation,
        "regions": {c: rs[0] for c, rs in foundation.clouds.items()},
        "cloud": cloud,
        "region": region,
        "classification": foundation.classification,
        "dataset": "legacy-data",
        "azure_account": naming.compact(
            "legacy", foundation.organization, wave, max_len=24, owner=f"{foundation.organization}/{wave}"
        ),
        "dns_zone_hint": _DNS_ZONE_HINTS[cloud],
    }


def render_wave(project: Project, name: str, foundation: str, template: str = "wave") -> tuple[str, Path]:
    """The text of the new stack file and where it goes, validated; nothing is written."""
    if not STACK_NAME_RE.match(name) or name.startswith("."):
        raise InputError(f"invalid stack name {name!r}", key="NAME")
    target = project.stack_file(name)
    if target.exists():
        raise InputError(
            "the stack file exists; refusing to overwrite it (choose another NAME or delete it)",
            file=project.rel(target),
        )
    foundation_file = load_stack(project, foundation)
    raw_lz = foundation_file.namespaced(LANDING_ZONE_KEY)
    if raw_lz is None:
        raise InputError(
            f"stack {foundation!r} is not a foundation (it has no {project.name}:{LANDING_ZONE_KEY})",
            file=foundation_file.display,
            key="--foundation",
        )
    spec = load_landing_zone(raw_lz, file=foundation_file.display, namespace=project.name, lines=foundation_file.lines)
    view = FoundationView.of(spec)
    compiled, display = _template(project, template)
    try:
        text = compiled.render(**_context(project, name, foundation, view))
    except jinja2.UndefinedError as exc:
        raise InputError(f"template error: {exc.message}", file=display) from None
    if not text.startswith(MODELINE + "\n"):
        raise InputError(f"the rendered file must start with the schema modeline `{MODELINE}`", file=display, line=1)

    # Validate exactly as `lz plan` will read the file.
    shown = f"{project.rel(target)} (rendered from {display})"
    data, lines = parse_yaml(text, shown)
    config = data.get("config") if isinstance(data, dict) else None
    key = f"{project.name}:{WAVE_KEY}"
    if not isinstance(config, dict) or key not in config:
        raise InputError(f"the rendered file has no `config.{key}`", file=shown)
    sub_lines = {k[1:]: v for k, v in lines.items() if k[:1] == ("config",) and len(k) > 1}
    wave = load_wave(config[key], file=shown, namespace=project.name, lines=sub_lines)
    if wave.foundation != foundation:
        raise InputError(
            f"the rendered wave reads foundation {wave.foundation!r}, not {foundation!r}",
            file=shown,
            key=f"config.{key}.foundation",
        )
    check_against_foundation(wave, spec, file=shown, namespace=project.name, lines=sub_lines)
    return text, target


def wave_new(project: Project, name: str, foundation: str, template: str = "wave") -> Path:
    """Write `stacks/Pulumi.<name>.yaml` from `stacks/templates/<template>.yaml.j2`; never overwrite."""
    text, target = render_wave(project, name, foundation, template)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: a file that appeared since the check above is still never overwritten.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise InputError("the stack file exists; refusing to overwrite it", file=project.rel(target)) from None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    return target
