"""A long page's fold (casebook/fold.py): marked where its first screens end, its later sections shown
a moment after the page is parsed (casebook.js), and nothing lost on the way: without scripts, with a
fragment in the address, after a jump from the contents, on paper."""

from __future__ import annotations

import re

import pytest

from casebook import browser, fold

FOLDED = re.compile(r'<(h2|div) class="casebook-fold[ "]')


def _section(n: int, words: int) -> str:
    return f'<h2 id="s{n}">Section {n}</h2>\n<p>{"word " * words}</p>\n'


def test_a_short_page_has_no_fold():
    page = "<h1>T</h1>\n" + _section(1, 200) + _section(2, 200)
    assert fold.mark(page) == page


def test_the_fold_is_the_first_top_level_heading_after_the_first_screens():
    # 5 characters a word ("word" + its space, stripped at the ends): 1,000 words are about 5,000.
    page = "<h1>T</h1>\n" + _section(1, 300) + _section(2, 600) + _section(3, 900) + _section(4, 900)
    marked = fold.mark(page)
    assert marked.count("casebook-fold") == 1
    # Before section 2: 300 words (about 1,500 characters); before 3: about 4,500 (> FOLD_CHARS).
    assert '<h2 class="casebook-fold" id="s3">' in marked, marked[:400]
    assert marked.replace(' class="casebook-fold"', "") == page  # nothing else changes


def test_a_heading_inside_a_block_is_never_the_fold_and_a_class_is_kept():
    nested = '<div class="admonition"><h2 id="inner">Inside</h2><p>x</p></div>\n'
    page = "<h1>T</h1>\n" + _section(1, 1_000) + nested + '<h2 class="wide" id="s2">Two</h2>\n<p>' + "word " * 1_000 + "</p>"
    marked = fold.mark(page)
    assert '<h2 id="inner">' in marked and '<h2 class="casebook-fold wide" id="s2">' in marked


def test_the_fold_is_found_after_characters_that_other_line_splitters_count_as_line_ends():
    page = "<h1>T</h1>\n<p>a\u2028b\x0cc</p>\n" + _section(1, 1_000) + _section(2, 1_000)
    assert '<h2 class="casebook-fold" id="s2">' in fold.mark(page)


def test_a_page_with_little_below_its_fold_is_shown_whole():
    page = "<h1>T</h1>\n" + _section(1, 1_000) + _section(2, 100)
    assert fold.mark(page) == page


def _notebook(cells: int, words: int) -> str:
    body = "".join(f'<div class="jp-Cell jp-MarkdownCell"><div class="jp-InputArea"><h2>Step {n}</h2>'
                   f'<p>{"word " * words}</p></div></div>\n' for n in range(cells))
    return f'<h1>Lab</h1>\n<div class="jupyter-wrapper"><div class="jp-Notebook">\n{body}</div></div>\n'


def test_a_lab_folds_at_a_cell_of_its_notebook():
    # A notebook's headings sit inside its cells: the fold is the first cell after the first screens.
    page = _notebook(8, 300)  # about 1,500 characters of text per cell
    marked = fold.mark(page)
    assert marked.count("casebook-fold") == 1
    cells = marked.split("\n")[2:-2]
    assert [("casebook-fold" in cell) for cell in cells] == [False, False, False, True, False, False, False, False]
    assert '<div class="casebook-fold jp-Cell jp-MarkdownCell">' in cells[3]  # 4,515 characters before it
    assert marked.replace("casebook-fold ", "") == page
    # A short lab, or a block inside a cell, never.
    assert fold.mark(_notebook(3, 300)) == _notebook(3, 300)


@pytest.mark.build
def test_long_pages_have_a_fold_and_show_everything_in_the_browser(built_site):
    site = built_site.site
    folded = sorted(str(path.parent.relative_to(site)) + "/" for path in site.rglob("index.html")
                    if FOLDED.search(path.read_text(encoding="utf-8")))
    # Every case study and every reference page is long, and so are most labs (folded at a cell).
    assert {"video-recommendation/", "framework/", "reference/metrics/", "labs/video-recommendation/"} <= set(folded), folded
    url = "video-recommendation/"
    with browser.serve(site) as base, browser.chromium() as chromium:
        context = chromium.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.goto(base + url, wait_until="domcontentloaded")
        # Once the page is parsed, its end is not laid out yet: it is shown a few steps later.
        early = page.evaluate("() => [document.documentElement.classList.contains('casebook-progressive'),"
                              " getComputedStyle(document.querySelector('.md-content__inner > :last-child')).display]")
        assert early == [True, "none"], early
        started = page.evaluate("performance.now()")
        browser.settle(page)
        took = page.evaluate("performance.now()") - started
        # casebook.js showed it (not the head's five-second fallback), and every block is displayed.
        assert page.evaluate("document.documentElement.hasAttribute('data-casebook-shown')"), "casebook.js never finished"
        assert took < 4_000, f"showing the page took {took:.0f} ms"
        hidden = page.evaluate("""() => [...document.querySelectorAll('.md-content__inner > *, .md-footer')]
            .filter(e => e.tagName !== 'SCRIPT' && getComputedStyle(e).display === 'none'
                        && !e.classList.contains('casebook-print-only'))
            .map(e => e.tagName + (e.id ? '#' + e.id : ''))""")
        assert hidden == [], f"/{url}: still hidden after the page settled: {hidden}"
        scrollers = page.evaluate("[...document.querySelectorAll('[data-casebook-scroll]')].map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 40))")

        # An address with a fragment: nothing is held back, and the browser scrolls to the heading.
        jump = context.new_page()
        jump.goto(base + url + "#trade-offs", wait_until="load")
        top = jump.evaluate("document.getElementById('trade-offs').getBoundingClientRect().top")
        assert 0 <= top < 200, f"#trade-offs is at {top} px after loading the address with its fragment"
        # The boxes that scroll sideways (reachable from the keyboard, with their fading edge) are the
        # same whether the page was shown in steps or at once.
        whole = jump.evaluate("[...document.querySelectorAll('[data-casebook-scroll]')].map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 40))")
        assert len(whole) > 3 and scrollers == whole, (scrollers, whole)

        # A click in the contents before everything is shown lands on its heading.
        click = context.new_page()
        click.goto(base + url, wait_until="domcontentloaded")
        click.evaluate("document.querySelector('.md-nav--secondary a[href=\"#trade-offs\"]').click()")
        click.wait_for_timeout(300)
        top = click.evaluate("document.getElementById('trade-offs').getBoundingClientRect().top")
        assert 0 <= top < 200, f"#trade-offs is at {top} px after a click in the contents"

        # Without scripts, the whole page is there.
        plain = chromium.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False).new_page()
        plain.goto(base + url, wait_until="load")
        assert plain.locator("#trade-offs").is_visible() and plain.locator(".md-footer").is_visible()

        # A lab, folded at a cell: every cell is shown once the page has settled.
        lab = context.new_page()
        lab.goto(base + "labs/video-recommendation/", wait_until="domcontentloaded")
        assert lab.evaluate("getComputedStyle(document.querySelector('.jp-Notebook > :last-child')).display") == "none"
        browser.settle(lab)
        hidden = lab.evaluate("""() => [...document.querySelectorAll('.jp-Notebook > *, .md-footer')]
            .filter(e => getComputedStyle(e).display === 'none').map(e => e.className)""")
        assert hidden == [], f"/labs/video-recommendation/: still hidden after the page settled: {hidden}"
