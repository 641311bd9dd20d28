"""The `interconnect` key: how the enabled clouds are linked privately.

```yaml
interconnect:
  topology: full-mesh          # full-mesh | hub | none
  transport: ha-vpn            # ha-vpn | dedicated | aws-interconnect (only if pulumi-aws has it)
  hub: aws                     # topology hub only: the cloud every other cloud links to
  regions:                     # optional: the regions of each cloud that take part (default: its home region)
    aws: [eu-west-1]
  asns:                        # optional: the Azure VPN gateways' ASNs per region (default 65100 + position)
    azure: {westeurope: 65010}
  dedicated: {...}             # transport dedicated only: the provider-side identifiers per cloud
```

Which regions are linked is explicit: by default each cloud's home region (the first of
`clouds.<cloud>.regions`) links to the other clouds' home regions; `regions` lists up to four per
cloud, and every listed region of one cloud links to every listed region of the other. AWS
transit gateways and Azure hub VNets are regional and not peered across regions by the foundation,
so only the listed regions of AWS and Azure are reachable over the interconnect; GCP's VPC routes
globally, so all of its regions are.

Addresses and ASNs come from `lz.core.interconnect_plan`; the rules here only refuse what cannot be
built, with the key path from the landing zone's root. The spec does not decide resource shapes.
"""

from __future__ import annotations

import importlib.util
import re
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as dist_version
from typing import TYPE_CHECKING, Literal

from pydantic import Field, field_validator, model_validator

from lz.core import interconnect_plan
from lz.spec.base import SpecError, StrictModel

if TYPE_CHECKING:
    from lz.spec.foundation import LandingZone

Topology = Literal["full-mesh", "hub", "none"]
Transport = Literal["ha-vpn", "dedicated", "aws-interconnect"]
CloudName = Literal["aws", "gcp", "azure"]

# Where an "AWS Interconnect - multicloud" resource would live in pulumi-aws once the provider ships
# one; none of these exists in pulumi-aws 7.51.1.
AWS_INTERCONNECT_MODULES = ("pulumi_aws.interconnect", "pulumi_aws.multicloudinterconnect")

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def aws_interconnect_module() -> str | None:
    """The pulumi-aws module that manages AWS Interconnect (multicloud), if the installed SDK has one."""
    for name in AWS_INTERCONNECT_MODULES:
        try:
            if importlib.util.find_spec(name) is not None:
                return name
        except ModuleNotFoundError:
            return None
    return None


def _pulumi_aws_version() -> str:
    try:
        return dist_version("pulumi-aws")
    except PackageNotFoundError:
        return "(not installed)"


class LinkedRegions(StrictModel):
    """Per cloud, the regions that take part in the interconnect (default: the home region)."""

    aws: list[str] | None = Field(default=None, min_length=1, max_length=interconnect_plan.MAX_LINKED_REGIONS)
    """AWS regions that take part, 1 to 4, each one of `clouds.aws.regions`; default: the home region. Only listed
    regions are reachable (transit gateways are regional)."""
    gcp: list[str] | None = Field(default=None, min_length=1, max_length=interconnect_plan.MAX_LINKED_REGIONS)
    """GCP regions that get HA VPN or Partner Interconnect attachments, 1 to 4, from `clouds.gcp.regions`; default:
    the home region. The GCP VPC routes globally, so all its regions are reachable."""
    azure: list[str] | None = Field(default=None, min_length=1, max_length=interconnect_plan.MAX_LINKED_REGIONS)
    """Azure regions that take part, 1 to 4, from `clouds.azure.regions`; default: the home region. Only listed
    regions are reachable (hub VNets are regional)."""


class AsnOverrides(StrictModel):
    """BGP ASNs the spec may choose. Only the Azure VPN gateways' are free: the AWS transit gateways
    (64512 + position) and GCP Cloud Routers (64600 + position) are fixed by the foundation network."""

    azure: dict[str, int] = Field(default_factory=dict)
    """Azure VPN gateway BGP ASN per region (`{westeurope: 65010}`); default 65100 + the region's position. A
    private 16-bit ASN, distinct from the other clouds' and not Azure's reserved 65515-65520."""


class DedicatedAws(StrictModel):
    """Direct Connect: the connections (dedicated or hosted, from the provider) and their VLANs."""

    connection_ids: list[str] = Field(min_length=1, max_length=4)
    """Direct Connect connection or LAG ids (`dxcon-xxxxxxxx`, `dxlag-xxxxxxxx`), 1 to 4, each once, from the
    provider (dedicated or hosted connections)."""
    vlans: list[int] = Field(min_length=1, max_length=4)
    """The VLAN (1-4094) of each connection's private virtual interface, one per connection in the same order."""
    peer_asn: int = Field(ge=1, le=4294967294, description="ASN of the router at the exchange")
    gateway_id: str | None = Field(default=None, description="an existing Direct Connect gateway to reuse")
    mtu: Literal[1500, 8500] = 1500
    """MTU of the private virtual interfaces in bytes: 1500, or 8500 for jumbo frames."""

    @field_validator("connection_ids")
    @classmethod
    def _connections(cls, value: list[str]) -> list[str]:
        for i, cid in enumerate(value):
            if not re.match(r"^dx(con|lag)-[0-9a-z]{8}$", cid):
                raise SpecError((i,), f"{cid!r} is not a Direct Connect connection or LAG id (dxcon-xxxxxxxx)")
        if len(set(value)) != len(value):
            raise ValueError("a connection is listed twice")
        return value

    @field_validator("vlans")
    @classmethod
    def _vlans(cls, value: list[int]) -> list[int]:
        for i, vlan in enumerate(value):
            if not 1 <= vlan <= 4094:
                raise SpecError((i,), f"VLAN {vlan} is outside 1-4094")
        return value

    @field_validator("gateway_id")
    @classmethod
    def _gateway(cls, value: str | None) -> str | None:
        if value is not None and not UUID_RE.match(value):
            raise ValueError(f"{value!r} is not a Direct Connect gateway id (a UUID)")
        return value

    @model_validator(mode="after")
    def _one_vlan_per_connection(self) -> DedicatedAws:
        if len(self.vlans) != len(self.connection_ids):
            raise SpecError(
                ("vlans",),
                f"{len(self.vlans)} VLAN(s) for {len(self.connection_ids)} connection(s); "
                "give one VLAN per connection, in the same order",
            )
        if self.peer_asn == interconnect_plan.DX_GATEWAY_ASN:
            raise SpecError(("peer_asn",), f"{self.peer_asn} is the Direct Connect gateway's own ASN")
        return self


class DedicatedGcp(StrictModel):
    """Partner Interconnect: per linked region two VLAN attachments, one in each edge availability
    domain, on a Cloud Router with Google's required ASN 16550. The partner completes them with
    the pairing keys (a secret stack output)."""

    mtu: Literal[1440, 1460, 1500, 8896] = 1500
    """MTU of the VLAN attachments in bytes (1440, 1460, 1500 or 8896); it must match what the partner and the peer
    cloud's side support."""
    admin_enabled: bool = Field(
        default=True, description="pre-activate the attachments, so traffic flows as soon as the partner completes them"
    )


class DedicatedAzure(StrictModel):
    """An ExpressRoute circuit from a connectivity provider, per linked Azure region."""

    service_provider: str = Field(min_length=1, max_length=80)
    """The ExpressRoute connectivity provider's name, as Azure lists it (`Equinix`, ...)."""
    peering_location: str = Field(min_length=1, max_length=80)
    """The ExpressRoute peering location, as Azure lists it (`Amsterdam`, ...)."""
    bandwidth_mbps: Literal[50, 100, 200, 500, 1000, 2000, 5000, 10000]
    """The circuit's bandwidth in Mbit/s (50 to 10000); billed monthly by Azure and the provider."""
    sku_tier: Literal["Standard", "Premium"] = "Standard"
    """`Standard`, or `Premium` for global reach beyond the peering location's geopolitical region and higher route
    limits (costs more)."""
    circuit_provisioned: bool = Field(
        default=False, description="the provider has provisioned the circuit: connect the ExpressRoute gateway to it"
    )


class Dedicated(StrictModel):
    """The provider-side identifiers of dedicated circuits, per linked cloud (`transport: dedicated` only)."""

    aws: DedicatedAws | None = None
    """Direct Connect connections and VLANs; required when AWS is linked."""
    gcp: DedicatedGcp | None = None
    """Partner Interconnect attachment settings (`{}` for the defaults); required when GCP is linked."""
    azure: DedicatedAzure | None = None
    """The ExpressRoute circuit; required when Azure is linked."""


class Interconnect(StrictModel):
    """How the enabled clouds are linked privately: topology, transport and the regions that take part."""

    topology: Topology = "none"
    """`full-mesh` links every pair of enabled clouds, `hub` links every cloud to `hub` only, `none` links nothing.
    Linking needs at least two enabled clouds."""
    transport: Transport = "ha-vpn"
    """`ha-vpn`: the providers' redundant IPsec topologies (IKEv2, AES-256, SHA-256, DH group 14; generated
    pre-shared keys kept as Pulumi secrets). `dedicated`: Direct Connect, Partner Interconnect and ExpressRoute
    (see `dedicated`). `aws-interconnect` is refused while pulumi-aws has no such resource."""
    hub: CloudName | None = None
    """The cloud every other cloud links to; required with `topology: hub`, and only then."""
    regions: LinkedRegions = LinkedRegions()
    """Per cloud, the regions that take part (up to 4); every listed region links to every listed region of the
    other cloud. Default: each cloud's home region."""
    asns: AsnOverrides = AsnOverrides()
    """BGP ASN overrides; only the Azure VPN gateways' ASNs may be chosen (AWS and GCP ASNs are fixed by the
    foundation networks)."""
    dedicated: Dedicated | None = None
    """Provider-side settings of the dedicated circuits, per linked cloud; only with `transport: dedicated`."""


# --- what the components read ------------------------------------------------------------------


def linked_regions(lz: LandingZone) -> dict[str, list[str]]:
    """Per enabled cloud, the regions that take part (the spec's list, else the home region)."""
    out: dict[str, list[str]] = {}
    for cloud in lz.clouds.enabled():
        chosen = getattr(lz.interconnect.regions, cloud)
        out[cloud] = list(chosen) if chosen else [lz.clouds.get(cloud).regions[0]]
    return out


def asns(lz: LandingZone) -> dict[str, dict[str, int]]:
    regions = {cloud: list(lz.clouds.get(cloud).regions) for cloud in lz.clouds.enabled()}
    return interconnect_plan.asn_plan(regions, {"azure": dict(lz.interconnect.asns.azure)})


def links(lz: LandingZone) -> list[interconnect_plan.Link]:
    ic = lz.interconnect
    return interconnect_plan.plan_links(lz.clouds.enabled(), linked_regions(lz), ic.topology, ic.hub)


# --- rules ---------------------------------------------------------------------------------------


def check(lz: LandingZone) -> None:
    """Cross-field rules of `interconnect`, raised with their key path from the landing zone's root."""
    ic = lz.interconnect
    enabled = lz.clouds.enabled()
    if ic.topology != "none" and len(enabled) < 2:
        raise SpecError(
            ("interconnect", "topology"),
            f"{ic.topology!r} links clouds, but only {enabled[0]} is enabled; "
            "enable a second cloud or set topology: none",
        )
    if ic.topology == "hub":
        if ic.hub is None:
            raise SpecError(("interconnect", "hub"), "topology 'hub' needs hub: aws | gcp | azure")
        if ic.hub not in enabled:
            raise SpecError(("interconnect", "hub"), f"hub {ic.hub!r} is not an enabled cloud ({', '.join(enabled)})")
    elif ic.hub is not None:
        raise SpecError(("interconnect", "hub"), "hub applies only to topology 'hub'")
    _check_transport(lz)
    _check_regions(lz)
    _check_asns(lz)
    _check_dedicated(lz)


def _check_transport(lz: LandingZone) -> None:
    if lz.interconnect.transport != "aws-interconnect":
        return
    if aws_interconnect_module() is None:
        raise SpecError(
            ("interconnect", "transport"),
            f"'aws-interconnect' (AWS Interconnect - multicloud) has no resource in the installed "
            f"pulumi-aws {_pulumi_aws_version()}, so the landing zone cannot build it; use "
            "'ha-vpn' or 'dedicated' until a pulumi-aws release adds it",
        )
    if lz.clouds.aws is None:
        raise SpecError(
            ("interconnect", "transport"), "'aws-interconnect' links AWS to other clouds, but clouds.aws is not enabled"
        )


def _check_regions(lz: LandingZone) -> None:
    chosen = lz.interconnect.regions
    enabled = lz.clouds.enabled()
    for cloud in ("aws", "gcp", "azure"):
        listed = getattr(chosen, cloud)
        if listed is None:
            continue
        path = ("interconnect", "regions", cloud)
        if lz.interconnect.topology == "none":
            raise SpecError(path, "regions apply only when the topology links clouds (topology: none)")
        if cloud not in enabled:
            raise SpecError(path, f"clouds.{cloud} is not enabled")
        known = lz.clouds.get(cloud).regions
        seen: set[str] = set()
        for i, region in enumerate(listed):
            if region not in known:
                raise SpecError(path + (i,), f"{region!r} is not one of clouds.{cloud}.regions ({', '.join(known)})")
            if region in seen:
                raise SpecError(path + (i,), f"region {region!r} is listed twice")
            seen.add(region)


def _check_asns(lz: LandingZone) -> None:
    overrides = lz.interconnect.asns.azure
    if overrides and lz.clouds.azure is None:
        raise SpecError(("interconnect", "asns", "azure"), "clouds.azure is not enabled")
    try:
        asns(lz)
    except interconnect_plan.PlanError as exc:
        if exc.cloud == "azure" and exc.key in overrides:
            raise SpecError(("interconnect", "asns", "azure", exc.key), exc.message) from None
        # A clash between defaults cannot happen (the bases are apart); name the cloud's regions.
        raise SpecError(("clouds", exc.cloud, "regions"), exc.message) from None


def _check_dedicated(lz: LandingZone) -> None:
    ic = lz.interconnect
    enabled = lz.clouds.enabled()
    if ic.dedicated is not None and ic.transport != "dedicated":
        raise SpecError(
            ("interconnect", "dedicated"), f"applies only to transport 'dedicated' (it is {ic.transport!r})"
        )
    if ic.transport != "dedicated" or ic.topology == "none":
        return
    linked = {c for pair in interconnect_plan.linked_pairs(enabled, ic.topology, ic.hub) for c in pair}
    for cloud in ("aws", "gcp", "azure"):
        section = getattr(ic.dedicated, cloud) if ic.dedicated is not None else None
        if cloud in linked and section is None:
            what = {
                "aws": "connection_ids, vlans and peer_asn of the Direct Connect connections",
                "gcp": "the Partner Interconnect attachments' mtu, or {} for the defaults",
                "azure": "service_provider, peering_location and bandwidth_mbps of the ExpressRoute circuit",
            }
            path = ("interconnect", "dedicated", cloud) if ic.dedicated is not None else ("interconnect", "dedicated")
            raise SpecError(
                path, f"transport 'dedicated' links {cloud}: give the provider-side settings ({what[cloud]})"
            )
        if section is not None and cloud not in enabled:
            raise SpecError(("interconnect", "dedicated", cloud), f"clouds.{cloud} is not enabled")
