# %% [markdown]
# # 04 · Saturating vs non-saturating: what the generator's cost does to its gradient
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlab-course/gan-course/blob/main/notebooks/04_saturating_vs_nonsaturating.ipynb)
#
# The minimax game asks the generator to minimise $\log(1 - D(G(z)))$. Early in training the
# discriminator easily tells fakes apart, $D(G(z)) \approx 0$, and there this cost is flat: the
# generator gets almost no gradient. Goodfellow et al. (2014) suggested the generator maximise
# $\log D(G(z))$ instead. This notebook measures why, and adds two practical points: losses computed
# on logits, and one-sided label smoothing.
#
# **Learning goals**
# - Compare the three generator costs, $\log(1-D)$, $-\log D$ and the maximum-likelihood cost
#   $-\tfrac12 e^{\ell}$, and their gradients against $D(G(z))$ and against the logit $\ell$.
# - Measure how a strong discriminator starves the saturating generator of gradient while the
#   non-saturating one learns (gradient norms and distance to the data over training).
# - Measure the Arjovsky-Bottou argument: on disjoint low-dimensional supports, the saturating gradient
#   vanishes as the discriminator approaches $D^*$.
# - See `inf`/`NaN` appear in the naive $\log(\mathrm{sigmoid}(x))$ and not in losses written on logits.
# - Derive and check what one-sided label smoothing does to the optimal discriminator.
# - Reconcile the lectures' 1/2-scaled $J^{(D)}$, $J^{(G)}$ with `ganlab.losses`, and check the game view: the
#   equilibrium is a saddle point of $V$, and the non-saturating game has no single value function.

# %%
# Colab or a fresh environment: install ganlab if it is missing (does nothing where it is importable).
try:
    import ganlab
except ImportError:
    # %pip install -q "ganlab @ git+https://github.com/ganlab-course/gan-course"
    import ganlab

# %%
import copy
import os

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from scipy import optimize

from ganlab import losses, plots, start, theory, train_steps
from ganlab.lessons import check_answer, lesson, what_we_saw
from ganlab.nets import toy_discriminator, toy_generator
from ganlab.train import discriminator_step, fit, grad_norm, train_gan

seed = start(data="1D Gaussians sampled in code")
torch.set_num_threads(1)  # the networks here are tiny: one thread is faster than two that must synchronise

# %% [markdown]
# ## 1. Three generator costs
# Write $D = D(G(z)) = \sigma(\ell)$ with $\ell$ the discriminator's logit on a fake. The generator
# minimises one of (all in `ganlab.losses`, written on logits):
#
# | cost | $J^{(G)}$ per sample | on the logit | $\partial J / \partial \ell$ |
# |---|---|---|---|
# | saturating (minimax) | $\log(1 - D)$ | $-\mathrm{softplus}(\ell)$ | $-D$ |
# | non-saturating | $-\log D$ | $\mathrm{softplus}(-\ell)$ | $-(1 - D)$ |
# | maximum likelihood | $-\tfrac12 e^{\sigma^{-1}(D)}$ | $-\tfrac12 e^{\ell}$ | $-\tfrac12 e^{\ell}$ |
#
# Since $\partial D/\partial \ell = D(1-D)$, the gradient of the saturating cost **vanishes like $D$**
# when the discriminator rejects a fake ($\ell \to -\infty$), while the non-saturating one tends to 1.
# The maximum-likelihood cost (Goodfellow, 2016) is as flat as the saturating one there: it differs
# where $D$ is large. We compute every cost and gradient by autograd through `ganlab.losses`: each
# loss is a batch mean, so `torch.vmap` gives the per-sample cost.

# %%
COSTS = {"saturating": losses.generator_loss_saturating,
         "non_saturating": losses.generator_loss_non_saturating,
         "maximum_likelihood": losses.generator_loss_maximum_likelihood}
COLORS = {"saturating": "tab:red", "non_saturating": "tab:green", "maximum_likelihood": "tab:blue"}


def per_sample_costs(logits: torch.Tensor) -> dict:
    """J(l) and dJ/dl for each cost at every logit (float64), by autograd through ganlab.losses."""
    logits = logits.detach().double().requires_grad_(True)
    out = {}
    for name, loss in COSTS.items():
        cost = torch.vmap(loss)(logits)  # the loss of a batch of one, for each logit
        (grad,) = torch.autograd.grad(cost.sum(), logits)
        out[name] = (cost.detach(), grad)
    return out


logits = torch.linspace(-10, 6, 801, dtype=torch.float64)
d = torch.sigmoid(logits)
curves = per_sample_costs(logits)

fig, axes = plt.subplots(1, 3, figsize=(14, 4))
for name, (cost, grad) in curves.items():
    axes[0].plot(d, cost, color=COLORS[name], label=name)
    axes[1].semilogy(d, (grad / (d * (1 - d))).abs(), color=COLORS[name], label=name)  # dJ/dD = dJ/dl / (D(1-D))
    axes[2].semilogy(logits, grad.abs(), color=COLORS[name], label=name)
axes[0].set(xlabel="D(G(z))", ylabel="J(G)", ylim=(-10, 10), title="the costs (cf. the lecture's figure)")
axes[1].set(xlabel="D(G(z))", ylabel="|dJ / dD|", title="gradient against D(G(z))")
axes[2].set(xlabel="logit l of a fake", ylabel="|dJ / dl|", title="gradient against the logit")
axes[0].legend()
fig.tight_layout()
_ = plots.save(fig, "04_generator_costs")

# %% [markdown]
# Left, the figure of the lecture notes: the saturating cost is flat near $D(G(z)) = 0$, exactly
# where a generator starts; $-\log D$ is steepest there. Right, the same on the logit's scale. Autograd
# through `ganlab.losses` agrees with the closed forms of the table:

# %%
# NBVAL_CHECK_OUTPUT
closed_form = {"saturating": -d, "non_saturating": -(1 - d), "maximum_likelihood": -0.5 * torch.exp(logits)}
for name, (_cost, grad) in curves.items():
    print(f"{name:>18}: autograd matches the closed-form dJ/dl to 1e-12:",
          bool(torch.allclose(grad, closed_form[name], atol=1e-12, rtol=1e-12)))
rejected = per_sample_costs(torch.logit(torch.tensor([1e-4], dtype=torch.float64)))  # D(G(z)) = 1e-4
print("|dJ/dl| at D(G(z)) = 1e-4:", {name: f"{g.abs().item():.4g}" for name, (_, g) in rejected.items()})

# %% [markdown]
# **The lectures' costs carry a factor 1/2.** Lecture 000 writes, after Goodfellow (2016),
# $$J^{(D)} = -\tfrac12 \mathbb E_{x \sim p_\text{data}} \log D(x) - \tfrac12 \mathbb E_z \log(1 - D(G(z))), \qquad
# J^{(G)}_\text{minimax} = -J^{(D)}, \qquad J^{(G)}_\text{non-sat} = -\tfrac12 \mathbb E_z \log D(G(z)).$$
# `ganlab.losses` drops the 1/2: `discriminator_loss` is the mean BCE over the real batch **plus** the
# mean over the fake batch (notebook 01: twice the logistic NLL), and the generator losses are the plain
# means of the table above. So $J^{(D)} = \tfrac12$ `discriminator_loss`, $J^{(G)}_\text{non-sat} = \tfrac12$
# `generator_loss_non_saturating`, and $J^{(G)}_\text{minimax} = \tfrac12$ `generator_loss_saturating` plus a
# term in $D$ alone, which has no gradient with respect to $G$. A positive factor moves no minimiser, and
# Adam divides it out of every step (its update $m / (\sqrt v + \epsilon)$ is scale-free but for
# $\epsilon$); with plain SGD it halves the learning rate. Checked on a small G and D:

# %%
# NBVAL_CHECK_OUTPUT
with torch.random.fork_rng():  # a fixed toy pair for this check, leaving the notebook's random stream as it was
    torch.manual_seed(0)
    G_chk = toy_generator(latent_dim=1, out_dim=1, width=8, depth=1)
    D_chk = toy_discriminator(width=8, depth=1, in_dim=1)
    x_chk, z_chk = torch.randn(64, 1) + 2, torch.randn(64, 1)
real_logit, fake_logit = D_chk(x_chk), D_chk(G_chk(z_chk))
lecture = {  # the lecture's J(D), J(G) minimax and J(G) non-saturating, written out from probabilities
    "J(D)": -0.5 * torch.log(torch.sigmoid(real_logit)).mean() - 0.5 * torch.log(1 - torch.sigmoid(fake_logit)).mean(),
    "J(G) non-saturating": -0.5 * torch.log(torch.sigmoid(fake_logit)).mean()}
lecture["J(G) minimax"] = -lecture["J(D)"]
ours = {"J(D)": losses.discriminator_loss(real_logit, fake_logit),
        "J(G) non-saturating": losses.generator_loss_non_saturating(fake_logit),
        "J(G) minimax": losses.generator_loss_saturating(fake_logit)}
for name in lecture:
    params = list(D_chk.parameters()) if name == "J(D)" else list(G_chk.parameters())  # each player's own parameters
    g_lecture = torch.autograd.grad(lecture[name], params, retain_graph=True)
    g_ours = torch.autograd.grad(ours[name], params, retain_graph=True)
    same = all(torch.allclose(a, 0.5 * b, atol=1e-6, rtol=1e-5) for a, b in zip(g_lecture, g_ours))
    print(f"{name:>20}: the lecture's gradient = 1/2 x ganlab's, for its own player's parameters: {same}")
step_of = {}
for scale in (1.0, 0.5):  # one Adam step on the loss and on half of it, from the same start
    net = copy.deepcopy(G_chk)
    opt_chk = torch.optim.Adam(net.parameters(), lr=1e-3)
    (scale * losses.generator_loss_non_saturating(D_chk(net(z_chk)))).backward()
    opt_chk.step()
    step_of[scale] = torch.cat([(a - b).flatten() for a, b in zip(net.parameters(), G_chk.parameters())]).detach()
adam_gap = ((step_of[1.0] - step_of[0.5]).abs().max() / step_of[1.0].abs().max()).item()
print("one Adam step is the same for the loss and for half of it (to 1e-3 of its size):", adam_gap < 1e-3)

# %% [markdown]
# ## 2. A strong discriminator starves the saturating generator
# An experiment in 1D. The data are $\mathcal N(5, 0.5^2)$; the generator, an MLP from
# $z \sim \mathcal N(0, 1)$, starts with its samples near 0, far from them. We first train **only the discriminator**
# until it confidently rejects the generator's samples, then measure the gradient each cost gives the
# generator's parameters, $\|\nabla_\theta J^{(G)}\|$, at that same state.

# %%
data = theory.gaussian(5.0, 0.5)
batch = 256
pretrain_steps, steps = 500, 1_000  # the experiment's design, the same in both profiles (seconds on a CPU)
sample_real = lambda: data.sample(batch)
sample_z = lambda: torch.randn(batch, 1)

G = toy_generator(latent_dim=1, out_dim=1, width=32, depth=2)
D = toy_discriminator(width=64, depth=2, in_dim=1)
opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999))
z_eval = torch.randn(4096, 1)
with torch.no_grad():  # the baseline: what the untrained D says about the fakes
    d_fake_untrained = torch.sigmoid(D(G(z_eval))).mean().item()
# Update D only (G fixed): maximise log D(x) + log(1 - D(G(z)))
pretrained = fit(lambda step: discriminator_step(G, D, opt_d, sample_real(), sample_z()), pretrain_steps,
                 progress=False)

real_eval = data.sample(4096, torch.Generator().manual_seed(1))


def generator_gradient_norm(loss) -> float:
    """||grad_theta J(G)|| for the current G and D, on a fixed batch of z."""
    G.zero_grad(set_to_none=True)
    loss(D(G(z_eval))).backward()
    return grad_norm(G).item()


with torch.no_grad():
    d_fake = torch.sigmoid(D(G(z_eval)))
norms = {name: generator_gradient_norm(loss) for name, loss in COSTS.items()}
print(f"after {pretrain_steps} D steps: mean D(G(z)) = {d_fake.mean():.2e} (untrained D: {d_fake_untrained:.2f}), "
      f"D's loss = {pretrained.last('loss_d'):.2e}")
print("generator gradient norms:", {k: f"{v:.3g}" for k, v in norms.items()})
ratio = norms["non_saturating"] / norms["saturating"]
print(f"non-saturating / saturating = {ratio:.0f}x")

# %% [markdown]
# Now train both generators for a while **from that same state** (copies of G, D and D's optimiser),
# as in Algorithm 1: one discriminator step, then one generator step. The generator uses plain SGD,
# so the size of its gradient is the size of its step. We track the Wasserstein-1 distance between
# its samples and the data (`scipy.stats.wasserstein_distance`, exact for samples).

# %%
def distance_to_data(generator) -> dict:
    with torch.no_grad():
        return {"w1": theory.wasserstein1_from_samples(generator(z_eval), real_eval)}


def train_from_pretrained(cost: str, make_opt_g) -> tuple:
    """Copies of the pretrained G and D, trained `steps` steps with the generator cost `cost`."""
    g, dis = copy.deepcopy(G), copy.deepcopy(D)
    opt = torch.optim.Adam(dis.parameters(), lr=1e-3, betas=(0.5, 0.999))
    opt.load_state_dict(opt_d.state_dict())
    history = train_gan(g, dis, make_opt_g(g), opt, sample_real, sample_z, steps, g_loss=losses.generator_loss(cost),
                        eval_every=50, eval_fn=lambda: distance_to_data(g), progress=False)
    return g, history


sgd = lambda g: torch.optim.SGD(g.parameters(), lr=0.02)
runs = {cost: train_from_pretrained(cost, sgd) for cost in ("saturating", "non_saturating")}

fig, axes = plt.subplots(1, 3, figsize=(14, 3.8))
for cost, (g, history) in runs.items():
    axes[0].plot(*history.series("w1"), color=COLORS[cost], label=cost)
    axes[1].semilogy(*history.series("grad_norm_g"), color=COLORS[cost], label=cost, lw=0.8)
    with torch.no_grad():
        axes[2].hist(g(z_eval).squeeze(1).numpy(), bins=60, density=True, alpha=0.5, color=COLORS[cost],
                     label=f"G, {cost}")
axes[2].hist(real_eval.squeeze(1).numpy(), bins=60, density=True, alpha=0.4, color="k", label="data")
axes[0].set(xlabel="step", ylabel="W1(G's samples, data)", title="distance to the data")
axes[1].set(xlabel="step", ylabel="||grad_theta J(G)||", title="generator gradient norm")
axes[2].set(xlabel="x", title=f"samples after {steps} steps")
for ax in axes:
    ax.legend(fontsize=8)
fig.tight_layout()
_ = plots.save(fig, "04_strong_discriminator")

w1 = {cost: history.series("w1")[1] for cost, (_, history) in runs.items()}
for cost, values in w1.items():
    print(f"{cost:>15}: W1 {values[0]:.3f} -> {values[-1]:.3f}")

# %% [markdown]
# **A caveat worth measuring.** The vanishing is a matter of *scale*: the direction of the saturating
# gradient is still informative. An optimiser that divides by a running gradient scale, such as Adam,
# undoes much of it as long as the gradient stays above Adam's $\epsilon = 10^{-8}$:

# %%
adam = lambda g: torch.optim.Adam(g.parameters(), lr=1e-3, betas=(0.5, 0.999))
_, adam_history = train_from_pretrained("saturating", adam)
w1_adam = adam_history.series("w1")[1]
print(f"saturating cost with Adam: W1 {w1_adam[0]:.3f} -> {w1_adam[-1]:.3f}")

# %% [markdown]
# So with Adam this saturating generator escapes here (checked at the end). It is no cure in general: the gradient is
# weighted by $D(G(z))$ per sample, so the samples D rejects most (the ones that most need to move)
# get the least say, and a discriminator that keeps getting stronger drives $D(G(z))$ towards
# $10^{-8}$ and below, where nothing is left to rescale. The non-saturating cost avoids the problem
# at its source, which is why it is the default everywhere (`ganlab.train` uses it).
#
# **Why it vanishes: the Arjovsky-Bottou argument (2017).** Real data and a generator's samples lie on
# low-dimensional manifolds: a generator with $d_z$ latents makes a surface of dimension at most $d_z$. Two
# manifolds of dimensions $d_1 + d_2 < n$ in $\mathbb R^n$, in general position, do not meet at all (with
# probability 1); when $d_1 + d_2 \ge n$ they meet in a set of measure zero. Either way a **perfect**
# discriminator exists: $D^* = 1$ on the data, 0 on the fakes, almost everywhere. Their Theorem 2.4: if
# $\|D - D^*\| < \epsilon$ (with its gradient), then
# $\|\nabla_\theta \mathbb E_z \log(1 - D(G_\theta(z)))\| \le M\,\epsilon / (1 - \epsilon)$: the better $D$ gets, the
# less the saturating generator hears. First the geometry, on random lines (1D manifolds) through the unit cube:

# %%
rng = np.random.default_rng(seed)
n_pairs = 10_000
p1, p2, d1, d2 = (rng.uniform(-1, 1, (n_pairs, 3)) for _ in range(4))  # a point and a direction for each line
normal = np.cross(d1, d2)
line_distance = np.abs(((p2 - p1) * normal).sum(1)) / np.linalg.norm(normal, axis=1)  # distance between lines in R^3
det_2d = d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0]  # two lines in the plane are disjoint only if parallel (det = 0)
print(f"{n_pairs} pairs of random lines in R^3: smallest distance {line_distance.min():.2e} (none meet);"
      f" in R^2 the smallest |det| is {np.abs(det_2d).min():.2e} (every pair meets, in one point)")

# %%
# NBVAL_CHECK_OUTPUT
print("in R^3 (1 + 1 < 3) no pair of random lines meets:", bool(line_distance.min() > 1e-9))
print("in R^2 (1 + 1 = 2) every pair meets, in a single point (measure zero on each line):",
      bool(np.abs(det_2d).min() > 1e-9))

# %% [markdown]
# Now the gradient. The data lie on a circle in $\mathbb R^3$; the generator, an MLP from one latent to
# $\mathbb R^3$, makes a curve: 1 + 1 < 3, so the two supports are disjoint. We hold $G$ fixed and train a
# fresh discriminator towards $D^*$, measuring both costs' gradient norms $\|\nabla_\theta J^{(G)}\|$ as it
# goes, against $\epsilon$ = the mean $D(G(z))$ (how far $D$ is from $D^* = 0$ on the fakes).

# %%
def circle_3d(n: int) -> torch.Tensor:
    """n points of the unit circle in the plane x3 = 0 of R^3: a 1D manifold."""
    angle = 2 * torch.pi * torch.rand(n)
    return torch.stack([angle.cos(), angle.sin(), torch.zeros(n)], 1)


G_curve = toy_generator(latent_dim=1, out_dim=3, width=32, depth=2)  # z (batch, 1) -> x (batch, 3): a curve
D_3d = toy_discriminator(width=64, depth=2, in_dim=3)
opt_3d = torch.optim.Adam(D_3d.parameters(), lr=1e-3, betas=(0.5, 0.999))
ab_steps, ab_every = 1_500, 50


def curve_gradients() -> dict:
    """||grad_theta J(G)|| of G_curve for both costs, and eps = mean D(G(z)), with the current D_3d."""
    out = {}
    for name in ("saturating", "non_saturating"):
        G_curve.zero_grad(set_to_none=True)
        COSTS[name](D_3d(G_curve(z_eval))).backward()
        out[name] = grad_norm(G_curve)
    with torch.no_grad():
        out["eps"] = torch.sigmoid(D_3d(G_curve(z_eval))).mean()
    return out  # tensors: converted once, after the loop


ab_record = []
for step in range(ab_steps + 1):
    if step % ab_every == 0:
        ab_record.append(curve_gradients())
    # Update D only (G fixed): maximise log D(x) + log(1 - D(G(z)))
    discriminator_step(G_curve, D_3d, opt_3d, circle_3d(batch), sample_z())
ab = {k: np.array([float(r[k]) for r in ab_record]) for k in ab_record[0]}
ab_x = np.arange(len(ab["eps"])) * ab_every
sat_peak = int(ab["saturating"].argmax())

fig, axes = plt.subplots(1, 2, figsize=(12, 3.8))
for name in ("saturating", "non_saturating"):
    axes[0].semilogy(ab_x, ab[name], "o-", ms=3, color=COLORS[name], label=name)
    axes[1].loglog(ab["eps"][sat_peak:], ab[name][sat_peak:], "o-", ms=3, color=COLORS[name], label=name)
axes[0].set(xlabel="discriminator steps (G fixed)", ylabel=r"$\|\nabla_\theta J^{(G)}\|$",
            title="disjoint 1D supports in R^3")
axes[1].set(xlabel=r"$\epsilon$ = mean D(G(z))", ylabel=r"$\|\nabla_\theta J^{(G)}\|$",
            title="as D approaches D* (right to left)")
axes[1].invert_xaxis()
for ax in axes:
    ax.legend(fontsize=8)
fig.tight_layout()
_ = plots.save(fig, "04_arjovsky_bottou")
sat_fall = ab["saturating"][sat_peak] / ab["saturating"][-1]
ns_change = ab["non_saturating"][-1] / ab["non_saturating"][sat_peak]
print(f"from D step {ab_x[sat_peak]} to {ab_x[-1]}: eps {ab['eps'][sat_peak]:.2e} -> {ab['eps'][-1]:.2e}; "
      f"saturating gradient falls {sat_fall:.0f}x, non-saturating changes x{ns_change:.2f}")

# %% [markdown]
# The saturating gradient falls with $\epsilon$, as the bound $M\epsilon/(1-\epsilon)$ says (more slowly than
# $\epsilon$ itself: $M$, which bounds the size of D's gradient, grows as D sharpens), while the
# non-saturating one grows. (Arjovsky and Bottou
# also show that the non-saturating gradient, though it does not vanish, becomes noisy and unstable as
# $D \to D^*$: the motivation for the Wasserstein GAN of notebook 06.)
#
# ## 3. Losses on logits, not on probabilities
# The naive way computes $D = \mathrm{sigmoid}(\ell)$ and then its log. In float32 $\mathrm{sigmoid}(\ell)$
# rounds to exactly 0 for very negative $\ell$ and to exactly 1 for moderately positive $\ell$ (where
# exactly depends on how the library evaluates it: we measure it below), so
# $\log D$ or $\log(1 - D)$ becomes $-\infty$ and its gradient $\infty \cdot 0 = \mathrm{NaN}$. On logits,
# $\log \sigma(\ell) = -\mathrm{softplus}(-\ell)$ and $\log(1 - \sigma(\ell)) = -\mathrm{softplus}(\ell)$ are exact
# everywhere.

# %%
def naive_non_saturating(fake_logits):
    """-log(sigmoid(l)): mathematically the non-saturating cost, numerically fragile."""
    return -torch.log(torch.sigmoid(fake_logits)).mean()


def naive_saturating(fake_logits):
    """log(1 - sigmoid(l)): the minimax cost computed from probabilities."""
    return torch.log(1 - torch.sigmoid(fake_logits)).mean()


def value_and_grad(loss, logit: float):
    x = torch.tensor([logit], dtype=torch.float32, requires_grad=True)
    value = loss(x)
    value.backward()
    return value.item(), x.grad.item()


# where float32 sigmoid first gives exactly 0 and exactly 1, on this torch (a fine grid of logits)
fine = torch.arange(-120.0, 40.0, 0.001, dtype=torch.float64).float()
sig = torch.sigmoid(fine)
zero_from = fine[sig == 0].max().item()  # sigmoid(l) == 0 for every l <= this
one_from = fine[sig == 1].min().item()  # and == 1 for every l >= this
print(f"float32 sigmoid(l) is exactly 0 for l <= {zero_from:.2f} and exactly 1 for l >= {one_from:.2f} "
      f"(log of the largest float32: {np.log(np.finfo(np.float32).max):.2f})")

test_logits = [-200.0, -120.0, -30.0, 0.0, 30.0, 120.0]
table = {"naive -log sigmoid(l)": naive_non_saturating, "softplus(-l)  [ganlab]": losses.generator_loss_non_saturating,
         "naive log(1-sigmoid(l))": naive_saturating, "-softplus(l)  [ganlab]": losses.generator_loss_saturating}
results = {name: [value_and_grad(loss, logit) for logit in test_logits] for name, loss in table.items()}
print(f"{'logit':>25}" + "".join(f"{logit:>22g}" for logit in test_logits))
for name, pairs in results.items():
    print(f"{name:>25}" + "".join(f"{f'{v:.3g} / {g:.3g}':>22}" for v, g in pairs))
print("(each entry: cost / gradient against the logit, float32)")

# %%
# NBVAL_CHECK_OUTPUT
finite = {name: bool(np.isfinite(np.array(pairs)).all()) for name, pairs in results.items()}
for name, ok in finite.items():
    print(f"{name:>25}: all values and gradients finite: {ok}")

# %% [markdown]
# ## 4. One-sided label smoothing
# Salimans et al. (2016) train D with the target 0.9 instead of 1 for real samples (fakes keep 0):
#
# $$\max_D\; \mathbb E_{p_\text{data}}\big[0.9 \log D + 0.1 \log(1-D)\big] + \mathbb E_{p_g}\big[\log(1-D)\big].$$
#
# Pointwise this is $a \log D + b \log(1-D)$ with $a = 0.9\,p_\text{data}(x)$ and
# $b = 0.1\,p_\text{data}(x) + p_g(x)$, maximised at $D = a/(a+b)$:
#
# $$D^*_{0.9}(x) = \frac{0.9\, p_\text{data}(x)}{p_\text{data}(x) + p_g(x)} \;\le\; 0.9.$$
#
# D can no longer be arbitrarily confident on real data, which keeps its logits (and gradients)
# moderate. Only the real side is smoothed: smoothing the fakes too would put
# $0.1\,p_g/(p_\text{data}+p_g)$ into $D^*$, rewarding the generator where it already is.
# First the pointwise maximisation, by scipy, against the formula:

# %%
# NBVAL_CHECK_OUTPUT
p_data_1d, p_g_1d = theory.gaussian(0.0, 1.0), theory.gaussian(1.5, 1.0)
xs = np.linspace(-3, 4.5, 16)
pd_x, pg_x = theory.density(p_data_1d)(xs), theory.density(p_g_1d)(xs)


def smoothed_objective(y, a, b, smooth=0.9):
    return smooth * a * np.log(y) + ((1 - smooth) * a + b) * np.log(1 - y)


numeric = np.array([optimize.minimize_scalar(lambda y, a, b: -smoothed_objective(y, a, b), args=(a, b),
                                             bounds=(1e-12, 1 - 1e-12), method="bounded", options={"xatol": 1e-12}).x
                    for a, b in zip(pd_x, pg_x)])
formula = 0.9 * pd_x / (pd_x + pg_x)
print("scipy's pointwise maximiser equals 0.9 p_data / (p_data + p_g) to 1e-6:",
      bool(np.abs(numeric - formula).max() < 1e-6))

# %% [markdown]
# Then a discriminator network trained on samples with `losses.smoothed_discriminator_loss`, against
# one trained with the plain loss; the generator is fixed at $p_g = \mathcal N(1.5, 1)$. What we measure:
# does the smoothed network follow $0.9\,D^*$, and does it stay near 0.9 on the data's side, where the
# plain one becomes confident?

# %%
def train_discriminator(loss, d_steps: int):
    dis = toy_discriminator(width=64, depth=2, in_dim=1)
    opt = torch.optim.Adam(dis.parameters(), lr=1e-3)

    def step(_):  # Update D: minimise loss(D(x), D(x_g)), x ~ p_data, x_g ~ p_g
        loss_d = loss(dis(p_data_1d.sample(512)), dis(p_g_1d.sample(512)))
        opt.zero_grad(set_to_none=True)
        loss_d.backward()
        opt.step()
        return {"loss_d": loss_d.detach()}

    fit(step, d_steps, progress=False)
    return dis


d_steps = train_steps(quick=1_500, full=4_000)
trained = {"plain (target 1)": train_discriminator(losses.discriminator_loss, d_steps),
           "one-sided smoothing (0.9)": train_discriminator(losses.smoothed_discriminator_loss, d_steps)}
grid = np.linspace(-3, 4.5, 301)
d_star = theory.optimal_discriminator(p_data_1d, p_g_1d)(grid)
analytic = {"plain (target 1)": d_star, "one-sided smoothing (0.9)": 0.9 * d_star}

fig, ax = plt.subplots(figsize=(7, 4))
errors = {}
for (name, dis), color in zip(trained.items(), ("tab:purple", "tab:orange")):
    with torch.no_grad():
        learned = torch.sigmoid(dis(torch.tensor(grid, dtype=torch.float32)[:, None])).squeeze(1).numpy()
    errors[name] = float(np.abs(learned - analytic[name]).max())
    ax.plot(grid, analytic[name], "--", color=color, label=f"analytic D*, {name}")
    ax.plot(grid, learned, color=color, alpha=0.8, label=f"trained D, {name}")
ax.axhline(0.9, color="grey", lw=0.6)
ax.set(xlabel="x", ylabel="D(x)", title="one-sided label smoothing caps D* at 0.9 p_data / (p_data + p_g)")
ax.legend(fontsize=8)
_ = plots.save(fig, "04_label_smoothing")
print("largest |trained D - analytic D*| on [-3, 4.5]:", {k: round(v, 3) for k, v in errors.items()})
with torch.no_grad():  # the confidence of each trained D deep on the data's side, x in [-3, -1]
    left = torch.linspace(-3, -1, 101)[:, None]
    confidence = {name: torch.sigmoid(dis(left)).max().item() for name, dis in trained.items()}
print("largest trained D on x in [-3, -1]:", {k: round(v, 3) for k, v in confidence.items()})

# %% [markdown]
# ## 5. The game view: one value for the minimax game, none for the non-saturating one
# The lectures describe a GAN as a **game** rather than an optimisation: each player minimises its own
# cost, $J^{(D)}(\psi; \theta)$ and $J^{(G)}(\theta; \psi)$, each depending on the other's parameters it cannot
# control, and the solution is a **Nash equilibrium**: a point where neither player can lower its cost by
# changing only its own parameters. Notebook 11 ([GANs as games](11_gans_as_games.ipynb)) studies the
# dynamics; here, three statements of the lectures on the smallest game where every quantity is exact:
# $p_\text{data} = \mathcal N(0, 1)$, $p_\theta = \mathcal N(\theta, 1)$ and a logistic discriminator
# $D_\psi(x) = \sigma(\psi_0 + \psi_1 x)$, which contains $D^*$ (notebook 02, exercise 1:
# $D^* = \sigma(\theta^2/2 - \theta x)$). The expectations are Gauss-Hermite sums (exact to float64 here), so
# autograd differentiates them.
#
# 1. *"The equilibrium is a saddle point"* of $V$: at $(\psi^*, \theta^*) = (0, 0)$,
#    $V(\psi, 0) \le V(0, 0) = -\log 4 \le \max_\psi V(\psi, \theta)$, and the right-hand side is
#    $-\log 4 + 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_\theta)$ (notebook 03).
# 2. It is a Nash equilibrium: D cannot raise $V$ by moving $\psi$ alone, and G cannot lower it by moving $\theta$
#    alone.
# 3. *"Equilibrium no longer describable with a single loss"* for the non-saturating game: in a game that
#    one value $V$ describes, $J^{(D)} = -V + f(\psi)$ and $J^{(G)} = V + g(\theta)$, so the mixed second
#    derivatives $\partial^2 (J^{(D)} + J^{(G)}) / \partial\psi\,\partial\theta$ are zero. We compute them.

# %%
gh_nodes, gh_weights = np.polynomial.hermite_e.hermegauss(80)  # E_{N(0,1)} f = sum_k w_k f(x_k) / sqrt(2 pi)
gh_x = torch.tensor(gh_nodes, dtype=torch.float64)
gh_w = torch.tensor(gh_weights / np.sqrt(2 * np.pi), dtype=torch.float64)


def game_terms(psi, theta):
    """(E_data log D_psi, E_theta log D_psi, E_theta log(1 - D_psi)) for D_psi(x) = sigmoid(psi0 + psi1 x)."""
    real_logit, fake_logit = psi[0] + psi[1] * gh_x, psi[0] + psi[1] * (theta + gh_x)
    return (gh_w @ F.logsigmoid(real_logit), gh_w @ F.logsigmoid(fake_logit), gh_w @ F.logsigmoid(-fake_logit))


def value(psi, theta):
    """V(D_psi, G_theta) = E_data log D + E_theta log(1 - D)."""
    e_real, _, e_fake_neg = game_terms(psi, theta)
    return e_real + e_fake_neg


def best_response_value(theta: float) -> float:
    """max over psi of V(psi, theta), by scipy (D's best response to G_theta)."""
    res = optimize.minimize(lambda v: -value(torch.tensor(v, dtype=torch.float64), theta).item(), [0.1, -0.1],
                            method="BFGS", options={"gtol": 1e-10})
    return -res.fun


psi_grid = [torch.tensor([a, b], dtype=torch.float64) for a in np.linspace(-2, 2, 21) for b in np.linspace(-2, 2, 21)]
v_d_moves = max(value(psi, 0.0).item() for psi in psi_grid)  # D moves alone, G at theta* = 0
v_g_moves = [value(torch.zeros(2, dtype=torch.float64), t).item() for t in np.linspace(-3, 3, 13)]  # G moves alone
game_thetas = [-2.0, -0.5, 0.5, 1.0, 2.0]
max_v = {t: best_response_value(t) for t in game_thetas}
print(f"V(0, 0) = {value(torch.zeros(2, dtype=torch.float64), 0.0).item():.6f} (-log 4 = {-np.log(4):.6f})")
print(f"D moving alone (441 psi): max V = {v_d_moves:.6f};  "
      f"G moving alone (13 theta): V in [{min(v_g_moves):.6f}, {max(v_g_moves):.6f}]")
for t in game_thetas:
    print(f"theta = {t:+.1f}: max_psi V = {max_v[t]:.6f}, "
          f"-log 4 + 2 JSD = {-np.log(4) + 2 * theory.jsd(theory.gaussian(0, 1), theory.gaussian(t, 1)):.6f}")


def mixed_second_derivative(j_d, j_g, psi, theta):
    """d^2 (J_D + J_G) / d psi d theta at (psi, theta), by autograd (zero for a game with one value)."""
    params = torch.cat([psi, torch.tensor([theta], dtype=torch.float64)])
    hess = torch.autograd.functional.hessian(lambda q: j_d(q[:2], q[2]) + j_g(q[:2], q[2]), params)
    return hess[:2, 2]


j_d = lambda psi, theta: -value(psi, theta)  # D minimises -V
j_g_minimax = lambda psi, theta: value(psi, theta)  # G minimises V
j_g_non_saturating = lambda psi, theta: -game_terms(psi, theta)[1]  # G minimises -E_theta log D
at_psi, at_theta = torch.tensor([0.3, -0.5], dtype=torch.float64), 1.0
mixed = {"minimax": mixed_second_derivative(j_d, j_g_minimax, at_psi, at_theta),
         "non-saturating": mixed_second_derivative(j_d, j_g_non_saturating, at_psi, at_theta)}
for name, m in mixed.items():
    print(f"{name:>15} game: d^2(J_D + J_G)/dpsi dtheta at psi = (0.3, -0.5), theta = 1: {m.numpy().round(6)}")

# %%
# NBVAL_CHECK_OUTPUT
v_star_game = -np.log(4)
print("saddle, D's side: no psi on the grid raises V(psi, 0) above -log 4 (to 1e-12):",
      v_d_moves <= v_star_game + 1e-12)
print("saddle, G's side: max_psi V(psi, theta) > -log 4 for every theta != 0, and equals -log 4 + 2 JSD (to 1e-6):",
      all(max_v[t] > v_star_game + 1e-3
          and abs(max_v[t] - (v_star_game + 2 * theory.jsd(theory.gaussian(0, 1), theory.gaussian(t, 1)))) < 1e-6
          for t in game_thetas))
print("Nash: with D at psi* = 0, no theta changes V (G cannot do better alone; to 1e-12):",
      max(abs(v - v_star_game) for v in v_g_moves) < 1e-12)
print("minimax game: the mixed second derivatives of J_D + J_G vanish (one value V; to 1e-12):",
      bool(mixed["minimax"].abs().max() < 1e-12))
print("non-saturating game: they do not (> 0.01): no single loss describes it:",
      bool(mixed["non-saturating"].abs().max() > 0.01))

# %% [markdown]
# ## 6. The widget: how strong must D be before the saturating cost goes silent?
# The slider moves the mean logit the discriminator gives a batch of fakes (logits spread as
# $\mathcal N(\text{mean}, 1)$). Left: the three costs with the current $D(G(z))$ marked; middle: the
# gradient against the logit; right: the mean $|\partial J/\partial \ell|$ each cost passes back. Move it
# left (a stronger D) and watch the red and blue bars collapse while the green one stays at 1.

# %%
from ganlab.widgets.core import measure_latency
from ganlab.widgets.generator_costs import generator_costs_widget

costs_widget = generator_costs_widget(mean_logit=-6.0)
latency = measure_latency(costs_widget)
costs_widget.update(-6.0)
load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")  # a busy machine inflates the timing
print(f"widget update latency: median {latency['median_ms']:.0f} ms, p95 {latency['p95_ms']:.0f} ms "
      f"over {latency['moves']} moves "
      f"(load average {load:.1f} on {os.cpu_count()} cores)")
costs_widget

# %% [markdown]
# ## Exercises
# **1.** At which logit $\ell$ is the saturating cost's gradient exactly 1/100 of the non-saturating
# one? (Use the table of section 1: the ratio of $D$ to $1 - D$.) Set `answer` and run the checker.

# %%
answer = None  # your logit here
if answer is not None:
    check_answer(answer, np.log(0.01), tol=1e-3, hint="D / (1 - D) = e^l")

# %% [markdown]
# <details><summary>Solution</summary>
#
# $|\partial J_\text{sat}/\partial\ell| \,/\, |\partial J_\text{ns}/\partial\ell| = D/(1-D) = e^{\ell}$, so
# $e^{\ell} = 0.01$ and $\ell = \log 0.01 \approx -4.605$, i.e. $D(G(z)) \approx 0.0099$. A discriminator
# only 99% sure already cuts the saturating gradient a hundredfold.
#
# ```python
# answer = np.log(0.01)
# check_answer(answer, np.log(0.01), tol=1e-3)
# ```
# </details>
#
# **2.** Two-sided smoothing: label the fakes 0.1 as well as the reals 0.9. Derive the optimal
# discriminator and check it with `optimize.minimize_scalar` at one point, as in section 4. Why does
# it help the generator where it should not?
#
# <details><summary>Solution</summary>
#
# The pointwise objective is $(0.9a + 0.1b)\log D + (0.1a + 0.9b)\log(1-D)$ with $a = p_\text{data}(x)$,
# $b = p_g(x)$, maximised at $D^* = (0.9\,p_\text{data} + 0.1\,p_g)/(p_\text{data} + p_g)$. Where
# $p_\text{data} = 0$ but $p_g > 0$, $D^* = 0.1$ instead of 0: the generator's bad samples are no longer
# pushed away as hard.
# </details>
#
# **3.** Rerun section 2 with the generator's SGD learning rate 10x larger. Does the saturating
# generator now learn? What does that say about "vanishing" gradients?

# %% [markdown]
# ## What we saw

# %%
# The closed-form gradients, the lectures' factor 1/2, the geometry of random lines, the overflow of
# the naive losses, the smoothed $D^*$ and the game's saddle point follow from the formulas: the compared
# cells above check them. The checklist holds what the trained networks showed, each against the figure
# that would fail it.

# %%
_ = what_we_saw([
    lesson("a pretrained D confidently rejects the generator's samples",
           held=d_fake.mean() < 0.01 and d_fake_untrained > 0.2,
           measured=f"mean D(G(z)) = {d_fake.mean():.1e} after {pretrain_steps} D steps",
           baseline=f"untrained D: {d_fake_untrained:.2f}"),
    lesson("there, the saturating cost gives a gradient at least 10x smaller than the non-saturating one",
           held=ratio >= 10,
           measured=f"saturating {norms['saturating']:.2g} ({ratio:.0f}x smaller)",
           baseline=f"non-saturating {norms['non_saturating']:.2g}"),
    lesson("from that state, with SGD, the saturating generator stalls while the non-saturating one learns",
           held=(w1["saturating"][-1] > 0.9 * w1["saturating"][0]
                 and w1["non_saturating"][-1] < 0.5 * w1["non_saturating"][0]),
           measured=f"saturating W1 {w1['saturating'][0]:.2f} -> {w1['saturating'][-1]:.2f} in {steps} steps",
           baseline=f"non-saturating W1 {w1['non_saturating'][0]:.2f} -> {w1['non_saturating'][-1]:.2f}"),
    lesson("with Adam, which rescales the tiny gradient, the saturating generator escapes here",
           held=w1_adam[-1] < 0.5 * w1_adam[0] and w1["saturating"][-1] > 0.9 * w1["saturating"][0],
           measured=f"Adam: W1 {w1_adam[0]:.2f} -> {w1_adam[-1]:.2f}",
           baseline=f"SGD: W1 -> {w1['saturating'][-1]:.2f}"),
    lesson("disjoint 1D supports in R^3: as D approaches D*, the saturating gradient falls at least 10x "
           "(Arjovsky-Bottou)",
           held=sat_fall >= 10 and ns_change >= 0.5 and ab["eps"][-1] < 0.1 * ab["eps"][sat_peak],
           measured=f"saturating falls {sat_fall:.0f}x "
                    f"while eps = mean D(G(z)) falls {ab['eps'][sat_peak] / ab['eps'][-1]:.0f}x",
           baseline=f"non-saturating, same D: x{ns_change:.2f}"),
    lesson("a D trained with one-sided smoothing follows 0.9 D* and is capped near 0.9 where the plain D is confident",
           held=errors["one-sided smoothing (0.9)"] < 0.1 and confidence["one-sided smoothing (0.9)"] < 0.92
           and confidence["plain (target 1)"] > 0.96,
           measured=f"smoothed: within {errors['one-sided smoothing (0.9)']:.3f} of 0.9 D*, "
                    f"max {confidence['one-sided smoothing (0.9)']:.3f}",
           baseline=f"plain loss: max {confidence['plain (target 1)']:.3f}"),
])
