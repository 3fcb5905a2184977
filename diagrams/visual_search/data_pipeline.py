"""The training-pair pipeline: three sources of positive pairs, one batch of contrastive training.

Engagement logs give (query crop, result saved or clicked) pairs within hours; human raters label a
smaller set of (query, result) pairs as exact product, similar or unrelated, part of which is held
out as the evaluation set; augmentation makes a positive pair out of two random views of one image
with no label at all. Pairs are cleaned (near-duplicates dropped, split by near-duplicate group)
before they meet in a training batch, where every other item in the batch is a negative and a set
mined with the last model adds hard negatives.
"""


def draw(style):
    graph = style.digraph("data_pipeline", direction="TB")
    graph.attr("graph", nodesep="0.3", ranksep="0.45")
    with style.cluster(graph, "sources", "Sources of positive pairs", "data", title="top-left") as sources:
        sources.node("log", "Engagement log:\nsaved or clicked\nafter a search", **style.node_attrs("data"))
        sources.node("raters", "Human raters:\nexact / similar /\nunrelated", **style.node_attrs("data"))
        sources.node("images", "Unlabelled images:\ntwo random views", **style.node_attrs("data"))
    with style.cluster(graph, "batch", "Batch: daily", "offline", title="bottom-right") as batch:
        batch.node("clean", "Clean: drop\nnear-duplicates,\nsplit by group", **style.node_attrs("offline"))
        batch.node("mine", "Mine hard\nnegatives with\nthe last model", **style.node_attrs("offline"))
        batch.node("train", "Training batch:\npositives + in-batch\nnegatives", **style.node_attrs("model"))
    graph.node("eval", "Held-out judged\npairs: evaluation", **style.node_attrs("storage"))
    graph.edge("log", "clean")
    graph.edge("raters", "clean")
    graph.edge("raters", "eval", **style.edge_attrs("held out", muted=True))
    graph.edge("images", "train", **style.edge_attrs("augment"))
    graph.edge("clean", "mine")
    graph.edge("mine", "train")
    return graph
