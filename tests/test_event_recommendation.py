"""Hand-derived values of snippets/event_recommendation.py (Event recommendation).

Each row: the function, its arguments, the value derived by hand from the assumptions, and the
arithmetic. What every page module shares is checked once in tests/test_pages.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hand_values import hand_value_test

import snippets.event_recommendation as page


def _sig(x: float) -> float:
    return 1 / (1 + math.exp(-x))


# The loss example by hand. Scores 2.0, 1.0, 0.5, -1.0; labels 1, 0, 3, 0 (only "Indie gig" bought).
_POINTWISE = (-math.log(1 - _sig(2.0)) - math.log(1 - _sig(1.0)) - math.log(_sig(0.5))
              - math.log(1 - _sig(-1.0))) / 4
# Ordered pairs: Jazz>Food (2-1), Jazz>Comedy (2+1), Indie>Jazz (0.5-2), Indie>Food (0.5-1), Indie>Comedy (0.5+1)
_PAIRWISE = sum(math.log(1 + math.exp(-d)) for d in (1.0, 3.0, -1.5, -0.5, 1.5))
# Listwise: targets softmax of gains (1, 0, 7, 0); scores softmax of (2, 1, 0.5, -1).
_T = [math.exp(g) for g in (1, 0, 7, 0)]
_S = [math.exp(s) for s in (2.0, 1.0, 0.5, -1.0)]
_LISTWISE = -sum(t / sum(_T) * math.log(s / sum(_S)) for t, s in zip(_T, _S))
# nDCG of the model's order: gains 2^l - 1 = 1, 0, 7, 0 at positions 1..4; ideal 7, 1, 0, 0.
_DCG = 1 / math.log2(2) + 7 / math.log2(4)
_IDCG = 7 / math.log2(2) + 1 / math.log2(3)
# Swapping Indie (position 3) with Jazz (position 1): gains 7, 0, 1, 0.
_DCG_SWAP = 7 + 1 / math.log2(4)
_LAMBDA_INDIE_JAZZ = _sig(1.5) * abs(_DCG_SWAP - _DCG) / _IDCG
# Evaluation example, exponential gain, k = 5.
# Click model labels 1 1 0 3 0 | 1: DCG@5 = 1/1 + 1/log2 3 + 0 + 7/log2 5 + 0; ideal 3,1,1,1,0,0 -> 7 + 1/log2 3 + 1/2 + 1/log2 5
_IDCG5 = 7 + 1 / math.log2(3) + 1 / 2 + 1 / math.log2(5)
_NDCG_CLICKS = (1 + 1 / math.log2(3) + 7 / math.log2(5)) / _IDCG5
# Ticket ranker labels 3 1 1 0 1 | 0: DCG@5 = 7 + 1/log2 3 + 1/2 + 0 + 1/log2 6
_NDCG_TICKETS = (7 + 1 / math.log2(3) + 1 / 2 + 1 / math.log2(6)) / _IDCG5

HAND_VALUES = [
    # Traffic
    (page.lists_per_day, (), 2e7, "10e6 users x 2 loads"),
    (page.avg_lists_per_second, (), 231.4815, "2e7 / 86,400 s"),
    (page.peak_lists_per_second, (), 694.4444, "231.48 x 3 (house peak factor)"),
    (page.impressions_per_day, (), 4e8, "2e7 lists x 20 events"),
    (page.active_share, (), 0.1, "10e6 / 100e6"),
    (page.new_events_per_day, (), 33_333.33, "1e6 events / 30 days"),
    # Funnel
    (page.events_in_radius, (), 5_000, "1e6 x 0.5%"),
    (page.events_in_window, (), 2_500, "5,000 x 50%"),
    (page.ranked_candidates, (), 500, "min(500 kept, 2,500)"),
    (page.peak_light_scores_per_second, (), 1_736_111.1, "694.44 x 2,500"),
    (page.peak_predictions_per_second, (), 347_222.2, "694.44 x 500"),
    (page.feature_values_per_request, (), 3_000, "500 candidates x 6 user-event features"),
    (page.peak_event_lookups_per_second, (), 347_222.2, "694.44 lists/s x 500 events"),
    # Ranking fleet
    (page.node_visits_per_prediction, (), 4_000, "500 trees x depth 8"),
    (page.predictions_per_core, (), 25_000, "1e8 visits/s / 4,000"),
    (page.ranking_cores, (), 24, "ceil(347,222 / (25,000 x 0.6)) = ceil(23.15)"),
    (page.ranking_cores_without_light_ranker, (), 116, "ceil(1,736,111 / 15,000) = ceil(115.7)"),
    (page.ranking_compute_ms, (), 20.0, "500 / 25,000 per s = 0.02 s"),
    # Memory
    (page.event_store_bytes, (), 2e9, "1e6 events x 2,000 B"),
    (page.user_store_bytes, (), 2e11, "100e6 users x 2,000 B"),
    (page.social_graph_bytes, (), 1.2e11, "100e6 x 150 friends x 8 B"),
    (page.geo_index_bytes, (), 6.4e7, "1e6 x 64 B"),
    # Labels and training data
    (page.clicks_per_day, (), 1.2e7, "4e8 x 3%"),
    (page.purchases_per_day, (), 8e5, "4e8 x 0.2%"),
    (page.lists_with_a_click_share, (), 1 - 0.97**20, "1 - 0.97^20 = 1 - 0.5438 = 0.4562"),
    (page.training_rows_per_day, (), 2e7 * (1 - 0.97**20) * 20, "2e7 lists x 0.4562 x 20 rows = 1.825e8"),
    (page.training_bytes_per_day, (), 2e7 * (1 - 0.97**20) * 20 * 400, "1.825e8 x 400 B = 73 GB"),
    (page.retrain_bytes, (), 2e7 * (1 - 0.97**20) * 20 * 400 * 60, "73 GB x 60 days = 4.38 TB"),
    (page.purchases_captured, (), 0.82, "delay table: 82% by day 3"),
    (page.purchases_missed, (), 0.18, "1 - 0.82"),
    (page.wait_share_of_sale_window, (), 0.1, "3 days / 30 days"),
    (page.late_purchases_per_day, (), 144_000, "8e5 x 18%"),
    (page.purchases_arrived_by, (4,), 0.855, "halfway between day 3 (82%) and day 5 (89%)"),
    (page.purchases_arrived_by, (40,), 1.0, "beyond the table: all arrived"),
    # Latency: shares of 200 ms
    (page.stage_budget, ("network",), 20.0, "10% x 200 ms"),
    (page.stage_budget, ("user_features",), 15.0, "7.5% x 200 ms"),
    (page.stage_budget, ("event_features",), 30.0, "15% x 200 ms"),
    (page.stage_budget, ("rank",), 30.0, "15% x 200 ms"),
    (page.stage_budget, ("headroom",), 30.0, "15% x 200 ms"),
    # The three losses on the four-event list
    (page.example_loss, ("pointwise",), _POINTWISE, "mean of -log(1-σ(2)), -log(1-σ(1)), -log σ(0.5), -log(1-σ(-1))"),
    (page.example_loss, ("pairwise",), _PAIRWISE, "Σ log(1 + e^-d) for d = 1, 3, -1.5, -0.5, 1.5"),
    (page.example_loss, ("listwise",), _LISTWISE, "-Σ softmax(1,0,7,0) · log softmax(2,1,0.5,-1)"),
    (page.example_pairs, (), 5, "Jazz>Food, Jazz>Comedy, Indie>Jazz, Indie>Food, Indie>Comedy"),
    (page.example_list_ndcg, (), _DCG / _IDCG, "(1 + 7/2) / (7 + 1/log2 3) = 4.5 / 7.631"),
    (page.largest_lambda, (), _LAMBDA_INDIE_JAZZ, "σ(1.5) x (7.5 - 4.5) / 7.631"),
    # Evaluation example
    (page.example_ndcg, ("clicks",), _NDCG_CLICKS, "(1 + 1/log2 3 + 7/log2 5) / (7 + 1/log2 3 + 1/2 + 1/log2 5)"),
    (page.example_ndcg, ("tickets",), _NDCG_TICKETS, "(7 + 1/log2 3 + 1/2 + 1/log2 6) / same ideal"),
    (page.example_ap, ("clicks",), (1 + 1 + 3 / 4) / 4, "hits at 1, 2, 4 of R = 4 relevant: (1 + 1 + 3/4) / min(4, 5)"),
    (page.example_ap, ("tickets",), (1 + 1 + 1 + 4 / 5) / 4, "hits at 1, 2, 3, 5: (1 + 1 + 1 + 4/5) / 4"),
    (page.example_purchase_ap, ("clicks",), 1 / 4 / 1, "the purchase at position 4: P@4 = 1/4, R = 1"),
    (page.example_purchase_ap, ("tickets",), 1.0, "the purchase at position 1"),
    # A/B test: n = (z_a/2 + z_b)^2 (p1 q1 + p2 q2) / (p2 - p1)^2 with p1 = 0.04, p2 = 0.0408
    (page.ab_sample_per_arm, (), 950_887,
     "(1.95996 + 0.84162)^2 x (0.04 x 0.96 + 0.0408 x 0.9592) / 0.0008^2 = 7.8489 x 0.077535 / 6.4e-7"),
    (page.ab_planned_days, (), 21, "enrol ceil(1,901,774 / 1e6) = 2 days + 14 measured = 16 -> 3 whole weeks"),
]


test_hand_values = hand_value_test(HAND_VALUES)


def test_lambda_is_ranknet_gradient_times_delta_ndcg():
    """Each lambda is the numerical pair gradient of the RankNet loss times |Δ nDCG| of the swap."""
    labels, scores = [1, 0, 3, 0], [2.0, 1.0, 0.5, -1.0]
    eps = 1e-7
    for i, j in page.ordered_pairs(labels):
        pair_only = page.pairwise_loss_for([1, 0], [scores[i], scores[j]]) - page.pairwise_loss_for(
            [1, 0], [scores[i] + eps, scores[j]])
        assert pair_only / eps == pytest.approx(_sig(-(scores[i] - scores[j])), rel=1e-4)
        lam = page.lambda_weight_for(labels, scores, i, j)
        assert lam == pytest.approx(pair_only / eps * page.swap_delta_ndcg(labels, scores, i, j), rel=1e-4)


@pytest.mark.parametrize("seed", range(20))
def test_swap_delta_ndcg_matches_recomputed_ndcg(seed):
    """|Δ nDCG| of a swap equals the difference of two nDCGs recomputed from scratch with scikit-learn."""
    from sklearn.metrics import ndcg_score

    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 4, 6).tolist()
    if max(labels) == 0:
        labels[0] = 1
    scores = rng.normal(0, 1, 6).tolist()
    i, j = 0, 1
    gains = [2**label - 1 for label in labels]
    swapped = list(scores)
    swapped[i], swapped[j] = swapped[j], swapped[i]
    expected = abs(ndcg_score([gains], [swapped]) - ndcg_score([gains], [scores]))
    assert page.swap_delta_ndcg(labels, scores, i, j) == pytest.approx(expected, abs=1e-12)


def test_listwise_loss_is_smallest_for_the_ideal_order():
    labels = [1, 0, 3, 0]
    ideal = [1.0, 0.0, 7.0, 0.0]  # scores equal to the gains: the softmaxes coincide
    assert page.listwise_loss_for(labels, ideal) < page.listwise_loss_for(labels, [2.0, 1.0, 0.5, -1.0])
