"""How many resource types of the three provider SDKs each policy family judges (README numbers).

Counted over the canonical tokens of pulumi-aws, pulumi-gcp and pulumi-azure-native (`lz.core.types`):
- tags-: types whose SDK class takes tags/labels (`lz.core.taggable.tag_field`: a map, a key/value list
  or nested labels), i.e. where `tags-required` and `tags-valid-for-cloud` run;
- residency-: types the pack can place: AWS classes taking `region` (every regional resource of
  pulumi-aws v7), GCP classes taking `location`, `region`, `zone` or `locationId` or with a place
  rule of their own (Spanner, Bigtable, ...), Azure classes taking `location`;
- every other family: the types named in its policies' tables (the type tokens in the module
  source that are canonical tokens of the SDKs); encryption- adds the types whose SDK class declares
  a key input (`lz.core.taggable.key_inputs`, judged by `encryption-at-rest-cmk`).
Run: .venv/bin/python -m tools.coverage   (imports every SDK class once: minutes, not for CI)
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from lz.core.taggable import input_names, tag_field
from lz.core.types import known_tokens
from lz.policies import (
    encryption,
    residency,
)

ROOT = Path(__file__).resolve().parents[1]

PACKAGES = ("aws", "gcp", "azure-native")
FAMILY_MODULES = {
    "encryption-": ["encryption", "encryption_clusters", "encryption_sql"],
    "iam-": ["iam"],
    "network-": ["network_clusters", "network_vpn"],
    "data-protection-": ["data_protection"],
    "residency- (transfers)": ["residency_transfers"],
}
_TOKEN = re.compile(r'"((?:aws|gcp|azure-native):[A-Za-z0-9/]+:[A-Za-z0-9]+)"')
_PLACE_KEYS = {"location", "region", "zone", "locationId"}


def placeable(token: str) -> bool:
    names = input_names(token)
    if token.startswith("aws:"):
        return "region" in names
    if token.startswith("gcp:"):
        return bool(names & _PLACE_KEYS) or token in residency._GCP_PLACE_OF or token in residency._EXTRA_PLACES
    return "location" in names


def main() -> None:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(PACKAGES, 0))
    derived: set[str] = set()  # encryption-at-rest-cmk through the key inputs the SDK declares
    totals = {p: len(known_tokens(p)) for p in PACKAGES}
    for package in PACKAGES:
        for token in known_tokens(package):
            if tag_field(token) is not None:
                counts["tags-"][package] += 1
            if placeable(token):
                counts["residency-"][package] += 1
            if encryption.derived_at_rest(token) is not None:
                derived.add(token)
    every = set().union(*(known_tokens(p) for p in PACKAGES))
    for family, modules in FAMILY_MODULES.items():
        named: set[str] = set()
        for module in modules:
            named |= set(_TOKEN.findall((ROOT / "policies" / f"{module}.py").read_text())) & every
        if family == "encryption-":
            named |= derived
        for token in named:
            counts[family][token.split(":", 1)[0]] += 1
    print("| family | " + " | ".join(PACKAGES) + " |")
    print("| --- | " + " | ".join("---:" for _ in PACKAGES) + " |")
    print("| (types in the SDK) | " + " | ".join(str(totals[p]) for p in PACKAGES) + " |")
    for family in ("tags-", "residency-", *FAMILY_MODULES):
        print(f"| {family} | " + " | ".join(str(counts[family][p]) for p in PACKAGES) + " |")


if __name__ == "__main__":
    main()
