"""End-to-end architecture: the online request path above, offline training and indexing below.

Online, the recommendation service fetches the user's features, asks candidate generation for
videos (the two-tower model queries the ANN index), has the ranking model score them and re-ranks
the result into a page. The client logs every impression and watch. Offline, streaming and batch jobs turn the event
log into features and training data, training produces new models, and the video tower embeds every
video to rebuild the ANN index. Storage in the middle is what the two halves share.
"""

from diagrams.onprem.analytics import Flink, Spark
from diagrams.onprem.client import Users
from diagrams.onprem.inmemory import Redis
from diagrams.onprem.queue import Kafka


def draw(style):
    with style.architecture(
        online="Online: one homepage request",
        storage="Shared storage",
        offline="Offline: training and indexing",
    ) as figure:
        with figure.online:
            users = Users("Viewers")
            service = style.box("Recommendation\nservice", "online")
            candidates = style.box("Candidate\ngeneration", "model")
            ranking = style.box("Ranking\nmodel", "model")
            rerank = style.box("Re-ranking\nand filters", "online")
        with figure.storage:
            events = Kafka("Event log")
            features = Redis("Feature store")
            index = style.box("ANN index\n(video vectors)", "storage")
            registry = style.box("Model\nregistry", "storage")
        with figure.offline:
            stream = Flink("Streaming\nfeatures")
            batch = Spark("Batch features,\ntraining data")
            train = style.box("Train two-tower\nand ranker", "model")
            embed = style.box("Embed every\nvideo", "offline")
            build = style.box("Build the\nindex", "offline")

        figure.chain(users, service, candidates, ranking, rerank)
        figure.chain(batch, train, embed, build)
        figure.across(features, service, "features")
        figure.across(index, candidates, "nearest videos")
        figure.across(registry, ranking, "new models", muted=True)
        figure.across(users, events, "impressions, watches", muted=True)
        figure.across(events, stream)
        figure.across(events, batch)
        figure.across(stream, features)
        figure.across(batch, features)
        figure.across(train, registry)
        figure.across(build, index)
    return figure
