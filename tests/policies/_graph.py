"""Building blocks for policy tests: resources and providers as `lz.core.graph.Resource`, and a runner.

Resources are built the way `lz.core.graph` reads them back from a stack export (provider references as
`"<provider urn>::<id>"`), then evaluated by `lz.review.evaluate.evaluate` exactly as `lz plan` does.
"""

from __future__ import annotations

from typing import Any

from lz.core.graph import Resource
from lz.policies.pack import POLICIES
from lz.review.evaluate import Evaluation, PolicySettings, evaluate

STACK = "urn:pulumi:dev::lz-test::"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # pulumi-policy's unknown-string sentinel

AWS_KEY = "arn:aws:kms:eu-west-1:111111111111:key/0d3c2f6e-1111-2222-3333-444455556666"
GCP_KEY = "projects/acme/locations/europe-west4/keyRings/acme/cryptoKeys/data"
AZURE_KEY_URI = "https://acme-kv.vault.azure.net/keys/data"
DES_ID = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/"
    "Microsoft.Compute/diskEncryptionSets/des"
)

REQUIRED = {
    "owner": "platform-team",
    "cost-center": "4711",
    "data-classification": "confidential",
    "environment": "dev",
    "managed-by": "pulumi",
}


def urn(type_: str, name: str) -> str:
    return f"{STACK}{type_}::{name}"


def provider(package: str, name: str, **inputs: Any) -> Resource:
    return Resource(
        urn=urn(f"pulumi:providers:{package}", name),
        type=f"pulumi:providers:{package}",
        custom=True,
        inputs=dict(inputs),
        id=f"{name}-id",
    )


def aws_provider(region: str = "eu-west-1", **inputs: Any) -> Resource:
    return provider("aws", f"aws-{region}", region=region, **inputs)


def gcp_provider(region: str = "europe-west4", **inputs: Any) -> Resource:
    return provider("gcp", "gcp", project="acme", region=region, **inputs)


def azure_provider(location: str = "westeurope") -> Resource:
    return provider("azure-native", "azure", location=location)


def resource(
    type_: str,
    name: str,
    inputs: dict[str, Any] | None = None,
    *,
    provider: Resource | None = None,
    property_dependencies: dict[str, list[str]] | None = None,
) -> Resource:
    deps = property_dependencies or {}
    return Resource(
        urn=urn(type_, name),
        type=type_,
        custom=True,
        inputs=dict(inputs or {}),
        provider=f"{provider.urn}::{provider.id}" if provider else "",
        dependencies=sorted({d for v in deps.values() for d in v}),
        property_dependencies=deps,
    )


def run(resources: list[Resource], policies: list[Any] | None = None, **overrides: Any) -> Evaluation:
    settings = {"allowedJurisdictions": ["eu"], **overrides}
    return evaluate(
        resources,
        policies if policies is not None else POLICIES,
        PolicySettings(overrides={k: v for k, v in settings.items() if v is not None}),
    )


def by_policy(ev: Evaluation, policy: str, target: str | None = None) -> list[str]:
    """Messages of `policy`'s findings (on `target` when given)."""
    return [f.message for f in ev.findings if f.policy == policy and (target is None or f.urn == target)]


def policy_named(name: str) -> Any:
    return next(p for p in POLICIES if p.name == name)
