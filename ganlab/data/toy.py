"""Data the course trains on, all of it available offline.

Toy 2D distributions follow the WGAN-GP paper's toy code (Gulrajani et al., 2017), so results
compare with the literature:
  8gaussians   8 modes on a circle of radius 2, std 0.02, then everything divided by 1.414
  25gaussians  a 5x5 grid at (2i, 2j), i, j in -2..2, std 0.05, then everything divided by 2.828
  swissroll    scikit-learn's make_swiss_roll (noise 0.25), coordinates (x, z), divided by 7.5
Each `ToyDistribution` exposes its mode centres and their spread, which the metrics use.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from scipy import stats

from ..checks import positive_int

TOY_NAMES = ("8gaussians", "25gaussians", "swissroll")


def _check_n(n) -> int:
    return positive_int("n", n, what="integer number of samples")


@dataclass(frozen=True)
class ToyDistribution:
    """A 2D distribution to sample from. For the mixtures, `centers` (K x 2) and `std` describe
    the modes; for the Swiss roll they are None."""

    name: str
    centers: torch.Tensor | None
    std: float | None
    scale: float  # the divisor applied after sampling, as in the WGAN-GP toy code

    def sample(self, n: int, generator: torch.Generator | None = None, device=None) -> torch.Tensor:
        """n samples as a float32 tensor of shape (n, 2) on `device`."""
        n = _check_n(n)
        if self.name == "swissroll":
            return _swiss_roll(n, generator).to(device)
        idx = torch.randint(len(self.centers), (n,), generator=generator)
        raw_std = self.std * self.scale
        points = self.centers[idx] * self.scale + raw_std * torch.randn(n, 2, generator=generator)
        return (points / self.scale).to(device)

    def density(self, xy: torch.Tensor) -> torch.Tensor:
        """The mixture's density at points xy (..., 2): equal weights, isotropic Gaussians."""
        if self.centers is None:
            raise ValueError(f"{self.name!r} has no closed-form density; use samples (e.g. a histogram)")
        d2 = ((xy[..., None, :] - self.centers.to(xy)) ** 2).sum(-1)
        comp = torch.exp(-d2 / (2 * self.std**2)) / (2 * math.pi * self.std**2)
        return comp.mean(-1)

    @property
    def n_modes(self) -> int:
        return 0 if self.centers is None else len(self.centers)


def _swiss_roll(n: int, generator: torch.Generator | None) -> torch.Tensor:
    # make_swiss_roll: t = 1.5 pi (1 + 2u), (x, z) = t (cos t, sin t), plus N(0, 0.25^2) noise.
    # Written with torch's generator so the seed controls it like every other sampler.
    t = 1.5 * math.pi * (1 + 2 * torch.rand(n, generator=generator))
    xz = torch.stack([t * torch.cos(t), t * torch.sin(t)], dim=1)
    xz = xz + 0.25 * torch.randn(n, 2, generator=generator)
    return xz / 7.5


def toy(name: str) -> ToyDistribution:
    """One of the toy 2D distributions: '8gaussians', '25gaussians' or 'swissroll'."""
    if name == "8gaussians":
        s = 1 / math.sqrt(2)
        unit = torch.tensor([(1, 0), (-1, 0), (0, 1), (0, -1), (s, s), (s, -s), (-s, s), (-s, -s)])
        return ToyDistribution(name, 2.0 * unit / 1.414, 0.02 / 1.414, 1.414)
    if name == "25gaussians":
        grid = torch.tensor([(2.0 * i, 2.0 * j) for i in range(-2, 3) for j in range(-2, 3)])
        return ToyDistribution(name, grid / 2.828, 0.05 / 2.828, 2.828)
    if name == "swissroll":
        return ToyDistribution(name, None, None, 7.5)
    raise ValueError(f"unknown toy distribution {name!r}; choose one of {', '.join(map(repr, TOY_NAMES))}")


@dataclass(frozen=True)
class Mixture1D:
    """A 1D Gaussian mixture, for the theory notebooks: p(x) = sum_k w_k N(x; mu_k, sigma_k^2)."""

    weights: tuple[float, ...]
    means: tuple[float, ...]
    stds: tuple[float, ...]

    def __post_init__(self):
        if not (len(self.weights) == len(self.means) == len(self.stds)) or not self.weights:
            raise ValueError("weights, means and stds must be non-empty and of equal length")
        if any(w < 0 for w in self.weights) or not math.isclose(sum(self.weights), 1.0, abs_tol=1e-9):
            raise ValueError(f"weights must be non-negative and sum to 1, got {self.weights}")
        if any(s <= 0 for s in self.stds):
            raise ValueError(f"stds must be positive, got {self.stds}")

    def pdf(self, x):
        x = np.asarray(x, dtype=float)
        return sum(w * stats.norm.pdf(x, m, s) for w, m, s in zip(self.weights, self.means, self.stds))

    def logpdf(self, x):
        x = np.asarray(x, dtype=float)
        comps = [np.log(w) + stats.norm.logpdf(x, m, s)
                 for w, m, s in zip(self.weights, self.means, self.stds) if w > 0]
        return np.logaddexp.reduce(np.stack(comps), axis=0)

    def sample(self, n: int, generator: torch.Generator | None = None, device=None) -> torch.Tensor:
        """n samples as a float32 tensor of shape (n, 1)."""
        n = _check_n(n)
        idx = torch.multinomial(torch.tensor(self.weights, dtype=torch.float), n, replacement=True, generator=generator)
        mu, sd = torch.tensor(self.means)[idx], torch.tensor(self.stds)[idx]
        return (mu + sd * torch.randn(n, generator=generator)).float().unsqueeze(1).to(device)


def gaussian1d(mean: float = 0.0, std: float = 1.0) -> Mixture1D:
    """A single Gaussian as a one-component `Mixture1D`."""
    return Mixture1D((1.0,), (float(mean),), (float(std),))
