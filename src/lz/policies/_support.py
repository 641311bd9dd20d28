"""Shared plumbing for the pack's policies: reading props safely, small check builders, joins.

Props arrive wrapped in pulumi-policy's unknown-checking proxy: plain reads raise
`UnknownValueError` for values that are unknown until deploy. The helpers here keep that contract
("cannot tell yet", never a violation) while letting one resource's other, known problems still be
reported: `Outcome` runs each check on its own, reports what it found, and re-raises an unknown
only when nothing definite was found (so the evaluator, or the Pulumi analyzer, records it as
undecided). Stack policies use `Outcome.settle` per resource and never let an unknown escape for
one resource and hide the rest.

What it deliberately does not do: decide any policy. It holds no resource-type knowledge beyond the
package prefix of a type token, and no messages beyond the generic shapes of the check builders.
"""

from __future__ import annotations

import contextvars
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pulumi_policy import PolicyResource, ReportViolation, ResourceValidationArgs, StackValidationArgs
from pulumi_policy.proxy import UnknownValueError

Props = Mapping[str, Any]
Check = Callable[[Props], list[str]]
"""A check reads a resource's props and returns problems, each naming the property to fix."""

PROVIDER_PREFIX = "pulumi:providers:"
_CLOUD_OF_PACKAGE = {"aws": "aws", "gcp": "gcp", "azure-native": "azure"}


# --- identity --------------------------------------------------------------------------------


def cloud_of(resource_type: str) -> str | None:
    """`aws`, `gcp` or `azure` for a type of those providers' SDKs; None for anything else
    (providers themselves, components, other packages)."""
    if not isinstance(resource_type, str) or resource_type.startswith(PROVIDER_PREFIX):
        return None
    return _CLOUD_OF_PACKAGE.get(resource_type.split(":", 1)[0])


def module_of(resource_type: str) -> str:
    """The module part of a token: `aws:s3/bucket:Bucket` -> `s3`, `azure-native:storage:X` -> `storage`."""
    parts = resource_type.split(":")
    return parts[1].split("/", 1)[0] if len(parts) == 3 else ""


# --- reading props ---------------------------------------------------------------------------

_STEP = re.compile(r"[^.\[\]]+|\[\d+\]")


def get(props: Any, path: str) -> Any:
    """The value at a path like `settings.ipConfiguration.sslMode` or `rules[0].kmsKey`; None when a
    step is missing or of the wrong shape. Raises `UnknownValueError` when a step is unknown."""
    value = props
    for step in _STEP.findall(path):
        if step.startswith("["):
            index = int(step[1:-1])
            if isinstance(value, str) or not isinstance(value, Sequence) or index >= len(value):
                return None
            value = value[index]
        elif isinstance(value, Mapping) and step in value:
            value = value[step]
        else:
            return None
    return value


def is_set(value: Any) -> bool:
    """A value that means something: not None, not blank, not an empty list or object."""
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, (Mapping, Sequence)):
        return len(value) > 0
    return True


def is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def is_false(value: Any) -> bool:
    return value is False or (isinstance(value, str) and value.strip().lower() == "false")


def items(value: Any) -> list[Any]:
    """A list input as a list (None -> [], a lone object -> [it])."""
    if value is None:
        return []
    if isinstance(value, (Mapping, str)):
        return [value]
    if isinstance(value, Sequence):
        return [value[i] for i in range(len(value))]
    return [value]


def maybe_json(value: Any) -> Any:
    """Provider config and policy documents arrive as JSON text; objects pass through unchanged."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def plain(value: Any) -> Any:
    """A proxied value as plain dicts and lists (raises on any unknown inside it)."""
    if isinstance(value, Mapping):
        return {str(k): plain(value[k]) for k in value}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [plain(value[i]) for i in range(len(value))]
    return value


def show(value: Any) -> str:
    return "not set" if value is None else repr(value)


def cannot_tell(message: str) -> UnknownValueError:
    """An `UnknownValueError` ("cannot tell yet") carrying its own explanation."""
    exc = UnknownValueError("04da6b54-80e4-46f7-96ec-b56ff0331ba9", [])
    exc.message = message
    return exc


UNDECIDED_SINK: contextvars.ContextVar[Callable[[str, str], None] | None] = contextvars.ContextVar(
    "lz_undecided_sink", default=None
)
"""Set by `lz.review.evaluate` while a stack policy runs: receives (urn, detail) for every resource the policy
could not judge, so findings.json lists each one. Unset under the Pulumi engine (nothing changes there)."""


# --- running checks --------------------------------------------------------------------------


@dataclass
class Outcome:
    """Problems found for one resource, and the first unknown that stopped a check."""

    problems: list[str] = field(default_factory=list)
    unknown: UnknownValueError | None = None

    def run(self, check: Check, props: Props) -> None:
        try:
            self.problems.extend(check(props))
        except UnknownValueError as exc:
            self.unknown = self.unknown or exc

    def attempt(self, fn: Callable[..., Any], *args: Any, default: Any = None) -> Any:
        """fn(*args), or `default` when it reads an unknown (remembered)."""
        try:
            return fn(*args)
        except UnknownValueError as exc:
            self.unknown = self.unknown or exc
            return default

    def finish(self, report: ReportViolation, urn: str | None = None) -> None:
        """Report every problem; with none, an unknown means "cannot tell yet" and is re-raised."""
        for problem in self.problems:
            report(problem, urn)
        if not self.problems and self.unknown is not None:
            raise self.unknown

    def settle(self, report: ReportViolation, urn: str) -> UnknownValueError | None:
        """Stack policies: report problems, hand back an unknown instead of raising it (and tell an
        offline evaluator which resource it concerns, see `UNDECIDED_SINK`)."""
        for problem in self.problems:
            report(problem, urn)
        if self.problems or self.unknown is None:
            return None
        sink = UNDECIDED_SINK.get()
        if sink is not None:
            sink(urn, self.unknown.message)
        return self.unknown


def run_checks(checks: Iterable[Check], props: Props) -> Outcome:
    outcome = Outcome()
    for check in checks:
        outcome.run(check, props)
    return outcome


# --- check builders --------------------------------------------------------------------------


def require_true(path: str) -> Check:
    def check(props: Props) -> list[str]:
        value = get(props, path)
        return [] if is_true(value) else [f"`{path}` must be true (it is {show(value)})"]

    return check


def require_not_false(path: str) -> Check:
    """For settings that default to on: only an explicit false is a problem."""

    def check(props: Props) -> list[str]:
        value = get(props, path)
        return [f"`{path}` must not be false"] if is_false(value) else []

    return check


def require_set(path: str, what: str) -> Check:
    def check(props: Props) -> list[str]:
        return [] if is_set(get(props, path)) else [f"`{path}` is not set: set it to {what}"]

    return check


def require_one_of(path: str, allowed: Sequence[str], default: str | None = None, fold_case: bool = True) -> Check:
    """The value (or the API's default when absent) is one of `allowed`."""

    def norm(v: str) -> str:
        return v.lower() if fold_case else v

    def check(props: Props) -> list[str]:
        value = get(props, path)
        effective = default if value is None else value
        if isinstance(effective, str) and norm(effective) in {norm(a) for a in allowed}:
            return []
        shown = show(value) + (f" (defaults to {default!r})" if value is None and default else "")
        return [f"`{path}` must be one of {', '.join(repr(a) for a in allowed)} (it is {shown})"]

    return check


def all_of(*checks: Check) -> Check:
    """Every check's problems; an unknown in one does not hide what the others found (and is
    raised only when nothing was found)."""

    def check(props: Props) -> list[str]:
        outcome = run_checks(checks, props)
        if not outcome.problems and outcome.unknown is not None:
            raise outcome.unknown
        return outcome.problems

    return check


def unless(condition: Callable[[Props], bool], inner: Check) -> Check:
    """`inner`, except for resources where `condition` holds (the setting does not apply to them)."""

    def check(props: Props) -> list[str]:
        return [] if condition(props) else inner(props)

    return check


# --- config ----------------------------------------------------------------------------------


def config_list(args: Any, key: str, default: Sequence[str] | None = None) -> list[str] | None:
    """A list-of-strings policy config value; None when not configured."""
    value = args.get_config().get(key) if hasattr(args, "get_config") else None
    if value is None:
        return list(default) if default is not None else None
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",")]
    return [str(v) for v in items(value) if str(v).strip()]


# --- providers -------------------------------------------------------------------------------


def provider_setting(provider: Any, key: str) -> Any:
    """A setting of a resource's explicit provider (JSON text decoded), None without one.
    Raises `UnknownValueError` when the setting is unknown."""
    if provider is None:
        return None
    props = getattr(provider, "props", None)
    if not isinstance(props, Mapping) or key not in props:
        return None
    value = props[key]
    if isinstance(value, str) and value[:1] in "{[":
        return maybe_json(value)
    return plain(value)


# --- joins (stack policies) ------------------------------------------------------------------

GRAPH_COMPLETE = "graphComplete"
"""Stack policy config set to False by `lz check` for a preview without its unchanged resources
(`pulumi preview --json` omits `same` steps): the absence of a companion proves nothing there."""


def graph_complete(args: StackValidationArgs) -> bool:
    """Whether the stack policy sees every resource of the stack (always so under the Pulumi engine)."""
    config = args.get_config() if hasattr(args, "get_config") else {}
    return (config or {}).get(GRAPH_COMPLETE, True) is not False


@dataclass
class Attachments:
    """Companion resources (a bucket's policy, its encryption config) found for each subject."""

    by_subject: dict[str, list[PolicyResource]] = field(default_factory=dict)
    dangling_unknown: bool = False  # some companion's reference is unknown, or the graph is partial:
    # unmatched subjects are undecided ("cannot tell yet"), never passed and never violations

    def undecided(self, what: str) -> UnknownValueError:
        return cannot_tell(
            f"no {what} found, but one may be absent from this graph or its reference unknown until deploy"
        )


def attach(
    args: StackValidationArgs, subject_types: Iterable[str], companion_types: Iterable[str], ref: str, subject_name: str
) -> tuple[list[PolicyResource], Attachments]:
    """Join companions to subjects: through the property dependency of the companion's `ref`
    input (the reference the program made), else by its value equal to the subject's physical name
    (its `subject_name` input). Never by the subject's logical (Pulumi) name: a literal that happens
    to equal it names some other cloud resource."""
    subject_set, companion_set = set(subject_types), set(companion_types)
    subjects = [r for r in args.resources if r.resource_type in subject_set]
    out = Attachments({s.urn: [] for s in subjects})
    # In a partial graph (a preview without its unchanged resources) a companion may simply be absent.
    out.dangling_unknown = not graph_complete(args)
    names: dict[str, list[str]] = {}
    for s in subjects:
        try:
            name = s.props.get(subject_name) if isinstance(s.props, Mapping) else None
        except UnknownValueError:
            name = None
        if name:
            names.setdefault(str(name), []).append(s.urn)
    for c in args.resources:
        if c.resource_type not in companion_set:
            continue
        linked = [d.urn for d in (c.property_dependencies or {}).get(ref, []) if d.urn in out.by_subject]
        if not linked:
            try:
                value = c.props.get(ref) if isinstance(c.props, Mapping) else None
            except UnknownValueError:
                out.dangling_unknown = True
                continue
            linked = names.get(str(value), []) if value else []
        for urn in dict.fromkeys(linked):
            out.by_subject[urn].append(c)
    return subjects, out


# --- canonical types -------------------------------------------------------------------------


def seeing_canonical_types(policy: Any) -> Any:
    """Make `policy` see the canonical token of every resource (`lz.core.types.canonical_type`): an
    API-versioned, renamed or aliased token of a type is judged exactly as the type itself. Works the
    same under `pulumi preview --policy-pack` (the analyzer calls `policy.validate`) and offline.
    Idempotent: a policy is wrapped once however often the pack is imported."""
    from pulumi_policy import ResourceValidationPolicy  # noqa: PLC0415

    from lz.core.types import canonical_type  # noqa: PLC0415

    if getattr(policy, "_lz_canonical", False):
        return policy
    inner = policy.validate
    if isinstance(policy, ResourceValidationPolicy):

        def validate(args: Any, report: ReportViolation) -> Any:
            args.resource_type = canonical_type(args.resource_type)
            return inner(args, report)
    else:

        def validate(args: Any, report: ReportViolation) -> Any:
            for r in args.resources:
                r.resource_type = canonical_type(r.resource_type)
            return inner(args, report)

    policy.validate = validate
    policy._lz_canonical = True
    return policy


Validate = Callable[[ResourceValidationArgs, ReportViolation], None]


def table_policy(
    table: Mapping[str, Check],
    *,
    fallback: Callable[[str], Check | None] | None = None,
    exempt: Callable[[Props], bool] | None = None,
) -> Validate:
    """A resource policy's `validate` that runs the check its table holds for each resource type.

    `fallback(type)` supplies a check for a type the table does not list (None: not concerned).
    `exempt(props)` true skips the resource; an unknown while deciding counts as not exempt (the
    check still runs) and is remembered, so a resource with no problem found is "cannot tell yet".
    """

    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        check = table.get(args.resource_type)
        if check is None and fallback is not None:
            check = fallback(args.resource_type)
        if check is None:
            return
        outcome = Outcome()
        if exempt is not None and outcome.attempt(exempt, args.props, default=False):
            return
        outcome.run(check, args.props)
        outcome.finish(report)

    return validate
