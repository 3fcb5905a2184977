"""The book's numbering, derived from the navigation (casebook/numbering.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from casebook import numbering
from casebook.errors import CasebookError


def page(src_uri, title=""):
    return SimpleNamespace(is_page=True, is_section=False, title=title, file=SimpleNamespace(src_uri=src_uri))


def section(title, *children):
    return SimpleNamespace(is_page=False, is_section=True, title=title, children=list(children))


NAV = [
    page("index.md", "Home"),
    page("framework.md", "The framework"),
    section("Case studies", page("video.md"), page("events.md")),
    section("Reference", page("reference/metrics.md"), page("glossary.md")),
    section("Labs", page("labs/video.ipynb")),
]
BOOK = {"chapters": ["The framework", "Case studies"], "appendices": ["Reference"]}


def test_numbers_follow_the_navigation():
    labels = numbering.plan(NAV, BOOK)
    assert {uri: label.name for uri, label in labels.items()} == {
        "framework.md": "Chapter 1", "video.md": "Chapter 2", "events.md": "Chapter 3",
        "reference/metrics.md": "Appendix A", "glossary.md": "Appendix B",
    }


def test_a_section_the_navigation_lacks_fails_naming_it():
    with pytest.raises(CasebookError, match=r"mkdocs.yml: extra.book names 'Case study', which is not"):
        numbering.plan(NAV, {"chapters": ["The framework", "Case study"]})


def test_headings_get_numbers_and_keep_their_ids():
    html = ('<h1 id="t">Title<a class="headerlink" href="#t">&para;</a></h1><p>x</p>'
            '<h2 id="a">A</h2><h3 id="a1">A one</h3><h3 id="a2">A two</h3><h2 id="b">B</h2>'
            '<h2 id="references">References</h2>')
    out, numbers = numbering.number_headings(html, numbering.Label("Chapter", "2"))
    assert '<h1 id="t"><span class="casebook-label" data-search-exclude>Chapter 2</span> Title<a class="headerlink"' in out
    assert '<h2 id="a"><span class="casebook-number" data-search-exclude>2.1</span> A</h2>' in out
    assert '<h3 id="a2"><span class="casebook-number" data-search-exclude>2.1.2</span> A two</h3>' in out
    assert '<h2 id="b"><span class="casebook-number" data-search-exclude>2.2</span> B</h2>' in out
    assert '<h2 id="references">References</h2>' in out, "the references are back matter"
    assert numbers == {"a": "2.1", "a1": "2.1.1", "a2": "2.1.2", "b": "2.2"}
    plain, none = numbering.number_headings(html, numbering.Label("Appendix", "D"), sections=False)
    assert '<span class="casebook-label" data-search-exclude>Appendix D</span>' in plain and "casebook-number" not in plain
    assert none == {}


def test_the_table_of_contents_gets_the_same_numbers():
    child = SimpleNamespace(id="a1", title="A one", children=[])
    toc = [SimpleNamespace(id="a", title="A", children=[child]), SimpleNamespace(id="x", title="X", children=[])]
    numbering.number_toc(toc, {"a": "2.1", "a1": "2.1.1"})
    assert [toc[0].title, child.title, toc[1].title] == ["2.1 A", "2.1.1 A one", "X"]
