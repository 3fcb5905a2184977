"""The book's one typeface, self-hosted: DejaVu Sans and DejaVu Sans Mono as small WOFF2 subsets.

Every reader, every PDF and every figure sees the same glyphs, so a line break, a table width or a page
break is the same on every machine, and what the tests measure is what a reader gets.

- The TrueType files come from the npm package ``dejavu-fonts-ttf``, pinned in ``package-lock.json``
  (``scripts/setup`` installs it); nothing is fetched while the site is built or read.
- fontTools cuts each face down to the characters in :data:`SLICES` and writes WOFF2. A subset is
  cached in ``.cache/casebook/fonts/``, keyed by the TTF's bytes, the ranges, the subsetting options and
  fontTools' version, so a warm build does no font work.
- :func:`stylesheet` is ``assets/fonts/fonts.css``: one ``@font-face`` per face and slice, with
  ``unicode-range``, so a browser downloads a slice only for a page that uses one of its characters.
  The CSS families are the book's own names (:data:`SANS`, :data:`MONO`), never "DejaVu Sans": a
  machine's installed DejaVu can then never stand in silently.
- Figures: :func:`fontconfig_file` is a fontconfig configuration that exposes only the pinned TTFs, for
  Graphviz to measure labels with, and :func:`figure_css` embeds the glyphs a figure uses in its SVG
  (an SVG shown with ``<img>`` cannot load the page's fonts).
"""

from __future__ import annotations

import base64
import functools
import html
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from casebook import cache
from casebook.errors import CasebookError
from casebook.paths import ROOT

TTF_DIR = ROOT / "node_modules" / "dejavu-fonts-ttf" / "ttf"
LICENSE = TTF_DIR.parent / "LICENSE"
FOLDER = "assets/fonts"  # in the built site
STYLESHEET = f"{FOLDER}/fonts.css"
SANS = "Casebook Sans"
MONO = "Casebook Mono"


@dataclass(frozen=True)
class Face:
    family: str  # the CSS family
    weight: int
    style: str  # "normal" or "italic"
    ttf: str  # file name in TTF_DIR

    @property
    def slug(self) -> str:
        kind = "sans" if self.family == SANS else "mono"
        shape = {(400, "normal"): "regular", (700, "normal"): "bold", (400, "italic"): "italic",
                 (700, "italic"): "bold-italic"}[(self.weight, self.style)]
        return f"{kind}-{shape}"

    @property
    def path(self) -> Path:
        return TTF_DIR / self.ttf


FACES = (
    Face(SANS, 400, "normal", "DejaVuSans.ttf"),
    Face(SANS, 700, "normal", "DejaVuSans-Bold.ttf"),
    Face(SANS, 400, "italic", "DejaVuSans-Oblique.ttf"),
    Face(SANS, 700, "italic", "DejaVuSans-BoldOblique.ttf"),
    Face(MONO, 400, "normal", "DejaVuSansMono.ttf"),
    Face(MONO, 700, "normal", "DejaVuSansMono-Bold.ttf"),
    Face(MONO, 400, "italic", "DejaVuSansMono-Oblique.ttf"),  # the labs' code comments
)

# The characters the book may use, in two slices per face: (first, last, what). Every page loads the
# Latin slice; only a page with a character of the second slice downloads it. A character outside
# both fails tests/test_fonts.py, which names the page: add its range here, with what it is for.
SLICES: dict[str, tuple[tuple[int, int, str], ...]] = {
    "latin": (
        (0x0020, 0x007E, "Basic Latin"),
        (0x00A0, 0x00FF, "Latin-1 Supplement: no-break space, ×, ÷, ², ¶, é, ñ, ..."),
        (0x2000, 0x206F, "General Punctuation: dashes, quotes, …, thin spaces, ‰, primes"),
        (0x20AC, 0x20AC, "€"),
        (0x2122, 0x2122, "™"),
        (0x2190, 0x2193, "arrows ← ↑ → ↓"),
        (0x21A9, 0x21A9, "↩, the footnotes' way back"),
        (0x2212, 0x2212, "minus sign −"),
    ),
    "extended": (
        (0x0100, 0x017F, "Latin Extended-A: names such as Łukasz, Dvořák, Erdős"),
        (0x0391, 0x03A9, "Greek capitals: Δ, Σ, Ω"),
        (0x03B1, 0x03C9, "Greek small letters: α, ρ, σ, χ"),
        (0x2070, 0x209F, "superscripts and subscripts: p < 10⁻⁶, x₀"),
        (0x2194, 0x2199, "arrows ↔ ↕ ↖ ↗ ↘ ↙"),
        (0x21D0, 0x21D5, "double arrows ⇐ ⇒ ⇔"),
        (0x2200, 0x2211, "∀ ∂ ∃ ∅ ∆ ∇ ∈ ∉ ∏ ∑"),
        (0x2213, 0x221E, "∓ ∗ ∘ ∙ √ ∝ ∞"),
        (0x2223, 0x222B, "∣ ∥ ∧ ∨ ∩ ∪ ∫"),
        (0x2248, 0x2248, "≈"),
        (0x2260, 0x2265, "≠ ≡ ≤ ≥"),
        (0x226A, 0x226B, "≪ ≫"),
        (0x2282, 0x2287, "⊂ ⊃ ⊆ ⊇"),
        (0x2295, 0x2299, "⊕ ⊗ ⊙"),
        (0x22C5, 0x22C5, "⋅"),
        (0x22EF, 0x22EF, "⋯"),
        (0x2500, 0x257F, "box drawing: trees and tables in code"),
        (0x25A0, 0x25A1, "■ □"),
        (0x25B2, 0x25B3, "▲ △"),
        (0x25B6, 0x25B7, "▶ ▷"),
        (0x25BC, 0x25BD, "▼ ▽"),
        (0x25C0, 0x25C1, "◀ ◁"),
        (0x25CB, 0x25CB, "○"),
        (0x25CF, 0x25CF, "●"),
        (0x2713, 0x2713, "✓"),
        (0x2717, 0x2717, "✗"),
    ),
}

# How fontTools subsets: no TrueType hinting (it would double every file; browsers and the PDFs lay text
# out without it), fontTools' default OpenType features (kerning, marks, ligatures), the name table's
# copyright, family and version records. Part of every cache key.
_SUBSET_OPTIONS = {
    "flavor": "woff2",
    "hinting": False,
    "notdef_outline": True,
    "ignore_missing_unicodes": True,
    "name_IDs": [0, 1, 2, 3, 4, 5, 6],
}
_DROP_TABLES = ("MATH", "FFTM")  # DejaVu's math table and FontForge's timestamp: nothing a page uses


def _options_key() -> str:
    return repr((sorted(_SUBSET_OPTIONS.items()), _DROP_TABLES))


def codepoints(slice_name: str) -> list[int]:
    return [code for first, last, _ in SLICES[slice_name] for code in range(first, last + 1)]


def unicode_range(slice_name: str) -> str:
    """The slice as a CSS ``unicode-range`` value."""
    return ", ".join(f"U+{first:04X}" + (f"-{last:04X}" if last != first else "")
                     for first, last, _ in SLICES[slice_name])


def _fonttools_version() -> str:
    import fontTools

    return fontTools.version


def _check_installed(face: Face) -> None:
    if not face.path.is_file():
        raise CasebookError(
            f"the font {face.ttf} is not installed (node_modules/dejavu-fonts-ttf, pinned in "
            "package-lock.json); run scripts/setup"
        )


@functools.cache
def _file_digest(path: Path, mtime_ns: int, size: int) -> str:
    return cache.digest([path])


def file_digest(path: Path) -> str:
    """The digest of a font file, computed once per process while the file is unchanged."""
    stat = path.stat()
    return _file_digest(path, stat.st_mtime_ns, stat.st_size)


def subset(face: Face, unicodes: Iterable[int] | None = None, text: str = "", flavor: str | None = "woff2") -> bytes:
    """``face`` cut down to ``unicodes`` and/or the characters of ``text``, as WOFF2 (or, with
    ``flavor=None``, TrueType) bytes."""
    _check_installed(face)
    return _subset(face, tuple(sorted(set(unicodes or ()))), "".join(sorted(set(text))), flavor)


@functools.lru_cache(maxsize=512)  # a figure's light and dark SVGs draw the same characters
def _subset(face: Face, unicodes: tuple[int, ...], text: str, flavor: str | None) -> bytes:
    wanted = set(unicodes) | {ord(character) for character in text}
    # Cut from the site's own cut of the face when it has every character asked for: the result is the
    # same bytes (tests/test_fonts.py), in a third of the time, since the big layout tables are pruned.
    base = _site_cut(face) if wanted and wanted <= _site_codepoints() else None
    return _cut(io.BytesIO(base) if base else face.path, unicodes, text, flavor)


@functools.cache
def _site_codepoints() -> frozenset[int]:
    return frozenset(point for name in SLICES for point in codepoints(name))


@functools.cache
def _site_cut(face: Face) -> bytes:
    """``face`` with only the characters of all the site's slices, as TrueType, cached on disk."""
    key = cache.digest([file_digest(face.path), repr(sorted(SLICES.items())), _options_key(),
                        f"fonttools={_fonttools_version()}"])
    path = cache.cache_dir("fonts") / key / f"{face.slug}-site.ttf"
    if not path.is_file():
        cache.write_atomic(path, _cut(face.path, tuple(sorted(_site_codepoints())), "", None))
    return path.read_bytes()


def _cut(source, unicodes: tuple[int, ...], text: str, flavor: str | None) -> bytes:
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    options = ft_subset.Options()
    for name, value in _SUBSET_OPTIONS.items():
        setattr(options, name, value)
    options.flavor = flavor
    options.drop_tables += list(_DROP_TABLES)
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=list(unicodes), text=text)
    # A fixed head.modified (the TTF's own), so the same input gives the same bytes in every build.
    font = TTFont(source, recalcTimestamp=False)
    logger = logging.getLogger("fontTools.subset")
    level = logger.level
    logger.setLevel(logging.ERROR)  # "FFTM NOT subset" and the like: expected, not news
    try:
        subsetter.subset(font)
    finally:
        logger.setLevel(level)
    font.flavor = flavor
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=False)
    return buffer.getvalue()


def font_file(face: Face, slice_name: str) -> Path:
    """One face's slice as WOFF2 in the build cache, made only when it is not there yet."""
    _check_installed(face)
    key = cache.digest([file_digest(face.path), repr(SLICES[slice_name]), _options_key(),
                        f"fonttools={_fonttools_version()}"])
    path = cache.cache_dir("fonts") / key / f"{face.slug}-{slice_name}.woff2"
    if not path.is_file():
        cache.write_atomic(path, subset(face, codepoints(slice_name)))
    return path


def uri(face: Face, slice_name: str) -> str:
    """Where the file goes in the built site."""
    return f"{FOLDER}/{face.slug}-{slice_name}.woff2"


def site_files() -> list[tuple[str, Path]]:
    """``(site URI, file)`` for every WOFF2 file and the fonts' licence."""
    files = [(uri(face, name), font_file(face, name)) for face in FACES for name in SLICES]
    return [*files, (f"{FOLDER}/LICENSE-DejaVu.txt", LICENSE)]


def _rule(face: Face, slice_name: str, src: str) -> str:
    return (
        f'@font-face {{ font-family: "{face.family}"; font-style: {face.style}; font-weight: {face.weight}; '
        f"font-display: swap; src: {src}; unicode-range: {unicode_range(slice_name)}; }}"
    )


def stylesheet() -> str:
    """``assets/fonts/fonts.css``: every face and slice, loaded from the files next to it."""
    rules = [_rule(face, name, f'url("{Path(uri(face, name)).name}") format("woff2")')
             for face in FACES for name in SLICES]
    return (
        "/* The book's typeface: DejaVu Sans and DejaVu Sans Mono 2.37 (licence: LICENSE-DejaVu.txt),\n"
        "   subset and served by the site itself (casebook/fonts.py). */\n" + "\n".join(rules) + "\n"
    )


def embedded_stylesheet(faces: Iterable[Face]) -> str:
    """``faces`` as ``@font-face`` rules with data URIs, for documents printed from memory (the book's
    cover and contents), which have no server to load files from."""
    rules = []
    for face in faces:
        for name in SLICES:
            data = base64.b64encode(font_file(face, name).read_bytes()).decode("ascii")
            rules.append(_rule(face, name, f'url("data:font/woff2;base64,{data}") format("woff2")'))
    return "\n".join(rules) + "\n"


# -- Figures --------------------------------------------------------------------------------------------


# Graphviz's fontconfig configuration: the pinned TTFs and nothing else; the generic families name DejaVu.
_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!-- Written by casebook/fonts.py: the pinned DejaVu TTFs and nothing else. -->
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
  <alias binding="same"><family>sans-serif</family><prefer><family>DejaVu Sans</family></prefer></alias>
  <alias binding="same"><family>Sans</family><prefer><family>DejaVu Sans</family></prefer></alias>
  <alias binding="same"><family>monospace</family><prefer><family>DejaVu Sans Mono</family></prefer></alias>
</fontconfig>
"""


def fontconfig_file() -> Path:
    """A fontconfig configuration exposing the pinned TTFs only, for Graphviz (``FONTCONFIG_FILE``): the
    machine's own fonts can neither measure a label nor stand in for a missing family."""
    _check_installed(FACES[0])
    folder = cache.cache_dir("fontconfig")
    config = _FONTCONFIG.format(fonts=html.escape(str(TTF_DIR)), cache=html.escape(str(folder / "cache")))
    path = folder / f"fonts-{cache.digest([config])[:12]}.conf"
    # Made here, once: two dot processes starting together otherwise race to create it, and the loser
    # prints "Fontconfig error: No writable cache directories", which fails the figure.
    (folder / "cache").mkdir(parents=True, exist_ok=True)
    if not path.is_file():
        cache.write_atomic(path, config.encode())
    return path


def figure_key() -> str:
    """What a figure's SVG depends on in the fonts: part of every figure's cache key."""
    sans = [face for face in FACES if face.family == SANS]
    for face in sans:
        _check_installed(face)
    return cache.digest([_FONTCONFIG, *(file_digest(face.path) for face in sans),
                         _options_key(), f"fonttools={_fonttools_version()}"])


def sans_face(weight: int = 400, style: str = "normal") -> Face:
    bold = 700 if weight >= 600 else 400
    return next(f for f in FACES if f.family == SANS and f.weight == bold and f.style == style)


def figure_css(texts: dict[Face, str]) -> str:
    """``@font-face`` rules carrying, as data URIs, only the glyphs each face draws in one figure."""
    rules = []
    for face, text in sorted(texts.items(), key=lambda item: (item[0].weight, item[0].style)):
        data = base64.b64encode(subset(face, text="".join(sorted(set(text))))).decode("ascii")
        rules.append(f'@font-face{{font-family:"{face.family}";font-style:{face.style};'
                     f'font-weight:{face.weight};src:url(data:font/woff2;base64,{data}) format("woff2")}}')
    return "".join(rules)
