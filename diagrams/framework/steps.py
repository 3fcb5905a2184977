"""The design framework: eight steps from the question to a running, monitored system.

Three columns: defining the problem (clarify the requirements, frame it as an ML task, estimate
the scale), building the model (data and features, model, evaluation) and running it (serving,
monitoring). A dashed arrow from monitoring back to data closes the loop: what the system observes
in production becomes the next round of training data.
"""

STEPS = {
    "define": ("Define the problem", "offline", [
        ("clarify", "1  Clarify requirements\nscope, scale, latency"),
        ("frame", "2  Frame as an ML task\nobjective, inputs, outputs"),
        ("estimate", "3  Estimate\nQPS, storage, budget"),
    ]),
    "build": ("Build the model", "model", [
        ("data", "4  Data and features\nlabels, features, splits"),
        ("model", "5  Model\nbaseline, then candidates"),
        ("evaluate", "6  Evaluate\noffline, then A/B test"),
    ]),
    "run": ("Run it", "online", [
        ("serve", "7  Serve\noffline and online halves"),
        ("monitor", "8  Monitor and iterate\ndrift, new labels"),
    ]),
}


def draw(style):
    # Columns are laid out top to bottom; arrows between columns do not constrain the layout,
    # so the three columns sit side by side instead of forming one tall chain.
    graph = style.digraph("framework_steps", direction="TB")
    graph.attr("graph", nodesep="0.6", ranksep="0.4", splines="line")
    graph.attr("node", width="2.45")
    previous = None
    for name, (label, role, steps) in STEPS.items():
        with style.cluster(graph, name, label, role) as column:
            for node_id, text in steps:
                column.node(node_id, text, **style.node_attrs("neutral"))
        for index, (node_id, _) in enumerate(steps):
            if previous is not None:
                # The first step of a column continues from the last step of the previous one,
                # read like a newspaper column: from its right side to the next one's left side.
                jump = {} if index else {"constraint": "false", "tailport": "e", "headport": "w"}
                graph.edge(previous, node_id, **jump)
            previous = node_id
    # The loop back to data crosses the arrow from 6 to 7 in the gap between the columns, where a label
    # has no room: what flows back (drift, new labels) is written in step 8 instead.
    graph.edge("monitor", "data", **style.edge_attrs(muted=True), constraint="false", tailport="w", headport="e")
    return graph
