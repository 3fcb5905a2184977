"""Worked examples for the metrics reference page and the metrics lab.

Every number on ``docs/reference/metrics.md`` comes from here. The metrics themselves are the
library functions of :mod:`snippets.metrics`; this module only defines small hand-made examples,
calls the library on them and formats the results. Three helpers give what the library does not
return, the points of a curve: :func:`precision_recall_points`, :func:`roc_points` and
:func:`reliability_bins`. :func:`trapezoid_area` integrates a curve with straight segments, the
"PR-AUC" that some tools report instead of average precision. Tests check each helper against the
library (the step sum over the PR points is :func:`~snippets.metrics.average_precision`, the
trapezoid under the ROC points is :func:`~snippets.metrics.roc_auc`).

The examples are invented for teaching; no number here describes a real system.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from snippets.display import count, fixed, md_table, pct
from snippets.metrics import (
    average_precision,
    average_precision_at_k,
    binary_entropy,
    calibration_ratio,
    dcg_at_k,
    detection_average_precision,
    expected_calibration_error,
    grouped_auc,
    iou,
    log_loss,
    mean_average_precision,
    mean_reciprocal_rank,
    ndcg_at_k,
    normalized_entropy,
    precision_at_k,
    recall_at_k,
    reciprocal_rank,
    roc_auc,
)

# --- curve helpers (the points behind the metrics) -------------------------------------------


def _checked(y_true: Sequence[int], y_score: Sequence[float]) -> tuple[list[int], list[float]]:
    """Labels and scores as lists, validated the way the library validates them."""
    labels = [int(y) for y in y_true]
    scores = [float(s) for s in y_score]
    roc_auc(labels, scores)  # raises ValueError on empty, mismatched, non-binary or one-class input
    return labels, scores


def _threshold_counts(labels: list[int], scores: list[float]) -> list[tuple[float, int, int]]:
    """``(threshold, TP, FP)`` when predicting positive for score >= threshold, per distinct score."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    out: list[tuple[float, int, int]] = []
    tp = fp = 0
    for position, index in enumerate(order):
        tp += labels[index]
        fp += 1 - labels[index]
        last_of_tie = position + 1 == len(order) or scores[order[position + 1]] != scores[index]
        if last_of_tie:
            out.append((scores[index], tp, fp))
    return out


def precision_recall_points(
    y_true: Sequence[int], y_score: Sequence[float]
) -> list[tuple[float, float, float]]:
    """``(threshold, recall, precision)`` at each distinct score, highest threshold first.

    Tied scores form one threshold, as in :func:`snippets.metrics.average_precision`, so the step
    sum of ``(R_n - R_{n-1}) * P_n`` over these points is exactly that function's value.
    """
    labels, scores = _checked(y_true, y_score)
    n_pos = sum(labels)
    return [(t, tp / n_pos, tp / (tp + fp)) for t, tp, fp in _threshold_counts(labels, scores)]


def roc_points(y_true: Sequence[int], y_score: Sequence[float]) -> list[tuple[float, float]]:
    """``(false positive rate, true positive rate)`` from (0, 0) through each distinct threshold.

    The trapezoidal area under these points equals :func:`snippets.metrics.roc_auc` (ties count
    one half), because a block of tied scores becomes one diagonal segment.
    """
    labels, scores = _checked(y_true, y_score)
    n_pos = sum(labels)
    n_neg = len(labels) - n_pos
    return [(0.0, 0.0)] + [(fp / n_neg, tp / n_pos) for _, tp, fp in _threshold_counts(labels, scores)]


def trapezoid_area(points: Sequence[tuple[float, float]]) -> float:
    """Area under a curve given as ``(x, y)`` points in order, joining them with straight lines."""
    if len(points) < 2:
        raise ValueError(f"a curve needs at least 2 points, got {len(points)}")
    return sum((x1 - x0) * (y0 + y1) / 2 for (x0, y0), (x1, y1) in zip(points, points[1:]))


def trapezoid_pr_auc(y_true: Sequence[int], y_score: Sequence[float]) -> float:
    """Trapezoidal area under the precision-recall curve, starting from (recall 0, precision 1).

    The start point is the one scikit-learn's ``precision_recall_curve`` appends. This is the
    "PR-AUC" that linear interpolation gives, not average precision.
    """
    curve = [(0.0, 1.0)] + [(r, p) for _, r, p in precision_recall_points(y_true, y_score)]
    return trapezoid_area(curve)


def reliability_bins(
    y_true: Sequence[int], p: Sequence[float], n_bins: int = 10
) -> list[tuple[int, int, float, float]]:
    """``(bin index, count, mean predicted, observed rate)`` for each non-empty bin.

    Bins are the equal-width bins of :func:`snippets.metrics.expected_calibration_error` (bin b
    holds b/n_bins <= p < (b+1)/n_bins, and p = 1 falls in the last bin), so the count-weighted
    mean of |observed - predicted| over these rows is that function's ECE.
    """
    labels = [int(y) for y in y_true]
    probabilities = [float(q) for q in p]
    expected_calibration_error(labels, probabilities, n_bins)  # validates all three arguments
    inner_edges = [b / n_bins for b in range(1, n_bins)]
    sums: dict[int, list[float]] = {}
    for label, q in zip(labels, probabilities):
        b = bisect.bisect_right(inner_edges, q)
        row = sums.setdefault(b, [0, 0.0, 0.0])
        row[0] += 1
        row[1] += q
        row[2] += label
    return [(b, int(n), sp / n, sy / n) for b, (n, sp, sy) in sorted(sums.items())]


# --- the worked examples ---------------------------------------------------------------------

RANKED_A: tuple[str, ...] = ("d1", "d9", "d2", "d8", "d7")
"""Query A: a top-5 list. The relevant set is d1..d5, so hits sit at positions 1 and 3."""
RELEVANT_A: frozenset[str] = frozenset({"d1", "d2", "d3", "d4", "d5"})

RANKED_B: tuple[str, ...] = ("e1", "x1", "e2", "e3", "x2")
"""Query B: eight relevant items (more than k = 5), hits at positions 1, 3 and 4."""
RELEVANT_B: frozenset[str] = frozenset({f"e{i}" for i in range(1, 9)})

AP_K = 5
"""The cut-off for the AP@k examples (query A is the research notes' disagreement example)."""

SHORT_LIST: tuple[str, ...] = ("s1", "s2", "s3")
"""A list shorter than k: the retriever returned only three items."""
SHORT_RELEVANT: frozenset[str] = frozenset({"s1", "s3", "s7"})

MRR_QUERIES: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = (
    (("a", "b", "c", "d", "e", "f"), frozenset({"a"})),  # first hit at position 1
    (("a", "b", "c", "d", "e", "f"), frozenset({"c", "f"})),  # first hit at position 3
    (("a", "b", "c", "d", "e", "f"), frozenset({"f"})),  # first hit at position 6, beyond k = 5
)
MRR_K = 5

GRADES: tuple[int, ...] = (3, 2, 3, 0, 1, 2)
"""Graded relevance (0 to 3) of six results in ranked order: the research notes' nDCG example."""
UNRETRIEVED_GRADES: tuple[int, ...] = (3,)
"""A judged item of grade 3 that the system did not return (for the ideal-ranking choice)."""

COARSE_LABELS: tuple[int, ...] = (1, 1, 0, 0, 0, 1, 0, 0)
COARSE_SCORES: tuple[float, ...] = (0.9, 0.6, 0.6, 0.6, 0.6, 0.3, 0.3, 0.1)
"""A scorer with few distinct values (a bucketised model), so several items tie."""

CALIBRATION_GROUPS: tuple[tuple[int, float, int], ...] = (
    (500, 0.01, 8),
    (300, 0.06, 9),
    (200, 0.16, 20),
)
"""``(impressions, predicted click probability, clicks)``: a click model on 1,000 impressions."""

ECE_BIN_COUNTS: tuple[int, ...] = (5, 10, 20)

GAUC_ROWS: tuple[tuple[str, int, float], ...] = (
    ("user A", 1, 0.90),
    ("user A", 1, 0.80),
    ("user A", 0, 0.85),
    ("user B", 1, 0.20),
    ("user B", 0, 0.30),
    ("user B", 0, 0.10),
)
"""``(user, clicked, score)``: user A clicks a lot and gets high scores, user B the opposite."""

BOX_PAIRS: tuple[tuple[str, tuple[float, ...], tuple[float, ...]], ...] = (
    ("same box", (0, 0, 10, 10), (0, 0, 10, 10)),
    ("shifted by 1 (of 10)", (0, 0, 10, 10), (1, 0, 11, 10)),
    ("inner box", (0, 0, 10, 10), (1, 1, 9, 9)),
    ("shifted by 2 (of 10)", (20, 0, 30, 10), (22, 0, 32, 10)),
    ("shifted by half", (0, 0, 10, 10), (5, 0, 15, 10)),
    ("disjoint", (0, 0, 10, 10), (20, 20, 30, 30)),
)

GROUND_TRUTHS: tuple[tuple[str, tuple[float, ...]], ...] = (
    ("img1", (0, 0, 10, 10)),
    ("img1", (20, 0, 30, 10)),
    ("img2", (0, 0, 10, 10)),
    ("img2", (20, 20, 30, 30)),
)
"""Four objects of one class in two images."""
DETECTIONS: tuple[tuple[str, float, tuple[float, ...]], ...] = (
    ("img1", 0.95, (0, 0, 10, 10)),  # exact hit on the first object
    ("img1", 0.90, (50, 50, 60, 60)),  # nothing there
    ("img2", 0.80, (1, 0, 11, 10)),  # IoU 90/110 with an object
    ("img1", 0.70, (22, 0, 32, 10)),  # IoU 80/120 with an object
    ("img1", 0.60, (0, 0, 10, 10)),  # duplicate of the first detection
)
"""Five detections ``(image, score, box)``; the object at (20, 20, 30, 30) in img2 is missed."""

IOU_THRESHOLDS: tuple[float, ...] = tuple(round(0.5 + 0.05 * i, 2) for i in range(10))
"""COCO's ten IoU thresholds, 0.50 to 0.95 in steps of 0.05."""


def _calibration_data() -> tuple[list[int], list[float]]:
    """The calibration example expanded to one row per impression."""
    labels: list[int] = []
    probabilities: list[float] = []
    for n, q, clicks in CALIBRATION_GROUPS:
        labels += [1] * clicks + [0] * (n - clicks)
        probabilities += [q] * n
    return labels, probabilities


def _tie_broken(scores: Sequence[float], labels: Sequence[int], favour_positives: bool) -> list[float]:
    """Scores with every tie broken for (or against) the positives, keeping all other orders."""
    distinct = sorted(set(scores))
    gap = min((b - a for a, b in zip(distinct, distinct[1:])), default=1.0) / 4
    sign = 1 if favour_positives else -1
    return [s + sign * gap * y for s, y in zip(scores, labels)]


def _ap_values() -> dict[tuple[str, str], float]:
    """AP@5 per query (A, B) and normaliser, and mAP over both."""
    out = {}
    for normalizer in ("min", "hits", "relevant"):
        out[("A", normalizer)] = average_precision_at_k(RANKED_A, RELEVANT_A, AP_K, normalizer)
        out[("B", normalizer)] = average_precision_at_k(RANKED_B, RELEVANT_B, AP_K, normalizer)
        out[("mAP", normalizer)] = mean_average_precision(
            [(RANKED_A, RELEVANT_A), (RANKED_B, RELEVANT_B)], AP_K, normalizer
        )
    return out


def _detection_values() -> dict[tuple[float, str], float]:
    """Detection AP per IoU threshold and interpolation."""
    return {
        (t, interp): detection_average_precision(DETECTIONS, GROUND_TRUTHS, t, interp)
        for t in IOU_THRESHOLDS
        for interp in ("all_points", "coco101")
    }


# --- display: tables -------------------------------------------------------------------------


def ranked_list_table() -> str:
    """Query A position by position: relevant or not, and precision at that position."""
    rows = []
    for i, item in enumerate(RANKED_A, start=1):
        hit = item in RELEVANT_A
        rows.append((str(i), item, "yes" if hit else "no", fixed(precision_at_k(RANKED_A, RELEVANT_A, i)),
                     fixed(recall_at_k(RANKED_A, RELEVANT_A, i))))
    return md_table(["Position i", "Item", "Relevant", "Precision@i", "Recall@i"], rows, align="rlcrr")


def short_list_table() -> str:
    """Precision@5 of a three-item list under the two conventions for short lists."""
    k = AP_K
    rows = [
        ("Divide by k (this library)", str(k), fixed(precision_at_k(SHORT_LIST, SHORT_RELEVANT, k))),
        ("Divide by min(k, list length) (torcheval's `limit_k_to_size=True`)", str(len(SHORT_LIST)),
         fixed(precision_at_k(SHORT_LIST, SHORT_RELEVANT, min(k, len(SHORT_LIST))))),
    ]
    return md_table(["Convention", "Divisor", f"Precision@{k}"], rows)


def mrr_table() -> str:
    """Reciprocal rank per query, without and with a cut-off, and their means."""
    rows = []
    for n, (ranked, relevant) in enumerate(MRR_QUERIES, start=1):
        first = min(ranked.index(item) for item in relevant) + 1
        rows.append((f"q{n}", str(first), fixed(reciprocal_rank(ranked, relevant)),
                     fixed(reciprocal_rank(ranked, relevant, MRR_K))))
    rows.append(("Mean (MRR)", "—", fixed(mean_reciprocal_rank(MRR_QUERIES)),
                 fixed(mean_reciprocal_rank(MRR_QUERIES, MRR_K))))
    return md_table(["Query", "First relevant position", "RR", f"RR@{MRR_K}"], rows)


def ap_normalizer_table() -> str:
    """AP@5 of queries A and B under the three normalisers, and the mAP of both."""
    v = _ap_values()
    r_a, r_b = len(RELEVANT_A), len(RELEVANT_B)
    hits_a = sum(1 for x in RANKED_A[:AP_K] if x in RELEVANT_A)
    hits_b = sum(1 for x in RANKED_B[:AP_K] if x in RELEVANT_B)
    divisors = {
        "min": ("min(R, k)", min(r_a, AP_K), min(r_b, AP_K), "Kaggle's `ml_metrics.apk`"),
        "hits": ("hits in the top k", hits_a, hits_b, "torchmetrics `retrieval_average_precision`"),
        "relevant": ("R", r_a, r_b, "TREC-style AP (not checked here)"),
    }
    rows = []
    for normalizer, (name, n_a, n_b, used_by) in divisors.items():
        rows.append((f'`"{normalizer}"`: {name}', used_by, f"{fixed(v[('A', normalizer)])} (N = {n_a})",
                     f"{fixed(v[('B', normalizer)])} (N = {n_b})", fixed(v[("mAP", normalizer)])))
    return md_table(["Normaliser N", "Used by", f"AP@{AP_K}, query A", f"AP@{AP_K}, query B", "mAP (A, B)"],
                    rows, align="llrrr")


def dcg_table() -> str:
    """The graded example position by position, with both gains and the discount."""
    rows = []
    for i, g in enumerate(GRADES, start=1):
        alone = [0] * (i - 1) + [g]  # this position's term of the DCG sum, all others zeroed
        rows.append((str(i), str(g), fixed(dcg_at_k([0] * (i - 1) + [1], i)), fixed(dcg_at_k(alone, i)),
                     fixed(dcg_at_k(alone, i, "exponential"))))
    k = len(GRADES)
    rows.append(("DCG", "", "", fixed(dcg_at_k(GRADES, k)), fixed(dcg_at_k(GRADES, k, "exponential"))))
    ideal = sorted(GRADES, reverse=True)
    rows.append(("IDCG", "", "", fixed(dcg_at_k(ideal, k)), fixed(dcg_at_k(ideal, k, "exponential"))))
    rows.append(("nDCG", "", "", fixed(ndcg_at_k(GRADES, k)), fixed(ndcg_at_k(GRADES, k, "exponential"))))
    return md_table(["Position i", "Grade", "Discount 1/log2(i+1)", "Linear gain × discount",
                     "Exponential gain × discount"], rows)


def ndcg_ideal_table() -> str:
    """nDCG@6 with the ideal ranking built from the returned list or from every judged item."""
    k = len(GRADES)
    judged = list(GRADES) + list(UNRETRIEVED_GRADES)
    rows = []
    for gain in ("linear", "exponential"):
        rows.append((gain, fixed(ndcg_at_k(GRADES, k, gain)), fixed(ndcg_at_k(GRADES, k, gain, ideal_gains=judged))))
    return md_table(["Gain", "Ideal from the returned list", "Ideal from all judged items"], rows)


def coarse_scores_table() -> str:
    """The tied-score example: labels and scores side by side."""
    rows = [(str(i), str(y), fixed(s, 1)) for i, (y, s) in enumerate(zip(COARSE_LABELS, COARSE_SCORES), start=1)]
    return md_table(["Item", "Label", "Score"], rows, align="rrr")


def auc_ties_table() -> str:
    """ROC AUC of the tied example: ties as one half, and each way of breaking them."""
    y, s = COARSE_LABELS, COARSE_SCORES
    rows = [
        ("Ties count one half (this library, Mann–Whitney U)", fixed(roc_auc(y, s))),
        ("Every tie broken in favour of the positive", fixed(roc_auc(y, _tie_broken(s, y, True)))),
        ("Every tie broken against the positive", fixed(roc_auc(y, _tie_broken(s, y, False)))),
    ]
    return md_table(["Treatment of tied scores", "ROC AUC"], rows)


def pr_points_table() -> str:
    """PR points of the tied example with each point's share of AP and of the trapezoid."""
    points = precision_recall_points(COARSE_LABELS, COARSE_SCORES)
    rows = []
    prev_r, prev_p = 0.0, 1.0
    for t, r, p in points:
        rows.append((fixed(t, 1), fixed(r), fixed(p), fixed((r - prev_r) * p), fixed((r - prev_r) * (p + prev_p) / 2)))
        prev_r, prev_p = r, p
    rows.append(("Total", "", "", fixed(average_precision(COARSE_LABELS, COARSE_SCORES)),
                 fixed(trapezoid_pr_auc(COARSE_LABELS, COARSE_SCORES))))
    return md_table(["Threshold (score ≥)", "Recall", "Precision", "Step: ΔR × P (AP)",
                     "Trapezoid: ΔR × mean P (PR-AUC)"], rows)


def calibration_example_table() -> str:
    """The click-model example, group by group."""
    rows = [(count(n), fixed(q, 2), count(c), pct(c / n), fixed(n * q, 0)) for n, q, c in CALIBRATION_GROUPS]
    labels, probabilities = _calibration_data()
    rows.append(("All", "", count(sum(labels)), pct(sum(labels) / len(labels)), fixed(sum(probabilities), 0)))
    return md_table(["Impressions", "Predicted p", "Clicks (observed)", "Click rate", "Expected clicks (sum of p)"],
                    rows)


def probability_metrics_table() -> str:
    """Log loss, background entropy and NE of the click model, against the constant-rate baseline."""
    labels, probabilities = _calibration_data()
    rate = sum(labels) / len(labels)
    baseline = [rate] * len(labels)
    rows = [
        ("The click model", fixed(log_loss(labels, probabilities), 4), fixed(binary_entropy(rate), 4),
         fixed(normalized_entropy(labels, probabilities))),
        ("Always predict the click rate", fixed(log_loss(labels, baseline), 4), fixed(binary_entropy(rate), 4),
         fixed(normalized_entropy(labels, baseline))),
    ]
    return md_table(["Predictor", "Log loss (nats)", "Entropy of the click rate (nats)", "NE"], rows)


def calibration_direction_table() -> str:
    """The calibration ratio of the click model in both directions, with how each reads."""
    labels, probabilities = _calibration_data()
    ratio = calibration_ratio(labels, probabilities)
    rows = [
        ("Expected / observed = mean(p) / mean(y) (He et al. 2014; this library)", fixed(ratio),
         "above 1: the model predicts more clicks than happen"),
        ("Observed / expected (the inverse, printed by some reviews)", fixed(1 / ratio),
         "below 1 for the same over-prediction"),
    ]
    return md_table(["Convention", "Value", "How to read it"], rows, align="lrl")


def ece_bins_table() -> str:
    """ECE of the click model with 5, 10 and 20 equal-width bins."""
    labels, probabilities = _calibration_data()
    rows = []
    for n_bins in ECE_BIN_COUNTS:
        bins = reliability_bins(labels, probabilities, n_bins)
        rows.append((str(n_bins), str(len(bins)), fixed(expected_calibration_error(labels, probabilities, n_bins))))
    return md_table(["Bins (equal width)", "Non-empty bins", "ECE"], rows)


def gauc_table() -> str:
    """Per-user AUC, grouped AUC and global AUC for the two-user example."""
    users = [u for u, _, _ in GAUC_ROWS]
    labels = [y for _, y, _ in GAUC_ROWS]
    scores = [s for _, _, s in GAUC_ROWS]
    rows = []
    for user in dict.fromkeys(users):
        idx = [i for i, u in enumerate(users) if u == user]
        rows.append((user, str(len(idx)), ", ".join(f"{scores[i]:.2f}{'+' if labels[i] else '−'}" for i in idx),
                     fixed(roc_auc([labels[i] for i in idx], [scores[i] for i in idx]))))
    rows.append(("Grouped AUC (size-weighted mean)", str(len(users)), "", fixed(grouped_auc(labels, scores, users))))
    rows.append(("Global AUC (all rows pooled)", str(len(users)), "", fixed(roc_auc(labels, scores))))
    return md_table(["Group", "Rows", "Scores (+ clicked, − not)", "AUC"], rows, align="lrlr")


def iou_table() -> str:
    """IoU of a few box pairs."""
    rows = [(name, str(a), str(b), fixed(iou(a, b))) for name, a, b in BOX_PAIRS]
    return md_table(["Pair", "Box A (x1, y1, x2, y2)", "Box B", "IoU"], rows, align="lllr")


def detections_table() -> str:
    """The detections of the example, by descending score, with their best IoU against an object."""
    rows = []
    for image, score, box in sorted(DETECTIONS, key=lambda d: -d[1]):
        best = max((iou(box, gt) for img, gt in GROUND_TRUTHS if img == image), default=0.0)
        rows.append((image, fixed(score, 2), str(box), fixed(best)))
    return md_table(["Image", "Score", "Box", "Best IoU with an object"], rows, align="lrlr")


def detection_ap_table() -> str:
    """Detection AP of the example at IoU 0.5, 0.75 and averaged over COCO's ten thresholds."""
    v = _detection_values()
    rows = []
    for t in (0.5, 0.75):
        rows.append((f"AP at IoU {t:.2f}", fixed(v[(t, "all_points")]), fixed(v[(t, "coco101")])))
    mean = {i: sum(v[(t, i)] for t in IOU_THRESHOLDS) / len(IOU_THRESHOLDS) for i in ("all_points", "coco101")}
    rows.append((f"Mean over IoU {IOU_THRESHOLDS[0]:.2f} to {IOU_THRESHOLDS[-1]:.2f} ({len(IOU_THRESHOLDS)} thresholds)",
                 fixed(mean["all_points"]), fixed(mean["coco101"])))
    return md_table(["Quantity", "All-points interpolation", "101-point interpolation (COCO)"], rows)


# --- display: inline values ------------------------------------------------------------------


def numbers() -> dict[str, str]:
    """Every inline number on the metrics reference page, formatted."""
    ap = _ap_values()
    labels, probabilities = _calibration_data()
    ratio = calibration_ratio(labels, probabilities)
    k = len(GRADES)
    judged = list(GRADES) + list(UNRETRIEVED_GRADES)
    det = _detection_values()
    ece = {n: expected_calibration_error(labels, probabilities, n) for n in ECE_BIN_COUNTS}
    users = [u for u, _, _ in GAUC_ROWS]
    y_g = [y for _, y, _ in GAUC_ROWS]
    s_g = [s for _, _, s in GAUC_ROWS]
    return {
        "ap_k": str(AP_K),
        "ap_a_min": fixed(ap[("A", "min")]),
        "ap_a_hits": fixed(ap[("A", "hits")]),
        "ap_b_min": fixed(ap[("B", "min")]),
        "ap_b_hits": fixed(ap[("B", "hits")]),
        "ap_b_relevant": fixed(ap[("B", "relevant")]),
        "p_at_1": fixed(precision_at_k(RANKED_A, RELEVANT_A, 1)),
        "p_at_5": fixed(precision_at_k(RANKED_A, RELEVANT_A, AP_K)),
        "r_at_5": fixed(recall_at_k(RANKED_A, RELEVANT_A, AP_K)),
        "short_p_k": fixed(precision_at_k(SHORT_LIST, SHORT_RELEVANT, AP_K)),
        "short_p_len": fixed(precision_at_k(SHORT_LIST, SHORT_RELEVANT, len(SHORT_LIST))),
        "mrr": fixed(mean_reciprocal_rank(MRR_QUERIES)),
        "mrr_k": fixed(mean_reciprocal_rank(MRR_QUERIES, MRR_K)),
        "mrr_cutoff": str(MRR_K),
        "grades": ", ".join(map(str, GRADES)),
        "ndcg_linear": fixed(ndcg_at_k(GRADES, k)),
        "ndcg_exponential": fixed(ndcg_at_k(GRADES, k, "exponential")),
        "ndcg_linear_judged": fixed(ndcg_at_k(GRADES, k, ideal_gains=judged)),
        "ndcg_exponential_judged": fixed(ndcg_at_k(GRADES, k, "exponential", ideal_gains=judged)),
        "auc_ties": fixed(roc_auc(COARSE_LABELS, COARSE_SCORES)),
        "auc_optimistic": fixed(roc_auc(COARSE_LABELS, _tie_broken(COARSE_SCORES, COARSE_LABELS, True))),
        "auc_pessimistic": fixed(roc_auc(COARSE_LABELS, _tie_broken(COARSE_SCORES, COARSE_LABELS, False))),
        "ap_coarse": fixed(average_precision(COARSE_LABELS, COARSE_SCORES)),
        "pr_auc_trapezoid": fixed(trapezoid_pr_auc(COARSE_LABELS, COARSE_SCORES)),
        "impressions": count(len(labels)),
        "clicks": count(sum(labels)),
        "click_rate": pct(sum(labels) / len(labels)),
        "expected_clicks": fixed(sum(probabilities), 0),
        "calibration_ratio": fixed(ratio),
        "calibration_inverse": fixed(1 / ratio),
        "over_prediction": pct(ratio - 1, 0),
        "log_loss": fixed(log_loss(labels, probabilities), 4),
        "ne": fixed(normalized_entropy(labels, probabilities)),
        "ece_5": fixed(ece[5]),
        "ece_10": fixed(ece[10]),
        "ece_20": fixed(ece[20]),
        "gauc": fixed(grouped_auc(y_g, s_g, users)),
        "global_auc": fixed(roc_auc(y_g, s_g)),
        "det_ap50_all": fixed(det[(0.5, "all_points")]),
        "det_ap50_coco": fixed(det[(0.5, "coco101")]),
        "det_ap75_all": fixed(det[(0.75, "all_points")]),
        "det_ap75_coco": fixed(det[(0.75, "coco101")]),
        "iou_shift2": fixed(iou(BOX_PAIRS[3][1], BOX_PAIRS[3][2])),
        "n_objects": str(len(GROUND_TRUTHS)),
        "n_detections": str(len(DETECTIONS)),
    }
