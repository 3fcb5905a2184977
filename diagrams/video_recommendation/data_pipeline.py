"""The data and feature pipeline: one event log feeds streaming features, batch features and training data.

Client events land in an event log. A stream processor keeps fast-moving features (recent watches,
trending counters) fresh within seconds; daily batch jobs compute slow features and write both the
offline feature store and the online one. Training examples are built by a point-in-time join of
logged impressions with the features as they were when each impression was served, so the model
never sees the future.
"""

from diagrams.onprem.analytics import Flink, Spark
from diagrams.onprem.client import Client
from diagrams.onprem.inmemory import Redis
from diagrams.onprem.queue import Kafka


def draw(style):
    cross = {"constraint": "false"}  # arrows that should not move nodes out of their row
    with style.diagram(direction="TB") as figure:
        with style.group("Sources", "data"):
            clients = Client("Apps: impressions,\nclicks, watches")
            catalogue = style.box("Video catalogue", "data")
        log = Kafka("Event log")
        with style.group("Streaming: seconds", "online"):
            stream = Flink("Recent watches,\ncounters")
        with style.group("Batch: daily", "offline"):
            lake = style.box("Data lake,\nby day", "storage")
            batch = Spark("Aggregates,\nembeddings")
        with style.group("Feature stores", "storage"):
            online = Redis("Online store")
            history = style.box("Offline store\n(feature history)", "storage")
        join = style.box("Point-in-time join:\ntraining examples", "offline")

        clients >> log >> stream >> online
        log >> lake >> batch >> history >> join
        catalogue >> lake
        batch >> style.edge("daily sync", **cross) >> online
        stream >> style.edge(muted=True, **cross) >> history
        lake >> style.edge("impressions, labels", **cross) >> join
    return figure
