"""Inventory of the GCP foundation in the synthesized graph of the example stack, Fabric style.

The example stack (`stacks/Pulumi.foundation-dev.yaml`) is planned once per session; these tests read
its graph: which resources the GCP foundation creates and how many, the values that make it secure
(Private Google Access, flow logs, key rotation, CMEK on the audit bucket, regional residency), that
every GCP resource is parented, uses the explicit provider and carries valid labels, and that data is
protected except in disposable stacks. Two variants of the example are planned in a throw-away
project: `environment: test` (nothing protected) and a third GCP region (nothing existing changes).

If the inventory changes on purpose, print the new one with `.venv/bin/python -m tests.components.test_gcp_foundation`.
"""

from __future__ import annotations

import importlib
import inspect
import ipaddress
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from lz.core import cidr, labels, regions
from lz.core.naming import region_code
from tests.helpers import Planned, example_spec, foundation_config, make_project, plan

REGENERATE = ".venv/bin/python -m tests.components.test_gcp_foundation"
SCOPE = "lz:foundation:GcpFoundation"  # every resource of the GCP foundation has this in its URN

# The example: two regions (europe-west4, europe-west1).
INVENTORY: dict[str, int] = {
    "gcp:projects/service:Service": 11,  # the foundation's ten APIs and Vertex AI's (ai_services)
    "gcp:kms/keyRing:KeyRing": 2,
    "gcp:kms/cryptoKey:CryptoKey": 2,
    "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": 6,
    "gcp:compute/network:Network": 1,
    "gcp:compute/firewall:Firewall": 3,
    "gcp:compute/route:Route": 2,
    "gcp:dns/managedZone:ManagedZone": 1,
    "gcp:dns/recordSet:RecordSet": 3,
    "gcp:compute/subnetwork:Subnetwork": 4,
    "gcp:compute/router:Router": 2,
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": 1,
    "gcp:logging/projectSink:ProjectSink": 1,
    "gcp:projects/iAMAuditConfig:IAMAuditConfig": 1,
}
COMPONENTS: dict[str, int] = {
    "lz:foundation:GcpFoundation": 1,
    "lz:network:GcpNetwork": 1,
    "lz:network:GcpRegionNetwork": 2,
    "lz:keys:GcpRegionKeys": 2,
    "lz:audit:GcpAuditSink": 1,
}
# What one more region adds.
PER_REGION: dict[str, int] = {
    "gcp:kms/keyRing:KeyRing": 1,
    "gcp:kms/cryptoKey:CryptoKey": 1,
    "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": 3,
    "gcp:compute/subnetwork:Subnetwork": 2,
    "gcp:compute/router:Router": 1,
}
DATA_TYPES = (
    "gcp:kms/keyRing:KeyRing",
    "gcp:kms/cryptoKey:CryptoKey",
    "gcp:logging/projectBucketConfig:ProjectBucketConfig",
)
ENCRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
LABEL_INPUTS = {"labels": "labels", "user_labels": "userLabels", "resource_labels": "resourceLabels"}


# -- helpers --------------------------------------------------------------------------------------


def gcp_spec() -> dict[str, Any]:
    return example_spec()["clouds"]["gcp"]


def ours(p: Planned) -> list[dict[str, Any]]:
    return [r for r in p.resources if SCOPE in r["urn"]]


def local(urn: str) -> str:
    """A URN without its stack, to compare resources across stacks."""
    return urn.split("::", 2)[2]


def name_of(r: dict[str, Any]) -> str:
    return str(r["urn"].rsplit("::", 1)[-1])


def one(p: Planned, type_: str, suffix: str) -> dict[str, Any]:
    """The GCP foundation's resource of `type_` whose logical name ends with `suffix`."""
    found = [r for r in ours(p) if r["type"] == type_ and name_of(r).endswith(suffix)]
    assert len(found) == 1, f"expected one {type_} named *{suffix}, found {[name_of(r) for r in found]}"
    return found[0]


def blocks() -> dict[str, ipaddress.IPv4Network]:
    spec = gcp_spec()
    return cidr.region_blocks(ipaddress.IPv4Network(spec["cidr"]), spec["regions"])


def label_input(token: str) -> str | None:
    """The camelCase input a GCP type takes its labels in, read from the SDK class; None if it has none."""
    module, cls = token.split(":")[1].split("/")[0], token.split(":")[2]
    klass = getattr(importlib.import_module(f"pulumi_gcp.{module}"), cls)
    params = inspect.signature(klass._internal_init).parameters
    return next((camel for snake, camel in LABEL_INPUTS.items() if snake in params), None)


def variant(tmp: Path, stack: str, **changes: Any) -> Planned:
    spec = example_spec()
    for key, value in changes.items():
        if key == "gcp_regions":
            spec["clouds"]["gcp"]["regions"] = value
        else:
            spec[key] = value
    project = make_project(tmp / "project", {stack: foundation_config(spec)})
    return plan(stack, project=project, out=tmp / "out")


@pytest.fixture(scope="module")
def disposable(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    return variant(tmp_path_factory.mktemp("gcp-test-env"), "foundation-test", environment="test")


def third_region() -> str:
    taken = set(gcp_spec()["regions"])
    return next(r for r in ["europe-west3", *regions.regions_in("gcp", example_spec()["residency"])] if r not in taken)


@pytest.fixture(scope="module")
def three_regions(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    return variant(
        tmp_path_factory.mktemp("gcp-three-regions"),
        "foundation-dev",
        gcp_regions=[*gcp_spec()["regions"], third_region()],
    )


# -- inventory ------------------------------------------------------------------------------------


def test_inventory(foundation_dev: Planned) -> None:
    assert len(gcp_spec()["regions"]) == 2, "INVENTORY is written for the example's two GCP regions"
    custom = Counter(r["type"] for r in ours(foundation_dev) if r["custom"])
    assert dict(custom) == INVENTORY, f"inventory changed; if on purpose, regenerate it: {REGENERATE}"
    components = Counter(r["type"] for r in foundation_dev.resources if not r["custom"] and r["type"] in COMPONENTS)
    assert dict(components) == COMPONENTS, f"inventory changed; if on purpose, regenerate it: {REGENERATE}"


def test_no_mandatory_finding_on_the_gcp_foundation(foundation_dev: Planned) -> None:
    assert foundation_dev.exit_code != 2
    mine = [f for f in foundation_dev.mandatory() if SCOPE in f["urn"]]
    assert mine == [], "\n".join(f"{f['policy']}: {f['urn']}: {f['message']}" for f in mine)


# -- network --------------------------------------------------------------------------------------


def test_vpc_is_custom_global_and_private(foundation_dev: Planned) -> None:
    vpc = one(foundation_dev, "gcp:compute/network:Network", "-network")["inputs"]
    assert vpc["autoCreateSubnetworks"] is False
    assert vpc["routingMode"] == "GLOBAL"
    assert vpc["deleteDefaultRoutesOnCreate"] is True
    assert vpc["project"] == gcp_spec()["project"]
    # no route anywhere but to Google's private API VIPs
    routes = sorted(r["inputs"]["destRange"] for r in ours(foundation_dev) if r["type"] == "gcp:compute/route:Route")
    assert routes == ["199.36.153.4/30", "199.36.153.8/30"]
    # The foundation's VPC has no NAT of its own; egress (Cloud NAT) is the paths stage's, by egress.mode.
    assert not [
        r
        for r in foundation_dev.resources
        if r["type"] == "gcp:compute/routerNat:RouterNat" and "lz:foundation:GcpFoundation" in r["urn"]
    ]


def test_region_subnets(foundation_dev: Planned) -> None:
    for region, block in blocks().items():
        region_plan = cidr.gcp_region_plan(block)
        subnet = one(foundation_dev, "gcp:compute/subnetwork:Subnetwork", f"-{region}-subnet")["inputs"]
        assert subnet["region"] == region
        assert subnet["ipCidrRange"] == str(region_plan.primary)
        assert subnet["privateIpGoogleAccess"] is True
        assert {s["rangeName"]: s["ipCidrRange"] for s in subnet["secondaryIpRanges"]} == {
            "pods": str(region_plan.pods),
            "services": str(region_plan.services),
        }
        flow = subnet["logConfig"]
        assert flow["flowSampling"] >= 0.5
        assert flow["metadata"] == "INCLUDE_ALL_METADATA"
        assert flow["aggregationInterval"].startswith("INTERVAL_")
        assert subnet["network"].endswith("/global/networks/acme-dev-vpc")

        proxy = one(foundation_dev, "gcp:compute/subnetwork:Subnetwork", f"-{region}-proxy")["inputs"]
        assert (proxy["purpose"], proxy["role"], proxy["region"]) == ("REGIONAL_MANAGED_PROXY", "ACTIVE", region)
        assert proxy["ipCidrRange"] == str(region_plan.proxy_only)


def test_region_routers_have_distinct_private_asns(foundation_dev: Planned) -> None:
    asns = []
    for index, region in enumerate(gcp_spec()["regions"]):
        router = one(foundation_dev, "gcp:compute/router:Router", f"-{region}-router")["inputs"]
        assert router["region"] == region
        assert router["bgp"]["asn"] == 64600 + index
        asns.append(router["bgp"]["asn"])
    assert len(set(asns)) == len(asns) and all(64512 <= a <= 65534 for a in asns)


def test_firewall(foundation_dev: Planned) -> None:
    rules = {
        name_of(r).rsplit("-fw-", 1)[1]: r["inputs"]
        for r in ours(foundation_dev)
        if r["type"] == "gcp:compute/firewall:Firewall"
    }
    assert set(rules) == {"deny-all-ingress", "allow-internal", "allow-iap-ssh"}
    deny = rules["deny-all-ingress"]
    assert deny["direction"] == "INGRESS" and deny["sourceRanges"] == ["0.0.0.0/0"]
    assert deny["denies"] == [{"protocol": "all"}] and deny["priority"] >= 65000
    internal = rules["allow-internal"]
    assert internal["sourceRanges"] == [gcp_spec()["cidr"]] and internal["priority"] < deny["priority"]
    iap = rules["allow-iap-ssh"]
    assert iap["sourceRanges"] == ["35.235.240.0/20"]
    assert iap["allows"] == [{"ports": ["22"], "protocol": "tcp"}]
    assert iap["targetTags"] == ["iap-ssh"]
    for rule in rules.values():
        assert rule["logConfig"] == {"metadata": "INCLUDE_ALL_METADATA"}
        assert "0.0.0.0/0" not in rule["sourceRanges"] or "allows" not in rule


# -- keys -----------------------------------------------------------------------------------------


def test_region_keys(foundation_dev: Planned) -> None:
    project = gcp_spec()["project"]
    for region in gcp_spec()["regions"]:
        ring = one(foundation_dev, "gcp:kms/keyRing:KeyRing", f"-keys-{region}-ring")
        assert ring["inputs"]["location"] == region
        key = one(foundation_dev, "gcp:kms/cryptoKey:CryptoKey", f"-keys-{region}-platform")
        inputs = key["inputs"]
        assert inputs["keyRing"] == ring["id"]
        assert ring["id"] == f"projects/{project}/locations/{region}/keyRings/{ring['inputs']['name']}"
        assert inputs["rotationPeriod"] == "7776000s"
        assert inputs["purpose"] == "ENCRYPT_DECRYPT"
        assert inputs["destroyScheduledDuration"] == "2592000s"
        grants = {
            r["inputs"]["member"].split("@")[1].split(".")[0]: r["inputs"]
            for r in ours(foundation_dev)
            if r["type"] == "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember" and f"-keys-{region}-" in r["urn"]
        }
        assert set(grants) == {"gs-project-accounts", "gcp-sa-logging", "compute-system"}
        for grant in grants.values():
            assert grant["cryptoKeyId"] == key["id"]
            assert grant["role"] == ENCRYPTER
            assert grant["member"].startswith("serviceAccount:service-")
    assert not [
        r
        for r in foundation_dev.resources
        if r["type"].startswith("gcp:projects/iAM") and r["inputs"].get("role") == ENCRYPTER
    ]


# -- audit ----------------------------------------------------------------------------------------


def test_audit_bucket_sink_and_data_access_logs(foundation_dev: Planned) -> None:
    home = gcp_spec()["regions"][0]
    home_key = one(foundation_dev, "gcp:kms/cryptoKey:CryptoKey", f"-keys-{home}-platform")
    bucket = one(foundation_dev, "gcp:logging/projectBucketConfig:ProjectBucketConfig", "-audit-bucket")
    assert bucket["inputs"]["location"] == home
    assert bucket["inputs"]["cmekSettings"]["kmsKeyName"] == home_key["id"]
    assert bucket["inputs"]["retentionDays"] == 365
    assert bucket["inputs"]["locked"] is False
    # the bucket waits for Cloud Logging's grant on the key, or GCP refuses the CMEK setting
    logging_grant = one(
        foundation_dev, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", f"-keys-{home}-platform-logging"
    )
    assert logging_grant["urn"] in bucket["dependencies"]

    sink = one(foundation_dev, "gcp:logging/projectSink:ProjectSink", "-audit-sink")["inputs"]
    # the example's egress is `firewall`: the egress policy's rule logs and Cloud NAT's are kept too
    assert sink["filter"] == (
        'logName:"cloudaudit.googleapis.com" OR logName:"compute.googleapis.com%2Ffirewall" '
        'OR logName:"compute.googleapis.com%2Fnat_flows"'
    )
    assert sink["destination"] == f"logging.googleapis.com/{bucket['id']}"
    assert sink["uniqueWriterIdentity"] is True

    audit = one(foundation_dev, "gcp:projects/iAMAuditConfig:IAMAuditConfig", "-audit-data-access")["inputs"]
    assert audit["service"] == "allServices"
    assert sorted(c["logType"] for c in audit["auditLogConfigs"]) == ["ADMIN_READ", "DATA_READ", "DATA_WRITE"]


def test_audit_filter_follows_the_egress_mode() -> None:
    from lz.components.audit.gcp import AUDIT_FILTER, audit_filter  # noqa: PLC0415 - the provider SDK loads late

    assert audit_filter("none") == AUDIT_FILTER == 'logName:"cloudaudit.googleapis.com"'  # nothing egresses
    assert audit_filter("nat").startswith(AUDIT_FILTER + " OR ") and "nat_flows" in audit_filter("nat")


def test_project_services(foundation_dev: Planned) -> None:
    services = {
        r["inputs"]["service"]: r["inputs"] for r in ours(foundation_dev) if r["type"] == "gcp:projects/service:Service"
    }
    assert {
        "compute.googleapis.com",
        "cloudkms.googleapis.com",
        "logging.googleapis.com",
        "container.googleapis.com",
        "iam.googleapis.com",
    } <= set(services)
    assert all(s["disableOnDestroy"] is False for s in services.values())


# -- every GCP resource ---------------------------------------------------------------------------


def test_every_gcp_resource_is_parented_and_uses_the_gcp_provider(foundation_dev: Planned) -> None:
    index = foundation_dev.urn_index()
    providers = [r for r in foundation_dev.resources if r["type"] == "pulumi:providers:gcp"]
    assert len(providers) == 1
    provider_ref = f"{providers[0]['urn']}::{providers[0]['id']}"
    gcp = [r for r in foundation_dev.resources if r["custom"] and r["type"].startswith("gcp:")]
    assert len(gcp) >= sum(INVENTORY.values())
    for r in gcp:
        assert index[r["parent"]]["type"].startswith("lz:"), r["urn"]
        assert r["provider"] == provider_ref, r["urn"]


def test_labels_on_every_labelable_gcp_resource(foundation_dev: Planned) -> None:
    required = (*labels.REQUIRED_TAGS, *labels.STANDARD_TAGS)
    labelled = 0
    for r in foundation_dev.resources:
        if not (r["custom"] and r["type"].startswith("gcp:")):
            continue
        field = label_input(r["type"])
        if field is None:
            continue
        found = r["inputs"].get(field) or {}
        missing = [k for k in required if not found.get(k)]
        assert not missing, f"{r['urn']} lacks labels {missing}"
        for key, value in found.items():
            assert labels.GCP_KEY_RE.match(key) and labels.GCP_VALUE_RE.match(value), (r["urn"], key, value)
        labelled += 1
    # the keys and the DNS zone at least: a field-name change in the SDK must not make this vacuous
    assert labelled >= len(gcp_spec()["regions"]) + 1


def test_outputs_for_waves(foundation_dev: Planned) -> None:
    stack = foundation_dev.resources[0]
    assert stack["type"] == "pulumi:pulumi:Stack"
    out = stack["outputs"]["foundation"]["gcp"]
    network = one(foundation_dev, "gcp:compute/network:Network", "-network")
    assert out["project"] == gcp_spec()["project"]
    assert out["network_id"] == network["id"]
    assert out["network_self_link"] == f"https://www.googleapis.com/compute/v1/{network['id']}"
    assert set(out["regions"]) == set(gcp_spec()["regions"])
    for region, block in blocks().items():
        got = out["regions"][region]
        assert got["subnet_id"] == one(foundation_dev, "gcp:compute/subnetwork:Subnetwork", f"-{region}-subnet")["id"]
        assert got["subnet_cidr"] == str(cidr.gcp_region_plan(block).primary)
        assert (got["pods_range"], got["services_range"]) == ("pods", "services")
        assert got["router_name"] == f"acme-dev-{region_code('gcp', region)}-router"
        assert got["key_ring_id"] == one(foundation_dev, "gcp:kms/keyRing:KeyRing", f"-keys-{region}-ring")["id"]
        assert got["kms_key_id"] == one(foundation_dev, "gcp:kms/cryptoKey:CryptoKey", f"-keys-{region}-platform")["id"]
    bucket = one(foundation_dev, "gcp:logging/projectBucketConfig:ProjectBucketConfig", "-audit-bucket")
    sink = one(foundation_dev, "gcp:logging/projectSink:ProjectSink", "-audit-sink")
    assert (out["audit"]["log_bucket"], out["audit"]["sink"]) == (bucket["id"], sink["id"])


# -- protection -----------------------------------------------------------------------------------


def test_data_is_protected_in_dev(foundation_dev: Planned) -> None:
    for r in ours(foundation_dev):
        if r["custom"]:
            assert r["protect"] is (r["type"] in DATA_TYPES), r["urn"]


def test_nothing_is_protected_in_a_test_environment(disposable: Planned) -> None:
    resources = ours(disposable)
    assert Counter(r["type"] for r in resources if r["custom"]) == Counter(INVENTORY)
    assert [r["urn"] for r in resources if r["protect"]] == []
    key = next(r for r in resources if r["type"] == "gcp:kms/cryptoKey:CryptoKey")
    assert key["inputs"]["labels"]["environment"] == "test"


# -- growth ---------------------------------------------------------------------------------------


def test_a_third_region_changes_nothing_that_exists(foundation_dev: Planned, three_regions: Planned) -> None:
    before = {local(r["urn"]): r for r in ours(foundation_dev)}
    after = {local(r["urn"]): r for r in ours(three_regions)}
    assert set(before) <= set(after), sorted(set(before) - set(after))
    changed = [urn for urn, r in before.items() if r["custom"] and r["inputs"] != after[urn]["inputs"]]
    assert changed == []
    keys = [urn for urn, r in before.items() if r["type"] in ("gcp:kms/keyRing:KeyRing", "gcp:kms/cryptoKey:CryptoKey")]
    assert len(keys) == 4 and all(before[u]["inputs"] == after[u]["inputs"] for u in keys)

    added = Counter(r["type"] for urn, r in after.items() if urn not in before and r["custom"])
    assert dict(added) == PER_REGION
    new = third_region()
    subnet = one(three_regions, "gcp:compute/subnetwork:Subnetwork", f"-{new}-subnet")["inputs"]
    new_block = cidr.region_block(ipaddress.IPv4Network(gcp_spec()["cidr"]), 2)
    assert subnet["ipCidrRange"] == str(cidr.gcp_region_plan(new_block).primary)
    assert one(three_regions, "gcp:compute/router:Router", f"-{new}-router")["inputs"]["bgp"]["asn"] == 64602
    assert one(three_regions, "gcp:kms/keyRing:KeyRing", f"-keys-{new}-ring")["inputs"]["location"] == new


if __name__ == "__main__":
    planned = plan("foundation-dev")
    counts = Counter(r["type"] for r in ours(planned))
    print("INVENTORY = {")
    for type_, count in sorted(counts.items()):
        print(f"    {type_!r}: {count},")
    print("}")
