"""End-to-end architecture: the carousel request above, session mining and daily training below.

Online, the listing page asks the carousel service for similar listings: it reads the anchor
listing's vector and the market's availability for the dates, scans the available listings of the
same market by cosine similarity, filters them by price band and capacity, and lets the ranker
order the survivors with the similarity as one of its features. Offline, the event log is cut into
browsing sessions every day, the skip-gram model is retrained from scratch on a sliding window of
sessions, new listings get cold-start vectors from nearby look-alikes, and the table of vectors is
published to the serving hosts. Storage in the middle is what the two halves share.
"""

from diagrams.onprem.analytics import Spark
from diagrams.onprem.client import Users
from diagrams.onprem.queue import Kafka


def draw(style):
    with style.architecture(
        online="Online: one listing page",
        storage="Shared storage",
        offline="Offline: sessions, training, publishing (daily)",
    ) as figure:
        with figure.online:
            users = Users("Guests")
            service = style.box("Carousel\nservice", "online")
            knn = style.box("In-market\ncosine scan", "online")
            filters = style.box("Dates, price,\ncapacity filters", "online")
            ranker = style.box("Ranker\n(similarity as\na feature)", "model")
        with figure.storage:
            log = Kafka("Click, dwell and\nbooking log")
            vectors = style.box("Listing vectors\n(in RAM, per market)", "storage")
            calendar = style.box("Availability\nand prices", "storage")
        with figure.offline:
            sessions = Spark("Cut\nsessions")
            train = style.box("Skip-gram:\nbooked context,\nmarket negatives", "model")
            cold = style.box("Cold start:\nmean of nearby\nlook-alikes", "offline")
            publish = style.box("Check and\npublish", "offline")

        figure.chain(users, service, knn, filters, ranker)
        figure.chain(sessions, train, cold, publish)
        figure.across(vectors, knn, "vectors")
        figure.across(calendar, filters, "free dates")
        figure.across(users, log, "clicks, bookings", muted=True)
        figure.across(log, sessions)
        figure.across(publish, vectors)
    return figure
