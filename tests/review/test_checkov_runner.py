"""Running checkov and reading its report, against a stand-in checkov (fast; the real one is in test_checkov_bridge)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from lz.core.errors import ToolMissingError
from lz.review.checkov import (
    CheckovError,
    CheckovSettings,
    find_checkov,
    findings_from,
    parse_report,
    run_checkov,
    scan,
)

REPORT = [
    {
        "check_type": "terraform_plan",
        "summary": {"resource_count": 2, "checkov_version": "3.3.30"},
        "results": {
            "failed_checks": [
                {
                    "check_id": "CKV_AWS_7",
                    "check_name": "Ensure rotation for customer created CMKs is enabled",
                    "resource": "aws_kms_key.k",
                    "resource_address": "aws_kms_key.k",
                    "severity": None,
                    "file_abs_path": "/w/tfplan.json",
                },
                {
                    "check_id": "CKV_AWS_7",
                    "check_name": "Ensure rotation for customer created CMKs is enabled",
                    "resource": "aws_kms_key.k",
                    "resource_address": "aws_kms_key.k",
                    "severity": None,
                },
                {
                    "check_id": "CKV2_AWS_62",
                    "check_name": "Ensure S3 buckets should have event notifications enabled",
                    "resource": "aws_s3_bucket.b",
                    "resource_address": "aws_s3_bucket.b",
                    "severity": "HIGH",
                },
                {
                    "check_id": "CKV_AWS_999",
                    "check_name": "Something on a resource nobody mapped",
                    "resource": "aws_thing.unknown",
                    "resource_address": "aws_thing.unknown",
                },
            ],
            "passed_checks": [
                {
                    "check_id": "CKV_AWS_19",
                    "check_name": "encrypted",
                    "resource": "aws_s3_bucket.b",
                    "resource_address": "aws_s3_bucket.b",
                }
            ],
        },
    },
    {
        "check_type": "arm",
        "summary": {"resource_count": 1, "checkov_version": "3.3.30"},
        "results": {
            "failed_checks": [
                {
                    "check_id": "CKV_AZURE_3",
                    "check_name": "Ensure that 'supportsHttpsTrafficOnly' is set to 'true'",
                    "resource": "Microsoft.Storage/storageAccounts.sa1",
                    "resource_address": None,
                }
            ]
        },
    },
]
URNS = {
    "aws_kms_key.k": "urn:pulumi:dev::lz::aws:kms/key:Key::k",
    "aws_s3_bucket.b": "urn:pulumi:dev::lz::lz:audit:AwsAudit$aws:s3/bucket:Bucket::b",
    "Microsoft.Storage/storageAccounts.sa1": "urn:pulumi:dev::lz::azure-native:storage:StorageAccount::sa",
}


def test_report_parsing_and_outcomes() -> None:
    run = parse_report(REPORT)
    assert run.resource_count == {"terraform_plan": 2, "arm": 1} and run.version == "3.3.30"
    assert run.outcome("CKV_AWS_7", "aws_kms_key.k") is False
    assert run.outcome("CKV_AWS_19", "aws_s3_bucket.b") is True
    assert run.outcome("CKV_AWS_19", "aws_kms_key.k") is None
    assert run.evaluated("arm") == {"Microsoft.Storage/storageAccounts.sa1"}


def test_findings_carry_urn_type_enforcement_and_severity() -> None:
    findings = findings_from(parse_report(REPORT), URNS, CheckovSettings.load())
    by = {f.policy: f for f in findings}
    assert set(by) == {"CKV_AWS_7", "CKV2_AWS_62", "CKV_AZURE_3"}  # one per check and resource; unmapped dropped
    rotation = by["CKV_AWS_7"]
    assert (rotation.source, rotation.enforcement, rotation.severity) == ("checkov", "mandatory", "medium")
    assert (rotation.urn, rotation.type) == (URNS["aws_kms_key.k"], "aws:kms/key:Key")
    assert "rotation" in rotation.message and "waivers.yaml" in rotation.remediation
    events = by["CKV2_AWS_62"]
    assert (events.enforcement, events.severity) == ("advisory", "high")  # checkov's own severity when it has one
    assert events.type == "aws:s3/bucket:Bucket"
    https = by["CKV_AZURE_3"]
    assert (https.enforcement, https.severity) == ("mandatory", "high")
    assert https.type == "azure-native:storage:StorageAccount"


def test_settings_file_is_the_one_place(tmp_path: Path) -> None:
    default = CheckovSettings.load()
    assert default.enforcement("CKV_AWS_3") == "mandatory"  # encryption family
    assert default.enforcement("CKV_AWS_145") == "advisory"  # judged by the pack (encryption-s3-bucket-cmk)
    assert default.enforcement("CKV_GCP_112") == "mandatory"  # IAM family
    assert default.enforcement("CKV2_AWS_62") == "advisory"
    assert default.family_of["CKV_AWS_7"] == "encryption"
    custom = tmp_path / "checkov.yaml"
    custom.write_text(
        "mandatory_families: [iam]\nfamilies:\n  encryption: [CKV_AWS_7]\n  iam: [CKV_AWS_62]\n"
        "enforcement: {CKV_AWS_62: advisory, CKV_AWS_24: mandatory}\n"
        "defaults: {severity: {mandatory: high, advisory: low}}\nseverity: {CKV_AWS_24: critical}\n"
    )
    settings = CheckovSettings.load(custom)
    assert settings.enforcement("CKV_AWS_7") == "advisory"  # its family is not mandatory here
    assert settings.enforcement("CKV_AWS_62") == "advisory"  # the override wins over the family
    assert settings.enforcement("CKV_AWS_24") == "mandatory"
    assert settings.severity("CKV_AWS_24", "mandatory") == "critical"
    assert settings.severity("CKV_AWS_1", "mandatory") == "high"
    bad = tmp_path / "bad.yaml"
    bad.write_text("severity: {CKV_AWS_24: urgent}\n")
    with pytest.raises(ValueError, match="urgent"):
        CheckovSettings.load(bad)


def _fake_checkov(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "checkov"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_scan_runs_checkov_once_offline_over_both_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args_file, env_file = tmp_path / "args", tmp_path / "env"
    report = tmp_path / "report.json"
    report.write_text(json.dumps(REPORT))
    fake = _fake_checkov(tmp_path, f'printf "%s\\n" "$@" > {args_file}\nenv > {env_file}\ncat {report}\n')
    monkeypatch.setenv("LZ_CHECKOV", str(fake))
    monkeypatch.setenv("BC_API_KEY", "must-not-reach-checkov")
    tf, arm = tmp_path / "tfplan.json", tmp_path / "arm.json"
    tf.write_text("{}")
    arm.write_text("{}")
    findings = run_checkov(tf, arm, tmp_path / "work", URNS)
    assert {f.policy for f in findings} == {"CKV_AWS_7", "CKV2_AWS_62", "CKV_AZURE_3"}
    args = args_file.read_text().split("\n")
    assert args.count("-f") == 2 and str(tf.resolve()) in args and str(arm.resolve()) in args
    framework = args.index("--framework")
    assert args[framework + 1 : framework + 3] == ["terraform_plan", "arm"]
    assert {"--skip-download", "-o", "json", "--quiet"} <= set(args)
    env = env_file.read_text()
    assert "BC_API_KEY" not in env and "BC_SKIP_MAPPING=TRUE" in env


def test_a_checkov_that_prints_no_report_is_an_error(tmp_path: Path) -> None:
    fake = _fake_checkov(tmp_path, 'echo "Traceback: boom" >&2\nexit 2\n')
    with pytest.raises(CheckovError, match="boom"):
        scan([tmp_path / "x.json"], tmp_path, checkov=fake)


def test_missing_checkov_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LZ_CHECKOV", str(tmp_path / "nope"))
    with pytest.raises(ToolMissingError, match="make setup"):
        find_checkov()
    monkeypatch.delenv("LZ_CHECKOV")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr("lz.review.checkov.__file__", str(tmp_path / "src" / "lz" / "checkov.py"))
    with pytest.raises(ToolMissingError, match="make setup"):
        find_checkov(root=tmp_path)


def test_installed_checkov_is_found() -> None:
    path = find_checkov()
    assert path.is_file() and os.access(path, os.X_OK)


def test_checkov_runs_in_an_empty_folder_with_its_own_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A `.checkov.yaml` planted in the output folder, or CKV_SKIP_CHECK in the environment, skips nothing."""
    seen = tmp_path / "seen"
    report = tmp_path / "report.json"
    report.write_text(json.dumps(REPORT))
    fake = _fake_checkov(
        tmp_path,
        f'{{ pwd; ls -A; echo "HOME=$HOME"; env | grep "^CKV_" || true; '
        f'printf "%s\\n" "$@"; }} > {seen}\ncat {report}\n',
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / ".checkov.yaml").write_text("skip-check: [CKV_AWS_7]\n")
    monkeypatch.setenv("CKV_SKIP_CHECK", "CKV_AWS_7")
    monkeypatch.setenv("CKV_FRAMEWORK", "secrets")
    tf = out / "tfplan.json"
    tf.write_text("{}")
    scan([tf], out, checkov=fake)
    lines = seen.read_text().splitlines()
    cwd = lines[0]
    assert cwd != str(out) and Path(cwd).name.startswith("lz-checkov-")
    assert lines[1] == "checkov.yaml"  # the folder holds only lz's own config
    assert f"HOME={cwd}" in lines and "CKV_SKIP_PACKAGE_UPDATE_CHECK=TRUE" in lines  # lz's own offline setting
    assert not any(x.startswith(("CKV_SKIP_CHECK", "CKV_FRAMEWORK")) for x in lines)
    config = lines.index("--config-file")
    assert lines[config + 1] == f"{cwd}/checkov.yaml"
    assert not Path(cwd).exists()  # removed after the run
