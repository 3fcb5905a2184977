"""Video search: the assumptions and every number the chapter shows.

TODO(scaffold): one paragraph: what the chapter designs and what this module computes. Every
assumption is declared once (value, label, format, provenance); every number the page, its
figures or its lab shows is a public function marked @value or @table.
"""

from __future__ import annotations

from dataclasses import dataclass

from snippets.kit import estimation as est
from snippets.kit import latency, plan
from snippets.kit.abtest import ABPlan, ab_plan_table
from snippets.kit.assume import PROBLEM, assume, thumb
from snippets.kit.display import md_table, ms, percent, plain, short
from snippets.kit.house import HOUSE
from snippets.kit.plan import Phase
from snippets.kit.show import table, value


@dataclass(frozen=True)
class Assumptions:
    """Every input of the chapter's arithmetic. TODO(scaffold): the problem statement's values and yours."""

    daily_active_users: float = assume(10_000_000, "Daily active users", short, PROBLEM)
    requests_per_user_per_day: float = assume(5, "Requests per user per day", plain, thumb("TODO(scaffold)"))
    latency_target_ms: float = assume(200, "End-to-end latency target", ms, PROBLEM)
    ab_baseline_rate: float = assume(0.10, "A/B baseline rate", percent, thumb("TODO(scaffold)"))
    ab_relative_mde: float = assume(0.01, "A/B minimum detectable effect (relative)", percent, thumb("TODO(scaffold)"))
    ab_traffic_fraction: float = assume(0.05, "A/B share of users in the test", percent, thumb("TODO(scaffold)"))


ASSUMPTIONS = Assumptions()
A = ASSUMPTIONS

#: The request path, stage by stage (ids for code, labels for readers). TODO(scaffold): your stages.
LATENCY = latency.LatencyBudget(A.latency_target_ms, latency.stages_from_shares(A.latency_target_ms, (
    ("network", "Network and gateway", 0.20),
    ("features", "Feature fetch", 0.20),
    ("model", "Model inference", 0.40),
    ("headroom", "Headroom for the tail", 0.20),
)))

#: The experiment that decides whether the design ships. TODO(scaffold): your metric.
AB = ABPlan(
    metric="TODO(scaffold): the per-user metric the test decides on",
    baseline_rate=A.ab_baseline_rate,
    relative_mde=A.ab_relative_mde,
    daily_users=A.daily_active_users,
    traffic_fraction=A.ab_traffic_fraction,
)

#: The 45-minute plan for this problem. TODO(scaffold): your phases and what the board shows.
INTERVIEW_PLAN: tuple[Phase, ...] = (
    Phase("Clarify requirements", 5, "TODO(scaffold)"),
    Phase("Frame as an ML task", 5, "TODO(scaffold)"),
    Phase("Back of the envelope", 5, "TODO(scaffold)"),
    Phase("Data and features", 7, "TODO(scaffold)"),
    Phase("Model", 10, "TODO(scaffold)"),
    Phase("Evaluation", 5, "TODO(scaffold)"),
    Phase("Serving and monitoring", 5, "TODO(scaffold)"),
    Phase("Wrap-up and trade-offs", 3, "TODO(scaffold)"),
)


@value(short)
def avg_qps() -> float:
    """Average requests per second."""
    return est.average_qps(A.daily_active_users, A.requests_per_user_per_day)


@value(short)
def peak_qps() -> float:
    """Peak requests per second (house peak-to-average factor)."""
    return est.peak_qps(avg_qps(), HOUSE.peak_to_average)


@table
def capacity_table() -> str:
    """Traffic, average and peak. TODO(scaffold): storage, memory, training data, the dominant cost."""
    rows = [("Requests per second", "DAU x requests per user / seconds per day; peak x factor",
             short(avg_qps()), short(peak_qps()))]
    return md_table(["Quantity", "Formula", "Average", "Peak"], rows, align="llrr")


@table
def latency_budget_table() -> str:
    """The per-stage latency budget."""
    return latency.latency_budget_table(LATENCY)


@table
def ab_test_table() -> str:
    """The A/B test: sample size per arm and how long it runs."""
    return ab_plan_table(AB)


@table
def interview_timeline_table() -> str:
    """The 45-minute plan for this problem."""
    return plan.interview_plan_table(INTERVIEW_PLAN)
