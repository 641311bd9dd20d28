"""Offline stand-ins for what Azure would compute: ids and attributes derived from inputs.

Called by `lz.offline.mocks.DeterministicMocks`. Each function returns `(id, state)` for one resource, the
same every time for the same inputs, shaped like the real value: ARM resource ids with the real
provider namespace and collection (child resources nested under their parent, extension resources
under their scope), vault and key URIs, managed identities' principal and client ids. `call`
answers the data-source invokes the program makes; an invoke it does not know is an error, never a
silent None.

It does not model anything Azure decides at deployment beyond that (provisioning states, etags,
resource GUIDs): nothing in the program or the policies reads them.
"""

from __future__ import annotations

import re
from typing import Any

from lz.offline.mock_outputs.common import split_token, stable_uuid

DEFAULT_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"

# ARM provider namespaces whose spelling `module.title()` gets wrong.
_NAMESPACES = {
    "app": "App",
    "authorization": "Authorization",
    "compute": "Compute",
    "containerservice": "ContainerService",
    "containerregistry": "ContainerRegistry",
    "dbforpostgresql": "DBforPostgreSQL",
    "dbformysql": "DBforMySQL",
    "documentdb": "DocumentDB",
    "keyvault": "KeyVault",
    "managedidentity": "ManagedIdentity",
    "monitor": "Insights",
    "insights": "Insights",
    "network": "Network",
    "operationalinsights": "OperationalInsights",
    "privatedns": "Network",
    "resources": "Resources",
    "sql": "Sql",
    "storage": "Storage",
    "cosmosdb": "DocumentDB",
    "dns": "Network",
    "cognitiveservices": "CognitiveServices",
    "machinelearningservices": "MachineLearningServices",
    "datafactory": "DataFactory",
}

# Resource group-scoped paths below `providers/<namespace>/`, for kinds whose collection or parent
# the generic rule (`<kind>s/<name>`) would get wrong. `{x}` is the resource's input `x`.
_PATHS = {
    ("network", "Subnet"): "virtualNetworks/{virtualNetworkName}/subnets/{_name}",
    ("network", "VirtualNetworkPeering"): "virtualNetworks/{virtualNetworkName}/virtualNetworkPeerings/{_name}",
    ("network", "SecurityRule"): "networkSecurityGroups/{networkSecurityGroupName}/securityRules/{_name}",
    ("network", "FlowLog"): "networkWatchers/{networkWatcherName}/flowLogs/{_name}",
    ("network", "Route"): "routeTables/{routeTableName}/routes/{_name}",
    ("keyvault", "Key"): "vaults/{vaultName}/keys/{_name}",
    ("keyvault", "Secret"): "vaults/{vaultName}/secrets/{_name}",
    ("managedidentity", "UserAssignedIdentity"): "userAssignedIdentities/{_name}",
    (
        "managedidentity",
        "FederatedIdentityCredential",
    ): "userAssignedIdentities/{resourceName}/federatedIdentityCredentials/{_name}",
    ("storage", "BlobServiceProperties"): "storageAccounts/{accountName}/blobServices/default",
    ("storage", "BlobContainer"): "storageAccounts/{accountName}/blobServices/default/containers/{_name}",
    ("storage", "ManagementPolicy"): "storageAccounts/{accountName}/managementPolicies/default",
    (
        "storage",
        "BlobContainerImmutabilityPolicy",
    ): "storageAccounts/{accountName}/blobServices/default/containers/{containerName}/immutabilityPolicies/default",
    ("containerservice", "AgentPool"): "managedClusters/{resourceName}/agentPools/{_name}",
}

# The input that names a resource when it is not `<kind>Name`.
_AZURE_NAME_KEYS = {
    "StorageAccount": "accountName",
    "ManagedCluster": "resourceName",
    "BlobContainer": "containerName",
    "Workspace": "workspaceName",
    "UserAssignedIdentity": "resourceName",
    "AgentPool": "agentPoolName",
    "BlobServiceProperties": "blobServicesName",
    "SecurityRule": "securityRuleName",
    "VirtualNetworkPeering": "virtualNetworkPeeringName",
    "FederatedIdentityCredential": "federatedIdentityCredentialResourceName",
}


def outputs(token: str, name: str, inputs: dict, provider: dict) -> tuple[str, dict]:
    _, module, kind = split_token(token)
    sub = provider.get("subscriptionId") or DEFAULT_SUBSCRIPTION
    physical = _azure_name(kind, inputs) or name
    rid = _resource_id(module, kind, physical, inputs, sub)
    state: dict[str, Any] = {**inputs, "name": physical}
    if isinstance(inputs.get("identity"), dict):
        state["identity"] = _identity_state(inputs["identity"], token, name, provider, sub)
    if module == "keyvault" and kind == "Vault":
        props = dict(inputs.get("properties") or {})
        props["vaultUri"] = f"https://{physical}.vault.azure.net/"
        state["properties"] = props
    elif module == "keyvault" and kind == "Key":
        base = f"https://{inputs.get('vaultName', 'vault')}.vault.azure.net/keys/{physical}"
        state["keyUri"] = base
        state["keyUriWithVersion"] = f"{base}/{stable_uuid(token, name).replace('-', '')}"
    elif module == "managedidentity" and kind == "UserAssignedIdentity":
        # Keyed by the resource id, as consumers' identity maps are (see `_identity_state`).
        state["principalId"] = stable_uuid("principal", rid)
        state["clientId"] = stable_uuid("client", rid)
        state["tenantId"] = provider.get("tenantId") or stable_uuid("tenant", sub)
    elif module == "storage" and kind == "StorageAccount":
        state["primaryEndpoints"] = {
            svc: f"https://{physical}.{svc}.core.windows.net/"
            for svc in ("blob", "dfs", "file", "queue", "table", "web")
        }
    return rid, state


def _identity_state(identity: dict, token: str, name: str, provider: dict, sub: str) -> dict:
    """ARM takes user-assigned identities as a list of ids and answers with a map of id -> ids."""
    state = dict(identity)
    assigned = identity.get("userAssignedIdentities")
    if isinstance(assigned, list):
        state["userAssignedIdentities"] = {
            str(rid): {"principalId": stable_uuid("principal", str(rid)), "clientId": stable_uuid("client", str(rid))}
            for rid in assigned
        }
    if "SystemAssigned" in str(identity.get("type", "")):
        state["principalId"] = stable_uuid("system-principal", token, name)
        state["tenantId"] = provider.get("tenantId") or stable_uuid("tenant", sub)
    return state


def _resource_id(module: str, kind: str, physical: str, inputs: dict, sub: str) -> str:
    namespace = "Microsoft." + _NAMESPACES.get(module, module.title())
    if kind == "ResourceGroup":
        return f"/subscriptions/{sub}/resourceGroups/{physical}"
    if module == "authorization" and kind == "RoleAssignment":
        scope = inputs.get("scope") or f"/subscriptions/{sub}"
        return f"{scope.rstrip('/')}/providers/Microsoft.Authorization/roleAssignments/{physical}"
    if module in ("monitor", "insights") and kind == "SubscriptionDiagnosticSetting":
        return f"/subscriptions/{sub}/providers/microsoft.insights/diagnosticSettings/{physical}"
    if module in ("monitor", "insights") and kind == "DiagnosticSetting":
        scope = inputs.get("resourceUri") or f"/subscriptions/{sub}"
        return f"{scope.rstrip('/')}/providers/microsoft.insights/diagnosticSettings/{physical}"
    template = _PATHS.get((module, kind)) or f"{kind[0].lower() + kind[1:]}s/{{_name}}"
    values = {k: str(v) for k, v in inputs.items() if isinstance(v, str | int)} | {"_name": physical}
    path = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(1)), template)
    rg = inputs.get("resourceGroupName")
    if rg:
        return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{namespace}/{path}"
    return f"/subscriptions/{sub}/providers/{namespace}/{path}"


# --- invokes -----------------------------------------------------------------------------


def call(token: str, args: dict[str, Any], provider: dict[str, Any]) -> dict[str, Any] | None:
    if token == "azure-native:authorization:getClientConfig":
        sub = provider.get("subscriptionId") or DEFAULT_SUBSCRIPTION
        return {
            "clientId": stable_uuid("client", sub),
            "objectId": stable_uuid("object", sub),
            "subscriptionId": sub,
            "tenantId": provider.get("tenantId") or stable_uuid("tenant", sub),
        }
    return None


def _azure_name(kind: str, inputs: dict) -> str | None:
    """The input that names an azure-native resource: `<kind>Name`, or the module's exception."""
    for key in (_AZURE_NAME_KEYS.get(kind), kind[0].lower() + kind[1:] + "Name", "name"):
        if key and isinstance(inputs.get(key), str):
            return str(inputs[key])
    return None
