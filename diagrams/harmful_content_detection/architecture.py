"""End-to-end architecture: the upload path and the actions above, offline labelling and training below.

Online, a new post passes the match service (hashes and embeddings of known violating content) and
the multimodal scorer, whose per-harm scores the policy engine turns into an action: remove, send
to review, demote or leave up. Reviewers decide queued posts, user reports and appeals. Offline, a
streaming job re-scores posts whose views cross a milestone, review decisions become labels
(each with its policy version), training produces a new model with its calibrated thresholds, and
every confirmed violation is added to the match bank. Storage in the middle is what both halves
share.
"""

from diagrams.onprem.client import Users
from diagrams.onprem.queue import Kafka


def draw(style):
    with style.architecture(
        online="Online: a post from upload to action",
        storage="Shared storage",
        offline="Offline: re-scoring, labels, training",
    ) as figure:
        with figure.online:
            users = Users("Authors and\nviewers")
            match = style.box("Match known\nviolations", "online")
            scorer = style.box("Multimodal\nscorer", "model")
            policy = style.box("Policy\nengine", "online")
            review = style.box("Reviewers:\nqueue, appeals", "data")
        with figure.storage:
            events = Kafka("Post and\nview events")
            bank = style.box("Match bank", "storage")
            registry = style.box("Models and\nthresholds", "storage")
            labels = style.box("Label store\n(policy version)", "storage")
        with figure.offline:
            rescore = style.box("Re-score at\nview milestones", "offline")
            build = style.box("Training sets,\nbank updates", "offline")
            train = style.box("Train and\ncalibrate", "model")

        figure.chain(users, match, scorer, policy, review)
        figure.chain(rescore, build, train)
        figure.across(users, events, "posts, views", muted=True)
        figure.across(bank, match)
        figure.across(registry, scorer, muted=True)
        figure.across(review, labels)
        figure.across(events, rescore)
        figure.across(labels, build)
        figure.across(build, bank, muted=True)
        figure.across(train, registry)
    return figure
