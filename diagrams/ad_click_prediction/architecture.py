"""End-to-end architecture: the auction path above, logging and continual training below.

Online, the ad server collects the ads eligible for a slot, the scoring service fetches the user's
features, scores every candidate with the pCTR model and its calibration layer, and the auction
ranks the ads by bid times calibrated pCTR and charges the winner a second price. The feed logs
every impression and click. Offline, a streaming joiner attaches clicks to their impressions,
downsamples the unclicked ones and feeds an hourly incremental trainer; a validation gate compares
each new model with the serving one on the newest hour before it is pushed to the registry. Storage
in the middle is what the two halves share.
"""

from diagrams.onprem.analytics import Flink, Spark
from diagrams.onprem.client import Users
from diagrams.onprem.inmemory import Redis
from diagrams.onprem.queue import Kafka


def draw(style):
    with style.architecture(
        online="Online: one auction per ad slot",
        storage="Shared storage",
        offline="Offline: joining, training, validating",
    ) as figure:
        with figure.online:
            users = Users("Feed users")
            adserver = style.box("Ad server:\neligible ads", "online")
            scoring = style.box("pCTR model +\ncalibration", "model")
            auction = style.box("Auction:\nbid × pCTR", "online")
        with figure.storage:
            features = Redis("Feature store")
            events = Kafka("Impressions,\nclicks")
            registry = style.box("Model\nregistry", "storage")
        with figure.offline:
            batch = Spark("Batch features,\nweekly full retrain")
            joiner = Flink("Click joiner,\ndownsampling")
            train = style.box("Hourly\nincremental update", "model")
            gate = style.box("Validation gate:\nNE, calibration", "offline")

        figure.chain(users, adserver, scoring, auction)
        figure.chain(joiner, train, gate)
        figure.across(features, scoring, "user and ad features")
        figure.across(registry, scoring, "models", muted=True)
        figure.across(users, events, "impressions, clicks", muted=True)
        figure.across(events, joiner)
        figure.across(events, batch)
        figure.across(batch, features)
        figure.across(gate, registry, "pass")
    return figure
