"""Snippet targets used by pages evaluate, fail precisely, and are cached by their real dependencies."""

from __future__ import annotations

import shutil
import sys

import pytest

from casebook import snippets
from casebook.errors import CasebookError
from casebook.paths import SNIPPETS

@pytest.mark.parametrize("module", snippets.discover())
def test_every_snippet_module_imports_fresh(module):
    imported = snippets._fresh_import(snippets.Target(module, "__doc__"))
    assert imported.__doc__, f"snippets/{module}.py needs a module docstring"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("peak_qps", ("page", "peak_qps", None)),
        ("stage_budget[ranking]", ("page", "stage_budget", "ranking")),
        ("framework.capacity_table", ("framework", "capacity_table", None)),
        ("kit.house.alpha", ("kit.house", "alpha", None)),
        ("a.b.c[5]", ("a.b", "c", "5")),
    ],
)
def test_parse_target(text, expected):
    target = snippets.parse_target(text, default_module="page")
    assert (target.module, target.name, target.key) == expected


@pytest.mark.parametrize("text", ["", "a.b[", "a.b[x y]", "1a.b"])
def test_parse_target_rejects(text):
    with pytest.raises(CasebookError, match="write name, name\\[key\\] or module.name"):
        snippets.parse_target(text, default_module="page")


def test_a_bare_name_needs_a_module():
    with pytest.raises(CasebookError, match="names no module"):
        snippets.parse_target("peak_qps")


@pytest.fixture
def scratch_snippets(tmp_path, monkeypatch):
    """A throwaway snippets package: a.py imports b.py; c.py stands alone."""
    package = tmp_path / "snippets"
    package.mkdir()
    (package / "__init__.py").write_text('"""Scratch."""\n')
    (package / "b.py").write_text('"""B."""\nRATE = 2\n')
    shutil.copytree(SNIPPETS / "kit", package / "kit", ignore=shutil.ignore_patterns("__pycache__"))
    (package / "a.py").write_text(
        '"""A."""\nfrom dataclasses import dataclass\n\nfrom snippets.b import RATE\n'
        "from snippets.kit.assume import PROBLEM, assume\nfrom snippets.kit.show import table, value\n\n\n"
        "@value(str)\ndef double():\n    return RATE * 2\n\n\n"
        "@value(str)\ndef broken():\n    return 1 / 0\n\n\n"
        "@value(str)\ndef times(k):\n    return RATE * k\n\n\n"
        '@table\ndef grid():\n    return "| a |\\n| - |\\n| 1 |"\n\n\n'
        "def unmarked():\n    return 4\n\n\n"
        "@dataclass(frozen=True)\nclass Assumptions:\n"
        '    users: int = assume(7, "Users", str, PROBLEM)\n\n\nASSUMPTIONS = Assumptions()\n'
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
    assert snippets.evaluate(snippets.parse_target("a.double")).text == "4"
    (scratch_snippets / "b.py").write_text('"""B."""\nRATE = 5\n')
    assert snippets.evaluate(snippets.parse_target("a.double")).text == "10"


@pytest.mark.parametrize(
    ("target", "text", "kind", "anchor"),
    [
        ("a.double", "4", "value", "double"),
        ("a.times[3]", "6", "value", "times"),
        ("a.grid", "| a |\n| - |\n| 1 |", "table", "grid"),
        ("a.users", "7", "value", "Assumptions"),
    ],
)
def test_what_a_target_shows_and_where_its_code_is(scratch_snippets, target, text, kind, anchor):
    assert snippets.evaluate(snippets.parse_target(target)) == snippets.Shown(text, kind, anchor)


def test_the_assumptions_table(scratch_snippets):
    shown = snippets.evaluate(snippets.parse_target("a.assumptions"))
    assert (shown.kind, shown.anchor) == ("table", "Assumptions")
    assert "| Users | 7 | problem statement |" in shown.text


def test_failure_names_file_and_line(scratch_snippets):
    with pytest.raises(CasebookError, match=r"snippets/a\.py:\d+: broken\(\) raised ZeroDivisionError"):
        snippets.evaluate(snippets.parse_target("a.broken"))


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("a.missing", r"has no missing \(shown there: broken, double, grid, times; assumptions: users\)"),
        ("a.unmarked", "not marked for pages"),
        ("a.grid[y]", "is a table and takes no"),
        ("a.double[3]", "takes no \\[key\\]"),
        ("a.times", "takes a \\[key\\]"),
        ("a.users[2]", "is an assumption: drop"),
        ("nope.f", "no such snippet module"),
    ],
)
def test_misuse_is_explained(scratch_snippets, target, message):
    with pytest.raises(CasebookError, match=message):
        snippets.evaluate(snippets.parse_target(target))
