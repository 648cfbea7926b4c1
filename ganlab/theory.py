"""The theory behind GANs, computed: 1D densities, the optimal discriminator, the value function and
the divergences (KL, JS, Wasserstein-1), by numerical integration with scipy.

Densities. A density is anything with a `.pdf` method (a `ganlab.data.Mixture1D`, a frozen scipy
distribution such as `scipy.stats.norm(0, 1)` or `uniform(-1, 2)`) or a plain callable p(x) that
takes and returns numpy arrays. `density(p)` turns any of them into a callable p(x).

Integration range. Every integral runs over a stated range `support=(lo, hi)`. When it is not given
it is taken from the distributions themselves (mixture means +- 12 stds; a scipy distribution's
1e-14 and 1 - 1e-14 quantiles); a plain callable has no such range, so `support` is then required.
The densities must integrate to 1 over that range (to `mass_tol`), else a ValueError says what the
integral is: a density cut off by a too narrow range gives wrong divergences silently otherwise.

Units: natural logarithms throughout (nats), so JSD <= log 2 and V(G, D*) >= -log 4.

Never NaN: 0 log 0 = 0 (scipy.special.xlogy / rel_entr), D* = 1/2 where both densities are 0, and
KL(p || q) is +inf, deliberately, where p has mass that q does not.

Discrete distributions (probability vectors over the same outcomes): `kl_discrete`,
`jsd_discrete`, `wasserstein1_discrete`, and the parallel-lines example of the WGAN paper,
`parallel_lines(theta)`.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import integrate, special, stats

from .data.toy import Mixture1D, gaussian1d

LOG2 = math.log(2.0)
_QUAD = dict(limit=500, epsabs=1e-11, epsrel=1e-10)
_GRID = 4001  # points of the grid used to look for support mismatches and to check D's range


# ----------------------------------------------------------------------------------------------
# Densities and integration ranges
# ----------------------------------------------------------------------------------------------
def mixture(weights, means, stds) -> Mixture1D:
    """A 1D Gaussian mixture p(x) = sum_k w_k N(x; mu_k, sigma_k^2) (a `ganlab.data.Mixture1D`)."""
    return Mixture1D(tuple(map(float, weights)), tuple(map(float, means)), tuple(map(float, stds)))


def gaussian(mean: float = 0.0, std: float = 1.0) -> Mixture1D:
    """N(mean, std^2) as a one-component mixture: p(x) = exp(-(x-mu)^2 / (2 sigma^2)) / (sigma sqrt(2 pi))."""
    return gaussian1d(mean, std)


def uniform(lo: float, hi: float):
    """The uniform density on [lo, hi]: p(x) = 1 / (hi - lo) there, 0 elsewhere (a frozen scipy distribution)."""
    if not hi > lo:
        raise ValueError(f"uniform needs lo < hi, got lo={lo!r}, hi={hi!r}")
    return stats.uniform(loc=lo, scale=hi - lo)


def _mixture_terms(p: Mixture1D):
    """For a mixture, log(w_k / (sigma_k sqrt(2 pi))) and the component parameters, as arrays."""
    keep = [k for k, w in enumerate(p.weights) if w > 0]
    w, m, s = (np.array([v[k] for k in keep], dtype=float) for v in (p.weights, p.means, p.stds))
    return np.log(w) - np.log(s) - 0.5 * math.log(2 * math.pi), m, s


def density(p):
    """p as a callable x -> p(x) on numpy arrays: `p.pdf` for a scipy distribution, p itself for a
    callable, and for a Mixture1D the same sum_k w_k N(x; mu_k, sigma_k^2) in plain numpy (about 30x
    faster than its scipy `.pdf` on the scalar points where `quad` calls it: widgets need that)."""
    if isinstance(p, Mixture1D):
        log_c, m, s = _mixture_terms(p)

        def pdf(x):
            z = (np.asarray(x, dtype=float)[..., None] - m) / s
            return np.exp(log_c - 0.5 * z * z).sum(-1)
        return pdf
    if hasattr(p, "pdf"):
        return p.pdf
    if callable(p):
        return lambda x: np.asarray(p(np.asarray(x, dtype=float)), dtype=float)
    raise TypeError(f"a density must be a callable p(x) or have a .pdf method (Mixture1D, scipy.stats), "
                    f"got {type(p).__name__}")


def log_density(p):
    """log p(x) as a callable: `p.logpdf` where it exists (exact in the far tails; for a Mixture1D a
    numpy log-sum-exp of log w_k + log N(x; mu_k, sigma_k^2)), else log of the pdf."""
    if isinstance(p, Mixture1D):
        log_c, m, s = _mixture_terms(p)

        def logpdf(x):
            z = (np.asarray(x, dtype=float)[..., None] - m) / s
            a = log_c - 0.5 * z * z
            top = a.max(-1)
            return top + np.log(np.exp(a - top[..., None]).sum(-1))
        return logpdf
    if hasattr(p, "logpdf"):
        return p.logpdf
    pdf = density(p)

    def logpdf(x):
        with np.errstate(divide="ignore"):
            return np.log(pdf(x))
    return logpdf


def cdf(p, support=None):
    """The cumulative distribution F(x) = integral_{-inf}^x p(t) dt as a callable: exact for a
    Mixture1D (sum_k w_k Phi((x - mu_k) / sigma_k)) and a scipy distribution; by cumulative
    integration (scipy.integrate.cumulative_simpson on a fine grid over `support`) for a callable."""
    if isinstance(p, Mixture1D):
        w, m, s = (np.asarray(v, dtype=float) for v in (p.weights, p.means, p.stds))
        return lambda x: (w * special.ndtr((np.asarray(x, dtype=float)[..., None] - m) / s)).sum(-1)
    if hasattr(p, "cdf"):
        return p.cdf
    lo, hi = default_support(p, support=support)
    grid = np.linspace(lo, hi, 20_001)
    values = integrate.cumulative_simpson(density(p)(grid), x=grid, initial=0.0)
    return lambda x: np.interp(x, grid, values, left=0.0, right=values[-1])


def default_support(*dists, support=None) -> tuple[float, float]:
    """The integration range: `support` when given, else one that holds all the mass of the
    distributions (mixture means +- 12 stds; a scipy distribution's 1e-14 / 1 - 1e-14 quantiles)."""
    if support is not None:
        lo, hi = map(float, support)
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            raise ValueError(f"support must be a finite range (lo, hi) with lo < hi, got {support!r}")
        return lo, hi
    los, his = [], []
    for p in dists:
        if isinstance(p, Mixture1D):
            los.append(min(m - 12 * s for m, s in zip(p.means, p.stds)))
            his.append(max(m + 12 * s for m, s in zip(p.means, p.stds)))
        elif hasattr(p, "ppf"):
            los.append(float(p.ppf(1e-14)))
            his.append(float(p.isf(1e-14)))
        else:
            raise ValueError("a plain callable density has no known range: pass support=(lo, hi)")
    return min(los), max(his)


def _breakpoints(dists, lo: float, hi: float) -> list[float] | None:
    """Points where the integrand changes fast (mixture means +- 3 stds, a scipy distribution's
    support ends), so `quad` does not step over a narrow bump."""
    pts = []
    for p in dists:
        if isinstance(p, Mixture1D):
            pts += [m + k * s for m, s in zip(p.means, p.stds) for k in (-3, -1, 0, 1, 3)]
        elif hasattr(p, "support"):
            pts += [float(v) for v in p.support()] + [float(p.mean())]
    pts = sorted({v for v in pts if lo < v < hi})
    return pts or None


def integrate_1d(f, lo: float, hi: float, points=None) -> float:
    """integral_lo^hi f(x) dx with scipy.integrate.quad (adaptive Gauss-Kronrod), splitting at `points`."""
    with warnings.catch_warnings():
        # the tolerance asked is near double precision; quad's "roundoff" warning then says only
        # that it cannot do better, which is still ~1e-12 here
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        value, _ = integrate.quad(lambda x: float(f(x)), lo, hi, points=points, **_QUAD)
    return value


def mass(p, support=None) -> float:
    """integral_support p(x) dx: 1 for a density whose mass the range holds."""
    lo, hi = default_support(p, support=support)
    return integrate_1d(density(p), lo, hi, _breakpoints([p], lo, hi))


def check_density(p, support=None, name: str = "p", mass_tol: float = 1e-3) -> None:
    """Raise a ValueError unless p >= 0 and integral_support p(x) dx = 1 (to `mass_tol`)."""
    lo, hi = default_support(p, support=support)
    values = density(p)(np.linspace(lo, hi, _GRID))
    if np.any(~np.isfinite(values)) or np.any(values < 0):
        raise ValueError(f"{name} is not a density on [{lo:g}, {hi:g}]: it has negative or non-finite values")
    total = mass(p, (lo, hi))
    if abs(total - 1.0) > mass_tol:
        raise ValueError(f"{name} integrates to {total:.6g} over [{lo:g}, {hi:g}], not 1: normalise it, or "
                         "widen `support` if its mass lies outside")


def _prepare(dists, names, support, check: bool):
    lo, hi = default_support(*dists, support=support)
    if check:
        for p, name in zip(dists, names):
            check_density(p, (lo, hi), name)
    return lo, hi, _breakpoints(dists, lo, hi)


# ----------------------------------------------------------------------------------------------
# The optimal discriminator and the value function
# ----------------------------------------------------------------------------------------------
def optimal_discriminator(p_data, p_g):
    """The optimal discriminator for a fixed generator, as a callable x -> D*(x):

        D*(x) = p_data(x) / (p_data(x) + p_g(x)) = sigmoid(log p_data(x) - log p_g(x)),

    the pointwise maximiser of p_data(x) log D + p_g(x) log(1 - D). Computed from log densities
    (exact where both densities underflow in the far tails); where both are 0, D*(x) = 1/2 (no data
    tells the two apart there), never NaN. Works for any shape of x the densities accept (1D points,
    or a grid of 2D points with 2D density callables)."""
    log_pd, log_pg = log_density(p_data), log_density(p_g)

    def d_star(x):
        a, b = np.asarray(log_pd(x), dtype=float), np.asarray(log_pg(x), dtype=float)
        with np.errstate(invalid="ignore"):
            diff = a - b  # NaN exactly where both are log 0 = -inf
        return np.where(np.isnan(diff), 0.5, special.expit(diff))

    def log_d_star(x):
        """(log D*(x), log(1 - D*(x))) = (log_expit(diff), log_expit(-diff)): finite in the far
        tails, where D* itself rounds to exactly 0 or 1."""
        a, b = np.asarray(log_pd(x), dtype=float), np.asarray(log_pg(x), dtype=float)
        with np.errstate(invalid="ignore"):
            diff = np.where(np.isneginf(a) & np.isneginf(b), 0.0, a - b)
        return special.log_expit(diff), special.log_expit(-diff)

    d_star.log_parts = log_d_star  # used by value_function for an exact V(G, D*)
    return d_star


def value_function(p_data, p_g, D, support=None, check: bool = True) -> float:
    """The GAN value function for a discriminator D (a callable x -> D(x) in [0, 1]):

        V(G, D) = E_{x ~ p_data}[log D(x)] + E_{x ~ p_g}[log(1 - D(x))]
                = integral p_data(x) log D(x) + p_g(x) log(1 - D(x)) dx,

    integrated over `support` (0 log 0 = 0). It is -inf, deliberately, when D(x) = 0 where p_data
    has mass (or D(x) = 1 where p_g has). With D = D*, V(G, D*) = -log 4 + 2 JSD(p_data || p_g)."""
    lo, hi, points = _prepare((p_data, p_g), ("p_data", "p_g"), support, check)
    grid_d = np.asarray(D(np.linspace(lo, hi, _GRID)), dtype=float)
    if np.any(~(grid_d >= 0) | ~(grid_d <= 1)):
        raise ValueError(f"D must take values in [0, 1]; on [{lo:g}, {hi:g}] it ranges over "
                         f"[{np.nanmin(grid_d):.3g}, {np.nanmax(grid_d):.3g}] (NaN: {bool(np.isnan(grid_d).any())})")
    pd, pg = density(p_data), density(p_g)

    def integrand(x):
        if hasattr(D, "log_parts"):  # D* from optimal_discriminator: log D, log(1 - D) exactly
            log_d, log_1md = D.log_parts(x)
            px, gx = pd(x), pg(x)
            return np.where(px > 0, px * log_d, 0.0) + np.where(gx > 0, gx * log_1md, 0.0)
        d = D(x)
        return special.xlogy(pd(x), d) + special.xlogy(pg(x), 1.0 - d)
    with np.errstate(divide="ignore"):
        grid = np.linspace(lo, hi, _GRID)
        if np.isneginf(integrand(grid)).any():
            return -math.inf
        return integrate_1d(integrand, lo, hi, points)


# ----------------------------------------------------------------------------------------------
# Divergences between densities
# ----------------------------------------------------------------------------------------------
def kl(p, q, support=None, check: bool = True) -> float:
    """The Kullback-Leibler divergence, in nats:

        KL(p || q) = integral p(x) log(p(x) / q(x)) dx      (0 log 0 = 0),

    integrated over `support`. It is +inf, deliberately, when p has mass where q has none (a
    support mismatch, looked for on a fine grid of the range and in the integral): that is the
    true value, and the point of the lesson it serves. Asymmetric: KL(p || q) != KL(q || p)."""
    lo, hi, points = _prepare((p, q), ("p", "q"), support, check)
    pdf_p, log_p, log_q = density(p), log_density(p), log_density(q)

    def integrand(x):
        px = pdf_p(x)
        with np.errstate(invalid="ignore"):
            return np.where(px > 0, px * (log_p(x) - log_q(x)), 0.0)
    if np.isposinf(integrand(np.linspace(lo, hi, _GRID))).any():
        return math.inf
    value = integrate_1d(integrand, lo, hi, points)
    return math.inf if not math.isfinite(value) else max(value, 0.0)


def jsd(p, q, support=None, check: bool = True) -> float:
    """The Jensen-Shannon divergence, in nats, with M = (p + q) / 2:

        JSD(p || q) = 1/2 KL(p || M) + 1/2 KL(q || M),   0 <= JSD <= log 2,

    integrated over `support` (scipy.special.rel_entr, so 0 log 0 = 0). Symmetric, always finite, and
    exactly log 2 when p and q have disjoint supports."""
    lo, hi, points = _prepare((p, q), ("p", "q"), support, check)
    pdf_p, pdf_q = density(p), density(q)

    def integrand(x):
        px, qx = pdf_p(x), pdf_q(x)
        m = 0.5 * (px + qx)
        return 0.5 * special.rel_entr(px, m) + 0.5 * special.rel_entr(qx, m)
    return float(np.clip(integrate_1d(integrand, lo, hi, points), 0.0, LOG2))


def wasserstein1(p, q, support=None, check: bool = True) -> float:
    """The Wasserstein-1 (earth mover's) distance between two 1D densities, by the CDF formula:

        W1(p, q) = inf_{gamma in Pi(p, q)} E_{(x, y) ~ gamma} |x - y| = integral |F_p(x) - F_q(x)| dx,

    integrated over `support`. For samples use `wasserstein1_from_samples`."""
    lo, hi, points = _prepare((p, q), ("p", "q"), support, check)
    F, G = cdf(p, (lo, hi)), cdf(q, (lo, hi))
    return integrate_1d(lambda x: abs(F(x) - G(x)), lo, hi, points)


def kl_gaussians(mu1: float, sigma1: float, mu2: float, sigma2: float) -> float:
    """KL(N(mu1, sigma1^2) || N(mu2, sigma2^2)) in closed form:

        log(sigma2 / sigma1) + (sigma1^2 + (mu1 - mu2)^2) / (2 sigma2^2) - 1/2."""
    if sigma1 <= 0 or sigma2 <= 0:
        raise ValueError(f"standard deviations must be positive, got sigma1={sigma1!r}, sigma2={sigma2!r}")
    return math.log(sigma2 / sigma1) + (sigma1**2 + (mu1 - mu2) ** 2) / (2 * sigma2**2) - 0.5


# ----------------------------------------------------------------------------------------------
# From samples
# ----------------------------------------------------------------------------------------------
def _samples(x, name: str) -> np.ndarray:
    if hasattr(x, "detach"):
        x = x.detach().cpu().numpy()
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1D array of samples (or shape (n, 1)), got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} holds non-finite samples")
    return arr


def histograms(x, y, bins: int = 50, support=None) -> tuple[np.ndarray, np.ndarray]:
    """Two samples binned on common bins (np.histogram over `support`, else their joint range),
    as probability vectors."""
    x, y = _samples(x, "x"), _samples(y, "y")
    lo, hi = (min(x.min(), y.min()), max(x.max(), y.max())) if support is None else default_support(support=support)
    hx, _ = np.histogram(x, bins=bins, range=(lo, hi))
    hy, _ = np.histogram(y, bins=bins, range=(lo, hi))
    return hx / hx.sum(), hy / hy.sum()


def kl_from_samples(x, y, bins: int = 50, support=None) -> float:
    """The plug-in estimate of KL(p || q) from samples x ~ p, y ~ q: KL between their histograms on
    common bins. +inf when a bin holds x but no y (the estimate sees a support mismatch). Biased;
    for teaching, not for measurement."""
    return kl_discrete(*histograms(x, y, bins, support))


def jsd_from_samples(x, y, bins: int = 50, support=None) -> float:
    """The plug-in estimate of JSD(p || q) from samples x ~ p, y ~ q: JSD between their histograms
    on common bins (bounded by log 2, always finite)."""
    return jsd_discrete(*histograms(x, y, bins, support))


def wasserstein1_from_samples(x, y) -> float:
    """W1 between the empirical distributions of two 1D samples, exactly
    (scipy.stats.wasserstein_distance: integral |F_x - F_y| of the empirical CDFs)."""
    return float(stats.wasserstein_distance(_samples(x, "x"), _samples(y, "y")))


# ----------------------------------------------------------------------------------------------
# Discrete distributions
# ----------------------------------------------------------------------------------------------
def _probabilities(p, name: str) -> np.ndarray:
    arr = np.asarray(p, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1D probability vector, got shape {arr.shape}")
    if np.any(~np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be non-negative and finite, got {arr}")
    if not math.isclose(arr.sum(), 1.0, abs_tol=1e-6):
        raise ValueError(f"{name} must sum to 1, it sums to {arr.sum():.6g}")
    return arr


def _pair(p, q):
    p, q = _probabilities(p, "p"), _probabilities(q, "q")
    if p.shape != q.shape:
        raise ValueError(f"p and q must be over the same outcomes, got lengths {p.size} and {q.size}")
    return p, q


def kl_discrete(p, q) -> float:
    """KL(p || q) = sum_i p_i log(p_i / q_i) for probability vectors (scipy.special.rel_entr):
    +inf, deliberately, when some p_i > 0 has q_i = 0."""
    p, q = _pair(p, q)
    return float(special.rel_entr(p, q).sum())


def jsd_discrete(p, q) -> float:
    """JSD(p || q) = 1/2 KL(p || m) + 1/2 KL(q || m), m = (p + q) / 2, for probability vectors:
    in [0, log 2], log 2 exactly for disjoint supports."""
    p, q = _pair(p, q)
    m = 0.5 * (p + q)
    return float(0.5 * special.rel_entr(p, m).sum() + 0.5 * special.rel_entr(q, m).sum())


def total_variation_discrete(p, q) -> float:
    """delta(p, q) = sup_A |p(A) - q(A)| = 1/2 sum_i |p_i - q_i| for probability vectors."""
    p, q = _pair(p, q)
    return float(0.5 * np.abs(p - q).sum())


def wasserstein1_discrete(values_p, p, values_q, q) -> float:
    """W1 between two discrete distributions on the real line, P = sum_i p_i delta(values_p[i]) and
    Q = sum_j q_j delta(values_q[j]) (scipy.stats.wasserstein_distance with weights)."""
    p, q = _probabilities(p, "p"), _probabilities(q, "q")
    return float(stats.wasserstein_distance(values_p, values_q, u_weights=p, v_weights=q))


def parallel_lines(theta: float) -> dict[str, float]:
    """The parallel-lines example (Arjovsky et al., 2017, Example 1). Z ~ U[0, 1];
    P_0 is the law of (0, Z), P_theta the law of (theta, Z): two vertical segments in the plane.

    Both have the same law of the second coordinate, so every divergence is that between the laws of
    the first coordinate, the point masses delta_0 and delta_theta (outcomes {0, theta}):
        KL(P_0 || P_theta) = KL(P_theta || P_0) = +inf if theta != 0, else 0
        JSD(P_0 || P_theta) = log 2                 if theta != 0, else 0
        delta(P_0, P_theta)  = 1 (total variation)  if theta != 0, else 0
        W1(P_0, P_theta)     = |theta|
    Only W1 is continuous in theta, and gives a gradient that points theta back to 0.
    Returns {'kl', 'kl_reverse', 'jsd', 'tv', 'w1'} computed with the discrete functions above."""
    theta = float(theta)
    if not math.isfinite(theta):
        raise ValueError(f"theta must be a finite number, got {theta!r}")
    p0, p_theta = (np.array([1.0]), np.array([1.0])) if theta == 0 else (np.array([1.0, 0.0]), np.array([0.0, 1.0]))
    return {"kl": kl_discrete(p0, p_theta), "kl_reverse": kl_discrete(p_theta, p0),
            "jsd": jsd_discrete(p0, p_theta), "tv": total_variation_discrete(p0, p_theta),
            "w1": wasserstein1_discrete([0.0], [1.0], [theta], [1.0])}


def parallel_lines_sample(theta: float, n: int, generator=None):
    """n points of P_0 and of P_theta (two (n, 2) float32 tensors): (0, z) and (theta, z), z ~ U[0, 1]."""
    import torch

    z0, z1 = torch.rand(n, generator=generator), torch.rand(n, generator=generator)
    return torch.stack([torch.zeros(n), z0], 1), torch.stack([torch.full((n,), float(theta)), z1], 1)
