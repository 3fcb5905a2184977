"""Hand-derived values of the chapter kit's small modules: abtest, latency, plan, assume, show, display.

Each expectation is worked out by hand (the arithmetic is beside it). The kit's formulas that have
reference implementations (estimation, metrics) are tested against them in their own files.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import pytest

from snippets.kit import display as d
from snippets.kit.abtest import ABPlan, ab_plan_table, planned_days
from snippets.kit.assume import (
    CONVENTION,
    DEFINITION,
    PROBLEM,
    assume,
    assumptions_table,
    cited,
    declaration,
    design,
    formatted,
    thumb,
)
from snippets.kit.estimation import ab_test_sample_size
from snippets.kit.house import HOUSE
from snippets.kit.latency import LatencyBudget, Stage, latency_budget_table, stages_from_shares
from snippets.kit.plan import Phase, interview_plan_table, timeline
from snippets.kit.retrieval import Source, total_candidates
from snippets.kit.show import kind, shown, table, value
from snippets.kit.worked import GradedList

# --- abtest: the house duration rule -------------------------------------------------------------


@pytest.mark.parametrize(("enrol", "planned", "arithmetic"), [
    (0, 14, "nothing to enrol: the two-week minimum"),
    (1, 14, "1 day -> 1 week -> the two-week minimum"),
    (7.5, 14, "ceil(7.5) = 8 days -> 2 weeks"),
    (12, 14, "12 days -> 2 whole weeks"),
    (14, 14, "exactly 2 weeks"),
    (15, 21, "15 days -> 3 whole weeks"),
    (21, 21, "exactly 3 weeks"),
    (75.27, 77, "ceil(75.27) = 76 days -> 11 weeks = 77"),
])
def test_planned_days_whole_weeks_two_week_minimum(enrol, planned, arithmetic):
    assert planned_days(enrol) == planned, arithmetic


def test_planned_days_follow_the_rules_they_are_given():
    three_weeks = dataclasses.replace(HOUSE, minimum_experiment_weeks=3)
    assert planned_days(12, three_weeks) == 21  # 2 whole weeks, below the 3-week minimum
    any_day = dataclasses.replace(HOUSE, whole_weeks=False)
    assert planned_days(8.2, any_day) == 14  # ceil(8.2) = 9 days, below the 14-day minimum
    assert planned_days(15.2, any_day) == 16  # ceil(15.2) = 16 days, no rounding to weeks
    with pytest.raises(ValueError, match="enrol_days"):
        planned_days(-1)


# The framework's worked test: 10% baseline, +0.5% relative, 100M users a day, 1% of them in the test.
FEED = ABPlan("users who click", baseline_rate=0.10, relative_mde=0.005, daily_users=100e6,
              traffic_fraction=0.01)


def test_ab_plan_sample_is_the_kit_formula_at_the_house_alpha_and_power():
    assert HOUSE.alpha == 0.05 and HOUSE.power == 0.8
    assert FEED.sample_per_arm() == ab_test_sample_size(0.10, 0.005, alpha=0.05, power=0.8, relative=True)
    # (1.95996 sqrt(2 x 0.10025 x 0.89975) + 0.84162 sqrt(0.1 x 0.9 + 0.1005 x 0.8995))^2 / 0.0005^2
    # = (0.831609 + 0.357338)^2 / 2.5e-7 = 5,663,746.5 -> 5,663,747.
    assert FEED.sample_per_arm() == 5_663_747
    stricter = dataclasses.replace(FEED, rules=dataclasses.replace(HOUSE, alpha=0.01, power=0.9))
    assert stricter.sample_per_arm() == ab_test_sample_size(0.10, 0.005, alpha=0.01, power=0.9)


@pytest.mark.parametrize(("plan", "users_per_day", "enrol", "planned", "arithmetic"), [
    (FEED, 1e6, 12, 14, "ceil(5,663,747 x 2 / (100e6 x 1%)) = ceil(11.33) = 12 -> 2 weeks"),
    (dataclasses.replace(FEED, n_arms=3), 1e6, 17, 21,
     "ceil(5,663,747 x 3 / 1e6) = ceil(16.99) = 17 -> 3 weeks"),
    (dataclasses.replace(FEED, traffic_fraction=0.05), 5e6, 3, 14,
     "ceil(5,663,747 x 2 / 5e6) = ceil(2.27) = 3 -> 2 weeks"),
    (dataclasses.replace(FEED, traffic_fraction=0.002), 2e5, 57, 63,
     "ceil(5,663,747 x 2 / 2e5) = ceil(56.64) = 57 -> 9 weeks"),
])
def test_ab_plan_enrolment_and_duration(plan, users_per_day, enrol, planned, arithmetic):
    assert plan.users_per_day() == pytest.approx(users_per_day)
    assert plan.enrol_days() == enrol, arithmetic
    assert plan.planned_days() == planned, arithmetic


def test_ab_plan_target_rate_and_table_rows():
    assert FEED.target_rate() == pytest.approx(0.1005)  # 10% x (1 + 0.5%)
    rows = ab_plan_table(FEED).splitlines()
    assert "| Users needed per arm | 5,663,747 |" in rows
    assert "| Days to enrol the sample (lower bound) | 12 days |" in rows
    assert "| Days to run | 14 days (whole weeks, at least 2) |" in rows
    assert "| Minimum detectable effect | 0.5% relative (10% → 10.05%) |" in rows
    # A plan that randomises something other than users says so in every row that counts them.
    audit = ab_plan_table(dataclasses.replace(FEED, metric="frames with a miss", unit="frames", daily_users=1e6,
                                              traffic_fraction=1.0)).splitlines()
    assert "| Frames needed per arm | 5,663,747 |" in audit
    assert "| Frames entering the test per day | 1M (100% of eligible frames, 2 arms) |" in audit
    assert not [row for row in audit if "user" in row.lower()], audit


# --- latency: a budget of serial and parallel stages ---------------------------------------------

BUDGET = LatencyBudget(100, (
    Stage("parse", "Parse request", 20),
    Stage("fetch", "Fetch features", branches=(("user store", 10), ("item store", 25))),
    Stage("rank", "Rank", 30),
))


def test_serial_and_parallel_stages():
    assert BUDGET.stage("parse").budget_ms == 20  # serial: its own time
    assert BUDGET.stage("fetch").budget_ms == 25  # parallel: the slowest of 10 and 25
    assert BUDGET.total_ms() == 75  # 20 + 25 + 30
    assert BUDGET.headroom_ms() == 25  # 100 - 75
    assert BUDGET.share("rank") == pytest.approx(0.30)  # 30 / 100
    assert BUDGET.share("fetch") == pytest.approx(0.25)  # 25 / 100
    assert BUDGET.stage("fetch").label == "Fetch features"


def test_lookup_by_id_names_the_ids():
    with pytest.raises(KeyError, match="no stage 'Rank'.*parse, fetch, rank"):
        BUDGET.stage("Rank")  # a label is not an id


def test_latency_table_rows_by_hand():
    rows = latency_budget_table(BUDGET).splitlines()
    # running totals 20, 45, 75; headroom 25 ms = 25%; target 100 ms
    assert "| Fetch features | slowest of: user store 10 ms, item store 25 ms | 25 ms | 25% | 45 ms |" in rows
    assert "| Unallocated headroom |  | 25 ms | 25% | 100 ms |" in rows


def test_stages_from_shares():
    stages = stages_from_shares(200, (("retrieve", "Retrieve", 0.25), ("rank", "Rank", 0.75)))
    # 200 x 0.25 and 200 x 0.75
    assert [(s.id, s.budget_ms) for s in stages] == [("retrieve", 50), ("rank", 150)]
    assert LatencyBudget(200, stages).headroom_ms() == 0


@pytest.mark.parametrize(("build", "message"), [
    (lambda: stages_from_shares(200, (("a", "A", 0.5), ("b", "B", 0.4))), "sum to 0.9"),
    (lambda: LatencyBudget(50, (Stage("a", "A", 40), Stage("b", "B", 20))), "60.0 ms, over the 50 ms"),
    (lambda: LatencyBudget(50, (Stage("a", "A", 10), Stage("b", "B", branches=(("x", 30), ("y", 45))))),
     "55.0 ms"),
    (lambda: LatencyBudget(100, (Stage("a", "A", 10), Stage("a", "Again", 10))), "ids repeat"),
    (lambda: Stage("a", "A", 10, branches=(("x", 5),)), "not both"),
    (lambda: Stage("a", "A", -1), "negative"),
])
def test_inconsistent_budgets_raise(build, message):
    with pytest.raises(ValueError, match=message):
        build()


# --- plan: the 45-minute interview ---------------------------------------------------------------

PHASES = (Phase("Clarify", 5, "goals"), Phase("Design", 30, "diagram"), Phase("Wrap up", 10, "trade-offs"))


def test_timeline_start_and_end_minutes():
    # 0-5, then 5-35 (5 + 30), then 35-45 (35 + 10)
    assert [(p.name, start, end) for p, start, end in timeline(PHASES)] == [
        ("Clarify", 0, 5), ("Design", 5, 35), ("Wrap up", 35, 45)]
    assert HOUSE.interview_minutes == 45
    # 30 of 45 minutes = 66.7% -> 67%
    assert "| 5-35 | Design | 67% | diagram |" in interview_plan_table(PHASES).splitlines()


@pytest.mark.parametrize(("phases", "message"), [
    (PHASES[:2], "35 minutes, not the 45"),
    (PHASES + (Phase("Extra", 1, ""),), "46 minutes, not the 45"),
    ((Phase("Empty", 0, ""), *PHASES), "positive"),
])
def test_phases_must_fill_the_interview(phases, message):
    with pytest.raises(ValueError, match=message):
        timeline(phases)


def test_timeline_follows_the_rules_it_is_given():
    hour = dataclasses.replace(HOUSE, interview_minutes=60)
    phases = PHASES + (Phase("Questions", 15, ""),)
    assert timeline(phases, hour)[-1][1:] == (45, 60)


# --- assume: declared assumptions -------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    users: float = assume(2e6, "Users per day", d.short, PROBLEM)
    rate: float = assume(0.05, "Click rate", d.percent, cited("Smith et al. (2020)", "smith2020"))
    dim: int = assume(128, "Embedding width", d.count, thumb("a common width"))
    seconds: int = assume(86_400, "Seconds in a day", d.count, DEFINITION)
    alpha: float = assume(0.05, "Significance level", d.plain, CONVENTION)
    cutoff: float = assume(0.5, "Score cut-off", d.plain, design("tuned on validation"))


def test_provenance_rendering():
    assert PROBLEM.render() == "problem statement"
    assert CONVENTION.render() == "convention"
    assert thumb().render() == "rule of thumb"
    assert thumb("a common width").render() == "rule of thumb (a common width)"
    assert design("tuned on validation").render() == "design choice (tuned on validation)"
    assert cited("Smith et al. (2020)", "smith2020").render() == "Smith et al. (2020)[^smith2020]"
    with pytest.raises(ValueError, match="footnote"):
        cited("Smith et al. (2020)", "")


def test_assumptions_table_rows_in_declaration_order():
    assert assumptions_table(Example()).splitlines()[2:] == [
        "| Users per day | 2M | problem statement |",
        "| Click rate | 5% | Smith et al. (2020)[^smith2020] |",
        "| Embedding width | 128 | rule of thumb (a common width) |",
        "| Seconds in a day | 86,400 | definition |",
        "| Significance level | 0.05 | convention |",
        "| Score cut-off | 0.5 | design choice (tuned on validation) |",
    ]


def test_one_assumption_formatted_as_declared():
    assert Example().rate == 0.05  # the plain value
    assert formatted(Example(), "rate") == "5%"
    assert declaration(Example(), "dim").label == "Embedding width"
    with pytest.raises(KeyError, match="no assumption 'speed'.*users, rate, dim"):
        declaration(Example(), "speed")


def test_a_field_without_assume_is_named():
    @dataclass(frozen=True)
    class Undeclared:
        users: float = assume(2e6, "Users per day", d.short, PROBLEM)
        forgotten: int = 3

    with pytest.raises(TypeError, match="Undeclared.forgotten is not declared with assume"):
        assumptions_table(Undeclared())
    with pytest.raises(TypeError, match="instance"):
        assumptions_table(Example)  # the class, not an instance


def test_assume_needs_a_provenance():
    with pytest.raises(TypeError, match="'Users': source must be a Provenance"):
        assume(1, "Users", d.count, "problem statement")


# --- show: what a page may show ------------------------------------------------------------------


def test_a_value_is_memoised_and_shown_formatted():
    calls = []

    @value(d.count)
    def users(factor: int = 1) -> float:
        calls.append(factor)
        return 1234.4 * factor

    assert users() == users() == 1234.4
    assert calls == [1]  # computed once
    assert shown(users) == "1,234"
    assert shown(users, 2) == "2,469"  # 2,468.8 rounded
    assert calls == [1, 2]
    assert kind(users) == "value"


def test_tables_and_unmarked_functions():
    @table
    def grid() -> str:
        return "| a |\n| -- |\n| 1 |"

    def plain() -> float:
        return 1.0

    assert kind(grid) == "table" and kind(plain) is None
    assert grid() == "| a |\n| -- |\n| 1 |"
    with pytest.raises(TypeError, match="'plain' is not marked with @value"):
        shown(plain)
    with pytest.raises(TypeError, match="'grid' is not marked with @value"):
        shown(grid)


# --- display: the formatters ---------------------------------------------------------------------------

FORMATTED = [
    (d.percent, (0.03,), "3%"),
    (d.percent, (0.005,), "0.5%"),
    (d.percent, (0.0005,), "0.05%"),
    (d.percent, (0.051,), "5.1%"),
    (d.percent, (0.1234,), "12.34%"),
    (d.percent, (1.0,), "100%"),
    (d.percent, (0.6415, 0), "64%"),
    (d.percent, (0.1005, 3), "10.05%"),
    (d.percent, (-0.02,), "-2%"),
    (d.points, (0.0005,), "0.05 percentage points"),
    (d.points, (0.001,), "0.1 percentage points"),
    (d.points, (0.01,), "1 percentage point"),
    (d.points, (0.025,), "2.5 percentage points"),
    (d.share, (0.366,), "36.6%"),
    (d.share, (0.0,), "0.0%"),
    (d.share, (0.0001,), "0.010%"),  # 0.0% would hide a non-zero share
    (d.share, (0.99999,), "99.999%"),  # 100.0% would hide the missing part
    (d.share, (1.0,), "100.0%"),
    (d.times, (3.0,), "3×"),
    (d.times, (2.5,), "2.5×"),
    (d.times, (1.34,), "1.34×"),
    (d.plain, (6.0,), "6"),
    (d.plain, (0.25,), "0.25"),
    (d.plain, (86_400,), "86,400"),
    (d.plain, (2e6,), "2,000,000"),
    (d.times, (2e6,), "2,000,000×"),
    (d.days, (14,), "14 days"),
    (d.days, (1,), "1 day"),
    (d.days, (0.5,), "0.5 days"),
    (d.weeks, (2,), "2 weeks"),
    (d.weeks, (1,), "1 week"),
    (d.minutes, (45,), "45 min"),
    (d.minutes, (7.5,), "7.5 min"),
    (d.clock, (7,), "07:00"),
    (d.clock, (45,), "45:00"),
    (d.yes_no, (True,), "yes"),
    (d.yes_no, (False,), "no"),
]


@pytest.mark.parametrize(("formatter", "args", "text"), FORMATTED,
                         ids=[f"{f.__name__}{list(a)}" for f, a, _ in FORMATTED])
def test_formatters(formatter, args, text):
    assert formatter(*args) == text


def test_house_rules_show_as_declared():
    assert formatted(HOUSE, "peak_to_average") == "3×"
    assert formatted(HOUSE, "minimum_experiment_weeks") == "2 weeks"
    assert formatted(HOUSE, "whole_weeks") == "yes"
    assert formatted(HOUSE, "interview_minutes") == "45 min"
    assert formatted(HOUSE, "single_call_quantile") == "p99"
    assert math.isclose(HOUSE.seconds_per_day, 24 * 60 * 60)


def test_a_measured_window_extends_the_test():
    # 12 days to enrol (the framework's plan) + 7 measured = 19 days -> 3 whole weeks = 21.
    from snippets.kit.abtest import ABPlan

    plan = ABPlan("m", 0.10, 0.005, 100e6, 0.01, measured_days=7)
    assert (plan.enrol_days(), plan.planned_days()) == (12, 21)


def test_candidate_sources_add_up_before_deduplication():
    sources = (Source("a", "A", "first", 500), Source("b", "B", "second", 300), Source("c", "C", "third", 0))
    assert total_candidates(sources) == 800  # 500 + 300 + 0
    assert total_candidates(()) == 0


def test_graded_list_counts_the_judged_items_the_list_missed():
    example = GradedList(shown=(("a", 3), ("b", 0), ("c", 1), ("d", 2)), missed=(("e", 2),), relevant_grade=2)
    assert example.relevant() == {"a", "d", "e"}
    assert example.hits(2) == 1 and example.hits(4) == 2
    assert example.recall(4) == pytest.approx(2 / 3)  # a and d of a, d, e
    assert example.precision(2) == pytest.approx(1 / 2)
    dcg2 = 3 / math.log2(2) + 0 / math.log2(3)  # = 3
    ideal2 = 3 / math.log2(2) + 2 / math.log2(3)  # grades 3, 2, 2, 1, 0 sorted: 3 + 1.262
    assert example.dcg(2) == pytest.approx(dcg2)
    assert example.ndcg(2) == pytest.approx(dcg2 / ideal2)
    shown_ideal2 = 3 / math.log2(2) + 2 / math.log2(3)  # shown grades sorted: 3, 2, 1, 0
    assert example.ndcg(2, shown_only=True) == pytest.approx(dcg2 / shown_ideal2)
    exp_dcg2 = (2**3 - 1) / 1 + 0  # = 7
    exp_ideal2 = (2**3 - 1) / 1 + (2**2 - 1) / math.log2(3)
    assert example.ndcg(2, "exponential") == pytest.approx(exp_dcg2 / exp_ideal2)
    ideal4 = 3 + 2 / math.log2(3) + 2 / math.log2(4) + 1 / math.log2(5)
    dcg4 = 3 + 0 + 1 / math.log2(4) + 2 / math.log2(5)
    assert example.ndcg(4) == pytest.approx(dcg4 / ideal4)
    assert example.ndcg(4) < example.ndcg(4, shown_only=True)  # a missed item raises the ideal
    rows = example.table("Item", "Grade", "grade", "missed").splitlines()
    assert rows[0] == "| Position | Item | Grade | Relevant (grade ≥ 2) | Grade / log2(position + 1) |"
    assert rows[3] == "| 2 | b | 0 | no | 0.000 |" and rows[5] == "| 4 | d | 2 | yes | 0.861 |"  # 2 / log2(5)
    assert rows[-1] == "| missed | e | 2 | yes | — |"
    with pytest.raises(ValueError, match="twice"):
        GradedList(shown=(("a", 1),), missed=(("a", 2),), relevant_grade=1)
