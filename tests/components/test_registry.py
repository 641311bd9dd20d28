"""Inventory of `registries.mirror`: the collector image through a cache registry per cloud and region.

The example foundation mirrors (Docker Hub, with a credential for ECR). Asserted per cloud: the cache
resources and their settings (encryption, tag immutability, private access), the order a first
`pulumi up` needs (credential and template before the rule; API, service agent and key grant before
the repository), the pullers' permissions, and that every workload's image is the region's cached
copy. A variant without `mirror` keeps the upstream image and creates none of it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from lz.core import registries
from tests.helpers import Planned, example_spec, foundation_config, make_project, plan

SPEC = example_spec()
ACCOUNT = SPEC["clouds"]["aws"]["account_id"]
PROJECT = SPEC["clouds"]["gcp"]["project"]
IMAGE = "otel/opentelemetry-collector-contrib:0.120.0"


def _name(r: dict[str, Any]) -> str:
    return str(r["urn"].rsplit("::", 1)[-1])


def _deps(p: Planned, r: dict[str, Any]) -> set[str]:
    index = p.urn_index()
    return {_name(index[u]) for u in r["dependencies"] if u in index}


def test_aws_pull_through_cache_per_region(foundation_dev: Planned) -> None:
    p = foundation_dev
    rules = p.by_type("aws:ecr/pullThroughCacheRule:PullThroughCacheRule")
    assert len(rules) == len(SPEC["clouds"]["aws"]["regions"])
    for rule in rules:
        assert rule["inputs"]["ecrRepositoryPrefix"] == "docker-hub"
        assert rule["inputs"]["upstreamRegistryUrl"] == "registry-1.docker.io"
        deps = _deps(p, rule)
        assert any(d.endswith("-docker-hub-template") for d in deps)
        assert any(d.endswith("-credential-value") for d in deps) and any(d.endswith("-credential-grant") for d in deps)
    for secret in p.by_type("aws:secretsmanager/secret:Secret"):
        if "credential" not in _name(secret):
            continue
        assert secret["inputs"]["name"].startswith("ecr-pullthroughcache/")
        assert secret["inputs"]["kmsKeyId"]
    versions = [v for v in p.by_type("aws:secretsmanager/secretVersion:SecretVersion") if "credential" in _name(v)]
    assert versions and all(v["inputs"]["secretString"] == "[secret]" for v in versions)
    for template in p.by_type("aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate"):
        assert template["inputs"]["appliedFors"] == ["PULL_THROUGH_CACHE"]
        assert template["inputs"]["imageTagMutability"] == "IMMUTABLE"
        [enc] = template["inputs"]["encryptionConfigurations"]
        assert enc["encryptionType"] == "KMS" and enc["kmsKey"]
        assert template["inputs"]["customRoleArn"]
    for grant in p.by_type("aws:kms/grant:Grant"):
        if "credential-grant" in _name(grant):
            assert grant["inputs"]["operations"] == ["Decrypt"]
            assert "AWSServiceRoleForECRPullThroughCache" in grant["inputs"]["granteePrincipal"]
    scanning = p.by_type("aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration")
    assert len(scanning) == len(rules)
    assert scanning[0]["inputs"]["rules"][0]["scanFrequency"] == "SCAN_ON_PUSH"


def test_aws_workloads_pull_from_the_cache(foundation_dev: Planned) -> None:
    p = foundation_dev
    for task in p.by_type("aws:ecs/taskDefinition:TaskDefinition"):
        [container] = json.loads(task["inputs"]["containerDefinitions"])
        region = container["logConfiguration"]["options"]["awslogs-region"]
        assert container["image"] == f"{ACCOUNT}.dkr.ecr.{region}.amazonaws.com/docker-hub/{IMAGE}"
        assert any(d.endswith("-docker-hub") for d in _deps(p, task))
    policies = [r for r in p.by_type("aws:iam/rolePolicy:RolePolicy") if _name(r).endswith("-execution-policy")]
    for policy in policies:
        statements = json.loads(policy["inputs"]["policy"])["Statement"]
        first = [s for s in statements if s.get("Sid") == "PullThroughCacheFirstPull"]
        assert first and {"ecr:BatchImportUpstreamImage", "ecr:CreateRepository"} <= set(first[0]["Action"])
        assert all(arn.endswith(":repository/docker-hub/*") for arn in first[0]["Resource"])
    [node] = [r for r in p.by_type("aws:iam/rolePolicy:RolePolicy") if _name(r).endswith("-node-pull-through-cache")]
    actions = json.loads(node["inputs"]["policy"])["Statement"][0]["Action"]
    assert actions == ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"]


def test_gcp_remote_repositories_per_region(foundation_dev: Planned) -> None:
    p = foundation_dev
    repos = p.by_type("gcp:artifactregistry/repository:Repository")
    assert sorted(r["inputs"]["location"] for r in repos) == sorted(SPEC["clouds"]["gcp"]["regions"])
    [agent] = [r for r in p.by_type("gcp:projects/serviceIdentity:ServiceIdentity") if "registry" in _name(r)]
    assert agent["inputs"]["service"] == "artifactregistry.googleapis.com"
    assert any(d.endswith("-registry-api") for d in _deps(p, agent))
    for repo in repos:
        assert repo["inputs"]["mode"] == "REMOTE_REPOSITORY" and repo["inputs"]["format"] == "DOCKER"
        assert repo["inputs"]["remoteRepositoryConfig"]["dockerRepository"]["publicRepository"] == "DOCKER_HUB"
        assert repo["inputs"]["kmsKeyName"]
        assert any(d.endswith("-agent-key") for d in _deps(p, repo))
    for service in p.by_type("gcp:cloudrunv2/service:Service"):
        region = service["inputs"]["location"]
        image = service["inputs"]["template"]["containers"][0]["image"]
        assert image == f"{region}-docker.pkg.dev/{PROJECT}/acme-dev-docker-hub/{IMAGE}"
        assert any("reads-docker-hub" in d for d in _deps(p, service))
    readers = {_name(r) for r in p.by_type("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember")}
    assert any("-run-agent-reads-" in n for n in readers) and any("-gateway-reads-" in n for n in readers)
    assert any("-gpu-" in n and "-nodes-reads-" in n for n in readers)


def test_azure_private_registry_per_region(foundation_dev: Planned) -> None:
    p = foundation_dev
    acrs = p.by_type("azure-native:containerregistry:Registry")
    assert sorted(r["inputs"]["location"] for r in acrs) == sorted(SPEC["clouds"]["azure"]["regions"])
    for acr in acrs:
        i = acr["inputs"]
        assert i["sku"]["name"] == "Premium" and i["publicNetworkAccess"] == "Disabled"
        assert i["adminUserEnabled"] is False and i["anonymousPullEnabled"] is False
        assert acr["protect"] is True  # data-bearing outside `environment: test`
    rules = p.by_type("azure-native:containerregistry:CacheRule")
    assert len(rules) == len(acrs)
    assert {r["inputs"]["sourceRepository"] for r in rules} == {f"docker.io/{IMAGE.split(':')[0]}"}
    endpoints = [e for e in p.by_type("azure-native:network:PrivateEndpoint") if "lz:registry:" in e["urn"]]
    assert len(endpoints) == len(acrs)
    assert all(e["inputs"]["privateLinkServiceConnections"][0]["groupIds"] == ["registry"] for e in endpoints)
    [zone] = [
        z
        for z in p.by_type("azure-native:privatedns:PrivateZone")
        if z["inputs"]["privateZoneName"] == "privatelink.azurecr.io"
    ]
    links = [
        link for link in p.by_type("azure-native:privatedns:VirtualNetworkLink") if _name(link).startswith(_name(zone))
    ]
    assert len(links) == len(SPEC["clouds"]["azure"]["regions"])
    for app in p.by_type("azure-native:app:ContainerApp"):
        region = app["inputs"]["location"]
        name = registries.azure_registry_name("acme", "dev", {"westeurope": "weu", "northeurope": "neu"}[region])
        assert app["inputs"]["template"]["containers"][0]["image"] == f"{name}.azurecr.io/docker-hub/{IMAGE}"
        [creds] = app["inputs"]["configuration"]["registries"]
        assert creds["server"] == f"{name}.azurecr.io" and creds["identity"].endswith("-otel-gateway")
        assert any(d.endswith("-acr-pull") for d in _deps(p, app))
    pulls = [r for r in p.by_type("azure-native:authorization:RoleAssignment") if _name(r).endswith("-acr-pull")]
    assert any("-kubelet-" in _name(r) for r in pulls)
    assert all(r["inputs"]["roleDefinitionId"].endswith("/7f951dda-4ed3-4680-a7ca-43fe172d538d") for r in pulls)


def test_the_report_names_each_registry_per_region(foundation_dev: Planned) -> None:
    rows = [line for line in foundation_dev.report.splitlines() if line.startswith("| ")]
    for cloud, regions, text in (
        ("aws", SPEC["clouds"]["aws"]["regions"], "ECR cache docker-hub/ <- registry-1.docker.io"),
        ("gcp", SPEC["clouds"]["gcp"]["regions"], "Artifact Registry remote acme-dev-docker-hub"),
        ("azure", SPEC["clouds"]["azure"]["regions"], "registry: acracmedev"),
    ):
        for region in regions:
            assert any(row.startswith(f"| {cloud} | {region} |") and text in row for row in rows), (cloud, region)


@pytest.fixture(scope="module")
def unmirrored(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    tmp = tmp_path_factory.mktemp("registry-off")
    spec = example_spec()
    spec["registries"] = {"mirror": False}
    spec["egress"]["allow"] += ["registry-1.docker.io", "auth.docker.io", "production.cloudflare.docker.com"]
    project = make_project(tmp / "project", {"foundation-dev": foundation_config(spec)})
    return plan("foundation-dev", project=project, out=tmp / "out")


def test_without_mirror_images_come_from_upstream_and_no_cache_is_made(unmirrored: Planned) -> None:
    p = unmirrored
    assert p.exit_code == 0, p.mandatory()
    for t in (
        "aws:ecr/pullThroughCacheRule:PullThroughCacheRule",
        "gcp:artifactregistry/repository:Repository",
        "azure-native:containerregistry:Registry",
    ):
        assert not p.by_type(t), t
    for task in p.by_type("aws:ecs/taskDefinition:TaskDefinition"):
        assert json.loads(task["inputs"]["containerDefinitions"])[0]["image"] == IMAGE
    for app in p.by_type("azure-native:app:ContainerApp"):
        assert app["inputs"]["template"]["containers"][0]["image"] == IMAGE
        assert not app["inputs"]["configuration"].get("registries")


def _aws_only(tmp: Path, config_edit: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from lz.cli.app import main

    spec = example_spec()
    spec["clouds"] = {"aws": spec["clouds"]["aws"]}
    spec["gpu_pools"] = []
    spec["interconnect"] = {"topology": "none"}
    spec["telemetry"]["native"] = []
    config = {**foundation_config(spec), **config_edit}
    config = {k: v for k, v in config.items() if v is not None}
    project = make_project(tmp / "p", {"t": config})
    old = os.getcwd()
    os.chdir(project)
    try:
        code = main(["plan", "--stack", "t", "--out", str(project / "out"), "--no-checkov"])
    finally:
        os.chdir(old)
    return code, capsys.readouterr().err


def test_a_missing_registry_credential_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _aws_only(tmp_path, {"landing-zone:dockerHubCredential": None}, capsys)
    assert code == 2 and "Traceback" not in err
    assert "config key 'landing-zone:dockerHubCredential' (named by registries.credentials.docker.io) is not set" in err


def test_a_registry_credential_in_plain_text_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    token = '{"username": "acme", "accessToken": "dckr_pat_plain"}'
    code, err = _aws_only(tmp_path, {"landing-zone:dockerHubCredential": token}, capsys)
    assert code == 2 and "plain text" in err and "dckr_pat_plain" not in err


def test_an_upstream_without_credentials_needs_no_secret(tmp_path: Path) -> None:
    """ECR Public: a pull-through rule without a credential, and no secret or KMS grant for one."""
    spec = example_spec()
    spec["clouds"] = {"aws": spec["clouds"]["aws"]}
    spec["gpu_pools"] = []
    spec["interconnect"] = {"topology": "none"}
    spec["telemetry"]["native"] = []
    spec["telemetry"]["image"] = "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.1"
    spec["registries"] = {"mirror": True}
    project = make_project(tmp_path / "p", {"t": foundation_config(spec)})
    p = plan("t", project=project, out=tmp_path / "out")
    assert p.exit_code == 0, p.mandatory()
    rules = p.by_type("aws:ecr/pullThroughCacheRule:PullThroughCacheRule")
    assert {r["inputs"]["ecrRepositoryPrefix"] for r in rules} == {"ecr-public"}
    assert all("credentialArn" not in r["inputs"] for r in rules)
    assert not [s for s in p.by_type("aws:secretsmanager/secret:Secret") if "credential" in _name(s)]
    assert not p.by_type("aws:iam/serviceLinkedRole:ServiceLinkedRole")
    for task in p.by_type("aws:ecs/taskDefinition:TaskDefinition"):
        [container] = json.loads(task["inputs"]["containerDefinitions"])
        assert container["image"].endswith(".amazonaws.com/ecr-public/aws-observability/aws-otel-collector:v0.43.1")
