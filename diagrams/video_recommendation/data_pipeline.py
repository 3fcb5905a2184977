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
    # Bands, top to bottom: the apps that emit events, the streaming path (seconds) and the batch
    # path (daily). Each band is one rank; arrows that cross a band do not move nodes. Titles sit
    # where no arrow crosses a band's border: top right of the streaming band (the apps' arrow comes
    # in at its left), at the bottom of the batch band.
    cross = {"constraint": "false"}
    with style.diagram(direction="TB") as figure:
        clients = Client("Apps: impressions,\nclicks, watches")
        with style.group("Streaming: seconds", "online", row=True, title="top-right"):
            log = Kafka("Event log")
            stream = Flink("Recent watches,\ncounters")
            online = Redis("Online store")
        with style.group("Batch: daily", "offline", row=True, title="bottom-left"):
            catalogue = style.box("Video\ncatalogue", "data")
            lake = style.box("Data lake,\nby day", "storage")
            batch = Spark("Aggregates,\nembeddings")
            history = style.box("Offline store\n(feature history)", "storage")
            join = style.box("Training\nexamples", "model")

        clients >> log >> stream >> online
        log >> lake >> batch >> history >> style.edge("point-in-time\njoin") >> join
        catalogue >> batch
        batch >> style.edge("daily sync", **cross) >> online
        stream >> style.edge(muted=True, **cross) >> history
    return figure
