"""End-to-end architecture: the query path above, embedding and indexing below, shared storage between.

Online, the search service takes the tapped image or the drawn box, snaps the box to a stored
detection, reads the crop's stored embedding or computes it on a GPU, asks every index shard for
its nearest neighbours, re-scores and re-ranks the merged candidates and returns a page. Offline,
every upload is detected and embedded the day it arrives and added to the index; a new model
re-embeds the whole corpus into a second index before traffic moves to it. Storage in the middle
is what the two halves share.
"""

from diagrams.onprem.analytics import Spark
from diagrams.onprem.client import Users
from diagrams.onprem.queue import Kafka


def draw(style):
    with style.architecture(
        online="Online: one visual search",
        storage="Shared storage",
        offline="Offline: detection, embedding, indexing",
    ) as figure:
        with figure.online:
            users = Users("Shoppers")
            service = style.box("Snap box,\ncrop", "online")
            encoder = style.box("Query encoder\n(GPU)", "model")
            ann = style.box("ANN shards,\nmerge", "online")
            rerank = style.box("Re-score,\nre-rank", "online")
        with figure.storage:
            log = Kafka("Upload and\nengagement log")
            boxes = style.box("Detections and\nembeddings", "storage")
            index = style.box("ANN index\n(PQ codes)", "storage")
            vectors = style.box("float16 vectors\n(re-scoring)", "storage")
        with figure.offline:
            pairs = Spark("Training\npairs")
            train = style.box("Train the\nencoder", "model")
            embed = style.box("Detect, embed\nuploads", "model")
            build = style.box("Add to index;\nrebuild nightly", "offline")

        figure.chain(users, service, encoder, ann, rerank)
        figure.chain(pairs, train, embed, build)
        figure.across(boxes, service, "stored boxes")
        figure.across(index, ann, "neighbours")
        figure.across(vectors, rerank, "exact scores")
        figure.across(users, log, "uploads, saves, clicks", muted=True)
        figure.across(log, pairs)
        figure.across(embed, boxes)
        figure.across(embed, vectors)
        figure.across(build, index)
    return figure
