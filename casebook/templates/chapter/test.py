"""Hand-derived values of snippets/$module_path ($title).

Each row: the function, its arguments, the value derived by hand from the assumptions, and the
arithmetic. What every page module shares is checked once in tests/test_pages.py.
"""

from __future__ import annotations

import pytest

import snippets.$module as page

HAND_VALUES = [
    # TODO(scaffold): one row per number the chapter shows, derived by hand, never copied from the code.
    (page.avg_qps, (), 578.7037, "10e6 users x 5 requests / 86,400 s"),
    (page.peak_qps, (), 1_736.111, "578.7 x 3 (house peak factor)"),
]


@pytest.mark.parametrize(("function", "args", "expected", "arithmetic"), HAND_VALUES,
                         ids=[f"{f.__name__}{list(a) if a else ''}" for f, a, _, _ in HAND_VALUES])
def test_hand_values(function, args, expected, arithmetic):
    assert function(*args) == pytest.approx(expected, rel=1e-5), arithmetic
