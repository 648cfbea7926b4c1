# %% [markdown]
# # 05 · Mode collapse on the ring of 8 Gaussians
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlab-course/gan-course/blob/main/notebooks/05_mode_collapse_8_gaussians.ipynb)
#
# "The generator distribution keeps oscillating between different modes; it never converges to a
# fixed distribution" (the lecture notes). Goodfellow et al. (2014) named the failure: *G collapses
# too many values of z to the same value of x*. This notebook reproduces it on the classic test
# case, eight Gaussians on a ring, measures it the way the literature does, and measures two
# remedies side by side.
#
# **Learning goals**
# - Measure mode coverage with the VEEGAN / PacGAN protocol: modes covered and the share of
#   high-quality samples among 2,500 generated points.
# - Watch a vanilla (non-saturating) GAN hop between modes: snapshots, metric curves over
#   training, and a replay widget to scrub through the run without retraining.
# - Train many GANs at once (one batched computation over seeds) and count how often collapse happens.
# - Compare vanilla GAN with two remedies, WGAN-GP and PacGAN's packed discriminator, on the ring
#   and on the harder 5x5 grid of 25 Gaussians.

# %%
# Colab or a fresh environment: install ganlab if it is missing (does nothing where it is importable).
try:
    import ganlab
except ImportError:
    # %pip install -q "ganlab @ git+https://github.com/ganlab-course/gan-course"
    import ganlab

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
import torch

from ganlab import budget, plots, profile, start, sweep, train_steps
from ganlab.data import toy
from ganlab.lessons import check_answer, lesson, what_we_saw
from ganlab.metrics.mixtures import N_EVAL, mode_coverage
from ganlab.nets import toy_discriminator, toy_generator
from ganlab.train import toy_snapshot, train_gan
from ganlab.widgets.replay import replay

seed = start(data="8 and 25 Gaussians sampled in code (WGAN-GP toy definitions)")
cpu_threads = torch.get_num_threads()
torch.set_num_threads(1)  # one tiny network: one thread is faster than two that must synchronise

# %% [markdown]
# ## 1. The ring, and how the literature measures coverage
# The data are eight Gaussians on a circle, as in the WGAN-GP toy code: centres $c_k$ on a circle
# of radius $2/1.414 \approx 1.414$, standard deviation $\sigma = 0.02/1.414 \approx 0.0141$.
#
# VEEGAN (Srivastava et al., 2017) and PacGAN (Lin et al., 2018) draw $n = 2{,}500$ samples from the
# generator and count:
# - **high quality**: a sample $x$ is high quality when it lies within three standard deviations
#   of the nearest centre, $\min_k \lVert x - c_k\rVert \le 3\sigma$;
# - **modes covered**: mode $k$ is covered when at least a fifth of its expected count of samples
#   are high-quality samples on it, $\#\{x \text{ high quality, nearest } c_k\} \ge \tfrac15 \cdot n/K$
#   (PacGAN's rule: on the grid, 20 of the 100 expected samples).
#
# $3\sigma$ is tight here: a disc of radius 0.042 around a centre on a ring of radius 1.414 (3% of
# the radius, the same ratio as PacGAN's ring). A ring of samples that looks right by eye can
# still score few high-quality samples. For a 2D Gaussian, $\lVert x - c\rVert^2/\sigma^2$ follows
# $\chi^2_2$, so even real data have only $1 - e^{-9/2} \approx 98.9\%$ of their samples within $3\sigma$.

# %%
ring, grid = toy("8gaussians"), toy("25gaussians")
real = ring.sample(N_EVAL, torch.Generator().manual_seed(0))
real_cov = mode_coverage(real, ring)
fig, axes = plt.subplots(1, 2, figsize=(8, 4))
plots.samples(real, ring, axes[0], title="8 Gaussians: 2,500 real samples")
plots.samples(grid.sample(N_EVAL, torch.Generator().manual_seed(0)), grid, axes[1], title="25 Gaussians (section 5)")
for ax in axes:
    for c in (ring if ax is axes[0] else grid).centers:
        ax.add_patch(plt.Circle(c.tolist(), 3 * (ring if ax is axes[0] else grid).std, fill=False, lw=0.6,
                                color="tab:green"))
plt.show()

# %%
# NBVAL_CHECK_OUTPUT
print(f"3 std radius: ring {3 * ring.std:.4f}, grid {3 * grid.std:.4f}")
print(f"covered when >= {0.2 * N_EVAL / ring.n_modes:.1f} high-quality samples on a ring mode, "
      f">= {0.2 * N_EVAL / grid.n_modes:.1f} on a grid mode")
print(f"real data: {int(real_cov.modes_covered)}/8 modes, high quality {float(real_cov.high_quality):.2f} "
      f"(chi-square: {1 - math.exp(-4.5):.2f})")

# %% [markdown]
# The $\chi^2_2$ law checked on real grid samples: the share within $a\sigma$ of the nearest centre
# against $P(\lVert x - c\rVert \le a\sigma) = 1 - e^{-a^2/2}$.

# %%
# NBVAL_CHECK_OUTPUT
real_grid = grid.sample(N_EVAL, torch.Generator().manual_seed(1))
for a in (1, 2, 3):
    measured, law = float(mode_coverage(real_grid, grid, n_std=a).high_quality), 1 - math.exp(-a**2 / 2)
    print(f"within {a} std: measured {measured:.3f}, chi-square law {law:.3f}, "
          f"agree within 0.02: {abs(measured - law) < 0.02}")

# %% [markdown]
# ## 2. A vanilla GAN on the ring
# The players are small MLPs (`ganlab.nets`), the game is Algorithm 1 with the non-saturating
# generator loss $-\log D(G(z))$ (notebook 04), Adam with $\beta_1 = 0.5$. `train_gan` alternates
# `discriminator_step` and `generator_step`; we only add two callbacks:
# - `snapshot_fn` keeps, at chosen steps, the samples $G(z)$ for a fixed $z$, D's heatmap and the
#   arrows $\nabla_x \ell_D(x)$ at the samples (where the generator loss pushes them);
# - `eval_fn` measures the coverage of 2,500 samples for a fixed $z$ every `eval_every` steps,
#   including how many high-quality samples each mode holds.

# %%
width, depth, batch = budget(quick=(64, 3, 128), full=(256, 3, 256))
steps = train_steps(quick=2_000, full=20_000)
every = max(steps // 20, 1)

torch.manual_seed(seed)
G, D = toy_generator(width=width, depth=depth), toy_discriminator(width=width, depth=depth)
opt_g = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999))
z_fixed = torch.randn(N_EVAL, 2)


def evaluate() -> dict:
    """Coverage of G(z_fixed), plus each mode's share of high-quality samples (for the hopping plot)."""
    with torch.no_grad():
        result = mode_coverage(G(z_fixed), ring)
    per_mode = (result.counts.float() / N_EVAL).tolist()
    return result.as_dict() | {f"hq_mode_{k}": share for k, share in enumerate(per_mode)}


history = train_gan(G, D, opt_g, opt_d, lambda: ring.sample(batch), lambda: torch.randn(batch, 2), steps,
                    snapshot_at=range(0, steps + 1, every), snapshot_fn=lambda: toy_snapshot(G, D, z_fixed[:500]),
                    eval_every=every, eval_fn=evaluate)
history

# %%
fig = plots.snapshot_row(history, ring, n=6)
_ = plots.save(fig, "05_vanilla_snapshots")

# %% [markdown]
# Each panel: the real density (grey), D's belief $D(x)$ (red = "real", blue = "fake"), the samples
# (orange) and the arrows along which the generator loss moves them. The generator chases the
# regions D currently calls real; D then learns those regions are fake, and the samples move on.
#
# Below, the same run measured: modes covered and share of high-quality samples over training, and
# which modes hold the high-quality samples at each evaluation (one row per mode).

# %%
steps_m, modes = history.series("modes_covered")
_, hq = history.series("high_quality")
per_mode = np.stack([history.series(f"hq_mode_{k}")[1] for k in range(ring.n_modes)])
fig, axes = plt.subplots(1, 3, figsize=(14, 3.4))
axes[0].plot(steps_m, modes, marker="o", ms=3)
axes[0].set(xlabel="step", ylabel="modes covered", ylim=(-0.3, 8.3), title="modes covered (of 8)")
axes[1].plot(steps_m, hq, marker="o", ms=3, color="tab:green")
axes[1].set(xlabel="step", ylabel="share", ylim=(0, 1), title="high-quality samples")
im = axes[2].imshow(per_mode, aspect="auto", cmap="Oranges", origin="lower",
                    extent=(steps_m[0] - every / 2, steps_m[-1] + every / 2, -0.5, ring.n_modes - 0.5))
axes[2].set(xlabel="step", ylabel="mode", title="share of samples, high quality, per mode")
fig.colorbar(im, ax=axes[2])
fig.tight_layout()
_ = plots.save(fig, "05_vanilla_metrics")

# %%
covered_sets = [frozenset(np.flatnonzero(per_mode[:, i] >= 0.2 / ring.n_modes)) for i in range(len(steps_m))]
ever = frozenset().union(*covered_sets)
best_at_once = max(len(s) for s in covered_sets)
changes = sum(a != b for a, b in zip(covered_sets, covered_sets[1:]))
print(f"vanilla GAN, {steps} steps: {int(modes[-1])}/8 modes covered at the end, high quality {hq[-1]:.2f}")
print(f"modes covered at some evaluation: {len(ever)}; at most {best_at_once} at once; "
      f"the covered set changed {changes} times in {len(covered_sets)} evaluations")

# %% [markdown]
# ## 3. Replay the run
# The history holds every snapshot and every metric, so an instructor can scrub through training
# (or press play) without retraining: the left panel is the snapshot, the right panels the metric
# curves up to that step.

# %%
replay(history, ring)

# %% [markdown]
# ## 4. How often does it collapse? Many seeds at once
# One run proves little: training is random. `ganlab.sweep.train_many` trains one GAN per seed in
# a single batched computation: the seeds' parameters are stacked along a new leading axis
# (`ganlab.nets.batched.BatchedLinear`, weight $[S, \text{out}, \text{in}]$), so a linear layer of all $S$ seeds,
# $h_s = x_s W_s^\top + b_s$, is one batched matrix product (`torch.baddbmm`) instead of $S$ small ones.
# The seeds share no parameters, so one backward pass of the *sum* of their losses gives each seed
# exactly its own gradient, and `torch.optim.Adam` on the stacked tensors updates each seed as its own
# optimiser would. The step is the course's own (`train.discriminator_step`, `train.generator_step`), and each
# seed keeps a `History` (`result.history(i)`: plots and the replay widget read it). Each seed has its own
# initialisation and data stream, so seed $s$ of a sweep is the run a sequential `train_gan` would make
# (`tests/test_sweep.py` checks it to $10^{-5}$). The idea, checked against $S$ ordinary `nn.Linear` layers:

# %%
from ganlab.nets.batched import BatchedLinear

layers = [torch.nn.Linear(2, 64) for _ in range(16)]              # 16 seeds' first layers
stacked = BatchedLinear.stack(layers)                              # weight [16, 64, 2], bias [16, 1, 64]
x = torch.randn(16, 128, 2)                                        # one batch per seed
batched = stacked(x)                          # torch.baddbmm(bias, x, weight.transpose(1, 2)): [16, 128, 64]
one_by_one = torch.stack([layer(x_s) for layer, x_s in zip(layers, x)])

# %%
# NBVAL_CHECK_OUTPUT
print(f"batched output {tuple(batched.shape)}; "
      f"equals 16 separate layers: {torch.allclose(batched, one_by_one, atol=1e-6)}")

# %% [markdown]
# On this course's 2-core CPU, 16 seeds trained this way ran 2.3x to 4.3x faster than 16 sequential runs
# (`benchmarks/seed_sweep.py`, width 64, batch 256, 200 steps; the range is over quiet runs on different
# days). The sweep below uses both cores.
#
# Three recipes, the same networks and seeds:
# - **gan**: the vanilla GAN above;
# - **pacgan**: the vanilla GAN whose discriminator judges *packs* of $m = 2$ samples
#   concatenated, $D(x_1, x_2)$: a pack of two fakes from a collapsed generator is two near-identical
#   points, which D learns to spot, so collapse is penalised (Lin et al., 2018);
# - **wgan_gp**: a critic $f$ trained for the Wasserstein-1 distance with a gradient penalty
#   (notebook 06),
#   $L_f = \mathbb E f(G(z)) - \mathbb E f(x) + \lambda\,\mathbb E_{\hat x}(\lVert\nabla f(\hat x)\rVert - 1)^2$. Here
#   with the settings of the WGAN-GP paper's *toy* experiments rather than its image ones: a small penalty weight
#   ($\lambda = 1$; their toy code uses 0.1, notebook 06 the image setting 10), Adam with $\beta = (0.5, 0.9)$, and 2
#   critic steps per generator step instead of 5, with a learning rate of $10^{-3}$ so that it fits the CPU budget.
#
# One schedule for all three: the learning rate decays linearly to a tenth of its start
# (`lr_end`), so that late steps are small; the protocol's $3\sigma$ discs are tight (radius 0.042).
# How much the decay itself buys is exercise 4. It does not rescue the vanilla GAN (checked below):
# its collapse happens early, while the rate is still high (see the curves over training).
#
# **Time in the full profile.** 64 seeds for 20,000 steps per recipe make this section the long one:
# about 70 minutes on a T4 (Colab's free GPU) and 45 on an H100 by the estimate of
# `benchmarks/full_profile_cost.py` (these small batched steps are bound by kernel launches, not by
# arithmetic; not yet measured on a GPU). For a shorter run, lower `n_seeds` or the recipes' steps.

# %%
torch.set_num_threads(cpu_threads)  # 16 networks at once: enough work for every core
n_seeds = budget(quick=16, full=64)
seeds = list(range(seed * 1000, seed * 1000 + n_seeds))
sweep_size = dict(width=width, depth=depth, batch=batch, n_samples=N_EVAL)
decay = dict(lr_end=1e-4)
settings = {  # generator steps and recipe settings (ganlab.sweep.METHODS holds the defaults)
    "gan": dict(steps=train_steps(quick=2_000, full=20_000), **decay),
    "pacgan": dict(steps=train_steps(quick=4_000, full=20_000), **decay),
    "wgan_gp": dict(steps=train_steps(quick=1_600, full=20_000), lr=1e-3, betas=(0.5, 0.9), gp_lambda=1.0, n_critic=2,
                    **decay),
}
recipes = tuple(settings)
recipe_steps = {m: cfg["steps"] for m, cfg in settings.items()}


def run_sweep(m: str, dist, seeds: list):
    """Recipe m on one mixture, every seed at once; the samples are recorded 9 times over training."""
    record = range(0, settings[m]["steps"] + 1, max(settings[m]["steps"] // 8, 1))
    return sweep.train_many(m, dist, seeds, sample_at=record, **settings[m], **sweep_size)


ring_runs = {m: run_sweep(m, ring, seeds) for m in recipes}
ring_cov = {m: mode_coverage(r.samples, ring) for m, r in ring_runs.items()}


def coverage_table(covs: dict, runs: dict, n_modes: int) -> None:
    """Median and range of modes covered, share of seeds with every mode, median high quality."""
    print(f"{'recipe':>8} | G steps | modes covered: median [min, max] | seeds with all {n_modes} | "
          "median high quality | seconds")
    for m, cov in covs.items():
        modes, run = cov.modes_covered.float(), runs[m]
        print(f"{m:>8} | {run.loss_g.shape[0]:7d} | {modes.median():14.1f} [{modes.min():.0f}, {modes.max():.0f}]"
              f"{'':14}| {(modes == n_modes).float().mean():13.0%}   | {cov.high_quality.median():19.2f} | "
              f"{run.seconds:.0f}")


coverage_table(ring_cov, ring_runs, ring.n_modes)

# %%
fig, axes = plt.subplots(1, 2 + len(recipes), figsize=(8 + 3.2 * len(recipes), 3.4))
median_over_time = {}  # recipe -> median modes covered at each of the 9 records
for i, m in enumerate(recipes):
    counts = np.bincount(ring_cov[m].modes_covered.numpy(), minlength=ring.n_modes + 1)
    axes[0].bar(np.arange(ring.n_modes + 1) + (i - 1) * 0.27, counts, width=0.27, label=m)
    over_time = mode_coverage(ring_runs[m].sample_history.flatten(0, 1), ring).modes_covered.reshape(-1, n_seeds)
    fraction = np.asarray(ring_runs[m].sample_steps) / recipe_steps[m]
    median_over_time[m] = over_time.float().median(1).values
    axes[1].plot(fraction, median_over_time[m], marker="o", label=m)
axes[0].set(xlabel="modes covered (of 8)", ylabel="seeds", title=f"{n_seeds} seeds, at the end")
axes[1].set(xlabel="fraction of training", ylabel="median modes covered", ylim=(-0.3, 8.3), title="over training")
axes[0].legend(), axes[1].legend()
for ax, m in zip(axes[2:], recipes):
    worst = int(ring_cov[m].modes_covered.argmin())
    plots.samples(ring_runs[m].samples[worst, :1000], ring, ax,
                  title=f"{m}: worst seed ({int(ring_cov[m].modes_covered[worst])} modes)")
    ax.set_xticks([]), ax.set_yticks([])
fig.tight_layout()
_ = plots.save(fig, "05_seed_sweep_ring")

# %% [markdown]
# Read the table with its costs. PacGAN only changes the discriminator's input (a pack of two
# samples); a WGAN-GP generator step costs two critic updates, each with the penalty's second
# backward pass, so compare the seconds column as well as the steps. To fit the CPU budget the quick
# profile gives the vanilla GAN half of PacGAN's generator steps, and its median is not always done
# rising at the end (on some seeds it still gains a mode in the second half). That favours PacGAN, so
# the cell below also reads every recipe at the same number of generator steps, from the samples
# recorded during training. The full profile gives every recipe the same 20,000 generator steps.

# %%
at_steps = recipe_steps["gan"]  # the vanilla GAN's whole run
for m in recipes:
    record = list(ring_runs[m].sample_steps)
    same = f"{median_over_time[m][record.index(at_steps)]:.1f}" if at_steps in record else "n/a (shorter run)"
    print(f"{m:>8}: median modes covered at the midpoint of its run {median_over_time[m][len(record) // 2]:.1f}, "
          f"at the end {median_over_time[m][-1]:.1f}; after {at_steps:,} generator steps {same}")

# %% [markdown]
# ## 5. The harder case: 25 Gaussians on a grid
# Twenty-five modes, spaced $0.707$ apart, $3\sigma = 0.053$: a mode is covered with 20 high-quality
# samples of 2,500. The same recipes and sizes, on 8 seeds in the quick profile. This budget is far
# too short for the grid (the WGAN-GP paper trains its toy models for 100,000 steps): read this table
# as where training stands after a minute, not as a verdict, and compare with the full profile.

# %%
grid_seeds = seeds[:budget(quick=8, full=64)]
grid_runs = {m: run_sweep(m, grid, grid_seeds) for m in recipes}
grid_cov = {m: mode_coverage(r.samples, grid) for m, r in grid_runs.items()}
coverage_table(grid_cov, grid_runs, grid.n_modes)

# %%
fig, axes = plt.subplots(1, len(recipes), figsize=(3.4 * len(recipes), 3.4))
for ax, m in zip(axes, recipes):
    median_seed = int(grid_cov[m].modes_covered.float().argsort()[len(grid_seeds) // 2])
    plots.samples(grid_runs[m].samples[median_seed, :1000], grid, ax,
                  title=f"{m}: median seed ({int(grid_cov[m].modes_covered[median_seed])}/25)")
    ax.set_xticks([]), ax.set_yticks([])
fig.tight_layout()
_ = plots.save(fig, "05_grid_25")

# %% [markdown]
# ## Exercises
# **1. The protocol by hand.** 2,500 samples of a ring generator: 1,000 high-quality samples on
# mode 0, 900 on mode 1, 300 on mode 2, 60 on mode 3, the other 240 far from every centre. How many
# modes are covered, and what share of the samples is high quality? Check with `mode_coverage` on
# a sample set you build.

# %%
answer_modes, answer_hq = None, None  # your answers
if answer_modes is not None:
    check_answer([answer_modes, answer_hq], [3, 0.904], tol=1e-3, hint="covered needs >= 0.2 * 2500 / 8 = 62.5")

# %% [markdown]
# <details><summary>Solution</summary>
#
# A mode needs $0.2 \cdot 2500 / 8 = 62.5$ high-quality samples: modes 0, 1, 2 are covered, mode 3
# (60) is not. High quality: $(1000 + 900 + 300 + 60) / 2500 = 0.904$.
# ```python
# pts = torch.cat([ring.centers[k].repeat(n, 1) for k, n in [(0, 1000), (1, 900), (2, 300), (3, 60)]]
#                 + [torch.zeros(240, 2)])
# r = mode_coverage(pts, ring)
# check_answer([int(r.modes_covered), float(r.high_quality)], [3, 0.904], tol=1e-3)
# ```
# </details>
#
# **2. Why 98.9%?** Show that for a 2D Gaussian $P(\lVert x - c\rVert \le 3\sigma) = 1 - e^{-9/2}$
# (the law checked numerically in section 1). What share would a 3D mixture's real samples reach?
#
# <details><summary>Solution</summary>
#
# $r^2/\sigma^2 = u_1^2 + u_2^2$ with $u_i$ standard normal is $\chi^2_2$, an exponential with mean 2:
# $P(r \le a\sigma) = 1 - e^{-a^2/2}$, i.e. 39.3%, 86.5% and 98.9% for $a = 1, 2, 3$. In 3D,
# $\chi^2_3$: `scipy.stats.chi2(3).cdf(9)` $\approx 97.1\%$.
# </details>
#
# **3. Bigger packs.** Run `run_sweep("pacgan", ring, seeds)` with `settings["pacgan"]["pack"] = 4`
# and compare the table with $m = 2$. What does packing cost per step?
#
# **4. What the schedule buys.** Set `settings["wgan_gp"]["lr_end"] = None` (a constant rate) and
# re-run `run_sweep("wgan_gp", ring, seeds)`: compare the median modes and high-quality share with the
# table. Then train WGAN-GP as notebook 06 does (the `sweep.METHODS` defaults: $\lambda = 10$, Adam
# $10^{-4}$, $\beta = (0, 0.9)$, 5 critic steps, constant rate):
# `sweep.train_many("wgan_gp", ring, seeds, 600, **sweep_size)`. How many modes, and how long did it take?
#
# **5. Your own seed.** Re-run the notebook with `GANLAB_SEED=1` (or another): which lessons below
# hold for every seed, and which numbers move?

# %% [markdown]
# ## What we saw

# %%
median = {m: float(c.modes_covered.float().median()) for m, c in ring_cov.items()}
all_modes = {m: float((c.modes_covered == ring.n_modes).float().mean()) for m, c in ring_cov.items()}
best = max(("wgan_gp", "pacgan"), key=lambda m: median[m])
target = 7  # the brief's bar, 7 of 8 ring modes, in both profiles
print(f"profile: {profile()}; {n_seeds} seeds, generator steps per run: {recipe_steps}")
_ = what_we_saw([
    lesson(f"Both remedies cover more ring modes than the vanilla GAN: each remedy's median over {n_seeds} seeds "
           "is at least 3 modes above vanilla's (each at its own budget of generator steps, in the table)",
           held=min(median["pacgan"], median["wgan_gp"]) >= median["gan"] + 3,
           measured=f"PacGAN {median['pacgan']:.1f}/8, WGAN-GP {median['wgan_gp']:.1f}/8",
           baseline=f"vanilla GAN {median['gan']:.1f}/8"),
    lesson(f"The best remedy ({best}) covers >= {target} of 8 ring modes in the median seed and all 8 on most seeds",
           held=median[best] >= target and all_modes[best] > 0.5,
           measured=f"{best}: median {median[best]:.1f}/8, {all_modes[best]:.0%} of seeds with 8/8",
           baseline=f"vanilla GAN: median {median['gan']:.1f}/8, {all_modes['gan']:.0%} of seeds with 8/8"),
    lesson("The decaying learning rate does not rescue the vanilla GAN: it collapses on most seeds "
           "(median at most half the modes, fewer than half of the seeds with all 8)",
           held=median["gan"] <= ring.n_modes / 2 and all_modes["gan"] < 0.5,
           measured=f"vanilla GAN: median {median['gan']:.1f}/8, {all_modes['gan']:.0%} of seeds with 8/8",
           baseline=f"WGAN-GP, same decay: median {median['wgan_gp']:.1f}/8, {all_modes['wgan_gp']:.0%} with 8/8"),
])

# %%
if profile() == "full":  # the papers' bars, checked where the budget allows them
    ring_hq = {m: float(c.high_quality.median()) for m, c in ring_cov.items()}
    grid_median = {m: float(c.modes_covered.float().median()) for m, c in grid_cov.items()}
    grid_hq = {m: float(c.high_quality.median()) for m, c in grid_cov.items()}
    grid_best = max(("pacgan", "wgan_gp"), key=lambda m: (grid_median[m], grid_hq[m]))
    _ = what_we_saw([
        lesson(f"full: {best} covers 8/8 ring modes with >= 90% high-quality samples (median seed)",
               held=median[best] == 8 and ring_hq[best] >= 0.9,
               measured=f"{best}: {median[best]:.1f} modes, {ring_hq[best]:.2f} high quality",
               baseline=f"vanilla GAN: {median['gan']:.1f} modes, {ring_hq['gan']:.2f}; VEEGAN paper 8 modes, 0.53"),
        lesson("full: a remedy covers >= 24/25 grid modes with >= 80% high-quality samples (median seed)",
               held=grid_median[grid_best] >= 24 and grid_hq[grid_best] >= 0.8,
               measured=f"{grid_best}: {grid_median[grid_best]:.1f} modes, {grid_hq[grid_best]:.2f} high quality",
               baseline=f"vanilla GAN: {grid_median['gan']:.1f} modes, {grid_hq['gan']:.2f}; VEEGAN paper 24.6, 0.40"),
    ])

# %% [markdown]
# **Targets of the full profile** (one GPU; not measurable on the course's CPU): the remedy covers
# 8/8 ring modes with >= 90% high-quality samples, and >= 24/25 grid modes with >= 80%, in the
# median seed (for scale, VEEGAN reported 8 modes / 52.9% on the ring and 24.6 / 40% on the grid).
# The checklist checks them when the notebook runs with `GANLAB_PROFILE=full`. The quick profile
# checks the ranking and a remedy median of at least 7/8 ring modes; its 25-grid table is shown,
# not checked.
#
# **References.** Goodfellow et al. (2014), *Generative adversarial nets*; Metz et al. (2017),
# *Unrolled GANs*; Srivastava et al. (2017), *VEEGAN*; Gulrajani et al. (2017), *Improved training
# of Wasserstein GANs*; Lin et al. (2018), *PacGAN*.
