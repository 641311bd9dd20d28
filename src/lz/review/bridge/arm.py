"""azure-native resources as an ARM deployment template, for checkov's `arm` framework.

azure-native is generated from the Azure REST API specs, so every resource is an ARM resource with
a type (`Microsoft.Storage/storageAccounts`) and an API version. This module writes each one the way
an ARM template declares it: `type`, `apiVersion` (the version azure-native 3.x calls, read from the
SDK's own docstring), `name` (`parent/child` for child resources), `location`, `tags`, `sku`, `kind`,
`identity`, `zones` at the top and everything else under `properties`, because azure-native
flattens `properties` into top-level inputs for most types and checkov reads the ARM shape.

Undone on the way back:
- path parameters (`resourceGroupName`, the parent's and the resource's own `...Name`) become the
  ARM name instead of properties;
- sub-resources held in lists (a security group's `securityRules`, a network's `subnets`, a
  subnet's `delegations`) get their own `name` + `properties` nesting again;
- the few property names azure-native took from the specs' client names rather than the wire
  (`enableHttpsTrafficOnly` is `supportsHttpsTrafficOnly`, `networkRuleSet` is `networkAcls`, ...);
- user-assigned identities, a list in azure-native, are the ARM object keyed by identity id.

Which types are mapped is the table `ARM_TYPES`; a type not in it is left out unless the graph
carries its real ARM resource id (a `pulumi stack export`), which names the type. `unmapped` lists
what was left out. Nothing here judges a resource.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from lz.core.graph import Resource
from lz.review.bridge import sdk_class

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
CONTENT_VERSION = "1.0.0.0"
PACKAGE = "azure-native"

TOP_LEVEL = ("location", "tags", "sku", "kind", "identity", "zones", "plan", "extendedLocation", "scope")


@dataclass(frozen=True)
class ArmType:
    """How one azure-native type is written in ARM."""

    type: str
    name_key: str
    parents: tuple[str, ...] = ()  # input keys naming the parents, outermost first; "=x" is the literal x
    subresources: tuple[str, ...] = ()  # list-valued inputs whose items are ARM sub-resources
    renames: dict[str, str] = field(default_factory=dict)  # dotted azure-native path -> ARM name
    default_name: str = ""  # singleton children (`blobServices/default`)
    type_keys: tuple[str, ...] = ()  # inputs that complete the type (`{recordType}`), not properties

    def arm_type(self, inputs: dict[str, Any]) -> str:
        return self.type.format(**{k: str(inputs.get(k) or k) for k in self.type_keys}) if self.type_keys else self.type


_STORAGE_RENAMES = {
    "enableHttpsTrafficOnly": "supportsHttpsTrafficOnly",
    "networkRuleSet": "networkAcls",
    "encryption.keyVaultProperties": "keyvaultproperties",
    "encryption.keyVaultProperties.keyName": "keyname",
    "encryption.keyVaultProperties.keyVersion": "keyversion",
    "encryption.keyVaultProperties.keyVaultUri": "keyvaulturi",
    "encryption.encryptionIdentity": "identity",
    "encryption.encryptionIdentity.encryptionUserAssignedIdentity": "userAssignedIdentity",
    "encryption.encryptionIdentity.encryptionFederatedIdentityClientId": "federatedIdentityClientId",
}

ARM_TYPES: dict[str, ArmType] = {
    "azure-native:resources:ResourceGroup": ArmType("Microsoft.Resources/resourceGroups", "resourceGroupName"),
    "azure-native:managedidentity:UserAssignedIdentity": ArmType(
        "Microsoft.ManagedIdentity/userAssignedIdentities", "resourceName"
    ),
    "azure-native:managedidentity:FederatedIdentityCredential": ArmType(
        "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
        "federatedIdentityCredentialResourceName",
        ("resourceName",),
    ),
    "azure-native:authorization:RoleAssignment": ArmType(
        "Microsoft.Authorization/roleAssignments", "roleAssignmentName"
    ),
    "azure-native:authorization:RoleDefinition": ArmType("Microsoft.Authorization/roleDefinitions", "roleDefinitionId"),
    "azure-native:features:SubscriptionFeatureRegistration": ArmType(
        "Microsoft.Features/featureProviders/subscriptionFeatureRegistrations", "featureName", ("providerNamespace",)
    ),
    "azure-native:keyvault:Vault": ArmType("Microsoft.KeyVault/vaults", "vaultName"),
    "azure-native:keyvault:Key": ArmType("Microsoft.KeyVault/vaults/keys", "keyName", ("vaultName",)),
    "azure-native:keyvault:Secret": ArmType("Microsoft.KeyVault/vaults/secrets", "secretName", ("vaultName",)),
    "azure-native:storage:StorageAccount": ArmType(
        "Microsoft.Storage/storageAccounts", "accountName", renames=_STORAGE_RENAMES
    ),
    "azure-native:storage:BlobServiceProperties": ArmType(
        "Microsoft.Storage/storageAccounts/blobServices", "blobServicesName", ("accountName",), default_name="default"
    ),
    "azure-native:storage:BlobContainer": ArmType(
        "Microsoft.Storage/storageAccounts/blobServices/containers", "containerName", ("accountName", "=default")
    ),
    "azure-native:storage:ManagementPolicy": ArmType(
        "Microsoft.Storage/storageAccounts/managementPolicies",
        "managementPolicyName",
        ("accountName",),
        default_name="default",
    ),
    "azure-native:network:VirtualNetwork": ArmType(
        "Microsoft.Network/virtualNetworks",
        "virtualNetworkName",
        subresources=("subnets", "delegations", "virtualNetworkPeerings"),
    ),
    "azure-native:network:Subnet": ArmType(
        "Microsoft.Network/virtualNetworks/subnets",
        "subnetName",
        ("virtualNetworkName",),
        subresources=("delegations",),
    ),
    "azure-native:network:VirtualNetworkPeering": ArmType(
        "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "virtualNetworkPeeringName", ("virtualNetworkName",)
    ),
    "azure-native:network:NetworkSecurityGroup": ArmType(
        "Microsoft.Network/networkSecurityGroups", "networkSecurityGroupName", subresources=("securityRules",)
    ),
    "azure-native:network:SecurityRule": ArmType(
        "Microsoft.Network/networkSecurityGroups/securityRules", "securityRuleName", ("networkSecurityGroupName",)
    ),
    "azure-native:network:RouteTable": ArmType(
        "Microsoft.Network/routeTables", "routeTableName", subresources=("routes",)
    ),
    "azure-native:network:Route": ArmType("Microsoft.Network/routeTables/routes", "routeName", ("routeTableName",)),
    "azure-native:network:NetworkWatcher": ArmType("Microsoft.Network/networkWatchers", "networkWatcherName"),
    "azure-native:network:FlowLog": ArmType(
        "Microsoft.Network/networkWatchers/flowLogs", "flowLogName", ("networkWatcherName",)
    ),
    "azure-native:network:PublicIPAddress": ArmType("Microsoft.Network/publicIPAddresses", "publicIpAddressName"),
    "azure-native:network:NatGateway": ArmType("Microsoft.Network/natGateways", "natGatewayName"),
    "azure-native:network:VirtualNetworkGateway": ArmType(
        "Microsoft.Network/virtualNetworkGateways", "virtualNetworkGatewayName", subresources=("ipConfigurations",)
    ),
    "azure-native:network:LocalNetworkGateway": ArmType(
        "Microsoft.Network/localNetworkGateways", "localNetworkGatewayName"
    ),
    "azure-native:network:VirtualNetworkGatewayConnection": ArmType(
        "Microsoft.Network/connections", "virtualNetworkGatewayConnectionName"
    ),
    "azure-native:network:PrivateEndpoint": ArmType(
        "Microsoft.Network/privateEndpoints",
        "privateEndpointName",
        subresources=("privateLinkServiceConnections", "manualPrivateLinkServiceConnections"),
    ),
    "azure-native:network:AzureFirewall": ArmType("Microsoft.Network/azureFirewalls", "azureFirewallName"),
    "azure-native:network:FirewallPolicy": ArmType("Microsoft.Network/firewallPolicies", "firewallPolicyName"),
    "azure-native:network:FirewallPolicyRuleCollectionGroup": ArmType(
        "Microsoft.Network/firewallPolicies/ruleCollectionGroups", "ruleCollectionGroupName", ("firewallPolicyName",)
    ),
    "azure-native:network:PrivateDnsZoneGroup": ArmType(
        "Microsoft.Network/privateEndpoints/privateDnsZoneGroups", "privateDnsZoneGroupName", ("privateEndpointName",)
    ),
    "azure-native:dnsresolver:DnsResolver": ArmType("Microsoft.Network/dnsResolvers", "dnsResolverName"),
    "azure-native:dnsresolver:InboundEndpoint": ArmType(
        "Microsoft.Network/dnsResolvers/inboundEndpoints", "inboundEndpointName", ("dnsResolverName",)
    ),
    "azure-native:dnsresolver:OutboundEndpoint": ArmType(
        "Microsoft.Network/dnsResolvers/outboundEndpoints", "outboundEndpointName", ("dnsResolverName",)
    ),
    "azure-native:dnsresolver:DnsForwardingRuleset": ArmType(
        "Microsoft.Network/dnsForwardingRulesets", "dnsForwardingRulesetName"
    ),
    "azure-native:dnsresolver:ForwardingRule": ArmType(
        "Microsoft.Network/dnsForwardingRulesets/forwardingRules", "forwardingRuleName", ("dnsForwardingRulesetName",)
    ),
    "azure-native:dnsresolver:PrivateResolverVirtualNetworkLink": ArmType(
        "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks",
        "virtualNetworkLinkName",
        ("dnsForwardingRulesetName",),
    ),
    "azure-native:network:DdosProtectionPlan": ArmType(
        "Microsoft.Network/ddosProtectionPlans", "ddosProtectionPlanName"
    ),
    "azure-native:privatedns:PrivateZone": ArmType("Microsoft.Network/privateDnsZones", "privateZoneName"),
    "azure-native:privatedns:VirtualNetworkLink": ArmType(
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "virtualNetworkLinkName", ("privateZoneName",)
    ),
    "azure-native:monitor:SubscriptionDiagnosticSetting": ArmType("Microsoft.Insights/diagnosticSettings", "name"),
    "azure-native:monitor:DiagnosticSetting": ArmType("Microsoft.Insights/diagnosticSettings", "name"),
    "azure-native:monitor:PrivateLinkScope": ArmType("Microsoft.Insights/privateLinkScopes", "scopeName"),
    "azure-native:monitor:PrivateLinkScopedResource": ArmType(
        "Microsoft.Insights/privateLinkScopes/scopedResources", "name", ("scopeName",)
    ),
    "azure-native:monitor:DataCollectionRule": ArmType(
        "Microsoft.Insights/dataCollectionRules", "dataCollectionRuleName"
    ),
    "azure-native:applicationinsights:Component": ArmType("Microsoft.Insights/components", "resourceName"),
    "azure-native:operationalinsights:Workspace": ArmType("Microsoft.OperationalInsights/workspaces", "workspaceName"),
    "azure-native:containerservice:ManagedCluster": ArmType(
        "Microsoft.ContainerService/managedClusters", "resourceName"
    ),
    "azure-native:containerservice:AgentPool": ArmType(
        "Microsoft.ContainerService/managedClusters/agentPools", "agentPoolName", ("resourceName",)
    ),
    "azure-native:containerregistry:Registry": ArmType("Microsoft.ContainerRegistry/registries", "registryName"),
    "azure-native:containerregistry:CacheRule": ArmType(
        "Microsoft.ContainerRegistry/registries/cacheRules", "cacheRuleName", ("registryName",)
    ),
    "azure-native:compute:Disk": ArmType("Microsoft.Compute/disks", "diskName"),
    "azure-native:compute:DiskEncryptionSet": ArmType("Microsoft.Compute/diskEncryptionSets", "diskEncryptionSetName"),
    "azure-native:compute:VirtualMachine": ArmType("Microsoft.Compute/virtualMachines", "vmName"),
    "azure-native:compute:VirtualMachineScaleSet": ArmType(
        "Microsoft.Compute/virtualMachineScaleSets", "vmScaleSetName"
    ),
    "azure-native:sql:Server": ArmType("Microsoft.Sql/servers", "serverName"),
    "azure-native:sql:Database": ArmType("Microsoft.Sql/servers/databases", "databaseName", ("serverName",)),
    "azure-native:dbforpostgresql:Server": ArmType("Microsoft.DBforPostgreSQL/flexibleServers", "serverName"),
    "azure-native:dbformysql:Server": ArmType("Microsoft.DBforMySQL/flexibleServers", "serverName"),
    "azure-native:cosmosdb:DatabaseAccount": ArmType("Microsoft.DocumentDB/databaseAccounts", "accountName"),
    "azure-native:redis:Redis": ArmType("Microsoft.Cache/redis", "name"),
    "azure-native:eventhub:Namespace": ArmType("Microsoft.EventHub/namespaces", "namespaceName"),
    "azure-native:servicebus:Namespace": ArmType("Microsoft.ServiceBus/namespaces", "namespaceName"),
    "azure-native:eventgrid:Topic": ArmType("Microsoft.EventGrid/topics", "topicName"),
    "azure-native:datafactory:Factory": ArmType("Microsoft.DataFactory/factories", "factoryName"),
    "azure-native:synapse:Workspace": ArmType("Microsoft.Synapse/workspaces", "workspaceName"),
    "azure-native:databricks:Workspace": ArmType("Microsoft.Databricks/workspaces", "workspaceName"),
    "azure-native:machinelearningservices:Workspace": ArmType(
        "Microsoft.MachineLearningServices/workspaces", "workspaceName"
    ),
    "azure-native:cognitiveservices:Account": ArmType("Microsoft.CognitiveServices/accounts", "accountName"),
    "azure-native:web:AppServicePlan": ArmType("Microsoft.Web/serverfarms", "name"),
    "azure-native:web:WebApp": ArmType("Microsoft.Web/sites", "name"),
    "azure-native:recoveryservices:Vault": ArmType("Microsoft.RecoveryServices/vaults", "vaultName"),
    "azure-native:dataprotection:BackupVault": ArmType("Microsoft.DataProtection/backupVaults", "vaultName"),
    "azure-native:security:Pricing": ArmType("Microsoft.Security/pricings", "pricingName"),
    "azure-native:app:ManagedEnvironment": ArmType("Microsoft.App/managedEnvironments", "environmentName"),
    "azure-native:app:ContainerApp": ArmType("Microsoft.App/containerApps", "containerAppName"),
    "azure-native:monitor:ScheduledQueryRule": ArmType("Microsoft.Insights/scheduledQueryRules", "ruleName"),
    "azure-native:network:ExpressRouteCircuit": ArmType(
        "Microsoft.Network/expressRouteCircuits", "circuitName", subresources=("peerings", "authorizations")
    ),
    # The record type is part of the ARM type: `Microsoft.Network/dnsZones/A`.
    "azure-native:dns:RecordSet": ArmType(
        "Microsoft.Network/dnsZones/{recordType}", "relativeRecordSetName", ("zoneName",), type_keys=("recordType",)
    ),
    "azure-native:dns:Zone": ArmType("Microsoft.Network/dnsZones", "zoneName"),
}

# Inputs that address a resource (where it lives), never its properties.
_PATH_KEYS = frozenset({"resourceGroupName", "subscriptionId"})
_API_VERSION = re.compile(r"Uses Azure REST API version (\d{4}-\d{2}-\d{2}(?:-preview)?)")
_PROVIDER_SEGMENT = re.compile(r"/providers/(Microsoft\.[A-Za-z]+)/(.+)$", re.I)


@functools.cache
def api_version(token: str) -> str | None:
    """The REST API version azure-native calls for this type, as its SDK documents it."""
    cls = sdk_class(token)
    match = _API_VERSION.search(cls.text) if cls is not None else None
    return match.group(1) if match else None


def _from_resource_id(rid: str) -> tuple[str, str] | None:
    """A real ARM id names type and name: `.../providers/Microsoft.X/a/n1/b/n2` -> (`Microsoft.X/a/b`, `n1/n2`)."""
    match = _PROVIDER_SEGMENT.search(rid)
    if not match:
        return None
    parts = match.group(2).split("/")
    if len(parts) % 2:
        return None
    return f"{match.group(1)}/" + "/".join(parts[0::2]), "/".join(parts[1::2])


def _rename(value: Any, renames: dict[str, str], path: str = "") -> Any:
    if isinstance(value, dict):
        out = {}
        for key in sorted(value):
            here = f"{path}.{key}" if path else key
            out[renames.get(here, key)] = _rename(value[key], renames, here)
        return out
    if isinstance(value, list):
        return [_rename(v, renames, path) for v in value]
    return value


def _nest_subresources(value: Any, keys: tuple[str, ...]) -> Any:
    """`[{name, protocol, ...}]` -> `[{name, properties: {protocol, ...}}]` for ARM sub-resource lists."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in keys and isinstance(item, list):
                out[key] = [_as_subresource(v, keys) if isinstance(v, dict) else v for v in item]
            else:
                out[key] = _nest_subresources(item, keys)
        return out
    if isinstance(value, list):
        return [_nest_subresources(v, keys) for v in value]
    return value


def _as_subresource(item: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    props = _nest_subresources({k: v for k, v in item.items() if k not in ("id", "name", "type", "etag")}, keys)
    if isinstance(item.get("properties"), dict):
        props = {**props.pop("properties"), **props}
    head: dict[str, Any] = {k: item[k] for k in ("id", "name", "type") if k in item}
    return {**head, "properties": props}


def _identity(value: Any) -> Any:
    if isinstance(value, dict) and isinstance(value.get("userAssignedIdentities"), list):
        return {**value, "userAssignedIdentities": {str(i): {} for i in value["userAssignedIdentities"]}}
    return value


def _body_identity(key: str, value: Any) -> bool:
    """azure-native also accepts the body's own `id`, `name` and resource `type`; ARM has them outside `properties`."""
    return key in ("id", "name") or (key == "type" and isinstance(value, str) and value.startswith("Microsoft."))


def _name(r: Resource, spec: ArmType) -> str:
    own = r.inputs.get(spec.name_key)
    name = own if isinstance(own, str) and own else (spec.default_name or r.name)
    parents = [p[1:] if p.startswith("=") else str(r.inputs.get(p) or p) for p in spec.parents]
    return "/".join([*parents, name])


def to_arm_resource(r: Resource, spec: ArmType | None = None) -> dict[str, Any] | None:
    """One azure-native resource as an ARM template resource, or None for a type not mapped."""
    spec = spec or ARM_TYPES.get(r.type)
    arm_type: str | None
    if spec is not None:
        arm_type, name = spec.arm_type(r.inputs), _name(r, spec)
        skip = {spec.name_key, *(p for p in spec.parents if not p.startswith("=")), *spec.type_keys, *_PATH_KEYS}
        renames, subresources = spec.renames, spec.subresources
    else:
        derived = _from_resource_id(r.id) if r.id else None
        if derived is None:
            return None
        arm_type, name = derived
        # Without the table, path inputs are told apart by their value: they are parts of the id.
        id_parts = set(r.id.split("/"))
        skip = {k for k, v in r.inputs.items() if k.endswith("Name") and isinstance(v, str) and v in id_parts}
        skip |= _PATH_KEYS
        renames, subresources = {}, ()
    kept = {k: v for k, v in r.inputs.items() if k not in skip and v is not None and not _body_identity(k, v)}
    inputs = _rename(kept, renames)
    out: dict[str, Any] = {"type": arm_type, "apiVersion": api_version(r.type) or "", "name": name}
    properties: dict[str, Any] = {}
    for key in sorted(inputs):
        value = inputs[key]
        if key == "identity":
            out["identity"] = _identity(value)
        elif key in TOP_LEVEL:
            out[key] = value
        elif key == "properties" and isinstance(value, dict):
            properties.update(value)
        else:
            properties[key] = value
    out["properties"] = _nest_subresources(properties, subresources) if subresources else properties
    return out


def to_arm(resources: list[Resource]) -> tuple[dict[str, Any], dict[str, str]]:
    """An ARM template of every azure-native resource, and `<ARM type>/<ARM name>` -> Pulumi URN.

    The key is what checkov reports as the resource of an ARM finding.
    """
    items: list[tuple[str, dict[str, Any], str]] = []
    for r in sorted(resources, key=lambda x: x.urn):
        if not r.custom or r.package != PACKAGE:
            continue
        arm = to_arm_resource(r)
        if arm is None:
            continue
        items.append((f"{arm['type']}.{arm['name']}", arm, r.urn))
    names: dict[str, str] = {}
    template_resources = []
    for key, arm, urn in items:
        if key in names:  # two Pulumi resources for one ARM resource (e.g. a rule inline and standalone)
            arm["name"] = f"{arm['name']}-{hashlib.sha256(urn.encode()).hexdigest()[:8]}"
            key = f"{arm['type']}.{arm['name']}"
        names[key] = urn
        template_resources.append(arm)
    template = {
        "$schema": SCHEMA,
        "contentVersion": CONTENT_VERSION,
        "metadata": {"generator": "landing-zone lz.review.bridge.arm"},
        "resources": template_resources,
    }
    return template, names


def unmapped(resources: list[Resource]) -> list[str]:
    """azure-native type tokens in the graph that were left out of the template."""
    return sorted(
        {
            r.type
            for r in resources
            if r.custom and r.package == PACKAGE and r.type not in ARM_TYPES and not (r.id and _from_resource_id(r.id))
        }
    )
