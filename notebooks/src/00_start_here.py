# %% [markdown]
# # 00 · Start here
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlab-course/gan-course/blob/main/notebooks/00_start_here.ipynb)
#
# Welcome to the GAN course. This notebook checks that your environment works, explains how the
# course runs (profiles, seeds, widgets, Colab), and trains a first tiny GAN so you see the whole
# loop once before we take it apart.
#
# **Learning goals**
# - Know what the banner at the top of every notebook tells you, and how to change the profile and seed.
# - See a generator and a discriminator play their game on a 2D toy distribution, in a minute on a laptop.
# - Know where the code lives: what a notebook shows, and what it imports from `ganlab`.

# %%
# Colab or a fresh environment: install ganlab if it is missing (does nothing where it is importable).
try:
    import ganlab
except ImportError:
    # %pip install -q "ganlab @ git+https://github.com/ganlab-course/gan-course"
    import ganlab

# %% [markdown]
# ## The banner
# Every notebook starts with `ganlab.start()`: it seeds torch, numpy and `random` with one call
# and prints the **profile**, the device, the versions and where the data comes from.

# %%
import torch
from ganlab import budget, start

seed = start()

# %% [markdown]
# ## Profiles: one code path, two sizes
# - `quick` (the default on a CPU, and what CI runs): each notebook finishes in minutes on 2 cores,
#   and its results already show the lesson.
# - `full` (the default where CUDA is available, e.g. Colab with a GPU): paper-quality results in
#   a few minutes per notebook.
#
# Only sizes change between them, never the code. A notebook states its budget in one line:

# %%
steps = budget(quick=1_500, full=10_000)
print("generator steps in this profile:", steps)
