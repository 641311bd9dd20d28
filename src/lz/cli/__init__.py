"""The `lz` command: argument parsing, the plan and check pipelines, test environments."""

from lz.cli.app import build_parser, main

__all__ = ["build_parser", "main"]
