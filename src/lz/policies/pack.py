"""Every policy of the landing-zone pack, importable without starting a policy server.

`policies/__main__.py` wraps this list in a `PolicyPack` (whose constructor serves gRPC and
blocks); `lz plan` and `lz check` evaluate the same objects offline. Each family lives in its own
module (`lz.policies.encryption`, `lz.policies.tags`, `lz.policies.residency`); this module only lists them.
"""

from __future__ import annotations

from pulumi_policy import Policy

from . import (
    data_protection,
    encryption,
    encryption_clusters,
    iam,
    network_clusters,
    network_vpn,
    residency,
    residency_transfers,
    tags,
)

PACK_NAME = "landing-zone"

POLICIES: list[Policy] = [
    *encryption.POLICIES,
    *encryption_clusters.POLICIES,
    *tags.POLICIES,
    *residency.POLICIES,
    *residency_transfers.POLICIES,
    *data_protection.POLICIES,
    *iam.POLICIES,
    *network_clusters.POLICIES,
    *network_vpn.POLICIES,
]
