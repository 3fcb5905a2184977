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
from snippets.kit.practice import Drill, Fact, Glance, Grade, Step, ab_days_steps, ab_sample_steps, peak_steps, stage_budget_steps
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


# --------------------------------------------------------------------------------------------
# Practice material (snippets/kit/practice.py): the cheat sheet, the rubric and the drills
# --------------------------------------------------------------------------------------------

GLANCE = Glance(
    surface="The home list of a ticketing app: upcoming events near the signed-in user",
    users=Fact("Daily active users", A.daily_active_users, fmt=short),
    traffic=Fact("Lists per second at peak", peak_lists_per_second),
    latency=Fact("To render the list (p99)", A.render_budget_ms, fmt=ms),
    funnel=(
        Fact("Events listed", A.listed_events, fmt=short),
        Fact("Inside a large metro's radius", events_in_radius),
        Fact("Within the horizon and on sale", events_in_window),
        Fact("Kept by the light ranker for LambdaMART", ranked_candidates),
        Fact("Shown in the list", A.events_per_list, fmt=count),
    ),
    model="A geospatial and time filter by rule; a logistic-regression light ranker on cached features; a "
          "LambdaMART tree ensemble on graded labels; a re-ranker for host caps and exploration slots",
    offline_metric="nDCG@k with exponential gain on graded labels (ignored, clicked, bought), MAP@k on purchases "
                   "beside it; sliced by new events and new hosts",
    online_metric="Share of users who buy a ticket from the list within the measured fortnight; revenue per user, "
                  "host coverage and refunds as guardrails",
    memory=Fact("User features in the replicated key-value store", user_store_bytes),
    trade_offs=(
        "Graded learning to rank orders the list by what sells, but its scores are not probabilities: blending "
        "them with paid placements or thresholding them needs a separate calibrated purchase model.",
        "Waiting a few days for purchases catches most of them but trains on lists already old in a sale window "
        "of weeks; the late ones are rewritten for the next retrain, and waiting longer buys labels with freshness.",
        "A ranker trained on sales concentrates exposure on established promoters; exploration slots and per-host "
        "caps cost some short-term nDCG so that new hosts can earn the history the model needs.",
    ),
)

RUBRIC: tuple[Grade, ...] = (
    Grade("Clarify requirements",
          strong="Fixes tickets bought, not clicks, as success; asks what \"near\" means and how far ahead users "
                 "look, the scale of users and listed events, how long an event is on sale, the render budget, "
                 "whether there is a social graph and whether hosts pay for placement.",
          adequate="Asks about scale and latency, but takes engagement as the goal and does not ask how long "
                   "events live or what counts as near.",
          weak="Starts on a recommender for \"items\" without asking what success is or that the list is local."),
    Grade("Frame as an ML task",
          strong="Names constant item cold start (every event new, gone within weeks) and so ranks on features of "
                 "durable entities (host, venue, category, friends); compares click, purchase, graded ranking and "
                 "revenue objectives and picks graded learning to rank, with revenue as a guardrail.",
          adequate="Frames it as purchase prediction per event, but leans on collaborative filtering over event ids "
                   "without noticing that the items never live long enough to learn.",
          weak="Matrix factorisation over users and events, optimising clicks."),
    Grade("Back of the envelope",
          strong="Derives peak lists per second from daily users and loads, the geospatial funnel (metro events, "
                 "in the horizon, the light ranker's cut), predictions per second, node visits per tree prediction "
                 "and the cores with and without the light ranker, and concludes that feature assembly dominates.",
          adequate="Gets lists per second and the candidates per request, but stops before the ranking cores or "
                   "the size of the event, user and friend stores.",
          weak="Sizes a GPU fleet or an embedding index over every listed event without noticing the traffic is "
               "small and the list is local."),
    Grade("Data and features",
          strong="Graded labels per shown list (ignored, clicked, registered, bought; a refund drops back), the "
                 "purchase delay with a label wait and late purchases rewritten; pair features through durable "
                 "entities with their freshness; point-in-time ticket counts, sold-out leakage, position bias, "
                 "a time split.",
          adequate="Sensible features and purchase labels, but treats not-yet-bought impressions as final "
                   "negatives or splits the data at random.",
          weak="Event-id features and clicks as labels, with no word on the delay, leakage or freshness."),
    Grade("Model",
          strong="Explains pointwise, pairwise and listwise losses and why LambdaRank weights each pair by the nDCG "
                 "change of swapping it; picks LambdaMART for a few dozen skewed, partly missing numbers, behind a "
                 "light ranker and ahead of a re-ranker; says when a neural ranker would win.",
          adequate="Picks gradient-boosted trees with a ranking objective, but cannot say how the loss families "
                   "differ or why trees beat a network here.",
          weak="A deep network by reflex, trained pointwise on clicks, scoring every in-window event."),
    Grade("Evaluation",
          strong="nDCG@k with the ranker's own exponential gain and MAP@k on purchases, on a time split and sliced by "
                 "new events, new hosts and small towns; a user-randomised A/B test sized from the baseline purchase "
                 "rate and the effect, measured over the purchase lag; host guardrails; shared inventory across arms.",
          adequate="Offline nDCG and an A/B test on purchases, without slices, host guardrails or a window that "
                   "waits for late purchases.",
          weak="Click-through rate offline and online, or \"we would A/B test it\" with no metric or size."),
    Grade("Serving and monitoring",
          strong="Splits the render budget by stage, keeps event features in each ranking host's memory and user "
                 "features in a replicated store, intersects friend lists with buyer sets, falls back to the light "
                 "ranker or city lists, and alerts on stale availability and sold-out events served.",
          adequate="Draws the request path with a cache, but no budget per stage or no fallback.",
          weak="Precomputes lists in a nightly batch, so this morning's events are missing and sold-out ones stay "
               "on top all day."),
    Grade("Wrap-up and trade-offs",
          strong="Names what the design gave up (calibrated scores, purchases the wait misses, the light ranker's "
                 "recall, short-term nDCG for exploration) and the next experiment, such as neural embeddings of "
                 "hosts and performers fed to the trees.",
          adequate="Summarises the funnel and the model without saying what they cost.",
          weak="Runs out of time before any summary."),
)


def _peak_steps(a: Assumptions) -> list[Step]:
    return peak_steps(a.daily_active_users, a.loads_per_user_per_day, "lists", "loads")


def _funnel_steps(a: Assumptions) -> list[Step]:
    radius = round(a.listed_events * a.metro_share_of_events)
    window = round(radius * a.in_window_share)
    return [
        Step("Events inside a large metro's radius",
             f"{short(a.listed_events)} events × {percent(a.metro_share_of_events)}", radius, count),
        Step("Within the horizon and on sale", f"radius × {percent(a.in_window_share)}", window, count),
    ]


def _ranked_steps(a: Assumptions) -> list[Step]:
    steps = _funnel_steps(a)
    return steps + [Step("Passed to the full ranker",
                         f"the lesser of {count(a.light_ranker_keep)} and the in-window events",
                         min(a.light_ranker_keep, steps[-1].value), count)]


def _per_core_steps(a: Assumptions) -> list[Step]:
    visits = node_visits_per_prediction_for(a.trees, a.tree_depth)
    return [
        Step("Node visits per prediction", f"{count(a.trees)} trees × depth {count(a.tree_depth)}", visits, count),
        Step("Predictions per core per second", f"{short(a.node_visits_per_core_per_second)} visits ÷ visits per "
             "prediction", a.node_visits_per_core_per_second / visits, short),
    ]


def _cores_steps(a: Assumptions, candidates: list[Step]) -> list[Step]:
    peak = _peak_steps(a)
    per_core = _per_core_steps(a)
    rate = est.predictions_per_second(peak[-1].value, candidates[-1].value)
    return peak + candidates + per_core + [
        Step("Predictions per second at peak", f"peak lists × {count(candidates[-1].value)} candidates", rate, short),
        Step("Ranking cores", f"rate ÷ (per-core rate × {percent(a.serving_utilisation)} utilisation), rounded up",
             est.replicas_needed(rate, per_core[-1].value, a.serving_utilisation), count),
    ]


def _ranking_cores_steps(a: Assumptions) -> list[Step]:
    return _cores_steps(a, _ranked_steps(a))


def _cores_without_light_steps(a: Assumptions) -> list[Step]:
    return _cores_steps(a, _funnel_steps(a))


def _light_scores_steps(a: Assumptions) -> list[Step]:
    peak, funnel_steps = _peak_steps(a), _funnel_steps(a)
    return peak + funnel_steps + [
        Step("Light-ranker scores per second at peak",
             f"peak lists × {count(funnel_steps[-1].value)} in-window events",
             est.predictions_per_second(peak[-1].value, funnel_steps[-1].value), short),
    ]


def _compute_ms_steps(a: Assumptions) -> list[Step]:
    ranked, per_core = _ranked_steps(a), _per_core_steps(a)
    return ranked[-1:] + per_core + [
        Step("Single-core time to score one request", f"1,000 ms × {count(ranked[-1].value)} candidates ÷ "
             "per-core rate", 1000 * ranked[-1].value / per_core[-1].value, ms),
    ]


def _event_store_steps(a: Assumptions) -> list[Step]:
    return [Step("Event features, all listed events",
                 f"{short(a.listed_events)} events × {nbytes(a.event_feature_bytes)}",
                 a.listed_events * a.event_feature_bytes, nbytes)]


def _social_graph_steps(a: Assumptions) -> list[Step]:
    edges = a.registered_users * a.friends_per_user
    return [
        Step("Friend edges", f"{short(a.registered_users)} users × {count(a.friends_per_user)} connections",
             edges, short),
        Step("Friend lists", f"edges × {nbytes(a.bytes_per_id)} per id", edges * a.bytes_per_id, nbytes),
    ]


def _training_rows_steps(a: Assumptions) -> list[Step]:
    lists = a.daily_active_users * a.loads_per_user_per_day
    with_click = lists_with_a_click_share_for(a.click_rate, a.events_per_list)
    return [
        Step("Lists per day", f"{short(a.daily_active_users)} users × {plain(a.loads_per_user_per_day)} loads",
             lists, short),
        Step("Share of lists with a click", f"1 − (1 − {percent(a.click_rate)})^{count(a.events_per_list)}",
             with_click, percent),
        Step("Training rows per day", f"lists × share × {count(a.events_per_list)} events each",
             lists * with_click * a.events_per_list, short),
    ]


def _retrain_steps(a: Assumptions) -> list[Step]:
    steps = _training_rows_steps(a)
    per_day = steps[-1].value * a.bytes_per_training_row
    return steps + [
        Step("Training bytes per day", f"rows × {nbytes(a.bytes_per_training_row)}", per_day, nbytes),
        Step("A retrain's input", f"per day × {days(a.training_days)}", per_day * a.training_days, nbytes),
    ]


def _late_purchase_steps(a: Assumptions) -> list[Step]:
    impressions = est.impressions_per_day(a.daily_active_users, a.loads_per_user_per_day, a.events_per_list)
    purchases = impressions * a.purchase_rate
    missed = 1 - purchases_arrived_by(a.label_wait_days)
    return [
        Step("Purchases per day", f"{short(a.daily_active_users)} users × {plain(a.loads_per_user_per_day)} loads × "
             f"{count(a.events_per_list)} events × {percent(a.purchase_rate)}", purchases, short),
        Step("Share still to come after the wait", f"1 − share arrived by {days(a.label_wait_days)} "
             "(the chapter's delay profile)", missed, percent),
        Step("Late purchases per day", "purchases × share still to come", purchases * missed, short),
    ]


def _rank_budget_steps(a: Assumptions) -> list[Step]:
    return stage_budget_steps(a.render_budget_ms, LATENCY_SHARES, "rank", "LambdaMART ranker's slice")


def _ab_plan(a: Assumptions) -> ABPlan:
    return ABPlan(metric="", baseline_rate=a.ab_baseline_rate, relative_mde=a.ab_relative_mde,
                  daily_users=a.daily_active_users, traffic_fraction=a.ab_traffic_fraction,
                  measured_days=a.ab_metric_window_days)


def _ab_steps(a: Assumptions) -> list[Step]:
    return ab_sample_steps(_ab_plan(a))


def _ab_days_steps(a: Assumptions) -> list[Step]:
    return ab_days_steps(_ab_plan(a))


DRILLS: tuple[Drill, ...] = (
    Drill("Twice the users", "A marketing push doubles the daily users. How many lists per second must the "
          "recommendation service render at peak?", {"daily_active_users": 20e6}, _peak_steps, peak_lists_per_second),
    Drill("A daily habit", "A redesign brings people back to the home list twice as often. How many ranking cores "
          "at peak?", {"loads_per_user_per_day": 4}, _ranking_cores_steps, ranking_cores),
    Drill("A denser city", "The platform's biggest market packs twice the share of events inside the radius. How "
          "many cheap scores per second does the light ranker make at peak?", {"metro_share_of_events": 0.01},
          _light_scores_steps, peak_light_scores_per_second),
    Drill("A four-week horizon", "Product wants the home list to reach a month ahead, so most of the metro's "
          "events are in the window. Without the light ranker, how many ranking cores?",
          {"horizon_days": 28, "in_window_share": 0.8}, _cores_without_light_steps,
          ranking_cores_without_light_ranker),
    Drill("A wider cut", "The light ranker's recall worries you, so it passes twice as many candidates on. How "
          "many ranking cores at peak?", {"light_ranker_keep": 1_000}, _ranking_cores_steps, ranking_cores),
    Drill("A bigger forest", "The new ensemble has twice the trees, each deeper. How long does one core take to "
          "score a request's survivors, and does it still fit the ranker's slice?",
          {"trees": 1_000, "tree_depth": 10}, _compute_ms_steps, ranking_compute_ms),
    Drill("Slower cores", "Load tests show the trees spill out of cache, so a core manages fewer node visits, and "
          "ops wants more failover room. Without the light ranker, how many cores?",
          {"node_visits_per_core_per_second": 40e6, "serving_utilisation": 0.5},
          _cores_without_light_steps, ranking_cores_without_light_ranker),
    Drill("Richer events, more countries", "The catalogue triples with new countries, and each event gains an "
          "image embedding. How much memory do the event features take on every ranking host?",
          {"listed_events": 3e6, "event_feature_bytes": 6_000}, _event_store_steps, event_store_bytes),
    Drill("A denser social graph", "A contacts import lifts the mean number of connections. How large are the "
          "friend lists?", {"friends_per_user": 400}, _social_graph_steps, social_graph_bytes),
    Drill("Rarer clicks", "A new card design cuts the click rate by two thirds. How many training rows a day, "
          "keeping only lists with a click?", {"click_rate": 0.01}, _training_rows_steps, training_rows_per_day),
    Drill("A longer memory", "The team retrains on four months of logs, with twice the features per row. How "
          "much data does one retrain read?", {"training_days": 120, "bytes_per_training_row": 800},
          _retrain_steps, retrain_bytes),
    Drill("A week's wait", "To catch slow planners, the trainer waits a week for purchases, and the list sells "
          "better. How many purchases a day still arrive after the wait?",
          {"label_wait_days": 7, "purchase_rate": 0.003}, _late_purchase_steps, late_purchases_per_day),
    Drill("A tighter render budget", "The home screen must render faster on mobile. How long may the ranker "
          "take?", {"render_budget_ms": 120.0}, _rank_budget_steps, stage_budget, "rank"),
    Drill("A subtler ranker", "The next ranker is expected to lift buyers by only a small relative amount. How "
          "many users per arm?", {"ab_relative_mde": 0.01}, _ab_steps, ab_sample_per_arm),
    Drill("A cautious rollout", "Hosts are nervous, so only a sliver of users may join the test. How many days "
          "does it run?", {"ab_traffic_fraction": 0.01}, _ab_days_steps, ab_planned_days),
)
