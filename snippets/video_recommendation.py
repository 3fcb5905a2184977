"""Video recommendation (homepage, watch time): the chapter's assumptions and every number it shows.

``docs/video-recommendation.md`` designs a two-stage recommender (several candidate sources, a
multi-task ranking model, then re-ranking) for a homepage that must answer within an end-to-end
latency target. From the assumptions below this module computes the traffic, the candidate funnel,
the ranking load, embedding, feature and ANN-index memory, the latency budget and its fan-out tail,
the training-data volume, the ranking score, the A/B test, and a worked example of the offline
metrics. The formulas shared by every chapter live in the chapter kit (``snippets.kit``).

Functions ending in ``_for`` take the inputs the lab varies as arguments; the others are the
chapter's own values, which the page, its figures and its lab show.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from snippets.kit import estimation as est
from snippets.kit import latency
from snippets.kit.abtest import ABPlan, ab_plan_table, planned_days
from snippets.kit.assume import DEFINITION, PROBLEM, assume, cited, design, thumb
from snippets.kit.display import (
    count, days, fixed, md_table, minutes, ms, nbytes, pct, percent, percentile, plain, short, times,
)
from snippets.kit.house import HOUSE
from snippets.kit.latency import LatencyBudget, stages_from_shares
from snippets.kit.plan import Phase, interview_plan_table
from snippets.kit.practice import Drill, Fact, Glance, Grade, Step, peak_steps, stage_budget_steps
from snippets.kit.retrieval import Source, total_candidates
from snippets.kit.show import table, value
from snippets.kit.worked import GradedList


@dataclass(frozen=True)
class Assumptions:
    """Every input of the chapter's arithmetic. The problem statement fixes three; the rest are ours."""

    # Scale and latency
    daily_active_users: float = assume(500e6, "Daily active users", short, PROBLEM)
    corpus_videos: int = assume(100_000_000, "Videos in the corpus", short, PROBLEM)
    latency_target_ms: float = assume(100.0, "End-to-end latency target (p99, at the server)", ms, PROBLEM)
    homepage_loads_per_user_per_day: float = assume(
        6, "Homepage loads per user per day", plain, thumb("app opens plus pull-to-refresh"))
    monthly_to_daily_users: float = assume(
        2.0, "Monthly-to-daily active users (sizes the user feature store)", times, thumb())

    # Candidate funnel, per homepage request
    two_tower_candidates: int = assume(
        500, "Candidates from the two-tower ANN source", count,
        thumb("the funnel ranks a few hundred, as both YouTube ranking papers describe"))
    co_watch_candidates: int = assume(200, "Candidates from co-watch", count, thumb())
    subscription_candidates: int = assume(150, "Candidates from subscriptions", count, thumb())
    trending_candidates: int = assume(100, "Candidates from regional trending", count, thumb())
    fresh_upload_candidates: int = assume(50, "Candidates from fresh-upload exploration", count, thumb())
    duplicate_or_filtered_fraction: float = assume(
        0.25, "Share of candidates lost to overlap and filters", percent, thumb())
    reranker_input: int = assume(100, "Candidates handed to re-ranking", count, thumb())
    items_returned: int = assume(20, "Recommendations returned per load", count, thumb("one page"))
    impressions_per_load: float = assume(8, "Cards seen on screen per load", plain, thumb())

    # Embeddings, features and the ANN index
    embedding_dim: int = assume(
        256, "Embedding dimension", count,
        cited("Covington et al. (2016) use a 256-d softmax space", "covington2016"))
    hnsw_m: int = assume(32, "HNSW links per node (M)", count, thumb("inside the Faiss guideline range 4-64"))
    pq_code_bytes: int = assume(
        64, "PQ code size per video (bytes)", count, thumb("PQ64: 64 sub-quantisers of 8 bits"))
    pq_id_bytes: int = assume(8, "Id size per video in the inverted lists (bytes)", count, thumb("64-bit ids"))
    ann_host_memory_bytes: float = assume(64e9, "Index memory per ANN host", nbytes, thumb())
    ann_qps_per_replica: float = assume(2_000, "ANN queries per second per replica", count, thumb("load-test it"))
    video_feature_bytes: int = assume(1_000, "Feature bytes per video", nbytes, thumb())
    user_feature_bytes: int = assume(2_000, "Feature bytes per user", nbytes, thumb())

    # Ranking serving
    ranking_batch_size: int = assume(64, "Candidates per ranking call", count, thumb())
    predictions_per_second_per_gpu: float = assume(
        100_000, "Ranking predictions per second per GPU", short, thumb("load-test it"))

    # Training data
    click_through_rate: float = assume(0.05, "Homepage click-through rate", percent, thumb())
    negative_keep_rate: float = assume(0.10, "Unclicked impressions kept for training", percent, thumb())
    bytes_per_training_row: int = assume(
        1_500, "Bytes per training row", nbytes, thumb("a few hundred features, compressed"))

    # The ranking score: minutes of watch time each predicted event is worth
    watch_weight: float = assume(1.0, "Score weight of one minute of expected watch time", plain, DEFINITION)
    like_weight: float = assume(5.0, "Score weight of a like", minutes, design("a starting point, tuned online"))
    share_weight: float = assume(10.0, "Score weight of a share", minutes, design("a starting point, tuned online"))
    satisfaction_weight: float = assume(
        2.0, "Score weight of predicted survey satisfaction (0 to 1)", minutes,
        design("a starting point, tuned online"))
    dismiss_weight: float = assume(
        -20.0, "Score weight of a dislike or dismissal", minutes, design("a starting point, tuned online"))

    # A/B test
    ab_metric_minutes: float = assume(
        30, "A/B metric threshold: homepage watch time in the measured week", minutes, design())
    ab_metric_window_days: int = assume(
        7, "A/B window the metric is measured over (the test's last days)", days,
        design("after a week for novelty to fade"))
    ab_baseline_rate: float = assume(
        0.40, "A/B baseline: users reaching the threshold in the measured week", percent, thumb())
    ab_relative_mde: float = assume(
        0.002, "A/B minimum detectable effect (relative)", percent,
        thumb("mature recommenders ship lifts of tenths of a percent"))
    ab_traffic_fraction: float = assume(0.01, "A/B share of users in the experiment (both arms)", percent, thumb())


ASSUMPTIONS = Assumptions()
A = ASSUMPTIONS


CANDIDATE_SOURCES: tuple[Source, ...] = (
    Source("two_tower", "Two-tower ANN", "personalised", A.two_tower_candidates),
    Source("co_watch", "Co-watch", "item-to-item from recent watches", A.co_watch_candidates),
    Source("subscriptions", "Subscriptions", "new uploads from followed channels", A.subscription_candidates),
    Source("trending", "Trending", "in the user's region and language", A.trending_candidates),
    Source("fresh", "Fresh uploads", "exploration", A.fresh_upload_candidates),
)


@dataclass(frozen=True)
class Head:
    """One head of the ranking model: what it predicts, how it is trained, its weight in the score."""

    id: str
    name: str
    prediction: str
    loss: str
    weight: float


#: The ranking model's heads; the score is the weighted sum of their predictions (``ranking_score``).
RANKING_HEADS: tuple[Head, ...] = (
    Head("watch", "Watch time", "expected minutes per impression", "weighted LR", A.watch_weight),
    Head("like", "Like", "P(like)", "log loss", A.like_weight),
    Head("share", "Share", "P(share)", "log loss", A.share_weight),
    Head("satisfaction", "Satisfaction", "survey score, 0 to 1", "regression", A.satisfaction_weight),
    Head("dismiss", "Dislike or dismiss", "P(dislike or dismissal)", "log loss", A.dismiss_weight),
)

#: Two candidates' head predictions for the worked example of the score (made up, plausible).
SCORE_EXAMPLE: tuple[tuple[str, dict[str, float]], ...] = (
    ("Long video, baity thumbnail",
     {"watch": 3.0, "like": 0.01, "share": 0.002, "satisfaction": 0.3, "dismiss": 0.04}),
    ("Shorter video, well liked",
     {"watch": 2.2, "like": 0.06, "share": 0.02, "satisfaction": 0.7, "dismiss": 0.005}),
)

#: The request path: (id, label, share of the end-to-end target). Shares are our rule of thumb.
LATENCY_SHARES: tuple[tuple[str, str, float], ...] = (
    ("network", "Network, gateway and serialisation", 0.15),
    ("user", "User features + user-tower embedding", 0.10),
    ("candidates", "Candidate generation (sources in parallel)", 0.20),
    ("merge", "Merge, de-duplicate, filter", 0.05),
    ("ranking_features", "Ranking feature fetch", 0.10),
    ("ranking", "Ranking model inference", 0.25),
    ("rerank", "Re-ranking and business rules", 0.05),
    ("headroom", "Headroom for tail and retries", 0.10),
)

#: The interview plan for this problem (this guide's split of the house interview length).
INTERVIEW_PLAN: tuple[Phase, ...] = (
    Phase("Clarify requirements", 5,
          "Surface, goal (watch time with satisfaction), scale, latency, signals, constraints"),
    Phase("Frame as an ML task", 4, "Objective table, input/output, retrieval + pointwise multi-task ranking"),
    Phase("Back of the envelope", 4, "QPS, candidate funnel, predictions/s, index memory, latency budget"),
    Phase("Data and features", 7, "Labels (weighted watch time), feature table, point-in-time joins, biases"),
    Phase("Model", 10, "Sources, two-tower + logQ, ranking heads and score (weighted LR, MMoE), re-ranking"),
    Phase("Evaluation", 5, "Recall@k, nDCG@k, per-head AUC; A/B metric, size, guardrails"),
    Phase("Serving and monitoring", 7, "Architecture, latency split, fan-out, caching, fallbacks, drift"),
    Phase("Wrap-up and trade-offs", 3, "What you gave up, what you would do next"),
)

AB = ABPlan(
    metric=f"share of users who watch at least {minutes(A.ab_metric_minutes)} from the homepage "
           f"in the test's last {days(A.ab_metric_window_days)}",
    baseline_rate=A.ab_baseline_rate,
    relative_mde=A.ab_relative_mde,
    daily_users=A.daily_active_users,
    traffic_fraction=A.ab_traffic_fraction,
    measured_days=A.ab_metric_window_days,
)

#: Relative effects for the table of how the A/B test grows as the effect shrinks.
AB_MDE_SWEEP: tuple[float, ...] = (0.01, 0.005, 0.002, 0.001)

#: Index layouts compared for the ANN index: id -> (label, bytes per vector value or None for PQ).
INDEX_OPTIONS: tuple[tuple[str, str, int | None], ...] = (
    ("hnsw_fp32", "HNSW, fp32 vectors", 4),
    ("hnsw_fp16", "HNSW, fp16 vectors", 2),
    ("ivfpq", "IVF-PQ", None),
)

#: A fan-out width shown beside the design's own, for comparison.
COMPARISON_FANOUT = 100

#: A raw output of a model trained on downsampled negatives, recalibrated in the text.
RECALIBRATION_EXAMPLE_OUTPUT = 0.5

# The worked metric example: one user's homepage list as ranked, with the graded gain of what the
# user did next (0 not clicked, 1 clicked but left early, 2 watched at least half, 3 watched to the
# end); relevant means gain >= 2. One fully watched video was never shown.
METRIC_EXAMPLE = GradedList(
    shown=(("v17", 2), ("v03", 0), ("v42", 3), ("v08", 0), ("v55", 1), ("v21", 0), ("v90", 2), ("v64", 0)),
    missed=(("v77", 3),),
    relevant_grade=2,
)
METRIC_KS: tuple[int, ...] = (3, 5, 8)


# --------------------------------------------------------------------------------------------
# Traffic and the candidate funnel
# --------------------------------------------------------------------------------------------


def requests_per_day() -> float:
    return A.daily_active_users * A.homepage_loads_per_user_per_day


@value(short)
def avg_qps() -> float:
    return est.average_qps(A.daily_active_users, A.homepage_loads_per_user_per_day)


def peak_qps_for(daily_active_users: float, loads_per_user: float = A.homepage_loads_per_user_per_day,
                 peak_to_average: float = HOUSE.peak_to_average) -> float:
    return est.peak_qps(est.average_qps(daily_active_users, loads_per_user), peak_to_average)


@value(short)
def peak_qps() -> float:
    return peak_qps_for(A.daily_active_users)


@value(count)
def candidates_from_sources() -> int:
    """Candidates all sources return for one request, before merging."""
    return total_candidates(CANDIDATE_SOURCES)


def candidates_ranked_for(from_sources: int) -> int:
    """Candidates left after de-duplicating across sources and dropping watched or blocked videos."""
    return round(from_sources * (1 - A.duplicate_or_filtered_fraction))


@value(count)
def candidates_ranked() -> int:
    return candidates_ranked_for(candidates_from_sources())


def avg_predictions() -> float:
    return est.predictions_per_second(avg_qps(), candidates_ranked())


@value(short)
def peak_predictions() -> float:
    return est.predictions_per_second(peak_qps(), candidates_ranked())


def ranking_accelerators_for(candidates: int, requests_per_second: float) -> int:
    """Ranking accelerators to score ``candidates`` per request at ``requests_per_second`` (no redundancy)."""
    return est.accelerators_needed(est.predictions_per_second(requests_per_second, candidates),
                                   A.predictions_per_second_per_gpu)


@value(count)
def ranking_accelerators() -> int:
    return ranking_accelerators_for(candidates_ranked(), peak_qps())


@value(count)
def ann_replicas() -> int:
    return est.replicas_needed(peak_qps(), A.ann_qps_per_replica)


# --------------------------------------------------------------------------------------------
# Storage and the ANN index
# --------------------------------------------------------------------------------------------


@value(nbytes)
def video_embedding_bytes(bytes_per_value: float = 4) -> float:
    return est.embedding_bytes(A.corpus_videos, A.embedding_dim, bytes_per_value)


@value(nbytes)
def user_embedding_bytes(bytes_per_value: float = 4) -> float:
    """A cache of today's active users' embeddings."""
    return est.embedding_bytes(int(A.daily_active_users), A.embedding_dim, bytes_per_value)


def users_stored() -> float:
    """Users with a record in the feature store: the month's active users."""
    return A.daily_active_users * A.monthly_to_daily_users


def video_feature_store_bytes() -> float:
    return A.corpus_videos * A.video_feature_bytes


def user_feature_store_bytes() -> float:
    return users_stored() * A.user_feature_bytes


@value(nbytes)
def index_bytes(index_id: str) -> float:
    """Memory of one full ANN index of the corpus, for an id of ``INDEX_OPTIONS``."""
    width = _index_width(index_id)
    if width is None:
        return est.ivfpq_index_bytes(A.corpus_videos, A.pq_code_bytes, A.pq_id_bytes)
    return est.hnsw_index_bytes(A.corpus_videos, A.embedding_dim, A.hnsw_m, width)


@value(count)
def index_shards(index_id: str) -> int:
    return est.shards_needed(index_bytes(index_id), A.ann_host_memory_bytes)


@value(nbytes)
def index_fleet_bytes(index_id: str) -> float:
    """Index memory across every replica peak traffic needs."""
    return index_bytes(index_id) * ann_replicas()


def _index_width(index_id: str) -> int | None:
    for option_id, _, width in INDEX_OPTIONS:
        if option_id == index_id:
            return width
    raise KeyError(f"no index {index_id!r} (indexes: {', '.join(i for i, _, _ in INDEX_OPTIONS)})")


# --------------------------------------------------------------------------------------------
# Latency and fan-out
# --------------------------------------------------------------------------------------------


def latency_budget(target_ms: float = A.latency_target_ms) -> LatencyBudget:
    """The request path's stages at ``target_ms``, each with its share of the target."""
    return LatencyBudget(target_ms, stages_from_shares(target_ms, LATENCY_SHARES))


LATENCY = latency_budget()


@value(ms)
def stage_budget(stage_id: str) -> float:
    return LATENCY.stage(stage_id).budget_ms


def ranking_calls_for(candidates: int, batch_size: int = A.ranking_batch_size) -> int:
    """Parallel ranking calls when ``candidates`` are split into batches of ``batch_size``."""
    return math.ceil(candidates / batch_size)


@value(count)
def ranking_calls() -> int:
    return ranking_calls_for(candidates_ranked())


def ranking_fanout_within_for(candidates: int, batch_size: int = A.ranking_batch_size) -> float:
    """Share of requests whose every ranking call finishes within its own budgeted quantile."""
    return est.fanout_quantile(HOUSE.single_call_quantile, ranking_calls_for(candidates, batch_size))


@value(pct)
def ranking_fanout_over() -> float:
    """Share of requests that wait on at least one ranking call slower than its quantile."""
    return 1 - ranking_fanout_within_for(candidates_ranked())


@value(lambda q: fixed(q, 2))
def call_within_probability() -> float:
    """The house single-call quantile, shown as the probability it is."""
    return HOUSE.single_call_quantile


# --------------------------------------------------------------------------------------------
# Training data
# --------------------------------------------------------------------------------------------


def impressions_per_day() -> float:
    return est.impressions_per_day(A.daily_active_users, A.homepage_loads_per_user_per_day, A.impressions_per_load)


def positives_per_day() -> float:
    return est.training_rows_per_day(impressions_per_day(), A.click_through_rate, negative_keep_rate=0.0)


@value(short)
def training_rows_per_day() -> float:
    return est.training_rows_per_day(impressions_per_day(), A.click_through_rate, A.negative_keep_rate)


@value(nbytes)
def training_bytes_per_day() -> float:
    return training_rows_per_day() * A.bytes_per_training_row


@value(lambda p: fixed(p, 1))
def recalibration_input() -> float:
    return RECALIBRATION_EXAMPLE_OUTPUT


@value(lambda p: fixed(p, 3))
def recalibrated_example() -> float:
    return est.recalibrate_downsampled(RECALIBRATION_EXAMPLE_OUTPUT, A.negative_keep_rate)


# --------------------------------------------------------------------------------------------
# The ranking score
# --------------------------------------------------------------------------------------------


def ranking_score(predictions: dict[str, float]) -> float:
    """V = sum over heads of weight x prediction, in minutes of watch time; every head must be given."""
    missing = {head.id for head in RANKING_HEADS} - set(predictions)
    if missing:
        raise KeyError(f"predictions lack the heads {sorted(missing)}")
    return sum(head.weight * predictions[head.id] for head in RANKING_HEADS)


@value(count)
def ranking_head_count() -> int:
    return len(RANKING_HEADS)


@value(lambda v: fixed(v, 2))
def example_score(candidate: int) -> float:
    """The score of the worked example's candidate ``candidate`` (1 or 2)."""
    return ranking_score(SCORE_EXAMPLE[candidate - 1][1])


@value(lambda v: fixed(v, 1))
def example_watch_minutes(candidate: int) -> float:
    return SCORE_EXAMPLE[candidate - 1][1]["watch"]


# --------------------------------------------------------------------------------------------
# The A/B test
# --------------------------------------------------------------------------------------------


@value(count)
def ab_sample_per_arm() -> int:
    return AB.sample_per_arm()


@value(days)
def ab_enrol_days() -> int:
    return AB.enrol_days()


@value(days)
def ab_planned_days() -> int:
    return AB.planned_days()


@value(days)
def ab_burn_in_days() -> int:
    """Days before the measured window: enrolment and the novelty effect happen here."""
    return ab_planned_days() - A.ab_metric_window_days


# --------------------------------------------------------------------------------------------
# The worked metric example
# --------------------------------------------------------------------------------------------


@value(count)
def example_relevant_count() -> int:
    return len(METRIC_EXAMPLE.relevant())


@value(count)
def example_hits(k: int) -> int:
    return METRIC_EXAMPLE.hits(k)


@value(lambda v: fixed(v, 3))
def example_recall(k: int) -> float:
    return METRIC_EXAMPLE.recall(k)


def example_precision(k: int) -> float:
    return METRIC_EXAMPLE.precision(k)


@value(lambda v: fixed(v, 3))
def example_dcg(k: int) -> float:
    return METRIC_EXAMPLE.dcg(k)


@value(lambda v: fixed(v, 3))
def example_ndcg(k: int) -> float:
    """Linear gain, ideal ordering over every judged video."""
    return METRIC_EXAMPLE.ndcg(k)


@value(lambda v: fixed(v, 3))
def example_ndcg_exponential(k: int) -> float:
    return METRIC_EXAMPLE.ndcg(k, "exponential")


@value(lambda v: fixed(v, 3))
def example_ndcg_shown_only(k: int) -> float:
    """Linear gain, ideal ordering over the shown list only."""
    return METRIC_EXAMPLE.ndcg(k, shown_only=True)


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


@table
def capacity_table() -> str:
    """Traffic and ranking load, average and peak."""
    rows = [
        ("Homepage requests per day", "DAU × loads per user", short(requests_per_day()), "—"),
        ("Requests per second", f"per day ÷ {count(HOUSE.seconds_per_day)}; peak × {HOUSE.peak_to_average:g}",
         short(avg_qps()), short(peak_qps())),
        ("Candidates ranked per request", "after merge and filters", count(candidates_ranked()),
         count(candidates_ranked())),
        ("Ranking predictions per second", "QPS × candidates ranked", short(avg_predictions()),
         short(peak_predictions())),
        ("Ranking accelerators (no redundancy)", "predictions/s ÷ per-GPU rate", "—", count(ranking_accelerators())),
        ("ANN index replicas", "QPS ÷ per-replica QPS", "—", count(ann_replicas())),
    ]
    return md_table(["Quantity", "Formula", "Average", "Peak"], rows, align="llrr")


@table
def funnel_table() -> str:
    """Candidates per stage for one homepage request."""
    rows = [(f"Source: {source.name} ({source.detail})", count(source.candidates)) for source in CANDIDATE_SOURCES]
    rows += [
        ("All sources, before merge", count(candidates_from_sources())),
        ("After de-duplication and filters (ranked)", count(candidates_ranked())),
        ("Top of ranking, handed to re-ranking", count(A.reranker_input)),
        ("Returned to the client (one page)", count(A.items_returned)),
        ("Seen on screen (impressions)", plain(A.impressions_per_load)),
    ]
    return md_table(["Stage", "Candidates per request"], rows)


@table
def storage_table() -> str:
    """Embedding storage at three precisions."""
    dim = A.embedding_dim
    rows = [
        (f"Video embeddings, {short(A.corpus_videos)} × {dim}-d",
         *(nbytes(video_embedding_bytes(b)) for b in (4, 2, 1))),
        (f"User embeddings (cache), {short(A.daily_active_users)} × {dim}-d",
         *(nbytes(user_embedding_bytes(b)) for b in (4, 2, 1))),
    ]
    return md_table(["Data", "fp32 (4 B)", "fp16 (2 B)", "int8 (1 B)"], rows)


@table
def feature_storage_table() -> str:
    """Online feature-store size per entity type, one copy."""
    rows = [
        ("Video features", f"{short(A.corpus_videos)} videos × {nbytes(A.video_feature_bytes)}",
         nbytes(video_feature_store_bytes())),
        ("User features", f"{short(users_stored())} users (DAU × MAU/DAU) × {nbytes(A.user_feature_bytes)}",
         nbytes(user_feature_store_bytes())),
        ("Total (one copy, before replication)", "", nbytes(video_feature_store_bytes() + user_feature_store_bytes())),
    ]
    return md_table(["Feature group", "Count × bytes", "Size"], rows, align="llr")


@table
def ann_index_table() -> str:
    """ANN index memory, shards per replica and fleet memory for each index layout."""
    formulas = {4: "N × (d × 4 + M × 2 × 4)", 2: "N × (d × 2 + M × 2 × 4)",
                None: f"N × ({A.pq_code_bytes} + {A.pq_id_bytes})"}
    rows = []
    for index_id, label, width in INDEX_OPTIONS:
        detail = f", M = {A.hnsw_m}" if width else f", {A.pq_code_bytes}-byte codes"
        rows.append((label + detail, formulas[width], nbytes(index_bytes(index_id)), count(index_shards(index_id)),
                     nbytes(index_fleet_bytes(index_id))))
    return md_table(
        ["Index", "Bytes", "Index memory", f"Shards ({nbytes(A.ann_host_memory_bytes)} per host)",
         f"Fleet memory ({count(ann_replicas())} replicas)"],
        rows, align="llrrr",
    )


@table
def latency_budget_table() -> str:
    """The request path's stages, their budget, share and running total."""
    return latency.latency_budget_table(LATENCY)


@table
def fanout_table() -> str:
    """Probability that all N parallel calls finish within their own budgeted quantile."""
    q = HOUSE.single_call_quantile
    cases = [
        ("Candidate sources queried in parallel", len(CANDIDATE_SOURCES)),
        (f"HNSW fp32 shards ({nbytes(A.ann_host_memory_bytes)} hosts)", index_shards("hnsw_fp32")),
        (f"Ranking calls ({count(candidates_ranked())} candidates ÷ {A.ranking_batch_size} per call)", ranking_calls()),
        (f"A {COMPARISON_FANOUT}-way fan-out, for comparison", COMPARISON_FANOUT),
    ]
    rows = [(label, count(n), pct(est.fanout_quantile(q, n)), pct(1 - est.fanout_quantile(q, n)))
            for label, n in cases]
    return md_table(["Parallel calls", "N", f"All within their {percentile(q)}", "Request waits on a tail call"],
                    rows)


@table
def training_data_table() -> str:
    """Daily training-data volume for the ranking model."""
    positives = positives_per_day()
    rows = [
        ("Impressions per day", "DAU × loads × cards seen", short(impressions_per_day())),
        ("Clicked impressions (positives)", f"impressions × {percent(A.click_through_rate)} CTR", short(positives)),
        ("Unclicked impressions kept", f"unclicked × {percent(A.negative_keep_rate)} keep rate",
         short(training_rows_per_day() - positives)),
        ("Training rows per day", "positives + kept negatives", short(training_rows_per_day())),
        ("Training bytes per day", f"rows × {nbytes(A.bytes_per_training_row)}", nbytes(training_bytes_per_day())),
    ]
    return md_table(["Quantity", "Formula", "Per day"], rows, align="llr")


@table
def ranking_score_table() -> str:
    """The worked example of the score: each head's weight and two candidates' predictions."""
    (name_a, a), (name_b, b) = SCORE_EXAMPLE
    rows = [(head.name, head.prediction, plain(head.weight), plain(a[head.id]), plain(b[head.id]))
            for head in RANKING_HEADS]
    rows.append(("**Score V**", "Σ weight × prediction", "", f"**{fixed(example_score(1), 2)}**",
                 f"**{fixed(example_score(2), 2)}**"))
    return md_table(["Head", "Predicts", "Weight (minutes)", name_a, name_b], rows, align="llrrr")


@table
def ab_test_table() -> str:
    """The A/B plan: inputs, sample size per arm, enrolment and the days to run."""
    return ab_plan_table(AB)


@table
def ab_mde_sweep_table() -> str:
    """How the sample, the enrolment and the duration grow as the minimum detectable effect shrinks."""
    rows = []
    for mde in AB_MDE_SWEEP:
        plan = replace(AB, relative_mde=mde)
        rows.append((percent(mde), short(plan.sample_per_arm()), count(plan.enrol_days()),
                     count(plan.planned_days())))
    return md_table(["Relative MDE", "Users per arm", "Days to enrol (lower bound)",
                     f"Days to run (enrolment + {days(A.ab_metric_window_days)} measured, whole weeks)"], rows)


@table
def metric_example_table() -> str:
    """The hand-made ranked list of the worked metric example."""
    return METRIC_EXAMPLE.table("Video", "Graded gain", "gain", "not shown")


@table
def metric_results_table() -> str:
    """Recall, precision and nDCG at several cut-offs for the worked example."""
    rows = [(str(k), fixed(example_recall(k)), fixed(example_precision(k)), fixed(example_ndcg(k)),
             fixed(example_ndcg_exponential(k)), fixed(example_ndcg_shown_only(k))) for k in METRIC_KS]
    return md_table(
        ["k", "Recall@k", "Precision@k", "nDCG@k (linear, ideal over all judged)",
         "nDCG@k (exponential, ideal over all judged)", "nDCG@k (linear, ideal over shown list)"],
        rows,
    )


@table
def interview_timeline_table() -> str:
    """The 45-minute plan: minutes, phase, share and what the board shows."""
    return interview_plan_table(INTERVIEW_PLAN)


# --------------------------------------------------------------------------------------------
# Practice material (snippets/kit/practice.py): the cheat sheet, the rubric and the drills
# --------------------------------------------------------------------------------------------

GLANCE = Glance(
    surface="The homepage of a video app: a personalised page of videos for signed-in users on every open",
    users=Fact("Daily active users", A.daily_active_users, fmt=short),
    traffic=Fact("Homepage requests per second at peak", peak_qps),
    latency=Fact("End to end (p99, at the server)", A.latency_target_ms, fmt=ms),
    funnel=(
        Fact("Videos in the corpus", A.corpus_videos, fmt=short),
        Fact("Candidates from five sources, before merging", candidates_from_sources),
        Fact("Ranked by the multi-task model, after de-duplication and filters", candidates_ranked),
        Fact("Handed to re-ranking", A.reranker_input, fmt=count),
        Fact("Returned per homepage load", A.items_returned, fmt=count),
    ),
    model="Two-tower retrieval (in-batch softmax with logQ correction) over an IVF-PQ index, beside co-watch, "
          "subscriptions, trending and fresh uploads; an MMoE ranker whose heads (watch time by weighted LR, like, "
          "share, satisfaction, dismiss) add up to one score; rule-based re-ranking for diversity and freshness",
    offline_metric="Recall@k of retrieval against the next session's watches (and of the index against exact "
                   "search); per-head AUC and log loss, nDCG@k of the ranked list",
    online_metric="Homepage watch time per user, tested as the share of users above a weekly watch threshold; "
                  "dislikes, dismissals and survey satisfaction as guardrails",
    memory=Fact("IVF-PQ index of the whole corpus (one host; every ANN replica holds a copy)", index_bytes, "ivfpq"),
    trade_offs=(
        "Expected watch time beats clicks against clickbait but rewards long and regretted videos, so like, "
        "share, satisfaction and dismiss heads pull against it with weights that are a product decision, "
        "tuned online, not learned.",
        "IVF-PQ fits the corpus on one host and removes the shard fan-out, but quantisation drops true "
        "neighbours; that is acceptable only because the ranker re-scores every candidate, and index recall "
        "against exact search is checked after every rebuild.",
        "Ranking more candidates raises the recall of the final page but costs linearly in GPUs and ranking "
        "latency, and every extra batch widens the fan-out tail; a cheap pre-ranker is the way to consider "
        "thousands.",
    ),
)

RUBRIC: tuple[Grade, ...] = (
    Grade("Clarify requirements",
          strong="Fixes the surface (homepage, no seed video), watch time with satisfaction guardrails as the goal, "
                 "the scale, the p99 latency target at the server, the signals, hard filters, rewatch policy and "
                 "cold start for new uploads.",
          adequate="Asks about users, corpus and latency, but takes \"more watch time\" as the goal without asking "
                   "what must not get worse or whether new uploads matter.",
          weak="Names two towers and ANN before asking which surface, what success means or how large the "
               "corpus is."),
    Grade("Frame as an ML task",
          strong="Compares click, completion, watch time and a weighted multi-head value, with how each fails; "
                 "frames retrieval as extreme multi-class classification and ranking as pointwise multi-task "
                 "scoring.",
          adequate="Chooses watch time over clicks for the right reason, but treats the system as one model or "
                   "leaves the score's weights unexplained.",
          weak="Predicts clicks, or says \"recommend relevant videos\" with no label and no category of ML task."),
    Grade("Back of the envelope",
          strong="Derives peak requests per second, the candidate funnel, ranking predictions per second and the "
                 "GPUs they imply, index memory for HNSW against IVF-PQ, and a stage-by-stage latency split.",
          adequate="Gets the traffic and the predictions per second, but stops before index memory or the latency "
                   "budget.",
          weak="Quotes a QPS with no derivation, or never connects the corpus size to why retrieval is needed."),
    Grade("Data and features",
          strong="Builds ranking rows from impressions with a join window, retrieval positives from the next watch "
                 "on every surface, downsamples negatives and recalibrates, and names position, duration and "
                 "popularity bias and point-in-time joins.",
          adequate="Lists sensible user, video and context features and labels, but misses leakage, the join window "
                   "or what downsampling does to the probabilities.",
          weak="Uses unclicked impressions as retrieval negatives or computes training features from today's "
               "tables."),
    Grade("Model",
          strong="Several sources with the two-tower model as the main one, in-batch softmax with logQ, an MMoE "
                 "ranker with watch time by weighted logistic regression, a training-only position tower, and "
                 "a re-ranker with diversity, freshness and exploration.",
          adequate="A two-tower retriever and a multi-task ranker, but no sampling-bias correction, no position "
                   "bias or no re-ranking step.",
          weak="One model scoring the whole corpus, or a ranker that regresses raw watch time and recommends only "
               "long videos."),
    Grade("Evaluation",
          strong="Recall@k per source and of the index against exact search, per-head AUC and calibration, nDCG@k "
                 "with its gain convention; an A/B test on a per-user metric sized from baseline and a small "
                 "relative effect, with burn-in, guardrails and creator-side interference.",
          adequate="Offline recall and AUC and an A/B test on watch time, without a size, a duration or guardrails.",
          weak="Accuracy, or \"ship it if the A/B test is green\" with no metric, size or novelty effect."),
    Grade("Serving and monitoring",
          strong="Separates offline training and indexing from the request path, versions the user tower with the "
                 "index, splits the latency budget with headroom, quantifies the fan-out tail, and names caching, "
                 "fallbacks, calibration and feature-freshness alerts.",
          adequate="Draws the request path and mentions caching and drift, without a latency split or the tail of "
                   "parallel calls.",
          weak="A single \"model server\" box, or precomputed daily recommendations for a homepage that must follow "
               "the last watch."),
    Grade("Wrap-up and trade-offs",
          strong="Names what the design gave up (retrieval misses, PQ recall, weights set by hand, candidates "
                 "ranked) and the next step: a pre-ranker, sequence user models or long-term value.",
          adequate="Summarises the design without saying what was sacrificed.",
          weak="Runs out of time before any summary."),
)


def _peak_steps(a: Assumptions) -> list[Step]:
    return peak_steps(a.daily_active_users, a.homepage_loads_per_user_per_day, "homepage requests", "loads")


def _ranked_steps(a: Assumptions) -> list[Step]:
    sources = (a.two_tower_candidates + a.co_watch_candidates + a.subscription_candidates
               + a.trending_candidates + a.fresh_upload_candidates)
    return [
        Step("Candidates from the five sources",
             f"{count(a.two_tower_candidates)} + {count(a.co_watch_candidates)} + "
             f"{count(a.subscription_candidates)} + {count(a.trending_candidates)} + "
             f"{count(a.fresh_upload_candidates)}", sources, count),
        Step("Candidates ranked", f"sources × (1 − {percent(a.duplicate_or_filtered_fraction)} lost to overlap "
             "and filters)", round(sources * (1 - a.duplicate_or_filtered_fraction)), count),
    ]


def _predictions_steps(a: Assumptions) -> list[Step]:
    peak, ranked = _peak_steps(a), _ranked_steps(a)
    rate = est.predictions_per_second(peak[-1].value, ranked[-1].value)
    return peak + ranked + [
        Step("Ranking predictions per second at peak", "peak requests × candidates ranked", rate, short)]


def _gpu_steps(a: Assumptions) -> list[Step]:
    steps = _predictions_steps(a)
    return steps + [
        Step("Ranking GPUs (no redundancy)",
             f"predictions ÷ {short(a.predictions_per_second_per_gpu)} per GPU, rounded up",
             est.accelerators_needed(steps[-1].value, a.predictions_per_second_per_gpu), count)]


def _ann_replica_steps(a: Assumptions) -> list[Step]:
    steps = _peak_steps(a)
    return steps + [
        Step("ANN replicas", f"peak ÷ {count(a.ann_qps_per_replica)} queries per second per replica, rounded up",
             est.replicas_needed(steps[-1].value, a.ann_qps_per_replica), count)]


def _ivfpq_shard_steps(a: Assumptions) -> list[Step]:
    size = est.ivfpq_index_bytes(a.corpus_videos, a.pq_code_bytes, a.pq_id_bytes)
    return [
        Step("IVF-PQ index", f"{short(a.corpus_videos)} videos × ({count(a.pq_code_bytes)} B code + "
             f"{count(a.pq_id_bytes)} B id)", size, nbytes),
        Step("Shards per replica", f"index ÷ {nbytes(a.ann_host_memory_bytes)} per host, rounded up",
             est.shards_needed(size, a.ann_host_memory_bytes), count),
    ]


def _hnsw_shard_steps(a: Assumptions) -> list[Step]:
    size = est.hnsw_index_bytes(a.corpus_videos, a.embedding_dim, a.hnsw_m, 4)
    return [
        Step("HNSW index, fp32 vectors", f"{short(a.corpus_videos)} videos × ({count(a.embedding_dim)} × 4 B + "
             f"{count(a.hnsw_m)} × 2 links × 4 B)", size, nbytes),
        Step("Shards per replica", f"index ÷ {nbytes(a.ann_host_memory_bytes)} per host, rounded up",
             est.shards_needed(size, a.ann_host_memory_bytes), count),
    ]


def _ranking_budget_steps(a: Assumptions) -> list[Step]:
    return stage_budget_steps(a.latency_target_ms, LATENCY_SHARES, "ranking", "Ranking inference budget")


def _fanout_steps(a: Assumptions) -> list[Step]:
    steps = _ranked_steps(a)
    calls = math.ceil(steps[-1].value / a.ranking_batch_size)
    within = est.fanout_quantile(HOUSE.single_call_quantile, calls)
    return steps + [
        Step("Parallel ranking calls", f"candidates ÷ {count(a.ranking_batch_size)} per call, rounded up",
             calls, count),
        Step("All calls within their own quantile", f"{fixed(HOUSE.single_call_quantile, 2)} to the power "
             f"{count(calls)}", within, pct),
        Step("Requests that wait on a slow call", "1 − the share above", 1 - within, pct),
    ]


def _training_steps(a: Assumptions) -> list[Step]:
    impressions = est.impressions_per_day(a.daily_active_users, a.homepage_loads_per_user_per_day,
                                          a.impressions_per_load)
    rows = est.training_rows_per_day(impressions, a.click_through_rate, a.negative_keep_rate)
    return [
        Step("Impressions per day", f"{short(a.daily_active_users)} users × "
             f"{plain(a.homepage_loads_per_user_per_day)} loads × {plain(a.impressions_per_load)} cards seen",
             impressions, short),
        Step("Training rows per day", f"impressions × ({percent(a.click_through_rate)} clicked + "
             f"{percent(1 - a.click_through_rate)} unclicked × {percent(a.negative_keep_rate)} kept)",
             rows, short),
    ]


def _training_bytes_steps(a: Assumptions) -> list[Step]:
    steps = _training_steps(a)
    return steps + [Step("Training bytes per day", f"rows × {nbytes(a.bytes_per_training_row)}",
                         steps[-1].value * a.bytes_per_training_row, nbytes)]


def _recalibration_steps(a: Assumptions) -> list[Step]:
    p, w = RECALIBRATION_EXAMPLE_OUTPUT, a.negative_keep_rate
    return [Step("True probability", f"p ÷ (p + (1 − p) ÷ w) with p = {fixed(p, 1)}, w = {percent(w)}",
                 est.recalibrate_downsampled(p, w), lambda q: fixed(q, 3))]


def _score_steps(a: Assumptions) -> list[Step]:
    weights = {"watch": a.watch_weight, "like": a.like_weight, "share": a.share_weight,
               "satisfaction": a.satisfaction_weight, "dismiss": a.dismiss_weight}
    steps = []
    for name, predictions in reversed(SCORE_EXAMPLE):  # the chapter's first candidate, the answer, last
        terms = " ".join(f"{'−' if weights[h] < 0 else '+'} {plain(abs(weights[h]))} × {plain(p)}"
                         for h, p in predictions.items()).removeprefix("+ ")
        steps.append(Step(f"Score V of \"{name}\"", terms, sum(weights[h] * p for h, p in predictions.items()),
                          lambda v: fixed(v, 2)))
    return steps


def _ab_steps(a: Assumptions) -> list[Step]:
    n = est.ab_test_sample_size(a.ab_baseline_rate, a.ab_relative_mde, alpha=HOUSE.alpha, power=HOUSE.power)
    return [
        Step("Treatment rate to detect", f"{percent(a.ab_baseline_rate)} × (1 + {percent(a.ab_relative_mde)})",
             a.ab_baseline_rate * (1 + a.ab_relative_mde), lambda v: percent(v, 3)),
        Step("Users per arm", f"two-proportion z-test, α = {fixed(HOUSE.alpha, 2)}, power {pct(HOUSE.power, 0)} "
             "([formula](reference/experiments.md#the-formula))", n, count),
    ]


def _ab_duration_steps(a: Assumptions) -> list[Step]:
    steps = _ab_steps(a)
    enrol = est.ab_test_duration_days(steps[-1].value, a.daily_active_users, n_arms=2,
                                      traffic_fraction=a.ab_traffic_fraction)
    return steps + [
        Step("Days to enrol both arms", f"2 × users per arm ÷ ({short(a.daily_active_users)} × "
             f"{percent(a.ab_traffic_fraction)}) a day, rounded up", enrol, days),
        Step("Days to run", f"enrolment + {days(a.ab_metric_window_days)} measured, in whole weeks, at least "
             f"{count(HOUSE.minimum_experiment_weeks)} weeks", planned_days(enrol + a.ab_metric_window_days), days),
    ]


DRILLS: tuple[Drill, ...] = (
    Drill("Twice the users", "The app launches in new markets and daily users double. How many homepage requests "
          "per second must the serving path handle at peak?", {"daily_active_users": 1e9}, _peak_steps, peak_qps),
    Drill("More homepage opens", "A redesign makes people return to the homepage between videos, so loads per "
          "user rise. How many ranking predictions per second at peak?",
          {"homepage_loads_per_user_per_day": 10}, _predictions_steps, peak_predictions),
    Drill("A wider two-tower source", "Retrieval recall looks weak, so the team asks the two-tower source for "
          "twice as many candidates. How many ranking GPUs does that cost?",
          {"two_tower_candidates": 1_000}, _gpu_steps, ranking_accelerators),
    Drill("A heavier ranker", "A bigger MMoE with more experts scores fewer candidates per second on each GPU. "
          "How many ranking GPUs now?", {"predictions_per_second_per_gpu": 40_000}, _gpu_steps,
          ranking_accelerators),
    Drill("Slower ANN replicas", "With a higher search effort for better recall, each ANN replica serves half "
          "the queries. How many replicas at peak?", {"ann_qps_per_replica": 1_000}, _ann_replica_steps,
          ann_replicas),
    Drill("A billion videos", "The corpus grows tenfold. Does the IVF-PQ index still fit on one host?",
          {"corpus_videos": 1_000_000_000}, _ivfpq_shard_steps, index_shards, "ivfpq"),
    Drill("Wider embeddings on HNSW", "The retrieval team wants wider embeddings and an uncompressed HNSW "
          "graph. How many shards does each replica need?", {"embedding_dim": 512}, _hnsw_shard_steps,
          index_shards, "hnsw_fp32"),
    Drill("A tighter latency target", "Product wants the homepage to answer faster, with the same split of the "
          "budget. How long may ranking inference take?", {"latency_target_ms": 60.0}, _ranking_budget_steps,
          stage_budget, "ranking"),
    Drill("Smaller ranking batches", "To cut per-call latency the ranker takes smaller batches. What share of "
          "requests now waits on at least one slow ranking call?", {"ranking_batch_size": 32}, _fanout_steps,
          ranking_fanout_over),
    Drill("Fewer clicks", "A new thumbnail policy lowers the homepage click-through rate. How many training "
          "rows a day?", {"click_through_rate": 0.03}, _training_steps, training_rows_per_day),
    Drill("Richer rows, more negatives", "The ranker gains features and keeps more unclicked impressions. How "
          "much training data a day?", {"negative_keep_rate": 0.2, "bytes_per_training_row": 3_000},
          _training_bytes_steps, training_bytes_per_day),
    Drill("Harder downsampling", "To save training cost the team keeps far fewer unclicked impressions. What "
          "true probability does the same raw output of a head now mean?", {"negative_keep_rate": 0.05},
          _recalibration_steps, recalibrated_example),
    Drill("A softer dismiss penalty", "A product review argues dismissals are penalised too hard. What does the "
          "baity long video score now, and does it overtake the well-liked one?", {"dismiss_weight": -5.0},
          _score_steps, example_score, 1),
    Drill("A smaller effect", "The change under test is a small retrieval tweak worth a tenth of a percent. How "
          "many users per arm?", {"ab_relative_mde": 0.001}, _ab_steps, ab_sample_per_arm),
    Drill("A thinner traffic slice", "Many experiments compete for traffic, so this one gets a much smaller "
          "share of users. How many days must it run?", {"ab_traffic_fraction": 0.001}, _ab_duration_steps,
          ab_planned_days),
)
