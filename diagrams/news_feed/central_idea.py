"""The same five posts, three value functions, three feeds.

Each column ranks one user's five candidate posts by the value V = Σ weight × calibrated prediction,
with the same head predictions and different weights: engagement (likes and dwell), interactions
(comments and shares) and the chosen weights (interactions people say were worth their time, with
heavy penalties for hides and reports). Lines follow two posts from column to column: the outrage
video leads under engagement and falls to the bottom half under the chosen weights, while the
friend's photo rises to the top. Values are computed in snippets/news_feed.py.
"""

from snippets.kit.display import fixed
from snippets.news_feed import EXAMPLE_POSTS, WEIGHTINGS, example_value, ranking_under

NAMES = {pid: name for pid, name, _ in EXAMPLE_POSTS}
WATCHED = ("outrage", "baby")  # the two posts whose lines are highlighted


def draw(style):
    graph = style.digraph("central_idea", direction="TB")
    graph.attr("graph", nodesep="0.45", ranksep="0.15", newrank="true")
    small = {"fontsize": "12"}
    for column, (wid, name, _, _) in enumerate(WEIGHTINGS):
        with style.cluster(graph, wid, f"{name} weights", "online") as cluster:
            for rank, pid in enumerate(ranking_under(wid), start=1):
                role = "highlight" if pid in WATCHED else "neutral"
                cluster.node(f"{wid}_{pid}", f"#{rank} {NAMES[pid]}\nV = {fixed(example_value(pid, wid), 2)}",
                             **style.node_attrs(role) | small)
            order = ranking_under(wid)
            for upper, lower in zip(order, order[1:]):
                cluster.edge(f"{wid}_{upper}", f"{wid}_{lower}", style="invis")
    for (left, *_), (right, *_) in zip(WEIGHTINGS, WEIGHTINGS[1:]):
        for pid in WATCHED:  # only two posts' lines: all of them would tangle
            graph.edge(f"{left}_{pid}", f"{right}_{pid}", **style.edge_attrs(), constraint="false")
    # Keep each column top to bottom in rank order by aligning ranks across columns.
    for rank in range(len(NAMES)):
        with graph.subgraph() as same:
            same.attr(rank="same")
            for wid, *_ in WEIGHTINGS:
                same.node(f"{wid}_{ranking_under(wid)[rank]}")
    return graph
