"""Customer-managed encryption keys for one GCP region: a Cloud KMS key ring and its crypto keys.

`GcpRegionKeys` (`lz:keys:GcpRegionKeys`) creates a key ring located in the region itself (never
`global` or a multi-region: CMEK keys must sit where the data they protect sits, and residency says
where that is) and, for each purpose, a symmetric ENCRYPT_DECRYPT key that rotates every 90 days and
spends 30 days scheduled for destruction before a version is really gone. Keys use HSM protection in
`prod` and software protection elsewhere.

Each key is granted `roles/cloudkms.cryptoKeyEncrypterDecrypter` on the key itself (never at the
project) for the Google service agents that encrypt with it on the platform's behalf: the caller
passes them as `encrypters` (name -> IAM member) because discovering them takes invokes that depend
on APIs being enabled, which is the foundation's wiring, not this component's.

Deletion: rings and keys are protected (`protect`) outside `environment: test`. Cloud KMS never
deletes a key ring or key, and their names stay reserved in the project: destroying a disposable
stack only schedules key versions for destruction, and re-creating it in the same project needs the
same names back (Pulumi will fail on "already exists" and the ring has to be imported).

What it does not do: per-workload keys (waves add their own), key import, Autokey, EKM.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pulumi
import pulumi_gcp as gcp

from ..base import CloudContext

ROTATION_PERIOD = "7776000s"  # 90 days
DESTROY_SCHEDULED_DURATION = "2592000s"  # 30 days
ENCRYPTER_DECRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"

# The platform key encrypts the landing zone's own data at rest: log buckets, Cloud Storage buckets,
# persistent disks.
PLATFORM = "platform"
PURPOSES: tuple[str, ...] = (PLATFORM,)


class GcpRegionKeys(pulumi.ComponentResource):
    """`lz:keys:GcpRegionKeys`: a regional key ring, its rotating crypto keys and their service-agent grants."""

    key_ring: gcp.kms.KeyRing
    keys: dict[str, gcp.kms.CryptoKey]
    grants: dict[tuple[str, str], gcp.kms.CryptoKeyIAMMember]

    def __init__(
        self,
        name: str,
        ctx: CloudContext,
        *,
        region: str,
        encrypters: Mapping[str, pulumi.Input[str]],
        requires: Sequence[pulumi.Resource] = (),
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """`encrypters`: service agents (a stable name -> `serviceAccount:...` member) allowed to use the
        keys; `requires`: resources the ring must wait for (the Cloud KMS API being enabled)."""
        super().__init__("lz:keys:GcpRegionKeys", name, None, opts)
        code = ctx.region_code(region)
        self.region = region
        protection = "HSM" if ctx.env == "prod" else "SOFTWARE"

        self.key_ring = gcp.kms.KeyRing(
            f"{name}-ring",
            name=ctx.physical(code, "keyring"),
            project=ctx.cloud_spec.project,
            location=region,
            opts=ctx.opts(self, region=region, data=True, depends_on=list(requires)),
        )
        self.keys = {}
        self.grants = {}
        for purpose in PURPOSES:
            key = gcp.kms.CryptoKey(
                f"{name}-{purpose}",
                name=ctx.physical(code, purpose),
                key_ring=self.key_ring.id,
                purpose="ENCRYPT_DECRYPT",
                rotation_period=ROTATION_PERIOD,
                destroy_scheduled_duration=DESTROY_SCHEDULED_DURATION,
                version_template=gcp.kms.CryptoKeyVersionTemplateArgs(
                    algorithm="GOOGLE_SYMMETRIC_ENCRYPTION", protection_level=protection
                ),
                labels=ctx.tags_with(purpose=purpose),
                opts=ctx.opts(self, region=region, data=True),
            )
            self.keys[purpose] = key
            for agent in sorted(encrypters):
                self.grants[(purpose, agent)] = gcp.kms.CryptoKeyIAMMember(
                    f"{name}-{purpose}-{agent}",
                    crypto_key_id=key.id,
                    role=ENCRYPTER_DECRYPTER,
                    member=encrypters[agent],
                    opts=ctx.opts(self, region=region),
                )
        self.register_outputs(
            {
                "key_ring_id": self.key_ring.id,
                "keys": {purpose: key.id for purpose, key in self.keys.items()},
            }
        )

    @property
    def platform(self) -> gcp.kms.CryptoKey:
        return self.keys[PLATFORM]
