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
# # Visual search lab
#
# The visual search chapter rests on two claims: a **learned metric** places images a person would
# call similar closer together than raw pixels or an unsupervised projection do, and the resulting
# embeddings can be **compressed** (float16, product quantisation, binary codes) with a measurable,
# not catastrophic, loss of recall. This lab checks both on real images that scikit-learn ships: the
# 1,797 handwritten digits of `load_digits` (8 × 8 grey pixels), where "similar" means "the same
# digit".
#
# 1. Three embeddings of the same images: the raw 64 pixels, an 8-dimensional PCA projection (no
#    labels) and an 8-dimensional projection learned from labels with scikit-learn's
#    `NeighborhoodComponentsAnalysis` (NCA), compared by hit rate@k and precision@k.
# 2. The learned embeddings indexed with [Faiss](https://github.com/facebookresearch/faiss) as
#    float32, float16, product-quantisation codes and binary codes: recall against exact search
#    for each number of bytes per image.
#
# Everything is deterministic (fixed seeds, one Faiss thread) and runs in a few seconds on two
# cores. The metrics come from the book's tested library (`snippets.kit.metrics`), and the bytes per
# vector from the chapter's own module (`snippets.visual_search`).
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
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split
from sklearn.neighbors import NeighborhoodComponentsAnalysis
from sklearn.preprocessing import StandardScaler

from snippets.kit.display import nbytes
from snippets.kit.estimation import embedding_bytes
from snippets.kit.metrics import hit_rate_at_k, precision_at_k, recall_at_k
from snippets.kit.plotting import MUTED, SERIES, apply_house_style
from snippets.visual_search import ASSUMPTIONS, vector_bytes_for

apply_house_style()
faiss.omp_set_num_threads(1)  # one thread: k-means and so the codes are the same every run

# %% [markdown]
# ## The images: an index and a set of queries
#
# Seven in ten images form the index (the "corpus"); the rest are queries. The split is stratified,
# so every digit appears on both sides. Nothing learned (the scaler, PCA, NCA, the quantisers) sees a
# query image.

# %%
SEED = 0
DIM = 8  # the embedding width of the two projections
KS = (1, 2, 4, 8, 16)
pixels, digits = load_digits(return_X_y=True)
corpus, queries, corpus_digit, query_digit = train_test_split(
    pixels, digits, test_size=0.3, random_state=SEED, stratify=digits)
print(f"{len(corpus)} corpus images, {len(queries)} queries, {pixels.shape[1]} pixels each")

# %% [markdown]
# ## Three embeddings
#
# - **Raw pixels:** the 64 grey levels as they are. The baseline every learned embedding must beat.
# - **PCA:** the 8 directions of largest variance of the (standardised) corpus. Unsupervised, like an
#   autoencoder or a generic pretrained feature: it keeps what varies most, which need not be what
#   tells digits apart.
# - **NCA:** a linear map to 8 dimensions trained so that each image's nearest neighbours (under a
#   soft, stochastic choice of neighbour) share its label. It is metric learning in its simplest
#   form: the same objective as the chapter's contrastive training (pull same-label pairs together,
#   push others apart), with a linear map instead of a deep encoder.

# %%
scaler = StandardScaler().fit(corpus)
corpus_std, queries_std = scaler.transform(corpus), scaler.transform(queries)
pca = PCA(n_components=DIM, random_state=SEED).fit(corpus_std)
nca = NeighborhoodComponentsAnalysis(n_components=DIM, max_iter=50, random_state=SEED).fit(corpus_std, corpus_digit)

EMBEDDINGS = {
    "raw pixels (64-d)": (corpus, queries),
    f"PCA ({DIM}-d)": (pca.transform(corpus_std), pca.transform(queries_std)),
    f"NCA ({DIM}-d)": (nca.transform(corpus_std), nca.transform(queries_std)),
}


def as_float32(array):
    return np.ascontiguousarray(array, dtype="float32")


def neighbours(index_vectors, query_vectors, k):
    """Exact k nearest neighbours (squared L2) of each query, with Faiss's brute-force index."""
    index = faiss.IndexFlatL2(index_vectors.shape[1])
    index.add(as_float32(index_vectors))
    _, ids = index.search(as_float32(query_vectors), k)
    return ids


def same_digit_queries(ids):
    """(ranked corpus ids, ids of corpus images of the query's digit) per query, for the metrics."""
    relevant_by_digit = {d: set(np.flatnonzero(corpus_digit == d).tolist()) for d in range(10)}
    return [(row.tolist(), relevant_by_digit[d]) for row, d in zip(ids, query_digit)]


results = {}
for name, (corpus_vectors, query_vectors) in EMBEDDINGS.items():
    judged = same_digit_queries(neighbours(corpus_vectors, query_vectors, max(KS)))
    results[name] = {
        "hit": [hit_rate_at_k(judged, k) for k in KS],
        "precision@10": float(np.mean([precision_at_k(ranked, relevant, 10) for ranked, relevant in judged])),
    }

print(f"{'embedding':<18} " + " ".join(f"{'HR@' + str(k):>7}" for k in KS) + f" {'P@10':>7}")
for name, row in results.items():
    print(f"{name:<18} " + " ".join(f"{v:>7.3f}" for v in row["hit"]) + f" {row['precision@10']:>7.3f}")

# %% [markdown]
# **Which "recall@k"?** Metric-learning papers report "Recall@K" as the share of queries with at
# least one correct image among their K nearest neighbours. The book calls that **hit rate@k** and
# keeps **recall@k** for its information-retrieval meaning, the share of all relevant items found in
# the top k. Here every query has well over a hundred relevant images (all corpus images of its
# digit), so IR recall@16 could never exceed a small fraction, while the hit rate reaches 1. The
# precision@10 column counts how many of the ten nearest images show the right digit: a stricter
# view of the same neighbourhoods.

# %%
fig, axis = plt.subplots(figsize=(6.0, 3.6))
for (name, row), colour, marker in zip(results.items(), SERIES, ("o", "s", "^")):
    axis.plot(KS, row["hit"], marker=marker, color=colour, label=name)
axis.set_xscale("log", base=2)
axis.set_xticks(KS, [str(k) for k in KS])
axis.minorticks_off()
axis.set_xlabel("k (neighbours looked at)")
axis.set_ylabel("hit rate@k")
axis.set_title("Same-digit hit rate of three embeddings")
axis.legend(loc="lower right")
fig.tight_layout()

# %% [markdown]
# Hit rate@k for k = 1, 2, 4, 8 and 16 (log scale) for the raw 64 pixels, an 8-dimensional PCA
# projection and an 8-dimensional NCA projection, measured on the held-out queries. All three rise
# towards 1 as k grows. PCA's line sits clearly below the other two at small k: compressing to 8
# unsupervised directions throws away part of what separates the digits. NCA's line, at the same 8
# dimensions, runs close to the raw pixels' line, which uses eight times as many. That is the point
# of metric learning for a search system: the learned space keeps what matters for "similar" in far
# fewer dimensions, and every dimension saved is index memory saved for every image in the corpus.

# %% [markdown]
# ## Compressing the learned embedding: recall against memory
#
# Now index the NCA embeddings with Faiss in four formats and measure two things for each:
#
# - **ANN recall@10:** the share of each query's exact 10 nearest neighbours (float32, brute force)
#   that the compressed index still returns in its top 10. It isolates what the format loses.
# - **Hit rate@1:** whether the single nearest image is the right digit, the task metric.
#
# The formats: float32 and float16 (`IndexScalarQuantizer` with `QT_fp16`), product quantisation
# (`IndexPQ` with `M` sub-quantisers of 4 bits: a training set this small cannot fill 256-centroid
# codebooks, so each sub-space gets 16 centroids and a code takes M/2 bytes), and binary codes from
# `IndexLSH` (a random rotation followed by the sign of each coordinate, compared by Hamming
# distance), at several code lengths. Bytes per image come from the chapter's own
# `vector_bytes_for`.

# %%
K = 10
learned_corpus, learned_queries = (as_float32(v) for v in EMBEDDINGS[f"NCA ({DIM}-d)"])
exact_ids = neighbours(learned_corpus, learned_queries, K)
exact_top = [set(row.tolist()) for row in exact_ids]


def evaluate(index):
    """ANN recall@10 against exact search, and same-digit hit rate@1, of a filled Faiss index."""
    _, ids = index.search(learned_queries, K)
    ann_recall = float(np.mean([recall_at_k([v for v in row.tolist() if v >= 0], truth, K)
                                for row, truth in zip(ids, exact_top)]))
    return ann_recall, hit_rate_at_k(same_digit_queries(ids), 1)


formats = []  # (family, label, bytes per image, ANN recall@10, hit rate@1)
for family, label, index, size in (
    ("float", "float32", faiss.IndexFlatL2(DIM), vector_bytes_for("fp32", DIM)),
    ("float", "float16", faiss.IndexScalarQuantizer(DIM, faiss.ScalarQuantizer.QT_fp16), vector_bytes_for("fp16", DIM)),
):
    index.train(learned_corpus)
    index.add(learned_corpus)
    formats.append((family, label, size, *evaluate(index)))

PQ_BITS = 4
for m in (2, 4, 8):
    index = faiss.IndexPQ(DIM, m, PQ_BITS)
    index.train(learned_corpus)
    index.add(learned_corpus)
    formats.append(("PQ", f"PQ{m}x{PQ_BITS}", vector_bytes_for("pq", DIM, pq_code_bytes=m * PQ_BITS // 8),
                    *evaluate(index)))

for bits in (8, 16, 32, 64):
    index = faiss.IndexLSH(DIM, bits, True)
    index.train(learned_corpus)  # with rotate_data=True, draws the random rotation from Faiss's fixed seed
    index.add(learned_corpus)
    formats.append(("binary", f"{bits} bits", vector_bytes_for("binary", bits), *evaluate(index)))

print(f"{'format':<10} {'bytes/image':>11} {'ANN R@10':>9} {'HR@1':>6}  {'at the chapter scale':>22}")
for family, label, size, ann_recall, hit in formats:
    at_scale = nbytes(embedding_bytes(ASSUMPTIONS.corpus_images, 1, size))
    print(f"{label:<10} {size:>11g} {ann_recall:>9.3f} {hit:>6.3f}  {at_scale:>22}")

# %% [markdown]
# The last column multiplies bytes per image by the chapter's corpus of five billion images
# (`ASSUMPTIONS.corpus_images`), without ids or index structure: the same format choice, at the
# scale where it decides how many machines you buy.

# %%
fig, (top, bottom) = plt.subplots(2, 1, figsize=(6.0, 6.4), sharex=True)
for family, colour, marker in (("float", SERIES[0], "o"), ("PQ", SERIES[1], "s"), ("binary", SERIES[2], "^")):
    rows = sorted((r for r in formats if r[0] == family), key=lambda r: r[2])
    sizes = [r[2] for r in rows]
    top.plot(sizes, [r[3] for r in rows], marker=marker, color=colour, label=family)
    bottom.plot(sizes, [r[4] for r in rows], marker=marker, color=colour, label=family)
exact_hit = next(r[4] for r in formats if r[1] == "float32")
bottom.axhline(exact_hit, color=MUTED, linestyle=":", linewidth=1)
top.set_ylabel("ANN recall@10")
top.set_title("What each format keeps of the exact neighbours")
top.legend(loc="lower right")
bottom.set_ylabel("hit rate@1")
bottom.set_title("Same-digit hit rate of the nearest image")
bottom.set_xscale("log", base=2)
sizes_shown = sorted({r[2] for r in formats})
bottom.set_xticks(sizes_shown, [f"{size:g}" for size in sizes_shown])
bottom.minorticks_off()
bottom.set_xlabel("bytes per image (log scale)")
fig.tight_layout()

# %% [markdown]
# Top: ANN recall@10 of each format against exact float32 search, placed by bytes per image on a
# log-2 axis: float (float16 and float32), PQ with 2, 4 and 8 sub-quantisers, and binary codes of 8 to
# 64 bits. Bottom: hit rate@1 of the same indexes, with a dotted line at the float32 value. Float16
# loses nothing visible at half the bytes of float32. PQ and binary codes both climb as they are given
# more bytes; at the smallest sizes a good share of the exact neighbours is lost, yet the task metric in
# the lower panel falls far less than ANN recall does, because a lost neighbour is usually replaced by
# another image of the same digit. That gap is why a production system measures both, and why it
# re-scores the compressed index's candidates with exact vectors, as the chapter's design does.
#
# ## What to take away
#
# - **Learn the metric.** A projection trained on what "similar" means keeps, in 8 dimensions, almost
#   all the neighbourhood quality that 64 raw dimensions give, while an unsupervised projection of the
#   same size loses visibly more. At five billion images, dimensions are hosts.
# - **Say which recall.** Hit rate@k ("Recall@K" in metric-learning papers), IR recall@k and ANN
#   recall against exact search are three different numbers; report the one that answers your
#   question, and name it.
# - **Compression is a curve, not a switch.** Float16 is free here; PQ and binary codes trade recall
#   for bytes smoothly. Measure the curve on your own embeddings at the k your re-ranker consumes,
#   then choose the smallest format whose recall the re-scoring step can live with.
# - **Task loss is smaller than index loss.** Neighbours that compression swaps are often equally
#   relevant; measure both, because only the task metric says whether users will notice.
#
# ## Try it yourself
#
# - Set `DIM = 4` or `DIM = 16` and rerun: how far apart are PCA and NCA at each width?
# - Give PQ 8-bit codebooks (`faiss.IndexPQ(DIM, m, 8)`): Faiss warns that the training set is too
#   small for 256 centroids per sub-space. What happens to recall, and why?
# - Replace `IndexLSH` by the sign of the NCA coordinates themselves (`np.packbits(x > 0, axis=1)` in an
#   `IndexBinaryFlat`): with only 8 dimensions there are only 8 bits to keep. How does that compare
#   with a 64-bit random projection?
