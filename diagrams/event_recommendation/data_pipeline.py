"""The feature and label pipeline: streaming features in minutes, batch features and labels daily.

Four sources feed it: the app's impressions and clicks, the ticketing system's orders and refunds,
the catalogue's event publications and changes, and the social graph's follows. A streaming job
keeps the fast-moving features fresh (tickets sold in the last hour, friends who bought, host
follows) and updates the geospatial index. A daily batch job computes long-window features (host
sell-through, venue popularity, the user's price and time habits) and joins each shown list with
the purchases that arrived within the label wait, into graded training groups. Both write to the
feature store, whose online side serves requests and whose offline side gives point-in-time
snapshots to training. All counts are computed in snippets/event_recommendation.py.
"""

import snippets.event_recommendation as chapter
from snippets.kit.display import days, nbytes, short


def draw(style):
    a = chapter.ASSUMPTIONS
    graph = style.digraph("data_pipeline", direction="TB")
    graph.attr("graph", nodesep="0.3", ranksep="0.45")
    with style.cluster(graph, "sources", "Sources", "data") as src:
        src.node("imps", f"Impressions, clicks\n{short(chapter.impressions_per_day())} a day",
                 **style.node_attrs("data"))
        src.node("orders", f"Orders, refunds\n{short(chapter.purchases_per_day())} a day", **style.node_attrs("data"))
        src.node("catalogue", f"Catalogue\n{short(chapter.new_events_per_day())} new events a day",
                 **style.node_attrs("data"))
        src.node("graph", "Social graph:\nfriends, follows", **style.node_attrs("data"))
    with style.cluster(graph, "streaming", "Streaming: minutes", "online", title="bottom-left") as fast:
        fast.node("stream", "Momentum, friends going,\nhost follows; index updates", **style.node_attrs("online"))
    with style.cluster(graph, "batch", "Batch: daily", "offline", title="bottom-left") as slow:
        slow.node("batchf", "Host and venue quality,\nuser habits, affinities", **style.node_attrs("offline"))
        slow.node("labels", f"Label join after {days(a.label_wait_days)}:\ngraded groups 0 / 1 / 2 / 3",
                  **style.node_attrs("offline"))
    graph.node("store", "Feature store\nonline + point-in-time", **style.node_attrs("storage"))
    graph.node("rows", f"Training groups\n{short(chapter.training_rows_per_day())} rows a day\n"
                       f"{nbytes(chapter.training_bytes_per_day())}", **style.node_attrs("storage"))
    graph.edge("imps", "stream")
    graph.edge("orders", "stream")
    graph.edge("catalogue", "stream")
    graph.edge("graph", "stream")
    graph.edge("imps", "labels")
    graph.edge("orders", "labels")
    graph.edge("catalogue", "batchf")
    graph.edge("stream", "store")
    graph.edge("batchf", "store")
    graph.edge("labels", "rows")
    graph.edge("store", "rows", **style.edge_attrs("snapshots", muted=True))
    return graph
