"""TODO(scaffold): the model architecture: inputs, layers, outputs and the loss.

TODO(scaffold): the long description, for readers who cannot see the figure.
"""


def draw(style):
    graph = style.digraph("model", direction="LR")
    graph.node("input", "TODO(scaffold)\ninput", **style.node_attrs("data"))
    graph.node("step", "TODO(scaffold)\nstep", **style.node_attrs("offline"))
    graph.node("output", "TODO(scaffold)\noutput", **style.node_attrs("model"))
    graph.edge("input", "step")
    graph.edge("step", "output")
    return graph
