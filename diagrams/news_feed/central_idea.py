"""TODO(scaffold): the chapter's central idea, the one picture a reader should remember.

TODO(scaffold): the long description, for readers who cannot see the figure.
"""


def draw(style):
    graph = style.digraph("central_idea", direction="LR")
    graph.node("input", "TODO(scaffold)\ninput", **style.node_attrs("data"))
    graph.node("step", "TODO(scaffold)\nstep", **style.node_attrs("offline"))
    graph.node("output", "TODO(scaffold)\noutput", **style.node_attrs("model"))
    graph.edge("input", "step")
    graph.edge("step", "output")
    return graph
