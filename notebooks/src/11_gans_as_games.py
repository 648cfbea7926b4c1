# %% [markdown]
# # 11 · GANs as games: which update rules converge
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlab-course/gan-course/blob/main/notebooks/11_gans_as_games.ipynb)
#
# The lecture notes say it in words: a GAN is a two-player game, "the solution to a game is a Nash
# equilibrium", the "equilibrium is a saddle point of the discriminator loss", and "two player games do
# not always converge using gradient descent": "simultaneous updates require a careful balance between
# the two players". This notebook measures each sentence: on the smallest game that has a saddle point,
# on the smallest GAN (Mescheder, Geiger and Nowozin, 2018, the *Dirac-GAN*), and on the ring of eight
# Gaussians of notebook 05.
#
# **Learning goals**
# - Compute lecture 003's picture $\min_G \max_D V(G, D)$ for three discrete generators.
# - Play the bilinear game $\min_x \max_y xy$ with simultaneous, alternating, extragradient and
#   optimistic updates, and explain from eigenvalues why the first spirals out and the last two converge.
# - Write the Dirac-GAN's vector field, get its Jacobian at the equilibrium by autograd and its
#   eigenvalues in closed form, and check that they agree.
# - Check Mescheder et al.'s claim: instance noise and zero-centred gradient penalties (R1) converge;
#   the unregularised GAN, WGAN and WGAN-GP with finitely many critic steps do not.
# - Measure R1 and two time-scale learning rates (TTUR) against the plain recipe on a real 2D GAN, over many seeds.

# %%
# Colab or a fresh environment: install ganlab if it is missing (does nothing where it is importable).
try:
    import ganlab
except ImportError:
    # %pip install -q "ganlab @ git+https://github.com/ganlab-course/gan-course"
    import ganlab

# %%
import functools
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from scipy import special, stats

from ganlab import budget, games, plots, profile, start, sweep, theory, train_steps
from ganlab.data import toy
from ganlab.lessons import check_answer, lesson, what_we_saw
from ganlab.metrics.mixtures import N_EVAL, mode_coverage
from ganlab.widgets.games import games_widget

seed = start(data="games defined in code; 8 Gaussians sampled in code (WGAN-GP toy definition)")

# %% [markdown]
# ## 1. $\min_G \max_D V(G, D)$ with three generators (lecture 003)
# $$V(G, D) = \mathbb E_{x \sim p_\text{data}}[\log D(x)] + \mathbb E_{x \sim p_G}[\log(1 - D(x))].$$
# The lecture draws, for each of three generators $G_1, G_2, G_3$, the curve $D \mapsto V(G_i, D)$, marks
# its maximum (how far $p_{G_i}$ is from $p_\text{data}$: $\max_D V = -\log 4 + 2\,\mathrm{JSD}$, notebook 03),
# and picks the generator whose maximum is smallest. Here $p_\text{data} = \mathcal N(0, 1)$,
# $G_i = \mathcal N(\mu_i, 1)$ with $\mu = 2.5, 1.2, 0.4$, and the discriminators are the one-parameter family
# $D_t(x) = \sigma(-t x + t^2/2)$, the optimal discriminator against $\mathcal N(t, 1)$, so each curve's
# maximum is the true $\max_D$ (at $t = \mu_i$).

# %%
x = np.linspace(-9, 12, 4001)
mus = {"G1": 2.5, "G2": 1.2, "G3": 0.4}
ts = np.linspace(-0.5, 3.5, 401)


def value(mu: float, t: float) -> float:
    """V(G, D_t) for G = N(mu, 1), D_t(x) = sigmoid(-t x + t^2/2), by the trapezoid rule on a fine grid."""
    logit = -t * x + t**2 / 2
    integrand = stats.norm.pdf(x) * special.log_expit(logit) + stats.norm.pdf(x, mu) * special.log_expit(-logit)
    return float(np.trapezoid(integrand, x))


curves = {g: np.array([value(mu, t) for t in ts]) for g, mu in mus.items()}
best_d = {g: float(c.max()) for g, c in curves.items()}
g_star = min(best_d, key=best_d.get)
fig, ax = plt.subplots(figsize=(7, 4))
for g, c in curves.items():
    ax.plot(ts, c, lw=2, label=f"{g} = N({mus[g]}, 1)")
    ax.plot(ts[c.argmax()], c.max(), "o", color="tab:red", ms=8)
ax.axhline(-math.log(4), color="0.5", ls="--", lw=1, label="-log 4 (p_G = p_data)")
ax.annotate(f"min over G of max over D: {g_star}", (ts[curves[g_star].argmax()], best_d[g_star]),
            xytext=(1.6, -1.9), arrowprops=dict(arrowstyle="->"))
ax.set(xlabel="discriminator D_t (t)", ylabel="V(G, D_t)", ylim=(-3.2, -1.0), title="max over D (red), then min over G")
ax.legend(loc="lower right", fontsize=8)
plt.show()
_ = plots.save(fig, "11_min_max_three_generators")

# %%
# NBVAL_CHECK_OUTPUT
for g, mu in mus.items():
    jsd = theory.jsd(theory.gaussian(0, 1), theory.gaussian(mu, 1))
    print(f"{g}: max over t at t = {ts[curves[g].argmax()]:.2f} (mu = {mu}); max V = {best_d[g]:.4f}, "
          f"-log 4 + 2 JSD = {-math.log(4) + 2 * jsd:.4f}, "
          f"agree to 1e-4: {abs(best_d[g] + math.log(4) - 2 * jsd) < 1e-4}")
print(f"min over G of max over D: {g_star}")

# %% [markdown]
# Lecture 003's choice is $G_3$, the generator closest to the data. But training does not search over
# three generators: it moves both players' parameters by gradients at the same time. Whether that
# reaches the saddle point is a question about dynamics, and the rest of the notebook is about it.
#
# ## 2. The bilinear game $\min_x \max_y xy$
# The smallest game with a saddle point: player 1 picks $x$ to make $V = xy$ small, player 2 picks $y$ to make
# it large. The only Nash equilibrium is $(0, 0)$. Gradient descent for $x$ and ascent for $y$ follow the
# *vector field* $v(x, y) = (-\partial_x V, \partial_y V) = (-y, x)$, which rotates around the equilibrium.
# Four ways to step along it with step size $h$:
# - **simultaneous**: $p_{t+1} = p_t + h\,v(p_t)$ (both players move from the same point);
# - **alternating**: $y_{t+1} = y_t + h\,x_t$, then $x_{t+1} = x_t - h\,y_{t+1}$ (D first, as Algorithm 1 does);
# - **extragradient** (Korpelevich, 1976): look ahead $p_{t+1/2} = p_t + h\,v(p_t)$, step with the field there,
#   $p_{t+1} = p_t + h\,v(p_{t+1/2})$;
# - **optimistic** (Daskalakis et al., 2018): $p_{t+1} = p_t + 2h\,v(p_t) - h\,v(p_{t-1})$, a look-ahead that
#   reuses the last gradient instead of computing a new one.

# %%
def v_bilinear(p):
    """v(x, y) = (-y, x): descent for x, ascent for y on V = x y."""
    return np.array([-p[1], p[0]])


def simultaneous(v, p, h):
    return p + h * v(p)


def alternating(v, p, h):
    y = p[1] + h * v(p)[1]             # D (the maximiser) moves first ...
    return np.array([p[0] + h * v(np.array([p[0], y]))[0], y])  # ... then G, against the new y


def extragradient(v, p, h):
    return p + h * v(p + h * v(p))


def optimistic(v, p, v_prev, h):
    v_now = v(p)
    return p + 2 * h * v_now - h * v_prev, v_now


def play(rule, p0, h, steps):
    p, v_prev, path = np.array(p0, dtype=float), v_bilinear(np.array(p0, dtype=float)), [np.array(p0, dtype=float)]
    for _ in range(steps):
        if rule is optimistic:
            p, v_prev = optimistic(v_bilinear, p, v_prev, h)
        else:
            p = rule(v_bilinear, p, h)
        path.append(p)
    return np.stack(path)


h_bilinear, steps_bilinear = 0.1, 1000
bilinear = {rule.__name__: play(rule, (1, 1), h_bilinear, steps_bilinear)
            for rule in (simultaneous, alternating, extragradient, optimistic)}

# %% [markdown]
# `ganlab.games` holds the same four rules for any field (`games.step`, `games.trajectory`), so the
# Dirac-GAN below and the widget use them. They agree with the cell above:

# %%
# NBVAL_CHECK_OUTPUT
reference = {"simultaneous": 205, "alternating": 1.4, "extragradient": 0.0098, "optimistic": 0.0089}
for rule, path in bilinear.items():
    same = np.allclose(path, games.trajectory(rule, games.bilinear_field, (1, 1), h_bilinear, steps_bilinear))
    print(f"{rule:>13}: distance to (0, 0) after {steps_bilinear} steps {np.linalg.norm(path[-1]):.3g} "
          f"(reference {reference[rule]}); ganlab.games agrees: {same}")

# %%
fig, axes = plt.subplots(1, 4, figsize=(15, 3.9))
for ax, (rule, path) in zip(axes, bilinear.items()):
    ax.plot(path[:, 0], path[:, 1], lw=0.8, color="tab:orange")
    ax.plot(*path[0], "o", color="tab:green", label="start (1, 1)")
    ax.plot(0, 0, "*", color="k", ms=10, label="equilibrium")
    lim = max(2.0, 1.1 * np.abs(path).max())
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xlabel="x (minimiser)",
           title=f"{rule}: |p| = {np.linalg.norm(path[-1]):.2g}")
axes[0].set_ylabel("y (maximiser)")
axes[0].legend(fontsize=8, loc="lower left")
fig.suptitle(f"min_x max_y xy, step {h_bilinear}, {steps_bilinear} steps from (1, 1)")
fig.tight_layout()
plt.show()
_ = plots.save(fig, "11_bilinear_game")

# %% [markdown]
# **Why, from eigenvalues.** Each rule is linear here, $p_{t+1} = M p_t$, and it converges exactly when every
# eigenvalue $\mu$ of $M$ has $|\mu| < 1$. The field's Jacobian $J = \begin{pmatrix}0 & -1\\ 1 & 0\end{pmatrix}$
# has eigenvalues $\lambda = \pm i$: a pure rotation. Simultaneous steps have $\mu = 1 + h\lambda$, so
# $|\mu| = \sqrt{1 + h^2} > 1$ for every $h$: $\sqrt 2 \cdot 1.01^{500} \approx 205$. Alternating steps have
# $\det M = 1$ (they preserve area) and $|\mu| = 1$ for $h < 2$: an orbit. Extragradient has
# $\mu = 1 + h\lambda + h^2\lambda^2$, $|\mu|^2 = 1 - h^2 + h^4 < 1$. `games.update_eigenvalues` computes $\mu$
# for any rule by differentiating one step at the equilibrium:

# %%
# NBVAL_CHECK_OUTPUT
for rule in games.RULES:
    mu = games.update_eigenvalues(rule, games.bilinear_field, h_bilinear)
    print(f"{rule:>13}: max |mu| = {np.abs(mu).max():.6f}")
print(f"closed forms: sqrt(1 + h^2) = {math.sqrt(1 + h_bilinear**2):.6f}, "
      f"extragradient sqrt(1 - h^2 + h^4) = {math.sqrt(1 - h_bilinear**2 + h_bilinear**4):.6f}")

# %% [markdown]
# ## 3. The Dirac-GAN
# Mescheder et al. (2018) reduce a GAN to two numbers. The data are a point mass at 0, $p_\text{data} = \delta_0$;
# the generator is a point mass at $\theta$, $p_\theta = \delta_\theta$; the discriminator is linear,
# $D_\psi(x) = \psi x$ (a logit). With $f(t) = -\log(1 + e^{-t})$ the GAN objective is
# $$V(\theta, \psi) = f(\psi\theta) + f(0),$$
# and the field of gradient descent for $\theta$ and ascent for $\psi$ is
# $$v(\theta, \psi) = \big(-\psi f'(\psi\theta),\ \theta f'(\psi\theta)\big), \qquad f'(t) = \sigma(-t).$$
# The equilibrium is $(\theta, \psi) = (0, 0)$: the generator on the data and a discriminator that cannot tell.
# Its Jacobian there is $J = \begin{pmatrix}0 & -f'(0)\\ f'(0) & 0\end{pmatrix}$ with $f'(0) = \tfrac12$:
# eigenvalues $\pm\tfrac i2$, the bilinear game's rotation again.
#
# The regularisers change $J$:
# - **R1** (a zero-centred gradient penalty on real data): D also minimises
#   $\tfrac\gamma2\lVert\nabla_x D_\psi(x)\rVert^2 = \tfrac\gamma2\psi^2$ at $x = 0$, so
#   $J = \begin{pmatrix}0 & -\tfrac12\\ \tfrac12 & -\gamma\end{pmatrix}$ and
#   $\lambda = -\tfrac\gamma2 \pm \sqrt{\tfrac{\gamma^2}{4} - \tfrac14}$;
# - **instance noise** $\varepsilon \sim \mathcal N(0, \sigma^2)$ on real and fake points:
#   $\lambda = f''(0)\sigma^2 \pm \sqrt{f''(0)^2\sigma^4 - f'(0)^2}$ with $f''(0) = -\tfrac14$;
# - **consensus optimisation** (Mescheder et al., 2017): follow
#   $v - c\,\nabla \tfrac12\lVert v\rVert^2 = v - cJ^\top v$, Jacobian $J - cJ^\top J$;
# - **WGAN**: $f(t) = t$, $f' = 1$, with $\psi$ clipped to $[-1, 1]$; **WGAN-GP**: D also minimises
#   $\tfrac{\kappa}{2}(|\psi| - 1)^2$ (the penalty pulls $|\nabla D|$ to 1, not to 0). Both train the critic
#   5 steps per generator step, as their papers do.
#
# The notebook writes the objective in torch and lets autograd find the field and its Jacobian; the closed
# forms above are `games.dirac_eigenvalues`. First the plain GAN, the lines a student writes:

# %%
def dirac_objective(theta, psi):
    """V(theta, psi) = f(psi theta) + f(0), f(t) = -log(1 + e^-t) = logsigmoid(t)."""
    return torch.nn.functional.logsigmoid(psi * theta) + torch.nn.functional.logsigmoid(torch.zeros(()))


def dirac_field_autograd(p):
    """v = (-dV/dtheta, +dV/dpsi) by autograd."""
    grad = torch.func.grad(lambda q: dirac_objective(q[0], q[1]))(p)
    return torch.stack([-grad[0], grad[1]])


equilibrium = torch.zeros(2, dtype=torch.float64)
J = torch.func.jacrev(dirac_field_autograd)(equilibrium)

# %%
# NBVAL_CHECK_OUTPUT
print("J at (0, 0) by autograd:\n", J.numpy().round(6))
print("eigenvalues by torch.linalg.eigvals:", torch.linalg.eigvals(J).numpy().round(6),
      "| closed form:", games.dirac_eigenvalues().round(6))
p = torch.tensor([0.7, -1.3], dtype=torch.float64)
print("field at (0.7, -1.3): autograd", dirac_field_autograd(p).numpy().round(6),
      "| closed form", games.dirac_field(p.numpy()).round(6))

# %% [markdown]
# The same for every regulariser: `games.jacobian` differentiates `games.autograd_field` (the objectives of
# both players in torch, noise expectations by Gauss-Hermite quadrature, consensus by a second autograd pass);
# `games.dirac_eigenvalues` is the closed form.

# %%
cases = {  # name -> (update rule, field settings, step settings)
    "unregularised, simultaneous": ("simultaneous", {}, {}),
    "unregularised, alternating": ("alternating", {}, {}),
    "R1, gamma 0.3": ("simultaneous", dict(r1=0.3), {}),
    "R1, gamma 1 (critical)": ("simultaneous", dict(r1=1.0), {}),
    "instance noise, sigma 0.7": ("simultaneous", dict(noise=0.7), {}),
    "consensus, weight 1": ("simultaneous", dict(consensus=1.0), {}),
    "WGAN, clip 1, 5 critic steps": ("alternating", dict(loss="wgan"), dict(clip=1.0, n_critic=5)),
    "WGAN-GP, weight 0.5, 5 critic steps": ("alternating", dict(loss="wgan", gp=0.5), dict(n_critic=5)),
}

# %%
# NBVAL_CHECK_OUTPUT
for name, (_, game, _) in cases.items():
    if "gp" in game:
        print(f"{name:>34}: the penalty (|psi| - 1)^2 has no derivative at psi = 0: no Jacobian there")
        continue
    auto = np.sort_complex(np.linalg.eigvals(games.jacobian((0.0, 0.0), **game)).astype(complex))
    closed = np.sort_complex(games.dirac_eigenvalues(**game))
    print(f"{name:>34}: lambda = {closed[0]:.4f}, {closed[1]:.4f}; "
          f"autograd agrees to 1e-9: {np.allclose(auto, closed, atol=1e-9)}")

# %% [markdown]
# Now play each from $(1, 1)$ with step $h = 0.2$ for 500 steps (the figures of Mescheder et al.'s Figure 3
# and their Table 1 of convergence results).

# %%
h_dirac, steps_dirac = 0.2, 500
paths = {name: games.trajectory(rule, functools.partial(games.dirac_field, **game), (1, 1), h_dirac, steps_dirac, **kw)
         for name, (rule, game, kw) in cases.items()}
distance = {name: np.linalg.norm(path, axis=1) for name, path in paths.items()}
max_mu = {name: float(np.abs(games.update_eigenvalues(rule, functools.partial(games.dirac_field, **game), h_dirac,
                                                      **kw)).max())
          for name, (rule, game, kw) in cases.items() if "gp" not in game}

# %%
fig, axes = plt.subplots(2, 4, figsize=(15, 7.6))
axis = np.linspace(-2, 2, 13)
grid = np.stack(np.meshgrid(axis, axis), axis=-1)
for ax, (name, path) in zip(axes.flat, paths.items()):
    game = cases[name][1]
    v = games.dirac_field(grid, **game)
    ax.quiver(grid[..., 0], grid[..., 1], v[..., 0], v[..., 1], color="0.6", angles="xy")
    ax.plot(path[:, 0], path[:, 1], lw=1, color="tab:orange")
    ax.plot(1, 1, "o", color="tab:green"), ax.plot(0, 0, "*", color="k", ms=10)
    ax.set(xlim=(-2, 2), ylim=(-2, 2), aspect="equal", title=f"{name}\n|p_500| = {distance[name][-1]:.2g}")
    ax.title.set_fontsize(9)
for ax in axes[1]:
    ax.set_xlabel("theta (generator)")
for ax in axes[:, 0]:
    ax.set_ylabel("psi (discriminator)")
fig.tight_layout()
plt.show()
_ = plots.save(fig, "11_dirac_gan_trajectories")

# %%
# NBVAL_CHECK_OUTPUT
reference = {"unregularised, simultaneous": "3.1", "unregularised, alternating": "orbit 1.42",
             "R1, gamma 0.3": "2.6e-6",
             "R1, gamma 1 (critical)": "1e-21", "instance noise, sigma 0.7": "5.7e-5", "consensus, weight 1": "2e-10",
             "WGAN, clip 1, 5 critic steps": "(none)", "WGAN-GP, weight 0.5, 5 critic steps": "(none)"}
print(f"{'method':>34} | max |mu| | distance at 500 | last 100 steps [min, max] | reference")
for name, d in distance.items():
    mu = f"{max_mu[name]:.4f}" if name in max_mu else "   -  "
    print(f"{name:>34} | {mu:>8} | {d[-1]:15.2g} | [{d[-100:].min():.2g}, {d[-100:].max():.2g}] | {reference[name]}")
for weight in (1.0, 2.0):  # a larger penalty weight: the generator stops short of the data instead of circling
    end = games.trajectory("alternating", functools.partial(games.dirac_field, loss="wgan", gp=weight), (1, 1),
                           h_dirac, steps_dirac, n_critic=5)[-1]
    print(f"WGAN-GP, weight {weight}: ends at theta = {end[0]:.3f}, psi = {end[1]:.3f}")

# %% [markdown]
# Read the table as the paper's Table 1. The unregularised GAN has $|\mu| = \sqrt{1 + h^2/4} = 1.005$ under
# simultaneous steps and spirals out (slowly, because $f'$ shrinks away from the equilibrium: 1.41 to 3.1),
# and orbits under alternating steps. R1 and instance noise give $\operatorname{Re}\lambda < 0$, and with a
# small enough step $|\mu| < 1$: both converge, R1 fastest at the critical $\gamma = 2f'(0) = 1$, where the two
# eigenvalues meet at $-\tfrac12$. WGAN's $f$ is linear, so nothing damps the rotation; clipping only folds the
# orbit onto the box $|\psi| \le 1$. WGAN-GP's penalty is zero at $|\psi| = 1$, not at the
# equilibrium $\psi = 0$: with 5 critic steps per generator step the critic keeps $|\psi|$ near
# $1 + |\theta|/\kappa$ and pushes the generator past the data, which circles at a distance (weight 0.5). With a
# weight $\kappa \ge 1$ the run stops instead at $\theta = -\kappa$, $\psi = 0$ (printed above): the penalty's kink
# at $\psi = 0$ holds the critic there, a stationary point that is not the equilibrium. Either way no
# finite number of critic steps reaches $(0, 0)$. Reference figures computed independently for this course
# (right column) agree to the digits shown; the alternating orbit's distance oscillates between 1.41 and
# 1.49 (the reference's 1.42 is one point of it), and consensus gives 2.6e-10 where the reference has 2e-10.
#
# ## 4. The widget: move the step, change the rule
# Choose the update rule and the regulariser, then move the step size and the regulariser's weight (gamma,
# sigma, the consensus weight, the clipping bound or the penalty weight). Left: the field and the trajectory from
# $(1, 1)$, 300 steps. Right: $\lambda$ of $J$ (crosses; left of the dashed line means the continuous-time
# flow converges) and $\mu$ of the update map (dots; inside the circle means the rule with this step converges).
# Try: simultaneous + R1, weight 0.3, and raise $h$ until a dot leaves the circle; extragradient with no
# regulariser; WGAN with clipping under each rule.

# %%
games_widget()

# %% [markdown]
# ## 5. The same regularisers on a real 2D GAN
# The Dirac-GAN is a cartoon. Does its verdict hold for networks? The ring of eight Gaussians of notebook 05,
# the plain recipe there (non-saturating GAN, Adam $10^{-3}$, $\beta = (0.5, 0.999)$, learning rate decaying to
# $10^{-4}$), many seeds trained at once (`ganlab.sweep.train_many`: 16 seeds for 2,000 generator steps in the quick
# profile, about a CPU minute; 64 seeds for 5,000 steps in the full one), measured with 05's
# mode-coverage protocol (2,500 samples; a mode is covered with at least 62.5 samples within $3\sigma$). Against it:
# - **R1**: the same, and D also minimises $\tfrac\gamma2\,\mathbb E_{x\sim p_\text{data}}\lVert\nabla_x D(x)\rVert^2$
#   with $\gamma = 1$ (`sweep.train_many(..., r1_gamma=1.0)`, the penalty is `ganlab.losses.r1_penalty`);
# - **TTUR** (Heusel et al., 2017): two time-scales, D's learning rate 4x G's ($4 \cdot 10^{-3}$ against
#   $10^{-3}$, `lr_d=4e-3`), so D tracks its best response, the condition of their convergence proof.

# %%
n_seeds = budget(quick=16, full=64)
seeds = list(range(seed * 1000, seed * 1000 + n_seeds))
ring = toy("8gaussians")
size = dict(width=64, depth=3, batch=128, n_samples=N_EVAL, steps=train_steps(quick=2_000, full=5_000),
            lr_end=1e-4)
recipes = {"plain": {}, "R1 (gamma 1)": dict(r1_gamma=1.0), "TTUR (lr_D = 4 lr_G)": dict(lr_d=4e-3)}
runs = {name: sweep.train_many("gan", ring, seeds, **size, **extra) for name, extra in recipes.items()}
coverage = {name: mode_coverage(r.samples, ring) for name, r in runs.items()}
print(f"{'recipe':>22} | modes covered: median [min, max] | seeds with 8/8 | median high quality | seconds")
for name, c in coverage.items():
    m = c.modes_covered.float()
    print(f"{name:>22} | {m.median():14.1f} [{m.min():.0f}, {m.max():.0f}]{'':12}| {int((m == 8).sum()):7d}/{n_seeds}"
          f"    | {c.high_quality.median():19.2f} | {runs[name].seconds:.0f}")

# %%
fig, axes = plt.subplots(1, 1 + len(recipes), figsize=(4 + 3.4 * len(recipes), 3.4))
for i, (name, c) in enumerate(coverage.items()):
    counts = np.bincount(c.modes_covered.numpy(), minlength=9)
    axes[0].bar(np.arange(9) + (i - 1) * 0.27, counts, width=0.27, label=name)
    worst = int(c.modes_covered.argmin())
    plots.samples(runs[name].samples[worst, :1000], ring, axes[i + 1],
                  title=f"{name}: worst seed ({int(c.modes_covered[worst])}/8)")
    axes[i + 1].set_xticks([]), axes[i + 1].set_yticks([])
axes[0].set(xlabel="modes covered (of 8)", ylabel="seeds", title=f"{n_seeds} seeds")
axes[0].legend(fontsize=8)
fig.tight_layout()
plt.show()
_ = plots.save(fig, "11_ring_r1_ttur")

# %% [markdown]
# The sweep says for networks what the Dirac-GAN said for two numbers: the penalty that vanishes at the
# equilibrium damps the rotation. A faster discriminator changes less: its samples sit closer to the modes
# (the high-quality column; the checklist below states it against the plain recipe), but compare the column of
# seeds with all eight modes: the time-scales alone do not do what the penalty does. R1 costs a second backward pass per
# D step (the seconds column). Mescheder et al. show R1 on 2D mixtures only as pictures, and the TTUR paper measures FID
# on images, so there is no number of theirs to compare on this protocol; the full profile trains 64 seeds for 5,000
# steps.
#
# ## Exercises
# **1. The critical gamma.** With R1 the Jacobian at the equilibrium is
# $J = \begin{pmatrix}0 & -a\\ a & -\gamma\end{pmatrix}$, $a = f'(0)$. For which $\gamma$ do the two eigenvalues
# meet (become real and equal)? Give it for the GAN ($a = \tfrac12$) and for a WGAN-style $f(t) = t$ ($a = 1$).

# %%
answer_gan, answer_wgan = None, None  # your answers
if answer_gan is not None:
    check_answer([answer_gan, answer_wgan], [1.0, 2.0], tol=1e-6, hint="the discriminant gamma^2/4 - a^2 vanishes")

# %% [markdown]
# <details><summary>Solution</summary>
#
# $\det(J - \lambda I) = \lambda^2 + \gamma\lambda + a^2 = 0$, so
# $\lambda = -\tfrac\gamma2 \pm \sqrt{\tfrac{\gamma^2}4 - a^2}$:
# the eigenvalues meet when $\gamma = 2a$, i.e. $\gamma = 1$ for the GAN and $\gamma = 2$ for $f(t) = t$.
# Check: `games.dirac_eigenvalues(r1=1.0)` and `games.dirac_eigenvalues(loss="wgan", r1=2.0)`.
# ```python
# check_answer([1.0, 2.0], [1.0, 2.0])
# ```
# </details>
#
# **2. Predict convergence from an eigenvalue.** R1 with $\gamma = 0.3$ has $\lambda = -0.15 \pm 0.477i$.
# Simultaneous steps multiply the error near the equilibrium by $\mu = 1 + h\lambda$. Compute $|\mu|$ for
# $h = 0.2$ and for $h = 1.5$, and say which step converges. Then check in the widget.

# %%
answer_mu_small, answer_mu_large = None, None  # your answers
if answer_mu_small is not None:
    lam = games.dirac_eigenvalues(r1=0.3)[0]
    check_answer([answer_mu_small, answer_mu_large], [abs(1 + 0.2 * lam), abs(1 + 1.5 * lam)], tol=1e-3,
                 hint="|1 + h lambda|^2 = (1 + h Re lambda)^2 + (h Im lambda)^2")

# %% [markdown]
# <details><summary>Solution</summary>
#
# $|1 + 0.2\lambda|^2 = 0.97^2 + 0.0954^2$, so $|\mu| = 0.9747 < 1$: converges (the table's 2.6e-6 after 500 steps,
# about $0.9747^{500}$). $|1 + 1.5\lambda|^2 = 0.775^2 + 0.7155^2$, $|\mu| = 1.0548 > 1$: diverges. In general,
# simultaneous steps converge when $h < -2\operatorname{Re}\lambda / |\lambda|^2 = 1.2$ here.
# </details>
#
# **3. Optimism for WGAN.** In the widget, pick WGAN with clipping and switch the rule from simultaneous to
# extragradient and optimistic. Which converge, and why does the bilinear game of section 2 predict it?
#
# **4. How fast should D be?** Re-run section 5's TTUR line with `lr_d=2e-3` and `lr_d=1e-2`. Does the median
# move monotonically with the ratio?

# %% [markdown]
# ## What we saw

# %%
final = {name: float(d[-1]) for name, d in distance.items()}
tail = {name: float(d[-100:].min()) for name, d in distance.items()}
converged = {name: final[name] < 1e-3 for name in cases}
bilinear_final = {rule: float(np.linalg.norm(path[-1])) for rule, path in bilinear.items()}
median = {name: float(c.modes_covered.float().median()) for name, c in coverage.items()}
all_modes = {name: int((c.modes_covered == 8).sum()) for name, c in coverage.items()}
high_quality = {name: float(c.high_quality.median()) for name, c in coverage.items()}
r1_same_rule = np.linalg.norm(games.trajectory("alternating", functools.partial(games.dirac_field, r1=1.0), (1, 1),
                                               h_dirac, steps_dirac, n_critic=5)[-1])
predicted = {name: max_mu[name] < 1 - 1e-6 for name in max_mu}  # |mu| = 1 (an orbit) does not converge
_ = what_we_saw([
    lesson("the bilinear game: extragradient and optimistic steps converge (distance < 0.05 after 1,000 steps)",
           held=max(bilinear_final["extragradient"], bilinear_final["optimistic"]) < 0.05,
           measured=f"extragradient {bilinear_final['extragradient']:.2g}, "
                    f"optimistic {bilinear_final['optimistic']:.2g}",
           baseline=f"simultaneous {bilinear_final['simultaneous']:.3g} (spirals out), "
                    f"alternating {bilinear_final['alternating']:.2f} (orbits)"),
    lesson("the Dirac-GAN: instance noise and R1 converge (distance < 1e-3 after 500 steps), "
           "the unregularised GAN does not",
           held=all(converged[n] for n in ("R1, gamma 0.3", "R1, gamma 1 (critical)", "instance noise, sigma 0.7"))
           and min(tail["unregularised, simultaneous"], tail["unregularised, alternating"]) > 1,
           measured=f"R1 0.3: {final['R1, gamma 0.3']:.2g}, R1 1: {final['R1, gamma 1 (critical)']:.2g}, "
                    f"noise 0.7: {final['instance noise, sigma 0.7']:.2g}",
           baseline=f"unregularised: simultaneous {final['unregularised, simultaneous']:.2f}, "
                    f"alternating {final['unregularised, alternating']:.2f}"),
    lesson("WGAN (clipping) and WGAN-GP with 5 critic steps do not converge (distance > 0.3 over the last 100 steps)",
           held=min(tail["WGAN, clip 1, 5 critic steps"], tail["WGAN-GP, weight 0.5, 5 critic steps"]) > 0.3,
           measured=f"WGAN {tail['WGAN, clip 1, 5 critic steps']:.2f}, "
                    f"WGAN-GP {tail['WGAN-GP, weight 0.5, 5 critic steps']:.2f}",
           baseline=f"R1 gamma 1 with the same 5 critic steps: {r1_same_rule:.2g}"),
    lesson("the update map's eigenvalues predict every Dirac-GAN run: max |mu| < 1 exactly where it converged",
           held=all(predicted[n] == converged[n] for n in predicted),
           measured=f"{sum(predicted[n] == converged[n] for n in predicted)}/{len(predicted)} agree",
           baseline=f"unregularised simultaneous: |mu| {max_mu['unregularised, simultaneous']:.4f}, "
                    f"distance {final['unregularised, simultaneous']:.2f}"),
    lesson(f"on the ring, R1 covers more modes than the plain recipe (median of {n_seeds} seeds, by >= 2)",
           held=median["R1 (gamma 1)"] >= median["plain"] + 2,
           measured=f"R1 median {median['R1 (gamma 1)']:.1f}/8, {all_modes['R1 (gamma 1)']}/{n_seeds} seeds with 8/8",
           baseline=f"plain median {median['plain']:.1f}/8, {all_modes['plain']}/{n_seeds} seeds with 8/8"),
    lesson(f"on the ring, TTUR's samples are sharper: a larger median share of high-quality samples than the "
           f"plain recipe's ({n_seeds} seeds, by >= 0.05)",
           held=high_quality["TTUR (lr_D = 4 lr_G)"] >= high_quality["plain"] + 0.05,
           measured=f"TTUR median {median['TTUR (lr_D = 4 lr_G)']:.1f}/8, "
                    f"median high quality {high_quality['TTUR (lr_D = 4 lr_G)']:.2f}",
           baseline=f"plain median {median['plain']:.1f}/8, median high quality {high_quality['plain']:.2f}"),
])
print(f"profile: {profile()}; {n_seeds} seeds, {size['steps']} generator steps")

# %% [markdown]
# **References.** Goodfellow et al. (2014), *Generative adversarial nets*; Korpelevich (1976), *The extragradient
# method*; Daskalakis, Ilyas, Syrgkanis and Zeng (2018), *Training GANs with optimism*; Mescheder, Nowozin and
# Geiger (2017), *The numerics of GANs* (consensus optimisation); Heusel et al. (2017), *GANs trained by a two
# time-scale update rule converge to a local Nash equilibrium*; Mescheder, Geiger and Nowozin (2018),
# *Which training methods for GANs do actually converge?*
