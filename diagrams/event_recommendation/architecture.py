"""End-to-end architecture: the list request above, the shared stores in the middle, the daily jobs below.

Online, the recommendation service reads the user's features and friend list, asks the geospatial
index for events near the user that start within the horizon and still have tickets, cuts them with
a light ranker, ranks the survivors with LambdaMART on event and user-event features, and applies
the re-ranking rules (host caps, exploration). The app logs impressions and clicks; the ticketing
system logs purchases. Offline, a streaming job keeps short-window features fresh, a daily batch
job joins lists with purchases after the label wait and computes long-window features, and the
daily retrain publishes a model only if it passes the validation gate. The stores in the middle are
what the two halves share.
"""

from diagrams.onprem.analytics import Flink, Spark
from diagrams.onprem.client import Users
from diagrams.onprem.inmemory import Redis
from diagrams.onprem.queue import Kafka


def draw(style):
    with style.architecture(
        online="Online: one list per request",
        storage="Shared storage",
        offline="Offline: features, labels, daily retrain",
    ) as figure:
        with figure.online:
            users = Users("App users")
            retrieve = style.box("Geo + time\nretrieval", "online")
            light = style.box("Light\nranker", "model")
            rank = style.box("LambdaMART\nranker", "model")
            rerank = style.box("Re-rank: host caps,\nexploration", "online")
        with figure.storage:
            geo = style.box("Geospatial\nindex", "storage")
            features = Redis("Feature store")
            log = Kafka("Impressions,\nclicks, orders")
            registry = style.box("Model\nregistry", "storage")
        with figure.offline:
            stream = Flink("Streaming\nfeatures")
            batch = Spark("Label join after\nthe wait; batch features")
            train = style.box("Daily retrain\n(lambdarank)", "model")
            gate = style.box("Validation gate:\nnDCG, new events", "offline")

        figure.chain(users, retrieve, light, rank, rerank)
        figure.chain(batch, train, gate)
        figure.across(geo, retrieve, "events near, on sale")
        figure.across(features, rank, "user, event, friends")
        figure.across(registry, rank, "model", muted=True)
        figure.across(users, log, "impressions, clicks", muted=True)
        figure.across(log, stream)
        figure.across(log, batch)
        figure.across(stream, features)
        figure.across(gate, registry, "pass")
    return figure
