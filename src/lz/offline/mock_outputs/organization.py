"""Offline stand-ins for what the organization layer reads back from the clouds.

Asked by `lz.offline.mocks.DeterministicMocks` before the per-cloud modules; answers only for the types
below. Ids have the real shapes (a 12-digit account id, `ou-xxxx-xxxxxxxx`, `p-xxxxxxxx`,
`folders/<number>`, a project number, a subscription id) and hang on the logical name, never on a
counter. An account the spec already knows by id keeps no such promise: offline every vended account
gets a derived id, as AWS would assign one.
"""

from __future__ import annotations

from typing import Any

from lz.offline.mock_outputs.common import stable_uuid


def _digits(n: int, *parts: str) -> str:
    return str(int(stable_uuid(*parts).replace("-", ""), 16))[:n].rjust(n, "1")


def _hex(n: int, *parts: str) -> str:
    return stable_uuid(*parts).replace("-", "")[:n]


def outputs(token: str, name: str, inputs: dict[str, Any], provider: dict[str, Any]) -> tuple[str, dict] | None:
    if token == "aws:organizations/organization:Organization":
        oid = f"o-{_hex(10, token, name)}"
        return oid, {
            **inputs,
            "arn": f"arn:aws:organizations::{_digits(12, name)}:organization/{oid}",
            "masterAccountId": (provider.get("allowedAccountIds") or [None])[0],
        }
    if token == "aws:organizations/organizationalUnit:OrganizationalUnit":
        ouid = f"ou-{_hex(4, 'root', name)}-{_hex(8, token, name)}"
        return ouid, {**inputs, "arn": f"arn:aws:organizations::ou/{ouid}"}
    if token == "aws:organizations/account:Account":
        account = _digits(12, token, name)
        return account, {**inputs, "arn": f"arn:aws:organizations::account/{account}", "status": "ACTIVE"}
    if token == "aws:organizations/policy:Policy":
        pid = f"p-{_hex(8, token, name)}"
        return pid, {**inputs, "arn": f"arn:aws:organizations::policy/{pid}"}
    if token == "gcp:organizations/folder:Folder":
        number = _digits(12, token, name)
        return f"folders/{number}", {**inputs, "name": f"folders/{number}", "folderId": number}
    if token == "gcp:organizations/project:Project":
        number = _digits(12, token, name)
        return f"projects/{inputs.get('projectId')}", {**inputs, "number": number}
    if token == "gcp:monitoring/notificationChannel:NotificationChannel":
        rid = f"projects/{inputs.get('project')}/notificationChannels/{_digits(19, token, name)}"
        return rid, {**inputs, "name": rid}
    if token == "gcp:logging/organizationSink:OrganizationSink":
        org = inputs.get("orgId")
        rid = f"organizations/{org}/sinks/{inputs.get('name')}"
        # An organization sink's writer identity: a service account Cloud Logging creates for it.
        return rid, {
            **inputs,
            "writerIdentity": f"serviceAccount:o{org}-{_digits(6, token, name)}@gcp-sa-logging.iam.gserviceaccount.com",
        }
    if token == "gcp:securitycenter/notificationConfig:NotificationConfig":
        org = inputs.get("organization")
        rid = f"organizations/{org}/notificationConfigs/{inputs.get('configId')}"
        return rid, {
            **inputs,
            "name": rid,
            "serviceAccount": f"service-org-{org}@gcp-sa-scc-notification.iam.gserviceaccount.com",
        }
    if token == "azure-native:subscription:Alias":
        props = dict(inputs.get("properties") or {})
        sub = props.get("subscriptionId") or stable_uuid(token, name)
        alias = inputs.get("aliasName") or name
        return f"/providers/Microsoft.Subscription/aliases/{alias}", {
            **inputs,
            "name": alias,
            "properties": {**props, "subscriptionId": sub, "provisioningState": "Succeeded"},
        }
    if token == "azure-native:management:ManagementGroup":
        gid = inputs.get("groupId") or name
        return f"/providers/Microsoft.Management/managementGroups/{gid}", {**inputs, "name": gid}
    return None
