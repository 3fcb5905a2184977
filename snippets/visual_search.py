"""Visual search (tap an image or draw a box, see what looks like it): every number the chapter shows.

``docs/visual-search.md`` designs a visual search system for a photo-sharing and shopping platform:
an image encoder trained with a contrastive loss, an object detector that turns a tapped image or a
drawn box into a query crop, an approximate nearest-neighbour (ANN) index over the whole corpus,
and a re-ranking stage (exact re-scoring, near-duplicate removal, filters, diversity). From the
assumptions below this module computes the traffic, the online accelerators for detection and
query embedding, the index memory for each vector format (float32, float16, product quantisation,
binary codes, HNSW), shards and replicas, the cost of re-embedding the corpus and of keeping up
with uploads, the training and judging volumes, the latency budget, the A/B test, and the worked
examples of box snapping and of the offline metrics. The formulas shared by every chapter live in
the chapter kit (``snippets.kit``).

Functions ending in ``_for`` take as arguments the inputs the lab varies; the others are the
chapter's own values, which the page, its figures and its lab show.
"""

from __future__ import annotations

from dataclasses import dataclass

from snippets.kit import estimation as est
from snippets.kit import latency, plan
from snippets.kit.abtest import ABPlan, ab_plan_table
from snippets.kit.assume import PROBLEM, assume, design, thumb
from snippets.kit.display import (
    count, days, fixed, md_table, ms, nbytes, pct, percent, percentile, plain, short, times,
)
from snippets.kit.house import HOUSE
from snippets.kit.metrics import iou, mean_reciprocal_rank
from snippets.kit.plan import Phase
from snippets.kit.practice import Drill, Fact, Glance, Grade, Step, ab_days_steps, ab_sample_steps, peak_steps, stage_budget_steps
from snippets.kit.show import table, value
from snippets.kit.worked import GradedList

SECONDS_PER_HOUR = 3_600


@dataclass(frozen=True)
class Assumptions:
    """Every input of the chapter's arithmetic. The problem statement fixes five; the rest are ours."""

    # The problem statement
    daily_active_users: float = assume(200e6, "Daily active users", short, PROBLEM)
    corpus_images: int = assume(5_000_000_000, "Images in the corpus", short, PROBLEM)
    new_images_per_day: float = assume(20e6, "New images per day", short, PROBLEM)
    latency_target_ms: float = assume(200, "End-to-end latency target (p99)", ms, PROBLEM)
    freshness_hours: float = assume(24, "A new image must be findable within (hours)", plain, PROBLEM)

    # Traffic
    visual_searches_per_user_per_day: float = assume(
        3, "Visual searches per daily user per day", plain, thumb("taps on the search icon plus drawn boxes"))
    drawn_box_share: float = assume(
        0.30, "Share of searches with a box the user drew or moved", percent,
        thumb("the rest tap a whole image or a suggested object"))
    visual_search_user_share: float = assume(
        0.25, "Share of daily users who make a visual search that day", percent, thumb())

    # Embeddings and the index
    embedding_dim: int = assume(256, "Embedding dimension", count, design("a common width for image retrieval"))
    pq_code_bytes: int = assume(64, "PQ code per image (bytes)", count, design("PQ64: 64 sub-quantisers of 8 bits"))
    id_bytes: int = assume(8, "Id per image in the index (bytes)", count, thumb("64-bit ids"))
    hnsw_m: int = assume(32, "HNSW links per node (M)", count, thumb("inside the Faiss guideline range 4-64"))
    host_index_memory_bytes: float = assume(
        256e9, "Index memory per search host", nbytes, thumb("a 384 GB host, the rest for the OS and buffers"))
    shard_qps_per_replica: float = assume(
        1_000, "ANN queries per second one shard replica serves", count, thumb("load-test it"))
    ann_candidates_per_shard: int = assume(400, "Candidates each shard returns", count, design())
    rescored_candidates: int = assume(400, "Candidates kept after merging shards, re-scored exactly", count,
                                      design())
    results_returned: int = assume(50, "Results returned per page", count, design("a scrollable grid"))
    near_duplicate_share: float = assume(
        0.30, "Share of re-scored candidates dropped as near-duplicates", percent,
        thumb("reposts of one photo are common; measure it"))
    filtered_share: float = assume(
        0.10, "Share of the rest dropped by policy, safety and availability filters", percent, thumb())

    # Accelerators
    embed_images_per_second_per_gpu: float = assume(
        1_000, "Encoder throughput per GPU (images/s, batched)", count, thumb("a ViT-B-sized encoder; load-test it"))
    detect_images_per_second_per_gpu: float = assume(
        150, "Detector throughput per GPU (images/s, batched)", count, thumb("a mid-sized two-stage detector"))
    objects_per_image: float = assume(3, "Objects detected per image (mean)", plain, thumb())
    gpu_hour_cost: float = assume(2.0, "Cost of one GPU-hour (USD)", plain, thumb("on-demand cloud price, order of magnitude"))
    backfill_gpus: int = assume(32, "GPUs lent to a full re-embedding", count, design())

    # Training and judging
    engaged_search_rate: float = assume(
        0.06, "Searches that end in a save or a click on a result", percent, thumb())
    judged_queries: int = assume(2_000, "Queries in the human-judged evaluation set", count, design())
    judged_depth: int = assume(20, "Results judged per query", count, design("covers the first screens"))
    raters_per_pair: int = assume(3, "Raters per (query, result) pair", count, design("majority vote"))
    seconds_per_judgement: float = assume(12, "Seconds per judgement", plain, thumb())

    # A/B test
    ab_baseline_rate: float = assume(
        0.20, "A/B baseline: visual searchers who save or click out in the measured week", percent, thumb())
    ab_relative_mde: float = assume(0.01, "A/B minimum detectable effect (relative)", percent, thumb())
    ab_traffic_fraction: float = assume(0.04, "A/B share of visual searchers in the test (both arms)", percent,
                                        thumb())
    ab_measured_days: int = assume(7, "A/B days measured after enrolment", days, design("one weekly cycle"))


ASSUMPTIONS = Assumptions()
A = ASSUMPTIONS

#: Vector formats compared for the index: id -> (label, bytes per stored vector, excluding the id).
VECTOR_FORMATS: tuple[tuple[str, str], ...] = (
    ("fp32", "float32"),
    ("fp16", "float16"),
    ("pq", "PQ codes"),
    ("binary", "binary codes (1 bit per dimension)"),
)

#: Embedding widths compared in the dimension table.
DIMENSION_SWEEP: tuple[int, ...] = (128, 256, 512, 1024)

#: Index layouts compared for serving: id -> label.
INDEX_LAYOUTS: tuple[tuple[str, str], ...] = (
    ("flat_fp16", "Flat float16 (exact search)"),
    ("hnsw_fp16", "HNSW on float16 vectors"),
    ("ivf_pq", "IVF-PQ"),
    ("binary", "Binary codes (Hamming)"),
)

#: The request path: (id, label, share of the target). The shares are our rule of thumb.
LATENCY_SHARES: tuple[tuple[str, str, float], ...] = (
    ("network", "Network, gateway, upload of the box", 0.15),
    ("crop", "Fetch the image, snap the box, crop", 0.075),
    ("embed", "Query embedding (GPU, batched)", 0.15),
    ("ann", "ANN search, shards in parallel, merge", 0.15),
    ("rescore", "Exact re-scoring of the merged candidates", 0.075),
    ("rerank", "Near-duplicates, filters, diversity", 0.10),
    ("hydrate", "Hydrate results (metadata, thumbnails)", 0.10),
    ("headroom", "Headroom for the tail and retries", 0.20),
)

LATENCY = latency.LatencyBudget(A.latency_target_ms, latency.stages_from_shares(A.latency_target_ms, LATENCY_SHARES))

AB = ABPlan(
    metric="share of visual searchers who save a result or click out to a product in the measured week",
    baseline_rate=A.ab_baseline_rate,
    relative_mde=A.ab_relative_mde,
    daily_users=A.daily_active_users * A.visual_search_user_share,
    traffic_fraction=A.ab_traffic_fraction,
    measured_days=A.ab_measured_days,
)

#: The 45-minute plan for this problem.
INTERVIEW_PLAN: tuple[Phase, ...] = (
    Phase("Clarify requirements", 5, "What 'similar' means (shopping: same product), box or tap, scale, p99, freshness"),
    Phase("Frame as an ML task", 4, "Embedding + nearest neighbours; objective table; detector for the crop"),
    Phase("Back of the envelope", 5, "QPS, GPUs for crops, index memory per format, shards x replicas"),
    Phase("Data and training pairs", 7, "Engagement pairs, human pairs, augmentations; contrastive loss; hard negatives"),
    Phase("Model", 8, "Encoder, projection, InfoNCE with in-batch negatives; detector; binary or PQ codes"),
    Phase("Evaluation", 5, "Recall@k and nDCG on judged pairs, ANN recall; A/B on saves and click-outs"),
    Phase("Serving and monitoring", 8, "Architecture, latency split, re-ranking, re-embedding and dual indexes"),
    Phase("Wrap-up and trade-offs", 3, "PQ vs HNSW, what you gave up, what you would do next"),
)

# --- the worked examples -----------------------------------------------------------------------

#: Boxes the detector found in one image (id, label, (x1, y1, x2, y2) in pixels of a 1000 x 800 image).
DETECTED_BOXES: tuple[tuple[str, str, tuple[float, float, float, float]], ...] = (
    ("lamp", "lamp", (620, 60, 820, 420)),
    ("sofa", "sofa", (80, 380, 700, 720)),
    ("rug", "rug", (40, 640, 960, 790)),
    ("cushion", "cushion", (180, 420, 330, 540)),
)
#: The rough box the user drew around the lamp.
DRAWN_BOX: tuple[float, float, float, float] = (560, 40, 800, 380)
#: Below this IoU the drawn box is used as drawn (the user meant something the detector missed).
SNAP_MIN_IOU = 0.5

#: One judged query for the worked metric example: the result ids as ranked, and the graded
#: judgement of each (3 exact product, 2 same kind and style, 1 loosely related, 0 unrelated).
#: The judged relevant results the system did not return in the top ten were found in the pool of
#: other systems; results of grade at least 2 count as relevant for recall.
JUDGED = GradedList(
    shown=(("p11", 2), ("p04", 3), ("p27", 0), ("p35", 2), ("p19", 1),
           ("p52", 0), ("p08", 3), ("p63", 1), ("p71", 0), ("p90", 2)),
    missed=(("p44", 3), ("p58", 2)),
    relevant_grade=2,
)
METRIC_KS: tuple[int, ...] = (1, 5, 10)
#: Four queries' ranked lists with their exact-product matches, for MRR (shopping intent).
EXACT_MATCH_QUERIES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("a1", "a2", "a3", "a4", "a5"), ("a2",)),
    (("b1", "b2", "b3", "b4", "b5"), ("b1", "b4")),
    (("c1", "c2", "c3", "c4", "c5"), ("c5",)),
    (("d1", "d2", "d3", "d4", "d5"), ("d9",)),
)


# --------------------------------------------------------------------------------------------
# Traffic
# --------------------------------------------------------------------------------------------


def searches_per_day() -> float:
    return A.daily_active_users * A.visual_searches_per_user_per_day


@value(short)
def avg_qps() -> float:
    """Average visual searches per second."""
    return est.average_qps(A.daily_active_users, A.visual_searches_per_user_per_day)


@value(short)
def peak_qps() -> float:
    """Peak visual searches per second (house peak-to-average factor)."""
    return est.peak_qps(avg_qps(), HOUSE.peak_to_average)


@value(short)
def peak_box_qps() -> float:
    """Peak searches whose crop has no stored embedding and must be embedded online."""
    return peak_qps() * A.drawn_box_share


@value(count)
def online_embed_gpus() -> int:
    """GPUs that embed drawn-box crops at peak (no redundancy)."""
    return est.accelerators_needed(peak_box_qps(), A.embed_images_per_second_per_gpu)


def online_detect_gpus_for(detect_share: float) -> int:
    """GPUs to run the detector online on ``detect_share`` of peak searches (no redundancy)."""
    return est.accelerators_needed(peak_qps() * detect_share, A.detect_images_per_second_per_gpu)


@value(count)
def online_detect_gpus_all() -> int:
    """GPUs if every search ran the detector at request time instead of reading stored boxes."""
    return online_detect_gpus_for(1.0)


@value(lambda v: ms(v, digits=2))
def detect_gpu_ms_per_image() -> float:
    """GPU milliseconds one detection costs at the batched throughput."""
    return 1_000 / A.detect_images_per_second_per_gpu


@value(lambda v: ms(v, digits=2))
def embed_gpu_ms_per_image() -> float:
    return 1_000 / A.embed_images_per_second_per_gpu


# --------------------------------------------------------------------------------------------
# Vectors and the index
# --------------------------------------------------------------------------------------------


def vector_bytes_for(format_id: str, dim: int = A.embedding_dim, pq_code_bytes: int = A.pq_code_bytes) -> float:
    """Bytes one stored vector takes in a format of ``VECTOR_FORMATS`` (the id not included)."""
    if format_id == "fp32":
        return dim * 4
    if format_id == "fp16":
        return dim * 2
    if format_id == "pq":
        return pq_code_bytes
    if format_id == "binary":
        return dim / 8
    raise KeyError(f"no vector format {format_id!r} (formats: {', '.join(f for f, _ in VECTOR_FORMATS)})")


@value(nbytes)
def vector_bytes(format_id: str) -> float:
    return vector_bytes_for(format_id)


@value(nbytes)
def corpus_vector_bytes(format_id: str) -> float:
    """The whole corpus's vectors in one format, without ids or index structure."""
    return A.corpus_images * vector_bytes_for(format_id)


@value(times)
def compression_vs_fp32(format_id: str) -> float:
    return vector_bytes_for("fp32") / vector_bytes_for(format_id)


@value(nbytes)
def index_bytes(layout_id: str) -> float:
    """Memory of one full copy of the index for a layout of ``INDEX_LAYOUTS``."""
    n = A.corpus_images
    if layout_id == "flat_fp16":
        return est.ivfpq_index_bytes(n, vector_bytes_for("fp16"), A.id_bytes)
    if layout_id == "hnsw_fp16":
        return est.hnsw_index_bytes(n, A.embedding_dim, A.hnsw_m, 2)
    if layout_id == "ivf_pq":
        return est.ivfpq_index_bytes(n, A.pq_code_bytes, A.id_bytes)
    if layout_id == "binary":
        return est.ivfpq_index_bytes(n, vector_bytes_for("binary"), A.id_bytes)
    raise KeyError(f"no index layout {layout_id!r} (layouts: {', '.join(i for i, _ in INDEX_LAYOUTS)})")


@value(count)
def index_shards(layout_id: str) -> int:
    return est.shards_needed(index_bytes(layout_id), A.host_index_memory_bytes)


@value(count)
def replicas_per_shard() -> int:
    """Every shard sees every query, so each shard needs peak QPS / per-replica QPS copies."""
    return est.replicas_needed(peak_qps(), A.shard_qps_per_replica)


@value(count)
def index_hosts(layout_id: str) -> int:
    return index_shards(layout_id) * replicas_per_shard()


@value(nbytes)
def index_fleet_bytes(layout_id: str) -> float:
    return index_bytes(layout_id) * replicas_per_shard()


@value(nbytes)
def rescore_store_bytes() -> float:
    """The float16 vectors kept in a key-value store for exact re-scoring (one copy, with ids)."""
    return est.ivfpq_index_bytes(A.corpus_images, vector_bytes_for("fp16"), A.id_bytes)


@value(nbytes)
def object_store_bytes() -> float:
    """Stored float16 embeddings of every detected object (the query side of a tap), with ids."""
    return est.ivfpq_index_bytes(int(A.corpus_images * A.objects_per_image), vector_bytes_for("fp16"), A.id_bytes)


@value(nbytes)
def object_index_bytes() -> float:
    """One copy of an IVF-PQ index that held every detected object as well as every image."""
    return est.ivfpq_index_bytes(int(A.corpus_images * (1 + A.objects_per_image)), A.pq_code_bytes, A.id_bytes)


@value(nbytes)
def rescore_bytes_per_query() -> float:
    return A.rescored_candidates * vector_bytes_for("fp16")


# --------------------------------------------------------------------------------------------
# The funnel of one request
# --------------------------------------------------------------------------------------------


def ann_candidates_total() -> int:
    return A.ann_candidates_per_shard * index_shards("ivf_pq")


@value(count)
def after_near_duplicates() -> int:
    return round(A.rescored_candidates * (1 - A.near_duplicate_share))


@value(count)
def after_filters() -> int:
    return round(after_near_duplicates() * (1 - A.filtered_share))


# --------------------------------------------------------------------------------------------
# Offline compute: re-embedding, uploads, detection at ingest
# --------------------------------------------------------------------------------------------


def gpu_hours_for(images: float, images_per_second_per_gpu: float) -> float:
    return images / images_per_second_per_gpu / SECONDS_PER_HOUR


@value(lambda v: short(v) + " GPU-hours")
def reembed_gpu_hours() -> float:
    """GPU-hours to embed the whole corpus once with a new model."""
    return gpu_hours_for(A.corpus_images, A.embed_images_per_second_per_gpu)


@value(lambda v: fixed(v, 1) + " days")
def reembed_days() -> float:
    """Wall-clock days for the re-embedding on the GPUs lent to it."""
    return reembed_gpu_hours() / A.backfill_gpus / 24


@value(lambda v: "$" + short(v))
def reembed_cost() -> float:
    return reembed_gpu_hours() * A.gpu_hour_cost


@value(lambda v: fixed(v, 1) + " GPU-hours")
def daily_embed_gpu_hours() -> float:
    """GPU-hours per day to embed the day's uploads."""
    return gpu_hours_for(A.new_images_per_day, A.embed_images_per_second_per_gpu)


@value(lambda v: fixed(v, 1) + " GPU-hours")
def daily_detect_gpu_hours() -> float:
    """GPU-hours per day to detect objects in the day's uploads at ingest."""
    return gpu_hours_for(A.new_images_per_day, A.detect_images_per_second_per_gpu)


@value(lambda v: fixed(v, 1) + " GPU-hours")
def daily_object_embed_gpu_hours() -> float:
    """GPU-hours per day to embed every detected object crop of the day's uploads."""
    return gpu_hours_for(A.new_images_per_day * A.objects_per_image, A.embed_images_per_second_per_gpu)


@value(lambda v: short(v) + " GPU-hours")
def online_detect_gpu_hours_per_day() -> float:
    """GPU-hours per day if the detector ran on every search instead of at ingest."""
    return gpu_hours_for(searches_per_day(), A.detect_images_per_second_per_gpu)


@value(times)
def detect_online_vs_ingest() -> float:
    return online_detect_gpu_hours_per_day() / daily_detect_gpu_hours()


@value(nbytes)
def daily_index_growth_bytes() -> float:
    """What a day's uploads add to one copy of the IVF-PQ index."""
    return est.ivfpq_index_bytes(int(A.new_images_per_day), A.pq_code_bytes, A.id_bytes)


@value(lambda v: fixed(v, 1) + " days")
def days_until_host_full() -> float:
    """Days until the IVF-PQ shards' free memory is used by growth (all shards together)."""
    free = index_shards("ivf_pq") * A.host_index_memory_bytes - index_bytes("ivf_pq")
    return free / daily_index_growth_bytes()


# --------------------------------------------------------------------------------------------
# Training data and human judgements
# --------------------------------------------------------------------------------------------


@value(short)
def engagement_pairs_per_day() -> float:
    """(query crop, engaged result) positive pairs logged per day."""
    return searches_per_day() * A.engaged_search_rate


def judgements_per_evaluation() -> float:
    return A.judged_queries * A.judged_depth * A.raters_per_pair


@value(lambda v: short(v) + " rater-hours")
def rater_hours_per_evaluation() -> float:
    return judgements_per_evaluation() * A.seconds_per_judgement / SECONDS_PER_HOUR


# --------------------------------------------------------------------------------------------
# Latency
# --------------------------------------------------------------------------------------------


@value(ms)
def stage_budget(stage_id: str) -> float:
    return LATENCY.stage(stage_id).budget_ms


@value(pct)
def shard_fanout_over() -> float:
    """Share of requests waiting on at least one shard slower than its budgeted quantile (IVF-PQ)."""
    return 1 - est.fanout_quantile(HOUSE.single_call_quantile, index_shards("ivf_pq"))


@value(pct)
def shard_fanout_over_hnsw() -> float:
    return 1 - est.fanout_quantile(HOUSE.single_call_quantile, index_shards("hnsw_fp16"))


# --------------------------------------------------------------------------------------------
# The box becomes a query
# --------------------------------------------------------------------------------------------


def box_ious(drawn: tuple[float, float, float, float] = DRAWN_BOX) -> list[tuple[str, float]]:
    """Each detected box with its IoU against the ``drawn`` box, best first."""
    scored = [(box_id, iou(drawn, box)) for box_id, _, box in DETECTED_BOXES]
    return sorted(scored, key=lambda pair: pair[1], reverse=True)


def snap_for(drawn: tuple[float, float, float, float]) -> str:
    """The detected box a ``drawn`` box snaps to, or 'drawn' when none overlaps it enough."""
    best, score = box_ious(drawn)[0]
    return best if score >= SNAP_MIN_IOU else "drawn"


@value(lambda v: fixed(v, 2))
def box_iou(box_id: str) -> float:
    for candidate, score in box_ious():
        if candidate == box_id:
            return score
    raise KeyError(f"no detected box {box_id!r}")


@value(plain)
def snapped_box() -> str:
    """The detected box the example's drawn box snaps to, or 'drawn' when no box overlaps enough."""
    return snap_for(DRAWN_BOX)


@value(lambda v: fixed(v, 2))
def snap_min_iou() -> float:
    return SNAP_MIN_IOU


# --------------------------------------------------------------------------------------------
# The worked metric example
# --------------------------------------------------------------------------------------------


@value(count)
def example_relevant_count() -> int:
    return len(JUDGED.relevant())


@value(lambda v: fixed(v, 3))
def example_recall(k: int) -> float:
    return JUDGED.recall(k)


def example_precision(k: int) -> float:
    return JUDGED.precision(k)


@value(lambda v: fixed(v, 3))
def example_ndcg(k: int) -> float:
    """Linear gain, ideal ordering over every judged result (returned or not)."""
    return JUDGED.ndcg(k)


@value(lambda v: fixed(v, 3))
def example_ndcg_exponential(k: int) -> float:
    return JUDGED.ndcg(k, "exponential")


@value(lambda v: fixed(v, 3))
def example_mrr() -> float:
    """MRR over the four shopping queries, the first exact-product match counting."""
    return mean_reciprocal_rank(EXACT_MATCH_QUERIES)


@value(lambda v: fixed(v, 3))
def example_mrr_at(k: int) -> float:
    return mean_reciprocal_rank(EXACT_MATCH_QUERIES, k=k)


# --------------------------------------------------------------------------------------------
# A/B test
# --------------------------------------------------------------------------------------------


@value(count)
def ab_sample_per_arm() -> int:
    return AB.sample_per_arm()


@value(days)
def ab_planned_days() -> int:
    return AB.planned_days()


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


@table
def capacity_table() -> str:
    """Traffic and the online accelerators, average and peak."""
    rows = [
        ("Visual searches per day", "DAU × searches per user", short(searches_per_day()), "—"),
        ("Searches per second", f"per day ÷ {count(HOUSE.seconds_per_day)}; peak × {HOUSE.peak_to_average:g}",
         short(avg_qps()), short(peak_qps())),
        ("Crops embedded online per second", f"searches × {percent(A.drawn_box_share)} with a drawn box",
         short(avg_qps() * A.drawn_box_share), short(peak_box_qps())),
        ("GPUs for online query embedding", f"crops/s ÷ {count(A.embed_images_per_second_per_gpu)} per GPU", "—",
         count(online_embed_gpus())),
        ("GPUs if every search ran the detector", f"searches/s ÷ {count(A.detect_images_per_second_per_gpu)} per GPU",
         "—", count(online_detect_gpus_all())),
        ("Index replicas per shard", f"searches/s ÷ {count(A.shard_qps_per_replica)} per replica", "—",
         count(replicas_per_shard())),
    ]
    return md_table(["Quantity", "Formula", "Average", "Peak"], rows, align="llrr")


@table
def vector_format_table() -> str:
    """Bytes per vector and the corpus's raw vectors in each format."""
    rows = []
    for format_id, label in VECTOR_FORMATS:
        formula = {"fp32": f"{A.embedding_dim} × 4 B", "fp16": f"{A.embedding_dim} × 2 B",
                   "pq": f"{A.pq_code_bytes} sub-quantisers × 1 B", "binary": f"{A.embedding_dim} bits ÷ 8"}[format_id]
        rows.append((label, formula, nbytes(vector_bytes(format_id)), times(compression_vs_fp32(format_id)),
                     nbytes(corpus_vector_bytes(format_id))))
    return md_table(["Format", "Bytes per vector", "Per image", "Smaller than float32",
                     f"{short(A.corpus_images)} images"], rows, align="llrrr")


@table
def dimension_table() -> str:
    """The corpus's vectors at several embedding widths: float formats grow with d, PQ codes do not."""
    rows = []
    for dim in DIMENSION_SWEEP:
        rows.append((f"{dim}" + (" (ours)" if dim == A.embedding_dim else ""),
                     *(nbytes(A.corpus_images * vector_bytes_for(f, dim)) for f in ("fp32", "fp16", "binary")),
                     nbytes(A.corpus_images * vector_bytes_for("pq", dim))))
    return md_table(["Dimensions", "float32", "float16", "binary (1 bit per dimension)",
                     f"PQ, {A.pq_code_bytes}-byte codes"], rows, align="lrrrr")


@table
def index_table() -> str:
    """Index memory, shards, hosts and fleet memory for each layout."""
    formulas = {
        "flat_fp16": f"N × ({A.embedding_dim} × 2 + {A.id_bytes})",
        "hnsw_fp16": f"N × ({A.embedding_dim} × 2 + {A.hnsw_m} × 2 × 4)",
        "ivf_pq": f"N × ({A.pq_code_bytes} + {A.id_bytes})",
        "binary": f"N × ({A.embedding_dim} ÷ 8 + {A.id_bytes})",
    }
    rows = [(label, formulas[layout_id], nbytes(index_bytes(layout_id)), count(index_shards(layout_id)),
             count(index_hosts(layout_id)), nbytes(index_fleet_bytes(layout_id)))
            for layout_id, label in INDEX_LAYOUTS]
    return md_table(
        ["Layout", "Bytes", "One copy", f"Shards ({nbytes(A.host_index_memory_bytes)} per host)",
         f"Hosts (× {count(replicas_per_shard())} replicas)", "Fleet memory"],
        rows, align="llrrrr")


@table
def offline_compute_table() -> str:
    """GPU work outside the request path: re-embedding the corpus and keeping up with uploads."""
    rows = [
        ("Re-embed the whole corpus (new model)",
         f"{short(A.corpus_images)} ÷ {count(A.embed_images_per_second_per_gpu)}/s ÷ 3,600",
         short(reembed_gpu_hours()), f"{fixed(reembed_days(), 1)} days on {count(A.backfill_gpus)} GPUs; "
                                     f"${short(reembed_cost())} at ${plain(A.gpu_hour_cost)}/GPU-hour"),
        ("Embed a day's uploads", f"{short(A.new_images_per_day)} ÷ {count(A.embed_images_per_second_per_gpu)}/s",
         fixed(daily_embed_gpu_hours(), 1), "per day"),
        ("Detect objects in a day's uploads",
         f"{short(A.new_images_per_day)} ÷ {count(A.detect_images_per_second_per_gpu)}/s",
         fixed(daily_detect_gpu_hours(), 1), "per day"),
        ("Embed the detected objects",
         f"{short(A.new_images_per_day)} × {plain(A.objects_per_image)} objects ÷ "
         f"{count(A.embed_images_per_second_per_gpu)}/s",
         fixed(daily_object_embed_gpu_hours(), 1), "per day"),
        ("Detector on every search instead",
         f"{short(searches_per_day())} ÷ {count(A.detect_images_per_second_per_gpu)}/s",
         short(online_detect_gpu_hours_per_day()),
         f"per day: {times(round(detect_online_vs_ingest(), 1))} the ingest cost"),
    ]
    return md_table(["Job", "Formula", "GPU-hours", "Note"], rows, align="llrl")


@table
def training_data_table() -> str:
    """Training pairs logged per day, and the human judging an evaluation needs."""
    rows = [
        ("Engaged searches (positive pairs) per day",
         f"{short(searches_per_day())} × {percent(A.engaged_search_rate)}", short(engagement_pairs_per_day())),
        ("Judgements per evaluation round",
         f"{count(A.judged_queries)} queries × {A.judged_depth} results × {A.raters_per_pair} raters",
         short(judgements_per_evaluation())),
        ("Rater-hours per evaluation round", f"judgements × {plain(A.seconds_per_judgement)} s",
         short(rater_hours_per_evaluation())),
    ]
    return md_table(["Quantity", "Formula", "Value"], rows, align="llr")


@table
def funnel_table() -> str:
    """Candidates at each stage of one request."""
    rows = [
        (f"ANN candidates ({count(index_shards('ivf_pq'))} IVF-PQ shards × {A.ann_candidates_per_shard})",
         count(ann_candidates_total())),
        ("Merged and re-scored exactly (float16)", count(A.rescored_candidates)),
        (f"After near-duplicate removal ({percent(A.near_duplicate_share)} dropped)", count(after_near_duplicates())),
        (f"After policy, safety and availability filters ({percent(A.filtered_share)} dropped)",
         count(after_filters())),
        ("Returned, diversified (one page)", count(A.results_returned)),
    ]
    return md_table(["Stage", "Candidates per request"], rows)


@table
def latency_budget_table() -> str:
    """The per-stage latency budget."""
    return latency.latency_budget_table(LATENCY)


@table
def snapping_table() -> str:
    """The drawn box against each detected box."""
    rows = [(box_id, str(tuple(int(c) for c in box)), fixed(box_iou(box_id), 2),
             "snaps here" if box_id == snapped_box() else "—")
            for box_id, _, box in DETECTED_BOXES]
    return md_table(["Detected object", "Box (x1, y1, x2, y2)", "IoU with the drawn box", "Outcome"], rows,
                    align="llrl")


@table
def metric_example_table() -> str:
    """The judged results of one query, with their grades and DCG terms."""
    return JUDGED.table("Result", "Grade", "grade", "not returned")


@table
def metric_results_table() -> str:
    """Recall, precision and nDCG at several cut-offs for the judged query."""
    rows = [(str(k), fixed(example_recall(k)), fixed(example_precision(k)), fixed(example_ndcg(k)),
             fixed(example_ndcg_exponential(k))) for k in METRIC_KS]
    return md_table(["k", "Recall@k", "Precision@k", "nDCG@k (linear)", "nDCG@k (exponential)"], rows)


@table
def ab_test_table() -> str:
    """The A/B test: sample size per arm and how long it runs."""
    return ab_plan_table(AB)


@table
def interview_timeline_table() -> str:
    """The 45-minute plan for this problem."""
    return plan.interview_plan_table(INTERVIEW_PLAN)


# --------------------------------------------------------------------------------------------
# Practice material (snippets/kit/practice.py): the cheat sheet, the rubric and the drills
# --------------------------------------------------------------------------------------------

GLANCE = Glance(
    surface="A search icon on every image, or a box drawn around one object in it",
    users=Fact("Daily active users", A.daily_active_users, fmt=short),
    traffic=Fact("Visual searches per second at peak", peak_qps),
    latency=Fact("End to end (p99)", A.latency_target_ms, fmt=ms),
    funnel=(
        Fact("Images in the corpus, searched through the sharded index", A.corpus_images, fmt=short),
        Fact("Merged from the shards and re-scored exactly (float16)", A.rescored_candidates, fmt=count),
        Fact("After near-duplicate removal", after_near_duplicates),
        Fact("After policy, safety and availability filters", after_filters),
        Fact("Returned, diversified, on one page", A.results_returned, fmt=count),
    ),
    model="A detector at upload stores boxes and object embeddings; an image encoder with a projection head, "
          "trained with InfoNCE on engagement, human-judged and augmented pairs plus mined hard negatives; "
          "IVF-PQ retrieval over sharded codes; exact float16 re-scoring and a rule-based re-ranker",
    offline_metric="Recall@k and nDCG@k on human-judged (query, result) pairs, MRR of the first exact product for "
                   "shopping queries; the index's recall against exact search at the re-scoring depth",
    online_metric="Share of visual searchers who save a result or click out to a product in the measured week; "
                  "purchases and click-through beside it; p99 latency, safety reports and near-duplicate pages "
                  "as guardrails",
    memory=Fact("IVF-PQ index, one copy (PQ codes and ids; every replica holds its shard)", index_bytes, "ivf_pq"),
    trade_offs=(
        "PQ codes make the index a small fraction of an HNSW graph on float16 vectors, with fewer shards and a "
        "milder fan-out tail, but their distances are approximate: the design pays for exact re-scoring from a "
        "float16 store and must measure the index's recall at the depth it re-scores.",
        "Running the detector once per image at upload takes it off the request path at a fraction of the cost "
        "of detecting on every search, but a box it missed still needs an online crop and encoder pass, and "
        "objects are stored as queries, not indexed as results.",
        "One embedding trained on engagement, human and augmented pairs serves every surface, but each new "
        "encoder is a new vector space: the corpus is re-embedded and two indexes run side by side for the "
        "migration, unless backward-compatible training constrains the new model.",
    ),
)

RUBRIC: tuple[Grade, ...] = (
    Grade("Clarify requirements",
          strong="Asks what \"similar\" means (exact product, same kind and style, near-duplicate) and whether a "
                 "query is a whole image or a drawn box, then fixes corpus size, daily growth, the one-day "
                 "freshness promise, the p99 target and safety filtering as numbers and rules.",
          adequate="Gets scale, latency and freshness, but takes \"similar\" as self-evident or never asks "
                   "about boxes around one object.",
          weak="Proposes \"CNN features and nearest neighbours\" before asking what a good result is or how "
               "large the corpus is."),
    Grade("Frame as an ML task",
          strong="Frames representation learning plus ANN retrieval, compares classification features, "
                 "self-supervised, engagement and human-judged pairs as objectives, and places the detector "
                 "at upload and a re-ranker after retrieval, with embedding distance as the first relevance score.",
          adequate="Chooses an embedding and nearest neighbours, but picks one label source without its bias or "
                   "leaves the box-to-query step vague.",
          weak="Frames it as classifying images into categories, or as a model scoring every image per request."),
    Grade("Back of the envelope",
          strong="Derives peak searches per second, the small GPU fleet for drawn boxes against the much larger "
                 "one online detection would need, float32 against PQ index memory, shards, replicas per shard "
                 "(every query visits every shard) and the hosts that result.",
          adequate="Gets QPS and float32 memory, compresses the vectors, but forgets that replicas multiply shards "
                   "or never sizes the online encoder.",
          weak="Quotes float32 memory for the corpus and stops, or skips the estimate."),
    Grade("Data and training pairs",
          strong="Builds positives from engagement (with exposure, position and hub biases), human-graded pairs "
                 "(also the held-out evaluation set) and augmented views; splits by near-duplicate group; drops "
                 "false negatives sharing a product or near-duplicate group.",
          adequate="Uses engagement pairs and augmentation sensibly, but misses the near-duplicate split or the "
                   "false negatives among in-batch negatives.",
          weak="Trains on clicks alone and evaluates on the same kind of clicks."),
    Grade("Model",
          strong="Writes InfoNCE with in-batch negatives and a temperature, contrasts it with the triplet loss, "
                 "adds mined hard negatives on a schedule to avoid collapse, snaps drawn boxes to stored "
                 "detections by IoU, and trains quantisation (PQ or binary codes) after the encoder.",
          adequate="A pretrained backbone fine-tuned with a contrastive loss, with no plan for hard negatives, "
                   "collapse or the detector's role.",
          weak="A classifier's penultimate layer with no training of its own and no word on the box."),
    Grade("Evaluation",
          strong="Separates the embedding (recall@k, nDCG@k, MRR on judged pairs), the index (recall against "
                 "exact search at the re-scoring depth) and the detector (snap rate), and sizes the A/B test on "
                 "saves and click-outs, whose duration comes from novelty and a measured week, not enrolment.",
          adequate="Names recall@k offline and an A/B test on engagement, without the index's own recall or a size.",
          weak="Accuracy of a classifier, or \"we would A/B test it\" with no metric."),
    Grade("Serving and monitoring",
          strong="Splits the p99 budget by stage, explains the fan-out tail across shards, caches pages for "
                 "popular images, meets freshness with a delta index, versions every artefact by encoder, and "
                 "plans re-embedding as a backfill with dual indexes; monitors ANN recall, hubs and norms.",
          adequate="Draws the request path with an index and a re-ranker, but no latency split or no plan for "
                   "changing the embedding.",
          weak="Rebuilds the index nightly with no freshness path, and swaps the encoder in place."),
    Grade("Wrap-up and trade-offs",
          strong="Names IVF-PQ against HNSW, detection at upload against per search, and one embedding against "
                 "its migration cost, with when each other choice wins, and proposes a learned re-ranker next.",
          adequate="Summarises the design without saying what it gave up.",
          weak="Runs out of time before any summary."),
)


def _peak_steps(a: Assumptions) -> list[Step]:
    return peak_steps(a.daily_active_users, a.visual_searches_per_user_per_day, "visual searches", "searches")


def _embed_gpu_steps(a: Assumptions) -> list[Step]:
    steps = _peak_steps(a)
    crops = steps[-1].value * a.drawn_box_share
    return steps + [
        Step("Crops embedded online per second", f"peak × {percent(a.drawn_box_share)} with a drawn box", crops,
             short),
        Step("Encoder GPUs at peak", f"crops ÷ {count(a.embed_images_per_second_per_gpu)} per GPU, rounded up",
             est.accelerators_needed(crops, a.embed_images_per_second_per_gpu), count),
    ]


def _detect_gpu_steps(a: Assumptions) -> list[Step]:
    steps = _peak_steps(a)
    return steps + [
        Step("Detector GPUs if every search ran it",
             f"peak ÷ {count(a.detect_images_per_second_per_gpu)} images per GPU, rounded up",
             est.accelerators_needed(steps[-1].value, a.detect_images_per_second_per_gpu), count),
    ]


def _ivfpq_bytes(a: Assumptions) -> float:
    return est.ivfpq_index_bytes(int(a.corpus_images), a.pq_code_bytes, a.id_bytes)


def _ivfpq_steps(a: Assumptions) -> list[Step]:
    one_copy = _ivfpq_bytes(a)
    return [
        Step("One copy of the IVF-PQ index", f"{short(a.corpus_images)} images × ({count(a.pq_code_bytes)} B code + "
             f"{count(a.id_bytes)} B id)", one_copy, nbytes),
        Step("Shards", f"÷ {nbytes(a.host_index_memory_bytes)} per host, rounded up",
             est.shards_needed(one_copy, a.host_index_memory_bytes), count),
    ]


def _replica_steps(a: Assumptions) -> list[Step]:
    steps = _peak_steps(a)
    return steps + [
        Step("Replicas per shard (every query visits every shard)",
             f"peak ÷ {count(a.shard_qps_per_replica)} queries per replica, rounded up",
             est.replicas_needed(steps[-1].value, a.shard_qps_per_replica), count),
    ]


def _ivfpq_host_steps(a: Assumptions) -> list[Step]:
    index, replicas = _ivfpq_steps(a), _replica_steps(a)
    return index + replicas + [
        Step("Index hosts", "shards × replicas per shard", index[-1].value * replicas[-1].value, count),
    ]


def _hnsw_host_steps(a: Assumptions) -> list[Step]:
    graph = est.hnsw_index_bytes(int(a.corpus_images), a.embedding_dim, a.hnsw_m, 2)
    shards = est.shards_needed(graph, a.host_index_memory_bytes)
    replicas = _replica_steps(a)
    return [
        Step("One copy of the HNSW graph on float16",
             f"{short(a.corpus_images)} images × ({count(a.embedding_dim)} dims × 2 B + {count(a.hnsw_m)} links "
             "× 2 × 4 B)", graph, nbytes),
        Step("Shards", f"÷ {nbytes(a.host_index_memory_bytes)} per host, rounded up", shards, count),
        *replicas,
        Step("Index hosts", "shards × replicas per shard", shards * replicas[-1].value, count),
    ]


def _fleet_steps(a: Assumptions) -> list[Step]:
    index, replicas = _ivfpq_steps(a), _replica_steps(a)
    return [index[0], *replicas,
            Step("RAM across the fleet", "one copy × replicas per shard", index[0].value * replicas[-1].value, nbytes)]


def _fanout_steps(a: Assumptions) -> list[Step]:
    index = _ivfpq_steps(a)
    shards = index[-1].value
    return index + [
        Step("Requests waiting on a shard slower than its budget",
             f"1 − {fixed(HOUSE.single_call_quantile, 2)} ^ {count(shards)} shards "
             f"(each budgeted at its {percentile(HOUSE.single_call_quantile)})",
             1 - est.fanout_quantile(HOUSE.single_call_quantile, shards), pct),
    ]


def _growth_steps(a: Assumptions) -> list[Step]:
    index = _ivfpq_steps(a)
    free = index[-1].value * a.host_index_memory_bytes - index[0].value
    growth = est.ivfpq_index_bytes(int(a.new_images_per_day), a.pq_code_bytes, a.id_bytes)
    return index + [
        Step("Free index memory on the shards", f"{count(index[-1].value)} shards × "
             f"{nbytes(a.host_index_memory_bytes)} − one copy", free, nbytes),
        Step("Index growth per day", f"{short(a.new_images_per_day)} uploads × ({count(a.pq_code_bytes)} B + "
             f"{count(a.id_bytes)} B)", growth, nbytes),
        Step("Days until the shards are full", "free ÷ growth per day", free / growth, lambda v: fixed(v, 1) + " days"),
    ]


def _reembed_steps(a: Assumptions) -> list[Step]:
    hours = gpu_hours_for(a.corpus_images, a.embed_images_per_second_per_gpu)
    return [
        Step("Encoder time for the whole corpus",
             f"{short(a.corpus_images)} images ÷ {count(a.embed_images_per_second_per_gpu)} per second per GPU ÷ "
             f"{count(SECONDS_PER_HOUR)} s", hours, lambda v: short(v) + " GPU-hours"),
        Step("Wall-clock time", f"÷ {count(a.backfill_gpus)} lent GPUs ÷ 24 h", hours / a.backfill_gpus / 24,
             lambda v: fixed(v, 1) + " days"),
    ]


def _rescore_steps(a: Assumptions) -> list[Step]:
    width = vector_bytes_for("fp16", a.embedding_dim)
    return [
        Step("One float16 vector", f"{count(a.embedding_dim)} dims × 2 B", width, nbytes),
        Step("Read from the re-scoring store per query", f"{count(a.rescored_candidates)} candidates × one vector",
             a.rescored_candidates * width, nbytes),
    ]


def _rater_steps(a: Assumptions) -> list[Step]:
    judgements = a.judged_queries * a.judged_depth * a.raters_per_pair
    return [
        Step("Judgements per evaluation round", f"{count(a.judged_queries)} queries × {count(a.judged_depth)} "
             f"results × {count(a.raters_per_pair)} raters", judgements, short),
        Step("Rater time", f"× {plain(a.seconds_per_judgement)} s ÷ {count(SECONDS_PER_HOUR)} s",
             judgements * a.seconds_per_judgement / SECONDS_PER_HOUR, lambda v: short(v) + " rater-hours"),
    ]


def _ab_plan(a: Assumptions) -> ABPlan:
    return ABPlan(metric=AB.metric, baseline_rate=a.ab_baseline_rate, relative_mde=a.ab_relative_mde,
                  daily_users=a.daily_active_users * a.visual_search_user_share,
                  traffic_fraction=a.ab_traffic_fraction, measured_days=a.ab_measured_days)


def _ab_sample_steps(a: Assumptions) -> list[Step]:
    return ab_sample_steps(_ab_plan(a), "Visual searchers per arm")


def _ab_days_steps(a: Assumptions) -> list[Step]:
    return ab_days_steps(_ab_plan(a), "Visual searchers per arm", entering=(
        "Visual searchers entering the test per day", f"{short(a.daily_active_users)} users × "
        f"{percent(a.visual_search_user_share)} who search × {percent(a.ab_traffic_fraction)}"))


def _ann_budget_steps(a: Assumptions) -> list[Step]:
    return stage_budget_steps(a.latency_target_ms, LATENCY_SHARES, "ann", "ANN search and merge budget")


DRILLS: tuple[Drill, ...] = (
    Drill("Twice the users", "The platform doubles its daily users. How many visual searches per second must the "
          "request path serve at peak?", {"daily_active_users": 400e6}, _peak_steps, peak_qps),
    Drill("Boxes everywhere", "A redesign makes drawing a box the default gesture, so twice the share of searches "
          "carries a box no stored detection matches. How many encoder GPUs at peak?",
          {"drawn_box_share": 0.60}, _embed_gpu_steps, online_embed_gpus),
    Drill("Detection on every search", "Product wants fresh boxes on every request, with a heavier detector at "
          "well under half the throughput. How many detector GPUs would the request path need at peak?",
          {"detect_images_per_second_per_gpu": 60}, _detect_gpu_steps, online_detect_gpus_all),
    Drill("Four times the corpus", "The platform imports a partner's archive and the corpus quadruples. How many "
          "index hosts does IVF-PQ need, shards times replicas?", {"corpus_images": 20_000_000_000},
          _ivfpq_host_steps, index_hosts, "ivf_pq"),
    Drill("Slower replicas", "The load test shows one shard replica serving far fewer queries per second than "
          "planned. How many IVF-PQ index hosts now?", {"shard_qps_per_replica": 400}, _ivfpq_host_steps,
          index_hosts, "ivf_pq"),
    Drill("Wider vectors in a graph", "Recall on the judged set improves at double the embedding width, and "
          "someone suggests HNSW for its recall. How many hosts would the HNSW layout take?",
          {"embedding_dim": 512}, _hnsw_host_steps, index_hosts, "hnsw_fp16"),
    Drill("Shorter codes", "The PQ code shrinks to half its bytes with acceptable recall after re-scoring. How "
          "much RAM does the whole IVF-PQ fleet hold?", {"pq_code_bytes": 32}, _fleet_steps, index_fleet_bytes,
          "ivf_pq"),
    Drill("Smaller hosts", "The only hosts available have far less memory for the index. What share of requests "
          "waits on at least one shard slower than its budget?", {"host_index_memory_bytes": 96e9}, _fanout_steps,
          shard_fanout_over),
    Drill("An upload boom", "A new sharing feature quadruples uploads. How many days until the IVF-PQ shards' "
          "free memory is gone?", {"new_images_per_day": 80e6}, _growth_steps, days_until_host_full),
    Drill("A bigger encoder", "The new encoder is a larger transformer at a quarter of the throughput. How long "
          "does re-embedding the corpus take on the lent GPUs?", {"embed_images_per_second_per_gpu": 250},
          _reembed_steps, reembed_days),
    Drill("Deeper re-scoring", "Recall against exact search is short, so the re-ranker re-scores more than twice "
          "as many candidates. How many bytes does each query read from the float16 store?",
          {"rescored_candidates": 1_000}, _rescore_steps, rescore_bytes_per_query),
    Drill("A deeper judged set", "The evaluation set grows to more queries, each judged deeper. How many "
          "rater-hours does one evaluation round cost?", {"judged_queries": 5_000, "judged_depth": 30},
          _rater_steps, rater_hours_per_evaluation),
    Drill("A smaller lift", "The new embedding is expected to move saves and click-outs by half the planned "
          "effect. How many visual searchers per arm?", {"ab_relative_mde": 0.005}, _ab_sample_steps,
          ab_sample_per_arm),
    Drill("Little test traffic", "Three other experiments share visual search, so this test gets a tiny slice of "
          "searchers. How many days must it run?", {"ab_traffic_fraction": 0.002}, _ab_days_steps, ab_planned_days),
    Drill("A tighter page", "The app team cuts the end-to-end target for visual search. How long may the ANN "
          "search and merge take now?", {"latency_target_ms": 120}, _ann_budget_steps, stage_budget, "ann"),
)
