"""The search index serves readers: prose first, formulas once, code findable by name only.

Checked on the built site's index (what Material's search loads in the browser).
"""

from __future__ import annotations

import json
import re

import pytest

from casebook import browser, notebooks, search, sourcepages

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def index(built_site):
    return json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))


def test_formulas_are_indexed_once_without_tex(index):
    tex = [d["location"] for d in index["docs"] if re.search(r"\\(frac|langle|sum|tau|hat)\b", d["text"])]
    assert not tex, f"TeX source in the search index (a formula indexed more than once): {tex[:5]}"
    two_tower = next(d for d in index["docs"] if d["location"].endswith("#training-the-two-tower-model"))
    assert two_tower["text"].count("⟨u(x),v(y)⟩") == 1


def test_source_pages_rank_below_prose_and_keep_code_out(index):
    source = [d for d in index["docs"] if d["location"].startswith(sourcepages.SECTION + "/")]
    assert source and all(d.get("boost") == sourcepages.SEARCH_BOOST < 1 for d in source)
    with_code = [d["location"] for d in source if "<pre>" in d["text"] or "return " in d["text"]]
    assert not with_code, f"code in the search index: {with_code[:5]}"
    assert any(d["location"].endswith("#peak_qps") for d in source), "functions stay findable by name"


def test_tables_read_as_words_not_a_run_of_numbers(index):
    """A table's figures stay out of the index (casebook/search.py); its header and labels stay in."""
    soup = {}
    for doc in index["docs"]:
        run = longest = 0
        for token in re.sub(r"<[^>]+>", " ", doc["text"]).split():
            run = run + 1 if search.is_number(token) else 0
            longest = max(longest, run)
        if longest >= 8:  # prose may list a few numbers ("the graded list 3, 2, 3, 0, 1, 2")
            soup[doc["location"]] = longest
    assert not soup, f"runs of 8 or more numbers in search previews (table figures indexed?): {soup}"
    bonferroni = next(d for d in index["docs"] if d["location"] == "reference/experiments/#multiple-testing")
    assert "per-metric α" in bonferroni["text"], "a table's header left the index"


def test_labs_rank_below_the_pages_they_exercise(index):
    labs = [d for d in index["docs"] if d["location"].startswith(notebooks.SECTION + "/")]
    assert labs and all(d.get("boost") == notebooks.SEARCH_BOOST for d in labs)
    assert sourcepages.SEARCH_BOOST < notebooks.SEARCH_BOOST < 1


# (query, the pages its first result may be on): prose first (a glossary entry explains a term too),
# code pages only for a code name.
QUERIES = [
    ("nDCG", {"reference/metrics/", "glossary/"}),
    ("ndcg@10", {"reference/metrics/", "glossary/"}),
    ("Bonferroni", {"reference/experiments/"}),
    ("peak QPS", {"reference/estimation/"}),
    ("HNSW", {"reference/estimation/", "glossary/"}),
    ("two-tower", {"video-recommendation/", "glossary/"}),
    ("calibration", {"reference/metrics/", "glossary/"}),
    ("negative sampling", {"reference/estimation/", "video-recommendation/", "similar-listings/", "glossary/"}),
    ("sample size", {"reference/experiments/"}),
    ("bonferroni_threshold", {"source/snippets/reference/experiments/"}),
]


def test_search_in_the_browser_loads_its_index_on_demand_and_ranks_prose_first(built_site):
    """Through Material's own search box: no page load fetches the index; opening search does, and
    each query's first result is on the page that explains it (a code page only for a code name)."""
    with browser.serve(built_site.site) as base, browser.chromium() as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(base + "framework/", wait_until="networkidle")
        assert not [r for r in requests if "search_index" in r], "the page fetched the search index before search"
        box = page.locator("input[data-md-component=search-query]")
        box.click()
        wrong = {}
        meta = "document.querySelector('.md-search-result__meta').textContent"
        for query, expected in QUERIES:
            box.fill("")
            page.wait_for_function(f"!/matching/.test({meta})")  # the last query's results are gone
            box.fill(query)
            box.press("End")  # one key: Material searches the whole query once, never a prefix of it
            page.wait_for_function(f"/matching/.test({meta})")
            first = page.evaluate(
                "() => [...document.querySelectorAll('.md-search-result__item > a')].slice(0, 3)"
                ".map(a => new URL(a.href).pathname)")
            if not first or first[0].lstrip("/") not in expected:
                wrong[query] = first
        assert [r for r in requests if "search_index" in r], "opening search did not fetch the index"
    assert not wrong, f"first results not on the page that explains the query: {wrong}"


def test_at_sign_splits_words(index):
    # "ndcg@10" must match the pages about nDCG@k.
    assert re.fullmatch(index["config"]["separator"], "@")


def test_index_holds_the_prose_and_little_else(built_site, index):
    """The index grows with the book's prose, not with its code, markup or numbers: its bytes stay
    close to the text it indexes, the source pages (code left out, names kept) stay a small part of
    it, and no page indexes more text than a long chapter has (about 10,000 words)."""
    size = (built_site.site / "search" / "search_index.json").stat().st_size
    text = {}
    for entry in index["docs"]:
        page = entry["location"].split("#")[0]
        text[page] = text.get(page, 0) + len(entry["title"]) + len(entry["text"])
    total = sum(text.values())
    assert size <= 1.35 * total, f"search index is {size:,} bytes for {total:,} characters of text: what else is in it?"
    source = sum(n for page, n in text.items() if page.startswith("source/"))
    assert source <= 0.15 * total, f"source pages are {source / total:.0%} of the index text: is code indexed again?"
    largest = max(text, key=text.get)
    assert text[largest] <= 100_000, f"{largest} indexes {text[largest]:,} characters: more than a long chapter's prose"
