"""pulumi-aws and pulumi-gcp resources as a Terraform plan (`terraform show -json`), for checkov.

Both SDKs are generated from the Terraform providers by Pulumi's bridge, so every resource has a
Terraform twin; this module undoes the bridge's renames:

- the type token becomes the Terraform type: `aws:s3/bucket:Bucket` -> `aws_s3_bucket`,
  `gcp:kms/cryptoKey:CryptoKey` -> `google_kms_crypto_key` (a rule per package and module, and a table
  of the names the rule gets wrong, e.g. `aws:ec2/vpc:Vpc` -> `aws_vpc`, `aws:rds/instance:Instance` ->
  `aws_db_instance`);
- property names go from camelCase to snake_case, and list-of-block names the bridge pluralised go
  back to the singular Terraform block name (`rules` -> `rule`, `allows` -> `allow`);
- a nested block the bridge flattened to one object (Terraform `MaxItems: 1`) becomes a one-element
  list again. Whether an object-valued input is such a block or a map (`tags`, `labels`) is read from
  the SDK's own type annotations, so the two are never confused;
- an input holding another graph resource's id, ARN or self link becomes a `references` expression
  under `configuration` (and is left out of the planned values, as Terraform leaves values unknown
  until apply), so checkov's graph checks connect e.g. a bucket to its encryption configuration.

The document has `planned_values`, `resource_changes` (every resource is a `create`) and
`configuration`; the map it returns takes a Terraform address back to the Pulumi URN.

What it does not do: model computed attributes, provider default tags, or resources of other
packages (azure-native goes through `lz.review.bridge.arm`); a type whose Terraform name cannot be
derived is left out and listed by `unmapped`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lz.core.graph import Resource
from lz.review.bridge import SdkClass, is_infrastructure, read_source, sdk_class, snake, split_token

FORMAT_VERSION = "1.2"
TERRAFORM_VERSION = "1.9.8"  # the plan format checkov parses; no Terraform binary is involved

PROVIDERS = {
    "aws": ("aws", "registry.terraform.io/hashicorp/aws"),
    "gcp": ("google", "registry.terraform.io/hashicorp/google"),
}

# Tokens whose Terraform name neither rule below produces. Checked against the providers' names in
# tests/review/test_checkov_bridge.py (every type the example stack emits must be one checkov knows).
TYPE_OVERRIDES: dict[str, str] = {
    "aws:cloudtrail/trail:Trail": "aws_cloudtrail",
    "aws:cfg/recorder:Recorder": "aws_config_configuration_recorder",
    "aws:cfg/recorderStatus:RecorderStatus": "aws_config_configuration_recorder_status",
    "aws:cfg/rule:Rule": "aws_config_config_rule",
    "aws:codepipeline/pipeline:Pipeline": "aws_codepipeline",
    "aws:directconnect/linkAggregationGroup:LinkAggregationGroup": "aws_dx_lag",
    "aws:ec2/dedicatedHost:DedicatedHost": "aws_ec2_host",
    "aws:ec2/networkInterfaceSecurityGroupAttachment:NetworkInterfaceSecurityGroupAttachment": "aws_network_interface_sg_attachment",
    "aws:ec2/peeringConnectionOptions:PeeringConnectionOptions": "aws_vpc_peering_connection_options",
    "aws:ec2/securityGroupAssociation:SecurityGroupAssociation": "aws_vpc_endpoint_security_group_association",
    "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple": "aws_vpc_endpoint_service_allowed_principal",
    "aws:ec2transitgateway/transitGateway:TransitGateway": "aws_ec2_transit_gateway",
    "aws:ec2transitgateway/instanceState:InstanceState": "aws_ec2_instance_state",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "aws_iam_openid_connect_provider",
    "aws:lb/loadBalancer:LoadBalancer": "aws_lb",
    "aws:alb/loadBalancer:LoadBalancer": "aws_alb",
    "aws:rds/roleAssociation:RoleAssociation": "aws_db_instance_role_association",
    "aws:rds/clusterSnapshot:ClusterSnapshot": "aws_db_cluster_snapshot",
    "aws:s3/bucketObjectv2:BucketObjectv2": "aws_s3_object",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": "aws_s3_bucket_replication_configuration",
    "aws:s3/analyticsConfiguration:AnalyticsConfiguration": "aws_s3_bucket_analytics_configuration",
    "aws:s3/inventory:Inventory": "aws_s3_bucket_inventory",
    "aws:datasync/s3Location:S3Location": "aws_datasync_location_s3",
    "aws:datasync/efsLocation:EfsLocation": "aws_datasync_location_efs",
    "aws:datasync/nfsLocation:NfsLocation": "aws_datasync_location_nfs",
    "aws:apigateway/response:Response": "aws_api_gateway_gateway_response",
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": "aws_kinesis_firehose_delivery_stream",
    "aws:elb/loadBalancer:LoadBalancer": "aws_elb",
    "aws:elb/appCookieStickinessPolicy:AppCookieStickinessPolicy": "aws_app_cookie_stickiness_policy",
    "aws:elb/loadBalancerCookieStickinessPolicy:LoadBalancerCookieStickinessPolicy": "aws_lb_cookie_stickiness_policy",
    "aws:elb/loadBalancerBackendServerPolicy:LoadBalancerBackendServerPolicy": "aws_load_balancer_backend_server_policy",
    "aws:elb/loadBalancerPolicy:LoadBalancerPolicy": "aws_load_balancer_policy",
    "aws:elb/listenerPolicy:ListenerPolicy": "aws_load_balancer_listener_policy",
    "aws:elb/sslNegotiationPolicy:SslNegotiationPolicy": "aws_lb_ssl_negotiation_policy",
    "aws:codedeploy/application:Application": "aws_codedeploy_app",
    "aws:appsync/dataSource:DataSource": "aws_appsync_datasource",
    "aws:appsync/graphQLApi:GraphQLApi": "aws_appsync_graphql_api",
    "aws:ec2/capacityBlockReservation:CapacityBlockReservation": "aws_ec2_capacity_block_reservation",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": "aws_sqs_queue_redrive_allow_policy",
    "aws:sqs/redrivePolicy:RedrivePolicy": "aws_sqs_queue_redrive_policy",
    "aws:ses/mailFrom:MailFrom": "aws_ses_domain_mail_from",
    "aws:appconfig/eventIntegration:EventIntegration": "aws_appintegrations_event_integration",
    "aws:directoryservice/serviceRegion:ServiceRegion": "aws_directory_service_region",
    "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment": "aws_cognito_identity_pool_roles_attachment",
    "aws:codeartifact/domainPermissions:DomainPermissions": "aws_codeartifact_domain_permissions_policy",
    "aws:controltower/controlTowerControl:ControlTowerControl": "aws_controltower_control",
    "aws:autoscaling/tag:Tag": "aws_autoscaling_group_tag",
    "aws:account/alternativeContact:AlternativeContact": "aws_account_alternate_contact",
    "aws:route53/hostedZoneDnsSec:HostedZoneDnsSec": "aws_route53_hosted_zone_dnssec",
    "aws:route53/resolverDnsSecConfig:ResolverDnsSecConfig": "aws_route53_resolver_dnssec_config",
    "aws:guardduty/iPSet:IPSet": "aws_guardduty_ipset",
    "aws:guardduty/threatIntelSet:ThreatIntelSet": "aws_guardduty_threatintelset",
    "aws:cloudcontrol/resource:Resource": "aws_cloudcontrolapi_resource",
    "aws:cloudformation/cloudFormationType:CloudFormationType": "aws_cloudformation_type",
    "aws:licensemanager/licenseGrant:LicenseGrant": "aws_licensemanager_grant",
    "aws:licensemanager/licenseGrantAccepter:LicenseGrantAccepter": "aws_licensemanager_grant_accepter",
    "aws:location/routeCalculation:RouteCalculation": "aws_location_route_calculator",
    "aws:sns/dataProtectionPolicy:DataProtectionPolicy": "aws_sns_topic_data_protection_policy",
    "aws:iam/sshKey:SshKey": "aws_iam_user_ssh_key",
    "aws:ec2transitgateway/instanceConnectEndpoint:InstanceConnectEndpoint": "aws_ec2_instance_connect_endpoint",
    "aws:bcmdata/export:Export": "aws_bcmdataexports_export",
    "aws:rds/instanceDesiredState:InstanceDesiredState": "aws_rds_instance_state",
    "aws:cloudwatch/internetMonitor:InternetMonitor": "aws_internetmonitor_monitor",
    "aws:directconnect/hostedTransitVirtualInterfaceAcceptor:HostedTransitVirtualInterfaceAcceptor": "aws_dx_hosted_transit_virtual_interface_accepter",
    "aws:datasync/locationFsxLustre:LocationFsxLustre": "aws_datasync_location_fsx_lustre_file_system",
    "aws:datasync/locationFsxWindows:LocationFsxWindows": "aws_datasync_location_fsx_windows_file_system",
    "aws:datasync/fsxOpenZfsFileSystem:FsxOpenZfsFileSystem": "aws_datasync_location_fsx_openzfs_file_system",
    "gcp:organizations/project:Project": "google_project",
    "gcp:organizations/folder:Folder": "google_folder",
    "gcp:organizations/policy:Policy": "google_organization_policy",
    "gcp:serviceaccount/account:Account": "google_service_account",
    "gcp:storage/defaultObjectACL:DefaultObjectACL": "google_storage_default_object_acl",
    "gcp:compute/sSLPolicy:SSLPolicy": "google_compute_ssl_policy",
    "gcp:compute/sSLCertificate:SSLCertificate": "google_compute_ssl_certificate",
    "gcp:certificateauthority/authority:Authority": "google_privateca_certificate_authority",
    "gcp:vertex/aiFeatureStore:AiFeatureStore": "google_vertex_ai_featurestore",
    "gcp:vertex/aiFeatureStoreEntityType:AiFeatureStoreEntityType": "google_vertex_ai_featurestore_entitytype",
    "gcp:vertex/aiFeatureStoreEntityTypeFeature:AiFeatureStoreEntityTypeFeature": "google_vertex_ai_featurestore_entitytype_feature",
}

# Module -> Terraform prefix where it is not `<provider>_<module>_`. Most pulumi-gcp module names are
# the Terraform product name with its underscores dropped (`secretmanager` is `secret_manager`).
_MODULE_PREFIX: dict[tuple[str, str], str] = {
    ("aws", "ec2"): "aws_",
    ("aws", "ec2transitgateway"): "aws_ec2_transit_gateway_",
    ("aws", "ec2clientvpn"): "aws_ec2_client_vpn_",
    ("aws", "cfg"): "aws_config_",
    ("aws", "directconnect"): "aws_dx_",
    ("aws", "apigateway"): "aws_api_gateway_",
    ("aws", "cloudhsmv2"): "aws_cloudhsm_v2_",
    ("aws", "rds"): "aws_db_",
    ("aws", "costexplorer"): "aws_ce_",
    ("aws", "amp"): "aws_prometheus_",
    ("aws", "resourceexplorer"): "aws_resourceexplorer2_",
    ("aws", "bedrockmodel"): "aws_bedrock_model_",
    ("aws", "directoryservice"): "aws_directory_service_",
    ("aws", "elasticbeanstalk"): "aws_elastic_beanstalk_",
    ("aws", "mediaconvert"): "aws_media_convert_",
    ("aws", "mediapackage"): "aws_media_package_",
    ("aws", "mediastore"): "aws_media_store_",
    ("aws", "servicediscovery"): "aws_service_discovery_",
    ("aws", "route53recoverycontrol"): "aws_route53recoverycontrolconfig_",
    ("aws", "macie"): "aws_macie2_",
    ("aws", "mediapackagev2"): "aws_media_packagev2_",
    ("gcp", "projects"): "google_project_",
    ("gcp", "organizations"): "google_organization_",
    ("gcp", "serviceaccount"): "google_service_account_",
    ("gcp", "cloudrun"): "google_cloud_run_",
    ("gcp", "cloudrunv2"): "google_cloud_run_v2_",
    ("gcp", "cloudfunctionsv2"): "google_cloudfunctions2_",
    ("gcp", "certificateauthority"): "google_privateca_",
    ("gcp", "securitycenter"): "google_scc_",
    ("gcp", "diagflow"): "google_dialogflow_",
    **{
        ("gcp", module.replace("_", "")): f"google_{module}_"
        for module in (
            "access_context_manager",
            "active_directory",
            "app_engine",
            "artifact_registry",
            "assured_workloads",
            "bigquery_analytics_hub",
            "bigquery_datapolicy",
            "binary_authorization",
            "blockchain_node_engine",
            "certificate_manager",
            "cloud_asset",
            "cloud_identity",
            "cloud_ids",
            "cloud_scheduler",
            "cloud_tasks",
            "container_analysis",
            "database_migration_service",
            "data_catalog",
            "data_fusion",
            "data_loss",
            "deployment_manager",
            "developer_connect",
            "discovery_engine",
            "essential_contacts",
            "gke_backup",
            "gke_hub",
            "identity_platform",
            "integration_connectors",
            "managed_kafka",
            "migration_center",
            "network_connectivity",
            "network_management",
            "network_security",
            "network_services",
            "oracle_database",
            "org_policy",
            "os_config",
            "os_login",
            "privileged_access_manager",
            "resource_manager",
            "secret_manager",
            "secure_source_manager",
            "service_networking",
            "site_verification",
            "vpc_access",
        )
    },
}

# Kinds whose own leading word is part of the Terraform product name: `aws:bedrock/agentKnowledgeBase:...`
# is `aws_bedrockagent_knowledge_base`. Longest prefix first.
_KIND_PREFIX: dict[tuple[str, str, str], str] = {
    ("aws", "bedrock", "Agentcore"): "aws_bedrockagentcore_",
    ("aws", "bedrock", "Agent"): "aws_bedrockagent_",
    ("aws", "opensearch", "Serverless"): "aws_opensearchserverless_",
    ("aws", "lex", "V2models"): "aws_lexv2models_",
    ("aws", "chime", "Sdkvoice"): "aws_chimesdkvoice_",
    ("aws", "route53", "Profiles"): "aws_route53profiles_",
    ("aws", "servicecatalog", "Appregistry"): "aws_servicecatalogappregistry_",
    ("aws", "ssm", "Contacts"): "aws_ssmcontacts_",
    ("aws", "ssm", "Incidents"): "aws_ssmincidents_",
    ("aws", "ssm", "Quicksetup"): "aws_ssmquicksetup_",
    ("aws", "pinpoint", "Smsvoicev2"): "aws_pinpointsmsvoicev2_",
    ("aws", "cloudfront", "Keyvaluestore"): "aws_cloudfrontkeyvaluestore_",
    ("aws", "docdb", "Elastic"): "aws_docdbelastic_",
    ("aws", "fsx", "OpenZfs"): "aws_fsx_openzfs_",
}

# EC2 kinds whose Terraform name keeps the `ec2_` the module rule drops.
_EC2_KEEP_PREFIX = frozenset(
    {
        "AvailabilityZoneGroup",
        "CapacityReservation",
        "CarrierGateway",
        "Fleet",
        "LocalGatewayRoute",
        "LocalGatewayRouteTableVpcAssociation",
        "ManagedPrefixList",
        "ManagedPrefixListEntry",
        "NetworkInsightsAnalysis",
        "NetworkInsightsPath",
        "SerialConsoleAccess",
        "SubnetCidrReservation",
        "Tag",
        "TrafficMirrorFilter",
        "TrafficMirrorFilterRule",
        "TrafficMirrorSession",
        "TrafficMirrorTarget",
        "InstanceMetadataDefaults",
        "ImageBlockPublicAccess",
        "DefaultCreditSpecification",
    }
)
# RDS kinds named `aws_rds_*` rather than `aws_db_*`.
_RDS_CLUSTER_KINDS = frozenset(
    {
        "Cluster",
        "ClusterActivityStream",
        "ClusterEndpoint",
        "ClusterInstance",
        "ClusterParameterGroup",
        "ClusterRoleAssociation",
        "GlobalCluster",
        "ExportTask",
        "ReservedInstance",
        "Integration",
        "ShardGroup",
        "Certificate",
        "ClusterSnapshotCopy",
        "CustomDbEngineVersion",
    }
)

# Terraform block names that are already plural, so the bridge kept them as they are.
_PLURAL_BLOCKS = frozenset(
    {
        "cors",
        "database_flags",
        "authorized_networks",
        "cidr_blocks",
        "exclusions",
        "advertised_ip_ranges",
        "networks",
        "block_device_mappings",
        "network_interfaces",
        "tag_specifications",
        "elastic_gpu_specifications",
        "elastic_inference_accelerators",
    }
)

# Lists of scalars whose Terraform name is singular (the bridge pluralised them), per Terraform type.
_SINGULAR_LISTS: dict[str, frozenset[str]] = {
    "google_storage_bucket": frozenset({"origins", "methods", "responseHeaders"}),
}

# Keys whose object value is a map, for resources whose SDK class cannot be read.
_MAP_KEYS = frozenset(
    {
        "tags",
        "tagsAll",
        "labels",
        "effectiveLabels",
        "terraformLabels",
        "resourceLabels",
        "userLabels",
        "metadata",
        "parameters",
        "variables",
        "environment",
        "nodeLabels",
        "resourceManagerTags",
        "annotations",
        "attributes",
        "properties",
        "context",
        "defaultTags",
    }
)

_ADDRESS_NAME = re.compile(r"[^A-Za-z0-9_]")
_ASSET_SIG = "4dabf18193072939515e22adb298388d"


def terraform_type(token: str) -> str | None:
    """The Terraform resource type of a pulumi-aws or pulumi-gcp type token, or None."""
    if is_infrastructure(token):
        return None
    if token in TYPE_OVERRIDES:
        return TYPE_OVERRIDES[token]
    pkg, module, kind = split_token(token)
    if pkg not in PROVIDERS or not module or not kind:
        return None
    provider = PROVIDERS[pkg][0]
    if pkg == "aws" and module == "s3" and kind.endswith("V2"):
        kind = kind[:-2]  # the V2 kinds are the deprecated aliases of the same Terraform resources
    if pkg == "aws" and module == "ec2" and kind in _EC2_KEEP_PREFIX:
        return f"aws_ec2_{snake(kind)}"
    if pkg == "aws" and module == "rds" and kind in _RDS_CLUSTER_KINDS:
        return f"aws_rds_{snake(kind)}"
    for (kpkg, kmodule, lead), kprefix in _KIND_PREFIX.items():
        if (kpkg, kmodule) == (pkg, module) and kind.startswith(lead) and kind[len(lead) :][:1].isupper():
            return kprefix + snake(kind[len(lead) :])
    prefix = _MODULE_PREFIX.get((pkg, module), f"{provider}_{snake(module)}_")
    return prefix + snake(kind)


# --- the SDK's own idea of each property: scalar, list, map, one block or a list of blocks -----------


@dataclass(frozen=True)
class _Field:
    kind: str  # "scalar" | "list" | "map" | "block" | "blocks"
    args: tuple[str, str] | None = None  # (file, class name) of the SDK's *Args class of a block


_ARGS_REF = re.compile(r"'(?:[\w]+\.)*(\w+Args)'")
_PARAM = re.compile(r"^\s*(\w+): (.+?)(?: = None)?\)?,?$")


def _classify(annotation: str, cls: SdkClass) -> _Field:
    """Read a generated annotation: `Sequence[...'XArgs'...]` is a list of blocks, `Mapping[` a map, ..."""
    seq, mapping = annotation.find("Sequence["), annotation.find("Mapping[")
    args = _ARGS_REF.search(annotation)
    marks = [
        (i, name) for i, name in ((seq, "seq"), (mapping, "map"), (args.start() if args else -1, "args")) if i >= 0
    ]
    if not marks:
        return _Field("scalar")
    first = min(marks)[1]
    if first == "map":
        return _Field("map")
    where = _args_file(cls, args.group(1)) if args else None
    if first == "seq":
        return _Field("blocks", where) if args else _Field("list")
    return _Field("block", where)


def _args_file(cls: SdkClass, name: str) -> tuple[str, str] | None:
    for path in (cls.module_dir / "_inputs.py", cls.package_dir / "_inputs.py"):
        if path.is_file() and f"\nclass {name}:" in read_source(path):
            return str(path), name
    return None


def _normal(name: str) -> str:
    return name.replace("_", "").lower()


def _params(text: str, class_name: str, method: str) -> list[tuple[str, str]]:
    """(name, annotation) of a generated method's parameters, one per line in the SDK's source."""
    start = re.search(rf"^class {re.escape(class_name)}\b", text, re.M)
    if start is None:
        return []
    begin = text.find(f"    def {method}(", start.end())
    if begin < 0:
        return []
    end = text.find("):\n", begin)
    out = []
    for line in text[begin : end + 1].splitlines()[1:]:
        match = _PARAM.match(line)
        if match and not match.group(1).startswith("__"):
            out.append((match.group(1), match.group(2)))
    return out


@functools.cache
def _shape(file: str, class_name: str, method: str, token: str) -> dict[str, _Field]:
    cls = sdk_class(token)
    if cls is None:
        return {}
    params = _params(read_source(Path(file)), class_name, method)
    return {
        _normal(name): _classify(annotation, cls)
        for name, annotation in params
        if name not in ("resource_name", "opts")
    }


def _resource_shape(token: str) -> dict[str, _Field] | None:
    cls = sdk_class(token)
    if cls is None:
        return None
    return _shape(str(cls.file), cls.name, "_internal_init", token)


def _nested_shape(field: _Field | None, token: str) -> dict[str, _Field] | None:
    if field is None or field.args is None:
        return None
    return _shape(field.args[0], field.args[1], "__init__", token)


def _guess(key: str, value: Any) -> _Field:
    if isinstance(value, dict):
        identifier_keys = all(isinstance(k, str) and re.fullmatch(r"[a-z][A-Za-z0-9]*", k) for k in value)
        return _Field("map") if key in _MAP_KEYS or not identifier_keys else _Field("block")
    if isinstance(value, list):
        return _Field("blocks") if any(isinstance(v, dict) for v in value) else _Field("list")
    return _Field("scalar")


def singular(name: str) -> str:
    """Undo the bridge's pluralisation of a block name: `rules` -> `rule`, `policies` -> `policy`."""
    if name in _PLURAL_BLOCKS or not name.endswith("s") or name.endswith("ss"):
        return name
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith(("sses", "xes", "ches", "shes")):
        return name[:-2]
    return name[:-1]


def tf_key(key: str, field: _Field, tf_type: str = "") -> str:
    name = snake(key)
    if field.kind == "blocks" or (field.kind == "list" and key in _SINGULAR_LISTS.get(tf_type, ())):
        return singular(name)
    return name


def to_tf_values(
    inputs: dict[str, Any], shape: dict[str, _Field] | None, tf_type: str = "", token: str = ""
) -> dict[str, Any]:
    """Pulumi inputs -> Terraform attribute values (snake_case, blocks as lists)."""
    out: dict[str, Any] = {}
    for key in sorted(inputs):
        value = inputs[key]
        if value is None or (isinstance(value, dict) and _ASSET_SIG in value):
            continue
        field = (shape or {}).get(_normal(key)) or _guess(key, value)
        if field.kind == "scalar" and isinstance(value, dict | list):
            field = _guess(key, value)  # an untyped (Any) input: go by the value
        name = tf_key(key, field, tf_type)
        nested = _nested_shape(field, token)
        if field.args is not None and field.args[1] == "PolicyDocumentArgs" and isinstance(value, dict):
            out[name] = json.dumps(value, sort_keys=True)  # Terraform takes IAM documents as JSON strings
        elif field.kind == "block" and isinstance(value, dict):
            out[name] = [to_tf_values(value, nested, tf_type, token)]
        elif field.kind == "blocks" and isinstance(value, list):
            out[name] = [to_tf_values(v, nested, tf_type, token) if isinstance(v, dict) else v for v in value]
        else:
            out[name] = value
    return out


# --- addresses and references --------------------------------------------------------------------


def _address_name(resource: Resource) -> str:
    name = _ADDRESS_NAME.sub("_", resource.name) or "resource"
    return name if re.match(r"[A-Za-z_]", name) else f"r_{name}"


@dataclass
class _Bridged:
    resource: Resource
    tf_type: str
    address: str
    name: str
    values: dict[str, Any]


class _References:
    """Finds graph resources inside input values: by exact id/ARN/self link, or by a dependency's id."""

    def __init__(self, bridged: list[_Bridged]) -> None:
        self.by_urn = {b.resource.urn: b for b in bridged}
        self.exact: dict[str, list[tuple[_Bridged, str]]] = {}
        for b in bridged:
            r = b.resource
            for value, attr in (
                (r.id, "id"),
                (r.outputs.get("id"), "id"),
                (r.outputs.get("arn"), "arn"),
                (r.outputs.get("selfLink"), "self_link"),
            ):
                if isinstance(value, str) and value and value != "[secret]":
                    self.exact.setdefault(value, []).append((b, attr))

    def find(self, owner: _Bridged, text: str, deps: list[str]) -> tuple[_Bridged, str] | None:
        candidates = [c for c in self.exact.get(text, []) if c[0] is not owner]
        if candidates:
            preferred = (
                [c for c in candidates if c[0].resource.urn in deps]
                or [c for c in candidates if c[0].resource.urn in owner.resource.dependencies]
                or candidates
            )
            return min(preferred, key=lambda c: (len(c[0].tf_type), c[0].address))
        hits = []
        for urn in deps:
            target = self.by_urn.get(urn)
            if target is None or target is owner or not target.resource.id:
                continue
            rid = target.resource.id
            if text.endswith(("/" + rid, ":" + rid)):
                hits.append(target)
        if not hits:
            return None
        # Two dependencies may share a name (a role and a log group both called `flow-logs`): an ARN's
        # service says which one it is.
        service = text.split(":")[2] if text.startswith("arn:") and text.count(":") >= 3 else ""
        fitting = [t for t in hits if _ARN_SERVICE.get(service, service) in t.tf_type] if service else []
        return (fitting or hits)[0], _attr_for(text)


_ARN_SERVICE = {
    "logs": "cloudwatch_log",
    "elasticloadbalancing": "lb",
    "es": "elasticsearch",
    "states": "sfn",
    "events": "cloudwatch_event",
    "execute-api": "api_gateway",
    "secretsmanager": "secretsmanager",
}


def _attr_for(text: str) -> str:
    if text.startswith("arn:"):
        return "arn"
    if text.startswith("https://"):
        return "self_link"
    return "id"


def _ref(target: _Bridged, attr: str) -> list[str]:
    return [f"{target.address}.{attr}", target.address]


def _extract(
    values: dict[str, Any],
    owner: _Bridged,
    refs: _References,
    deps: list[str],
    deps_by_key: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """Move references out of `values` (in place) into a Terraform `expressions` tree.

    At the top level each attribute is matched against the dependencies Pulumi recorded for that
    very input (`deps_by_key`); nested values inherit their top-level attribute's.
    """
    expressions: dict[str, Any] = {}
    for key in list(values):
        value = values[key]
        if deps_by_key is not None:
            deps = deps_by_key.get(key) or deps
        if isinstance(value, str):
            found = refs.find(owner, value, deps)
            if found:
                del values[key]
                expressions[key] = {"references": _ref(*found)}
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            hits = [refs.find(owner, v, deps) for v in value]
            if any(hits):
                values[key] = [None if hit else v for v, hit in zip(value, hits, strict=True)]
                expressions[key] = {"references": [x for hit in hits if hit for x in _ref(*hit)]}
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            nested = [_extract(v, owner, refs, deps) for v in value]
            if any(nested):
                expressions[key] = nested
    return expressions


def _provider_settings(resources: list[Resource]) -> dict[str, dict[str, Any]]:
    return {r.urn: r.inputs for r in resources if r.type.startswith("pulumi:providers:")}


def _bridge(resources: list[Resource]) -> list[_Bridged]:
    providers = _provider_settings(resources)
    taken: dict[tuple[str, str], str] = {}
    out: list[_Bridged] = []
    for r in sorted(resources, key=lambda x: x.urn):
        if not r.custom:
            continue
        tf_type = terraform_type(r.type)
        if tf_type is None:
            continue
        name = _address_name(r)
        if (tf_type, name) in taken:  # the same logical name under two parents
            name = f"{name}_{hashlib.sha256(r.urn.encode()).hexdigest()[:8]}"
        taken[(tf_type, name)] = r.urn
        shape = _resource_shape(r.type)
        values = to_tf_values(r.inputs, shape, tf_type, r.type)
        settings = providers.get(r.provider_urn, {})
        # Terraform plans show the provider's region/project on resources that take one.
        for key in ("region", "project"):
            if key not in values and shape is not None and key in shape and isinstance(settings.get(key), str):
                values[key] = settings[key]
        out.append(_Bridged(r, tf_type, f"{tf_type}.{name}", name, values))
    return out


def to_tfplan(resources: list[Resource]) -> tuple[dict[str, Any], dict[str, str]]:
    """A Terraform plan JSON of every aws and gcp resource, and Terraform address -> Pulumi URN."""
    bridged = _bridge(resources)
    refs = _References(bridged)
    planned: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    config: list[dict[str, Any]] = []
    for b in bridged:
        deps = sorted({d for ds in b.resource.property_dependencies.values() for d in ds})
        values = b.values
        expressions: dict[str, Any] = {}
        for key, dep_urns in sorted(b.resource.property_dependencies.items()):
            name = snake(key)
            if name in values or b.resource.inputs.get(key) not in (None, ""):
                continue
            # An input known only after its dependency exists: Terraform shows just the reference.
            targets = [refs.by_urn[u] for u in dep_urns if u in refs.by_urn and refs.by_urn[u] is not b]
            if targets:
                expressions[name] = {"references": _ref(targets[0], "arn" if name.endswith("arn") else "id")}
        by_key: dict[str, list[str]] = {}
        for key, dep_urns in b.resource.property_dependencies.items():
            for name in {snake(key), singular(snake(key))}:
                by_key.setdefault(name, []).extend(dep_urns)
        expressions.update(_extract(values, b, refs, deps, by_key))
        provider_name = PROVIDERS[b.resource.package][1]
        provider_key = _provider_key(b.resource)
        planned.append(
            {
                "address": b.address,
                "mode": "managed",
                "type": b.tf_type,
                "name": b.name,
                "provider_name": provider_name,
                "schema_version": 0,
                "values": values,
                "sensitive_values": {},
            }
        )
        changes.append(
            {
                "address": b.address,
                "mode": "managed",
                "type": b.tf_type,
                "name": b.name,
                "provider_name": provider_name,
                "change": {
                    "actions": ["create"],
                    "before": None,
                    "after": values,
                    "after_unknown": dict.fromkeys(sorted(expressions), True),
                    "before_sensitive": False,
                    "after_sensitive": {},
                },
            }
        )
        config.append(
            {
                "address": b.address,
                "mode": "managed",
                "type": b.tf_type,
                "name": b.name,
                "provider_config_key": provider_key,
                "expressions": expressions,
                "schema_version": 0,
            }
        )
    plan = {
        "format_version": FORMAT_VERSION,
        "terraform_version": TERRAFORM_VERSION,
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "configuration": {"provider_config": _provider_config(resources), "root_module": {"resources": config}},
    }
    urns = {b.address: b.resource.urn for b in bridged}
    # checkov names a provider block `<provider>.<alias>`; its findings land on the Pulumi provider.
    urns.update({key: entry["urn"] for key, entry in _provider_entries(resources).items()})
    return plan, urns


def _provider_key(r: Resource) -> str:
    name = PROVIDERS[r.package][0]
    alias = _ADDRESS_NAME.sub("_", r.provider_urn.rsplit("::", 1)[-1]) if r.provider_urn else ""
    return f"{name}.{alias}" if alias else name


def _provider_entries(resources: list[Resource]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in sorted(resources, key=lambda x: x.urn):
        pkg = r.type.rsplit(":", 1)[-1] if r.type.startswith("pulumi:providers:") else ""
        if pkg not in PROVIDERS:
            continue
        name, full = PROVIDERS[pkg]
        alias = _ADDRESS_NAME.sub("_", r.name)
        expressions = {
            k: {"constant_value": r.inputs[k]} for k in ("region", "project") if isinstance(r.inputs.get(k), str)
        }
        out[f"{name}.{alias}"] = {
            "urn": r.urn,
            "config": {"name": name, "full_name": full, "alias": alias, "expressions": expressions},
        }
    return out


def _provider_config(resources: list[Resource]) -> dict[str, Any]:
    return {key: entry["config"] for key, entry in _provider_entries(resources).items()}


def unmapped(resources: list[Resource]) -> list[str]:
    """aws/gcp type tokens in the graph that have no Terraform type (left out of the plan)."""
    return sorted(
        {
            r.type
            for r in resources
            if r.custom and r.package in PROVIDERS and not is_infrastructure(r.type) and terraform_type(r.type) is None
        }
    )
