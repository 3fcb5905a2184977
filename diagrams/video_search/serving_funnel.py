"""The serving funnel: candidates per request and each stage's latency budget, computed.

Three sources answer in parallel (BM25 over the inverted index, nearest neighbours in the embedding
index, the fresh-upload index); fusion merges the videos two sources both returned and keeps the
top of the reciprocal-rank-fused list; the ranking model scores those; policy filters and diversity
cut them to the first page. Counts and milliseconds come from snippets/video_search.py.
"""

from snippets.kit.display import count, ms, short
from snippets.video_search import (
    ASSUMPTIONS,
    CANDIDATE_SOURCES,
    LATENCY,
    candidates_after_dedup,
    candidates_before_dedup,
    peak_qps,
    stage_budget,
)


def draw(style):
    a = ASSUMPTIONS
    graph = style.digraph("serving_funnel", direction="TB")
    graph.attr("graph", nodesep="0.25", ranksep="0.35")
    wide = {"width": "5.4"}
    graph.node("query", f"Query: {short(peak_qps())} per second at peak; understanding and text embedding "
                        f"({ms(stage_budget('gateway') + stage_budget('understand'))})",
               **style.node_attrs("data") | wide)
    branches = dict(LATENCY.stage("retrieve").branches)
    labels = {"lexical": "BM25 shards", "semantic": "ANN shards", "fresh": "Fresh index"}
    with style.cluster(graph, "sources", f"In parallel, {ms(stage_budget('retrieve'))}: "
                                         f"{count(candidates_before_dedup())} candidates", "storage",
                       title="right") as cluster:
        for source in reversed(CANDIDATE_SOURCES):
            cluster.node(source.id, f"{source.name}\ntop {count(source.candidates)}, "
                                    f"{ms(branches[labels[source.id]])}", **style.node_attrs("neutral"))
    for source in CANDIDATE_SOURCES:
        graph.edge("query", source.id)
    graph.node("fuse", f"Fusion: {count(candidates_after_dedup())} distinct → top {count(a.ranked_candidates)} "
                       f"by RRF ({ms(stage_budget('fuse'))})", **style.node_attrs("online") | wide)
    for source in CANDIDATE_SOURCES:
        graph.edge(source.id, "fuse")
    graph.node("rank", f"Features ({ms(stage_budget('features'))}) and ranking model on "
                       f"{count(a.ranked_candidates)} ({ms(stage_budget('rank'))})", **style.node_attrs("model") | wide)
    graph.node("page", f"Policy, diversity, hydration ({ms(stage_budget('page'))}): "
                       f"{count(a.results_per_page)} results", **style.node_attrs("data") | wide)
    graph.edge("fuse", "rank")
    graph.edge("rank", "page")
    return graph
