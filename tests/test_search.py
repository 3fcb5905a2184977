"""The search index serves readers: prose first, formulas once, code findable by name only.

Checked on the built site's index (what Material's search loads in the browser).
"""

from __future__ import annotations

import json
import re

import pytest

from casebook import sourcepages

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


def test_at_sign_splits_words(index):
    # "ndcg@10" must match the pages about nDCG@k.
    assert re.fullmatch(index["config"]["separator"], "@")


def test_index_stays_small(built_site):
    size = (built_site.site / "search" / "search_index.json").stat().st_size
    assert size < 450_000, f"search index is {size:,} bytes (it was 381 kB when source code left it)"
