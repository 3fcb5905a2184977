"""Tests for snippets/video_recommendation.py.

Expected values are derived by hand in the comments, never copied from the module's output.
"""

from __future__ import annotations

import dataclasses
import inspect
import math
import re

from pathlib import Path

import pytest

import snippets.video_recommendation as vr

CHAPTER = Path(__file__).resolve().parents[1] / "docs" / "video-recommendation.md"
A = vr.ASSUMPTIONS


# --- assumptions --------------------------------------------------------------------------------


def test_problem_statement_values():
    # The interview prompt fixes these three numbers.
    assert A.daily_active_users == 500_000_000
    assert A.corpus_videos == 100_000_000
    assert A.latency_target_ms == 100.0


def test_assumptions_are_frozen():
    with pytest.raises(AttributeError):
        A.daily_active_users = 1  # type: ignore[misc]


def test_every_assumption_has_label_and_provenance():
    names = {f.name for f in dataclasses.fields(A)}
    assert names == set(vr._LABELS) == set(vr._PROVENANCE)


# --- pure functions -----------------------------------------------------------------------------


def test_traffic():
    d = vr._derived()
    # 500e6 users x 6 loads / 86,400 s = 34,722.2 requests/s; x 3 at peak = 104,166.7.
    assert d["avg_qps"] == pytest.approx(34_722.22, rel=1e-6)
    assert d["peak_qps"] == pytest.approx(104_166.67, rel=1e-6)
    assert d["requests_per_day"] == pytest.approx(3e9)


def test_candidate_funnel():
    # 500 + 200 + 150 + 100 + 50 = 1,000; 25% lost to overlap and filters leaves 750.
    assert vr.candidates_from_sources(A.candidate_sources) == 1_000
    assert vr.candidates_after_merge(1_000, 0.25) == 750
    assert vr.candidates_after_merge(1_000, 0.0) == 1_000
    with pytest.raises(ValueError):
        vr.candidates_after_merge(1_000, 1.0)


def test_funnel_narrows_at_every_stage():
    d = vr._derived()
    assert d["candidates_total"] > d["candidates_merged"] > A.reranker_input > A.items_returned
    assert A.items_returned >= A.impressions_per_load


def test_predictions_per_second():
    # 34,722.2 QPS x 750 candidates = 26.04M/s; peak 104,166.7 x 750 = 78.125M/s.
    assert vr.predictions_per_second(34_722.222, 750) == pytest.approx(26.0417e6, rel=1e-4)
    d = vr._derived()
    assert d["pred_peak"] == pytest.approx(78.125e6, rel=1e-6)


def test_gpus_shards_replicas_round_up():
    # 78.125M / 100k = 781.25 -> 782 accelerators.
    assert vr.gpus_needed(78.125e6, 1e5) == 782
    assert vr.gpus_needed(2e5, 1e5) == 2
    # 128 GB on 64 GB hosts is exactly 2 shards; one byte more needs 3; small indexes need 1.
    assert vr.shards_needed(128e9, 64e9) == 2
    assert vr.shards_needed(128e9 + 1, 64e9) == 3
    assert vr.shards_needed(7.2e9, 64e9) == 1
    # 104,166.7 QPS / 2,000 per replica = 52.08 -> 53 replicas.
    assert vr.replicas_needed(104_166.67, 2_000) == 53


def test_parallel_calls():
    # 750 / 64 = 11.7 -> 12 calls; an exact multiple does not round up.
    assert vr.parallel_calls(750, 64) == 12
    assert vr.parallel_calls(640, 64) == 10


def test_storage():
    d = vr._derived()
    # 100e6 x 256 x 4 B = 102.4 GB fp32; halves for fp16, quarter for int8.
    assert d["video_emb_fp32"] == pytest.approx(102.4e9)
    assert d["video_emb_fp16"] == pytest.approx(51.2e9)
    assert d["video_emb_int8"] == pytest.approx(25.6e9)
    # 500e6 x 256 x 4 B = 512 GB.
    assert d["user_emb_fp32"] == pytest.approx(512e9)
    # Features: 100e6 x 1 kB = 100 GB; 1e9 users (DAU x 2) x 2 kB = 2 TB.
    assert d["video_features"] == pytest.approx(100e9)
    assert d["user_features"] == pytest.approx(2e12)
    assert vr.feature_store_bytes(10, 3) == 30


def test_ann_index_memory():
    d = vr._derived()
    # HNSW: 100e6 x (256 x 4 + 32 x 2 x 4) = 100e6 x 1,280 B = 128 GB; fp16: 100e6 x 768 = 76.8 GB.
    assert d["hnsw_fp32"] == pytest.approx(128e9)
    assert d["hnsw_fp16"] == pytest.approx(76.8e9)
    # IVF-PQ: 100e6 x (64 + 8) B = 7.2 GB, one shard.
    assert d["ivfpq"] == pytest.approx(7.2e9)
    assert d["ivfpq_shards"] == 1
    assert d["hnsw_fp32_shards"] == 2


def test_fanout():
    d = vr._derived()
    # 0.99^5 = 0.95099; 0.99^12 = exp(12 ln 0.99) = 0.88638; 0.99^100 = 0.36603.
    assert d["fanout_sources"] == pytest.approx(0.95099, abs=1e-5)
    assert d["fanout_ranking"] == pytest.approx(0.88638, abs=1e-5)
    assert d["fanout_100"] == pytest.approx(0.36603, abs=1e-5)


def test_training_data():
    # 500e6 x 6 loads x 8 cards = 24e9 impressions; 5% clicked = 1.2e9;
    # 95% unclicked x 10% kept = 2.28e9; rows = 3.48e9; x 1,500 B = 5.22 TB.
    assert vr.impressions_per_day(500e6, 6, 8) == pytest.approx(24e9)
    assert vr.training_rows_per_day(24e9, 0.05, 0.10) == pytest.approx(3.48e9)
    d = vr._derived()
    assert d["training_bytes_per_day"] == pytest.approx(5.22e12)


def test_latency_budget_sums_to_target():
    budget = vr.latency_budget_ms(A.latency_target_ms, A.latency_shares)
    assert sum(ms for _, ms in budget) == pytest.approx(A.latency_target_ms)
    assert [stage for stage, _ in budget] == [stage for stage, _ in A.latency_shares]
    # 25% of 100 ms for ranking inference.
    assert dict(budget)["Ranking model inference"] == pytest.approx(25.0)
    assert all(ms > 0 for _, ms in budget)


def test_latency_budget_rejects_bad_shares():
    with pytest.raises(ValueError):
        vr.latency_budget_ms(100.0, (("a", 0.5), ("b", 0.4)))


def test_ab_test():
    d = vr._derived()
    # Textbook approximation n = (z_.975 + z_.8)^2 * 2 p (1 - p) / delta^2 with p = 0.4,
    # delta = 0.4 x 0.002 = 0.0008: 7.849 x 0.48 / 6.4e-7 = 5.887e6; the pooled/unpooled
    # formula differs from it by well under 0.1%.
    assert d["ab_sample_per_arm"] == pytest.approx(5.887e6, rel=1e-3)
    # 2 arms x 5.888e6 / (500e6 x 1%) = 2.36 -> 3 whole days; planned is the 14-day floor.
    assert d["ab_days_raw"] == 3
    assert d["ab_days_planned"] == 14


def test_metric_example():
    m = vr._metric_example_values()
    # Relevant (gain >= 2): v17, v42, v90 shown and v77 not shown -> 4.
    assert m["n_relevant"] == 4
    # Top 5 holds v17 and v42: recall 2/4, precision 2/5; top 3: precision 2/3; top 8 adds v90: 3/4.
    assert m["recall@5"] == pytest.approx(0.5)
    assert m["precision@5"] == pytest.approx(0.4)
    assert m["precision@3"] == pytest.approx(2 / 3)
    assert m["recall@8"] == pytest.approx(0.75)
    # DCG@5 = 2/1 + 3/log2(4) + 1/log2(6) = 2 + 1.5 + 0.38685 = 3.88685.
    assert m["dcg@5"] == pytest.approx(3.88685, abs=1e-5)
    # IDCG@5 over all judged (3,3,2,2,1) = 3 + 1.89279 + 1 + 0.86135 + 0.38685 = 7.14099.
    assert m["ndcg@5"] == pytest.approx(3.88685 / 7.14099, abs=1e-4)
    # IDCG@5 over the shown list (3,2,2,1,0) = 3 + 1.26186 + 1 + 0.43068 = 5.69254.
    assert m["ndcg_listonly@5"] == pytest.approx(3.88685 / 5.69254, abs=1e-4)
    # Exponential gains: DCG@5 = 3 + 7/2 + 1/log2(6) = 6.88685;
    # IDCG@5 (7,7,3,3,1) = 7 + 4.41651 + 1.5 + 1.29203 + 0.38685 = 14.59539.
    assert m["ndcg_exp@5"] == pytest.approx(6.88685 / 14.59539, abs=1e-4)
    # Missing v77 can only lower nDCG relative to the list-only ideal.
    assert m["ndcg@8"] < m["ndcg_listonly@8"]


def test_interview_plan_fills_45_minutes():
    assert sum(minutes for _, minutes, _ in vr.INTERVIEW_PLAN) == 45
    assert vr.interview_timeline_table().splitlines()[-1].startswith("| 42-45 |")


# --- display functions --------------------------------------------------------------------------

TABLE_FUNCTIONS = sorted(
    name
    for name, fn in inspect.getmembers(vr, inspect.isfunction)
    if name.endswith("_table") and not name.startswith("_") and fn.__module__ == vr.__name__
)


@pytest.mark.parametrize("name", TABLE_FUNCTIONS)
def test_tables_are_well_formed_markdown(name):
    text = getattr(vr, name)()
    lines = text.splitlines()
    assert len(lines) >= 3, name
    assert all(line.startswith("| ") and line.endswith(" |") for line in lines), name
    assert re.fullmatch(r"\|( (:--|--:|:-:) \|)+", lines[1]), name
    widths = {len(re.split(r"(?<!\\)\|", line)) for line in lines}
    assert len(widths) == 1, f"{name}: rows have different cell counts"


def test_numbers_are_non_empty_strings():
    values = vr.numbers()
    assert values
    for key, value in values.items():
        assert isinstance(value, str) and value.strip(), key


def test_chapter_references_resolve():
    text = CHAPTER.read_text(encoding="utf-8")
    keys = set(re.findall(r"video_recommendation\.numbers\[(\w+)\]", text))
    assert keys, "the chapter references no numbers"
    missing = keys - set(vr.numbers())
    assert not missing, f"numbers() lacks keys used in the chapter: {sorted(missing)}"
    tables = set(re.findall(r"\{\{ table: video_recommendation\.(\w+) \}\}", text))
    for name in tables:
        assert callable(getattr(vr, name, None)), name


def test_every_table_function_is_used_by_the_chapter():
    text = CHAPTER.read_text(encoding="utf-8")
    unused = [name for name in TABLE_FUNCTIONS if f"{{{{ table: video_recommendation.{name} }}}}" not in text]
    assert not unused, f"table functions not shown in the chapter: {unused}"


def test_chapter_places_every_figure():
    text = CHAPTER.read_text(encoding="utf-8")
    for figure in ("architecture", "data_pipeline", "two_tower", "ranking_model", "serving_funnel"):
        assert re.search(rf"^\{{\{{ figure: video_recommendation/{figure} \}}\}}$", text, re.M), figure


def test_no_nan_or_inf_in_numbers():
    for key, value in vr.numbers().items():
        assert "nan" not in value.lower() and "inf" not in value.lower(), key
    assert not math.isnan(vr._derived()["pred_peak"])


def test_fanout_probability_shown_in_prose():
    # The fan-out paragraph prints the per-call probability; p99 means 0.99, shown with 2 decimals.
    assert vr.numbers()["single_call_quantile"] == "0.99"
