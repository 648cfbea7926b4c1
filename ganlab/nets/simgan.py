"""SimGAN's refiner (Shrivastava et al., 2017), sized for 28x28 digits (notebook 15).

    refiner:  conv3x3(width) ReLU -> n_blocks residual blocks (conv3x3, ReLU, conv3x3; + input, ReLU)
              -> conv1x1(1) -> tanh                                 every layer at full 28 x 28 resolution

As in the paper: fully convolutional, no striding or pooling, so each output pixel is a function of a
small neighbourhood of the input pixel (here 3 + 2 * 2 * n_blocks px wide): the refiner can change
local appearance (stroke edges, ink, texture) but it has no reach to redraw the whole digit. No
normalisation layers (the paper's refiner has none). The local discriminator is
`ganlab.nets.cyclegan.patch_discriminator` (one score per patch).
"""
from __future__ import annotations

import torch
from torch import nn


class RefinerBlock(nn.Module):
    """ReLU(x + F(x)), F = conv3x3, ReLU, conv3x3 (shape kept): the paper's ResNet block."""

    def __init__(self, channels: int):
        super().__init__()
        self.f = nn.Sequential(nn.Conv2d(channels, channels, 3, 1, 1), nn.ReLU(),
                               nn.Conv2d(channels, channels, 3, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x + self.f(x))


def refiner(width: int = 16, n_blocks: int = 3) -> nn.Sequential:
    """R: image (batch, 1, 28, 28) in [-1, 1] -> refined image (batch, 1, 28, 28) in [-1, 1]."""
    for name, value in (("width", width), ("n_blocks", n_blocks)):
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return nn.Sequential(
        nn.Conv2d(1, width, 3, 1, 1), nn.ReLU(),             # width x 28 x 28
        *[RefinerBlock(width) for _ in range(n_blocks)],     # width x 28 x 28
        nn.Conv2d(width, 1, 1), nn.Tanh(),                   # 1 x 28 x 28, in [-1, 1]
    )


def receptive_width(n_blocks: int) -> int:
    """The side, in pixels, of the input window one refined pixel depends on: 3 for the first conv,
    + 4 per block (two 3x3 convs), the final 1x1 adds nothing."""
    return 3 + 4 * n_blocks
