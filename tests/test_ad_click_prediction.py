"""Hand-derived values of snippets/ad_click_prediction.py (Ad click prediction).

Each row: the function, its arguments, the value derived by hand from the assumptions, and the
arithmetic. What every page module shares is checked once in tests/test_pages.py.
"""

from __future__ import annotations

import math

import pytest
from hand_values import hand_value_test

import snippets.ad_click_prediction as page

# The worked metric example, by hand. 10,000 impressions, 125 clicks (35 + 50 + 40): CTR 0.0125.
# Model A predicts 0.5%, 2% and 8%; model B 0.2%, 2% and 20%.
_LOG_LOSS_A = -(35 * math.log(0.005) + 6965 * math.log(0.995) + 50 * math.log(0.02) + 2450 * math.log(0.98)
                + 40 * math.log(0.08) + 460 * math.log(0.92)) / 10_000
_LOG_LOSS_B = -(35 * math.log(0.002) + 6965 * math.log(0.998) + 50 * math.log(0.02) + 2450 * math.log(0.98)
                + 40 * math.log(0.2) + 460 * math.log(0.8)) / 10_000
_ENTROPY = -(0.0125 * math.log(0.0125) + 0.9875 * math.log(0.9875))

HAND_VALUES = [
    # Traffic
    (page.auctions_per_day, (), 2e10, "500e6 users x 40 slots"),
    (page.avg_auctions_per_second, (), 231_481.48, "2e10 / 86,400 s"),
    (page.peak_auctions_per_second, (), 694_444.44, "231,481.48 x 3 (house peak factor)"),
    (page.peak_predictions_per_second, (), 1.3888889e9, "694,444.44 auctions/s x 2,000 candidates"),
    (page.peak_user_feature_lookups, (), 41_666_666.7, "694,444.44 x 60 feature values"),
    (page.clicks_per_day, (), 2e8, "2e10 impressions x 1% CTR"),
    # Fleet: predictions/s at peak / (per-unit rate x 60% utilisation), rounded up
    (page.serving_units, ("lr",), 2_315, "1.3889e9 / (1e6 x 0.6) = 2,314.8"),
    (page.serving_units, ("gbdt_lr",), 23_149, "1.3889e9 / (1e5 x 0.6) = 23,148.1"),
    (page.serving_units, ("dcn_cpu",), 231_482, "1.3889e9 / (1e4 x 0.6) = 231,481.5"),
    (page.serving_units, ("dcn_gpu",), 1_158, "1.3889e9 / (2e6 x 0.6) = 1,157.4"),
    (page.serving_units_for, ("dcn_gpu", 200), 116, "694,444 x 200 = 1.3889e8 / 1.2e6 = 115.7"),
    # Embedding tables: rows x 32 dims x bytes
    (page.embedding_rows, (), 1_192_772_160, "1e9 + 2e7 + 5e6 + 40 x 2^22 (4,194,304) = 1e9 + 2.5e7 + 167,772,160"),
    (page.embedding_bytes, (), 152_674_836_480, "1,192,772,160 rows x 32 x 4 B"),
    (page.embedding_bytes, (2,), 76_337_418_240, "1,192,772,160 rows x 32 x 2 B"),
    (page.table_bytes, ("user",), 1.28e11, "1e9 x 32 x 4 B"),
    (page.training_embedding_bytes, (), 305_349_672_960, "152.67 GB x 2 (weight + Adagrad accumulator)"),
    (page.training_shards, (), 2, "ceil(305.35 GB / 256 GB) = ceil(1.19)"),
    (page.ad_feature_cache_bytes, (), 7.68e9, "1e7 ads x (32 x 4 B x 2 vectors + 512 B) = 1e7 x 768 B"),
    (page.joiner_buffer_bytes, (), 6.25e11, "694,444.44 impressions/s x 900 s x 1,000 B"),
    # Training data and downsampling, w = 5%
    (page.training_rows_per_day, (), 1.19e9, "2e8 clicks + 1.98e10 unclicked x 5% = 2e8 + 9.9e8"),
    (page.training_bytes_per_day, (), 5.95e11, "1.19e9 rows x 500 B"),
    (page.retrain_bytes, (), 1.785e13, "5.95e11 B x 30 days"),
    (page.negatives_per_click, (), 4.95, "0.99 x 0.05 / 0.01"),
    (page.sampled_click_rate, (), 0.1680672, "0.01 / (0.01 + 0.99 x 0.05) = 0.01 / 0.0595"),
    (page.recalibrated_average, (), 0.01, "0.16807 / (0.16807 + 0.83193 / 0.05) = 0.16807 / 16.8067"),
    (page.recalibration_input, (), 0.30, "the example's raw output"),
    (page.recalibrated_example, (), 0.0209790, "0.3 / (0.3 + 0.7 / 0.05) = 0.3 / 14.3"),
    (page.uncorrected_overprediction, (), 16.80672, "0.1680672 / 0.01"),
    # Latency: shares 10%, 16%, 10%, 50%, 4%, 10% of 50 ms
    (page.stage_budget, ("network",), 5.0, "10% x 50 ms"),
    (page.stage_budget, ("user_features",), 8.0, "16% x 50 ms"),
    (page.stage_budget, ("inference",), 25.0, "50% x 50 ms"),
    (page.stage_budget, ("calibrate",), 2.0, "4% x 50 ms"),
    (page.stage_budget, ("headroom",), 5.0, "10% x 50 ms"),
    (page.scoring_calls, (), 8, "2,000 / 250"),
    (page.scoring_fanout_over, (), 0.0772553, "1 - 0.99^8 = 1 - 0.9227447"),
    (page.call_quantile, (), 0.99, "the house p99"),
    # The auction: scores A 2 x 1% = 0.020, B 0.5 x 3% = 0.015, C 4 x 0.4% = 0.016 (skewed: 4 x 1% = 0.040)
    (page.auction_price, ("calibrated",), 1.60, "A wins; C's 0.016 / A's pCTR 0.01"),
    (page.auction_price, ("skewed",), 2.00, "C wins; A's 0.020 / C's pCTR 0.01"),
    (page.auction_revenue_per_mille, ("calibrated",), 16.0, "1000 x A's true CTR 0.01 x $1.60"),
    (page.auction_revenue_per_mille, ("skewed",), 8.0, "1000 x C's true CTR 0.004 x $2.00"),
    (page.auction_value_per_mille, ("skewed",), 16.0, "1000 x 0.004 x C's bid $4.00"),
    (page.auction_revenue_loss, (), 0.5, "1 - 8 / 16"),
    (page.auction_click_loss, (), 0.6, "1 - 0.004 / 0.010"),
    (page.skew_factor, (), 2.5, "1% / 0.4%"),
    (page.uniform_scale_price_doubled, (), 1.60, "(2 x 0.016) / (2 x 0.01): the factor cancels"),
    # The worked metric example
    (page.example_ctr, (), 0.0125, "125 clicks / 10,000 impressions"),
    (page.example_background_entropy, (), _ENTROPY, "-(0.0125 ln 0.0125 + 0.9875 ln 0.9875)"),
    (page.example_log_loss, ("A",), _LOG_LOSS_A, "per-segment log terms weighted by counts, over 10,000"),
    (page.example_ne, ("A",), _LOG_LOSS_A / _ENTROPY, "log loss A / background entropy"),
    (page.example_ne, ("B",), _LOG_LOSS_B / _ENTROPY, "log loss B / background entropy"),
    (page.example_calibration, ("A",), 1.0, "(7000 x 0.005 + 2500 x 0.02 + 500 x 0.08) / 125 = 125 / 125"),
    (page.example_calibration, ("B",), 1.312, "(7000 x 0.002 + 2500 x 0.02 + 500 x 0.2) / 125 = 164 / 125"),
    # AUC with ties as one half: wins 40 x 9,415 + 50 x 6,965 = 724,850; ties 35 x 6,965 + 50 x 2,450
    # + 40 x 460 = 384,675; pairs 125 x 9,875 = 1,234,375.
    (page.example_auc, ("A",), 917_187.5 / 1_234_375, "(724,850 + 384,675 / 2) / 1,234,375"),
    (page.example_auc, ("B",), 917_187.5 / 1_234_375, "the same order, so the same AUC"),
    # The A/B test: p1 = 0.25, p2 = 0.25125, pbar = 0.250625; (1.959964 sqrt(2 x 0.250625 x 0.749375)
    # + 0.841621 sqrt(0.25 x 0.75 + 0.25125 x 0.74875))^2 / 0.00125^2 = 1,886,865.6 -> 1,886,866.
    (page.ab_sample_per_arm, (), 1_886_866, "see the arithmetic above"),
    (page.ab_planned_days, (), 14, "ceil(2 x 1,886,866 / 1e7) = 1 day + 7 measured = 8, rounded to 2 weeks"),
    # Continual training
    (page.updates_per_day, (), 24, "24 h x 60 / 60 min"),
    (page.rows_per_update, (), 49_583_333.3, "1.19e9 / 24"),
    (page.clicks_per_update, (), 8_333_333.3, "2e8 / 24"),
    (page.calibration_noise_per_update, (), 3.4641e-4, "1 / sqrt(8,333,333)"),
    (page.calibration_alert_low, (), 0.95, "1 - 5%"),
    (page.calibration_alert_high, (), 1.05, "1 + 5%"),
]


test_hand_values = hand_value_test(HAND_VALUES)


def test_recalibration_inverts_downsampling_for_any_rate():
    # q = p / (p + (1 - p) / w) undoes r' = r / (r + (1 - r) w) exactly, whatever r and w.
    from snippets.kit.estimation import recalibrate_downsampled

    for rate in (0.001, 0.01, 0.05, 0.3):
        for w in (0.01, 0.05, 0.5, 1.0):
            assert recalibrate_downsampled(page.sampled_rate_for(rate, w), w) == pytest.approx(rate)


def test_the_skewed_auction_changes_the_winner_and_a_uniform_scale_does_not():
    assert page.auction_ranking("calibrated")[0].id == "A"
    assert page.auction_ranking("skewed")[0].id == "C"
    assert page.uniform_scale_price(3.0) == pytest.approx(page.auction_price("calibrated"))


def test_model_b_reliability_bins_show_the_overconfidence():
    # Equal-mass bins over model B: the low segment is under-predicted (observed 0.5% vs 0.2%), the
    # high one over-predicted (observed 8% vs 20%).
    labels, scores = page._metric_data("B")
    from snippets.kit.metrics import reliability_curve

    points = reliability_curve(labels, scores, 10, strategy="quantile")
    assert [(round(m, 4), round(o, 4), n) for m, o, n in points] == [
        (0.002, 0.005, 7000), (0.02, 0.02, 2500), (0.2, 0.08, 500)]
