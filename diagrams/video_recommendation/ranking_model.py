"""The ranking model: shared experts, one gate per task, a tower per head, and one weighted score.

Features of the user, the candidate video, the context and their crosses feed a set of shared
expert networks. Each task mixes the experts through its own softmax gate (a multi-gate mixture of
experts) and its tower predicts one signal: expected watch time, like, share, survey satisfaction,
and dislike or dismissal. The score that ranks candidates is the weighted sum of these predictions.
A shallow tower fed with position and device adds a position term to the watch-time head's logit
during training only; it is left out at serving.
"""

from snippets.video_recommendation import RANKING_HEADS

N_EXPERTS = 3  # drawn experts; the real number is a tuning choice


def _label(head) -> str:
    return head.name.replace(" or ", " or\n") + "\n" + head.loss


def draw(style):
    graph = style.digraph("ranking_model", direction="BT")
    graph.attr("graph", nodesep="0.22", ranksep="0.35", ordering="out")
    small = {"fontsize": "12"}
    # Arrows enter and leave these clusters' rows above and below, so their titles go beside the rows.
    with style.cluster(graph, "inputs", "Features of one candidate", "data", title="left") as inputs:
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
    with style.cluster(graph, "experts", "Shared experts", "model", title="left") as experts:
        for index in range(N_EXPERTS, 0, -1):  # bottom-to-top graphs lay siblings out right to left
            experts.node(f"expert{index}", f"Expert {index}\nMLP", **style.node_attrs("neutral") | small)
    for index in range(1, N_EXPERTS + 1):
        graph.edge("embed", f"expert{index}")
    graph.node("gates", "A softmax gate per task mixes the experts", **style.node_attrs("neutral"))
    for index in range(1, N_EXPERTS + 1):
        graph.edge(f"expert{index}", "gates")
    with style.cluster(graph, "heads", "One tower per task", "model", title="left") as heads:
        for head in reversed(RANKING_HEADS):
            heads.node(f"head_{head.id}", _label(head), **style.node_attrs("model") | small)
    for head in RANKING_HEADS:
        graph.edge("gates", f"head_{head.id}")
    graph.node("bias", "Shallow tower:\nposition, device", **style.node_attrs("offline") | small)
    graph.edge("bias", "head_watch", **style.edge_attrs("training only", muted=True))
    graph.node("combine", "Score V = Σ weight × head prediction", **style.node_attrs("highlight"))
    for head in RANKING_HEADS:
        graph.edge(f"head_{head.id}", "combine")
    return graph
