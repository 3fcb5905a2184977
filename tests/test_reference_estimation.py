"""The estimation reference page's numbers, checked against values worked out by hand.

Each expected value is derived in its string from the assumptions in
``snippets/reference/estimation.py`` and the house rules (86,400 s a day, peak 3x average, calls
budgeted at their p99); none is copied from the code's output.
"""

from __future__ import annotations

import pytest
from hand_values import hand_value_test

from snippets.reference import estimation as ref

HAND_VALUES = [
    # --- traffic
    (ref.average_qps, ("home_feed",), 23_148.148, "200M users x 10 loads = 2e9 / 86,400 s"),
    (ref.peak_qps, ("home_feed",), 69_444.444, "23,148.148 x 3"),
    (ref.average_qps, ("analytics",), 1.157407, "5,000 users x 20 queries = 100,000 / 86,400 s"),
    (ref.peak_qps, ("ads",), 1_041_666.67, "1e9 x 30 = 3e10 / 86,400 = 347,222.2; x 3"),
    # --- storage and index memory
    (ref.example_embedding_bytes, ("fp32",), 1.024e12, "1e9 vectors x 256 dims x 4 B"),
    (ref.example_embedding_bytes, ("binary",), 3.2e10, "1e9 x 256 x 1/8 B"),
    (ref.binary_saving, (), 32, "4 B / (1/8 B)"),
    (ref.vector_bytes, (), 1_024, "256 dims x 4 B"),
    (ref.hnsw_link_bytes, (), 256, "M = 32 x 2 links x 4 B"),
    (ref.example_hnsw_bytes, (), 1.28e12, "1e9 x (256 x 4 + 32 x 2 x 4) = 1e9 x 1,280 B"),
    (ref.example_ivfpq_bytes, (), 7.2e10, "1e9 x (64 B code + 8 B id)"),
    # --- frame embedding
    (ref.video_seconds_per_second, (), 6_000, "100 h/min x 3,600 s / 60 s"),
    (ref.video_seconds_per_second, (5,), 30_000, "500 h/min x 3,600 / 60"),
    (ref.frames_per_second, (1,), 6_000, "6,000 video seconds/s x 1 frame per video second"),
    (ref.frames_per_second, (4, 5,), 120_000, "30,000 x 4"),
    (ref.gpus_needed, (1,), 10, "6,000 / (1,000 per GPU x 0.6) = 10 exactly, not 11"),
    (ref.gpus_needed, (0.2,), 2, "1,200 / 600 = 2 exactly"),
    (ref.gpus_needed, (4, 5,), 200, "120,000 / 600"),
    (ref.frame_embedding_bytes_per_day, (1,), 5.308416e11, "6,000 x 86,400 = 518.4M frames x 512 x 2 B"),
    # --- training data
    (ref.impressions_per_day, (), 2e10, "200M users x 5 sessions x 20 impressions"),
    (ref.positives_per_day, (), 4e8, "2e10 x 2%"),
    (ref.negatives_per_day, (), 1.96e10, "2e10 - 4e8"),
    (ref.negative_keep_rate, (), 0.0204082, "1 x 0.02 / 0.98"),
    (ref.training_rows_per_day, (), 8e8, "4e8 positives + 1.96e10 x 0.02 / 0.98 = 4e8 kept negatives"),
    (ref.training_share_of_impressions, (), 0.04, "8e8 / 2e10"),
    (ref.training_positive_rate, (), 0.5, "4e8 / 8e8: one negative per positive"),
    (ref.recalibrated_example, (), 0.0909091, "0.5 / (0.5 + 0.5 / 0.1) = 0.5 / 5.5 = 1/11"),
    # --- fan-out
    (ref.fanout_within, (), 0.366032, "0.99^100 = exp(100 x -0.01005034) = exp(-1.005034)"),
    (ref.fanout_over, (), 0.633968, "1 - 0.366032"),
    (ref.required_call_quantile, (), 0.99989950, "0.99^(1/100) = exp(-0.000100503)"),
    (ref.fanout_max_calls, (), 1_000, "the largest fan-out of the table"),
    (ref.fanout_max_within_stricter, (), 0.367695, "0.999^1000 = exp(1000 x -0.0010005) = exp(-1.0005003)"),
    # --- latency budget
    (ref.stage_budget, ("retrieval",), 25, "slowest of ANN 25, keyword 20, cache 5 ms"),
    (ref.latency_total_ms, (), 150, "30 + 10 + 25 + 15 + 60 + 10 ms"),
    (ref.latency_headroom_ms, (), 50, "200 - 150 ms"),
    (ref.latency_naive_total_ms, (), 175, "30 + 10 + (25 + 20 + 5) + 15 + 60 + 10 ms"),
    (ref.shards_within, (), 0.817907, "0.99^20 = exp(20 x -0.01005034) = exp(-0.2010067)"),
    (ref.shards_required_quantile, (), 0.99949761, "0.99^(1/20) = exp(-0.000502517)"),
    # Graph fan-out, median 200: neighbour mean = 200 e^(1.5 sigma^2); e^0.375 = 1.4549914,
    # e^3.375 = 29.2243 (sigma 1.5); paths = 200 x (neighbour mean - 1).
    (ref.graph_naive_two_hop, (), 40_000, "200 x 200"),
    (ref.graph_neighbour_mean, (0.5,), 290.99828, "200 x e^(1.5 x 0.25) = 200 x 1.4549914"),
    (ref.graph_neighbour_mean, (1.5,), 5_844.857, "200 x e^(1.5 x 2.25) = 200 x 29.224285"),
    (ref.graph_two_hop_paths, (0.5,), 57_999.66, "200 x (290.99828 - 1)"),
    (ref.graph_two_hop_paths, (1.5,), 1_168_771.4, "200 x (5,844.857 - 1)"),
]


test_hand_values = hand_value_test(HAND_VALUES)


# --- table cells that hold arithmetic of their own -------------------------------------------


def rows(table: str) -> list[list[str]]:
    """The body rows of a Markdown pipe table, as lists of stripped cells."""
    lines = table.strip().splitlines()[2:]
    return [[cell.strip() for cell in line.strip().strip("|").split(" | ")] for line in lines]


def row_for(table: str, *first_cells: str) -> list[str]:
    for row in rows(table):
        if row[: len(first_cells)] == list(first_cells):
            return row
    raise AssertionError(f"no row starting with {first_cells!r} in\n{table}")


def test_precision_labels_show_fractional_bytes():
    # Binary codes take one bit, 1/8 of a byte, per value.
    header = ref.embedding_storage_table().splitlines()[0]
    assert "fp32 (4 B)" in header and "binary (1/8 B)" in header


def test_hosts_per_index():
    table = ref.index_hosts_table()
    # 1.28e12 / 256e9 = 5 exactly (not 6); 1.024e13 / 256e9 = 40; 7.2e11 / 256e9 = 2.81 -> 3.
    assert row_for(table, "1B vectors", "HNSW M=32")[2:] == ["1.28 TB", "5"]
    assert row_for(table, "10B vectors", "Flat (fp32)")[3] == "40"
    assert row_for(table, "10B vectors", "IVF-PQ 64 B")[3] == "3"
    # 72 GB fits in one host.
    assert row_for(table, "1B vectors", "IVF-PQ 64 B")[3] == "1"


def test_frame_embedding_rows():
    table = ref.frame_embedding_table()
    # 6,000 frames/s; x 86,400 = 518.4M a day; 10 GPUs; 518.4e6 x 512 x 2 B = 5.308e11 B.
    assert row_for(table, "100 h/min (cited, 2013)", "1")[2:] == ["6k", "518M", "10", "531 GB"]
    # Hypothetical 500 h/min at 4 frames/s: 120,000/s, 10.37B a day, 200 GPUs.
    assert row_for(table, "500 h/min (hypothetical)", "4")[2:5] == ["120k", "10.4B", "200"]


def test_recalibration_cells():
    table = ref.recalibration_table()
    # Keeping every negative changes nothing.
    assert row_for(table, "w = 100%")[1:] == ["0.050", "0.200", "0.500", "0.900"]
    # w = 0.5, p = 0.2: 0.2 / (0.2 + 0.8 / 0.5) = 0.2 / 1.8 = 0.111.
    assert row_for(table, "w = 50%")[2] == "0.111"
    # w = 0.02, p = 0.9: 0.9 / (0.9 + 0.1 / 0.02) = 0.9 / 5.9 = 0.1525.
    assert row_for(table, "w = 2%")[4] == "0.153"


def test_fanout_rows():
    table = ref.fanout_table()
    # 0.99^1000 = 4.32e-5 -> "0.004%" (three decimals when one would show 0.0%); 0.999^1000 = 0.3677.
    assert row_for(table, "1,000")[1:5] == ["0.004%", "99.996%", "36.8%", "63.2%"]
    # One call: nothing compounds.
    assert row_for(table, "1")[1:] == ["99.0%", "1.0%", "99.9%", "0.1%", "p99.000"]


def test_unknown_ids_are_refused():
    with pytest.raises(KeyError, match="no product 'nope'"):
        ref.product("nope")
    with pytest.raises(KeyError, match="no precision 'fp8'"):
        ref.bytes_per_value("fp8")
    with pytest.raises(ValueError, match="growth must be > 0"):
        ref.video_seconds_per_second(0)
