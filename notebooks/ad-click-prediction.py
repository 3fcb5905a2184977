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
# # Ad click prediction lab
#
# The [ad click prediction chapter](../../ad-click-prediction/) argues that an auction needs
# calibrated click probabilities, that negative downsampling breaks calibration unless it is undone,
# and that a click model goes stale as the ads change. This lab checks all three on generated
# impressions whose true click probability is known: it trains a hashed logistic regression, the same
# with crossed features, and gradient-boosted trees (scikit-learn), compares them by log loss, AUC,
# normalised entropy and calibration, downsamples negatives with and without the chapter's
# recalibration, and watches a frozen model decay day by day. Metrics come from the book's library,
# `snippets/kit/metrics.py`; the downsampling rate and correction from the chapter's module.
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
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression

import snippets.ad_click_prediction as chapter
from snippets.kit import estimation as est
from snippets.kit.metrics import calibration_ratio, log_loss, normalized_entropy, reliability_curve, roc_auc
from snippets.kit.plotting import MUTED, SERIES, apply_house_style

apply_house_style()

# %% [markdown]
# ## Generated impressions with known click probabilities
#
# Each impression has five categorical fields: a user segment, an ad (each ad belongs to one of ten
# categories), a placement, a device and an hour of the day. The true log-odds of a click add an
# effect per user segment, per ad, per placement and per device, plus an *interaction* between the
# user segment and the ad's category (some segments love games, others hate them) that no single
# field explains. Click labels are drawn from the true probability, so we can also score the
# "oracle" that predicts it exactly. The seed is fixed: every run draws the same data.

# %%
rng = np.random.default_rng(17)
N_SEGMENTS, N_ADS, N_CATEGORIES, N_PLACEMENTS, N_DEVICES = 60, 240, 10, 4, 3

segment_effect = rng.normal(0, 0.5, N_SEGMENTS)
ad_category = rng.integers(0, N_CATEGORIES, N_ADS)
placement_effect = np.array([0.4, 0.0, -0.3, -0.6])
device_effect = np.array([0.0, -0.2, 0.3])
interaction = rng.normal(0, 0.9, (N_SEGMENTS, N_CATEGORIES))
BASE_LOGIT = -4.2


def draw_ad_effects(rng):
    return rng.normal(0, 0.6, N_ADS)


def impressions(n, ad_effect, rng):
    """n impressions: the fields, the true click probability and a drawn click label."""
    seg = rng.integers(0, N_SEGMENTS, n)
    ad = rng.integers(0, N_ADS, n)
    place = rng.integers(0, N_PLACEMENTS, n)
    dev = rng.integers(0, N_DEVICES, n)
    hour = rng.integers(0, 24, n)
    logit = (BASE_LOGIT + segment_effect[seg] + ad_effect[ad] + placement_effect[place]
             + device_effect[dev] + interaction[seg, ad_category[ad]])
    p = 1 / (1 + np.exp(-logit))
    y = (rng.random(n) < p).astype(int)
    return {"seg": seg, "ad": ad, "place": place, "dev": dev, "hour": hour, "p": p, "y": y}


ad_effect = draw_ad_effects(rng)
train = impressions(100_000, ad_effect, rng)
test = impressions(60_000, ad_effect, rng)
print(f"training impressions: {len(train['y']):,}   clicks: {train['y'].sum():,}   CTR {train['y'].mean():.2%}\n"
      f"test impressions:     {len(test['y']):,}   clicks: {test['y'].sum():,}   CTR {test['y'].mean():.2%}")

# %% [markdown]
# ## Three models
#
# - **Hashed LR:** every field value becomes the string `field=value`, hashed into 2^12 buckets
#   (scikit-learn's `FeatureHasher`; this toy world has about a thousand distinct values, so
#   collisions are rare), and a logistic regression learns one weight per bucket.
# - **Hashed LR with crosses:** the same, plus the cross `segment × ad category` as one more hashed
#   string: a hand-made feature cross.
# - **Gradient-boosted trees:** scikit-learn's histogram gradient boosting (the LightGBM-style
#   algorithm) on the raw categorical columns, which can learn the interaction by splitting.

# %%
hasher = FeatureHasher(n_features=2**12, input_type="string", alternate_sign=False)


def tokens(data, crosses):
    rows = []
    for s, a, pl, d, h in zip(data["seg"], data["ad"], data["place"], data["dev"], data["hour"]):
        row = [f"seg={s}", f"ad={a}", f"place={pl}", f"dev={d}", f"hour={h}"]
        if crosses:
            row.append(f"seg×cat={s}×{ad_category[a]}")
        rows.append(row)
    return hasher.transform(rows)


def dense(data):
    return np.column_stack([data["seg"], data["ad"], data["place"], data["dev"], data["hour"]])


def fit_lr(data, crosses, sample_weight=None):
    model = LogisticRegression(C=1.0, solver="liblinear", tol=1e-3)
    return model.fit(tokens(data, crosses), data["y"], sample_weight=sample_weight)


def fit_trees(data):
    model = HistGradientBoostingClassifier(max_iter=40, learning_rate=0.1, max_leaf_nodes=15,
                                           min_samples_leaf=100, l2_regularization=1.0,
                                           categorical_features=[True] * 5, random_state=0)
    return model.fit(dense(data), data["y"])


models = {
    "Hashed LR": (fit_lr(train, crosses=False), lambda m, d: m.predict_proba(tokens(d, False))[:, 1]),
    "Hashed LR + crosses": (fit_lr(train, crosses=True), lambda m, d: m.predict_proba(tokens(d, True))[:, 1]),
    "Boosted trees": (fit_trees(train), lambda m, d: m.predict_proba(dense(d))[:, 1]),
}


def report(name, y, p):
    """One line of metrics; each cell prints its lines at once, so the output never depends on timing."""
    y, p = y.tolist(), np.clip(p, 1e-7, 1 - 1e-7).tolist()
    return (f"{name:26s} log loss {log_loss(y, p):.5f}   AUC {roc_auc(y, p):.4f}   "
            f"NE {normalized_entropy(y, p):.4f}   calibration {calibration_ratio(y, p):.3f}")


predictions = {name: predict(model, test) for name, (model, predict) in models.items()}
lines = [report(name, test["y"], p) for name, p in predictions.items()]
lines.append(report("Oracle (true p)", test["y"], test["p"]))
print("\n".join(lines))

# %% [markdown]
# The oracle is the floor no model can beat on this data: its NE is what the click noise alone
# leaves. The cross closes much of the gap between plain hashed LR and the oracle, because the
# interaction is exactly the cross we added. The boosted trees do worst here: with a few hundred ad
# ids and only about a thousand clicks, splitting on high-cardinality ids overfits, which is one
# reason Facebook's design lets trees work on dense features and feeds their leaves to a linear model
# beside the ids. All three models are close to calibrated on average; the ratios move with the
# sampling noise of a thousand test clicks (the test set's own click rate differs from the training
# set's), not with a bias of the models.

# %% [markdown]
# ## Negative downsampling, with and without recalibration
#
# Now keep every click but only the chapter's share of unclicked impressions,
# `chapter.A.negative_keep_rate`, and train the crossed LR on what is left. Its raw outputs live in
# the downsampled world; `est.recalibrate_downsampled`, the chapter's formula
# q = p / (p + (1 - p) / w), maps them back.

# %%
w = chapter.A.negative_keep_rate
keep = (train["y"] == 1) | (rng.random(len(train["y"])) < w)
sampled = {key: value[keep] for key, value in train.items()}
downsampled_model = fit_lr(sampled, crosses=True)
raw = downsampled_model.predict_proba(tokens(test, True))[:, 1]
recalibrated = np.array([est.recalibrate_downsampled(p, w) for p in raw])
print("\n".join([
    f"kept {keep.sum():,} of {len(keep):,} training rows (w = {w:.0%}); "
    f"click rate in the sample {sampled['y'].mean():.2%}, "
    f"formula {chapter.sampled_rate_for(train['y'].mean(), w):.2%}",
    report("Downsampled, raw", test["y"], raw),
    report("Downsampled, recalibrated", test["y"], recalibrated),
    report("Full data (for reference)", test["y"], predictions["Hashed LR + crosses"]),
]))

# %% [markdown]
# AUC is the same with or without recalibration: the correction is monotone, so it never changes the
# order. Everything that reads the probability changes: the raw model expects many times the clicks
# that happen, and its NE is far worse than the base rate's. After the correction its NE is close to
# that of the model trained on all the data, from a small fraction of the rows. A little
# over-prediction remains (the regularised model does not learn the sampled world exactly), which is
# the residual a calibration layer fitted on recent unsampled traffic removes.

# %% [markdown]
# ## Reliability diagrams
#
# Equal-mass bins (`reliability_curve(..., strategy="quantile")`, which reproduces scikit-learn's
# `calibration_curve`) on log axes: with click rates near 1%, equal-width bins would put almost
# everything in the first bin.

# %%
curves = {
    "Downsampled, raw": raw,
    "Downsampled, recalibrated": recalibrated,
    "Boosted trees (full data)": predictions["Boosted trees"],
}
fig, ax = plt.subplots(figsize=(5.8, 4.6))
lo, hi = 1e-3, 1.0
ax.plot([lo, hi], [lo, hi], color=MUTED, linestyle="--", linewidth=1, label="perfect calibration")
for colour, (name, p) in zip(SERIES, curves.items()):
    points = reliability_curve(test["y"].tolist(), p.tolist(), n_bins=10, strategy="quantile")
    ax.plot([m for m, _, _ in points], [max(o, lo) for _, o, _ in points], marker="o", color=colour, label=name)
ax.set(xscale="log", yscale="log", xlim=(lo, hi), ylim=(lo, hi),
       xlabel="Mean predicted click probability (bin)", ylabel="Observed click rate (bin)",
       title="Reliability, ten equal-mass bins")
ax.legend(loc="upper left")
fig.tight_layout()
plt.show()

# %% [markdown]
# **What the plot shows.** A log-log reliability diagram with a dashed diagonal for perfect
# calibration. The downsampled model's raw predictions (blue) lie far to the right of the diagonal:
# in every bin, the mean prediction is several times the observed click rate. After recalibration
# (orange) the same model's points move onto the diagonal, close to those of the boosted trees
# trained on all the data (green); in the middle bins they sit slightly below it, the small
# over-prediction that remains. The raw and recalibrated curves have the same
# observed rates bin by bin, because the correction only moves predictions sideways.

# %% [markdown]
# ## How accuracy decays as the model gets older
#
# Ads change: each day, ad effects drift a little and a share of ads is replaced by new ones the
# model has never seen. A model trained on day 0 and never updated is compared with one retrained
# each day on the previous day's impressions. Both are crossed hashed LRs.

# %%
DAYS, DAILY = 7, 30_000
effects = ad_effect.copy()
day_data = []
for day in range(DAYS + 1):
    if day:
        effects = effects + rng.normal(0, 0.3, N_ADS)
        new = rng.random(N_ADS) < 0.2  # replaced creatives: a fresh effect under the same id
        effects[new] = rng.normal(0, 0.6, new.sum())
    day_data.append(impressions(DAILY, effects, rng))

frozen = fit_lr(day_data[0], crosses=True)
frozen_ne, fresh_ne, lines = [], [], []
for day in range(1, DAYS + 1):
    y = day_data[day]["y"].tolist()
    fresh = fit_lr(day_data[day - 1], crosses=True)
    for model, out in ((frozen, frozen_ne), (fresh, fresh_ne)):
        p = model.predict_proba(tokens(day_data[day], True))[:, 1].tolist()
        out.append(normalized_entropy(y, p))
    lines.append(f"day {day}: NE frozen model {frozen_ne[-1]:.4f}   retrained yesterday {fresh_ne[-1]:.4f}")
print("\n".join(lines))

# %%
fig, ax = plt.subplots(figsize=(5.8, 3.6))
days_axis = list(range(1, DAYS + 1))
ax.plot(days_axis, frozen_ne, marker="o", color=SERIES[4], label="trained on day 0, never updated")
ax.plot(days_axis, fresh_ne, marker="s", color=SERIES[0], label="retrained on the previous day")
ax.set(xlabel="Day evaluated", ylabel="Normalised entropy (lower is better)",
       title="A frozen click model goes stale")
ax.legend(loc="upper left")
fig.tight_layout()
plt.show()

# %% [markdown]
# **What the plot shows.** Normalised entropy on each of seven days for two crossed hashed LRs. The
# model frozen at day 0 (red circles) gets worse almost every day as the ads drift away from what it
# learned; the model retrained on the previous day (blue squares) stays roughly level. The gap
# between them widens with the model's age.

# %% [markdown]
# ## What to take away
#
# - AUC cannot see calibration: downsampling multiplied the predictions several-fold without moving
#   AUC, while NE and the calibration ratio caught it at once. Report NE and calibration for any
#   model whose output is multiplied by a bid.
# - Negative downsampling is cheap and safe *if* the correction q = p / (p + (1 - p) / w) travels
#   with the model; with it, a model trained on a small share of the negatives comes close to one
#   trained on all of them, and a calibration layer takes care of the residual.
# - Crosses matter: a linear model without the interaction it needs is far from the oracle; a hand-made
#   cross or a model that learns crosses (trees here, factorisation machines or cross networks at
#   scale) closes most of the gap.
# - A click model decays with the age of its data; retraining on fresh data is what keeps NE level,
#   which is why the chapter updates hourly and gates every update.
