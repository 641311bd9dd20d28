"""Every policy of the landing-zone pack, importable without starting a policy server.

`policies/__main__.py` wraps this list in a `PolicyPack` (whose constructor serves gRPC and
blocks); `lz plan` and `lz check` evaluate the same objects offline. Each family lives in its own
module (`lz.policies.encryption`, `lz.policies.tags`, `lz.policies.residency`); this module lists them and
makes each see canonical type tokens (`lz.core.types`).
"""

from __future__ import annotations

from pulumi_policy import Policy

from . import (
    data_protection,
    deploy,
    encryption,
    encryption_clusters,
    encryption_sql,
    iam,
    network_clusters,
    network_reachability,
    network_vpn,
    residency,
    residency_transfers,
    tags,
)
from ._support import seeing_canonical_types

PACK_NAME = "landing-zone"

POLICIES: list[Policy] = [
    *encryption.POLICIES,
    *encryption_clusters.POLICIES,
    *encryption_sql.POLICIES,
    *tags.POLICIES,
    *residency.POLICIES,
    *residency_transfers.POLICIES,
    *data_protection.POLICIES,
    *iam.POLICIES,
    *network_clusters.POLICIES,
    *network_vpn.POLICIES,
    *deploy.POLICIES,
    *network_reachability.POLICIES,
]
# Every policy judges the canonical type token (versioned, renamed and aliased tokens included).
POLICIES = [seeing_canonical_types(p) for p in POLICIES]
