"""Tests for the region catalog (lz/data/regions.json) and its lookups (lz/regions.py)."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lz.core import regions as R

EU_27 = {
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
}


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files("lz").joinpath("data/regions.json").read_text(encoding="utf-8"))
    return data


# --- the contract's facts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cloud", "location", "expected"),
    [
        ("aws", "eu-central-2", "ch"),  # Zurich, despite the "eu-" prefix
        ("aws", "eu-west-2", "uk"),  # London
        ("aws", "eu-west-1", "eu"),  # Dublin
        ("aws", "eu-central-1", "eu"),
        ("aws", "eu-north-1", "eu"),
        ("aws", "us-east-1", "us"),
        ("aws", "ca-central-1", "ca"),
        ("aws", "me-central-1", "ae"),
        ("aws", "il-central-1", "il"),
        ("gcp", "europe-west4", "eu"),
        ("gcp", "europe-west6", "ch"),  # Zurich
        ("gcp", "europe-west2", "uk"),  # London
        ("gcp", "europe-north2", "eu"),  # Stockholm
        ("gcp", "me-west1", "il"),
        ("gcp", "me-central2", "sa"),
        ("azure", "westeurope", "eu"),
        ("azure", "northeurope", "eu"),
        ("azure", "switzerlandnorth", "ch"),
        ("azure", "switzerlandwest", "ch"),
        ("azure", "uksouth", "uk"),
        ("azure", "ukwest", "uk"),
        ("azure", "norwayeast", "no"),  # Norway is not in the EU
        ("azure", "eastasia", "hk"),
    ],
)
def test_region_jurisdictions(cloud: str, location: str, expected: str) -> None:
    assert R.jurisdiction_of(cloud, location) == expected


def test_countries_of_known_regions() -> None:
    assert R.country_of("aws", "eu-central-2") == "CH"
    assert R.country_of("aws", "eu-west-2") == "GB"
    assert R.country_of("gcp", "europe-west4") == "NL"
    assert R.country_of("gcp", "europe-west1") == "BE"
    assert R.country_of("azure", "westeurope") == "NL"
    assert R.country_of("azure", "northeurope") == "IE"
    assert R.country_of("gcp", "EUR4") is None  # Finland + Netherlands: two countries


@pytest.mark.parametrize(
    ("cloud", "zone", "expected"),
    [
        ("aws", "eu-west-1a", "eu"),
        ("aws", "eu-central-2b", "ch"),
        ("aws", "eu-west-2c", "uk"),
        ("aws", "ap-northeast-1d", "jp"),
        ("gcp", "europe-west4-a", "eu"),
        ("gcp", "europe-west6-b", "ch"),
        ("gcp", "europe-west1-d", "eu"),
        ("gcp", "us-central1-f", "us"),
    ],
)
def test_zones_resolve_to_their_regions_jurisdiction(cloud: str, zone: str, expected: str) -> None:
    assert R.jurisdiction_of(cloud, zone) == expected


def test_every_catalogued_zone_resolves_to_its_region() -> None:
    for cloud in ("aws", "gcp"):
        for region in R.regions(cloud):
            for zone in R.zones(cloud, region):
                assert R.places_of(cloud, zone) == [region]
                assert R.jurisdiction_of(cloud, zone) == R.jurisdiction_of(cloud, region)


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("EU", "eu"),
        ("eu", "eu"),
        ("europe", "eu"),
        ("EUR4", "eu"),
        ("NAM4", "us"),
        ("US", "us"),
        ("us", "us"),
        ("ASIA1", "jp"),
        ("EUR5", None),  # Belgium + London
        ("EUR7", None),  # London + Frankfurt
        ("EUR8", None),  # Frankfurt + Zurich
        ("ASIA", None),  # spans many countries
        ("nam-eur-asia1", None),
        ("global", None),
    ],
)
def test_gcp_multi_regions(location: str, expected: str | None) -> None:
    assert R.jurisdiction_of("gcp", location) == expected


def test_gcp_eu_multi_region_excludes_london_and_zurich() -> None:
    eu = R.places_of("gcp", "EU")
    assert "europe-west4" in eu and "europe-west1" in eu
    assert "europe-west2" not in eu and "europe-west6" not in eu
    assert eu == R.regions_in("gcp", "eu")


@pytest.mark.parametrize("cloud", R.CLOUDS)
@pytest.mark.parametrize("location", ["global", "", "   ", "nowhere-1", "1", "europe", "eu-west-1-zz"])
def test_not_a_place(cloud: str, location: str) -> None:
    if cloud == "gcp" and location == "europe":
        return  # a real GCP multi-region, covered above
    assert R.jurisdiction_of(cloud, location) is None
    assert R.places_of(cloud, location) == []


def test_local_zones_and_azure_zone_numbers_are_not_locations() -> None:
    assert R.jurisdiction_of("aws", "us-east-1-lim-1a") is None  # Lima local zone, parent us-east-1
    assert R.jurisdiction_of("aws", "us-east-1-wl1-bos-wlz-1") is None
    for zone in ("1", "2", "3"):
        assert R.jurisdiction_of("azure", zone) is None


# --- normalisation and suggestions ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cloud", "given_", "expected"),
    [
        ("azure", "West Europe", "westeurope"),
        ("azure", "Switzerland North", "switzerlandnorth"),
        ("azure", " UK South ", "uksouth"),
        ("azure", "East US 2", "eastus2"),
        ("gcp", "eu", "EU"),
        ("gcp", "eur4", "EUR4"),
        ("gcp", "europe", "europe"),
        ("gcp", "Europe", "europe"),
        ("gcp", "us", "us"),
        ("gcp", "US", "US"),
        ("gcp", "EUROPE-WEST4", "europe-west4"),
        ("gcp", "europe-west4-a", "europe-west4-a"),
        ("aws", "EU-WEST-1", "eu-west-1"),
        ("aws", "eu-west-1", "eu-west-1"),
    ],
)
def test_normalize_location(cloud: str, given_: str, expected: str) -> None:
    assert R.normalize_location(cloud, given_) == expected


def test_azure_display_names_resolve() -> None:
    assert R.jurisdiction_of("azure", "West Europe") == "eu"
    assert R.jurisdiction_of("azure", "Switzerland North") == "ch"
    assert R.jurisdiction_of("azure", "Norway East") == "no"
    for region in R.regions("azure"):
        info = R.region_info("azure", region)
        assert info is not None
        assert R.normalize_location("azure", info["name"]) == region


def test_suggest() -> None:
    assert "europe-west4" in R.suggest("gcp", "europe-west44")
    assert R.suggest("aws", "eu-west-4")[0].startswith("eu-west-")
    assert "westeurope" in R.suggest("azure", "westeurop")
    assert len(R.suggest("aws", "eu-west-1", n=2)) <= 2
    assert R.suggest("gcp", "zzzzzzzzzzzzzzzz") == []


def test_unknown_cloud() -> None:
    with pytest.raises(ValueError):
        R.regions("oracle")
    assert R.jurisdiction_of("oracle", "eu-west-1") is None
    assert R.is_region("oracle", "eu-west-1") is False


# --- lookups ------------------------------------------------------------------------------------------


def test_zones_facts() -> None:
    assert R.zones("aws", "ap-northeast-1") == ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]
    assert len(R.zones("aws", "us-west-1")) == 2
    assert R.zones("gcp", "europe-west1") == ["europe-west1-b", "europe-west1-c", "europe-west1-d"]
    assert R.zones("gcp", "us-east1") == ["us-east1-b", "us-east1-c", "us-east1-d"]
    assert R.zones("azure", "westeurope") == ["1", "2", "3"]
    assert R.zones("azure", "ukwest") == []
    assert R.zones("aws", "nowhere-1") == []


def test_region_info_is_a_copy_with_derived_fields() -> None:
    info = R.region_info("aws", "eu-central-2")
    assert info is not None
    assert (info["country"], info["city"]) == ("CH", "Zurich")
    assert (info["jurisdiction"], info["partition"]) == ("ch", "aws")
    info["zones"].append("bogus")
    assert "bogus" not in R.zones("aws", "eu-central-2")
    assert R.region_info("aws", "eu-west-9") is None
    gov = R.region_info("aws", "us-gov-west-1")
    assert gov is not None and gov["partition"] == "aws-us-gov"


def test_regions_in() -> None:
    assert R.regions_in("aws", "ch") == ["eu-central-2"]
    assert R.regions_in("aws", "uk") == ["eu-west-2"]
    assert R.regions_in("gcp", "ch") == ["europe-west6"]
    assert R.regions_in("azure", "ch") == ["switzerlandnorth", "switzerlandwest"]
    assert "eu-west-1" in R.regions_in("aws", "eu") and "eu-central-2" not in R.regions_in("aws", "eu")
    assert R.regions_in("aws", "atlantis") == []


def test_is_region_and_sorted_listings() -> None:
    assert R.is_region("gcp", "europe-west4")
    assert not R.is_region("gcp", "europe-west4-a")
    assert not R.is_region("aws", "europe-west4")
    for cloud in R.CLOUDS:
        assert R.regions(cloud) == sorted(R.regions(cloud))
    assert R.jurisdictions() == sorted(R.jurisdictions())
    assert {"eu", "uk", "ch", "no", "us"} <= set(R.jurisdictions())


# --- integrity of the data file -------------------------------------------------------------------------


def test_catalog_date() -> None:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", R.catalog_date())
    assert R.catalog_date() >= "2025-01-01"


def test_file_is_deterministic() -> None:
    text = resources.files("lz").joinpath("data/regions.json").read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_jurisdictions_declared_consistently() -> None:
    jur = _raw()["jurisdictions"]
    assert set(jur["eu"]["countries"]) == EU_27
    assert jur["uk"]["countries"] == ["GB"] and jur["ch"]["countries"] == ["CH"]
    assert jur["no"]["countries"] == ["NO"]
    owners: dict[str, str] = {}
    for key, j in jur.items():
        for country in j["countries"]:
            assert re.fullmatch(r"[A-Z]{2}", country)
            assert country not in owners, f"{country} in both {owners.get(country)} and {key}"
            owners[country] = key
        if key != "eu":
            expected = "uk" if j["countries"] == ["GB"] else j["countries"][0].lower()
            assert key == expected


def test_every_region_maps_to_a_declared_jurisdiction() -> None:
    hosted = set()
    for cloud in R.CLOUDS:
        for region in R.regions(cloud):
            info = R.region_info(cloud, region)
            assert info is not None
            assert info["jurisdiction"] in R.jurisdictions(), (cloud, region, info["country"])
            assert info["name"] and info["city"]
            hosted.add(info["jurisdiction"])
    assert hosted == set(R.jurisdictions()), "every jurisdiction should host at least one region"


def test_multi_regions_list_only_known_regions() -> None:
    multi = _raw()["gcp_multi_regions"]
    for name, entry in multi.items():
        assert entry["kind"] in {"multi-region", "dual-region", "kms-multi-region", "database-multi-region"}
        assert entry["regions"], name
        assert all(R.is_region("gcp", r) for r in entry["regions"]), name
        if entry["kind"] == "dual-region":
            assert len(entry["regions"]) == 2
    assert multi["EUR4"]["regions"] == ["europe-north1", "europe-west4"]
    assert multi["NAM4"]["regions"] == ["us-central1", "us-east1"]


def test_zone_names() -> None:
    for cloud in ("aws", "gcp"):
        for region in R.regions(cloud):
            zs = R.zones(cloud, region)
            assert zs, (cloud, region)
            assert zs == sorted(zs)
            sep = "" if cloud == "aws" else "-"
            for zone in zs:
                assert re.fullmatch(re.escape(region + sep) + "[a-z]", zone), zone
    for region in R.regions("azure"):
        assert R.zones("azure", region) in ([], ["1", "2", "3"])


def test_aws_partitions() -> None:
    raw = _raw()["aws"]
    assert {e.get("partition", "aws") for e in raw.values()} <= {"aws", "aws-us-gov", "aws-cn", "aws-eusc"}
    assert all(e.get("partition") != "aws" for e in raw.values()), "default partition is implicit"


def test_sanity_counts() -> None:
    assert len(R.regions("aws")) >= 30
    assert len(R.regions("gcp")) >= 40
    assert len(R.regions("azure")) >= 55


# --- robustness ------------------------------------------------------------------------------------------


@given(cloud=st.sampled_from([*R.CLOUDS, "", "other"]), text=st.text(max_size=300))
def test_jurisdiction_of_never_raises(cloud: str, text: str) -> None:
    result = R.jurisdiction_of(cloud, text)
    assert result is None or result in R.jurisdictions()
    assert isinstance(R.places_of(cloud, text), list)
    assert R.country_of(cloud, text) is None or len(R.country_of(cloud, text) or "") == 2


@given(text=st.text(max_size=60))
def test_lookups_never_raise_on_text(text: str) -> None:
    for cloud in R.CLOUDS:
        R.normalize_location(cloud, text)
        R.suggest(cloud, text)
        R.is_region(cloud, text)
        R.region_info(cloud, text)
        R.zones(cloud, text)


@pytest.mark.parametrize("junk", [None, 0, 3.5, b"eu-west-1", ["eu-west-1"], {"a": 1}, "x" * 100_000])
def test_junk_input(junk: object) -> None:
    for cloud in R.CLOUDS:
        assert R.jurisdiction_of(cloud, junk) is None  # type: ignore[arg-type]
        assert R.places_of(cloud, junk) == []  # type: ignore[arg-type]
        assert R.is_region(cloud, junk) is False  # type: ignore[arg-type]
