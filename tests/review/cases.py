"""Known-bad and known-good resources, one pair per checkov check the bridges must feed.

Each `Case` names a checkov check, the Pulumi type tokens whose translation it proves, and two
small graphs: in `bad` the check must fail on the first resource, in `good` it must pass there.
Resources are written as `pulumi stack export` would hold them (camelCase inputs, ids, property
dependencies); `ref(...)` puts another resource's id/ARN/self link into an input and records the
dependency, as the Pulumi engine does. All cases go through checkov in one run (see conftest).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from lz.core.graph import Resource

STACK = "review"
PROJECT = "landing-zone"
ACCOUNT = "111111111111"
AWS_REGION = "eu-west-1"
GCP_PROJECT = "acme-review"
RG = "rg-review"
SUB = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True)
class Ref:
    target: Resource
    value: str


@dataclass
class Case:
    check: str
    framework: str  # "terraform_plan" | "arm"
    proves: tuple[str, ...]
    bad: list[Resource]
    good: list[Resource]


_IDENTITIES: dict[str, dict[str, str]] = {}


def res(token: str, name: str, inputs: dict[str, Any], *, rid: str, **identity: str) -> Resource:
    """A custom resource; `identity` holds what refs to it resolve to (arn=..., self_link=...)."""
    deps: dict[str, list[str]] = {}

    def resolve(value: Any, top: str) -> Any:
        if isinstance(value, Ref):
            deps.setdefault(top, [])
            if value.target.urn not in deps[top]:
                deps[top].append(value.target.urn)
            return value.value
        if isinstance(value, dict):
            return {k: resolve(v, top) for k, v in value.items()}
        if isinstance(value, list):
            return [resolve(v, top) for v in value]
        return value

    resolved = {k: resolve(v, k) for k, v in inputs.items()}
    urn = f"urn:pulumi:{STACK}::{PROJECT}::{token}::{name}"
    r = Resource(
        urn=urn,
        type=token,
        custom=True,
        inputs=resolved,
        property_dependencies=deps,
        dependencies=sorted({u for us in deps.values() for u in us}),
        id=rid,
    )
    _IDENTITIES[urn] = {"id": rid, **identity}
    return r


def ref(target: Resource, attr: str = "id") -> Ref:
    return Ref(target, _IDENTITIES[target.urn][attr])


TAGS = {
    "owner": "platform-team",
    "cost-center": "4711",
    "data-classification": "confidential",
    "environment": "test",
    "managed-by": "pulumi",
}


# --- AWS ---------------------------------------------------------------------------------------


def kms_key(name: str, rotation: bool = True) -> Resource:
    kid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"review/{name}"))
    return res(
        "aws:kms/key:Key",
        name,
        {"description": f"{name} key", "enableKeyRotation": rotation, "deletionWindowInDays": 30, "tags": TAGS},
        rid=kid,
        arn=f"arn:aws:kms:{AWS_REGION}:{ACCOUNT}:key/{kid}",
    )


def bucket(name: str) -> Resource:
    physical = f"acme-review-{name}"
    return res(
        "aws:s3/bucket:Bucket", name, {"bucket": physical, "tags": TAGS}, rid=physical, arn=f"arn:aws:s3:::{physical}"
    )


def vpc(name: str) -> Resource:
    vid = "vpc-" + name.encode().hex()[:17].ljust(17, "0")
    return res(
        "aws:ec2/vpc:Vpc",
        name,
        {"cidrBlock": "10.16.0.0/16", "enableDnsHostnames": True, "enableDnsSupport": True, "tags": TAGS},
        rid=vid,
    )


def _policy(statements: list[dict[str, Any]]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def aws_cases() -> list[Case]:
    cases: list[Case] = []
    bad_key, good_key = kms_key("k7-bad", rotation=False), kms_key("k7-good")
    cases.append(Case("CKV_AWS_7", "terraform_plan", ("aws:kms/key:Key",), [bad_key], [good_key]))

    key = kms_key("logs-key")
    lg_bad = res(
        "aws:cloudwatch/logGroup:LogGroup",
        "lg-bad",
        {"name": "/review/bad", "retentionInDays": 30, "tags": TAGS},
        rid="/review/bad",
    )
    lg_good = res(
        "aws:cloudwatch/logGroup:LogGroup",
        "lg-good",
        {"name": "/review/good", "retentionInDays": 365, "kmsKeyId": ref(key, "arn"), "tags": TAGS},
        rid="/review/good",
    )
    cases.append(Case("CKV_AWS_158", "terraform_plan", ("aws:cloudwatch/logGroup:LogGroup",), [lg_bad], [lg_good, key]))
    cases.append(Case("CKV_AWS_338", "terraform_plan", ("aws:cloudwatch/logGroup:LogGroup",), [lg_bad], [lg_good, key]))

    # S3: the bucket is judged with the resources that point at it (SSE, public access block, versioning).
    s3_key = kms_key("s3-key")
    b_bad, b_good = bucket("b145-bad"), bucket("b145-good")
    sse_bad = res(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "b145-bad-sse",
        {"bucket": ref(b_bad), "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]},
        rid=b_bad.id,
    )
    sse_good = res(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "b145-good-sse",
        {
            "bucket": ref(b_good),
            "rules": [
                {
                    "applyServerSideEncryptionByDefault": {
                        "sseAlgorithm": "aws:kms",
                        "kmsMasterKeyId": ref(s3_key, "arn"),
                    },
                    "bucketKeyEnabled": True,
                }
            ],
        },
        rid=b_good.id,
    )
    cases.append(
        Case(
            "CKV_AWS_145",
            "terraform_plan",
            (
                "aws:s3/bucket:Bucket",
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            ),
            [b_bad, sse_bad],
            [b_good, sse_good, s3_key],
        )
    )

    b6_bad, b6_good = bucket("b6-bad"), bucket("b6-good")
    pab_good = res(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "b6-good-pab",
        {
            "bucket": ref(b6_good),
            "blockPublicAcls": True,
            "blockPublicPolicy": True,
            "ignorePublicAcls": True,
            "restrictPublicBuckets": True,
        },
        rid=b6_good.id,
    )
    cases.append(
        Case(
            "CKV2_AWS_6",
            "terraform_plan",
            ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",),
            [b6_bad],
            [b6_good, pab_good],
        )
    )
    b53 = bucket("b53")
    pab_bad = res(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "b53-bad-pab",
        {
            "bucket": ref(b53),
            "blockPublicAcls": False,
            "blockPublicPolicy": True,
            "ignorePublicAcls": True,
            "restrictPublicBuckets": True,
        },
        rid=b53.id,
    )
    cases.append(
        Case(
            "CKV_AWS_53",
            "terraform_plan",
            ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",),
            [pab_bad, b53],
            [pab_good, b6_good],
        )
    )

    b21_bad, b21_good = bucket("b21-bad"), bucket("b21-good")
    ver_bad = res(
        "aws:s3/bucketVersioning:BucketVersioning",
        "b21-bad-ver",
        {"bucket": ref(b21_bad), "versioningConfiguration": {"status": "Suspended"}},
        rid=b21_bad.id,
    )
    ver_good = res(
        "aws:s3/bucketVersioning:BucketVersioning",
        "b21-good-ver",
        {"bucket": ref(b21_good), "versioningConfiguration": {"status": "Enabled"}},
        rid=b21_good.id,
    )
    cases.append(
        Case(
            "CKV_AWS_21",
            "terraform_plan",
            ("aws:s3/bucketVersioning:BucketVersioning",),
            [b21_bad, ver_bad],
            [b21_good, ver_good],
        )
    )

    b300 = bucket("b300")
    lc_bad = res(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "b300-bad-lc",
        {
            "bucket": ref(b300),
            "rules": [{"id": "expire", "status": "Enabled", "filter": {}, "expiration": {"days": 365}}],
        },
        rid=b300.id,
    )
    lc_good = res(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "b300-good-lc",
        {
            "bucket": ref(b300),
            "rules": [
                {
                    "id": "abort",
                    "status": "Enabled",
                    "filter": {},
                    "abortIncompleteMultipartUpload": {"daysAfterInitiation": 7},
                }
            ],
        },
        rid=b300.id + "-2",
    )
    cases.append(
        Case(
            "CKV_AWS_300",
            "terraform_plan",
            ("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",),
            [lc_bad, b300],
            [lc_good, b300],
        )
    )

    b65 = bucket("b65")
    own_bad = res(
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "b65-bad-own",
        {"bucket": ref(b65), "rule": {"objectOwnership": "ObjectWriter"}},
        rid=b65.id,
    )
    own_good = res(
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "b65-good-own",
        {"bucket": ref(b65), "rule": {"objectOwnership": "BucketOwnerEnforced"}},
        rid=b65.id + "-2",
    )
    cases.append(
        Case(
            "CKV2_AWS_65",
            "terraform_plan",
            ("aws:s3/bucketOwnershipControls:BucketOwnershipControls",),
            [own_bad, b65],
            [own_good, b65],
        )
    )

    b70 = bucket("b70")
    pol_bad = res(
        "aws:s3/bucketPolicy:BucketPolicy",
        "b70-bad-pol",
        {
            "bucket": ref(b70),
            "policy": _policy(
                [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{b70.id}/*",
                    }
                ]
            ),
        },
        rid=b70.id,
    )
    pol_good = res(
        "aws:s3/bucketPolicy:BucketPolicy",
        "b70-good-pol",
        {
            "bucket": ref(b70),
            "policy": _policy(
                [
                    {
                        "Sid": "DenyInsecureTransport",
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:*",
                        "Resource": [f"arn:aws:s3:::{b70.id}", f"arn:aws:s3:::{b70.id}/*"],
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    }
                ]
            ),
        },
        rid=b70.id + "-2",
    )
    cases.append(
        Case("CKV_AWS_70", "terraform_plan", ("aws:s3/bucketPolicy:BucketPolicy",), [pol_bad, b70], [pol_good, b70])
    )

    ebs_key = kms_key("ebs-key")
    vol_bad = res(
        "aws:ebs/volume:Volume",
        "vol-bad",
        {"availabilityZone": "eu-west-1a", "size": 10, "encrypted": False, "tags": TAGS},
        rid="vol-0bad",
    )
    vol_good = res(
        "aws:ebs/volume:Volume",
        "vol-good",
        {
            "availabilityZone": "eu-west-1a",
            "size": 10,
            "encrypted": True,
            "kmsKeyId": ref(ebs_key, "arn"),
            "tags": TAGS,
        },
        rid="vol-0good",
    )
    cases.append(Case("CKV_AWS_3", "terraform_plan", ("aws:ebs/volume:Volume",), [vol_bad], [vol_good, ebs_key]))
    cases.append(Case("CKV_AWS_189", "terraform_plan", ("aws:ebs/volume:Volume",), [vol_bad], [vol_good, ebs_key]))

    db_key = kms_key("db-key")
    db_common = {
        "engine": "postgres",
        "engineVersion": "16.4",
        "instanceClass": "db.t4g.medium",
        "allocatedStorage": 20,
        "username": "admin_user",
        "tags": TAGS,
    }
    db_bad = res(
        "aws:rds/instance:Instance",
        "db-bad",
        {**db_common, "identifier": "db-bad", "storageEncrypted": False, "publiclyAccessible": True},
        rid="db-bad",
    )
    db_good = res(
        "aws:rds/instance:Instance",
        "db-good",
        {
            **db_common,
            "identifier": "db-good",
            "storageEncrypted": True,
            "kmsKeyId": ref(db_key, "arn"),
            "publiclyAccessible": False,
        },
        rid="db-good",
    )
    cases.append(Case("CKV_AWS_16", "terraform_plan", ("aws:rds/instance:Instance",), [db_bad], [db_good, db_key]))
    cases.append(Case("CKV_AWS_17", "terraform_plan", ("aws:rds/instance:Instance",), [db_bad], [db_good, db_key]))

    cl_common = {"engine": "aurora-postgresql", "masterUsername": "admin_user", "storageEncrypted": True, "tags": TAGS}
    cl_bad = res("aws:rds/cluster:Cluster", "cl-bad", {**cl_common, "clusterIdentifier": "cl-bad"}, rid="cl-bad")
    cl_good = res(
        "aws:rds/cluster:Cluster",
        "cl-good",
        {**cl_common, "clusterIdentifier": "cl-good", "kmsKeyId": ref(db_key, "arn")},
        rid="cl-good",
    )
    cases.append(Case("CKV_AWS_327", "terraform_plan", ("aws:rds/cluster:Cluster",), [cl_bad], [cl_good, db_key]))

    ddb_common = {
        "billingMode": "PAY_PER_REQUEST",
        "hashKey": "pk",
        "attributes": [{"name": "pk", "type": "S"}],
        "pointInTimeRecovery": {"enabled": True},
        "tags": TAGS,
    }
    ddb_bad = res("aws:dynamodb/table:Table", "ddb-bad", {**ddb_common, "name": "ddb-bad"}, rid="ddb-bad")
    ddb_good = res(
        "aws:dynamodb/table:Table",
        "ddb-good",
        {**ddb_common, "name": "ddb-good", "serverSideEncryption": {"enabled": True, "kmsKeyArn": ref(db_key, "arn")}},
        rid="ddb-good",
    )
    cases.append(Case("CKV_AWS_119", "terraform_plan", ("aws:dynamodb/table:Table",), [ddb_bad], [ddb_good, db_key]))

    efs_bad = res("aws:efs/fileSystem:FileSystem", "efs-bad", {"encrypted": False, "tags": TAGS}, rid="fs-0bad")
    efs_good = res(
        "aws:efs/fileSystem:FileSystem",
        "efs-good",
        {"encrypted": True, "kmsKeyId": ref(db_key, "arn"), "tags": TAGS},
        rid="fs-0good",
    )
    cases.append(
        Case("CKV_AWS_42", "terraform_plan", ("aws:efs/fileSystem:FileSystem",), [efs_bad], [efs_good, db_key])
    )
    cases.append(
        Case("CKV_AWS_184", "terraform_plan", ("aws:efs/fileSystem:FileSystem",), [efs_bad], [efs_good, db_key])
    )

    q_bad = res(
        "aws:sqs/queue:Queue",
        "q-bad",
        {"name": "q-bad", "sqsManagedSseEnabled": False, "tags": TAGS},
        rid="https://sqs.eu-west-1.amazonaws.com/111111111111/q-bad",
    )
    q_good = res(
        "aws:sqs/queue:Queue",
        "q-good",
        {"name": "q-good", "kmsMasterKeyId": ref(db_key, "arn"), "tags": TAGS},
        rid="https://sqs.eu-west-1.amazonaws.com/111111111111/q-good",
    )
    cases.append(Case("CKV_AWS_27", "terraform_plan", ("aws:sqs/queue:Queue",), [q_bad], [q_good, db_key]))

    t_bad = res(
        "aws:sns/topic:Topic", "t-bad", {"name": "t-bad", "tags": TAGS}, rid=f"arn:aws:sns:{AWS_REGION}:{ACCOUNT}:t-bad"
    )
    t_good = res(
        "aws:sns/topic:Topic",
        "t-good",
        {"name": "t-good", "kmsMasterKeyId": ref(db_key, "arn"), "tags": TAGS},
        rid=f"arn:aws:sns:{AWS_REGION}:{ACCOUNT}:t-good",
    )
    cases.append(Case("CKV_AWS_26", "terraform_plan", ("aws:sns/topic:Topic",), [t_bad], [t_good, db_key]))

    sec_bad = res(
        "aws:secretsmanager/secret:Secret",
        "sec-bad",
        {"name": "sec-bad", "tags": TAGS},
        rid=f"arn:aws:secretsmanager:{AWS_REGION}:{ACCOUNT}:secret:sec-bad",
    )
    sec_good = res(
        "aws:secretsmanager/secret:Secret",
        "sec-good",
        {"name": "sec-good", "kmsKeyId": ref(db_key, "arn"), "tags": TAGS},
        rid=f"arn:aws:secretsmanager:{AWS_REGION}:{ACCOUNT}:secret:sec-good",
    )
    cases.append(
        Case("CKV_AWS_149", "terraform_plan", ("aws:secretsmanager/secret:Secret",), [sec_bad], [sec_good, db_key])
    )

    # SecureString parameters (the OpenTelemetry gateways' header secrets) under a customer-managed key
    ssm_bad = res(
        "aws:ssm/parameter:Parameter",
        "ssm-bad",
        {"name": "/otel/ssm-bad", "type": "SecureString", "value": "[secret]", "tags": TAGS},
        rid="/otel/ssm-bad",
        arn=f"arn:aws:ssm:{AWS_REGION}:{ACCOUNT}:parameter/otel/ssm-bad",
    )
    ssm_good = res(
        "aws:ssm/parameter:Parameter",
        "ssm-good",
        {
            "name": "/otel/ssm-good",
            "type": "SecureString",
            "value": "[secret]",
            "keyId": ref(db_key, "arn"),
            "tags": TAGS,
        },
        rid="/otel/ssm-good",
        arn=f"arn:aws:ssm:{AWS_REGION}:{ACCOUNT}:parameter/otel/ssm-good",
    )
    cases.append(Case("CKV_AWS_337", "terraform_plan", ("aws:ssm/parameter:Parameter",), [ssm_bad], [ssm_good, db_key]))

    eks_role = res(
        "aws:iam/role:Role",
        "eks-role",
        {
            "name": "eks-role",
            "assumeRolePolicy": _policy(
                [{"Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"}, "Action": "sts:AssumeRole"}]
            ),
            "tags": TAGS,
        },
        rid="eks-role",
        arn=f"arn:aws:iam::{ACCOUNT}:role/eks-role",
    )
    eks_common = {
        "roleArn": ref(eks_role, "arn"),
        "version": "1.31",
        "tags": TAGS,
        "enabledClusterLogTypes": ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    }
    eks_bad = res(
        "aws:eks/cluster:Cluster",
        "eks-bad",
        {
            **eks_common,
            "name": "eks-bad",
            "vpcConfig": {"subnetIds": ["subnet-1", "subnet-2"], "endpointPublicAccess": True},
        },
        rid="eks-bad",
    )
    eks_good = res(
        "aws:eks/cluster:Cluster",
        "eks-good",
        {
            **eks_common,
            "name": "eks-good",
            "vpcConfig": {
                "subnetIds": ["subnet-1", "subnet-2"],
                "endpointPublicAccess": False,
                "endpointPrivateAccess": True,
            },
            "encryptionConfig": {"resources": ["secrets"], "provider": {"keyArn": ref(db_key, "arn")}},
        },
        rid="eks-good",
    )
    cases.append(
        Case(
            "CKV_AWS_58",
            "terraform_plan",
            ("aws:eks/cluster:Cluster",),
            [eks_bad, eks_role],
            [eks_good, eks_role, db_key],
        )
    )
    cases.append(
        Case(
            "CKV_AWS_39",
            "terraform_plan",
            ("aws:eks/cluster:Cluster",),
            [eks_bad, eks_role],
            [eks_good, eks_role, db_key],
        )
    )

    ng_common = {
        "clusterName": ref(eks_good),
        "nodeRoleArn": ref(eks_role, "arn"),
        "subnetIds": ["subnet-1"],
        "scalingConfig": {"desiredSize": 1, "maxSize": 2, "minSize": 1},
        "tags": TAGS,
    }
    ng_bad = res(
        "aws:eks/nodeGroup:NodeGroup",
        "ng-bad",
        {**ng_common, "remoteAccess": {"ec2SshKey": "ops"}},
        rid="eks-good:ng-bad",
    )
    ng_good = res(
        "aws:eks/nodeGroup:NodeGroup",
        "ng-good",
        {**ng_common, "remoteAccess": {"ec2SshKey": "ops", "sourceSecurityGroupIds": ["sg-0123"]}},
        rid="eks-good:ng-good",
    )
    cases.append(
        Case(
            "CKV_AWS_100",
            "terraform_plan",
            ("aws:eks/nodeGroup:NodeGroup",),
            [ng_bad, eks_good, eks_role, db_key],
            [ng_good, eks_good, eks_role, db_key],
        )
    )

    trail_common = {
        "s3BucketName": ref(b6_good),
        "isMultiRegionTrail": True,
        "includeGlobalServiceEvents": True,
        "tags": TAGS,
    }
    trail_bad = res(
        "aws:cloudtrail/trail:Trail",
        "trail-bad",
        {**trail_common, "name": "trail-bad", "enableLogFileValidation": False},
        rid=f"arn:aws:cloudtrail:{AWS_REGION}:{ACCOUNT}:trail/trail-bad",
    )
    trail_good = res(
        "aws:cloudtrail/trail:Trail",
        "trail-good",
        {**trail_common, "name": "trail-good", "enableLogFileValidation": True, "kmsKeyId": ref(key, "arn")},
        rid=f"arn:aws:cloudtrail:{AWS_REGION}:{ACCOUNT}:trail/trail-good",
    )
    cases.append(
        Case(
            "CKV_AWS_35",
            "terraform_plan",
            ("aws:cloudtrail/trail:Trail",),
            [trail_bad, b6_good],
            [trail_good, b6_good, key],
        )
    )
    cases.append(
        Case(
            "CKV_AWS_36",
            "terraform_plan",
            ("aws:cloudtrail/trail:Trail",),
            [trail_bad, b6_good],
            [trail_good, b6_good, key],
        )
    )

    v_bad, v_good = vpc("vpc11-bad"), vpc("vpc11-good")
    fl_role = res(
        "aws:iam/role:Role",
        "fl-role",
        {
            "name": "fl-role",
            "assumeRolePolicy": _policy(
                [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ]
            ),
            "tags": TAGS,
        },
        rid="fl-role",
        arn=f"arn:aws:iam::{ACCOUNT}:role/fl-role",
    )
    fl_group = res(
        "aws:cloudwatch/logGroup:LogGroup",
        "fl-group",
        {"name": "/review/flow", "retentionInDays": 365, "kmsKeyId": ref(key, "arn"), "tags": TAGS},
        rid="/review/flow",
        arn=f"arn:aws:logs:{AWS_REGION}:{ACCOUNT}:log-group:/review/flow",
    )
    flow = res(
        "aws:ec2/flowLog:FlowLog",
        "vpc11-good-fl",
        {
            "vpcId": ref(v_good),
            "trafficType": "ALL",
            "logDestinationType": "cloud-watch-logs",
            "logDestination": ref(fl_group, "arn"),
            "iamRoleArn": ref(fl_role, "arn"),
            "tags": TAGS,
        },
        rid="fl-0good",
    )
    cases.append(
        Case(
            "CKV2_AWS_11",
            "terraform_plan",
            ("aws:ec2/vpc:Vpc", "aws:ec2/flowLog:FlowLog"),
            [v_bad],
            [v_good, flow, fl_role, fl_group, key],
        )
    )

    v12_bad, v12_good = vpc("vpc12-bad"), vpc("vpc12-good")
    dsg_bad = res(
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
        "vpc12-bad-dsg",
        {
            "vpcId": ref(v12_bad),
            "ingress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "self": True}],
            "tags": TAGS,
        },
        rid="sg-0bad12",
    )
    dsg_good = res(
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
        "vpc12-good-dsg",
        {"vpcId": ref(v12_good), "tags": TAGS},
        rid="sg-0good12",
    )
    cases.append(
        Case(
            "CKV2_AWS_12",
            "terraform_plan",
            ("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",),
            [v12_bad, dsg_bad],
            [v12_good, dsg_good],
        )
    )

    sg_bad = res(
        "aws:ec2/securityGroup:SecurityGroup",
        "sg-bad",
        {
            "name": "sg-bad",
            "description": "review",
            "vpcId": ref(v12_good),
            "ingress": [
                {"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"], "description": "ssh"}
            ],
            "tags": TAGS,
        },
        rid="sg-0bad24",
    )
    sg_good = res(
        "aws:ec2/securityGroup:SecurityGroup",
        "sg-good",
        {
            "name": "sg-good",
            "description": "review",
            "vpcId": ref(v12_good),
            "ingress": [
                {"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["10.0.0.0/8"], "description": "ssh"}
            ],
            "tags": TAGS,
        },
        rid="sg-0good24",
    )
    cases.append(
        Case(
            "CKV_AWS_24",
            "terraform_plan",
            ("aws:ec2/securityGroup:SecurityGroup",),
            [sg_bad, v12_good],
            [sg_good, v12_good],
        )
    )

    sn_bad = res(
        "aws:ec2/subnet:Subnet",
        "sn-bad",
        {"vpcId": ref(v12_good), "cidrBlock": "10.16.0.0/24", "mapPublicIpOnLaunch": True, "tags": TAGS},
        rid="subnet-0bad",
    )
    sn_good = res(
        "aws:ec2/subnet:Subnet",
        "sn-good",
        {"vpcId": ref(v12_good), "cidrBlock": "10.16.1.0/24", "mapPublicIpOnLaunch": False, "tags": TAGS},
        rid="subnet-0good",
    )
    cases.append(
        Case("CKV_AWS_130", "terraform_plan", ("aws:ec2/subnet:Subnet",), [sn_bad, v12_good], [sn_good, v12_good])
    )

    tgw_bad = res(
        "aws:ec2transitgateway/transitGateway:TransitGateway",
        "tgw-bad",
        {"autoAcceptSharedAttachments": "enable", "tags": TAGS},
        rid="tgw-0bad",
    )
    tgw_good = res(
        "aws:ec2transitgateway/transitGateway:TransitGateway",
        "tgw-good",
        {"autoAcceptSharedAttachments": "disable", "tags": TAGS},
        rid="tgw-0good",
    )
    cases.append(
        Case(
            "CKV_AWS_331",
            "terraform_plan",
            ("aws:ec2transitgateway/transitGateway:TransitGateway",),
            [tgw_bad],
            [tgw_good],
        )
    )

    rp_bad = res(
        "aws:iam/rolePolicy:RolePolicy",
        "rp-bad",
        {
            "role": ref(fl_role),
            "name": "rp-bad",
            "policy": _policy([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
        },
        rid="fl-role:rp-bad",
    )
    rp_good = res(
        "aws:iam/rolePolicy:RolePolicy",
        "rp-good",
        {
            "role": ref(fl_role),
            "name": "rp-good",
            "policy": _policy(
                [
                    {
                        "Effect": "Allow",
                        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                        "Resource": f"{fl_group.inputs['name']}:*",
                    }
                ]
            ),
        },
        rid="fl-role:rp-good",
    )
    cases.append(
        Case("CKV_AWS_63", "terraform_plan", ("aws:iam/rolePolicy:RolePolicy",), [rp_bad, fl_role], [rp_good, fl_role])
    )

    role_bad = res(
        "aws:iam/role:Role",
        "role-bad",
        {
            "name": "role-bad",
            "assumeRolePolicy": _policy([{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]),
            "tags": TAGS,
        },
        rid="role-bad",
        arn=f"arn:aws:iam::{ACCOUNT}:role/role-bad",
    )
    cases.append(Case("CKV_AWS_60", "terraform_plan", ("aws:iam/role:Role",), [role_bad], [fl_role]))
    cases += _aws_workload_cases(db_key, fl_role, eks_role)
    cases += _aws_firewall_cases(db_key)
    return cases


def _aws_firewall_cases(key: Resource) -> list[Case]:
    """Network Firewall (the egress path of issue 12): deletion protection and customer-managed keys."""
    cases: list[Case] = []
    cmk = {"type": "CUSTOMER_KMS", "keyId": ref(key, "arn")}
    fw_arn = f"arn:aws:network-firewall:{AWS_REGION}:{ACCOUNT}:firewall"
    rg_bad = res(
        "aws:networkfirewall/ruleGroup:RuleGroup",
        "nfw-rg-bad",
        {
            "name": "rg-bad",
            "type": "STATEFUL",
            "capacity": 100,
            "tags": TAGS,
            "ruleGroup": {
                "rulesSource": {
                    "rulesSourceList": {
                        "generatedRulesType": "ALLOWLIST",
                        "targetTypes": ["TLS_SNI"],
                        "targets": ["pypi.org"],
                    }
                }
            },
        },
        rid=f"{fw_arn}-rule-group/rg-bad",
        arn=f"{fw_arn}-rule-group/rg-bad",
    )
    rg_good = res(
        "aws:networkfirewall/ruleGroup:RuleGroup",
        "nfw-rg-good",
        {
            "name": "rg-good",
            "type": "STATEFUL",
            "capacity": 100,
            "tags": TAGS,
            "encryptionConfiguration": cmk,
            "ruleGroup": {
                "rulesSource": {
                    "rulesSourceList": {
                        "generatedRulesType": "ALLOWLIST",
                        "targetTypes": ["TLS_SNI"],
                        "targets": ["pypi.org"],
                    }
                }
            },
        },
        rid=f"{fw_arn}-rule-group/rg-good",
        arn=f"{fw_arn}-rule-group/rg-good",
    )
    cases.append(
        Case("CKV_AWS_345", "terraform_plan", ("aws:networkfirewall/ruleGroup:RuleGroup",), [rg_bad], [rg_good, key])
    )
    policy_common = {
        "statelessDefaultActions": ["aws:forward_to_sfe"],
        "statelessFragmentDefaultActions": ["aws:forward_to_sfe"],
    }
    fp_bad = res(
        "aws:networkfirewall/firewallPolicy:FirewallPolicy",
        "nfw-fp-bad",
        {"name": "fp-bad", "firewallPolicy": policy_common, "tags": TAGS},
        rid=f"{fw_arn}-policy/fp-bad",
        arn=f"{fw_arn}-policy/fp-bad",
    )
    fp_good = res(
        "aws:networkfirewall/firewallPolicy:FirewallPolicy",
        "nfw-fp-good",
        {"name": "fp-good", "firewallPolicy": policy_common, "encryptionConfiguration": cmk, "tags": TAGS},
        rid=f"{fw_arn}-policy/fp-good",
        arn=f"{fw_arn}-policy/fp-good",
    )
    cases.append(
        Case(
            "CKV_AWS_346",
            "terraform_plan",
            ("aws:networkfirewall/firewallPolicy:FirewallPolicy",),
            [fp_bad],
            [fp_good, key],
        )
    )
    network = vpc("nfw-vpc")
    fw_common = {
        "vpcId": ref(network),
        "firewallPolicyArn": ref(fp_good, "arn"),
        "tags": TAGS,
        "subnetMappings": [{"subnetId": "subnet-0123456789abcdef0"}],
    }
    fw_bad = res(
        "aws:networkfirewall/firewall:Firewall",
        "nfw-bad",
        {**fw_common, "name": "fw-bad", "deleteProtection": False},
        rid=f"{fw_arn}/fw-bad",
        arn=f"{fw_arn}/fw-bad",
    )
    fw_good = res(
        "aws:networkfirewall/firewall:Firewall",
        "nfw-good",
        {**fw_common, "name": "fw-good", "deleteProtection": True, "encryptionConfiguration": cmk},
        rid=f"{fw_arn}/fw-good",
        arn=f"{fw_arn}/fw-good",
    )
    for check in ("CKV_AWS_344", "CKV_AWS_345"):
        cases.append(
            Case(
                check,
                "terraform_plan",
                ("aws:networkfirewall/firewall:Firewall",),
                [fw_bad],
                [fw_good, fp_good, network, key],
            )
        )
    return cases


def _aws_workload_cases(key: Resource, role: Resource, other_role: Resource) -> list[Case]:
    """Migration, container and identity resources: DMS, DataSync, ECS, launch templates, SSO, alarms."""
    cases: list[Case] = []
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    reader = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    att_bad = res(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "att-bad",
        {"role": ref(role), "policyArn": admin},
        rid="fl-role-admin",
    )
    att_good = res(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "att-good",
        {"role": ref(role), "policyArn": reader},
        rid="fl-role-reader",
    )
    cases.append(
        Case(
            "CKV_AWS_274",
            "terraform_plan",
            ("aws:iam/rolePolicyAttachment:RolePolicyAttachment",),
            [att_bad, role],
            [att_good, role],
        )
    )

    sso = {
        "instanceArn": "arn:aws:sso:::instance/ssoins-0000000000000000",
        "permissionSetArn": "arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000",
    }
    mpa_bad = res(
        "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
        "mpa-bad",
        {**sso, "managedPolicyArn": admin},
        rid="mpa-bad",
    )
    mpa_good = res(
        "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
        "mpa-good",
        {**sso, "managedPolicyArn": reader},
        rid="mpa-good",
    )
    cases.append(
        Case(
            "CKV_AWS_274",
            "terraform_plan",
            ("aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",),
            [mpa_bad],
            [mpa_good],
        )
    )
    ip_bad = res(
        "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
        "ip-bad",
        {**sso, "inlinePolicy": _policy([{"Effect": "Allow", "Action": "*", "Resource": "*"}])},
        rid="ip-bad",
    )
    ip_good = res(
        "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
        "ip-good",
        {
            **sso,
            "inlinePolicy": _policy(
                [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::acme-review-data/*"}]
            ),
        },
        rid="ip-good",
    )
    cases.append(
        Case(
            "CKV_AWS_63",
            "terraform_plan",
            ("aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",),
            [ip_bad],
            [ip_good],
        )
    )

    ri_common = {"replicationInstanceClass": "dms.t3.medium", "allocatedStorage": 50, "tags": TAGS}
    ri_bad = res(
        "aws:dms/replicationInstance:ReplicationInstance",
        "ri-bad",
        {**ri_common, "replicationInstanceId": "ri-bad", "publiclyAccessible": True},
        rid="ri-bad",
    )
    ri_good = res(
        "aws:dms/replicationInstance:ReplicationInstance",
        "ri-good",
        {**ri_common, "replicationInstanceId": "ri-good", "publiclyAccessible": False, "kmsKeyArn": ref(key, "arn")},
        rid="ri-good",
    )
    cases.append(
        Case(
            "CKV_AWS_212",
            "terraform_plan",
            ("aws:dms/replicationInstance:ReplicationInstance",),
            [ri_bad],
            [ri_good, key],
        )
    )
    cases.append(
        Case(
            "CKV_AWS_89",
            "terraform_plan",
            ("aws:dms/replicationInstance:ReplicationInstance",),
            [ri_bad],
            [ri_good, key],
        )
    )
    ep_common = {
        "endpointType": "source",
        "engineName": "postgres",
        "serverName": "db.example.internal",
        "port": 5432,
        "databaseName": "app",
        "sslMode": "verify-full",
        "tags": TAGS,
    }
    ep_bad = res("aws:dms/endpoint:Endpoint", "ep-bad", {**ep_common, "endpointId": "ep-bad"}, rid="ep-bad")
    ep_good = res(
        "aws:dms/endpoint:Endpoint",
        "ep-good",
        {**ep_common, "endpointId": "ep-good", "kmsKeyArn": ref(key, "arn")},
        rid="ep-good",
    )
    cases.append(Case("CKV_AWS_296", "terraform_plan", ("aws:dms/endpoint:Endpoint",), [ep_bad], [ep_good, key]))

    os_common = {
        "serverHostname": "blob.example.net",
        "bucketName": "source",
        "agentArns": ["arn:aws:datasync:a"],
        "tags": TAGS,
    }
    os_bad = res(
        "aws:datasync/locationObjectStorage:LocationObjectStorage",
        "os-bad",
        {**os_common, "accessKey": "reviewer", "secretKey": "[secret]"},
        rid="loc-bad",
    )
    os_good = res("aws:datasync/locationObjectStorage:LocationObjectStorage", "os-good", os_common, rid="loc-good")
    cases.append(
        Case(
            "CKV_AWS_295",
            "terraform_plan",
            ("aws:datasync/locationObjectStorage:LocationObjectStorage",),
            [os_bad],
            [os_good],
        )
    )

    lt_bad = res(
        "aws:ec2/launchTemplate:LaunchTemplate",
        "lt-bad",
        {"name": "lt-bad", "metadataOptions": {"httpEndpoint": "enabled", "httpTokens": "optional"}, "tags": TAGS},
        rid="lt-0bad",
    )
    lt_good = res(
        "aws:ec2/launchTemplate:LaunchTemplate",
        "lt-good",
        {
            "name": "lt-good",
            "metadataOptions": {"httpEndpoint": "enabled", "httpTokens": "required", "httpPutResponseHopLimit": 1},
            "blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"encrypted": "true", "volumeSize": 100}}],
            "tags": TAGS,
        },
        rid="lt-0good",
    )
    cases.append(Case("CKV_AWS_79", "terraform_plan", ("aws:ec2/launchTemplate:LaunchTemplate",), [lt_bad], [lt_good]))

    ecs_bad = res(
        "aws:ecs/cluster:Cluster",
        "ecs-bad",
        {"name": "ecs-bad", "settings": [{"name": "containerInsights", "value": "disabled"}], "tags": TAGS},
        rid=f"arn:aws:ecs:{AWS_REGION}:{ACCOUNT}:cluster/ecs-bad",
    )
    ecs_good = res(
        "aws:ecs/cluster:Cluster",
        "ecs-good",
        {"name": "ecs-good", "settings": [{"name": "containerInsights", "value": "enabled"}], "tags": TAGS},
        rid=f"arn:aws:ecs:{AWS_REGION}:{ACCOUNT}:cluster/ecs-good",
    )
    cases.append(Case("CKV_AWS_65", "terraform_plan", ("aws:ecs/cluster:Cluster",), [ecs_bad], [ecs_good]))

    containers = json.dumps([{"name": "app", "image": "app:1", "essential": True, "readonlyRootFilesystem": True}])
    td_bad = res(
        "aws:ecs/taskDefinition:TaskDefinition",
        "td-bad",
        {
            "family": "td-bad",
            "containerDefinitions": containers,
            "executionRoleArn": ref(role, "arn"),
            "taskRoleArn": ref(role, "arn"),
            "networkMode": "awsvpc",
        },
        rid="td-bad",
    )
    td_good = res(
        "aws:ecs/taskDefinition:TaskDefinition",
        "td-good",
        {
            "family": "td-good",
            "containerDefinitions": containers,
            "executionRoleArn": ref(role, "arn"),
            "taskRoleArn": ref(other_role, "arn"),
            "networkMode": "awsvpc",
        },
        rid="td-good",
    )
    cases.append(
        Case(
            "CKV_AWS_249",
            "terraform_plan",
            ("aws:ecs/taskDefinition:TaskDefinition",),
            [td_bad, role],
            [td_good, role, other_role],
        )
    )

    svc_common = {
        "cluster": ref(ecs_good, "id"),
        "taskDefinition": ref(td_good, "id"),
        "desiredCount": 1,
        "launchType": "FARGATE",
        "platformVersion": "LATEST",
        "tags": TAGS,
    }
    svc_bad = res(
        "aws:ecs/service:Service",
        "svc-bad",
        {**svc_common, "name": "svc-bad", "networkConfiguration": {"subnets": ["subnet-1"], "assignPublicIp": True}},
        rid="svc-bad",
    )
    svc_good = res(
        "aws:ecs/service:Service",
        "svc-good",
        {**svc_common, "name": "svc-good", "networkConfiguration": {"subnets": ["subnet-1"], "assignPublicIp": False}},
        rid="svc-good",
    )
    for_service = [ecs_good, td_good, role, other_role]
    cases.append(
        Case(
            "CKV_AWS_333",
            "terraform_plan",
            ("aws:ecs/service:Service",),
            [svc_bad, *for_service],
            [svc_good, *for_service],
        )
    )

    alarm_common = {
        "comparisonOperator": "GreaterThanThreshold",
        "evaluationPeriods": 1,
        "metricName": "Errors",
        "namespace": "AWS/DMS",
        "period": 300,
        "statistic": "Sum",
        "threshold": 1,
        "tags": TAGS,
    }
    al_bad = res(
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "al-bad",
        {**alarm_common, "name": "al-bad", "actionsEnabled": False},
        rid="al-bad",
    )
    al_good = res(
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "al-good",
        {**alarm_common, "name": "al-good", "actionsEnabled": True},
        rid="al-good",
    )
    cases.append(
        Case("CKV_AWS_319", "terraform_plan", ("aws:cloudwatch/metricAlarm:MetricAlarm",), [al_bad], [al_good])
    )
    return cases


# --- GCP ---------------------------------------------------------------------------------------


def _gcp_link(rid: str, service: str = "compute") -> str:
    return f"https://www.googleapis.com/{service}/v1/{rid}"


def key_ring(name: str) -> Resource:
    rid = f"projects/{GCP_PROJECT}/locations/europe-west4/keyRings/{name}"
    return res(
        "gcp:kms/keyRing:KeyRing", name, {"name": name, "location": "europe-west4", "project": GCP_PROJECT}, rid=rid
    )


def crypto_key(name: str, ring: Resource, rotation: str = "7776000s") -> Resource:
    rid = f"{ring.id}/cryptoKeys/{name}"
    return res(
        "gcp:kms/cryptoKey:CryptoKey",
        name,
        {
            "name": name,
            "keyRing": ref(ring),
            "rotationPeriod": rotation,
            "purpose": "ENCRYPT_DECRYPT",
            "labels": {"owner": "platform"},
        },
        rid=rid,
    )


def network(name: str) -> Resource:
    rid = f"projects/{GCP_PROJECT}/global/networks/{name}"
    return res(
        "gcp:compute/network:Network",
        name,
        {"name": name, "autoCreateSubnetworks": False, "project": GCP_PROJECT, "routingMode": "GLOBAL"},
        rid=rid,
        self_link=_gcp_link(rid),
    )


def gcp_cases() -> list[Case]:
    cases: list[Case] = []
    ring = key_ring("review-ring")
    k_bad = crypto_key("ck43-bad", ring, rotation="31536000s")
    k_good = crypto_key("ck43-good", ring)
    cases.append(
        Case(
            "CKV_GCP_43",
            "terraform_plan",
            ("gcp:kms/cryptoKey:CryptoKey", "gcp:kms/keyRing:KeyRing"),
            [k_bad, ring],
            [k_good, ring],
        )
    )

    gcs_common = {
        "location": "EUROPE-WEST4",
        "project": GCP_PROJECT,
        "labels": {"owner": "platform"},
        "encryption": {"defaultKmsKeyName": ref(k_good)},
        "forceDestroy": False,
    }
    gcs_bad = res(
        "gcp:storage/bucket:Bucket",
        "gcs-bad",
        {
            **gcs_common,
            "name": "acme-review-gcs-bad",
            "uniformBucketLevelAccess": False,
            "versioning": {"enabled": False},
        },
        rid="acme-review-gcs-bad",
    )
    gcs_good = res(
        "gcp:storage/bucket:Bucket",
        "gcs-good",
        {
            **gcs_common,
            "name": "acme-review-gcs-good",
            "uniformBucketLevelAccess": True,
            "publicAccessPrevention": "enforced",
            "versioning": {"enabled": True},
            "logging": {"logBucket": "acme-review-logs"},
        },
        rid="acme-review-gcs-good",
    )
    cases.append(
        Case(
            "CKV_GCP_29",
            "terraform_plan",
            ("gcp:storage/bucket:Bucket",),
            [gcs_bad, k_good, ring],
            [gcs_good, k_good, ring],
        )
    )
    cases.append(
        Case(
            "CKV_GCP_78",
            "terraform_plan",
            ("gcp:storage/bucket:Bucket",),
            [gcs_bad, k_good, ring],
            [gcs_good, k_good, ring],
        )
    )

    disk_common = {
        "zone": "europe-west4-a",
        "size": 10,
        "type": "pd-balanced",
        "project": GCP_PROJECT,
        "labels": {"owner": "platform"},
    }
    d_bad = res(
        "gcp:compute/disk:Disk",
        "disk-bad",
        {**disk_common, "name": "disk-bad"},
        rid=f"projects/{GCP_PROJECT}/zones/europe-west4-a/disks/disk-bad",
    )
    d_good = res(
        "gcp:compute/disk:Disk",
        "disk-good",
        {**disk_common, "name": "disk-good", "diskEncryptionKey": {"kmsKeySelfLink": ref(k_good)}},
        rid=f"projects/{GCP_PROJECT}/zones/europe-west4-a/disks/disk-good",
    )
    cases.append(Case("CKV_GCP_37", "terraform_plan", ("gcp:compute/disk:Disk",), [d_bad], [d_good, k_good, ring]))

    net = network("review-net")
    vm_common = {
        "zone": "europe-west4-a",
        "machineType": "e2-small",
        "project": GCP_PROJECT,
        "networkInterfaces": [{"network": ref(net)}],
        "labels": {"owner": "platform"},
    }
    vm_bad = res(
        "gcp:compute/instance:Instance",
        "vm-bad",
        {**vm_common, "name": "vm-bad", "bootDisk": {"initializeParams": {"image": "debian-12"}}},
        rid=f"projects/{GCP_PROJECT}/zones/europe-west4-a/instances/vm-bad",
    )
    vm_good = res(
        "gcp:compute/instance:Instance",
        "vm-good",
        {
            **vm_common,
            "name": "vm-good",
            "bootDisk": {"initializeParams": {"image": "debian-12"}, "kmsKeySelfLink": ref(k_good)},
        },
        rid=f"projects/{GCP_PROJECT}/zones/europe-west4-a/instances/vm-good",
    )
    cases.append(
        Case(
            "CKV_GCP_38",
            "terraform_plan",
            ("gcp:compute/instance:Instance",),
            [vm_bad, net],
            [vm_good, net, k_good, ring],
        )
    )

    sql_common = {
        "databaseVersion": "POSTGRES_16",
        "region": "europe-west4",
        "project": GCP_PROJECT,
        "deletionProtection": True,
        "encryptionKeyName": ref(k_good),
    }
    sql_bad = res(
        "gcp:sql/databaseInstance:DatabaseInstance",
        "sql-bad",
        {
            **sql_common,
            "name": "sql-bad",
            "settings": {
                "tier": "db-custom-1-3840",
                "ipConfiguration": {
                    "ipv4Enabled": True,
                    "sslMode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED",
                    "authorizedNetworks": [{"value": "0.0.0.0/0"}],
                },
            },
        },
        rid="sql-bad",
    )
    sql_good = res(
        "gcp:sql/databaseInstance:DatabaseInstance",
        "sql-good",
        {
            **sql_common,
            "name": "sql-good",
            "settings": {
                "tier": "db-custom-1-3840",
                "ipConfiguration": {
                    "ipv4Enabled": False,
                    "sslMode": "TRUSTED_CLIENT_CERTIFICATE_REQUIRED",
                    "privateNetwork": ref(net),
                },
                "backupConfiguration": {"enabled": True},
                "databaseFlags": [{"name": "log_connections", "value": "on"}],
            },
        },
        rid="sql-good",
    )
    cases.append(
        Case(
            "CKV_GCP_6",
            "terraform_plan",
            ("gcp:sql/databaseInstance:DatabaseInstance",),
            [sql_bad, k_good, ring],
            [sql_good, k_good, ring, net],
        )
    )
    cases.append(
        Case(
            "CKV_GCP_60",
            "terraform_plan",
            ("gcp:sql/databaseInstance:DatabaseInstance",),
            [sql_bad, k_good, ring],
            [sql_good, k_good, ring, net],
        )
    )

    bq_common = {"location": "europe-west4", "project": GCP_PROJECT, "labels": {"owner": "platform"}}
    bq_bad = res(
        "gcp:bigquery/dataset:Dataset",
        "bq-bad",
        {**bq_common, "datasetId": "bq_bad", "accesses": [{"role": "READER", "specialGroup": "allAuthenticatedUsers"}]},
        rid=f"projects/{GCP_PROJECT}/datasets/bq_bad",
    )
    bq_good = res(
        "gcp:bigquery/dataset:Dataset",
        "bq-good",
        {
            **bq_common,
            "datasetId": "bq_good",
            "defaultEncryptionConfiguration": {"kmsKeyName": ref(k_good)},
            "accesses": [{"role": "OWNER", "specialGroup": "projectOwners"}],
        },
        rid=f"projects/{GCP_PROJECT}/datasets/bq_good",
    )
    cases.append(
        Case("CKV_GCP_81", "terraform_plan", ("gcp:bigquery/dataset:Dataset",), [bq_bad], [bq_good, k_good, ring])
    )
    cases.append(
        Case("CKV_GCP_15", "terraform_plan", ("gcp:bigquery/dataset:Dataset",), [bq_bad], [bq_good, k_good, ring])
    )

    gke_common = {
        "location": "europe-west4",
        "project": GCP_PROJECT,
        "network": ref(net),
        "removeDefaultNodePool": True,
        "initialNodeCount": 1,
        "resourceLabels": {"owner": "platform"},
    }
    gke_bad = res(
        "gcp:container/cluster:Cluster",
        "gke-bad",
        {**gke_common, "name": "gke-bad", "networkPolicy": {"enabled": False}},
        rid=f"projects/{GCP_PROJECT}/locations/europe-west4/clusters/gke-bad",
    )
    gke_good = res(
        "gcp:container/cluster:Cluster",
        "gke-good",
        {
            **gke_common,
            "name": "gke-good",
            "networkPolicy": {"enabled": True},
            "privateClusterConfig": {
                "enablePrivateNodes": True,
                "enablePrivateEndpoint": True,
                "masterIpv4CidrBlock": "172.16.0.0/28",
            },
            "databaseEncryption": {"state": "ENCRYPTED", "keyName": ref(k_good)},
        },
        rid=f"projects/{GCP_PROJECT}/locations/europe-west4/clusters/gke-good",
    )
    cases.append(
        Case(
            "CKV_GCP_25",
            "terraform_plan",
            ("gcp:container/cluster:Cluster",),
            [gke_bad, net],
            [gke_good, net, k_good, ring],
        )
    )
    cases.append(
        Case(
            "CKV_GCP_12",
            "terraform_plan",
            ("gcp:container/cluster:Cluster",),
            [gke_bad, net],
            [gke_good, net, k_good, ring],
        )
    )

    np_common = {
        "location": "europe-west4",
        "project": GCP_PROJECT,
        "cluster": ref(gke_good),
        "nodeCount": 1,
        "nodeConfig": {"machineType": "e2-standard-4"},
    }
    np_bad = res(
        "gcp:container/nodePool:NodePool",
        "np-bad",
        {**np_common, "name": "np-bad", "management": {"autoRepair": False, "autoUpgrade": False}},
        rid=f"{gke_good.id}/nodePools/np-bad",
    )
    np_good = res(
        "gcp:container/nodePool:NodePool",
        "np-good",
        {**np_common, "name": "np-good", "management": {"autoRepair": True, "autoUpgrade": True}},
        rid=f"{gke_good.id}/nodePools/np-good",
    )
    cases.append(
        Case(
            "CKV_GCP_9",
            "terraform_plan",
            ("gcp:container/nodePool:NodePool",),
            [np_bad, gke_good, net, k_good, ring],
            [np_good, gke_good, net, k_good, ring],
        )
    )

    sub_common = {"region": "europe-west4", "project": GCP_PROJECT, "network": ref(net)}
    sub_bad = res(
        "gcp:compute/subnetwork:Subnetwork",
        "sub-bad",
        {**sub_common, "name": "sub-bad", "ipCidrRange": "10.32.0.0/24", "privateIpGoogleAccess": False},
        rid=f"projects/{GCP_PROJECT}/regions/europe-west4/subnetworks/sub-bad",
    )
    sub_good = res(
        "gcp:compute/subnetwork:Subnetwork",
        "sub-good",
        {
            **sub_common,
            "name": "sub-good",
            "ipCidrRange": "10.32.1.0/24",
            "privateIpGoogleAccess": True,
            "logConfig": {
                "aggregationInterval": "INTERVAL_5_SEC",
                "flowSampling": 0.5,
                "metadata": "INCLUDE_ALL_METADATA",
            },
        },
        rid=f"projects/{GCP_PROJECT}/regions/europe-west4/subnetworks/sub-good",
    )
    cases.append(
        Case("CKV_GCP_26", "terraform_plan", ("gcp:compute/subnetwork:Subnetwork",), [sub_bad, net], [sub_good, net])
    )
    cases.append(
        Case("CKV_GCP_74", "terraform_plan", ("gcp:compute/subnetwork:Subnetwork",), [sub_bad, net], [sub_good, net])
    )

    fw_common = {"project": GCP_PROJECT, "direction": "INGRESS", "allows": [{"protocol": "tcp", "ports": ["22"]}]}
    net_bad = network("review-net-nofw")
    fw_bad = res(
        "gcp:compute/firewall:Firewall",
        "fw-bad",
        {**fw_common, "name": "fw-bad", "network": ref(net), "sourceRanges": ["0.0.0.0/0"]},
        rid=f"projects/{GCP_PROJECT}/global/firewalls/fw-bad",
    )
    fw_good = res(
        "gcp:compute/firewall:Firewall",
        "fw-good",
        {
            **fw_common,
            "name": "fw-good",
            "network": ref(net),
            "sourceRanges": ["35.235.240.0/20"],
            "logConfig": {"metadata": "INCLUDE_ALL_METADATA"},
        },
        rid=f"projects/{GCP_PROJECT}/global/firewalls/fw-good",
    )
    cases.append(Case("CKV_GCP_2", "terraform_plan", ("gcp:compute/firewall:Firewall",), [fw_bad, net], [fw_good, net]))
    cases.append(Case("CKV2_GCP_18", "terraform_plan", ("gcp:compute/network:Network",), [net_bad], [net, fw_good]))

    iam_bad = res(
        "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
        "ckiam-bad",
        {"cryptoKeyId": ref(k_good), "role": "roles/cloudkms.cryptoKeyEncrypterDecrypter", "member": "allUsers"},
        rid=f"{k_good.id} roles/cloudkms.cryptoKeyEncrypterDecrypter allUsers",
    )
    iam_good = res(
        "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
        "ckiam-good",
        {
            "cryptoKeyId": ref(k_good),
            "role": "roles/cloudkms.cryptoKeyEncrypterDecrypter",
            "member": f"serviceAccount:sa@{GCP_PROJECT}.iam.gserviceaccount.com",
        },
        rid=f"{k_good.id} roles/cloudkms.cryptoKeyEncrypterDecrypter sa",
    )
    cases.append(
        Case(
            "CKV_GCP_112",
            "terraform_plan",
            ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",),
            [iam_bad, k_good, ring],
            [iam_good, k_good, ring],
        )
    )

    dns_bad = res(
        "gcp:dns/managedZone:ManagedZone",
        "dns-bad",
        {
            "name": "dns-bad",
            "dnsName": "bad.example.com.",
            "visibility": "public",
            "project": GCP_PROJECT,
            "dnssecConfig": {"state": "off"},
        },
        rid=f"projects/{GCP_PROJECT}/managedZones/dns-bad",
    )
    dns_good = res(
        "gcp:dns/managedZone:ManagedZone",
        "dns-good",
        {
            "name": "dns-good",
            "dnsName": "good.example.com.",
            "visibility": "public",
            "project": GCP_PROJECT,
            "dnssecConfig": {"state": "on"},
        },
        rid=f"projects/{GCP_PROJECT}/managedZones/dns-good",
    )
    cases.append(Case("CKV_GCP_16", "terraform_plan", ("gcp:dns/managedZone:ManagedZone",), [dns_bad], [dns_good]))

    ps_bad = res(
        "gcp:pubsub/topic:Topic",
        "ps-bad",
        {"name": "ps-bad", "project": GCP_PROJECT},
        rid=f"projects/{GCP_PROJECT}/topics/ps-bad",
    )
    ps_good = res(
        "gcp:pubsub/topic:Topic",
        "ps-good",
        {"name": "ps-good", "project": GCP_PROJECT, "kmsKeyName": ref(k_good)},
        rid=f"projects/{GCP_PROJECT}/topics/ps-good",
    )
    cases.append(Case("CKV_GCP_83", "terraform_plan", ("gcp:pubsub/topic:Topic",), [ps_bad], [ps_good, k_good, ring]))

    pm_bad = res(
        "gcp:projects/iAMMember:IAMMember",
        "pm-bad",
        {"project": GCP_PROJECT, "role": "roles/editor", "member": "group:platform@example.com"},
        rid=f"{GCP_PROJECT}/roles/editor/group:platform@example.com",
    )
    pm_good = res(
        "gcp:projects/iAMMember:IAMMember",
        "pm-good",
        {"project": GCP_PROJECT, "role": "roles/logging.viewer", "member": "group:platform@example.com"},
        rid=f"{GCP_PROJECT}/roles/logging.viewer/group:platform@example.com",
    )
    cases.append(Case("CKV_GCP_117", "terraform_plan", ("gcp:projects/iAMMember:IAMMember",), [pm_bad], [pm_good]))
    bm_bad = res(
        "gcp:storage/bucketIAMMember:BucketIAMMember",
        "bm-bad",
        {"bucket": ref(gcs_good), "role": "roles/storage.objectViewer", "member": "allUsers"},
        rid="b/acme-review-gcs-good/roles/storage.objectViewer/allUsers",
    )
    bm_good = res(
        "gcp:storage/bucketIAMMember:BucketIAMMember",
        "bm-good",
        {
            "bucket": ref(gcs_good),
            "role": "roles/storage.objectViewer",
            "member": f"serviceAccount:reader@{GCP_PROJECT}.iam.gserviceaccount.com",
        },
        rid="b/acme-review-gcs-good/roles/storage.objectViewer/reader",
    )
    cases.append(
        Case(
            "CKV_GCP_28",
            "terraform_plan",
            ("gcp:storage/bucketIAMMember:BucketIAMMember",),
            [bm_bad, gcs_good, k_good, ring],
            [bm_good, gcs_good, k_good, ring],
        )
    )

    ar_common = {"location": "europe-west4", "project": GCP_PROJECT, "format": "DOCKER", "mode": "REMOTE_REPOSITORY"}
    ar_bad = res(
        "gcp:artifactregistry/repository:Repository",
        "ar-bad",
        {**ar_common, "repositoryId": "ar-bad"},
        rid=f"projects/{GCP_PROJECT}/locations/europe-west4/repositories/ar-bad",
    )
    ar_good = res(
        "gcp:artifactregistry/repository:Repository",
        "ar-good",
        {**ar_common, "repositoryId": "ar-good", "kmsKeyName": ref(k_good)},
        rid=f"projects/{GCP_PROJECT}/locations/europe-west4/repositories/ar-good",
    )
    cases.append(
        Case(
            "CKV_GCP_84",
            "terraform_plan",
            ("gcp:artifactregistry/repository:Repository",),
            [ar_bad],
            [ar_good, k_good, ring],
        )
    )
    ar_reader = {"location": "europe-west4", "project": GCP_PROJECT, "role": "roles/artifactregistry.reader"}
    arm_bad = res(
        "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
        "ar-iam-bad",
        {**ar_reader, "repository": ref(ar_good), "member": "allUsers"},
        rid=f"{ar_good.id} roles/artifactregistry.reader allUsers",
    )
    arm_good = res(
        "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
        "ar-iam-good",
        {
            **ar_reader,
            "repository": ref(ar_good),
            "member": f"serviceAccount:sa@{GCP_PROJECT}.iam.gserviceaccount.com",
        },
        rid=f"{ar_good.id} roles/artifactregistry.reader sa",
    )
    cases.append(
        Case(
            "CKV_GCP_101",
            "terraform_plan",
            ("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",),
            [arm_bad, ar_good, k_good, ring],
            [arm_good, ar_good, k_good, ring],
        )
    )
    return cases


# --- Azure (ARM) ---------------------------------------------------------------------------------


def _az_id(provider: str, path: str) -> str:
    return f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/{provider}/{path}"


def azure_cases() -> list[Case]:
    cases: list[Case] = []
    sa_common = {
        "resourceGroupName": RG,
        "location": "westeurope",
        "kind": "StorageV2",
        "sku": {"name": "Standard_ZRS"},
        "tags": TAGS,
    }
    sa_bad = res(
        "azure-native:storage:StorageAccount",
        "sa-bad",
        {
            **sa_common,
            "accountName": "stacmereviewbad",
            "enableHttpsTrafficOnly": False,
            "minimumTlsVersion": "TLS1_0",
            "allowBlobPublicAccess": True,
            "publicNetworkAccess": "Enabled",
            "networkRuleSet": {"defaultAction": "Allow"},
        },
        rid=_az_id("Microsoft.Storage", "storageAccounts/stacmereviewbad"),
    )
    sa_good = res(
        "azure-native:storage:StorageAccount",
        "sa-good",
        {
            **sa_common,
            "accountName": "stacmereviewgood",
            "enableHttpsTrafficOnly": True,
            "minimumTlsVersion": "TLS1_2",
            "allowBlobPublicAccess": False,
            "publicNetworkAccess": "Disabled",
            "networkRuleSet": {"defaultAction": "Deny", "bypass": "AzureServices"},
        },
        rid=_az_id("Microsoft.Storage", "storageAccounts/stacmereviewgood"),
    )
    for check in ("CKV_AZURE_3", "CKV_AZURE_44", "CKV_AZURE_35", "CKV_AZURE_59"):
        cases.append(Case(check, "arm", ("azure-native:storage:StorageAccount",), [sa_bad], [sa_good]))

    c_bad = res(
        "azure-native:storage:BlobContainer",
        "ct-bad",
        {"resourceGroupName": RG, "accountName": "stacmereviewgood", "containerName": "public", "publicAccess": "Blob"},
        rid=_az_id("Microsoft.Storage", "storageAccounts/stacmereviewgood/blobServices/default/containers/public"),
    )
    c_good = res(
        "azure-native:storage:BlobContainer",
        "ct-good",
        {
            "resourceGroupName": RG,
            "accountName": "stacmereviewgood",
            "containerName": "private",
            "publicAccess": "None",
        },
        rid=_az_id("Microsoft.Storage", "storageAccounts/stacmereviewgood/blobServices/default/containers/private"),
    )
    cases.append(Case("CKV_AZURE_34", "arm", ("azure-native:storage:BlobContainer",), [c_bad], [c_good]))

    kv_common = {"resourceGroupName": RG, "location": "westeurope", "tags": TAGS}
    kv_props = {
        "tenantId": "11111111-1111-1111-1111-111111111111",
        "sku": {"family": "A", "name": "premium"},
        "enableRbacAuthorization": True,
    }
    kv_bad = res(
        "azure-native:keyvault:Vault",
        "kv-bad",
        {
            **kv_common,
            "vaultName": "kv-review-bad",
            "properties": {
                **kv_props,
                "enableSoftDelete": True,
                "enablePurgeProtection": False,
                "networkAcls": {"defaultAction": "Allow"},
            },
        },
        rid=_az_id("Microsoft.KeyVault", "vaults/kv-review-bad"),
    )
    kv_good = res(
        "azure-native:keyvault:Vault",
        "kv-good",
        {
            **kv_common,
            "vaultName": "kv-review-good",
            "properties": {
                **kv_props,
                "enableSoftDelete": True,
                "enablePurgeProtection": True,
                "publicNetworkAccess": "Disabled",
                "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices"},
            },
        },
        rid=_az_id("Microsoft.KeyVault", "vaults/kv-review-good"),
    )
    cases.append(Case("CKV_AZURE_42", "arm", ("azure-native:keyvault:Vault",), [kv_bad], [kv_good]))
    cases.append(Case("CKV_AZURE_109", "arm", ("azure-native:keyvault:Vault",), [kv_bad], [kv_good]))

    key_bad = res(
        "azure-native:keyvault:Key",
        "kvk-bad",
        {
            "resourceGroupName": RG,
            "vaultName": "kv-review-good",
            "keyName": "cmk-bad",
            "properties": {"kty": "RSA", "keySize": 3072, "attributes": {"enabled": True}},
        },
        rid=_az_id("Microsoft.KeyVault", "vaults/kv-review-good/keys/cmk-bad"),
    )
    key_good = res(
        "azure-native:keyvault:Key",
        "kvk-good",
        {
            "resourceGroupName": RG,
            "vaultName": "kv-review-good",
            "keyName": "cmk-good",
            "properties": {
                "kty": "RSA-HSM",
                "keySize": 3072,
                "attributes": {"enabled": True},
                "rotationPolicy": {
                    "attributes": {"expiryTime": "P2Y"},
                    "lifetimeActions": [{"action": {"type": "rotate"}, "trigger": {"timeAfterCreate": "P1Y"}}],
                },
            },
        },
        rid=_az_id("Microsoft.KeyVault", "vaults/kv-review-good/keys/cmk-good"),
    )
    cases.append(Case("CKV_AZURE_40", "arm", ("azure-native:keyvault:Key",), [key_bad], [key_good]))
    cases.append(Case("CKV_AZURE_112", "arm", ("azure-native:keyvault:Key",), [key_bad], [key_good]))

    sec_bad = res(
        "azure-native:keyvault:Secret",
        "kvs-bad",
        {
            "resourceGroupName": RG,
            "vaultName": "kv-review-good",
            "secretName": "s-bad",
            "properties": {"value": "[secret]", "contentType": "text/plain"},
        },
        rid=_az_id("Microsoft.KeyVault", "vaults/kv-review-good/secrets/s-bad"),
    )
    sec_good = res(
        "azure-native:keyvault:Secret",
        "kvs-good",
        {
            "resourceGroupName": RG,
            "vaultName": "kv-review-good",
            "secretName": "s-good",
            "properties": {"value": "[secret]", "contentType": "text/plain", "attributes": {"exp": 1893456000}},
        },
        rid=_az_id("Microsoft.KeyVault", "vaults/kv-review-good/secrets/s-good"),
    )
    cases.append(Case("CKV_AZURE_41", "arm", ("azure-native:keyvault:Secret",), [sec_bad], [sec_good]))

    rule = {
        "protocol": "Tcp",
        "sourcePortRange": "*",
        "destinationAddressPrefix": "*",
        "access": "Allow",
        "direction": "Inbound",
        "priority": 100,
    }
    nsg_bad = res(
        "azure-native:network:NetworkSecurityGroup",
        "nsg-bad",
        {
            "resourceGroupName": RG,
            "location": "westeurope",
            "networkSecurityGroupName": "nsg-review-bad",
            "tags": TAGS,
            "securityRules": [{**rule, "name": "ssh", "destinationPortRange": "22", "sourceAddressPrefix": "*"}],
        },
        rid=_az_id("Microsoft.Network", "networkSecurityGroups/nsg-review-bad"),
    )
    nsg_good = res(
        "azure-native:network:NetworkSecurityGroup",
        "nsg-good",
        {
            "resourceGroupName": RG,
            "location": "westeurope",
            "networkSecurityGroupName": "nsg-review-good",
            "tags": TAGS,
            "securityRules": [
                {**rule, "name": "ssh", "destinationPortRange": "22", "sourceAddressPrefix": "10.0.0.0/8"}
            ],
        },
        rid=_az_id("Microsoft.Network", "networkSecurityGroups/nsg-review-good"),
    )
    cases.append(Case("CKV_AZURE_10", "arm", ("azure-native:network:NetworkSecurityGroup",), [nsg_bad], [nsg_good]))

    sr_bad = res(
        "azure-native:network:SecurityRule",
        "sr-bad",
        {
            **rule,
            "resourceGroupName": RG,
            "networkSecurityGroupName": "nsg-review-good",
            "securityRuleName": "rdp",
            "destinationPortRange": "3389",
            "sourceAddressPrefix": "*",
        },
        rid=_az_id("Microsoft.Network", "networkSecurityGroups/nsg-review-good/securityRules/rdp"),
    )
    sr_good = res(
        "azure-native:network:SecurityRule",
        "sr-good",
        {
            **rule,
            "resourceGroupName": RG,
            "networkSecurityGroupName": "nsg-review-good",
            "securityRuleName": "rdp-vnet",
            "destinationPortRange": "3389",
            "sourceAddressPrefix": "VirtualNetwork",
        },
        rid=_az_id("Microsoft.Network", "networkSecurityGroups/nsg-review-good/securityRules/rdp-vnet"),
    )
    cases.append(Case("CKV_AZURE_9", "arm", ("azure-native:network:SecurityRule",), [sr_bad], [sr_good]))

    fl_common = {
        "resourceGroupName": "NetworkWatcherRG",
        "networkWatcherName": "NetworkWatcher_westeurope",
        "location": "westeurope",
        "enabled": True,
        "targetResourceId": nsg_good.id,
        "storageId": sa_good.id,
        "format": {"type": "JSON", "version": 2},
    }
    fl_bad = res(
        "azure-native:network:FlowLog",
        "fl-bad",
        {**fl_common, "flowLogName": "fl-bad", "retentionPolicy": {"days": 30, "enabled": True}},
        rid=_az_id("Microsoft.Network", "networkWatchers/NetworkWatcher_westeurope/flowLogs/fl-bad"),
    )
    fl_good = res(
        "azure-native:network:FlowLog",
        "fl-good",
        {**fl_common, "flowLogName": "fl-good", "retentionPolicy": {"days": 90, "enabled": True}},
        rid=_az_id("Microsoft.Network", "networkWatchers/NetworkWatcher_westeurope/flowLogs/fl-good"),
    )
    cases.append(Case("CKV_AZURE_12", "arm", ("azure-native:network:FlowLog",), [fl_bad], [fl_good]))

    vnet_common = {
        "resourceGroupName": RG,
        "location": "westeurope",
        "tags": TAGS,
        "addressSpace": {"addressPrefixes": ["10.48.0.0/16"]},
        "subnets": [
            {
                "name": "snet-apps",
                "addressPrefix": "10.48.1.0/24",
                "delegations": [{"name": "aci", "serviceName": "Microsoft.ContainerInstance/containerGroups"}],
            }
        ],
    }
    vnet_bad = res(
        "azure-native:network:VirtualNetwork",
        "vnet-bad",
        {**vnet_common, "virtualNetworkName": "vnet-review-bad", "dhcpOptions": {"dnsServers": ["8.8.8.8"]}},
        rid=_az_id("Microsoft.Network", "virtualNetworks/vnet-review-bad"),
    )
    vnet_good = res(
        "azure-native:network:VirtualNetwork",
        "vnet-good",
        {**vnet_common, "virtualNetworkName": "vnet-review-good", "dhcpOptions": {"dnsServers": ["10.48.0.4"]}},
        rid=_az_id("Microsoft.Network", "virtualNetworks/vnet-review-good"),
    )
    cases.append(Case("CKV_AZURE_183", "arm", ("azure-native:network:VirtualNetwork",), [vnet_bad], [vnet_good]))

    aks_common = {
        "resourceGroupName": RG,
        "location": "westeurope",
        "dnsPrefix": "review",
        "tags": TAGS,
        "agentPoolProfiles": [
            {
                "name": "system",
                "count": 1,
                "vmSize": "Standard_D4s_v5",
                "mode": "System",
                "type": "VirtualMachineScaleSets",
                "enableEncryptionAtHost": True,
                "maxPods": 110,
            }
        ],
        "identity": {"type": "SystemAssigned"},
    }
    aks_bad = res(
        "azure-native:containerservice:ManagedCluster",
        "aks-bad",
        {**aks_common, "resourceName": "aks-review-bad", "enableRBAC": False, "disableLocalAccounts": False},
        rid=_az_id("Microsoft.ContainerService", "managedClusters/aks-review-bad"),
    )
    aks_good = res(
        "azure-native:containerservice:ManagedCluster",
        "aks-good",
        {
            **aks_common,
            "resourceName": "aks-review-good",
            "enableRBAC": True,
            "disableLocalAccounts": True,
            "networkProfile": {"networkPlugin": "azure", "networkPolicy": "calico"},
            "apiServerAccessProfile": {"enablePrivateCluster": True},
        },
        rid=_az_id("Microsoft.ContainerService", "managedClusters/aks-review-good"),
    )
    cases.append(Case("CKV_AZURE_5", "arm", ("azure-native:containerservice:ManagedCluster",), [aks_bad], [aks_good]))
    cases.append(Case("CKV_AZURE_141", "arm", ("azure-native:containerservice:ManagedCluster",), [aks_bad], [aks_good]))

    ap_common = {
        "resourceGroupName": RG,
        "resourceName": "aks-review-good",
        "count": 2,
        "vmSize": "Standard_NC24ads_A100_v4",
        "mode": "User",
        "type": "VirtualMachineScaleSets",
        "maxPods": 110,
    }
    ap_bad = res(
        "azure-native:containerservice:AgentPool",
        "ap-bad",
        {**ap_common, "agentPoolName": "gpubad", "enableEncryptionAtHost": False},
        rid=_az_id("Microsoft.ContainerService", "managedClusters/aks-review-good/agentPools/gpubad"),
    )
    ap_good = res(
        "azure-native:containerservice:AgentPool",
        "ap-good",
        {**ap_common, "agentPoolName": "gpugood", "enableEncryptionAtHost": True},
        rid=_az_id("Microsoft.ContainerService", "managedClusters/aks-review-good/agentPools/gpugood"),
    )
    cases.append(Case("CKV_AZURE_227", "arm", ("azure-native:containerservice:AgentPool",), [ap_bad], [ap_good]))

    disk_common = {
        "resourceGroupName": RG,
        "location": "westeurope",
        "diskSizeGB": 64,
        "creationData": {"createOption": "Empty"},
        "sku": {"name": "Premium_LRS"},
        "tags": TAGS,
    }
    disk_bad = res(
        "azure-native:compute:Disk",
        "adisk-bad",
        {**disk_common, "diskName": "disk-review-bad"},
        rid=_az_id("Microsoft.Compute", "disks/disk-review-bad"),
    )
    disk_good = res(
        "azure-native:compute:Disk",
        "adisk-good",
        {
            **disk_common,
            "diskName": "disk-review-good",
            "encryption": {
                "type": "EncryptionAtRestWithCustomerKey",
                "diskEncryptionSetId": _az_id("Microsoft.Compute", "diskEncryptionSets/des-review"),
            },
        },
        rid=_az_id("Microsoft.Compute", "disks/disk-review-good"),
    )
    cases.append(Case("CKV_AZURE_93", "arm", ("azure-native:compute:Disk",), [disk_bad], [disk_good]))
    cases.append(Case("CKV_AZURE_2", "arm", ("azure-native:compute:Disk",), [disk_bad], [disk_good]))

    acr_bad = res(
        "azure-native:containerregistry:Registry",
        "acr-bad",
        {
            "resourceGroupName": RG,
            "location": "westeurope",
            "registryName": "acrreviewbad",
            "sku": {"name": "Premium"},
            "adminUserEnabled": True,
        },
        rid=_az_id("Microsoft.ContainerRegistry", "registries/acrreviewbad"),
    )
    acr_good = res(
        "azure-native:containerregistry:Registry",
        "acr-good",
        {
            "resourceGroupName": RG,
            "location": "westeurope",
            "registryName": "acrreviewgood",
            "sku": {"name": "Premium"},
            "adminUserEnabled": False,
            "publicNetworkAccess": "Disabled",
        },
        rid=_az_id("Microsoft.ContainerRegistry", "registries/acrreviewgood"),
    )
    cases.append(Case("CKV_AZURE_137", "arm", ("azure-native:containerregistry:Registry",), [acr_bad], [acr_good]))

    sql_bad = res(
        "azure-native:sql:Server",
        "asql-bad",
        {
            "resourceGroupName": RG,
            "location": "westeurope",
            "serverName": "sql-review-bad",
            "minimalTlsVersion": "1.0",
            "publicNetworkAccess": "Enabled",
        },
        rid=_az_id("Microsoft.Sql", "servers/sql-review-bad"),
    )
    sql_good = res(
        "azure-native:sql:Server",
        "asql-good",
        {
            "resourceGroupName": RG,
            "location": "westeurope",
            "serverName": "sql-review-good",
            "minimalTlsVersion": "1.2",
            "publicNetworkAccess": "Disabled",
        },
        rid=_az_id("Microsoft.Sql", "servers/sql-review-good"),
    )
    cases.append(Case("CKV_AZURE_113", "arm", ("azure-native:sql:Server",), [sql_bad], [sql_good]))
    cases.append(Case("CKV_AZURE_52", "arm", ("azure-native:sql:Server",), [sql_bad], [sql_good]))

    cos_common = {
        "resourceGroupName": RG,
        "location": "westeurope",
        "databaseAccountOfferType": "Standard",
        "locations": [{"locationName": "westeurope", "failoverPriority": 0}],
    }
    cos_bad = res(
        "azure-native:cosmosdb:DatabaseAccount",
        "cos-bad",
        {**cos_common, "accountName": "cos-review-bad", "publicNetworkAccess": "Enabled"},
        rid=_az_id("Microsoft.DocumentDB", "databaseAccounts/cos-review-bad"),
    )
    cos_good = res(
        "azure-native:cosmosdb:DatabaseAccount",
        "cos-good",
        {**cos_common, "accountName": "cos-review-good", "publicNetworkAccess": "Disabled", "disableLocalAuth": True},
        rid=_az_id("Microsoft.DocumentDB", "databaseAccounts/cos-review-good"),
    )
    cases.append(Case("CKV_AZURE_101", "arm", ("azure-native:cosmosdb:DatabaseAccount",), [cos_bad], [cos_good]))

    mysql_common = {
        "resourceGroupName": RG,
        "location": "westeurope",
        "version": "8.0.21",
        "sku": {"name": "Standard_D2ds_v4", "tier": "GeneralPurpose"},
    }
    my_bad = res(
        "azure-native:dbformysql:Server",
        "my-bad",
        {**mysql_common, "serverName": "my-review-bad", "network": {"publicNetworkAccess": "Enabled"}},
        rid=_az_id("Microsoft.DBforMySQL", "flexibleServers/my-review-bad"),
    )
    my_good = res(
        "azure-native:dbformysql:Server",
        "my-good",
        {**mysql_common, "serverName": "my-review-good", "network": {"publicNetworkAccess": "Disabled"}},
        rid=_az_id("Microsoft.DBforMySQL", "flexibleServers/my-review-good"),
    )
    cases.append(Case("CKV_AZURE_53", "arm", ("azure-native:dbformysql:Server",), [my_bad], [my_good]))

    eh_bad = res(
        "azure-native:eventhub:Namespace",
        "eh-bad",
        {
            "resourceGroupName": RG,
            "location": "westeurope",
            "namespaceName": "eh-review-bad",
            "sku": {"name": "Standard"},
            "minimumTlsVersion": "1.0",
        },
        rid=_az_id("Microsoft.EventHub", "namespaces/eh-review-bad"),
    )
    eh_good = res(
        "azure-native:eventhub:Namespace",
        "eh-good",
        {
            "resourceGroupName": RG,
            "location": "westeurope",
            "namespaceName": "eh-review-good",
            "sku": {"name": "Standard"},
            "minimumTlsVersion": "1.2",
        },
        rid=_az_id("Microsoft.EventHub", "namespaces/eh-review-good"),
    )
    cases.append(Case("CKV_AZURE_223", "arm", ("azure-native:eventhub:Namespace",), [eh_bad], [eh_good]))

    redis_bad = res(
        "azure-native:redis:Redis",
        "redis-bad",
        {
            "resourceGroupName": RG,
            "location": "westeurope",
            "name": "redis-review-bad",
            "sku": {"name": "Premium", "family": "P", "capacity": 1},
            "publicNetworkAccess": "Enabled",
        },
        rid=_az_id("Microsoft.Cache", "redis/redis-review-bad"),
    )
    redis_good = res(
        "azure-native:redis:Redis",
        "redis-good",
        {
            "resourceGroupName": RG,
            "location": "westeurope",
            "name": "redis-review-good",
            "sku": {"name": "Premium", "family": "P", "capacity": 1},
            "publicNetworkAccess": "Disabled",
        },
        rid=_az_id("Microsoft.Cache", "redis/redis-review-good"),
    )
    cases.append(Case("CKV_AZURE_89", "arm", ("azure-native:redis:Redis",), [redis_bad], [redis_good]))

    app_bad = res(
        "azure-native:web:WebApp",
        "app-bad",
        {"resourceGroupName": RG, "location": "westeurope", "name": "app-review-bad", "httpsOnly": False},
        rid=_az_id("Microsoft.Web", "sites/app-review-bad"),
    )
    app_good = res(
        "azure-native:web:WebApp",
        "app-good",
        {"resourceGroupName": RG, "location": "westeurope", "name": "app-review-good", "httpsOnly": True},
        rid=_az_id("Microsoft.Web", "sites/app-review-good"),
    )
    cases.append(Case("CKV_AZURE_14", "arm", ("azure-native:web:WebApp",), [app_bad], [app_good]))

    rd_bad = res(
        "azure-native:authorization:RoleDefinition",
        "rd-bad",
        {
            "scope": f"/subscriptions/{SUB}",
            "roleDefinitionId": "aaaaaaaa-0000-0000-0000-000000000001",
            "roleName": "review-owner",
            "assignableScopes": [f"/subscriptions/{SUB}"],
            "permissions": [{"actions": ["*"]}],
        },
        rid=f"/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/aaaaaaaa-0000-0000-0000-000000000001",
    )
    rd_good = res(
        "azure-native:authorization:RoleDefinition",
        "rd-good",
        {
            "scope": f"/subscriptions/{SUB}",
            "roleDefinitionId": "aaaaaaaa-0000-0000-0000-000000000002",
            "roleName": "review-reader",
            "assignableScopes": [f"/subscriptions/{SUB}"],
            "permissions": [{"actions": ["Microsoft.Storage/storageAccounts/read"]}],
        },
        rid=f"/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/aaaaaaaa-0000-0000-0000-000000000002",
    )
    cases.append(Case("CKV_AZURE_39", "arm", ("azure-native:authorization:RoleDefinition",), [rd_bad], [rd_good]))

    afw_common = {
        "resourceGroupName": RG,
        "location": "westeurope",
        "tags": TAGS,
        "sku": {"name": "AZFW_VNet", "tier": "Standard"},
    }
    afw_bad = res(
        "azure-native:network:AzureFirewall",
        "afw-bad",
        {**afw_common, "azureFirewallName": "afw-bad", "threatIntelMode": "Alert"},
        rid=_az_id("Microsoft.Network", "azureFirewalls/afw-bad"),
    )
    afw_good = res(
        "azure-native:network:AzureFirewall",
        "afw-good",
        {**afw_common, "azureFirewallName": "afw-good", "threatIntelMode": "Deny"},
        rid=_az_id("Microsoft.Network", "azureFirewalls/afw-good"),
    )
    cases.append(Case("CKV_AZURE_216", "arm", ("azure-native:network:AzureFirewall",), [afw_bad], [afw_good]))
    return cases


def all_cases() -> list[Case]:
    return [*aws_cases(), *gcp_cases(), *azure_cases()]


def all_resources(cases: list[Case]) -> list[Resource]:
    seen: dict[str, Resource] = {}
    for case in cases:
        for r in [*case.bad, *case.good]:
            seen.setdefault(r.urn, r)
    return list(seen.values())
