"""report.sarif: SARIF 2.1.0 in the shape GitHub code scanning takes."""

from __future__ import annotations

import json
from types import SimpleNamespace

from lz.review.evaluate import Finding
from lz.review.sarif import fingerprint, meta_from_policies, to_sarif

KEY = "urn:pulumi:foundation-dev::landing-zone::lz:keys:AwsRegionKeys$aws:kms/key:Key::acme-dev-euw1-key"
BUCKET = "urn:pulumi:foundation-dev::landing-zone::aws:s3/bucket:Bucket::acme-dev-audit"
STACK_FILE = "stacks/Pulumi.foundation-dev.yaml"


def _findings() -> list[Finding]:
    waived = Finding(
        "CKV_AWS_144",
        "checkov",
        "advisory",
        "low",
        BUCKET,
        "aws:s3/bucket:Bucket",
        "CKV_AWS_144 failed: Ensure that S3 bucket has cross-region replication enabled",
        waived=True,
        waiver={"owner": "platform-team", "reason": "archived centrally", "expires": "2026-06-30"},
    )
    return [
        Finding(
            "encryption-kms-rotation",
            "lz",
            "mandatory",
            "high",
            KEY,
            "aws:kms/key:Key",
            "KMS key rotation is off",
            remediation="Set enableKeyRotation: true.",
        ),
        Finding(
            "CKV_AWS_7",
            "checkov",
            "mandatory",
            "medium",
            KEY,
            "aws:kms/key:Key",
            "CKV_AWS_7 failed: Ensure rotation for customer created CMKs is enabled",
            remediation="Rotate.",
        ),
        Finding(
            "CKV2_AWS_62",
            "checkov",
            "advisory",
            "low",
            BUCKET,
            "aws:s3/bucket:Bucket",
            "CKV2_AWS_62 failed: Ensure S3 buckets should have event notifications enabled",
        ),
        waived,
    ]


def _locate(urn: str) -> tuple[str, int] | None:
    return (STACK_FILE, 12) if urn == KEY else None


META = meta_from_policies(
    [
        SimpleNamespace(
            name="encryption-kms-rotation",
            description="KMS keys rotate yearly.",
            remediation_steps="Set enableKeyRotation: true.",
            severity=SimpleNamespace(value="high"),
        )
    ]
)


def test_sarif_log_shape() -> None:
    log = to_sarif(
        _findings(),
        META,
        _locate,
        fallback=(STACK_FILE, 1),
        category="landing-zone/foundation-dev",
        tool_version="0.1.0",
    )
    json.dumps(log)  # serialisable
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "landing-zone" and driver["semanticVersion"] == "0.1.0"
    assert run["automationDetails"]["id"] == "landing-zone/foundation-dev/"
    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(set(ids))
    for rule in rules:
        assert rule["name"] and rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"]
        severity = float(rule["properties"]["security-severity"])
        assert 0.0 < severity <= 10.0
        assert rule["properties"]["problem.severity"] in ("error", "warning", "recommendation")
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note") and result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not physical["artifactLocation"]["uri"].startswith("/") and physical["region"]["startLine"] >= 1
        assert location["logicalLocations"][0]["fullyQualifiedName"] == result["properties"]["urn"]


def test_rules_carry_help_and_severity() -> None:
    log = to_sarif(_findings(), META, _locate)
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    rotation = rules["encryption-kms-rotation"]
    assert rotation["fullDescription"]["text"] == "KMS keys rotate yearly."
    assert "Set enableKeyRotation: true." in rotation["help"]["text"]
    assert rotation["properties"]["security-severity"] == "8.0"
    assert rotation["defaultConfiguration"]["level"] == "error"
    events = rules["CKV2_AWS_62"]  # no metadata: taken from the finding
    assert events["shortDescription"]["text"] == "Ensure S3 buckets should have event notifications enabled"
    assert events["properties"]["security-severity"] == "3.0" and events["defaultConfiguration"]["level"] == "note"


def test_results_levels_locations_suppressions_and_fingerprints() -> None:
    log = to_sarif(_findings(), META, _locate, fallback=(STACK_FILE, 1))
    results = {(r["ruleId"], r["properties"]["urn"]): r for r in log["runs"][0]["results"]}
    rotation = results[("CKV_AWS_7", KEY)]
    assert rotation["level"] == "error"
    assert rotation["locations"][0]["physicalLocation"]["region"]["startLine"] == 12
    events = results[("CKV2_AWS_62", BUCKET)]
    assert events["level"] == "note"
    assert events["locations"][0]["physicalLocation"]["region"]["startLine"] == 1  # the fallback
    waived = results[("CKV_AWS_144", BUCKET)]
    assert waived["suppressions"][0]["status"] == "accepted"
    assert "archived centrally" in waived["suppressions"][0]["justification"]
    assert "suppressions" not in rotation
    assert rotation["partialFingerprints"]["landingZoneFinding/v1"] == fingerprint("CKV_AWS_7", KEY)
    again = to_sarif(list(reversed(_findings())), META, _locate, fallback=(STACK_FILE, 1))
    assert json.dumps(again) == json.dumps(log)


def test_without_a_location_a_result_still_names_its_resource() -> None:
    log = to_sarif(_findings()[2:3], {}, lambda urn: None)
    (location,) = log["runs"][0]["results"][0]["locations"]
    assert "physicalLocation" not in location and location["logicalLocations"][0]["fullyQualifiedName"] == BUCKET


def test_stack_locator_points_at_the_spec_entry() -> None:
    from lz.cli.project import parse_yaml
    from lz.core.graph import Resource
    from lz.review.sarif import stack_locator

    text = (
        "config:\n  landing-zone:landingZone:\n    clouds:\n      aws:\n"
        "        regions: [eu-west-1, eu-central-1]\n"
        "      azure:\n        regions:\n          - westeurope\n          - northeurope\n"
        "    gpu_pools:\n      - name: train\n        cloud: aws\n"
    )
    data, lines = parse_yaml(text, "stacks/Pulumi.dev.yaml")
    under = {k[1:]: v for k, v in lines.items() if k[:1] == ("config",) and len(k) > 1}
    provider = Resource(
        urn="urn:pulumi:dev::lz::pulumi:providers:aws::euc1",
        type="pulumi:providers:aws",
        custom=True,
        inputs={"region": "eu-central-1"},
    )
    key = Resource(
        urn="urn:pulumi:dev::lz::aws:kms/key:Key::acme-dev-aws-key-euc1",
        type="aws:kms/key:Key",
        custom=True,
        inputs={},
        provider=provider.urn + "::id",
    )
    vnet = Resource(
        urn="urn:pulumi:dev::lz::azure-native:network:VirtualNetwork::hub",
        type="azure-native:network:VirtualNetwork",
        custom=True,
        inputs={"location": "northeurope"},
    )
    pool = Resource(
        urn="urn:pulumi:dev::lz::aws:eks/nodeGroup:NodeGroup::acme-dev-train-pool",
        type="aws:eks/nodeGroup:NodeGroup",
        custom=True,
        inputs={},
    )
    gcp = Resource(
        urn="urn:pulumi:dev::lz::gcp:compute/network:Network::vpc",
        type="gcp:compute/network:Network",
        custom=True,
        inputs={},
    )
    locate = stack_locator(
        "stacks/Pulumi.dev.yaml", data["config"], under, "landing-zone:landingZone", [provider, key, vnet, pool, gcp]
    )
    assert locate(key.urn) == ("stacks/Pulumi.dev.yaml", 5)
    assert locate(vnet.urn) == ("stacks/Pulumi.dev.yaml", 9)
    assert locate(pool.urn) == ("stacks/Pulumi.dev.yaml", 11)
    assert locate(gcp.urn) == ("stacks/Pulumi.dev.yaml", 2)  # no gcp entry: the landing zone itself
