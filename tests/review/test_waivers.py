"""Waivers: reading waivers.yaml, waiving, expiring, staleness, and the errors of a malformed file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lz.core.errors import InputError
from lz.review.evaluate import Finding
from lz.review.waivers import Bounds, apply_waivers, for_stack, load_waivers, waivers_markdown

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "urn:pulumi:foundation-dev::landing-zone::lz:audit:AwsAudit$aws:s3/bucket:Bucket::acme-dev-audit"
KEY = "urn:pulumi:foundation-dev::landing-zone::lz:keys:AwsRegionKeys$aws:kms/key:Key::acme-dev-euw1-key"

WAIVERS = """\
- policy: CKV_AWS_144
  stacks: [foundation-dev]
  resource: "urn:pulumi:*::landing-zone::*aws:s3/bucket:Bucket::*audit*"
  reason: The organisation's log-archive account replicates the audit trail.
  owner: platform-team
  expires: 2026-06-30
- policy: encryption-kms-rotation
  stacks: foundation-dev
  resource: "urn:pulumi:foundation-dev::landing-zone::*aws:kms/key:Key::acme-dev-euw1-key"
  reason: Rotation is being moved to the central key service.
  owner: security-team
  expires: 2026-01-31
- policy: CKV_GCP_16
  stacks: [foundation-dev]
  resource: "urn:pulumi:*::landing-zone::*gcp:dns/managedZone:ManagedZone::*"
  reason: No public zones any more.
  owner: network-team
  expires: "2027-01-01"
"""


def _findings() -> list[Finding]:
    return [
        Finding("CKV_AWS_144", "checkov", "advisory", "low", BUCKET, "aws:s3/bucket:Bucket", "no replication"),
        Finding("encryption-kms-rotation", "lz", "mandatory", "high", KEY, "aws:kms/key:Key", "rotation off"),
        Finding("CKV_AWS_7", "checkov", "mandatory", "medium", KEY, "aws:kms/key:Key", "rotation off"),
    ]


@pytest.fixture
def waivers_file(tmp_path: Path) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(WAIVERS, encoding="utf-8")
    return path


def test_load(waivers_file: Path) -> None:
    waivers = load_waivers(waivers_file)
    assert [w.policy for w in waivers] == ["CKV_AWS_144", "encryption-kms-rotation", "CKV_GCP_16"]
    assert waivers[1].stacks == ("foundation-dev",) and not waivers[1].break_glass
    assert waivers[0].expires == dt.date(2026, 6, 30) and waivers[2].expires == dt.date(2027, 1, 1)
    assert waivers[1].line == 7 and waivers[1].owner == "security-team"


def test_missing_file_is_no_waivers(tmp_path: Path) -> None:
    assert load_waivers(tmp_path / "waivers.yaml") == []


def test_the_project_waivers_are_valid_and_accountable() -> None:
    waivers = load_waivers(ROOT / "waivers.yaml")
    assert waivers, "the project documents its accepted findings"
    for w in waivers:
        assert w.owner and len(w.reason) > 20 and w.expires > dt.date(2026, 1, 1)


def test_active_waivers_waive_and_say_by_whom(waivers_file: Path) -> None:
    findings = _findings()
    report = apply_waivers(findings, load_waivers(waivers_file), today=dt.date(2026, 1, 31))
    replication, encryption, checkov_rotation = findings
    assert replication.waived and replication.waiver == {
        "owner": "platform-team",
        "reason": "The organisation's log-archive account replicates the audit trail.",
        "expires": "2026-06-30",
    }
    assert encryption.waived and encryption.waiver["owner"] == "security-team"  # the last day still holds
    assert not checkov_rotation.waived and checkov_rotation.waiver is None
    assert report.waived == 2
    assert [s.state for s in report.statuses] == ["active", "active", "stale"]
    assert report.stale[0].waiver.policy == "CKV_GCP_16"


def test_checkov_waivers_are_not_judged_stale_when_checkov_did_not_run(waivers_file: Path) -> None:
    # `--no-checkov`: no checkov finding exists, so a checkov waiver matching nothing says nothing
    findings = [f for f in _findings() if f.source != "checkov"]
    report = apply_waivers(findings, load_waivers(waivers_file), today=dt.date(2026, 1, 31), checkov_ran=False)
    assert [s.state for s in report.statuses] == ["unjudged", "active", "unjudged"]
    assert report.stale == [] and report.as_dict()["unjudged"] == 2
    assert "2 not judged (checkov did not run)" in waivers_markdown(report)
    # a pack policy's waiver that matches nothing is stale whether or not checkov ran
    report = apply_waivers([], load_waivers(waivers_file), today=dt.date(2026, 1, 31), checkov_ran=False)
    assert [s.state for s in report.statuses] == ["unjudged", "stale", "unjudged"]


def test_an_expired_waiver_stops_waiving_and_is_reported(waivers_file: Path) -> None:
    findings = _findings()
    report = apply_waivers(findings, load_waivers(waivers_file), today=dt.date(2026, 2, 1))
    encryption = findings[1]
    assert not encryption.waived
    assert encryption.waiver is not None and encryption.waiver["expired"] is True
    assert [s.waiver.policy for s in report.expired] == ["encryption-kms-rotation"] and report.expired[0].matched == 1
    assert report.waived == 1
    text = waivers_markdown(report)
    assert "Expired waivers" in text and "encryption-kms-rotation" in text and "2026-01-31" in text
    assert "Stale waivers" in text and "CKV_GCP_16" in text
    assert report.as_dict()["expired"] == 1


H = "- {policy: CKV_AWS_7, stacks: [s], resource: 'urn:pulumi:s::p::aws:kms/key:Key::k', "


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ("policy: x\n", None, "expected a list"),
        ("- just a string\n", "[0]", "expected a mapping"),
        (H + "reason: r, owner: o}\n", "[0].expires", "missing"),
        (H + "reason: r, owner: o, expires: 31.12.2026}\n", "[0].expires", "not a date"),
        (H + "reason: r, owner: o, expires: 2026-02-30}\n", "[0].expires", "not a date"),
        (H + "reason: '', owner: o, expires: 2026-01-01}\n", "[0].reason", "non-empty"),
        (H + "reason: r, owner: o, expires: 2026-01-01, until: x}\n", "[0].until", "unknown key"),
        (
            H + "reason: r, owner: o, expires: 2026-01-01}\n"
            "- {policy: CKV_AWS_8, stacks: [s], reason: r, owner: o, expires: 2026-01-01}\n",
            "[1].resource",
            "missing",
        ),
    ],
)
def test_malformed_files_name_file_and_key(tmp_path: Path, text: str, key: str | None, message: str) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_waivers(path, display="waivers.yaml")
    assert info.value.file == "waivers.yaml" and info.value.key == key and message in info.value.detail


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text("- policy: a\n  resource: [\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_waivers(path, display="waivers.yaml")
    assert info.value.line is not None and "malformed YAML" in str(info.value)


# --- bounds: a waiver cannot switch the gate off ----------------------------------------------

ONE = (
    '- policy: "{policy}"\n  stacks: [foundation-dev]\n  resource: "{resource}"\n  reason: r\n  owner: o\n'
    "  expires: {expires}\n"
)
CONCRETE = "urn:pulumi:foundation-dev::landing-zone::*aws:kms/key:Key::*"


def _load(tmp_path: Path, text: str, bounds: Bounds | None = None) -> list:
    path = tmp_path / "waivers.yaml"
    path.write_text(text, encoding="utf-8")
    return load_waivers(path, display="waivers.yaml", bounds=bounds)


@pytest.mark.parametrize(
    ("policy", "resource", "key"),
    [
        ("*", CONCRETE, "[0].policy"),
        ("residency-*", CONCRETE, "[0].policy"),
        ("encryption-kms-rotation", "*", "[0].resource"),
        ("encryption-kms-rotation", "urn:pulumi:*", "[0].resource"),
        ("encryption-kms-rotation", "urn:pulumi:*::*::*::*", "[0].resource"),
        ("encryption-kms-rotation", "urn:pulumi:foundation-dev::landing-zone::*aws:*::*", "[0].resource"),
    ],
)
def test_blanket_waivers_are_refused(tmp_path: Path, policy: str, resource: str, key: str) -> None:
    text = ONE.format(policy=policy, resource=resource, expires="2026-06-30")
    with pytest.raises(InputError) as info:
        _load(tmp_path, text)
    assert info.value.key == key and "LZ_WAIVER_BREAK_GLASS" in info.value.detail
    (waiver,) = _load(tmp_path, text, Bounds(break_glass=True))  # the named setting allows it, marked
    assert waiver.break_glass
    report = apply_waivers([], [waiver], dt.date(2026, 1, 1))
    assert "(break-glass)" not in waivers_markdown(report)  # stale: listed as stale, not as active
    assert report.stale


def test_expiry_beyond_the_horizon_is_refused(tmp_path: Path) -> None:
    text = ONE.format(policy="CKV_AWS_7", resource=CONCRETE, expires="9999-12-31")
    with pytest.raises(InputError, match="more than 365 days ahead") as info:
        _load(tmp_path, text, Bounds(today=dt.date(2026, 12, 5)))
    assert info.value.key == "[0].expires"
    near = ONE.format(policy="CKV_AWS_7", resource=CONCRETE, expires="2027-12-05")
    assert _load(tmp_path, near, Bounds(today=dt.date(2026, 12, 5)))  # exactly the horizon holds
    with pytest.raises(InputError, match="more than 30 days"):
        _load(tmp_path, near, Bounds(today=dt.date(2026, 12, 5), horizon_days=30))


def test_stacks_are_required_and_concrete(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="name the stack") as info:
        _load(
            tmp_path, "- {policy: CKV_AWS_7, resource: '" + CONCRETE + "', reason: r, owner: o, expires: 2026-01-01}\n"
        )
    assert info.value.key == "[0].stacks"
    with pytest.raises(InputError, match="no patterns"):
        _load(
            tmp_path,
            ONE.format(policy="CKV_AWS_7", resource=CONCRETE, expires="2026-01-01").replace(
                "[foundation-dev]", "['*']"
            ),
        )
    with pytest.raises(InputError, match="not among stacks"):
        _load(
            tmp_path,
            ONE.format(policy="CKV_AWS_7", resource=CONCRETE.replace("foundation-dev", "prod"), expires="2026-01-01"),
        )


def test_waivers_hold_and_go_stale_only_in_their_stacks(waivers_file: Path) -> None:
    waivers = load_waivers(waivers_file)
    assert len(for_stack(waivers, "foundation-dev")) == 3
    assert for_stack(waivers, "wave-1-dev") == [] and for_stack(waivers, None) == []


def test_markdown_from_waivers_is_escaped(tmp_path: Path) -> None:
    text = (
        ONE.format(policy="CKV_AWS_7", resource=CONCRETE, expires="2026-06-30")
        .replace("reason: r", "reason: '![x](https://e.vil/p.png) <!-- hidden'")
        .replace("owner: o", "owner: '@acme/platform'")
    )
    (waiver,) = _load(tmp_path, text)
    finding = Finding("CKV_AWS_7", "checkov", "mandatory", "high", KEY, "aws:kms/key:Key", "rotation off")
    md = waivers_markdown(apply_waivers([finding], [waiver], dt.date(2026, 1, 1)))
    assert "![x](" not in md and "<!--" not in md and "\\!\\[x\\]" in md and "&lt;\\!\\-\\-" in md
    assert "@acme" not in md and "@\u200dacme/platform" in md


def test_a_deeply_nested_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nested too deeply"):
        _load(tmp_path, "[" * 5000 + "]" * 5000)


def test_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "waivers.yaml")
    with pytest.raises(InputError, match="not a regular file"):
        load_waivers(tmp_path / "waivers.yaml")
