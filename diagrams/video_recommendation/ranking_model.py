"""The ranking model: shared experts, one gate per task, and a tower per engagement head.

Features of the user, the candidate video, the context and their crosses feed a set of shared
expert networks. Each task mixes the experts through its own softmax gate (a multi-gate
mixture of experts) and predicts one signal: click, watch time, like, and dismissal. A shallow tower
fed with position and device learns the position bias during training only. The serving score
combines the heads with tunable weights.
"""

TASKS = (
    ("click", "Click\nlog loss"),
    ("watch", "Watch time\nweighted LR"),
    ("like", "Like\nlog loss"),
    ("dismiss", "Dismiss\nlog loss"),
)


def draw(style):
    graph = style.digraph("ranking_model", direction="BT")
    graph.attr("graph", nodesep="0.22", ranksep="0.35", ordering="out")
    small = {"fontsize": "12"}
    with style.cluster(graph, "inputs", "Features of one candidate", "data") as inputs:
        for node_id, label in reversed((
            ("f_user", "User\nhistory"),
            ("f_video", "Video\nid, counters"),
            ("f_context", "Context\ntime, device"),
            ("f_cross", "Crosses\nuser × topic"),
            ("f_source", "Retrieval\nsource"),
        )):
            inputs.node(node_id, label, **style.node_attrs("neutral") | small)
    graph.node("embed", "Embeddings + normalised numbers", **style.node_attrs("neutral"))
    for node_id in ("f_user", "f_video", "f_context", "f_cross", "f_source"):
        graph.edge(node_id, "embed")
    with style.cluster(graph, "experts", "Shared experts", "model") as experts:
        for index in range(4, 0, -1):  # bottom-to-top graphs lay siblings out right to left
            experts.node(f"expert{index}", f"Expert {index}\nMLP", **style.node_attrs("neutral") | small)
    for index in range(1, 5):
        graph.edge("embed", f"expert{index}")
    graph.node("gates", "A softmax gate per task mixes the experts", **style.node_attrs("neutral"))
    for index in range(1, 5):
        graph.edge(f"expert{index}", "gates")
    with style.cluster(graph, "heads", "One tower per task", "model") as heads:
        for task, label in reversed(TASKS):
            heads.node(f"head_{task}", label, **style.node_attrs("model") | small)
    for task, _ in TASKS:
        graph.edge("gates", f"head_{task}")
    graph.node("bias", "Position bias\n(training only)", **style.node_attrs("offline") | small)
    graph.node(
        "combine",
        "Score = Σ weight × head",
        **style.node_attrs("highlight"),
    )
    for task, _ in TASKS:
        graph.edge(f"head_{task}", "combine")
    graph.edge("bias", "combine", **style.edge_attrs(muted=True))
    return graph
