"""Hand-derived values of snippets/reference/metrics.py (the metrics reference page's examples).

Each row: the function, its arguments, the value worked out by hand from the example data, and the
arithmetic. The metrics themselves are tested against scikit-learn in tests/test_kit_metrics.py; here
the curve helpers are checked against known values and against the library they must agree with.
What every page module shares is checked once for all pages in tests/test_pages.py.
"""

from __future__ import annotations

from math import log, log2

import pytest

from snippets.kit.metrics import average_precision, expected_calibration_error, roc_auc
from snippets.reference import metrics as rm

# nDCG@6 of the grades 3, 2, 3, 0, 1, 2 (discount 1/log2(i + 1), position i from 1).
DCG_LINEAR = 3 + 2 / log2(3) + 3 / 2 + 0 + 1 / log2(6) + 2 / log2(7)
DCG_EXP = 7 + 3 / log2(3) + 7 / 2 + 0 + 1 / log2(6) + 3 / log2(7)  # gains 2^g - 1
IDEAL_LINEAR = 3 + 3 / log2(3) + 2 / 2 + 2 / log2(5) + 1 / log2(6)  # 3, 3, 2, 2, 1, 0
IDEAL_EXP = 7 + 7 / log2(3) + 3 / 2 + 3 / log2(5) + 1 / log2(6)
JUDGED_LINEAR = 3 + 3 / log2(3) + 3 / 2 + 2 / log2(5) + 2 / log2(6) + 1 / log2(7)  # 3, 3, 3, 2, 2, 1
JUDGED_EXP = 7 + 7 / log2(3) + 7 / 2 + 3 / log2(5) + 3 / log2(6) + 1 / log2(7)

# The click model: 500 at p = 0.01 (8 clicks), 300 at 0.06 (9), 200 at 0.16 (20); 1,000 rows, 37 clicks.
LOG_LOSS = -(8 * log(0.01) + 492 * log(0.99) + 9 * log(0.06) + 291 * log(0.94)
             + 20 * log(0.16) + 180 * log(0.84)) / 1000
ENTROPY = -(0.037 * log(0.037) + 0.963 * log(0.963))

HAND_VALUES = [
    # Query A: d1, d9, d2, d8, d7 with d1..d5 relevant: hits at 1 and 3, R = 5.
    (rm.precision_at, (1,), 1.0, "d1 is relevant: 1/1"),
    (rm.precision_at, (5,), 0.4, "2 hits / 5"),
    (rm.recall_at, (5,), 0.4, "2 hits / R = 5"),
    (rm.short_list_precision, (), 0.4, "s1, s3 relevant of s1, s2, s3: 2 hits / k = 5"),
    (rm.short_list_precision, (True,), 2 / 3, "2 hits / min(5, 3)"),
    (rm.mrr, (), 0.5, "(1/1 + 1/3 + 1/6) / 3"),
    (rm.mrr_at_k, (), 4 / 9, "(1 + 1/3 + 0) / 3: the first hit at 6 is beyond k = 5"),
    # AP@5: query A sums P@1 + P@3 = 1 + 2/3 = 5/3; query B (hits at 1, 3, 4; R = 8) 1 + 2/3 + 3/4 = 29/12.
    (rm.ap_at_k, ("A",), 1 / 3, "5/3 / min(R = 5, k = 5)"),
    (rm.ap_at_k_hits, ("A",), 5 / 6, "5/3 / 2 hits"),
    (rm.ap_at_k, ("A", "relevant"), 1 / 3, "5/3 / R = 5"),
    (rm.ap_at_k, ("B",), 29 / 60, "29/12 / min(8, 5)"),
    (rm.ap_at_k_hits, ("B",), 29 / 36, "29/12 / 3 hits"),
    (rm.ap_at_k, ("B", "relevant"), 29 / 96, "29/12 / R = 8"),
    (rm.map_at_k, ("min",), 49 / 120, "(1/3 + 29/60) / 2"),
    (rm.map_at_k, ("hits",), 59 / 72, "(5/6 + 29/36) / 2"),
    (rm.map_at_k, ("relevant",), 61 / 192, "(1/3 + 29/96) / 2"),
    (rm.dcg, ("linear",), DCG_LINEAR, "3 + 2/log2 3 + 3/2 + 1/log2 6 + 2/log2 7 = 6.861"),
    (rm.ideal_dcg, ("exponential",), IDEAL_EXP, "7 + 7/log2 3 + 3/2 + 3/log2 5 + 1/log2 6 = 14.595"),
    (rm.ndcg, ("linear",), DCG_LINEAR / IDEAL_LINEAR, "6.861 / 7.141 = 0.961"),
    (rm.ndcg, ("exponential",), DCG_EXP / IDEAL_EXP, "13.848 / 14.595 = 0.949"),
    (rm.ndcg_all_judged, ("linear",), DCG_LINEAR / JUDGED_LINEAR, "the unreturned 3 joins the ideal: / 8.384"),
    (rm.ndcg_all_judged, ("exponential",), DCG_EXP / JUDGED_EXP, "/ 17.725"),
    # Tied scorer, labels by score: 0.9 [1]; 0.6 [1, 0, 0, 0]; 0.3 [1, 0]; 0.1 [0]; 3 x 5 = 15 pairs.
    (rm.coarse_roc_auc, ("half",), 10 / 15, "0.9 beats 5; 0.6 beats 2 ties 3 (3.5); 0.3 beats 1 ties 1 (1.5)"),
    (rm.coarse_roc_auc, ("optimistic",), 12 / 15, "ties won: 5 + 5 + 2"),
    (rm.coarse_roc_auc, ("pessimistic",), 8 / 15, "ties lost: 5 + 2 + 1"),
    (rm.coarse_average_precision, (), (1 + 0.4 + 3 / 7) / 3, "recall steps of 1/3 at precision 1, 2/5, 3/7"),
    (rm.coarse_trapezoid_pr_auc, (), (2 + 1.4 + 0.4 + 3 / 7) / 6, "from (0, 1): 1/3 x mean precision, per step"),
    (rm.impressions, (), 1000, "500 + 300 + 200"),
    (rm.clicks, (), 37, "8 + 9 + 20"),
    (rm.expected_clicks, (), 55, "500 x 0.01 + 300 x 0.06 + 200 x 0.16 = 5 + 18 + 32"),
    (rm.click_rate, (), 0.037, "37 / 1,000"),
    (rm.click_log_loss, (), LOG_LOSS, "-(8 ln .01 + 492 ln .99 + 9 ln .06 + 291 ln .94 + 20 ln .16 + 180 ln .84) / 1000"),
    (rm.baseline_log_loss, (), ENTROPY, "predicting the click rate costs H(0.037)"),
    (rm.click_ne, (), LOG_LOSS / ENTROPY, "0.1531 / H(0.037) = 0.1531 / 0.1583"),
    (rm.calibration_ratio, (), 55 / 37, "expected / observed"),
    (rm.calibration_inverse, (), 37 / 55, "observed / expected"),
    (rm.over_prediction, (), 18 / 37, "55/37 - 1"),
    (rm.ece, (5,), 18 / 1000, "one bin [0, 0.2): |37 - 55| / 1000"),
    (rm.ece, (10,), 18 / 1000, "0.01 and 0.06 share bin 0: (|17 - 23| + |20 - 32|) / 1000"),
    (rm.ece, (20,), 24 / 1000, "(|8 - 5| + |9 - 18| + |20 - 32|) / 1000"),
    (rm.gauc, (), 0.5, "each user orders one of two positive-negative pairs right"),
    (rm.global_auc, (), 6 / 9, "positives 0.9, 0.8, 0.2 beat 3, 2, 1 of the negatives 0.85, 0.3, 0.1"),
    # IoU: intersection / union of 10 x 10 boxes (area 100).
    (rm.iou, ("same",), 1.0, "100 / 100"),
    (rm.iou, ("shifted_by_1",), 90 / 110, "9 x 10 / (200 - 90)"),
    (rm.iou, ("inner",), 64 / 100, "8 x 8 inside 10 x 10"),
    (rm.iou, ("shifted_by_2",), 80 / 120, "8 x 10 / (200 - 80)"),
    (rm.iou, ("shifted_by_half",), 50 / 150, "5 x 10 / (200 - 50)"),
    (rm.iou, ("disjoint",), 0.0, "no overlap"),
    (rm.n_objects, (), 4, "two objects in each of two images"),
    (rm.n_detections, (), 5, "five detections"),
    # IoU 0.5: TP, FP, TP, TP, FP over 4 objects; recall .25 .25 .5 .75 .75, precision 1 .5 2/3 .75 .6;
    # interpolated precision 1, .75, .75, .75, .6.
    (rm.detection_ap, (0.5,), 0.625, "0.25 x 1 + 0.25 x 0.75 + 0.25 x 0.75"),
    (rm.detection_ap_101, (0.5,), (26 + 50 * 0.75) / 101, "r = 0..0.25: 1 (26 points); 0.26..0.75: 0.75 (50)"),
    # IoU 0.75: the 80/120 detection turns false positive: TP, FP, TP, FP, FP; interpolated 1, 2/3, 2/3, .5, .4.
    (rm.detection_ap, (0.75,), 0.25 + 0.25 * 2 / 3, "0.25 x 1 + 0.25 x 2/3"),
    (rm.detection_ap_101, (0.75,), (26 + 25 * 2 / 3) / 101, "26 points at 1, 25 at 2/3"),
    # COCO's ten thresholds: 0.50-0.65 as at 0.5; 0.70-0.80 as at 0.75 (the 90/110 = 0.818 detection
    # still matches at 0.80); 0.85-0.95 only the exact hit counts: recall 0.25 at precision 1.
    (rm.coco_mean_ap, ("all_points",), (4 * 0.625 + 3 * (0.25 + 0.25 * 2 / 3) + 3 * 0.25) / 10, "see above"),
    (rm.coco_mean_ap, ("coco101",),
     (4 * (26 + 50 * 0.75) / 101 + 3 * (26 + 25 * 2 / 3) / 101 + 3 * 26 / 101) / 10, "see above"),
]


@pytest.mark.parametrize(("function", "args", "expected", "arithmetic"), HAND_VALUES,
                         ids=[f"{f.__name__}{list(a) if a else ''}" for f, a, _, _ in HAND_VALUES])
def test_hand_values(function, args, expected, arithmetic):
    assert function(*args) == pytest.approx(expected, rel=1e-9, abs=1e-12), arithmetic


def test_grades_are_the_nDCG_example():
    assert rm.grades() == (3, 2, 3, 0, 1, 2)


# --- curve helpers ---------------------------------------------------------------------------


def _flat(rows):
    """Nested tuples flattened, for ``pytest.approx``."""
    return [value for row in rows for value in row]


def test_precision_recall_points_of_the_tied_example():
    # Cumulative (TP, FP) per threshold: (1, 0), (2, 3), (3, 4), (3, 5); three positives.
    expected = [(0.9, 1 / 3, 1.0), (0.6, 2 / 3, 2 / 5), (0.3, 1.0, 3 / 7), (0.1, 1.0, 3 / 8)]
    got = rm.precision_recall_points(rm.COARSE_LABELS, rm.COARSE_SCORES)
    assert _flat(got) == pytest.approx(_flat(expected))


def test_roc_points_of_the_tied_example():
    # Five negatives, three positives; (FP/5, TP/3) after each threshold, from (0, 0).
    expected = [(0, 0), (0, 1 / 3), (3 / 5, 2 / 3), (4 / 5, 1), (1, 1)]
    assert _flat(rm.roc_points(rm.COARSE_LABELS, rm.COARSE_SCORES)) == pytest.approx(_flat(expected))


def test_trapezoid_area_of_simple_shapes():
    assert rm.trapezoid_area([(0, 0), (1, 1)]) == pytest.approx(0.5)  # triangle
    assert rm.trapezoid_area([(0, 1), (0.5, 1), (1, 0)]) == pytest.approx(0.75)  # 0.5 + 0.25
    with pytest.raises(ValueError):
        rm.trapezoid_area([(0, 0)])


def test_trapezoid_under_roc_is_auc_with_half_ties():
    area = rm.trapezoid_area(rm.roc_points(rm.COARSE_LABELS, rm.COARSE_SCORES))
    assert area == pytest.approx(10 / 15)
    assert area == pytest.approx(roc_auc(rm.COARSE_LABELS, rm.COARSE_SCORES))


def test_step_sum_over_pr_points_is_average_precision():
    step, previous = 0.0, 0.0
    for _, r, p in rm.precision_recall_points(rm.COARSE_LABELS, rm.COARSE_SCORES):
        step += (r - previous) * p
        previous = r
    assert step == pytest.approx(average_precision(rm.COARSE_LABELS, rm.COARSE_SCORES))


def test_curve_helpers_reject_bad_input():
    with pytest.raises(ValueError):
        rm.precision_recall_points([0, 0], [0.1, 0.2])  # no positive
    with pytest.raises(ValueError):
        rm.roc_points([1, 0], [0.1])  # mismatched lengths


def test_reliability_bins_of_the_click_model():
    labels, probabilities = rm.click_model_data()
    # 10 bins: 0.01 and 0.06 share bin 0 (800 rows, sum p = 5 + 18, clicks 17); 0.16 is bin 1.
    assert _flat(rm.reliability_bins(labels, probabilities, 10)) == pytest.approx(
        _flat([(0, 800, 23 / 800, 17 / 800), (1, 200, 0.16, 20 / 200)])
    )
    # 20 bins: 0.01 -> bin 0, 0.06 -> bin 1, 0.16 -> bin 3.
    assert [row[:2] for row in rm.reliability_bins(labels, probabilities, 20)] == [(0, 500), (1, 300), (3, 200)]


def test_reliability_bins_reproduce_ece():
    labels, probabilities = rm.click_model_data()
    for n_bins in rm.ECE_BIN_COUNTS:
        bins = rm.reliability_bins(labels, probabilities, n_bins)
        ece = sum(n * abs(rate - mean_p) for _, n, mean_p, rate in bins) / len(labels)
        assert ece == pytest.approx(expected_calibration_error(labels, probabilities, n_bins))


def test_reliability_bins_put_one_in_the_last_bin():
    assert rm.reliability_bins([1, 0], [1.0, 0.0], 4) == [(0, 1, 0.0, 0.0), (3, 1, 1.0, 1.0)]
