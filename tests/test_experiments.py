"""Tests for snippets.experiments: hand-derived values first, then reference libraries.

Every expected value is derived independently of the code under test: by hand (the arithmetic is
in the comments), from a published table (Armitage, McPherson and Rowe, 1969, for repeated
looks, as usually quoted), or from scipy (chi-square tail, bivariate normal) and a seeded simulation.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import chi2, multivariate_normal, norm

from snippets import experiments as ex
from snippets.estimation import ab_test_duration_days, ab_test_sample_size

# --- the sample-ratio-mismatch check ---------------------------------------------------------


def test_srm_worked_example_by_hand() -> None:
    # 200,000 users designed 50/50: expected 100,000 each. chi2 = 2 * 1,000^2 / 100,000 = 20.
    # With 1 degree of freedom chi2 = z^2, so p = 2 * P(Z > sqrt(20) = 4.4721) = 7.74e-6.
    statistic, p = ex.srm_chi_square((101_000, 99_000), (0.5, 0.5))
    assert statistic == pytest.approx(20.0)
    assert p == pytest.approx(2 * norm.sf(math.sqrt(20)), rel=1e-9)
    assert p == pytest.approx(7.74e-6, rel=1e-2)
    assert p == pytest.approx(chi2.sf(20.0, 1), rel=1e-9)


def test_srm_same_split_small_sample_is_no_alarm() -> None:
    # 1,010 / 990 of 2,000: chi2 = 2 * 10^2 / 1,000 = 0.2; p = 2 * P(Z > 0.4472) = 0.6547.
    statistic, p = ex.srm_chi_square((1_010, 990), (1, 1))
    assert statistic == pytest.approx(0.2)
    assert p == pytest.approx(0.6547, abs=1e-4)


def test_srm_three_arms_and_unequal_design() -> None:
    # 340/330/330 designed equal: E = 333.33; chi2 = (6.667^2 + 2 * 3.333^2) / 333.33 = 0.2.
    # df = 2 has the closed form p = exp(-chi2 / 2) = exp(-0.1) = 0.904837.
    statistic, p = ex.srm_chi_square((340, 330, 330), (1, 1, 1))
    assert statistic == pytest.approx(0.2)
    assert p == pytest.approx(math.exp(-0.1), rel=1e-12)
    # 80/20 design, 8,100 / 1,900 observed: E = 8,000 / 2,000; chi2 = 100^2/8,000 + 100^2/2,000
    # = 1.25 + 5 = 6.25 = 2.5^2, so p = 2 * P(Z > 2.5) = 0.012419.
    statistic, p = ex.srm_chi_square((8_100, 1_900), (0.8, 0.2))
    assert statistic == pytest.approx(6.25)
    assert p == pytest.approx(0.012419, abs=1e-6)


@pytest.mark.parametrize("df", [1, 2, 3, 4, 5, 6, 9, 10])
@pytest.mark.parametrize("x", [0.0, 0.1, 1.0, 3.0, 7.5, 20.0, 60.0])
def test_chi_square_survival_matches_scipy(df: int, x: float) -> None:
    assert ex.chi_square_survival(x, df) == pytest.approx(chi2.sf(x, df), rel=1e-9, abs=1e-300)


def test_chi_square_survival_hand_values() -> None:
    # df = 2: exp(-x/2); df = 3 at x = 3: 2 Q(1.7321) + 2 phi(1.7321) * 1.7321 = 0.0833 + 0.3083.
    assert ex.chi_square_survival(2.0, 2) == pytest.approx(math.exp(-1))
    assert ex.chi_square_survival(3.0, 3) == pytest.approx(0.3916, abs=1e-4)
    assert ex.chi_square_survival(0.0, 4) == 1.0


@pytest.mark.parametrize(
    ("observed", "shares", "message"),
    [
        ((10, 10), (1,), "arms"),
        ((10,), (1,), "at least two"),
        ((10, -1), (1, 1), "integers"),
        ((10, 10), (1, 0), "> 0"),
        ((0, 0), (1, 1), "all 0"),
    ],
)
def test_srm_rejects_bad_input(observed, shares, message) -> None:
    with pytest.raises(ValueError, match=message):
        ex.srm_chi_square(observed, shares)


# --- repeated looks ---------------------------------------------------------------------------


def test_one_look_is_the_nominal_alpha() -> None:
    assert ex.peeking_false_positive_rate(1, 0.05) == pytest.approx(0.05, abs=1e-5)
    assert ex.peeking_false_positive_rate(1, 0.01) == pytest.approx(0.01, abs=1e-5)


def test_two_looks_match_the_bivariate_normal() -> None:
    # Z1 = S1, Z2 = S2 / sqrt(2) with S2 = S1 + increment: corr(Z1, Z2) = 1 / sqrt(2).
    # P(no rejection) = P(|Z1| < c, |Z2| < c), a rectangle probability of the bivariate normal.
    c = norm.ppf(0.975)
    rho = 1 / math.sqrt(2)
    mvn = multivariate_normal(mean=[0, 0], cov=[[1, rho], [rho, 1]])
    inside = mvn.cdf([c, c]) - mvn.cdf([-c, c]) - mvn.cdf([c, -c]) + mvn.cdf([-c, -c])
    assert ex.peeking_false_positive_rate(2, 0.05) == pytest.approx(1 - inside, abs=1e-5)


@pytest.mark.parametrize(("looks", "published"), [(2, 0.083), (5, 0.142), (10, 0.193), (20, 0.248)])
def test_repeated_looks_match_armitage_1969(looks: int, published: float) -> None:
    # The values usually quoted from Armitage, McPherson and Rowe (1969) for repeated two-sided
    # tests at the nominal 5% level (quoted from memory of that table, not re-read: the
    # bivariate-normal and simulation tests are the independent checks).
    assert ex.peeking_false_positive_rate(looks, 0.05) == pytest.approx(published, abs=2e-3)


def test_repeated_looks_match_a_seeded_simulation() -> None:
    rng = np.random.default_rng(7)
    looks, trials = 5, 200_000
    paths = rng.standard_normal((trials, looks)).cumsum(axis=1)
    z = paths / np.sqrt(np.arange(1, looks + 1))
    rate = float((np.abs(z) > norm.ppf(0.975)).any(axis=1).mean())
    # Simulation standard error sqrt(0.14 * 0.86 / 200,000) = 0.0008; allow 4 of them.
    assert ex.peeking_false_positive_rate(looks) == pytest.approx(rate, abs=0.0035)


def test_more_looks_never_lower_the_rate() -> None:
    rates = [ex.peeking_false_positive_rate(n) for n in (1, 2, 3, 5, 8, 14)]
    assert rates == sorted(rates)


# --- multiple testing -------------------------------------------------------------------------


def test_familywise_error_rate() -> None:
    # 1 - 0.95^5 = 1 - 0.773781 = 0.226219; 1 - 0.95^20 = 1 - 0.358486 = 0.641514.
    assert ex.familywise_error_rate(5, 0.05) == pytest.approx(0.226219, abs=1e-6)
    assert ex.familywise_error_rate(20, 0.05) == pytest.approx(0.641514, abs=1e-6)
    assert ex.familywise_error_rate(1, 0.05) == pytest.approx(0.05)


def test_bonferroni_and_holm_worked_example() -> None:
    p = [0.001, 0.012, 0.020, 0.040, 0.300]
    # Bonferroni: alpha / 5 = 0.01, so only 0.001 passes.
    assert ex.bonferroni(p, 0.05) == [True, False, False, False, False]
    # Holm: 0.001 <= 0.05/5 = 0.01 yes; 0.012 <= 0.05/4 = 0.0125 yes; 0.020 <= 0.05/3 = 0.0167
    # no, so stop: 0.020, 0.040 and 0.300 are kept.
    assert ex.holm(p, 0.05) == [True, True, False, False, False]
    # Holm works in the input order, whatever it is.
    assert ex.holm([0.300, 0.012, 0.001, 0.040, 0.020], 0.05) == [False, True, True, False, False]


def test_holm_is_never_stricter_than_bonferroni() -> None:
    rng = np.random.default_rng(7)
    for _ in range(200):
        p = list(rng.uniform(0, 0.1, size=int(rng.integers(1, 8))))
        bonf, holm = ex.bonferroni(p), ex.holm(p)
        assert all(h or not b for b, h in zip(bonf, holm))


def test_holm_matches_statsmodels() -> None:
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(11)
    for _ in range(100):
        p = list(rng.uniform(0, 0.08, size=int(rng.integers(1, 10))))
        expected = multipletests(p, alpha=0.05, method="holm")[0].tolist()
        assert ex.holm(p, 0.05) == expected


@pytest.mark.parametrize("bad", [[], [0.5, 1.2], [-0.1]])
def test_corrections_reject_bad_p_values(bad) -> None:
    with pytest.raises(ValueError):
        ex.holm(bad)
    with pytest.raises(ValueError):
        ex.bonferroni(bad)


# --- CUPED ------------------------------------------------------------------------------------


def test_cuped_variance_factor_and_sample_size() -> None:
    # 1 - 0.7^2 = 0.51; 752,703 users * 0.51 = 383,878.53, rounded up to 383,879.
    assert ex.cuped_variance_factor(0.7) == pytest.approx(0.51)
    assert ex.cuped_sample_size(752_703, 0.7) == 383_879
    assert ex.cuped_sample_size(1000, 0.0) == 1000
    with pytest.raises(ValueError):
        ex.cuped_variance_factor(1.5)


def test_cuped_factor_matches_a_simulated_adjustment() -> None:
    # Y = rho X + sqrt(1 - rho^2) noise has corr(X, Y) = rho; adjusting with theta = cov / var
    # leaves the fraction 1 - rho^2 of Var(Y).
    rng = np.random.default_rng(7)
    rho = 0.6
    x = rng.standard_normal(200_000)
    y = rho * x + math.sqrt(1 - rho**2) * rng.standard_normal(x.size)
    theta = np.cov(y, x)[0, 1] / np.var(x, ddof=1)
    adjusted = y - theta * (x - x.mean())
    assert np.var(adjusted) / np.var(y) == pytest.approx(ex.cuped_variance_factor(rho), abs=0.01)


# --- team-draft interleaving ------------------------------------------------------------------


def test_team_draft_worked_example_by_hand() -> None:
    # A = v1 v2 v3 v4 v5, B = v2 v6 v1 v7 v3, coins B, A, A.
    # tie -> coin B: B takes v2. A behind: A takes v1. tie -> coin A: A takes v3 (v1, v2 shown).
    # B behind: B takes v6. tie -> coin A: A takes v4. B behind: B takes v7 (v1 shown).
    shown = ex.team_draft_interleave(ex.RANKING_A, ex.RANKING_B, ex.COIN_FLIPS, 6)
    assert shown == [("v2", "B"), ("v1", "A"), ("v3", "A"), ("v6", "B"), ("v4", "A"), ("v7", "B")]
    # Clicks on v1, v3 (team A) and v7 (team B): A wins this impression 2 to 1.
    assert ex.interleaving_credit(shown, ex.CLICKED) == {"A": 2, "B": 1}


def test_team_draft_identical_rankings_show_the_ranking() -> None:
    ranking = ["a", "b", "c", "d"]
    shown = ex.team_draft_interleave(ranking, ranking, ["A", "B"], 4)
    assert [item for item, _ in shown] == ranking
    assert sorted(team for _, team in shown) == ["A", "A", "B", "B"]


def test_team_draft_balances_teams_and_never_repeats() -> None:
    rng = np.random.default_rng(7)
    items = [f"v{i}" for i in range(20)]
    for _ in range(100):
        a = list(rng.permutation(items))
        b = list(rng.permutation(items))
        flips = list(rng.choice(["A", "B"], size=10))
        shown = ex.team_draft_interleave(a, b, flips, 10)
        names = [item for item, _ in shown]
        assert len(names) == len(set(names)) == 10
        assert abs(sum(t == "A" for _, t in shown) - sum(t == "B" for _, t in shown)) <= 1


def test_team_draft_stops_when_a_team_runs_out() -> None:
    assert ex.team_draft_interleave(["x"], ["x"], ["A", "B"], 4) == [("x", "A")]
    with pytest.raises(ValueError, match="coin flips"):
        ex.team_draft_interleave(["x"], ["y"], ["C"], 2)


# --- sizing against a direct formula computation -----------------------------------------------


def _direct_sample_size(p1: float, relative_mde: float, alpha: float, power: float) -> int:
    """The two-proportion formula written out again, with scipy's quantiles."""
    p2 = p1 * (1 + relative_mde)
    pbar = (p1 + p2) / 2
    spread = norm.ppf(1 - alpha / 2) * math.sqrt(2 * pbar * (1 - pbar)) + norm.ppf(power) * math.sqrt(
        p1 * (1 - p1) + p2 * (1 - p2)
    )
    return math.ceil(spread**2 / (p2 - p1) ** 2)


def test_worked_example_sample_size_and_duration() -> None:
    # p1 = 0.05, p2 = 0.051, pbar = 0.0505: sqrt(2 * 0.0505 * 0.9495) = 0.309676 and
    # sqrt(0.05 * 0.95 + 0.051 * 0.949) = 0.309676; (1.959964 + 0.841621) * 0.309676 = 0.867584;
    # squared 0.752702 / 0.001^2 = about 752,700 users per arm.
    a = ex.ASSUMPTIONS
    n = ab_test_sample_size(a.baseline_rate, a.relative_mde, alpha=a.alpha, power=a.power)
    assert n == _direct_sample_size(0.05, 0.02, 0.05, 0.8)
    assert n == pytest.approx(752_700, abs=10)
    # 2 arms * 752,703 / (2M * 10% = 200,000 per day) = 7.53 -> 8 days; the floor makes it 14.
    assert ab_test_duration_days(n, 2_000_000, traffic_fraction=0.10) == 8
    numbers = ex.numbers()
    assert numbers["sample_per_arm"] == f"{n:,}"
    assert numbers["days_computed"] == "8"
    assert numbers["days_planned"] == "14"
    assert numbers["srm_chi2"] == "20.0"
    assert numbers["credit_a"] == "2" and numbers["credit_b"] == "1"
    assert numbers["holm_rejects"] == "2" and numbers["bonferroni_rejects"] == "1"


@pytest.mark.parametrize("p1", ex.BASELINE_RATES)
@pytest.mark.parametrize("mde", ex.RELATIVE_MDES)
def test_sample_size_grid_matches_direct_formula(p1: float, mde: float) -> None:
    assert ab_test_sample_size(p1, mde) == _direct_sample_size(p1, mde, 0.05, 0.8)


def test_halving_the_effect_roughly_quadruples_the_sample() -> None:
    a = ex.ASSUMPTIONS
    full = ab_test_sample_size(a.baseline_rate, a.relative_mde)
    half = ab_test_sample_size(a.baseline_rate, a.relative_mde / 2)
    assert half / full == pytest.approx(4, rel=0.02)


# --- display functions --------------------------------------------------------------------------

TABLES = [
    ex.assumptions_table,
    ex.sample_size_table,
    ex.duration_table,
    ex.alpha_power_table,
    ex.srm_table,
    ex.peeking_table,
    ex.familywise_table,
    ex.multiple_testing_table,
    ex.cuped_table,
    ex.interleaving_table,
]


@pytest.mark.parametrize("table", TABLES, ids=[t.__name__ for t in TABLES])
def test_display_tables_are_well_formed(table) -> None:
    lines = table().strip().splitlines()
    assert len(lines) >= 3
    widths = {line.count(" | ") for line in lines}
    assert all(line.startswith("| ") and line.endswith(" |") for line in lines)
    assert len(widths) == 1, "every row has the header's number of cells"


def test_numbers_are_non_empty_single_lines() -> None:
    for key, value in ex.numbers().items():
        assert isinstance(value, str) and value.strip(), key
        assert "\n" not in value, key


def test_srm_table_flags_only_the_large_samples() -> None:
    rows = ex.srm_table().splitlines()[2:]
    verdicts = [row.split(" | ")[-1] for row in rows]
    # chi2 = 0.2 and 2.0 (p = 0.655, 0.157) pass; 20 and 200 (p < 1e-5) fail the 0.001 check.
    assert [v.startswith("SRM") for v in verdicts] == [False, False, True, True]
