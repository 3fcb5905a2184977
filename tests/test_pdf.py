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

import yaml

from casebook import browser, geometry, pdf, practice
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
    css = (DOCS / "assets" / "print.css").read_text(encoding="utf-8")
    height = re.search(r"--casebook-text-height:\s*([\d.]+)mm", css)
    assert height and float(height.group(1)) == geometry.TEXT_HEIGHT_MM, (
        f"docs/assets/print.css: --casebook-text-height (where casebook.js expects pages to break) must be "
        f"the text column's height, {geometry.TEXT_HEIGHT_MM} mm"
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


def cheat_sheet_urls() -> set[str]:
    """The cheat sheets' pages (casebook/practice.py): outside the navigation, printed on one page each."""
    nav = yaml.load((DOCS.parent / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]
    return {uri.removesuffix(".md") + "/" for _, uri in practice.cheat_sheets(nav)}


@pytest.fixture(scope="session")
def links(built_site) -> dict[str, str]:
    return pdf_links(built_site.site)


def navigation(site: Path) -> set[str]:
    """The pages the site's navigation lists (the home page's sidebar), as site-relative URLs."""
    home = (site / "index.html").read_text(encoding="utf-8")
    primary = home[home.index('class="md-nav md-nav--primary"'):]
    primary = primary[:primary.index("</nav>\n</div>")] if "</nav>\n</div>" in primary else primary
    urls = {urljoin("/", href).lstrip("/") for href in re.findall(r'<a href="([^"#]*)" class="md-nav__link', primary)}
    return {url if url.endswith("/") or not url else url for url in urls}


def test_every_page_in_the_navigation_has_a_pdf(built_site, links):
    expected = navigation(built_site.site)
    assert len(expected) >= 15, f"the home page's navigation lists too few pages: {sorted(expected)}"
    assert expected - set(links) == set(), "pages in the navigation without a Download PDF button"
    # Pages outside it (source pages, practice pages, with a timer and answers a print would show
    # open) have none: a PDF nobody can reach from the navigation is built for nothing. The cheat
    # sheets are the exception: they are made to be printed.
    sheets = cheat_sheet_urls()
    assert len(sheets) >= 10, f"too few cheat sheets: {sorted(sheets)}"
    assert set(links) - expected == sheets, "pages outside the navigation with a Download PDF button (or a cheat sheet without one)"
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


def running_head(page_html: str) -> str:
    """What a page's PDF should carry at the head of every page: its title, after its number
    ("Chapter 2 · Video recommendation") when it has one."""
    title = html.unescape(re.search(r"<title>(.*?) - ML System Design Casebook</title>", page_html).group(1))
    label = re.search(r'<span class="casebook-label"[^>]*>(.*?)</span>', page_html)
    return f"{label.group(1)} \u00b7 {title}" if label else title


def test_every_page_carries_its_title_and_number(built_site, links):
    titles = {}
    for url, target in links.items():
        if url:
            titles[target] = running_head((built_site.site / url / "index.html").read_text(encoding="utf-8"))
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
        assert "1 The framework" in titles and "Case studies" in titles
        starts = {item.title: item for item in outline.root}
        first = document.pages.index(pikepdf.Page(starts["1 The framework"].destination[0])) + 1
    contents = "\n".join(texts[1:first])
    entry = re.search(r"1\s+The framework\s*\.*\s*(\d+)", contents)
    assert entry and int(entry.group(1)) == first, "the contents give the framework's first page"
    assert texts[first - 1].splitlines()[0].strip() == "Chapter 1 \u00b7 The framework"


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
            browser.settle(page)
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
        browser.settle(page)
        assert page.evaluate(PRINT_LAYOUT, {"height": PAGE_HEIGHT_PX}) == []
        tall = page.evaluate("document.querySelector('img[src$=\"tall.svg\"]').getBoundingClientRect().height")
        assert 0 < tall <= PAGE_HEIGHT_PX, f"the tall figure is {tall}px high in print"


def test_math_prints(built_site, links):
    assert "∑" in "".join(page_texts(built_site.site / links["framework/"])), "no formula glyph in the framework PDF"


# -- The book's numbers, references, floats, labs and tags ---------------------------------------------

def nav_pages(site: Path) -> list[str]:
    """The site's pages in navigation order, from the home page's navigation (the source of the numbers)."""
    home = (site / "index.html").read_text(encoding="utf-8")
    nav = home[home.find('<nav class="md-nav md-nav--primary"'):]
    urls = []
    for href in re.findall(r'<a href="([^"#]+)" class="md-nav__link', nav):
        url = urljoin("/", href).lstrip("/")
        if url not in urls and not url.startswith("source/"):
            urls.append(url)
    return urls


def test_chapters_sections_and_figures_are_numbered_alike_on_the_site_and_in_the_book(built_site, links):
    """Chapters are numbered in nav order, appendices lettered, labs and the home page not numbered;
    sections and figures carry their chapter's number; the book's contents and bookmarks show the
    same numbers as the pages."""
    site = built_site.site
    labels = {}
    for url in nav_pages(site):
        page_html = (site / url / "index.html").read_text(encoding="utf-8")
        found = re.search(r'<h1[^>]*><span class="casebook-label"[^>]*>(.*?)</span>', page_html)
        labels[url] = found.group(1) if found else ""
    numbered = [label for label in labels.values() if label]
    chapters = [label for label in numbered if label.startswith("Chapter ")]
    appendices = [label for label in numbered if label.startswith("Appendix ")]
    assert chapters == [f"Chapter {n}" for n in range(1, len(chapters) + 1)] and len(chapters) >= 2, labels
    assert appendices == [f"Appendix {chr(65 + n)}" for n in range(len(appendices))] and len(appendices) >= 4, labels
    assert numbered == chapters + appendices, f"chapters come before appendices: {labels}"
    assert labels[""] == "" and labels["framework/"] == "Chapter 1" and labels["glossary/"].startswith("Appendix ")
    assert all(not label for url, label in labels.items() if url.startswith("labs/")), labels
    figures_seen = []
    for url, label in labels.items():
        if not label:
            continue
        page_html = article((site / url / "index.html").read_text(encoding="utf-8"))
        number = label.split()[1]
        captions = re.findall(r'<span class="casebook-figure-number">Figure ([^<]*)\.</span>', page_html)
        assert captions == [f"{number}.{n}" for n in range(1, len(captions) + 1)], f"/{url}: figures {captions}"
        figures_seen += captions
        sections = re.findall(r'<h2\b[^>]*\bid="[^"]+"[^>]*><span class="casebook-number"[^>]*>([^<]*)</span>', page_html)
        if url != "glossary/":
            assert sections and sections == [f"{number}.{n}" for n in range(1, len(sections) + 1)], f"/{url}: {sections}"
        described = list(dict.fromkeys(re.findall(r'data-caption="Figure ([^ ]*)\.', page_html)))
        assert described == captions, f"/{url}: the lightbox says Figure {described}, the captions {captions}"
    assert len(set(figures_seen)) == len(figures_seen) >= 5, f"figure numbers repeat in the book: {figures_seen}"
    book = site / links[""]
    texts = page_texts(book)
    contents_pages = [text for text in texts[1:] if text.split()[:1] == ["Contents"]]
    assert contents_pages and texts[1].split()[:1] == ["Contents"], "the page after the cover is not the contents"
    contents = " ".join(" ".join(text.split()) for text in contents_pages)
    with pikepdf.open(book) as document, document.open_outline() as outline:
        bookmarks = [item.title for group in outline.root for item in [group, *group.children]]
        children = {item.title: [child.title for child in item.children]
                    for group in outline.root for item in [group, *group.children]}
    video = [url for url, label in labels.items() if label == "Chapter 2"][0]
    title = re.search(r"<title>(.*?) - ", (site / video / "index.html").read_text(encoding="utf-8")).group(1)
    assert f"2 {html.unescape(title)}" in bookmarks
    assert children[f"2 {html.unescape(title)}"][0].startswith("2.1 "), children
    assert re.search(r"2\.3 \S", contents) and re.search(r"A\.1 \S", contents), "the contents number the sections"


def test_captions_and_provenance_print_as_references_a_reader_can_follow(built_site, links):
    """On paper a caption names the file that draws the figure, and a table's provenance the file and
    line of the function that computes it (the repository's address is on the cover and at the end of
    each chapter); the word "Source" of the screen is not printed."""
    from casebook import shortcodes
    from casebook.paths import ROOT

    text = " ".join(" ".join(page_texts(built_site.site / links["framework/"])).split())
    line = shortcodes.definition_line(ROOT / "snippets" / "framework.py", "capacity_table")
    assert line and f"Computed at build time by capacity_table() in snippets/framework.py, line {line}" in text
    assert "Drawn by diagrams/framework/steps.py" in text
    assert not re.search(r"\.\s+Source\b", text), "a caption prints the screen's 'Source' link"
    repository = re.search(r'<a href="([^"]+)" class="md-source casebook-repository"',
                           (built_site.site / "index.html").read_text(encoding="utf-8")).group(1)
    assert f"code in the project's repository, {repository}" in text


# Where a page draws its content: a small interpreter of PDF content streams (paths, text runs,
# images and forms, with the transformation matrix), grouping what is drawn by its marked-content tag.
TEXT_TOP = geometry.PAGE_HEIGHT_PT - geometry.mm_to_pt(geometry.MARGIN_TOP_MM)
TEXT_BOTTOM = geometry.mm_to_pt(geometry.MARGIN_BOTTOM_MM)
TEXT_HEIGHT = TEXT_TOP - TEXT_BOTTOM


def _multiply(a, b):
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3], a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def _apply(m, x, y):
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def drawn(page: pikepdf.Page) -> list[tuple[str, int | None, tuple[float, float, float, float]]]:
    """``(tag, mcid, (x0, y0, x1, y1))`` of everything a page draws, except running heads and feet
    (artefacts) and a page-sized background."""
    out, ctm, saved, marks, path = [], [1, 0, 0, 1, 0, 0], [], [], []
    tm, size, leading = [1, 0, 0, 1, 0, 0], 0.0, 0.0

    def emit(points):
        if not points:
            return
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        box = (min(xs), min(ys), max(xs), max(ys))
        if any(tag == "/Artifact" for tag, _ in marks) or box[3] - box[1] > 0.9 * TEXT_HEIGHT and box[2] - box[0] > 400:
            return
        tag, mcid = next(((t, m) for t, m in reversed(marks) if m is not None), ("", None))
        out.append((tag, mcid, box))

    for operands, op in pikepdf.parse_content_stream(page):
        op = str(op)
        numbers = [float(v) for v in operands] if op in ("cm", "m", "l", "c", "v", "y", "re", "Td", "TD", "Tm") else []
        if op == "q":
            saved.append(ctm)
        elif op == "Q":
            ctm = saved.pop() if saved else ctm
        elif op == "cm":
            ctm = _multiply(numbers, ctm)
        elif op in ("BDC", "BMC"):
            properties = operands[1] if op == "BDC" else None
            mcid = int(properties.MCID) if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties else None
            marks.append((str(operands[0]), mcid))
        elif op == "EMC" and marks:
            marks.pop()
        elif op in ("m", "l", "c", "v", "y"):
            path += [_apply(ctm, numbers[i], numbers[i + 1]) for i in range(0, len(numbers), 2)]
        elif op == "re":
            x, y, w, h = numbers
            path += [_apply(ctm, x, y), _apply(ctm, x + w, y + h)]
        elif op in ("S", "s", "f", "F", "f*", "B", "B*", "b", "b*"):
            emit(path)
            path = []
        elif op == "n":
            path = []
        elif op == "BT":
            tm = [1, 0, 0, 1, 0, 0]
        elif op == "Tf":
            size = float(operands[1])
        elif op == "TL":
            leading = float(operands[0])
        elif op == "Tm":
            tm = numbers
        elif op in ("Td", "TD"):
            tm = _multiply([1, 0, 0, 1, *numbers], tm)
            leading = -numbers[1] if op == "TD" else leading
        elif op == "T*":
            tm = _multiply([1, 0, 0, 1, 0, -leading], tm)
        elif op in ("Tj", "TJ", "'", '"'):
            m = _multiply(tm, ctm)
            emit([_apply(m, 0, -0.25 * size), _apply(m, 0.5 * size, 0.8 * size)])
        elif op == "Do":
            xobject = page.resources.XObject[operands[0]]
            if xobject.get("/Subtype") == "/Image":
                emit([_apply(ctm, x, y) for x in (0, 1) for y in (0, 1)])
            else:
                x0, y0, x1, y1 = (float(v) for v in xobject.BBox)
                m = _multiply([float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])], ctm)
                emit([_apply(m, x, y) for x in (x0, x1) for y in (y0, y1)])
    return out


def gaps_above_figures(path: Path) -> list[tuple[float, int]]:
    """``(gap in pt, page number)`` for every figure: the empty space between it and what is drawn
    above it on its page or, when the figure opens its page, at the foot of the page before (where
    it did not fit). Space that no figure follows (a chapter's end) is not counted."""
    with pikepdf.open(path) as document:
        pages = [drawn(page) for page in document.pages]
    found = []
    for number, items in enumerate(pages, start=1):
        figures: dict[int, list[float]] = {}
        for tag, mcid, (x0, y0, x1, y1) in items:
            if tag == "/Figure":
                box = figures.setdefault(mcid, [x0, y0, x1, y1])
                box[:] = [min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1)]
        for mcid, (_, bottom, _, top) in figures.items():
            if top - bottom < 36:
                continue  # an icon or a glyph-sized image in the text, not a figure
            above = [box[1] for tag, m, box in items if box[1] >= top - 1 and (tag, m) != ("/Figure", mcid)]
            if above:
                found.append((min(above) - top, number))
            elif number >= 2 and pages[number - 2]:
                found.append((min(box[1] for *_, box in pages[number - 2]) - TEXT_BOTTOM, number - 1))
    return found


def test_gap_measure_sees_a_gap_left_by_a_figure_that_did_not_fit(tmp_path):
    """The measure itself, on a made-up PDF: text that stops 300 pt down page 1, a figure that opens
    page 2, and on page 2 a second figure 50 pt below the first."""
    document = pikepdf.new()
    drawings = [
        f"/P <</MCID 0>> BDC 51 {TEXT_TOP - 300} 490 300 re f EMC",
        f"/Figure <</MCID 0>> BDC 51 {TEXT_TOP - 200} 490 200 re f EMC "
        f"/Figure <</MCID 1>> BDC 51 {TEXT_TOP - 450} 490 200 re f EMC",
    ]
    for drawing in drawings:
        document.add_blank_page(page_size=(geometry.PAGE_WIDTH_PT, geometry.PAGE_HEIGHT_PT))
        document.pages[-1].contents_add(pikepdf.Stream(document, drawing.encode()))
    document.save(tmp_path / "gap.pdf")
    found = sorted((round(gap), page) for gap, page in gaps_above_figures(tmp_path / "gap.pdf"))
    assert found == [(50, 2), (round(TEXT_HEIGHT - 300), 1)]


def test_no_page_is_left_a_third_empty_above_a_figure(built_site, links):
    """A figure that does not fit at a page's foot floats past the next paragraphs (casebook.js), so
    no page of any PDF has more than a third of its text height empty above a figure."""
    problems = []
    for target in sorted(set(links.values())):
        for gap, page in gaps_above_figures(built_site.site / target):
            if gap > TEXT_HEIGHT / 3:
                problems.append(f"{target} page {page}: {gap:.0f} pt empty above a figure "
                                f"(more than a third of the {TEXT_HEIGHT:.0f} pt text height)")
    assert not problems, "\n".join(problems)


def test_labs_close_the_book(built_site, links):
    """The labs print in the book, after the appendices, with their code and plots."""
    book = built_site.site / links[""]
    with pikepdf.open(book) as document, document.open_outline() as outline:
        groups = [item.title for item in outline.root]
        labs = next(item for item in outline.root if item.title == "Labs")
        lab_titles = [item.title for item in labs.children]
        first = document.pages.index(pikepdf.Page(labs.children[0].destination[0]))
    assert groups[-1] == "Labs" and len(lab_titles) == len([url for url in links if url.startswith("labs/")]), groups
    text = " ".join(page_texts(book)[first].split())
    assert "import" in text, "the lab's code prints"


def structure_problems(path: Path) -> list[str]:
    """What keeps a PDF from being properly tagged: no structure tree, /MarkInfo not marked, marked
    content on a page that no structure element claims, an element pointing at a page that is not in
    the document, or two pages sharing a parent-tree key."""
    problems = []
    with pikepdf.open(path) as document:
        root = document.Root.get("/StructTreeRoot")
        if root is None:
            return ["no /StructTreeRoot"]
        if not bool(document.Root.get("/MarkInfo", {}).get("/Marked", False)):
            problems.append("/MarkInfo /Marked is not true")
        pages = {page.obj.objgen: n for n, page in enumerate(document.pages, 1)}
        parents = dict(pikepdf.NumberTree(root.ParentTree).items())
        stack = [root.get("/K")]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
            elif isinstance(node, pikepdf.Dictionary):
                if "/Pg" in node and node.Pg.objgen not in pages:
                    problems.append(f"a structure element points at {node.Pg.objgen}, which is not a page")
                if "/S" in node and "/K" in node:
                    stack.append(node.K)
        keys = set()
        for n, page in enumerate(document.pages, 1):
            mcids = [int(operands[1].MCID) for operands, op in pikepdf.parse_content_stream(page)
                     if str(op) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]]
            if not mcids:
                continue
            key = page.obj.get("/StructParents")
            if key is None or int(key) not in parents:
                problems.append(f"page {n}: marked content, but no parent-tree entry")
                continue
            if int(key) in keys:
                problems.append(f"page {n}: parent-tree key {key} used by another page too")
            keys.add(int(key))
            parent = parents[int(key)]
            for mcid in mcids:
                element = parent[mcid] if mcid < len(parent) else None
                kids = element.get("/K") if isinstance(element, pikepdf.Dictionary) else None
                kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
                if not any(kid == mcid or isinstance(kid, pikepdf.Dictionary) and kid.get("/MCID") == mcid
                           for kid in kids):
                    problems.append(f"page {n}: marked content {mcid} has no structure element")
    return problems


def test_the_book_and_every_page_pdf_are_tagged(built_site, links):
    """Chromium prints each page tagged; the book, joined by pikepdf, keeps one structure tree over
    all its pages (casebook.pdf._merge_structure)."""
    for target in sorted(set(links.values())):
        path = built_site.site / target
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.M), f"{target}: pdfinfo says it is not tagged"
        problems = structure_problems(path)
        assert not problems, f"{target}: " + "; ".join(problems[:5])
    with pikepdf.open(built_site.site / links[""]) as document:
        parts = document.Root.StructTreeRoot.K[0].K
        in_book = {target for url, target in links.items() if url not in cheat_sheet_urls()}
        assert len(parts) == 2 + len(in_book) - 1, "the cover, the contents and every page PDF (not the cheat sheets)"
