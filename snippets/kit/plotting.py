"""The house style for charts in labs: sized for the page, one palette per site theme, deterministic SVG.

A lab draws its charts with the light palette, on an opaque white card, so the notebook reads the same
in any Jupyter theme. The site shows each chart in two variants made from that SVG by the build
(``casebook/labplots.py``): the light one and a dark one in which every colour of :data:`LIGHT` is
replaced by the colour of the same role in :data:`DARK`, the white card by the page itself. A colour
that is not in the palette has no dark counterpart, so the build refuses it: take colours from
:data:`SERIES` and the role constants below (``MUTED`` for reference lines, ``TEXT`` for marks that
must read like text), never from a literal.

Size: a chart is drawn at most :data:`MAX_WIDTH_IN` wide, which is the width of a lab's output column
on a desktop screen, so the page shows it at its own size and a 9 pt label stays at 12 CSS px. On a
phone the chart keeps the width at which its smallest text is 12 px and scrolls sideways in its box.
Keep text at 9 pt or more (the defaults below are 9.5-11 pt).

The SVG output is reproducible: fixed element ids (``svg.hashsalt``) and no creation date (the build
sets ``SOURCE_DATE_EPOCH``). Its text is drawn as glyph outlines, so it needs no font.
"""

from __future__ import annotations

import matplotlib as mpl

#: Colours by role, light palette: what the notebook draws with.
LIGHT = {
    "background": "#ffffff",
    "text": "#1f2933",
    "muted": "#52606d",  # axes, reference lines ("random scorer", a memory limit)
    "grid": "#d9dee3",
    # Series, in order: blue, orange, green, purple, red (colour-blind-safe Okabe-Ito hues).
    "series-1": "#0072b2",
    "series-2": "#e69f00",
    "series-3": "#009e73",
    "series-4": "#cc79a7",
    "series-5": "#d55e00",
}

#: The same roles for the site's dark palette (Material's slate, page background #1e2129). Text and
#: axes match the book's dark figures; every series keeps its hue and has at least 4:1 contrast with
#: the page (Okabe-Ito's blue has 3.1:1 there, so the dark palette uses its sky blue).
DARK = {
    "background": "#1e2129",
    "text": "#e4e7eb",
    "muted": "#a3afbd",
    "grid": "#3e4651",
    "series-1": "#56b4e9",
    "series-2": "#e69f00",
    "series-3": "#009e73",
    "series-4": "#cc79a7",
    "series-5": "#d55e00",
}

#: Colours for series, in order (the light palette's; the site's dark variant maps them by role).
SERIES = tuple(LIGHT[f"series-{n}"] for n in range(1, 6))
TEXT = LIGHT["text"]
MUTED = LIGHT["muted"]

#: The widest chart, in inches: a lab's output column on a desktop screen (584 CSS px at 96 px/in).
MAX_WIDTH_IN = 6.0


def apply_house_style() -> None:
    """Set matplotlib's defaults for every chart that follows."""
    mpl.rcParams.update(
        {
            "figure.figsize": (MAX_WIDTH_IN, 3.4),
            "figure.dpi": 100,
            "figure.facecolor": LIGHT["background"],
            "axes.facecolor": LIGHT["background"],
            "savefig.facecolor": LIGHT["background"],
            "axes.edgecolor": MUTED,
            "text.color": TEXT,  # legends and annotations; matplotlib's default black has no dark variant
            "axes.labelcolor": TEXT,
            "axes.titlecolor": TEXT,
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.labelsize": 10,
            "xtick.labelsize": 10,
            "ytick.labelsize": 10,
            "legend.fontsize": 9.5,
            "axes.grid": True,
            "grid.color": LIGHT["grid"],
            "grid.linewidth": 0.6,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": mpl.cycler(color=SERIES),
            "xtick.color": TEXT,
            "ytick.color": TEXT,
            "legend.frameon": False,
            "font.family": "DejaVu Sans",
            # Text as outlines of the DejaVu Sans matplotlib measured it with: a chart is shown with <img>,
            # which cannot use the page's fonts, so text would fall to whatever the reader's machine has.
            "svg.fonttype": "path",
            "svg.hashsalt": "casebook",
        }
    )
