# %% [markdown]
# # 01 · Maximum likelihood: a recap before the game
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlab-course/gan-course/blob/main/notebooks/01_mle_recap.ipynb)
#
# Every generative model is fitted to data by comparing two distributions, $p_\text{data}$ and the
# model's $p_\theta$. The classical way is **maximum likelihood**. We recall it here, measure each
# claim on numbers, and end where GANs begin: a model whose likelihood we cannot even write down,
# and a classifier whose loss, binary cross-entropy, is itself a negative log-likelihood.
#
# **Learning goals**
# - Write the likelihood and log-likelihood of data, and see why we always use the log.
# - Fit a Gaussian by maximum likelihood in closed form and by gradient ascent with autograd, and check they agree.
# - Show numerically that maximising likelihood is minimising $\mathrm{KL}(p_\text{data} \,\|\, p_\theta)$.
# - Recognise binary cross-entropy, the discriminator's loss, as the negative log-likelihood of logistic regression.
# - Fit a Gaussian mixture with EM; say why an implicit model such as a GAN's generator has no likelihood to maximise.

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
import torch.nn.functional as F
from scipy import optimize, stats

from ganlab import budget, plots, start, theory
from ganlab.lessons import check_answer, lesson, what_we_saw
from ganlab.losses import discriminator_loss

seed = start(data="1D Gaussians and Gaussian mixtures, sampled in code")
torch.set_default_dtype(torch.float64)  # the comparisons below are to 1e-6 and finer

# %% [markdown]
# ## 1. Likelihood and log-likelihood
# A model $p_\theta(x)$ gives each data point a density. For independent samples $x_1, \dots, x_n$ the
# **likelihood** of the parameters is the product, and the **log-likelihood** the sum:
# $$L(\theta) = \prod_{i=1}^n p_\theta(x_i), \qquad \log L(\theta) = \sum_{i=1}^n \log p_\theta(x_i).$$
# The maximum-likelihood estimate is $\hat\theta = \arg\max_\theta \log L(\theta)$: the log has the same
# maximiser (it is increasing) and, unlike the product, does not underflow.

# %%
n = budget(quick=2_000, full=20_000)
true_mu, true_sigma = 2.0, 1.5
x = true_mu + true_sigma * torch.randn(n)

log_p = torch.distributions.Normal(true_mu, true_sigma).log_prob(x)  # log p(x_i), one per sample
likelihood = log_p.exp().prod()  # the product of n numbers around 0.1 - 0.27
log_likelihood = log_p.sum()
print(f"n = {n}: L = {likelihood.item():.3g} (underflows), log L = {log_likelihood.item():.1f}")

# %%
# NBVAL_CHECK_OUTPUT
print("the product underflows to 0:", likelihood.item() == 0.0)
print("the log-likelihood is finite:", math.isfinite(log_likelihood.item()))

# %% [markdown]
# ## 2. The MLE of a Gaussian, in closed form
# For $p_\theta = \mathcal N(\mu, \sigma^2)$,
# $\log L(\mu, \sigma) = -\frac n2 \log(2\pi\sigma^2) - \sum_i \frac{(x_i - \mu)^2}{2\sigma^2}$.
# Setting both partial derivatives to zero:
# $$\frac{\partial \log L}{\partial \mu} = \sum_i \frac{x_i - \mu}{\sigma^2} = 0
# \Rightarrow \hat\mu = \frac1n \sum_i x_i, \qquad
# \frac{\partial \log L}{\partial \sigma} = -\frac n\sigma + \sum_i \frac{(x_i-\mu)^2}{\sigma^3} = 0
# \Rightarrow \hat\sigma^2 = \frac1n \sum_i (x_i - \hat\mu)^2 .$$

# %%
mu_closed = x.mean()
sigma_closed = x.std(correction=0)  # divide by n: the MLE (not the unbiased n - 1)
print(f"closed form: mu_hat = {mu_closed.item():.4f}, sigma_hat = {sigma_closed.item():.4f}  "
      f"(true: {true_mu}, {true_sigma})")

# %% [markdown]
# ## 3. The same MLE by gradient ascent with autograd
# Most models have no closed form: we climb the log-likelihood with its gradient instead. We optimise
# $\log\sigma$ rather than $\sigma$, so that $\sigma = e^{\log\sigma}$ stays positive, and minimise the
# average negative log-likelihood (the same maximiser).

# %%
def gaussian_nll(x, mu, log_sigma):
    """Average negative log-likelihood: -1/n sum_i log N(x_i; mu, sigma^2), sigma = exp(log_sigma)."""
    sigma = log_sigma.exp()
    return (0.5 * math.log(2 * math.pi) + log_sigma + (x - mu) ** 2 / (2 * sigma**2)).mean()


mu = torch.tensor(0.0, requires_grad=True)
log_sigma = torch.tensor(0.0, requires_grad=True)
start_err = max(abs(mu - mu_closed).item(), abs(log_sigma.exp() - sigma_closed).item())  # the baseline: where we start
opt = torch.optim.SGD([mu, log_sigma], lr=0.2)
path = []
for _step in range(600):
    opt.zero_grad()
    loss = gaussian_nll(x, mu, log_sigma)
    loss.backward()
    opt.step()
    path.append(torch.stack([mu.detach(), log_sigma.detach().exp()]))  # tensors: no host sync per step
path = torch.stack(path)
mu_gd, sigma_gd = mu.detach(), log_sigma.detach().exp()
print(f"gradient ascent: mu = {mu_gd.item():.6f}, sigma = {sigma_gd.item():.6f}")
print(f"closed form:     mu = {mu_closed.item():.6f}, sigma = {sigma_closed.item():.6f}")

# %%
# NBVAL_CHECK_OUTPUT
gd_err = max(abs(mu_gd - mu_closed).item(), abs(sigma_gd - sigma_closed).item())
at_mle = (mu_closed.clone().requires_grad_(), sigma_closed.log().clone().requires_grad_())
grads = torch.autograd.grad(gaussian_nll(x, *at_mle), at_mle)
print("and the gradient at the closed form is zero (|grad| < 1e-9):", max(g.abs().item() for g in grads) < 1e-9)

# %%
fig, ax = plt.subplots(figsize=(5.5, 4.2))
mus, sigmas = torch.linspace(-0.5, 3.5, 120), torch.linspace(0.6, 3.0, 100)
M, S = torch.meshgrid(mus, sigmas, indexing="xy")
# mean_i (x_i - mu)^2 = (mean(x) - mu)^2 + var(x): the same number without an (n, 100, 120) tensor (1 GB in the full
# profile)
mean_sq = (x.mean() - M) ** 2 + x.var(unbiased=False)
avg_ll = -(0.5 * torch.log(2 * math.pi * S**2) + mean_sq / (2 * S**2))
ax.contourf(M, S, avg_ll.clamp(min=avg_ll.max() - 3), levels=25, cmap="viridis")
ax.plot(path[:, 0], path[:, 1], "w.-", ms=2, lw=1, label="gradient ascent")
ax.plot(mu_closed, sigma_closed, "r*", ms=15, label="closed-form MLE")
ax.set(xlabel=r"$\mu$", ylabel=r"$\sigma$", title=r"average log-likelihood $\frac{1}{n} \log L(\mu, \sigma)$")
ax.legend(loc="upper right")
plots.save(fig, "01_mle_gradient_ascent")
plt.show()

# %% [markdown]
# ## 4. Maximum likelihood minimises KL(p_data ‖ p_θ)
# As $n \to \infty$ the average log-likelihood tends to an expectation under the data distribution, and
# $$\mathrm{KL}(p_\text{data} \,\|\, p_\theta) = \mathbb E_{p_\text{data}}[\log p_\text{data}(x)]
# - \mathbb E_{p_\text{data}}[\log p_\theta(x)] = -H(p_\text{data}) - \lim_{n\to\infty} \tfrac1n \log L(\theta).$$
# The entropy $H(p_\text{data})$ does not depend on $\theta$, so **maximising the likelihood is minimising
# the forward KL**. We check it on a target that is *not* Gaussian: a two-component mixture. The best
# Gaussian in KL is known in closed form (it matches the mean and variance); we find it by minimising
# KL numerically with `ganlab.theory.kl` (scipy quadrature) and by maximum likelihood on samples.

# %%
p_data = theory.mixture(weights=[0.3, 0.7], means=[-1.0, 2.0], stds=[0.5, 1.0])


def kl_to_gaussian(params):
    """KL(p_data || N(mu, exp(log_sigma)^2)) by numerical integration."""
    return theory.kl(p_data, theory.gaussian(params[0], math.exp(params[1])), check=False)


best = optimize.minimize(kl_to_gaussian, x0=[0.0, 0.0], method="Nelder-Mead", options={"xatol": 1e-7, "fatol": 1e-10})
mu_kl, sigma_kl = best.x[0], math.exp(best.x[1])

w_, m_, s_ = map(np.array, (p_data.weights, p_data.means, p_data.stds))
mu_moment = float((w_ * m_).sum())  # the mean of the mixture
sigma_moment = math.sqrt(float((w_ * (s_**2 + m_**2)).sum()) - mu_moment**2)  # and its standard deviation

samples = p_data.sample(budget(quick=50_000, full=500_000)).squeeze(1).double()
mu_mle, sigma_mle = samples.mean().item(), samples.std(correction=0).item()
print(f"argmin KL (numerical): mu = {mu_kl:.4f}, sigma = {sigma_kl:.4f}   KL = {best.fun:.4f} nats")
print(f"moment matching:       mu = {mu_moment:.4f}, sigma = {sigma_moment:.4f}")
print(f"MLE on {samples.numel()} samples: mu = {mu_mle:.4f}, sigma = {sigma_mle:.4f}")

# the identity behind it: -average log-likelihood = KL + H(p_data), checked at the MLE
entropy = -theory.integrate_1d(lambda t: p_data.pdf(t) * p_data.logpdf(t), -12, 12)
avg_nll_mle = -stats.norm.logpdf(samples.numpy(), mu_mle, sigma_mle).mean()
kl_at_mle = theory.kl(p_data, theory.gaussian(mu_mle, sigma_mle))
print(f"-avg log-likelihood = {avg_nll_mle:.4f};  KL + H = {kl_at_mle:.4f} + {entropy:.4f} = {kl_at_mle + entropy:.4f}")
kl_major_mode = theory.kl(p_data, theory.gaussian(2.0, 1.0))  # the baseline: a Gaussian fitted to the larger mode only
print(f"KL(p_data || N(MLE)) = {kl_at_mle:.4f} nats; the minimum {best.fun:.4f}; "
      f"the larger mode alone, N(2, 1): {kl_major_mode:.4f}")

# %%
# NBVAL_CHECK_OUTPUT
kl_err = max(abs(mu_kl - mu_moment), abs(sigma_kl - sigma_moment))
identity_err = abs(avg_nll_mle - (kl_at_mle + entropy))
print("numerical argmin of KL = closed-form moment matching (to 1e-4):", kl_err < 1e-4)
print("-avg log-likelihood = KL + H(p_data) (to 0.03 nats):", identity_err < 0.03)

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
grid = np.linspace(-4, 6, 400)
axes[0].plot(grid, p_data.pdf(grid), "k", lw=2, label=r"$p_\mathrm{data}$ (mixture)")
axes[0].plot(grid, stats.norm.pdf(grid, mu_kl, sigma_kl), "tab:blue", lw=2, label="best Gaussian in KL = MLE")
axes[0].hist(samples[:5000].numpy(), bins=60, density=True, color="0.85", label="samples")
axes[0].legend(fontsize=8)
axes[0].set_title("forward KL / MLE covers both modes")
mu_axis = np.linspace(-1, 3, 41)
kls = [theory.kl(p_data, theory.gaussian(m, sigma_kl), check=False) for m in mu_axis]
nlls = [-stats.norm.logpdf(samples.numpy(), m, sigma_kl).mean() - entropy for m in mu_axis]
axes[1].plot(mu_axis, kls, "tab:blue", lw=3,
             label=r"KL$(p_\mathrm{data} \| \mathcal{N}(\mu, \sigma^{*2}))$ (quadrature)")
axes[1].plot(mu_axis, nlls, "k--", label=r"$-\frac{1}{n} \log L(\mu) - H(p_\mathrm{data})$ (samples)")
axes[1].axvline(mu_mle, color="tab:red", ls=":", label="MLE")
axes[1].set(xlabel=r"$\mu$", title="the same curve, the same minimiser")
axes[1].legend(fontsize=8)
plots.save(fig, "01_mle_is_kl")
plt.show()

# %% [markdown]
# ## 5. Logistic regression: its negative log-likelihood is binary cross-entropy
# A classifier $D(x) = \sigma(w x + b) = \Pr(y = 1 \mid x)$ models a Bernoulli label. Its likelihood is
# $\prod_i D(x_i)^{y_i} (1 - D(x_i))^{1 - y_i}$, so its average negative log-likelihood is
# $$-\frac1N \sum_i \big[y_i \log D(x_i) + (1 - y_i) \log(1 - D(x_i))\big],$$
# the **binary cross-entropy**. Label real samples 1 and generated samples 0, split the sum in two,
# and it becomes $-\big(\mathbb E_{x\sim p_\text{data}} \log D(x) + \mathbb E_{x\sim p_g} \log(1 - D(x))\big)$:
# the GAN discriminator's loss, minus the value function $V(G, D)$.

# %%
n_each = budget(quick=4_000, full=40_000)
real = p_data.sample(n_each).double()  # label 1
fake = (0.5 + 1.5 * torch.randn(n_each, 1))  # a "generator" N(0.5, 1.5^2): label 0
inputs, labels = torch.cat([real, fake]), torch.cat([torch.ones(n_each, 1), torch.zeros(n_each, 1)])

w = torch.tensor([[0.3]], requires_grad=True)
b = torch.tensor([0.1], requires_grad=True)
w_start, b_start = w.item(), b.item()
logits = inputs @ w + b
d = torch.sigmoid(logits)
nll_by_hand = -(labels * torch.log(d) + (1 - labels) * torch.log(1 - d)).mean()
bce = F.binary_cross_entropy(d, labels)
bce_logits = F.binary_cross_entropy_with_logits(logits, labels)
gan_d_loss = discriminator_loss(logits[:n_each], logits[n_each:])  # mean over real + mean over fake
print(f"NLL by hand {nll_by_hand.item():.8f} | BCE {bce.item():.8f} | BCE on logits {bce_logits.item():.8f} | "
      f"GAN D loss / 2 {gan_d_loss.item() / 2:.8f}")

# %%
# NBVAL_CHECK_OUTPUT
print("logistic NLL = torch's BCE (1e-10):", abs(nll_by_hand - bce).item() < 1e-10)
print("logistic NLL = BCE on logits (1e-10):", abs(nll_by_hand - bce_logits).item() < 1e-10)
print("with as many real as fake samples, GAN D loss = 2 x NLL (1e-10):",
      abs(gan_d_loss - 2 * nll_by_hand).item() < 1e-10)

# %% [markdown]
# Fitting the classifier is maximum likelihood too. We minimise the BCE with a few steps of L-BFGS
# and cross-check the coefficients against scikit-learn's (unpenalised) logistic regression.

# %%
from sklearn.linear_model import LogisticRegression

opt = torch.optim.LBFGS([w, b], lr=1, max_iter=200, tolerance_grad=1e-12, tolerance_change=1e-14,
                        line_search_fn="strong_wolfe")


def closure():
    opt.zero_grad()
    loss = F.binary_cross_entropy_with_logits(inputs @ w + b, labels)
    loss.backward()
    return loss


opt.step(closure)
sk = LogisticRegression(C=np.inf, tol=1e-10, max_iter=1000).fit(inputs.numpy(), labels.numpy().ravel())
print(f"torch (BCE + L-BFGS): w = {w.item():.5f}, b = {b.item():.5f}")
print(f"scikit-learn:         w = {sk.coef_[0, 0]:.5f}, b = {sk.intercept_[0]:.5f}")

logit_err = max(abs(w.item() - sk.coef_[0, 0]), abs(b.item() - sk.intercept_[0]))
logit_start_err = max(abs(w_start - sk.coef_[0, 0]), abs(b_start - sk.intercept_[0]))  # the baseline: the start

# %% [markdown]
# A linear classifier is too simple to be the best discriminator: notebook 02 shows that the best
# one is $D^*(x) = p_\text{data}(x) / (p_\text{data}(x) + p_g(x))$ and trains a network towards it.
#
# ## 6. A Gaussian mixture, fitted with EM
# A mixture $p_\theta(x) = \sum_k \pi_k \mathcal N(x; \mu_k, \sigma_k^2)$ has no closed-form MLE.
# **Expectation-maximisation** alternates: (E) the responsibility of each component for each point,
# $r_{ik} = \pi_k \mathcal N(x_i; \mu_k, \sigma_k^2) / p_\theta(x_i)$; (M) the weighted closed-form MLE of each
# component. Each round never decreases the log-likelihood. We cross-check with scikit-learn.

# %%
def em_step(x, weights, means, stds):
    """One EM round for a 1D Gaussian mixture; returns the new (weights, means, stds)."""
    log_joint = np.log(weights) + stats.norm.logpdf(x[:, None], means, stds)  # (n, K)
    resp = np.exp(log_joint - np.logaddexp.reduce(log_joint, axis=1, keepdims=True))  # E: r_ik
    nk = resp.sum(0)
    means = (resp * x[:, None]).sum(0) / nk  # M: weighted MLE of each component
    stds = np.sqrt((resp * (x[:, None] - means) ** 2).sum(0) / nk)
    return nk / len(x), means, stds


def mixture_log_likelihood(x, weights, means, stds):
    return float(np.logaddexp.reduce(np.log(weights) + stats.norm.logpdf(x[:, None], means, stds), axis=1).sum())


xs = samples[:budget(quick=5_000, full=50_000)].numpy()
params = (np.array([0.5, 0.5]), np.array([-0.5, 0.5]), np.array([1.0, 1.0]))  # a deliberately poor start
em_ll = [mixture_log_likelihood(xs, *params)]
for _ in range(100):
    params = em_step(xs, *params)
    em_ll.append(mixture_log_likelihood(xs, *params))
em_weights, em_means, em_stds = params

from sklearn.mixture import GaussianMixture

gm = GaussianMixture(n_components=2, tol=1e-10, max_iter=1000, random_state=seed).fit(xs[:, None])
order = np.argsort(gm.means_.ravel())
sk_means, sk_weights = gm.means_.ravel()[order], gm.weights_[order]
order = np.argsort(em_means)
print("EM:            weights", em_weights[order].round(3), "means", em_means[order].round(3),
      "stds", em_stds[order].round(3))
print("scikit-learn:  weights", sk_weights.round(3), "means", sk_means.round(3))
print("true:          weights", p_data.weights, "means", p_data.means, "stds", p_data.stds)

# %%
# NBVAL_CHECK_OUTPUT
em_sk_err = max(np.abs(em_means[order] - sk_means).max(), np.abs(em_weights[order] - sk_weights).max())
print("EM never decreases the log-likelihood:", bool(np.all(np.diff(em_ll) > -1e-6)))

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
axes[0].hist(xs, bins=60, density=True, color="0.85", label="data")
axes[0].plot(grid, p_data.pdf(grid), "k", lw=2, label="true mixture")
axes[0].plot(grid, theory.mixture(em_weights, em_means, em_stds).pdf(grid), "tab:orange", ls="--", lw=2, label="EM fit")
axes[0].legend(fontsize=8)
axes[1].plot(em_ll, "tab:orange")
axes[1].set(xlabel="EM round", ylabel="log-likelihood", title="EM climbs the likelihood")
plots.save(fig, "01_em_mixture")
plt.show()

# %% [markdown]
# ## 7. Explicit and implicit models
# Everything so far was an **explicit** model: we can evaluate $p_\theta(x)$, so we can maximise it. A
# GAN's generator is **implicit**: it is a sampler $x = G(z)$, $z \sim p(z)$, and its density is
# $$P_G(x) = \int p(z)\, \mathbb 1[G(z) = x]\, dz \quad
# (\text{read } \mathbb 1 \text{ as a Dirac delta } \delta(x - G(z))),$$
# an integral over the set of latents that $G$ maps to $x$. Only in special cases can we compute it.
# For an invertible 1D map the change of variables gives $P_G(x) = p(G^{-1}(x)) \,/\, |G'(G^{-1}(x))|$:

# %%
def G(z):
    return z + z**3 / 3  # increasing, so invertible


def p_G(x):
    """P_G(x) = p(z) / G'(z) at z = G^{-1}(x), the inverse found by root finding."""
    z = np.array([optimize.brentq(lambda t, v: G(t) - v, -10, 10, args=(v,)) for v in np.atleast_1d(x)])
    return stats.norm.pdf(z) / (1 + z**2)


generated = G(torch.randn(budget(quick=200_000, full=1_000_000))).numpy()
heights, edges = np.histogram(generated, bins=60, range=(-3, 3))
heights = heights / (len(generated) * np.diff(edges))  # the density of the samples, with the mass outside [-3, 3]
centres = 0.5 * (edges[1:] + edges[:-1])
fig, ax = plt.subplots(figsize=(5.5, 3.5))
ax.bar(centres, heights, width=np.diff(edges), color="0.85", label="histogram of G(z)")
ax.plot(centres, p_G(centres), "tab:red", lw=2, label="change of variables")
ax.set(xlabel="x", title=r"$G(z) = z + z^3/3$, $z \sim \mathcal{N}(0, 1)$")
ax.legend(fontsize=8)
plt.show()
cov_gap = np.abs(heights - p_G(centres)).max()
latent_gap = np.abs(heights - stats.norm.pdf(centres)).max()  # the baseline: forget the Jacobian, use p(z) itself
print(f"max gap to the histogram: change of variables {cov_gap:.4f}; the latent density N(0, 1) {latent_gap:.4f}")

# %% [markdown]
# A real generator breaks every condition that made this work: $z$ has tens or hundreds of dimensions,
# $G$ is a neural network that is not invertible, and the preimage $\{z : G(z) = x\}$ has no closed form.
# Worse, when $z$ has fewer dimensions than $x$ (100 latents for 784 pixels) the samples lie on a
# low-dimensional surface: $P_G$ has **no density** at all, and the likelihood of a real image, which lies
# off that surface with probability 1, is zero. Sampling, on the other hand, is one forward pass.
# GANs therefore give up on the likelihood and compare $p_g$ with $p_\text{data}$ through a classifier:
# the discriminator of the next notebook.
#
# ## 8. Latent variables and the ELBO (lecture 001)
# A VAE is explicit but has latents: $p_\theta(x) = \int p(z)\, p_\theta(x \mid z)\, dz$, again an integral we
# cannot usually compute. Lecture 001 bounds it. For any density $q(z)$,
# $$\begin{aligned}
# \mathrm{KL}(q(z) \,\|\, p(z \mid x)) &= \mathbb E_q[\log q(z)] - \mathbb E_q[\log p(z \mid x)]
# = \mathbb E_q[\log q(z)] - \mathbb E_q\Big[\log \frac{p(x, z)}{p(x)}\Big] \\
# &= \mathbb E_q[\log q(z)] - \mathbb E_q[\log p(x, z)] + \log p(x),
# \end{aligned}$$
# so $\log p(x) = \underbrace{\mathbb E_q[\log p(x, z) - \log q(z)]}_{\text{ELBO}(q)} + \mathrm{KL}(q \,\|\, p(z \mid
# x)) \ge \text{ELBO}(q)$: the evidence lower bound, tight exactly when $q$ is the posterior. We check it on a model
# where everything is known: $z \sim \mathcal N(0, 1)$, $x \mid z \sim \mathcal N(a z, s^2)$, so
# $p(x) = \mathcal N(0, a^2 + s^2)$ and the posterior is
# $\mathcal N\big(\frac{a x / s^2}{1 + a^2/s^2}, \frac{1}{1 + a^2/s^2}\big)$. The ELBO is integrated by quadrature, the
# gap compared with the closed-form KL between Gaussians.

# %%
a_lin, s_lin, x_obs = 2.0, 0.5, 1.3
log_px = stats.norm.logpdf(x_obs, 0, math.sqrt(a_lin**2 + s_lin**2))  # exact log-evidence
post_var = 1 / (1 + a_lin**2 / s_lin**2)
post_mean, post_std = post_var * a_lin * x_obs / s_lin**2, math.sqrt(post_var)
log_joint = lambda z: stats.norm.logpdf(x_obs, a_lin * z, s_lin) + stats.norm.logpdf(z)  # log p(x, z)


def elbo_quadrature(m: float, sd: float) -> float:
    """ELBO(q) = E_q[log p(x, z) - log q(z)] for q = N(m, sd^2), by scipy quadrature."""
    return theory.integrate_1d(lambda z: stats.norm.pdf(z, m, sd) * (log_joint(z) - stats.norm.logpdf(z, m, sd)),
                               m - 12 * sd, m + 12 * sd)


log_px_quad = math.log(theory.integrate_1d(lambda z: np.exp(log_joint(z)), -12, 12))
qs = {"prior N(0, 1)": (0.0, 1.0), "N(1, 0.5^2)": (1.0, 0.5), "N(-1, 2^2)": (-1.0, 2.0),
      "posterior": (post_mean, post_std)}
elbo_rows = {name: (elbo_quadrature(m, sd), theory.kl_gaussians(m, sd, post_mean, post_std))  # (ELBO, KL(q||post))
             for name, (m, sd) in qs.items()}
print(f"log p(x) = {log_px:.6f} (closed form), {log_px_quad:.6f} (quadrature of p(x, z) over z)")
for name, (elbo, kl_post) in elbo_rows.items():
    print(f"q = {name:>14}: ELBO = {elbo:.6f}, log p(x) - ELBO = {log_px - elbo:.6f}, "
          f"KL(q || posterior) = {kl_post:.6f}")

# %%
# NBVAL_CHECK_OUTPUT
print("log p(x) by quadrature = closed form (to 1e-8):", abs(log_px - log_px_quad) < 1e-8)
print("ELBO <= log p(x) for every q:", all(elbo <= log_px + 1e-9 for elbo, _ in elbo_rows.values()))
print("log p(x) - ELBO = KL(q || posterior) for every q (to 1e-7):",
      all(abs(log_px - elbo - kl_post) < 1e-7 for elbo, kl_post in elbo_rows.values()))
print("the bound is tight at the posterior (to 1e-7):", abs(log_px - elbo_rows["posterior"][0]) < 1e-7)

# %% [markdown]
# A VAE does not know the posterior: it **maximises** the ELBO over $q$, estimating the expectation with
# samples $z = m + \sigma \epsilon$, $\epsilon \sim \mathcal N(0, 1)$ (the reparameterisation, so that autograd reaches
# $m$ and $\sigma$). Maximising the bound while $\log p(x)$ stays fixed is minimising
# $\mathrm{KL}(q \,\|\, p(z \mid x))$: $q$ should land on the posterior. We start from the prior.

# %%
m_q = torch.tensor(0.0, requires_grad=True)
log_sd_q = torch.tensor(0.0, requires_grad=True)  # q starts as the prior N(0, 1)
opt_q = torch.optim.Adam([m_q, log_sd_q], lr=0.05)
sched_q = torch.optim.lr_scheduler.CosineAnnealingLR(opt_q, 600)  # a decaying step lets the noisy estimate settle
for _ in range(600):
    eps = torch.randn(256)
    z = m_q + log_sd_q.exp() * eps  # reparameterised samples of q
    log_q = torch.distributions.Normal(m_q, log_sd_q.exp()).log_prob(z)
    log_p = (torch.distributions.Normal(a_lin * z, s_lin).log_prob(torch.tensor(x_obs))  # log p(x | z)
             + torch.distributions.Normal(0.0, 1.0).log_prob(z))  # + log p(z)
    loss = -(log_p - log_q).mean()  # minus the ELBO estimate
    opt_q.zero_grad()
    loss.backward()
    opt_q.step()
    sched_q.step()
m_fit, sd_fit = m_q.item(), log_sd_q.exp().item()
gap_fit = log_px - elbo_quadrature(m_fit, sd_fit)
gap_prior = log_px - elbo_rows["prior N(0, 1)"][0]
print(f"fitted q = N({m_fit:.4f}, {sd_fit:.4f}^2); posterior N({post_mean:.4f}, {post_std:.4f}^2)")
print(f"log p(x) - ELBO: {gap_fit:.5f} after fitting, {gap_prior:.4f} for the prior")

# %% [markdown]
# ## 9. Where GANs sit: a taxonomy
# The comparison from the lecture notes (lecture 004, after Goodfellow's NIPS 2016 tutorial). Its row
# "Abstraction" says "no" for GANs although a GAN has a latent code: it means **inference**, mapping a data
# point back to a representation, which a plain GAN cannot do. We split it into two rows.
#
# | | RBM | VAE | Autoregressive | GAN |
# |---|---|---|---|---|
# | Latent code $z$ | yes | yes | no | yes |
# | Abstraction: infers a representation of $x$ | yes | yes (the encoder) | no | no (BiGAN / ALI add one: notebook 13) |
# | Generation | yes | yes | yes | yes |
# | Compute $P(x)$ | intractable | intractable (a lower bound, the ELBO) | tractable | no (implicit) |
# | Sampling | MCMC (slow) | fast | slow (one dimension at a time) | fast (one pass) |
# | Type of model | undirected | directed | directed | directed |
# | Loss | KL (max. likelihood) | KL (ELBO) | KL (max. likelihood) | JSD (via the discriminator) |
# | Assumptions | x independent given z | x independent given z | none | N.A. (no likelihood to factorise) |
# | Samples | bad | OK (blurry) | good | good (sharpest) |
#
# The first three maximise (a bound on) the likelihood: all are fitted by minimising
# $\mathrm{KL}(p_\text{data} \| p_\theta)$, as in section 4. The GAN, which has no likelihood, minimises
# another divergence, the Jensen-Shannon divergence, through the game of notebooks 02 and 03.
#
# ## 10. Widget: move μ and σ
# The histogram is the data of section 1. Move $\mu$ and $\sigma$ and watch the density, the
# log-likelihood (title and the line below the sliders) and the marker on the log-likelihood surface;
# the red line and the star are the MLE. Try to beat the MLE's log-likelihood: you cannot.

# %%
from ganlab.widgets.mle import mle_widget

mle_widget(x.numpy(), mu=0.0, sigma=1.0)

# %% [markdown]
# ## Exercises
# **1. The MLE of an exponential distribution.** For $p_\lambda(y) = \lambda e^{-\lambda y}$, $y \ge 0$,
# derive $\hat\lambda$ in closed form and write it as code in `rate_hat` (a function of the samples `y`).
# The checker compares it with a numerical maximiser of the log-likelihood.

# %%
y = torch.distributions.Exponential(2.5).sample((1_000,)).numpy()
rate_hat = None  # your answer: a formula in y

rate_numeric = optimize.minimize_scalar(lambda r: -(len(y) * np.log(r) - r * y.sum()), bounds=(1e-3, 100),
                                       method="bounded").x
if rate_hat is None:
    print("write your closed form in rate_hat, then run this cell again")
else:
    check_answer(rate_hat, rate_numeric, tol=1e-4, hint="set the derivative of n log(rate) - rate * sum(y) to zero")

# %% [markdown]
# <details><summary>Solution</summary>
#
# $\log L(\lambda) = n \log\lambda - \lambda \sum_i y_i$, so $n/\lambda - \sum_i y_i = 0$ and
# $\hat\lambda = n / \sum_i y_i = 1 / \bar y$: `rate_hat = 1 / y.mean()`.
# </details>
#
# **2. The MLE of the variance is biased.** Draw many samples of size $n = 5$ from $\mathcal N(0, 1)$
# and average $\hat\sigma^2$: you should find about $(n - 1)/n = 0.8$, not 1. Why does the MLE
# divide by $n$, and why does it not matter for large $n$?
#
# <details><summary>Solution</summary>
#
# `torch.randn(100_000, 5).var(dim=1, correction=0).mean()` is about 0.8. The MLE maximises the
# likelihood, which is not the same as being unbiased; the bias $-\sigma^2/n$ vanishes as $n$ grows,
# and the MLE is consistent.
# </details>
#
# **3. Too many components.** Fit the mixture of section 6 with `GaussianMixture(n_components=K)` for
# K = 1 ... 6 and plot the training log-likelihood against K. Does it ever decrease? What would a
# held-out set show?
#
# <details><summary>Solution</summary>
#
# The *maximum* training log-likelihood cannot decrease with K (a mixture with K + 1 components contains
# every mixture with K: give the extra one weight 0), but what `GaussianMixture` returns can: EM climbs to
# a **local** maximum from its initialisation, and with its default `tol=1e-3` it stops as soon as one
# round improves the average log-likelihood by less than that. With K = 3 ... 6 it may stop on a flat
# stretch or in a poorer local optimum and report *less* than K = 2. A tighter `tol`, more `max_iter`
# and several starts (`n_init=5`) make the curve non-decreasing in practice. On held-out data it stops
# improving after K = 2, the true number: maximum likelihood alone does not choose model size.
# </details>

# %% [markdown]
# ## What we saw

# %%
# The underflow, the zero gradient at the MLE, the KL identities, BCE = NLL, EM's monotone climb and the
# ELBO identity follow from the formulas: the compared cells above check them. The checklist holds what
# was fitted or sampled, each against the figure that would fail it.

# %%
all_seen = what_we_saw([
    lesson("gradient ascent with autograd reaches the closed-form Gaussian MLE", held=gd_err < 1e-3 and start_err > 0.1,
           measured=f"max gap {gd_err:.1e} after 600 steps",
           baseline=f"the start (mu, sigma) = (0, 1): gap {start_err:.2f}"),
    lesson("maximum likelihood on samples finds the best Gaussian in KL(p_data || p), the moment match",
           held=kl_at_mle - best.fun < 0.005 and kl_major_mode > best.fun + 0.1,
           measured=f"KL at the MLE {kl_at_mle:.4f} (minimum {best.fun:.4f})",
           baseline=f"the larger mode alone, N(2, 1): {kl_major_mode:.4f}"),
    lesson("minimising BCE by L-BFGS reproduces scikit-learn's logistic regression",
           held=logit_err < 1e-3 and logit_start_err > 0.1,
           measured=f"gap {logit_err:.1e}", baseline=f"the starting (w, b): gap {logit_start_err:.2f}"),
    lesson("EM from a poor start climbs to scikit-learn's mixture fit",
           held=em_sk_err < 0.01 and em_ll[-1] > em_ll[0] + 100,
           measured=f"log L {em_ll[-1]:.0f}, gap to scikit-learn {em_sk_err:.1e}",
           baseline=f"the start: log L {em_ll[0]:.0f}"),
    lesson("an invertible generator's density follows from the change of variables (a real G has none to maximise)",
           held=cov_gap < 0.03 and latent_gap > 0.06,
           measured=f"max gap to the histogram {cov_gap:.4f}",
           baseline=f"the latent density N(0, 1): {latent_gap:.4f}"),
    lesson("maximising a sampled ELBO over q closes the gap to log p(x): q becomes the posterior",
           held=gap_fit < 0.01 and gap_prior > 0.5,
           measured=f"log p(x) - ELBO {gap_fit:.1e} after fitting", baseline=f"q = the prior: {gap_prior:.4f}"),
])
