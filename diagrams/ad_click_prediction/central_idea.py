"""Why the auction needs calibrated probabilities: one over-predicted ad wins the slot and halves the revenue.

Three ads compete for one slot and are ranked by bid times pCTR. With calibrated predictions, ad A
has the highest expected value per impression and wins, paying the second price. If the model
over-predicts the new ad C (its true CTR is far lower), C's score jumps to the top: it wins the
slot, users click less, the platform earns less per thousand impressions, and advertiser A loses an
impression it would have valued most. All numbers are computed in snippets/ad_click_prediction.py.
"""

import snippets.ad_click_prediction as chapter
from snippets.kit.display import percent, times


def _panel(style, graph, model: str, title: str) -> None:
    ranked = chapter.auction_ranking(model)
    with style.cluster(graph, model, title, "neutral") as panel:
        previous = None
        for rank, ad in enumerate(ranked, 1):
            pctr = ad.calibrated_pctr if model == "calibrated" else ad.skewed_pctr
            score = chapter.expected_value_per_impression(ad.bid, pctr) * 1000
            role = "highlight" if rank == 1 else "neutral"
            label = (f"{rank}. Ad {ad.id}: ${ad.bid:.2f} × {percent(pctr, 3)}\n"
                     f"= ${score:.2f} per 1,000" + ("   wins" if rank == 1 else ""))
            node = f"{model}_{ad.id}"
            panel.node(node, label, **style.node_attrs(role) | {"width": "3.1"})
            if previous:
                panel.edge(previous, node, style="invis")
            previous = node
        panel.node(f"{model}_result",
                   f"Price {chapter.usd(chapter.auction_price(model))} per click\n"
                   f"Revenue {chapter.usd(chapter.auction_revenue_per_mille(model))} per 1,000",
                   **style.node_attrs("data") | {"width": "3.1"})
        panel.edge(previous, f"{model}_result", style="invis")


def draw(style):
    graph = style.digraph("central_idea", direction="TB")
    graph.attr("graph", nodesep="0.5", ranksep="0.2")
    _panel(style, graph, "calibrated", "Calibrated pCTR\\l")
    _panel(style, graph, "skewed", f"Ad C over-predicted {times(chapter.skew_factor())}\\l")
    return graph
