"""The serving funnel: from a million listed events to the list, with the count and time budget of each stage.

A request at peak traffic passes through the geospatial and time filter, which keeps the events
near the user that start within the horizon and still have tickets; the light ranker scores all of
them and keeps a few hundred; their features are assembled and the LambdaMART ranker orders them;
the re-ranker applies host caps and exploration and returns the list, which the client renders.
Each stage carries its count and its share of the render budget, computed in
snippets/event_recommendation.py.
"""

import snippets.event_recommendation as chapter
from snippets.kit.display import count, ms, short


def _budget(stage_id: str) -> str:
    return ms(chapter.stage_budget(stage_id))


def draw(style):
    a = chapter.ASSUMPTIONS
    graph = style.digraph("serving_funnel", direction="TB")
    graph.attr("graph", nodesep="0.25", ranksep="0.3")
    wide = {"width": "5.8"}
    stage = style.node_attrs("online") | wide
    graph.node("req", f"{short(chapter.peak_lists_per_second())} lists per second at peak; "
                      f"network {_budget('network')}, user features {_budget('user_features')}",
               **style.node_attrs("data") | wide)
    graph.node("listed", f"{count(a.listed_events)} events listed", **style.node_attrs("neutral") | wide)
    graph.node("radius", f"Geospatial index: {count(chapter.events_in_radius())} in radius → "
                         f"{count(chapter.events_in_window())} in horizon, on sale   ({_budget('retrieval')})", **stage)
    graph.node("light", f"Light ranker scores {count(chapter.events_in_window())}, keeps "
                        f"{count(chapter.ranked_candidates())}   ({_budget('light_rank')})",
               **style.node_attrs("model") | wide)
    graph.node("feats", f"Features for {count(chapter.ranked_candidates())}: "
                        f"{count(chapter.feature_values_per_request())} user-event values   "
                        f"({_budget('event_features')})", **stage)
    graph.node("rank", f"LambdaMART orders {count(chapter.ranked_candidates())}   ({_budget('rank')})",
               **style.node_attrs("model") | wide)
    graph.node("rerank", f"Re-rank, then render {count(a.events_per_list)} events   "
                         f"({_budget('rerank')} + {_budget('render')}; headroom {_budget('headroom')})",
               **style.node_attrs("highlight") | wide)
    for src, dst in (("req", "listed"), ("listed", "radius"), ("radius", "light"), ("light", "feats"),
                     ("feats", "rank"), ("rank", "rerank")):
        graph.edge(src, dst)
    return graph
