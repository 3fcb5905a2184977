"""Back-of-the-envelope estimation reference: the calculators and every number the page shows.

The page ``docs/reference/estimation.md`` teaches the formulas of ``snippets.kit.estimation`` with one
computed table per calculator: QPS across a range of products, embedding storage by precision, ANN
index memory, GPUs for a frame-embedding workload, training-data volume with negative downsampling,
the fan-out tail, and latency-budget arithmetic. The formulas live in the chapter kit
(``snippets.kit``); this module holds the page's assumptions, its illustrative sweeps and what the
page shows. The house rules (seconds per day, peak-to-average factor, the p99 each parallel call is
budgeted at) come from ``snippets.kit.house``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from snippets.kit import estimation as est
from snippets.kit import latency
from snippets.kit.assume import PROBLEM, assume, cited, design, thumb
from snippets.kit.display import (
    count, fixed, md_table, ms, nbytes, percent, percentile, plain, share, short, times,
)
from snippets.kit.house import HOUSE
from snippets.kit.latency import LatencyBudget, Stage
from snippets.kit.show import table, value


@dataclass(frozen=True)
class Assumptions:
    """The calculators' inputs. Illustrative round numbers unless a source is given."""

    # Traffic: the consumer home feed, the running example of the traffic and training sections.
    feed_daily_active_users: float = assume(
        200_000_000, "Home feed daily active users (traffic and training examples)", short,
        thumb("illustrative, not any company's figure"),
    )
    feed_loads_per_user: float = assume(
        10, "Home feed loads per user per day", plain, thumb("illustrative, not any company's figure")
    )
    # Storage and index memory.
    storage_dim: int = assume(
        256, "Embedding dimension (storage tables)", count, thumb("a common embedding width")
    )
    example_vectors: int = assume(
        1_000_000_000, "Vectors in the worked example", short, design("the corpus the text works through")
    )
    example_hnsw_m: int = assume(
        32, "HNSW links per node M (worked example)", count, thumb("inside the Faiss guideline range 4-64")
    )
    example_pq_code_bytes: int = assume(
        64, "PQ code size in the worked example (bytes)", count, design("64 sub-quantisers of 8 bits")
    )
    pq_id_bytes: int = assume(
        8, "Id size per vector in the IVF lists (bytes)", count, thumb("a 64-bit integer")
    )
    host_memory_bytes: float = assume(
        256e9, "Memory per index host", nbytes, thumb("RAM one large host can give an index")
    )
    # Frame embedding.
    upload_hours_per_minute: float = assume(
        100, "Hours of video uploaded per minute", plain, cited("YouTube, May 2013", "youtube2013")
    )
    upload_growth: float = assume(
        5, "Hypothetical growth of uploads over 2013", plain, design("a what-if, not a source")
    )
    images_per_second_per_gpu: float = assume(
        1_000, "Images embedded per second per GPU", short, thumb("a ViT-B-class encoder, batched; load-test")
    )
    gpu_target_utilisation: float = assume(
        0.6, "Target GPU utilisation", percent, thumb("headroom for bursts, decoding stalls and retries")
    )
    frame_embedding_dim: int = assume(
        512, "Frame embedding dimension", count, thumb("a CLIP-style image embedding")
    )
    frame_embedding_precision: str = assume(
        "fp16", "Frame embedding precision", str, thumb("halves fp32, rarely costs recall")
    )
    # Training data (the home feed's users).
    sessions_per_user: float = assume(5, "Training: sessions per user per day", plain, thumb())
    impressions_per_session: float = assume(
        20, "Training: impressions per session", plain, thumb("items scrolled past per session")
    )
    click_through_rate: float = assume(
        0.02, "Training: click-through rate", percent, thumb("clicks per impression")
    )
    bytes_per_training_row: float = assume(
        1_000, "Training: bytes per row", nbytes, thumb("a few hundred features, compressed")
    )
    negatives_per_positive: float = assume(
        1, "Training: negatives per positive after downsampling", plain, design("balanced classes")
    )
    example_keep_rate: float = assume(
        0.1, "Recalibration example: negatives kept", percent, design("a row of the recalibration table")
    )
    example_model_output: float = assume(
        0.5, "Recalibration example: raw model output", plain, design("a column of the recalibration table")
    )
    # Fan-out and the latency budget.
    fanout_example_calls: int = assume(
        100, "Fan-out example: parallel calls", count, design("a row of the fan-out table")
    )
    stricter_call_quantile: float = assume(
        0.999, "Stricter per-call quantile in the fan-out table", percentile,
        design("the next common percentile"),
    )
    # Graph fan-out.
    graph_median_degree: float = assume(
        200, "Median connections per member (graph fan-out table)", count, thumb("illustrative, not any network's figure")
    )
    graph_expansion_cap: float = assume(
        500, "Connections expanded per neighbour, at most (graph fan-out table)", count, design("a row of the table")
    )
    latency_target_ms: float = assume(200, "Latency target (illustrative search request)", ms, PROBLEM)
    ann_shards: int = assume(20, "ANN shards in the latency example", count, thumb())


ASSUMPTIONS = Assumptions()
A = ASSUMPTIONS


@dataclass(frozen=True)
class Product:
    """An illustrative product surface for the QPS calculator (not any real company's figures)."""

    id: str
    name: str
    daily_active_users: float
    requests_per_user_per_day: float
    what_a_request_is: str


@dataclass(frozen=True)
class Precision:
    """A number format for stored embeddings: bytes per value are exact by definition."""

    id: str
    bytes_per_value: float

    @property
    def label(self) -> str:
        return f"{self.id} ({Fraction(self.bytes_per_value).limit_denominator(64)} B)"


#: Illustrative products spanning six orders of magnitude of traffic (rule of thumb). None is a
#: real company's figure; they show how the arithmetic scales.
PRODUCTS: tuple[Product, ...] = (
    Product("analytics", "Internal analytics tool", 5_000, 20, "a dashboard query"),
    Product("marketplace", "Regional marketplace search", 2_000_000, 8, "a search"),
    Product("rentals", "Vacation-rental listing page", 20_000_000, 15, "a similar-listings call"),
    Product("home_feed", "Consumer app home feed", A.feed_daily_active_users, A.feed_loads_per_user,
            "a feed load"),
    Product("video", "Global video homepage", 500_000_000, 6, "a homepage load"),
    Product("ads", "Ads on a global feed", 1_000_000_000, 30, "an ad request"),
)

#: Corpus sizes of the storage and index tables.
VECTOR_COUNTS: tuple[int, ...] = (1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000)
PRECISIONS: tuple[Precision, ...] = (
    Precision("fp32", 4), Precision("fp16", 2), Precision("int8", 1), Precision("binary", 1 / 8),
)
HNSW_MS: tuple[int, ...] = (16, 32, 64)  # inside the Faiss guideline range 4 <= M <= 64
PQ_CODE_BYTES: tuple[int, ...] = (16, 32, 64)  # PQ with 16, 32 or 64 sub-quantisers of 8 bits
#: Frames sampled per second of video: one every 5 s, one per second, four per second (rule of thumb).
FRAME_SAMPLING_RATES: tuple[float, ...] = (0.2, 1.0, 4.0)
#: The recalibration table: negative keep rates w (rows) and raw model outputs p (columns).
NEGATIVE_KEEP_RATES: tuple[float, ...] = (1.0, 0.5, 0.1, 0.02)
MODEL_OUTPUTS: tuple[float, ...] = (0.05, 0.2, 0.5, 0.9)
FANOUT_CALLS: tuple[int, ...] = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)

#: The illustrative search request; no primary source gives per-stage splits (rule of thumb).
LATENCY = LatencyBudget(A.latency_target_ms, (
    Stage("network", "Network in and out, gateway", 30),
    Stage("query", "Query understanding", 10),
    Stage("retrieval", "Candidate retrieval (parallel)",
          branches=(("ANN over embeddings", 25), ("Keyword index", 20), ("Popular-items cache", 5))),
    Stage("features", "Feature fetch", 15),
    Stage("ranking", "Ranking model", 60),
    Stage("rerank", "Re-ranking and business rules", 10),
))


# --------------------------------------------------------------------------------------------
# Traffic
# --------------------------------------------------------------------------------------------


def product(product_id: str) -> Product:
    for candidate in PRODUCTS:
        if candidate.id == product_id:
            return candidate
    raise KeyError(f"no product {product_id!r} (products: {', '.join(p.id for p in PRODUCTS)})")


@value(short)
def average_qps(product_id: str) -> float:
    chosen = product(product_id)
    return est.average_qps(chosen.daily_active_users, chosen.requests_per_user_per_day)


@value(short)
def peak_qps(product_id: str) -> float:
    return est.peak_qps(average_qps(product_id), HOUSE.peak_to_average)


# --------------------------------------------------------------------------------------------
# Storage and index memory
# --------------------------------------------------------------------------------------------


def bytes_per_value(precision_id: str) -> float:
    for precision in PRECISIONS:
        if precision.id == precision_id:
            return precision.bytes_per_value
    raise KeyError(f"no precision {precision_id!r} (precisions: {', '.join(p.id for p in PRECISIONS)})")


@value(nbytes)
def example_embedding_bytes(precision_id: str) -> float:
    """The worked example's vectors at one precision."""
    return est.embedding_bytes(A.example_vectors, A.storage_dim, bytes_per_value(precision_id))


@value(plain)
def binary_saving() -> float:
    """How many times smaller binary codes are than fp32 vectors."""
    return bytes_per_value("fp32") / bytes_per_value("binary")


@value(count)
def vector_bytes() -> float:
    """One fp32 vector of the storage dimension."""
    return est.embedding_bytes(1, A.storage_dim, bytes_per_value("fp32"))


@value(count)
def hnsw_link_bytes() -> int:
    """HNSW links per vector at the example's M: M x 2 links x 4 bytes."""
    return A.example_hnsw_m * 2 * est.HNSW_LINK_BYTES


@value(nbytes)
def example_hnsw_bytes() -> float:
    return est.hnsw_index_bytes(A.example_vectors, A.storage_dim, A.example_hnsw_m, bytes_per_value("fp32"))


@value(nbytes)
def example_ivfpq_bytes() -> float:
    return est.ivfpq_index_bytes(A.example_vectors, A.example_pq_code_bytes, A.pq_id_bytes)


# --------------------------------------------------------------------------------------------
# Frame embedding
# --------------------------------------------------------------------------------------------


@value(count)
def video_seconds_per_second(growth: float = 1.0) -> float:
    """Seconds of video arriving per wall-clock second: hours per minute x 3,600 s / 60 s."""
    if growth <= 0:
        raise ValueError(f"growth must be > 0, got {growth!r}")
    return A.upload_hours_per_minute * growth * 3_600 / 60


@value(short)
def frames_per_second(sampling_rate: float, growth: float = 1.0) -> float:
    """Frames to embed per wall-clock second: video seconds per second x frames sampled per video second."""
    if sampling_rate < 0:
        raise ValueError(f"sampling_rate must be >= 0, got {sampling_rate!r}")
    return video_seconds_per_second(growth) * sampling_rate


@value(count)
def gpus_needed(sampling_rate: float, growth: float = 1.0) -> int:
    return est.accelerators_needed(
        frames_per_second(sampling_rate, growth), A.images_per_second_per_gpu, A.gpu_target_utilisation
    )


def frame_embedding_bytes_per_day(sampling_rate: float, growth: float = 1.0) -> float:
    frames_per_day = round(frames_per_second(sampling_rate, growth) * HOUSE.seconds_per_day)
    width = bytes_per_value(A.frame_embedding_precision)
    return est.embedding_bytes(frames_per_day, A.frame_embedding_dim, width)


# --------------------------------------------------------------------------------------------
# Training data volume
# --------------------------------------------------------------------------------------------


@value(short)
def impressions_per_day() -> float:
    return est.impressions_per_day(A.feed_daily_active_users, A.sessions_per_user, A.impressions_per_session)


@value(short)
def positives_per_day() -> float:
    return est.training_rows_per_day(impressions_per_day(), A.click_through_rate, negative_keep_rate=0.0)


def negatives_per_day() -> float:
    return impressions_per_day() - positives_per_day()


@value(lambda w: percent(w, 2))
def negative_keep_rate() -> float:
    return est.negative_keep_rate_for_ratio(A.click_through_rate, A.negatives_per_positive)


@value(short)
def training_rows_per_day() -> float:
    return est.training_rows_per_day(impressions_per_day(), A.click_through_rate, negative_keep_rate())


@value(share)
def training_share_of_impressions() -> float:
    return training_rows_per_day() / impressions_per_day()


@value(percent)
def training_positive_rate() -> float:
    return positives_per_day() / training_rows_per_day()


@value(lambda q: fixed(q, 3))
def recalibrated_example() -> float:
    return est.recalibrate_downsampled(A.example_model_output, A.example_keep_rate)


# --------------------------------------------------------------------------------------------
# Fan-out and the latency budget
# --------------------------------------------------------------------------------------------


@value(share)
def fanout_within() -> float:
    """Share of requests whose every call of the example finishes within its p99."""
    return est.fanout_quantile(HOUSE.single_call_quantile, A.fanout_example_calls)


@value(share)
def fanout_over() -> float:
    return 1 - fanout_within()


@value(lambda q: percentile(q, 3))
def required_call_quantile() -> float:
    """The per-call quantile that keeps the example's request at its p99."""
    return est.required_call_quantile(HOUSE.single_call_quantile, A.fanout_example_calls)


@value(count)
def fanout_max_calls() -> int:
    return max(FANOUT_CALLS)


@value(share)
def fanout_max_within_stricter() -> float:
    """Share of requests whose every call of the largest fan-out finishes within the stricter quantile."""
    return est.fanout_quantile(A.stricter_call_quantile, fanout_max_calls())


@value(ms)
def stage_budget(stage_id: str) -> float:
    return LATENCY.stage(stage_id).budget_ms


@value(ms)
def latency_total_ms() -> float:
    return LATENCY.total_ms()


@value(ms)
def latency_headroom_ms() -> float:
    return LATENCY.headroom_ms()


@value(ms)
def latency_naive_total_ms() -> float:
    """The slip of adding parallel branches as if they ran one after another."""
    return float(sum(sum(b for _, b in s.branches) if s.branches else s.milliseconds for s in LATENCY.stages))


@value(share)
def shards_within() -> float:
    """Share of requests whose every ANN shard answers within its p99."""
    return est.fanout_quantile(HOUSE.single_call_quantile, A.ann_shards)


@value(lambda q: percentile(q, 2))
def shards_required_quantile() -> float:
    return est.required_call_quantile(HOUSE.single_call_quantile, A.ann_shards)


#: Log-normal spreads (sigma of ln degree) the graph fan-out table compares: from a narrow
#: distribution to a long tail.
GRAPH_SPREADS: tuple[float, ...] = (0.5, 1.0, 1.5)


def graph_mean_degree(spread: float) -> float:
    return est.lognormal_partial_moment(A.graph_median_degree, spread, 1)


@value(count)
def graph_neighbour_mean(spread: float) -> float:
    """Mean degree of a neighbour, E[d^2] / E[d], for a log-normal with this spread."""
    second = est.lognormal_partial_moment(A.graph_median_degree, spread, 2)
    return est.mean_neighbour_degree(graph_mean_degree(spread), second)


@value(short)
def graph_two_hop_paths(spread: float) -> float:
    """Two-hop paths of a member with the median degree."""
    return est.two_hop_paths(A.graph_median_degree, graph_neighbour_mean(spread))


@value(short)
def graph_naive_two_hop() -> float:
    return A.graph_median_degree**2


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


@table
def qps_table() -> str:
    """Average and peak QPS for the illustrative products."""
    rows = [
        (
            p.name,
            short(p.daily_active_users),
            f"{plain(p.requests_per_user_per_day)} ({p.what_a_request_is})",
            short(p.daily_active_users * p.requests_per_user_per_day),
            short(average_qps(p.id)),
            short(peak_qps(p.id)),
        )
        for p in PRODUCTS
    ]
    return md_table(
        ["Product (illustrative)", "Daily users", "Requests per user per day", "Requests per day",
         "Average QPS", f"Peak QPS ({times(HOUSE.peak_to_average)})"],
        rows,
        align="lrlrrr",
    )


@table
def embedding_storage_table() -> str:
    """Raw embedding storage for 1M to 10B vectors at each precision."""
    rows = [
        (f"{short(n)} vectors",) + tuple(nbytes(est.embedding_bytes(n, A.storage_dim, p.bytes_per_value))
                                         for p in PRECISIONS)
        for n in VECTOR_COUNTS
    ]
    return md_table([f"{A.storage_dim}-d embeddings"] + [p.label for p in PRECISIONS], rows)


@table
def index_memory_table() -> str:
    """Index memory: flat (raw fp32 vectors), HNSW for several M, IVF-PQ for several code sizes."""
    fp32, dim = bytes_per_value("fp32"), A.storage_dim
    rows = []
    for n in VECTOR_COUNTS:
        row = [short(n), nbytes(est.embedding_bytes(n, dim, fp32))]
        row += [nbytes(est.hnsw_index_bytes(n, dim, m, fp32)) for m in HNSW_MS]
        row += [nbytes(est.ivfpq_index_bytes(n, code, A.pq_id_bytes)) for code in PQ_CODE_BYTES]
        rows.append(row)
    headers = ["Vectors", "Flat fp32"] + [f"HNSW M={m}" for m in HNSW_MS]
    headers += [f"IVF-PQ {code} B" for code in PQ_CODE_BYTES]
    return md_table(headers, rows)


@table
def index_hosts_table() -> str:
    """Hosts needed to hold one copy of each index at the largest two corpus sizes."""
    fp32, dim, m, code = bytes_per_value("fp32"), A.storage_dim, A.example_hnsw_m, A.example_pq_code_bytes
    rows = []
    for n in VECTOR_COUNTS[-2:]:
        options = (
            ("Flat (fp32)", est.embedding_bytes(n, dim, fp32)),
            (f"HNSW M={m}", est.hnsw_index_bytes(n, dim, m, fp32)),
            (f"IVF-PQ {code} B", est.ivfpq_index_bytes(n, code, A.pq_id_bytes)),
        )
        for name, size in options:
            hosts = est.shards_needed(size, A.host_memory_bytes)
            rows.append((f"{short(n)} vectors", name, nbytes(size), count(hosts)))
    headers = ["Corpus", "Index", "Memory", f"Hosts at {nbytes(A.host_memory_bytes)} each"]
    return md_table(headers, rows, align="llrr")


@table
def frame_embedding_table() -> str:
    """Frames per second and GPUs for embedding sampled frames of uploaded video."""
    rows = []
    for growth in (1.0, A.upload_growth):
        hours = A.upload_hours_per_minute * growth
        label = f"{plain(hours)} h/min" + (" (cited, 2013)" if growth == 1.0 else " (hypothetical)")
        for rate in FRAME_SAMPLING_RATES:
            frames = frames_per_second(rate, growth)
            rows.append((
                label,
                plain(rate),
                short(frames),
                short(frames * HOUSE.seconds_per_day),
                count(gpus_needed(rate, growth)),
                nbytes(frame_embedding_bytes_per_day(rate, growth)),
            ))
    return md_table(
        ["Upload rate", "Frames sampled per video second", "Frames per second", "Frames per day",
         "GPUs", f"Embeddings per day ({A.frame_embedding_dim}-d {A.frame_embedding_precision})"],
        rows,
        align="lrrrrr",
    )


@table
def training_volume_table() -> str:
    """Training rows per day before and after downsampling negatives to the target ratio."""
    kept = training_rows_per_day() - positives_per_day()
    per_row = A.bytes_per_training_row
    rows = [
        ("Impressions (candidate rows)", "DAU × sessions × impressions per session",
         short(impressions_per_day()), nbytes(impressions_per_day() * per_row)),
        ("Positives (clicks)", "impressions × CTR", short(positives_per_day()), "—"),
        ("Negatives", "impressions − positives", short(negatives_per_day()), "—"),
        (f"Negatives kept (w = {percent(negative_keep_rate(), 2)})", "negatives × w", short(kept), "—"),
        ("Training rows after downsampling", "positives + kept negatives", short(training_rows_per_day()),
         nbytes(training_rows_per_day() * per_row)),
    ]
    headers = ["Quantity per day", "Formula", "Rows", f"Bytes at {nbytes(per_row)}/row"]
    return md_table(headers, rows, align="llrr")


@table
def recalibration_table() -> str:
    """True-rate estimate q for raw outputs p of models trained at several negative keep rates w."""
    rows = [
        (f"w = {percent(w)}",) + tuple(fixed(est.recalibrate_downsampled(p, w), 3) for p in MODEL_OUTPUTS)
        for w in NEGATIVE_KEEP_RATES
    ]
    return md_table(["Negatives kept in training"] + [f"p = {plain(p)}" for p in MODEL_OUTPUTS], rows)


@table
def graph_fanout_table() -> str:
    """Two-hop paths of a median member as the degree distribution's tail grows."""
    median = A.graph_median_degree
    rows = []
    for spread in GRAPH_SPREADS:
        capped = est.capped_neighbour_expansion(median, spread, A.graph_expansion_cap)
        rows.append((plain(spread), count(graph_mean_degree(spread)), count(graph_neighbour_mean(spread)),
                     short(graph_naive_two_hop()), short(graph_two_hop_paths(spread)),
                     short(est.two_hop_paths(median, capped))))
    return md_table(["Spread σ", "Mean degree", "Neighbour mean E[d²]/E[d]", "Naive d × d",
                     "Paths d × (neighbour mean − 1)", f"Expanding ≤ {count(A.graph_expansion_cap)} per neighbour"],
                    rows, align="rrrrrr")


@table
def fanout_table() -> str:
    """Share of requests whose n parallel calls all finish within p99 / p99.9, and the quantile needed."""
    quantiles = (HOUSE.single_call_quantile, A.stricter_call_quantile)
    target = HOUSE.single_call_quantile
    rows = []
    for n in FANOUT_CALLS:
        row = [count(n)]
        for q in quantiles:
            within = est.fanout_quantile(q, n)
            row += [share(within), share(1 - within)]
        row.append(percentile(est.required_call_quantile(target, n), 3))
        rows.append(row)
    headers = ["Parallel calls"]
    for q in quantiles:
        headers += [f"All within {percentile(q)}", f"At least one over {percentile(q)}"]
    headers.append(f"Per-call quantile for a request {percentile(target)}")
    return md_table(headers, rows)


@table
def latency_budget_table() -> str:
    """The illustrative search request: serial stages add, parallel branches take the slowest."""
    return latency.latency_budget_table(LATENCY)
