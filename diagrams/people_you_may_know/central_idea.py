"""Friends of friends: one hop reaches a member's connections, two hops reach the candidates.

"You" have three connections (the first hop). Each of them has connections of their own; following
those edges (the second hop) reaches every friend of a friend, and a candidate reached along two
paths (Dev through Ada and Ben, Fay through Ben and Chen) shares two connections with you, the
strongest single signal of the pair. Paths back to you or to someone you already know are dropped.
Members three hops away are never reached, which is why other candidate sources exist. The counts
of each hop are computed from the graph in snippets/people_you_may_know.py.
"""

from snippets.kit.display import count
from snippets.people_you_may_know import (
    TOY_MEMBER,
    friends_of_friends,
    toy_degree,
    toy_fof_count,
    toy_fof_paths,
    toy_graph,
    toy_three_hop_count,
    toy_two_hop_paths,
)


def draw(style):
    g = toy_graph()
    fof = friends_of_friends(g, TOY_MEMBER)
    hop1 = sorted(g[TOY_MEMBER])
    hop2 = sorted(fof, key=lambda c: (-fof[c], c))
    reached = {TOY_MEMBER, *hop1, *hop2}
    hop3 = sorted({c for f in hop2 for c in g[f]} - reached)
    graph = style.digraph("central_idea", direction="LR")
    graph.attr("graph", nodesep="0.15", ranksep="0.7", newrank="true")
    small = {"fontsize": "12"}
    graph.node(TOY_MEMBER, TOY_MEMBER, **style.node_attrs("highlight"))
    with style.cluster(graph, "hop1", f"Hop 1: {count(toy_degree())} connections", "online",
                       title="top-left") as one:
        for member in hop1:
            one.node(member, member, **style.node_attrs("online") | small)
    with style.cluster(graph, "hop2", f"Hop 2: {count(toy_two_hop_paths())} paths, "
                       f"{count(toy_fof_paths())} to\\l{count(toy_fof_count())} friends of friends\\l",
                       "model", title="bottom-left") as two:
        for member in hop2:
            two.node(member, f"{member}\n{fof[member]} shared", **style.node_attrs("model") | small)
    with style.cluster(graph, "hop3", f"Hop 3: {count(toy_three_hop_count())}\\lnot reached\\l", "neutral",
                       title="bottom-left") as three:
        for member in hop3:
            three.node(member, member, **style.node_attrs("neutral") | small)
    for member in hop1:
        graph.edge(TOY_MEMBER, member)
    drawn = set()
    for friend in hop1:
        for other in sorted(g[friend]):
            if other in fof:
                graph.edge(friend, other)
            elif other in hop1 and (other, friend) not in drawn:
                graph.edge(friend, other, **style.edge_attrs(muted=True) | {"constraint": "false", "dir": "none"})
                drawn.add((friend, other))
    for candidate in hop2:
        for other in sorted(g[candidate]):
            if other in hop3:
                graph.edge(candidate, other, **style.edge_attrs(muted=True))
    return graph
