"""The session pipeline: from raw listing-page events to skip-gram training pairs, every day.

Listing-page views of signed-in users are grouped by user and ordered in time; a gap of more than
thirty minutes starts a new session; views shorter than thirty seconds are dropped as accidental;
sessions with fewer than two clicks are dropped and the user id is removed. Sessions that end in a
booking are marked and oversampled. The day's sessions join a sliding window of recent months, and
a sliding context window turns each session into (centre, context) pairs, to which the booked
listing and random and in-market negatives are added. The counts come from
snippets/similar_listings.py.
"""

from snippets.kit.display import plain, short
from snippets.similar_listings import (
    ASSUMPTIONS,
    booked_sessions_per_day,
    kept_views_per_day,
    positive_pairs_per_day,
    sessions_per_day,
)


def draw(style):
    a = ASSUMPTIONS
    graph = style.digraph("data_pipeline", direction="TB")
    graph.attr("graph", nodesep="0.3", ranksep="0.4")
    graph.node("events", f"Listing-page views\n{short(a.listing_views_per_day)} a day", **style.node_attrs("data"))
    with style.cluster(graph, "batch", "Batch: daily", "offline", title="top-right") as batch:
        batch.node("group", "Group by user,\norder in time", **style.node_attrs("offline"))
        batch.node("cut", f"Cut at gaps > {plain(a.session_gap_minutes)} min;\n"
                          f"drop dwell < {plain(a.min_dwell_seconds)} s\n→ {short(kept_views_per_day())} views",
                   **style.node_attrs("offline"))
        batch.node("keep", f"Keep ≥ {a.min_clicks_per_session} clicks, drop user id\n"
                           f"→ {short(sessions_per_day())} sessions", **style.node_attrs("offline"))
        batch.node("mark", f"Mark booked sessions\n({short(booked_sessions_per_day())}), "
                           f"oversample × {plain(a.booked_oversampling)}", **style.node_attrs("offline"))
    graph.node("window", f"Sliding window of\n{a.training_days} days of sessions", **style.node_attrs("storage"))
    graph.node("pairs", f"Window m = {a.window} → pairs\n+ booked listing as context\n"
                        f"→ {short(positive_pairs_per_day())} positive pairs a day", **style.node_attrs("model"))
    graph.edge("events", "group")
    graph.edge("group", "cut")
    graph.edge("cut", "keep")
    graph.edge("keep", "mark")
    graph.edge("mark", "window")
    graph.edge("window", "pairs")
    return graph
