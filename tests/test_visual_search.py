"""Hand-derived values of snippets/visual_search.py (the visual search chapter).

Each row: the function, its arguments, the value derived by hand from the assumptions, and the
arithmetic. What every page module shares is checked once in tests/test_pages.py.
"""

from __future__ import annotations

import pytest
from hand_values import hand_value_test

import snippets.visual_search as vs

HAND_VALUES = [
    # Traffic and online accelerators
    (vs.searches_per_day, (), 600e6, "200e6 users x 3 searches"),
    (vs.avg_qps, (), 6_944.444, "600e6 / 86,400 s"),
    (vs.peak_qps, (), 20_833.33, "6,944.44 x 3 (house peak factor)"),
    (vs.peak_box_qps, (), 6_250, "20,833.33 x 30% with a drawn box"),
    (vs.online_embed_gpus, (), 7, "ceil(6,250 / 1,000 per GPU) = ceil(6.25)"),
    (vs.online_detect_gpus_all, (), 139, "ceil(20,833.33 / 150 per GPU) = ceil(138.89)"),
    (vs.online_detect_gpus_for, (0.5,), 70, "ceil(10,416.67 / 150) = ceil(69.44)"),
    (vs.detect_gpu_ms_per_image, (), 6.666667, "1,000 ms / 150 images"),
    (vs.embed_gpu_ms_per_image, (), 1.0, "1,000 ms / 1,000 images"),
    # Vectors and the index, N = 5e9, d = 256
    (vs.vector_bytes, ("fp32",), 1_024, "256 x 4 B"),
    (vs.vector_bytes, ("fp16",), 512, "256 x 2 B"),
    (vs.vector_bytes, ("pq",), 64, "64 sub-quantisers x 1 B"),
    (vs.vector_bytes, ("binary",), 32, "256 bits / 8"),
    (vs.vector_bytes_for, ("binary", 64), 8, "64 bits / 8"),
    (vs.vector_bytes_for, ("fp32", 512), 2_048, "512 x 4 B"),
    (vs.vector_bytes_for, ("pq", 1_024), 64, "a PQ code keeps its 64 bytes whatever the width"),
    (vs.corpus_vector_bytes, ("fp32",), 5.12e12, "5e9 x 1,024 B"),
    (vs.corpus_vector_bytes, ("binary",), 1.6e11, "5e9 x 32 B"),
    (vs.compression_vs_fp32, ("pq",), 16, "1,024 / 64"),
    (vs.compression_vs_fp32, ("binary",), 32, "1,024 / 32"),
    (vs.index_bytes, ("flat_fp16",), 2.6e12, "5e9 x (512 + 8)"),
    (vs.index_bytes, ("hnsw_fp16",), 3.84e12, "5e9 x (512 + 32 x 2 x 4) = 5e9 x 768"),
    (vs.index_bytes, ("ivf_pq",), 3.6e11, "5e9 x (64 + 8)"),
    (vs.index_bytes, ("binary",), 2e11, "5e9 x (32 + 8)"),
    (vs.index_shards, ("flat_fp16",), 11, "ceil(2.6 TB / 256 GB) = ceil(10.16)"),
    (vs.index_shards, ("hnsw_fp16",), 15, "3.84 TB / 256 GB = exactly 15"),
    (vs.index_shards, ("ivf_pq",), 2, "ceil(360 / 256) = ceil(1.41)"),
    (vs.index_shards, ("binary",), 1, "200 GB fits one 256 GB host"),
    (vs.replicas_per_shard, (), 21, "ceil(20,833.33 / 1,000) = ceil(20.83)"),
    (vs.index_hosts, ("ivf_pq",), 42, "2 shards x 21 replicas"),
    (vs.index_hosts, ("hnsw_fp16",), 315, "15 shards x 21 replicas"),
    (vs.index_fleet_bytes, ("ivf_pq",), 7.56e12, "360 GB x 21"),
    (vs.rescore_store_bytes, (), 2.6e12, "5e9 x (512 + 8)"),
    (vs.rescore_bytes_per_query, (), 204_800, "400 candidates x 512 B"),
    (vs.object_store_bytes, (), 7.8e12, "5e9 x 3 objects x (512 + 8) B = 15e9 x 520"),
    (vs.object_index_bytes, (), 1.44e12, "5e9 x (1 + 3) x 72 B = 20e9 x 72"),
    # The funnel
    (vs.ann_candidates_total, (), 800, "2 shards x 400"),
    (vs.after_near_duplicates, (), 280, "400 x (1 - 30%)"),
    (vs.after_filters, (), 252, "280 x (1 - 10%)"),
    # Offline compute
    (vs.reembed_gpu_hours, (), 1_388.889, "5e9 / 1,000 per s / 3,600 s"),
    (vs.reembed_days, (), 1.808449, "1,388.89 / 32 GPUs / 24 h"),
    (vs.reembed_cost, (), 2_777.778, "1,388.89 x $2"),
    (vs.daily_embed_gpu_hours, (), 5.555556, "20e6 / 1,000 / 3,600"),
    (vs.daily_detect_gpu_hours, (), 37.03704, "20e6 / 150 / 3,600"),
    (vs.daily_object_embed_gpu_hours, (), 16.66667, "20e6 x 3 / 1,000 / 3,600"),
    (vs.online_detect_gpu_hours_per_day, (), 1_111.111, "600e6 / 150 / 3,600"),
    (vs.detect_online_vs_ingest, (), 30, "600e6 searches / 20e6 uploads"),
    (vs.daily_index_growth_bytes, (), 1.44e9, "20e6 x 72 B"),
    (vs.days_until_host_full, (), 105.5556, "(2 x 256 GB - 360 GB) / 1.44 GB = 152 / 1.44"),
    # Training pairs and judging
    (vs.engagement_pairs_per_day, (), 36e6, "600e6 x 6%"),
    (vs.judgements_per_evaluation, (), 120_000, "2,000 x 20 x 3"),
    (vs.rater_hours_per_evaluation, (), 400, "120,000 x 12 s / 3,600"),
    # Latency: shares of 200 ms
    (vs.stage_budget, ("network",), 30, "15% of 200 ms"),
    (vs.stage_budget, ("crop",), 15, "7.5% of 200 ms"),
    (vs.stage_budget, ("embed",), 30, "15% of 200 ms"),
    (vs.stage_budget, ("ann",), 30, "15% of 200 ms"),
    (vs.stage_budget, ("rescore",), 15, "7.5% of 200 ms"),
    (vs.stage_budget, ("rerank",), 20, "10% of 200 ms"),
    (vs.stage_budget, ("hydrate",), 20, "10% of 200 ms"),
    (vs.stage_budget, ("headroom",), 40, "20% of 200 ms"),
    (vs.shard_fanout_over, (), 0.0199, "1 - 0.99 ** 2 = 1 - 0.9801"),
    (vs.shard_fanout_over_hnsw, (), 0.139942, "1 - 0.99 ** 15 = 1 - 0.860058"),
    # The drawn box (560, 40, 800, 380) against the lamp (620, 60, 820, 420): intersection
    # 180 x 320 = 57,600; areas 240 x 340 = 81,600 and 200 x 360 = 72,000; union 96,000.
    (vs.box_iou, ("lamp",), 0.6, "57,600 / 96,000"),
    (vs.box_iou, ("sofa",), 0.0, "the sofa starts at y = 380, where the drawn box ends"),
    # The judged query: relevant (grade >= 2) are p11, p04, p35, p08, p90 returned, p44, p58 missed.
    (vs.example_relevant_count, (), 7, "five returned + two missed"),
    (vs.example_recall, (1,), 1 / 7, "p11"),
    (vs.example_recall, (5,), 3 / 7, "p11, p04, p35"),
    (vs.example_recall, (10,), 5 / 7, "p08 and p90 join"),
    (vs.example_precision, (5,), 0.6, "3 / 5"),
    (vs.example_precision, (10,), 0.5, "5 / 10"),
    # DCG@5 = 2 + 3/log2(3) + 0 + 2/log2(5) + 1/log2(6) = 2 + 1.892789 + 0.861353 + 0.386853 = 5.140995;
    # IDCG@5 over every judged grade (3, 3, 3, 2, 2) = 3 + 1.892789 + 1.5 + 0.861353 + 0.773706 = 8.027848.
    (vs.example_ndcg, (5,), 5.140995 / 8.027848, "DCG@5 / IDCG@5"),
    (vs.example_ndcg, (1,), 2 / 3, "grade 2 at the top, where a 3 could have been"),
    # Exponential gains 2**g - 1: DCG@5 = 3 + 7/log2(3) + 3/log2(5) + 1/log2(6) = 3 + 4.416508 + 1.292030
    # + 0.386853 = 9.095391; IDCG@5 (7, 7, 7, 3, 3) = 7 + 4.416508 + 3.5 + 1.292030 + 1.160558 = 17.369096.
    (vs.example_ndcg_exponential, (5,), 9.095391 / 17.369096, "exponential DCG@5 / IDCG@5"),
    # MRR: first exact match at 2, 1, 5 and never: (1/2 + 1 + 1/5 + 0) / 4
    (vs.example_mrr, (), 0.425, "1.7 / 4"),
    (vs.example_mrr_at, (3,), 0.375, "(1/2 + 1 + 0 + 0) / 4: the match at 5 no longer counts"),
    # A/B: p1 = 0.2, p2 = 0.202, pbar = 0.201: (1.959964 sqrt(2 x 0.201 x 0.799) + 0.841621
    # sqrt(0.2 x 0.8 + 0.202 x 0.798))^2 / 0.002^2 = (1.110796 + 0.476981)^2 / 4e-6 = 630,259.4 -> 630,260.
    (vs.ab_sample_per_arm, (), 630_260, "see the arithmetic above"),
    (vs.ab_planned_days, (), 14, "ceil(2 x 630,260 / (200e6 x 25% x 4%)) = 1 day + 7 measured = 8, two whole weeks"),
]


test_hand_values = hand_value_test(HAND_VALUES)


def test_latency_stages_fill_the_target():
    # 30 + 15 + 30 + 30 + 15 + 20 + 20 + 40 = 200 ms, headroom included as a stage.
    assert vs.LATENCY.total_ms() == pytest.approx(200.0)


def test_box_without_a_match_is_used_as_drawn():
    # A box over empty wall overlaps no detection: the query is the drawn crop itself. A box over
    # the lamp's lower half (620, 240, 820, 420) has IoU 36,000 / 72,000 = 0.5 with it and snaps.
    assert vs.snap_for((300, 50, 500, 300)) == "drawn"
    assert vs.snap_for((620, 240, 820, 420)) == "lamp"
    assert vs.snapped_box() == "lamp"


def test_unknown_format_and_layout_name_the_choices():
    with pytest.raises(KeyError, match="fp16"):
        vs.vector_bytes_for("int4")
    with pytest.raises(KeyError, match="ivf_pq"):
        vs.index_bytes("lsh")
