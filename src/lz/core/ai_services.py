"""The managed AI services a foundation can reach privately, and where each exists.

`landingZone.ai_services` names them (`bedrock`, `vertex-ai`, `azure-openai`); each belongs to one
cloud and, for Bedrock and Azure OpenAI, exists only in some regions. The region lists below are
written from the providers' public documentation on the date beside them; no network lookup.

* Bedrock: "Regional availability by endpoints" (docs.aws.amazon.com/bedrock/latest/userguide/
  endpoints-region-availability.html, read 2026-12-05): `bedrock-runtime` is offered in every
  Region where Bedrock is, listed there for US, Canada, Europe and Asia Pacific; af-south-1 from
  "Amazon Bedrock endpoints and quotas" (docs.aws.amazon.com/general/latest/gr/bedrock.html),
  sa-east-1 from "Supported Regions ... for Amazon Bedrock API keys", and GovCloud from
  "Feature support by AWS Region in Amazon Bedrock" (same date). Middle East, Israel, Mexico,
  China, Hong Kong and the European Sovereign Cloud were not confirmed and are left out: a spec
  that asks for Bedrock there is refused rather than planned against an endpoint that may not exist.
* Azure OpenAI: the regions of the Global Standard model matrix ("Global Standard model
  availability", github.com/MicrosoftDocs/azure-ai-docs, articles/foundry/openai/includes/
  model-matrix/standard-global.md, ms.date 2026-07-23, read 2026-12-05), where an Azure OpenAI
  resource can be created and models deployed. North Europe is not among them.
* Vertex AI: regional endpoints `<region>-aiplatform.googleapis.com`; its locations are not
  checked here (every region the catalog's European jurisdictions use has one; elsewhere `lz plan`
  trusts the spec).

What it does not do: model-level availability (which model runs where) or quotas.
"""

from __future__ import annotations

from typing import Literal

AiService = Literal["bedrock", "vertex-ai", "azure-openai"]

CLOUD_OF: dict[str, str] = {"bedrock": "aws", "vertex-ai": "gcp", "azure-openai": "azure"}

AS_OF = "2026-12-05"

BEDROCK_REGIONS: frozenset[str] = frozenset(
    {
        # United States, Canada
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "ca-central-1",
        "ca-west-1",
        # Europe
        "eu-central-1",
        "eu-central-2",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        # Asia Pacific
        "ap-east-2",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-south-1",
        "ap-south-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-6",
        "ap-southeast-7",
        # Africa, South America, GovCloud
        "af-south-1",
        "sa-east-1",
        "us-gov-east-1",
        "us-gov-west-1",
    }
)

AZURE_OPENAI_REGIONS: frozenset[str] = frozenset(
    {
        "australiaeast",
        "brazilsouth",
        "canadacentral",
        "canadaeast",
        "centralus",
        "eastus",
        "eastus2",
        "francecentral",
        "germanywestcentral",
        "italynorth",
        "japaneast",
        "koreacentral",
        "northcentralus",
        "norwayeast",
        "polandcentral",
        "southafricanorth",
        "southcentralus",
        "southeastasia",
        "southindia",
        "spaincentral",
        "swedencentral",
        "switzerlandnorth",
        "switzerlandwest",
        "uaenorth",
        "uksouth",
        "westeurope",
        "westus",
        "westus3",
    }
)

# The AWS interface endpoints Bedrock needs ("Use interface VPC endpoints (AWS PrivateLink)",
# docs.aws.amazon.com/bedrock/latest/userguide/vpc-interface-endpoints.html, read 2026-12-05):
# `bedrock-runtime` for inference (InvokeModel, Converse) and `bedrock` for the control plane
# (models, guardrails, provisioned throughput). The agent endpoints (`bedrock-agent`,
# `bedrock-agent-runtime`) are left out: the landing zone builds no agents, and Agents is offered
# in fewer Regions than inference.
BEDROCK_ENDPOINT_SERVICES: tuple[str, ...] = ("bedrock", "bedrock-runtime")

# The private DNS zone of Azure OpenAI's private endpoints, group id `account` ("Azure Private
# Endpoint private DNS zone values", learn.microsoft.com/azure/private-link/private-endpoint-dns,
# Azure AI services: privatelink.cognitiveservices.azure.com, privatelink.openai.azure.com,
# read 2026-12-05). An OpenAI account answers on `<subdomain>.openai.azure.com`.
AZURE_OPENAI_ZONE = "privatelink.openai.azure.com"
AZURE_OPENAI_GROUP = "account"

VERTEX_AI_API = "aiplatform.googleapis.com"


def vertex_host(region: str) -> str:
    """The regional Vertex AI endpoint a workload in `region` calls."""
    return f"{region}-aiplatform.googleapis.com"


def available(service: str, region: str) -> bool:
    """Whether `service` has an endpoint in `region` by the lists above (Vertex AI: not checked)."""
    if service == "bedrock":
        return region in BEDROCK_REGIONS
    if service == "azure-openai":
        return region in AZURE_OPENAI_REGIONS
    return service == "vertex-ai"


def supported(service: str, candidates: list[str]) -> list[str]:
    """The candidates (e.g. a jurisdiction's regions) where `service` exists, in their order."""
    return [r for r in candidates if available(service, r)]
