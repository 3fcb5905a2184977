"""Hand-derived values of snippets/reference/experiments.py, then reference libraries.

The first table holds every value the page shows, each with the arithmetic from the assumptions
(5% baseline, +2% relative lift, 2M eligible users a day, 10% of them in the test, 2 arms) and the
house rules (alpha 0.05, power 0.8, whole weeks and at least two). The tests after it check the
page's own formulas against published values, scipy, statsmodels and seeded simulations. What every
page module shares is checked once in tests/test_pages.py.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from scipy.stats import chi2, multivariate_normal, norm

from snippets.reference import experiments as ex

# --- the page's values, by hand ----------------------------------------------------------------

HAND_VALUES = [
    (ex.z_alpha, (), 1.959964, "z_0.975 of the standard normal (house alpha 0.05, two-sided)"),
    (ex.z_power, (), 0.841621, "z_0.8 (house power 0.8)"),
    (ex.beta, (), 0.20, "1 - 0.8"),
    (ex.treatment_rate, (), 0.051, "5% x (1 + 2%)"),
    (ex.mde_absolute, (), 0.001, "5.1% - 5% = 0.1 percentage points"),
    # pbar = 0.0505: sqrt(2 x 0.0505 x 0.9495) = 0.309676 and sqrt(0.05 x 0.95 + 0.051 x 0.949) = 0.309676;
    # (1.959964 + 0.841621) x 0.309676 = 0.867584; 0.867584^2 / 0.001^2 = 752,702.5, rounded up.
    (ex.sample_per_arm, (), 752_703, "0.867584^2 / 0.001^2 = 752,702.5 -> 752,703"),
    (ex.sample_total, (), 1_505_406, "752,703 x 2 arms"),
    (ex.users_in_test_per_day, (), 200_000, "2M eligible x 10%"),
    (ex.enrol_days, (), 8, "ceil(752,703 x 2 / 200,000) = ceil(7.53)"),
    (ex.planned_days, (), 14, "8 days -> 2 whole weeks, also the house minimum"),
    (ex.minimum_days, (), 14, "house minimum: 2 weeks x 7 days"),
    (ex.half_mde, (), 0.01, "2% / 2"),
    # p2 = 5.05%: (1.959964 x 0.309291 + 0.841621 x 0.309291) = 0.865549; / 0.0005 squared.
    (ex.sample_half_mde, (), 2_996_698, "0.865549^2 / 0.0005^2 = 2,996,697.2 -> 2,996,698"),
    (ex.half_mde_ratio, (), 3.98125, "2,996,698 / 752,703: about 4, the inverse square of 1/2"),
    (ex.sample_at, (0.05, 0.02, 0.01, 0.9), 1_426_926,
     "alpha 0.01, power 0.9: (2.575829 + 1.281552)^2 x 0.0958995 / 0.001^2"),
    (ex.enrol_days_for, (383_879,), 4, "ceil(383,879 x 2 / 200,000) = ceil(3.84)"),
    (ex.peeking_rate, (1,), 0.05, "one look is the nominal alpha"),
    (ex.daily_looks, (), 14, "one look a day over the 14-day minimum"),
    (ex.srm_users, ("control",), 101_000, "logged in control"),
    (ex.srm_users, ("treatment",), 99_000, "logged in treatment"),
    (ex.srm_total, (), 200_000, "101,000 + 99,000"),
    (ex.srm_share, ("control",), 0.505, "101,000 / 200,000"),
    (ex.srm_share, ("treatment",), 0.495, "99,000 / 200,000"),
    (ex.srm_expected_users, ("control",), 100_000, "200,000 x 50%"),
    (ex.srm_statistic, (), 20.0, "2 x 1,000^2 / 100,000"),
    (ex.srm_z, (), 4.472136, "sqrt(20)"),
    (ex.srm_p, (), 2 * norm.sf(math.sqrt(20)), "chi-square with 1 df is z^2: 2 P(Z > 4.4721) = 7.74e-6"),
    (ex.scorecard_familywise_error, (), 0.641514, "1 - 0.95^20 = 1 - 0.358486"),
    (ex.n_metrics, (), 5, "five invented p-values"),
    (ex.bonferroni_threshold, (), 0.01, "0.05 / 5"),
    (ex.rejections, ("uncorrected",), 4, "0.001, 0.012, 0.020, 0.040 <= 0.05; 0.300 is not"),
    (ex.rejections, ("bonferroni",), 1, "only 0.001 <= 0.01"),
    (ex.rejections, ("holm",), 2, "0.001 <= 0.05/5, 0.012 <= 0.05/4, then 0.020 > 0.05/3 stops"),
    (ex.cuped_variance_left, (), 0.51, "1 - 0.7^2"),
    (ex.cuped_sample_per_arm, (), 383_879, "ceil(752,703 x 0.51 = 383,878.53)"),
    (ex.interleaved_length, (), 6, "the merged list is filled: both lists have enough items"),
    (ex.interleaving_clicks, ("A",), 2, "clicks on v1 and v3, both placed by A"),
    (ex.interleaving_clicks, ("B",), 1, "click on v7, placed by B"),
]


@pytest.mark.parametrize(("function", "args", "expected", "arithmetic"), HAND_VALUES,
                         ids=[f"{f.__name__}{list(a) if a else ''}" for f, a, _, _ in HAND_VALUES])
def test_hand_values(function, args, expected, arithmetic):
    tolerance = {"abs": 1e-5} if function is ex.peeking_rate else {"rel": 1e-5}
    assert function(*args) == pytest.approx(expected, **tolerance), arithmetic


@pytest.mark.parametrize(("fraction", "enrol", "run"), [
    (0.01, 76, 77),  # 752,703 x 2 / 20,000 = 75.27 -> 76 days -> 11 whole weeks = 77
    (0.05, 16, 21),  # / 100,000 = 15.05 -> 16 days -> 3 whole weeks = 21
    (0.10, 8, 14),   # / 200,000 = 7.53 -> 8 days -> 2 weeks
    (1.0, 1, 14),    # / 2M = 0.75 -> 1 day -> the 2-week minimum
])
def test_duration_table_rounds_up_to_whole_weeks(fraction, enrol, run):
    plan = dataclasses.replace(ex.AB, traffic_fraction=fraction)
    assert (plan.enrol_days(), plan.planned_days()) == (enrol, run)
    share = f"{fraction * 100:g}%"
    row = next(line for line in ex.duration_table().splitlines() if line.startswith(f"| {share} |"))
    assert row.endswith(f"| {enrol} | {run} |")


@pytest.mark.parametrize(("p", "text"), [
    (0.655, "0.655"),
    (0.001, "0.001"),
    (7.744e-6, "7.7 × 10⁻⁶"),
    (2.1e-45, "2.1 × 10⁻⁴⁵"),
])
def test_p_value_text(p, text):
    assert ex.p_value_text(p) == text


def test_keys_name_what_exists():
    with pytest.raises(KeyError, match="control, treatment"):
        ex.srm_users("variant")
    with pytest.raises(KeyError, match="uncorrected, bonferroni, holm"):
        ex.rejections("sidak")


def test_a_daily_look_matches_a_seeded_simulation():
    # 14 daily looks at a null effect, 200,000 seeded paths: 22.0%; standard error
    # sqrt(0.22 x 0.78 / 200,000) = 0.0009, allow 4 of them.
    rng = np.random.default_rng(7)
    looks, trials = 14, 200_000
    paths = rng.standard_normal((trials, looks)).cumsum(axis=1)
    z = paths / np.sqrt(np.arange(1, looks + 1))
    rate = float((np.abs(z) > norm.ppf(0.975)).any(axis=1).mean())
    assert ex.daily_peeking_rate() == pytest.approx(rate, abs=0.0037)


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


@pytest.mark.parametrize("p1", ex.BASELINE_RATES)
@pytest.mark.parametrize("mde", ex.RELATIVE_MDES)
def test_sample_size_grid_matches_direct_formula(p1: float, mde: float) -> None:
    assert ex.sample_at(p1, mde) == _direct_sample_size(p1, mde, 0.05, 0.8)


@pytest.mark.parametrize("alpha", ex.ALPHAS)
@pytest.mark.parametrize("power", ex.POWERS)
def test_alpha_power_grid_matches_direct_formula(alpha: float, power: float) -> None:
    assert ex.sample_at(0.05, 0.02, alpha, power) == _direct_sample_size(0.05, 0.02, alpha, power)


def test_srm_table_flags_only_the_large_samples() -> None:
    rows = ex.srm_table().splitlines()[2:]
    verdicts = [row.split(" | ")[-1] for row in rows]
    # chi2 = 0.2 and 2.0 (p = 0.655, 0.157) pass; 20 and 200 (p < 1e-5) fail the 0.001 check.
    assert [v.startswith("SRM") for v in verdicts] == [False, False, True, True]
