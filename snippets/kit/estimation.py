"""Back-of-the-envelope formulas: traffic, memory, capacity, fan-out latency and A/B test sizing.

Pure functions of their arguments; the assumptions they are fed live in each chapter's snippet
module. Units are plain: requests per second, bytes (decimal prefixes are applied only by
``snippets.kit.display``), days. Invalid input raises ``ValueError`` naming the argument and the
offending value (``TypeError`` for a value that is not a number at all). Only the standard
library is used (``statistics.NormalDist`` for quantiles).
"""

from __future__ import annotations

import math
import numbers
from statistics import NormalDist

from snippets.kit.house import HOUSE

SECONDS_PER_DAY = HOUSE.seconds_per_day
HNSW_LINK_BYTES = 4
"""Bytes per HNSW graph link (a 32-bit neighbour id), as in the Faiss index guidelines."""


# --- input validation -------------------------------------------------------------------------


def _number(value: float, name: str) -> float:
    """Return ``value`` as a float: non-numbers (booleans, strings) raise ``TypeError``, NaN and
    infinities ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return float(value)


def _non_negative(value: float, name: str) -> float:
    """A finite number >= 0."""
    number = _number(value, name)
    if number < 0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return number


def _positive(value: float, name: str) -> float:
    """A finite number > 0."""
    number = _number(value, name)
    if number <= 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return number


def _integer_at_least(value: int, name: str, minimum: int) -> int:
    """An integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _probability(value: float, name: str) -> float:
    """A number in [0, 1]."""
    number = _number(value, name)
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"{name} = {value!r} is outside [0, 1]")
    return number


def _open_probability(value: float, name: str) -> float:
    """A number strictly between 0 and 1."""
    number = _number(value, name)
    if not 0.0 < number < 1.0:
        raise ValueError(f"{name} = {value!r} is outside (0, 1)")
    return number


# --- traffic ----------------------------------------------------------------------------------


def average_qps(daily_active_users: float, requests_per_user_per_day: float) -> float:
    """Average queries per second = daily active users * requests per user per day / 86,400."""
    users = _non_negative(daily_active_users, "daily_active_users")
    per_user = _non_negative(requests_per_user_per_day, "requests_per_user_per_day")
    return users * per_user / SECONDS_PER_DAY


def peak_qps(average_qps: float, peak_to_average: float) -> float:
    """Peak queries per second = average QPS * peak-to-average ratio.

    The ratio is an assumption (2 to 3 is a common rule of thumb); it must be at least 1.
    """
    average = _non_negative(average_qps, "average_qps")
    ratio = _number(peak_to_average, "peak_to_average")
    if ratio < 1:
        raise ValueError(
            f"peak_to_average must be >= 1 (a peak is not below the mean), got {ratio!r}"
        )
    return average * ratio


def predictions_per_second(requests_per_second: float, candidates_per_request: float) -> float:
    """Model scores per second: every request scores every candidate once (a multi-head model
    counts once per candidate, since its heads share one forward pass)."""
    return _non_negative(requests_per_second, "requests_per_second") * _non_negative(
        candidates_per_request, "candidates_per_request"
    )


def impressions_per_day(daily_active_users: float, loads_per_user: float, items_per_load: float) -> float:
    """Items seen per day: daily users * loads per user * items seen per load."""
    return (
        _non_negative(daily_active_users, "daily_active_users")
        * _non_negative(loads_per_user, "loads_per_user")
        * _non_negative(items_per_load, "items_per_load")
    )


def training_rows_per_day(impressions: float, positive_rate: float, negative_keep_rate: float = 1.0) -> float:
    """Training rows per day: every positive impression plus the kept share of the negatives."""
    n = _non_negative(impressions, "impressions")
    rate = _probability(positive_rate, "positive_rate")
    keep = _probability(negative_keep_rate, "negative_keep_rate")
    return n * rate + n * (1 - rate) * keep


def negative_keep_rate_for_ratio(positive_rate: float, negatives_per_positive: float) -> float:
    """Share w of negatives to keep so that kept negatives / positives = the target ratio:
    w = ratio * p / (1 - p), capped at 1 (keep everything when negatives are already scarce)."""
    p = _open_probability(positive_rate, "positive_rate")
    ratio = _positive(negatives_per_positive, "negatives_per_positive")
    return min(1.0, ratio * p / (1 - p))


# --- capacity ---------------------------------------------------------------------------------


def replicas_needed(qps: float, qps_per_replica: float, utilisation: float = 1.0) -> int:
    """Replicas to serve a query rate: ceil(qps / (per-replica qps * target utilisation)), at least 1."""
    return _units_for(qps, qps_per_replica, utilisation, "qps", "qps_per_replica")


def accelerators_needed(rate: float, rate_per_accelerator: float, utilisation: float = 1.0) -> int:
    """GPUs (or other accelerators) to sustain a rate of work items per second:
    ceil(rate / (per-accelerator rate * target utilisation)), at least 1. No redundancy added."""
    return _units_for(rate, rate_per_accelerator, utilisation, "rate", "rate_per_accelerator")


def shards_needed(total_bytes: float, bytes_per_host: float) -> int:
    """Shards so that each fits in one host's memory: ceil(total / per host), at least 1."""
    total = _non_negative(total_bytes, "total_bytes")
    per_host = _positive(bytes_per_host, "bytes_per_host")
    return max(1, _ceil(total / per_host))


def _units_for(load: float, per_unit: float, utilisation: float, load_name: str, unit_name: str) -> int:
    amount = _non_negative(load, load_name)
    capacity = _positive(per_unit, unit_name)
    use = _number(utilisation, "utilisation")
    if not 0.0 < use <= 1.0:
        raise ValueError(f"utilisation = {utilisation!r} is outside (0, 1]")
    return max(1, _ceil(amount / (capacity * use)))


def _ceil(ratio: float) -> int:
    """Round a ratio up to a whole number of units, treating a ratio within floating-point error of
    a whole number as that number: 2.1 / 0.7 is 3.0000000000000004 in floating point, and needs 3
    units, not 4."""
    nearest = round(ratio)
    return nearest if math.isclose(ratio, nearest, rel_tol=1e-9) else math.ceil(ratio)


# --- memory -----------------------------------------------------------------------------------


def embedding_bytes(n_vectors: int, dim: int, bytes_per_value: float = 4) -> float:
    """Raw embedding storage = n_vectors * dim * bytes_per_value.

    ``bytes_per_value`` is 4 for float32, 2 for float16, 1 for int8 and 1/8 for binary codes.
    """
    n = _integer_at_least(n_vectors, "n_vectors", 0)
    d = _integer_at_least(dim, "dim", 1)
    return n * d * _positive(bytes_per_value, "bytes_per_value")


def hnsw_index_bytes(n_vectors: int, dim: int, m: int, bytes_per_value: float = 4) -> float:
    """HNSW index memory = n_vectors * (dim * bytes_per_value + m * 2 * 4).

    The Faiss guideline for choosing an index: each vector is stored in full and keeps about
    ``2 * m`` links of 4 bytes on the base layer (upper layers are ignored as negligible).
    """
    n = _integer_at_least(n_vectors, "n_vectors", 0)
    d = _integer_at_least(dim, "dim", 1)
    links = _integer_at_least(m, "m", 1)
    width = _positive(bytes_per_value, "bytes_per_value")
    return n * (d * width + links * 2 * HNSW_LINK_BYTES)


def ivfpq_index_bytes(n_vectors: int, code_bytes: float, id_bytes: float = 8) -> float:
    """IVF-PQ index memory = n_vectors * (code_bytes + id_bytes).

    ``code_bytes`` is M for PQ with M 8-bit sub-quantisers (M/2 for 4-bit fast-scan codes);
    each inverted-list entry also stores its id. Coarse centroids and codebooks are left out:
    they do not grow with n_vectors.
    """
    n = _integer_at_least(n_vectors, "n_vectors", 0)
    return n * (_positive(code_bytes, "code_bytes") + _non_negative(id_bytes, "id_bytes"))


# --- graph fan-out --------------------------------------------------------------------------


def mean_neighbour_degree(mean_degree: float, degree_second_moment: float) -> float:
    """Average degree of a member's neighbour = E[d^2] / E[d] (the friendship paradox).

    Following a random edge reaches a member with probability proportional to their degree, so a
    neighbour has, on average, more connections than a member: E[d^2] / E[d] = E[d] + Var[d] / E[d].
    """
    mean = _positive(mean_degree, "mean_degree")
    second = _positive(degree_second_moment, "degree_second_moment")
    if second < mean * mean * (1 - 1e-12):
        raise ValueError(
            f"degree_second_moment = {degree_second_moment!r} is below mean_degree ** 2 = {mean * mean!r}; "
            "E[d^2] >= E[d]^2 for every distribution"
        )
    return second / mean


def two_hop_paths(degree: float, neighbour_expansion: float) -> float:
    """Friends-of-friends paths from one member = degree * (neighbour_expansion - 1).

    ``neighbour_expansion`` is what each neighbour contributes on average: its mean degree
    (:func:`mean_neighbour_degree`), or less when the job caps how many of a neighbour's
    connections it expands. The ``- 1`` drops the path that leads back to the member. Paths count
    a candidate once per common connection, so distinct candidates are fewer.
    """
    d = _non_negative(degree, "degree")
    expansion = _number(neighbour_expansion, "neighbour_expansion")
    if expansion < 1:
        raise ValueError(f"neighbour_expansion must be >= 1 (a neighbour knows the member), got {expansion!r}")
    return d * (expansion - 1)


def lognormal_partial_moment(median: float, sigma: float, k: int, upper: float | None = None) -> float:
    """E[d^k; d <= upper] for a log-normal d with the given median and log-scale spread ``sigma``.

    With mu = ln(median): exp(k mu + k^2 sigma^2 / 2) * Phi((ln(upper) - mu - k sigma^2) / sigma);
    without ``upper`` it is the full moment exp(k mu + k^2 sigma^2 / 2). A log-normal is the
    house's model of a long-tailed degree distribution: a median and one spread parameter.
    """
    m = _positive(median, "median")
    s = _positive(sigma, "sigma")
    power = _integer_at_least(k, "k", 0)
    mu = math.log(m)
    full = math.exp(power * mu + power * power * s * s / 2)
    if upper is None:
        return full
    cap = _positive(upper, "upper")
    return full * NormalDist().cdf((math.log(cap) - mu - power * s * s) / s)


def lognormal_share_above(median: float, sigma: float, threshold: float) -> float:
    """P(d > threshold) for a log-normal d: 1 - Phi(ln(threshold / median) / sigma)."""
    m = _positive(median, "median")
    s = _positive(sigma, "sigma")
    t = _positive(threshold, "threshold")
    return 1 - NormalDist().cdf(math.log(t / m) / s)


def capped_neighbour_expansion(median: float, sigma: float, cap: float) -> float:
    """Mean of min(d, cap) over neighbours (degree-biased) of a log-normal degree distribution.

    A job that expands at most ``cap`` connections of each neighbour gets, per neighbour,
    E[d * min(d, cap)] / E[d] = (E[d^2; d <= cap] + cap * E[d; d > cap]) / E[d]; as ``cap`` grows it
    tends to :func:`mean_neighbour_degree`.
    """
    c = _positive(cap, "cap")
    mean = lognormal_partial_moment(median, sigma, 1)
    below_second = lognormal_partial_moment(median, sigma, 2, c)
    above_first = mean - lognormal_partial_moment(median, sigma, 1, c)
    return (below_second + c * above_first) / mean


# --- latency ----------------------------------------------------------------------------------


def fanout_quantile(single_call_quantile: float, n_calls: int) -> float:
    """Probability that all ``n_calls`` independent parallel calls finish within a call's quantile.

    P(all within) = q ** n: a request that waits for 100 calls, each under its p99 latency with
    probability 0.99, is itself under that latency with probability 0.99**100 (about 0.366).
    """
    q = _probability(single_call_quantile, "single_call_quantile")
    n = _integer_at_least(n_calls, "n_calls", 1)
    return q**n


def required_call_quantile(request_quantile: float, n_calls: int) -> float:
    """The quantile each of ``n_calls`` parallel calls must meet for the request to meet its own.

    The inverse of :func:`fanout_quantile`: q = request_quantile ** (1 / n). For a request p99 over
    100 calls, each call must meet about its p99.99 (0.99 ** 0.01 = 0.9998995).
    """
    target = _open_probability(request_quantile, "request_quantile")
    n = _integer_at_least(n_calls, "n_calls", 1)
    return target ** (1 / n)


# --- experiments ------------------------------------------------------------------------------


def ab_test_sample_size(
    baseline_rate: float,
    minimum_detectable_effect: float,
    alpha: float = 0.05,
    power: float = 0.8,
    relative: bool = True,
) -> int:
    """Users per arm for a two-sided two-proportion z-test with equal arms.

    p1 = baseline_rate; p2 = p1 * (1 + mde) when ``relative`` (an mde of 0.05 means +5%), else
    p1 + mde. With pbar = (p1 + p2) / 2, z_x the standard normal x-quantile:

        n = ceil((z_(1-alpha/2) * sqrt(2 pbar (1 - pbar))
                  + z_power * sqrt(p1 (1 - p1) + p2 (1 - p2)))**2 / (p2 - p1)**2)

    The null variance uses the pooled rate and the alternative variance the two rates; the far
    tail of the two-sided test is ignored and no continuity correction is applied. A negative
    ``minimum_detectable_effect`` sizes the test for a drop.
    """
    p1 = _probability(baseline_rate, "baseline_rate")
    mde = _number(minimum_detectable_effect, "minimum_detectable_effect")
    if mde == 0:
        raise ValueError("minimum_detectable_effect must be non-zero, got 0")
    p2 = p1 * (1 + mde) if relative else p1 + mde
    if not 0.0 <= p2 <= 1.0:
        raise ValueError(
            f"the treatment rate p2 = {p2!r} (from baseline_rate = {baseline_rate!r} and "
            f"minimum_detectable_effect = {minimum_detectable_effect!r}) is outside [0, 1]"
        )
    if p2 == p1:
        raise ValueError(f"baseline_rate = {baseline_rate!r} gives no effect to detect (p2 = p1)")
    z_alpha = NormalDist().inv_cdf(1 - _open_probability(alpha, "alpha") / 2)
    z_power = NormalDist().inv_cdf(_open_probability(power, "power"))
    pbar = (p1 + p2) / 2
    spread = z_alpha * math.sqrt(2 * pbar * (1 - pbar)) + z_power * math.sqrt(
        p1 * (1 - p1) + p2 * (1 - p2)
    )
    return math.ceil(spread**2 / (p2 - p1) ** 2)


def ab_test_duration_days(
    sample_size_per_arm: int,
    daily_eligible_users: float,
    n_arms: int = 2,
    traffic_fraction: float = 1.0,
) -> int:
    """Whole days to enrol the sample: ceil(per-arm size * n_arms / (daily users * fraction)).

    ``traffic_fraction`` is the share of eligible users put in the experiment, split evenly over
    ``n_arms`` arms (control included). Counts distinct new users per day, so it is a lower bound
    when the same users return.
    """
    per_arm = _integer_at_least(sample_size_per_arm, "sample_size_per_arm", 1)
    daily = _positive(daily_eligible_users, "daily_eligible_users")
    arms = _integer_at_least(n_arms, "n_arms", 2)
    fraction = _number(traffic_fraction, "traffic_fraction")
    if not 0.0 < fraction <= 1.0:
        raise ValueError(f"traffic_fraction = {traffic_fraction!r} is outside (0, 1]")
    return math.ceil(per_arm * arms / (daily * fraction))


# --- calibration under sampling -------------------------------------------------------------


def recalibrate_downsampled(p: float, negative_sampling_rate: float) -> float:
    """Map a prediction of a model trained on downsampled negatives back to the true rate.

    q = p / (p + (1 - p) / w), with w the fraction of negatives kept in training. Keeping a
    fraction w of negatives multiplies the odds by 1 / w; this divides them back.
    """
    probability = _probability(p, "p")
    w = _number(negative_sampling_rate, "negative_sampling_rate")
    if not 0.0 < w <= 1.0:
        raise ValueError(f"negative_sampling_rate = {negative_sampling_rate!r} is outside (0, 1]")
    return probability / (probability + (1 - probability) / w)
