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
# the 100 ms budget is split between stages. This lab changes those assumptions one at a time and
# plots how the design responds, using the same functions that compute the chapter's numbers
# (`snippets/video_recommendation.py` and `snippets/estimation.py`).
#
# Run it yourself: clone the repository, run `scripts/setup`, register its environment as a
# Jupyter kernel (`.venv/bin/python -m ipykernel install --user --name casebook`), and open the
# downloaded notebook from the repository root with that kernel, so that `snippets` imports.

# %%
# %config InlineBackend.figure_formats = ["svg"]
from dataclasses import replace

import matplotlib.pyplot as plt

from snippets.display import ms, short
from snippets.estimation import average_qps, fanout_quantile, peak_qps
from snippets.plotting import apply_house_style
from snippets.video_recommendation import (
    ASSUMPTIONS,
    candidates_after_merge,
    candidates_from_sources,
    gpus_needed,
    latency_budget_ms,
    parallel_calls,
    predictions_per_second,
)

apply_house_style()

# %% [markdown]
# ## The baseline
#
# First, the funnel as the chapter states it. Every later experiment starts from these values and
# changes one thing.

# %%
def funnel(a):
    """Candidates per stage and the ranking load for a set of assumptions."""
    total = candidates_from_sources(a.candidate_sources)
    merged = candidates_after_merge(total, a.duplicate_or_filtered_fraction)
    peak = peak_qps(average_qps(a.daily_active_users, a.homepage_loads_per_user_per_day), a.peak_to_average)
    predictions = predictions_per_second(peak, merged)
    calls = parallel_calls(merged, a.ranking_batch_size)
    return {
        "peak requests/s": peak,
        "candidates from sources": total,
        "candidates ranked": merged,
        "ranking predictions/s at peak": predictions,
        "accelerators for ranking": gpus_needed(predictions, a.predictions_per_second_per_gpu),
        "parallel ranking calls": calls,
        "P(all ranking calls within their p99)": fanout_quantile(a.single_call_quantile, calls),
    }


for name, value in funnel(ASSUMPTIONS).items():
    shown = f"{value:.1%}" if name.startswith("P(") else short(value)
    print(f"{name:40s} {shown:>10s}")

# %% [markdown]
# ## How many candidates should the ranker see?
#
# Ranking more candidates raises recall at the top of the page, but every extra candidate costs
# model evaluations at peak traffic, and splitting them into more parallel batches makes it more
# likely that one slow call holds up the whole request. Below, the sources' output is scaled from a
# quarter to three times the chapter's value.

# %%
scales = [0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0]
rows = []
for scale in scales:
    sources = tuple((name, round(n * scale)) for name, n in ASSUMPTIONS.candidate_sources)
    rows.append(funnel(replace(ASSUMPTIONS, candidate_sources=sources)))

ranked = [r["candidates ranked"] for r in rows]
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
left.plot(ranked, [r["accelerators for ranking"] for r in rows], marker="o")
left.set_xlabel("candidates ranked per request")
left.set_ylabel("accelerators for ranking at peak")
left.set_title("Ranking cost grows linearly")
right.plot(ranked, [r["P(all ranking calls within their p99)"] for r in rows], marker="o", color="C1")
right.set_xlabel("candidates ranked per request")
right.set_ylabel("share of requests")
right.set_title("All ranking calls within their p99")
right.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
for axis in (left, right):
    axis.axvline(funnel(ASSUMPTIONS)["candidates ranked"], color="#52606d", linestyle=":", linewidth=1)
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
# users, homepage loads per user, and the peak-to-average ratio. The last one is a rule of thumb,
# so it is worth seeing how much rides on it.

# %%
users = [100e6, 250e6, 500e6, 750e6, 1000e6]
fig, ax = plt.subplots()
for peak_factor in (2.0, 3.0, 4.0):
    gpus = [
        funnel(replace(ASSUMPTIONS, daily_active_users=u, peak_to_average=peak_factor))["accelerators for ranking"]
        for u in users
    ]
    ax.plot([u / 1e6 for u in users], gpus, marker="o", label=f"peak = {peak_factor:g} x average")
ax.set_xlabel("daily active users (millions)")
ax.set_ylabel("accelerators for ranking")
ax.set_title("Ranking fleet size by traffic assumption")
ax.legend()
fig.tight_layout()

# %% [markdown]
# Accelerators for ranking against daily active users, one line per peak-to-average ratio (2, 3 and
# 4). Every line is straight: the fleet scales with peak traffic, so a wrong peak factor moves the
# estimate as much as a wrong user count does.

# %% [markdown]
# ## The latency budget at other targets
#
# The chapter splits its end-to-end target into stage budgets by fixed shares. Shares are a
# starting point for a negotiation between teams, not a law: what matters is that the stages add up
# to the target. Here is the same split at a tighter and a looser target.

# %%
targets = [60.0, ASSUMPTIONS.latency_target_ms, 200.0]
stages = [stage for stage, _ in ASSUMPTIONS.latency_shares]
fig, ax = plt.subplots(figsize=(9, 3.2))
left_edge = [0.0] * len(targets)
for index, stage in enumerate(stages):
    widths = [dict(latency_budget_ms(t, ASSUMPTIONS.latency_shares))[stage] for t in targets]
    ax.barh([f"{t:g} ms" for t in targets], widths, left=left_edge, label=stage, color=f"C{index % 5}",
            hatch="" if index < 5 else "//", edgecolor="white")
    left_edge = [a + b for a, b in zip(left_edge, widths)]
ax.set_xlabel("milliseconds")
ax.set_title("Stage budgets for three end-to-end targets")
ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
fig.tight_layout()

# %% [markdown]
# One horizontal bar per end-to-end target (60 ms, the chapter's target and 200 ms), split into the
# chapter's stages in order: the stages keep their shares, so every stage shrinks or grows with the
# target. The printout below gives the budget left for ranking inference in each case.

# %%
ranking_stage = next(stage for stage in stages if stage.startswith("Ranking model"))
for target in targets:
    budget = dict(latency_budget_ms(target, ASSUMPTIONS.latency_shares))[ranking_stage]
    print(f"{target:5.0f} ms end to end -> {ms(budget)} for ranking inference")

# %% [markdown]
# ## Try it yourself
#
# - Halve `ranking_batch_size` and rerun the candidate experiment: the cost line stays where it is,
#   while the tail curve drops faster. Why?
# - Find the number of candidates at which fewer than 80% of requests see every ranking call within
#   its p99. How would hedged requests change that number?
# - Raise `homepage_loads_per_user_per_day` to 10: how many more accelerators does ranking need,
#   and is that more or less than raising the peak factor from 3 to 4?
#
# The functions imported at the top are the ones the chapter uses, so any number you compute here
# can be checked against the page.
