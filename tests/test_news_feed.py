"""Hand-derived values of snippets/news_feed.py (the personalised news feed chapter).

Each row: the function, its arguments, the value derived by hand from the assumptions, and the
arithmetic. What every page module shares is checked once in tests/test_pages.py; the tests below
the table check the value function, the weightings and the per-head metrics against scikit-learn.
"""

from __future__ import annotations

import math

import pytest
from hand_values import hand_value_test
from sklearn.metrics import log_loss as sk_log_loss
from sklearn.metrics import roc_auc_score

import snippets.news_feed as nf

HAND_VALUES = [
    # Traffic and the funnel
    (nf.avg_qps, (), 115_740.74, "1e9 users x 10 loads / 86,400 s"),
    (nf.peak_qps, (), 347_222.22, "115,740.74 x 3 (house peak factor)"),
    (nf.candidates_from_sources, (), 2_000, "1,000 friends + 500 groups + 300 pages + 200 recommended"),
    (nf.light_pass_input, (), 1_800, "2,000 x (1 - 10% filtered)"),
    (nf.pairs_per_day, (), 1.8e13, "1e10 loads a day x 1,800 posts"),
    (nf.light_predictions_peak, (), 625e6, "347,222.22 x 1,800"),
    (nf.heavy_predictions_peak, (), 173_611_111, "347,222.22 x 500"),
    (nf.heavy_head_outputs_peak, (), 1_215_277_778, "173,611,111 x 7 heads"),
    (nf.heavy_gpus, (), 869, "ceil(173,611,111 / 200,000) = ceil(868.06)"),
    (nf.heavy_gpus_without_light_pass, (), 3_125, "625e6 / 200,000 = 3,125 exactly"),
    (nf.light_hosts, (), 313, "ceil(625e6 / 2e6) = ceil(312.5)"),
    (nf.feature_bytes_per_request, (), 1_360_000, "1,800 x 200 B + 500 x 2,000 B = 360 kB + 1 MB"),
    (nf.feature_bandwidth_peak, (), 4.7222222e11, "1.36 MB x 347,222.22 per second"),
    # Storage
    (nf.post_store_bytes, (), 1.4e13, "1e9 posts a day x 7 days x 2 kB"),
    (nf.user_store_bytes, (), 6e12, "1e9 x 1.5 (MAU/DAU) x 4 kB"),
    (nf.affinity_store_bytes, (), 1.92e13, "1.5e9 users x 400 rows x 32 B"),
    (nf.online_store_bytes, (), 3.92e13, "14 TB + 6 TB + 19.2 TB"),
    # Training data
    (nf.impressions_per_day, (), 1.2e11, "1e9 x 10 loads x 12 seen"),
    (nf.training_rows_per_day, (), 1.848e10, "1.2e11 x (6% + 94% x 10%) = 1.2e11 x 0.154"),
    (nf.training_bytes_per_day, (), 2.772e13, "1.848e10 x 1,500 B"),
    (nf.recalibrated_example, (), 0.0243902, "0.2 / (0.2 + 0.8 / 0.1) = 0.2 / 8.2"),
    # Latency: shares of the 200 ms target
    (nf.stage_budget, ("network",), 30.0, "15% of 200 ms"),
    (nf.stage_budget, ("inventory",), 30.0, "15% of 200 ms"),
    (nf.stage_budget, ("light",), 20.0, "10% of 200 ms"),
    (nf.stage_budget, ("heavy_features",), 20.0, "10% of 200 ms"),
    (nf.stage_budget, ("heavy",), 50.0, "25% of 200 ms"),
    (nf.stage_budget, ("contextual",), 20.0, "10% of 200 ms"),
    (nf.stage_budget, ("headroom",), 30.0, "15% of 200 ms"),
    (nf.heavy_ms_per_thousand, (), 100.0, "50 ms / 500 posts x 1,000"),
    # The value function on the example posts
    (nf.example_value, ("baby",), 3.525,
     "0.30x1 + 0.06x6 + 0.005x4 + 0.45x0.5 + 0.55x5 - 0.005x20 - 0.0002x150 = 0.3+0.36+0.02+0.225+2.75-0.1-0.03"),
    (nf.example_value, ("outrage",), -0.32, "0.10 + 0.54 + 0.24 + 0.40 + 0.50 - 1.20 - 0.90"),
    (nf.example_value, ("advice",), 2.956, "0.04 + 0.72 + 0.016 + 0.175 + 2.25 - 0.20 - 0.045"),
    (nf.engagement_value, ("outrage",), 3.45, "0.10 + 0.09 + 0.06 + 0.80 x 4"),
    (nf.engagement_rank, ("outrage",), 1, "3.45 beats listicle 2.91, news 2.32, baby 2.165, advice 1.564"),
    (nf.engagement_rank, ("listicle",), 2, "0.08 + 0.01 + 0.02 + 0.70 x 4 = 2.91, second"),
    (nf.interactions_rank, ("advice",), 1, "0.04 + 0.12x15 + 0.004x10 + 0.35x0.5 - 0.05 - 0.015 = 1.99, top"),
    (nf.interactions_rank, ("outrage",), 2, "0.10 + 1.35 + 0.60 + 0.40 - 0.30 - 0.30 = 1.85, second"),
    (nf.chosen_rank, ("outrage",), 4, "order baby 3.525, advice 2.956, news 2.06, outrage -0.32, listicle -0.48"),
    (nf.chosen_rank, ("baby",), 1, "3.525 is the largest chosen value"),
    (nf.freshness_example, (), 0.25, "0.5 ** (24 h / 12 h)"),
    (nf.demoted_example_value, (), 1.03, "news 2.06 x 0.5"),
    (nf.demoted, (-0.32, 0.5), -0.32, "a negative value is not demoted towards zero"),
    # Per-head metrics of the worked example
    (nf.head_rate, ("like",), 1 / 3, "4 likes in 12 impressions"),
    (nf.head_mean_prediction, ("like",), 0.2975, "3.57 / 12"),
    (nf.head_calibration, ("like",), 0.8925, "0.2975 / 0.3333"),
    (nf.head_auc, ("like",), 0.90625, "positives beat 8 + 8 + 8 + 5 of 4 x 8 = 32 pairs: 29/32"),
    (nf.head_rate, ("hide",), 1 / 6, "2 hides in 12 impressions"),
    (nf.head_mean_prediction, ("hide",), 0.08, "0.96 / 12"),
    (nf.head_calibration, ("hide",), 0.48, "0.08 / 0.1667"),
    (nf.head_auc, ("hide",), 0.95, "0.30 beats all 10 negatives, 0.12 beats 9 (not 0.22): 19/20"),
    (nf.value_dcg, (8,), 4.779167, "2/1 + 1/log2(4) + 3/log2(5) + 1/log2(7) + 2/log2(9) = 2+0.5+1.29203+0.356207+0.630930"),
    (nf.value_ndcg, (8,), 0.637460,
     "4.779167 / (3 + 3/log2 3 + 2/2 + 2/log2 5 + 1/log2 6 + 1/log2 7) = 4.779167 / 7.497202"),
    # The A/B test and the holdout
    (nf.ab_planned_days, (), 14, "1 day to enrol + 7 measured = 8, whole weeks, at least 2: 14"),
    (nf.holdout_users, (), 5e6, "1e9 x 0.5%"),
    (nf.holdout_days, (), 183, "ceil(6 x 365 / 12) = ceil(182.5)"),
]


test_hand_values = hand_value_test(HAND_VALUES)


def test_value_is_the_weighted_sum_of_every_head():
    predictions = {head: 0.0 for head in nf.HEAD_IDS}
    for head in nf.HEADS:
        one = dict(predictions, **{head.id: 1.0})
        assert nf.post_value(one, nf.weights_of("chosen")) == head.weight
    with pytest.raises(KeyError, match="lack the heads"):
        nf.post_value({"like": 0.5}, nf.weights_of("chosen"))


def test_weightings_cover_every_head_and_chosen_matches_the_heads():
    for _, _, _, weights in nf.WEIGHTINGS:
        assert set(weights) == set(nf.HEAD_IDS)
    assert nf.weights_of("chosen") == {head.id: head.weight for head in nf.HEADS}
    with pytest.raises(KeyError):
        nf.weights_of("clicks")


def test_the_weightings_give_three_different_feeds():
    orders = {wid: tuple(nf.ranking_under(wid)) for wid, _, _, _ in nf.WEIGHTINGS}
    assert len(set(orders.values())) == len(orders)


def test_sources_add_up_to_the_problem_statement():
    assert nf.candidates_from_sources() == nf.A.eligible_posts_per_load


def test_latency_stages_fill_the_target():
    assert math.isclose(nf.LATENCY.total_ms(), nf.A.latency_target_ms)


@pytest.mark.parametrize("head_id", sorted(nf.HEAD_EXAMPLE))
def test_head_metrics_match_scikit_learn(head_id):
    labels, predictions = nf.HEAD_EXAMPLE[head_id]
    assert math.isclose(nf.head_auc(head_id), roc_auc_score(labels, predictions))
    assert math.isclose(nf.head_log_loss(head_id), sk_log_loss(labels, predictions))


def test_freshness_halves_every_half_life():
    tau = nf.A.freshness_half_life_hours
    assert nf.freshness_multiplier_for(0) == 1.0
    assert math.isclose(nf.freshness_multiplier_for(tau), 0.5)
    assert math.isclose(nf.freshness_multiplier_for(3 * tau), 0.125)
