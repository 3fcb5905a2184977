"""Every figure module renders, in both palettes, to a self-contained, deterministic, legible SVG."""

from __future__ import annotations

import base64
import io
import math
import os
import re
import subprocess
import sys

import pytest
from PIL import Image

from casebook import figures
from casebook.errors import CasebookError
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
