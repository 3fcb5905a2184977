"""The embedding model and its contrastive objective: one encoder, two views, a softmax over the batch.

A query crop and its positive (the saved result, or a second view of the same image) pass through
the same encoder and projection head, which end in unit-length vectors. Each query is scored
against every item in the batch; the loss is a softmax cross-entropy whose correct answer is the
query's own positive (InfoNCE), so all other items act as negatives. At serving, the projection's
output is the vector the index stores, after quantisation to PQ or binary codes.
"""

from snippets.visual_search import ASSUMPTIONS


def draw(style):
    dim = ASSUMPTIONS.embedding_dim
    graph = style.digraph("model", direction="BT")
    graph.attr("graph", nodesep="0.3", ranksep="0.35")
    for side, title, label in (("query", "Query side", "Query crop\n(box or tap)"),
                               ("item", "Item side: offline", "Positive item\n(saved result)")):
        with style.cluster(graph, side, title, "model", title="bottom-left") as cluster:
            cluster.node(f"{side}_in", label, **style.node_attrs("data"))
            cluster.node(f"{side}_enc", "Image encoder\n(shared weights)", **style.node_attrs("neutral"))
            cluster.node(f"{side}_proj", "Projection head", **style.node_attrs("neutral"))
            cluster.node(f"{side}_out", f"{dim}-d, unit norm", **style.node_attrs("model"))
            cluster.edge(f"{side}_in", f"{side}_enc")
            cluster.edge(f"{side}_enc", f"{side}_proj")
            cluster.edge(f"{side}_proj", f"{side}_out")
    graph.node("sim", "Similarities q · k / τ\nagainst every item in the batch", **style.node_attrs("highlight"))
    graph.node("loss", "InfoNCE: softmax cross-entropy,\nown positive is the answer", **style.node_attrs("offline"))
    graph.node("codes", "Serving: quantise to\nPQ or binary codes", **style.node_attrs("online"))
    graph.edge("query_out", "sim")
    graph.edge("item_out", "sim")
    graph.edge("sim", "loss")
    graph.edge("item_out", "codes")
    return graph
