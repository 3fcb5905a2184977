"""Tests for snippets/framework.py: pure functions, the plan's invariants, the page's references.

Expected values are derived by hand in the comments, never copied from the module's output.
"""

from __future__ import annotations

import math
import re

from pathlib import Path

import pytest

from snippets import framework
from snippets.display import percentile
from snippets.framework import (
    ASSUMPTIONS,
    INTERVIEW_MINUTES,
    INTERVIEW_PHASES,
    LATENCY_STAGES,
    budget_slack_ms,
    daily_impressions,
    experiment_days,
    predictions_per_second,
    timeline,
    users_per_arm_per_day,
)

CHAPTER = Path(__file__).resolve().parents[1] / "docs" / "framework.md"

TABLE_FUNCTIONS = (
    framework.interview_timeline_table,
    framework.assumptions_table,
    framework.capacity_table,
    framework.index_memory_table,
    framework.latency_budget_table,
    framework.fanout_table,
    framework.ab_test_table,
)


# ---- the interview plan ---------------------------------------------------------------------


def test_timeline_sums_to_the_interview_length():
    # 5 + 4 + 3 + 7 + 8 + 5 + 7 + 3 + 3 = 45 minutes, the premise of the chapter.
    assert sum(phase.minutes for phase in INTERVIEW_PHASES) == 45 == INTERVIEW_MINUTES


def test_timeline_start_end_and_shares():
    rows = timeline(INTERVIEW_PHASES)
    starts = [start for _, start, _, _ in rows]
    ends = [end for _, _, end, _ in rows]
    # Phases are back to back: each starts where the previous one ended, from 0 to 45.
    assert starts[0] == 0
    assert starts[1:] == ends[:-1]
    assert ends[-1] == 45
    # "Model" is the fifth phase: starts after 5 + 4 + 3 + 7 = 19 minutes and ends at 19 + 8 = 27.
    model = next(row for row in rows if row[0].name == "Model")
    assert (model[1], model[2]) == (19, 27)
    # Its share is 8 / 45 = 0.1778; all shares sum to 1.
    assert model[3] == pytest.approx(8 / 45)
    assert sum(share for *_, share in rows) == pytest.approx(1.0)


def test_timeline_on_a_toy_plan():
    # Two phases of 10 and 30 minutes: (0, 10, 0.25) and (10, 40, 0.75).
    toy = (
        framework.InterviewPhase("a", 10, ""),
        framework.InterviewPhase("b", 30, ""),
    )
    assert [(s, e, sh) for _, s, e, sh in timeline(toy)] == [(0, 10, 0.25), (10, 40, 0.75)]


def test_timeline_rejects_an_empty_plan():
    with pytest.raises(ValueError):
        timeline(())


# ---- pure functions -----------------------------------------------------------------------


def test_predictions_per_second():
    # 1,000 requests/s each scoring 500 candidates = 500,000 predictions/s.
    assert predictions_per_second(1_000, 500) == 500_000


def test_daily_impressions():
    # 100M users x 10 loads x 10 items shown = 1e10 impressions a day.
    assert daily_impressions(100e6, 10, 10) == pytest.approx(1e10)


def test_users_per_arm_per_day():
    # 100M daily users x 1% in the experiment = 1M a day, split over 2 arms = 500,000 per arm.
    assert users_per_arm_per_day(100e6, 0.01, 2) == pytest.approx(500_000)
    # Three arms (two treatments and control) share the same 1M: 333,333.3 each.
    assert users_per_arm_per_day(100e6, 0.01, 3) == pytest.approx(1e6 / 3)
    with pytest.raises(ValueError):
        users_per_arm_per_day(100e6, 0.01, 0)


def test_latency_budget_sums_to_its_target():
    # 20 + 20 + 30 + 25 + 60 + 15 + 30 = 200 ms, the stated target.
    assert sum(stage.milliseconds for stage in LATENCY_STAGES) == ASSUMPTIONS.latency_target_ms
    assert budget_slack_ms(LATENCY_STAGES, ASSUMPTIONS.latency_target_ms) == 0


def test_budget_slack_sign():
    stages = (framework.LatencyStage("x", 30, ""), framework.LatencyStage("y", 50, ""))
    # 100 - (30 + 50) = 20 ms left; 70 - 80 = -10 ms over.
    assert budget_slack_ms(stages, 100) == 20
    assert budget_slack_ms(stages, 70) == -10




@pytest.mark.parametrize(
    ("computed", "minimum", "expected"),
    [
        (0.8, 7, 7),  # far under a week: the floor wins
        (9.2, 7, 10),  # rounded up to whole days
        (8.0, 7, 8),  # already whole: unchanged
    ],
)
def test_experiment_days(computed, minimum, expected):
    assert experiment_days(computed, minimum) == expected


# ---- the worked example, end to end (hand arithmetic against the library) --------------------


def test_worked_example_traffic():
    d = framework._derived()
    # 100M x 10 / 86,400 = 11,574.07 QPS on average; x3 at peak = 34,722.2.
    assert d["avg_qps"] == pytest.approx(11_574.07, rel=1e-4)
    assert d["peak_qps"] == pytest.approx(34_722.2, rel=1e-4)
    # 34,722.2 x 500 candidates = 17.36M predictions/s at peak.
    assert d["peak_predictions"] == pytest.approx(17.361e6, rel=1e-3)
    # 1e10 impressions x 3% = 3e8 clicks a day.
    assert d["positives_per_day"] == pytest.approx(3e8)


def test_worked_example_memory():
    d = framework._derived()
    # 100M x 128 x 4 B = 51.2 GB raw fp32.
    assert d["embeddings_fp32"] == pytest.approx(51.2e9)
    # HNSW (Faiss guideline): 100M x (128 x 4 + 32 x 2 x 4) = 100M x 768 B = 76.8 GB.
    assert d["hnsw"] == pytest.approx(76.8e9, rel=0.01)
    # IVF-PQ: 100M x (64 B code + 8 B id) = 7.2 GB.
    assert d["ivfpq"] == pytest.approx(7.2e9, rel=0.01)


def test_worked_example_fanout():
    d = framework._derived()
    # 0.99 ** 100 = exp(100 x ln 0.99) = exp(-1.005034) = 0.36603.
    assert d["fanout_quantile"] == pytest.approx(0.36603, abs=1e-4)


def test_worked_example_ab_test():
    d = framework._derived()
    # p1 = 0.10, p2 = 0.10 x 1.005 = 0.1005, pbar = 0.10025, z(0.975) = 1.95996, z(0.8) = 0.84162.
    # sqrt(2 x 0.10025 x 0.89975) = sqrt(0.180400) = 0.424735
    # sqrt(0.10 x 0.90 + 0.1005 x 0.8995) = sqrt(0.180400) = 0.424735
    # n = ((1.95996 + 0.84162) x 0.424735)^2 / 0.0005^2 = 1.18993^2 / 2.5e-7 = 5.664M per arm.
    assert d["ab_sample_per_arm"] == pytest.approx(5.664e6, rel=0.002)
    # 100M users x 1% of traffic = 1M users a day over 2 arms: 2 x 5.664M / 1M = 11.3 -> 12 days.
    assert d["ab_days_computed"] == 12
    # 12 is above the one-week floor, so the test runs 12 days.
    assert d["ab_days"] == 12
    # 1M users a day in the experiment, half to each arm.
    assert d["ab_users_per_arm_per_day"] == pytest.approx(500_000)


# ---- display functions ----------------------------------------------------------------------


def _cells(line: str) -> int:
    """Number of cells in a pipe-table line, ignoring escaped pipes."""
    return len(re.split(r"(?<!\\)\|", line.strip())) - 2


@pytest.mark.parametrize("function", TABLE_FUNCTIONS, ids=lambda f: f.__name__)
def test_tables_are_well_formed(function):
    lines = function().splitlines()
    assert len(lines) >= 3, "a header, a rule and at least one row"
    assert all(line.startswith("|") and line.endswith("|") for line in lines)
    widths = {_cells(line) for line in lines}
    assert len(widths) == 1, f"rows have different widths: {widths}"
    assert set(lines[1].replace("|", "").split()) <= {":--", "--:", ":-:"}


def test_timeline_table_has_every_phase():
    table = framework.interview_timeline_table()
    for phase in INTERVIEW_PHASES:
        assert phase.name in table
    # The last phase ends at minute 45.
    assert "45:00" in table


def test_latency_table_shows_exact_shares():
    # 25 ms of 200 ms is 12.5% and 15 ms is 7.5%: shown exactly, not rounded half-to-even to
    # "12%" and "8%" (which would look inconsistent next to each other).
    table = framework.latency_budget_table()
    assert "| 12.5% |" in table
    assert "| 7.5% |" in table
    # 60 ms of 200 ms = 30%, the share the prose quotes for the ranker.
    assert framework.numbers()["ranking_share"] == "30%"


def test_percent_helpers():
    # 0.005 = 0.5%; 0.10 = 10% (no trailing zeros); 0.0005 = 0.05 percentage points.
    assert framework._percent(0.005) == "0.5%"
    assert framework._percent(0.10) == "10%"
    assert framework._points(0.0005) == "0.05 percentage points"
    # 0.99 ** (1/100) = 0.9998995 -> 99.990% to three decimals -> "p99.99".
    assert percentile(0.9998995) == "p99.99"


def test_numbers_are_non_empty_strings():
    values = framework.numbers()
    assert values
    assert all(isinstance(v, str) and v.strip() for v in values.values())


# ---- the chapter's references resolve --------------------------------------------------------


def test_every_value_key_in_the_chapter_exists():
    text = CHAPTER.read_text(encoding="utf-8")
    keys = set(re.findall(r"\{\{\s*value:\s*framework\.numbers\[(\w+)\]\s*\}\}", text))
    assert keys, "the chapter should use framework.numbers"
    missing = keys - set(framework.numbers())
    assert not missing, f"keys used by the chapter but not provided: {sorted(missing)}"


def test_every_table_in_the_chapter_exists():
    text = CHAPTER.read_text(encoding="utf-8")
    names = set(re.findall(r"\{\{\s*table:\s*framework\.(\w+)\s*\}\}", text))
    assert names
    for name in names:
        assert callable(getattr(framework, name, None)), name
        assert getattr(framework, name)().strip()


def test_no_unused_numbers():
    # Every inline value the module offers is used by the page (nothing orphaned).
    text = CHAPTER.read_text(encoding="utf-8")
    used = set(re.findall(r"framework\.numbers\[(\w+)\]", text))
    assert set(framework.numbers()) - used == set()


def test_fanout_quantile_matches_closed_form():
    # Cross-check the imported library on values derived by hand: 0.9 ** 2 = 0.81.
    from snippets.estimation import fanout_quantile

    assert fanout_quantile(0.9, 2) == pytest.approx(0.81)
    assert fanout_quantile(0.99, 1) == pytest.approx(0.99)
    assert math.isclose(fanout_quantile(0.5, 3), 0.125)
