"""The price catalog: dated and sourced figures, regional prices, coverage of every type the project can
create, the rules on graphs, and the refresh script on small price-list samples."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from lz.core import regions
from lz.core.graph import Resource
from lz.review.pricing import refresh
from lz.review.pricing.catalog import CatalogError, catalog, parse
from lz.review.pricing.emitted import calls_in, emitted_types
from lz.review.pricing.rules import FREE, RULES, estimate

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "prices"
# Added on other branches (egress: nat | firewall); priced here so the merge needs no catalog change.
EGRESS_TYPES = (
    "aws:ec2/natGateway:NatGateway",
    "aws:networkfirewall/firewall:Firewall",
    "gcp:compute/routerNat:RouterNat",
    "azure-native:network:AzureFirewall",
    "azure-native:network:NatGateway",
)
PROVIDER = {"aws": "urn:pulumi:s::p::pulumi:providers:aws::aws-eu-central-1"}


def res(type_: str, inputs: dict | None = None, name: str = "x", parent: str = "") -> Resource:
    provider = f"{PROVIDER['aws']}::id" if type_.startswith("aws:") else ""
    return Resource(
        urn=f"urn:pulumi:s::p::{type_}::{name}",
        type=type_,
        custom=True,
        inputs=inputs or {},
        provider=provider,
        parent=parent,
    )


def aws_provider(region: str = "eu-central-1") -> Resource:
    return Resource(urn=PROVIDER["aws"], type="pulumi:providers:aws", custom=True, inputs={"region": region})


# --- the catalog -----------------------------------------------------------------------------------


def test_every_figure_has_a_date_and_a_public_source() -> None:
    cat = catalog()
    assert cat.currency == "USD" and cat.as_of == "2025-06-15"
    for cloud, table in cat.skus.items():
        for name, sku in table.items():
            assert cat.sources[sku.source].startswith("https://"), (cloud, name)
            assert len(sku.as_of) == 10 and sku.as_of <= "2026-12-31", (cloud, name)


def test_common_eu_and_us_regions_have_a_regional_figure_or_multiplier() -> None:
    cat = catalog()
    for cloud in ("aws", "gcp", "azure"):
        for jurisdiction in ("eu", "us"):
            for region in regions.regions_in(cloud, jurisdiction):
                assert region in cat.multipliers[cloud], f"{cloud} {region} has no regional multiplier"


def test_regional_prices_differ_and_say_how_they_were_obtained() -> None:
    cat = catalog()
    us, eu = cat.price("aws", "nat-gateway-hour", "us-east-1"), cat.price("aws", "nat-gateway-hour", "eu-central-1")
    assert (us.usd, us.basis) == (0.045, "region") and (eu.usd, eu.basis) == (0.052, "region")
    derived = cat.price("aws", "nat-gateway-hour", "eu-south-1")
    assert derived.usd == pytest.approx(0.045 * 1.17) and derived.estimated and "multiplier" in derived.basis
    assert cat.price("gcp", "vpn-tunnel-hour", "europe-west3").basis == "all regions"
    unknown = cat.price("aws", "nat-gateway-hour", "ap-southeast-9")
    assert unknown.estimated and "no regional figure" in unknown.basis


def test_tiered_egress_is_cumulative() -> None:
    cat = catalog()
    assert cat.tiered("aws", "egress-internet-gb", 1000) == pytest.approx(90.0)
    assert cat.tiered("aws", "egress-internet-gb", 20480) == pytest.approx(10240 * 0.09 + 10240 * 0.085)


def test_a_malformed_catalog_is_refused_with_its_key() -> None:
    raw = yaml.safe_load((ROOT / "src/lz/data/prices.yaml").read_text())
    raw["skus"]["aws"]["vpn-connection-hour"]["source"] = "nowhere"
    with pytest.raises(CatalogError, match="skus.aws.vpn-connection-hour"):
        parse(raw)
    raw = yaml.safe_load((ROOT / "src/lz/data/prices.yaml").read_text())
    raw["skus"]["gcp"]["vpn-tunnel-hour"]["usd"] = {"all": -1}
    with pytest.raises(CatalogError, match="a price is a number"):
        parse(raw)


# --- coverage: an unpriced billable type fails here ----------------------------------------------------


def test_the_source_scan_follows_module_aliases() -> None:
    found = calls_in(
        "import pulumi_azure_native as azure_native\npg = azure_native.dbforpostgresql\n"
        "def f():\n    pg.Server('a')\n    aws.ec2.Vpc('b')\n"
    )
    assert {"azure_native.dbforpostgresql.Server", "aws.ec2.Vpc"} <= found


def test_every_type_the_project_can_create_is_priced_or_known_free() -> None:
    types = emitted_types(ROOT)
    assert len(types) > 100  # the scan sees the whole project, not one file
    missing = [f"{t} (created in {', '.join(files)})" for t, files in types.items() if t not in RULES and t not in FREE]
    missing += [t for t in EGRESS_TYPES if t not in RULES]
    assert not missing, "add a rule in lz/pricing/rules.py or a reason in FREE for:\n" + "\n".join(missing)
    assert not set(RULES) & set(FREE)


def test_an_unclassified_type_is_reported_not_priced_at_zero() -> None:
    estimates, unknown = estimate([res("aws:sagemaker/endpoint:Endpoint")])
    assert unknown == ["aws:sagemaker/endpoint:Endpoint"] and estimates == []


@pytest.mark.parametrize("type_", sorted(RULES))
def test_every_rule_prices_a_bare_resource_with_catalog_skus(type_: str) -> None:
    """Empty inputs never crash a rule; every SKU it names is in the catalog (KeyError otherwise)."""
    estimates, unknown = estimate([aws_provider(), res(type_)])
    assert unknown == [] and len(estimates) == 1
    (e,) = estimates
    assert e.monthly_min >= 0 and e.monthly_max >= e.monthly_min
    assert e.lines or e.assumptions or e.unpriced


@pytest.mark.parametrize("type_", EGRESS_TYPES)
def test_nat_and_firewalls_cost_money_every_hour(type_: str) -> None:
    (e,), _ = estimate([aws_provider(), res(type_, {"location": "westeurope", "region": "europe-west1"})])
    assert e.monthly_min > 30, e  # an hourly charge plus the assumed traffic
    assert any("GB/month" in a for a in e.assumptions)


# --- rules on resources ------------------------------------------------------------------------------


def test_node_pools_cost_their_minimum_always_and_their_maximum_at_scale() -> None:
    pool = res(
        "gcp:container/nodePool:NodePool",
        {
            "location": "europe-west4",
            "autoscaling": {"totalMinNodeCount": 1, "totalMaxNodeCount": 3},
            "nodeConfig": {"machineType": "e2-standard-4", "diskSizeGb": 50},
        },
    )
    (e,), _ = estimate([pool])
    node = 0.147 * 730 + 50 * 0.11
    assert e.region == "europe-west4"
    assert e.monthly_min == pytest.approx(node, abs=0.01) and e.monthly_max == pytest.approx(3 * node, abs=0.02)


def test_gpu_machines_come_from_the_accelerator_catalog_at_the_regions_multiplier() -> None:
    group = res(
        "aws:eks/nodeGroup:NodeGroup",
        {
            "instanceTypes": ["g5.xlarge"],
            "capacityType": "SPOT",
            "scalingConfig": {"minSize": 0, "maxSize": 2},
            "diskSize": 0,
        },
    )
    (e,), _ = estimate([aws_provider("eu-west-1"), group])
    gpu_line = e.lines[0]
    assert e.monthly_min == 0 and gpu_line["usd_per_unit"] == pytest.approx(0.40 * 1.11, abs=0.001)
    assert "multiplier" in gpu_line["price"] and "accelerator catalog" in gpu_line["price"]


def test_an_unknown_machine_type_is_flagged_unpriced() -> None:
    group = res("aws:eks/nodeGroup:NodeGroup", {"instanceTypes": ["z9.huge"], "scalingConfig": {"minSize": 1}})
    (e,), _ = estimate([aws_provider(), group])
    assert "z9.huge" in e.unpriced


def test_vpn_gateway_sku_drives_its_price() -> None:
    gw = res("azure-native:network:VirtualNetworkGateway", {"location": "westeurope", "sku": {"name": "VpnGw2AZ"}})
    (e,), _ = estimate([gw])
    assert e.monthly_min == pytest.approx(0.564 * 730, abs=0.01)


# --- the refresh script --------------------------------------------------------------------------------


def test_refresh_rewrites_matched_figures_in_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "prices.yaml"
    shutil.copy(ROOT / "src/lz/data/prices.yaml", target)
    code = refresh.main(
        [
            "--aws",
            str(FIXTURES / "aws-offer-sample.json"),
            "--azure",
            str(FIXTURES / "azure-retail-sample.json"),
            "--gcp",
            str(FIXTURES / "gcp-skus-sample.json"),
            "--as-of",
            "2026-12-01",
            "--catalog",
            str(target),
        ]
    )
    assert code == 0
    assert "updated 6 SKU(s)" in capsys.readouterr().out
    text = target.read_text()
    assert "# The price catalog" in text  # comments survive
    cat = parse(yaml.safe_load(text))
    assert cat.price("aws", "ec2-m6i.large", "eu-west-1").usd == 0.111  # Linux row, not the Windows one
    assert cat.price("aws", "ec2-m6i.large", "eu-central-1").usd == 0.115  # not in the file: kept
    assert cat.price("aws", "nat-gateway-hour", "eu-central-1").usd == 0.054
    assert cat.price("azure", "vm-Standard_D4ds_v5", "westeurope").usd == 0.282  # not the spot or reserved row
    assert cat.price("azure", "vpn-gateway-VpnGw2AZ-hour", "northeurope").usd == 0.59
    assert cat.price("azure", "vpn-gateway-VpnGw2AZ-hour", "eastus").usd == 0.564  # `all` still answers others
    assert cat.price("gcp", "vpn-tunnel-hour", "europe-west4").usd == 0.055
    assert cat.sku("gcp", "vpn-tunnel-hour").as_of == "2026-12-01"
    assert cat.sku("gcp", "gke-cluster-hour").as_of == "2025-06-15"


def test_refresh_refuses_a_bad_date(tmp_path: Path) -> None:
    assert refresh.main(["--as-of", "yesterday", "--catalog", str(tmp_path / "x.yaml")]) == 2


def test_paths_resources_are_priced_or_said_to_be_billed_per_use() -> None:

    resolver = res("aws:route53/resolverEndpoint:ResolverEndpoint", {"ipAddresses": [{}, {}, {}]}, "resolver")
    fqdn = res(
        "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule",
        {"match": {"destFqdns": ["pypi.org"]}},
        "allow-fqdns",
    )
    plain = res(
        "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule",
        {"match": {"destIpRanges": ["0.0.0.0/0"]}},
        "deny-internet",
    )
    internal = res("gcp:compute/address:Address", {"addressType": "INTERNAL"}, "dns-inbound")
    found, unknown = estimate([aws_provider(), resolver, fqdn, plain, internal])
    by_name = {e.urn.rsplit("::", 1)[-1]: e for e in found}
    assert not unknown
    assert by_name["resolver"].monthly_min == pytest.approx(3 * 730 * 0.125, rel=0.01)  # three IP addresses
    assert "Cloud NGFW" in by_name["allow-fqdns"].unpriced
    assert not by_name["deny-internet"].unpriced and by_name["deny-internet"].monthly_min == 0
    assert not by_name["dns-inbound"].unpriced and by_name["dns-inbound"].monthly_min == 0
