"""The identity stage of a foundation (wired by `lz.components.landing_zone`).

`build` maps the spec's role catalog onto every enabled cloud (`aws`: IAM Identity Center
permission sets, `gcp`: project IAM, `azure`: subscription RBAC) and returns, per role and cloud,
what was created and for which group: the stack output `foundation.identity`. With no roles nothing
is built.
"""

from __future__ import annotations

import importlib
from typing import Any

import pulumi

from lz.contracts.foundation import Foundations

from ..base import CloudContext

_COMPONENTS = (("aws", "AwsIdentityCenterRoles"), ("gcp", "GcpProjectRoles"), ("azure", "AzureSubscriptionRoles"))


def build(contexts: dict[str, CloudContext], foundations: Foundations, opts: pulumi.ResourceOptions) -> dict[str, Any]:
    spec = next(iter(contexts.values())).spec
    roles = spec.identity.roles
    if not roles:
        return {"roles": {}}
    name = f"{spec.organization}-{spec.environment}-identity"
    built: dict[str, dict[str, Any]] = {}
    for cloud, kind in _COMPONENTS:
        if cloud in contexts:
            # Each cloud's module imports its provider SDK: load only those of enabled clouds.
            component = getattr(importlib.import_module(f"{__name__}.{cloud}"), kind)
            built[cloud] = component(f"{name}-{cloud}", contexts[cloud], opts).outputs
    out: dict[str, Any] = {"roles": {role.name: {cloud: built[cloud][role.name] for cloud in built} for role in roles}}
    if spec.identity.aws is not None and "aws" in contexts:
        out["aws_identity_center"] = {
            "instance_arn": spec.identity.aws.instance_arn,
            "identity_store_id": spec.identity.aws.identity_store_id,
        }
    return out
