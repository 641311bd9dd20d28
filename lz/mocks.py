"""Deterministic stand-ins for what the clouds would compute.

Under `pulumi up` the providers return ids, ARNs and endpoints. Offline there is no provider, so
`DeterministicMocks` derives them from the resource's own inputs, its provider's settings and its
name, the same way every time: the same config gives the same graph, byte for byte. Each value is
shaped like the real one (an ARN, an Azure resource id, a GCP self link) so the program and the
policies handle it as they would a real one; none of them claims that anything was deployed.
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs, Mocks

if TYPE_CHECKING:
    from .synth import RecordingMonitor

_NS = uuid.UUID("6f1c1f2e-9a55-4d5e-8f0c-4c2b7d1e0a11")
_MOCK_ACCOUNT = "000000000000"


def stable_uuid(*parts: str) -> str:
    return str(uuid.uuid5(_NS, "/".join(parts)))


def _snake_to_camel_type(token: str) -> tuple[str, str, str]:
    """`aws:s3/bucket:Bucket` -> ("aws", "s3", "Bucket")."""
    pkg, mod, kind = (token.split(":") + ["", ""])[:3]
    return pkg, mod.split("/")[0], kind


class DeterministicMocks(Mocks):
    def __init__(self, project: str, stack: str, stack_references: dict[str, dict[str, Any]]) -> None:
        self.project = project
        self.stack = stack
        self.stack_references = stack_references
        self.monitor: RecordingMonitor | None = None

    def attach(self, monitor: RecordingMonitor) -> None:
        self.monitor = monitor

    # --- resources ---------------------------------------------------------------------------
    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict]:
        token = args.typ
        inputs = dict(args.inputs)
        if token == "pulumi:pulumi:StackReference":
            ref = inputs.get("name", args.name)
            outputs = self.stack_references.get(ref)
            if outputs is None:
                raise KeyError(f"stack reference {ref!r} has no synthesized outputs")
            return ref, {"name": ref, "outputs": outputs, "secretOutputNames": []}
        if token.startswith("pulumi:providers:"):
            return stable_uuid(self.project, self.stack, token, args.name), inputs
        provider = self.monitor.provider_inputs(args.provider) if self.monitor else {}
        pkg = token.split(":")[0]
        if pkg == "aws":
            return self._aws(token, args.name, inputs, provider)
        if pkg == "gcp":
            return self._gcp(token, args.name, inputs, provider)
        if pkg == "azure-native":
            return self._azure(token, args.name, inputs, provider)
        return f"{args.name}-id", inputs

    def _aws(self, token: str, name: str, inputs: dict, provider: dict) -> tuple[str, dict]:
        _, service, kind = _snake_to_camel_type(token)
        region = inputs.get("region") or provider.get("region") or "us-east-1"
        account = _first(provider.get("allowedAccountIds")) or _MOCK_ACCOUNT
        physical = inputs.get("name") or inputs.get("bucket") or inputs.get("functionName") or name
        if service == "kms" and kind == "Key":
            key_id = stable_uuid(token, name)
            arn = f"arn:aws:kms:{region}:{account}:key/{key_id}"
            return key_id, {**inputs, "arn": arn, "keyId": key_id}
        if service == "kms" and kind == "Alias":
            arn = f"arn:aws:kms:{region}:{account}:{physical}"
            return physical, {**inputs, "arn": arn}
        if service == "s3":
            arn = f"arn:aws:s3:::{physical}"
            return physical, {**inputs, "arn": arn, "bucket": inputs.get("bucket", physical)}
        if service == "iam":
            arn = f"arn:aws:iam::{account}:{kind[0].lower() + kind[1:]}/{physical}"
            return physical, {**inputs, "arn": arn, "name": physical}
        if service == "cloudwatch" and kind == "LogGroup":
            arn = f"arn:aws:logs:{region}:{account}:log-group:{physical}"
            return physical, {**inputs, "arn": arn, "name": physical}
        short = re.sub(r"(?<!^)(?=[A-Z])", "-", kind).lower()
        resource_id = f"{_prefix(kind)}-{stable_uuid(token, name).replace('-', '')[:17]}"
        arn = f"arn:aws:{service}:{region}:{account}:{short}/{resource_id}"
        state = {**inputs, "arn": arn}
        if service == "ec2" and kind == "TransitGateway":
            state["associationDefaultRouteTableId"] = f"tgw-rtb-{resource_id[-17:]}"
        return resource_id, state

    def _gcp(self, token: str, name: str, inputs: dict, provider: dict) -> tuple[str, dict]:
        _, service, kind = _snake_to_camel_type(token)
        project = inputs.get("project") or provider.get("project") or "mock-project"
        physical = inputs.get("name") or inputs.get("accountId") or name
        location = inputs.get("location") or inputs.get("region") or "global"
        if service == "kms" and kind == "KeyRing":
            rid = f"projects/{project}/locations/{location}/keyRings/{physical}"
            return rid, {**inputs, "name": physical}
        if service == "kms" and kind == "CryptoKey":
            rid = f"{inputs.get('keyRing')}/cryptoKeys/{physical}"
            return rid, {**inputs, "name": physical}
        if service == "serviceaccount" and kind == "Account":
            email = f"{physical}@{project}.iam.gserviceaccount.com"
            rid = f"projects/{project}/serviceAccounts/{email}"
            return rid, {**inputs, "email": email, "name": rid, "member": f"serviceAccount:{email}"}
        if service == "logging" and kind in ("ProjectSink",):
            writer = f"serviceAccount:service-org-{stable_uuid(token, name)[:12]}@gcp-sa-logging.iam.gserviceaccount.com"
            return f"projects/{project}/sinks/{physical}", {**inputs, "writerIdentity": writer}
        collection = kind[0].lower() + kind[1:] + "s"
        if "region" in inputs:
            rid = f"projects/{project}/regions/{inputs['region']}/{collection}/{physical}"
        elif "location" in inputs:
            rid = f"projects/{project}/locations/{inputs['location']}/{collection}/{physical}"
        else:
            rid = f"projects/{project}/global/{collection}/{physical}"
        state = {**inputs, "name": physical, "selfLink": f"https://www.googleapis.com/{service}/v1/{rid}"}
        return rid, state

    def _azure(self, token: str, name: str, inputs: dict, provider: dict) -> tuple[str, dict]:
        _, module, kind = _snake_to_camel_type(token)
        sub = provider.get("subscriptionId") or "00000000-0000-0000-0000-000000000000"
        physical = (inputs.get("resourceGroupName") if kind == "ResourceGroup" else None) or _azure_name(kind, inputs) or name
        rg = inputs.get("resourceGroupName")
        if kind == "ResourceGroup":
            rid = f"/subscriptions/{sub}/resourceGroups/{physical}"
        elif rg:
            rid = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.{module.title()}/{kind[0].lower() + kind[1:]}s/{physical}"
        else:
            rid = f"/subscriptions/{sub}/providers/Microsoft.{module.title()}/{kind[0].lower() + kind[1:]}s/{physical}"
        state = {**inputs, "name": physical}
        if module == "keyvault" and kind == "Vault":
            props = dict(inputs.get("properties") or {})
            props["vaultUri"] = f"https://{physical}.vault.azure.net/"
            state["properties"] = props
        if module == "keyvault" and kind == "Key":
            vault = inputs.get("vaultName", "vault")
            state["keyUri"] = f"https://{vault}.vault.azure.net/keys/{physical}"
            state["keyUriWithVersion"] = f"https://{vault}.vault.azure.net/keys/{physical}/{stable_uuid(token, name)[:32]}"
        if module == "managedidentity" and kind == "UserAssignedIdentity":
            state["principalId"] = stable_uuid("principal", token, name)
            state["clientId"] = stable_uuid("client", token, name)
            state["tenantId"] = stable_uuid("tenant", sub)
        return rid, state

    # --- invokes -----------------------------------------------------------------------------
    def call(self, args: MockCallArgs) -> tuple[dict, list[tuple[str, str]] | None]:
        token = args.token
        if token == "aws:index/getCallerIdentity:getCallerIdentity":
            provider = self.monitor.provider_inputs(args.provider) if self.monitor else {}
            account = _first(provider.get("allowedAccountIds")) or _MOCK_ACCOUNT
            return {"accountId": account, "arn": f"arn:aws:iam::{account}:root", "userId": account,
                    "id": account}, None
        if token == "aws:index/getPartition:getPartition":
            return {"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws"}, None
        if token == "gcp:storage/getProjectServiceAccount:getProjectServiceAccount":
            project = args.args.get("project", "mock-project")
            number = str(int(stable_uuid(project).replace("-", "")[:10], 16))[:12]
            email = f"service-{number}@gs-project-accounts.iam.gserviceaccount.com"
            return {"emailAddress": email, "member": f"serviceAccount:{email}", "project": project,
                    "id": email}, None
        if token == "gcp:organizations/getProject:getProject":
            project = args.args.get("projectId", "mock-project")
            number = str(int(stable_uuid(project).replace("-", "")[:10], 16))[:12]
            return {"projectId": project, "number": number, "name": project, "id": project}, None
        if token == "azure-native:authorization:getClientConfig":
            return {"clientId": stable_uuid("client"), "objectId": stable_uuid("object"),
                    "subscriptionId": "00000000-0000-0000-0000-000000000000",
                    "tenantId": stable_uuid("tenant")}, None
        raise NotImplementedError(f"offline synthesis has no stand-in for the invoke {token}")


def _first(value: Any) -> str | None:
    if isinstance(value, list) and value:
        return str(value[0])
    if isinstance(value, str) and value.startswith("["):
        inner = value.strip("[]").replace('"', "").split(",")
        return inner[0] if inner and inner[0] else None
    return None


def _prefix(kind: str) -> str:
    caps = "".join(c for c in kind if c.isupper()).lower()
    return caps or kind[:3].lower()


_AZURE_NAME_KEYS = {"StorageAccount": "accountName", "ManagedCluster": "resourceName",
                    "BlobContainer": "containerName", "Workspace": "workspaceName"}


def _azure_name(kind: str, inputs: dict) -> str | None:
    """The input that names an azure-native resource: `<kind>Name`, or the module's exception."""
    for key in (_AZURE_NAME_KEYS.get(kind), kind[0].lower() + kind[1:] + "Name", "name"):
        if key and isinstance(inputs.get(key), str):
            return inputs[key]
    return None
