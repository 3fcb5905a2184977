"""The ranking model: gradient-boosted trees on pair features, and the GraphSAGE alternative.

The chosen ranker sees one (member, candidate) pair at a time. Graph features (common connections,
Jaccard, Adamic-Adar, the candidate's source), attribute features (shared company or school, their
overlapping dates, location) and activity features (recency of both members' connections,
invitations pending) go into a few hundred gradient-boosted trees, which output the probability that
an invitation would be sent and accepted. The alternative, drawn beside it, is a GraphSAGE encoder:
each member's embedding aggregates a sample of their connections and of their connections'
connections, and the score is the dot product of the two members' embeddings.
"""


def draw(style):
    graph = style.digraph("model", direction="BT")
    graph.attr("graph", nodesep="0.22", ranksep="0.35")
    small = {"fontsize": "12"}
    with style.cluster(graph, "gbdt", "Chosen: trees on pair features", "model", title="bottom-left") as gbdt:
        for node_id, label in reversed((
            ("f_graph", "Graph\ncommon, AA"),
            ("f_attr", "Attributes\ncompany, school"),
            ("f_act", "Activity\nrecency"),
            ("f_src", "Source\nof candidate"),
        )):
            gbdt.node(node_id, label, **style.node_attrs("data") | small)
        gbdt.node("trees", "Gradient-boosted trees\n(a few hundred)", **style.node_attrs("model"))
        gbdt.node("p", "P(invite sent and accepted)", **style.node_attrs("highlight"))
    for node_id in ("f_graph", "f_attr", "f_act", "f_src"):
        graph.edge(node_id, "trees")
    graph.edge("trees", "p")
    with style.cluster(graph, "sage", "Alternative: GraphSAGE encoder", "offline", title="bottom-left") as sage:
        sage.node("hop2", "Sampled connections\nof connections", **style.node_attrs("neutral") | small)
        sage.node("hop1", "Sampled connections\n(of each member)", **style.node_attrs("neutral") | small)
        sage.node("emb_u", "Member\nembedding", **style.node_attrs("model") | small)
        sage.node("emb_v", "Candidate\nembedding", **style.node_attrs("model") | small)
        sage.node("dot", "Dot product", **style.node_attrs("highlight"))
    graph.edge("hop2", "hop1", **style.edge_attrs("aggregate"))
    graph.edge("hop1", "emb_u", **style.edge_attrs("aggregate"))
    graph.edge("hop1", "emb_v")
    graph.edge("emb_u", "dot")
    graph.edge("emb_v", "dot")
    return graph
