"""`lz:registry:AwsPullThroughCache`: the landing zone's images through an ECR pull-through cache per region.

Per AWS region, for each upstream the zone's images come from (`lz.core.registries`):

* an ECR pull-through cache rule, prefix = the upstream's cache path (`docker-hub`, `ecr-public`, ...);
  images are pulled as `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>/<repository>:<tag>`
  through the region's `ecr.api`/`ecr.dkr` interface endpoints and the S3 gateway endpoint;
* where ECR needs credentials for the upstream (Docker Hub, GHCR), a Secrets Manager secret named
  `ecr-pullthroughcache/<org>-<env>-<prefix>` (the name ECR requires), encrypted with the region's
  KMS key, whose value comes from the Pulumi secret config key `registries.credentials` names. ECR
  reads it through its service-linked role `AWSServiceRoleForECRPullThroughCache`, whose managed
  policy grants `secretsmanager:GetSecretValue` on that prefix but no KMS use: a KMS grant lets it
  decrypt exactly this secret (encryption context `SecretARN`);
* a repository creation template for the prefix: repositories ECR creates on the first pull are
  encrypted with the region's KMS key and have immutable tags. KMS in a template needs a custom
  role ECR assumes (`ecr:CreateRepository`, `ecr:TagResource` on the prefix; `kms:CreateGrant`,
  `kms:RetireGrant`, `kms:DescribeKey` on the key: "Create a custom policy for repository creation
  templates", docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates-custom.html,
  read 2026-12);
* the registry's scanning configuration: basic scanning on push for the cache prefixes. It is one
  setting per registry and region, so it replaces any earlier one there.

Pullers (the gateways' task execution roles, the EKS node role) need, besides the usual pull
actions, `ecr:BatchImportUpstreamImage` and `ecr:CreateRepository` on the prefix for the first pull
of an image ("IAM permissions required to sync an upstream registry", .../pull-through-cache-iam.html,
read 2026-12): `pull_statements` returns them.

What it does not do: cache images of other accounts' ECR registries (IAM-role upstreams), or
replicate the cache across regions.
"""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws
from pulumi.runtime.config import is_config_secret

from lz.contracts.foundation import AwsFoundationOutputs, AwsRegionOutputs
from lz.core import registries
from lz.core.errors import InputError
from lz.spec.registries import mirrored_images

from ..base import CloudContext
from ..keys.aws import partition_of
from . import Mirror

SECRET_PREFIX = "ecr-pullthroughcache/"  # ECR reads upstream credentials only from secrets named so
SECRET_RECOVERY_DAYS = 7
SLR_SERVICE = "pullthroughcache.ecr.amazonaws.com"
SLR_NAME = "AWSServiceRoleForECRPullThroughCache"
FIRST_PULL_ACTIONS = ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"]
PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]


def upstreams(ctx: CloudContext) -> list[registries.Upstream]:
    """The upstreams the zone's images come from, each once, in a stable order."""
    found = {u.host: u for u in (registries.upstream_of(i) for i in mirrored_images(ctx.spec)) if u}
    return [found[h] for h in sorted(found)]


def repository_arns(ctx: CloudContext, region: str) -> list[str]:
    partition = partition_of(region)
    account = ctx.cloud_spec.account_id
    return [f"arn:{partition}:ecr:{region}:{account}:repository/{u.path}/*" for u in upstreams(ctx)]


def pull_statements(ctx: CloudContext, region: str, *, token: bool = True) -> list[dict[str, Any]]:
    """IAM statements a puller of the region's cache needs (`token=False`: the role already has
    `ecr:GetAuthorizationToken` and the pull actions, e.g. from AmazonEC2ContainerRegistryPullOnly)."""
    arns = repository_arns(ctx, region)
    if not arns:
        return []
    statements: list[dict[str, Any]] = [
        {
            "Sid": "PullThroughCacheFirstPull",
            "Effect": "Allow",
            "Action": FIRST_PULL_ACTIONS + (PULL_ACTIONS if token else []),
            "Resource": arns,
        }
    ]
    if token:
        # GetAuthorizationToken has no resource-level permissions (Service Authorization Reference, ECR).
        statements.append(
            {"Sid": "RegistryToken", "Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"], "Resource": "*"}
        )
    return statements


def credential(ctx: CloudContext, upstream: registries.Upstream) -> pulumi.Output[str]:
    """The upstream's credential from the secret config key `registries.credentials` names."""
    key = ctx.spec.registries.credentials.get(upstream.host)
    if key is None:  # the spec refuses this already; kept for graphs built from other specs
        raise InputError(
            f"registries.credentials names no config key for {upstream.host}", key="registries.credentials"
        )
    config = pulumi.Config()
    full = config.full_key(key)
    value = config.get_secret(key)
    if value is None:
        raise InputError(
            f"config key {full!r} (named by registries.credentials.{upstream.host}) is not set: run "
            f'`pulumi config set --secret {key} \'{{"username": "...", "accessToken": "..."}}\'`',
            key=f"config.{full}",
        )
    if not is_config_secret(full):
        raise InputError(
            f"config key {full!r} holds the {upstream.host} credential in plain text: set it again with "
            f"`pulumi config set --secret {key} ...` so it is encrypted in the stack file",
            key=f"config.{full}",
        )
    return value


def _policy(statements: list[dict[str, Any]]) -> pulumi.Output[str]:
    return pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": statements})


class AwsPullThroughCache(pulumi.ComponentResource):
    """`lz:registry:AwsPullThroughCache`: ECR pull-through cache rules of one region, and how repositories are made."""

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        region: str,
        *,
        network: AwsRegionOutputs,
        service_role: pulumi.Resource | None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:registry:AwsPullThroughCache", name, None, opts)
        code = ctx.region_code(region)
        partition = partition_of(region)
        account = ctx.cloud_spec.account_id
        key_arn = network["kms_key_arn"]
        found = upstreams(ctx)

        def child(**kwargs: Any) -> pulumi.ResourceOptions:
            return ctx.opts(self, region=region, **kwargs)

        self.creation_role = aws.iam.Role(
            f"{name}-creation-role",
            name=ctx.physical(code, "ecr-cache", max_len=64),
            description=f"ECR creates the pull-through cache repositories of {region}, encrypted with the region key",
            assume_role_policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    # As documented for template roles; ECR assumes only a role of the registry's own
                    # account ("This role must be in the same account as the registry").
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "ecr.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                }
            ),
            max_session_duration=3600,
            force_detach_policies=True,
            tags=ctx.tags_with(Name=ctx.physical(code, "ecr-cache")),
            opts=child(),
        )
        self.creation_policy = aws.iam.RolePolicy(
            f"{name}-creation-policy",
            name="ecr-cache-repositories",
            role=self.creation_role.name,
            policy=_policy(
                [
                    {
                        "Sid": "CreateCacheRepositories",
                        "Effect": "Allow",
                        "Action": ["ecr:CreateRepository", "ecr:TagResource"],
                        "Resource": repository_arns(ctx, region),
                    },
                    {
                        "Sid": "EncryptCacheRepositories",
                        "Effect": "Allow",
                        "Action": ["kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"],
                        "Resource": [key_arn],
                    },
                ]
            ),
            opts=child(),
        )

        self.rules: dict[str, aws.ecr.PullThroughCacheRule] = {}
        self.templates: dict[str, aws.ecr.RepositoryCreationTemplate] = {}
        self.secrets: dict[str, aws.secretsmanager.Secret] = {}
        for upstream in found:
            rule_deps: list[pulumi.Resource] = []
            credential_arn: pulumi.Input[str] | None = None
            if upstream.ecr_needs_credential:
                secret = aws.secretsmanager.Secret(
                    f"{name}-{upstream.path}-credential",
                    name=f"{SECRET_PREFIX}{ctx.org}-{ctx.env}-{upstream.path}",
                    description=f"{upstream.host} credentials of the ECR pull-through cache in {region}",
                    kms_key_id=key_arn,
                    recovery_window_in_days=0 if ctx.spec.disposable else SECRET_RECOVERY_DAYS,
                    tags=ctx.tags_with(Name=ctx.physical(code, upstream.path, "credential")),
                    opts=child(data=True),
                )
                version = aws.secretsmanager.SecretVersion(
                    f"{name}-{upstream.path}-credential-value",
                    secret_id=secret.id,
                    secret_string=credential(ctx, upstream),
                    opts=child(),
                )
                # The service-linked role may decrypt this secret's value only (Secrets Manager puts
                # the secret's ARN in the encryption context).
                slr = f"arn:{partition}:iam::{account}:role/aws-service-role/{SLR_SERVICE}/{SLR_NAME}"
                grant = aws.kms.Grant(
                    f"{name}-{upstream.path}-credential-grant",
                    name=ctx.physical(code, upstream.path, "ptc"),
                    key_id=key_arn,
                    grantee_principal=slr,
                    operations=["Decrypt"],
                    constraints=[aws.kms.GrantConstraintArgs(encryption_context_subset={"SecretARN": secret.arn})],
                    retire_on_delete=True,
                    opts=child(depends_on=[service_role] if service_role else None),
                )
                self.secrets[upstream.host] = secret
                rule_deps += [version, grant]
                credential_arn = secret.arn
            self.templates[upstream.host] = aws.ecr.RepositoryCreationTemplate(
                f"{name}-{upstream.path}-template",
                prefix=upstream.path,
                description=f"Repositories of the {upstream.host} pull-through cache",
                applied_fors=["PULL_THROUGH_CACHE"],
                custom_role_arn=self.creation_role.arn,
                encryption_configurations=[
                    aws.ecr.RepositoryCreationTemplateEncryptionConfigurationArgs(
                        encryption_type="KMS", kms_key=key_arn
                    )
                ],
                image_tag_mutability="IMMUTABLE",
                resource_tags=ctx.tags,
                opts=child(depends_on=[self.creation_policy]),
            )
            self.rules[upstream.host] = aws.ecr.PullThroughCacheRule(
                f"{name}-{upstream.path}",
                ecr_repository_prefix=upstream.path,
                upstream_registry_url=upstream.ecr_url,
                credential_arn=credential_arn,
                # The template must exist before the first pull creates a repository.
                opts=child(depends_on=[*rule_deps, self.templates[upstream.host]]),
            )
        self.scanning = aws.ecr.RegistryScanningConfiguration(
            f"{name}-scanning",
            scan_type="BASIC",
            rules=[
                aws.ecr.RegistryScanningConfigurationRuleArgs(
                    scan_frequency="SCAN_ON_PUSH",
                    repository_filters=[
                        aws.ecr.RegistryScanningConfigurationRuleRepositoryFilterArgs(
                            filter=f"{u.path}/*", filter_type="WILDCARD"
                        )
                        for u in found
                    ],
                )
            ],
            opts=child(),
        )
        self.host = registries.ecr_host(account, region)
        self.register_outputs({"host": self.host, "prefixes": [u.path for u in found]})


def service_linked_role(ctx: CloudContext, opts: pulumi.ResourceOptions) -> pulumi.Resource:
    """`AWSServiceRoleForECRPullThroughCache`, which the credential grants name: ECR creates it with the
    first rule, but KMS refuses a grant to a role that does not exist yet. One per account; kept on destroy."""
    return aws.iam.ServiceLinkedRole(
        f"{ctx.org}-{ctx.env}-aws-ecr-pull-through-cache-role",
        aws_service_name=SLR_SERVICE,
        description="ECR pull-through cache reads upstream credentials",
        tags=ctx.tags,
        opts=ctx.opts(opts.parent, region=ctx.home_region, retain_on_delete=True),
    )


def build(ctx: CloudContext, foundation: AwsFoundationOutputs, opts: pulumi.ResourceOptions) -> dict[str, Mirror]:
    if not upstreams(ctx):
        return {}
    role = service_linked_role(ctx, opts) if any(u.ecr_needs_credential for u in upstreams(ctx)) else None
    account = ctx.cloud_spec.account_id
    out: dict[str, Mirror] = {}
    for region in ctx.regions:
        cache = AwsPullThroughCache(
            f"{ctx.org}-{ctx.env}-aws-registry-{region}",
            ctx,
            region,
            network=foundation["regions"][region],
            service_role=role,
            opts=opts,
        )

        def rewrite(image: str, region: str = region) -> str:
            return registries.aws_image(image, account, region) if registries.upstream_of(image) else image

        out[region] = Mirror(host=cache.host, rewrite=rewrite, resources=[*cache.rules.values()])
    return out
