"""landing-zone: multicloud landing zones and migration waves for AI workloads, with guardrails.

The version is the one of pyproject.toml (the only place it is written), as installed.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("landing-zone")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
