"""The training-data pipeline: impressions wait for their clicks, negatives are downsampled, weights follow.

Every served impression is logged with the request's features and the ad's position. A streaming
joiner holds it for the click window and emits it labelled: clicked impressions are all kept,
unclicked ones are kept with probability w and carry the weight 1 / w, so the model can be
recalibrated. Clicks that arrive after the window are sent as late corrections; conversions, which
can take weeks, go to a separate delayed-feedback model. The labelled rows feed the hourly
incremental update and land in the data lake for the weekly full retrain.
"""

import snippets.ad_click_prediction as chapter
from snippets.kit.display import minutes, nbytes, percent, short


def draw(style):
    a = chapter.ASSUMPTIONS
    graph = style.digraph("data_pipeline", direction="TB")
    graph.attr("graph", nodesep="0.4", ranksep="0.35")
    graph.node("impressions", f"Impressions\n{short(chapter.auctions_per_day())} a day\n(features, position)",
               **style.node_attrs("data"))
    graph.node("clicks", f"Clicks\n{short(chapter.clicks_per_day())} a day", **style.node_attrs("data"))
    graph.node("joiner", f"Click joiner\nwaits {minutes(a.click_join_window_minutes)}\n"
                         f"buffer {nbytes(chapter.joiner_buffer_bytes())}", **style.node_attrs("online"))
    graph.node("sample", f"Keep every click;\nkeep unclicked with\nw = {percent(a.negative_keep_rate)}, weight 1/w",
               **style.node_attrs("offline"))
    graph.node("late", "Late clicks:\ncorrections", **style.node_attrs("neutral"))
    graph.node("rows", f"Training rows\n{short(chapter.training_rows_per_day())} a day",
               **style.node_attrs("storage"))
    graph.node("update", "Hourly\nincremental update", **style.node_attrs("model"))
    graph.node("lake", f"Data lake\n{nbytes(chapter.training_bytes_per_day())} a day", **style.node_attrs("storage"))
    graph.node("retrain", "Weekly\nfull retrain", **style.node_attrs("model"))
    graph.edge("impressions", "joiner")
    graph.edge("clicks", "joiner")
    graph.edge("joiner", "sample", **style.edge_attrs("labelled"))
    graph.edge("joiner", "late", **style.edge_attrs(muted=True))
    graph.edge("sample", "rows")
    graph.edge("rows", "update")
    graph.edge("rows", "lake")
    graph.edge("lake", "retrain")
    return graph
