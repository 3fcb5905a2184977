"""The PDFs: one per page, and the whole book, checked as a reader would find them.

Texts are read back with poppler's ``pdftotext``; the print layout is measured in Chromium with the
print stylesheet applied, at the width of an A4 page's text column.
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pikepdf
import pytest

from casebook import browser, geometry, pdf
from casebook.paths import DOCS
from conftest import build_site

pytestmark = pytest.mark.build

TEXT_WIDTH_PX = geometry.TEXT_COLUMN_PX  # pages are laid out at the text column's width, as pdf.py prints
PAGE_HEIGHT_PX = geometry.TEXT_HEIGHT_PX
# Text within 3 mm of the side margins' inner edge is allowed (glyphs overhang a little); nearer the
# paper's edge than that, it has run off the column.
MARGIN = geometry.mm_to_pt(min(geometry.MARGIN_LEFT_MM, geometry.MARGIN_RIGHT_MM) - 3)


def page_rule(css: str) -> dict[str, str]:
    """The declarations of the one top-level ``@page`` rule in ``css``, whitespace normalised."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = re.findall(r"@page\s*\{([^{}]*)\}", css)
    assert len(rules) == 1, f"expected one @page rule, found {len(rules)}"
    declarations = [d.split(":", 1) for d in rules[0].split(";") if d.strip()]
    return {name.strip(): " ".join(value.split()) for name, value in declarations}


def test_print_css_states_the_page_geometry():
    """print.css cannot import casebook/geometry.py, so its @page rule is checked against it: the
    paper and margins of Ctrl+P, of the PDFs and of these tests cannot drift apart."""
    stated = page_rule((DOCS / "assets" / "print.css").read_text(encoding="utf-8"))
    assert stated == page_rule(geometry.page_css()), (
        f"docs/assets/print.css says @page {stated}; casebook/geometry.py says {geometry.page_css()}: "
        "change both together"
    )


def test_pdf_names_follow_the_page_source():
    assert pdf.pdf_uri("reference/metrics.md") == "pdf/reference-metrics.pdf"
    assert pdf.pdf_uri("labs/metrics.ipynb") == "pdf/labs-metrics.pdf"
    assert pdf.BOOK_PDF.startswith(pdf.PDF_FOLDER + "/") and pdf.BOOK_PDF.endswith(".pdf")


def pdf_links(site: Path) -> dict[str, str]:
    """Page URL -> the PDF its Download button points to, for every page that has one."""
    found = {}
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        match = re.search(r'<a href="([^"]+\.pdf)" class="md-content__button casebook-pdf-button"', text)
        if match:
            url = page.relative_to(site).as_posix().removesuffix("index.html")
            found[url] = urljoin("/" + url, match.group(1)).lstrip("/")
    return found


def page_texts(path: Path, mode: str = "-layout") -> list[str]:
    """The text of each page: ``-layout`` keeps lines as printed, ``-raw`` keeps drawing order (a
    table cell's lines stay together)."""
    result = subprocess.run(["pdftotext", mode, str(path), "-"], capture_output=True, text=True, check=True)
    return result.stdout.split("\f")[:-1]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def article(page_html: str) -> str:
    start = page_html.find("<article")
    return page_html[start: page_html.find("</article>", start)]


def visible_text(fragment: str) -> str:
    fragment = re.sub(r'<span class="katex-mathml">.*?</span>', "", fragment, flags=re.S)
    fragment = re.sub(r'<a class="headerlink".*?</a>', "", fragment, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


@pytest.fixture(scope="session")
def links(built_site) -> dict[str, str]:
    return pdf_links(built_site.site)


def test_every_page_in_the_navigation_has_a_pdf(built_site, links):
    pages = {p.relative_to(built_site.site).as_posix().removesuffix("index.html")
             for p in built_site.site.rglob("index.html")}
    expected = {url for url in pages if not url.startswith("source/")}
    assert expected - set(links) == set(), "pages without a Download PDF button"
    for url, target in links.items():
        assert (built_site.site / target).is_file(), f"/{url}: its PDF {target} was not built"
    assert links[""] == pdf.BOOK_PDF, "the home page offers the whole book"


def test_pdfs_are_a4_with_metadata(built_site, links):
    paper = (geometry.PAGE_WIDTH_PT, geometry.PAGE_HEIGHT_PT)
    for target in sorted(set(links.values())):
        with pikepdf.open(built_site.site / target) as document:
            assert len(document.pages) >= 1, target
            for number, page in enumerate(document.pages, start=1):
                width, height = (float(page.mediabox[2]), float(page.mediabox[3]))
                assert abs(width - paper[0]) < 2 and abs(height - paper[1]) < 2, f"{target} page {number}: {width}x{height}"
            assert "ML System Design Casebook" in str(document.docinfo["/Title"]), target
            assert "127.0.0.1" not in str(document.docinfo), target


def test_every_page_carries_its_title_and_number(built_site, links):
    titles = {}
    for url, target in links.items():
        if url:
            text = (built_site.site / url / "index.html").read_text(encoding="utf-8")
            titles[target] = html.unescape(re.search(r"<title>(.*?) - ML System Design Casebook</title>", text).group(1))
    for target, title in titles.items():
        for number, text in enumerate(page_texts(built_site.site / target), start=1):
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            assert lines[0] == title, f"{target} page {number}: running head {lines[0]!r}, expected {title!r}"
            assert lines[-1].endswith(str(number)), f"{target} page {number}: foot {lines[-1]!r}"


def test_book_has_cover_contents_and_continuous_numbers(built_site, links):
    book = built_site.site / links[""]
    texts = page_texts(book)
    # The title may wrap on the cover; the words must be there, in order.
    assert "ML System Design Casebook" in " ".join(texts[0].split()) and not re.search(r"^\s*1\s*$", texts[0], re.M)
    assert texts[1].splitlines()[0].strip() == "Contents"
    assert re.search(r"Edition of \d{4}-\d{2}-\d{2}", texts[0]), "the cover gives the edition's date"
    assert "on this site" not in texts[0], "print does not speak of a site"
    contents_lines = [line.strip() for text in texts[1:3] for line in text.splitlines()]
    assert not [line for line in contents_lines if re.fullmatch(r"[A-Z]\s*\.*\s*\d+", line)], \
        "the glossary's letters do not get a contents line each"
    repository = re.search(r'<a href="([^"]+)" class="md-source casebook-repository"',
                           (built_site.site / "index.html").read_text(encoding="utf-8")).group(1)
    assert repository in texts[0], "the cover gives the repository's address"
    with pikepdf.open(book) as document:
        uris = [str(annot.A.URI) for annot in document.pages[0].obj.get("/Annots", []) if "/A" in annot]
    assert repository in uris, "and links it"
    for number, text in enumerate(texts[1:], start=2):
        assert text.rstrip().splitlines()[-1].strip().endswith(str(number)), f"book page {number}"
    with pikepdf.open(book) as document, document.open_outline() as outline:
        titles = [item.title for item in outline.root]
        assert titles[:2] == ["Cover", "Contents"]
        assert "The framework" in titles and "Case studies" in titles
        starts = {item.title: item for item in outline.root}
        first = document.pages.index(pikepdf.Page(starts["The framework"].destination[0])) + 1
    contents = "\n".join(texts[1:first])
    entry = re.search(r"The framework\s*\.*\s*(\d+)", contents)
    assert entry and int(entry.group(1)) == first, "the contents give the framework's first page"
    assert texts[first - 1].splitlines()[0].strip() == "The framework"


def test_every_table_cell_is_in_the_pdf(built_site, links):
    """Tables keep every column: each cell's text is found in the page's PDF."""
    missing = {}
    for url, target in links.items():
        if not url:
            continue
        page_html = article((built_site.site / url / "index.html").read_text(encoding="utf-8"))
        text = squeeze("".join(page_texts(built_site.site / target, "-raw")))
        for cell in re.findall(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", page_html, re.S):
            if 'class="katex' in cell:
                continue  # math is checked separately; its text layer is glyph soup
            wanted = squeeze(visible_text(cell))
            if wanted and wanted not in text:
                missing.setdefault(url, []).append(wanted[:60])
    assert not missing, "\n".join(f"{url}: {cells[:5]}" for url, cells in missing.items())


def test_no_text_outside_the_page(built_site, links):
    """Nothing runs off the paper: every word PDF text box lies within the page's width."""
    for target in sorted(set(links.values())):
        result = subprocess.run(["pdftotext", "-bbox", str(built_site.site / target), "-"],
                                capture_output=True, text=True, check=True)
        for page, width, words in _bbox_pages(result.stdout):
            outside = [word for word, x_min, x_max in words if x_min < MARGIN or x_max > width - MARGIN]
            assert not outside, f"{target} page {page}: text outside the margins: {outside[:5]}"


def _bbox_pages(xhtml: str):
    for number, (width, body) in enumerate(re.findall(r'<page width="([\d.]+)"[^>]*>(.*?)</page>', xhtml, re.S), 1):
        words = [(html.unescape(w), float(a), float(b))
                 for a, b, w in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>(.*?)</word>', body)]
        yield number, float(width), words


def test_headings_never_end_a_page(built_site, links):
    for url, target in links.items():
        if not url:
            continue
        page_html = article((built_site.site / url / "index.html").read_text(encoding="utf-8"))
        headings = {" ".join(visible_text(h).split()) for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", page_html, re.S)}
        for number, text in enumerate(page_texts(built_site.site / target), start=1):
            lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
            body = lines[1:-1]  # without the running head and the foot
            if body:
                assert body[-1] not in headings, f"{target} page {number} ends with the heading {body[-1]!r}"


PRINT_LAYOUT = """
(limits) => {
  window.casebookPrint.prepare();
  const problems = [];
  const content = document.querySelector("article");
  const right = content.getBoundingClientRect().right + 1;
  for (const el of content.querySelectorAll("*")) {
    // Inside a formula or a drawing, only the formula or the drawing as a whole counts: KaTeX clips
    // its stretchy glyphs and hides a copy for screen readers on purpose.
    if (el.parentElement.closest(".katex, svg")) continue;
    const box = el.getBoundingClientRect();
    if (!box.width && !box.height) continue;
    const style = getComputedStyle(el);
    if (box.right > right) problems.push(`${el.tagName.toLowerCase()}.${el.className} runs ${Math.round(box.right - right)}px past the text column`);
    if (style.overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1)
      problems.push(`${el.tagName.toLowerCase()}.${el.className} clips ${el.scrollWidth - el.clientWidth}px of its content`);
    if ((el.tagName === "IMG" || el.tagName === "FIGURE") && box.height > limits.height)
      problems.push(`${el.tagName.toLowerCase()} ${el.getAttribute("src") || el.id} is ${Math.round(box.height)}px, taller than a page`);
  }
  return problems;
}
"""


def test_print_layout_clips_nothing_and_fits_figures_on_a_page(built_site, links):
    """Measured in Chromium with the print stylesheet, at the A4 text column's width."""
    problems = {}
    with browser.serve(built_site.site) as base, browser.chromium() as chromium:
        context = chromium.new_context(viewport={"width": TEXT_WIDTH_PX, "height": PAGE_HEIGHT_PX})
        page = context.new_page()
        page.emulate_media(media="print")
        for url in links:
            page.goto(base + url, wait_until="load")
            found = page.evaluate(PRINT_LAYOUT, {"height": PAGE_HEIGHT_PX})
            if found:
                problems[url] = found[:5]
        context.close()
    assert not problems, "\n".join(f"/{url}: {items}" for url, items in problems.items())


def test_pdfs_link_to_no_local_server(built_site, links):
    for target in sorted(set(links.values())):
        with pikepdf.open(built_site.site / target) as document:
            for page in document.pages:
                for annot in page.obj.get("/Annots", []):
                    action = annot.get("/A")
                    uri = str(action.get("/URI", "")) if action is not None else ""
                    assert "127.0.0.1" not in uri and not uri.startswith(pdf.PLACEHOLDER), f"{target}: {uri}"


TORTURE_PAGE = """# Print torture test

A page that exercises everything print must handle.

## A wide table

| Column one | Column two | Column three | Column four | Column five | Column six | Column seven | Column eight | Column nine | Last column |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
| alpha-cell | bravo-cell | charlie-cell | delta-cell | echo-cell | foxtrot-cell | golf-cell | hotel-cell | india-cell | juliet-lastcell |

## Long code

```python
value = "{long}"
```

## A closed collapsible

??? note "Closed by default"
    The hidden sentence inside the collapsible block.

## Tabs

=== "First tab"
    Content of the first tab.

=== "Second tab"
    Content of the second tab, hidden on screen.

## Math

$$
\\sum_{{i=1}}^{{n}} x_i^2
$$

## A very tall figure

![A very tall test image made of one narrow column.](tall.svg)
"""


def test_print_handles_wide_tables_long_code_collapsibles_tabs_math_and_tall_figures(project_copy, tmp_path):
    long_token = "wrap" + "x" * 300 + "end"
    (project_copy / "docs" / "torture.md").write_text(TORTURE_PAGE.format(long=long_token), encoding="utf-8")
    (project_copy / "docs" / "tall.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="3000" viewBox="0 0 200 3000">'
        '<rect width="200" height="3000" fill="#3f51b5"/></svg>', encoding="utf-8")
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - Home: index.md\n", "  - Home: index.md\n  - Print torture test: torture.md\n"), encoding="utf-8")
    build = build_site(project_copy, tmp_path / "site")
    assert build.returncode == 0, build.output
    target = build.site / pdf.pdf_uri("torture.md")
    text = squeeze("".join(page_texts(target, "-raw")))
    for expected in ("juliet-lastcell", "Lastcolumn", long_token, "hiddensentenceinsidethecollapsible",
                     "Contentofthesecondtab", "Contentofthefirsttab"):
        assert expected in text, f"{expected!r} is missing from the printed page"
    assert "∑" in "".join(page_texts(target)), "the formula did not print"
    result = subprocess.run(["pdftotext", "-bbox", str(target), "-"], capture_output=True, text=True, check=True)
    for page, width, words in _bbox_pages(result.stdout):
        assert all(MARGIN <= x_min and x_max <= width - MARGIN for _, x_min, x_max in words), \
            f"torture page {page}: text off the page"
    with browser.serve(build.site) as base, browser.chromium() as chromium:
        page = chromium.new_page(viewport={"width": TEXT_WIDTH_PX, "height": PAGE_HEIGHT_PX})
        page.emulate_media(media="print")
        page.goto(base + "torture/", wait_until="load")
        assert page.evaluate(PRINT_LAYOUT, {"height": PAGE_HEIGHT_PX}) == []
        tall = page.evaluate("document.querySelector('img[src$=\"tall.svg\"]').getBoundingClientRect().height")
        assert 0 < tall <= PAGE_HEIGHT_PX, f"the tall figure is {tall}px high in print"


def test_math_prints(built_site, links):
    assert "∑" in "".join(page_texts(built_site.site / links["framework/"])), "no formula glyph in the framework PDF"
