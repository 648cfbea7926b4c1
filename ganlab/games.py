"""Two-player games and the update rules that play them (notebook 11, GANs as games).

A game's *vector field* is v(p) = (-grad_x V, +grad_y V) at p = (x, y): the first player (the generator)
descends V, the second (the discriminator) ascends it. An update rule turns the field into steps of size h.
The fields work on NumPy arrays of shape [..., 2] (a point, or a grid for a quiver plot); the update rules
take any such field. `dirac_value` writes the Dirac-GAN's objective in torch, so autograd gives the same
field (`autograd_field`) and its Jacobian (`jacobian`) as a check of the closed forms below.

Games
  bilinear      V(x, y) = x y,  v = (-y, x)                        (equilibrium (0, 0), eigenvalues +-i)
  Dirac-GAN     p_data = delta_0, G = delta_theta, D(x) = psi x (Mescheder, Geiger and Nowozin, 2018):
                V(theta, psi) = f(psi theta) + f(0),  f(t) = -log(1 + e^-t),  f'(t) = sigmoid(-t),
                v = (-psi f'(psi theta), theta f'(psi theta)),  J(0, 0) = [[0, -1/2], [1/2, 0]]
"""
from __future__ import annotations

import math

import numpy as np
import torch

RULES = ("simultaneous", "alternating", "extragradient", "optimistic")
LOSSES = ("gan", "wgan")
_NODES, _WEIGHTS = np.polynomial.hermite.hermgauss(20)  # Gauss-Hermite: E g(eps), eps ~ N(0, sigma^2)


def bilinear_field(p):
    """The bilinear game min_x max_y V = x y:  v(x, y) = (-dV/dx, dV/dy) = (-y, x)."""
    p = np.asarray(p, dtype=float)
    return _pair(-p[..., 1], p[..., 0])


def f_prime(t, loss: str = "gan"):
    """f'(t) of the Dirac-GAN's objective: sigmoid(-t) for the GAN's f(t) = -log(1 + e^-t), 1 for WGAN's f(t) = t."""
    if loss == "gan":
        return 0.5 * (1 - np.tanh(np.asarray(t, dtype=float) / 2))  # sigmoid(-t), without overflow
    _check_loss(loss)
    return np.ones_like(t, dtype=float)


def f_second(t, loss: str = "gan"):
    """f''(t) = -sigmoid(t) sigmoid(-t) for the GAN (f''(0) = -1/4), 0 for WGAN."""
    s = f_prime(t, loss)
    return -s * (1 - s) if loss == "gan" else np.zeros_like(s)


def dirac_field(p, *, loss: str = "gan", r1: float = 0.0, noise: float = 0.0, gp: float = 0.0, consensus: float = 0.0):
    """The Dirac-GAN's vector field at p = (theta, psi), with the regularisers of Mescheder et al. (2018):

        plain            v = (-psi f'(psi theta),  theta f'(psi theta))
        R1 (gamma = r1)  D also minimises (gamma/2) |grad_x D(0)|^2 = (gamma/2) psi^2:   v_psi -= gamma psi
        instance noise   x + eps, eps ~ N(0, noise^2), on real and fake: V = E f(psi (theta + eps)) + E f(-psi eps)
                         v = (-psi E f'(psi(theta+eps)),  E (theta+eps) f'(psi(theta+eps)) - E eps f'(-psi eps))
        WGAN-GP          D also minimises (gp/2) (|psi| - 1)^2:     v_psi -= gp (|psi| - 1) sign(psi)
        consensus        v - c grad (|v|^2 / 2) = v - c J^T v     (Mescheder, Nowozin and Geiger, 2017)

    `loss='wgan'` sets f(t) = t (f' = 1). Expectations over eps use 20-point Gauss-Hermite quadrature.
    """
    _check_loss(loss)
    for name, value in (("r1", r1), ("noise", noise), ("gp", gp), ("consensus", consensus)):
        if not value >= 0:
            raise ValueError(f"{name} must be >= 0, got {value!r}")
    if consensus and (noise or gp):
        raise ValueError("consensus is implemented for the plain and R1 fields; set noise=0 and gp=0")
    p = np.asarray(p, dtype=float)
    theta, psi = p[..., 0], p[..., 1]
    if noise:
        eps = (math.sqrt(2) * noise * _NODES).reshape((-1,) + (1,) * theta.ndim)
        w = (_WEIGHTS / math.sqrt(math.pi)).reshape(eps.shape)
        fake = theta + eps
        v_theta = -psi * (w * f_prime(psi * fake, loss)).sum(0)
        v_psi = (w * fake * f_prime(psi * fake, loss)).sum(0) - (w * eps * f_prime(-psi * eps, loss)).sum(0)
    else:
        a = f_prime(psi * theta, loss)
        v_theta, v_psi = -psi * a, theta * a
    v_psi = v_psi - r1 * psi - gp * (np.abs(psi) - 1) * np.sign(psi)
    if consensus:
        a, b = f_prime(psi * theta, loss), f_second(psi * theta, loss)
        # J = [[dv_theta/dtheta, dv_theta/dpsi], [dv_psi/dtheta, dv_psi/dpsi]] of the plain + R1 field
        j11, j12 = -psi**2 * b, -a - psi * theta * b
        j21, j22 = a + psi * theta * b, theta**2 * b - r1
        v_theta, v_psi = (v_theta - consensus * (j11 * v_theta + j21 * v_psi),
                          v_psi - consensus * (j12 * v_theta + j22 * v_psi))
    return _pair(v_theta, v_psi)


def _pair(a, b) -> np.ndarray:
    """(a, b) stacked on a last axis; for one point a plain array (np.stack costs more than the field itself)."""
    return np.array([a, b]) if np.ndim(a) == 0 else np.stack([a, b], axis=-1)


def dirac_value(theta: torch.Tensor, psi: torch.Tensor, *, loss: str = "gan", r1: float = 0.0, noise: float = 0.0,
                gp: float = 0.0):
    """The Dirac-GAN's objectives in torch: (V_G, V_D), G minimising V_G and D maximising V_D.

        V_G = E f(psi (theta + eps)),   V_D = V_G + E f(-psi eps) - (r1/2) psi^2 - (gp/2) (|psi| - 1)^2

    f(t) = -log(1 + e^-t) = logsigmoid(t) for the GAN, f(t) = t for WGAN; eps ~ N(0, noise^2) by quadrature.
    """
    _check_loss(loss)
    f = torch.nn.functional.logsigmoid if loss == "gan" else (lambda t: t)
    eps = torch.as_tensor(math.sqrt(2) * noise * _NODES if noise else np.zeros(1), dtype=theta.dtype)
    w = torch.as_tensor(_WEIGHTS / math.sqrt(math.pi) if noise else np.ones(1), dtype=theta.dtype)
    v_g = (w * f(psi * (theta + eps))).sum()
    v_d = v_g + (w * f(-psi * eps)).sum() - r1 / 2 * psi**2 - gp / 2 * (psi.abs() - 1) ** 2
    return v_g, v_d


def autograd_field(p: torch.Tensor, *, consensus: float = 0.0, **game) -> torch.Tensor:
    """The Dirac-GAN's field from its objectives by autograd: v = (-dV_G/dtheta, dV_D/dpsi) at p = (theta, psi);
    with consensus c, v - c grad(|v|^2 / 2) (a second autograd pass). `game` goes to `dirac_value`."""
    p = p if p.requires_grad else p.detach().clone().requires_grad_(True)
    v_g, v_d = dirac_value(p[0], p[1], **game)
    (g_theta,) = torch.autograd.grad(v_g, p, create_graph=True)
    (g_psi,) = torch.autograd.grad(v_d, p, create_graph=True)
    v = torch.stack([-g_theta[0], g_psi[1]])
    if consensus:
        (grad_norm,) = torch.autograd.grad(0.5 * v.pow(2).sum(), p, create_graph=True)
        v = v - consensus * grad_norm
    return v


def jacobian(p, **game) -> np.ndarray:
    """J = dv/dp of the Dirac-GAN's field at p by autograd (torch.func.jacrev of `autograd_field`), float64."""
    point = torch.as_tensor(np.asarray(p, dtype=float), dtype=torch.float64)
    return torch.func.jacrev(lambda q: autograd_field(q, **game))(point).detach().numpy()


def eigenvalues_2x2(j) -> np.ndarray:
    """Eigenvalues of a real 2x2 matrix in closed form: lambda = tr/2 +- sqrt(tr^2/4 - det) (complex)."""
    j = np.asarray(j, dtype=float)
    tr, det = j[0, 0] + j[1, 1], j[0, 0] * j[1, 1] - j[0, 1] * j[1, 0]
    root = np.sqrt(complex(tr**2 / 4 - det))
    return np.array([tr / 2 + root, tr / 2 - root])


def dirac_equilibrium_jacobian(*, loss: str = "gan", r1: float = 0.0, noise: float = 0.0, consensus: float = 0.0):
    """J at the equilibrium (0, 0) in closed form, with a = f'(0) (1/2 GAN, 1 WGAN) and f''(0) (-1/4, 0):

        J = [[0, -a], [a, b]],  b = 2 f''(0) noise^2 - r1;   consensus c:  J - c J^T J
    (the WGAN-GP penalty has no derivative at psi = 0, so it has no closed form here).
    """
    a, b = float(f_prime(0.0, loss)), 2 * float(f_second(0.0, loss)) * noise**2 - r1
    j = np.array([[0.0, -a], [a, b]])
    return j - consensus * j.T @ j


def dirac_eigenvalues(**game) -> np.ndarray:
    """The eigenvalues of the Dirac-GAN's Jacobian at the equilibrium, closed form (R1 gamma: -gamma/2 +-
    sqrt(gamma^2/4 - 1/4); instance noise sigma: f''(0) sigma^2 +- sqrt(f''(0)^2 sigma^4 - f'(0)^2))."""
    return eigenvalues_2x2(dirac_equilibrium_jacobian(**game))


def step(rule: str, field, state, h: float, *, n_critic: int = 1, clip: float | None = None):
    """One update of size h. `state` is p = (x, y) ([2]), or for 'optimistic' (p, v(p_prev)) ([4]):

        simultaneous   p <- p + h v(p)
        alternating    y <- y + h v_y(x, y)  (n_critic times: D first, as in Algorithm 1), then x <- x + h v_x(x, y)
        extragradient  p_half = p + h v(p);  p <- p + h v(p_half)              (Korpelevich, 1976)
        optimistic     p <- p + 2h v(p) - h v(p_prev)                          (Daskalakis et al., 2018)

    `clip` projects the second player (the critic's psi) onto [-clip, clip] after each of its updates (WGAN).
    """
    _check_rule(rule)
    s = np.array(state, dtype=float)
    project = (lambda q: np.clip(q, -clip, clip)) if clip is not None else (lambda q: q)
    if rule == "simultaneous":
        p = s + h * field(s)
        p[1] = project(p[1])
        return p
    if rule == "alternating":
        for _ in range(n_critic):
            s[1] = project(s[1] + h * field(s)[1])
        s[0] = s[0] + h * field(s)[0]
        return s
    if rule == "extragradient":
        half = s + h * field(s)
        half[1] = project(half[1])
        p = s + h * field(half)
        p[1] = project(p[1])
        return p
    p, v_prev = s[:2], s[2:]
    v = field(p)
    new = p + 2 * h * v - h * v_prev
    new[1] = project(new[1])
    return np.concatenate([new, v])


def trajectory(rule: str, field, p0, h: float, steps: int, **kwargs) -> np.ndarray:
    """The points p_0, p_1, ..., p_steps of `rule` on `field` from p0: array [steps + 1, 2].
    Optimistic starts with v(p_prev) = v(p_0) (its first step is a plain one)."""
    _check_rule(rule)
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    state = np.asarray(p0, dtype=float)
    if rule == "optimistic":
        state = np.concatenate([state, field(state)])
    points = [state[:2]]
    for _ in range(steps):
        state = step(rule, field, state, h, **kwargs)
        points.append(state[:2])
    return np.stack(points)


def update_eigenvalues(rule: str, field, h: float, eps: float = 1e-6, **kwargs) -> np.ndarray:
    """Eigenvalues of the update map's Jacobian at the equilibrium (0, 0), by central differences. The rule
    converges locally when all have modulus < 1 (simultaneous: mu = 1 + h lambda for each lambda of J);
    |mu| = 1 up to rounding (1e-6 here) is an orbit, which does not converge."""
    dim = 4 if rule == "optimistic" else 2
    zero = np.zeros(dim)
    cols = [(step(rule, field, zero + eps * e, h, **kwargs) - step(rule, field, zero - eps * e, h, **kwargs))
            / (2 * eps) for e in np.eye(dim)]
    return np.linalg.eigvals(np.stack(cols, axis=1))


def _check_rule(rule: str) -> None:
    if rule not in RULES:
        raise ValueError(f"unknown update rule {rule!r}; choose one of {', '.join(map(repr, RULES))}")


def _check_loss(loss: str) -> None:
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(map(repr, LOSSES))}")
