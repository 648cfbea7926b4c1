"""InfoGAN's players (Chen et al., 2016): a generator fed noise and codes, and a discriminator whose
body is shared by two heads, D (real or fake?) and Q (which codes made this image?).

    latent   [z (noise_dim) | one-hot c_cat (n_categories) | c_cont (n_continuous)]
    G        the DCGAN generator on that latent vector                        -> (batch, 1, 28, 28)
    body     the DCGAN discriminator's body: conv 4x4 s2, conv 4x4 s2         -> (batch, 2 ndf, 7, 7)
    D head   the DCGAN discriminator's head, a 7x7 conv                       -> (batch,) logits
    Q head   linear, batchnorm, leaky ReLU, linear   -> (batch, n_categories + 2 n_continuous):
             the logits of Q(c_cat | x), then the mean and log std of the Gaussian Q(c_cont | x)

Sharing the body makes Q almost free: one more small head on features D computes anyway.
"""
from __future__ import annotations

import torch
from torch import nn

from ..checks import positive_int
from .dcgan import dcgan_init


def infogan_latent(batch: int, noise_dim: int, n_categories: int = 10, n_continuous: int = 2,
                   generator: torch.Generator | None = None, device=None, categories: torch.Tensor | None = None,
                   continuous: torch.Tensor | None = None):
    """Sample InfoGAN's inputs: z ~ N(0, I), c_cat ~ uniform on {0..K-1}, c_cont ~ U[-1, 1]^n.

    Pass `categories` (batch,) or `continuous` (batch, n) to fix a code instead (traversal grids).
    Returns (latent (batch, noise_dim + K + n), categories (batch,), continuous (batch, n)).
    """
    for name, value in (("batch", batch), ("noise_dim", noise_dim), ("n_categories", n_categories)):
        positive_int(name, value)
    positive_int("n_continuous", n_continuous, allow_zero=True)
    # draw everything on the CPU from the one generator, then move: the same draws on every device
    z = torch.randn(batch, noise_dim, generator=generator)
    if categories is None:
        categories = torch.randint(n_categories, (batch,), generator=generator)
    if continuous is None:
        continuous = torch.rand(batch, n_continuous, generator=generator) * 2 - 1
    categories, continuous = categories.cpu().long(), continuous.cpu().float()
    one_hot = nn.functional.one_hot(categories, n_categories).float()
    latent = torch.cat([z, one_hot, continuous], dim=1)
    return latent.to(device), categories.to(device), continuous.to(device)


def infogan_generator(noise_dim: int = 62, n_categories: int = 10, n_continuous: int = 2, ngf: int = 32) -> nn.Module:
    """G: latent (batch, noise_dim + n_categories + n_continuous) -> image (batch, 1, 28, 28) in [-1, 1].

    The DCGAN generator of notebook 07: the codes are just more inputs; only the information loss
    makes G use them.
    """
    from .dcgan import dcgan_generator

    positive_int("noise_dim", noise_dim), positive_int("n_categories", n_categories)
    positive_int("n_continuous", n_continuous, allow_zero=True)
    return dcgan_generator(noise_dim + n_categories + n_continuous, ngf)


def q_head_init(module: nn.Module) -> None:
    """The DCGAN initialisation carried to the Q head's dense layers: weights ~ N(0, 0.02), biases 0,
    batchnorm scale ~ N(1, 0.02), shift 0 (`dcgan_init` by default covers the convolutions only)."""
    dcgan_init(module, weighted=(nn.Linear,), norms=(nn.BatchNorm1d,))


class InfoGANDiscriminator(nn.Module):
    """D and Q sharing the DCGAN discriminator's body. `forward(x)` returns (d_logit (batch,),
    q_logits (batch, K), q_mean (batch, n), q_log_std (batch, n))."""

    def __init__(self, ndf: int = 32, n_categories: int = 10, n_continuous: int = 2, q_width: int = 128):
        super().__init__()
        from .dcgan import dcgan_init, discriminator_body, discriminator_head

        positive_int("ndf", ndf), positive_int("n_categories", n_categories), positive_int("q_width", q_width)
        positive_int("n_continuous", n_continuous, allow_zero=True)
        self.n_categories, self.n_continuous = n_categories, n_continuous
        self.body = discriminator_body(1, ndf)                                          # (2ndf) x 7 x 7
        self.d_head = discriminator_head(ndf)                                           # (batch,) real/fake logits
        self.q_head = nn.Sequential(
            nn.Flatten(),                                                               # 2ndf * 49
            nn.Linear(2 * ndf * 7 * 7, q_width, bias=False), nn.BatchNorm1d(q_width), nn.LeakyReLU(0.2),
            nn.Linear(q_width, n_categories + 2 * n_continuous),                        # logits | mean | log std
        )
        self.apply(dcgan_init)
        self.q_head.apply(q_head_init)

    def forward(self, x: torch.Tensor):
        if x.dim() != 4 or tuple(x.shape[1:]) != (1, 28, 28):
            raise ValueError(f"expected images of shape (batch, 1, 28, 28), got {tuple(x.shape)}")
        h = self.body(x)
        q = self.q_head(h)
        k, n = self.n_categories, self.n_continuous
        # log std clamped: a Q too sure of itself would make the Gaussian loss explode
        return self.d_head(h), q[:, :k], q[:, k:k + n], q[:, k + n:].clamp(-5.0, 2.0)


def infogan_discriminator(ndf: int = 32, n_categories: int = 10, n_continuous: int = 2,
                          q_width: int = 128) -> InfoGANDiscriminator:
    """D with its Q head: see `InfoGANDiscriminator`."""
    return InfoGANDiscriminator(ndf, n_categories, n_continuous, q_width)
