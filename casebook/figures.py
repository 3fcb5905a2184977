"""Figures: every module in ``diagrams/`` drawn to a light and a dark SVG, self-contained and cached.

A figure's id is its path under ``diagrams/`` without ``.py`` (``video_recommendation/architecture``).
Its module's docstring gives the caption (first line) and the alt text (the whole first paragraph plus
the next one). Rendering happens in this process, one figure at a time (the ``diagrams`` package keeps
the current diagram in global state), and the SVG is post-processed so that it:

- embeds every icon as a data URI, once per file, downscaled to the size it is drawn at;
- carries no file-system path, comment or random id, so it is byte-identical across builds;
- carries its own font: the glyphs it draws, cut from the pinned DejaVu Sans that Graphviz measured the
  labels with (an SVG shown with ``<img>`` cannot use the page's fonts, and a reader's machine may have
  no DejaVu at all, or another version of it).
"""

from __future__ import annotations

import ast
import base64
import functools
import html
import io
import itertools
import math
import os
import re
import runpy
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from pathlib import Path

from casebook import cache, fonts
from casebook.errors import CasebookError, describe_exception, located
from casebook.paths import DIAGRAMS, rel
from casebook.settings import WORKERS

VARIANTS = ("light", "dark")
# The smallest label a reader can read comfortably, in CSS pixels: the site's small text (0.75 of the
# 16 px body). The lightbox opens a figure at least at the scale that brings its smallest label to it.
READABLE_LABEL_PX = 12
ICON_OVERSAMPLING = 1.5  # icon pixels per SVG unit: sharp when zoomed a little, small on the wire
_STYLE_FILE = Path(__file__).with_name("figure_style.py")


@dataclass(frozen=True)
class FigureSource:
    """A figure module on disk."""

    id: str
    path: Path

    @functools.cached_property
    def docstring(self) -> str:
        try:
            tree = ast.parse(self.path.read_text(encoding="utf-8"), filename=str(self.path))
        except SyntaxError as exc:
            raise located(self.path, exc.lineno, f"SyntaxError: {exc.msg}") from None
        doc = ast.get_docstring(tree)
        if not doc or not doc.strip():
            raise located(
                self.path, 1, "a figure module needs a docstring; its first line is the caption"
            )
        return doc.strip()

    @property
    def caption(self) -> str:
        return self.docstring.splitlines()[0].strip().rstrip(".") + "."

    @property
    def alt(self) -> str:
        """The caption plus the paragraph after it, as one line."""
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", self.docstring) if p.strip()]
        text = " ".join(paragraphs[:2])
        return " ".join(text.split())


@dataclass(frozen=True)
class RenderedFigure:
    """A figure's two SVG files in the cache, and what a page needs to show them."""

    id: str
    key: str
    caption: str
    alt: str
    width: float  # points
    height: float  # points
    light: str  # path of the light SVG
    dark: str  # path of the dark SVG
    smallest_label: float = 0.0  # points; 0 for a figure without text

    def path(self, variant: str) -> Path:
        return Path(getattr(self, variant))


def discover(root: Path = DIAGRAMS) -> list[FigureSource]:
    """Every figure module under ``root``; files and folders starting with ``_`` are helpers."""
    sources = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if any(part.startswith(("_", ".")) for part in parts):
            continue
        sources.append(FigureSource(path.relative_to(root).with_suffix("").as_posix(), path))
    return sources


def find(figure_id: str, root: Path = DIAGRAMS) -> FigureSource | None:
    path = root / f"{figure_id}.py"
    return FigureSource(figure_id, path) if path.is_file() else None


@functools.lru_cache(maxsize=1)
def _dot_version() -> str:
    try:
        result = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=True)
    except FileNotFoundError:
        raise CasebookError(
            "Graphviz is not installed (no `dot` on PATH); run scripts/setup or "
            "`sudo apt-get install -y graphviz`"
        ) from None
    return (result.stderr or result.stdout).strip()


def cache_key(source: FigureSource) -> str:
    """Everything the SVGs depend on: the module, the snippets it imports, the style, the tools."""
    from casebook import snippets

    icons = sorted((DIAGRAMS / "_icons").glob("*")) if (DIAGRAMS / "_icons").is_dir() else []
    used_snippets = sorted({p for m in snippets.imports_of(source.path) for p in snippets.closure(m)})
    files = (source.path, *used_snippets, _STYLE_FILE, Path(__file__))
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in (*files, *icons))
    tools = (cache.package_versions("diagrams", "graphviz", "pillow"), _dot_version(), fonts.figure_key())
    return _cache_key(source.id, stamp, files, tools, tuple(icons))


@functools.lru_cache(maxsize=1024)
def _cache_key(figure_id: str, stamp: tuple, files: tuple[Path, ...], tools: tuple[str, ...],
               icons: tuple[Path, ...]) -> str:
    """Hash the files' contents; memoised on their names, times and sizes (a live preview asks for
    every figure's key on every save)."""
    return cache.digest([
        figure_id,  # the cached figure carries its id: two modules with the same text are two figures
        *files,
        *tools,
        *icons,
    ])


def cached(source: FigureSource, key: str | None = None) -> RenderedFigure | None:
    """The figure from the cache, or None when anything it depends on has changed."""
    meta = cache.read_json(cache.cache_dir("figures") / (key or cache_key(source)) / "figure.json")
    if meta and all(Path(meta[v]).is_file() for v in VARIANTS):
        return RenderedFigure(**meta)
    return None


def render(source: FigureSource, *, use_cache: bool = True) -> RenderedFigure:
    """The figure's SVGs, from the cache when nothing it depends on has changed."""
    key = cache_key(source)
    if use_cache and (hit := cached(source, key)):
        return hit
    folder = cache.cache_dir("figures") / key
    meta_path = folder / "figure.json"
    svgs = render_svgs(source)
    paths = {}
    for variant, svg in svgs.items():
        paths[variant] = folder / f"{variant}.svg"
        cache.write_atomic(paths[variant], svg.encode())
    width, height = svg_size(svgs["light"])
    figure = RenderedFigure(
        id=source.id,
        key=key,
        caption=source.caption,
        alt=source.alt,
        width=width,
        height=height,
        light=str(paths["light"]),
        dark=str(paths["dark"]),
        smallest_label=smallest_label(svgs["light"]),
    )
    cache.write_json(meta_path, asdict(figure))
    return figure


def render_all(sources: list[FigureSource], jobs: int = WORKERS) -> dict[str, RenderedFigure]:
    """Render ``sources``, using ``jobs`` processes when more than one figure must be drawn.

    Every failure is collected, so one build reports every broken figure at once.
    """
    results: dict[str, RenderedFigure] = {}
    errors: list[str] = []
    misses = []
    for source in sources:
        try:
            source.docstring  # noqa: B018 - validates the module before any work
            if hit := cached(source):
                results[source.id] = hit
            else:
                misses.append(source)
        except CasebookError as exc:
            errors.append(str(exc))
    if len(misses) > 1 and jobs > 1:
        # Separate processes: the diagrams package holds the current diagram in global state.
        with ProcessPoolExecutor(min(jobs, len(misses)), mp_context=get_context("spawn")) as pool:
            futures = {source.id: pool.submit(render, source) for source in misses}
            for figure_id, future in futures.items():
                try:
                    results[figure_id] = future.result()
                except CasebookError as exc:
                    errors.append(str(exc))
    else:
        for source in misses:
            try:
                results[source.id] = render(source)
            except CasebookError as exc:
                errors.append(str(exc))
    if errors:
        raise CasebookError("\n".join(errors))
    return {source.id: results[source.id] for source in sources}


# -- drawing ------------------------------------------------------------------------------------


def render_svgs(source: FigureSource) -> dict[str, str]:
    """Run the module's ``draw`` once per palette and return the finished SVG text per variant."""
    import graphviz

    from casebook.figure_style import PALETTES, CasebookDiagram, HouseStyle

    namespace = _load_module(source)
    draw = namespace.get("draw")
    if not callable(draw):
        raise located(source.path, None, "a figure module must define draw(style)")
    svgs = {}
    for palette in PALETTES:
        with _deterministic_diagrams(source):
            try:
                figure = draw(HouseStyle(palette))
            except CasebookError:
                raise
            except Exception as exc:
                _, line, summary = describe_exception(exc, source.path)
                raise located(source.path, line, f"draw() raised {summary}") from None
        if isinstance(figure, CasebookDiagram):
            graph = figure.dot
        elif isinstance(figure, graphviz.Digraph | graphviz.Graph):
            graph = figure
        else:
            raise located(
                source.path,
                _line_of(namespace["draw"]),
                "draw(style) must return style.diagram() or style.digraph(), "
                f"got {type(figure).__name__}",
            )
        raw = _run_dot(graph.source, source)
        if 'class="node"' not in raw:
            raise located(source.path, _line_of(draw), "draw() drew nothing: the figure has no node")
        svgs[palette.name] = postprocess(raw, source, palette.name)
    return svgs


def _run_dot(dot_source: str, source: FigureSource) -> str:
    """Lay out with Graphviz; any warning (a label that does not fit, an ignored attribute) fails."""
    # Labels are measured with the pinned DejaVu only, never with the machine's fonts.
    env = os.environ | {"FONTCONFIG_FILE": str(fonts.fontconfig_file())}
    result = subprocess.run(
        ["dot", "-Tsvg"], input=dot_source, capture_output=True, text=True, check=False, env=env
    )
    messages = " | ".join(line.strip() for line in result.stderr.splitlines() if line.strip())
    if result.returncode != 0 or messages:
        raise located(source.path, None, f"Graphviz {'failed' if result.returncode else 'warned'}: {messages}")
    return result.stdout


def _line_of(function) -> int | None:
    code = getattr(function, "__code__", None)
    return code.co_firstlineno if code else None


def _load_module(source: FigureSource) -> dict:
    if not source.path.is_file():
        raise CasebookError(f"{rel(source.path)}: no such figure module")
    try:
        return runpy.run_path(str(source.path), run_name=f"casebook_figure_{source.id}")
    except Exception as exc:
        _, line, summary = describe_exception(exc, source.path)
        raise located(source.path, line, f"importing the module raised {summary}") from None


@contextmanager
def _deterministic_diagrams(source: FigureSource):
    """Counter-based node ids, and a loud failure for a ``Custom`` icon that does not exist."""
    import diagrams
    from diagrams.custom import Custom

    counter = itertools.count(1)
    original_rand_id = diagrams.Node.__dict__["_rand_id"]
    original_custom_init = Custom.__init__

    def checked_custom_init(self, label, icon_path, *args, **kwargs):
        icon = Path(icon_path)
        if not icon.is_absolute():
            icon = source.path.parent / icon
        if not icon.is_file():
            raise located(source.path, _caller_line(source.path), f"Custom icon not found: {icon_path}")
        original_custom_init(self, label, str(icon), *args, **kwargs)

    diagrams.Node._rand_id = staticmethod(lambda: f"n{next(counter)}")
    Custom.__init__ = checked_custom_init
    try:
        yield
    finally:
        diagrams.Node._rand_id = original_rand_id
        Custom.__init__ = original_custom_init
        diagrams.setdiagram(None)
        diagrams.setcluster(None)


def _caller_line(path: Path) -> int | None:
    target = str(path.resolve())
    frame = sys._getframe(1)
    while frame is not None:
        if str(Path(frame.f_code.co_filename).resolve()) == target:
            return frame.f_lineno
        frame = frame.f_back
    return None


# -- post-processing ------------------------------------------------------------------------------

_COMMENT = re.compile(r"<!--.*?-->\s*", re.S)
_DOCTYPE = re.compile(r"<!DOCTYPE[^>]*>\s*", re.S)
_IMAGE = re.compile(r"<image\s+([^>]*?)/>")
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_LENGTH = re.compile(r"^\s*([0-9.]+)")


def postprocess(svg: str, source: FigureSource, variant: str = "light") -> str:
    """Make graphviz's SVG self-contained and deterministic (see the module docstring)."""
    svg = _COMMENT.sub("", svg)
    svg = _DOCTYPE.sub("", svg)
    symbols: dict[str, tuple[str, str]] = {}  # icon path -> (symbol id, <symbol> element)

    def replace_image(match: re.Match) -> str:
        attrs = dict(_ATTR.findall(match.group(1)))
        href = attrs.get("xlink:href") or attrs.get("href") or ""
        width = _number(attrs.get("width", "0"))
        height = _number(attrs.get("height", "0"))
        if href not in symbols:
            symbol_id = f"icon-{len(symbols) + 1}"
            symbols[href] = (symbol_id, _symbol(symbol_id, Path(href), max(width, height), source, variant))
        symbol_id = symbols[href][0]
        return (
            f'<use href="#{symbol_id}" x="{attrs.get("x", "0")}" y="{attrs.get("y", "0")}" '
            f'width="{_fmt(width)}" height="{_fmt(height)}"/>'
        )

    svg = _IMAGE.sub(replace_image, svg)
    if symbols:
        defs = "<defs>" + "".join(element for _, element in symbols.values()) + "</defs>"
        svg = _SVG_OPEN.sub(lambda m: m.group(0) + "\n" + defs, svg, count=1)
    svg = _embed_font(svg, source)
    svg = svg.replace('xmlns:xlink="http://www.w3.org/1999/xlink"', "")
    svg = re.sub(r"[ \t]+\n", "\n", svg).strip() + "\n"
    leaks = path_leaks(svg)
    if leaks:
        raise located(source.path, None, f"the rendered SVG still references files: {leaks[:3]}")
    return svg


_TEXT = re.compile(r"<text\b([^>]*)>(.*?)</text>", re.DOTALL)
_FAMILY = re.compile(r'font-family="([^"]*)"')


def _embed_font(svg: str, source: FigureSource) -> str:
    """Name the house font in every label and embed, as a data URI, only the glyphs this figure draws."""
    from casebook.figure_style import FONT, FONT_STACK

    texts: dict[fonts.Face, str] = {}
    for match in _TEXT.finditer(svg):
        attrs = dict(_ATTR.findall(match.group(1)))
        family = attrs.get("font-family", "")
        if family != FONT:
            raise located(source.path, None, f"a label is set in {family or 'no font'!r}; figures use the house "
                                             f"font {FONT!r} (casebook/figure_style.py), never their own")
        weight = 700 if attrs.get("font-weight", "normal") in ("bold", "bolder", "600", "700", "800", "900") else 400
        face = fonts.sans_face(weight, "italic" if attrs.get("font-style") in ("italic", "oblique") else "normal")
        texts[face] = texts.get(face, "") + html.unescape(re.sub(r"<[^>]+>", "", match.group(2)))
    stray = [family for family in _FAMILY.findall(_TEXT.sub("", svg)) if family != FONT]
    if stray:
        raise located(source.path, None, f"the SVG names the font {stray[0]!r}; figures use {FONT!r} only")
    svg = svg.replace(f'font-family="{FONT}"', f'font-family="{fonts.SANS},{FONT_STACK}"')
    if texts:
        style = f"<style>{fonts.figure_css(texts)}</style>"
        svg = _SVG_OPEN.sub(lambda m: m.group(0) + "\n" + style, svg, count=1)
    return svg


def _number(text: str) -> float:
    match = _LENGTH.match(text)
    return float(match.group(1)) if match else 0.0


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _symbol(
    symbol_id: str, icon: Path, drawn_size: float, source: FigureSource, variant: str
) -> str:
    """A ``<symbol>`` holding the icon as a PNG data URI, downscaled to the size it is drawn at.

    In the dark variant, dark grey and black strokes (most logos' outlines and lettering) are
    turned light so that they stay visible on a dark page; coloured pixels keep their colour.
    """
    from PIL import Image

    if not icon.is_file():
        raise located(source.path, None, f"icon not found: {icon.name}")
    with Image.open(icon) as image:
        image.load()
        image = image.convert("RGBA")
        target = max(16, math.ceil(drawn_size * ICON_OVERSAMPLING))
        if max(image.size) > target:
            scale = target / max(image.size)
            size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
            image = image.resize(size, Image.Resampling.LANCZOS)
        if variant == "dark":
            image = _lighten_dark_greys(image)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        width, height = image.size
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'<symbol id="{symbol_id}" viewBox="0 0 {width} {height}">'
        f'<image width="{width}" height="{height}" href="data:image/png;base64,{data}"/></symbol>'
    )


def _lighten_dark_greys(image):
    """Invert the brightness of dark, unsaturated pixels; leave colours and transparency alone."""
    import numpy as np
    from PIL import Image

    rgba = np.asarray(image, dtype=np.int16).copy()
    rgb = rgba[..., :3]
    high, low = rgb.max(axis=2), rgb.min(axis=2)
    dark_grey = (high < 120) & ((high - low) < 48)
    rgb[dark_grey] = 255 - rgb[dark_grey] // 2 - 40
    return Image.fromarray(rgba.clip(0, 255).astype(np.uint8), "RGBA")


def path_leaks(svg: str) -> list[str]:
    """References to anything but the file itself or a data URI (an empty list when self-contained)."""
    leaks = []
    for match in re.finditer(r'(?:xlink:)?href="([^"]*)"', svg):
        target = match.group(1)
        if not target.startswith(("#", "data:")):
            leaks.append(target)
    without_data = re.sub(r"url\(data:[^)]*\)", "url()", re.sub(r'"data:[^"]*"', '""', svg))
    for needle in ("site-packages", "/usr/", "/home/", "/tmp/", "/root/", "/work/", "file:"):
        if needle in without_data:
            leaks.append(needle)
    return leaks


def svg_size(svg: str) -> tuple[float, float]:
    match = re.search(r'<svg[^>]*\bwidth="([0-9.]+)pt"[^>]*\bheight="([0-9.]+)pt"', svg)
    if not match:
        raise CasebookError("rendered SVG has no width/height in points")
    return float(match.group(1)), float(match.group(2))


_FONT_SIZE = re.compile(r'font-size="([0-9.]+)"')


def smallest_label(svg: str) -> float:
    """The size of the figure's smallest text, in points (Graphviz writes every label's size), or 0."""
    sizes = [size for size in map(float, _FONT_SIZE.findall(svg)) if size > 0]
    return min(sizes, default=0.0)


def readable_scale(figure: RenderedFigure) -> float:
    """The zoom (1 = the SVG's natural size) at which the figure's smallest label is ``READABLE_LABEL_PX``.

    The SVG's unit is the point (4/3 CSS px). A figure with no text is readable at any scale (0).
    """
    if not figure.smallest_label:
        return 0.0
    return round(READABLE_LABEL_PX / (figure.smallest_label * 4 / 3), 3)
