"""The estimation reference page's calculators, checked against values worked out by hand.

Each expected value is derived in a comment from the assumptions in
``snippets/reference_estimation.py``; none is copied from the code's output.
"""

from __future__ import annotations

import pytest

from snippets import reference_estimation as ref
from snippets.display import percentile

TABLES = [
    ref.assumptions_table,
    ref.qps_table,
    ref.embedding_storage_table,
    ref.index_memory_table,
    ref.index_hosts_table,
    ref.frame_embedding_table,
    ref.training_volume_table,
    ref.recalibration_table,
    ref.fanout_table,
    ref.latency_budget_table,
]


def rows(table: str) -> list[list[str]]:
    """The body rows of a Markdown pipe table, as lists of stripped cells."""
    lines = table.strip().splitlines()
    return [[cell.strip() for cell in line.strip().strip("|").split(" | ")] for line in lines[2:]]


def header(table: str) -> list[str]:
    return [cell.strip() for cell in table.strip().splitlines()[0].strip().strip("|").split(" | ")]


def row_for(table: str, *first_cells: str) -> list[str]:
    """The first row whose leading cells equal ``first_cells``."""
    for row in rows(table):
        if row[: len(first_cells)] == list(first_cells):
            return row
    raise AssertionError(f"no row starting with {first_cells!r} in\n{table}")


@pytest.mark.parametrize("table", TABLES, ids=[t.__name__ for t in TABLES])
def test_every_table_is_a_well_formed_pipe_table(table):
    text = table()
    lines = text.strip().splitlines()
    assert len(lines) >= 3
    assert all(line.startswith("| ") and line.endswith(" |") for line in lines)
    widths = {line.count(" | ") for line in lines}
    assert len(widths) == 1, "every row has as many cells as the header"


def test_numbers_are_non_empty_single_lines():
    values = ref.numbers()
    assert values
    for key, value in values.items():
        assert isinstance(value, str) and value.strip(), key
        assert "\n" not in value, key


# --- traffic -----------------------------------------------------------------------------------


def test_qps_for_the_home_feed():
    # 200M users x 10 loads = 2e9 requests/day; / 86,400 = 23,148.1 QPS -> "23.1k";
    # peak x 3 = 69,444.4 -> "69.4k".
    row = row_for(ref.qps_table(), "Consumer app home feed")
    assert row[3:] == ["2B", "23.1k", "69.4k"]


def test_qps_for_the_smallest_product():
    # 5,000 users x 20 queries = 100,000/day; / 86,400 = 1.1574 -> "1.16"; x 3 = 3.472 -> "3.47".
    row = row_for(ref.qps_table(), "Internal analytics tool")
    assert row[3:] == ["100k", "1.16", "3.47"]


def test_qps_for_ads():
    # 1e9 x 30 = 3e10/day; / 86,400 = 347,222 -> "347k"; x 3 = 1,041,667 -> "1.04M".
    row = row_for(ref.qps_table(), "Ads on a global feed")
    assert row[4:] == ["347k", "1.04M"]


# --- storage and index memory ---------------------------------------------------------------------


def test_embedding_storage_by_precision():
    table = ref.embedding_storage_table()
    assert header(table)[1:] == ["fp32 (4 B)", "fp16 (2 B)", "int8 (1 B)", "binary (1/8 B)"]
    # 1e9 x 256 x 4 = 1.024e12 B; x 2 = 5.12e11; x 1 = 2.56e11; x 1/8 = 3.2e10.
    assert row_for(table, "1B vectors")[1:] == ["1.02 TB", "512 GB", "256 GB", "32 GB"]
    # 1e6 x 256 x 4 = 1.024e9 B; 1e6 x 256 / 8 = 3.2e7 B.
    assert row_for(table, "1M vectors")[1] == "1.02 GB"
    assert row_for(table, "1M vectors")[4] == "32 MB"
    # 1e10 x 256 x 2 = 5.12e12 B.
    assert row_for(table, "10B vectors")[2] == "5.12 TB"


def test_index_memory():
    table = ref.index_memory_table()
    assert header(table) == ["Vectors", "Flat fp32", "HNSW M=16", "HNSW M=32", "HNSW M=64",
                             "IVF-PQ 16 B", "IVF-PQ 32 B", "IVF-PQ 64 B"]
    # HNSW: 1e9 x (256 x 4 + M x 2 x 4): M=16 -> 1e9 x 1,152 = 1.152e12; M=32 -> 1e9 x 1,280;
    # M=64 -> 1e9 x 1,536. IVF-PQ: 1e9 x (code + 8): 24e9, 40e9, 72e9.
    assert row_for(table, "1B")[1:] == ["1.02 TB", "1.15 TB", "1.28 TB", "1.54 TB", "24 GB", "40 GB", "72 GB"]
    # 1e6 x (16 + 8) = 2.4e7 B.
    assert row_for(table, "1M")[5] == "24 MB"


def test_hosts_per_index():
    table = ref.index_hosts_table()
    # 1.28e12 / 256e9 = 5 exactly; 1.024e13 / 256e9 = 40; 7.2e11 / 256e9 = 2.81 -> 3.
    assert row_for(table, "1B vectors", "HNSW M=32")[2:] == ["1.28 TB", "5"]
    assert row_for(table, "10B vectors", "Flat (fp32)")[3] == "40"
    assert row_for(table, "10B vectors", "IVF-PQ 64 B")[3] == "3"
    # 72 GB fits in one host.
    assert row_for(table, "1B vectors", "IVF-PQ 64 B")[3] == "1"


# --- frame embedding ----------------------------------------------------------------------------


def test_frame_embedding_pure_functions():
    # 100 h/min = 6,000 h/h = 6,000 s of video per second.
    assert ref.video_seconds_per_second(100) == pytest.approx(6_000)
    assert ref.frames_per_second(6_000, 0.5) == pytest.approx(3_000)
    # 6,000 frames/s at 1,000/s per GPU and 60% utilisation: 6,000 / 600 = 10 exactly.
    assert ref.gpus_for_rate(6_000, 1_000, 0.6) == 10
    assert ref.gpus_for_rate(6_001, 1_000, 0.6) == 11
    assert ref.gpus_for_rate(0, 1_000) == 0
    with pytest.raises(ValueError):
        ref.gpus_for_rate(10, 0)
    with pytest.raises(ValueError):
        ref.gpus_for_rate(10, 100, 1.5)
    with pytest.raises(ValueError):
        ref.video_seconds_per_second(-1)


def test_frame_embedding_table():
    table = ref.frame_embedding_table()
    # 1 frame/s of 6,000 video-seconds/s = 6,000 frames/s; x 86,400 = 518.4M/day; 10 GPUs;
    # 518.4e6 x 512 x 2 B = 5.308e11 B -> "531 GB".
    assert row_for(table, "100 h/min (cited, 2013)", "1")[2:] == ["6k", "518M", "10", "531 GB"]
    # 4 frames/s: 24,000/s -> 24,000 / 600 = 40 GPUs.
    assert row_for(table, "100 h/min (cited, 2013)", "4")[4] == "40"
    # Hypothetical 500 h/min at 4 frames/s: 30,000 x 4 = 120,000/s -> 200 GPUs.
    assert row_for(table, "500 h/min (hypothetical)", "4")[2:5] == ["120k", "10.4B", "200"]


# --- training data ------------------------------------------------------------------------------


def test_negative_keep_rate_for_ratio():
    # 1:1 at 2% CTR: w = 0.02 / 0.98 = 0.020408...
    assert ref.negative_keep_rate_for_ratio(0.02, 1) == pytest.approx(0.02 / 0.98)
    # 4 negatives per positive at 10% CTR: 4 x 0.1 / 0.9 = 0.444...
    assert ref.negative_keep_rate_for_ratio(0.1, 4) == pytest.approx(0.4 / 0.9)
    # Negatives already scarcer than the target: keep them all.
    assert ref.negative_keep_rate_for_ratio(0.6, 1) == 1.0
    with pytest.raises(ValueError):
        ref.negative_keep_rate_for_ratio(0, 1)


def test_training_volume_table():
    table = ref.training_volume_table()
    # 200M x 5 x 20 = 2e10 impressions; at 1 kB/row 2e13 B = 20 TB.
    assert row_for(table, "Impressions (candidate rows)")[2:] == ["20B", "20 TB"]
    # 2e10 x 0.02 = 4e8 positives; negatives 1.96e10; kept 1.96e10 x 0.02/0.98 = 4e8.
    assert row_for(table, "Positives (clicks)")[2] == "400M"
    assert row_for(table, "Negatives")[2] == "19.6B"
    assert row_for(table, "Negatives kept (w = 2.04%)")[2] == "400M"
    # 4e8 + 4e8 = 8e8 rows; 8e11 B.
    assert row_for(table, "Training rows after downsampling")[2:] == ["800M", "800 GB"]


def test_recalibration_table():
    table = ref.recalibration_table()
    assert header(table)[1:] == ["p = 0.05", "p = 0.2", "p = 0.5", "p = 0.9"]
    # Keeping every negative changes nothing.
    assert row_for(table, "w = 100%")[1:] == ["0.050", "0.200", "0.500", "0.900"]
    # w = 0.5, p = 0.2: 0.2 / (0.2 + 0.8 / 0.5) = 0.2 / 1.8 = 0.111.
    assert row_for(table, "w = 50%")[2] == "0.111"
    # w = 0.1, p = 0.5: 0.5 / (0.5 + 5) = 0.0909 -> "0.091".
    assert row_for(table, "w = 10%")[3] == "0.091"
    # w = 0.02, p = 0.9: 0.9 / (0.9 + 0.1 / 0.02) = 0.9 / 5.9 = 0.1525 -> "0.153".
    assert row_for(table, "w = 2%")[4] == "0.153"


# --- fan-out --------------------------------------------------------------------------------------


def test_fanout_table():
    table = ref.fanout_table()
    # 0.99^100 = exp(100 ln 0.99) = exp(-1.00503) = 0.36603; 0.999^100 = 0.90479.
    # Per-call quantile: 0.99^(1/100) = exp(-0.000100503) = 0.99989950 -> p99.990.
    assert row_for(table, "100")[1:] == ["36.6%", "63.4%", "90.5%", "9.5%", "p99.990"]
    # 0.99^1000 = 4.32e-5 -> "0.004%"; 0.999^1000 = exp(-1.0005) = 0.36770 -> "36.8%".
    assert row_for(table, "1,000")[1:5] == ["0.004%", "99.996%", "36.8%", "63.2%"]
    # One call: nothing compounds.
    assert row_for(table, "1")[1:] == ["99.0%", "1.0%", "99.9%", "0.1%", "p99.000"]
    # 0.99^(1/20) = exp(-0.00050252) = 0.99949761 -> p99.950.
    assert row_for(table, "20")[5] == "p99.950"


def test_percentile_labels():
    assert percentile(0.99) == "p99"
    assert percentile(0.999) == "p99.9"
    assert percentile(0.9998995, 3) == "p99.990"


# --- latency budget -------------------------------------------------------------------------------


def test_serial_and_parallel_latency():
    assert ref.serial_ms([10, 20, 30.5]) == 60.5
    assert ref.parallel_ms([25, 20, 5]) == 25
    with pytest.raises(ValueError):
        ref.parallel_ms([])


def test_latency_budget_table():
    table = ref.latency_budget_table()
    # Retrieval runs ANN 25, keyword 20 and cache 5 ms in parallel: max = 25 ms.
    assert row_for(table, "Candidate retrieval (parallel)")[2] == "25 ms"
    # 30 + 10 + 25 + 15 + 60 + 10 = 150 ms; 200 - 150 = 50 ms of headroom.
    assert row_for(table, "Total (sum of stages)")[2] == "150 ms"
    assert row_for(table, "Headroom to the 200 ms target")[2] == "50 ms"


def test_inline_numbers():
    values = ref.numbers()
    # Adding the parallel branches as if serial: 30 + 10 + 25 + 20 + 5 + 15 + 60 + 10 = 175 ms.
    assert values["latency_naive_total"] == "175 ms"
    # 20 shards at p99: 0.99^20 = 0.8179 -> 81.8%; 0.99^(1/20) = 0.999497... -> p99.95.
    assert values["shards_within"] == "81.8%"
    assert values["shards_required"] == "p99.95"
    # Downsampled training set: 8e8 / 2e10 = 4.0%; positive share 4e8 / 8e8 = 50%.
    assert values["shrink"] == "4.0%"
    assert values["train_positive_rate"] == "50%"
    # fp32 over binary: 4 / (1/8) = 32.
    assert values["binary_saving"] == "32"
    # 32 links x 2 x 4 B = 256 B; 256 dims x 4 B = 1,024 B.
    assert values["hnsw32_link_bytes_per_vector"] == "256"
    assert values["vector_bytes_fp32"] == "1,024"
