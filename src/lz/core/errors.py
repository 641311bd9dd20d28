"""Errors the user can act on.

`InputError` is the one exception the CLI turns into exit code 2: it always names the file and,
where there is one, the key path or line at fault. Anything else that escapes is a bug in this
project, not in the user's input.
"""

from __future__ import annotations


class InputError(Exception):
    """The input (a stack file, a graph, a flag) could not be used."""

    def __init__(
        self, message: str, *, file: str | None = None, key: str | None = None, line: int | None = None
    ) -> None:
        self.file = file
        self.key = key
        self.line = line
        self.detail = message
        super().__init__(self.render())

    def render(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line:
                where += f":{self.line}"
            where += ": "
        key = f"{self.key}: " if self.key else ""
        return f"{where}{key}{self.detail}"


class ToolMissingError(Exception):
    """An external program this command needs (the Pulumi CLI, checkov) is not installed."""
