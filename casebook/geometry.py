"""The printed page, defined once: paper size, margins and the text column they leave.

``casebook/pdf.py`` prints with these numbers and the tests measure with them. The one place that
cannot import them is ``docs/assets/print.css`` (what Ctrl+P uses as well as the PDFs): its
``@page`` rule states the same size and margins, and ``tests/test_pdf.py`` checks that it agrees
with :func:`page_css`, so change both together.
"""

from __future__ import annotations

MM_PER_INCH = 25.4
PT_PER_INCH = 72  # PDF user space
PX_PER_INCH = 96  # a CSS pixel


def mm_to_pt(mm: float) -> float:
    return mm / MM_PER_INCH * PT_PER_INCH


def mm_to_px(mm: float) -> float:
    return mm / MM_PER_INCH * PX_PER_INCH


PAPER = "A4"
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
# The top margin is the widest: the running head is stamped into it (see pdf.HEAD_BASELINE).
MARGIN_TOP_MM, MARGIN_RIGHT_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM = 20, 18, 18, 18

PAGE_WIDTH_PT, PAGE_HEIGHT_PT = mm_to_pt(PAGE_WIDTH_MM), mm_to_pt(PAGE_HEIGHT_MM)  # 595.28 x 841.89

TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 174 mm
TEXT_HEIGHT_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM  # 259 mm
TEXT_WIDTH_PT = mm_to_pt(TEXT_WIDTH_MM)  # 493.2 pt: how wide a figure prints at full size
TEXT_COLUMN_PX = round(mm_to_px(TEXT_WIDTH_MM))  # 658 CSS px: the viewport a page is laid out at for print
TEXT_HEIGHT_PX = round(mm_to_px(TEXT_HEIGHT_MM))  # 979 CSS px


def page_css() -> str:
    """The CSS ``@page`` rule for this paper and these margins (top, right, bottom, left)."""
    margins = (MARGIN_TOP_MM, MARGIN_RIGHT_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM)
    return f"@page {{ size: {PAPER}; margin: {' '.join(f'{mm:g}mm' for mm in margins)}; }}"
