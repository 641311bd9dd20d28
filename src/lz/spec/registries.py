"""The `registries` key of a foundation: workload images through registries the landing zone controls.

With `mirror: true`, every image the landing zone runs (today the OpenTelemetry collector,
`telemetry.image`, on the gateways and the GPU clusters' agents) is pulled from a cache in the same
cloud and region: an ECR pull-through cache (AWS), an Artifact Registry remote repository (GCP), a
Premium container registry with cache rules (Azure), each reached over the zone's private paths. No
workload then pulls from the internet itself, whatever `egress.mode` says; the caches fetch from
the upstream through the cloud's own service.

ECR caches Docker Hub and GitHub Container Registry only with credentials (a Secrets Manager secret
it reads). `credentials` maps such an upstream to the name of a Pulumi *secret* config key whose
value is the JSON `{"username": "...", "accessToken": "..."}`; the value never appears in the spec.
Artifact Registry and ACR pull these upstreams anonymously (their rate limits apply to the first
pull of each tag only).

What it does not decide: the resources (components/registry) or whether the paths exist
(policies/reachability).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pydantic import Field, field_validator

from lz.core import registries
from lz.spec.base import SpecError, StrictModel

if TYPE_CHECKING:
    from lz.spec.foundation import LandingZone

CONFIG_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")


class Registries(StrictModel):
    """Workload images through a cache registry per cloud and region, so no workload pulls from the internet."""

    mirror: bool = False
    """Pull the landing zone's images (`telemetry.image`) through a registry per cloud and region: ECR pull-through
    cache, Artifact Registry remote repository, Azure Container Registry (Premium) cache rules; the workloads' image
    names are rewritten to it."""
    credentials: dict[str, str] = Field(default_factory=dict)
    """Upstream registry (`docker.io`, `ghcr.io`) -> the name of a Pulumi secret config key holding
    `{"username": ..., "accessToken": ...}` as JSON; never the value itself. ECR needs it for Docker Hub and GHCR."""

    @field_validator("credentials")
    @classmethod
    def _credentials(cls, value: dict[str, str]) -> dict[str, str]:
        for upstream, key in value.items():
            if upstream not in registries.UPSTREAMS:
                raise SpecError(
                    (upstream,),
                    f"{upstream!r} is no upstream the landing zone mirrors ({', '.join(registries.UPSTREAMS)})",
                )
            if not isinstance(key, str) or not CONFIG_KEY.match(key):
                raise SpecError(
                    (upstream,),
                    "must name a Pulumi secret config key (e.g. dockerHubCredential), never hold the credential: "
                    "store it with `pulumi config set --secret dockerHubCredential "
                    '\'{"username": "...", "accessToken": "..."}\'`',
                )
        return value


def mirrored_images(lz: LandingZone) -> list[str]:
    """The images the landing zone runs, each once."""
    return [lz.telemetry.image] if lz.telemetry.enabled else []


def check(lz: LandingZone) -> None:
    """A mirrored image comes from a known upstream, and ECR has the credential its upstream needs."""
    r = lz.registries
    if not r.mirror:
        if r.credentials:
            raise SpecError(("registries", "credentials"), "credentials are used only with mirror: true")
        return
    for image in mirrored_images(lz):
        ref = registries.parse(image)
        upstream = ref.upstream
        if upstream is None:
            raise SpecError(
                ("telemetry", "image"),
                f"{image!r} comes from {ref.registry}, which registries.mirror cannot cache; use an image from "
                f"{', '.join(registries.UPSTREAMS)}, or set registries.mirror: false",
            )
        if lz.clouds.aws is not None and upstream.ecr_needs_credential and upstream.host not in r.credentials:
            raise SpecError(
                ("registries", "credentials"),
                f"ECR caches {upstream.host} (telemetry.image {image!r}) only with credentials: name a secret "
                f"config key, e.g. `{upstream.host}: dockerHubCredential`, and set it with `pulumi config set "
                '--secret dockerHubCredential \'{"username": "...", "accessToken": "..."}\'`',
            )
