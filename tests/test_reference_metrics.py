"""The metrics reference page's examples and helpers, against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from snippets import reference_metrics as rm
from snippets.metrics import average_precision, expected_calibration_error, roc_auc


def _flat(rows):
    """Nested tuples flattened, for ``pytest.approx``."""
    return [value for row in rows for value in row]

TABLES = [
    rm.ranked_list_table, rm.short_list_table, rm.mrr_table, rm.ap_normalizer_table, rm.dcg_table,
    rm.ndcg_ideal_table, rm.coarse_scores_table, rm.auc_ties_table, rm.pr_points_table,
    rm.calibration_example_table, rm.probability_metrics_table, rm.calibration_direction_table,
    rm.ece_bins_table, rm.gauc_table, rm.iou_table, rm.detections_table, rm.detection_ap_table,
]


@pytest.mark.parametrize("table", TABLES, ids=[t.__name__ for t in TABLES])
def test_tables_are_well_formed(table):
    lines = table().splitlines()
    assert len(lines) >= 3 and all(line.startswith("|") and line.endswith("|") for line in lines)
    widths = {line.count(" | ") for line in lines}
    assert len(widths) == 1, "every row has as many cells as the header"


def test_numbers_are_one_line_and_non_empty():
    for key, value in rm.numbers().items():
        assert value.strip() and "\n" not in value, key


# --- curve helpers ---------------------------------------------------------------------------


def test_precision_recall_points_of_the_tied_example():
    # Labels by score: 0.9 -> [1]; 0.6 -> [1, 0, 0, 0]; 0.3 -> [1, 0]; 0.1 -> [0]; three positives.
    # Cumulative (TP, FP) per threshold: (1, 0), (2, 3), (3, 4), (3, 5).
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
    # Pairs (positive, negative), 15 in all: 0.9 beats 5; 0.6 beats 2, ties 3 (3.5); 0.3 beats 1,
    # ties 1 (1.5). AUC = 10 / 15.
    area = rm.trapezoid_area(rm.roc_points(rm.COARSE_LABELS, rm.COARSE_SCORES))
    assert area == pytest.approx(10 / 15)
    assert area == pytest.approx(roc_auc(rm.COARSE_LABELS, rm.COARSE_SCORES))


def test_step_sum_over_pr_points_is_average_precision():
    # AP = 1/3 * 1 + 1/3 * 2/5 + 1/3 * 3/7 + 0 = (1 + 0.4 + 3/7) / 3
    points = rm.precision_recall_points(rm.COARSE_LABELS, rm.COARSE_SCORES)
    step, previous = 0.0, 0.0
    for _, r, p in points:
        step += (r - previous) * p
        previous = r
    assert step == pytest.approx((1 + 0.4 + 3 / 7) / 3)
    assert step == pytest.approx(average_precision(rm.COARSE_LABELS, rm.COARSE_SCORES))


def test_trapezoid_pr_auc_of_the_tied_example():
    # From (0, 1): 1/3 * (1 + 1)/2 + 1/3 * (1 + 0.4)/2 + 1/3 * (0.4 + 3/7)/2 + 0
    expected = (2 + 1.4 + 0.4 + 3 / 7) / 6
    assert rm.trapezoid_pr_auc(rm.COARSE_LABELS, rm.COARSE_SCORES) == pytest.approx(expected)


def test_curve_helpers_reject_bad_input():
    with pytest.raises(ValueError):
        rm.precision_recall_points([0, 0], [0.1, 0.2])  # no positive
    with pytest.raises(ValueError):
        rm.roc_points([1, 0], [0.1])  # mismatched lengths


def test_reliability_bins_of_the_click_model():
    labels, probabilities = rm._calibration_data()
    # 10 bins: 0.01 and 0.06 share bin 0 (800 rows, sum p = 5 + 18, clicks 17); 0.16 is bin 1.
    assert _flat(rm.reliability_bins(labels, probabilities, 10)) == pytest.approx(
        _flat([(0, 800, 23 / 800, 17 / 800), (1, 200, 0.16, 20 / 200)])
    )
    # 20 bins: 0.01 -> bin 0, 0.06 -> bin 1, 0.16 -> bin 3.
    assert [row[:2] for row in rm.reliability_bins(labels, probabilities, 20)] == [(0, 500), (1, 300), (3, 200)]


def test_reliability_bins_reproduce_ece():
    labels, probabilities = rm._calibration_data()
    for n_bins in (5, 10, 20):
        bins = rm.reliability_bins(labels, probabilities, n_bins)
        ece = sum(n * abs(rate - mean_p) for _, n, mean_p, rate in bins) / len(labels)
        assert ece == pytest.approx(expected_calibration_error(labels, probabilities, n_bins))


def test_reliability_bins_put_one_in_the_last_bin():
    assert rm.reliability_bins([1, 0], [1.0, 0.0], 4) == [(0, 1, 0.0, 0.0), (3, 1, 1.0, 1.0)]


# --- the worked examples' values, by hand ----------------------------------------------------


def test_ap_at_5_disagreement():
    n = rm.numbers()
    # Query A: hits at 1 and 3, P@1 = 1, P@3 = 2/3, sum 5/3; "min" divides by min(5, 5), "hits" by 2.
    assert n["ap_a_min"] == "0.333" and n["ap_a_hits"] == "0.833"
    # Query B: hits at 1, 3, 4: 1 + 2/3 + 3/4 = 29/12; by 5, by 3, by 8.
    assert n["ap_b_min"] == f"{29 / 60:.3f}"
    assert n["ap_b_hits"] == f"{29 / 36:.3f}"
    assert n["ap_b_relevant"] == f"{29 / 96:.3f}"


def test_mrr_with_and_without_cutoff():
    n = rm.numbers()
    assert n["mrr"] == f"{(1 + 1 / 3 + 1 / 6) / 3:.3f}"  # 0.500
    assert n["mrr_k"] == f"{(1 + 1 / 3 + 0) / 3:.3f}"  # first hit at 6 is beyond k = 5


def test_short_list_precision():
    n = rm.numbers()
    assert n["short_p_k"] == "0.400"  # 2 hits / 5
    assert n["short_p_len"] == "0.667"  # 2 hits / 3


def test_ndcg_gains_and_ideal():
    d = [1 / math.log2(i + 1) for i in range(1, 8)]
    grades = [3, 2, 3, 0, 1, 2]
    dcg_lin = sum(g * w for g, w in zip(grades, d))
    dcg_exp = sum((2**g - 1) * w for g, w in zip(grades, d))
    ideal = [3, 3, 2, 2, 1, 0]
    idcg_lin = sum(g * w for g, w in zip(ideal, d))
    idcg_exp = sum((2**g - 1) * w for g, w in zip(ideal, d))
    judged = [3, 3, 3, 2, 2, 1]  # the unreturned grade-3 item joins the ideal top six
    n = rm.numbers()
    assert n["ndcg_linear"] == f"{dcg_lin / idcg_lin:.3f}" == "0.961"
    assert n["ndcg_exponential"] == f"{dcg_exp / idcg_exp:.3f}" == "0.949"
    assert n["ndcg_linear_judged"] == f"{dcg_lin / sum(g * w for g, w in zip(judged, d)):.3f}"
    assert n["ndcg_exponential_judged"] == f"{dcg_exp / sum((2**g - 1) * w for g, w in zip(judged, d)):.3f}"


def test_auc_tie_treatments():
    n = rm.numbers()
    assert n["auc_ties"] == f"{10 / 15:.3f}"
    assert n["auc_optimistic"] == f"{12 / 15:.3f}"  # 0.9 -> 5, 0.6 -> 5, 0.3 -> 2
    assert n["auc_pessimistic"] == f"{8 / 15:.3f}"  # 0.9 -> 5, 0.6 -> 2, 0.3 -> 1


def test_calibration_example():
    n = rm.numbers()
    # Expected clicks 500 * 0.01 + 300 * 0.06 + 200 * 0.16 = 5 + 18 + 32 = 55; observed 8 + 9 + 20 = 37.
    assert n["expected_clicks"] == "55" and n["clicks"] == "37"
    assert n["calibration_ratio"] == f"{55 / 37:.3f}"
    assert n["calibration_inverse"] == f"{37 / 55:.3f}"
    # ECE = sum over bins of |clicks - sum p| / 1000: 5 bins |37 - 55|; 10 bins |17 - 23| + |20 - 32|;
    # 20 bins |8 - 5| + |9 - 18| + |20 - 32|.
    assert n["ece_5"] == f"{18 / 1000:.3f}"
    assert n["ece_10"] == f"{18 / 1000:.3f}"
    assert n["ece_20"] == f"{24 / 1000:.3f}"


def test_log_loss_and_ne_of_the_click_model():
    total = 0.0
    for impressions, p, clicks in rm.CALIBRATION_GROUPS:
        total -= clicks * math.log(p) + (impressions - clicks) * math.log(1 - p)
    loss = total / 1000
    rate = 37 / 1000
    entropy = -(rate * math.log(rate) + (1 - rate) * math.log(1 - rate))
    n = rm.numbers()
    assert n["log_loss"] == f"{loss:.4f}"
    assert n["ne"] == f"{loss / entropy:.3f}"


def test_grouped_versus_global_auc():
    n = rm.numbers()
    # Within each user: one of two positive-negative pairs ordered right -> 0.5 each.
    assert n["gauc"] == "0.500"
    # Pooled: positives 0.9, 0.8, 0.2 beat 3, 2 and 1 of the negatives 0.85, 0.3, 0.1 -> 6 / 9.
    assert n["global_auc"] == f"{6 / 9:.3f}"


def test_iou_examples():
    values = [float(line.split("|")[-2]) for line in rm.iou_table().splitlines()[2:]]
    # identical; 90/110; 64/100; 80/120; 50/150; disjoint
    assert values == pytest.approx([1.0, 0.818, 0.64, 0.667, 0.333, 0.0], abs=5e-4)


def test_detection_ap_by_interpolation_and_threshold():
    n = rm.numbers()
    # IoU 0.5: TP, FP, TP, TP, FP over 4 objects; recall .25 .25 .5 .75 .75, precision 1 .5 2/3 .75 .6;
    # interpolated precision 1, .75, .75, .75, .6.
    assert n["det_ap50_all"] == f"{0.25 * 1 + 0.25 * 0.75 + 0.25 * 0.75:.3f}"  # 0.625
    # 101 points: r = 0..0.25 (26 points) -> 1; 0.26..0.75 (50 points) -> 0.75; the rest -> 0.
    assert n["det_ap50_coco"] == f"{(26 + 50 * 0.75) / 101:.3f}"
    # IoU 0.75: the 0.667 detection becomes a FP: TP, FP, TP, FP, FP; interpolated 1, 2/3, 2/3, .5, .4.
    assert n["det_ap75_all"] == f"{0.25 * 1 + 0.25 * 2 / 3:.3f}"
    assert n["det_ap75_coco"] == f"{(26 + 25 * 2 / 3) / 101:.3f}"


def test_detection_ap_mean_over_coco_thresholds():
    # IoU 0.50-0.65: as at 0.5; 0.70-0.80: as at 0.75 (the 0.818 detection still matches at 0.80);
    # 0.85-0.95: only the exact hit counts, recall 0.25 at precision 1.
    all_points = (4 * 0.625 + 3 * (0.25 + 0.25 * 2 / 3) + 3 * 0.25) / 10
    coco = (4 * (26 + 50 * 0.75) / 101 + 3 * (26 + 25 * 2 / 3) / 101 + 3 * 26 / 101) / 10
    last = rm.detection_ap_table().splitlines()[-1].split("|")
    assert float(last[2]) == pytest.approx(all_points, abs=5e-4)
    assert float(last[3]) == pytest.approx(coco, abs=5e-4)
