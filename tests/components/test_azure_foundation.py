"""Plan-only inventory of the Azure foundation: what the example stack creates, and how it is set.

Fabric style: the expected resources per region are data (`PER_REGION`, `CLOUD_WIDE`), the example
stack is planned once (`foundation_dev`), and variants of its spec are planned in throw-away
projects: a disposable `environment: test` stack, and the example with a third Azure region.
Regenerate the graph these assertions read with `.venv/bin/lz plan --stack foundation-dev`
(out/foundation-dev/graph.json).

Only the resources of the Azure foundation's components are in scope here (vaults, networks, the
Activity Log archive and the Network Watcher group); other Azure components test themselves.
"""

from __future__ import annotations

import importlib
import inspect
import ipaddress
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from lz.core import labels
from tests.helpers import Planned, example_spec, foundation_config, make_project, plan

STACK = "foundation-dev"
AZURE_REGIONS = ("westeurope", "northeurope")
HOME = AZURE_REGIONS[0]
THIRD_REGION = "francecentral"
COMPONENTS = ("lz:keys:AzureRegionVault", "lz:network:AzureRegionNetwork", "lz:audit:AzureActivityLog")

# Custom resources each component creates, per region.
PER_REGION: dict[str, dict[str, int]] = {
    "lz:keys:AzureRegionVault": {
        "azure-native:resources:ResourceGroup": 1,
        "azure-native:keyvault:Vault": 1,
        "azure-native:keyvault:Key": 1,
        "azure-native:managedidentity:UserAssignedIdentity": 1,
        "azure-native:authorization:RoleAssignment": 1,
    },
    "lz:network:AzureRegionNetwork": {
        "azure-native:resources:ResourceGroup": 1,
        "azure-native:network:VirtualNetwork": 1,
        # The example's egress is `firewall`: AzureFirewallSubnet and the route table to the firewall.
        "azure-native:network:Subnet": 5,
        "azure-native:network:RouteTable": 1,
        "azure-native:network:NetworkSecurityGroup": 3,
        "azure-native:network:FlowLog": 1,
        "azure-native:storage:StorageAccount": 1,
        "azure-native:storage:BlobServiceProperties": 1,
        "azure-native:managedidentity:UserAssignedIdentity": 1,
        "azure-native:authorization:RoleAssignment": 1,
    },
}
# The DNS Private Resolver's inbound and outbound subnets: home region, cross-cloud DNS (the example's mesh).
HOME_DNS_SUBNETS = 2
# Custom resources created once per subscription, in the home region.
CLOUD_WIDE: dict[str, int] = {
    "azure-native:resources:ResourceGroup": 1,  # the audit group (NetworkWatcherRG is Azure's own)
    "azure-native:storage:StorageAccount": 1,
    "azure-native:storage:BlobServiceProperties": 1,
    "azure-native:monitor:SubscriptionDiagnosticSetting": 1,
}
PROTECTED_TYPES = {"azure-native:keyvault:Vault", "azure-native:keyvault:Key", "azure-native:storage:StorageAccount"}


# --- helpers ---------------------------------------------------------------------------------


def name_of(r: dict[str, Any]) -> str:
    return str(r["urn"].rsplit("::", 1)[-1])


def components(p: Planned) -> dict[str, dict[str, Any]]:
    """This foundation's Azure components by name."""
    return {name_of(r): r for r in p.resources if r["type"] in COMPONENTS}


def scope(p: Planned) -> list[dict[str, Any]]:
    """The Azure foundation's custom resources: children of its components."""
    owners = {r["urn"] for r in components(p).values()}
    return [
        r for r in p.resources if r["custom"] and r["type"].startswith("azure-native:") and r.get("parent") in owners
    ]


def children(p: Planned, component: str) -> list[dict[str, Any]]:
    urn = components(p)[component]["urn"]
    return [r for r in p.resources if r.get("parent") == urn]


def one(p: Planned, type_: str, name: str) -> dict[str, Any]:
    return p.named(type_, name)


@cache
def sdk_parameters(token: str) -> frozenset[str]:
    """The Python arguments the SDK's resource class takes for a type token."""
    _, module, kind = token.split(":")
    cls = getattr(importlib.import_module(f"pulumi_azure_native.{module}"), kind)
    return frozenset(inspect.signature(cls._internal_init).parameters)


def azure_only(spec: dict[str, Any]) -> dict[str, Any]:
    """The example spec with only its Azure cloud, so the variants plan fast and stand alone."""
    spec["clouds"] = {"azure": spec["clouds"]["azure"]}
    spec.pop("interconnect", None)
    spec["gpu_pools"] = [pool for pool in spec.get("gpu_pools", []) if pool.get("cloud") == "azure"]
    return spec


def plan_variant(tmp: Path, spec: dict[str, Any]) -> Planned:
    # Same stack name as the example, so URNs are comparable with `foundation_dev`.
    project = make_project(tmp, {STACK: foundation_config(spec)})
    planned = plan(STACK, project=project)
    assert planned.graph, f"planning the variant in {tmp} wrote no graph (exit {planned.exit_code})"
    return planned


@pytest.fixture(scope="module")
def disposable(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    spec = azure_only(example_spec())
    spec["environment"] = "test"
    return plan_variant(tmp_path_factory.mktemp("azure-test-env"), spec)


@pytest.fixture(scope="module")
def three_regions(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    spec = azure_only(example_spec())
    spec["clouds"]["azure"]["regions"] = [*AZURE_REGIONS, THIRD_REGION]
    return plan_variant(tmp_path_factory.mktemp("azure-three-regions"), spec)


# --- inventory -------------------------------------------------------------------------------


def test_components_per_region(foundation_dev: Planned) -> None:
    found = Counter(r["type"] for r in components(foundation_dev).values())
    assert found == {"lz:keys:AzureRegionVault": 2, "lz:network:AzureRegionNetwork": 2, "lz:audit:AzureActivityLog": 1}
    names = set(components(foundation_dev))
    assert names == {f"azure-keys-{r}" for r in AZURE_REGIONS} | {f"azure-network-{r}" for r in AZURE_REGIONS} | {
        "azure-audit"
    }


@pytest.mark.parametrize("region", AZURE_REGIONS)
@pytest.mark.parametrize(
    ("component", "prefix"),
    [("lz:keys:AzureRegionVault", "azure-keys"), ("lz:network:AzureRegionNetwork", "azure-network")],
)
def test_inventory_per_region(foundation_dev: Planned, region: str, component: str, prefix: str) -> None:
    counts = Counter(r["type"] for r in children(foundation_dev, f"{prefix}-{region}") if r["custom"])
    expected = Counter(PER_REGION[component])
    if component == "lz:network:AzureRegionNetwork" and region == HOME:
        expected["azure-native:network:Subnet"] += HOME_DNS_SUBNETS
    assert counts == expected, (
        f"{prefix}-{region} changed; inspect with `.venv/bin/lz plan --stack {STACK}` (out/{STACK}/graph.json)"
    )


def test_inventory_cloud_wide(foundation_dev: Planned) -> None:
    counts = Counter(r["type"] for r in children(foundation_dev, "azure-audit") if r["custom"])
    assert counts == CLOUD_WIDE


def test_inventory_total(foundation_dev: Planned) -> None:
    expected: Counter[str] = Counter(CLOUD_WIDE)
    for per_type in PER_REGION.values():
        for type_, n in per_type.items():
            expected[type_] += n * len(AZURE_REGIONS)
    expected["azure-native:network:Subnet"] += HOME_DNS_SUBNETS
    assert Counter(r["type"] for r in scope(foundation_dev)) == expected


# --- key values --------------------------------------------------------------------------------


@pytest.mark.parametrize("region", AZURE_REGIONS)
def test_vault_is_locked_down(foundation_dev: Planned, region: str) -> None:
    vault = one(foundation_dev, "azure-native:keyvault:Vault", f"azure-keys-{region}-vault")["inputs"]
    props = vault["properties"]
    assert props["enablePurgeProtection"] is True
    assert props["enableSoftDelete"] is True
    assert props["softDeleteRetentionInDays"] == 90
    assert props["enableRbacAuthorization"] is True
    assert props["publicNetworkAccess"] == "Disabled"
    assert props["networkAcls"] == {"defaultAction": "Deny", "bypass": "AzureServices"}
    assert props["sku"]["name"] in ("premium", "standard")
    assert props.get("tenantId"), "the vault must name the tenant it trusts"
    name = vault["vaultName"]
    assert 3 <= len(name) <= 24 and name[0].isalpha() and "--" not in name, name
    assert vault["location"] == region


def test_vault_names_are_distinct_and_stable(foundation_dev: Planned, three_regions: Planned) -> None:
    names = [
        one(foundation_dev, "azure-native:keyvault:Vault", f"azure-keys-{r}-vault")["inputs"]["vaultName"]
        for r in AZURE_REGIONS
    ]
    assert len(set(names)) == len(names)
    again = [
        one(three_regions, "azure-native:keyvault:Vault", f"azure-keys-{r}-vault")["inputs"]["vaultName"]
        for r in AZURE_REGIONS
    ]
    assert again == names


@pytest.mark.parametrize("region", AZURE_REGIONS)
def test_key_rotates(foundation_dev: Planned, region: str) -> None:
    key = one(foundation_dev, "azure-native:keyvault:Key", f"azure-keys-{region}-key")["inputs"]["properties"]
    assert key["kty"] in ("RSA", "RSA-HSM") and key["keySize"] >= 3072
    assert set(key["keyOps"]) == {"wrapKey", "unwrapKey", "encrypt", "decrypt"}
    policy = key["rotationPolicy"]
    assert policy["attributes"]["expiryTime"] == "P1Y"
    actions = {a["action"]["type"]: a["trigger"] for a in policy["lifetimeActions"]}
    assert actions["rotate"] == {"timeAfterCreate": "P90D"}
    assert "timeBeforeExpiry" in actions["notify"]


@pytest.mark.parametrize("region", AZURE_REGIONS)
def test_identity_may_use_the_key_and_nothing_more(foundation_dev: Planned, region: str) -> None:
    vault = one(foundation_dev, "azure-native:keyvault:Vault", f"azure-keys-{region}-vault")
    identity = one(foundation_dev, "azure-native:managedidentity:UserAssignedIdentity", f"azure-keys-{region}-identity")
    grant = one(foundation_dev, "azure-native:authorization:RoleAssignment", f"azure-keys-{region}-crypto-user")
    inputs = grant["inputs"]
    assert inputs["scope"] == vault["id"]
    assert inputs["roleDefinitionId"].endswith("/roleDefinitions/e147488a-f6f5-4113-8e2d-b22465e65bf6")
    assert inputs["principalType"] == "ServicePrincipal"
    assert grant["propertyDependencies"]["principalId"] == [identity["urn"]]
    same_principal = [
        r["urn"]
        for r in foundation_dev.by_type("azure-native:authorization:RoleAssignment")
        if r["inputs"].get("principalId") == inputs["principalId"]
    ]
    assert same_principal == [grant["urn"]]


def storage_accounts(p: Planned) -> list[dict[str, Any]]:
    return [r for r in scope(p) if r["type"] == "azure-native:storage:StorageAccount"]


def test_storage_accounts_are_hardened_with_the_region_key(foundation_dev: Planned) -> None:
    accounts = storage_accounts(foundation_dev)
    assert len(accounts) == len(AZURE_REGIONS) + 1
    for account in accounts:
        inputs = account["inputs"]
        region = inputs["location"]
        assert inputs["kind"] == "StorageV2"
        assert inputs["enableHttpsTrafficOnly"] is True
        assert inputs["minimumTlsVersion"] == "TLS1_2"
        assert inputs["allowBlobPublicAccess"] is False
        assert inputs["allowSharedKeyAccess"] is False
        # Enabled for the trusted services that write logs (they never use private endpoints), and
        # default deny for everyone else.
        assert inputs["publicNetworkAccess"] == "Enabled"
        assert inputs["networkRuleSet"] == {"defaultAction": "Deny", "bypass": "AzureServices"}
        # Residency: nothing geo-replicates to a paired region.
        assert inputs["sku"]["name"] in ("Standard_ZRS", "Standard_LRS")
        name = inputs["accountName"]
        assert 3 <= len(name) <= 24 and name.isalnum() and name.islower(), name

        encryption = inputs["encryption"]
        vault = one(foundation_dev, "azure-native:keyvault:Vault", f"azure-keys-{region}-vault")["inputs"]
        key = one(foundation_dev, "azure-native:keyvault:Key", f"azure-keys-{region}-key")["inputs"]
        identity = one(
            foundation_dev, "azure-native:managedidentity:UserAssignedIdentity", f"azure-keys-{region}-identity"
        )
        assert encryption["keySource"] == "Microsoft.Keyvault"
        assert encryption["requireInfrastructureEncryption"] is True
        assert encryption["keyVaultProperties"] == {
            "keyName": key["keyName"],
            "keyVaultUri": f"https://{vault['vaultName']}.vault.azure.net/",
        }
        assert encryption["encryptionIdentity"]["encryptionUserAssignedIdentity"] == identity["id"]
        assert inputs["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [identity["id"]]}
        assert {svc["keyType"] for svc in encryption["services"].values()} == {"Account"}
        # The key and the identity's grant exist before the account asks for them.
        grant = one(foundation_dev, "azure-native:authorization:RoleAssignment", f"azure-keys-{region}-crypto-user")
        assert grant["urn"] in account["dependencies"]


def test_account_names_are_distinct(foundation_dev: Planned) -> None:
    names = [a["inputs"]["accountName"] for a in storage_accounts(foundation_dev)]
    assert len(set(names)) == len(names)


def test_audit_store_keeps_versions_and_deleted_blobs(foundation_dev: Planned) -> None:
    blob = one(foundation_dev, "azure-native:storage:BlobServiceProperties", "azure-audit-blob-service")["inputs"]
    assert blob["isVersioningEnabled"] is True
    assert blob["deleteRetentionPolicy"] == {"enabled": True, "days": 30}
    assert blob["containerDeleteRetentionPolicy"] == {"enabled": True, "days": 30}
    account = one(foundation_dev, "azure-native:storage:StorageAccount", "azure-audit-storage")
    assert blob["accountName"] == account["inputs"]["accountName"]
    assert account["inputs"]["location"] == HOME


def test_activity_log_goes_to_the_audit_store(foundation_dev: Planned) -> None:
    setting = one(foundation_dev, "azure-native:monitor:SubscriptionDiagnosticSetting", "azure-audit-activity-log")
    account = one(foundation_dev, "azure-native:storage:StorageAccount", "azure-audit-storage")
    assert setting["inputs"]["storageAccountId"] == account["id"]
    categories = {log["category"] for log in setting["inputs"]["logs"] if log["enabled"]}
    assert categories >= {"Administrative", "Security", "Policy", "Alert", "ServiceHealth", "ResourceHealth"}


@pytest.mark.parametrize("region", AZURE_REGIONS)
def test_subnets(foundation_dev: Planned, region: str) -> None:
    prefix = f"azure-network-{region}"
    vnet = one(foundation_dev, "azure-native:network:VirtualNetwork", f"{prefix}-vnet")["inputs"]
    assert "subnets" not in vnet, "subnets are separate resources; inline ones would fight them"
    space = ipaddress.ip_network(vnet["addressSpace"]["addressPrefixes"][0])
    subnets = {
        key: one(foundation_dev, "azure-native:network:Subnet", f"{prefix}-snet-{key}")["inputs"]
        for key in ("workload", "data", "apps", "gateway")
    }
    nets = {key: ipaddress.ip_network(s["addressPrefix"]) for key, s in subnets.items()}
    for key, net in nets.items():
        assert net.subnet_of(space), key  # type: ignore[arg-type]
        assert subnets[key]["virtualNetworkName"] == vnet["virtualNetworkName"]
    keys = list(nets)
    assert not any(nets[a].overlaps(nets[b]) for i, a in enumerate(keys) for b in keys[i + 1 :])

    gateway = subnets["gateway"]
    assert gateway["subnetName"] == "GatewaySubnet"
    assert nets["gateway"].prefixlen <= 27
    assert "networkSecurityGroup" not in gateway
    assert subnets["data"]["privateEndpointNetworkPolicies"] == "Enabled"
    assert [d["serviceName"] for d in subnets["apps"]["delegations"]] == ["Microsoft.App/environments"]
    for key in ("workload", "data", "apps"):
        nsg = one(foundation_dev, "azure-native:network:NetworkSecurityGroup", f"{prefix}-nsg-{key}")
        assert subnets[key]["networkSecurityGroup"] == {"id": nsg["id"]}
    # Egress `firewall`: the private subnets route 0.0.0.0/0 to the firewall's address in its /26.
    firewall = one(foundation_dev, "azure-native:network:Subnet", f"{prefix}-snet-firewall")["inputs"]
    assert firewall["subnetName"] == "AzureFirewallSubnet"
    fw_net = ipaddress.ip_network(firewall["addressPrefix"])
    assert fw_net.prefixlen == 26 and fw_net.subnet_of(space)  # type: ignore[arg-type]
    assert not any(fw_net.overlaps(n) for n in nets.values())
    table = one(foundation_dev, "azure-native:network:RouteTable", f"{prefix}-rt-egress")
    [route] = table["inputs"]["routes"]
    assert (route["addressPrefix"], route["nextHopType"]) == ("0.0.0.0/0", "VirtualAppliance")
    assert ipaddress.ip_address(route["nextHopIpAddress"]) in fw_net
    # The Container Apps subnet leaves through the firewall too; the gateway subnet never does.
    for key in ("workload", "data", "apps"):
        assert subnets[key]["routeTable"] == {"id": table["id"]}
    assert "routeTable" not in subnets["gateway"]


@pytest.mark.parametrize("region", AZURE_REGIONS)
def test_nsgs_refuse_the_internet(foundation_dev: Planned, region: str) -> None:
    for key in ("workload", "data", "apps"):
        rules = one(foundation_dev, "azure-native:network:NetworkSecurityGroup", f"azure-network-{region}-nsg-{key}")[
            "inputs"
        ]["securityRules"]
        inbound = {(r["access"], r["sourceAddressPrefix"]) for r in rules if r["direction"] == "Inbound"}
        assert ("Deny", "Internet") in inbound
        assert ("Allow", "VirtualNetwork") in inbound
        deny = next(r for r in rules if r["access"] == "Deny" and r["sourceAddressPrefix"] == "Internet")
        assert deny["protocol"] == "*" and deny["destinationPortRange"] == "*"
        assert not any(
            r["access"] == "Allow" and r["sourceAddressPrefix"] in ("*", "Internet", "0.0.0.0/0") for r in rules
        )


@pytest.mark.parametrize("region", AZURE_REGIONS)
def test_vnet_flow_logs(foundation_dev: Planned, region: str) -> None:
    prefix = f"azure-network-{region}"
    log = one(foundation_dev, "azure-native:network:FlowLog", f"{prefix}-flow-log")["inputs"]
    vnet = one(foundation_dev, "azure-native:network:VirtualNetwork", f"{prefix}-vnet")
    store = one(foundation_dev, "azure-native:storage:StorageAccount", f"{prefix}-flow-logs-storage")
    assert log["targetResourceId"] == vnet["id"]
    assert log["storageId"] == store["id"]
    assert log["enabled"] is True
    assert log["retentionPolicy"] == {"enabled": True, "days": 90}
    assert log["format"] == {"type": "JSON", "version": 2}
    # Azure's own watcher of the region, referenced by name, never created by the stack
    assert log["networkWatcherName"] == f"NetworkWatcher_{region}"
    assert log["resourceGroupName"] == "NetworkWatcherRG"
    assert store["inputs"]["location"] == log["location"] == region
    # Shared keys are off, so Network Watcher writes as an identity allowed on this account only.
    writer = one(foundation_dev, "azure-native:authorization:RoleAssignment", f"{prefix}-flow-logs-writer")["inputs"]
    identity = one(foundation_dev, "azure-native:managedidentity:UserAssignedIdentity", f"{prefix}-flow-logs-identity")
    assert log["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [identity["id"]]}
    assert writer["scope"] == store["id"]


def test_network_watchers_are_azures_not_the_stacks(foundation_dev: Planned) -> None:
    # Azure makes NetworkWatcher_<region> in NetworkWatcherRG with a region's first VNet; creating
    # either fails where they exist, and destroying them would remove the subscription's.
    assert not [r for r in foundation_dev.resources if r["type"] == "azure-native:network:NetworkWatcher"]
    assert not [
        r
        for r in foundation_dev.resources
        if r["type"] == "azure-native:resources:ResourceGroup"
        and r["inputs"].get("resourceGroupName") == "NetworkWatcherRG"
    ]
    for region in AZURE_REGIONS:
        log = one(foundation_dev, "azure-native:network:FlowLog", f"azure-network-{region}-flow-log")
        vnet = one(foundation_dev, "azure-native:network:VirtualNetwork", f"azure-network-{region}-vnet")
        assert vnet["urn"] in log["dependencies"]  # the watcher exists once the VNet does


def test_outputs_for_waves(foundation_dev: Planned) -> None:
    stack = foundation_dev.resources[0]
    out = stack["outputs"]["foundation"]["azure"]
    assert out["subscription_id"] == example_spec()["clouds"]["azure"]["subscription_id"]
    assert set(out["regions"]) == set(AZURE_REGIONS)
    for region, values in out["regions"].items():
        assert {
            "resource_group",
            "vnet_id",
            "vnet_cidr",
            "subnet_ids",
            "key_vault_id",
            "key_vault_uri",
            "key_id",
            "key_name",
            "key_uri",
            "identity_id",
        } <= set(values)
        dns = {"dns-inbound", "dns-outbound"} if region == HOME else set()
        assert set(values["subnet_ids"]) == {"workload", "data", "apps", "gateway", "firewall", *dns}
        assert values["subnet_ids"]["firewall"].endswith("/subnets/AzureFirewallSubnet")
        assert (
            values["vnet_id"]
            == one(foundation_dev, "azure-native:network:VirtualNetwork", f"azure-network-{region}-vnet")["id"]
        )
        assert values["subnet_ids"]["gateway"].endswith("/subnets/GatewaySubnet")
        assert values["key_vault_uri"].startswith("https://") and values["key_vault_uri"].endswith(".vault.azure.net/")
        assert values["key_id"] == f"{values['key_vault_id']}/keys/{values['key_name']}"
        assert values["key_uri"] == f"{values['key_vault_uri']}keys/{values['key_name']}"
        assert values["vnet_id"].startswith(
            f"/subscriptions/{out['subscription_id']}/resourceGroups/{values['resource_group']}/"
        )
        assert all(isinstance(v, str) and v for v in values.values() if not isinstance(v, dict))
        assert values["log_storage_account_id"].startswith("/subscriptions/")
    assert out["audit"]["storage_account_id"].startswith("/subscriptions/")


# --- conventions -------------------------------------------------------------------------------


def test_parented_under_lz_components_with_the_azure_provider(foundation_dev: Planned) -> None:
    index = foundation_dev.urn_index()
    azure_providers = {r["urn"] for r in foundation_dev.resources if r["type"] == "pulumi:providers:azure-native"}
    assert len(azure_providers) == 1
    for r in scope(foundation_dev):
        assert index[r["parent"]]["type"].startswith("lz:"), r["urn"]
        assert r["provider"].rpartition("::")[0] in azure_providers, r["urn"]


def test_tags_wherever_accepted(foundation_dev: Planned) -> None:
    spec = example_spec()
    expected = labels.standard_tags(spec["tags"], spec["environment"])
    tagged = 0
    for r in scope(foundation_dev):
        if "tags" in sdk_parameters(r["type"]):
            assert r["inputs"].get("tags") == expected, r["urn"]
            tagged += 1
    assert tagged >= 20


def test_located_in_its_region(foundation_dev: Planned) -> None:
    for r in scope(foundation_dev):
        if "location" not in sdk_parameters(r["type"]):
            continue
        owner = foundation_dev.urn_index()[r["parent"]]
        region = name_of(owner).rpartition("-")[2] if owner["type"] in COMPONENTS[:2] else HOME
        assert r["inputs"].get("location") == region, r["urn"]


def test_data_is_protected_in_dev(foundation_dev: Planned) -> None:
    protected = {r["type"] for r in scope(foundation_dev) if r["protect"]}
    assert protected == PROTECTED_TYPES
    assert all(r["protect"] for r in scope(foundation_dev) if r["type"] in PROTECTED_TYPES)


def test_nothing_is_protected_in_a_test_environment(disposable: Planned) -> None:
    resources = scope(disposable)
    assert {r["type"] for r in resources} >= PROTECTED_TYPES
    assert not [r["urn"] for r in resources if r["protect"]]


def test_a_third_region_changes_nothing_that_exists(foundation_dev: Planned, three_regions: Planned) -> None:
    # The variant is Azure alone, so it has no cross-cloud DNS and none of the resolver's subnets.
    before = {r["urn"]: r for r in scope(foundation_dev) if "-snet-dns-" not in r["urn"]}
    after = {r["urn"]: r for r in scope(three_regions)}
    missing = sorted(set(before) - set(after))
    assert not missing, missing
    changed = sorted(urn for urn in before if before[urn]["inputs"] != after[urn]["inputs"])
    assert not changed, changed
    added = Counter(r["type"] for urn, r in after.items() if urn not in before)
    expected: Counter[str] = Counter()
    for per_type in PER_REGION.values():
        expected.update(per_type)
    assert added == expected
    vnet = one(three_regions, "azure-native:network:VirtualNetwork", f"azure-network-{THIRD_REGION}-vnet")
    assert vnet["inputs"]["addressSpace"]["addressPrefixes"] == ["10.50.0.0/16"]
    assert vnet["inputs"]["location"] == THIRD_REGION
