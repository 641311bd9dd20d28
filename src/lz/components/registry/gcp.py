"""`lz:registry:GcpRemoteRepositories`: the landing zone's images through Artifact Registry remote repositories.

Once per project: the Artifact Registry API (left enabled on destroy, like the foundation's) and its
service agent, made with `gcp.projects.ServiceIdentity` after the API is on (the agent exists only
once generated; a CMEK grant to it before then fails). Per region, the agent is granted the region's
key, and then, per upstream the zone's images come from, a Docker remote repository
`<org>-<env>-<cache path>` encrypted with that key (Docker Hub through the `DOCKER_HUB` preset, other
registries as a custom remote). Images are pulled as
`<region>-docker.pkg.dev/<project>/<repository>/<path>:<tag>`; GKE nodes reach `pkg.dev` over Private
Google Access (the private zone of `lz.components.paths.gcp`), and Cloud Run pulls through Google's
own network.

`reader_grants` gives a puller `roles/artifactregistry.reader` on the region's repositories (the
Cloud Run service agent and gateway account, GKE node accounts), waiting for whatever makes that
member exist. The remote repositories pull upstream anonymously ("Remote repositories overview",
cloud.google.com/artifact-registry/docs/repositories/remote-overview, read 2026-12): Docker Hub's
anonymous limit applies to the first pull of each tag only.

What it does not do: vulnerability scanning of remote repositories (Artifact Analysis bills per
image and is a project setting), or cleanup policies (a cached tag is small and pinned).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_gcp as gcp

from lz.contracts.foundation import GcpFoundationOutputs
from lz.core import registries
from lz.spec.registries import mirrored_images

from ..base import CloudContext
from ..keys.gcp import ENCRYPTER_DECRYPTER
from . import Mirror, mirror

API = "artifactregistry.googleapis.com"
READER = "roles/artifactregistry.reader"


def upstreams(ctx: CloudContext) -> list[registries.Upstream]:
    found = {u.host: u for u in (registries.upstream_of(i) for i in mirrored_images(ctx.spec)) if u}
    return [found[h] for h in sorted(found)]


class GcpRemoteRepositories(pulumi.ComponentResource):
    """`lz:registry:GcpRemoteRepositories`: Artifact Registry remote repositories per region, CMEK-encrypted."""

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        *,
        foundation: GcpFoundationOutputs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:registry:GcpRemoteRepositories", name, None, opts)
        project = ctx.cloud_spec.project
        self.api = gcp.projects.Service(
            f"{name}-api",
            project=project,
            service=API,
            disable_on_destroy=False,
            disable_dependent_services=False,
            opts=ctx.opts(self),
        )
        self.agent = gcp.projects.ServiceIdentity(
            f"{name}-agent",
            project=project,
            service=API,
            opts=ctx.opts(self, depends_on=[self.api]),
        )
        self.key_grants: dict[str, gcp.kms.CryptoKeyIAMMember] = {}
        self.repositories: dict[str, dict[str, gcp.artifactregistry.Repository]] = {}
        for region in ctx.regions:
            kms_key = foundation["regions"][region]["kms_key_id"]
            grant = gcp.kms.CryptoKeyIAMMember(
                f"{name}-{region}-agent-key",
                crypto_key_id=kms_key,
                role=ENCRYPTER_DECRYPTER,
                member=self.agent.member,
                opts=ctx.opts(self, region=region, depends_on=[self.agent]),
            )
            self.key_grants[region] = grant
            self.repositories[region] = {}
            for upstream in upstreams(ctx):
                if upstream.gcp_preset:
                    docker = gcp.artifactregistry.RepositoryRemoteRepositoryConfigDockerRepositoryArgs(
                        public_repository=upstream.gcp_preset
                    )
                    config = gcp.artifactregistry.RepositoryRemoteRepositoryConfigArgs(
                        description=f"{upstream.host} cache", docker_repository=docker
                    )
                else:
                    config = gcp.artifactregistry.RepositoryRemoteRepositoryConfigArgs(
                        description=f"{upstream.host} cache",
                        common_repository=gcp.artifactregistry.RepositoryRemoteRepositoryConfigCommonRepositoryArgs(
                            uri=f"https://{upstream.host}"
                        ),
                    )
                self.repositories[region][upstream.host] = gcp.artifactregistry.Repository(
                    f"{name}-{region}-{upstream.path}",
                    project=project,
                    location=region,
                    repository_id=registries.gcp_repository_id(ctx.org, ctx.env, upstream),
                    description=f"Cache of {upstream.host} for the landing zone's workloads in {region}",
                    format="DOCKER",
                    mode="REMOTE_REPOSITORY",
                    remote_repository_config=config,
                    kms_key_name=kms_key,
                    labels=ctx.tags,
                    opts=ctx.opts(self, region=region, data=True, depends_on=[grant]),
                )
        self.register_outputs({"regions": list(ctx.regions), "upstreams": [u.host for u in upstreams(ctx)]})


def reader_grants(
    ctx: CloudContext,
    parent: pulumi.Resource,
    name: str,
    region: str,
    members: dict[str, pulumi.Input[str]],
    *,
    after: list[pulumi.Resource] | None = None,
) -> list[pulumi.Resource]:
    """`roles/artifactregistry.reader` on the region's cache repositories for each member (key -> member)."""
    m = mirror(ctx, region)
    if m is None:
        return []
    grants: list[pulumi.Resource] = []
    for key, member in sorted(members.items()):
        for host, repo in sorted(m.extra["repositories"].items()):
            grants.append(
                gcp.artifactregistry.RepositoryIamMember(
                    f"{name}-{key}-reads-{registries.UPSTREAMS[host].path}",
                    project=ctx.cloud_spec.project,
                    location=region,
                    repository=repo.name,
                    role=READER,
                    member=member,
                    opts=ctx.opts(parent, region=region, depends_on=after),
                )
            )
    return grants


def build(ctx: CloudContext, foundation: GcpFoundationOutputs, opts: pulumi.ResourceOptions) -> dict[str, Mirror]:
    if not upstreams(ctx):
        return {}
    repos = GcpRemoteRepositories(f"{ctx.org}-{ctx.env}-gcp-registry", ctx, foundation=foundation, opts=opts)
    project = ctx.cloud_spec.project
    out: dict[str, Mirror] = {}
    for region in ctx.regions:

        def rewrite(image: str, region: str = region) -> str:
            if registries.upstream_of(image) is None:
                return image
            return registries.gcp_image(image, project, region, ctx.org, ctx.env)

        by_host: dict[str, Any] = repos.repositories[region]
        out[region] = Mirror(
            host=registries.gcp_host(region),
            rewrite=rewrite,
            resources=list(by_host.values()),
            extra={"repositories": by_host},
        )
    return out
