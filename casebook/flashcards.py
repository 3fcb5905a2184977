"""Flashcards: every follow-up question with its model answer, and every glossary term with its
definition, as an Anki deck (``.apkg``, written with genanki) and as a plain CSV.

The cards are read from the built pages, after every number, link and formula in them has been made,
so a card says exactly what its page says: the question is the ``??? question`` block's title, the
answer its body; a glossary card is an ``h3`` entry of the glossary and the paragraphs under it.
Formulas become ``\\( ... \\)`` and ``\\[ ... \\]`` around their TeX source (Anki typesets those
itself), computed values keep their text, and links point at the hosted book when ``site_url`` is set.

Both files are the same from build to build: each note's identity comes from its deck and its front
(so a re-import updates a card instead of adding a copy), the deck's timestamps are fixed and the
package is re-zipped with fixed dates and order.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from lxml import html

from casebook.errors import CasebookError

FOLDER = "flashcards"  # in the built site
APKG = f"{FOLDER}/ml-system-design-casebook.apkg"
CSV = f"{FOLDER}/ml-system-design-casebook.csv"
DECK = "ML System Design Casebook"
GLOSSARY = "glossary.md"  # the page whose h3 entries are terms
# Fixed: a deck's and a note type's identity in Anki, and the time written into the package.
MODEL_ID = 1_733_000_001
TIMESTAMP = 1_733_011_200.0  # 2024-12-01 00:00 UTC
ZIP_DATE = (2024, 12, 1, 0, 0, 0)
CSV_HEADER = ("deck", "kind", "front", "back", "source")
# What a card's back keeps of the page's markup; anything else is replaced by its content.
_KEEP = {"p", "ul", "ol", "li", "strong", "em", "b", "i", "code", "a", "br", "sub", "sup", "table", "thead",
         "tbody", "tr", "th", "td", "pre"}


@dataclass(frozen=True)
class Card:
    deck: str  # the chapter's title, or "Glossary"
    kind: str  # "question" or "term"
    front: str  # plain text
    back: str  # simple HTML
    source: str  # the address of the question or entry in the book

    @property
    def back_text(self) -> str:
        return _text(_fragment(self.back))


@dataclass(frozen=True)
class PageInput:
    """A built page to read: its title, its file in the site and its address (relative to the site)."""

    title: str
    path: Path
    url: str
    glossary: bool = False


def _math_to_tex(root: html.HtmlElement) -> None:
    """Each KaTeX formula becomes its TeX source between Anki's math delimiters."""
    for katex in root.xpath(".//span[contains(concat(' ', normalize-space(@class), ' '), ' katex ')]"):
        annotation = katex.find(".//annotation")
        if annotation is None:
            continue
        tex = annotation.text_content()
        parent = katex.getparent()
        display = parent is not None and "katex-display" in (parent.get("class") or "").split()
        _replace_with_text(parent if display else katex, f"\\[{tex}\\]" if display else f"\\({tex}\\)")


def _replace_with_text(element: html.HtmlElement, text: str) -> None:
    parent = element.getparent()
    previous = element.getprevious()
    tail = element.tail or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + text + tail
    else:
        parent.text = (parent.text or "") + text + tail
    parent.remove(element)


def _clean(root: html.HtmlElement, page_url: str, site_url: str) -> str:
    """The inner HTML of ``root`` with formulas as TeX and only simple markup left."""
    _math_to_tex(root)
    for element in root.xpath(".//*[contains(@class, 'headerlink') or contains(@class, 'footnote-ref')]"
                              " | .//sup[starts-with(@id, 'fnref')]"):
        element.drop_tree()
    for element in list(root.iterdescendants()):
        if not isinstance(element.tag, str):  # a comment
            element.drop_tree()
        elif element.tag not in _KEEP:
            element.drop_tag()
        elif element.tag == "a":
            href = element.get("href", "")
            element.attrib.clear()
            if href and site_url and not href.startswith("#"):
                element.set("href", urljoin(urljoin(site_url, page_url), href))
            elif href.startswith(("http://", "https://")):
                element.set("href", href)
            else:
                element.drop_tag()
        else:
            element.attrib.clear()
    inner = (root.text or "") + "".join(html.tostring(child, encoding="unicode") for child in root)
    return " ".join(inner.split()).replace("> <", "><").strip()


def _text(root: html.HtmlElement) -> str:
    """Plain text, paragraph by paragraph, for the CSV."""
    blocks = [" ".join(block.text_content().split()) for block in root.iter("p", "li", "tr", "pre")
              if not any(a.tag in ("li", "tr") for a in block.iterancestors())]
    text = "\n".join(b for b in blocks if b)
    return text or " ".join(root.text_content().split())


def _fragment(markup: str) -> html.HtmlElement:
    return html.fragment_fromstring(markup, create_parent="div")


def cards_of_page(page_html: str, page: PageInput, site_url: str = "") -> list[Card]:
    """The cards of one built page: its follow-up questions, or the glossary's entries."""
    start, end = page_html.find("<article"), page_html.rfind("</article>")  # the page's text only
    article = html.fromstring(page_html[start:end + 10] if 0 <= start < end else page_html)
    cards = []
    if page.glossary:
        for heading in article.iter("h3"):
            for link in heading.xpath(".//a[contains(@class, 'headerlink')]"):
                link.drop_tree()
            term = " ".join(heading.text_content().split())
            body = _fragment("")
            for sibling in heading.itersiblings():
                if sibling.tag in ("h1", "h2", "h3") or "footnote" in (sibling.get("class") or "").split():
                    break
                body.append(copy.deepcopy(sibling))
            for element in body:
                element.tail = (element.tail or "") + " "
            back = _clean(body, page.url, site_url)
            if not back:
                raise CasebookError(f"{page.url}: the glossary entry {term!r} has no definition under it")
            cards.append(Card("Glossary", "term", term, back, _address(site_url, page.url, heading.get("id", ""))))
        return cards
    anchor = ""
    for element in article.iter("h2", "h3", "details"):
        if element.tag != "details":
            anchor = element.get("id", anchor)
            continue
        if "question" not in (element.get("class") or "").split():
            continue
        summary = element.find("summary")
        question = " ".join(summary.text_content().split()) if summary is not None else ""
        if summary is not None:
            _replace_with_text(summary, "")
        back = _clean(element, page.url, site_url)
        if not question or not back:
            raise CasebookError(f"{page.url}: a follow-up question without {'a title' if not question else 'an answer'}"
                                f"{': ' + question if question else ''}")
        cards.append(Card(page.title, "question", question, back, _address(site_url, page.url, anchor)))
    return cards


def _address(site_url: str, page_url: str, anchor: str) -> str:
    base = urljoin(site_url, page_url) if site_url else "/" + page_url
    return f"{base}#{anchor}" if anchor else base


def collect(pages: Sequence[PageInput], site_url: str = "") -> list[Card]:
    cards: list[Card] = []
    for page in pages:
        if not page.path.is_file():
            raise CasebookError(f"{page.url}: the built page {page.path} is missing, so its flashcards cannot be made")
        cards.extend(cards_of_page(page.path.read_text(encoding="utf-8"), page, site_url))
    fronts: dict[tuple[str, str], str] = {}
    for card in cards:
        key = (card.deck, card.front)
        if key in fronts:
            raise CasebookError(f"{card.source}: two flashcards in {card.deck!r} share the front {card.front!r} "
                                f"(also at {fronts[key]}); a card's front names it in the deck")
        fronts[key] = card.source
    return cards


def csv_text(cards: Iterable[Card]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for card in cards:
        writer.writerow((card.deck, card.kind, card.front, card.back_text, card.source))
    return out.getvalue()


def _stable_id(text: str) -> int:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:12], 16) % (1 << 40) + (1 << 30)


def apkg_bytes(cards: Sequence[Card]) -> bytes:
    """The Anki package: one deck per chapter under the book's deck, one basic note per card."""
    import genanki  # imported here: only the build that writes the deck needs it

    model = genanki.Model(
        MODEL_ID,
        f"{DECK} card",
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Source"}],
        templates=[{
            "name": "Card 1",
            "qfmt": "<div class=front>{{Front}}</div>",
            "afmt": "{{FrontSide}}<hr id=answer><div class=back>{{Back}}</div>"
                    "<p class=source><a href=\"{{Source}}\">In the casebook</a></p>",
        }],
        css=".card{font-family:sans-serif;font-size:18px;text-align:left;line-height:1.45}"
            ".front{font-weight:bold}.source{font-size:14px;opacity:.7}",
    )
    decks: dict[str, genanki.Deck] = {}
    for card in cards:
        name = f"{DECK}::{card.deck}"
        deck = decks.setdefault(name, genanki.Deck(_stable_id(name), name))
        deck.add_note(genanki.Note(model=model, fields=[card.front, card.back, card.source],
                                   guid=genanki.guid_for(card.deck, card.front),
                                   tags=["casebook", card.kind]))
    with tempfile.TemporaryDirectory(prefix="casebook-deck-") as scratch:
        raw = Path(scratch) / "raw.apkg"
        genanki.Package(list(decks.values())).write_to_file(str(raw), timestamp=TIMESTAMP)
        return _rezip(raw.read_bytes())


def _rezip(package: bytes) -> bytes:
    """The same package with fixed entry dates and order (zip records each file's time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(source.namelist()):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()


def read_apkg(package: bytes) -> list[tuple[str, list[str]]]:
    """``(deck name, fields)`` of every note in a package, as Anki would import them (for the tests)."""
    import json

    with zipfile.ZipFile(io.BytesIO(package)) as archive, tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "collection.anki2"
        database.write_bytes(archive.read("collection.anki2"))
        connection = sqlite3.connect(database)
        try:
            decks = json.loads(connection.execute("select decks from col").fetchone()[0])
            rows = connection.execute(
                "select cards.did, notes.flds from notes join cards on cards.nid = notes.id order by notes.id").fetchall()
        finally:
            connection.close()
    return [(decks[str(did)]["name"], fields.split("\x1f")) for did, fields in rows]


def write(site_dir: Path, pages: Sequence[PageInput], site_url: str = "") -> list[Card]:
    """Both files in the built site, from its pages; the cards they hold."""
    cards = collect(pages, site_url)
    folder = site_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    (site_dir / CSV).write_text(csv_text(cards), encoding="utf-8")
    (site_dir / APKG).write_bytes(apkg_bytes(cards))
    return cards
