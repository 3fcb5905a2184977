"""The serving funnel: candidates per request and the latency budget of each stage.

From a corpus of videos, several candidate sources run in parallel; their results are merged and
filtered, the ranking model scores every survivor, and re-ranking picks the page the client shows.
Each stage carries its candidate count and its share of the end-to-end latency budget, both
computed from the chapter's assumptions in snippets/video_recommendation.py.
"""

from snippets.display import count, ms, short
from snippets.video_recommendation import (
    ASSUMPTIONS,
    candidates_after_merge,
    candidates_from_sources,
    latency_budget_ms,
)


def _budget(stage_prefix: str) -> str:
    budget = dict(latency_budget_ms(ASSUMPTIONS.latency_target_ms, ASSUMPTIONS.latency_shares))
    matches = [value for stage, value in budget.items() if stage.startswith(stage_prefix)]
    if len(matches) != 1:
        raise KeyError(f"no single latency stage starts with {stage_prefix!r}: {sorted(budget)}")
    return ms(matches[0])


def draw(style):
    a = ASSUMPTIONS
    total = candidates_from_sources(a.candidate_sources)
    merged = candidates_after_merge(total, a.duplicate_or_filtered_fraction)

    graph = style.digraph("serving_funnel", direction="TB")
    graph.attr("graph", nodesep="0.2", ranksep="0.35", ordering="out")
    wide = {"width": "5.6"}  # every stage box spans the funnel's full width
    stage = style.node_attrs("online") | wide

    graph.node("corpus", f"Corpus: {short(a.corpus_videos)} videos", **style.node_attrs("storage") | wide)
    with style.cluster(graph, "sources", f"Candidate generation: sources in parallel, {_budget('Candidate generation')}", "online") as sources:
        for index, (name, n) in enumerate(a.candidate_sources):
            label = name.split(" (")[0].replace(" in the user's region and language", "")
            words = label.split()
            if len(words) > 2:  # two lines keep five sources side by side within the page width
                label = " ".join(words[:2]) + "\n" + " ".join(words[2:])
            sources.node(f"source{index}", f"{label}\n{count(n)}", **style.node_attrs("neutral") | {"fontsize": "12"})
            graph.edge("corpus", f"source{index}")
    graph.node("merge", f"Merge, de-duplicate, filter: {count(total)} → {count(merged)}   ({_budget('Merge')})", **stage)
    for index in range(len(a.candidate_sources)):
        graph.edge(f"source{index}", "merge")
    graph.node(
        "rank",
        f"Ranking model scores {count(merged)} candidates   ({_budget('Ranking feature')} features"
        f" + {_budget('Ranking model')} inference)",
        **style.node_attrs("model") | wide,
    )
    graph.node("rerank", f"Re-ranking: top {count(a.reranker_input)} → {count(a.items_returned)} for the page   ({_budget('Re-ranking')})", **stage)
    graph.node("shown", f"On screen: about {a.impressions_per_load:g} impressions per load", **style.node_attrs("data") | wide)
    graph.edge("merge", "rank")
    graph.edge("rank", "rerank")
    graph.edge("rerank", "shown")
    return graph
