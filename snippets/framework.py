"""The framework chapter: the 45-minute interview plan and a worked back-of-the-envelope example.

Every number the framework page shows comes from here. The worked example is a *generic*
recommendation surface (a personalised home feed of items) sized with round, stated assumptions;
the case-study chapters repeat the same arithmetic with their own numbers. The formulas live in
the chapter kit (``snippets.kit``); this module holds the example's assumptions and what the page
shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from snippets.kit import estimation as est
from snippets.kit.abtest import ABPlan, ab_plan_table
from snippets.kit.assume import PROBLEM, assume, thumb
from snippets.kit.display import count, md_table, ms, nbytes, pct, percent, percentile, points, short
from snippets.kit.house import HOUSE
from snippets.kit import latency
from snippets.kit.latency import LatencyBudget, Stage
from snippets.kit.plan import Phase, interview_plan_table
from snippets.kit.show import table, value


@dataclass(frozen=True)
class Assumptions:
    """The worked example: a generic personalised home feed. Round numbers, chosen for the example."""

    daily_active_users: float = assume(100e6, "Daily active users", short, PROBLEM)
    requests_per_user_per_day: float = assume(10, "Feed loads per user per day", count, PROBLEM)
    candidates_ranked_per_request: int = assume(500, "Candidates ranked per request", count, PROBLEM)
    items_shown_per_request: int = assume(10, "Items shown per request", count, PROBLEM)
    click_through_rate: float = assume(0.03, "Click-through rate on shown items", percent, PROBLEM)
    catalogue_items: int = assume(100_000_000, "Items in the catalogue", short, PROBLEM)
    embedding_dim: int = assume(128, "Embedding dimension", count, thumb("a common width for two-tower retrieval"))
    hnsw_m: int = assume(32, "HNSW links per node (M)", count, thumb("inside the Faiss guideline range 4-64"))
    pq_code_bytes: int = assume(64, "PQ code size per vector", nbytes, thumb("PQ64: 64 sub-quantisers of 8 bits"))
    latency_target_ms: float = assume(200, "Latency target (p99, server side)", ms, PROBLEM)
    fanout_calls: int = assume(100, "Parallel calls in the feature fetch", count, thumb())
    ab_baseline_rate: float = assume(0.10, "A/B baseline (users clicking per day)", percent, PROBLEM)
    ab_relative_mde: float = assume(0.005, "A/B minimum detectable effect (relative)", percent, PROBLEM)
    ab_traffic_fraction: float = assume(0.01, "A/B share of traffic for the test", percent, PROBLEM)


ASSUMPTIONS = Assumptions()
A = ASSUMPTIONS

#: The interview plan (this guide's recommendation, not a rule of any company).
INTERVIEW_PLAN: tuple[Phase, ...] = (
    Phase("Clarify requirements", 5, "Goal, users, scale, latency, data available, constraints, written as numbers"),
    Phase("Frame as an ML task", 4, "Business objective → ML objective, input and output, ML category"),
    Phase("Back of the envelope", 3, "Peak QPS, predictions per second, index memory, latency budget"),
    Phase("Data and features", 7, "Entities, how labels and negatives are made, a short feature list"),
    Phase("Model", 8, "Baseline, two candidates compared, the choice and its loss"),
    Phase("Evaluation", 5, "Offline metric, online metric, A/B test and guardrails"),
    Phase("Serving", 7, "Offline and online halves drawn apart, request path with stage latencies"),
    Phase("Monitoring and iteration", 3, "What drifts, what alerts, how often the model retrains"),
    Phase("Trade-offs and wrap-up", 3, "Two or three decisions with what each gave up; next steps"),
)

#: The request path of the worked example; stage times are this guide's split (rule of thumb).
LATENCY = LatencyBudget(A.latency_target_ms, (
    Stage("network", "Network, auth and request parsing", 20, note="Outside the ML system; fixed cost"),
    Stage("user_features", "User and context features", 20, note="Key-value lookups, fanned out"),
    Stage("retrieval", "Candidate retrieval (ANN + other sources)", 30, note="Several sources in parallel"),
    Stage("candidate_features", "Candidate features", 25, note="Batched lookups for a few hundred items"),
    Stage("ranking", "Ranking model", 60, note="Largest share: scores every candidate"),
    Stage("rerank", "Re-ranking and business rules", 15, note="Diversity, freshness, filters"),
    Stage("headroom", "Headroom", 30, note="Kept free for retries, GC pauses and growth"),
))

AB = ABPlan(
    metric="share of users who click at least one item per day",
    baseline_rate=A.ab_baseline_rate,
    relative_mde=A.ab_relative_mde,
    daily_users=A.daily_active_users,
    traffic_fraction=A.ab_traffic_fraction,
)

#: The fan-out rows of the table (parallel calls).
FANOUT_ROWS: tuple[int, ...] = (1, 10, 50, 100, 500)


# --------------------------------------------------------------------------------------------
# The worked example's numbers
# --------------------------------------------------------------------------------------------


@value(count)
def interview_minutes() -> int:
    return sum(phase.minutes for phase in INTERVIEW_PLAN)


@value(count)
def clarify_minutes() -> int:
    return INTERVIEW_PLAN[0].minutes


@value(short)
def avg_qps() -> float:
    return est.average_qps(A.daily_active_users, A.requests_per_user_per_day)


@value(short)
def peak_qps() -> float:
    return est.peak_qps(avg_qps(), HOUSE.peak_to_average)


def avg_predictions() -> float:
    return est.predictions_per_second(avg_qps(), A.candidates_ranked_per_request)


@value(short)
def peak_predictions() -> float:
    return est.predictions_per_second(peak_qps(), A.candidates_ranked_per_request)


@value(short)
def impressions_per_day() -> float:
    return est.impressions_per_day(A.daily_active_users, A.requests_per_user_per_day, A.items_shown_per_request)


@value(short)
def positives_per_day() -> float:
    return est.training_rows_per_day(impressions_per_day(), A.click_through_rate, negative_keep_rate=0.0)


@value(short)
def catalogue_multiplier() -> float:
    """How many times larger the catalogue is than the candidates ranked per request."""
    return A.catalogue_items / A.candidates_ranked_per_request


@value(nbytes)
def embeddings_bytes(bytes_per_value: int = 4) -> float:
    return est.embedding_bytes(A.catalogue_items, A.embedding_dim, bytes_per_value)


@value(nbytes)
def hnsw_bytes() -> float:
    return est.hnsw_index_bytes(A.catalogue_items, A.embedding_dim, A.hnsw_m)


@value(nbytes)
def ivfpq_bytes() -> float:
    return est.ivfpq_index_bytes(A.catalogue_items, A.pq_code_bytes)


@value(ms)
def stage_budget(stage_id: str) -> float:
    return LATENCY.stage(stage_id).budget_ms


@value(percent)
def stage_share(stage_id: str) -> float:
    return LATENCY.share(stage_id)


@value(pct)
def fanout_within() -> float:
    """Share of requests whose every parallel call finishes within its own p99."""
    return est.fanout_quantile(HOUSE.single_call_quantile, A.fanout_calls)


@value(pct)
def fanout_over() -> float:
    return 1 - fanout_within()


@value(percentile)
def required_call_quantile() -> float:
    return est.required_call_quantile(HOUSE.single_call_quantile, A.fanout_calls)


@value(points)
def ab_mde_absolute() -> float:
    return AB.baseline_rate * AB.relative_mde


@value(short)
def ab_sample_per_arm() -> int:
    return AB.sample_per_arm()


@value(count)
def ab_enrol_days() -> int:
    return AB.enrol_days()


@value(count)
def ab_planned_days() -> int:
    return AB.planned_days()


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


@table
def interview_timeline_table() -> str:
    """The 45-minute plan: minutes, phase, share and what the board shows."""
    return interview_plan_table(INTERVIEW_PLAN)


@table
def capacity_table() -> str:
    """Traffic, model load and training-data volume of the worked example."""
    rows = [
        ["Average QPS", short(avg_qps()), "DAU × loads per user ÷ seconds per day"],
        ["Peak QPS", short(peak_qps()), f"Average × {HOUSE.peak_to_average:g}"],
        ["Ranking predictions per second (average)", short(avg_predictions()), "Average QPS × candidates ranked"],
        ["Ranking predictions per second (peak)", short(peak_predictions()), "Peak QPS × candidates ranked"],
        ["Impressions logged per day", short(impressions_per_day()), "DAU × loads × items shown"],
        ["Positive labels (clicks) per day", short(positives_per_day()), "Impressions × click-through rate"],
    ]
    return md_table(["Quantity", "Value", "How"], rows, align="lrl")


@table
def index_memory_table() -> str:
    """Memory to hold the catalogue's embeddings four ways."""
    dim, m, code = A.embedding_dim, A.hnsw_m, A.pq_code_bytes
    rows = [
        ["Raw vectors, fp32", nbytes(embeddings_bytes(4)), f"N × {dim} × 4 B", "Exact search; the reference for recall"],
        ["Raw vectors, fp16", nbytes(embeddings_bytes(2)), f"N × {dim} × 2 B", "Halves memory; small precision loss"],
        ["HNSW graph index, fp32", nbytes(hnsw_bytes()), f"N × ({dim} × 4 + {m} × 2 × 4) B",
         "Fast and high recall; the most memory"],
        ["IVF-PQ index", nbytes(ivfpq_bytes()), f"N × ({code} B code + 8 B id)",
         "Fits one machine; recall drops, re-rank to recover"],
    ]
    return md_table(["Layout", "Memory", "Formula", "What you trade"], rows, align="lrll")


@table
def latency_budget_table() -> str:
    """The request path's stages, their budget, share and running total."""
    return latency.latency_budget_table(LATENCY, notes=True)


@table
def fanout_table() -> str:
    """How a per-call p99 turns into a worse request-level percentile as fan-out grows."""
    q = HOUSE.single_call_quantile
    rows = []
    for n_calls in FANOUT_ROWS:
        within = est.fanout_quantile(q, n_calls)
        rows.append([count(n_calls), pct(within), pct(1 - within), percentile(est.required_call_quantile(q, n_calls))])
    return md_table(
        [
            "Parallel calls",
            f"Requests with every call under its {percentile(q)}",
            f"Requests with at least one call over its {percentile(q)}",
            f"Per-call percentile needed for a request {percentile(q)}",
        ],
        rows,
    )


@table
def ab_test_table() -> str:
    """Sample size and duration for the worked A/B test."""
    return ab_plan_table(AB)
