"""The preventive twins: generated from the spec and the region catalog, within the clouds' limits."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import yaml

from lz.core import regions
from lz.spec import guardrails
from lz.spec.organization import Organization
from tests.components.test_identity import _parliament
from tests.helpers import ROOT

ORG = yaml.safe_load((ROOT / "stacks" / "Pulumi.organization.yaml").read_text())["config"]["landing-zone:organization"]
FOUNDATION = yaml.safe_load((ROOT / "stacks" / "Pulumi.foundation-dev.yaml").read_text())["config"][
    "landing-zone:landingZone"
]


def org_in(jurisdiction: str) -> Organization | None:
    """The example organization moved to `jurisdiction`: each cloud homed in its first region there."""
    raw: dict[str, Any] = copy.deepcopy(ORG)
    raw["residency"] = jurisdiction
    for cloud in list(raw["clouds"]):
        found = regions.regions_in(cloud, jurisdiction)
        if cloud == "aws":
            found = [r for r in found if (regions.region_info("aws", r) or {}).get("partition") == "aws"] or found
        if not found:
            del raw["clouds"][cloud]
        else:
            raw["clouds"][cloud]["home_region"] = found[0]
    if not raw["clouds"]:
        return None
    return Organization.model_validate(raw)


EXAMPLE = Organization.model_validate(copy.deepcopy(ORG))


@pytest.mark.parametrize("jurisdiction", regions.jurisdictions())
def test_residency_twins_hold_the_jurisdiction_and_nothing_else(jurisdiction: str) -> None:
    org = org_in(jurisdiction)
    assert org is not None, f"no cloud has a region in {jurisdiction}"
    for cloud in org.clouds.enabled():
        allowed = guardrails.allowed_regions(org, cloud)
        assert allowed, (jurisdiction, cloud)
        outside = [r for r in allowed if regions.jurisdiction_of(cloud, r) != jurisdiction]
        assert outside == [], f"{cloud} guardrail of {jurisdiction} lets {outside} through"
        # Every region a foundation of this jurisdiction may use (the spec refuses the others), in the
        # organization's partition for AWS.
        usable = set(regions.regions_in(cloud, jurisdiction))
        if cloud == "aws":
            home = regions.region_info("aws", org.clouds.aws.home_region)["partition"]
            usable = {r for r in usable if regions.region_info("aws", r)["partition"] == home}
        assert usable <= set(allowed), f"{cloud} guardrail of {jurisdiction} refuses {sorted(usable - set(allowed))}"


def test_eu_lists_hold_foundation_dev_and_never_london_or_zurich() -> None:
    for cloud, spec in FOUNDATION["clouds"].items():
        assert set(spec["regions"]) <= set(guardrails.allowed_regions(EXAMPLE, cloud)), cloud
    assert not {"eu-west-2", "eu-central-2"} & set(guardrails.allowed_regions(EXAMPLE, "aws"))
    assert not {"europe-west2", "europe-west6"} & set(guardrails.allowed_regions(EXAMPLE, "gcp"))
    assert not {"uksouth", "ukwest", "switzerlandnorth", "switzerlandwest"} & set(
        guardrails.allowed_regions(EXAMPLE, "azure")
    )


def test_the_residency_scp_exempts_global_services_and_names_the_regions() -> None:
    statement = guardrails.aws_residency_scp(EXAMPLE)["Statement"][0]
    assert statement["Effect"] == "Deny" and "Action" not in statement
    exempt = {"iam:*", "organizations:*", "sts:*", "route53:*", "cloudfront:*", "support:*"}
    assert exempt <= set(statement["NotAction"])
    assert "s3:*" not in statement["NotAction"] and "ec2:*" not in statement["NotAction"]
    assert statement["Condition"]["StringNotEquals"]["aws:RequestedRegion"] == guardrails.aws_allowed_regions(EXAMPLE)


def test_gcp_location_values_are_region_value_groups() -> None:
    values = guardrails.gcp_constraints(EXAMPLE)[0].spec["rules"][0]["values"]["allowed_values"]
    assert values and all(v.startswith("in:") and v.endswith("-locations") for v in values)
    assert "in:europe-west4-locations" in values


def test_the_baseline_denies_leaving_and_disabling_the_detective_services() -> None:
    actions = {a for s in guardrails.aws_baseline_scp(EXAMPLE)["Statement"] for a in s["Action"]}
    assert {
        "organizations:LeaveOrganization",
        "cloudtrail:StopLogging",
        "cloudtrail:DeleteTrail",
        "guardduty:DeleteDetector",
        "config:StopConfigurationRecorder",
        "config:DeleteConfigurationRecorder",
    } <= actions
    constraints = {c.constraint: c.spec for c in guardrails.gcp_constraints(EXAMPLE)}
    for name in (
        "iam.disableServiceAccountKeyCreation",
        "storage.uniformBucketLevelAccess",
        "compute.skipDefaultNetworkCreation",
    ):
        assert constraints[name] == {"rules": [{"enforce": "TRUE"}]}
    assert constraints["gcp.restrictNonCmekServices"]["rules"][0]["values"]["denied_values"]
    assert constraints["gcp.restrictCmekCryptoKeyProjects"]["rules"][0]["values"]["allowed_values"] == [
        "under:projects/acme-ai-dev",
        "under:projects/acme-logging",
        "under:projects/acme-security",
    ]


def test_tags_twins_require_every_required_key() -> None:
    data = guardrails.aws_data_scp(EXAMPLE)["Statement"]
    tagged = {
        k.split("/", 1)[1]
        for s in data
        for k in s.get("Condition", {}).get("Null", {})
        if k.startswith("aws:RequestTag/")
    }
    assert tagged == {"owner", "cost-center", "data-classification"}
    assert set(guardrails.aws_tag_policy(EXAMPLE)["tags"]) == tagged
    azure = {
        a.parameters["tagName"]["value"] for a in guardrails.azure_assignments(EXAMPLE) if a.definition == "require-tag"
    }
    assert azure == {"owner", "cost-center", "data-classification", "environment", "managed-by"}


def test_public_ip_deny_follows_the_spec() -> None:
    assert "no-public-ip-nic" in {a.definition for a in guardrails.azure_assignments(EXAMPLE)}
    raw = copy.deepcopy(ORG)
    raw["clouds"]["azure"]["public_ips_on_nics"] = True
    open_org = Organization.model_validate(raw)
    assert "no-public-ip-nic" not in {a.definition for a in guardrails.azure_assignments(open_org)}


def test_azure_assignment_names_fit_management_group_scope() -> None:
    # "Policy assignment name ... at management group scope: 24 characters"
    # (https://learn.microsoft.com/azure/governance/policy/concepts/assignment-structure, read 2026-12).
    names = [a.name for a in guardrails.azure_assignments(EXAMPLE)]
    assert len(names) == len(set(names))
    assert all(len(n) <= 24 for n in names), [n for n in names if len(n) > 24]


def test_documents_fit_the_aws_quotas() -> None:
    assert guardrails.aws_problems(EXAMPLE) == []


def test_an_oversized_document_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    many = tuple(f"service{i}:*" for i in range(600))
    monkeypatch.setattr(guardrails, "AWS_GLOBAL_ACTIONS", many)
    problems = guardrails.aws_problems(EXAMPLE)
    assert len(problems) == 1 and problems[0].startswith("SERVICE_CONTROL_POLICY residency has")


def test_too_many_scps_on_the_root_are_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    documents = guardrails.aws_documents(EXAMPLE)
    extra = {**documents, "more": documents["baseline"], "again": documents["baseline"]}
    monkeypatch.setattr(guardrails, "aws_documents", lambda org: extra)
    assert any("SCPs on the root" in p for p in guardrails.aws_problems(EXAMPLE))


def test_scp_and_rcp_documents_pass_parliament() -> None:
    parliament = _parliament()
    problems = []
    for name, (kind, document) in guardrails.aws_documents(EXAMPLE).items():
        if kind == "TAG_POLICY":
            continue  # not an IAM policy language document
        policy = parliament.analyze_policy_string(json.dumps(document))
        for finding in map(parliament.enhance_finding, policy.findings):
            problems.append(f"{name}: {finding.issue} ({finding.severity}) {finding.detail}")
    assert problems == []


def test_parliament_would_catch_a_bad_statement() -> None:
    """The gate above can fail: a condition key the action does not support is reported."""
    parliament = _parliament()
    bad = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Action": ["rds:CreateDBInstance"],
                "Resource": "*",
                "Condition": {"Bool": {"rds:StorageEncrypted": "false"}},
            }
        ],
    }
    policy = parliament.analyze_policy_string(json.dumps(bad))
    assert [f.issue for f in policy.findings] == ["UNKNOWN_CONDITION_FOR_ACTION"]


def test_same_spec_same_documents() -> None:
    first = json.dumps({k: v for k, (_, v) in guardrails.aws_documents(EXAMPLE).items()}, sort_keys=True)
    again = Organization.model_validate(copy.deepcopy(ORG))
    assert json.dumps({k: v for k, (_, v) in guardrails.aws_documents(again).items()}, sort_keys=True) == first


def test_the_tag_on_create_scp_would_not_refuse_the_foundations_nodes(foundation_dev: Any) -> None:
    """EKS launches GPU nodes from the foundation's launch templates: the instances and volumes they
    create must carry every tag the data SCP requires at creation, or the cloud refuses the launch."""
    from lz.core import labels

    templates = foundation_dev.by_type("aws:ec2/launchTemplate:LaunchTemplate")
    assert templates
    for template in templates:
        specs = {s["resourceType"]: s.get("tags", {}) for s in template["inputs"].get("tagSpecifications", [])}
        for kind in ("instance", "volume"):
            missing = [k for k in labels.REQUIRED_TAGS if k not in specs.get(kind, {})]
            assert missing == [], f"{template['urn']}: {kind} lacks {missing}"


def test_the_example_foundation_passes_the_organizations_deny_controls(foundation_dev: Any) -> None:
    """What the clouds would refuse once the organization is deployed: foundation-dev asks for none of it."""
    of = foundation_dev.by_type
    # AWS: DenyPublicIpOnLaunch (no launch template asks for a public address; subnets do not map one).
    assert all(s["inputs"].get("mapPublicIpOnLaunch") is not True for s in of("aws:ec2/subnet:Subnet"))
    for template in of("aws:ec2/launchTemplate:LaunchTemplate"):
        for nic in template["inputs"].get("networkInterfaces", []):
            assert nic.get("associatePublicIpAddress") not in (True, "true"), template["urn"]
    # GCP: no service account keys; node pools boot from CMEK disks with keys in a vended project.
    assert of("gcp:serviceaccount/key:Key") == []
    allowed = guardrails.gcp_constraints(EXAMPLE)
    key_projects = next(c.spec for c in allowed if c.constraint == "gcp.restrictCmekCryptoKeyProjects")
    projects = {v.split("/", 1)[1] for v in key_projects["rules"][0]["values"]["allowed_values"]}
    for pool in of("gcp:container/nodePool:NodePool"):
        key = pool["inputs"]["nodeConfig"].get("bootDiskKmsKey")
        assert key and key.split("/")[1] in projects, pool["urn"]
    # Azure: no public IPs on node NICs; storage accounts HTTPS only, TLS 1.2, customer-managed keys.
    assert all(p["inputs"].get("enableNodePublicIP") is False for p in of("azure-native:containerservice:AgentPool"))
    for account in of("azure-native:storage:StorageAccount"):
        inputs = account["inputs"]
        assert inputs["enableHttpsTrafficOnly"] is True and inputs["minimumTlsVersion"] == "TLS1_2"
        assert inputs["encryption"]["keySource"] == "Microsoft.Keyvault"
