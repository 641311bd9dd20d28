"""An unexpected error is ours, not the user's: exit 3, one line, the traceback saved to a file.

The line names the exception type only (its message may hold input values, secrets among them);
the saved file has the whole traceback for a bug report. The file is created exclusively in the
temporary folder (`LZ_CRASH_DIR` overrides it), so a planted link is never written through.
"""

from __future__ import annotations

import os
import tempfile
import traceback

from lz import __version__


def report_crash(exc: BaseException) -> str:
    """Save the traceback of `exc`; return the one line to print."""
    folder = os.environ.get("LZ_CRASH_DIR") or tempfile.gettempdir()
    text = f"lz {__version__}\n" + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    try:
        fd, path = tempfile.mkstemp(prefix="lz-crash-", suffix=".txt", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(text)
        where = f"traceback saved to {path}"
    except OSError as err:
        where = f"the traceback could not be saved ({err.strerror})"
    return f"lz: internal error ({type(exc).__name__}); this is a bug in lz, not in your input; {where} (exit 3)"
