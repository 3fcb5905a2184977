"""The model: skip-gram with negative sampling, the booked listing as global context, and market negatives.

The centre listing's input vector is scored against output vectors by a dot product and a sigmoid.
Listings in the click window and, for booked sessions, the booked listing are pushed up (label 1);
random listings from the whole catalogue and random listings from the centre listing's own market
are pushed down (label 0). The loss is the sum of the binary log-losses. Only the input vectors are
kept; serving compares them by cosine similarity.
"""

from snippets.similar_listings import ASSUMPTIONS


def draw(style):
    a = ASSUMPTIONS
    graph = style.digraph("model", direction="TB")
    graph.attr("graph", nodesep="0.2", ranksep="0.4")
    graph.node("centre", "Centre listing l\n(one-hot id)", **style.node_attrs("data"))
    graph.node("vin", f"Input vector v_l\n({a.embedding_dim}-d, kept)", **style.node_attrs("model"))
    with style.cluster(graph, "contexts", "Output vectors v′", "storage",
                       title="top-left") as cluster:
        cluster.node("neg_m", f"{a.market_negatives} from l's\nmarket: label 0",
                     **style.node_attrs("highlight"))
        cluster.node("neg", f"{a.global_negatives} random,\nany market: label 0",
                     **style.node_attrs("neutral"))
        cluster.node("booked", "Booked listing\nl_b: label 1", **style.node_attrs("highlight"))
        cluster.node("ctx", f"Clicks within\n±{a.window}: label 1", **style.node_attrs("neutral"))
    graph.node("score", "σ(v′ · v_l)\nfor each context", **style.node_attrs("online"))
    graph.node("loss", "Sum of binary log-losses;\nSGD on v and v′", **style.node_attrs("offline"))
    graph.edge("centre", "vin")
    graph.edge("vin", "score")
    for node in ("ctx", "booked", "neg", "neg_m"):
        graph.edge(node, "score")
    graph.edge("score", "loss")
    return graph
