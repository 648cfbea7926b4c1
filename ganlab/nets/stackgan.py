"""StackGAN's stage II (Zhang et al., 2017) on digits: a coarse 7x7 digit -> a 28x28 digit, conditioned
on the label through **conditioning augmentation**. Taught in notebook 14 (after pix2pix).

    condition:   y (batch,) labels -> one-hot (batch, n_classes) -> Linear -> (mu, log sigma), each (batch, c_dim)
                 augment=True:  c = mu + sigma * eps, eps ~ N(0, I)   and the term KL(N(mu, sigma^2) || N(0, I))
                 augment=False: c = mu, a fixed (deterministic) embedding of y, KL = 0
    generator:   [x (1, 28, 28) | c broadcast (c_dim, 28, 28) | z broadcast (z_dim, 28, 28)] -> U-Net -> (1, 28, 28)

StackGAN's text embedding lives in a high-dimensional space and the few captions of an image give few
points of it; conditioning augmentation samples the condition from a Gaussian around the embedding
instead, with the KL term keeping that Gaussian close to N(0, I), so G sees a smooth, noisy condition
(more training pairs, and a second source of variety beside z). The label of a digit plays the text.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ..checks import positive_int
from .pix2pix import unet


def kl_to_standard_normal(mu: torch.Tensor, log_sigma: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, sigma^2) || N(0, I)) = 1/2 sum_j (mu_j^2 + sigma_j^2 - 1 - 2 log sigma_j), averaged over the batch."""
    return 0.5 * (mu.pow(2) + torch.exp(2 * log_sigma) - 1 - 2 * log_sigma).sum(1).mean()


class ConditioningAugmentation(nn.Module):
    """label y -> (c, kl). `augment=True`: c ~ N(mu(y), sigma(y)^2) by reparameterisation, c = mu + sigma * eps
    (eps given, or drawn with torch.randn); `augment=False`: the fixed embedding c = mu(y) and kl = 0."""

    def __init__(self, n_classes: int = 10, c_dim: int = 8, augment: bool = True):
        super().__init__()
        positive_int("n_classes", n_classes)
        positive_int("c_dim", c_dim)
        if not isinstance(augment, bool):
            raise ValueError(f"augment must be True (conditioning augmentation) or False (a fixed embedding), "
                             f"got {augment!r}")
        self.n_classes, self.c_dim, self.augment = n_classes, c_dim, augment
        self.fc = nn.Linear(n_classes, 2 * c_dim)                   # one-hot (n_classes) -> mu, log sigma (c_dim each)

    def moments(self, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        if y.dtype != torch.long or y.dim() != 1 or (y < 0).any() or (y >= self.n_classes).any():
            raise ValueError(f"y must be a 1-d tensor of integer labels in 0..{self.n_classes - 1}, got {y!r}")
        mu, log_sigma = self.fc(F.one_hot(y, self.n_classes).float()).chunk(2, 1)   # (batch, c_dim) each
        return mu, log_sigma

    def forward(self, y: torch.Tensor, eps: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        mu, log_sigma = self.moments(y)
        if not self.augment:
            return mu, mu.new_zeros(())
        if eps is None:
            eps = torch.randn_like(mu)
        return mu + torch.exp(log_sigma) * eps, kl_to_standard_normal(mu, log_sigma)


class StageTwo(nn.Module):
    """G(x, y, z): the coarse digit x (batch, 1, 28, 28), labels y (batch,), noise z (batch, z_dim) ->
    (image (batch, 1, 28, 28) in [-1, 1], the KL term of the condition)."""

    def __init__(self, ngf: int = 16, c_dim: int = 8, z_dim: int = 8, n_classes: int = 10, augment: bool = True):
        super().__init__()
        positive_int("z_dim", z_dim)
        self.z_dim = z_dim
        self.condition = ConditioningAugmentation(n_classes, c_dim, augment)
        self.net = unet(ngf, in_ch=1 + c_dim + z_dim)

    def forward(self, x: torch.Tensor, y: torch.Tensor, z: torch.Tensor, eps: torch.Tensor | None = None):
        if z.shape != (len(x), self.z_dim):
            raise ValueError(f"z must have shape (batch, z_dim) = {(len(x), self.z_dim)}, got {tuple(z.shape)}")
        c, kl = self.condition(y, eps)
        side = x.shape[-2:]
        # (batch, c_dim + z_dim, 28, 28)
        code = torch.cat([c, z], 1)[:, :, None, None].expand(-1, -1, *side).to(x.dtype)
        return self.net(torch.cat([x, code], 1)), kl


def stage_two(ngf: int = 16, *, c_dim: int = 8, z_dim: int = 8, n_classes: int = 10, augment: bool = True) -> StageTwo:
    """StackGAN's stage-II generator with conditioning augmentation (`augment=True`) or a fixed embedding."""
    return StageTwo(ngf, c_dim, z_dim, n_classes, augment)


__all__ = ["ConditioningAugmentation", "StageTwo", "kl_to_standard_normal", "stage_two"]
