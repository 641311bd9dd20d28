"""`lz:organization:AwsDetection`: GuardDuty, Security Hub and AWS Config, run from the security account.

From the management account, the security account becomes the delegated administrator of
GuardDuty, Security Hub and AWS Config. In the security account: a GuardDuty detector that
enables every member of the organization (new and existing), Security Hub with the AWS
Foundational Security Best Practices standard and automatic enrolment of members, a Config
aggregator over all regions. In every vended account: AWS Config's service-linked role and a recorder
of the home region (global resource types included) delivering to the log archive.

What it does not do: record Config in the other regions of an account (a recorder is regional; the
foundations' regions would each need one), or act on findings. An account that already has the
Config service-linked role needs it imported first (`pulumi import aws:iam/serviceLinkedRole:...`).
Sources (read 2026-12): https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_organizations.html,
https://docs.aws.amazon.com/securityhub/latest/userguide/designate-orgs-admin-account.html,
https://docs.aws.amazon.com/config/latest/developerguide/config-aggregator-multi-account-org.html.
"""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from .context import OrgContext
from .logs_aws import archive_provider

FSBP = "arn:aws:securityhub:{region}::standards/aws-foundational-security-best-practices/v/1.0.0"
CONFIG_ORG_POLICY = "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations"


def config_recorder(
    name: str,
    ctx: OrgContext,
    *,
    provider: aws.Provider,
    account_id: pulumi.Input[str],
    log_bucket: pulumi.Input[str],
    parent: pulumi.Resource,
) -> aws.cfg.Recorder:
    """AWS Config in one account: its service-linked role, the recorder, delivery, and recording on."""
    opts = ctx.opts(parent, provider=provider)
    role = aws.iam.ServiceLinkedRole(
        f"{name}-config-role", aws_service_name="config.amazonaws.com", tags=ctx.tags_with(Name="config"), opts=opts
    )
    recorder = aws.cfg.Recorder(
        f"{name}-config-recorder",
        name=ctx.physical("config"),
        role_arn=role.arn,
        recording_group={"all_supported": True, "include_global_resource_types": True},
        opts=opts,
    )
    channel = aws.cfg.DeliveryChannel(
        f"{name}-config-delivery",
        name=ctx.physical("config"),
        s3_bucket_name=log_bucket,
        s3_key_prefix="config",
        opts=ctx.opts(parent, provider=provider, depends_on=[recorder]),
    )
    aws.cfg.RecorderStatus(
        f"{name}-config-status",
        name=recorder.name,
        is_enabled=True,
        opts=ctx.opts(parent, provider=provider, depends_on=[channel]),
    )
    return recorder


class AwsDetection(pulumi.ComponentResource):
    def __init__(
        self,
        name: str,
        ctx: OrgContext,
        *,
        security_account: pulumi.Input[str],
        security_name: str,
        accounts: dict[str, pulumi.Input[str]],
        log_bucket: pulumi.Input[str],
        depends_on: list[pulumi.Resource],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("lz:organization:AwsDetection", name, None, opts)
        region = ctx.cloud_spec.home_region
        account = pulumi.Output.from_input(security_account)
        self.provider = archive_provider(ctx, security_account, f"{name}-provider", self)

        def sec(**kwargs: Any) -> pulumi.ResourceOptions:
            return ctx.opts(self, provider=self.provider, **kwargs)

        delegations = [
            aws.organizations.DelegatedAdministrator(
                f"{name}-delegate-{service.split('.')[0]}",
                account_id=security_account,
                service_principal=service,
                opts=ctx.opts(self, depends_on=depends_on),
            )
            for service in ("config.amazonaws.com", "guardduty.amazonaws.com", "securityhub.amazonaws.com")
        ]
        guardduty_admin = aws.guardduty.OrganizationAdminAccount(
            f"{name}-guardduty-admin", admin_account_id=security_account, opts=ctx.opts(self, depends_on=delegations)
        )
        self.detector = aws.guardduty.Detector(
            f"{name}-guardduty",
            enable=True,
            finding_publishing_frequency="FIFTEEN_MINUTES",
            tags=ctx.tags_with(Name=f"{ctx.org}-guardduty"),
            opts=sec(depends_on=[guardduty_admin]),
        )
        aws.guardduty.OrganizationConfiguration(
            f"{name}-guardduty-org",
            detector_id=self.detector.id,
            auto_enable_organization_members="ALL",
            opts=sec(depends_on=[guardduty_admin]),
        )
        self.hub = aws.securityhub.Account(
            f"{name}-securityhub", enable_default_standards=False, auto_enable_controls=True, opts=sec()
        )
        hub_admin = aws.securityhub.OrganizationAdminAccount(
            f"{name}-securityhub-admin",
            admin_account_id=security_account,
            opts=ctx.opts(self, depends_on=[*delegations, self.hub]),
        )
        aws.securityhub.OrganizationConfiguration(
            f"{name}-securityhub-org",
            auto_enable=True,
            auto_enable_standards="DEFAULT",
            opts=sec(depends_on=[hub_admin]),
        )
        self.standard = aws.securityhub.StandardsSubscription(
            f"{name}-securityhub-fsbp", standards_arn=FSBP.format(region=region), opts=sec(depends_on=[self.hub])
        )
        # One recorder per vended account (home region, global resource types included), each
        # delivering to the log archive under `config/`.
        self.recorders = {}
        for target, account_id in accounts.items():
            provider = (
                self.provider
                if target == security_name
                else archive_provider(ctx, account_id, f"{name}-{target}-provider", self)
            )
            self.recorders[target] = config_recorder(
                f"{name}-{target}", ctx, provider=provider, account_id=account_id, log_bucket=log_bucket, parent=self
            )
        role = aws.iam.Role(
            f"{name}-config-aggregator-role",
            name=ctx.physical("config-aggregator", max_len=64),
            assume_role_policy=account.apply(
                lambda a: json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "config.amazonaws.com"},
                                "Action": "sts:AssumeRole",
                                "Condition": {"StringEquals": {"aws:SourceAccount": a}},
                            }
                        ],
                    }
                )
            ),
            tags=ctx.tags_with(Name="config-aggregator"),
            opts=sec(),
        )
        aws.iam.RolePolicyAttachment(
            f"{name}-config-aggregator-policy", role=role.name, policy_arn=CONFIG_ORG_POLICY, opts=sec()
        )
        self.aggregator = aws.cfg.ConfigurationAggregator(
            f"{name}-config-aggregator",
            name=ctx.physical("organization"),
            organization_aggregation_source={"all_regions": True, "role_arn": role.arn},
            tags=ctx.tags_with(Name="organization"),
            opts=sec(depends_on=delegations),
        )
        self.outputs = {
            "account_id": account,
            "guardduty_detector": self.detector.id,
            "config_aggregator": self.aggregator.arn,
        }
        self.register_outputs(self.outputs)
