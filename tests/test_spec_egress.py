"""The `egress` key: mode and FQDN allow list, each rule naming its key path."""

from __future__ import annotations

from typing import Any

import pytest

from lz.core.errors import InputError
from lz.spec import load_landing_zone
from lz.spec.egress import Egress, fqdn_problem
from tests.helpers import example_spec, only_enabled_ai_services


def load(egress: object, *, clouds: list[str] | None = None) -> Any:
    spec = example_spec()
    spec["egress"] = egress
    if clouds is not None:
        spec["clouds"] = {c: v for c, v in spec["clouds"].items() if c in clouds}
        spec["gpu_pools"] = [p for p in spec.get("gpu_pools", []) if p["cloud"] in clouds]
        spec["ai_services"] = only_enabled_ai_services(spec.get("ai_services", []), set(clouds))
        spec["telemetry"]["native"] = [c for c in spec["telemetry"].get("native", []) if c in clouds]
        spec["interconnect"] = {"topology": "none"}
        for role in spec.get("identity", {}).get("roles", []):
            role["groups"] = {c: g for c, g in role["groups"].items() if c in clouds}
        if "aws" not in clouds:
            spec.get("identity", {}).pop("aws", None)
    return load_landing_zone(spec, file="stacks/Pulumi.t.yaml", namespace="landing-zone").egress


def test_default_is_private_only() -> None:
    spec = example_spec()
    spec.pop("egress", None)
    assert load_landing_zone(spec, file="x", namespace="landing-zone").egress == Egress(mode="none", allow=[])


def test_firewall_with_names_is_read() -> None:
    egress = load({"mode": "firewall", "allow": ["huggingface.co", "pypi.org", "files.pythonhosted.org"]})
    assert egress.mode == "firewall"
    assert egress.allows("pypi.org") and egress.allows("PyPI.org.")
    assert not egress.allows("evil.pypi.org")
    assert not egress.allows("example.com")


def test_wildcard_matches_names_under_the_domain_only_without_gcp() -> None:
    egress = load({"mode": "firewall", "allow": ["*.huggingface.co"]}, clouds=["aws", "azure"])
    assert egress.allows("cdn-lfs.huggingface.co")
    assert not egress.allows("huggingface.co.evil.example")
    assert not egress.allows("nothuggingface.co")


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("https://pypi.org", "bare host name"),
        ("pypi.org:443", "bare host name"),
        ("PyPI.org", "lower case"),
        ("localhost", "fully qualified"),
        ("*.co", "top-level domain"),
        ("a*.example.com", "only wildcard"),
        ("*.*.example.com", "only wildcard"),
        ("-bad.example.com", "label"),
        ("10.0.0.1", "IP address"),
        ("pypi.org.", "trailing dot"),
        ("a" * 64 + ".example.com", "label"),
        ("", "empty"),
    ],
)
def test_bad_names(name: str, words: str) -> None:
    problem = fqdn_problem(name)
    assert problem is not None and words in problem
    with pytest.raises(InputError) as info:
        load({"mode": "firewall", "allow": ["pypi.org", name]})
    assert info.value.key == "config.landing-zone:landingZone.egress.allow[1]"


@pytest.mark.parametrize(
    ("egress", "key", "words"),
    [
        ({"mode": "nat", "allow": ["pypi.org"]}, "egress.allow", "only in mode 'firewall'"),
        ({"mode": "open"}, "egress.mode", "'none', 'nat' or 'firewall'"),
        ({"mode": "firewall", "allow": ["pypi.org", "pypi.org"]}, "egress.allow[1]", "twice"),
        ({"mode": "firewall", "allow": ["*.huggingface.co"]}, "egress.allow[0]", "no wildcards"),
        ({"mode": "firewall", "deny": []}, "egress.deny", "unknown key"),
        ({"mode": "firewall", "allow": [42]}, "egress.allow[0]", "as text"),
    ],
)
def test_rules_name_the_key(egress: dict[str, object], key: str, words: str) -> None:
    with pytest.raises(InputError) as info:
        load(egress)
    assert info.value.key == f"config.landing-zone:landingZone.{key}"
    assert words in info.value.detail
