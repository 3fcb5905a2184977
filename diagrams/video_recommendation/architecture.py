"""End-to-end architecture: the online request path above, offline training and indexing below.

Online, the recommendation service fetches the user's features, asks candidate generation for
videos (the two-tower model queries the ANN index), has the ranking model score them and re-ranks
the result into a page. The client logs every impression and watch. Offline, streaming and batch jobs turn the event
log into features and training data, training produces new models, and the video tower embeds every
video to rebuild the ANN index. Storage in the middle is what the two halves share.
"""

from diagrams.onprem.analytics import Flink, Spark
from diagrams.onprem.client import Users
from diagrams.onprem.inmemory import Redis
from diagrams.onprem.mlops import Mlflow
from diagrams.onprem.queue import Kafka


def draw(style):
    # Three bands, top to bottom: the request path, the storage both halves share, and the offline
    # jobs. Each band is one rank; invisible edges stack the bands, and arrows between bands do not
    # move nodes (constraint=false).
    cross = {"constraint": "false"}
    stack = {"style": "invis"}
    with style.diagram(direction="TB") as figure:
        with style.group("Online: one homepage request", "online", row=True):
            users = Users("Viewers")
            service = style.box("Recommendation\nservice", "online")
            candidates = style.box("Candidate\ngeneration", "model")
            ranking = style.box("Ranking\nmodel", "model")
            rerank = style.box("Re-ranking\nand filters", "online")
        with style.group("Shared storage", "storage", row=True):
            events = Kafka("Event log")
            features = Redis("Feature store")
            index = style.box("ANN index\n(video vectors)", "storage")
            registry = Mlflow("Model registry")
        with style.group("Offline: training and indexing", "offline", row=True):
            stream = Flink("Streaming\nfeatures")
            batch = Spark("Batch features,\ntraining data")
            train = style.box("Train two-tower\nand ranker", "model")
            embed = style.box("Embed every\nvideo", "offline")
            build = style.box("Build the\nindex", "offline")

        users >> service >> candidates >> ranking >> rerank
        events >> style.edge(**stack) >> features >> style.edge(**stack) >> index
        index >> style.edge(**stack) >> registry
        stream >> style.edge(**stack) >> batch >> train >> embed >> build
        users >> style.edge(**stack) >> events >> style.edge(**stack) >> stream

        features >> style.edge("features", **cross) >> service
        index >> style.edge("nearest videos", **cross) >> candidates
        registry >> style.edge("new models", muted=True, **cross) >> ranking
        users >> style.edge("impressions, watches", muted=True, **cross) >> events
        events >> style.edge(**cross) >> stream
        events >> style.edge(**cross) >> batch
        stream >> style.edge(**cross) >> features
        batch >> style.edge(**cross) >> features
        train >> style.edge(**cross) >> registry
        build >> style.edge(**cross) >> index
    return figure
