"""PDFs of every page and of the whole book, printed by headless Chromium from the built site.

Each page is printed once, through the site's own print stylesheet (``docs/assets/print.css``) with
collapsible blocks opened (``docs/assets/casebook.js``), and the raw print is cached, keyed by the page's
HTML and every file it loads. Then pikepdf, without a browser:

- stamps the running head (the chapter title) and the page number on every page, in the book's own
  face (DejaVu Sans, embedded: only the characters stamped);
- turns links between pages into links to the hosted site (``site_url``), or, in the whole book,
  into jumps to the right page of the book; without a ``site_url`` such links are dropped rather than
  left pointing at the temporary local server;
- joins a cover, a table of contents with page numbers and every chapter, appendix and lab into the
  book, with numbered bookmarks for every chapter and section, and one structure tree made of the
  parts' trees, so that the book is as tagged (accessible) as its chapters;
- writes deterministic files: a content-derived ``/ID``, dates from ``SOURCE_DATE_EPOCH``, and the
  tagged structure's elements named in document order (Chromium's names change from print to print).

Nothing is printed twice: a rebuild that changes no page starts no browser.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import html
import io
import re
import shutil
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator, String

from casebook import browser, cache, fonts, geometry
from casebook.errors import CasebookError
from casebook.paths import CACHE
from casebook.settings import WORKERS

PDF_CACHE = CACHE / "pdf"
PDF_FOLDER = "pdf"  # in the built site
BOOK_PDF = f"{PDF_FOLDER}/ml-system-design-casebook.pdf"
PLACEHOLDER = "https://casebook.invalid/"  # where links to other pages point until pikepdf rewrites them
STAMP_FACE = fonts.sans_face(400)  # the book's own face, embedded (only the characters stamped)
HEAD_SIZE = 8.5
# The running head and foot line up with the text column's edges and sit in the top and bottom margins.
MARGIN_LEFT_PT = geometry.mm_to_pt(geometry.MARGIN_LEFT_MM)
MARGIN_RIGHT_PT = geometry.mm_to_pt(geometry.MARGIN_RIGHT_MM)
HEAD_BASELINE = geometry.mm_to_pt(11)  # from the top edge
FOOT_BASELINE = geometry.mm_to_pt(9)  # from the bottom edge
GREY = 0.38  # 0.38 grey on white: 6.9:1 contrast
# The code that shapes a print: part of every cache key, so that changing it prints again.
_PRINTING_CODE = (Path(__file__), Path(geometry.__file__), Path(fonts.__file__))


@dataclass(frozen=True)
class Chapter:
    """One page of the site that gets a PDF."""

    url: str  # site-relative URL of the page, e.g. "reference/metrics/"
    title: str  # running head and table-of-contents entry
    pdf: str  # site-relative path of its PDF: pdf_uri() of its source, e.g. "pdf/reference-metrics.pdf"
    section: str = ""  # its section in the navigation ("Case studies"), shown in the contents
    in_book: bool = True
    label: str = ""  # "Chapter 2", "Appendix A" (casebook/numbering.py); empty for a page not numbered
    number: str = ""  # "2", "A": what the contents and the bookmarks put before the title

    @property
    def head(self) -> str:
        """The running head: ``Chapter 2 · Video recommendation``, or the title of a page not numbered."""
        return f"{self.label} \u00b7 {self.title}" if self.label else self.title

    @property
    def numbered_title(self) -> str:
        """``2 Video recommendation``: the title as the bookmarks give it."""
        return f"{self.number} {self.title}" if self.number else self.title


@dataclass(frozen=True)
class Book:
    title: str
    subtitle: str
    rights: str
    pdf: str  # site-relative path: BOOK_PDF
    site_url: str = ""  # the hosted site, for links in the PDFs; empty: links between pages are dropped
    repository: str = ""  # the project's repository (extra.repository), named on the cover
    epoch: int | None = None  # SOURCE_DATE_EPOCH: the PDFs' dates
    commit: str = ""  # the commit the book was built from, named on the cover with the date
    edition_epoch: int | None = None  # the edition's date: SOURCE_DATE_EPOCH, else the commit's time

    def edition(self) -> str:
        """``Edition of 2026-11-30, commit 1a2b3c4``, from what is known; empty when nothing is."""
        parts = []
        if self.edition_epoch is not None:
            parts.append("of " + datetime.fromtimestamp(self.edition_epoch, UTC).date().isoformat())
        if self.commit:
            parts.append(f"commit {self.commit}")
        return ("Edition " + ", ".join(parts)) if parts else ""


def pdf_uri(src_uri: str) -> str:
    """Where a page's PDF goes in the site: ``reference/metrics.md`` -> ``pdf/reference-metrics.pdf``."""
    return f"{PDF_FOLDER}/" + Path(src_uri).with_suffix("").as_posix().replace("/", "-") + ".pdf"


@dataclass
class Report:
    printed: list[str] = field(default_factory=list)  # chapters printed by the browser in this run
    reused: list[str] = field(default_factory=list)  # chapters whose raw print came from the cache
    seconds: float = 0.0
    pages: dict[str, int] = field(default_factory=dict)  # output PDF -> page count

    def summary(self) -> str:
        return (
            f"{len(self.pages)} PDFs ({sum(self.pages.values())} pages) in {self.seconds:.1f} s; "
            f"{len(self.printed)} pages printed, {len(self.reused)} from the cache"
        )


# -- The browser part: raw prints, cached ------------------------------------------------------------

PREPARE_JS = """
async (placeholder) => {
  // The print stylesheet is linked for print media only (overrides/main.html): the browser fetches it
  // at a low priority and the load event need not wait for it. Wait for every stylesheet, or prepare()
  // would measure the page without it (no text height: figures would not float).
  await Promise.all([...document.querySelectorAll('link[rel="stylesheet"]')].map((link) => link.sheet ? null
    : new Promise((done) => { link.addEventListener("load", done, { once: true }); link.addEventListener("error", done, { once: true }); })));
  if (window.casebookPrint) window.casebookPrint.prepare();
  await Promise.all([...document.images].map((img) => img.decode().catch(() => null)));
  document.body.getBoundingClientRect();  // lay out what prepare() opened: the faces it needs start loading
  await document.fonts.ready;
  // Again, now that every face is loaded: where figures float depends on how long the text runs.
  if (window.casebookPrint) { window.casebookPrint.undo(); window.casebookPrint.prepare(); }
  const here = location.origin + location.pathname;
  for (const a of document.querySelectorAll("a[href]")) {
    const url = new URL(a.getAttribute("href"), location.href);
    if (url.origin !== location.origin) continue;
    if (url.origin + url.pathname === here && url.hash) continue;  // a jump within the page
    a.setAttribute("href", placeholder + url.pathname.slice(1) + url.hash);
  }
}
"""

PDF_OPTIONS = {"prefer_css_page_size": True, "print_background": True, "outline": True, "tagged": True}


def page_key(site: Path, url: str) -> str:
    """Digest of a page's HTML, every local file it loads (stylesheets with their fonts, scripts,
    images) and the printing code itself: the raw print is reused only if none of them changed."""
    page = site / url / "index.html" if url.endswith("/") or not url else site / url
    if not page.is_file():
        raise CasebookError(f"{url}: no built page to print at {page}")
    parts: list[bytes | str] = [*(code.read_bytes() for code in _PRINTING_CODE), browser.chromium_version(),
                                pikepdf.__version__]
    parts.append(page.read_bytes())
    for resource in sorted(_resources(site, page)):
        parts += [resource.relative_to(site).as_posix(), resource.read_bytes()]
    return cache.digest(parts)


def _resources(site: Path, page: Path) -> set[Path]:
    text = page.read_text(encoding="utf-8")
    found: set[Path] = set()
    references = re.findall(r'<(?:link|script|img|source)\b[^>]*?\b(?:href|src)="([^"#?]+)', text)
    for reference in references:
        target = _local(site, page, reference)
        if target is None:
            continue
        found.add(target)
        if target.suffix == ".css":
            for inner in re.findall(r"url\(['\"]?([^'\")#?]+)", target.read_text(encoding="utf-8")):
                nested = _local(site, target, inner)
                if nested is not None:
                    found.add(nested)
    return found


def _local(site: Path, origin: Path, reference: str) -> Path | None:
    if re.match(r"^[a-z]+:", reference) or reference.startswith("//"):
        return None
    target = (origin.parent / reference).resolve()
    return target if target.is_file() and target.is_relative_to(site.resolve()) else None


def _raw_path(key: str) -> Path:
    return PDF_CACHE / "raw" / f"{key}.pdf"


def _print(browser_, base: str, url: str, timeout_ms: int = 60_000) -> bytes:
    # Lay the page out at the width of the paper's text column from the start, so that what
    # casebook.js measures before printing (a table too wide to fit?) is what the PDF will get.
    viewport = {"width": geometry.TEXT_COLUMN_PX, "height": geometry.TEXT_HEIGHT_PX}
    page = browser_.new_page(viewport=viewport)
    try:
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        response = page.goto(urljoin(base, url), wait_until="load", timeout=timeout_ms)
        if response is None or not response.ok:
            raise CasebookError(f"{url}: the page did not load for printing ({response and response.status})")
        browser.settle(page, timeout_ms)
        page.emulate_media(media="print", color_scheme="light")
        page.evaluate(PREPARE_JS, PLACEHOLDER)
        if errors:
            raise CasebookError(f"{url}: a script failed while the page was prepared for printing: {errors[0]}")
        return page.pdf(**PDF_OPTIONS)
    finally:
        page.close()


def _print_html(browser_, document: str) -> bytes:
    page = browser_.new_page()
    try:
        page.set_content(document, wait_until="load")
        page.emulate_media(media="print")
        # Lay the page out (which starts loading the faces it uses), then wait for them before printing.
        page.evaluate("async () => { document.body.getBoundingClientRect(); await document.fonts.ready; }")
        return page.pdf(prefer_css_page_size=True, print_background=True, tagged=True)
    finally:
        page.close()


class _Printer:
    """A browser of its own (Playwright objects belong to the thread that made them), started on
    first use only, so that a build whose prints are all cached starts no browser at all."""

    def __init__(self, base: str):
        self.base = base
        self._stack = contextlib.ExitStack()
        self._browser = None

    def __enter__(self):
        return self

    def _started(self):
        if self._browser is None:
            self._browser = self._stack.enter_context(browser.chromium())
        return self._browser

    def page(self, url: str) -> bytes:
        return _print(self._started(), self.base, url)

    def html(self, document: str) -> bytes:
        return _print_html(self._started(), document)

    def __exit__(self, *exc):
        self._stack.close()


def _cached_print(key: str, make) -> Path:
    path = _raw_path(key)
    if not path.is_file():
        cache.write_atomic(path, make())
    return path


def _print_pages(base: str, jobs: list[tuple[str, str]], workers: int = WORKERS) -> None:
    """Print ``(cache key, url)`` jobs with one browser per worker thread (one per core)."""
    queue = collections.deque(jobs)
    failures: list[BaseException] = []

    def work():
        with _Printer(base) as printer:
            while queue and not failures:
                try:
                    key, url = queue.popleft()
                except IndexError:
                    return
                try:
                    cache.write_atomic(_raw_path(key), printer.page(url))
                except CasebookError as exc:
                    failures.append(exc)
                except Exception as exc:  # noqa: BLE001 - a browser error: name the page
                    failures.append(CasebookError(f"{url}: printing to PDF failed: {type(exc).__name__}: {exc}"))

    threads = [threading.Thread(target=work, name=f"casebook-pdf-{n}") for n in range(min(workers, len(jobs)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


# -- The pikepdf part: stamping, links, the book -----------------------------------------------------


def make_all(site: Path, chapters: list[Chapter], book: Book) -> Report:
    """Write every chapter's PDF and the book's PDF into ``site``."""
    started = time.perf_counter()
    report = Report()
    keys = {chapter.url: page_key(site, chapter.url) for chapter in chapters}
    raws = {url: _raw_path(key) for url, key in keys.items()}
    missing = [(keys[chapter.url], chapter.url) for chapter in chapters if not raws[chapter.url].is_file()]
    report.printed = [url for _, url in missing]
    report.reused = [chapter.url for chapter in chapters if chapter.url not in report.printed]
    with browser.serve(site) as base:
        if missing:
            _print_pages(base, missing)
        for chapter in chapters:
            report.pages[chapter.pdf] = _finish_chapter(raws[chapter.url], chapter, book, site / chapter.pdf,
                                                        _headings(site, chapter.url))
        in_book = [chapter for chapter in chapters if chapter.in_book]
        if in_book:
            with _Printer(base) as printer:
                report.pages[book.pdf] = _make_book(printer, raws, in_book, book, site / book.pdf, site)
    report.seconds = time.perf_counter() - started
    return report


def _finish_chapter(raw: Path, chapter: Chapter, book: Book, out: Path, headings: list[str]) -> int:
    key = cache.digest([raw, repr(chapter), repr(book), *_PRINTING_CODE])
    done = PDF_CACHE / "done" / f"{key}.pdf"
    if not done.is_file():
        with pikepdf.open(raw) as pdf:
            _renumber_structure(pdf)
            with pdf.open_outline() as outline:
                for top in outline.root:
                    mended = _mend_titles([(item.title, 0) for item in top.children], headings)
                    for item, (title, _) in zip(top.children, mended, strict=True):
                        item.title = title
            _rewrite_links(pdf, book.site_url, lambda target: None)
            font = _stamp_font(pdf, chapter.head + book.title)
            for number, page in enumerate(pdf.pages, start=1):
                _stamp(pdf, page, font, chapter.head, number, book.title)
            _set_info(pdf, f"{chapter.title}: {book.title}", book)
            _save(pdf, done)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(done, out)
    return _layout(raw)[0]


def _renumber_structure(pdf: pikepdf.Pdf, prefix: str = "cb-") -> None:
    """Name the tagged PDF's structure elements ``cb-00000001``, ``cb-00000002``, ... in document order.

    Chromium names each one after its accessibility node (``node00000559``), and those numbers change,
    order included, from one print of the same page to the next; renamed, the same page gives the same
    bytes. The names are each element's ``/ID``, the ``/Headers`` of table cells and the ``/IDTree``."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    elements: list[Dictionary] = []

    def visit(node) -> None:
        if isinstance(node, Array):
            for item in node:
                visit(item)
        elif isinstance(node, Dictionary) and "/S" in node:  # a structure element (not a content reference)
            elements.append(node)
            if "/K" in node:
                visit(node.K)

    visit(root.get("/K", Array()))
    new: dict[str, String] = {}
    for element in elements:
        if "/ID" in element:
            new[str(element.ID)] = String(f"{prefix}{len(new) + 1:08d}")
            element.ID = new[str(element.ID)]
    for element in elements:
        attributes = element.get("/A")
        for attribute in (attributes if isinstance(attributes, Array) else [attributes]):
            if isinstance(attribute, Dictionary) and isinstance(attribute.get("/Headers"), Array):
                attribute.Headers = Array([new.get(str(name), name) for name in attribute.Headers])
    if "/IDTree" in root or new:
        named = [element for element in elements if "/ID" in element]
        root.IDTree = Dictionary(Names=Array([item for element in named for item in (element.ID, element)]))


def _layout(raw: Path) -> tuple[int, list[tuple[str, int]]]:
    """A raw print's page count and its sections with their pages, read once and kept beside it, so
    that a rebuild which prints nothing does not parse every PDF again."""
    memo = raw.with_suffix(".json")
    known = cache.read_json(memo)
    if known is None:
        with pikepdf.open(raw) as pdf:
            known = {"pages": len(pdf.pages), "sections": _sections(pdf)}
        cache.write_json(memo, known)
    return known["pages"], [(title, page) for title, page in known["sections"]]


@dataclass
class _Entry:
    chapter: Chapter
    raw: Path
    pages: int
    sections: list[tuple[str, int]]  # (title, page index in its own PDF)
    first: int = 0  # index of its first page in the book
    pdf: pikepdf.Pdf | None = None  # opened only to assemble the book


def _make_book(printer: _Printer, raws: dict[str, Path], chapters: list[Chapter], book: Book, out: Path,
               site: Path) -> int:
    entries = [_Entry(chapter, raws[chapter.url], *_layout(raws[chapter.url])) for chapter in chapters]
    for entry in entries:
        entry.sections = _mend_titles(entry.sections, _headings(site, entry.chapter.url))
    try:
        cover_html = _cover_html(book)
        cover = _cached_print(cache.digest([cover_html, browser.chromium_version()]),
                                 lambda: printer.html(cover_html))
        toc_pages = 1
        for _ in range(4):  # the contents' own length moves every page number after it
            start = 1 + toc_pages
            for entry in entries:
                entry.first = start
                start += entry.pages
            document = _contents_html(entries)
            toc = _cached_print(cache.digest([document, browser.chromium_version()]),
                                  lambda d=document: printer.html(d))
            if _layout(toc)[0] == toc_pages:
                break
            toc_pages = _layout(toc)[0]
        else:
            raise CasebookError(f"{book.pdf}: the table of contents does not settle on a page count")
        key = cache.digest([cover, toc, *(raws[c.url] for c in chapters), repr(book), *_PRINTING_CODE])
        done = PDF_CACHE / "done" / f"{key}.pdf"
        if not done.is_file():
            _assemble(cover, toc, entries, book, done)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(done, out)
        return start  # the index after the last page: the book's page count
    finally:
        for entry in entries:
            if entry.pdf is not None:
                entry.pdf.close()


def _sections(pdf: pikepdf.Pdf) -> list[tuple[str, int]]:
    """The chapter's second-level headings and the page each starts on, from Chromium's bookmarks."""
    found = []
    with pdf.open_outline() as outline:
        for top in outline.root:
            for item in top.children:
                found.append((item.title, _page_index(pdf, item.destination)))
    return found


_H2 = re.compile(r"<h2\b[^>]*>(.*?)</h2>", re.S)


def _headings(site: Path, url: str) -> list[str]:
    """The texts of a built page's second-level headings, as a reader sees them."""
    page = site / url / "index.html" if url.endswith("/") or not url else site / url
    found = []
    for body in _H2.findall(page.read_text(encoding="utf-8")):
        body = re.sub(r'<a class="headerlink".*?</a>', "", body, flags=re.S)
        found.append(" ".join(html.unescape(re.sub(r"<[^>]+>", "", body)).split()))
    return found


def _mend_titles(sections: list[tuple[str, int]], headings: list[str]) -> list[tuple[str, int]]:
    """Chromium's bookmark titles drop the space where a heading wraps onto a second line
    ("staged rollouts" becomes "stagedrollouts"): take the heading's own text wherever the two agree
    but for white space."""
    exact = {re.sub(r"\s+", "", heading): heading for heading in headings}
    return [(exact.get(re.sub(r"\s+", "", title), title), page) for title, page in sections]


def _page_index(pdf: pikepdf.Pdf, destination) -> int:
    if isinstance(destination, Array) and len(destination):
        return pdf.pages.index(pikepdf.Page(destination[0]))
    return 0


def _assemble(cover: Path, toc: Path, entries: list[_Entry], book: Book, done: Path) -> None:
    with pikepdf.new() as merged, pikepdf.open(cover) as cover_pdf, pikepdf.open(toc) as toc_pdf:
        for entry in entries:
            entry.pdf = pikepdf.open(entry.raw)
            _resolve_named_destinations(entry.pdf)
        merged.pages.extend(cover_pdf.pages)
        merged.pages.extend(toc_pdf.pages)
        contents_first = 1
        for entry in entries:
            merged.pages.extend(entry.pdf.pages)
        _merge_structure(merged, [cover_pdf, toc_pdf, *(entry.pdf for entry in entries)])
        heads = ["", *["Contents"] * len(toc_pdf.pages)]
        for entry in entries:
            heads += [entry.chapter.head] * len(entry.pdf.pages)
        font = _stamp_font(merged, "".join(heads) + book.title)
        for index, page in enumerate(merged.pages):
            if index:
                _stamp(merged, page, font, heads[index], index + 1, book.title)

        starts = {_path_of(entry.chapter.url): entry for entry in entries}

        def jump(target: str):
            path, _, fragment = target.partition("#")
            entry = starts.get(path)
            if entry is None:
                return None
            destination = _named(entry.pdf, fragment) if fragment else None
            if destination is not None:
                page_index = entry.first + _page_index(entry.pdf, destination)
                return Array([merged.pages[page_index].obj, *list(destination)[1:]])
            return Array([merged.pages[entry.first].obj, Name.Fit])

        _rewrite_links(merged, book.site_url, jump)
        with merged.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem("Cover", 0))
            outline.root.append(pikepdf.OutlineItem("Contents", contents_first))
            groups: dict[str, pikepdf.OutlineItem] = {}
            for entry in entries:
                item = pikepdf.OutlineItem(entry.chapter.numbered_title, entry.first)
                for title, page_index in entry.sections:
                    item.children.append(pikepdf.OutlineItem(title, entry.first + page_index))
                if entry.chapter.section:
                    group = groups.get(entry.chapter.section)
                    if group is None:
                        group = groups[entry.chapter.section] = pikepdf.OutlineItem(entry.chapter.section, entry.first)
                        outline.root.append(group)
                    group.children.append(item)
                else:
                    outline.root.append(item)
        merged.Root.PageMode = Name.UseOutlines
        merged.Root.Lang = String("en")
        _renumber_structure(merged)
        _set_info(merged, book.title, book)
        _save(merged, done)


def _merge_structure(merged: pikepdf.Pdf, parts: list[pikepdf.Pdf]) -> None:
    """One tagged structure for the book, from the tagged prints it is joined from.

    pikepdf copies pages without the document's structure tree, which would leave the book untagged
    (its pages' marked content pointing at nothing). Each part's tree (cover, contents, every
    chapter, in page order) becomes a ``Part`` under one ``Document`` element. The parent tree, which
    maps a page's marked content and annotations back to their elements, is rebuilt with its keys
    shifted past the previous parts' (pages' ``/StructParents``, annotations' ``/StructParent``).
    Structure elements point at their pages (``/Pg``); copying them after the pages maps those
    references onto the copies already in the book. Element ids are renamed afterwards, for the book
    as a whole (:func:`_renumber_structure`)."""
    root = merged.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = merged.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=root, K=Array()))
    root.K = Array([document])
    nums: list = []
    role_map, class_map = Dictionary(), Dictionary()
    offset = 0
    first_page = 0
    for index, part in enumerate(parts):
        # Chromium names elements per print, so two parts can share a name: make each part's names its
        # own first, or a table cell's /Headers could end up naming another part's header cell.
        _renumber_structure(part, prefix=f"part{index}-")
        pages = len(part.pages)
        tree = part.Root.get("/StructTreeRoot")
        if tree is None:
            raise CasebookError(f"{BOOK_PDF}: a part of the book was printed without tags (no structure tree)")
        copied = merged.copy_foreign(tree)
        element = merged.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Part, P=document, K=Array()))
        kids = copied.get("/K", Array())
        for kid in (kids if isinstance(kids, Array) else [kids]):
            if isinstance(kid, Dictionary) and "/S" in kid:
                kid.P = element
            element.K.append(kid)
        document.K.append(element)
        highest = -1
        for key, value in pikepdf.NumberTree(copied.ParentTree).items():
            nums += [offset + int(key), value]
            highest = max(highest, int(key))
        for page in merged.pages[first_page:first_page + pages]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = offset + int(page.obj.StructParents)
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = offset + int(annot.StructParent)
        for source, target in ((copied.get("/RoleMap"), role_map), (copied.get("/ClassMap"), class_map)):
            for name, value in (source.items() if isinstance(source, Dictionary) else []):
                target[name] = value
        offset += max(highest + 1, int(copied.get("/ParentTreeNextKey", 0)))
        first_page += pages
    order = sorted(range(0, len(nums), 2), key=lambda i: nums[i])
    root.ParentTree = merged.make_indirect(Dictionary(Nums=Array([item for i in order for item in nums[i:i + 2]])))
    root.ParentTreeNextKey = offset
    if len(role_map):
        root.RoleMap = role_map
    if len(class_map):
        root.ClassMap = class_map
    merged.Root.StructTreeRoot = root
    merged.Root.MarkInfo = Dictionary(Type=Name.MarkInfo, Marked=True)


def _path_of(url: str) -> str:
    return urlsplit(urljoin(PLACEHOLDER, url)).path.lstrip("/")


def _named(pdf: pikepdf.Pdf, name: str):
    dests = pdf.Root.get("/Dests")
    if dests is None:
        return None
    return dests.get("/" + name)


def _resolve_named_destinations(pdf: pikepdf.Pdf) -> None:
    """Links within a chapter name their target; the book has no name table, so give them the place."""
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            name = annot.get("/Dest")
            if isinstance(name, Name):
                target = _named(pdf, str(name)[1:])
                if target is not None:
                    annot.Dest = target


def _rewrite_links(pdf: pikepdf.Pdf, site_url: str, jump) -> None:
    """Links to other pages of the site: to the book page (``jump``), the hosted site, or nowhere."""
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        kept = []
        for annot in annots:
            action = annot.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if not uri.startswith(PLACEHOLDER):
                kept.append(annot)
                continue
            target = uri[len(PLACEHOLDER):]
            destination = jump(target)
            if destination is not None:
                del annot["/A"]
                annot.Dest = destination
                kept.append(annot)
            elif site_url:
                action.URI = String(site_url.rstrip("/") + "/" + target)
                kept.append(annot)
        page.obj.Annots = pdf.make_indirect(Array(kept))


def _text(value: str) -> String:
    try:
        return String(value.encode("cp1252"))
    except UnicodeEncodeError as exc:
        raise CasebookError(f"running head {value!r}: {value[exc.start]!r} is not in the Windows-1252 encoding "
                            "the running heads are stamped in") from None


@dataclass(frozen=True)
class _StampFont:
    font: pikepdf.Object  # the font dictionary, indirect, shared by every page of one PDF
    digit_width: float  # DejaVu Sans' digits are all one width (em), so page numbers align right exactly


def _stamp_font(pdf: pikepdf.Pdf, text: str) -> _StampFont:
    """The book's face as a simple TrueType font in Windows-1252 encoding, cut down to ``text`` and the
    digits: the running heads print in the same face as the pages, on every viewer."""
    from fontTools.ttLib import TTFont

    text = "".join(sorted(set(text + "0123456789")))
    _text(text)  # every character must be encodable
    data = fonts.subset(STAMP_FACE, text=text, flavor=None)
    ttf = TTFont(io.BytesIO(data))
    scale = 1000 / ttf["head"].unitsPerEm
    cmap, metrics = ttf.getBestCmap(), ttf["hmtx"].metrics
    widths = []
    for code in range(32, 256):
        glyph = cmap.get(ord(bytes([code]).decode("cp1252", errors="replace")))
        widths.append(round(metrics[glyph][0] * scale) if glyph else 0)
    head, hhea = ttf["head"], ttf["hhea"]
    tag = "".join(chr(65 + int(c, 16) % 26) for c in cache.digest([data])[:6])  # a subset's name prefix
    name = Name(f"/{tag}+DejaVuSans")
    descriptor = Dictionary(
        Type=Name.FontDescriptor, FontName=name, Flags=32, ItalicAngle=0, StemV=80,
        FontBBox=Array([round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)]),
        Ascent=round(hhea.ascent * scale), Descent=round(hhea.descent * scale),
        CapHeight=round(_cap_height() * scale),
        FontFile2=pikepdf.Stream(pdf, data, Length1=len(data)),
    )
    font = Dictionary(Type=Name.Font, Subtype=Name.TrueType, BaseFont=name, FirstChar=32, LastChar=255,
                      Widths=Array(widths), Encoding=Name.WinAnsiEncoding,
                      FontDescriptor=pdf.make_indirect(descriptor))
    return _StampFont(pdf.make_indirect(font), metrics[cmap[ord("0")]][0] / ttf["head"].unitsPerEm)


@functools.cache
def _cap_height() -> int:
    """The height of a capital H in font units (DejaVu's OS/2 table is too old to say)."""
    from fontTools.ttLib import TTFont

    font = TTFont(STAMP_FACE.path)
    return font["glyf"][font.getBestCmap()[ord("H")]].yMax


def _stamp(pdf: pikepdf.Pdf, page: pikepdf.Page, stamp_font: _StampFont, head: str, number: int,
           book_title: str) -> None:
    """Running head (chapter title, rule) and foot (book title, page number), marked as artefacts."""
    left, bottom, right, top = (float(v) for v in page.mediabox)
    font = page.add_resource(stamp_font.font, Name.Font, name=Name("/CasebookStamp"))
    number_text = str(number)
    text_x = left + MARGIN_LEFT_PT
    number_x = right - MARGIN_RIGHT_PT - stamp_font.digit_width * HEAD_SIZE * len(number_text)
    head_y = top - HEAD_BASELINE
    foot_y = bottom + FOOT_BASELINE
    ops: list[tuple[list, str]] = [
        ([Name.Artifact, Dictionary(Type=Name.Pagination)], "BDC"),
        ([], "q"),
        ([GREY], "g"),
        ([], "BT"),
        ([font, HEAD_SIZE], "Tf"),
    ]
    if head:
        ops += [([text_x, head_y], "Td"), ([_text(head)], "Tj"), ([-text_x, -head_y], "Td")]
    ops += [([text_x, foot_y], "Td"), ([_text(book_title)], "Tj"), ([-text_x, -foot_y], "Td")]
    ops += [([number_x, foot_y], "Td"), ([String(number_text)], "Tj"), ([], "ET")]
    if head:
        ops += [([0.75], "G"), ([0.4], "w"), ([text_x, head_y - 4], "m"),
                ([right - MARGIN_RIGHT_PT, head_y - 4], "l"), ([], "S")]
    ops += [([], "Q"), ([], "EMC")]
    stream = pikepdf.unparse_content_stream([(operands, Operator(op)) for operands, op in ops])
    # The page's own drawing is wrapped in q/Q so that whatever state it leaves cannot move the stamp.
    page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, b"\nQ\n" + stream))


def _set_info(pdf: pikepdf.Pdf, title: str, book: Book) -> None:
    info = Dictionary(
        Title=String(title),
        Author=String(f"{book.title} contributors"),
        Subject=String(book.subtitle),
        Creator=String("casebook (Chromium and pikepdf)"),
    )
    if book.epoch is not None:
        stamp = datetime.fromtimestamp(book.epoch, UTC).strftime("D:%Y%m%d%H%M%SZ")
        info.CreationDate = info.ModDate = String(stamp)
    pdf.trailer.Info = pdf.make_indirect(info)
    if "/Metadata" in pdf.Root:
        del pdf.Root["/Metadata"]


def _save(pdf: pikepdf.Pdf, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    pdf.remove_unreferenced_resources()
    pdf.save(temporary, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
             compress_streams=True, recompress_flate=False)
    temporary.replace(path)


# -- Cover and contents: small standalone documents printed by the same browser ----------------------

def _document_css() -> str:
    """The cover's and the contents' stylesheet: the page, and the book's typeface embedded (these
    documents are printed from memory, with no server to load the font files from)."""
    return geometry.page_css() + fonts.embedded_stylesheet([fonts.sans_face(400), fonts.sans_face(700)]) + f"""
html {{ font-family: "{fonts.SANS}", sans-serif; color: #1f2129; }}
body {{ margin: 0; }}
"""


def _cover_html(book: Book) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(book.title)}</title>
<style>{_document_css()}
.cover {{ height: 250mm; display: flex; flex-direction: column; justify-content: space-between; }}
.band {{ border-top: 6mm solid #3f51b5; padding-top: 28mm; }}
h1 {{ font-size: 34pt; font-weight: 700; line-height: 1.15; margin: 0 0 8mm; letter-spacing: -0.01em; }}
.subtitle {{ font-size: 15pt; line-height: 1.45; color: #3c4257; max-width: 140mm; margin: 0; }}
.rights {{ font-size: 9pt; line-height: 1.5; color: #5a6072; border-top: 0.3mm solid #c5c9d6; padding-top: 4mm; }}
</style></head><body><div class="cover"><div class="band"><h1>{html.escape(book.title)}</h1>
<p class="subtitle">{html.escape(book.subtitle)}</p></div>
<p class="rights">{html.escape(book.rights)}{_site_line(book)}</p></div></body></html>"""


def _site_line(book: Book) -> str:
    lines = f"<br>{html.escape(book.edition())}" if book.edition() else ""
    if book.site_url:
        url = html.escape(book.site_url)
        lines += f'<br>Read it online, with its labs and code: <a href="{url}">{url}</a>'
    if book.repository:
        url = html.escape(book.repository)
        lines += f'<br>Source, runnable labs and corrections: <a href="{url}">{url}</a>'
        lines += ("<br>Paths under figures and tables (diagrams/..., snippets/..., with a line) name the files "
                  "of this repository that draw and compute them.")
    return lines


def _letters(sections: list[tuple[str, int]]) -> set[str]:
    """The sections that are an alphabet's letters (A, B, ...) when most sections are, as in a
    glossary: those are not worth a contents line each."""
    letters = {title for title, _ in sections if len(title.strip()) == 1}
    return letters if len(letters) >= 3 and len(letters) >= len(sections) / 2 else set()


def _contents_html(entries: Iterable[_Entry]) -> str:
    rows = []
    section = None
    for entry in entries:
        if entry.chapter.section != section:
            section = entry.chapter.section
            if section:
                rows.append(f'<li class="part">{html.escape(section)}</li>')
        rows.append(_row("chapter", entry.chapter.title, entry.first + 1, entry.chapter.number))
        skip = _letters(entry.sections)
        rows += [_row("section", title, entry.first + page + 1) for title, page in entry.sections if title not in skip]
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Contents</title>
<style>{_document_css()}
h1 {{ font-size: 22pt; font-weight: 700; margin: 0 0 8mm; }}
ol {{ list-style: none; margin: 0; padding: 0; font-size: 10pt; line-height: 1.35; }}
li {{ display: flex; align-items: baseline; break-inside: avoid; }}
li .title {{ flex: 0 1 auto; }}
li .number {{ flex: 0 0 auto; min-width: 7mm; }}
li.section .number {{ min-width: 11mm; }}
li .dots {{ flex: 1 1 auto; border-bottom: 0.25mm dotted #9aa0b0; margin: 0 2mm; min-width: 6mm; }}
li .page {{ flex: 0 0 auto; font-variant-numeric: tabular-nums; }}
li.part {{ display: block; font-size: 9pt; font-weight: 700; text-transform: uppercase; letter-spacing: 0.06em;
  color: #3f51b5; margin: 6mm 0 1.5mm; break-after: avoid; }}
li.chapter {{ font-weight: 700; margin-top: 2mm; break-after: avoid; }}
li.section {{ padding-left: 6mm; color: #3c4257; }}
</style></head><body><h1>Contents</h1><ol>{"".join(rows)}</ol></body></html>"""


_NUMBERED = re.compile(r"^(?P<number>[0-9A-Z]+(?:\.[0-9]+)+)\s+(?P<title>.+)$")


def _row(kind: str, title: str, page: int, number: str = "") -> str:
    """One line of the contents; a section's number (``2.3``, from its heading) gets a column of its own."""
    if not number and (found := _NUMBERED.match(title)):
        number, title = found["number"], found["title"]
    column = f'<span class="number">{html.escape(number)}</span>' if number else ""
    return (f'<li class="{kind}">{column}<span class="title">{html.escape(title)}</span><span class="dots"></span>'
            f'<span class="page">{page}</span></li>')
