"""Hand-derived values of snippets/similar_listings.py (the similar listings chapter).

Each row: the function, its arguments, the value derived by hand from the assumptions, and the
arithmetic. What every page module shares is checked once in tests/test_pages.py.
"""

from __future__ import annotations

import pytest
from hand_values import hand_value_test

import snippets.similar_listings as sl

HAND_VALUES = [
    # Traffic
    (sl.avg_qps, (), 231.4815, "20e6 views / 86,400 s"),
    (sl.peak_qps, (), 694.4444, "231.48 x 3 (house peak factor)"),
    (sl.daily_visitors, (), 5e6, "20e6 views / 4 views per visitor"),
    # Sessions and pairs
    (sl.kept_views_per_day, (), 16e6, "20e6 x 80%"),
    (sl.sessions_per_day, (), 2_666_666.67, "16e6 / 6 clicks"),
    (sl.booked_sessions_per_day, (), 106_666.67, "2,666,666.67 x 4%"),
    (sl.window_pairs, (6, 5), 30, "every one of 6 clicks sees the other 5: 6 x 5"),
    (sl.window_pairs, (5, 2), 14, "2 + 3 + 4 + 3 + 2"),
    (sl.window_pairs, (1, 5), 0, "a lone click has no context"),
    (sl.pairs_per_session, (), 30, "window_pairs(6, 5)"),
    (sl.example_window_pairs, (), 18, "A..F, m = 2: 2 + 3 + 4 + 4 + 3 + 2"),
    (sl.example_booked_pairs, (), 5, "one (click, F) pair for each of A, B, C, D, E"),
    (sl.positive_pairs_per_day, (), 80_640_000, "2,666,666.67 x 30 + 106,666.67 x 6 = 80e6 + 640e3"),
    (sl.dot_products_per_day, (), 887_040_000, "80.64e6 x (1 + 5 + 5)"),
    (sl.training_sessions, (), 278_400_000, "(2,666,666.67 + 106,666.67 x 4 extra copies) x 90 = 3,093,333.3 x 90"),
    (sl.training_dot_products, (), 9.2606976e11, "887.04e6 x (3,093,333.3 / 2,666,666.7 = 1.16) x 90 days x 10 passes"),
    (sl.training_core_hours, (), 32.92692, "9.2607e11 x 32 dims x 4 FLOPs / 1e9 FLOP/s / 3,600 s"),
    # Memory and the scan
    (sl.embedding_table_bytes, (), 952e6, "7e6 x (32 x 4 + 8)"),
    (sl.training_table_bytes, (), 1.792e9, "2 x 7e6 x 32 x 4"),
    (sl.embedding_table_bytes_at, (128,), 3.64e9, "7e6 x (128 x 4 + 8)"),
    (sl.embedding_table_bytes_at, (16,), 504e6, "7e6 x (16 x 4 + 8)"),
    (sl.available_in_market, (), 30_000, "100k listings x 30% free"),
    (sl.scan_bytes, (), 3.84e6, "30,000 x 32 x 4 B"),
    (sl.scan_ms, (), 0.384, "3.84e6 B / 10e9 B/s = 3.84e-4 s"),
    (sl.scan_ms_whole_market, (), 1.28, "100,000 x 128 B / 10e9 B/s = 1.28e-3 s"),
    (sl.scan_multiply_adds, (), 960_000, "30,000 x 32"),
    # Funnel, ranker, latency
    (sl.after_filters, (), 100, "200 x 50%"),
    (sl.ranker_predictions_per_second, (), 69_444.44, "694.44 requests/s x 100 candidates"),
    (sl.ranker_cores, (), 2, "ceil(69,444 / 50,000) = ceil(1.39)"),
    (sl.stage_budget, ("knn",), 15, "100 ms x 15%"),
    (sl.stage_budget, ("ranker",), 25, "100 ms x 25%"),
    # Offline metric example: ranks 1, 3, 2, 8 and not retrieved
    (sl.example_mrr, (), 0.3916667, "(1 + 1/3 + 1/2 + 1/8 + 0) / 5 = 1.958333 / 5"),
    (sl.example_hit_rate, (1,), 0.2, "1 of 5"),
    (sl.example_hit_rate, (3,), 0.6, "ranks 1, 3, 2 are within 3: 3 of 5"),
    (sl.example_hit_rate, (10,), 0.8, "all but the unretrieved one: 4 of 5"),
    # A/B test
    (sl.ab_sample_per_arm, (), 572_150,
     "(1.96 + 0.8416)^2 x (0.03 x 0.97 + 0.0309 x 0.9691) / 0.0009^2 = 7.8489 x 0.059045 / 8.1e-7"),
    (sl.ab_planned_days, (), 14, "572,150 / (5e6 x 10% / 2 = 250k a day) -> 3 days + 7 measured = 10 -> 2 weeks"),
]


test_hand_values = hand_value_test(HAND_VALUES, rel=1e-4)


def test_session_pairs_match_the_window_count():
    """Without a booking, the pair generator and the closed-form count agree."""
    clicks = tuple("abcdefgh")
    for window in range(0, 9):
        assert len(sl.session_pairs(clicks, None, window)) == sl.window_pairs(len(clicks), window)


def test_booked_listing_is_a_context_of_every_click():
    pairs = sl.session_pairs(("a", "b", "c"), "z", 1)
    assert [(c, ctx) for c, ctx, kind in pairs if kind == "booked"] == [("a", "z"), ("b", "z"), ("c", "z")]


def test_window_pairs_rejects_negative_input():
    with pytest.raises(ValueError):
        sl.window_pairs(-1, 2)
