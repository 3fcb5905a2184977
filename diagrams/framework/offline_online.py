"""Offline and online halves of a typical ML system, and what crosses between them.

Offline, batch jobs turn logged events into training data, train and validate the model, and build the
embedding index; online, a request fetches features, retrieves and ranks candidates, and logs what it
showed, which feeds the next training run.
"""

from diagrams.onprem.analytics import Spark
from diagrams.onprem.client import Users
from diagrams.onprem.inmemory import Redis
from diagrams.onprem.queue import Kafka


def draw(style):
    with style.diagram(direction="LR") as figure:
        users = Users("Users")
        with style.group("Online: request path", "online"):
            api = style.box("Serving API", "online")
            ranker = style.box("Retrieve + rank", "model")
        with style.group("Offline: batch", "offline"):
            spark = Spark("Feature jobs")
            train = style.box("Train + validate", "model")
        with style.group("Storage", "storage"):
            features = Redis("Feature store")
            log = Kafka("Event log")
        users >> api >> ranker >> features
        api >> style.edge("impressions", muted=True) >> log >> spark >> train
        spark >> features
    return figure
