"""End-to-end architecture: the upload path and the actions above, offline labelling and training below.

Online, a new post passes the match service (hashes and embeddings of known violating content) and
the multimodal scorer, whose per-harm scores the policy engine turns into an action: remove, send
to review, demote or leave up. Reviewers decide queued posts, user reports and appeals; the
re-scorer scores a post again when its views cross a milestone. Offline, review decisions become
labels, training produces a new model and its thresholds, and every confirmed violation is added
to the match bank. Storage in the middle is what both halves share.
"""

from diagrams.onprem.client import Users
from diagrams.onprem.queue import Kafka


def draw(style):
    with style.architecture(
        online="Online: a post from upload to action",
        storage="Shared storage",
        offline="Offline: labels, training, thresholds",
    ) as figure:
        with figure.online:
            users = Users("Authors and\nviewers")
            match = style.box("Match known\nviolations", "online")
            scorer = style.box("Multimodal\nscorer", "model")
            policy = style.box("Policy engine:\nthresholds", "online")
            review = style.box("Review queue,\nreports, appeals", "data")
        with figure.storage:
            events = Kafka("Post and\nview events")
            bank = style.box("Match bank", "storage")
            registry = style.box("Models and\nthresholds", "storage")
            labels = style.box("Label store\n(policy version)", "storage")
        with figure.offline:
            rescore = style.box("Re-score at\nview milestones", "offline")
            build = style.box("Training sets\nper harm", "offline")
            train = style.box("Train and\ncalibrate", "model")
            audit = style.box("Prevalence\naudit", "offline")

        figure.chain(users, match, scorer, policy, review)
        figure.chain(rescore, build, train, audit)
        figure.across(bank, match, "hits")
        figure.across(registry, scorer, "new model", muted=True)
        figure.across(review, labels, "decisions")
        figure.across(users, events, "posts, views, reports", muted=True)
        figure.across(events, rescore)
        figure.across(labels, build)
        figure.across(train, registry)
        figure.across(labels, bank, muted=True)
    return figure
