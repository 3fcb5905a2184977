"""Online experiments: sizing, sanity checks and ranking comparisons for the experiments page.

Sample size and duration come from ``snippets.estimation`` (``ab_test_sample_size``,
``ab_test_duration_days``) and are never re-implemented here. This module adds the formulas the
estimation library does not hold: the sample-ratio-mismatch chi-square test (standard library
only), the false-positive rate of repeated looks at a fixed-horizon test (numerical integration),
family-wise error and the Bonferroni and Holm corrections, the CUPED variance factor, and
team-draft interleaving. Then come the small display functions that the page shows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from statistics import NormalDist

import numpy as np

from snippets.display import count, fixed, md_table, pct, short
from snippets.estimation import ab_test_duration_days, ab_test_sample_size

# ============================================================================================
# Assumptions
# ============================================================================================


@dataclass(frozen=True)
class ExperimentAssumptions:
    """The worked example: a change to a recommendation surface, judged on a per-user rate."""

    # Problem statement: share of eligible users who convert (e.g. start a purchase) in the test.
    baseline_rate: float = 0.05
    # Problem statement: the smallest relative lift worth shipping (+2% of the baseline).
    relative_mde: float = 0.02
    # Convention: two-sided significance level and power.
    alpha: float = 0.05
    power: float = 0.8
    # Problem statement: distinct eligible users who visit the surface per day.
    daily_eligible_users: float = 2_000_000
    # Problem statement: share of eligible users the experiment may use (other tests run too).
    traffic_fraction: float = 0.10
    # Problem statement: control and one treatment.
    n_arms: int = 2
    # Rule of thumb: run at least two full weekly cycles, whatever the sample size says.
    minimum_days: int = 14
    # Rule of thumb: a strict p-value threshold for the SRM check, because it runs on every test.
    srm_threshold: float = 0.001


ASSUMPTIONS = ExperimentAssumptions()

_LABELS: dict[str, tuple[str, str]] = {
    "baseline_rate": ("Baseline conversion rate (control)", "Problem statement"),
    "relative_mde": ("Minimum detectable effect (relative)", "Problem statement"),
    "alpha": ("Significance level α (two-sided)", "Convention"),
    "power": ("Power 1 − β", "Convention"),
    "daily_eligible_users": ("Eligible users per day", "Problem statement"),
    "traffic_fraction": ("Share of eligible users in the experiment", "Problem statement"),
    "n_arms": ("Arms (control included)", "Problem statement"),
    "minimum_days": ("Minimum duration", "Rule of thumb: two weekly cycles"),
    "srm_threshold": ("SRM alarm threshold (p-value)", "Rule of thumb: strict, the check runs on every test"),
}

#: Grids for the sizing tables (illustrative ranges, chosen to span common product metrics).
BASELINE_RATES: tuple[float, ...] = (0.01, 0.02, 0.05, 0.10, 0.20)
RELATIVE_MDES: tuple[float, ...] = (0.01, 0.02, 0.05, 0.10)
TRAFFIC_FRACTIONS: tuple[float, ...] = (0.01, 0.05, 0.10, 0.25, 0.50, 1.0)
ALPHAS: tuple[float, ...] = (0.05, 0.01)
POWERS: tuple[float, ...] = (0.8, 0.9)

#: SRM worked example: a 50/50 design and the users each arm actually logged.
SRM_DESIGN: tuple[float, float] = (0.5, 0.5)
SRM_OBSERVED: tuple[int, int] = (101_000, 99_000)
#: Totals at which the same observed split is checked, to show that significance grows with n.
SRM_TOTALS: tuple[int, ...] = (2_000, 20_000, 200_000, 2_000_000)

#: Peeking: numbers of equally spaced looks at a test that stops at the first significant one.
PEEKING_LOOKS: tuple[int, ...] = (1, 2, 5, 10, 14, 20)
#: A daily look over the minimum duration is the case the page names in the text.
PEEKING_DAILY_LOOKS = 14

#: Multiple testing worked example: p-values of five metrics read in one experiment (invented).
METRIC_P_VALUES: tuple[tuple[str, float], ...] = (
    ("Conversion", 0.001),
    ("Sessions per user", 0.012),
    ("Items viewed", 0.020),
    ("Add-to-cart rate", 0.040),
    ("Return rate", 0.300),
)
#: Numbers of independent metrics for the family-wise error table.
METRIC_COUNTS: tuple[int, ...] = (1, 5, 10, 20, 50)
#: The scorecard size the page quotes in the text.
FWER_EXAMPLE_METRICS = 20

#: CUPED: correlations between the metric and its pre-experiment value (illustrative).
CUPED_CORRELATIONS: tuple[float, ...] = (0.0, 0.3, 0.5, 0.7, 0.9)
#: The correlation the page quotes in the text (illustrative, not measured).
CUPED_EXAMPLE_CORRELATION = 0.7

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


def _inside(x: np.ndarray, bound: float, step: float) -> np.ndarray:
    """Share of each grid cell [x - step/2, x + step/2] that lies within [-bound, bound]."""
    return np.clip((bound - (np.abs(x) - step / 2)) / step, 0.0, 1.0)


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


def interleaving_credit(interleaved: Sequence[tuple[str, str]], clicked: frozenset[str] | set[str]) -> dict[str, int]:
    """Clicks credited to each team: a click on an item counts for the team that placed it."""
    credit = {"A": 0, "B": 0}
    for item, team in interleaved:
        if item in clicked:
            credit[team] += 1
    return credit


# ============================================================================================
# Derived quantities (the worked example)
# ============================================================================================


def _sample(a: ExperimentAssumptions = ASSUMPTIONS, **overrides: float) -> int:
    args = {
        "baseline_rate": a.baseline_rate,
        "minimum_detectable_effect": a.relative_mde,
        "alpha": a.alpha,
        "power": a.power,
    } | overrides
    return ab_test_sample_size(**args)


def _days(sample_per_arm: int, a: ExperimentAssumptions = ASSUMPTIONS, fraction: float | None = None) -> int:
    return ab_test_duration_days(
        sample_per_arm,
        a.daily_eligible_users,
        n_arms=a.n_arms,
        traffic_fraction=a.traffic_fraction if fraction is None else fraction,
    )


# ============================================================================================
# Display functions (what the page shows)
# ============================================================================================


def _rate(fraction: float) -> str:
    """A percentage with as few decimals as the value needs: 0.05 -> '5%', 0.051 -> '5.1%'."""
    for decimals in range(0, 4):
        if round(fraction * 100, decimals) == round(fraction * 100, 6):
            return pct(fraction, decimals)
    return pct(fraction, 4)


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _p_value(p: float) -> str:
    """A p-value: three decimals, or a power of ten below 0.001 (7.7e-06 -> '7.7 × 10⁻⁶')."""
    if p >= 0.001:
        return fixed(p, 3)
    mantissa, exponent = f"{p:.1e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def _threshold(value: float) -> str:
    """A significance threshold with up to three significant digits: 0.0125 -> '0.0125'."""
    return f"{value:.3g}"


def assumptions_table() -> str:
    """The worked example's assumptions with their values and where they come from."""
    a = ASSUMPTIONS
    rows = []
    for f in fields(a):
        value = getattr(a, f.name)
        label, source = _LABELS[f.name]
        if f.name in {"baseline_rate", "relative_mde", "alpha", "power", "traffic_fraction"}:
            shown = _rate(value)
        elif f.name == "daily_eligible_users":
            shown = short(value)
        elif f.name == "minimum_days":
            shown = f"{value} days"
        elif f.name == "srm_threshold":
            shown = _p_value(value)
        else:
            shown = str(value)
        rows.append((label, shown, source))
    return md_table(["Assumption", "Value", "Source"], rows, align="lrl")


def sample_size_table() -> str:
    """Users per arm by baseline rate (rows) and relative minimum detectable effect (columns)."""
    a = ASSUMPTIONS
    headers = ["Baseline rate"] + [f"MDE {_rate(m)}" for m in RELATIVE_MDES]
    rows = [
        [_rate(p)] + [short(_sample(a, baseline_rate=p, minimum_detectable_effect=m)) for m in RELATIVE_MDES]
        for p in BASELINE_RATES
    ]
    return md_table(headers, rows)


def duration_table() -> str:
    """Days to enrol the worked example's sample by share of traffic, and the days actually run."""
    a = ASSUMPTIONS
    sample = _sample(a)
    rows = []
    for fraction in TRAFFIC_FRACTIONS:
        days = _days(sample, a, fraction)
        rows.append(
            (
                _rate(fraction),
                short(a.daily_eligible_users * fraction / a.n_arms),
                count(days),
                count(max(days, a.minimum_days)),
            )
        )
    return md_table(
        ["Share of traffic", "New users per arm per day", "Days to enrol", "Days to run"], rows
    )


def alpha_power_table() -> str:
    """Users per arm for the worked example at other significance levels and powers."""
    a = ASSUMPTIONS
    base = _sample(a)
    rows = []
    for alpha in ALPHAS:
        for power in POWERS:
            n = _sample(a, alpha=alpha, power=power)
            rows.append((_rate(alpha), _rate(power), short(n), f"{n / base:.2f}x"))
    reference = f"Relative to α {_rate(a.alpha)}, power {_rate(a.power)}"
    return md_table(["α", "Power", "Users per arm", reference], rows)


def srm_table() -> str:
    """The same observed split checked at several totals: chi-square statistic and p-value."""
    a = ASSUMPTIONS
    share = SRM_OBSERVED[0] / sum(SRM_OBSERVED)
    rows = []
    for total in SRM_TOTALS:
        control = round(total * share)
        observed = (control, total - control)
        statistic, p = srm_chi_square(observed, SRM_DESIGN)
        verdict = "SRM: stop and debug" if p < a.srm_threshold else "no alarm"
        rows.append((count(total), f"{count(observed[0])} / {count(observed[1])}", fixed(statistic, 2), _p_value(p), verdict))
    return md_table(["Users", "Control / treatment", "χ²", "p-value", "Verdict"], rows, align="rrrrl")


def peeking_table() -> str:
    """False-positive rate of a test that stops at the first significant look, by number of looks."""
    a = ASSUMPTIONS
    rows = []
    for looks in PEEKING_LOOKS:
        rate = peeking_false_positive_rate(looks, a.alpha)
        rows.append((str(looks), pct(rate, 1), f"{rate / a.alpha:.1f}x"))
    return md_table(["Equally spaced looks", "False-positive rate", "Times the nominal α"], rows)


def familywise_table() -> str:
    """Chance of at least one false positive among m independent null metrics, and Bonferroni's α/m."""
    a = ASSUMPTIONS
    rows = [
        (str(m), pct(familywise_error_rate(m, a.alpha), 1), _threshold(a.alpha / m))
        for m in METRIC_COUNTS
    ]
    return md_table(["Metrics tested", "P(at least one false positive)", "Bonferroni per-metric α"], rows)


def multiple_testing_table() -> str:
    """Five metrics' p-values with the Bonferroni and Holm decisions at the worked example's α."""
    a = ASSUMPTIONS
    names = [name for name, _ in METRIC_P_VALUES]
    p_values = [p for _, p in METRIC_P_VALUES]
    m = len(p_values)
    bonf = bonferroni(p_values, a.alpha)
    holm_rejects = holm(p_values, a.alpha)
    order = sorted(range(m), key=lambda i: p_values[i])
    thresholds = holm_thresholds(m, a.alpha)
    holm_threshold = {i: thresholds[j] for j, i in enumerate(order)}
    rows = [
        (
            names[i],
            fixed(p_values[i], 3),
            "significant" if p_values[i] <= a.alpha else "not",
            "significant" if bonf[i] else "not",
            f"{_threshold(holm_threshold[i])}: " + ("significant" if holm_rejects[i] else "not"),
        )
        for i in order
    ]
    return md_table(
        ["Metric", "p-value", f"Uncorrected (α {_rate(a.alpha)})", f"Bonferroni (α/{m})", "Holm threshold: decision"],
        rows,
        align="lrlll",
    )


def cuped_table() -> str:
    """Users per arm and days to enrol for the worked example when CUPED removes 1 - rho^2 of the variance."""
    a = ASSUMPTIONS
    sample = _sample(a)
    rows = []
    for rho in CUPED_CORRELATIONS:
        n = cuped_sample_size(sample, rho)
        rows.append((fixed(rho, 1), pct(cuped_variance_factor(rho), 0), short(n), count(_days(n, a))))
    return md_table(["Correlation ρ", "Variance left (1 − ρ²)", "Users per arm", "Days to enrol"], rows)


def interleaving_table() -> str:
    """The worked team-draft example: each displayed slot, the team that filled it, and the clicks."""
    shown = team_draft_interleave(RANKING_A, RANKING_B, COIN_FLIPS, INTERLEAVED_LENGTH)
    rows = []
    picks = {"A": 0, "B": 0}
    flips = iter(COIN_FLIPS)
    for slot, (item, team) in enumerate(shown, start=1):
        tied = picks["A"] == picks["B"]
        why = f"tie, coin says {next(flips)}" if tied else f"{team} has fewer picks"
        ranking = RANKING_A if team == "A" else RANKING_B
        rows.append(
            (
                str(slot),
                why,
                item,
                f"{team} (its #{ranking.index(item) + 1})",
                "clicked" if item in CLICKED else "",
            )
        )
        picks[team] += 1
    return md_table(["Slot", "Who picks", "Item", "Team (rank in its list)", "Click"], rows, align="rllll")


def numbers() -> dict[str, str]:
    """Formatted values for inline use on the page (``numbers[key]``)."""
    a = ASSUMPTIONS
    sample = _sample(a)
    days = _days(sample, a)
    p2 = a.baseline_rate * (1 + a.relative_mde)
    srm_stat, srm_p = srm_chi_square(SRM_OBSERVED, SRM_DESIGN)
    srm_total = sum(SRM_OBSERVED)
    shown = team_draft_interleave(RANKING_A, RANKING_B, COIN_FLIPS, INTERLEAVED_LENGTH)
    credit = interleaving_credit(shown, CLICKED)
    p_values = [p for _, p in METRIC_P_VALUES]
    half_mde = _sample(a, minimum_detectable_effect=a.relative_mde / 2)
    return {
        "baseline": _rate(a.baseline_rate),
        "mde": _rate(a.relative_mde),
        "half_mde": _rate(a.relative_mde / 2),
        "treatment_rate": _rate(p2),
        "mde_absolute": f"{(p2 - a.baseline_rate) * 100:.2g} percentage points",
        "alpha": _rate(a.alpha),
        "power": _rate(a.power),
        "beta": _rate(1 - a.power),
        "z_alpha": fixed(_STANDARD_NORMAL.inv_cdf(1 - a.alpha / 2), 3),
        "z_power": fixed(_STANDARD_NORMAL.inv_cdf(a.power), 3),
        "sample_per_arm": count(sample),
        "sample_total": count(sample * a.n_arms),
        "sample_half_mde": count(half_mde),
        "half_mde_ratio": f"{half_mde / sample:.1f}",
        "daily_users": short(a.daily_eligible_users),
        "traffic": _rate(a.traffic_fraction),
        "users_in_test_per_day": short(a.daily_eligible_users * a.traffic_fraction),
        "days_computed": count(days),
        "minimum_days": count(a.minimum_days),
        "days_planned": count(max(days, a.minimum_days)),
        "srm_control": count(SRM_OBSERVED[0]),
        "srm_treatment": count(SRM_OBSERVED[1]),
        "srm_total": count(srm_total),
        "srm_expected": count(srm_total * SRM_DESIGN[0] / sum(SRM_DESIGN)),
        "srm_control_share": pct(SRM_OBSERVED[0] / srm_total, 1),
        "srm_treatment_share": pct(SRM_OBSERVED[1] / srm_total, 1),
        "srm_chi2": fixed(srm_stat, 1),
        "srm_z": fixed(math.sqrt(srm_stat), 2),
        "srm_p": _p_value(srm_p),
        "srm_threshold": _p_value(a.srm_threshold),
        "peek_daily_looks": str(PEEKING_DAILY_LOOKS),
        "peek_daily_rate": pct(peeking_false_positive_rate(PEEKING_DAILY_LOOKS, a.alpha), 1),
        "fwer_metrics": str(FWER_EXAMPLE_METRICS),
        "fwer_example": pct(familywise_error_rate(FWER_EXAMPLE_METRICS, a.alpha), 0),
        "n_metrics": str(len(p_values)),
        "bonferroni_threshold": _threshold(a.alpha / len(p_values)),
        "bonferroni_rejects": str(sum(bonferroni(p_values, a.alpha))),
        "holm_rejects": str(sum(holm(p_values, a.alpha))),
        "uncorrected_rejects": str(sum(p <= a.alpha for p in p_values)),
        "cuped_rho": fixed(CUPED_EXAMPLE_CORRELATION, 1),
        "cuped_factor": pct(cuped_variance_factor(CUPED_EXAMPLE_CORRELATION), 0),
        "cuped_sample": count(cuped_sample_size(sample, CUPED_EXAMPLE_CORRELATION)),
        "interleaved_length": str(INTERLEAVED_LENGTH),
        "credit_a": str(credit["A"]),
        "credit_b": str(credit["B"]),
    }
