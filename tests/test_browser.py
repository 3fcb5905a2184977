"""Every page of the built site in a real browser: Debian's Chromium, driven by Playwright.

Pages are discovered from the built site (every ``.html`` file), so a new chapter is covered with no
change here. Each page is visited once per palette (light, and dark through the system preference
the default palette follows) and per width (a 1280 px desktop window and a 390 px phone); the visit
records everything the tests below check. Accessibility (axe) runs at the desktop width.
"""

from __future__ import annotations

import gzip
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from benchmarks import benchmark
from casebook import browser
from conftest import ROOT

pytestmark = pytest.mark.build

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
SCHEMES = {"light": "default", "dark": "slate"}
WIDTHS = {"desktop": 1280, "phone": 390}
# What a page may not do at any width: scroll sideways as a whole, cut content off, or scroll a box
# sideways without the fading edge that says there is more (casebook.js sets data-casebook-more).
LAYOUT = "\n".join(line for line in Path(__file__).with_name("layout_check.js").read_text(encoding="utf-8").splitlines()
                   if not line.startswith("//"))
SCRIPT = ROOT / "docs" / "assets" / "casebook.js"

# Transfer budget per page: what a reader in one palette loads when reading the page to its end (the
# HTML, the theme, the fonts it uses, every figure and plot in that palette's variant; not the search
# index, fetched when search is opened), text gzip-compressed as a static host serves it. Measured on
# 2026-12-01: 110 KB (404 page) to 349 KB (video recommendation: five figures); labs 164-237 KB.
# It was 600 KB when every page loaded the search index, both variants of each figure and, on a
# lab, 590 KB of inline notebook CSS. See CONTRIBUTING.md.
PAGE_BUDGET_KB = 450

# What a reader's browser loads: the images of the page's palette (lazy ones too, as if scrolled to).
LOAD_VISIBLE = """
async () => {
  const shown = [...document.images].filter((img) => img.offsetParent !== null);
  shown.forEach((img) => { img.loading = "eager"; });
  await Promise.all(shown.map((img) => img.decode().catch(() => null)));
}
"""

LOAD_EVERYTHING = """
async () => {
  document.querySelectorAll('img[loading="lazy"]').forEach((img) => { img.loading = "eager"; });
  await Promise.all([...document.images].map((img) => img.decode().catch(() => null)));
  return [...document.images]
    .filter((img) => !(img.complete && img.naturalWidth > 0))
    .map((img) => img.getAttribute("src").slice(0, 120));
}
"""


@dataclass
class Visit:
    url: str
    scheme: str = ""  # the palette the page ended up in (data-md-color-scheme)
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # console errors, script errors, failed loads
    broken_images: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)
    layout: list[str] = field(default_factory=list)  # clipped or cue-less wide content
    read: list[str] = field(default_factory=list)  # the requests of a reader reading the page to its end


def discover(site: Path) -> list[str]:
    """Every page of the built site, as a URL path ("" is the home page)."""
    urls = []
    for page in sorted(site.rglob("*.html")):
        relative = page.relative_to(site).as_posix()
        urls.append(relative.removesuffix("index.html"))
    return urls


QUIET_MS = 150  # no request in flight for this long: the page has loaded what it asked for


def _settled_network(page, inflight: set) -> None:
    """Wait until no request is in flight, then ``QUIET_MS`` more (Playwright's "networkidle" waits
    500 ms each time, which over four visits of every page cost minutes of the suite)."""
    quiet_since = None
    for _ in range(400):  # at most about 20 s
        page.wait_for_timeout(50)
        if inflight:
            quiet_since = None
            continue
        quiet_since = quiet_since or page.evaluate("performance.now()")
        if page.evaluate("performance.now()") - quiet_since >= QUIET_MS:
            return
    raise AssertionError(f"requests still in flight: {sorted(inflight)[:5]}")


def _visit(context, base: str, url: str, axe: bool = True) -> Visit:
    visit = Visit(url)
    page = context.new_page()
    inflight: set = set()
    page.on("request", lambda request: inflight.add(request))
    page.on("requestfinished", lambda request: inflight.discard(request))
    page.on("requestfailed", lambda request: inflight.discard(request))
    page.on("request", lambda request: visit.requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and visit.errors.append(f"console: {message.text}"))
    page.on("pageerror", lambda exc: visit.errors.append(f"script error: {exc}"))
    page.on("requestfailed", lambda request: visit.errors.append(f"failed to load {request.url}"))
    page.on("response", lambda response: response.status >= 400 and visit.errors.append(
        f"HTTP {response.status} for {response.url}"))
    try:
        page.goto(base + url, wait_until="load")
        browser.settle(page)
        page.evaluate(LOAD_VISIBLE)
        _settled_network(page, inflight)
        visit.read = list(visit.requests)
        visit.broken_images = page.evaluate(LOAD_EVERYTHING)
        _settled_network(page, inflight)
        visit.scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        visit.layout = page.evaluate(LAYOUT)
        if not axe:
            return visit
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        visit.violations = result["violations"]
    finally:
        page.close()
    return visit


# Visits run in this many threads, each with its own browser: part of a visit is waiting (for the
# network to settle, for the fold's reveal), so two cores keep three browsers busy. Measured on
# 2026-12-02, one run each on this 2-core machine: 48 visits of the 12 first pages, 104.5 s with one
# browser and 80.1 s with three; all 608 visits (152 pages) took 1175 s with one.
VISITORS = 3


def _visit_all(base: str, jobs: list[tuple[str, str]]) -> dict[tuple[str, str], Visit]:
    """``(pass, url)`` jobs shared by ``VISITORS`` threads; each thread opens one context per pass."""
    from collections import deque

    queue, done, failures = deque(jobs), {}, []

    def work():
        try:
            with browser.chromium() as chromium:
                contexts = {}
                for name in SCHEMES:
                    contexts[name] = chromium.new_context(
                        color_scheme=name, viewport={"width": WIDTHS["desktop"], "height": 900})
                    contexts["phone-" + name] = chromium.new_context(
                        color_scheme=name, viewport={"width": WIDTHS["phone"], "height": 844},
                        is_mobile=True, has_touch=True)
                while queue and not failures:
                    try:
                        where, url = queue.popleft()
                    except IndexError:
                        return
                    done[where, url] = _visit(contexts[where], base, url, axe=not where.startswith("phone-"))
        except BaseException as exc:  # noqa: BLE001 - raised again in the test's own thread
            failures.append(exc)

    threads = [threading.Thread(target=work, name=f"visitor-{n}") for n in range(VISITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return done


@pytest.fixture(scope="session")
def visits(built_site) -> dict[str, dict[str, Visit]]:
    """``visits[scheme][url]`` for every page in both palettes on the desktop, and
    ``visits["phone-" + scheme][url]`` on a phone."""
    assert AXE.is_file(), "axe-core is missing: run scripts/setup (npm ci)"
    urls = discover(built_site.site)
    passes = [*SCHEMES, *("phone-" + name for name in SCHEMES)]
    with browser.serve(built_site.site) as base:
        done = _visit_all(base, [(where, url) for url in urls for where in passes])
    found: dict[str, dict[str, Visit]] = {where: {url: done[where, url] for url in urls} for where in passes}
    found["base"] = base  # type: ignore[assignment]
    return found


def _report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"/{url}: " + "; ".join(items) for url, items in problems.items())


def test_pages_are_discovered(built_site):
    urls = discover(built_site.site)
    assert "" in urls and "framework/" in urls and "labs/metrics/" in urls
    assert len(urls) >= 20, urls


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_palette_is_applied(visits, scheme):
    wrong = {url: [f"palette {v.scheme!r}"] for url, v in visits[scheme].items()
             if v.scheme != SCHEMES[scheme] and url != "404.html"}
    assert not wrong, _report(wrong)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_console_error_and_no_failed_load(visits, scheme):
    problems = {url: v.errors for url, v in visits[scheme].items() if v.errors and url != "404.html"}
    assert not problems, _report(problems)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_request_leaves_the_local_server(visits, scheme):
    base = visits["base"]
    problems = {}
    for url, visit in visits[scheme].items():
        outside = [r for r in visit.requests if not r.startswith(base) and not r.startswith("data:")]
        if outside:
            problems[url] = outside
    assert not problems, _report(problems)
    assert all(visit.requests for visit in visits[scheme].values()), "requests were not recorded"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_broken_image(visits, scheme):
    problems = {url: v.broken_images for url, v in visits[scheme].items() if v.broken_images}
    assert not problems, _report(problems)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_zero_axe_violations(visits, scheme):
    """WCAG 2.2 A and AA plus axe's best practices, on every page, in this palette."""
    problems = {}
    for url, visit in visits[scheme].items():
        if visit.violations:
            problems[url] = [
                f"{v['id']} ({v['impact']}, {len(v['nodes'])}x, e.g. {v['nodes'][0]['target']}): {v['help']}"
                for v in visit.violations
            ]
    assert not problems, _report(problems)


@pytest.mark.parametrize("where", [f"{width}-{scheme}" for width in WIDTHS for scheme in SCHEMES])
def test_nothing_is_cut_or_scrolls_without_a_cue(visits, where):
    """No page scrolls sideways; a wide table, formula or code block scrolls in its own box, with a cue."""
    width, scheme = where.split("-")
    pages = visits[scheme if width == "desktop" else "phone-" + scheme]
    problems = {url: v.layout for url, v in pages.items() if v.layout}
    assert all(v.scheme for v in pages.values() if v.url != "404.html"), "phone visits did not run"
    assert not problems, f"at {WIDTHS[width]} px:\n" + _report(problems)


WIDE_CONTENT = """
<!doctype html><html><head><style>
  body { margin: 0; width: 390px; } .scroll { overflow-x: auto; } .cut { overflow: hidden; }
</style></head><body><div class="md-content">
  <div class="scroll" id="table"><div style="width: 900px">a wide table</div></div>
  <div class="cut" id="cut"><div style="width: 900px">a cut formula</div></div>
  <div class="fits" style="overflow-x: auto"><div style="width: 100px">fits</div></div>
  %s
</div></body></html>
"""


def test_the_layout_check_finds_what_it_should():
    """The check itself, on a page made to fail it: with the cue script a wide box is fine, without it
    it is reported; a cut box and a page wider than the window are always reported."""
    with browser.chromium() as chromium:
        page = chromium.new_page(viewport={"width": 390, "height": 600})
        page.set_content(WIDE_CONTENT % "")
        problems = page.evaluate(LAYOUT)
        assert any('<div#table.scroll> "a wide table" scrolls sideways with no cue' in p for p in problems), problems
        assert any('<div#cut.cut> "a cut formula" cuts 510 px off' in p for p in problems), problems
        assert not any("fits" in p for p in problems) and not any("the page" in p for p in problems), problems
        page.add_script_tag(path=str(SCRIPT))
        page.evaluate("window.dispatchEvent(new Event('resize'))")
        problems = page.evaluate(LAYOUT)
        assert not any("#table" in p for p in problems), problems
        assert page.evaluate("document.getElementById('table').getAttribute('data-casebook-more')") == "right"
        page.evaluate("document.getElementById('table').scrollLeft = 200")
        page.wait_for_function("document.getElementById('table').getAttribute('data-casebook-more') === 'both'")
        page.set_content(WIDE_CONTENT % '<div style="width: 700px">too wide</div>')
        assert any("the page scrolls sideways (700 px in a 390 px window)" in p for p in page.evaluate(LAYOUT))


def transfer_size(site: Path, requests: list[str]) -> int:
    """Bytes on the wire for the files these requests fetched from ``site``, each counted once, sized
    as the benchmark sizes them (gzip for text, as a static host serves it; fonts and PNGs as they are)."""
    total = 0
    for request in dict.fromkeys(requests):
        path = unquote(urlsplit(request).path).lstrip("/")
        file = site / path
        if file.is_dir() or path.endswith("/") or not path:
            file = file / "index.html"
        if file.is_file():
            total += benchmark.transfer_size(file)
    return total


@pytest.mark.parametrize("scheme", SCHEMES)
def test_page_weight_is_within_budget(visits, built_site, scheme):
    sizes = {url: transfer_size(built_site.site, v.read) for url, v in visits[scheme].items()}
    print(json.dumps({url or "/": round(size / 1024) for url, size in sorted(sizes.items())}, indent=1))
    assert min(sizes.values()) > 20_000, "transfer sizes look wrong: every page loads the theme"
    over = {url: [f"{size / 1024:.0f} KB"] for url, size in sizes.items() if size > PAGE_BUDGET_KB * 1024}
    assert not over, f"pages over the {PAGE_BUDGET_KB} KB budget in the {scheme} palette:\n" + _report(over)
    index = [url for url, v in visits[scheme].items() if any("search_index" in r for r in v.read)]
    assert not index, f"pages that load the search index before search is opened: {index}"


def test_transfer_size_counts_what_it_should(tmp_path):
    """The weight measure itself: one file, compressed, counted once however often it is requested."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_bytes(b"x" * 10_000)
    (tmp_path / "font.woff2").write_bytes(b"y" * 500)
    expected = len(gzip.compress(b"x" * 10_000, compresslevel=9, mtime=0)) + 500
    base = "http://127.0.0.1:1/"
    assert transfer_size(tmp_path, [base + "a/", base + "a/", base + "font.woff2"]) == expected
    assert transfer_size(tmp_path, [base + "missing.css"]) == 0



LIGHTBOX_STATE = """
() => {
  const root = document.querySelector(".pswp");
  const img = document.querySelector(".pswp__item:not([aria-hidden='true']) img.pswp__img")
    || document.querySelector(".pswp img.pswp__img");
  if (!root || !img || !img.complete || !img.naturalWidth) return null;
  const background = getComputedStyle(document.querySelector(".pswp__bg")).backgroundColor;
  const caption = document.querySelector(".pswp__casebook-caption");
  return {
    src: img.getAttribute("src"),
    shown: img.getBoundingClientRect().width,
    background,
    caption: caption ? caption.textContent : "",
    figures: document.querySelectorAll("a.casebook-zoom").length / 2,
  };
}
"""


def _luminance(rgb: str) -> float:
    red, green, blue = (int(part) / 255 for part in rgb[rgb.index("(") + 1: rgb.index(")")].split(",")[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


@pytest.mark.parametrize("width", WIDTHS)
def test_every_figure_opens_full_screen_readable_on_its_palette(built_site, width):
    """Each page's first figure, in both palettes: the lightbox shows the palette's variant on the
    palette's background, at a scale where its smallest label is readable (lightbox.js), with its caption;
    Esc closes it and gives the focus back to the figure's link."""
    pages = [url for url in discover(built_site.site)
             if "casebook-zoom" in (built_site.site / url / "index.html" if not url.endswith(".html")
                                    else built_site.site / url).read_text(encoding="utf-8")]
    assert "video-recommendation/" in pages and "framework/" in pages, pages
    problems = {}
    with browser.serve(built_site.site) as base, browser.chromium() as chromium:
        for scheme in SCHEMES:
            context = chromium.new_context(color_scheme=scheme, viewport={"width": WIDTHS[width], "height": 844},
                                           is_mobile=width == "phone", has_touch=width == "phone")
            for url in pages:
                page = context.new_page()
                page.goto(base + url, wait_until="load")
                browser.settle(page)
                link = page.locator(f'a.casebook-zoom[data-variant="{scheme}"]').first
                natural = float(link.get_attribute("data-width"))
                natural_height = float(link.get_attribute("data-height"))
                readable = float(link.get_attribute("data-casebook-readable"))
                caption = link.get_attribute("data-caption")
                link.scroll_into_view_if_needed()
                link.click()
                state = page.wait_for_function(LIGHTBOX_STATE, timeout=10_000).json_value()
                page.wait_for_timeout(400)  # the opening fade
                state = page.evaluate(LIGHTBOX_STATE)
                found = []
                if not state["src"].endswith(f"-{scheme}.svg"):
                    found.append(f"shows {state['src']} in the {scheme} palette")
                luminance = _luminance(state["background"])
                if (luminance < 0.8) if scheme == "light" else (luminance > 0.25):
                    found.append(f"background {state['background']} in the {scheme} palette")
                scale = state["shown"] / natural
                # What lightbox.js asks of PhotoSwipe: fitted to the window (never enlarged), or the
                # readable scale where fitting would shrink the labels below it.
                fitted = min(1.0, WIDTHS[width] / natural, 844 / natural_height)
                if scale + 0.01 < min(max(readable, fitted), 1.0):
                    found.append(f"opens at {scale:.2f} of its natural size; its labels need {readable:.2f}")
                if state["caption"] != caption:
                    found.append(f"caption {state['caption']!r}, not {caption!r}")
                page.keyboard.press("Escape")
                page.wait_for_function("!document.querySelector('.pswp')", timeout=5_000)
                if found:
                    problems[f"{url} ({scheme})"] = found
                page.close()
            context.close()
    assert not problems, f"at {WIDTHS[width]} px:\n" + _report(problems)
