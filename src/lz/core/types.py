"""One canonical type token for every token of the same resource, from the provider SDKs' own data.

The same resource reaches a graph under several tokens: azure-native API-versioned modules
(`azure-native:storage/v20230101:StorageAccount`), renamed modules (`azure-native:documentdb:...`
beside `cosmosdb`), and the older names each SDK class declares as aliases
(`aws:applicationloadbalancing/targetGroup:TargetGroup` -> `aws:lb/targetGroup:TargetGroup`,
`gcp:serviceAccount/account:Account` -> `gcp:serviceaccount/account:Account`). `canonical_type`
maps them all to the token of the class the installed SDK defines, so a policy keyed on one token
sees every spelling of it.

The table `lz/data/type_aliases.json.gz` is generated from the SDKs' generated classes by
`python -m tools.gen_type_aliases` (never edited by hand); it holds the aliases the runtime rule does not
cover (an azure-native API version stripped from the module) and every canonical token of the
three SDKs, so `is_known` answers without importing them.

What it deliberately does not do: guess. A token that neither the table nor the rule resolves to a
token the SDKs define comes back unchanged, and `is_known` says False for it: the report lists such
types as not covered.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

_API_VERSION = re.compile(r"^(azure-native:[A-Za-z0-9]+)/v\d{8}[A-Za-z]*(:[^:]+)$")
PACKAGES = {"aws": "pulumi_aws", "gcp": "pulumi_gcp", "azure-native": "pulumi_azure_native"}


def strip_api_version(token: str) -> str:
    """`azure-native:storage/v20230101:StorageAccount` -> `azure-native:storage:StorageAccount`."""
    match = _API_VERSION.match(token) if isinstance(token, str) else None
    return f"{match.group(1)}{match.group(2)}" if match else token


def resolve(token: str, aliases: Mapping[str, str]) -> str:
    """The token after following `aliases` and the API-version rule (at most a few hops)."""
    current = token
    for _ in range(4):
        if current in aliases:
            current = aliases[current]
            continue
        stripped = strip_api_version(current)
        if stripped == current:
            break
        current = stripped
    return current


@cache
def _table() -> dict[str, Any]:
    raw = resources.files("lz").joinpath("data/type_aliases.json.gz").read_bytes()
    data: dict[str, Any] = json.loads(gzip.decompress(raw))
    return data


@cache
def _known() -> frozenset[str]:
    return frozenset(t for tokens in _table()["tokens"].values() for t in tokens)


@cache
def canonical_type(token: str) -> str:
    """The canonical token of a resource type; anything unresolvable comes back unchanged."""
    if not isinstance(token, str) or token.startswith("pulumi:"):
        return token
    found = resolve(token, _table()["aliases"])
    return found if found in _known() else token


def is_known(token: str) -> bool:
    """Whether the token (after normalisation) is a resource class of the three provider SDKs."""
    return canonical_type(token) in _known()


def known_tokens(package: str) -> list[str]:
    """Canonical tokens of one package prefix (`aws`, `gcp`, `azure-native`)."""
    return list(_table()["tokens"].get(PACKAGES.get(package, package), []))


def sdk_versions() -> dict[str, str]:
    return dict(_table()["sdk_versions"])


def canonical_resources(resources: list[Any]) -> list[Any]:
    """`lz.core.graph.Resource`s with canonical type tokens (copies only where a token changes)."""
    import dataclasses  # noqa: PLC0415

    return [
        r if canonical_type(r.type) == r.type else dataclasses.replace(r, type=canonical_type(r.type))
        for r in resources
    ]
