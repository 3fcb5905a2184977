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
# # Vector search lab
#
# Retrieval in most recommendation and search designs is a nearest-neighbour search over
# embeddings. Exact search compares the query with every vector; an approximate nearest-neighbour
# (ANN) index compares it with a small fraction of them and sometimes misses a true neighbour. This
# lab measures that trade on generated vectors with [Faiss](https://github.com/facebookresearch/faiss)
# (the `faiss-cpu` package): recall@10 of an HNSW graph and of an IVF index against the work each
# query does, as their search parameters change.
#
# **How cost is measured.** Query time varies from run to run and machine to machine, and this
# page is rebuilt byte for byte, so no wall-clock time appears here. Instead the lab counts
# *distance computations per query*, which Faiss reports deterministically. Every distance between
# two vectors of the same dimension costs about the same, so on one machine the query time follows
# this count closely; time it yourself with `%timeit` when you run the notebook.
#
# The [estimation reference](../../reference/estimation/) gives the memory formulas used at the end.
#
# Run it yourself: the lab's zip (the download at the top of its page) runs on its own. It holds
# this notebook, the book's modules it imports (`snippets/`) and a `requirements.txt` pinned to the
# versions the book was built with; its `README.txt` gives the three commands. To change the book's
# code as well, clone {{ repository: the project's repository }} and run `scripts/setup`.

# %%
# %config InlineBackend.figure_formats = ["svg"]
import faiss
import matplotlib.pyplot as plt
import numpy as np

from snippets.kit.display import count, nbytes
from snippets.kit.estimation import embedding_bytes, hnsw_index_bytes
from snippets.kit.metrics import recall_at_k
from snippets.kit.plotting import TEXT, apply_house_style

apply_house_style()
faiss.omp_set_num_threads(1)  # one thread: the graph build, and so recall, is the same every run

# %% [markdown]
# ## Generated vectors
#
# Real embeddings are not uniform: items form clusters (genres, topics, visual styles). The vectors
# below are drawn around random cluster centres, with queries drawn the same way, from a fixed
# seed. The sizes are small so that the whole lab runs in seconds; the trade-offs have the same
# shape at a billion vectors, only the numbers move.

# %%
N_VECTORS, DIM, N_QUERIES, N_CLUSTERS, K = 20_000, 64, 200, 200, 10
SPREAD = 1.5  # within-cluster spread relative to the spread of the centres: larger is harder
rng = np.random.default_rng(7)
centres = rng.normal(size=(N_CLUSTERS, DIM))


def draw(n):
    """n vectors, each a random cluster centre plus Gaussian noise."""
    return (centres[rng.integers(0, N_CLUSTERS, n)] + SPREAD * rng.normal(size=(n, DIM))).astype("float32")


database, queries = draw(N_VECTORS), draw(N_QUERIES)
print(f"{count(N_VECTORS)} vectors and {count(N_QUERIES)} queries of dimension {DIM}, {N_CLUSTERS} clusters")

# %% [markdown]
# ## Exact search: the ground truth
#
# Brute force with numpy: squared Euclidean distance from every query to every vector (in float64,
# so that near-ties resolve the same way every run), then the 10 smallest. It costs one distance
# computation per stored vector per query, and its top 10 defines the "true" neighbours.

# %%
db64, q64 = database.astype(np.float64), queries.astype(np.float64)
squared = (q64**2).sum(axis=1)[:, None] - 2 * q64 @ db64.T + (db64**2).sum(axis=1)[None, :]
nearest = np.argpartition(squared, K, axis=1)[:, :K]
truth = [set(row.tolist()) for row in nearest]
EXACT_COST = N_VECTORS


def mean_recall(labels):
    """Mean recall@10 of an index's result lists against the exact top 10.

    Faiss pads a list with -1 when it finds fewer than K results (an IVF probe of a small list).
    """
    return float(np.mean([recall_at_k([v for v in row.tolist() if v >= 0], truth[i], K)
                          for i, row in enumerate(labels)]))


print(f"exact search: {count(EXACT_COST)} distance computations per query, recall@{K} = 1 by definition")

# %% [markdown]
# ## HNSW: a graph walked greedily
#
# HNSW links each vector to about `2 * M` near neighbours on its base layer (fewer on sparse upper
# layers). A query walks the graph from an entry point, keeping a candidate list of size `efSearch`
# (`ef`): a larger `ef` explores more of the graph, computes more distances and finds more of the
# true neighbours. `M` is fixed when the index is built; `ef` can change per query.
#
# Faiss counts the distance computations of the base-layer search in `faiss.cvar.hnsw_stats.ndis`
# (the few upper-layer hops are not counted).

# %%
M_VALUES = (8, 16, 32)
EF_VALUES = (10, 20, 40, 80, 160, 320)
hnsw_results = {}
hnsw_indexes = {}
for m in M_VALUES:
    index = faiss.IndexHNSWFlat(DIM, m)
    index.add(database)
    hnsw_indexes[m] = index
    for ef in EF_VALUES:
        index.hnsw.efSearch = ef
        faiss.cvar.hnsw_stats.reset()
        _, labels = index.search(queries, K)
        cost = faiss.cvar.hnsw_stats.ndis / N_QUERIES
        hnsw_results[m, ef] = (mean_recall(labels), cost)

print(f"{'M':>3} {'ef':>4} {'recall@10':>10} {'distances/query':>16}")
for (m, ef), (recall, cost) in hnsw_results.items():
    print(f"{m:>3} {ef:>4} {recall:>10.3f} {cost:>16.0f}")

# %% [markdown]
# ## IVF: search only the nearest clusters
#
# An inverted-file index (IVF) clusters the vectors with k-means into `nlist` lists and, at query
# time, scans only the `nprobe` lists whose centroids are nearest to the query. Its cost per query
# is the `nlist` centroid distances plus the vectors in the probed lists
# (`faiss.cvar.indexIVF_stats.ndis`). The vectors are stored in full here (`IndexIVFFlat`), so the
# only approximation is which lists are scanned; IVF-PQ would add compressed distances on top.

# %%
N_LIST = 256
quantiser = faiss.IndexFlatL2(DIM)
ivf = faiss.IndexIVFFlat(quantiser, DIM, N_LIST)
ivf.cp.seed = 7
ivf.train(database)
ivf.add(database)
NPROBE_VALUES = (1, 2, 4, 8, 16, 32, 64, 128)
ivf_results = {}
for nprobe in NPROBE_VALUES:
    ivf.nprobe = nprobe
    faiss.cvar.indexIVF_stats.reset()
    _, labels = ivf.search(queries, K)
    cost = N_LIST + faiss.cvar.indexIVF_stats.ndis / N_QUERIES
    ivf_results[nprobe] = (mean_recall(labels), cost)

print(f"{'nprobe':>6} {'recall@10':>10} {'distances/query':>16}")
for nprobe, (recall, cost) in ivf_results.items():
    print(f"{nprobe:>6} {recall:>10.3f} {cost:>16.0f}")

# %% [markdown]
# ## Recall against work
#
# The upper chart shows the knob itself: recall@10 as `ef` grows, one line per `M`. The lower chart
# puts every configuration on a common cost axis, distance computations per query, next to exact
# search.

# %%
fig, (top, bottom) = plt.subplots(2, 1, figsize=(6.0, 7.0))
for m in M_VALUES:
    top.plot(EF_VALUES, [hnsw_results[m, ef][0] for ef in EF_VALUES], marker="o", label=f"HNSW, M = {m}")
    bottom.plot([hnsw_results[m, ef][1] for ef in EF_VALUES], [hnsw_results[m, ef][0] for ef in EF_VALUES],
               marker="o", label=f"HNSW, M = {m}")
bottom.plot([ivf_results[p][1] for p in NPROBE_VALUES], [ivf_results[p][0] for p in NPROBE_VALUES],
           marker="s", linestyle="--", label=f"IVF, nlist = {N_LIST}")
bottom.plot([EXACT_COST], [1.0], marker="*", markersize=12, linestyle="none", color=TEXT, label="exact (numpy)")
top.set_xscale("log")
top.set_xticks(EF_VALUES, [str(ef) for ef in EF_VALUES])
top.minorticks_off()
top.set_xlabel("efSearch (candidate list size)")
top.set_ylabel(f"recall@{K}")
top.set_title("HNSW recall as ef grows")
top.legend()
bottom.set_xscale("log")
bottom.set_xlabel("distance computations per query")
bottom.set_ylabel(f"recall@{K}")
bottom.set_title("Recall against work per query")
bottom.legend(loc="lower right")
for axis in (top, bottom):
    axis.set_ylim(top=1.02)
fig.tight_layout()

# %% [markdown]
# Top: mean recall@10 of HNSW against `efSearch` from 10 to 320 (log scale), for M = 8, 16 and 32.
# Recall climbs steeply at small `ef` and flattens towards 1; a larger `M` gives higher recall at
# the same `ef`. Bottom: the same HNSW runs plus IVF with `nprobe` from 1 to 128 (dashed), placed by
# distance computations per query on a log axis, with exact search as a star at the far right (one
# distance per stored vector, recall 1). On these vectors HNSW reaches a given recall with fewer
# distance computations than IVF, and the three HNSW lines nearly overlap: a larger `M` buys recall
# mostly by doing more work per step of the walk, not for free. Every approximate configuration
# does a fraction of exact search's work, and each extra point of recall near the top costs more
# work than the one before. Because query time follows the distance count, the lower chart is also
# the shape of the recall-against-latency curve you would measure with a timer. With more vectors
# the exact cost grows in proportion while the graph walk grows far more slowly, so the gap widens.

# %% [markdown]
# ## What the index costs in memory
#
# The estimation reference sizes an HNSW index as vectors plus `M * 2` four-byte links per vector.
# Faiss can serialise each index, so the formula can be checked against the bytes Faiss actually
# writes.

# %%
raw = embedding_bytes(N_VECTORS, DIM, 4)
print(f"raw fp32 vectors: {nbytes(raw)}")
for m in M_VALUES:
    formula = hnsw_index_bytes(N_VECTORS, DIM, m, 4)
    actual = faiss.serialize_index(hnsw_indexes[m]).size
    print(f"HNSW M={m:>2}: formula {nbytes(formula):>8}, serialised {nbytes(actual):>8} ({actual / formula:.2f}x)")
print(f"IVF-Flat: serialised {nbytes(faiss.serialize_index(ivf).size)} (vectors, ids and centroids)")

# %% [markdown]
# The serialised HNSW index is a few percent larger than the formula: Faiss also stores the
# upper-layer links, an offset and a level per vector. The formula is a floor for planning; a
# running server adds buffers, allocator overhead and concurrent searches' visited sets on top, so
# measure the real process before buying hardware.
#
# ## Try it yourself
#
# - Raise `N_VECTORS` to 100,000: how does the exact cost move, and how does the HNSW cost at the
#   same `ef` move? (Expect the gap to widen: the graph's work grows far more slowly than N.)
# - Replace `IndexIVFFlat` with `faiss.IndexIVFPQ(quantiser, DIM, N_LIST, 16, 8)` (16-byte codes):
#   recall drops at every `nprobe`, in exchange for the memory shown on the estimation page.
# - Time one configuration with `%timeit index.search(queries, K)` for two values of `ef` and
#   check that the ratio of times is close to the ratio of distance computations.
