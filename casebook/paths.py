"""Where things live. Every other module asks here instead of building paths itself."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
DIAGRAMS = ROOT / "diagrams"
SNIPPETS = ROOT / "snippets"
NOTEBOOKS = ROOT / "notebooks"
# Build caches live outside docs/ so that `mkdocs serve` never reloads on its own output.
CACHE = Path(os.environ.get("CASEBOOK_CACHE", ROOT / ".cache" / "casebook"))


def rel(path: Path | str) -> str:
    """A path relative to the project root, with forward slashes, for messages and pages."""
    path = Path(path).resolve()
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()
