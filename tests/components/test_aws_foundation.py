"""Inventory of the AWS foundation in the example stack (`foundation-dev`), Fabric-style.

What is asserted, and why it matters:
* exact resource types and counts per region (a silent extra or missing resource fails here);
* the security settings that make the foundation worth having: key rotation and deletion window,
  flow logs of all traffic into an encrypted log group, a locked-down default security group, a
  private-only address plan, a TLS-only and fully private audit bucket, a validated multi-region trail;
* wiring: parents, per-region providers, tags, protection in dev but not in a disposable test stack;
* stability: appending a region adds resources and changes nothing that exists.

The example stack is planned once per session (`foundation_dev`); the two variants (environment
`test`, a third region) are planned once per module.
"""

from __future__ import annotations

import importlib
import inspect
import ipaddress
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from lz.components.audit.aws import bucket_policy
from lz.components.keys.aws import key_policy
from lz.components.network.aws import TGW_ASN_BASE, network_zones, tgw_asn
from lz.core import cidr, naming
from tests.helpers import Planned, example_spec, foundation_config, make_project, plan

FOUNDATION = "lz:foundation:AwsFoundation"
SPEC = example_spec()
AWS = SPEC["clouds"]["aws"]
REGIONS: list[str] = list(AWS["regions"])
HOME = REGIONS[0]
ACCOUNT = AWS["account_id"]
THIRD_REGION = "eu-north-1"

KEY = "aws:kms/key:Key"
ALIAS = "aws:kms/alias:Alias"
VPC = "aws:ec2/vpc:Vpc"
SUBNET = "aws:ec2/subnet:Subnet"
ROUTE_TABLE = "aws:ec2/routeTable:RouteTable"
RT_ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation"
DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
TGW = "aws:ec2transitgateway/transitGateway:TransitGateway"
TGW_ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment"
BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
TRAIL = "aws:cloudtrail/trail:Trail"

# The inventory: three AZs in every example region, three subnet tiers per AZ.
PER_REGION: dict[str, int] = {
    KEY: 1,
    ALIAS: 1,
    VPC: 1,
    SUBNET: 9,
    ROUTE_TABLE: 3,
    RT_ASSOCIATION: 9,
    DEFAULT_SG: 1,
    ENDPOINT: 2,
    LOG_GROUP: 1,
    ROLE: 1,
    ROLE_POLICY: 1,
    FLOW_LOG: 1,
    TGW: 1,
    TGW_ATTACHMENT: 1,
}
HOME_ONLY: dict[str, int] = {
    BUCKET: 1,
    SSE: 1,
    VERSIONING: 1,
    PUBLIC_ACCESS_BLOCK: 1,
    OWNERSHIP: 1,
    BUCKET_POLICY: 1,
    LIFECYCLE: 1,
    TRAIL: 1,
}
PROTECTED = {KEY, BUCKET, LOG_GROUP, TRAIL}
TRAIL_ARN = f"arn:aws:cloudtrail:{HOME}:{ACCOUNT}:trail/acme-dev-audit-trail"


# -- helpers -----------------------------------------------------------------------------------


def _type_chain(urn: str) -> list[str]:
    return urn.split("::")[2].split("$")


def foundation_resources(planned: Planned) -> list[dict[str, Any]]:
    """The custom resources somewhere under `lz:foundation:AwsFoundation`."""
    return [r for r in planned.resources if r["custom"] and FOUNDATION in _type_chain(r["urn"])[:-1]]


def provider_region(planned: Planned, resource: dict[str, Any]) -> str:
    provider = planned.urn_index()[resource["provider"].rpartition("::")[0]]
    assert provider["type"] == "pulumi:providers:aws", resource["urn"]
    return str(provider["inputs"]["region"])


def expected_region(resource: dict[str, Any], regions: list[str]) -> str:
    """Where a resource belongs, read from its component's name, independent of its provider."""
    parent_name = resource["parent"].rsplit("::", 1)[-1]
    matches = [r for r in regions if parent_name.endswith(f"-{r}")]
    if matches:
        return max(matches, key=len)
    assert parent_name.endswith("-audit"), resource["urn"]
    return regions[0]


def by_region(planned: Planned, type_: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in foundation_resources(planned):
        if r["type"] == type_:
            out.setdefault(provider_region(planned, r), []).append(r)
    return out


def one(planned: Planned, type_: str, region: str, suffix: str = "") -> dict[str, Any]:
    found = [r for r in by_region(planned, type_).get(region, []) if r["urn"].endswith(suffix)]
    assert len(found) == 1, f"expected one {type_} ending {suffix!r} in {region}, found {len(found)}"
    return found[0]


def aws_outputs(planned: Planned) -> dict[str, Any]:
    stack = planned.resources[0]
    assert stack["type"] == "pulumi:pulumi:Stack"
    return dict(stack["outputs"]["foundation"]["aws"])


def sdk_accepts_tags(type_: str) -> bool:
    """Whether the SDK resource behind a type token takes a `tags` argument."""
    _, module, kind = type_.split(":")
    package = importlib.import_module(f"pulumi_aws.{module.split('/')[0]}")
    cls = getattr(package, kind)
    return "tags" in inspect.signature(cls._internal_init).parameters


def _planned(tmp: Path, stack: str, spec: dict[str, Any]) -> Planned:
    project = make_project(tmp / "project", {stack: foundation_config(spec)})
    return plan(stack, project=project, out=tmp / "out")


@pytest.fixture
def dev(foundation_dev: Planned) -> Planned:
    """The example stack, planned once per session."""
    return foundation_dev


@pytest.fixture(scope="module")
def disposable(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    spec = example_spec()
    spec["environment"] = "test"
    return _planned(tmp_path_factory.mktemp("aws-test-env"), "foundation-test", spec)


@pytest.fixture(scope="module")
def three_regions(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    spec = example_spec()
    spec["clouds"]["aws"]["regions"] = [*REGIONS, THIRD_REGION]
    # Same stack name as the example, so URNs are directly comparable.
    return _planned(tmp_path_factory.mktemp("aws-three-regions"), "foundation-dev", spec)


# -- the inventory -----------------------------------------------------------------------------


def test_plan_succeeds_without_mandatory_findings_on_aws(dev: Planned) -> None:
    assert dev.exit_code in (0, 1), "the example stack could not be planned"
    mine = {r["urn"] for r in foundation_resources(dev)}
    violations = [f"{f['policy']}: {f['urn']}: {f['message']}" for f in dev.mandatory() if f["urn"] in mine]
    assert violations == []


def test_inventory_per_region(dev: Planned) -> None:
    counts: dict[str, Counter[str]] = {}
    for r in foundation_resources(dev):
        counts.setdefault(provider_region(dev, r), Counter())[r["type"]] += 1
    assert sorted(counts) == sorted(REGIONS)
    for region in REGIONS:
        expected = Counter(PER_REGION) + (Counter(HOME_ONLY) if region == HOME else Counter())
        assert counts[region] == expected, (
            f"{region}: {counts[region] - expected} extra, {expected - counts[region]} missing"
        )


def test_component_tree(dev: Planned) -> None:
    components = Counter(r["type"] for r in dev.resources if not r["custom"] and FOUNDATION in _type_chain(r["urn"]))
    assert components == Counter(
        {
            FOUNDATION: 1,
            "lz:keys:AwsRegionKey": len(REGIONS),
            "lz:network:AwsRegionNetwork": len(REGIONS),
            "lz:audit:AwsAuditTrail": 1,
        }
    )


# -- keys --------------------------------------------------------------------------------------


def test_keys_rotate_and_wait_thirty_days(dev: Planned) -> None:
    for region in REGIONS:
        key = one(dev, KEY, region)["inputs"]
        assert key["enableKeyRotation"] is True
        assert key["deletionWindowInDays"] == 30
        assert key["customerMasterKeySpec"] == "SYMMETRIC_DEFAULT"
        assert key["keyUsage"] == "ENCRYPT_DECRYPT"
        assert key["multiRegion"] is False


def test_key_policy_grants(dev: Planned) -> None:
    for region in REGIONS:
        key = one(dev, KEY, region)
        policy = json.loads(key["inputs"]["policy"])
        statements = {s["Sid"]: s for s in policy["Statement"]}
        assert statements["EnableIamPolicies"]["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
        logs = statements["AllowCloudWatchLogsOfThisAccountAndRegion"]
        assert logs["Principal"] == {"Service": f"logs.{region}.amazonaws.com"}
        assert (
            logs["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]
            == f"arn:aws:logs:{region}:{ACCOUNT}:log-group:*"
        )
        trail_sids = {"AllowCloudTrailToEncryptLogs", "AllowCloudTrailToDescribeKey"}
        if region == HOME:
            assert trail_sids <= set(statements)
            encrypt = statements["AllowCloudTrailToEncryptLogs"]
            assert encrypt["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
            assert encrypt["Action"] == "kms:GenerateDataKey*"
            assert encrypt["Condition"]["StringEquals"]["aws:SourceArn"] == [TRAIL_ARN]
            assert "kms:EncryptionContext:aws:cloudtrail:arn" in encrypt["Condition"]["StringLike"]
        else:
            assert not trail_sids & set(statements), "only the home key is the trail's"
        # No statement but the account's own grants any principal every KMS action.
        assert [s["Sid"] for s in policy["Statement"] if s["Action"] == "kms:*"] == ["EnableIamPolicies"]


def test_alias_names_the_region_key(dev: Planned) -> None:
    outputs = aws_outputs(dev)["regions"]
    for region in REGIONS:
        alias = one(dev, ALIAS, region)["inputs"]
        key = one(dev, KEY, region)
        assert alias["name"] == f"alias/acme-dev-{naming.region_code('aws', region)}"
        assert alias["targetKeyId"] == key["id"]
        assert outputs[region]["kms_alias"] == alias["name"]
        assert outputs[region]["kms_key_id"] == key["id"]
        assert outputs[region]["kms_key_arn"] == f"arn:aws:kms:{region}:{ACCOUNT}:key/{key['id']}"


# -- network -----------------------------------------------------------------------------------


def test_vpc_address_plan_is_private_and_spans_three_zones(dev: Planned) -> None:
    supernet = ipaddress.IPv4Network(AWS["cidr"])
    for i, region in enumerate(REGIONS):
        vpc = one(dev, VPC, region)["inputs"]
        block = cidr.region_block(supernet, i)
        assert vpc["cidrBlock"] == str(block)
        assert vpc["enableDnsSupport"] is True and vpc["enableDnsHostnames"] is True
        subnets = by_region(dev, SUBNET)[region]
        nets = [ipaddress.IPv4Network(s["inputs"]["cidrBlock"]) for s in subnets]
        assert all(n.subnet_of(block) for n in nets)
        assert not any(a.overlaps(b) for i_, a in enumerate(nets) for b in nets[i_ + 1 :])
        assert {s["inputs"]["availabilityZone"] for s in subnets} == {f"{region}a", f"{region}b", f"{region}c"}
        assert all(s["inputs"]["mapPublicIpOnLaunch"] is False for s in subnets)
        tiers = Counter(s["inputs"]["tags"]["tier"] for s in subnets)
        assert tiers == {"private": 3, "data": 3, "transit": 3}
        transit = [n for n, s in zip(nets, subnets, strict=True) if s["inputs"]["tags"]["tier"] == "transit"]
        assert all(n.prefixlen == 28 for n in transit)


def test_every_subnet_is_on_its_zones_route_table(dev: Planned) -> None:
    for region in REGIONS:
        tables = {t["id"]: t["urn"].rsplit("-", 1)[-1] for t in by_region(dev, ROUTE_TABLE)[region]}
        zone_of_subnet = {s["id"]: s["inputs"]["availabilityZone"][-1] for s in by_region(dev, SUBNET)[region]}
        associations = [a["inputs"] for a in by_region(dev, RT_ASSOCIATION)[region]]
        assert sorted(a["subnetId"] for a in associations) == sorted(zone_of_subnet)
        for a in associations:
            assert tables[a["routeTableId"]] == zone_of_subnet[a["subnetId"]]
        for table in by_region(dev, ROUTE_TABLE)[region]:
            assert "routes" not in table["inputs"] or table["inputs"]["routes"] == [], "no route leaves the VPC"


def test_default_security_group_has_no_rules(dev: Planned) -> None:
    for region in REGIONS:
        sg = one(dev, DEFAULT_SG, region)["inputs"]
        assert sg["ingress"] == [] and sg["egress"] == []
        assert sg["vpcId"] == one(dev, VPC, region)["id"]


def test_flow_logs_capture_all_traffic_into_an_encrypted_group(dev: Planned) -> None:
    outputs = aws_outputs(dev)["regions"]
    for region in REGIONS:
        group = one(dev, LOG_GROUP, region)
        role = one(dev, ROLE, region)
        flow = one(dev, FLOW_LOG, region)["inputs"]
        group_arn = f"arn:aws:logs:{region}:{ACCOUNT}:log-group:{group['inputs']['name']}"
        assert flow["trafficType"] == "ALL"
        assert flow["vpcId"] == one(dev, VPC, region)["id"]
        assert flow["logDestinationType"] == "cloud-watch-logs"
        assert flow["logDestination"] == group_arn
        assert flow["iamRoleArn"] == f"arn:aws:iam::{ACCOUNT}:role/{role['inputs']['name']}"
        assert group["inputs"]["retentionInDays"] == 365
        assert group["inputs"]["kmsKeyId"] == outputs[region]["kms_key_arn"]


def test_flow_log_role_is_scoped_to_its_log_group(dev: Planned) -> None:
    for region in REGIONS:
        group = one(dev, LOG_GROUP, region)
        group_arn = f"arn:aws:logs:{region}:{ACCOUNT}:log-group:{group['inputs']['name']}"
        role = one(dev, ROLE, region)["inputs"]
        trust = json.loads(role["assumeRolePolicy"])["Statement"]
        assert [s["Principal"] for s in trust] == [{"Service": "vpc-flow-logs.amazonaws.com"}]
        assert trust[0]["Condition"]["StringEquals"]["aws:SourceAccount"] == ACCOUNT
        inline = one(dev, ROLE_POLICY, region)["inputs"]
        assert inline["role"] == role["name"]
        statements = json.loads(inline["policy"])["Statement"]
        resources = {res for s in statements for res in s["Resource"]}
        actions = {a for s in statements for a in s["Action"]}
        assert resources == {group_arn, f"{group_arn}:*"}
        assert actions == {"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"}
        assert all(s["Effect"] == "Allow" for s in statements)


def test_gateway_endpoints_serve_every_route_table(dev: Planned) -> None:
    for region in REGIONS:
        tables = sorted(t["id"] for t in by_region(dev, ROUTE_TABLE)[region])
        endpoints = {e["inputs"]["serviceName"]: e["inputs"] for e in by_region(dev, ENDPOINT)[region]}
        assert set(endpoints) == {f"com.amazonaws.{region}.s3", f"com.amazonaws.{region}.dynamodb"}
        for endpoint in endpoints.values():
            assert endpoint["vpcEndpointType"] == "Gateway"
            assert sorted(endpoint["routeTableIds"]) == tables


def test_transit_gateway_per_region(dev: Planned) -> None:
    outputs = aws_outputs(dev)["regions"]
    asns = set()
    for i, region in enumerate(REGIONS):
        tgw = one(dev, TGW, region)
        inputs = tgw["inputs"]
        assert inputs["amazonSideAsn"] == TGW_ASN_BASE + i == outputs[region]["transit_gateway_asn"]
        assert inputs["autoAcceptSharedAttachments"] == "disable"
        assert inputs["defaultRouteTableAssociation"] == "enable"
        assert inputs["defaultRouteTablePropagation"] == "enable"
        assert inputs["dnsSupport"] == "enable"
        asns.add(inputs["amazonSideAsn"])
        attachment = one(dev, TGW_ATTACHMENT, region)["inputs"]
        transit = sorted(s["id"] for s in by_region(dev, SUBNET)[region] if s["inputs"]["tags"]["tier"] == "transit")
        assert sorted(attachment["subnetIds"]) == transit == sorted(outputs[region]["transit_subnet_ids"])
        assert attachment["transitGatewayId"] == tgw["id"] == outputs[region]["transit_gateway_id"]
        assert attachment["vpcId"] == one(dev, VPC, region)["id"]
    assert len(asns) == len(REGIONS)


# -- audit -------------------------------------------------------------------------------------


def test_audit_bucket_is_private_encrypted_and_versioned(dev: Planned) -> None:
    bucket = one(dev, BUCKET, HOME)
    name = bucket["inputs"]["bucket"]
    assert name == f"acme-dev-audit-{ACCOUNT}-{naming.region_code('aws', HOME)}"
    assert bucket["inputs"]["forceDestroy"] is False
    home_key_arn = aws_outputs(dev)["regions"][HOME]["kms_key_arn"]

    (rule,) = one(dev, SSE, HOME)["inputs"]["rules"]
    assert rule["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": home_key_arn}
    assert rule["bucketKeyEnabled"] is True
    assert one(dev, VERSIONING, HOME)["inputs"]["versioningConfiguration"]["status"] == "Enabled"
    block = one(dev, PUBLIC_ACCESS_BLOCK, HOME)["inputs"]
    for flag in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"):
        assert block[flag] is True, flag
    assert one(dev, OWNERSHIP, HOME)["inputs"]["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    (lifecycle,) = one(dev, LIFECYCLE, HOME)["inputs"]["rules"]
    assert lifecycle["status"] == "Enabled"
    assert lifecycle["filter"] == {"prefix": ""}, "the rule covers the whole bucket"
    assert lifecycle["abortIncompleteMultipartUpload"]["daysAfterInitiation"] == 7
    assert lifecycle["noncurrentVersionExpiration"]["noncurrentDays"] == 365
    assert [t["storageClass"] for t in lifecycle["noncurrentVersionTransitions"]] == ["STANDARD_IA", "GLACIER"]
    for resource in (SSE, VERSIONING, PUBLIC_ACCESS_BLOCK, OWNERSHIP, LIFECYCLE, BUCKET_POLICY):
        assert one(dev, resource, HOME)["inputs"]["bucket"] == name, resource


def test_audit_bucket_policy(dev: Planned) -> None:
    name = one(dev, BUCKET, HOME)["inputs"]["bucket"]
    policy = json.loads(one(dev, BUCKET_POLICY, HOME)["inputs"]["policy"])
    deny = {s["Sid"]: s for s in policy["Statement"] if s["Effect"] == "Deny"}
    assert set(deny) == {"DenyInsecureTransport", "DenyWritesExceptCloudTrail", "DenyAuditDeletion"}
    tls = deny["DenyInsecureTransport"]
    assert tls["Principal"] == "*" and tls["Action"] == "s3:*"
    assert tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert set(tls["Resource"]) == {f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"}
    # audit logs are not separated from workloads by names alone: only CloudTrail and (the example's
    # egress is `firewall`) the log delivery service write, nobody deletes
    writes = deny["DenyWritesExceptCloudTrail"]
    assert "s3:PutObject" in writes["Action"] and writes["Principal"] == "*"
    assert writes["Condition"] == {
        "StringNotEquals": {"aws:PrincipalServiceName": ["cloudtrail.amazonaws.com", "delivery.logs.amazonaws.com"]}
    }
    assert {"s3:DeleteObject", "s3:DeleteObjectVersion"} <= set(deny["DenyAuditDeletion"]["Action"])
    allows = [s for s in policy["Statement"] if s["Effect"] == "Allow"]
    trail = [s for s in allows if s["Principal"] == {"Service": "cloudtrail.amazonaws.com"}]
    assert {s["Action"] for s in trail} == {"s3:GetBucketAcl", "s3:PutObject"}
    for statement in trail:
        assert statement["Condition"]["StringEquals"]["aws:SourceArn"] == TRAIL_ARN
    delivery = [s for s in allows if s not in trail]
    assert [s["Principal"] for s in delivery] == [{"Service": "delivery.logs.amazonaws.com"}] * 2
    for statement in delivery:  # this account's log deliveries only
        assert statement["Condition"]["StringEquals"]["aws:SourceAccount"] == ACCOUNT
        assert statement["Condition"]["ArnLike"]["aws:SourceArn"] == f"arn:aws:logs:*:{ACCOUNT}:*"
    [write] = [s for s in delivery if s["Action"] == "s3:PutObject"]
    assert write["Resource"] == f"arn:aws:s3:::{name}/network-firewall/AWSLogs/{ACCOUNT}/*"
    assert write["Condition"]["StringEquals"]["s3:x-amz-acl"] == "bucket-owner-full-control"


def test_without_firewall_logs_only_cloudtrail_writes_the_audit_bucket() -> None:
    from lz.components.audit.aws import policy_statements  # noqa: PLC0415
    from lz.components.keys.aws import key_policy  # noqa: PLC0415

    arn = "arn:aws:s3:::b"
    plain = policy_statements(bucket_arn=arn, account_id=ACCOUNT, trail=TRAIL_ARN)
    [writes] = [s for s in plain if s["Sid"] == "DenyWritesExceptCloudTrail"]
    assert writes["Condition"] == {"StringNotEquals": {"aws:PrincipalServiceName": "cloudtrail.amazonaws.com"}}
    assert all(s["Principal"] == {"Service": "cloudtrail.amazonaws.com"} for s in plain if s["Effect"] == "Allow")
    keyed = key_policy(account_id=ACCOUNT, region=HOME, firewall_logs=True)["Statement"]
    [delivery] = [s for s in keyed if s["Principal"] == {"Service": "delivery.logs.amazonaws.com"}]
    assert delivery["Condition"]["StringEquals"] == {"aws:SourceAccount": ACCOUNT}
    assert not [s for s in key_policy(account_id=ACCOUNT, region=HOME)["Statement"] if "delivery.logs" in json.dumps(s)]


def test_trail_is_multi_region_validated_and_encrypted(dev: Planned) -> None:
    trail = one(dev, TRAIL, HOME)
    inputs = trail["inputs"]
    assert inputs["isMultiRegionTrail"] is True
    assert inputs["includeGlobalServiceEvents"] is True
    assert inputs["enableLogFileValidation"] is True
    assert inputs["enableLogging"] is True
    assert inputs["kmsKeyId"] == aws_outputs(dev)["regions"][HOME]["kms_key_arn"]
    assert inputs["s3BucketName"] == one(dev, BUCKET, HOME)["inputs"]["bucket"]
    assert one(dev, BUCKET_POLICY, HOME)["urn"] in trail["dependencies"]
    assert f"arn:aws:cloudtrail:{HOME}:{ACCOUNT}:trail/{inputs['name']}" == TRAIL_ARN
    assert aws_outputs(dev)["audit"] == {"bucket": one(dev, BUCKET, HOME)["inputs"]["bucket"], "trail_arn": TRAIL_ARN}


# -- wiring ------------------------------------------------------------------------------------


def test_every_aws_resource_hangs_under_an_lz_component(dev: Planned) -> None:
    index = dev.urn_index()
    aws_resources = [r for r in dev.resources if r["custom"] and r["type"].startswith("aws:")]
    assert aws_resources
    for r in aws_resources:
        parent = index[r["parent"]]
        assert not parent["custom"] and parent["type"].startswith("lz:"), r["urn"]


def test_every_aws_resource_uses_its_regions_provider(dev: Planned) -> None:
    for r in dev.resources:
        if r["custom"] and r["type"].startswith("aws:"):
            assert provider_region(dev, r) in REGIONS, r["urn"]
    for r in foundation_resources(dev):
        assert provider_region(dev, r) == expected_region(r, REGIONS), r["urn"]


def test_tags_on_everything_that_takes_them(dev: Planned) -> None:
    required = dict(SPEC["tags"], environment="dev", **{"managed-by": "pulumi"})
    taggable = {t for t in {r["type"] for r in foundation_resources(dev)} if sdk_accepts_tags(t)}
    assert {KEY, VPC, SUBNET, FLOW_LOG, LOG_GROUP, TGW, BUCKET, TRAIL} <= taggable
    assert ALIAS not in taggable and SSE not in taggable
    for r in foundation_resources(dev):
        if r["type"] in taggable:
            tags = r["inputs"].get("tags") or {}
            assert required.items() <= tags.items(), r["urn"]


def test_data_resources_are_protected_in_dev(dev: Planned) -> None:
    for r in foundation_resources(dev):
        assert r["protect"] is (r["type"] in PROTECTED), r["urn"]
    assert Counter(r["type"] for r in foundation_resources(dev) if r["protect"]) == Counter(
        {KEY: len(REGIONS), LOG_GROUP: len(REGIONS), BUCKET: 1, TRAIL: 1}
    )


def test_nothing_is_protected_in_a_test_environment(disposable: Planned) -> None:
    resources = foundation_resources(disposable)
    assert {r["type"] for r in resources} >= PROTECTED
    assert [r["urn"] for r in resources if r["protect"]] == []
    assert one(disposable, BUCKET, HOME)["inputs"]["forceDestroy"] is True


def test_outputs_for_waves(dev: Planned) -> None:
    outputs = aws_outputs(dev)
    assert outputs["account_id"] == ACCOUNT
    assert sorted(outputs["regions"]) == sorted(REGIONS)
    for region, values in outputs["regions"].items():
        assert values["vpc_id"] == one(dev, VPC, region)["id"] and values["vpc_id"].startswith("vpc-")
        assert values["vpc_cidr"] == one(dev, VPC, region)["inputs"]["cidrBlock"]
        for tier in ("private", "data"):
            ids = values[f"{tier}_subnet_ids"]
            assert len(ids) == 3 and all(i.startswith("subnet-") for i in ids)
            assert sorted(ids) == sorted(
                s["id"] for s in by_region(dev, SUBNET)[region] if s["inputs"]["tags"]["tier"] == tier
            )
        assert values["transit_gateway_id"].startswith("tgw-")
        assert values["kms_key_arn"].startswith(f"arn:aws:kms:{region}:{ACCOUNT}:key/")
        assert all(v is not None for v in values.values()), region


def test_a_third_region_changes_nothing_that_exists(dev: Planned, three_regions: Planned) -> None:
    before = {r["urn"]: r for r in foundation_resources(dev)}
    after = {r["urn"]: r for r in foundation_resources(three_regions)}
    assert set(before) <= set(after), sorted(set(before) - set(after))[:5]
    for urn, resource in before.items():
        assert after[urn]["inputs"] == resource["inputs"], urn
        assert after[urn]["provider"] == resource["provider"], urn
        assert after[urn]["protect"] == resource["protect"], urn
    added = Counter(r["type"] for urn, r in after.items() if urn not in before)
    assert added == Counter(PER_REGION)
    assert one(three_regions, VPC, THIRD_REGION)["inputs"]["cidrBlock"] == str(
        cidr.region_block(ipaddress.IPv4Network(AWS["cidr"]), len(REGIONS))
    )
    assert one(three_regions, TGW, THIRD_REGION)["inputs"]["amazonSideAsn"] == TGW_ASN_BASE + len(REGIONS)


# -- the pure parts ----------------------------------------------------------------------------


def test_tgw_asn_is_private_and_positional() -> None:
    assert [tgw_asn(i) for i in range(3)] == [64512, 64513, 64514]
    assert tgw_asn(15) <= 65534
    with pytest.raises(ValueError, match="region index"):
        tgw_asn(-1)


def test_network_needs_two_catalogued_zones() -> None:
    assert network_zones("eu-west-1") == ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    with pytest.raises(ValueError, match="at least 2"):
        network_zones("nowhere-1")


def test_key_policy_without_a_trail_has_no_cloudtrail_grant() -> None:
    policy = key_policy(account_id=ACCOUNT, region="eu-central-1")
    principals = [s["Principal"] for s in policy["Statement"]]
    assert {"Service": "cloudtrail.amazonaws.com"} not in principals
    assert {"Service": "logs.eu-central-1.amazonaws.com"} in principals


def test_bucket_policy_lets_cloudtrail_write_only_its_accounts_prefix() -> None:
    policy = bucket_policy(bucket_arn="arn:aws:s3:::b", account_id=ACCOUNT, trail=TRAIL_ARN)
    (write,) = [s for s in policy["Statement"] if s.get("Action") == "s3:PutObject"]
    assert write["Resource"] == f"arn:aws:s3:::b/AWSLogs/{ACCOUNT}/*"
    # a disposable (test) stack must stay destroyable: no deletion deny there
    test_policy = bucket_policy(bucket_arn="arn:aws:s3:::b", account_id=ACCOUNT, trail=TRAIL_ARN, protect=False)
    assert "DenyAuditDeletion" not in {s["Sid"] for s in test_policy["Statement"]}
    assert "DenyWritesExceptCloudTrail" in {s["Sid"] for s in test_policy["Statement"]}
    assert write["Condition"]["StringEquals"]["s3:x-amz-acl"] == "bucket-owner-full-control"
