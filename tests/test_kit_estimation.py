"""Tests for snippets.kit.estimation: hand-computed values, then properties against scipy/statsmodels.

Expected values are derived by hand (the arithmetic is in the comments), taken from a published
example, or computed by scipy and statsmodels; where a library answers a slightly different
question (Cohen's h), the test checks how close the two answers are instead of skipping.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.stats import binom, norm
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import (
    proportion_effectsize,
    samplesize_proportions_2indep_onetail,
)

from snippets.kit.estimation import (
    ab_test_duration_days,
    ab_test_sample_size,
    accelerators_needed,
    average_qps,
    capped_neighbour_expansion,
    embedding_bytes,
    fanout_quantile,
    required_call_quantile,
    hnsw_index_bytes,
    impressions_per_day,
    ivfpq_index_bytes,
    lognormal_partial_moment,
    lognormal_share_above,
    mean_neighbour_degree,
    negative_keep_rate_for_ratio,
    peak_qps,
    predictions_per_second,
    recalibrate_downsampled,
    replicas_needed,
    shards_needed,
    training_rows_per_day,
    two_hop_paths,
)

# Deterministic (no random seed, no example database written to disk) and fast.
PROPERTY = settings(derandomize=True, database=None, deadline=None, max_examples=200)

rates = st.floats(min_value=0.001, max_value=0.999)
effects = st.floats(min_value=-0.5, max_value=0.5).filter(lambda e: abs(e) >= 1e-3)
alphas = st.sampled_from([0.01, 0.05, 0.1])
powers = st.sampled_from([0.8, 0.9, 0.95])


# --- traffic and memory: hand values, rounded in brackets ------------------------------------


def test_average_and_peak_qps() -> None:
    # 100M users * 10 requests / 86,400 s = 1e9 / 86,400 = 11,574.07 QPS (~11.6k).
    assert average_qps(100_000_000, 10) == pytest.approx(11_574.074, abs=1e-3)
    assert peak_qps(11_574.074, 3) == pytest.approx(34_722.222, abs=1e-3)
    assert peak_qps(500.0, 1) == 500.0
    assert average_qps(0, 10) == 0.0


def test_embedding_bytes() -> None:
    # 1B images * 256 dims * 4 B = 1.024e12 B (1.02 TB); fp16 half; binary 1/8 B.
    assert embedding_bytes(10**9, 256) == pytest.approx(1.024e12)
    assert embedding_bytes(10**9, 256, bytes_per_value=2) == pytest.approx(5.12e11)
    assert embedding_bytes(10**9, 256, bytes_per_value=1 / 8) == pytest.approx(3.2e10)
    # 4.5M listings * 32 dims * 4 B = 576e6 B (576 MB).
    assert embedding_bytes(4_500_000, 32) == pytest.approx(5.76e8)


def test_hnsw_index_bytes() -> None:
    # Faiss guideline, d * 4 + M * 2 * 4 per vector:
    # 100M * (128 * 4 + 32 * 8) = 100M * 768 = 7.68e10 (76.8 GB);
    # 1B * (256 * 4 + 32 * 8) = 1B * 1,280 = 1.28e12 (1.28 TB).
    assert hnsw_index_bytes(100_000_000, 128, 32) == pytest.approx(7.68e10)
    assert hnsw_index_bytes(10**9, 256, 32) == pytest.approx(1.28e12)
    # fp16 vectors keep 4-byte links: 1,000 * (64 * 2 + 16 * 8) = 256,000.
    assert hnsw_index_bytes(1_000, 64, 16, bytes_per_value=2) == pytest.approx(256_000)


def test_ivfpq_index_bytes() -> None:
    # 1B * (64-byte code + 8-byte id) = 7.2e10 (72 GB).
    assert ivfpq_index_bytes(10**9, 64) == pytest.approx(7.2e10)
    assert ivfpq_index_bytes(1_000, 32, id_bytes=0) == pytest.approx(32_000)


# --- traffic, training volume and capacity: hand values ---------------------------------------

CAPACITY_HAND_VALUES = [
    # (call, expected, the arithmetic)
    (lambda: predictions_per_second(34_722.2, 500), 17_361_100, "34,722.2 requests/s x 500 candidates"),
    (lambda: predictions_per_second(0, 500), 0, "no traffic, no predictions"),
    (lambda: impressions_per_day(100e6, 10, 10), 1e10, "100M users x 10 loads x 10 items"),
    (lambda: impressions_per_day(200e6, 5, 0), 0, "nothing shown per load"),
    (lambda: training_rows_per_day(1e10, 0.03), 1e10, "keep every negative: every impression is a row"),
    (lambda: training_rows_per_day(1e10, 0.03, 0.0), 3e8, "positives only: 1e10 x 3%"),
    (lambda: training_rows_per_day(2e10, 0.02, 0.5), 1.02e10, "4e8 positives + 1.96e10 x 0.5 negatives"),
    (lambda: negative_keep_rate_for_ratio(0.02, 1), 0.02 / 0.98, "1 x 0.02 / 0.98 = 0.0204"),
    (lambda: negative_keep_rate_for_ratio(0.1, 4), 0.4 / 0.9, "4 x 0.1 / 0.9 = 0.444"),
    (lambda: negative_keep_rate_for_ratio(0.5, 1), 1.0, "1 x 0.5 / 0.5 = 1 exactly: keep them all"),
    (lambda: negative_keep_rate_for_ratio(0.6, 1), 1.0, "0.6 / 0.4 = 1.5, capped at 1: negatives are scarce"),
    (lambda: replicas_needed(34_722, 1_000), 35, "34.722 replicas, rounded up"),
    (lambda: replicas_needed(30_000, 1_000), 30, "30 exactly: no extra replica"),
    (lambda: replicas_needed(30_000, 1_000, 0.75), 40, "30,000 / 750 = 40 exactly"),
    (lambda: replicas_needed(30_001, 1_000, 0.75), 41, "40.001, rounded up"),
    (lambda: replicas_needed(0, 1_000), 1, "no traffic still needs one replica"),
    (lambda: replicas_needed(5, 1_000), 1, "0.005, rounded up to one"),
    (lambda: accelerators_needed(6_000, 1_000, 0.6), 10, "6,000 / 600 = 10 exactly"),
    (lambda: accelerators_needed(2.1, 1, 0.7), 3, "2.1 / 0.7 = 3 exactly (3.0000000000000004 in floats)"),
    (lambda: accelerators_needed(2.11, 1, 0.7), 4, "2.11 / 0.7 = 3.014, rounded up"),
    (lambda: accelerators_needed(120_000, 1_000, 0.6), 200, "120,000 / 600"),
    (lambda: accelerators_needed(0, 1_000), 1, "no work still needs one accelerator"),
    (lambda: shards_needed(1.28e12, 256e9), 5, "1.28 TB / 256 GB = 5 exactly"),
    (lambda: shards_needed(7.2e11, 256e9), 3, "720 GB / 256 GB = 2.81, rounded up"),
    (lambda: shards_needed(1.1, 0.1), 11, "1.1 / 0.1 = 11 exactly (11.000000000000002 in floating point)"),
    (lambda: shards_needed(7.2e10, 256e9), 1, "72 GB fits in one host"),
    (lambda: shards_needed(0, 256e9), 1, "an empty index still lives on one host"),
]


@pytest.mark.parametrize(
    ("call", "expected", "arithmetic"), CAPACITY_HAND_VALUES, ids=[a for _, _, a in CAPACITY_HAND_VALUES]
)
def test_capacity_hand_values(call, expected, arithmetic: str) -> None:
    assert call() == pytest.approx(expected, rel=1e-12), arithmetic


def test_capacity_counts_are_whole_numbers() -> None:
    # Replicas, accelerators and shards are counted, not measured: ints, even from float inputs.
    counts = (replicas_needed(3e4, 1e3), accelerators_needed(6e3, 1e3, 0.6), shards_needed(1.28e12, 256e9))
    assert [type(count) for count in counts] == [int, int, int]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: predictions_per_second(-1, 500), r"requests_per_second must be >= 0, got -1"),
        (lambda: predictions_per_second(100, -5), r"candidates_per_request must be >= 0, got -5"),
        (lambda: impressions_per_day(-1, 10, 10), r"daily_active_users must be >= 0"),
        (lambda: impressions_per_day(10, -1, 10), r"loads_per_user must be >= 0"),
        (lambda: impressions_per_day(10, 10, -1), r"items_per_load must be >= 0"),
        (lambda: training_rows_per_day(-1, 0.1), r"impressions must be >= 0"),
        (lambda: training_rows_per_day(100, 1.5), r"positive_rate = 1\.5 is outside \[0, 1\]"),
        (lambda: training_rows_per_day(100, 0.1, 2), r"negative_keep_rate = 2 is outside \[0, 1\]"),
        (lambda: negative_keep_rate_for_ratio(0, 1), r"positive_rate = 0 is outside \(0, 1\)"),
        (lambda: negative_keep_rate_for_ratio(1, 1), r"positive_rate = 1 is outside \(0, 1\)"),
        (lambda: negative_keep_rate_for_ratio(0.1, 0), r"negatives_per_positive must be > 0, got 0"),
        (lambda: replicas_needed(-1, 100), r"qps must be >= 0, got -1"),
        (lambda: replicas_needed(100, 0), r"qps_per_replica must be > 0, got 0"),
        (lambda: replicas_needed(100, 10, 0), r"utilisation = 0 is outside \(0, 1\]"),
        (lambda: replicas_needed(100, 10, 1.5), r"utilisation = 1\.5 is outside \(0, 1\]"),
        (lambda: accelerators_needed(-1, 100), r"rate must be >= 0, got -1"),
        (lambda: accelerators_needed(100, -1), r"rate_per_accelerator must be > 0, got -1"),
        (lambda: accelerators_needed(100, 10, -0.5), r"utilisation = -0\.5 is outside"),
        (lambda: shards_needed(-1, 100), r"total_bytes must be >= 0, got -1"),
        (lambda: shards_needed(100, 0), r"bytes_per_host must be > 0, got 0"),
        (lambda: shards_needed(math.inf, 100), r"total_bytes must be finite"),
    ],
)
def test_capacity_invalid_input_names_the_argument(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


# --- fan-out ---------------------------------------------------------------------------------


def test_fanout_quantile_hand_value() -> None:
    # 0.99^100 = exp(100 ln 0.99) = exp(-1.0050336) = 0.366032.
    assert fanout_quantile(0.99, 100) == pytest.approx(0.366032, abs=1e-6)
    assert round(fanout_quantile(0.99, 100), 3) == 0.366
    assert fanout_quantile(0.9, 1) == pytest.approx(0.9)
    assert fanout_quantile(1.0, 1000) == 1.0
    assert fanout_quantile(0.0, 3) == 0.0


@PROPERTY
@given(q=st.floats(0.0, 1.0), n=st.integers(1, 500))
def test_fanout_quantile_is_binomial_probability_that_all_succeed(q: float, n: int) -> None:
    # All n calls finish in time = X = n for X ~ Binomial(n, q).
    assert fanout_quantile(q, n) == pytest.approx(float(binom.pmf(n, n, q)), rel=1e-9, abs=1e-300)


# --- A/B test sample size --------------------------------------------------------------------


def test_ab_test_sample_size_hand_value() -> None:
    # p1 = 0.2, p2 = 0.25, pbar = 0.225; z_0.975 = 1.959964, z_0.8 = 0.841621.
    # sqrt(2 * 0.225 * 0.775) = 0.590551; sqrt(0.2 * 0.8 + 0.25 * 0.75) = 0.589491.
    # (1.959964 * 0.590551 + 0.841621 * 0.589491)^2 / 0.05^2 = 1.653587^2 / 0.0025 = 1093.7.
    assert ab_test_sample_size(0.2, 0.05, relative=False) == 1094
    # The same effect stated relative to the baseline: +25% of 0.2.
    assert ab_test_sample_size(0.2, 0.25) == 1094


def test_ab_test_sample_size_against_published_example() -> None:
    # Zar (1999), Biostatistical Analysis, Example 24.26, as reproduced by Unistat
    # (https://www.unistat.com/guide/sample-size-and-power-two-proportions/): p1 = 0.45,
    # p2 = 0.25, power 0.9, two-tailed alpha 0.05, equal arms -> 127.2343 per group. That value
    # includes Fleiss' continuity correction n' = n/4 * (1 + sqrt(1 + 4 / (n d)))^2, d = |p2 - p1|,
    # which inverts to n = (n' - 1/d)^2 / n' = (127.2343 - 5)^2 / 127.2343 = 117.43 (uncorrected).
    published, d = 127.2343, 0.20
    uncorrected = (published - 1 / d) ** 2 / published
    assert ab_test_sample_size(0.45, -0.20, power=0.9, relative=False) == math.ceil(uncorrected)
    assert ab_test_sample_size(0.45, -0.20, power=0.9, relative=False) == 118


@PROPERTY
@given(p1=rates, mde=effects, alpha=alphas, power=powers, relative=st.booleans())
def test_ab_test_sample_size_matches_scipy_formula(
    p1: float, mde: float, alpha: float, power: float, relative: bool
) -> None:
    p2 = p1 * (1 + mde) if relative else p1 + mde
    assume(0.0 < p2 < 1.0)
    pbar = (p1 + p2) / 2
    z_alpha, z_power = norm.ppf(1 - alpha / 2), norm.ppf(power)
    exact = (
        z_alpha * math.sqrt(2 * pbar * (1 - pbar))
        + z_power * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    ) ** 2 / (p2 - p1) ** 2
    n = ab_test_sample_size(p1, mde, alpha=alpha, power=power, relative=relative)
    assert n - 1 < exact * (1 + 1e-9) and n >= exact * (1 - 1e-9)


@PROPERTY
@given(p1=rates, mde=effects, alpha=alphas, power=powers)
def test_ab_test_sample_size_matches_statsmodels(
    p1: float, mde: float, alpha: float, power: float
) -> None:
    # statsmodels' one-tail sample size for two independent proportions uses the same pooled
    # null variance and unpooled alternative variance, and ignores the far tail likewise.
    p2 = p1 + mde
    assume(0.0 < p2 < 1.0)
    exact = samplesize_proportions_2indep_onetail(
        diff=mde, prop2=p1, power=power, alpha=alpha, alternative="two-sided"
    )
    n = ab_test_sample_size(p1, mde, alpha=alpha, power=power, relative=False)
    assert n - 1 < exact * (1 + 1e-9) and n >= exact * (1 - 1e-9)


@PROPERTY
@given(p1=rates, mde=st.floats(-0.2, 0.2).filter(lambda e: abs(e) >= 1e-3))
def test_ab_test_sample_size_relation_to_cohens_h(p1: float, mde: float) -> None:
    # statsmodels' NormalIndPower sizes the test on Cohen's h = 2 asin sqrt(p2) - 2 asin sqrt(p1),
    # the difference after a variance-stabilising transform. To first order
    # h = (p2 - p1) / sqrt(pbar (1 - pbar)), so both sizes agree when the effect is small next to
    # min(pbar, 1 - pbar); the gap grows with the square of that ratio c. (For c <= 0.2 a sweep
    # over p1 in [0.001, 0.999] shows gaps up to 0.06 c^2; the bound is 0.1 c^2, plus the rounding
    # up of our integer and 1e-5 for the tolerance of statsmodels' numerical root finder.)
    p2 = p1 * (1 + mde)
    assume(0.0 < p2 < 1.0)
    pbar = (p1 + p2) / 2
    c = abs(p2 - p1) / min(pbar, 1 - pbar)
    assume(c <= 0.2)
    by_h = NormalIndPower().solve_power(
        effect_size=proportion_effectsize(p2, p1),
        alpha=0.05,
        power=0.8,
        ratio=1.0,
        alternative="two-sided",
    )
    n = ab_test_sample_size(p1, mde)
    assert abs(n / by_h - 1) <= 0.1 * c**2 + 1 / by_h + 1e-5


@PROPERTY
@given(p1=rates, mde=effects)
def test_ab_test_sample_size_is_symmetric_and_monotone(p1: float, mde: float) -> None:
    # Swapping the arms changes nothing; a larger effect never needs more users; more power
    # never needs fewer.
    p2 = p1 + mde
    assume(0.0 < p2 < 1.0)
    n = ab_test_sample_size(p1, mde, relative=False)
    assert n == ab_test_sample_size(p2, p1 - p2, relative=False)
    assert ab_test_sample_size(p1, mde, power=0.9, relative=False) >= n
    assert ab_test_sample_size(p1, mde, alpha=0.01, relative=False) >= n


def test_ab_test_duration_days_hand_values() -> None:
    # 2 arms * 2,000 users / 1,000 a day = 4 days exactly.
    assert ab_test_duration_days(2_000, 1_000) == 4
    # 2 * 1,094 / (1,000 * 0.5) = 4.376 -> 5 whole days.
    assert ab_test_duration_days(1_094, 1_000, traffic_fraction=0.5) == 5
    # 3 arms * 1,000 / 10,000 = 0.3 -> 1 day.
    assert ab_test_duration_days(1_000, 10_000, n_arms=3) == 1


# --- recalibration after negative downsampling ----------------------------------------------


def test_recalibrate_downsampled_hand_values() -> None:
    # p = 0.5 after keeping 10% of negatives: 0.5 / (0.5 + 0.5 / 0.1) = 0.5 / 5.5 = 1/11.
    assert recalibrate_downsampled(0.5, 0.1) == pytest.approx(1 / 11)
    assert recalibrate_downsampled(0.3, 1.0) == pytest.approx(0.3)
    assert recalibrate_downsampled(0.0, 0.1) == 0.0
    assert recalibrate_downsampled(1.0, 0.1) == 1.0


@PROPERTY
@given(q=st.floats(0.0, 1.0), w=st.floats(1e-4, 1.0))
def test_recalibrate_downsampled_inverts_bayes_rule(q: float, w: float) -> None:
    # A true rate q; training keeps every positive and a fraction w of negatives, so the model
    # learns P(y = 1 | kept) = q / (q + w (1 - q)) (Bayes' rule). Recalibrating recovers q.
    trained = q / (q + w * (1 - q))
    assert recalibrate_downsampled(trained, w) == pytest.approx(q, rel=1e-9, abs=1e-12)


# --- input validation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: average_qps(-1, 10), r"daily_active_users must be >= 0, got -1"),
        (lambda: average_qps(10, math.nan), r"requests_per_user_per_day must be finite"),
        (lambda: peak_qps(100, 0.5), r"peak_to_average must be >= 1"),
        (lambda: peak_qps(-5, 2), r"average_qps must be >= 0, got -5"),
        (lambda: embedding_bytes(-1, 8), r"n_vectors must be an integer >= 0, got -1"),
        (lambda: embedding_bytes(10, 0), r"dim must be an integer >= 1, got 0"),
        (lambda: embedding_bytes(10.5, 8), r"n_vectors must be an integer >= 0, got 10\.5"),
        (lambda: embedding_bytes(10, 8, bytes_per_value=0), r"bytes_per_value must be > 0, got 0"),
        (lambda: hnsw_index_bytes(10, 8, 0), r"m must be an integer >= 1, got 0"),
        (lambda: ivfpq_index_bytes(10, 0), r"code_bytes must be > 0, got 0"),
        (lambda: ivfpq_index_bytes(10, 8, id_bytes=-8), r"id_bytes must be >= 0, got -8"),
        (lambda: fanout_quantile(1.5, 10), r"single_call_quantile = 1\.5 is outside \[0, 1\]"),
        (lambda: fanout_quantile(0.99, 0), r"n_calls must be an integer >= 1, got 0"),
        (lambda: fanout_quantile(0.99, True), r"n_calls must be an integer >= 1, got True"),
        (lambda: ab_test_sample_size(1.2, 0.1), r"baseline_rate = 1\.2 is outside \[0, 1\]"),
        (lambda: ab_test_sample_size(0.1, 0), r"minimum_detectable_effect must be non-zero"),
        (lambda: ab_test_sample_size(0.8, 0.5), r"p2 = 1\.2\d* .* is outside \[0, 1\]"),
        (lambda: ab_test_sample_size(0.6, 0.5, relative=False), r"p2 = 1\.1 .* is outside"),
        (lambda: ab_test_sample_size(0.0, 0.1), r"baseline_rate = 0\.0 gives no effect"),
        (lambda: ab_test_sample_size(0.1, 0.1, alpha=0), r"alpha = 0 is outside \(0, 1\)"),
        (lambda: ab_test_sample_size(0.1, 0.1, power=1.0), r"power = 1\.0 is outside \(0, 1\)"),
        (lambda: ab_test_duration_days(0, 100), r"sample_size_per_arm must be an integer >= 1"),
        (lambda: ab_test_duration_days(100, 0), r"daily_eligible_users must be > 0, got 0"),
        (lambda: ab_test_duration_days(100, 10, n_arms=1), r"n_arms must be an integer >= 2"),
        (
            lambda: ab_test_duration_days(100, 10, traffic_fraction=0),
            r"traffic_fraction = 0 is outside",
        ),
        (lambda: ab_test_duration_days(100, 10, traffic_fraction=1.5), r"traffic_fraction = 1\.5"),
        (lambda: recalibrate_downsampled(-0.1, 0.5), r"p = -0\.1 is outside \[0, 1\]"),
        (
            lambda: recalibrate_downsampled(0.5, 0),
            r"negative_sampling_rate = 0 is outside \(0, 1\]",
        ),
        (lambda: recalibrate_downsampled(0.5, 2), r"negative_sampling_rate = 2 is outside"),
    ],
)
def test_invalid_input_raises_value_error_naming_the_problem(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: average_qps("10", 1), r"daily_active_users must be a real number, got '10'"),
        (lambda: peak_qps(100, True), r"peak_to_average must be a real number, got True"),
        (lambda: fanout_quantile(None, 3), r"single_call_quantile must be a real number, got None"),
    ],
)
def test_non_numbers_raise_type_error(call, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        call()


def test_required_call_quantile():
    # 0.99 ** (1/100) = exp(ln(0.99) / 100) = exp(-0.01005034 / 100) = exp(-0.000100503) = 0.9998995
    assert required_call_quantile(0.99, 100) == pytest.approx(0.9998995, abs=1e-7)
    # One call: the call's quantile is the request's quantile.
    assert required_call_quantile(0.95, 1) == pytest.approx(0.95)
    # Round trip: n calls each at the required quantile give the target back (q^n).
    q = required_call_quantile(0.99, 37)
    assert q**37 == pytest.approx(0.99)


@pytest.mark.parametrize("bad", [(0.0, 10), (1.0, 10), (0.99, 0)])
def test_required_call_quantile_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        required_call_quantile(*bad)


# --- graph fan-out ------------------------------------------------------------------------------


def test_mean_neighbour_degree_hand_values() -> None:
    # Degrees 1 and 3 in equal shares: E[d] = 2, E[d^2] = 5, a neighbour has 5 / 2 = 2.5 on average.
    assert mean_neighbour_degree(2, 5) == pytest.approx(2.5)
    # Every member with 10 connections: no paradox, E[d^2] / E[d] = 100 / 10.
    assert mean_neighbour_degree(10, 100) == pytest.approx(10)
    with pytest.raises(ValueError, match="below mean_degree"):
        mean_neighbour_degree(10, 99)


def test_mean_neighbour_degree_matches_a_configuration_model_graph() -> None:
    # In a graph, the degree of the far end of a random edge end averages sum d^2 / sum d exactly.
    import networkx as nx

    degrees = [1, 2, 2, 3, 5, 8, 13, 1, 4, 6] * 30
    graph = nx.Graph(nx.configuration_model(degrees, seed=3))
    graph.remove_edges_from(nx.selfloop_edges(graph))
    d = [deg for _, deg in graph.degree()]
    ends = [graph.degree(v) for u, v in graph.edges()] + [graph.degree(u) for u, v in graph.edges()]
    mean = sum(d) / len(d)
    second = sum(x * x for x in d) / len(d)
    assert sum(ends) / len(ends) == pytest.approx(mean_neighbour_degree(mean, second))


def test_two_hop_paths_hand_values() -> None:
    assert two_hop_paths(300, 1_001) == pytest.approx(300_000)  # 300 x (1,001 - 1)
    assert two_hop_paths(0, 50) == 0
    with pytest.raises(ValueError, match="neighbour_expansion"):
        two_hop_paths(10, 0.5)


@pytest.mark.parametrize(("median", "sigma"), [(300, 1.0), (50, 0.5), (1_000, 1.5)])
def test_lognormal_moments_against_scipy(median: float, sigma: float) -> None:
    from scipy.stats import lognorm

    dist = lognorm(s=sigma, scale=median)
    assert lognormal_partial_moment(median, sigma, 0) == pytest.approx(1.0)
    assert lognormal_partial_moment(median, sigma, 1) == pytest.approx(dist.mean(), rel=1e-9)
    assert lognormal_partial_moment(median, sigma, 2) == pytest.approx(dist.moment(2), rel=1e-9)
    for upper in (median / 3, median, median * 7):
        for k in (1, 2):
            expected = dist.expect(lambda d, k=k: d**k, ub=upper)
            assert lognormal_partial_moment(median, sigma, k, upper) == pytest.approx(expected, rel=1e-6)
        assert lognormal_share_above(median, sigma, upper) == pytest.approx(dist.sf(upper), rel=1e-9)


def test_capped_neighbour_expansion_limits() -> None:
    # A huge cap changes nothing: the neighbour mean, E[d^2] / E[d] = median x e^(1.5 sigma^2).
    assert capped_neighbour_expansion(300, 1.0, 1e12) == pytest.approx(300 * math.exp(1.5), rel=1e-9)
    # A tiny cap binds for almost everyone: close to the cap itself.
    assert capped_neighbour_expansion(300, 1.0, 1) == pytest.approx(1.0, rel=1e-4)
    # And it never exceeds either bound.
    for cap in (10, 100, 1_000, 10_000):
        value = capped_neighbour_expansion(300, 1.0, cap)
        assert value <= cap
        assert value <= 300 * math.exp(1.5)
