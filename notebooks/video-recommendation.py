# %% [markdown]
# # Video recommendation lab
#
# Placeholder while the pipeline is built.

# %%
import matplotlib.pyplot as plt
from snippets.display import short

print(short(12345))
fig, ax = plt.subplots()
ax.plot([1, 2, 3], [1, 4, 9])
