"""Which input changes make a provider replace a resource (delete and create) rather than update it.

Nothing is online here, so the providers cannot be asked at plan time. The bridged providers
(pulumi-aws, pulumi-gcp) replace a resource when an input whose Terraform schema says
`ForceNew: true` changes; the Pulumi Python SDKs do not carry that flag, so the inputs are listed
per type below from the Terraform providers' resource schemas (hashicorp/terraform-provider-aws
`internal/service/*`, hashicorp/terraform-provider-google `google/services/*`, `ForceNew: true`,
read 2026-12). azure-native replaces a resource when a parameter of its ARM resource path (the
`...Name` inputs) or its `location` changes (azure-native metadata `replaceOnChanges`; ARM cannot
move a resource, docs "Move resources to a new resource group or subscription" and "Resource
location" — a location is fixed at creation). `random` resources are replaced on any input change
(terraform-provider-random: every argument is `RequiresReplace`).

`IMMUTABLE` types are replaced on any input change except tags (an ECS task definition revision,
a KMS grant, a flow log, an SSO assignment cannot be edited).

A type in none of the tables falls back to `FALLBACK_KEYS`: the inputs that name or place a
resource, which every provider treats as its identity.

What it does not do: nested inputs (a change anywhere inside a top-level input that holds a
ForceNew nested field is judged by the top-level key only, from the table), or `ignoreChanges`.
"""

from __future__ import annotations

from collections.abc import Iterable

FALLBACK_KEYS = frozenset(
    {
        "name",
        "bucket",
        "location",
        "region",
        "project",
        "resourceGroupName",
        "zone",
        "availabilityZone",
        "cidrBlock",
        "ipv6CidrBlock",
        "vpcId",
        "keyRing",
        "network",
        "cluster",
        "clusterName",
        "engine",
        "identifier",
        "clusterIdentifier",
        "datasetId",
        "bucketId",
        "accountId",
        "keyName",
        "vaultName",
        "subnetId",
        "transitGatewayId",
        "dbName",
        "databaseName",
    }
)

_TAGS = frozenset({"tags", "tagsAll", "labels"})

IMMUTABLE = frozenset(
    {
        "aws:ecs/taskDefinition:TaskDefinition",  # every argument but tags is ForceNew: a change is a new revision
        "aws:kms/grant:Grant",
        "aws:ec2/flowLog:FlowLog",
        "aws:ssoadmin/accountAssignment:AccountAssignment",
        "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "gcp:compute/vPNTunnel:VPNTunnel",
        "gcp:compute/externalVpnGateway:ExternalVpnGateway",
        "gcp:kms/keyRing:KeyRing",
        "gcp:projects/iAMMember:IAMMember",
        "gcp:projects/service:Service",
        "gcp:secretmanager/secretVersion:SecretVersion",
        "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
        "gcp:secretmanager/secretIamMember:SecretIamMember",
    }
)

FORCE_NEW: dict[str, frozenset[str]] = {
    k: frozenset(v)
    for k, v in {
        # aws (terraform-provider-aws)
        "aws:s3/bucket:Bucket": {"bucket", "bucketPrefix", "objectLockEnabled"},
        "aws:kms/key:Key": {"customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"},
        "aws:kms/alias:Alias": {"name", "namePrefix"},
        "aws:cloudtrail/trail:Trail": {"name"},
        "aws:cloudwatch/logGroup:LogGroup": {"name", "namePrefix", "logGroupClass"},
        "aws:ssm/parameter:Parameter": {"name"},
        "aws:eks/cluster:Cluster": {"name", "roleArn", "bootstrapSelfManagedAddons", "outpostConfig"},
        "aws:eks/nodeGroup:NodeGroup": {
            "clusterName",
            "nodeGroupName",
            "nodeGroupNamePrefix",
            "nodeRoleArn",
            "subnetIds",
            "amiType",
            "capacityType",
            "diskSize",
            "instanceTypes",
            "remoteAccess",
        },
        "aws:ecs/cluster:Cluster": {"name"},
        "aws:ecs/service:Service": {"name", "cluster", "launchType", "iamRole", "schedulingStrategy"},
        "aws:ec2/vpc:Vpc": {"cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"},
        "aws:ec2/subnet:Subnet": {"vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId", "outpostArn"},
        "aws:ec2/securityGroup:SecurityGroup": {"name", "namePrefix", "vpcId", "description"},
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": {"vpcId"},
        "aws:ec2/routeTable:RouteTable": {"vpcId"},
        "aws:ec2/route:Route": {
            "routeTableId",
            "destinationCidrBlock",
            "destinationIpv6CidrBlock",
            "destinationPrefixListId",
        },
        "aws:ec2/routeTableAssociation:RouteTableAssociation": {"subnetId", "gatewayId"},
        "aws:ec2/customerGateway:CustomerGateway": {
            "bgpAsn",
            "bgpAsnExtended",
            "ipAddress",
            "type",
            "certificateArn",
            "deviceName",
        },
        "aws:ec2/vpnConnection:VpnConnection": {
            "type",
            "staticRoutesOnly",
            "tunnel1InsideCidr",
            "tunnel2InsideCidr",
            "tunnel1InsideIpv6Cidr",
            "tunnel2InsideIpv6Cidr",
            "tunnelInsideIpVersion",
            "outsideIpAddressType",
            "transportTransitGatewayAttachmentId",
        },
        "aws:ec2/vpcEndpoint:VpcEndpoint": {"vpcId", "serviceName", "vpcEndpointType", "serviceRegion"},
        "aws:ec2/launchTemplate:LaunchTemplate": {"name", "namePrefix"},
        "aws:ec2transitgateway/transitGateway:TransitGateway": {"amazonSideAsn"},
        "aws:ec2transitgateway/vpcAttachment:VpcAttachment": {"vpcId", "transitGatewayId"},
        "aws:iam/role:Role": {"name", "namePrefix", "path"},
        "aws:iam/rolePolicy:RolePolicy": {"role", "name", "namePrefix"},
        "aws:ssoadmin/permissionSet:PermissionSet": {"instanceArn", "name"},
        "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy": {"instanceArn", "permissionSetArn"},
        "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": {"name", "vpc"},
        "aws:servicediscovery/service:Service": {"name", "namespaceId"},
        "aws:s3/bucketPolicy:BucketPolicy": {"bucket"},
        "aws:s3/bucketVersioning:BucketVersioning": {"bucket", "expectedBucketOwner"},
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {"bucket"},
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls": {"bucket"},
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": {"bucket", "expectedBucketOwner"},
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
            "bucket",
            "expectedBucketOwner",
        },
        "aws:xray/encryptionConfig:EncryptionConfig": set(),
        # gcp (terraform-provider-google)
        "gcp:kms/cryptoKey:CryptoKey": {
            "name",
            "keyRing",
            "purpose",
            "importOnly",
            "skipInitialVersionCreation",
            "cryptoKeyBackend",
            "destroyScheduledDuration",
        },
        "gcp:container/cluster:Cluster": {
            "name",
            "location",
            "project",
            "network",
            "subnetwork",
            "ipAllocationPolicy",
            "privateClusterConfig",
            "enableAutopilot",
            "initialNodeCount",
            "datapathProvider",
            "defaultMaxPodsPerNode",
            "nodeLocations",
        },
        "gcp:container/nodePool:NodePool": {
            "name",
            "namePrefix",
            "cluster",
            "location",
            "project",
            "nodeConfig",
            "initialNodeCount",
            "maxPodsPerNode",
            "networkConfig",
        },
        "gcp:logging/projectBucketConfig:ProjectBucketConfig": {"bucketId", "location", "project"},
        "gcp:logging/projectSink:ProjectSink": {"name", "project"},
        "gcp:secretmanager/secret:Secret": {"secretId", "project", "replication"},
        "gcp:compute/network:Network": {
            "name",
            "project",
            "autoCreateSubnetworks",
            "mtu",
            "enableUlaInternalIpv6",
            "internalIpv6Range",
        },
        "gcp:compute/subnetwork:Subnetwork": {
            "name",
            "network",
            "region",
            "project",
            "purpose",
            "reservedInternalRange",
        },
        "gcp:compute/firewall:Firewall": {"name", "network", "project", "direction"},
        "gcp:compute/route:Route": {
            "name",
            "network",
            "project",
            "destRange",
            "priority",
            "nextHopGateway",
            "nextHopIp",
            "nextHopInstance",
            "nextHopVpnTunnel",
            "nextHopIlb",
            "tags",
        },
        "gcp:compute/router:Router": {"name", "network", "region", "project"},
        "gcp:compute/routerInterface:RouterInterface": {
            "name",
            "router",
            "region",
            "project",
            "ipRange",
            "vpnTunnel",
            "interconnectAttachment",
            "subnetwork",
            "privateIpAddress",
        },
        "gcp:compute/routerPeer:RouterPeer": {"name", "router", "region", "project", "interface"},
        "gcp:compute/haVpnGateway:HaVpnGateway": {"name", "network", "region", "project", "stackType", "vpnInterfaces"},
        "gcp:dns/managedZone:ManagedZone": {"name", "dnsName", "project", "visibility"},
        "gcp:dns/recordSet:RecordSet": {"name", "type", "managedZone", "project"},
        "gcp:projects/iAMCustomRole:IAMCustomRole": {"roleId", "project"},
        "gcp:projects/iAMAuditConfig:IAMAuditConfig": {"service", "project"},
        "gcp:projects/serviceIdentity:ServiceIdentity": {"service", "project"},
        "gcp:serviceaccount/account:Account": {"accountId", "project"},
        "gcp:cloudrunv2/service:Service": {"name", "location", "project"},
    }.items()
}

# A type's tags (and labels) never force a replacement, even on immutable types.
_TAGS_NEVER = _TAGS


def replace_keys(type_: str, changed: Iterable[str]) -> list[str]:
    """Of the changed top-level inputs of a resource of `type_`, those that make its provider replace it."""
    keys = sorted(set(changed))
    package = type_.split(":", 1)[0]
    if type_ in IMMUTABLE or package == "random":
        return [k for k in keys if k not in _TAGS_NEVER]
    if type_ in FORCE_NEW:
        return [k for k in keys if k in FORCE_NEW[type_]]
    if package == "azure-native":
        return [k for k in keys if k == "location" or k.endswith("Name")]
    return [k for k in keys if k in FALLBACK_KEYS]
