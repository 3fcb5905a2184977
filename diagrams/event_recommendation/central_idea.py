"""Three ways to score one list: pointwise judges each event alone, pairwise each pair, listwise the whole order.

One user's list of four events, in the model's order, with what the user did: the event bought
(label 3) sits third. The pointwise loss asks of each event separately whether it was bought. The
pairwise loss (RankNet) looks at the five pairs in which one event should beat another. The
listwise view (LambdaRank, LambdaMART) weights each pair by how much nDCG would change if the two
swapped, so the pair that would lift the purchase from third to first gets by far the largest
push. All numbers are computed in snippets/event_recommendation.py.
"""

import snippets.event_recommendation as chapter
from snippets.kit.display import fixed


def draw(style):
    graph = style.digraph("central_idea", direction="LR")
    graph.attr("graph", nodesep="0.3", ranksep="0.7", compound="true")
    grade = {3: "bought", 1: "clicked", 0: "ignored"}
    with style.cluster(graph, "list", "The list, in the model's order\\l", "data") as lst:
        with lst.subgraph() as column:
            column.attr(rank="same")
            for n, (name, label, score) in enumerate(chapter.LOSS_LIST):
                role = "highlight" if label == 3 else "neutral"
                column.node(f"e{n}", f"{n + 1}. {name}\nscore {fixed(score, 1)}, {grade[label]} ({label})",
                            **style.node_attrs(role) | {"width": "2.6"})
    rows = sorted(chapter.example_lambdas(), key=lambda r: -r[4])
    with graph.subgraph() as losses:
        losses.attr(rank="same")
        losses.node("p", f"Pointwise: each event alone,\nwas it bought? Log loss {fixed(chapter.example_loss('pointwise'), 3)};\n"
                         "every row weighs the same", **style.node_attrs("offline") | {"width": "3.4"})
        losses.node("q", f"Pairwise (RankNet): the {chapter.example_pairs()} pairs\nthat should be ordered; loss "
                         f"{fixed(chapter.example_loss('pairwise'), 3)};\nevery pair weighs the same",
                    **style.node_attrs("online") | {"width": "3.4"})
        losses.node("l", f"Listwise (LambdaRank): pair weight\n= pull × |Δ nDCG|; {rows[0][0]} over\n"
                         f"{rows[0][1]}: λ = {fixed(rows[0][4], 3)}, next {fixed(rows[1][4], 3)}",
                    **style.node_attrs("model") | {"width": "3.4"})
    for n, target in ((0, "p"), (1, "q"), (2, "l")):
        graph.edge(f"e{n}", target, ltail="cluster_list", **style.edge_attrs(muted=True))
    return graph
