"""One shape for every page's hand-checked numbers.

A page's test file lists rows ``(function, arguments, expected, "the arithmetic")``, with the expected
value worked out by hand from the page's assumptions, and turns them into a test:

    test_hand_values = hand_value_test(HAND_VALUES)

The arithmetic is the failure message, so a wrong number says how it should have been derived.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

Row = tuple[Callable[..., float], tuple, float, str]


def hand_value_test(rows: Sequence[Row], rel: float = 1e-5):
    """A parametrised test: each row's function called with its arguments equals the hand value."""
    ids = [f"{f.__name__}{list(args) if args else ''}" for f, args, _, _ in rows]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"hand values listed twice: {duplicates}")

    @pytest.mark.parametrize(("function", "args", "expected", "arithmetic"), rows, ids=ids)
    def test_hand_values(function, args, expected, arithmetic):
        assert function(*args) == pytest.approx(expected, rel=rel), arithmetic

    return test_hand_values
