"""Evaluation metrics used across the case studies, as pure functions.

Free resources disagree silently on several of these definitions (the AP@k normaliser, the DCG
gain, the direction of the calibration ratio, AP versus the trapezoidal PR-AUC, the detection AP
interpolation). Each function here fixes one convention, names it in its docstring, and offers
the alternatives as arguments where readers meet them in the wild.

Conventions shared by every function:

- Ranked lists are sequences of hashable item ids, best first; position ``i`` counts from 1.
  A ranked list may not be empty or repeat an item. ``relevant`` is any collection of item ids.
- Labels are 0 or 1 (``True``/``False`` and ``0.0``/``1.0`` are accepted); probabilities lie in
  [0, 1]; scores are any real numbers except NaN, higher meaning "more likely positive".
- Invalid input raises ``ValueError`` naming the argument and the offending value (a value
  that is not a number at all, such as a string, raises ``TypeError``).
- Only the standard library is used, so the site build needs nothing heavy.
"""

from __future__ import annotations

import bisect
import math
import numbers
from collections.abc import Collection, Hashable, Iterable, Sequence

Box = tuple[float, float, float, float]
"""An axis-aligned box ``(x1, y1, x2, y2)`` in continuous coordinates, with x1 < x2 and y1 < y2."""

Query = tuple[Sequence[Hashable], Collection[Hashable]]
"""One query for the mean metrics: its ranked list and its set of relevant items."""

AP_NORMALIZERS = ("min", "hits", "relevant")
DCG_GAINS = ("linear", "exponential")
DETECTION_INTERPOLATIONS = ("all_points", "coco101")


# --- input validation -------------------------------------------------------------------------


def _check_k(k: int, name: str = "k") -> None:
    """Raise unless ``k`` is an integer of at least 1."""
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {k!r}")


def _check_optional_k(k: int | None) -> None:
    """Raise unless ``k`` is None or an integer of at least 1."""
    if k is not None:
        _check_k(k)


def _check_nonempty(values: Sequence[object], name: str) -> None:
    """Raise when ``values`` is empty."""
    if len(values) == 0:
        raise ValueError(f"{name} is empty; it needs at least one element")


def _check_same_length(a: Sequence[object], a_name: str, b: Sequence[object], b_name: str) -> None:
    """Raise when two parallel sequences differ in length."""
    if len(a) != len(b):
        raise ValueError(
            f"{a_name} and {b_name} must have the same length, got {len(a)} and {len(b)}"
        )


def _check_choice(value: str, name: str, choices: tuple[str, ...]) -> None:
    """Raise unless ``value`` is one of ``choices``."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")


def _ranked_list(ranked: Sequence[Hashable]) -> list[Hashable]:
    """Validate a ranked list (non-empty, no repeated item) and return it as a list."""
    items = list(ranked)
    _check_nonempty(items, "ranked")
    seen: set[Hashable] = set()
    for position, item in enumerate(items, start=1):
        if item in seen:
            raise ValueError(f"ranked repeats item {item!r} (again at position {position})")
        seen.add(item)
    return items


def _labels(y_true: Sequence[object], name: str = "y_true") -> list[int]:
    """Validate binary labels and return them as ints."""
    labels = list(y_true)
    _check_nonempty(labels, name)
    out = []
    for index, label in enumerate(labels):
        if isinstance(label, (str, bytes)) or label not in (0, 1):
            raise ValueError(f"{name}[{index}] = {label!r} is not a label 0 or 1")
        out.append(int(label))
    return out


def _floats(values: Iterable[float], name: str) -> list[float]:
    """Convert numbers to floats; strings and other non-numbers raise ``TypeError``."""
    out = []
    for index, value in enumerate(values):
        if isinstance(value, (str, bytes)):
            raise TypeError(f"{name}[{index}] = {value!r} is not a number")
        try:
            out.append(float(value))
        except (TypeError, ValueError):
            raise TypeError(f"{name}[{index}] = {value!r} is not a number") from None
    return out


def _probabilities(p: Sequence[float], name: str = "p") -> list[float]:
    """Validate probabilities (each in [0, 1]) and return them as floats."""
    values = _floats(p, name)
    _check_nonempty(values, name)
    for index, value in enumerate(values):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name}[{index}] = {value!r} is outside [0, 1]")
    return values


def _scores(y_score: Sequence[float], name: str = "y_score") -> list[float]:
    """Validate real-valued scores (no NaN) and return them as floats."""
    values = _floats(y_score, name)
    _check_nonempty(values, name)
    for index, value in enumerate(values):
        if math.isnan(value):
            raise ValueError(f"{name}[{index}] is NaN; scores must be comparable numbers")
    return values


def _gains(gains: Sequence[float], name: str) -> list[float]:
    """Validate relevance gains (finite, non-negative) and return them as floats."""
    values = _floats(gains, name)
    _check_nonempty(values, name)
    for index, value in enumerate(values):
        if not (math.isfinite(value) and value >= 0):
            raise ValueError(f"{name}[{index}] = {value!r} is not a finite gain >= 0")
    return values


def _box(box: Sequence[float], name: str) -> Box:
    """Validate an ``(x1, y1, x2, y2)`` box with positive width and height."""
    values = tuple(_floats(box, name))
    if len(values) != 4:
        raise ValueError(f"{name} must have 4 coordinates (x1, y1, x2, y2), got {len(values)}")
    x1, y1, x2, y2 = values
    if not all(math.isfinite(v) for v in values):
        raise ValueError(f"{name} = {box!r} has a non-finite coordinate")
    if not (x1 < x2 and y1 < y2):
        raise ValueError(f"{name} = {box!r} needs x1 < x2 and y1 < y2")
    return x1, y1, x2, y2


# --- ranking: binary relevance ----------------------------------------------------------------


def _hits_in_top_k(ranked: list[Hashable], relevant: set[Hashable], k: int) -> int:
    """Number of relevant items among the first ``k`` of ``ranked``."""
    return sum(1 for item in ranked[:k] if item in relevant)


def precision_at_k(ranked: Sequence[Hashable], relevant: Collection[Hashable], k: int) -> float:
    """Precision@k: the relevant items in the top ``k`` divided by ``k``.

    P@k = (1/k) * sum_{i=1..k} rel_i.

    Convention: the divisor is always ``k``, even when ``ranked`` holds fewer than ``k`` items
    (the missing positions count as misses; some libraries divide by ``min(k, len(ranked))``).
    """
    _check_k(k)
    items = _ranked_list(ranked)
    return _hits_in_top_k(items, set(relevant), k) / k


def recall_at_k(ranked: Sequence[Hashable], relevant: Collection[Hashable], k: int) -> float:
    """Recall@k: the relevant items in the top ``k`` divided by the number of relevant items R.

    R@k = (sum_{i=1..k} rel_i) / R. Raises ``ValueError`` when ``relevant`` is empty (R = 0).
    """
    _check_k(k)
    items = _ranked_list(ranked)
    relevant_set = set(relevant)
    if not relevant_set:
        raise ValueError("relevant is empty; recall is undefined without relevant items")
    return _hits_in_top_k(items, relevant_set, k) / len(relevant_set)


def reciprocal_rank(
    ranked: Sequence[Hashable], relevant: Collection[Hashable], k: int | None = None
) -> float:
    """Reciprocal rank: 1 / (position of the first relevant item), or 0 when there is none.

    With ``k`` given, only the top ``k`` positions count (RR@k): a first hit below ``k`` gives 0.
    """
    _check_optional_k(k)
    items = _ranked_list(ranked)
    relevant_set = set(relevant)
    cutoff = len(items) if k is None else k
    for position, item in enumerate(items[:cutoff], start=1):
        if item in relevant_set:
            return 1.0 / position
    return 0.0


def _queries(queries: Iterable[Query]) -> list[tuple[list[Hashable], set[Hashable]]]:
    """Validate ``(ranked, relevant)`` pairs, naming the query at fault."""
    pairs = []
    for index, query in enumerate(queries):
        try:
            ranked, relevant = query
            pairs.append((_ranked_list(ranked), set(relevant)))
        except ValueError as error:
            raise ValueError(f"queries[{index}]: {error}") from error
    _check_nonempty(pairs, "queries")
    return pairs


def mean_reciprocal_rank(queries: Iterable[Query], k: int | None = None) -> float:
    """MRR: the mean of :func:`reciprocal_rank` over ``(ranked, relevant)`` pairs.

    MRR = (1/|Q|) * sum_q 1/rank_q. A query with no relevant item in range contributes 0.
    """
    _check_optional_k(k)
    pairs = _queries(queries)
    return sum(reciprocal_rank(ranked, relevant, k) for ranked, relevant in pairs) / len(pairs)


def hit_rate_at_k(queries: Iterable[Query], k: int) -> float:
    """Hit rate@k: the share of queries with at least one relevant item in their top ``k``.

    HR@k = (1/|Q|) * sum_q 1[ |top-k_q ∩ R_q| >= 1 ]. Deep metric learning papers report this as
    "Recall@K" (a query counts as recalled when any of its K nearest neighbours shares its class),
    which is not the IR recall@k of :func:`recall_at_k`: with one relevant item per query the two
    coincide, with many they do not. A query with no relevant item contributes 0.
    """
    _check_k(k)
    pairs = _queries(queries)
    return sum(1 for ranked, relevant in pairs if _hits_in_top_k(ranked, relevant, k) > 0) / len(pairs)


def average_precision_at_k(
    ranked: Sequence[Hashable],
    relevant: Collection[Hashable],
    k: int,
    normalizer: str = "min",
) -> float:
    """AP@k: the sum of precision@i at each relevant position i <= k, divided by N.

    AP@k = (1/N) * sum_{i=1..k} P@i * rel_i, where ``normalizer`` picks N:

    - ``"min"`` (default): N = min(R, k), as in Kaggle's ``ml_metrics.apk``;
    - ``"hits"``: N = the number of relevant items found in the top k, as in torchmetrics'
      ``retrieval_average_precision(top_k=k)`` (the mean of P@i over the hit positions);
    - ``"relevant"``: N = R, the TREC convention (misses beyond k count against the list).

    R is the number of distinct relevant items. The result is 0 when N is 0.
    """
    _check_k(k)
    _check_choice(normalizer, "normalizer", AP_NORMALIZERS)
    items = _ranked_list(ranked)
    relevant_set = set(relevant)
    hits = 0
    precision_sum = 0.0
    for position, item in enumerate(items[:k], start=1):
        if item in relevant_set:
            hits += 1
            precision_sum += hits / position
    divisor = {"min": min(len(relevant_set), k), "hits": hits, "relevant": len(relevant_set)}
    n = divisor[normalizer]
    return precision_sum / n if n else 0.0


def mean_average_precision(queries: Iterable[Query], k: int, normalizer: str = "min") -> float:
    """MAP@k: the mean of :func:`average_precision_at_k` over ``(ranked, relevant)`` pairs."""
    _check_k(k)
    _check_choice(normalizer, "normalizer", AP_NORMALIZERS)
    pairs = _queries(queries)
    total = sum(average_precision_at_k(r, rel, k, normalizer) for r, rel in pairs)
    return total / len(pairs)


# --- ranking: graded relevance ----------------------------------------------------------------


def _dcg(gains: list[float], k: int, gain: str) -> float:
    """DCG of already-validated gains."""
    transform = (lambda g: g) if gain == "linear" else (lambda g: 2.0**g - 1.0)
    return sum(transform(g) / math.log2(i + 1) for i, g in enumerate(gains[:k], start=1))


def dcg_at_k(gains: Sequence[float], k: int, gain: str = "linear") -> float:
    """DCG@k of relevance gains given in ranked order.

    DCG@k = sum_{i=1..k} g(rel_i) / log2(i + 1), positions i counted from 1 (the first position
    is not discounted). ``gain="linear"`` uses g(rel) = rel (Jarvelin and Kekalainen 2002, as in
    scikit-learn's ``dcg_score``); ``gain="exponential"`` uses g(rel) = 2**rel - 1 (Burges et
    al. 2005, LightGBM's default ``label_gain``). Gains must be finite and non-negative.
    """
    _check_k(k)
    _check_choice(gain, "gain", DCG_GAINS)
    return _dcg(_gains(gains, "gains"), k, gain)


def ndcg_at_k(
    gains: Sequence[float],
    k: int,
    gain: str = "linear",
    ideal_gains: Sequence[float] | None = None,
) -> float:
    """nDCG@k = DCG@k / IDCG@k, with DCG as in :func:`dcg_at_k`.

    The ideal DCG is the DCG@k of the gains sorted in descending order: of ``gains`` itself by
    default (the IDCG over the retrieved list, as scikit-learn computes it from the row passed),
    or of ``ideal_gains`` when all judged items for the query are given, so that relevant items
    the system failed to retrieve lower the score. ``ideal_gains`` must then contain every
    positive gain of ``gains``. The result is 0 when the ideal DCG is 0.
    """
    _check_k(k)
    _check_choice(gain, "gain", DCG_GAINS)
    ranked_gains = _gains(gains, "gains")
    if ideal_gains is None:
        ideal = sorted(ranked_gains, reverse=True)
    else:
        ideal = sorted(_gains(ideal_gains, "ideal_gains"), reverse=True)
        _check_sub_multiset([g for g in ranked_gains if g > 0], ideal)
    ideal_dcg = _dcg(ideal, k, gain)
    return _dcg(ranked_gains, k, gain) / ideal_dcg if ideal_dcg > 0 else 0.0


def _check_sub_multiset(positive_gains: list[float], ideal: list[float]) -> None:
    """Raise unless every positive gain appears in ``ideal`` (counting repeats)."""
    remaining: dict[float, int] = {}
    for g in ideal:
        remaining[g] = remaining.get(g, 0) + 1
    for g in positive_gains:
        if remaining.get(g, 0) == 0:
            raise ValueError(
                f"ideal_gains must contain every judged gain of gains; gain {g!r} is missing"
            )
        remaining[g] -= 1


# --- classification and probability quality --------------------------------------------------


def _scored_labels(
    y_true: Sequence[object], y_score: Sequence[float]
) -> tuple[list[int], list[float]]:
    """Validate a (labels, scores) pair of equal length."""
    labels = _labels(y_true)
    scores = _scores(y_score)
    _check_same_length(labels, "y_true", scores, "y_score")
    return labels, scores


def _labelled_probabilities(
    y_true: Sequence[object], p: Sequence[float]
) -> tuple[list[int], list[float]]:
    """Validate a (labels, probabilities) pair of equal length."""
    labels = _labels(y_true)
    probabilities = _probabilities(p)
    _check_same_length(labels, "y_true", probabilities, "p")
    return labels, probabilities


def _auc(labels: list[int], scores: list[float]) -> float:
    """ROC AUC from validated labels and scores that hold both classes (Mann-Whitney U)."""
    n = len(scores)
    order = sorted(range(n), key=scores.__getitem__)
    ranks = [0.0] * n
    start = 0
    while start < n:
        end = start
        while end + 1 < n and scores[order[end + 1]] == scores[order[start]]:
            end += 1
        midrank = (start + end) / 2 + 1  # tied scores share the mean of ranks start+1..end+1
        for position in range(start, end + 1):
            ranks[order[position]] = midrank
        start = end + 1
    n_pos = sum(labels)
    n_neg = n - n_pos
    positive_rank_sum = sum(rank for rank, label in zip(ranks, labels) if label)
    return (positive_rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def roc_auc(y_true: Sequence[int], y_score: Sequence[float]) -> float:
    """ROC AUC: the probability that a random positive outscores a random negative.

    AUC = P(s+ > s-) + 1/2 * P(s+ = s-), computed as the normalised Mann-Whitney U statistic
    (U / (n+ * n-), ties counted as one half). Raises ``ValueError`` unless ``y_true`` holds
    both classes.
    """
    labels, scores = _scored_labels(y_true, y_score)
    if sum(labels) in (0, len(labels)):
        raise ValueError(f"y_true holds only label {labels[0]}; roc_auc needs both 0 and 1")
    return _auc(labels, scores)


def average_precision(y_true: Sequence[int], y_score: Sequence[float]) -> float:
    """Average precision: the step-wise area under the precision-recall curve.

    AP = sum_n (R_n - R_{n-1}) * P_n over the distinct score thresholds in descending order,
    with R_0 = 0; tied scores form one threshold. This is scikit-learn's non-interpolated
    ``average_precision_score``, not the trapezoidal area under the PR curve. Raises
    ``ValueError`` when ``y_true`` has no positive.
    """
    labels, scores = _scored_labels(y_true, y_score)
    n_pos = sum(labels)
    if n_pos == 0:
        raise ValueError("y_true has no positive label; average precision is undefined")
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    tp = fp = 0
    previous_recall = 0.0
    area = 0.0
    for position, index in enumerate(order):
        tp += labels[index]
        fp += 1 - labels[index]
        is_last_of_tie = position + 1 == len(order) or scores[order[position + 1]] != scores[index]
        if is_last_of_tie:
            recall = tp / n_pos
            area += (recall - previous_recall) * (tp / (tp + fp))
            previous_recall = recall
    return area


def log_loss(y_true: Sequence[int], p: Sequence[float]) -> float:
    """Log loss (binary cross-entropy) in nats: -(1/N) * sum [y log p + (1 - y) log(1 - p)].

    No clipping: a confident wrong prediction (p = 0 for a positive, p = 1 for a negative)
    gives ``math.inf``. (scikit-learn clips p to [eps, 1 - eps] and stays finite.)
    """
    labels, probabilities = _labelled_probabilities(y_true, p)
    total = 0.0
    for label, q in zip(labels, probabilities):
        if (label == 1 and q == 0.0) or (label == 0 and q == 1.0):
            return math.inf
        total -= math.log(q) if label == 1 else math.log1p(-q)
    return total / len(labels)


def binary_entropy(rate: float) -> float:
    """Entropy in nats of a Bernoulli(rate) variable: -(r log r + (1 - r) log(1 - r)).

    It is the log loss of always predicting ``rate``, the denominator of normalised entropy.
    """
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate = {rate!r} is outside [0, 1]")
    return -sum(q * math.log(q) for q in (rate, 1.0 - rate) if q > 0)


def normalized_entropy(y_true: Sequence[int], p: Sequence[float]) -> float:
    """Normalised entropy (He et al., 2014): log loss over the entropy of the positive rate.

    NE = log_loss(y, p) / H(r), with r = mean(y) the empirical positive rate (background CTR)
    and H(r) = -(r log r + (1 - r) log(1 - r)). Lower is better; 1 means no better than always
    predicting r. Raises ``ValueError`` when ``y_true`` holds a single class (H(r) = 0).
    """
    labels, probabilities = _labelled_probabilities(y_true, p)
    rate = sum(labels) / len(labels)
    if rate in (0.0, 1.0):
        raise ValueError(
            f"y_true holds only label {labels[0]}; normalized entropy needs both 0 and 1"
        )
    return log_loss(labels, probabilities) / binary_entropy(rate)


def calibration_ratio(y_true: Sequence[int], p: Sequence[float]) -> float:
    """Calibration ratio = expected events / observed events = mean(p) / mean(y).

    Direction as in He et al. (2014): above 1 the model over-predicts, below 1 it
    under-predicts. (Some reviews print the inverse, observed over expected.) Raises
    ``ValueError`` when ``y_true`` has no positive.
    """
    labels, probabilities = _labelled_probabilities(y_true, p)
    observed = sum(labels)
    if observed == 0:
        raise ValueError("y_true has no positive label; the calibration ratio is undefined")
    return sum(probabilities) / observed


def expected_calibration_error(
    y_true: Sequence[int], p: Sequence[float], n_bins: int = 10
) -> float:
    """Expected calibration error over ``n_bins`` equal-width bins on [0, 1].

    ECE = sum_b (|B_b| / N) * |mean(y in B_b) - mean(p in B_b)| over the non-empty bins. Bin b
    (from 0) holds the predictions with b/n_bins <= p < (b+1)/n_bins, the edges being the floats
    b / n_bins; a prediction of exactly 1 falls in the last bin. (scikit-learn's
    ``calibration_curve`` closes its bins on the right instead: it differs only for predictions
    that sit exactly on an inner edge.)
    """
    _check_k(n_bins, "n_bins")
    labels, probabilities = _labelled_probabilities(y_true, p)
    inner_edges = [b / n_bins for b in range(1, n_bins)]
    counts = [0] * n_bins
    label_sums = [0.0] * n_bins
    probability_sums = [0.0] * n_bins
    for label, q in zip(labels, probabilities):
        b = bisect.bisect_right(inner_edges, q)
        counts[b] += 1
        label_sums[b] += label
        probability_sums[b] += q
    gap = sum(abs(label_sums[b] - probability_sums[b]) for b in range(n_bins) if counts[b])
    return gap / len(labels)


RELIABILITY_STRATEGIES = ("uniform", "quantile")


def _quantile_edge(sorted_values: list[float], b: int, n_bins: int) -> float:
    """The (b / n_bins)-quantile of sorted values, with linear interpolation between order statistics.

    The float operations follow numpy's ``percentile(values, linspace(0, 1, n_bins + 1) * 100)``
    step by step, so edges that fall on data points are the same floats scikit-learn uses.
    """
    fraction = (b * (1.0 / n_bins)) * 100 / 100
    position = fraction * (len(sorted_values) - 1)
    low = min(math.floor(position), len(sorted_values) - 1)
    high = min(low + 1, len(sorted_values) - 1)
    a, c = sorted_values[low], sorted_values[high]
    t = position - low
    return c - (c - a) * (1 - t) if t >= 0.5 else a + (c - a) * t


def reliability_curve(
    y_true: Sequence[int], p: Sequence[float], n_bins: int = 10, strategy: str = "uniform"
) -> list[tuple[float, float, int]]:
    """The points of a reliability diagram: ``(mean predicted, observed rate, count)`` per non-empty bin.

    A calibrated model's points lie on the diagonal: among predictions near p, a share p is
    positive. ``strategy`` picks the bins:

    - ``"uniform"``: ``n_bins`` equal-width bins on [0, 1], with the bin edges and the left-closed
      convention of :func:`expected_calibration_error`, so the count-weighted mean of
      |observed - predicted| over the points is that function's ECE;
    - ``"quantile"``: equal-mass bins whose edges are the 0, 1/n_bins, ..., 1 percentiles of ``p``
      (linear interpolation); a prediction equal to an inner edge falls in the lower bin, as in
      scikit-learn's ``calibration_curve(strategy="quantile")``, whose points this reproduces. Ties
      can leave bins empty; they are dropped. With rare positives (ads click at about 1%) nearly
      every prediction falls in the first equal-width bin, so equal-mass bins are the useful ones.

    Points are returned in increasing bin order.
    """
    _check_k(n_bins, "n_bins")
    _check_choice(strategy, "strategy", RELIABILITY_STRATEGIES)
    labels, probabilities = _labelled_probabilities(y_true, p)
    if strategy == "uniform":
        inner_edges = [b / n_bins for b in range(1, n_bins)]
        locate = bisect.bisect_right
    else:
        ordered = sorted(probabilities)
        inner_edges = [_quantile_edge(ordered, b, n_bins) for b in range(1, n_bins)]
        locate = bisect.bisect_left
    counts = [0] * n_bins
    label_sums = [0.0] * n_bins
    probability_sums = [0.0] * n_bins
    for label, q in zip(labels, probabilities):
        b = locate(inner_edges, q)
        counts[b] += 1
        label_sums[b] += label
        probability_sums[b] += q
    return [(probability_sums[b] / counts[b], label_sums[b] / counts[b], counts[b])
            for b in range(n_bins) if counts[b]]


def grouped_auc(
    y_true: Sequence[int], y_score: Sequence[float], groups: Sequence[Hashable]
) -> float:
    """Grouped AUC (GAUC): per-group ROC AUC, averaged with weights equal to group sizes.

    GAUC = sum_g n_g * AUC_g / sum_g n_g, over the groups (users, requests) that hold both
    classes; n_g counts all rows of group g. Groups with a single class are skipped. Raises
    ``ValueError`` when no group holds both classes.
    """
    labels, scores = _scored_labels(y_true, y_score)
    group_ids = list(groups)
    _check_same_length(labels, "y_true", group_ids, "groups")
    members: dict[Hashable, list[int]] = {}
    for index, group in enumerate(group_ids):
        members.setdefault(group, []).append(index)
    weighted = 0.0
    weight = 0
    for indices in members.values():
        group_labels = [labels[i] for i in indices]
        if 0 < sum(group_labels) < len(group_labels):
            weighted += len(indices) * _auc(group_labels, [scores[i] for i in indices])
            weight += len(indices)
    if weight == 0:
        raise ValueError("no group holds both labels 0 and 1; grouped AUC is undefined")
    return weighted / weight


# --- operating points, imbalance and prevalence (integrity) ----------------------------------


def precision_recall_at_threshold(
    y_true: Sequence[int], y_score: Sequence[float], threshold: float
) -> tuple[float, float]:
    """Precision and recall of the rule "flag when score >= threshold".

    precision = TP / (TP + FP) and recall = TP / (TP + FN) over the flagged rows. Precision is
    0 when nothing is flagged (scikit-learn's ``zero_division=0``); raises ``ValueError`` when
    ``y_true`` has no positive (recall undefined).
    """
    labels, scores = _scored_labels(y_true, y_score)
    n_pos = sum(labels)
    if n_pos == 0:
        raise ValueError("y_true has no positive label; recall is undefined")
    tp = sum(1 for y, s in zip(labels, scores) if y and s >= threshold)
    flagged = sum(1 for s in scores if s >= threshold)
    return (tp / flagged if flagged else 0.0), tp / n_pos


def recall_at_precision(
    y_true: Sequence[int], y_score: Sequence[float], min_precision: float
) -> tuple[float, float, float]:
    """The operating point with the highest recall whose precision is at least ``min_precision``.

    Scans every distinct score as a threshold ("flag when score >= t"), keeps those with
    precision >= ``min_precision`` and returns ``(threshold, precision, recall)`` of the one with
    the highest recall (the lowest such threshold). When no threshold reaches the floor it
    returns ``(math.inf, 0.0, 0.0)``: flag nothing. Raises ``ValueError`` when ``y_true`` has no
    positive.
    """
    labels, scores = _scored_labels(y_true, y_score)
    floor = float(min_precision)
    if not 0.0 <= floor <= 1.0:
        raise ValueError(f"min_precision = {min_precision!r} is outside [0, 1]")
    n_pos = sum(labels)
    if n_pos == 0:
        raise ValueError("y_true has no positive label; recall is undefined")
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    best = (math.inf, 0.0, 0.0)
    tp = fp = 0
    for position, index in enumerate(order):
        tp += labels[index]
        fp += 1 - labels[index]
        is_last_of_tie = position + 1 == len(order) or scores[order[position + 1]] != scores[index]
        if is_last_of_tie and tp / (tp + fp) >= floor and tp / n_pos > best[2]:
            best = (scores[index], tp / (tp + fp), tp / n_pos)
    return best


def focal_loss(y_true: Sequence[int], p: Sequence[float], gamma: float = 2.0, alpha: float | None = None) -> float:
    """Mean binary focal loss (Lin et al., 2017): -(1/N) sum alpha_t (1 - p_t)^gamma log p_t.

    p_t = p for a positive and 1 - p for a negative; alpha_t = alpha for a positive and
    1 - alpha for a negative, or 1 for both when ``alpha`` is None. With gamma = 0 and no alpha
    it is the log loss. The factor (1 - p_t)^gamma shrinks the loss of well-classified rows
    (p_t near 1); a confident wrong prediction (p_t = 0) keeps weight 1 and gives ``math.inf``.
    """
    labels, probabilities = _labelled_probabilities(y_true, p)
    g = float(gamma)
    if g < 0 or math.isnan(g):
        raise ValueError(f"gamma = {gamma!r} must be >= 0")
    if alpha is not None and not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha = {alpha!r} is outside [0, 1]")
    total = 0.0
    for label, q in zip(labels, probabilities):
        p_t = q if label == 1 else 1.0 - q
        if p_t == 0.0:
            return math.inf
        weight = 1.0 if alpha is None else (alpha if label == 1 else 1.0 - alpha)
        total -= weight * (1.0 - p_t) ** g * math.log(p_t)
    return total / len(labels)


def wilson_interval(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval for a proportion: (centre -+ half) / (1 + z^2/n).

    centre = p + z^2 / (2n) and half = z sqrt(p (1 - p) / n + z^2 / (4 n^2)), with p = k / n.
    Unlike the normal (Wald) interval it stays inside [0, 1] and does not collapse to a point
    when k = 0, which matters for rare events such as prevalence. ``z`` defaults to the 97.5%
    normal quantile (a two-sided 95% interval), as statsmodels' ``proportion_confint``.
    """
    if not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n = {n!r} must be a positive integer")
    if not isinstance(successes, numbers.Integral) or not 0 <= successes <= n:
        raise ValueError(f"successes = {successes!r} must be an integer in [0, n = {n}]")
    rate = successes / n
    denominator = 1 + z * z / n
    centre = rate + z * z / (2 * n)
    half = z * math.sqrt(rate * (1 - rate) / n + z * z / (4 * n * n))
    return max(0.0, (centre - half) / denominator), min(1.0, (centre + half) / denominator)


def stratified_proportion(
    strata: Sequence[tuple[float, int, int]], z: float = 1.959963984540054
) -> tuple[float, float]:
    """Stratified estimate of a proportion and the half-width of its normal interval.

    ``strata`` holds ``(weight, positives, n)`` per stratum, the weights being each stratum's
    share of the population (they must sum to 1; for prevalence, its share of views). The
    estimate is sum_h W_h p_h with p_h = positives_h / n_h, and its variance
    sum_h W_h^2 p_h (1 - p_h) / n_h (sampling with replacement, or a small sampling fraction).
    Returns ``(estimate, z * standard error)``.
    """
    if not strata:
        raise ValueError("strata is empty")
    total_weight = 0.0
    estimate = variance = 0.0
    for index, (weight, positives, n) in enumerate(strata):
        if not 0.0 <= weight <= 1.0:
            raise ValueError(f"strata[{index}] weight = {weight!r} is outside [0, 1]")
        if not isinstance(n, numbers.Integral) or n < 1:
            raise ValueError(f"strata[{index}] n = {n!r} must be a positive integer")
        if not isinstance(positives, numbers.Integral) or not 0 <= positives <= n:
            raise ValueError(f"strata[{index}] positives = {positives!r} must be an integer in [0, n]")
        rate = positives / n
        total_weight += weight
        estimate += weight * rate
        variance += weight * weight * rate * (1 - rate) / n
    if not math.isclose(total_weight, 1.0, abs_tol=1e-9):
        raise ValueError(f"stratum weights sum to {total_weight!r}, not 1")
    return estimate, z * math.sqrt(variance)


# --- object detection -------------------------------------------------------------------------


def iou(box_a: Box, box_b: Box) -> float:
    """Intersection over union of two ``(x1, y1, x2, y2)`` boxes, |A and B| / |A or B|.

    Continuous coordinates: a box's area is (x2 - x1) * (y2 - y1), with no "+1 pixel" term (the
    COCO convention; the VOC devkit adds 1 to integer pixel extents).
    """
    ax1, ay1, ax2, ay2 = _box(box_a, "box_a")
    bx1, by1, bx2, by2 = _box(box_b, "box_b")
    width = max(0.0, min(ax2, bx2) - max(ax1, bx1))
    height = max(0.0, min(ay2, by2) - max(ay1, by1))
    intersection = width * height
    union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - intersection
    return intersection / union


def detection_average_precision(
    detections: Sequence[tuple[Hashable, float, Box]],
    ground_truths: Sequence[tuple[Hashable, Box]],
    iou_threshold: float = 0.5,
    interpolation: str = "all_points",
) -> float:
    """Detection AP for one class: area under the interpolated precision-recall curve.

    Matching: detections ``(image_id, score, box)`` are taken by descending score (ties keep
    their input order); each is a true positive when some still-unmatched ground truth
    ``(image_id, box)`` of the same image has IoU >= ``iou_threshold`` with it, and it takes the
    one with the highest IoU (the first listed on an exact tie); otherwise it is a false
    positive. Each ground truth is matched at most once (COCO's greedy matching).

    After the n-th detection, recall r_n = TP_n / G (G ground truths) and precision
    p_n = TP_n / n. The interpolated precision at recall r is max{p_n : r_n >= r} (0 if none).

    - ``"all_points"`` (VOC 2010 and later): AP = sum_n (r_n - r_{n-1}) * p_interp(r_n).
    - ``"coco101"``: AP = the mean of p_interp(r) at the 101 recall points r = 0, 0.01, ..., 1
      (computed as i / 100).

    No detections give 0. Raises ``ValueError`` when there is no ground truth.
    """
    if not 0.0 < iou_threshold <= 1.0:
        raise ValueError(f"iou_threshold = {iou_threshold!r} is outside (0, 1]")
    _check_choice(interpolation, "interpolation", DETECTION_INTERPOLATIONS)
    truth_boxes: dict[Hashable, list[Box]] = {}
    for index, (image_id, box) in enumerate(ground_truths):
        truth_boxes.setdefault(image_id, []).append(_box(box, f"ground_truths[{index}] box"))
    n_truths = sum(len(boxes) for boxes in truth_boxes.values())
    if n_truths == 0:
        raise ValueError("ground_truths is empty; detection AP is undefined without ground truth")
    checked = []
    for index, (image_id, score, box) in enumerate(detections):
        if math.isnan(float(score)):
            raise ValueError(f"detections[{index}] score is NaN")
        checked.append((image_id, float(score), _box(box, f"detections[{index}] box")))
    checked.sort(key=lambda detection: -detection[1])

    matched = {image_id: [False] * len(boxes) for image_id, boxes in truth_boxes.items()}
    recalls: list[float] = []
    precisions: list[float] = []
    true_positives = 0
    for n, (image_id, _score, box) in enumerate(checked, start=1):
        best, best_overlap = -1, 0.0
        for j, truth in enumerate(truth_boxes.get(image_id, [])):
            overlap = iou(box, truth)
            if not matched[image_id][j] and overlap >= iou_threshold and overlap > best_overlap:
                best, best_overlap = j, overlap
        if best >= 0:
            matched[image_id][best] = True
            true_positives += 1
        recalls.append(true_positives / n_truths)
        precisions.append(true_positives / n)

    envelope = precisions[:]
    for i in range(len(envelope) - 2, -1, -1):
        envelope[i] = max(envelope[i], envelope[i + 1])
    if interpolation == "all_points":
        area, previous_recall = 0.0, 0.0
        for recall, precision in zip(recalls, envelope):
            area += (recall - previous_recall) * precision
            previous_recall = recall
        return area
    points = [i / 100 for i in range(101)]
    total = 0.0
    for point in points:
        first = bisect.bisect_left(recalls, point)
        total += envelope[first] if first < len(envelope) else 0.0
    return total / len(points)


#: COCO's ten IoU thresholds, computed as numpy's ``linspace(.5, .95, 10)`` computes them
#: (start + i * step), so that boundary cases match pycocotools bit for bit.
COCO_IOU_THRESHOLDS = tuple(0.5 + i * ((0.95 - 0.5) / 9) for i in range(10))


def coco_average_precision(
    detections: Sequence[tuple[Hashable, float, Box]],
    ground_truths: Sequence[tuple[Hashable, Box]],
) -> float:
    """COCO-style AP for one class: the 101-point detection AP averaged over the ten IoU
    thresholds 0.50, 0.55, ..., 0.95 (the thresholds pycocotools uses, ``np.linspace(.5, .95, 10)``).

    A "mAP" over several classes is the mean of this value over the classes.
    """
    return sum(
        detection_average_precision(detections, ground_truths, threshold, "coco101")
        for threshold in COCO_IOU_THRESHOLDS
    ) / len(COCO_IOU_THRESHOLDS)


def non_max_suppression(boxes: Sequence[Box], scores: Sequence[float], iou_threshold: float) -> list[int]:
    """Greedy non-maximum suppression: the indices of the boxes kept, highest score first.

    Boxes are taken by descending score (ties keep their input order); a box is kept unless its
    IoU with a box already kept is strictly greater than ``iou_threshold`` (the rule of
    torchvision's ``nms`` and OpenCV's ``NMSBoxes``), so a threshold of 1 keeps every box and a
    threshold of 0 keeps only boxes that touch no kept box.
    """
    _check_same_length(boxes, "boxes", scores, "scores")
    if not 0.0 <= iou_threshold <= 1.0:
        raise ValueError(f"iou_threshold = {iou_threshold!r} is outside [0, 1]")
    checked = [_box(box, f"boxes[{i}]") for i, box in enumerate(boxes)]
    values = _floats(scores, "scores")
    if any(math.isnan(v) for v in values):
        raise ValueError("scores contain NaN; they must be comparable numbers")
    order = sorted(range(len(checked)), key=lambda i: -values[i])
    kept: list[int] = []
    for i in order:
        if all(iou(checked[i], checked[j]) <= iou_threshold for j in kept):
            kept.append(i)
    return kept
