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
# - See `inf`/`NaN` appear in the naive $\log(\mathrm{sigmoid}(x))$ and not in losses written on logits.
# - Derive and check what one-sided label smoothing does to the optimal discriminator.

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
from scipy import optimize

from ganlab import budget, losses, plots, start, theory
from ganlab.lessons import check_answer, what_we_saw
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
for name, (cost, grad) in curves.items():
    print(f"{name:>18}: autograd matches the closed-form dJ/dl to 1e-12:",
          bool(torch.allclose(grad, closed_form[name], atol=1e-12, rtol=1e-12)))
rejected = per_sample_costs(torch.logit(torch.tensor([1e-4], dtype=torch.float64)))  # D(G(z)) = 1e-4
print("|dJ/dl| at D(G(z)) = 1e-4:", {name: f"{g.abs().item():.4g}" for name, (_, g) in rejected.items()})

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
# Update D only (G fixed): maximise log D(x) + log(1 - D(G(z)))
pretrained = fit(lambda step: discriminator_step(G, D, opt_d, sample_real(), sample_z()), pretrain_steps, progress=False)

z_eval = torch.randn(4096, 1)
real_eval = data.sample(4096, torch.Generator().manual_seed(1))


def generator_gradient_norm(loss) -> float:
    """||grad_theta J(G)|| for the current G and D, on a fixed batch of z."""
    G.zero_grad(set_to_none=True)
    loss(D(G(z_eval))).backward()
    return grad_norm(G).item()


with torch.no_grad():
    d_fake = torch.sigmoid(D(G(z_eval)))
norms = {name: generator_gradient_norm(loss) for name, loss in COSTS.items()}
print(f"after {pretrain_steps} D steps: mean D(G(z)) = {d_fake.mean():.2e}, D's loss = {pretrained.last('loss_d'):.2e}")
print("generator gradient norms:", {k: f"{v:.3g}" for k, v in norms.items()})
ratio = norms["non_saturating"] / norms["saturating"]
print(f"non-saturating / saturating = {ratio:.0f}x")

# %%
# NBVAL_CHECK_OUTPUT
print("D confidently rejects the fakes (mean D(G(z)) < 0.01):", bool(d_fake.mean() < 0.01))
print("saturating gradient norm at least 10x smaller than the non-saturating one:", ratio >= 10)

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
        axes[2].hist(g(z_eval).squeeze(1).numpy(), bins=60, density=True, alpha=0.5, color=COLORS[cost], label=f"G, {cost}")
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

# %%
# NBVAL_CHECK_OUTPUT
print("the saturating generator stalls (W1 falls by less than 10%):", bool(w1["saturating"][-1] > 0.9 * w1["saturating"][0]))
print("the non-saturating generator learns (W1 falls by more than half):", bool(w1["non_saturating"][-1] < 0.5 * w1["non_saturating"][0]))

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
# ## 3. Losses on logits, not on probabilities
# The naive way computes $D = \mathrm{sigmoid}(\ell)$ and then its log. In float32 $\mathrm{sigmoid}(\ell)$
# rounds to exactly 0 for $\ell \lesssim -104$ and to exactly 1 for $\ell \gtrsim 17$, so
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


test_logits = [-200.0, -120.0, -30.0, 0.0, 30.0, 120.0]
table = {"naive -log sigmoid(l)": naive_non_saturating, "softplus(-l)  [ganlab]": losses.generator_loss_non_saturating,
         "naive log(1-sigmoid(l))": naive_saturating, "-softplus(l)  [ganlab]": losses.generator_loss_saturating}
results = {name: [value_and_grad(loss, l) for l in test_logits] for name, loss in table.items()}
print(f"{'logit':>25}" + "".join(f"{l:>22g}" for l in test_logits))
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


numeric = np.array([optimize.minimize_scalar(lambda y: -smoothed_objective(y, a, b), bounds=(1e-12, 1 - 1e-12),
                                             method="bounded", options={"xatol": 1e-12}).x for a, b in zip(pd_x, pg_x)])
formula = 0.9 * pd_x / (pd_x + pg_x)
print("scipy's pointwise maximiser equals 0.9 p_data / (p_data + p_g) to 1e-6:", bool(np.abs(numeric - formula).max() < 1e-6))
print("its largest value stays below 0.9:", bool(formula.max() < 0.9))

# %% [markdown]
# Then a discriminator network trained on samples with `losses.smoothed_discriminator_loss`, against
# one trained with the plain loss; the generator is fixed at $p_g = \mathcal N(1.5, 1)$.

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


d_steps = budget(quick=1_500, full=4_000)
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

# %% [markdown]
# ## 5. The widget: how strong must D be before the saturating cost goes silent?
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
print(f"widget update latency: median {latency['median_ms']:.0f} ms, p95 {latency['p95_ms']:.0f} ms over {latency['moves']} moves "
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
_ = what_we_saw([
    ("autograd through ganlab.losses gives the closed-form gradients -D, -(1-D), -e^l/2",
     all(torch.allclose(grad, closed_form[name], atol=1e-12, rtol=1e-12) for name, (_, grad) in curves.items()),
     "to 1e-12 on 801 logits"),
    ("a pretrained D confidently rejects the generator's samples", d_fake.mean() < 0.01, f"mean D(G(z)) = {d_fake.mean():.1e}"),
    ("there, the saturating cost gives a gradient at least 10x smaller than the non-saturating one", ratio >= 10,
     f"{norms['saturating']:.2g} vs {norms['non_saturating']:.2g}: {ratio:.0f}x"),
    ("from that state, with SGD, the saturating generator stalls", w1["saturating"][-1] > 0.9 * w1["saturating"][0],
     f"W1 {w1['saturating'][0]:.2f} -> {w1['saturating'][-1]:.2f} in {steps} steps"),
    ("and the non-saturating generator learns", w1["non_saturating"][-1] < 0.5 * w1["non_saturating"][0],
     f"W1 {w1['non_saturating'][0]:.2f} -> {w1['non_saturating'][-1]:.2f}"),
    ("with Adam, which rescales the tiny gradient, the saturating generator escapes here", w1_adam[-1] < 0.5 * w1_adam[0],
     f"W1 {w1_adam[0]:.2f} -> {w1_adam[-1]:.2f}"),
    ("naive log(sigmoid) gives inf/NaN at large |logit|; the losses on logits stay finite",
     not finite["naive -log sigmoid(l)"] and not finite["naive log(1-sigmoid(l))"]
     and finite["softplus(-l)  [ganlab]"] and finite["-softplus(l)  [ganlab]"], f"logits {test_logits}"),
    ("one-sided label smoothing gives D* = 0.9 p_data / (p_data + p_g), and a trained D follows it",
     np.abs(numeric - formula).max() < 1e-6 and errors["one-sided smoothing (0.9)"] < 0.1,
     f"scipy to 1e-6; trained D within {errors['one-sided smoothing (0.9)']:.3f}"),
])
