"""The video-processing pipeline: from an upload to its entries in both indexes, with the computed daily volume.

An upload's title, description and tags reach the fresh index within minutes. Its audio track goes
to speech recognition, whose transcript joins the inverted index; its frames are decoded at a fixed
sampling rate, embedded one by one by the video encoder, and pooled into one vector per segment for
the embedding index. The labels of each edge are the day's volumes and the accelerators each
offline step needs, computed in snippets/video_search.py.
"""

from snippets.kit.display import count, short
from snippets.video_search import (
    ASSUMPTIONS,
    asr_accelerators,
    frame_accelerators,
    frames_per_day,
    upload_hours_per_day,
)


def draw(style):
    a = ASSUMPTIONS
    graph = style.digraph("data_pipeline", direction="LR")
    graph.attr("graph", nodesep="0.3", ranksep="0.45")
    graph.node("upload", f"Uploads\n{short(upload_hours_per_day())} h/day", **style.node_attrs("data"))
    with style.cluster(graph, "text", "Text path", "offline", title="bottom-left") as text:
        text.node("meta", "Title, description,\ntags: tokenise", **style.node_attrs("offline"))
        text.node("asr", f"Speech to text\n{count(asr_accelerators())} accelerators", **style.node_attrs("offline"))
    with style.cluster(graph, "video", "Video path", "model", title="top-right") as video:
        video.node("decode", f"Decode, sample\n{short(a.frames_per_second)} frame/s", **style.node_attrs("offline"))
        video.node("embed", f"Embed frames\n{short(frames_per_day())}/day,\n{count(frame_accelerators())} accelerators",
                   **style.node_attrs("model"))
        video.node("pool", f"Mean-pool into\n{short(a.segments_per_video)} segment vectors", **style.node_attrs("model"))
    graph.node("fresh", "Fresh index\n(minutes)", **style.node_attrs("storage"))
    graph.node("inverted", "Inverted index\n(within a day)", **style.node_attrs("storage"))
    graph.node("ann", "Embedding index\n(within a day)", **style.node_attrs("storage"))
    graph.edge("upload", "meta")
    graph.edge("upload", "asr")
    graph.edge("upload", "decode")
    graph.edge("meta", "fresh")
    graph.edge("meta", "inverted")
    graph.edge("asr", "inverted")
    graph.edge("decode", "embed")
    graph.edge("embed", "pool")
    graph.edge("pool", "ann")
    return graph
