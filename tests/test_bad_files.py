"""Bad input at the file level: the real `lz` process refuses it with exit 2, quickly, in little memory.

tests/test_cli.py checks the messages of malformed stack and graph files in-process. Here each case
runs as its own process (`python -m lz`), so that a hang, a crash or a file read whole into memory
shows: every one must exit 2 within `SECONDS`, with peak memory under `MAX_RSS_MB`, and print one
`lz: error:` message naming the file and no traceback. The files are generated in tmp_path: empty,
truncated, binary, huge (100 MB), nested very deeply, and YAML whose aliases expand without end.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import ROOT, make_project

SECONDS = 60  # each case answers in a few seconds; the bound only catches hangs
MAX_RSS_MB = 400  # the interpreter with lz imported is about 100 MB; reading 100 MB whole would exceed it
HUGE = 100 * 1024 * 1024
EXAMPLE_STACK = (ROOT / "stacks" / "Pulumi.foundation-dev.yaml").read_text()


# `python -m lz`, reporting its own peak RSS (VmHWM) on the way out. The kernel's ru_maxrss of a child
# would not do: it starts from the RSS of the (large) pytest process that forked it.
LZ_WITH_PEAK = """
import atexit, runpy, sys
report = sys.argv.pop(1)
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            open(report, "w").write(line.split()[1])
atexit.register(peak)
sys.argv[0] = "lz"
runpy.run_module("lz", run_name="__main__", alter_sys=True)
"""


def run_lz(args: list[str], cwd: Path) -> tuple[int, str, float, float]:
    """Exit code, stderr, seconds and peak RSS (MB) of one `python -m lz` process."""
    err_path, peak_path = cwd / ".stderr", cwd / ".peak-kb"
    peak_path.unlink(missing_ok=True)
    with open(err_path, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", LZ_WITH_PEAK, str(peak_path), *args],
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=err,
            timeout=SECONDS,
            check=False,
        )
        seconds = time.perf_counter() - t0
    return proc.returncode, err_path.read_text(errors="replace"), seconds, int(peak_path.read_text()) / 1024


def assert_refused(result: tuple[int, str, float, float], file: str, fragment: str = "") -> None:
    code, err, seconds, rss = result
    assert seconds < SECONDS, f"no answer within {SECONDS} s"
    assert code == 2, err
    assert err.startswith(f"lz: error: {file}"), err
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 8, err
    assert fragment in err, err
    assert rss < MAX_RSS_MB, f"peak RSS {rss:.0f} MB"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("bad-files") / "project", {})


@pytest.fixture(scope="module")
def graph_text() -> str:
    """A real `pulumi stack export` (the fixture `lz check` is tested with), pretty-printed as a file
    would be."""
    return json.dumps(json.loads((ROOT / "tests" / "fixtures" / "stack-export.json").read_text()), indent=2)


def _billion_laughs(levels: int = 9, width: int = 10) -> str:
    lines = ["config:", "  landing-zone:landingZone:", "    a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        lines.append(f"    a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


STACK_CASES: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "empty"),
    "blank": (b"\n\n   \n", "empty"),
    "binary": (bytes(random.Random(7).randrange(256) for _ in range(4096)), ""),
    "nested-flow": (b"config:\n  x:y: " + b"[" * 100_000 + b"]" * 100_000 + b"\n", "nested"),
    "nested-block": (
        ("config:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(150)) + "  " * 151 + "v\n").encode(),
        "nested",
    ),
    "aliases": (_billion_laughs().encode(), "aliases are expanded"),
}


@pytest.mark.parametrize("case", sorted(STACK_CASES))
def test_bad_stack_files(project: Path, case: str) -> None:
    content, fragment = STACK_CASES[case]
    (project / "stacks" / f"Pulumi.{case}.yaml").write_bytes(content)
    assert_refused(run_lz(["plan", "--stack", case, "--no-checkov"], project), f"stacks/Pulumi.{case}.yaml", fragment)


@pytest.mark.parametrize(
    ("after", "keep"),
    [("organization: ", 1), ("cidr: 10.16.", 0), ("gpu_pools:", 40), ("config:", 0), ("  - name: h100", 0)],
)
def test_truncated_stack_files(project: Path, after: str, keep: int) -> None:
    """The example stack cut off mid-way (a value half written, a list entry without its keys)."""
    name = "cut"
    cut = EXAMPLE_STACK.index(after) + len(after) + keep
    (project / "stacks" / f"Pulumi.{name}.yaml").write_text(EXAMPLE_STACK[:cut])
    assert_refused(run_lz(["plan", "--stack", name, "--no-checkov"], project), f"stacks/Pulumi.{name}.yaml", "config")


def test_huge_stack_file_is_never_read(project: Path) -> None:
    path = project / "stacks" / "Pulumi.huge.yaml"
    with open(path, "wb") as handle:
        handle.write(b"config:\n  landing-zone:landingZone:\n    organization: '")
        handle.write(b"a" * HUGE)
        handle.write(b"'\n")
    try:
        result = run_lz(["plan", "--stack", "huge", "--no-checkov"], project)
    finally:
        path.unlink()
    assert_refused(result, "stacks/Pulumi.huge.yaml", "limited to")
    assert result[3] < 200, f"peak RSS {result[3]:.0f} MB: was the file read?"


def _graph_cases(graph_text: str) -> dict[str, tuple[bytes, str]]:
    deep_inputs = json.loads(graph_text)
    leaf: object = "x"
    for _ in range(500):
        leaf = {"nested": leaf}
    deep_inputs["deployment"]["resources"][-1]["inputs"]["deep"] = leaf
    return {
        "empty.json": (b"", "empty"),
        "blank.json": (b"  \n\t\n", "empty"),
        "binary.json": (bytes(random.Random(11).randrange(256) for _ in range(4096)), ""),
        "nul.json": (b"\x00" * 1024, ""),
        "nested-array.json": (b"[" * 1_000_000 + b"]" * 1_000_000, "nested"),
        "nested-object.json": (b'{"a":' * 200_000 + b"1" + b"}" * 200_000, "nested"),
        "nested-inputs.json": (json.dumps(deep_inputs).encode(), "nested"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "empty.json",
        "blank.json",
        "binary.json",
        "nul.json",
        "nested-array.json",
        "nested-object.json",
        "nested-inputs.json",
    ],
)
def test_bad_graph_files(project: Path, tmp_path: Path, graph_text: str, case: str) -> None:
    content, fragment = _graph_cases(graph_text)[case]
    path = tmp_path / case
    path.write_bytes(content)
    assert_refused(
        run_lz(["check", str(path), "--no-checkov", "--out", str(tmp_path / "out")], project), str(path), fragment
    )


@pytest.mark.parametrize("fraction", [0.01, 0.5, 0.999])
def test_truncated_graph_files(project: Path, tmp_path: Path, graph_text: str, fraction: float) -> None:
    path = tmp_path / "cut.json"
    path.write_text(graph_text[: int(len(graph_text) * fraction)])
    assert_refused(
        run_lz(["check", str(path), "--no-checkov", "--out", str(tmp_path / "out")], project),
        str(path),
        "malformed JSON",
    )


def test_huge_graph_file_is_never_read(project: Path, tmp_path: Path, graph_text: str) -> None:
    """100 MB of a well-formed graph (the same resource over and over): refused before it is read."""
    one = json.dumps(json.loads(graph_text)["deployment"]["resources"][-1]).encode()
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        handle.write(b'{"version": 3, "deployment": {"resources": [')
        written = 0
        while written < HUGE:
            handle.write(one + b",\n")
            written += len(one) + 2
        handle.write(one + b"]}}\n")
    result = run_lz(["check", str(path), "--no-checkov", "--out", str(tmp_path / "out")], project)
    assert_refused(result, str(path), "limited to")
    assert result[3] < 200, f"peak RSS {result[3]:.0f} MB: was the file read?"
