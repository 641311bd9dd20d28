"""The preventive twins of the policy pack: what the clouds themselves refuse, from the same spec values.

Pure functions of an `Organization` spec (no Pulumi): the AWS SCPs, RCP and tag policy documents, the
GCP organization policy constraints, and the Azure policy assignments the organization stack
attaches at its root. The region lists come from the same catalog (`lz.core.regions`) as the pack's
residency policy, so a region the pack refuses is a region the cloud refuses.

`twin_ids(org)` names every control generated for an organization; `lz.review.parity` maps each mandatory
pack policy onto these ids (or a reason why a cloud has none).

What it does not do: decide the hierarchy or create resources (components/organization), or know
more than the catalog about which services are global (the AWS list below is AWS's own example).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lz.core import labels, regions
from lz.spec.organization import Organization, residency_regions

# AWS quotas for policy documents, counted in characters with whitespace removed, as AWS counts them
# when a policy is saved through the API (read 2026-12):
# https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
# "Maximum size of a policy document: Service control policies: 5,120 characters; Resource control
# policies: 5,120 characters; Tag policies: 10,000 characters". And "Maximum number of service
# control policies attached to a root, OU or account: 5" (FullAWSAccess counts).
SCP_MAX_CHARS = 5120
RCP_MAX_CHARS = 5120
TAG_POLICY_MAX_CHARS = 10000
MAX_SCPS_PER_TARGET = 5

# Actions of global services (or global endpoints of regional ones) that an `aws:RequestedRegion`
# deny must leave alone: requests to them are answered in us-east-1 whatever region a user works in.
# From AWS's example "Deny access to AWS based on the requested AWS Region" (read 2026-12):
# https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html#example-scp-deny-region
# Alexa for Business (`a4b:*`) is left out: the service is discontinued.
AWS_GLOBAL_ACTIONS = (
    "acm:*",
    "aws-marketplace-management:*",
    "aws-marketplace:*",
    "aws-portal:*",
    "budgets:*",
    "ce:*",
    "chime:*",
    "cloudfront:*",
    "config:*",
    "cur:*",
    "directconnect:*",
    "ec2:DescribeRegions",
    "ec2:DescribeTransitGateways",
    "ec2:DescribeVpnGateways",
    "fms:*",
    "globalaccelerator:*",
    "health:*",
    "iam:*",
    "importexport:*",
    "kms:*",
    "mobileanalytics:*",
    "networkmanager:*",
    "organizations:*",
    "pricing:*",
    "route53:*",
    "route53domains:*",
    "route53-recovery-cluster:*",
    "route53-recovery-control-config:*",
    "route53-recovery-readiness:*",
    "s3:GetAccountPublic*",
    "s3:ListAllMyBuckets",
    "s3:ListMultiRegionAccessPoints",
    "s3:PutAccountPublic*",
    "shield:*",
    "sts:*",
    "support:*",
    "trustedadvisor:*",
    "waf-regional:*",
    "waf:*",
    "wafv2:*",
    "wellarchitected:*",
)

# Services whose create calls accept tags (tag-on-create) and whose condition keys AWS documents:
# an SCP can refuse the create when a required tag is missing from the request.
AWS_TAG_ON_CREATE = (
    ("ec2:RunInstances", "arn:aws:ec2:*:*:instance/*"),
    ("ec2:CreateVolume", "arn:aws:ec2:*:*:volume/*"),
    ("rds:CreateDBInstance", "arn:aws:rds:*:*:db:*"),
    ("rds:CreateDBCluster", "arn:aws:rds:*:*:cluster:*"),
    ("elasticfilesystem:CreateFileSystem", "arn:aws:elasticfilesystem:*:*:file-system/*"),
)

# Azure built-in policy definitions (ids as published in the built-in definitions list,
# https://learn.microsoft.com/azure/governance/policy/samples/built-in-policies, read 2026-12).
AZURE_DEFINITIONS = {
    "allowed-locations": "e56962a6-4747-49cd-b67b-bf8b01975c4c",  # Allowed locations
    "allowed-locations-rg": "e765b5de-1225-4ba3-bd56-1ac6695af988",  # Allowed locations for resource groups
    "require-tag": "871b6d14-10aa-478d-b590-94f262ecfa99",  # Require a tag on resources
    "require-tag-rg": "96670d01-0a4d-4649-9c89-2d3abc0a5025",  # Require a tag on resource groups
    # Network interfaces should not have public IPs
    "no-public-ip-nic": "83a86a26-fd1f-447c-b59d-e51f44264114",
    # Secure transfer to storage accounts should be enabled
    "storage-https": "404c3081-a854-4457-ae30-26a93ef643f9",
    # Storage accounts should have the specified minimum TLS version
    "storage-min-tls": "fe83a0eb-a853-422d-aac2-1bffd182c5d0",
    # Storage accounts should use customer-managed key for encryption: Audit or Disabled only (no Deny).
    "storage-cmk": "6fac406b-40ca-413b-bf8e-0bf964659c25",
    # Key vaults should have deletion protection enabled
    "keyvault-deletion-protection": "0b60c0b2-2dc2-4e1c-b5c9-abbed971de53",
}

# GCP services that must use CMEK (`gcp.restrictNonCmekServices` denies the non-CMEK variants of
# their resources): the ones the foundations and waves create data in.
# https://cloud.google.com/kms/docs/cmek-org-policy (read 2026-12). Cloud Logging is left out: every
# new project gets `_Default` and `_Required` log buckets from Google itself, and making those CMEK
# needs organization-level Logging CMEK settings this spec does not carry yet (the pack still
# requires CMEK on the log buckets the landing zone creates).
GCP_CMEK_SERVICES = (
    "bigquery.googleapis.com",
    "compute.googleapis.com",
    "container.googleapis.com",
    "sqladmin.googleapis.com",
    "storage.googleapis.com",
)
GCP_BOOLEAN_BASELINE = (
    "iam.disableServiceAccountKeyCreation",
    "storage.uniformBucketLevelAccess",
    "compute.skipDefaultNetworkCreation",
    "storage.publicAccessPrevention",
    "iam.automaticIamGrantsForDefaultServiceAccounts",
)
# TLS versions GCP services may not offer (`gcp.restrictTLSVersion`, a list constraint of denied values).
# https://cloud.google.com/assured-workloads/docs/restrict-tls-versions (read 2026-12)
GCP_DENIED_TLS = ("TLS_VERSION_1", "TLS_VERSION_1_1")


def doc_chars(document: dict[str, Any]) -> int:
    """A policy document's size as AWS counts it: without whitespace outside strings."""
    return len(json.dumps(document, separators=(",", ":")))


# -- AWS --------------------------------------------------------------------------------------
def aws_allowed_regions(org: Organization) -> list[str]:
    aws = org.clouds.get("aws")
    return residency_regions("aws", org.residency, aws.home_region)


def aws_residency_scp(org: Organization) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyOutsideJurisdiction",
                "Effect": "Deny",
                "NotAction": list(AWS_GLOBAL_ACTIONS),
                "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:RequestedRegion": aws_allowed_regions(org)}},
            }
        ],
    }


def aws_baseline_scp(org: Organization) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyLeavingOrganization",
                "Effect": "Deny",
                "Action": ["organizations:LeaveOrganization"],
                "Resource": "*",
            },
            {
                "Sid": "DenyDisablingCloudTrail",
                "Effect": "Deny",
                "Resource": "*",
                "Action": [
                    "cloudtrail:DeleteTrail",
                    "cloudtrail:PutEventSelectors",
                    "cloudtrail:StopLogging",
                    "cloudtrail:UpdateTrail",
                ],
            },
            {
                "Sid": "DenyDisablingGuardDuty",
                "Effect": "Deny",
                "Resource": "*",
                "Action": [
                    "guardduty:DeleteDetector",
                    "guardduty:DisassociateFromAdministratorAccount",
                    "guardduty:DisassociateFromMasterAccount",
                    "guardduty:StopMonitoringMembers",
                    "guardduty:UpdateDetector",
                ],
            },
            {
                "Sid": "DenyDisablingConfig",
                "Effect": "Deny",
                "Resource": "*",
                "Action": [
                    "config:DeleteConfigurationRecorder",
                    "config:DeleteDeliveryChannel",
                    "config:StopConfigurationRecorder",
                ],
            },
            # Instances launch without a public address: entries go through load balancers.
            {
                "Sid": "DenyPublicIpOnLaunch",
                "Effect": "Deny",
                "Action": ["ec2:RunInstances"],
                "Resource": "arn:aws:ec2:*:*:network-interface/*",
                "Condition": {"Bool": {"ec2:AssociatePublicIpAddress": "true"}},
            },
            {
                "Sid": "DenyDisablingSecurityHub",
                "Effect": "Deny",
                "Resource": "*",
                "Action": ["securityhub:DisableSecurityHub", "securityhub:DisassociateFromAdministratorAccount"],
            },
        ],
    }


def aws_data_scp(org: Organization) -> dict[str, Any]:
    """Encryption at rest where IAM can express it, and the required tags on create."""
    statements: list[dict[str, Any]] = [
        {
            "Sid": "DenyUnencryptedVolumes",
            "Effect": "Deny",
            "Action": ["ec2:CreateVolume"],
            "Resource": "*",
            "Condition": {"Bool": {"ec2:Encrypted": "false"}},
        },
        {
            "Sid": "DenyUnencryptedDatabases",
            "Effect": "Deny",
            # Clusters only: the service authorization reference parliament ships has no
            # rds:StorageEncrypted for CreateDBInstance, so the SCP cannot be checked there.
            "Action": ["rds:CreateDBCluster"],
            "Resource": "*",
            "Condition": {"Bool": {"rds:StorageEncrypted": "false"}},
        },
        {
            "Sid": "DenyUnencryptedFileSystems",
            "Effect": "Deny",
            "Action": ["elasticfilesystem:CreateFileSystem"],
            "Resource": "*",
            "Condition": {"Bool": {"elasticfilesystem:Encrypted": "false"}},
        },
        # A PutObject that asks for an encryption other than KMS; one that names none gets the
        # bucket's default (a KMS key, which the pack requires of every bucket).
        {
            "Sid": "DenyNonKmsObjectEncryption",
            "Effect": "Deny",
            "Action": ["s3:PutObject"],
            "Resource": "*",
            "Condition": {
                "Null": {"s3:x-amz-server-side-encryption": "false"},
                "StringNotEquals": {"s3:x-amz-server-side-encryption": ["aws:kms", "aws:kms:dsse"]},
            },
        },
    ]
    for key in labels.REQUIRED_TAGS:
        statements.append(
            {
                "Sid": "DenyCreateWithout" + "".join(part.capitalize() for part in key.split("-")),
                "Effect": "Deny",
                "Action": [action for action, _ in AWS_TAG_ON_CREATE],
                "Resource": [arn for _, arn in AWS_TAG_ON_CREATE],
                "Condition": {"Null": {f"aws:RequestTag/{key}": "true"}},
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


def aws_tls_rcp(org: Organization) -> dict[str, Any]:
    """A resource control policy: S3, KMS, SQS, Secrets Manager and STS answer TLS requests only. The
    services are the ones RCPs support; the shape is AWS's data perimeter example
    (https://github.com/aws-samples/data-perimeter-policy-examples, read 2026-12). A minimum TLS
    version (`s3:TlsVersion`) is left out: not every S3 action carries the key, so parliament refuses
    it on `s3:*`, and the RCP's TLS-only rule is what the pack's S3 policy asks for."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": ["kms:*", "s3:*", "secretsmanager:*", "sqs:*", "sts:*"],
                "Resource": "*",
                "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}},
            },
        ],
    }


def aws_tag_policy(org: Organization) -> dict[str, Any]:
    """Required keys in their exact case, and the classification's values, for tag-on-create types."""
    enforced = ["ec2:instance", "ec2:volume", "rds:db", "rds:cluster", "elasticfilesystem:file-system"]
    tags: dict[str, Any] = {}
    for key in labels.REQUIRED_TAGS:
        entry: dict[str, Any] = {"tag_key": {"@@assign": key}, "enforced_for": {"@@assign": enforced}}
        if key == "data-classification":
            entry["tag_value"] = {"@@assign": ["public", "internal", "confidential", "restricted"]}
        tags[key] = entry
    return {"tags": tags}


def aws_documents(org: Organization) -> dict[str, tuple[str, dict[str, Any]]]:
    """Every AWS policy the organization attaches at its root: name -> (policy type, document)."""
    return {
        "residency": ("SERVICE_CONTROL_POLICY", aws_residency_scp(org)),
        "baseline": ("SERVICE_CONTROL_POLICY", aws_baseline_scp(org)),
        "data": ("SERVICE_CONTROL_POLICY", aws_data_scp(org)),
        "tls": ("RESOURCE_CONTROL_POLICY", aws_tls_rcp(org)),
        "tags": ("TAG_POLICY", aws_tag_policy(org)),
    }


def aws_problems(org: Organization) -> list[str]:
    """What AWS would refuse about the documents: their size and the number attached to the root."""
    limits = {
        "SERVICE_CONTROL_POLICY": SCP_MAX_CHARS,
        "RESOURCE_CONTROL_POLICY": RCP_MAX_CHARS,
        "TAG_POLICY": TAG_POLICY_MAX_CHARS,
    }
    problems = []
    documents = aws_documents(org)
    for name, (kind, document) in documents.items():
        if doc_chars(document) > limits[kind]:
            problems.append(f"{kind} {name} has {doc_chars(document)} characters; AWS allows {limits[kind]}")
    scps = 1 + sum(1 for kind, _ in documents.values() if kind == "SERVICE_CONTROL_POLICY")  # + FullAWSAccess
    if scps > MAX_SCPS_PER_TARGET:
        problems.append(f"{scps} SCPs on the root (FullAWSAccess included); AWS allows {MAX_SCPS_PER_TARGET}")
    return problems


# -- GCP --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OrgConstraint:
    constraint: str
    spec: dict[str, Any]


def gcp_allowed_locations(org: Organization) -> list[str]:
    """`in:<region>-locations` for each catalogued region of the jurisdiction: the value group of a
    region holds the region and its zones (https://cloud.google.com/resource-manager/docs/organization-policy/defining-locations).
    Multi-region value groups are left out: their members are not all in the catalog."""
    return [f"in:{region}-locations" for region in residency_regions("gcp", org.residency)]


def gcp_constraints(org: Organization) -> list[OrgConstraint]:
    gcp = org.clouds.get("gcp")
    key_projects = sorted(p.project_id for p in gcp.projects)
    out = [
        OrgConstraint("gcp.resourceLocations", {"rules": [{"values": {"allowed_values": gcp_allowed_locations(org)}}]}),
        OrgConstraint(
            "gcp.restrictNonCmekServices", {"rules": [{"values": {"denied_values": list(GCP_CMEK_SERVICES)}}]}
        ),
        # Keys live in the projects the organization vends (each foundation keeps its own keys).
        OrgConstraint(
            "gcp.restrictCmekCryptoKeyProjects",
            {"rules": [{"values": {"allowed_values": [f"under:projects/{p}" for p in key_projects]}}]},
        ),
        OrgConstraint("gcp.restrictTLSVersion", {"rules": [{"values": {"denied_values": list(GCP_DENIED_TLS)}}]}),
        # No VM (GKE nodes included) gets an external IP: entries go through load balancers.
        OrgConstraint("compute.vmExternalIpAccess", {"rules": [{"deny_all": "TRUE"}]}),
    ]
    out.extend(OrgConstraint(name, {"rules": [{"enforce": "TRUE"}]}) for name in GCP_BOOLEAN_BASELINE)
    return out


# -- Azure ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AzureAssignment:
    name: str  # at most 24 characters at management-group scope
    definition: str  # a key of AZURE_DEFINITIONS
    display_name: str
    parameters: dict[str, Any] = field(default_factory=dict)


def azure_allowed_locations(org: Organization) -> list[str]:
    return residency_regions("azure", org.residency)


def azure_assignments(org: Organization) -> list[AzureAssignment]:
    allowed = azure_allowed_locations(org)
    out = [
        AzureAssignment(
            "lz-allowed-locations",
            "allowed-locations",
            "Allowed locations",
            {"listOfAllowedLocations": {"value": allowed}},
        ),
        AzureAssignment(
            "lz-allowed-locations-rg",
            "allowed-locations-rg",
            "Allowed locations for resource groups",
            {"listOfAllowedLocations": {"value": allowed}},
        ),
        AzureAssignment(
            "lz-storage-https", "storage-https", "Secure transfer to storage accounts", {"effect": {"value": "Deny"}}
        ),
        AzureAssignment(
            "lz-storage-tls12",
            "storage-min-tls",
            "Storage accounts: minimum TLS 1.2",
            {"effect": {"value": "Deny"}, "minimumTlsVersion": {"value": "TLS1_2"}},
        ),
        AzureAssignment(
            "lz-storage-cmk",
            "storage-cmk",
            "Storage accounts use customer-managed keys",
            {"effect": {"value": "Audit"}},
        ),
        AzureAssignment(
            "lz-kv-deletion-protect",
            "keyvault-deletion-protection",
            "Key vaults have deletion protection",
            {"effect": {"value": "Deny"}},
        ),
    ]
    for key in (*labels.REQUIRED_TAGS, *labels.STANDARD_TAGS):
        short = key.replace("data-classification", "class").replace("cost-center", "cost")[:12]
        out.append(
            AzureAssignment(
                f"lz-tag-{short}", "require-tag", f"Require tag {key} on resources", {"tagName": {"value": key}}
            )
        )
        out.append(
            AzureAssignment(
                f"lz-tag-rg-{short}",
                "require-tag-rg",
                f"Require tag {key} on resource groups",
                {"tagName": {"value": key}},
            )
        )
    if not org.clouds.get("azure").public_ips_on_nics:
        out.append(AzureAssignment("lz-no-public-ip-nic", "no-public-ip-nic", "No public IPs on network interfaces"))
    return out


# -- all clouds -------------------------------------------------------------------------------
def twin_ids(org: Organization) -> set[str]:
    """Every control generated for `org`, as `lz.review.parity` names them."""
    ids: set[str] = set()
    enabled = org.clouds.enabled()
    if "aws" in enabled:
        for name, (kind, document) in aws_documents(org).items():
            prefix = {"SERVICE_CONTROL_POLICY": "scp", "RESOURCE_CONTROL_POLICY": "rcp", "TAG_POLICY": "tag-policy"}[
                kind
            ]
            ids.add(f"aws:{prefix}:{name}")
            ids.update(f"aws:{prefix}:{name}:{s['Sid']}" for s in document.get("Statement", []))
    if "gcp" in enabled:
        ids.update(f"gcp:{c.constraint}" for c in gcp_constraints(org))
    if "azure" in enabled:
        ids.update(f"azure:{a.definition}" for a in azure_assignments(org))
    return ids


def region_of_value(cloud: str, value: str) -> str:
    """The region an allowed-location value stands for (GCP `in:<region>-locations` -> region)."""
    if cloud == "gcp" and value.startswith("in:") and value.endswith("-locations"):
        return value[len("in:") : -len("-locations")]
    return value


def allowed_regions(org: Organization, cloud: str) -> list[str]:
    """The regions the cloud's residency guardrail lets through, read back from the generated control."""
    if cloud == "aws":
        return list(aws_residency_scp(org)["Statement"][0]["Condition"]["StringNotEquals"]["aws:RequestedRegion"])
    if cloud == "gcp":
        values = gcp_constraints(org)[0].spec["rules"][0]["values"]["allowed_values"]
        return [region_of_value("gcp", v) for v in values]
    if cloud == "azure":
        return list(azure_assignments(org)[0].parameters["listOfAllowedLocations"]["value"])
    raise ValueError(cloud)


__all__ = [
    "AZURE_DEFINITIONS",
    "allowed_regions",
    "aws_documents",
    "aws_problems",
    "azure_assignments",
    "gcp_constraints",
    "regions",
    "twin_ids",
]
