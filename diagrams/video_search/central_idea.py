"""One query, two paths, one fused list: reciprocal rank fusion adds 1/(k + rank) from every list a video is in.

For the query "dog learns to skateboard", BM25 ranks videos whose words match (a skateboard tricks
video without any dog comes first), while the embedding path ranks videos whose frames and meaning
match (a bulldog riding a board whose title never says "skateboard"). Fusion scores each video by
the sum of 1/(k + rank) over the lists it appears in, so a video both paths found near the top
(highlighted) beats a video only one path put first. The scores are computed in
snippets/video_search.py.
"""

from snippets.kit.display import fixed
from snippets.video_search import ASSUMPTIONS, LEXICAL_TOP, SEMANTIC_TOP, fused_score, fused_top


def _column(style, graph, name, title, role, labels, highlighted, width):
    with style.cluster(graph, name, title, role) as cluster:
        for i, (label, hot) in enumerate(zip(labels, highlighted), start=1):
            cluster.node(f"{name}{i}", label, **style.node_attrs("highlight" if hot else "neutral") | {"width": width})
        for i in range(1, len(labels)):
            cluster.edge(f"{name}{i}", f"{name}{i + 1}", style="invis")


def _terms(item: str) -> str:
    ranks = [items.index(item) + 1 for items in (LEXICAL_TOP, SEMANTIC_TOP) if item in items]
    return " + ".join(f"1/{ASSUMPTIONS.rrf_k + r}" for r in ranks)


def draw(style):
    graph = style.digraph("central_idea", direction="TB")
    graph.attr("graph", nodesep="0.5", ranksep="0.12", compound="true")
    both = set(LEXICAL_TOP) & set(SEMANTIC_TOP)
    fused = fused_top()[:5]
    graph.node("query", "\"dog learns to skateboard\"", **style.node_attrs("data"))
    _column(style, graph, "lex", "BM25: the words match", "offline",
            [f"{r}. {item}" for r, item in enumerate(LEXICAL_TOP, start=1)], [i in both for i in LEXICAL_TOP], "2.2")
    _column(style, graph, "sem", "Embeddings: the meaning matches", "model",
            [f"{r}. {item}" for r, item in enumerate(SEMANTIC_TOP, start=1)], [i in both for i in SEMANTIC_TOP], "2.2")
    _column(style, graph, "fused", f"Fused: each list adds 1/({ASSUMPTIONS.rrf_k} + rank)", "online",
            [f"{p}. {item}:  {_terms(item)} = {fixed(fused_score(item), 4)}" for p, item in enumerate(fused, start=1)],
            [i in both for i in fused], "4.2")
    graph.edge("query", "lex1", lhead="cluster_lex", minlen="2")
    graph.edge("query", "sem1", lhead="cluster_sem", minlen="2")
    graph.edge("lex5", "fused1", ltail="cluster_lex", lhead="cluster_fused", minlen="3")
    graph.edge("sem5", "fused1", ltail="cluster_sem", lhead="cluster_fused", minlen="3")
    return graph
