"""Which table cells search skips (casebook/search.py): figures, not words."""

from __future__ import annotations

import pytest

from casebook import search


@pytest.mark.parametrize("text", [
    "6", "0.387", "-20", "2,000", "3.48B", "5.22 TB", "10%", "0.2%", "2×", "100k", "100 ms", "64 GB",
    "~1.2x", "≈ 40%", "<1", "$12", "1 kB", "9-12", "3 days", "-20 min", "99.9th", " 7 ",
])
def test_a_number_with_at_most_a_unit_is_a_number(text):
    assert search.is_number(text)


@pytest.mark.parametrize("text", [
    "", "v17", "p99", "HNSW, fp32 vectors, M = 32", "100M videos × 1 kB", "0.05 two-sided / 80%",
    "14 days (whole weeks, at least 2)", "Average × 3", "yes", "N × (64 + 8)", "5M (1% of eligible users, 2 arms)",
])
def test_words_keep_a_cell_searchable(text):
    assert not search.is_number(text)


def test_only_number_cells_are_marked_and_nothing_else_changes():
    html = ('<table><thead><tr><th>Metric</th><th>Value</th></tr></thead><tbody>'
            '<tr><td>Daily users</td><td align="right">500M</td></tr>'
            '<tr><td><a class="casebook-value" href="x">1.5 kB</a></td><td data-search-exclude>7</td></tr>'
            '</tbody></table>')
    out = search.exclude_number_cells(html)
    assert '<td align="right" data-search-exclude>500M</td>' in out
    assert '<td data-search-exclude><a class="casebook-value" href="x">1.5 kB</a></td>' in out
    assert "<td>Daily users</td>" in out and "<th>Value</th>" in out
    assert out.count("data-search-exclude") == 3  # the cell already marked is not marked twice
    assert search.exclude_number_cells(out) == out


def test_a_labs_code_outputs_and_data_frames_are_marked_once():
    html = ('<div class="highlight-ipynb"><pre><span>x = 1</span></pre></div><pre data-search-exclude>y</pre>'
            '<table class="dataframe" border="1"><tr><td>1</td></tr></table><table><tr><td>a</td></tr></table>'
            '<p>prose</p><prefix><div class="clipboard-copy-txt" id="cell-1">x = 1</div>')
    out = search.exclude_lab_code_and_outputs(html)
    assert out.count("<pre data-search-exclude>") == 2 and "data-search-exclude data-search-exclude" not in out
    assert '<table class="dataframe" data-search-exclude border="1">' in out
    assert "<table><tr>" in out and "<p>prose</p>" in out and "<prefix>" in out
    assert '<div class="clipboard-copy-txt" data-search-exclude id="cell-1">' in out
