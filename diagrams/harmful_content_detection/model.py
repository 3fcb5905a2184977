"""The model: an encoder per modality, a fusion layer, and one head per harm.

Text (the caption, comments' summary and text read from images by OCR), images and video
keyframes with the audio transcript each pass a pretrained encoder; author and context features
join them. A fusion layer (attention across the modality embeddings, early fusion) gives one post
embedding, which feeds six sigmoid heads, one per harm, trained together with a focal loss. The
post embedding is also stored for similarity search against known violations.
"""


def draw(style):
    graph = style.digraph("model", direction="TB")
    graph.attr("graph", nodesep="0.25", ranksep="0.45")
    with style.cluster(graph, "inputs", "Inputs of\none post", "data", title="left") as inputs:
        inputs.node("text", "Text: caption,\nOCR of images", **style.node_attrs("data"))
        inputs.node("image", "Images", **style.node_attrs("data"))
        inputs.node("video", "Video keyframes,\naudio transcript", **style.node_attrs("data"))
        inputs.node("context", "Author and\ncontext features", **style.node_attrs("data"))
    with style.cluster(graph, "encoders", "Pretrained\nencoders", "model", title="left") as encoders:
        encoders.node("text_enc", "Multilingual\ntext encoder", **style.node_attrs("model"))
        encoders.node("image_enc", "Image\nencoder", **style.node_attrs("model"))
        encoders.node("video_enc", "Frame encoder,\ntemporal pooling", **style.node_attrs("model"))
        encoders.node("context_enc", "Embeddings and\nnormalised numbers", **style.node_attrs("model"))
    graph.node("fusion", "Fusion:\nattention across\nmodalities", **style.node_attrs("model"))
    graph.node("post", "Post\nembedding", **style.node_attrs("highlight"))
    graph.node("heads", "Six sigmoid heads: spam, nudity, violence,\nhate, harassment, misinformation",
               **style.node_attrs("online"))
    for source, encoder in (("text", "text_enc"), ("image", "image_enc"), ("video", "video_enc"),
                            ("context", "context_enc")):
        graph.edge(source, encoder)
        graph.edge(encoder, "fusion")
    graph.edge("fusion", "post")
    graph.edge("post", "heads", "focal loss per head")
    return graph
