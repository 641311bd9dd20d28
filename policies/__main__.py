"""The landing-zone policy pack for `pulumi preview --policy-pack policies`.

Constructing `PolicyPack` starts the analyzer's gRPC server and blocks, so this file only does
that; the policies live in `lz.policies.pack` where `lz` imports them without a server.
"""

from pulumi_policy import EnforcementLevel, PolicyPack

from lz.policies.pack import PACK_NAME, POLICIES

PolicyPack(
    name=PACK_NAME,
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=POLICIES,
    description="Encryption, tagging, data residency and least-privilege guardrails for multicloud landing zones.",
)
