"""`lz check` over graphs of other Pulumi programs: a `pulumi stack export` and a `pulumi preview --json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lz.cli.app import main
from tests.helpers import ROOT

FIXTURES = Path(__file__).parent / "fixtures"


def check(tmp_path: Path, name: str, *flags: str) -> tuple[int, dict]:
    out = tmp_path / "out"
    code = main(["check", str(FIXTURES / name), "--out", str(out), *flags])
    assert (out / "report.sarif").exists() and (out / "report.md").exists()
    return code, json.loads((out / "findings.json").read_text())


def found(doc: dict, source: str = "lz") -> set[tuple[str, str]]:
    return {(f["policy"], f["urn"].rsplit("::", 1)[-1]) for f in doc["findings"] if f["source"] == source}


@pytest.mark.checkov
def test_stack_export_is_judged_by_both_the_pack_and_checkov(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, doc = check(tmp_path, "stack-export.json", "--residency", "eu")
    assert code == 1
    assert found(doc) == {
        ("residency-allowed-jurisdiction", "orders-key"),  # London is not in the EU
        ("encryption-key-rotation", "orders-key"),
        ("tags-required", "orders-key"),
        ("encryption-s3-bucket-cmk", "exports"),
        ("encryption-s3-tls-only", "exports"),
        ("residency-allowed-jurisdiction", "backups"),  # the US multi-region
        ("encryption-at-rest-cmk", "backups"),
        ("encryption-at-rest-cmk", "legacy"),
        ("encryption-in-transit-tls", "legacy"),
        # this program enables no API itself (they are managed elsewhere): no deploy-api-enabled-first
    }
    # the compliant resources come back clean
    names = {urn for policy, urn in found(doc) if not policy.startswith("deploy-")}
    assert "ledger-key" not in names and "images" not in names and "db-password" not in names
    assert all(f["enforcement"] == "mandatory" for f in doc["findings"] if f["source"] == "lz")
    theirs = found(doc, "checkov")
    assert ("CKV_AWS_7", "orders-key") in theirs  # KMS rotation
    assert ("CKV_AWS_7", "ledger-key") not in theirs
    assert ("CKV_AZURE_3", "legacy") in theirs and ("CKV_AZURE_44", "legacy") in theirs  # HTTPS only, TLS 1.2
    assert all(f["urn"].startswith("urn:pulumi:") for f in doc["findings"] if f["source"] == "checkov")
    for text in (tmp_path / "out").iterdir():
        assert "ciphertext" not in text.read_text()


def test_preview_unknowns_are_undecided_not_violations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, doc = check(tmp_path, "preview.json", "--residency", "eu", "--no-checkov")
    assert code == 1
    assert found(doc) == {
        ("encryption-at-rest-cmk", "app"),
        ("residency-allowed-jurisdiction", "app"),  # eu-central-2 is Zurich
        ("residency-allowed-jurisdiction", "pending"),
    }
    assert [u["policy"] for u in doc["undecided"]] == ["encryption-key-rotation"]
    assert "old" not in {urn for _, urn in found(doc)}  # deleted resources are not judged


def test_residency_flag_changes_the_verdict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    _, doc = check(tmp_path, "preview.json", "--residency", "ch", "--no-checkov")
    assert not any(f["policy"].startswith("residency-") for f in doc["findings"])


def test_policy_config_can_make_a_family_advisory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    cfg = tmp_path / "cfg.json"
    cfg.write_text(json.dumps({"all": "advisory"}))
    code, doc = check(tmp_path, "stack-export.json", "--residency", "eu", "--policy-config", str(cfg), "--no-checkov")
    assert code == 0
    assert doc["findings"] and all(f["enforcement"] == "advisory" for f in doc["findings"])


def test_require_tags_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    _, doc = check(tmp_path, "stack-export.json", "--residency", "eu", "--require-tags", "owner,team", "--no-checkov")
    tagged = {urn for policy, urn in found(doc) if policy == "tags-required"}
    assert {"ledger-key", "exports", "images", "legacy"} <= tagged  # none carries `team`


def test_check_of_our_own_graph_matches_plan(foundation_dev, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "own"
    code = main(
        [
            "check",
            str(foundation_dev.out / "graph.json"),
            "--stack",
            "foundation-dev",
            "--out",
            str(out),
            "--no-checkov",
        ]
    )
    assert code == foundation_dev.exit_code
    mine = json.loads((out / "findings.json").read_text())
    assert [f for f in mine["findings"] if f["source"] == "lz"] == [
        f for f in foundation_dev.findings["findings"] if f["source"] == "lz"
    ]


def test_check_works_outside_any_project_and_inside_another(tmp_path: Path) -> None:
    """The pack ships with the installed package: no Pulumi.yaml, or another program's, is fine."""
    import subprocess
    import sys

    graph = FIXTURES / "stack-export.json"
    outside = tmp_path / "outside"
    outside.mkdir()
    other = tmp_path / "other-program"
    other.mkdir()
    (other / "Pulumi.yaml").write_text("name: someone-else\nruntime: python\n")
    for where in (outside, other):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "lz",
                "check",
                str(graph),
                "--residency",
                "eu",
                "--no-checkov",
                "--out",
                str(where / "out"),
            ],
            cwd=where,
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 1, proc.stderr  # the fixture holds real violations: a verdict, not a crash
        assert "Traceback" not in proc.stderr and (where / "out" / "findings.json").is_file()
    proc = subprocess.run(
        [sys.executable, "-m", "lz", "check", str(graph), "--stack", "dev"],
        cwd=outside,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2 and "no Pulumi.yaml" in proc.stderr
