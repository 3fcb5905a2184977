"""The central idea: a drawn box becomes a query vector, and the vector becomes a ranked page.

The user's rough box is compared with the objects the detector found when the image was uploaded;
it snaps to the box it overlaps most (IoU at least the snapping threshold), whose crop already has
a stored embedding. A box that overlaps nothing is cropped and embedded as drawn. The vector's
nearest neighbours in the index, re-scored and re-ranked, become the page. The IoU values are
computed in snippets/visual_search.py.
"""

from snippets.kit.display import fixed
from snippets.visual_search import DETECTED_BOXES, box_iou, snap_min_iou, snapped_box


def draw(style):
    graph = style.digraph("central_idea", direction="LR")
    graph.attr("graph", nodesep="0.25", ranksep="0.4")
    graph.node("drawn", "User draws a\nrough box", **style.node_attrs("data"))
    with style.cluster(graph, "detected", "Stored detections (at upload)", "storage", title="bottom-left") as cluster:
        for box_id, label, _ in reversed(DETECTED_BOXES):
            role = "highlight" if box_id == snapped_box() else "neutral"
            cluster.node(box_id, f"{label}: IoU {fixed(box_iou(box_id), 2)}", **style.node_attrs(role))
    graph.node("snap", f"Snap to best box\nif IoU ≥ {fixed(snap_min_iou(), 2)},\nelse crop as drawn",
               **style.node_attrs("online"))
    graph.node("vector", "Stored embedding\nof the crop", **style.node_attrs("model"))
    graph.node("page", "Nearest neighbours,\nre-ranked: the page", **style.node_attrs("online"))
    for box_id, _, _ in DETECTED_BOXES:
        graph.edge("drawn", box_id, **({} if box_id == snapped_box() else style.edge_attrs(muted=True)))
        graph.edge(box_id, "snap", **({} if box_id == snapped_box() else style.edge_attrs(muted=True)))
    graph.edge("snap", "vector")
    graph.edge("vector", "page")
    return graph
