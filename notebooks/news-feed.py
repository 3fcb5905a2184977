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
# TODO(scaffold): what the reader will try here, in two sentences, and which chapter numbers it
# recomputes. The lab imports the chapter's calculations instead of copying them, runs in seconds on
# two CPU cores, needs no network, and uses a real library of the field.
#
# Run it yourself: the lab's zip (the download at the top of its page) runs on its own. It holds
# this notebook, the book's modules it imports (`snippets/`) and a `requirements.txt` pinned to the
# versions the book was built with; its `README.txt` gives the three commands. To change the book's
# code as well, clone {{ repository: the project's repository }} and run `scripts/setup`.

# %%
# %config InlineBackend.figure_formats = ["svg"]
import matplotlib.pyplot as plt

import snippets.news_feed as chapter
from snippets.kit import estimation as est
from snippets.kit.house import HOUSE
from snippets.kit.plotting import apply_house_style

apply_house_style()

# %% [markdown]
# ## Peak traffic as daily users grow
#
# TODO(scaffold): replace this example with the chapter's central idea, run on generated data.

# %%
users = [chapter.A.daily_active_users * f for f in (0.5, 1, 2, 4)]
peaks = [est.peak_qps(est.average_qps(u, chapter.A.requests_per_user_per_day), HOUSE.peak_to_average) for u in users]
fig, ax = plt.subplots(figsize=(6, 3.2))
ax.plot(users, peaks, marker="o")
ax.set_xlabel("Daily active users")
ax.set_ylabel("Peak requests per second")
plt.show()

# %% [markdown]
# Peak requests per second grow in proportion to daily active users: doubling users doubles the peak.

# %% [markdown]
# ## What to take away
#
# TODO(scaffold): the two or three things the reader should remember.
