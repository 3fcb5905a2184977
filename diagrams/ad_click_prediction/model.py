"""The pCTR model: embeddings of sparse fields and dense features, a cross network and a deep network, then calibration.

Each sparse field (user id, ad id, advertiser, placement, interests and hashed crosses) is looked up
in its embedding table; dense features (historical CTRs of the user and the ad, counts, recency) are
normalised. The concatenated vector goes through a cross network, which builds explicit feature
crosses of rising degree, and a deep network in parallel; their outputs are combined into one logit.
A sigmoid gives the raw probability, which the downsampling correction and a small calibration layer
turn into the calibrated pCTR the auction multiplies by the bid. Training minimises weighted log loss.
"""

import snippets.ad_click_prediction as chapter
from snippets.kit.display import count, nbytes, short


def draw(style):
    a = chapter.ASSUMPTIONS
    graph = style.digraph("model", direction="TB")
    graph.attr("graph", nodesep="0.3", ranksep="0.35")
    with style.cluster(graph, "inputs", "Inputs", "data") as inputs:
        inputs.node("sparse", f"Sparse ids: user, ad, advertiser,\n{count(a.other_field_count)} more fields"
                              " (hashed)", **style.node_attrs("data"))
        inputs.node("dense", "Dense: historical CTRs,\ncounts, recency; position\n(training only)", **style.node_attrs("data"))
    graph.node("embed", f"Embedding tables\n{short(chapter.embedding_rows())} rows × {a.embedding_dim}"
                        f" = {nbytes(chapter.embedding_bytes())} fp32", **style.node_attrs("storage"))
    graph.node("concat", "Concatenate x₀", **style.node_attrs("neutral"))
    graph.node("cross", "Cross network\nxₗ₊₁ = x₀ ⊙ (Wₗ xₗ + bₗ) + xₗ", **style.node_attrs("model"))
    graph.node("deep", "Deep network\n(MLP, ReLU)", **style.node_attrs("model"))
    graph.node("logit", "Combine → logit → sigmoid", **style.node_attrs("model"))
    graph.node("calib", "Undo downsampling (w),\ncalibration layer", **style.node_attrs("offline"))
    graph.node("out", "Calibrated pCTR → auction (bid × pCTR)", **style.node_attrs("online"))
    graph.edge("sparse", "embed")
    graph.edge("embed", "concat")
    graph.edge("dense", "concat")
    graph.edge("concat", "cross")
    graph.edge("concat", "deep")
    graph.edge("cross", "logit")
    graph.edge("deep", "logit")
    graph.edge("logit", "calib")
    graph.edge("calib", "out")
    return graph
