"""An A/B plan: sample size per arm, days to enrol it, and the days to run under the house rule.

Every page that sizes an experiment builds an ``ABPlan`` and shows it with ``ab_plan_table``; the
sample-size formula lives in ``snippets.kit.estimation`` and the duration rule in
``snippets.kit.house``, so two pages cannot size the same test differently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from snippets.kit.display import count, days, fixed, md_table, pct, percent, short
from snippets.kit.estimation import ab_test_duration_days, ab_test_sample_size
from snippets.kit.house import HOUSE, HouseRules


def planned_days(enrol_days: float, rules: HouseRules = HOUSE) -> int:
    """Days to run: the enrolment time rounded up to whole days (whole weeks under the house rule),
    and never shorter than the house minimum."""
    if enrol_days < 0:
        raise ValueError(f"enrol_days must be >= 0, got {enrol_days!r}")
    whole_days = math.ceil(enrol_days)
    if rules.whole_weeks:
        whole_days = 7 * math.ceil(whole_days / 7)
    return max(whole_days, 7 * rules.minimum_experiment_weeks)


@dataclass(frozen=True)
class ABPlan:
    """One experiment: a binary per-user metric, its baseline, the smallest lift worth detecting,
    and the traffic it may use."""

    metric: str  # what is measured, in words, for the table
    baseline_rate: float
    relative_mde: float
    daily_users: float  # users eligible per day
    traffic_fraction: float  # share of them put in the experiment, all arms together
    n_arms: int = 2
    #: Days the metric is measured after the last user enrols (a burn-in before it lets novelty fade);
    #: 0 when each user's metric is read as soon as the sample is complete.
    measured_days: int = 0
    #: What is randomised and counted, plural ("users", "frames", "sessions"): the table's wording.
    unit: str = "users"
    rules: HouseRules = field(default=HOUSE)

    def sample_per_arm(self) -> int:
        return ab_test_sample_size(
            self.baseline_rate, self.relative_mde, alpha=self.rules.alpha, power=self.rules.power, relative=True
        )

    def users_per_day(self) -> float:
        """Users entering the experiment per day, all arms together."""
        return self.daily_users * self.traffic_fraction

    def enrol_days(self) -> int:
        """Whole days until every arm has its sample (a lower bound: returning users count once)."""
        return ab_test_duration_days(
            self.sample_per_arm(), self.daily_users, n_arms=self.n_arms, traffic_fraction=self.traffic_fraction
        )

    def planned_days(self) -> int:
        """Enrolment plus the measured window, under the house duration rule."""
        return planned_days(self.enrol_days() + self.measured_days, self.rules)

    def target_rate(self) -> float:
        return self.baseline_rate * (1 + self.relative_mde)


def ab_plan_table(plan: ABPlan) -> str:
    """The plan as the page shows it: inputs, sample size, enrolment and the duration to run."""
    rule = f"whole weeks, at least {plan.rules.minimum_experiment_weeks}" if plan.rules.whole_weeks else (
        f"at least {plan.rules.minimum_experiment_weeks} weeks")
    if plan.measured_days:
        rule = f"enrolment + {days(plan.measured_days)} measured; {rule}"
    rows = [
        ("Primary metric", plan.metric),
        ("Baseline rate", percent(plan.baseline_rate)),
        ("Minimum detectable effect", f"{percent(plan.relative_mde)} relative "
                                      f"({percent(plan.baseline_rate)} → {percent(plan.target_rate(), 3)})"),
        ("Significance level / power", f"{fixed(plan.rules.alpha, 2)} two-sided / {pct(plan.rules.power, 0)}"),
        (f"{plan.unit.capitalize()} needed per arm", count(plan.sample_per_arm())),
        (f"{plan.unit.capitalize()} entering the test per day",
         f"{short(plan.users_per_day())} ({percent(plan.traffic_fraction)} of eligible {plan.unit}, {plan.n_arms} arms)"),
        ("Days to enrol the sample (lower bound)", days(plan.enrol_days())),
        ("Days to run", f"{days(plan.planned_days())} ({rule})"),
    ]
    return md_table(["Item", "Value"], rows, align="ll")
