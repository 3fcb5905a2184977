"""The build's part of "Try your own numbers" (issue 24): a page's inputs, the runtime, the code.

A page that shows its module's assumptions table (``{{ table: assumptions }}``) gets a control after
it. When a reader opens it, ``docs/assets/casebook.js`` loads Pyodide (a WebAssembly CPython, from
the npm package pinned in package-lock.json and served by the site: nothing comes from another
host), unpacks :data:`ARCHIVE` (the project's ``snippets/`` package, and Python-Markdown for the
tables) and calls ``snippets.kit.live.recompute`` each time an input changes. Every value and table
the page shows carries its target (``data-casebook``), so the script knows what to replace.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from casebook.errors import CasebookError
from casebook.paths import ROOT, SNIPPETS

RUNTIME_DIR = ROOT / "node_modules" / "pyodide"
RUNTIME_FOLDER = "assets/pyodide"  # in the site
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
ARCHIVE = "assets/live/snippets.zip"
MARKER = "<!-- casebook: try your own numbers -->"  # where the control goes: after the assumptions table
_DATE = (1980, 1, 1, 0, 0, 0)


def site_files() -> list[tuple[str, Path]]:
    """``(uri in the site, file on disk)`` for the runtime."""
    missing = [name for name in RUNTIME_FILES if not (RUNTIME_DIR / name).is_file()]
    if missing:
        raise CasebookError(f"Pyodide is not installed (node_modules/pyodide lacks {', '.join(missing)}): "
                            "run scripts/setup")
    return [(f"{RUNTIME_FOLDER}/{name}", RUNTIME_DIR / name) for name in RUNTIME_FILES]


def _sources() -> list[tuple[str, Path]]:
    import markdown  # noqa: PLC0415 (pinned in requirements.txt; the tables are rendered by it in the browser)

    found = [(path.relative_to(SNIPPETS.parent).as_posix(), path) for path in SNIPPETS.rglob("*.py")
             if "__pycache__" not in path.parts]
    package = Path(markdown.__file__).parent
    found += [(f"markdown/{path.relative_to(package).as_posix()}", path) for path in package.rglob("*.py")
              if "__pycache__" not in path.parts]
    return sorted(found)


def archive() -> bytes:
    """The Python the browser runs, as one zip: the same bytes for the same sources."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
        for name, path in _sources():
            info = zipfile.ZipInfo(name, date_time=_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            bundle.writestr(info, path.read_bytes())
    return buffer.getvalue()


def control(module: str, assumptions, targets: list[str]) -> str:
    """The control's HTML: an empty box casebook.js fills, and the page's inputs and targets as JSON."""
    from snippets.kit import live  # noqa: PLC0415 (the kit, as the page's module imported it)

    spec = {"module": module, "fields": live.fields(assumptions), "targets": sorted(set(targets)),
            "runtime": RUNTIME_FOLDER, "archive": ARCHIVE}
    data = json.dumps(spec, separators=(",", ":"), ensure_ascii=True).replace("</", "<\\/")
    return (f'<div class="casebook-live" data-casebook-module="{module}" hidden></div>\n'
            f'<script type="application/json" class="casebook-live-spec">{data}</script>\n')
