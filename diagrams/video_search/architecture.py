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
            understand = style.box("Query\nunderstanding", "online")
            retrieve = style.box("BM25 + ANN +\nfresh, parallel", "online")
            fuse = style.box("Reciprocal\nrank fusion", "online")
            rank = style.box("Ranking\nmodel", "model")
        with figure.storage:
            log = Kafka("Uploads, clicks,\nwatches")
            inverted = style.box("Inverted index\n(BM25 shards)", "storage")
            vectors = style.box("Embedding index\n(IVF-PQ shards)", "storage")
            features = style.box("Feature store", "storage")
        with figure.offline:
            title = style.box("Index title\n(minutes)", "offline")
            asr = style.box("Speech to text\n(within a day)", "offline")
            frames = style.box("Sample frames,\nembed, pool", "model")
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
