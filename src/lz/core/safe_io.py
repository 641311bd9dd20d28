"""Reading inputs and writing outputs without being led astray by the file system.

- `read_regular(path, display, limit)`: reads a regular file of at most `limit` bytes. A FIFO, a
  device or a directory is refused (exit 2) without blocking on it: the file is opened
  non-blocking and checked with `fstat` on the open descriptor, so it cannot be swapped between the
  check and the read.
- `OutputFolder`: the folder `lz plan` / `lz check` write. `--out` naming an existing file is
  refused; a lock (`.lz.lock`, `flock`) keeps two runs from writing one folder at once (the second
  waits); the reports a run writes are removed first, so a plan that fails or is refused never
  leaves the previous run's `report.md` saying PASS. Every file is written to a fresh temporary
  file created exclusively (`O_EXCL`, random name) in the folder and renamed over the target:
  a symlink planted at the target or at a predictable temporary name is replaced, never followed.

What it does not do: protect against another user who can write the output folder while lz runs
(the rename is atomic, the folder is theirs too).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import sys
import tempfile
from pathlib import Path
from types import TracebackType

from lz.core.errors import InputError

# Everything lz plan / lz check write into an output folder (the runbook of a wave too).
REPORT_FILES = (
    "graph.json",
    "findings.json",
    "report.md",
    "report.sarif",
    "policy-config.json",
    "tfplan.json",
    "arm.json",
    "cost.json",
    "runbook.md",
    "plan.json",
    "comment.md",
)
LOCK_NAME = ".lz.lock"


def read_regular(path: Path, display: str, limit: int, *, what: str = "file") -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else is an InputError."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=display) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file (a pipe, socket or device)"
            raise InputError(f"{kind}; expected a {what}", file=display)
        if info.st_size > limit:
            raise InputError(f"file is {info.st_size} bytes; limited to {limit} bytes", file=display)
        os.set_blocking(fd, True)
        chunks = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise InputError(f"file is larger than {limit} bytes; limited to {limit} bytes", file=display)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=display) from None
    finally:
        os.close(fd)


class OutputFolder:
    """An output folder, locked and cleared of the previous run's reports while in use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock_fd: int | None = None

    def __enter__(self) -> OutputFolder:
        display = str(self.path)
        if self.path.is_symlink() and not self.path.is_dir():
            raise InputError(
                "is a symbolic link to something that is not a folder; expected an output folder",
                file=display,
                key="--out",
            )
        if self.path.exists() and not self.path.is_dir():
            raise InputError(
                "exists and is not a folder; --out names the folder lz writes its reports into",
                file=display,
                key="--out",
            )
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create the output folder: {exc.strerror}", file=display, key="--out") from None
        lock = self.path / LOCK_NAME
        try:
            fd = os.open(
                lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o644
            )
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise InputError(
                    "a symbolic link sits where lz keeps its lock file; remove it", file=str(lock)
                ) from None
            raise InputError(f"cannot write the output folder: {exc.strerror}", file=display, key="--out") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"lz: waiting for another lz run writing {display}", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        self._lock_fd = fd
        self.clear()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    def clear(self) -> None:
        """Remove the reports of a previous run (links themselves, never what they point at)."""
        for name in REPORT_FILES:
            target = self.path / name
            try:
                if target.is_symlink() or target.is_file():
                    target.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise InputError(f"cannot remove the previous report: {exc.strerror}", file=str(target)) from None


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through an exclusively created temporary file in the same folder."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
