"""Hand-derived values of snippets/people_you_may_know.py (People you may know).

Each row: the function, its arguments, the value derived by hand from the assumptions, and the
arithmetic. What every page module shares is checked once in tests/test_pages.py. The log-normal
moments use e^0.5 = 1.6487213, e^1.5 = 4.4816891 and e^2 = 7.3890561 (median 300, sigma 1).
"""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest
from hand_values import hand_value_test
from scipy import integrate
from scipy.stats import lognorm

import snippets.people_you_may_know as page

HAND_VALUES = [
    # The degree distribution and the fan-out
    (page.mean_connections, (), 494.6164, "300 x e^0.5 = 300 x 1.6487213"),
    (page.degree_second_moment, (), 665_015.05, "300^2 x e^2 = 90,000 x 7.3890561"),
    (page.mean_neighbour_connections, (), 1_344.5067, "E[d^2] / E[d] = 300 x e^1.5 = 300 x 4.4816891"),
    (page.neighbour_to_member_ratio, (), 4.4816891, "1,344.5067 / 300 = e^1.5"),
    (page.connections_total, (), 1.236541e11, "500e6 x 494.6164 / 2"),
    (page.naive_two_hop, (300,), 90_000, "300 x 300"),
    (page.median_paths_vs_naive, (), 4.478352, "403,052.0 / 90,000"),
    (page.naive_two_hop, (30_000,), 9e8, "30,000 x 30,000"),
    (page.two_hop_paths_for, (300,), 403_052.0, "300 x (1,344.5067 - 1) = 300 x 1,343.5067"),
    (page.two_hop_paths_for, (30_000,), 40_305_201, "30,000 x 1,343.5067"),
    (page.hub_pairs, (30_000,), 899_970_000, "30,000 x 29,999 pairs through one hub"),
    (page.hub_pairs_capped, (30_000,), 15_000_000, "30,000 x 500 when each side expands at most 500"),
    # The daily batch
    (page.members_recomputed, (), 2e8, "100e6 DAU x 2 (weekly / daily actives)"),
    (page.batch_paths, ("weekly_full",), 1.329041e14, "2e8 x 494.6164 x 1,343.5067 = 2e8 x 664,520.5"),
    (page.batch_paths, ("daily_full",), 6.645205e13, "1e8 x 664,520.5"),
    (page.batch_paths, ("everyone_full",), 3.322603e14, "5e8 x 664,520.5"),
    (page.batch_shuffle_bytes, ("weekly_full",), 2.126465e15, "1.329041e14 paths x 2 ids x 8 B"),
    (page.batch_shuffle_core_hours, ("weekly_full",), 11_813.70, "2.126465e15 B / 50e6 B/s / 3,600 s"),
    (page.candidates_from_sources, (), 3_250, "2,000 + 500 + 500 + 200 + 50"),
    (page.candidates_scored, (), 2_600, "3,250 x (1 - 20%)"),
    (page.batch_pair_scores, (), 5.2e11, "2e8 members x 2,600 candidates"),
    (page.batch_scoring_core_hours, (), 722.2222, "5.2e11 / 200k per core-second / 3,600"),
    (page.suggestion_store_bytes, (), 9.6e11, "2e8 x 300 x 16 B"),
    (page.graph_bytes, (), 2.967698e12, "2 x 1.236541e11 x 12 B"),
    (page.graph_shards, (), 12, "ceil(2.9677e12 / 256e9) = ceil(11.59)"),
    # Online serving
    (page.avg_qps, (), 3_472.222, "100e6 x 3 / 86,400"),
    (page.peak_qps, (), 10_416.667, "3,472.222 x 3 (house peak factor)"),
    (page.candidates_reranked, (), 270, "300 x (1 - 10%)"),
    (page.peak_online_scores, (), 2_812_500, "10,416.667 x 270"),
    (page.online_ranking_cores, (), 15, "ceil(2,812,500 / 200,000) = ceil(14.06)"),
    (page.stage_budget, ("fresh",), 15, "slowest of 10 ms and 15 ms"),
    (page.latency_headroom, (), 25, "100 - (15 + 10 + 15 + 30 + 5)"),
    # Labels and training data
    (page.impressions_per_day, (), 1.8e9, "100e6 x 3 requests x 6 cards"),
    (page.invitations_per_day, (), 3.6e7, "1.8e9 x 2%"),
    (page.accepted_per_day, (), 1.8e7, "3.6e7 x 50%"),
    (page.accepted_per_impression, (), 0.01, "2% x 50%"),
    (page.negative_keep_rate, (), 0.1010101, "10 x 0.01 / 0.99"),
    (page.training_rows_per_day, (), 1.98e8, "1.8e7 positives + 1.8e9 x 0.99 x 0.1010101 = 1.8e7 + 1.8e8"),
    (page.training_bytes_per_day, (), 7.92e10, "1.98e8 x 400 B"),
    # The A/B test: p1 = 0.08, p2 = 0.0808, pbar = 0.0804; (1.959964 x sqrt(2 x 0.0804 x 0.9196)
    # + 0.841621 x sqrt(0.08 x 0.92 + 0.0808 x 0.9192))^2 / 0.0008^2
    # = (1.959964 x 0.384541 + 0.841621 x 0.384541)^2 / 6.4e-7 = 1.077325^2 / 6.4e-7 = 1,813,48x
    (page.ab_sample_per_arm, (), 1_813_483, "1.160629 / 6.4e-7, within rounding of the z values"),
    (page.ab_enrol_days, (), 1, "ceil(2 x 1,813,479 / (100e6 x 5%)) = ceil(0.73)"),
    (page.ab_planned_days, (), 14, "1 + 7 measured days = 8, rounded up to the house minimum of 2 weeks"),
    # The small graph: You - Ada, Ben, Chen; Ada - Ben; Ada, Ben - Dev; Ada - Eli; Ben, Chen - Fay;
    # Chen - Gus, Hana; Ivo and Jo only behind Gus and Hana. Ada, Ben and Chen have 4 connections each.
    (page.toy_degree, (), 3, "Ada, Ben, Chen"),
    (page.toy_two_hop_paths, (), 9, "(4 - 1) x 3 friends"),
    (page.toy_fof_paths, (), 7, "9 minus Ada->Ben and Ben->Ada, who are already friends"),
    (page.toy_fof_count, (), 5, "Dev, Eli, Fay, Gus, Hana"),
    (page.toy_three_hop_count, (), 2, "Ivo and Jo"),
    (page.toy_common, ("Dev",), 2, "Ada and Ben"),
    (page.toy_jaccard, ("Dev",), 2 / 3, "{Ada, Ben} / {Ada, Ben, Chen}"),
    (page.toy_jaccard, ("Gus",), 0.2, "{Chen} / {Ada, Ben, Chen, Ivo, Jo}"),
    (page.toy_adamic_adar, ("Dev",), 1.442695, "1/ln 4 + 1/ln 4 = 2 / 1.386294"),
    # The worked metric example: member 1 finds a, d, h at 1, 4, 8 (R = 3); member 2 finds m at 3 and
    # misses x (R = 2); member 3's one connection was never suggested (R = 1).
    (page.example_member_recall, (1,), 1.0, "3 of 3 in the top 10"),
    (page.example_member_recall, (2,), 0.5, "1 of 2"),
    (page.example_member_recall, (3,), 0.0, "0 of 1"),
    (page.example_mean_recall, (5,), 0.388889, "(2/3 + 1/2 + 0) / 3"),
    (page.example_mean_recall, (10,), 0.5, "(1 + 1/2 + 0) / 3"),
    (page.example_member_ap, (1,), 0.625, "(1/1 + 2/4 + 3/8) / 3"),
    (page.example_formed, (1,), 3, "a, d, h"),
    (page.example_formed, (2,), 2, "m, x"),
    (page.example_member_ap, (2,), 1 / 6, "(1/3) / 2"),
    (page.example_map, (10,), 0.263889, "(0.625 + 0.166667 + 0) / 3"),
    (page.example_map_hits, (), 0.319444, "(0.625 + (1/3)/1 + 0) / 3: misses beyond the list are forgiven"),
]


test_hand_values = hand_value_test(HAND_VALUES)


def _lognormal():
    return lognorm(s=page.A.degree_spread, scale=page.A.median_connections)


def test_capped_expansion_against_scipy_integration():
    # E[d min(d, c)] / E[d] by numerical integration of the log-normal density.
    dist = _lognormal()
    for cap in (50, 200, 500, 5_000):
        numerator = dist.expect(lambda d, c=cap: d * min(d, c))
        assert page.capped_expansion_for(cap) == pytest.approx(numerator / dist.mean(), rel=1e-6)


def test_capped_expansion_by_hand():
    # Phi(-0.48917) = 0.312364 and Phi(-1.48917) = 0.068219 (z = ln(500/300) - 1 and - 2):
    # (665,015.05 x 0.068219 + 500 x 494.6164 x (1 - 0.312364)) / 494.6164 = 435.54
    assert page.capped_expansion() == pytest.approx(435.54, rel=1e-4)
    assert page.distinct_fof_for(300) == pytest.approx(300 * (435.54 - 1) / 4, rel=1e-4)


def test_share_above_against_scipy():
    dist = _lognormal()
    assert page.share_above(5_000) == pytest.approx(dist.sf(5_000), rel=1e-9)
    assert page.members_above(30_000) == pytest.approx(500e6 * dist.sf(30_000), rel=1e-9)


def test_neighbour_degree_is_degree_biased_mean():
    # The friendship paradox by integration: E[d^2] / E[d] of the density.
    dist = _lognormal()
    second, _ = integrate.quad(lambda d: d * d * dist.pdf(d), 0, math.inf, limit=200)
    assert page.mean_neighbour_connections() == pytest.approx(second / dist.mean(), rel=1e-6)


def test_cap_saving_and_unknown_case():
    assert page.cap_saving() == pytest.approx(1_343.5067 / (page.capped_expansion() - 1), rel=1e-6)
    with pytest.raises(KeyError, match="_full or _capped"):
        page.batch_paths("weekly")
    with pytest.raises(KeyError, match="no scope"):
        page.batch_paths("monthly_full")


def _random_graphs():
    rng = random.Random(7)
    for seed in range(12):
        n, p = rng.randint(8, 40), rng.uniform(0.05, 0.4)
        yield nx.gnp_random_graph(n, p, seed=seed)
    yield nx.karate_club_graph()
    yield nx.connected_caveman_graph(5, 6)


def _as_dict(graph: nx.Graph) -> dict:
    return {node: set(graph[node]) for node in graph}


@pytest.mark.parametrize(("ours", "reference"), [
    (page.jaccard, nx.jaccard_coefficient),
    (page.adamic_adar, nx.adamic_adar_index),
    (page.resource_allocation, nx.resource_allocation_index),
    (page.preferential_attachment, nx.preferential_attachment),
])
def test_link_scores_match_networkx(ours, reference):
    for graph in _random_graphs():
        adjacency = _as_dict(graph)
        pairs = [(u, v) for u, v in nx.non_edges(graph)
                 if reference is not nx.adamic_adar_index
                 or all(graph.degree(z) > 1 for z in nx.common_neighbors(graph, u, v))]
        for u, v, expected in reference(graph, pairs):
            assert ours(adjacency, u, v) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_common_neighbours_and_friends_of_friends_match_networkx():
    for graph in _random_graphs():
        adjacency = _as_dict(graph)
        for member in list(graph)[:5]:
            lengths = nx.single_source_shortest_path_length(graph, member, cutoff=2)
            expected = {v for v, d in lengths.items() if d == 2}
            fof = page.friends_of_friends(adjacency, member)
            assert set(fof) == expected
            for candidate, paths in fof.items():
                assert paths == len(list(nx.common_neighbors(graph, member, candidate)))
                assert page.common_neighbours(adjacency, member, candidate) == paths


def test_scores_refuse_unknown_members():
    with pytest.raises(KeyError, match="Zed"):
        page.jaccard(page.toy_graph(), "You", "Zed")


def test_worked_example_hits_are_where_the_table_says():
    # Member 1's list: a b c d e f g h i j, formed a, d, h -> hits at 1, 4, 8 with 1, 2, 3 found so far.
    assert page.example_hit_positions(1) == [(1, 1), (4, 2), (8, 3)]
    assert page.example_precisions_at_hits(1) == [(1, 1), (4, 2), (8, 3)]
    # Member 2's list: k l m ..., formed m (third) and x (never suggested).
    assert page.example_hit_positions(2) == [(3, 1)]
