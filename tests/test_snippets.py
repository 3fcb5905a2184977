"""Snippet targets used by pages evaluate, fail precisely, and are cached by their real dependencies."""

from __future__ import annotations

import sys

import pytest

from casebook import shortcodes, snippets
from casebook.errors import CasebookError
from casebook.paths import DOCS

PAGES = sorted(DOCS.rglob("*.md"))
TARGETS = sorted(
    {
        (code.kind, code.arg)
        for page in PAGES
        for code in shortcodes.find(page.read_text(encoding="utf-8"))
        if code.kind in ("table", "value")
    }
)


def test_pages_use_snippets():
    assert len(TARGETS) > 20


@pytest.mark.parametrize(("kind", "arg"), TARGETS, ids=[f"{k}:{a}" for k, a in TARGETS])
def test_every_target_used_by_a_page_evaluates(kind, arg):
    value = snippets.evaluate(snippets.parse_target(arg), use_cache=False)
    assert isinstance(value, str) and value.strip()
    if kind == "value":
        assert "\n" not in value, "an inline value is one line"
    else:
        lines = value.strip().splitlines()
        assert len(lines) >= 3 and all(line.startswith("|") for line in lines), "a table is a pipe table"


@pytest.mark.parametrize("module", snippets.discover())
def test_every_snippet_module_imports_fresh(module):
    target = snippets.Target(module, "__doc__")
    imported = snippets._fresh_import(target)
    assert imported.__doc__, f"snippets/{module}.py needs a module docstring"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("video_recommendation.numbers[peak_qps]", ("video_recommendation", "numbers", "peak_qps")),
        ("framework.capacity_table", ("framework", "capacity_table", None)),
        ("a.b.c", ("a.b", "c", None)),
    ],
)
def test_parse_target(text, expected):
    target = snippets.parse_target(text)
    assert (target.module, target.function, target.key) == expected


@pytest.mark.parametrize("text", ["", "numbers", "a.b[", "a.b[x y]", "1a.b"])
def test_parse_target_rejects(text):
    with pytest.raises(CasebookError, match="module.function"):
        snippets.parse_target(text)


@pytest.fixture
def scratch_snippets(tmp_path, monkeypatch):
    """A throwaway snippets package: a.py imports b.py; c.py stands alone."""
    package = tmp_path / "snippets"
    package.mkdir()
    (package / "__init__.py").write_text('"""Scratch."""\n')
    (package / "b.py").write_text('"""B."""\nRATE = 2\n')
    (package / "a.py").write_text(
        '"""A."""\nfrom snippets.b import RATE\n\n\ndef double():\n    return str(RATE * 2)\n\n\n'
        "def broken():\n    return 1 / 0\n\n\ndef number():\n    return 4\n\n\n"
        'def table():\n    return {"x": "1"}\n'
    )
    (package / "c.py").write_text('"""C."""\n')
    monkeypatch.setattr(snippets, "SNIPPETS", package)
    monkeypatch.setattr("casebook.errors.rel", lambda p: str(p).replace(str(tmp_path) + "/", ""))
    monkeypatch.setattr(snippets, "rel", lambda p: str(p).replace(str(tmp_path) + "/", ""))
    monkeypatch.setattr(snippets, "ROOT", tmp_path)
    monkeypatch.setattr("casebook.cache.CACHE", tmp_path / "cache")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield package
    for name in [n for n in sys.modules if n == "snippets" or n.startswith("snippets.")]:
        del sys.modules[name]  # the next import finds the real package again


def test_cache_key_follows_imports(scratch_snippets):
    key = snippets.cache_key("a")
    (scratch_snippets / "c.py").write_text('"""C, edited."""\n')
    assert snippets.cache_key("a") == key, "an unrelated module must not invalidate"
    (scratch_snippets / "b.py").write_text('"""B."""\nRATE = 3\n')
    assert snippets.cache_key("a") != key, "an imported module must invalidate"


def test_evaluation_reads_edits(scratch_snippets):
    assert snippets.evaluate(snippets.parse_target("a.double")) == "4"
    (scratch_snippets / "b.py").write_text('"""B."""\nRATE = 5\n')
    assert snippets.evaluate(snippets.parse_target("a.double")) == "10"


def test_failure_names_file_and_line(scratch_snippets):
    with pytest.raises(CasebookError, match=r"snippets/a\.py:10: broken\(\) raised ZeroDivisionError"):
        snippets.evaluate(snippets.parse_target("a.broken"))


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("a.missing", r"has no function missing\(\).*double"),
        ("a.number", "returned int"),
        ("a.table", "returns a mapping"),
        ("a.table[y]", "no entry 'y'"),
        ("a.double[x]", "not a mapping"),
        ("nope.f", "no such snippet module"),
    ],
)
def test_misuse_is_explained(scratch_snippets, target, message):
    with pytest.raises(CasebookError, match=message):
        snippets.evaluate(snippets.parse_target(target))
