"""Hand-derived values of snippets/framework.py (the framework chapter's worked example).

Each row: the function, the value derived by hand from the assumptions, and the arithmetic. What
every page module shares (declared assumptions, every shown value evaluates, nothing unused) is
checked once for all pages in tests/test_pages.py.
"""

from __future__ import annotations

from hand_values import hand_value_test

from snippets import framework as fw

HAND_VALUES = [
    (fw.interview_minutes, (), 45, "5 + 4 + 3 + 7 + 8 + 5 + 7 + 3 + 3"),
    (fw.clarify_minutes, (), 5, "the first phase"),
    (fw.avg_qps, (), 11_574.07, "100e6 users x 10 loads / 86,400 s"),
    (fw.peak_qps, (), 34_722.22, "11,574.07 x 3 (house peak factor)"),
    (fw.avg_predictions, (), 5_787_037.0, "11,574.07 QPS x 500 candidates"),
    (fw.peak_predictions, (), 17_361_111.1, "34,722.22 QPS x 500 candidates"),
    (fw.impressions_per_day, (), 10e9, "100e6 users x 10 loads x 10 items"),
    (fw.positives_per_day, (), 300e6, "10e9 impressions x 3% CTR"),
    (fw.catalogue_multiplier, (), 200_000, "100e6 items / 500 candidates"),
    (fw.embeddings_bytes, (4,), 51.2e9, "100e6 x 128 dims x 4 B"),
    (fw.embeddings_bytes, (2,), 25.6e9, "100e6 x 128 dims x 2 B"),
    (fw.hnsw_bytes, (), 76.8e9, "100e6 x (128 x 4 + 32 links x 2 x 4 B) = 100e6 x 768 B"),
    (fw.ivfpq_bytes, (), 7.2e9, "100e6 x (64 B code + 8 B id)"),
    (fw.stage_budget, ("ranking",), 60.0, "the ranking stage's stated budget"),
    (fw.stage_share, ("ranking",), 0.30, "60 ms of 200 ms"),
    (fw.stage_budget, ("headroom",), 30.0, "the headroom stage"),
    (fw.fanout_within, (), 0.36603, "0.99 ** 100"),
    (fw.fanout_over, (), 0.63397, "1 - 0.99 ** 100"),
    (fw.required_call_quantile, (), 0.9998995, "0.99 ** (1 / 100)"),
    (fw.ab_mde_absolute, (), 0.0005, "10% baseline x 0.5% relative lift"),
    # Two-proportion z-test, p1 = 0.10, p2 = 0.1005, pbar = 0.10025, z = 1.95996 and 0.84162:
    # (1.95996 sqrt(2 x 0.10025 x 0.89975) + 0.84162 sqrt(0.1 x 0.9 + 0.1005 x 0.8995))^2 / 0.0005^2
    # = (0.831609 + 0.357338)^2 / 2.5e-7 = 5,663,746.5 -> 5,663,747.
    (fw.ab_sample_per_arm, (), 5_663_747, "see the arithmetic above"),
    (fw.ab_enrol_days, (), 12, "ceil(5,663,747 x 2 / (100e6 x 1%)) = ceil(11.33)"),
    (fw.ab_planned_days, (), 14, "12 days rounds up to 2 whole weeks, the house minimum"),
]


test_hand_values = hand_value_test(HAND_VALUES)


def test_latency_stages_fill_the_target_exactly():
    # 20 + 20 + 30 + 25 + 60 + 15 + 30 = 200 ms: the split uses the whole budget, headroom included.
    assert fw.LATENCY.total_ms() == 200 == fw.A.latency_target_ms
    assert fw.LATENCY.headroom_ms() == 0


def test_fanout_table_rows_follow_the_formula():
    # The 10-call row: 0.99 ** 10 = 0.904382 -> 90.4% within, 9.6% over.
    row = next(line for line in fw.fanout_table().splitlines() if line.startswith("| 10 |"))
    assert "90.4%" in row and "9.6%" in row
