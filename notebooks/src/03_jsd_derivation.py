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
# - See on the parallel-lines example why KL and JS give no useful signal where Wasserstein-1 does.
# - Contrast forward and reverse KL (mode covering vs mode seeking) by fitting a Gaussian to two modes.
# - Derive and check what the non-saturating cost minimises: $\mathrm{KL}(p_g \,\|\, p_\text{data}) - 2\,\mathrm{JSD}$ (Arjovsky & Bottou, 2017).

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
from scipy import optimize, spatial, special

from ganlab import plots, start, theory
from ganlab.lessons import check_answer, what_we_saw

seed = start(data="1D Gaussian mixtures and uniform distributions, defined in code")
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
bends = sorted({m + k * s for p in (p_data, *generators.values()) for m, s in zip(p.means, p.stds) for k in (-3, -1, 0, 1, 3)})


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
ax.legend(fontsize=8);

# %% [markdown]
# ## 2. The derivation, one checked line at a time
# With $D^* = p_\text{data} / (p_\text{data} + p_g)$ and $M = \tfrac12 (p_\text{data} + p_g)$:
#
# $$\begin{aligned}
# V(D^*, G) &= \mathbb E_{p_\text{data}}[\log D^*(x)] + \mathbb E_{p_g}[\log(1 - D^*(x))] && \text{(0) the definition}\\
# &= \int p_\text{data} \log \frac{p_\text{data}}{p_\text{data} + p_g}\,dx + \int p_g \log \frac{p_g}{p_\text{data} + p_g}\,dx && \text{(1) substitute } D^*\\
# &= -\log 4 + \int p_\text{data} \log \frac{2\,p_\text{data}}{p_\text{data} + p_g}\,dx + \int p_g \log \frac{2\,p_g}{p_\text{data} + p_g}\,dx && \text{(2) add and subtract } \log 4 = 2 \log 2\\
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
    return integral(lambda x: pd(x) * special.log_expit(log_ratio(x))) + integral(lambda x: pg(x) * special.log_expit(-log_ratio(x)))


def step1(p_d, p_g):
    pd, pg, log_pd, log_pg = theory.density(p_d), theory.density(p_g), theory.log_density(p_d), theory.log_density(p_g)
    log_sum = lambda x: np.logaddexp(log_pd(x), log_pg(x))  # log(p_data + p_g)
    return integral(lambda x: pd(x) * (log_pd(x) - log_sum(x))) + integral(lambda x: pg(x) * (log_pg(x) - log_sum(x)))


def step2(p_d, p_g):
    pd, pg, log_pd, log_pg = theory.density(p_d), theory.density(p_g), theory.log_density(p_d), theory.log_density(p_g)
    log_m = lambda x: np.logaddexp(log_pd(x), log_pg(x)) - math.log(2)  # log((p_data + p_g) / 2)
    return -LOG4 + integral(lambda x: pd(x) * (log_pd(x) - log_m(x))) + integral(lambda x: pg(x) * (log_pg(x) - log_m(x)))


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
print("V(D*, G) > -log 4 for every other p_g:", all(v[0] > -LOG4 + 1e-6 for n, v in lines.items() if n != "p_data itself"))

# %% [markdown]
# So $C(G) = \max_D V(D, G) = -\log 4 + 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_g) \ge -\log 4$, with equality
# only at $p_g = p_\text{data}$ (where $D^* = \tfrac12$ everywhere): the generator that wins the game
# is the one that reproduces the data.
#
# ## 3. Properties of the Jensen-Shannon divergence
# $\mathrm{JSD}(p \,\|\, q) = \tfrac12 \mathrm{KL}(p \,\|\, M) + \tfrac12 \mathrm{KL}(q \,\|\, M)$ is
# **symmetric** (KL is not), **bounded**: $0 \le \mathrm{JSD} \le \log 2$ (because $p \le 2M$, so
# $\log(p/M) \le \log 2$), and **exactly $\log 2$ when the supports are disjoint** (then $p = 2M$ wherever
# $p > 0$) — whereas KL is $+\infty$ there.

# %%
jsd_pq = {name: theory.jsd(p_data, p_g, support=(lo, hi)) for name, p_g in generators.items()}
jsd_qp = {name: theory.jsd(p_g, p_data, support=(lo, hi)) for name, p_g in generators.items()}
kl_pq = {name: theory.kl(p_data, p_g, support=(lo, hi)) for name, p_g in generators.items()}
kl_qp = {name: theory.kl(p_g, p_data, support=(lo, hi)) for name, p_g in generators.items()}
disjoint_p, disjoint_q = theory.uniform(0.0, 1.0), theory.uniform(2.0, 3.0)
jsd_disjoint, kl_disjoint = theory.jsd(disjoint_p, disjoint_q), theory.kl(disjoint_p, disjoint_q)
for name in generators:
    print(f"{name:>18}: JSD(p_data||p_g) = {jsd_pq[name]:.6f}, JSD(p_g||p_data) = {jsd_qp[name]:.6f};"
          f"  KL(p_data||p_g) = {kl_pq[name]:.4f}, KL(p_g||p_data) = {kl_qp[name]:.4f}")
print(f"U[0, 1] vs U[2, 3]: JSD = {jsd_disjoint:.6f} (log 2 = {math.log(2):.6f}), KL = {kl_disjoint}")

# %%
# NBVAL_CHECK_OUTPUT
print("JSD is symmetric (to 1e-9):", all(abs(jsd_pq[n] - jsd_qp[n]) < 1e-9 for n in generators))
print("KL is not (differs by > 0.01 for every p_g != p_data):",
      all(abs(kl_pq[n] - kl_qp[n]) > 0.01 for n in generators if n != "p_data itself"))
print("0 <= JSD <= log 2 for every p_g:", all(0 <= v <= math.log(2) for v in jsd_pq.values()))
print("disjoint supports: JSD = log 2 (to 1e-9):", abs(jsd_disjoint - math.log(2)) < 1e-9, "| KL =", kl_disjoint)

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
print(f"JSD at d = 6: {jsd_curve[-1]:.6f}; its slope over d in [5, 6]: {slope_far:.2e} (KL's: {(kl_curve[-1] - kl_curve[-11]):.1f})")

# %% [markdown]
# ## 4. The parallel lines (Arjovsky et al., 2017)
# Let $Z \sim U[0, 1]$, $P_0$ the law of $(0, Z)$ and $P_\theta$ the law of $(\theta, Z)$: two vertical
# segments in the plane. For $\theta \neq 0$ they share no point, so
#
# $$\mathrm{KL}(P_0 \,\|\, P_\theta) = +\infty, \qquad \mathrm{JS}(P_0, P_\theta) = \log 2, \qquad W_1(P_0, P_\theta) = |\theta|,$$
#
# and all three are 0 at $\theta = 0$. KL and JS jump: their gradient with respect to $\theta$ is 0 (or
# undefined) everywhere, and a generator that learns $\theta$ by following them never moves. $W_1$,
# the cost of the cheapest way to move one segment onto the other, shrinks with $|\theta|$. `theory`
# computes the three from the law of the first coordinate (point masses at 0 and $\theta$); as an
# independent check of $W_1$, we solve the optimal matching between 400 sampled points of each
# segment exactly (`scipy.optimize.linear_sum_assignment` on 2D distances).

# %%
def sampled_w1(theta: float, n: int = 400) -> float:
    """W1 between n samples of P_0 and of P_theta: the mean distance of the optimal matching."""
    a, b = theory.parallel_lines_sample(theta, n, torch.Generator().manual_seed(seed))
    cost = spatial.distance.cdist(a.numpy(), b.numpy())
    rows, cols = optimize.linear_sum_assignment(cost)
    return float(cost[rows, cols].mean())


for theta in (-0.8, -0.1, 0.0, 0.3, 1.0):
    v = theory.parallel_lines(theta)
    print(f"theta = {theta:+.1f}: KL = {v['kl']}, JS = {v['jsd']:.6f}, W1 = {v['w1']:.3f}, W1 of matched samples = {sampled_w1(theta):.3f}")

# %%
# NBVAL_CHECK_OUTPUT
thetas = [-0.8, -0.1, 0.3, 1.0]
print("theta != 0: KL = +inf both ways:", all(math.isinf(theory.parallel_lines(t)["kl"]) and math.isinf(theory.parallel_lines(t)["kl_reverse"]) for t in thetas))
print("theta != 0: JS = log 2:", all(abs(theory.parallel_lines(t)["jsd"] - math.log(2)) < 1e-12 for t in thetas))
print("W1 = |theta|:", all(abs(theory.parallel_lines(t)["w1"] - abs(t)) < 1e-12 for t in thetas))
print("optimal matching of samples gives W1 within 0.02 of |theta|:", all(abs(sampled_w1(t) - abs(t)) < 0.02 for t in thetas))
print("theta = 0: all zero:", all(v == 0 for v in theory.parallel_lines(0.0).values()))

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
print(f"widget update latency: median {latency['median_ms']:.0f} ms, p95 {latency['p95_ms']:.0f} ms over {latency['moves']} moves "
      f"(load average {load:.1f} on {os.cpu_count()} cores)")
lines_widget

# %% [markdown]
# ## 5. Forward vs reverse KL: covering the modes or picking one
# Fit a single Gaussian $q = \mathcal N(\mu, \sigma^2)$ to a two-mode target $p$ by minimising
#
# - the **forward** KL, $\mathrm{KL}(p \,\|\, q) = \mathbb E_p[\log p - \log q]$: infinite penalty where
#   $p > 0$ and $q \approx 0$, so $q$ must **cover** every mode (maximum likelihood does this, notebook 01);
# - the **reverse** KL, $\mathrm{KL}(q \,\|\, p) = \mathbb E_q[\log q - \log p]$: infinite penalty where
#   $q > 0$ and $p \approx 0$, so $q$ **seeks one mode** and ignores the other.
#
# For the forward KL the optimum is known: matching the mean and variance of $p$. The reverse KL has
# several local minima, one per mode, and (started wide) a broad compromise between them: where the
# optimiser starts decides which it finds, as a generator's initialisation does.

# %%
target = theory.mixture((0.5, 0.5), (-2.0, 2.0), (0.5, 0.5))


def fit_gaussian(divergence, mu0: float, sigma0: float = 1.0):
    """argmin over (mu, log sigma) of divergence(N(mu, sigma^2)) by scipy's L-BFGS-B."""
    objective = lambda v: divergence(theory.gaussian(v[0], math.exp(v[1])))
    result = optimize.minimize(objective, [mu0, math.log(sigma0)], method="L-BFGS-B", options={"ftol": 1e-12, "gtol": 1e-8})
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
print("forward KL: the fit matches the moments of p (to 1e-3):", abs(mu_f) < 1e-3 and abs(sigma_f - moment_sigma) < 1e-3)
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
# 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_g) &= \log 4 + \mathbb E_{p_\text{data}}[\log D^*] + \mathbb E_{p_g}[\log(1 - D^*)] \quad \text{(section 2)},
# \end{aligned}$$
#
# and subtracting gives the exact identity
#
# $$\mathbb E_{p_g}[-\log D^*(x)] = \mathrm{KL}(p_g \,\|\, p_\text{data}) - 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_g) + \log 4 + \mathbb E_{p_\text{data}}[\log D^*(x)].$$
#
# The last term depends on the generator only through $D^*$. Arjovsky & Bottou (2017, Theorem 2.5)
# hold $D^* = D^*_{\theta_0}$ fixed, as in a training step, and differentiate with respect to the
# generator's $\theta$ at $\theta_0$: that term then does not move, and
#
# $$\nabla_\theta\, \mathbb E_{p_\theta}[-\log D^*_{\theta_0}]\big|_{\theta_0} = \nabla_\theta \big[\mathrm{KL}(p_\theta \,\|\, p_\text{data}) - 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_\theta)\big]\big|_{\theta_0}.$$
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
ns_at = lambda t: non_saturating_cost(p_data, theory.gaussian(t, 1.0), d_star_of=theory.gaussian(theta0, 1.0))  # D* frozen at theta0
divergence_at = lambda t: (theory.kl(theory.gaussian(t, 1.0), p_data, support=(lo, hi))
                           - 2 * theory.jsd(p_data, theory.gaussian(t, 1.0), support=(lo, hi)))
grad_ns = (ns_at(theta0 + h) - ns_at(theta0 - h)) / (2 * h)
grad_div = (divergence_at(theta0 + h) - divergence_at(theta0 - h)) / (2 * h)
grad_kl_only = (theory.kl(theory.gaussian(theta0 + h, 1.0), p_data, support=(lo, hi))
                - theory.kl(theory.gaussian(theta0 - h, 1.0), p_data, support=(lo, hi))) / (2 * h)
print(f"d/dtheta E[-log D*_theta0] = {grad_ns:.7f}; d/dtheta [KL(p_theta||p_data) - 2 JSD] = {grad_div:.7f}; "
      f"d/dtheta KL alone = {grad_kl_only:.7f}")

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
_ = what_we_saw([
    ("every line of the derivation V(D*, G) = -log 4 + 2 JSD agrees with the next to 1e-6",
     all(g < 1e-6 for g in gaps.values()), f"largest gap {max(gaps.values()):.1e} over {len(generators)} generators"),
    ("V(D*, G) = -log 4 exactly at p_g = p_data, and is larger otherwise",
     abs(lines["p_data itself"][0] + LOG4) < 1e-9 and all(v[0] > -LOG4 + 1e-6 for n, v in lines.items() if n != "p_data itself"),
     f"min over the others {min(v[0] for n, v in lines.items() if n != 'p_data itself'):.4f}"),
    ("JSD is symmetric and within [0, log 2]; it equals log 2 for disjoint supports where KL is +inf",
     all(abs(jsd_pq[n] - jsd_qp[n]) < 1e-9 and 0 <= jsd_pq[n] <= math.log(2) for n in generators)
     and abs(jsd_disjoint - math.log(2)) < 1e-9 and math.isinf(kl_disjoint), f"disjoint JSD {jsd_disjoint:.6f}"),
    ("JSD saturates as two Gaussians separate", jsd_curve[-1] > 0.999 * math.log(2) and abs(slope_far) < 1e-3,
     f"JSD at d = 6: {jsd_curve[-1]:.5f}"),
    ("parallel lines: KL = inf, JS = log 2 for theta != 0 while W1 = |theta| (also from matched samples)",
     all(math.isinf(theory.parallel_lines(t)["kl"]) and abs(sampled_w1(t) - abs(t)) < 0.02 for t in thetas), ""),
    ("forward KL covers both modes, reverse KL seeks one", sigma_f > 1.5 and max(sigma_r1, sigma_r2) < 0.6,
     f"sigma {sigma_f:.2f} vs {sigma_r1:.2f}, {sigma_r2:.2f}"),
    ("E_pg[-log D*] = KL(p_g||p_data) - 2 JSD + log 4 + E_pdata[log D*], and its gradient is that of KL - 2 JSD",
     all(abs(l - r) < 1e-6 for l, r in ns_sides.values()) and abs(grad_ns - grad_div) < 1e-5,
     f"gradients {grad_ns:.5f} vs {grad_div:.5f}"),
])
