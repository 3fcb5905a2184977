"""The throughput funnel: from frames a second to tiles, accelerators and accelerator-hours.

A peak day's upload must be blurred within the deadline, which sets the frame rate to sustain.
Each frame becomes an overlapping grid of tiles plus one downscaled whole-frame pass; the tile
rate divided by one accelerator's rate at the target utilisation gives the fleet. The per-frame
time of one accelerator worker and the week's accelerator-hours and cost follow. Every label is
computed in snippets/street_view_blurring.py.
"""

import snippets.street_view_blurring as chapter
from snippets.kit.display import count, ms, short


def draw(style):
    graph = style.digraph("serving_funnel", direction="TB")
    graph.attr("graph", nodesep="0.3", ranksep="0.35")
    graph.node("week", f"{short(chapter.A.frames_per_week)} frames a week\n"
                       f"(peak day {short(chapter.peak_day_frames())})", **style.node_attrs("data"))
    graph.node("fps", f"{short(chapter.required_frames_per_second())} frames a second\n"
                      f"to clear a peak day in {count(chapter.A.deadline_hours)} h", **style.node_attrs("offline"))
    graph.node("tiles", f"x {count(chapter.tiles_per_frame())} tiles per frame\n"
                        f"= {short(chapter.required_tiles_per_second())} tiles a second", **style.node_attrs("offline"))
    graph.node("gpus", f"{count(chapter.accelerators())} accelerators\n"
                       f"({ms(chapter.frame_budget_ms())} per frame each)", **style.node_attrs("model"))
    graph.node("hours", f"{short(chapter.accelerator_hours_per_week())} accelerator-hours a week\n"
                        f"≈ {chapter.usd(chapter.weekly_compute_cost())} autoscaled", **style.node_attrs("highlight"))
    graph.edge("week", "fps")
    graph.edge("fps", "tiles")
    graph.edge("tiles", "gpus")
    graph.edge("gpus", "hours")
    return graph
