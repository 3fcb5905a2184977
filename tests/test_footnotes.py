"""Adjacent footnote markers are told apart, and only adjacent ones."""

from __future__ import annotations

import re

from casebook import footnotes

ONE = '<sup id="fnref:a"><a class="footnote-ref" href="#fn:a">1</a></sup>'
THREE = '<sup id="fnref:b"><a class="footnote-ref" href="#fn:b">3</a></sup>'


def test_adjacent_markers_get_a_comma():
    assert footnotes.separate_markers(ONE + THREE) == ONE + footnotes.SEPARATOR + THREE


def test_markers_with_words_between_are_left_alone():
    text = ONE + " all points from 2010" + THREE
    assert footnotes.separate_markers(text) == text


def test_three_in_a_row():
    out = footnotes.separate_markers(ONE + THREE + ONE)
    assert out.count(footnotes.SEPARATOR) == 2


def test_the_chapter_shows_separated_markers(built_site):
    html = (built_site.site / "video-recommendation" / "index.html").read_text(encoding="utf-8")
    assert footnotes.SEPARATOR in html
    assert not re.search(r'<sup id="fnref[^"]*"><a [^>]*>\d+</a></sup><sup id="fnref', html), "two markers still touch"
