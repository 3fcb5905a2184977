"""End-to-end architecture: the online request path above, the daily batch below, storage between.

Online, the suggestion service reads the member's stored suggestions, checks what changed since the
batch (new connections, pending invitations, dismissals) in the graph service, fetches fresh
features, and has a small model re-rank the survivors before diversity and fairness rules build the
list. Every impression, invitation, acceptance and dismissal goes to the event log. Offline, a daily
job snapshots the graph, walks it to friends of friends and gathers the other candidate sources,
builds features and labels, trains the ranker, scores every candidate pair and writes the top
suggestions per member back to the key-value store.
"""

from diagrams.onprem.analytics import Spark
from diagrams.onprem.client import Users
from diagrams.onprem.queue import Kafka


def draw(style):
    with style.architecture(
        online="Online: one request, within the latency target",
        storage="Shared storage",
        offline="Offline: the daily batch",
    ) as figure:
        with figure.online:
            users = Users("Members")
            service = style.box("Suggestion\nservice", "online")
            fresh = style.box("Drop connected,\ninvited, dismissed", "online")
            rerank = style.box("Re-rank, then\ndiversity rules", "model")
        with figure.storage:
            events = Kafka("Event log")
            graph = style.box("Graph\nservice", "storage")
            registry = style.box("Model\nregistry", "storage")
            store = style.box("Suggestion\nstore", "storage")
            features = style.box("Feature\nstore", "storage")
        with figure.offline:
            snapshot = Spark("Graph snapshot,\nlabels")
            fof = style.box("Friends of friends\n+ other sources", "offline")
            train = style.box("Train the\nranker", "model")
            score = style.box("Score pairs,\nkeep the top", "offline")

        figure.chain(users, service, fresh, rerank)
        figure.chain(snapshot, fof, train, score)
        figure.across(store, service, "stored list")
        figure.across(graph, fresh, "changes")
        figure.across(features, rerank, "fresh features")
        figure.across(registry, rerank, "new models", muted=True)
        figure.across(users, events, "invites,\naccepts", muted=True)
        figure.across(events, snapshot)
        figure.across(events, graph, muted=True)
        figure.across(graph, snapshot)
        figure.across(train, registry)
        figure.across(score, store, "top suggestions")
    return figure
