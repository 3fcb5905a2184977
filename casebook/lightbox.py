"""The figure lightbox's library: PhotoSwipe (npm, pinned in package-lock.json), served by the site.

``docs/assets/lightbox.js`` imports it on a reader's first tap on a figure, so a page that is only read
never downloads it. This module lists the files the build copies from ``node_modules``.
"""

from __future__ import annotations

from pathlib import Path

from casebook.errors import CasebookError
from casebook.paths import ROOT

DIST = ROOT / "node_modules" / "photoswipe" / "dist"
FOLDER = "assets/photoswipe"  # in the site, beside assets/lightbox.js, which finds them relative to itself
FILES = ("photoswipe.esm.min.js", "photoswipe.css")


def site_files() -> list[tuple[str, Path]]:
    """``(uri in the site, file on disk)`` for every file the lightbox loads."""
    missing = [name for name in FILES if not (DIST / name).is_file()]
    if missing:
        raise CasebookError(f"PhotoSwipe is not installed (node_modules/photoswipe/dist lacks {', '.join(missing)}): "
                            "run scripts/setup")
    return [(f"{FOLDER}/{name}", DIST / name) for name in FILES]
