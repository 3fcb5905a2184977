"""Flashcards (casebook/flashcards.py): the follow-up questions and the glossary as an Anki deck and a
CSV, read from the built pages, the same bytes from build to build, and readable as Anki reads them."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
import yaml

from casebook import flashcards
from casebook.errors import CasebookError

ROOT = Path(__file__).resolve().parent.parent

KATEX_INLINE = ('<span class="casebook-math"><span class="katex"><span class="katex-mathml"><math><semantics><mrow>'
                '<mi>p</mi></mrow><annotation encoding="application/x-tex">p_j</annotation></semantics></math></span>'
                '<span class="katex-html" aria-hidden="true"><span class="base">p</span></span></span></span>')
KATEX_DISPLAY = ('<span class="katex-display"><span class="katex"><span class="katex-mathml"><math><semantics>'
                 '<annotation encoding="application/x-tex">x^2</annotation></semantics></math></span>'
                 '<span class="katex-html">x2</span></span></span>')

CHAPTER = f"""<html><body><nav><details class="question"><summary>Not in the article</summary><p>no</p></details></nav>
<article class="md-content__inner">
<h2 id="playbook">Playbook</h2>
<details class="note"><summary>A note, not a question</summary><p>skip</p></details>
<h3 id="follow-up-questions">Follow-up questions</h3>
<details class="question">
<summary>How many <em>replicas</em>?</summary>
<p>About <a class="casebook-value" href="../source/snippets/x/#replicas" title="Computed">12</a> of them,
since {KATEX_INLINE} is small.<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>
<ul><li>one <strong>per</strong> zone</li><li>see <a href="#playbook">above</a></li></ul>
{KATEX_DISPLAY}
</details>
<h3 id="more">More</h3>
<details class="question"><summary>Why?</summary><p>Because <code>k</code> grows.</p></details>
</article></body></html>"""

GLOSSARY = f"""<html><body><article class="md-content__inner">
<h1 id="glossary">Glossary</h1><p>Intro, not a term.</p>
<h2 id="a">A</h2>
<h3 id="auc">AUC<a class="headerlink" href="#auc" title="Permanent link">&para;</a></h3>
<p>The area under the ROC curve. See <a href="../reference/metrics/#auc">the metrics reference</a>.</p>
<p>A second paragraph with {KATEX_INLINE}.</p>
<h2 id="b">B</h2>
<h3 id="bm25">BM25<a class="headerlink" href="#bm25">&para;</a></h3>
<p>A ranking function for text.</p>
<div class="footnote"><ol><li>A footnote, not part of the entry.</li></ol></div>
</article></body></html>"""


def _page(title: str, url: str, glossary: bool = False) -> flashcards.PageInput:
    return flashcards.PageInput(title, Path("unused"), url, glossary)


def test_a_chapters_cards_are_its_follow_up_questions_with_their_answers():
    cards = flashcards.cards_of_page(CHAPTER, _page("Ad clicks", "ad-clicks/"), "https://book.example/casebook/")
    assert [card.front for card in cards] == ["How many replicas?", "Why?"]
    first = cards[0]
    assert (first.deck, first.kind) == ("Ad clicks", "question")
    # The answer keeps simple markup; the value keeps its text and its link (made absolute); the
    # formula becomes its TeX between Anki's delimiters; footnote markers and classes go.
    assert first.back.startswith('<p>About <a href="https://book.example/casebook/source/snippets/x/#replicas">12</a> of them,')
    assert "since \\(p_j\\) is small.</p>" in first.back
    assert "<li>one <strong>per</strong> zone</li>" in first.back
    assert "<li>see above</li>" in first.back  # a link inside the page means nothing on a card
    assert "\\[x^2\\]" in first.back
    assert "fnref" not in first.back and "class=" not in first.back and "katex" not in first.back
    # The source is the heading the question sits under, on the hosted book.
    assert first.source == "https://book.example/casebook/ad-clicks/#follow-up-questions"
    assert cards[1].source == "https://book.example/casebook/ad-clicks/#more"
    assert cards[1].back == "<p>Because <code>k</code> grows.</p>"
    # Plain text for the CSV: a line per paragraph or item.
    assert first.back_text.split("\n")[:3] == ["About 12 of them, since \\(p_j\\) is small.", "one per zone", "see above"]


def test_without_a_site_address_links_are_text_and_sources_are_paths():
    cards = flashcards.cards_of_page(CHAPTER, _page("Ad clicks", "ad-clicks/"))
    assert "<a" not in cards[0].back and "About 12 of them" in cards[0].back
    assert cards[0].source == "/ad-clicks/#follow-up-questions"


def test_the_glossarys_cards_are_its_entries():
    cards = flashcards.cards_of_page(GLOSSARY, _page("Glossary", "glossary/", glossary=True), "https://b.example/")
    assert [(card.deck, card.kind, card.front) for card in cards] == [("Glossary", "term", "AUC"), ("Glossary", "term", "BM25")]
    assert cards[0].back == ('<p>The area under the ROC curve. See <a href="https://b.example/reference/metrics/#auc">'
                             'the metrics reference</a>.</p><p>A second paragraph with \\(p_j\\).</p>')
    assert cards[1].back == "<p>A ranking function for text.</p>"  # the footnotes are not the entry's
    assert cards[0].source == "https://b.example/glossary/#auc"


def test_a_question_without_an_answer_and_two_cards_with_one_front_fail_naming_them(tmp_path):
    empty = '<article><details class="question"><summary>Where is it?</summary></details></article>'
    with pytest.raises(CasebookError, match="ad/: a follow-up question without an answer: Where is it"):
        flashcards.cards_of_page(empty, _page("Ad", "ad/"))
    twice = tmp_path / "twice.html"
    twice.write_text(CHAPTER.replace("<summary>Why?</summary>", "<summary>How many <em>replicas</em>?</summary>"))
    with pytest.raises(CasebookError, match="two flashcards in 'Ad' share the front 'How many replicas\\?'"):
        flashcards.collect([flashcards.PageInput("Ad", twice, "ad/")])
    with pytest.raises(CasebookError, match="the built page .* is missing"):
        flashcards.collect([flashcards.PageInput("Ad", tmp_path / "none.html", "ad/")])


def _sample_cards() -> list[flashcards.Card]:
    return (flashcards.cards_of_page(CHAPTER, _page("Ad clicks", "ad-clicks/"))
            + flashcards.cards_of_page(GLOSSARY, _page("Glossary", "glossary/", glossary=True)))


def test_the_deck_is_the_same_bytes_every_time_and_reads_back_as_anki_imports_it():
    cards = _sample_cards()
    package = flashcards.apkg_bytes(cards)
    assert package == flashcards.apkg_bytes(cards)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert "collection.anki2" in archive.namelist()
        assert {info.date_time for info in archive.infolist()} == {flashcards.ZIP_DATE}
    notes = flashcards.read_apkg(package)
    assert len(notes) == len(cards) == 4
    assert sorted((deck, fields[0]) for deck, fields in notes) == sorted(
        (f"ML System Design Casebook::{card.deck}", card.front) for card in cards)
    by_front = {fields[0]: fields for _, fields in notes}
    assert by_front["AUC"][1] == cards[2].back and by_front["AUC"][2] == cards[2].source


def test_the_csv_has_a_row_per_card():
    cards = _sample_cards()
    rows = list(csv.reader(io.StringIO(flashcards.csv_text(cards))))
    assert rows[0] == list(flashcards.CSV_HEADER)
    assert [row[2] for row in rows[1:]] == [card.front for card in cards]
    assert rows[1][1] == "question" and rows[3][1] == "term"
    assert rows[3][3] == "The area under the ROC curve. See the metrics reference.\nA second paragraph with \\(p_j\\)."


def _case_studies() -> list[str]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    section = next(item["Case studies"] for item in config["nav"] if isinstance(item, dict) and "Case studies" in item)
    return [next(iter(entry.items())) for entry in section]


@pytest.mark.build
def test_the_built_site_has_every_question_and_term_as_a_card(built_site):
    site = built_site.site
    package = (site / flashcards.APKG).read_bytes()
    notes = flashcards.read_apkg(package)
    rows = list(csv.DictReader(io.StringIO((site / flashcards.CSV).read_text(encoding="utf-8"))))
    assert len(rows) == len(notes)
    # Counted from the built pages with nothing of the flashcards' code: every question block of a page
    # in the book's navigation and every entry of the glossary.
    questions = sum(len(re.findall(r'<details class="question"', page.read_text(encoding="utf-8")))
                    for page in site.rglob("index.html") if page.relative_to(site).parts[0] not in ("source", "labs"))
    terms = len(re.findall(r"<h3 id=", (site / "glossary" / "index.html").read_text(encoding="utf-8")))
    assert sum(1 for row in rows if row["kind"] == "question") == questions
    assert sum(1 for row in rows if row["kind"] == "term") == terms > 50
    decks = {}
    for deck, _ in notes:
        decks[deck] = decks.get(deck, 0) + 1
    for title, _ in _case_studies():  # every case study, with the twelve questions a chapter must have
        assert decks.get(f"ML System Design Casebook::{title}", 0) >= 12, (title, decks)
    # Every card's source is a page of the site and a heading on it.
    for row in rows:
        path, _, anchor = row["source"].lstrip("/").partition("#")
        page = site / path / "index.html"
        assert page.is_file() and f'id="{anchor}"' in page.read_text(encoding="utf-8"), row["source"]
