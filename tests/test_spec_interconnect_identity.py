"""Rules of the `interconnect` and `identity` keys: each refusal names its key path, and `lz plan` exits 2."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest

from lz.cli import main
from lz.core.errors import InputError
from lz.spec import load_landing_zone
from lz.spec.identity import grants, session_seconds
from tests.helpers import example_spec, foundation_config, make_project

PREFIX = "config.landing-zone:landingZone."
INSTANCE = {"instance_arn": "arn:aws:sso:::instance/ssoins-6804a1b2c3d4e5f6", "identity_store_id": "d-9367a1b2c3"}


def role(name: str, grants_: list[str], n: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "grants": grants_,
        "groups": {
            "aws": f"9067a1b2c3-1b2c3d4e-000{n}-4000-8000-00000000000{n}",
            "gcp": f"group:{name}@acme.example",
            "azure": f"3f0c1a52-7d1e-4b5a-9c01-00000000000{n}",
        },
        **extra,
    }


def spec_with(**sections: Any) -> dict[str, Any]:
    """The example's clouds with these tests' own sections, whatever else the example stack carries."""
    example = example_spec()
    spec = {key: example[key] for key in ("organization", "environment", "residency", "tags", "clouds")}
    spec["interconnect"] = {"topology": "full-mesh", "transport": "ha-vpn"}
    spec["identity"] = {
        "aws": dict(INSTANCE),
        "roles": [
            role("platform-admin", ["administrator"], 1, break_glass=True, session_duration="PT1H"),
            role("network-admin", ["network-admin", "monitoring-read"], 2),
        ],
    }
    spec.update(copy.deepcopy(sections))
    return spec


def refuse(spec: dict[str, Any]) -> InputError:
    with pytest.raises(InputError) as info:
        load_landing_zone(spec, file="stacks/Pulumi.t.yaml", namespace="landing-zone")
    return info.value


def test_the_sections_are_valid() -> None:
    lz = load_landing_zone(spec_with(), file="x", namespace="landing-zone")
    assert lz.interconnect.topology == "full-mesh"
    assert [r.name for r in lz.identity.roles] == ["platform-admin", "network-admin"]
    assert lz.identity.roles[0].is_admin and not lz.identity.roles[1].is_admin


# --- through `lz plan`: exit 2 and one message naming the key ---------------------------------------------


def plan_exit(tmp_path: Path, spec: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    project = make_project(tmp_path / "proj", {"bad": foundation_config(spec)})
    old = os.getcwd()
    os.chdir(project)
    try:
        code = main(["plan", "--stack", "bad", "--out", str(tmp_path / "out")])
    finally:
        os.chdir(old)
    _, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, err


def _overlapping_supernets(spec: dict[str, Any]) -> None:
    spec["clouds"]["gcp"]["cidr"] = "10.16.0.0/12"


def _duplicate_asn(spec: dict[str, Any]) -> None:
    spec["interconnect"]["asns"] = {"azure": {"northeurope": 64600}}


def _mesh_with_one_cloud(spec: dict[str, Any]) -> None:
    del spec["clouds"]["gcp"], spec["clouds"]["azure"]
    for r in spec["identity"]["roles"]:
        r["groups"] = {"aws": r["groups"]["aws"]}


def _unknown_grant(spec: dict[str, Any]) -> None:
    spec["identity"]["roles"][1]["grants"].append("netwrok-admin")


def _user_principal(spec: dict[str, Any]) -> None:
    spec["identity"]["roles"][1]["groups"]["gcp"] = "user:alice@acme.example"


@pytest.mark.parametrize(
    ("mutate", "key", "fragment"),
    [
        (_overlapping_supernets, "clouds.gcp.cidr", "overlaps clouds.aws.cidr"),
        (_duplicate_asn, "interconnect.asns.azure.northeurope", "ASN 64600 is already GCP europe-west4's"),
        (_mesh_with_one_cloud, "interconnect.topology", "only aws is enabled"),
        (_unknown_grant, "identity.roles[1].grants[2]", "unknown grant 'netwrok-admin'; did you mean network-admin?"),
        (_user_principal, "identity.roles[1].groups.gcp", "user principal"),
    ],
    ids=["overlapping-supernets", "duplicate-asn", "mesh-with-one-cloud", "unknown-grant", "user-principal"],
)
def test_lz_plan_refuses_with_exit_2_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mutate: Any, key: str, fragment: str
) -> None:
    spec = spec_with()
    mutate(spec)
    code, err = plan_exit(tmp_path, spec, capsys)
    assert code == 2
    assert PREFIX + key in err
    assert fragment in err
    assert not (tmp_path / "out" / "graph.json").exists()


# --- interconnect rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("interconnect", "key", "fragment"),
    [
        ({"topology": "hub", "transport": "ha-vpn"}, "interconnect.hub", "needs hub"),
        ({"topology": "full-mesh", "hub": "aws"}, "interconnect.hub", "only to topology 'hub'"),
        (
            {"topology": "full-mesh", "transport": "aws-interconnect"},
            "interconnect.transport",
            "has no resource in the installed pulumi-aws",
        ),
        ({"topology": "full-mesh", "transport": "dedicated"}, "interconnect.dedicated", "Direct Connect"),
        ({"topology": "full-mesh", "dedicated": {}}, "interconnect.dedicated", "only to transport 'dedicated'"),
        (
            {"topology": "full-mesh", "regions": {"aws": ["eu-west-3"]}},
            "interconnect.regions.aws[0]",
            "not one of clouds.aws.regions",
        ),
        (
            {"topology": "full-mesh", "regions": {"aws": ["eu-west-1", "eu-west-1"]}},
            "interconnect.regions.aws[1]",
            "listed twice",
        ),
        ({"topology": "none", "regions": {"aws": ["eu-west-1"]}}, "interconnect.regions.aws", "topology: none"),
        (
            {"topology": "full-mesh", "asns": {"azure": {"westeurope": 65518}}},
            "interconnect.asns.azure.westeurope",
            "reserved by Azure",
        ),
        (
            {"topology": "full-mesh", "asns": {"azure": {"westeurope": 64512}}},
            "interconnect.asns.azure.westeurope",
            "already AWS eu-west-1's",
        ),
        (
            {"topology": "full-mesh", "asns": {"azure": {"westeurope": 65010, "northeurope": 65010}}},
            "interconnect.asns.azure.northeurope",
            "already AZURE westeurope's",
        ),
        (
            {"topology": "full-mesh", "asns": {"azure": {"westeurope": 4200000000}}},
            "interconnect.asns.azure.westeurope",
            "not a 16-bit private ASN",
        ),
    ],
)
def test_interconnect_rules(interconnect: dict[str, Any], key: str, fragment: str) -> None:
    err = refuse(spec_with(interconnect=interconnect))
    assert err.key == PREFIX + key
    assert fragment in err.detail


def test_azure_may_keep_its_default_asn() -> None:
    lz = load_landing_zone(
        spec_with(interconnect={"topology": "full-mesh", "asns": {"azure": {"westeurope": 65515}}}),
        file="x",
        namespace="landing-zone",
    )
    from lz.spec.interconnect import asns

    assert asns(lz)["azure"] == {"westeurope": 65515, "northeurope": 65101}


def test_aws_interconnect_message_names_the_sdk_version() -> None:
    from importlib.metadata import version

    err = refuse(spec_with(interconnect={"topology": "full-mesh", "transport": "aws-interconnect"}))
    assert f"pulumi-aws {version('pulumi-aws')}" in err.detail


DEDICATED = {
    "aws": {"connection_ids": ["dxcon-ab12cd34", "dxcon-ef56gh78"], "vlans": [101, 102], "peer_asn": 65200},
    "gcp": {"mtu": 1500},
    "azure": {"service_provider": "Equinix", "peering_location": "Amsterdam", "bandwidth_mbps": 1000},
}


def test_dedicated_transport_takes_the_provider_side_identifiers() -> None:
    lz = load_landing_zone(
        spec_with(interconnect={"topology": "full-mesh", "transport": "dedicated", "dedicated": DEDICATED}),
        file="x",
        namespace="landing-zone",
    )
    assert lz.interconnect.dedicated is not None and lz.interconnect.dedicated.aws is not None
    assert lz.interconnect.dedicated.aws.vlans == [101, 102]


@pytest.mark.parametrize(
    ("cloud", "change", "key", "fragment"),
    [
        ("aws", {"vlans": [101]}, "aws.vlans", "one VLAN per connection"),
        ("aws", {"connection_ids": ["dxcon-ab12cd34", "nope"]}, "aws.connection_ids[1]", "not a Direct Connect"),
        ("aws", {"peer_asn": 64900}, "aws.peer_asn", "Direct Connect gateway's own ASN"),
        ("aws", {"gateway_id": "dxgw-1"}, "aws.gateway_id", "not a Direct Connect gateway id"),
        ("azure", {"bandwidth_mbps": 300}, "azure.bandwidth_mbps", "not allowed"),
    ],
)
def test_dedicated_settings_are_checked(cloud: str, change: dict[str, Any], key: str, fragment: str) -> None:
    dedicated = copy.deepcopy(DEDICATED)
    dedicated[cloud].update(change)
    err = refuse(spec_with(interconnect={"topology": "full-mesh", "transport": "dedicated", "dedicated": dedicated}))
    assert err.key == PREFIX + "interconnect.dedicated." + key
    assert fragment in err.detail


def test_dedicated_needs_every_linked_cloud() -> None:
    dedicated = {k: v for k, v in DEDICATED.items() if k != "gcp"}
    err = refuse(spec_with(interconnect={"topology": "full-mesh", "transport": "dedicated", "dedicated": dedicated}))
    assert err.key == PREFIX + "interconnect.dedicated.gcp"


# --- identity rules ------------------------------------------------------------------------------------


def roles_spec(*roles_: dict[str, Any], aws: dict[str, Any] | None = INSTANCE) -> dict[str, Any]:
    identity: dict[str, Any] = {"roles": list(roles_)}
    if aws is not None:
        identity["aws"] = aws
    return spec_with(identity=identity)


@pytest.mark.parametrize(
    ("roles_", "key", "fragment"),
    [
        ([role("ops", ["administrator"])], "identity.roles[0].grants[0]", "only a break-glass role may hold it"),
        ([role("ops", ["read-only"]), role("ops", ["read-only"], 2)], "identity.roles[1].name", "already defined"),
        ([role("ops", ["read-only", "read-only"])], "identity.roles[0].grants[1]", "listed twice"),
        ([role("ops", [])], "identity.roles[0].grants", "at least 1 item"),
        ([role("ops", ["read-only"], session_duration="PT13H")], "identity.roles[0].session_duration", "PT1H to PT12H"),
        ([role("ops", ["read-only"], session_duration="4 hours")], "identity.roles[0].session_duration", "ISO 8601"),
        (
            [role("ops", ["administrator"], break_glass=True, session_duration="PT4H")],
            "identity.roles[0].session_duration",
            "break-glass sessions last PT1H at most",
        ),
        ([role("Ops", ["read-only"])], "identity.roles[0].name", "does not match"),
    ],
)
def test_role_rules(roles_: list[dict[str, Any]], key: str, fragment: str) -> None:
    err = refuse(roles_spec(*roles_))
    assert err.key == PREFIX + key
    assert fragment in err.detail


@pytest.mark.parametrize(
    ("cloud", "value", "fragment"),
    [
        ("gcp", "user:alice@acme.example", "user principal"),
        ("gcp", "alice-team@acme.example", "write the group as group:alice-team@acme.example"),
        ("gcp", "serviceAccount:ci@acme.iam.gserviceaccount.com", "serviceAccount member"),
        ("azure", "user:alice@acme.example", "user principal"),
        ("azure", "alice@acme.example", "Entra ID group object id"),
        ("aws", "user:9067a1b2c3-1b2c3d4e-0001-4000-8000-000000000001", "user principal"),
        ("aws", "arn:aws:iam::111111111111:user/alice", "Identity Store) group id"),
    ],
)
def test_groups_only(cloud: str, value: str, fragment: str) -> None:
    r = role("ops", ["read-only"])
    r["groups"][cloud] = value
    err = refuse(roles_spec(r))
    assert err.key == PREFIX + f"identity.roles[0].groups.{cloud}"
    assert fragment in err.detail


def test_settings_of_a_disabled_cloud_are_kept_but_unused() -> None:
    spec = roles_spec(role("ops", ["read-only"]))
    del spec["clouds"]["aws"]
    lz = load_landing_zone(spec, file="x", namespace="landing-zone")
    assert lz.identity.roles[0].groups.aws is not None and lz.identity.aws is not None
    assert lz.clouds.enabled() == ["gcp", "azure"]


def test_identity_center_is_required_with_aws_and_in_its_regions() -> None:
    err = refuse(roles_spec(role("ops", ["read-only"]), aws=None))
    assert err.key == PREFIX + "identity.aws"
    err = refuse(roles_spec(role("ops", ["read-only"]), aws={**INSTANCE, "region": "eu-west-3"}))
    assert err.key == PREFIX + "identity.aws.region"
    err = refuse(roles_spec(role("ops", ["read-only"]), aws={**INSTANCE, "instance_arn": "ssoins-1"}))
    assert err.key == PREFIX + "identity.aws.instance_arn"


def test_session_durations() -> None:
    assert session_seconds("PT1H30M") == 5400
    assert session_seconds("PT12H") == 43200
    assert session_seconds("PT") is None and session_seconds("P1D") is None


def test_the_grant_catalog_is_closed_and_covers_every_cloud() -> None:
    catalog = grants()
    assert {
        "administrator",
        "network-admin",
        "security-audit",
        "read-only",
        "ml-develop",
        "notebooks",
        "data-read",
        "data-write",
        "monitoring-read",
    } <= set(catalog)
    admins = [name for name, g in catalog.items() if g.admin]
    assert admins == ["administrator"]
    for name, grant in catalog.items():
        assert grant.aws.managed_policies or grant.aws.statements, name
        assert grant.gcp.roles or grant.gcp.permissions, name
        assert grant.azure.roles or grant.azure.actions or grant.azure.data_actions, name
        assert not {"roles/owner", "roles/editor", "roles/viewer"} & set(grant.gcp.roles), name
        for statement in grant.aws.statements:
            if grant.admin:
                continue
            # Data grants name the landing zone's buckets and keys, never every resource.
            if any(a.startswith(("s3:", "kms:")) for a in statement.actions):
                assert "*" not in statement.resources, (name, statement.sid)
