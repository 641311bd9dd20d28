"""`lz:organization:AwsOrganization`: the AWS Organization, its OUs, the accounts it vends, its guardrails.

In the management account (an explicit provider pinned to it, in the home region): the organization
with all features and the policy types the guardrails need, the OUs under the root in the spec's
order (a parent before its children), one `organizations.Account` per vended account, the SCPs, RCP
and tag policy of `lz.spec.guardrails` attached at the root, and a monthly cost budget per account.

Accounts are protected and never closed by a `pulumi destroy` (`close_on_deletion` off): closing an
account is a decision for a person. An account that exists already is adopted with `pulumi import`
before the first `pulumi up`. SCPs never apply to the management account itself (AWS documents this).
"""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from lz.spec import guardrails
from lz.spec.organization import ROOT

from .budgets import aws_budget
from .context import OrgContext
from .detection_aws import AwsDetection
from .logs_aws import AwsLogArchive

# Trusted access for the services the central logs and detective controls run organization-wide.
SERVICE_ACCESS = (
    "cloudtrail.amazonaws.com",
    "config-multiaccountsetup.amazonaws.com",
    "config.amazonaws.com",
    "guardduty.amazonaws.com",
    "securityhub.amazonaws.com",
)
POLICY_TYPES = ("RESOURCE_CONTROL_POLICY", "SERVICE_CONTROL_POLICY", "TAG_POLICY")
ACCESS_ROLE = "OrganizationAccountAccessRole"


class AwsOrganization(pulumi.ComponentResource):
    organization: aws.organizations.Organization
    units: dict[str, aws.organizations.OrganizationalUnit]
    accounts: dict[str, aws.organizations.Account]
    policies: dict[str, aws.organizations.Policy]

    def __init__(self, name: str, ctx: OrgContext, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("lz:organization:AwsOrganization", name, None, opts)
        spec = ctx.cloud_spec
        self.organization = aws.organizations.Organization(
            f"{name}-organization",
            feature_set="ALL",
            aws_service_access_principals=list(SERVICE_ACCESS),
            enabled_policy_types=list(POLICY_TYPES),
            opts=ctx.opts(self, data=True),
        )
        parent_ids: dict[str, pulumi.Input[str]] = {ROOT: spec.root_id}
        self.units = {}
        for unit in spec.units:
            ou = aws.organizations.OrganizationalUnit(
                f"{name}-ou-{unit.name}",
                name=unit.name,
                parent_id=parent_ids[unit.parent],
                tags=ctx.tags_with(Name=unit.name),
                opts=ctx.opts(self, depends_on=[self.organization]),
            )
            self.units[unit.name] = ou
            parent_ids[unit.name] = ou.id
        self.accounts = {}
        for account in spec.accounts:
            physical = ctx.physical(account.name, max_len=50)
            self.accounts[account.name] = aws.organizations.Account(
                f"{name}-account-{account.name}",
                name=physical,
                email=account.email,
                parent_id=parent_ids[account.unit],
                role_name=ACCESS_ROLE,
                iam_user_access_to_billing="DENY",
                close_on_deletion=False,
                tags=ctx.tags_with(Name=physical, role=account.role),
                # AWS cannot change an account's e-mail or role through this API: never replace for it.
                opts=ctx.opts(
                    self,
                    data=True,
                    depends_on=[self.organization],
                    ignore_changes=["email", "roleName", "iamUserAccessToBilling"],
                ),
            )
        self.policies = {}
        for policy_name, (kind, document) in guardrails.aws_documents(ctx.spec).items():
            physical = ctx.physical("guardrail", policy_name, max_len=128)
            policy = aws.organizations.Policy(
                f"{name}-policy-{policy_name}",
                name=physical,
                type=kind,
                description=f"landing-zone {policy_name} guardrail ({ctx.spec.residency})",
                content=json.dumps(document, separators=(",", ":"), sort_keys=True),
                tags=ctx.tags_with(Name=physical),
                opts=ctx.opts(self, depends_on=[self.organization]),
            )
            self.policies[policy_name] = policy
            aws.organizations.PolicyAttachment(
                f"{name}-attach-{policy_name}", policy_id=policy.id, target_id=spec.root_id, opts=ctx.opts(self)
            )
        # An account the spec knows by id (adopted, or created on an earlier run) is named by that id.
        self.account_ids: dict[str, pulumi.Input[str]] = {
            a.name: a.account_id or self.accounts[a.name].id for a in spec.accounts
        }
        archive, security = spec.by_role("log-archive"), spec.by_role("security")
        self.logs = AwsLogArchive(
            f"{name}-logs",
            ctx,
            archive_account=self.account_ids[archive.name],
            organization_id=self.organization.id,
            config_accounts=[self.account_ids[a.name] for a in spec.accounts],
            depends_on=[self.organization, self.accounts[archive.name]],
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.detection = AwsDetection(
            f"{name}-detection",
            ctx,
            security_account=self.account_ids[security.name],
            security_name=security.name,
            accounts=dict(self.account_ids),
            log_bucket=self.logs.bucket.id,
            depends_on=[self.organization, *self.accounts.values()],
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.budgets = {}
        for account in spec.accounts:
            budget = ctx.spec.budget_for(account)
            if budget is not None:
                self.budgets[account.name] = aws_budget(
                    f"{name}-budget-{account.name}",
                    ctx,
                    budget,
                    account.name,
                    management_account_id=spec.management_account_id,
                    account_id=self.account_ids[account.name],
                    parent=self,
                )
        self.outputs: dict[str, Any] = {
            "management_account_id": spec.management_account_id,
            "root_id": spec.root_id,
            "home_region": spec.home_region,
            "units": {u: ou.id for u, ou in self.units.items()},
            "accounts": dict(self.account_ids),
            "guardrails": {p: policy.id for p, policy in self.policies.items()},
            "allowed_regions": guardrails.allowed_regions(ctx.spec, "aws"),
            "log_archive": self.logs.outputs,
            "detection": self.detection.outputs,
        }
        self.register_outputs(self.outputs)


def provider(spec: Any, parent: pulumi.Resource) -> aws.Provider:
    aws_spec = spec.clouds.aws
    return aws.Provider(
        "aws-management",
        region=aws_spec.home_region,
        allowed_account_ids=[aws_spec.management_account_id],
        opts=pulumi.ResourceOptions(parent=parent),
    )


def build(ctx: OrgContext, opts: pulumi.ResourceOptions) -> dict[str, Any]:
    return AwsOrganization(f"{ctx.org}-aws", ctx, opts).outputs
