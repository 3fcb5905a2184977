"""Hand-derived values of snippets/news_feed.py (Personalised news feed).

Each row: the function, its arguments, the value derived by hand from the assumptions, and the
arithmetic. What every page module shares is checked once in tests/test_pages.py.
"""

from __future__ import annotations

from hand_values import hand_value_test

import snippets.news_feed as page

HAND_VALUES = [
    # TODO(scaffold): one row per number the chapter shows, derived by hand, never copied from the code.
    (page.avg_qps, (), 578.7037, "10e6 users x 5 requests / 86,400 s"),
    (page.peak_qps, (), 1_736.111, "578.7 x 3 (house peak factor)"),
]


test_hand_values = hand_value_test(HAND_VALUES)
