"""Offline stand-ins for what GCP would compute: ids and attributes derived from inputs.

Called by `lz.offline.mocks.DeterministicMocks`. Each function returns `(id, state)` for one resource, the
same every time for the same inputs, shaped like the real value: the id the Google provider uses
(its import format), self links of the Compute API, service-agent e-mails of the documented form
`service-<project number>@<agent domain>`. A project's number is a stable hash of its id, never a
real one. `call` answers the data-source invokes the program makes; an invoke it does not know is an
error, never a silent None.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from lz.offline.mock_outputs.common import split_token, stable_uuid


def _project_number(project: str) -> str:
    return str(int(stable_uuid(project).replace("-", "")[:10], 16))[:12]


def _agent(project: str, domain: str) -> str:
    """A Google-managed service agent of the project, e.g. Cloud Logging's `gcp-sa-logging`."""
    return f"service-{_project_number(project)}@{domain}.iam.gserviceaccount.com"


_IDENTITY_DOMAINS = {"sqladmin": "gcp-sa-cloud-sql"}


def outputs(token: str, name: str, inputs: dict, provider: dict) -> tuple[str, dict]:
    _, service, kind = split_token(token)
    project = inputs.get("project") or provider.get("project") or "mock-project"
    physical = inputs.get("name") or inputs.get("accountId") or name
    location = inputs.get("location") or inputs.get("region") or "global"
    if service == "kms" and kind == "KeyRing":
        rid = f"projects/{project}/locations/{location}/keyRings/{physical}"
        return rid, {**inputs, "name": physical}
    if service == "kms" and kind == "CryptoKey":
        rid = f"{inputs.get('keyRing')}/cryptoKeys/{physical}"
        return rid, {**inputs, "name": physical}
    if kind.endswith("IAMMember"):
        # The provider's id of an IAM member: "<resource> <role> <member>".
        target = next((str(v) for k, v in sorted(inputs.items()) if k not in ("role", "member", "condition")), "")
        return f"{target} {inputs.get('role')} {inputs.get('member')}", {**inputs, "etag": _etag(token, name)}
    if service == "serviceaccount" and kind == "Account":
        email = f"{physical}@{project}.iam.gserviceaccount.com"
        rid = f"projects/{project}/serviceAccounts/{email}"
        return rid, {**inputs, "email": email, "name": rid, "member": f"serviceAccount:{email}"}
    if service == "projects" and kind == "Service":
        return f"{project}/{inputs.get('service')}", dict(inputs)
    if service == "projects" and kind == "ServiceIdentity":
        # generateServiceIdentity answers with the agent's documented address
        # (https://cloud.google.com/iam/docs/service-agents)
        api = str(inputs.get("service", "")).split(".")[0]
        email = _agent(project, _IDENTITY_DOMAINS.get(api, f"gcp-sa-{api}"))
        return f"{project}/{inputs.get('service')}", {**inputs, "email": email, "member": f"serviceAccount:{email}"}
    if service == "projects" and kind == "IAMAuditConfig":
        return f"{project} {inputs.get('service')}", {**inputs, "etag": _etag(token, name)}
    if service == "logging" and kind == "ProjectSink":
        # A project sink's unique writer identity is the project's Cloud Logging service agent.
        rid = f"projects/{project}/sinks/{physical}"
        return rid, {**inputs, "writerIdentity": f"serviceAccount:{_agent(project, 'gcp-sa-logging')}"}
    if service == "logging" and kind == "ProjectBucketConfig":
        rid = f"projects/{project}/locations/{location}/buckets/{inputs.get('bucketId')}"
        return rid, {**inputs, "name": rid, "lifecycleState": "ACTIVE"}
    if service == "dns" and kind == "ManagedZone":
        rid = f"projects/{project}/managedZones/{physical}"
        zone_id = str(int(stable_uuid(token, project, physical).replace("-", "")[:12], 16))
        return rid, {**inputs, "name": physical, "managedZoneId": zone_id, "nameServers": []}
    if service == "dns" and kind == "RecordSet":
        rid = f"projects/{project}/managedZones/{inputs.get('managedZone')}/rrsets/{physical}/{inputs.get('type')}"
        return rid, dict(inputs)
    collection = kind[0].lower() + kind[1:] + "s"
    if "region" in inputs:
        rid = f"projects/{project}/regions/{inputs['region']}/{collection}/{physical}"
    elif "location" in inputs:
        rid = f"projects/{project}/locations/{inputs['location']}/{collection}/{physical}"
    else:
        rid = f"projects/{project}/global/{collection}/{physical}"
    state = {**inputs, "name": physical, "selfLink": f"https://www.googleapis.com/{service}/v1/{rid}"}
    if service == "compute" and kind == "Subnetwork":
        state["gatewayAddress"] = _gateway(str(inputs.get("ipCidrRange", "")))
    return rid, state


def _etag(*parts: str) -> str:
    return "BwY" + stable_uuid(*parts).replace("-", "")[:9]


def _gateway(cidr_text: str) -> str | None:
    """A subnet's gateway is its first host address."""
    try:
        return str(next(ipaddress.IPv4Network(cidr_text).hosts()))
    except (ValueError, StopIteration):
        return None


def call(token: str, args: dict[str, Any], provider: dict[str, Any]) -> dict[str, Any] | None:
    project = args.get("project") or args.get("projectId") or provider.get("project") or "mock-project"
    if token == "gcp:storage/getProjectServiceAccount:getProjectServiceAccount":
        email = f"service-{_project_number(project)}@gs-project-accounts.iam.gserviceaccount.com"
        return {"emailAddress": email, "member": f"serviceAccount:{email}", "project": project, "id": email}
    if token == "gcp:storage/getTransferProjectServiceAccount:getTransferProjectServiceAccount":
        email = f"project-{_project_number(project)}@storage-transfer-service.iam.gserviceaccount.com"
        return {
            "email": email,
            "member": f"serviceAccount:{email}",
            "project": project,
            "id": email,
            "subjectId": "100000000000000000000",
        }
    if token == "gcp:organizations/getProject:getProject":
        return {"projectId": project, "number": _project_number(project), "name": project, "id": project}
    if token == "gcp:logging/getProjectCmekSettings:getProjectCmekSettings":
        # The account Cloud Logging uses for CMEK on this project's log buckets; no key set yet.
        name = f"projects/{project}/cmekSettings"
        return {
            "id": name,
            "name": name,
            "project": project,
            "kmsKeyName": args.get("kmsKeyName") or "",
            "kmsKeyVersionName": "",
            "serviceAccountId": _agent(project, "gcp-sa-logging"),
        }
    return None
