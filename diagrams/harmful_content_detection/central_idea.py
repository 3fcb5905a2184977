"""Prevalence from a view-weighted, stratified sample: sample views, not posts, and label more where harm is.

Every view of a post is a candidate for the audit, so a post seen a million times is a million
times more likely to be drawn than a post seen once. Views are split into strata by the model's
score (low, demoted band, review band); each stratum gets its share of labels by Neyman
allocation; reviewers label the sampled views; and the estimate weights each stratum's violating
rate by its share of views, with a confidence interval. Shares, rates and label counts are
computed in snippets/harmful_content_detection.py.
"""

from snippets.kit.display import count, percent
from snippets.harmful_content_detection import (
    STRATA,
    audit_sample,
    neyman_half_width,
    neyman_labels,
    per_10k,
    true_prevalence,
    views_per_day,
)
from snippets.kit.display import short


def draw(style):
    graph = style.digraph("central_idea", direction="LR")
    graph.attr("graph", nodesep="0.25", ranksep="0.5")
    graph.node("views", f"All views:\n{short(views_per_day())} a day\n(a post counts\nonce per view)",
               **style.node_attrs("data"))
    with style.cluster(graph, "strata", "Strata by the model's score", "offline") as strata:
        for s in STRATA:
            strata.node(s.id, f"{s.label}\n{percent(s.view_share, 1)} of views\n"
                        f"{count(neyman_labels(s.id))} labels", **style.node_attrs("offline"))
    graph.node("label", f"Reviewers label\n{count(audit_sample())}\nsampled views", **style.node_attrs("online"))
    graph.node("estimate", f"Σ share × rate =\n{per_10k(true_prevalence())} per 10,000\n"
               f"± {per_10k(neyman_half_width())} (95%)", **style.node_attrs("highlight"))
    for s in STRATA:
        graph.edge("views", s.id)
        graph.edge(s.id, "label")
    graph.edge("label", "estimate")
    return graph
