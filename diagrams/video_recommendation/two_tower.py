"""The candidate-generation model: a user tower and a video tower meet in a dot product.

The user tower turns the user's watch and search history and context into a vector; the video tower
does the same for a video's id and content features. Training scores each user against the videos in
the same batch with a softmax corrected for how often each video is sampled. Serving runs the user
tower per request and looks up the nearest video vectors, precomputed offline, in an ANN index.
"""

from snippets.video_recommendation import ASSUMPTIONS

USER_INPUTS = (
    ("u_history", "Watch\nhistory"),
    ("u_search", "Search\nhistory"),
    ("u_context", "Device,\ntime, place"),
)
VIDEO_INPUTS = (
    ("v_id", "Video id\nembedding"),
    ("v_content", "Title,\ntopics"),
    ("v_fresh", "Age, early\nviews"),
)


def draw(style):
    dim = ASSUMPTIONS.embedding_dim
    graph = style.digraph("two_tower", direction="BT")
    graph.attr("graph", nodesep="0.25", ranksep="0.35")
    for tower, title, inputs in (("user", "User tower: per request", USER_INPUTS),
                                 ("video", "Video tower: offline", VIDEO_INPUTS)):
        # A tower's only arrow leaves from its top, so its title goes at the bottom.
        with style.cluster(graph, tower, title, "model", title="bottom-left") as cluster:
            for node_id, label in reversed(inputs):  # bottom-to-top graphs lay siblings out right to left
                cluster.node(node_id, label, **style.node_attrs("data") | {"fontsize": "12"})
            cluster.node(f"{tower}_concat", "Concatenate", **style.node_attrs("neutral"))
            cluster.node(f"{tower}_mlp", f"MLP 1024→512→{dim}", **style.node_attrs("neutral"))
            symbol = "u" if tower == "user" else "v"
            cluster.node(f"{tower}_out", f"{symbol}: {dim}-d, unit norm", **style.node_attrs("model"))
            for node_id, _ in inputs:
                cluster.edge(node_id, f"{tower}_concat")
            cluster.edge(f"{tower}_concat", f"{tower}_mlp")
            cluster.edge(f"{tower}_mlp", f"{tower}_out")
    graph.node("score", "Score s(u, v) = u · v / τ", **style.node_attrs("highlight"))
    graph.node(
        "loss",
        "Training: in-batch softmax\nwith logQ correction",
        **style.node_attrs("offline"),
    )
    graph.node("serve", "Serving: nearest v to u\nin the ANN index", **style.node_attrs("online"))
    graph.edge("user_out", "score")
    graph.edge("video_out", "score")
    graph.edge("score", "loss")
    graph.edge("score", "serve")
    return graph
