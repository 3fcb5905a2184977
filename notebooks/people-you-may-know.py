# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # People you may know lab
#
# The [people you may know chapter](../../people-you-may-know/) frames connection suggestions as
# link prediction on a graph that changes every day. This lab builds such a graph with networkx,
# freezes it at one moment and asks which connections will form next. It measures the two-hop
# fan-out the chapter estimates, finds friends-of-friends candidates, scores them with the classic
# heuristics and with gradient-boosted trees trained on an earlier snapshot, and compares them by
# recall@k on the connections that actually formed later. It ends by showing what a random edge
# split would have reported instead.
#
# The link-prediction scores, the friends-of-friends walk and the fan-out formula are the chapter's
# own functions (`snippets/people_you_may_know.py` and `snippets/kit/estimation.py`); the metrics
# come from `snippets/kit/metrics.py`. Everything runs in a few seconds on two cores.
#
# Run it yourself: the lab's zip (the download at the top of its page) runs on its own. It holds
# this notebook, the book's modules it imports (`snippets/`) and a `requirements.txt` pinned to the
# versions the book was built with; its `README.txt` gives the three commands. To change the book's
# code as well, clone {{ repository: the project's repository }} and run `scripts/setup`.

# %%
# %config InlineBackend.figure_formats = ["svg"]
import bisect
import itertools
import random

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from snippets import people_you_may_know as pymk
from snippets.kit import estimation as est
from snippets.kit.display import count, short
from snippets.kit.metrics import mean_average_precision, recall_at_k
from snippets.kit.plotting import MUTED, SERIES, apply_house_style

apply_house_style()

# %% [markdown]
# ## A graph that grows, with communities and a long tail
#
# Members belong to communities (think of a company or a school) and differ in how active they are:
# each member's activity is drawn from a log-normal, so a few members connect far more than the
# rest, as on a real network. Connections then arrive one at a time, in order. The member who starts
# one is picked in proportion to activity; with probability `P_CLOSE` they connect to a friend of a
# friend (triadic closure), with probability `P_COMMUNITY` to someone in their own community, and
# otherwise to anyone. Each connection keeps its arrival index as its timestamp, so the graph can be
# frozen at any moment.

# %%
MEMBERS, COMMUNITIES, CONNECTIONS = 2_000, 25, 20_000
P_CLOSE, P_COMMUNITY = 0.55, 0.35
SEED = 20


def grow_graph(members=MEMBERS, communities=COMMUNITIES, connections=CONNECTIONS, seed=SEED):
    """Communities, log-normal activity and time-ordered connections (u, v, arrival index)."""
    rng = random.Random(seed)
    community = [rng.randrange(communities) for _ in range(members)]
    activity = [rng.lognormvariate(0, 1.0) for _ in range(members)]

    def sampler(ids):
        cumulative = list(itertools.accumulate(activity[i] for i in ids))
        return lambda: ids[bisect.bisect(cumulative, rng.random() * cumulative[-1])]

    anyone = sampler(list(range(members)))
    within = [sampler([i for i in range(members) if community[i] == c]) for c in range(communities)]
    neighbours = {i: set() for i in range(members)}
    edges = []
    while len(edges) < connections:
        u = anyone()
        draw = rng.random()
        if draw < P_CLOSE and neighbours[u]:
            friend = rng.choice(sorted(neighbours[u]))
            v = rng.choice(sorted(neighbours[friend]))
        elif draw < P_CLOSE + P_COMMUNITY:
            v = within[community[u]]()
        else:
            v = anyone()
        if v != u and v not in neighbours[u]:
            neighbours[u].add(v)
            neighbours[v].add(u)
            edges.append((u, v, len(edges)))
    return community, edges


community, edges = grow_graph()
full = nx.Graph()
full.add_nodes_from(range(MEMBERS))
full.add_edges_from((u, v) for u, v, _ in edges)
print(f"{count(full.number_of_nodes())} members, {count(full.number_of_edges())} connections, "
      f"mean degree {sum(d for _, d in full.degree()) / MEMBERS:.1f}, "
      f"average clustering {nx.average_clustering(full):.3f}")

# %% [markdown]
# ## Split by time, never at random
#
# Three moments cut the stream of connections. The graph as it stood at the first cut (70% of the
# connections) gives the **training snapshot**; the connections formed between the first and second
# cuts are its labels. The graph at the second cut (85%) gives the **test snapshot**; the connections
# formed after it are the test labels. Features are always computed on a snapshot, and labels always
# come from later, exactly as a daily job that predicts tomorrow from today.

# %%
CUT_TRAIN, CUT_TEST = int(0.70 * len(edges)), int(0.85 * len(edges))
RECENT = int(0.05 * len(edges))  # "recent" connections: the last 5% before a cut


def snapshot(upto):
    graph = {i: set() for i in range(MEMBERS)}
    for u, v, _ in edges[:upto]:
        graph[u].add(v)
        graph[v].add(u)
    return graph


def formed(start, stop):
    later = {}
    for u, v, _ in edges[start:stop]:
        later.setdefault(u, set()).add(v)
        later.setdefault(v, set()).add(u)
    return later


def recent_counts(upto):
    counts = {}
    for u, v, _ in edges[max(0, upto - RECENT):upto]:
        counts[u] = counts.get(u, 0) + 1
        counts[v] = counts.get(v, 0) + 1
    return counts


train_graph, test_graph = snapshot(CUT_TRAIN), snapshot(CUT_TEST)
train_labels, test_labels = formed(CUT_TRAIN, CUT_TEST), formed(CUT_TEST, len(edges))
print(f"training snapshot: {count(CUT_TRAIN)} connections, then {count(CUT_TEST - CUT_TRAIN)} new ones\n"
      f"test snapshot:     {count(CUT_TEST)} connections, then {count(len(edges) - CUT_TEST)} new ones")

# %% [markdown]
# ## The fan-out, measured
#
# The chapter estimates a member's two-hop paths as $d \times (\bar{d}_{nb} - 1)$, where
# $\bar{d}_{nb} = E[d^2]/E[d]$ is the mean degree of a neighbour (the friendship paradox). Here is
# the same quantity counted on the test snapshot: for every member, the sum over their connections
# of that connection's degree minus one, beside the formula with $E[d]$ and $E[d^2]$ measured on this
# graph.

# %%
degrees = np.array([len(test_graph[m]) for m in range(MEMBERS)])
paths = np.array([sum(len(test_graph[f]) - 1 for f in test_graph[m]) for m in range(MEMBERS)])
neighbour_mean = est.mean_neighbour_degree(degrees.mean(), (degrees.astype(float) ** 2).mean())
positive = degrees > 0
distinct = np.array([len(pymk.friends_of_friends(test_graph, m)) for m in range(MEMBERS)])
lines = [f"mean degree {degrees.mean():.1f}; a neighbour's mean degree {neighbour_mean:.1f} "
         f"({neighbour_mean / degrees.mean():.1f} times more)"]
for label, member in (("median member", int(np.argsort(degrees)[MEMBERS // 2])), ("best-connected", int(degrees.argmax()))):
    lines.append(f"{label:15s} degree {degrees[member]:4d}: {paths[member]:6d} two-hop paths "
                 f"(formula {est.two_hop_paths(degrees[member], neighbour_mean):8.0f}), "
                 f"{distinct[member]:5d} distinct candidates")
lines.append(f"paths per distinct friend of a friend: {paths[positive].sum() / distinct[positive].sum():.2f} "
             f"(the chapter assumes {pymk.A.paths_per_candidate:g} at its scale)")
print("\n".join(lines))  # one print per cell: the output is then one stream, identical on every run

# %%
fig, (top, bottom) = plt.subplots(2, 1, figsize=(6, 5.6))
bins = np.logspace(0, np.log10(paths.max() + 1), 40)
top.hist(degrees[positive], bins=bins, color=SERIES[0], alpha=0.8, label="connections (1 hop)")
top.hist(paths[positive], bins=bins, color=SERIES[1], alpha=0.8, label="two-hop paths")
top.set_xscale("log")
top.set_xlabel("per member (log scale)")
top.set_ylabel("members")
top.legend()
top.set_title("One hop against two hops on the test snapshot")
order = np.argsort(degrees[positive])
bottom.scatter(degrees[positive], paths[positive], s=6, color=SERIES[1], alpha=0.5, label="members")
line = np.array([1, degrees.max()])
bottom.plot(line, [est.two_hop_paths(d, neighbour_mean) for d in line], color=SERIES[2],
            label="d × (E[d²]/E[d] − 1)")
bottom.plot(line, line**2, color=MUTED, linestyle="--", label="d × d")
bottom.set_xscale("log")
bottom.set_yscale("log")
bottom.set_xlabel("connections d (log scale)")
bottom.set_ylabel("two-hop paths (log)")
bottom.legend()
fig.tight_layout()

# %% [markdown]
# Two panels. The top one is a histogram, on a logarithmic horizontal axis, of each member's number
# of connections and of their two-hop paths on the test snapshot: the two-hop distribution sits
# one to two orders of magnitude to the right of the one-hop distribution and has a longer tail. The
# bottom one plots every member's two-hop paths against their connections, on log-log axes, with two
# lines: the chapter's formula d × (E[d²]/E[d] − 1), which follows the middle of the cloud, and the
# naive d × d, which falls below it for typical members and rises above it for the best-connected.

# %% [markdown]
# ## Friends-of-friends candidates and their features
#
# For a sample of members who form at least one connection after a cut, the candidates are their
# friends of friends on that cut's snapshot (`pymk.friends_of_friends`). Each pair gets the five
# link-prediction scores of the chapter, both members' degrees, whether they share a community (our
# stand-in for "same company or school") and how many connections each made recently. The label is
# whether the pair connected later.

# %%
FEATURES = ["common", "jaccard", "adamic_adar", "resource_allocation", "preferential",
            "degree_member", "degree_candidate", "same_community", "recent_member", "recent_candidate"]
QUERIES = 300


def candidate_pairs(graph, later, upto, seed):
    recent = recent_counts(upto)
    members = sorted(m for m in later if graph[m])
    random.Random(seed).shuffle(members)
    queries, rows, labels = [], [], []
    for member in sorted(members[:QUERIES]):
        candidates = sorted(pymk.friends_of_friends(graph, member))
        queries.append((member, candidates))
        for c in candidates:
            rows.append([pymk.common_neighbours(graph, member, c), pymk.jaccard(graph, member, c),
                         pymk.adamic_adar(graph, member, c), pymk.resource_allocation(graph, member, c),
                         pymk.preferential_attachment(graph, member, c), len(graph[member]), len(graph[c]),
                         int(community[member] == community[c]), recent.get(member, 0), recent.get(c, 0)])
            labels.append(int(c in later[member]))
    return queries, np.array(rows, dtype=float), np.array(labels)


train_queries, X_train, y_train = candidate_pairs(train_graph, train_labels, CUT_TRAIN, seed=1)
test_queries, X_test, y_test = candidate_pairs(test_graph, test_labels, CUT_TEST, seed=2)
found = sum(len(test_labels[m] & set(c)) for m, c in test_queries)
total = sum(len(test_labels[m]) for m, _ in test_queries)
print(f"training pairs {count(len(y_train))} ({y_train.mean():.2%} connected later); "
      f"test pairs {count(len(y_test))} ({y_test.mean():.2%})\n"
      f"share of the test members' new connections that were friends of friends: {found / total:.1%}")

# %% [markdown]
# That last share is the **recall ceiling** of friends of friends: a connection to someone three
# hops away, or to a stranger, can never be suggested by this source, however good the ranker. The
# chapter's other sources (company and school, address books, embeddings) exist to raise it.
#
# A quick check that the chapter's scores are the standard ones: networkx computes the same
# Jaccard and Adamic-Adar values for a few test pairs.

# %%
nx_graph = nx.Graph([(u, v) for u, v, _ in edges[:CUT_TEST]])
member, candidates = test_queries[0]
pairs = [(member, c) for c in candidates[:5]]
for (u, v, jac), (_, _, aa) in zip(nx.jaccard_coefficient(nx_graph, pairs), nx.adamic_adar_index(nx_graph, pairs)):
    assert abs(jac - pymk.jaccard(test_graph, u, v)) < 1e-12 and abs(aa - pymk.adamic_adar(test_graph, u, v)) < 1e-12
print("networkx agrees on", len(pairs), "pairs")

# %% [markdown]
# ## Heuristics against a learned model
#
# Each heuristic ranks a member's candidates by one score. The learned model is scikit-learn's
# histogram gradient-boosted trees, trained on the training snapshot's pairs and labels and applied
# to the test snapshot's pairs: it never sees a test label. Every method is scored by recall@k and
# MAP@k against **all** the connections each member formed after the cut, including those that were
# not friends of friends, with the kit's metrics (AP divides by every connection formed, N = R).

# %%
model = HistGradientBoostingClassifier(max_iter=100, learning_rate=0.1, max_depth=3, min_samples_leaf=500,
                                       early_stopping=False, random_state=0)
model.fit(X_train, y_train)
KS = (10, 50)


def evaluate(scores, queries, later):
    ranked_lists, start = [], 0
    for member, candidates in queries:
        block = scores[start:start + len(candidates)]
        start += len(candidates)
        order = sorted(range(len(candidates)), key=lambda i: (-block[i], candidates[i]))
        ranked_lists.append(([candidates[i] for i in order], later[member]))
    return {k: (np.mean([recall_at_k(r, rel, k) for r, rel in ranked_lists]),
                mean_average_precision(ranked_lists, k, normalizer="relevant")) for k in KS}


methods = {name: X_test[:, FEATURES.index(column)] for name, column in (
    ("Common connections", "common"), ("Jaccard", "jaccard"), ("Adamic-Adar", "adamic_adar"),
    ("Resource allocation", "resource_allocation"), ("Preferential attachment", "preferential"))}
methods["Gradient-boosted trees"] = model.predict_proba(X_test)[:, 1]
results = {name: evaluate(scores, test_queries, test_labels) for name, scores in methods.items()}
lines = [f"{'method':25s} " + " ".join(f"recall@{k:<3d} MAP@{k:<3d}" for k in KS)]
for name, by_k in results.items():
    lines.append(f"{name:25s} " + " ".join(f"{by_k[k][0]:10.3f} {by_k[k][1]:7.3f}" for k in KS))
print("\n".join(lines))

# %%
fig, ax = plt.subplots(figsize=(6, 4.0))
names = list(results)
y = np.arange(len(names))
for offset, k, colour in ((-0.2, KS[0], SERIES[0]), (0.2, KS[1], SERIES[1])):
    ax.barh(y + offset, [results[n][k][0] for n in names], height=0.38, color=colour, label=f"recall@{k}")
ax.axvline(found / total, color=MUTED, linestyle="--", label="friends-of-friends ceiling")
ax.set_yticks(y, names)
ax.invert_yaxis()
ax.set_xlabel("recall on connections formed after the test cut")
ax.legend(loc="upper center", bbox_to_anchor=(0.45, -0.22), ncol=3)
fig.tight_layout()

# %% [markdown]
# A horizontal bar chart with one pair of bars per method (common connections, Jaccard, Adamic-Adar,
# resource allocation, preferential attachment and gradient-boosted trees): the first bar of each
# pair is recall@10 and the second recall@50, on the connections formed after the test cut. A dashed
# vertical line marks the friends-of-friends ceiling, the share of those connections that were
# friends of friends at all. Preferential attachment is far behind; the scores that weigh shared
# connections are close together, and the trees edge ahead of them at both cut-offs, by one to three
# points:
# on a graph with no profiles, shared connections are most of what any model can know.

# %% [markdown]
# ## What a random edge split would have reported
#
# A common shortcut hides a random 15% of **all** connections, whenever they formed, and predicts
# them from the rest. That lets the model see connections formed after the ones it predicts, so the
# graph around each hidden pair is denser than it ever was when the pair formed. Here is
# Adamic-Adar evaluated both ways.

# %%
rng = random.Random(3)
shuffled = edges[:]
rng.shuffle(shuffled)
held_out = shuffled[:len(edges) - CUT_TEST]  # as many hidden connections as the temporal test has
kept_graph = {i: set() for i in range(MEMBERS)}
for u, v, _ in shuffled[len(held_out):]:
    kept_graph[u].add(v)
    kept_graph[v].add(u)
hidden = {}
for u, v, _ in held_out:
    hidden.setdefault(u, set()).add(v)
    hidden.setdefault(v, set()).add(u)
queries = sorted(m for m in hidden if kept_graph[m])
random.Random(2).shuffle(queries)
random_queries, random_scores = [], []
for member in sorted(queries[:QUERIES]):
    candidates = sorted(pymk.friends_of_friends(kept_graph, member))
    random_queries.append((member, candidates))
    random_scores += [pymk.adamic_adar(kept_graph, member, c) for c in candidates]
random_split = evaluate(np.array(random_scores), random_queries, hidden)
temporal = results["Adamic-Adar"]
print("\n".join(f"Adamic-Adar recall@{k}: random split {random_split[k][0]:.3f}, temporal split {temporal[k][0]:.3f}"
                for k in KS))

# %% [markdown]
# The random split reports the higher number, and it is the wrong one: in production the model only
# ever sees today's graph and predicts tomorrow's connections, which is what the temporal split
# measures. How far apart the two numbers are depends on the graph; on a real network, where later
# connections cluster around earlier ones, the gap can decide a launch.
#
# ## What to take away
#
# - **Two hops explode.** A member's two-hop paths grow with their degree times their neighbours'
#   mean degree, which the long tail inflates (the friendship paradox); the naive $d^2$ is wrong in
#   both directions.
# - **Friends of friends are the right first source, not the only one.** Here they cover most new
#   connections but not all; the rest need other sources.
# - **Shared connections are most of the signal.** Scores that weigh shared connections (Adamic-Adar,
#   resource allocation, plain counts) beat preferential attachment by far; a learned model that
#   adds degrees, recency and community does better still, and on a real network profile features
#   add more.
# - **Split by time.** Labels must come from after the snapshot the features were computed on; a
#   random edge split mixes the future into the features.
#
# ## Try it yourself
#
# - Set `P_CLOSE = 0.2`: fewer connections close triangles. What happens to the friends-of-friends
#   ceiling and to the gap between the heuristics?
# - Make super-connectors: in `grow_graph`, give ten members an activity of 50 and rerun. How do the
#   fan-out histogram and the Jaccard score respond?
# - Drop the `same_community` column from `FEATURES` (and from the rows): how much of the trees'
#   lead came from it?
