"""Hand-derived values of snippets/street_view_blurring.py (Street View blurring).

Each row: the function, its arguments, the value derived by hand from the assumptions, and the
arithmetic. What every page module shares is checked once in tests/test_pages.py.
"""

from __future__ import annotations

from hand_values import hand_value_test

import snippets.street_view_blurring as page

HAND_VALUES = [
    # throughput
    (page.average_frames_per_second, (), 82.672, "50e6 frames / (7 x 86,400 s = 604,800 s)"),
    (page.peak_day_frames, (), 21_428_571.43, "50e6 / 7 = 7,142,857.1 a day x 3 (house peak factor)"),
    (page.deadline_frames_per_second, (), 124.008, "21,428,571.4 / (48 h x 3,600 s = 172,800 s)"),
    (page.required_frames_per_second, (), 124.008, "max(82.67, 124.01)"),
    (page.frame_width, (), 5477, "sqrt(20e6 x 1.5) = sqrt(30e6) = 5,477.2"),
    (page.frame_height, (), 3651, "sqrt(20e6 / 1.5) = sqrt(13.33e6) = 3,651.5 -> 3,651"),
    (page.shrink_factor, (), 5.34863, "5,477 / 1,024"),
    (page.tile_columns, (), 6, "stride 1,024 - 128 = 896; ceil((5,477 - 128) / 896) = ceil(5.97)"),
    (page.tile_rows, (), 4, "ceil((3,651 - 128) / 896) = ceil(3.93)"),
    (page.tiles_per_frame, (), 25, "6 x 4 grid + 1 whole-frame pass"),
    (page.overlap_overhead, (), 1.2585, "24 x 1,024^2 = 25,165,824 / (5,477 x 3,651 = 19,996,527)"),
    (page.required_tiles_per_second, (), 3_100.2, "124.008 x 25"),
    (page.accelerators, (), 178, "3,100.2 / (25 x 0.7 = 17.5) = 177.15 -> 178"),
    (page.fleet_frames_per_second, (), 124.6, "178 x 17.5 / 25"),
    (page.accelerator_hours_per_week, (), 13_888.89, "50e6 x 25 tiles / 25 tiles/s / 3,600"),
    (page.weekly_compute_cost, (), 19_841.27, "13,888.89 / 0.7 x $1"),
    (page.weekly_fleet_cost, (), 29_904, "178 x 168 h x $1"),
    (page.cost_per_frame, (), 0.000396825, "19,841.27 / 50e6"),
    # surge week
    (page.surge_frames_per_second, (), 165.344, "82.672 x 2"),
    (page.surge_backlog_frames, (), 24_641_920, "(165.344 - 124.6 = 40.744) x 604,800 s"),
    (page.surge_drain_days, (), 6.8023, "24,641,920 / (124.6 - 82.672 = 41.928) = 587,720 s / 86,400"),
    (page.surge_accelerators, (), 237, "165.344 x 25 = 4,133.6 / 17.5 = 236.2 -> 237"),
    # storage, labels, evaluation set
    (page.weekly_bytes, (), 3e14, "50e6 frames x (20e6 px x 0.3 B = 6 MB)"),
    (page.original_store_bytes, (), 7.8e15, "3e14 x 26 weeks"),
    (page.objects_per_week, (), 150e6, "50e6 x 3"),
    (page.missed_per_week_at_target, (), 1.5e6, "150e6 x (1 - 0.99)"),
    (page.false_positives_per_week, (), 25e6, "50e6 x 0.5"),
    (page.annotated_boxes, (), 600_000, "200,000 x 3"),
    (page.annotation_hours, (), 2_833.33, "200,000 x (30 + 3 x 7 = 51 s) / 3,600"),
    (page.annotation_cost, (), 70_833.33, "2,833.33 h x $25"),
    (page.eval_objects_per_subgroup, (), 765, "1.96^2 = 3.8416 x 0.995 x 0.005 = 0.019112 / 0.000025 = 764.5 -> 765"),
    (page.eval_objects_total, (), 19_125, "765 x 25"),
    # per-frame budget and the audit
    (page.frame_budget_ms, (), 1_428.57, "1,000 x 25 tiles / (25 x 0.7)"),
    (page.detect_ms_per_frame, (), 1_000, "1,000 x 25 / 25"),
    (page.detector_share, (), 0.7, "1,000 / 1,428.57"),
    (page.frame_miss_rate, (), 0.029701, "1 - 0.99^3 = 1 - 0.970299"),
    (page.audit_days, (), 14, "2 x 53.8k frames / 40k a day = 2.7 -> 3 days; house minimum two whole weeks"),
    # the worked detection example
    (page.truth_iou, (), 0.298701, "faces (100,100,140,150), (120,104,160,154): 20 x 46 = 920 / (2,000 + 2,000 - 920)"),
    (page.pair_iou, ("d1-d2",), 0.763926, "overlap 36 x 48 = 1,728 / (1,950 + 2,040 - 1,728 = 2,262)"),
    (page.pair_iou, ("d1-d3",), 0.325424, "overlap 20 x 48 = 960 / (1,950 + 1,960 - 960 = 2,950)"),
    (page.example_recall, (0.3,), 2 / 3, "d3 suppressed by d1 (0.325 > 0.3): face B missed, 2 of 3"),
    (page.example_recall, (0.5,), 1.0, "d1, d3, d4 match face A, face B, plate"),
    (page.example_ap, (0.5,), 1.0, "TP, TP, TP before any FP"),
    (page.example_ap, (0.3,), 2 / 3, "d1 TP, d4 TP, d5 FP: recall 1/3 and 2/3 at precision 1; 1/3 + 1/3"),
    (page.example_ap, (0.9,), 0.833333, "d1 TP, d2 FP, d3 TP, d4 TP: 1/3 x 1 + 1/3 x 0.75 + 1/3 x 0.75"),
    (page.example_coco_map, (0.5,), 0.8,
     "IoUs 0.892, 0.897, 0.868 (all >= 0.85, all < 0.9): AP 1 at 8 of 10 thresholds, 0 at 0.90 and 0.95"),
]


test_hand_values = hand_value_test(HAND_VALUES)


def test_kept_after_nms() -> None:
    # d2 overlaps d1 with IoU 0.764, d6 overlaps d4 with 0.477, d3 overlaps d1 with 0.325.
    assert page.kept_after_nms(0.3) == ["d1", "d4", "d5"]
    assert page.kept_after_nms(0.5) == ["d1", "d3", "d4", "d5", "d6"]
    assert page.kept_after_nms(0.9) == ["d1", "d2", "d3", "d4", "d5", "d6"]
