"""The training-pair pipeline: three sources of positive pairs, one batch of contrastive training.

Engagement logs give (query crop, result saved or clicked) pairs within hours; human raters label a
smaller set of (query, result) pairs as exact product, similar or unrelated, which also serves as
the evaluation set; augmentation makes a positive pair out of two random views of one image with no
label at all. Pairs are de-duplicated and split by image before they meet in a training batch,
where every other item in the batch is a negative and a mined set adds hard negatives.
"""

from diagrams.onprem.analytics import Spark
from diagrams.onprem.queue import Kafka


def draw(style):
    with style.diagram(direction="LR") as figure:
        with style.group("Sources of positive pairs", "data", title="bottom-left"):
            log = Kafka("Engagement log:\nsaved or clicked\nafter a search")
            raters = style.box("Human raters:\nexact / similar /\nunrelated", "data")
            images = style.box("Unlabelled images:\ntwo random views", "data")
        with style.group("Batch: daily", "offline", title="bottom-left"):
            clean = Spark("Clean: drop\nnear-duplicates,\nsplit by image")
            mine = style.box("Mine hard\nnegatives with\nlast model", "offline")
            batch = style.box("Training batch:\npositives +\nin-batch negatives", "model")
        evaluation = style.box("Held-out judged\npairs: evaluation", "storage")

        log >> style.edge("hours") >> clean
        raters >> clean
        images >> style.edge("augment") >> batch
        clean >> mine >> batch
        raters >> style.edge("held out", muted=True) >> evaluation
    return figure
