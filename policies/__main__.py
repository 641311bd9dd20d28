"""The landing-zone policy pack for `pulumi preview --policy-pack policies`.

Constructing `PolicyPack` starts the analyzer's gRPC server and blocks, so this file only does
that; the policies live in `lz.policies.pack` where `lz` imports them without a server.
"""

import os
import sys

# The pack runs from the policies/ directory; make the project (lz, policies) importable.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from pulumi_policy import EnforcementLevel, PolicyPack  # noqa: E402

from lz.policies.pack import PACK_NAME, POLICIES  # noqa: E402

PolicyPack(
    name=PACK_NAME,
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=POLICIES,
    description="Encryption, tagging, data residency and least-privilege guardrails for multicloud landing zones.",
)
