"""Offline stand-ins for what AWS would compute: ids and attributes derived from inputs.

Called by `lz.offline.mocks.DeterministicMocks`. Each function returns `(id, state)` for one resource, the
same every time for the same inputs, shaped like the real value: EC2 ids carry their real prefix
(`vpc-`, `subnet-`, `tgw-attach-`, ...) and 17 hex digits, ARNs name the provider's region and the
account the provider is pinned to. Ids hang on the logical name (unique in a stack and stable when
other resources come and go), never on a counter. `call` answers the data-source invokes the
program makes; an invoke it does not know is an error, never a silent None.

What it does not do: validate inputs as AWS would, or model attributes nobody reads (an attribute
missing here resolves to None offline; add it here when a component starts reading it).
"""

from __future__ import annotations

import re
from typing import Any

from lz.offline.mock_outputs.common import MOCK_ACCOUNT, first, kind_prefix, split_token, stable_uuid

# EC2-style ids: the prefix AWS uses and the ARN resource type that precedes it.
_EC2_IDS: dict[tuple[str, str], tuple[str, str]] = {
    ("ec2", "Vpc"): ("vpc", "vpc"),
    ("ec2", "Subnet"): ("subnet", "subnet"),
    ("ec2", "RouteTable"): ("rtb", "route-table"),
    ("ec2", "RouteTableAssociation"): ("rtbassoc", ""),
    ("ec2", "Route"): ("r", ""),
    ("ec2", "DefaultSecurityGroup"): ("sg", "security-group"),
    ("ec2", "SecurityGroup"): ("sg", "security-group"),
    ("ec2", "FlowLog"): ("fl", "vpc-flow-log"),
    ("ec2", "VpcEndpoint"): ("vpce", "vpc-endpoint"),
    ("ec2", "InternetGateway"): ("igw", "internet-gateway"),
    ("ec2", "NatGateway"): ("nat", "natgateway"),
    ("ec2", "Eip"): ("eipalloc", "elastic-ip"),
    ("ec2", "NetworkAcl"): ("acl", "network-acl"),
    ("ec2", "DefaultNetworkAcl"): ("acl", "network-acl"),
    ("ec2", "CustomerGateway"): ("cgw", "customer-gateway"),
    ("ec2", "VpnConnection"): ("vpn", "vpn-connection"),
    ("ec2", "VpnGateway"): ("vgw", "vpn-gateway"),
    ("ec2", "LaunchTemplate"): ("lt", "launch-template"),
    ("ec2transitgateway", "TransitGateway"): ("tgw", "transit-gateway"),
    ("ec2transitgateway", "VpcAttachment"): ("tgw-attach", "transit-gateway-attachment"),
    ("ec2transitgateway", "PeeringAttachment"): ("tgw-attach", "transit-gateway-attachment"),
    ("ec2transitgateway", "RouteTable"): ("tgw-rtb", "transit-gateway-route-table"),
}


def _hex17(*parts: str) -> str:
    return stable_uuid(*parts).replace("-", "")[:17]


def outputs(token: str, name: str, inputs: dict[str, Any], provider: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    _, service, kind = split_token(token)
    region = inputs.get("region") or provider.get("region") or "us-east-1"
    account = first(provider.get("allowedAccountIds")) or MOCK_ACCOUNT
    physical = inputs.get("name") or inputs.get("bucket") or inputs.get("functionName") or name
    if (service, kind) in _EC2_IDS:
        return _ec2(service, kind, token, name, inputs, region, account)
    if service == "kms" and kind == "Key":
        key_id = stable_uuid(token, name)
        arn = f"arn:aws:kms:{region}:{account}:key/{key_id}"
        return key_id, {**inputs, "arn": arn, "keyId": key_id}
    if service == "kms" and kind == "Alias":
        arn = f"arn:aws:kms:{region}:{account}:{physical}"
        target = inputs.get("targetKeyId")
        state = {**inputs, "arn": arn}
        if isinstance(target, str) and target:
            key_arn = f"arn:aws:kms:{region}:{account}:key/{target}"
            state["targetKeyArn"] = target if target.startswith("arn:") else key_arn
        return physical, state
    if service == "s3" and kind in ("Bucket", "BucketV2"):
        return physical, {
            **inputs,
            "arn": f"arn:aws:s3:::{physical}",
            "bucket": physical,
            "region": region,
            "bucketDomainName": f"{physical}.s3.amazonaws.com",
            "bucketRegionalDomainName": f"{physical}.s3.{region}.amazonaws.com",
            "hostedZoneId": "Z1BKCTXD74EZPE",
        }
    if service == "s3":
        # Bucket sub-resources (policy, encryption, versioning, ...) are identified by their bucket.
        return str(inputs.get("bucket") or physical), {**inputs}
    if service == "iam" and kind == "RolePolicy":
        role = inputs.get("role") or "role"
        return f"{role}:{physical}", {**inputs, "name": physical}
    if service == "iam" and kind == "RolePolicyAttachment":
        return f"{inputs.get('role', 'role')}-{_hex17(token, name)}", {**inputs}
    if service == "iam":
        arn = f"arn:aws:iam::{account}:{kind[0].lower() + kind[1:]}/{physical}"
        state = {**inputs, "arn": arn, "name": physical}
        if kind == "Role":
            state["uniqueId"] = "AROA" + _hex17(token, name).upper()
        return physical, state
    if service == "cloudwatch" and kind == "LogGroup":
        arn = f"arn:aws:logs:{region}:{account}:log-group:{physical}"
        return physical, {**inputs, "arn": arn, "name": physical}
    if service == "cloudtrail" and kind == "Trail":
        arn = f"arn:aws:cloudtrail:{region}:{account}:trail/{physical}"
        return arn, {**inputs, "arn": arn, "name": physical, "homeRegion": region}
    short = re.sub(r"(?<!^)(?=[A-Z])", "-", kind).lower()
    resource_id = f"{kind_prefix(kind)}-{_hex17(token, name)}"
    arn = f"arn:aws:{service}:{region}:{account}:{short}/{resource_id}"
    return resource_id, {**inputs, "arn": arn}


def _ec2(
    service: str, kind: str, token: str, name: str, inputs: dict[str, Any], region: str, account: str
) -> tuple[str, dict[str, Any]]:
    prefix, arn_type = _EC2_IDS[(service, kind)]
    digits = _hex17(token, name)
    resource_id = f"{prefix}-{digits}"
    state: dict[str, Any] = {**inputs}
    if arn_type:
        state["arn"] = f"arn:aws:ec2:{region}:{account}:{arn_type}/{resource_id}"
        state["ownerId"] = account
    if kind == "Vpc":
        state.update(
            {
                "defaultSecurityGroupId": f"sg-{_hex17('default-sg', token, name)}",
                "defaultRouteTableId": f"rtb-{_hex17('main-rtb', token, name)}",
                "mainRouteTableId": f"rtb-{_hex17('main-rtb', token, name)}",
                "defaultNetworkAclId": f"acl-{_hex17('default-acl', token, name)}",
                "dhcpOptionsId": f"dopt-{_hex17('dhcp', token, name)}",
            }
        )
    elif kind == "Subnet":
        zone = str(inputs.get("availabilityZone") or f"{region}a")
        # Zone ids are per account in reality; a stable stand-in of the real shape is enough here.
        state["availabilityZoneId"] = f"{_zone_id_prefix(region)}-az{ord(zone[-1]) - ord('a') + 1}"
    elif kind == "VpcEndpoint":
        state["prefixListId"] = f"pl-{digits[:8]}"
        state["state"] = "available"
    elif kind == "TransitGateway":
        state["associationDefaultRouteTableId"] = f"tgw-rtb-{_hex17('association', token, name)}"
        state["propagationDefaultRouteTableId"] = f"tgw-rtb-{_hex17('association', token, name)}"
    elif kind == "VpcAttachment":
        state["vpcOwnerId"] = account
    return resource_id, state


def _zone_id_prefix(region: str) -> str:
    parts = region.split("-")
    if len(parts) < 3:
        return region
    return parts[0] + parts[1][0] + parts[2]  # eu-west-1 -> euw1, as AWS zone ids read


def call(token: str, args: dict[str, Any], provider: dict[str, Any]) -> dict[str, Any] | None:
    if token == "aws:index/getCallerIdentity:getCallerIdentity":
        account = first(provider.get("allowedAccountIds")) or MOCK_ACCOUNT
        return {"accountId": account, "arn": f"arn:aws:iam::{account}:root", "userId": account, "id": account}
    if token == "aws:iam/getRoles:getRoles":
        # The role IAM Identity Center provisions for a permission set: AWSReservedSSO_<set>_<16 hex>,
        # under /aws-reserved/sso.amazonaws.com/ (the suffix here is a stable hash, never a real one).
        account = first(provider.get("allowedAccountIds")) or MOCK_ACCOUNT
        pattern = str(args.get("nameRegex") or "")
        base = pattern.removeprefix("^").split("_[0-9a-f]", 1)[0]
        name = f"{base}_{stable_uuid(pattern).replace('-', '')[:16]}"
        path = str(args.get("pathPrefix") or "/")
        arn = f"arn:aws:iam::{account}:role{path}{name}"
        return {"arns": [arn], "names": [name], "id": account, "nameRegex": pattern, "pathPrefix": path}
    if token == "aws:index/getPartition:getPartition":
        return {"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws"}
    if token == "aws:index/getRegion:getRegion":
        region = provider.get("region") or "us-east-1"
        return {
            "name": region,
            "region": region,
            "id": region,
            "endpoint": f"ec2.{region}.amazonaws.com",
            "description": region,
        }
    return None
