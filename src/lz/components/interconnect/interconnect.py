"""`lz:interconnect:Interconnect`: every private link between the landing zone's clouds, from one plan.

The plan (`lz.spec.interconnect.links`, over `lz.core.interconnect_plan`) says which cloud pairs and
regions are linked, with which ASNs and tunnel addresses; this component builds it:

* transport `ha-vpn`: per linked AWS region its log group and VPC routes
  (`AwsRegionInterconnect`), per linked Azure region one shared VPN gateway (`AzureVpnGateway`),
  the GCP firewall rule for the other clouds (`GcpNetworkInterconnect`), and per link the pair's
  component (`AwsGcpVpn`, `AwsAzureVpn`, `GcpAzureVpn`), whose pre-shared keys come from one
  explicit `random` provider (default providers are disabled in every stack);
* transport `dedicated`: per cloud its provider-side attachment (`AwsDirectConnect`,
  `GcpPartnerInterconnect`, `AzureExpressRoute`) in the linked regions.

The ASNs the foundation networks gave their transit gateways and Cloud Routers must be the plan's;
a mismatch is a programming error and stops the program with a message naming both.

What it does not do: decide anything the spec and the plan do not say, or export a key.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_random as random

from lz.contracts.foundation import Foundations
from lz.core import interconnect_plan as plan
from lz.core import paths_plan
from lz.spec import interconnect as spec_ic

from ..base import CloudContext
from .aws_azure import AwsAzureVpn
from .aws_direct_connect import AwsDirectConnect
from .aws_gcp import AwsGcpVpn
from .aws_region import AwsRegionInterconnect
from .azure_express_route import AzureExpressRoute
from .azure_gateway import AzureVpnGateway
from .gcp_azure import GcpAzureVpn
from .gcp_network import GcpNetworkInterconnect
from .gcp_partner import GcpPartnerInterconnect


class Interconnect(pulumi.ComponentResource):
    """The links between clouds of one landing zone, and what each linked region needs for them."""

    def __init__(
        self,
        name: str,
        contexts: dict[str, CloudContext],
        foundations: Foundations,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:interconnect:Interconnect", name, None, opts)
        spec = next(iter(contexts.values())).spec
        ic = spec.interconnect
        enabled = spec.clouds.enabled()
        self.links = spec_ic.links(spec)
        self.asns = spec_ic.asns(spec)
        self._check_foundation_asns(foundations)
        supernets = {c: spec.clouds.get(c).cidr for c in enabled}
        regions_in_use: dict[str, list[str]] = {c: [] for c in enabled}
        for link in self.links:
            for cloud in link.pair:
                if link.region(cloud) not in regions_in_use[cloud]:
                    regions_in_use[cloud].append(link.region(cloud))
        self.random_provider = random.Provider(f"{name}-random", opts=pulumi.ResourceOptions(parent=self))
        self.outputs: dict[str, Any] = {
            "topology": ic.topology,
            "transport": ic.transport,
            "hub": ic.hub,
            "asns": {c: dict(self.asns[c]) for c in enabled},
            "links": [],
        }
        if ic.transport == "ha-vpn":
            self._vpn(name, contexts, foundations, regions_in_use, supernets)
        elif ic.transport == "dedicated":
            self._dedicated(name, contexts, foundations, regions_in_use)
        else:  # the spec accepts it only once pulumi-aws has the resource; no component exists yet
            raise pulumi.RunError(f"interconnect.transport {ic.transport!r} has no component in this landing zone yet")
        self.register_outputs({"topology": ic.topology, "links": len(self.links)})

    def _check_foundation_asns(self, foundations: Foundations) -> None:
        built_asns: dict[str, dict[str, int]] = {}
        if "aws" in foundations:
            built_asns["aws"] = {r: v["transit_gateway_asn"] for r, v in foundations["aws"]["regions"].items()}
        if "gcp" in foundations:
            built_asns["gcp"] = {r: v["router_asn"] for r, v in foundations["gcp"]["regions"].items()}
        for cloud, built_in in built_asns.items():
            for region, asn in self.asns[cloud].items():
                built = built_in[region]
                if built != asn:
                    raise ValueError(
                        f"{cloud} {region}: the foundation built ASN {built} but the interconnect plan "
                        f"says {asn}; lz.core.interconnect_plan.ASN_BASES and the network must agree"
                    )

    def _vpn(
        self,
        name: str,
        contexts: dict[str, CloudContext],
        foundations: Foundations,
        regions_in_use: dict[str, list[str]],
        supernets: dict[str, Any],
    ) -> None:
        spec = next(iter(contexts.values())).spec
        ic = spec.interconnect
        enabled = spec.clouds.enabled()
        child = pulumi.ResourceOptions(parent=self)
        self.aws_regions = {
            region: AwsRegionInterconnect(
                f"{name}-aws-{region}",
                contexts["aws"],
                region,
                foundation=foundations["aws"],
                destinations=plan.remote_supernets("aws", enabled, supernets, ic.topology, ic.hub),
                opts=child,
            )
            for region in regions_in_use.get("aws", [])
        }
        self.azure_gateways = {
            region: AzureVpnGateway(
                f"{name}-azure-{region}",
                contexts["azure"],
                region,
                foundation=foundations["azure"],
                asn=self.asns["azure"][region],
                apipa=plan.azure_apipa(self.links, region),
                opts=child,
            )
            for region in regions_in_use.get("azure", [])
        }
        self.gcp_network = None
        if regions_in_use.get("gcp"):
            self.gcp_network = GcpNetworkInterconnect(
                f"{name}-gcp",
                contexts["gcp"],
                foundation=foundations["gcp"],
                sources=plan.remote_supernets("gcp", enabled, supernets, ic.topology, ic.hub),
                opts=child,
            )
        gcp_blocks = spec.clouds.gcp.region_blocks() if spec.clouds.gcp is not None else {}
        # Cloud DNS's forwarders, so the other clouds' resolvers can answer them (lz.components.paths.dns).
        dns_ranges = paths_plan.gcp_extra_advertised(enabled, ic.topology)
        self.pairs: list[pulumi.ComponentResource] = []
        for link in self.links:
            link_name = f"{name}-{link.a}-{link.a_region}-{link.b}-{link.b_region}"
            if link.pair == ("aws", "gcp"):
                advertised = (
                    plan.advertised_routes(
                        "gcp",
                        link.region("gcp"),
                        gcp_blocks,
                        topology=ic.topology,
                        hub=ic.hub,
                        peer="aws",
                        supernets=supernets,
                    )
                    + dns_ranges
                )
                pair: Any = AwsGcpVpn(
                    link_name,
                    contexts["aws"],
                    contexts["gcp"],
                    link,
                    aws_region=self.aws_regions[link.a_region],
                    gcp_foundation=foundations["gcp"],
                    advertised=advertised,
                    random_provider=self.random_provider,
                    opts=child,
                )
            elif link.pair == ("aws", "azure"):
                pair = AwsAzureVpn(
                    link_name,
                    contexts["aws"],
                    contexts["azure"],
                    link,
                    aws_region=self.aws_regions[link.a_region],
                    gateway=self.azure_gateways[link.b_region],
                    random_provider=self.random_provider,
                    opts=child,
                )
            else:
                advertised = (
                    plan.advertised_routes(
                        "gcp",
                        link.region("gcp"),
                        gcp_blocks,
                        topology=ic.topology,
                        hub=ic.hub,
                        peer="azure",
                        supernets=supernets,
                    )
                    + dns_ranges
                )
                pair = GcpAzureVpn(
                    link_name,
                    contexts["gcp"],
                    contexts["azure"],
                    link,
                    gcp_foundation=foundations["gcp"],
                    gateway=self.azure_gateways[link.b_region],
                    advertised=advertised,
                    random_provider=self.random_provider,
                    opts=child,
                )
            self.pairs.append(pair)
            self.outputs["links"].append(pair.outputs)
        self.outputs["azure_gateways"] = {
            region: {"asn": gw.asn, "public_ips": [gw.public_ip(i) for i in range(2)], "id": gw.gateway.id}
            for region, gw in self.azure_gateways.items()
        }

    def _dedicated(
        self,
        name: str,
        contexts: dict[str, CloudContext],
        foundations: Foundations,
        regions_in_use: dict[str, list[str]],
    ) -> None:
        spec = next(iter(contexts.values())).spec
        dedicated = spec.interconnect.dedicated
        if dedicated is None:
            raise ValueError("transport 'dedicated' without interconnect.dedicated passed the spec")
        child = pulumi.ResourceOptions(parent=self)
        built: dict[str, Any] = {}
        if regions_in_use.get("aws") and dedicated.aws is not None:
            dx = AwsDirectConnect(
                f"{name}-aws-direct-connect",
                contexts["aws"],
                settings=dedicated.aws,
                foundation=foundations["aws"],
                regions=regions_in_use["aws"],
                random_provider=self.random_provider,
                opts=child,
            )
            built["aws"] = dx.outputs
        if regions_in_use.get("gcp") and dedicated.gcp is not None:
            built["gcp"] = [
                GcpPartnerInterconnect(
                    f"{name}-gcp-partner-{region}",
                    contexts["gcp"],
                    region,
                    settings=dedicated.gcp,
                    foundation=foundations["gcp"],
                    opts=child,
                ).outputs
                for region in regions_in_use["gcp"]
            ]
        if regions_in_use.get("azure") and dedicated.azure is not None:
            built["azure"] = [
                AzureExpressRoute(
                    f"{name}-azure-expressroute-{region}",
                    contexts["azure"],
                    region,
                    settings=dedicated.azure,
                    foundation=foundations["azure"],
                    opts=child,
                ).outputs
                for region in regions_in_use["azure"]
            ]
        self.outputs["dedicated"] = built
        self.outputs["links"] = [
            {"pair": link.name, "regions": {link.a: link.a_region, link.b: link.b_region}} for link in self.links
        ]
