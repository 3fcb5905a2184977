"""Lab plots on the site: a light and a dark SVG file per chart, sized so their text stays readable.

A lab's chart comes out of the kernel as one SVG drawn with the light palette of the house style
(``snippets/kit/plotting.py``) on a white card. For the site, each chart becomes two files beside the lab
page, shown like the book's figures (Material's ``#only-light`` / ``#only-dark``):

- the light variant, and a dark variant in which every colour of the light palette is replaced by the
  colour of the same role in the dark one. A colour outside the palette has no dark counterpart, so
  it fails the build with the lab's cell: a chart that read well in one palette only is never published.
  The white card becomes transparent in both (the page shows through, as behind the book's figures).
- Text size: the smallest text of a chart is read from the SVG (its glyphs are drawn at
  ``scale(pt / 100)``). The page never shows a chart narrower than the width at which that text is
  :data:`TEXT_FLOOR_PX` CSS pixels (an inline ``min-width``); on a phone the chart keeps that width and
  scrolls sideways in its box. A chart whose text would need more than :data:`DESKTOP_COLUMN_PX` (the
  output column of a lab at 1280 px) fails the build, naming the lab, the plot and the text size.

Files, not data URIs: a data URI would carry both variants inside the page's HTML, where base64 defeats
compression; as files, each is gzipped on the wire, cached, and the hidden variant is never fetched
(``loading="lazy"``).
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import math
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

from casebook import cache
from casebook.errors import CasebookError
from casebook.paths import SNIPPETS, rel

VARIANTS = ("light", "dark")
#: The smallest text a reader gets in a plot, in CSS px: Material's body text is 16 px, its footnotes
#: and footer 12.8 px; 12 px is the floor for the labels of a chart.
TEXT_FLOOR_PX = 12.0
#: The width of a lab's output column on a 1280 px screen (the text column, 688 px, less the prompt
#: gutter). tests/test_labs_surface.py measures the real one and checks the floor in the browser.
DESKTOP_COLUMN_PX = 584
PLOTTING = SNIPPETS / "kit" / "plotting.py"

_COLOUR = re.compile(r"((?:fill|stroke|stop-color|flood-color|color)(?::\s*|=\"))(#[0-9a-fA-F]{6})\b")
_GLYPH_SCALE = re.compile(r"scale\(([0-9.]+) -([0-9.]+)\)")
_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([0-9.]+)pt"[^>]*?\bheight="([0-9.]+)pt"')


@dataclass(frozen=True)
class Plot:
    number: int  # 1-based, in the order of the notebook's outputs
    digest: str  # of the SVG the kernel produced, to find it again in the rendered page
    width_px: float  # the chart's own size, in CSS px
    height_px: float
    smallest_pt: float  # its smallest text
    files: dict  # variant -> the SVG file in the cache

    @property
    def min_width_px(self) -> int:
        """The narrowest the page may show the chart with its smallest text at the floor."""
        if self.smallest_pt == float("inf"):  # no text at all
            return 0
        return math.ceil(self.width_px * TEXT_FLOOR_PX / (self.smallest_pt * 4 / 3) - 1e-9)


def filename(lab: str, number: int, variant: str) -> str:
    """The plot's file name, beside the lab page (and its notebook), so the page links it by name."""
    return f"{lab}-plot-{number}-{variant}.svg"


def site_uri(lab: str, number: int, variant: str, use_directory_urls: bool = True) -> str:
    """Where the plot goes in the site: in the lab page's folder (see ``download.site_uri``)."""
    folder = f"labs/{lab}" if use_directory_urls else "labs"
    return f"{folder}/{filename(lab, number, variant)}"


def _palettes() -> tuple[dict[str, str], dict[str, str]]:
    """The house style's two palettes, read from the file the labs import (it lives in snippets/)."""
    spec = importlib.util.spec_from_file_location("casebook_lab_plotting", PLOTTING)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    light, dark = module.LIGHT, module.DARK
    if set(light) != set(dark):
        raise CasebookError(f"{rel(PLOTTING)}: LIGHT and DARK must name the same roles: "
                            f"{sorted(set(light) ^ set(dark))}")
    return light, dark


def variants(svg: str, where: str) -> dict[str, str]:
    """The light and dark SVG of one chart drawn with the light palette; ``where`` names it in errors."""
    light, dark = _palettes()
    role_of = {colour.lower(): role for role, colour in light.items()}
    unknown = sorted({c.lower() for _, c in _COLOUR.findall(svg)} - set(role_of))
    if unknown:
        raise CasebookError(
            f"{where}: uses {', '.join(unknown)}, not a colour of the house style, so it has no dark "
            f"variant: draw with SERIES, TEXT or MUTED from snippets.kit.plotting (or add a role to "
            f"LIGHT and DARK in {rel(PLOTTING)})"
        )
    black = _implicitly_black(svg)
    if black:
        raise CasebookError(
            f"{where}: draws {black} mark(s) in black, matplotlib's default (text.color, a colour 'k'), which "
            f"has no dark variant: call apply_house_style() from snippets.kit.plotting first, and draw with "
            f"SERIES, TEXT or MUTED"
        )
    out = {}
    for variant, palette in (("light", light), ("dark", dark)):
        def swap(match: re.Match, palette=palette) -> str:
            prefix, colour = match.group(1), match.group(2).lower()
            role = role_of[colour]
            if role == "background" and prefix.startswith("fill"):
                return prefix + "none"  # the card: the page shows through
            return prefix + palette[role]

        out[variant] = _COLOUR.sub(swap, svg)
    return out


_SHAPES = {"path", "use", "rect", "circle", "ellipse", "polygon", "polyline", "text", "line"}
_FILL = re.compile(r"(?:^|;)\s*fill\s*:\s*([^;]+)")


def _implicitly_black(svg: str) -> int:
    """How many marks the SVG fills with no fill set on them or above them: SVG then paints them
    black, and matplotlib writes black that way (it leaves out ``fill: #000000``)."""
    import xml.etree.ElementTree as ET

    def fill_of(element) -> str | None:
        style = _FILL.search(element.get("style", ""))
        return style.group(1).strip() if style else element.get("fill")

    def walk(element, inherited: str | None) -> int:
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("defs", "clipPath", "mask", "pattern", "marker", "metadata", "style"):
            return 0  # drawn only where used, with the user's fill
        fill = fill_of(element) or inherited
        count = 1 if tag in _SHAPES and fill is None else 0
        return count + sum(walk(child, fill) for child in element)

    return walk(ET.fromstring(svg.encode()), None)


def measure(svg: str, where: str) -> tuple[float, float, float]:
    """``(width_px, height_px, smallest_pt)`` of a matplotlib SVG with text drawn as outlines."""
    size = _SIZE.search(svg)
    if not size:
        raise CasebookError(f"{where}: the SVG has no width and height in points (not a matplotlib chart?)")
    scales = [float(a) for a, b in _GLYPH_SCALE.findall(svg) if a == b]
    if not scales and "<use xlink:href=\"#DejaVu" not in svg:
        smallest = float("inf")  # a chart without text
    elif not scales:
        raise CasebookError(f"{where}: cannot find the size of its text (is svg.fonttype 'path'? "
                            "call apply_house_style() from snippets.kit.plotting)")
    else:
        smallest = round(min(scales) * 100, 2)  # matplotlib draws glyphs of 100 units at scale(pt/100)
    return float(size.group(1)) * 4 / 3, float(size.group(2)) * 4 / 3, smallest


def render(name: str, lab_path: Path, published: Path, cell_line) -> list[Plot]:
    """Every SVG chart of the published notebook as a :class:`Plot` with its two files in the cache.

    ``cell_line(cell_source)`` gives a cell's line in the lab, for messages. A chart in a raster format
    fails (it could have no dark variant and its text could not be measured).
    """
    key = cache.digest([published, PLOTTING, Path(__file__)])
    folder = cache.cache_dir("labplots") / key
    index = folder / "plots.json"
    notebook = json.loads(published.read_text(encoding="utf-8"))
    plots = []
    stored = cache.read_json(index)
    if stored is not None:
        return [Plot(**{**p, "files": {v: Path(f) for v, f in p["files"].items()}}) for p in stored]
    number = 0
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        line = cell_line(source)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/svg+xml" not in data and any(k.startswith("image/") for k in data):
                raise CasebookError(
                    f"{rel(lab_path)}:{line or 1}: a plot in a raster format ({', '.join(sorted(data))}): "
                    'start the lab with # %config InlineBackend.figure_formats = ["svg"]'
                )
            if "image/svg+xml" not in data:
                continue
            number += 1
            svg = data["image/svg+xml"]
            svg = "".join(svg) if isinstance(svg, list) else svg
            where = f"{rel(lab_path)}:{line or 1}: plot {number}"
            width, height, smallest = measure(svg, where)
            plot = Plot(number, _digest(svg), width, height, smallest, {})
            if plot.min_width_px > DESKTOP_COLUMN_PX:
                raise CasebookError(
                    f"{where}: its smallest text ({smallest:g} pt) is {TEXT_FLOOR_PX:g} CSS px only when the "
                    f"chart is at least {plot.min_width_px} px wide, and a lab's column is {DESKTOP_COLUMN_PX} "
                    f"px on a desktop screen: make the figure narrower (figsize, at most MAX_WIDTH_IN) or its "
                    f"text larger"
                )
            files = {}
            for variant, text in variants(svg, where).items():
                files[variant] = folder / filename(name, number, variant)
                cache.write_atomic(files[variant], text.encode())
            plots.append(Plot(number, plot.digest, width, height, smallest, files))
    cache.write_json(index, [{**p.__dict__, "files": {v: str(f) for v, f in p.files.items()}} for p in plots])
    return plots


def _digest(svg: str) -> str:
    return hashlib.sha256(svg.encode()).hexdigest()[:16]


_IMG = re.compile(r'<img\s[^>]*?src="data:image/svg\+xml;base64,([A-Za-z0-9+/=\s]+)"[^>]*>')


def replace_images(html: str, plots: list[Plot], name: str, page: str, alts: list[str]) -> str:
    """Put each plot's two files in place of the data-URI ``<img>`` nbconvert wrote, in order.

    ``alts`` are the plots' alt texts, in order. The rendered image must be the plot's own SVG: a
    mismatch (a notebook renderer that reorders or re-encodes outputs) fails instead of mislabelling.
    """
    if len(alts) != len(plots):
        raise CasebookError(f"{page}: the notebook has {len(plots)} plots and the page shows {len(alts)}")
    pieces, cursor, number = [], 0, 0
    for match in _IMG.finditer(html):
        number += 1
        if number > len(plots):
            raise CasebookError(f"{page}: the page shows more plots than the notebook has ({number})")
        plot = plots[number - 1]
        shown = base64.b64decode("".join(match.group(1).split())).decode("utf-8")
        if _digest(shown) != plot.digest:
            raise CasebookError(f"{page}: plot {number} on the page is not the notebook's plot {number}")
        alt = escape(alts[number - 1], quote=True)
        images = "".join(
            f'<img class="casebook-plot" src="{filename(name, number, variant)}#only-{variant}" alt="{alt}" '
            f'width="{round(plot.width_px)}" height="{round(plot.height_px)}" '
            f'style="min-width: {plot.min_width_px}px" loading="lazy">'
            for variant in VARIANTS
        )
        pieces += [html[cursor:match.start()], images]
        cursor = match.end()
    if number != len(plots):
        raise CasebookError(f"{page}: the notebook has {len(plots)} plots and the page shows {number}")
    pieces.append(html[cursor:])
    return "".join(pieces)
