"""The foundation's contract (lz.contracts.foundation), the wave's typed views of it, and provider look-up."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from lz.components.base import select_provider
from lz.components.migration import context as mc
from lz.contracts.foundation import CLOUD_KEYS, REGION_KEYS, Foundations, of_cloud

REGIONAL: Any = {"eu-west-1": "p-eu-west-1", "eu-central-1": "p-eu-central-1"}
CLOUD_WIDE: Any = {"": "p-project"}


def test_a_region_gets_its_own_provider() -> None:
    assert select_provider(REGIONAL, "aws", "eu-central-1", default_region="eu-west-1") == "p-eu-central-1"


def test_a_cloud_wide_provider_serves_every_region() -> None:
    assert select_provider(CLOUD_WIDE, "gcp", "europe-west4") == "p-project"
    assert select_provider(CLOUD_WIDE, "gcp", None) == "p-project"


def test_no_region_takes_the_default_region() -> None:
    assert select_provider(REGIONAL, "aws", None, default_region="eu-west-1") == "p-eu-west-1"


def test_an_unknown_region_is_refused_not_sent_home() -> None:
    with pytest.raises(KeyError, match="no aws provider for region 'us-east-1' \\(have eu-central-1, eu-west-1\\)"):
        select_provider(REGIONAL, "aws", "us-east-1", default_region="eu-west-1")


def test_no_region_and_no_default_is_refused() -> None:
    with pytest.raises(KeyError, match="no aws provider for no region"):
        select_provider(REGIONAL, "aws", None)


class _Path:
    """Stands in for a `pulumi.Output`: remembers the path `MigrationContext.value` was asked for."""

    def __init__(self, path: tuple[str, ...]) -> None:
        self.path = path

    def apply(self, _fn: Any) -> _Path:
        return self


class _FakeContext:
    def __init__(self, cloud: str) -> None:
        self.cloud = cloud

    def value(self, *path: str) -> _Path:
        return _Path(path)


@pytest.mark.parametrize(("cloud", "view"), [("aws", mc.AwsValues), ("gcp", mc.GcpValues), ("azure", mc.AzureValues)])
def test_every_typed_view_reads_a_key_of_the_contract(cloud: str, view: Any) -> None:
    ctx: Any = _FakeContext(cloud)
    top = view(ctx)
    region = top.region("r1")
    for obj, keys, prefix in ((top, CLOUD_KEYS[cloud], ()), (region, REGION_KEYS[cloud], ("regions", "r1"))):
        names = [n for n, _ in inspect.getmembers(type(obj), lambda m: isinstance(m, property))]
        assert names
        for name in names:
            got = getattr(obj, name)
            assert got.path[:-1] == prefix
            assert got.path[-1] in keys, f"{cloud}: {name} reads {got.path[-1]!r}, which the foundation does not export"


def test_a_key_outside_the_contract_is_refused() -> None:
    ctx: Any = _FakeContext("aws")
    with pytest.raises(KeyError, match="not in the aws foundation's contract"):
        mc.AwsValues(ctx)._get("project")


def test_of_cloud_names_the_missing_cloud() -> None:
    foundations: Foundations = {}
    with pytest.raises(KeyError, match="no gcp foundation in this stack"):
        of_cloud(foundations, "gcp")


def test_a_component_reads_only_its_own_clouds_foundation() -> None:
    ctx = mc.MigrationContext(wave=None, foundation=None, cloud="aws", outputs=None)  # type: ignore[arg-type]
    assert isinstance(ctx.aws, mc.AwsValues)
    with pytest.raises(ValueError, match="builds in aws; it cannot read the gcp foundation's outputs"):
        _ = ctx.gcp
