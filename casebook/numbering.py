"""The book's numbers: chapters, appendices, sections and figures, derived from the navigation.

The navigation is the only source. ``extra.book`` in ``mkdocs.yml`` names which of its top-level
entries hold chapters and which hold appendices; the pages under them are numbered in ``nav`` order
(chapters 1, 2, ...; appendices A, B, ...), so a case study added to the navigation gets its number
from its position. Every other page (the home page, the labs) is not numbered.

The numbers are written into the page's HTML as text
(``<span class="casebook-number" data-search-exclude>2.3</span>``, left out of the search index),
once, here: the site, its table of contents, copy and paste, the printed pages, the PDF
bookmarks and the book's contents therefore all show the same numbers. Heading ids never change, so
links into pages keep working. Figures take their numbers from :func:`figure_number` when the
figure shortcode is expanded.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass

from casebook.errors import CasebookError

SETTING = "book"  # the key under `extra:` in mkdocs.yml
NUMBER_CLASS = "casebook-number"
LABEL_CLASS = "casebook-label"
# The References section (the footnotes, at every chapter's end) is back matter, as in a printed book.
UNNUMBERED_IDS = frozenset({"references"})
_HEADING = re.compile(r'<h(?P<level>[1-3])(?P<attrs>\s[^>]*)?>(?P<body>.*?)</h(?P=level)>', re.S)
_ID = re.compile(r'\bid="([^"]*)"')


@dataclass(frozen=True)
class Label:
    """How one page is numbered: chapter ``2`` or appendix ``B``."""

    kind: str  # "Chapter" or "Appendix"
    number: str  # "2" or "B"

    @property
    def name(self) -> str:
        """``Chapter 2``, ``Appendix B``: the line above the page's title."""
        return f"{self.kind} {self.number}"


def plan(nav_items: Iterable, book: dict | None) -> dict[str, Label]:
    """``src_uri -> Label`` for every numbered page, from the navigation's top-level entries.

    ``book`` is ``extra.book`` from ``mkdocs.yml``: ``{"chapters": [titles], "appendices": [titles]}``,
    each title a top-level ``nav`` entry (a page or a section). An entry it names that the navigation
    does not have fails the build, so a renamed section cannot silently lose its numbers."""
    book = book or {}
    if not isinstance(book, dict):
        raise CasebookError(f"mkdocs.yml: extra.{SETTING} must be a mapping with `chapters:` and `appendices:`")
    wanted: dict[str, str] = {}
    for key, kind in (("chapters", "Chapter"), ("appendices", "Appendix")):
        titles = book.get(key, [])
        if not isinstance(titles, list) or not all(isinstance(t, str) for t in titles):
            raise CasebookError(f"mkdocs.yml: extra.{SETTING}.{key} must be a list of nav entry titles")
        for title in titles:
            if title in wanted:
                raise CasebookError(f"mkdocs.yml: extra.{SETTING} names the nav entry {title!r} twice")
            wanted[title] = kind
    items = list(nav_items)
    missing = sorted(set(wanted) - {item.title for item in items})
    if missing:
        raise CasebookError(
            f"mkdocs.yml: extra.{SETTING} names {', '.join(repr(m) for m in missing)}, which "
            f"{'is not a top-level entry' if len(missing) == 1 else 'are not top-level entries'} of nav"
        )
    counters = {"Chapter": 0, "Appendix": 0}
    labels: dict[str, Label] = {}
    for item in items:
        kind = wanted.get(item.title)
        if kind is None:
            continue
        for page in _pages(item):
            counters[kind] += 1
            labels[page.file.src_uri] = Label(kind, _number(kind, counters[kind]))
    return labels


def _pages(item) -> list:
    if item.is_page:
        return [item]
    if item.is_section:
        return [page for child in item.children for page in _pages(child)]
    return []


def _number(kind: str, count: int) -> str:
    if kind == "Chapter":
        return str(count)
    letters = string.ascii_uppercase
    if count > len(letters):
        raise CasebookError(f"mkdocs.yml: more than {len(letters)} appendices; the book letters them A to Z")
    return letters[count - 1]


def figure_number(label: Label | None, count: int) -> str:
    """The ``count``-th figure of a page: ``2.3`` in chapter 2, ``B.1`` in appendix B, ``3`` elsewhere."""
    return f"{label.number}.{count}" if label else str(count)


def number_headings(page_html: str, label: Label, *, sections: bool = True) -> tuple[str, dict[str, str]]:
    """The page with its title labelled (``Chapter 2``) and its h2 and h3 numbered (``2.3``, ``2.3.1``).

    Returns the HTML and ``{heading id: number}`` for the table of contents. ``sections=False`` (a
    glossary, whose sections are letters) labels the title only. Ids are left as they are."""
    numbers: dict[str, str] = {}
    counters = [0, 0]
    titled = False

    def replace(match: re.Match) -> str:
        nonlocal titled
        level, attrs, body = int(match["level"]), match["attrs"] or "", match["body"]
        found = _ID.search(attrs)
        anchor = found.group(1) if found else ""
        if level == 1:
            if titled:
                return match.group(0)
            titled = True
            span = f'<span class="{LABEL_CLASS}" data-search-exclude>{html.escape(label.name)}</span> '
            return f"<h1{attrs}>{span}{body}</h1>"
        if not sections or anchor in UNNUMBERED_IDS or 'class="casebook-' in body[:40]:
            return match.group(0)
        if level == 2:
            counters[0] += 1
            counters[1] = 0
            number = f"{label.number}.{counters[0]}"
        else:
            if not counters[0]:
                return match.group(0)  # an h3 before the first h2 has no section to belong to
            counters[1] += 1
            number = f"{label.number}.{counters[0]}.{counters[1]}"
        if anchor:
            numbers[anchor] = number
        # Not in search: a query's "10" would match every heading of chapter 10 ("ndcg@10").
        return f'<h{level}{attrs}><span class="{NUMBER_CLASS}" data-search-exclude>{number}</span> {body}</h{level}>'

    return _HEADING.sub(replace, page_html), numbers


def number_toc(toc, numbers: dict[str, str]) -> None:
    """Put the same numbers in front of the page's table of contents entries (the sidebar)."""
    for item in toc:
        number = numbers.get(item.id)
        if number and not item.title.startswith(number + " "):
            item.title = f"{number} {item.title}"
        number_toc(item.children, numbers)
