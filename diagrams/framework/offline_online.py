"""Offline and online halves of a typical ML system, and what crosses between them.

The online half answers one request at a time under a latency budget: fetch features, retrieve
candidates from an index, rank them, respond, and log what was shown. The offline half runs on a
schedule with no user waiting: it turns logs into features and training data, trains and validates
models, and rebuilds the index. Only artefacts cross between them, through shared storage: features,
model versions, the index, and the event log.
"""

from diagrams.onprem.analytics import Spark
from diagrams.onprem.client import Users
from diagrams.onprem.inmemory import Redis
from diagrams.onprem.mlops import Mlflow
from diagrams.onprem.queue import Kafka


def draw(style):
    # Three bands, as in every architecture figure of the book: the request path on top, shared
    # storage in the middle, offline jobs below. Each band is one rank; invisible edges stack the
    # bands, and arrows between bands do not move nodes.
    cross = {"constraint": "false"}
    stack = {"style": "invis"}
    with style.diagram(direction="TB") as figure:
        with style.group("Online: per request, milliseconds", "online", row=True):
            users = Users("Users")
            api = style.box("Serving API", "online")
            retrieve = style.box("Retrieve", "model")
            rank = style.box("Rank", "model")
        with style.group("Shared storage: the only contract", "storage", row=True):
            log = Kafka("Event log")
            features = Redis("Feature store")
            index = style.box("Embedding\nindex", "storage")
            registry = Mlflow("Model registry")
        with style.group("Offline: scheduled, minutes to hours", "offline", row=True):
            jobs = Spark("Features and\ntraining data")
            train = style.box("Train and\nvalidate", "model")
            build = style.box("Build the\nindex", "offline")

        users >> api >> retrieve >> rank
        log >> style.edge(**stack) >> features >> style.edge(**stack) >> index
        index >> style.edge(**stack) >> registry
        jobs >> train >> build
        users >> style.edge(**stack) >> log >> style.edge(**stack) >> jobs

        users >> style.edge("logged events", muted=True, **cross) >> log
        features >> style.edge("features", **cross) >> api
        index >> style.edge("candidates", **cross) >> retrieve
        registry >> style.edge("model", muted=True, **cross) >> rank
        log >> style.edge(**cross) >> jobs
        jobs >> style.edge(**cross) >> features
        train >> style.edge(**cross) >> registry
        build >> style.edge(**cross) >> index
    return figure
