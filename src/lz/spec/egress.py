"""The `egress` key of a foundation: how (and whether) workloads reach the internet.

`mode: none` keeps the landing zone private-only: no internet path at all, so everything a workload
needs must be reachable through private endpoints. `nat` gives every private subnet an outbound path
through the cloud's NAT (AWS NAT gateways, GCP Cloud NAT, an Azure NAT gateway) with no filtering.
`firewall` sends outbound traffic through the cloud's firewall (AWS Network Firewall, a GCP network
firewall policy with FQDN rules, Azure Firewall), which lets through only the names in `allow`.

`allow` holds host names, lower-case. A leading `*.` allows every name under a domain
(`*.huggingface.co`); it is the only wildcard form, and it needs a registrable domain beneath it
(`*.co` is refused). GCP's FQDN objects take no wildcards at all (Cloud NGFW, "FQDN objects
overview", docs.cloud.google.com/firewall/docs/fqdn-objects-overview, read 2026-12), so a wildcard
is refused while GCP is enabled in `firewall` mode: list the names instead.

What it does not decide: the resources (components/egress) or whether a workload's path exists
(policies/network_reachability).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from lz.core import registries
from lz.core.paths_plan import dns_enabled, private_domain
from lz.spec.base import SpecError, StrictModel

if TYPE_CHECKING:
    from lz.spec.foundation import LandingZone

EgressMode = Literal["none", "nat", "firewall"]

# RFC 1035/1123 host names: labels of 1-63 letters, digits and '-', neither starting nor ending
# with '-', 253 characters in all. Lower-case only: the firewalls compare names as written.
_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_TLD = re.compile(r"^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")
MAX_NAME = 253
MAX_ALLOW = 200  # Azure Firewall and AWS domain lists take more; a longer list is a design smell


def fqdn_problem(name: object) -> str | None:
    """Why `name` is not an allowed egress destination, or None when it is."""
    if not isinstance(name, str):
        return f"expected a host name as text, not {type(name).__name__}"
    if name != name.strip() or not name:
        return "a host name has no surrounding spaces and is not empty"
    if "://" in name or "/" in name or ":" in name or "@" in name:
        return f"{name!r} is not a bare host name: drop the scheme, port, path or credentials (e.g. huggingface.co)"
    if name != name.lower():
        return f"{name!r}: write host names in lower case ({name.lower()!r})"
    body = name[2:] if name.startswith("*.") else name
    if "*" in body:
        return (
            f"{name!r}: the only wildcard is a whole leading label, '*.example.com'; "
            "partial ('a*.example.com') and inner wildcards are not matched by the firewalls"
        )
    if len(body) > MAX_NAME:
        return f"{name!r} is longer than {MAX_NAME} characters"
    if body.endswith("."):
        return f"{name!r}: drop the trailing dot"
    labels = body.split(".")
    if len(labels) < 2:
        if name.startswith("*."):
            return f"{name!r} would allow a whole top-level domain; put a registrable domain under the '*.'"
        return f"{name!r} is not a fully qualified name (at least one dot, e.g. pypi.org)"
    for label in labels:
        if not _LABEL.match(label):
            return f"{name!r}: label {label!r} must be 1-63 letters, digits or '-', not starting or ending with '-'"
    if not _TLD.match(labels[-1]) or labels[-1].isdigit():
        return f"{name!r} looks like an IP address or has no valid top-level domain; egress rules take names"
    return None


class Egress(StrictModel):
    """How workloads reach the internet: not at all, through NAT, or through a firewall with an allow list."""

    mode: EgressMode = "none"
    """`none`: no internet path, everything a workload needs must be private (endpoints, private
    registries; the OTLP endpoint a name under the zone's private domains, `<cloud>.<env>.<org>.internal`);
    `nat`: NAT per region (AWS NAT gateways, Cloud NAT, Azure NAT gateway); `firewall`:
    AWS Network Firewall, Cloud NAT with an FQDN firewall policy, Azure Firewall, each allowing only `allow`."""
    allow: list[str] = Field(default_factory=list, max_length=MAX_ALLOW)
    """Host names the firewall lets through (`firewall` mode only): model hubs, package and container
    registries, the OTLP endpoint. One wildcard form, `*.example.com`, except on GCP, whose FQDN rules take none."""

    @field_validator("allow", mode="before")
    @classmethod
    def _names(cls, value: object) -> object:
        if not isinstance(value, list):
            return value
        seen: set[str] = set()
        for i, name in enumerate(value):
            problem = fqdn_problem(name)
            if problem:
                raise SpecError((i,), problem)
            if name in seen:
                raise SpecError((i,), f"{name!r} is listed twice")
            seen.add(name)
        return value

    def allows(self, host: str) -> bool:
        """Whether a firewall built from this spec lets `host` through (`*.d` matches names under d)."""
        host = host.lower().rstrip(".")
        return any(host_allowed(host, entry) for entry in self.allow)


def host_allowed(host: str, entry: str) -> bool:
    if entry.startswith("*."):
        return host.endswith(entry[1:])
    return host == entry


def check(lz: LandingZone) -> None:
    """`allow` means something only for a firewall; a firewall on GCP takes no wildcards; with no
    egress at all, the OTLP endpoint must be a name the zone resolves privately."""
    egress = lz.egress
    _telemetry_without_egress(lz)
    if egress.mode != "firewall" and egress.allow:
        raise SpecError(
            ("egress", "allow"),
            f"an allow list filters only in mode 'firewall' (mode is {egress.mode!r}): NAT lets every "
            "name through and 'none' lets none; set mode: firewall or drop allow",
        )
    if egress.mode == "firewall" and lz.clouds.gcp is not None:
        for i, name in enumerate(egress.allow):
            if name.startswith("*."):
                raise SpecError(
                    ("egress", "allow", i),
                    f"{name!r}: GCP firewall policies match FQDN objects exactly and take no "
                    "wildcards; list each host name (e.g. huggingface.co, cdn-lfs.huggingface.co)",
                )


def _private_domains(lz: LandingZone) -> list[str]:
    """The zone's own private DNS domains: one per cloud where names cross clouds (lz.core.paths_plan)."""
    clouds = lz.clouds.enabled()
    if not dns_enabled(clouds, lz.interconnect.topology):
        return []
    return [private_domain(cloud, lz.organization, lz.environment) for cloud in clouds]


def _in_private_domains(lz: LandingZone, host: str) -> bool:
    return any(host == d or host.endswith("." + d) for d in _private_domains(lz))


def _image_hosts(lz: LandingZone) -> list[str]:
    """Internet names the collectors pull their image from: none when the zone mirrors it (`registries`)."""
    if not lz.telemetry.enabled or lz.registries.mirror:
        return []
    return registries.internet_pull_hosts(lz.telemetry.image)


def zone_needs(lz: LandingZone) -> list[str]:
    """Internet names the zone's own workloads need: the central OTLP endpoint unless it is the zone's
    own name, and the collector image's registry unless the zone mirrors it."""
    t = lz.telemetry
    if not t.enabled or not t.endpoint:
        return []
    host = (urlsplit(t.endpoint).hostname or "").lower()
    otlp = [] if not host or _in_private_domains(lz, host) else [host]
    return sorted({*otlp, *_image_hosts(lz)})


def allowed(lz: LandingZone) -> list[str]:
    """What the firewalls let through: `allow` plus the zone's own needs (`firewall` mode; else nothing).

    A user who lists the OTLP endpoint and one who forgets it get the same firewall: the zone's
    collectors must reach it, and the report lists every name the firewalls allow.
    """
    if lz.egress.mode != "firewall":
        return []
    return sorted(set(lz.egress.allow) | set(zone_needs(lz)))


def _telemetry_without_egress(lz: LandingZone) -> None:
    """`mode: none` leaves the collectors no way to an internet endpoint: refuse one up front.

    A name under one of the zone's private domains (`aws.dev.acme.internal`, ...) is resolved by
    the zone itself (and, across clouds, by its DNS forwarding), so a central collector the
    organisation runs inside the zone stays possible.
    """
    t = lz.telemetry
    if lz.egress.mode != "none" or not t.enabled or not t.endpoint:
        return
    if "azure" in lz.clouds.enabled():
        # The Azure gateway runs on Container Apps, whose platform pulls from Microsoft Container
        # Registry in every scenario ("Azure Container Apps environment integration with Azure
        # Firewall", learn.microsoft.com/azure/container-apps/use-azure-firewall, read 2026-12-05);
        # MCR offers no private endpoint.
        raise SpecError(
            ("egress", "mode"),
            "egress mode 'none' leaves the Azure collector gateways (Container Apps) no way to "
            "mcr.microsoft.com, which their platform pulls from and which has no private endpoint: use "
            "mode firewall (its dependencies are allowed automatically) or nat, or turn telemetry off",
        )
    # Cloud Run pulls through Google's own service; Fargate and the GPU clusters' agents pull
    # through the zone's networks.
    pulls_in_network = "aws" in lz.clouds.enabled() or bool(lz.gpu_pools)
    hosts = _image_hosts(lz)
    if hosts and pulls_in_network:
        raise SpecError(
            ("telemetry", "image"),
            f"{t.image!r} is pulled from {hosts[0]}, but egress mode 'none' gives the collectors no way out: "
            "set registries.mirror: true (a cache per cloud and region, reached privately), or egress.mode "
            "firewall (the registry is allowed automatically) or nat",
        )
    host = (urlsplit(t.endpoint).hostname or "").lower()
    if _in_private_domains(lz, host):
        return
    domains = _private_domains(lz)
    inside = (
        f"or run the central collector inside the zone under one of its private domains ({', '.join(domains)})"
        if domains
        else "or run the central collector inside the zone (its private domains exist where the interconnect "
        "joins two clouds or more)"
    )
    raise SpecError(
        ("telemetry", "endpoint"),
        f"{host!r} is not a name the zone resolves privately, and egress mode 'none' gives the collectors no "
        f"way out: set egress.mode to firewall (the endpoint is allowed automatically) or nat, {inside}",
    )
