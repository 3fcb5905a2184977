"""The batch pipeline: frames flow through detection and blurring below, imagery and reports above.

Below, the batch pipeline ingests each uploaded frame into the access-controlled store of
originals, cuts it into overlapping tiles, runs the detector on every tile on the accelerator
fleet, maps the boxes back to the frame and merges them with non-maximum suppression, then blurs
every kept box and writes the blurred frame to the published store. Above, viewers see only
published imagery; a report of a missed face or plate goes to a review queue, whose reviewers blur
the region by hand (re-blurring from the original) and whose decisions become training labels.
Retraining and the release check run offline and push a new model to the registry. The middle
band holds what the two halves share: originals, published imagery, the detections and the model.
"""

from diagrams.onprem.client import Users
from diagrams.onprem.queue import Kafka


def draw(style):
    with style.architecture(
        online="Published imagery and user reports",
        storage="Shared storage",
        offline="Batch, within the deadline",
    ) as figure:
        with figure.online:
            report = style.box("Report\na miss", "online")
            review = style.box("Review\n(people)", "online")
            users = Users("Viewers")
            serve = style.box("Imagery\nserving", "online")
        with figure.storage:
            labels = Kafka("Labels")
            registry = style.box("Model\nregistry", "storage")
            originals = style.box("Originals\n(locked)", "storage")
            detections = style.box("Detected\nboxes", "storage")
            published = style.box("Published\n(blurred)", "storage")
        with figure.offline:
            retrain = style.box("Retrain,\nrelease\ncheck", "model")
            ingest = style.box("Ingest\nframes", "offline")
            tile = style.box("Tile", "offline")
            detect = style.box("Detect\n(GPUs)", "model")
            merge = style.box("Merge,\nNMS", "offline")
            blur = style.box("Blur and\npublish", "offline")

        figure.chain(report, review)
        figure.chain(users, serve)
        figure.chain(ingest, tile, detect, merge, blur)
        figure.across(review, labels, "decisions")
        figure.across(labels, retrain)
        figure.across(retrain, registry)
        figure.across(registry, detect, muted=True)
        figure.across(ingest, originals, "raw frames")
        figure.across(merge, detections, "boxes")
        figure.across(blur, published, "blurred")
        figure.across(published, serve, "imagery")
    return figure
