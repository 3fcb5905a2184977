"""The graph and feature pipeline: daily snapshots of the graph give candidates, features and future labels.

Connection, invitation and profile events land in an event log that keeps the live graph service
current within seconds. Each day a batch job freezes a snapshot of the graph at day t. From it, the
two-hop walk and the other sources produce candidate pairs, and pair features (common connections,
Adamic-Adar, shared companies and schools, recency) are computed as of day t. Labels come from the
future: the connections formed and accepted between day t and day t plus the label window. Joining
the two gives training examples in which no feature has seen the label.
"""

from diagrams.onprem.analytics import Flink, Spark
from diagrams.onprem.client import Client
from diagrams.onprem.queue import Kafka


def draw(style):
    cross = {"constraint": "false"}
    with style.diagram(direction="TB") as figure:
        clients = Client("Apps: connect,\ninvite, accept")
        with style.group("Streaming: seconds", "online", row=True, title="top-right"):
            log = Kafka("Event log")
            stream = Flink("Edge updates,\ncounters")
            live = style.box("Live graph\nservice", "storage")
        with style.group("Daily batch, as of day t", "offline", row=True, title="top-right"):
            snapshot = style.box("Graph snapshot\nat day t", "storage")
            profiles = style.box("Profiles:\ncompany, school", "data")
            walk = Spark("Two-hop walk,\nother sources")
            features = style.box("Pair features\nas of day t", "storage")
        with style.group("Labels from the future", "model", row=True, title="bottom-left"):
            future = style.box("Connections formed\nafter day t, in the window", "data")
            join = style.box("Training\nexamples", "model")

        clients >> log >> stream >> live
        log >> snapshot >> walk >> features >> style.edge("join on pair") >> join
        profiles >> walk
        future >> join
        log >> style.edge("accepted\ninvitations", muted=True, **cross) >> future
    return figure
