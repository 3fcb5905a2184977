"""From events to training rows: one log, a label per head, a point-in-time join, and survey answers.

The apps log each impression with its position and every event that followed it (like, comment,
share, dwell, hide, report). A streaming job keeps fast counters fresh in the online store; a daily
job waits for the label window to close, turns each impression into one row with a label per head,
downsamples rows without any event, and joins the features as they were at serving time. Sampled
"worth your time" survey answers join the same rows as a sparse extra label.
"""

from diagrams.onprem.analytics import Flink, Spark
from diagrams.onprem.client import Client
from diagrams.onprem.inmemory import Redis
from diagrams.onprem.queue import Kafka


def draw(style):
    cross = {"constraint": "false"}
    with style.diagram(direction="TB") as figure:
        clients = Client("Apps: impressions\n(with position), events")
        with style.group("Streaming: seconds", "online", row=True, title="top-right"):
            log = Kafka("Event log")
            stream = Flink("Post and author\ncounters")
            online = Redis("Online store")
        with style.group("Batch: daily, after the label window", "offline", row=True, title="bottom-left"):
            surveys = style.box("Survey\nanswers", "data")
            labels = Spark("Label per head,\ndownsample")
            rows = style.box("Training rows\n(7 labels)", "model")
            history = style.box("Feature\nhistory", "storage")

        clients >> log >> stream >> online
        log >> labels >> style.edge("point-in-time\njoin") >> rows
        rows << style.edge("as served") << history
        surveys >> labels
        stream >> style.edge(muted=True, **cross) >> history
    return figure
