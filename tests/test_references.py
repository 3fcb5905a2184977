"""References hold both ways: every figure, snippet and lab is used, and every shortcode resolves."""

from __future__ import annotations

import re

import yaml

from casebook import figures, notebooks, shortcodes, snippets
from casebook.paths import DOCS, ROOT

PAGES = sorted(DOCS.rglob("*.md"))
CODES = {page: shortcodes.find(page.read_text(encoding="utf-8")) for page in PAGES}


def _used(kind: str) -> set[str]:
    return {code.arg for codes in CODES.values() for code in codes if code.kind == kind}


def test_every_figure_is_shown_by_a_page():
    shown = _used("figure")
    unused = [f"diagrams/{s.id}.py" for s in figures.discover() if s.id not in shown]
    assert not unused, f"figures no page shows: {unused}"


def test_every_figure_shortcode_has_a_module():
    known = {s.id for s in figures.discover()}
    missing = [
        f"{page.relative_to(ROOT)}:{code.line}: {code.arg}"
        for page, codes in CODES.items()
        for code in codes
        if code.kind == "figure" and code.arg not in known
    ]
    assert not missing


def test_every_snippet_module_is_used():
    """Used = called by a page, or imported (transitively) by what a page, a figure or a lab uses."""
    roots = {snippets.parse_target(arg).module for arg in _used("table") | _used("value")}
    for source in figures.discover():
        roots |= snippets.imports_of(source.path)
    for lab in notebooks.discover():
        roots |= notebooks.imported_snippets(lab)
    reachable = {path.stem if path.parent.name == "snippets" else path for m in roots for path in snippets.closure(m)}
    unused = [f"snippets/{m}.py" for m in snippets.discover() if m.split(".")[-1] not in reachable]
    assert not unused, f"snippet modules nothing uses: {unused}"


def test_every_table_and_value_shortcode_names_an_existing_function():
    problems = []
    for page, codes in CODES.items():
        for code in codes:
            if code.kind not in ("table", "value"):
                continue
            target = snippets.parse_target(code.arg)
            source = target.path.read_text(encoding="utf-8") if target.path.is_file() else ""
            if not re.search(rf"^def {target.function}\(", source, re.M):
                problems.append(f"{page.relative_to(ROOT)}:{code.line}: {code.arg}")
    assert not problems


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
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    in_nav = _nav_files(config["nav"])
    pages = {p.relative_to(DOCS).as_posix() for p in PAGES}
    labs = {lab.src_uri for lab in notebooks.discover()}
    assert pages | labs == in_nav
