# %% [markdown]
# # 02 · The optimal discriminator
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlab-course/gan-course/blob/main/notebooks/02_optimal_discriminator.ipynb)
#
# In a GAN the discriminator $D$ maximises the value function
# $$V(G, D) = \mathbb E_{x \sim p_\text{data}}[\log D(x)] + \mathbb E_{x \sim p_g}[\log(1 - D(x))].$$
# For a fixed generator this maximisation has a closed-form answer, $D^*$. Knowing it is what turns the
# game into a statement about distances between distributions (notebook 03). Here we derive it, check
# it, and watch a network trained on samples find it.
#
# **Learning goals**
# - Maximise $a \log y + b \log(1 - y)$ over $y \in (0, 1)$: the maximum is at $y = a / (a + b)$.
# - Derive $D^*(x) = p_\text{data}(x) / (p_\text{data}(x) + p_g(x))$ and compute it for 1D and 2D distributions.
# - Train a small network discriminator on samples and measure how close it gets to $D^*$.
# - See that $D^* = 1/2$ everywhere exactly when $p_g = p_\text{data}$: the discriminator is then useless.

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
from scipy.special import expit, logit

from ganlab import budget, plots, start, theory, train_steps
from ganlab.data import toy
from ganlab.lessons import check_answer, lesson, what_we_saw
from ganlab.losses import discriminator_loss
from ganlab.nets import mlp
from ganlab.train import fit

seed = start(data="1D Gaussian mixtures and the 2D ring of 8 Gaussians, sampled in code")

# %% [markdown]
# ## 1. A one-line maximisation: a log y + b log(1 - y)
# Write the value function as one integral over $x$:
# $$V(G, D) = \int \big[\, p_\text{data}(x) \log D(x) + p_g(x) \log(1 - D(x)) \,\big]\, dx .$$
# $D$ can choose its value $y = D(x)$ at every $x$ separately, so we can maximise the integrand point by
# point. With $a = p_\text{data}(x) \ge 0$ and $b = p_g(x) \ge 0$, not both zero, the function
# $f(y) = a \log y + b \log(1-y)$ has
# $$f'(y) = \frac{a}{y} - \frac{b}{1-y} = 0 \iff y = \frac{a}{a + b}, \qquad
# f''(y) = -\frac{a}{y^2} - \frac{b}{(1-y)^2} < 0,$$
# a single maximum. We check it on a grid of $(a, b)$ by brute force.

# %%
y = np.linspace(1e-6, 1 - 1e-6, 200_001)  # a fine grid of y in (0, 1)
ab = [(a, b) for a in np.linspace(0.05, 3, 12) for b in np.linspace(0.05, 3, 12)]
argmax_numeric = np.array([y[np.argmax(a * np.log(y) + b * np.log1p(-y))] for a, b in ab])
argmax_formula = np.array([a / (a + b) for a, b in ab])
argmax_err = np.abs(argmax_numeric - argmax_formula).max()
print(f"{len(ab)} pairs (a, b): max |numeric argmax - a/(a+b)| = {argmax_err:.1e} (grid step {y[1] - y[0]:.0e})")

# %%
# NBVAL_CHECK_OUTPUT
print("the argmax of a log y + b log(1-y) is a/(a+b), to the grid step:", argmax_err <= 1e-5)

# %%
fig, ax = plt.subplots(figsize=(6, 3.8))
for a, b in [(1, 1), (2, 1), (1, 3), (0.5, 2.5)]:
    (line,) = ax.plot(y, a * np.log(y) + b * np.log1p(-y), label=f"a = {a}, b = {b}")
    ax.plot(a / (a + b), a * np.log(a / (a + b)) + b * np.log1p(-a / (a + b)), "o", color=line.get_color())
ax.set(ylim=(-6, 0), xlabel="y = D(x)", title="a log y + b log(1 - y): maximum at a / (a + b) (dots)")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# So for a fixed generator the best discriminator is
# $$D^*_G(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)} .$$
# Where both densities are exactly 0, $D^*$ is not determined (it does not enter $V$); we set it to
# $1/2$ there. Gaussians have full support, so for them that never happens: far out in the tails $D^*$
# tends to 1 where $p_\text{data}$ has the heavier tail and to 0 where $p_g$ does. `ganlab.theory.optimal_discriminator`
# computes it from log densities, so it stays exact in the far tails where both densities underflow.
#
# ## 2. D* for 1D distributions
# The data: a mixture of two Gaussians. The generator: a Gaussian, not yet a good one.

# %%
p_data = theory.mixture(weights=[0.5, 0.5], means=[-1.5, 1.5], stds=[0.6, 0.6])
p_g = theory.gaussian(0.5, 1.0)
d_star = theory.optimal_discriminator(p_data, p_g)

xs = np.linspace(-5, 5, 1001)
fig, (ax, ax_d) = plt.subplots(2, 1, figsize=(7, 5), sharex=True)
ax.plot(xs, p_data.pdf(xs), "k", lw=2, label=r"$p_\mathrm{data}$")
ax.plot(xs, p_g.pdf(xs), "tab:orange", lw=2, label=r"$p_g$")
ax.legend()
ax_d.plot(xs, d_star(xs), "tab:blue", lw=2, label=r"$D^*(x)$")
ax_d.axhline(0.5, color="0.6", ls=":")
ax_d.set(xlabel="x", ylabel="D*(x)")
ax_d.legend()
plt.show()

# where the two densities cross, D* = 1/2 exactly; where only p_data has mass, D* -> 1
crossings = xs[np.where(np.diff(np.sign(p_data.pdf(xs) - p_g.pdf(xs))))[0]]
print("densities cross at x =", crossings.round(2), "where D* =", d_star(crossings).round(3))

# %% [markdown]
# Plugging $D^*$ back into $V$ gives the best the discriminator can do. We check, by quadrature, that no
# other discriminator scores higher: a constant $1/2$, a blurred $D^*$, and random perturbations of it.

# %%
v_star = theory.value_function(p_data, p_g, d_star)
rng = np.random.default_rng(seed)
others = {"D = 1/2": lambda x: np.full_like(np.asarray(x, float), 0.5),
          "0.8 D* + 0.1": lambda x: 0.8 * d_star(x) + 0.1}
for k in range(5):  # D* pushed by a random smooth bump, kept in (0, 1)
    c, amp = rng.uniform(-3, 3), rng.uniform(-1, 1)
    others[f"random bump {k}"] = lambda x, c=c, amp=amp: expit(
        logit(np.clip(d_star(x), 1e-12, 1 - 1e-12)) + amp * np.exp(-(np.asarray(x) - c) ** 2))
values = {name: theory.value_function(p_data, p_g, D) for name, D in others.items()}
print(f"V(G, D*) = {v_star:.4f}")
for name, v in values.items():
    print(f"V(G, {name}) = {v:.4f}")

# %%
# NBVAL_CHECK_OUTPUT
print("no other discriminator beats D*:", all(v < v_star for v in values.values()))
print("D* = 1/2 where the densities cross:", bool(np.allclose(d_star(crossings), 0.5, atol=0.01)))

# %% [markdown]
# ## 3. A network trained on samples finds D*
# In practice $D$ never sees the densities, only samples. Training it with the GAN discriminator's loss,
# the binary cross-entropy of notebook 01, $-\mathbb E_{p_\text{data}} \log D - \mathbb E_{p_g} \log(1-D)$,
# on fresh samples at each step, is stochastic gradient ascent on $V(G, D)$; with enough capacity the
# network should approach $D^*$. We measure the gap where the densities have mass,
# $p_\text{data}(x) + p_g(x) > 0.05$ (elsewhere the samples say nothing about $D$).

# %%
steps = train_steps(quick=3_000, full=10_000)
batch = budget(quick=512, full=2_048)
D = mlp(1, 1, width=64, depth=2, activation="tanh")  # x (batch, 1) -> logit (batch, 1)
opt_d = torch.optim.Adam(D.parameters(), lr=2e-3)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt_d, steps)  # a decaying step lets D settle
x_eval = torch.linspace(-5, 5, 1001).unsqueeze(1)
has_mass = (p_data.pdf(xs) + p_g.pdf(xs)) > 0.05
with torch.no_grad():  # the baseline: the same network before any training step
    untrained_gap = float(np.abs(torch.sigmoid(D(x_eval)).squeeze(1).numpy() - d_star(xs))[has_mass].max())


def d_step(step):
    """One discriminator update: maximise log D(x) + log(1 - D(x_g)), i.e. minimise the BCE on logits."""
    real, fake = p_data.sample(batch), p_g.sample(batch)
    loss = discriminator_loss(D(real), D(fake))
    opt_d.zero_grad()
    loss.backward()
    opt_d.step()
    sched.step()
    return {"loss_d": loss.detach()}  # a tensor: no host sync per step


def gap_to_d_star():
    with torch.no_grad():
        d_net = torch.sigmoid(D(x_eval)).squeeze(1).numpy()
    return {"max_gap": float(np.abs(d_net - d_star(xs))[has_mass].max())}


history = fit(d_step, steps, eval_every=max(steps // 10, 1), eval_fn=gap_to_d_star, progress=False)
with torch.no_grad():
    d_net = torch.sigmoid(D(x_eval)).squeeze(1).numpy()
max_gap = float(np.abs(d_net - d_star(xs))[has_mass].max())
v_net = theory.value_function(p_data, p_g, lambda t: np.interp(t, xs, d_net))
print(f"after {steps} steps of batch {batch}: max |D - D*| = {max_gap:.3f} where p_data + p_g > 0.05 "
      f"(untrained: {untrained_gap:.3f})")
print(f"V(G, D_network) = {v_net:.4f}, V(G, D*) = {v_star:.4f}, V(G, 1/2) = -log 4 = {-math.log(4):.4f}")
# how far a trained D strays from 1/2 when there is something to learn: the baseline of section 4
trained_spread = float(np.abs(d_net - 0.5)[has_mass].max())

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 3.8))
axes[0].plot(xs, d_star(xs), "tab:blue", lw=3, label="D* (analytic)")
axes[0].plot(xs, d_net, "tab:red", ls="--", lw=2, label="network D (trained on samples)")
axes[0].fill_between(xs, 0, 1, where=~has_mass, color="0.9", label="no mass: D is free")
axes[0].set(xlabel="x", ylabel="D(x)", ylim=(0, 1))
axes[0].legend(fontsize=8)
axes[1].plot(*history.series("max_gap"), "o-")
axes[1].set(xlabel="step", ylabel="max |D - D*|", yscale="log", title="the gap shrinks as D trains")
plots.save(fig, "02_trained_vs_optimal_discriminator")
plt.show()

# %% [markdown]
# ## 4. When p_g = p_data, D* = 1/2
# If the generator is perfect, $a = b$ at every $x$ and $D^*(x) = 1/2$: the best discriminator can only
# guess. The value is then $V = \log\frac12 + \log\frac12 = -\log 4$, the value of the game at its
# equilibrium. A network trained on two samples of the same distribution should learn $D \approx 1/2$.

# %%
d_equal = theory.optimal_discriminator(p_data, p_data)
v_equal = theory.value_function(p_data, p_data, d_equal)
print(f"D* ranges over [{d_equal(xs).min()}, {d_equal(xs).max()}];  V = {v_equal:.6f}, -log 4 = {-math.log(4):.6f}")

D_eq = mlp(1, 1, width=64, depth=2, activation="tanh")
opt_eq = torch.optim.Adam(D_eq.parameters(), lr=1e-3)
steps_eq = train_steps(quick=1_000, full=4_000)


def d_step_equal(step):
    real, fake = p_data.sample(batch), p_data.sample(batch)  # the "generator" is the data itself
    loss = discriminator_loss(D_eq(real), D_eq(fake))
    opt_eq.zero_grad()
    loss.backward()
    opt_eq.step()
    return {"loss_d": loss.detach()}


fit(d_step_equal, steps_eq, progress=False)
with torch.no_grad():
    d_eq_net = torch.sigmoid(D_eq(x_eval)).squeeze(1).numpy()
mass_eq = 2 * p_data.pdf(xs) > 0.05
eq_gap = float(np.abs(d_eq_net - 0.5)[mass_eq].max())
print(f"the network trained on p_data vs p_data: max |D - 1/2| = {eq_gap:.3f} where there is mass")

# %%
# NBVAL_CHECK_OUTPUT
print("D* = 1/2 everywhere when p_g = p_data:", bool(np.all(d_equal(xs) == 0.5)))
print("and V(G, D*) = -log 4 (to 1e-9):", abs(v_equal + math.log(4)) < 1e-9)

# %% [markdown]
# ## 5. D* in 2D: the ring of 8 Gaussians against one Gaussian
# The same formula holds in any dimension. Take the 8-Gaussian ring of the later notebooks as
# $p_\text{data}$ and a broad Gaussian blob as $p_g$, as an untrained generator might produce.
# $D^*$ is close to 1 on the (very narrow) modes and close to 0 everywhere else in this window, where
# only $p_g$ has mass. Far away it does **not** return to 1/2: both densities are positive everywhere,
# the blob ($\sigma = 0.6$) has much heavier tails than the ring's modes ($\sigma = 0.02$), and
# $\log p_\text{data} - \log p_g \to -\infty$, so $D^* \to 0$ far from the ring in every direction.

# %%
ring = toy("8gaussians")
blob_std = 0.6
lim, res = 2.0, 300
axis = torch.linspace(-lim, lim, res, dtype=torch.float64)
gx, gy = torch.meshgrid(axis, axis, indexing="xy")
xy = torch.stack([gx, gy], -1)


def log_ring(points):
    """log p_data on a grid of 2D points, by log-sum-exp over the 8 modes (exact far from them)."""
    pts = torch.as_tensor(points)
    d2 = ((pts[..., None, :] - ring.centers.to(pts)) ** 2).sum(-1)
    return (torch.logsumexp(-d2 / (2 * ring.std**2), -1) - math.log(8 * 2 * math.pi * ring.std**2)).numpy()


def log_blob(points):
    pts = torch.as_tensor(points)
    return (-(pts**2).sum(-1) / (2 * blob_std**2) - math.log(2 * math.pi * blob_std**2)).numpy()


class LogDensity:  # what theory.optimal_discriminator reads: an object with .logpdf
    def __init__(self, fn):
        self.logpdf = fn


d_star_2d = theory.optimal_discriminator(LogDensity(log_ring), LogDensity(log_blob))(xy)
fig, ax = plt.subplots(figsize=(5.5, 5))
im = ax.imshow(d_star_2d, extent=(-lim, lim, -lim, lim), origin="lower", cmap="RdBu_r", vmin=0, vmax=1)
fig.colorbar(im, ax=ax, fraction=0.046, label="D*(x)")
ax.set(title="D* for the 8-Gaussian ring vs N(0, 0.6² I)", aspect="equal")
plots.save(fig, "02_optimal_discriminator_2d")
plt.show()

d_star_ring = theory.optimal_discriminator(LogDensity(log_ring), LogDensity(log_blob))
centers = ring.centers.double()
order = torch.argsort(torch.atan2(centers[:, 1], centers[:, 0]))  # the modes in order of their angle
neighbours = centers[order.roll(-1)]  # the next mode round the ring: 45 degrees on
gap_angles = torch.rad2deg(torch.atan2(neighbours[:, 1], neighbours[:, 0])
                           - torch.atan2(centers[order, 1], centers[order, 0])) % 360
centres_value = d_star_ring(centers)
between_value = d_star_ring(0.5 * (centers[order] + neighbours))  # midpoints of angular neighbours
far = torch.tensor([[5.0, 0.0], [0.0, -5.0], [-3.5, 3.5]], dtype=torch.float64)
far_log_ratio = log_ring(far) - log_blob(far)
print("angle between each mode and the next:", gap_angles.round().tolist())
print("D* at the 8 mode centres:", centres_value.round(4))
print("D* half-way between angular neighbours:", between_value.round(4))
print("far from the ring, log p_data - log p_g =", far_log_ratio.round(0), "so D* =", d_star_ring(far))

# %%
# NBVAL_CHECK_OUTPUT
print("the pairs are angular neighbours (45 degrees apart):", bool(np.allclose(gap_angles.numpy(), 45.0)))
print("D* > 0.99 at every mode centre:", bool(np.all(centres_value > 0.99)))
print("D* < 0.01 half-way between every pair of neighbouring modes:", bool(np.all(between_value < 0.01)))
print("far from the ring D* tends to 0, not 1/2 (log-ratio below -1000 at distance 5):",
      bool(np.all(far_log_ratio < -1000)))

# %% [markdown]
# ## 6. Widget: move p_g, watch D* and the trained D
# The discriminators behind the red dashed line were trained when this notebook ran, one per position
# of the sliders (all at once, as a batch of small independent networks: see
# `ganlab.widgets.discriminator.train_discriminator_grid`), so the widget only looks them up. Things to
# try: put $p_g$ on one mode of $p_\text{data}$; make it very narrow; make it match $p_\text{data}$'s
# spread. Where does $D^*$ cross 1/2? Where is the trained $D$ far from $D^*$, and why there?

# %%
from ganlab.widgets.discriminator import discriminator_widget, train_discriminator_grid

table = train_discriminator_grid(p_data, means=np.arange(-2.0, 2.01, 0.5), stds=np.array([0.5, 1.0, 1.5, 2.0]),
                                 grid=xs[::2], steps=train_steps(quick=1_200, full=3_000), seed=seed)
table_gaps, half_gaps = [], []
for i, m in enumerate(table["means"]):
    for j, s in enumerate(table["stds"]):
        g = theory.gaussian(m, s)
        mass = (p_data.pdf(table["grid"]) + g.pdf(table["grid"])) > 0.05
        table_gaps.append(np.abs(table["d"][i, j] - theory.optimal_discriminator(p_data, g)(table["grid"]))[mass].max())
    half_gaps.append(np.abs(0.5 - theory.optimal_discriminator(p_data, g)(table["grid"]))[mass].max())  # D = 1/2
print(f"{len(table_gaps)} discriminators trained: median max-gap to D* {np.median(table_gaps):.3f}, "
      f"worst {np.max(table_gaps):.3f} "
      f"(the constant D = 1/2: median {np.median(half_gaps):.3f})")

# %%
discriminator_widget(p_data, table, mean=0.5, std=1.0)

# %% [markdown]
# ## Exercises
# **1. D* by hand.** With $p_\text{data} = \mathcal N(0, 1)$ and $p_g = \mathcal N(1, 1)$, $D^*$ is a logistic
# function of $x$: $D^*(x) = \sigma(w x + c)$. Find $w$ and $c$ (hint: $\log p_\text{data} - \log p_g$),
# and put them in `w_star`, `c_star`. The checker compares $\sigma(w x + c)$ with `theory.optimal_discriminator`.

# %%
w_star, c_star = None, None  # your answer

if w_star is None:
    print("fill in w_star and c_star, then run this cell again")
else:
    x_check = np.linspace(-3, 4, 15)
    check_answer(1 / (1 + np.exp(-(w_star * x_check + c_star))),
                 theory.optimal_discriminator(theory.gaussian(0, 1), theory.gaussian(1, 1))(x_check), tol=1e-9,
                 hint="log N(x; 0, 1) - log N(x; 1, 1) = (-(x^2) + (x - 1)^2) / 2")

# %% [markdown]
# <details><summary>Solution</summary>
#
# $\log p_\text{data}(x) - \log p_g(x) = \frac{-x^2 + (x-1)^2}{2} = -x + \frac12$, and
# $D^* = p_\text{data}/(p_\text{data}+p_g) = \sigma(\log p_\text{data} - \log p_g)$, so `w_star, c_star = -1.0, 0.5`.
# For two Gaussians of equal variance, the optimal discriminator is exactly a logistic regression:
# the linear model of notebook 01 is then not an approximation.
# </details>
#
# **2. Where the samples say nothing.** Train the network of section 3 again with `p_g = theory.gaussian(4, 0.3)`.
# Plot the trained $D$ on $[-8, 8]$. Where does it differ from $D^*$ most, and does that difference change
# $V(G, D)$?
#
# <details><summary>Solution</summary>
#
# Far from both distributions (e.g. $x < -4$ or $x > 6$) the network extrapolates freely, while $D^*$ is
# still determined: Gaussians have full support, so $D^*$ follows the ratio of their tails. Here
# $p_g = \mathcal N(4, 0.3^2)$ has the lighter tails, so $D^* \to 1$ on both sides (`theory.optimal_discriminator`
# returns 1 at $x = -4$). Those regions carry almost no mass, so what $D$ does there barely changes $V$:
# the samples say nothing about them, which is why we measure the gap only where $p_\text{data} + p_g > 0.05$.
# </details>
#
# **3. A weaker discriminator.** Replace the MLP by logistic regression (`mlp(1, 1, depth=0)`) in section 3.
# What is the smallest gap to $D^*$ it can reach here, and why can it not do better?
#
# <details><summary>Solution</summary>
#
# A logistic regression is monotone in $x$, but $D^*$ here goes up, down and up again (two data modes
# around one generator mode): the gap stays large (around 0.3 or more). The theory assumes a
# discriminator with enough capacity to represent $D^*$.
# </details>

# %% [markdown]
# ## What we saw

# %%
# The maximisation, $D^*$ beating every other discriminator, $D^* = 1/2$ at $p_g = p_\text{data}$ and the 2D
# picture follow from the formula: the compared cells above check them. The checklist holds what was
# measured on **trained** networks, each against the figure that would fail it.

# %%
all_seen = what_we_saw([
    lesson("a network trained on samples gets within 0.05 of D* where the densities have mass",
           held=max_gap < 0.05 and untrained_gap > 0.2,
           measured=f"max |D - D*| {max_gap:.3f} after {steps} steps",
           baseline=f"untrained network {untrained_gap:.3f}"),
    lesson("its value V(G, D) nearly reaches V(G, D*), far above the guessing D = 1/2",
           held=v_star - v_net < 0.01 and v_net > -math.log(4) + 0.05,
           measured=f"V(D) = {v_net:.4f} vs V(D*) = {v_star:.4f}", baseline=f"D = 1/2: {-math.log(4):.4f}"),
    lesson("when p_g = p_data a trained D learns nothing: it stays within 0.05 of 1/2",
           held=eq_gap < 0.05 and trained_spread > 0.3,
           measured=f"max |D - 1/2| {eq_gap:.3f}",
           baseline=f"the same network trained on p_g != p_data: {trained_spread:.3f}"),
    lesson("the widget's batch of trained discriminators tracks D* across the slider grid",
           held=np.median(table_gaps) < 0.1 and np.median(half_gaps) > 2 * np.median(table_gaps),
           measured=f"median max-gap {np.median(table_gaps):.3f} (worst {np.max(table_gaps):.3f})",
           baseline=f"constant D = 1/2: median {np.median(half_gaps):.3f}"),
])
