"""The organization stack: its spec's rules, what it synthesizes, and how foundations read it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from lz.core.errors import InputError
from lz.spec.organization import load_organization
from tests.helpers import ROOT, Planned, foundation_config, make_project, plan, single_cloud_spec

ORG_FILE = ROOT / "stacks" / "Pulumi.organization.yaml"


def org_config() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(ORG_FILE.read_text())["config"])


def org_spec() -> dict[str, Any]:
    return org_config()["landing-zone:organization"]


def load(raw: dict[str, Any]) -> Any:
    return load_organization(raw, file="Pulumi.organization.yaml", namespace="landing-zone")


def refused(raw: dict[str, Any]) -> InputError:
    with pytest.raises(InputError) as info:
        load(raw)
    return info.value


# --- spec ----------------------------------------------------------------------------------------------------


def test_example_places_foundation_dev_where_foundation_dev_lives() -> None:
    foundation = yaml.safe_load((ROOT / "stacks" / "Pulumi.foundation-dev.yaml").read_text())
    clouds = foundation["config"]["landing-zone:landingZone"]["clouds"]
    placement = load(org_spec()).placement("foundation-dev")
    assert placement["aws"]["id"] == clouds["aws"]["account_id"]
    assert placement["gcp"]["id"] == clouds["gcp"]["project"]
    assert placement["azure"]["id"] == clouds["azure"]["subscription_id"]


def test_unknown_parent_unit_is_named() -> None:
    raw = org_spec()
    raw["clouds"]["aws"]["units"].append({"name": "sandbox", "parent": "labs"})
    err = refused(raw)
    assert err.key == "config.landing-zone:organization.clouds.aws.units[4].parent"
    assert "unknown parent OU 'labs'" in err.detail


def test_parent_listed_after_child_is_refused() -> None:
    raw = org_spec()
    units = raw["clouds"]["gcp"]["units"]
    units.insert(0, units.pop(2))  # dev before workloads
    err = refused(raw)
    assert err.key == "config.landing-zone:organization.clouds.gcp.units[0].parent"
    assert "folder" in err.detail


def test_nesting_beyond_the_cloud_limit_is_refused() -> None:
    raw = org_spec()
    raw["clouds"]["aws"]["units"] = [{"name": "l1"}] + [{"name": f"l{i}", "parent": f"l{i - 1}"} for i in range(2, 7)]
    for account in raw["clouds"]["aws"]["accounts"]:
        account["unit"] = "l1"
    err = refused(raw)
    assert err.key == "config.landing-zone:organization.clouds.aws.units[5].parent"
    assert "at most 5 levels" in err.detail


def test_target_in_unknown_unit_is_refused() -> None:
    raw = org_spec()
    raw["clouds"]["azure"]["subscriptions"][2]["unit"] = "staging"
    err = refused(raw)
    assert err.key == "config.landing-zone:organization.clouds.azure.subscriptions[2].unit"
    assert "unknown management group 'staging'" in err.detail


@pytest.mark.parametrize("email", ["not-an-address", "a@b", "x" * 60 + "@acme.example"])
def test_account_email_format(email: str) -> None:
    raw = org_spec()
    raw["clouds"]["aws"]["accounts"][0]["email"] = email
    err = refused(raw)
    assert err.key == "config.landing-zone:organization.clouds.aws.accounts[0].email"


def test_account_emails_are_unique() -> None:
    raw = org_spec()
    raw["clouds"]["aws"]["accounts"][1]["email"] = raw["clouds"]["aws"]["accounts"][0]["email"].upper()
    err = refused(raw)
    assert err.key == "config.landing-zone:organization.clouds.aws.accounts[1].email"
    assert "also used by account 'log-archive'" in err.detail


def test_billing_account_format() -> None:
    raw = org_spec()
    raw["clouds"]["gcp"]["billing_account"] = "billing-123"
    err = refused(raw)
    assert err.key == "config.landing-zone:organization.clouds.gcp.billing_account"


def test_each_cloud_has_one_log_archive_and_one_security_target() -> None:
    raw = org_spec()
    raw["clouds"]["gcp"]["projects"][0]["role"] = "workload"
    err = refused(raw)
    assert err.key == "config.landing-zone:organization.clouds.gcp.projects"
    assert "'log-archive'" in err.detail


def test_a_foundation_lands_once_per_cloud_and_only_in_a_workload_target() -> None:
    raw = org_spec()
    raw["clouds"]["aws"]["accounts"][0]["foundations"] = ["foundation-dev"]
    err = refused(raw)
    assert err.key == "config.landing-zone:organization.clouds.aws.accounts[0].foundations[0]"
    assert "workload" in err.detail
    raw = org_spec()
    raw["clouds"]["aws"]["accounts"].append(
        {"name": "ai-dev2", "email": "b@acme.example", "unit": "dev", "foundations": ["foundation-dev"]}
    )
    err = refused(raw)
    assert err.key == "config.landing-zone:organization.clouds.aws.accounts[3].foundations[0]"
    assert "already lands in account 'ai-dev'" in err.detail


def test_home_region_must_lie_in_the_residency() -> None:
    raw = org_spec()
    raw["clouds"]["aws"]["home_region"] = "eu-central-2"  # Zurich: not eu
    err = refused(raw)
    assert err.key == "config.landing-zone:organization.clouds.aws.home_region"
    assert "outside residency 'eu'" in err.detail


def test_a_jurisdiction_without_regions_on_a_cloud_is_refused() -> None:
    from lz.core import regions

    empty = next(j for j in regions.jurisdictions() if not regions.regions_in("aws", j))
    raw = org_spec()
    raw["residency"] = empty
    err = refused(raw)
    assert err.key == "config.landing-zone:organization.clouds.aws"
    assert "has no AWS region" in err.detail


def test_new_azure_subscription_needs_a_billing_scope_and_budgets_a_start() -> None:
    raw = org_spec()
    del raw["clouds"]["azure"]["billing_scope"]
    del raw["clouds"]["azure"]["subscriptions"][0]["subscription_id"]
    err = refused(raw)
    assert err.key == "config.landing-zone:organization.clouds.azure.subscriptions[0].subscription_id"
    raw = org_spec()
    del raw["budget_start"]
    assert refused(raw).key == "config.landing-zone:organization.budget_start"
    raw = org_spec()
    raw["budget_start"] = "2027-01-15"
    assert refused(raw).key == "config.landing-zone:organization.budget_start"


def test_unknown_key_is_refused() -> None:
    raw = org_spec()
    raw["clouds"]["aws"]["scps"] = []
    err = refused(raw)
    assert err.key == "config.landing-zone:organization.clouds.aws.scps"
    assert "unknown key" in err.detail


# --- the example organization, planned --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def organization(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    return plan("organization", out=tmp_path_factory.mktemp("organization"))


def test_example_organization_passes_its_own_pack(organization: Planned) -> None:
    assert organization.exit_code == 0
    assert organization.mandatory() == []
    assert "## Guardrail parity" in organization.report
    parity = json.loads((organization.out / "parity.json").read_text())
    assert parity["gaps"] == [] and "aws:scp:residency" in parity["generated"]
    assert set(parity["matrix"]) >= {"residency-allowed-jurisdiction", "tags-required", "encryption-at-rest-cmk"}


def test_inventory(organization: Planned) -> None:
    counts = organization.type_counts()
    assert counts["aws:organizations/organization:Organization"] == 1
    assert counts["aws:organizations/organizationalUnit:OrganizationalUnit"] == 4
    assert counts["aws:organizations/account:Account"] == 3
    assert counts["aws:organizations/policy:Policy"] == 5
    assert counts["aws:organizations/policyAttachment:PolicyAttachment"] == 5
    assert counts["gcp:organizations/folder:Folder"] == 4
    assert counts["gcp:organizations/project:Project"] == 3
    assert counts["azure-native:management:ManagementGroup"] == 5  # the intermediate root and four
    assert counts["azure-native:subscription:Alias"] == 3
    assert counts["aws:budgets/budget:Budget"] == counts["gcp:billing/budget:Budget"] == 3
    assert counts["azure-native:consumption:Budget"] == 3


def test_hierarchy_is_wired_parent_first(organization: Planned) -> None:
    ous = {
        r["inputs"]["name"]: r for r in organization.by_type("aws:organizations/organizationalUnit:OrganizationalUnit")
    }
    assert ous["workloads"]["inputs"]["parentId"] == "r-a1b2"
    assert ous["dev"]["inputs"]["parentId"].startswith("ou-")
    assert ous["workloads"]["urn"] in ous["dev"]["dependencies"]
    account = organization.named("aws:organizations/account:Account", "acme-aws-account-ai-dev")
    assert ous["dev"]["urn"] in account["dependencies"]
    assert account["inputs"]["parentId"] not in (ous["dev"]["inputs"]["parentId"], "r-a1b2")
    assert account["protect"] is True and account["inputs"]["closeOnDeletion"] is False
    folder = organization.named("gcp:organizations/folder:Folder", "acme-gcp-folder-dev")
    assert folder["inputs"]["parent"].startswith("folders/")
    project = organization.named("gcp:organizations/project:Project", "acme-gcp-project-ai-dev")
    assert project["inputs"]["projectId"] == "acme-ai-dev" and project["inputs"]["autoCreateNetwork"] is False
    assert project["inputs"]["billingAccount"] == "01A2B3-C4D5E6-F7A8B9"
    assert project["inputs"]["deletionPolicy"] == "PREVENT" and project["protect"] is True
    root = organization.named("azure-native:management:ManagementGroup", "acme-azure-mg-root")
    assert root["inputs"]["details"]["parent"]["id"].endswith("/5a7b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d")
    alias = organization.named("azure-native:subscription:Alias", "acme-azure-subscription-ai-dev")
    assert alias["inputs"]["properties"]["subscriptionId"] == "00000000-0000-0000-0000-000000000000"
    assert alias["inputs"]["properties"]["additionalProperties"]["managementGroupId"].endswith("/acme-dev")


def test_every_guardrail_is_attached_at_the_root(organization: Planned) -> None:
    attachments = organization.by_type("aws:organizations/policyAttachment:PolicyAttachment")
    assert {a["inputs"]["targetId"] for a in attachments} == {"r-a1b2"}
    kinds = sorted(p["inputs"]["type"] for p in organization.by_type("aws:organizations/policy:Policy"))
    assert kinds == ["RESOURCE_CONTROL_POLICY"] + ["SERVICE_CONTROL_POLICY"] * 3 + ["TAG_POLICY"]
    org = organization.by_type("aws:organizations/organization:Organization")[0]["inputs"]
    assert set(org["enabledPolicyTypes"]) >= set(kinds)
    scopes = {a["inputs"]["scope"] for a in organization.by_type("azure-native:authorization:PolicyAssignment")}
    assert scopes == {"/providers/Microsoft.Management/managementGroups/acme"}
    names = {p["inputs"]["name"] for p in organization.by_type("gcp:orgpolicy/policy:Policy")}
    assert "organizations/123456789012/policies/gcp.resourceLocations" in names


def test_budgets_follow_the_budget_key(organization: Planned) -> None:
    spec = load(org_spec())
    aws_budget = organization.named("aws:budgets/budget:Budget", "acme-aws-budget-ai-dev")["inputs"]
    assert aws_budget["limitAmount"] == "25000.00" and aws_budget["timeUnit"] == "MONTHLY"
    assert aws_budget["accountId"] == "999999999999"
    assert [n["threshold"] for n in aws_budget["notifications"]] == [80, 100]
    assert aws_budget["costFilters"][0]["name"] == "LinkedAccount"
    default = organization.named("aws:budgets/budget:Budget", "acme-aws-budget-security")["inputs"]
    assert default["limitAmount"] == f"{spec.budget.monthly_usd:.2f}"
    assert [n["threshold"] for n in default["notifications"]] == [50, 80, 100]
    gcp_budget = organization.named("gcp:billing/budget:Budget", "acme-gcp-budget-ai-dev")["inputs"]
    assert gcp_budget["amount"]["specifiedAmount"] == {"currencyCode": "USD", "units": "25000", "nanos": 0}
    assert [r["thresholdPercent"] for r in gcp_budget["thresholdRules"]] == [0.8, 1.0]
    assert gcp_budget["budgetFilter"]["projects"][0].startswith("projects/")
    channel = organization.by_type("gcp:monitoring/notificationChannel:NotificationChannel")[0]["inputs"]
    assert channel["labels"] == {"email_address": "finops@acme.example"}
    assert gcp_budget["allUpdatesRule"]["monitoringNotificationChannels"] == [
        organization.by_type("gcp:monitoring/notificationChannel:NotificationChannel")[0]["id"]
    ]
    az = organization.named("azure-native:consumption:Budget", "acme-azure-budget-ai-dev")["inputs"]
    assert az["scope"] == "/subscriptions/00000000-0000-0000-0000-000000000000"
    assert az["timePeriod"]["startDate"] == "2027-01-01T00:00:00Z" and az["timeGrain"] == "Monthly"
    assert sorted(n["threshold"] for n in az["notifications"].values()) == [80, 100]


def test_outputs_tell_foundations_where_they_land(organization: Planned) -> None:
    from lz.programs.organization import exported_spec

    exported = exported_spec(load(org_spec()))
    assert exported["placements"]["foundation-dev"]["gcp"] == {"target": "ai-dev", "unit": "dev", "id": "acme-ai-dev"}
    assert exported["residency"] == "eu"


# --- foundations that name the organization -------------------------------------------------------------------


def _foundation(**changes: Any) -> dict[str, Any]:
    spec = single_cloud_spec("gcp")
    spec["organization_stack"] = "organization"
    spec.update(changes)
    return foundation_config(spec)


def test_plan_all_orders_organization_foundations_waves(tmp_path: Path) -> None:
    from lz.cli.plan_all import phases
    from lz.cli.project import find_project

    project = make_project(
        tmp_path,
        {
            "organization": org_config(),
            "foundation-dev": _foundation(),
            "wave-1": {"landing-zone:wave": {"name": "w", "foundation": "foundation-dev"}},
        },
    )
    assert phases(find_project(project)) == [["organization"], ["foundation-dev"], ["wave-1"]]


def test_foundation_reads_the_organization_through_a_stack_reference(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"organization": org_config(), "foundation-dev": _foundation()})
    planned = plan("foundation-dev", project=project)
    assert planned.exit_code == 0, planned.mandatory()
    stack = planned.by_type("pulumi:pulumi:Stack")[0]["outputs"]
    landed = stack["organization"]
    assert landed["stack"] == "organization"
    assert landed["placement"] == {"gcp": {"target": "ai-dev", "unit": "dev", "id": "acme-ai-dev"}}
    # The organization's own outputs, as the reference answered them: the project it vended.
    assert landed["outputs"]["gcp"]["projects"]["ai-dev"]["project_id"] == "acme-ai-dev"


def test_foundation_in_an_account_the_organization_does_not_vend_is_refused(tmp_path: Path) -> None:
    spec = single_cloud_spec("gcp")
    spec["organization_stack"] = "organization"
    spec["clouds"]["gcp"]["project"] = "acme-other-dev"
    project = make_project(tmp_path, {"organization": org_config(), "foundation-dev": foundation_config(spec)})
    planned = plan("foundation-dev", project=project)
    assert planned.exit_code == 2


def test_foundation_naming_a_missing_organization_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path, {"foundation-dev": _foundation(organization_stack="org-x")})
    planned = plan("foundation-dev", project=project)
    assert planned.exit_code == 2
    assert "organization_stack: no organization stack 'org-x'" in capsys.readouterr().err


def test_organization_graph_is_deterministic(organization: Planned, tmp_path: Path) -> None:
    again = plan("organization", out=tmp_path / "again")
    assert json.dumps(again.graph, sort_keys=True) == json.dumps(organization.graph, sort_keys=True)


def test_budget_limits_of_the_clouds_are_named() -> None:
    raw = org_spec()
    raw["budget"]["recipients"] = [f"r{i}@acme.example" for i in range(6)]
    err = refused(raw)
    assert err.key == "config.landing-zone:organization.budget.recipients"
    assert "GCP budgets take at most 5 recipients" in err.detail
    raw = org_spec()
    raw["clouds"]["azure"]["subscriptions"][2]["budget"]["alert_thresholds"] = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    err = refused(raw)
    assert err.key == "config.landing-zone:organization.clouds.azure.subscriptions[2].budget.alert_thresholds"


def test_guardrails_aws_would_refuse_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from lz.spec import guardrails

    monkeypatch.setattr(guardrails, "AWS_GLOBAL_ACTIONS", tuple(f"service{i}:*" for i in range(600)))
    err = refused(org_spec())
    assert err.key == "config.landing-zone:organization.clouds.aws"
    assert "5120" in err.detail


# --- central logs and detective controls ----------------------------------------------------------------------


def test_aws_organization_trail_writes_to_a_locked_bucket_in_the_log_archive(organization: Planned) -> None:
    trail = organization.named("aws:cloudtrail/trail:Trail", "acme-aws-logs-trail")
    assert trail["inputs"]["isOrganizationTrail"] is True and trail["inputs"]["isMultiRegionTrail"] is True
    assert trail["inputs"]["enableLogFileValidation"] is True
    assert trail["provider"].split("::")[-2] == "aws-management"
    assert ":222222222222:key/" in trail["inputs"]["kmsKeyId"]
    bucket = organization.named("aws:s3/bucket:Bucket", "acme-aws-logs-bucket")
    assert bucket["inputs"]["objectLockEnabled"] is True and bucket["protect"] is True
    assert bucket["provider"].split("::")[-2] == "acme-aws-logs-provider"
    lock = organization.named(
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "acme-aws-logs-object-lock"
    )["inputs"]
    assert lock["rule"]["defaultRetention"] == {"mode": "COMPLIANCE", "days": 400}
    policy = json.loads(
        organization.named("aws:s3/bucketPolicy:BucketPolicy", "acme-aws-logs-policy")["inputs"]["policy"]
    )
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    assert by_sid["DenyInsecureTransport"]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    org_id = organization.by_type("aws:organizations/organization:Organization")[0]["id"]
    assert by_sid["AllowOrganizationTrailWrite"]["Resource"].endswith(f"/AWSLogs/{org_id}/*")
    writers = {s["Principal"]["Service"] for s in policy["Statement"] if s["Effect"] == "Allow"}
    assert writers == {"cloudtrail.amazonaws.com", "config.amazonaws.com"}
    provider = organization.named("pulumi:providers:aws", "acme-aws-logs-provider")["inputs"]
    assert "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole" in provider["assumeRoles"]


def test_aws_detection_is_delegated_to_the_security_account(organization: Planned) -> None:
    delegated = {
        r["inputs"]["servicePrincipal"]: r["inputs"]["accountId"]
        for r in organization.by_type("aws:organizations/delegatedAdministrator:DelegatedAdministrator")
    }
    assert delegated == {
        "config.amazonaws.com": "333333333333",
        "guardduty.amazonaws.com": "333333333333",
        "securityhub.amazonaws.com": "333333333333",
    }
    org_config = organization.by_type("aws:guardduty/organizationConfiguration:OrganizationConfiguration")[0]
    assert org_config["inputs"]["autoEnableOrganizationMembers"] == "ALL"
    standard = organization.by_type("aws:securityhub/standardsSubscription:StandardsSubscription")[0]["inputs"]
    assert standard["standardsArn"].endswith("standards/aws-foundational-security-best-practices/v/1.0.0")
    aggregator = organization.by_type("aws:cfg/configurationAggregator:ConfigurationAggregator")[0]["inputs"]
    assert aggregator["organizationAggregationSource"]["allRegions"] is True
    for t in ("aws:guardduty/detector:Detector", "aws:securityhub/account:Account"):
        assert organization.by_type(t)[0]["provider"].split("::")[-2] == "acme-aws-detection-provider", t
    # A Config recorder in every vended account, each through that account's own provider.
    providers = {
        organization.urn_index()[r["provider"].rsplit("::", 1)[0]]["inputs"]["allowedAccountIds"]
        for r in organization.by_type("aws:cfg/recorder:Recorder")
    }
    assert providers == {'["111111111111"]', '["222222222222"]', '["333333333333"]'}
    assert len(organization.by_type("aws:cfg/deliveryChannel:DeliveryChannel")) == 3


def test_gcp_organization_sink_includes_children_into_a_cmek_bucket(organization: Planned) -> None:
    sink = organization.named("gcp:logging/organizationSink:OrganizationSink", "acme-gcp-logs-sink")["inputs"]
    assert sink["includeChildren"] is True and sink["orgId"] == "123456789012"
    bucket = organization.named("gcp:logging/projectBucketConfig:ProjectBucketConfig", "acme-gcp-logs-bucket")
    assert sink["destination"] == "logging.googleapis.com/" + bucket["id"]
    assert bucket["inputs"]["project"] == "acme-logging" and bucket["inputs"]["location"] == "europe-west4"
    assert bucket["inputs"]["cmekSettings"]["kmsKeyName"].startswith("projects/acme-logging/locations/europe-west4/")
    assert bucket["inputs"]["locked"] is True and bucket["inputs"]["retentionDays"] == 400
    writer = organization.named("gcp:projects/iAMMember:IAMMember", "acme-gcp-logs-sink-writer")["inputs"]
    assert writer["role"] == "roles/logging.bucketWriter"
    assert writer["member"].startswith("serviceAccount:o123456789012")


def test_gcp_findings_stream_to_a_regional_cmek_topic(organization: Planned) -> None:
    topic = organization.named("gcp:pubsub/topic:Topic", "acme-gcp-detection-topic")["inputs"]
    assert topic["messageStoragePolicy"]["allowedPersistenceRegions"] == ["europe-west4"]
    assert topic["kmsKeyName"].startswith("projects/acme-security/")
    config = organization.by_type("gcp:securitycenter/notificationConfig:NotificationConfig")[0]["inputs"]
    assert config["streamingConfig"]["filter"] == 'state = "ACTIVE"'
    module = organization.by_type(
        "gcp:securitycenter/managementOrganizationSecurityHealthAnalyticsCustomModule:"
        "ManagementOrganizationSecurityHealthAnalyticsCustomModule"
    )[0]["inputs"]
    assert module["customConfig"]["resourceSelector"]["resourceTypes"] == ["storage.googleapis.com/Bucket"]


def test_azure_activity_and_defender(organization: Planned) -> None:
    setting = organization.by_type("azure-native:monitor:ManagementGroupDiagnosticSetting")[0]["inputs"]
    assert setting["managementGroupId"] == "acme"
    assert setting["workspaceId"].startswith("/subscriptions/22222222-2222-4222-8222-222222222222/")
    assert [log["category"] for log in setting["logs"]] == ["Administrative", "Policy"]
    activity = organization.named("azure-native:authorization:PolicyAssignment", "acme-azure-logs-activity-log")
    assert activity["inputs"]["identity"] == {"type": "SystemAssigned"}
    assert activity["inputs"]["policyDefinitionId"].endswith("/2465583e-4e78-4c15-b6be-a36cbc7c8b0f")
    assert activity["inputs"]["parameters"]["logAnalytics"]["value"] == setting["workspaceId"]
    roles = organization.by_type("azure-native:authorization:RoleAssignment")
    assert sorted(r["inputs"]["roleDefinitionId"].rsplit("/", 1)[1] for r in roles) == [
        "749f88d5-cbae-40b8-bcfc-e573ddc772fa",
        "92aaf0da-9dab-42b6-94a3-d43ce8d16293",
    ]
    assert all(r["inputs"]["principalId"] and r["inputs"]["principalType"] == "ServicePrincipal" for r in roles)
    workspace = organization.by_type("azure-native:operationalinsights:Workspace")[0]
    assert workspace["inputs"]["retentionInDays"] == 400 and workspace["protect"] is True
    plans = organization.by_type("azure-native:security:Pricing")
    assert len(plans) == 3 * 6 and {p["inputs"]["pricingTier"] for p in plans} == {"Standard"}
    assert {p["inputs"]["scopeId"] for p in plans} == {
        "subscriptions/22222222-2222-4222-8222-222222222222",
        "subscriptions/33333333-3333-4333-8333-333333333333",
        "subscriptions/00000000-0000-0000-0000-000000000000",
    }


def test_trail_and_key_policies_pass_parliament_as_resource_policies(organization: Planned) -> None:
    from tests.components.test_identity import _parliament

    parliament = _parliament()
    problems = []
    for type_, name in (
        ("aws:s3/bucketPolicy:BucketPolicy", "acme-aws-logs-policy"),
        ("aws:kms/key:Key", "acme-aws-logs-key"),
    ):
        text = organization.named(type_, name)["inputs"]["policy"]
        policy = parliament.analyze_policy_string(text, ignore_private_auditors=True)
        for finding in map(parliament.enhance_finding, policy.findings):
            if finding.severity in ("MEDIUM", "HIGH", "CRITICAL"):
                problems.append(f"{name}: {finding.issue} {finding.detail}")
    assert problems == []


def test_account_trail_is_optional_only_inside_an_organization(tmp_path: Path) -> None:
    from lz.spec import load_landing_zone

    spec = single_cloud_spec("aws")
    spec["account_trail"] = False
    with pytest.raises(InputError) as info:
        load_landing_zone(spec, file="f", namespace="landing-zone")
    assert info.value.key == "config.landing-zone:landingZone.account_trail"
    spec["organization_stack"] = "organization"
    project = make_project(tmp_path, {"organization": org_config(), "foundation-dev": foundation_config(spec)})
    planned = plan("foundation-dev", project=project)
    assert planned.exit_code == 0, planned.mandatory()
    assert planned.by_type("aws:cloudtrail/trail:Trail") == []
    assert planned.by_type("pulumi:pulumi:Stack")[0]["outputs"]["foundation"]["aws"]["audit"] == {
        "organization_trail": True
    }


def test_a_notification_channel_carries_its_tags_in_user_labels() -> None:
    """Its `labels` are the channel's configuration (`email_address`): the pack reads `userLabels`."""
    from tests.policies._graph import REQUIRED, by_policy, gcp_provider, resource, run

    token = "gcp:monitoring/notificationChannel:NotificationChannel"
    prov = gcp_provider()
    config = {"type": "email", "labels": {"email_address": "finops@acme.example"}}
    bare = resource(token, "bare", config, provider=prov)
    tagged = resource(token, "tagged", {**config, "userLabels": dict(REQUIRED)}, provider=prov)
    ev = run([prov, bare, tagged], requiredTags=list(REQUIRED))
    assert by_policy(ev, "tags-required", bare.urn)
    assert by_policy(ev, "tags-required", tagged.urn) == []
    assert by_policy(ev, "tags-valid-for-cloud", tagged.urn) == []


def test_a_wave_on_a_foundation_in_an_organization_is_planned(tmp_path: Path) -> None:
    """The wave's foundation is synthesized with the organization's outputs answering its reference."""
    wave = copy.deepcopy(yaml.safe_load((ROOT / "stacks" / "Pulumi.wave-1-dev.yaml").read_text())["config"])
    body = wave["landing-zone:wave"]
    body["datasets"] = [d for d in body["datasets"] if d["target"]["cloud"] == "gcp"]
    body.pop("databases", None)
    body.pop("cutover", None)
    stacks = {"organization": org_config(), "foundation-dev": _foundation(), "wave-1-dev": wave}
    project = make_project(tmp_path, stacks)
    planned = plan("wave-1-dev", project=project)
    assert planned.exit_code == 0, planned.mandatory()
    assert planned.by_type("gcp:storage/transferJob:TransferJob")


def test_gcp_folder_names_are_three_characters_or_more() -> None:
    raw = org_spec()
    raw["clouds"]["gcp"]["units"].append({"name": "qa", "parent": "workloads"})
    err = refused(raw)
    assert err.key == "config.landing-zone:organization.clouds.gcp.units[4].name"
    raw["clouds"]["aws"]["units"].append({"name": "qa", "parent": "workloads"})
    raw["clouds"]["gcp"]["units"][4]["name"] = "qa-1"
    load(raw)  # AWS OUs may be that short


def test_known_account_ids_are_used_for_budgets(organization: Planned) -> None:
    budget = organization.named("aws:budgets/budget:Budget", "acme-aws-budget-ai-dev")["inputs"]
    assert budget["costFilters"][0]["values"] == ["111111111111"]


def test_plan_all_starts_each_stack_after_the_stacks_it_reads(tmp_path: Path) -> None:
    from lz.cli.plan_all import dependencies
    from lz.cli.project import find_project

    project = make_project(
        tmp_path,
        {
            "organization": org_config(),
            "foundation-dev": _foundation(),
            "other": foundation_config(single_cloud_spec("aws")),
            "wave-1": {"landing-zone:wave": {"name": "w", "foundation": "foundation-dev"}},
        },
    )
    assert dependencies(find_project(project)) == {
        "foundation-dev": ["organization"],
        "organization": [],
        "other": [],
        "wave-1": ["foundation-dev"],
    }
