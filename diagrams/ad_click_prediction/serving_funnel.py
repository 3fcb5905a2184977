"""The per-auction path: candidate counts, rates at peak and the latency budget of each stage.

Each ad slot starts one auction. The ad server passes the eligible candidates to scoring, which
fetches the user's features once, takes each ad's features from a local cache, splits the
candidates into parallel calls to the pCTR model, calibrates, multiplies by the bid and hands the
ranked list to the auction, which picks one winner and its second price. Each stage carries its
count and its share of the scoring budget, computed in snippets/ad_click_prediction.py.
"""

import snippets.ad_click_prediction as chapter
from snippets.kit.display import count, ms, short


def _budget(stage_id: str) -> str:
    return ms(chapter.stage_budget(stage_id))


def draw(style):
    a = chapter.ASSUMPTIONS
    graph = style.digraph("serving_funnel", direction="TB")
    graph.attr("graph", nodesep="0.25", ranksep="0.3")
    wide = {"width": "5.6"}
    stage = style.node_attrs("online") | wide
    graph.node("slots", f"{short(chapter.peak_auctions_per_second())} auctions per second at peak"
                        f" (one per ad slot)", **style.node_attrs("data") | wide)
    graph.node("eligible", f"Eligible ads (targeting, budget, policy): {count(a.candidates_per_auction)}"
                           f"   ({_budget('network')} network)", **stage)
    graph.node("user", f"User and context features: 1 look-up, {count(a.feature_fields_per_request)} values"
                       f"   ({_budget('user_features')})", **stage)
    graph.node("ads", f"Ad features for {count(a.candidates_per_auction)} ads from the local cache"
                      f"   ({_budget('ad_features')})", **stage)
    with style.cluster(graph, "calls", f"pCTR model: {count(chapter.scoring_calls())} calls of "
                                       f"{count(a.ranking_batch_size)} in parallel, {_budget('inference')}\\l",
                       "model") as calls:
        for i in range(chapter.scoring_calls()):
            calls.node(f"call{i}", f"{count(a.ranking_batch_size)}", **style.node_attrs("neutral") | {"fontsize": "12"})
    graph.node("calib", f"Calibrate; score = bid × pCTR for {count(a.candidates_per_auction)} ads"
                        f"   ({_budget('calibrate')})", **stage)
    graph.node("win", f"Auction: 1 winner, second price   (headroom {_budget('headroom')})",
               **style.node_attrs("highlight") | wide)
    graph.edge("slots", "eligible")
    graph.edge("eligible", "user")
    graph.edge("user", "ads")
    middle = chapter.scoring_calls() // 2
    graph.attr("graph", compound="true")
    graph.edge("ads", f"call{middle}", lhead="cluster_calls")
    for i in range(chapter.scoring_calls()):
        graph.edge(f"call{i}", "calib")
    graph.edge("calib", "win")
    return graph
