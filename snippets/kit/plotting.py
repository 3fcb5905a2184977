"""The house style for charts in labs: readable in the light and the dark palette, deterministic SVG.

Charts are drawn on an opaque white card with dark text, so they read the same whichever palette the
site shows. The SVG output is reproducible: fixed element ids (``svg.hashsalt``) and no creation date
(the build sets ``SOURCE_DATE_EPOCH``). Its text is drawn as glyph outlines, so it needs no font.
"""

from __future__ import annotations

import matplotlib as mpl

#: Colours for series, in order: blue, orange, green, purple, red (colour-blind-safe Okabe-Ito hues).
SERIES = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00")


def apply_house_style() -> None:
    """Set matplotlib's defaults for every chart that follows."""
    mpl.rcParams.update(
        {
            "figure.figsize": (7.2, 3.6),
            "figure.dpi": 100,
            "figure.facecolor": "white",
            "axes.facecolor": "white",
            "savefig.facecolor": "white",
            "axes.edgecolor": "#52606d",
            "axes.labelcolor": "#1f2933",
            "axes.titlecolor": "#1f2933",
            "axes.titlesize": 12,
            "axes.labelsize": 11,
            "axes.grid": True,
            "grid.color": "#d9dee3",
            "grid.linewidth": 0.6,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": mpl.cycler(color=SERIES),
            "xtick.color": "#1f2933",
            "ytick.color": "#1f2933",
            "legend.frameon": False,
            "font.family": "DejaVu Sans",
            # Text as outlines of the DejaVu Sans matplotlib measured it with: a chart is shown with <img>,
            # which cannot use the page's fonts, so text would fall to whatever the reader's machine has.
            "svg.fonttype": "path",
            "svg.hashsalt": "casebook",
        }
    )
