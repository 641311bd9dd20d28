"""Regenerate lz/data/type_aliases.json.gz from the installed provider SDKs' own alias data.

Every generated resource class of pulumi_aws, pulumi_gcp and pulumi_azure_native declares the type
tokens it used to have (`alias_opts = pulumi.ResourceOptions(aliases=[pulumi.Alias(type_=...)])`)
beside its own token (`super(X, __self__).__init__('<token>', ...)`). This script reads those two
things as file text (importing the SDKs would take minutes) and writes `{alias token: canonical
token}` for the aliases the runtime rule in `lz.core.types` does not already cover (an azure-native API
version stripped from the module: `storage/v20230101` -> `storage`), plus the list of canonical
tokens of each package, so `lz.core.types` knows what the SDKs define without importing them.

Run: .venv/bin/python python -m tools.gen_type_aliases  (deterministic: same SDKs, same bytes);
`--check` only compares with the committed file (exit 1 when stale).
"""

from __future__ import annotations

import gzip
import importlib.metadata
import importlib.util
import json
import re
import sys
from pathlib import Path

from lz.core.types import resolve, strip_api_version

ROOT = Path(__file__).resolve().parents[1]

PACKAGES = ("pulumi_aws", "pulumi_gcp", "pulumi_azure_native")
OUT = ROOT / "src" / "lz" / "data" / "type_aliases.json.gz"

_ALIAS_OPTS = re.compile(r"alias_opts\s*=\s*pulumi\.ResourceOptions\(aliases=\[(.*?)\]\)", re.DOTALL)
_ALIAS_TYPE = re.compile(r'pulumi\.Alias\(type_="([^"]+)"\)')
_SUPER_INIT = re.compile(r"super\(\w+, __self__\)\.__init__\(\s*'([^']+)'")
_REGISTER = re.compile(r'resource_modules\s*=\s*"""(.*?)"""', re.DOTALL)


def registered(package: str) -> set[str]:
    spec = importlib.util.find_spec(package)
    assert spec and spec.origin, package
    text = Path(spec.origin).read_text(encoding="utf-8")
    match = _REGISTER.search(text)
    assert match, package
    return {token for mod in json.loads(match.group(1)) for token in (mod.get("classes") or {})}


def scan(package: str) -> dict[str, str]:
    """alias token -> the token of the class that declares it."""
    spec = importlib.util.find_spec(package)
    assert spec and spec.submodule_search_locations, package
    root = Path(next(iter(spec.submodule_search_locations)))
    out: dict[str, str] = {}
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "pulumi.Alias(type_=" not in text:
            continue
        # pair each alias list with the next class token in the file (one resource class per file)
        for match in _ALIAS_OPTS.finditer(text):
            own = _SUPER_INIT.search(text, match.end())
            if own is None:
                continue
            for alias in _ALIAS_TYPE.findall(match.group(1)):
                if alias != own.group(1):
                    out.setdefault(alias, own.group(1))
    return out


def main() -> None:
    aliases: dict[str, str] = {}
    tokens: dict[str, list[str]] = {}
    versions: dict[str, str] = {}
    declared: dict[str, str] = {}
    for package in PACKAGES:
        tokens[package] = sorted(registered(package))
        versions[package] = importlib.metadata.version(package.replace("_", "-"))
        declared.update(scan(package))
    # Unversioned aliases first (documentdb:X -> cosmosdb:X), then only the versioned ones the rule
    # (strip the API version, then look the result up) does not already resolve.
    for alias, canonical in sorted(declared.items(), key=lambda kv: (strip_api_version(kv[0]) != kv[0], kv[0])):
        if resolve(alias, aliases) != canonical:
            aliases[alias] = canonical
    doc = {
        "generated_by": "python -m tools.gen_type_aliases",
        "sdk_versions": versions,
        "aliases": dict(sorted(aliases.items())),
        "tokens": tokens,
    }
    raw = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode("utf-8")
    # mtime=0 and no file name: the same SDKs give the same bytes
    data = gzip.compress(raw, compresslevel=9, mtime=0)
    if "--check" in sys.argv[1:]:
        same = OUT.is_file() and OUT.read_bytes() == data
        print(f"{OUT.relative_to(ROOT)} is {'up to date' if same else 'STALE: run python -m tools.gen_type_aliases'}")
        raise SystemExit(0 if same else 1)
    OUT.write_bytes(data)
    print(
        f"wrote {OUT.relative_to(ROOT)}: {len(aliases)} aliases, "
        f"{sum(len(v) for v in tokens.values())} canonical tokens, {OUT.stat().st_size} bytes"
    )


if __name__ == "__main__":
    main()
