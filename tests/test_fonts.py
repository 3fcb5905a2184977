"""One typeface everywhere: the self-hosted DejaVu subsets cover the book, and nothing depends on the
fonts a machine happens to have.

- The subsets, their stylesheet and their cache (no build needed).
- Graphviz measures labels with the pinned TTF, and every figure carries the glyphs it draws.
- Every character of every built page is in the fonts that page uses (the page and the character are
  named otherwise).
- The proof: the site built under a minimal font configuration and under one with extra fonts posing as
  Arial, Helvetica, sans-serif and monospace prints byte-identical PDFs, and its pages draw no glyph
  from a system font.
"""

from __future__ import annotations

import base64
import collections
import html
import io
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import lxml.html
import matplotlib
import pytest
from fontTools.ttLib import TTFont

from casebook import browser, cache, figures, fonts
from conftest import FIXED_EPOCH, MKDOCS, ROOT, copy_project

FONT_FILE_BUDGET_KB = 20  # each WOFF2 file (measured 2026-11-30: 8.7-14.9 KiB)
MONO_TAGS = {"code", "pre", "kbd", "samp", "tt"}  # Material and nbconvert set these in the code font
UNSEEN_TAGS = {"script", "style", "svg", "head", "template", "noscript", "math"}


def _cmap(data: bytes) -> set[int]:
    return set(TTFont(io.BytesIO(data)).getBestCmap())


# -- The subsets ------------------------------------------------------------------------------------------


def test_each_subset_holds_its_ranges_and_is_small():
    for face in fonts.FACES:
        ttf = set(TTFont(face.path).getBestCmap())
        for name in fonts.SLICES:
            path = fonts.font_file(face, name)
            expected = set(fonts.codepoints(name)) & ttf
            assert _cmap(path.read_bytes()) == expected, f"{face.slug}-{name}: subset and stated ranges disagree"
            assert path.stat().st_size <= FONT_FILE_BUDGET_KB * 1024, (
                f"{face.slug}-{name}.woff2 is {path.stat().st_size / 1024:.1f} KiB (budget {FONT_FILE_BUDGET_KB})"
            )


def test_slices_do_not_overlap_and_are_stated_in_order():
    seen: set[int] = set()
    for name, ranges in fonts.SLICES.items():
        assert all(first <= last for first, last, _ in ranges), name
        assert [first for first, _, _ in ranges] == sorted(first for first, _, _ in ranges), name
        points = set(fonts.codepoints(name))
        assert not points & seen, f"{name} repeats characters of another slice"
        seen |= points


def test_subsets_are_deterministic_and_cached():
    face = fonts.FACES[0]
    assert fonts.subset(face, fonts.codepoints("latin")) == fonts.subset(face, fonts.codepoints("latin"))
    first = fonts.font_file(face, "latin")
    assert first.is_relative_to(cache.cache_dir("fonts"))
    mtime = first.stat().st_mtime_ns
    assert fonts.font_file(face, "latin") == first and first.stat().st_mtime_ns == mtime, "a warm build re-subset"


def test_stylesheet_declares_every_face_and_slice():
    css = fonts.stylesheet()
    uris = {uri for uri, _ in fonts.site_files()}
    rules = re.findall(r"@font-face \{([^}]*)\}", css)
    assert len(rules) == len(fonts.FACES) * len(fonts.SLICES)
    for rule in rules:
        assert "font-display: swap" in rule and "unicode-range: U+" in rule, rule
        url = re.search(r'url\("([^"]+)"\)', rule).group(1)
        assert f"{fonts.FOLDER}/{url}" in uris, url
    assert f'font-family: "{fonts.SANS}"' in css and f'font-family: "{fonts.MONO}"' in css
    assert "DejaVu Sans\"" not in css, "the CSS families must be the book's own names"


# -- Figures ----------------------------------------------------------------------------------------------


def test_graphviz_sees_only_the_pinned_fonts():
    config = fonts.fontconfig_file()
    env = os.environ | {"FONTCONFIG_FILE": str(config)}
    for family, expected in (("DejaVu Sans", "DejaVuSans.ttf"), ("sans-serif", "DejaVuSans.ttf"),
                             ("monospace", "DejaVuSansMono.ttf")):
        found = subprocess.run(["fc-match", "-f", "%{file}", family], env=env, capture_output=True, text=True,
                               check=True).stdout
        assert found == str(fonts.TTF_DIR / expected), f"{family} -> {found}"
    listed = subprocess.run(["fc-list", "-f", "%{file}\n"], env=env, capture_output=True, text=True,
                            check=True).stdout.split()
    assert listed and all(Path(path).parent == fonts.TTF_DIR for path in listed), listed


def test_dot_ignores_the_callers_font_configuration(tmp_path, monkeypatch):
    """The same layout whatever FONTCONFIG_FILE the build itself runs under."""
    source = figures.FigureSource("probe", tmp_path / "probe.py")
    dot = 'digraph { a [label="Candidate generation: 10^4 items" fontname="DejaVu Sans" fontsize=14] }'
    normal = figures._run_dot(dot, source)
    empty = tmp_path / "empty.conf"
    empty.write_text(f"<fontconfig><cachedir>{tmp_path}</cachedir></fontconfig>")
    monkeypatch.setenv("FONTCONFIG_FILE", str(empty))
    assert figures._run_dot(dot, source) == normal


def test_every_figure_carries_the_glyphs_it_draws():
    for figure in figures.render_all(figures.discover()).values():
        for variant in figures.VARIANTS:
            svg = figure.path(variant).read_text(encoding="utf-8")
            faces = re.findall(r'@font-face\{font-family:"([^"]+)";font-style:(\w+);font-weight:(\d+);'
                               r"src:url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)", svg)
            assert faces, f"{figure.id} ({variant}): no embedded font"
            assert {family for family, *_ in faces} == {fonts.SANS}
            covered = set().union(*(_cmap(base64.b64decode(data)) for *_, data in faces))
            drawn = {ord(c) for text in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, re.DOTALL)
                     for c in lxml.html.fromstring(f"<p>{text}</p>").text_content() if not c.isspace()}
            assert drawn and drawn <= covered, f"{figure.id}: {sorted(map(chr, drawn - covered))} not embedded"
            assert f'font-family="{fonts.SANS},' in svg and 'font-family="DejaVu Sans' not in svg


# -- Every character of the built site --------------------------------------------------------------------


def visible_text(page: Path) -> dict[str, str]:
    """The text a reader sees on ``page``, in the site's own fonts, by family: ``{"sans": ..., "mono": ...}``.

    Left out: what no font of ours draws (KaTeX's math, in KaTeX's fonts, with its MathML copy for screen
    readers; scripts, styles, inline SVG icons, the head). Source-code pages are included.
    """
    root = lxml.html.document_fromstring(page.read_text(encoding="utf-8"))
    out = {"sans": [], "mono": []}
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for text, owner in ((element.text, element), (element.tail, element.getparent())):
            if not text or owner is None:
                continue
            ancestors = [owner, *owner.iterancestors()]
            tags = {a.tag for a in ancestors}
            if tags & UNSEEN_TAGS or any("katex" in (a.get("class") or "").split() for a in ancestors):
                continue
            out["mono" if tags & MONO_TAGS else "sans"].append(text)
    return {family: "".join(parts) for family, parts in out.items()}


def site_coverage(site: Path) -> dict[str, set[int]]:
    """What each family's served files cover in every one of its faces (bold, italic, ...)."""
    coverage = {}
    for family, key in ((fonts.SANS, "sans"), (fonts.MONO, "mono")):
        per_face = []
        for face in (f for f in fonts.FACES if f.family == family):
            files = [site / fonts.uri(face, name) for name in fonts.SLICES]
            per_face.append(set().union(*(_cmap(file.read_bytes()) for file in files)))
        coverage[key] = set.intersection(*per_face)
    return coverage


@pytest.mark.build
def test_every_character_of_the_site_is_in_its_fonts(built_site):
    coverage = site_coverage(built_site.site)
    missing = collections.defaultdict(set)
    pages = sorted(built_site.site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        for family, text in visible_text(page).items():
            for char in set(text):
                if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):  # drawn by no glyph
                    continue
                if ord(char) not in coverage[family]:
                    missing[(page.relative_to(built_site.site).as_posix(), family)].add(char)
    assert not missing, "characters the book's fonts do not have (add their range to casebook/fonts.py SLICES):\n" + \
        "\n".join(f"{page} ({family}): " + ", ".join(f"{c!r} U+{ord(c):04X} {unicodedata.name(c, '?')}"
                                                    for c in sorted(chars))
                  for (page, family), chars in sorted(missing.items()))


def test_visible_text_sorts_code_from_prose_and_skips_math(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<html><head><title>T²</title></head><body><p>Prose ≥ <code>x → y</code> tail'
                    '<span class="katex"><span class="katex-mathml"><math><mi>∑</mi></math></span>∫</span></p>'
                    "<pre><span>├──</span></pre><script>'✗'</script></body></html>", encoding="utf-8")
    text = visible_text(page)
    assert text["sans"] == "Prose ≥  tail" and text["mono"] == "x → y├──"


@pytest.mark.build
def test_every_page_loads_the_fonts(built_site):
    site = built_site.site
    assert (site / fonts.STYLESHEET).is_file()
    for uri, _ in fonts.site_files():
        assert (site / uri).is_file(), uri
    for page in site.rglob("*.html"):
        assert "assets/fonts/fonts.css" in page.read_text(encoding="utf-8"), page
    css = (site / "assets" / "casebook.css").read_text(encoding="utf-8")
    assert f'--md-text-font: "{fonts.SANS}"' in css and f'--md-code-font: "{fonts.MONO}"' in css


# -- The proof: the same PDFs whatever fonts the machine has ----------------------------------------------

MATPLOTLIB_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
LAST_RESORT = "LastResortHE-Regular.ttf"  # a box for every character: a fallback shows at once
# What the "extra" configuration makes of the names the site's CSS falls back to.
IMPOSTORS = {"Arial": "DejaVu Serif", "Helvetica": "DejaVu Serif", "sans-serif": "DejaVu Serif",
             "system-ui": "DejaVu Serif", "monospace": "cmtt10", "Menlo": "cmtt10", "serif": "STIXGeneral"}
PROBED_PAGES = ("", "framework/", "reference/experiments/", "labs/metrics/", "source/snippets/kit/house/")


def _fontconfig(path: Path, folders: list[Path], aliases: dict[str, str]) -> Path:
    rules = "".join(f'<alias binding="same"><family>{name}</family><prefer><family>{font}</family></prefer></alias>\n'
                    for name, font in aliases.items())
    dirs = "".join(f"<dir>{folder}</dir>\n" for folder in folders)
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
                    f"{dirs}<cachedir>{path.parent / 'fc-cache'}</cachedir>\n{rules}</fontconfig>\n")
    return path


@pytest.fixture(scope="module")
def font_configs(tmp_path_factory) -> dict[str, Path]:
    """Two fontconfig configurations for the whole build, browser included.

    minimal: one font, Last Resort. (With no font at all, Chromium refuses every web font too: measured,
    each FontFace ends in status "error", so "no system font" means this one placeholder font.)
    extra: Last Resort plus matplotlib's fonts (its own DejaVu Sans under its real name, DejaVu Serif,
    STIX, Computer Modern), with the names in IMPOSTORS pointing at faces that look nothing alike.
    """
    assert (MATPLOTLIB_FONTS / LAST_RESORT).is_file(), MATPLOTLIB_FONTS
    root = tmp_path_factory.mktemp("fontconfig")
    only = root / "last-resort"
    only.mkdir()
    shutil.copy(MATPLOTLIB_FONTS / LAST_RESORT, only)
    return {
        "minimal": _fontconfig(root / "minimal.conf", [only], {}),
        "extra": _fontconfig(root / "extra.conf", [only, MATPLOTLIB_FONTS], IMPOSTORS),
    }


@pytest.fixture(scope="module")
def font_config_builds(built_site, font_configs, tmp_path_factory) -> dict[str, Path]:
    """The site built and printed under each configuration, from one snapshot of the project (so that
    an edit made meanwhile cannot tell the builds apart), each with the warm build cache minus every
    print: every PDF is printed anew, under that configuration."""
    snapshot = copy_project(tmp_path_factory.mktemp("snapshot"))
    if (ROOT / ".cache" / "mkdocs-jupyter").is_dir():
        shutil.copytree(ROOT / ".cache" / "mkdocs-jupyter", snapshot / ".cache" / "mkdocs-jupyter")
    sites = {}
    warm = ROOT / ".cache" / "casebook"
    for name, config in font_configs.items():
        folder = tmp_path_factory.mktemp(name)
        shutil.copytree(warm, folder / "cache", ignore=lambda d, _: ["pdf"] if Path(d) == warm else [])
        env = os.environ | {"FONTCONFIG_FILE": str(config), "CASEBOOK_CACHE": str(folder / "cache"),
                            "SOURCE_DATE_EPOCH": FIXED_EPOCH, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(snapshot)}
        result = subprocess.run([*MKDOCS, "build", "--strict", "--clean", "-d", str(folder / "site")], cwd=snapshot,
                                env=env, capture_output=True, text=True, timeout=600, check=False)
        assert result.returncode == 0, f"the build under {name} fonts failed:\n{result.stdout}{result.stderr}"
        assert re.search(r"\d+ pages printed, 0 from the cache", result.stderr), "expected every page printed anew"
        sites[name] = folder / "site"
    return sites


@pytest.mark.build
def test_pdfs_are_byte_identical_whatever_fonts_the_machine_has(font_config_builds):
    minimal, extra = font_config_builds["minimal"], font_config_builds["extra"]
    pdfs = sorted(path.relative_to(minimal).as_posix() for path in (minimal / "pdf").glob("*.pdf"))
    assert len(pdfs) >= 10
    differ = [pdf for pdf in pdfs if (minimal / pdf).read_bytes() != (extra / pdf).read_bytes()]
    assert not differ, f"PDFs that depend on the machine's fonts: {differ}"


@pytest.mark.build
def test_pdfs_embed_only_the_books_fonts(font_config_builds):
    for pdf in sorted((font_config_builds["minimal"] / "pdf").glob("*.pdf")):
        listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        names = {re.sub(r"^[A-Z]{6}\+", "", line.split()[0]) for line in listing.splitlines()[2:]}
        strays = {name for name in names if not name.startswith(("DejaVuSans", "KaTeX_"))}
        assert not strays, f"{pdf.name} uses fonts that are not the book's: {sorted(strays)}"


PROBE_JS = """
() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node, count = 0;
  while ((node = walker.nextNode())) {
    const element = node.parentElement;
    if (!node.textContent.trim() || !element || element.closest("script, style, svg, .katex-mathml")) continue;
    if (!element.getClientRects().length) continue;  // not rendered
    element.setAttribute("data-font-probe", "");
    count++;
  }
  return count;
}
"""


@pytest.mark.build
def test_pages_draw_every_glyph_from_the_books_fonts(font_config_builds, font_configs, monkeypatch):
    """Under the extra fonts, Chromium reports which font drew each element's text: never a system font.

    (KaTeX's MathML copy for screen readers is clipped to nothing and left out; figures are images,
    checked through the PDFs above.)"""
    monkeypatch.setenv("FONTCONFIG_FILE", str(font_configs["extra"]))
    problems = []
    with browser.serve(font_config_builds["extra"]) as base, browser.chromium() as chromium:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        for url in PROBED_PAGES:
            page = context.new_page()
            page.goto(base + url, wait_until="load")
            browser.settle(page)
            page.evaluate("async () => { await document.fonts.ready; }")
            assert page.evaluate(PROBE_JS) > 10, url
            cdp = context.new_cdp_session(page)
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            document = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
            nodes = cdp.send("DOM.querySelectorAll", {"nodeId": document, "selector": "[data-font-probe]"})["nodeIds"]
            for node in nodes:
                for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
                    if not font["isCustomFont"]:
                        outer = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
                        problems.append(f"/{url}: {font['familyName']} drew {font['glyphCount']} glyphs in "
                                        f"{outer[:120]}")
            failed = page.evaluate("[...document.fonts].filter(f => f.status === 'error').map(f => f.family)")
            problems += [f"/{url}: the font {family} failed to load" for family in failed]
            page.close()
        context.close()
    assert not problems, "\n".join(problems[:30])


def test_fontconfig_cache_folder_exists_before_graphviz_starts(tmp_path, monkeypatch):
    """Two dot processes starting together raced to create it ("No writable cache directories")."""
    monkeypatch.setattr("casebook.cache.CACHE", tmp_path / "cache")
    config = fonts.fontconfig_file()
    cachedir = re.search(r"<cachedir>(.*?)</cachedir>", config.read_text(encoding="utf-8")).group(1)
    assert Path(html.unescape(cachedir)).is_dir()


@pytest.mark.parametrize("text", [
    "Offline training → feature store, 0.25 ms p99",
    "ÀÉÎõüçß ĀŁŒŠŽ “quotes” – — … ±×÷≤≥",
    "µs α β Ω ∑ √ ∞",
    "ℵ ∀x ∃y ⊂ ⊕",  # letters outside the site's slices: cut from the whole face
])
def test_cutting_from_the_site_cut_gives_the_bytes_a_cut_of_the_whole_face_gives(text):
    for face in (fonts.sans_face(400), fonts.sans_face(700, "italic")):  # figures draw with the sans faces
        characters = "".join(sorted(set(text)))
        assert fonts.subset(face, text=text) == fonts._cut(face.path, (), characters, "woff2"), face
