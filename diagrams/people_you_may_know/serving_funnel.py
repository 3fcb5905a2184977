"""The funnel: from a member's two-hop neighbourhood to the cards they see, with counts and latencies.

For a member with the median number of connections, the daily batch expands two-hop paths, keeps the
friends of friends with the most common connections, adds the other sources, scores the merged
pairs and stores the best. Online, the stored list is filtered against what changed since the batch,
re-ranked with fresh features and cut to the list the client shows. Counts and latencies are
computed from the chapter's assumptions in snippets/people_you_may_know.py.
"""

from snippets.kit.display import count, ms, plain, short
from snippets.people_you_may_know import (
    ASSUMPTIONS,
    CANDIDATE_SOURCES,
    candidates_from_sources,
    candidates_reranked,
    candidates_scored,
    capped_two_hop_paths_for,
    distinct_fof_for,
    stage_budget,
)


def _two_lines(name: str) -> str:
    words = name.split()
    half = (len(words) + 1) // 2
    return " ".join(words[:half]) + "\n" + " ".join(words[half:]) if len(words) > 1 else name


def draw(style):
    a = ASSUMPTIONS
    graph = style.digraph("serving_funnel", direction="TB")
    graph.attr("graph", nodesep="0.2", ranksep="0.3", ordering="out", compound="true")
    wide = {"width": "5.6"}
    median = a.median_connections
    graph.node("paths", f"Member with {count(median)} connections: {short(capped_two_hop_paths_for(median))} "
                        f"two-hop paths → {short(distinct_fof_for(median))} friends of friends",
               **style.node_attrs("storage") | wide)
    with style.cluster(graph, "sources", "Daily batch: candidate sources\\l", "offline") as sources:
        for source in CANDIDATE_SOURCES:
            sources.node(source.id, f"{_two_lines(source.name)}\n{count(source.candidates)}",
                         **style.node_attrs("neutral") | {"fontsize": "12"})
    graph.edge("paths", CANDIDATE_SOURCES[len(CANDIDATE_SOURCES) // 2].id, lhead="cluster_sources", minlen="2")
    graph.node("merge", f"Batch: merge {count(candidates_from_sources())} → score {count(candidates_scored())}"
                        f" → store top {count(a.stored_suggestions)}", **style.node_attrs("offline") | wide)
    for source in CANDIDATE_SOURCES:
        graph.edge(source.id, "merge")
    graph.node("fetch", f"Online: fetch {count(a.stored_suggestions)} ({ms(stage_budget('fetch'))}), drop those "
                        f"changed since ({ms(stage_budget('fresh'))}) → {count(candidates_reranked())}",
               **style.node_attrs("online") | wide)
    graph.node("rerank", f"Re-rank {count(candidates_reranked())} with fresh features   "
                         f"({ms(stage_budget('rerank'))})", **style.node_attrs("model") | wide)
    graph.node("rules", f"Diversity and fairness rules: {count(a.suggestions_returned)} returned   "
                        f"({ms(stage_budget('rules'))})", **style.node_attrs("online") | wide)
    graph.node("shown", f"On screen: about {plain(a.cards_seen_per_load)} cards per request",
               **style.node_attrs("data") | wide)
    graph.edge("merge", "fetch", **style.edge_attrs("key-value store", muted=True))
    graph.edge("fetch", "rerank")
    graph.edge("rerank", "rules")
    graph.edge("rules", "shown")
    return graph
