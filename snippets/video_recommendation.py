"""Video recommendation (homepage, watch time): assumptions and every number the chapter shows.

The chapter ``docs/video-recommendation.md`` designs a two-stage recommender (candidate generation
from several sources, a multi-task ranking model, then re-ranking) for a homepage that must load
within an end-to-end latency target. Everything the page shows that follows from an assumption is
computed here: traffic, the candidate funnel, ranking predictions per second, embedding and feature
storage, ANN index memory and shards, the latency budget, the fan-out tail, training-data volume,
the A/B test size and duration, and a worked example of the offline metrics.

Layout: the ``Assumptions`` dataclass (each field says where its value comes from), pure functions
(the formulas; each takes the values it needs), then display functions that the page calls through
shortcodes: ``numbers()`` for inline values and ``*_table()`` functions for Markdown tables.
"""

from __future__ import annotations

import math

from dataclasses import dataclass, fields

from snippets.display import count, fixed, md_table, ms, nbytes, pct, short
from snippets.estimation import (
    ab_test_duration_days,
    ab_test_sample_size,
    average_qps,
    embedding_bytes,
    fanout_quantile,
    hnsw_index_bytes,
    ivfpq_index_bytes,
    peak_qps,
    recalibrate_downsampled,
)
from snippets.metrics import dcg_at_k, ndcg_at_k, precision_at_k, recall_at_k

SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class Assumptions:
    """Every input of the chapter's arithmetic, stated once.

    "Problem statement" values are fixed by the interview prompt; "rule of thumb" values are ours,
    chosen to be plausible and meant to be challenged; sourced values name their source.
    """

    # --- Scale and latency -----------------------------------------------------------------
    daily_active_users: int = 500_000_000  # problem statement
    corpus_videos: int = 100_000_000  # problem statement
    latency_target_ms: float = 100.0  # problem statement (end to end, server receives -> responds)
    homepage_loads_per_user_per_day: float = 6.0  # rule of thumb (app opens plus pull-to-refresh)
    peak_to_average: float = 3.0  # rule of thumb (evening peak; sources.md §5.1 says 2-3x, unsourced)
    monthly_to_daily_users: float = 2.0  # rule of thumb (MAU/DAU), sizes the user feature store

    # --- Candidate funnel (per homepage request) ----------------------------------------------
    # Source name -> candidates it returns. Rule of thumb; Covington et al. (2016) and Zhao et al.
    # (2019) report that ranking receives "a few hundred" candidates, which this funnel respects.
    candidate_sources: tuple[tuple[str, int], ...] = (
        ("Two-tower ANN (personalised)", 500),
        ("Co-watch (item-to-item from recent watches)", 200),
        ("Subscriptions (new uploads from followed channels)", 150),
        ("Trending in the user's region and language", 100),
        ("Fresh-upload exploration", 50),
    )
    duplicate_or_filtered_fraction: float = 0.25  # rule of thumb: overlap between sources + watched/blocked
    reranker_input: int = 100  # rule of thumb: top of the ranked list handed to re-ranking
    items_returned: int = 20  # rule of thumb: one homepage page of recommendations
    impressions_per_load: float = 8.0  # rule of thumb: cards actually seen on screen per load

    # --- Embeddings, features and ANN index -------------------------------------------------
    embedding_dim: int = 256  # rule of thumb; Covington et al. (2016) used a 256-d softmax space
    hnsw_m: int = 32  # rule of thumb; Faiss guideline range 4 <= M <= 64 (sources.md §5.2)
    pq_code_bytes: int = 64  # rule of thumb: PQ with 64 sub-quantisers of 8 bits (Faiss PQ64)
    pq_id_bytes: int = 8  # rule of thumb: 64-bit ids in IVF lists (sources.md §5.2, not re-read)
    ann_host_memory_bytes: float = 64e9  # rule of thumb: RAM per ANN host usable by the index
    ann_qps_per_replica: float = 2_000.0  # rule of thumb: measure with a load test
    video_feature_bytes: int = 1_000  # rule of thumb: counters, metadata, content-embedding ids
    user_feature_bytes: int = 2_000  # rule of thumb: recent-watch ids, aggregates, preferences

    # --- Ranking serving --------------------------------------------------------------------
    ranking_batch_size: int = 64  # rule of thumb: candidates per parallel ranking call
    predictions_per_second_per_gpu: float = 100_000.0  # rule of thumb: measure with a load test
    single_call_quantile: float = 0.99  # we budget every parallel call at its p99

    # --- Training data ----------------------------------------------------------------------
    click_through_rate: float = 0.05  # rule of thumb: clicks per impression on the homepage
    negative_keep_rate: float = 0.10  # rule of thumb: share of unclicked impressions kept
    bytes_per_training_row: int = 1_500  # rule of thumb: a few hundred features, compressed

    # --- A/B test ---------------------------------------------------------------------------
    ab_metric_minutes: int = 10  # design choice: threshold of the per-user binary A/B metric
    ab_baseline_rate: float = 0.40  # rule of thumb: share of users reaching that threshold on a day
    ab_relative_mde: float = 0.002  # rule of thumb: mature recommenders ship lifts of tenths of a percent
    ab_alpha: float = 0.05  # convention (two-sided)
    ab_power: float = 0.80  # convention
    ab_traffic_fraction: float = 0.01  # rule of thumb: 1% of users in the experiment (both arms)
    ab_minimum_days: int = 14  # rule of thumb: two full weekly cycles, whatever the sample size says

    # --- Latency budget ---------------------------------------------------------------------
    # Stage -> share of the end-to-end target. Rule of thumb (sources.md §5.6 marks all such splits
    # unsourced); stages run in sequence, parallel work inside a stage is budgeted at its slowest call.
    latency_shares: tuple[tuple[str, float], ...] = (
        ("Network, gateway and serialisation", 0.15),
        ("User features + user-tower embedding", 0.10),
        ("Candidate generation (sources in parallel)", 0.20),
        ("Merge, de-duplicate, filter", 0.05),
        ("Ranking feature fetch", 0.10),
        ("Ranking model inference", 0.25),
        ("Re-ranking and business rules", 0.05),
        ("Headroom for tail and retries", 0.10),
    )


ASSUMPTIONS = Assumptions()

# Provenance shown in the assumptions table, keyed by field name.
_PROVENANCE: dict[str, str] = {
    "daily_active_users": "problem statement",
    "corpus_videos": "problem statement",
    "latency_target_ms": "problem statement",
    "homepage_loads_per_user_per_day": "rule of thumb",
    "peak_to_average": "rule of thumb",
    "monthly_to_daily_users": "rule of thumb",
    "candidate_sources": "rule of thumb",
    "duplicate_or_filtered_fraction": "rule of thumb",
    "reranker_input": "rule of thumb",
    "items_returned": "rule of thumb",
    "impressions_per_load": "rule of thumb",
    "embedding_dim": "rule of thumb (Covington et al. used 256-d)",
    "hnsw_m": "rule of thumb (Faiss range 4-64)",
    "pq_code_bytes": "rule of thumb",
    "pq_id_bytes": "rule of thumb (64-bit ids)",
    "ann_host_memory_bytes": "rule of thumb",
    "ann_qps_per_replica": "rule of thumb (load-test it)",
    "video_feature_bytes": "rule of thumb",
    "user_feature_bytes": "rule of thumb",
    "ranking_batch_size": "rule of thumb",
    "predictions_per_second_per_gpu": "rule of thumb (load-test it)",
    "single_call_quantile": "design choice",
    "click_through_rate": "rule of thumb",
    "negative_keep_rate": "rule of thumb",
    "bytes_per_training_row": "rule of thumb",
    "ab_metric_minutes": "design choice",
    "ab_baseline_rate": "rule of thumb",
    "ab_relative_mde": "rule of thumb",
    "ab_alpha": "convention",
    "ab_power": "convention",
    "ab_traffic_fraction": "rule of thumb",
    "ab_minimum_days": "rule of thumb",
    "latency_shares": "rule of thumb",
}

_LABELS: dict[str, str] = {
    "daily_active_users": "Daily active users",
    "corpus_videos": "Videos in the corpus",
    "latency_target_ms": "End-to-end latency target",
    "homepage_loads_per_user_per_day": "Homepage loads per user per day",
    "peak_to_average": "Peak-to-average traffic factor",
    "monthly_to_daily_users": "Monthly-to-daily active users",
    "candidate_sources": "Candidates per source (total)",
    "duplicate_or_filtered_fraction": "Share of candidates lost to overlap and filters",
    "reranker_input": "Candidates handed to re-ranking",
    "items_returned": "Recommendations returned per load",
    "impressions_per_load": "Cards seen on screen per load",
    "embedding_dim": "Embedding dimension",
    "hnsw_m": "HNSW links per node (M)",
    "pq_code_bytes": "PQ code size per video",
    "pq_id_bytes": "Id size per video in IVF lists",
    "ann_host_memory_bytes": "Index memory per ANN host",
    "ann_qps_per_replica": "ANN queries per second per replica",
    "video_feature_bytes": "Feature bytes per video",
    "user_feature_bytes": "Feature bytes per user",
    "ranking_batch_size": "Candidates per ranking call",
    "predictions_per_second_per_gpu": "Ranking predictions per second per GPU",
    "single_call_quantile": "Quantile each parallel call is budgeted at",
    "click_through_rate": "Homepage click-through rate",
    "negative_keep_rate": "Unclicked impressions kept for training",
    "bytes_per_training_row": "Bytes per training row",
    "ab_metric_minutes": "A/B metric threshold (minutes from the homepage)",
    "ab_baseline_rate": "A/B baseline: users reaching the threshold on their first test day",
    "ab_relative_mde": "A/B minimum detectable effect (relative)",
    "ab_alpha": "A/B significance level (two-sided)",
    "ab_power": "A/B power",
    "ab_traffic_fraction": "A/B share of users in the experiment",
    "ab_minimum_days": "A/B minimum duration",
    "latency_shares": "Latency budget split",
}


# ============================================================================================
# Pure functions (the formulas)
# ============================================================================================


def candidates_from_sources(sources: tuple[tuple[str, int], ...]) -> int:
    """Total candidates the sources return for one request, before merging."""
    return sum(n for _, n in sources)


def candidates_after_merge(total: int, lost_fraction: float) -> int:
    """Candidates left after de-duplicating across sources and dropping watched or blocked videos."""
    if not 0 <= lost_fraction < 1:
        raise ValueError("lost_fraction must be in [0, 1)")
    return round(total * (1 - lost_fraction))


def predictions_per_second(qps: float, candidates_scored_per_request: int) -> float:
    """Ranking-model predictions per second: requests per second x candidates scored per request.

    A multi-task model with several heads counts as one prediction per candidate here, because the
    heads share one forward pass.
    """
    return qps * candidates_scored_per_request


def gpus_needed(predictions_per_sec: float, per_gpu: float) -> int:
    """Accelerators needed to serve a prediction rate, rounded up (no redundancy added)."""
    return math.ceil(predictions_per_sec / per_gpu)


def shards_needed(index_bytes: float, host_memory_bytes: float) -> int:
    """Index shards so that each shard fits in one host's index memory."""
    return max(1, math.ceil(index_bytes / host_memory_bytes))


def replicas_needed(qps: float, qps_per_replica: float) -> int:
    """Replicas of a (whole) index needed to serve a query rate, rounded up."""
    return math.ceil(qps / qps_per_replica)


def parallel_calls(n_candidates: int, batch_size: int) -> int:
    """Parallel ranking calls when candidates are split into batches of ``batch_size``."""
    return math.ceil(n_candidates / batch_size)


def feature_store_bytes(n_entities: float, bytes_per_entity: float) -> float:
    """Online feature-store size for one entity type (one record per entity, no replication)."""
    return n_entities * bytes_per_entity


def impressions_per_day(daily_active_users: float, loads_per_user: float, impressions_per_load: float) -> float:
    """Recommendation cards seen per day: DAU x loads per user x cards seen per load."""
    return daily_active_users * loads_per_user * impressions_per_load


def training_rows_per_day(impressions: float, ctr: float, negative_keep_rate: float) -> float:
    """Ranking training rows per day: every clicked impression plus a sample of unclicked ones."""
    positives = impressions * ctr
    negatives = impressions * (1 - ctr) * negative_keep_rate
    return positives + negatives


def latency_budget_ms(target_ms: float, shares: tuple[tuple[str, float], ...]) -> list[tuple[str, float]]:
    """Split an end-to-end latency target into per-stage budgets by share; shares must sum to 1."""
    total = sum(share for _, share in shares)
    if not math.isclose(total, 1.0, abs_tol=1e-9):
        raise ValueError(f"latency shares sum to {total}, not 1")
    return [(stage, target_ms * share) for stage, share in shares]


# ============================================================================================
# Derived quantities (the design's numbers from the assumptions)
# ============================================================================================


def _derived(a: Assumptions = ASSUMPTIONS) -> dict[str, float]:
    """Every computed quantity, unformatted, keyed by name."""
    avg = average_qps(a.daily_active_users, a.homepage_loads_per_user_per_day)
    peak = peak_qps(avg, a.peak_to_average)
    total = candidates_from_sources(a.candidate_sources)
    merged = candidates_after_merge(total, a.duplicate_or_filtered_fraction)
    impressions = impressions_per_day(a.daily_active_users, a.homepage_loads_per_user_per_day, a.impressions_per_load)
    rows = training_rows_per_day(impressions, a.click_through_rate, a.negative_keep_rate)
    users_stored = a.daily_active_users * a.monthly_to_daily_users
    hnsw32 = hnsw_index_bytes(a.corpus_videos, a.embedding_dim, a.hnsw_m, 4)
    hnsw16 = hnsw_index_bytes(a.corpus_videos, a.embedding_dim, a.hnsw_m, 2)
    ivfpq = ivfpq_index_bytes(a.corpus_videos, a.pq_code_bytes, a.pq_id_bytes)
    ranking_calls = parallel_calls(merged, a.ranking_batch_size)
    n_sources = len(a.candidate_sources)
    hnsw32_shards = shards_needed(hnsw32, a.ann_host_memory_bytes)
    sample = ab_test_sample_size(a.ab_baseline_rate, a.ab_relative_mde, alpha=a.ab_alpha, power=a.ab_power)
    days = ab_test_duration_days(sample, a.daily_active_users, n_arms=2, traffic_fraction=a.ab_traffic_fraction)
    pred_peak = predictions_per_second(peak, merged)
    return {
        "avg_qps": avg,
        "peak_qps": peak,
        "requests_per_day": a.daily_active_users * a.homepage_loads_per_user_per_day,
        "candidates_total": total,
        "candidates_merged": merged,
        "pred_avg": predictions_per_second(avg, merged),
        "pred_peak": pred_peak,
        "ranking_gpus": gpus_needed(pred_peak, a.predictions_per_second_per_gpu),
        "video_emb_fp32": embedding_bytes(a.corpus_videos, a.embedding_dim, 4),
        "video_emb_fp16": embedding_bytes(a.corpus_videos, a.embedding_dim, 2),
        "video_emb_int8": embedding_bytes(a.corpus_videos, a.embedding_dim, 1),
        "user_emb_fp32": embedding_bytes(a.daily_active_users, a.embedding_dim, 4),
        "user_emb_fp16": embedding_bytes(a.daily_active_users, a.embedding_dim, 2),
        "user_emb_int8": embedding_bytes(a.daily_active_users, a.embedding_dim, 1),
        "users_stored": users_stored,
        "video_features": feature_store_bytes(a.corpus_videos, a.video_feature_bytes),
        "user_features": feature_store_bytes(users_stored, a.user_feature_bytes),
        "hnsw_fp32": hnsw32,
        "hnsw_fp16": hnsw16,
        "ivfpq": ivfpq,
        "hnsw_fp32_shards": hnsw32_shards,
        "hnsw_fp16_shards": shards_needed(hnsw16, a.ann_host_memory_bytes),
        "ivfpq_shards": shards_needed(ivfpq, a.ann_host_memory_bytes),
        "ann_replicas": replicas_needed(peak, a.ann_qps_per_replica),
        "ranking_calls": ranking_calls,
        "fanout_sources": fanout_quantile(a.single_call_quantile, n_sources),
        "fanout_ranking": fanout_quantile(a.single_call_quantile, ranking_calls),
        "fanout_hnsw": fanout_quantile(a.single_call_quantile, hnsw32_shards),
        "fanout_100": fanout_quantile(a.single_call_quantile, 100),
        "impressions_per_day": impressions,
        "clicks_per_day": impressions * a.click_through_rate,
        "training_rows_per_day": rows,
        "training_bytes_per_day": rows * a.bytes_per_training_row,
        "ab_sample_per_arm": sample,
        "ab_days_raw": days,
        "ab_days_planned": max(days, a.ab_minimum_days),
        "ab_users_per_day": a.daily_active_users * a.ab_traffic_fraction,
    }


# ============================================================================================
# Worked metric example (a tiny, hand-made ranked list)
# ============================================================================================

# One user's homepage list as the system ranked it, and what the user did in the next session.
# Graded gain: 0 = not clicked, 1 = clicked but left early, 2 = watched at least half,
# 3 = watched to the end (or liked). Relevant for recall/precision = gain >= 2.
METRIC_EXAMPLE: tuple[tuple[str, int], ...] = (
    ("v17", 2),
    ("v03", 0),
    ("v42", 3),
    ("v08", 0),
    ("v55", 1),
    ("v21", 0),
    ("v90", 2),
    ("v64", 0),
)
# A video the user watched to the end that the system never showed (retrieved by nobody).
METRIC_EXAMPLE_MISSED: tuple[tuple[str, int], ...] = (("v77", 3),)
METRIC_KS: tuple[int, ...] = (3, 5, 8)
# A raw model output used to show what negative downsampling does to probabilities.
RECALIBRATION_EXAMPLE_OUTPUT = 0.5


def _metric_example_values() -> dict[str, float]:
    ranked = [video for video, _ in METRIC_EXAMPLE]
    gains = [g for _, g in METRIC_EXAMPLE]
    all_judged = gains + [g for _, g in METRIC_EXAMPLE_MISSED]
    relevant = {v for v, g in METRIC_EXAMPLE + METRIC_EXAMPLE_MISSED if g >= 2}
    ideal = sorted(all_judged, reverse=True)
    out: dict[str, float] = {"n_relevant": len(relevant)}
    for k in METRIC_KS:
        out[f"recall@{k}"] = recall_at_k(ranked, relevant, k)
        out[f"precision@{k}"] = precision_at_k(ranked, relevant, k)
        out[f"dcg@{k}"] = dcg_at_k(gains, k, gain="linear")
        out[f"ndcg@{k}"] = ndcg_at_k(gains, k, gain="linear", ideal_gains=ideal)
        out[f"ndcg_exp@{k}"] = ndcg_at_k(gains, k, gain="exponential", ideal_gains=ideal)
        out[f"ndcg_listonly@{k}"] = ndcg_at_k(gains, k, gain="linear")
    return out


# ============================================================================================
# Display functions (what the page shows)
# ============================================================================================


def _assumption_value(name: str, a: Assumptions) -> str:
    value = getattr(a, name)
    if name == "candidate_sources":
        return count(candidates_from_sources(value)) + " across " + str(len(value)) + " sources"
    if name == "latency_shares":
        return ", ".join(pct(share, 0) for _, share in value)
    if name == "latency_target_ms":
        return ms(value)
    if name in {"ann_host_memory_bytes", "video_feature_bytes", "user_feature_bytes", "bytes_per_training_row"}:
        return nbytes(value)
    if name in {"pq_code_bytes", "pq_id_bytes"}:
        return f"{value} B"
    if name in {"duplicate_or_filtered_fraction", "click_through_rate", "negative_keep_rate",
                "ab_baseline_rate", "ab_relative_mde", "ab_alpha", "ab_power",
                "ab_traffic_fraction", "single_call_quantile"}:
        return pct(value, 0 if value * 100 == round(value * 100) else 1)
    if name == "ab_minimum_days":
        return f"{value} days"
    if name == "ab_metric_minutes":
        return f"{value} min"
    if name in {"peak_to_average", "monthly_to_daily_users"}:
        return f"{value:g}x"
    if isinstance(value, float) and value.is_integer() and value < 1000:
        return f"{value:g}"
    return short(value)


def assumptions_table() -> str:
    """Every assumption with its value and where it comes from."""
    a = ASSUMPTIONS
    rows = [(_LABELS[f.name], _assumption_value(f.name, a), _PROVENANCE[f.name]) for f in fields(a)]
    return md_table(["Assumption", "Value", "Source"], rows, align="lrl")


def numbers() -> dict[str, str]:
    """Formatted values for inline use in the chapter (``numbers[key]``)."""
    a = ASSUMPTIONS
    d = _derived(a)
    m = _metric_example_values()
    budget = dict(latency_budget_ms(a.latency_target_ms, a.latency_shares))
    sources = dict(a.candidate_sources)
    out = {
        # assumptions
        "dau": short(a.daily_active_users),
        "videos": short(a.corpus_videos),
        "latency_target": ms(a.latency_target_ms),
        "loads_per_user": f"{a.homepage_loads_per_user_per_day:g}",
        "peak_factor": f"{a.peak_to_average:g}",
        "embedding_dim": str(a.embedding_dim),
        "hnsw_m": str(a.hnsw_m),
        "pq_code_bytes": str(a.pq_code_bytes),
        "items_returned": str(a.items_returned),
        "reranker_input": str(a.reranker_input),
        "impressions_per_load": f"{a.impressions_per_load:g}",
        "n_sources": str(len(a.candidate_sources)),
        "ann_candidates": str(sources["Two-tower ANN (personalised)"]),
        "ctr": pct(a.click_through_rate, 0),
        "negative_keep_rate": pct(a.negative_keep_rate, 0),
        "ranking_batch_size": str(a.ranking_batch_size),
        "ann_host_memory": nbytes(a.ann_host_memory_bytes),
        # traffic
        "requests_per_day": short(d["requests_per_day"]),
        "avg_qps": short(d["avg_qps"]),
        "peak_qps": short(d["peak_qps"]),
        # funnel
        "candidates_total": count(d["candidates_total"]),
        "candidates_merged": count(d["candidates_merged"]),
        "pred_avg": short(d["pred_avg"]),
        "pred_peak": short(d["pred_peak"]),
        "ranking_gpus": count(d["ranking_gpus"]),
        # storage
        "video_emb_fp32": nbytes(d["video_emb_fp32"]),
        "video_emb_fp16": nbytes(d["video_emb_fp16"]),
        "video_emb_int8": nbytes(d["video_emb_int8"]),
        "user_emb_fp32": nbytes(d["user_emb_fp32"]),
        "user_emb_fp16": nbytes(d["user_emb_fp16"]),
        "video_features": nbytes(d["video_features"]),
        "user_features": nbytes(d["user_features"]),
        "users_stored": short(d["users_stored"]),
        "hnsw_fp32": nbytes(d["hnsw_fp32"]),
        "hnsw_fp16": nbytes(d["hnsw_fp16"]),
        "ivfpq": nbytes(d["ivfpq"]),
        "hnsw_fp32_shards": str(d["hnsw_fp32_shards"]),
        "hnsw_fp16_shards": str(d["hnsw_fp16_shards"]),
        "ivfpq_shards": str(d["ivfpq_shards"]),
        "ann_replicas": str(d["ann_replicas"]),
        "ivfpq_fleet": nbytes(d["ivfpq"] * d["ann_replicas"]),
        "hnsw_fp32_fleet": nbytes(d["hnsw_fp32"] * d["ann_replicas"]),
        # fan-out
        "ranking_calls": str(d["ranking_calls"]),
        "single_call_quantile": fixed(a.single_call_quantile, 2),
        "fanout_sources": pct(d["fanout_sources"]),
        "fanout_ranking": pct(d["fanout_ranking"]),
        "fanout_hnsw": pct(d["fanout_hnsw"]),
        "fanout_100": pct(d["fanout_100"]),
        "fanout_ranking_miss": pct(1 - d["fanout_ranking"]),
        # latency
        "budget_candidate_generation": ms(budget["Candidate generation (sources in parallel)"]),
        "budget_ranking_inference": ms(budget["Ranking model inference"]),
        "budget_network": ms(budget["Network, gateway and serialisation"]),
        "budget_headroom": ms(budget["Headroom for tail and retries"]),
        "budget_rerank": ms(budget["Re-ranking and business rules"]),
        # training data
        "impressions_per_day": short(d["impressions_per_day"]),
        "clicks_per_day": short(d["clicks_per_day"]),
        "training_rows_per_day": short(d["training_rows_per_day"]),
        "training_bytes_per_day": nbytes(d["training_bytes_per_day"]),
        "recalibration_input": fixed(RECALIBRATION_EXAMPLE_OUTPUT, 1),
        "recalibrated_example": fixed(recalibrate_downsampled(RECALIBRATION_EXAMPLE_OUTPUT, a.negative_keep_rate), 3),
        # A/B test
        "ab_baseline": pct(a.ab_baseline_rate, 0),
        "ab_mde": pct(a.ab_relative_mde, 1),
        "ab_target": pct(a.ab_baseline_rate * (1 + a.ab_relative_mde), 2),
        "ab_alpha": fixed(a.ab_alpha, 2),
        "ab_power": pct(a.ab_power, 0),
        "ab_traffic": pct(a.ab_traffic_fraction, 0),
        "ab_sample_per_arm": count(d["ab_sample_per_arm"]),
        "ab_users_per_day": short(d["ab_users_per_day"]),
        "ab_days_raw": str(d["ab_days_raw"]),
        "ab_days_planned": str(d["ab_days_planned"]),
        "ab_min_days": str(a.ab_minimum_days),
        "ab_metric_minutes": str(a.ab_metric_minutes),
        # metric example
        "ex_n_relevant": str(int(m["n_relevant"])),
        "ex_hits5": str(round(m["recall@5"] * m["n_relevant"])),
        "ex_recall3": fixed(m["recall@3"]),
        "ex_recall5": fixed(m["recall@5"]),
        "ex_recall8": fixed(m["recall@8"]),
        "ex_precision3": fixed(m["precision@3"]),
        "ex_precision5": fixed(m["precision@5"]),
        "ex_ndcg5": fixed(m["ndcg@5"]),
        "ex_ndcg8": fixed(m["ndcg@8"]),
        "ex_ndcg5_exp": fixed(m["ndcg_exp@5"]),
        "ex_ndcg5_listonly": fixed(m["ndcg_listonly@5"]),
        "ex_dcg5": fixed(m["dcg@5"]),
    }
    return out


def capacity_table() -> str:
    """Traffic and ranking load: average and peak."""
    a = ASSUMPTIONS
    d = _derived(a)
    rows = [
        ("Homepage requests per day", "DAU x loads per user", short(d["requests_per_day"]), "—"),
        ("Requests per second", "per day / 86,400; peak x factor", short(d["avg_qps"]), short(d["peak_qps"])),
        ("Candidates ranked per request", "after merge and filters", count(d["candidates_merged"]),
         count(d["candidates_merged"])),
        ("Ranking predictions per second", "QPS x candidates ranked", short(d["pred_avg"]), short(d["pred_peak"])),
        ("Ranking accelerators (no redundancy)", "predictions/s / per-GPU rate", "—", count(d["ranking_gpus"])),
        ("ANN index replicas", "QPS / per-replica QPS", "—", count(d["ann_replicas"])),
    ]
    return md_table(["Quantity", "Formula", "Average", "Peak"], rows, align="llrr")


def funnel_table() -> str:
    """Candidates per stage for one homepage request."""
    a = ASSUMPTIONS
    d = _derived(a)
    rows = [(f"Source: {name}", count(n)) for name, n in a.candidate_sources]
    rows += [
        ("All sources, before merge", count(d["candidates_total"])),
        ("After de-duplication and filters (ranked)", count(d["candidates_merged"])),
        ("Top of ranking, handed to re-ranking", count(a.reranker_input)),
        ("Returned to the client (one page)", count(a.items_returned)),
        ("Seen on screen (impressions)", f"{a.impressions_per_load:g}"),
    ]
    return md_table(["Stage", "Candidates per request"], rows)


def storage_table() -> str:
    """Embedding storage by precision, feature storage, and ANN index memory."""
    a = ASSUMPTIONS
    d = _derived(a)
    dim = a.embedding_dim
    rows = [
        (f"Video embeddings, {short(a.corpus_videos)} x {dim}-d", nbytes(d["video_emb_fp32"]),
         nbytes(d["video_emb_fp16"]), nbytes(d["video_emb_int8"])),
        (f"User embeddings (cache), {short(a.daily_active_users)} x {dim}-d", nbytes(d["user_emb_fp32"]),
         nbytes(d["user_emb_fp16"]), nbytes(d["user_emb_int8"])),
    ]
    table = md_table(["Data", "fp32 (4 B)", "fp16 (2 B)", "int8 (1 B)"], rows)
    return table


def feature_storage_table() -> str:
    """Online feature-store size per entity type."""
    a = ASSUMPTIONS
    d = _derived(a)
    rows = [
        ("Video features", f"{short(a.corpus_videos)} videos x {nbytes(a.video_feature_bytes)}",
         nbytes(d["video_features"])),
        ("User features", f"{short(d['users_stored'])} users (DAU x MAU/DAU) x {nbytes(a.user_feature_bytes)}",
         nbytes(d["user_features"])),
        ("Total (one copy, before replication)", "", nbytes(d["video_features"] + d["user_features"])),
    ]
    return md_table(["Feature group", "Count x bytes", "Size"], rows, align="llr")


def ann_index_table() -> str:
    """ANN index memory, shards and fleet memory for the three index options."""
    a = ASSUMPTIONS
    d = _derived(a)
    host = nbytes(a.ann_host_memory_bytes)
    rows = [
        (f"HNSW, fp32 vectors, M = {a.hnsw_m}", "N x (d x 4 + M x 2 x 4)", nbytes(d["hnsw_fp32"]),
         str(d["hnsw_fp32_shards"]), nbytes(d["hnsw_fp32"] * d["ann_replicas"])),
        (f"HNSW, fp16 vectors, M = {a.hnsw_m}", "N x (d x 2 + M x 2 x 4)", nbytes(d["hnsw_fp16"]),
         str(d["hnsw_fp16_shards"]), nbytes(d["hnsw_fp16"] * d["ann_replicas"])),
        (f"IVF-PQ, {a.pq_code_bytes}-byte codes", f"N x ({a.pq_code_bytes} + {a.pq_id_bytes})",
         nbytes(d["ivfpq"]), str(d["ivfpq_shards"]), nbytes(d["ivfpq"] * d["ann_replicas"])),
    ]
    return md_table(
        ["Index", "Bytes", "Index memory", f"Shards ({host} per host)", f"Fleet memory ({d['ann_replicas']} replicas)"],
        rows,
        align="llrrr",
    )


def latency_budget_table() -> str:
    """Per-stage latency budget that sums to the end-to-end target."""
    a = ASSUMPTIONS
    budget = latency_budget_ms(a.latency_target_ms, a.latency_shares)
    rows = [(stage, pct(share, 0), ms(value)) for (stage, share), (_, value) in zip(a.latency_shares, budget)]
    rows.append(("Total", pct(sum(s for _, s in a.latency_shares), 0), ms(sum(v for _, v in budget))))
    return md_table(["Stage", "Share", "Budget"], rows)


def fanout_table() -> str:
    """Probability that all N parallel calls finish within their own p99."""
    a = ASSUMPTIONS
    d = _derived(a)
    q = a.single_call_quantile
    cases = [
        ("Candidate sources queried in parallel", len(a.candidate_sources)),
        (f"HNSW fp32 shards ({nbytes(a.ann_host_memory_bytes)} hosts)", d["hnsw_fp32_shards"]),
        (f"Ranking calls ({count(d['candidates_merged'])} candidates / {a.ranking_batch_size} per call)",
         d["ranking_calls"]),
        ("A 100-way fan-out, for comparison", 100),
    ]
    rows = [(label, str(n), pct(fanout_quantile(q, n)), pct(1 - fanout_quantile(q, n))) for label, n in cases]
    return md_table(["Parallel calls", "N", "All within p99", "Request waits on a tail call"], rows)


def training_data_table() -> str:
    """Daily training-data volume for the ranking model."""
    a = ASSUMPTIONS
    d = _derived(a)
    positives = d["clicks_per_day"]
    negatives_kept = d["training_rows_per_day"] - positives
    rows = [
        ("Impressions per day", "DAU x loads x cards seen", short(d["impressions_per_day"])),
        ("Clicked impressions (positives)", f"impressions x {pct(a.click_through_rate, 0)} CTR", short(positives)),
        ("Unclicked impressions kept", f"unclicked x {pct(a.negative_keep_rate, 0)} keep rate", short(negatives_kept)),
        ("Training rows per day", "positives + kept negatives", short(d["training_rows_per_day"])),
        ("Training bytes per day", f"rows x {nbytes(a.bytes_per_training_row)}", nbytes(d["training_bytes_per_day"])),
    ]
    return md_table(["Quantity", "Formula", "Per day"], rows, align="llr")


def ab_test_table() -> str:
    """A/B test: inputs, sample size per arm and duration."""
    a = ASSUMPTIONS
    d = _derived(a)
    rows = [
        ("Primary metric", f"share of users watching >= {a.ab_metric_minutes} min from the homepage "
                           "on their first day in the test"),
        ("Baseline rate", pct(a.ab_baseline_rate, 0)),
        ("Minimum detectable effect", f"{pct(a.ab_relative_mde, 1)} relative "
                                      f"({pct(a.ab_baseline_rate, 0)} -> {pct(a.ab_baseline_rate * (1 + a.ab_relative_mde), 2)})"),
        ("Significance level / power", f"{fixed(a.ab_alpha, 2)} two-sided / {pct(a.ab_power, 0)}"),
        ("Sample size per arm", count(d["ab_sample_per_arm"])),
        ("Users in the experiment per day", f"{short(d['ab_users_per_day'])} ({pct(a.ab_traffic_fraction, 0)} of DAU, 2 arms)"),
        ("Days to enrol the sample (whole days, lower bound)", str(d["ab_days_raw"])),
        ("Planned duration", f"{d['ab_days_planned']} days (at least {a.ab_minimum_days}, for weekly cycles and novelty)"),
    ]
    return md_table(["Item", "Value"], rows, align="ll")


def metric_example_table() -> str:
    """The hand-made ranked list used in the worked metric example."""
    gains = [g for _, g in METRIC_EXAMPLE]
    rows = []
    previous = 0.0
    for position, (video, gain) in enumerate(METRIC_EXAMPLE, start=1):
        cumulative = dcg_at_k(gains, position, gain="linear")
        rows.append((str(position), video, str(gain), "yes" if gain >= 2 else "no", fixed(cumulative - previous, 3)))
        previous = cumulative
    for video, gain in METRIC_EXAMPLE_MISSED:
        rows.append(("not shown", video, str(gain), "yes" if gain >= 2 else "no", "—"))
    return md_table(["Position", "Video", "Graded gain", "Relevant (gain >= 2)", "Linear gain / log2(pos + 1)"],
                    rows, align="rlrcr")


def metric_results_table() -> str:
    """Recall, precision and nDCG at several cut-offs for the worked example."""
    m = _metric_example_values()
    rows = []
    for k in METRIC_KS:
        rows.append((str(k), fixed(m[f"recall@{k}"]), fixed(m[f"precision@{k}"]), fixed(m[f"ndcg@{k}"]),
                     fixed(m[f"ndcg_exp@{k}"]), fixed(m[f"ndcg_listonly@{k}"])))
    return md_table(
        ["k", "Recall@k", "Precision@k", "nDCG@k (linear, ideal over all judged)",
         "nDCG@k (exponential, ideal over all judged)", "nDCG@k (linear, ideal over shown list)"],
        rows,
    )


AB_MDE_SWEEP: tuple[float, ...] = (0.01, 0.005, 0.002, 0.001)


def ab_mde_sweep_table() -> str:
    """How sample size and duration grow as the minimum detectable effect shrinks."""
    a = ASSUMPTIONS
    users_per_day = a.daily_active_users * a.ab_traffic_fraction
    rows = []
    for mde in AB_MDE_SWEEP:
        n = ab_test_sample_size(a.ab_baseline_rate, mde, alpha=a.ab_alpha, power=a.ab_power)
        days = ab_test_duration_days(n, a.daily_active_users, n_arms=2, traffic_fraction=a.ab_traffic_fraction)
        rows.append((pct(mde, 1), short(n), str(days), short(users_per_day)))
    return md_table(["Relative MDE", "Users per arm", "Days to enrol (lower bound)", "Users per day in the test"], rows)


#: The 45-minute plan for this problem: (phase, minutes, what should be on the board). Minutes are
#: this guide's suggestion (rule of thumb); start and end times are computed from them.
INTERVIEW_PLAN: tuple[tuple[str, int, str], ...] = (
    ("Clarify requirements", 5, "Surface, goal (watch time with satisfaction), scale, latency, signals, constraints"),
    ("Frame as an ML task", 4, "Objective table, input/output, retrieval + pointwise multi-task ranking"),
    ("Back of the envelope", 4, "QPS, candidate funnel, predictions/s, index memory, latency budget"),
    ("Data and features", 7, "Labels (weighted watch time), feature table, point-in-time joins, biases"),
    ("Model", 10, "Sources, two-tower + logQ, ranking heads (weighted LR / MMoE), re-ranking"),
    ("Evaluation", 5, "Recall@k, nDCG@k, per-head AUC; A/B metric, size, guardrails"),
    ("Serving and monitoring", 7, "Architecture, latency split, fan-out, caching, fallbacks, drift"),
    ("Wrap-up and trade-offs", 3, "What you gave up, what you would do next"),
)


def interview_timeline_table() -> str:
    """The interview plan with computed start and end minutes."""
    rows = []
    start = 0
    for phase, minutes, board in INTERVIEW_PLAN:
        rows.append((f"{start}-{start + minutes}", phase, board))
        start += minutes
    return md_table(["Minutes", "Phase", "On the board when it ends"], rows, align="lll")
