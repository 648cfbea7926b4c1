# %% [markdown]
# # 03 · The value of the game is a Jensen-Shannon divergence
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlab-course/gan-course/blob/main/notebooks/03_jsd_derivation.ipynb)
#
# Notebook 02 found the optimal discriminator, $D^*(x) = p_\text{data}(x) / (p_\text{data}(x) + p_g(x))$.
# Put it back into the value function and the game becomes a statement about distributions: the
# generator minimises the Jensen-Shannon divergence to the data (Goodfellow et al., 2014, Theorem 1).
# We derive it line by line and check **every line** by numerical integration (scipy), then look at
# what this divergence does when the distributions do not overlap, and what the generator's
# non-saturating cost optimises instead.
#
# **Learning goals**
# - Derive $V(D^*, G) = -\log 4 + 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_g)$ and check each step to $10^{-6}$.
# - Know the properties of the JSD: symmetric, bounded by $\log 2$, equal to $\log 2$ for disjoint supports.
# - See on the parallel-lines example why KL and JS give no useful signal where Wasserstein-1 does, with each
#   value computed again from samples (a histogram, an optimal matching, a trained discriminator).
# - Contrast forward and reverse KL (mode covering vs mode seeking) by fitting a Gaussian to two modes.
# - Derive and check what the non-saturating cost minimises: $\mathrm{KL}(p_g \,\|\, p_\text{data}) - 2\,\mathrm{JSD}$
#   (Arjovsky & Bottou, 2017).

# %%
# Colab or a fresh environment: install ganlab if it is missing (does nothing where it is importable).
try:
    import ganlab
except ImportError:
    # %pip install -q "ganlab @ git+https://github.com/ganlab-course/gan-course"
    import ganlab

# %%
import math
import os

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from scipy import optimize, spatial, special

from ganlab import plots, start, theory
from ganlab.lessons import check_answer, lesson, what_we_saw
from ganlab.losses import discriminator_loss
from ganlab.nets import mlp

seed = start(data="1D Gaussian mixtures defined in code; the parallel-lines segments, sampled in code")
LOG4 = math.log(4)

# %% [markdown]
# ## 1. The distributions we test on
# A two-mode $p_\text{data}$ and five generators, one of them perfect ($p_g = p_\text{data}$). Every
# integral below runs over one range that holds all their mass, with `scipy.integrate.quad`.

# %%
p_data = theory.mixture((0.3, 0.7), (-1.0, 1.5), (0.5, 0.8))
generators = {
    "N(0, 1)": theory.gaussian(0.0, 1.0),
    "N(2, 0.5^2)": theory.gaussian(2.0, 0.5),
    "N(-3, 1.5^2)": theory.gaussian(-3.0, 1.5),
    "two modes at +-2": theory.mixture((0.5, 0.5), (-2.0, 2.0), (0.7, 0.7)),
    "p_data itself": p_data,
}
lo, hi = theory.default_support(p_data, *generators.values())
# points where the integrands bend (component means +- 0, 1, 3 stds): quad splits there
bends = sorted({m + k * s for p in (p_data, *generators.values()) for m, s in zip(p.means, p.stds)
                for k in (-3, -1, 0, 1, 3)})


def integral(f) -> float:
    """integral_lo^hi f(x) dx by scipy.integrate.quad (through ganlab.theory.integrate_1d)."""
    return theory.integrate_1d(f, lo, hi, bends)


def average(p, q):
    """M = (p + q) / 2, again a Gaussian mixture."""
    return theory.mixture([w / 2 for w in p.weights + q.weights], p.means + q.means, p.stds + q.stds)


x = np.linspace(-6, 5, 600)
fig, ax = plt.subplots(figsize=(8, 3.5))
ax.fill_between(x, theory.density(p_data)(x), color="k", alpha=0.2, label="p_data")
for name, p_g in list(generators.items())[:-1]:
    ax.plot(x, theory.density(p_g)(x), label=f"p_g = {name}")
ax.set(xlabel="x", ylabel="density", title=f"integrals over [{lo:.1f}, {hi:.1f}]")
ax.legend(fontsize=8)

# %% [markdown]
# ## 2. The derivation, one checked line at a time
# With $D^* = p_\text{data} / (p_\text{data} + p_g)$ and $M = \tfrac12 (p_\text{data} + p_g)$:
#
# $$\begin{aligned}
# V(D^*, G) &= \mathbb E_{p_\text{data}}[\log D^*(x)] + \mathbb E_{p_g}[\log(1 - D^*(x))] && \text{(0) the definition}\\
# &= \int p_\text{data} \log \frac{p_\text{data}}{p_\text{data} + p_g}\,dx
#   + \int p_g \log \frac{p_g}{p_\text{data} + p_g}\,dx && \text{(1) substitute } D^*\\
# &= -\log 4 + \int p_\text{data} \log \frac{2\,p_\text{data}}{p_\text{data} + p_g}\,dx
#   + \int p_g \log \frac{2\,p_g}{p_\text{data} + p_g}\,dx && \text{(2) add and subtract } \log 4 = 2 \log 2\\
# &= -\log 4 + \mathrm{KL}(p_\text{data} \,\|\, M) + \mathrm{KL}(p_g \,\|\, M) && \text{(3) recognise two KLs}\\
# &= -\log 4 + 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_g) && \text{(4) the definition of JSD}
# \end{aligned}$$
#
# Step (2) uses that each density integrates to 1, so $\int p \log 2 = \log 2$. Each line below is
# computed independently: (0) from $D^* = \sigma(\log p_\text{data} - \log p_g)$, with
# $\log D^* = \log\sigma(r)$ and $\log(1 - D^*) = \log\sigma(-r)$ (`scipy.special.log_expit`: where one density
# is $10^{30}$ times the other, $1 - D^*$ rounds to 0 in floating point and a naive $\log(1 - D^*)$ would give
# $-\infty$), (1) and (2) by writing the integrands out (on log densities, so the far tails do not give
# $0 \log 0$), (3) with `theory.kl`, (4) with `theory.jsd`.

# %%
def step0(p_d, p_g):
    log_pd, log_pg = theory.log_density(p_d), theory.log_density(p_g)
    pd, pg = theory.density(p_d), theory.density(p_g)
    log_ratio = lambda x: log_pd(x) - log_pg(x)  # D* = sigmoid(log p_data - log p_g)
    # log D* = log sigmoid(r) and log(1 - D*) = log sigmoid(-r): scipy's log_expit, exact in the tails
    return (integral(lambda x: pd(x) * special.log_expit(log_ratio(x)))
            + integral(lambda x: pg(x) * special.log_expit(-log_ratio(x))))


def step1(p_d, p_g):
    pd, pg, log_pd, log_pg = theory.density(p_d), theory.density(p_g), theory.log_density(p_d), theory.log_density(p_g)
    log_sum = lambda x: np.logaddexp(log_pd(x), log_pg(x))  # log(p_data + p_g)
    return integral(lambda x: pd(x) * (log_pd(x) - log_sum(x))) + integral(lambda x: pg(x) * (log_pg(x) - log_sum(x)))


def step2(p_d, p_g):
    pd, pg, log_pd, log_pg = theory.density(p_d), theory.density(p_g), theory.log_density(p_d), theory.log_density(p_g)
    log_m = lambda x: np.logaddexp(log_pd(x), log_pg(x)) - math.log(2)  # log((p_data + p_g) / 2)
    return (-LOG4 + integral(lambda x: pd(x) * (log_pd(x) - log_m(x)))
            + integral(lambda x: pg(x) * (log_pg(x) - log_m(x))))


def step3(p_d, p_g):
    m = average(p_d, p_g)
    return -LOG4 + theory.kl(p_d, m, support=(lo, hi)) + theory.kl(p_g, m, support=(lo, hi))


def step4(p_d, p_g):
    return -LOG4 + 2 * theory.jsd(p_d, p_g, support=(lo, hi))


steps = [step0, step1, step2, step3, step4]
lines = {name: np.array([step(p_data, p_g) for step in steps]) for name, p_g in generators.items()}
gaps = {name: float(np.abs(np.diff(v)).max()) for name, v in lines.items()}

# %%
# NBVAL_CHECK_OUTPUT
print(f"{'p_g':>18}" + "".join(f"{f'line ({i})':>12}" for i in range(5)) + "   all lines agree to 1e-6")
for name, values in lines.items():
    print(f"{name:>18}" + "".join(f"{v:>12.6f}" for v in values) + f"   {gaps[name] < 1e-6}")
print(f"\n-log 4 = {-LOG4:.6f}; V(D*, G) = -log 4 exactly when p_g = p_data:",
      abs(lines["p_data itself"][0] + LOG4) < 1e-9)
print("V(D*, G) > -log 4 for every other p_g:",
      all(v[0] > -LOG4 + 1e-6 for n, v in lines.items() if n != "p_data itself"))

# %% [markdown]
# So $C(G) = \max_D V(D, G) = -\log 4 + 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_g) \ge -\log 4$, with equality
# only at $p_g = p_\text{data}$ (where $D^* = \tfrac12$ everywhere): the generator that wins the game
# is the one that reproduces the data.
#
# ## 3. Properties of the Jensen-Shannon divergence
# $\mathrm{JSD}(p \,\|\, q) = \tfrac12 \mathrm{KL}(p \,\|\, M) + \tfrac12 \mathrm{KL}(q \,\|\, M)$ is
# **symmetric** (KL is not): swapping $p$ and $q$ swaps the two terms and leaves $M$ unchanged, so this
# holds by construction and needs no check. It is **bounded**, $0 \le \mathrm{JSD} \le \log 2$
# (because $p \le 2M$, so $\log(p/M) \le \log 2$), and **exactly $\log 2$ when the supports are
# disjoint** (then $p = 2M$ wherever $p > 0$), whereas KL is $+\infty$ there.
#
# `theory.jsd` clips its result to $[0, \log 2]$ against rounding, so its values cannot test the
# bound. Line (0) of the derivation can: it computes $(V(D^*, G) + \log 4)/2$ from $D^*$ alone, with no
# clip. The disjoint case is measured in section 4, from samples, by a discriminator that is trained.
#
# *A slip in the lecture notes.* Lecture 002 (problem P1) says that when the supports of $P_r$ and $P_g$
# do not overlap "the JS divergence is 0". It is $\log 2$, its maximum (as above); what is 0 is its
# **gradient**: a constant gives the generator no direction. The course uses $\log 2$.

# %%
jsd_pq = {name: theory.jsd(p_data, p_g, support=(lo, hi)) for name, p_g in generators.items()}
jsd_line0 = {name: (values[0] + LOG4) / 2 for name, values in lines.items()}  # (V(D*, G) + log 4) / 2, unclipped
kl_pq = {name: theory.kl(p_data, p_g, support=(lo, hi)) for name, p_g in generators.items()}
kl_qp = {name: theory.kl(p_g, p_data, support=(lo, hi)) for name, p_g in generators.items()}
for name in generators:
    print(f"{name:>18}: JSD = {jsd_pq[name]:.6f} (from line (0): {jsd_line0[name]:.6f});"
          f"  KL(p_data||p_g) = {kl_pq[name]:.4f}, KL(p_g||p_data) = {kl_qp[name]:.4f}")

# %%
# NBVAL_CHECK_OUTPUT
print("KL is not symmetric (the two directions differ by > 0.01 for every p_g != p_data):",
      all(abs(kl_pq[n] - kl_qp[n]) > 0.01 for n in generators if n != "p_data itself"))
print("0 <= (V(D*, G) + log 4) / 2 <= log 2 for every p_g, computed without a clip:",
      all(-1e-9 <= v <= math.log(2) + 1e-9 for v in jsd_line0.values()))

# %% [markdown]
# The bound has a price. Move two Gaussians apart: KL grows without limit (as $d^2 / 2\sigma^2$),
# the JSD **saturates** at $\log 2$ and stops changing: once the generator's samples are far from the
# data, the value of the game no longer tells the generator which way to go.

# %%
separations = np.linspace(0, 6, 61)
jsd_curve = np.array([theory.jsd(theory.gaussian(0, 0.5), theory.gaussian(d, 0.5)) for d in separations])
kl_curve = np.array([theory.kl_gaussians(0, 0.5, d, 0.5) for d in separations])
fig, ax = plt.subplots(figsize=(7, 3.8))
ax.plot(separations, jsd_curve, color="tab:purple", label="JSD(N(0, 0.5^2) || N(d, 0.5^2))")
ax.plot(separations, kl_curve, color="tab:red", label="KL = d^2 / (2 sigma^2)")
ax.plot(separations, separations, color="tab:green", label="W1 = d")
ax.axhline(math.log(2), color="tab:purple", ls="--", lw=0.8)
ax.set(xlabel="separation d", ylabel="nats", ylim=(0, 4), title="JSD saturates at log 2; KL and W1 keep growing")
ax.legend(fontsize=8)
_ = plots.save(fig, "03_jsd_saturates")
slope_far = (jsd_curve[-1] - jsd_curve[-11]) / (separations[-1] - separations[-11])
print(f"JSD at d = 6: {jsd_curve[-1]:.6f}; its slope over d in [5, 6]: {slope_far:.2e} "
      f"(KL's: {(kl_curve[-1] - kl_curve[-11]):.1f})")

# %%
# NBVAL_CHECK_OUTPUT
print("JSD saturates: within 1e-3 of log 2 at d = 6, slope below 1e-3 over [5, 6]:",
      jsd_curve[-1] > math.log(2) - 1e-3 and abs(slope_far) < 1e-3)
print("while KL keeps growing (it rises by more than 5 nats over the same [5, 6]):", kl_curve[-1] - kl_curve[-11] > 5)

# %% [markdown]
# ## 4. The parallel lines (Arjovsky et al., 2017)
# Let $Z \sim U[0, 1]$, $P_0$ the law of $(0, Z)$ and $P_\theta$ the law of $(\theta, Z)$: two vertical
# segments in the plane. For $\theta \neq 0$ they share no point, so
#
# $$\mathrm{KL}(P_0 \,\|\, P_\theta) = +\infty, \qquad \mathrm{JS}(P_0, P_\theta) = \log 2, \qquad
# W_1(P_0, P_\theta) = |\theta|,$$
#
# and all three are 0 at $\theta = 0$. KL and JS jump: their gradient with respect to $\theta$ is 0 (or
# undefined) everywhere, and a generator that learns $\theta$ by following them never moves. $W_1$,
# the cost of the cheapest way to move one segment onto the other, shrinks with $|\theta|$.
# `theory.parallel_lines` writes these values down from the law of the first coordinate (point masses
# at 0 and $\theta$). We do not take them on trust; we compute each one again from **samples**:
#
# - KL and JS from a discretisation: 2D histograms of 400 sampled points of each segment (bins 0.02
#   wide across, 0.1 along the segments), with the discrete formulas;
# - $W_1$ from the exact optimal matching of the same points
#   (`scipy.optimize.linear_sum_assignment` on their 2D distances).

# %%
def sampled_lines(theta: float, n: int = 400):
    return theory.parallel_lines_sample(theta, n, torch.Generator().manual_seed(seed))


def sampled_w1(theta: float) -> float:
    """W1 between n samples of P_0 and of P_theta: the mean distance of the optimal matching."""
    a, b = sampled_lines(theta)
    cost = spatial.distance.cdist(a.numpy(), b.numpy())
    rows, cols = optimize.linear_sum_assignment(cost)
    return float(cost[rows, cols].mean())


def histogram_divergences(theta: float) -> dict:
    """KL and JS between the 2D histograms of the samples of P_0 and P_theta (bins centred on multiples of 0.02)."""
    bins = (np.arange(-1.01, 1.02, 0.02), np.linspace(0, 1, 11))
    a, b = (np.histogram2d(*pts.numpy().T, bins=bins)[0].ravel() for pts in sampled_lines(theta))
    a, b = a / a.sum(), b / b.sum()
    return {"kl": theory.kl_discrete(a, b), "jsd": theory.jsd_discrete(a, b)}


thetas = [-0.8, -0.1, 0.3, 1.0]
from_samples = {t: {**histogram_divergences(t), "w1": sampled_w1(t)} for t in [*thetas, 0.0]}
for t, v in from_samples.items():
    exact = theory.parallel_lines(t)
    print(f"theta = {t:+.1f}: from samples KL = {v['kl']:.3g}, JS = {v['jsd']:.6f}, W1 = {v['w1']:.3f}"
          f"   | theory.parallel_lines: KL = {exact['kl']}, JS = {exact['jsd']:.6f}, W1 = {exact['w1']:.3f}")

# %%
# NBVAL_CHECK_OUTPUT
print("theta != 0: the histograms give KL = +inf and JS = log 2 (to 1e-12), as theory.parallel_lines says:",
      all(math.isinf(from_samples[t]["kl"]) and abs(from_samples[t]["jsd"] - math.log(2)) < 1e-12
          and math.isinf(theory.parallel_lines(t)["kl"]) and abs(theory.parallel_lines(t)["jsd"] - math.log(2)) < 1e-12
          for t in thetas))
print("the optimal matching of samples gives W1 within 0.02 of |theta| = theory.parallel_lines' W1:",
      all(abs(from_samples[t]["w1"] - abs(t)) < 0.02 and theory.parallel_lines(t)["w1"] == abs(t) for t in thetas))
print("theta = 0: two independent samples of one segment give a JS well below log 2 (< 0.1):",
      from_samples[0.0]["jsd"] < 0.1)

# %% [markdown]
# A histogram decides "disjoint" by its bin width. A GAN's discriminator decides it by training. The
# value of the game with a trained $D$ is a lower bound, $V(D, G) \le V(D^*, G) = -\log 4 + 2\,\mathrm{JS}$,
# so $(\hat V + \log 4)/2$, with $\hat V$ averaged over fresh samples, **estimates** JS from samples alone.
# We train the same small network for a few hundred steps on each pair: two overlapping Gaussians (where
# the quadrature of section 3 knows the answer), and the parallel lines at $\theta = 0, 0.1, 1$.

# %%
def js_by_discriminator(sample_p, sample_q, dim: int, steps: int = 300, batch: int = 256):
    """(V(D, G) + log 4) / 2 for a small D trained on samples (returns the trained and the untrained estimate)."""
    D = mlp(dim, 1, width=32, depth=2, activation="relu")  # x (batch, dim) -> logit (batch, 1)

    def estimate():
        with torch.no_grad():  # V = E_p log D + E_q log(1 - D), on 16,384 fresh samples of each
            v = F.logsigmoid(D(sample_p(16_384))).mean() + F.logsigmoid(-D(sample_q(16_384))).mean()
        return (v.item() + LOG4) / 2

    untrained = estimate()
    opt = torch.optim.Adam(D.parameters(), lr=3e-3)
    for _ in range(steps):  # Update D: maximise log D(x) + log(1 - D(x_g)), the BCE on logits
        loss = discriminator_loss(D(sample_p(batch)), D(sample_q(batch)))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return estimate(), untrained


gauss_pair = (theory.gaussian(0.0, 1.0), theory.gaussian(1.0, 1.0))
js_gauss, js_gauss_untrained = js_by_discriminator(gauss_pair[0].sample, gauss_pair[1].sample, dim=1)
js_gauss_quad = theory.jsd(*gauss_pair)
js_lines = {t: js_by_discriminator(lambda n: theory.parallel_lines_sample(0.0, n)[0],
                                   lambda n, t=t: theory.parallel_lines_sample(t, n)[1], dim=2)[0]
            for t in (0.0, 0.1, 1.0)}
w1_ratio = sampled_w1(1.0) / sampled_w1(0.1)
print(f"N(0, 1) vs N(1, 1): JS from a trained D {js_gauss:.4f} (untrained D {js_gauss_untrained:.4f}); "
      f"quadrature {js_gauss_quad:.4f}")
for t, v in js_lines.items():
    print(f"parallel lines, theta = {t:.1f}: JS from a trained D = {v:.4f} (log 2 = {math.log(2):.4f})")
print(f"W1 of matched samples: theta = 1 is {w1_ratio:.1f}x theta = 0.1")

# %% [markdown]
# Move $\theta$: the orange segment slides; only the green curve, $W_1$, tells how far it is from the
# blue one. (This is the argument of notebook 06's Wasserstein GAN.)

# %%
from ganlab.widgets.core import measure_latency
from ganlab.widgets.divergences import parallel_lines_widget

lines_widget = parallel_lines_widget(theta=0.5)
latency = measure_latency(lines_widget)
lines_widget.update(0.5)
load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")  # a busy machine inflates the timing
print(f"widget update latency: median {latency['median_ms']:.0f} ms, p95 {latency['p95_ms']:.0f} ms "
      f"over {latency['moves']} moves "
      f"(load average {load:.1f} on {os.cpu_count()} cores)")
lines_widget

# %% [markdown]
# ## 5. Forward vs reverse KL: covering the modes or picking one
# Fit a single Gaussian $q = \mathcal N(\mu, \sigma^2)$ to a two-mode target $p$ by minimising
#
# - the **forward** KL, $\mathrm{KL}(p \,\|\, q) = \mathbb E_p[\log p - \log q]$: a large penalty,
#   $\log(p/q)$, where $p > 0$ and $q \approx 0$ (large, not infinite, for Gaussians: it is infinite only
#   where $q = 0$ exactly), so $q$ must **cover** every mode (maximum likelihood does this, notebook 01);
# - the **reverse** KL, $\mathrm{KL}(q \,\|\, p) = \mathbb E_q[\log q - \log p]$: the same large penalty
#   where $q > 0$ and $p \approx 0$, so $q$ **seeks one mode** and ignores the other.
#
# For the forward KL the optimum is known: matching the mean and variance of $p$. The reverse KL has
# several local minima, one per mode, and (started wide) a broad compromise between them: where the
# optimiser starts decides which it finds, as a generator's initialisation does.

# %%
target = theory.mixture((0.5, 0.5), (-2.0, 2.0), (0.5, 0.5))


def fit_gaussian(divergence, mu0: float, sigma0: float = 1.0):
    """argmin over (mu, log sigma) of divergence(N(mu, sigma^2)) by scipy's L-BFGS-B."""
    objective = lambda v: divergence(theory.gaussian(v[0], math.exp(v[1])))
    result = optimize.minimize(objective, [mu0, math.log(sigma0)], method="L-BFGS-B",
                               options={"ftol": 1e-12, "gtol": 1e-8})
    return result.x[0], math.exp(result.x[1]), result.fun


fit_support = (-12.0, 12.0)
forward = lambda q: theory.kl(target, q, support=fit_support, check=False)
reverse = lambda q: theory.kl(q, target, support=fit_support, check=False)
fits = {"forward KL(p||q)": fit_gaussian(forward, 1.0, 0.5),
        "reverse KL(q||p), start mu = +1": fit_gaussian(reverse, 1.0, 0.5),
        "reverse KL(q||p), start mu = -1": fit_gaussian(reverse, -1.0, 0.5),
        "reverse KL(q||p), start wide (sigma = 1)": fit_gaussian(reverse, 0.5, 1.0)}
moment_sigma = math.sqrt(0.5**2 + 2.0**2)  # Var p = E[sigma_k^2] + Var of the means
for name, (mu, sigma, value) in fits.items():
    print(f"{name:>36}: mu = {mu:+.4f}, sigma = {sigma:.4f}, divergence = {value:.4f}")
print(f"{'moments of p':>36}: mu = {0:+.4f}, sigma = {moment_sigma:.4f}")

fig, ax = plt.subplots(figsize=(8, 3.8))
x = np.linspace(-6, 6, 600)
ax.fill_between(x, theory.density(target)(x), color="k", alpha=0.2, label="target p (two modes)")
for (name, (mu, sigma, _)), color in zip(fits.items(), ("tab:blue", "tab:red", "tab:orange", "tab:grey")):
    ax.plot(x, theory.density(theory.gaussian(mu, sigma))(x), color=color, label=f"{name}: N({mu:.2f}, {sigma:.2f}^2)")
ax.set(xlabel="x", ylabel="density", title="forward KL covers the modes, reverse KL picks one")
ax.legend(fontsize=8)
_ = plots.save(fig, "03_forward_vs_reverse_kl")

# %%
# NBVAL_CHECK_OUTPUT
mu_f, sigma_f, _ = fits["forward KL(p||q)"]
mu_r1, sigma_r1, _ = fits["reverse KL(q||p), start mu = +1"]
mu_r2, sigma_r2, _ = fits["reverse KL(q||p), start mu = -1"]
print("forward KL: the fit matches the moments of p (to 1e-3):",
      abs(mu_f) < 1e-3 and abs(sigma_f - moment_sigma) < 1e-3)
print("forward KL: mode covering (sigma > 1.5, centred between the modes):", sigma_f > 1.5 and abs(mu_f) < 0.5)
print("reverse KL: mode seeking (each fit sits on one mode, sigma < 0.6):",
      abs(mu_r1 - 2) < 0.1 and abs(mu_r2 + 2) < 0.1 and max(sigma_r1, sigma_r2) < 0.6)
wide_value = fits["reverse KL(q||p), start wide (sigma = 1)"][2]
print("reverse KL has a worse local minimum too (the wide start ends higher than the mode fits):",
      wide_value > max(fits["reverse KL(q||p), start mu = +1"][2], fits["reverse KL(q||p), start mu = -1"][2]) + 0.1)

# %% [markdown]
# ## 6. What the non-saturating generator minimises
# In practice the generator minimises $\mathbb E_{p_g}[-\log D(x)]$ (notebook 04), not $V$. With the
# optimal discriminator, $D^* = p_\text{data}/(p_\text{data}+p_g)$, so $1 - D^* = p_g/(p_\text{data}+p_g)$ and
# $\log \frac{p_g}{p_\text{data}} = \log(1 - D^*) - \log D^*$. Then
#
# $$\begin{aligned}
# \mathrm{KL}(p_g \,\|\, p_\text{data}) &= \mathbb E_{p_g}[\log(1 - D^*)] - \mathbb E_{p_g}[\log D^*], \\
# 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_g) &= \log 4 + \mathbb E_{p_\text{data}}[\log D^*]
#   + \mathbb E_{p_g}[\log(1 - D^*)] \quad \text{(section 2)},
# \end{aligned}$$
#
# and subtracting gives the exact identity
#
# $$\mathbb E_{p_g}[-\log D^*(x)] = \mathrm{KL}(p_g \,\|\, p_\text{data}) - 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_g)
# + \log 4 + \mathbb E_{p_\text{data}}[\log D^*(x)].$$
#
# The last term depends on the generator only through $D^*$. In a training step $D^* = D^*_{\theta_0}$ is
# held fixed while we differentiate with respect to the generator's $\theta$ at $\theta_0$. It is
# tempting to say "the last term then does not move" and differentiate the identity, but that is not
# valid: with $D^*$ frozen the identity itself fails as soon as $\theta \ne \theta_0$ (checked below), so
# its two sides need not have the same derivative. The argument of Arjovsky & Bottou (2017, Theorem 2.5)
# splits the cost instead. With $D^*_{\theta_0}$ frozen,
# $\log\frac{1 - D^*_{\theta_0}}{D^*_{\theta_0}} = \log\frac{p_{\theta_0}}{p_\text{data}}$, so
#
# $$\mathbb E_{p_\theta}[-\log D^*_{\theta_0}]
# = \underbrace{\mathrm{KL}(p_\theta \,\|\, p_\text{data}) - \mathrm{KL}(p_\theta \,\|\, p_{\theta_0})}_
#   {\mathbb E_{p_\theta}[\log(p_{\theta_0}/p_\text{data})]}
# \;-\; \mathbb E_{p_\theta}[\log(1 - D^*_{\theta_0})].$$
#
# - $\nabla_\theta \mathrm{KL}(p_\theta \,\|\, p_{\theta_0}) = 0$ at $\theta_0$: its gradient there is
#   $\mathbb E_{p_{\theta_0}}[\nabla_\theta \log p_\theta] = \nabla_\theta \int p_\theta = 0$ (the score has mean zero).
# - $\mathbb E_{p_\theta}[\log(1 - D^*_{\theta_0})]$ is $V(D^*_{\theta_0}, G_\theta)$ minus a term without $\theta$, and
#   by the **envelope theorem** (the gradient of a maximum is the gradient at the maximiser, here $D^*_{\theta_0}$)
#   its gradient at $\theta_0$ is that of
#   $\max_D V(D, G_\theta) = -\log 4 + 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_\theta)$.
#
# Together:
#
# $$\nabla_\theta\, \mathbb E_{p_\theta}[-\log D^*_{\theta_0}]\big|_{\theta_0}
# = \nabla_\theta \big[\mathrm{KL}(p_\theta \,\|\, p_\text{data})
#   - 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_\theta)\big]\big|_{\theta_0}.$$
#
# The **reverse** KL (mode seeking, section 5) with a **minus** JSD that pushes the distributions apart:
# one reason the non-saturating GAN drops modes and trains unstably. First the identity, for every $p_g$:

# %%
def log_d_star(p_d, p_g):
    """x -> log D*(x) = log sigmoid(log p_data(x) - log p_g(x)), exact in the tails."""
    log_pd, log_pg = theory.log_density(p_d), theory.log_density(p_g)
    return lambda x: special.log_expit(log_pd(x) - log_pg(x))


def non_saturating_cost(p_d, p_g, d_star_of=None) -> float:
    """E_{p_g}[-log D*(x)], integrated directly; D* is that of (p_d, p_g), or of (p_d, d_star_of) if given."""
    pg, log_d = theory.density(p_g), log_d_star(p_d, p_g if d_star_of is None else d_star_of)
    return integral(lambda x: -pg(x) * log_d(x))


def identity_rhs(p_d, p_g) -> float:
    """KL(p_g || p_data) - 2 JSD(p_data || p_g) + log 4 + E_{p_data}[log D*]."""
    pd, log_d = theory.density(p_d), log_d_star(p_d, p_g)
    e_log_d = integral(lambda x: pd(x) * log_d(x))
    return theory.kl(p_g, p_d, support=(lo, hi)) - 2 * theory.jsd(p_d, p_g, support=(lo, hi)) + LOG4 + e_log_d


ns_sides = {name: (non_saturating_cost(p_data, p_g), identity_rhs(p_data, p_g)) for name, p_g in generators.items()}
for name, (lhs, rhs) in ns_sides.items():
    print(f"{name:>18}: E_pg[-log D*] = {lhs:.8f}, KL - 2 JSD + log 4 + E_pdata[log D*] = {rhs:.8f}")

# %% [markdown]
# Then the gradient identity, for $p_\theta = \mathcal N(\theta, 1)$ at $\theta_0 = 0.5$, by central finite
# differences ($h = 10^{-3}$) of integrals computed to about $10^{-10}$:

# %%
theta0, h = 0.5, 1e-3
# D* frozen at theta0
ns_at = lambda t: non_saturating_cost(p_data, theory.gaussian(t, 1.0), d_star_of=theory.gaussian(theta0, 1.0))
divergence_at = lambda t: (theory.kl(theory.gaussian(t, 1.0), p_data, support=(lo, hi))
                           - 2 * theory.jsd(p_data, theory.gaussian(t, 1.0), support=(lo, hi)))
grad_ns = (ns_at(theta0 + h) - ns_at(theta0 - h)) / (2 * h)
grad_div = (divergence_at(theta0 + h) - divergence_at(theta0 - h)) / (2 * h)
grad_kl_only = (theory.kl(theory.gaussian(theta0 + h, 1.0), p_data, support=(lo, hi))
                - theory.kl(theory.gaussian(theta0 - h, 1.0), p_data, support=(lo, hi))) / (2 * h)
print(f"d/dtheta E[-log D*_theta0] = {grad_ns:.7f}; d/dtheta [KL(p_theta||p_data) - 2 JSD] = {grad_div:.7f}; "
      f"d/dtheta KL alone = {grad_kl_only:.7f}")

# %% [markdown]
# The two steps of the argument, and why the shortcut is not one: at $\theta = 1$, with $D^*$ frozen at
# $\theta_0 = 0.5$, the two sides of the identity no longer agree.

# %%
p_at = lambda t: theory.gaussian(t, 1.0)
d_frozen = p_at(theta0)
frozen_lhs = ns_at(1.0)
frozen_rhs = (theory.kl(p_at(1.0), p_data, support=(lo, hi)) - 2 * theory.jsd(p_data, p_at(1.0), support=(lo, hi))
              + LOG4 + integral(lambda x: theory.density(p_data)(x) * log_d_star(p_data, d_frozen)(x)))
kl_to_theta0 = lambda t: theory.kl(p_at(t), d_frozen, support=(lo, hi))
grad_kl_theta0 = (kl_to_theta0(theta0 + h) - kl_to_theta0(theta0 - h)) / (2 * h)
# E_{p_theta0}[d/dtheta log p_theta], N(theta, 1)
score_mean = integral(lambda x: theory.density(d_frozen)(x) * (x - theta0))
# E_{p_theta}[log(1 - D*_theta0)]
frozen_v = lambda t: integral(lambda x: theory.density(p_at(t))(x) * log_d_star(d_frozen, p_data)(x))
grad_frozen_v = (frozen_v(theta0 + h) - frozen_v(theta0 - h)) / (2 * h)
two_jsd = lambda t: 2 * theory.jsd(p_data, p_at(t), support=(lo, hi))
grad_two_jsd = (two_jsd(theta0 + h) - two_jsd(theta0 - h)) / (2 * h)
print(f"D* frozen at theta0 = 0.5, theta = 1: E[-log D*] = {frozen_lhs:.4f}, "
      f"KL - 2 JSD + log 4 + E[log D*] = {frozen_rhs:.4f}")
print(f"E_p_theta0[score] = {score_mean:.2e}; d/dtheta KL(p_theta || p_theta0) at theta0 = {grad_kl_theta0:.2e}")
print(f"envelope: d/dtheta E_p_theta[log(1 - D*_theta0)] = {grad_frozen_v:.7f}, d/dtheta 2 JSD = {grad_two_jsd:.7f}")

# %%
# NBVAL_CHECK_OUTPUT
print("with D* frozen, the identity fails away from theta0 (the two sides differ by > 0.01 at theta = 1):",
      abs(frozen_lhs - frozen_rhs) > 0.01)
print("the score has mean zero and KL(p_theta || p_theta0) is flat at theta0 (to 1e-6):",
      abs(score_mean) < 1e-6 and abs(grad_kl_theta0) < 1e-6)
print("envelope theorem: the frozen-D* value has the gradient of 2 JSD at theta0 (to 1e-5):",
      abs(grad_frozen_v - grad_two_jsd) < 1e-5)

# %%
# NBVAL_CHECK_OUTPUT
print("E_pg[-log D*] = KL(p_g||p_data) - 2 JSD + log 4 + E_pdata[log D*] to 1e-6, every p_g:",
      all(abs(lhs - rhs) < 1e-6 for lhs, rhs in ns_sides.values()))
print("gradients agree at theta0 = 0.5 (to 1e-5):", abs(grad_ns - grad_div) < 1e-5)
print("and differ from the gradient of KL alone (the -2 JSD term matters):", abs(grad_kl_only - grad_div) > 1e-3)

# %% [markdown]
# ## Exercises
# **1.** A discriminator trained to optimality reports $V(D^*, G) = -1.2$. What is
# $\mathrm{JSD}(p_\text{data} \,\|\, p_g)$, in nats? Set `answer` and run the checker.

# %%
answer = None  # your value here
if answer is not None:
    check_answer(answer, (-1.2 + LOG4) / 2, tol=1e-4, hint="solve V = -log 4 + 2 JSD for JSD")

# %% [markdown]
# <details><summary>Solution</summary>
#
# $\mathrm{JSD} = (V + \log 4)/2 = (-1.2 + 1.3863)/2 \approx 0.0931$ nats.
#
# ```python
# answer = (-1.2 + math.log(4)) / 2
# check_answer(answer, (-1.2 + LOG4) / 2, tol=1e-4)
# ```
# </details>
#
# **2.** Show that minimising the forward $\mathrm{KL}(p \,\|\, \mathcal N(\mu, \sigma^2))$ over $\mu, \sigma$
# gives the mean and standard deviation of $p$, for any $p$ (section 5 found it numerically).
#
# <details><summary>Solution</summary>
#
# $\mathrm{KL}(p \,\|\, q) = -H(p) - \mathbb E_p[\log q]$ and $-\mathbb E_p[\log q] = \log \sigma + \tfrac12 \log 2\pi +
# \mathbb E_p[(x - \mu)^2]/(2\sigma^2)$. Setting the derivatives to 0: $\mu = \mathbb E_p[x]$, then
# $\sigma^2 = \mathbb E_p[(x-\mu)^2]$.
# </details>
#
# **3.** Compute $W_1(\mathcal N(0, 1), \mathcal N(\theta, 1))$ with `theory.wasserstein1` for a few $\theta$.
# Which example of this notebook does it resemble, and how does JSD behave for the same pair?

# %% [markdown]
# ## What we saw

# %%
# The derivation's lines, the bounds, the saturation, the parallel-lines values, the KL fits and the
# non-saturating identity follow from the formulas: the compared cells above check them (nbval fails if
# one of them changes). The checklist holds what was **measured from samples**, each against the figure
# that would fail it.

# %%
_ = what_we_saw([
    lesson("a discriminator trained on samples of N(0, 1) and N(1, 1) recovers their JSD, (V + log 4) / 2",
           held=abs(js_gauss - js_gauss_quad) < 0.02 and abs(js_gauss_untrained - js_gauss_quad) > 0.05,
           measured=f"trained D {js_gauss:.4f} vs quadrature {js_gauss_quad:.4f}",
           baseline=f"untrained D {js_gauss_untrained:.4f}"),
    lesson("parallel lines: the JS a trained D measures is already log 2 at theta = 0.1 and no larger at theta = 1, "
           "while W1 of matched samples grows 10x",
           held=js_lines[0.1] > 0.95 * math.log(2) and abs(js_lines[1.0] - js_lines[0.1]) < 0.02 and 8 < w1_ratio < 12,
           measured=f"JS {js_lines[0.1]:.4f} (theta 0.1), {js_lines[1.0]:.4f} (theta 1); W1 ratio {w1_ratio:.1f}",
           baseline=f"theta = 0 (one segment): JS {js_lines[0.0]:.4f}"),
])
