"""Translations of the resource graph into the formats checkov reads.

pulumi-aws and pulumi-gcp are bridged from the Terraform providers, so their resources become a
Terraform plan (`lz.review.bridge.terraform.to_tfplan`); azure-native speaks ARM, so its resources become an
ARM template (`lz.review.bridge.arm.to_arm`). Each returns the document and a map from the name checkov
reports (a Terraform address, an ARM resource name) back to the Pulumi URN, so findings always point
at the Pulumi resource.

Shared here: name helpers, and where the installed SDKs define each resource class (found through
the table each SDK registers, read as source text: importing a provider module costs seconds, and
its generated source holds what the bridges need, the input types and the Azure API version).
Nothing in this package runs checkov or judges a resource; it only translates, deterministically
(same graph, same bytes).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path

_SDK_PACKAGES = {"aws": "pulumi_aws", "gcp": "pulumi_gcp", "azure-native": "pulumi_azure_native"}

_CAMEL_BOUNDARY_1 = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CAMEL_BOUNDARY_2 = re.compile(r"([a-z0-9])([A-Z])")


def snake(name: str) -> str:
    """`kmsMasterKeyId` -> `kms_master_key_id`, `IAMMember` -> `iam_member`, `ipv6CidrBlock` -> `ipv6_cidr_block`."""
    out = _CAMEL_BOUNDARY_1.sub(r"\1_\2", name)
    out = _CAMEL_BOUNDARY_2.sub(r"\1_\2", out)
    return out.replace("-", "_").lower()


def split_token(token: str) -> tuple[str, str, str]:
    """`aws:s3/bucket:Bucket` -> ("aws", "s3", "Bucket"); `azure-native:storage:X` -> (.., "storage", "X")."""
    parts = token.split(":")
    if len(parts) != 3:
        return token, "", ""
    pkg, module, kind = parts
    return pkg, module.split("/")[0], kind


def is_infrastructure(token: str) -> bool:
    """Providers, stacks and component resources: nothing a scanner could judge."""
    return token.startswith("pulumi:") or not token or token.count(":") != 2


@functools.cache
def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)  # locates the package without importing it
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


@functools.cache
def _sdk_registry(package: str) -> dict[str, tuple[str, str]]:
    """Type token -> (Python module, class name), from the table the SDK registers at import time."""
    root = _package_dir(package)
    if root is None:
        return {}
    text = (root / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'resource_modules="""(.*?)"""', text, re.S)
    if not match:
        return {}
    return {
        token: (entry["fqn"], cls)
        for entry in json.loads(match.group(1))
        for token, cls in entry.get("classes", {}).items()
    }


@functools.cache
def read_source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class SdkClass:
    """Where the installed SDK defines a resource class: read as text, never imported (importing a
    provider module costs seconds; its generated source says all the bridges need)."""

    name: str
    file: Path
    module_dir: Path
    package_dir: Path

    @property
    def text(self) -> str:
        return read_source(self.file)


@functools.cache
def sdk_class(token: str) -> SdkClass | None:
    """The SDK's resource class for a type token, or None when the installed SDK does not have it."""
    package = _SDK_PACKAGES.get(token.split(":", 1)[0])
    if package is None:
        return None
    found = _sdk_registry(package).get(token)
    root = _package_dir(package)
    if found is None or root is None:
        return None
    fqn, cls = found
    module_dir = root.joinpath(*fqn.split(".")[1:])
    marker = f"\nclass {cls}(pulumi.CustomResource)"
    middle = token.split(":")[1].split("/")[-1]
    for stem in dict.fromkeys((snake(cls), snake(middle), middle.lower())):
        path = module_dir / f"{stem}.py"
        if path.is_file() and marker in read_source(path):
            return SdkClass(cls, path, module_dir, root)
    for path in sorted(module_dir.glob("*.py")):
        if marker in read_source(path):
            return SdkClass(cls, path, module_dir, root)
    return None
