"""Event recommendation (a ticketing platform's personalised list of nearby events): every number the chapter shows.

``docs/event-recommendation.md`` designs the list of upcoming local events a ticketing platform
shows each signed-in user. From the problem statement (registered and daily users, listed events,
their short sale window, the 200 ms render budget) and the assumptions below, this module computes
the request rate, the geospatial candidate funnel, feature look-ups, the ranking fleet, the stores'
memory, the training-data volume, how many purchases a label wait captures, the latency budget, the
three families of ranking losses on one short list, a worked example of nDCG and MAP, and the A/B
test. Shared formulas live in the chapter kit (``snippets.kit``).

Functions ending in ``_for`` take the inputs the lab varies as arguments; the others are the
chapter's own values, which the page, its figures and its lab show.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from snippets.kit import estimation as est
from snippets.kit.abtest import ABPlan, ab_plan_table
from snippets.kit.assume import PROBLEM, assume, design, thumb
from snippets.kit.display import count, days, fixed, md_table, ms, nbytes, pct, percent, plain, short, times
from snippets.kit.house import HOUSE
from snippets.kit.latency import LatencyBudget, latency_budget_table, stages_from_shares
from snippets.kit.metrics import average_precision_at_k, ndcg_at_k
from snippets.kit.plan import Phase, interview_plan_table
from snippets.kit.show import table, value


@dataclass(frozen=True)
class Assumptions:
    """Every input of the chapter's arithmetic. The problem statement fixes five; the rest are ours."""

    # The problem statement
    registered_users: float = assume(100e6, "Registered users", short, PROBLEM)
    daily_active_users: float = assume(10e6, "Daily active users", short, PROBLEM)
    listed_events: float = assume(1e6, "Events listed at any time", short, PROBLEM)
    sale_window_days: int = assume(30, "Longest usual sale window of an event", days, PROBLEM)
    render_budget_ms: float = assume(200.0, "Latency budget to render the list", ms, PROBLEM)

    # Traffic
    loads_per_user_per_day: float = assume(2, "List loads per daily user", plain, thumb("home page plus one return"))
    events_per_list: int = assume(20, "Events shown per list (first screenful and scroll)", count, design())

    # The candidate funnel
    metro_share_of_events: float = assume(
        0.005, "Share of all events inside a large metro's radius", percent,
        thumb("a city with a few thousand listed events"))
    horizon_days: int = assume(14, "Horizon of the home list: events starting within", days, design())
    in_window_share: float = assume(
        0.5, "Share of those that start within the horizon and still have tickets", percent,
        thumb("a two-week horizon out of a sale window of about a month"))
    light_ranker_keep: int = assume(500, "Candidates the light ranker passes to the full ranker", count, design())

    # Features and stores
    user_feature_bytes: int = assume(2_000, "Online features per user (aggregates, habits, price history)", nbytes, thumb())
    event_feature_bytes: int = assume(2_000, "Features per event (content, host, venue, live counters)", nbytes, thumb())
    friends_per_user: int = assume(150, "Friends or follows per user", count, thumb("mean of a sparse social graph"))
    bytes_per_id: int = assume(8, "Bytes per user or event id", nbytes, design("64-bit ids"))
    geo_entry_bytes: int = assume(64, "Geospatial index bytes per event (cell, time, id)", nbytes, thumb())
    pairwise_features: int = assume(
        6, "User-event features computed per candidate at request time", count,
        design("distance, travel time, price ratio, friends going, host affinity, category affinity"))

    # Ranking fleet
    trees: int = assume(500, "Trees in the LambdaMART ranker", count, design())
    tree_depth: int = assume(8, "Depth of each tree", count, design())
    node_visits_per_core_per_second: float = assume(
        100e6, "Tree-node visits per CPU core per second", short, thumb("cache-resident trees; load-test it"))
    serving_utilisation: float = assume(0.6, "Target utilisation of ranking cores at peak", percent, thumb("room for a failover"))
    exploration_share: float = assume(
        0.05, "Share of list slots reserved for relevant but under-exposed events", percent, design())

    # Labels and training data
    click_rate: float = assume(0.03, "Clicks per impression", percent, thumb())
    purchase_rate: float = assume(0.002, "Purchases per impression", percent, thumb())
    bytes_per_training_row: int = assume(400, "Bytes per training row (about 100 features)", nbytes, thumb())
    training_days: int = assume(60, "Days of logs a retrain reads", days, design("two sale windows"))
    label_wait_days: int = assume(3, "Days the trainer waits for purchases before a list is final", days, design())

    # A/B test
    ab_baseline_rate: float = assume(
        0.04, "A/B baseline: users who buy a ticket from the list in the measured fortnight", percent, thumb())
    ab_relative_mde: float = assume(0.02, "A/B minimum detectable effect (relative)", percent, thumb())
    ab_traffic_fraction: float = assume(0.1, "A/B share of users in the experiment (both arms)", percent, thumb())
    ab_metric_window_days: int = assume(14, "A/B window the metric is measured over", days, design("a purchase lags its click"))


ASSUMPTIONS = Assumptions()
A = ASSUMPTIONS

#: Share of purchases that have arrived this many days after the impression (our rule of thumb; measure yours).
PURCHASE_DELAY_CDF: tuple[tuple[int, float], ...] = (
    (0, 0.45), (1, 0.65), (2, 0.75), (3, 0.82), (5, 0.89), (7, 0.93), (14, 0.98), (30, 1.0),
)

#: The request path of one list: (id, label, share of the render budget). Shares: our rule of thumb.
LATENCY_SHARES: tuple[tuple[str, str, float], ...] = (
    ("network", "Network, gateway and session", 0.10),
    ("user_features", "User features (one look-up)", 0.075),
    ("retrieval", "Geospatial and time retrieval", 0.10),
    ("light_rank", "Light ranker on every candidate", 0.10),
    ("event_features", "Event and user-event features for the survivors", 0.15),
    ("rank", "LambdaMART ranker", 0.15),
    ("rerank", "Business rules, diversity and host exposure", 0.05),
    ("render", "Hydrate and render the list", 0.125),
    ("headroom", "Headroom for the tail and retries", 0.15),
)

#: The 45-minute plan for this problem.
INTERVIEW_PLAN: tuple[Phase, ...] = (
    Phase("Clarify requirements", 5, "Tickets, not clicks; scale; the 200 ms budget; what 'near' means"),
    Phase("Frame as an ML task", 4, "Ranking with constant item cold start; objectives table"),
    Phase("Back of the envelope", 5, "Lists/s, the geo funnel, feature look-ups, ranking cores"),
    Phase("Data and features", 9, "Graded labels, delayed purchases, features that transfer, freshness"),
    Phase("Model", 8, "Pointwise, pairwise, listwise; LambdaMART; trees against a neural ranker"),
    Phase("Evaluation", 6, "nDCG@k and MAP@k worked; tickets per user; host guardrails; A/B"),
    Phase("Serving and monitoring", 5, "Latency split, caching, fallbacks, retraining cadence"),
    Phase("Wrap-up and trade-offs", 3, "What you gave up, what you would do next"),
)

AB = ABPlan(
    metric=f"share of users who buy a ticket from the list within {days(A.ab_metric_window_days)}",
    baseline_rate=A.ab_baseline_rate,
    relative_mde=A.ab_relative_mde,
    daily_users=A.daily_active_users,
    traffic_fraction=A.ab_traffic_fraction,
    measured_days=A.ab_metric_window_days,
)


# --------------------------------------------------------------------------------------------
# Traffic
# --------------------------------------------------------------------------------------------


@value(short)
def lists_per_day() -> float:
    return A.daily_active_users * A.loads_per_user_per_day


@value(short)
def avg_lists_per_second() -> float:
    return est.average_qps(A.daily_active_users, A.loads_per_user_per_day)


def peak_lists_per_second_for(daily_active_users: float) -> float:
    return est.peak_qps(est.average_qps(daily_active_users, A.loads_per_user_per_day), HOUSE.peak_to_average)


@value(short)
def peak_lists_per_second() -> float:
    return peak_lists_per_second_for(A.daily_active_users)


@value(short)
def impressions_per_day() -> float:
    return est.impressions_per_day(A.daily_active_users, A.loads_per_user_per_day, A.events_per_list)


@value(percent)
def active_share() -> float:
    return A.daily_active_users / A.registered_users


@value(short)
def new_events_per_day() -> float:
    """Steady state: the listed stock turns over once per sale window."""
    return A.listed_events / A.sale_window_days


# --------------------------------------------------------------------------------------------
# The candidate funnel
# --------------------------------------------------------------------------------------------


@value(count)
def events_in_radius() -> int:
    return round(A.listed_events * A.metro_share_of_events)


@value(count)
def events_in_window() -> int:
    return round(events_in_radius() * A.in_window_share)


@value(count)
def ranked_candidates() -> int:
    return min(A.light_ranker_keep, events_in_window())


#: (id, label, count function) of the funnel's stages, in order.
def funnel() -> list[tuple[str, str, int]]:
    return [
        ("listed", "Events listed", int(A.listed_events)),
        ("radius", "Inside the user's radius", events_in_radius()),
        ("window", "Within the horizon, on sale", events_in_window()),
        ("ranked", "Kept by the light ranker", ranked_candidates()),
        ("shown", "Shown", A.events_per_list),
    ]


@value(short)
def peak_light_scores_per_second() -> float:
    return est.predictions_per_second(peak_lists_per_second(), events_in_window())


@value(short)
def peak_predictions_per_second() -> float:
    return est.predictions_per_second(peak_lists_per_second(), ranked_candidates())


@value(count)
def feature_values_per_request() -> int:
    """Request-time user-event features computed for every candidate the full ranker scores."""
    return ranked_candidates() * A.pairwise_features


@value(short)
def peak_event_lookups_per_second() -> float:
    """Event-feature rows read per second at peak if nothing were cached."""
    return peak_lists_per_second() * ranked_candidates()


# --------------------------------------------------------------------------------------------
# Ranking fleet
# --------------------------------------------------------------------------------------------


def node_visits_per_prediction_for(trees: int, depth: int) -> int:
    return trees * depth


@value(count)
def node_visits_per_prediction() -> int:
    return node_visits_per_prediction_for(A.trees, A.tree_depth)


@value(short)
def predictions_per_core() -> float:
    return A.node_visits_per_core_per_second / node_visits_per_prediction()


def ranking_cores_for(candidates: int, trees: int = A.trees, depth: int = A.tree_depth) -> int:
    rate = est.predictions_per_second(peak_lists_per_second(), candidates)
    per_core = A.node_visits_per_core_per_second / node_visits_per_prediction_for(trees, depth)
    return est.replicas_needed(rate, per_core, A.serving_utilisation)


@value(count)
def ranking_cores() -> int:
    return ranking_cores_for(ranked_candidates())


@value(count)
def ranking_cores_without_light_ranker() -> int:
    return ranking_cores_for(events_in_window())


@value(ms)
def ranking_compute_ms() -> float:
    """Single-core time to score every survivor once (split across cores in practice)."""
    return 1000 * ranked_candidates() / predictions_per_core()


# --------------------------------------------------------------------------------------------
# Memory
# --------------------------------------------------------------------------------------------


@value(nbytes)
def event_store_bytes() -> float:
    return A.listed_events * A.event_feature_bytes


@value(nbytes)
def user_store_bytes() -> float:
    return A.registered_users * A.user_feature_bytes


@value(nbytes)
def social_graph_bytes() -> float:
    return A.registered_users * A.friends_per_user * A.bytes_per_id


@value(nbytes)
def geo_index_bytes() -> float:
    return A.listed_events * A.geo_entry_bytes


# --------------------------------------------------------------------------------------------
# Labels and training data
# --------------------------------------------------------------------------------------------


@value(short)
def clicks_per_day() -> float:
    return impressions_per_day() * A.click_rate


@value(short)
def purchases_per_day() -> float:
    return impressions_per_day() * A.purchase_rate


def lists_with_a_click_share_for(click_rate: float, events_per_list: int) -> float:
    """Share of lists with at least one click, if clicks were independent: 1 - (1 - c)^n."""
    return 1 - (1 - click_rate) ** events_per_list


@value(percent)
def lists_with_a_click_share() -> float:
    return lists_with_a_click_share_for(A.click_rate, A.events_per_list)


@value(short)
def training_rows_per_day() -> float:
    """Only lists with a click teach a ranker anything; every row of such a list is kept."""
    return lists_per_day() * lists_with_a_click_share() * A.events_per_list


@value(nbytes)
def training_bytes_per_day() -> float:
    return training_rows_per_day() * A.bytes_per_training_row


@value(nbytes)
def retrain_bytes() -> float:
    return training_bytes_per_day() * A.training_days


def purchases_arrived_by(day: float) -> float:
    """Share of eventual purchases arrived ``day`` days after the impression (linear between points)."""
    points = PURCHASE_DELAY_CDF
    if day <= points[0][0]:
        return points[0][1]
    for (d0, s0), (d1, s1) in zip(points, points[1:]):
        if day <= d1:
            return s0 + (s1 - s0) * (day - d0) / (d1 - d0)
    return 1.0


@value(percent)
def purchases_captured() -> float:
    return purchases_arrived_by(A.label_wait_days)


@value(percent)
def purchases_missed() -> float:
    return 1 - purchases_captured()


@value(percent)
def wait_share_of_sale_window() -> float:
    return A.label_wait_days / A.sale_window_days


@value(short)
def late_purchases_per_day() -> float:
    """Purchases that arrive after the wait and would be wrong negatives without a correction."""
    return purchases_per_day() * purchases_missed()


@table
def label_delay_table() -> str:
    rows = [(days(d), pct(s, 0), pct(1 - s, 0)) for d, s in PURCHASE_DELAY_CDF]
    return md_table(["Days after the impression", "Purchases arrived", "Still to come"], rows, align="rrr")


# --------------------------------------------------------------------------------------------
# Latency
# --------------------------------------------------------------------------------------------


def latency_budget(target_ms: float = A.render_budget_ms) -> LatencyBudget:
    return LatencyBudget(target_ms, stages_from_shares(target_ms, LATENCY_SHARES))


LATENCY = latency_budget()


@value(ms)
def stage_budget(stage_id: str) -> float:
    return LATENCY.stage(stage_id).budget_ms


@table
def latency_table() -> str:
    return latency_budget_table(LATENCY)


# --------------------------------------------------------------------------------------------
# The central idea: pointwise, pairwise and listwise losses on one short list
# --------------------------------------------------------------------------------------------

#: One user's list of four events: (id, graded label, model score). 3 = bought, 1 = clicked, 0 = ignored.
LOSS_LIST: tuple[tuple[str, int, float], ...] = (
    ("Jazz night", 1, 2.0),
    ("Food market", 0, 1.0),
    ("Indie gig", 3, 0.5),
    ("Comedy club", 0, -1.0),
)


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def pointwise_loss_for(labels: list[int], scores: list[float]) -> float:
    """Mean binary log loss with 'bought' as the positive class: each row judged alone."""
    total = 0.0
    for label, score in zip(labels, scores):
        p = sigmoid(score)
        total += -math.log(p) if label >= 3 else -math.log(1 - p)
    return total / len(labels)


def ordered_pairs(labels: list[int]) -> list[tuple[int, int]]:
    """Index pairs (i, j) where item i has the higher label and should rank above item j."""
    return [(i, j) for i in range(len(labels)) for j in range(len(labels)) if labels[i] > labels[j]]


def pairwise_loss_for(labels: list[int], scores: list[float]) -> float:
    """RankNet: the sum over ordered pairs of log(1 + exp(-(s_i - s_j)))."""
    return sum(math.log1p(math.exp(-(scores[i] - scores[j]))) for i, j in ordered_pairs(labels))


def listwise_loss_for(labels: list[int], scores: list[float]) -> float:
    """ListNet (top-one): cross-entropy between softmax of the gains 2^l - 1 and softmax of the scores."""
    gains = [2.0**label - 1 for label in labels]
    target_norm = sum(math.exp(g) for g in gains)
    targets = [math.exp(g) / target_norm for g in gains]
    score_norm = sum(math.exp(s) for s in scores)
    return -sum(t * math.log(math.exp(s) / score_norm) for t, s in zip(targets, scores))


def swap_delta_ndcg(labels: list[int], scores: list[float], i: int, j: int, k: int | None = None) -> float:
    """|Change in nDCG@k| (exponential gain) if items i and j swapped places in the score order."""
    k = k or len(labels)
    order = sorted(range(len(labels)), key=lambda n: -scores[n])
    ranked = [labels[n] for n in order]
    pi, pj = order.index(i), order.index(j)
    swapped = list(ranked)
    swapped[pi], swapped[pj] = swapped[pj], swapped[pi]
    return abs(ndcg_at_k(swapped, k, "exponential") - ndcg_at_k(ranked, k, "exponential"))


def lambda_weight_for(labels: list[int], scores: list[float], i: int, j: int) -> float:
    """LambdaRank's gradient size for pair (i, j): RankNet's pair gradient times |delta nDCG|."""
    return sigmoid(-(scores[i] - scores[j])) * swap_delta_ndcg(labels, scores, i, j)


def _loss_labels() -> list[int]:
    return [label for _, label, _ in LOSS_LIST]


def _loss_scores() -> list[float]:
    return [score for _, _, score in LOSS_LIST]


@value(lambda v: fixed(v, 3))
def example_loss(kind: str) -> float:
    labels, scores = _loss_labels(), _loss_scores()
    return {"pointwise": pointwise_loss_for, "pairwise": pairwise_loss_for,
            "listwise": listwise_loss_for}[kind](labels, scores)


@value(count)
def example_pairs() -> int:
    return len(ordered_pairs(_loss_labels()))


@value(lambda v: fixed(v, 3))
def example_list_ndcg() -> float:
    labels, scores = _loss_labels(), _loss_scores()
    ranked = [labels[n] for n in sorted(range(len(labels)), key=lambda n: -scores[n])]
    return ndcg_at_k(ranked, len(labels), "exponential")


def example_lambdas() -> list[tuple[str, str, float, float, float]]:
    """(higher item, lower item, RankNet pair gradient, |delta nDCG|, lambda) for every ordered pair."""
    labels, scores = _loss_labels(), _loss_scores()
    names = [name for name, _, _ in LOSS_LIST]
    rows = []
    for i, j in ordered_pairs(labels):
        grad = sigmoid(-(scores[i] - scores[j]))
        rows.append((names[i], names[j], grad, swap_delta_ndcg(labels, scores, i, j),
                     lambda_weight_for(labels, scores, i, j)))
    return rows


@value(lambda v: fixed(v, 3))
def largest_lambda() -> float:
    return max(row[4] for row in example_lambdas())


@table
def loss_list_table() -> str:
    rows = [(name, {3: "bought (3)", 1: "clicked (1)", 0: "ignored (0)"}[label], fixed(score, 1))
            for name, label, score in LOSS_LIST]
    return md_table(["Event (in the model's order)", "What the user did (label)", "Model score"], rows, align="llr")


@table
def lambda_table() -> str:
    rows = [(hi, lo, fixed(g, 3), fixed(d, 3), fixed(lam, 3)) for hi, lo, g, d, lam in example_lambdas()]
    return md_table(["Should rank higher", "Should rank lower", "RankNet pull", "Δ nDCG if swapped", "Lambda"],
                    rows, align="llrrr")


# --------------------------------------------------------------------------------------------
# Evaluation: a worked example of nDCG@k and MAP@k
# --------------------------------------------------------------------------------------------

#: Graded labels of one user's six-event list in the order each model ranked it.
EVAL_LISTS: dict[str, tuple[int, ...]] = {
    "clicks": (1, 1, 0, 3, 0, 1),
    "tickets": (3, 1, 1, 0, 1, 0),
}
EVAL_K = 5


@value(count)
def eval_k() -> int:
    return EVAL_K


@value(lambda v: fixed(v, 3))
def example_ndcg(model: str) -> float:
    return ndcg_at_k(list(EVAL_LISTS[model]), EVAL_K, "exponential")


@value(lambda v: fixed(v, 3))
def example_ap(model: str, threshold: int = 1) -> float:
    """AP@k with 'relevant' = label at least ``threshold`` (1: any click; 3: a purchase)."""
    labels = EVAL_LISTS[model]
    ranked = list(range(len(labels)))
    relevant = {n for n, label in enumerate(labels) if label >= threshold}
    return average_precision_at_k(ranked, relevant, EVAL_K, "min")


@value(lambda v: fixed(v, 3))
def example_purchase_ap(model: str) -> float:
    """AP@k with only purchases relevant."""
    return example_ap(model, 3)


@table
def eval_example_table() -> str:
    names = {"clicks": "Click model", "tickets": "Ticket ranker"}
    rows = [(names[m], " ".join(str(label) for label in EVAL_LISTS[m]), fixed(example_ndcg(m), 3),
             fixed(example_ap(m), 3), fixed(example_purchase_ap(m), 3)) for m in EVAL_LISTS]
    return md_table(["Model", "Labels in ranked order", f"nDCG@{EVAL_K}", f"AP@{EVAL_K}, click", f"AP@{EVAL_K}, purchase"],
                    rows, align="lcrrr")


# --------------------------------------------------------------------------------------------
# The A/B test and the interview plan
# --------------------------------------------------------------------------------------------


@value(count)
def ab_sample_per_arm() -> int:
    return AB.sample_per_arm()


@value(count)
def ab_planned_days() -> int:
    return AB.planned_days()


@table
def ab_table() -> str:
    return ab_plan_table(AB)


@table
def interview_plan() -> str:
    return interview_plan_table(INTERVIEW_PLAN)


@table
def envelope_table() -> str:
    rows = [
        ("Lists per day", short(lists_per_day())),
        ("Lists per second, average / peak", f"{short(avg_lists_per_second())} / {short(peak_lists_per_second())}"),
        ("Impressions per day", short(impressions_per_day())),
        ("New events per day (stock turns over once per window)", short(new_events_per_day())),
        ("Light-ranker scores per second at peak", short(peak_light_scores_per_second())),
        ("Full-ranker predictions per second at peak", short(peak_predictions_per_second())),
        ("Ranking cores at peak (with / without the light ranker)",
         f"{count(ranking_cores())} / {count(ranking_cores_without_light_ranker())}"),
        ("Event features, all listed events", nbytes(event_store_bytes())),
        ("User features, all registered users", nbytes(user_store_bytes())),
        ("Friend lists", nbytes(social_graph_bytes())),
        ("Geospatial index", nbytes(geo_index_bytes())),
        ("Training rows per day / a retrain's input", f"{short(training_rows_per_day())} / {nbytes(retrain_bytes())}"),
    ]
    return md_table(["Quantity", "Value"], rows)
