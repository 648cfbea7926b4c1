"""CycleGAN's players (Zhu et al., 2017), sized for 28x28 digits.

    generator (ResNet):  c7s1-ngf -> d(2 ngf) 14x14 -> n_blocks residual blocks -> u(ngf) 28x28 -> c7s1-1, tanh
    discriminator (PatchGAN): three 4x4 convs -> a 5x5 grid of scores, one per overlapping ~22x22 patch

Instance normalisation (per image, per channel) as in the paper: the style of one image should not
depend on the others in its batch. The residual blocks make "change little" the easy default,
which suits translation: most of the digit should survive.
"""
from __future__ import annotations

import torch
from torch import nn


def _positive_int(name, value):
    if not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


class ResidualBlock(nn.Module):
    """x + F(x), F = conv3x3, instance norm, ReLU, conv3x3, instance norm (shape kept)."""

    def __init__(self, channels: int):
        super().__init__()
        self.f = nn.Sequential(
            nn.Conv2d(channels, channels, 3, 1, 1, padding_mode="reflect"), nn.InstanceNorm2d(channels), nn.ReLU(),
            nn.Conv2d(channels, channels, 3, 1, 1, padding_mode="reflect"), nn.InstanceNorm2d(channels),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.f(x)


def resnet_generator(ngf: int = 16, n_blocks: int = 3, channels: int = 1) -> nn.Sequential:
    """G: image (batch, channels, 28, 28) -> image (batch, channels, 28, 28) in [-1, 1]."""
    _positive_int("ngf", ngf), _positive_int("n_blocks", n_blocks), _positive_int("channels", channels)
    return nn.Sequential(
        nn.Conv2d(channels, ngf, 7, 1, 3, padding_mode="reflect"), nn.InstanceNorm2d(ngf), nn.ReLU(),   # ngf x 28 x 28
        nn.Conv2d(ngf, 2 * ngf, 3, 2, 1), nn.InstanceNorm2d(2 * ngf), nn.ReLU(),                          # 2ngf x 14 x 14
        *[ResidualBlock(2 * ngf) for _ in range(n_blocks)],                                               # 2ngf x 14 x 14
        nn.ConvTranspose2d(2 * ngf, ngf, 3, 2, 1, output_padding=1), nn.InstanceNorm2d(ngf), nn.ReLU(),  # ngf x 28 x 28
        nn.Conv2d(ngf, channels, 7, 1, 3, padding_mode="reflect"), nn.Tanh(),                             # channels x 28 x 28
    )


def patch_discriminator(ndf: int = 16, channels: int = 1) -> nn.Sequential:
    """D: image (batch, channels, 28, 28) -> scores (batch, 1, 5, 5), one per overlapping patch.

    Each score judges a patch (receptive field 22x22 pixels), not the whole image: local style is
    what differs between the domains. Scores are raw (least-squares GAN), not probabilities.
    """
    _positive_int("ndf", ndf), _positive_int("channels", channels)
    return nn.Sequential(
        nn.Conv2d(channels, ndf, 4, 2, 1), nn.LeakyReLU(0.2),                                    # ndf x 14 x 14
        nn.Conv2d(ndf, 2 * ndf, 4, 2, 1), nn.InstanceNorm2d(2 * ndf), nn.LeakyReLU(0.2),         # 2ndf x 7 x 7
        nn.Conv2d(2 * ndf, 4 * ndf, 4, 1, 1), nn.InstanceNorm2d(4 * ndf), nn.LeakyReLU(0.2),     # 4ndf x 6 x 6
        nn.Conv2d(4 * ndf, 1, 4, 1, 1),                                                          # 1 x 5 x 5
    )
