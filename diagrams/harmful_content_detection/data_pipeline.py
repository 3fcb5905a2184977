"""Labels: where they come from, how they are cleaned, and how the training set is balanced.

Three streams produce labels: reviewer decisions on posts the model queued, user reports (a
reviewer confirms each), and appeals, whose outcome corrects a removal. Every label records the
harm, the reviewer and the policy version in force. Labels pass agreement checks (a share is
labelled twice, disagreements adjudicated) and are relabelled when a policy changes. A random
sample of views, labelled the same way, is kept apart for evaluation and the prevalence audit. The
training set keeps every positive and a sample of negatives per harm, weighted back to the true
rates.
"""


def draw(style):
    graph = style.digraph("data_pipeline", direction="TB")
    graph.attr("graph", nodesep="0.3", ranksep="0.45")
    graph.node("queue", "Reviewer decisions\non queued posts", **style.node_attrs("online"))
    graph.node("reports", "User reports,\nconfirmed by\na reviewer", **style.node_attrs("online"))
    graph.node("appeals", "Appeals:\nremoval upheld\nor overturned", **style.node_attrs("online"))
    graph.node("store", "Label store:\nharm, reviewer,\npolicy version", **style.node_attrs("storage"))
    graph.node("agree", "Double-label a share;\ndrop or adjudicate\ndisagreements", **style.node_attrs("data"))
    graph.node("relabel", "Policy change:\nrelabel affected\nexamples", **style.node_attrs("data"))
    graph.node("audit", "Random sample of\nviews: evaluation\nand audit only", **style.node_attrs("highlight"))
    graph.node("balance", "Per harm: all positives,\nsampled negatives,\nweights back to rates", **style.node_attrs("offline"))
    graph.node("train", "Multi-label\ntraining set", **style.node_attrs("model"))
    for row in (("queue", "reports", "appeals"), ("store", "agree", "relabel"), ("audit", "balance", "train")):
        with graph.subgraph() as same:
            same.attr(rank="same")
            for node in row:
                same.node(node)
    graph.edge("queue", "store")
    graph.edge("reports", "store")
    graph.edge("appeals", "store")
    graph.edge("store", "agree")
    graph.edge("agree", "relabel")
    graph.edge("relabel", "balance")
    graph.edge("store", "audit", **style.edge_attrs(muted=True))
    graph.edge("balance", "train")
    return graph
