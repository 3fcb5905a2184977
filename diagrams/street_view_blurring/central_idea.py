"""Non-maximum suppression on one scene: duplicates go, but so can a real face in a crowd.

The detector returns six boxes for two faces (one partly behind the other) and a plate. Greedy
NMS keeps the highest-scoring box and removes every box whose IoU with a kept box exceeds the
threshold. At 0.5 the duplicate of the first face goes (IoU with the kept box well above 0.5)
and the second face survives (IoU with the first face's box about a third). At 0.3 the second
face's box is removed too, because the two real faces overlap that much: the blur misses a
person. A stray box on a tree survives any threshold: NMS removes duplicates, not false
positives. The IoUs are computed in snippets/street_view_blurring.py.
"""

import snippets.street_view_blurring as chapter
from snippets.kit.display import fixed


def draw(style):
    graph = style.digraph("central_idea", direction="LR")
    graph.attr("graph", nodesep="0.2", ranksep="0.5")
    scores = {d: s for d, s, _ in chapter.RAW_DETECTIONS}
    names = {"d1": "face A", "d2": "face A (duplicate)", "d3": "face B (behind A)", "d4": "plate",
             "d5": "tree (false positive)", "d6": "plate (partial)"}
    kept_05 = set(chapter.kept_after_nms(0.5))
    kept_03 = set(chapter.kept_after_nms(0.3))
    with style.cluster(graph, "before", "Detector output", "storage") as cluster:
        for d, _, _ in chapter.RAW_DETECTIONS:
            cluster.node(d, f"{d} {names[d]}: {fixed(scores[d], 2)}", **style.node_attrs("data"))
    graph.node("rule", "Keep the best box;\ndrop boxes with\nIoU > threshold", **style.node_attrs("offline"))
    with style.cluster(graph, "after05", "Kept at NMS 0.5", "offline") as cluster:
        cluster.node("k05", "\n".join(f"{d} {names[d]}" for d, _, _ in chapter.RAW_DETECTIONS if d in kept_05),
                     **style.node_attrs("neutral"))
    with style.cluster(graph, "after03", "Kept at NMS 0.3", "offline") as cluster:
        cluster.node("k03", "\n".join(f"{d} {names[d]}" for d, _, _ in chapter.RAW_DETECTIONS if d in kept_03)
                     + "\nface B lost: a miss", **style.node_attrs("highlight"))
    for d, _, _ in chapter.RAW_DETECTIONS:
        graph.edge(d, "rule", **style.edge_attrs(muted=True))
    graph.edge("rule", "k05", **style.edge_attrs(f"d2 out: IoU(d1, d2) {fixed(chapter.pair_iou('d1-d2'), 2)}"))
    graph.edge("rule", "k03", **style.edge_attrs(f"d2, d6 and d3 out:\nIoU(d1, d3) {fixed(chapter.pair_iou('d1-d3'), 2)}"))
    return graph
