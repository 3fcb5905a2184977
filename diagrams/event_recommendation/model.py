"""The ranking model: a light ranker cuts the candidates, LambdaMART orders the survivors, rules finish the list.

The light ranker, a logistic regression on a dozen cached features, scores every event that passed
the location and time filter and keeps a few hundred. The full ranker assembles about a hundred
features per candidate from four groups (the user, the event and its durable parents, the pair, and
the request context), and a LambdaMART ensemble of boosted trees sums its trees' outputs into one
score per event. It was trained on graded lists with lambda gradients: the pairwise log-loss
gradient times the change in nDCG of swapping the pair. A re-ranker then applies the rules the
model should not learn. Sizes are computed in snippets/event_recommendation.py.
"""

import snippets.event_recommendation as chapter
from snippets.kit.display import count


def draw(style):
    a = chapter.ASSUMPTIONS
    graph = style.digraph("model", direction="TB")
    graph.attr("graph", nodesep="0.25", ranksep="0.35", ordering="out")
    wide = {"width": "5.4"}
    graph.node("cands", f"{count(chapter.events_in_window())} candidates near the user, in the horizon",
               **style.node_attrs("data") | wide)
    graph.node("light", f"Light ranker: logistic regression, 12 cached features → keep "
                        f"{count(chapter.ranked_candidates())}", **style.node_attrs("model") | wide)
    features = (("fu", "User: habits,\nprice history"), ("fe", "Event, host,\nvenue, category"),
                ("fp", "Pair: distance,\nfriends going"), ("fc", "Context: time\nuntil, weekday"))
    with style.cluster(graph, "features", "Features per\\lcandidate\\l", "data", title="left") as feats:
        for node, label in reversed(features):  # dot lays this row out right to left
            feats.node(node, label, **style.node_attrs("neutral"))
    graph.node("vector", "One vector of about 100 values per candidate", **style.node_attrs("data") | wide)
    trees = (("t1", "tree 1"), ("t2", "tree 2"), ("tdots", "…"), ("tn", f"tree {count(a.trees)}"))
    with style.cluster(graph, "trees", f"LambdaMART:\\l{count(a.trees)} trees,\\ldepth {count(a.tree_depth)}\\l",
                       "model", title="left") as ensemble:
        for node, label in reversed(trees):
            ensemble.node(node, label, **style.node_attrs("neutral" if node == "tdots" else "model"))
    graph.node("score", "Score = sum of leaf values; trained with lambdas", **style.node_attrs("model") | wide)
    graph.node("rerank", f"Re-rank: host caps, exploration → {count(a.events_per_list)} shown",
               **style.node_attrs("highlight") | wide)
    graph.edge("cands", "light")
    for node, _ in features:
        graph.edge("light", node)
        graph.edge(node, "vector")
    for node, _ in trees:
        graph.edge("vector", node)
    for node, _ in trees:
        graph.edge(node, "score")
    graph.edge("score", "rerank")
    return graph
