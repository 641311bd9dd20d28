"""The `wave` spec: shapes, schedules, secrets by reference, and the rules checked against the foundation."""

from __future__ import annotations

import copy
import dataclasses
import datetime
from typing import Any

import pytest
import yaml

from lz.core.errors import InputError
from lz.spec import load_landing_zone
from lz.spec.wave import (
    FoundationView,
    Wave,
    check_against_foundation,
    load_wave,
    marker_tags,
    marker_text,
    parse_marker_text,
    parse_place,
    parse_schedule,
)
from tests.helpers import ROOT, example_spec

EXAMPLE = ROOT / "stacks" / "Pulumi.wave-1-dev.yaml"
NS = "landing-zone"
FILE = "stacks/Pulumi.wave-x.yaml"


def example_wave() -> dict[str, Any]:
    data = yaml.safe_load(EXAMPLE.read_text())
    return copy.deepcopy(data["config"][f"{NS}:wave"])


def foundation() -> Any:
    return load_landing_zone(example_spec(), file="stacks/Pulumi.foundation-dev.yaml", namespace=NS)


def load(raw: dict[str, Any]) -> Wave:
    return load_wave(raw, file=FILE, namespace=NS)


def check(raw: dict[str, Any], found: Any = None) -> Wave:
    wave = load(raw)
    check_against_foundation(wave, found if found is not None else foundation(), file=FILE, namespace=NS)
    return wave


def refused(raw: dict[str, Any], found: Any = None) -> InputError:
    with pytest.raises(InputError) as info:
        check(raw, found)
    return info.value


# --- the example -------------------------------------------------------------------------------


def test_example_wave_is_valid_against_the_example_foundation() -> None:
    wave = check(example_wave())
    assert wave.name == "wave-1" and wave.foundation == "foundation-dev"
    assert [d.name for d in wave.datasets] == ["training-data", "model-artifacts"]
    assert [(d.source.cloud, d.target.cloud) for d in wave.datasets] == [("aws", "gcp"), ("aws", "azure")]
    assert wave.databases[0].engine == "postgres" and wave.databases[0].mode == "full-load-and-cdc"
    assert wave.cutover is not None and wave.cutover.weights == [5, 25, 50, 100]
    assert (wave.cutover.source_weight, wave.cutover.target_weight) == (95, 5)
    assert wave.first_day == datetime.date(2025, 7, 1)


def test_example_stack_file_starts_with_the_schema_modeline_and_uses_secure_placeholders() -> None:
    text = EXAMPLE.read_text()
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schema/stack.schema.json"
    config = yaml.safe_load(text)["config"]
    wave = config[f"{NS}:wave"]
    keys = {
        wave["datasets"][1]["source"]["credentials"]["secret"],
        wave["databases"][0]["source"]["password_secret"],
        wave["databases"][0]["source"]["ca_certificate"],
    }
    for key in keys:
        assert set(config[f"{NS}:{key}"]) == {"secure"}, key


# --- residency follows the data ----------------------------------------------------------------


def test_confidential_dataset_to_a_us_region_from_an_eu_landing_zone_is_refused() -> None:
    raw = example_wave()
    raw["datasets"][0]["target"] = {"cloud": "aws", "region": "us-east-1"}
    err = refused(raw)
    assert err.key == "config.landing-zone:wave.datasets[0].target.region"
    assert "confidential" in err.detail and "'eu'" in err.detail and "us-east-1" in err.detail
    assert "United States" in err.detail or "US" in err.detail


@pytest.mark.parametrize("classification", ["internal", "confidential", "restricted"])
def test_non_public_data_may_not_leave_the_residency(classification: str) -> None:
    raw = example_wave()
    raw["datasets"][0]["classification"] = classification
    raw["datasets"][0]["target"] = {"cloud": "gcp", "region": "europe-west2"}  # London: uk, not eu
    err = refused(raw)
    assert err.key and err.key.endswith("datasets[0].target.region")
    assert "jurisdiction uk" in err.detail


def test_public_data_outside_the_residency_is_refused_only_because_the_foundation_has_no_region_there() -> None:
    raw = example_wave()
    raw["datasets"][0]["classification"] = "public"
    raw["datasets"][0]["target"] = {"cloud": "gcp", "region": "us-central1"}
    err = refused(raw)
    assert "not one of the foundation's gcp regions" in err.detail
    assert "may only be sent" not in err.detail


def test_restricted_data_must_also_come_from_inside_the_residency() -> None:
    raw = example_wave()
    raw["datasets"][0]["classification"] = "restricted"
    raw["datasets"][0]["source"]["region"] = "us-east-1"
    err = refused(raw)
    assert err.key and err.key.endswith("datasets[0].source.region")
    assert "restricted" in err.detail
    raw["datasets"][0]["classification"] = "confidential"
    check(raw)  # a confidential dataset may come from anywhere


def test_database_classification_defaults_to_the_foundations_tag() -> None:
    raw = example_wave()
    raw["databases"][0]["target"] = {"cloud": "gcp", "region": "us-central1"}
    err = refused(raw)
    assert err.key and err.key.endswith("databases[0].target.region")
    assert err.detail.startswith("confidential database")


def test_target_cloud_must_be_enabled_and_region_one_of_its_regions() -> None:
    only_aws = example_spec()
    del only_aws["clouds"]["gcp"], only_aws["clouds"]["azure"]
    only_aws["gpu_pools"] = [p for p in only_aws.get("gpu_pools", []) if p["cloud"] == "aws"]
    only_aws["ai_services"] = ["bedrock"]
    only_aws.pop("telemetry", None)
    only_aws["interconnect"] = {"topology": "none"}
    lz = load_landing_zone(only_aws, file="f", namespace=NS)
    err = refused(example_wave(), lz)
    assert err.key and err.key.endswith("datasets[0].target.cloud") and "not enabled" in err.detail
    raw = example_wave()
    raw["datasets"][0]["target"]["region"] = "europe-west3"  # eu, but not a foundation region
    err = refused(raw)
    assert "europe-west4, europe-west1" in err.detail


def test_checked_against_the_foundations_spec_output_as_well() -> None:
    spec = {
        "organization": "acme",
        "environment": "dev",
        "residency": "eu",
        "tags": {"data-classification": "internal"},
        "clouds": {"gcp": ["europe-west4"], "azure": ["westeurope"], "aws": ["eu-west-1"]},
    }
    check(example_wave(), spec)
    assert FoundationView.of(spec).classification == "internal"


# --- shapes and references ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "AKIAIOSFODNN7EXAMPLE",
        "sv=2022-11-02&ss=b&sig=abc",
        "-----BEGIN KEY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ],
)
def test_an_inline_credential_is_refused(value: str) -> None:
    raw = example_wave()
    raw["datasets"][1]["source"]["credentials"]["secret"] = value
    with pytest.raises(InputError) as info:
        load(raw)
    assert info.value.key == "config.landing-zone:wave.datasets[1].source.credentials.secret"
    assert "config key" in info.value.detail


def test_password_is_a_config_key_never_a_value() -> None:
    raw = example_wave()
    raw["databases"][0]["source"]["password"] = "hunter2"
    with pytest.raises(InputError) as info:
        load(raw)
    assert "unknown key" in info.value.detail and "password_secret" in info.value.detail


def test_secret_kind_needs_a_key_and_workload_identity_takes_none() -> None:
    raw = example_wave()
    raw["datasets"][1]["source"]["credentials"] = {"kind": "secret"}
    with pytest.raises(InputError, match="needs `secret`"):
        load(raw)
    raw["datasets"][1]["source"]["credentials"] = {"kind": "workload-identity", "secret": "k"}
    with pytest.raises(InputError, match="only for kind `secret`"):
        load(raw)


def test_unknown_keys_and_bad_values_name_their_path_and_line() -> None:
    raw = example_wave()
    raw["datasets"][0]["target"]["zone"] = "a"
    lines = {(f"{NS}:wave", "datasets", 0, "target", "zone"): 42}
    with pytest.raises(InputError) as info:
        load_wave(raw, file=FILE, namespace=NS, lines=lines)
    assert info.value.line == 42 and "allowed here: cloud, region" in info.value.detail


def test_region_must_exist_for_its_cloud() -> None:
    raw = example_wave()
    raw["datasets"][0]["source"]["region"] = "eu-wset-1"
    with pytest.raises(InputError) as info:
        load(raw)
    assert info.value.key and info.value.key.endswith("datasets[0].source.region")
    assert "did you mean eu-west-1" in info.value.detail


def test_bucket_shapes_per_cloud() -> None:
    raw = example_wave()
    raw["datasets"][0]["source"] = {"cloud": "azure", "region": "westeurope", "bucket": "just-a-bucket"}
    with pytest.raises(InputError, match="<storage account>/<container>"):
        load(raw)


def test_names_are_unique() -> None:
    raw = example_wave()
    raw["datasets"][1]["name"] = raw["datasets"][0]["name"]
    with pytest.raises(InputError) as info:
        load(raw)
    assert info.value.key and info.value.key.endswith("datasets[1].name")


def test_a_wave_moves_something() -> None:
    with pytest.raises(InputError, match="moves something"):
        load({"name": "w-1", "foundation": "foundation-dev"})


def test_reserved_tags_are_refused() -> None:
    raw = example_wave()
    raw["tags"] = {"wave": "other"}
    with pytest.raises(InputError, match="set by the wave itself"):
        load(raw)


def test_environment_override_for_rehearsals() -> None:
    raw = example_wave()
    raw["environment"] = "test"
    assert load(raw).environment == "test"
    raw["environment"] = "qa"
    with pytest.raises(InputError):
        load(raw)


# --- cutover -----------------------------------------------------------------------------------


def test_steps_increase_end_at_100_and_current_step_is_an_index() -> None:
    raw = example_wave()
    raw["cutover"]["steps"] = [5, 50, 25, 100]
    with pytest.raises(InputError) as info:
        load(raw)
    assert info.value.key and info.value.key.endswith("cutover.steps[2]")
    raw["cutover"]["steps"] = [5, 25, 50]
    with pytest.raises(InputError, match="last step"):
        load(raw)
    raw["cutover"]["steps"] = [5, 100]
    raw["cutover"]["current_step"] = 2
    with pytest.raises(InputError) as info:
        load(raw)
    assert info.value.key and info.value.key.endswith("cutover.current_step")


def test_blue_green_is_all_or_nothing() -> None:
    raw = example_wave()
    raw["cutover"]["strategy"] = "blue-green"
    del raw["cutover"]["steps"]
    raw["cutover"]["current_step"] = 1
    cutover = load(raw).cutover
    assert cutover is not None and cutover.weights == [0, 100]
    assert (cutover.source_weight, cutover.target_weight) == (0, 100)
    raw["cutover"]["steps"] = [0, 50, 100]
    with pytest.raises(InputError, match="0 or 100"):
        load(raw)


def test_rollback_thresholds_are_bounded() -> None:
    raw = example_wave()
    raw["cutover"]["rollback"]["max_error_rate"] = 5  # a percentage where a fraction is expected
    with pytest.raises(InputError) as info:
        load(raw)
    assert info.value.key and info.value.key.endswith("rollback.max_error_rate")


def test_azure_dns_hostname_must_be_inside_the_zone() -> None:
    raw = example_wave()
    raw["cutover"]["dns"] = {"cloud": "azure", "zone": "rg-dns/example.org"}
    with pytest.raises(InputError, match="not inside the Azure DNS zone"):
        load(raw)


def test_dns_region_must_be_a_foundation_region() -> None:
    raw = example_wave()
    raw["cutover"]["dns"]["region"] = "eu-west-3"
    err = refused(raw)
    assert err.key and err.key.endswith("cutover.dns.region")


def test_cutover_target_is_where_the_alarms_live() -> None:
    wave = check(example_wave())
    cutover = wave.cutover
    assert cutover is not None and cutover.target is not None
    view = FoundationView.of(foundation())
    assert cutover.alarm_place(view) == ("gcp", "europe-west4")
    assert cutover.dns_region(view) == "eu-west-1"  # the health checks stay with Route 53's records
    raw = example_wave()
    del raw["cutover"]["target"]
    cutover = check(raw).cutover
    assert cutover is not None and cutover.alarm_place(view) == ("aws", "eu-west-1")


def test_cutover_target_region_must_be_a_foundation_region() -> None:
    raw = example_wave()
    raw["cutover"]["target"] = {"cloud": "gcp", "region": "us-central1"}
    err = refused(raw)
    assert err.key and err.key.endswith("cutover.target.region")
    assert "europe-west4" in str(err)


def test_cutover_target_cloud_must_be_enabled() -> None:
    raw = example_wave()
    view = FoundationView.of(foundation())
    found = FoundationView(
        organization=view.organization,
        environment=view.environment,
        residency=view.residency,
        tags=view.tags,
        clouds={c: r for c, r in view.clouds.items() if c != "gcp"},
    )
    del raw["datasets"][0], raw["databases"]
    err = refused(raw, found)
    assert err.key and err.key.endswith("cutover.target.cloud")


@pytest.mark.parametrize(
    ("monitored", "target", "key"),
    [
        (("aws", "azure"), True, "cutover.target.cloud"),  # the target runs on GCP, whose monitoring nothing writes
        (("gcp",), False, "cutover.dns.cloud"),  # no target: the alarms live with Route 53, in AWS
    ],
)
def test_rollback_alarms_need_a_collector_writing_their_clouds_monitoring(
    monitored: tuple[str, ...], target: bool, key: str
) -> None:
    raw = example_wave()
    if not target:
        del raw["cutover"]["target"]
    view = dataclasses.replace(FoundationView.of(foundation()), monitored=monitored)
    err = refused(raw, view)
    assert err.key and err.key.endswith(key)
    assert "telemetry.native" in str(err) and "read nothing" in str(err)


def test_rollback_alarms_where_the_collectors_write() -> None:
    view = FoundationView.of(foundation())
    assert view.monitored == ("aws", "gcp", "azure")  # the example foundation writes every cloud's monitoring
    check(example_wave())
    assert check(example_wave(), dataclasses.replace(view, monitored=("gcp",))).cutover is not None
    # outputs of a foundation planned before `monitored` existed: nothing to judge
    raw = example_wave()
    del raw["cutover"]["target"]
    assert check(raw, dataclasses.replace(view, monitored=None)).cutover is not None


def test_cutover_target_region_must_exist() -> None:
    raw = example_wave()
    raw["cutover"]["target"] = {"cloud": "gcp", "region": "europe-west99"}
    with pytest.raises(InputError) as info:
        load(raw)
    assert info.value.key and info.value.key.endswith("cutover.target.region")


# --- what each service needs -------------------------------------------------------------------


def test_s3_into_gcp_with_workload_identity_needs_a_role() -> None:
    raw = example_wave()
    del raw["datasets"][0]["source"]["credentials"]["role_arn"]
    err = refused(raw)
    assert err.key and err.key.endswith("datasets[0].source.credentials.role_arn")


def test_other_clouds_into_aws_need_datasync_agents_and_secrets() -> None:
    raw = example_wave()
    raw["datasets"][0]["source"] = {
        "cloud": "gcp",
        "region": "europe-west1",
        "bucket": "legacy",
        "credentials": {"kind": "secret", "secret": "hmac"},
    }
    raw["datasets"][0]["target"] = {"cloud": "aws", "region": "eu-west-1"}
    err = refused(raw)
    assert err.key and err.key.endswith("datasets[0].agent_arns")
    raw["datasets"][0]["agent_arns"] = ["arn:aws:datasync:eu-west-1:111111111111:agent/agent-0123456789abcdef0"]
    check(raw)


def test_deletes_never_propagate_into_azure() -> None:
    raw = example_wave()
    raw["datasets"][1]["delete_propagation"] = True
    err = refused(raw)
    assert err.key and err.key.endswith("datasets[1].delete_propagation")


def test_gcp_database_targets_need_the_source_ca_and_no_cdc_only_mode() -> None:
    raw = example_wave()
    del raw["databases"][0]["source"]["ca_certificate"]
    assert "CA bundle" in refused(raw).detail
    raw = example_wave()
    raw["databases"][0]["mode"] = "cdc"
    assert refused(raw).key.endswith("databases[0].mode")  # type: ignore[union-attr]


def test_residency_is_reported_before_missing_credentials() -> None:
    raw = example_wave()
    del raw["datasets"][0]["source"]["credentials"]
    raw["datasets"][0]["target"] = {"cloud": "gcp", "region": "us-east1"}
    assert refused(raw).key.endswith("datasets[0].target.region")  # type: ignore[union-attr]


# --- schedules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "every", "minute", "hour", "weekday"),
    [
        ("hourly", 1, 0, 0, None),
        ("daily", 24, 0, 2, None),
        ("weekly", 168, 0, 2, 0),
        ("15 * * * *", 1, 15, 0, None),
        ("0 */6 * * *", 6, 0, 0, None),
        ("30 3 * * *", 24, 30, 3, None),
        ("45 23 * * 7", 168, 45, 23, 0),
        ("0 1 * * 5", 168, 0, 1, 5),
    ],
)
def test_supported_schedules(text: str, every: int, minute: int, hour: int, weekday: int | None) -> None:
    s = parse_schedule(text)
    assert (s.every_hours, s.minute, s.hour, s.weekday) == (every, minute, hour, weekday)
    assert s.interval_seconds == every * 3600


@pytest.mark.parametrize(
    "text", ["*/5 * * * *", "0 0 1 * *", "0 0 * 1 *", "0 */30 * * *", "0 1,13 * * *", "monthly", "0 0 * *"]
)
def test_schedules_without_a_fixed_interval_are_refused(text: str) -> None:
    raw = example_wave()
    raw["datasets"][0]["schedule"] = text
    with pytest.raises(InputError) as info:
        load(raw)
    assert info.value.key and info.value.key.endswith("datasets[0].schedule")


# --- markers -----------------------------------------------------------------------------------


def test_markers_round_trip_through_a_description() -> None:
    wave = load(example_wave())
    d = wave.datasets[0]
    tags = marker_tags("transfer", d.classification, source=d.source, target=d.target, deletes=False)
    text = "wave wave-1: something. " + marker_text(tags)
    assert parse_marker_text(text) == tags
    assert parse_place(tags["migration-source"]) == ("aws", "eu-west-1")
    assert parse_place("nowhere") is None and parse_marker_text("no markers") == {}
