"""The detector: a two-stage network with a feature pyramid, run on one tile at a time.

A 1024-pixel tile goes through a convolutional backbone; a feature pyramid adds top-down
connections so that every level, including the finest one that small plates and distant faces
need, carries strong features. At each pyramid level a region proposal network scores anchors of
several shapes (objectness) and regresses their offsets; the best proposals are pooled to a
fixed size (RoIAlign) and a second head classifies each as face, plate or background and
refines its box. NMS removes duplicates within the tile. Training minimises the two heads'
classification losses plus smooth-L1 box-regression losses on positive anchors and proposals.
"""


def draw(style):
    graph = style.digraph("model", direction="TB")
    graph.attr("graph", nodesep="0.25", ranksep="0.4")
    graph.node("tile", "Tile\n1024 x 1024 px", **style.node_attrs("data"))
    graph.node("backbone", "Backbone\n(ResNet-style)", **style.node_attrs("model"))
    graph.node("fpn", "Feature pyramid\nP2 (stride 4) ...\nP6 (stride 64)", **style.node_attrs("model"))
    graph.node("rpn", "Stage 1: proposals\nanchors per level,\nobjectness + offsets", **style.node_attrs("model"))
    graph.node("roi", "RoIAlign\n(top proposals)", **style.node_attrs("offline"))
    graph.node("head", "Stage 2: head\nface / plate / none\n+ box refinement", **style.node_attrs("model"))
    graph.node("nms", "NMS per class\n→ boxes, scores", **style.node_attrs("offline"))
    graph.node("loss", "Loss: cross-entropy\n+ smooth L1 (boxes),\nboth stages", **style.node_attrs("highlight"))
    for row in (("tile", "backbone", "fpn", "rpn"), ("roi", "head", "nms")):
        with graph.subgraph() as same:
            same.attr(rank="same")
            for node in row:
                same.node(node)
    graph.edge("tile", "backbone")
    graph.edge("backbone", "fpn")
    graph.edge("fpn", "rpn")
    graph.edge("rpn", "roi", **style.edge_attrs("proposals"))
    graph.edge("fpn", "roi", **style.edge_attrs(muted=True))
    graph.edge("roi", "head")
    graph.edge("head", "nms")
    graph.edge("rpn", "loss", **style.edge_attrs(muted=True))
    graph.edge("head", "loss", **style.edge_attrs(muted=True))
    return graph
