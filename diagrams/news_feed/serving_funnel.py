"""The ranking funnel of one feed load: posts per stage and each stage's share of the latency budget.

Four candidate sources run in parallel and return the inventory; hard filters remove seen, blocked
and violating posts; a light model scores the rest and keeps the best for the heavy multi-task
ranker; the contextual pass re-orders the top with freshness, diversity and integrity demotions and
returns the first page. Counts and milliseconds are computed in snippets/news_feed.py.
"""

from snippets.kit.display import count, ms, plain, short
from snippets.news_feed import (
    ASSUMPTIONS,
    CANDIDATE_SOURCES,
    candidates_from_sources,
    light_pass_input,
    peak_qps,
    stage_budget,
)


def _budget(stage_id: str) -> str:
    return ms(stage_budget(stage_id))


def draw(style):
    a = ASSUMPTIONS
    graph = style.digraph("serving_funnel", direction="TB")
    graph.attr("graph", nodesep="0.2", ranksep="0.35", ordering="out", compound="true")
    wide = {"width": "5.6"}
    stage = style.node_attrs("online") | wide
    graph.node("request", f"Feed load ({short(peak_qps())} per second at peak)", **style.node_attrs("data") | wide)
    with style.cluster(graph, "sources", f"Inventory, {_budget('inventory')}:\\lsources in parallel\\l",
                       "online") as sources:
        for source in reversed(CANDIDATE_SOURCES):
            sources.node(source.id, f"{source.name}\n{count(source.candidates)}",
                         **style.node_attrs("neutral") | {"fontsize": "12"})
    graph.edge("request", CANDIDATE_SOURCES[len(CANDIDATE_SOURCES) // 2].id, lhead="cluster_sources", minlen="2")
    graph.node("light", f"Filters, then light pass: {count(candidates_from_sources())} → {count(light_pass_input())}"
                        f" scored, keep {count(a.heavy_ranker_input)}   ({_budget('light')})",
               **style.node_attrs("model") | wide)
    for source in CANDIDATE_SOURCES:
        graph.edge(source.id, "light")
    graph.node("heavy", f"Multi-task ranker scores {count(a.heavy_ranker_input)}   "
                        f"({_budget('heavy_features')} features + {_budget('heavy')} inference)",
               **style.node_attrs("model") | wide)
    graph.node("contextual", f"Contextual pass: top {count(a.contextual_input)} → {count(a.posts_returned)}"
                             f"   ({_budget('contextual')})", **stage)
    graph.node("shown", f"First screen: about {plain(a.impressions_per_load)} posts seen per load",
               **style.node_attrs("data") | wide)
    graph.edge("light", "heavy")
    graph.edge("heavy", "contextual")
    graph.edge("contextual", "shown")
    return graph
