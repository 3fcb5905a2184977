"""Tests for snippets.kit.metrics: hand-computed values, then properties against reference libraries.

Expected values are derived by hand (the arithmetic is in the comments) or computed by
scikit-learn, scipy and pycocotools; where our convention differs from a library's on purpose,
the test checks the exact relation between the two rather than skipping the case.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval
import cv2
from scipy.stats import mannwhitneyu
from sklearn.calibration import calibration_curve
from sklearn.metrics import average_precision_score as sk_average_precision
from sklearn.metrics import dcg_score as sk_dcg
from sklearn.metrics import label_ranking_average_precision_score as sk_lrap
from sklearn.metrics import log_loss as sk_log_loss
from sklearn.metrics import ndcg_score as sk_ndcg
from sklearn.metrics import precision_score as sk_precision
from sklearn.metrics import recall_score as sk_recall
from sklearn.metrics import roc_auc_score as sk_roc_auc
from sklearn.metrics import top_k_accuracy_score as sk_top_k_accuracy

from snippets.kit.metrics import (
    hit_rate_at_k,
    average_precision,
    average_precision_at_k,
    binary_entropy,
    calibration_ratio,
    coco_average_precision,
    dcg_at_k,
    detection_average_precision,
    expected_calibration_error,
    grouped_auc,
    iou,
    log_loss,
    mean_average_precision,
    mean_reciprocal_rank,
    ndcg_at_k,
    non_max_suppression,
    normalized_entropy,
    precision_at_k,
    recall_at_k,
    reciprocal_rank,
    reliability_curve,
    roc_auc,
)

# Deterministic (no random seed, no example database written to disk) and fast.
PROPERTY = settings(derandomize=True, database=None, deadline=None, max_examples=150)

# --- strategies -------------------------------------------------------------------------------

items = st.integers(min_value=0, max_value=15)
ranked_lists = st.lists(items, min_size=1, max_size=12, unique=True)
relevant_sets = st.sets(items, max_size=8)
ks = st.integers(min_value=1, max_value=15)
grades = st.integers(min_value=0, max_value=4)
# Scores from a tiny pool produce many ties; the float branch produces distinct values.
scores = st.one_of(
    st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]),
    st.floats(min_value=-1e3, max_value=1e3, allow_nan=False),
)
probabilities = st.floats(min_value=0.0, max_value=1.0)


@st.composite
def labelled_scores(draw: st.DrawFn, both_classes: bool = True) -> tuple[list[int], list[float]]:
    """Labels (both classes present when asked) and scores of the same length."""
    n = draw(st.integers(min_value=2, max_value=30))
    labels = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    if both_classes and len(set(labels)) == 1:
        index = draw(st.integers(0, n - 1))
        labels[index] = 1 - labels[index]
    values = draw(st.lists(scores, min_size=n, max_size=n))
    return labels, values


def _with_both(labels: list[int]) -> bool:
    return 0 < sum(labels) < len(labels)


# --- precision, recall, reciprocal rank: hand values -----------------------------------------

RANKED = ["a", "b", "c", "d", "e"]
RELEVANT = {"b", "d", "x"}  # "x" is relevant but never retrieved


def test_precision_at_k_hand_values() -> None:
    # top 3 = a, b, c: one hit (b) -> 1/3; top 5: two hits (b, d) -> 2/5.
    assert precision_at_k(RANKED, RELEVANT, 3) == pytest.approx(1 / 3)
    assert precision_at_k(RANKED, RELEVANT, 5) == pytest.approx(2 / 5)
    # k beyond the list: the divisor stays k, so 2 hits / 10.
    assert precision_at_k(RANKED, RELEVANT, 10) == pytest.approx(0.2)


def test_recall_at_k_hand_values() -> None:
    # R = 3 relevant items; top 2 holds b -> 1/3; top 5 holds b, d -> 2/3 (x is never found).
    assert recall_at_k(RANKED, RELEVANT, 2) == pytest.approx(1 / 3)
    assert recall_at_k(RANKED, RELEVANT, 5) == pytest.approx(2 / 3)


def test_reciprocal_rank_hand_values() -> None:
    # The first relevant item, b, is at position 2 -> 1/2; with k = 1 it is out of range -> 0.
    assert reciprocal_rank(RANKED, RELEVANT) == pytest.approx(0.5)
    assert reciprocal_rank(RANKED, RELEVANT, k=2) == pytest.approx(0.5)
    assert reciprocal_rank(RANKED, RELEVANT, k=1) == 0.0
    assert reciprocal_rank(RANKED, {"z"}) == 0.0


def test_mean_reciprocal_rank_hand_value() -> None:
    # Query 1: 1/2. Query 2: first hit "r" at position 3 -> 1/3. Query 3: no hit -> 0.
    # MRR = (1/2 + 1/3 + 0) / 3 = 5/18. With k = 2 query 2 drops to 0: (1/2) / 3 = 1/6.
    queries = [(RANKED, RELEVANT), (["p", "q", "r"], {"r"}), (["s"], {"t"})]
    assert mean_reciprocal_rank(queries) == pytest.approx(5 / 18)
    assert mean_reciprocal_rank(queries, k=2) == pytest.approx(1 / 6)


# --- AP@k: the normaliser disagreement -------------------------------------------------------


def test_average_precision_at_k_normaliser_disagreement() -> None:
    # A list on which the AP@k conventions disagree: relevant = {1..5}, ranked = [1, 9, 2, 8, 7], k = 5.
    # Kaggle's ml_metrics.apk divides by min(R, k) (0.333); torchmetrics' retrieval_average_precision
    # by the hits within the top k (0.833).
    # Hits at positions 1 and 3: P@1 = 1, P@3 = 2/3, sum = 5/3.
    # "min": N = min(5, 5) = 5 -> 1/3 = 0.333; "hits": N = 2 -> 5/6 = 0.833;
    # "relevant": N = R = 5 -> 0.333.
    ranked, relevant = [1, 9, 2, 8, 7], {1, 2, 3, 4, 5}
    assert average_precision_at_k(ranked, relevant, 5) == pytest.approx(1 / 3)
    assert average_precision_at_k(ranked, relevant, 5, normalizer="min") == pytest.approx(1 / 3)
    assert average_precision_at_k(ranked, relevant, 5, normalizer="hits") == pytest.approx(5 / 6)
    assert average_precision_at_k(ranked, relevant, 5, normalizer="relevant") == pytest.approx(
        1 / 3
    )
    assert round(average_precision_at_k(ranked, relevant, 5, "min"), 3) == 0.333
    assert round(average_precision_at_k(ranked, relevant, 5, "hits"), 3) == 0.833


def test_average_precision_at_k_when_k_is_below_r() -> None:
    # relevant = {a, b, c}, ranked = [a, x, b], k = 2: one hit at 1, sum = 1.
    # "min": N = min(3, 2) = 2 -> 0.5; "hits": N = 1 -> 1; "relevant": N = 3 -> 1/3.
    ranked, relevant = ["a", "x", "b"], {"a", "b", "c"}
    assert average_precision_at_k(ranked, relevant, 2, "min") == pytest.approx(0.5)
    assert average_precision_at_k(ranked, relevant, 2, "hits") == pytest.approx(1.0)
    assert average_precision_at_k(ranked, relevant, 2, "relevant") == pytest.approx(1 / 3)


@pytest.mark.parametrize("normalizer", ["min", "hits", "relevant"])
def test_average_precision_at_k_is_zero_when_divisor_is_zero(normalizer: str) -> None:
    assert average_precision_at_k(["a", "b"], set(), 2, normalizer) == 0.0
    assert average_precision_at_k(["a", "b"], {"z"}, 2, normalizer) == 0.0


def test_mean_average_precision_hand_value() -> None:
    # Query 1 ("min"): 1/3 as above. Query 2: relevant {q}, ranked [p, q], hit at 2 -> P@2 = 1/2,
    # N = min(1, 5) = 1 -> 1/2. MAP = (1/3 + 1/2) / 2 = 5/12.
    queries = [([1, 9, 2, 8, 7], {1, 2, 3, 4, 5}), (["p", "q"], {"q"})]
    assert mean_average_precision(queries, 5) == pytest.approx(5 / 12)
    # "hits": (5/6 + 1/2) / 2 = 2/3.
    assert mean_average_precision(queries, 5, normalizer="hits") == pytest.approx(2 / 3)


# --- DCG and nDCG: hand values ---------------------------------------------------------------

GRADED = [3, 2, 3, 0, 1, 2]


def test_ndcg_linear_versus_exponential_gain() -> None:
    # Linear:  DCG  = 3 + 2/log2(3) + 3/2 + 0 + 1/log2(6) + 2/log2(7)
    #               = 3 + 1.26186 + 1.5 + 0.38685 + 0.71241 = 6.86113
    #          IDCG = [3,3,2,2,1,0]: 3 + 1.89279 + 1 + 0.86135 + 0.38685 = 7.14100
    #          nDCG = 0.96081 -> 0.961
    # Exponential gains 2^g - 1 = [7,3,7,0,1,3]:
    #          DCG  = 7 + 1.89279 + 3.5 + 0.38685 + 1.06862 = 13.84826
    #          IDCG = [7,7,3,3,1,0]: 7 + 4.41651 + 1.5 + 1.29203 + 0.38685 = 14.59539
    #          nDCG = 0.94881 -> 0.949
    linear = ndcg_at_k(GRADED, 6)
    exponential = ndcg_at_k(GRADED, 6, gain="exponential")
    assert linear == pytest.approx(0.96081, abs=1e-5)
    assert exponential == pytest.approx(0.94881, abs=1e-5)
    assert (round(linear, 3), round(exponential, 3)) == (0.961, 0.949)


def test_dcg_at_k_hand_values() -> None:
    # k = 2: 3 + 2/log2(3) = 4.26186; exponential: 7 + 3/log2(3) = 8.89279.
    assert dcg_at_k(GRADED, 2) == pytest.approx(4.26186, abs=1e-5)
    assert dcg_at_k(GRADED, 2, gain="exponential") == pytest.approx(8.89279, abs=1e-5)
    # k beyond the list sums all six positions: 6.86113 (see above).
    assert dcg_at_k(GRADED, 50) == pytest.approx(6.86113, abs=1e-5)


def test_ndcg_with_ideal_gains_over_all_judged_items() -> None:
    # Retrieved [3, 0]; all judged items [3, 0, 3]. DCG@2 = 3.
    # IDCG@2 over the retrieved list [3, 0] = 3 -> nDCG 1.
    # IDCG@2 over all judged items [3, 3] = 3 + 3/log2(3) = 4.89279 -> nDCG 0.61315.
    assert ndcg_at_k([3, 0], 2) == pytest.approx(1.0)
    assert ndcg_at_k([3, 0], 2, ideal_gains=[3, 0, 3]) == pytest.approx(0.61315, abs=1e-5)


def test_ndcg_is_zero_without_relevant_items() -> None:
    assert ndcg_at_k([0, 0, 0], 3) == 0.0
    assert ndcg_at_k([0, 0], 2, gain="exponential", ideal_gains=[0, 0, 0]) == 0.0


# --- classification: hand values -------------------------------------------------------------


def test_roc_auc_counts_ties_as_half() -> None:
    # Positives score 0.5, 0.5; negatives 0.1, 0.5. Each positive beats 0.1 (1) and ties 0.5
    # (1/2): (1.5 + 1.5) / (2 * 2) = 0.75.
    assert roc_auc([0, 1, 1, 0], [0.1, 0.5, 0.5, 0.5]) == pytest.approx(0.75)
    # Perfect separation and perfect inversion.
    assert roc_auc([0, 0, 1], [0.1, 0.2, 0.3]) == 1.0
    assert roc_auc([1, 0, 0], [0.1, 0.2, 0.3]) == 0.0


def test_average_precision_hand_values() -> None:
    # y = [1, 0, 1], scores 0.9 > 0.8 > 0.7. Thresholds: 0.9 -> R = 1/2, P = 1: adds 1/2;
    # 0.8 -> R unchanged; 0.7 -> R = 1, P = 2/3: adds 1/2 * 2/3. AP = 1/2 + 1/3 = 5/6.
    assert average_precision([1, 0, 1], [0.9, 0.8, 0.7]) == pytest.approx(5 / 6)
    # Tied scores form one threshold: {0.5: two positives, one negative} -> R = 1, P = 2/3.
    assert average_precision([0, 1, 1, 0], [0.1, 0.5, 0.5, 0.5]) == pytest.approx(2 / 3)


def test_log_loss_hand_values() -> None:
    # -(ln 0.8 + ln 0.6) / 2 = (0.22314 + 0.51083) / 2 = 0.36698.
    assert log_loss([1, 0], [0.8, 0.4]) == pytest.approx(0.36698, abs=1e-5)
    # No clipping: a confident wrong prediction costs infinity; a confident right one costs 0.
    assert log_loss([1, 0], [0.0, 0.5]) == math.inf
    assert log_loss([0], [1.0]) == math.inf
    assert log_loss([1, 0], [1.0, 0.0]) == 0.0


def test_binary_entropy_at_typical_click_through_rates() -> None:
    # Background entropy (nats), the denominator of normalised entropy, at CTR 1%, 2%, 0.1%:
    # H(p) = -(p ln p + (1 - p) ln(1 - p)); H(0.01) = 0.046052 + 0.009950 = 0.0560,
    # H(0.02) = 0.078240 + 0.019799 = 0.0980, H(0.001) = 0.006908 + 0.000999 = 0.0079.
    assert round(binary_entropy(0.01), 4) == 0.0560
    assert round(binary_entropy(0.02), 4) == 0.0980
    assert round(binary_entropy(0.001), 4) == 0.0079
    assert binary_entropy(0.0) == 0.0
    assert binary_entropy(0.5) == pytest.approx(math.log(2))


def test_normalized_entropy_hand_values() -> None:
    # Predicting the base rate 1/4 everywhere: log loss equals the entropy, NE = 1.
    assert normalized_entropy([1, 0, 0, 0], [0.25] * 4) == pytest.approx(1.0)
    # p = [0.5, 0.2, 0.2, 0.2]: log loss = (ln 2 - 3 ln 0.8) / 4 = 0.340644;
    # H(1/4) = -(0.25 ln 0.25 + 0.75 ln 0.75) = 0.562335; NE = 0.605768.
    assert normalized_entropy([1, 0, 0, 0], [0.5, 0.2, 0.2, 0.2]) == pytest.approx(
        0.605768, abs=1e-6
    )


def test_calibration_ratio_is_expected_over_observed() -> None:
    # Expected events = 4 * 0.5 = 2, observed = 1: the model over-predicts, ratio 2 (not 0.5).
    assert calibration_ratio([1, 0, 0, 0], [0.5] * 4) == pytest.approx(2.0)
    assert calibration_ratio([1, 1, 0, 0], [0.5] * 4) == pytest.approx(1.0)


def test_expected_calibration_error_hand_value() -> None:
    # Ten bins. Bin 0: {0.05 | y 0} gap 0.05, size 1. Bin 1: {0.15, 0.15 | y 1, 0}:
    # mean y 0.5, mean p 0.15, gap 0.35, size 2. Bin 9: {0.95, 1.0 | y 1, 1} (1.0 falls in the
    # last bin): mean p 0.975, gap 0.025, size 2. ECE = (0.05 + 0.7 + 0.05) / 5 = 0.16.
    y, p = [0, 1, 0, 1, 1], [0.05, 0.15, 0.15, 0.95, 1.0]
    assert expected_calibration_error(y, p) == pytest.approx(0.16)


def test_expected_calibration_error_bins_are_closed_on_the_left() -> None:
    # 0.3 sits on an edge and belongs to [0.3, 0.4) with 0.35: mean y 0.5, mean p 0.325,
    # ECE = 0.175. Had 0.3 gone to [0.2, 0.3): (0.3 + 0.65) / 2 = 0.475.
    assert expected_calibration_error([0, 1], [0.3, 0.35]) == pytest.approx(0.175)
    # One bin: |mean y - mean p| = |0.5 - 0.325|.
    assert expected_calibration_error([0, 1], [0.3, 0.35], n_bins=1) == pytest.approx(0.175)


def test_grouped_auc_hand_value() -> None:
    # u1: y [1, 0], s [0.9, 0.1] -> AUC 1, size 2. u2: y [1, 0, 0], s [0.2, 0.5, 0.1]: the
    # positive beats 0.1 and loses to 0.5 -> 1/2, size 3. u3 holds positives only: skipped.
    # GAUC = (2 * 1 + 3 * 0.5) / 5 = 0.7.
    y = [1, 0, 1, 0, 0, 1, 1]
    s = [0.9, 0.1, 0.2, 0.5, 0.1, 0.3, 0.4]
    g = ["u1", "u1", "u2", "u2", "u2", "u3", "u3"]
    assert grouped_auc(y, s, g) == pytest.approx(0.7)


# --- detection: hand values ------------------------------------------------------------------


def test_iou_hand_values() -> None:
    # Overlap 1 x 1 = 1; union 4 + 4 - 1 = 7.
    assert iou((0, 0, 2, 2), (1, 1, 3, 3)) == pytest.approx(1 / 7)
    assert iou((0, 0, 2, 2), (0, 0, 2, 2)) == 1.0
    assert iou((0, 0, 1, 1), (1, 0, 2, 1)) == 0.0  # touching edges
    assert iou((0, 0, 1, 1), (5, 5, 6, 6)) == 0.0


# Image A has ground truths A1 = (0,0,10,10) and A2 = (20,20,30,30); image B has B1 = (0,0,10,10).
VOC_TRUTHS = [("A", (0, 0, 10, 10)), ("A", (20, 20, 30, 30)), ("B", (0, 0, 10, 10))]
VOC_DETECTIONS = [
    ("A", 0.9, (0, 0, 10, 10)),  # IoU 1 with A1 -> TP
    ("A", 0.8, (1, 1, 10, 10)),  # IoU 0.81 with A1, already taken; 0 with A2 -> FP
    ("B", 0.7, (5, 0, 15, 10)),  # IoU 50 / 150 = 1/3 with B1 -> FP at 0.5
    ("A", 0.6, (20, 20, 30, 31)),  # IoU 100 / 110 with A2 -> TP
    ("B", 0.5, (0, 0, 10, 11)),  # IoU 100 / 110 with B1 -> TP at 0.5
]


def test_detection_ap_all_points_voc_style_hand_example() -> None:
    # Sequence TP FP FP TP TP, G = 3: recall 1/3, 1/3, 1/3, 2/3, 1; precision 1, 1/2, 1/3, 1/2, 3/5.
    # Interpolated precision (max to the right): 1, .6, .6, .6, .6.
    # All points: 1/3 * 1 + 1/3 * 0.6 + 1/3 * 0.6 = 0.73333.
    ap = detection_average_precision(VOC_DETECTIONS, VOC_TRUTHS)
    assert ap == pytest.approx(1 / 3 + 0.4)
    # Input order does not matter: detections are sorted by score.
    assert detection_average_precision(VOC_DETECTIONS[::-1], VOC_TRUTHS) == pytest.approx(ap)


def test_detection_ap_coco101_hand_example() -> None:
    # Same curve. Recall points 0 .. 0.33 (34 points) reach recall 1/3 -> 1; points 0.34 .. 1
    # (67 points) reach 2/3 or 1 -> 0.6. AP = (34 + 67 * 0.6) / 101 = 74.2 / 101 = 0.734653.
    ap = detection_average_precision(VOC_DETECTIONS, VOC_TRUTHS, interpolation="coco101")
    assert ap == pytest.approx(74.2 / 101)


def test_detection_ap_lower_iou_threshold_changes_the_matches() -> None:
    # At 0.3 the B detection at 0.7 (IoU 1/3) takes B1, so the one at 0.5 becomes a duplicate.
    # TP FP TP TP FP: recall 1/3, 1/3, 2/3, 1, 1; precision 1, 1/2, 2/3, 3/4, 3/5.
    # Interpolated: 1, .75, .75, .75, .6. AP = 1/3 * 1 + 1/3 * .75 + 1/3 * .75 = 0.83333.
    ap = detection_average_precision(VOC_DETECTIONS, VOC_TRUTHS, iou_threshold=0.3)
    assert ap == pytest.approx(5 / 6)


def test_detection_ap_matches_the_best_unmatched_truth() -> None:
    # g1 = (0,0,10,10), g2 = (0,0,10,12). Both detections are (0,0,10,10): the first takes g1
    # (IoU 1); the second's best overlap, g1, is taken, so it takes g2 (IoU 100/120 >= 0.5).
    # Both are TPs: AP = 1. (The VOC devkit would call the second a duplicate: AP 0.5.)
    truths = [("i", (0, 0, 10, 10)), ("i", (0, 0, 10, 12))]
    detections = [("i", 0.9, (0, 0, 10, 10)), ("i", 0.8, (0, 0, 10, 10))]
    assert detection_average_precision(detections, truths) == pytest.approx(1.0)


def test_detection_ap_degenerate_cases() -> None:
    truths = [("i", (0, 0, 1, 1))]
    assert detection_average_precision([], truths) == 0.0
    # A detection on an image without ground truth is a false positive.
    assert detection_average_precision([("other", 0.9, (0, 0, 1, 1))], truths) == 0.0
    # FP then TP: recall 0, 1; precision 0, 1/2 -> all points: 1 * 1/2.
    detections = [("other", 0.9, (0, 0, 1, 1)), ("i", 0.8, (0, 0, 1, 1))]
    assert detection_average_precision(detections, truths) == pytest.approx(0.5)


# --- properties: ranking ---------------------------------------------------------------------


@PROPERTY
@given(ranked=ranked_lists, relevant=relevant_sets, k=ks)
def test_precision_and_recall_match_sklearn(ranked: list[int], relevant: set[int], k: int) -> None:
    # Label the retrieved items and predict "positive" for the top k. scikit-learn's precision
    # divides by the number predicted (min(k, n)); ours always divides by k.
    y_true = [int(item in relevant) for item in ranked]
    y_pred = [int(i < k) for i in range(len(ranked))]
    shown = min(k, len(ranked))
    sk_p = sk_precision(y_true, y_pred, zero_division=0.0)
    assert precision_at_k(ranked, relevant, k) == pytest.approx(sk_p * shown / k)
    if relevant:
        # scikit-learn only sees retrieved items; the relevant items never retrieved lower ours.
        found = sum(y_true)
        sk_r = sk_recall(y_true, y_pred, zero_division=0.0)
        assert recall_at_k(ranked, relevant, k) == pytest.approx(sk_r * found / len(relevant))


@PROPERTY
@given(ranked=ranked_lists, relevant=relevant_sets, k=ks)
def test_average_precision_at_k_normalisers_share_one_sum(
    ranked: list[int], relevant: set[int], k: int
) -> None:
    # AP_min * min(R, k) = AP_hits * hits = AP_relevant * R = sum of P@i at hits i <= k.
    hits = sum(1 for item in ranked[:k] if item in relevant)
    ap = {n: average_precision_at_k(ranked, relevant, k, n) for n in ("min", "hits", "relevant")}
    total = ap["hits"] * hits
    assert ap["min"] * min(len(relevant), k) == pytest.approx(total)
    assert ap["relevant"] * len(relevant) == pytest.approx(total)
    assert 0.0 <= ap["relevant"] <= ap["min"] <= ap["hits"] <= 1.0


@PROPERTY
@given(ranked=ranked_lists, relevant=relevant_sets)
def test_average_precision_at_k_matches_sklearn_on_full_list(
    ranked: list[int], relevant: set[int]
) -> None:
    # Score the list in rank order (distinct scores). sklearn's AP normalises by the relevant
    # items it sees, the hits: it equals "hits" at k = len(ranked), and "relevant" scales it by
    # hits / R for the relevant items never retrieved. LRAP gives the same for one query.
    y_true = [int(item in relevant) for item in ranked]
    hits = sum(y_true)
    k = len(ranked)
    if hits == 0:
        assert average_precision_at_k(ranked, relevant, k, "hits") == 0.0
        return
    y_score = [float(len(ranked) - i) for i in range(len(ranked))]
    reference = sk_average_precision(y_true, y_score)
    assert average_precision_at_k(ranked, relevant, k, "hits") == pytest.approx(reference)
    assert average_precision_at_k(ranked, relevant, k, "relevant") == pytest.approx(
        reference * hits / len(relevant)
    )
    assert average_precision_at_k(ranked, relevant, k, "hits") == pytest.approx(
        sk_lrap([y_true], [y_score])
    )


@PROPERTY
@given(
    queries=st.lists(st.tuples(ranked_lists, relevant_sets), min_size=1, max_size=5).map(
        lambda qs: [(r, {r[x % len(r)] for x in rel} | {r[0] + 100}) for r, rel in qs]
    ),
    k=st.one_of(st.none(), ks),
)
def test_reciprocal_rank_matches_sklearn_lrap(
    queries: list[tuple[list[int], set[int]]], k: int | None
) -> None:
    # With exactly one relevant item ranked, LRAP is 1 / its rank; with several, 1 / (first hit
    # rank) is what we keep. Build one-relevant-item views of each query for the comparison.
    expected = []
    for ranked, relevant in queries:
        first = next((i for i, item in enumerate(ranked) if item in relevant), None)
        if first is None or (k is not None and first >= k):
            expected.append(0.0)
            continue
        single = [int(i == first) for i in range(len(ranked))]
        scores_in_rank_order = [float(len(ranked) - i) for i in range(len(ranked))]
        expected.append(sk_lrap([single], [scores_in_rank_order]))
        assert reciprocal_rank(ranked, relevant, k) == pytest.approx(expected[-1])
    assert mean_reciprocal_rank(queries, k) == pytest.approx(sum(expected) / len(expected))


@st.composite
def graded_with_scores(draw: st.DrawFn, distinct: bool) -> tuple[list[int], list[float]]:
    """Relevance grades and scores (distinct, or from a small pool so that ties occur)."""
    n = draw(st.integers(min_value=2, max_value=7 if not distinct else 12))
    rels = draw(st.lists(grades, min_size=n, max_size=n))
    if distinct:
        values = draw(st.lists(st.integers(-100, 100), min_size=n, max_size=n, unique=True))
    else:
        values = draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    return rels, [float(v) for v in values]


def _in_score_order(rels: list[int], values: list[float]) -> list[int]:
    return [rels[i] for i in sorted(range(len(values)), key=lambda i: -values[i])]


@PROPERTY
@given(case=graded_with_scores(distinct=True), k=ks)
def test_ndcg_and_dcg_match_sklearn_without_ties(
    case: tuple[list[int], list[float]], k: int
) -> None:
    rels, values = case
    ranked_gains = _in_score_order(rels, values)
    assert ndcg_at_k(ranked_gains, k) == pytest.approx(sk_ndcg([rels], [values], k=k))
    assert dcg_at_k(ranked_gains, k) == pytest.approx(sk_dcg([rels], [values], k=k))
    # Exponential gain = sklearn on the transformed labels 2^g - 1 (same ideal order).
    transformed = [2**g - 1 for g in rels]
    assert ndcg_at_k(ranked_gains, k, gain="exponential") == pytest.approx(
        sk_ndcg([transformed], [values], k=k)
    )


@PROPERTY
@given(case=graded_with_scores(distinct=False), k=ks)
def test_ndcg_ties_sklearn_is_the_mean_over_tied_orders(
    case: tuple[list[int], list[float]], k: int
) -> None:
    # sklearn averages the gain over all orders of tied scores (McSherry and Najork 2008); ours
    # takes gains in one given order. The DCG is linear in the gains at each position and the
    # IDCG does not depend on the order, so sklearn = the mean of ours over every tie order.
    rels, values = case
    levels = sorted(set(values), reverse=True)
    groups = [[r for r, v in zip(rels, values) if v == level] for level in levels]
    orders = itertools.product(*(itertools.permutations(group) for group in groups))
    results = [ndcg_at_k([g for block in order for g in block], k) for order in orders]
    assert sum(results) / len(results) == pytest.approx(sk_ndcg([rels], [values], k=k))


@PROPERTY
@given(case=graded_with_scores(distinct=True), k=ks)
def test_ndcg_ideal_gains_matches_sklearn_on_all_judged_items(
    case: tuple[list[int], list[float]], k: int
) -> None:
    # A system returns only its top k; sklearn sees every judged item with its score. Passing
    # all judged grades as ideal_gains reproduces sklearn's IDCG, hence its nDCG@k.
    rels, values = case
    retrieved = _in_score_order(rels, values)[:k]
    assert ndcg_at_k(retrieved, k, ideal_gains=rels) == pytest.approx(
        sk_ndcg([rels], [values], k=k)
    )


# --- properties: classification --------------------------------------------------------------


@PROPERTY
@given(case=labelled_scores())
def test_roc_auc_matches_sklearn_and_mann_whitney(case: tuple[list[int], list[float]]) -> None:
    labels, values = case
    reference = sk_roc_auc(labels, values)
    assert roc_auc(labels, values) == pytest.approx(reference, abs=1e-12)
    positives = [v for v, y in zip(values, labels) if y]
    negatives = [v for v, y in zip(values, labels) if not y]
    u = mannwhitneyu(positives, negatives, method="asymptotic").statistic
    assert roc_auc(labels, values) == pytest.approx(u / (len(positives) * len(negatives)))


@PROPERTY
@given(case=labelled_scores())
def test_average_precision_matches_sklearn(case: tuple[list[int], list[float]]) -> None:
    labels, values = case
    assert average_precision(labels, values) == pytest.approx(
        sk_average_precision(labels, values), abs=1e-12
    )


def test_average_precision_degenerate_cases_match_sklearn() -> None:
    # Only positives: AP = 1. All scores tied: one threshold, AP = base rate.
    assert average_precision([1, 1, 1], [0.2, 0.1, 0.3]) == sk_average_precision(
        [1, 1, 1], [0.2, 0.1, 0.3]
    )
    tied_labels, tied_scores = [1, 0, 0, 1, 0], [0.5] * 5
    assert average_precision(tied_labels, tied_scores) == pytest.approx(0.4)
    assert average_precision(tied_labels, tied_scores) == pytest.approx(
        sk_average_precision(tied_labels, tied_scores)
    )
    assert roc_auc(tied_labels, tied_scores) == pytest.approx(sk_roc_auc(tied_labels, tied_scores))


EPS = float(np.finfo(np.float64).eps)


@PROPERTY
@given(
    case=st.integers(1, 30).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(0, 1), min_size=n, max_size=n),
            st.lists(probabilities, min_size=n, max_size=n),
        )
    )
)
def test_log_loss_is_sklearn_without_clipping(case: tuple[list[int], list[float]]) -> None:
    # sklearn clips p to [eps, 1 - eps]; ours does not. On clipped input the two agree, and ours
    # is infinite exactly when some prediction is confidently wrong.
    labels, p = case
    clipped = [min(max(q, EPS), 1 - EPS) for q in p]
    reference = sk_log_loss(labels, p, labels=[0, 1])
    assert log_loss(labels, clipped) == pytest.approx(reference, rel=1e-9, abs=1e-12)
    confidently_wrong = any((y == 1 and q == 0) or (y == 0 and q == 1) for y, q in zip(labels, p))
    assert math.isinf(log_loss(labels, p)) == confidently_wrong
    if all(EPS <= q <= 1 - EPS for q in p):
        assert log_loss(labels, p) == pytest.approx(reference, rel=1e-9, abs=1e-12)


@PROPERTY
@given(
    case=st.integers(2, 30).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(0, 1), min_size=n, max_size=n).filter(_with_both),
            st.lists(st.floats(0.001, 0.999), min_size=n, max_size=n),
        )
    )
)
def test_normalized_entropy_is_log_loss_over_base_rate_log_loss(
    case: tuple[list[int], list[float]],
) -> None:
    # The entropy of the positive rate is the log loss of always predicting that rate.
    labels, p = case
    rate = sum(labels) / len(labels)
    reference = sk_log_loss(labels, p) / sk_log_loss(labels, [rate] * len(labels))
    assert normalized_entropy(labels, p) == pytest.approx(reference, rel=1e-9)


@PROPERTY
@given(
    case=st.integers(1, 30).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(0, 1), min_size=n, max_size=n).filter(lambda y: sum(y) > 0),
            st.lists(probabilities, min_size=n, max_size=n),
        )
    )
)
def test_calibration_ratio_is_mean_prediction_over_mean_label(
    case: tuple[list[int], list[float]],
) -> None:
    labels, p = case
    ratio = calibration_ratio(labels, p)
    assert ratio == pytest.approx(float(np.mean(p) / np.mean(labels)))
    # Observed over expected, the inverse some reviews print, is its reciprocal.
    if sum(p) > 0:
        assert 1 / ratio == pytest.approx(sum(labels) / sum(p))


def _off_inner_edges(n_bins: int) -> st.SearchStrategy[float]:
    """Probabilities that are not within 1e-9 of an inner bin edge b / n_bins."""
    return probabilities.filter(
        lambda q: q in (0.0, 1.0) or abs(q * n_bins - round(q * n_bins)) > 1e-9
    )


@PROPERTY
@given(
    case=st.tuples(st.integers(1, 30), st.integers(1, 20)).flatmap(
        lambda nb: st.tuples(
            st.just(nb[1]),
            st.lists(st.integers(0, 1), min_size=nb[0], max_size=nb[0]),
            st.lists(_off_inner_edges(nb[1]), min_size=nb[0], max_size=nb[0]),
        )
    )
)
def test_expected_calibration_error_matches_sklearn_calibration_curve(
    case: tuple[int, list[int], list[float]],
) -> None:
    # sklearn's calibration_curve gives mean(y) and mean(p) per non-empty bin; np.histogram
    # gives the bin sizes. sklearn's bins are closed on the right and ours on the left, so the
    # generated predictions avoid the inner edges (the edge rule has its own hand test).
    n_bins, labels, p = case
    prob_true, prob_pred = calibration_curve(labels, p, n_bins=n_bins, strategy="uniform")
    counts, _ = np.histogram(p, bins=np.linspace(0.0, 1.0, n_bins + 1))
    sizes = counts[counts > 0]
    reference = float(np.sum(sizes * np.abs(prob_true - prob_pred)) / len(p))
    assert expected_calibration_error(labels, p, n_bins) == pytest.approx(reference, abs=1e-12)


def test_reliability_curve_hand_values() -> None:
    # Six predictions, two equal-mass bins: the lower half {0.01, 0.02, 0.03} holds one click,
    # the upper half {0.2, 0.3, 0.4} two. Edge = the 50th percentile of the sorted six, halfway
    # between 0.03 and 0.2 = 0.115.
    labels = [0, 1, 0, 1, 0, 1]
    p = [0.01, 0.02, 0.03, 0.2, 0.3, 0.4]
    points = reliability_curve(labels, p, 2, strategy="quantile")
    assert [value for point in points for value in point] == pytest.approx([0.02, 1 / 3, 3, 0.3, 2 / 3, 3])
    # Equal-width bins of 0.5: all six fall in [0, 0.5): mean p = 0.96 / 6 = 0.16, observed 3 / 6.
    assert list(reliability_curve(labels, p, 2, strategy="uniform")[0]) == pytest.approx([0.16, 0.5, 6])


def test_reliability_curve_quantile_puts_an_edge_value_in_the_lower_bin() -> None:
    # Predictions 0.1, 0.2, 0.3: the median edge is 0.2 itself, which joins the lower bin.
    assert [n for _, _, n in reliability_curve([0, 0, 1], [0.1, 0.2, 0.3], 2, "quantile")] == [2, 1]


def test_reliability_curve_uniform_points_reproduce_ece() -> None:
    labels = [0, 1, 0, 0, 1, 1, 0, 1]
    p = [0.05, 0.15, 0.35, 0.45, 0.55, 0.75, 0.85, 0.95]
    for n_bins in (1, 3, 5, 10):
        points = reliability_curve(labels, p, n_bins)
        weighted_gap = sum(n * abs(obs - mean_p) for mean_p, obs, n in points) / len(p)
        assert weighted_gap == pytest.approx(expected_calibration_error(labels, p, n_bins))


def test_reliability_curve_rejects_an_unknown_strategy() -> None:
    with pytest.raises(ValueError, match="strategy must be one of 'uniform', 'quantile'"):
        reliability_curve([0, 1], [0.1, 0.9], 2, strategy="log")


# Click-like predictions: many ties on a coarse grid, rare positives, or any float.
click_probabilities = st.one_of(
    st.sampled_from([0.0, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1.0]),
    st.floats(min_value=0.0, max_value=0.05),
    probabilities,
)


@PROPERTY
@given(
    case=st.tuples(st.integers(1, 60), st.integers(1, 15)).flatmap(
        lambda nb: st.tuples(
            st.just(nb[1]),
            st.lists(st.integers(0, 1), min_size=nb[0], max_size=nb[0]),
            st.lists(click_probabilities, min_size=nb[0], max_size=nb[0]),
        )
    )
)
def test_reliability_curve_quantile_matches_sklearn_calibration_curve(
    case: tuple[int, list[int], list[float]],
) -> None:
    # Equal-mass edges are data points, so ties sit on edges: the points must agree exactly,
    # including which bins are empty and dropped.
    n_bins, labels, p = case
    prob_true, prob_pred = calibration_curve(labels, p, n_bins=n_bins, strategy="quantile")
    ours = reliability_curve(labels, p, n_bins, strategy="quantile")
    assert [mean_p for mean_p, _, _ in ours] == pytest.approx(prob_pred.tolist(), abs=1e-12)
    assert [observed for _, observed, _ in ours] == pytest.approx(prob_true.tolist(), abs=1e-12)
    assert sum(n for _, _, n in ours) == len(p)


@PROPERTY
@given(
    case=st.tuples(st.integers(1, 40), st.integers(1, 20)).flatmap(
        lambda nb: st.tuples(
            st.just(nb[1]),
            st.lists(st.integers(0, 1), min_size=nb[0], max_size=nb[0]),
            st.lists(_off_inner_edges(nb[1]), min_size=nb[0], max_size=nb[0]),
        )
    )
)
def test_reliability_curve_uniform_matches_sklearn_off_the_edges(
    case: tuple[int, list[int], list[float]],
) -> None:
    # Equal-width bins: ours close on the left (as the ECE does), sklearn's on the right, so the
    # generated predictions avoid the inner edges; off the edges the points agree.
    n_bins, labels, p = case
    prob_true, prob_pred = calibration_curve(labels, p, n_bins=n_bins, strategy="uniform")
    ours = reliability_curve(labels, p, n_bins, strategy="uniform")
    assert [mean_p for mean_p, _, _ in ours] == pytest.approx(prob_pred.tolist(), abs=1e-12)
    assert [observed for _, observed, _ in ours] == pytest.approx(prob_true.tolist(), abs=1e-12)


@PROPERTY
@given(
    case=st.integers(2, 40).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(0, 1), min_size=n, max_size=n),
            st.lists(scores, min_size=n, max_size=n),
            st.lists(st.sampled_from("abcd"), min_size=n, max_size=n),
        )
    )
)
def test_grouped_auc_matches_size_weighted_sklearn_auc(
    case: tuple[list[int], list[float], list[str]],
) -> None:
    labels, values, groups = case
    y, s, g = np.array(labels), np.array(values), np.array(groups)
    per_group = [
        (int(np.sum(g == name)), sk_roc_auc(y[g == name], s[g == name]))
        for name in sorted(set(groups))
        if len(set(y[g == name])) == 2
    ]
    if not per_group:
        with pytest.raises(ValueError, match="no group holds both"):
            grouped_auc(labels, values, groups)
        return
    reference = sum(n * auc for n, auc in per_group) / sum(n for n, _ in per_group)
    assert grouped_auc(labels, values, groups) == pytest.approx(reference, abs=1e-12)
    # One group for everyone is the global AUC.
    if _with_both(labels):
        assert grouped_auc(labels, values, ["all"] * len(labels)) == pytest.approx(
            sk_roc_auc(labels, values)
        )


# --- properties: detection against pycocotools -----------------------------------------------


def _coco_ap(
    detections: list[tuple[int, float, tuple[int, int, int, int]]],
    truths: list[tuple[int, tuple[int, int, int, int]]],
    threshold: float,
) -> tuple[float, float]:
    """COCO 101-point AP at one IoU threshold (all areas, 100 detections per image)."""

    def xywh(box: tuple[int, int, int, int]) -> list[float]:
        return [box[0], box[1], box[2] - box[0], box[3] - box[1]]

    images = sorted({image for image, _ in truths} | {image for image, _, _ in detections})
    dataset = {
        "images": [{"id": image} for image in images],
        "categories": [{"id": 1, "name": "object"}],
        "annotations": [
            {
                "id": index + 1,
                "image_id": image,
                "category_id": 1,
                "bbox": xywh(box),
                "area": xywh(box)[2] * xywh(box)[3],
                "iscrowd": 0,
            }
            for index, (image, box) in enumerate(truths)
        ],
    }
    results = [
        {"image_id": image, "category_id": 1, "bbox": xywh(box), "score": score}
        for image, score, box in detections
    ]
    with contextlib.redirect_stdout(io.StringIO()):
        ground = COCO()
        ground.dataset = dataset
        ground.createIndex()
        evaluation = COCOeval(ground, ground.loadRes(results), "bbox")
        evaluation.params.iouThrs = np.array([threshold])
        evaluation.params.areaRng = [[0.0, 1e10]]
        evaluation.params.areaRngLbl = ["all"]
        evaluation.params.maxDets = [100]
        evaluation.evaluate()
        evaluation.accumulate()
    precision = evaluation.eval["precision"][0, :, 0, 0, 0]
    return float(np.mean(precision)), float(np.max(precision))


boxes = st.tuples(
    st.integers(0, 20), st.integers(0, 20), st.integers(1, 12), st.integers(1, 12)
).map(lambda b: (b[0], b[1], b[0] + b[2], b[1] + b[3]))


@st.composite
def detection_cases(draw: st.DrawFn) -> tuple[list, list, float]:
    """Up to 9 ground truths on up to 3 images, detections near them or anywhere."""
    truths = draw(st.lists(st.tuples(st.integers(1, 3), boxes), min_size=1, max_size=9))
    n = draw(st.integers(1, 12))
    score_values = draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n, unique=True))
    detections = []
    for score in score_values:
        if draw(st.booleans()):
            image, (x1, y1, x2, y2) = draw(st.sampled_from(truths))
            dx, dy = draw(st.integers(-2, 2)), draw(st.integers(-2, 2))
            box = (x1 + dx, y1 + dy, x2 + dx + draw(st.integers(0, 2)), y2 + dy)
        else:
            image, box = draw(st.integers(1, 3)), draw(boxes)
        detections.append((image, score / 10_000, box))
    threshold = draw(st.sampled_from([0.3, 0.5, 0.75]))
    return detections, truths, threshold


@settings(derandomize=True, database=None, deadline=None, max_examples=120)
@given(case=detection_cases())
def test_detection_coco101_matches_pycocotools(case: tuple[list, list, float]) -> None:
    # At most 9 ground truths, so no recall k/G lands on a recall point where numpy's
    # linspace(0, 1, 101) and i / 100 differ (that case has its own test below).
    detections, truths, threshold = case
    reference, _ = _coco_ap(detections, truths, threshold)
    ours = detection_average_precision(detections, truths, threshold, "coco101")
    assert ours == pytest.approx(reference, abs=1e-9)
    # All-point AP integrates the same non-increasing interpolated curve that the 101-point
    # rule samples, so the two differ by at most one recall step of 0.01.
    all_points = detection_average_precision(detections, truths, threshold, "all_points")
    assert abs(all_points - ours) <= 0.01 + 1e-12


def test_detection_coco101_recall_grid_relation_to_pycocotools() -> None:
    # Ten ground truths in one image; detections: 7 hits, a miss, 2 hits. Recall reaches exactly
    # 0.7 at precision 1. numpy's linspace gives the 0.70 recall point as 0.7000000000000001, so
    # pycocotools reads the next operating point there (interpolated precision max(8/9, 9/10) =
    # 0.9) where we read 1. Every other point agrees: the gap is exactly (1 - 0.9) / 101.
    truths = [("i", (20 * j, 0, 20 * j + 10, 10)) for j in range(10)]
    detections = [("i", 1 - j / 100, (20 * j, 0, 20 * j + 10, 10)) for j in range(7)]
    detections.append(("i", 0.5, (500, 500, 510, 510)))
    detections += [("i", 0.4 - j / 100, (20 * j, 0, 20 * j + 10, 10)) for j in (7, 8)]
    coco_truths = [(1, box) for _, box in truths]
    coco_detections = [(1, score, box) for _, score, box in detections]
    reference, _ = _coco_ap(coco_detections, coco_truths, 0.5)
    ours = detection_average_precision(detections, truths, 0.5, "coco101")
    assert ours - reference == pytest.approx((1 - 0.9) / 101, abs=1e-12)


def _coco_ap_all_thresholds(detections: list, truths: list) -> float:
    """pycocotools' headline AP for one class: 101 points, IoU 0.50:0.95, all areas, 100 per image."""
    values = []
    for threshold in np.linspace(0.5, 0.95, 10):
        mean_precision, _ = _coco_ap(detections, truths, float(threshold))
        values.append(mean_precision)
    return float(np.mean(values))


@settings(derandomize=True, database=None, deadline=None, max_examples=60)
@given(case=detection_cases())
def test_coco_average_precision_matches_pycocotools(case: tuple[list, list, float]) -> None:
    detections, truths, _ = case
    assert coco_average_precision(detections, truths) == pytest.approx(
        _coco_ap_all_thresholds(detections, truths), abs=1e-9)


def test_coco_average_precision_hand_example() -> None:
    # One truth (0, 0, 10, 10) and one detection (0, 0, 10, 8): IoU 80 / 100 = 0.8, a hit at
    # 0.50, 0.55, ..., 0.80 (seven thresholds) and a miss at 0.85, 0.90, 0.95; AP 1 or 0 each.
    assert coco_average_precision([("i", 0.9, (0, 0, 10, 8))], [("i", (0, 0, 10, 10))]) == pytest.approx(0.7)


@st.composite
def nms_cases(draw: st.DrawFn) -> tuple[list, list, float]:
    """Up to 15 boxes, clustered so that many overlap, with distinct scores."""
    n = draw(st.integers(1, 15))
    centres = draw(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=1, max_size=3))
    found = []
    for _ in range(n):
        cx, cy = draw(st.sampled_from(centres))
        x1, y1 = cx + draw(st.integers(-6, 6)), cy + draw(st.integers(-6, 6))
        found.append((x1, y1, x1 + draw(st.integers(2, 20)), y1 + draw(st.integers(2, 20))))
    scores = [s / 1000 for s in draw(st.lists(st.integers(1, 999), min_size=n, max_size=n, unique=True))]
    return found, scores, draw(st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0]))


@PROPERTY
@given(case=nms_cases())
def test_non_max_suppression_matches_opencv(case: tuple[list, list, float]) -> None:
    found, scores, threshold = case
    # OpenCV computes the overlap as 1 - (1 - IoU) in floating point, so an IoU exactly at the
    # threshold may land on either side there; such boundary cases are left out.
    assume(all(abs(iou(a, b) - threshold) > 1e-9 for a, b in itertools.combinations(found, 2)))
    xywh = [(float(x1), float(y1), float(x2 - x1), float(y2 - y1)) for x1, y1, x2, y2 in found]
    reference = cv2.dnn.NMSBoxes(xywh, scores, score_threshold=0.0, nms_threshold=threshold)
    assert non_max_suppression(found, scores, threshold) == [int(i) for i in np.array(reference).ravel()]


def test_non_max_suppression_hand_example() -> None:
    # A (0,0,10,10) 0.9; B (1,0,11,10) 0.8 overlaps A with IoU 90 / 110 = 0.818; C (20,20,30,30) 0.7
    # touches nothing. At 0.5 B is suppressed; at 0.85 it survives (0.818 <= 0.85).
    found = [(0, 0, 10, 10), (1, 0, 11, 10), (20, 20, 30, 30)]
    assert non_max_suppression(found, [0.9, 0.8, 0.7], 0.5) == [0, 2]
    assert non_max_suppression(found, [0.9, 0.8, 0.7], 0.85) == [0, 1, 2]
    assert non_max_suppression(found, [0.7, 0.8, 0.9], 0.5) == [2, 1]
    assert non_max_suppression([], [], 0.5) == []
    with pytest.raises(ValueError):
        non_max_suppression(found, [0.9, 0.8], 0.5)
    with pytest.raises(ValueError):
        non_max_suppression(found, [0.9, 0.8, 0.7], 1.5)


# --- input validation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: precision_at_k([], {1}, 1), r"ranked is empty"),
        (lambda: precision_at_k([1], {1}, 0), r"k must be an integer >= 1, got 0"),
        (lambda: precision_at_k([1], {1}, 1.5), r"k must be an integer >= 1, got 1\.5"),
        (lambda: precision_at_k([1], {1}, True), r"k must be an integer >= 1, got True"),
        (
            lambda: precision_at_k([1, 2, 1], {1}, 2),
            r"ranked repeats item 1 \(again at position 3\)",
        ),
        (lambda: recall_at_k([1], set(), 1), r"relevant is empty"),
        (lambda: reciprocal_rank([1], {1}, k=0), r"k must be an integer >= 1, got 0"),
        (lambda: mean_reciprocal_rank([]), r"queries is empty"),
        (lambda: mean_reciprocal_rank([([1], {1}), ([], {1})]), r"queries\[1\]: ranked is empty"),
        (lambda: mean_average_precision([([1, 1], {1})], 2), r"queries\[0\]: ranked repeats"),
        (lambda: average_precision_at_k([1], {1}, 1, "max"), r"normalizer must be one of .*'max'"),
        (lambda: average_precision_at_k([1], {1}, -3), r"k must be an integer >= 1, got -3"),
        (lambda: mean_average_precision([], 3), r"queries is empty"),
        (lambda: mean_average_precision([([1], {1})], 0), r"k must be an integer >= 1, got 0"),
        (lambda: dcg_at_k([], 3), r"gains is empty"),
        (lambda: dcg_at_k([1, -1], 2), r"gains\[1\] = -1\.0 is not a finite gain >= 0"),
        (lambda: dcg_at_k([1], 1, gain="log"), r"gain must be one of .*'log'"),
        (lambda: ndcg_at_k([1], 0), r"k must be an integer >= 1, got 0"),
        (lambda: ndcg_at_k([3], 1, ideal_gains=[]), r"ideal_gains is empty"),
        (lambda: ndcg_at_k([3, 2], 1, ideal_gains=[3, 1]), r"gain 2\.0 is missing"),
        (
            lambda: roc_auc([0, 1], [0.5]),
            r"y_true and y_score must have the same length, got 2 and 1",
        ),
        (lambda: roc_auc([], []), r"y_true is empty"),
        (lambda: roc_auc([1, 1], [0.1, 0.2]), r"y_true holds only label 1"),
        (lambda: roc_auc([0, 2], [0.1, 0.2]), r"y_true\[1\] = 2 is not a label 0 or 1"),
        (lambda: roc_auc(["1", "0"], [0.1, 0.2]), r"y_true\[0\] = '1' is not a label 0 or 1"),
        (lambda: roc_auc([0, 1], [0.1, math.nan]), r"y_score\[1\] is NaN"),
        (lambda: average_precision([0, 0], [0.1, 0.2]), r"y_true has no positive label"),
        (lambda: log_loss([1], [1.2]), r"p\[0\] = 1\.2 is outside \[0, 1\]"),
        (lambda: log_loss([1, 0], [0.5, -0.1]), r"p\[1\] = -0\.1 is outside \[0, 1\]"),
        (lambda: log_loss([1], [math.nan]), r"p\[0\] = nan is outside \[0, 1\]"),
        (lambda: log_loss([1, 0], [0.5]), r"y_true and p must have the same length, got 2 and 1"),
        (lambda: normalized_entropy([1, 1], [0.5, 0.5]), r"y_true holds only label 1"),
        (lambda: calibration_ratio([0, 0], [0.1, 0.1]), r"y_true has no positive label"),
        (lambda: binary_entropy(1.5), r"rate = 1\.5 is outside \[0, 1\]"),
        (
            lambda: expected_calibration_error([1], [0.5], n_bins=0),
            r"n_bins must be an integer >= 1, got 0",
        ),
        (
            lambda: grouped_auc([0, 1], [0.1, 0.2], ["a"]),
            r"y_true and groups must have the same length",
        ),
        (lambda: grouped_auc([0, 1], [0.1, 0.2], ["a", "b"]), r"no group holds both labels"),
        (lambda: iou((0, 0, 1), (0, 0, 1, 1)), r"box_a must have 4 coordinates"),
        (
            lambda: iou((0, 0, 1, 1), (1, 0, 0, 1)),
            r"box_b = \(1, 0, 0, 1\) needs x1 < x2 and y1 < y2",
        ),
        (lambda: iou((0, 0, 1, 1), (0, 0, 1, math.inf)), r"box_b = .* has a non-finite coordinate"),
        (lambda: detection_average_precision([], []), r"ground_truths is empty"),
        (
            lambda: detection_average_precision([], [("i", (0, 0, 1, 1))], iou_threshold=0),
            r"iou_threshold = 0 is outside \(0, 1\]",
        ),
        (
            lambda: detection_average_precision([], [("i", (0, 0, 1, 1))], interpolation="voc07"),
            r"interpolation must be one of .*'voc07'",
        ),
        (
            lambda: detection_average_precision([("i", 0.5, (2, 2, 1, 1))], [("i", (0, 0, 1, 1))]),
            r"detections\[0\] box = \(2, 2, 1, 1\) needs x1 < x2",
        ),
        (
            lambda: detection_average_precision(
                [("i", math.nan, (0, 0, 1, 1))], [("i", (0, 0, 1, 1))]
            ),
            r"detections\[0\] score is NaN",
        ),
    ],
)
def test_invalid_input_raises_value_error_naming_the_problem(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: log_loss([1], ["0.5"]), r"p\[0\] = '0\.5' is not a number"),
        (lambda: roc_auc([0, 1], [0.1, None]), r"y_score\[1\] = None is not a number"),
        (lambda: dcg_at_k([b"3"], 1), r"gains\[0\] = b'3' is not a number"),
    ],
)
def test_non_numbers_raise_type_error(call, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        call()


def test_hit_rate_at_k_hand_values() -> None:
    # Query 1: first hit at 2; query 2: hits at 1 and 3; query 3: no hit in five.
    queries = [(["a", "b", "c"], {"b"}), (["d", "e", "f"], {"d", "f"}), (list("ghijk"), {"z"})]
    assert hit_rate_at_k(queries, 1) == pytest.approx(1 / 3)  # only query 2
    assert hit_rate_at_k(queries, 2) == pytest.approx(2 / 3)  # query 1 joins
    assert hit_rate_at_k(queries, 5) == pytest.approx(2 / 3)  # query 3 never hits
    # With many relevant items it differs from IR recall@k: one hit of two relevant is a full hit.
    assert hit_rate_at_k([(["d", "e", "f"], {"d", "f"})], 1) == 1.0
    assert recall_at_k(["d", "e", "f"], {"d", "f"}, 1) == 0.5


@given(st.integers(min_value=0, max_value=2**32 - 1), st.integers(min_value=3, max_value=12),
       st.integers(min_value=1, max_value=40), st.integers(min_value=1, max_value=12))
@settings(max_examples=200, deadline=None)
def test_hit_rate_at_k_matches_sklearn_top_k_accuracy(seed: int, n_items: int, n_queries: int, k: int) -> None:
    # With exactly one relevant item per query, hit rate@k is scikit-learn's top-k accuracy of the
    # scores that ranked the items (continuous random scores, so no ties; three items or more, since
    # scikit-learn reads two score columns as a binary problem).
    k = min(k, n_items - 1)  # scikit-learn warns when k covers every label
    rng = np.random.default_rng(seed)
    scores = rng.random((n_queries, n_items))
    truth = rng.integers(0, n_items, size=n_queries)
    queries = [(list(np.argsort(-row)), {int(t)}) for row, t in zip(scores, truth)]
    expected = sk_top_k_accuracy(truth, scores, k=k, labels=list(range(n_items)))
    assert hit_rate_at_k(queries, k) == pytest.approx(expected)


def test_hit_rate_at_k_rejects_bad_k() -> None:
    with pytest.raises(ValueError, match="k must be an integer"):
        hit_rate_at_k([(["a"], {"a"})], 0)


# --- operating points, focal loss and prevalence intervals ------------------------------------

from sklearn.metrics import precision_recall_curve  # noqa: E402
from statsmodels.stats.proportion import proportion_confint  # noqa: E402

from snippets.kit.metrics import (  # noqa: E402
    focal_loss,
    precision_recall_at_threshold,
    recall_at_precision,
    stratified_proportion,
    wilson_interval,
)


def test_precision_recall_at_threshold_hand_values() -> None:
    # Scores 0.9 (pos), 0.8 (neg), 0.7 (pos), 0.2 (pos); flag at >= 0.7: TP 2, FP 1, FN 1.
    assert precision_recall_at_threshold([1, 0, 1, 1], [0.9, 0.8, 0.7, 0.2], 0.7) == (2 / 3, 2 / 3)
    assert precision_recall_at_threshold([1, 0, 1, 1], [0.9, 0.8, 0.7, 0.2], 0.95) == (0.0, 0.0)


def test_recall_at_precision_hand_values() -> None:
    # Thresholds 0.9: P 1, R 1/3; 0.8: P 1/2; 0.7: P 2/3, R 2/3; 0.2: P 3/4, R 1.
    labels, values = [1, 0, 1, 1], [0.9, 0.8, 0.7, 0.2]
    assert recall_at_precision(labels, values, 0.75) == (0.2, 0.75, 1.0)
    assert recall_at_precision(labels, values, 0.7) == (0.2, 0.75, 1.0)
    assert recall_at_precision(labels, values, 0.8) == (0.9, 1.0, 1 / 3)
    assert recall_at_precision([0, 1], [0.9, 0.1], 0.9) == (math.inf, 0.0, 0.0)


@PROPERTY
@given(case=labelled_scores(), threshold=st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]))
def test_precision_recall_at_threshold_matches_sklearn(case: tuple[list[int], list[float]], threshold: float) -> None:
    labels, values = case
    predicted = [int(v >= threshold) for v in values]
    precision, recall = precision_recall_at_threshold(labels, values, threshold)
    assert precision == pytest.approx(sk_precision(labels, predicted, zero_division=0))
    assert recall == pytest.approx(sk_recall(labels, predicted))


@PROPERTY
@given(case=labelled_scores(), floor=st.sampled_from([0.0, 0.3, 0.5, 0.8, 1.0]))
def test_recall_at_precision_matches_sklearn_curve(case: tuple[list[int], list[float]], floor: float) -> None:
    labels, values = case
    precision, recall, thresholds = precision_recall_curve(labels, values)
    # sklearn's last point (precision 1, recall 0) has no threshold: drop it.
    feasible = [(r, p) for p, r in zip(precision[:-1], recall[:-1]) if p >= floor]
    threshold, got_precision, got_recall = recall_at_precision(labels, values, floor)
    if feasible:
        assert got_recall == pytest.approx(max(r for r, _ in feasible))
        assert got_precision >= floor
    else:
        assert (threshold, got_precision, got_recall) == (math.inf, 0.0, 0.0)


def test_focal_loss_hand_values() -> None:
    # One positive at p = 0.9: CE = -ln 0.9 = 0.1053605; gamma 2 weight (0.1)^2 = 0.01.
    assert focal_loss([1], [0.9], gamma=2.0) == pytest.approx(0.01 * 0.1053605157, rel=1e-9)
    # alpha 0.25 on a negative at p = 0.5: 0.75 * 0.5^2 * ln 2 = 0.1299654.
    assert focal_loss([0], [0.5], gamma=2.0, alpha=0.25) == pytest.approx(0.75 * 0.25 * math.log(2))
    assert focal_loss([1], [0.0]) == math.inf


@PROPERTY
@given(labels=st.lists(st.integers(0, 1), min_size=1, max_size=20),
       data=st.data())
def test_focal_loss_with_gamma_zero_is_sklearn_log_loss(labels: list[int], data: st.DataObject) -> None:
    p = data.draw(st.lists(st.floats(min_value=1e-6, max_value=1 - 1e-6), min_size=len(labels), max_size=len(labels)))
    assert focal_loss(labels, p, gamma=0.0) == pytest.approx(sk_log_loss(labels, p, labels=[0, 1]), rel=1e-9)
    # A positive gamma never raises the loss of any row.
    assert focal_loss(labels, p, gamma=2.0) <= focal_loss(labels, p, gamma=0.0) + 1e-12


@PROPERTY
@given(n=st.integers(min_value=1, max_value=5000), data=st.data())
def test_wilson_interval_matches_statsmodels(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(min_value=0, max_value=n))
    low, high = wilson_interval(k, n)
    ref_low, ref_high = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert low == pytest.approx(ref_low, abs=1e-12)
    assert high == pytest.approx(ref_high, abs=1e-12)


def test_stratified_proportion_hand_value_and_single_stratum() -> None:
    # Two strata: 0.9 x 10/1000 + 0.1 x 30/100 = 0.009 + 0.03 = 0.039;
    # variance 0.81 x 0.01 x 0.99 / 1000 + 0.01 x 0.3 x 0.7 / 100 = 8.019e-6 + 2.1e-5 = 2.9019e-5.
    estimate, half = stratified_proportion([(0.9, 10, 1000), (0.1, 30, 100)], z=1.0)
    assert estimate == pytest.approx(0.039)
    assert half == pytest.approx(math.sqrt(2.9019e-5))
    # One stratum is the normal (Wald) interval of statsmodels.
    estimate, half = stratified_proportion([(1.0, 37, 900)])
    low, high = proportion_confint(37, 900, alpha=0.05, method="normal")
    assert (estimate - half, estimate + half) == pytest.approx((low, high), abs=1e-12)
    with pytest.raises(ValueError, match="sum to"):
        stratified_proportion([(0.5, 1, 10)])
