"""Formatting helpers shared by every display function.

Pure formatting only: no formula lives here. Units are decimal (1 kB = 1,000 bytes) because
capacity estimates are quoted that way; say so when a page mixes in binary units.
"""

from __future__ import annotations

import math

from collections.abc import Iterable, Sequence

_SI_PREFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))
_BYTE_UNITS = ((1e15, "PB"), (1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB"))


def _trim(text: str) -> str:
    """Drop trailing zeros after a decimal point: '12.50' -> '12.5', '3.0' -> '3'."""
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def short(value: float, digits: int = 3) -> str:
    """A count with a thousand/million/billion/trillion suffix: 11574.07 -> '11.6k'.

    ``digits`` is the number of significant digits kept.
    """
    magnitude = abs(value)
    for factor, suffix in _SI_PREFIXES:
        if magnitude >= factor:
            return _trim(f"{value / factor:.{_decimals(value / factor, digits)}f}") + suffix
    return _trim(f"{value:.{_decimals(value, digits)}f}")


def _decimals(value: float, digits: int) -> int:
    """Decimals needed so that ``value`` shows ``digits`` significant digits."""
    magnitude = abs(value)
    if magnitude == 0:
        return 0
    if magnitude >= 1:
        return max(digits - len(str(int(magnitude))), 0)
    return digits - 1 - math.floor(math.log10(magnitude))


def count(value: float) -> str:
    """An integer with thousands separators: 1234567 -> '1,234,567'."""
    return f"{round(value):,}"


def nbytes(value: float, digits: int = 3) -> str:
    """A size in decimal units: 1.28e12 -> '1.28 TB'."""
    magnitude = abs(value)
    for factor, unit in _BYTE_UNITS:
        if magnitude >= factor:
            return _trim(f"{value / factor:.{_decimals(value / factor, digits)}f}") + f" {unit}"
    return f"{round(value)} B"


def ms(seconds_or_ms: float, *, from_seconds: bool = False, digits: int = 3) -> str:
    """A duration in milliseconds: ms(12.5) -> '12.5 ms'; ms(0.0125, from_seconds=True) -> same."""
    value = seconds_or_ms * 1000 if from_seconds else seconds_or_ms
    return _trim(f"{value:.{_decimals(value, digits)}f}") + " ms"


def pct(fraction: float, decimals: int = 1) -> str:
    """A fraction as a percentage: 0.366 -> '36.6%'."""
    return f"{fraction * 100:.{decimals}f}%"


def percentile(quantile: float, decimals: int | None = None) -> str:
    """A quantile as a percentile label: 0.99 -> 'p99', 0.999 -> 'p99.9'.

    Without ``decimals`` up to four decimals are kept and trailing zeros dropped
    (0.9998995 -> 'p99.99'); with ``decimals`` the count is fixed (0.9998995, 3 -> 'p99.990').
    """
    value = quantile * 100
    text = f"{value:.4f}".rstrip("0").rstrip(".") if decimals is None else f"{value:.{decimals}f}"
    return "p" + text


def percent(fraction: float, max_decimals: int = 2) -> str:
    """A percentage without trailing zeros: 0.03 -> '3%', 0.005 -> '0.5%', 0.0005 -> '0.05%'."""
    return _trim(f"{fraction * 100:.{max_decimals}f}") + "%"


def points(difference: float, max_decimals: int = 2) -> str:
    """A difference of two rates in percentage points: 0.0005 -> '0.05 percentage points',
    0.01 -> '1 percentage point'."""
    text = percent(difference, max_decimals).removesuffix("%")
    return text + (" percentage point" if text in ("1", "-1") else " percentage points")


def share(fraction: float) -> str:
    """A share with one decimal, or three when one decimal would show a non-zero share as 0.0%
    or a share below one as 100.0%."""
    text = pct(fraction)
    if (text == "0.0%" and fraction > 0) or (text == "100.0%" and fraction < 1):
        text = pct(fraction, 3)
    return text


def times(factor: float) -> str:
    """A multiplier: 3.0 -> '3×', 2.5 -> '2.5×', 2e6 -> '2,000,000×'."""
    return f"{factor:,.10g}×"


def plain(value: float) -> str:
    """A number as written, without trailing zeros: 6.0 -> '6', 0.25 -> '0.25', 2e6 -> '2,000,000'."""
    return f"{value:,.10g}"


def days(n: float) -> str:
    """A duration in days: 14 -> '14 days', 1 -> '1 day'."""
    return f"{n:g} day" + ("" if n == 1 else "s")


def weeks(n: float) -> str:
    """A duration in weeks: 2 -> '2 weeks'."""
    return f"{n:g} week" + ("" if n == 1 else "s")


def minutes(n: float) -> str:
    """A duration in minutes: 45 -> '45 min'."""
    return f"{n:g} min"


def clock(minute: int) -> str:
    """A minute offset as a clock reading: 7 -> '07:00'."""
    return f"{minute:02d}:00"


def yes_no(flag: bool) -> str:
    """A flag as 'yes' or 'no'."""
    return "yes" if flag else "no"


def fixed(value: float, decimals: int = 3) -> str:
    """A plain number with a fixed number of decimals: 0.96057 -> '0.961'."""
    return f"{value:.{decimals}f}"


def md_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    align: str | None = None,
) -> str:
    """A Markdown pipe table.

    ``align`` is one letter per column: ``l``, ``r`` or ``c`` (default: first column left, the rest
    right, which suits a label column followed by numbers).
    """
    rows = [[str(cell) for cell in row] for row in rows]
    width = len(headers)
    for row in rows:
        if len(row) != width:
            raise ValueError(f"row {row!r} has {len(row)} cells, the header has {width}")
    align = align or "l" + "r" * (width - 1)
    if len(align) != width or set(align) - set("lrc"):
        raise ValueError(f"align {align!r} must have one of l/r/c per column ({width} columns)")
    rule = {"l": ":--", "r": "--:", "c": ":-:"}
    lines = [
        "| " + " | ".join(_escape(h) for h in headers) + " |",
        "| " + " | ".join(rule[a] for a in align) + " |",
    ]
    lines += ["| " + " | ".join(_escape(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _escape(cell: str) -> str:
    """Keep a literal pipe from splitting a table cell."""
    return cell.replace("|", "\\|")
