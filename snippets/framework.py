"""The framework chapter: the 45-minute interview plan and a worked back-of-the-envelope example.

Every number the framework page shows comes from here. The worked example is a *generic*
recommendation surface (a personalised home feed of items) sized with round, stated assumptions;
the case-study chapters repeat the same arithmetic with their own numbers. The capacity formulas
themselves live in ``snippets.estimation`` and are imported, never re-implemented.
"""

from __future__ import annotations

from dataclasses import dataclass

from snippets.display import count, md_table, ms, nbytes, pct, percentile, short
from snippets.estimation import (
    ab_test_duration_days,
    ab_test_sample_size,
    average_qps,
    embedding_bytes,
    fanout_quantile,
    hnsw_index_bytes,
    ivfpq_index_bytes,
    peak_qps,
    required_call_quantile,
)


# --------------------------------------------------------------------------------------------
# Assumptions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InterviewPhase:
    """One phase of the 45-minute interview and what should be on the board when it ends."""

    name: str
    minutes: int
    deliverable: str


#: The interview plan (this guide's recommendation, not a rule of any company). Minutes are
#: assumptions; start, end and share are computed from them.
INTERVIEW_PHASES: tuple[InterviewPhase, ...] = (
    InterviewPhase(
        "Clarify requirements",
        5,
        "Goal, users, scale, latency, data available, constraints, written as numbers",
    ),
    InterviewPhase(
        "Frame as an ML task",
        4,
        "Business objective → ML objective, input and output, ML category",
    ),
    InterviewPhase(
        "Back of the envelope",
        3,
        "Peak QPS, predictions per second, index memory, latency budget",
    ),
    InterviewPhase(
        "Data and features",
        7,
        "Entities, how labels and negatives are made, a short feature list",
    ),
    InterviewPhase(
        "Model",
        8,
        "Baseline, two candidates compared, the choice and its loss",
    ),
    InterviewPhase(
        "Evaluation",
        5,
        "Offline metric, online metric, A/B test and guardrails",
    ),
    InterviewPhase(
        "Serving",
        7,
        "Offline and online halves drawn apart, request path with stage latencies",
    ),
    InterviewPhase(
        "Monitoring and iteration",
        3,
        "What drifts, what alerts, how often the model retrains",
    ),
    InterviewPhase(
        "Trade-offs and wrap-up",
        3,
        "Two or three decisions with what each gave up; next steps",
    ),
)

#: Length of a typical design round in minutes (the brief's premise: a 45-minute interview).
INTERVIEW_MINUTES = 45


@dataclass(frozen=True)
class LatencyStage:
    """One stage of the online request path with its share of the latency budget."""

    name: str
    milliseconds: float
    note: str


@dataclass(frozen=True)
class FrameworkAssumptions:
    """The worked example: a generic personalised home feed. All values are assumptions."""

    # Problem statement: a large consumer app; round number chosen for the example.
    daily_active_users: float = 100e6
    # Problem statement: home-feed loads per active user per day.
    requests_per_user_per_day: float = 10
    # Rule of thumb: peak traffic is 2-3x the daily average; we take the top of the range.
    peak_to_average: float = 3.0
    # Problem statement: candidates the ranking model scores per request (after retrieval).
    candidates_ranked_per_request: int = 500
    # Problem statement: items shown to the user per feed load.
    items_shown_per_request: int = 10
    # Problem statement: share of shown items that are clicked (the positive label rate).
    click_through_rate: float = 0.03
    # Problem statement: size of the item catalogue that retrieval searches.
    catalogue_items: int = 100_000_000
    # Rule of thumb: a common embedding width for two-tower retrieval.
    embedding_dim: int = 128
    # Faiss guideline range for HNSW links per node is 4-64; 32 is a common middle value.
    hnsw_m: int = 32
    # Rule of thumb: 64-byte product-quantisation code per vector (e.g. PQ64 with 8-bit codes).
    pq_code_bytes: int = 64
    # Problem statement: end-to-end server-side latency target at p99 for one feed load.
    latency_target_ms: float = 200
    # Rule of thumb: a feature fetch that fans out to this many shards or services per request.
    fanout_calls: int = 100
    # Definition: each call is measured at its own 99th percentile.
    single_call_quantile: float = 0.99
    # Problem statement: baseline share of users who click at least one item per day.
    ab_baseline_rate: float = 0.10
    # Problem statement: smallest relative lift worth detecting (half a percent of the baseline).
    ab_relative_mde: float = 0.005
    # Convention: two-sided significance level and power.
    ab_alpha: float = 0.05
    ab_power: float = 0.8
    # Problem statement: share of daily users the experiment may use (other tests run too).
    ab_traffic_fraction: float = 0.01
    # Rule of thumb (this guide): run at least one full week to cover weekday/weekend cycles.
    ab_minimum_days: int = 7


ASSUMPTIONS = FrameworkAssumptions()

#: The request path of the worked example. Stage times are assumptions (rule of thumb, this
#: guide's split); ``budget_slack_ms`` checks that they add up to the target.
LATENCY_STAGES: tuple[LatencyStage, ...] = (
    LatencyStage("Network, auth and request parsing", 20, "Outside the ML system; fixed cost"),
    LatencyStage("User and context features", 20, "Key-value lookups, fanned out"),
    LatencyStage("Candidate retrieval (ANN + other sources)", 30, "Several sources in parallel"),
    LatencyStage("Candidate features", 25, "Batched lookups for a few hundred items"),
    LatencyStage("Ranking model", 60, "Largest share: scores every candidate"),
    LatencyStage("Re-ranking and business rules", 15, "Diversity, freshness, filters"),
    LatencyStage("Headroom", 30, "Kept free for retries, GC pauses and growth"),
)


# --------------------------------------------------------------------------------------------
# Pure functions
# --------------------------------------------------------------------------------------------


def timeline(phases: tuple[InterviewPhase, ...]) -> list[tuple[InterviewPhase, int, int, float]]:
    """Each phase with its start minute, end minute and share of the total time."""
    total = sum(phase.minutes for phase in phases)
    if total <= 0:
        raise ValueError("an interview plan needs a positive number of minutes")
    rows, start = [], 0
    for phase in phases:
        end = start + phase.minutes
        rows.append((phase, start, end, phase.minutes / total))
        start = end
    return rows


def predictions_per_second(requests_per_second: float, candidates_per_request: int) -> float:
    """Model scores per second: every request scores every candidate once."""
    return requests_per_second * candidates_per_request


def users_per_arm_per_day(daily_users: float, traffic_fraction: float, n_arms: int) -> float:
    """Users entering each arm per day: the experiment's share of daily users, split evenly."""
    if n_arms < 1:
        raise ValueError("an experiment needs at least one arm")
    return daily_users * traffic_fraction / n_arms


def daily_impressions(
    daily_active_users: float, requests_per_user_per_day: float, items_shown_per_request: int
) -> float:
    """Items shown per day, i.e. candidate training rows logged per day."""
    return daily_active_users * requests_per_user_per_day * items_shown_per_request


def budget_slack_ms(stages: tuple[LatencyStage, ...], target_ms: float) -> float:
    """Target minus the sum of stage times: 0 when the split uses the budget exactly."""
    return target_ms - sum(stage.milliseconds for stage in stages)


def experiment_days(computed_days: float, minimum_days: int) -> int:
    """Days to run: the computed duration rounded up to whole days, never below the minimum."""
    whole = int(computed_days) + (0 if float(computed_days).is_integer() else 1)
    return max(whole, minimum_days)


# --------------------------------------------------------------------------------------------
# Derived values for the worked example
# --------------------------------------------------------------------------------------------


def _derived(a: FrameworkAssumptions = ASSUMPTIONS) -> dict[str, float]:
    """Every computed quantity of the worked example, unformatted."""
    avg = average_qps(a.daily_active_users, a.requests_per_user_per_day)
    peak = peak_qps(avg, a.peak_to_average)
    impressions = daily_impressions(
        a.daily_active_users, a.requests_per_user_per_day, a.items_shown_per_request
    )
    sample = ab_test_sample_size(
        a.ab_baseline_rate, a.ab_relative_mde, alpha=a.ab_alpha, power=a.ab_power, relative=True
    )
    duration = ab_test_duration_days(
        sample, a.daily_active_users, n_arms=2, traffic_fraction=a.ab_traffic_fraction
    )
    return {
        "avg_qps": avg,
        "peak_qps": peak,
        "avg_predictions": predictions_per_second(avg, a.candidates_ranked_per_request),
        "peak_predictions": predictions_per_second(peak, a.candidates_ranked_per_request),
        "impressions_per_day": impressions,
        "positives_per_day": impressions * a.click_through_rate,
        "embeddings_fp32": embedding_bytes(a.catalogue_items, a.embedding_dim, 4),
        "embeddings_fp16": embedding_bytes(a.catalogue_items, a.embedding_dim, 2),
        "hnsw": hnsw_index_bytes(a.catalogue_items, a.embedding_dim, a.hnsw_m),
        "ivfpq": ivfpq_index_bytes(a.catalogue_items, a.pq_code_bytes),
        "fanout_quantile": fanout_quantile(a.single_call_quantile, a.fanout_calls),
        "required_quantile": required_call_quantile(
            a.single_call_quantile, a.fanout_calls
        ),
        "budget_slack": budget_slack_ms(LATENCY_STAGES, a.latency_target_ms),
        "ab_sample_per_arm": sample,
        "ab_users_per_arm_per_day": users_per_arm_per_day(
            a.daily_active_users, a.ab_traffic_fraction, 2
        ),
        "ab_days_computed": duration,
        "ab_days": experiment_days(duration, a.ab_minimum_days),
    }


# --------------------------------------------------------------------------------------------
# Display functions (what the page shows)
# --------------------------------------------------------------------------------------------


def _percent(fraction: float) -> str:
    """A percentage without trailing zeros: 0.03 -> '3%', 0.005 -> '0.5%', 0.0005 -> '0.05%'."""
    text = f"{fraction * 100:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _points(fraction: float) -> str:
    """An absolute difference of rates in percentage points: 0.0005 -> '0.05 percentage points'."""
    return _percent(fraction).removesuffix("%") + " percentage points"


def _clock(minute: int) -> str:
    """A minute offset as a clock reading: 7 -> '07:00'."""
    return f"{minute:02d}:00"


def interview_timeline_table() -> str:
    """The 45-minute plan: phase, minutes, start, end, share and what the board shows."""
    rows = [
        [phase.name, phase.minutes, _clock(start), _clock(end), pct(share, 0), phase.deliverable]
        for phase, start, end, share in timeline(INTERVIEW_PHASES)
    ]
    total = sum(phase.minutes for phase in INTERVIEW_PHASES)
    if total != INTERVIEW_MINUTES:
        raise ValueError(f"the phases add up to {total} minutes, not {INTERVIEW_MINUTES}")
    rows.append(["**Total**", f"**{total}**", "", "", pct(1.0, 0), ""])
    return md_table(
        ["Phase", "Minutes", "Starts", "Ends", "Share", "On the board when it ends"],
        rows,
        align="lrrrrl",
    )


def assumptions_table() -> str:
    """Every assumption of the worked example, with its source."""
    a = ASSUMPTIONS
    given, thumb = "Problem statement", "Rule of thumb"
    rows = [
        ["Daily active users", short(a.daily_active_users), given],
        ["Feed loads per user per day", count(a.requests_per_user_per_day), given],
        ["Peak-to-average traffic ratio", f"{short(a.peak_to_average)}×", f"{thumb} (2–3×)"],
        ["Candidates ranked per request", count(a.candidates_ranked_per_request), given],
        ["Items shown per request", count(a.items_shown_per_request), given],
        ["Click-through rate on shown items", _percent(a.click_through_rate), given],
        ["Items in the catalogue", short(a.catalogue_items), given],
        ["Embedding dimension", count(a.embedding_dim), thumb],
        ["HNSW links per node (M)", count(a.hnsw_m), "Faiss guideline range 4–64"],
        ["PQ code size per vector", nbytes(a.pq_code_bytes), thumb],
        ["Latency target (p99, server side)", ms(a.latency_target_ms), given],
        ["Parallel calls in the feature fetch", count(a.fanout_calls), thumb],
        ["A/B baseline (users clicking per day)", _percent(a.ab_baseline_rate), given],
        ["A/B minimum detectable effect (relative)", _percent(a.ab_relative_mde), given],
        ["A/B significance level, power", f"{a.ab_alpha}, {a.ab_power}", "Convention"],
        ["A/B share of traffic for the test", _percent(a.ab_traffic_fraction), given],
        ["A/B minimum duration", f"{a.ab_minimum_days} days", f"{thumb} (full weekly cycle)"],
    ]
    return md_table(["Assumption", "Value", "Source"], rows, align="lrl")


def capacity_table() -> str:
    """Traffic, model load and training-data volume of the worked example."""
    d = _derived()
    a = ASSUMPTIONS
    rows = [
        ["Average QPS", short(d["avg_qps"]), "DAU × loads per user ÷ 86,400 s"],
        ["Peak QPS", short(d["peak_qps"]), f"Average × {short(a.peak_to_average)}"],
        ["Ranking predictions per second (average)", short(d["avg_predictions"]),
         "Average QPS × candidates ranked"],
        ["Ranking predictions per second (peak)", short(d["peak_predictions"]),
         "Peak QPS × candidates ranked"],
        ["Impressions logged per day", short(d["impressions_per_day"]),
         "DAU × loads × items shown"],
        ["Positive labels (clicks) per day", short(d["positives_per_day"]),
         "Impressions × click-through rate"],
    ]
    return md_table(["Quantity", "Value", "How"], rows, align="lrl")


def index_memory_table() -> str:
    """Memory to hold the catalogue's embeddings three ways."""
    d = _derived()
    a = ASSUMPTIONS
    rows = [
        ["Raw vectors, fp32", nbytes(d["embeddings_fp32"]), f"N × {a.embedding_dim} × 4 B",
         "Exact search; the reference for recall"],
        ["Raw vectors, fp16", nbytes(d["embeddings_fp16"]), f"N × {a.embedding_dim} × 2 B",
         "Halves memory; small precision loss"],
        ["HNSW graph index, fp32", nbytes(d["hnsw"]),
         f"N × ({a.embedding_dim} × 4 + {a.hnsw_m} × 2 × 4) B",
         "Fast and high recall; the most memory"],
        ["IVF-PQ index", nbytes(d["ivfpq"]), f"N × ({a.pq_code_bytes} B code + 8 B id)",
         "Fits one machine; recall drops, re-rank to recover"],
    ]
    return md_table(["Layout", "Memory", "Formula", "What you trade"], rows, align="lrll")


def latency_budget_table() -> str:
    """The request path's stages, their budget, share and running total."""
    target = ASSUMPTIONS.latency_target_ms
    slack = budget_slack_ms(LATENCY_STAGES, target)
    if abs(slack) > 1e-9:
        raise ValueError(f"latency stages miss the {target} ms target by {slack} ms")
    rows, running = [], 0.0
    for stage in LATENCY_STAGES:
        running += stage.milliseconds
        rows.append(
            [stage.name, ms(stage.milliseconds), _percent(stage.milliseconds / target),
             ms(running), stage.note]
        )
    rows.append(["**Total**", f"**{ms(running)}**", _percent(running / target), "", "= the target"])
    return md_table(
        ["Stage", "Budget", "Share", "Cumulative", "Note"], rows, align="lrrrl"
    )


def fanout_table() -> str:
    """How a per-call p99 turns into a worse request-level percentile as fan-out grows."""
    q = ASSUMPTIONS.single_call_quantile
    rows = []
    for n_calls in (1, 10, 50, 100, 500):
        within = fanout_quantile(q, n_calls)
        rows.append(
            [count(n_calls), pct(within), pct(1 - within),
             percentile(required_call_quantile(q, n_calls))]
        )
    return md_table(
        [
            "Parallel calls",
            "Requests with every call under its p99",
            "Requests with at least one call over its p99",
            "Per-call percentile needed for a request p99",
        ],
        rows,
    )


def ab_test_table() -> str:
    """Sample size and duration for the worked A/B test."""
    d = _derived()
    a = ASSUMPTIONS
    rows = [
        ["Baseline rate", _percent(a.ab_baseline_rate)],
        ["Minimum detectable effect", f"{_percent(a.ab_relative_mde)} relative "
         f"({_points(a.ab_baseline_rate * a.ab_relative_mde)})"],
        ["Users needed per arm", short(d["ab_sample_per_arm"])],
        ["Users entering each arm per day", short(d["ab_users_per_arm_per_day"])],
        ["Days to enrol the sample (whole days)", count(d["ab_days_computed"])],
        ["Days to run (at least one full week)", count(d["ab_days"])],
    ]
    return md_table(["Quantity", "Value"], rows)


def numbers() -> dict[str, str]:
    """Inline values for the framework page, already formatted."""
    a = ASSUMPTIONS
    d = _derived()
    ranking = next(s for s in LATENCY_STAGES if s.name == "Ranking model")
    headroom = next(s for s in LATENCY_STAGES if s.name == "Headroom")
    return {
        "interview_minutes": count(sum(p.minutes for p in INTERVIEW_PHASES)),
        "clarify_minutes": count(INTERVIEW_PHASES[0].minutes),
        "dau": short(a.daily_active_users),
        "requests_per_user": count(a.requests_per_user_per_day),
        "peak_factor": f"{short(a.peak_to_average)}×",
        "avg_qps": short(d["avg_qps"]),
        "peak_qps": short(d["peak_qps"]),
        "candidates": count(a.candidates_ranked_per_request),
        "ctr": _percent(a.click_through_rate),
        "peak_predictions": short(d["peak_predictions"]),
        "impressions_per_day": short(d["impressions_per_day"]),
        "positives_per_day": short(d["positives_per_day"]),
        "catalogue": short(a.catalogue_items),
        "catalogue_multiplier": short(a.catalogue_items / a.candidates_ranked_per_request),
        "dim": count(a.embedding_dim),
        "embeddings_fp32": nbytes(d["embeddings_fp32"]),
        "hnsw": nbytes(d["hnsw"]),
        "ivfpq": nbytes(d["ivfpq"]),
        "latency_target": ms(a.latency_target_ms),
        "ranking_ms": ms(ranking.milliseconds),
        "ranking_share": _percent(ranking.milliseconds / a.latency_target_ms),
        "headroom_ms": ms(headroom.milliseconds),
        "fanout_calls": count(a.fanout_calls),
        "fanout_within": pct(d["fanout_quantile"]),
        "fanout_over": pct(1 - d["fanout_quantile"]),
        "required_quantile": percentile(d["required_quantile"]),
        "ab_baseline": _percent(a.ab_baseline_rate),
        "ab_mde": _percent(a.ab_relative_mde),
        "ab_mde_absolute": _points(a.ab_baseline_rate * a.ab_relative_mde),
        "ab_traffic": _percent(a.ab_traffic_fraction),
        "ab_sample_per_arm": short(d["ab_sample_per_arm"]),
        "ab_days_computed": count(d["ab_days_computed"]),
        "ab_days": count(d["ab_days"]),
        "ab_minimum_days": count(a.ab_minimum_days),
    }
