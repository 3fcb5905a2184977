"""The decision funnel: a day's posts split by the thresholds, with the computed volume of each band.

A day's new posts are scored within the upload budget. Per harm, posts above the removal threshold
are removed; posts in the review band go to people only if they are predicted to reach many views,
and are demoted otherwise; posts in the demotion band lose reach; the rest stay up. The volumes,
summed over the six harms, and the review demand against the workforce are computed from the
chapter's assumptions in snippets/harmful_content_detection.py.
"""

from snippets.kit.display import ms, percent, short
from snippets.harmful_content_detection import (
    ASSUMPTIONS,
    LATENCY,
    demoted_per_day,
    gated_reviews_per_day,
    model_reviews_per_day,
    removed_per_day,
    review_demand_per_day,
    review_utilisation,
    violating_posts_per_day,
)


def draw(style):
    a = ASSUMPTIONS
    graph = style.digraph("serving_funnel", direction="TB")
    graph.attr("graph", nodesep="0.3", ranksep="0.4")
    wide = {"width": "4.6"}
    graph.node("posts", f"New posts: {short(a.posts_per_day)} a day\n"
               f"({short(violating_posts_per_day())} violate a policy)", **style.node_attrs("data") | wide)
    graph.node("score", f"Match and score: first decision\nwithin {ms(LATENCY.target_ms)}",
               **style.node_attrs("model") | wide)
    graph.node("remove", f"Remove\n{short(removed_per_day())} a day\n"
               f"precision ≥ {percent(a.remove_precision)}", **style.node_attrs("highlight"))
    graph.node("band", f"Review band\n{short(model_reviews_per_day())} a day\n"
               f"precision ≥ {percent(a.review_precision)}", **style.node_attrs("online"))
    graph.node("demote", f"Demote\n{short(demoted_per_day())} a day\n"
               f"precision ≥ {percent(a.demote_precision)}", **style.node_attrs("offline"))
    graph.node("people", f"To reviewers (predicted\n≥ {short(a.reach_gate_views)} views): "
               f"{short(gated_reviews_per_day())} a day", **style.node_attrs("data"))
    graph.node("queue", f"Review demand {short(review_demand_per_day())} a day\n"
               f"= {percent(review_utilisation(), 0)} of {short(a.review_capacity_per_day)} capacity",
               **style.node_attrs("storage"))
    with graph.subgraph() as same:
        same.attr(rank="same")
        for node in ("remove", "band", "demote"):
            same.node(node)
    graph.edge("posts", "score")
    graph.edge("score", "remove")
    graph.edge("score", "band")
    graph.edge("score", "demote")
    graph.edge("band", "people")
    graph.edge("band", "demote", **style.edge_attrs(muted=True))
    graph.edge("people", "queue")
    return graph
