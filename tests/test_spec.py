"""Every rule of the foundation spec, with the key path its message names."""

from __future__ import annotations

from typing import Any

import pytest

from lz.core.errors import InputError
from lz.spec import load_landing_zone
from tests.helpers import example_spec


def refuse(spec: dict[str, Any]) -> InputError:
    with pytest.raises(InputError) as info:
        load_landing_zone(spec, file="stacks/Pulumi.t.yaml", namespace="landing-zone")
    return info.value


def test_example_is_valid() -> None:
    spec = load_landing_zone(example_spec(), file="x", namespace="landing-zone")
    assert spec.clouds.enabled() == ["aws", "gcp", "azure"]
    assert spec.residency == "eu"


@pytest.mark.parametrize("org", ["Acme", "1acme", "a", "acme_corp", "averyveryverylongorg", "acme!"])
def test_organization_format(org: str) -> None:
    spec = example_spec()
    spec["organization"] = org
    err = refuse(spec)
    assert err.key == "config.landing-zone:landingZone.organization"
    assert "[a-z][a-z0-9-]{1,11}" in err.detail


def test_unknown_key_names_allowed_keys() -> None:
    spec = example_spec()
    spec["clouds"]["aws"]["regoins"] = ["eu-west-1"]
    err = refuse(spec)
    assert err.key == "config.landing-zone:landingZone.clouds.aws.regoins"
    assert "unknown key" in err.detail and "regions" in err.detail


def test_unknown_top_level_key() -> None:
    spec = example_spec()
    spec["networking"] = {}
    err = refuse(spec)
    assert err.key == "config.landing-zone:landingZone.networking"


def test_region_must_exist_and_suggests() -> None:
    spec = example_spec()
    spec["clouds"]["gcp"]["regions"] = ["europe-west4", "europe-west44"]
    err = refuse(spec)
    assert err.key == "config.landing-zone:landingZone.clouds.gcp.regions[1]"
    assert "not a GCP region" in err.detail and "europe-west4" in err.detail


@pytest.mark.parametrize(
    ("cloud", "region", "country"),
    [
        ("aws", "eu-central-2", "CH"),  # Zurich: its name says eu, its country does not
        ("aws", "eu-west-2", "GB"),  # London
        ("aws", "us-east-1", "US"),
        ("gcp", "europe-west6", "CH"),
        ("azure", "uksouth", "GB"),
    ],
)
def test_region_outside_residency_by_country(cloud: str, region: str, country: str) -> None:
    spec = example_spec()
    spec["clouds"][cloud]["regions"].append(region)
    err = refuse(spec)
    assert err.key == f"config.landing-zone:landingZone.clouds.{cloud}.regions[2]"
    assert country in err.detail and "outside residency 'eu'" in err.detail


def test_duplicate_region() -> None:
    spec = example_spec()
    spec["clouds"]["aws"]["regions"] = ["eu-west-1", "eu-west-1"]
    err = refuse(spec)
    assert err.key == "config.landing-zone:landingZone.clouds.aws.regions[1]"
    assert "listed twice" in err.detail


def test_unknown_residency() -> None:
    spec = example_spec()
    spec["residency"] = "europe"
    err = refuse(spec)
    assert err.key == "config.landing-zone:landingZone.residency"
    assert "unknown jurisdiction" in err.detail


@pytest.mark.parametrize("cidr", ["8.0.0.0/12", "100.64.0.0/12", "172.32.0.0/12"])
def test_supernet_must_be_rfc1918(cidr: str) -> None:
    spec = example_spec()
    spec["clouds"]["aws"]["cidr"] = cidr
    err = refuse(spec)
    assert err.key == "config.landing-zone:landingZone.clouds.aws.cidr"
    assert "RFC 1918" in err.detail


@pytest.mark.parametrize("cidr", [True, 167772160, 10.16])
def test_supernet_must_be_text(cidr: object) -> None:
    """YAML reads `cidr: true` or `cidr: 167772160` as a boolean or a number, which the network library
    would take for 0.0.0.1/32 or 10.0.0.0/32: refused as what it is, not as a strange network."""
    spec = example_spec()
    spec["clouds"]["aws"]["cidr"] = cidr
    err = refuse(spec)
    assert err.key == "config.landing-zone:landingZone.clouds.aws.cidr"
    assert "expected a CIDR block as text" in err.detail


def test_supernet_host_bits() -> None:
    spec = example_spec()
    spec["clouds"]["aws"]["cidr"] = "10.16.0.1/12"
    err = refuse(spec)
    assert err.key == "config.landing-zone:landingZone.clouds.aws.cidr"
    assert "host bits" in err.detail


def test_supernets_must_not_overlap() -> None:
    spec = example_spec()
    spec["clouds"]["gcp"]["cidr"] = "10.16.0.0/16"  # inside aws's 10.16.0.0/12
    err = refuse(spec)
    assert err.key == "config.landing-zone:landingZone.clouds.gcp.cidr"
    assert "overlaps clouds.aws.cidr" in err.detail


def test_supernet_too_small() -> None:
    spec = example_spec()
    spec["clouds"]["azure"]["cidr"] = "10.48.0.0/20"
    err = refuse(spec)
    assert err.key == "config.landing-zone:landingZone.clouds.azure.cidr"
    assert "too small" in err.detail


def test_required_tags() -> None:
    spec = example_spec()
    del spec["tags"]["cost-center"]
    err = refuse(spec)
    assert err.key == "config.landing-zone:landingZone.tags.cost-center"
    assert "required tag 'cost-center' is missing" in err.detail


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("owner", "Platform Team", "GCP label"),
        ("owner", "", "non-empty"),
        ("owner", "x" * 64, "GCP label"),
        ("Team Name", "ml", "must start with a letter"),
        ("data-classification", "secret", "not one of"),
    ],
)
def test_tag_values_valid_for_all_clouds(key: str, value: str, fragment: str) -> None:
    spec = example_spec()
    spec["tags"][key] = value
    err = refuse(spec)
    assert err.key == f"config.landing-zone:landingZone.tags.{key}"
    assert fragment in err.detail


def test_reserved_tags_are_set_by_the_landing_zone() -> None:
    spec = example_spec()
    spec["tags"]["environment"] = "prod"
    err = refuse(spec)
    assert err.key == "config.landing-zone:landingZone.tags.environment"


def test_environment_vocabulary() -> None:
    spec = example_spec()
    spec["environment"] = "qa"
    err = refuse(spec)
    assert err.key == "config.landing-zone:landingZone.environment"
    assert "'qa'" in err.detail


def test_at_least_one_cloud() -> None:
    spec = example_spec()
    spec["clouds"] = {}
    spec.pop("interconnect", None)
    err = refuse(spec)
    assert err.key == "config.landing-zone:landingZone.clouds"
    assert "at least one" in err.detail


def test_mesh_needs_two_clouds() -> None:
    spec = example_spec()
    spec["clouds"] = {"aws": spec["clouds"]["aws"]}
    spec["interconnect"] = {"topology": "full-mesh", "transport": "ha-vpn"}
    err = refuse(spec)
    assert err.key == "config.landing-zone:landingZone.interconnect.topology"


def test_aws_account_id_format() -> None:
    spec = example_spec()
    spec["clouds"]["aws"]["account_id"] = "1234"
    err = refuse(spec)
    assert err.key == "config.landing-zone:landingZone.clouds.aws.account_id"


def test_too_many_regions_for_the_supernet() -> None:
    spec = example_spec()
    from lz.core import regions

    spec["clouds"]["aws"]["cidr"] = "10.16.0.0/16"  # 16 blocks of /20
    eu = [r for r in regions.regions_in("aws", "eu") if regions.region_info("aws", r).get("partition", "aws") == "aws"]
    assert len(eu) >= 2
    spec["clouds"]["aws"]["regions"] = eu  # fewer than 16: accepted
    load_landing_zone(spec, file="x", namespace="landing-zone")


def test_several_problems_are_counted() -> None:
    spec = example_spec()
    spec["organization"] = "A"
    spec["environment"] = "qa"
    err = refuse(spec)
    assert "more problem" in err.detail


def test_region_blocks_are_carved_in_list_order() -> None:
    spec = load_landing_zone(example_spec(), file="x", namespace="landing-zone")
    blocks = spec.clouds.aws.region_blocks()  # type: ignore[union-attr]
    assert [str(b) for b in blocks.values()] == ["10.16.0.0/16", "10.17.0.0/16"]
