"""Every figure module renders, in both palettes, to a self-contained, deterministic, legible SVG."""

from __future__ import annotations

import base64
import functools
import io
import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from casebook import figures
from casebook.errors import CasebookError
from casebook.figure_style import FONT
from casebook.geometry import TEXT_WIDTH_PT

SOURCES = figures.discover()
MIN_PRINTED_FONT_PT = 7.0


def test_there_are_figures():
    assert len(SOURCES) >= 7, [s.id for s in SOURCES]


@pytest.fixture(scope="module", params=SOURCES, ids=[s.id for s in SOURCES])
def rendered(request):
    source = request.param
    return source, figures.render_svgs(source)


def test_both_variants_render_and_differ(rendered):
    _, svgs = rendered
    assert set(svgs) == set(figures.VARIANTS)
    assert svgs["light"] != svgs["dark"], "the dark variant must use the dark palette"
    for svg in svgs.values():
        assert svg.lstrip().startswith(("<?xml", "<svg"))
        assert 'class="node"' in svg


def test_self_contained(rendered):
    source, svgs = rendered
    for variant, svg in svgs.items():
        assert figures.path_leaks(svg) == [], f"{source.id} ({variant}) references files"
        assert "<!--" not in svg, "comments carry graphviz versions and paths"
        assert svg.count("<image") == svg.count("<symbol"), "every icon is drawn through a symbol"
        # No random ids (upstream uses uuid4 hex): node ids come from a counter.
        assert not re.search(r"\b[0-9a-f]{32}\b", _without_data(svg))


def _without_data(svg: str) -> str:
    return re.sub(r'"data:[^"]*"', '""', svg)


def test_each_icon_embedded_once_and_downscaled(rendered):
    source, svgs = rendered
    for svg in svgs.values():
        payloads = re.findall(r'href="data:image/png;base64,([^"]+)"', svg)
        assert len(payloads) == len(set(payloads)), f"{source.id}: an icon is embedded twice"
        symbols = dict(re.findall(r'<symbol id="(icon-\d+)" viewBox="0 0 \d+ \d+"><image[^>]*base64,([^"]+)"', svg))
        for symbol_id, payload in symbols.items():
            uses = re.findall(rf'<use href="#{symbol_id}"[^>]*width="([\d.]+)" height="([\d.]+)"', svg)
            assert uses, f"{symbol_id} is defined but never used"
            drawn = max(max(float(w), float(h)) for w, h in uses)
            with Image.open(io.BytesIO(base64.b64decode(payload))) as image:
                assert max(image.size) <= max(16, math.ceil(drawn * figures.ICON_OVERSAMPLING)), (
                    f"{source.id}: icon {symbol_id} is {image.size} px for a {drawn} pt drawing"
                )


def test_legible_on_a4(rendered):
    source, svgs = rendered
    width, _ = figures.svg_size(svgs["light"])
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', svgs["light"])]
    scale = min(1.0, TEXT_WIDTH_PT / width)  # a figure wider than the text column prints scaled down
    smallest = min(sizes) * scale
    assert smallest >= MIN_PRINTED_FONT_PT, (
        f"diagrams/{source.id}.py: {width:.0f} pt wide, so its {min(sizes):.0f} pt labels print at "
        f"{smallest:.1f} pt on A4 (minimum {MIN_PRINTED_FONT_PT}); make the figure narrower"
    )


def test_caption_and_alt_text():
    for source in SOURCES:
        assert len(source.caption) > 15, source.id
        assert len(source.alt) > len(source.caption), f"{source.id}: add a paragraph describing the figure"


def test_deterministic_in_process(rendered):
    source, svgs = rendered
    assert figures.render_svgs(source) == svgs


def test_deterministic_across_processes(rendered, tmp_path):
    """Another process, another working directory and hash seed: the same bytes."""
    source, svgs = rendered
    script = (
        "import sys; from casebook import figures; "
        f"svgs = figures.render_svgs(figures.find({source.id!r})); "
        "sys.stdout.write(svgs['light'] + '\\0' + svgs['dark'])"
    )
    env = os.environ | {"PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    light, dark = result.stdout.split("\0")
    assert (light, dark) == (svgs["light"], svgs["dark"])


def test_cache_serves_unchanged_figures(monkeypatch, tmp_path):
    monkeypatch.setattr("casebook.cache.CACHE", tmp_path)
    source = SOURCES[0]
    first = figures.render(source)

    def must_not_render(_):
        raise AssertionError("an unchanged figure was rendered again")

    monkeypatch.setattr(figures, "render_svgs", must_not_render)
    assert figures.render(source) == first
    assert figures.render_all([source]) == {source.id: first}


def test_cache_key_follows_imported_snippets():
    """The funnel figure draws numbers from a snippet: editing that snippet must re-render it."""
    funnel = figures.find("video_recommendation/serving_funnel")
    from casebook import snippets

    assert "video_recommendation" in snippets.imports_of(funnel.path)
    closure = {p.name for m in snippets.imports_of(funnel.path) for p in snippets.closure(m)}
    assert {"video_recommendation.py", "estimation.py"} <= closure


def test_render_errors_name_the_module(tmp_path, monkeypatch):
    monkeypatch.setattr(figures, "DIAGRAMS", tmp_path)
    module = tmp_path / "broken.py"
    module.write_text('"""A caption that is long enough."""\n\n\ndef draw(style):\n    return 1 / 0\n')
    with pytest.raises(CasebookError, match=r"broken\.py:5: draw\(\) raised ZeroDivisionError"):
        figures.render_svgs(figures.FigureSource("broken", module))



# -- nothing runs into a label ----------------------------------------------------------------------
#
# Graphviz does not keep text clear of lines: it routes edges through cluster titles, sets edge labels
# against their own edge and next to each other, and ends arrows on an icon node's outline, which is
# its text. This check reads every rendered SVG as Graphviz wrote it: a <g class="node|edge|cluster">
# per element, holding its <text> (x, y, text-anchor, font-size), its outline (path, polygon, ellipse,
# or the <use> of an icon) and, for an edge, its path (cubic Béziers) and arrowhead. A text's box is
# its ink, measured with DejaVu Sans, the font Graphviz lays the labels out with and the figures name
# first (matplotlib's copy of the TTF, read with fontTools): the advance widths place the glyphs, their
# outlines' bounds give the box. Kerning is ignored: against the widths Chromium lays out, a box is up
# to 4% (2.5 pt) wider and at most 0.2 pt narrower.
#
# Each text must stand clear, by CLEARANCE points, of every edge, arrowhead, node outline and cluster
# border that is not its own. A node's label inside its own node and a cluster's title inside its own
# border are its own; an edge label may lie next to its own edge but not be touched by it. Two labels
# side by side nearer than one em, or one above the other nearer than half an em, run together; the
# lines of one label (same size, a line apart, in one column) only must not touch.

CLEARANCE = 2.0  # points between a text's ink and a line or shape it does not belong to
SIDE_GAP = 1.0  # ems between two labels side by side; closer, they read as one phrase
STACK_GAP = 0.5  # ems between two labels one above the other; closer, they read as one label
_SVG = "{http://www.w3.org/2000/svg}"
_FONT_FILES = {(False, False): "DejaVuSans.ttf", (True, False): "DejaVuSans-Bold.ttf",
               (False, True): "DejaVuSans-Oblique.ttf", (True, True): "DejaVuSans-BoldOblique.ttf"}


@functools.cache
def _font(bold: bool, italic: bool):
    font = TTFont(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / _FONT_FILES[bold, italic])
    return font.getBestCmap(), font["glyf"], font["hmtx"], font["head"].unitsPerEm


@functools.cache
def _glyph(char: str, bold: bool, italic: bool) -> tuple[float, tuple[float, float, float, float] | None]:
    """A character's advance and ink box (x0, y0, x1, y1, y up), in ems."""
    cmap, glyf, hmtx, em = _font(bold, italic)
    if ord(char) not in cmap:
        raise AssertionError(f"{FONT} has no glyph for {char!r}: a reader would see another font")
    name = cmap[ord(char)]
    glyph = glyf[name]
    ink = (glyph.xMin / em, glyph.yMin / em, glyph.xMax / em, glyph.yMax / em) if glyph.numberOfContours else None
    return hmtx[name][0] / em, ink


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def grow(self, dx: float, dy: float) -> Box:
        return Box(self.x0 - dx, self.y0 - dy, self.x1 + dx, self.y1 + dy)

    def gap(self, other: Box) -> float:
        return math.hypot(max(other.x0 - self.x1, self.x0 - other.x1, 0.0),
                          max(other.y0 - self.y1, self.y0 - other.y1, 0.0))


def ink_box(text: str, x: float, y: float, size: float, anchor: str = "start", bold=False, italic=False) -> Box:
    """The box around a text's ink, set at (x, y) with an SVG text-anchor."""
    pen, left, right, bottom, top = 0.0, math.inf, -math.inf, math.inf, -math.inf
    for char in text:
        advance, ink = _glyph(char, bold, italic)
        if ink:
            left, right = min(left, pen + ink[0]), max(right, pen + ink[2])
            bottom, top = min(bottom, ink[1]), max(top, ink[3])
        pen += advance
    start = x - {"start": 0.0, "middle": pen / 2, "end": pen}[anchor] * size
    if left > right:
        return Box(start, y, start, y)
    return Box(start + left * size, y - top * size, start + right * size, y - bottom * size)


# Outlines are polylines: a Bézier is sampled every 2 pt or closer, an ellipse at 64 points.
_NUMBER = re.compile(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _bezier(p0, p1, p2, p3) -> list[tuple[float, float]]:
    steps = max(4, math.ceil((math.dist(p0, p1) + math.dist(p1, p2) + math.dist(p2, p3)) / 2))
    return [tuple(((1 - t) ** 3) * a + 3 * ((1 - t) ** 2) * t * b + 3 * (1 - t) * t * t * c + t**3 * d
                  for a, b, c, d in zip(p0, p1, p2, p3))
            for t in (i / steps for i in range(1, steps + 1))]


def _path(d: str) -> list[list[tuple[float, float]]]:
    """An SVG path as Graphviz writes it (absolute M, C, L, Z) as polylines."""
    tokens, lines, line, command, i = _NUMBER.findall(d), [], [], "", 0
    while i < len(tokens):
        if tokens[i].isalpha():
            command, i = tokens[i], i + 1
            if command == "Z" and line:
                line.append(line[0])
            continue
        count = {"M": 2, "L": 2, "C": 6}.get(command)
        assert count, f"path command {command!r} is not handled: {d[:80]}"
        values = [float(v) for v in tokens[i:i + count]]
        i += count
        if command == "M":
            lines, line, command = lines + [line] if line else lines, [tuple(values)], "L"
        elif command == "L":
            line.append(tuple(values))
        else:
            line.extend(_bezier(line[-1], values[0:2], values[2:4], values[4:6]))
    return lines + [line] if line else lines


def _outlines(element) -> list[list[tuple[float, float]]]:
    tag, get = element.tag.removeprefix(_SVG), element.get
    if tag == "path":
        return _path(get("d"))
    if tag in ("polygon", "polyline"):
        values = [float(v) for v in _NUMBER.findall(get("points"))]
        points = list(zip(values[0::2], values[1::2]))
        return [points + points[:1] if tag == "polygon" else points]
    if tag == "ellipse":
        cx, cy, rx, ry = (float(get(k)) for k in ("cx", "cy", "rx", "ry"))
        return [[(cx + rx * math.cos(k * math.pi / 32), cy + ry * math.sin(k * math.pi / 32)) for k in range(65)]]
    if tag in ("use", "image", "rect"):
        x, y, w, h = (float(get(k, "0")) for k in ("x", "y", "width", "height"))
        return [[(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]]
    return []


def _hits(box: Box, p, q) -> bool:
    """Does the segment pq meet the box (Liang-Barsky)?"""
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for step, room in ((-dx, p[0] - box.x0), (dx, box.x1 - p[0]), (-dy, p[1] - box.y0), (dy, box.y1 - p[1])):
        if step == 0:
            if room < 0:
                return False
        elif step < 0:
            t0 = max(t0, room / step)
        else:
            t1 = min(t1, room / step)
        if t0 > t1:
            return False
    return True


def _to_segment(p, a, b) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy or 1)))
    return math.dist(p, (a[0] + t * dx, a[1] + t * dy))


def line_distance(box: Box, line) -> float:
    """How far a polyline stays from a box: 0 when it enters it."""
    corners = ((box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1))
    best = math.inf
    for a, b in zip(line, line[1:] or line):
        if _hits(box, a, b):
            return 0.0
        best = min(best, *(_to_segment(c, a, b) for c in corners), Box(*a, *a).gap(box), Box(*b, *b).gap(box))
    return best


def _inside(point, polygon) -> bool:
    inside = False
    for (x0, y0), (x1, y1) in zip(polygon, polygon[1:] + polygon[:1]):
        if (y0 > point[1]) != (y1 > point[1]) and point[0] < x0 + (point[1] - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def region_distance(box: Box, outline) -> float:
    """How far the area inside a closed outline stays from a box: 0 when they overlap."""
    if _inside(((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2), outline):
        return 0.0
    return line_distance(box, outline)


@dataclass
class Text:
    content: str
    box: Box
    size: float


@dataclass
class Element:
    """One node, edge or cluster of a Graphviz SVG: its texts and its outlines."""

    kind: str  # "node", "edge", "cluster" or "graph"
    id: str  # Graphviz's <title>: a node's id, "tail->head" for an edge
    texts: list[Text] = field(default_factory=list)
    outlines: list[list[tuple[float, float]]] = field(default_factory=list)
    reach: Box | None = None  # the outlines' bounding box


def read_svg(svg: str) -> list[Element]:
    """The nodes, edges and clusters of a Graphviz SVG, in the graph's own coordinates."""
    graph = ET.fromstring(svg.encode()).find(f"{_SVG}g")
    assert re.match(r"scale\(1 1\) rotate\(0\)", graph.get("transform", "")), graph.get("transform")
    elements = []
    for group in [graph, *graph.iter(f"{_SVG}g")]:
        kind = "graph" if group is graph else group.get("class", "")
        if kind not in ("graph", "node", "edge", "cluster"):
            continue
        title = group.find(f"{_SVG}title")
        element = Element(kind, title.text if title is not None else "")
        for child in group if kind == "graph" else group.iter():
            tag = child.tag.removeprefix(_SVG)
            if tag == "text":
                # SVG collapses runs of spaces and trims them (Graphviz writes &#160; to keep one).
                content = re.sub(r"[ \t\n]+", " ", "".join(child.itertext())).strip(" ")
                families = [f.strip() for f in child.get("font-family", "").split(",")]
                assert FONT in families, f"{content!r} is set in {families}: its width cannot be measured"
                if content:
                    size = float(child.get("font-size"))
                    box = ink_box(content, float(child.get("x")), float(child.get("y")), size,
                                  child.get("text-anchor", "start"), child.get("font-weight") in ("bold", "700"),
                                  child.get("font-style") in ("italic", "oblique"))
                    element.texts.append(Text(content, box, size))
            elif kind != "graph" and not (child.get("fill") == "none" and child.get("stroke") in (None, "none")):
                element.outlines.extend(_outlines(child))
        points = [p for line in element.outlines for p in line]
        if points:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            element.reach = Box(min(xs), min(ys), max(xs), max(ys))
        elements.append(element)
    return elements


def _lines_of_one_label(a: Text, b: Text) -> bool:
    """Consecutive lines of one multi-line label: same size, a line apart, sharing a column."""
    return (a.size == b.size and abs((a.box.y0 + a.box.y1) - (b.box.y0 + b.box.y1)) / 2 <= 1.4 * a.size
            and min(a.box.x1, b.box.x1) > max(a.box.x0, b.box.x0))


def overlaps(svg: str) -> list[str]:
    """Every text that runs into another text, a line or a shape it does not belong to, in words."""
    elements = read_svg(svg)
    labels = {e.id: " ".join(t.content for t in e.texts) for e in elements if e.kind == "node"}

    def named(element: Element) -> str:
        if element.kind == "edge":
            tail, head = (labels.get(end.split(":")[0], end) for end in element.id.split("->"))
            return f"the edge {tail} → {head}"
        return f"the {element.kind} {' '.join(t.content for t in element.texts) or element.id!r}"

    def text(t: Text, owner: Element) -> str:
        role = {"node": "label", "edge": "edge label", "cluster": "cluster title", "graph": "graph label"}
        return f"{role[owner.kind]} {t.content!r}"

    found = []
    texts = [(t, e) for e in elements for t in e.texts]
    for i, (a, owner_a) in enumerate(texts):
        for b, owner_b in texts[i + 1:]:
            em = max(a.size, b.size)
            one_label = owner_a is owner_b and _lines_of_one_label(a, b)  # its lines only must not touch
            if (a.box.gap(b.box) if one_label else a.box.grow(SIDE_GAP * em, STACK_GAP * em).gap(b.box)) == 0:
                found.append(f"{text(a, owner_a)} runs into {text(b, owner_b)}")
    for t, owner in texts:
        for element in elements:
            own = element is owner
            if not element.outlines or element.reach.gap(t.box) >= CLEARANCE or (own and element.kind != "edge"):
                continue
            if element.kind == "node":  # a filled shape: text must stay off it
                distance = min(region_distance(t.box, outline) for outline in element.outlines)
            else:  # lines: an edge, its arrowhead, a cluster's border
                distance = min(line_distance(t.box, outline) for outline in element.outlines)
            if own and distance == 0:
                found.append(f"{text(t, owner)} is crossed by its own edge")
            elif not own and distance < CLEARANCE:
                what = f"the border of {named(element)}" if element.kind == "cluster" else named(element)
                verb = ("overlaps" if element.kind == "node" else "is crossed by") if distance == 0 else \
                    f"is {distance:.1f} pt from"
                found.append(f"{text(t, owner)} {verb} {what}")
    return found


def test_no_label_runs_into_anything(rendered):
    source, svgs = rendered
    found = [f"{variant}: {problem}" for variant, svg in svgs.items() for problem in overlaps(svg)]
    assert not found, f"diagrams/{source.id}.py: text runs into other text, lines or shapes:\n  " + "\n  ".join(found)


# -- icons stand out from what they are drawn on ----------------------------------------------------
#
# An icon's outermost pixels (opaque, next to a transparent one) are what separates it from the page.
# Where many of them barely differ from the background they are drawn on (a cluster's fill, or the
# page), part of the icon vanishes, like a logo's white letters on a light page.

PAGE_BACKGROUND = {"light": "#ffffff", "dark": "#1e2129"}  # the site's page colours (scripts/figures too)
MIN_ICON_EDGE_CONTRAST = 1.6  # WCAG contrast ratio below which an edge pixel counts as faint
MAX_FAINT_ICON_EDGE = 0.15  # share of an icon's edge pixels that may be faint


def _luminance(rgb):
    c = np.asarray(rgb, dtype=float) / 255
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return c[..., 0] * 0.2126 + c[..., 1] * 0.7152 + c[..., 2] * 0.0722


def faint_icons(svg: str, variant: str) -> list[str]:
    root = ET.fromstring(svg.encode())
    images = {s.get("id"): s.find(f"{_SVG}image").get("href") for s in root.iter(f"{_SVG}symbol")}
    fills = []  # (outline, fill) of each cluster, outermost first
    for group in root.iter(f"{_SVG}g"):
        if group.get("class") == "cluster":
            shape = next(c for c in group if c.tag.removeprefix(_SVG) in ("path", "polygon"))
            fills.append((_outlines(shape)[0], shape.get("fill")))
    labels = {}
    for group in root.iter(f"{_SVG}g"):
        for use in group.findall(f"{_SVG}use"):
            labels[use] = " ".join(t.text or "" for t in group.iter(f"{_SVG}text"))
    found = []
    for use, label in labels.items():
        x, y, w, h = (float(use.get(k)) for k in ("x", "y", "width", "height"))
        background = PAGE_BACKGROUND[variant]
        for outline, fill in fills:
            if _inside((x + w / 2, y + h / 2), outline) and fill not in (None, "none", "transparent"):
                background = fill
        payload = images[use.get("href").removeprefix("#")].split(",", 1)[1]
        pixels = np.asarray(Image.open(io.BytesIO(base64.b64decode(payload))).convert("RGBA"), dtype=float)
        solid = pixels[..., 3] > 127
        clear = np.pad(~solid, 1, constant_values=True)
        edge = solid & (clear[:-2, 1:-1] | clear[2:, 1:-1] | clear[1:-1, :-2] | clear[1:-1, 2:])
        ink, back = _luminance(pixels[..., :3]), _luminance([int(background[i:i + 2], 16) for i in (1, 3, 5)])
        contrast = (np.maximum(ink, back) + 0.05) / (np.minimum(ink, back) + 0.05)
        share = (edge & (contrast < MIN_ICON_EDGE_CONTRAST)).sum() / max(1, edge.sum())
        if share > MAX_FAINT_ICON_EDGE:
            found.append(f"the icon of {label!r}: {share:.0%} of its outline barely differs from {background}")
    return found


def test_icons_stand_out(rendered):
    source, svgs = rendered
    found = [f"{variant}: {problem}" for variant, svg in svgs.items() for problem in faint_icons(svg, variant)]
    assert not found, f"diagrams/{source.id}.py: icons vanish into their background:\n  " + "\n  ".join(found)


# -- the checks themselves ------------------------------------------------------------------------


def _svg(*groups: str, defs: str = "") -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg">{defs}<g class="graph" transform="scale(1 1) rotate(0) '
            f'translate(4 200)">{"".join(groups)}</g></svg>')


def _text(x, y, content, size=14, anchor="middle"):
    return (f'<text text-anchor="{anchor}" x="{x}" y="{y}" font-family="{FONT},sans-serif" '
            f'font-size="{size}">{content}</text>')


def _node(id_, x, y, *lines, width=120, height=40):
    """A box node centred on (x, y), with one text per line."""
    box = f'M{x - width / 2},{y - height / 2} L{x + width / 2},{y - height / 2} L{x + width / 2},{y + height / 2} ' \
          f'L{x - width / 2},{y + height / 2} Z'
    texts = "".join(_text(x, y + 5 + 15 * (i - (len(lines) - 1) / 2), line) for i, line in enumerate(lines))
    return f'<g class="node"><title>{id_}</title><path fill="#fff" stroke="#000" d="{box}"/>{texts}</g>'


def _edge(tail, head, d, label=None, at=(0, 0)):
    text = _text(*at, label, size=12, anchor="start") if label else ""
    return f'<g class="edge"><title>{tail}&#45;&gt;{head}</title><path fill="none" stroke="#000" d="{d}"/>{text}</g>'


def test_a_clean_figure_passes():
    """Own labels inside own nodes, two-line labels, an edge label beside its edge: no finding."""
    svg = _svg(
        _node("a", 60, -150, "Corpus", "100M videos"),
        _node("b", 60, -40, "Ranking"),
        _edge("a", "b", "M60,-130 C60,-100 60,-90 60,-60", "candidates", at=(66, -92)),
        '<g class="cluster"><title>cluster_x</title><path fill="#eee" stroke="#000" '
        'd="M200,-190 L380,-190 L380,-20 L200,-20 Z"/>' + _text(206, -172, "Title", anchor="start") + "</g>",
        _node("c", 290, -80, "Inside"),
    )
    assert overlaps(svg) == []


@pytest.mark.parametrize(("groups", "expected"), [
    pytest.param([_node("a", 60, -100, "Corpus"), _edge("x", "y", "M30,-140 C40,-120 50,-80 60,-60")],
                 "label 'Corpus' is crossed by the edge x → y", id="edge-through-a-label"),
    pytest.param(['<g class="cluster"><title>cluster_s</title><path fill="#eee" stroke="#000" '
                  'd="M0,-150 L300,-150 L300,-20 L0,-20 Z"/>' + _text(6, -132, "Candidate generation", anchor="start")
                  + "</g>", _edge("corpus", "s1", "M60,-190 C60,-150 60,-120 60,-90")],
                 "cluster title 'Candidate generation' is crossed by the edge corpus → s1", id="edge-through-a-title"),
    pytest.param([_edge("p", "q", "M0,-100 L100,-100", "impressions, watches", at=(0, -106)),
                  _edge("r", "s", "M0,-60 L100,-60", "features", at=(134, -106))],
                 "edge label 'impressions, watches' runs into edge label 'features'", id="labels-run-together"),
    pytest.param([_edge("p", "q", "M0,-100 L200,-100", "daily sync", at=(40, -97))],
                 "edge label 'daily sync' is crossed by its own edge", id="own-edge-through-its-label"),
    pytest.param([_node("a", 60, -100, "Event log"), _edge("p", "q", "M0,-40 L200,-40", "features", at=(40, -91))],
                 "edge label 'features' overlaps the node 'Event log'", id="label-on-another-node"),
])
def test_each_kind_of_overlap_is_found(groups, expected):
    found = overlaps(_svg(*groups))
    assert expected in found, found


def test_faint_icon_edges_are_found():
    """White letters on a transparent ground vanish on a light page; white inside a coloured shape does not."""

    def icon(paint) -> str:
        image = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
        paint(image)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        data = base64.b64encode(buffer.getvalue()).decode()
        return f'<symbol id="icon-1" viewBox="0 0 40 40"><image width="40" height="40" href="data:image/png;base64,{data}"/></symbol>'

    def white_letters(image):
        image.paste((255, 255, 255, 255), (4, 10, 36, 30))

    def white_in_red(image):
        image.paste((200, 30, 30, 255), (4, 4, 36, 36))
        image.paste((255, 255, 255, 255), (12, 12, 28, 28))

    node = '<g class="node"><title>n1</title><use href="#icon-1" x="0" y="-60" width="40" height="40"/>' \
           + _text(20, -5, "Model registry") + "</g>"
    assert faint_icons(_svg(node, defs=f"<defs>{icon(white_letters)}</defs>"), "light")
    assert faint_icons(_svg(node, defs=f"<defs>{icon(white_letters)}</defs>"), "dark") == []
    assert faint_icons(_svg(node, defs=f"<defs>{icon(white_in_red)}</defs>"), "light") == []


def test_smallest_label_and_the_scale_that_makes_it_readable():
    svg = '<svg><text font-size="14.00">a</text><text font-size="10.50">b</text><text font-size="0">c</text></svg>'
    assert figures.smallest_label(svg) == 10.5
    assert figures.smallest_label("<svg><path d='M0 0'/></svg>") == 0.0
    base = dict(id="a/b", key="k", caption="c", alt="a", width=1.0, height=1.0, light="l", dark="d")
    # 12 pt = 16 CSS px: readable (12 px) at three quarters of the natural size.
    assert figures.readable_scale(figures.RenderedFigure(**base, smallest_label=12.0)) == 0.75
    assert figures.readable_scale(figures.RenderedFigure(**base, smallest_label=4.5)) == 2.0
    assert figures.readable_scale(figures.RenderedFigure(**base)) == 0.0
