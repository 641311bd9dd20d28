"""The `plan-` policy family: a plan that deletes or replaces a protected resource fails.

`lz plan --base GRAPH` diffs the head graph against the base branch's. Every protected resource
(`protect`: the data-bearing resources outside `environment: test`) that the diff deletes or
replaces becomes a mandatory, critical finding: `plan-protected-delete` or `plan-protected-replace`.
`pulumi up` would stop on them too, but only halfway through an update; here the pull request
fails before anyone runs it.

Accepting one takes an explicit, reviewable act: `--allow-destroy URN` on the command line (the
finding stays in the reports, marked accepted) or a waiver in the base branch's waivers.yaml that
names the URN and the `plan-` policy (waivers cannot blanket a mandatory family, see lz.review.waivers).

`check_base` refuses a base graph of another stack or project: the diff would list every
resource as deleted and added, which says nothing about the change under review.
"""

from __future__ import annotations

from collections.abc import Iterable

from lz.core.errors import InputError
from lz.core.graph import Resource
from lz.review.diff import GraphDiff
from lz.review.evaluate import Finding

DELETE = "plan-protected-delete"
REPLACE = "plan-protected-replace"
POLICIES = (DELETE, REPLACE)
REMEDIATION = (
    "Keep the resource's logical name, parent and identity inputs (renaming the organization, an "
    "account or a region renames the data stores), or migrate the data first and accept the "
    "deletion explicitly: `lz plan --allow-destroy URN` or a waiver in waivers.yaml naming this URN."
)


def stack_of(resources: Iterable[Resource]) -> tuple[str, str] | None:
    """(stack, project) of a graph, read from its URNs (`urn:pulumi:STACK::PROJECT::...`)."""
    for r in resources:
        head = r.urn.split("::", 2)
        if len(head) >= 2 and head[0].startswith("urn:pulumi:"):
            return head[0][len("urn:pulumi:") :], head[1]
    return None


def check_base(base: list[Resource], ours: tuple[str, str], display: str) -> None:
    """Refuse a base graph whose URNs name another (stack, project) than `ours`."""
    theirs = stack_of(base)
    if theirs is None or theirs == ours:
        return
    raise InputError(
        f"the base graph is of stack {theirs[0]!r} (project {theirs[1]!r}), not {ours[0]!r} "
        f"(project {ours[1]!r}); pass the base branch's graph.json of the same stack",
        file=display,
    )


def destroy_findings(diff: GraphDiff, allowed: Iterable[str] = ()) -> list[Finding]:
    """One mandatory finding per protected resource deleted or replaced; those in `allowed` are accepted."""
    allow = set(allowed)
    out: list[Finding] = []
    for r in diff.protected_removals:
        out.append(_finding(DELETE, r.urn, r.type, "protected resource would be deleted", r.urn in allow))
    for c in diff.protected_replacements:
        why = ", ".join(c.replace_keys)
        follows = f" (it takes the ID of {', '.join(u.rsplit('::', 1)[-1] for u in c.follows)})" if c.follows else ""
        accepted = c.urn in allow or (bool(c.base_urn) and c.base_urn in allow)
        out.append(
            _finding(
                REPLACE,
                c.urn,
                c.type,
                f"protected resource would be replaced (deleted and created again) because of {why}{follows}",
                accepted,
            )
        )
    return out


def _finding(policy: str, urn: str, type_: str, message: str, accepted: bool) -> Finding:
    f = Finding(
        policy=policy,
        source="lz",
        enforcement="mandatory",
        severity="critical",
        urn=urn,
        type=type_,
        message=message,
        remediation=REMEDIATION,
    )
    if accepted:
        f.waived = True
        f.waiver = {"owner": "--allow-destroy", "reason": "accepted on the command line", "expires": ""}
    return f


def unknown_allowed(diff: GraphDiff, allowed: Iterable[str]) -> list[str]:
    """URNs given to --allow-destroy that name no protected deletion or replacement of this plan."""
    known = {r.urn for r in diff.protected_removals}
    known |= {c.urn for c in diff.protected_replacements} | {c.base_urn for c in diff.protected_replacements}
    return sorted(set(allowed) - known)
