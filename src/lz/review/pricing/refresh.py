"""Rewrite lz/data/prices.yaml from the clouds' own price list files, downloaded beforehand.

    python -m lz.review.pricing.refresh --aws AmazonEC2.json --aws AmazonVPC.json \
        --azure azure-retail.json --gcp gcp-compute-skus.json --as-of 2026-12-01 [--catalog FILE]

The files are the clouds' public, machine-readable price lists (nothing here downloads them):
- AWS Price List bulk offer files, e.g. https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/index.json
  (`products` keyed by SKU with `attributes`, `terms.OnDemand` with `priceDimensions.pricePerUnit.USD`);
- the Azure Retail Prices API, e.g. https://prices.azure.com/api/retail/prices (filter by serviceName)
  (`Items` with `armRegionName`, `armSkuName`, `meterName`, `skuName`, `retailPrice`, `type`);
- the Google Cloud Billing Catalog API, https://cloudbilling.googleapis.com/v1/services/SERVICE_ID/skus
  (`skus` with `description`, `serviceRegions`, `pricingInfo[].pricingExpression.tieredRates[].unitPrice`).

Each matcher below names the catalog SKU it feeds and how to recognise its row. A matched figure
replaces the SKU's price for that region in place (flow-style lines keep their comments and order);
SKUs no file mentions keep their figures, and the run lists them so nobody mistakes them for fresh.
Each rewritten SKU gets `as_of` (the date given); the others keep the catalog's date. Regions of a
rewritten line that no file mentioned keep their earlier figure (the run lists the SKUs it updated).
What it does not do: download, price tiers (egress tiers stay as
written), or add SKUs (add the line by hand, then refresh).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Row = dict[str, Any]
CATALOG = Path(__file__).resolve().parent.parent / "data" / "prices.yaml"


@dataclass(frozen=True)
class Matcher:
    cloud: str
    sku: str
    match: Callable[[Row], bool]


# --- reading the three formats into (region, row) pairs with one USD price ---------------------------


def aws_rows(doc: dict[str, Any]) -> Iterable[tuple[str, Row, float]]:
    """(regionCode, attributes + unit, USD) for every on-demand price dimension of an offer file."""
    products = doc.get("products", {})
    for sku, terms in (doc.get("terms", {}).get("OnDemand", {}) or {}).items():
        product = products.get(sku)
        if not product:
            continue
        attrs = dict(product.get("attributes", {}))
        attrs["productFamily"] = product.get("productFamily", "")
        region = attrs.get("regionCode", "")
        for term in terms.values():
            for dim in term.get("priceDimensions", {}).values():
                usd = dim.get("pricePerUnit", {}).get("USD")
                if usd is None or (float(usd) == 0 and dim.get("beginRange", "0") != "0"):
                    continue
                row = {**attrs, "unit": dim.get("unit", ""), "beginRange": dim.get("beginRange", "0")}
                yield region, row, float(usd)


def azure_rows(doc: dict[str, Any]) -> Iterable[tuple[str, Row, float]]:
    for item in doc.get("Items", []):
        if item.get("type") != "Consumption" or item.get("currencyCode", "USD") != "USD":
            continue
        if float(item.get("tierMinimumUnits", 0) or 0) > 0:
            continue
        yield str(item.get("armRegionName", "")), item, float(item["retailPrice"])


def gcp_rows(doc: dict[str, Any]) -> Iterable[tuple[str, Row, float]]:
    for sku in doc.get("skus", []):
        for info in sku.get("pricingInfo", [])[-1:]:
            rates = info.get("pricingExpression", {}).get("tieredRates", [])
            if not rates:
                continue
            price = (
                rates[-1]
                if len(rates) == 1
                else next(
                    (
                        r
                        for r in rates
                        if float(r["unitPrice"].get("nanos", 0)) or int(r["unitPrice"].get("units", 0) or 0)
                    ),
                    rates[-1],
                )
            )
            unit = price["unitPrice"]
            usd = int(unit.get("units", 0) or 0) + int(unit.get("nanos", 0) or 0) / 1e9
            for region in sku.get("serviceRegions", []):
                yield str(region), sku, usd


READERS: dict[str, Callable[[dict[str, Any]], Iterable[tuple[str, Row, float]]]] = {
    "aws": aws_rows,
    "azure": azure_rows,
    "gcp": gcp_rows,
}


# --- matchers: which row feeds which catalog SKU --------------------------------------------------


def _ec2(instance: str) -> Callable[[Row], bool]:
    def match(row: Row) -> bool:
        return (
            row.get("instanceType") == instance
            and row.get("operatingSystem") == "Linux"
            and row.get("tenancy") == "Shared"
            and row.get("preInstalledSw") == "NA"
            and row.get("capacitystatus") == "Used"
            and row.get("licenseModel", "No License required") == "No License required"
        )

    return match


def _usagetype(suffix: str, family: str | None = None) -> Callable[[Row], bool]:
    def match(row: Row) -> bool:
        return str(row.get("usagetype", "")).endswith(suffix) and (family is None or row.get("productFamily") == family)

    return match


def _azure(service: str, meter: str, sku: str | None = None, arm_sku: str | None = None) -> Callable[[Row], bool]:
    def match(row: Row) -> bool:
        return (
            row.get("serviceName") == service
            and row.get("meterName") == meter
            and (sku is None or row.get("skuName") == sku)
            and (arm_sku is None or row.get("armSkuName") == arm_sku)
            and "Spot" not in str(row.get("skuName", ""))
            and "Low Priority" not in str(row.get("skuName", ""))
            and "Windows" not in str(row.get("productName", ""))
        )

    return match


def _gcp(pattern: str) -> Callable[[Row], bool]:
    regex = re.compile(pattern)

    def match(row: Row) -> bool:
        return bool(regex.fullmatch(str(row.get("description", ""))))

    return match


MATCHERS: tuple[Matcher, ...] = (
    *(Matcher("aws", f"ec2-{t}", _ec2(t)) for t in ("m6i.large", "m5.large", "t3.medium")),
    Matcher("aws", "nat-gateway-hour", _usagetype("NatGateway-Hours")),
    Matcher("aws", "nat-gateway-gb", _usagetype("NatGateway-Bytes")),
    Matcher("aws", "vpn-connection-hour", _usagetype("VPN-Usage-Hours:ipsec.1")),
    Matcher("aws", "interface-endpoint-hour", _usagetype("VpcEndpoint-Hours")),
    Matcher("aws", "tgw-attachment-hour", _usagetype("TransitGateway-Hours")),
    Matcher("aws", "fargate-vcpu-hour", _usagetype("Fargate-vCPU-Hours:perCPU")),
    Matcher("aws", "fargate-gb-hour", _usagetype("Fargate-GB-Hours")),
    Matcher("aws", "eks-cluster-hour", _usagetype("AmazonEKS-Hours:perCluster")),
    Matcher("aws", "ebs-gp3-gb-month", _usagetype("EBS:VolumeUsage.gp3")),
    Matcher("aws", "logs-ingest-gb", _usagetype("DataProcessing-Bytes", "Data Payload")),
    Matcher("aws", "s3-standard-gb-month", _usagetype("TimedStorage-ByteHrs")),
    Matcher("azure", "vm-Standard_D4ds_v5", _azure("Virtual Machines", "D4ds v5", arm_sku="Standard_D4ds_v5")),
    Matcher("azure", "vm-Standard_D2ds_v5", _azure("Virtual Machines", "D2ds v5", arm_sku="Standard_D2ds_v5")),
    *(
        Matcher("azure", f"vpn-gateway-{g}-hour", _azure("VPN Gateway", g))
        for g in ("VpnGw1AZ", "VpnGw2AZ", "VpnGw3AZ", "VpnGw1", "VpnGw2")
    ),
    Matcher("azure", "public-ip-standard-hour", _azure("Virtual Network", "Standard IPv4 Static Public IP")),
    Matcher("azure", "log-analytics-gb", _azure("Log Analytics", "Analytics Logs Data Ingestion")),
    Matcher("azure", "nat-gateway-hour", _azure("NAT Gateway", "Standard Gateway")),
    Matcher("azure", "firewall-standard-hour", _azure("Azure Firewall", "Standard Deployment")),
    Matcher("gcp", "vpn-tunnel-hour", _gcp(r"Networking Cloud VPN Tunnel.*")),
    Matcher("gcp", "gke-cluster-hour", _gcp(r"Regional Kubernetes Clusters")),
    Matcher("gcp", "pd-balanced-gb-month", _gcp(r"Balanced PD Capacity in .*")),
    Matcher("gcp", "logging-ingest-gib", _gcp(r"Log Storage cost")),
)


# --- rewriting --------------------------------------------------------------------------------------


def collect(files: dict[str, list[Path]]) -> dict[tuple[str, str], dict[str, float]]:
    """(cloud, sku) -> {region: USD} from every file given, first match per region wins."""
    found: dict[tuple[str, str], dict[str, float]] = {}
    for cloud, paths in files.items():
        matchers = [m for m in MATCHERS if m.cloud == cloud]
        for path in paths:
            doc = json.loads(path.read_text(encoding="utf-8"))
            for region, row, usd in READERS[cloud](doc):
                for m in matchers:
                    if region and m.match(row):
                        found.setdefault((cloud, m.sku), {}).setdefault(region, round(usd, 6))
    return found


_LINE = re.compile(
    r"^(?P<indent>\s+)(?P<sku>[A-Za-z0-9_.-]+): "
    r"\{(?P<head>.*?)usd: \{(?P<usd>[^{}]*)\}(?P<tail>.*)\}\s*$"
)


def _fmt(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".") if value else "0"


def rewrite(text: str, found: dict[tuple[str, str], dict[str, float]], as_of: str) -> tuple[str, list[str]]:
    """The catalog text with matched figures replaced, and the (cloud/sku) entries updated."""
    out: list[str] = []
    cloud: str | None = None
    updated: list[str] = []
    in_skus = False
    for line in text.splitlines():
        if re.match(r"^skus:\s*$", line):
            in_skus = True
        elif re.match(r"^\S", line):
            in_skus = False
        header = re.match(r"^  (aws|gcp|azure):\s*$", line)
        if in_skus and header:
            cloud = header.group(1)
        m = _LINE.match(line)
        if in_skus and cloud and m and (cloud, m.group("sku")) in found:
            prices: dict[str, str] = {}
            for part in filter(None, (p.strip() for p in m.group("usd").split(","))):
                key, _, value = part.partition(":")
                prices[key.strip()] = value.strip()
            # A region's own figure wins over `all` (see Catalog.price), so `all` stays for the others.
            for region, usd in sorted(found[(cloud, m.group("sku"))].items()):
                prices[region] = _fmt(usd)
            usd_text = ", ".join(f"{k}: {v}" for k, v in prices.items())
            head = re.sub(r'as_of: "?[0-9-]+"?, ', "", m.group("head"))
            line = (
                f'{m.group("indent")}{m.group("sku")}: {{{head}as_of: "{as_of}", usd: {{{usd_text}}}{m.group("tail")}}}'
            )
            updated.append(f"{cloud}/{m.group('sku')}")
        out.append(line)
    return "\n".join(out) + "\n", updated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lz.review.pricing.refresh", description=__doc__.split("\n\n")[0])
    for cloud in ("aws", "azure", "gcp"):
        parser.add_argument(
            f"--{cloud}",
            action="append",
            type=Path,
            default=[],
            metavar="FILE",
            help=f"a downloaded {cloud} price list file (repeatable)",
        )
    parser.add_argument("--as-of", required=True, help="the date the files were downloaded (YYYY-MM-DD)")
    parser.add_argument("--catalog", type=Path, default=CATALOG)
    args = parser.parse_args(argv)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", args.as_of):
        print(f"--as-of: {args.as_of!r} is not YYYY-MM-DD", file=sys.stderr)
        return 2
    files = {c: getattr(args, c) for c in ("aws", "azure", "gcp") if getattr(args, c)}
    try:
        found = collect(files)
        text, updated = rewrite(args.catalog.read_text(encoding="utf-8"), found, args.as_of)
    except (OSError, ValueError, KeyError) as exc:
        print(f"refresh: {exc}", file=sys.stderr)
        return 2
    args.catalog.write_text(text, encoding="utf-8")
    stale = sorted({f"{m.cloud}/{m.sku}" for m in MATCHERS if m.cloud in files} - set(updated))
    print(f"updated {len(updated)} SKU(s): {', '.join(updated) or 'none'}")
    if stale:
        print(f"not found in the files (kept as they were): {', '.join(stale)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
