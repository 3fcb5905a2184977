"""Online experiments: sizing, sanity checks and ranking comparisons for the experiments page.

The worked A/B test is an ``ABPlan`` from the chapter kit: its sample size comes from
``snippets.kit.estimation`` and its duration from the house rule (whole weeks, at least two), with
the house significance level and power, so this page sizes a test exactly as the case studies do.
This module adds the formulas the kit does not hold: the sample-ratio-mismatch chi-square test
(standard library only), the false-positive rate of repeated looks at a fixed-horizon test
(numerical integration), family-wise error and the Bonferroni and Holm corrections, the CUPED
variance factor, and team-draft interleaving. Then come the worked examples' numbers and tables.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist


from snippets.kit import abtest
from snippets.kit import estimation as est
from snippets.kit.abtest import ABPlan
from snippets.kit.assume import PROBLEM, assume, thumb
from snippets.kit.display import count, fixed, md_table, percent, points, share, short, times
from snippets.kit.house import HOUSE
from snippets.kit.show import table, value

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def p_value_text(p: float) -> str:
    """A p-value: three decimals, or a power of ten below 0.001 (7.7e-06 -> '7.7 × 10⁻⁶')."""
    if p >= 0.001:
        return fixed(p, 3)
    mantissa, exponent = f"{p:.1e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


# ============================================================================================
# Assumptions
# ============================================================================================


@dataclass(frozen=True)
class Assumptions:
    """The worked examples: a change to a recommendation surface, judged on a per-user rate."""

    baseline_rate: float = assume(0.05, "Baseline conversion rate (control)", percent, PROBLEM)
    relative_mde: float = assume(0.02, "Minimum detectable effect (relative)", percent, PROBLEM)
    daily_eligible_users: float = assume(2_000_000, "Eligible users per day", short, PROBLEM)
    traffic_fraction: float = assume(0.10, "Share of eligible users in the experiment", percent, PROBLEM)
    n_arms: int = assume(2, "Arms (control included)", count, PROBLEM)
    srm_threshold: float = assume(
        0.001, "SRM alarm threshold (p-value)", p_value_text,
        thumb("strict, because the check runs on every test"),
    )
    scorecard_metrics: int = assume(
        20, "Metrics on the scorecard (multiple-testing example)", count, thumb("illustrative")
    )
    cuped_correlation: float = assume(
        0.7, "Correlation of the metric with its pre-experiment value (CUPED example)", lambda v: fixed(v, 1),
        thumb("illustrative, not measured"),
    )


ASSUMPTIONS = Assumptions()
A = ASSUMPTIONS

#: The worked A/B test: sample size, enrolment and duration under the house rules.
AB = ABPlan(
    metric="share of eligible users who convert during the test",
    baseline_rate=A.baseline_rate,
    relative_mde=A.relative_mde,
    daily_users=A.daily_eligible_users,
    traffic_fraction=A.traffic_fraction,
    n_arms=A.n_arms,
)

#: Grids for the sizing tables (illustrative ranges, chosen to span common product metrics).
BASELINE_RATES: tuple[float, ...] = (0.01, 0.02, 0.05, 0.10, 0.20)
RELATIVE_MDES: tuple[float, ...] = (0.01, 0.02, 0.05, 0.10)
TRAFFIC_FRACTIONS: tuple[float, ...] = (0.01, 0.05, 0.10, 0.25, 0.50, 1.0)
ALPHAS: tuple[float, ...] = (HOUSE.alpha, 0.01)
POWERS: tuple[float, ...] = (HOUSE.power, 0.9)

#: SRM worked example: the arms, their designed 50/50 split and the users each actually logged.
SRM_ARMS: tuple[str, ...] = ("control", "treatment")
SRM_DESIGN: tuple[float, ...] = (0.5, 0.5)
SRM_OBSERVED: tuple[int, ...] = (101_000, 99_000)
#: Totals at which the same observed split is checked, to show that significance grows with n.
SRM_TOTALS: tuple[int, ...] = (2_000, 20_000, 200_000, 2_000_000)

#: Peeking: numbers of equally spaced looks at a test that stops at the first significant one
#: (the table adds a daily look over the shortest run, ``daily_looks()``).
PEEKING_LOOKS: tuple[int, ...] = (1, 2, 5, 10, 20)

#: Multiple testing worked example: p-values of five metrics read in one experiment (invented).
METRIC_P_VALUES: tuple[tuple[str, float], ...] = (
    ("Conversion", 0.001),
    ("Sessions per user", 0.012),
    ("Items viewed", 0.020),
    ("Add-to-cart rate", 0.040),
    ("Return rate", 0.300),
)
#: The ways the worked example reads those p-values.
CORRECTIONS: tuple[str, ...] = ("uncorrected", "bonferroni", "holm")
#: Numbers of independent metrics for the family-wise error table.
METRIC_COUNTS: tuple[int, ...] = (1, 5, 10, 20, 50)

#: CUPED: correlations between the metric and its pre-experiment value (illustrative).
CUPED_CORRELATIONS: tuple[float, ...] = (0.0, 0.3, 0.5, 0.7, 0.9)

#: Team-draft interleaving worked example: two rankers' lists for one request, the coin flips
#: used when both teams are the same size, and the items the user clicked.
RANKING_A: tuple[str, ...] = ("v1", "v2", "v3", "v4", "v5")
RANKING_B: tuple[str, ...] = ("v2", "v6", "v1", "v7", "v3")
COIN_FLIPS: tuple[str, ...] = ("B", "A", "A")
INTERLEAVED_LENGTH = 6
CLICKED: frozenset[str] = frozenset({"v1", "v3", "v7"})


# ============================================================================================
# Pure functions (the formulas)
# ============================================================================================

_STANDARD_NORMAL = NormalDist()


def normal_upper_tail(z: float) -> float:
    """P(Z > z) for a standard normal Z, via ``erfc`` so that tiny tails keep their precision."""
    return 0.5 * math.erfc(z / math.sqrt(2))


def chi_square_survival(statistic: float, df: int) -> float:
    """P(X > statistic) for X chi-square with ``df`` degrees of freedom (integer df >= 1).

    Closed forms for integer df (Abramowitz and Stegun 26.4.4 and 26.4.5): for even df,
    exp(-x/2) * sum_{i < df/2} (x/2)^i / i!; for odd df, 2 * Q(sqrt x) plus
    2 * phi(sqrt x) * sum_{r=1}^{(df-1)/2} sqrt(x)^(2r-1) / (1 * 3 * ... * (2r-1)), with Q the
    normal upper tail and phi the normal density. df = 1 is the square of one standard normal.
    """
    if isinstance(df, bool) or not isinstance(df, int) or df < 1:
        raise ValueError(f"df must be an integer >= 1, got {df!r}")
    if not math.isfinite(statistic) or statistic < 0:
        raise ValueError(f"statistic must be a finite number >= 0, got {statistic!r}")
    x = float(statistic)
    if df % 2 == 0:
        term, total = 1.0, 1.0
        for i in range(1, df // 2):
            term *= (x / 2) / i
            total += term
        return math.exp(-x / 2) * total
    root = math.sqrt(x)
    tail = 2 * normal_upper_tail(root)
    term, series = 0.0, 0.0
    for r in range(1, (df - 1) // 2 + 1):
        term = root if r == 1 else term * x / (2 * r - 1)
        series += term
    return tail + 2 * _STANDARD_NORMAL.pdf(root) * series


def srm_chi_square(observed: Sequence[int], expected_shares: Sequence[float]) -> tuple[float, float]:
    """Sample-ratio-mismatch check: Pearson's chi-square goodness-of-fit statistic and p-value.

    ``observed`` are the units each arm logged; ``expected_shares`` the designed split (they are
    normalised to sum to 1). The statistic is sum((O - E)^2 / E) with E = total * share, compared
    with a chi-square distribution with (arms - 1) degrees of freedom.
    """
    if len(observed) != len(expected_shares):
        raise ValueError(
            f"observed has {len(observed)} arms but expected_shares has {len(expected_shares)}"
        )
    if len(observed) < 2:
        raise ValueError("an SRM check needs at least two arms")
    if any(isinstance(o, bool) or not isinstance(o, int) or o < 0 for o in observed):
        raise ValueError(f"observed counts must be integers >= 0, got {list(observed)!r}")
    if any(not s > 0 for s in expected_shares):
        raise ValueError(f"expected_shares must all be > 0, got {list(expected_shares)!r}")
    total = sum(observed)
    if total == 0:
        raise ValueError("observed counts are all 0: nothing to check")
    share_sum = sum(expected_shares)
    statistic = 0.0
    for o, s in zip(observed, expected_shares):
        expected = total * s / share_sum
        statistic += (o - expected) ** 2 / expected
    return statistic, chi_square_survival(statistic, len(observed) - 1)


def peeking_false_positive_rate(n_looks: int, alpha: float = 0.05, grid_step: float = 0.005) -> float:
    """Probability that a null effect is declared significant at least once in ``n_looks`` looks.

    The looks are equally spaced (equal numbers of new users between them) and each is a
    two-sided z-test at level ``alpha``; the test stops at the first significant look. Under the
    null hypothesis the running sum of standardised increments S_k is a Gaussian random walk
    and look k rejects when |S_k| > z_(1-alpha/2) * sqrt(k). The density of S_k over the paths
    that have not yet rejected is propagated on a grid (convolution with the N(0, 1) increment,
    then truncation to the acceptance region, cells on the boundary keeping the share of their
    width that lies inside), and the answer is one minus its final mass. With the default
    ``grid_step`` one look gives alpha and two looks the exact bivariate-normal value to 1e-5.
    """
    if isinstance(n_looks, bool) or not isinstance(n_looks, int) or n_looks < 1:
        raise ValueError(f"n_looks must be an integer >= 1, got {n_looks!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha = {alpha!r} is outside (0, 1)")
    if not 0 < grid_step <= 0.05:
        raise ValueError(f"grid_step = {grid_step!r} is outside (0, 0.05]")
    import numpy as np  # noqa: PLC0415 (here, not at the top: the page's other numbers need only the standard library, so they recompute in the reader's browser)

    c = _STANDARD_NORMAL.inv_cdf(1 - alpha / 2)
    half = math.ceil(c * math.sqrt(n_looks) / grid_step)
    x = np.arange(-half, half + 1) * grid_step
    kernel_half = math.ceil(8.0 / grid_step)  # the N(0, 1) density is below 1e-14 beyond 8
    t = np.arange(-kernel_half, kernel_half + 1) * grid_step
    kernel = np.exp(-0.5 * t * t) / math.sqrt(2 * math.pi) * grid_step
    density = np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi) * _inside(x, c, grid_step)
    for k in range(2, n_looks + 1):
        density = np.convolve(density, kernel)[kernel_half : kernel_half + x.size]
        density *= _inside(x, c * math.sqrt(k), grid_step)
    return float(1.0 - density.sum() * grid_step)


def _inside(x, bound: float, step: float):
    """Share of each grid cell [x - step/2, x + step/2] that lies within [-bound, bound] (``x`` a NumPy array)."""
    return ((bound - (abs(x) - step / 2)) / step).clip(0.0, 1.0)


def familywise_error_rate(n_tests: int, alpha: float = 0.05) -> float:
    """P(at least one false positive) over ``n_tests`` independent tests of true nulls: 1 - (1 - alpha)^m."""
    if isinstance(n_tests, bool) or not isinstance(n_tests, int) or n_tests < 1:
        raise ValueError(f"n_tests must be an integer >= 1, got {n_tests!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha = {alpha!r} is outside (0, 1)")
    return 1 - (1 - alpha) ** n_tests


def _check_p_values(p_values: Sequence[float]) -> None:
    if not p_values:
        raise ValueError("p_values is empty")
    if any(not 0 <= p <= 1 for p in p_values):
        raise ValueError(f"p-values must be in [0, 1], got {list(p_values)!r}")


def bonferroni(p_values: Sequence[float], alpha: float = 0.05) -> list[bool]:
    """Reject hypothesis i when p_i <= alpha / m (m = number of hypotheses)."""
    _check_p_values(p_values)
    m = len(p_values)
    return [p <= alpha / m for p in p_values]


def holm_thresholds(m: int, alpha: float = 0.05) -> list[float]:
    """Holm's step-down thresholds alpha / (m - j) for the j-th smallest p-value, j = 0..m-1."""
    return [alpha / (m - j) for j in range(m)]


def holm(p_values: Sequence[float], alpha: float = 0.05) -> list[bool]:
    """Holm's step-down procedure, in the input order.

    Sort the p-values ascending; reject while the j-th smallest (from 0) is <= alpha / (m - j),
    and stop at the first that is not: it and every larger p-value are kept.
    """
    _check_p_values(p_values)
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    thresholds = holm_thresholds(m, alpha)
    rejected = [False] * m
    for j, i in enumerate(order):
        if p_values[i] > thresholds[j]:
            break
        rejected[i] = True
    return rejected


def cuped_variance_factor(correlation: float) -> float:
    """Variance of the CUPED-adjusted metric over the raw metric's: 1 - rho^2.

    With theta = cov(Y, X) / var(X), Var(Y - theta (X - E[X])) = Var(Y) (1 - rho^2), rho being the
    correlation between the metric Y and its pre-experiment covariate X.
    """
    if not -1 <= correlation <= 1:
        raise ValueError(f"correlation = {correlation!r} is outside [-1, 1]")
    return 1 - correlation**2


def cuped_sample_size(sample_size_per_arm: int, correlation: float) -> int:
    """Users per arm after CUPED: the required size scales with the variance, ceil(n (1 - rho^2))."""
    return math.ceil(sample_size_per_arm * cuped_variance_factor(correlation))


def team_draft_interleave(
    ranking_a: Sequence[str],
    ranking_b: Sequence[str],
    coin_flips: Sequence[str],
    length: int,
) -> list[tuple[str, str]]:
    """Team-draft interleaving (Radlinski, Kurup and Joachims, 2008) with given coin flips.

    Returns ``(item, team)`` pairs in display order, team ``"A"`` or ``"B"``. The team with fewer
    picks so far picks next; when both have the same number, the next coin flip (``"A"`` or
    ``"B"``) decides. A team picks its highest-ranked item not already shown. It stops at
    ``length`` items or when the team due to pick has nothing left.
    """
    if any(flip not in ("A", "B") for flip in coin_flips):
        raise ValueError(f"coin flips must be 'A' or 'B', got {list(coin_flips)!r}")
    if length < 1:
        raise ValueError(f"length must be >= 1, got {length!r}")
    shown: list[tuple[str, str]] = []
    seen: set[str] = set()
    picks = {"A": 0, "B": 0}
    rankings = {"A": ranking_a, "B": ranking_b}
    flips = iter(coin_flips)
    while len(shown) < length:
        if picks["A"] != picks["B"]:
            team = "A" if picks["A"] < picks["B"] else "B"
        else:
            try:
                team = next(flips)
            except StopIteration:
                raise ValueError("not enough coin flips for the requested length") from None
        item = next((i for i in rankings[team] if i not in seen), None)
        if item is None:
            break
        shown.append((item, team))
        seen.add(item)
        picks[team] += 1
    return shown


def interleaving_credit(
    interleaved: Sequence[tuple[str, str]], clicked: frozenset[str] | set[str]
) -> dict[str, int]:
    """Clicks credited to each team: a click on an item counts for the team that placed it."""
    credit = {"A": 0, "B": 0}
    for item, team in interleaved:
        if item in clicked:
            credit[team] += 1
    return credit



# ============================================================================================
# The worked A/B test
# ============================================================================================


@value(fixed)
def z_alpha() -> float:
    """The two-sided critical value z_(1 - alpha/2) at the house significance level."""
    return _STANDARD_NORMAL.inv_cdf(1 - HOUSE.alpha / 2)


@value(fixed)
def z_power() -> float:
    """z_(1 - beta) at the house power."""
    return _STANDARD_NORMAL.inv_cdf(HOUSE.power)


@value(percent)
def beta() -> float:
    """The chance of missing a true effect of exactly the MDE: 1 - power."""
    return 1 - HOUSE.power


@value(percent)
def treatment_rate() -> float:
    return AB.target_rate()


@value(points)
def mde_absolute() -> float:
    return AB.target_rate() - AB.baseline_rate


@value(count)
def sample_per_arm() -> int:
    return AB.sample_per_arm()


@value(count)
def sample_total() -> int:
    return sample_per_arm() * AB.n_arms


@value(short)
def users_in_test_per_day() -> float:
    return AB.users_per_day()


@value(count)
def enrol_days() -> int:
    return AB.enrol_days()


@value(count)
def planned_days() -> int:
    return AB.planned_days()


@value(count)
def minimum_days() -> int:
    """The shortest run the house rule allows: the planned days of a sample enrolled at once."""
    return abtest.planned_days(0)


@value(percent)
def half_mde() -> float:
    return A.relative_mde / 2


@value(count)
def sample_half_mde() -> int:
    return dataclasses.replace(AB, relative_mde=half_mde()).sample_per_arm()


@value(lambda v: fixed(v, 1))
def half_mde_ratio() -> float:
    return sample_half_mde() / sample_per_arm()


def sample_at(
    baseline_rate: float, relative_mde: float, alpha: float = HOUSE.alpha, power: float = HOUSE.power
) -> int:
    """Users per arm for the worked example with another baseline, effect, alpha or power."""
    rules = dataclasses.replace(HOUSE, alpha=alpha, power=power)
    plan = dataclasses.replace(AB, baseline_rate=baseline_rate, relative_mde=relative_mde, rules=rules)
    return plan.sample_per_arm()


def enrol_days_for(sample_size_per_arm: int) -> int:
    """Days to enrol ``sample_size_per_arm`` users per arm at the worked example's traffic."""
    return est.ab_test_duration_days(
        sample_size_per_arm, AB.daily_users, n_arms=AB.n_arms, traffic_fraction=AB.traffic_fraction
    )


# ============================================================================================
# Peeking
# ============================================================================================


@value(share)
def peeking_rate(looks: int) -> float:
    """False-positive rate of a test read ``looks`` times at the house alpha, stopped at the first hit."""
    return peeking_false_positive_rate(looks, HOUSE.alpha)


@value(count)
def daily_looks() -> int:
    """Looks at a test read once a day over the shortest run."""
    return minimum_days()


@value(share)
def daily_peeking_rate() -> float:
    return peeking_rate(daily_looks())


# ============================================================================================
# Sample ratio mismatch
# ============================================================================================


def _arm(arm: str) -> int:
    if arm not in SRM_ARMS:
        raise KeyError(f"no arm {arm!r} (arms: {', '.join(SRM_ARMS)})")
    return SRM_ARMS.index(arm)


@value(count)
def srm_users(arm: str) -> int:
    return SRM_OBSERVED[_arm(arm)]


@value(count)
def srm_total() -> int:
    return sum(SRM_OBSERVED)


@value(share)
def srm_share(arm: str) -> float:
    return srm_users(arm) / srm_total()


@value(count)
def srm_expected_users(arm: str) -> float:
    return srm_total() * SRM_DESIGN[_arm(arm)] / sum(SRM_DESIGN)


@value(lambda v: fixed(v, 1))
def srm_statistic() -> float:
    return srm_chi_square(SRM_OBSERVED, SRM_DESIGN)[0]


@value(lambda v: fixed(v, 2))
def srm_z() -> float:
    """With two arms the chi-square statistic is the square of a z-score."""
    return math.sqrt(srm_statistic())


@value(p_value_text)
def srm_p() -> float:
    return srm_chi_square(SRM_OBSERVED, SRM_DESIGN)[1]


# ============================================================================================
# Multiple testing
# ============================================================================================


@value(lambda v: percent(v, 0))
def scorecard_familywise_error() -> float:
    return familywise_error_rate(A.scorecard_metrics, HOUSE.alpha)


@value(count)
def n_metrics() -> int:
    return len(METRIC_P_VALUES)


@value(short)
def bonferroni_threshold() -> float:
    return HOUSE.alpha / n_metrics()


def decisions(correction: str) -> list[bool]:
    """The worked example's metrics found significant, in their order, read as ``correction``."""
    p_values = [p for _, p in METRIC_P_VALUES]
    if correction == "uncorrected":
        return [p <= HOUSE.alpha for p in p_values]
    if correction == "bonferroni":
        return bonferroni(p_values, HOUSE.alpha)
    if correction == "holm":
        return holm(p_values, HOUSE.alpha)
    raise KeyError(f"no correction {correction!r} (corrections: {', '.join(CORRECTIONS)})")


@value(count)
def rejections(correction: str) -> int:
    """How many of the worked example's metrics are significant under ``correction``."""
    return sum(decisions(correction))


# ============================================================================================
# CUPED and interleaving
# ============================================================================================


@value(percent)
def cuped_variance_left() -> float:
    return cuped_variance_factor(A.cuped_correlation)


@value(count)
def cuped_sample_per_arm() -> int:
    return cuped_sample_size(sample_per_arm(), A.cuped_correlation)


def interleaved() -> list[tuple[str, str]]:
    """The worked example's merged list: ``(item, team)`` in display order."""
    return team_draft_interleave(RANKING_A, RANKING_B, COIN_FLIPS, INTERLEAVED_LENGTH)


@value(count)
def interleaved_length() -> int:
    return len(interleaved())


@value(count)
def interleaving_clicks(team: str) -> int:
    """Clicks credited to ``team`` ("A" or "B") in the worked example."""
    return interleaving_credit(interleaved(), CLICKED)[team]


# ============================================================================================
# Tables
# ============================================================================================


@table
def sample_size_table() -> str:
    """Users per arm by baseline rate (rows) and relative minimum detectable effect (columns)."""
    headers = ["Baseline rate"] + [f"MDE {percent(m)}" for m in RELATIVE_MDES]
    rows = [[percent(p)] + [short(sample_at(p, m)) for m in RELATIVE_MDES] for p in BASELINE_RATES]
    return md_table(headers, rows)


@table
def duration_table() -> str:
    """Days to enrol the worked example's sample by share of traffic, and the days to run (house rule)."""
    rows = []
    for fraction in TRAFFIC_FRACTIONS:
        plan = dataclasses.replace(AB, traffic_fraction=fraction)
        rows.append((percent(fraction), short(plan.users_per_day() / plan.n_arms),
                     count(plan.enrol_days()), count(plan.planned_days())))
    return md_table(["Share of traffic", "New users per arm per day", "Days to enrol", "Days to run"], rows)


@table
def alpha_power_table() -> str:
    """Users per arm for the worked example at other significance levels and powers."""
    base = sample_per_arm()
    rows = []
    for alpha in ALPHAS:
        for power in POWERS:
            n = sample_at(A.baseline_rate, A.relative_mde, alpha, power)
            rows.append((percent(alpha), percent(power), short(n), times(round(n / base, 2))))
    reference = f"Relative to α {percent(HOUSE.alpha)}, power {percent(HOUSE.power)}"
    return md_table(["α", "Power", "Users per arm", reference], rows)


@table
def srm_table() -> str:
    """The same observed split checked at several totals: chi-square statistic and p-value."""
    control_share = SRM_OBSERVED[0] / sum(SRM_OBSERVED)
    rows = []
    for total in SRM_TOTALS:
        control = round(total * control_share)
        observed = (control, total - control)
        statistic, p = srm_chi_square(observed, SRM_DESIGN)
        verdict = "SRM: stop and debug" if p < A.srm_threshold else "no alarm"
        rows.append((count(total), f"{count(observed[0])} / {count(observed[1])}", fixed(statistic, 2),
                     p_value_text(p), verdict))
    return md_table(["Users", "Control / treatment", "χ²", "p-value", "Verdict"], rows, align="rrrrl")


@table
def peeking_table() -> str:
    """False-positive rate of a test that stops at the first significant look, by number of looks."""
    rows = []
    for looks in sorted({*PEEKING_LOOKS, daily_looks()}):
        rate = peeking_rate(looks)
        rows.append((count(looks), share(rate), times(round(rate / HOUSE.alpha, 1))))
    return md_table(["Equally spaced looks", "False-positive rate", "Times the nominal α"], rows)


@table
def familywise_table() -> str:
    """Chance of at least one false positive among m independent null metrics, and Bonferroni's α/m."""
    rows = [(count(m), share(familywise_error_rate(m, HOUSE.alpha)), short(HOUSE.alpha / m))
            for m in METRIC_COUNTS]
    return md_table(["Metrics tested", "P(at least one false positive)", "Bonferroni per-metric α"], rows)


@table
def multiple_testing_table() -> str:
    """Five metrics' p-values with the Bonferroni and Holm decisions at the house α."""
    names = [name for name, _ in METRIC_P_VALUES]
    p_values = [p for _, p in METRIC_P_VALUES]
    m = len(p_values)
    verdict = {c: decisions(c) for c in CORRECTIONS}
    order = sorted(range(m), key=lambda i: p_values[i])
    thresholds = holm_thresholds(m, HOUSE.alpha)
    holm_threshold = {i: thresholds[j] for j, i in enumerate(order)}

    def word(significant: bool) -> str:
        return "significant" if significant else "not"

    rows = [
        (names[i], fixed(p_values[i], 3), word(verdict["uncorrected"][i]), word(verdict["bonferroni"][i]),
         f"{short(holm_threshold[i])}: {word(verdict['holm'][i])}")
        for i in order
    ]
    return md_table(
        ["Metric", "p-value", f"Uncorrected (α {percent(HOUSE.alpha)})", f"Bonferroni (α/{m})",
         "Holm threshold: decision"],
        rows,
        align="lrlll",
    )


@table
def cuped_table() -> str:
    """Users per arm and days to enrol for the worked example when CUPED removes rho^2 of the variance."""
    rows = []
    for rho in CUPED_CORRELATIONS:
        n = cuped_sample_size(sample_per_arm(), rho)
        rows.append((fixed(rho, 1), percent(cuped_variance_factor(rho), 0), short(n),
                     count(enrol_days_for(n))))
    return md_table(["Correlation ρ", "Variance left (1 − ρ²)", "Users per arm", "Days to enrol"], rows)


@table
def interleaving_table() -> str:
    """The worked team-draft example: each displayed slot, the team that filled it, and the clicks."""
    rows = []
    picks = {"A": 0, "B": 0}
    flips = iter(COIN_FLIPS)
    for slot, (item, team) in enumerate(interleaved(), start=1):
        why = f"tie, coin says {next(flips)}" if picks["A"] == picks["B"] else f"{team} has fewer picks"
        ranking = RANKING_A if team == "A" else RANKING_B
        rows.append((str(slot), why, item, f"{team} (its #{ranking.index(item) + 1})",
                     "clicked" if item in CLICKED else ""))
        picks[team] += 1
    return md_table(["Slot", "Who picks", "Item", "Team (rank in its list)", "Click"], rows, align="rllll")
