"""Personalised news feed: the chapter's assumptions and every number it shows.

``docs/news-feed.md`` designs the ranking of a social network's home feed: candidate sources
(friends, groups, pages, recommended posts), a light first pass, a heavy multi-task ranker whose
engagement heads are combined by a value function, and a contextual pass that applies freshness,
diversity and integrity demotions. From the assumptions below this module computes the traffic,
the ranking funnel and its predictions per second, the accelerators and feature bandwidth that
dominate the cost, the storage, the training-data volume, the latency budget, the value function
and how its weights reorder the same posts, the worked example of per-head metrics, and the A/B
test and long-term holdout. The formulas shared by every chapter live in the chapter kit.

Functions ending in ``_for`` take the inputs the lab varies as arguments; the others are the
chapter's own values, which the page, its figures and its lab show.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from snippets.kit import estimation as est
from snippets.kit import latency, metrics
from snippets.kit.abtest import ABPlan, ab_plan_table
from snippets.kit.assume import DEFINITION, PROBLEM, assume, cited, design, thumb
from snippets.kit.display import count, days, fixed, md_table, ms, nbytes, percent, plain, short, times
from snippets.kit.house import HOUSE
from snippets.kit.latency import LatencyBudget, stages_from_shares
from snippets.kit.plan import Phase, interview_plan_table
from snippets.kit.practice import Drill, Fact, Glance, Grade, Step, peak_steps, stage_budget_steps
from snippets.kit.retrieval import Source, total_candidates
from snippets.kit.show import table, value
from snippets.kit.worked import GradedList


def _hours(n: float) -> str:
    return f"{plain(n)} h"


@dataclass(frozen=True)
class Assumptions:
    """Every input of the chapter's arithmetic. The problem statement fixes four; the rest are ours."""

    # Scale and latency (the problem statement)
    daily_active_users: float = assume(1e9, "Daily active users", short, PROBLEM)
    feed_loads_per_user_per_day: float = assume(10, "Feed loads per user per day", plain, PROBLEM)
    eligible_posts_per_load: int = assume(2_000, "Eligible posts per feed load", count, PROBLEM)
    latency_target_ms: float = assume(200.0, "First screen, end to end (p99 at the server)", ms, PROBLEM)

    # Candidate sources, per load (they add up to the eligible posts above)
    friend_posts: int = assume(1_000, "Candidates from friends", count, thumb("the biggest source for most users"))
    group_posts: int = assume(500, "Candidates from groups", count, thumb())
    page_posts: int = assume(300, "Candidates from followed pages", count, thumb())
    recommended_posts: int = assume(
        200, "Candidates from recommended (unconnected) posts", count, thumb("a share the product decides"))

    # The ranking funnel
    filtered_fraction: float = assume(
        0.10, "Share removed by hard filters (seen, blocked, violating)", percent, thumb())
    heavy_ranker_input: int = assume(500, "Posts the light pass hands to the heavy ranker", count, design())
    contextual_input: int = assume(100, "Posts the contextual pass re-orders", count, design())
    posts_returned: int = assume(25, "Posts returned for the first page", count, design("the client pages the rest"))
    impressions_per_load: float = assume(12, "Posts seen per feed load", plain, thumb("two to three screens"))

    # Serving capacity
    heavy_predictions_per_second_per_gpu: float = assume(
        200_000, "Heavy-ranker forward passes per second per GPU", short, thumb("load-test it"))
    light_predictions_per_second_per_host: float = assume(
        2_000_000, "Light-pass scores per second per CPU host", short, thumb("a small model; load-test it"))
    light_feature_bytes: int = assume(200, "Feature bytes per post, light pass", nbytes, thumb())
    heavy_feature_bytes: int = assume(2_000, "Feature bytes per post, heavy ranker", nbytes, thumb())

    # Storage
    posts_created_per_day: float = assume(1e9, "Posts created per day", short, thumb())
    inventory_days: int = assume(
        7, "Days a post stays eligible for the feed", days, thumb("posts since last visit plus unseen older ones"))
    post_record_bytes: int = assume(2_000, "Feature bytes stored per post", nbytes, thumb())
    user_record_bytes: int = assume(4_000, "Feature bytes stored per user", nbytes, thumb())
    monthly_to_daily_users: float = assume(1.5, "Monthly-to-daily active users", times, thumb())
    edges_per_user: int = assume(
        400, "Friends, groups and pages per user (affinity rows)", count, thumb())
    affinity_bytes: int = assume(32, "Bytes per (user, author) affinity row", nbytes, thumb())

    # Training data
    engaged_impression_rate: float = assume(
        0.06, "Impressions with at least one logged event", percent, thumb())
    negative_keep_rate: float = assume(0.10, "Impressions without any event kept for training", percent, design())
    bytes_per_training_row: int = assume(1_500, "Bytes per training row", nbytes, thumb())

    # Final ordering
    freshness_half_life_hours: float = assume(
        12, "Freshness half-life of the contextual pass", _hours, design("tuned online"))
    example_post_age_hours: float = assume(24, "Age of the example post for freshness", _hours, DEFINITION)
    borderline_demotion: float = assume(
        0.5, "Value multiplier for borderline (not violating) posts", plain, design("set by integrity policy"))

    # A/B test and holdout
    ab_baseline_rate: float = assume(
        0.30, "A/B baseline: users with a meaningful interaction on 5 of the measured 7 days", percent, thumb())
    ab_relative_mde: float = assume(0.005, "A/B minimum detectable effect (relative)", percent, thumb())
    ab_traffic_fraction: float = assume(0.01, "A/B share of users in the test (both arms)", percent, thumb())
    ab_metric_window_days: int = assume(
        7, "A/B window the metric is measured over (the test's last days)", days, design("after novelty fades"))
    holdout_fraction: float = assume(
        0.005, "Long-term holdout: users kept on last half-year's ranking", percent, design())
    holdout_months: int = assume(6, "Months the holdout runs", count, design())

    # A published value function, for comparison
    twitter_report_weight: float = assume(
        -369, "Weight of a report click in Twitter's published heavy ranker (2023)", plain,
        cited("Twitter, the-algorithm-ml, projects/home/recap/README.md", "twitter2023"))


ASSUMPTIONS = Assumptions()
A = ASSUMPTIONS


CANDIDATE_SOURCES: tuple[Source, ...] = (
    Source("friends", "Friends", "posts by friends since the last visit, and unseen older ones", A.friend_posts),
    Source("groups", "Groups", "posts in groups the user joined", A.group_posts),
    Source("pages", "Pages", "posts by pages the user follows", A.page_posts),
    Source("recommended", "Recommended", "unconnected posts, from embedding retrieval", A.recommended_posts),
)


@dataclass(frozen=True)
class Head:
    """One head of the ranker: the event it predicts, how its label is made, its weight in the value."""

    id: str
    name: str
    label: str
    weight: float


#: The heads of the heavy ranker and the chosen weights of the value function (in "likes": one like = 1).
HEADS: tuple[Head, ...] = (
    Head("like", "Like", "liked or reacted", 1.0),
    Head("comment", "Comment", "commented", 6.0),
    Head("share", "Share", "re-shared or sent", 4.0),
    Head("dwell", "Dwell", "stayed on the post 10 s or more", 0.5),
    Head("worth", "Worth your time", "answered yes to the survey (sampled)", 5.0),
    Head("hide", "Hide", "hid the post or snoozed the author", -20.0),
    Head("report", "Report", "reported the post", -150.0),
)
HEAD_IDS = tuple(head.id for head in HEADS)

#: Alternative weightings of the same heads: (id, name, what it optimises, weights by head id).
WEIGHTINGS: tuple[tuple[str, str, str, dict[str, float]], ...] = (
    ("engagement", "Engagement", "likes and time on posts",
     {"like": 1.0, "comment": 1.0, "share": 1.0, "dwell": 4.0, "worth": 0.0, "hide": 0.0, "report": 0.0}),
    ("interactions", "Interactions", "comments and shares between people",
     {"like": 1.0, "comment": 15.0, "share": 10.0, "dwell": 0.5, "worth": 0.0, "hide": -5.0, "report": -50.0}),
    ("chosen", "Chosen", "interactions people say were worth it",
     {head.id: head.weight for head in HEADS}),
)

#: Five posts in one user's inventory with each head's calibrated prediction (made up, plausible).
EXAMPLE_POSTS: tuple[tuple[str, str, dict[str, float]], ...] = (
    ("baby", "Friend's baby photo",
     {"like": 0.30, "comment": 0.06, "share": 0.005, "dwell": 0.45, "worth": 0.55, "hide": 0.005, "report": 0.0002}),
    ("outrage", "Page's outrage video",
     {"like": 0.10, "comment": 0.09, "share": 0.06, "dwell": 0.80, "worth": 0.10, "hide": 0.06, "report": 0.006}),
    ("advice", "Group advice question",
     {"like": 0.04, "comment": 0.12, "share": 0.004, "dwell": 0.35, "worth": 0.45, "hide": 0.01, "report": 0.0003}),
    ("listicle", "Clickbait listicle",
     {"like": 0.08, "comment": 0.01, "share": 0.02, "dwell": 0.70, "worth": 0.05, "hide": 0.05, "report": 0.002}),
    ("news", "Page's news story",
     {"like": 0.07, "comment": 0.02, "share": 0.03, "dwell": 0.55, "worth": 0.35, "hide": 0.01, "report": 0.0005}),
)

#: The request path: (id, label, share of the end-to-end target). Shares are our rule of thumb.
LATENCY_SHARES: tuple[tuple[str, str, float], ...] = (
    ("network", "Network, gateway, serialisation", 0.15),
    ("inventory", "Inventory: sources in parallel", 0.15),
    ("light", "Light pass: features and model", 0.10),
    ("heavy_features", "Heavy ranker: feature fetch", 0.10),
    ("heavy", "Heavy ranker: inference", 0.25),
    ("contextual", "Contextual pass and demotions", 0.10),
    ("headroom", "Headroom for the tail", 0.15),
)

INTERVIEW_PLAN: tuple[Phase, ...] = (
    Phase("Clarify requirements", 5, "Surface, goal (meaningful interactions, return visits), scale, 200 ms"),
    Phase("Frame as an ML task", 5, "Objective table, heads, value function V = Σ w·p"),
    Phase("Back of the envelope", 4, "QPS, funnel, predictions/s, GPUs, feature bandwidth"),
    Phase("Data and features", 6, "Event log, labels per head, surveys, position bias, features"),
    Phase("Model", 10, "Light pass, multi-task ranker (shared bottom vs MMoE), calibration, contextual pass"),
    Phase("Evaluation", 6, "Per-head AUC/NE/calibration, value nDCG, A/B, guardrails, holdout"),
    Phase("Serving and monitoring", 6, "Architecture, latency split, fallbacks, feedback loops"),
    Phase("Wrap-up and trade-offs", 3, "What the weights give up; what you would test next"),
)

AB = ABPlan(
    metric="share of users with a comment, share or reply on at least 5 of the measured 7 days",
    baseline_rate=A.ab_baseline_rate,
    relative_mde=A.ab_relative_mde,
    daily_users=A.daily_active_users,
    traffic_fraction=A.ab_traffic_fraction,
    measured_days=A.ab_metric_window_days,
)

# The worked example of per-head metrics: twelve impressions of one day with the like head's and the
# hide head's calibrated predictions and what the user did (1 = the event happened).
HEAD_EXAMPLE: dict[str, tuple[tuple[int, ...], tuple[float, ...]]] = {
    "like": ((1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0),
             (0.62, 0.20, 0.35, 0.48, 0.10, 0.30, 0.25, 0.15, 0.40, 0.05, 0.55, 0.12)),
    "hide": ((0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0),
             (0.02, 0.05, 0.30, 0.01, 0.08, 0.03, 0.04, 0.22, 0.02, 0.12, 0.01, 0.06)),
}

# One user's first screen as ranked, graded by what the user did: 0 scrolled past, 1 liked or dwelt,
# 2 commented or shared, 3 commented and said "worth your time". One grade-3 post was ranked below it.
VALUE_LIST = GradedList(
    shown=(("p1", 2), ("p2", 0), ("p3", 1), ("p4", 3), ("p5", 0), ("p6", 1), ("p7", 0), ("p8", 2)),
    missed=(("p9", 3),),
    relevant_grade=2,
)
VALUE_KS: tuple[int, ...] = (3, 5, 8)


# --------------------------------------------------------------------------------------------
# Traffic and the funnel
# --------------------------------------------------------------------------------------------


def feed_loads_per_day() -> float:
    return A.daily_active_users * A.feed_loads_per_user_per_day


@value(short)
def avg_qps() -> float:
    return est.average_qps(A.daily_active_users, A.feed_loads_per_user_per_day)


def peak_qps_for(daily_active_users: float, loads_per_user: float = A.feed_loads_per_user_per_day) -> float:
    return est.peak_qps(est.average_qps(daily_active_users, loads_per_user), HOUSE.peak_to_average)


@value(short)
def peak_qps() -> float:
    return peak_qps_for(A.daily_active_users)


@value(count)
def candidates_from_sources() -> int:
    return total_candidates(CANDIDATE_SOURCES)


@value(count)
def light_pass_input() -> int:
    """Posts the light pass scores: the inventory after hard filters."""
    return round(candidates_from_sources() * (1 - A.filtered_fraction))


@value(short)
def pairs_per_day() -> float:
    """(user, post) pairs the light pass scores per day."""
    return feed_loads_per_day() * light_pass_input()


@value(short)
def light_predictions_peak() -> float:
    return est.predictions_per_second(peak_qps(), light_pass_input())


@value(short)
def heavy_predictions_peak() -> float:
    return est.predictions_per_second(peak_qps(), A.heavy_ranker_input)


@value(short)
def heavy_head_outputs_peak() -> float:
    """Head outputs per second: one forward pass gives every head."""
    return heavy_predictions_peak() * len(HEADS)


def heavy_gpus_for(candidates: int, requests_per_second: float) -> int:
    return est.accelerators_needed(est.predictions_per_second(requests_per_second, candidates),
                                   A.heavy_predictions_per_second_per_gpu)


@value(count)
def heavy_gpus() -> int:
    return heavy_gpus_for(A.heavy_ranker_input, peak_qps())


@value(count)
def heavy_gpus_without_light_pass() -> int:
    """GPUs if the heavy ranker scored every filtered candidate: what the light pass saves."""
    return heavy_gpus_for(light_pass_input(), peak_qps())


@value(count)
def light_hosts() -> int:
    return est.replicas_needed(light_predictions_peak(), A.light_predictions_per_second_per_host)


@value(nbytes)
def feature_bytes_per_request() -> float:
    return light_pass_input() * A.light_feature_bytes + A.heavy_ranker_input * A.heavy_feature_bytes


@value(nbytes)
def feature_bandwidth_peak() -> float:
    """Bytes per second the rankers read from the feature stores at peak."""
    return feature_bytes_per_request() * peak_qps()


# --------------------------------------------------------------------------------------------
# Storage
# --------------------------------------------------------------------------------------------


def posts_stored() -> float:
    return A.posts_created_per_day * A.inventory_days


def users_stored() -> float:
    return A.daily_active_users * A.monthly_to_daily_users


def post_store_bytes() -> float:
    return posts_stored() * A.post_record_bytes


def user_store_bytes() -> float:
    return users_stored() * A.user_record_bytes


def affinity_store_bytes() -> float:
    return users_stored() * A.edges_per_user * A.affinity_bytes


@value(nbytes)
def online_store_bytes() -> float:
    return post_store_bytes() + user_store_bytes() + affinity_store_bytes()


# --------------------------------------------------------------------------------------------
# Training data
# --------------------------------------------------------------------------------------------


@value(short)
def impressions_per_day() -> float:
    return est.impressions_per_day(A.daily_active_users, A.feed_loads_per_user_per_day, A.impressions_per_load)


def engaged_impressions_per_day() -> float:
    return est.training_rows_per_day(impressions_per_day(), A.engaged_impression_rate, negative_keep_rate=0.0)


@value(short)
def training_rows_per_day() -> float:
    return est.training_rows_per_day(impressions_per_day(), A.engaged_impression_rate, A.negative_keep_rate)


@value(nbytes)
def training_bytes_per_day() -> float:
    return training_rows_per_day() * A.bytes_per_training_row


def recalibrated_for(p: float) -> float:
    """A head's raw output on downsampled data, mapped back to the served population."""
    return est.recalibrate_downsampled(p, A.negative_keep_rate)


#: A raw output of a head trained on downsampled rows, recalibrated in the text.
RECALIBRATION_EXAMPLE_OUTPUT = 0.20


@value(lambda p: fixed(p, 2))
def recalibration_input() -> float:
    return RECALIBRATION_EXAMPLE_OUTPUT


@value(lambda p: fixed(p, 3))
def recalibrated_example() -> float:
    return recalibrated_for(RECALIBRATION_EXAMPLE_OUTPUT)


# --------------------------------------------------------------------------------------------
# Latency
# --------------------------------------------------------------------------------------------


def latency_budget(target_ms: float = A.latency_target_ms) -> LatencyBudget:
    return LatencyBudget(target_ms, stages_from_shares(target_ms, LATENCY_SHARES))


LATENCY = latency_budget()


@value(ms)
def stage_budget(stage_id: str) -> float:
    return LATENCY.stage(stage_id).budget_ms


@value(ms)
def heavy_ms_per_thousand() -> float:
    """Inference budget per thousand posts the heavy ranker scores."""
    return stage_budget("heavy") / A.heavy_ranker_input * 1_000


# --------------------------------------------------------------------------------------------
# The value function and the final ordering
# --------------------------------------------------------------------------------------------


def weights_of(weighting_id: str) -> dict[str, float]:
    for wid, _, _, weights in WEIGHTINGS:
        if wid == weighting_id:
            return weights
    raise KeyError(f"no weighting {weighting_id!r} (weightings: {', '.join(w for w, _, _, _ in WEIGHTINGS)})")


def post_value(predictions: dict[str, float], weights: dict[str, float]) -> float:
    """V = sum over heads of weight x calibrated prediction; every head must be given."""
    missing = set(HEAD_IDS) - set(predictions)
    if missing:
        raise KeyError(f"predictions lack the heads {sorted(missing)}")
    return sum(weights[head] * predictions[head] for head in HEAD_IDS)


@value(lambda v: fixed(v, 3))
def example_value(post_id: str, weighting_id: str = "chosen") -> float:
    for pid, _, predictions in EXAMPLE_POSTS:
        if pid == post_id:
            return post_value(predictions, weights_of(weighting_id))
    raise KeyError(f"no example post {post_id!r}")


def ranking_under(weighting_id: str) -> list[str]:
    """Post ids of the example inventory, best first, under one weighting."""
    weights = weights_of(weighting_id)
    return [pid for pid, _, p in sorted(EXAMPLE_POSTS, key=lambda post: -post_value(post[2], weights))]


def rank_of(post_id: str, weighting_id: str) -> int:
    return ranking_under(weighting_id).index(post_id) + 1


@value(count)
def engagement_rank(post_id: str) -> int:
    return rank_of(post_id, "engagement")


@value(count)
def interactions_rank(post_id: str) -> int:
    return rank_of(post_id, "interactions")


@value(count)
def chosen_rank(post_id: str) -> int:
    return rank_of(post_id, "chosen")


@value(lambda v: fixed(v, 3))
def engagement_value(post_id: str) -> float:
    return example_value(post_id, "engagement")


def post_name(post_id: str) -> str:
    for pid, name, _ in EXAMPLE_POSTS:
        if pid == post_id:
            return name
    raise KeyError(post_id)


@value(count)
def head_count() -> int:
    return len(HEADS)


@value(plain)
def head_weight(head_id: str) -> float:
    for head in HEADS:
        if head.id == head_id:
            return head.weight
    raise KeyError(head_id)


def freshness_multiplier_for(age_hours: float, half_life_hours: float = A.freshness_half_life_hours) -> float:
    """exp-decay with a half-life: 1 for a new post, 1/2 after one half-life."""
    return 0.5 ** (age_hours / half_life_hours)


@value(lambda v: fixed(v, 2))
def freshness_example() -> float:
    return freshness_multiplier_for(A.example_post_age_hours)


def demoted(value: float, factor: float) -> float:
    """An integrity demotion: a multiplier on a positive value. A negative value is left as it is: a
    factor below one would move it up, towards zero, and promote the post it means to push down."""
    return value * factor if value > 0 else value


@value(lambda v: fixed(v, 3))
def demoted_example_value() -> float:
    """The news story's chosen value once it is flagged borderline (likely misinformation under review)."""
    return demoted(example_value("news"), A.borderline_demotion)


# --------------------------------------------------------------------------------------------
# The worked example of per-head metrics
# --------------------------------------------------------------------------------------------


def _head(head_id: str) -> tuple[tuple[int, ...], tuple[float, ...]]:
    return HEAD_EXAMPLE[head_id]


@value(lambda v: fixed(v, 3))
def head_auc(head_id: str) -> float:
    return metrics.roc_auc(*_head(head_id))


@value(lambda v: fixed(v, 3))
def head_log_loss(head_id: str) -> float:
    return metrics.log_loss(*_head(head_id))


@value(lambda v: fixed(v, 3))
def head_ne(head_id: str) -> float:
    return metrics.normalized_entropy(*_head(head_id))


@value(lambda v: fixed(v, 3))
def head_calibration(head_id: str) -> float:
    return metrics.calibration_ratio(*_head(head_id))


@value(lambda v: fixed(v, 3))
def head_rate(head_id: str) -> float:
    labels, _ = _head(head_id)
    return sum(labels) / len(labels)


@value(lambda v: fixed(v, 3))
def head_mean_prediction(head_id: str) -> float:
    _, p = _head(head_id)
    return sum(p) / len(p)


@value(lambda v: fixed(v, 3))
def value_ndcg(k: int) -> float:
    return VALUE_LIST.ndcg(k)


@value(lambda v: fixed(v, 3))
def value_dcg(k: int) -> float:
    return VALUE_LIST.dcg(k)


# --------------------------------------------------------------------------------------------
# The A/B test and the holdout
# --------------------------------------------------------------------------------------------


@value(count)
def ab_sample_per_arm() -> int:
    return AB.sample_per_arm()


@value(days)
def ab_planned_days() -> int:
    return AB.planned_days()


@value(short)
def holdout_users() -> float:
    return A.daily_active_users * A.holdout_fraction


@value(count)
def holdout_days() -> int:
    return math.ceil(A.holdout_months * 365 / 12)


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


@table
def capacity_table() -> str:
    """Traffic, the ranking load of each pass, and what it takes to serve it at peak."""
    rows = [
        ("Feed loads per day", "DAU × loads per user", short(feed_loads_per_day()), "—"),
        ("Feed loads per second", f"per day ÷ {count(HOUSE.seconds_per_day)}; peak × {HOUSE.peak_to_average:g}",
         short(avg_qps()), short(peak_qps())),
        ("Light-pass scores per second", f"QPS × {count(light_pass_input())} posts",
         short(avg_qps() * light_pass_input()), short(light_predictions_peak())),
        ("Heavy-ranker forward passes per second", f"QPS × {count(A.heavy_ranker_input)} posts",
         short(avg_qps() * A.heavy_ranker_input), short(heavy_predictions_peak())),
        ("Heavy-ranker head outputs per second", f"forward passes × {len(HEADS)} heads",
         short(avg_qps() * A.heavy_ranker_input * len(HEADS)), short(heavy_head_outputs_peak())),
        ("Light-pass CPU hosts (no redundancy)", f"scores/s ÷ {short(A.light_predictions_per_second_per_host)}",
         "—", count(light_hosts())),
        ("Heavy-ranker GPUs (no redundancy)", f"passes/s ÷ {short(A.heavy_predictions_per_second_per_gpu)}",
         "—", count(heavy_gpus())),
        ("Feature bytes read per second", f"QPS × {nbytes(feature_bytes_per_request())} per load",
         f"{nbytes(feature_bytes_per_request() * avg_qps())}/s", f"{nbytes(feature_bandwidth_peak())}/s"),
    ]
    return md_table(["Quantity", "Formula", "Average", "Peak"], rows, align="llrr")


@table
def funnel_table() -> str:
    """Posts per stage of one feed load."""
    rows = [(f"Source: {s.name} ({s.detail})", count(s.candidates)) for s in CANDIDATE_SOURCES]
    rows += [
        ("Inventory, all sources", count(candidates_from_sources())),
        (f"After hard filters (−{percent(A.filtered_fraction)}), scored by the light pass", count(light_pass_input())),
        ("Scored by the heavy multi-task ranker", count(A.heavy_ranker_input)),
        ("Re-ordered by the contextual pass", count(A.contextual_input)),
        ("Returned for the first page", count(A.posts_returned)),
        ("Seen (impressions per load)", plain(A.impressions_per_load)),
    ]
    return md_table(["Stage", "Posts per load"], rows)


@table
def storage_table() -> str:
    """Online feature storage, one copy."""
    rows = [
        ("Posts in the inventory", f"{short(A.posts_created_per_day)}/day × {days(A.inventory_days)} × "
                                   f"{nbytes(A.post_record_bytes)}", nbytes(post_store_bytes())),
        ("Users", f"{short(users_stored())} (DAU × MAU/DAU) × {nbytes(A.user_record_bytes)}", nbytes(user_store_bytes())),
        ("User–author affinity", f"{short(users_stored())} × {count(A.edges_per_user)} × {nbytes(A.affinity_bytes)}",
         nbytes(affinity_store_bytes())),
        ("Total, one copy", "", nbytes(online_store_bytes())),
    ]
    return md_table(["Data", "Count × bytes", "Size"], rows, align="llr")


@table
def training_data_table() -> str:
    """Daily training-data volume of the heavy ranker."""
    engaged = engaged_impressions_per_day()
    rows = [
        ("Impressions per day", f"DAU × loads × {plain(A.impressions_per_load)} seen", short(impressions_per_day())),
        ("With at least one event (every row kept)", f"× {percent(A.engaged_impression_rate)}", short(engaged)),
        ("Without any event, kept", f"the rest × {percent(A.negative_keep_rate)}",
         short(training_rows_per_day() - engaged)),
        ("Training rows per day", "sum", short(training_rows_per_day())),
        ("Training bytes per day", f"rows × {nbytes(A.bytes_per_training_row)}", nbytes(training_bytes_per_day())),
    ]
    return md_table(["Quantity", "Formula", "Per day"], rows, align="llr")


@table
def heads_table() -> str:
    """The heads of the heavy ranker, their labels and their weights in the chosen value function."""
    rows = [(head.name, head.label, plain(head.weight)) for head in HEADS]
    return md_table(["Head", "Positive label", "Weight (likes)"], rows, align="llr")


@table
def weightings_table() -> str:
    """Three weightings of the same heads, one column each."""
    rows = [(head.name, *(plain(weights[head.id]) for _, _, _, weights in WEIGHTINGS)) for head in HEADS]
    return md_table(["Head"] + [name for _, name, _, _ in WEIGHTINGS], rows, align="lrrr")


#: Short post names for the column heads of the predictions table.
SHORT_POST_NAMES = {"baby": "Baby photo", "outrage": "Outrage video", "advice": "Advice question",
                    "listicle": "Listicle", "news": "News story"}


@table
def example_posts_table() -> str:
    """The example posts' calibrated head predictions, one column per post."""
    rows = [(head.name, *(plain(p[head.id]) for _, _, p in EXAMPLE_POSTS)) for head in HEADS]
    return md_table(["Head"] + [SHORT_POST_NAMES[pid] for pid, _, _ in EXAMPLE_POSTS], rows,
                    align="l" + "r" * len(EXAMPLE_POSTS))


@table
def reorder_table() -> str:
    """Each post's value and rank under each weighting."""
    rows = []
    for pid, name, _ in EXAMPLE_POSTS:
        cells = []
        for wid, _, _, _ in WEIGHTINGS:
            cells.append(f"{fixed(example_value(pid, wid), 3)} (#{rank_of(pid, wid)})")
        rows.append((name, *cells))
    return md_table(["Post"] + [f"{name}: V (rank)" for _, name, _, _ in WEIGHTINGS], rows, align="lrrr")


@table
def head_metrics_table() -> str:
    """Per-head metrics of the worked example."""
    rows = []
    for head_id in HEAD_EXAMPLE:
        name = next(h.name for h in HEADS if h.id == head_id)
        rows.append((name, fixed(head_rate(head_id)), fixed(head_mean_prediction(head_id)), fixed(head_auc(head_id)),
                     fixed(head_ne(head_id)), fixed(head_calibration(head_id))))
    return md_table(["Head", "Observed rate", "Mean prediction", "ROC AUC", "NE", "Calibration ratio"],
                    rows, align="lrrrrr")


@table
def head_example_table() -> str:
    """The twelve impressions of the worked example."""
    like_y, like_p = HEAD_EXAMPLE["like"]
    hide_y, hide_p = HEAD_EXAMPLE["hide"]
    rows = [(str(i + 1), plain(like_p[i]), str(like_y[i]), plain(hide_p[i]), str(hide_y[i])) for i in range(len(like_y))]
    return md_table(["Impression", "p(like)", "Liked", "p(hide)", "Hid"], rows, align="rrrrr")


@table
def value_list_table() -> str:
    return VALUE_LIST.table("Post", "Grade", "grade", "ranked lower")


@table
def value_ndcg_table() -> str:
    rows = [(str(k), fixed(VALUE_LIST.recall(k)), fixed(VALUE_LIST.precision(k)), fixed(value_dcg(k)),
             fixed(value_ndcg(k))) for k in VALUE_KS]
    return md_table(["k", "Recall@k", "Precision@k", "DCG@k", "nDCG@k"], rows)


@table
def latency_budget_table() -> str:
    return latency.latency_budget_table(LATENCY)


@table
def ab_test_table() -> str:
    return ab_plan_table(AB)


@table
def interview_timeline_table() -> str:
    return interview_plan_table(INTERVIEW_PLAN)


# --------------------------------------------------------------------------------------------
# Practice material (snippets/kit/practice.py): the cheat sheet, the rubric and the drills
# --------------------------------------------------------------------------------------------

GLANCE = Glance(
    surface="The home feed of a social app: the first screen of posts, ranked on every open",
    users=Fact("Daily active users", A.daily_active_users, fmt=short),
    traffic=Fact("Feed loads per second at peak", peak_qps),
    latency=Fact("To the first screen (p99)", A.latency_target_ms, fmt=ms),
    funnel=(
        Fact("Eligible posts, from four sources", candidates_from_sources),
        Fact("Light pass, after hard filters", light_pass_input),
        Fact("Heavy multi-task ranker", A.heavy_ranker_input, fmt=count),
        Fact("Contextual pass", A.contextual_input, fmt=count),
        Fact("Returned for the first page", A.posts_returned, fmt=count),
    ),
    model="Light pass (a small model) on every eligible post; a multi-task neural ranker, one head per "
          "event, combined by a value function; a contextual pass for freshness, diversity and integrity",
    offline_metric="Per head: ROC AUC, normalised entropy and calibration; for the list: nDCG of realised value",
    online_metric="Share of users with a comment, share or reply on most days of the week; surveys, hides "
                  "and reports as guardrails; a long-term holdout",
    memory=Fact("Online feature stores (posts, users, affinities)", online_store_bytes),
    trade_offs=(
        "The value function's weights are a product decision, not a model output: weighing comments "
        "heavily feeds conversation and outrage alike, so negative heads and surveys must pull against it.",
        "A light pass before the heavy ranker cuts the GPUs several-fold but loses the posts it misjudges; "
        "its recall of the heavy ranker's top picks is the number to watch.",
        "Short-term A/B wins can erode long-term return visits: a months-long holdout denies a slice of "
        "users the newer feed, and it is the only way to see the sum of the shipped changes.",
    ),
)

RUBRIC: tuple[Grade, ...] = (
    Grade("Clarify requirements",
          strong="Pins down what \"meaningful\" means as logged events and survey answers, the scale and the "
                 "200 ms first screen, the candidate sources, integrity rules and the separate recent view.",
          adequate="Asks about scale, latency and the sources, but takes \"engagement\" as the goal without "
                   "asking which interactions count.",
          weak="Starts drawing a model before asking what the feed should optimise or how large it is."),
    Grade("Frame as an ML task",
          strong="Separates prediction from judgement: calibrated heads for each event, including hides and "
                 "reports, weighed by a value function whose weights are a product decision.",
          adequate="Proposes multi-task prediction of several events but sums them without saying who sets the "
                   "weights or why negative events belong.",
          weak="Predicts clicks or dwell time alone, with no way to express what people do not want."),
    Grade("Back of the envelope",
          strong="Derives peak loads per second, predictions per second per pass, the GPUs the heavy ranker needs "
                 "and the feature bandwidth, and says that feature fetch, not arithmetic, dominates.",
          adequate="Gets the traffic and the predictions per second, stops before capacity or bandwidth.",
          weak="Quotes numbers without showing where they come from, or skips the estimate."),
    Grade("Data and features",
          strong="Defines each head's label and window, samples negatives and corrects the calibration, names "
                 "position bias and the survey's sampling, and the leakage of counters computed after the impression.",
          adequate="Lists sensible features and labels, misses bias or how labels are joined to impressions.",
          weak="Lists features with no labels, no time window and no word on bias."),
    Grade("Model",
          strong="A funnel of passes sized by the latency budget; a shared-bottom or MMoE ranker with masked "
                 "per-head losses and per-head calibration; a contextual pass with freshness, diversity and "
                 "integrity demotions.",
          adequate="One multi-task ranker with reasonable heads, but no light pass or no final re-ordering.",
          weak="One big model on every post with no word on how it meets the latency budget."),
    Grade("Evaluation",
          strong="Per-head AUC, normalised entropy and calibration offline; nDCG of value for the list; an A/B "
                 "test sized from a baseline and a minimum effect, with guardrails and a long-term holdout.",
          adequate="Offline AUC and an A/B test on engagement, without guardrails or a holdout.",
          weak="Accuracy, or \"we would A/B test it\" with no metric or size."),
    Grade("Serving and monitoring",
          strong="Splits the latency budget by stage, caches and precomputes what it can, falls back to a "
                 "simpler ranking, and watches calibration drift and feedback loops.",
          adequate="Draws the request path and names some monitoring, without a budget or a fallback.",
          weak="No serving path, or a batch job for a feed that must react to posts minutes old."),
    Grade("Wrap-up and trade-offs",
          strong="Names the trade-offs its choices made (the weights, the light pass's recall, short-term "
                 "versus long-term) and the next experiment it would run.",
          adequate="Summarises the design without saying what it gave up.",
          weak="Runs out of time before any summary."),
)


def _peak_steps(a: Assumptions) -> list[Step]:
    return peak_steps(a.daily_active_users, a.feed_loads_per_user_per_day, "feed loads", "loads")


def _light_input(a: Assumptions) -> int:
    sources = a.friend_posts + a.group_posts + a.page_posts + a.recommended_posts
    return round(sources * (1 - a.filtered_fraction))


def _gpu_steps(a: Assumptions) -> list[Step]:
    steps = _peak_steps(a)
    rate = est.predictions_per_second(steps[-1].value, a.heavy_ranker_input)
    return steps + [
        Step("Heavy-ranker forward passes per second", f"peak × {count(a.heavy_ranker_input)} posts", rate, short),
        Step("GPUs", f"rate ÷ {short(a.heavy_predictions_per_second_per_gpu)} per GPU, rounded up",
             est.accelerators_needed(rate, a.heavy_predictions_per_second_per_gpu), count),
    ]


def _bandwidth_steps(a: Assumptions) -> list[Step]:
    steps = _peak_steps(a)
    light = _light_input(a)
    per_request = light * a.light_feature_bytes + a.heavy_ranker_input * a.heavy_feature_bytes
    return steps + [
        Step("Feature bytes per feed load",
             f"{count(light)} posts × {nbytes(a.light_feature_bytes)} + {count(a.heavy_ranker_input)} posts × "
             f"{nbytes(a.heavy_feature_bytes)}", per_request, nbytes),
        Step("Feature bytes per second at peak", "per load × peak loads per second",
             per_request * steps[-1].value, nbytes),
    ]


def _store_steps(a: Assumptions) -> list[Step]:
    users = a.daily_active_users * a.monthly_to_daily_users
    posts = a.posts_created_per_day * a.inventory_days * a.post_record_bytes
    people = users * a.user_record_bytes
    affinity = users * a.edges_per_user * a.affinity_bytes
    return [
        Step("Post features", f"{short(a.posts_created_per_day)} posts a day × {days(a.inventory_days)} × "
             f"{nbytes(a.post_record_bytes)}", posts, nbytes),
        Step("User features", f"{short(users)} monthly users × {nbytes(a.user_record_bytes)}", people, nbytes),
        Step("Affinity rows", f"{short(users)} users × {count(a.edges_per_user)} × {nbytes(a.affinity_bytes)}",
             affinity, nbytes),
        Step("Online feature stores", "the three added", posts + people + affinity, nbytes),
    ]


def _training_steps(a: Assumptions) -> list[Step]:
    impressions = est.impressions_per_day(a.daily_active_users, a.feed_loads_per_user_per_day, a.impressions_per_load)
    rows = est.training_rows_per_day(impressions, a.engaged_impression_rate, a.negative_keep_rate)
    return [
        Step("Impressions per day", f"{short(a.daily_active_users)} × {plain(a.feed_loads_per_user_per_day)} loads × "
             f"{plain(a.impressions_per_load)} posts seen", impressions, short),
        Step("Training rows per day", f"impressions × ({percent(a.engaged_impression_rate)} with an event + "
             f"{percent(1 - a.engaged_impression_rate)} without × {percent(a.negative_keep_rate)} kept)", rows, short),
    ]


def _training_bytes_steps(a: Assumptions) -> list[Step]:
    steps = _training_steps(a)
    return steps + [Step("Bytes per day", f"rows × {nbytes(a.bytes_per_training_row)}",
                         steps[-1].value * a.bytes_per_training_row, nbytes)]


def _heavy_budget_steps(a: Assumptions) -> list[Step]:
    return stage_budget_steps(a.latency_target_ms, LATENCY_SHARES, "heavy", "Heavy ranker's inference budget")


def _ab_steps(a: Assumptions) -> list[Step]:
    target = a.ab_baseline_rate * (1 + a.ab_relative_mde)
    n = est.ab_test_sample_size(a.ab_baseline_rate, a.ab_relative_mde, alpha=HOUSE.alpha, power=HOUSE.power)
    return [
        Step("Treatment rate to detect", f"{percent(a.ab_baseline_rate)} × (1 + {percent(a.ab_relative_mde)})",
             target, lambda v: percent(v, 3)),
        Step("Users per arm", f"two-proportion z-test, α = {fixed(HOUSE.alpha, 2)}, power {percent(HOUSE.power)}",
             n, count),
    ]


def _light_host_steps(a: Assumptions) -> list[Step]:
    steps = _peak_steps(a)
    light = _light_input(a)
    rate = est.predictions_per_second(steps[-1].value, light)
    return steps + [
        Step("Light-pass scores per second", f"peak × {count(light)} posts", rate, short),
        Step("CPU hosts", f"rate ÷ {short(a.light_predictions_per_second_per_host)} per host, rounded up",
             est.replicas_needed(rate, a.light_predictions_per_second_per_host), count),
    ]


def _holdout_steps(a: Assumptions) -> list[Step]:
    return [Step("Users in the holdout", f"{short(a.daily_active_users)} × {percent(a.holdout_fraction)}",
                 a.daily_active_users * a.holdout_fraction, short)]


DRILLS: tuple[Drill, ...] = (
    Drill("Twice the users", "The network doubles its daily users. How many feed loads per second must the "
          "ranking path serve at peak?", {"daily_active_users": 2e9}, _peak_steps, peak_qps),
    Drill("A lighter habit", "People open the feed half as often. How many GPUs does the heavy ranker need?",
          {"feed_loads_per_user_per_day": 5}, _gpu_steps, heavy_gpus),
    Drill("A deeper heavy pass", "The heavy ranker scores twice as many posts per load. How many GPUs?",
          {"heavy_ranker_input": 1_000}, _gpu_steps, heavy_gpus),
    Drill("A slower GPU", "The new ranker runs at half the forward passes per second per GPU. How many GPUs?",
          {"heavy_predictions_per_second_per_gpu": 100_000}, _gpu_steps, heavy_gpus),
    Drill("Richer features", "The heavy ranker reads twice the feature bytes per post. What bandwidth do the "
          "feature stores serve at peak?", {"heavy_feature_bytes": 4_000}, _bandwidth_steps, feature_bandwidth_peak),
    Drill("A longer inventory", "Posts stay eligible for two weeks. How large are the online feature stores?",
          {"inventory_days": 14}, _store_steps, online_store_bytes),
    Drill("Fewer positives", "Only half as many impressions carry an event. How many training rows a day?",
          {"engaged_impression_rate": 0.03}, _training_steps, training_rows_per_day),
    Drill("Keep more negatives", "Training keeps a quarter of the impressions without an event, with wider "
          "rows. How many bytes of training data a day?", {"negative_keep_rate": 0.25, "bytes_per_training_row": 2_500},
          _training_bytes_steps, training_bytes_per_day),
    Drill("A looser latency target", "The first screen may take 300 ms. How long may the heavy ranker's "
          "inference take?", {"latency_target_ms": 300.0}, _heavy_budget_steps, stage_budget, "heavy"),
    Drill("A bolder test", "The team only cares about a 1 % relative lift. How many users per arm?",
          {"ab_relative_mde": 0.01}, _ab_steps, ab_sample_per_arm),
    Drill("A smaller light host", "Each CPU host scores only half a million posts a second. How many hosts "
          "does the light pass need?", {"light_predictions_per_second_per_host": 500_000}, _light_host_steps, light_hosts),
    Drill("A bigger holdout", "Leadership wants a 2 % long-term holdout. How many users see last half-year's "
          "feed?", {"holdout_fraction": 0.02}, _holdout_steps, holdout_users),
)
