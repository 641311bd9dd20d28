"""`lz:organization:GcpOrganization`: folders, the projects it vends, organization policies, budgets.

Under the organization node: the folders in the spec's order (a parent before its children), one
`organizations.Project` per vended project (billing attached, labelled with the landing zone's tags,
no default network), the organization policies of `lz.spec.guardrails` set on the organization node, and
a budget per project. Projects and folders are protected from deletion (`deletion_policy` PREVENT,
folder deletion protection) outside `environment: test`.

The provider's quota and billing project is the security project: billing budgets and organization
policies are called on its quota (`user_project_override`).
"""

from __future__ import annotations

import typing
from typing import Any

import pulumi
import pulumi_gcp as gcp

from lz.spec import guardrails
from lz.spec.organization import ROOT

from .budgets import gcp_budget, gcp_channels
from .context import OrgContext
from .detection_gcp import GcpDetection
from .logs_gcp import GcpLogArchive, enable_apis


class GcpOrganization(pulumi.ComponentResource):
    folders: dict[str, gcp.organizations.Folder]
    projects: dict[str, gcp.organizations.Project]
    policies: dict[str, gcp.orgpolicy.Policy]

    def __init__(self, name: str, ctx: OrgContext, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("lz:organization:GcpOrganization", name, None, opts)
        spec = ctx.cloud_spec
        org_node = f"organizations/{spec.organization_id}"
        parents: dict[str, pulumi.Input[str]] = {ROOT: org_node}
        self.folders = {}
        for unit in spec.units:
            folder = gcp.organizations.Folder(
                f"{name}-folder-{unit.name}",
                display_name=unit.name,
                parent=parents[unit.parent],
                deletion_protection=ctx.protect,
                opts=ctx.opts(self, data=True),
            )
            self.folders[unit.name] = folder
            parents[unit.name] = folder.name  # "folders/<number>"
        self.projects = {}
        for project in spec.projects:
            home = self.folders.get(project.unit)
            self.projects[project.name] = gcp.organizations.Project(
                f"{name}-project-{project.name}",
                project_id=project.project_id,
                name=project.project_id,
                org_id=None if home else spec.organization_id,
                folder_id=home.folder_id if home else None,
                billing_account=spec.billing_account,
                auto_create_network=False,
                deletion_policy="ABANDON" if ctx.spec.disposable else "PREVENT",
                labels=ctx.tags_with(role=project.role),
                opts=ctx.opts(self, data=True),
            )
        self.policies = {}
        for constraint in guardrails.gcp_constraints(ctx.spec):
            self.policies[constraint.constraint] = gcp.orgpolicy.Policy(
                f"{name}-policy-{constraint.constraint}",
                name=f"{org_node}/policies/{constraint.constraint}",
                parent=org_node,
                spec=typing.cast(Any, constraint.spec),
                opts=ctx.opts(self),
            )
        security = spec.by_role("security")
        child = pulumi.ResourceOptions(parent=self)
        self.logs = GcpLogArchive(
            f"{name}-logs", ctx, project=self.projects[spec.by_role("log-archive").name], opts=child
        )
        self.detection = GcpDetection(f"{name}-detection", ctx, project=self.projects[security.name], opts=child)
        recipients = sorted({r for p in spec.projects if (b := ctx.spec.budget_for(p)) for r in b.recipients})
        channels = {}
        if recipients:
            monitoring = enable_apis(
                f"{name}-budget",
                ctx,
                project_id=security.project_id,
                project=self.projects[security.name],
                parent=self,
                apis=("monitoring.googleapis.com",),
            )
            channels = gcp_channels(
                f"{name}-budget-channel",
                ctx,
                recipients,
                project=security.project_id,
                parent=self,
                depends_on=list(monitoring.values()),
            )
        self.budgets = {}
        for project in spec.projects:
            budget = ctx.spec.budget_for(project)
            if budget is not None:
                self.budgets[project.name] = gcp_budget(
                    f"{name}-budget-{project.name}",
                    ctx,
                    budget,
                    project.name,
                    billing_account=spec.billing_account,
                    project_number=self.projects[project.name].number,
                    channels=channels,
                    parent=self,
                )
        self.outputs: dict[str, Any] = {
            "organization_id": spec.organization_id,
            "home_region": spec.home_region,
            "folders": {u: f.name for u, f in self.folders.items()},
            "projects": {
                p: {"project_id": proj.project_id, "number": proj.number} for p, proj in self.projects.items()
            },
            "guardrails": sorted(self.policies),
            "allowed_locations": guardrails.gcp_allowed_locations(ctx.spec),
            "log_archive": self.logs.outputs,
            "detection": self.detection.outputs,
        }
        self.register_outputs(self.outputs)


def provider(spec: Any, parent: pulumi.Resource) -> gcp.Provider:
    g = spec.clouds.gcp
    quota = g.by_role("security").project_id
    return gcp.Provider(
        "gcp-organization",
        region=g.home_region,
        billing_project=quota,
        user_project_override=True,
        opts=pulumi.ResourceOptions(parent=parent),
    )


def build(ctx: OrgContext, opts: pulumi.ResourceOptions) -> dict[str, Any]:
    return GcpOrganization(f"{ctx.org}-gcp", ctx, opts).outputs
