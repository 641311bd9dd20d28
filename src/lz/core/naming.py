"""Deterministic names.

Two kinds of name: the Pulumi logical name (part of the URN, so renaming one replaces the
resource) and the physical name a cloud sees. Both derive from the spec alone: organization,
environment, cloud, region and purpose, never from random suffixes, so the same spec always gives
the same graph. Globally unique physical names (S3 buckets, storage accounts, Key Vaults) carry a
short hash of the account, project or subscription that owns them, which is stable too.
"""

from __future__ import annotations

import hashlib
import re

_AZURE_WORDS = {
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "central": "c",
    "europe": "eu",
    "us": "us",
    "uk": "uk",
    "france": "fr",
    "germany": "de",
    "switzerland": "ch",
    "norway": "no",
    "sweden": "se",
    "poland": "pl",
    "italy": "it",
    "spain": "es",
    "austria": "at",
    "belgium": "be",
    "denmark": "dk",
    "finland": "fi",
    "greece": "gr",
    "japan": "jp",
    "korea": "kr",
    "australia": "au",
    "canada": "ca",
    "brazil": "br",
    "india": "in",
    "asia": "as",
    "uae": "ae",
    "qatar": "qa",
    "israel": "il",
    "mexico": "mx",
    "southafrica": "za",
    "newzealand": "nz",
    "indonesia": "id",
    "malaysia": "my",
    "taiwan": "tw",
    "chile": "cl",
    "saudiarabia": "sa",
    "southeast": "se",
    "northeast": "ne",
    "southwest": "sw",
    "northwest": "nw",
    "eastasia": "ea",
    "southeastasia": "sea",
}


def short_hash(*parts: str, length: int = 6) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


def region_code(cloud: str, region: str) -> str:
    """A short, stable code for a region, used inside length-limited physical names.

    AWS `eu-west-1` -> `euw1`, GCP `europe-west4` -> `euw4`, Azure `westeurope` -> `weu`.
    """
    if cloud in ("aws", "gcp"):
        parts = region.split("-")
        if len(parts) >= 2:
            head = "eu" if parts[0] == "europe" else parts[0][:2]
            middle = "".join(_direction(p) for p in parts[1:-1]) if len(parts) > 2 else ""
            last = parts[-1]
            tail = _direction(last[:-1]) + last[-1] if last[-1].isdigit() else _direction(last)
            return f"{head}{middle}{tail}"
        return region[:6]
    # azure: greedy split into known words
    name = region.lower()
    out = []
    i = 0
    while i < len(name):
        for j in range(len(name), i, -1):
            if name[i:j] in _AZURE_WORDS:
                out.append(_AZURE_WORDS[name[i:j]])
                i = j
                break
        else:
            out.append(name[i])
            i += 1
    code = "".join(out)
    return code if len(code) <= 8 else code[:5] + short_hash(region, length=3)


def _direction(word: str) -> str:
    table = {
        "north": "n",
        "south": "s",
        "east": "e",
        "west": "w",
        "central": "c",
        "northeast": "ne",
        "northwest": "nw",
        "southeast": "se",
        "southwest": "sw",
    }
    return table.get(word, word[:2])


def slug(*parts: str, max_len: int = 63, sep: str = "-") -> str:
    """Join parts into a lower-case name of letters, digits and `sep`, within `max_len`."""
    text = sep.join(p for p in parts if p)
    text = re.sub(r"[^a-z0-9]+", sep, text.lower()).strip(sep) if sep else re.sub(r"[^a-z0-9]", "", text.lower())
    if len(text) <= max_len:
        return text
    digest = short_hash(text, length=6)
    keep = max_len - len(digest) - len(sep)
    return text[:keep].rstrip(sep) + sep + digest


def compact(*parts: str, max_len: int = 24, owner: str = "") -> str:
    """Alphanumeric-only names (Azure storage accounts), suffixed by a hash of their owner."""
    digest = short_hash(owner or "".join(parts), length=4)
    body = re.sub(r"[^a-z0-9]", "", "".join(parts).lower())
    return body[: max_len - len(digest)] + digest
