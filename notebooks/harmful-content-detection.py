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
# # Harmful content detection lab
#
# The [harmful content detection chapter](../../harmful-content-detection/) argues that a violation
# often lives in the combination of a post's text and image (so early fusion beats late fusion),
# that each harm needs its own thresholds at a precision floor, that the review budget, not the
# model, decides how many violations people can catch, and that prevalence must be estimated from a
# sample of views, stratified by the model's score. This lab checks all four on generated posts
# whose labels and views are known. It trains scikit-learn's gradient-boosted trees, scores them
# with the book's metrics library (`snippets/kit/metrics.py`), and takes the precision floors from
# the chapter's module.
#
# Run it yourself: the lab's zip (the download at the top of its page) runs on its own. It holds
# this notebook, the book's modules it imports (`snippets/`) and a `requirements.txt` pinned to the
# versions the book was built with; its `README.txt` gives the three commands. To change the book's
# code as well, clone {{ repository: the project's repository }} and run `scripts/setup`.

# %%
# %config InlineBackend.figure_formats = ["svg"]
import matplotlib.pyplot as plt
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import precision_recall_curve

import snippets.harmful_content_detection as chapter
from snippets.kit.metrics import average_precision, recall_at_precision, stratified_proportion, wilson_interval
from snippets.kit.plotting import MUTED, SERIES, apply_house_style

apply_house_style()

# %% [markdown]
# ## Generated posts: three harms, two modalities
#
# Each post has a text embedding (six numbers), an image embedding (six numbers) and two context
# numbers (say, account age and prior strikes). Three harms are planted, each rare:
#
# - **spam** depends on the text alone;
# - **nudity** depends on the image alone;
# - **hateful meme** depends on the *product* of one text direction and one image direction: the
#   caption and the picture are each harmless, and only their combination violates. Neither modality
#   alone carries any signal about it.
#
# Labels are drawn from known probabilities. The seed is fixed, so every run draws the same posts.

# %%
rng = np.random.default_rng(7)
N = 40_000
HARMS = ("spam", "nudity", "hateful meme")

text = rng.normal(size=(N, 6))
image = rng.normal(size=(N, 6))
context = rng.normal(size=(N, 2))


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


logits = np.column_stack([
    -14.0 + 6.0 * text[:, 0] + 3.0 * text[:, 1] + 1.5 * context[:, 1],
    -14.0 + 6.5 * image[:, 0] + 2.0 * image[:, 1],
    -12.0 + 5.0 * text[:, 2] * image[:, 2] + 1.5 * context[:, 1],
])
labels = (rng.random((N, 3)) < sigmoid(logits)).astype(int)
train, valid, test = np.split(rng.permutation(N), [20_000, 30_000])
print("posts:", N, "| base rate per harm:", dict(zip(HARMS, labels.mean(axis=0).round(4))))
print("positives in the test split:", dict(zip(HARMS, labels[test].sum(axis=0))))

# %% [markdown]
# ## Early against late fusion
#
# *Late fusion* trains one classifier per modality and harm (text with context, image with
# context) and keeps, per harm, the higher of the two calibrated scores. *Early fusion* trains one
# classifier per harm on all features together, so its trees can split on text and image in the
# same path. (The chapter's model fuses embeddings with attention; gradient-boosted trees are the
# small-data stand-in that can also learn an interaction.) Both are scored on the test split by
# average precision and by recall at the chapter's removal floor.

# %%
views = {"text": np.hstack([text, context]), "image": np.hstack([image, context]),
         "early": np.hstack([text, image, context])}


def fit_scores(features, harm):
    model = HistGradientBoostingClassifier(max_iter=80, learning_rate=0.1, max_leaf_nodes=15, random_state=0)
    model.fit(features[train], labels[train, harm])
    return model.predict_proba(features)[:, 1]


scores = {"early": np.zeros((N, 3)), "late": np.zeros((N, 3))}
for h in range(3):
    scores["early"][:, h] = fit_scores(views["early"], h)
    scores["late"][:, h] = np.maximum(fit_scores(views["text"], h), fit_scores(views["image"], h))

floor = chapter.A.remove_precision
print(f"{'harm':14s} {'fusion':6s} {'AP':>6s} {'recall at ' + format(floor, '.0%') + ' precision':>26s}")
for h, name in enumerate(HARMS):
    for fusion in ("late", "early"):
        y, s = labels[test, h].tolist(), scores[fusion][test, h].tolist()
        _, _, recall = recall_at_precision(y, s, floor)
        print(f"{name:14s} {fusion:6s} {average_precision(y, s):6.3f} {recall:26.3f}")

# %% [markdown]
# For spam and nudity the two fusions are close: each harm lives in one modality, which late fusion
# sees whole. For the hateful meme, late fusion's average precision sits near the base rate, no
# better than guessing, while early fusion finds it. That is the chapter's argument for fusing
# before classifying.

# %% [markdown]
# ## Per-harm precision-recall curves and operating points
#
# Each harm gets its own threshold: the highest-recall point whose precision reaches the floor,
# chosen on the validation split (never on the test split) with the book's `recall_at_precision`,
# then checked on the test split. The chapter's floors: removal at
# `chapter.A.remove_precision`, review at `chapter.A.review_precision`.

# %%
thresholds = {}
fig, ax = plt.subplots(figsize=(6, 3.6))
for h, name in enumerate(HARMS):
    y_valid, s_valid = labels[valid, h].tolist(), scores["early"][valid, h].tolist()
    for action, action_floor in (("remove", chapter.A.remove_precision), ("review", chapter.A.review_precision)):
        thresholds[name, action] = recall_at_precision(y_valid, s_valid, action_floor)[0]
    precision, recall, _ = precision_recall_curve(labels[test, h], scores["early"][test, h])
    ax.plot(recall, precision, color=SERIES[h], label=name)
    flagged = scores["early"][test, h] >= thresholds[name, "remove"]
    if flagged.any():
        tp = (flagged & (labels[test, h] == 1)).sum()
        ax.plot(tp / labels[test, h].sum(), tp / flagged.sum(), "o", color=SERIES[h])
ax.axhline(chapter.A.remove_precision, color=MUTED, linestyle="--", linewidth=1)
ax.text(0.02, chapter.A.remove_precision - 0.07, "removal floor", color=MUTED)
ax.set_xlabel("Recall")
ax.set_ylabel("Precision")
ax.set_ylim(0, 1.02)
ax.legend(loc="lower left", bbox_to_anchor=(0.0, 0.12))
ax.set_title("Early fusion, test split: one curve per harm")
plt.show()
for (name, action), t in thresholds.items():
    print(f"{name:14s} {action:6s} threshold {t:.3f}")

# %% [markdown]
# The chart plots precision against recall on the test split for each of the three harms under
# early fusion: spam and nudity keep high precision to high recall, the hateful meme falls away
# sooner. A dashed horizontal line marks the removal floor, and a dot on each curve marks the
# operating point chosen on the validation split; the dots sit near the floor, a little above or
# below it, because a threshold chosen on one sample is only estimated for another.

# %% [markdown]
# ## Thresholds under a review budget
#
# Posts above a harm's removal threshold are removed; the rest of each harm's review band competes
# for a fixed number of review decisions. Reviewers take the posts with the highest probability
# first. How many violations do they catch as the budget grows? The budget is expressed as a share
# of the test posts, as the chapter's workforce is a share of a day's uploads.

# %%
s_test, y_test = scores["early"][test], labels[test]
removed = np.zeros(len(test), dtype=bool)
in_band = np.zeros(len(test), dtype=bool)
for h, name in enumerate(HARMS):
    removed |= s_test[:, h] >= thresholds[name, "remove"]
    in_band |= (s_test[:, h] >= thresholds[name, "review"]) & (s_test[:, h] < thresholds[name, "remove"])
in_band &= ~removed
violating = y_test.max(axis=1) == 1
order = np.argsort(-np.where(in_band, s_test.max(axis=1), -1))
caught_by_removal = (removed & violating).sum()
print(f"removed: {removed.sum()} posts, {caught_by_removal} violating; review band: {in_band.sum()} posts")

budgets = np.array([0.0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25])
caught = []
for b in budgets:
    k = min(int(b * len(test)), int(in_band.sum()))
    caught.append(caught_by_removal + violating[order[:k]].sum())
caught = np.array(caught)
for b, c in zip(budgets, caught):
    print(f"budget {b:5.1%} of posts: {c} of {violating.sum()} violating removed ({c / violating.sum():.1%})")

fig, ax = plt.subplots(figsize=(6, 3.2))
ax.plot(budgets * 100, caught / violating.sum(), marker="o", color=SERIES[0])
ax.axhline(caught_by_removal / violating.sum(), color=MUTED, linestyle="--", linewidth=1)
ax.text(budgets[-1] * 100, caught_by_removal / violating.sum() + 0.02, "automatic removal alone", color=MUTED, ha="right")
ax.set_xlabel("Review budget (% of posts)")
ax.set_ylabel("Violating posts removed")
ax.set_ylim(0, 1)
plt.show()

# %% [markdown]
# The chart plots the share of violating test posts that end up removed against the review budget,
# from no reviews to a quarter of the posts. A dashed line marks what automatic removal achieves
# alone. The curve climbs steeply while reviewers work through the review band's most likely posts,
# and flattens once the band's likely posts are used up: beyond that point more reviewers buy
# little, and only a lower review floor (or a better model) would.

# %% [markdown]
# ## Prevalence from a sample of views
#
# Now every test post gets views from a heavy-tailed distribution, and violating posts that were
# not removed keep theirs (removed ones get none). The true prevalence, violating views over all
# views, is known here. An audit labels 2,000 views. Design one samples views at random (a post in
# proportion to its views) and reports a Wilson interval. Design two stratifies views by the
# model's highest score into three strata, allocates labels by Neyman's rule, and weights each
# stratum's rate by its share of views (`stratified_proportion` in the kit). Each design is repeated
# 400 times to see its spread and how often its interval covers the truth.
# (Violations in this toy are far more common than on a real network, so that a small simulation
# has enough of them; the chapter's audit works at the real, much lower prevalence.)

# %%
post_views = np.round(rng.lognormal(mean=2.0, sigma=2.0, size=len(test))).astype(int)
post_views[removed] = 0
view_share = post_views / post_views.sum()
truth = float(view_share[violating].sum())
max_score = s_test.max(axis=1)
edges = np.quantile(max_score[post_views > 0], [0.9, 0.99])
stratum = np.digitize(max_score, edges)  # 0 low, 1 middle, 2 high
W = np.array([view_share[stratum == s].sum() for s in range(3)])
rate = np.array([view_share[(stratum == s) & violating].sum() / W[s] for s in range(3)])
n_labels = 2_000
neyman = W * np.sqrt(rate * (1 - rate))
n_s = np.maximum(1, np.round(n_labels * neyman / neyman.sum())).astype(int)
print(f"true prevalence: {truth * 10_000:.1f} per 10,000 views")
for s, name in enumerate(("low", "middle", "high")):
    print(f"stratum {name:6s}: {W[s]:.1%} of views, {rate[s]:.2%} violating, {n_s[s]} labels")

z = chapter.A.z95
simple, simple_cover, strat, strat_cover = [], [], [], []
for _ in range(400):
    draws = rng.choice(len(test), size=n_labels, p=view_share)
    k = int(violating[draws].sum())
    low, high = wilson_interval(k, n_labels, z)
    simple.append(k / n_labels)
    simple_cover.append(low <= truth <= high)
    cells = []
    for s in range(3):
        members = np.flatnonzero(stratum == s)
        p = view_share[members] / view_share[members].sum()
        picked = rng.choice(members, size=n_s[s], p=p)
        cells.append((float(W[s]), int(violating[picked].sum()), int(n_s[s])))
    estimate, half = stratified_proportion(cells, z)
    strat.append(estimate)
    strat_cover.append(estimate - half <= truth <= estimate + half)
simple, strat = np.array(simple), np.array(strat)
for name, est_, cover in (("simple random", simple, simple_cover), ("stratified (Neyman)", strat, strat_cover)):
    print(f"{name:20s} mean {est_.mean() * 1e4:5.1f}, sd {est_.std() * 1e4:4.1f} per 10,000;"
          f" covers {np.mean(cover):.0%}")

# %%
fig, ax = plt.subplots(figsize=(6, 3.2))
bins = np.linspace(0, max(simple.max(), strat.max()) * 1e4, 40)
ax.hist(simple * 1e4, bins=bins, color=SERIES[1], alpha=0.6, label="simple random sample")
ax.hist(strat * 1e4, bins=bins, color=SERIES[0], alpha=0.6, label="stratified, Neyman")
ax.axvline(truth * 1e4, color=MUTED, linestyle="--", linewidth=1)
ax.text(truth * 1e4, ax.get_ylim()[1] * 0.92, " true value", color=MUTED)
ax.set_xlabel("Estimated prevalence (views per 10,000)")
ax.set_ylabel("Audits (of 400)")
ax.legend(loc="upper right")
plt.show()

# %% [markdown]
# The histogram shows the 400 prevalence estimates of each design, in views per 10,000, with a
# dashed line at the true value. Both designs centre on the truth, so both are unbiased; the
# stratified estimates bunch much more tightly around it, because the labels go where the
# violating views are.

# %% [markdown]
# ## What to take away
#
# - When a violation lives in the combination of modalities, late fusion of per-modality scores
#   cannot see it at all; early fusion can. Check your data for such interactions before choosing.
# - Set a threshold per harm and per action from a precision floor on a validation split, and expect
#   the test precision to land near the floor, not exactly on it: report it with its uncertainty.
# - The review budget has a knee. Past it, more reviewers add little; a lower review floor or a
#   better model is what moves recall. The chapter computes where the real workforce sits.
# - Prevalence is a share of views. Stratifying the audit by the model's score keeps it unbiased
#   and makes it markedly more precise for the same labels; a better model only adds precision.
