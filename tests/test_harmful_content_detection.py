"""Hand-derived values of snippets/harmful_content_detection.py (Harmful content detection).

Each row: the function, its arguments, the value derived by hand from the assumptions, and the
arithmetic. What every page module shares is checked once in tests/test_pages.py. The decision
funnel comes from a binormal score model solved numerically; its hand rows are the quantities that
follow from the floors alone, and its properties are checked below.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hand_values import hand_value_test
from sklearn.metrics import average_precision_score, roc_auc_score

import snippets.harmful_content_detection as page

HAND_VALUES = [
    # traffic and the accelerator fleet
    (page.posts_per_second, (), 11_574.07, "1e9 posts / 86,400 s"),
    (page.peak_posts_per_second, (), 34_722.2, "11,574.07 x 3 (house peak factor)"),
    (page.views_per_day, (), 2e11, "2e9 users x 100 views"),
    (page.views_per_second, (), 2_314_814.8, "2e11 / 86,400"),
    (page.views_per_post, (), 200, "2e11 views / 1e9 posts"),
    (page.fast_path_frames_per_day, (), 1.3e9, "1e9 x (0.5 images + 0.1 videos x 8 keyframes = 0.8)"),
    (page.full_pass_frames_per_day, (), 1.2e9, "1e9 x 0.1 videos x 0.2 reach 100 views x 60 s x 1 frame/s"),
    (page.every_frame_frames_per_day, (), 6e9, "1e9 x 0.1 x 60 s x 1 frame/s"),
    (page.fast_path_accelerators, (), 76, "1.3e9 / 86,400 = 15,046 x 3 = 45,139 / (1,000 x 0.6) = 75.2 -> 76"),
    (page.full_pass_accelerators, (), 70, "1.2e9 / 86,400 = 13,889 x 3 = 41,667 / 600 = 69.4 -> 70"),
    (page.every_frame_accelerators, (), 348, "6e9 / 86,400 = 69,444 x 3 = 208,333 / 600 = 347.2 -> 348"),
    (page.video_share_of_frames, (), 0.8, "(1e9 x 0.1 x 8 = 0.8e9 + 1.2e9) / (1.3e9 + 1.2e9) = 2 / 2.5"),
    # storage and training data
    (page.embedding_store_bytes, (), 4.608e13, "1e9 x 90 days = 9e10 posts x 256 x 2 B"),
    (page.match_bank_bytes, (), 6.4e9, "200e6 items x 32 B"),
    (page.training_rows, (), 2.16e8, "1.2e6 labels a day x 180 days"),
    (page.training_set_bytes, (), 8.64e11, "2.16e8 x 4,000 B"),
    # latency
    (page.stage_budget, ("encode",), 1_200, "slowest branch: video keyframes + audio, 1,200 ms"),
    (page.latency_headroom_ms, (), 1_200, "3,000 - (300 + 100 + 1,200 + 50 + 150 = 1,800)"),
    # floors, appeals, costs
    (page.wrongful_share_of_removals, (), 0.05, "every harm's removal band sits exactly at the 95% floor"),
    (page.appealed_share_of_removals, (), 0.034, "0.05 x 0.30 + 0.95 x 0.02 = 0.015 + 0.019"),
    (page.appeal_overturn_rate, (), 0.441176, "0.015 / 0.034"),
    (page.overturn_overstatement, (), 8.82353, "0.441176 / 0.05"),
    (page.bayes_threshold, (), 0.25, "1 / (1 + 3)"),
    (page.view_weight, ("over",), 16.0, "0.80 of views / 0.05 of posts"),
    (page.view_weight, ("under",), 0.210526, "0.20 of views / 0.95 of posts"),
    (page.separation, ("spam",), 4.370248, "sqrt(2) x inverse normal(0.999) = 1.414214 x 3.090232"),
    # prevalence audit
    (page.true_prevalence, (), 0.001044, "0.97 x 0.0002 + 0.025 x 0.01 + 0.005 x 0.12 = 0.000194 + 0.00025 + 0.0006"),
    (page.audit_sample, (), 70_000, "10,000 views a day x 7 days"),
    (page.neyman_labels, ("low",), 53_854,
     "W sqrt(p(1-p)): 0.97 x 0.0141407 = 0.0137165, 0.025 x 0.0994987 = 0.0024875, 0.005 x 0.324962 = 0.0016248;"
     " 70,000 x 0.0137165 / 0.0178288"),
    (page.neyman_labels, ("mid",), 9_766, "70,000 x 0.0024875 / 0.0178288 = 9,766.4"),
    (page.neyman_labels, ("high",), 6_379, "70,000 x 0.0016248 / 0.0178288 = 6,379.4"),
    (page.proportional_half_width, (), 2.30656e-4,
     "n = 67,900 / 1,750 / 350; var = 0.000188142/67,900 + 6.1875e-6/1,750 + 2.64e-6/350 = 1.384944e-8;"
     " 1.959964 x sqrt = 1.959964 x 1.17684e-4"),
    (page.neyman_half_width, (), 1.32076e-4,
     "var = 0.000188142/53,854 + 6.1875e-6/9,766 + 2.64e-6/6,379 = 4.54099e-9; 1.959964 x 6.73869e-5"),
    (page.simple_half_width, (), 2.40660e-4,
     "k = round(73.08) = 73 of 70,000; Wilson half = 1.959964 x sqrt(1.48826e-8 + 1.95993e-10) / (1 + 3.84146/70,000)"),
    (page.audit_efficiency, (), 3.32014, "(2.406590 / 1.320759)^2 = 1.822129^2"),
    # the experiment
    (page.ab_labels_per_arm, (), 1_427_019,
     "p1 0.001044, p2 0.0009396, pbar 0.0009918: (1.959964 x 0.0445155 + 0.841621 x 0.0445155)^2"
     " = 0.01555361 / 0.0001044^2 = 1,427,018.6 -> up"),
    (page.ab_days_simple, (), 286, "1,427,019 x 2 arms / 10,000 labels a day = 285.4 -> 286"),
    (page.ab_days_stratified, (), 87, "286 / 3.3202 = 86.1 -> 87"),
    # worked example and focal loss
    (page.example_ap, (), 0.835, "positives at ranks 1, 2, 4, 5, 8: (1 + 1 + 3/4 + 4/5 + 5/8) / 5"),
    (page.example_auc, (), 0.8, "negatives below each positive: 5 + 5 + 4 + 4 + 2 = 20 of 5 x 5 pairs"),
    (page.example_precision, ("0.62",), 0.8, "flag p1-p5: 4 violating of 5"),
    (page.example_recall, ("0.62",), 0.8, "4 of 5 violating posts"),
    (page.example_precision, ("0.30",), 0.625, "flag p1-p8: 5 of 8"),
    (page.example_recall, ("0.30",), 1.0, "all 5"),
    (page.example_operating_point, ("0.75",), 0.62, "precision 0.8 at 0.62, 0.667 or less below it"),
    (page.example_operating_recall, ("0.75",), 0.8, "4 of 5"),
    (page.example_operating_point, ("0.95",), 0.91, "precision 1 down to 0.91; 0.667 at 0.88"),
    (page.example_operating_recall, ("0.95",), 0.4, "2 of 5"),
    (page.focal_weight, ("0.99",), 0.0001, "(1 - 0.99)^2"),
    (page.focal_weight, ("0.3",), 0.49, "(1 - 0.3)^2"),
    (page.focal_easy_to_hard, (), 4_900, "0.49 / 0.0001"),
]


test_hand_values = hand_value_test(HAND_VALUES)


@pytest.mark.parametrize("harm", [h.id for h in page.HARMS])
def test_thresholds_meet_their_floors_and_stay_ordered(harm: str) -> None:
    floors = (page.A.remove_precision, page.A.review_precision, page.A.demote_precision)
    thresholds = [page.threshold_for_precision(harm, f) for f in floors]
    assert thresholds[0] > thresholds[1] > thresholds[2]
    for t, f in zip(thresholds, floors):
        assert page.precision_at(harm, t) == pytest.approx(f, rel=1e-6)


@pytest.mark.parametrize("harm", [h.id for h in page.HARMS])
def test_bands_partition_the_posts_and_the_violations(harm: str) -> None:
    bands = page.bands(harm)
    assert sum(b.posts for b in bands.values()) == pytest.approx(page.A.posts_per_day)
    assert sum(b.violating for b in bands.values()) == pytest.approx(page.violating_posts_per_day(harm))
    assert bands["remove"].precision == pytest.approx(page.A.remove_precision, rel=1e-6)
    assert min(b.posts for b in bands.values()) >= 0


def test_binormal_model_matches_simulation_and_sklearn() -> None:
    # Draw scores from the model of one harm and compare AUC, recall and precision with the formulas.
    rng = np.random.default_rng(0)
    harm, n = "hate", 2_000_000
    d = page.separation(harm)
    labels = rng.random(n) < page.harm(harm).base_rate
    scores = rng.normal(size=n) + d * labels
    assert roc_auc_score(labels, scores) == pytest.approx(page.harm(harm).auc, abs=2e-3)
    t = page.threshold_for_precision(harm, page.A.review_precision)
    flagged = scores >= t
    assert (flagged & labels).sum() / labels.sum() == pytest.approx(page.rates_at(harm, t)[0], abs=0.03)
    assert (flagged & labels).sum() / flagged.sum() == pytest.approx(page.A.review_precision, abs=0.03)


def test_capacity_floor_fills_the_workforce() -> None:
    for gate in (True, False):
        floor = page.review_floor_at_capacity(gate)
        demand = page.review_demand(gate, review_precision=floor, demote_precision=min(floor, page.A.demote_precision))
        assert demand == pytest.approx(page.A.review_capacity_per_day, rel=1e-3)
    assert page.capacity_review_floor("gated") < page.A.review_precision < page.capacity_review_floor("ungated")


def test_cost_grows_with_wrongful_removals_as_the_floor_falls() -> None:
    wrongful = [page.daily_cost(f)["wrongful"] for f in page.REMOVE_FLOORS]
    assert wrongful == sorted(wrongful, reverse=True)
    assert math.isclose(page.cheapest_remove_floor(), min(page.REMOVE_FLOORS, key=lambda f: page.daily_cost(f)["total"]))


def test_worked_example_matches_sklearn() -> None:
    labels = [y for _, _, y in page.EXAMPLE]
    scores = [s for _, s, _ in page.EXAMPLE]
    assert page.example_ap() == pytest.approx(average_precision_score(labels, scores))
    assert page.example_auc() == pytest.approx(roc_auc_score(labels, scores))
