"""Worked examples for the metrics reference page and the metrics lab.

Every number on ``docs/reference/metrics.md`` comes from here. The metrics themselves are the
library functions of :mod:`snippets.kit.metrics` (tested against scikit-learn); this module defines
small hand-made examples, calls the library on them and says what the page shows. Three helpers give
what the library does not return, the points of a curve: :func:`precision_recall_points`,
:func:`roc_points` and :func:`reliability_bins`. :func:`trapezoid_area` integrates a curve with
straight segments, the "PR-AUC" that some tools report instead of average precision. Tests check
each helper against the library (the step sum over the PR points is
:func:`~snippets.kit.metrics.average_precision`, the trapezoid under the ROC points is
:func:`~snippets.kit.metrics.roc_auc`).

The examples are invented for teaching; no number here describes a real system.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from snippets.kit import metrics
from snippets.kit.assume import assume, cited, design
from snippets.kit.display import count, fixed, md_table, pct, yes_no
from snippets.kit.show import table, value


@dataclass(frozen=True)
class Assumptions:
    """The scalar choices behind the examples; the example data themselves are constants below."""

    cutoff_k: int = assume(5, "Cut-off k of the ranking examples (P@k, RR@k, AP@k)", count,
                           design("a five-slot results list"))
    iou_threshold: float = assume(0.5, "IoU a detection needs to match an object (AP50)", lambda v: fixed(v, 2),
                                  cited("AP50 in the COCO evaluation summary", "cocoeval"))
    strict_iou_threshold: float = assume(0.75, "Stricter IoU threshold (AP75)", lambda v: fixed(v, 2),
                                         cited("AP75 in the COCO evaluation summary", "cocoeval"))


ASSUMPTIONS = Assumptions()
A = ASSUMPTIONS


# --------------------------------------------------------------------------------------------
# Curve helpers (the points behind the metrics)
# --------------------------------------------------------------------------------------------


def _checked(y_true: Sequence[int], y_score: Sequence[float]) -> tuple[list[int], list[float]]:
    """Labels and scores as lists, validated the way the library validates them."""
    labels = [int(y) for y in y_true]
    scores = [float(s) for s in y_score]
    metrics.roc_auc(labels, scores)  # raises ValueError on empty, mismatched, non-binary or one-class input
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

    Tied scores form one threshold, as in :func:`snippets.kit.metrics.average_precision`, so the step
    sum of ``(R_n - R_{n-1}) * P_n`` over these points is exactly that function's value.
    """
    labels, scores = _checked(y_true, y_score)
    n_pos = sum(labels)
    return [(t, tp / n_pos, tp / (tp + fp)) for t, tp, fp in _threshold_counts(labels, scores)]


def roc_points(y_true: Sequence[int], y_score: Sequence[float]) -> list[tuple[float, float]]:
    """``(false positive rate, true positive rate)`` from (0, 0) through each distinct threshold.

    The trapezoidal area under these points equals :func:`snippets.kit.metrics.roc_auc` (ties count
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

    Bins are the equal-width bins of :func:`snippets.kit.metrics.expected_calibration_error` (bin b
    holds b/n_bins <= p < (b+1)/n_bins, and p = 1 falls in the last bin), so the count-weighted
    mean of |observed - predicted| over these rows is that function's ECE.
    """
    labels = [int(y) for y in y_true]
    probabilities = [float(q) for q in p]
    metrics.expected_calibration_error(labels, probabilities, n_bins)  # validates all three arguments
    inner_edges = [b / n_bins for b in range(1, n_bins)]
    sums: dict[int, list[float]] = {}
    for label, q in zip(labels, probabilities):
        b = bisect.bisect_right(inner_edges, q)
        row = sums.setdefault(b, [0, 0.0, 0.0])
        row[0] += 1
        row[1] += q
        row[2] += label
    return [(b, int(n), sp / n, sy / n) for b, (n, sp, sy) in sorted(sums.items())]


# --------------------------------------------------------------------------------------------
# The worked examples (data)
# --------------------------------------------------------------------------------------------

RANKED_A: tuple[str, ...] = ("d1", "d9", "d2", "d8", "d7")
"""Query A: a top-5 list. The relevant set is d1..d5, so hits sit at positions 1 and 3."""
RELEVANT_A: frozenset[str] = frozenset({"d1", "d2", "d3", "d4", "d5"})

RANKED_B: tuple[str, ...] = ("e1", "x1", "e2", "e3", "x2")
"""Query B: eight relevant items (more than k = 5), hits at positions 1, 3 and 4."""
RELEVANT_B: frozenset[str] = frozenset({f"e{i}" for i in range(1, 9)})

QUERIES: dict[str, metrics.Query] = {"A": (RANKED_A, RELEVANT_A), "B": (RANKED_B, RELEVANT_B)}
"""The two AP@k example queries by name; MAP@k averages over both."""

SHORT_LIST: tuple[str, ...] = ("s1", "s2", "s3")
"""A list shorter than k: the retriever returned only three items."""
SHORT_RELEVANT: frozenset[str] = frozenset({"s1", "s3", "s7"})

MRR_QUERIES: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = (
    (("a", "b", "c", "d", "e", "f"), frozenset({"a"})),  # first hit at position 1
    (("a", "b", "c", "d", "e", "f"), frozenset({"c", "f"})),  # first hit at position 3
    (("a", "b", "c", "d", "e", "f"), frozenset({"f"})),  # first hit at position 6, beyond k = 5
)

GRADES: tuple[int, ...] = (3, 2, 3, 0, 1, 2)
"""Graded relevance (0 to 3) of six results in ranked order."""
UNRETRIEVED_GRADES: tuple[int, ...] = (3,)
"""A judged item of grade 3 that the system did not return (for the ideal-ranking choice)."""
GAINS: tuple[str, ...] = metrics.DCG_GAINS

COARSE_LABELS: tuple[int, ...] = (1, 1, 0, 0, 0, 1, 0, 0)
COARSE_SCORES: tuple[float, ...] = (0.9, 0.6, 0.6, 0.6, 0.6, 0.3, 0.3, 0.1)
"""A scorer with few distinct values (a bucketised model), so several items tie."""
TIE_TREATMENTS: tuple[str, ...] = ("half", "optimistic", "pessimistic")
"""Ties count one half; every tie broken for the positive; every tie broken against it."""

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


@dataclass(frozen=True)
class BoxPair:
    """Two boxes ``(x1, y1, x2, y2)`` of the IoU table, looked up by ``id``."""

    id: str
    label: str
    box_a: tuple[float, float, float, float]
    box_b: tuple[float, float, float, float]


BOX_PAIRS: tuple[BoxPair, ...] = (
    BoxPair("same", "same box", (0, 0, 10, 10), (0, 0, 10, 10)),
    BoxPair("shifted_by_1", "shifted by 1 (of 10)", (0, 0, 10, 10), (1, 0, 11, 10)),
    BoxPair("inner", "inner box", (0, 0, 10, 10), (1, 1, 9, 9)),
    BoxPair("shifted_by_2", "shifted by 2 (of 10)", (20, 0, 30, 10), (22, 0, 32, 10)),
    BoxPair("shifted_by_half", "shifted by half", (0, 0, 10, 10), (5, 0, 15, 10)),
    BoxPair("disjoint", "disjoint", (0, 0, 10, 10), (20, 20, 30, 30)),
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

COCO_IOU_THRESHOLDS: tuple[float, ...] = tuple(round(0.5 + 0.05 * i, 2) for i in range(10))
"""COCO's ten IoU thresholds, 0.50 to 0.95 in steps of 0.05 (pycocotools ``Params.iouThrs``)."""


def box_pair(pair_id: str) -> BoxPair:
    """The IoU example pair ``pair_id``; ``KeyError`` naming the ids there are otherwise."""
    for pair in BOX_PAIRS:
        if pair.id == pair_id:
            return pair
    raise KeyError(f"no box pair {pair_id!r} (there are {', '.join(p.id for p in BOX_PAIRS)})")


def click_model_data() -> tuple[list[int], list[float]]:
    """The calibration example expanded to one row per impression: (labels, predicted probabilities)."""
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


# --------------------------------------------------------------------------------------------
# Ranking: the values
# --------------------------------------------------------------------------------------------


@value(fixed)
def precision_at(k: int) -> float:
    """Precision@k of query A."""
    return metrics.precision_at_k(RANKED_A, RELEVANT_A, k)


@value(fixed)
def recall_at(k: int) -> float:
    """Recall@k of query A."""
    return metrics.recall_at_k(RANKED_A, RELEVANT_A, k)


def short_list_precision(limit_k_to_size: bool = False) -> float:
    """Precision@k of the three-item list: divided by k, or by min(k, list length) (torcheval)."""
    k = min(A.cutoff_k, len(SHORT_LIST)) if limit_k_to_size else A.cutoff_k
    return metrics.precision_at_k(SHORT_LIST, SHORT_RELEVANT, k)


@value(fixed)
def mrr() -> float:
    """MRR of the three queries, without a cut-off."""
    return metrics.mean_reciprocal_rank(MRR_QUERIES)


@value(fixed)
def mrr_at_k() -> float:
    """MRR of the three queries with the cut-off k: a first hit below k counts 0."""
    return metrics.mean_reciprocal_rank(MRR_QUERIES, A.cutoff_k)


@value(fixed)
def ap_at_k(query: str, normalizer: str = "min") -> float:
    """AP@k of query ``query`` ("A" or "B") with the library's ``normalizer`` (default "min")."""
    ranked, relevant = QUERIES[query]
    return metrics.average_precision_at_k(ranked, relevant, A.cutoff_k, normalizer)


@value(fixed)
def ap_at_k_hits(query: str) -> float:
    """AP@k of ``query`` divided by the hits in the top k (torchmetrics' convention)."""
    return ap_at_k(query, "hits")


def map_at_k(normalizer: str = "min") -> float:
    """MAP@k over queries A and B."""
    return metrics.mean_average_precision(list(QUERIES.values()), A.cutoff_k, normalizer)


@value(lambda grades: ", ".join(str(g) for g in grades))
def grades() -> tuple[int, ...]:
    """The graded list of the nDCG example, in ranked order."""
    return GRADES


def dcg(gain: str) -> float:
    """DCG@6 of the graded list with ``gain`` ("linear" or "exponential")."""
    return metrics.dcg_at_k(GRADES, len(GRADES), gain)


def ideal_dcg(gain: str) -> float:
    """DCG@6 of the graded list sorted best first."""
    return metrics.dcg_at_k(sorted(GRADES, reverse=True), len(GRADES), gain)


@value(fixed)
def ndcg(gain: str) -> float:
    """nDCG@6 of the graded list, the ideal built from the returned list."""
    return metrics.ndcg_at_k(GRADES, len(GRADES), gain)


def ndcg_all_judged(gain: str) -> float:
    """nDCG@6 with the ideal built from every judged item, the unreturned one included."""
    return metrics.ndcg_at_k(GRADES, len(GRADES), gain, ideal_gains=GRADES + UNRETRIEVED_GRADES)


# --------------------------------------------------------------------------------------------
# Classification and probability quality: the values
# --------------------------------------------------------------------------------------------


@value(fixed)
def coarse_roc_auc(ties: str) -> float:
    """ROC AUC of the tied example; ``ties`` is one of :data:`TIE_TREATMENTS`."""
    y, s = COARSE_LABELS, COARSE_SCORES
    if ties == "half":
        return metrics.roc_auc(y, s)
    if ties not in TIE_TREATMENTS:
        raise ValueError(f"ties must be one of {', '.join(TIE_TREATMENTS)}, got {ties!r}")
    return metrics.roc_auc(y, _tie_broken(s, y, favour_positives=ties == "optimistic"))


@value(fixed)
def coarse_average_precision() -> float:
    """Average precision (the step sum) of the tied example."""
    return metrics.average_precision(COARSE_LABELS, COARSE_SCORES)


@value(fixed)
def coarse_trapezoid_pr_auc() -> float:
    """Trapezoidal PR-AUC of the tied example."""
    return trapezoid_pr_auc(COARSE_LABELS, COARSE_SCORES)


@value(count)
def impressions() -> int:
    """Impressions of the click model."""
    return sum(n for n, _, _ in CALIBRATION_GROUPS)


@value(count)
def clicks() -> int:
    """Clicks observed on the click model's impressions."""
    return sum(c for _, _, c in CALIBRATION_GROUPS)


@value(count)
def expected_clicks() -> float:
    """Clicks the click model expects: the sum of its predicted probabilities."""
    return sum(click_model_data()[1])


def click_rate() -> float:
    return clicks() / impressions()


@value(lambda v: fixed(v, 4))
def click_log_loss() -> float:
    """Log loss of the click model, in nats."""
    return metrics.log_loss(*click_model_data())


def baseline_log_loss() -> float:
    """Log loss of always predicting the click rate."""
    labels, _ = click_model_data()
    return metrics.log_loss(labels, [click_rate()] * len(labels))


@value(fixed)
def click_ne() -> float:
    """Normalised entropy of the click model."""
    return metrics.normalized_entropy(*click_model_data())


@value(fixed)
def calibration_ratio() -> float:
    """Expected over observed clicks (He et al. 2014; the library's direction)."""
    return metrics.calibration_ratio(*click_model_data())


@value(fixed)
def calibration_inverse() -> float:
    """Observed over expected: the inverse direction some reviews print."""
    return 1 / calibration_ratio()


@value(lambda v: pct(v, 0))
def over_prediction() -> float:
    """How far the click model over-predicts: the calibration ratio minus one."""
    return calibration_ratio() - 1


@value(fixed)
def ece(n_bins: int) -> float:
    """ECE of the click model with ``n_bins`` equal-width bins."""
    return metrics.expected_calibration_error(*click_model_data(), n_bins)


def _gauc_columns() -> tuple[list[str], list[int], list[float]]:
    return [u for u, _, _ in GAUC_ROWS], [y for _, y, _ in GAUC_ROWS], [s for _, _, s in GAUC_ROWS]


@value(fixed)
def gauc() -> float:
    """Grouped AUC of the two-user example (groups weighted by size)."""
    users, labels, scores = _gauc_columns()
    return metrics.grouped_auc(labels, scores, users)


@value(fixed)
def global_auc() -> float:
    """ROC AUC of the two-user example with all rows pooled."""
    _, labels, scores = _gauc_columns()
    return metrics.roc_auc(labels, scores)


# --------------------------------------------------------------------------------------------
# Detection: the values
# --------------------------------------------------------------------------------------------


@value(fixed)
def iou(pair_id: str) -> float:
    """IoU of the box pair ``pair_id``."""
    pair = box_pair(pair_id)
    return metrics.iou(pair.box_a, pair.box_b)


@value(count)
def n_objects() -> int:
    return len(GROUND_TRUTHS)


@value(count)
def n_detections() -> int:
    return len(DETECTIONS)


@value(fixed)
def detection_ap(iou_threshold: float) -> float:
    """Detection AP of the example at ``iou_threshold``, all-points interpolation."""
    return metrics.detection_average_precision(DETECTIONS, GROUND_TRUTHS, iou_threshold, "all_points")


@value(fixed)
def detection_ap_101(iou_threshold: float) -> float:
    """Detection AP of the example at ``iou_threshold``, COCO's 101-point interpolation."""
    return metrics.detection_average_precision(DETECTIONS, GROUND_TRUTHS, iou_threshold, "coco101")


def coco_mean_ap(interpolation: str) -> float:
    """Detection AP averaged over COCO's ten IoU thresholds."""
    return sum(
        metrics.detection_average_precision(DETECTIONS, GROUND_TRUTHS, t, interpolation) for t in COCO_IOU_THRESHOLDS
    ) / len(COCO_IOU_THRESHOLDS)


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


@table
def ranked_list_table() -> str:
    """Query A position by position: relevant or not, and precision and recall at that position."""
    rows = [(str(i), item, yes_no(item in RELEVANT_A), fixed(precision_at(i)), fixed(recall_at(i)))
            for i, item in enumerate(RANKED_A, start=1)]
    return md_table(["Position i", "Item", "Relevant", "Precision@i", "Recall@i"], rows, align="rlcrr")


@table
def short_list_table() -> str:
    """Precision@k of a three-item list under the two conventions for short lists."""
    k = A.cutoff_k
    rows = [
        ("Divide by k (this library)", str(k), fixed(short_list_precision())),
        ("Divide by min(k, list length) (torcheval's `limit_k_to_size=True`)", str(min(k, len(SHORT_LIST))),
         fixed(short_list_precision(limit_k_to_size=True))),
    ]
    return md_table(["Convention", "Divisor", f"Precision@{k}"], rows)


@table
def mrr_table() -> str:
    """Reciprocal rank per query, without and with a cut-off, and their means."""
    k = A.cutoff_k
    rows = []
    for n, (ranked, relevant) in enumerate(MRR_QUERIES, start=1):
        first = min(ranked.index(item) for item in relevant) + 1
        rows.append((f"q{n}", str(first), fixed(metrics.reciprocal_rank(ranked, relevant)),
                     fixed(metrics.reciprocal_rank(ranked, relevant, k))))
    rows.append(("Mean (MRR)", "—", fixed(mrr()), fixed(mrr_at_k())))
    return md_table(["Query", "First relevant position", "RR", f"RR@{k}"], rows)


@table
def ap_normalizer_table() -> str:
    """AP@k of queries A and B under the three normalisers, and the mAP@k of both."""
    k = A.cutoff_k
    r = {q: len(relevant) for q, (_, relevant) in QUERIES.items()}
    hits = {q: sum(1 for x in ranked[:k] if x in relevant) for q, (ranked, relevant) in QUERIES.items()}
    divisors = {
        "min": ("min(R, k)", {q: min(r[q], k) for q in QUERIES}, "Kaggle's `ml_metrics.apk`"),
        "hits": ("hits in the top k", hits, "torchmetrics `retrieval_average_precision`"),
        "relevant": ("R", r, "`trec_eval` (`map`, `map_cut`)[^treceval]"),
    }
    rows = []
    for normalizer, (name, n, used_by) in divisors.items():
        rows.append((f'`"{normalizer}"`: {name}', used_by,
                     *(f"{fixed(ap_at_k(q, normalizer))} (N = {n[q]})" for q in QUERIES),
                     fixed(map_at_k(normalizer))))
    return md_table(["Normaliser N", "Used by", *(f"AP@{k}, query {q}" for q in QUERIES), "mAP (A, B)"],
                    rows, align="llrrr")


@table
def dcg_table() -> str:
    """The graded example position by position, with both gains and the discount."""
    rows = []
    for i, g in enumerate(GRADES, start=1):
        alone = [0] * (i - 1) + [g]  # this position's term of the DCG sum, all others zeroed
        rows.append((str(i), str(g), fixed(metrics.dcg_at_k([0] * (i - 1) + [1], i)),
                     *(fixed(metrics.dcg_at_k(alone, i, gain)) for gain in GAINS)))
    rows.append(("DCG", "", "", *(fixed(dcg(gain)) for gain in GAINS)))
    rows.append(("IDCG", "", "", *(fixed(ideal_dcg(gain)) for gain in GAINS)))
    rows.append(("nDCG", "", "", *(fixed(ndcg(gain)) for gain in GAINS)))
    return md_table(["Position i", "Grade", "Discount 1/log2(i+1)", "Linear gain × discount",
                     "Exponential gain × discount"], rows)


@table
def ndcg_ideal_table() -> str:
    """nDCG@6 with the ideal ranking built from the returned list or from every judged item."""
    rows = [(gain, fixed(ndcg(gain)), fixed(ndcg_all_judged(gain))) for gain in GAINS]
    return md_table(["Gain", "Ideal from the returned list", "Ideal from all judged items"], rows)


@table
def coarse_scores_table() -> str:
    """The tied-score example: labels and scores side by side."""
    rows = [(str(i), str(y), fixed(s, 1)) for i, (y, s) in enumerate(zip(COARSE_LABELS, COARSE_SCORES), start=1)]
    return md_table(["Item", "Label", "Score"], rows, align="rrr")


@table
def auc_ties_table() -> str:
    """ROC AUC of the tied example: ties as one half, and each way of breaking them."""
    labels = {
        "half": "Ties count one half (this library, Mann–Whitney U)",
        "optimistic": "Every tie broken in favour of the positive",
        "pessimistic": "Every tie broken against the positive",
    }
    rows = [(labels[ties], fixed(coarse_roc_auc(ties))) for ties in TIE_TREATMENTS]
    return md_table(["Treatment of tied scores", "ROC AUC"], rows)


@table
def pr_points_table() -> str:
    """PR points of the tied example with each point's share of AP and of the trapezoid."""
    rows = []
    prev_r, prev_p = 0.0, 1.0
    for t, r, p in precision_recall_points(COARSE_LABELS, COARSE_SCORES):
        rows.append((fixed(t, 1), fixed(r), fixed(p), fixed((r - prev_r) * p), fixed((r - prev_r) * (p + prev_p) / 2)))
        prev_r, prev_p = r, p
    rows.append(("Total", "", "", fixed(coarse_average_precision()), fixed(coarse_trapezoid_pr_auc())))
    return md_table(["Threshold (score ≥)", "Recall", "Precision", "Step: ΔR × P (AP)",
                     "Trapezoid: ΔR × mean P (PR-AUC)"], rows)


@table
def calibration_example_table() -> str:
    """The click model, group by group."""
    rows = [(count(n), fixed(q, 2), count(c), pct(c / n), fixed(n * q, 0)) for n, q, c in CALIBRATION_GROUPS]
    rows.append(("All", "", count(clicks()), pct(click_rate()), count(expected_clicks())))
    return md_table(["Impressions", "Predicted p", "Clicks (observed)", "Click rate", "Expected clicks (sum of p)"],
                    rows)


@table
def probability_metrics_table() -> str:
    """Log loss, background entropy and NE of the click model, against the constant-rate baseline."""
    entropy = metrics.binary_entropy(click_rate())
    rows = [
        ("The click model", fixed(click_log_loss(), 4), fixed(entropy, 4), fixed(click_ne())),
        ("Always predict the click rate", fixed(baseline_log_loss(), 4), fixed(entropy, 4),
         fixed(baseline_log_loss() / entropy)),
    ]
    return md_table(["Predictor", "Log loss (nats)", "Entropy of the click rate (nats)", "NE"], rows)


@table
def calibration_direction_table() -> str:
    """The calibration ratio of the click model in both directions, with how each reads."""
    rows = [
        ("Expected / observed = mean(p) / mean(y) (He et al. 2014; this library)", fixed(calibration_ratio()),
         "above 1: the model predicts more clicks than happen"),
        ("Observed / expected (the inverse, printed by some reviews)", fixed(calibration_inverse()),
         "below 1 for the same over-prediction"),
    ]
    return md_table(["Convention", "Value", "How to read it"], rows, align="lrl")


@table
def ece_bins_table() -> str:
    """ECE of the click model with 5, 10 and 20 equal-width bins."""
    labels, probabilities = click_model_data()
    rows = [(str(n_bins), str(len(reliability_bins(labels, probabilities, n_bins))), fixed(ece(n_bins)))
            for n_bins in ECE_BIN_COUNTS]
    return md_table(["Bins (equal width)", "Non-empty bins", "ECE"], rows)


@table
def reliability_strategy_table() -> str:
    """The click model's reliability points with 3 bins, equal width against equal mass."""
    labels, probabilities = click_model_data()
    rows = []
    for strategy, name in (("uniform", "equal width"), ("quantile", "equal mass")):
        for mean_p, observed, n in metrics.reliability_curve(labels, probabilities, 3, strategy=strategy):
            rows.append((name, str(n), fixed(mean_p), fixed(observed)))
    return md_table(["Bins (3)", "Impressions", "Mean predicted", "Observed rate"], rows, align="lrrr")


@table
def gauc_table() -> str:
    """Per-user AUC, grouped AUC and global AUC for the two-user example."""
    users, labels, scores = _gauc_columns()
    rows = []
    for user in dict.fromkeys(users):
        idx = [i for i, u in enumerate(users) if u == user]
        rows.append((user, str(len(idx)), ", ".join(f"{scores[i]:.2f}{'+' if labels[i] else '−'}" for i in idx),
                     fixed(metrics.roc_auc([labels[i] for i in idx], [scores[i] for i in idx]))))
    rows.append(("Grouped AUC (size-weighted mean)", str(len(users)), "", fixed(gauc())))
    rows.append(("Global AUC (all rows pooled)", str(len(users)), "", fixed(global_auc())))
    return md_table(["Group", "Rows", "Scores (+ clicked, − not)", "AUC"], rows, align="lrlr")


@table
def iou_table() -> str:
    """IoU of a few box pairs."""
    rows = [(pair.label, str(pair.box_a), str(pair.box_b), fixed(iou(pair.id))) for pair in BOX_PAIRS]
    return md_table(["Pair", "Box A (x1, y1, x2, y2)", "Box B", "IoU"], rows, align="lllr")


@table
def detections_table() -> str:
    """The detections of the example, by descending score, with their best IoU against an object."""
    rows = []
    for image, score, box in sorted(DETECTIONS, key=lambda d: -d[1]):
        best = max((metrics.iou(box, gt) for img, gt in GROUND_TRUTHS if img == image), default=0.0)
        rows.append((image, fixed(score, 2), str(box), fixed(best)))
    return md_table(["Image", "Score", "Box", "Best IoU with an object"], rows, align="lrlr")


@table
def detection_ap_table() -> str:
    """Detection AP of the example at the two IoU thresholds and averaged over COCO's ten."""
    rows = [(f"AP at IoU {t:.2f}", fixed(detection_ap(t)), fixed(detection_ap_101(t)))
            for t in (A.iou_threshold, A.strict_iou_threshold)]
    first, last = COCO_IOU_THRESHOLDS[0], COCO_IOU_THRESHOLDS[-1]
    rows.append((f"Mean over IoU {first:.2f} to {last:.2f} ({len(COCO_IOU_THRESHOLDS)} thresholds)",
                 fixed(coco_mean_ap("all_points")), fixed(coco_mean_ap("coco101"))))
    return md_table(["Quantity", "All-points interpolation", "101-point interpolation (COCO)"], rows)
