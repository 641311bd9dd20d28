"""Offline stand-ins for the computed attributes migration waves read (and the AWS SDK names oddly).

`lz.offline.mocks.DeterministicMocks` asks this module first; it answers only for the types below and
returns None for every other, which then falls through to the per-cloud modules. Each answer starts
from `lz.offline.mock_outputs.aws` (same ids, same ARN shape) and adds what that generic rule cannot know:
DMS ARNs live in `replicationInstanceArn`, `endpointArn`, `replicationTaskArn` and
`certificateArn` rather than `arn`; an RDS instance has an `address` and `endpoint`; a Route 53
record has an `fqdn`. Values are derived from the resource's inputs and its provider's region and
account, never random.
"""

from __future__ import annotations

from typing import Any

from lz.offline.mock_outputs import aws
from lz.offline.mock_outputs.common import MOCK_ACCOUNT, first, stable_uuid

_DMS_ARN_KEYS = {
    "aws:dms/replicationInstance:ReplicationInstance": ("replicationInstanceArn", "rep"),
    "aws:dms/endpoint:Endpoint": ("endpointArn", "endpoint"),
    "aws:dms/replicationTask:ReplicationTask": ("replicationTaskArn", "task"),
    "aws:dms/certificate:Certificate": ("certificateArn", "cert"),
}
_RDS_INSTANCE = "aws:rds/instance:Instance"
_ROUTE53_RECORD = "aws:route53/record:Record"


def outputs(token: str, name: str, inputs: dict[str, Any], provider: dict[str, Any]) -> tuple[str, dict] | None:
    if token not in _DMS_ARN_KEYS and token not in (_RDS_INSTANCE, _ROUTE53_RECORD):
        return None
    resource_id, state = aws.outputs(token, name, inputs, provider)
    region = inputs.get("region") or provider.get("region") or "us-east-1"
    account = first(provider.get("allowedAccountIds")) or MOCK_ACCOUNT
    if token in _DMS_ARN_KEYS:
        key, kind = _DMS_ARN_KEYS[token]
        # DMS ARNs end in an opaque upper-case resource id, not the name.
        opaque = stable_uuid(token, name).replace("-", "").upper()[:26]
        state[key] = f"arn:aws:dms:{region}:{account}:{kind}:{opaque}"
    elif token == _RDS_INSTANCE:
        ident = str(inputs.get("identifier") or name)
        suffix = stable_uuid("rds", account, region).replace("-", "")[:12]
        state["address"] = f"{ident}.{suffix}.{region}.rds.amazonaws.com"
        state["endpoint"] = f"{state['address']}:{inputs.get('port') or 5432}"
        state["arn"] = f"arn:aws:rds:{region}:{account}:db:{ident}"
        resource_id = ident
    else:
        record = str(inputs.get("name") or name).rstrip(".")
        state["fqdn"] = record
        resource_id = "_".join(
            str(p) for p in (inputs.get("zoneId"), record, inputs.get("type"), inputs.get("setIdentifier")) if p
        )
    return resource_id, state
