"""The central idea: one booked session becomes context windows and training pairs.

A session is the ordered list of listings one guest clicked, ending with the one they booked. A
window slides along it; each listing in turn is the centre, and the listings within the window on
either side become its positive contexts. The booked listing is added as a context of every click,
inside the window or not, so early clicks learn to point at what was finally booked. The pair
counts are computed in snippets/similar_listings.py.
"""

from snippets.kit.display import count
from snippets.similar_listings import (
    EXAMPLE_BOOKED,
    EXAMPLE_CLICKS,
    EXAMPLE_WINDOW,
    example_booked_pairs,
    example_window_pairs,
)

CENTRE = "B"


def draw(style):
    graph = style.digraph("central_idea", direction="TB")
    graph.attr("graph", nodesep="0.2", ranksep="0.35")
    sequence = list(EXAMPLE_CLICKS) + [EXAMPLE_BOOKED]
    centre = sequence.index(CENTRE)
    inside = {sequence[j] for j in range(max(0, centre - EXAMPLE_WINDOW),
                                         min(len(sequence), centre + EXAMPLE_WINDOW + 1))} - {CENTRE}
    with style.cluster(graph, "session", f"One session; window m = {EXAMPLE_WINDOW} around centre {CENTRE}",
                       "data", title="top-left") as cluster:
        for listing in reversed(sequence):  # this layout places siblings right to left
            if listing == CENTRE:
                role = "model"
            elif listing == EXAMPLE_BOOKED:
                role = "highlight"
            elif listing in inside:
                role = "online"
            else:
                role = "neutral"
            label = f"{listing}\n(booked)" if listing == EXAMPLE_BOOKED else listing
            cluster.node(listing, label, **style.node_attrs(role))
        for left, right in zip(sequence, sequence[1:]):
            cluster.edge(left, right, **style.edge_attrs(muted=True) | {"constraint": "false"})
    pairs = ", ".join(f"({CENTRE}, {c})" for c in sorted(inside))
    graph.node("pairs", f"Window pairs for {CENTRE}:\n{pairs}\n+ global context ({CENTRE}, {EXAMPLE_BOOKED})",
               **style.node_attrs("offline"))
    graph.node("total", f"Whole session:\n{count(example_window_pairs())} window pairs\n"
                        f"+ {count(example_booked_pairs())} booked-context pairs", **style.node_attrs("model"))
    graph.edge(CENTRE, "pairs")
    graph.edge("pairs", "total")
    return graph
