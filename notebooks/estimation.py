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
# # Estimation lab
#
# The [estimation reference](../../reference/estimation/) gives each back-of-the-envelope formula
# with one table. Tables show a handful of points; this lab sweeps the inputs (users, items,
# dimensions, precision, index parameters) and plots how traffic, storage and index memory grow,
# using the same functions (`snippets/kit/estimation.py`) and the same assumptions
# (`snippets/reference/estimation.py`) as the page.
#
# Run it yourself: the lab's zip (the download at the top of its page) runs on its own. It holds
# this notebook, the book's modules it imports (`snippets/`) and a `requirements.txt` pinned to the
# versions the book was built with; its `README.txt` gives the three commands. To change the book's
# code as well, clone {{ repository: the project's repository }} and run `scripts/setup`.

# %%
# %config InlineBackend.figure_formats = ["svg"]
import matplotlib.pyplot as plt
import numpy as np

from snippets.kit.display import nbytes, short, times
from snippets.kit.estimation import average_qps, embedding_bytes, hnsw_index_bytes, ivfpq_index_bytes, peak_qps
from snippets.kit.house import HOUSE
from snippets.kit.plotting import MUTED, TEXT, apply_house_style
from snippets.reference.estimation import ASSUMPTIONS, HNSW_MS, PQ_CODE_BYTES, PRECISIONS

apply_house_style()
PEAK_TO_AVERAGE = HOUSE.peak_to_average  # the house rule
STORAGE_DIM = ASSUMPTIONS.storage_dim  # the page's embedding dimension
HOST_MEMORY_BYTES = ASSUMPTIONS.host_memory_bytes  # memory one index host gives the index
PQ_ID_BYTES = ASSUMPTIONS.pq_id_bytes

# %% [markdown]
# ## Traffic grows linearly with users, so plot it on log scales
#
# Average QPS is daily users times requests per user, divided by the 86,400 seconds of a day; the
# peak multiplies it by the peak-to-average factor (a rule of thumb). Products span six orders of
# magnitude of users, so both axes are logarithmic: a straight line of slope one means "ten times
# the users, ten times the traffic".

# %%
users = np.logspace(3, 9.5, 40)
fig, ax = plt.subplots(figsize=(6.0, 4.4))
for index, per_user in enumerate((2, 10, 50)):
    average = [average_qps(u, per_user) for u in users]
    ax.plot(users, average, label=f"{per_user} requests per user, average", color=f"C{index}")
    ax.plot(users, [peak_qps(a, PEAK_TO_AVERAGE) for a in average], linestyle="--", color=f"C{index}",
            label=f"{per_user} requests per user, peak ({times(PEAK_TO_AVERAGE)})")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("daily active users")
ax.set_ylabel("queries per second")
ax.set_title("QPS against daily users")
ax.legend()
fig.tight_layout()

# %% [markdown]
# Six parallel straight lines on log-log axes: average traffic (solid) and peak traffic (dashed)
# for 2, 10 and 50 requests per user per day, from a thousand to about three billion daily users.
# Multiplying requests per user or the peak factor shifts a line up by a constant; it never changes
# the slope. The cell below prints the peak at three round user counts.

# %%
user_counts = (1e6, 1e8, 1e9)
print("peak QPS".ljust(24) + "".join(f"{short(u) + ' users':>12}" for u in user_counts))
for per_user in (2, 10, 50):
    peaks = [short(peak_qps(average_qps(u, per_user), PEAK_TO_AVERAGE)) for u in user_counts]
    print(f"{per_user} requests/user/day".ljust(24) + "".join(f"{p:>12}" for p in peaks))

# %% [markdown]
# ## Storage grows with items, dimension and precision
#
# Raw embedding storage is items times dimension times bytes per value. The upper chart sweeps the
# number of items at the page's dimension; the lower one sweeps the dimension for one billion items.

# %%
items = np.logspace(6, 10, 30)
dims = [32, 64, 128, 256, 512, 768, 1024, 2048]
fig, (top, bottom) = plt.subplots(2, 1, figsize=(6.0, 6.4))
for precision in PRECISIONS:
    width = precision.bytes_per_value
    top.plot(items, [embedding_bytes(int(n), STORAGE_DIM, width) for n in items], label=precision.id)
    bottom.plot(dims, [embedding_bytes(1_000_000_000, d, width) for d in dims], marker="o", label=precision.id)
for axis in (top, bottom):
    axis.set_yscale("log")
    axis.axhline(HOST_MEMORY_BYTES, color=MUTED, linestyle=":", linewidth=1)
    axis.set_ylabel("bytes")
    axis.legend()
top.set_xscale("log")
top.set_xlabel("number of items")
top.set_title(f"{STORAGE_DIM}-d embeddings by precision")
bottom.set_xscale("log", base=2)
bottom.set_xlabel("embedding dimension")
bottom.set_title("One billion items by dimension")
fig.tight_layout()

# %% [markdown]
# Top: storage of 256-dimensional embeddings against the number of items (one million to ten
# billion), one line per precision (fp32, fp16, int8, binary), both axes logarithmic. Bottom: storage
# of one billion embeddings against the dimension (32 to 2,048), same precisions. The dotted line is
# the memory of one index host from the page's assumptions. Each precision step is a constant
# vertical gap (a factor of two, two again, then eight for binary), so moving from fp32 to binary
# buys as much as storing 32 times fewer items. Where a line crosses the dotted one, a single copy
# stops fitting on one host.

# %%
for precision in PRECISIONS:
    size = embedding_bytes(1_000_000_000, STORAGE_DIM, precision.bytes_per_value)
    verdict = "fits" if size <= HOST_MEMORY_BYTES else "does not fit"
    host = nbytes(HOST_MEMORY_BYTES)
    print(f"{precision.id:>6}: 1B x {STORAGE_DIM}-d = {nbytes(size):>8}, {verdict} in one {host} host")

# %% [markdown]
# ## Index memory: structure on top of the vectors, or codes instead of them
#
# HNSW keeps every vector and adds about `2 * M` four-byte links per vector; IVF-PQ replaces each
# vector by a short code plus an id. Both formulas come from the Faiss guidelines the page cites.

# %%
fig, ax = plt.subplots(figsize=(6.0, 4.0))
ax.plot(items, [embedding_bytes(int(n), STORAGE_DIM, 4) for n in items], color=TEXT, label="flat (fp32)")
for m in HNSW_MS:
    ax.plot(items, [hnsw_index_bytes(int(n), STORAGE_DIM, m, 4) for n in items], label=f"HNSW, M = {m}")
for code in PQ_CODE_BYTES:
    ax.plot(items, [ivfpq_index_bytes(int(n), code, PQ_ID_BYTES) for n in items], linestyle="--",
            label=f"IVF-PQ, {code} B codes")
ax.axhline(HOST_MEMORY_BYTES, color=MUTED, linestyle=":", linewidth=1)
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("number of vectors")
ax.set_ylabel("index memory (bytes)")
ax.set_title(f"Index memory for {STORAGE_DIM}-d vectors")
ax.legend(ncol=2)
fig.tight_layout()

# %% [markdown]
# Index memory against the number of vectors on log-log axes: the flat index (raw fp32 vectors),
# HNSW with three values of M drawn just above it, and IVF-PQ with three code sizes (dashed) far
# below. The dotted line is one host's memory. The HNSW lines hug the flat line because at 256
# dimensions the links are small next to the vector; the IVF-PQ lines sit more than an order of
# magnitude lower, which is why billion-scale indexes that must fit on one host use compressed
# codes.

# %% [markdown]
# ## When do HNSW links matter?
#
# The links cost `8 * M` bytes per vector whatever the dimension, while the vector costs `4 * d`.
# So the overhead of the graph relative to the raw vectors is large for short vectors and small for
# long ones.

# %%
dims_fine = [16, 32, 64, 128, 256, 512, 1024, 2048]
fig, ax = plt.subplots()
for m in HNSW_MS:
    overhead = [hnsw_index_bytes(1, d, m, 4) / embedding_bytes(1, d, 4) - 1 for d in dims_fine]
    ax.plot(dims_fine, overhead, marker="o", label=f"M = {m}")
ax.set_xscale("log", base=2)
ax.set_yscale("log")
ax.set_xlabel("embedding dimension")
ax.set_ylabel("link bytes / vector bytes")
ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}" if v >= 0.01 else f"{v:.1%}")
ax.set_title("HNSW graph overhead over fp32 vectors")
ax.legend()
fig.tight_layout()

# %% [markdown]
# The ratio of HNSW link bytes to fp32 vector bytes against the embedding dimension (16 to 2,048,
# log scale), one line per M. Each line halves every time the dimension doubles: with M = 64 the
# links outweigh 16-dimensional vectors several times over, while for 2,048-dimensional vectors
# they add only a few percent. Published overhead ratios for HNSW disagree for exactly this reason:
# they were measured at different M and dimensions.

# %%
for d in (64, 256, 1024):
    shares = ", ".join(
        f"M={m}: {hnsw_index_bytes(1, d, m, 4) / embedding_bytes(1, d, 4) - 1:.0%}" for m in HNSW_MS
    )
    print(f"d = {d:>4}: links add {shares}")

# %% [markdown]
# ## Try it yourself
#
# - Change `storage_dim` in the `Assumptions` of `snippets/reference/estimation.py` to 768 and
#   rebuild: which index options still fit one host at one billion vectors?
# - fp16 vectors inside HNSW: call `hnsw_index_bytes(n, d, m, bytes_per_value=2)`. How much does it
#   save at 1B x 256-d, and does the link overhead matter more or less afterwards?
# - Add a line for 8-byte links (some graph libraries store 64-bit neighbour ids): by how much does
#   the HNSW curve move?
