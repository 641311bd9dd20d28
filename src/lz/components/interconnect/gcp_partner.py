"""`lz:interconnect:GcpPartnerInterconnect`: the GCP side of the dedicated transport in one region.

Partner Interconnect, as Google documents it for 99.99% availability within a metro: a Cloud Router
with ASN 16550 (Google requires it for Partner Interconnect; the foundation's router keeps its own
ASN for VPN) and two VLAN attachments on it, one in each edge availability domain. The partner
completes each attachment with its pairing key, which is an output of the stack, as a secret.
Attachments are pre-activated unless the spec says otherwise.

What it does not do: order the partner's service, or BGP sessions (a Layer 3 partner configures
them; the router advertises the VPC's subnets by default).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_gcp as gcp

from lz.contracts.foundation import GcpFoundationOutputs
from lz.core.interconnect_plan import GCP_PARTNER_ROUTER_ASN
from lz.spec.interconnect import DedicatedGcp

from ..base import CloudContext

EDGE_DOMAINS = ("AVAILABILITY_DOMAIN_1", "AVAILABILITY_DOMAIN_2")


class GcpPartnerInterconnect(pulumi.ComponentResource):
    """A Partner Interconnect router and its two VLAN attachments in one GCP region."""

    router: gcp.compute.Router
    attachments: list[gcp.compute.InterconnectAttachment]

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        region: str,
        *,
        settings: DedicatedGcp,
        foundation: GcpFoundationOutputs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:interconnect:GcpPartnerInterconnect", name, None, opts)
        code = ctx.region_code(region)
        project = ctx.cloud_spec.project
        self.router = gcp.compute.Router(
            f"{name}-router",
            name=ctx.physical(code, "partner-router"),
            project=project,
            region=region,
            network=foundation["network_id"],
            description=f"Cloud Router of {region} for Partner Interconnect VLAN attachments",
            bgp=gcp.compute.RouterBgpArgs(asn=GCP_PARTNER_ROUTER_ASN, advertise_mode="DEFAULT"),
            opts=ctx.opts(self, region=region),
        )
        self.attachments = [
            gcp.compute.InterconnectAttachment(
                f"{name}-attachment-{i}",
                name=ctx.physical(code, "partner", str(i)),
                project=project,
                region=region,
                router=self.router.id,
                type="PARTNER",
                edge_availability_domain=domain,
                admin_enabled=settings.admin_enabled,
                mtu=str(settings.mtu),
                stack_type="IPV4_ONLY",
                description=f"Partner Interconnect VLAN attachment {i} of {region} ({domain})",
                labels=ctx.tags,
                opts=ctx.opts(self, region=region),
            )
            for i, domain in enumerate(EDGE_DOMAINS)
        ]
        self.outputs: dict[str, Any] = {
            "region": region,
            "router": self.router.name,
            "pairing_keys": [pulumi.Output.secret(a.pairing_key) for a in self.attachments],
        }
        self.register_outputs(self.outputs)
