"""Container images through registries the landing zone controls: upstreams, cache paths, rewritten names.

Pure functions, no Pulumi. An image reference (`otel/opentelemetry-collector-contrib:0.120.0`) is
split into its upstream registry, repository path and tag or digest (`parse`). Each upstream the
landing zone can mirror has a fixed cache path (`docker-hub`, `ecr-public`, ...), the same in every
cloud, so the rewritten name differs between clouds only by the registry's host:

* AWS, an ECR pull-through cache rule per region: `<account>.dkr.ecr.<region>.amazonaws.com/<path>/<repo>`;
* GCP, an Artifact Registry remote repository per region and upstream:
  `<region>-docker.pkg.dev/<project>/<org>-<env>-<path>/<repo>`;
* Azure, a Premium container registry per region with one cache rule per repository:
  `<registry>.azurecr.io/<path>/<repo>`.

The upstreams each cloud can cache, and which need credentials, as documented (read 2026-12):
ECR "Sync an upstream registry with an Amazon ECR private registry" (docs.aws.amazon.com/AmazonECR/
latest/userguide/pull-through-cache.html): ECR Public, registry.k8s.io and Quay need none; Docker Hub,
GitHub Container Registry (and GitLab, ACR, Chainguard) need a Secrets Manager secret named
`ecr-pullthroughcache/...`. Artifact Registry "Remote repositories overview"
(cloud.google.com/artifact-registry/docs/repositories/remote-overview): Docker Hub as a preset,
other Docker registries as custom remotes; credentials optional. ACR "Artifact cache"
(learn.microsoft.com/azure/container-registry/artifact-cache-overview): Docker Hub, ECR Public,
GHCR, Quay, registry.k8s.io among others; credentials optional.

What it does not do: private upstreams, or images already on a registry of one of the clouds (those
are left as written and judged by the reachability analysis).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lz.core import naming


@dataclass(frozen=True)
class Upstream:
    host: str  # how image references name it
    path: str  # the cache path (ECR prefix, AR repository suffix, ACR target namespace)
    ecr_url: str  # ECR's `upstreamRegistryUrl`
    ecr_needs_credential: bool  # ECR refuses the rule without an `ecr-pullthroughcache/` secret
    gcp_preset: str | None  # Artifact Registry's `publicRepository` preset, else a custom remote URL
    library: bool = False  # single-name images live under `library/` (Docker Hub official images)


UPSTREAMS: dict[str, Upstream] = {
    "docker.io": Upstream("docker.io", "docker-hub", "registry-1.docker.io", True, "DOCKER_HUB", library=True),
    "public.ecr.aws": Upstream("public.ecr.aws", "ecr-public", "public.ecr.aws", False, None),
    "quay.io": Upstream("quay.io", "quay", "quay.io", False, None),
    "registry.k8s.io": Upstream("registry.k8s.io", "k8s", "registry.k8s.io", False, None),
    "ghcr.io": Upstream("ghcr.io", "github", "ghcr.io", True, None),
}
_DOCKER_HUB_ALIASES = ("docker.io", "index.docker.io", "registry-1.docker.io")
# The host names a Docker Hub pull touches (docs.docker.com "Allowlist for Docker Hub", read 2026-12).
DOCKER_HUB_PULL_HOSTS = ("registry-1.docker.io", "auth.docker.io", "production.cloudflare.docker.com")
CLOUD_REGISTRY = re.compile(r"(\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com|-docker\.pkg\.dev|\.azurecr\.io|^gcr\.io)$")


@dataclass(frozen=True)
class ImageRef:
    registry: str  # host of the upstream as written (docker.io for the default)
    repository: str  # path inside the registry, with `library/` for Docker Hub official images
    reference: str  # ":tag" or "@sha256:..."

    @property
    def upstream(self) -> Upstream | None:
        return UPSTREAMS.get(self.registry)


def parse(image: str) -> ImageRef:
    """Split an image reference; the default registry is Docker Hub."""
    at = image.find("@")
    if at >= 0:
        name, reference = image[:at], image[at:]
    else:
        slash = image.rfind("/")
        colon = image.rfind(":")
        name, reference = (image[:colon], image[colon:]) if colon > slash else (image, ":latest")
    first, _, rest = name.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        registry, repository = first, rest
    else:
        registry, repository = "docker.io", name
    if registry in _DOCKER_HUB_ALIASES:
        registry = "docker.io"
        if "/" not in repository:
            repository = f"library/{repository}"
    return ImageRef(registry, repository, reference)


def upstream_of(image: str) -> Upstream | None:
    """The mirrorable upstream an image comes from, or None (a cloud registry or an unsupported one)."""
    return parse(image).upstream


def gcp_repository_id(org: str, env: str, upstream: Upstream) -> str:
    """Artifact Registry repository ids: lower-case letters, digits and '-', 63 at most."""
    return naming.slug(org, env, upstream.path, max_len=63)


def azure_registry_name(org: str, env: str, region_code: str) -> str:
    """ACR names are 5-50 letters and digits, globally unique: org, env and region code, hashed if long."""
    return naming.slug("acr", org, env, region_code, max_len=50, sep="")


def ecr_host(account: str, region: str) -> str:
    suffix = ".amazonaws.com.cn" if region.startswith("cn-") else ".amazonaws.com"
    return f"{account}.dkr.ecr.{region}{suffix}"


def gcp_host(region: str) -> str:
    return f"{region}-docker.pkg.dev"


def azure_host(registry: str) -> str:
    return f"{registry}.azurecr.io"


def aws_image(image: str, account: str, region: str) -> str:
    ref = parse(image)
    up = _require(ref)
    return f"{ecr_host(account, region)}/{up.path}/{ref.repository}{ref.reference}"


def gcp_image(image: str, project: str, region: str, org: str, env: str) -> str:
    ref = parse(image)
    up = _require(ref)
    return f"{gcp_host(region)}/{project}/{gcp_repository_id(org, env, up)}/{ref.repository}{ref.reference}"


def azure_image(image: str, registry: str) -> str:
    ref = parse(image)
    up = _require(ref)
    return f"{azure_host(registry)}/{up.path}/{ref.repository}{ref.reference}"


def azure_cache_rule(image: str) -> tuple[str, str, str]:
    """(rule name, source repository, target repository) of the ACR cache rule an image needs.

    Rule names: 5-50 letters, digits and '-' (ACR's CacheRule name rule); a hash keeps long paths unique.
    """
    ref = parse(image)
    up = _require(ref)
    target = f"{up.path}/{ref.repository}"
    return naming.slug("cache", target, max_len=50), f"{up.host}/{ref.repository}", target


def _require(ref: ImageRef) -> Upstream:
    up = ref.upstream
    if up is None:
        raise ValueError(f"{ref.registry} is not an upstream the landing zone mirrors ({', '.join(UPSTREAMS)})")
    return up


def internet_pull_hosts(image: str) -> list[str]:
    """The internet names a workload pulling `image` itself must reach; none for a cloud's own registry."""
    first = image.split("/", 1)[0]
    if "/" not in image or ("." not in first and ":" not in first and first != "localhost"):
        return list(DOCKER_HUB_PULL_HOSTS)  # Docker Hub is the default registry
    if first in _DOCKER_HUB_ALIASES:
        return list(DOCKER_HUB_PULL_HOSTS)
    if CLOUD_REGISTRY.search(first.split(":", 1)[0]):
        return []
    return [first.split(":", 1)[0]]
