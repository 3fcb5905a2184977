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
# # Metrics lab
#
# The [metrics reference](../../reference/metrics/) defines each metric on a handful of items. This
# lab uses thousands of generated examples instead and draws the pictures behind the numbers:
# precision-recall and ROC curves for two scorers, a reliability diagram for a miscalibrated model,
# and how the linear and exponential gains of nDCG react when one item's grade changes. Every metric
# comes from the project's library, `snippets/kit/metrics.py`; the curve points come from the helpers in
# `snippets/reference/metrics.py`. No scikit-learn is used, so what you see is exactly what the
# library computes.
#
# Run it yourself: the lab's zip (the download at the top of its page) runs on its own. It holds
# this notebook, the book's modules it imports (`snippets/`) and a `requirements.txt` pinned to the
# versions the book was built with; its `README.txt` gives the three commands. To change the book's
# code as well, clone {{ repository: the project's repository }} and run `scripts/setup`.

# %%
# %config InlineBackend.figure_formats = ["svg"]
import matplotlib.pyplot as plt
import numpy as np

from snippets.kit.metrics import (
    average_precision,
    calibration_ratio,
    expected_calibration_error,
    log_loss,
    ndcg_at_k,
    normalized_entropy,
    roc_auc,
)
from snippets.kit.plotting import MUTED, SERIES, apply_house_style
from snippets.reference.metrics import (
    GRADES,
    precision_recall_points,
    reliability_bins,
    roc_points,
    trapezoid_pr_auc,
)

apply_house_style()

# %% [markdown]
# ## Generated data
#
# Ten thousand examples with a positive rate of about 5%, as in a click or abuse-detection problem.
# Each example has a hidden "true" log-odds; two scorers see it through different amounts of noise.
# Scorer A is the better model, scorer B the noisier one. The seed is fixed, so every run draws the
# same data.

# %%
rng = np.random.default_rng(7)
n = 10_000
true_logit = rng.normal(-3.6, 1.6, n)
y = (rng.random(n) < 1 / (1 + np.exp(-true_logit))).astype(int)
score_a = true_logit + rng.normal(0, 0.8, n)
score_b = true_logit + rng.normal(0, 2.0, n)

labels = y.tolist()
scorers = {"Scorer A (less noise)": score_a.tolist(), "Scorer B (more noise)": score_b.tolist()}
print(f"examples: {n:,}   positives: {y.sum():,}   positive rate: {y.mean():.2%}")
for name, scores in scorers.items():
    print(f"{name:24s} ROC AUC {roc_auc(labels, scores):.3f}   "
          f"average precision {average_precision(labels, scores):.3f}   "
          f"trapezoidal PR-AUC {trapezoid_pr_auc(labels, scores):.3f}")

# %% [markdown]
# ## Precision-recall and ROC curves
#
# The two curves describe the same scores. ROC plots the true-positive rate against the
# false-positive rate; precision-recall plots precision against recall. The dashed lines are what a
# random scorer would get: the diagonal for ROC, the positive rate for precision.

# %%
fig, (ax_pr, ax_roc) = plt.subplots(2, 1, figsize=(6.0, 7.6))
for colour, (name, scores) in zip(SERIES, scorers.items()):
    pr = precision_recall_points(labels, scores)
    ax_pr.plot([r for _, r, _ in pr], [p for _, _, p in pr],
               color=colour, label=f"{name}, AP {average_precision(labels, scores):.2f}")
    roc = roc_points(labels, scores)
    ax_roc.plot([x for x, _ in roc], [t for _, t in roc], color=colour,
                label=f"{name}, AUC {roc_auc(labels, scores):.2f}")
ax_pr.axhline(y.mean(), color=MUTED, linestyle="--", linewidth=1, label="random scorer")
ax_roc.plot([0, 1], [0, 1], color=MUTED, linestyle="--", linewidth=1, label="random scorer")
ax_pr.set(title="Precision-recall curves", xlabel="Recall", ylabel="Precision", xlim=(0, 1), ylim=(0, 1.02))
ax_roc.set(title="ROC curves", xlabel="False-positive rate", ylabel="True-positive rate", xlim=(0, 1), ylim=(0, 1.02))
ax_pr.legend(loc="upper right")
ax_roc.legend(loc="lower right")
fig.tight_layout()
plt.show()

# %% [markdown]
# **What the plot shows.** Top: precision against recall for both scorers, with a dashed horizontal
# line at the positive rate. Both curves start high for the few top-scored examples and fall
# quickly; scorer A (blue) stays above scorer B (orange) at every recall, and both approach the
# dashed line as recall reaches 1. Bottom: the ROC curves, true-positive rate against false-positive
# rate, with the diagonal as the random baseline. Both ROC curves bow well above the diagonal and
# look closer to each other than the precision-recall curves do. With rare positives, most of the
# ROC area comes from ranking easy negatives low, which both scorers do; the precision-recall view
# shows how clean the top of the ranking is, where the two scorers differ most.

# %% [markdown]
# ## A reliability diagram
#
# Probabilities are used downstream (in auctions, value models, thresholds), so they must mean what
# they say. Below, scorer A's score is turned into a probability with a sigmoid that is too steep
# and shifted upwards: an over-confident model that also predicts too many positives overall. The
# diagram bins predictions into ten equal-width bins and plots, for each bin, the observed positive
# rate against the mean prediction; a calibrated model lies on the diagonal. The bins are the same
# ones the library's expected calibration error uses.

# %%
p = (1 / (1 + np.exp(-(1.4 * score_a + 1.0)))).tolist()
bins = reliability_bins(labels, p, n_bins=10)
print(f"calibration ratio (expected / observed): {calibration_ratio(labels, p):.3f}")
print(f"expected calibration error (10 bins):    {expected_calibration_error(labels, p, 10):.3f}")
print(f"log loss: {log_loss(labels, p):.4f} nats   normalised entropy: {normalized_entropy(labels, p):.3f}")
print()
print("bin   count   mean predicted   observed rate")
for b, count, mean_p, rate in bins:
    print(f"{b:3d} {count:7,d}   {mean_p:14.3f}   {rate:13.3f}")

# %%
fig, ax = plt.subplots(figsize=(5.6, 4.8))
ax.plot([0, 1], [0, 1], color=MUTED, linestyle="--", linewidth=1, label="perfect calibration")
ax.plot([m for _, _, m, _ in bins], [r for _, _, _, r in bins], marker="o", color=SERIES[0],
        label="over-confident model")
for _, count, mean_p, rate in bins:
    ax.annotate(f"{count:,}", (mean_p, rate), textcoords="offset points", xytext=(6, -12), fontsize=9)
ax.set(title="Reliability diagram (10 equal-width bins)", xlabel="Mean predicted probability in bin",
       ylabel="Observed positive rate in bin", xlim=(0, 1), ylim=(0, 1))
ax.legend(loc="upper left")
fig.tight_layout()
plt.show()

# %% [markdown]
# **What the plot shows.** Each dot is one non-empty bin of predicted probability, placed at the
# bin's mean prediction (horizontal) and the share of its examples that were positive (vertical),
# labelled with the number of examples in the bin. The dashed diagonal is perfect calibration. The
# first bin, which holds most examples, sits just above the diagonal (there the model slightly
# under-predicts); every other dot sits well below it, and the gap widens with the prediction: when
# the model says 0.9, far fewer than nine in ten are positive. Overall the model expects more
# positives than occur, hence the calibration ratio above 1 printed above. Because the first bin
# holds most examples and has a small gap, the size-weighted ECE stays modest even though the
# sparsely populated high bins are badly off: one reason to look at the diagram, not only at ECE.

# %% [markdown]
# ## nDCG: linear versus exponential gain
#
# Take the graded results list of the reference page's nDCG example. Now change the grade of
# the item at position 4 from 0 up to 5 and recompute nDCG@6 with both gains. The ideal ordering is
# rebuilt each time, so once the item outranks the others it should have been placed first.

# %%
grades = list(GRADES)
position = 4
print(f"grades in ranked order: {grades}")
candidates = list(range(0, 6))
linear, exponential = [], []
for g in candidates:
    changed = grades[:position - 1] + [g] + grades[position:]
    linear.append(ndcg_at_k(changed, len(changed), gain="linear"))
    exponential.append(ndcg_at_k(changed, len(changed), gain="exponential"))
for g, lin, exp in zip(candidates, linear, exponential):
    print(f"grade at position {position} = {g}:  nDCG linear {lin:.3f}   exponential {exp:.3f}")

fig, ax = plt.subplots()
ax.plot(candidates, linear, marker="o", color=SERIES[0], label="linear gain, g = grade")
ax.plot(candidates, exponential, marker="s", color=SERIES[1], label="exponential gain, g = 2^grade - 1")
ax.set(title=f"nDCG@6 as the grade of the item at position {position} changes",
       xlabel=f"Grade of the item at position {position}", ylabel="nDCG@6", ylim=(0, 1.02))
ax.legend(loc="lower left")
fig.tight_layout()
plt.show()

# %% [markdown]
# **What the plot shows.** Horizontal axis: the grade given to the fourth item, from 0 to 5. Vertical
# axis: nDCG@6 of the unchanged ordering, with linear gain (blue circles) and exponential gain
# (orange squares). At low grades the two gains agree closely, and a little extra relevance at
# position 4 even raises nDCG. Once the fourth item's grade exceeds the others, the ordering is
# clearly wrong (the best item sits fourth), and nDCG falls. It falls much faster with exponential
# gain, because that gain doubles with each grade and so makes the misplaced best item dominate the
# ideal DCG. Which gain you choose decides how hard such mistakes are punished; state it with the
# number.
