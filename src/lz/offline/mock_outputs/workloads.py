"""Offline stand-ins for computed attributes of the GPU cluster and telemetry resources.

`outputs(token, name, inputs, provider)` answers for the types the gpu and telemetry stages read
back (a launch template's version, cluster endpoints, an SSM parameter's ARN, a Cloud Run URI, a
Container Apps domain, an Application Insights connection string) and returns None for every other
type, so the caller falls through to the per-cloud modules. It starts from the per-cloud module's
answer (same id, same base state) and adds the attributes that module does not model, derived from
the resource's own inputs and name the same way every time. None of it claims anything was deployed.

What it does not do: model anything nothing reads, or validate inputs.
"""

from __future__ import annotations

import base64
import ipaddress
from typing import Any

from lz.offline.mock_outputs import aws, azure, gcp
from lz.offline.mock_outputs.common import MOCK_ACCOUNT, first, stable_uuid


def _hex(n: int, *parts: str) -> str:
    return (stable_uuid(*parts).replace("-", "") * 2)[:n]


def outputs(token: str, name: str, inputs: dict[str, Any], provider: dict[str, Any]) -> tuple[str, dict] | None:
    handler = _HANDLERS.get(token)
    return handler(token, name, dict(inputs), provider) if handler else None


def _launch_template(token: str, name: str, inputs: dict, provider: dict) -> tuple[str, dict]:
    rid, state = aws.outputs(token, name, inputs, provider)
    return rid, {**state, "latestVersion": 1, "defaultVersion": 1}


def _eks_cluster(token: str, name: str, inputs: dict, provider: dict) -> tuple[str, dict]:
    _, state = aws.outputs(token, name, inputs, provider)
    region = inputs.get("region") or provider.get("region") or "us-east-1"
    ident = _hex(32, token, name).upper()
    vpc = dict(inputs.get("vpcConfig") or {})
    vpc["clusterSecurityGroupId"] = f"sg-{_hex(17, 'eks-cluster-sg', token, name)}"
    physical = str(inputs.get("name") or name)
    account = first(provider.get("allowedAccountIds")) or MOCK_ACCOUNT
    return physical, {
        **state,
        "arn": f"arn:aws:eks:{region}:{account}:cluster/{physical}",
        "vpcConfig": vpc,
        "endpoint": f"https://{ident}.gr7.{region}.eks.amazonaws.com",
        "certificateAuthority": {"data": base64.b64encode(f"offline stand-in CA of {physical}".encode()).decode()},
        "identities": [{"oidcs": [{"issuer": f"https://oidc.eks.{region}.amazonaws.com/id/{ident}"}]}],
        "status": "ACTIVE",
    }


def _ssm_parameter(token: str, name: str, inputs: dict, provider: dict) -> tuple[str, dict]:
    _, state = aws.outputs(token, name, inputs, provider)
    region = inputs.get("region") or provider.get("region") or "us-east-1"
    account = first(provider.get("allowedAccountIds")) or MOCK_ACCOUNT
    physical = str(inputs.get("name") or name)
    # A hierarchical name starts with "/", which the ARN keeps after "parameter".
    path = physical if physical.startswith("/") else f"/{physical}"
    return physical, {**state, "arn": f"arn:aws:ssm:{region}:{account}:parameter{path}", "version": 1}


def _gke_cluster(token: str, name: str, inputs: dict, provider: dict) -> tuple[str, dict]:
    rid, state = gcp.outputs(token, name, inputs, provider)
    master = (inputs.get("privateClusterConfig") or {}).get("masterIpv4CidrBlock")
    try:
        endpoint = str(ipaddress.IPv4Network(str(master)).network_address + 2)  # GKE's private endpoint
    except ValueError:
        endpoint = None
    return rid, {
        **state,
        "endpoint": endpoint,
        "masterAuth": {"clusterCaCertificate": base64.b64encode(f"offline stand-in CA of {name}".encode()).decode()},
    }


def _cloud_run(token: str, name: str, inputs: dict, provider: dict) -> tuple[str, dict]:
    rid, state = gcp.outputs(token, name, inputs, provider)
    project = inputs.get("project") or provider.get("project") or "mock-project"
    info = gcp.call("gcp:organizations/getProject:getProject", {"project": project}, provider) or {}
    uri = f"https://{inputs.get('name', name)}-{info.get('number', '0')}.{inputs.get('location')}.run.app"
    return rid, {**state, "uri": uri, "urls": [uri]}


def _domain(environment_id: str, location: str) -> str:
    return f"{_hex(10, 'cae', environment_id)}.{location}.azurecontainerapps.io"


def _container_env(token: str, name: str, inputs: dict, provider: dict) -> tuple[str, dict]:
    rid, state = azure.outputs(token, name, inputs, provider)
    return rid, {**state, "defaultDomain": _domain(rid, str(inputs.get("location")))}


def _container_app(token: str, name: str, inputs: dict, provider: dict) -> tuple[str, dict]:
    rid, state = azure.outputs(token, name, inputs, provider)
    env = str(inputs.get("managedEnvironmentId") or "")
    app = str(inputs.get("containerAppName") or name)
    fqdn = f"{app}.internal.{_domain(env, str(inputs.get('location')))}"
    return rid, {**state, "latestRevisionFqdn": fqdn}


def _aks(token: str, name: str, inputs: dict, provider: dict) -> tuple[str, dict]:
    rid, state = azure.outputs(token, name, inputs, provider)
    prefix = inputs.get("dnsPrefix") or name
    zone = f"{stable_uuid('aks-zone', rid)}.privatelink.{inputs.get('location')}.azmk8s.io"
    fqdn = f"{prefix}-{_hex(8, 'aks', rid)}.{zone}"
    # AKS makes the kubelet's identity itself (in the node resource group) and reports it here.
    kubelet = {
        "objectId": stable_uuid("aks-kubelet-object", rid),
        "clientId": stable_uuid("aks-kubelet-client", rid),
        "resourceId": f"/subscriptions/{rid.split('/')[2]}/resourceGroups/{inputs.get('nodeResourceGroup')}"
        f"/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{prefix}-agentpool",
    }
    return rid, {**state, "privateFQDN": fqdn, "identityProfile": {"kubeletidentity": kubelet}}


def _app_insights(token: str, name: str, inputs: dict, provider: dict) -> tuple[str, dict]:
    rid, state = azure.outputs(token, name, inputs, provider)
    key = stable_uuid("instrumentation-key", rid)
    location = inputs.get("location")
    return rid, {
        **state,
        "instrumentationKey": key,
        "connectionString": f"InstrumentationKey={key};IngestionEndpoint=https://{location}-0.in.applicationinsights.azure.com/",
    }


_HANDLERS = {
    "aws:ec2/launchTemplate:LaunchTemplate": _launch_template,
    "aws:eks/cluster:Cluster": _eks_cluster,
    "aws:ssm/parameter:Parameter": _ssm_parameter,
    "gcp:container/cluster:Cluster": _gke_cluster,
    "gcp:cloudrunv2/service:Service": _cloud_run,
    "azure-native:app:ManagedEnvironment": _container_env,
    "azure-native:app:ContainerApp": _container_app,
    "azure-native:containerservice:ManagedCluster": _aks,
    "azure-native:applicationinsights:Component": _app_insights,
}
