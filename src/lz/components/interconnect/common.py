"""What every VPN of the interconnect shares: the IPsec proposals, pre-shared keys, and small helpers.

One set of proposals everywhere, one cipher per role as Google advises for peers of Cloud VPN (a
peer that offers a list lets the cipher change between rekeys): IKEv2 only, AES-256-CBC with
HMAC-SHA2-256, Diffie-Hellman group 14 (MODP 2048) for phase 1 and as PFS group for phase 2. AWS and
Azure are told exactly these; Cloud VPN accepts what its peer proposes from its supported list, so
GCP tunnels only pin IKEv2. Lifetimes follow AWS's limits (phase 1 8 h, phase 2 1 h).

Pre-shared keys are `random.RandomPassword` results (letters only, so no key starts with a zero,
which AWS refuses): secrets from creation to every input that takes them, never an output.

What it does not do: decide topology, addresses or ASNs (that is `lz.core.interconnect_plan`).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_random as random

PSK_LENGTH = 40  # 52 letters ** 40: about 228 bits

AWS_IKE_VERSIONS = ["ikev2"]
AWS_PHASE1_ENCRYPTION = ["AES256"]
AWS_PHASE1_INTEGRITY = ["SHA2-256"]
AWS_PHASE1_DH_GROUPS = [14]
AWS_PHASE2_ENCRYPTION = ["AES256"]
AWS_PHASE2_INTEGRITY = ["SHA2-256"]
AWS_PHASE2_DH_GROUPS = [14]
PHASE1_LIFETIME_SECONDS = 28800
PHASE2_LIFETIME_SECONDS = 3600

AZURE_IPSEC_POLICY: dict[str, Any] = {
    "ike_encryption": "AES256",
    "ike_integrity": "SHA256",
    "dh_group": "DHGroup14",
    "ipsec_encryption": "AES256",
    "ipsec_integrity": "SHA256",
    "pfs_group": "PFS2048",
    "sa_life_time_seconds": PHASE2_LIFETIME_SECONDS,
    "sa_data_size_kilobytes": 102400000,
}
AZURE_DPD_TIMEOUT_SECONDS = 45
GCP_IKE_VERSION = 2
BGP_ROUTE_PRIORITY = 100


def preshared_key(name: str, parent: pulumi.Resource, provider: pulumi.ProviderResource) -> pulumi.Output[str]:
    """A fresh pre-shared key, secret end to end; stable across updates (random keeps its state)."""
    password = random.RandomPassword(
        name,
        length=PSK_LENGTH,
        special=False,
        numeric=False,
        upper=True,
        lower=True,
        min_upper=4,
        min_lower=4,
        opts=pulumi.ResourceOptions(parent=parent, provider=provider),
    )
    return pulumi.Output.secret(password.result)


def aws_tunnel_options(
    number: int, *, inside_cidr: str, preshared_key: pulumi.Input[str], log_group_arn: pulumi.Input[str]
) -> dict[str, Any]:
    """Keyword arguments of `aws.ec2.VpnConnection` for tunnel 1 or 2: inside range, key, proposals.

    AWS starts the negotiation (`startup_action: start`, IKEv2 only) and restarts a tunnel whose
    dead-peer detection fires, so a peer that never initiates still comes back after an outage.
    """
    if number not in (1, 2):
        raise ValueError("an AWS VPN connection has tunnels 1 and 2")
    prefix = f"tunnel{number}_"
    return {
        f"{prefix}inside_cidr": inside_cidr,
        f"{prefix}preshared_key": preshared_key,
        f"{prefix}ike_versions": AWS_IKE_VERSIONS,
        f"{prefix}phase1_encryption_algorithms": AWS_PHASE1_ENCRYPTION,
        f"{prefix}phase1_integrity_algorithms": AWS_PHASE1_INTEGRITY,
        f"{prefix}phase1_dh_group_numbers": AWS_PHASE1_DH_GROUPS,
        f"{prefix}phase1_lifetime_seconds": PHASE1_LIFETIME_SECONDS,
        f"{prefix}phase2_encryption_algorithms": AWS_PHASE2_ENCRYPTION,
        f"{prefix}phase2_integrity_algorithms": AWS_PHASE2_INTEGRITY,
        f"{prefix}phase2_dh_group_numbers": AWS_PHASE2_DH_GROUPS,
        f"{prefix}phase2_lifetime_seconds": PHASE2_LIFETIME_SECONDS,
        f"{prefix}startup_action": "start",
        f"{prefix}dpd_timeout_action": "restart",
        f"{prefix}log_options": {
            "cloudwatch_log_options": {
                "log_enabled": True,
                "log_group_arn": log_group_arn,
                "log_output_format": "json",
                "bgp_log_enabled": True,
                "bgp_log_group_arn": log_group_arn,
                "bgp_log_output_format": "json",
            }
        },
    }


def azure_ip_configuration_id(
    subscription_id: str, resource_group: pulumi.Input[str], gateway_name: str, ip_configuration: str
) -> pulumi.Output[str]:
    """The ARM id of one IP configuration of a VPN gateway, known before the gateway exists (the
    gateway's own BGP settings refer to it)."""
    return pulumi.Output.concat(
        "/subscriptions/",
        subscription_id,
        "/resourceGroups/",
        resource_group,
        "/providers/Microsoft.Network/virtualNetworkGateways/",
        gateway_name,
        "/ipConfigurations/",
        ip_configuration,
    )
