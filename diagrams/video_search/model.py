"""The dual encoder: a text tower and a video tower trained so that a query lands near the videos it describes.

The text tower turns a query (or a title) into a unit vector. The video tower embeds each sampled
frame with an image encoder, averages the frame vectors over a segment (mean pooling, no parameters)
and projects the result to the same width. Each query in a batch is scored against every video in
the batch; a softmax cross-entropy whose answer is the query's own watched video (InfoNCE) pushes
the pair together and the other videos away. Served, the video side runs offline and fills the
index; only the text tower runs per request.
"""

from snippets.video_search import ASSUMPTIONS


def draw(style):
    dim = ASSUMPTIONS.embedding_dim
    graph = style.digraph("model", direction="BT")
    graph.attr("graph", nodesep="0.3", ranksep="0.35")
    with style.cluster(graph, "text", "Text tower: online", "online", title="bottom-left") as text:
        text.node("query", "Query text\n\"dog learns to skateboard\"", **style.node_attrs("data"))
        text.node("tenc", "Text transformer", **style.node_attrs("neutral"))
        text.node("tout", f"{dim}-d, unit norm", **style.node_attrs("model"))
        text.edge("query", "tenc")
        text.edge("tenc", "tout")
    with style.cluster(graph, "video", "Video tower: offline", "offline", title="bottom-left") as video:
        video.node("frames", "Sampled frames\nof one segment", **style.node_attrs("data"))
        video.node("venc", "Image encoder,\nper frame", **style.node_attrs("neutral"))
        video.node("vpool", "Mean pooling\nover frames", **style.node_attrs("neutral"))
        video.node("vout", f"{dim}-d, unit norm", **style.node_attrs("model"))
        video.edge("frames", "venc")
        video.edge("venc", "vpool")
        video.edge("vpool", "vout")
    graph.node("sim", "Similarities q · v / τ\nagainst every video in the batch", **style.node_attrs("highlight"))
    graph.node("loss", "InfoNCE: the watched video\nis the right answer", **style.node_attrs("offline"))
    graph.edge("tout", "sim")
    graph.edge("vout", "sim")
    graph.edge("sim", "loss")
    return graph
