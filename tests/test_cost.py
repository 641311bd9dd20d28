"""GPU cost rows and the report section: machine types, monthly cost at min and max, spot saving, catalog date."""

from __future__ import annotations

from typing import Any

import pytest

from lz.core import accelerators
from lz.core.accelerators import HOURS_PER_MONTH
from lz.review.cost import gpu_cost_markdown, gpu_cost_rows
from lz.review.pricing.catalog import catalog as price_catalog
from lz.spec import load_landing_zone
from tests.helpers import example_spec

H100 = {
    "name": "h100",
    "cloud": "gcp",
    "region": "europe-west4",
    "accelerator": "h100",
    "gpus_per_node": 8,
    "min_nodes": 0,
    "max_nodes": 4,
    "spot": True,
}
A10G = {
    "name": "a10g",
    "cloud": "aws",
    "region": "eu-west-1",
    "accelerator": "a10g",
    "gpus_per_node": 1,
    "min_nodes": 1,
    "max_nodes": 3,
}
AZURE_H100 = {
    "name": "h100",
    "cloud": "azure",
    "region": "westeurope",
    "accelerator": "h100",
    "gpus_per_node": 8,
    "min_nodes": 0,
    "max_nodes": 1,
    "spot": True,
}


def spec_with(*pools: dict[str, Any]) -> Any:
    raw = example_spec()
    raw["gpu_pools"] = list(pools)
    return load_landing_zone(raw, file="t", namespace="landing-zone")


def test_rows_follow_the_catalog() -> None:
    cat = accelerators.catalog()
    (row,) = gpu_cost_rows(spec_with(H100))
    shape = cat.shape("h100", "gcp", "a3-highgpu-8g")
    assert shape is not None and shape.price.spot is not None and shape.price.on_demand is not None
    assert row["machine_type"] == "a3-highgpu-8g" and row["gpus_per_node"] == 8
    assert row["capacity"] == "spot" and row["price_source"] == "catalog"
    # The catalog's reference-region price, carried to europe-west4 with the price catalog's multiplier.
    factor = price_catalog().multipliers["gcp"]["europe-west4"]
    assert row["region_factor"] == factor == 1.1 and row["reference_price_per_gpu_hour"] == shape.price.spot
    assert row["price_per_gpu_hour"] == pytest.approx(shape.price.spot * factor)
    assert row["monthly_at_min"] == 0
    assert row["monthly_at_max"] == pytest.approx(shape.price.spot * factor * 8 * 4 * HOURS_PER_MONTH, abs=0.05)
    assert row["cost_per_training_hour"] == pytest.approx(shape.price.spot * factor * 8 * 4, abs=0.01)
    assert row["gpus_at_max"] == 32
    saving = 100 * (shape.price.on_demand - shape.price.spot) / shape.price.on_demand
    assert row["spot_saving_pct"] == pytest.approx(saving, abs=0.05)
    assert row["spot_saving_monthly_at_max"] == pytest.approx(
        (shape.price.on_demand - shape.price.spot) * factor * 8 * 4 * HOURS_PER_MONTH, abs=0.5
    )
    assert row["catalog_date"] == cat.as_of


def test_on_demand_pool_costs_on_demand_and_shows_what_spot_would_save() -> None:
    (row,) = gpu_cost_rows(spec_with(A10G))
    shape = accelerators.catalog().shape("a10g", "aws", "g5.xlarge")
    assert shape is not None and shape.price.on_demand is not None
    factor = price_catalog().multipliers["aws"]["eu-west-1"]
    assert row["capacity"] == "on-demand"
    assert row["price_per_gpu_hour"] == pytest.approx(shape.price.on_demand * factor)
    assert row["monthly_at_min"] == pytest.approx(shape.price.on_demand * factor * 1 * 1 * HOURS_PER_MONTH, abs=0.05)
    assert row["monthly_at_max"] == pytest.approx(shape.price.on_demand * factor * 3 * HOURS_PER_MONTH, abs=0.05)
    assert row["cost_per_training_hour"] == pytest.approx(shape.price.on_demand * factor * 3, abs=0.01)
    assert "spot would save" in gpu_cost_markdown(spec_with(A10G))


def test_override_replaces_the_catalog_price() -> None:
    (row,) = gpu_cost_rows(spec_with({**H100, "price_per_gpu_hour": {"spot": 2.0, "on_demand": 8.0}}))
    assert row["price_per_gpu_hour"] == 2.0 and row["price_source"] == "override" and row["region_factor"] == 1.0
    assert row["cost_per_training_hour"] == 2.0 * 8 * 4
    assert row["monthly_at_max"] == pytest.approx(2.0 * 8 * 4 * HOURS_PER_MONTH)
    assert row["spot_saving_pct"] == 75.0
    assert "$2.00 (override)" in gpu_cost_markdown(spec_with({**H100, "price_per_gpu_hour": {"spot": 2.0}}))


def test_missing_spot_price_is_not_guessed() -> None:
    (row,) = gpu_cost_rows(spec_with(AZURE_H100))
    assert row["price_per_gpu_hour"] is None and row["monthly_at_max"] is None and row["spot_saving_pct"] is None
    text = gpu_cost_markdown(spec_with(AZURE_H100))
    assert "n/a (no spot price)" in text and "pools without a price left out" in text


def test_markdown_section() -> None:
    spec = spec_with(H100, A10G)
    text = gpu_cost_markdown(spec)
    rows = gpu_cost_rows(spec)
    assert text.startswith("## GPU pools\n")
    assert f"catalog of {accelerators.catalog().as_of}" in text
    assert "| h100 | gcp / europe-west4 | a3-highgpu-8g (h100) | 8 | spot |" in text
    assert "| a10g | aws / eu-west-1 | g5.xlarge (a10g) | 1 | on-demand |" in text
    assert f"${rows[0]['cost_per_training_hour']:,.0f} (32 GPUs)" in text
    total = sum(r["monthly_at_max"] for r in rows)
    assert f"| ${total:,.0f} | |" in text
    assert "usually cost more" not in text and "**$" not in text  # no region folklore, no bold zero
    assert text == gpu_cost_markdown(spec)  # deterministic


def test_no_pools_no_section() -> None:
    assert gpu_cost_markdown(spec_with()) == "" and gpu_cost_rows(spec_with()) == []
