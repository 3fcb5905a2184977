"""Hand-derived values of snippets/video_search.py (the video search chapter).

Each row: the function, its arguments, the value derived by hand from the assumptions, and the
arithmetic. What every page module shares is checked once in tests/test_pages.py. The chapter's two
formulas (Lucene's BM25 and reciprocal rank fusion) are also checked against the bm25s library and
against properties that hold for any input.
"""

from __future__ import annotations

import math
import random

import bm25s
import numpy as np
import pytest
from hand_values import hand_value_test

import snippets.video_search as page

HAND_VALUES = [
    # Traffic
    (page.avg_qps, (), 1_157.407, "100e6 searches / 86,400 s"),
    (page.peak_qps, (), 3_472.222, "1,157.407 x 3 (house peak factor)"),
    (page.daily_searchers, (), 40e6, "100e6 searches / 2.5 per searcher"),
    # Video processing
    (page.upload_hours_per_day, (), 720_000, "500 h/min x 1,440 min"),
    (page.upload_seconds_per_day, (), 2.592e9, "720,000 h x 3,600 s"),
    (page.frames_per_day, (), 2.592e9, "2.592e9 s x 1 frame/s"),
    (page.frames_per_second_avg, (), 30_000, "2.592e9 / 86,400"),
    (page.frame_accelerator_hours_per_day, (), 480, "2.592e9 / 1,500 per s / 3,600 s"),
    (page.frame_accelerators, (), 40, "ceil(30,000 / (1,500 x 0.5)) = ceil(40)"),
    (page.speech_seconds_per_day, (), 1.296e9, "2.592e9 x 0.5 speech"),
    (page.asr_accelerator_hours_per_day, (), 1_200, "1.296e9 / 300 / 3,600"),
    (page.asr_accelerators, (), 100, "1.296e9 / 86,400 = 15,000 audio s per s; / (300 x 0.5) = 100"),
    (page.asr_to_frames_ratio, (), 2.5, "1,200 / 480"),
    (page.corpus_hours, (), 1.333333e8, "1e9 videos x 8 min / 60"),
    (page.reembed_accelerator_hours, (), 88_888.89, "1.3333e8 h x 3,600 x 1 frame / 1,500 / 3,600 = 1.3333e8 / 1,500"),
    (page.reembed_days_on_daily_fleet, (), 185.1852, "88,888.9 / (40 x 0.5 x 24 = 480 h a day)"),
    (page.reembed_accelerators, (), 530, "ceil(88,888.9 / (14 d x 24 h x 0.5 = 168)) = ceil(529.1)"),
    # The two indexes
    (page.transcript_tokens_per_video, (), 600, "8 min x 0.5 speech x 150 words/min"),
    (page.postings_per_video, (), 272, "(80 + 600) x 0.4 distinct"),
    (page.lexical_index_bytes, (), 8.16e11, "1e9 x 272 x 3 B"),
    (page.lexical_shards, (), 7, "ceil(816 GB / 128 GB) = ceil(6.375)"),
    (page.semantic_vectors, (), 4e9, "1e9 x 4 segments"),
    (page.semantic_float32_bytes, (), 8.192e12, "4e9 x 512 x 4 B"),
    (page.semantic_index_bytes, (), 2.88e11, "4e9 x (64 B code + 8 B id)"),
    (page.semantic_shards, (), 3, "ceil(288 / 128) = ceil(2.25)"),
    (page.pq_compression, (), 28.44444, "2,048 B / 72 B"),
    # Serving
    (page.candidates_before_dedup, (), 1_100, "500 + 500 + 100"),
    (page.candidates_after_dedup, (), 880, "1,100 x (1 - 0.2)"),
    (page.ranker_scores_per_second, (), 1_041_667, "3,472.222 x 300"),
    (page.ranker_cores, (), 105, "ceil(1,041,667 / (20,000 x 0.5)) = ceil(104.17)"),
    (page.stage_budget, ("retrieve",), 60, "slowest of 60 (BM25), 50 (ANN), 20 (fresh)"),
    (page.latency_headroom, (), 80, "300 - (30 + 25 + 60 + 5 + 30 + 50 + 20 = 220)"),
    (page.judgements_per_week, (), 150_000, "5,000 queries x 30 results"),
    # The worked example: grades 3,0,2,2,0,1,3,0,1,1 shown; a grade-3 video missed
    (page.worked_dcg10, (), 6.807655, "3 + 0 + 2/2 + 2/2.321928 + 0 + 1/2.807355 + 3/3 + 0 + 1/3.321928 + 1/3.459432"
                                      " = 3 + 1 + 0.861353 + 0.356207 + 1 + 0.301030 + 0.289065"),
    (page.worked_ndcg10, (), 0.7536550, "6.807655 / ideal (3,3,3,2,2,1,1,1,0,0: 3 + 1.892789 + 1.5 + 0.861353 + "
                                        "0.773706 + 0.356207 + 0.333333 + 0.315465 = 9.032853)"),
    (page.worked_recall10, (), 0.8, "4 of the 5 videos graded 2 or 3 are shown"),
    (page.worked_precision10, (), 0.4, "4 relevant of 10 shown"),
    (page.worked_mrr, (), 0.6111111, "(1 + 1/3 + 1/2) / 3"),
    # Reciprocal rank fusion, k = 60
    (page.fused_score, ("dog skateboard",), 0.03225806, "1/62 + 1/62"),
    (page.fused_score, ("bulldog rides",), 0.03177833, "1/65 + 1/61 = 0.0153846 + 0.0163934"),
    (page.fused_score, ("dog training",), 0.03149802, "1/63 + 1/64 = 0.0158730 + 0.015625"),
    (page.fused_score, ("skateboard tricks",), 0.01639344, "1/61"),
    (page.rrf_rank_score, (1,), 0.01639344, "1 / (60 + 1)"),
    (page.rrf_rank_score, (10,), 0.01428571, "1 / (60 + 10) = 1/70"),
    (page.top_fused_score, (), 0.03225806, "dog skateboard, 2/62"),
    # BM25
    (page.bm25_idf, (10, 2), 1.481605, "ln(1 + (10 - 2 + 0.5) / (2 + 0.5)) = ln(4.4)"),
    (page.bm25_term_score, (2, 10, 5, 1.0), 0.4878049, "2 / (2 + 1.2 x (0.25 + 0.75 x 10/5)) = 2 / 4.1"),
]


test_hand_values = hand_value_test(HAND_VALUES)


def test_fused_order():
    assert page.fused_top()[:4] == ["dog skateboard", "bulldog rides", "dog training", "skateboard tricks"]


def _random_corpus(rng: random.Random, n_docs: int, vocab: int) -> list[list[str]]:
    return [[f"t{rng.randrange(vocab)}" for _ in range(rng.randint(1, 30))] for _ in range(n_docs)]


@pytest.mark.parametrize("seed", range(20))
def test_bm25_matches_bm25s(seed):
    """The chapter's BM25 equals bm25s's Lucene variant on random corpora, queries and parameters."""
    rng = random.Random(seed)
    corpus = _random_corpus(rng, rng.randint(2, 40), rng.randint(3, 25))
    k1, b = rng.uniform(0.5, 2.0), rng.uniform(0.0, 1.0)
    retriever = bm25s.BM25(method="lucene", k1=k1, b=b)
    retriever.index(bm25s.tokenize([" ".join(d) for d in corpus], stopwords=None, show_progress=False),
                    show_progress=False)
    query = sorted({f"t{rng.randrange(30)}" for _ in range(rng.randint(1, 4))})
    known = [t for t in query if any(t in d for d in corpus)]
    expected = retriever.get_scores(known) if known else np.zeros(len(corpus))
    ours = [page.bm25_score(query, d, corpus, k1, b) for d in corpus]
    assert np.allclose(expected, ours, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("seed", range(20))
def test_rrf_properties(seed):
    """RRF: an item in every list at rank 1 scores n/(k+1); adding a list never lowers a score; order is by score."""
    rng = random.Random(seed)
    items = [f"v{i}" for i in range(30)]
    lists = [rng.sample(items, rng.randint(1, 20)) for _ in range(rng.randint(1, 4))]
    k = rng.choice([0, 1, 10, 60])
    scores = page.rrf_scores(lists, k)
    for item, score in scores.items():
        by_hand = sum(1 / (k + lst.index(item) + 1) for lst in lists if item in lst)
        assert math.isclose(score, by_hand)
    fused = page.rrf_fuse(lists, k)
    assert sorted(fused) == sorted(scores)
    assert all(scores[a] >= scores[b] for a, b in zip(fused, fused[1:]))
    more = page.rrf_scores(lists + [rng.sample(items, 5)], k)
    assert all(more[item] >= scores[item] for item in scores)


def test_rrf_rejects_repeats():
    with pytest.raises(ValueError):
        page.rrf_scores([["a", "a"]])
