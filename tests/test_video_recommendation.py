"""Hand-derived values of snippets/video_recommendation.py (the video recommendation chapter).

Each row: the function, its arguments, the value derived by hand from the assumptions, and the
arithmetic. What every page module shares (declared assumptions, every shown value evaluates,
nothing unused) is checked once for all pages elsewhere.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hand_values import hand_value_test

from snippets import video_recommendation as vr

HAND_VALUES = [
    # Traffic and the funnel
    (vr.avg_qps, (), 34_722.22, "500e6 users x 6 loads / 86,400 s"),
    (vr.peak_qps, (), 104_166.67, "34,722.22 x 3 (house peak factor)"),
    (vr.peak_qps_for, (500e6, 10, 4.0), 231_481.48, "500e6 x 10 / 86,400 x 4"),
    (vr.candidates_from_sources, (), 1_000, "500 + 200 + 150 + 100 + 50"),
    (vr.candidates_ranked, (), 750, "1,000 x (1 - 25% lost to overlap and filters)"),
    (vr.avg_predictions, (), 26_041_666.7, "34,722.22 QPS x 750 candidates"),
    (vr.peak_predictions, (), 78_125_000, "104,166.67 QPS x 750 candidates"),
    (vr.ranking_accelerators, (), 782, "ceil(78.125e6 / 100k per GPU) = ceil(781.25)"),
    (vr.ranking_accelerators_for, (1_500, 104_166.67), 1_563, "ceil(104,166.67 x 1,500 / 100k) = ceil(1,562.5)"),
    (vr.ann_replicas, (), 53, "ceil(104,166.67 / 2,000 per replica) = ceil(52.08)"),
    # Storage and the ANN index
    (vr.video_embedding_bytes, (4,), 102.4e9, "100e6 x 256 x 4 B"),
    (vr.video_embedding_bytes, (2,), 51.2e9, "100e6 x 256 x 2 B"),
    (vr.video_embedding_bytes, (1,), 25.6e9, "100e6 x 256 x 1 B"),
    (vr.user_embedding_bytes, (2,), 256e9, "500e6 x 256 x 2 B"),
    (vr.users_stored, (), 1e9, "500e6 DAU x 2 (MAU/DAU)"),
    (vr.video_feature_store_bytes, (), 100e9, "100e6 videos x 1 kB"),
    (vr.user_feature_store_bytes, (), 2e12, "1e9 users x 2 kB"),
    (vr.index_bytes, ("hnsw_fp32",), 128e9, "100e6 x (256 x 4 + 32 x 2 x 4) = 100e6 x 1,280 B"),
    (vr.index_bytes, ("hnsw_fp16",), 76.8e9, "100e6 x (256 x 2 + 256) = 100e6 x 768 B"),
    (vr.index_bytes, ("ivfpq",), 7.2e9, "100e6 x (64 B code + 8 B id)"),
    (vr.index_shards, ("hnsw_fp32",), 2, "128 GB / 64 GB per host, exactly 2"),
    (vr.index_shards, ("hnsw_fp16",), 2, "ceil(76.8 / 64) = ceil(1.2)"),
    (vr.index_shards, ("ivfpq",), 1, "7.2 GB fits one 64 GB host"),
    (vr.index_fleet_bytes, ("ivfpq",), 381.6e9, "7.2 GB x 53 replicas"),
    (vr.index_fleet_bytes, ("hnsw_fp32",), 6.784e12, "128 GB x 53 replicas"),
    # Latency and fan-out: shares of the 100 ms target
    (vr.stage_budget, ("network",), 15.0, "15% of 100 ms"),
    (vr.stage_budget, ("candidates",), 20.0, "20% of 100 ms"),
    (vr.stage_budget, ("merge",), 5.0, "5% of 100 ms"),
    (vr.stage_budget, ("ranking_features",), 10.0, "10% of 100 ms"),
    (vr.stage_budget, ("ranking",), 25.0, "25% of 100 ms"),
    (vr.stage_budget, ("rerank",), 5.0, "5% of 100 ms"),
    (vr.stage_budget, ("headroom",), 10.0, "10% of 100 ms"),
    (vr.ranking_calls, (), 12, "ceil(750 / 64) = ceil(11.72)"),
    (vr.ranking_calls_for, (640, 64), 10, "an exact multiple does not round up"),
    (vr.ranking_fanout_over, (), 0.113615, "1 - 0.99 ** 12 = 1 - exp(12 ln 0.99) = 1 - 0.886385"),
    (vr.ranking_fanout_within_for, (750, 32), 0.785678, "0.99 ** ceil(750 / 32) = 0.99 ** 24 = exp(-0.241208)"),
    (vr.call_within_probability, (), 0.99, "the house p99"),
    # Training data
    (vr.impressions_per_day, (), 24e9, "500e6 users x 6 loads x 8 cards seen"),
    (vr.positives_per_day, (), 1.2e9, "24e9 x 5% CTR"),
    (vr.training_rows_per_day, (), 3.48e9, "1.2e9 clicks + 22.8e9 unclicked x 10% kept"),
    (vr.training_bytes_per_day, (), 5.22e12, "3.48e9 rows x 1,500 B"),
    (vr.recalibrated_example, (), 0.0909091, "0.5 / (0.5 + 0.5 / 0.1) = 0.5 / 5.5"),
    # The ranking score: weights 1 per minute, like 5, share 10, satisfaction 2, dismissal -20
    (vr.ranking_head_count, (), 5, "watch time, like, share, satisfaction, dislike or dismiss"),
    (vr.example_score, (1,), 2.87, "3.0 + 5 x 0.01 + 10 x 0.002 + 2 x 0.3 - 20 x 0.04 = 3.0 + 0.05 + 0.02 + 0.6 - 0.8"),
    (vr.example_score, (2,), 4.0, "2.2 + 5 x 0.06 + 10 x 0.02 + 2 x 0.7 - 20 x 0.005 = 2.2 + 0.3 + 0.2 + 1.4 - 0.1"),
    # The A/B test. Two-proportion z-test, p1 = 0.4, p2 = 0.4008, pbar = 0.4004, z = 1.959964 and
    # 0.841621: (1.959964 sqrt(2 x 0.4004 x 0.5996) + 0.841621 sqrt(0.4 x 0.6 + 0.4008 x 0.5992))^2
    # / 0.0008^2 = (1.358129 + 0.583189)^2 / 6.4e-7 = 5,888,616.9 -> 5,888,617.
    (vr.ab_sample_per_arm, (), 5_888_617, "see the arithmetic above"),
    (vr.ab_enrol_days, (), 3, "ceil(2 x 5,888,617 / (500e6 x 1%)) = ceil(2.36)"),
    (vr.ab_planned_days, (), 14, "3 days to enrol + 7 measured = 10, rounded up to 2 whole weeks"),
    (vr.ab_burn_in_days, (), 7, "14 days run - 7 measured"),
    # The worked metric example: relevant (gain >= 2) are v17, v42, v90 shown and v77 not shown.
    (vr.example_relevant_count, (), 4, "v17, v42, v90, v77"),
    (vr.example_hits, (5,), 2, "v17 and v42 in the top five"),
    (vr.example_recall, (5,), 0.5, "2 / 4"),
    (vr.example_recall, (8,), 0.75, "v90 joins: 3 / 4"),
    (vr.example_precision, (3,), 2 / 3, "v17 and v42 in the top three"),
    (vr.example_precision, (5,), 0.4, "2 / 5"),
    (vr.example_dcg, (5,), 3.88685, "2/1 + 3/log2(4) + 1/log2(6) = 2 + 1.5 + 0.38685"),
    # IDCG@5 over every judged gain (3, 3, 2, 2, 1) = 3 + 1.89279 + 1 + 0.86135 + 0.38685 = 7.14099.
    (vr.example_ndcg, (5,), 3.88685 / 7.14099, "DCG@5 / IDCG@5 over all judged"),
    # IDCG@5 over the shown list (3, 2, 2, 1, 0) = 3 + 1.26186 + 1 + 0.43068 = 5.69254.
    (vr.example_ndcg_shown_only, (5,), 3.88685 / 5.69254, "DCG@5 / IDCG@5 over the shown list"),
    # Exponential gains 2**g - 1: DCG@5 = 3 + 7/2 + 1/log2(6) = 6.88685;
    # IDCG@5 (7, 7, 3, 3, 1) = 7 + 4.41651 + 1.5 + 1.29203 + 0.38685 = 14.59539.
    (vr.example_ndcg_exponential, (5,), 6.88685 / 14.59539, "exponential DCG@5 / IDCG@5"),
]


test_hand_values = hand_value_test(HAND_VALUES)


def test_smaller_effect_needs_a_longer_test():
    # A 0.1% lift: n = 23,550,559 per arm (same formula, p2 = 0.4004); ceil(2 x 23,550,559 / 5e6)
    # = ceil(9.42) = 10 days to enrol, then 7 measured: 17 days, rounded up to 3 whole weeks.
    plan = replace(vr.AB, relative_mde=0.001)
    assert plan.sample_per_arm() == 23_550_559
    assert plan.enrol_days() == 10
    assert plan.planned_days() == 21


def test_ab_metric_window_follows_enrolment():
    # The measured week starts only after the sample is enrolled.
    assert vr.ab_enrol_days() <= vr.ab_burn_in_days()


def test_ranking_score_is_the_weighted_sum_of_every_head():
    # One unit of each prediction alone scores its weight; the score is additive.
    for head in vr.RANKING_HEADS:
        alone = {h.id: (1.0 if h.id == head.id else 0.0) for h in vr.RANKING_HEADS}
        assert vr.ranking_score(alone) == pytest.approx(head.weight)
    with pytest.raises(KeyError, match="watch"):
        vr.ranking_score({"like": 0.1})


def test_latency_stages_fill_the_target():
    # 15 + 10 + 20 + 5 + 10 + 25 + 5 + 10 = 100 ms, headroom included as a stage.
    assert vr.LATENCY.total_ms() == pytest.approx(100.0)
    assert vr.latency_budget(200.0).stage("ranking").budget_ms == pytest.approx(50.0)  # 25% of 200 ms


def test_fanout_table_rows_follow_the_formula():
    # Five sources: 0.99 ** 5 = 0.950990 -> 95.1% within, 4.9% waiting on a tail call.
    row = next(line for line in vr.fanout_table().splitlines() if line.startswith("| Candidate sources"))
    assert "| 5 | 95.1% | 4.9% |" in row
