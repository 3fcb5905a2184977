"""The serving funnel: candidates per request and the latency budget of each stage.

From a corpus of videos, several candidate sources run in parallel; their results are merged and
filtered, the ranking model scores every survivor, and re-ranking picks the page the client shows.
Each stage carries its candidate count and its share of the end-to-end latency budget, both
computed from the chapter's assumptions in snippets/video_recommendation.py.
"""

from snippets.kit.display import count, ms, plain, short
from snippets.video_recommendation import (
    ASSUMPTIONS,
    CANDIDATE_SOURCES,
    candidates_from_sources,
    candidates_ranked,
    stage_budget,
)


def _budget(stage_id: str) -> str:
    return ms(stage_budget(stage_id))


def _two_lines(name: str) -> str:
    """Long source names on two lines keep five sources side by side within the page width."""
    words = name.split()
    return " ".join(words[:1]) + "\n" + " ".join(words[1:]) if len(words) > 1 else name


def draw(style):
    a = ASSUMPTIONS
    graph = style.digraph("serving_funnel", direction="TB")
    # One arrow from the corpus into the stage (compound: it ends on the cluster's border), centred,
    # so it never crosses the stage's title, which sits top left; five arrows leave below.
    graph.attr("graph", nodesep="0.2", ranksep="0.35", ordering="out", compound="true")
    wide = {"width": "5.6"}  # every stage box spans the funnel's full width
    stage = style.node_attrs("online") | wide

    graph.node("corpus", f"Corpus: {short(a.corpus_videos)} videos", **style.node_attrs("storage") | wide)
    with style.cluster(graph, "sources", f"Candidate generation, {_budget('candidates')}:\\lsources in parallel\\l",
                       "online") as sources:
        for source in reversed(CANDIDATE_SOURCES):  # siblings are laid out right to left
            sources.node(source.id, f"{_two_lines(source.name)}\n{count(source.candidates)}",
                         **style.node_attrs("neutral") | {"fontsize": "12"})
    graph.edge("corpus", CANDIDATE_SOURCES[len(CANDIDATE_SOURCES) // 2].id, lhead="cluster_sources", minlen="2")
    graph.node("merge", f"Merge, de-duplicate, filter: {count(candidates_from_sources())} → "
                        f"{count(candidates_ranked())}   ({_budget('merge')})", **stage)
    for source in CANDIDATE_SOURCES:
        graph.edge(source.id, "merge")
    graph.node(
        "rank",
        f"Ranking model scores {count(candidates_ranked())} candidates   ({_budget('ranking_features')} features"
        f" + {_budget('ranking')} inference)",
        **style.node_attrs("model") | wide,
    )
    graph.node("rerank", f"Re-ranking: top {count(a.reranker_input)} → {count(a.items_returned)} for the page"
                         f"   ({_budget('rerank')})", **stage)
    graph.node("shown", f"On screen: about {plain(a.impressions_per_load)} impressions per load",
               **style.node_attrs("data") | wide)
    graph.edge("merge", "rank")
    graph.edge("rank", "rerank")
    graph.edge("rerank", "shown")
    return graph
