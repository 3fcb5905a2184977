"""One error type for everything the build refuses, always naming a file (and a line)."""

from __future__ import annotations

import traceback
from pathlib import Path

from casebook.paths import rel


class CasebookError(Exception):
    """A build failure that names the file (and line) at fault. Shown without a traceback."""


def located(path: Path | str, line: int | None, message: str) -> CasebookError:
    where = rel(path) + (f":{line}" if line else "")
    return CasebookError(f"{where}: {message}")


def describe_exception(exc: BaseException, within: Path | str) -> tuple[str | None, int | None, str]:
    """Where ``exc`` was raised inside ``within`` (a file, or a folder) and a one-line summary.

    Returns ``(file, line, summary)`` for the innermost traceback frame inside ``within``, so a
    failure deep inside a library is still reported at the line of the figure or snippet that
    called it. ``file`` and ``line`` are None when no frame is inside ``within``.
    """
    within = Path(within).resolve()

    def inside(filename: str) -> bool:
        path = Path(filename).resolve()
        return path == within or path.is_relative_to(within)

    file, line = None, None
    if isinstance(exc, SyntaxError) and exc.filename and inside(exc.filename):
        file, line = rel(exc.filename), exc.lineno
    for frame in traceback.extract_tb(exc.__traceback__):
        if inside(frame.filename):
            file, line = rel(frame.filename), frame.lineno
    summary = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    return file, line, summary
