"""Video search: the assumptions and every number the chapter shows.

A text query returns a ranked page of videos from a corpus of a billion. Two retrieval paths run in
parallel (BM25 over an inverted index of titles, descriptions, captions and transcripts; a dual
encoder whose video side embeds sampled frames), their lists are fused by reciprocal rank fusion and
a ranking model orders the survivors. This module states the problem's numbers and our assumptions
once, and computes the traffic, the two indexes' sizes, the video-processing bill (frames, speech,
accelerator-hours), the funnel, the latency budget, the A/B test, the worked metric example and the
two formulas the chapter teaches (Lucene's BM25 and reciprocal rank fusion).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from snippets.kit import estimation as est
from snippets.kit import latency, plan
from snippets.kit.abtest import ABPlan, ab_plan_table
from snippets.kit.assume import PROBLEM, assume, cited, design, thumb
from snippets.kit.display import count, days, fixed, md_table, minutes, ms, nbytes, percent, plain, short, times
from snippets.kit.house import HOUSE
from snippets.kit.metrics import mean_reciprocal_rank
from snippets.kit.plan import Phase
from snippets.kit.practice import Drill, Fact, Glance, Grade, Step
from snippets.kit.retrieval import Source, total_candidates
from snippets.kit.show import table, value
from snippets.kit.worked import GradedList


@dataclass(frozen=True)
class Assumptions:
    """Every input of the chapter's arithmetic: the problem statement's numbers, then ours."""

    # -- The problem statement
    corpus_videos: float = assume(1e9, "Videos in the corpus", short, PROBLEM)
    upload_hours_per_minute: float = assume(500, "Hours of video uploaded per minute", plain, PROBLEM)
    searches_per_day: float = assume(100e6, "Searches per day", short, PROBLEM)
    latency_target_ms: float = assume(300, "Latency target at the 99th percentile", ms, PROBLEM)
    content_freshness_hours: float = assume(24, "A new upload findable by its content within (hours)", plain, PROBLEM)
    title_freshness_minutes: float = assume(
        5, "A new upload findable by its title within", minutes, design("'within minutes' of the problem, as a number"))
    success_watch_seconds: float = assume(
        30, "Watch that makes a search successful (seconds; half of a shorter video)", plain,
        design("long enough to rule out a bounce back to the results"))
    fresh_index_hours: float = assume(48, "Uploads the fresh index keeps (hours)", plain, design("until the content pipeline has them"))
    # -- Traffic and users
    searches_per_searcher: float = assume(
        2.5, "Searches per searcher per day", plain, thumb("a few searches per person who searches at all"))
    # -- The corpus and its text
    mean_video_minutes: float = assume(8, "Mean video length (minutes)", plain, thumb("short clips and long talks average out"))
    metadata_tokens: float = assume(
        80, "Title, description and tag tokens per video", count, thumb("a title of ~10 words, a short description"))
    speech_share: float = assume(0.5, "Share of a video's duration with speech", percent, thumb("music and silence excluded"))
    words_per_speech_minute: float = assume(150, "Spoken words per minute", count, thumb("conversational speech rate"))
    distinct_term_share: float = assume(
        0.4, "Distinct terms per token of a video's text", percent, thumb("words repeat within a document"))
    bytes_per_posting: float = assume(
        3, "Bytes per posting (compressed doc-id gap and term frequency, no positions)", plain, thumb("variable-byte codes"))
    # -- The semantic path
    embedding_dim: int = assume(512, "Embedding dimension (text and video)", count, thumb("the width of a CLIP ViT-B/32 embedding"))
    segments_per_video: float = assume(
        4, "Segment vectors per video (one per ~2 minutes)", plain, design("a long video is findable by a moment in it"))
    pq_code_bytes: int = assume(64, "Product-quantisation code per vector (bytes)", count, thumb("64 sub-quantisers of 8 bits"))
    host_index_memory_gb: float = assume(128, "Index memory per serving host (GB)", plain, design("a common memory-heavy host"))
    # -- Video processing
    frames_per_second: float = assume(1, "Frames sampled per second of video", plain, cited("CLIP4Clip's training set-up", "clip4clip"))
    frames_per_accelerator_second: float = assume(
        1500, "Frames embedded per second on one accelerator", count, thumb("a ViT-B/32 at 224 px, batched, half precision"))
    asr_speedup: float = assume(
        300, "Speech recognition: audio seconds transcribed per accelerator-second", count, thumb("a batched speech model on a GPU"))
    reembed_target_days: float = assume(14, "Days allowed to re-embed the corpus with a new encoder", plain, design("two weeks"))
    batch_utilisation: float = assume(0.5, "Utilisation of the offline accelerators", percent, thumb("decode, retries and uneven batches"))
    # -- The funnel
    lexical_candidates: int = assume(500, "Candidates from BM25", count, design("enough to cover the page's recall"))
    semantic_candidates: int = assume(500, "Candidates from the embedding index (after collapsing segments)", count, design("same as BM25"))
    fresh_candidates: int = assume(100, "Candidates from the fresh-upload index", count, design("a small index of the last 48 hours"))
    overlap_share: float = assume(0.2, "Share of candidates that two sources both return", percent, thumb("measure it; it falls as the paths differ"))
    ranked_candidates: int = assume(300, "Candidates the ranking model scores (RRF's top)", count, design("fits the ranking stage's budget"))
    results_per_page: int = assume(20, "Results on the first page", count, design("one mobile scroll of results"))
    rrf_k: int = assume(60, "Reciprocal rank fusion constant k", count, cited("the Couchbase server default", "couchbase-rrf"))
    bm25_k1: float = assume(1.2, "BM25 k1 (term-frequency saturation)", plain, cited("Lucene's default", "lucene-bm25"))
    bm25_b: float = assume(0.75, "BM25 b (length normalisation)", plain, cited("Lucene's default", "lucene-bm25"))
    ranker_scores_per_core: float = assume(
        20_000, "Candidates one CPU core scores per second (ranking model)", count, thumb("a small GBDT or MLP"))
    ranker_utilisation: float = assume(0.5, "Target utilisation of ranking servers", percent, thumb("room for the p99"))
    # -- Labels
    labelled_queries_per_week: float = assume(
        5_000, "Queries judged by human raters per week", count, design("a sample stratified by query frequency"))
    results_judged_per_query: int = assume(30, "Results judged per query", count, design("the top of both paths and the ranker"))
    # -- The A/B test
    ab_baseline_rate: float = assume(
        0.60, "Baseline successful-session rate", percent, thumb("a session ending in a watch of 30 s or more"))
    ab_relative_mde: float = assume(0.005, "A/B minimum detectable effect (relative)", percent, design("a half-percent lift is worth shipping"))
    ab_traffic_fraction: float = assume(0.05, "A/B share of searchers in the test", percent, design("several tests run at once"))


ASSUMPTIONS = Assumptions()
A = ASSUMPTIONS

#: The request path, stage by stage (ids for code, labels for readers).
LATENCY = latency.LatencyBudget(A.latency_target_ms, (
    latency.Stage("gateway", "Network and gateway", 30),
    latency.Stage("understand", "Query understanding and query embedding", 25),
    latency.Stage("retrieve", "Retrieval", branches=(("BM25 shards", 60), ("ANN shards", 50), ("Fresh index", 20))),
    latency.Stage("fuse", "Fusion and de-duplication", 5),
    latency.Stage("features", "Feature fetch", 30),
    latency.Stage("rank", "Ranking model", 50),
    latency.Stage("page", "Policy filters, diversity, hydration", 20),
))

#: Where candidates come from (kit shape shared with the other multi-stage chapters).
CANDIDATE_SOURCES: tuple[Source, ...] = (
    Source("lexical", "BM25", "inverted index: title, description, captions, transcript", A.lexical_candidates),
    Source("semantic", "Embeddings", "ANN over segment vectors, collapsed to videos", A.semantic_candidates),
    Source("fresh", "Fresh uploads", f"title index of the last {A.fresh_index_hours:g} hours", A.fresh_candidates),
)

#: The experiment that decides whether the design ships.
AB = ABPlan(
    metric=f"successful-session rate (a search session that ends in a watch of {A.success_watch_seconds:g} s or more)",
    baseline_rate=A.ab_baseline_rate,
    relative_mde=A.ab_relative_mde,
    daily_users=A.searches_per_day / A.searches_per_searcher,
    traffic_fraction=A.ab_traffic_fraction,
    unit="searchers",
)

#: The 45-minute plan for this problem.
INTERVIEW_PLAN: tuple[Phase, ...] = (
    Phase("Clarify requirements", 5, "corpus, QPS, p99, freshness for titles and for content, languages"),
    Phase("Frame as an ML task", 4, "retrieval + ranking; objective: satisfied sessions, not clicks"),
    Phase("Back of the envelope", 6, "QPS, two index sizes, frames/day and accelerator-hours"),
    Phase("Data and labels", 6, "clicks with position bias, watch after click, human ratings"),
    Phase("Model", 10, "BM25 + dual encoder, RRF, ranking model; query understanding"),
    Phase("Evaluation", 5, "recall@k per path, nDCG@10, MRR; successful sessions in an A/B test"),
    Phase("Serving and monitoring", 6, "funnel, latency budget, fresh index, fallbacks, drift"),
    Phase("Wrap-up and trade-offs", 3, "what was given up; cold start and abuse"),
)


# -- The two formulas the chapter teaches ----------------------------------------------------------

def bm25_idf(n_docs: int, doc_freq: int) -> float:
    """Lucene's BM25 idf: ln(1 + (N - n + 0.5) / (n + 0.5)); never negative."""
    if not 0 <= doc_freq <= n_docs or n_docs <= 0:
        raise ValueError(f"need 0 <= doc_freq <= n_docs and n_docs > 0, got {doc_freq}, {n_docs}")
    return math.log(1 + (n_docs - doc_freq + 0.5) / (doc_freq + 0.5))


def bm25_term_score(tf: float, doc_len: float, avg_doc_len: float, idf: float,
                    k1: float = A.bm25_k1, b: float = A.bm25_b) -> float:
    """One query term's BM25 contribution, Lucene's form: idf * tf / (tf + k1 * (1 - b + b * dl / avgdl)).

    The textbook form multiplies by (k1 + 1), a constant that changes no ranking; Lucene drops it."""
    if tf < 0 or doc_len < 0 or avg_doc_len <= 0:
        raise ValueError("tf and doc_len are non-negative, avg_doc_len positive")
    return idf * tf / (tf + k1 * (1 - b + b * doc_len / avg_doc_len))


def bm25_score(query: Sequence[str], doc: Sequence[str], corpus: Sequence[Sequence[str]],
               k1: float = A.bm25_k1, b: float = A.bm25_b) -> float:
    """BM25 of a tokenised document for a tokenised query, statistics taken from ``corpus``."""
    n_docs = len(corpus)
    avg_len = sum(len(d) for d in corpus) / n_docs
    total = 0.0
    for term in set(query):
        tf = doc.count(term)
        if tf:
            df = sum(1 for d in corpus if term in d)
            total += bm25_term_score(tf, len(doc), avg_len, bm25_idf(n_docs, df), k1, b)
    return total


def rrf_scores(ranked_lists: Sequence[Sequence[str]], k: int = A.rrf_k) -> dict[str, float]:
    """Reciprocal rank fusion: each item scores the sum over lists of 1 / (k + its rank), ranks from 1."""
    if k < 0:
        raise ValueError("k is non-negative")
    scores: dict[str, float] = {}
    for ranked in ranked_lists:
        if len(set(ranked)) != len(ranked):
            raise ValueError(f"an item repeats within a list: {list(ranked)}")
        for rank, item in enumerate(ranked, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return scores


def rrf_fuse(ranked_lists: Sequence[Sequence[str]], k: int = A.rrf_k) -> list[str]:
    """The fused ranking: items by RRF score, ties broken by first appearance across the lists."""
    scores = rrf_scores(ranked_lists, k)
    first_seen = {item: i for i, item in enumerate(dict.fromkeys(x for lst in ranked_lists for x in lst))}
    return sorted(scores, key=lambda item: (-scores[item], first_seen[item]))


# -- Traffic ---------------------------------------------------------------------------------------

@value(short)
def avg_qps() -> float:
    """Average searches per second."""
    return A.searches_per_day / HOUSE.seconds_per_day


@value(short)
def peak_qps() -> float:
    """Peak searches per second (house peak-to-average factor)."""
    return est.peak_qps(avg_qps(), HOUSE.peak_to_average)


@value(short)
def daily_searchers() -> float:
    """People who search on a day."""
    return A.searches_per_day / A.searches_per_searcher


# -- Video processing: the dominant offline cost -----------------------------------------------------

@value(short)
def upload_hours_per_day() -> float:
    """Hours of new video per day."""
    return A.upload_hours_per_minute * 60 * 24


def upload_seconds_per_day() -> float:
    """Seconds of new video per day."""
    return upload_hours_per_day() * 3600


@value(short)
def frames_per_day() -> float:
    """Frames sampled from a day of uploads."""
    return upload_seconds_per_day() * A.frames_per_second


@value(short)
def frames_per_second_avg() -> float:
    """Frames to embed per second, averaged over the day (the content deadline allows averaging)."""
    return frames_per_day() / HOUSE.seconds_per_day


@value(short)
def frame_accelerator_hours_per_day() -> float:
    """Accelerator-hours a day of frames costs at full utilisation."""
    return frames_per_day() / A.frames_per_accelerator_second / 3600


@value(count)
def frame_accelerators() -> int:
    """Accelerators kept busy by frame embedding at the target utilisation."""
    return est.accelerators_needed(frames_per_second_avg(), A.frames_per_accelerator_second, A.batch_utilisation)


def speech_seconds_per_day() -> float:
    """Seconds of speech to transcribe per day."""
    return upload_seconds_per_day() * A.speech_share


@value(short)
def asr_accelerator_hours_per_day() -> float:
    """Accelerator-hours of speech recognition per day at full utilisation."""
    return speech_seconds_per_day() / A.asr_speedup / 3600


@value(count)
def asr_accelerators() -> int:
    """Accelerators kept busy by speech recognition at the target utilisation."""
    return est.accelerators_needed(speech_seconds_per_day() / HOUSE.seconds_per_day, A.asr_speedup, A.batch_utilisation)


@value(times)
def asr_to_frames_ratio() -> float:
    """How many times the frame embedding's bill speech recognition costs."""
    return asr_accelerator_hours_per_day() / frame_accelerator_hours_per_day()


@value(short)
def corpus_hours() -> float:
    """Hours of video in the whole corpus."""
    return A.corpus_videos * A.mean_video_minutes / 60


@value(short)
def reembed_accelerator_hours() -> float:
    """Accelerator-hours to re-embed every frame of the corpus once (a new video encoder)."""
    return corpus_hours() * 3600 * A.frames_per_second / A.frames_per_accelerator_second / 3600


@value(short)
def reembed_days_on_daily_fleet() -> float:
    """Days the re-embedding takes on a fleet as large as the daily frame fleet, beside its daily work."""
    return reembed_accelerator_hours() / (frame_accelerators() * A.batch_utilisation * 24)


@value(count)
def reembed_accelerators() -> int:
    """Accelerators that re-embed the corpus within the allowed days, at the target utilisation."""
    return math.ceil(reembed_accelerator_hours() / (A.reembed_target_days * 24 * A.batch_utilisation))


# -- The two indexes ----------------------------------------------------------------------------------

@value(count)
def transcript_tokens_per_video() -> float:
    """Transcript words of a mean video."""
    return A.mean_video_minutes * A.speech_share * A.words_per_speech_minute


@value(count)
def postings_per_video() -> float:
    """Distinct terms of a mean video's text: one posting each."""
    return (A.metadata_tokens + transcript_tokens_per_video()) * A.distinct_term_share


@value(nbytes)
def lexical_index_bytes() -> float:
    """The inverted index's postings, all fields."""
    return A.corpus_videos * postings_per_video() * A.bytes_per_posting


@value(count)
def lexical_shards() -> int:
    """Hosts one copy of the inverted index needs."""
    return est.shards_needed(lexical_index_bytes(), A.host_index_memory_gb * 1e9)


@value(short)
def semantic_vectors() -> float:
    """Vectors in the embedding index (segment vectors)."""
    return A.corpus_videos * A.segments_per_video


@value(nbytes)
def semantic_float32_bytes() -> float:
    """The segment vectors as float32: what the index would weigh uncompressed."""
    return est.embedding_bytes(int(semantic_vectors()), A.embedding_dim, 4)


@value(nbytes)
def semantic_index_bytes() -> float:
    """The IVF-PQ index: a code and an id per vector."""
    return est.ivfpq_index_bytes(int(semantic_vectors()), A.pq_code_bytes)


@value(count)
def semantic_shards() -> int:
    """Hosts one copy of the embedding index needs."""
    return est.shards_needed(semantic_index_bytes(), A.host_index_memory_gb * 1e9)


@value(times)
def pq_compression() -> float:
    """How many times smaller the PQ index is than float32 vectors."""
    return semantic_float32_bytes() / semantic_index_bytes()


# -- Serving ------------------------------------------------------------------------------------------

@value(count)
def candidates_before_dedup() -> int:
    """Candidates from all sources per request."""
    return total_candidates(CANDIDATE_SOURCES)


@value(count)
def candidates_after_dedup() -> int:
    """Distinct candidates after fusion merges the ones two sources both returned."""
    return round(candidates_before_dedup() * (1 - A.overlap_share))


@value(short)
def ranker_scores_per_second() -> float:
    """Candidates scored per second at peak."""
    return est.predictions_per_second(peak_qps(), A.ranked_candidates)


@value(count)
def ranker_cores() -> int:
    """CPU cores the ranking model needs at peak."""
    return est.replicas_needed(ranker_scores_per_second(), A.ranker_scores_per_core, A.ranker_utilisation)


@value(ms)
def stage_budget(stage_id: str) -> float:
    """A stage's latency budget."""
    return LATENCY.stage(stage_id).budget_ms


@value(ms)
def latency_headroom() -> float:
    """Target minus the stages' sum."""
    return LATENCY.headroom_ms()


# -- Labels --------------------------------------------------------------------------------------------

@value(short)
def judgements_per_week() -> float:
    """Human relevance judgements per week."""
    return A.labelled_queries_per_week * A.results_judged_per_query


# -- Worked examples ---------------------------------------------------------------------------------------

#: One judged query, "replace bike chain": grades 0 (off-topic) to 3 (exactly what was asked).
WORKED = GradedList(
    shown=(("Chain replacement, step by step", 3), ("Top 10 bike tricks", 0), ("Measuring chain wear", 2),
           ("Fixing a slipping chain", 2), ("Bike chain clickbait", 0), ("Cassette swap", 1),
           ("Quick link removal", 3), ("Road bike review", 0), ("Chain lube myths", 1), ("Derailleur tuning", 1)),
    missed=(("Chain tool basics", 3),),
    relevant_grade=2,
)

#: Three queries for MRR: (ranked results, the relevant ones). Navigational, how-to, fresh event.
MRR_QUERIES: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = (
    (("official channel", "fan reupload", "reaction"), frozenset({"official channel"})),
    (("old tutorial", "listicle", "best how-to", "short"), frozenset({"best how-to"})),
    (("yesterday's recap", "live stream now", "last year's final"), frozenset({"live stream now"})),
)

#: The central idea's query, "dog learns to skateboard", and each path's top five.
LEXICAL_TOP = ("skateboard tricks", "dog skateboard", "dog training", "skate park tour", "bulldog rides")
SEMANTIC_TOP = ("bulldog rides", "dog skateboard", "puppy on wheels", "dog training", "cat on skateboard")


@value(fixed)
def worked_ndcg10() -> float:
    """nDCG@10 of the worked list (linear gain, ideal over every judged video)."""
    return WORKED.ndcg(10)


@value(fixed)
def worked_recall10() -> float:
    """Recall@10 of the worked list."""
    return WORKED.recall(10)


@value(fixed)
def worked_precision10() -> float:
    """Precision@10 of the worked list."""
    return WORKED.precision(10)


@value(fixed)
def worked_dcg10() -> float:
    """DCG@10 of the worked list."""
    return WORKED.dcg(10)


@value(fixed)
def worked_mrr() -> float:
    """MRR of the three example queries."""
    return mean_reciprocal_rank([(list(ranked), set(rel)) for ranked, rel in MRR_QUERIES])


@value(lambda v: fixed(v, 4))
def rrf_rank_score(rank: int) -> float:
    """What one list adds to a video's RRF score at a given rank: 1 / (k + rank)."""
    return 1 / (A.rrf_k + rank)


def fused_top() -> list[str]:
    """The central idea's fused list."""
    return rrf_fuse([LEXICAL_TOP, SEMANTIC_TOP])


@value(lambda v: fixed(v, 4))
def fused_score(item: str) -> float:
    """An item's RRF score in the central idea's example."""
    return rrf_scores([LEXICAL_TOP, SEMANTIC_TOP])[item]


@value(lambda v: fixed(v, 4))
def top_fused_score() -> float:
    """The RRF score of the fused list's first video in the central idea's example."""
    return fused_score(fused_top()[0])


# -- Tables --------------------------------------------------------------------------------------------------

@table
def capacity_table() -> str:
    """Traffic, the two indexes, the ranking fleet."""
    rows = [
        ("Searches per second, average", "searches per day / 86,400", short(avg_qps())),
        ("Searches per second, peak", f"average × {times(HOUSE.peak_to_average)}", short(peak_qps())),
        ("Postings per video", f"({count(A.metadata_tokens)} + {count(transcript_tokens_per_video())}) tokens × "
                               f"{percent(A.distinct_term_share)} distinct", count(postings_per_video())),
        ("Inverted index", f"videos × postings × {plain(A.bytes_per_posting)} B", nbytes(lexical_index_bytes())),
        ("Inverted-index hosts per copy", f"index / {plain(A.host_index_memory_gb)} GB", count(lexical_shards())),
        ("Segment vectors", f"videos × {plain(A.segments_per_video)}", short(semantic_vectors())),
        ("Vectors as float32", f"vectors × {A.embedding_dim} × 4 B", nbytes(semantic_float32_bytes())),
        ("Embedding index (IVF-PQ)", f"vectors × ({A.pq_code_bytes} B code + 8 B id)", nbytes(semantic_index_bytes())),
        ("Embedding-index hosts per copy", f"index / {plain(A.host_index_memory_gb)} GB", count(semantic_shards())),
        ("Ranking scores per second, peak", f"peak searches × {count(A.ranked_candidates)}", short(ranker_scores_per_second())),
        ("Ranking CPU cores", f"at {percent(A.ranker_utilisation)} utilisation", count(ranker_cores())),
        ("Human judgements per week", "queries × results judged", short(judgements_per_week())),
    ]
    return md_table(["Quantity", "How", "Value"], rows, align="llr")


@table
def processing_table() -> str:
    """The video-processing bill: frames, speech, accelerators."""
    rows = [
        ("Hours uploaded per day", f"{plain(A.upload_hours_per_minute)} h/min × 1,440", short(upload_hours_per_day())),
        ("Frames per day", f"seconds of video × {plain(A.frames_per_second)} frame/s", short(frames_per_day())),
        ("Frames per second, day average", "frames per day / 86,400", short(frames_per_second_avg())),
        ("Frame embedding, accelerator-hours/day", f"frames / {count(A.frames_per_accelerator_second)} per s / 3,600",
         short(frame_accelerator_hours_per_day())),
        ("Frame-embedding accelerators", f"at {percent(A.batch_utilisation)} utilisation", count(frame_accelerators())),
        ("Speech recognition, accelerator-hours/day", f"speech seconds / {count(A.asr_speedup)} / 3,600",
         short(asr_accelerator_hours_per_day())),
        ("Speech-recognition accelerators", f"at {percent(A.batch_utilisation)} utilisation", count(asr_accelerators())),
        ("Re-embedding the corpus once", f"{short(corpus_hours())} h of video × frames / throughput",
         short(reembed_accelerator_hours()) + " accelerator-h"),
    ]
    return md_table(["Quantity", "How", "Value"], rows, align="llr")


@table
def funnel_table() -> str:
    """Candidates per request, stage by stage."""
    rows = [(s.name, s.detail, count(s.candidates)) for s in CANDIDATE_SOURCES]
    rows += [
        ("All sources", "before de-duplication", count(candidates_before_dedup())),
        ("After fusion", f"{percent(A.overlap_share)} returned twice", count(candidates_after_dedup())),
        ("Ranking model", "RRF's top", count(A.ranked_candidates)),
        ("First page", "after policy and diversity", count(A.results_per_page)),
    ]
    return md_table(["Stage", "What", "Candidates"], rows, align="llr")


@table
def worked_table() -> str:
    """The judged list of the worked example."""
    return WORKED.table("Video", "Grade", "gain", "not shown")


@table
def rrf_table() -> str:
    """The central idea's example: each video's rank in each path and its RRF score."""
    lex = {item: r for r, item in enumerate(LEXICAL_TOP, start=1)}
    sem = {item: r for r, item in enumerate(SEMANTIC_TOP, start=1)}
    rows = []
    for position, item in enumerate(fused_top(), start=1):
        terms = " + ".join(f"1/({A.rrf_k}+{r[item]})" for r in (lex, sem) if item in r)
        rows.append((str(position), item, str(lex.get(item, "—")), str(sem.get(item, "—")), terms,
                     fixed(fused_score(item), 4)))
    return md_table(["Fused", "Video", "BM25 rank", "Embedding rank", "RRF terms", "Score"], rows, align="rlrrlr")


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


# -- Practice material (snippets/kit/practice.py): the cheat sheet, the rubric and the drills ----------------

GLANCE = Glance(
    surface="The search box of a video platform: a few typed words, a ranked page of videos",
    users=Fact("People who search on a day", daily_searchers),
    traffic=Fact("Searches per second at peak", peak_qps),
    latency=Fact("End to end (p99)", A.latency_target_ms, fmt=ms),
    funnel=(
        Fact("Videos in the corpus", A.corpus_videos, fmt=short),
        Fact("Candidates from BM25, embeddings and fresh uploads", candidates_before_dedup),
        Fact("Distinct after rank fusion", candidates_after_dedup),
        Fact("Scored by the ranking model", A.ranked_candidates, fmt=count),
        Fact("On the first page", A.results_per_page, fmt=count),
    ),
    model="Query understanding (spelling, language, intent); BM25 over an inverted index and a text-video dual "
          "encoder over mean-pooled frame segments, beside a fresh title index; reciprocal rank fusion; "
          "a gradient-boosted LambdaMART ranker",
    offline_metric="Recall@k of each retrieval path and of the fused list; nDCG@10 of the page on human-graded "
                   "judgements; MRR for navigational queries",
    online_metric="Successful-session rate (a search ending in a watch long enough to rule out a bounce); "
                  "reformulation, abandonment and time to first play beside it",
    memory=Fact("Inverted index (postings of titles, descriptions and transcripts)", lexical_index_bytes),
    trade_offs=(
        "Two retrieval paths cost two indexes and two freshness pipelines, but BM25 alone cannot see what a "
        "video shows and the dual encoder alone fumbles names, product codes and typos, so each covers the "
        "other's blind spot.",
        "Reciprocal rank fusion needs no calibration because it throws the scores away, so a huge BM25 "
        "margin counts the same as a small one; a learned blend could weigh the paths by query type but must "
        "be retrained whenever an encoder changes.",
        "Giving content processing a day lets the speech and frame fleet run at its daily average instead "
        "of the upload peak, but leaves fresh-event queries to a title-only fresh index and a recency boost "
        "until the transcript and frame vectors arrive.",
    ),
)

RUBRIC: tuple[Grade, ...] = (
    Grade("Clarify requirements",
          strong="Asks what a query may match (titles only, or speech and frames too), separates title freshness "
                 "in minutes from content freshness in a day, fixes the search rate, the p99 and the languages, "
                 "and asks whether long videos are searched inside.",
          adequate="Gets the corpus size, the traffic and the latency, but treats freshness as one number or never "
                   "asks whether speech and frames are in scope.",
          weak="Assumes a title search box and starts on embeddings without asking about scale, freshness or "
               "what counts as a good result."),
    Grade("Frame as an ML task",
          strong="Frames retrieval followed by learning to rank, with two unlike retrievers (lexical and a text-video "
                 "dual encoder) to fuse, and picks the successful session over clicks or watch time, naming how "
                 "each proxy goes wrong.",
          adequate="Describes retrieval then ranking with one retriever, or optimises clicks with a nod to clickbait.",
          weak="Treats it as classification of (query, video) pairs over the whole corpus, or optimises raw "
               "click-through."),
    Grade("Back of the envelope",
          strong="Derives peak searches per second and the ranker's cores, sizes both indexes (postings per video, "
                 "PQ codes per segment vector) in hosts, then shows that frames and speech cost accelerator-hours "
                 "every day, that speech is the larger line, and what re-embedding the corpus costs.",
          adequate="Sizes the traffic and one index, but skips the per-upload processing bill or the re-embedding.",
          weak="Quotes a QPS and stops, with no index sizes and no offline cost."),
    Grade("Data and labels",
          strong="Combines debiased clicks (inverse propensity from adjacent swaps), watch after click to defeat "
                 "clickbait, and human graded ratings as offline truth; in-batch and hard negatives for the "
                 "retriever; point-in-time joins for engagement counts.",
          adequate="Uses clicks with a mention of position bias and some human ratings, without saying how the "
                   "retriever's negatives differ from the ranker's.",
          weak="Trains on raw clicks and calls them relevance, with no word on bias or leakage."),
    Grade("Model",
          strong="BM25 (explains idf, k1 saturation, b length normalisation) and a CLIP-style dual encoder over "
                 "one frame a second pooled into segments, trained with InfoNCE and a logQ correction; fuses by "
                 "rank, not by adding scores; a LambdaMART ranker fed both scores and ranks; query understanding "
                 "and a fresh index for new uploads.",
          adequate="Names both retrieval paths and a ranker but fuses by adding BM25 and cosine scores, or leaves out "
                   "query understanding and cold start.",
          weak="Embeddings only, or a cross-encoder over every candidate with no word on latency."),
    Grade("Evaluation",
          strong="Recall@k per path and per intent, nDCG@10 on graded ratings, MRR for navigational queries, ANN "
                 "recall against exact search; an A/B test randomised by searcher with a sized sample, "
                 "interleaving as a cheaper screen, and guardrails on latency, policy and freshness.",
          adequate="nDCG offline and an A/B test on successful sessions, without per-path recall or guardrails.",
          weak="Accuracy or click-through as the only metric, or an A/B test split by search."),
    Grade("Serving and monitoring",
          strong="Splits the p99 by stage with retrieval as its slowest parallel branch and headroom for the tail, "
                 "handles shard fan-out and long postings lists, caches popular queries for minutes, degrades to "
                 "one path or the RRF order, and monitors pipeline lag, query drift and ANN recall.",
          adequate="Draws the request path with a latency budget, but no fallbacks or no pipeline-lag alert.",
          weak="No budget, no separation of the offline processing from the request path."),
    Grade("Wrap-up and trade-offs",
          strong="Names what the design gave up (score information in RRF, temporal order in mean pooling, fresh "
                 "content matches) and the cost of changing the video encoder, and what it would try next.",
          adequate="Summarises the design without saying what it sacrificed.",
          weak="Runs out of time or calls the design complete."),
)


def _peak_steps(a: Assumptions) -> list[Step]:
    average = a.searches_per_day / HOUSE.seconds_per_day
    return [
        Step("Average searches per second", f"{short(a.searches_per_day)} searches ÷ {count(HOUSE.seconds_per_day)} s",
             average, short),
        Step("At peak", f"average × {times(HOUSE.peak_to_average)}", est.peak_qps(average, HOUSE.peak_to_average), short),
    ]


def _ranker_steps(a: Assumptions) -> list[Step]:
    steps = _peak_steps(a)
    rate = est.predictions_per_second(steps[-1].value, a.ranked_candidates)
    return steps + [
        Step("Candidates scored per second", f"peak × {count(a.ranked_candidates)} candidates", rate, short),
        Step("CPU cores", f"rate ÷ {count(a.ranker_scores_per_core)} per core at {percent(a.ranker_utilisation)} "
             "utilisation, rounded up", est.replicas_needed(rate, a.ranker_scores_per_core, a.ranker_utilisation), count),
    ]


def _upload_steps(a: Assumptions) -> list[Step]:
    hours = a.upload_hours_per_minute * 60 * 24
    return [Step("Hours uploaded per day", f"{plain(a.upload_hours_per_minute)} h a minute × 1,440 minutes",
                 hours, short)]


def _frame_steps(a: Assumptions) -> list[Step]:
    steps = _upload_steps(a)
    frames = steps[-1].value * 3600 * a.frames_per_second
    return steps + [
        Step("Frames per day", f"hours × 3,600 s × {plain(a.frames_per_second)} frame/s", frames, short),
        Step("Accelerator-hours per day", f"frames ÷ {count(a.frames_per_accelerator_second)} per accelerator-second "
             "÷ 3,600", frames / a.frames_per_accelerator_second / 3600, short),
    ]


def _frame_fleet_steps(a: Assumptions) -> list[Step]:
    steps = _frame_steps(a)
    per_second = steps[1].value / HOUSE.seconds_per_day
    return steps[:2] + [
        Step("Frames per second, day average", f"frames ÷ {count(HOUSE.seconds_per_day)} s", per_second, short),
        Step("Frame-embedding accelerators", f"rate ÷ {count(a.frames_per_accelerator_second)} per accelerator at "
             f"{percent(a.batch_utilisation)} utilisation, rounded up",
             est.accelerators_needed(per_second, a.frames_per_accelerator_second, a.batch_utilisation), count),
    ]


def _speech_steps(a: Assumptions) -> list[Step]:
    steps = _upload_steps(a)
    speech = steps[-1].value * 3600 * a.speech_share
    return steps + [
        Step("Seconds of speech per day", f"hours × 3,600 s × {percent(a.speech_share)} with speech", speech, short),
        Step("Speech accelerator-hours per day", f"speech ÷ {count(a.asr_speedup)} audio seconds per "
             "accelerator-second ÷ 3,600", speech / a.asr_speedup / 3600, short),
    ]


def _speech_fleet_steps(a: Assumptions) -> list[Step]:
    steps = _speech_steps(a)
    speech = steps[1].value
    return steps + [
        Step("Speech-recognition accelerators", f"speech ÷ {count(HOUSE.seconds_per_day)} s ÷ {count(a.asr_speedup)} "
             f"at {percent(a.batch_utilisation)} utilisation, rounded up",
             est.accelerators_needed(speech / HOUSE.seconds_per_day, a.asr_speedup, a.batch_utilisation), count),
    ]


def _speech_ratio_steps(a: Assumptions) -> list[Step]:
    speech, frames = _speech_steps(a)[-1], _frame_steps(a)[-1]
    return [
        Step("Speech accelerator-hours per day", speech.how, speech.value, short),
        Step("Frame accelerator-hours per day", frames.how, frames.value, short),
        Step("Speech against frames", "speech ÷ frames", speech.value / frames.value, times),
    ]


def _reembed_steps(a: Assumptions) -> list[Step]:
    hours = a.corpus_videos * a.mean_video_minutes / 60
    work = hours * 3600 * a.frames_per_second / a.frames_per_accelerator_second / 3600
    return [
        Step("Hours of video in the corpus", f"{short(a.corpus_videos)} videos × {plain(a.mean_video_minutes)} min ÷ 60",
             hours, short),
        Step("Accelerator-hours to re-embed", f"hours × 3,600 s × {plain(a.frames_per_second)} frame/s ÷ "
             f"{count(a.frames_per_accelerator_second)} per accelerator-second ÷ 3,600", work, short),
    ]


def _reembed_fleet_steps(a: Assumptions) -> list[Step]:
    steps = _reembed_steps(a)
    return steps + [
        Step("Accelerators to finish in time", f"accelerator-hours ÷ ({days(a.reembed_target_days)} × 24 h × "
             f"{percent(a.batch_utilisation)} utilisation), rounded up",
             math.ceil(steps[-1].value / (a.reembed_target_days * 24 * a.batch_utilisation)), count),
    ]


def _reembed_daily_fleet_steps(a: Assumptions) -> list[Step]:
    steps = _reembed_steps(a)
    fleet = _frame_fleet_steps(a)[-1]
    return steps + [
        Step("The daily frame fleet", f"a day of uploads' frames, averaged per second, ÷ "
             f"{count(a.frames_per_accelerator_second)} per accelerator at {percent(a.batch_utilisation)}, rounded up",
             fleet.value, count),
        Step("Days on that fleet", f"accelerator-hours ÷ (fleet × {percent(a.batch_utilisation)} × 24 h)",
             steps[-1].value / (fleet.value * a.batch_utilisation * 24), short),
    ]


def _lexical_steps(a: Assumptions) -> list[Step]:
    transcript = a.mean_video_minutes * a.speech_share * a.words_per_speech_minute
    postings = (a.metadata_tokens + transcript) * a.distinct_term_share
    index = a.corpus_videos * postings * a.bytes_per_posting
    return [
        Step("Transcript words per video", f"{plain(a.mean_video_minutes)} min × {percent(a.speech_share)} speech × "
             f"{count(a.words_per_speech_minute)} words a minute", transcript, count),
        Step("Postings per video", f"({count(a.metadata_tokens)} metadata + transcript) tokens × "
             f"{percent(a.distinct_term_share)} distinct", postings, count),
        Step("Inverted index", f"{short(a.corpus_videos)} videos × postings × {plain(a.bytes_per_posting)} B",
             index, nbytes),
        Step("Hosts per copy", f"index ÷ {plain(a.host_index_memory_gb)} GB, rounded up",
             est.shards_needed(index, a.host_index_memory_gb * 1e9), count),
    ]


def _semantic_steps(a: Assumptions) -> list[Step]:
    vectors = a.corpus_videos * a.segments_per_video
    index = est.ivfpq_index_bytes(int(vectors), a.pq_code_bytes)
    return [
        Step("Segment vectors", f"{short(a.corpus_videos)} videos × {plain(a.segments_per_video)} segments",
             vectors, short),
        Step("IVF-PQ index", f"vectors × ({count(a.pq_code_bytes)} B code + 8 B id)", index, nbytes),
        Step("Hosts per copy", f"index ÷ {plain(a.host_index_memory_gb)} GB, rounded up",
             est.shards_needed(index, a.host_index_memory_gb * 1e9), count),
    ]


def _compression_steps(a: Assumptions) -> list[Step]:
    steps = _semantic_steps(a)[:2]
    vectors, pq = steps[0].value, steps[1].value
    full = est.embedding_bytes(int(vectors), a.embedding_dim, 4)
    return steps + [
        Step("The same vectors as float32", f"vectors × {count(a.embedding_dim)} dimensions × 4 B", full, nbytes),
        Step("Compression", "float32 ÷ IVF-PQ", full / pq, lambda v: f"{fixed(v, 1)}×"),
    ]


def _fusion_steps(a: Assumptions) -> list[Step]:
    before = a.lexical_candidates + a.semantic_candidates + a.fresh_candidates
    return [
        Step("Candidates from the three sources", f"{count(a.lexical_candidates)} BM25 + "
             f"{count(a.semantic_candidates)} embeddings + {count(a.fresh_candidates)} fresh", before, count),
        Step("Distinct after fusion", f"candidates × (1 − {percent(a.overlap_share)} returned twice), rounded",
             round(before * (1 - a.overlap_share)), count),
    ]


def _headroom_steps(a: Assumptions) -> list[Step]:
    budget = latency.LatencyBudget(a.latency_target_ms, LATENCY.stages)
    return [
        Step("The stages' sum", "gateway + understanding + slowest retrieval branch + fusion + features + ranking "
             "+ page", budget.total_ms(), ms),
        Step("Headroom for the tail", f"{ms(a.latency_target_ms)} target − the stages", budget.headroom_ms(), ms),
    ]


DRILLS: tuple[Drill, ...] = (
    Drill("Twice the searches", "The search box ships in a smart-TV app and searches per day double. How many "
          "searches per second must the request path serve at peak?", {"searches_per_day": 200e6},
          _peak_steps, peak_qps),
    Drill("A deeper ranking pass", "Recall of the page improves when the ranker sees more of the fused list. "
          "How many CPU cores does the ranking model need if it scores a thousand candidates per search?",
          {"ranked_candidates": 1_000}, _ranker_steps, ranker_cores),
    Drill("A neural ranker", "The team replaces the trees with a small neural ranker that scores a fifth as many "
          "candidates per core. How many cores at peak?", {"ranker_scores_per_core": 4_000}, _ranker_steps, ranker_cores),
    Drill("Twice the uploads", "The upload rate doubles. How many accelerators does frame embedding keep busy?",
          {"upload_hours_per_minute": 1_000}, _frame_fleet_steps, frame_accelerators),
    Drill("Denser frames", "Sports highlights have fast cuts, so the team samples two frames a second. What is "
          "the daily frame-embedding bill?", {"frames_per_second": 2}, _frame_steps, frame_accelerator_hours_per_day),
    Drill("A talkier platform", "Podcasts and lectures grow until most of every video is speech. How many "
          "speech-recognition accelerators run around the clock?", {"speech_share": 0.8},
          _speech_fleet_steps, asr_accelerators),
    Drill("A bigger speech model", "A more accurate speech model transcribes a third as fast. How many times the "
          "frame bill is the speech bill now?", {"asr_speedup": 100}, _speech_ratio_steps, asr_to_frames_ratio),
    Drill("Long-form videos", "The platform is mostly long talks and streams, so the mean video is far longer. "
          "How many hosts does one copy of the inverted index need?", {"mean_video_minutes": 20},
          _lexical_steps, lexical_shards),
    Drill("Finer segments", "Product wants a segment vector per minute of a mean video. How many hosts does one "
          "copy of the embedding index need?", {"segments_per_video": 8}, _semantic_steps, semantic_shards),
    Drill("A wider encoder", "The new video encoder is twice as wide and the PQ codes double to keep recall. How "
          "many times smaller than float32 is the index now?", {"embedding_dim": 1_024, "pq_code_bytes": 128},
          _compression_steps, pq_compression),
    Drill("A one-week migration", "Leadership wants the new video encoder live in one week instead of two. How "
          "many accelerators does re-embedding the corpus take?", {"reembed_target_days": 7},
          _reembed_fleet_steps, reembed_accelerators),
    Drill("A corpus twice as large", "The corpus doubles while uploads stay the same. How many days would the "
          "daily frame fleet need to re-embed it?", {"corpus_videos": 2e9},
          _reembed_daily_fleet_steps, reembed_days_on_daily_fleet),
    Drill("A tighter p99", "The product team wants results within a quarter of a second at the 99th percentile, "
          "with the same stage budgets. How much headroom is left for the tail?", {"latency_target_ms": 250},
          _headroom_steps, latency_headroom),
    Drill("More fresh candidates", "For a fresh-event query the fresh index returns three times as many "
          "candidates, and the paths overlap less. How many distinct candidates reach fusion's output?",
          {"fresh_candidates": 300, "overlap_share": 0.1}, _fusion_steps, candidates_after_dedup),
)
