"""Locating the Pulumi project and reading its stack files.

Like the Pulumi CLI, `lz` works on the project in the current directory or the nearest parent that
holds `Pulumi.yaml`; stacks, templates and waivers are read from there, never from where this
package is installed. Stack files are read with a safe YAML loader and their config is turned into
the flat `project:key -> string` map that the Pulumi engine hands a program.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lz.core.errors import InputError
from lz.core.yaml_errors import malformed_yaml

MAX_STACK_FILE_BYTES = 4 * 1024 * 1024
MAX_YAML_DEPTH = 64
# Values a file may hold once its aliases are expanded: a large landing zone has a few thousand, and
# a few lines of anchors and aliases can otherwise stand for billions ("billion laughs").
MAX_YAML_VALUES = 250_000


@dataclass(frozen=True)
class Project:
    root: Path
    name: str
    stack_config_dir: Path

    def stack_file(self, stack: str) -> Path:
        return self.stack_config_dir / f"Pulumi.{stack}.yaml"

    def stacks(self) -> list[str]:
        names = []
        for path in sorted(self.stack_config_dir.glob("Pulumi.*.yaml")):
            names.append(path.name[len("Pulumi.") : -len(".yaml")])
        return names

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)


@dataclass
class StackFile:
    """A stack file as Pulumi reads it, plus the line of every key path for error messages."""

    project: Project
    stack: str
    path: Path
    config: dict[str, Any]
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)

    @property
    def display(self) -> str:
        return self.project.rel(self.path)

    def namespaced(self, key: str) -> Any:
        return self.config.get(f"{self.project.name}:{key}")

    def line_of(self, path: tuple[str | int, ...]) -> int | None:
        """The line of the deepest key of `path` that exists in the file."""
        for n in range(len(path), 0, -1):
            if path[:n] in self.lines:
                return self.lines[path[:n]]
        return None

    def engine_config(self) -> tuple[dict[str, str], list[str]]:
        """Config as the Pulumi engine passes it to a program: `ns:key` -> string, objects as JSON.

        Secure values cannot be decrypted offline; they are passed as the literal `[secret]` and
        listed as secret keys, so a program that reads them still sees a secret.
        """
        flat: dict[str, str] = {}
        secret_keys: list[str] = []
        for key, value in self.config.items():
            if isinstance(value, dict) and set(value) == {"secure"}:
                flat[key] = "[secret]"
                secret_keys.append(key)
            elif isinstance(value, str):
                flat[key] = value
            else:
                flat[key] = json.dumps(value, sort_keys=True, separators=(",", ":"))
        return flat, secret_keys


def find_project(start: Path | None = None) -> Project:
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / "Pulumi.yaml"
        if candidate.is_file():
            return _load_project(candidate)
    raise InputError("no Pulumi.yaml in this directory or any parent; run lz inside a Pulumi project", file=str(here))


def no_project(start: Path | None = None) -> Project:
    """The stand-in for `lz check` run outside any Pulumi project: no stacks, no project waivers."""
    here = (start or Path.cwd()).resolve()
    return Project(root=here, name="", stack_config_dir=here / ".lz-no-stacks")


def _load_project(path: Path) -> Project:
    data = load_yaml(path, display=path.name)
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise InputError("expected a mapping with a string `name`", file=str(path), key="name")
    config_dir = data.get("stackConfigDir", ".")
    if not isinstance(config_dir, str):
        raise InputError("expected a string", file=str(path), key="stackConfigDir")
    return Project(root=path.parent, name=data["name"], stack_config_dir=path.parent / config_dir)


def load_stack(project: Project, stack: str) -> StackFile:
    if not stack or "/" in stack or stack.startswith("."):
        raise InputError(f"invalid stack name {stack!r}", key="--stack")
    path = project.stack_file(stack)
    display = project.rel(path)
    if not path.is_file():
        import difflib  # noqa: PLC0415

        names = project.stacks()
        close = difflib.get_close_matches(stack, names, n=2, cutoff=0.6)
        known = ", ".join(names) or "none"
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise InputError(
            f"no such stack file ({hint}stacks in {project.rel(project.stack_config_dir)}: {known})", file=display
        )
    data, lines = load_yaml_with_lines(path, display=display)
    if data is None:
        raise InputError("the stack file is empty; expected a mapping with a `config` key", file=display)
    if not isinstance(data, dict):
        raise InputError("expected a mapping at the top level", file=display, line=1)
    config = data.get("config")
    if not isinstance(config, dict):
        raise InputError("expected a `config` mapping", file=display, key="config", line=lines.get(("config",)))
    for key in config:
        if not isinstance(key, str) or ":" not in key:
            raise InputError(
                f"config keys must be namespaced like `{project.name}:landingZone`",
                file=display,
                key=f"config.{key}",
                line=lines.get(("config", key)),
            )
    sub_lines = {k[1:]: v for k, v in lines.items() if k[:1] == ("config",) and len(k) > 1}
    return StackFile(project=project, stack=stack, path=path, config=config, lines=sub_lines)


def _read_text(path: Path, display: str) -> str:
    from lz.core.safe_io import read_regular  # noqa: PLC0415

    raw = read_regular(path, display, MAX_STACK_FILE_BYTES, what="YAML stack file")
    if b"\x00" in raw:
        raise InputError("binary content; expected a YAML text file", file=display)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=display) from None


def load_yaml(path: Path, display: str) -> Any:
    return load_yaml_with_lines(path, display)[0]


def load_yaml_with_lines(path: Path, display: str) -> tuple[Any, dict[tuple[str | int, ...], int]]:
    text = _read_text(path, display)
    return parse_yaml(text, display)


def parse_yaml(text: str, display: str) -> tuple[Any, dict[tuple[str | int, ...], int]]:
    """Parse YAML safely, returning the data and the 1-based line of every key path.

    The document is composed once: its nodes give the lines (and the checks on nesting and size),
    and the data is constructed from the same nodes, as `yaml.safe_load` would construct it.
    """
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise malformed_yaml(exc, display) from None
        except RecursionError:  # PyYAML's composer recurses once per level of nesting
            raise InputError(f"YAML nested more than {MAX_YAML_DEPTH} levels deep", file=display) from None
        if node is None:
            return None, {}
        lines: dict[tuple[str | int, ...], int] = {}
        _index(node, (), lines, 0, display, [0])
        try:
            data = loader.construct_document(node)
        except yaml.YAMLError as exc:
            raise malformed_yaml(exc, display) from None
    finally:
        loader.dispose()
    return data, lines


# The parser's problems as a person would put them, with the usual fix (PyYAML's wording, 6.0).
def _index(
    node: yaml.Node,
    path: tuple[str | int, ...],
    lines: dict[tuple[str | int, ...], int],
    depth: int,
    display: str,
    visited: list[int],
) -> None:
    """Record the line of every key path, walking the document as it reads once aliases are expanded."""
    if depth > MAX_YAML_DEPTH:
        raise InputError(
            f"YAML nested more than {MAX_YAML_DEPTH} levels deep", file=display, line=node.start_mark.line + 1
        )
    visited[0] += 1
    if visited[0] > MAX_YAML_VALUES:
        raise InputError(
            f"YAML holds more than {MAX_YAML_VALUES} values once its aliases are expanded",
            file=display,
            line=node.start_mark.line + 1,
        )
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            if key in seen and key != "<<":
                # YAML would silently keep the last value: a second `regions:` hides the first.
                raise InputError(
                    f"duplicate key {key!r} (first at line {seen[key]}): YAML would keep only the last one; merge them",
                    file=display,
                    line=key_node.start_mark.line + 1,
                )
            seen[key] = key_node.start_mark.line + 1
            sub = (*path, key)
            lines[sub] = key_node.start_mark.line + 1
            _index(value_node, sub, lines, depth + 1, display, visited)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            sub = (*path, i)
            lines[sub] = item.start_mark.line + 1
            _index(item, sub, lines, depth + 1, display, visited)
