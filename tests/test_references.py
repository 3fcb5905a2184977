"""References hold both ways: every figure, snippet and lab is used, and every shortcode resolves."""

from __future__ import annotations

import re

import yaml

from casebook import figures, notebooks, snippets, usage
from casebook.paths import DOCS, ROOT

PAGES = sorted(DOCS.rglob("*.md"))
USAGE = usage.scan()


def _figures_used() -> set[str]:
    return set(USAGE.figures)


def test_every_figure_is_shown_by_a_page():
    unused = [f"diagrams/{s.id}.py" for s in figures.discover() if s.id not in _figures_used()]
    assert not unused, f"figures no page shows: {unused}"


def test_every_figure_shortcode_has_a_module():
    known = {s.id for s in figures.discover()}
    missing = sorted(f"{figure_id} (shown on {', '.join(pages)})" for figure_id, pages in USAGE.figures.items()
                     if figure_id not in known)
    assert not missing


def _engine_imports() -> set[str]:
    """Snippet modules the build engine itself imports (``from snippets.kit import live``): the
    calculation that runs in the reader's browser is one (casebook/live.py ships it)."""
    found = set()
    for path in sorted((ROOT / "casebook").glob("*.py")):
        for package, modules in re.findall(r"^\s*from snippets((?:\.\w+)*) import ([\w, ]+)", path.read_text(), re.M):
            found |= {f"{package.lstrip('.')}.{m.split()[0]}".lstrip(".") for m in modules.split(",")}
    return found


def test_every_snippet_module_is_used():
    """Used = shown by a page, imported (transitively) by what a page, a figure or a lab uses, or
    imported by the build engine."""
    engine = _engine_imports()
    assert "kit.live" in engine, f"the engine's imports were not found: {sorted(engine)}"
    unused = [f"snippets/{m.replace('.', '/')}.py" for m in snippets.discover()
              if not USAGE.modules.get(m) and m not in engine]
    assert not unused, f"snippet modules nothing uses: {unused}"


def _nav_files(items) -> set[str]:
    found = set()
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            found |= _nav_files(value)
        else:
            found.add(value)
    return found


def test_every_page_and_lab_is_in_the_nav():
    """Except the folders mkdocs.yml's ``not_in_nav`` leaves out on purpose (the mock interviews,
    reached from the practice pages)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    in_nav = _nav_files(config["nav"])
    folders = [line.strip().strip("/").removesuffix("/**") + "/" for line in config["not_in_nav"].splitlines() if line.strip()]
    pages = {p.relative_to(DOCS).as_posix() for p in PAGES}
    pages = {page for page in pages if not page.startswith(tuple(folders))}
    labs = {lab.src_uri for lab in notebooks.discover()}
    assert pages | labs == in_nav
