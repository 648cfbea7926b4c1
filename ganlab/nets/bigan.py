"""BiGAN / ALI players (Donahue, Krähenbühl & Darrell, 2017; Dumoulin et al., 2017), taught in notebook 13.

A BiGAN has three networks. The decoder G maps a code to an image, as in any GAN; the encoder E maps
an image to a code; the discriminator D judges *pairs* (x, z):

    real pair   (x, E(x))   x from the data
    fake pair   (G(z), z)   z from the prior N(0, I)

    E        x (batch, 1, 28, 28) -> conv 4x4 s2 -> conv 4x4 s2 -> 7x7 conv (dense) -> z (batch, latent_dim)
    G        z -> image: the DCGAN generator of notebook 07
    D(x, z)  x -> the DCGAN discriminator's body (2 ndf x 7 x 7) -> flatten   \\
             z -> linear -> leaky ReLU (z_width)                             -> concat
                 -> linear -> leaky ReLU -> linear: a logit

D can tell the pairs apart unless the two joint distributions of (x, z) agree, which at the optimum
makes E and G inverses of each other (E = G^-1 on the data). Nothing in the game asks for
reconstruction: G(E(x)) = x is a consequence, not a loss.

For the 2D mixtures, `SeedLinear` / `seed_mlp` hold S independent MLPs (one per seed) as stacked
parameters, so that a sweep over seeds is one batched computation and `torch.optim.Adam` on the
stacked tensors updates every seed exactly as its own optimiser would (Adam acts elementwise; the
seeds share no parameter, so the gradient of the summed loss is each seed's own gradient).
"""
from __future__ import annotations

import torch
from torch import nn

from .dcgan import dcgan_generator, dcgan_init, discriminator_body


def _positive(name: str, value) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def bigan_encoder(latent_dim: int = 32, nef: int = 16) -> nn.Sequential:
    """E: images (batch, 1, 28, 28) in [-1, 1] -> codes (batch, latent_dim), deterministic (BiGAN).

    The DCGAN discriminator turned into a regressor: strided convolutions, batchnorm except at the
    input, leaky ReLU, and a last 7x7 convolution of the 7x7 map (a dense layer) with a linear output."""
    _positive("latent_dim", latent_dim), _positive("nef", nef)
    E = nn.Sequential(
        nn.Conv2d(1, nef, 4, 2, 1),                                          # nef x 14 x 14, no batchnorm
        nn.LeakyReLU(0.2, True),
        nn.Conv2d(nef, nef * 2, 4, 2, 1, bias=False),                        # (nef*2) x 7 x 7
        nn.BatchNorm2d(nef * 2), nn.LeakyReLU(0.2, True),
        nn.Conv2d(nef * 2, latent_dim, 7, 1, 0),                             # latent_dim x 1 x 1 (dense)
        nn.Flatten(1),                                                       # (batch, latent_dim)
    )
    E.apply(dcgan_init)
    return E


def bigan_generator(latent_dim: int = 32, ngf: int = 16) -> nn.Sequential:
    """G: codes (batch, latent_dim) -> images (batch, 1, 28, 28) in [-1, 1]: notebook 07's DCGAN generator."""
    return dcgan_generator(latent_dim, ngf)


class JointDiscriminator(nn.Module):
    """D(x, z): one logit per (image, code) pair. The image goes through the DCGAN discriminator's
    body, the code through a dense layer; the two feature vectors are concatenated and judged
    together, so D can see whether *this* code belongs to *this* image."""

    def __init__(self, latent_dim: int = 32, ndf: int = 16, z_width: int = 256, joint_width: int = 256,
                 dropout: float = 0.2):
        super().__init__()
        for name, value in (("latent_dim", latent_dim), ("ndf", ndf), ("z_width", z_width),
                            ("joint_width", joint_width)):
            _positive(name, value)
        self.x_path = nn.Sequential(
            discriminator_body(1, ndf),                                      # (ndf*2) x 7 x 7
            nn.Flatten(1),                                                   # (batch, ndf*2*49)
            nn.Linear(ndf * 2 * 49, joint_width), nn.LeakyReLU(0.2, True),   # (batch, joint_width)
        )
        self.z_path = nn.Sequential(
            nn.Linear(latent_dim, z_width), nn.LeakyReLU(0.2, True),         # (batch, z_width)
            nn.Linear(z_width, z_width), nn.LeakyReLU(0.2, True),            # (batch, z_width)
        )
        self.joint = nn.Sequential(
            nn.Dropout(dropout),
            nn.Linear(joint_width + z_width, joint_width), nn.LeakyReLU(0.2, True),  # (batch, joint_width)
            nn.Dropout(dropout),
            nn.Linear(joint_width, 1), nn.Flatten(0),                        # (batch,) logits
        )
        self.apply(lambda m: dcgan_init(m, weighted=(nn.Conv2d, nn.Linear)))

    def forward(self, x: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        if len(x) != len(z):
            raise ValueError(f"D(x, z) needs one code per image, got {len(x)} images and {len(z)} codes")
        return self.joint(torch.cat([self.x_path(x), self.z_path(z)], dim=1))


def bigan_discriminator(latent_dim: int = 32, ndf: int = 16, z_width: int = 256, joint_width: int = 256,
                        dropout: float = 0.2) -> JointDiscriminator:
    """D: (images (batch, 1, 28, 28), codes (batch, latent_dim)) -> logits (batch,)."""
    return JointDiscriminator(latent_dim, ndf, z_width, joint_width, dropout)


# ---- the 2D mixtures: S independent MLPs at once ----------------------------------------------------

class SeedLinear(nn.Module):
    """S independent linear layers: x (S, batch, in) -> x_s W_s + b_s (S, batch, out), one batched
    product (`torch.baddbmm`). Seed s's weights are those of `nn.Linear(in, out)` built after
    `torch.manual_seed(seed_s)`, so a seed's network does not depend on which other seeds run beside it."""

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor):
        super().__init__()
        self.weight = nn.Parameter(weight)                                   # (S, in, out)
        self.bias = nn.Parameter(bias)                                       # (S, 1, out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.baddbmm(self.bias, x, self.weight)                      # (S, batch, out)


def seed_mlp(seeds, in_dim: int, out_dim: int, width: int = 128, depth: int = 3, salt: int = 0) -> nn.Sequential:
    """One MLP per seed (depth hidden layers of `width`, leaky ReLU 0.2), stacked: (S, batch, in_dim) ->
    (S, batch, out_dim). `salt` tells apart the networks of one seed (G, E and D get different weights)."""
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds must be a non-empty list of integers")
    for name, value in (("in_dim", in_dim), ("out_dim", out_dim), ("width", width), ("depth", depth)):
        _positive(name, value)
    sizes = [in_dim] + [width] * depth + [out_dim]
    per_seed = []
    with torch.random.fork_rng(devices=[]):
        for s in seeds:
            torch.manual_seed(s * 7919 + salt)
            per_seed.append([nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])])
    layers = []
    for i in range(len(sizes) - 1):
        weight = torch.stack([net[i].weight.detach().T for net in per_seed])   # (S, in, out)
        bias = torch.stack([net[i].bias.detach()[None] for net in per_seed])   # (S, 1, out)
        layers.append(SeedLinear(weight, bias))
        if i < len(sizes) - 2:
            layers.append(nn.LeakyReLU(0.2))
    return nn.Sequential(*layers)

