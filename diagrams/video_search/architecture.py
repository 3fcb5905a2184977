"""End-to-end architecture: the query path above, text and video indexing below, shared storage between.

Online, the search service understands the query (spelling, language, intent), embeds it with the
text encoder, asks the BM25 shards, the embedding-index shards and the fresh-upload index in
parallel, fuses the three lists with reciprocal rank fusion and lets the ranking model order the
survivors. Offline, every upload's title is indexed within minutes; its speech is transcribed and
its frames are sampled and embedded within a day, and the results join the inverted index and the
embedding index. Click, watch and rating logs train both the encoders and the ranker.
"""

from diagrams.onprem.analytics import Spark
from diagrams.onprem.client import Users
from diagrams.onprem.queue import Kafka


def draw(style):
    with style.architecture(
        online="Online: one search",
        storage="Shared storage",
        offline="Offline: indexing text and video, training",
    ) as figure:
        with figure.online:
            users = Users("Searchers")
            understand = style.box("Understand\nquery", "online")
            retrieve = style.box("BM25, ANN,\nfresh", "online")
            fuse = style.box("Fuse\n(RRF)", "online")
            rank = style.box("Rank", "model")
        with figure.storage:
            log = Kafka("Uploads, clicks,\nwatches")
            inverted = style.box("Inverted\nindex", "storage")
            vectors = style.box("Embedding\nindex (PQ)", "storage")
            features = style.box("Feature\nstore", "storage")
        with figure.offline:
            title = style.box("Index title\n(minutes)", "offline")
            asr = style.box("Speech\nto text", "offline")
            frames = style.box("Embed\nframes", "model")
            train = Spark("Train encoders\nand ranker")
        figure.chain(users, understand, retrieve, fuse, rank)
        figure.chain(title, asr, frames, train)
        figure.across(inverted, retrieve, "postings")
        figure.across(vectors, retrieve, "neighbours")
        figure.across(features, rank, "features")
        figure.across(users, log, "queries, plays", muted=True)
        figure.across(title, inverted)
        figure.across(asr, inverted)
        figure.across(frames, vectors)
        figure.across(log, train)
    return figure
