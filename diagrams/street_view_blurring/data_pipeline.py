"""Training data: sampled frames become boxed tiles, and the model's own mistakes come back as labels.

Frames are sampled from the raw store, stratified by country, season, time of day and camera, and
split by capture drive before anyone labels them, so that no drive appears in both training and
evaluation. Annotators draw a box around every face and plate and tag attributes (apparent skin
tone and age band for faces, plate format, blur, occlusion); a second annotator checks a share of
the frames. The training split is tiled and augmented; the evaluation split becomes the held-out
set with enough objects in every subgroup to measure recall. The current model runs over
unlabelled frames: its confident false positives (hard negatives) and the faces and plates that
users reported as missed (hard positives) go back to annotation.
"""


def draw(style):
    graph = style.digraph("data_pipeline", direction="TB")
    graph.attr("graph", nodesep="0.3", ranksep="0.45")
    graph.node("raw", "Raw frames\n(originals)", **style.node_attrs("storage"))
    graph.node("sample", "Stratified sample\n(country, season,\nlight, camera)", **style.node_attrs("offline"))
    graph.node("split", "Split by\ncapture drive", **style.node_attrs("offline"))
    graph.node("annotate", "Draw boxes, tag\nattributes;\nsecond check", **style.node_attrs("data"))
    graph.node("train", "Training split:\ntile, augment", **style.node_attrs("offline"))
    graph.node("eval", "Evaluation set:\nrecall per subgroup", **style.node_attrs("highlight"))
    graph.node("model", "Detector\ntraining", **style.node_attrs("model"))
    graph.node("mine", "Hard negatives:\ncurrent model on\nunlabelled frames", **style.node_attrs("model"))
    graph.node("reports", "Hard positives:\nuser reports\nof misses", **style.node_attrs("online"))
    for row in (("raw", "sample", "split"), ("reports", "annotate", "mine"), ("eval", "train", "model")):
        with graph.subgraph() as same:
            same.attr(rank="same")
            for node in row:
                same.node(node)
    graph.edge("raw", "sample")
    graph.edge("sample", "split")
    graph.edge("split", "annotate")
    graph.edge("annotate", "train")
    graph.edge("annotate", "eval")
    graph.edge("train", "model")
    graph.edge("model", "mine", **style.edge_attrs(muted=True))
    graph.edge("mine", "annotate")
    graph.edge("reports", "annotate")
    return graph
