"""Names mirror pages: from a page's path, where its calculations, figures, lab and tests live.

One rule, which the engine relies on and a test checks over the whole tree:

    docs/video-recommendation.md   page
    snippets/video_recommendation.py   its calculations (module ``video_recommendation``)
    diagrams/video_recommendation/     its figures (``{{ figure: architecture }}`` on the page)
    notebooks/video-recommendation.py  its lab, published as labs/video-recommendation.ipynb
    tests/test_video_recommendation.py its hand-checked values

A page in a folder keeps the folder: ``docs/reference/metrics.md`` has ``snippets/reference/metrics.py``
(module ``reference.metrics``), ``diagrams/reference/metrics/`` and ``tests/test_reference_metrics.py``;
its lab is named by the page's own name, ``notebooks/metrics.py``. Hyphens in page names become
underscores in Python names. ``snippets/kit/`` is the shared library and mirrors no page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from casebook.paths import DIAGRAMS, DOCS, NOTEBOOKS, ROOT, SNIPPETS

KIT = "kit"  # snippets/kit/: the shared library, not a page's module


@dataclass(frozen=True)
class PageNames:
    page: str  # docs-relative, e.g. reference/metrics.md
    module: str  # dotted, relative to the snippets package, e.g. reference.metrics
    figures: str  # figure-id prefix, e.g. reference/metrics (diagrams/reference/metrics/)
    lab: str  # notebook file name, e.g. metrics.py (notebooks/metrics.py)
    test: str  # e.g. test_reference_metrics.py

    @property
    def module_path(self):
        return SNIPPETS.joinpath(*self.module.split(".")).with_suffix(".py")

    @property
    def figures_dir(self):
        return DIAGRAMS / self.figures

    @property
    def lab_path(self):
        return NOTEBOOKS / self.lab

    @property
    def test_path(self):
        return ROOT / "tests" / self.test


#: A mock interview, ``docs/mock-interviews/<chapter>.md``, is written on its chapter's calculations:
#: it has the chapter's names (its ``{{ value: peak_qps }}`` is the chapter's).
BORROWING = "mock-interviews"


def lender(src_uri: str) -> str | None:
    """The chapter whose names a page borrows (``mock-interviews/x.md`` -> ``x.md``), else ``None``."""
    path = PurePosixPath(src_uri)
    return path.name if len(path.parts) == 2 and path.parts[0] == BORROWING else None


def for_page(src_uri: str) -> PageNames:
    """The names that belong to the page ``src_uri`` (docs-relative, e.g. ``video-recommendation.md``)."""
    borrowed = lender(src_uri)
    if borrowed:
        return for_page(borrowed)
    path = PurePosixPath(src_uri).with_suffix("")
    parts = [part.replace("-", "_") for part in path.parts]
    return PageNames(
        page=src_uri,
        module=".".join(parts),
        figures="/".join(parts),
        lab=f"{path.name}.py",
        test=f"test_{'_'.join(parts)}.py",
    )


def page_of_module(module: str) -> str | None:
    """The docs page a calculation module belongs to, or ``None`` when no page has that name."""
    for page in pages():
        if for_page(page).module == module and not lender(page):
            return page
    return None


def pages() -> list[str]:
    """Every Markdown page, docs-relative, sorted."""
    return sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))


def is_kit(module: str) -> bool:
    return module == KIT or module.startswith(KIT + ".")
