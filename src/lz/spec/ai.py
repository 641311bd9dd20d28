"""The `ai_services` key of a foundation: which managed AI services workloads reach privately.

`bedrock` (AWS), `vertex-ai` (GCP) and `azure-openai` (Azure), each only on an enabled cloud and
each once. Bedrock and Azure OpenAI exist only in some regions (`lz.core.ai_services`, dated
lists); every region of the cloud must have the service, or the spec is refused naming the key and
the regions of the residency that do.

What it does not decide: the endpoints, accounts and zones (components/paths), or whether the GPU
clusters reach them (policies/reachability_ai).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lz.core import ai_services, regions
from lz.spec.base import SpecError

if TYPE_CHECKING:
    from lz.spec.foundation import LandingZone

NAMES = {"bedrock": "Amazon Bedrock", "vertex-ai": "Vertex AI", "azure-openai": "Azure OpenAI"}


def check(lz: LandingZone) -> None:
    """Each service once, on an enabled cloud, in regions where it exists."""
    enabled = lz.clouds.enabled()
    seen: set[str] = set()
    for i, service in enumerate(lz.ai_services):
        path = ("ai_services", i)
        if service in seen:
            raise SpecError(path, f"{service!r} is listed twice")
        seen.add(service)
        cloud = ai_services.CLOUD_OF[service]
        if cloud not in enabled:
            raise SpecError(
                path,
                f"{service!r} is a service of {cloud.upper()}, which this foundation does not enable "
                f"(clouds: {', '.join(enabled)}); add clouds.{cloud} or drop {service!r}",
            )
        for region in lz.clouds.get(cloud).regions:
            if ai_services.available(service, region):
                continue
            where = ai_services.supported(service, regions.regions_in(cloud, lz.residency))
            raise SpecError(
                path,
                f"{NAMES[service]} has no endpoint in {region!r} (clouds.{cloud}.regions; regional "
                f"availability as of {ai_services.AS_OF}), so it cannot be reached privately there; "
                f"regions of residency {lz.residency!r} that have it: {', '.join(where) or 'none'}",
            )
