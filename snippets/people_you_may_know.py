"""People you may know: the assumptions and every number the chapter shows.

``docs/people-you-may-know.md`` designs connection suggestions for a professional network: a daily
batch job walks the graph to friends of friends and other candidate sources, a gradient-boosted
ranker scores the pairs, the top suggestions per member are stored, and an online service filters
and re-ranks them within the latency target. From the assumptions below this module computes the
degree distribution and the two-hop fan-out (for a typical member, a super-connector and the whole
daily job), the batch's shuffle volume and compute, the graph and suggestion storage, the serving
load and latency budget, the training-data volume, the A/B test, the link-prediction scores of the
chapter's small example graph, and the worked example of the offline metrics.

Functions ending in ``_for`` take the inputs the lab varies as arguments; the others are the
chapter's own values, which the page, its figures and its lab show.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass

from snippets.kit import estimation as est
from snippets.kit import latency, plan
from snippets.kit.abtest import ABPlan, ab_plan_table
from snippets.kit.assume import DEFINITION, PROBLEM, assume, design, thumb
from snippets.kit.display import (
    count, days, fixed, md_table, ms, nbytes, pct, percent, plain, short, times,
)
from snippets.kit.house import HOUSE
from snippets.kit.metrics import average_precision_at_k, mean_average_precision, recall_at_k
from snippets.kit.plan import Phase
from snippets.kit.practice import Drill, Fact, Glance, Grade, Step, ab_days_steps, ab_sample_steps
from snippets.kit.retrieval import Source, total_candidates
from snippets.kit.show import table, value


@dataclass(frozen=True)
class Assumptions:
    """Every input of the chapter's arithmetic. The problem statement fixes five; the rest are ours."""

    # The problem statement
    members: float = assume(500e6, "Members", short, PROBLEM)
    median_connections: float = assume(300, "Median connections per member", count, PROBLEM)
    daily_active_members: float = assume(100e6, "Daily active members", short, PROBLEM)
    refresh_days: int = assume(1, "Suggestions recomputed every", days, PROBLEM)
    latency_target_ms: float = assume(100.0, "Latency target for showing suggestions (p99, at the server)", ms,
                                      PROBLEM)

    # The degree distribution and the fan-out
    degree_spread: float = assume(
        1.0, "Spread of the log-normal degree distribution (sigma of ln degree)", plain,
        thumb("a long tail: about 1 member in 400 above 5,000 connections"))
    super_connector_degree: float = assume(
        30_000, "Connections of a super-connector (the far tail)", count, thumb("a platform-wide cap on connections"))
    paths_per_candidate: float = assume(
        4.0, "Two-hop paths per distinct friend-of-friend (mean common connections)", plain,
        thumb("measure it on your graph; the lab measures its own"))
    expansion_cap: int = assume(
        500, "Connections of each neighbour the batch job expands, at most", count,
        design("the most recent or strongest ties first"))
    weekly_to_daily_active: float = assume(
        2.0, "Weekly-to-daily active members (who is recomputed each day)", times, thumb())

    # The candidate funnel, per member, in the daily batch
    fof_kept: int = assume(2_000, "Friends of friends kept after pruning by common connections", count, design())
    org_candidates: int = assume(500, "Candidates from shared company or school", count, thumb())
    contact_candidates: int = assume(200, "Candidates from imported address books", count, thumb())
    profile_view_candidates: int = assume(50, "Candidates from profile views, both directions", count, thumb())
    embedding_candidates: int = assume(
        500, "Candidates from embedding nearest neighbours (beyond two hops)", count, thumb())
    overlap_fraction: float = assume(
        0.20, "Share of candidates lost to overlap between sources and filters", percent, thumb())
    stored_suggestions: int = assume(300, "Suggestions stored per member after batch ranking", count, design())

    # Online serving, per request
    loads_per_member: float = assume(
        3, "Suggestion requests per daily active member per day", plain,
        thumb("the network tab plus modules on other pages"))
    online_filtered_fraction: float = assume(
        0.10, "Stored suggestions removed online (connected, invited, dismissed since the batch)", percent, thumb())
    suggestions_returned: int = assume(20, "Suggestions returned per request", count, thumb("one screen and a scroll"))
    cards_seen_per_load: float = assume(6, "Suggestion cards seen per request", plain, thumb())

    # Throughputs and sizes
    id_bytes: int = assume(8, "Bytes per member id", count, DEFINITION)
    adjacency_entry_bytes: int = assume(
        12, "Bytes per adjacency-list entry (id and connection date)", count, thumb("8-byte id + 4-byte date"))
    suggestion_bytes: int = assume(
        16, "Bytes per stored suggestion (id, score, source)", count, thumb("8 + 4 + 4 bytes"))
    host_memory_bytes: float = assume(256e9, "Memory per graph-serving host", nbytes, thumb())
    shuffle_bytes_per_core_second: float = assume(
        50e6, "Bytes a batch core shuffles per second", nbytes, thumb("tens of MB/s per core; measure your cluster"))
    pair_scores_per_core_second: float = assume(
        200_000, "Ranker scores per CPU core per second", short,
        thumb("a few hundred trees on a hundred features; load-test it"))

    # Labels and training data
    invite_rate: float = assume(0.02, "Invitations sent per suggestion seen", percent, thumb())
    accept_rate: float = assume(0.50, "Invitations accepted within the label window", percent, thumb())
    label_window_days: int = assume(14, "Label window after the snapshot", days, design("most acceptances come early"))
    negatives_per_positive: float = assume(10, "Unaccepted impressions kept per accepted one", plain, design())
    bytes_per_training_row: int = assume(400, "Bytes per training row", nbytes, thumb("about a hundred features"))

    # The A/B test
    ab_baseline_rate: float = assume(
        0.08, "A/B baseline: members gaining an accepted connection from suggestions in a week", percent, thumb())
    ab_relative_mde: float = assume(
        0.01, "A/B minimum detectable effect (relative)", percent, thumb("mature growth features ship lifts of ~1%"))
    ab_traffic_fraction: float = assume(0.05, "A/B share of members in the experiment (both arms)", percent, thumb())
    ab_metric_window_days: int = assume(7, "A/B window the metric is measured over", days,
                                        design("a whole week, after burn-in"))


ASSUMPTIONS = Assumptions()
A = ASSUMPTIONS


#: The candidate sources of the daily batch, per member.
CANDIDATE_SOURCES: tuple[Source, ...] = (
    Source("fof", "Friends of friends", "pruned by common connections", A.fof_kept),
    Source("org", "Company and school", "overlapping dates", A.org_candidates),
    Source("embedding", "Graph embeddings", "nearest neighbours", A.embedding_candidates),
    Source("contacts", "Address book", "imported contacts", A.contact_candidates),
    Source("views", "Profile views", "both directions", A.profile_view_candidates),
)

#: The online request path, stage by stage, in milliseconds (our rule of thumb); what the stages
#: leave of the target is headroom for the tail and retries.
LATENCY = latency.LatencyBudget(A.latency_target_ms, (
    latency.Stage("network", "Network, gateway and serialisation", 15),
    latency.Stage("fetch", "Fetch the stored suggestions (key-value store)", 10),
    latency.Stage("fresh", "Fresh state, in parallel", branches=(
        ("connections and invitations since the batch", 10), ("pair and member features", 15))),
    latency.Stage("rerank", "Online re-ranking model", 30),
    latency.Stage("rules", "Diversity, fairness and business rules", 5),
))

#: The experiment that decides whether a new ranker ships.
AB = ABPlan(
    metric="share of members who gain at least one accepted connection from suggestions in the measured week",
    baseline_rate=A.ab_baseline_rate,
    relative_mde=A.ab_relative_mde,
    daily_users=A.daily_active_members,
    traffic_fraction=A.ab_traffic_fraction,
    measured_days=A.ab_metric_window_days,
)

#: The 45-minute plan for this problem.
INTERVIEW_PLAN: tuple[Phase, ...] = (
    Phase("Clarify requirements", 5, "Symmetric connections, accepted not sent, scale, freshness, privacy"),
    Phase("Frame as an ML task", 4, "Link prediction; objective table; pairs in, ranked members out"),
    Phase("Back of the envelope", 6, "Two-hop fan-out for 300 and 30,000 connections; batch shuffle; storage"),
    Phase("Data and features", 7, "Snapshot labels, temporal split, graph and profile features, leakage"),
    Phase("Model", 8, "Sources, heuristics vs GBDT vs GraphSAGE; what each needs at serving time"),
    Phase("Evaluation", 5, "Recall@k and MAP on future edges; accepted connections; A/B with interference"),
    Phase("Serving and monitoring", 7, "Daily batch + online filter and re-rank; freshness; feedback loops"),
    Phase("Wrap-up and trade-offs", 3, "Privacy, fairness to new members, what you would do next"),
)

# --------------------------------------------------------------------------------------------
# The degree distribution and the two-hop fan-out
# --------------------------------------------------------------------------------------------


@value(count)
def mean_connections() -> float:
    """Mean connections per member: a log-normal's mean, median x exp(sigma^2 / 2)."""
    return est.lognormal_partial_moment(A.median_connections, A.degree_spread, 1)


def degree_second_moment() -> float:
    return est.lognormal_partial_moment(A.median_connections, A.degree_spread, 2)


@value(count)
def mean_neighbour_connections() -> float:
    """Mean connections of a member's connection: E[d^2] / E[d] (the friendship paradox)."""
    return est.mean_neighbour_degree(mean_connections(), degree_second_moment())


def _times_1dp(factor: float) -> str:
    return times(round(factor, 1))


@value(_times_1dp)
def neighbour_to_member_ratio() -> float:
    """How many times more connections a connection has than the median member."""
    return mean_neighbour_connections() / A.median_connections


@value(pct)
def share_above(threshold: float) -> float:
    """Share of members with more than ``threshold`` connections."""
    return est.lognormal_share_above(A.median_connections, A.degree_spread, threshold)


@value(short)
def members_above(threshold: float) -> float:
    return A.members * share_above(threshold)


@value(short)
def connections_total() -> float:
    """Undirected connections in the graph: members x mean degree / 2."""
    return A.members * mean_connections() / 2


@value(short)
def naive_two_hop(degree: float) -> float:
    """The whiteboard guess: degree squared."""
    return degree * degree


@value(short)
def two_hop_paths_for(degree: float) -> float:
    """Friends-of-friends paths from a member with ``degree`` connections, every neighbour expanded."""
    return est.two_hop_paths(degree, mean_neighbour_connections())


@value(_times_1dp)
def median_paths_vs_naive() -> float:
    """How many times the naive d x d the median member's two-hop paths are."""
    return two_hop_paths_for(A.median_connections) / naive_two_hop(A.median_connections)


def capped_expansion_for(cap: float) -> float:
    """Connections each neighbour contributes when the job expands at most ``cap`` of them."""
    return est.capped_neighbour_expansion(A.median_connections, A.degree_spread, cap)


@value(count)
def capped_expansion() -> float:
    return capped_expansion_for(A.expansion_cap)


@value(short)
def capped_two_hop_paths_for(degree: float, cap: float = A.expansion_cap) -> float:
    """Two-hop paths from a member with ``degree`` connections when each neighbour expands at most ``cap``."""
    return est.two_hop_paths(degree, capped_expansion_for(cap))


@value(short)
def distinct_fof_for(degree: float) -> float:
    """Distinct friends of friends: capped paths divided by the mean paths per candidate."""
    return capped_two_hop_paths_for(degree) / A.paths_per_candidate


def hub_pairs_for(degree: float, cap: float | None = None) -> float:
    """Pairs one intermediate member emits in the two-hop self-join: d(d - 1), or d x cap when capped."""
    if cap is None:
        return degree * (degree - 1)
    return degree * min(degree - 1, cap)


@value(short)
def hub_pairs(degree: float) -> float:
    return hub_pairs_for(degree)


@value(short)
def hub_pairs_capped(degree: float) -> float:
    return hub_pairs_for(degree, A.expansion_cap)


@table
def fanout_table() -> str:
    """Two-hop fan-out for a median member and a super-connector, three ways."""
    rows = []
    for label, degree in (("Median member", A.median_connections),
                          ("Super-connector", A.super_connector_degree)):
        rows.append((f"{label}, {count(degree)} connections", short(naive_two_hop(degree)),
                     short(two_hop_paths_for(degree)), short(capped_two_hop_paths_for(degree)),
                     short(distinct_fof_for(degree))))
    return md_table(
        ["Member", "Naive d × d", f"d × (neighbour mean {count(mean_neighbour_connections())} − 1)",
         f"Expanding ≤ {count(A.expansion_cap)} per neighbour", "Distinct friends of friends (capped)"],
        rows, align="lrrrr")


# --------------------------------------------------------------------------------------------
# The daily batch
# --------------------------------------------------------------------------------------------


@value(short)
def members_recomputed() -> float:
    """Members whose suggestions are recomputed each day: the week's active members."""
    return A.daily_active_members * A.weekly_to_daily_active


def batch_paths_for(members: float, expansion: float) -> float:
    """Two-hop paths the daily job emits for ``members`` members at a per-neighbour ``expansion``."""
    return members * mean_connections() * (expansion - 1)


def _case(case: str) -> tuple[float, float]:
    """A batch case id of ``BATCH_CASES`` as (members recomputed, per-neighbour expansion)."""
    scope, _, how = case.rpartition("_")
    expansions = {"full": mean_neighbour_connections, "capped": capped_expansion}
    if how not in expansions:
        raise KeyError(f"no batch case {case!r}: it ends in _full or _capped")
    return _scope_members(scope), expansions[how]()


@value(short)
def batch_paths(case: str) -> float:
    """Two-hop paths of one daily run, for a case id of ``BATCH_CASES`` (scope and cap)."""
    return batch_paths_for(*_case(case))


@value(nbytes)
def batch_shuffle_bytes(case: str) -> float:
    """Bytes shuffled to aggregate the paths: one (member, candidate) record of two ids per path."""
    return batch_paths(case) * 2 * A.id_bytes


@value(short)
def batch_shuffle_core_hours(case: str) -> float:
    return batch_shuffle_bytes(case) / A.shuffle_bytes_per_core_second / 3600


@value(_times_1dp)
def cap_saving() -> float:
    """How many times fewer paths the cap leaves."""
    return batch_paths("weekly_full") / batch_paths("weekly_capped")


@value(count)
def candidates_from_sources() -> int:
    return total_candidates(CANDIDATE_SOURCES)


@value(count)
def candidates_scored() -> int:
    """Candidates per member the batch ranker scores, after overlap and filters."""
    return round(candidates_from_sources() * (1 - A.overlap_fraction))


@value(short)
def batch_pair_scores() -> float:
    return members_recomputed() * candidates_scored()


@value(short)
def batch_scoring_core_hours() -> float:
    return batch_pair_scores() / A.pair_scores_per_core_second / 3600


@value(nbytes)
def suggestion_store_bytes() -> float:
    """Stored suggestions, one copy: members recomputed x suggestions x bytes each."""
    return members_recomputed() * A.stored_suggestions * A.suggestion_bytes


@value(nbytes)
def graph_bytes() -> float:
    """The adjacency lists, both directions of every connection, one copy."""
    return 2 * connections_total() * A.adjacency_entry_bytes


@value(count)
def graph_shards() -> int:
    return est.shards_needed(graph_bytes(), A.host_memory_bytes)


#: Who the daily job recomputes: id -> (label, members).
SCOPES: tuple[tuple[str, str], ...] = (
    ("everyone", "Every member"),
    ("weekly", "The week's active members"),
    ("daily", "Today's active members"),
)


def _scope_members(scope: str) -> float:
    members = {"everyone": A.members, "weekly": members_recomputed(), "daily": A.daily_active_members}
    if scope not in members:
        raise KeyError(f"no scope {scope!r} (scopes: {', '.join(members)})")
    return members[scope]


@table
def batch_cost_table() -> str:
    """The daily friends-of-friends job: paths, shuffle and core-hours, by scope and cap."""
    rows = []
    for scope, label in SCOPES:
        for how in ("full", "capped"):
            case = f"{scope}_{how}"
            expansion = f"≤ {count(A.expansion_cap)} per neighbour" if how == "capped" else "every neighbour"
            rows.append((f"{label} ({short(_scope_members(scope))})", expansion, short(batch_paths(case)),
                         nbytes(batch_shuffle_bytes(case)), short(batch_shuffle_core_hours(case))))
    return md_table(["Recomputed each day", "Expansion", "Two-hop paths", "Shuffled", "Core-hours"], rows,
                    align="llrrr")


@table
def storage_table() -> str:
    """The graph, the stored suggestions and the scoring work of the daily batch."""
    rows = [
        ("Connections (undirected)", f"{short(A.members)} × mean {count(mean_connections())} ÷ 2",
         short(connections_total())),
        ("Graph adjacency lists", f"2 × connections × {A.adjacency_entry_bytes} B", nbytes(graph_bytes())),
        (f"Graph shards ({nbytes(A.host_memory_bytes)} hosts)", "size ÷ host memory", count(graph_shards())),
        ("Stored suggestions", f"{short(members_recomputed())} members × {count(A.stored_suggestions)} × "
                               f"{A.suggestion_bytes} B", nbytes(suggestion_store_bytes())),
        ("Pairs the batch ranker scores", f"{short(members_recomputed())} members × {count(candidates_scored())}",
         short(batch_pair_scores())),
        ("Batch scoring", f"pairs ÷ {short(A.pair_scores_per_core_second)} per core-second",
         f"{short(batch_scoring_core_hours())} core-hours"),
    ]
    return md_table(["Quantity", "Formula", "Size"], rows, align="llr")


# --------------------------------------------------------------------------------------------
# Online serving
# --------------------------------------------------------------------------------------------


@value(short)
def avg_qps() -> float:
    return est.average_qps(A.daily_active_members, A.loads_per_member)


@value(short)
def peak_qps() -> float:
    return est.peak_qps(avg_qps(), HOUSE.peak_to_average)


@value(count)
def candidates_reranked() -> int:
    """Stored suggestions left after the online filter, re-ranked per request."""
    return round(A.stored_suggestions * (1 - A.online_filtered_fraction))


@value(short)
def peak_online_scores() -> float:
    return est.predictions_per_second(peak_qps(), candidates_reranked())


@value(count)
def online_ranking_cores() -> int:
    return est.replicas_needed(peak_online_scores(), A.pair_scores_per_core_second)


@value(ms)
def stage_budget(stage_id: str) -> float:
    return LATENCY.stage(stage_id).budget_ms


@value(ms)
def latency_headroom() -> float:
    return LATENCY.headroom_ms()


@table
def capacity_table() -> str:
    """Requests and online scoring, average and peak."""
    rows = [
        ("Suggestion requests per second", f"DAU × {plain(A.loads_per_member)} ÷ {count(HOUSE.seconds_per_day)}; "
         f"peak × {HOUSE.peak_to_average:g}", short(avg_qps()), short(peak_qps())),
        ("Candidates re-ranked per request", "stored minus filtered", count(candidates_reranked()),
         count(candidates_reranked())),
        ("Online ranker scores per second", "QPS × candidates", short(avg_qps() * candidates_reranked()),
         short(peak_online_scores())),
        ("CPU cores for online re-ranking", f"scores ÷ {short(A.pair_scores_per_core_second)} per core", "—",
         count(online_ranking_cores())),
    ]
    return md_table(["Quantity", "Formula", "Average", "Peak"], rows, align="llrr")


@table
def funnel_table() -> str:
    """From the two-hop neighbourhood to the cards a member sees, for a median member."""
    rows = [
        ("Two-hop paths (expanding ≤ {} per neighbour)".format(count(A.expansion_cap)), "batch",
         short(capped_two_hop_paths_for(A.median_connections))),
        ("Distinct friends of friends", "batch", short(distinct_fof_for(A.median_connections))),
    ]
    rows += [(f"Source: {s.name} ({s.detail})", "batch", count(s.candidates)) for s in CANDIDATE_SOURCES]
    rows += [
        ("All sources, before merging", "batch", count(candidates_from_sources())),
        ("Scored by the batch ranker (after overlap and filters)", "batch", count(candidates_scored())),
        ("Stored for the member", "batch → store", count(A.stored_suggestions)),
        ("Left after the online filter, re-ranked", "online", count(candidates_reranked())),
        ("Returned to the client", "online", count(A.suggestions_returned)),
        ("Seen on screen", "online", plain(A.cards_seen_per_load)),
    ]
    return md_table(["Stage", "Where", "Candidates per member"], rows, align="llr")


@table
def latency_budget_table() -> str:
    """The per-stage latency budget."""
    return latency.latency_budget_table(LATENCY)


# --------------------------------------------------------------------------------------------
# Labels and training data
# --------------------------------------------------------------------------------------------


@value(short)
def impressions_per_day() -> float:
    return est.impressions_per_day(A.daily_active_members, A.loads_per_member, A.cards_seen_per_load)


@value(short)
def invitations_per_day() -> float:
    return impressions_per_day() * A.invite_rate


@value(short)
def accepted_per_day() -> float:
    return invitations_per_day() * A.accept_rate


@value(lambda p: percent(p, 2))
def accepted_per_impression() -> float:
    return A.invite_rate * A.accept_rate


@value(lambda p: percent(p, 2))
def negative_keep_rate() -> float:
    return est.negative_keep_rate_for_ratio(accepted_per_impression(), A.negatives_per_positive)


@value(short)
def training_rows_per_day() -> float:
    return est.training_rows_per_day(impressions_per_day(), accepted_per_impression(), negative_keep_rate())


@value(nbytes)
def training_bytes_per_day() -> float:
    return training_rows_per_day() * A.bytes_per_training_row


@table
def training_data_table() -> str:
    """Labels and training rows per day, for the model trained on impressions."""
    rows = [
        ("Suggestions seen", f"DAU × {plain(A.loads_per_member)} requests × {plain(A.cards_seen_per_load)} cards",
         short(impressions_per_day())),
        ("Invitations sent", f"seen × {percent(A.invite_rate)}", short(invitations_per_day())),
        ("Accepted within the window (positives)", f"invitations × {percent(A.accept_rate)}",
         short(accepted_per_day())),
        ("Unaccepted impressions kept", f"{plain(A.negatives_per_positive)} per positive "
         f"(keep rate {percent(negative_keep_rate(), 2)})", short(training_rows_per_day() - accepted_per_day())),
        ("Training rows", "positives + kept negatives", short(training_rows_per_day())),
        ("Training bytes", f"rows × {nbytes(A.bytes_per_training_row)}", nbytes(training_bytes_per_day())),
    ]
    return md_table(["Quantity", "Formula", "Per day"], rows, align="llr")


# --------------------------------------------------------------------------------------------
# The A/B test
# --------------------------------------------------------------------------------------------


@value(count)
def ab_sample_per_arm() -> int:
    return AB.sample_per_arm()


@value(days)
def ab_enrol_days() -> int:
    return AB.enrol_days()


@value(days)
def ab_planned_days() -> int:
    return AB.planned_days()


@table
def ab_test_table() -> str:
    """The A/B test: sample size per arm and how long it runs."""
    return ab_plan_table(AB)


# --------------------------------------------------------------------------------------------
# Link-prediction scores (the features the heuristics and the ranker share)
# --------------------------------------------------------------------------------------------

Graph = Mapping[Hashable, Collection[Hashable]]


def _neighbours(graph: Graph, node: Hashable) -> Collection[Hashable]:
    if node not in graph:
        raise KeyError(f"node {node!r} is not in the graph")
    neighbours = graph[node]
    return neighbours if isinstance(neighbours, (set, frozenset)) else set(neighbours)


def common_neighbours(graph: Graph, u: Hashable, v: Hashable) -> int:
    """|N(u) ∩ N(v)|: the number of connections two members share."""
    return len(_neighbours(graph, u) & _neighbours(graph, v))


def jaccard(graph: Graph, u: Hashable, v: Hashable) -> float:
    """|N(u) ∩ N(v)| / |N(u) ∪ N(v)|, 0 when both have no connections."""
    nu, nv = _neighbours(graph, u), _neighbours(graph, v)
    shared = len(nu & nv)
    union = len(nu) + len(nv) - shared
    return shared / union if union else 0.0


def adamic_adar(graph: Graph, u: Hashable, v: Hashable) -> float:
    """Sum over shared connections z of 1 / ln |N(z)|: a rare shared connection counts more."""
    shared = _neighbours(graph, u) & _neighbours(graph, v)
    return sum(1 / math.log(len(graph[z])) for z in shared)


def resource_allocation(graph: Graph, u: Hashable, v: Hashable) -> float:
    """Sum over shared connections z of 1 / |N(z)|: Adamic-Adar with a steeper penalty for hubs."""
    shared = _neighbours(graph, u) & _neighbours(graph, v)
    return sum(1 / len(graph[z]) for z in shared)


def preferential_attachment(graph: Graph, u: Hashable, v: Hashable) -> int:
    """|N(u)| x |N(v)|: well-connected members connect more; it ignores whether they are close."""
    return len(_neighbours(graph, u)) * len(_neighbours(graph, v))


def friends_of_friends(graph: Graph, member: Hashable) -> dict[Hashable, int]:
    """Every member two hops away who is not the member or already connected, with their path count."""
    direct = _neighbours(graph, member)
    paths: dict[Hashable, int] = {}  # candidate -> paths of length two, i.e. common connections
    for friend in direct:
        for candidate in graph[friend]:
            if candidate != member and candidate not in direct:
                paths[candidate] = paths.get(candidate, 0) + 1
    return paths


#: The central idea's small graph: "You" and the people around them, as undirected edges.
TOY_EDGES: tuple[tuple[str, str], ...] = (
    ("You", "Ada"), ("You", "Ben"), ("You", "Chen"),
    ("Ada", "Ben"),
    ("Ada", "Dev"), ("Ben", "Dev"),
    ("Ada", "Eli"),
    ("Ben", "Fay"), ("Chen", "Fay"),
    ("Chen", "Gus"), ("Chen", "Hana"),
    ("Hana", "Ivo"), ("Gus", "Ivo"),
    ("Gus", "Jo"), ("Hana", "Jo"), ("Ivo", "Jo"),
)
TOY_MEMBER = "You"


def toy_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for a, b in TOY_EDGES:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set()).add(a)
    return graph


@value(count)
def toy_degree() -> int:
    return len(toy_graph()[TOY_MEMBER])


@value(count)
def toy_two_hop_paths() -> int:
    """Paths of length two from the member, including those back to the member or to a friend."""
    graph = toy_graph()
    return sum(len(graph[friend]) - 1 for friend in graph[TOY_MEMBER])


@value(count)
def toy_fof_paths() -> int:
    """Paths of length two that end on a candidate (not the member, not a friend)."""
    return sum(friends_of_friends(toy_graph(), TOY_MEMBER).values())


@value(count)
def toy_fof_count() -> int:
    return len(friends_of_friends(toy_graph(), TOY_MEMBER))


@value(count)
def toy_three_hop_count() -> int:
    """Members three hops away, whom friends of friends never reach."""
    graph = toy_graph()
    near = {TOY_MEMBER} | graph[TOY_MEMBER] | set(friends_of_friends(graph, TOY_MEMBER))
    return len({c for f in friends_of_friends(graph, TOY_MEMBER) for c in graph[f]} - near)


def toy_candidates() -> list[str]:
    """The member's friends of friends, most paths first, then by name."""
    fof = friends_of_friends(toy_graph(), TOY_MEMBER)
    return sorted(fof, key=lambda c: (-fof[c], c))


@value(count)
def toy_common(candidate: str) -> int:
    return common_neighbours(toy_graph(), TOY_MEMBER, candidate)


@value(lambda v: fixed(v, 3))
def toy_jaccard(candidate: str) -> float:
    return jaccard(toy_graph(), TOY_MEMBER, candidate)


@value(lambda v: fixed(v, 3))
def toy_adamic_adar(candidate: str) -> float:
    return adamic_adar(toy_graph(), TOY_MEMBER, candidate)


#: The scores the chapter compares: id -> (label, function).
SCORES = {
    "cn": ("Common connections", common_neighbours),
    "jaccard": ("Jaccard", jaccard),
    "adamic_adar": ("Adamic-Adar", adamic_adar),
    "resource_allocation": ("Resource allocation", resource_allocation),
    "preferential": ("Preferential attachment", preferential_attachment),
}


#: The scores the small example's table shows (resource allocation is left to the text: it orders
#: this graph's candidates exactly as Adamic-Adar does).
TOY_TABLE_SCORES: tuple[str, ...] = ("cn", "jaccard", "adamic_adar", "preferential")


@table
def toy_scores_table() -> str:
    """Every friend of a friend of "You" in the small graph, with four link-prediction scores."""
    graph = toy_graph()
    rows = []
    for candidate in toy_candidates():
        shared = sorted(set(_neighbours(graph, TOY_MEMBER)) & set(_neighbours(graph, candidate)))
        scores = [SCORES[s][1](graph, TOY_MEMBER, candidate) for s in TOY_TABLE_SCORES]
        rows.append((candidate, ", ".join(f"{z} ({len(graph[z])})" for z in shared),
                     *(fixed(v, 3) if isinstance(v, float) else count(v) for v in scores)))
    return md_table(["Candidate", "Shared (their degree)", "Common", "Jaccard", "Adamic-Adar", "Pref. attachment"],
                    rows, align="llrrrr")


# --------------------------------------------------------------------------------------------
# The worked metric example: three members, ranked suggestions, connections formed afterwards
# --------------------------------------------------------------------------------------------

#: member -> (suggestions as ranked on the snapshot day, connections accepted in the label window).
#: Some accepted connections were never suggested (found through search or an email invitation).
METRIC_EXAMPLE: tuple[tuple[str, tuple[str, ...], frozenset[str]], ...] = (
    ("Member 1", ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), frozenset({"a", "d", "h"})),
    ("Member 2", ("k", "l", "m", "n", "o", "p", "q", "r", "s", "t"), frozenset({"m", "x"})),
    ("Member 3", ("u", "v", "w", "y", "z", "aa", "ab", "ac", "ad", "ae"), frozenset({"af"})),
)
METRIC_KS: tuple[int, ...] = (5, 10)
#: The AP@k normaliser (snippets.kit.metrics): N = R, every connection formed counts, suggested or not.
AP_NORMALIZER = "relevant"


def _member(index: int) -> tuple[str, tuple[str, ...], frozenset[str]]:
    return METRIC_EXAMPLE[index - 1]


def example_recall(member: int, k: int) -> float:
    _, ranked, formed = _member(member)
    return recall_at_k(ranked, formed, k)


def example_ap(member: int, k: int) -> float:
    _, ranked, formed = _member(member)
    return average_precision_at_k(ranked, formed, k, normalizer=AP_NORMALIZER)


@value(lambda v: fixed(v, 3))
def example_member_recall(member: int) -> float:
    """Recall@10 of one member of the worked example."""
    return example_recall(member, max(METRIC_KS))


@value(lambda v: fixed(v, 3))
def example_member_ap(member: int) -> float:
    """AP@10 (N = R) of one member of the worked example."""
    return example_ap(member, max(METRIC_KS))


def _hits(member: int) -> list[tuple[int, int]]:
    """``(position, hits so far)`` at each position of the member's top 10 that holds a connection formed."""
    _, ranked, formed = _member(member)
    top = ranked[:max(METRIC_KS)]
    return [(i, sum(c in formed for c in top[:i])) for i, c in enumerate(top, start=1) if c in formed]


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@value(lambda hits: _listed([str(position) for position, _ in hits]))
def example_hit_positions(member: int) -> list[tuple[int, int]]:
    """Where in one member's top 10 the connections formed sit (positions, 1-based)."""
    return _hits(member)


@value(lambda hits: _listed(["1" if found == position else f"{found}/{position}" for position, found in hits]))
def example_precisions_at_hits(member: int) -> list[tuple[int, int]]:
    """Precision at each position where one member's list holds a connection formed: hits so far / position."""
    return _hits(member)


@value(lambda n: count(n))
def example_formed(member: int) -> int:
    """How many connections one member of the worked example formed (R)."""
    return len(_member(member)[2])


@value(lambda v: fixed(v, 3))
def example_map_hits() -> float:
    """MAP@10 when each AP divides by the connections found in the list (torchmetrics' convention)."""
    return example_map_for(max(METRIC_KS), "hits")


@value(lambda v: fixed(v, 3))
def example_mean_recall(k: int) -> float:
    return sum(example_recall(i, k) for i in range(1, len(METRIC_EXAMPLE) + 1)) / len(METRIC_EXAMPLE)


def example_map_for(k: int, normalizer: str = AP_NORMALIZER) -> float:
    return mean_average_precision([(ranked, formed) for _, ranked, formed in METRIC_EXAMPLE], k, normalizer)


@value(lambda v: fixed(v, 3))
def example_map(k: int) -> float:
    return example_map_for(k)


@table
def metric_example_table() -> str:
    """Each member's suggestions, the connections formed afterwards, and the metrics at two cut-offs."""
    rows = []
    for index, (name, ranked, formed) in enumerate(METRIC_EXAMPLE, start=1):
        found = [f"{c} ({ranked.index(c) + 1})" for c in ranked if c in formed]
        missed = [f"{c} (never)" for c in sorted(formed - set(ranked))]
        rows.append((name, str(len(formed)), ", ".join(found + missed),
                     *(fixed(example_recall(index, k)) for k in METRIC_KS),
                     fixed(example_ap(index, max(METRIC_KS)))))
    rows.append(("**Mean**", "", "", *(f"**{fixed(example_mean_recall(k))}**" for k in METRIC_KS),
                 f"**{fixed(example_map(max(METRIC_KS)))}**"))
    return md_table(["Member", "R", "Formed (position in the list)", *(f"Recall@{k}" for k in METRIC_KS),
                     f"AP@{max(METRIC_KS)}"], rows, align="lrlrrr")


@table
def interview_timeline_table() -> str:
    """The 45-minute plan for this problem."""
    return plan.interview_plan_table(INTERVIEW_PLAN)


# --------------------------------------------------------------------------------------------
# Practice material (snippets/kit/practice.py): the cheat sheet, the rubric and the drills
# --------------------------------------------------------------------------------------------

GLANCE = Glance(
    surface="A list of suggested members with an invite button, on the network page and in modules elsewhere",
    users=Fact("Daily active members", A.daily_active_members, fmt=short),
    traffic=Fact("Suggestion requests per second at peak", peak_qps),
    latency=Fact("To return the list (p99, at the server)", A.latency_target_ms, fmt=ms),
    funnel=(
        Fact("Distinct friends of friends of a median member", distinct_fof_for, A.median_connections),
        Fact("Candidates from five sources, before merging", candidates_from_sources),
        Fact("Stored per member by the daily batch ranker", A.stored_suggestions, fmt=count),
        Fact("Left after the online filter, re-ranked", candidates_reranked),
        Fact("Returned per request", A.suggestions_returned, fmt=count),
    ),
    model="Candidate sources (friends of friends pruned by common connections, company and school, address "
          "book, profile views, GNN-embedding neighbours); gradient-boosted trees with an invite head and an "
          "accept head, scored in the daily batch and again online on the stored list",
    offline_metric="Recall@k of the candidate sources and MAP@k of the ranked list, against connections "
                   "accepted in the window after a graph snapshot",
    online_metric="Share of members gaining at least one accepted connection from suggestions in a week; "
                  "reports, dismissals and declined invitations as guardrails",
    memory=Fact("In-memory graph (adjacency lists, one replica)", graph_bytes),
    trade_offs=(
        "Computing suggestions in a daily batch makes the two-hop walk affordable, but the list is up to a day "
        "old, so the online path must remove anyone the member connected with, invited or dismissed since.",
        "Capping how many connections of each neighbour the walk expands tames the super-connectors' quadratic "
        "cost, at the price of paths through hubs, which are weak evidence anyway.",
        "Ranking by invite times accept gives up invitations that would have been sent to people who ignore "
        "them, and trees on pair features give up the GNN's reach beyond two hops, which we recover only as a "
        "candidate source and a feature.",
    ),
)

RUBRIC: tuple[Grade, ...] = (
    Grade("Clarify requirements",
          strong="Establishes that connections are symmetric, so the goal is accepted connections, not invitations; "
                 "asks for the graph's size and degree skew, the daily refresh, the latency budget, new members "
                 "and what a suggestion may reveal.",
          adequate="Gets the scale, latency and freshness, but leaves the goal as \"engagement\" or invitations "
                   "and does not ask about privacy or new members.",
          weak="Starts with friends of friends and a model before asking what a good suggestion is or how big "
               "the graph is."),
    Grade("Frame as an ML task",
          strong="Frames link prediction on snapshots of a changing graph, compares invite, accept and "
                 "connection-value objectives, and factors the score as P(invite) × P(accept | invite).",
          adequate="Names link prediction and pairwise classification, but optimises one event without saying "
                   "why the recipient's acceptance must be modelled.",
          weak="Treats it as a generic recommender of items, with no pairs, no graph and no acceptance."),
    Grade("Back of the envelope",
          strong="Shows that two-hop paths are degree × (neighbour mean − 1), not degree squared, using the "
                 "friendship paradox; sizes a super-connector's self-join, the capped batch shuffle and the graph "
                 "shards, and notes that the request rate is modest.",
          adequate="Computes QPS, storage and a degree-squared fan-out, without the neighbour-degree correction "
                   "or the hubs' cost.",
          weak="Spends the minutes on request rates and never sizes the two-hop walk."),
    Grade("Data and features",
          strong="Freezes the graph at a snapshot, labels from the connections formed in the window after it, "
                 "computes every feature as of the snapshot, and names the random-edge-split leak, the selection "
                 "bias of impression labels and graph features such as Adamic-Adar.",
          adequate="Lists common connections, company and school features and sensible labels, but splits at "
                   "random or joins today's graph features to last month's labels.",
          weak="Labels pairs as connected or not on today's graph, with no time split and no word on leakage."),
    Grade("Model",
          strong="Several candidate sources with what each misses; compares heuristic scores, trees and a "
                 "GraphSAGE-style GNN by what each needs at serving time; chooses trees with two heads and keeps "
                 "the GNN as a source and a feature.",
          adequate="Friends of friends plus a reasonable ranker, without other sources for new members or "
                   "without a reason to prefer trees or a GNN.",
          weak="A single model over all member pairs, or only friends of friends sorted by common connections "
               "with no learning."),
    Grade("Evaluation",
          strong="Recall@k of the sources and MAP@k of the list on connections formed after the snapshot, with the "
                 "normaliser stated; an A/B test on members gaining an accepted connection, sized from a baseline "
                 "and an MDE, with interference handled by sender attribution or cluster randomisation.",
          adequate="Offline ranking metrics and an A/B test on connections, without interference or guardrails "
                   "such as reports and declined invitations.",
          weak="AUC on a random split and \"we'd A/B test it\" with no metric, size or unit."),
    Grade("Serving and monitoring",
          strong="A daily batch writes a few hundred suggestions per member to a key-value store; the request "
                 "reads it, filters what changed since, re-ranks within a stage budget, and falls back to the "
                 "stored order; watches batch health, calibration per source and the feedback loop.",
          adequate="A batch job and a store, but no online filter for fresh connections or no fallback.",
          weak="Walks two hops on every request, or serves a batch list with no freshness at all."),
    Grade("Wrap-up and trade-offs",
          strong="Names what the design gives up (freshness, hub paths, reach beyond two hops), the privacy rules "
                 "on visible reasons, fairness to new members, and the next experiment.",
          adequate="Summarises the pipeline without what it sacrificed.",
          weak="Runs out of time before privacy, fairness or any summary."),
)


def _peak_steps(a: Assumptions) -> list[Step]:
    average = est.average_qps(a.daily_active_members, a.loads_per_member)
    return [
        Step("Average requests per second",
             f"{short(a.daily_active_members)} members × {plain(a.loads_per_member)} requests ÷ "
             f"{count(HOUSE.seconds_per_day)} s", average, short),
        Step("At peak", f"average × {times(HOUSE.peak_to_average)}", est.peak_qps(average, HOUSE.peak_to_average),
             short),
    ]


def _online_core_steps(a: Assumptions) -> list[Step]:
    steps = _peak_steps(a)
    reranked = round(a.stored_suggestions * (1 - a.online_filtered_fraction))
    rate = est.predictions_per_second(steps[-1].value, reranked)
    return steps + [
        Step("Candidates re-ranked per request",
             f"{count(a.stored_suggestions)} stored × (1 − {percent(a.online_filtered_fraction)} filtered)",
             reranked, count),
        Step("Online scores per second at peak", f"peak × {count(reranked)}", rate, short),
        Step("CPU cores", f"scores ÷ {short(a.pair_scores_per_core_second)} per core-second, rounded up",
             est.replicas_needed(rate, a.pair_scores_per_core_second), count),
    ]


def _moment_steps(a: Assumptions) -> list[Step]:
    mean = est.lognormal_partial_moment(a.median_connections, a.degree_spread, 1)
    second = est.lognormal_partial_moment(a.median_connections, a.degree_spread, 2)
    return [
        Step("Mean connections",
             f"median {count(a.median_connections)} × e^(σ² ÷ 2), σ = {plain(a.degree_spread)}", mean, count),
        Step("Mean connections of a connection", "E[d²] ÷ E[d] (the friendship paradox)",
             est.mean_neighbour_degree(mean, second), count),
    ]


def _median_fanout_steps(a: Assumptions) -> list[Step]:
    steps = _moment_steps(a)
    return steps + [
        Step("Two-hop paths of a median member",
             f"{count(a.median_connections)} × (neighbour mean − 1)",
             est.two_hop_paths(a.median_connections, steps[-1].value), short),
    ]


def _hub_steps(a: Assumptions) -> list[Step]:
    degree = a.super_connector_degree
    return [
        Step("Pairs through one hub, uncapped", f"{count(degree)} × {count(degree - 1)}", degree * (degree - 1),
             short),
        Step("Pairs with the cap", f"{count(degree)} × min({count(degree - 1)}, {count(a.expansion_cap)})",
             degree * min(degree - 1, a.expansion_cap), short),
    ]


def _shuffle_steps(a: Assumptions) -> list[Step]:
    recomputed = a.daily_active_members * a.weekly_to_daily_active
    mean = est.lognormal_partial_moment(a.median_connections, a.degree_spread, 1)
    expansion = est.capped_neighbour_expansion(a.median_connections, a.degree_spread, a.expansion_cap)
    paths = recomputed * mean * (expansion - 1)
    return [
        Step("Members recomputed", f"{short(a.daily_active_members)} daily × {times(a.weekly_to_daily_active)}",
             recomputed, short),
        Step("Connections each neighbour contributes",
             f"mean of min(d, {count(a.expansion_cap)}) over neighbours", expansion, count),
        Step("Two-hop paths a day", f"members × mean {count(mean)} connections × (expansion − 1)", paths, short),
        Step("Bytes shuffled", f"paths × 2 ids × {count(a.id_bytes)} B", paths * 2 * a.id_bytes, nbytes),
    ]


def _shuffle_hour_steps(a: Assumptions) -> list[Step]:
    steps = _shuffle_steps(a)
    return steps + [
        Step("Core-hours to shuffle", f"bytes ÷ {nbytes(a.shuffle_bytes_per_core_second)} per core-second ÷ 3,600",
             steps[-1].value / a.shuffle_bytes_per_core_second / 3600, short),
    ]


def _graph_steps(a: Assumptions) -> list[Step]:
    mean = est.lognormal_partial_moment(a.median_connections, a.degree_spread, 1)
    edges = a.members * mean / 2
    size = 2 * edges * a.adjacency_entry_bytes
    return [
        Step("Connections", f"{short(a.members)} members × mean {count(mean)} ÷ 2", edges, short),
        Step("Adjacency lists", f"2 directions × connections × {count(a.adjacency_entry_bytes)} B", size, nbytes),
        Step("Graph shards", f"size ÷ {nbytes(a.host_memory_bytes)} per host, rounded up",
             est.shards_needed(size, a.host_memory_bytes), count),
    ]


def _store_steps(a: Assumptions) -> list[Step]:
    recomputed = a.daily_active_members * a.weekly_to_daily_active
    return [
        Step("Members recomputed", f"{short(a.daily_active_members)} daily × {times(a.weekly_to_daily_active)}",
             recomputed, short),
        Step("Suggestion store", f"members × {count(a.stored_suggestions)} × {count(a.suggestion_bytes)} B",
             recomputed * a.stored_suggestions * a.suggestion_bytes, nbytes),
    ]


def _batch_scoring_steps(a: Assumptions) -> list[Step]:
    sources = (a.fof_kept + a.org_candidates + a.embedding_candidates + a.contact_candidates
               + a.profile_view_candidates)
    scored = round(sources * (1 - a.overlap_fraction))
    pairs = a.daily_active_members * a.weekly_to_daily_active * scored
    return [
        Step("Candidates from the five sources",
             f"{count(a.fof_kept)} + {count(a.org_candidates)} + {count(a.embedding_candidates)} + "
             f"{count(a.contact_candidates)} + {count(a.profile_view_candidates)}", sources, count),
        Step("Scored per member", f"sources × (1 − {percent(a.overlap_fraction)} overlap)", scored, count),
        Step("Pair scores a day",
             f"{short(a.daily_active_members)} × {times(a.weekly_to_daily_active)} members × {count(scored)}",
             pairs, short),
        Step("Core-hours to score", f"pairs ÷ {short(a.pair_scores_per_core_second)} per core-second ÷ 3,600",
             pairs / a.pair_scores_per_core_second / 3600, short),
    ]


def _training_steps(a: Assumptions) -> list[Step]:
    impressions = est.impressions_per_day(a.daily_active_members, a.loads_per_member, a.cards_seen_per_load)
    positive = a.invite_rate * a.accept_rate
    keep = est.negative_keep_rate_for_ratio(positive, a.negatives_per_positive)
    rows = est.training_rows_per_day(impressions, positive, keep)
    return [
        Step("Suggestions seen a day", f"{short(a.daily_active_members)} × {plain(a.loads_per_member)} requests × "
             f"{plain(a.cards_seen_per_load)} cards", impressions, short),
        Step("Accepted per impression", f"{percent(a.invite_rate)} invited × {percent(a.accept_rate)} accepted",
             positive, lambda v: percent(v, 3)),
        Step("Negatives kept", f"{plain(a.negatives_per_positive)} per positive", keep, lambda v: percent(v, 2)),
        Step("Training rows a day", "positives + kept negatives", rows, short),
        Step("Training bytes a day", f"rows × {nbytes(a.bytes_per_training_row)}", rows * a.bytes_per_training_row,
             nbytes),
    ]


def _ab(a: Assumptions) -> ABPlan:
    return ABPlan(metric=AB.metric, baseline_rate=a.ab_baseline_rate, relative_mde=a.ab_relative_mde,
                  daily_users=a.daily_active_members, traffic_fraction=a.ab_traffic_fraction,
                  measured_days=a.ab_metric_window_days)


def _ab_sample_steps(a: Assumptions) -> list[Step]:
    return ab_sample_steps(_ab(a), "Members per arm")


def _ab_days_steps(a: Assumptions) -> list[Step]:
    return ab_days_steps(_ab(a), "Members per arm")


def _headroom_steps(a: Assumptions) -> list[Step]:
    spent = LATENCY.total_ms()
    return [
        Step("Stages' sum", " + ".join(ms(stage.budget_ms) for stage in LATENCY.stages)
             + " (the parallel reads count their slowest)", spent, ms),
        Step("Headroom for the tail", f"{ms(a.latency_target_ms)} − stages", a.latency_target_ms - spent, ms),
    ]


DRILLS: tuple[Drill, ...] = (
    Drill("Twice the daily members", "Growth campaigns double the daily active members. How many suggestion "
          "requests per second must the online service take at peak?",
          {"daily_active_members": 200e6}, _peak_steps, peak_qps),
    Drill("A heavier tail", "Your measured degree distribution has a wider spread than assumed. How many two-hop "
          "paths does a median member have?", {"degree_spread": 1.3}, _median_fanout_steps, two_hop_paths_for,
          key=A.median_connections),
    Drill("A denser network", "The network matures and the median member has more connections. How many two-hop "
          "paths does that median member have?", {"median_connections": 500}, _median_fanout_steps,
          two_hop_paths_for, key=A.median_connections),
    Drill("A higher connection limit", "The platform raises its cap on connections, so the biggest hubs grow. "
          "How many pairs does one hub emit in the self-join, even with the expansion cap?",
          {"super_connector_degree": 50_000}, _hub_steps, hub_pairs_capped, key=A.super_connector_degree),
    Drill("A tighter expansion cap", "The batch team wants to cut the job's cost by expanding fewer connections "
          "per neighbour. How many core-hours does the shuffle take?", {"expansion_cap": 200},
          _shuffle_hour_steps, batch_shuffle_core_hours, key="weekly_capped"),
    Drill("Recompute more members", "Product wants a fresh list every day for a wider circle of returning "
          "members, not only the week's active ones. How many bytes does the daily job shuffle?",
          {"weekly_to_daily_active": 3.5}, _shuffle_steps, batch_shuffle_bytes, key="weekly_capped"),
    Drill("Compact member ids", "Member ids fit in four bytes. How many bytes does the daily job shuffle?",
          {"id_bytes": 4}, _shuffle_steps, batch_shuffle_bytes, key="weekly_capped"),
    Drill("A billion members", "Membership doubles with the same degree distribution. How many hosts does one "
          "replica of the in-memory graph need?", {"members": 1e9}, _graph_steps, graph_shards),
    Drill("Deeper stored lists", "Heavy scrollers page through many suggestions, so the batch stores more per "
          "member. How large is the suggestion store?", {"stored_suggestions": 1_000}, _store_steps,
          suggestion_store_bytes),
    Drill("A bigger embedding source", "The GNN source now proposes far more candidates, and more of them overlap "
          "with friends of friends. How many core-hours does batch scoring take?",
          {"embedding_candidates": 2_000, "overlap_fraction": 0.30}, _batch_scoring_steps, batch_scoring_core_hours),
    Drill("A heavier online ranker", "The online re-ranker gains features and scores fewer pairs per core. How "
          "many cores does it need at peak?", {"pair_scores_per_core_second": 50_000}, _online_core_steps,
          online_ranking_cores),
    Drill("Fewer invitations", "A redesign of the card halves how often members invite. How many bytes of "
          "training rows a day, at the same negative ratio?", {"invite_rate": 0.01}, _training_steps,
          training_bytes_per_day),
    Drill("A subtler ranker", "The new ranker is expected to lift the weekly metric by half a percent, relative. "
          "How many members per arm?", {"ab_relative_mde": 0.005}, _ab_sample_steps, ab_sample_per_arm),
    Drill("A smaller experiment slice", "Other teams need the traffic: the test may use only a small slice of "
          "members, and the effect to detect is half a percent. How long does the test run?",
          {"ab_traffic_fraction": 0.01, "ab_relative_mde": 0.005}, _ab_days_steps, ab_planned_days),
    Drill("A tighter latency target", "The page team wants the list back faster, with the same stages. How much "
          "headroom is left for the tail?", {"latency_target_ms": 80.0}, _headroom_steps, latency_headroom),
)
