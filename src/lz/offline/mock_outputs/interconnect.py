"""Offline stand-ins for what the clouds compute for the interconnect's resources.

`lz.offline.mocks.DeterministicMocks` asks this module first (it is one of its feature-specific stand-ins);
for a type it does not know it answers None and the per-cloud module answers. What the interconnect
reads and no input determines:

* public tunnel endpoints: the outside addresses of AWS VPN tunnels (`tunnel1Address`,
  `tunnel2Address`), GCP HA VPN interfaces (`vpnInterfaces[].ipAddress`) and Azure public IPs
  (`ipAddress`). They come from the documentation ranges of RFC 5737 (AWS 203.0.113.0/24, GCP
  198.51.100.0/24, Azure 192.0.2.0/24), so no offline plan ever names a real host; the two tunnels of
  one AWS connection get neighbouring addresses;
* AWS tunnels' inside addresses and BGP ASN, derived from the inside CIDRs and customer gateway;
* ids whose shape the generic rules get wrong: Azure public IPs (`publicIPAddresses`) and VPN
  connections (`connections`), Direct Connect gateways (a UUID), GCP Partner attachments' pairing keys
  and ExpressRoute service keys.

Everything derives from the resource's logical name and inputs, the same way every time. It does not
model provisioning states or anything nobody reads.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from lz.offline.mock_outputs import aws, azure, gcp
from lz.offline.mock_outputs.common import split_token, stable_uuid

_AWS_ENDPOINTS = ipaddress.IPv4Network("203.0.113.0/24")
_GCP_ENDPOINTS = ipaddress.IPv4Network("198.51.100.0/24")
_AZURE_ENDPOINTS = ipaddress.IPv4Network("192.0.2.0/24")
_AZURE_NAME_KEYS = {
    "PublicIPAddress": "publicIpAddressName",
    "ExpressRouteCircuit": "circuitName",
    "VirtualNetworkGatewayConnection": "virtualNetworkGatewayConnectionName",
}


def _host(net: ipaddress.IPv4Network, *parts: str, pair: int = 0) -> str:
    """A stable host of `net` for `parts`; with `pair`, the first (0) or second (1) of two neighbours."""
    slots = (net.num_addresses - 2) // 2
    slot = int(stable_uuid(*parts).replace("-", "")[:8], 16) % slots
    return str(net.network_address + 1 + 2 * slot + pair)


def outputs(token: str, name: str, inputs: dict[str, Any], provider: dict[str, Any]) -> tuple[str, dict] | None:
    pkg, module, kind = split_token(token)
    if token == "aws:ec2/vpnConnection:VpnConnection":
        rid, state = aws.outputs(token, name, inputs, provider)
        for n in (1, 2):
            state[f"tunnel{n}Address"] = _host(_AWS_ENDPOINTS, token, name, pair=n - 1)
            inside = inputs.get(f"tunnel{n}InsideCidr")
            if isinstance(inside, str) and "/" in inside:
                net = ipaddress.IPv4Network(inside)
                state[f"tunnel{n}VgwInsideAddress"] = str(net.network_address + 1)
                state[f"tunnel{n}CgwInsideAddress"] = str(net.network_address + 2)
        state["transitGatewayAttachmentId"] = "tgw-attach-" + stable_uuid("vpn-attachment", name).replace("-", "")[:17]
        return rid, state
    if token == "gcp:compute/haVpnGateway:HaVpnGateway":
        rid, state = gcp.outputs(token, name, inputs, provider)
        state["vpnInterfaces"] = [{"id": i, "ipAddress": _host(_GCP_ENDPOINTS, token, name, pair=i)} for i in (0, 1)]
        return rid, state
    if token == "gcp:compute/interconnectAttachment:InterconnectAttachment":
        rid, state = gcp.outputs(token, name, inputs, provider)
        domain = str(inputs.get("edgeAvailabilityDomain", "AVAILABILITY_DOMAIN_1"))[-1]
        state["pairingKey"] = f"{stable_uuid('pairing', name)}/{inputs.get('region', 'region')}/{domain}"
        return rid, state
    if (
        pkg == "azure-native"
        and module == "network"
        and kind in ("PublicIPAddress", "VirtualNetworkGatewayConnection", "ExpressRouteCircuit")
    ):
        rid, state = azure.outputs(token, name, inputs, provider)
        collection = {
            "PublicIPAddress": "publicIPAddresses",
            "VirtualNetworkGatewayConnection": "connections",
            "ExpressRouteCircuit": "expressRouteCircuits",
        }[kind]
        physical = inputs.get(_AZURE_NAME_KEYS[kind]) or state["name"]
        state["name"] = physical
        head = rid.split("/providers/Microsoft.Network/")[0]
        rid = f"{head}/providers/Microsoft.Network/{collection}/{physical}"
        if kind == "PublicIPAddress":
            state["ipAddress"] = _host(_AZURE_ENDPOINTS, token, name)
        elif kind == "ExpressRouteCircuit":
            state["serviceKey"] = stable_uuid("service-key", name)
        return rid, state
    if token == "aws:directconnect/gateway:Gateway":
        _, state = aws.outputs(token, name, inputs, provider)
        return stable_uuid(token, name), state
    return None
