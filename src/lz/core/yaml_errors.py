"""YAML parser errors turned into lz's one-line message: the problem in plain words, its line and column."""

from __future__ import annotations

import yaml

from lz.core.errors import InputError

_PLAIN = (
    ("found character '\\t'", "a tab: YAML indents with spaces only"),
    (
        "mapping values are not allowed here",
        "a ': ' inside a value, or a key indented wrongly; quote a value that holds ': ' (e.g. \"a: b\")",
    ),
    (
        "expected alphabetic or numeric character",
        'a value starting with * or & is YAML syntax (an alias or anchor); quote it, e.g. "*"',
    ),
    ("found undefined alias", 'a value starting with * is YAML syntax (an alias); quote it, e.g. "*"'),
    ("found character '@' that cannot start any token", "a value starting with @ or ` must be quoted"),
    ("found character '`' that cannot start any token", "a value starting with @ or ` must be quoted"),
    ("did not find expected key", "a line indented differently from the keys around it, or an unclosed quote"),
    (
        "could not find expected ':'",
        "a key without ':' after it, or a value running over a line break; quote long values",
    ),
    ("found unexpected end of stream", "an unclosed quote or bracket"),
    ("expected ',' or ']'", "an unclosed [ list ]"),
    ("expected ',' or '}'", "an unclosed { mapping }"),
)


def malformed_yaml(exc: yaml.YAMLError, display: str) -> InputError:
    """A YAML error as the one-line message lz prints: a plain problem, its line and its column."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    plain = next((text for pattern, text in _PLAIN if pattern in problem), "")
    where = f" at column {mark.column + 1}" if mark is not None else ""
    message = f"malformed YAML{where}: {plain or problem}" + (f" (parser: {problem})" if plain else "")
    return InputError(message, file=display, line=(mark.line + 1) if mark else None)
