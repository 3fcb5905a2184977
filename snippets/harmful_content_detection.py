"""Harmful content detection: the assumptions and every number the chapter shows.

The chapter designs the integrity system of a social network: every new post (text, image, video)
is scored by one multimodal, multi-label model within seconds of upload, and per-harm thresholds
turn its scores into actions (remove, send to human review, demote, leave alone). This module
computes the traffic and the accelerator fleet (video dominates it), storage of embeddings and of
the bank of known violating content, the decision funnel of every harm at its operating points (a
binormal score model per harm, fixed by its ROC AUC and base rate), the review queue against the
workforce, the cost of misses against wrongful removals, appeals and their overturn rate, and the
prevalence audit: a view-weighted, score-stratified sample with its confidence interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from snippets.kit import estimation as est
from snippets.kit import latency, metrics, plan
from snippets.kit.abtest import ABPlan, ab_plan_table
from snippets.kit.assume import CONVENTION, PROBLEM, Provenance, assume, cited, design, thumb
from snippets.kit.display import count, days, fixed, md_table, ms, nbytes, percent, plain, short, times
from snippets.kit.house import HOUSE
from snippets.kit.plan import Phase
from snippets.kit.practice import Drill, Fact, Glance, Grade, Step
from snippets.kit.show import table, value

HOURS = 3600.0


def per_10k(rate: float) -> str:
    """A rate shown as views per 10,000 views, the unit integrity reports use."""
    return fixed(rate * 10_000, 1)


def seconds(value_s: float) -> str:
    return f"{plain(round(value_s, 1))} s"


@dataclass(frozen=True)
class Assumptions:
    """Every input of the chapter's arithmetic: the problem statement's values and ours."""

    daily_active_users: float = assume(2e9, "Daily active users", short, PROBLEM)
    posts_per_day: float = assume(1e9, "New posts a day", short, PROBLEM)
    review_capacity_per_day: float = assume(2e6, "Human review decisions a day (whole workforce)", short, PROBLEM)
    latency_target_ms: float = assume(3000, "First automated decision after upload", ms,
                                      Provenance("problem statement", "\"within a few seconds\"; we take three"))
    views_per_user_per_day: float = assume(100, "Post views per user a day", plain,
                                           thumb("a feed session shows dozens of posts"))
    image_share: float = assume(0.5, "Posts with at least one image", percent, thumb("measure on the upload log"))
    video_share: float = assume(0.1, "Posts with a video", percent, thumb("measure on the upload log"))
    video_seconds: float = assume(60, "Mean video length", seconds, thumb("short-form video dominates uploads"))
    fast_path_frames: int = assume(8, "Video frames scored at upload (fast path)", count,
                                   design("evenly spaced keyframes, plus the audio transcript"))
    full_frames_per_second: float = assume(1, "Frames a second scored by the full video pass", plain,
                                           design("one frame a second, as in the video search chapter"))
    full_pass_view_threshold: float = assume(100, "Views before a video gets the full pass", count,
                                             design("most videos are barely watched; pay for those that are"))
    videos_reaching_threshold: float = assume(0.2, "Videos that reach that many views", percent,
                                              thumb("view counts are heavy-tailed"))
    images_per_second_per_gpu: float = assume(1000, "Image-encoder throughput per accelerator (images a second)", plain,
                                              thumb("a ViT-B-sized encoder at 224 px, half precision; load-test yours"))
    gpu_utilisation: float = assume(0.6, "Target accelerator utilisation", percent,
                                    thumb("room for bursts and re-scoring"))
    embedding_dim: int = assume(256, "Post embedding dimension", count, design("one fused embedding per post"))
    embedding_bytes_per_value: float = assume(2, "Bytes per embedding value (fp16)", plain, design(""))
    embedding_retention_days: int = assume(90, "Days post embeddings are kept", count,
                                           design("long enough to re-score and to find copies of a newly banned post"))
    known_bad_items: float = assume(200e6, "Known violating items in the match bank", short,
                                    thumb("everything ever removed, deduplicated"))
    match_code_bytes: float = assume(32, "Bytes per item in the match bank (compressed code)", plain,
                                     design("a 256-bit perceptual hash or a product-quantised embedding"))
    labelled_per_day_for_training: float = assume(1.2e6, "Review decisions a day that become training labels", short,
                                                  design("every review decision except the audit sample, deduplicated"))
    training_days: int = assume(180, "Days of labels in one training set", count, thumb("long enough for rare harms"))
    bytes_per_training_row: float = assume(4000, "Bytes per training row (features and embeddings)", nbytes,
                                           thumb("pre-computed modality embeddings plus metadata"))
    remove_precision: float = assume(0.95, "Precision floor for automatic removal", percent,
                                     design("one wrongful removal in twenty automatic removals"))
    review_precision: float = assume(0.30, "Precision floor for sending to review", percent,
                                     design("a reviewer finds a violation in roughly one post in three"))
    demote_precision: float = assume(0.10, "Precision floor for demotion", percent,
                                     design("demotion is cheap and reversible"))
    reach_gate_views: float = assume(1000, "Predicted views that make a review-band post worth a reviewer", count,
                                     design("below it the post is demoted and re-scored as its views grow"))
    share_posts_over_gate: float = assume(0.05, "Posts that reach that many views", percent, thumb("views are heavy-tailed"))
    views_share_over_gate: float = assume(0.80, "Share of all views those posts receive", percent, thumb("views are heavy-tailed"))
    user_report_reviews: float = assume(400_000, "User-reported posts needing review a day", short,
                                        thumb("after deduplication and auto-closing reports on actioned posts"))
    appeal_rate_wrongful: float = assume(0.30, "Share of wrongful removals appealed", percent,
                                         thumb("people appeal when they think they were wronged"))
    appeal_rate_correct: float = assume(0.02, "Share of correct removals appealed", percent, thumb(""))
    miss_cost: float = assume(3, "Cost of a missed violation, in wrongful removals", plain,
                              design("a policy judgement; per harm in practice"))
    demotion_reach: float = assume(0.5, "Reach a demoted post keeps", percent, thumb("measure in an experiment"))
    review_cost: float = assume(0.05, "Cost of one review decision, in wrongful removals", plain,
                                design("reviewer time priced against a wrongful removal"))
    audit_views_per_day: int = assume(10_000, "Views labelled a day for the prevalence audit", count,
                                      design("part of the review workforce"))
    audit_days: int = assume(7, "Days of audit pooled per estimate", count, design("a weekly figure"))
    cser_prevalence_low: float = assume(0.0010, "Hate-speech prevalence, Q3 2020 (low end)", per_10k,
                                        cited("Meta CSER, Nov 2020", "metacser2020"))
    cser_prevalence_high: float = assume(0.0011, "Hate-speech prevalence, Q3 2020 (high end)", per_10k,
                                         cited("Meta CSER, Nov 2020", "metacser2020"))
    focal_gamma: float = assume(2.0, "Focal-loss focusing parameter gamma", plain,
                                cited("Detectron2's RetinaNet default", "detectron2"))
    focal_alpha: float = assume(0.25, "Focal-loss positive weight alpha", plain,
                                cited("Detectron2's RetinaNet default", "detectron2"))
    ab_relative_mde: float = assume(0.10, "Relative drop in prevalence worth detecting", percent,
                                    design("a tenth of harmful views"))
    z95: float = assume(1.959963984540054, "Normal quantile of a two-sided 95% interval", lambda v: fixed(v, 2), CONVENTION)


ASSUMPTIONS = Assumptions()
A = ASSUMPTIONS


# --- the harms ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Harm:
    """One policy: its share of new posts that violate it and how well the model separates it."""

    id: str
    label: str
    base_rate: float  # share of new posts that violate this policy
    auc: float  # ROC AUC of the model's head for this harm
    note: str


#: The six harms of the problem statement. Base rates and AUCs are our rules of thumb (measure them
#: on a labelled random sample): spam is common and easy, misinformation rare and hard.
HARMS: tuple[Harm, ...] = (
    Harm("spam", "Spam", 0.005, 0.999, "rule of thumb: common, repetitive, easy to learn"),
    Harm("nudity", "Adult nudity", 0.002, 0.998, "rule of thumb: visual, well defined"),
    Harm("violence", "Violence", 0.001, 0.997, "rule of thumb: visual, context matters"),
    Harm("hate", "Hate speech", 0.001, 0.995, "rule of thumb: language and context dependent"),
    Harm("harassment", "Harassment", 0.001, 0.99, "rule of thumb: needs who-targets-whom context"),
    Harm("misinfo", "Misinformation", 0.0005, 0.985, "rule of thumb: needs outside facts"),
)

_NORMAL = NormalDist()


def harm(harm_id: str) -> Harm:
    for h in HARMS:
        if h.id == harm_id:
            return h
    raise KeyError(f"no harm {harm_id!r} (harms: {', '.join(h.id for h in HARMS)})")


def _sf(x: float) -> float:
    """Upper tail of the standard normal, accurate far out (erfc, not 1 - cdf)."""
    return 0.5 * math.erfc(x / math.sqrt(2))


def separation(harm_id: str) -> float:
    """d' of the binormal score model: violating scores ~ N(d', 1), others ~ N(0, 1); AUC = Phi(d'/sqrt 2)."""
    return math.sqrt(2) * _NORMAL.inv_cdf(harm(harm_id).auc)


def rates_at(harm_id: str, threshold: float) -> tuple[float, float]:
    """(recall, false-positive rate) of "flag when score >= threshold" under the binormal model."""
    return _sf(threshold - separation(harm_id)), _sf(threshold)


def precision_at(harm_id: str, threshold: float) -> float:
    h = harm(harm_id)
    tpr, fpr = rates_at(harm_id, threshold)
    return h.base_rate * tpr / (h.base_rate * tpr + (1 - h.base_rate) * fpr)


def threshold_for_precision(harm_id: str, floor: float) -> float:
    """The lowest score threshold whose precision reaches ``floor`` (precision rises with the threshold)."""
    low, high = -10.0, 30.0
    for _ in range(200):
        mid = (low + high) / 2
        if precision_at(harm_id, mid) >= floor:
            high = mid
        else:
            low = mid
    return high


@dataclass(frozen=True)
class Band:
    """Posts a day in one action band of one harm, and how many of them violate."""

    posts: float
    violating: float

    @property
    def precision(self) -> float:
        return self.violating / self.posts if self.posts else 0.0


def _flagged(harm_id: str, threshold: float) -> Band:
    h = harm(harm_id)
    tpr, fpr = rates_at(harm_id, threshold)
    violating = A.posts_per_day * h.base_rate * tpr
    return Band(violating + A.posts_per_day * (1 - h.base_rate) * fpr, violating)


def bands(harm_id: str, remove_precision: float = A.remove_precision, review_precision: float = A.review_precision,
          demote_precision: float = A.demote_precision) -> dict[str, Band]:
    """The four action bands of one harm: remove >= t_remove > review >= t_review > demote >= t_demote > none."""
    t_remove = threshold_for_precision(harm_id, remove_precision)
    t_review = min(threshold_for_precision(harm_id, review_precision), t_remove)
    t_demote = min(threshold_for_precision(harm_id, demote_precision), t_review)
    removed, to_review, demoted = (_flagged(harm_id, t) for t in (t_remove, t_review, t_demote))
    everything = Band(A.posts_per_day, A.posts_per_day * harm(harm_id).base_rate)
    return {
        "remove": removed,
        "review": Band(to_review.posts - removed.posts, to_review.violating - removed.violating),
        "demote": Band(demoted.posts - to_review.posts, demoted.violating - to_review.violating),
        "none": Band(everything.posts - demoted.posts, everything.violating - demoted.violating),
    }


def band_total(band_id: str, **floors: float) -> Band:
    """One band summed over the harms (a post flagged for two harms counts twice: an upper bound)."""
    parts = [bands(h.id, **floors)[band_id] for h in HARMS]
    return Band(sum(p.posts for p in parts), sum(p.violating for p in parts))


@value(short)
def violating_posts_per_day(harm_id: str = "") -> float:
    """Violating posts a day, of one harm or (no argument) of all six."""
    chosen = [harm(harm_id)] if harm_id else HARMS
    return A.posts_per_day * sum(h.base_rate for h in chosen)


def threshold(harm_id: str, action: str) -> float:
    """The score threshold of ``action`` ("remove", "review", "demote") for one harm."""
    floor = {"remove": A.remove_precision, "review": A.review_precision, "demote": A.demote_precision}[action]
    return threshold_for_precision(harm_id, floor)


@value(lambda v: percent(v, 1))
def recall_at_remove(harm_id: str) -> float:
    return rates_at(harm_id, threshold(harm_id, "remove"))[0]


@value(short)
def removed_per_day() -> float:
    return band_total("remove").posts


@value(short)
def wrongful_removals_per_day() -> float:
    total = band_total("remove")
    return total.posts - total.violating


@value(short)
def model_reviews_per_day() -> float:
    """Posts the review band sends to people a day, all harms."""
    return band_total("review").posts


@value(short)
def demoted_per_day() -> float:
    return band_total("demote").posts


@value(lambda v: percent(v, 1))
def share_of_violations_actioned() -> float:
    """Violating posts removed or sent to review by the model, over all violating posts."""
    return (band_total("remove").violating + band_total("review").violating) / violating_posts_per_day()


@value(lambda v: percent(v, 1))
def share_of_violations_missed() -> float:
    """Violating posts below every threshold."""
    return band_total("none").violating / violating_posts_per_day()


@table
def harms_table() -> str:
    """The six harms: base rate, the model's AUC, and their provenance."""
    rows = [(h.label, percent(h.base_rate), short(A.posts_per_day * h.base_rate), fixed(h.auc, 3), fixed(separation(h.id), 2), h.note)
            for h in HARMS]
    return md_table(["Harm", "Share of posts", "Posts a day", "ROC AUC", "d′", "Provenance"], rows, align="lrrrrl")


@table
def funnel_table() -> str:
    """Per harm: posts a day in each action band, and the recall of removal and of removal or review."""
    rows = []
    for h in HARMS:
        b = bands(h.id)
        caught = (b["remove"].violating + b["review"].violating) / (A.posts_per_day * h.base_rate)
        rows.append((h.label, short(b["remove"].posts), short(b["review"].posts), short(b["demote"].posts),
                     percent(recall_at_remove(h.id), 1), percent(caught, 1)))
    rows.append(("**All harms**", short(removed_per_day()), short(model_reviews_per_day()), short(demoted_per_day()),
                 "", percent(share_of_violations_actioned(), 1)))
    return md_table(["Harm", "Removed", "To review", "Demoted", "Recall of removal", "Recall, remove or review"],
                    rows, align="lrrrrr")


# --- the review queue -----------------------------------------------------------------------


@value(short)
def appeals_per_day() -> float:
    total = band_total("remove")
    wrongful = total.posts - total.violating
    return wrongful * A.appeal_rate_wrongful + total.violating * A.appeal_rate_correct


@value(lambda v: percent(v, 1))
def appeal_overturn_rate() -> float:
    """Appeals that restore the post, over all appeals (reviewers assumed right on appeal)."""
    return wrongful_removals_per_day() * A.appeal_rate_wrongful / appeals_per_day()


@value(percent)
def wrongful_share_of_removals() -> float:
    return wrongful_removals_per_day() / removed_per_day()


@value(lambda v: times(round(v, 1)))
def overturn_overstatement() -> float:
    """How many times the overturn rate overstates the true wrongful-removal rate."""
    return appeal_overturn_rate() / wrongful_share_of_removals()


@value(percent)
def appealed_share_of_removals() -> float:
    return appeals_per_day() / removed_per_day()


def fixed_review_load() -> float:
    """Review decisions a day that do not depend on the thresholds: user reports and the audit."""
    return A.user_report_reviews + A.audit_views_per_day


def gated_review(**floors: float) -> Band:
    """The review band's posts predicted to reach the reach gate: the ones sent to people."""
    band = band_total("review", **floors)
    return Band(band.posts * A.share_posts_over_gate, band.violating * A.share_posts_over_gate)


def review_demand(gate: bool = True, **floors: float) -> float:
    """Review decisions needed a day: the model's review band (gated or not), reports, appeals, audit."""
    band = gated_review(**floors) if gate else band_total("review", **floors)
    return band.posts + fixed_review_load() + appeals_per_day()


@value(short)
def ungated_review_demand() -> float:
    return review_demand(gate=False)


@value(lambda v: times(round(v, 1)))
def ungated_overload() -> float:
    """Ungated demand over the workforce's capacity."""
    return review_demand(gate=False) / A.review_capacity_per_day


@value(short)
def gated_reviews_per_day() -> float:
    return gated_review().posts


@value(short)
def review_demand_per_day() -> float:
    return review_demand()


@value(lambda v: percent(v, 0))
def review_utilisation() -> float:
    return review_demand() / A.review_capacity_per_day


@value(lambda v: times(round(v, 2)))
def view_weight(group: str) -> float:
    """Views a post of the group gets, relative to the average post ("over" or "under" the gate)."""
    if group == "over":
        return A.views_share_over_gate / A.share_posts_over_gate
    return (1 - A.views_share_over_gate) / (1 - A.share_posts_over_gate)


@table
def review_queue_table() -> str:
    """Where the workforce's decisions go each day, with and without the reach gate."""
    rows = [
        ("Model's review band, every post", "posts between the review and removal floors", short(model_reviews_per_day())),
        ("Model's review band, over the reach gate", f"band x {percent(A.share_posts_over_gate)} of posts", short(gated_reviews_per_day())),
        ("User reports", "reported posts not already actioned", short(A.user_report_reviews)),
        ("Appeals", "wrongful x appeal rate + correct x appeal rate", short(appeals_per_day())),
        ("Prevalence audit", "sampled views labelled a day", short(A.audit_views_per_day)),
        ("**Demand, gated**", "gated band + reports + appeals + audit", short(review_demand())),
        ("Demand without the gate", "whole band + reports + appeals + audit", short(ungated_review_demand())),
        ("Capacity", "problem statement", short(A.review_capacity_per_day)),
        ("Utilisation, gated", "gated demand / capacity", percent(review_utilisation(), 0)),
    ]
    return md_table(["Queue", "How", "Decisions a day"], rows, align="llr")


REVIEW_FLOORS = (0.10, 0.20, 0.30, 0.50, 0.80)


def _floors(review_floor: float) -> dict[str, float]:
    return {"review_precision": review_floor, "demote_precision": min(review_floor, A.demote_precision)}


@table
def review_floor_sweep_table() -> str:
    """How the review band's precision floor moves the queue, with the reach gate."""
    rows = []
    for floor in REVIEW_FLOORS:
        band = gated_review(**_floors(floor))
        rows.append((percent(floor), short(band.posts), short(band.violating),
                     percent(review_demand(**_floors(floor)) / A.review_capacity_per_day, 0)))
    return md_table(["Review precision floor", "Gated posts to review a day", "Violations among them",
                     "Workforce utilisation"], rows, align="rrrr")


def review_floor_at_capacity(gate: bool = True) -> float:
    """The review precision floor at which demand equals the workforce's capacity (bisection)."""
    low, high = 1e-4, A.remove_precision
    for _ in range(100):
        mid = (low + high) / 2
        if review_demand(gate, **_floors(mid)) > A.review_capacity_per_day:
            low = mid
        else:
            high = mid
    return high


@value(lambda v: percent(v, 1))
def capacity_review_floor(gate: str = "gated") -> float:
    """The lowest review floor the workforce can keep up with, gated ("gated") or not ("ungated")."""
    return review_floor_at_capacity(gate == "gated")


# --- cost of misses against wrongful removals ------------------------------------------------


def daily_cost(remove_precision: float, miss_cost: float = A.miss_cost) -> dict[str, float]:
    """The day's cost, in wrongful removals, of an operating point with this removal floor.

    A wrongful removal costs 1. A violation left up costs ``miss_cost`` times its views relative to
    an average post; a demoted one keeps ``demotion_reach`` of that. The review band's posts over the
    reach gate go to people while capacity lasts (a reviewed violation costs nothing more); the rest
    of the band is demoted. Each review decision costs ``review_cost``.
    """
    floors = {"remove_precision": remove_precision}
    removed = band_total("remove", **floors)
    review = band_total("review", **floors)
    demote = band_total("demote", **floors)
    missed = band_total("none", **floors)
    wrongful = removed.posts - removed.violating
    appeals = wrongful * A.appeal_rate_wrongful + removed.violating * A.appeal_rate_correct
    spare = max(0.0, A.review_capacity_per_day - fixed_review_load() - appeals)
    gated = Band(review.posts * A.share_posts_over_gate, review.violating * A.share_posts_over_gate)
    reviewed = min(gated.posts, spare)
    overflow_violating = (gated.posts - reviewed) * gated.precision
    under_gate_violating = review.violating - gated.violating
    leave_up = miss_cost
    cost = {
        "wrongful": wrongful,
        "demoted": A.demotion_reach * leave_up * (demote.violating + overflow_violating * view_weight("over")
                                                 + under_gate_violating * view_weight("under")),
        "missed": missed.violating * leave_up,
        "review": (reviewed + appeals) * A.review_cost,
    }
    cost["total"] = sum(cost.values())
    cost["overflow"] = gated.posts - reviewed
    cost["removed"] = removed.posts
    cost["reviewed"] = reviewed
    return cost


REMOVE_FLOORS = (0.80, 0.90, 0.95, 0.98, 0.99)


@table
def cost_table() -> str:
    """The day's cost at five removal floors, in units of one wrongful removal."""
    rows = []
    for floor in REMOVE_FLOORS:
        c = daily_cost(floor)
        rows.append((percent(floor), short(c["wrongful"]), short(c["overflow"]),
                     short(c["demoted"] + c["missed"]), short(c["review"]), short(c["total"])))
    return md_table(["Removal floor", "Wrongful removals", "Review overflow (posts)", "Violations left up",
                     "Review decisions", "Total"], rows, align="rrrrrr")


def cheapest_floor_for(miss_cost: float) -> float:
    return min(REMOVE_FLOORS, key=lambda f: daily_cost(f, miss_cost)["total"])


@value(percent)
def cheapest_remove_floor() -> float:
    return cheapest_floor_for(A.miss_cost)


MISS_COSTS = (1.0, 3.0, 10.0, 30.0)


@table
def miss_cost_sensitivity_table() -> str:
    """The cheapest of the five removal floors as the price of a miss changes."""
    rows = []
    for c in MISS_COSTS:
        floor = cheapest_floor_for(c)
        cost = daily_cost(floor, c)
        rows.append((plain(c), percent(floor), short(cost["removed"]), short(cost["wrongful"]), short(cost["total"])))
    return md_table(["Miss costs (wrongful removals)", "Cheapest removal floor", "Removed a day",
                     "Wrongful removals a day", "Day's cost"], rows, align="rrrrr")


@value(percent)
def bayes_threshold() -> float:
    """Remove-or-leave with no reviewers: remove when p > c_wrong / (c_wrong + c_miss)."""
    return 1.0 / (1.0 + A.miss_cost)


# --- traffic, fleet, storage -----------------------------------------------------------------


@value(short)
def posts_per_second() -> float:
    return A.posts_per_day / HOUSE.seconds_per_day


@value(short)
def peak_posts_per_second() -> float:
    return est.peak_qps(posts_per_second(), HOUSE.peak_to_average)


@value(short)
def views_per_day() -> float:
    return A.daily_active_users * A.views_per_user_per_day


@value(count)
def views_per_post() -> float:
    """Views a day per new post a day: how much larger viewing is than posting."""
    return views_per_day() / A.posts_per_day


@value(short)
def views_per_second() -> float:
    return views_per_day() / HOUSE.seconds_per_day


@value(short)
def fast_path_frames_per_day() -> float:
    """Images and video keyframes the upload path encodes a day."""
    return A.posts_per_day * (A.image_share + A.video_share * A.fast_path_frames)


@value(short)
def full_pass_frames_per_day() -> float:
    """Frames of the full video pass a day, for videos that reach the view threshold."""
    return A.posts_per_day * A.video_share * A.videos_reaching_threshold * A.video_seconds * A.full_frames_per_second


@value(short)
def every_frame_frames_per_day() -> float:
    """Frames a day if every video got the full pass at upload."""
    return A.posts_per_day * A.video_share * A.video_seconds * A.full_frames_per_second


def accelerators_for(frames_per_day: float) -> int:
    peak = frames_per_day / HOUSE.seconds_per_day * HOUSE.peak_to_average
    return est.accelerators_needed(peak, A.images_per_second_per_gpu, A.gpu_utilisation)


@value(count)
def fast_path_accelerators() -> int:
    return accelerators_for(fast_path_frames_per_day())


@value(count)
def full_pass_accelerators() -> int:
    return accelerators_for(full_pass_frames_per_day())


@value(count)
def every_frame_accelerators() -> int:
    return accelerators_for(every_frame_frames_per_day())


@value(percent)
def video_share_of_frames() -> float:
    """Video's share of all frames encoded (fast path and full pass)."""
    video = A.posts_per_day * A.video_share * A.fast_path_frames + full_pass_frames_per_day()
    return video / (fast_path_frames_per_day() + full_pass_frames_per_day())


@table
def capacity_table() -> str:
    """Traffic and the accelerators that encode images and video frames."""
    rows = [
        ("New posts a second", "posts a day / 86,400; peak x house factor", short(posts_per_second()), short(peak_posts_per_second())),
        ("Post views a second", "users x views per user / 86,400", short(views_per_second()),
         short(views_per_second() * HOUSE.peak_to_average)),
        ("Frames encoded at upload a day", "images + videos x keyframes", short(fast_path_frames_per_day()), ""),
        ("Accelerators, upload path", "peak frames a second / (rate x utilisation)", count(fast_path_accelerators()), ""),
        ("Frames of the full video pass a day", "videos over the view threshold x seconds x frames a second",
         short(full_pass_frames_per_day()), ""),
        ("Accelerators, full video pass", "same formula", count(full_pass_accelerators()), ""),
        ("Accelerators if every video got the full pass", "all videos x seconds x frames a second", count(every_frame_accelerators()), ""),
    ]
    return md_table(["Quantity", "How", "Average", "Peak"], rows, align="llrr")


@value(nbytes)
def embedding_store_bytes() -> float:
    return est.embedding_bytes(int(A.posts_per_day * A.embedding_retention_days), A.embedding_dim,
                               A.embedding_bytes_per_value)


@value(nbytes)
def match_bank_bytes() -> float:
    return A.known_bad_items * A.match_code_bytes


@value(short)
def training_rows() -> float:
    return A.labelled_per_day_for_training * A.training_days


@value(nbytes)
def training_set_bytes() -> float:
    return training_rows() * A.bytes_per_training_row


@table
def storage_table() -> str:
    """Embeddings kept for re-scoring and copy search, the match bank, and the training set."""
    rows = [
        ("Post embeddings kept", f"posts a day x {A.embedding_retention_days} days x {A.embedding_dim} x {plain(A.embedding_bytes_per_value)} B",
         nbytes(embedding_store_bytes())),
        ("Match bank of known violating items", "items x bytes per code", nbytes(match_bank_bytes())),
        ("Training rows", f"labels a day x {A.training_days} days", short(training_rows())),
        ("Training set", "rows x bytes per row", nbytes(training_set_bytes())),
    ]
    return md_table(["Quantity", "How", "Value"], rows, align="llr")


# --- the upload path's latency budget --------------------------------------------------------

#: The fast path of one post, from upload to its first decision. Encoders run in parallel.
LATENCY = latency.LatencyBudget(A.latency_target_ms, (
    latency.Stage("queue", "Upload event to scorer (queue)", 300),
    latency.Stage("match", "Hash and embedding match against the bank", 100),
    latency.Stage("encode", "Modality encoders, in parallel",
                  branches=(("text", 150), ("image + OCR", 600), ("video keyframes + audio", 1200))),
    latency.Stage("fuse", "Fusion model and harm heads", 50),
    latency.Stage("decide", "Thresholds, policy rules, action written", 150),
))


@value(ms)
def stage_budget(stage_id: str) -> float:
    return LATENCY.stage(stage_id).budget_ms


@value(ms)
def latency_headroom_ms() -> float:
    return LATENCY.headroom_ms()


@table
def latency_budget_table() -> str:
    """The per-stage latency budget."""
    return latency.latency_budget_table(LATENCY)


# --- prevalence: a view-weighted, score-stratified audit -------------------------------------


@dataclass(frozen=True)
class Stratum:
    """Views of one score band: its share of all views and the share of them that violate."""

    id: str
    label: str
    view_share: float
    violating_rate: float


#: Views split by the model's highest harm score. The rates are our rules of thumb: after
#: enforcement, most harmful views sit in the small high-score strata the model already suspects.
STRATA: tuple[Stratum, ...] = (
    Stratum("low", "Score below the demote threshold", 0.970, 0.0002),
    Stratum("mid", "Demoted band", 0.025, 0.010),
    Stratum("high", "Review band, not yet decided", 0.005, 0.120),
)


@value(per_10k)
def true_prevalence() -> float:
    """Violating views over all views, from the strata (what the audit should find)."""
    return sum(s.view_share * s.violating_rate for s in STRATA)


@value(count)
def audit_sample() -> int:
    return A.audit_views_per_day * A.audit_days


def neyman_allocation(n: int) -> dict[str, int]:
    """Labels per stratum, proportional to W_h sqrt(p_h (1 - p_h)) (Neyman's optimal allocation)."""
    weights = {s.id: s.view_share * math.sqrt(s.violating_rate * (1 - s.violating_rate)) for s in STRATA}
    total = sum(weights.values())
    return {k: round(n * w / total) for k, w in weights.items()}


def stratified_half_width(allocation: dict[str, int]) -> float:
    """Half-width of the 95% interval of the stratified estimate, at the strata's expected rates."""
    variance = sum(s.view_share ** 2 * s.violating_rate * (1 - s.violating_rate) / allocation[s.id] for s in STRATA)
    return A.z95 * math.sqrt(variance)


@value(per_10k)
def simple_half_width() -> float:
    """Half-width of the 95% Wilson interval of a simple random sample of views of the same size."""
    n = audit_sample()
    k = round(true_prevalence() * n)
    low, high = metrics.wilson_interval(k, n, A.z95)
    return (high - low) / 2


@value(per_10k)
def proportional_half_width() -> float:
    return stratified_half_width({s.id: round(audit_sample() * s.view_share) for s in STRATA})


@value(per_10k)
def neyman_half_width() -> float:
    return stratified_half_width(neyman_allocation(audit_sample()))


@value(lambda v: times(round(v, 1)))
def audit_efficiency() -> float:
    """How many times more views a simple sample needs for the Neyman half-width (variance ratio)."""
    return (simple_half_width() / neyman_half_width()) ** 2


@value(count)
def neyman_labels(stratum_id: str) -> int:
    return neyman_allocation(audit_sample())[stratum_id]


@table
def strata_table() -> str:
    """The three strata, their share of views and of harmful views, and the labels each gets."""
    total = true_prevalence()
    allocation = neyman_allocation(audit_sample())
    rows = [(s.label, percent(s.view_share, 1), percent(s.violating_rate, 2),
             percent(s.view_share * s.violating_rate / total, 0), count(round(audit_sample() * s.view_share)),
             count(allocation[s.id])) for s in STRATA]
    return md_table(["Stratum", "Share of views", "Violating", "Share of harmful views", "Labels, proportional",
                     "Labels, Neyman"], rows, align="lrrrrr")


@table
def audit_table() -> str:
    """The week's audit: the same labels, three designs, three intervals."""
    rows = [
        ("True prevalence (the strata's)", "sum of share of views x violating rate", per_10k(true_prevalence())),
        ("Labelled views", f"{count(A.audit_views_per_day)} a day x {A.audit_days} days", count(audit_sample())),
        ("Simple random sample: 95% half-width", "Wilson interval", per_10k(simple_half_width())),
        ("Stratified, proportional allocation", "z sqrt(sum W² p(1-p)/n)", per_10k(proportional_half_width())),
        ("Stratified, Neyman allocation", "n_h proportional to W_h sqrt(p_h(1-p_h))", per_10k(neyman_half_width())),
        ("Sample a simple design would need for the same width", "variance ratio", times(round(audit_efficiency(), 1))),
    ]
    return md_table(["Quantity", "How", "Views per 10,000 (or count)"], rows, align="llr")


# --- the experiment --------------------------------------------------------------------------

#: A new model against the current one on a random half of new posts each; the metric is whether a
#: labelled view of a treated post is violating. Labels come from the audit, so labels, not users,
#: are the scarce unit.
AB = ABPlan(
    metric="Share of audited views that are violating (prevalence)",
    baseline_rate=true_prevalence(),
    relative_mde=-A.ab_relative_mde,
    daily_users=A.audit_views_per_day,
    traffic_fraction=1.0,
    unit="labelled views",
)


@table
def ab_test_table() -> str:
    """The A/B test: sample size per arm and how long it runs."""
    return ab_plan_table(AB)


@value(count)
def ab_labels_per_arm() -> int:
    return AB.sample_per_arm()


@value(count)
def ab_days_simple() -> int:
    return AB.enrol_days()


@value(count)
def ab_days_stratified() -> int:
    """Days at the audit's rate when the stratified design's efficiency shrinks the sample."""
    return math.ceil(AB.enrol_days() / audit_efficiency())


# --- worked example and training ---------------------------------------------------------------

#: Ten posts scored by the hate-speech head, best first: (post id, score, violates?).
EXAMPLE: tuple[tuple[str, float, int], ...] = (
    ("p1", 0.97, 1), ("p2", 0.91, 1), ("p3", 0.88, 0), ("p4", 0.80, 1), ("p5", 0.62, 1),
    ("p6", 0.55, 0), ("p7", 0.41, 0), ("p8", 0.30, 1), ("p9", 0.12, 0), ("p10", 0.05, 0),
)


def _example() -> tuple[list[int], list[float]]:
    return [y for _, _, y in EXAMPLE], [s for _, s, _ in EXAMPLE]


@value(fixed)
def example_ap() -> float:
    return metrics.average_precision(*_example())


@value(fixed)
def example_auc() -> float:
    return metrics.roc_auc(*_example())


@value(fixed)
def example_precision(threshold_value: str) -> float:
    return metrics.precision_recall_at_threshold(*_example(), float(threshold_value))[0]


@value(fixed)
def example_recall(threshold_value: str) -> float:
    return metrics.precision_recall_at_threshold(*_example(), float(threshold_value))[1]


@value(fixed)
def example_operating_point(floor: str) -> float:
    """The threshold of the highest-recall operating point at precision >= ``floor``."""
    return metrics.recall_at_precision(*_example(), float(floor))[0]


@value(fixed)
def example_operating_recall(floor: str) -> float:
    return metrics.recall_at_precision(*_example(), float(floor))[2]


@table
def example_table() -> str:
    """The ten scored posts with precision and recall if the threshold sat at each score."""
    labels, scores = _example()
    rows = []
    for post, score, label in EXAMPLE:
        precision, recall = metrics.precision_recall_at_threshold(labels, scores, score)
        rows.append((post, fixed(score, 2), "yes" if label else "no", fixed(precision, 3), fixed(recall, 3)))
    return md_table(["Post", "Score", "Violates", "Precision at this threshold", "Recall at this threshold"],
                    rows, align="lrlrr")


@value(lambda v: fixed(v, 4))
def focal_weight(p_t: str) -> float:
    """The focal factor (1 - p_t)^gamma that multiplies a row's cross-entropy."""
    return (1 - float(p_t)) ** A.focal_gamma


@value(lambda v: times(round(v)))
def focal_easy_to_hard() -> float:
    """How much more a hard row (p_t = 0.3) weighs than an easy one (p_t = 0.99) relative to cross-entropy."""
    return focal_weight("0.3") / focal_weight("0.99")


# --- interview ---------------------------------------------------------------------------------

INTERVIEW_PLAN: tuple[Phase, ...] = (
    Phase("Clarify requirements", 5, "Harms and their severity; actions (remove, demote, review); latency; review capacity; appeals"),
    Phase("Frame as an ML task", 4, "Multi-label classification per post; one multimodal model with a head per harm; thresholds per action"),
    Phase("Back of the envelope", 5, "Posts and views a second; frames to encode (video dominates); review queue against the workforce"),
    Phase("Data and labels", 7, "Reviewer decisions, reports, appeals; imbalance; label noise; policy versions"),
    Phase("Model", 9, "Early against late fusion; encoders, fusion, heads; focal loss; hash match beside the model"),
    Phase("Evaluation", 6, "PR curve per harm, recall at a precision floor; prevalence by stratified audit; proactive rate; overturns"),
    Phase("Serving and monitoring", 6, "Fast path at upload, re-scoring as views grow; thresholds and the queue; adversaries and drift"),
    Phase("Wrap-up and trade-offs", 3, "What the design gives up; what you would build next"),
)


@table
def interview_timeline_table() -> str:
    """The 45-minute plan for this problem."""
    return plan.interview_plan_table(INTERVIEW_PLAN)


# --------------------------------------------------------------------------------------------
# Practice material (snippets/kit/practice.py): the cheat sheet, the rubric and the drills
# --------------------------------------------------------------------------------------------

GLANCE = Glance(
    surface="Every new post at upload, and every surface that shows posts (through demotion)",
    users=Fact("Daily active users", A.daily_active_users, fmt=short),
    traffic=Fact("New posts a second at peak", peak_posts_per_second),
    latency=Fact("First automated decision after upload", A.latency_target_ms, fmt=ms),
    funnel=(
        Fact("New posts scored a day", A.posts_per_day, fmt=short),
        Fact("Demoted a day (demote band, all harms)", demoted_per_day),
        Fact("In the review band a day", model_reviews_per_day),
        Fact("Removed automatically a day", removed_per_day),
        Fact("Sent to a reviewer a day (over the reach gate)", gated_reviews_per_day),
    ),
    model="Hash and embedding match against a bank of known violations beside one multimodal model: "
          "pretrained text, image and keyframe encoders, early fusion by attention over the modality "
          "embeddings, a calibrated sigmoid head per harm, three thresholds per harm (remove, review, demote)",
    offline_metric="Per harm: recall at a precision floor for each action, average precision and calibration, "
                   "sliced by language",
    online_metric="Prevalence (violating views per 10,000 views) from a view-weighted, score-stratified audit; "
                  "proactive rate and appeal overturn rate as guardrails",
    memory=Fact("Post embeddings kept for re-scoring and copy search", embedding_store_bytes),
    trade_offs=(
        "Each action's precision floor is a price, not a model output: a lower removal floor catches more "
        "violations without a person but multiplies wrongful removals, and a higher one pushes work into a "
        "review queue that overflows, so policy owners set the floor per harm.",
        "The review band asks for an order of magnitude more decisions than the workforce can make; gating it "
        "by predicted reach keeps people on the posts most views land on, and accepts that low-reach posts in "
        "the uncertain middle are only demoted until their views grow.",
        "Keyframes at upload and a full video pass only once a video earns views keep the accelerator fleet "
        "several times smaller, at the price of a violating video's later frames going unseen until people "
        "are already watching it.",
    ),
)

RUBRIC: tuple[Grade, ...] = (
    Grade("Clarify requirements",
          strong="Asks which harms and how severe, which actions exist besides removal, the few-second first "
                 "decision, the reviewers' daily capacity, appeals, modalities and languages, and how success is "
                 "measured (exposure, not removals); prices a miss against a wrongful removal.",
          adequate="Gets the harms, the latency and the modalities, but assumes removal is the only action or "
                   "never asks how many decisions the reviewers can make.",
          weak="Starts with a classifier before asking which harms, which actions or who checks the model."),
    Grade("Frame as an ML task",
          strong="Multi-label, not multi-class: one calibrated probability per harm from one shared multimodal "
                 "model; recall at a precision floor per action as the training target and prevalence as the "
                 "judge; argues one model against one per harm and early against late fusion.",
          adequate="A multi-label classifier with per-harm outputs, but one threshold for every action or no "
                   "word on how modalities meet.",
          weak="A single violating / benign classifier optimised for accuracy, or a softmax over harms."),
    Grade("Back of the envelope",
          strong="Derives posts and views a second, shows that views outnumber posts by two orders of magnitude "
                 "(so posts are scored, not views), that video frames dominate the accelerators, and that the "
                 "review band overloads the workforce several times over before any gate.",
          adequate="Gets traffic and an accelerator count, but never sizes the review queue against the workforce.",
          weak="Sizes for views instead of posts, or skips the estimate and the queue."),
    Grade("Data and labels",
          strong="Names each label source and its bias (reviewer decisions over-represent what the model finds, "
                 "reports only after a reviewer, overturned appeals as hard negatives), keeps the audit sample out "
                 "of training, records policy versions, and handles imbalance with sampling, re-weighting or focal "
                 "loss followed by recalibration.",
          adequate="Sensible labels and features and some handling of imbalance, but trains on raw reports or "
                   "forgets that sampling breaks calibration.",
          weak="Assumes a clean labelled dataset, with no word on imbalance, noise or policy changes."),
    Grade("Model",
          strong="Hash and embedding matching beside a multimodal model: pretrained encoders, early fusion with a "
                 "missing-modality embedding, a sigmoid head per harm with a masked loss, calibration, and "
                 "thresholds from precision floors re-derived on every release.",
          adequate="A reasonable multimodal classifier, but no match bank, no calibration or thresholds carried "
                   "across releases.",
          weak="Separate per-modality models whose scores are averaged, with no plan for copies or new harms."),
    Grade("Evaluation",
          strong="Per harm, recall at the precision floor and average precision (not accuracy or ROC AUC); "
                 "prevalence over views from a score-stratified audit with its interval; proactive rate and "
                 "overturns, knowing the overturn rate overstates the error rate; says an A/B test on prevalence "
                 "needs far more labels than the audit gives, and decides on proxies.",
          adequate="Precision and recall per harm and prevalence, but samples posts instead of views or has no "
                   "interval.",
          weak="Counts removals, or quotes accuracy or ROC AUC on a class a fraction of a percent wide."),
    Grade("Serving and monitoring",
          strong="A fast path within the few-second budget, video encoding on the critical path, re-scoring at "
                 "view milestones, a reach-gated review queue within capacity, fallbacks when an encoder is "
                 "down, and monitoring of score drift, queue age and adversaries.",
          adequate="Draws the upload path and the review queue but leaves the queue unbounded or has no re-scoring.",
          weak="A nightly batch job, or sends every uncertain post to people without counting them."),
    Grade("Wrap-up and trade-offs",
          strong="Names what the design sacrifices (wrongful removals at the chosen floor, low-reach posts only "
                 "demoted, later video frames unseen at upload, coupled releases of one model) and the next step, "
                 "such as per-harm miss prices from policy owners or a few-shot path for new harms.",
          adequate="Summarises the design without saying what it gave up.",
          weak="Runs out of time, or presents the design as catching everything."),
)


def _upload_steps(a: Assumptions) -> list[Step]:
    average = a.posts_per_day / HOUSE.seconds_per_day
    return [
        Step("New posts a second", f"{short(a.posts_per_day)} posts ÷ {count(HOUSE.seconds_per_day)} s", average, short),
        Step("At peak", f"average × {times(HOUSE.peak_to_average)}", est.peak_qps(average, HOUSE.peak_to_average), short),
    ]


def _views_steps(a: Assumptions) -> list[Step]:
    views = a.daily_active_users * a.views_per_user_per_day
    return [
        Step("Post views a day", f"{short(a.daily_active_users)} users × {plain(a.views_per_user_per_day)} views",
             views, short),
        Step("Views per new post", f"views ÷ {short(a.posts_per_day)} new posts", views / a.posts_per_day, count),
    ]


def _accelerator_steps(a: Assumptions, frames_per_day: float, what: str) -> list[Step]:
    peak = frames_per_day / HOUSE.seconds_per_day * HOUSE.peak_to_average
    return [
        Step("Frames a second at peak", f"frames a day ÷ {count(HOUSE.seconds_per_day)} s × "
             f"{times(HOUSE.peak_to_average)}", peak, short),
        Step(what, f"peak ÷ ({plain(a.images_per_second_per_gpu)} frames a second × {percent(a.gpu_utilisation)} "
             "utilisation), rounded up", est.accelerators_needed(peak, a.images_per_second_per_gpu, a.gpu_utilisation),
             count),
    ]


def _fast_path_steps(a: Assumptions) -> list[Step]:
    frames = a.posts_per_day * (a.image_share + a.video_share * a.fast_path_frames)
    return [
        Step("Frames encoded at upload a day", f"{short(a.posts_per_day)} posts × ({percent(a.image_share)} with an "
             f"image + {percent(a.video_share)} with a video × {count(a.fast_path_frames)} keyframes)", frames, short),
        *_accelerator_steps(a, frames, "Accelerators, upload path"),
    ]


def _full_pass_steps(a: Assumptions) -> list[Step]:
    videos = a.posts_per_day * a.video_share * a.videos_reaching_threshold
    frames = videos * a.video_seconds * a.full_frames_per_second
    return [
        Step("Videos reaching the view threshold a day", f"{short(a.posts_per_day)} posts × "
             f"{percent(a.video_share)} videos × {percent(a.videos_reaching_threshold)}", videos, short),
        Step("Frames of the full pass a day", f"videos × {seconds(a.video_seconds)} × "
             f"{plain(a.full_frames_per_second)} frame a second", frames, short),
        *_accelerator_steps(a, frames, "Accelerators, full video pass"),
    ]


def _embedding_steps(a: Assumptions) -> list[Step]:
    posts = int(a.posts_per_day * a.embedding_retention_days)
    return [
        Step("Posts kept", f"{short(a.posts_per_day)} a day × {days(a.embedding_retention_days)}", posts, short),
        Step("Post embeddings kept", f"posts × {count(a.embedding_dim)} values × {plain(a.embedding_bytes_per_value)} B",
             est.embedding_bytes(posts, a.embedding_dim, a.embedding_bytes_per_value), nbytes),
    ]


def _match_bank_steps(a: Assumptions) -> list[Step]:
    return [Step("Match bank", f"{short(a.known_bad_items)} known violating items × {plain(a.match_code_bytes)} B",
                 a.known_bad_items * a.match_code_bytes, nbytes)]


def _training_steps(a: Assumptions) -> list[Step]:
    rows = a.labelled_per_day_for_training * a.training_days
    return [
        Step("Training rows", f"{short(a.labelled_per_day_for_training)} labels a day × {days(a.training_days)}",
             rows, short),
        Step("Training set", f"rows × {nbytes(a.bytes_per_training_row)}", rows * a.bytes_per_training_row, nbytes),
    ]


def _band_totals(a: Assumptions) -> dict[str, Band]:
    """The four action bands summed over the harms, at ``a``'s posts a day and precision floors."""
    parts: dict[str, list[Band]] = {"remove": [], "review": [], "demote": [], "none": []}
    for h in HARMS:
        t_remove = threshold_for_precision(h.id, a.remove_precision)
        t_review = min(threshold_for_precision(h.id, a.review_precision), t_remove)
        t_demote = min(threshold_for_precision(h.id, a.demote_precision), t_review)
        flagged = []
        for t in (t_remove, t_review, t_demote):
            tpr, fpr = rates_at(h.id, t)
            violating = a.posts_per_day * h.base_rate * tpr
            flagged.append(Band(violating + a.posts_per_day * (1 - h.base_rate) * fpr, violating))
        removed, to_review, demoted = flagged
        everything = Band(a.posts_per_day, a.posts_per_day * h.base_rate)
        parts["remove"].append(removed)
        parts["review"].append(Band(to_review.posts - removed.posts, to_review.violating - removed.violating))
        parts["demote"].append(Band(demoted.posts - to_review.posts, demoted.violating - to_review.violating))
        parts["none"].append(Band(everything.posts - demoted.posts, everything.violating - demoted.violating))
    return {k: Band(sum(p.posts for p in v), sum(p.violating for p in v)) for k, v in parts.items()}


def _removal_steps(a: Assumptions) -> list[Step]:
    removed = _band_totals(a)["remove"]
    return [
        Step("Removed a day", f"per harm, posts over the threshold where precision reaches "
             f"{percent(a.remove_precision)}, of {short(a.posts_per_day)} posts; six harms added", removed.posts, short),
        Step("Violating among them", "the same, violating posts only", removed.violating, short),
        Step("Wrongful removals a day", "removed − violating", removed.posts - removed.violating, short),
    ]


def _appeal_steps(a: Assumptions) -> list[Step]:
    steps = _removal_steps(a)
    violating, wrongful = steps[1].value, steps[2].value
    appeals = wrongful * a.appeal_rate_wrongful + violating * a.appeal_rate_correct
    return steps + [
        Step("Appeals a day", f"wrongful × {percent(a.appeal_rate_wrongful)} + correct × "
             f"{percent(a.appeal_rate_correct)}", appeals, short),
        Step("Appeal overturn rate", f"wrongful × {percent(a.appeal_rate_wrongful)} ÷ appeals",
             wrongful * a.appeal_rate_wrongful / appeals, lambda v: percent(v, 1)),
    ]


def _gated_steps(a: Assumptions) -> list[Step]:
    band = _band_totals(a)["review"]
    return [
        Step("Review band a day", f"per harm, posts between the {percent(a.review_precision)} and "
             f"{percent(a.remove_precision)} precision thresholds; six harms added", band.posts, short),
        Step("Over the reach gate", f"band × {percent(a.share_posts_over_gate)} of posts predicted to reach "
             f"{count(a.reach_gate_views)} views", band.posts * a.share_posts_over_gate, short),
    ]


def _demand_steps(a: Assumptions) -> list[Step]:
    steps = _gated_steps(a)
    totals = _band_totals(a)
    removed = totals["remove"]
    wrongful = removed.posts - removed.violating
    appeals = wrongful * a.appeal_rate_wrongful + removed.violating * a.appeal_rate_correct
    demand = steps[-1].value + (a.user_report_reviews + a.audit_views_per_day) + appeals
    return steps + [
        Step("Appeals a day", f"wrongful removals × {percent(a.appeal_rate_wrongful)} + correct × "
             f"{percent(a.appeal_rate_correct)}", appeals, short),
        Step("Review demand a day", f"gated band + {short(a.user_report_reviews)} reports + "
             f"{short(a.audit_views_per_day)} audit labels + appeals", demand, short),
    ]


def _utilisation_steps(a: Assumptions) -> list[Step]:
    steps = _demand_steps(a)
    return steps + [Step("Workforce utilisation", f"demand ÷ {short(a.review_capacity_per_day)} decisions a day",
                         steps[-1].value / a.review_capacity_per_day, lambda v: percent(v, 0))]


def _neyman_steps(a: Assumptions) -> list[Step]:
    n = a.audit_views_per_day * a.audit_days
    allocation = neyman_allocation(n)
    variance = sum(s.view_share ** 2 * s.violating_rate * (1 - s.violating_rate) / allocation[s.id] for s in STRATA)
    return [
        Step("Labelled views pooled", f"{count(a.audit_views_per_day)} a day × {days(a.audit_days)}", n, count),
        Step("Labels in the review-band stratum", "Neyman: n_s ∝ W_s √(p_s (1 − p_s))", allocation["high"], count),
        Step("95% half-width, per 10,000 views", f"{fixed(a.z95, 2)} × √(Σ W_s² p_s (1 − p_s) ÷ n_s)",
             a.z95 * math.sqrt(variance), per_10k),
    ]


def _ab_label_steps(a: Assumptions) -> list[Step]:
    baseline = true_prevalence()
    n = est.ab_test_sample_size(baseline, -a.ab_relative_mde, alpha=HOUSE.alpha, power=HOUSE.power, relative=True)
    return [
        Step("Prevalence to detect, per 10,000 views", f"{per_10k(baseline)} × (1 − {percent(a.ab_relative_mde)})",
             baseline * (1 - a.ab_relative_mde), per_10k),
        Step("Labelled views per arm", f"two-proportion z-test, α = {fixed(HOUSE.alpha, 2)}, power "
             f"{percent(HOUSE.power)} ([formula](reference/experiments.md#the-formula))", n, count),
    ]


def _ab_days_steps(a: Assumptions) -> list[Step]:
    steps = _ab_label_steps(a)
    simple_days = est.ab_test_duration_days(steps[-1].value, a.audit_views_per_day, n_arms=2, traffic_fraction=1.0)
    n = a.audit_views_per_day * a.audit_days
    low, high = metrics.wilson_interval(round(true_prevalence() * n), n, a.z95)
    allocation = neyman_allocation(n)
    variance = sum(s.view_share ** 2 * s.violating_rate * (1 - s.violating_rate) / allocation[s.id] for s in STRATA)
    efficiency = ((high - low) / 2 / (a.z95 * math.sqrt(variance))) ** 2
    return steps + [
        Step("Days of audit, simple sampling", f"2 arms × labels per arm ÷ {count(a.audit_views_per_day)} a day, "
             "rounded up", simple_days, count),
        Step("Stratified design's efficiency", f"(simple ÷ Neyman half-width)² over {count(n)} labels",
             efficiency, lambda v: times(round(v, 1))),
        Step("Days of audit, stratified", "simple days ÷ efficiency, rounded up", math.ceil(simple_days / efficiency),
             count),
    ]


def _headroom_steps(a: Assumptions) -> list[Step]:
    budget = latency.LatencyBudget(a.latency_target_ms, LATENCY.stages)
    parts = " + ".join(f"{s.id} {ms(s.budget_ms)}" for s in LATENCY.stages)
    return [
        Step("Upload path, end to end", f"{parts} (encoders in parallel: the slowest counts)", budget.total_ms(), ms),
        Step("Headroom", f"{ms(a.latency_target_ms)} − path", budget.headroom_ms(), ms),
    ]


def _bayes_steps(a: Assumptions) -> list[Step]:
    return [Step("Remove above", f"1 ÷ (1 + {plain(a.miss_cost)}): a wrongful removal costs 1, a miss "
                 f"{plain(a.miss_cost)}", 1.0 / (1.0 + a.miss_cost), percent)]


DRILLS: tuple[Drill, ...] = (
    Drill("Twice the uploads", "A new creation tool doubles the posts made each day. How many new posts a second "
          "must the scorers take at peak?", {"posts_per_day": 2e9}, _upload_steps, peak_posts_per_second),
    Drill("Short video takes over", "Video grows from a tenth to a quarter of posts. How many accelerators does "
          "the upload path need?", {"video_share": 0.25}, _fast_path_steps, fast_path_accelerators),
    Drill("A heavier encoder", "The new image encoder is a larger model and encodes a quarter as many frames a "
          "second. How many accelerators on the upload path?", {"images_per_second_per_gpu": 250},
          _fast_path_steps, fast_path_accelerators),
    Drill("Longer videos", "Mean video length triples. How many accelerators does the full video pass need?",
          {"video_seconds": 180}, _full_pass_steps, full_pass_accelerators),
    Drill("A lower full-pass bar", "Trust and safety wants the full pass once a video reaches twenty views, which "
          "half of videos do. How many accelerators does the full pass need?",
          {"full_pass_view_threshold": 20, "videos_reaching_threshold": 0.5}, _full_pass_steps, full_pass_accelerators),
    Drill("A year of embeddings", "Legal asks to keep post embeddings for a year, at twice the dimension. How much "
          "storage do they take?", {"embedding_retention_days": 365, "embedding_dim": 512},
          _embedding_steps, embedding_store_bytes),
    Drill("Full embeddings in the bank", "Instead of compressed codes, the match bank stores each item's full "
          "fp16 embedding. Does it still fit in every scorer's memory?", {"match_code_bytes": 512},
          _match_bank_steps, match_bank_bytes),
    Drill("A year of labels", "Rare harms need more positives: train on a year of labels, with more review "
          "decisions kept as labels. How large is the training set?",
          {"training_days": 365, "labelled_per_day_for_training": 1.8e6}, _training_steps, training_set_bytes),
    Drill("A looser removal floor", "Policy accepts one wrongful removal in ten automatic removals. How many "
          "wrongful removals a day?", {"remove_precision": 0.90}, _removal_steps, wrongful_removals_per_day),
    Drill("An easier appeal", "A simpler appeal button doubles the appeal rate of wrongful removals and "
          "more than doubles that of correct ones. What share of appeals is overturned?",
          {"appeal_rate_wrongful": 0.60, "appeal_rate_correct": 0.05}, _appeal_steps, appeal_overturn_rate),
    Drill("Half the workforce", "A disruption halves the reviewers' decisions a day. What is the workforce's "
          "utilisation with the reach gate as designed?", {"review_capacity_per_day": 1e6},
          _utilisation_steps, review_utilisation),
    Drill("A lower reach gate", "The gate drops to fewer predicted views, so more posts clear it. How many review "
          "decisions a day does the design ask for?", {"reach_gate_views": 300, "share_posts_over_gate": 0.12},
          _demand_steps, review_demand_per_day),
    Drill("A stricter review floor", "Reviewers complain that two posts in three are benign, so the review floor "
          "rises to one in two violating. How many posts a day go to people over the reach gate?",
          {"review_precision": 0.50}, _gated_steps, gated_reviews_per_day),
    Drill("A daily prevalence figure", "Leadership wants prevalence every day instead of every week, from the same "
          "daily labels. How wide is the Neyman interval?", {"audit_days": 1}, _neyman_steps, neyman_half_width),
    Drill("A bolder experiment", "The team will only ship a model that cuts prevalence by a quarter. How many "
          "labelled views per arm?", {"ab_relative_mde": 0.25}, _ab_label_steps, ab_labels_per_arm),
    Drill("Double the audit", "The audit doubles its daily labels. How many days would a stratified A/B test on "
          "prevalence take?", {"audit_views_per_day": 20_000}, _ab_days_steps, ab_days_stratified),
    Drill("A two-second promise", "Product promises a first decision within two seconds. How much headroom does the "
          "upload path keep?", {"latency_target_ms": 2000}, _headroom_steps, latency_headroom_ms),
    Drill("A severe harm", "For a severe harm, policy prices a miss at ten wrongful removals. With no reviewers, "
          "above what probability should a post be removed?", {"miss_cost": 10}, _bayes_steps, bayes_threshold),
    Drill("More viewers, same posters", "Daily users grow by half while posting stays flat. How many views does "
          "each new post get?", {"daily_active_users": 3e9}, _views_steps, views_per_post),
)
