"""Offline policy evaluation: the pack's own pulumi-policy objects, run over a resource graph.

The policies are the very objects `pulumi preview --policy-pack policies` loads; here they are
called directly with the same argument types the analyzer builds (`ResourceValidationArgs`,
`StackValidationArgs`) and with props wrapped in pulumi-policy's unknown-checking proxy. A value
unknown at preview raises inside a policy; that is recorded as "cannot tell yet", never as a
violation and never as a crash. Enforcement levels and per-policy config follow the format of
`pulumi preview --policy-pack-config`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.policy import _NotApplicableError
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from lz.core.errors import InputError
from lz.core.graph import Resource

SEVERITIES = ("critical", "high", "medium", "low")
_PROVIDER_PREFIX = "pulumi:providers:"


@dataclass
class Finding:
    policy: str
    source: str
    enforcement: str
    severity: str
    urn: str
    type: str
    message: str
    waived: bool = False
    remediation: str = ""
    waiver: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "policy": self.policy,
            "source": self.source,
            "enforcement": self.enforcement,
            "severity": self.severity,
            "urn": self.urn,
            "type": self.type,
            "message": self.message,
            "waived": self.waived,
        }
        if self.remediation:
            out["remediation"] = self.remediation
        if self.waiver:
            out["waiver"] = self.waiver
        return out

    def sort_key(self) -> tuple[int, str, str, str]:
        return (
            SEVERITIES.index(self.severity) if self.severity in SEVERITIES else 9,
            self.policy,
            self.urn,
            self.message,
        )


@dataclass
class Undecided:
    """A policy that could not judge a resource because a value is unknown until deploy."""

    policy: str
    urn: str
    detail: str


@dataclass
class Evaluation:
    findings: list[Finding] = field(default_factory=list)
    undecided: list[Undecided] = field(default_factory=list)
    policies_run: int = 0
    resources_checked: int = 0


@dataclass
class PolicySettings:
    """Per-policy enforcement and config, as in a `--policy-pack-config` file."""

    enforcement: dict[str, str] = field(default_factory=dict)  # policy name (or "all") -> level
    config: dict[str, dict[str, Any]] = field(default_factory=dict)  # policy name -> properties
    overrides: dict[str, Any] = field(default_factory=dict)  # property -> value for every policy that has it

    @classmethod
    def from_pack_config(cls, data: Any, *, file: str) -> PolicySettings:
        if not isinstance(data, dict):
            raise InputError("expected a JSON object mapping policy names to a level or settings", file=file)
        settings = cls()
        for name, value in data.items():
            if isinstance(value, str):
                settings.enforcement[name] = _level(value, file, name)
            elif isinstance(value, dict):
                props = dict(value)
                if "enforcementLevel" in props:
                    settings.enforcement[name] = _level(props.pop("enforcementLevel"), file, f"{name}.enforcementLevel")
                if name == "all" and props:
                    raise InputError("`all` takes only an enforcement level", file=file, key=name)
                settings.config[name] = props
            else:
                raise InputError("expected an enforcement level or an object", file=file, key=name)
        return settings

    def level_for(self, policy: Policy) -> str:
        own = policy.enforcement_level.value if policy.enforcement_level else "advisory"
        level = self.enforcement.get("all", own)
        return self.enforcement.get(policy.name, level)

    def config_for(self, policy: Policy) -> dict[str, Any]:
        schema = policy.config_schema
        props = schema.properties if schema else {}
        out: dict[str, Any] = {}
        for key, prop in props.items():
            if isinstance(prop, dict) and "default" in prop:
                out[key] = prop["default"]
        out.update(self.config.get(policy.name, {}))
        for key, value in self.overrides.items():
            if key in props:
                out[key] = value
        return out


def _level(value: Any, file: str, key: str) -> str:
    allowed = [e.value for e in EnforcementLevel]
    if value not in allowed:
        raise InputError(f"{value!r} is not an enforcement level ({', '.join(allowed)})", file=file, key=key)
    return str(value)


def _options(r: Resource) -> PolicyResourceOptions:
    return PolicyResourceOptions(
        protect=r.protect,
        ignore_changes=[],
        delete_before_replace=None,
        aliases=[],
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=[],
        parent=r.parent or None,
    )


def _resolve(result: Any) -> None:
    """Policies may be async; drive a returned awaitable to completion."""
    if inspect.isawaitable(result):
        import asyncio

        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(result)
        finally:
            loop.close()


def evaluate(
    resources: list[Resource],
    policies: list[Policy],
    settings: PolicySettings,
    stack_tags: dict[str, str] | None = None,
    *,
    absent: list[Resource] | None = None,
    partial: bool = False,
) -> Evaluation:
    """`absent`: placeholders for resources referenced but not in the graph (`lz.review.partial`), whose every
    value is unknown; `partial`: the graph may lack resources of the stack (stack policies are told
    through their `graphComplete` config, so a missing companion is "cannot tell yet")."""
    by_urn = {r.urn: r for r in resources}
    providers: dict[str, PolicyProviderResource] = {}
    for r in resources:
        if r.type.startswith(_PROVIDER_PREFIX):
            providers[r.urn] = PolicyProviderResource(r.type, unknown_checking_proxy(r.inputs), r.urn, r.name)
    placeholders = list(absent or [])
    for r in placeholders:
        if r.type.startswith(_PROVIDER_PREFIX):
            providers[r.urn] = PolicyProviderResource(r.type, _absent_props(r.urn), r.urn, r.name)
    checked = [
        r
        for r in resources
        if r.custom and not r.type.startswith(_PROVIDER_PREFIX) and not r.type.startswith("pulumi:pulumi:")
    ]
    result = Evaluation(resources_checked=len(checked))
    tags = stack_tags or {}
    # The analyzer deserializes a resource's props afresh for every policy; policies only ever read
    # them, so here each resource's proxied props, options and provider are built once and shared by
    # every policy (at a few thousand resources, rebuilding them per policy cost more than the policies).
    shared = _SharedViews(resources, providers, placeholders)

    for policy in policies:
        level = settings.level_for(policy)
        if level == EnforcementLevel.DISABLED.value:
            continue
        result.policies_run += 1
        config = settings.config_for(policy)
        severity = policy.severity.value if policy.severity else "medium"

        def report(
            message: str,
            urn: str | None,
            *,
            _p: Policy = policy,
            _level: str = level,
            _sev: str = severity,
            _default: str = "",
        ) -> None:
            target = urn or _default
            rtype = by_urn[target].type if target in by_urn else ""
            result.findings.append(
                Finding(
                    policy=_p.name,
                    source="lz",
                    enforcement="mandatory" if _level in ("mandatory", "remediate") else "advisory",
                    severity=_sev,
                    urn=target,
                    type=rtype,
                    message=message,
                    remediation=_p.remediation_steps or "",
                )
            )

        if isinstance(policy, ResourceValidationPolicy):
            for r in checked:
                view = shared.view(r)
                args = ResourceValidationArgs(
                    resource_type=r.type,
                    props=view.props,
                    urn=r.urn,
                    name=view.name,
                    opts=view.options,
                    provider=view.provider,
                    config=config,
                    stack_tags=tags,
                )
                try:
                    _resolve(policy.validate(args, _reporter(report, r.urn, own=True)))
                except UnknownValueError as exc:
                    result.undecided.append(Undecided(policy.name, r.urn, exc.message))
                except _NotApplicableError:
                    continue
        elif isinstance(policy, StackValidationPolicy):
            stack_resources = shared.policy_resources()
            stack_urn = next((r.urn for r in resources if r.type == "pulumi:pulumi:Stack"), "")
            stack_config = {**config, "graphComplete": False} if partial else config
            args_s = StackValidationArgs(resources=stack_resources, config=stack_config, stack_tags=tags)
            per_resource: list[Undecided] = []
            token = _undecided_sink().set(
                lambda urn, detail, _p=policy.name, _into=per_resource: _into.append(Undecided(_p, urn, detail))
            )
            try:
                _resolve(policy.validate(args_s, _reporter(report, stack_urn, own=False)))
            except UnknownValueError as exc:
                result.undecided.extend(per_resource or [Undecided(policy.name, "", exc.message)])
            except _NotApplicableError:
                continue
            finally:
                _undecided_sink().reset(token)
    result.findings.sort(key=Finding.sort_key)
    return result


def _reporter(report: Callable[[str, str | None], None], urn: str, *, own: bool) -> ReportViolation:
    """The `report_violation` a policy gets: a resource policy's findings are about its resource
    (`own`), a stack policy's about the URN it names, else the stack."""

    def report_violation(message: str, urn_: str | None = None) -> None:
        report(message, urn if own else (urn_ or urn))

    return report_violation


@dataclass
class _View:
    props: Any
    name: str
    options: PolicyResourceOptions
    provider: PolicyProviderResource | None


class _SharedViews:
    """What policies see of each resource, built on first use and then shared by every policy."""

    def __init__(
        self,
        resources: list[Resource],
        providers: dict[str, PolicyProviderResource],
        absent: list[Resource] | None = None,
    ) -> None:
        self.resources = resources
        self.providers = providers
        self.absent = absent or []
        self.views: dict[int, _View] = {}
        self.stack_resources: list[PolicyResource] | None = None

    def view(self, r: Resource) -> _View:
        found = self.views.get(id(r))
        if found is None:
            props = _absent_props(r.urn) if r.absent else unknown_checking_proxy(r.inputs)
            found = self.views[id(r)] = _View(props, r.name, _options(r), self.providers.get(r.provider_urn))
        return found

    def policy_resources(self) -> list[PolicyResource]:
        """The stack policies' resources: one list, built once (each policy gets a shallow copy)."""
        if self.stack_resources is None:
            judged = _policy_resources(self.resources + self.absent, self)
            hidden = {a.urn for a in self.absent}
            self.stack_resources = [p for p in judged if p.urn not in hidden]
        return list(self.stack_resources)


def _policy_resources(resources: list[Resource], shared: _SharedViews) -> list[PolicyResource]:
    built: dict[str, PolicyResource] = {}
    for r in resources:
        if r.type.startswith(_PROVIDER_PREFIX) or r.type.startswith("pulumi:pulumi:"):
            continue
        view = shared.view(r)
        built[r.urn] = PolicyResource(r.type, view.props, r.urn, view.name, view.options, view.provider, None, [], {})
    for r in resources:
        pr = built.get(r.urn)
        if pr is None:
            continue
        pr.parent = built.get(r.parent)
        pr.dependencies = [built[d] for d in r.dependencies if d in built]
        pr.property_dependencies = {k: [built[d] for d in v if d in built] for k, v in r.property_dependencies.items()}
    return list(built.values())


def _absent_props(urn: str) -> Any:
    from lz.review.partial import AbsentProps  # noqa: PLC0415

    return AbsentProps(urn)


def _undecided_sink() -> Any:
    from lz.policies._support import UNDECIDED_SINK  # noqa: PLC0415

    return UNDECIDED_SINK
