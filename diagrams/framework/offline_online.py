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
from diagrams.onprem.queue import Kafka


def draw(style):
    with style.architecture(
        online="Online: per request, milliseconds",
        storage="Shared storage: the only contract",
        offline="Offline: scheduled, minutes to hours",
    ) as figure:
        with figure.online:
            users = Users("Users")
            api = style.box("Serving API", "online")
            retrieve = style.box("Retrieve", "model")
            rank = style.box("Rank", "model")
        with figure.storage:
            log = Kafka("Event log")
            features = Redis("Feature store")
            index = style.box("Embedding\nindex", "storage")
            registry = style.box("Model\nregistry", "storage")
        with figure.offline:
            jobs = Spark("Features and\ntraining data")
            train = style.box("Train and\nvalidate", "model")
            build = style.box("Build the\nindex", "offline")

        figure.chain(users, api, retrieve, rank)
        figure.chain(jobs, train, build)
        figure.across(users, log, "logged events", muted=True)
        figure.across(features, api, "features")
        figure.across(index, retrieve, "candidates")
        figure.across(registry, rank, "model", muted=True)
        figure.across(log, jobs)
        figure.across(jobs, features)
        figure.across(train, registry)
        figure.across(build, index)
    return figure
