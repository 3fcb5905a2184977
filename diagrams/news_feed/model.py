"""The heavy ranker: shared experts, a gate per head, one calibrated tower per event, one value.

Features of the user, the post, the author and the context feed shared expert networks. Each head
mixes the experts through its own softmax gate (a multi-gate mixture of experts) and its tower
predicts one event: like, comment, share, dwell, the "worth your time" survey answer, hide and
report. Each head's output goes through its own calibrator before the value function adds the heads
up with the product's weights.
"""

from snippets.news_feed import HEADS

N_EXPERTS = 3


def draw(style):
    graph = style.digraph("model", direction="BT")
    graph.attr("graph", nodesep="0.18", ranksep="0.32", ordering="out")
    small = {"fontsize": "12"}
    with style.cluster(graph, "inputs", "Features of one (user, post) pair", "data", title="left") as inputs:
        for node_id, label in reversed((
            ("f_user", "User\nhistory"),
            ("f_post", "Post\ntype, text"),
            ("f_author", "Author\naffinity"),
            ("f_counts", "Post\ncounters"),
            ("f_context", "Context\ntime, device"),
        )):
            inputs.node(node_id, label, **style.node_attrs("neutral") | small)
    graph.node("embed", "Embeddings + normalised numbers", **style.node_attrs("neutral"))
    for node_id in ("f_user", "f_post", "f_author", "f_counts", "f_context"):
        graph.edge(node_id, "embed")
    with style.cluster(graph, "experts", "Shared experts", "model", title="left") as experts:
        for index in range(N_EXPERTS, 0, -1):
            experts.node(f"expert{index}", f"Expert {index}\nMLP", **style.node_attrs("neutral") | small)
    for index in range(1, N_EXPERTS + 1):
        graph.edge("embed", f"expert{index}")
    graph.node("gates", "One softmax gate per head mixes the experts", **style.node_attrs("neutral"))
    for index in range(1, N_EXPERTS + 1):
        graph.edge(f"expert{index}", "gates")
    with style.cluster(graph, "heads", "Towers, each with its calibrator", "model", title="left") as heads:
        for head in reversed(HEADS):
            heads.node(f"head_{head.id}", head.name.replace(" your ", "\nyour "), **style.node_attrs("model") | small)
    for head in HEADS:
        graph.edge("gates", f"head_{head.id}")
    graph.node("value", "Value V = Σ weight × calibrated p", **style.node_attrs("highlight"))
    for head in HEADS:
        graph.edge(f"head_{head.id}", "value")
    return graph
