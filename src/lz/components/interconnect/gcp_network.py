"""`lz:interconnect:GcpNetworkInterconnect`: the GCP VPC's side of the interconnect beyond its tunnels.

The foundation VPC denies every ingress that its own supernet and IAP do not need. Once tunnels
exist, traffic from the other clouds' private supernets must be admitted too: one logged allow rule
at the same priority as the VPC's internal rule, with exactly those supernets as sources (never
0.0.0.0/0). Routes need nothing here: the Cloud Routers learn the other clouds' prefixes over BGP and
the VPC's global routing mode makes them usable from every region.

What it does not do: narrow the rule by port or target (workloads that need that add their own
higher-priority deny or allow rules), or egress rules (the VPC allows egress by default).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import pulumi
import pulumi_gcp as gcp

from lz.contracts.foundation import GcpFoundationOutputs

from ..base import CloudContext

ALLOW_PRIORITY = 1000


class GcpNetworkInterconnect(pulumi.ComponentResource):
    """Ingress from the other clouds' supernets into the landing-zone VPC."""

    firewall: gcp.compute.Firewall

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        *,
        foundation: GcpFoundationOutputs,
        sources: Sequence[ipaddress.IPv4Network],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:interconnect:GcpNetworkInterconnect", name, None, opts)
        ranges = sorted(str(s) for s in sources)
        self.firewall = gcp.compute.Firewall(
            f"{name}-fw-allow-interconnect",
            name=ctx.physical("fw", "allow-interconnect"),
            project=ctx.cloud_spec.project,
            network=foundation["network_id"],
            description="Allow traffic from the other clouds' landing-zone supernets over the interconnect: "
            + ", ".join(ranges),
            direction="INGRESS",
            priority=ALLOW_PRIORITY,
            source_ranges=ranges,
            allows=[gcp.compute.FirewallAllowArgs(protocol="all")],
            log_config=gcp.compute.FirewallLogConfigArgs(metadata="INCLUDE_ALL_METADATA"),
            opts=ctx.opts(self),
        )
        self.register_outputs({"firewall": self.firewall.name, "sources": ranges})
