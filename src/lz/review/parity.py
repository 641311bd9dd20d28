"""The parity matrix: each mandatory policy of the pack, and what the clouds themselves enforce for it.

`MATRIX` is data: policy name -> cloud -> either the ids of its runtime twins (the controls that
`lz.spec.guardrails` generates: an SCP or RCP statement, an organization policy constraint, an Azure
policy definition) or the reason there is none. A twin may be narrower than the policy (an SCP can
require encryption where IAM has a condition key, not the key's owner); `note` says so. A new
mandatory policy without an entry fails `tests/test_parity.py`, and so does a twin id that the
organization does not generate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CLOUDS = ("aws", "gcp", "azure")


@dataclass(frozen=True)
class Cell:
    twins: tuple[str, ...] = ()
    reason: str = ""
    note: str = ""


def twin(*ids: str, note: str = "") -> Cell:
    return Cell(twins=ids, note=note)


def none(reason: str) -> Cell:
    return Cell(reason=reason)


NOT_HERE = "the policy checks no resource type of this cloud"
CLOUD_REFUSES = "the cloud refuses the request itself at deployment; the pack reports it before"
PULUMI_ONLY = "a Pulumi setting (`protect`) of the stack, not a property of the cloud's resource"

MATRIX: dict[str, dict[str, Cell]] = {
    "data-protection-migration-target-versioning": {
        "aws": none("S3 versioning is set after the bucket exists and no IAM condition key reads it"),
        "gcp": none("no organization policy constraint requires object versioning"),
        "azure": none("no built-in policy denies blob storage without versioning"),
    },
    "data-protection-migration-target-protected": {c: none(PULUMI_ONLY) for c in CLOUDS},
    "data-protection-no-delete-propagation": {
        "aws": none("DataSync task options carry no IAM condition key"),
        "gcp": none("no organization policy constraint on Storage Transfer options"),
        "azure": none("no built-in policy on Storage Mover or Data Factory copy options"),
    },
    "encryption-at-rest-cmk": {
        "aws": twin(
            "aws:scp:data:DenyUnencryptedVolumes",
            "aws:scp:data:DenyUnencryptedDatabases",
            "aws:scp:data:DenyUnencryptedFileSystems",
            "aws:scp:data:DenyNonKmsObjectEncryption",
            note="encryption required where IAM has a condition key; that the key is customer-managed "
            "stays a pack check",
        ),
        "gcp": twin("gcp:gcp.restrictNonCmekServices", "gcp:gcp.restrictCmekCryptoKeyProjects"),
        "azure": twin("azure:storage-cmk", note="the built-in definition audits only (no Deny effect)"),
    },
    "encryption-azure-sql-tde-cmk": {
        "aws": none(NOT_HERE),
        "gcp": none(NOT_HERE),
        "azure": none(
            "the built-in 'SQL servers should use customer-managed keys' definition audits only "
            "(no Deny effect), so it is not assigned as a preventive control"
        ),
    },
    "encryption-key-rotation": {
        "aws": none("kms:CreateKey has no condition key for rotation"),
        "gcp": none("no organization policy constraint sets a rotation period"),
        "azure": none("no built-in Deny policy for key rotation policies"),
    },
    "encryption-key-vault-recoverable": {
        "aws": none(NOT_HERE),
        "gcp": none(NOT_HERE),
        "azure": twin("azure:keyvault-deletion-protection"),
    },
    "encryption-in-transit-tls": {
        "aws": twin(
            "aws:rcp:tls:DenyInsecureTransport",
            note="TLS only for S3, KMS, SQS, Secrets Manager and STS (the RCP services), not its version",
        ),
        "gcp": twin("gcp:gcp.restrictTLSVersion"),
        "azure": twin("azure:storage-https", "azure:storage-min-tls", note="storage accounts"),
    },
    "encryption-vpn-ikev2": {
        "aws": none("VPN tunnel options carry no IAM condition key"),
        "gcp": none("no organization policy constraint on the IKE version"),
        "azure": none("no built-in policy on connection protocols"),
    },
    "encryption-s3-bucket-cmk": {
        "aws": twin(
            "aws:scp:data:DenyNonKmsObjectEncryption",
            note="refuses uploads that ask for non-KMS encryption; the bucket default stays a pack check",
        ),
        "gcp": none(NOT_HERE),
        "azure": none(NOT_HERE),
    },
    "encryption-s3-tls-only": {
        "aws": twin("aws:rcp:tls:DenyInsecureTransport"),
        "gcp": none(NOT_HERE),
        "azure": none(NOT_HERE),
    },
    "encryption-cluster-node-disks-cmk": {
        "aws": twin(
            "aws:scp:data:DenyUnencryptedVolumes", note="encrypted volumes; the key's owner stays a pack check"
        ),
        "gcp": twin("gcp:gcp.restrictNonCmekServices"),
        "azure": none("no built-in Deny policy for AKS node disk encryption sets"),
    },
    "encryption-collector-exporter-tls": {
        c: none("application configuration of the collector, invisible to the cloud's control plane") for c in CLOUDS
    },
    "iam-no-wildcard-admin": {
        "aws": none("an SCP cannot read the content of a policy being created"),
        "gcp": none("no constraint reads custom role permissions"),
        "azure": none("no built-in Deny policy on custom role actions"),
    },
    "iam-no-basic-roles": {
        "aws": none(NOT_HERE),
        "gcp": twin(
            "gcp:iam.automaticIamGrantsForDefaultServiceAccounts",
            note="stops the automatic Editor grant; other basic-role grants stay a pack check",
        ),
        "azure": none("no built-in Deny policy on role assignments of classic administrator roles"),
    },
    "iam-no-user-principals": {
        "aws": none("an SCP cannot tell a user principal in a policy being attached"),
        "gcp": none("iam.allowedPolicyMemberDomains limits domains, not member kinds"),
        "azure": none("no built-in Deny policy on principal types of role assignments"),
    },
    "iam-no-wildcard-data-writes": {
        "aws": none("an SCP cannot read the content of a policy being created"),
        "gcp": none("no constraint reads role bindings' scopes"),
        "azure": none("no built-in Deny policy on role assignment scopes"),
    },
    "network-cluster-private-endpoint": {
        "aws": none("eks:CreateCluster has no condition key for endpoint access"),
        "gcp": none("no list or boolean constraint for private GKE endpoints in this catalog"),
        "azure": none("the built-in AKS private-cluster definition audits only"),
    },
    "network-cluster-nodes-no-public-ip": {
        "aws": twin("aws:scp:baseline:DenyPublicIpOnLaunch"),
        "gcp": twin("gcp:compute.vmExternalIpAccess"),
        "azure": twin("azure:no-public-ip-nic"),
    },
    "network-vpn-strong-crypto": {
        "aws": none("VPN tunnel options carry no IAM condition key"),
        "gcp": none("no organization policy constraint on VPN ciphers"),
        "azure": none("no built-in policy on IPsec policies"),
    },
    "network-no-public-ingress": {
        "aws": twin("aws:scp:baseline:DenyPublicIpOnLaunch", note="no public addresses; rules stay a pack check"),
        "gcp": twin("gcp:compute.vmExternalIpAccess", note="no external IPs; firewall rules stay a pack check"),
        "azure": twin("azure:no-public-ip-nic", note="no public IPs on NICs; NSG rules stay a pack check"),
    },
    "residency-allowed-jurisdiction": {
        "aws": twin("aws:scp:residency:DenyOutsideJurisdiction", note="global services exempted as AWS documents"),
        "gcp": twin("gcp:gcp.resourceLocations", note="regions only: multi-regions are refused by the cloud"),
        "azure": twin("azure:allowed-locations", "azure:allowed-locations-rg"),
    },
    "residency-azure-inherited-location": {
        "aws": none(NOT_HERE),
        "gcp": none(NOT_HERE),
        "azure": twin("azure:allowed-locations", "azure:allowed-locations-rg"),
    },
    "residency-transfer-jurisdiction": {
        "aws": twin("aws:scp:residency:DenyOutsideJurisdiction", note="transfer tasks in the jurisdiction's regions"),
        "gcp": twin("gcp:gcp.resourceLocations"),
        "azure": twin("azure:allowed-locations"),
    },
    "tags-required": {
        "aws": twin(
            "aws:scp:data:DenyCreateWithoutOwner",
            "aws:scp:data:DenyCreateWithoutCostCenter",
            "aws:scp:data:DenyCreateWithoutDataClassification",
            "aws:tag-policy:tags",
            note="the services with tag-on-create condition keys",
        ),
        "gcp": none("GCP has no constraint that requires labels; vended projects carry them"),
        "azure": twin("azure:require-tag", "azure:require-tag-rg"),
    },
    "tags-valid-for-cloud": {
        "aws": twin("aws:tag-policy:tags", note="key case and classification values"),
        "gcp": none("label syntax is enforced by GCP's API itself"),
        "azure": none("tag syntax is enforced by ARM itself"),
    },
    # deploy-: what the clouds would refuse or leave unusable. The cloud itself is the runtime side:
    # it refuses the request (a name it rejects, a disabled API, a missing agent or prerequisite, a
    # singleton that exists), so no preventive control can add anything; the pack catches it earlier.
    **{
        name: {cloud: none(CLOUD_REFUSES) for cloud in ("aws", "gcp", "azure")}
        for name in (
            "deploy-names",
            "deploy-api-enabled-first",
            "deploy-service-agent-first",
            "deploy-prerequisite-first",
            "deploy-no-cloud-singletons",
            "deploy-unique-global-names",
        )
    },
    "network-workload-reachability": {
        "aws": none(
            "a missing route or endpoint is an absence no SCP can deny; the cloud accepts an unreachable workload"
        ),
        "gcp": none("no organization policy constraint requires a path to a destination"),
        "azure": none("no built-in Deny policy expresses reachability between resources"),
    },
    "deploy-cluster-access": {
        "aws": none("an EKS cluster nobody can use is accepted by the cloud; no SCP condition key expresses it"),
        "gcp": none("GKE clusters are reachable through project IAM; nothing to enforce at runtime"),
        "azure": none("no built-in Deny policy requires an AKS RBAC role assignment"),
    },
}


def mandatory_policy_names() -> list[str]:
    from lz.policies.pack import POLICIES  # noqa: PLC0415

    return [p.name for p in POLICIES if str(getattr(p.enforcement_level, "value", p.enforcement_level)) == "mandatory"]


def gaps(generated: set[str], enabled: list[str]) -> list[str]:
    """Mandatory policies without a twin or a reason, and twins the organization does not generate."""
    problems = []
    for name in mandatory_policy_names():
        row = MATRIX.get(name)
        if row is None:
            problems.append(f"{name}: no entry in the parity matrix")
            continue
        for cloud in CLOUDS:
            cell = row.get(cloud)
            if cell is None or not (cell.twins or cell.reason.strip()):
                problems.append(f"{name}: {cloud} has neither a twin nor a reason")
            elif cloud in enabled:
                problems.extend(f"{name}: {cloud} twin {t} is not generated" for t in cell.twins if t not in generated)
    return problems


def as_data() -> dict[str, Any]:
    return {
        name: {
            cloud: {"twins": list(cell.twins), "reason": cell.reason, "note": cell.note} for cloud, cell in row.items()
        }
        for name, row in sorted(MATRIX.items())
    }


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def parity_markdown(org: Any) -> str:
    from lz.spec.guardrails import twin_ids  # noqa: PLC0415

    enabled = org.clouds.enabled()
    generated = twin_ids(org)
    lines = [
        "## Guardrail parity",
        "",
        "Each mandatory policy of the pack and what the clouds enforce for it at runtime "
        "(generated by this organization stack), or why nothing can.",
        "",
        "| policy | " + " | ".join(enabled) + " |",
        "| --- |" + " --- |" * len(enabled),
    ]
    for name in mandatory_policy_names():
        row = MATRIX.get(name, {})
        cells = []
        for cloud in enabled:
            cell = row.get(cloud)
            if cell is None:
                cells.append("**missing**")
            elif cell.twins:
                text = ", ".join(
                    f"`{t.split(':', 1)[1]}`" + ("" if t in generated else " (not generated)") for t in cell.twins
                )
                cells.append(_md(text + (f" ({cell.note})" if cell.note else "")))
            else:
                cells.append(_md(f"none: {cell.reason}"))
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    problems = gaps(generated, enabled)
    if problems:
        lines += ["", "Gaps:", *[f"- {_md(p)}" for p in problems]]
    return "\n".join(lines) + "\n"
