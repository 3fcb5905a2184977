"""TODO(scaffold): the serving path, each stage labelled with its computed count and latency.

TODO(scaffold): the long description. Labels come from the chapter's functions, never typed.
"""

import snippets.news_feed as chapter
from snippets.kit.display import ms, short


def draw(style):
    graph = style.digraph("serving_funnel", direction="TB")
    graph.node("requests", f"{short(chapter.peak_qps())} requests per second at peak", **style.node_attrs("data"))
    previous = "requests"
    for stage in chapter.LATENCY.stages:
        graph.node(stage.id, f"{stage.label}: {ms(stage.budget_ms)}", **style.node_attrs("online"))
        graph.edge(previous, stage.id)
        previous = stage.id
    return graph
