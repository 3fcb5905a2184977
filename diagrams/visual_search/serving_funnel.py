"""The serving path: candidates per request and the latency budget of each stage.

A search's crop is embedded, every index shard returns its nearest neighbours in parallel, the
merged candidates are re-scored with full-precision vectors, near-duplicates and filtered items
are dropped, and diversity picks the page. Each stage carries its candidate count and its share of
the end-to-end budget, both computed from the chapter's assumptions in snippets/visual_search.py.
"""

from snippets.kit.display import count, ms, short
from snippets.visual_search import (
    ASSUMPTIONS,
    after_filters,
    after_near_duplicates,
    index_shards,
    stage_budget,
)


def _budget(stage_id: str) -> str:
    return ms(stage_budget(stage_id))


def draw(style):
    a = ASSUMPTIONS
    graph = style.digraph("serving_funnel", direction="TB")
    graph.attr("graph", nodesep="0.25", ranksep="0.35", ordering="out", compound="true")
    wide = {"width": "5.6"}
    stage = style.node_attrs("online") | wide
    shards = index_shards("ivf_pq")

    graph.node("query", f"Query crop → {a.embedding_dim}-d vector   ({_budget('crop')} crop + "
                        f"{_budget('embed')} embedding)", **style.node_attrs("model") | wide)
    with style.cluster(graph, "shards", f"ANN search, {_budget('ann')}: {shards} shards in parallel, "
                                        f"{short(a.corpus_images)} images\\l", "storage") as cluster:
        for shard in reversed(range(shards)):
            cluster.node(f"shard{shard}", f"Shard {shard + 1}\ntop {count(a.ann_candidates_per_shard)}",
                         **style.node_attrs("neutral"))
    graph.edge("query", "shard0", lhead="cluster_shards", minlen="2")
    graph.node("rescore", f"Merge, re-score {count(a.rescored_candidates)} with float16 vectors"
                          f"   ({_budget('rescore')})", **stage)
    for shard in range(shards):
        graph.edge(f"shard{shard}", "rescore")
    graph.node("rerank", f"Near-duplicates {count(a.rescored_candidates)} → {count(after_near_duplicates())}, "
                         f"filters → {count(after_filters())}, diversity   ({_budget('rerank')})", **stage)
    graph.node("page", f"Page of {count(a.results_returned)} results, hydrated   ({_budget('hydrate')})",
               **style.node_attrs("data") | wide)
    graph.edge("rescore", "rerank")
    graph.edge("rerank", "page")
    return graph
