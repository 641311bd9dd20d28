"""Cloud region catalog: offline lookups over ``lz/data/regions.json``.

What it does: answers questions about AWS, GCP and Azure locations from a static,
dated catalog (see :func:`catalog_date`) -- is a name a region, which zones does it
have, which country and jurisdiction hosts it, which concrete regions a zone or a
GCP multi-/dual-region covers, and "did you mean" suggestions for typos.

Jurisdiction is decided by the hosting *country* only (``eu-central-2`` is Zurich,
so ``ch``; ``europe-west2`` is London, so ``uk``), never by a region's name. A GCP
multi-region has a jurisdiction only when all of its regions share one.

What it does not do: no network or provider API calls, no Pulumi imports, no account
specific knowledge (AWS zone letters are mapped per account; zones are resolved to
their region by syntax, without checking that the letter exists -- use :func:`zones`
for the catalogued list). AWS Local/Wavelength Zones, Azure zone numbers, ``global``
and anything unknown resolve to no place and no jurisdiction. Functions that take a
location never raise; functions that enumerate a cloud raise ``ValueError`` for an
unknown cloud.
"""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from importlib import resources
from typing import Any

CLOUDS = ("aws", "gcp", "azure")

_MAX_LEN = 128  # no real location name comes close; longer input is simply unknown
_AWS_ZONE = re.compile(r"^([a-z0-9-]+\d)([a-z])$")  # eu-west-1a
_GCP_ZONE = re.compile(r"^([a-z0-9-]+\d)-([a-z])$")  # europe-west4-a


@cache
def _catalog() -> dict[str, Any]:
    text = resources.files("lz").joinpath("data/regions.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def _country_to_jurisdiction() -> dict[str, str]:
    return {c: key for key, j in _catalog()["jurisdictions"].items() for c in j["countries"]}


def _table(cloud: object) -> dict[str, Any]:
    """The cloud's region table, or {} for anything that is not a known cloud."""
    if not isinstance(cloud, str) or cloud not in CLOUDS:
        return {}
    table: dict[str, Any] = _catalog()[cloud]
    return table


def _checked_table(cloud: str) -> dict[str, Any]:
    if cloud not in CLOUDS:
        raise ValueError(f"unknown cloud {cloud!r}; expected one of {', '.join(CLOUDS)}")
    return _table(cloud)


def _multi() -> dict[str, Any]:
    multi: dict[str, Any] = _catalog()["gcp_multi_regions"]
    return multi


def catalog_date() -> str:
    """The date the catalog data asserts to be current as of (ISO 8601)."""
    return str(_catalog()["as_of"])


def jurisdictions() -> list[str]:
    """All jurisdiction keys (``eu``, ``uk``, ``ch``, ``us``, ...), sorted."""
    return sorted(_catalog()["jurisdictions"])


def regions(cloud: str) -> list[str]:
    """All catalogued region names of ``cloud``, sorted (all AWS partitions included)."""
    return sorted(_checked_table(cloud))


def is_region(cloud: str, name: str) -> bool:
    """True when ``name`` is exactly a catalogued region of ``cloud`` (no normalisation)."""
    return isinstance(name, str) and name in _table(cloud)


def region_info(cloud: str, name: str) -> dict[str, Any] | None:
    """A fresh dict for the region (name, country, city, zones, jurisdiction; AWS also partition)."""
    if not is_region(cloud, name):
        return None
    entry = _table(cloud)[name]
    info: dict[str, Any] = {**entry, "zones": list(entry["zones"])}
    info["jurisdiction"] = _country_to_jurisdiction().get(entry["country"])
    if cloud == "aws":
        info.setdefault("partition", "aws")
    return info


def zones(cloud: str, region: str) -> list[str]:
    """Catalogued zones of a region (Azure: ``["1", "2", "3"]`` or ``[]``); [] if unknown."""
    table = _checked_table(cloud)
    if not isinstance(region, str) or region not in table:
        return []
    return list(table[region]["zones"])


def normalize_location(cloud: str, location: str) -> str:
    """Canonical spelling of a location.

    Azure display names become names ("West Europe" -> "westeurope"); GCP names are
    lower-cased unless they are multi-regions, which take their catalogued case
    (exact match first, so "europe" stays the KMS one and "eu" becomes "EU"; a mixed-case
    tie such as "Us" goes to the upper-case storage name -- both cover the same regions); AWS is
    lower-cased. Unrecognised input comes back stripped (lower-cased for AWS/Azure).
    """
    if not isinstance(location, str):
        return ""
    loc = location.strip()
    if cloud == "azure":
        return "".join(loc.split()).lower()
    if cloud == "gcp":
        multi = _multi()
        if loc in multi:
            return loc
        folded = {m.casefold(): m for m in sorted(multi, reverse=True)}
        if loc.casefold() in folded:
            return folded[loc.casefold()]
        lowered = loc.lower()
        return lowered if _region_of(cloud, lowered) else loc
    if cloud == "aws":
        return loc.lower()
    return loc


def _region_of(cloud: str, location: str) -> str | None:
    """The region a normalised region or zone name belongs to, else None."""
    table = _table(cloud)
    if location in table:
        return location
    pattern = {"aws": _AWS_ZONE, "gcp": _GCP_ZONE}.get(cloud)
    match = pattern.match(location) if pattern else None
    if match and match.group(1) in table:
        return match.group(1)
    return None


def places_of(cloud: str, location: str) -> list[str]:
    """Concrete regions a location covers: region -> [itself], zone -> [its region],
    GCP multi-/dual-region -> its regions (sorted); unknown, ``global`` -> []."""
    if cloud not in CLOUDS or not isinstance(location, str) or len(location) > _MAX_LEN:
        return []
    loc = normalize_location(cloud, location)
    region = _region_of(cloud, loc)
    if region is not None:
        return [region]
    if cloud == "gcp" and loc in _multi():
        return sorted(_multi()[loc]["regions"])
    return []


def country_of(cloud: str, location: str) -> str | None:
    """ISO 3166-1 alpha-2 country hosting the location, or None if unknown or multi-country."""
    countries = {_table(cloud)[r]["country"] for r in places_of(cloud, location)}
    return countries.pop() if len(countries) == 1 else None


def jurisdiction_of(cloud: str, location: str) -> str | None:
    """Jurisdiction key of a region, zone or GCP multi-/dual-region; None when unknown,
    ``global`` or spread over more than one jurisdiction. Never raises."""
    by_country = _country_to_jurisdiction()
    found = {by_country.get(_table(cloud)[r]["country"]) for r in places_of(cloud, location)}
    return found.pop() if len(found) == 1 else None


def regions_in(cloud: str, jurisdiction: str) -> list[str]:
    """Regions of ``cloud`` hosted in ``jurisdiction``, sorted; [] for an unknown jurisdiction."""
    by_country = _country_to_jurisdiction()
    table = _checked_table(cloud)
    return sorted(r for r, e in table.items() if by_country.get(e["country"]) == jurisdiction)


def suggest(cloud: str, name: str, n: int = 3) -> list[str]:
    """Up to ``n`` closest valid location names, best first, e.g. for "did you mean ...?"."""
    candidates = regions(cloud) + (sorted(_multi()) if cloud == "gcp" else [])
    if not isinstance(name, str) or n < 1 or len(name) > _MAX_LEN:
        return []
    return difflib.get_close_matches(normalize_location(cloud, name), candidates, n=n, cutoff=0.6)
