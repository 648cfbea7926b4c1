"""Mode coverage of a 2D Gaussian mixture: the protocol of VEEGAN and PacGAN.

Srivastava et al. (2017, VEEGAN) and Lin et al. (2018, PacGAN) judge a generator on the ring of
8 Gaussians and the 5x5 grid from a fixed number of generated samples (2,500):

    high quality   a sample is high quality when it lies within 3 standard deviations of the
                   nearest mode centre:      min_k ||x - c_k|| <= 3 sigma
    mode covered   a mode is covered when at least 1/5 of its expected share of the samples are
                   high-quality samples on it: count_k >= 0.2 * n / K   (PacGAN: "a mode is lost
                   if there are less than 20 generated samples registered to it, 1/5 of its
                   expected number, 100"; with 2,500 samples that is 20 on the grid, 62.5 on the ring)
    reverse KL     KL(q || p) between the histogram q of the samples' nearest modes and the
                   uniform mode weights p = 1/K (PacGAN's third number; 0 when every mode gets
                   its share, log K when all samples sit on one mode)

Beware of the scale: `ganlab.data.toy` follows the WGAN-GP toy code, whose modes are tight. The
ring has radius 2/1.414 = 1.414 and std 0.02/1.414 = 0.0141, so "3 std" is a disc of radius
0.042 around each centre (3% of the radius, the same ratio as PacGAN's ring: radius 1, std 0.01).
The grid has spacing 0.707 and std 0.05/2.828 = 0.0177: discs of radius 0.053. A generator whose
samples look like a good ring by eye can still score a low share of high-quality samples.

Everything works on one sample set (n, 2) or a batch of them (S, n, 2), one per seed of a sweep.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from ..data.toy import ToyDistribution
from ..nets.mode import evaluating

N_EVAL = 2_500  # samples per evaluation in VEEGAN / PacGAN
N_STD = 3.0  # a sample within 3 standard deviations of a centre is high quality
MIN_FRACTION = 0.2  # a mode is covered with >= 1/5 of its expected count of high-quality samples


@dataclass(frozen=True)
class ModeCoverage:
    """Mode-coverage results; leading dimensions follow the input (none for (n, 2), S for (S, n, 2))."""

    modes_covered: torch.Tensor  # (...) number of covered modes (int64)
    high_quality: torch.Tensor  # (...) share of samples within n_std std of their nearest centre
    reverse_kl: torch.Tensor  # (...) KL(nearest-mode histogram || uniform)
    counts: torch.Tensor  # (..., K) high-quality samples on each mode
    covered: torch.Tensor  # (..., K) bool, mode k covered
    n_modes: int

    def as_dict(self) -> dict[str, float]:
        """Plain floats for `History.add_metrics` (only for a single sample set)."""
        if self.modes_covered.ndim != 0:
            raise ValueError(f"as_dict needs the result of one sample set, "
                             f"got a batch of shape {tuple(self.modes_covered.shape)}")
        return {"modes_covered": float(self.modes_covered), "high_quality": float(self.high_quality),
                "reverse_kl": float(self.reverse_kl)}


def _centers_std(dist, std):
    if isinstance(dist, ToyDistribution):
        if dist.centers is None:
            raise ValueError(f"{dist.name!r} has no modes to cover; choose '8gaussians' or '25gaussians'")
        return dist.centers, float(dist.std) if std is None else float(std)
    if std is None:
        raise ValueError("pass std (the modes' standard deviation) along with raw centres")
    return torch.as_tensor(dist, dtype=torch.float32), float(std)


def nearest_mode(samples: torch.Tensor, centers: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(index, distance) of the nearest centre for each sample: samples (..., n, 2), centers (K, 2)."""
    d = torch.cdist(samples.float(), centers.to(samples.device, torch.float32).expand(*samples.shape[:-2], -1, -1))
    dist, idx = d.min(dim=-1)
    return idx, dist


@torch.no_grad()
def mode_coverage(samples: torch.Tensor, dist, *, std: float | None = None, n_std: float = N_STD,
                  min_fraction: float = MIN_FRACTION) -> ModeCoverage:
    """Modes covered, share of high-quality samples and reverse KL of samples (n, 2) or (S, n, 2).

    `dist` is a mixture from `ganlab.data.toy` (or raw centres (K, 2) with `std`). A sample x is
    high quality when min_k ||x - c_k|| <= n_std * std; mode k is covered when its high-quality
    count is >= min_fraction * n / K (see the module docstring for the protocol).
    """
    samples = torch.as_tensor(samples).detach()
    if samples.ndim not in (2, 3) or samples.shape[-1] != 2 or samples.shape[-2] == 0:
        raise ValueError(f"samples must have shape (n, 2) or (seeds, n, 2) with n > 0, got {tuple(samples.shape)}")
    if n_std <= 0:
        raise ValueError(f"n_std must be positive, got {n_std}")
    if not 0 < min_fraction <= 1:
        raise ValueError(f"min_fraction must be in (0, 1], got {min_fraction}")
    centers, std = _centers_std(dist, std)
    k, n = len(centers), samples.shape[-2]
    idx, d = nearest_mode(samples, centers)
    good = d <= n_std * std
    onehot = torch.nn.functional.one_hot(idx, k)  # (..., n, K)
    counts = (onehot * good[..., None]).sum(dim=-2)  # high-quality samples per mode
    covered = counts >= min_fraction * n / k
    q = onehot.sum(dim=-2).double() / n  # nearest-mode histogram of all samples
    reverse_kl = torch.where(q > 0, q * torch.log(q * k), torch.zeros_like(q)).sum(-1).float()
    return ModeCoverage(covered.sum(-1), good.float().mean(-1), reverse_kl, counts, covered, k)


def coverage_metrics(G, z: torch.Tensor, dist, **kwargs) -> dict[str, float]:
    """The `eval_fn` of `fit`: mode coverage of G(z) for a fixed z, as floats (one host sync)."""
    with evaluating(G), torch.no_grad():
        result = mode_coverage(G(z), dist, **kwargs)
    return result.as_dict()


def max_reverse_kl(n_modes: int) -> float:
    """KL when every sample sits on one mode: log K."""
    return math.log(n_modes)
