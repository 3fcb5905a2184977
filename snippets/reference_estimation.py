"""Back-of-the-envelope estimation reference: the calculators and every number the page shows.

The page ``docs/reference/estimation.md`` teaches the formulas of ``snippets.estimation`` with one
computed table per calculator: QPS across a range of products, embedding storage by precision, ANN
index memory, GPUs for a frame-embedding workload, training-data volume with negative downsampling,
the fan-out tail, and latency-budget arithmetic.

Layout: the assumptions (module-level constants, each with a comment saying where it comes from:
a cited source, a convention, or "rule of thumb"), a few pure functions for the formulas that
``snippets.estimation`` does not hold, then display functions that the page calls through
shortcodes: ``numbers()`` for inline values and ``*_table()`` functions for Markdown tables.
"""

from __future__ import annotations

import math

from dataclasses import dataclass

from snippets.display import count, fixed, md_table, ms, nbytes, pct, percentile, short
from snippets.estimation import (
    SECONDS_PER_DAY,
    average_qps,
    embedding_bytes,
    fanout_quantile,
    hnsw_index_bytes,
    ivfpq_index_bytes,
    peak_qps,
    recalibrate_downsampled,
    required_call_quantile,
)

# ============================================================================================
# Assumptions
# ============================================================================================


@dataclass(frozen=True)
class Product:
    """An illustrative product surface for the QPS calculator (not any real company's figures)."""

    name: str
    daily_active_users: float
    requests_per_user_per_day: float
    what_a_request_is: str


# Rule of thumb: illustrative products spanning six orders of magnitude of traffic. None of these
# is a real company's figure; they show how the arithmetic scales.
PRODUCTS: tuple[Product, ...] = (
    Product("Internal analytics tool", 5_000, 20, "a dashboard query"),
    Product("Regional marketplace search", 2_000_000, 8, "a search"),
    Product("Vacation-rental listing page", 20_000_000, 15, "a similar-listings call"),
    Product("Consumer app home feed", 200_000_000, 10, "a feed load"),
    Product("Global video homepage", 500_000_000, 6, "a homepage load"),
    Product("Ads on a global feed", 1_000_000_000, 30, "an ad request"),
)
PEAK_TO_AVERAGE = 3.0  # rule of thumb: 2-3x is common and unsourced (research notes, section 5.1)

# --- Embedding storage and index memory -------------------------------------------------------
STORAGE_DIM = 256  # rule of thumb: a common embedding width (Covington et al. 2016 used 256-d)
VECTOR_COUNTS: tuple[int, ...] = (
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
    10_000_000_000,
)
# Bytes per value for each precision: exact by definition of the number formats.
PRECISIONS: tuple[tuple[str, float], ...] = (
    ("fp32", 4),
    ("fp16", 2),
    ("int8", 1),
    ("binary", 1 / 8),
)
HNSW_MS: tuple[int, ...] = (16, 32, 64)  # the Faiss guideline range is 4 <= M <= 64
PQ_CODE_BYTES: tuple[int, ...] = (16, 32, 64)  # PQ with 16, 32 or 64 sub-quantisers of 8 bits
PQ_ID_BYTES = 8  # rule of thumb: a 64-bit id per inverted-list entry
HOST_MEMORY_BYTES = 256e9  # rule of thumb: RAM one large host can give an index

# --- Frame-embedding workload -------------------------------------------------------------------
# Sourced: "more than 100 hours of video are uploaded to YouTube every minute" (YouTube's blog,
# May 2013, as quoted by Advanced Television). Later, larger figures circulate; we could not
# verify them in a primary source, so the scale-ups below are hypothetical, not YouTube's.
UPLOAD_HOURS_PER_MINUTE = 100.0
UPLOAD_SCALE_UPS: tuple[float, ...] = (1.0, 5.0)  # hypothetical growth multiples of that figure
# Rule of thumb: frames sampled per second of video (one every 5 s, one per second, four per s).
FRAME_SAMPLING_RATES: tuple[float, ...] = (0.2, 1.0, 4.0)
IMAGES_PER_SECOND_PER_GPU = 1_000.0  # rule of thumb: a ViT-B-class encoder, batched; load-test it
GPU_TARGET_UTILISATION = 0.6  # rule of thumb: headroom for bursts, decoding stalls and retries
FRAME_EMBEDDING_DIM = 512  # rule of thumb: a CLIP-style image embedding width
FRAME_EMBEDDING_BYTES_PER_VALUE = 2  # fp16

# --- Training data volume ----------------------------------------------------------------------
TRAINING_DAU = 200_000_000  # rule of thumb: the "consumer app home feed" product above
TRAINING_SESSIONS_PER_USER = 5.0  # rule of thumb
TRAINING_IMPRESSIONS_PER_SESSION = 20.0  # rule of thumb: items scrolled past per session
TRAINING_CTR = 0.02  # rule of thumb: clicks per impression
TRAINING_BYTES_PER_ROW = 1_000  # rule of thumb: a few hundred features, compressed
NEGATIVES_PER_POSITIVE_TARGET = 1.0  # design choice: downsample negatives to a 1:1 ratio
NEGATIVE_KEEP_RATES: tuple[float, ...] = (1.0, 0.5, 0.1, 0.02)  # examples for recalibration
MODEL_OUTPUTS: tuple[float, ...] = (0.05, 0.2, 0.5, 0.9)  # raw outputs to recalibrate

# --- Fan-out tail ----------------------------------------------------------------------------------
FANOUT_CALLS: tuple[int, ...] = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
FANOUT_QUANTILES: tuple[float, ...] = (0.99, 0.999)  # p99 and p99.9
FANOUT_TARGET = 0.99  # the request quantile we want to meet
FANOUT_EXAMPLE_CALLS = 100  # the row the page discusses in its text

# --- Latency budget --------------------------------------------------------------------------------
LATENCY_TARGET_MS = 200.0  # problem statement of the illustrative search request below


@dataclass(frozen=True)
class Stage:
    """One stage of a request: its name and the latency each branch of it may take (ms).

    A stage with one branch runs alone; a stage with several runs them in parallel and waits for
    the slowest.
    """

    name: str
    branches: tuple[tuple[str, float], ...]


# Rule of thumb: no primary source gives per-stage splits (research notes, section 5.6).
LATENCY_STAGES: tuple[Stage, ...] = (
    Stage("Network in and out, gateway", (("", 30.0),)),
    Stage("Query understanding", (("", 10.0),)),
    Stage(
        "Candidate retrieval (parallel)",
        (("ANN over embeddings", 25.0), ("Keyword index", 20.0), ("Popular-items cache", 5.0)),
    ),
    Stage("Feature fetch", (("", 15.0),)),
    Stage("Ranking model", (("", 60.0),)),
    Stage("Re-ranking and business rules", (("", 10.0),)),
)
LATENCY_SHARDS = 20  # rule of thumb: ANN shards the retrieval branch fans out to


# ============================================================================================
# Pure functions (formulas not in snippets.estimation)
# ============================================================================================


def video_seconds_per_second(upload_hours_per_minute: float) -> float:
    """Seconds of video arriving per wall-clock second: hours per minute x 3,600 / 60."""
    if upload_hours_per_minute < 0:
        raise ValueError(f"upload_hours_per_minute must be >= 0, got {upload_hours_per_minute!r}")
    return upload_hours_per_minute * 3_600 / 60


def frames_per_second(video_seconds_per_sec: float, sampled_frames_per_video_second: float) -> float:
    """Frames to embed per wall-clock second: video seconds per second x frames sampled per second."""
    if video_seconds_per_sec < 0 or sampled_frames_per_video_second < 0:
        raise ValueError("video seconds and the sampling rate must be >= 0")
    return video_seconds_per_sec * sampled_frames_per_video_second


def gpus_for_rate(items_per_second: float, per_gpu_per_second: float, utilisation: float = 1.0) -> int:
    """GPUs to sustain a rate: ceil(rate / (per-GPU rate x target utilisation)), no redundancy."""
    if per_gpu_per_second <= 0 or not 0 < utilisation <= 1:
        raise ValueError("per_gpu_per_second must be > 0 and utilisation in (0, 1]")
    if items_per_second < 0:
        raise ValueError(f"items_per_second must be >= 0, got {items_per_second!r}")
    return math.ceil(items_per_second / (per_gpu_per_second * utilisation))


def negative_keep_rate_for_ratio(ctr: float, negatives_per_positive: float) -> float:
    """Fraction w of negatives to keep so that kept negatives / positives = the target ratio.

    Positives are a fraction ``ctr`` of impressions and negatives ``1 - ctr``, so
    w = ratio x ctr / (1 - ctr), capped at 1 (keep everything when negatives are already scarce).
    """
    if not 0 < ctr < 1 or negatives_per_positive <= 0:
        raise ValueError("ctr must be in (0, 1) and negatives_per_positive > 0")
    return min(1.0, negatives_per_positive * ctr / (1 - ctr))


def serial_ms(latencies_ms: tuple[float, ...] | list[float]) -> float:
    """Latency of stages that run one after another: the sum."""
    return float(sum(latencies_ms))


def parallel_ms(latencies_ms: tuple[float, ...] | list[float]) -> float:
    """Latency of branches that run in parallel and are all awaited: the slowest."""
    if not latencies_ms:
        raise ValueError("a parallel stage needs at least one branch")
    return float(max(latencies_ms))


# ============================================================================================
# Display helpers
# ============================================================================================


def _share(fraction: float) -> str:
    """A percentage with one decimal, or three when one decimal would round a non-zero share to
    0.0% or a share below one to 100.0%."""
    text = pct(fraction)
    if (text == "0.0%" and fraction > 0) or (text == "100.0%" and fraction < 1):
        text = pct(fraction, 3)
    return text


def _precision_label(name: str, width: float) -> str:
    width_text = "1/8 B" if width < 1 else f"{width:g} B"
    return f"{name} ({width_text})"


def _stage_budget(stage: Stage) -> float:
    return parallel_ms([latency for _, latency in stage.branches])


# ============================================================================================
# Display functions (what the page shows)
# ============================================================================================


def qps_table() -> str:
    """Average and peak QPS for the illustrative products."""
    rows = []
    for product in PRODUCTS:
        average = average_qps(product.daily_active_users, product.requests_per_user_per_day)
        rows.append(
            (
                product.name,
                short(product.daily_active_users),
                f"{product.requests_per_user_per_day:g} ({product.what_a_request_is})",
                short(product.daily_active_users * product.requests_per_user_per_day),
                short(average),
                short(peak_qps(average, PEAK_TO_AVERAGE)),
            )
        )
    return md_table(
        ["Product (illustrative)", "Daily users", "Requests per user per day", "Requests per day",
         "Average QPS", f"Peak QPS ({PEAK_TO_AVERAGE:g}x)"],
        rows,
        align="lrlrrr",
    )


def embedding_storage_table() -> str:
    """Raw embedding storage for 1M to 10B vectors at each precision."""
    rows = [
        (f"{short(n)} vectors",) + tuple(nbytes(embedding_bytes(n, STORAGE_DIM, width)) for _, width in PRECISIONS)
        for n in VECTOR_COUNTS
    ]
    return md_table(
        [f"{STORAGE_DIM}-d embeddings"] + [_precision_label(name, width) for name, width in PRECISIONS],
        rows,
    )


def index_memory_table() -> str:
    """Index memory: flat (raw fp32 vectors), HNSW for several M, IVF-PQ for several code sizes."""
    rows = []
    for n in VECTOR_COUNTS:
        row = [short(n), nbytes(embedding_bytes(n, STORAGE_DIM, 4))]
        row += [nbytes(hnsw_index_bytes(n, STORAGE_DIM, m, 4)) for m in HNSW_MS]
        row += [nbytes(ivfpq_index_bytes(n, code, PQ_ID_BYTES)) for code in PQ_CODE_BYTES]
        rows.append(row)
    headers = ["Vectors", "Flat fp32"]
    headers += [f"HNSW M={m}" for m in HNSW_MS]
    headers += [f"IVF-PQ {code} B" for code in PQ_CODE_BYTES]
    return md_table(headers, rows)


def index_hosts_table() -> str:
    """Hosts needed to hold one copy of each index at the largest two corpus sizes."""
    rows = []
    for n in VECTOR_COUNTS[-2:]:
        options = [("Flat (fp32)", embedding_bytes(n, STORAGE_DIM, 4))]
        options += [(f"HNSW M={HNSW_MS[1]}", hnsw_index_bytes(n, STORAGE_DIM, HNSW_MS[1], 4))]
        options += [(f"IVF-PQ {PQ_CODE_BYTES[-1]} B", ivfpq_index_bytes(n, PQ_CODE_BYTES[-1], PQ_ID_BYTES))]
        for name, size in options:
            rows.append((f"{short(n)} vectors", name, nbytes(size), count(max(1, math.ceil(size / HOST_MEMORY_BYTES)))))
    return md_table(
        ["Corpus", "Index", "Memory", f"Hosts at {nbytes(HOST_MEMORY_BYTES)} each"],
        rows,
        align="llrr",
    )


def frame_embedding_table() -> str:
    """Frames per second and GPUs for embedding sampled frames of uploaded video."""
    rows = []
    for scale in UPLOAD_SCALE_UPS:
        hours = UPLOAD_HOURS_PER_MINUTE * scale
        video = video_seconds_per_second(hours)
        label = f"{hours:g} h/min" + (" (cited, 2013)" if scale == 1.0 else " (hypothetical)")
        for rate in FRAME_SAMPLING_RATES:
            frames = frames_per_second(video, rate)
            per_day = frames * SECONDS_PER_DAY
            rows.append(
                (
                    label,
                    f"{rate:g}",
                    short(frames),
                    short(per_day),
                    count(gpus_for_rate(frames, IMAGES_PER_SECOND_PER_GPU, GPU_TARGET_UTILISATION)),
                    nbytes(embedding_bytes(round(per_day), FRAME_EMBEDDING_DIM, FRAME_EMBEDDING_BYTES_PER_VALUE)),
                )
            )
    return md_table(
        ["Upload rate", "Frames sampled per video second", "Frames per second", "Frames per day",
         "GPUs", f"Embeddings per day ({FRAME_EMBEDDING_DIM}-d fp16)"],
        rows,
        align="lrrrrr",
    )


def _training_volume() -> dict[str, float]:
    impressions = TRAINING_DAU * TRAINING_SESSIONS_PER_USER * TRAINING_IMPRESSIONS_PER_SESSION
    positives = impressions * TRAINING_CTR
    negatives = impressions - positives
    keep = negative_keep_rate_for_ratio(TRAINING_CTR, NEGATIVES_PER_POSITIVE_TARGET)
    kept_negatives = negatives * keep
    rows = positives + kept_negatives
    return {
        "impressions": impressions,
        "positives": positives,
        "negatives": negatives,
        "keep": keep,
        "kept_negatives": kept_negatives,
        "rows": rows,
        "shrink": rows / impressions,
        "bytes_all": impressions * TRAINING_BYTES_PER_ROW,
        "bytes_kept": rows * TRAINING_BYTES_PER_ROW,
        "train_rate": positives / rows,
    }


def training_volume_table() -> str:
    """Training rows per day before and after downsampling negatives to the target ratio."""
    v = _training_volume()
    rows = [
        ("Impressions (candidate rows)", "DAU x sessions x impressions per session", short(v["impressions"]),
         nbytes(v["bytes_all"])),
        ("Positives (clicks)", "impressions x CTR", short(v["positives"]), "—"),
        ("Negatives", "impressions - positives", short(v["negatives"]), "—"),
        (f"Negatives kept (w = {pct(v['keep'], 2)})", "negatives x w", short(v["kept_negatives"]), "—"),
        ("Training rows after downsampling", "positives + kept negatives", short(v["rows"]), nbytes(v["bytes_kept"])),
    ]
    return md_table(["Quantity per day", "Formula", "Rows", f"Bytes at {nbytes(TRAINING_BYTES_PER_ROW)}/row"],
                    rows, align="llrr")


def recalibration_table() -> str:
    """True-rate estimate q for raw outputs p of models trained at several negative keep rates w."""
    rows = [
        (f"w = {pct(w, 0)}",) + tuple(fixed(recalibrate_downsampled(p, w), 3) for p in MODEL_OUTPUTS)
        for w in NEGATIVE_KEEP_RATES
    ]
    return md_table(["Negatives kept in training"] + [f"p = {p:g}" for p in MODEL_OUTPUTS], rows)


def fanout_table() -> str:
    """Share of requests whose n parallel calls all finish within p99 / p99.9, and the quantile needed."""
    rows = []
    for n in FANOUT_CALLS:
        row = [count(n)]
        for q in FANOUT_QUANTILES:
            within = fanout_quantile(q, n)
            row += [_share(within), _share(1 - within)]
        row.append(percentile(required_call_quantile(FANOUT_TARGET, n), 3))
        rows.append(row)
    headers = ["Parallel calls"]
    for q in FANOUT_QUANTILES:
        headers += [f"All within {percentile(q)}", f"At least one over {percentile(q)}"]
    headers.append(f"Per-call quantile for a request {percentile(FANOUT_TARGET)}")
    return md_table(headers, rows)


def latency_budget_table() -> str:
    """The illustrative search request: serial stages add, parallel branches take the slowest."""
    rows = []
    for stage in LATENCY_STAGES:
        if len(stage.branches) == 1:
            rows.append((stage.name, "serial", ms(_stage_budget(stage))))
        else:
            branches = ", ".join(f"{name} {ms(latency)}" for name, latency in stage.branches)
            rows.append((stage.name, f"slowest of: {branches}", ms(_stage_budget(stage))))
    total = serial_ms([_stage_budget(stage) for stage in LATENCY_STAGES])
    rows.append(("Total (sum of stages)", "", ms(total)))
    rows.append((f"Headroom to the {ms(LATENCY_TARGET_MS)} target", "", ms(LATENCY_TARGET_MS - total)))
    return md_table(["Stage", "How it combines", "Budget"], rows, align="llr")


def assumptions_table() -> str:
    """Every assumption the page's calculators use, with its source."""
    products = ", ".join(f"{short(p.daily_active_users)} x {p.requests_per_user_per_day:g}" for p in PRODUCTS)
    rows = [
        ("Products: daily users x requests per user", products, "rule of thumb (illustrative)"),
        ("Peak-to-average traffic", f"{PEAK_TO_AVERAGE:g}x", "rule of thumb"),
        ("Embedding dimension (storage tables)", str(STORAGE_DIM), "rule of thumb"),
        ("Bytes per value: fp32, fp16, int8, binary", ", ".join(f"{w:g}" for _, w in PRECISIONS), "definition"),
        ("HNSW links per node M", ", ".join(str(m) for m in HNSW_MS), "Faiss guideline range 4 to 64"),
        ("HNSW link size", "4 B", "Faiss guideline"),
        ("PQ code size per vector", ", ".join(f"{c} B" for c in PQ_CODE_BYTES), "design choice"),
        ("Id size per vector in IVF lists", f"{PQ_ID_BYTES} B", "rule of thumb (64-bit ids)"),
        ("Memory per index host", nbytes(HOST_MEMORY_BYTES), "rule of thumb"),
        ("Video uploaded per minute", f"{UPLOAD_HOURS_PER_MINUTE:g} h", "YouTube, 2013 (cited below)"),
        ("Hypothetical upload growth", ", ".join(f"{s:g}x" for s in UPLOAD_SCALE_UPS), "what-if, not a source"),
        ("Frames sampled per video second", ", ".join(f"{r:g}" for r in FRAME_SAMPLING_RATES), "rule of thumb"),
        ("Images per second per GPU", short(IMAGES_PER_SECOND_PER_GPU), "rule of thumb (load-test it)"),
        ("Target GPU utilisation", pct(GPU_TARGET_UTILISATION, 0), "rule of thumb"),
        ("Frame embedding", f"{FRAME_EMBEDDING_DIM}-d, {FRAME_EMBEDDING_BYTES_PER_VALUE} B per value", "rule of thumb"),
        ("Training: daily users", short(TRAINING_DAU), "rule of thumb"),
        ("Training: sessions per user per day", f"{TRAINING_SESSIONS_PER_USER:g}", "rule of thumb"),
        ("Training: impressions per session", f"{TRAINING_IMPRESSIONS_PER_SESSION:g}", "rule of thumb"),
        ("Training: click-through rate", pct(TRAINING_CTR, 0), "rule of thumb"),
        ("Training: bytes per row", nbytes(TRAINING_BYTES_PER_ROW), "rule of thumb"),
        ("Training: negatives per positive after downsampling", f"{NEGATIVES_PER_POSITIVE_TARGET:g}", "design choice"),
        ("Latency target (search request)", ms(LATENCY_TARGET_MS), "problem statement (illustrative)"),
        ("Latency per stage", "see the budget table", "rule of thumb"),
        ("ANN shards in the fan-out example", str(LATENCY_SHARDS), "rule of thumb"),
    ]
    return md_table(["Assumption", "Value", "Source"], rows, align="lll")


def numbers() -> dict[str, str]:
    """Formatted values for inline use on the page (``numbers[key]``)."""
    first, feed = PRODUCTS[0], PRODUCTS[3]
    feed_avg = average_qps(feed.daily_active_users, feed.requests_per_user_per_day)
    billion = VECTOR_COUNTS[3]
    video_per_s = video_seconds_per_second(UPLOAD_HOURS_PER_MINUTE)
    frames_1fps = frames_per_second(video_per_s, 1.0)
    v = _training_volume()
    keep_example = NEGATIVE_KEEP_RATES[2]
    retrieval = next(stage for stage in LATENCY_STAGES if len(stage.branches) > 1)
    total = serial_ms([_stage_budget(stage) for stage in LATENCY_STAGES])
    naive_total = serial_ms([latency for stage in LATENCY_STAGES for _, latency in stage.branches])
    return {
        # traffic
        "peak_factor": f"{PEAK_TO_AVERAGE:g}",
        "seconds_per_day": count(SECONDS_PER_DAY),
        "smallest_avg_qps": short(average_qps(first.daily_active_users, first.requests_per_user_per_day)),
        "feed_dau": short(feed.daily_active_users),
        "feed_requests": f"{feed.requests_per_user_per_day:g}",
        "feed_avg_qps": short(feed_avg),
        "feed_peak_qps": short(peak_qps(feed_avg, PEAK_TO_AVERAGE)),
        # storage
        "dim": str(STORAGE_DIM),
        "billion": short(billion),
        "billion_fp32": nbytes(embedding_bytes(billion, STORAGE_DIM, 4)),
        "billion_binary": nbytes(embedding_bytes(billion, STORAGE_DIM, 1 / 8)),
        "binary_saving": f"{4 / (1 / 8):g}",
        "billion_hnsw32": nbytes(hnsw_index_bytes(billion, STORAGE_DIM, 32, 4)),
        "hnsw32_link_bytes_per_vector": count(32 * 2 * 4),
        "vector_bytes_fp32": count(STORAGE_DIM * 4),
        "billion_ivfpq64": nbytes(ivfpq_index_bytes(billion, 64, PQ_ID_BYTES)),
        "pq_id_bytes": str(PQ_ID_BYTES),
        "host_memory": nbytes(HOST_MEMORY_BYTES),
        # frame embedding
        "upload_hours": f"{UPLOAD_HOURS_PER_MINUTE:g}",
        "upload_scale_up": f"{UPLOAD_SCALE_UPS[-1]:g}",
        "video_seconds_per_second": count(video_per_s),
        "frames_1fps": short(frames_1fps),
        "gpus_1fps": count(gpus_for_rate(frames_1fps, IMAGES_PER_SECOND_PER_GPU, GPU_TARGET_UTILISATION)),
        "images_per_gpu": short(IMAGES_PER_SECOND_PER_GPU),
        "gpu_utilisation": pct(GPU_TARGET_UTILISATION, 0),
        # training data
        "ctr": pct(TRAINING_CTR, 0),
        "negatives_per_positive": f"{NEGATIVES_PER_POSITIVE_TARGET:g}",
        "impressions": short(v["impressions"]),
        "positives": short(v["positives"]),
        "keep_rate": pct(v["keep"], 2),
        "rows": short(v["rows"]),
        "shrink": pct(v["shrink"], 1),
        "train_positive_rate": pct(v["train_rate"], 0),
        "recal_w": pct(keep_example, 0),
        "recal_p": f"{MODEL_OUTPUTS[2]:g}",
        "recal_q": fixed(recalibrate_downsampled(MODEL_OUTPUTS[2], keep_example), 3),
        # fan-out
        "fanout_example_calls": count(FANOUT_EXAMPLE_CALLS),
        "fanout_example_p99": _share(fanout_quantile(FANOUT_QUANTILES[0], FANOUT_EXAMPLE_CALLS)),
        "fanout_example_slow": _share(1 - fanout_quantile(FANOUT_QUANTILES[0], FANOUT_EXAMPLE_CALLS)),
        "fanout_max_calls": count(FANOUT_CALLS[-1]),
        "fanout_max_p999": _share(fanout_quantile(FANOUT_QUANTILES[1], FANOUT_CALLS[-1])),
        "required_example": percentile(required_call_quantile(FANOUT_TARGET, FANOUT_EXAMPLE_CALLS), 3),
        # latency budget
        "latency_target": ms(LATENCY_TARGET_MS),
        "latency_total": ms(total),
        "latency_headroom": ms(LATENCY_TARGET_MS - total),
        "latency_naive_total": ms(naive_total),
        "retrieval_budget": ms(_stage_budget(retrieval)),
        "shards": str(LATENCY_SHARDS),
        "shards_within": pct(fanout_quantile(FANOUT_TARGET, LATENCY_SHARDS)),
        "shards_required": percentile(required_call_quantile(FANOUT_TARGET, LATENCY_SHARDS), 2),
    }
