"""The serving path: listings left at each stage of one carousel request, and each stage's time budget.

For a listing page in the largest market, the market's listings are narrowed to those free for the
dates, an exact cosine scan keeps the nearest ones to the anchor listing, price-band and capacity
filters remove misfits, and the ranker orders the survivors for the carousel. Counts and
milliseconds are computed from the chapter's assumptions in snippets/similar_listings.py.
"""

from snippets.kit.display import count, ms, short
from snippets.similar_listings import ASSUMPTIONS, after_filters, available_in_market, scan_ms, stage_budget


def _budget(stage_id: str) -> str:
    return ms(stage_budget(stage_id))


def draw(style):
    a = ASSUMPTIONS
    graph = style.digraph("serving_funnel", direction="TB")
    graph.attr("graph", nodesep="0.25", ranksep="0.3")
    wide = {"width": "5.4"}
    graph.node("anchor", f"Anchor listing's vector + dates' availability   ({_budget('anchor')})",
               **style.node_attrs("data") | wide)
    graph.node("market", f"Market: {short(a.largest_market_listings)} listings → "
                         f"{short(available_in_market())} free for the dates", **style.node_attrs("storage") | wide)
    graph.node("scan", f"Exact cosine scan → top {count(a.knn_candidates)}   ({_budget('knn')}; "
                       f"the scan itself ≈ {ms(scan_ms(), digits=2)})", **style.node_attrs("online") | wide)
    graph.node("filter", f"Price band, capacity, policy → {count(after_filters())}   ({_budget('filters')})",
               **style.node_attrs("online") | wide)
    graph.node("rank", f"Ranker scores {count(after_filters())}, keeps {count(a.carousel_size)}   "
                       f"({_budget('ranker')})", **style.node_attrs("model") | wide)
    graph.node("page", f"Carousel of {count(a.carousel_size)}, hydrated   ({_budget('hydrate')})",
               **style.node_attrs("data") | wide)
    for left, right in (("anchor", "market"), ("market", "scan"), ("scan", "filter"), ("filter", "rank"),
                        ("rank", "page")):
        graph.edge(left, right)
    return graph
