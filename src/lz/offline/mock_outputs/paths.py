"""Offline stand-ins for what the network-paths stage reads back: the Network Firewall's endpoints.

A firewall reports, per availability zone of its subnet mappings, the VPC endpoint that route tables
send traffic to (`firewallStatuses[].syncStates[].attachments[].endpointId`). Offline the zone of a
subnet is not known from its id, so the stand-in lists the zones of the firewall's provider region
that the landing-zone network spans, in order, each with an endpoint id derived from the firewall's
name. Nothing here claims a deployment.
"""

from __future__ import annotations

from typing import Any

from lz.core import regions as catalog
from lz.offline.mock_outputs import aws
from lz.offline.mock_outputs.common import stable_uuid

NETWORK_FIREWALL = "aws:networkfirewall/firewall:Firewall"


def outputs(token: str, name: str, inputs: dict[str, Any], provider: dict[str, Any]) -> tuple[str, dict] | None:
    if token != NETWORK_FIREWALL:
        return None
    rid, state = aws.outputs(token, name, inputs, provider)
    region = str(inputs.get("region") or provider.get("region") or "us-east-1")
    mappings = list(inputs.get("subnetMappings") or [])
    zones = catalog.zones("aws", region)[: len(mappings)]
    states = [
        {
            "availabilityZone": zone,
            "attachments": [
                {
                    "endpointId": "vpce-" + stable_uuid(token, name, zone).replace("-", "")[:17],
                    "subnetId": str(mapping.get("subnetId", "")),
                    "status": "READY",
                }
            ],
        }
        for zone, mapping in zip(zones, mappings, strict=False)
    ]
    return rid, {
        **state,
        "firewallStatuses": [{"status": "READY", "configurationSyncStateSummary": "IN_SYNC", "syncStates": states}],
    }
