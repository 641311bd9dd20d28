"""What the three database replications share: engine versions per service, admin passwords, markers."""

from __future__ import annotations

import ipaddress

import pulumi
import pulumi_random as random

from lz.spec.wave import Database, marker_tags

ADMIN_USER = "lzadmin"
# Characters every engine and service accepts in a password (no quotes, '/', '@' or spaces).
PASSWORD_SPECIALS = "!#%*-_=+?"


def admin_password(name: str, parent: pulumi.Resource, provider: pulumi.ProviderResource) -> pulumi.Output[str]:
    """The target's admin password: generated, kept in the state, and passed on only as a secret."""
    password = random.RandomPassword(
        f"{name}-admin-password",
        length=32,
        special=True,
        override_special=PASSWORD_SPECIALS,
        min_lower=2,
        min_upper=2,
        min_numeric=2,
        min_special=2,
        opts=pulumi.ResourceOptions(parent=parent, provider=provider, additional_secret_outputs=["result"]),
    )
    # Explicitly secret wherever it flows (the provider marks `result` secret, offline mocks do not).
    return pulumi.Output.secret(password.result)


def replication_markers(database: Database, classification: str) -> dict[str, str]:
    # No `migration-deletes` marker: replaying row deletes is what change data capture is for; the
    # delete-propagation rules are about object transfers.
    return marker_tags("replication", classification, source=database.source, target=database.target)


def host_cidr(host: str) -> str | None:
    """`10.1.2.3` -> `10.1.2.3/32`; None for a DNS name (its address may change)."""
    try:
        return f"{ipaddress.ip_address(host)}/32"
    except ValueError:
        return None
