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
# # Personalised news feed lab
#
# The [news feed chapter](../../news-feed/) ranks posts by a value function: several heads each
# predict one event (like, comment, share, dwell, a "worth your time" survey answer, hide, report),
# and a weighted sum of their calibrated predictions orders the feed. This lab checks three of the
# chapter's claims on generated data whose true event probabilities and hidden satisfaction are
# known: that one gradient-boosted model per head (scikit-learn) learns the events well by AUC and
# still needs calibrating per head, that a head trained on downsampled negatives is fixed by the
# chapter's recalibration, and that the value function's weights trade engagement against
# satisfaction. Metrics come from the book's library, `snippets/kit/metrics.py`; the heads, the
# weightings and the recalibration from the chapter's module, `snippets/news_feed.py`.
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
from sklearn.isotonic import IsotonicRegression

import snippets.news_feed as chapter
from snippets.kit.metrics import calibration_ratio, normalized_entropy, roc_auc
from snippets.kit.plotting import MUTED, SERIES, apply_house_style

apply_house_style()

# %% [markdown]
# ## Generated users, posts and events with known probabilities
#
# Each of 1,000 users has 40 candidate posts. A post has a type (friend's photo, group question,
# page video, clickbait, news story), a quality, an "outrage" level, and a topic; a (user, post)
# pair has a closeness between the user and the author and a topic match. Each event's true
# log-odds is a fixed formula of these, so the same post can be likely to be liked and likely to be
# hidden. A hidden satisfaction score, which no event measures directly, rewards closeness, quality
# and topic match and punishes outrage and clickbait. The survey head sees it only through a
# yes/no answer on a random 5% of impressions, as a real survey would. The seed is fixed.

# %%
rng = np.random.default_rng(19)
N_USERS, PER_USER = 1_000, 40
TYPES = ("photo", "question", "video", "clickbait", "news")
n = N_USERS * PER_USER
user = np.repeat(np.arange(N_USERS), PER_USER)
post_type = rng.integers(0, len(TYPES), n)
is_type = {name: (post_type == i).astype(float) for i, name in enumerate(TYPES)}
closeness = rng.beta(1.2, 3.0, n) * np.where(post_type <= 1, 1.0, 0.3)  # friends and groups are closer
quality = rng.normal(0, 1, n)
outrage = np.clip(rng.normal(0, 1, n) + 1.2 * is_type["video"] + 0.6 * is_type["news"], -2, None)
match = rng.normal(0, 1, n)
activity = np.repeat(rng.normal(0, 0.5, N_USERS), PER_USER)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


true_p = {
    "like": sigmoid(-2.0 + 2.5 * closeness + 0.8 * match + 0.4 * quality + 0.6 * is_type["photo"]
                    + 0.3 * outrage + activity),
    "comment": sigmoid(-3.6 + 3.0 * closeness + 1.4 * is_type["question"] + 0.8 * outrage + 0.5 * match + activity),
    "share": sigmoid(-4.0 + 1.0 * outrage + 0.8 * is_type["news"] + 0.6 * is_type["clickbait"] + 0.4 * match),
    "dwell": sigmoid(-0.8 + 0.9 * outrage + 1.0 * is_type["clickbait"] + 0.6 * is_type["news"] + 0.6 * match),
    "hide": sigmoid(-4.0 + 1.6 * is_type["clickbait"] + 0.9 * outrage - 2.0 * closeness),
    "report": sigmoid(-6.5 + 1.5 * outrage + 0.8 * is_type["clickbait"]),
}
satisfaction = (2.0 * closeness + 0.6 * quality + 0.5 * match - 0.8 * np.clip(outrage, 0, None)
                - 1.0 * is_type["clickbait"])
true_p["worth"] = sigmoid(-0.5 + 1.5 * satisfaction)
labels = {head: rng.random(n) < p for head, p in true_p.items()}
surveyed = rng.random(n) < 0.05

X = np.column_stack([closeness, quality, outrage, match, activity, post_type])
train = user < int(N_USERS * 0.6)
calib = (user >= int(N_USERS * 0.6)) & (user < int(N_USERS * 0.75))
test = user >= int(N_USERS * 0.75)
print(f"{n:,} impressions; event rates:",
      ", ".join(f"{h} {labels[h].mean():.3f}" for h in chapter.HEAD_IDS))

# %% [markdown]
# ## One model per head, scored per head
#
# Each head is a `HistGradientBoostingClassifier` on the same six features, trained on the first
# 60% of users and tested on the last 25% (users never cross the split). The survey head trains
# only on surveyed rows. Per head we report ROC AUC (does it order impressions?), normalised entropy
# (log loss against always predicting the base rate; below 1 is better) and the calibration ratio
# (mean prediction over observed rate; 1 is calibrated).

# %%
def fit_head(head, rows):
    model = HistGradientBoostingClassifier(max_iter=40, learning_rate=0.15, early_stopping=False, random_state=0)
    return model.fit(X[rows], labels[head][rows])


models = {}
for head in chapter.HEAD_IDS:
    rows = train & surveyed if head == "worth" else train
    models[head] = fit_head(head, rows)

raw = {head: np.clip(models[head].predict_proba(X)[:, 1], 1e-6, 1 - 1e-6) for head in chapter.HEAD_IDS}
print(f"{'head':8} {'AUC':>6} {'NE':>6} {'calib':>6}")
for head in chapter.HEAD_IDS:
    y, p = labels[head][test].astype(int), raw[head][test]
    print(f"{head:8} {roc_auc(y, p):6.3f} {normalized_entropy(y, p):6.3f} {calibration_ratio(y, p):6.3f}")

# %% [markdown]
# Every head orders impressions far better than chance (AUC well above 0.5), and a normalised
# entropy below 1 says each beats predicting its base rate. Trained with log loss on every row, the
# trees come out roughly calibrated on average, but the rare heads (hide, report) drift furthest from
# a ratio of 1: with few positives the level is the hardest part to learn. The rare negative heads
# carry the largest weights in the value function, so they need their calibrator most.

# %% [markdown]
# ## Downsampled negatives, and the recalibration that undoes them
#
# A real feed keeps only a share of impressions without any event, to save storage. Here the hide
# head is retrained on the training rows with hides all kept and a fraction
# `chapter.A.negative_keep_rate` of the other rows, as in the chapter. Its raw predictions are then
# far too high; the chapter's `recalibrated_for` maps them back, and an isotonic regression fitted
# on held-out users is the general fix when the sampling rate is unknown or the model is
# miscalibrated for other reasons.

# %%
keep = labels["hide"] | (rng.random(n) < chapter.A.negative_keep_rate)
hide_down = fit_head("hide", train & keep)
p_down = np.clip(hide_down.predict_proba(X)[:, 1], 1e-6, 1 - 1e-6)
p_fixed = np.array([chapter.recalibrated_for(p) for p in p_down])
isotonic = IsotonicRegression(out_of_bounds="clip", y_min=1e-6, y_max=1 - 1e-6)
isotonic.fit(p_down[calib], labels["hide"][calib])
p_iso = isotonic.predict(p_down)
y_hide = labels["hide"][test].astype(int)
variants = {"downsampled, raw": p_down, "recalibrated (formula)": p_fixed, "isotonic on held-out users": p_iso}
for name, p in variants.items():
    print(f"{name:28} AUC {roc_auc(y_hide, p[test]):.3f}  NE {normalized_entropy(y_hide, p[test]):.3f}"
          f"  calibration ratio {calibration_ratio(y_hide, p[test]):.2f}")

# %% [markdown]
# Downsampling leaves the order of the predictions (AUC) almost unchanged and ruins their level: the
# raw hide head predicts several times as many hides as happen, and in the value function that would
# multiply the hide penalty by the same factor. The formula brings the ratio back close to 1 because
# the sampling rate is known (what remains is the noise of a few hundred test hides); the isotonic
# calibrator gets as close from held-out data alone. Calibrate every head after every retrain, so a
# weight keeps its meaning.

# %% [markdown]
# ## The value function: what the weights buy and what they cost
#
# With calibrated heads, each test user's 40 candidates are ranked by V = Σ weight × prediction, and
# the top 10 make the first screen. For each weighting we measure two things the ranker does not
# see directly: expected engagement on the first screen (the true probabilities of like, comment,
# share and dwell, summed) and the hidden satisfaction of the same posts. The weights are blended
# from the chapter's engagement weighting (blend 0) to its chosen weighting (blend 1); the
# interactions weighting is marked on its own.

# %%
calibrated = {}
for head in chapter.HEAD_IDS:
    rows = calib & surveyed if head == "worth" else calib
    iso = IsotonicRegression(out_of_bounds="clip").fit(raw[head][rows], labels[head][rows])
    calibrated[head] = iso.predict(raw[head])

test_users = np.unique(user[test])
order = np.argsort(user[test], kind="stable")
engagement_true = sum(true_p[h] for h in ("like", "comment", "share", "dwell"))


def first_screen(weights, top=10):
    """Mean engagement and mean satisfaction of each test user's top posts under ``weights``."""
    value = sum(weights[h] * calibrated[h] for h in chapter.HEAD_IDS)[test].reshape(len(test_users), PER_USER)
    best = np.argsort(-value, axis=1)[:, :top]
    eng = engagement_true[test].reshape(len(test_users), PER_USER)
    sat = satisfaction[test].reshape(len(test_users), PER_USER)
    rows = np.arange(len(test_users))[:, None]
    return eng[rows, best].mean(), sat[rows, best].mean()


engagement_w, chosen_w = chapter.weights_of("engagement"), chapter.weights_of("chosen")
blends = np.linspace(0, 1, 11)
curve = [first_screen({h: (1 - b) * engagement_w[h] + b * chosen_w[h] for h in chapter.HEAD_IDS}) for b in blends]
named = {name: first_screen(chapter.weights_of(wid)) for wid, name, _, _ in chapter.WEIGHTINGS}
for name, (eng, sat) in named.items():
    print(f"{name:13} engagement per post {eng:.3f}   satisfaction per post {sat:+.3f}")

# %%
fig, ax = plt.subplots(figsize=(6.0, 4.8))
ax.plot([c[0] for c in curve], [c[1] for c in curve], marker="o", color=SERIES[0], label="blend: engagement → chosen")
for (name, (eng, sat)), colour in zip(named.items(), SERIES[1:]):
    ax.scatter([eng], [sat], s=90, color=colour, zorder=3, label=name)
random_eng, random_sat = engagement_true[test].mean(), satisfaction[test].mean()
ax.scatter([random_eng], [random_sat], s=60, color=MUTED, marker="x", label="random order")
ax.set_xlabel("expected engagement per post on the first screen")
ax.set_ylabel("hidden satisfaction per post")
ax.set_title("Weights trade engagement for satisfaction")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, frameon=False)
fig.tight_layout()

# %% [markdown]
# Hidden satisfaction per post against expected engagement per post on each test user's first
# screen of ten, for eleven blends of the value weights from the engagement weighting (right, low)
# to the chosen weighting (left, high), with the three named weightings and a random ordering
# marked. Moving towards the chosen weights gives up some engagement and gains much more
# satisfaction. The interactions weighting sits between the two on both axes but below the blend's
# curve: for the engagement it keeps, it buys less satisfaction than a blend of the other two, because
# it rewards the comments that outrage earns.

# %% [markdown]
# ## Take-aways
#
# - Good AUC per head is not enough: a value function multiplies calibrated probabilities by
#   weights, so each head must be calibrated on its own, after every retrain, or a weight silently
#   means something else.
# - Negative downsampling keeps the order and breaks the level; undo it with the sampling rate
#   (the chapter's formula) or a calibrator fitted on held-out users.
# - The weights, not the models, decide what the feed optimises. The same predictions rank the
#   outrage-prone posts first under engagement weights and push them down under weights that count
#   survey answers and penalise hides and reports.
# - The satisfaction the weights trade for is invisible in short-term engagement metrics; in
#   production it shows only in surveys and in long-running holdouts, which is why the chapter
#   insists on both.
