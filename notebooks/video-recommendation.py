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
# # Video recommendation lab
#
# The [video recommendation chapter](../../video-recommendation/) sizes its design from a handful of
# assumptions: daily users, homepage loads per user, how many candidates each source returns, how
# the end-to-end latency target is split between stages. This lab changes those assumptions one at a
# time and plots how the design responds, using the same functions that compute the chapter's
# numbers (`snippets/video_recommendation.py`, which builds on `snippets/kit/estimation.py`).
#
# Run it yourself: the lab's zip (the download at the top of its page) runs on its own. It holds
# this notebook, the book's modules it imports (`snippets/`) and a `requirements.txt` pinned to the
# versions the book was built with; its `README.txt` gives the three commands. To change the book's
# code as well, clone {{ repository: the project's repository }} and run `scripts/setup`.

# %%
# %config InlineBackend.figure_formats = ["svg"]
import matplotlib.pyplot as plt

from snippets import video_recommendation as vr
from snippets.kit.display import count, ms, pct, percentile, short
from snippets.kit.house import HOUSE
from snippets.kit.plotting import MUTED, apply_house_style

apply_house_style()

# %% [markdown]
# ## The baseline
#
# First, the funnel as the chapter states it. Every later experiment starts from these values and
# changes one thing.

# %%
baseline = {
    "peak requests/s": short(vr.peak_qps()),
    "candidates from sources": count(vr.candidates_from_sources()),
    "candidates ranked": count(vr.candidates_ranked()),
    "ranking predictions/s at peak": short(vr.peak_predictions()),
    "accelerators for ranking": count(vr.ranking_accelerators()),
    "parallel ranking calls": count(vr.ranking_calls()),
    "requests waiting on a slow ranking call": pct(vr.ranking_fanout_over()),
}
for name, shown in baseline.items():
    print(f"{name:42s} {shown:>10s}")

# %% [markdown]
# ## How many candidates should the ranker see?
#
# Ranking more candidates raises recall at the top of the page, but every extra candidate costs
# model evaluations at peak traffic, and splitting them into more parallel batches makes it more
# likely that one slow call holds up the whole request. Below, the sources' output is scaled from a
# quarter to three times the chapter's value.

# %%
scales = [0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0]
ranked = [vr.candidates_ranked_for(round(vr.candidates_from_sources() * scale)) for scale in scales]
accelerators = [vr.ranking_accelerators_for(n, vr.peak_qps()) for n in ranked]
within = [vr.ranking_fanout_within_for(n) for n in ranked]

fig, (top, bottom) = plt.subplots(2, 1, figsize=(6.0, 6.4))
top.plot(ranked, accelerators, marker="o")
top.set_xlabel("candidates ranked per request")
top.set_ylabel("accelerators for ranking at peak")
top.set_title("Ranking cost grows linearly")
bottom.plot(ranked, within, marker="o", color="C1")
bottom.set_xlabel("candidates ranked per request")
bottom.set_ylabel("share of requests")
bottom.set_title(f"All ranking calls within their {percentile(HOUSE.single_call_quantile)}")
bottom.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
for axis in (top, bottom):
    axis.axvline(vr.candidates_ranked(), color=MUTED, linestyle=":", linewidth=1)
fig.tight_layout()

# %% [markdown]
# The dotted line marks the chapter's choice. The cost curve is a straight line: twice the
# candidates, twice the accelerators. The tail curve falls in steps, one step per extra batch of
# candidates; each step is a few more requests that wait for a straggler unless the service hedges
# or drops late batches.

# %% [markdown]
# ## Traffic: users and the peak factor
#
# The accelerator count scales with peak traffic, which is the product of three assumptions: daily
# users, homepage loads per user, and the peak-to-average ratio. The book takes the last one from
# its house rules, but it is a rule of thumb, so it is worth seeing how much rides on it.

# %%
users = [100e6, 250e6, 500e6, 750e6, 1000e6]
fig, ax = plt.subplots()
for peak_factor in (2.0, HOUSE.peak_to_average, 4.0):
    gpus = [vr.ranking_accelerators_for(vr.candidates_ranked(), vr.peak_qps_for(u, peak_to_average=peak_factor))
            for u in users]
    ax.plot([u / 1e6 for u in users], gpus, marker="o", label=f"peak = {peak_factor:g} x average")
ax.set_xlabel("daily active users (millions)")
ax.set_ylabel("accelerators for ranking")
ax.set_title("Ranking fleet size by traffic assumption")
ax.legend()
fig.tight_layout()

# %% [markdown]
# Accelerators for ranking against daily active users, one line per peak-to-average ratio (2, the
# house value of 3, and 4). Every line is straight: the fleet scales with peak traffic, so a wrong
# peak factor moves the estimate as much as a wrong user count does.

# %% [markdown]
# ## The latency budget at other targets
#
# The chapter splits its end-to-end target into stage budgets by fixed shares. Shares are a
# starting point for a negotiation between teams, not a law: what matters is that the stages add up
# to the target. Here is the same split at a tighter and a looser target.

# %%
budgets = [vr.latency_budget(target) for target in (60.0, vr.A.latency_target_ms, 200.0)]
fig, ax = plt.subplots(figsize=(6.0, 4.0))
left_edge = [0.0] * len(budgets)
for index, stage in enumerate(vr.LATENCY.stages):
    widths = [budget.stage(stage.id).budget_ms for budget in budgets]
    ax.barh([ms(budget.target_ms) for budget in budgets], widths, left=left_edge, label=stage.label,
            color=f"C{index % 5}", hatch="" if index < 5 else "//", edgecolor="white")
    left_edge = [a + b for a, b in zip(left_edge, widths)]
ax.set_xlabel("milliseconds")
ax.set_title("Stage budgets for three end-to-end targets")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2)
fig.tight_layout()

# %% [markdown]
# One horizontal bar per end-to-end target (60 ms, the chapter's target and 200 ms), split into the
# chapter's stages in order: the stages keep their shares, so every stage shrinks or grows with the
# target. The printout below gives the budget left for ranking inference in each case.

# %%
for budget in budgets:
    print(f"{ms(budget.target_ms):>7s} end to end -> {ms(budget.stage('ranking').budget_ms)} for ranking inference")

# %% [markdown]
# ## Try it yourself
#
# - Pass `batch_size=32` to `vr.ranking_fanout_within_for` and rerun the candidate experiment: the
#   cost line stays where it is, while the tail curve drops faster. Why?
# - Find the number of candidates at which fewer than 80% of requests see every ranking call within
#   its p99. How would hedged requests change that number?
# - Pass `loads_per_user=10` to `vr.peak_qps_for`: how many more accelerators does ranking need,
#   and is that more or less than raising the peak factor from 3 to 4?
#
# The functions called here are the ones the chapter uses, so any number you compute can be checked
# against the page.
