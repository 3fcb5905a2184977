"""Lab pages on every screen: a phone (390 px) and a desktop (1280 px), in the light and the dark palette.

Labs are discovered from the built site (every ``labs/<name>/index.html``), so a new lab is covered with
no change here. Each lab is visited once per screen and palette; one script measures, inside the
notebook, everything the tests below check, and names the cell and element at fault.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from casebook import browser, labcss, labplots
from casebook.errors import CasebookError

pytestmark = pytest.mark.build

SCREENS = {"phone": 390, "desktop": 1280}
SCHEMES = {"light": "default", "dark": "slate"}
TEXT_FLOOR_PX = 12.0  # the smallest plot text a reader gets, in CSS px (see casebook/labplots.py)
CODE_SHARE_ON_A_PHONE = 0.9  # of the text column

MEASURE = r"""
() => {
  const notebook = document.querySelector(".jupyter-wrapper");
  const cells = [...notebook.querySelectorAll(".jp-Notebook > .jp-Cell")];
  const name = (e) => {
    const cell = cells.findIndex((c) => c.contains(e));
    const what = e.tagName.toLowerCase() + [...e.classList].slice(0, 2).map((c) => "." + c).join("");
    return `cell ${cell + 1} ${what}`;
  };
  const clipped = [], uncued = [];
  for (const e of notebook.querySelectorAll("*")) {
    if (!e.getClientRects().length || e.scrollWidth <= e.clientWidth + 1) continue;
    const style = getComputedStyle(e);
    const ox = style.overflowX;
    const size = `${e.scrollWidth} px of content in ${e.clientWidth} px`;
    if (ox === "auto" || ox === "scroll") {
      // The book's scroll cue: casebook.js marks the side with more to show, casebook.css fades it.
      if (!e.hasAttribute("data-casebook-more")) uncued.push(`${name(e)} scrolls with no cue (${size})`);
      continue;
    }
    if (ox === "hidden" || ox === "clip") {
      if (e.tagName !== "IMG") clipped.push(`${name(e)} cuts its content (overflow-x ${ox}, ${size})`);
      continue;
    }
    // Visible overflow spills into the ancestors: the first one that stops it must scroll.
    const right = e.getBoundingClientRect().left + e.scrollWidth;
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const aox = getComputedStyle(a).overflowX;
      if (aox === "visible") continue;
      if (aox !== "auto" && aox !== "scroll" && right > a.getBoundingClientRect().right + 1) {
        clipped.push(`${name(e)} is cut by ${name(a)} (overflow-x ${aox}, ${size})`);
      }
      break;
    }
  }
  const column = document.querySelector(".md-content__inner");
  const columnStyle = getComputedStyle(column);
  const columnWidth = column.clientWidth - parseFloat(columnStyle.paddingLeft) - parseFloat(columnStyle.paddingRight);
  const code = [...notebook.querySelectorAll(".jp-CodeCell .jp-InputArea-editor")]
    .map((e) => [name(e), e.getBoundingClientRect().width]);
  const plots = [...notebook.querySelectorAll("img.casebook-plot")].map((img) => {
    const box = img.closest(".jp-OutputArea-output");
    return {
      name: name(img), src: img.getAttribute("src"), alt: img.getAttribute("alt"),
      shown: getComputedStyle(img).display !== "none" && img.getBoundingClientRect().width > 0,
      width: img.getBoundingClientRect().width,
      boxScrolls: box.scrollWidth > box.clientWidth + 1,
    };
  });
  const sheets = [...document.styleSheets].filter((s) => s.href && s.href.endsWith("/" + %(sheet)s));
  return {
    pageWidth: document.scrollingElement.scrollWidth, viewport: window.innerWidth,
    scheme: document.body.getAttribute("data-md-color-scheme"),
    clipped, uncued, columnWidth, code, plots,
    sharedSheets: sheets.length, sharedRules: sheets.length ? sheets[0].cssRules.length : 0,
  };
}
""".replace("%(sheet)s", repr(labcss.STYLESHEET))


@dataclass
class Surface:
    url: str
    measured: dict
    luminance: list[tuple[str, float]] = field(default_factory=list)  # shown plot -> mean luminance 0-255


def lab_urls(site: Path) -> list[str]:
    return sorted(p.parent.relative_to(site).as_posix() + "/" for p in (site / "labs").glob("*/index.html"))


def _luminance(png: bytes) -> float:
    from PIL import Image, ImageStat

    return ImageStat.Stat(Image.open(io.BytesIO(png)).convert("L")).mean[0]


@pytest.fixture(scope="session")
def surfaces(built_site) -> dict[tuple[str, str], dict[str, Surface]]:
    """``surfaces[screen, scheme][url]`` for every lab page."""
    found: dict[tuple[str, str], dict[str, Surface]] = {}
    urls = lab_urls(built_site.site)
    assert urls, "no lab page in the built site"
    with browser.serve(built_site.site) as base, browser.chromium() as chromium:
        for screen, width in SCREENS.items():
            for scheme in SCHEMES:
                context = chromium.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
                page = context.new_page()
                found[screen, scheme] = {}
                for url in urls:
                    page.goto(base + url, wait_until="load")
                    browser.settle(page)
                    page.evaluate("""async () => {
                      document.querySelectorAll('img[loading="lazy"]').forEach((img) => { img.loading = "eager"; });
                      await Promise.all([...document.images].map((img) => img.decode().catch(() => null)));
                    }""")
                    surface = Surface(url, page.evaluate(MEASURE))
                    if screen == "desktop":
                        shown = page.locator("img.casebook-plot:visible")
                        for index in range(shown.count()):
                            img = shown.nth(index)
                            surface.luminance.append((img.get_attribute("src"), _luminance(img.screenshot())))
                    found[screen, scheme][url] = surface
                context.close()
    return found


CASES = [(screen, scheme) for screen in SCREENS for scheme in SCHEMES]


def _shows_a_photograph(site, url: str, src: str) -> bool:
    """Whether the plot's SVG embeds a raster image (a photograph) rather than drawing only vectors."""
    name = src.split("#")[0].rsplit("/", 1)[-1]
    return "<image" in (site / url / name).read_text(encoding="utf-8")


def _short(src: str) -> str:
    return src if len(src) < 80 else src[:60] + "..."


def _report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"/{url}: " + "; ".join(items) for url, items in problems.items())


@pytest.mark.parametrize(("screen", "scheme"), CASES)
def test_the_page_never_scrolls_sideways(surfaces, screen, scheme):
    problems = {url: [f"the page is {s.measured['pageWidth']} px wide in a {s.measured['viewport']} px window"]
                for url, s in surfaces[screen, scheme].items() if s.measured["pageWidth"] > s.measured["viewport"]}
    assert not problems, _report(problems)
    assert all(s.measured["scheme"] == SCHEMES[scheme] for s in surfaces[screen, scheme].values())


@pytest.mark.parametrize(("screen", "scheme"), CASES)
def test_nothing_is_cut_and_every_scroll_box_shows_a_cue(surfaces, screen, scheme):
    """Content wider than its box scrolls in that box (overflow-x auto or scroll), with the scroll cue."""
    problems = {url: s.measured["clipped"] + s.measured["uncued"]
                for url, s in surfaces[screen, scheme].items() if s.measured["clipped"] or s.measured["uncued"]}
    assert not problems, _report(problems)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_code_cells_take_the_text_column_on_a_phone(surfaces, scheme):
    problems = {}
    for url, s in surfaces["phone", scheme].items():
        column = s.measured["columnWidth"]
        assert s.measured["code"], f"/{url}: no code cell found"
        narrow = [f"{name} is {width:.0f} px of a {column:.0f} px column"
                  for name, width in s.measured["code"] if width < CODE_SHARE_ON_A_PHONE * column]
        if narrow:
            problems[url] = narrow
    assert not problems, _report(problems)


@pytest.mark.parametrize(("screen", "scheme"), CASES)
def test_each_plot_shows_the_variant_of_the_palette(surfaces, screen, scheme):
    problems = {}
    for url, s in surfaces[screen, scheme].items():
        plots = s.measured["plots"]
        assert plots, f"/{url}: no plot found (every lab draws at least one)"
        wrong = [f"{p['name']} shows {_short(p['src'])}" for p in plots if p["shown"] != p["src"].endswith(f"#only-{scheme}")]
        shown = [p for p in plots if p["shown"]]
        if len(shown) * 2 != len(plots):
            wrong.append(f"{len(shown)} of {len(plots)} plot images shown (one variant of each expected)")
        if any(not p["alt"] for p in plots):
            wrong.append("a plot has no alt text")
        if wrong:
            problems[url] = wrong
    assert not problems, _report(problems)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_plots_are_drawn_in_the_palette(surfaces, scheme, built_site):
    """What the reader sees: a dark chart on the dark page, a light one on the light page (not a
    white card in dark mode). Mean luminance of each shown plot, 0 (black) to 255 (white).

    A plot that shows a photograph (an embedded raster image, as in the Street View lab) is the
    photograph's own brightness, whatever the palette: it is left out, and at least one chart of the
    lab must still be measured."""
    problems = {}
    for url, s in surfaces["desktop", scheme].items():
        assert s.luminance, f"/{url}: no plot was visible"
        charts = [(src, value) for src, value in s.luminance if not _shows_a_photograph(built_site.site, url, src)]
        assert charts, f"/{url}: every plot is a photograph; a lab shows at least one chart"
        off = [f"{_short(src)}: mean luminance {value:.0f}" for src, value in charts
               if (value > 90 if scheme == "dark" else value < 190)]
        if off:
            problems[url] = off
    assert not problems, _report(problems)


def _smallest_text(svg: str) -> tuple[float, float]:
    """(smallest font size in pt, width in pt) of a matplotlib SVG with text as outlines: glyphs are
    drawn at ``scale(size / 100)``."""
    sizes = [float(a) * 100 for a, b in re.findall(r"scale\(([0-9.]+) -([0-9.]+)\)", svg) if a == b]
    width = float(re.search(r'<svg\b[^>]*?\bwidth="([0-9.]+)pt"', svg).group(1))
    return min(sizes), width


@pytest.mark.parametrize(("screen", "scheme"), CASES)
def test_plot_text_is_readable(surfaces, built_site, screen, scheme):
    """The smallest text of every shown plot is at least 12 CSS px as displayed; on a desktop no plot
    needs to scroll for it."""
    problems = {}
    for url, s in surfaces[screen, scheme].items():
        small = []
        for plot in (p for p in s.measured["plots"] if p["shown"]):
            file = built_site.site / url / urlsplit(plot["src"]).path
            assert not plot["src"].startswith("data:") and file.is_file(), (
                f"/{url}: {plot['name']} shows {_short(plot['src'])}, not a file of the site")
            points, width_pt = _smallest_text(file.read_text(encoding="utf-8"))
            shown_px = points * plot["width"] / width_pt  # pt -> px is 4/3 on both sides
            if shown_px < TEXT_FLOOR_PX - 0.05:
                small.append(f"{plot['name']} ({plot['src']}): {points:g} pt text shown at {shown_px:.1f} px "
                             f"(the image is {plot['width']:.0f} px wide)")
            if screen == "desktop" and plot["boxScrolls"]:
                small.append(f"{plot['name']} ({plot['src']}) scrolls sideways on a desktop")
        if small:
            problems[url] = small
    assert not problems, _report(problems)


def test_the_notebook_css_is_shared_not_inline(built_site, surfaces):
    site = built_site.site
    sheet = site / labcss.STYLESHEET
    assert sheet.is_file(), f"{labcss.STYLESHEET} is missing from the built site"
    text = sheet.read_text(encoding="utf-8")
    assert ".jupyter-wrapper" in text and ".highlight-ipynb" in text, f"{labcss.STYLESHEET} lacks the notebook rules"
    assert len(text) < 60_000, f"{labcss.STYLESHEET} is {len(text)} bytes: the cut to what labs use failed"
    link = re.compile(r'<link rel="stylesheet" href="[^"]*' + re.escape(labcss.STYLESHEET) + '">')
    problems = {}
    for url in lab_urls(site):
        html = (site / url / "index.html").read_text(encoding="utf-8")
        found = []
        inline = [m for m in re.findall(r"<style\b[^>]*>(.*?)</style>", html, re.S)
                  if re.search(r"jupyter-wrapper|highlight-ipynb|--jp-|\.jp-", m)]
        if inline:
            found.append(f"{len(inline)} inline notebook <style> block(s), {sum(map(len, inline))} bytes")
        if len(link.findall(html)) != 1:
            found.append(f"links {labcss.STYLESHEET} {len(link.findall(html))} times, not once")
        if found:
            problems[url] = found
    assert not problems, _report(problems)
    for (screen, scheme), pages in surfaces.items():
        for url, s in pages.items():
            assert s.measured["sharedSheets"] == 1 and s.measured["sharedRules"] > 50, (
                f"/{url} ({screen}, {scheme}): the browser applied {s.measured['sharedSheets']} copies of "
                f"{labcss.STYLESHEET} with {s.measured['sharedRules']} rules"
            )
    framework = (site / "framework" / "index.html").read_text(encoding="utf-8")
    assert labcss.STYLESHEET not in framework, "a page that is not a lab links the labs' stylesheet"


SWAP_AND_COMPARE = """
css => {
  const elements = [...document.querySelectorAll(".jupyter-wrapper, .jupyter-wrapper *")];
  const cells = [...document.querySelectorAll(".jp-Notebook > .jp-Cell")];
  const styles = () => elements.map((e) => {
    const s = getComputedStyle(e);
    return Object.fromEntries([...s].map((p) => [p, s.getPropertyValue(p)]));
  });
  const cut = styles();
  const link = [...document.querySelectorAll('link[rel="stylesheet"]')].find((l) => l.href.endsWith("/" + SHEET));
  const style = document.createElement("style");
  style.textContent = css;
  link.replaceWith(style);
  const whole = styles();
  const differences = [];
  elements.forEach((e, i) => {
    for (const p of Object.keys(cut[i])) {
      if (cut[i][p] !== whole[i][p]) {
        const cell = cells.findIndex((c) => c.contains(e)) + 1;
        differences.push(`cell ${cell} ${e.tagName.toLowerCase()}.${[...e.classList].join(".")}: ${p} is ` +
                         `${cut[i][p]} with the cut sheet, ${whole[i][p]} with the whole one`);
      }
    }
  });
  return {elements: elements.length, differences};
}
""".replace("SHEET", repr(labcss.STYLESHEET))


def test_the_cut_stylesheet_styles_labs_exactly_as_the_whole_one(built_site):
    """Every element of every lab has the same computed style with the shared stylesheet as with all
    of the CSS mkdocs-jupyter inlines, put at the same place: the cut dropped nothing a lab uses."""
    from mkdocs_jupyter.nbconvert2 import nb2html

    site = built_site.site
    notebook = sorted((site / "labs").glob("*/*.ipynb"))[0]
    _, blocks = labcss.extract(nb2html(str(notebook)), notebook.name)
    whole = "\n".join(dict.fromkeys(blocks))
    assert len(whole) > 10 * len((site / labcss.STYLESHEET).read_text(encoding="utf-8"))
    problems = {}
    with browser.serve(site) as base, browser.chromium() as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        for url in lab_urls(site):
            page.goto(base + url, wait_until="load")
            browser.settle(page)
            result = page.evaluate(SWAP_AND_COMPARE, whole)
            assert result["elements"] > 100, f"/{url}: the notebook has only {result['elements']} elements"
            differences = result["differences"]
            if differences:
                problems[url] = differences[:5] + ([f"... {len(differences)} in all"] if len(differences) > 5 else [])
    assert not problems, _report(problems)


def test_palette_variants_map_every_colour_and_refuse_others():
    """The dark variant replaces each light colour by its role's dark colour, the card becomes the page,
    and a colour outside the palette or matplotlib's implicit black fails, naming the plot."""
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt">'
           '<path style="fill: #ffffff"/><path style="fill: none; stroke: #1f2933"/></svg>')
    light, dark = labplots.variants(svg, "lab.py:3: plot 1").values()
    assert "fill: none" in light and "#1f2933" in light and "#ffffff" not in light
    assert "stroke: #e4e7eb" in dark and "#1f2933" not in dark
    with pytest.raises(CasebookError, match=r"lab\.py:3: plot 1: uses #123456"):
        labplots.variants(svg.replace("#1f2933", "#123456"), "lab.py:3: plot 1")
    with pytest.raises(CasebookError, match=r"plot 1: draws 1 mark\(s\) in black"):
        labplots.variants(svg.replace('<path style="fill: #ffffff"/>', "<path/>"), "lab.py:3: plot 1")
