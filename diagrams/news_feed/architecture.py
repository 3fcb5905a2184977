"""End-to-end architecture: the feed request path above, shared storage in the middle, offline jobs below.

Online, the feed service gathers the inventory from the candidate sources, the light pass narrows
it, the multi-task ranker scores the survivors and the contextual pass applies freshness, diversity
and integrity demotions before the first screen goes back. The apps log every impression and event.
Offline, streaming and batch jobs turn the log into features and per-head training data, training
produces new rankers and per-head calibrators, and integrity classifiers label posts in the post index for the filters and demotions.
"""

from diagrams.onprem.analytics import Flink, Spark
from diagrams.onprem.client import Users
from diagrams.onprem.inmemory import Redis
from diagrams.onprem.queue import Kafka


def draw(style):
    with style.architecture(
        online="Online: one feed load",
        storage="Shared storage",
        offline="Offline: features, training, integrity",
    ) as figure:
        with figure.online:
            users = Users("People")
            service = style.box("Feed\nservice", "online")
            sources = style.box("Candidate\nsources", "online")
            light = style.box("Light\npass", "model")
            heavy = style.box("Multi-task\nranker", "model")
            contextual = style.box("Contextual\npass", "online")
        with figure.storage:
            events = Kafka("Event log")
            features = Redis("Feature store")
            posts = style.box("Post index\n(by author)", "storage")
            registry = style.box("Models and\ncalibrators", "storage")
        with figure.offline:
            stream = Flink("Streaming\ncounters")
            batch = Spark("Batch features,\ntraining rows")
            train = style.box("Train ranker,\nfit calibrators", "model")
            integrity = style.box("Integrity\nclassifiers", "offline")

        figure.chain(users, service, sources, light, heavy, contextual)
        figure.chain(batch, train)
        figure.across(posts, sources, "new posts")
        figure.across(features, heavy, "features")
        figure.across(registry, heavy, "models", muted=True)
        figure.across(users, events, "impressions, events", muted=True)
        figure.across(events, stream)
        figure.across(events, batch)
        figure.across(stream, features)
        figure.across(batch, features)
        figure.across(train, registry)
        figure.across(integrity, posts, "post labels")
    return figure
